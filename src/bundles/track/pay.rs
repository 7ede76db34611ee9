//! Paying the fee online at status 6: the amount, "Thanh toán trực tuyến",
//! then the national payment platform's page (on a kiosk: a QR code that
//! opens it on the citizen's own phone), then back here, where the payment
//! shows as pending until the platform confirms it and as paid after.
//! Whoever may act pays: the owner, the volunteer who filed it, or someone
//! holding the QR link who types the applicant's ID number.

use super::*;
use contract::tracking::{PayAsk, PaymentState};

thread_local! {
    /// The dossier and ID number just checked by a lookup (code + ID
    /// number), in this page's memory only: paying it does not ask again.
    /// A reload or a kiosk's wipe forgets it.
    static CHECKED: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
}

/// A lookup just proved `id` for `code`.
pub(super) fn checked(code: &str, id: &str) {
    CHECKED.with(|c| *c.borrow_mut() = Some((code.to_string(), id.to_string())));
}

fn checked_id(code: &str) -> String {
    CHECKED
        .with(|c| c.borrow().as_ref().filter(|(k, _)| k == code).map(|(_, id)| id.clone()))
        .unwrap_or_default()
}

/// Words of this panel (only this bundle carries them).
struct Words {
    title: &'static str,
    fee: &'static str,
    pay: &'static str,
    again: &'static str,
    pending: &'static str,
    paid: &'static str,
    paid_at: &'static str,
    transaction: &'static str,
    bank: &'static str,
    receipt: &'static str,
    series: &'static str,
    number: &'static str,
    issuer: &'static str,
    payer: &'static str,
    content: &'static str,
    in_words: &'static str,
    sum: &'static str,
    print: &'static str,
    id_label: &'static str,
    id_hint: &'static str,
    kiosk: &'static str,
    or_desk: &'static str,
}

const VI: Words = Words {
    title: "Nộp phí, lệ phí trực tuyến",
    fee: "Phí, lệ phí",
    pay: "Thanh toán trực tuyến",
    again: "Thanh toán lại",
    pending: "Đang chờ nền tảng thanh toán xác nhận. Trang này tự cập nhật; không cần thanh toán lại.",
    paid: "Đã nộp phí, lệ phí",
    paid_at: "Thời gian",
    transaction: "Mã giao dịch",
    bank: "Ngân hàng, ví",
    receipt: "Biên lai điện tử",
    series: "Ký hiệu",
    number: "Số",
    issuer: "Đơn vị thu",
    payer: "Người nộp",
    content: "Nội dung",
    in_words: "Bằng chữ",
    sum: "Số tiền",
    print: "In biên lai",
    id_label: "Số định danh cá nhân của người đứng tên hồ sơ",
    id_hint: "Để chắc chắn bạn được nộp phí cho hồ sơ này. Người đã nộp hồ sơ và đang đăng nhập không cần nhập.",
    kiosk: "Quét mã này bằng điện thoại của bạn để thanh toán trên điện thoại. Máy này tự cập nhật khi đã thanh toán.",
    or_desk: "Hoặc nộp trực tiếp tại Bộ phận Một cửa.",
};

const EN: Words = Words {
    title: "Pay the fees online",
    fee: "Fees",
    pay: "Pay online",
    again: "Pay again",
    pending: "Waiting for the payment platform to confirm. This page updates itself; do not pay again.",
    paid: "Fees paid",
    paid_at: "Time",
    transaction: "Transaction code",
    bank: "Bank or wallet",
    receipt: "Electronic receipt",
    series: "Series",
    number: "Number",
    issuer: "Collected by",
    payer: "Paid by",
    content: "For",
    in_words: "In words",
    sum: "Amount",
    print: "Print the receipt",
    id_label: "Personal ID number of the applicant",
    id_hint: "So that we know you may pay for this dossier. The person who filed it, signed in, need not type it.",
    kiosk: "Scan this code with your phone to pay on your phone. This screen updates when it is paid.",
    or_desk: "Or pay at the one-stop desk.",
};

fn words() -> &'static Words {
    if use_texts().get_untracked().lang == Lang::Vi {
        &VI
    } else {
        &EN
    }
}

