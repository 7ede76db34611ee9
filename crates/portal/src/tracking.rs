//! Tracking: a dossier's status and timeline, and the owner's answers to it.
//!
//! - Public view: the dossier code with the QR code's token, or with the
//!   applicant's citizen ID number. It shows status, dates and officers'
//!   notes, never personal details (the citizen's own words stay hidden).
//!   A wrong token, a wrong ID and an unknown code give the same 404.
//!   Lookups by ID number are rate-limited per client.
//! - Owner view: the signed-in owner sees everything and may act: send the
//!   documents asked for (5 → 4), ask to withdraw (→ 7), rate once (9, 10).

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::dossier::{parse_dossier_code, Receipt};
use contract::error::ApiError;
use contract::status::DossierStatus;
use contract::tracking::*;
use contract::validate::{self, Problem};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::accounts::{civil_date, session, ClientIp};
use crate::dossiers::{transition_in, Move, TransitionError};
use crate::error::{Error, Result};
use crate::limits::Rule;
use crate::AppState;

/// Lookups by code + ID number per client: enough for a volunteer's queue,
/// far too few to guess ID numbers.
const LOOKUPS_PER_CLIENT: Rule = Rule {
    max: 30,
    window: 15 * 60,
};

const MAX_NOTE: usize = 2000;

/// Equal secrets, compared in time that does not depend on where they differ.
pub fn same_secret(given: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

/// A new tracking token: 128 random bits as hex.
pub fn new_token() -> String {
    crate::accounts::random_bytes::<16>()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn fail(status: StatusCode, code: &str, message: &str) -> Error {
    Error {
        status,
        body: ApiError::new(code, message),
    }
}

fn invalid(field: &str, vi: &str, en: &str) -> Error {
    Error {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: ApiError::new(
            "validation",
            "Thông tin chưa hợp lệ; xem hướng dẫn ở từng ô / Some details need fixing; see each field",
        )
        .with_problem(
            field,
            Problem {
                vi: vi.into(),
                en: en.into(),
            },
        ),
    }
}

fn wrong_status(vi: &str, en: &str) -> Error {
    fail(StatusCode::CONFLICT, "status", &format!("{vi} / {en}"))
}

/// dd/mm/yyyy HH:MM in Vietnam time.
pub fn local_time(secs: i64) -> String {
    let secs = secs.max(0) as u64;
    let d = civil_date(secs);
    let local = secs + 7 * 3600;
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        d.day,
        d.month,
        d.year,
        (local % 86_400) / 3600,
        (local % 3600) / 60
    )
}

/// Everything stored about one dossier that tracking needs.
pub struct Stored {
    pub id: i64,
    /// The citizen ID number it belongs to.
    pub owner: String,
    /// The volunteer's account, if one filed it.
    pub assisted_by: Option<i64>,
    pub token: String,
    pub receipt: Receipt,
    pub status: u8,
    /// (status, at, note, amount, by citizen), oldest first.
    pub history: Vec<(u8, i64, String, Option<i64>, bool)>,
    pub rating: Option<(String, String)>,
}

pub fn load(c: &Connection, code: &str) -> rusqlite::Result<Option<Stored>> {
    type Row = (i64, String, Option<i64>, String, String, u8);
    let row: Option<Row> = c
        .query_row(
            "SELECT id, owner_citizen_id, assisted_by, token, body, status FROM dossiers WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let Some((id, owner, assisted_by, token, body, status)) = row else {
        return Ok(None);
    };
    let Ok(receipt) = serde_json::from_str::<Receipt>(&body) else {
        return Ok(None);
    };
    let mut q = c.prepare_cached(
        "SELECT status, at, note, amount, by_citizen FROM dossier_history
         WHERE dossier_id = ?1 ORDER BY at, id",
    )?;
    let history = q
        .query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let rating = c
        .query_row(
            "SELECT level, comment FROM ratings WHERE dossier_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(Some(Stored {
        id,
        owner,
        assisted_by,
        token,
        receipt,
        status,
        history,
        rating,
    }))
}

/// What the status page shows; `owner` adds the citizen's own words.
pub fn view(s: &Stored, owner: bool, now: u64) -> Tracking {
    let status = DossierStatus::from_number(s.status).unwrap_or(DossierStatus::Registered);
    let resolved = s
        .history
        .iter()
        .find(|h| h.0 == DossierStatus::Resolved.number())
        .map(|h| civil_date(h.1.max(0) as u64));
    let due = parse_date(&s.receipt.due_date);
    Tracking {
        code: s.receipt.code.clone(),
        token: s.token.clone(),
        procedure_code: s.receipt.procedure_code.clone(),
        procedure_name: s.receipt.procedure_name.clone(),
        agency_name: s.receipt.agency_name.clone(),
        received_at: s.receipt.received_at.clone(),
        due_date: s.receipt.due_date.clone(),
        fee: s.receipt.fee.clone(),
        status: s.status,
        timeliness: timeliness(status, due, resolved, civil_date(now)),
        history: s
            .history
            .iter()
            .map(|(st, at, note, amount, by_citizen)| HistoryEntry {
                status: *st,
                at: local_time(*at),
                note: if *by_citizen && !owner {
                    String::new()
                } else {
                    note.clone()
                },
                amount: amount.map(|a| a.max(0) as u64),
                by_citizen: *by_citizen,
            })
            .collect(),
        rating: s.rating.as_ref().and_then(|(level, comment)| {
            Some(Rating {
                level: Satisfaction::from_slug(level)?,
                comment: if owner {
                    comment.clone()
                } else {
                    String::new()
                },
            })
        }),
        owner,
        updated_at: local_time(now as i64),
    }
}

