//! Kiosk mode, for a shared screen in a government office: turned on by
//! `kiosk` in `/config.json` or by opening `/kiosk` (then sticky for the
//! tab's session). Larger text and targets, an "end session" button, and
//! after a quiet spell (`kiosk_idle_seconds`, default 120) a dialog that
//! counts down (`kiosk_warning_seconds`, at least 20) with a big "continue"
//! button; when it reaches zero, or on "end session", everything of the
//! person is wiped: signed out on the portal, storage, IndexedDB, caches,
//! and the page is loaded afresh.

use leptos::prelude::*;

use crate::ctx::use_ctx;

/// Default seconds without a touch before the warning.
pub const IDLE_SECONDS: u32 = 120;
/// The warning counts down at least this long (WCAG 2.2.1 asks for 20 s).
pub const MIN_WARNING_SECONDS: u32 = 20;

/// Where the countdown stands, given seconds since the last touch: `None`
/// while nobody needs warning, `Some(left)` during the warning, `Some(0)`
/// when the session must end. Pure, so it is unit-tested natively.
pub fn countdown(quiet: u32, idle: u32, warning: u32) -> Option<u32> {
    let warning = warning.max(MIN_WARNING_SECONDS);
    let start = idle.saturating_sub(warning);
    if quiet < start {
        None
    } else {
        Some((start + warning).saturating_sub(quiet))
    }
}

/// Whether the countdown should be spoken now (its start, every 10 s, and
/// each of the last 5), so screen readers hear it without a flood.
pub fn announce(left: u32, warning: u32) -> bool {
    left == warning.max(MIN_WARNING_SECONDS) || left.is_multiple_of(10) || left <= 5
}

use crate::storage::session as session_storage;

/// An event meaning "the person is still here" (the services bundle sends
/// it while a phone is signing the kiosk in): the idle countdown restarts.
pub const ACTIVITY: &str = "motcua-activity";

/// Tell the kiosk (if this is one) that the person is still here.
pub fn still_here() {
    if let Ok(ev) = web_sys::Event::new(ACTIVITY) {
        let _ = window().dispatch_event(&ev);
    }
}

/// Is kiosk mode on in this page (its class is on `<html>`)? For the
/// services bundle, which does not read the configuration itself.
pub fn on_screen() -> bool {
    document().document_element().is_some_and(|e| e.class_list().contains("kiosk"))
}

/// Is this tab a kiosk? (`/kiosk` opened in it, or the deployment says so.)
/// `/kiosk?don-vi=<unit code>` also says which desk the kiosk stands at.
pub fn active(config_says: bool) -> bool {
    if window().location().pathname().ok().as_deref() == Some("/kiosk") {
        if let Some(s) = session_storage() {
            let _ = s.set_item(crate::storage::KIOSK, "1");
            let query = window().location().search().unwrap_or_default();
            let unit = crate::router::param_in(query.trim_start_matches('?'), "don-vi");
            if !unit.is_empty() {
                let _ = s.set_item(crate::storage::KIOSK_PLACE, &unit);
            }
        }
        return true;
    }
    config_says
        || session_storage()
            .and_then(|s| s.get_item(crate::storage::KIOSK).ok().flatten())
            .is_some()
}

/// Wipe everything of the person using the kiosk, then start again at the
/// kiosk's home page (a full load, so no state survives in memory).
/// Only the public catalog kept offline, the language and the kiosk switch
/// stay; the reload waits until the portal confirmed the sign-out.
/// `timed_out`: the idle countdown ended it (the next screen says which).
pub fn wipe(ctx: crate::ctx::Ctx, timed_out: bool) {
    crate::ctx::sign_out(ctx, crate::storage::Wipe::Kiosk, move || {
        let _ = window().location().replace(if timed_out { ENDED_IDLE } else { ENDED });
    });
}

/// Where a wiped kiosk starts again: its home, saying why the screen is empty.
const ENDED: &str = "/kiosk?het-phien=1";
const ENDED_IDLE: &str = "/kiosk?het-phien=gio";

/// The desk this kiosk stands at (`/kiosk?don-vi=` or the deployment's
/// `kiosk_unit`), preselected where a desk is chosen.
pub fn place() -> Option<String> {
    session_storage()
        .and_then(|s| s.get_item(crate::storage::KIOSK_PLACE).ok().flatten())
        .filter(|c| !c.is_empty())
}

/// How the last session ended, if this page is the fresh start after a
/// wipe; the address is tidied so a reload does not say it again.
fn just_ended() -> Option<bool> {
    let query = window().location().search().ok()?;
    let how = crate::router::param_in(query.trim_start_matches('?'), "het-phien");
    if how.is_empty() {
        return None;
    }
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/kiosk"));
    }
    Some(how == "gio")
}

