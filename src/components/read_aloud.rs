//! "Nghe đọc": the page's main text read aloud in Vietnamese by the
//! browser's own speech synthesis (a `vi` voice), one sentence at a time
//! and in page order, the block being read highlighted, with pause, stop
//! and a speed choice. Shown only where the device has a Vietnamese voice;
//! where it has none, one plain sentence says so, once per visit.
//!
//! The speech API is reached through `js_sys::Reflect` rather than typed
//! bindings: this sits on the first-load procedure page, and the generic
//! calls cost the shell almost nothing.

use std::cell::Cell;

use js_sys::{Array, Function, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::ctx::use_texts;
use crate::i18n::Lang;

thread_local! {
    /// The "no Vietnamese voice" sentence was shown already in this visit.
    static SAID_NO_VOICE: Cell<bool> = const { Cell::new(false) };
}

/// What the reader is doing.
#[derive(Clone, Copy, PartialEq)]
enum State {
    Idle,
    Reading,
    Paused,
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn call(o: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let Ok(f) = get(o, method).dyn_into::<Function>() else { return JsValue::UNDEFINED };
    f.apply(o, &args.iter().cloned().collect::<Array>()).unwrap_or(JsValue::UNDEFINED)
}

fn synth() -> Option<JsValue> {
    let s = get(&window(), "speechSynthesis");
    (!s.is_undefined() && !s.is_null()).then_some(s)
}

/// The device's first Vietnamese voice, if it has one.
fn vi_voice(s: &JsValue) -> Option<JsValue> {
    let voices: Array = call(s, "getVoices", &[]).dyn_into().ok()?;
    voices.iter().find(|v| get(v, "lang").as_string().is_some_and(|l| l.starts_with("vi")))
}

/// The sentences of `text` (a sentence ends at `.`, `!`, `?` or `;`
/// followed by a space, or at the end).
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | '!' | '?' | ';') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            out.push(current.trim().to_string());
            current.clear();
        }
    }
    out.push(current.trim().to_string());
    out.retain(|s| s.chars().any(char::is_alphanumeric));
    out
}

/// What a table row says, as one sentence a listener can follow: the
/// row's name, then each column's heading with its value, empty cells and
/// "—" left out ("Tờ khai. Bản chính: 1, Bản sao: 0.").
pub fn row_sentence(headings: &[String], cells: &[String]) -> String {
    let mut parts = cells.iter().enumerate().filter(|(_, c)| !c.is_empty() && c.as_str() != "—");
    let Some((_, name)) = parts.next() else { return String::new() };
    let rest: Vec<String> = parts
        .map(|(i, c)| match headings.get(i).filter(|h| !h.is_empty()) {
            Some(h) => format!("{h}: {c}"),
            None => c.clone(),
        })
        .collect();
    let name = name.trim_end_matches(['.', ':']);
    if rest.is_empty() {
        format!("{name}.")
    } else {
        format!("{name}. {}.", rest.join(", "))
    }
}

