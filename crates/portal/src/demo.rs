//! `portal seed-demo --dossiers N`: a realistic year of dossiers so the
//! statistics page has something to show. Never run implicitly.
//!
//! Residents are demo accounts (ID numbers born in 1985, phones 0889…,
//! passwords that can never verify). Each dossier is received on a working
//! day at desk hours, at the desk its procedure belongs to (province centre
//! or a commune), through a channel (at the desk, online, by post), and then
//! moved through the contract's transition rules with dates: accepted,
//! processed, sometimes asked for documents or payment, sometimes rejected or
//! withdrawn, mostly resolved before the due date, some late; many rated.
//! Events that would lie in the future are not made, so recent dossiers are
//! still in hand.

use contract::catalog::{Level, Procedure, Unit, UnitKind};
use contract::dossier::{Applicant, Delivery, Receipt};
use contract::time::{dmy, dmy_hm, vn_date};
use contract::validate::Date;
use contract::workdays;
use rusqlite::{params, Connection};

use crate::store::dossiers::{insert, transition_in, Move, NewDossier};

/// xorshift64*: a small, seeded, reproducible source of demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// 0 ≤ x < n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// `true` with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const HOUR: i64 = 3600;
const DAY: i64 = 86_400;

/// Unix seconds of `hour`:00 Vietnam time on day `d`.
fn at(d: Date, hour: i64) -> i64 {
    workdays::days_from_civil(d) * DAY - 7 * HOUR + hour * HOUR
}

const GIVEN: [&str; 8] = ["Lan", "Hùng", "Mai", "Tuấn", "Hoa", "Dũng", "Thảo", "Bình"];
const FAMILY: [&str; 8] = ["Nguyễn", "Hoàng", "Lò", "Vi", "Nông", "Lộc", "Hà", "Triệu"];

/// Demo residents: (account id, applicant).
fn residents(tx: &Connection, now: i64) -> rusqlite::Result<Vec<(i64, Applicant)>> {
    let mut out = Vec::new();
    for i in 0..40u32 {
        let citizen_id = format!("020185{:06}", 900_000 + i);
        let phone = format!("0889{:06}", 900_000 + i);
        let full_name =
            format!("{} Văn {}", FAMILY[i as usize % 8], GIVEN[(i as usize / 8 + i as usize) % 8]);
        tx.execute(
            "INSERT OR IGNORE INTO accounts(citizen_id, full_name, birth_date, phone, email, password_hash, created_at)
             VALUES (?1, ?2, '01/01/1985', ?3, '', '!demo account: no password', ?4)",
            params![citizen_id, full_name, phone, now],
        )?;
        let id: i64 =
            tx.query_row("SELECT id FROM accounts WHERE citizen_id = ?1", [&citizen_id], |r| {
                r.get(0)
            })?;
        out.push((
            id,
            Applicant {
                full_name,
                citizen_id,
                birth_date: "01/01/1985".into(),
                phone,
                email: String::new(),
                address: "Tỉnh Lạng Sơn".into(),
            },
        ));
    }
    Ok(out)
}

