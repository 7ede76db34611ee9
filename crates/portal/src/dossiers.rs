//! Files, drafts and dossiers of signed-in citizens.
//!
//! - Files: checked by their first bytes (JPEG, PNG or PDF only), 10 MB
//!   each, stored once under `<data>/files/<sha256>` (written to a temporary
//!   name, then renamed: never half a file). Only the owner can read them.
//! - Drafts: the wizard's state as the app sends it (opaque JSON, 256 KB at
//!   most), one row per draft, only ever visible to its owner.
//! - Dossiers: submitted with an `Idempotency-Key`; the same key from the
//!   same citizen returns the first dossier's receipt instead of a second
//!   dossier. The code is `<agency>-YYMMDD-NNNN` with a daily sequence per
//!   agency taken in the same transaction; the due date counts working days.
//! - Anything of another citizen answers exactly as if it did not exist.

use std::io::Write;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::account::phone_hint;
use contract::dossier::*;
use contract::error::ApiError;
use contract::validate::{self, Problem};
use contract::workdays;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::accounts::{civil_date, session};
use crate::error::{Error, Result};
use crate::{catalog, AppState};

/// Largest file accepted (bytes).
pub const MAX_FILE: usize = 10 * 1024 * 1024;

const MAX_DOSSIER_BYTES: u64 = 60 * 1024 * 1024;
const MAX_DRAFT: usize = 256 * 1024;

fn fail(status: StatusCode, code: &str, message: &str) -> Error {
    Error {
        status,
        body: ApiError::new(code, message),
    }
}

fn not_found() -> Error {
    Error::not_found()
}

fn invalid(problems: Vec<(String, Problem)>) -> Error {
    let mut body = ApiError::new(
        "validation",
        "Hồ sơ chưa đủ hoặc chưa đúng; xem hướng dẫn ở từng mục / Some details need fixing",
    );
    for (f, p) in problems {
        body = body.with_problem(&f, p);
    }
    Error {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        body,
    }
}

fn problem(vi: &str, en: &str) -> Problem {
    Problem {
        vi: vi.into(),
        en: en.into(),
    }
}

