//! The receipt, with the QR code of its tracking link: until an officer
//! accepts the dossier, the confirmation that it was received online and
//! what happens next; from acceptance, the "Giấy tiếp nhận hồ sơ và hẹn trả
//! kết quả" with its due date (Circular 01/2018). Its owner sees it in
//! full; with the token of the QR code, personal details are masked by the
//! portal.

use crate::bundles::texts::account::ac;
use contract::dossier::{Delivery, Receipt as ReceiptData};
use leptos::prelude::*;

use crate::api;
use crate::bundles::texts::wizard::wz;
use crate::components::copy_link::CopyLink;
use crate::components::page::{PageHeading, ScrollTable};
use crate::components::qr::QrCode;
use crate::ctx::{use_ctx, use_texts};
use crate::i18n::Lang;
use crate::router::use_location;

#[component]
pub fn Receipt(code: String) -> impl IntoView {
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let location = use_location();
    let token = location.param("t");
    // A receipt seen once opens offline (kept as personal data: cleared at
    // sign-out, between residents, at a kiosk's end of session); one filed
    // by a volunteer is not kept on their phone.
    let data = LocalResource::new(move || {
        let (code, token) = (code.clone(), token.clone());
        async move {
            let key = format!("{}{code}", crate::storage::RECEIPT);
            match api::dossier::receipt(&ctx.api_base(), &code, &token).await {
                Ok(r) => {
                    if let Some(json) = crate::json::to_string(&r).filter(|_| r.assisted.is_none())
                    {
                        crate::offline::save(&key, &json);
                    }
                    Ok((r, false))
                }
                Err(api::FetchError::Network) => crate::offline::load(&key)
                    .and_then(|j| crate::json::parse(&j))
                    .map(|r| (r, true))
                    .ok_or(api::FetchError::Network),
                Err(e) => Err(e),
            }
        }
    });
    let is_error = Signal::derive(move || matches!(data.get(), Some(Err(_))));
    move || {
        match data.get() {
        None => view! { <p class="loading">{t.loading}</p> }.into_any(),
        Some(Err(e)) => view! {
            <PageHeading text=ac(t).receipt_title.to_string() error=is_error/>
            <div class="notice notice-error" role="alert">
                <p>{if e.is_not_found() {
                    t.not_found_body
                } else if matches!(e, api::FetchError::Network) {
                    t.network_error
                } else {
                    t.try_again
                }}</p>
            </div>
        }
        .into_any(),
        Some(Ok((r, kept))) => view! {
            {kept.then(|| view! { <p class="notice no-print" id="receipt-offline">{t.offline_notice}</p> })}
            <ReceiptView r=r/>
        }
        .into_any(),
    }
    }
}

