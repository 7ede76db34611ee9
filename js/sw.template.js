// Service worker of Một Cửa, written into dist/ by `cargo xtask dist` from
// js/sw.template.js with this build's version and asset list (Trunk does
// not make one). It keeps the app shell so the app opens with no network:
// every asset of this build is cached at install under a cache named after
// the build; navigations get the cached index.html when the network fails;
// /config.json is network-first. The API is never touched here: personal
// data is not cached, and the app keeps the public catalog itself.
// A new build installs beside the old one and waits: the page announces it
// ("Có phiên bản mới — Tải lại") and asks it to take over; then the old
// caches are deleted.
const VERSION = '__VERSION__';
const CACHE = 'motcua-shell-' + VERSION;
const ASSETS = __ASSETS__;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(names.filter((n) => n.startsWith('motcua-shell-') && n !== CACHE).map((n) => caches.delete(n)))
    )
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') {
    self.skipWaiting();
  }
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    return;
  }
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(() => caches.match('/index.html', { cacheName: CACHE })));
    return;
  }
  if (url.pathname === '/config.json') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          const copy = res.clone();
          caches.open(CACHE).then((cache) => cache.put('/config.json', copy));
          return res;
        })
        .catch(() => caches.match('/config.json', { cacheName: CACHE }))
    );
    return;
  }
  event.respondWith(
    caches.match(req, { cacheName: CACHE }).then((hit) => hit || fetch(req))
  );
});