fn random_hex<const N: usize>() -> String {
    crate::accounts::random_bytes::<N>()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// What the first bytes say a file is; `None` for anything else.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if data.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A PDF ends with `%%EOF` (perhaps followed by a line end); a file that
/// only begins like a PDF (HTML renamed, a cut-off upload) does not.
pub fn pdf_ends_well(data: &[u8]) -> bool {
    let tail = &data[data.len().saturating_sub(1024)..];
    tail.windows(5).any(|w| w == b"%%EOF")
}

/// Largest picture accepted, in pixels: a phone's 50 MP, not a "bomb"
/// whose few KB decompress to gigabytes when someone opens it.
const MAX_PIXELS: u64 = 50_000_000;

/// A PNG's declared size (its IHDR chunk) is within reason.
pub fn png_size_ok(data: &[u8]) -> bool {
    if data.len() < 24 || &data[12..16] != b"IHDR" {
        return false;
    }
    let w = u32::from_be_bytes([data[16], data[17], data[18], data[19]]) as u64;
    let h = u32::from_be_bytes([data[20], data[21], data[22], data[23]]) as u64;
    w > 0 && h > 0 && w <= 20_000 && h <= 20_000 && w * h <= MAX_PIXELS
}

/// A file name fit to show and store: no folders, no control characters,
/// at most 120 characters.
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = base
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .take(120)
        .collect();
    let name = name.trim().trim_start_matches('.').to_string();
    if name.is_empty() {
        "tep".to_string()
    } else {
        name
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ------------------------------------------------------------------ files

/// Upload one file (the body); its name in `x-file-name` (percent-encoded).
#[utoipa::path(post, path = "/api/v1/files", tag = "dossiers",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileInfo), (status = 401, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn upload(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response> {
    let s = session(&st, &headers).await?;
    if body.is_empty() {
        return Err(invalid(vec![(
            "file".into(),
            problem(
                "Tệp trống; hãy chụp hoặc chọn lại",
                "The file is empty; take or choose it again",
            ),
        )]));
    }
    if body.len() > MAX_FILE {
        return Err(fail(
            StatusCode::PAYLOAD_TOO_LARGE,
            "file_too_large",
            "Tệp lớn hơn 10 MB / The file is larger than 10 MB",
        ));
    }
    let Some(mime) = sniff(&body) else {
        return Err(fail(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
            "Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF / Only JPEG or PNG photos or PDF files are accepted",
        ));
    };
    if mime == "application/pdf" && !pdf_ends_well(&body) {
        return Err(fail(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
            "Tệp PDF không hợp lệ hoặc bị hỏng; hãy xuất lại tệp / The PDF is not valid or is damaged; export it again",
        ));
    }
    if mime == "image/png" && !png_size_ok(&body) {
        return Err(fail(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_image",
            "Ảnh có kích thước điểm ảnh quá lớn; hãy chụp lại hoặc thu nhỏ ảnh / The picture's dimensions are too large; take it again or make it smaller",
        ));
    }
    let name = clean_name(&percent_decode(
        headers
            .get("x-file-name")
            .and_then(|v| v.to_str().ok())
            .unwrap_or(""),
    ));
    let sha: String = Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let path = st.files_dir.join(&sha);
    if !path.exists() {
        let dir = st.files_dir.clone();
        let (data, final_path) = (body.clone(), path.clone());
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::create_dir_all(dir.as_path())?;
            let tmp = dir.join(format!(".{}.part", random_hex::<8>()));
            let mut f = std::fs::File::create(&tmp)?;
            let written = f.write_all(&data).and_then(|_| f.sync_all());
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            std::fs::rename(&tmp, &final_path)
        })
        .await
        .map_err(Error::internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "storing an upload");
            fail(
                StatusCode::INSUFFICIENT_STORAGE,
                "storage",
                "Chưa lưu được tệp; hãy thử lại sau / The file could not be stored; try again later",
            )
        })?;
    }
    let info = FileInfo {
        id: random_hex::<16>(),
        name,
        size: body.len() as u64,
        sha256: sha,
        mime: mime.to_string(),
    };
    let (row, now) = (info.clone(), st.now() as i64);
    st.db
        .call(move |c| {
            c.execute(
                "INSERT INTO files(id, account_id, name, size, sha256, mime, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![row.id, s.account, row.name, row.size as i64, row.sha256, row.mime, now],
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// One of the citizen's own files, as a download of its checked type.
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "dossiers", params(("id" = String, Path)),
    responses((status = 200), (status = 404, body = ApiError)))]
pub async fn download(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response> {
    let s = session(&st, &headers).await?;
    let row: Option<(String, String, String)> = st
        .db
        .call(move |c| {
            c.query_row(
                "SELECT sha256, mime, name FROM files WHERE id = ?1 AND account_id = ?2",
                params![id, s.account],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
        })
        .await?;
    let (sha, mime, name) = row.ok_or_else(not_found)?;
    let data = tokio::fs::read(st.files_dir.join(&sha))
        .await
        .map_err(|_| not_found())?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
            // A file id never changes its content: the owner's browser may keep it.
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable".to_string(),
            ),
        ],
        data,
    )
        .into_response())
}

// ----------------------------------------------------------------- drafts

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DraftBody {
    pub procedure: String,
    /// The wizard's state, as the app keeps it.
    pub data: serde_json::Value,
}

#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Draft {
    pub id: String,
    pub procedure: String,
    pub data: serde_json::Value,
    /// Unix seconds.
    pub updated_at: i64,
}

fn valid_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Save a draft (the app chooses its id); another citizen's id is not found.
#[utoipa::path(put, path = "/api/v1/drafts/{id}", tag = "dossiers", params(("id" = String, Path)),
    request_body = DraftBody,
    responses((status = 204), (status = 404, body = ApiError), (status = 413, body = ApiError)))]
