//! Signing a kiosk in from the citizen's own phone (the portal's side is
//! `http::pairing`): on the kiosk, the QR panel of the sign-in page; on the
//! phone, the page its link opens (`/ket-noi-kiosk/<code>`).

use crate::router::Page;
use contract::account::{pairing_path, PairingStarted};
use leptos::prelude::*;

use crate::api::account::{self as account_api, Collected};
use crate::bundles::accounts::pairing_texts::pt;
use crate::components::form::{focus_id, Busy};
use crate::components::page::PageHeading;
use crate::components::qr::QrCode;
use crate::ctx::{use_ctx, use_texts};
use crate::router::use_location;

/// How often the kiosk asks whether the phone has confirmed.
const POLL_SECONDS: u64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    Asking,
    Waiting,
    /// The phone has opened the link.
    Opened,
    Expired,
    Failed,
}

/// On a kiosk's sign-in page: a QR code for the citizen's phone. When the
/// phone confirms, this kiosk is signed in and goes on to `next`.
///
/// While a code is waiting it counts as the person's activity (they are
/// busy with their phone), so the kiosk does not wipe itself under them;
/// once it expires, the kiosk's idle countdown runs as usual.
#[component]
pub fn KioskPairing(next: String) -> impl IntoView {
    let t = use_texts().get_untracked();
    let p = pt(t);
    let ctx = use_ctx();
    let location = use_location();
    let pairing = RwSignal::new(None::<PairingStarted>);
    let shown = RwSignal::new(Shown::Asking);
    let left = RwSignal::new(0u64);
    let asking = RwSignal::new(false);
    let start = move || {
        shown.set(Shown::Asking);
        leptos::task::spawn_local(async move {
            match account_api::start_pairing(&ctx.api_base()).await {
                Ok(s) => {
                    left.try_set(s.expires_in);
                    pairing.try_set(Some(s));
                    shown.try_set(Shown::Waiting);
                }
                Err(_) => {
                    pairing.try_set(None);
                    shown.try_set(Shown::Failed);
                }
            }
        });
    };
    start();
    let poll = move || {
        let Some(code) = pairing.with_untracked(|p| p.as_ref().map(|p| p.code.clone())) else {
            return;
        };
        if !matches!(shown.get_untracked(), Shown::Waiting | Shown::Opened)
            || asking.get_untracked()
        {
            return;
        }
        if left.get_untracked() <= POLL_SECONDS {
            return shown.set(Shown::Expired);
        }
        left.update(|l| *l -= POLL_SECONDS);
        crate::kiosk::still_here();
        asking.set(true);
        let next = next.clone();
        leptos::task::spawn_local(async move {
            match account_api::collect_pairing(&ctx.api_base(), &code).await {
                Ok(Collected::SignedIn(me)) => {
                    ctx.me.try_set(Some(me));
                    location.navigate(&next);
                }
                Ok(Collected::Waiting(w)) => {
                    left.try_set(w.expires_in);
                    if w.opened && shown.try_get_untracked() == Some(Shown::Waiting) {
                        shown.try_set(Shown::Opened);
                    }
                }
                Err(e) if e.is_not_found() => {
                    shown.try_set(Shown::Expired);
                }
                // A dropped answer: ask again at the next tick.
                Err(_) => {}
            }
            asking.try_set(false);
        });
    };
    if let Ok(h) = set_interval_with_handle(poll, std::time::Duration::from_secs(POLL_SECONDS)) {
        on_cleanup(move || h.clear());
    }
    let origin = window().location().origin().unwrap_or_default();
    let code_view = move || {
        let live = matches!(shown.get(), Shown::Waiting | Shown::Opened);
        pairing.get().filter(|_| live).map(|s| {
            let link = format!("{origin}{}", pairing_path(&s.code));
            view! {
                <QrCode text=link class="qr pairing-qr" label=p.k_qr/>
                <p class="amount">
                    {p.k_check_label} ": " <strong id="pairing-check">{s.check.clone()}</strong>
                </p>
            }
        })
    };
    let again = move || {
        matches!(shown.get(), Shown::Expired | Shown::Failed).then(|| {
            view! {
                <button type="button" id="pairing-new" class="button" on:click=move |_| start()>
                    {p.k_new_code}
                </button>
            }
        })
    };
    let check = move || {
        let digits = pairing.with(|s| s.as_ref().map(|s| s.check.clone()).unwrap_or_default());
        p.k_step_check.replace("{check}", &digits)
    };
    view! {
        <section class="panel" aria-labelledby="pairing-h">
            <h2 id="pairing-h">{p.k_title}</h2>
            <p>{p.k_lead}</p>
            {code_view}
            <p id="pairing-status" role="status">
                {move || match shown.get() {
                    Shown::Asking => t.loading,
                    Shown::Waiting => p.k_waiting,
                    Shown::Opened => p.k_opened,
                    Shown::Expired => p.k_expired,
                    Shown::Failed => p.k_failed,
                }}
            </p>
            {again}
            <ol class="pairing-steps">
                <li>{p.k_step_scan}</li>
                <li>{p.k_step_sign_in}</li>
                <li>{check}</li>
            </ol>
        </section>
        <h2>{p.k_password_title}</h2>
    }
}

