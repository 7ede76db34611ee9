//! Appointments at the desk: places under a race, the per-person limit,
//! no-shows, holidays and the desk's own days, the reminder the day
//! before, cancelling and moving, checking in and walk-ins.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::http::StatusCode;
use contract::appointments::{iso, Schedule};
use portal::appointments::Desks;
use serde_json::{json, Value};

use crate::support::*;

const DESK: &str = "000.05.37.H37";

/// A portal whose desks have `per_slot` places and one priority place.
fn desks_fixture(tweak: impl FnOnce(&mut Schedule)) -> Fixture {
    let mut s = Schedule { per_slot: 3, priority_per_slot: 1, ..Schedule::default() };
    tweak(&mut s);
    fixture_with(true, move |st| {
        st.desks = Arc::new(Desks { default: s, desks: Default::default() })
    })
}

/// A citizen made straight in the store (no password hashing: the race
/// needs fifty of them): their session cookie.
fn citizen(f: &Fixture, n: u32, birth: &str) -> String {
    let me = contract::account::Me {
        citizen_id: format!("020190{n:06}"),
        full_name: format!("Người Số {n}"),
        birth_date: birth.into(),
        phone: format!("09{n:08}"),
        email: String::new(),
        volunteer: false,
        identity_verified: false,
        status_texts: true,
        last_address: String::new(),
        last_phone: String::new(),
    };
    let token = format!("{n:064}");
    let now = f.state.now() as i64;
    f.state.db.with(|c| {
        let id = portal::store::accounts::insert(c, &me, "x", now).unwrap().unwrap();
        let hash = portal::http::extract::token_hash(&token);
        portal::store::accounts::insert_session(c, &hash, id, now, false).unwrap();
    });
    format!("motcua_session={token}")
}

async fn calendar(f: &Fixture, cookie: Option<&str>) -> Value {
    let r = get_as(f, &format!("/api/v1/desks/{DESK}/calendar"), cookie).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

/// The `n`-th offered day after today (dd/mm/yyyy) and its first slot.
async fn later_day(f: &Fixture, n: usize) -> (String, String) {
    let cal = calendar(f, None).await;
    let day = &cal["days"][n];
    (day["date"].as_str().unwrap().into(), day["slots"][0]["start"].as_str().unwrap().into())
}

async fn book(f: &Fixture, cookie: &str, date: &str, slot: &str) -> Res {
    let body = json!({ "desk": DESK, "date": date, "slot": slot, "procedure": "1.001193" });
    ask(f, "POST", "/api/v1/bookings", body, cookie).await
}

fn free(cal: &Value, date: &str, slot: &str) -> (u64, u64) {
    let day = cal["days"].as_array().unwrap().iter().find(|d| d["date"] == date).unwrap();
    let s = day["slots"].as_array().unwrap().iter().find(|s| s["start"] == slot).unwrap();
    (s["free"].as_u64().unwrap(), s["priority_free"].as_u64().unwrap())
}

#[tokio::test]
async fn fifty_clients_racing_for_the_last_places_never_overfill_a_slot() {
    let f = desks_fixture(|_| {});
    let (date, slot) = later_day(&f, 1).await;
    let cookies: Vec<String> = (0..50).map(|n| citizen(&f, n, "01/01/1990")).collect();
    let mut tasks = Vec::new();
    for cookie in cookies {
        let (router, state) = (f.router.clone(), f.state.clone());
        let (date, slot) = (date.clone(), slot.clone());
        tasks.push(tokio::spawn(async move {
            let f = Fixture::from_parts(router, state);
            book(&f, &cookie, &date, &slot).await.status
        }));
    }
    let mut made = 0;
    let mut full = 0;
    for t in tasks {
        match t.await.unwrap() {
            StatusCode::CREATED => made += 1,
            StatusCode::CONFLICT => full += 1,
            other => panic!("unexpected {other}"),
        }
    }
    // Three places; the priority place is not for people of 36.
    assert_eq!((made, full), (3, 47));
    assert_eq!(free(&calendar(&f, None).await, &date, &slot), (0, 1));
    let held: i64 = f.state.db.with(|c| {
        c.query_row("SELECT COUNT(*) FROM bookings WHERE state = 'booked'", [], |r| r.get(0))
            .unwrap()
    });
    assert_eq!(held, 3);
    // Someone of 80 still gets the place kept for them, and the ticket says so.
    let old = citizen(&f, 99, "01/01/1940");
    let r = book(&f, &old, &date, &slot).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.body["priority"], true);
    assert_eq!(free(&calendar(&f, Some(&old)).await, &date, &slot), (0, 0));
}

