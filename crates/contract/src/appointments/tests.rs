//! Native tests of the desks' calendars and the fair-use rules.

use super::*;

fn d(y: u16, m: u8, day: u8) -> Date {
    Date { year: y, month: m, day }
}

#[test]
fn a_weekday_has_fifteen_half_hour_slots_and_weekends_none() {
    let s = Schedule::default();
    // Monday 7 December 2026.
    let slots = s.slots_on(d(2026, 12, 7));
    assert_eq!(slots.len(), 8 + 7);
    assert_eq!((hm(slots[0].0), hm(slots[0].1)), ("07:30".into(), "08:00".into()));
    assert_eq!(hm(slots[14].1), "17:00");
    assert!(s.slots_on(d(2026, 12, 12)).is_empty(), "Saturday");
    let sat = Schedule { saturday: vec!["07:30-11:30".into()], ..Schedule::default() };
    assert_eq!(sat.slots_on(d(2026, 12, 12)).len(), 8);
    assert!(sat.slots_on(d(2026, 12, 13)).is_empty(), "Sunday");
}

#[test]
fn holidays_and_the_desks_own_days_are_closed_and_made_up_days_open() {
    let s = Schedule {
        closed: vec!["2026-12-08".into()],
        open: vec!["2026-12-12".into()],
        ..Schedule::default()
    };
    // 2 September is National Day.
    let (p, why) = s.periods_on(d(2026, 9, 2));
    assert!(p.is_empty() && why.is_some());
    assert!(s.slots_on(d(2026, 12, 8)).is_empty());
    assert_eq!(s.slots_on(d(2026, 12, 12)).len(), 15);
    let days = s.days_offered(d(2026, 12, 7));
    let shown: Vec<String> = days.iter().map(|x| iso(*x)).collect();
    assert_eq!(
        shown,
        [
            "2026-12-07",
            "2026-12-09",
            "2026-12-10",
            "2026-12-11",
            "2026-12-12",
            "2026-12-14",
            "2026-12-15"
        ]
    );
    assert!(s.problems().is_empty());
    let bad = Schedule { sessions: vec!["11:30-07:30".into()], closed: vec!["8/12".into()], ..s };
    assert_eq!(bad.problems().len(), 2);
}

#[test]
fn fields_with_their_own_places_count_apart() {
    let mut s = Schedule::default();
    s.fields.insert("Hộ tịch".into(), 5);
    assert_eq!(s.pool("Hộ tịch"), ("Hộ tịch".to_string(), 5));
    assert_eq!(s.pool("Đất đai"), (String::new(), 3));
}

#[test]
fn priority_from_the_seventy_fifth_birthday() {
    let on = d(2026, 12, 7);
    assert!(priority("07/12/1951", on));
    assert!(!priority("08/12/1951", on));
    assert!(!priority("", on));
}

#[test]
fn three_no_shows_in_a_month_make_booking_wait_a_week() {
    let day = 86_400;
    let now = 100 * day;
    assert_eq!(wait_until(&[now - day, now - 2 * day], now), None);
    assert_eq!(wait_until(&[now - 3 * day, now - day, now - 2 * day], now), Some(now + 6 * day));
    // One of them older than 30 days: not counted.
    assert_eq!(wait_until(&[now - 31 * day, now - day, now - 2 * day], now), None);
    // The week is over.
    assert_eq!(wait_until(&[now - 9 * day, now - 8 * day, now - 8 * day], now), None);
}

#[test]
fn codes_are_read_from_links_and_typing() {
    assert_eq!(parse_booking_text("https://x.vn/lich-hen/K7M2P9QX").as_deref(), Some("K7M2P9QX"));
    assert_eq!(parse_booking_text(" k7m2-p9qx ").as_deref(), Some("K7M2P9QX"));
    assert_eq!(parse_booking_text("K7M2 P9QX").as_deref(), Some("K7M2P9QX"));
    assert_eq!(parse_booking_text("K7M2P9Q0"), None, "0 is not in the alphabet");
    assert_eq!(parse_booking_text("K7M2P9Q"), None);
    assert_eq!(show_code("K7M2P9QX"), "K7M2-P9QX");
    assert_eq!(parse_booking_text(&ticket_path("K7M2P9QX")).as_deref(), Some("K7M2P9QX"));
    assert_eq!(minutes("07:30"), Some(450));
    assert_eq!(minutes("7:30"), None);
    assert_eq!(parse_iso("2026-02-30"), None);
}

#[test]
fn the_desk_calls_priority_then_booked_and_walk_ins_in_turn() {
    let w = |number, booked, priority| Waiting { number, booked, priority };
    let queue = [w(1, false, false), w(2, true, false), w(3, true, false), w(4, false, true)];
    assert_eq!(next_to_call(&queue, 0, 2).map(|x| x.number), Some(4));
    let queue = &queue[..3];
    assert_eq!(next_to_call(queue, 0, 2).map(|x| x.number), Some(2));
    assert_eq!(next_to_call(queue, 1, 2).map(|x| x.number), Some(2));
    assert_eq!(next_to_call(queue, 2, 2).map(|x| x.number), Some(1));
    assert_eq!(next_to_call(&queue[..1], 0, 2).map(|x| x.number), Some(1));
    assert_eq!(next_to_call(&[], 0, 2), None);
    assert_eq!(show_number(7, true), "A007");
}
