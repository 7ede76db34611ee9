//! Registration (one question per page) and password reset. Both end with
//! the same two pages: the one-time code, then the password. What is typed
//! is kept in the tab (`account::Draft`), so reload and Back lose nothing.

use crate::bundles::texts::account::ac;
use crate::router::Page;
use contract::validate::{self, Date};
use leptos::prelude::*;

use crate::account::{check, first_open_step, Draft, Step};
use crate::api;
use crate::components::form::{
    show, show_api, text_of, Busy, Field, FormKit, FormPage, NewPassword, Problems,
};
use crate::ctx::{use_ctx, use_texts};
use crate::router::use_location;

/// Which journey a code or password page belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Journey {
    Register,
    Reset,
}

impl Journey {
    fn key(self) -> &'static str {
        match self {
            Journey::Register => crate::storage::REGISTER,
            Journey::Reset => crate::storage::RESET,
        }
    }
    /// Its page at `step`.
    fn page(self, step: Step) -> Page {
        match self {
            Journey::Register => Page::Register(step),
            Journey::Reset => Page::Reset(Some(step)),
        }
    }
}

use crate::storage::session;

fn load(j: Journey) -> Draft {
    session()
        .and_then(|s| s.get_item(j.key()).ok().flatten())
        .and_then(|t| crate::json::parse(&t))
        .unwrap_or_default()
}

fn save(j: Journey, d: &Draft) {
    if let (Some(s), Some(t)) = (session(), crate::json::to_string(d)) {
        let _ = s.set_item(j.key(), &t);
    }
}

/// Forget every journey's draft (finished, or signing out on a shared device).
pub fn forget_drafts() {
    if let Some(s) = session() {
        let _ = s.remove_item(Journey::Register.key());
        let _ = s.remove_item(Journey::Reset.key());
    }
}

pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date { year: d.get_full_year() as u16, month: d.get_month() as u8 + 1, day: d.get_date() as u8 }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A draft field as a signal that writes through to the tab's storage.
fn kept(
    j: Journey,
    draft: RwSignal<Draft>,
    get: fn(&Draft) -> &String,
    set: fn(&mut Draft, String),
) -> RwSignal<String> {
    let value = RwSignal::new(get(&draft.get_untracked()).clone());
    Effect::new(move |_| {
        let v = value.get();
        draft.update(|d| set(d, v));
        save(j, &draft.get_untracked());
    });
    value
}

#[component]
pub fn Register(step: Step) -> impl IntoView {
    let t = use_texts().get_untracked();
    let draft = RwSignal::new(load(Journey::Register));
    // Came from a sign-in that was on its way somewhere: go back there at the end.
    let asked = use_location().param("tiep");
    if !asked.is_empty() {
        let next = asked;
        draft.update(|d| d.next = crate::router::safe_next(Some(&next)));
        save(Journey::Register, &draft.get_untracked());
    }
    // Never past a page not yet done (a deep link, or a reload after the tab's storage was cleared).
    let open = first_open_step(&draft.get_untracked(), today());
    let step = if step.number() > open.number() {
        use_location().replace(&Page::Register(open).href());
        open
    } else {
        step
    };
    let back = step
        .previous()
        .map(|p| view! { <p class="back"><a href=Page::Register(p).href()>{ac(t).back}</a></p> });
    let body = match step {
        Step::Code => view! { <CodeStep journey=Journey::Register draft=draft/> }.into_any(),
        Step::Password => {
            view! { <PasswordStep journey=Journey::Register draft=draft/> }.into_any()
        }
        _ => view! { <Question step=step draft=draft/> }.into_any(),
    };
    view! {
        {back}
        <p class="step-of">{t.count(ac(t).step_of, step.number())}</p>
        {body}
    }
}