#[tokio::test]
async fn two_bookings_a_person_a_day_then_a_plain_refusal_and_cancelling_frees_the_place() {
    let f = desks_fixture(|s| s.per_slot = 1);
    let (lan, nam) = (citizen(&f, 1, "09/05/1990"), citizen(&f, 2, "01/02/1995"));
    let cal = calendar(&f, Some(&lan)).await;
    let date = cal["days"][1]["date"].as_str().unwrap().to_string();
    let slots: Vec<String> = cal["days"][1]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap().to_string())
        .collect();
    let first = book(&f, &lan, &date, &slots[0]).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let t = &first.body;
    assert_eq!(
        (t["date"].as_str(), t["start"].as_str()),
        (Some(date.as_str()), Some(slots[0].as_str()))
    );
    assert!(t["desk_name"].as_str().unwrap().contains("Đồng Đăng"), "{t}");
    assert!(!t["bring"].as_array().unwrap().is_empty(), "what to bring: {t}");
    let code = t["code"].as_str().unwrap().to_string();
    // A double tap: the same booking, not a second one.
    let again = book(&f, &lan, &date, &slots[0]).await;
    assert_eq!((again.status, again.body["code"].as_str()), (StatusCode::OK, Some(code.as_str())));
    assert_eq!(book(&f, &lan, &date, &slots[1]).await.status, StatusCode::CREATED);
    let third = book(&f, &lan, &date, &slots[2]).await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert_eq!(third.body["error"]["code"], "bookings_per_day");
    assert!(third.body["error"]["message"].as_str().unwrap().contains("tối đa 2 lịch hẹn"));
    assert_eq!(calendar(&f, Some(&lan)).await["standing"]["full_days"][0], date.as_str());
    // Nam finds the first slot full; Lan cancels; Nam sees it free and takes it.
    assert_eq!(free(&calendar(&f, Some(&nam)).await, &date, &slots[0]).0, 0);
    assert_eq!(book(&f, &nam, &date, &slots[0]).await.status, StatusCode::CONFLICT);
    // Nobody else may cancel Lan's booking.
    let r = ask(&f, "DELETE", &format!("/api/v1/bookings/{code}"), Value::Null, &nam).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = ask(&f, "DELETE", &format!("/api/v1/bookings/{code}"), Value::Null, &lan).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    assert_eq!(free(&calendar(&f, Some(&nam)).await, &date, &slots[0]).0, 1);
    assert_eq!(book(&f, &nam, &date, &slots[0]).await.status, StatusCode::CREATED);
    // Lan's list shows the cancelled one as cancelled, not changeable.
    let mine = get_as(&f, "/api/v1/bookings", Some(&lan)).await.body;
    let gone = mine.as_array().unwrap().iter().find(|t| t["code"] == code.as_str()).unwrap();
    assert_eq!(
        (gone["state"].as_str(), gone["changeable"].as_bool()),
        (Some("cancelled"), Some(false))
    );
    // The booking text went to Lan's phone, with the ticket's link.
    let sent = f.state.sms.outbox();
    assert!(sent
        .iter()
        .any(|m| m.phone == "0900000001" && m.text.contains(&format!("/lich-hen/{code}"))));
}

