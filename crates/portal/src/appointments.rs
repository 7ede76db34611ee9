//! Appointments at the desk: each desk's calendar as the province
//! configures it (`--desks <file.toml>`, see DEPLOY.md), kept in the
//! database at start so `portal desk` reads the same; the texts a booking
//! sends; and the worker that, every few minutes, marks no-shows, queues
//! the day-before reminders and hands bookings to a back office that keeps
//! its own (the backend seam). The HTTP side is `http::bookings`, the rows
//! `store::bookings`, the rules `contract::appointments`.

use std::collections::BTreeMap;
use std::path::Path;

use contract::appointments::{hm, iso, show_code, ticket_path, Schedule, NO_SHOW_AFTER_MINUTES};
use contract::time::{vn_date, vn_hour_minute};
use rusqlite::Connection;

use crate::store::bookings::Row;
use crate::AppState;

/// Every desk's calendar: one for all, and the desks that differ.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Desks {
    pub default: Schedule,
    pub desks: BTreeMap<String, Schedule>,
}

impl Desks {
    pub fn of(&self, desk: &str) -> &Schedule {
        self.desks.get(desk).unwrap_or(&self.default)
    }

    /// Read the province's file: `[default]` for every desk, then
    /// `[desk."<unit code>"]` for those that differ (their keys over the
    /// default's). Refuses unknown keys, unknown desks and impossible
    /// calendars, saying which.
    pub fn from_toml(text: &str, units: &[String]) -> anyhow::Result<Desks> {
        let mut file: toml::Table = text.parse().map_err(|e| anyhow::anyhow!("desks file: {e}"))?;
        let base = match file.remove("default") {
            Some(toml::Value::Table(t)) => t,
            None => toml::Table::new(),
            Some(_) => anyhow::bail!("desks file: [default] must be a table"),
        };
        let desks = match file.remove("desk") {
            Some(toml::Value::Table(t)) => t,
            None => toml::Table::new(),
            Some(_) => anyhow::bail!("desks file: [desk.\"<unit code>\"] must be tables"),
        };
        if let Some(k) = file.keys().next() {
            anyhow::bail!(
                "desks file: unknown section [{k}] (only [default] and [desk.\"<unit code>\"])"
            );
        }
        let parse = |name: &str, t: toml::Table| -> anyhow::Result<Schedule> {
            let s: Schedule = toml::Value::Table(t)
                .try_into()
                .map_err(|e| anyhow::anyhow!("desks file, {name}: {e}"))?;
            match s.problems().first() {
                Some(p) => anyhow::bail!("desks file, {name}: {p}"),
                None => Ok(s),
            }
        };
        let mut out = Desks { default: parse("[default]", base.clone())?, desks: BTreeMap::new() };
        for (code, table) in desks {
            if !units.contains(&code) {
                anyhow::bail!("desks file: no unit has the code \"{code}\" (see /api/v1/units)");
            }
            let toml::Value::Table(own) = table else {
                anyhow::bail!("desks file: [desk.\"{code}\"] must be a table");
            };
            let mut merged = base.clone();
            merged.extend(own);
            out.desks.insert(code.clone(), parse(&format!("[desk.\"{code}\"]"), merged)?);
        }
        Ok(out)
    }

    pub fn load(path: Option<&Path>, units: &[String]) -> anyhow::Result<Desks> {
        match path {
            None => Ok(Desks::default()),
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| {
                    anyhow::anyhow!("cannot read the desks file {}: {e}", p.display())
                })?;
                Desks::from_toml(&text, units)
            }
        }
    }

    /// Kept for `portal desk` (which runs beside the serving portal).
    pub fn remember(&self, c: &Connection) -> rusqlite::Result<()> {
        let json = serde_json::to_string(self).unwrap_or_default();
        crate::store::meta::set(c, KEY, &json)
    }

    pub fn remembered(c: &Connection) -> rusqlite::Result<Desks> {
        let json = crate::store::meta::get(c, KEY)?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
    }
}

const KEY: &str = "desks";

/// A network in CIDR form (`10.20.0.0/16`, `2001:db8:5::/48`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    pub addr: std::net::IpAddr,
    pub prefix: u8,
}