/// While the warning is up, everything else on the page is `inert`, so
/// keyboard focus and screen readers stay in the dialog.
fn page_inert(on: bool) {
    let Ok(list) = document().query_selector_all(
        ".skip-link, .header-row, .primary-nav, .kiosk-bar, #main, .site-footer, .offline-banner",
    ) else {
        return;
    };
    for i in 0..list.length() {
        if let Some(el) =
            list.get(i).and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        {
            let _ = if on { el.set_attribute("inert", "") } else { el.remove_attribute("inert") };
        }
    }
}

#[component]
pub fn Kiosk(idle: u32, warning: u32, unit: Option<String>) -> impl IntoView {
    let ctx = use_ctx();
    if let (Some(unit), None, Some(s)) = (unit, place(), session_storage()) {
        let _ = s.set_item(crate::storage::KIOSK_PLACE, &unit);
    }
    // "The screen was wiped": said on the fresh start, until the next person touches it.
    let ended = RwSignal::new(just_ended());
    let t = crate::ctx::use_texts();
    let warning = warning.max(MIN_WARNING_SECONDS);
    if let Some(html) = document().document_element() {
        let _ = html.class_list().add_1("kiosk");
    }
    // Seconds since the last touch, key or typing.
    let quiet = RwSignal::new(0u32);
    let left = Memo::new(move |_| countdown(quiet.get(), idle, warning));
    let spoken = RwSignal::new(String::new());
    let wake = move |_: web_sys::Event| {
        // Every key and touch lands here: write only when it changes something.
        if quiet.get_untracked() > 1 && ended.get_untracked().is_some() {
            ended.set(None);
        }
        if left.get_untracked().is_none() && quiet.get_untracked() != 0 {
            quiet.set(0);
        }
    };
    let handles = ["pointerdown", "keydown", "input", "touchstart", "wheel", ACTIVITY]
        .map(|name| window_event_listener_untyped(name, wake));
    let tick = set_interval_with_handle(
        move || quiet.update(|q| *q += 1),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        for h in handles {
            h.remove();
        }
        if let Some(h) = tick {
            h.clear();
        }
    });
    Effect::new(move |was: Option<Option<u32>>| {
        let now = left.get();
        match now {
            Some(0) => wipe(ctx, true),
            Some(n) => {
                if was.flatten().is_none() {
                    page_inert(true);
                    crate::components::page::focus_id("kiosk-continue");
                }
                if announce(n, warning) {
                    spoken.set(
                        t.get_untracked().shell().kiosk_countdown.replace("{n}", &n.to_string()),
                    );
                }
            }
            None => {
                if was.flatten().is_some() {
                    page_inert(false);
                }
                spoken.set(String::new());
            }
        }
        now
    });
    let carry_on = move |_| quiet.set(0);
    view! {
        <div class="kiosk-bar">
            <button type="button" id="kiosk-end" class="button button-danger" on:click=move |_| wipe(ctx, false)>
                {move || t.get().shell().kiosk_end}
            </button>
        </div>
        <div role="status" class="kiosk-ended-live">
            {move || ended.get().map(|idle| view! {
                <p class="kiosk-ended" id="kiosk-ended">
                    {move || if idle { t.get().shell().kiosk_ended_idle } else { t.get().shell().kiosk_ended }}
                </p>
            })}
        </div>
        {move || left.get().filter(|n| *n > 0).map(|n| view! {
            <div class="kiosk-backdrop">
                <div class="kiosk-dialog" role="alertdialog" aria-modal="true"
                    aria-labelledby="kiosk-title" aria-describedby="kiosk-text">
                    <h2 id="kiosk-title">{move || t.get().shell().kiosk_title}</h2>
                    <p id="kiosk-text">{move || t.get().shell().kiosk_text}</p>
                    <p class="kiosk-seconds" aria-hidden="true">{move || t.get().shell().kiosk_seconds.replace("{n}", &n.to_string())}</p>
                    <button type="button" id="kiosk-continue" class="button kiosk-continue" on:click=carry_on>
                        {move || t.get().shell().kiosk_continue}
                    </button>
                </div>
            </div>
        })}
        <div class="visually-hidden" role="alert" aria-live="assertive" id="kiosk-live">{move || spoken.get()}</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_comes_before_the_end_and_lasts_at_least_twenty_seconds() {
        // 120 s idle, 30 s warning: quiet until 90 s, then 30 … 1, then 0.
        assert_eq!(countdown(0, 120, 30), None);
        assert_eq!(countdown(89, 120, 30), None);
        assert_eq!(countdown(90, 120, 30), Some(30));
        assert_eq!(countdown(119, 120, 30), Some(1));
        assert_eq!(countdown(120, 120, 30), Some(0));
        assert_eq!(countdown(500, 120, 30), Some(0));
        // A shorter warning is stretched to 20 s.
        assert_eq!(countdown(100, 120, 5), Some(20));
        // An idle time shorter than the warning warns at once.
        assert_eq!(countdown(0, 10, 20), Some(20));
    }

    #[test]
    fn the_countdown_is_spoken_now_and_then() {
        assert!(announce(30, 30));
        assert!(announce(20, 30));
        assert!(!announce(17, 30));
        assert!(announce(3, 30));
    }
}