#[tokio::test]
async fn holidays_weekends_and_the_desks_own_closed_days_are_not_offered() {
    let today = contract::time::vn_date(fixture(true).state.now());
    let closed = contract::workdays::add_days(today, 1);
    let f = desks_fixture(|s| s.closed = vec![iso(closed)]);
    let cal = calendar(&f, None).await;
    let days: Vec<contract::validate::Date> = cal["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| contract::time::parse_dmy(d["date"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(days.len(), 7);
    for d in &days {
        assert!(contract::workdays::is_working_day(*d), "{d:?} is not a working day");
        assert_ne!(*d, closed);
    }
    // Asking for the closed day, or a Sunday, is refused beside the date.
    let lan = citizen(&f, 1, "09/05/1990");
    let sunday = (1..8)
        .map(|n| contract::workdays::add_days(today, n))
        .find(|d| contract::workdays::weekday(*d) == 6)
        .unwrap();
    for d in [closed, sunday] {
        let r = book(&f, &lan, &contract::time::dmy(d), "08:00").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body["error"]["fields"]["date"].is_string(), "{}", r.body);
    }
    // A slot that does not exist.
    let r = book(&f, &lan, cal["days"][1]["date"].as_str().unwrap(), "12:00").await;
    assert!(r.body["error"]["fields"]["slot"].is_string(), "{}", r.body);
}

