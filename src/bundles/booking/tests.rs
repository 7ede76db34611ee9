//! Native tests of the booking page's pure parts.

use super::*;
use crate::bundles::booking::texts::VI;

fn slot(start: &str, free: u32, priority_free: u32, past: bool) -> SlotView {
    SlotView { start: start.into(), end: "08:00".into(), free, priority_free, past }
}

#[test]
fn slots_say_what_is_left_and_who_may_take_them() {
    assert_eq!(slot_label(&VI, &slot("07:30", 2, 1, false), false), "07:30–08:00 · còn 2 chỗ");
    assert_eq!(slot_label(&VI, &slot("07:30", 0, 1, false), false), "07:30–08:00 · hết chỗ");
    assert_eq!(
        slot_label(&VI, &slot("07:30", 0, 1, false), true),
        "07:30–08:00 · còn 1 chỗ ưu tiên"
    );
    assert!(choosable(&slot("07:30", 0, 1, false), true));
    assert!(!choosable(&slot("07:30", 0, 1, false), false));
    assert!(!choosable(&slot("07:30", 3, 1, true), true));
}

#[test]
fn the_first_day_shown_has_room_for_the_person() {
    let day = |date: &str, free: u32| DayView {
        date: date.into(),
        weekday: 0,
        slots: vec![slot("07:30", free, 0, false)],
    };
    let mut cal = Calendar {
        desk: "x".into(),
        desk_name: String::new(),
        address: String::new(),
        hours: String::new(),
        pool: String::new(),
        days: vec![day("07/12/2026", 0), day("08/12/2026", 2), day("09/12/2026", 2)],
        standing: None,
    };
    assert_eq!(first_day(&cal, "", false), "08/12/2026");
    assert_eq!(first_day(&cal, "09/12/2026", false), "09/12/2026");
    cal.standing = Some(Standing { full_days: vec!["08/12/2026".into()], ..Standing::default() });
    assert_eq!(first_day(&cal, "01/01/2020", false), "09/12/2026");
    assert_eq!(day_label(&VI, &cal.days[0]), "Thứ Hai, 07/12/2026");
}
