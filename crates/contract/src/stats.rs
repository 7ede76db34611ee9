//! Public service statistics: the figures a province reports for its
//! one-stop shop, computed from each dossier's facts (never from a stored
//! summary that could drift), and the Vietnamese way of writing them.
//!
//! Each figure counts an event in the month it happened: a dossier is
//! received in the month it was filed, resolved in the month it first
//! reached "Đã xử lý xong" (9), and rated in the month of its rating.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::status::DossierStatus;
use crate::tracking::{timeliness, Satisfaction, Timeliness};
use crate::validate::Date;

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: u16,
    pub month: u8,
}

impl Month {
    pub fn of(d: Date) -> Month {
        Month { year: d.year, month: d.month }
    }
    /// `YYYY-MM`.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month { year: self.year + 1, month: 1 }
        } else {
            Month { month: self.month + 1, ..self }
        }
    }
    pub fn minus(self, months: u32) -> Month {
        let index = self.year as i64 * 12 + self.month as i64 - 1 - months as i64;
        Month { year: (index / 12) as u16, month: (index % 12) as u8 + 1 }
    }
    /// Months from `self` to `to`, both included (empty when `to` is earlier).
    pub fn through(self, to: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = self;
        while m <= to {
            out.push(m);
            m = m.next();
        }
        out
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The longest period one request may ask for.
pub const MAX_MONTHS: usize = 36;

/// The figures of one period, place or field.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Figures {
    /// Dossiers received.
    pub received: u32,
    /// Of those, filed online (channel 2).
    pub online: u32,
    /// Dossiers resolved (reached status 9).
    pub resolved: u32,
    /// Of those with a legal time: resolved before the due date…
    pub early: u32,
    /// …on the due date…
    pub on_time: u32,
    /// …or after it.
    pub late: u32,
    /// Ratings given, by level.
    pub very_satisfied: u32,
    pub satisfied: u32,
    pub dissatisfied: u32,
    /// Fees paid online (through the payment platform), in the month paid.
    #[serde(default)]
    pub paid_online: u32,
}

impl Figures {
    pub fn ratings(&self) -> u32 {
        self.very_satisfied + self.satisfied + self.dissatisfied
    }
    /// Resolved dossiers whose timeliness could be judged.
    pub fn judged(&self) -> u32 {
        self.early + self.on_time + self.late
    }
    /// Share filed online, of those received.
    pub fn online_share(&self) -> Option<f64> {
        share(self.online, self.received)
    }
    /// Share resolved on or before time, of those judged.
    pub fn on_time_share(&self) -> Option<f64> {
        share(self.early + self.on_time, self.judged())
    }
    /// Share "rất hài lòng" or "hài lòng", of the ratings.
    pub fn satisfaction_share(&self) -> Option<f64> {
        share(self.very_satisfied + self.satisfied, self.ratings())
    }
    fn add(&mut self, other: &Figures) {
        self.received += other.received;
        self.online += other.online;
        self.resolved += other.resolved;
        self.early += other.early;
        self.on_time += other.on_time;
        self.late += other.late;
        self.very_satisfied += other.very_satisfied;
        self.satisfied += other.satisfied;
        self.dissatisfied += other.dissatisfied;
        self.paid_online += other.paid_online;
    }
}

fn share(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One line of a breakdown: a month (`2026-11`), a unit code or a field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Line {
    pub key: String,
    /// What to show: the unit's name, the field, or the month again.
    pub label: String,
    pub figures: Figures,
}

/// `GET /api/v1/stats`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Stats {
    /// `YYYY-MM`, both included.
    pub from: String,
    pub to: String,
    /// The unit asked for; empty for the whole province.
    pub unit: String,
    pub totals: Figures,
    /// Every month of the period, in order (zeros included).
    pub months: Vec<Line>,
    /// Units with any figure in the period, most dossiers first.
    pub units: Vec<Line>,
    /// Fields with any figure in the period, most dossiers first.
    pub fields: Vec<Line>,
    /// Appointments and queue numbers at the desks in the period.
    #[serde(default)]
    pub queue: QueueFigures,
}

/// Appointments and queue numbers in a period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QueueFigures {
    /// Bookings made (and not cancelled).
    pub bookings: u32,
    /// Bookings checked in at the kiosk (a number taken).
    pub check_ins: u32,
    /// Numbers taken without a booking.
    pub walk_ins: u32,
    /// Median minutes from taking a number to being called; none before
    /// anyone was called.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_wait_minutes: Option<u32>,
}

/// The median of `waits` (seconds), in whole minutes (rounded).
pub fn median_minutes(waits: &mut [i64]) -> Option<u32> {
    if waits.is_empty() {
        return None;
    }
    waits.sort_unstable();
    let n = waits.len();
    let mid = if n % 2 == 1 { waits[n / 2] * 2 } else { waits[n / 2 - 1] + waits[n / 2] };
    Some(((mid.max(0) + 60) / 120) as u32)
}