/// The paid line: time, amount, transaction, bank; then the e-receipt,
/// printable on its own.
pub(super) fn paid_view(
    p: &contract::tracking::Payment,
    agency: &str,
    procedure: &str,
) -> impl IntoView {
    let w = words();
    let t = use_texts().get_untracked();
    let amount = format!("{} đ", t.number(p.amount as usize));
    let receipt = p.receipt.clone().map(|r| {
        view! {
            <section class="ereceipt" id="ereceipt" aria-labelledby="ereceipt-h">
                <h3 id="ereceipt-h">{w.receipt}</h3>
                <dl class="details">
                    <div><dt>{w.series}</dt><dd class="code">{r.series}</dd></div>
                    <div><dt>{w.number}</dt><dd class="code" id="ereceipt-no">{r.number}</dd></div>
                    <div><dt>{w.issuer}</dt><dd>{agency.to_string()}</dd></div>
                    <div><dt>{w.payer}</dt><dd>{r.payer}</dd></div>
                    <div><dt>{w.content}</dt><dd>{format!("{}: {procedure}", w.fee)}</dd></div>
                    <div><dt>{w.sum}</dt><dd>{amount.clone()}</dd></div>
                    <div><dt>{w.in_words}</dt><dd>{r.in_words}</dd></div>
                    <div><dt>{w.paid_at}</dt><dd>{p.paid_at.clone()}</dd></div>
                    <div><dt>{w.transaction}</dt><dd class="code">{p.transaction.clone()}</dd></div>
                </dl>
                <p class="no-print">
                    <button type="button" class="button button-secondary" id="ereceipt-print" on:click=|_| {
                        // Only the receipt on paper: the page's class picks it out for print.
                        let root = document().document_element();
                        if let Some(root) = root.as_ref() {
                            let _ = root.class_list().add_1("print-ereceipt");
                        }
                        let _ = window().print();
                        if let Some(root) = root {
                            let _ = root.class_list().remove_1("print-ereceipt");
                        }
                    }>{w.print}</button>
                </p>
            </section>
        }
    });
    view! {
        <div class="status-box" id="payment-paid" role="status">
            <p class="status-now"><strong>{w.paid}</strong></p>
            <dl class="details">
                <div><dt>{w.fee}</dt><dd>{amount.clone()}</dd></div>
                <div><dt>{w.paid_at}</dt><dd>{p.paid_at.clone()}</dd></div>
                <div><dt>{w.transaction}</dt><dd class="code">{p.transaction.clone()}</dd></div>
                <div><dt>{w.bank}</dt><dd>{p.bank.clone()}</dd></div>
            </dl>
        </div>
        {receipt}
    }
}

