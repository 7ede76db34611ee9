//! Dates and times as Vietnam reads them (UTC+7, no daylight saving) and
//! as every screen, receipt and record writes them: `dd/mm/yyyy` and
//! `dd/mm/yyyy HH:MM`. The one place these formats are written.

use crate::validate::Date;
use crate::workdays::civil_from_days;

/// Vietnam's offset from UTC, in seconds.
pub const OFFSET: u64 = 7 * 3600;

/// The calendar date in Vietnam at Unix time `secs`.
pub fn vn_date(secs: u64) -> Date {
    civil_from_days(((secs + OFFSET) / 86_400) as i64)
}

/// Hour and minute in Vietnam at Unix time `secs`.
pub fn vn_hour_minute(secs: u64) -> (u8, u8) {
    let local = secs + OFFSET;
    (((local % 86_400) / 3600) as u8, ((local % 3600) / 60) as u8)
}

/// `dd/mm/yyyy`.
pub fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day, d.month, d.year)
}

/// `dd/mm/yyyy HH:MM`.
pub fn dmy_hm(d: Date, hour: u8, minute: u8) -> String {
    format!("{} {hour:02}:{minute:02}", dmy(d))
}

/// `dd/mm/yyyy HH:MM` in Vietnam at Unix time `secs` (negative: the epoch).
pub fn vn_datetime(secs: i64) -> String {
    let secs = secs.max(0) as u64;
    let (h, m) = vn_hour_minute(secs);
    dmy_hm(vn_date(secs), h, m)
}

/// `dd/mm/yyyy` (and anything after it, such as a time) back to a date.
pub fn parse_dmy(s: &str) -> Option<Date> {
    let mut parts = s.get(..10)?.split('/');
    let day = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let year = parts.next()?.parse().ok()?;
    Some(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_is_seven_hours_ahead() {
        // 2026-11-26 17:30 UTC is 00:30 the next day in Vietnam.
        assert_eq!(vn_datetime(1_795_714_200), "27/11/2026 00:30");
        assert_eq!(vn_date(1_795_714_200), Date { year: 2026, month: 11, day: 27 });
        assert_eq!(vn_hour_minute(1_795_714_200), (0, 30));
        assert_eq!(vn_datetime(-5), "01/01/1970 07:00");
    }

    #[test]
    fn formats_read_back() {
        let d = Date { year: 2026, month: 3, day: 9 };
        assert_eq!(dmy(d), "09/03/2026");
        assert_eq!(dmy_hm(d, 8, 5), "09/03/2026 08:05");
        assert_eq!(parse_dmy(&dmy_hm(d, 8, 5)), Some(d));
        assert_eq!(parse_dmy("9/3/2026"), None);
        assert_eq!(parse_dmy(""), None);
    }
}
