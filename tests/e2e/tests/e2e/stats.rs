//! The statistics page after `portal seed-demo`: its figures equal those
//! computed here with SQL on the portal's own SQLite file.

use crate::support::*;
use fantoccini::Locator;

/// From twelve months ago to last month (Vietnam time): months that other
/// tests, which act today, never touch.
const PERIOD: &str = "p AS (SELECT strftime('%Y-%m', 'now', '+7 hours', 'start of month', '-12 months') AS f,
                              strftime('%Y-%m', 'now', '+7 hours', 'start of month', '-1 months') AS t)";
const MONTH: &str = "strftime('%Y-%m', {col} + 25200, 'unixepoch')";

fn month_of(col: &str) -> String {
    MONTH.replace("{col}", col)
}

fn vn_number(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

fn vn_percent(part: i64, whole: i64) -> String {
    let hundredths = ((part as f64 / whole as f64) * 10_000.0).round() as i64;
    let (whole_part, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => format!("{whole_part}%"),
        f if f % 10 == 0 => format!("{whole_part},{}%", f / 10),
        f => format!("{whole_part},{f:02}%"),
    }
}

struct Expected {
    from: String,
    to: String,
    received: i64,
    online: i64,
    on_time: i64,
    judged: i64,
    satisfied: i64,
    ratings: i64,
    /// (MM/YYYY, received), every month with any.
    months: Vec<(String, i64)>,
    /// (unit name, received), units with any.
    units: Vec<(String, i64)>,
}

fn expected() -> Expected {
    let db = std::path::Path::new(&env("E2E_DATA_DIR")).join("motcua.sqlite3");
    let c = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap();
    let one = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let (from, to): (String, String) = c
        .query_row(&format!("WITH {PERIOD} SELECT f, t FROM p"), [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let received_in = format!("{} BETWEEN p.f AND p.t", month_of("d.received_at"));
    let received =
        one(&format!("WITH {PERIOD} SELECT COUNT(*) FROM dossiers d, p WHERE {received_in}"));
    let online = one(&format!(
        "WITH {PERIOD} SELECT COUNT(*) FROM dossiers d, p WHERE d.channel = 2 AND {received_in}"
    ));
    let resolved = format!(
        "WITH {PERIOD}, r AS (SELECT d.id, d.due_date AS due, MIN(h.at) AS at FROM dossiers d
             JOIN dossier_history h ON h.dossier_id = d.id AND h.status = 9 GROUP BY d.id)
         SELECT COUNT(*) FROM r, p WHERE {} BETWEEN p.f AND p.t AND r.due <> ''",
        month_of("r.at")
    );
    let judged = one(&resolved);
    let on_time = one(&format!(
        "{resolved} AND date(r.at + 25200, 'unixepoch') <= substr(r.due, 7, 4) || '-' || substr(r.due, 4, 2) || '-' || substr(r.due, 1, 2)"
    ));
    let rated = format!(
        "WITH {PERIOD} SELECT COUNT(*) FROM ratings x, p WHERE {} BETWEEN p.f AND p.t",
        month_of("x.at")
    );
    let ratings = one(&rated);
    let satisfied = one(&format!("{rated} AND x.level IN ('very_satisfied', 'satisfied')"));
    let mut q = c
        .prepare(&format!(
            "WITH {PERIOD} SELECT strftime('%m/%Y', d.received_at + 25200, 'unixepoch'), COUNT(*)
             FROM dossiers d, p WHERE {received_in} GROUP BY 1"
        ))
        .unwrap();
    let months =
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    let mut q = c
        .prepare(&format!(
            "WITH {PERIOD} SELECT u.name, COUNT(*) FROM dossiers d JOIN units u ON u.code = d.unit, p
             WHERE {received_in} GROUP BY u.code"
        ))
        .unwrap();
    let units =
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
    Expected { from, to, received, online, on_time, judged, satisfied, ratings, months, units }
}

/// (first cell, second cell) of each body row of table `id`.
async fn rows(c: &fantoccini::Client, id: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tr in c.find_all(Locator::Css(&format!("#{id} tbody tr"))).await.unwrap() {
        let th = tr.find(Locator::Css("th")).await.unwrap().text().await.unwrap();
        let td = tr.find(Locator::Css("td")).await.unwrap().text().await.unwrap();
        out.push((th, td));
    }
    out
}

#[tokio::test]
async fn after_seeding_the_page_shows_what_the_database_holds() {
    let out = std::process::Command::new(env("E2E_PORTAL_BIN"))
        .arg("--data-dir")
        .arg(env("E2E_DATA_DIR"))
        .args(["seed-demo", "--dossiers", "400", "--seed"])
        .arg(std::process::id().to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let want = expected();
    assert!(want.received > 200 && want.ratings > 20, "seeding made too little");

    let c = browser().await;
    open(&c, &format!("/thong-ke?tu={}&den={}", want.from, want.to)).await;
    wait_text(&c, "main h1", "Thống kê").await;
    wait_text(&c, "#stat-received", &vn_number(want.received)).await;
    let text = |id: &'static str| {
        let c = &c;
        async move { text_of(c, Locator::Id(id)).await }
    };
    assert_eq!(text("stat-received").await, vn_number(want.received));
    assert_eq!(text("stat-online").await, vn_percent(want.online, want.received));
    assert_eq!(text("stat-on-time").await, vn_percent(want.on_time, want.judged));
    assert_eq!(text("stat-satisfied").await, vn_percent(want.satisfied, want.ratings));

    // Per month: the table lists every month of the period, zeros included.
    let months = rows(&c, "table-months").await;
    assert_eq!(months.len(), 12, "{months:?}");
    for (label, n) in &want.months {
        let shown =
            months.iter().find(|(m, _)| m == label).unwrap_or_else(|| panic!("no row {label}"));
        assert_eq!(shown.1, vn_number(*n), "{label}");
    }
    // Per commune (desk): every one with dossiers, with its count.
    let units = rows(&c, "table-units").await;
    assert_eq!(units.len(), want.units.len(), "{units:?}");
    for (name, n) in &want.units {
        let shown =
            units.iter().find(|(u, _)| u == name).unwrap_or_else(|| panic!("no row {name}"));
        assert_eq!(shown.1, vn_number(*n), "{name}");
    }
    // Charts are described for screen readers.
    let label = c
        .find(Locator::Css(".chart svg"))
        .await
        .unwrap()
        .attr("aria-label")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(label.contains(&vn_number(want.received)), "{label}");
    assert_accessible(&c, "statistics").await;

    // One desk: the filter is in the URL and the figures follow it.
    let (code, name): (String, String) = {
        let db = std::path::Path::new(&env("E2E_DATA_DIR")).join("motcua.sqlite3");
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.query_row(
            "SELECT code, name FROM units WHERE kind <> 'province' ORDER BY position LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
    };
    let n = want.units.iter().find(|(u, _)| *u == name).map_or(0, |u| u.1);
    click(&c, &format!("#noi option[value='{code}']")).await;
    submit_form(&c).await;
    wait_url(&c, &format!("noi={}", code)).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    wait_text(&c, "#stat-received", &vn_number(n)).await;
    assert_eq!(text("stat-received").await, vn_number(n));
    finish(c).await;
}