fn answer(t: Tracking) -> Response {
    ([(header::CACHE_CONTROL, "private, no-store")], Json(t)).into_response()
}

async fn stored(st: &AppState, code: &str) -> Result<Option<Stored>> {
    if parse_dossier_code(code).is_none() {
        return Ok(None);
    }
    let code = code.to_string();
    Ok(st.db.call(move |c| load(c, &code)).await?)
}

/// The signed-in account and its citizen ID number.
async fn signed_in(st: &AppState, headers: &HeaderMap) -> Option<(i64, String)> {
    let s = session(st, headers).await.ok()?;
    let me = crate::accounts::who(st, s.account).await.ok()?;
    Some((s.account, me.citizen_id))
}

async fn is_owner(st: &AppState, headers: &HeaderMap, s: &Stored) -> bool {
    signed_in(st, headers)
        .await
        .is_some_and(|(_, cid)| cid == s.owner)
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// A dossier's status and timeline: for its signed-in owner, or with the
/// token of its QR code. Anything else: not found.
#[utoipa::path(get, path = "/api/v1/tracking/{code}", tag = "tracking",
    params(("code" = String, Path), ("token" = Option<String>, Query)),
    responses((status = 200, body = Tracking), (status = 404, body = ApiError)))]
pub async fn track(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Result<Response> {
    let s = stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    let owner = is_owner(&st, &headers, &s).await;
    if !owner && !same_secret(&q.token, &s.token) {
        return Err(Error::not_found());
    }
    Ok(answer(view(&s, owner, st.now())))
}

/// Public lookup by dossier code and the applicant's citizen ID number (as
/// on the receipt). The answer carries the token, so the app can keep a
/// link. Wrong ID and unknown code: the same 404.
#[utoipa::path(post, path = "/api/v1/tracking", tag = "tracking", request_body = LookupRequest,
    responses((status = 200, body = Tracking), (status = 404, body = ApiError),
        (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn lookup(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(req): Json<LookupRequest>,
) -> Result<Response> {
    let Some((code, _)) = parse_tracking_text(&req.code) else {
        return Err(invalid(
            "code",
            "Mã hồ sơ gồm mã cơ quan, ngày nhận và số thứ tự, ví dụ 000.00.06.H37-261126-0001",
            "A dossier code has the agency, the date and a number, e.g. 000.00.06.H37-261126-0001",
        ));
    };
    let id = validate::citizen_id(&req.citizen_id, None).map_err(|p| Error {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body: ApiError::new(
            "validation",
            "Số CCCD chưa đúng / The ID number is not right",
        )
        .with_problem("citizen_id", p),
    })?;
    let rule = crate::accounts::per_client(&st, LOOKUPS_PER_CLIENT);
    if let Err(wait) = st.limits.take(&format!("track-ip:{ip}"), rule, st.now()) {
        return Err(crate::accounts::too_many(wait));
    }
    let s = stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    if !same_secret(&id, &s.receipt.applicant.citizen_id) {
        return Err(Error::not_found());
    }
    let owner = is_owner(&st, &headers, &s).await;
    Ok(answer(view(&s, owner, st.now())))
}

/// The signed-in owner's dossier and account, or not found (for anyone else too).
async fn owned(st: &AppState, headers: &HeaderMap, code: &str) -> Result<(Stored, i64)> {
    let me = session(st, headers).await?;
    let cid = crate::accounts::who(st, me.account).await?.citizen_id;
    match stored(st, code).await? {
        Some(s) if s.owner == cid => Ok((s, me.account)),
        _ => Err(Error::not_found()),
    }
}

async fn reload(st: &AppState, code: String) -> Result<Response> {
    let s = stored(st, &code).await?.ok_or_else(Error::not_found)?;
    Ok(answer(view(&s, true, st.now())))
}

/// Send the documents asked for at status 5; the dossier goes back to
/// "Đang xử lý" (4) with the citizen's note in its history.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/supplement", tag = "tracking",
    params(("code" = String, Path)), request_body = SupplementRequest,
    responses((status = 200, body = Tracking), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn supplement(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(req): Json<SupplementRequest>,
) -> Result<Response> {
    let (s, account) = owned(&st, &headers, &code).await?;
    if s.status != DossierStatus::SupplementRequested.number() {
        return Err(wrong_status(
            "Hồ sơ không ở trạng thái chờ bổ sung giấy tờ",
            "This dossier is not waiting for more documents",
        ));
    }
    if req.files.is_empty() || req.files.len() > 20 {
        return Err(invalid(
            "files",
            "Hãy đính kèm giấy tờ được yêu cầu (1 đến 20 tệp)",
            "Attach the documents asked for (1 to 20 files)",
        ));
    }
    let note: String = req.note.trim().chars().take(MAX_NOTE).collect();
    let now = st.now() as i64;
    let dossier = s.id;
    let c2 = code.clone();
    let done = st
        .db
        .call(
            move |c| -> rusqlite::Result<std::result::Result<(), &'static str>> {
                let tx = c.transaction()?;
                for f in &req.files {
                    let n = tx.execute(
                        "UPDATE files SET dossier_id = ?1
                     WHERE id = ?2 AND account_id = ?3 AND dossier_id IS NULL",
                        params![dossier, f, account],
                    )?;
                    if n == 0 {
                        return Ok(Err("files"));
                    }
                }
                let text = if note.is_empty() {
                    format!("Đã bổ sung {} tệp", req.files.len())
                } else {
                    note
                };
                let m = Move {
                    to: DossierStatus::Processing.number(),
                    note: &text,
                    amount: None,
                    by_citizen: true,
                };
                match transition_in(&tx, &c2, m, now)? {
                    Ok(_) => {
                        tx.commit()?;
                        Ok(Ok(()))
                    }
                    Err(_) => Ok(Err("status")),
                }
            },
        )
        .await?;
    match done {
        Ok(()) => reload(&st, code).await,
        Err("files") => Err(invalid(
            "files",
            "Một tệp đính kèm không còn; hãy đính kèm lại",
            "An attached file is missing; attach it again",
        )),
        Err(_) => Err(wrong_status(
            "Hồ sơ không ở trạng thái chờ bổ sung giấy tờ",
            "This dossier is not waiting for more documents",
        )),
    }
}

/// Ask to withdraw the dossier (status 7), while it is still in hand.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/withdraw", tag = "tracking",
    params(("code" = String, Path)), request_body = WithdrawRequest,
    responses((status = 200, body = Tracking), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn withdraw(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(req): Json<WithdrawRequest>,
) -> Result<Response> {
    owned(&st, &headers, &code).await?;
    let reason: String = req.reason.trim().chars().take(MAX_NOTE).collect();
    let now = st.now() as i64;
    let c2 = code.clone();
    let moved = st
        .db
        .call(move |c| {
            let m = Move {
                to: DossierStatus::WithdrawalRequested.number(),
                note: &reason,
                amount: None,
                by_citizen: true,
            };
            crate::dossiers::transition(c, &c2, m, now)
        })
        .await?;
    match moved {
        Ok(_) => reload(&st, code).await,
        Err(TransitionError::UnknownDossier) => Err(Error::not_found()),
        Err(_) => Err(wrong_status(
            "Hồ sơ đã xử lý xong hoặc đã dừng; không rút được nữa",
            "This dossier is finished or stopped; it can no longer be withdrawn",
        )),
    }
}

/// Rate the service once, after the dossier is resolved (9) or returned (10).
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/rating", tag = "tracking",
    params(("code" = String, Path)), request_body = Rating,
    responses((status = 200, body = Tracking), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn rate(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(req): Json<Rating>,
) -> Result<Response> {
    let (s, _) = owned(&st, &headers, &code).await?;
    let status = DossierStatus::from_number(s.status).unwrap_or(DossierStatus::Registered);
    if !can_rate(status) {
        return Err(wrong_status(
            "Chỉ đánh giá được khi hồ sơ đã xử lý xong",
            "A dossier can be rated once it is resolved",
        ));
    }
    let comment: String = req.comment.trim().chars().take(MAX_NOTE).collect();
    let now = st.now() as i64;
    let id = s.id;
    let level = req.level.slug();
    let inserted = st
        .db
        .call(move |c| {
            c.execute(
                "INSERT INTO ratings(dossier_id, level, comment, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(dossier_id) DO NOTHING",
                params![id, level, comment, now],
            )
        })
        .await?;
    if inserted == 0 {
        return Err(wrong_status(
            "Hồ sơ này đã được đánh giá",
            "This dossier has already been rated",
        ));
    }
    reload(&st, code).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        let t = new_token();
        assert_eq!(t.len(), 32);
        assert!(t.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(t, new_token());
        assert!(same_secret(&t, &t.clone()));
        assert!(!same_secret(&t[..31], &t));
        assert!(!same_secret(&format!("{t}0"), &t));
        assert!(!same_secret("", &t));
        // An empty stored secret matches nothing, not even itself.
        assert!(!same_secret("", ""));
        let mut other = t.clone().into_bytes();
        other[31] = if other[31] == b'0' { b'1' } else { b'0' };
        assert!(!same_secret(std::str::from_utf8(&other).unwrap(), &t));
    }

    #[test]
    fn times_are_vietnam_local() {
        // 2026-11-26 17:30 UTC is 00:30 the next day in Vietnam.
        assert_eq!(local_time(1_795_714_200), "27/11/2026 00:30");
    }
}