#[tokio::test]
async fn three_no_shows_in_a_month_make_booking_wait_a_week() {
    let f = desks_fixture(|_| {});
    let lan = citizen(&f, 1, "09/05/1990");
    let cal = calendar(&f, None).await;
    // Three bookings on three days, never checked in.
    for n in 1..4 {
        let d = &cal["days"][n];
        let r =
            book(&f, &lan, d["date"].as_str().unwrap(), d["slots"][0]["start"].as_str().unwrap())
                .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // Time passes to the day after the third; the worker marks them.
    let last = contract::time::parse_dmy(cal["days"][3]["date"].as_str().unwrap()).unwrap();
    move_clock_to(&f, contract::workdays::add_days(last, 1), 9 * 60);
    let round = portal::appointments::tick(&f.state).await.unwrap();
    assert_eq!(round.no_shows, 3);
    let cal = calendar(&f, Some(&lan)).await;
    let until = cal["standing"]["wait_until"].as_str().expect("waits").to_string();
    let d = &cal["days"][1];
    let r =
        book(&f, &lan, d["date"].as_str().unwrap(), d["slots"][0]["start"].as_str().unwrap()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let says = r.body["error"]["message"].as_str().unwrap();
    assert!(says.contains("không đến 3 lịch hẹn") && says.contains(&until), "{says}");
    // Someone else still books.
    let nam = citizen(&f, 2, "01/02/1995");
    assert_eq!(
        book(&f, &nam, d["date"].as_str().unwrap(), d["slots"][0]["start"].as_str().unwrap())
            .await
            .status,
        StatusCode::CREATED
    );
}

/// Move the fixture's clock forward to `day` at `minute` (Vietnam time).
fn move_clock_to(f: &Fixture, day: contract::validate::Date, minute: u32) {
    let target = contract::workdays::days_from_civil(day) as u64 * 86_400 + u64::from(minute) * 60
        - contract::time::OFFSET;
    let wall = f.state.now() - f.state.clock_offset.load(Ordering::Relaxed);
    assert!(target > wall, "the clock only moves forward");
    f.state.clock_offset.store(target - wall, Ordering::Relaxed);
    // Sessions stay alive across the jump (they would time out otherwise).
    let now = f.state.now() as i64;
    f.state
        .db
        .with(|c| c.execute("UPDATE sessions SET created_at = ?1, last_seen = ?1", [now]).unwrap());
}

#[tokio::test]
async fn the_reminder_is_queued_the_day_before_once_and_not_when_texts_are_off() {
    let f = desks_fixture(|_| {});
    let (lan, nam) = (citizen(&f, 1, "09/05/1990"), citizen(&f, 2, "01/02/1995"));
    f.state.db.with(|c| {
        c.execute("UPDATE accounts SET status_texts = 0 WHERE citizen_id = '020190000002'", [])
            .unwrap()
    });
    let (date, slot) = later_day(&f, 2).await;
    let code = book(&f, &lan, &date, &slot).await.body["code"].as_str().unwrap().to_string();
    assert_eq!(book(&f, &nam, &date, &slot).await.status, StatusCode::CREATED);
    let day = contract::time::parse_dmy(&date).unwrap();
    let before = contract::workdays::add_days(day, -1);
    let reminders = |f: &Fixture| {
        f.state
            .sms
            .outbox()
            .into_iter()
            .filter(|m| m.text.contains("nhac lich hen"))
            .collect::<Vec<_>>()
    };
    // Before the day before: nothing yet.
    portal::appointments::tick(&f.state).await.unwrap();
    assert!(reminders(&f).is_empty());
    // The day before, at 7:00: not yet (people are asleep).
    move_clock_to(&f, before, 7 * 60);
    assert_eq!(portal::appointments::tick(&f.state).await.unwrap().reminded, 0);
    move_clock_to(&f, before, 9 * 60);
    assert_eq!(portal::appointments::tick(&f.state).await.unwrap().reminded, 1);
    assert_eq!(portal::appointments::tick(&f.state).await.unwrap().reminded, 0, "once");
    let sent = reminders(&f);
    assert_eq!(sent.len(), 1, "only Lan: Nam turned texts off");
    assert_eq!(sent[0].phone, "0900000001");
    assert!(
        sent[0].text.contains(&slot) && sent[0].text.contains(&format!("/lich-hen/{code}")),
        "{}",
        sent[0].text
    );
}

#[tokio::test]
async fn checking_in_gives_a_number_once_and_walk_ins_take_the_next() {
    let f = desks_fixture(|_| {});
    let lan = citizen(&f, 1, "09/05/1990");
    let booked_in = contract::stats::Month::of(contract::time::vn_date(f.state.now())).to_string();
    let (date, slot) = later_day(&f, 1).await;
    let code = book(&f, &lan, &date, &slot).await.body["code"].as_str().unwrap().to_string();
    let check_in = |f: &Fixture, code: String, desk: &str| {
        let body = json!({ "code": code, "desk": desk });
        let f = Fixture::from_parts(f.router.clone(), f.state.clone());
        async move { call(&f, "POST", "/api/v1/queue/check-in", body, None, "10.9.9.9").await }
    };
    // Not today yet.
    let r = check_in(&f, code.clone(), DESK).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("not_today"))
    );
    // The day comes, ten minutes before the slot.
    let day = contract::time::parse_dmy(&date).unwrap();
    let start = contract::appointments::minutes(&slot).unwrap();
    move_clock_to(&f, day, start - 10);
    // At another desk's kiosk: refused, naming the right one.
    let r = check_in(&f, code.clone(), "000.00.00.H37").await;
    assert_eq!(r.body["error"]["code"], "other_desk", "{}", r.body);
    let walk =
        call(&f, "POST", "/api/v1/queue/walk-in", json!({ "desk": DESK }), None, "10.9.9.9").await;
    assert_eq!(
        (walk.status, walk.body["number"].as_str()),
        (StatusCode::OK, Some("B001")),
        "{}",
        walk.body
    );
    // Scanned from the QR code: the whole link.
    let r = check_in(&f, format!("https://dichvucong.example/lich-hen/{code}"), DESK).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.body["number"].as_str(), r.body["ahead"].as_u64()), (Some("A002"), Some(1)));
    assert!(!r.body.to_string().contains("Người Số"), "no name on a kiosk's screen");
    // Again (the printer jammed): the same number.
    let again = check_in(&f, code.to_lowercase(), DESK).await;
    assert_eq!(again.body["number"], "A002");
    let walk =
        call(&f, "POST", "/api/v1/queue/walk-in", json!({ "desk": DESK }), None, "10.9.9.9").await;
    assert_eq!(walk.body["number"], "B003");
    // The ticket shows it checked in, with its number, and can no longer change.
    let t = get_as(&f, &format!("/api/v1/bookings/{code}"), Some(&lan)).await.body;
    assert_eq!(
        (t["state"].as_str(), t["number"].as_str(), t["changeable"].as_bool()),
        (Some("checked_in"), Some("A002"), Some(false))
    );
    // A code that matches nothing says so; guessing is limited.
    let r = check_in(&f, "ZZZZZZZZ".into(), DESK).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The desk calls in its order (`portal desk call`): the booked person
    // first, then walk-ins as they came; a walk-in not there is absent.
    let call = |f: &Fixture, minutes: u64| {
        f.state.clock_offset.fetch_add(minutes * 60, Ordering::Relaxed);
        let w = portal::desk_cli::call_next(&f.state.db, DESK, f.state.now() as i64).unwrap();
        w.map(|w| contract::appointments::show_number(w.number, w.booked))
    };
    assert_eq!(call(&f, 4).as_deref(), Some("A002"));
    assert_eq!(call(&f, 6).as_deref(), Some("B001"));
    assert_eq!(call(&f, 10).as_deref(), Some("B003"));
    assert_eq!(call(&f, 1), None);
    let now = f.state.now() as i64;
    portal::desk_cli::mark(&f.state.db, DESK, "A002", "served", now).unwrap();
    portal::desk_cli::mark(&f.state.db, DESK, "B3", "absent", now).unwrap();
    assert!(portal::desk_cli::mark(&f.state.db, DESK, "B9", "served", now).is_err());
    let t = get_as(&f, &format!("/api/v1/bookings/{code}"), Some(&lan)).await.body;
    assert_eq!(t["state"], "served");
    // The public statistics count them: one booking, one check-in, two
    // walk-ins; waits of 4, 10 and 20 minutes, so a median of 10.
    let month = contract::stats::Month::of(contract::time::vn_date(f.state.now())).to_string();
    let r = get_as(&f, &format!("/api/v1/stats?from={booked_in}&to={month}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["queue"],
        json!({ "bookings": 1, "check_ins": 1, "walk_ins": 2, "median_wait_minutes": 10 })
    );
}

