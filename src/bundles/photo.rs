//! Photos made smaller on the phone before they are sent: the long side at
//! most 2000 px, JPEG at quality 0.8 (0.65, then 0.5, if that is still over
//! 500 KB: a very detailed page), turned the way the camera was held (EXIF
//! orientation, applied by `createImageBitmap`). PDFs and small images are
//! sent as they are.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Longest side after compression, in pixels.
pub const MAX_SIDE: u32 = 2000;
/// JPEG qualities tried in turn until the photo is at most `SMALL`.
pub const QUALITIES: [f64; 3] = [0.8, 0.65, 0.5];
/// Photos up to this size (bytes) and within `MAX_SIDE` are left alone.
pub const SMALL: f64 = 500.0 * 1024.0;

/// The size to draw a `w`×`h` image at so its long side is at most `max`
/// (never enlarged; at least 1 px each way).
pub fn fit(w: u32, h: u32, max: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= max || long == 0 {
        return (w.max(1), h.max(1));
    }
    let scale = max as f64 / long as f64;
    (((w as f64 * scale).round() as u32).max(1), ((h as f64 * scale).round() as u32).max(1))
}

/// The file to upload for `file`: a smaller JPEG for large photos, else the
/// file itself. Any failure falls back to the original (the portal checks
/// and limits it anyway).
pub async fn prepare(file: web_sys::Blob) -> web_sys::Blob {
    let original = file.clone();
    let kind = file.type_();
    if kind != "image/jpeg" && kind != "image/png" {
        return original;
    }
    // Read by `cargo xtask bench` (photo compression time).
    let _timing = crate::timing::measure("photo");
    match compress(&file).await {
        Ok(Some(smaller)) if smaller.size() < file.size() => smaller,
        _ => original,
    }
}

async fn compress(file: &web_sys::Blob) -> Result<Option<web_sys::Blob>, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let options = web_sys::ImageBitmapOptions::new();
    options.set_image_orientation(web_sys::ImageOrientation::FromImage);
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        window.create_image_bitmap_with_blob_and_image_bitmap_options(file, &options)?,
    )
    .await?
    .dyn_into()?;
    let (w, h) = (bitmap.width(), bitmap.height());
    if w.max(h) <= MAX_SIDE && file.size() <= SMALL {
        bitmap.close();
        return Ok(None);
    }
    let (tw, th) = fit(w, h, MAX_SIDE);
    let canvas: web_sys::HtmlCanvasElement =
        window.document().ok_or(JsValue::NULL)?.create_element("canvas")?.dyn_into()?;
    canvas.set_width(tw);
    canvas.set_height(th);
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d")?.ok_or(JsValue::NULL)?.dyn_into()?;
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, tw as f64, th as f64)?;
    bitmap.close();
    let mut best: Option<web_sys::Blob> = None;
    for quality in QUALITIES {
        let blob = to_jpeg(&canvas, quality).await?;
        let small = blob.size() <= SMALL;
        best = Some(blob);
        if small {
            break;
        }
    }
    Ok(best)
}

/// `canvas.toBlob(callback, "image/jpeg", quality)`, awaited.
async fn to_jpeg(
    canvas: &web_sys::HtmlCanvasElement,
    quality: f64,
) -> Result<web_sys::Blob, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let cb = wasm_bindgen::closure::Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            cb.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(quality),
        );
    });
    JsFuture::from(promise).await?.dyn_into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_side_fits_and_shape_is_kept() {
        assert_eq!(fit(4000, 3000, 2000), (2000, 1500));
        assert_eq!(fit(3000, 4000, 2000), (1500, 2000));
        assert_eq!(fit(1200, 900, 2000), (1200, 900), "never enlarged");
        assert_eq!(fit(12_000, 9, 2000), (2000, 2));
        assert_eq!(fit(0, 0, 2000), (1, 1));
        // A 12 MP phone photo.
        assert_eq!(fit(4032, 3024, 2000), (2000, 1500));
    }
}
