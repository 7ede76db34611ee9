// Loads the services bundle (accounts, dossiers, tracking, statistics) the
// first time one of its pages is shown, then mounts it into `el`. Kept out
// of the first load: see src/services.rs.
let bundle = null;
let generation = 0;

export async function mountServices(el, apiBase, lang, focus) {
  const mine = ++generation;
  if (!bundle) {
    const m = await import('/services.js');
    await m.default({ module_or_path: '/services_bg.wasm' });
    bundle = m;
  }
  if (mine === generation && el.isConnected) {
    bundle.mount(el, apiBase, lang, focus);
  }
}

export function unmountServices() {
  generation++;
  if (bundle) {
    bundle.unmount();
  }
}
