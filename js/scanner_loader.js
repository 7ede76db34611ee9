// Loads the QR decoder (a small wasm of its own, src/bin/scanner.rs) the
// first time the scan page needs it, in browsers without BarcodeDetector.
let decoder = null;

export async function loadQrDecoder() {
  if (!decoder) {
    const m = await import('/scanner.js');
    await m.default({ module_or_path: '/scanner_bg.wasm' });
    decoder = m;
  }
  return decoder.decode_rgba;
}
