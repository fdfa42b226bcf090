// Starts the browser bundle after the page's first paint, then wakes its islands one per task.
// The page reads and works without the bundle, so on a slow network the text comes first and
// the wasm waits its turn. The first call into an island's code also compiles it:
// waking every island in one go would hold a phone's main thread for a long stretch, while
// one per task leaves taps and scrolling their turn in between. The islands repeated on every
// calendar card (`wakeWhenSeen`) wake only as they come near the screen. Rounds' islands hold
// no other islands, so a flat list in page order suffices.
// A page whose islands are all among `lightIslands` loads the light build, which leaves out
// the forms' code; any other page loads the full one. Each build is [script, wasm].
(full, light, lightIslands, wakeWhenSeen) => {
  const nextTask = () =>
    globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((resume) => setTimeout(resume, 0));
  const whenIdle = (work) =>
    'requestIdleCallback' in window ? requestIdleCallback(work, { timeout: 2000 }) : setTimeout(work, 0);
  const kind = (island) => island.dataset.component.replace(/_\d+$/, '');

  const start = async () => {
    const islands = [...document.querySelectorAll('leptos-island')];
    const [jsFile, wasmFile] = islands.every((island) => lightIslands.includes(kind(island))) ? light : full;
    const wasm = fetch(wasmFile);
    const bundle = await import(jsFile);
    await bundle.default({ module_or_path: wasm });
    bundle.hydrate();

    const queue = [];
    let draining = false;
    const wakeQueued = async () => {
      if (draining) return;
      draining = true;
      while (queue.length > 0) {
        await nextTask();
        const island = queue.shift();
        const wake = bundle[island.dataset.component];
        if (wake) {
          wake(island);
        } else {
          console.warn(`No island named ${island.dataset.component} in this bundle.`);
        }
      }
      draining = false;
    };
    const nearScreen = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) {
            nearScreen.unobserve(entry.target);
            queue.push(entry.target);
          }
        }
        wakeQueued();
      },
      { rootMargin: '200px 0px' },
    );
    for (const island of islands) {
      if (wakeWhenSeen.includes(kind(island))) {
        nearScreen.observe(island);
      } else {
        queue.push(island);
      }
    }
    await wakeQueued();
    whenIdle(() => bundle.start_offline_support());
  };

  requestAnimationFrame(() => whenIdle(start));
}
