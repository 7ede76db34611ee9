//! Tracking: look a dossier up (code + ID number, or a barcode scanner's
//! input), its status page with the timeline and the owner's actions, and
//! "Hồ sơ của tôi".

use contract::catalog::RequiredDocument;
use contract::status::DossierStatus;
use contract::tracking::{
    can_rate, can_withdraw, parse_tracking_text, Group, LookupRequest, Rating, Satisfaction,
    SupplementRequest, Tracking, WithdrawRequest,
};
use leptos::prelude::*;

use crate::api::{self, FetchError};
use crate::app::{use_ctx, use_texts};
use crate::components::copy_link::CopyLink;
use crate::components::form::{focus_id, from_api, show, ErrorSummary, Field, Problems};
use crate::components::page::PageHeading;
use crate::i18n::track::{texts, TrackTexts};
use crate::i18n::{Lang, Texts};
use crate::pages::submit::Documents;
use crate::router::{parse_query, use_location};
use crate::wizard::Draft;

fn tt() -> &'static TrackTexts {
    texts(use_texts().get_untracked().lang)
}

use crate::storage::local as storage;

fn query_value(key: &str) -> String {
    parse_query(&use_location().query.get_untracked())
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// The link a tracking view keeps (and the QR code carries).
pub fn status_href(code: &str, token: &str) -> String {
    if token.is_empty() {
        format!("/tra-cuu/{code}")
    } else {
        format!("/tra-cuu/{code}?t={token}")
    }
}

fn status_name(t: &Texts, n: u8) -> &'static str {
    DossierStatus::from_number(n)
        .map(|s| if t.lang == Lang::Vi { s.vi() } else { s.en() })
        .unwrap_or("")
}

// ------------------------------------------------------------------ lookup

/// "Tra cứu hồ sơ": code + ID number. A barcode scanner types the code (or
/// the whole tracking link) and Enter into the code field: a link opens at
/// once; a bare code moves on to the ID field (or opens it for its
/// signed-in owner).
#[component]
pub fn Lookup() -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    let location = use_location();
    let problems: Problems = RwSignal::new(Vec::new());
    let code = RwSignal::new(query_value("ma"));
    let id = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
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
        busy.set(true);
        let req = LookupRequest {
            code: c.clone(),
            citizen_id: cid,
        };
        leptos::task::spawn_local(async move {
            match api::tracking::lookup(&ctx.api_base(), &req).await {
                Ok(found) => {
                    remember(&found);
                    location.navigate(&status_href(&found.code, &found.token));
                }
                Err(e) if e.is_not_found() => {
                    show(problems, vec![("code", tt.lookup_not_found.to_string())]);
                }
                Err(e) => show(problems, from_api(&e, t, &["code", "citizen_id"])),
            }
            busy.try_set(false);
        });
    };
    let has_problems = Signal::derive(move || problems.with(|p| !p.is_empty()));
    view! {
        <PageHeading text=tt.lookup_title.to_string() error=has_problems/>
        <p>{tt.lookup_lead}</p>
        <ul class="actions-row">
            <li><a class="button button-secondary" href="/quet-ma">{tt.scan_link}</a></li>
            {move || ctx.me.with(Option::is_some).then(|| view! {
                <li><a class="button button-secondary" href="/ho-so-cua-toi">{tt.mine_link}</a></li>
            })}
        </ul>
        <ErrorSummary problems=problems/>
        <form class="form" novalidate on:submit=submit>
            <Field id="code" label=tt.code_label hint=tt.code_hint problems=problems value=code
                autocomplete="off"/>
            <Field id="citizen_id" label=tt.id_label hint=tt.id_hint problems=problems value=id
                inputmode="numeric" autocomplete="off"/>
            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { t.loading } else { tt.lookup_button }}
            </button>
        </form>
    }
}

// ------------------------------------------------------------------ status

fn cache_key(code: &str) -> String {
    format!("{}{code}", crate::storage::TRACK)
}

/// Keep the last status seen, so the page opens offline (cleared at sign-out).
fn remember(t: &Tracking) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(t)) {
        let _ = s.set_item(&cache_key(&t.code), &json);
    }
}