#[component]
fn ReceiptView(r: ReceiptData) -> impl IntoView {
    let t = use_texts().get_untracked();
    let origin = window().location().origin().unwrap_or_default();
    let status_link = crate::bundles::track::status_href(&r.code, &r.token);
    let tracking = format!("{origin}{status_link}");
    let draw_qr = move |class: &'static str| {
        view! { <QrCode text=tracking.clone() class=class label=ac(t).r_qr/> }
    };
    let qr = draw_qr("qr");
    let status = r.status.label(t.lang == Lang::Vi);
    // The desk by its name (its agency code until the units arrive).
    let units = crate::components::place::use_units();
    let delivery = delivery_text(r.delivery.clone(), t, units);
    let tt = crate::bundles::texts::track::texts(t.lang);
    let ctx = use_ctx();
    let assisted = r.assisted.clone().map(|a| {
        view! {
            <div><dt>{tt.assisted_by}</dt>
                <dd id="assisted">{format!("{} ({}); {}", a.volunteer, a.relationship, tt.consent_at.replace("{time}", &a.consent_at))}</dd></div>
            {a.claim_code.map(|c| view! {
                <div><dt>{tt.claim_code}</dt>
                    <dd><strong id="claim-code">{c}</strong><p class="hint">{tt.claim_code_hint}</p></dd></div>
            })}
        }
    });
    let big_qr = RwSignal::new(false);
    // The volunteer printing again after "Người tiếp theo" (details masked).
    let reprint = r.assisted.is_some() && r.applicant.citizen_id.contains('*');
    let for_resident = for_resident(&r, ctx, t);
    let a = &r.applicant;
    let applicant = [a.full_name.clone(), a.citizen_id.clone(), a.phone.clone(), a.address.clone()]
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let documents = document_rows(&r);
    let accepted = r.accepted_at.is_some();
    let due_row = due_row(&r, t);
    let title = if accepted { ac(t).receipt_title } else { ac(t).online_receipt_title };
    let next_steps = next_steps(&r, t, ctx);
    // The filled electronic form, printable (the portal names it only to
    // those who see the applicant).
    let form_link = r.form.is_some().then(|| {
        let href = format!("{}/dossiers/{}/form.html", ctx.api_base(), r.code);
        view! {
            <p class="no-print"><a id="form-print" href=href>{wz(t).w_form_print}</a></p>
        }
    });
    // Where a paper result is handed over, when one was chosen.
    let paper = match &r.delivery {
        Delivery::Office { .. } => Some(ac(t).paper_office.to_string()),
        Delivery::Post { .. } => Some(ac(t).paper_post.to_string()),
        Delivery::Online => None,
    };
    let pay_now = pay_now(&r, t, &status_link);
    view! {
        <PageHeading text=title.to_string()/>
        <div class="receipt">
            <p class="receipt-code"><span>{ac(t).r_code}</span> " " <strong id="dossier-code">{r.code.clone()}</strong></p>
            <p class="hint">{ac(t).r_keep}</p>
            {reprint.then(|| view! { <p class="notice" id="reprint">{ac(t).r_reprint}</p> })}
            {qr}
            <dl class="details">
                <div><dt>{ac(t).r_agency}</dt><dd>{r.agency_name.clone()}</dd></div>
                <div><dt>{t.nav_procedures}</dt><dd>{format!("{} ({})", r.procedure_name, r.procedure_code)}</dd></div>
                <div><dt>{ac(t).r_applicant}</dt><dd>{applicant}</dd></div>
                <div><dt>{ac(t).r_received}</dt><dd>{r.received_at.clone()}</dd></div>
                <div><dt>{t.time}</dt><dd>{r.processing_time.clone()}</dd></div>
                {due_row}
                <div><dt>{wz(t).w_delivery}</dt><dd>{delivery}</dd></div>
                <div><dt>{t.fee}</dt><dd>{r.fee.clone()}</dd></div>
                <div><dt>{ac(t).r_status}</dt><dd id="status">{status}</dd></div>
                {assisted}
            </dl>
            <h2>{ac(t).r_documents}</h2>
            <ScrollTable heads=vec![t.doc_name, t.originals, t.copies, ac(t).r_files]>
                {documents}
            </ScrollTable>
            {form_link}
            {paper.map(|p| view! { <p id="paper-result">{p}</p> })}
            <p class="hint">{ac(t).r_declared}</p>
        </div>
        // After the code and its QR code, which must stay in sight first.
        {pay_now}
        {next_steps}
        <crate::components::read_aloud::ReadAloud/>
        {for_resident}
        <p class="no-print actions-row">
            <button type="button" id="qr-big" class="button button-secondary" on:click=move |_| {
                big_qr.set(true);
                crate::components::form::focus_id("qr-close");
            }>{tt.qr_big}</button>
            <a class="button button-secondary" id="status-link" href=status_link.clone()>{crate::bundles::texts::track::texts(t.lang).status_link}</a>
            <button type="button" class="button" on:click=|_| { let _ = window().print(); }>{ac(t).r_print}</button>
        </p>
        // What to give the resident: the status page the QR code opens.
        <CopyLink url=status_link.clone()/>
        {move || big_qr.get().then(|| view! {
            <div class="qr-overlay" role="dialog" aria-modal="true" aria-labelledby="qr-big-h">
                <h2 id="qr-big-h">{tt.qr_big_hint}</h2>
                {draw_qr("qr qr-large")}
                <button type="button" id="qr-close" class="button" on:click=move |_| {
                    big_qr.set(false);
                    crate::components::form::focus_id("qr-big");
                }>{tt.qr_close}</button>
            </div>
        })}
    }
}

/// The documents received, a row each.
fn document_rows(r: &ReceiptData) -> impl IntoView {
    r.documents
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <th scope="row">{d.name.clone()}</th>
                    <td>{d.originals}</td>
                    <td>{d.copies}</td>
                    <td>{d.files}</td>
                </tr>
            }
        })
        .collect_view()
}

/// When the result is due: from acceptance, the date (or that the
/// procedure sets none); before it, that the desk has yet to accept.
fn due_row(r: &ReceiptData, t: &'static crate::i18n::Texts) -> AnyView {
    if r.accepted_at.is_some() {
        let due = if r.due_date.is_empty() {
            ac(t).r_due_unknown.to_string()
        } else {
            r.due_date.clone()
        };
        view! {
            <div><dt>{ac(t).r_accepted}</dt><dd id="accepted-at">{r.accepted_at.clone()}</dd></div>
            <div><dt>{ac(t).r_due}</dt><dd id="due-date">{due}</dd></div>
        }
        .into_any()
    } else {
        view! { <div><dt>{ac(t).r_due}</dt><dd id="due-pending">{ac(t).r_due_pending}</dd></div> }
            .into_any()
    }
}