#[tokio::test]
async fn moving_keeps_the_code_and_frees_the_old_place() {
    let f = desks_fixture(|s| s.per_slot = 1);
    let (lan, nam) = (citizen(&f, 1, "09/05/1990"), citizen(&f, 2, "01/02/1995"));
    let cal = calendar(&f, None).await;
    let date = cal["days"][1]["date"].as_str().unwrap().to_string();
    let (a, b) = (
        cal["days"][1]["slots"][0]["start"].as_str().unwrap().to_string(),
        cal["days"][1]["slots"][1]["start"].as_str().unwrap().to_string(),
    );
    let code = book(&f, &lan, &date, &a).await.body["code"].as_str().unwrap().to_string();
    assert_eq!(book(&f, &nam, &date, &b).await.status, StatusCode::CREATED);
    let uri = format!("/api/v1/bookings/{code}/move");
    // Into Nam's full slot: refused, nothing lost.
    let r = ask(&f, "POST", &uri, json!({ "date": date, "slot": b }), &lan).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(
        get_as(&f, &format!("/api/v1/bookings/{code}"), Some(&lan)).await.body["start"],
        a.as_str()
    );
    let c = cal["days"][1]["slots"][2]["start"].as_str().unwrap().to_string();
    let r = ask(&f, "POST", &uri, json!({ "date": date, "slot": c }), &lan).await;
    assert_eq!(
        (r.status, r.body["code"].as_str(), r.body["start"].as_str()),
        (StatusCode::OK, Some(code.as_str()), Some(c.as_str())),
        "{}",
        r.body
    );
    assert_eq!(free(&calendar(&f, None).await, &date, &a).0, 1);
}

