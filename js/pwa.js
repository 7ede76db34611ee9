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
