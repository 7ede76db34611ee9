//! The electronic form's pages: one section of `contract::eform` per page,
//! each field drawn from its kind (line, lines, name, date, ID number,
//! choice), shown only when its condition holds, its error beside it.

use super::*;
use crate::i18n::Lang;
use contract::eform::{key, Field, Form, Kind, Text};

fn say(t: Text, lang: Lang) -> &'static str {
    if lang == Lang::Vi {
        t.0
    } else {
        t.1
    }
}

/// The section's title, in the reader's language.
pub(super) fn title(form: &'static Form, section: usize) -> &'static str {
    let lang = use_texts().get_untracked().lang;
    form.sections.get(section).map_or("", |s| say(s.title, lang))
}

/// The fields of one section, answers written straight into the draft.
pub(super) fn section(
    form: &'static Form,
    section: usize,
    draft: RwSignal<Draft>,
    problems: Problems,
) -> impl IntoView {
    let Some(s) = form.sections.get(section) else {
        return ().into_any();
    };
    // What the procedure implies ("Đăng ký tạm trú": temporary residence)
    // and what most answer ("Kinh", "Việt Nam") is there already, and can
    // be changed.
    draft.update(|d| {
        let here = |id: &str| s.fields.iter().any(|f| f.id == id);
        for (id, value) in form.prefill(&d.procedure).into_iter().filter(|(id, _)| here(id)) {
            d.form.entry(id.to_string()).or_insert_with(|| value.to_string());
        }
    });
    s.fields.iter().map(|f| field(f, draft, problems)).collect_view().into_any()
}

/// A choice's radios; the first carries the field's id (the error
/// summary focuses it).
fn radios(
    id: &str,
    options: &'static [(&'static str, Text)],
    initial: String,
    set: impl Fn(String) + Copy + Send + Sync + 'static,
    lang: Lang,
) -> impl IntoView {
    let chosen = RwSignal::new(initial);
    options
        .iter()
        .enumerate()
        .map(|(i, (value, text))| {
            let rid = if i == 0 { id.to_string() } else { format!("{id}-{value}") };
            view! {
                <div class="choice">
                    <input type="radio" id=rid.clone() name=id.to_string()
                        prop:checked=move || chosen.get() == *value
                        on:change=move |_| { chosen.set(value.to_string()); set(value.to_string()); }/>
                    <label for=rid>{say(*text, lang)}</label>
                </div>
            }
        })
        .collect_view()
}

fn field(f: &'static Field, draft: RwSignal<Draft>, problems: Problems) -> impl IntoView {
    let lang = use_texts().get_untracked().lang;
    let id = key(f.id);
    // Re-drawn only when the condition's answer changes, not on every key.
    let asked = Memo::new(move |_| draft.with(|d| Form::asked(f, &d.form)));
    let initial = draft.with_untracked(|d| d.form.get(f.id).cloned().unwrap_or_default());
    let set = move |v: String| {
        draft.update(|d| {
            d.form.insert(f.id.to_string(), v);
        })
    };
    let label = say(f.label, lang);
    let hint = say(f.hint, lang);
    move || {
        if !asked.get() {
            return ().into_any();
        }
        let (id, initial) = (id.clone(), initial.clone());
        let error = {
            let id = id.clone();
            Memo::new(move |_| error_for(problems, &id))
        };
        let invalid = move || error.with(Option::is_some);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described = {
            let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
            move || {
                let mut ids = Vec::new();
                if !hint.is_empty() {
                    ids.push(hint_id.clone());
                }
                if invalid() {
                    ids.push(error_id.clone());
                }
                (!ids.is_empty()).then(|| ids.join(" "))
            }
        };
        let hint_view =
            (!hint.is_empty()).then(|| view! { <p id=hint_id.clone() class="hint">{hint}</p> });
        let error_view = move || {
            error.get().map(|m| view! { <p id=error_id.clone() class="field-error">{m}</p> })
        };
        match f.kind {
            Kind::Choice { options } => {
                let radios = radios(&id, options, initial, set, lang);
                view! {
                    <fieldset class="field" class:field-invalid=invalid aria-describedby=described>
                        <legend class="label">{label}</legend>
                        {hint_view}
                        {error_view}
                        {radios}
                    </fieldset>
                }
                .into_any()
            }
            Kind::List { options } => {
                // A long official list: a dropdown, nothing chosen until the
                // citizen chooses (no default to miss).
                let items = options
                    .iter()
                    .map(|o| view! { <option value=*o selected=initial == *o>{*o}</option> })
                    .collect_view();
                view! {
                    <div class="field" class:field-invalid=invalid>
                        <label for=id.clone() class="label">{label}</label>
                        {hint_view}
                        {error_view}
                        <select id=id.clone() name=id.clone() class="input"
                            aria-invalid=move || invalid().then_some("true")
                            aria-describedby=described
                            on:change=move |ev| set(event_target_value(&ev))>
                            <option value="" selected=initial.is_empty()>
                                {say(("— Chọn —", "— Choose —"), lang)}
                            </option>
                            {items}
                        </select>
                    </div>
                }
                .into_any()
            }
            Kind::Lines { .. } => view! {
                <div class="field" class:field-invalid=invalid>
                    <label for=id.clone() class="label">{label}</label>
                    {hint_view}
                    {error_view}
                    <textarea id=id.clone() name=id.clone() class="input" rows="4"
                        aria-invalid=move || invalid().then_some("true")
                        aria-describedby=described
                        prop:value=initial
                        on:input=move |ev| set(event_target_value(&ev))></textarea>
                </div>
            }
            .into_any(),
            kind => {
                let numeric = matches!(kind, Kind::Date | Kind::CitizenId);
                view! {
                    <div class="field" class:field-invalid=invalid>
                        <label for=id.clone() class="label">{label}</label>
                        {hint_view}
                        {error_view}
                        <input id=id.clone() name=id.clone() class="input" type="text"
                            autocomplete="off"
                            inputmode=numeric.then_some("numeric")
                            aria-invalid=move || invalid().then_some("true")
                            aria-describedby=described
                            prop:value=initial
                            on:input=move |ev| set(event_target_value(&ev))/>
                    </div>
                }
                .into_any()
            }
        }
    }
}