pub async fn save_draft(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<DraftBody>,
) -> Result<StatusCode> {
    let s = session(&st, &headers).await?;
    if !valid_id(&id) {
        return Err(not_found());
    }
    let data = serde_json::to_string(&body.data)?;
    if data.len() > MAX_DRAFT {
        return Err(fail(
            StatusCode::PAYLOAD_TOO_LARGE,
            "draft_too_large",
            "Bản nháp quá lớn / The draft is too large",
        ));
    }
    let now = st.now() as i64;
    let saved = st
        .db
        .call(move |c| {
            c.execute(
                "INSERT INTO drafts(id, account_id, procedure_code, data, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET procedure_code = excluded.procedure_code, data = excluded.data,
                    updated_at = excluded.updated_at
                 WHERE drafts.account_id = excluded.account_id",
                params![id, s.account, body.procedure, data, now],
            )
        })
        .await?;
    if saved == 0 {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The citizen's drafts, newest first (without their data).
#[utoipa::path(get, path = "/api/v1/drafts", tag = "dossiers", responses((status = 200, body = Vec<Draft>)))]
pub async fn list_drafts(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<Draft>>> {
    let s = session(&st, &headers).await?;
    let list = st
        .db
        .call(move |c| -> rusqlite::Result<Vec<Draft>> {
            let mut q = c.prepare(
                "SELECT id, procedure_code, updated_at FROM drafts WHERE account_id = ?1 ORDER BY updated_at DESC",
            )?;
            let rows = q.query_map([s.account], |r| {
                Ok(Draft {
                    id: r.get(0)?,
                    procedure: r.get(1)?,
                    data: serde_json::Value::Null,
                    updated_at: r.get(2)?,
                })
            })?;
            rows.collect()
        })
        .await?;
    Ok(Json(list))
}

#[utoipa::path(get, path = "/api/v1/drafts/{id}", tag = "dossiers", params(("id" = String, Path)),
    responses((status = 200, body = Draft), (status = 404, body = ApiError)))]
pub async fn get_draft(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Draft>> {
    let s = session(&st, &headers).await?;
    let key = id.clone();
    let row: Option<(String, String, i64)> = st
        .db
        .call(move |c| {
            c.query_row(
                "SELECT procedure_code, data, updated_at FROM drafts WHERE id = ?1 AND account_id = ?2",
                params![key, s.account],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
        })
        .await?;
    let (procedure, data, updated_at) = row.ok_or_else(not_found)?;
    Ok(Json(Draft {
        id,
        procedure,
        data: serde_json::from_str(&data)?,
        updated_at,
    }))
}

#[utoipa::path(delete, path = "/api/v1/drafts/{id}", tag = "dossiers", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = ApiError)))]
pub async fn delete_draft(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let s = session(&st, &headers).await?;
    let gone = st
        .db
        .call(move |c| {
            c.execute(
                "DELETE FROM drafts WHERE id = ?1 AND account_id = ?2",
                params![id, s.account],
            )
        })
        .await?;
    if gone == 0 {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT)
}

// --------------------------------------------------------------- dossiers

/// What the holder of a receipt's QR code sees of the applicant: initials,
/// the ID's last 3 digits, a hint of the phone.
pub fn mask(a: &Applicant) -> Applicant {
    let initials = a
        .full_name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .map(|c| format!("{c}."))
        .collect::<Vec<_>>()
        .join(" ");
    let n = a.citizen_id.chars().count();
    Applicant {
        full_name: initials,
        citizen_id: format!(
            "{}{}",
            "*".repeat(n.saturating_sub(3)),
            a.citizen_id
                .chars()
                .skip(n.saturating_sub(3))
                .collect::<String>()
        ),
        birth_date: String::new(),
        phone: phone_hint(&a.phone),
        email: String::new(),
        address: String::new(),
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn idempotency_key(headers: &HeaderMap) -> Result<String> {
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    if (16..=100).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(key)
    } else {
        Err(fail(
            StatusCode::BAD_REQUEST,
            "idempotency_key",
            "Thiếu khoá chống nộp trùng (Idempotency-Key, 16–100 ký tự) / Idempotency-Key (16–100 characters) is required",
        ))
    }
}

/// Submit a dossier. The same `Idempotency-Key` again returns the first receipt.
#[utoipa::path(post, path = "/api/v1/dossiers", tag = "dossiers", request_body = SubmitRequest,
    params(("Idempotency-Key" = String, Header)),
    responses((status = 201, body = Receipt), (status = 200, body = Receipt, description = "Already submitted with this key"),
        (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn submit(
    State(st): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<SubmitRequest>,
) -> Result<Response> {
    let s = session(&st, &headers).await?;
    let filer = crate::accounts::who(&st, s.account).await?;
    let key = idempotency_key(&headers)?;
    // A retry of a submission that went through: the same receipt.
    let (k, acc) = (key.clone(), s.account);
    let earlier: Option<String> = st
        .db
        .call(move |c| {
            c.query_row(
                "SELECT body FROM dossiers WHERE filed_by = ?1 AND idempotency_key = ?2",
                params![acc, k],
                |r| r.get(0),
            )
            .optional()
        })
        .await?;
    if let Some(body) = earlier {
        let receipt: Receipt = serde_json::from_str(&body)?;
        return Ok((StatusCode::OK, Json(receipt)).into_response());
    }
    let code = req.procedure.clone();
    let procedure = st
        .db
        .call(move |c| catalog::procedure(c, &code))
        .await
        .map_err(Error::internal)?
        .ok_or_else(|| {
            invalid(vec![(
                "procedure".into(),
                problem("Không có thủ tục này", "No such procedure"),
            )])
        })?;
    let units = st.db.call(|c| catalog::units(c)).await?;
    let now = st.now();
    // Vietnam local time (UTC+7).
    let local = now + 7 * 3600;
    let today = civil_date(now);
    let problems = contract::dossier::check(&req, &procedure, &units, today);
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let hour = ((local % 86_400) / 3600) as u8;
    let minute = ((local % 3600) / 60) as u8;
    let unit = units
        .iter()
        .find(|u| u.code == req.unit)
        .cloned()
        .expect("checked");
    let due = procedure
        .working_days
        .map(|n| workdays::due_date(today, hour, n))
        .map(|d| format!("{:02}/{:02}/{}", d.day, d.month, d.year))
        .unwrap_or_default();
    let fee = procedure
        .channels
        .iter()
        .find(|c| c.channel == contract::catalog::Channel::Online)
        .map(|c| c.fee.clone())
        .unwrap_or_else(|| procedure.fee.clone());
    let documents: Vec<ReceivedDocument> = procedure
        .documents
        .iter()
        .filter_map(|d| {
            let files = req
                .documents
                .iter()
                .find(|x| x.name == d.name)
                .map_or(0, |x| x.files.len() as u32);
            (files > 0).then(|| ReceivedDocument {
                name: d.name.clone(),
                originals: d.originals,
                copies: d.copies,
                files,
            })
        })
        .collect();
    let file_ids: Vec<String> = req
        .documents
        .iter()
        .flat_map(|d| d.files.iter().cloned())
        .collect();
    let mut applicant = req.applicant.clone();
    applicant.full_name = validate::full_name(&applicant.full_name).unwrap_or_default();
    applicant.citizen_id = validate::citizen_id(&applicant.citizen_id, None).unwrap_or_default();
    applicant.phone = validate::phone(&applicant.phone).unwrap_or_default();
    applicant.address = applicant.address.trim().to_string();
    let mut receipt = Receipt {
        code: String::new(),
        token: crate::tracking::new_token(),
        agency_code: unit.code.clone(),
        agency_name: unit.address.clone(),
        procedure_code: procedure.code.clone(),
        procedure_name: procedure.name.clone(),
        applicant,
        on_behalf: req.on_behalf,
        documents,
        processing_time: procedure.time.clone(),
        working_days: procedure.working_days,
        received_at: format!(
            "{:02}/{:02}/{} {:02}:{:02}",
            today.day, today.month, today.year, hour, minute
        ),
        due_date: due,
        delivery: req.delivery.clone(),
        fee,
        status: 1,
        assisted: None,
    };
    // A volunteer filing for a resident: the resident (by ID number) owns
    // it, and the receipt says who helped and when consent was given.
    let owner_citizen_id = if req.on_behalf && filer.volunteer {
        receipt.assisted = Some(Assistance {
            volunteer: filer.full_name.clone(),
            relationship: req.relationship.trim().chars().take(100).collect(),
            consent_at: crate::tracking::local_time(now as i64),
        });
        receipt.applicant.citizen_id.clone()
    } else {
        filer.citizen_id.clone()
    };
    let assisted_by = receipt.assisted.is_some().then_some(s.account);
    let day = format!("{:02}{:02}{:02}", today.year % 100, today.month, today.day);
    let draft = req.draft.clone();
    let request_json = serde_json::to_string(&req)?;
    let stored = st
        .db
        .call(move |c| -> rusqlite::Result<std::result::Result<Receipt, &'static str>> {
            let tx = c.transaction()?;
            // Another request with the same key may have won the race.
            let earlier: Option<String> = tx
                .query_row(
                    "SELECT body FROM dossiers WHERE filed_by = ?1 AND idempotency_key = ?2",
                    params![s.account, key],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(body) = earlier {
                return Ok(serde_json::from_str(&body).map_err(|_| "stored receipt"));
            }
            // The files: this citizen's, and not yet in another dossier.
            let mut size: i64 = 0;
            for id in &file_ids {
                let row: Option<i64> = tx
                    .query_row(
                        "SELECT size FROM files WHERE id = ?1 AND account_id = ?2 AND dossier_id IS NULL",
                        params![id, s.account],
                        |r| r.get(0),
                    )
                    .optional()?;
                match row {
                    Some(n) => size += n,
                    None => return Ok(Err("files")),
                }
            }
            if size as u64 > MAX_DOSSIER_BYTES {
                return Ok(Err("size"));
            }
            tx.execute(
                "INSERT INTO dossier_sequence(agency, day, last) VALUES (?1, ?2, 1)
                 ON CONFLICT(agency, day) DO UPDATE SET last = last + 1",
                params![receipt.agency_code, day],
            )?;
            let seq: u32 = tx.query_row(
                "SELECT last FROM dossier_sequence WHERE agency = ?1 AND day = ?2",
                params![receipt.agency_code, day],
                |r| r.get(0),
            )?;
            receipt.code = dossier_code(&receipt.agency_code, today, seq);
            let body = serde_json::to_string(&receipt).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            tx.execute(
                "INSERT INTO dossiers(code, token, owner_id, filed_by, idempotency_key, procedure_code, unit, request, body,
                    status, received_at, due_date, owner_citizen_id, assisted_by)
                 VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9, ?10, ?11, ?12)",
                params![
                    receipt.code,
                    receipt.token,
                    s.account,
                    key,
                    receipt.procedure_code,
                    receipt.agency_code,
                    request_json,
                    body,
                    now as i64,
                    receipt.due_date,
                    owner_citizen_id,
                    assisted_by
                ],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO dossier_history(dossier_id, status, at, note) VALUES (?1, 1, ?2, '')",
                params![id, now as i64],
            )?;
            for f in &file_ids {
                tx.execute("UPDATE files SET dossier_id = ?1 WHERE id = ?2", params![id, f])?;
            }
            if let Some(d) = draft {
                tx.execute("DELETE FROM drafts WHERE id = ?1 AND account_id = ?2", params![d, s.account])?;
            }
            tx.commit()?;
            Ok(Ok(receipt))
        })
        .await?;
    match stored {
        Ok(r) => Ok((StatusCode::CREATED, Json(r)).into_response()),
        Err("files") => Err(invalid(vec![(
            "documents".into(),
            problem(
                "Một tệp đính kèm không còn; hãy đính kèm lại",
                "An attached file is missing; attach it again",
            ),
        )])),
        Err("size") => Err(invalid(vec![(
            "documents".into(),
            problem(
                "Tổng dung lượng tệp quá 60 MB",
                "The files add up to more than 60 MB",
            ),
        )])),
        Err(e) => Err(Error::internal(e)),
    }
}

/// A receipt: in full for its signed-in owner; with the tracking token from
/// the QR code, without personal details. Otherwise: not found.
#[utoipa::path(get, path = "/api/v1/dossiers/{code}/receipt", tag = "dossiers",
    params(("code" = String, Path), ("token" = Option<String>, Query)),
    responses((status = 200, body = Receipt), (status = 404, body = ApiError)))]
pub async fn receipt(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<TokenQuery>,
) -> Result<Response> {
    if parse_dossier_code(&code).is_none() {
        return Err(not_found());
    }
    let row: Option<(String, Option<i64>, String, String)> = st
        .db
        .call(move |c| {
            c.query_row(
                "SELECT owner_citizen_id, assisted_by, token, body FROM dossiers WHERE code = ?1",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
        })
        .await?;
    let Some((owner, assisted_by, token, body)) = row else {
        return Err(not_found());
    };
    let mut receipt: Receipt = serde_json::from_str(&body)?;
    // Its owner, or the volunteer who filed it (to print it for the resident).
    let is_owner = match session(&st, &headers).await {
        Ok(s) => {
            assisted_by == Some(s.account)
                || crate::accounts::who(&st, s.account).await?.citizen_id == owner
        }
        Err(_) => false,
    };
    let token_ok = crate::tracking::same_secret(&q.token, &token);
    if !is_owner {
        if !token_ok {
            return Err(not_found());
        }
        receipt.applicant = mask(&receipt.applicant);
        if let Delivery::Post { .. } = receipt.delivery {
            receipt.delivery = Delivery::Post {
                address: String::new(),
            };
        }
    }
    receipt.status = status_of(&st, &receipt.code)
        .await?
        .unwrap_or(receipt.status);
    Ok((
        [(header::CACHE_CONTROL, "private, no-store")],
        Json(receipt),
    )
        .into_response())
}

async fn status_of(st: &AppState, code: &str) -> Result<Option<u8>> {
    let code = code.to_string();
    Ok(st
        .db
        .call(move |c| {
            c.query_row("SELECT status FROM dossiers WHERE code = ?1", [code], |r| {
                r.get(0)
            })
            .optional()
        })
        .await?)
}

/// The signed-in citizen's dossiers, newest first.
#[utoipa::path(get, path = "/api/v1/dossiers", tag = "dossiers",
    responses((status = 200, body = Vec<DossierSummary>), (status = 401, body = ApiError)))]
pub async fn mine(
    State(st): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<DossierSummary>>> {
    let s = session(&st, &headers).await?;
    let me = crate::accounts::who(&st, s.account).await?.citizen_id;
    let rows: Vec<(String, u8)> = st
        .db
        .call(move |c| -> rusqlite::Result<Vec<(String, u8)>> {
            let mut q = c.prepare(
                "SELECT body, status FROM dossiers WHERE owner_citizen_id = ?1 ORDER BY id DESC",
            )?;
            let rows = q.query_map([me], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        })
        .await?;
    let mut out = Vec::new();
    for (body, status) in rows {
        let r: Receipt = serde_json::from_str(&body)?;
        out.push(DossierSummary {
            code: r.code,
            token: r.token,
            procedure_name: r.procedure_name,
            status,
            received_at: r.received_at,
            due_date: r.due_date,
        });
    }
    Ok(Json(out))
}

/// Used by tests and the officer tools: how many dossiers exist.
pub fn count(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("SELECT COUNT(*) FROM dossiers", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn file_names_lose_folders_and_controls() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(
            clean_name("C:\\Users\\lan\\giay khai sinh.jpg"),
            "giay khai sinh.jpg"
        );
        assert_eq!(clean_name("a\u{202E}gpj.exe"), "agpj.exe");
        assert_eq!(clean_name(".hidden"), "hidden");
        assert_eq!(clean_name(""), "tep");
        assert_eq!(clean_name(&"x".repeat(300)).chars().count(), 120);
        assert_eq!(percent_decode("gi%E1%BA%A5y.jpg"), "giấy.jpg");
    }

    #[test]
    fn masking_keeps_only_what_the_holder_of_the_qr_already_knows() {
        let a = Applicant {
            full_name: "Nguyễn Thị Lan".into(),
            citizen_id: "020090123456".into(),
            birth_date: "09/05/1990".into(),
            phone: "0912345678".into(),
            email: "lan@vi-du.vn".into(),
            address: "Thôn Pò Mỏ".into(),
        };
        let m = mask(&a);
        assert_eq!(m.full_name, "N. T. L.");
        assert_eq!(m.citizen_id, "*********456");
        assert_eq!(m.phone, "******5678");
        assert!(m.birth_date.is_empty() && m.email.is_empty() && m.address.is_empty());
    }
}

/// Why an officer's status change was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TransitionError {
    UnknownDossier,
    UnknownStatus,
    /// Status 6 needs the amount to pay.
    AmountMissing,
    NotAllowed {
        from: u8,
        to: u8,
    },
}

/// One change of status.
pub struct Move<'a> {
    pub to: u8,
    /// Public note (an officer's), or the citizen's own words.
    pub note: &'a str,
    /// At status 6: the amount to pay, in đồng (required there).
    pub amount: Option<u64>,
    pub by_citizen: bool,
}

/// Move dossier `code` to status `m.to` (an officer's action, or the
/// citizen's supplement or withdrawal), if the contract's rules allow that
/// move; the change and its note go into the history. Returns the status it
/// came from and the dossier's row id.
pub fn transition(
    conn: &mut Connection,
    code: &str,
    m: Move,
    now: i64,
) -> rusqlite::Result<std::result::Result<(u8, i64), TransitionError>> {
    let tx = conn.transaction()?;
    let moved = transition_in(&tx, code, m, now)?;
    if moved.is_ok() {
        tx.commit()?;
    }
    Ok(moved)
}

/// As `transition`, inside the caller's transaction.
pub fn transition_in(
    tx: &rusqlite::Transaction,
    code: &str,
    m: Move,
    now: i64,
) -> rusqlite::Result<std::result::Result<(u8, i64), TransitionError>> {
    use contract::status::DossierStatus;
    let Some(next) = DossierStatus::from_number(m.to) else {
        return Ok(Err(TransitionError::UnknownStatus));
    };
    if next == DossierStatus::PaymentRequested && m.amount.is_none_or(|a| a == 0) {
        return Ok(Err(TransitionError::AmountMissing));
    }
    let row: Option<(i64, u8)> = tx
        .query_row(
            "SELECT id, status FROM dossiers WHERE code = ?1",
            [code],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, from)) = row else {
        return Ok(Err(TransitionError::UnknownDossier));
    };
    let allowed = DossierStatus::from_number(from).is_some_and(|f| f.can_move_to(next));
    if !allowed {
        return Ok(Err(TransitionError::NotAllowed { from, to: m.to }));
    }
    tx.execute(
        "UPDATE dossiers SET status = ?1 WHERE id = ?2",
        params![m.to, id],
    )?;
    let amount = if next == DossierStatus::PaymentRequested {
        m.amount.map(|a| a as i64)
    } else {
        None
    };
    tx.execute(
        "INSERT INTO dossier_history(dossier_id, status, at, note, amount, by_citizen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, m.to, now, m.note.trim(), amount, m.by_citizen],
    )?;
    Ok(Ok((from, id)))
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct TransitionRequest {
    /// The new status, 1–10 as the national portal numbers them.
    pub to: u8,
    /// A note the citizen will see (what to bring, why it stopped…).
    #[serde(default)]
    pub note: String,
    /// Required when `to` is 6: the amount to pay, in đồng.
    #[serde(default)]
    pub amount: Option<u64>,
}

/// Officers (token in `Authorization: Bearer …`, set with `--officer-token`)
/// move a dossier to its next status; the rules are the contract's.
#[utoipa::path(post, path = "/api/v1/officer/dossiers/{code}/transitions", tag = "officer",
    params(("code" = String, Path)), request_body = TransitionRequest,
    responses((status = 204), (status = 401, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn officer_transition(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(req): Json<TransitionRequest>,
) -> Result<StatusCode> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let expected = st.officer_token.as_deref().unwrap_or("");
    let ok = crate::tracking::same_secret(given, expected);
    if !ok {
        return Err(fail(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Cần mã truy cập của cán bộ / An officer token is required",
        ));
    }
    let now = st.now() as i64;
    let note = req.note.chars().take(2000).collect::<String>();
    let moved = st
        .db
        .call(move |c| {
            let m = Move {
                to: req.to,
                note: &note,
                amount: req.amount,
                by_citizen: false,
            };
            transition(c, &code, m, now)
        })
        .await?;
    match moved {
        Ok(_) => Ok(StatusCode::NO_CONTENT),
        Err(TransitionError::UnknownDossier) => Err(not_found()),
        Err(TransitionError::AmountMissing) => Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Cần số tiền phải nộp (amount, đồng) / The amount to pay (amount, in đồng) is required",
        )),
        Err(TransitionError::UnknownStatus) => Err(fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
            "Trạng thái từ 1 đến 10 / Status is 1 to 10",
        )),
        Err(TransitionError::NotAllowed { from, to }) => Err(fail(
            StatusCode::CONFLICT,
            "transition",
            &format!("Không chuyển được từ trạng thái {from} sang {to} / Status {from} cannot move to {to}"),
        )),
    }
}
