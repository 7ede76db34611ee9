//! Form pieces shared by every page that asks something: a field with its
//! label, hint and error beside it, an error summary that takes focus, and a
//! password field that shows which rules are met.

use contract::validate::{PasswordRules, Problem};
use leptos::prelude::*;

use crate::api::FetchError;
use crate::components::page::PageHeading;
use crate::ctx::use_texts;
use crate::i18n::{Lang, Texts};

/// A form's problems, in the page's language: (field id, message). An empty
/// field id is a problem of the whole form (no field to point at); one
/// starting with `/` is the path of the page where it can be fixed.
pub type Problems = RwSignal<Vec<(String, String)>>;

pub fn text_of(p: &Problem) -> String {
    match use_texts().get_untracked().lang {
        Lang::Vi => p.vi.clone(),
        Lang::En => p.en.clone(),
    }
}

/// Move focus to the element with `id` once the page has been drawn
/// (kept with the page heading's focus, which the kiosk uses too).
pub use super::page::focus_id;

/// Show `list` (if not empty) and move focus to the summary.
pub fn show<F: Into<String>>(problems: Problems, list: Vec<(F, String)>) {
    let any = !list.is_empty();
    problems.set(list.into_iter().map(|(f, m)| (f.into(), m)).collect());
    if any {
        focus_id("error-summary");
    }
}

