//! "Thống kê": the figures citizens and officials watch, from the portal's
//! real data. Headline figures, a monthly trend of dossiers received and of
//! the on-time share, and a comparison by desk, each drawn as SVG by the
//! app with a text summary and the full table beside it. Filters (period,
//! desk) live in the URL: `?tu=YYYY-MM&den=YYYY-MM&noi=<unit>`.

pub mod texts;

use contract::stats::{percent, Figures, Line, Month, Stats, MAX_MONTHS};
use leptos::prelude::*;

use crate::api;
use crate::bundles::stats::texts::{texts, StatsTexts};
use crate::components::form::{error_for, show, ErrorSummary, Problems};
use crate::components::page::PageHeading;
use crate::components::place::use_units;
use crate::ctx::{use_ctx, use_texts};
use crate::i18n::{Lang, Texts};
use crate::router::{param_in, use_location, Page};

fn this_month() -> Month {
    let d = js_sys::Date::new_0();
    Month { year: d.get_full_year() as u16, month: d.get_month() as u8 + 1 }
}

/// The period and desk asked for in the URL, with defaults (the last twelve
/// months, the whole province).
fn wanted(query: &str) -> (Month, Month, String) {
    let get = |k: &str| param_in(query, k);
    let to = Month::parse(&get("den")).unwrap_or_else(this_month);
    let from = Month::parse(&get("tu")).unwrap_or(to.minus(11));
    (from, to, get("noi"))
}

fn share_text(t: &Texts, share: Option<f64>) -> String {
    share.map_or_else(|| "—".to_string(), |s| percent(s, t.lang == Lang::Vi))
}

#[component]
pub fn StatsPage() -> impl IntoView {
    let t = use_texts().get_untracked();
    let st = texts(t.lang);
    let ctx = use_ctx();
    let location = use_location();
    let units = use_units();
    let (from0, to0, unit0) = wanted(&location.query.get_untracked());
    let from = RwSignal::new(from0.to_string());
    let to = RwSignal::new(to0.to_string());
    let unit = RwSignal::new(unit0);
    let problems: Problems = RwSignal::new(Vec::new());
    let period_error = move || error_for(problems, "tu");
    let data = LocalResource::new(move || {
        let (f, to, u) = wanted(&location.query.get());
        let base = ctx.api_base();
        async move { api::stats::stats(&base, &f.to_string(), &to.to_string(), &u).await }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (f, to_m) = (Month::parse(&from.get_untracked()), Month::parse(&to.get_untracked()));
        let ok = matches!((f, to_m), (Some(a), Some(b)) if !a.through(b).is_empty() && a.through(b).len() <= MAX_MONTHS);
        if !ok {
            return show(problems, vec![("tu", st.period_error.to_string())]);
        }
        problems.set(Vec::new());
        let (f, to, u) = (from.get_untracked(), to.get_untracked(), unit.get_untracked());
        location.navigate(&Page::Stats.with(&[("tu", &f), ("den", &to), ("noi", &u)]));
    };
    let month_options = move |selected: RwSignal<String>| {
        let now = this_month();
        (0..MAX_MONTHS as u32)
            .map(|i| {
                let m = now.minus(i);
                let key = m.to_string();
                let is = selected.get_untracked() == key;
                view! { <option value=key selected=is>{format!("{:02}/{}", m.month, m.year)}</option> }
            })
            .collect_view()
    };
    let unit_options = move || {
        units.get().map(|list| {
            let chosen = unit.get_untracked();
            crate::components::place::place_options(&list, Some(chosen.as_str()), false)
        })
    };
    view! {
        <PageHeading text=st.title.to_string() error=Signal::derive(move || period_error().is_some())/>
        <p>{st.lead}</p>
        <ErrorSummary problems=problems/>
        <form class="form filters" novalidate on:submit=submit>
            <div class="field" class:field-invalid=move || period_error().is_some()>
                <label for="tu" class="label">{st.from}</label>
                {move || period_error().map(|m| view! { <p id="tu-error" class="field-error">{m}</p> })}
                <select id="tu" class="input" aria-invalid=move || period_error().map(|_| "true")
                    aria-describedby=move || period_error().map(|_| "tu-error")
                    on:change=move |ev| from.set(event_target_value(&ev))>{month_options(from)}</select>
            </div>
            <div class="field">
                <label for="den" class="label">{st.to}</label>
                <select id="den" class="input" on:change=move |ev| to.set(event_target_value(&ev))>{month_options(to)}</select>
            </div>
            <div class="field">
                <label for="noi" class="label">{st.place}</label>
                <select id="noi" class="input" on:change=move |ev| unit.set(event_target_value(&ev))>
                    <option value="">{st.whole_province}</option>
                    {unit_options}
                </select>
            </div>
            <button type="submit" class="button">{st.show}</button>
        </form>
        {move || match data.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Err(_)) => view! { <crate::components::page::Unreachable retry=move || data.refetch()/> }.into_any(),
            Some(Ok(s)) => view! { <Report s=s/> }.into_any(),
        }}
    }
}

