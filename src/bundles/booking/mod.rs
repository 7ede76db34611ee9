//! Appointments at the desk: booking a time (`Book`), the ticket with its
//! QR code (`ticket.rs`; on a kiosk, checking in), the kiosk's queue
//! numbers (`queue.rs`): the appointments bundle; and the bookings in "Hồ
//! sơ của tôi" (`list.rs`, drawn by the mine bundle). Where the page stands (desk, day, time, booking for whom)
//! is in the URL, so a reload or Back keeps it; the details of someone
//! booked for are kept in the tab's storage (wiped as personal) until booked.

mod list;
mod queue;
mod ticket;

pub use list::Bookings;
pub use queue::Queue;
pub use ticket::TicketPage;

pub mod client;
pub mod texts;

use contract::appointments::{Attendee, Calendar, DayView, NewBooking, SlotView, Standing};
use leptos::prelude::*;

use crate::api::{self, FetchError};
use crate::bundles::booking::texts::{texts, BookingTexts};
use crate::components::form::{has_problems, show, ErrorSummary, Field, Problems, SubmitButton};
use crate::components::page::PageHeading;
use crate::ctx::{use_ctx, use_texts};
use crate::router::{use_location, Page};

pub(crate) fn bt() -> &'static BookingTexts {
    texts(use_texts().get_untracked().lang)
}

/// What the portal said, in the page's language ("vi / en" messages), or
/// the usual words for a dropped network.
pub fn says(e: &FetchError, t: &crate::i18n::Texts) -> String {
    match e {
        FetchError::Api { error, .. } if error.error.code != "rate_limited" => {
            let m = &error.error.message;
            let (vi, en) = m.split_once(" / ").unwrap_or((m, m));
            match t.lang {
                crate::i18n::Lang::Vi => vi.to_string(),
                crate::i18n::Lang::En => en.to_string(),
            }
        }
        _ => crate::components::form::explain(e, t),
    }
}

/// "Thứ Ba, 08/12/2026".
pub fn day_label(t: &BookingTexts, d: &DayView) -> String {
    format!("{}, {}", t.weekdays[usize::from(d.weekday.min(6))], d.date)
}

/// Whether a slot can be chosen by someone with (or without) priority.
pub fn choosable(s: &SlotView, priority: bool) -> bool {
    !s.past && (s.free > 0 || (priority && s.priority_free > 0))
}

/// "07:30–08:00 · còn 2 chỗ" (or full, or passed).
pub fn slot_label(t: &BookingTexts, s: &SlotView, priority: bool) -> String {
    let places = if s.past {
        t.past.to_string()
    } else if s.free > 0 {
        t.free.replace("{n}", &s.free.to_string())
    } else if priority && s.priority_free > 0 {
        t.priority_free.replace("{n}", &s.priority_free.to_string())
    } else {
        t.full.to_string()
    };
    format!("{}–{} · {places}", s.start, s.end)
}

/// The day to show first: the one asked for, else the first with a time
/// the person can choose and room for them that day.
pub fn first_day(cal: &Calendar, asked: &str, priority: bool) -> String {
    let full = cal.standing.as_ref().map(|s| s.full_days.clone()).unwrap_or_default();
    if cal.days.iter().any(|d| d.date == asked) {
        return asked.to_string();
    }
    cal.days
        .iter()
        .find(|d| !full.contains(&d.date) && d.slots.iter().any(|s| choosable(s, priority)))
        .or(cal.days.first())
        .map(|d| d.date.clone())
        .unwrap_or_default()
}

/// The details of the person booked for, kept in the tab until booked.
#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct Other {
    full_name: String,
    citizen_id: String,
    birth_date: String,
    phone: String,
}

fn keep_other(o: &Other) {
    if let (Some(s), Some(json)) = (crate::storage::session(), crate::json::to_string(o)) {
        let _ = s.set_item(crate::storage::BOOKING_FOR, &json);
    }
}