/// What the statistics need to know of one dossier.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub received: Date,
    pub unit: String,
    pub field: String,
    pub online: bool,
    pub due: Option<Date>,
    /// The day it first reached status 9.
    pub resolved: Option<Date>,
    pub rating: Option<(Satisfaction, Date)>,
    /// The day its fee was paid online, if it was.
    pub paid_online: Option<Date>,
}

/// The statistics of `from`–`to` (months, both included), for one unit or
/// (`unit` empty) all; `names` gives units' names by code.
pub fn aggregate(
    facts: &[Facts],
    from: Month,
    to: Month,
    unit: &str,
    names: &dyn Fn(&str) -> String,
) -> Stats {
    use std::collections::BTreeMap;
    let months = from.through(to);
    let mut by_month: BTreeMap<Month, Figures> =
        months.iter().map(|m| (*m, Figures::default())).collect();
    let mut by_unit: BTreeMap<String, Figures> = BTreeMap::new();
    let mut by_field: BTreeMap<String, Figures> = BTreeMap::new();
    let inside = |d: Date| (from..=to).contains(&Month::of(d));
    for f in facts.iter().filter(|f| unit.is_empty() || f.unit == unit) {
        // This dossier's events inside the period, each in its own month.
        let mut events: Vec<(Month, Figures)> = Vec::new();
        if inside(f.received) {
            let mut x = Figures { received: 1, ..Figures::default() };
            if f.online {
                x.online = 1;
            }
            events.push((Month::of(f.received), x));
        }
        if let Some(done) = f.resolved.filter(|d| inside(*d)) {
            let mut x = Figures { resolved: 1, ..Figures::default() };
            match timeliness(DossierStatus::Resolved, f.due, Some(done), done) {
                Some(Timeliness::Early) => x.early = 1,
                Some(Timeliness::OnTime) => x.on_time = 1,
                Some(Timeliness::Late) => x.late = 1,
                _ => {}
            }
            events.push((Month::of(done), x));
        }
        if let Some((level, day)) = f.rating.filter(|r| inside(r.1)) {
            let mut x = Figures::default();
            match level {
                Satisfaction::VerySatisfied => x.very_satisfied = 1,
                Satisfaction::Satisfied => x.satisfied = 1,
                Satisfaction::Dissatisfied => x.dissatisfied = 1,
            }
            events.push((Month::of(day), x));
        }
        if let Some(day) = f.paid_online.filter(|d| inside(*d)) {
            events.push((Month::of(day), Figures { paid_online: 1, ..Figures::default() }));
        }
        for (m, x) in events {
            if let Some(slot) = by_month.get_mut(&m) {
                slot.add(&x);
            }
            by_unit.entry(f.unit.clone()).or_default().add(&x);
            by_field.entry(f.field.clone()).or_default().add(&x);
        }
    }
    let mut totals = Figures::default();
    for x in by_month.values() {
        totals.add(x);
    }
    let ranked = |map: BTreeMap<String, Figures>, label: &dyn Fn(&str) -> String| {
        let mut lines: Vec<Line> = map
            .into_iter()
            .map(|(key, figures)| Line { label: label(&key), key, figures })
            .collect();
        lines.sort_by(|a, b| {
            b.figures.received.cmp(&a.figures.received).then_with(|| a.label.cmp(&b.label))
        });
        lines
    };
    Stats {
        from: from.to_string(),
        to: to.to_string(),
        unit: unit.to_string(),
        totals,
        months: by_month
            .into_iter()
            .map(|(m, figures)| Line {
                key: m.to_string(),
                label: format!("{:02}/{}", m.month, m.year),
                figures,
            })
            .collect(),
        queue: QueueFigures::default(),
        units: ranked(by_unit, names),
        fields: ranked(by_field, &|f: &str| f.to_string()),
    }
}

