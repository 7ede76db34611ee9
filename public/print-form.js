// The print button of the printable forms (a file, so the page keeps a
// strict Content-Security-Policy without inline scripts).
document.getElementById('print')?.addEventListener('click', () => window.print());
