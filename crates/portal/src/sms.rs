//! Messages to phones. Every message is a row of the `outbox` table. With
//! `--dev` rows are only kept and listed (`GET /api/v1/dev/outbox`). With
//! `--sms-gateway` a worker posts them to the province's brand-name SMS
//! gateway: retried with backoff when it fails or times out, kept across
//! restarts, each sent once, its delivery recorded. With `--zalo-template`
//! as well, news of a dossier goes first to Zalo's notification service
//! (ZNS) and falls back to SMS when Zalo refuses it (no Zalo on that
//! phone). Without any, sending fails with a clear error instead of
//! pretending. Per-phone and per-dossier caps hold whatever the caller.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use contract::account::OutboxMessage;
use rusqlite::Connection;

use crate::db::Db;

/// One message: to whom, what it says (in Vietnamese with its marks; a
/// gateway without Unicode gets it unmarked), the dossier it is about and,
/// for Zalo, the template's values.
#[derive(Clone, Debug, Default)]
pub struct Message {
    pub phone: String,
    pub text: String,
    pub dossier: Option<String>,
    pub data: Option<serde_json::Value>,
    /// A warning to the holder of an ID number or phone that someone used
    /// it: at most [`WARNINGS_PER_PHONE_PER_HOUR`], and never counted
    /// against the room the holder's own codes need.
    pub warning: bool,
}

impl Message {
    pub fn to(phone: &str, text: &str) -> Message {
        Message { phone: phone.to_string(), text: text.to_string(), ..Default::default() }
    }
}

/// Messages one phone may be sent in an hour, whatever asks for them.
pub const PER_PHONE_PER_HOUR: i64 = 20;
/// Warnings one phone may be sent in an hour (a registration with its
/// holder's ID number or phone): more would only be noise, and a stranger
/// must not be able to fill the holder's phone with them.
pub const WARNINGS_PER_PHONE_PER_HOUR: i64 = 1;
/// Messages about one dossier in a day.
pub const PER_DOSSIER_PER_DAY: i64 = 10;

#[derive(Clone)]
pub enum Sms {
    /// `--dev`: rows kept as `dev`, never sent.
    Outbox(Db),
    /// The SMS gateway, and the Zalo channel for dossier news if configured.
    Gateway(Arc<Gateway>, Option<Arc<Gateway>>),
    Unconfigured,
}

#[derive(Debug)]
pub struct NotSent;

/// Put a message in the outbox unless a cap says no (`Ok(None)`).
pub fn queue(
    c: &Connection,
    channel: &str,
    m: &Message,
    status: &str,
    now: i64,
) -> rusqlite::Result<Option<i64>> {
    use crate::store::outbox;
    // Warnings and everything else are counted apart: warnings cannot take
    // the room the holder's own codes and news need.
    let kind = if m.warning { "warning" } else { "message" };
    let to_phone = outbox::to_phone_since(c, &m.phone, kind, now - 3600)?;
    let cap = if m.warning { WARNINGS_PER_PHONE_PER_HOUR } else { PER_PHONE_PER_HOUR };
    let on_dossier = match &m.dossier {
        Some(d) => outbox::on_dossier_since(c, d, now - 24 * 3600)?,
        None => 0,
    };
    if to_phone >= cap || on_dossier >= PER_DOSSIER_PER_DAY {
        tracing::warn!(to_phone, on_dossier, "message over its cap: not queued");
        return Ok(None);
    }
    let data = m.data.as_ref().map(|d| d.to_string());
    let new = outbox::New {
        channel,
        phone: &m.phone,
        text: &m.text,
        data: data.as_deref(),
        dossier: m.dossier.as_deref(),
        status,
        kind,
    };
    outbox::insert(c, &new, now).map(Some)
}

impl Sms {
    /// A one-time code or a link the citizen asked for: by SMS.
    pub fn send(&self, phone: &str, text: &str, at: u64) -> Result<(), NotSent> {
        self.deliver(&Message::to(phone, text), at, false)
    }

    /// A warning to a holder (best effort: one an hour at most, and a
    /// warning not sent is no error to whoever caused it).
    pub fn warn(&self, phone: &str, text: &str, at: u64) {
        let m = Message { warning: true, ..Message::to(phone, text) };
        if self.deliver(&m, at, false).is_err() {
            tracing::info!(phone = %m.phone, "warning not sent (one an hour)");
        }
    }