fn kept_other() -> Other {
    crate::storage::session()
        .and_then(|s| s.get_item(crate::storage::BOOKING_FOR).ok().flatten())
        .and_then(|j| crate::json::parse(&j))
        .unwrap_or_default()
}

/// What the booking page holds: where it stands (kept in the URL) and
/// the details of someone booked for (kept in the tab).
#[derive(Clone, Copy)]
struct Form {
    desk: RwSignal<String>,
    day: RwSignal<String>,
    slot: RwSignal<String>,
    for_other: RwSignal<bool>,
    name: RwSignal<String>,
    id: RwSignal<String>,
    birth: RwSignal<String>,
    phone: RwSignal<String>,
    consent: RwSignal<bool>,
    problems: Problems,
}

impl Form {
    /// From the URL, the kiosk's desk (or the one last chosen) and the tab.
    fn read(location: crate::router::Location) -> Form {
        let remembered = crate::kiosk::place()
            .or_else(|| {
                crate::storage::local()
                    .and_then(|s| s.get_item(crate::storage::PLACE).ok().flatten())
            })
            .unwrap_or_default();
        let asked = location.param("noi");
        let kept = kept_other();
        Form {
            desk: RwSignal::new(if asked.is_empty() { remembered } else { asked }),
            day: RwSignal::new(location.param("ngay")),
            slot: RwSignal::new(location.param("gio")),
            for_other: RwSignal::new(location.param("ai") == "khac"),
            name: RwSignal::new(kept.full_name),
            id: RwSignal::new(kept.citizen_id),
            birth: RwSignal::new(kept.birth_date),
            phone: RwSignal::new(kept.phone),
            consent: RwSignal::new(false),
            problems: RwSignal::new(Vec::new()),
        }
    }

    /// Keep the choices in the URL (replaced: one history entry for the
    /// page) and the other person's details in the tab, as they change.
    fn keep(self, location: crate::router::Location, procedure: String, moving: String) {
        Effect::new(move |prev: Option<()>| {
            let (d, dd, s, o) =
                (self.desk.get(), self.day.get(), self.slot.get(), self.for_other.get());
            if prev.is_some() {
                location.replace(&Page::Book.with(&[
                    ("thu-tuc", &procedure),
                    ("doi", &moving),
                    ("noi", &d),
                    ("ngay", &dd),
                    ("gio", &s),
                    ("ai", if o { "khac" } else { "" }),
                ]));
            }
        });
        Effect::new(move |prev: Option<()>| {
            let o = Other {
                full_name: self.name.get(),
                citizen_id: self.id.get(),
                birth_date: self.birth.get(),
                phone: self.phone.get(),
            };
            if prev.is_some() {
                keep_other(&o);
            }
        });
    }

    fn request(self, procedure: String) -> NewBooking {
        let attendee = self.for_other.get_untracked().then(|| Attendee {
            full_name: self.name.get_untracked(),
            citizen_id: self.id.get_untracked(),
            birth_date: self.birth.get_untracked(),
            phone: self.phone.get_untracked(),
            consent: self.consent.get_untracked(),
        });
        NewBooking {
            desk: self.desk.get_untracked(),
            date: self.day.get_untracked(),
            slot: self.slot.get_untracked(),
            procedure,
            attendee,
        }
    }
}

type CalendarResource = LocalResource<Result<Calendar, FetchError>>;

