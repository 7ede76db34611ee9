// Loads the QR decoder (a small wasm of its own, src/bin/scanner.rs) the
// first time the scan page needs it, in browsers without BarcodeDetector.
// The load is shared by callers that ask at once; one that failed (a
// dropped connection) is tried again by the next caller.
let decoder = null;

export async function loadQrDecoder() {
  decoder ??= import('/scanner.js')
    .then((m) => m.default({ module_or_path: '/scanner_bg.wasm' }).then(() => m))
    .catch((e) => {
      decoder = null;
      throw e;
    });
  return (await decoder).decode_rgba;
}