    /// A message the citizen asked for, by SMS.
    pub fn send_message(&self, m: &Message, at: u64) -> Result<(), NotSent> {
        self.deliver(m, at, false)
    }

    /// News of a dossier: by Zalo when configured, else SMS.
    pub fn notify(&self, m: &Message, at: u64) -> Result<(), NotSent> {
        self.deliver(m, at, true)
    }

    /// How news of a dossier is queued here: its channel and the state its
    /// row starts in (`dev` rows are only listed); none without a gateway.
    pub fn news_route(&self) -> Option<(&'static str, &'static str)> {
        match self {
            Sms::Outbox(_) => Some(("sms", "dev")),
            Sms::Gateway(_, Some(_)) => Some(("zalo", "pending")),
            Sms::Gateway(_, None) => Some(("sms", "pending")),
            Sms::Unconfigured => None,
        }
    }

    /// Tell the workers that rows were queued by someone else (in a transaction).
    pub fn wake(&self) {
        if let Sms::Gateway(sms, zalo) = self {
            sms.wake.notify_one();
            if let Some(z) = zalo {
                z.wake.notify_one();
            }
        }
    }

    fn deliver(&self, m: &Message, at: u64, news: bool) -> Result<(), NotSent> {
        let (db, channel, status, wake) = match self {
            Sms::Outbox(db) => (db, "sms", "dev", None),
            Sms::Gateway(sms, zalo) => match zalo.as_ref().filter(|_| news) {
                Some(z) => (&z.db, "zalo", "pending", Some(z)),
                None => (&sms.db, "sms", "pending", Some(sms)),
            },
            Sms::Unconfigured => {
                tracing::error!(phone = %m.phone, "no SMS gateway is configured: message not sent");
                return Err(NotSent);
            }
        };
        let queued = db.with(|c| queue(c, channel, m, status, at as i64)).map_err(|e| {
            tracing::error!(error = %e, "message not queued");
            NotSent
        })?;
        match (queued, wake) {
            (None, _) => Err(NotSent),
            (Some(_), Some(g)) => {
                g.wake.notify_one();
                Ok(())
            }
            (Some(id), None) => {
                tracing::info!(id, phone = %m.phone, text = %m.text, "message (dev outbox)");
                Ok(())
            }
        }
    }

