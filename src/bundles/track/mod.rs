//! Tracking: look a dossier up (code + ID number, or a barcode scanner's
//! input), its status page with the timeline and the owner's actions, and
//! "Hồ sơ của tôi".

use contract::catalog::RequiredDocument;
use contract::status::DossierStatus;
use contract::tracking::{
    can_rate, can_withdraw, parse_tracking_text, ClaimRequest, Group, LookupRequest, Rating,
    Satisfaction, SupplementRequest, Tracking, WithdrawRequest,
};
use leptos::prelude::*;

use crate::api::{self, FetchError};
use crate::bundles::texts::track::{texts, TrackTexts};
use crate::bundles::uploader::Documents;
use crate::components::copy_link::CopyLink;
use crate::components::form::{
    focus_id, has_problems, show, show_api, Busy, ErrorSummary, Field, FormKit, Problems,
    SubmitButton,
};
use crate::components::page::PageHeading;
use crate::ctx::{use_ctx, use_texts};
use crate::i18n::{Lang, Texts};
use crate::router::{sign_in_then, use_location, Page};
use crate::wizard::Draft;

pub(super) fn tt() -> &'static TrackTexts {
    texts(use_texts().get_untracked().lang)
}

use crate::storage::local as storage;

/// The link a tracking view keeps (and the QR code carries).
pub fn status_href(code: &str, token: &str) -> String {
    Page::Status(code.to_string()).with(&[(contract::tracking::TOKEN_PARAM, token)])
}

pub(super) fn status_name(t: &Texts, s: DossierStatus) -> &'static str {
    s.label(t.lang == Lang::Vi)
}

/// One dossier of a list: the procedure linked to its status page, a line
/// naming it, its status (flagged `flag` when someone must act) and `dates`.
pub(super) fn dossier_card(
    name: String,
    href: String,
    about: String,
    status: DossierStatus,
    flag: &'static str,
    dates: String,
    // More lines at the card's foot (results to download).
    extra: AnyView,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let needs = Group::of(status) == Group::NeedsYou;
    view! {
        <li class="card" class:card-attention=needs>
            <h2 class="card-title"><a href=href>{name}</a></h2>
            <p class="card-meta">{about}</p>
            <p class="card-meta">
                <strong>{status_name(t, status)}</strong>
                {needs.then(|| view! { " " <span class="badge badge-late">{flag}</span> })}
            </p>
            <p class="card-meta">{dates}</p>
            {extra}
        </li>
    }
}

// ------------------------------------------------------------------ lookup

/// "Tra cứu hồ sơ": code + ID number. A barcode scanner types the code (or
/// the whole tracking link) and Enter into the code field: a link opens at
/// once; a bare code moves on to the ID field (or opens it for its
/// signed-in owner).
#[component]
pub fn Lookup() -> impl IntoView {
    let FormKit { t, ctx, location, problems, busy } = FormKit::new();
    let tt = tt();
    let code = RwSignal::new(location.param("ma"));
    let id = RwSignal::new(String::new());
    let submit = busy.submit(move || {
        let Some((c, token)) = parse_tracking_text(&code.get_untracked()) else {
            return show(problems, vec![("code", tt.code_invalid.to_string())]);
        };
        code.set(c.clone());
        if !token.is_empty() {
            return location.navigate(&status_href(&c, &token));
        }
        let cid = id.get_untracked();
        if cid.trim().is_empty() {
            if ctx.me.with_untracked(Option::is_some) {
                return location.navigate(&status_href(&c, ""));
            }
            // The scanner's Enter: carry on to the next field, no error yet.
            problems.set(Vec::new());
            return focus_id("citizen_id");
        }
        let req = LookupRequest { code: c.clone(), citizen_id: cid };
        busy.run(async move {
            match api::tracking::lookup(&ctx.api_base(), &req).await {
                Ok(found) => {
                    remember(&found);
                    pay::checked(&found.code, &req.citizen_id);
                    location.navigate(&status_href(&found.code, &found.token));
                }
                Err(e) if e.is_not_found() => {
                    show(problems, vec![("code", tt.lookup_not_found.to_string())]);
                }
                Err(e) => show_api(problems, &e, t, &["code", "citizen_id"]),
            }
        });
    });
    let has_problems = has_problems(problems);
    view! {
        <PageHeading text=tt.lookup_title.to_string() error=has_problems/>
        <p>{tt.lookup_lead}</p>
        <ul class="actions-row">
            <li><a class="button button-secondary" href=Page::Scan.href()>{tt.scan_link}</a></li>
            {move || ctx.me.with(Option::is_some).then(|| view! {
                <li><a class="button button-secondary" href=Page::Mine.href()>{tt.mine_link}</a></li>
            })}
        </ul>
        <ErrorSummary problems=problems/>
        <form class="form" novalidate on:submit=submit>
            <Field id="code" label=tt.code_label hint=tt.code_hint problems=problems value=code
                autocomplete="off"/>
            <Field id="citizen_id" label=tt.id_label hint=tt.id_hint problems=problems value=id
                inputmode="numeric" autocomplete="off"/>
            <SubmitButton busy=busy>
                {move || if busy.get() { t.loading } else { tt.lookup_button }}
            </SubmitButton>
        </form>
    }
}

mod actions;
mod mine;
mod pay;
pub mod scan;
mod status;
mod volunteers;

use actions::{Action, Claim, Rate, Supplement, Withdraw};
pub use mine::Mine;
use status::remember;
pub use status::{timeline_items, Status};
pub use volunteers::{Assisted, NextResident};

/// The tracking bundle's pages.
pub fn draw(shown: crate::router::Page, _: Memo<crate::router::Page>) -> AnyView {
    match shown {
        crate::router::Page::Track => view! { <Lookup/> }.into_any(),
        crate::router::Page::Status(code) => view! { <Status code=code/> }.into_any(),
        crate::router::Page::Scan => view! { <scan::Scan/> }.into_any(),
        _ => ().into_any(),
    }
}
