// Installs the service worker (dist/sw.js, made by `cargo xtask dist`) and
// tells the app when a new version is ready (event `motcua-update`).
export function registerWorker() {
  if (!('serviceWorker' in navigator)) {
    return;
  }
  const announce = () => window.dispatchEvent(new Event('motcua-update'));
  navigator.serviceWorker.register('/sw.js').then((reg) => {
    if (reg.waiting && navigator.serviceWorker.controller) {
      announce();
    }
    reg.addEventListener('updatefound', () => {
      const next = reg.installing;
      if (next) {
        next.addEventListener('statechange', () => {
          if (next.state === 'installed' && navigator.serviceWorker.controller) {
            announce();
          }
        });
      }
    });
  }).catch(() => {});
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!reloading) {
      reloading = true;
      window.location.reload();
    }
  });
}

// The person chose to load the new version: the waiting worker takes over
// (and the page reloads on `controllerchange`).
export function applyUpdate() {
  navigator.serviceWorker.getRegistration().then((reg) => {
    if (reg && reg.waiting) {
      reg.waiting.postMessage('skip-waiting');
    }
  });
}

// After one ordinary visit, at idle, what the app needs to work offline:
// the worker keeps search and the tracking, "my dossiers" and receipt
// bundles (the shell has the rest). Never with Save-Data or on a 2G
// connection (the browser's own signals; there is no "metered" one);
// returns whether it went ahead, so the app keeps the list's data too.
export function keepForOffline() {
  const c = navigator.connection;
  if (!('serviceWorker' in navigator) || c?.saveData || /2g$/.test(c?.effectiveType || '')) {
    return false;
  }
  navigator.serviceWorker.ready.then((r) => {
    for (const p of ['/search', '/services_track', '/services_mine', '/services_receipt', '/services.css']) {
      r.active?.postMessage(`cache:${p}`);
    }
  });
  return true;
}