/// Add `count` demo dossiers received over the year before `now`; returns
/// how many were made.
pub fn seed(conn: &mut Connection, count: u32, seed: u64, now: i64) -> anyhow::Result<u32> {
    let procedures: Vec<Procedure> = crate::catalog::seed_procedures()?
        .into_iter()
        .filter(|p| p.levels.iter().any(|l| matches!(l, Level::Province | Level::Commune)))
        .collect();
    let units: Vec<Unit> = crate::catalog::units(conn)?;
    let province: Vec<&Unit> = units.iter().filter(|u| u.kind == UnitKind::Province).collect();
    let local: Vec<&Unit> = units.iter().filter(|u| u.kind != UnitKind::Province).collect();
    anyhow::ensure!(
        !procedures.is_empty() && !province.is_empty() && !local.is_empty(),
        "no catalog to seed from"
    );
    let weights: Vec<u64> = procedures.iter().map(|p| p.popularity as u64 + 10).collect();
    let total: u64 = weights.iter().sum();
    let mut rng = Rng(seed.max(1) ^ 0x9E37_79B9_7F4A_7C15);
    let tx = crate::db::write_tx(conn)?;
    let people = residents(&tx, now)?;
    let today = vn_date(now.max(0) as u64);
    let mut made = 0;
    for n in 0..count {
        // The procedure, weighted by how often it is used, and its desk.
        let mut pick = rng.below(total);
        let p = procedures
            .iter()
            .zip(&weights)
            .find(|(_, w)| {
                if pick < **w {
                    true
                } else {
                    pick -= **w;
                    false
                }
            })
            .map(|(p, _)| p)
            .unwrap_or(&procedures[0]);
        let unit = if p.levels.contains(&Level::Commune) {
            local[rng.below(local.len() as u64) as usize]
        } else {
            province[0]
        };
        // A working day in the past year, at desk hours.
        let mut day = workdays::add_days(today, -(1 + rng.below(365) as i64));
        while !workdays::is_working_day(day) {
            day = workdays::add_days(day, -1);
        }
        let hour = 8 + rng.below(8) as i64;
        let received = at(day, hour) + rng.below(3600) as i64;
        if received >= now {
            continue;
        }
        let channel = match rng.below(100) {
            0..=44 => 1,
            45..=89 => 2,
            _ => 3,
        };
        let (owner, applicant) = people[rng.below(people.len() as u64) as usize].clone();
        let due = p.working_days.map(|w| workdays::due_date(day, hour as u8, w));
        let mut receipt = Receipt {
            code: String::new(),
            token: crate::secrets::new_token(),
            agency_code: unit.code.clone(),
            agency_name: unit.desk_name(),
            procedure_code: p.code.clone(),
            procedure_name: p.name.clone(),
            applicant,
            on_behalf: false,
            documents: Vec::new(),
            processing_time: p.time.clone(),
            working_days: p.working_days,
            received_at: dmy_hm(day, hour as u8, ((received % HOUR) / 60) as u8),
            due_date: due.map(dmy).unwrap_or_default(),
            delivery: Delivery::Office { unit: unit.code.clone() },
            fee: p.fee.clone(),
            fee_on_filing: None,
            status: contract::status::DossierStatus::Registered,
            assisted: None,
            accepted_at: None,
            form: None,
            on_its_way: false,
        };
        let owner_citizen_id = receipt.applicant.citizen_id.clone();
        let id = insert(
            &tx,
            NewDossier {
                form: None,
                receipt: &mut receipt,
                account: owner,
                idempotency_key: &format!("demo-{seed}-{n}-{}", rng.next()),
                request: "{}",
                received_at: received,
                received_on: day,
                channel,
                owner_citizen_id: &owner_citizen_id,
                assisted_by: None,
                claim_code: None,
                // Demo data is never reported to the national portal.
                national: false,
                forward: None,
                summary: "",
            },
        )?;
        let code = receipt.code;
        move_along(&tx, &mut rng, &code, id, received, due, now)?;
        made += 1;
    }
    tx.commit()?;
    Ok(made)
}

