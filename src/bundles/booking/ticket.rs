//! The ticket (phiếu hẹn): on a phone, the booking with its code and QR
//! code, what to bring, and cancel or change; kept on the device to show
//! at the desk without a network. On a kiosk the same link (its QR code
//! scanned) checks the booking in and shows the queue number.

use contract::appointments::{show_code, ticket_path, BookingState, CheckIn, QueueTicket, Ticket};

use super::*;
use crate::components::qr::QrCode;

pub(super) fn state_text(lang: crate::i18n::Lang, s: BookingState) -> &'static str {
    match lang {
        crate::i18n::Lang::Vi => s.vi(),
        crate::i18n::Lang::En => s.en(),
    }
}

fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// A booking's page: the ticket, or on a kiosk the check-in.
#[component]
pub fn TicketPage(code: String) -> impl IntoView {
    if crate::kiosk::on_screen() {
        view! { <CheckInByLink code=code/> }.into_any()
    } else {
        view! { <TicketView code=code/> }.into_any()
    }
}

#[component]
fn TicketView(code: String) -> impl IntoView {
    let t = use_texts().get_untracked();
    let b = bt();
    let ctx = use_ctx();
    {
        let code = code.clone();
        crate::ctx::require_account(move || Page::Ticket(code.clone()).href());
    }
    let key = format!("{}{code}", crate::storage::TICKET);
    let ticket = {
        let (code, key) = (code.clone(), key.clone());
        LocalResource::new(move || {
            let (base, code, key) = (ctx.api_base(), code.clone(), key.clone());
            async move {
                match client::ticket(&base, &code).await {
                    Ok(tk) => {
                        if let Some(json) = crate::json::to_string(&tk) {
                            crate::offline::save(&key, &json);
                        }
                        Ok((tk, false))
                    }
                    Err(FetchError::Network) => crate::offline::load(&key)
                        .and_then(|j| crate::json::parse::<Ticket>(&j))
                        .map(|tk| (tk, true))
                        .ok_or(FetchError::Network),
                    Err(e) => Err(e),
                }
            }
        })
    };
    let body = move || {
        let Some(result) = ticket.get() else {
            return view! { <p class="loading">{t.loading}</p> }.into_any();
        };
        let (tk, kept) = match result {
            Ok(x) => x,
            Err(e) if e.is_not_found() => return view! { <p class="notice" role="alert">{b.not_found}</p> }.into_any(),
            Err(_) => {
                return view! { <crate::components::page::Unreachable retry=move || ticket.refetch()/> }
                .into_any()
            }
        };
        let changeable = tk.changeable.then(|| {
            view! { <Change code=tk.code.clone() refetch=Callback::new(move |_: ()| ticket.refetch())/> }
        });
        view! {
            {kept.then(|| view! { <p class="notice no-print" id="ticket-offline">{t.offline_notice}</p> })}
            {card(&tk, ctx.lang.get_untracked())}
            <p class="no-print actions-row">
                <button type="button" class="button" on:click=|_| { let _ = window().print(); }>{b.print}</button>
            </p>
            {changeable}
        }
        .into_any()
    };
    view! {
        <PageHeading text=b.ticket_title.to_string()/>
        <p class="no-print">{b.ticket_lead}</p>
        {body}
        <p class="no-print"><a href=Page::Mine.href()>{crate::bundles::texts::track::texts(ctx.lang.get_untracked()).mine_title}</a></p>
    }
}

/// The ticket itself: when and where first, then the QR code the kiosk
/// reads, then the rest.
fn card(tk: &Ticket, lang: crate::i18n::Lang) -> impl IntoView {
    let b = bt();
    let link = format!("{}{}", origin(), ticket_path(&tk.code));
    let bring = (!tk.bring.is_empty()).then(|| {
        let items = tk.bring.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view();
        view! { <div><dt>{b.bring}</dt><dd><ul>{items}</ul></dd></div> }
    });
    view! {
        <div class="status-box" id="ticket">
            <p class="ticket-code">{b.code_label}": " <strong id="ticket-code">{show_code(&tk.code)}</strong></p>
            {tk.priority.then(|| view! { <p class="badge" id="ticket-priority">{b.priority_badge}</p> })}
            <dl class="details">
                <div><dt>{b.state}</dt><dd id="ticket-state">{state_text(lang, tk.state)}</dd></div>
                {tk.number.clone().map(|n| view! { <div><dt>{b.number}</dt><dd id="ticket-number"><strong>{n}</strong></dd></div> })}
                <div><dt>{b.when}</dt><dd id="ticket-when">{format!("{}–{}, {}", tk.start, tk.end, tk.date)}</dd></div>
                <div><dt>{b.place}</dt><dd id="ticket-desk">{tk.desk_name.clone()}<br/>{tk.address.clone()}</dd></div>
            </dl>
            <QrCode text=link class="qr" label=b.qr_label/>
            <dl class="details">
                {(!tk.hours.is_empty()).then(|| view! { <div><dt>{b.hours}</dt><dd>{tk.hours.clone()}</dd></div> })}
                {(!tk.phone.is_empty()).then(|| view! { <div><dt>{b.phone}</dt><dd>{tk.phone.clone()}</dd></div> })}
                {(!tk.procedure_name.is_empty()).then(|| view! { <div><dt>{b.procedure}</dt><dd>{tk.procedure_name.clone()}</dd></div> })}
                <div><dt>{b.who}</dt><dd>{tk.attendee.clone()}</dd></div>
                {bring}
            </dl>
        </div>
    }
}

