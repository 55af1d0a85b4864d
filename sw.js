// The demonstrator's service worker: after a first visit the page opens and runs with no
// network (conference wifi). The page registers it once its run is ready (app/src/stage.rs).
//
// * Install: reads the page (index.html) and caches every file it links — the hashed JS glue,
//   wasm and CSS Trunk wrote, the icon, the default run's PKI the page preloads (pki/…bin) — so
//   the page, and the PKI workers that import the same glue and wasm, find them offline.
// * The page itself: network first (a new build is picked up whenever there is a network), the
//   cached copy when the network fails.
// * Every other file of the site: the cached copy first (Trunk names them by their hash, so a
//   name never changes its bytes), else the network, and the answer is cached.
// * Activate: caches of older versions of this worker are deleted. The Cache API store of PKIs
//   ("dmikey-pki", app/src/pki_store.rs) is the page's and is left alone.
//
// To make every visitor drop their cached copy at once, change VERSION.
const VERSION = 'v1';
const CACHE = `dmikey-app-${VERSION}`;
const PAGE = new URL('./', self.registration.scope).href;

/** The same-origin files the page links (href and src attributes). */
function linked(html) {
  const urls = new Set([PAGE]);
  for (const m of html.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
    const u = new URL(m[1], PAGE);
    if (u.origin === self.location.origin) urls.add(u.href);
  }
  return [...urls];
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const page = await fetch(PAGE, { cache: 'no-cache' });
      if (!page.ok) throw new Error(`the page answered ${page.status}`);
      await cache.put(PAGE, page.clone());
      // The hashed files come from the HTTP cache the page filled: no second download.
      await cache.addAll(linked(await page.text()).filter((u) => u !== PAGE));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('dmikey-app-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const fresh = await fetch(req);
          if (fresh.ok) {
            const cache = await caches.open(CACHE);
            await cache.put(PAGE, fresh.clone());
          }
          return fresh;
        } catch (offline) {
          const kept = await caches.match(PAGE);
          if (kept) return kept;
          throw offline;
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const kept = await cache.match(req, { ignoreSearch: true });
      if (kept) return kept;
      const fresh = await fetch(req);
      if (fresh.ok && fresh.type === 'basic') await cache.put(req, fresh.clone());
      return fresh;
    })(),
  );
});