/// The panel at status 6, and the paid line after.
#[component]
pub(super) fn Pay(
    code: String,
    token: String,
    amount: Option<u64>,
    owner: bool,
    data: RwSignal<Option<Tracking>>,
) -> impl IntoView {
    let w = words();
    let t = use_texts().get_untracked();
    let ctx = use_ctx();
    let problems: Problems = RwSignal::new(Vec::new());
    // Checked by a lookup a moment ago: not asked again.
    let already = checked_id(&code);
    let ask_id = !owner && already.is_empty();
    let citizen_id = RwSignal::new(already);
    let busy = Busy::new();
    let kiosk_url = RwSignal::new(None::<String>);
    let payment = Memo::new(move |_| data.with(|d| d.as_ref().and_then(|d| d.payment.clone())));
    poll_while_waiting(code.clone(), token.clone(), data, payment, kiosk_url);
    let (qr_code, qr_token) = (code.clone(), token.clone());
    let start = {
        let (code, token) = (code.clone(), token.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.is_on() {
                return;
            }
            let ask = PayAsk {
                token: token.clone(),
                citizen_id: citizen_id
                    .get_untracked()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect(),
            };
            if !owner && ask.citizen_id.is_empty() && ctx.me.with_untracked(Option::is_none) {
                return show(problems, vec![("pay-id", w.id_label.to_string())]);
            }
            let code = code.clone();
            busy.run(async move {
                match api::tracking::start_payment(&ctx.api_base(), &code, &ask).await {
                    Ok(s) => {
                        problems.set(Vec::new());
                        if crate::kiosk::on_screen() {
                            // Never the payment page in a shared browser.
                            kiosk_url.set(Some(s.pay_url));
                            focus_id("pay-qr-h");
                        } else {
                            let _ = window().location().assign(&s.pay_url);
                        }
                    }
                    Err(e) => show_api(problems, &e, t, &["pay-id"]),
                }
            });
        }
    };
    // How a fee paid on filing is made (per copy × copies), as the receipt said.
    let made_of = data.with_untracked(|d| {
        d.as_ref()
            .filter(|d| d.status != DossierStatus::PaymentRequested && d.fee.contains('×'))
            .map(|d| d.fee.clone())
    });
    let amount_line = amount.map(|a| {
        view! {
            <p class="amount"><span>{format!("{}: ", w.fee)}</span><strong id="pay-amount">{format!("{} đ", t.number(a as usize))}</strong></p>
            {made_of.map(|f| view! { <p class="hint" id="pay-made-of">{f}</p> })}
        }
    });
    view! {
        <section class="panel" aria-labelledby="pay-online-h" id="pay-online">
            <h2 id="pay-online-h">{w.title}</h2>
            {amount_line}
            {move || match payment.get() {
                Some(p) if p.state == PaymentState::Paid => {
                    let (agency, procedure) = data.with(|d| d.as_ref().map(|d| (d.agency_name.clone(), d.procedure_name.clone())).unwrap_or_default());
                    paid_view(&p, &agency, &procedure).into_any()
                }
                Some(p) if p.state == PaymentState::Pending => view! {
                    <p class="notice" id="payment-pending" role="status">{w.pending}</p>
                }.into_any(),
                Some(p) => view! {
                    <p class="notice notice-error" id="payment-failed" role="alert">{p.reason.clone()}</p>
                }.into_any(),
                None => ().into_any(),
            }}
            // Drawn by the portal (no QR encoder in this bundle).
            {move || kiosk_url.get().map(|_| view! {
                <div class="pay-qr">
                    <h3 id="pay-qr-h" tabindex="-1">{w.kiosk}</h3>
                    <img class="qr qr-large" alt=w.kiosk id="pay-qr"
                        src=format!("{}/dossiers/{}/payment/qr.svg?token={}", ctx.api_base(), qr_code, crate::router::percent_encode(&qr_token))/>
                </div>
            })}
            {move || (!payment.with(|p| p.as_ref().is_some_and(|p| p.state == PaymentState::Paid)) && kiosk_url.with(Option::is_none)).then(|| {
                let again = payment.with(|p| p.as_ref().is_some_and(|p| p.state == PaymentState::Failed));
                view! {
                    <ErrorSummary problems=problems/>
                    <form class="form" novalidate on:submit=start.clone()>
                        {ask_id.then(|| view! {
                            <Field id="pay-id" label=w.id_label hint=w.id_hint problems=problems inputmode="numeric" value=citizen_id/>
                        })}
                        <button type="submit" class="button" id="pay-start" aria-disabled=move || busy.get().then_some("true")>
                            {if again { w.again } else { w.pay }}
                        </button>
                    </form>
                    <p class="hint">{w.or_desk}</p>
                }
            })}
        </section>
    }
}

/// While a payment is pending (or shown on a kiosk's QR code): the
/// dossier asked again every 2 s, until it is settled or the page goes.
fn poll_while_waiting(
    poll_code: String,
    poll_token: String,
    data: RwSignal<Option<Tracking>>,
    payment: Memo<Option<contract::tracking::Payment>>,
    kiosk_url: RwSignal<Option<String>>,
) {
    let ctx = use_ctx();
    let waiting = move || {
        payment.with(|p| p.as_ref().is_some_and(|p| p.state == PaymentState::Pending))
            || kiosk_url.with(Option::is_some)
    };
    let tick = set_interval_with_handle(
        move || {
            if !waiting() {
                return;
            }
            let (c, tk) = (poll_code.clone(), poll_token.clone());
            let base = ctx.api_base();
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = api::tracking::track(&base, &c, &tk).await {
                    if fresh.payment.as_ref().is_some_and(|p| p.state != PaymentState::Pending) {
                        kiosk_url.try_set(None);
                    }
                    data.try_set(Some(fresh));
                }
            });
        },
        std::time::Duration::from_secs(2),
    )
    .ok();
    on_cleanup(move || {
        if let Some(h) = tick {
            h.clear();
        }
    });
}