/// One of the first four registration pages.
#[component]
fn Question(step: Step, draft: RwSignal<Draft>) -> impl IntoView {
    let FormKit { t, ctx, location, problems, busy } = FormKit::new();
    let j = Journey::Register;
    // A page of one question: its field is the question itself.
    let one = move |id, (label, hint), value, (inputmode, autocomplete)| {
        let field = view! {
            <Field id=id label=label hint=hint problems=problems value=value
                inputmode=inputmode autocomplete=autocomplete/>
        };
        (label, field.into_any())
    };
    let (title, fields) = match step {
        Step::CitizenId => one(
            "citizen_id",
            (ac(t).q_citizen_id, ac(t).citizen_id_hint),
            kept(j, draft, |d| &d.citizen_id, |d, v| d.citizen_id = v),
            ("numeric", "off"),
        ),
        Step::Name => one(
            "full_name",
            (ac(t).q_name, ac(t).name_hint),
            kept(j, draft, |d| &d.full_name, |d, v| d.full_name = v),
            ("", "name"),
        ),
        Step::Birth => one(
            "birth_date",
            (ac(t).q_birth, ac(t).birth_hint),
            kept(j, draft, |d| &d.birth_date, |d, v| d.birth_date = v),
            ("numeric", "bday"),
        ),
        _ => (
            ac(t).q_contact,
            view! {
                <Field id="phone" label=ac(t).phone_label hint=ac(t).phone_hint problems=problems
                    value=kept(j, draft, |d| &d.phone, |d, v| d.phone = v)
                    kind="tel" autocomplete="tel"/>
                <Field id="email" label=ac(t).email_label problems=problems
                    value=kept(j, draft, |d| &d.email, |d, v| d.email = v)
                    kind="email" autocomplete="email"/>
            }
            .into_any(),
        ),
    };
    let submit = busy.submit(move || {
        let d = draft.get_untracked();
        let found: Vec<(&'static str, String)> =
            check(step, &d, today()).iter().map(|(f, p)| (*f, text_of(p))).collect();
        if !found.is_empty() {
            return show(problems, found);
        }
        problems.set(Vec::new());
        if step != Step::Contact {
            if let Some(next) = step.next() {
                location.navigate(&Page::Register(next).href());
            }
            return;
        }
        let req = contract::account::RegisterRequest {
            citizen_id: d.citizen_id.clone(),
            full_name: d.full_name.clone(),
            birth_date: d.birth_date.clone(),
            phone: d.phone.clone(),
            email: d.email.clone(),
        };
        busy.run(async move {
            match api::account::register(&ctx.api_base(), &req).await {
                Ok(sent) => {
                    draft.update(|d| d.code_sent(sent, now_ms()));
                    save(j, &draft.get_untracked());
                    location.navigate(&Page::Register(Step::Code).href());
                }
                Err(e) => show_api(
                    problems,
                    &e,
                    t,
                    &["citizen_id", "full_name", "birth_date", "phone", "email"],
                ),
            }
        });
    });
    let button = if step == Step::Contact { ac(t).send_code } else { ac(t).continue_button };
    view! {
        <FormPage title=title.to_string() problems=problems busy=busy on_submit=submit button=button>
            {fields}
        </FormPage>
    }
}

/// The code page: enter the six digits; ask for a new code after the wait.
#[component]
fn CodeStep(journey: Journey, draft: RwSignal<Draft>) -> impl IntoView {
    let FormKit { t, ctx, location, problems, busy } = FormKit::new();
    let code = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    // Seconds until a new code may be asked for, counted down on screen.
    let wait = RwSignal::new(0u64);
    let tick = move || {
        let left = ((draft.get_untracked().resend_at - now_ms()) / 1000.0).ceil();
        wait.set(if left > 0.0 { left as u64 } else { 0 });
    };
    tick();
    if let Ok(h) = set_interval_with_handle(tick, std::time::Duration::from_secs(1)) {
        on_cleanup(move || h.clear());
    }
    let submit = busy.submit(move || {
        let typed = match validate::one_time_code(&code.get_untracked()) {
            Ok(c) => c,
            Err(p) => return show(problems, vec![("code", text_of(&p))]),
        };
        let challenge = draft.get_untracked().challenge;
        busy.run(async move {
            match api::account::verify(&ctx.api_base(), &challenge, &typed).await {
                Ok(()) => {
                    draft.update(|d| d.verified = true);
                    save(journey, &draft.get_untracked());
                    problems.set(Vec::new());
                    location.navigate(&journey.page(Step::Password).href());
                }
                Err(e) => show_api(problems, &e, t, &["code"]),
            }
        });
    });
    // One resend at a time: a second tap while the first is on its way does nothing.
    let resending = Busy::new();
    let resend = move |_| {
        if resending.is_on() || wait.get_untracked() > 0 {
            return;
        }
        let challenge = draft.get_untracked().challenge;
        resending.run(async move {
            match api::account::resend(&ctx.api_base(), &challenge).await {
                Ok(sent) => {
                    draft.update(|d| d.resend_at = now_ms() + sent.resend_in as f64 * 1000.0);
                    save(journey, &draft.get_untracked());
                    tick();
                    problems.set(Vec::new());
                    status.set(ac(t).code_resent.to_string());
                    code.set(String::new());
                }
                Err(e) => {
                    if let Some(s) = crate::components::form::retry_after(&e) {
                        draft.update(|d| d.resend_at = now_ms() + s as f64 * 1000.0);
                        tick();
                    }
                    show_api(problems, &e, t, &[]);
                }
            }
        });
    };
    let sent_to = ac(t).code_sent.replace("{phone}", &draft.get_untracked().phone_hint);
    view! {
        <FormPage title=ac(t).q_code.to_string() problems=problems busy=busy on_submit=submit
            button=ac(t).continue_button lead=sent_to>
            <Field id="code" label=ac(t).code_label problems=problems value=code
                inputmode="numeric" autocomplete="one-time-code"/>
        </FormPage>
        <p class="resend">
            <button type="button" class="button button-secondary" on:click=resend
                disabled={move || wait.get() > 0 || resending.get()}>
                {ac(t).resend}
            </button>
            <span class="hint" role="status">{move || status.get()}</span>
            // The countdown changes every second: shown, not announced.
            <span class="hint countdown">
                {move || { let w = wait.get(); if w > 0 { format!(" {}", t.count(ac(t).resend_in, w as usize)) } else { String::new() } }}
            </span>
        </p>
    }
}

/// The password page: set it, and be signed in.
#[component]
fn PasswordStep(journey: Journey, draft: RwSignal<Draft>) -> impl IntoView {
    let FormKit { t, ctx, location, problems, busy } = FormKit::new();
    let password = RwSignal::new(String::new());
    let submit = busy.submit(move || {
        let pw = password.get_untracked();
        if let Err(p) = validate::password(&pw) {
            return show(problems, vec![("password", text_of(&p))]);
        }
        let challenge = draft.get_untracked().challenge;
        busy.run(async move {
            match api::account::set_password(&ctx.api_base(), &challenge, &pw).await {
                Ok(me) => {
                    ctx.me.set(Some(me));
                    let next = draft.get_untracked().next;
                    forget_drafts();
                    location.navigate(&if journey == Journey::Register && !next.is_empty() {
                        next
                    } else if journey == Journey::Register {
                        Page::Welcome.href()
                    } else {
                        Page::Account.href()
                    });
                }
                Err(e) => show_api(problems, &e, t, &["password"]),
            }
        });
    });
    let (title, button) = match journey {
        Journey::Register => (ac(t).q_password, ac(t).create_account),
        Journey::Reset => (ac(t).new_password, ac(t).save_password),
    };
    view! {
        <FormPage title=title.to_string() problems=problems busy=busy on_submit=submit button=button>
            <NewPassword value=password problems=problems/>
        </FormPage>
    }
}

/// Password reset: who you are, then the code, then a new password.
#[component]
pub fn Reset(step: Option<Step>) -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let location = use_location();
    let j = Journey::Reset;
    let draft = RwSignal::new(load(j));
    let d = draft.get_untracked();
    // Pages reached too early fall back to the first.
    let step = match step {
        Some(Step::Code) if !d.challenge.is_empty() => Some(Step::Code),
        Some(Step::Password) if d.verified => Some(Step::Password),
        Some(_) => {
            location.replace(&Page::Reset(None).href());
            None
        }
        None => None,
    };
    match step {
        Some(Step::Code) => view! {
            <p class="back"><a href=Page::Reset(None).href()>{ac(t).back}</a></p>
            <CodeStep journey=j draft=draft/>
        }
        .into_any(),
        Some(_) => view! { <PasswordStep journey=j draft=draft/> }.into_any(),
        None => {
            let problems: Problems = RwSignal::new(Vec::new());
            let identifier = kept(j, draft, |d| &d.identifier, |d, v| d.identifier = v);
            let busy = Busy::new();
            let submit = busy.submit(move || {
                let id = identifier.get_untracked();
                if id.trim().is_empty() {
                    return show(
                        problems,
                        vec![("identifier", ac(t).identifier_label.to_string())],
                    );
                }
                busy.run(async move {
                    match api::account::reset(&ctx.api_base(), &id).await {
                        Ok(sent) => {
                            draft.update(|d| d.code_sent(sent, now_ms()));
                            save(j, &draft.get_untracked());
                            location.navigate(&Page::Reset(Some(Step::Code)).href());
                        }
                        Err(e) => show_api(problems, &e, t, &["identifier"]),
                    }
                });
            });
            view! {
                <p class="back"><a href=Page::SignIn.href()>{ac(t).back}</a></p>
                <FormPage title=ac(t).reset_title.to_string() problems=problems busy=busy
                    on_submit=submit button=ac(t).send_code lead=ac(t).reset_lead.to_string()>
                    <Field id="identifier" label=ac(t).identifier_label problems=problems value=identifier
                        autocomplete="username"/>
                </FormPage>
            }
            .into_any()
        }
    }
}
