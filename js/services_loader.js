// Loads the services bundle (accounts, dossiers, tracking, statistics) the
// first time one of its pages is shown, then mounts it into `el`. Kept out
// of the first load: see src/services.rs.
let bundle = null;
let generation = 0;

// The services pages' stylesheet, once; resolved when it has loaded (or
// failed: the page then still works, plainer), so nothing shows unstyled.
let style = null;
function servicesStyle() {
  if (!style) {
    style = new Promise((done) => {
      const l = document.createElement('link');
      l.rel = 'stylesheet';
      l.href = '/services.css';
      l.onload = done;
      l.onerror = done;
      document.head.append(l);
    });
  }
  return style;
}

async function load() {
  if (!bundle) {
    const [m] = await Promise.all([import('/services.js'), servicesStyle()]);
    await m.default({ module_or_path: '/services_bg.wasm' });
    bundle = m;
    // Used now: the service worker keeps it for offline use (it may not
    // have seen these requests if it took control after they were made).
    navigator.serviceWorker?.ready.then((r) => r.active?.postMessage('cache-later'));
  }
}

export async function mountServices(el, apiBase, lang, focus) {
  const mine = ++generation;
  await load();
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

// The reader ("Nghe đọc") on a page of the main app: a button where the
// device has a Vietnamese voice; the first press loads the bundle, which
// draws the reader into `el` and starts reading.
export function listenLater(el, lang) {
  const synth = window.speechSynthesis;
  const show = () => {
    // Once only (Leptos keeps a marker comment inside `el`).
    if (el.querySelector('button') || !synth) return;
    if (!synth.getVoices().some((v) => v.lang.startsWith('vi'))) return;
    const b = document.createElement('button');
    b.type = 'button';
    b.id = 'read-aloud';
    b.className = 'button button-secondary';
    b.textContent = lang === 'vi' ? '🔊 Nghe đọc' : '🔊 Listen';
    b.onclick = async () => {
      b.disabled = true;
      try {
        await load();
      } catch (e) {
        b.disabled = false; // offline: press again later
        return;
      }
      b.remove();
      if (el.isConnected) bundle.mount_reader(el, lang);
    };
    el.append(b);
  };
  show();
  setTimeout(show, 1500);
}

export function unmountReader() {
  if (bundle) {
    bundle.unmount_reader();
  }
}