fn remembered(code: &str) -> Option<Tracking> {
    storage()?
        .get_item(&cache_key(code))
        .ok()
        .flatten()
        .and_then(|j| serde_json::from_str(&j).ok())
}

fn forget(code: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&cache_key(code));
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Load {
    Loading,
    Fresh,
    /// The network failed; what is shown is the remembered status.
    Offline,
    NotFound,
    Failed,
}

#[component]
pub fn Status(code: String) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    let token = query_value("t");
    let data: RwSignal<Option<Tracking>> = RwSignal::new(remembered(&code));
    let load = RwSignal::new(Load::Loading);
    let fetch = {
        let (code, token) = (code.clone(), token.clone());
        move || {
            let (code, token) = (code.clone(), token.clone());
            let base = ctx.api_base();
            load.set(Load::Loading);
            leptos::task::spawn_local(async move {
                match api::tracking::track(&base, &code, &token).await {
                    Ok(fresh) => {
                        remember(&fresh);
                        data.try_set(Some(fresh));
                        load.try_set(Load::Fresh);
                    }
                    Err(e) if e.is_not_found() => {
                        forget(&code);
                        data.try_set(None);
                        load.try_set(Load::NotFound);
                    }
                    Err(FetchError::Network)
                        if data.try_with_untracked(Option::is_some) == Some(true) =>
                    {
                        load.try_set(Load::Offline);
                    }
                    Err(_) => {
                        load.try_set(Load::Failed);
                    }
                }
            });
        }
    };
    fetch();
    // Fresh again whenever the tab comes back into view or the network returns.
    let on_visible = {
        let fetch = fetch.clone();
        window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !document().hidden() {
                fetch();
            }
        })
    };
    let on_online = {
        let fetch = fetch.clone();
        window_event_listener(leptos::ev::online, move |_| fetch())
    };
    on_cleanup(move || {
        on_visible.remove();
        on_online.remove();
    });
    let heading_code = code.clone();
    let is_error = Signal::derive(move || {
        matches!(load.get(), Load::NotFound | Load::Failed) && data.with(Option::is_none)
    });
    let heading = Signal::derive(move || {
        if load.get() == Load::NotFound {
            tt.not_found_title.to_string()
        } else {
            tt.status_title.replace("{code}", &heading_code)
        }
    });
    let refresh = fetch.clone();
    let retry = fetch.clone();
    // The parts that only change with the status (so a refresh does not
    // redraw a form being filled in).
    let shape = Memo::new(move |_| {
        data.with(|d| d.as_ref().map(|d| (d.status, d.owner, d.rating.is_some())))
    });
    view! {
        <PageHeading text=heading error=is_error/>
        {move || match (load.get(), data.with(Option::is_some)) {
            (Load::NotFound, _) => view! {
                <div class="notice notice-error" role="alert"><p>{tt.not_found_body}</p></div>
                <p><a class="button" href="/tra-cuu">{tt.lookup_again}</a></p>
            }.into_any(),
            (Load::Failed, false) => view! {
                <div class="notice notice-error" role="alert">
                    <p>{t.network_error}</p>
                    <button type="button" class="button" on:click={let retry = retry.clone(); move |_| retry()}>{t.retry}</button>
                </div>
            }.into_any(),
            (_, false) => view! { <p class="loading">{t.loading}</p> }.into_any(),
            (_, true) => ().into_any(),
        }}
        {move || shape.get().map(|(status, owner, _)| {
            let d = data.get_untracked().expect("shape follows data");
            view! { <StatusView d=d status=status owner=owner data=data/> }
        })}
        {move || data.with(Option::is_some).then(|| {
            let refresh = refresh.clone();
            view! {
                <p class="freshness" role="status">
                    {move || match load.get() {
                        Load::Offline => tt.offline_status.replace("{time}", &data.with(|d| d.as_ref().map(|d| d.updated_at.clone()).unwrap_or_default())),
                        Load::Loading => tt.refreshing.to_string(),
                        _ => tt.updated.replace("{time}", &data.with(|d| d.as_ref().map(|d| d.updated_at.clone()).unwrap_or_default())),
                    }}
                    " "
                    <button type="button" class="button button-secondary" on:click=move |_| refresh()>{tt.refresh}</button>
                </p>
            }
        })}
    }
}

