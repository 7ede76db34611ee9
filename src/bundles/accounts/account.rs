//! Sign-in, the welcome page after registering, and the account page.

use crate::account::Step;
use crate::bundles::texts::account::ac;
use crate::router::{use_location, Page};
use leptos::prelude::*;

use crate::api;
use crate::components::form::{
    from_api, has_problems, retry_after, show, show_api, text_of, Busy, ErrorSummary, Field,
    FormKit, Problems,
};
use crate::components::page::PageHeading;
use crate::ctx::{use_ctx, use_texts};
use crate::router::safe_next;
use contract::account::{VneidFailure, VNEID_FAILED_PARAM, VNEID_START};
use contract::validate;

/// `?tiep=` (where to return) and `?het-han=1` (the session had expired).
#[component]
pub fn SignIn() -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let location = use_location();
    let asked = location.param("tiep");
    let next = safe_next(Some(asked.as_str()).filter(|a| !a.is_empty()));
    // Registering keeps the way back to where the citizen was going.
    let register_href = Page::Register(Step::CitizenId).with(&[("tiep", &asked)]);
    let notice = if !location.param("het-han").is_empty() {
        Some(t.session_expired)
    } else if !asked.is_empty() {
        Some(ac(t).sign_in_needed)
    } else {
        None
    };
    let problems: Problems = RwSignal::new(Vec::new());
    let identifier = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = Busy::new();
    // "Try again in N seconds", counted down while it lasts.
    let wait = RwSignal::new(0u64);
    if let Ok(h) = set_interval_with_handle(
        move || {
            let w = wait.get_untracked();
            if w > 0 {
                wait.set(w - 1);
                if w == 1 {
                    problems.set(Vec::new());
                } else {
                    problems.set(vec![(String::new(), t.count(t.rate_limited, (w - 1) as usize))]);
                }
            }
        },
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || h.clear());
    }
    let next_by_phone = next.clone();
    let failed = VneidFailure::from_slug(&location.param(VNEID_FAILED_PARAM));
    let vneid_next = next.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if wait.get_untracked() > 0 {
            return;
        }
        let (id, pw) = (identifier.get_untracked(), password.get_untracked());
        let mut missing = Vec::new();
        if id.trim().is_empty() {
            missing.push(("identifier", ac(t).identifier_label.to_string()));
        }
        if pw.is_empty() {
            missing.push(("password", t.password_label.to_string()));
        }
        if !missing.is_empty() {
            return show(problems, missing);
        }
        let next = next.clone();
        busy.run(async move {
            match api::account::sign_in(&ctx.api_base(), &id, &pw).await {
                Ok(me) => {
                    ctx.me.set(Some(me));
                    location.navigate(&next);
                }
                Err(e) => {
                    if let Some(s) = retry_after(&e) {
                        wait.set(s);
                    }
                    show_api(problems, &e, t, &["identifier"]);
                }
            }
        });
    };
    let shown = RwSignal::new(false);
    // On a shared kiosk, the citizen's own phone first: no password typed here.
    // (The pairing box ends with "Hoặc đăng nhập bằng mật khẩu" itself.)
    let kiosk = crate::kiosk::on_screen();
    let by_phone = kiosk
        .then(|| view! { <crate::bundles::accounts::pairing::KioskPairing next=next_by_phone/> });
    view! {
        <PageHeading
            text=if failed.is_some() { ac(t).vneid_failed_title } else { ac(t).sign_in_title }.to_string()
            error=Signal::derive(move || failed.is_some() || problems.with(|p| !p.is_empty()))/>
        {notice.map(|n| view! { <p class="notice">{n}</p> })}
        <VneidWay next=vneid_next failed=failed or=!kiosk/>
        {by_phone}
        <ErrorSummary problems=problems/>
        <form class="form" novalidate on:submit=submit>
            <Field id="identifier" label=ac(t).identifier_label problems=problems value=identifier
                autocomplete="username"/>
            <div class="field">
                <label for="password" class="label">{t.password_label}</label>
                <div class="password-row">
                    <input id="password" name="password" class="input" autocomplete=crate::components::form::autofill("current-password")
                        type=move || if shown.get() { "text" } else { "password" }
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                    <crate::components::form::RevealPassword shown=shown/>
                </div>
            </div>
            <button type="submit" class="button" aria-disabled=move || (busy.get() || wait.get() > 0).then_some("true")>
                {ac(t).sign_in_title}
            </button>
        </form>
        <p><a href=Page::Reset(None).href()>{ac(t).forgot_link}</a></p>
        <p>{ac(t).no_account} " " <a href=register_href>{ac(t).register_title}</a></p>
    }
}

