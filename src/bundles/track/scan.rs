//! The scan page: the camera's picture, read for a QR code by the browser's
//! `BarcodeDetector` where there is one, and elsewhere by the small wasm
//! decoder of `src/bin/scanner.rs`, which is fetched only then. A tracking
//! link found opens its status page; anything else is said plainly.

use crate::router::Page;
use contract::tracking::parse_tracking_text;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::bundles::texts::track::texts;
use crate::bundles::track::status_href;
use crate::components::page::PageHeading;
use crate::ctx::use_texts;
use crate::router::use_location;

#[wasm_bindgen(module = "/js/scanner_loader.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = loadQrDecoder)]
    async fn load_qr_decoder() -> Result<JsValue, JsValue>;
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    Idle,
    Starting,
    Scanning,
    Denied,
    NoCamera,
    Found,
}

/// The longest side of the frame handed to the wasm decoder (pixels).
const FRAME: u32 = 640;

use crate::timing::sleep;

enum Decoder {
    /// A `BarcodeDetector` for QR codes.
    Native(JsValue),
    /// `decode_rgba(rgba, width, height)` of the scanner wasm, and its canvas.
    Wasm(js_sys::Function, web_sys::CanvasRenderingContext2d),
}

async fn decoder() -> Option<Decoder> {
    let w: JsValue = window().into();
    let ctor = js_sys::Reflect::get(&w, &"BarcodeDetector".into()).ok()?;
    if let Some(ctor) = ctor.dyn_ref::<js_sys::Function>() {
        let options = js_sys::Object::new();
        let formats = js_sys::Array::of1(&"qr_code".into());
        let _ = js_sys::Reflect::set(&options, &"formats".into(), &formats);
        if let Ok(d) = js_sys::Reflect::construct(ctor, &js_sys::Array::of1(&options)) {
            return Some(Decoder::Native(d));
        }
    }
    let f: js_sys::Function = load_qr_decoder().await.ok()?.dyn_into().ok()?;
    let canvas: web_sys::HtmlCanvasElement =
        document().create_element("canvas").ok()?.dyn_into().ok()?;
    let settings = web_sys::ContextAttributes2d::new();
    settings.set_will_read_frequently(true);
    let ctx = canvas.get_context_with_context_options("2d", &settings).ok()??.dyn_into().ok()?;
    Some(Decoder::Wasm(f, ctx))
}

/// The text of a QR code in the video's current frame, if one is seen.
async fn read(d: &Decoder, video: &web_sys::HtmlVideoElement) -> Option<String> {
    match d {
        Decoder::Native(det) => {
            let detect: js_sys::Function =
                js_sys::Reflect::get(det, &"detect".into()).ok()?.dyn_into().ok()?;
            let promise: js_sys::Promise = detect.call1(det, video).ok()?.dyn_into().ok()?;
            let found: js_sys::Array = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
            let first = found.get(0);
            js_sys::Reflect::get(&first, &"rawValue".into()).ok()?.as_string()
        }
        Decoder::Wasm(f, ctx) => {
            let (vw, vh) = (video.video_width(), video.video_height());
            if vw == 0 || vh == 0 {
                return None;
            }
            let scale = (FRAME as f64 / vw.max(vh) as f64).min(1.0);
            let (w, h) = (((vw as f64) * scale) as u32, ((vh as f64) * scale) as u32);
            let canvas = ctx.canvas()?;
            if canvas.width() != w || canvas.height() != h {
                canvas.set_width(w);
                canvas.set_height(h);
            }
            ctx.draw_image_with_html_video_element_and_dw_and_dh(
                video, 0.0, 0.0, w as f64, h as f64,
            )
            .ok()?;
            let pixels = ctx.get_image_data(0.0, 0.0, w as f64, h as f64).ok()?.data();
            let bytes = js_sys::Uint8Array::from(&pixels.0[..]);
            let _m = crate::timing::measure_each("qr-decode");
            f.call3(&JsValue::NULL, &bytes, &w.into(), &h.into()).ok()?.as_string()
        }
    }
}

/// The back camera, video only; `Err(true)` when the person (or the
/// page's permissions) refused it, `Err(false)` when there is none.
async fn open_camera() -> Result<web_sys::MediaStream, bool> {
    let devices = window().navigator().media_devices().map_err(|_| false)?;
    let constraints = web_sys::MediaStreamConstraints::new();
    let video_wish = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&video_wish, &"facingMode".into(), &"environment".into());
    constraints.set_video(&video_wish);
    constraints.set_audio(&JsValue::FALSE);
    let asked = match devices.get_user_media_with_constraints(&constraints) {
        Ok(p) => JsFuture::from(p).await,
        Err(e) => Err(e),
    };
    asked.and_then(|s| s.dyn_into()).map_err(|e| {
        let name = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        matches!(name.as_str(), "NotAllowedError" | "SecurityError")
    })
}

