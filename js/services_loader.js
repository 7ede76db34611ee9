// Loads a services bundle (accounts; the wizard; the receipt; tracking; my
// dossiers; statistics; appointments) the first time one of its pages is shown, then mounts it into
// `el`. Kept out of the first load: see src/bundles/mod.rs.
const bundles = {};

// What a bundle's pages lead to next: the wizard ends on the receipt. Once
// the wizard is in use, the worker fetches the receipt's bundle while the
// citizen fills the form, so it shows at once after submitting. Not with
// Save-Data: there it is fetched when needed.
const NEXT = { services_submit: 'services_receipt' };
let mounted = null;
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

// The bundle named `name` (`router::Bundle::name`), loaded once.
async function load(name) {
  if (!bundles[name]) {
    const [m] = await Promise.all([import(`/${name}.js`), servicesStyle()]);
    await m.default({ module_or_path: `/${name}_bg.wasm` });
    bundles[name] = m;
    // Used now: the service worker keeps it (and the styles) for offline
    // use (it may not have seen these requests if it took control after
    // they were made).
    const next = !navigator.connection?.saveData && NEXT[name];
    navigator.serviceWorker?.ready.then((r) => {
      r.active?.postMessage(`cache:/${name}`);
      r.active?.postMessage('cache:/services.css');
      if (next) r.active?.postMessage(`cache:/${next}`);
    });
  }
  return bundles[name];
}

// The QR link's first paint (crates/portal/src/first_paint.rs): the portal
// put the dossier's public status in the page. Shown at once, as the status
// page draws it; used once, in Vietnamese only (the language it is in).
function firstPaint(el, lang) {
  const tpl = document.getElementById('first-paint');
  const data = document.getElementById('first-paint-data');
  if (!tpl || !data) return false;
  tpl.remove();
  data.remove();
  const path = tpl.dataset.path;
  if (mounted || lang !== 'vi' || location.pathname !== path) return false;
  el.replaceChildren(tpl.content.cloneNode(true));
  // Where the phone can share, the link can be shared from here too (the
  // press is passed on to the live page's button: see mountServices).
  if (navigator.share) {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = 'share-link';
    b.className = 'button';
    b.textContent = 'Chia sẻ';
    el.querySelector('.freshness')?.before(b);
  }
  document.title = `${el.querySelector('h1').textContent} — ${document.title}`;
  // As the status page does: kept on the device for offline use, and the
  // token leaves the address bar (the shell's router follows).
  try {
    localStorage.setItem(`motcua.track.${tpl.dataset.code}`, data.textContent);
  } catch (e) {}
  history.replaceState(null, '', path);
  dispatchEvent(new PopStateEvent('popstate'));
  return true;
}

// A Vietnamese voice to read the page aloud with (the reader comes with
// the services bundle).
const voice = () => !!window.speechSynthesis?.getVoices().some((v) => v.lang.startsWith('vi'));

// Resolves when the citizen does something on the page (presses, types,
// moves focus into it, goes to another page) or comes back to the tab, or
// at once where the page can be read aloud; with the id of a button
// pressed meanwhile, if any.
function firstUse(el) {
  let pressed = null;
  el.addEventListener('click', (e) => (pressed = e.target.closest('button[id]')?.id ?? pressed), true);
  return new Promise((go) => {
    const on = ['pointerdown', 'keydown', 'focusin'];
    const back = () => !document.hidden && done();
    const spoken = () => voice() && done();
    const done = () => {
      on.forEach((t) => el.removeEventListener(t, done, true));
      removeEventListener('popstate', done);
      document.removeEventListener('visibilitychange', back);
      window.speechSynthesis?.removeEventListener?.('voiceschanged', spoken);
      go(() => pressed);
    };
    on.forEach((t) => el.addEventListener(t, done, true));
    addEventListener('popstate', done);
    document.addEventListener('visibilitychange', back);
    window.speechSynthesis?.addEventListener?.('voiceschanged', spoken);
    spoken();
  });
}

export async function mountServices(el, name, apiBase, lang, focus) {
  const mine = ++generation;
  let pressed = () => null;
  if (firstPaint(el, lang)) {
    pressed = await firstUse(el);
    if (mine !== generation) return;
    el.setAttribute('aria-busy', 'true');
  }
  const bundle = await load(name);
  if (mine === generation && el.isConnected) {
    // Focus was in what is now replaced: keep it on the page.
    const had = el.contains(document.activeElement);
    el.removeAttribute('aria-busy');
    bundle.mount(el, apiBase, lang, focus);
    mounted = bundle;
    if (had && !el.contains(document.activeElement)) el.querySelector('h1')?.focus();
    // A button pressed on the first paint: pressed again, now that it works.
    const id = pressed();
    if (id) el.querySelector(`#${CSS.escape(id)}`)?.click();
  }
}

export function unmountServices() {
  generation++;
  mounted?.unmount();
  mounted = null;
}

// The reader ("Nghe đọc") on a page of the main app: a button where the
// device has a Vietnamese voice; the first press loads the tracking bundle,
// which draws the reader into `el` and starts reading.
const READER = 'services_track';
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
      let bundle;
      try {
        bundle = await load(READER);
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
  bundles[READER]?.unmount_reader();
}