#[component]
pub fn Welcome() -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let name =
        ctx.me.with_untracked(|m| m.as_ref().map(|m| m.full_name.clone()).unwrap_or_default());
    view! {
        <PageHeading text=ac(t).welcome_title.to_string()/>
        <p>{ac(t).welcome_body.replace("{name}", &name)}</p>
        <ul class="next-steps">
            <li><a href=Page::Procedures.href()>{ac(t).welcome_find}</a></li>
            <li><a href=Page::Procedures.with(&[("truc-tuyen", "1")])>{ac(t).welcome_online}</a></li>
            <li><a href=Page::Account.href()>{ac(t).welcome_account}</a></li>
        </ul>
    }
}

/// The account: details, e-mail, and a phone change confirmed by a code
/// sent to the new phone. Signed-out visitors are sent to sign in and back.
#[component]
pub fn Account() -> impl IntoView {
    let kit = FormKit::new();
    let FormKit { t, ctx, location, problems, .. } = kit;
    crate::ctx::require_account(|| Page::Account.href());
    let status = RwSignal::new(String::new());
    let email = RwSignal::new(
        ctx.me.with_untracked(|m| m.as_ref().map(|m| m.email.clone()).unwrap_or_default()),
    );
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // No phone yet (an account made with VNeID): said where texts are turned
    // on, and `?them-so=1` (the app's one question after such a sign-in)
    // comes straight to the phone field. Said here only, so no other
    // bundle carries these words.
    let no_phone = move || ctx.me.with(|m| m.as_ref().is_some_and(|m| m.phone.is_empty()));
    let no_phone_said = no_phone_words(t.lang);
    if !location.param("them-so").is_empty() {
        request_animation_frame(|| crate::components::form::focus_id("phone"));
    }
    let challenge = RwSignal::new(String::new());
    // An expired session: say so on the sign-in page, then come back here.
    let failed = move |e: api::FetchError, fields: &[&'static str]| {
        if matches!(&e, api::FetchError::Api { status: 401, .. }) {
            // Leave first: this page would otherwise redirect without saying why.
            location.navigate(&Page::SignIn.with(&[("het-han", "1"), ("tiep", "%2Ftai-khoan")]));
            ctx.me.set(None);
        } else {
            show(problems, from_api(&e, t, fields));
        }
    };
    // One request at a time: a second press while one is on its way does nothing.
    let save_email =
        submit_checked(kit, "email", email, validate::email, move |value| async move {
            match api::account::update_email(&ctx.api_base(), &value).await {
                Ok(me) => {
                    ctx.me.set(Some(me));
                    problems.set(Vec::new());
                    status.set(ac(t).saved.to_string());
                }
                Err(e) => failed(e, &["email"]),
            }
        });
    // Status texts: saved as soon as the box changes; on failure it shows
    // what is stored again, and says why.
    let set_texts = move |on: bool| set_status_texts(ctx, t, status, on, failed);
    let send_code = submit_checked(kit, "phone", phone, validate::phone, move |value| async move {
        match api::account::change_phone(&ctx.api_base(), &value).await {
            Ok(sent) => {
                problems.set(Vec::new());
                status.set(ac(t).code_sent.replace("{phone}", &sent.phone_hint));
                challenge.set(sent.challenge);
                crate::components::form::focus_id("code");
            }
            Err(e) => failed(e, &["phone"]),
        }
    });
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        confirm_phone(ctx, t, PhoneChange { code, challenge, phone, status, problems }, failed);
    };
    view! {
        <PageHeading text=ac(t).account_title.to_string() error=has_problems(problems)/>
        <ErrorSummary problems=problems/>
        <p class="status" role="status">{move || status.get()}</p>
        {who_you_are(ctx, t)}
        <form class="form" novalidate on:submit=save_email>
            <Field id="email" label=ac(t).email_label problems=problems value=email kind="email" autocomplete="email"/>
            <button type="submit" class="button">{ac(t).save}</button>
        </form>
        <section aria-labelledby="texts-h">
            <h2 id="texts-h">{ac(t).texts_title}</h2>
            <div class="field">
                <div class="choice choice-large">
                    <input type="checkbox" id="status-texts" aria-describedby="status-texts-hint"
                        prop:checked=move || ctx.me.with(|m| m.as_ref().is_none_or(|m| m.status_texts))
                        on:change=move |ev| set_texts(event_target_checked(&ev))/>
                    <label for="status-texts">{ac(t).texts_label}</label>
                </div>
                <p class="hint" id="status-texts-hint">{ac(t).texts_hint}</p>
            </div>
            // An account made with VNeID has no phone: the texts cannot reach it yet.
            {move || no_phone().then(|| view! {
                <p class="notice" id="texts-no-phone">{no_phone_said.0} " " <a href="#phone">{no_phone_said.1}</a></p>
            })}
        </section>
        <section aria-labelledby="phone-h">
            <h2 id="phone-h">{move || if no_phone() { no_phone_said.1 } else { ac(t).change_phone }}</h2>
            <form class="form" novalidate on:submit=send_code>
                <Field id="phone" label=ac(t).new_phone_label hint=ac(t).phone_hint problems=problems value=phone
                    kind="tel" autocomplete="tel"/>
                <button type="submit" class="button button-secondary">{ac(t).send_code}</button>
            </form>
            {move || (!challenge.get().is_empty()).then(|| view! {
                <form class="form" novalidate on:submit=confirm>
                    <Field id="code" label=ac(t).code_label problems=problems value=code
                        inputmode="numeric" autocomplete="one-time-code"/>
                    <button type="submit" class="button">{ac(t).confirm}</button>
                </form>
            })}
        </section>
    }
}