impl Network {
    pub fn parse(s: &str) -> anyhow::Result<Network> {
        let (a, p) = s.trim().split_once('/').unwrap_or((s.trim(), ""));
        let addr: std::net::IpAddr =
            a.parse().map_err(|_| anyhow::anyhow!("\"{s}\" is not an address/prefix (CIDR)"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = if p.is_empty() { max } else { p.parse().unwrap_or(u8::MAX) };
        if prefix > max {
            anyhow::bail!("\"{s}\": the prefix must be 0 to {max}");
        }
        Ok(Network { addr, prefix })
    }

    /// A comma-separated list.
    pub fn parse_list(s: &str) -> anyhow::Result<Vec<Network>> {
        s.split(',').filter(|x| !x.trim().is_empty()).map(Network::parse).collect()
    }

    /// Whether the client the rate limits name (`http::extract::client_key`:
    /// an IPv4 address, or an IPv6 /64) is inside.
    pub fn holds(&self, client: &str) -> bool {
        let (ip, client_prefix) = match client.strip_suffix("/64") {
            Some(v6) => (v6.parse::<std::net::IpAddr>().ok(), 64),
            None if client == "local" => (Some(std::net::IpAddr::from([127, 0, 0, 1])), 32),
            None => (client.parse().ok(), 128),
        };
        let bits = |ip: std::net::IpAddr| -> u128 {
            match ip {
                std::net::IpAddr::V4(v4) => u128::from(u32::from(v4)) << 96,
                std::net::IpAddr::V6(v6) => u128::from(v6),
            }
        };
        match ip {
            Some(ip) if ip.is_ipv4() == self.addr.is_ipv4() => {
                // A /64 client is inside only a network of /64 or wider.
                if !ip.is_ipv4() && client_prefix < 128 && self.prefix > 64 {
                    return false;
                }
                // IPv4 sits in the top 32 bits (see `bits`): the prefix counts from the top.
                let keep = u32::from(self.prefix);
                let mask = if keep == 0 { 0 } else { u128::MAX << (128 - keep) };
                bits(ip) & mask == bits(self.addr) & mask
            }
            _ => false,
        }
    }
}

/// The text sent when a booking is made (or moved).
pub fn booked_text(origin: &str, b: &Row, desk_name: &str) -> String {
    format!(
        "Một Cửa: đã đặt lịch tại {desk_name}, {} ngày {}, mã {}. Mang theo giấy tờ bản chính. Xem, đổi hoặc hủy: {origin}{}",
        hm(b.start_min),
        day_dmy(&b.day),
        show_code(&b.code),
        ticket_path(&b.code)
    )
}

/// The reminder sent the day before.
pub fn reminder_text(origin: &str, b: &Row, desk_name: &str) -> String {
    format!(
        "Một Cửa: nhắc lịch hẹn ngày mai {} lúc {} tại {desk_name}, mã {}. Không đến được, xin hủy để nhường chỗ: {origin}{}",
        day_dmy(&b.day),
        hm(b.start_min),
        show_code(&b.code),
        ticket_path(&b.code)
    )
}

/// `yyyy-mm-dd` as `dd/mm/yyyy`.
pub fn day_dmy(day: &str) -> String {
    contract::appointments::parse_iso(day).map(contract::time::dmy).unwrap_or_default()
}

/// The desk's name as people say it.
pub fn desk_name(c: &Connection, desk: &str) -> String {
    crate::catalog::units(c)
        .ok()
        .and_then(|u| u.into_iter().find(|u| u.code == desk))
        .map(|u| u.desk_name())
        .unwrap_or_else(|| desk.to_string())
}

/// Queue a text about a booking, unless the person turned texts off.
pub fn text(st: &AppState, b: &Row, text: String) -> bool {
    let off = st.db.with(|c| crate::store::bookings::texts_off(c, &b.citizen_id)).unwrap_or(true);
    if off || b.phone.is_empty() {
        return false;
    }
    st.sms.send_message(&crate::sms::Message::to(&b.phone, &text), st.now()).is_ok()
}

/// Where links in texts point when no request says (the worker).
fn origin(st: &AppState) -> String {
    if let Some(u) = &st.public_url {
        return u.to_string();
    }
    st.db
        .with(|c| crate::notify::remembered(c))
        .ok()
        .flatten()
        .map(|r| r.origin)
        .unwrap_or_default()
}

/// What one round of the worker did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub no_shows: usize,
    pub reminded: usize,
}

/// One round: no-shows marked, reminders queued (from 08:00 the day
/// before, for bookings made before that day: one made the day before got
/// its text just then).
pub async fn tick(st: &AppState) -> anyhow::Result<Round> {
    let now = st.now();
    let today = vn_date(now);
    let (h, m) = vn_hour_minute(now);
    let now_min = u32::from(h) * 60 + u32::from(m);
    let (today_iso, tomorrow) = (iso(today), iso(contract::workdays::add_days(today, 1)));
    let start_of_today = now as i64 - i64::from(now_min) * 60;
    let db = st.db.clone();
    let (no_shows, due) = db
        .call(move |c| -> rusqlite::Result<(usize, Vec<Row>)> {
            let marked = crate::store::bookings::mark_no_shows(
                c,
                &today_iso,
                now_min,
                NO_SHOW_AFTER_MINUTES,
                now as i64,
            )?;
            let due = if h >= 8 {
                crate::store::bookings::to_remind(c, &tomorrow, start_of_today)?
            } else {
                Vec::new()
            };
            Ok((marked, due))
        })
        .await?;
    let origin = origin(st);
    let mut reminded = 0;
    for b in due {
        let name = st.db.with(|c| desk_name(c, &b.desk));
        if text(st, &b, reminder_text(&origin, &b, &name)) {
            reminded += 1;
        }
        // Reminded or not (texts off, over the cap), never asked again.
        let id = b.id;
        st.db.call(move |c| crate::store::bookings::reminded(c, id, now as i64)).await?;
    }
    Ok(Round { no_shows, reminded })
}

/// Run [`tick`] every five minutes while the portal serves.
pub fn start(st: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            every.tick().await;
            match tick(&st).await {
                Ok(r) if r != Round::default() => tracing::info!(?r, "appointments"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "appointments round"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kiosks_networks_hold_their_clients() {
        let nets = Network::parse_list("10.20.0.0/16, 192.168.5.7, 2001:db8:5::/48").unwrap();
        assert!(nets[0].holds("10.20.3.4"));
        assert!(!nets[0].holds("10.21.3.4"));
        assert!(nets[1].holds("192.168.5.7") && !nets[1].holds("192.168.5.8"));
        assert!(nets[2].holds("2001:db8:5:7::/64"));
        assert!(!nets[2].holds("2001:db8:6:7::/64"));
        assert!(!nets[0].holds("2001:db8:5:7::/64"));
        assert!(Network::parse("10.0.0.0/33").is_err());
        assert!(Network::parse("kiosk").is_err());
        assert!(Network::parse("127.0.0.0/8").unwrap().holds("local"));
    }

    #[test]
    fn the_file_sets_a_default_and_desks_that_differ() {
        let units = vec!["000.00.00.H37".to_string(), "000.05.37.H37".to_string()];
        let text = r#"
            [default]
            per_slot = 2
            [desk."000.00.00.H37"]
            per_slot = 6
            saturday = ["07:30-11:30"]
            fields = { "Hộ tịch" = 4 }
        "#;
        let d = Desks::from_toml(text, &units).unwrap();
        assert_eq!(d.of("000.05.37.H37").per_slot, 2);
        let centre = d.of("000.00.00.H37");
        assert_eq!((centre.per_slot, centre.saturday.len()), (6, 1));
        assert_eq!(centre.fields.get("Hộ tịch"), Some(&4));
        for (bad, says) in [
            ("[desk.\"nope\"]\nper_slot = 1", "no unit has the code"),
            ("[default]\nper_slots = 1", "per_slots"),
            ("[default]\nsessions = [\"7h-11h\"]", "HH:MM-HH:MM"),
            ("[other]", "unknown section"),
            ("per_slot = ", "desks file"),
        ] {
            let e = Desks::from_toml(bad, &units).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
