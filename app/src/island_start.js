// Starts the browser bundle once the page is idle, then wakes each island in a task of its own.
// The first call into each island's code also compiles it, so waking forty islands in one go
// would hold a phone's main thread for a long stretch; between islands, taps and scrolling get
// their turn. Rounds' islands hold no other islands, so a flat list in page order suffices.
(jsFile, wasmFile) => {
  const nextTask = () =>
    globalThis.scheduler?.yield ? globalThis.scheduler.yield() : new Promise((resume) => setTimeout(resume, 0));
  const start = async () => {
    const bundle = await import(jsFile);
    await bundle.default({ module_or_path: wasmFile });
    bundle.hydrate();
    for (const island of document.querySelectorAll('leptos-island')) {
      await nextTask();
      const wake = bundle[island.dataset.component];
      if (wake) {
        wake(island);
      } else {
        console.warn(`No island named ${island.dataset.component} in this bundle.`);
      }
    }
  };
  if ('requestIdleCallback' in window) {
    requestIdleCallback(start);
  } else {
    start();
  }
}