/// The account's details as the portal holds them, and the ways to one's
/// dossiers, drafts and (a volunteer's) residents' dossiers.
fn who_you_are(ctx: crate::ctx::Ctx, t: &'static crate::i18n::Texts) -> impl IntoView {
    let details = move || {
        ctx.me.get().map(|me| {
            view! {
                <dl class="details">
                    <div><dt>{ac(t).name_label}</dt><dd>{me.full_name}</dd></div>
                    <div><dt>{ac(t).citizen_id_label}</dt><dd>{me.citizen_id}</dd></div>
                    <div><dt>{ac(t).birth_label}</dt><dd>{me.birth_date}</dd></div>
                    <div><dt>{ac(t).phone_label}</dt><dd>{me.phone}</dd></div>
                </dl>
            }
        })
    };
    view! {
        {details}
        {move || ctx.me.with(|m| m.as_ref().is_some_and(|m| m.volunteer)).then(|| {
            let tt = crate::bundles::texts::track::texts(t.lang);
            view! {
                <p><span class="badge badge-good" id="volunteer-badge">{tt.volunteer_badge}</span></p>
                <p><a href=Page::Assisted.href()>{tt.assisted_title}</a></p>
            }
        })}
        <p><a href=Page::Mine.href()>{crate::bundles::texts::track::texts(t.lang).mine_title}</a></p>
        <p><a href=Page::Drafts.href()>{ac(t).drafts_title}</a></p>
    }
}

/// Said where texts are turned on when the account has no phone (made with
/// VNeID), and the link to add one. Here only, so no other bundle carries them.
fn no_phone_words(lang: crate::i18n::Lang) -> (&'static str, &'static str) {
    if lang == crate::i18n::Lang::Vi {
        (
            "Tài khoản chưa có số điện thoại nên chưa gửi được tin nhắn về hồ sơ cho bạn.",
            "Thêm số điện thoại",
        )
    } else {
        (
            "Your account has no phone number yet, so no texts about your dossiers can reach you.",
            "Add a phone number",
        )
    }
}