/// A dossier's status, what to do next, its details and timeline; the
/// owner's actions. Drawn again only when the status changes.
#[component]
fn StatusView(
    d: Tracking,
    status: u8,
    owner: bool,
    data: RwSignal<Option<Tracking>>,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let problems: Problems = RwSignal::new(Vec::new());
    let s = DossierStatus::from_number(status).unwrap_or(DossierStatus::Registered);
    let timeliness = d.timeliness.map(|x| {
        let label = if t.lang == Lang::Vi { x.vi() } else { x.en() };
        view! { <span class=if x.is_good() { "badge badge-good" } else { "badge badge-late" }>{label}</span> }
    });
    let latest_note = d.latest().map(|h| h.note.clone()).unwrap_or_default();
    let amount = d.latest().and_then(|h| h.amount);
    let due = if d.due_date.is_empty() {
        tt.no_due.to_string()
    } else {
        d.due_date.clone()
    };
    let history = d
        .history
        .iter()
        .map(|h| {
            let note = (!h.note.is_empty()).then(|| view! { <p class="timeline-note">{h.note.clone()}</p> });
            let amount = h
                .amount
                .map(|a| view! { <p class="timeline-note">{format!("{}: {} đ", tt.pay_amount, t.number(a as usize))}</p> });
            view! {
                <li class:timeline-citizen=h.by_citizen>
                    <p class="timeline-status"><strong>{status_name(t, h.status)}</strong></p>
                    <p class="muted"><time>{h.at.clone()}</time>
                        {h.by_citizen.then(|| format!(" · {}", tt.by_you))}</p>
                    {note}
                    {amount}
                </li>
            }
        })
        .collect_view();
    let code = d.code.clone();
    let wants_note = matches!(
        s,
        DossierStatus::Rejected | DossierStatus::Stopped | DossierStatus::SupplementRequested
    );
    let actions = if owner {
        view! {
            {(s == DossierStatus::SupplementRequested).then(|| view! {
                <Supplement code=code.clone() asked=latest_note.clone() data=data problems=problems/>
            })}
            {(s == DossierStatus::PaymentRequested).then(|| view! {
                <section class="panel" aria-labelledby="pay-h">
                    <h2 id="pay-h">{tt.pay_title}</h2>
                    {amount.map(|a| view! { <p class="amount"><span>{tt.pay_amount}: </span><strong>{format!("{} đ", t.number(a as usize))}</strong></p> })}
                    {(!latest_note.is_empty()).then(|| view! { <p>{latest_note.clone()}</p> })}
                    <p>{tt.pay_how.replace("{agency}", &d.agency_name).replace("{code}", &d.code)}</p>
                </section>
            })}
            {(can_rate(s)).then(|| view! { <Rate code=code.clone() rating=d.rating.clone() data=data problems=problems/> })}
            {(can_withdraw(s)).then(|| view! { <Withdraw code=code.clone() data=data problems=problems/> })}
        }
        .into_any()
    } else {
        let needs_owner = matches!(
            s,
            DossierStatus::SupplementRequested | DossierStatus::PaymentRequested
        ) || can_rate(s) && d.rating.is_none();
        let here = status_href(&d.code, &d.token);
        let next = String::from(js_sys::encode_uri_component(&here));
        view! {
            {(s == DossierStatus::PaymentRequested).then(|| amount.map(|a| view! {
                <p class="amount"><span>{tt.pay_amount}: </span><strong>{format!("{} đ", t.number(a as usize))}</strong></p>
            }))}
            {needs_owner.then(|| view! {
                <p class="notice"><a href=format!("/dang-nhap?tiep={next}")>{tt.sign_in_to_act}</a></p>
            })}
        }
        .into_any()
    };
    let receipt = format!("/bien-nhan/{}?t={}", d.code, d.token);
    view! {
        <ErrorSummary problems=problems/>
        <section class="status-box" aria-labelledby="status-h">
            <h2 id="status-h" class="visually-hidden">{tt.current}</h2>
            <p class="status-now"><span class="muted">{tt.current}: </span>
                <strong id="status">{status_name(t, status)}</strong> " " {timeliness}</p>
            <p id="next-step">{tt.next[(status.clamp(1, 10) - 1) as usize]}</p>
            {(wants_note && !latest_note.is_empty() && s != DossierStatus::SupplementRequested).then(|| view! {
                <p class="officer-note">{latest_note.clone()}</p>
            })}
        </section>
        {actions}
        <dl class="details">
            <div><dt>{tt.procedure}</dt><dd>{format!("{} ({})", d.procedure_name, d.procedure_code)}</dd></div>
            <div><dt>{tt.agency}</dt><dd>{d.agency_name.clone()}</dd></div>
            <div><dt>{tt.received}</dt><dd>{d.received_at.clone()}</dd></div>
            <div><dt>{tt.due}</dt><dd id="due-date">{due}</dd></div>
            <div><dt>{tt.fee}</dt><dd>{d.fee.clone()}</dd></div>
        </dl>
        <h2>{tt.timeline}</h2>
        <ol class="timeline" id="timeline">{history}</ol>
        <p class="no-print"><a href=receipt>{tt.receipt_link}</a></p>
        <CopyLink/>
    }
}

