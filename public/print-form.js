// The printable forms' buttons (a file, so the page keeps a strict
// Content-Security-Policy without inline scripts): print, and back to the
// app. On a kiosk (the app marks the tab in sessionStorage), a form left
// on screen goes back to the kiosk's home after two idle minutes, where
// the app's own idle wipe takes over: a stranger does not find it.
document.getElementById('print')?.addEventListener('click', () => window.print());
document.getElementById('back')?.addEventListener('click', () => {
  if (history.length > 1) history.back();
  else location.assign('/');
});
let kiosk = false;
try {
  kiosk = sessionStorage.getItem('motcua.kiosk') !== null;
} catch (e) {
  kiosk = false;
}
if (kiosk) {
  let timer = 0;
  const rest = () => {
    clearTimeout(timer);
    timer = setTimeout(() => location.replace('/kiosk'), 120000);
  };
  ['pointerdown', 'keydown', 'scroll', 'touchstart'].forEach((e) =>
    addEventListener(e, rest, { passive: true })
  );
  rest();
}