/// Change or cancel a booking before its slot: cancelling asks first.
#[component]
fn Change(code: String, refetch: Callback<()>) -> impl IntoView {
    let t = use_texts().get_untracked();
    let b = bt();
    let ctx = use_ctx();
    let asking = RwSignal::new(false);
    let problems: Problems = RwSignal::new(Vec::new());
    let busy = crate::components::form::Busy::new();
    let change_href = Page::Book.with(&[("doi", &code)]);
    let code = StoredValue::new(code);
    let cancel = move |_| {
        busy.run(async move {
            match client::cancel(&ctx.api_base(), &code.get_value()).await {
                Ok(()) => {
                    asking.set(false);
                    ctx.announcement.set(b.cancelled.to_string());
                    refetch.run(());
                }
                Err(e) => show(problems, vec![(String::new(), says(&e, t))]),
            }
        });
    };
    view! {
        <ErrorSummary problems=problems/>
        <p class="no-print actions-row">
            <a class="button button-secondary" id="ticket-change" href=change_href>{b.change}</a>
            <button type="button" class="button button-secondary" id="ticket-cancel"
                on:click=move |_| asking.set(true)>{b.cancel}</button>
        </p>
        {move || asking.get().then(|| view! {
            <div class="panel no-print" role="alertdialog" aria-labelledby="cancel-q" id="cancel-confirm">
                <p id="cancel-q">{b.cancel_confirm}</p>
                <p class="actions-row">
                    <button type="button" class="button" id="cancel-yes"
                        aria-disabled=move || busy.get().then_some("true")
                        on:click=cancel>{b.cancel_yes}</button>
                    <button type="button" class="button button-secondary" on:click=move |_| asking.set(false)>{b.cancel_no}</button>
                </p>
            </div>
        })}
    }
}

/// A queue number as the kiosk shows and prints it.
#[component]
pub fn NumberView(q: QueueTicket) -> impl IntoView {
    let b = bt();
    let location = use_location();
    let note = match &q.booking {
        Some(_) => b.checked_in.replace("{slot}", &q.slot),
        None => b.walk_in_note.to_string(),
    };
    view! {
        <div class="status-box queue-number" id="queue-number" role="status">
            <p>{b.your_number}</p>
            <p class="big-number" id="queue-number-value">{q.number.clone()}</p>
            <p><strong>{q.desk_name.clone()}</strong></p>
            <p id="queue-note">{note}</p>
            <p id="queue-ahead">{if q.ahead == 0 { b.next_up.to_string() } else { b.ahead.replace("{n}", &q.ahead.to_string()) }}</p>
            <p class="hint">{q.issued_at.clone()}</p>
        </div>
        <p class="no-print actions-row">
            <button type="button" class="button" id="queue-print" on:click=|_| { let _ = window().print(); }>{b.print_number}</button>
            <button type="button" class="button button-secondary" id="queue-done" on:click=move |_| location.navigate(&Page::Home.href())>{b.done}</button>
        </p>
    }
}

/// On a kiosk, the ticket's QR link: check in and show the number.
#[component]
fn CheckInByLink(code: String) -> impl IntoView {
    let t = use_texts().get_untracked();
    let b = bt();
    let ctx = use_ctx();
    let desk = crate::kiosk::place().unwrap_or_default();
    let done = LocalResource::new(move || {
        let req = CheckIn { code: code.clone(), desk: desk.clone() };
        let base = ctx.api_base();
        async move { client::check_in(&base, &req).await }
    });
    view! {
        <PageHeading text=b.queue_title.to_string()/>
        {move || match done.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Ok(q)) => view! { <NumberView q=q/> }.into_any(),
            Some(Err(e)) => view! {
                <div class="notice notice-error" role="alert" id="check-in-error">
                    <p>{says(&e, t)}</p>
                </div>
                <p><a class="button" href=Page::Queue.href()>{b.walk_in_button}</a></p>
            }
            .into_any(),
        }}
    }
}