    /// `--dev`: the newest thousand messages, oldest first, as an SMS
    /// gateway without Unicode would send them.
    pub fn outbox(&self) -> Vec<OutboxMessage> {
        let Sms::Outbox(db) = self else { return Vec::new() };
        db.with(|c| crate::store::outbox::newest(c, 1000))
            .map(|rows| {
                rows.into_iter()
                    .map(|(phone, text, at, channel)| OutboxMessage {
                        phone,
                        text: contract::text::unmark(&text),
                        at: at as u64,
                        channel,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Is the gateway answering at all (any HTTP answer)? Checked at most
    /// once a minute; `None` when there is no gateway.
    pub async fn reachable(&self, now: u64) -> Option<bool> {
        let Sms::Gateway(g, _) = self else { return None };
        Some(g.reachable(now).await)
    }
}

/// The shape of a gateway's API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Provider {
    /// Any HTTP API: POST `url` with a JSON body made from `body` (with
    /// `{phone}`, `{text}`, `{brand}` filled in), `Authorization: Bearer`
    /// the token when there is one; any 2xx answer is a delivery.
    Generic { body: String },
    /// eSMS.vn's published JSON API (`SendMultipleMessage_V4_post_json`):
    /// key and secret in the body; delivered when `CodeResult` is "100".
    Esms,
    /// Zalo Notification Service (`POST /message/template`): the OA's
    /// access token in the `access_token` header, the phone as 84…, the
    /// approved template's id and its values; delivered when `error` is 0.
    Zns { template: String },
}

/// Where and how to post messages. Secrets come from the environment
/// (`PORTAL_SMS_TOKEN`, `PORTAL_SMS_SECRET`, `PORTAL_ZALO_TOKEN`), never
/// the command line.
#[derive(Clone, Debug)]
pub struct GatewayConfig {
    pub url: String,
    pub provider: Provider,
    /// The registered brand name the message is sent under.
    pub brand: String,
    pub token: String,
    pub secret: String,
    /// How long one request may take.
    pub timeout: Duration,
    /// The first wait before a retry; it doubles each time, up to 30 minutes.
    pub retry: Duration,
    /// The gateway takes Vietnamese with its marks (Unicode SMS cost more
    /// per message: 70 characters a part instead of 160).
    pub unicode: bool,
}

/// The default body of a generic gateway.
pub const GENERIC_BODY: &str = r#"{"phone":"{phone}","text":"{text}","brand":"{brand}"}"#;

/// Zalo's published endpoint for template messages.
pub const ZNS_URL: &str = "https://business.openapi.zalo.me/message/template";

/// After this long a message that could not be sent is given up (a code
/// that old is useless; the citizen asks again).
const GIVE_UP_SECS: i64 = 24 * 60 * 60;

pub struct Gateway {
    db: Db,
    http: reqwest::Client,
    config: GatewayConfig,
    wake: tokio::sync::Notify,
    /// Zalo: where a message Zalo refused goes instead.
    fallback: OnceLock<Arc<Gateway>>,
    /// When reachability was last checked, and what it found.
    checked: std::sync::Mutex<(u64, bool)>,
}

/// A queued message: id, phone, text, data, attempts so far, when it was queued.
type Queued = crate::store::outbox::Due;

/// What a send attempt came to.
enum Outcome {
    Delivered(String),
    /// Worth trying again (5xx, 429, timeout, no connection, an answer that
    /// does not say it was taken).
    Retry(String),
    /// The gateway refused it for good (4xx): retrying cannot help.
    Refused(String),
}

impl Gateway {
    pub fn new(db: Db, config: GatewayConfig) -> anyhow::Result<Arc<Gateway>> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.timeout)
            .build()?;
        Ok(Arc::new(Gateway {
            db,
            http,
            config,
            wake: tokio::sync::Notify::new(),
            fallback: OnceLock::new(),
            checked: std::sync::Mutex::new((0, false)),
        }))
    }

    /// Zalo: send what Zalo refuses by SMS through `sms`.
    pub fn fall_back_to(&self, sms: Arc<Gateway>) {
        let _ = self.fallback.set(sms);
    }

    fn channel(&self) -> &'static str {
        match self.config.provider {
            Provider::Zns { .. } => "zalo",
            _ => "sms",
        }
    }

    /// The request body for one message.
    fn body(&self, id: i64, phone: &str, text: &str, data: Option<&str>) -> String {
        if let Provider::Zns { template } = &self.config.provider {
            // Zalo wants the phone in international form, without the plus.
            let phone = match phone.strip_prefix('0') {
                Some(rest) => format!("84{rest}"),
                None => phone.to_string(),
            };
            let data: serde_json::Value =
                data.and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
            return serde_json::json!({
                "phone": phone, "template_id": template, "template_data": data,
                "tracking_id": format!("motcua-{id}"),
            })
            .to_string();
        }
        let text =
            if self.config.unicode { text.to_string() } else { contract::text::unmark(text) };
        // Values go inside JSON strings: escaped as JSON, without the quotes.
        let esc = |s: &str| {
            let q = serde_json::to_string(s).unwrap_or_default();
            q[1..q.len() - 1].to_string()
        };
        let template = match &self.config.provider {
            Provider::Generic { body } => body.clone(),
            _ => {
                let unicode = if self.config.unicode { "1" } else { "0" };
                format!(
                    r#"{{"ApiKey":"{{token}}","SecretKey":"{{secret}}","Phone":"{{phone}}","Content":"{{text}}","Brandname":"{{brand}}","SmsType":"2","IsUnicode":"{unicode}"}}"#
                )
            }
        };
        template
            .replace("{phone}", &esc(phone))
            .replace("{brand}", &esc(&self.config.brand))
            .replace("{token}", &esc(&self.config.token))
            .replace("{secret}", &esc(&self.config.secret))
            // Last: a text may itself contain braces.
            .replace("{text}", &esc(&text))
    }

    async fn post(&self, row: &Queued) -> Outcome {
        let (id, phone, text, data, ..) = row;
        let mut req = self
            .http
            .post(&self.config.url)
            .header("content-type", "application/json")
            // A gateway that honours it never delivers one message twice,
            // even when our first try timed out after it had been taken.
            .header("idempotency-key", format!("motcua-{}-{id}", self.channel()))
            .body(self.body(*id, phone, text, data.as_deref()));
        match &self.config.provider {
            Provider::Zns { .. } => req = req.header("access_token", &self.config.token),
            Provider::Generic { .. } if !self.config.token.is_empty() => {
                req = req.bearer_auth(&self.config.token)
            }
            _ => {}
        }
        let res = match req.send().await {
            Ok(r) => r,
            Err(e) => return Outcome::Retry(format!("no answer: {e}")),
        };
        let status = res.status();
        let answer: String = res.text().await.unwrap_or_default().chars().take(300).collect();
        if status.is_server_error() || status.as_u16() == 429 {
            return Outcome::Retry(format!("{status}: {answer}"));
        }
        if !status.is_success() {
            return Outcome::Refused(format!("{status}: {answer}"));
        }
        let field = |name: &str| {
            let v = serde_json::from_str::<serde_json::Value>(&answer).ok()?;
            v.get(name).map(|c| c.to_string().trim_matches('"').to_string())
        };
        let (code, ok) = match &self.config.provider {
            Provider::Generic { .. } => return Outcome::Delivered(answer),
            Provider::Esms => (field("CodeResult"), "100"),
            Provider::Zns { .. } => (field("error"), "0"),
        };
        match code.as_deref() {
            Some(c) if c == ok => Outcome::Delivered(answer),
            Some(_) => Outcome::Refused(answer),
            None => Outcome::Retry(format!("unreadable answer: {answer}")),
        }
    }

    /// Send what is due; the seconds until the next message is due, if any.
    async fn round(&self, now: i64) -> Option<i64> {
        let channel = self.channel();
        let due = self
            .db
            .call(move |c| crate::store::outbox::due(c, channel, now, 20))
            .await
            .unwrap_or_default();
        for row in due {
            let outcome = self.post(&row).await;
            let (id, created) = (row.0, row.5);
            let attempts = row.4 + 1;
            let wait = (self.config.retry.as_millis() as i64) << attempts.min(14);
            let next = now + (wait / 1000).clamp(0, 30 * 60);
            let (status, note) = match outcome {
                Outcome::Delivered(a) => ("sent", a),
                Outcome::Refused(a) => {
                    tracing::warn!(id, channel, answer = %a, "message refused by the gateway");
                    ("refused", a)
                }
                Outcome::Retry(a) if now - created > GIVE_UP_SECS => ("failed", a),
                Outcome::Retry(a) => {
                    tracing::warn!(id, channel, attempts, answer = %a, "not sent yet; will retry");
                    ("pending", a)
                }
            };
            // Zalo said no for good: the same news by SMS, once.
            let fallback = self.fallback.get().filter(|_| status == "refused").cloned();
            let fell_back = fallback.is_some();
            let _ = self
                .db
                .call(move |c| {
                    let a = crate::store::outbox::Attempt {
                        id,
                        status,
                        attempts,
                        next_try_at: next,
                        answer: &note,
                        fall_back: fell_back,
                    };
                    crate::store::outbox::settle(c, &a, now)
                })
                .await;
            if let Some(sms) = fallback {
                sms.wake.notify_one();
            }
        }
        self.db
            .call(move |c| crate::store::outbox::next_due(c, channel))
            .await
            .ok()
            .flatten()
            .map(|t| (t - now).max(0))
    }

    /// Any HTTP answer from the gateway's address within 3 seconds; asked
    /// at most once a minute so monitoring cannot hammer the gateway.
    async fn reachable(&self, now: u64) -> bool {
        {
            let last = self.checked.lock().unwrap_or_else(|p| p.into_inner());
            if last.0 != 0 && now < last.0 + 60 {
                return last.1;
            }
        }
        let answered =
            self.http.head(&self.config.url).timeout(Duration::from_secs(3)).send().await.is_ok();
        *self.checked.lock().unwrap_or_else(|p| p.into_inner()) = (now, answered);
        answered
    }

    /// The sender: what was queued before a restart goes first; then it
    /// wakes when a message is queued or a retry falls due (and once a
    /// minute, for what the command line queued).
    pub fn start(
        self: &Arc<Gateway>,
        clock: impl Fn() -> u64 + Send + 'static,
    ) -> tokio::task::JoinHandle<()> {
        let g = self.clone();
        tokio::spawn(async move {
            loop {
                let next = g.round(clock() as i64).await;
                // Sub-second retries (tests) poll; otherwise sleep until due.
                let nap = match next {
                    Some(0) => {
                        Duration::from_millis(g.config.retry.as_millis().clamp(10, 1000) as u64)
                    }
                    Some(s) => Duration::from_secs((s as u64).min(60)),
                    None => Duration::from_secs(60),
                };
                let _ = tokio::time::timeout(nap, g.wake.notified()).await;
            }
        })
    }
}