/// The figures of one answer: headline, charts with summaries, tables.
#[component]
fn Report(s: Stats) -> impl IntoView {
    let t = use_texts().get_untracked();
    let st = texts(t.lang);
    let f = s.totals;
    let tile = |id: &'static str, label: &'static str, value: String, detail: String| {
        view! {
            <div class="tile">
                <dt>{label}</dt>
                <dd id=id class="tile-value">{value}</dd>
                <dd class="muted">{detail}</dd>
            </div>
        }
    };
    let of = |n: u32| st.of.replace("{n}", &t.number(n as usize));
    let months: Vec<(String, Option<f64>)> =
        s.months.iter().map(|l| (l.label.clone(), Some(l.figures.received as f64))).collect();
    let on_time: Vec<(String, Option<f64>)> = s
        .months
        .iter()
        .map(|l| (l.label.clone(), l.figures.on_time_share().map(|x| x * 100.0)))
        .collect();
    let month_summary = {
        let with_any = s.months.iter().filter(|l| l.figures.received > 0);
        let max = with_any.clone().max_by_key(|l| l.figures.received);
        let min = s.months.iter().min_by_key(|l| l.figures.received);
        match (max, min) {
            (Some(max), Some(min)) => st
                .month_summary
                .replace("{from}", &s.months.first().map(|l| l.label.clone()).unwrap_or_default())
                .replace("{to}", &s.months.last().map(|l| l.label.clone()).unwrap_or_default())
                .replace("{total}", &t.number(f.received as usize))
                .replace("{max_label}", &max.label)
                .replace("{max}", &t.number(max.figures.received as usize))
                .replace("{min_label}", &min.label)
                .replace("{min}", &t.number(min.figures.received as usize)),
            _ => st.no_data.to_string(),
        }
    };
    let on_time_summary = {
        let judged: Vec<&Line> = s.months.iter().filter(|l| l.figures.judged() > 0).collect();
        let key = |l: &&&Line| (l.figures.on_time_share().unwrap_or(0.0) * 1e6) as u64;
        match (judged.iter().max_by_key(key), judged.iter().min_by_key(key)) {
            (Some(best), Some(worst)) => st
                .on_time_summary
                .replace("{best_label}", &best.label)
                .replace("{best}", &share_text(t, best.figures.on_time_share()))
                .replace("{worst_label}", &worst.label)
                .replace("{worst}", &share_text(t, worst.figures.on_time_share())),
            _ => st.no_data.to_string(),
        }
    };
    let unit_summary = match s.units.first() {
        Some(top) => st
            .unit_summary
            .replace("{n}", &t.number(s.units.len()))
            .replace("{top_label}", &top.label)
            .replace("{top}", &t.number(top.figures.received as usize)),
        None => st.no_data.to_string(),
    };
    let unit_bars: Vec<(String, f64)> =
        s.units.iter().map(|l| (l.label.clone(), l.figures.received as f64)).collect();
    view! {
        <dl class="headline">
            {tile("stat-received", st.received, t.number(f.received as usize), format!("{}: {}", st.resolved, t.number(f.resolved as usize)))}
            {tile("stat-online", st.online, share_text(t, f.online_share()), of(f.received))}
            {tile("stat-paid-online", st.paid_online, t.number(f.paid_online as usize), st.paid_online_detail.to_string())}
            {tile("stat-bookings", st.bookings, t.number(s.queue.bookings as usize), st.bookings_detail
                .replace("{in}", &t.number(s.queue.check_ins as usize))
                .replace("{walk}", &t.number(s.queue.walk_ins as usize))
                .replace("{wait}", &s.queue.median_wait_minutes.map_or("–".to_string(), |m| t.number(m as usize))))}
            {tile("stat-on-time", st.on_time, share_text(t, f.on_time_share()), of(f.judged()))}
            {tile("stat-satisfied", st.satisfied, share_text(t, f.satisfaction_share()), of(f.ratings()))}
        </dl>
        <figure class="chart" aria-labelledby="chart-months-h">
            <h2 id="chart-months-h">{st.by_month}</h2>
            <p id="chart-months-summary">{month_summary.clone()}</p>
            {columns(&months, None, month_summary, |v| t.number(v as usize))}
        </figure>
        <figure class="chart" aria-labelledby="chart-on-time-h">
            <h2 id="chart-on-time-h">{st.on_time_by_month}</h2>
            <p id="chart-on-time-summary">{on_time_summary.clone()}</p>
            {columns(&on_time, Some(100.0), on_time_summary, |v| percent(v.round() / 100.0, t.lang == Lang::Vi))}
        </figure>
        <h2 id="table-months-h">{st.table_note} " " {st.by_month}</h2>
        {table("table-months", "table-months-h", st.month, &s.months, t, st)}
        <figure class="chart" aria-labelledby="chart-units-h">
            <h2 id="chart-units-h">{st.by_unit}</h2>
            <p id="chart-units-summary">{unit_summary.clone()}</p>
            {bars(&unit_bars, unit_summary, |v| t.number(v as usize))}
        </figure>
        {table("table-units", "chart-units-h", st.unit, &s.units, t, st)}
        <h2 id="table-fields-h">{st.by_field}</h2>
        {table("table-fields", "table-fields-h", st.field, &s.fields, t, st)}
    }
}

