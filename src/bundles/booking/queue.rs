//! "Lấy số thứ tự" at the office: with a booking, its code typed (or its
//! QR code scanned, which opens the ticket link the kiosk checks in); without
//! one, a walk-in number for the kiosk's desk (or the one chosen).

use contract::appointments::{parse_booking_text, CheckIn, QueueTicket};

use super::ticket::NumberView;
use super::*;

#[component]
pub fn Queue() -> impl IntoView {
    let t = use_texts().get_untracked();
    let b = bt();
    let ctx = use_ctx();
    let kiosk_desk = crate::kiosk::place().unwrap_or_default();
    let code = RwSignal::new(String::new());
    let desk = RwSignal::new(kiosk_desk.clone());
    let problems: Problems = RwSignal::new(Vec::new());
    let got: RwSignal<Option<QueueTicket>> = RwSignal::new(None);
    let busy = crate::components::form::Busy::new();
    let units = LocalResource::new(move || {
        let base = ctx.api_base();
        async move { api::catalog::units(&base).await.map(|f| f.data) }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = units.get() {
            if desk.get_untracked().is_empty() {
                if let Some(u) = list.first() {
                    desk.set(u.code.clone());
                }
            }
        }
    });
    // A number asked for: shown, or the refusal said at `field`.
    let issue = move |call: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<QueueTicket, FetchError>>>,
    >,
                      field: &'static str| {
        busy.run(async move {
            match call.await {
                Ok(q) => {
                    problems.set(Vec::new());
                    got.set(Some(q));
                }
                Err(e) => show(problems, vec![(field.to_string(), says(&e, t))]),
            }
        });
    };
    let kiosk = StoredValue::new(kiosk_desk.clone());
    // Copy (drawn again whenever the page changes between form and number).
    let check_in = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(c) = parse_booking_text(&code.get_untracked()) else {
            show(problems, vec![("booking-code", b.code_invalid.to_string())]);
            return;
        };
        let req = CheckIn { code: c, desk: kiosk.get_value() };
        let base = ctx.api_base();
        issue(Box::pin(async move { client::check_in(&base, &req).await }), "booking-code");
    };
    let walk_in = move |_| {
        let d = desk.get_untracked();
        let base = ctx.api_base();
        issue(Box::pin(async move { client::walk_in(&base, &d).await }), "");
    };
    let desks = move || {
        units.get().and_then(|r| r.ok()).map(|list| {
            list.into_iter()
                .map(|u| {
                    let c = u.code.clone();
                    view! { <option value=u.code.clone() selected=move || desk.get() == c>{u.desk_name()}</option> }
                })
                .collect_view()
        })
    };
    let choose_desk = kiosk_desk.is_empty();
    // A number taken: focus its heading, so a screen reader reads it.
    Effect::new(move |_| {
        if got.with(Option::is_some) {
            crate::components::form::focus_id("queue-number-h");
        }
    });
    view! {
        <PageHeading text=b.queue_title.to_string() error=has_problems(problems)/>
        {move || match got.get() {
            Some(q) => view! {
                <h2 id="queue-number-h" tabindex="-1" class="visually-hidden">{b.your_number}</h2>
                <NumberView q=q/>
            }
            .into_any(),
            None => view! {
                <p>{b.queue_lead}</p>
                <ErrorSummary problems=problems/>
                <section aria-labelledby="have-booking-h" class="panel">
                    <h2 id="have-booking-h">{b.have_booking}</h2>
                    <form class="form" novalidate on:submit=check_in>
                        <Field id="booking-code" label=b.code_label hint=b.code_hint value=code problems=problems autocomplete="off"/>
                        <SubmitButton busy=busy>{b.check_in_button}</SubmitButton>
                    </form>
                    <p><a class="button button-secondary" href=Page::Scan.href() id="queue-scan">{b.scan}</a></p>
                </section>
                <section aria-labelledby="no-booking-h" class="panel">
                    <h2 id="no-booking-h">{b.no_booking}</h2>
                    <p>{b.walk_in_lead}</p>
                    {choose_desk.then(|| view! {
                        <div class="field">
                            <label for="queue-desk" class="label">{b.desk_label}</label>
                            <select id="queue-desk" class="input" on:change=move |ev| desk.set(event_target_value(&ev))>{desks}</select>
                        </div>
                    })}
                    <button type="button" class="button" id="walk-in" aria-disabled=move || busy.get().then_some("true")
                        on:click=walk_in>{b.walk_in_button}</button>
                </section>
            }
            .into_any(),
        }}
    }
}
