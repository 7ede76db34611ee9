//! The status page: last status kept for offline, timeline, what to do next.

use super::*;

// ------------------------------------------------------------------ status

pub(super) fn cache_key(code: &str) -> String {
    format!("{}{code}", crate::storage::TRACK)
}

/// Keep the last status seen, so the page opens offline (cleared at sign-out).
pub(super) fn remember(t: &Tracking) {
    if let (Some(s), Some(json)) = (storage(), crate::json::to_string(t)) {
        let _ = s.set_item(&cache_key(&t.code), &json);
    }
}

pub(super) fn remembered(code: &str) -> Option<Tracking> {
    storage()?.get_item(&cache_key(code)).ok().flatten().and_then(|j| crate::json::parse(&j))
}

pub(super) fn forget(code: &str) {
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
    let location = use_location();
    let from_link = location.param(contract::tracking::TOKEN_PARAM);
    let data: RwSignal<Option<Tracking>> = RwSignal::new(remembered(&code));
    // The QR link's token, else the one kept with the status on this device
    // (a kiosk wipe or sign-out clears it: Back then finds nothing to show).
    let token = if from_link.is_empty() {
        data.with_untracked(|d| d.as_ref().map(|d| d.token.clone()).unwrap_or_default())
    } else {
        from_link.clone()
    };
    let load = RwSignal::new(Load::Loading);
    let fetch = {
        let (code, token, from_link) = (code.clone(), token.clone(), from_link.clone());
        move || {
            let (code, token, from_link) = (code.clone(), token.clone(), from_link.clone());
            let base = ctx.api_base();
            load.set(Load::Loading);
            leptos::task::spawn_local(async move {
                match api::tracking::track(&base, &code, &token).await {
                    Ok(fresh) => {
                        remember(&fresh);
                        // Kept on the device now: the token leaves the address
                        // bar (and so the history a shared device keeps).
                        if !from_link.is_empty()
                            && location.param(contract::tracking::TOKEN_PARAM) == from_link
                        {
                            location.replace(&Page::Status(fresh.code.clone()).href());
                        }
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
        <crate::components::read_aloud::ReadAloud/>
        {move || match (load.get(), data.with(Option::is_some)) {
            (Load::NotFound, _) => view! {
                <div class="notice notice-error" role="alert"><p>{tt.not_found_body}</p></div>
                <p><a class="button" href=Page::Track.href()>{tt.lookup_again}</a></p>
            }.into_any(),
            (Load::Failed, false) => view! { <crate::components::page::Unreachable retry=retry.clone()/> }.into_any(),
            (_, false) => view! { <p class="loading">{t.loading}</p> }.into_any(),
            (_, true) => ().into_any(),
        }}
        {move || shape.get().map(|(status, owner, _)| {
            let d = data.get_untracked().expect("shape follows data");
            view! { <StatusView d=d status=status owner=owner data=data/> }
        })}
        {move || data.with(|d| d.as_ref().and_then(|d| d.back_office.clone())).map(|b| {
            let line = if t.lang == Lang::Vi { b.vi() } else { b.en() };
            view! { <p id="back-office" class="hint">{line}</p> }
        })}
        {move || data.with(Option::is_some).then(|| freshness(load, data, refresh.clone()))}
    }
}

/// What a result file is, in a word a citizen knows.
fn kind_of(mime: &str) -> &'static str {
    match mime {
        "application/pdf" => "PDF",
        "image/png" => "PNG",
        _ => "JPEG",
    }
}

/// The owner's results, first thing on the page: one plain download
/// button each ("Tải kết quả: <name>, PDF").
fn results_first(d: &Tracking) -> Option<impl IntoView> {
    let tt = tt();
    let base = use_ctx().api_base();
    (!d.results.is_empty()).then(|| {
        let buttons = d
            .results
            .iter()
            .map(|r| {
                let href = format!("{base}/dossiers/{}/results/{}", d.code, r.n);
                let label = tt.results_download.replace("{name}", &r.name).replace("{kind}", kind_of(&r.mime));
                let size = format!("{} KB", r.size.div_ceil(1024));
                view! {
                    <p class="result-first">
                        <a href=href download class="button result-link" id=format!("result-download-{}", r.n)>{label}</a>
                        " " <span class="hint">{size}</span>
                    </p>
                }
            })
            .collect_view();
        view! { <div id="result-first">{buttons}</div> }
    })
}

/// Electronic results: for the owner, each with its code, signer and
/// SHA-256 behind "Chi tiết"; for anyone else with the link, only that
/// they exist.
fn results_section(d: &Tracking) -> Option<impl IntoView> {
    let tt = tt();
    let ctx = use_ctx();
    (d.result_count > 0).then(|| {
        let base = ctx.api_base();
        let files = d
            .results
            .iter()
            .map(|r| {
                let href = format!("{base}/dossiers/{}/results/{}", d.code, r.n);
                let size = format!("{} KB", r.size.div_ceil(1024));
                view! {
                    <li class="result">
                        <a href=href download class="button button-secondary result-code">
                            {format!("{} · {}", r.code, r.name)}
                        </a>
                        <span class="hint">{format!("{size} · {}", r.issued_at)}</span>
                        {(!r.signer.is_empty()).then(|| view! {
                            <span class="hint">{format!("{}: {}", tt.results_signed_by, r.signer)}</span>
                        })}
                        <span class="hint sha">{format!("{}: ", tt.results_check)}<code class="result-sha">{r.sha256.clone()}</code></span>
                    </li>
                }
            })
            .collect_view();
        let exist = tt.results_exist.replace("{n}", &d.result_count.to_string());
        view! {
            <section id="results" aria-labelledby="results-h">
                <h2 id="results-h">{tt.results_title}</h2>
                <p>{exist}</p>
                {if d.results.is_empty() {
                    view! { <p>{tt.results_sign_in}</p> }.into_any()
                } else {
                    view! {
                        <details class="result-details">
                            <summary>{tt.results_details}</summary>
                            <ul class="results">{files}</ul>
                        </details>
                    }
                    .into_any()
                }}
            </section>
        }
    })
}

/// A dossier's status, what to do next, its details and timeline; the
/// owner's actions. Drawn again only when the status changes.
#[component]
pub(super) fn StatusView(
    d: Tracking,
    status: DossierStatus,
    owner: bool,
    data: RwSignal<Option<Tracking>>,
) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    let problems: Problems = RwSignal::new(Vec::new());
    let act = Action::new(data, problems);
    let s = status;
    let timeliness = d.timeliness.map(|x| {
        let label = if t.lang == Lang::Vi { x.vi() } else { x.en() };
        view! { <span class=if x.is_good() { "badge badge-good" } else { "badge badge-late" }>{label}</span> }
    });
    let latest_note = d.latest().map(|h| h.note.clone()).unwrap_or_default();
    let amount = d.latest().and_then(|h| h.amount);
    let due = if d.due_date.is_empty() { tt.no_due.to_string() } else { d.due_date.clone() };
    let history = timeline_items(&d.history);
    let code = d.code.clone();
    let wants_note = matches!(
        s,
        DossierStatus::Rejected | DossierStatus::Stopped | DossierStatus::SupplementRequested
    );
    let actions = if owner {
        view! {
            {(s == DossierStatus::SupplementRequested).then(|| view! {
                <Supplement code=code.clone() asked=latest_note.clone() act=act/>
            })}
            {(d.fee_due.is_some() && d.pay_online).then(|| view! {
                <super::pay::Pay code=code.clone() token=d.token.clone() amount=d.fee_due.or(amount) owner=true data=data/>
            })}
            {(s == DossierStatus::PaymentRequested).then(|| view! {
                <section class="panel" aria-labelledby="pay-h">
                    <h2 id="pay-h">{tt.pay_title}</h2>
                    {(!latest_note.is_empty()).then(|| view! { <p>{latest_note.clone()}</p> })}
                    <p>{tt.pay_how.replace("{agency}", &d.agency_name).replace("{code}", &d.code)}</p>
                </section>
            })}
            {(can_rate(s)).then(|| view! { <Rate code=code.clone() rating=d.rating.clone() act=act/> })}
            {(can_withdraw(s)).then(|| view! { <Withdraw code=code.clone() act=act/> })}
        }
        .into_any()
    } else {
        let needs_owner =
            matches!(s, DossierStatus::SupplementRequested | DossierStatus::PaymentRequested)
                || can_rate(s) && d.rating.is_none();
        let here = status_href(&d.code, &d.token);
        view! {
            // Anyone holding the link may pay, with the applicant's ID number.
            {(d.fee_due.is_some() && d.pay_online).then(|| view! {
                <super::pay::Pay code=code.clone() token=d.token.clone() amount=d.fee_due.or(amount) owner=false data=data/>
            })}
            {(s == DossierStatus::PaymentRequested && !d.pay_online).then(|| amount.map(|a| view! {
                <p class="amount"><span>{format!("{}: ", tt.pay_amount)}</span><strong>{format!("{} đ", t.number(a as usize))}</strong></p>
            }))}
            {needs_owner.then(|| view! {
                <p class="notice"><a href=sign_in_then(&here, false)>{tt.sign_in_to_act}</a></p>
            })}
            // Who is signed in may arrive after the dossier (this page's
            // bundle mounted just after a sign-in on another's page).
            {move || {
                let ctx = use_ctx();
                match ctx.me.get() {
                    // A volunteer's own filings are theirs to follow, not to claim.
                    Some(me) if !me.volunteer => view! { <Claim code=code.clone() act=act/> }.into_any(),
                    Some(_) => ().into_any(),
                    None if !ctx.me_known.get() => ().into_any(),
                    None => view! { <p><a href=sign_in_then(&here, false)>{tt.claim_sign_in}</a></p> }.into_any(),
                }
            }}
        }
        .into_any()
    };
    let receipt = Page::Receipt(d.code.clone()).with(&[("t", &d.token)]);
    view! {
        <ErrorSummary problems=problems/>
        <section class="status-box" aria-labelledby="status-h">
            <h2 id="status-h" class="visually-hidden">{tt.current}</h2>
            <p class="status-now"><span class="muted">{format!("{}: ", tt.current)}</span>
                <strong id="status">{status_name(t, status)}</strong> " " {timeliness}</p>
            <p id="next-step">{status.next_step(t.lang == Lang::Vi)}</p>
            {results_first(&d)}
            // Where the result is, unless it is the button above.
            {(status == DossierStatus::Resolved && (d.pickup != "online" || d.results.is_empty())).then(|| {
                let how = match d.pickup.as_str() {
                    "office" => tt.pickup_office.replace("{place}", &d.agency_name),
                    "post" => tt.pickup_post.to_string(),
                    _ => tt.pickup_online.to_string(),
                };
                view! { <p id="pickup">{how}</p> }
            })}
            {(wants_note && !latest_note.is_empty() && s != DossierStatus::SupplementRequested).then(|| view! {
                <p class="officer-note">{latest_note.clone()}</p>
            })}
        </section>
        // Paid online: said first thing once the status has moved on.
        {d.payment.as_ref().filter(|p| d.fee_due.is_none() && p.state == contract::tracking::PaymentState::Paid).map(|p| super::pay::paid_view(p, &d.agency_name, &d.procedure_name))}
        {actions}
        <dl class="details">
            <div><dt>{tt.procedure}</dt><dd>{format!("{} ({})", d.procedure_name, d.procedure_code)}</dd></div>
            <div><dt>{tt.agency}</dt><dd>{d.agency_name.clone()}</dd></div>
            <div><dt>{tt.received}</dt><dd>{d.received_at.clone()}</dd></div>
            <div><dt>{tt.due}</dt><dd id="due-date">{due}</dd></div>
            <div><dt>{tt.fee}</dt><dd>{d.fee.clone()}</dd></div>
        </dl>
        {results_section(&d)}
        <h2>{tt.timeline}</h2>
        <ol class="timeline" id="timeline">{history}</ol>
        <p class="no-print"><a href=receipt>{tt.receipt_link}</a></p>
        // The link with its token (the address bar no longer has it).
        <CopyLink url=status_href(&d.code, &d.token)/>
    }
}

/// A dossier's timeline (oldest first): every move, the citizen's own
/// marked, with the officer's note and an amount asked.
pub fn timeline_items(history: &[contract::tracking::HistoryEntry]) -> impl IntoView {
    let t = use_texts().get_untracked();
    let tt = tt();
    history
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
        .collect_view()
}

/// When the status shown was fetched (or that it is the kept one, the
/// network gone), with "Làm mới".
fn freshness(
    load: RwSignal<Load>,
    data: RwSignal<Option<Tracking>>,
    refresh: impl Fn() + 'static,
) -> impl IntoView {
    let tt = tt();
    let at = move || data.with(|d| d.as_ref().map(|d| d.updated_at.clone()).unwrap_or_default());
    view! {
        <p class="freshness" role="status">
            {move || match load.get() {
                Load::Offline => tt.offline_status.replace("{time}", &at()),
                Load::Loading => tt.refreshing.to_string(),
                _ => tt.updated.replace("{time}", &at()),
            }}
            " "
            <button type="button" class="button button-secondary" on:click=move |_| refresh()>{tt.refresh}</button>
        </p>
    }
}