/// Until the desk answers: who checks it, by when, what will arrive.
fn next_steps(
    r: &ReceiptData,
    t: &'static crate::i18n::Texts,
    ctx: crate::ctx::Ctx,
) -> Option<impl IntoView> {
    (r.accepted_at.is_none() && r.status == contract::status::DossierStatus::Registered).then(|| {
            let texts_on = ctx.me.with_untracked(|m| m.as_ref().is_none_or(|m| m.status_texts));
            let phone = contract::account::phone_hint(&r.applicant.phone);
            // Filed for a resident: they hold this paper, not this page.
            let for_resident = r.assisted.is_some() || r.on_behalf;
            let texts = if r.applicant.phone.is_empty() {
                for_resident.then(|| ac(t).next_no_phone.to_string())
            } else if texts_on {
                Some(ac(t).next_texts.replace("{phone}", &phone))
            } else {
                Some(ac(t).next_texts_off.to_string())
            };
            view! {
                <section class="next-steps" aria-labelledby="next-h" id="next-steps">
                    <h2 id="next-h">{ac(t).next_title}</h2>
                    <ol>
                        {r.on_its_way.then(|| view! { <li id="on-its-way">{ac(t).r_on_its_way}</li> })}
                        <li>{ac(t).next_check.replace("{agency}", &r.agency_name)}</li>
                        <li>{if for_resident { ac(t).next_accept_paper } else { ac(t).next_accept }}</li>
                        {texts.map(|s| view! { <li>{s}</li> })}
                    </ol>
                </section>
            }
        })
}

/// The fee the catalog says is paid on filing: paid now, online.
fn pay_now(
    r: &ReceiptData,
    t: &'static crate::i18n::Texts,
    status_link: &str,
) -> Option<impl IntoView> {
    r.fee_on_filing.map(|a| {
        let (title, hint, go) = if t.lang == Lang::Vi {
            (
                "Nộp lệ phí ngay",
                "Thủ tục này nộp lệ phí khi nộp hồ sơ. Nộp trực tuyến ngay bây giờ, hoặc nộp tại Bộ phận Một cửa.",
                "Thanh toán trực tuyến",
            )
        } else {
            (
                "Pay the fee now",
                "This procedure's fee is paid when filing. Pay online now, or at the one-stop desk.",
                "Pay online",
            )
        };
        view! {
            <section class="panel no-print" id="pay-now" aria-labelledby="pay-now-h">
                <h2 id="pay-now-h">{title}</h2>
                <p class="amount"><span>{format!("{}: ", t.fee)}</span><strong>{format!("{} đ", t.number(a as usize))}</strong></p>
                <p class="hint">{hint}</p>
                <a class="button" id="pay-now-link" href=status_link.to_string()>{go}</a>
            </section>
        }
    })
}

/// For the volunteer who filed it: the link sent to the resident's phone,
/// and "Người tiếp theo".
fn for_resident(
    r: &ReceiptData,
    ctx: crate::ctx::Ctx,
    t: &'static crate::i18n::Texts,
) -> Option<impl IntoView> {
    let tt = crate::bundles::texts::track::texts(t.lang);
    let volunteer = ctx.me.with_untracked(|m| m.as_ref().is_some_and(|m| m.volunteer));
    let link_status = RwSignal::new(String::new());
    let code_for_link = r.code.clone();
    let send_link = move |_| {
        let code = code_for_link.clone();
        leptos::task::spawn_local(async move {
            let said = match api::tracking::send_link(&ctx.api_base(), &code).await {
                Ok(()) => tt.link_sent.to_string(),
                Err(e) => crate::components::form::explain(&e, t),
            };
            link_status.try_set(said);
        });
    };
    let has_phone = !r.applicant.phone.is_empty();
    (volunteer && r.assisted.is_some()).then(|| {
        view! {
            <p class="no-print actions-row">
                // No phone, no text message: the printed receipt and its QR code do.
                {has_phone.then(|| view! {
                    <button type="button" id="send-link" class="button button-secondary" on:click=send_link>{tt.send_link}</button>
                })}
                <crate::bundles::track::NextResident/>
            </p>
            <p class="status" role="status" id="link-status">{move || link_status.get()}</p>
        }
    })
}

/// How the result comes: online, by post to an address, or at a desk (by
/// its name once the units arrive).
fn delivery_text(
    d: Delivery,
    t: &'static crate::i18n::Texts,
    units: ReadSignal<Option<Vec<contract::catalog::Unit>>>,
) -> impl Fn() -> String {
    move || match &d {
        Delivery::Online => wz(t).w_online.to_string(),
        Delivery::Post { address } => format!("{}: {address}", wz(t).w_post),
        Delivery::Office { unit } => {
            let name = units
                .with(|us| {
                    us.as_ref()
                        .and_then(|us| us.iter().find(|u| &u.code == unit))
                        .map(crate::components::place::place_name)
                })
                .unwrap_or_else(|| unit.clone());
            format!("{}: {name}", wz(t).w_office)
        }
    }
}

/// The receipt bundle's page.
pub fn draw(shown: crate::router::Page, _: Memo<crate::router::Page>) -> AnyView {
    match shown {
        crate::router::Page::Receipt(code) => view! { <Receipt code=code/> }.into_any(),
        _ => ().into_any(),
    }
}