#[tokio::test]
async fn booking_for_someone_else_needs_their_consent_and_counts_against_them() {
    let f = desks_fixture(|_| {});
    let helper = citizen(&f, 1, "09/05/1990");
    let (date, slot) = later_day(&f, 1).await;
    let mut body = json!({ "desk": DESK, "date": date, "slot": slot, "attendee": {
        "full_name": "Nguyễn Văn Bảy", "citizen_id": "020045000777", "birth_date": "02/03/1945",
        "phone": "0912000777", "consent": false } });
    let r = ask(&f, "POST", "/api/v1/bookings", body.clone(), &helper).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body["error"]["fields"]["attendee.consent"].is_string(), "{}", r.body);
    body["attendee"]["consent"] = json!(true);
    let r = ask(&f, "POST", "/api/v1/bookings", body, &helper).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // Aged 81: a priority place is his; the helper sees initials only.
    assert_eq!(r.body["priority"], true);
    assert_eq!(r.body["attendee"], "N. V. B.");
    let held: String = f
        .state
        .db
        .with(|c| c.query_row("SELECT citizen_id FROM bookings", [], |r| r.get(0)).unwrap());
    assert_eq!(held, "020045000777");
}

#[tokio::test]
async fn queue_numbers_only_at_the_offices_kiosks_when_the_province_says_where() {
    let f = fixture_with(true, |st| {
        st.queue_networks =
            Some(Arc::new(portal::appointments::Network::parse_list("10.1.0.0/16").unwrap()));
    });
    let open_now = f.state.desks.of(DESK).periods_on(contract::time::vn_date(f.state.now())).0;
    let r =
        call(&f, "POST", "/api/v1/queue/walk-in", json!({ "desk": DESK }), None, "10.9.9.9").await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("queue_at_office"))
    );
    let r =
        call(&f, "POST", "/api/v1/queue/check-in", json!({ "code": "K7M2P9QX" }), None, "10.9.9.9")
            .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // From the office: past that check (open, or closed at this hour).
    let r =
        call(&f, "POST", "/api/v1/queue/walk-in", json!({ "desk": DESK }), None, "10.1.2.3").await;
    assert_ne!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    let _ = open_now;
}

#[tokio::test]
async fn a_stranger_missing_bookings_in_someones_name_makes_the_stranger_wait_not_them() {
    let f = desks_fixture(|_| {});
    let (lan, stranger) = (citizen(&f, 1, "09/05/1990"), citizen(&f, 2, "01/02/1995"));
    let cal = calendar(&f, None).await;
    for n in 1..4 {
        let d = &cal["days"][n];
        let body = json!({ "desk": DESK, "date": d["date"], "slot": d["slots"][0]["start"],
            "attendee": { "full_name": "Nguyễn Thị Lan", "citizen_id": "020190000001",
                "birth_date": "09/05/1990", "phone": "0900000001", "consent": true } });
        let r = ask(&f, "POST", "/api/v1/bookings", body, &stranger).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let last = contract::time::parse_dmy(cal["days"][3]["date"].as_str().unwrap()).unwrap();
    move_clock_to(&f, contract::workdays::add_days(last, 1), 9 * 60);
    assert_eq!(portal::appointments::tick(&f.state).await.unwrap().no_shows, 3);
    let cal = calendar(&f, None).await;
    let d = &cal["days"][1];
    let (date, slot) = (d["date"].as_str().unwrap(), d["slots"][0]["start"].as_str().unwrap());
    assert_eq!(book(&f, &lan, date, slot).await.status, StatusCode::CREATED, "Lan is not blocked");
    assert!(calendar(&f, Some(&lan)).await["standing"]["wait_until"].is_null());
    assert_eq!(book(&f, &stranger, date, slot).await.status, StatusCode::FORBIDDEN);
}