fn supplement_key(code: &str) -> String {
    format!("{}{code}", crate::storage::SUPPLEMENT)
}

/// Status 5: what is asked, and the same upload as the wizard's documents
/// page. Files chosen are kept (IndexedDB, then the portal); the list of
/// sent files and the note are kept on the device until the supplement goes.
#[component]
fn Supplement(
    code: String,
    asked: String,
    data: RwSignal<Option<Tracking>>,
    problems: Problems,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    let key = supplement_key(&code);
    let pending_key = format!("bs-{code}");
    let saved: Draft = storage()
        .and_then(|s| s.get_item(&key).ok().flatten())
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default();
    let draft = RwSignal::new(saved);
    {
        let key = key.clone();
        Effect::new(move |_| {
            let json = draft.with(|d| serde_json::to_string(d).unwrap_or_default());
            if let Some(s) = storage() {
                let _ = s.set_item(&key, &json);
            }
        });
    }
    let busy = RwSignal::new(false);
    let documents = vec![RequiredDocument {
        name: tt.supplement_doc.to_string(),
        originals: 0,
        copies: 1,
        form: None,
        conditional: false,
    }];
    let send = move |_| {
        if busy.get_untracked() {
            return;
        }
        let files: Vec<String> = draft.with_untracked(|d| {
            d.documents
                .iter()
                .flat_map(|x| x.files.iter().map(|f| f.id.clone()))
                .collect()
        });
        if files.is_empty() {
            return show(
                problems,
                vec![("documents.0", tt.supplement_none.to_string())],
            );
        }
        busy.set(true);
        let req = SupplementRequest {
            files,
            note: draft.with_untracked(|d| d.notes.clone()),
        };
        let (code, key) = (code.clone(), key.clone());
        leptos::task::spawn_local(async move {
            match api::tracking::supplement(&ctx.api_base(), &code, &req).await {
                Ok(fresh) => {
                    if let Some(s) = storage() {
                        let _ = s.remove_item(&key);
                    }
                    remember(&fresh);
                    ctx.announcement.set(tt.supplement_sent.to_string());
                    problems.set(Vec::new());
                    data.set(Some(fresh));
                }
                Err(e) => {
                    busy.try_set(false);
                    show(problems, from_api(&e, t, &["files"]));
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="supplement-h">
            <h2 id="supplement-h">{tt.supplement_title}</h2>
            <p><strong>{tt.supplement_asked}</strong> " " <span id="asked">{asked}</span></p>
            <Documents key=pending_key documents=documents draft=draft problems=problems/>
            <div class="field">
                <label for="supplement-note" class="label">{tt.supplement_note}</label>
                // Kept with the files chosen, so a reload loses neither.
                <textarea id="supplement-note" class="input" rows="3"
                    prop:value=move || draft.with(|d| d.notes.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.notes = v); }></textarea>
            </div>
            <button type="button" id="supplement-send" class="button" on:click=send
                aria-disabled=move || busy.get().then_some("true")>
                {move || if busy.get() { t.loading } else { tt.supplement_send }}
            </button>
        </section>
    }
}

/// Ask to withdraw, after a confirmation that says what it means.
#[component]
fn Withdraw(code: String, data: RwSignal<Option<Tracking>>, problems: Problems) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let req = WithdrawRequest {
            reason: reason.get_untracked(),
        };
        let code = code.clone();
        leptos::task::spawn_local(async move {
            match api::tracking::withdraw(&ctx.api_base(), &code, &req).await {
                Ok(fresh) => {
                    remember(&fresh);
                    ctx.announcement.set(tt.withdrawn.to_string());
                    data.set(Some(fresh));
                    focus_id("status");
                }
                Err(e) => {
                    busy.try_set(false);
                    show(problems, from_api(&e, t, &[]));
                }
            }
        });
    };
    view! {
        <section class="panel panel-quiet" aria-labelledby="withdraw-h">
            {move || if confirming.get() {
                let confirm = confirm.clone();
                view! {
                    <h2 id="withdraw-h" tabindex="-1">{tt.withdraw_title}</h2>
                    <p>{tt.withdraw_warning}</p>
                    <div class="field">
                        <label for="withdraw-reason" class="label">{tt.withdraw_reason}</label>
                        <textarea id="withdraw-reason" class="input" rows="2"
                            prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    </div>
                    <p class="actions-row">
                        <button type="button" id="withdraw-confirm" class="button button-danger" on:click=confirm
                            aria-disabled=move || busy.get().then_some("true")>{tt.withdraw_confirm}</button>
                        <button type="button" class="button button-secondary" on:click=move |_| {
                            confirming.set(false);
                            focus_id("withdraw");
                        }>{tt.withdraw_cancel}</button>
                    </p>
                }.into_any()
            } else {
                view! {
                    <h2 id="withdraw-h" class="visually-hidden">{tt.withdraw_button}</h2>
                    <button type="button" id="withdraw" class="button button-secondary" on:click=move |_| {
                        confirming.set(true);
                        focus_id("withdraw-h");
                    }>{tt.withdraw_button}</button>
                }.into_any()
            }}
        </section>
    }
}

/// The national portal's three levels and a comment, once per dossier.
#[component]
fn Rate(
    code: String,
    rating: Option<Rating>,
    data: RwSignal<Option<Tracking>>,
    problems: Problems,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    let name = |l: Satisfaction| if t.lang == Lang::Vi { l.vi() } else { l.en() };
    if let Some(r) = rating {
        return view! {
            <section class="panel" aria-labelledby="rate-h">
                <h2 id="rate-h">{tt.rate_title}</h2>
                <p id="rated">{tt.rated.replace("{level}", name(r.level))}</p>
            </section>
        }
        .into_any();
    }
    let level: RwSignal<Option<Satisfaction>> = RwSignal::new(None);
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let first = format!("level-{}", Satisfaction::ALL[0].slug());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(l) = level.get_untracked() else {
            return show(problems, vec![(first.clone(), tt.rate_choose.to_string())]);
        };
        busy.set(true);
        let req = Rating {
            level: l,
            comment: comment.get_untracked(),
        };
        let code = code.clone();
        leptos::task::spawn_local(async move {
            match api::tracking::rate(&ctx.api_base(), &code, &req).await {
                Ok(fresh) => {
                    remember(&fresh);
                    problems.set(Vec::new());
                    ctx.announcement.set(tt.rated.replace("{level}", name(l)));
                    data.set(Some(fresh));
                }
                Err(e) => {
                    busy.try_set(false);
                    show(problems, from_api(&e, t, &[]));
                }
            }
        });
    };
    let options = Satisfaction::ALL
        .into_iter()
        .map(|l| {
            let id = format!("level-{}", l.slug());
            view! {
                <div class="choice">
                    <input type="radio" name="level" id=id.clone() value=l.slug()
                        prop:checked=move || level.get() == Some(l)
                        on:change=move |_| level.set(Some(l))/>
                    <label for=id>{name(l)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="rate-h">
            <h2 id="rate-h">{tt.rate_title}</h2>
            <form class="form" novalidate on:submit=submit>
                <fieldset class="field">
                    <legend class="label">{tt.rate_legend}</legend>
                    {options}
                </fieldset>
                <div class="field">
                    <label for="rate-comment" class="label">{tt.rate_comment}</label>
                    <textarea id="rate-comment" class="input" rows="3"
                        prop:value=comment on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" id="rate-send" class="button"
                    aria-disabled=move || busy.get().then_some("true")>{tt.rate_send}</button>
            </form>
        </section>
    }
    .into_any()
}

// -------------------------------------------------------------- my dossiers

/// "Hồ sơ của tôi": the signed-in citizen's dossiers, filtered by what
/// needs doing (`?nhom=`) and by code or procedure (`?q=`), both in the URL.
#[component]
pub fn Mine() -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    let location = use_location();
    crate::app::require_account(|| "/ho-so-cua-toi".into());
    let group = RwSignal::new(Group::from_slug(&query_value("nhom")));
    let q = RwSignal::new(query_value("q"));
    // Keep the filters in the URL (replaced, not a history entry each).
    Effect::new(move |prev: Option<()>| {
        let (g, text) = (group.get(), q.get());
        if prev.is_some() {
            let mut parts = Vec::new();
            if let Some(g) = g {
                parts.push(format!("nhom={}", g.slug()));
            }
            if !text.is_empty() {
                parts.push(format!(
                    "q={}",
                    String::from(js_sys::encode_uri_component(&text))
                ));
            }
            let query = if parts.is_empty() {
                String::new()
            } else {
                format!("?{}", parts.join("&"))
            };
            location.replace(&format!("/ho-so-cua-toi{query}"));
        }
    });
    let list = LocalResource::new(move || {
        let base = ctx.api_base();
        async move { api::tracking::mine(&base).await }
    });
    let shown = move || {
        let Some(result) = list.get() else {
            return view! { <p class="loading">{t.loading}</p> }.into_any();
        };
        let all = match result {
            Ok(all) => all,
            Err(_) => {
                return view! {
                    <div class="notice notice-error" role="alert">
                        <p>{t.network_error}</p>
                        <button type="button" class="button" on:click=move |_| list.refetch()>{t.retry}</button>
                    </div>
                }
                .into_any()
            }
        };
        if all.is_empty() {
            return view! { <p>{tt.mine_none}</p> }.into_any();
        }
        let words = contract::text::words(&q.get());
        let g = group.get();
        let matching: Vec<_> = all
            .into_iter()
            .filter(|d| {
                let s = DossierStatus::from_number(d.status).unwrap_or(DossierStatus::Registered);
                g.is_none_or(|g| Group::of(s) == g)
            })
            .filter(|d| {
                let hay = contract::text::fold(&format!("{} {}", d.code, d.procedure_name));
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .collect();
        if matching.is_empty() {
            return view! { <p role="status">{tt.mine_none_match}</p> }.into_any();
        }
        let count = t.count(tt.mine_count, matching.len());
        let items = matching
            .into_iter()
            .map(|d| {
                let s = DossierStatus::from_number(d.status).unwrap_or(DossierStatus::Registered);
                let needs = Group::of(s) == Group::NeedsYou;
                view! {
                    <li class="card" class:card-attention=needs>
                        <h2 class="card-title"><a href=status_href(&d.code, &d.token)>{d.procedure_name.clone()}</a></h2>
                        <p class="card-meta">{d.code.clone()}</p>
                        <p class="card-meta">
                            <strong>{status_name(t, d.status)}</strong>
                            {needs.then(|| view! { " " <span class="badge badge-late">{tt.needs_you}</span> })}
                        </p>
                        <p class="card-meta">{format!("{}: {} · {}: {}", tt.received, d.received_at, tt.due,
                            if d.due_date.is_empty() { tt.no_due.to_string() } else { d.due_date.clone() })}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <p role="status">{count}</p>
            <ul class="cards">{items}</ul>
        }
        .into_any()
    };
    let choices = [(None, tt.mine_all)]
        .into_iter()
        .chain(Group::ALL.into_iter().map(|g| {
            (
                Some(g),
                match g {
                    Group::NeedsYou => tt.mine_action,
                    Group::InHand => tt.mine_in_hand,
                    Group::Finished => tt.mine_done,
                },
            )
        }))
        .map(|(g, label)| {
            view! {
                <option value=g.map(|g| g.slug()).unwrap_or("") selected=move || group.get() == g>{label}</option>
            }
        })
        .collect_view();
    view! {
        <PageHeading text=tt.mine_title.to_string()/>
        <p>{tt.mine_lead}</p>
        <div class="filters">
            <div class="field">
                <label for="nhom" class="label">{tt.mine_filter}</label>
                <select id="nhom" class="input" on:change=move |ev| group.set(Group::from_slug(&event_target_value(&ev)))>
                    {choices}
                </select>
            </div>
            <div class="field">
                <label for="mine-q" class="label">{tt.mine_search}</label>
                <input id="mine-q" class="input" type="search" autocomplete="off" spellcheck="false"
                    prop:value=q on:input=move |ev| q.set(event_target_value(&ev))/>
            </div>
        </div>
        {shown}
        <p><a href="/tra-cuu">{tt.lookup_title}</a></p>
    }
}

// ------------------------------------------------------------ volunteers

/// "Người tiếp theo": forget the previous resident on this device (drafts,
/// statuses kept offline, files waiting, the tab's storage), keeping the
/// volunteer signed in.
#[component]
pub fn NextResident() -> impl IntoView {
    let tt = tt();
    let ctx = use_ctx();
    let location = use_location();
    view! {
        <button type="button" id="next-resident" class="button" on:click=move |_| {
            crate::storage::wipe(crate::storage::Wipe::NextResident);
            ctx.announcement.set(tt.next_resident_done.to_string());
            location.navigate("/ho-tro?moi=1");
        }>{tt.next_resident}</button>
    }
}

/// A volunteer's dashboard: the dossiers they filed for residents, their
/// statuses, and which need the resident to act.
#[component]
pub fn Assisted() -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let ctx = use_ctx();
    crate::app::require_account(|| "/ho-tro".into());
    let fresh = !query_value("moi").is_empty();
    let list = LocalResource::new(move || {
        let base = ctx.api_base();
        async move { api::tracking::assisted(&base).await }
    });
    let shown = move || {
        match list.get() {
        None => view! { <p class="loading">{t.loading}</p> }.into_any(),
        Some(Err(e)) => view! {
            <div class="notice notice-error" role="alert">
                <p>{if matches!(e, FetchError::Api { status: 403, .. }) { t.try_again } else { t.network_error }}</p>
            </div>
        }
        .into_any(),
        Some(Ok(all)) if all.is_empty() => view! { <p>{tt.assisted_none}</p> }.into_any(),
        Some(Ok(all)) => all
            .into_iter()
            .map(|d| {
                let s = DossierStatus::from_number(d.status).unwrap_or(DossierStatus::Registered);
                let needs = Group::of(s) == Group::NeedsYou;
                view! {
                    <li class="card" class:card-attention=needs>
                        <h2 class="card-title"><a href=status_href(&d.code, &d.token)>{d.procedure_name.clone()}</a></h2>
                        <p class="card-meta">{format!("{} · {}: {}", d.code, tt.resident, d.resident)}</p>
                        <p class="card-meta"><strong>{status_name(t, d.status)}</strong>
                            {needs.then(|| view! { " " <span class="badge badge-late">{tt.needs_resident}</span> })}</p>
                        <p class="card-meta">{format!("{}: {}", tt.received, d.received_at)}</p>
                    </li>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <PageHeading text=tt.assisted_title.to_string()/>
        {fresh.then(|| view! { <p class="notice" role="status">{tt.next_resident_done}</p> })}
        <p>{tt.assisted_lead}</p>
        <p class="actions-row">
            <a class="button" href="/thu-tuc">{t.nav_procedures}</a>
            <NextResident/>
        </p>
        <ul class="cards" id="assisted">{shown}</ul>
    }
}
