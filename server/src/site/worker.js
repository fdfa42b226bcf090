// The Rounds service worker. The server fills in this build's file names and version.
//
// What it keeps: the app shell (styles, script, wasm, icons) and the public pages a visitor
// has seen, so the calendar and "My sessions" open without a connection, with a notice that
// says so. What it never touches: anything but GET, other sites, server functions (/api/),
// the live seat stream (/live/, text/event-stream) and calendar files. Replaying a cached
// event stream would show seat counts that are no longer true.

const VERSION = '__VERSION__';
const BUNDLE = __BUNDLE__;
const IMMUTABLE = __IMMUTABLE__;
const SHELL_CACHE = `rounds-shell-${VERSION}`;
const PAGE_CACHE = `rounds-pages-${VERSION}`;
const SHELL = [...BUNDLE, '/favicon.svg', '/icons/icon-192.png'];
// The support page is kept from installation, visited or not: it must open for someone in
// distress without a connection.
const START_PAGES = ['/en', '/fr', '/en/my-sessions', '/fr/my-sessions', '/en/support', '/fr/support'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const shell = await caches.open(SHELL_CACHE);
      await shell.addAll(SHELL);
      const pages = await caches.open(PAGE_CACHE);
      await Promise.all(START_PAGES.map((path) => keepPage(pages, path)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const current = [SHELL_CACHE, PAGE_CACHE];
      for (const name of await caches.keys()) {
        if (name.startsWith('rounds-') && !current.includes(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/live/')) return;
  if ((request.headers.get('accept') || '').includes('text/event-stream')) return;
  if (url.pathname.endsWith('.ics') || url.pathname === '/sw.js') return;

  if (request.mode === 'navigate') {
    event.respondWith(page(request, url));
  } else if (isShellFile(url.pathname)) {
    event.respondWith(IMMUTABLE ? cacheFirst(request) : networkFirst(request));
  }
});

function isShellFile(path) {
  return path.startsWith('/pkg/') || path.startsWith('/icons/') || path === '/favicon.svg';
}

/** Fetches a page and keeps a copy, unless the server marked it private (no-store). */
async function keepPage(cache, request) {
  const response = await fetch(request, { credentials: 'same-origin' });
  const cacheable = response.ok && !(response.headers.get('cache-control') || '').includes('no-store');
  if (cacheable) await cache.put(request, response.clone());
  return response;
}

/** Pages come from the network when it answers; otherwise the copy seen last, marked. */
async function page(request, url) {
  try {
    return await keepPage(await caches.open(PAGE_CACHE), request);
  } catch (offline) {
    const pages = await caches.open(PAGE_CACHE);
    const language = url.pathname.startsWith('/fr') ? '/fr' : '/en';
    const copy = (await pages.match(request)) || (await pages.match(language));
    return copy ? markedOffline(copy) : Response.error();
  }
}

/** The page's own offline notice, inert in a template until here, becomes part of the page. */
async function markedOffline(response) {
  const html = (await response.text()).replace(
    /<template data-offline-notice[^>]*>([\s\S]*?)<\/template>/,
    '$1',
  );
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(html, { status: 200, headers });
}

async function cacheFirst(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
  return response;
}

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (response.ok) (await caches.open(SHELL_CACHE)).put(request, response.clone());
    return response;
  } catch (offline) {
    return (await caches.match(request)) || Response.error();
  }
}
