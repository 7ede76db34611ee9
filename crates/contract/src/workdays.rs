//! Working days in Vietnam and due dates of dossiers.
//!
//! Saturdays, Sundays and the public holidays of `data/holidays-vn.txt`
//! are not working days. A dossier received on a working day before 15:00
//! counts as received that day; received later, or on a day off, it counts
//! from the next working day. A processing time of N working days is due on
//! the N-th working day after that (0: the same day).

use crate::validate::Date;

const HOLIDAYS: &str = include_str!("../data/holidays-vn.txt");

/// The hour from which a dossier counts as received the next working day.
pub const CUT_OFF_HOUR: u8 = 15;

/// Days since 1970-01-01 (proleptic Gregorian).
pub fn days_from_civil(d: Date) -> i64 {
    let (y, m, day) = (d.year as i64, d.month as i64, d.day as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` days after 1970-01-01.
pub fn civil_from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    Date { year, month, day }
}

pub fn add_days(d: Date, n: i64) -> Date {
    civil_from_days(days_from_civil(d) + n)
}

/// 0 Monday … 6 Sunday.
pub fn weekday(d: Date) -> u8 {
    // 1970-01-01 was a Thursday.
    ((days_from_civil(d) + 3).rem_euclid(7)) as u8
}

/// A line of the holiday table that names `d`, if any.
pub fn holiday(d: Date) -> Option<&'static str> {
    let iso = format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
    let md = &iso[5..];
    HOLIDAYS.lines().find_map(|line| {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("fixed ") {
            let (date, name) = rest.split_once(' ')?;
            (date == md).then(|| name.trim())
        } else {
            let (date, name) = line.split_once(' ')?;
            (date == iso).then(|| name.trim())
        }
    })
}

pub fn is_working_day(d: Date) -> bool {
    weekday(d) < 5 && holiday(d).is_none()
}

/// The first working day after `d`.
pub fn next_working_day(d: Date) -> Date {
    let mut day = add_days(d, 1);
    while !is_working_day(day) {
        day = add_days(day, 1);
    }
    day
}

/// The day a dossier received on `date` at `hour` (local time) counts from.
pub fn counted_from(date: Date, hour: u8) -> Date {
    if is_working_day(date) && hour < CUT_OFF_HOUR {
        date
    } else {
        next_working_day(date)
    }
}

/// When a result taking `working_days` is due, for a dossier received on
/// `date` at `hour`.
pub fn due_date(date: Date, hour: u8, working_days: u16) -> Date {
    let mut day = counted_from(date, hour);
    for _ in 0..working_days {
        day = next_working_day(day);
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn calendar_arithmetic() {
        assert_eq!(days_from_civil(d(1970, 1, 1)), 0);
        assert_eq!(civil_from_days(days_from_civil(d(2028, 2, 29))), d(2028, 2, 29));
        assert_eq!(add_days(d(2026, 12, 31), 1), d(2027, 1, 1));
        assert_eq!(add_days(d(2028, 2, 28), 1), d(2028, 2, 29));
        assert_eq!(weekday(d(2026, 11, 26)), 3, "a Thursday");
        assert_eq!(weekday(d(2026, 11, 29)), 6, "a Sunday");
    }

    #[test]
    fn weekends_and_holidays_are_not_working_days() {
        assert!(is_working_day(d(2026, 11, 26)));
        assert!(!is_working_day(d(2026, 11, 28)), "Saturday");
        assert!(!is_working_day(d(2026, 1, 1)), "fixed holiday");
        assert!(!is_working_day(d(2031, 9, 2)), "fixed holidays hold in any year");
        assert!(!is_working_day(d(2026, 2, 17)), "Tết, mùng 1");
        assert_eq!(holiday(d(2026, 4, 27)).map(|h| h.starts_with("Giỗ Tổ")), Some(true));
        assert!(is_working_day(d(2026, 2, 23)), "back to work after Tết");
    }

    #[test]
    fn the_three_pm_cut_off() {
        // Thursday 26/11/2026: before 15:00 counts today; after, Friday.
        assert_eq!(counted_from(d(2026, 11, 26), 14), d(2026, 11, 26));
        assert_eq!(counted_from(d(2026, 11, 26), 15), d(2026, 11, 27));
        // Friday after 15:00 and the weekend: Monday.
        assert_eq!(counted_from(d(2026, 11, 27), 16), d(2026, 11, 30));
        assert_eq!(counted_from(d(2026, 11, 29), 9), d(2026, 11, 30));
        // Same-day procedures (đăng ký khai sinh).
        assert_eq!(due_date(d(2026, 11, 26), 9, 0), d(2026, 11, 26));
        assert_eq!(due_date(d(2026, 11, 26), 16, 0), d(2026, 11, 27));
    }

    #[test]
    fn due_dates_skip_weekends_and_tet() {
        // 3 working days from Thursday morning: Fri, Mon, Tue.
        assert_eq!(due_date(d(2026, 11, 26), 9, 3), d(2026, 12, 1));
        // Received Friday 13/2/2026 before Tết: 3 working days lands after the break.
        assert_eq!(due_date(d(2026, 2, 13), 9, 3), d(2026, 2, 25));
        // 2/9 holidays: Monday 31/8/2026 + 1 working day → Thursday 3/9.
        assert_eq!(due_date(d(2026, 8, 31), 9, 1), d(2026, 9, 3));
        // 15 working days over New Year 2027.
        assert_eq!(due_date(d(2026, 12, 21), 10, 15), d(2027, 1, 12));
    }
}
