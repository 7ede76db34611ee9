//! User Timing measures (`performance.measure`) around work whose speed we
//! promise, such as search. Only the latest measure of each name is kept;
//! `cargo xtask bench` reads them in Chromium under CPU throttling.

/// Start a measure called `name`; it ends when the returned guard drops.
pub fn measure(name: &'static str) -> Measure {
    let perf = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &perf {
        let _ = p.mark(name);
    }
    Measure { name, perf, keep: false }
}

/// As `measure`, keeping every measure of the name (a benchmark reads them all).
pub fn measure_each(name: &'static str) -> Measure {
    let mut m = measure(name);
    m.keep = true;
    m
}

pub struct Measure {
    name: &'static str,
    perf: Option<web_sys::Performance>,
    keep: bool,
}

impl Drop for Measure {
    fn drop(&mut self) {
        if let Some(p) = &self.perf {
            if !self.keep {
                p.clear_measures_with_measure_name(self.name);
            }
            let _ = p.measure_with_start_mark(self.name, self.name);
            p.clear_marks_with_mark_name(self.name);
        }
    }
}

/// Let the browser paint and take input before going on: one task later.
/// At once in a hidden tab, where nothing is painted and a timer may be
/// held back up to a second.
pub async fn yield_now() {
    let hidden = web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
    if !hidden {
        sleep(0).await;
    }
}

/// Wait `ms` milliseconds (no wait where there is no window to time it).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set = web_sys::window()
            .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms));
        if !matches!(set, Some(Ok(_))) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