/// Vertical columns, one per label; `None` leaves a gap. `max`: the top of
/// the scale (else the largest value).
fn columns(
    values: &[(String, Option<f64>)],
    max: Option<f64>,
    summary: String,
    show: impl Fn(f64) -> String,
) -> impl IntoView {
    const STEP: f64 = 44.0;
    const HEIGHT: f64 = 160.0;
    let top = max.unwrap_or_else(|| values.iter().filter_map(|v| v.1).fold(0.0, f64::max)).max(1.0);
    let width = STEP * values.len() as f64 + 8.0;
    let items = values
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let x = 8.0 + STEP * i as f64;
            let short = label.get(..2).unwrap_or(label).to_string();
            let bar = v.map(|v| {
                let h = (v / top * HEIGHT).max(if v > 0.0 { 1.0 } else { 0.0 });
                let y = 20.0 + HEIGHT - h;
                view! {
                    <rect x=x y=y width="30" height=h class="bar"></rect>
                    <text x=x + 15.0 y=y - 4.0 text-anchor="middle" class="chart-value">{show(v)}</text>
                }
            });
            view! {
                <g>
                    {bar}
                    <text x=x + 15.0 y=HEIGHT + 36.0 text-anchor="middle" class="chart-label">{short}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart-svg" viewBox=format!("0 0 {width} {}", HEIGHT + 44.0) role="img" aria-label=summary
            preserveAspectRatio="xMinYMin meet">
            <line x1="4" x2=width y1=HEIGHT + 20.0 y2=HEIGHT + 20.0 class="axis"></line>
            {items}
        </svg>
    }
}

/// Horizontal bars with their labels above, for long names.
fn bars(values: &[(String, f64)], summary: String, show: impl Fn(f64) -> String) -> impl IntoView {
    const ROW: f64 = 40.0;
    const WIDTH: f64 = 600.0;
    let top = values.iter().map(|v| v.1).fold(0.0, f64::max).max(1.0);
    let items = values
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let y = ROW * i as f64;
            let w = (v / top * (WIDTH - 80.0)).max(1.0);
            view! {
                <g>
                    <text x="0" y=y + 14.0 class="chart-label">{label.clone()}</text>
                    <rect x="0" y=y + 20.0 width=w height="14" class="bar"></rect>
                    <text x=w + 6.0 y=y + 32.0 class="chart-value">{show(*v)}</text>
                </g>
            }
        })
        .collect_view();
    let height = (ROW * values.len() as f64).max(ROW);
    view! {
        <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=summary
            preserveAspectRatio="xMinYMin meet">
            {items}
        </svg>
    }
}

/// The full figures of a breakdown, as a table.
fn table(
    id: &'static str,
    labelled_by: &'static str,
    first: &'static str,
    lines: &[Line],
    t: &'static Texts,
    st: &'static StatsTexts,
) -> impl IntoView {
    let row = |l: &Line| {
        let f: Figures = l.figures;
        view! {
            <tr>
                <th scope="row">{l.label.clone()}</th>
                <td>{t.number(f.received as usize)}</td>
                <td>{share_text(t, f.online_share())}</td>
                <td>{t.number(f.resolved as usize)}</td>
                <td>{share_text(t, f.on_time_share())}</td>
                <td>{share_text(t, f.satisfaction_share())}</td>
            </tr>
        }
    };
    let rows = lines.iter().map(row).collect_view();
    view! {
        // A wide table scrolls sideways on a phone; keyboard users reach it too.
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table id=id aria-labelledby=labelled_by class="numbers">
                <thead><tr>
                    <th scope="col">{first}</th>
                    <th scope="col">{st.received}</th>
                    <th scope="col">{st.online}</th>
                    <th scope="col">{st.resolved}</th>
                    <th scope="col">{st.on_time}</th>
                    <th scope="col">{st.satisfied}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The statistics bundle's page.
pub fn draw(shown: crate::router::Page, _: Memo<crate::router::Page>) -> AnyView {
    match shown {
        crate::router::Page::Stats => view! { <StatsPage/> }.into_any(),
        _ => ().into_any(),
    }
}