/// On the phone: confirm that the kiosk in front of the citizen may sign
/// in with their account.
#[component]
pub fn ConfirmKiosk(code: String) -> impl IntoView {
    let t = use_texts().get_untracked();
    let p = pt(t);
    let ctx = use_ctx();
    let here = pairing_path(&code);
    crate::ctx::require_account(move || here.clone());
    // Asked once someone is signed in (the portal answers only them).
    let code_for_info = code.clone();
    let info = LocalResource::new(move || {
        let signed_in = ctx.me.with(Option::is_some);
        let code = code_for_info.clone();
        async move {
            if !signed_in {
                return None;
            }
            Some(account_api::pairing_info(&ctx.api_base(), &code).await)
        }
    });
    let done = RwSignal::new(false);
    let busy = Busy::new();
    let failure = RwSignal::new(None::<String>);
    let explain = move |e: &crate::api::FetchError| {
        if e.is_not_found() {
            p.p_gone.to_string()
        } else {
            crate::components::form::explain(e, t)
        }
    };
    let confirm = move |_| {
        if busy.is_on() {
            return;
        }
        let code = code.clone();
        busy.run(async move {
            match account_api::approve_pairing(&ctx.api_base(), &code).await {
                Ok(()) => {
                    done.try_set(true);
                    focus_id("pairing-done");
                }
                Err(e) => {
                    failure.try_set(Some(explain(&e)));
                    focus_id("pairing-error");
                }
            }
        });
    };
    let name = move || ctx.me.with(|m| m.as_ref().map(|m| m.full_name.clone()).unwrap_or_default());
    let is_error = Signal::derive(move || {
        failure.with(Option::is_some) || matches!(info.get(), Some(Some(Err(_))))
    });
    let body = move || match info.get() {
        None | Some(None) => view! { <p class="loading">{t.loading}</p> }.into_any(),
        Some(Some(Err(e))) => view! {
            <div class="notice notice-error" role="alert"><p>{explain(&e)}</p></div>
        }
        .into_any(),
        Some(Some(Ok(i))) => {
            if done.get() {
                return view! {
                    <div id="pairing-done" class="notice" tabindex="-1">
                        <p><strong>{p.p_done}</strong></p>
                        <p>{p.p_done_next}</p>
                    </div>
                }
                .into_any();
            }
            view! {
                <p>{move || p.p_lead.replace("{name}", &name())}</p>
                <p class="amount">
                    {p.p_check} ": " <strong id="pairing-check">{i.check.clone()}</strong>
                </p>
                <p class="notice">{p.p_warning}</p>
                {move || failure.get().map(|m| view! {
                    <div id="pairing-error" class="notice notice-error" role="alert" tabindex="-1"><p>{m}</p></div>
                })}
                <p class="actions-row">
                    <button type="button" id="pairing-confirm" class="button" on:click=confirm.clone()
                        aria-disabled=move || busy.get().then_some("true")>
                        {p.p_confirm}
                    </button>
                    <a class="button button-secondary" href=Page::Home.href()>{p.p_cancel}</a>
                </p>
            }
            .into_any()
        }
    };
    view! {
        <PageHeading text=p.p_title.to_string() error=is_error/>
        {body}
    }
}