/// The dossier's life after it is received, as far as `now`.
fn move_along(
    tx: &rusqlite::Transaction,
    rng: &mut Rng,
    code: &str,
    id: i64,
    received: i64,
    due: Option<Date>,
    now: i64,
) -> anyhow::Result<()> {
    let mut t = received;
    // Each step happens `wait` seconds later, unless that is in the future.
    let step = |t: &mut i64,
                wait: i64,
                to: u8,
                note: &str,
                amount: Option<u64>,
                by_citizen: bool|
     -> anyhow::Result<bool> {
        let when = *t + wait.max(60);
        if when >= now {
            return Ok(false);
        }
        let m = Move { to, note, amount, by_citizen };
        transition_in(tx, code, m, when)?
            .map_err(|e| anyhow::anyhow!("demo move of {code} to {to}: {e:?}"))?;
        *t = when;
        Ok(true)
    };
    if rng.chance(3) {
        step(
            &mut t,
            HOUR * (1 + rng.below(20) as i64),
            3,
            "Hồ sơ không thuộc thẩm quyền giải quyết",
            None,
            false,
        )?;
        return Ok(());
    }
    // Accepted and passed on within the hour or two.
    if !step(&mut t, 60 * (10 + rng.below(90) as i64), 2, "", None, false)? {
        return Ok(());
    }
    if !step(&mut t, 60 * (10 + rng.below(60) as i64), 4, "", None, false)? {
        return Ok(());
    }
    if rng.chance(8) {
        if !step(
            &mut t,
            DAY * (1 + rng.below(2) as i64),
            5,
            "Bổ sung bản sao giấy tờ tùy thân có chứng thực",
            None,
            false,
        )? {
            return Ok(());
        }
        if !step(&mut t, DAY * (1 + rng.below(3) as i64), 4, "Đã bổ sung 1 tệp", None, true)?
        {
            return Ok(());
        }
    }
    if rng.chance(4) {
        let amount = 10_000 * (2 + rng.below(19));
        if !step(&mut t, DAY, 6, "Lệ phí theo quy định", Some(amount), false)? {
            return Ok(());
        }
        if !step(&mut t, DAY * (1 + rng.below(2) as i64), 4, "", None, false)? {
            return Ok(());
        }
    }
    if rng.chance(2) {
        if step(&mut t, DAY, 7, "Không còn nhu cầu", None, true)? {
            step(&mut t, HOUR * 4, 8, "Dừng xử lý theo yêu cầu của công dân", None, false)?;
        }
        return Ok(());
    }
    // Resolved: mostly before the due date, some on it, a few late.
    let target = match due {
        Some(d) => {
            let day = match rng.below(100) {
                0..=79 => workdays::add_days(d, -(rng.below(3) as i64 + 1)),
                80..=91 => d,
                _ => workdays::add_days(d, 1 + rng.below(5) as i64),
            };
            at(day, 9 + rng.below(7) as i64)
        }
        None => t + DAY * (1 + rng.below(10) as i64),
    };
    let wait = target - t;
    if !step(&mut t, wait, 9, "Kết quả đã sẵn sàng", None, false)? {
        return Ok(());
    }
    let resolved = t;
    step(&mut t, DAY * (1 + rng.below(3) as i64), 10, "", None, false)?;
    if rng.chance(40) {
        let when = resolved + HOUR * (2 + rng.below(40) as i64);
        if when < now {
            let level = match rng.below(100) {
                0..=69 => "very_satisfied",
                70..=94 => "satisfied",
                _ => "dissatisfied",
            };
            tx.execute(
                "INSERT INTO ratings(dossier_id, level, comment, at) VALUES (?1, ?2, '', ?3)
                 ON CONFLICT(dossier_id) DO NOTHING",
                params![id, level, when],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_history_follows_the_rules_and_stays_in_the_past() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::Db::open(dir.path()).unwrap();
        db.with(crate::catalog::seed).unwrap();
        let now = 1_795_700_000; // late November 2026
        let made = db.with(|c| seed(c, 300, 7, now)).unwrap();
        assert!(made > 250);
        db.with(|c| {
            let n: i64 = c.query_row("SELECT COUNT(*) FROM dossiers", [], |r| r.get(0)).unwrap();
            assert!(n > 250, "{n}");
            let future: i64 = c
                .query_row("SELECT COUNT(*) FROM dossier_history WHERE at >= ?1", [now], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(future, 0);
            // Every step of every history is a move the contract allows.
            let mut q = c
                .prepare(
                    "SELECT dossier_id, status FROM dossier_history ORDER BY dossier_id, at, id",
                )
                .unwrap();
            let rows: Vec<(i64, u8)> = q
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for w in rows.windows(2) {
                if w[0].0 == w[1].0 {
                    let from = contract::status::DossierStatus::from_number(w[0].1).unwrap();
                    let to = contract::status::DossierStatus::from_number(w[1].1).unwrap();
                    assert!(from.can_move_to(to), "{from:?} -> {to:?}");
                }
            }
            let resolved: i64 = c
                .query_row(
                    "SELECT COUNT(DISTINCT dossier_id) FROM dossier_history WHERE status = 9",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            let rated: i64 = c.query_row("SELECT COUNT(*) FROM ratings", [], |r| r.get(0)).unwrap();
            assert!(resolved > 150 && rated > 30, "{resolved} resolved, {rated} rated");
            let online: i64 = c
                .query_row("SELECT COUNT(*) FROM dossiers WHERE channel = 2", [], |r| r.get(0))
                .unwrap();
            assert!(online > 60 && online < 240, "{online}");
        });
    }
}