#[component]
pub fn Scan() -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = texts(t.lang);
    let location = use_location();
    let state = RwSignal::new(State::Idle);
    let message = RwSignal::new(String::new());
    // Which decoder reads the frames ("native" or "wasm"), for the curious and the tests.
    let kind = RwSignal::new("");
    let video = NodeRef::<leptos::html::Video>::new();
    let stream: StoredValue<Option<web_sys::MediaStream>, LocalStorage> =
        StoredValue::new_local(None);
    // Bumped to end a scanning loop.
    let generation = StoredValue::new(0u32);
    let stop = move || {
        generation.update_value(|g| *g += 1);
        if let Some(s) = stream.try_update_value(|s| s.take()).flatten() {
            for track in s.get_tracks().iter() {
                if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
                    track.stop();
                }
            }
        }
        if let Some(v) = video.get_untracked() {
            v.set_src_object(None);
        }
    };
    on_cleanup(stop);
    let start = move |_| {
        if matches!(state.get_untracked(), State::Starting | State::Scanning) {
            return;
        }
        state.set(State::Starting);
        message.set(tt.scan_loading.to_string());
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        leptos::task::spawn_local(async move {
            let s = match open_camera().await {
                Ok(s) => s,
                Err(denied) => {
                    state.try_set(if denied { State::Denied } else { State::NoCamera });
                    message.try_set(
                        if denied { tt.scan_denied } else { tt.scan_no_camera }.to_string(),
                    );
                    return;
                }
            };
            let Some(v) = video.get_untracked() else {
                return;
            };
            v.set_src_object(Some(&s));
            if stream.try_update_value(|x| *x = Some(s)).is_none() {
                return;
            }
            if let Ok(p) = v.play() {
                let _ = JsFuture::from(p).await;
            }
            let Some(d) = decoder().await else {
                state.try_set(State::NoCamera);
                message.try_set(tt.scan_no_camera.to_string());
                return;
            };
            kind.try_set(if matches!(d, Decoder::Native(_)) { "native" } else { "wasm" });
            state.try_set(State::Scanning);
            message.try_set(tt.scan_aim.to_string());
            let mut said_not_ours = false;
            while generation.try_get_value() == Some(mine) {
                if let Some(text) = read(&d, &v).await {
                    // A booking's ticket (at the kiosk: checking in).
                    if text.contains(contract::appointments::TICKET_PATH) {
                        if let Some(code) = contract::appointments::parse_booking_text(&text) {
                            state.try_set(State::Found);
                            message.try_set(tt.scan_found.to_string());
                            stop();
                            location.navigate(&Page::Ticket(code).href());
                            return;
                        }
                    }
                    match parse_tracking_text(&text) {
                        Some((code, token)) => {
                            state.try_set(State::Found);
                            message.try_set(tt.scan_found.to_string());
                            stop();
                            location.navigate(&status_href(&code, &token));
                            return;
                        }
                        None if !said_not_ours => {
                            said_not_ours = true;
                            message.try_set(tt.scan_not_ours.to_string());
                        }
                        None => {}
                    }
                }
                sleep(150).await;
            }
        });
    };
    let turn_off = move |_| {
        stop();
        state.set(State::Idle);
        message.set(String::new());
    };
    view! {
        <PageHeading text=tt.scan_title.to_string()/>
        <p>{tt.scan_lead}</p>
        <div class="scan" data-decoder=move || kind.get() data-state=move || format!("{:?}", state.get())>
            <video node_ref=video class="scan-video" class:scan-video-on=move || matches!(state.get(), State::Starting | State::Scanning)
                muted=true playsinline=true aria-label=tt.scan_video></video>
            <p id="scan-message" role="status" aria-live="polite"
                class:notice-error=move || matches!(state.get(), State::Denied | State::NoCamera)>
                {move || message.get()}
            </p>
            {move || if matches!(state.get(), State::Starting | State::Scanning) {
                view! { <button type="button" class="button button-secondary" on:click=turn_off>{tt.scan_stop}</button> }.into_any()
            } else {
                view! { <button type="button" id="scan-start" class="button" on:click=start>{tt.scan_start}</button> }.into_any()
            }}
        </div>
        <p><a href=Page::Track.href()>{tt.scan_type_instead}</a></p>
    }
}