/// "Đặt lịch đến nộp hồ sơ": desk, who, day and time, then the ticket.
/// `?doi=<code>` moves that booking instead (same desk, same person).
#[component]
pub fn Book() -> impl IntoView {
    let b = bt();
    let ctx = use_ctx();
    let location = use_location();
    crate::ctx::require_account(move || location_href(location));
    let procedure = location.param("thu-tuc");
    let moving = location.param("doi");
    let form = Form::read(location);
    form.keep(location, procedure.clone(), moving.clone());
    let busy = crate::components::form::Busy::new();
    follow_moved_booking(form, moving.clone());
    let calendar = {
        let procedure = procedure.clone();
        LocalResource::new(move || {
            let (base, d, p) = (ctx.api_base(), form.desk.get(), procedure.clone());
            async move {
                if d.is_empty() {
                    return Err(FetchError::Network);
                }
                client::calendar(&base, &d, &p).await
            }
        })
    };
    let standing = Signal::derive(move || -> Standing {
        calendar.get().and_then(|c| c.ok()).and_then(|c| c.standing).unwrap_or_default()
    });
    // Who comes decides priority: the account holder's standing, or the
    // birth date typed for someone else.
    let priority = Signal::derive(move || {
        if form.for_other.get() {
            let today = contract::time::vn_date((js_sys::Date::now() / 1000.0) as u64);
            contract::appointments::priority(&form.birth.get(), today)
        } else {
            standing.get().priority
        }
    });
    // Once the calendar is here: the day to show.
    Effect::new(move |_| {
        if let Some(Ok(cal)) = calendar.get() {
            let first = first_day(&cal, &form.day.get_untracked(), priority.get_untracked());
            if form.day.get_untracked() != first {
                form.day.set(first);
            }
        }
    });
    let notices = move || {
        let s = standing.get();
        view! {
            {s.wait_until.map(|d| view! { <p class="notice notice-error" id="book-wait" role="alert">{b.wait_note.replace("{day}", &d)}</p> })}
            {priority.get().then(|| view! { <p class="notice" id="book-priority">{b.priority_note}</p> })}
        }
    };
    let submit = busy.submit(book_or_move(form, busy, calendar, procedure.clone(), moving.clone()));
    let is_moving = !moving.is_empty();
    let moving_lead = is_moving.then(|| {
        let code = contract::appointments::show_code(&moving);
        view! { <p class="notice" id="book-moving">{b.moving_lead.replace("{code}", &code)}</p> }
    });
    view! {
        <PageHeading text=b.title.to_string() error=has_problems(form.problems)/>
        <p>{b.lead}</p>
        {moving_lead}
        <ProcedureLine code=procedure/>
        {notices}
        <ErrorSummary problems=form.problems/>
        <form class="form" novalidate on:submit=submit>
            <DeskChoice form=form fixed=is_moving/>
            {(!is_moving).then(|| view! { <WhoComes form=form/> })}
            <DayAndTime form=form calendar=calendar priority=priority/>
            <SubmitButton busy=busy>{if is_moving { b.move_button } else { b.book_button }}</SubmitButton>
        </form>
    }
}

/// What `code` names, fetched with `get(api base, code)`; nothing when
/// the page names none.
fn named<T: 'static, F: std::future::Future<Output = Option<T>> + 'static>(
    code: String,
    get: impl Fn(String, String) -> F + 'static,
) -> LocalResource<Option<T>> {
    let ctx = use_ctx();
    LocalResource::new(move || {
        let asked = (!code.is_empty()).then(|| get(ctx.api_base(), code.clone()));
        async move {
            match asked {
                Some(fetch) => fetch.await,
                None => None,
            }
        }
    })
}

/// Moving a booking: the page takes its desk.
fn follow_moved_booking(form: Form, code: String) {
    let ticket = named(code, |base, code| async move { client::ticket(&base, &code).await.ok() });
    Effect::new(move |_| {
        if let Some(Some(tk)) = ticket.get() {
            if form.desk.get_untracked() != tk.desk {
                form.desk.set(tk.desk.clone());
            }
        }
    });
}

