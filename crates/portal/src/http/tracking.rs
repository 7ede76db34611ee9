//! Tracking: a dossier's status and timeline, and the owner's answers to it.
//!
//! - Public view: the dossier code with the QR code's token, or with the
//!   applicant's personal ID number. It shows status, dates and officers'
//!   notes, never personal details (the citizen's own words stay hidden).
//!   A wrong token, a wrong ID and an unknown code give the same 404.
//!   Lookups by ID number are rate-limited per client.
//! - Owner view: the signed-in owner sees everything and may act: send the
//!   documents asked for (5 → 4), ask to withdraw (→ 7), rate once (9, 10).
//!   Who is who: `store::dossiers::access`, the one rule.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::error::ApiError;
use contract::status::DossierStatus;
use contract::time::{parse_dmy, vn_date, vn_datetime};
use contract::tracking::*;
use contract::validate;

use crate::error::{Error, Result};
use crate::http::accounts::{limit, per_client};
use crate::http::dossiers::{stored, TokenQuery};
use crate::http::extract::Asked;
use crate::http::extract::{ClientIp, SignedIn, Viewer};
use crate::limits::Rule;
use crate::store::dossiers::{Access, Move, Stored, TransitionError};
use crate::{store, AppState};

use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    paths!(track; lookup; supplement; withdraw; rate; claim)
}

/// Claim attempts per account: a ten-digit code cannot be guessed at this rate.
const CLAIMS_PER_ACCOUNT: Rule = Rule::new(5, 60 * 60);

/// A resident makes a dossier a volunteer filed for them their own: signed
/// in under the ID number it was filed for, with its claim code. Until
/// then an account that merely registered with that ID number does not
/// see it (see `store::dossiers::is_owner`).
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/claim", tag = "tracking",
    params(("code" = String, Path)), request_body = ClaimRequest,
    responses((status = 200, body = Tracking), (status = 401, body = ApiError),
        (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn claim(
    Asked { st, me, name: code }: Asked,
    Json(req): Json<ClaimRequest>,
) -> Result<Response> {
    limit(&st, &format!("claim:{}", me.account), CLAIMS_PER_ACCOUNT)?;
    let typed: String = req.claim_code.chars().filter(char::is_ascii_digit).collect();
    let wrong = || {
        Error::field(
            "claim_code",
            "Mã nhận hồ sơ không đúng, hoặc hồ sơ này không nộp cho số định danh cá nhân của tài khoản bạn",
            "The claim code is not right, or this dossier was not filed for your ID number",
        )
    };
    let s = stored(&st, &code).await?.ok_or_else(wrong)?;
    let proven = s.claimed_by.is_none()
        && !s.owner.is_empty()
        && s.owner == me.me.citizen_id
        && s.claim_code.as_deref().is_some_and(|c| crate::secrets::same_secret(&typed, c));
    if !proven {
        return Err(wrong());
    }
    let (id, account) = (s.id, me.account);
    if !st.db.call(move |c| store::dossiers::claim(c, id, account)).await? {
        return Err(wrong());
    }
    reload(&st, code).await
}

/// Lookups by code + ID number per client: enough for a volunteer's queue,
/// far too few to guess ID numbers.
const LOOKUPS_PER_CLIENT: Rule = Rule::new(30, 15 * 60);

const MAX_NOTE: usize = 2000;

/// `view` now, saying whether this portal takes the fee online.
pub fn view_at(st: &AppState, s: &Stored, access: Access) -> Tracking {
    Tracking { pay_online: st.payment.is_some(), ..view(s, access, st.now()) }
}

/// What the status page shows; personal access adds the citizen's own words.
pub fn view(s: &Stored, access: Access, now: u64) -> Tracking {
    let personal = access.sees_personal();
    let resolved = s
        .history
        .iter()
        .find(|h| h.0 == DossierStatus::Resolved)
        .map(|h| vn_date(h.1.max(0) as u64));
    let due = parse_dmy(&s.receipt.due_date);
    let fee_due = s.fee_due().map(|d| d.0);
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
        timeliness: timeliness(s.status, due, resolved, vn_date(now)),
        history: s
            .history
            .iter()
            .map(|(st, at, note, amount, by_citizen)| HistoryEntry {
                status: *st,
                at: vn_datetime(*at),
                note: if *by_citizen && !personal { String::new() } else { note.clone() },
                amount: amount.map(|a| a.max(0) as u64),
                by_citizen: *by_citizen,
            })
            .collect(),
        rating: s.rating.as_ref().and_then(|(level, comment)| {
            Some(Rating {
                level: Satisfaction::from_slug(level)?,
                comment: if personal { comment.clone() } else { String::new() },
            })
        }),
        owner: access.may_act(),
        updated_at: vn_datetime(now as i64),
        result_count: s.results.len() as u32,
        pickup: match s.receipt.delivery {
            contract::dossier::Delivery::Online => "online",
            contract::dossier::Delivery::Office { .. } => "office",
            contract::dossier::Delivery::Post { .. } => "post",
        }
        .to_string(),
        results: if access.may_act() { s.results.clone() } else { Vec::new() },
        back_office: s.back_office.map(|(handed_over, confirmed)| {
            contract::tracking::BackOfficeNews {
                on_its_way: !handed_over,
                confirmed_at: confirmed.map(vn_datetime).unwrap_or_default(),
            }
        }),
        fee_due,
        // A fee due again (asked at 6 after one paid on filing): the paid
        // one is not this one.
        payment: s
            .payment
            .clone()
            .filter(|p| fee_due.is_none() || p.state != contract::tracking::PaymentState::Paid)
            .map(|mut p| {
                if let Some(r) = p.receipt.as_mut() {
                    let a = &s.receipt.applicant;
                    r.payer = if personal {
                        a.full_name.clone()
                    } else {
                        crate::http::dossiers::mask(a).full_name
                    };
                }
                p
            }),
        pay_online: false,
    }
}

fn answer(t: Tracking) -> Response {
    ([(header::CACHE_CONTROL, "private, no-store")], Json(t)).into_response()
}

/// A dossier's status and timeline: for its signed-in owner (or the
/// volunteer who filed it), or with the token of its QR code. Anything
/// else: not found.
#[utoipa::path(get, path = "/api/v1/tracking/{code}", tag = "tracking",
    params(("code" = String, Path), ("token" = Option<String>, Query)),
    responses((status = 200, body = Tracking), (status = 404, body = ApiError)))]
