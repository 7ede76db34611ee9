//! The QR decoder for the scan page, as a wasm of its own (a few tens of KB)
//! loaded only there, and only in browsers without `BarcodeDetector`:
//! `rqrr` (without its `image` feature) reads a camera frame's pixels.

use wasm_bindgen::prelude::*;

fn main() {}

/// The text of the first QR code found in an RGBA frame of `width` ×
/// `height` pixels (as `CanvasRenderingContext2D.getImageData` gives it).
#[wasm_bindgen]
pub fn decode_rgba(rgba: &[u8], width: u32, height: u32) -> Option<String> {
    let (w, h) = (width as usize, height as usize);
    if w == 0 || h == 0 || rgba.len() < w * h * 4 {
        return None;
    }
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = (y * w + x) * 4;
        let (r, g, b) = (rgba[i] as u32, rgba[i + 1] as u32, rgba[i + 2] as u32);
        // ITU-R BT.601 luma in integers.
        ((r * 77 + g * 150 + b * 29) >> 8) as u8
    });
    img.detect_grids().into_iter().find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}