/// An API failure as problems: per-field messages (in the page's language)
/// for the fields this form has, else one message for the whole form.
pub fn from_api(e: &FetchError, t: &Texts, fields: &[&'static str]) -> Vec<(String, String)> {
    match e {
        FetchError::Api { error, .. } => {
            let b = &error.error;
            let by_field = if t.lang == Lang::En && !b.fields_en.is_empty() {
                &b.fields_en
            } else {
                &b.fields
            };
            let mut out: Vec<(String, String)> = by_field
                .iter()
                .filter(|(f, _)| fields.is_empty() || fields.iter().any(|x| f.starts_with(x)))
                .map(|(f, m)| (f.clone(), m.clone()))
                .collect();
            if out.is_empty() {
                let general = match b.code.as_str() {
                    "bad_credentials" => t.bad_credentials.to_string(),
                    "rate_limited" => t.count(t.rate_limited, b.retry_after.unwrap_or(60) as usize),
                    "code_expired" => t.code_expired.to_string(),
                    "code_locked" => t.code_locked.to_string(),
                    "conflict" => t.conflict.to_string(),
                    "session_expired" | "unauthorized" => t.session_expired.to_string(),
                    _ => t.try_again.to_string(),
                };
                out.push((String::new(), general));
            }
            out
        }
        _ => vec![(String::new(), t.network_error.to_string())],
    }
}

/// Show an API failure as the form's problems (see `from_api`).
pub fn show_api(problems: Problems, e: &FetchError, t: &Texts, fields: &[&'static str]) {
    show(problems, from_api(e, t, fields))
}

/// An API failure as one sentence (a form without fields of its own).
pub fn explain(e: &FetchError, t: &Texts) -> String {
    from_api(e, t, &[]).into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ")
}

/// What a form page's handlers share: its texts, the app's context, where
/// it is (to move on), the problems it shows and its busy flag.
#[derive(Clone, Copy)]
pub struct FormKit {
    pub t: &'static Texts,
    pub ctx: crate::ctx::Ctx,
    pub location: crate::router::Location,
    pub problems: Problems,
    pub busy: Busy,
}

impl FormKit {
    pub fn new() -> FormKit {
        FormKit::default()
    }
}

impl Default for FormKit {
    fn default() -> Self {
        FormKit {
            t: use_texts().get_untracked(),
            ctx: crate::ctx::use_ctx(),
            location: crate::router::use_location(),
            problems: RwSignal::new(Vec::new()),
            busy: Busy::new(),
        }
    }
}

/// "Busy, call, show the outcome": a form's one request at a time. While
/// it runs, `get()` is true (buttons say `aria-disabled`) and another
/// `run` does nothing, so a double tap never sends twice.
#[derive(Clone, Copy)]
pub struct Busy(RwSignal<bool>);

impl Default for Busy {
    fn default() -> Self {
        Busy(RwSignal::new(false))
    }
}

impl Busy {
    pub fn new() -> Busy {
        Busy::default()
    }

    /// Tracked: for the view.
    pub fn get(self) -> bool {
        self.0.get()
    }

    /// Untracked: for handlers.
    pub fn is_on(self) -> bool {
        self.0.get_untracked()
    }

    /// A form's submit handler: the page stays put, and while busy a second
    /// press does nothing.
    pub fn submit(self, handle: impl Fn() + 'static) -> impl Fn(leptos::ev::SubmitEvent) {
        move |ev| {
            ev.prevent_default();
            if !self.is_on() {
                handle();
            }
        }
    }

    /// Run `work` unless already busy; busy until it ends (even if the
    /// page has gone meanwhile).
    pub fn run(self, work: impl std::future::Future<Output = ()> + 'static) {
        if self.0.get_untracked() {
            return;
        }
        self.0.set(true);
        leptos::task::spawn_local(async move {
            work.await;
            self.0.try_set(false);
        });
    }
}

/// An `autocomplete` hint, or "off" on a kiosk: a shared screen must not
/// offer one person's details to the next.
pub fn autofill(hint: &'static str) -> &'static str {
    if crate::kiosk::on_screen() {
        "off"
    } else {
        hint
    }
}

/// Seconds to wait, when the portal said "too many attempts".
pub fn retry_after(e: &FetchError) -> Option<u64> {
    match e {
        FetchError::Api { error, .. } if error.error.code == "rate_limited" => {
            error.error.retry_after
        }
        _ => None,
    }
}

#[component]
pub fn ErrorSummary(problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    move || {
        let list = problems.get();
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .map(|(id, msg)| {
                    if id.is_empty() {
                        view! { <li>{msg}</li> }.into_any()
                    } else if id.starts_with('/') {
                        // On another page (check your answers): a link there.
                        view! { <li><a href=id>{msg}</a></li> }.into_any()
                    } else {
                        view! {
                            <li><a href=format!("#{id}") on:click=move |ev| {
                                ev.prevent_default();
                                focus_id(id.clone());
                            }>{msg}</a></li>
                        }
                        .into_any()
                    }
                })
                .collect_view();
            view! {
                <div class="error-summary" id="error-summary" role="alert" tabindex="-1"
                    aria-labelledby="error-summary-h">
                    <h2 id="error-summary-h">{t.error_summary_title}</h2>
                    <ul>{items}</ul>
                </div>
            }
        })
    }
}

pub fn error_for(problems: Problems, id: &str) -> Option<String> {
    problems.with(|p| p.iter().find(|(f, _)| f == id).map(|(_, m)| m.clone()))
}

/// One input with its label, hint and (when there is one) its error.
#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    value: RwSignal<String>,
    problems: Problems,
    /// `type` of the input.
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional)] inputmode: &'static str,
) -> impl IntoView {
    let error = move || error_for(problems, id);
    let described = move || {
        let mut ids = Vec::new();
        if !hint.is_empty() {
            ids.push(format!("{id}-hint"));
        }
        if error().is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field" class:field-invalid=move || error().is_some()>
            <label for=id class="label">{label}</label>
            {(!hint.is_empty()).then(|| view! { <p id=format!("{id}-hint") class="hint">{hint}</p> })}
            {move || error().map(|m| view! { <p id=format!("{id}-error") class="field-error">{m}</p> })}
            <input id=id name=id class="input" type=kind
                autocomplete=autofill(if autocomplete.is_empty() { "on" } else { autocomplete })
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=described
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// Whether the form shows problems (the page title then says so).
pub fn has_problems(problems: Problems) -> Signal<bool> {
    Signal::derive(move || problems.with(|p| !p.is_empty()))
}

/// A form's submit button, marked unavailable while `busy` (it stays
/// focusable, so keyboard and screen-reader users still find it).
#[component]
pub fn SubmitButton(busy: Busy, children: Children) -> impl IntoView {
    view! {
        <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
            {children()}
        </button>
    }
}

/// A page that is one form: its heading (marked while the form has
/// problems), the error summary, a lead line, the fields and the button.
#[component]
pub fn FormPage<F>(
    title: String,
    problems: Problems,
    busy: Busy,
    on_submit: F,
    button: &'static str,
    #[prop(optional)] lead: String,
    children: Children,
) -> impl IntoView
where
    F: Fn(leptos::ev::SubmitEvent) + 'static,
{
    view! {
        <PageHeading text=title error=has_problems(problems)/>
        <ErrorSummary problems=problems/>
        {(!lead.is_empty()).then(|| view! { <p>{lead}</p> })}
        <form class="form" novalidate on:submit=on_submit>
            {children()}
            <SubmitButton busy=busy>{button}</SubmitButton>
        </form>
    }
}

/// The show / hide button beside the password input (`#password`).
#[component]
pub fn RevealPassword(shown: RwSignal<bool>) -> impl IntoView {
    let t = use_texts().get_untracked();
    view! {
        <button type="button" class="button button-secondary" aria-controls="password"
            aria-pressed=move || if shown.get() { "true" } else { "false" }
            on:click=move |_| shown.update(|s| *s = !*s)>
            {move || if shown.get() { t.hide_password } else { t.show_password }}
        </button>
    }
}

/// A new password: show/hide, paste and password managers allowed, and the
/// rules ticked as they are met (no vague strength meter).
#[component]
pub fn NewPassword(value: RwSignal<String>, problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    let shown = RwSignal::new(false);
    let rules = Memo::new(move |_| value.with(|v| PasswordRules::check(v)));
    let rule = move |text: &'static str, met: fn(PasswordRules) -> bool| {
        view! {
            <li class:met=move || met(rules.get())>
                {text}
                <span class="visually-hidden">
                    {move || if met(rules.get()) { format!(" ({})", t.rule_met) } else { format!(" ({})", t.rule_unmet) }}
                </span>
            </li>
        }
    };
    let error = move || error_for(problems, "password");
    view! {
        <div class="field" class:field-invalid=move || error().is_some()>
            <label for="password" class="label">{t.password_label}</label>
            <p id="password-rules-h" class="hint">{t.rules_title}</p>
            <ul class="rules" id="password-rules">
                {rule(t.rule_length, |r| r.length)}
                {rule(t.rule_lower, |r| r.lower)}
                {rule(t.rule_upper, |r| r.upper)}
                {rule(t.rule_digit, |r| r.digit)}
                {rule(t.rule_symbol, |r| r.symbol)}
            </ul>
            {move || error().map(|m| view! { <p id="password-error" class="field-error">{m}</p> })}
            <div class="password-row">
                <input id="password" name="password" class="input"
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autofill("new-password")
                    aria-invalid=move || error().is_some().then_some("true")
                    aria-describedby=move || if error().is_some() { "password-rules password-error" } else { "password-rules" }
                    prop:value=value
                    on:input=move |ev| value.set(event_target_value(&ev))/>
                <RevealPassword shown=shown/>
            </div>
        </div>
    }
}
