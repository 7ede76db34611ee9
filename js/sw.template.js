// Service worker of Một Cửa, written into dist/ by `cargo xtask dist` from
// js/sw.template.js with this build's version and asset list (Trunk does
// not make one). It keeps the app shell so the app opens with no network:
// the shell's assets are cached at install under a cache named after the
// build; each services bundle (accounts, wizard, tracking, …) and search are
// cached when first used — by a fetch through this worker, or, when the page loaded
// it before this worker took control, on the page's 'cache:<prefix>' message;
// navigations get the cached index.html when the network fails;
// /config.json is network-first. The API is never touched here: personal
// data is not cached, and the app keeps the public catalog itself.
// A new build installs beside the old one and waits: the page announces it
// ("Có phiên bản mới — Tải lại") and asks it to take over; then the old
// caches are deleted.
const VERSION = '__VERSION__';
const CACHE = 'motcua-shell-' + VERSION;
const ASSETS = __ASSETS__;
const LATER = __LATER__;

// Keep the files of a services bundle ('/services_track'), of their styles
// ('/services.css') or of search ('/search') that this cache lacks.
async function keepLater(prefix) {
  const cache = await caches.open(CACHE);
  for (const url of LATER.filter((u) => u.startsWith(prefix))) {
    if (!(await cache.match(url))) {
      const res = await fetch(url);
      if (res.ok) await cache.put(url, res);
    }
  }
}

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
  } else if (typeof event.data === 'string' && event.data.startsWith('cache:/')) {
    event.waitUntil(keepLater(event.data.slice(6)).catch(() => {}));
  } else if (event.data === 'cache-search') {
    event.waitUntil(keepLater('/search').catch(() => {}));
  } else if (event.data === 'fetched') {
    // What this worker took from the network (transferSize 0: the browser's
    // cache): the first visit's whole cost, measured by the e2e budget test.
    const seen = performance.getEntriesByType('resource').filter((e) => e.transferSize > 0);
    event.source.postMessage({ fetched: seen.map((e) => [e.name, e.encodedBodySize]) });
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
  const later = LATER.includes(url.pathname);
  event.respondWith(
    caches.match(req, { cacheName: CACHE }).then(
      (hit) =>
        hit ||
        fetch(req).then((res) => {
          if (later && res.ok) {
            const copy = res.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return res;
        })
    )
  );
});