pub async fn track(
    State(st): State<AppState>,
    Viewer(viewer): Viewer,
    Path(code): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Result<Response> {
    let (s, a) = crate::http::dossiers::open(&st, &code, viewer.as_ref(), &q.token).await?;
    Ok(answer(view_at(&st, &s, a)))
}

/// Public lookup by dossier code and the applicant's personal ID number (as
/// on the receipt). The answer carries the token, so the app can keep a
/// link. Wrong ID and unknown code: the same 404.
#[utoipa::path(post, path = "/api/v1/tracking", tag = "tracking", request_body = LookupRequest,
    responses((status = 200, body = Tracking), (status = 404, body = ApiError),
        (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn lookup(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Viewer(viewer): Viewer,
    Json(req): Json<LookupRequest>,
) -> Result<Response> {
    let Some((code, _)) = parse_tracking_text(&req.code) else {
        return Err(Error::field(
            "code",
            "Mã hồ sơ gồm mã cơ quan, ngày nhận và số thứ tự, ví dụ 000.00.06.H37-261126-0001",
            "A dossier code has the agency, the date and a number, e.g. 000.00.06.H37-261126-0001",
        ));
    };
    let id = validate::citizen_id(&req.citizen_id, None)
        .map_err(|p| Error::invalid([("citizen_id", p)]))?;
    limit(&st, &format!("track-ip:{ip}"), per_client(&st, LOOKUPS_PER_CLIENT))?;
    let s = stored(&st, &code).await?.ok_or_else(Error::not_found)?;
    if !crate::secrets::same_secret(&id, &s.receipt.applicant.citizen_id) {
        return Err(Error::not_found());
    }
    // The ID number stands for the token here.
    let a = crate::http::dossiers::admit(&st, &s, viewer.as_ref(), &s.token).await?;
    Ok(answer(view_at(&st, &s, a)))
}

/// The dossier, if the signed-in citizen may act on it; else not found
/// (for anyone else too).
async fn owned(st: &AppState, me: &SignedIn, code: &str) -> Result<Stored> {
    match crate::http::dossiers::open(st, code, Some(me), "").await {
        Ok((s, a)) if a.may_act() => Ok(s),
        _ => Err(Error::not_found()),
    }
}

async fn reload(st: &AppState, code: String) -> Result<Response> {
    let s = stored(st, &code).await?.ok_or_else(Error::not_found)?;
    Ok(answer(view_at(st, &s, Access::Owner)))
}

fn not_waiting() -> Error {
    Error::wrong_status(
        "Hồ sơ không ở trạng thái chờ bổ sung giấy tờ",
        "This dossier is not waiting for more documents",
    )
}

/// Send the documents asked for at status 5; the dossier goes back to
/// "Đang xử lý" (4) with the citizen's note in its history.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/supplement", tag = "tracking",
    params(("code" = String, Path)), request_body = SupplementRequest,
    responses((status = 200, body = Tracking), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn supplement(
    Asked { st, me, name: code }: Asked,
    Json(req): Json<SupplementRequest>,
) -> Result<Response> {
    let s = owned(&st, &me, &code).await?;
    if s.status != DossierStatus::SupplementRequested {
        return Err(not_waiting());
    }
    if req.files.is_empty() || req.files.len() > 20 {
        return Err(Error::field(
            "files",
            "Hãy đính kèm giấy tờ được yêu cầu (1 đến 20 tệp)",
            "Attach the documents asked for (1 to 20 files)",
        ));
    }
    let note: String = req.note.trim().chars().take(MAX_NOTE).collect();
    // Kept by a back office: sent there first; only its yes counts.
    if let (Some(b), Some(_)) = (&st.back_office, s.back_office) {
        let (id, account, ids) = (s.id, me.account, req.files.clone());
        let (remote, rows) = st
            .db
            .call(move |c| -> rusqlite::Result<_> {
                let rows: Option<Vec<(String, String, String, String)>> = ids
                    .iter()
                    .map(|f| {
                        store::files::own(c, account, f)
                            .map(|r| r.map(|(sha, mime, name)| (f.clone(), sha, mime, name)))
                    })
                    .collect::<rusqlite::Result<_>>()?;
                Ok((store::back_office::remote_id(c, id)?, rows))
            })
            .await?;
        let Some(rows) = rows else {
            return Err(Error::field(
                "files",
                "Một tệp đính kèm không còn; hãy đính kèm lại",
                "An attached file is missing; attach it again",
            ));
        };
        let remote = remote.ok_or_else(not_waiting)?;
        let mut files = Vec::new();
        for (id, sha, mime, name) in rows {
            let bytes = tokio::fs::read(st.files_dir.join(&sha)).await.map_err(Error::internal)?;
            files.push(crate::backend::FileOut { id, name, mime, bytes });
        }
        let sent = b.driver().supplement(&remote, &files, &note).await;
        there(
            sent,
            &code,
            "supplement",
            (
                "Bộ phận Một cửa không nhận giấy tờ bổ sung lúc này; hãy liên hệ Bộ phận Một cửa",
                "The one-stop desk did not take the documents now; please contact the desk",
            ),
        )?;
    }
    let now = st.now() as i64;
    let (dossier, account) = (s.id, me.account);
    let c2 = code.clone();
    let done = st
        .db
        .call(move |c| -> rusqlite::Result<std::result::Result<(), &'static str>> {
            let tx = crate::db::write_tx(c)?;
            for f in &req.files {
                if !store::files::attach(&tx, account, f, dossier)? {
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
            match store::dossiers::transition_in(&tx, &c2, m, now)? {
                Ok(_) => {
                    tx.commit()?;
                    Ok(Ok(()))
                }
                Err(_) => Ok(Err("status")),
            }
        })
        .await?;
    match done {
        Ok(()) => reload(&st, code).await,
        Err("files") => Err(Error::field(
            "files",
            "Một tệp đính kèm không còn; hãy đính kèm lại",
            "An attached file is missing; attach it again",
        )),
        Err(_) => Err(not_waiting()),
    }
}

/// Ask to withdraw the dossier (status 7), while it is still in hand.
#[utoipa::path(post, path = "/api/v1/dossiers/{code}/withdraw", tag = "tracking",
    params(("code" = String, Path)), request_body = WithdrawRequest,
    responses((status = 200, body = Tracking), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn withdraw(
    Asked { st, me, name: code }: Asked,
    Json(req): Json<WithdrawRequest>,
) -> Result<Response> {
    let d = owned(&st, &me, &code).await?;
    let reason: String = req.reason.trim().chars().take(MAX_NOTE).collect();
    // Kept by a back office: asked there first; only its yes counts.
    if let (Some(b), Some(_)) = (&st.back_office, d.back_office) {
        let allowed = d.status.can_move_to(DossierStatus::WithdrawalRequested);
        let id = d.id;
        let remote = st.db.call(move |c| store::back_office::remote_id(c, id)).await?;
        match remote {
            Some(remote) if allowed => {
                let sent = b.driver().withdraw(&remote, &reason).await;
                there(sent, &code, "withdrawal", (
                    "Bộ phận Một cửa không nhận yêu cầu rút hồ sơ này; hãy liên hệ Bộ phận Một cửa",
                    "The one-stop desk did not take this withdrawal; please contact the desk",
                ))?;
            }
            None if allowed => return Err(Error::wrong_status(
                "Hồ sơ đang được chuyển đến Bộ phận Một cửa; hãy rút khi hồ sơ đã đến (thường vài phút)",
                "The dossier is on its way to the one-stop desk; withdraw it once it has arrived (usually minutes)",
            )),
            _ => {}
        }
    }
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
            store::dossiers::transition(c, &c2, m, now)
        })
        .await?;
    match moved {
        Ok(_) => reload(&st, code).await,
        Err(TransitionError::UnknownDossier) => Err(Error::not_found()),
        Err(_) => Err(Error::wrong_status(
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
    Asked { st, me, name: code }: Asked,
    Json(req): Json<Rating>,
) -> Result<Response> {
    let s = owned(&st, &me, &code).await?;
    if !can_rate(s.status) {
        return Err(Error::wrong_status(
            "Chỉ đánh giá được khi hồ sơ đã xử lý xong",
            "A dossier can be rated once it is resolved",
        ));
    }
    let comment: String = req.comment.trim().chars().take(MAX_NOTE).collect();
    let now = st.now() as i64;
    let (id, level) = (s.id, req.level.slug());
    let rated = st.db.call(move |c| store::dossiers::rate(c, id, level, &comment, now)).await?;
    if !rated {
        return Err(Error::wrong_status(
            "Hồ sơ này đã được đánh giá",
            "This dossier has already been rated",
        ));
    }
    reload(&st, code).await
}

/// What the back office answered an owner's action sent there (`what`):
/// away, the citizen is told to try later; refused, told `refused` (vi, en).
fn there(
    sent: std::result::Result<(), crate::backend::Failure>,
    code: &str,
    what: &str,
    refused: (&str, &str),
) -> Result<()> {
    match sent {
        Ok(()) => Ok(()),
        Err(crate::backend::Failure::Away(why)) => {
            tracing::warn!(%code, %why, "{what}: back office away");
            Err(Error::back_office_away())
        }
        Err(crate::backend::Failure::Refused(why)) => {
            tracing::warn!(%code, %why, "{what} refused by the back office");
            Err(Error::wrong_status(refused.0, refused.1))
        }
    }
}