/// A share as a percentage with at most two decimals, the Vietnamese way
/// (`99,95%`) or the English way (`99.95%`); trailing zeros dropped.
pub fn percent(share: f64, decimal_comma: bool) -> String {
    let hundredths = (share * 10_000.0).round() as u64;
    let whole = hundredths / 100;
    let frac = hundredths % 100;
    let sep = if decimal_comma { ',' } else { '.' };
    let digits = if frac == 0 {
        String::new()
    } else if frac.is_multiple_of(10) {
        format!("{sep}{}", frac / 10)
    } else {
        format!("{sep}{frac:02}")
    };
    format!("{whole}{digits}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_wait_in_minutes() {
        assert_eq!(median_minutes(&mut []), None);
        assert_eq!(median_minutes(&mut [600, 60, 1200]), Some(10));
        assert_eq!(median_minutes(&mut [60, 180]), Some(2));
        assert_eq!(median_minutes(&mut [89]), Some(1));
    }

    fn d(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    fn m(year: u16, month: u8) -> Month {
        Month { year, month }
    }

    fn facts(
        received: Date,
        unit: &str,
        online: bool,
        due: Option<Date>,
        resolved: Option<Date>,
        rating: Option<(Satisfaction, Date)>,
    ) -> Facts {
        Facts {
            received,
            unit: unit.into(),
            field: if unit == "A" { "Hộ tịch" } else { "Đất đai" }.into(),
            online,
            due,
            resolved,
            rating,
            paid_online: None,
        }
    }

    /// Five dossiers worked out by hand (see each line).
    fn fixture() -> Vec<Facts> {
        use Satisfaction::*;
        vec![
            // Oct, A, online; due 10/10, resolved 09/10 (early); very satisfied 12/10.
            facts(
                d(2026, 10, 1),
                "A",
                true,
                Some(d(2026, 10, 10)),
                Some(d(2026, 10, 9)),
                Some((VerySatisfied, d(2026, 10, 12))),
            ),
            // Oct, A, at the desk; due 31/10, resolved 03/11 (late, counted in Nov); dissatisfied 04/11.
            facts(
                d(2026, 10, 20),
                "A",
                false,
                Some(d(2026, 10, 31)),
                Some(d(2026, 11, 3)),
                Some((Dissatisfied, d(2026, 11, 4))),
            ),
            // Nov, B, online; due 05/11, resolved 05/11 (on time); satisfied 06/11.
            facts(
                d(2026, 11, 2),
                "B",
                true,
                Some(d(2026, 11, 5)),
                Some(d(2026, 11, 5)),
                Some((Satisfied, d(2026, 11, 6))),
            ),
            // Nov, B, online; still in hand.
            facts(d(2026, 11, 25), "B", true, Some(d(2026, 12, 2)), None, None),
            // Sep (before the period), A; resolved in Oct with no legal time.
            facts(d(2026, 9, 28), "A", false, None, Some(d(2026, 10, 2)), None),
        ]
    }

    #[test]
    fn figures_add_up_by_month_unit_and_field() {
        let s = aggregate(&fixture(), m(2026, 10), m(2026, 11), "", &|c| format!("Xã {c}"));
        assert_eq!(s.from, "2026-10");
        assert_eq!(s.months.len(), 2);
        let oct = s.months[0].figures;
        assert_eq!((oct.received, oct.online), (2, 1));
        assert_eq!((oct.resolved, oct.early, oct.on_time, oct.late), (2, 1, 0, 0));
        assert_eq!((oct.very_satisfied, oct.satisfied, oct.dissatisfied), (1, 0, 0));
        let nov = s.months[1].figures;
        assert_eq!((nov.received, nov.online), (2, 2));
        assert_eq!((nov.resolved, nov.early, nov.on_time, nov.late), (2, 0, 1, 1));
        assert_eq!((nov.very_satisfied, nov.satisfied, nov.dissatisfied), (0, 1, 1));
        let t = s.totals;
        assert_eq!((t.received, t.online, t.resolved, t.judged()), (4, 3, 4, 3));
        assert_eq!(t.online_share(), Some(0.75));
        assert_eq!(t.on_time_share(), Some(2.0 / 3.0));
        assert_eq!(t.satisfaction_share(), Some(2.0 / 3.0));
        // Units, most dossiers first; A's September dossier counts only its resolution.
        assert_eq!(s.units[0].key, "A");
        assert_eq!(s.units[0].label, "Xã A");
        assert_eq!(s.units[0].figures.received, 2);
        assert_eq!(s.units[0].figures.resolved, 3);
        assert_eq!(s.units[1].figures.received, 2);
        assert_eq!(s.fields.len(), 2);
    }

    #[test]
    fn one_unit_and_empty_months() {
        let s = aggregate(&fixture(), m(2026, 8), m(2026, 12), "B", &|c| c.to_string());
        assert_eq!(s.months.len(), 5);
        assert_eq!(s.months[0].figures, Figures::default());
        assert_eq!(s.months[0].label, "08/2026");
        assert_eq!(s.totals.received, 2);
        assert_eq!(s.units.len(), 1);
        // Nothing at all: shares are unknown, not zero.
        let none = aggregate(&[], m(2026, 1), m(2026, 1), "", &|c| c.to_string());
        assert_eq!(none.totals.on_time_share(), None);
    }

    #[test]
    fn months_parse_step_and_count() {
        assert_eq!(Month::parse("2026-11"), Some(m(2026, 11)));
        for bad in ["2026-13", "2026-1", "26-11", "", "abcd-ef"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(m(2026, 12).next(), m(2027, 1));
        assert_eq!(m(2026, 3).minus(11), m(2025, 4));
        assert_eq!(m(2026, 1).minus(1), m(2025, 12));
        assert_eq!(m(2025, 11).through(m(2026, 2)).len(), 4);
        assert!(m(2026, 2).through(m(2025, 11)).is_empty());
    }

    #[test]
    fn percentages_the_vietnamese_way() {
        assert_eq!(percent(0.9995, true), "99,95%");
        assert_eq!(percent(0.9995, false), "99.95%");
        assert_eq!(percent(0.875, true), "87,5%");
        assert_eq!(percent(1.0, true), "100%");
        assert_eq!(percent(2.0 / 3.0, true), "66,67%");
        assert_eq!(percent(0.0, true), "0%");
    }
}