/// Status texts on or off, saved at once; on failure the box shows what is
/// stored again, and the page says why.
fn set_status_texts(
    ctx: crate::ctx::Ctx,
    t: &'static crate::i18n::Texts,
    status: RwSignal<String>,
    on: bool,
    failed: impl Fn(api::FetchError, &[&'static str]) + Copy + 'static,
) {
    leptos::task::spawn_local(async move {
        match api::account::set_status_texts(&ctx.api_base(), on).await {
            Ok(me) => {
                let said = if me.status_texts { ac(t).texts_on } else { ac(t).texts_off };
                ctx.me.set(Some(me));
                status.set(said.to_string());
            }
            Err(e) => {
                ctx.me.update(|_| {});
                failed(e, &["status-texts"]);
            }
        }
    });
}

/// The phone change's state on the account page.
#[derive(Clone, Copy)]
struct PhoneChange {
    code: RwSignal<String>,
    challenge: RwSignal<String>,
    phone: RwSignal<String>,
    status: RwSignal<String>,
    problems: Problems,
}

/// The code sent to the new phone, typed: checked, then the phone changed.
fn confirm_phone(
    ctx: crate::ctx::Ctx,
    t: &'static crate::i18n::Texts,
    p: PhoneChange,
    failed: impl Fn(api::FetchError, &[&'static str]) + Copy + 'static,
) {
    let PhoneChange { code, challenge, phone, status, problems } = p;
    let typed = match contract::validate::one_time_code(&code.get_untracked()) {
        Ok(c) => c,
        Err(p) => return show(problems, vec![("code", text_of(&p))]),
    };
    let id = challenge.get_untracked();
    leptos::task::spawn_local(async move {
        let base = ctx.api_base();
        let done = match api::account::verify(&base, &id, &typed).await {
            Ok(()) => api::account::confirm_phone(&base, &id).await,
            Err(e) => Err(e),
        };
        match done {
            Ok(me) => {
                ctx.me.set(Some(me));
                problems.set(Vec::new());
                challenge.set(String::new());
                phone.set(String::new());
                code.set(String::new());
                status.set(ac(t).phone_changed.to_string());
            }
            Err(e) => failed(e, &["code"]),
        }
    });
}

/// "Đăng nhập bằng VNeID", the first way in, returning to `next`; with what
/// a failed VNeID sign-in (`?vneid=`) said. A page navigation to the portal,
/// which sends the browser on to VNeID: `target="_top"` (this same tab)
/// keeps the app's router from taking the click. `or`: end with "Hoặc đăng
/// nhập bằng mật khẩu" (not when another way comes between).
#[component]
fn VneidWay(next: String, failed: Option<VneidFailure>, or: bool) -> impl IntoView {
    let a = ac(use_texts().get_untracked());
    let href = format!("{VNEID_START}?tiep={}", crate::router::percent_encode(&next));
    view! {
        {failed.map(|f| view! {
            <div class="notice notice-error" role="alert" id="vneid-error"><p>{a.vneid_failure(f)}</p></div>
        })}
        <div class="vneid">
            <a id="vneid" class="button button-vneid" href=href target="_top">
                {if failed.is_some() { a.vneid_retry } else { a.vneid_button }}
            </a>
            <p class="hint">{a.vneid_hint}</p>
        </div>
        {or.then(|| view! { <h2 class="or">{a.vneid_or}</h2> })}
    }
}

/// A one-field form's submit: the field checked, then `send` with its
/// value, one request at a time.
fn submit_checked<Fut: std::future::Future<Output = ()> + 'static>(
    kit: FormKit,
    field: &'static str,
    typed: RwSignal<String>,
    check: fn(&str) -> Result<String, validate::Problem>,
    send: impl Fn(String) -> Fut + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) {
    kit.busy.submit(move || {
        let value = typed.get_untracked();
        match check(&value) {
            Ok(_) => kit.busy.run(send(value)),
            Err(p) => show(kit.problems, vec![(field, text_of(&p))]),
        }
    })
}