/// What the booking button does: book (or move), then show the ticket; a
/// slot taken meanwhile is said beside the times, which are read again.
fn book_or_move(
    form: Form,
    busy: crate::components::form::Busy,
    calendar: CalendarResource,
    procedure: String,
    moving: String,
) -> impl Fn() + 'static {
    let t = use_texts().get_untracked();
    let b = bt();
    let ctx = use_ctx();
    let location = use_location();
    move || {
        if form.slot.get_untracked().is_empty() {
            show(form.problems, vec![("slot", b.choose_slot.to_string())]);
            return;
        }
        let req = form.request(procedure.clone());
        let moving = moving.clone();
        busy.run(async move {
            let base = ctx.api_base();
            let done = if moving.is_empty() {
                client::book(&base, &req).await
            } else {
                client::move_to(&base, &moving, &req.date, &req.slot).await
            };
            match done {
                Ok(tk) => {
                    keep_other(&Other::default());
                    location.navigate(&Page::Ticket(tk.code).href());
                }
                Err(e) => {
                    let full = matches!(&e, FetchError::Api { error, .. } if error.error.code == "slot_full");
                    if full {
                        form.slot.set(String::new());
                        calendar.refetch();
                        show(form.problems, vec![("slot", b.slot_taken.to_string())]);
                    } else {
                        let fields = ["attendee.", "date", "slot", "desk", "procedure"];
                        let mut list = crate::components::form::from_api(&e, t, &fields);
                        // A refusal of the whole booking says its own cause.
                        if list.iter().all(|(f, _)| f.is_empty()) {
                            list = vec![(String::new(), says(&e, t))];
                        }
                        show(form.problems, list);
                    }
                }
            }
        });
    }
}

/// "Thủ tục: …" when the page was opened from a procedure.
#[component]
fn ProcedureLine(code: String) -> impl IntoView {
    let b = bt();
    let name = named(code, |base, code| async move {
        api::catalog::procedure(&base, &code).await.ok().map(|f| f.data.name)
    });
    move || {
        name.get()
            .flatten()
            .map(|n| view! { <p id="book-procedure"><strong>{b.procedure}": "</strong>{n}</p> })
    }
}