/// An element's words as heard: not its buttons, nor what is hidden from
/// listeners or marked `.no-read` (a "Sửa" link beside an answer).
fn spoken(e: &web_sys::Element) -> String {
    let quiet = "button, .no-read, [aria-hidden=true], .visually-hidden, select";
    let has_quiet = e.query_selector(quiet).ok().flatten().is_some();
    let text = if has_quiet {
        let Some(copy) =
            e.clone_node_with_deep(true).ok().and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            return String::new();
        };
        if let Ok(list) = copy.query_selector_all(quiet) {
            for i in 0..list.length() {
                if let Some(n) = list.item(i) {
                    if let Some(parent) = n.parent_node() {
                        let _ = parent.remove_child(&n);
                    }
                }
            }
        }
        copy.text_content().unwrap_or_default()
    } else {
        e.text_content().unwrap_or_default()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A block's sentences: a table's body row as one sentence with its
/// column headings, any other block by its sentences.
fn block_sentences(e: &web_sys::Element) -> Vec<String> {
    if e.tag_name().eq_ignore_ascii_case("tr") {
        let cells = |row: &web_sys::Element| -> Vec<String> {
            let Ok(list) = row.query_selector_all("th, td") else { return Vec::new() };
            (0..list.length())
                .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
                .map(|c| spoken(&c))
                .collect()
        };
        let headings = e
            .closest("table")
            .ok()
            .flatten()
            .and_then(|t| t.query_selector("thead tr").ok().flatten())
            .map(|h| cells(&h))
            .unwrap_or_default();
        let line = row_sentence(&headings, &cells(e));
        return if line.is_empty() { Vec::new() } else { vec![line] };
    }
    sentences(&spoken(e))
}

/// The blocks of the page's main text, in order: headings, paragraphs,
/// list items, table body rows, labels; not the reader itself, nor what is
/// hidden or marked `.no-read`.
fn blocks() -> Vec<web_sys::Element> {
    let Some(main) = document().get_element_by_id("main") else { return Vec::new() };
    let Ok(list) = main.query_selector_all("h1, h2, h3, p, li, dt, dd, tbody tr, label, legend")
    else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .filter(|e| {
            e.closest(".read-aloud, .no-read, .back, [hidden], .visually-hidden").ok().flatten().is_none()
                // Nested blocks (a paragraph in a list item) are read once, inside.
                && e.query_selector("p, li, dt, dd, tr, label").ok().flatten().is_none()
        })
        .collect()
}

/// Whether the device has a Vietnamese voice: `has_voice` once one is
/// known; `no_voice` (said once a visit, at once) when the voices already
/// known have none. Never later: a sentence appearing after the page would
/// move what a finger is about to press.
fn watch_voices(has_voice: RwSignal<bool>, no_voice: RwSignal<bool>) {
    let check = move || {
        if synth().and_then(|s| vi_voice(&s)).is_some() {
            has_voice.try_set(true);
            no_voice.try_set(false);
        }
    };
    // Voices often arrive a moment after the page: look again when they do.
    if let Some(s) = synth() {
        let again = Closure::<dyn Fn()>::new(check);
        let _ = Reflect::set(&s, &"onvoiceschanged".into(), again.as_ref());
        again.forget();
    }
    check();
    let known = synth().and_then(|s| call(&s, "getVoices", &[]).dyn_into::<Array>().ok());
    if known.is_some_and(|v| v.length() > 0) && !has_voice.get_untracked() && !SAID_NO_VOICE.get() {
        SAID_NO_VOICE.set(true);
        no_voice.set(true);
    }
}

/// "Tạm dừng" / "Đọc tiếp".
fn pause_or_resume(state: RwSignal<State>) {
    if let Some(s) = synth() {
        if state.get_untracked() == State::Paused {
            call(&s, "resume", &[]);
            state.set(State::Reading);
        } else {
            call(&s, "pause", &[]);
            state.set(State::Paused);
        }
    }
}

/// One sentence to speak, in Vietnamese, at `rate` percent of the normal speed.
fn utterance(s: &JsValue, sentence: String, rate: u32) -> Option<JsValue> {
    let ctor = get(&window(), "SpeechSynthesisUtterance").dyn_into::<Function>().ok()?;
    let u = Reflect::construct(&ctor, &Array::of1(&sentence.into())).ok()?;
    let _ = Reflect::set(&u, &"lang".into(), &"vi-VN".into());
    if let Some(v) = vi_voice(s) {
        let _ = Reflect::set(&u, &"voice".into(), &v);
    }
    let _ = Reflect::set(&u, &"rate".into(), &(rate as f64 / 100.0).into());
    Some(u)
}

/// The reader's words (its own: the procedure page's bundle has no catalog).
fn words(
    vi: bool,
) -> (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str) {
    if vi {
        (
            "Nghe đọc",
            "Tạm dừng",
            "Đọc tiếp",
            "Dừng đọc",
            "Tốc độ đọc",
            "Máy này chưa có giọng đọc tiếng Việt, nên trang không có nút Nghe đọc.",
        )
    } else {
        (
            "Listen",
            "Pause",
            "Resume",
            "Stop",
            "Reading speed",
            "This device has no Vietnamese voice, so the page has no Listen button.",
        )
    }
}

/// The reader. `lang` when mounted without the app's context (the
/// procedure page mounts it from the services bundle on the first press of
/// its small button, already sure of a voice, and `autostart`s it).
#[component]
pub fn ReadAloud(
    #[prop(optional)] lang: Option<Lang>,
    #[prop(optional)] autostart: bool,
) -> impl IntoView {
    let vi = lang.unwrap_or_else(|| use_texts().get_untracked().lang) == Lang::Vi;
    let has_voice = RwSignal::new(false);
    let no_voice = RwSignal::new(false);
    let state = RwSignal::new(State::Idle);
    // Percent of the normal speed (whole numbers: parsing a float would
    // cost the first load kilobytes of code).
    let rate = RwSignal::new(100u32);
    // (element, sentence) still to read.
    let queue: StoredValue<Vec<(web_sys::Element, String)>, LocalStorage> =
        StoredValue::new_local(Vec::new());
    let reading: StoredValue<Option<web_sys::Element>, LocalStorage> = StoredValue::new_local(None);
    let mark = move |e: Option<web_sys::Element>| {
        if let Some(old) = reading.get_value() {
            let _ = old.class_list().remove_1("reading");
        }
        if let Some(e) = &e {
            let _ = e.class_list().add_1("reading");
        }
        reading.set_value(e);
    };
    watch_voices(has_voice, no_voice);
    // Speak the next sentence; at the end, tidy up. Kept where the
    // utterance's end can call it again.
    let speaker: StoredValue<Option<std::rc::Rc<dyn Fn()>>, LocalStorage> =
        StoredValue::new_local(None);
    let speak_next = {
        move || {
            let Some(s) = synth() else { return };
            let item = queue.try_update_value(|q| (!q.is_empty()).then(|| q.remove(0))).flatten();
            let Some((element, sentence)) = item else {
                mark(None);
                state.try_set(State::Idle);
                return;
            };
            mark(Some(element));
            let Some(u) = utterance(&s, sentence, rate.get_untracked()) else { return };
            let on_end = Closure::<dyn Fn()>::new(move || {
                if state.try_get_untracked() == Some(State::Reading) {
                    if let Some(f) = speaker.try_get_value().flatten() {
                        f();
                    }
                }
            });
            let _ = Reflect::set(&u, &"onend".into(), on_end.as_ref());
            on_end.forget();
            call(&s, "speak", &[u]);
        }
    };
    speaker.set_value(Some(std::rc::Rc::new(speak_next)));
    let start = move |_: ()| {
        let Some(s) = synth() else { return };
        call(&s, "cancel", &[]);
        let mut all = Vec::new();
        for e in blocks() {
            for sentence in block_sentences(&e) {
                all.push((e.clone(), sentence));
            }
        }
        queue.set_value(all);
        state.set(State::Reading);
        if let Some(f) = speaker.get_value() {
            f();
        }
    };
    let pause = move |_| pause_or_resume(state);
    let stop = move |_| {
        state.set(State::Idle);
        queue.set_value(Vec::new());
        if let Some(s) = synth() {
            call(&s, "cancel", &[]);
        }
        mark(None);
    };
    on_cleanup(move || {
        if let Some(s) = synth() {
            call(&s, "cancel", &[]);
        }
    });
    if autostart {
        request_animation_frame(move || start(()));
    }
    let (listen, paused, resume, stop_text, speed, none) = words(vi);
    view! {
        {move || no_voice.get().then(|| view! { <p class="hint no-read" id="read-aloud-none">{none}</p> })}
        {move || has_voice.get().then(|| view! {
            <div class="read-aloud no-print" role="group" aria-label=listen>
                {move || if state.get() == State::Idle {
                    view! { <button type="button" class="button button-secondary" id="read-aloud" on:click=move |_| start(())>{"🔊 "}{listen}</button> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button button-secondary" id="read-aloud-pause" on:click=pause>
                            {move || if state.get() == State::Paused { resume } else { paused }}
                        </button>
                        <button type="button" class="button button-secondary" id="read-aloud-stop" on:click=stop>{stop_text}</button>
                    }.into_any()
                }}
                <label for="read-aloud-rate">{speed}</label>
                <select id="read-aloud-rate" class="input read-aloud-rate" on:change=move |ev| {
                    rate.set(event_target_value(&ev).parse().unwrap_or(100));
                }>
                    <option value="75">"0,75×"</option>
                    <option value="100" selected>"1×"</option>
                    <option value="125">"1,25×"</option>
                </select>
            </div>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_end_at_stops_followed_by_space() {
        assert_eq!(
            sentences("Nộp tại UBND xã. Lệ phí: 8.000 đồng; miễn cho hộ nghèo! Hết"),
            vec!["Nộp tại UBND xã.", "Lệ phí: 8.000 đồng;", "miễn cho hộ nghèo!", "Hết"]
        );
        assert_eq!(sentences("  "), Vec::<String>::new());
        assert_eq!(sentences("Điều 16 Luật Hộ tịch 2014."), vec!["Điều 16 Luật Hộ tịch 2014."]);
    }

    #[test]
    fn a_table_row_is_one_sentence_with_its_headings() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let headings = h(&["Tên giấy tờ", "Bản chính", "Bản sao", "Mẫu đơn, tờ khai"]);
        assert_eq!(
            row_sentence(&headings, &h(&["Tờ khai đăng ký khai sinh", "1", "0", "Tờ khai"])),
            "Tờ khai đăng ký khai sinh. Bản chính: 1, Bản sao: 0, Mẫu đơn, tờ khai: Tờ khai."
        );
        assert_eq!(
            row_sentence(&headings, &h(&["Giấy chứng sinh.", "1", "0", "—"])),
            "Giấy chứng sinh. Bản chính: 1, Bản sao: 0."
        );
        assert_eq!(row_sentence(&[], &h(&["Trực tuyến", "3 ngày"])), "Trực tuyến. 3 ngày.");
        assert_eq!(row_sentence(&headings, &h(&["", "—"])), "");
    }
}