/// The desk: the catalog's units (the first when none was asked for).
#[component]
fn DeskChoice(form: Form, fixed: bool) -> impl IntoView {
    let b = bt();
    let ctx = use_ctx();
    let units = LocalResource::new(move || {
        let base = ctx.api_base();
        async move { api::catalog::units(&base).await.map(|f| f.data) }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = units.get() {
            if form.desk.get_untracked().is_empty() {
                if let Some(u) = list.first() {
                    form.desk.set(u.code.clone());
                }
            }
        }
    });
    let options = move || {
        units.get().and_then(|r| r.ok()).map(|list| {
            list.into_iter()
                .map(|u| {
                    let code = u.code.clone();
                    view! { <option value=u.code.clone() selected=move || form.desk.get() == code>{u.desk_name()}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="field">
            <label for="desk" class="label">{b.desk_label}</label>
            <p id="desk-hint" class="hint">{b.desk_hint}</p>
            <select id="desk" class="input" aria-describedby="desk-hint" disabled=fixed
                on:change=move |ev| { form.desk.set(event_target_value(&ev)); form.slot.set(String::new()); }>
                {options}
            </select>
        </div>
    }
}

/// Me, or someone else (their details and consent).
#[component]
fn WhoComes(form: Form) -> impl IntoView {
    let b = bt();
    let problems = form.problems;
    let other_fields = move || {
        form.for_other.get().then(|| {
            let consent_error = move || crate::components::form::error_for(problems, "attendee.consent");
            view! {
                <Field id="attendee.full_name" label=b.name_label value=form.name problems=problems autocomplete="off"/>
                <Field id="attendee.citizen_id" label=b.id_label value=form.id problems=problems inputmode="numeric" autocomplete="off"/>
                <Field id="attendee.birth_date" label=b.birth_label hint=b.birth_hint value=form.birth problems=problems inputmode="numeric" autocomplete="off"/>
                <Field id="attendee.phone" label=b.phone_label value=form.phone problems=problems kind="tel" autocomplete="off"/>
                <div class="field" class:field-invalid=move || consent_error().is_some()>
                    {move || consent_error().map(|m| view! { <p class="field-error" id="attendee.consent-error">{m}</p> })}
                    <label class="choice">
                        <input type="checkbox" id="attendee.consent" prop:checked=form.consent
                            on:change=move |ev| form.consent.set(event_target_checked(&ev))/>
                        " " {b.consent}
                    </label>
                </div>
            }
        })
    };
    view! {
        <fieldset class="field">
            <legend class="label">{b.who_legend}</legend>
            <label class="choice">
                <input type="radio" name="ai" prop:checked=move || !form.for_other.get() on:change=move |_| form.for_other.set(false)/>
                " " {b.who_me}
            </label>
            <label class="choice">
                <input type="radio" name="ai" id="ai-khac" prop:checked=move || form.for_other.get() on:change=move |_| form.for_other.set(true)/>
                " " {b.who_other}
            </label>
        </fieldset>
        {other_fields}
    }
}

/// The days offered, then the chosen day's times with their free places.
#[component]
fn DayAndTime(form: Form, calendar: CalendarResource, priority: Signal<bool>) -> impl IntoView {
    let t = use_texts().get_untracked();
    let b = bt();
    move || {
        let Some(result) = calendar.get() else {
            return view! { <p class="loading">{t.loading}</p> }.into_any();
        };
        let Ok(cal) = result else {
            return view! { <crate::components::page::Unreachable retry=move || calendar.refetch()/> }
            .into_any();
        };
        if cal.days.is_empty() {
            return view! { <p>{b.no_days}</p> }.into_any();
        }
        let full_days = cal.standing.as_ref().map(|s| s.full_days.clone()).unwrap_or_default();
        let days = cal
            .days
            .iter()
            .map(|d| {
                let label = if full_days.contains(&d.date) {
                    format!("{} ({})", day_label(b, d), b.full_day)
                } else {
                    day_label(b, d)
                };
                let (date, value) = (d.date.clone(), d.date.clone());
                view! {
                    <label class="choice">
                        <input type="radio" name="ngay" value=value.clone()
                            prop:checked=move || form.day.get() == date
                            on:change=move |_| { form.day.set(value.clone()); form.slot.set(String::new()); }/>
                        " " {label}
                    </label>
                }
            })
            .collect_view();
        let shown = cal.days.into_iter().find(|d| d.date == form.day.get());
        view! {
            <fieldset class="field" id="date" tabindex="-1">
                <legend class="label">{b.day_legend}</legend>
                <div class="choices">{days}</div>
            </fieldset>
            {shown.map(|d| times(form, d, priority.get()))}
        }
        .into_any()
    }
}

/// One day's times: each with its free places, the full or past ones shown
/// but not to be chosen.
fn times(form: Form, d: DayView, prio: bool) -> impl IntoView {
    let b = bt();
    let any = d.slots.iter().any(|s| choosable(s, prio));
    let options = d
        .slots
        .into_iter()
        .map(|s| {
            let ok = choosable(&s, prio);
            let label = slot_label(b, &s, prio);
            let (start, value) = (s.start.clone(), s.start.clone());
            view! {
                <label class="choice" class:choice-off=!ok>
                    <input type="radio" name="gio" value=value.clone() disabled=!ok
                        prop:checked=move || form.slot.get() == start
                        on:change=move |_| form.slot.set(value.clone())/>
                    " " {label}
                </label>
            }
        })
        .collect_view();
    let error = move || crate::components::form::error_for(form.problems, "slot");
    view! {
        <fieldset class="field" id="slot" tabindex="-1" class:field-invalid=move || error().is_some()>
            <legend class="label">{b.slot_legend}</legend>
            {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
            {(!any).then(|| view! { <p>{b.no_slots}</p> })}
            <div class="choices">{options}</div>
        </fieldset>
    }
}

/// Where the page stands (to come back to after signing in).
fn location_href(location: crate::router::Location) -> String {
    let (path, query) = (location.path.get_untracked(), location.query.get_untracked());
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.trim_start_matches('?'))
    }
}

/// The appointments bundle's pages.
pub fn draw(shown: crate::router::Page, _: Memo<crate::router::Page>) -> AnyView {
    match shown {
        crate::router::Page::Book => view! { <Book/> }.into_any(),
        crate::router::Page::Ticket(code) => view! { <TicketPage code=code/> }.into_any(),
        crate::router::Page::Queue => view! { <Queue/> }.into_any(),
        _ => ().into_any(),
    }
}

#[cfg(test)]
mod tests;
