//! Files: checked by their first bytes (JPEG, PNG or PDF only), 10 MB
//! each, stored once under `<data>/files/<sha256>` (written to a temporary
//! name, then renamed: never half a file). Only the owner can read them.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::dossier::FileInfo;
use contract::error::ApiError;

use crate::error::{problem, Error, Result};
use crate::http::extract::Asked;
use crate::http::extract::SignedIn;
use crate::{filecheck, secrets, store, AppState};

use utoipa_axum::router::OpenApiRouter;

/// Uploads are streamed to disk by their handler, under their own cap.
pub fn routes() -> OpenApiRouter<AppState> {
    paths!(download; upload)
}

/// Largest file accepted (bytes).
pub const MAX_FILE: usize = 10 * 1024 * 1024;

/// What one account may keep on the portal not yet in a dossier (its
/// working space: submitting frees it). Files in dossiers are the
/// province's records: a volunteer filing for a queue of residents must not
/// run out, so they count only towards the daily limit below.
pub const QUOTA_BYTES: i64 = 200 * 1024 * 1024;
pub const QUOTA_FILES: i64 = 300;
/// What one account may upload in 24 hours, submitted or not: a bound on
/// how fast one account can fill the disk, far above a day of filing (a
/// volunteer's 30 residents of 6 photos are 180 files, about 50 MB).
pub const DAY_BYTES: i64 = 1024 * 1024 * 1024;
pub const DAY_FILES: i64 = 1000;

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

/// How much of an upload's start is kept in memory for the checks that
/// read a header (type, picture dimensions).
const HEAD: usize = 256 * 1024;

/// An upload received into a temporary file beside the stored ones; the
/// file is removed when this is dropped unless it was kept.
struct Received {
    tmp: std::path::PathBuf,
    size: usize,
    sha: String,
    head: Vec<u8>,
}

impl Drop for Received {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

fn too_large() -> Error {
    Error::file(
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
        "Tệp lớn hơn 10 MB / The file is larger than 10 MB",
    )
}

fn not_stored(e: impl std::fmt::Display) -> Error {
    tracing::error!(error = %e, "storing an upload");
    Error::new(
        StatusCode::INSUFFICIENT_STORAGE,
        "storage",
        "Chưa lưu được tệp; hãy thử lại sau / The file could not be stored; try again later",
    )
}

/// Stream the body to disk, hashing it on the way: never more than one
/// chunk of it in memory (plus its first [`HEAD`] bytes), and stopped as
/// soon as it passes [`MAX_FILE`].
async fn receive(st: &AppState, mut body: axum::body::Body) -> Result<Received> {
    use axum::body::HttpBody;
    use sha2::Digest;
    use tokio::io::AsyncWriteExt;
    tokio::fs::create_dir_all(st.files_dir.as_path()).await.map_err(not_stored)?;
    let tmp = st.files_dir.join(format!(".{}.part", secrets::random_hex::<8>()));
    let mut file = tokio::fs::File::create(&tmp).await.map_err(not_stored)?;
    let mut got = Received { tmp, size: 0, sha: String::new(), head: Vec::new() };
    let mut hasher = sha2::Sha256::new();
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let frame = frame.map_err(|_| {
            Error::new(
                StatusCode::BAD_REQUEST,
                "upload_interrupted",
                "Tệp chưa gửi hết; hãy thử lại / The file did not arrive whole; try again",
            )
        })?;
        let Ok(data) = frame.into_data() else { continue };
        got.size += data.len();
        if got.size > MAX_FILE {
            return Err(too_large());
        }
        hasher.update(&data);
        if got.head.len() < HEAD {
            let take = (HEAD - got.head.len()).min(data.len());
            got.head.extend_from_slice(&data[..take]);
        }
        file.write_all(&data).await.map_err(not_stored)?;
    }
    file.sync_all().await.map_err(not_stored)?;
    got.sha = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(got)
}

/// PDFs parsed at a time (each may take tens of MB while it is read).
static PDF_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);
/// The longest an upload waits for a turn to have its PDF checked.
const PDF_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Who waits for a PDF check: one account's checks run one at a time, so
/// one account cannot hold every turn while others wait.
type Turns = std::collections::HashMap<i64, std::sync::Arc<tokio::sync::Mutex<()>>>;
static TURNS: std::sync::LazyLock<std::sync::Mutex<Turns>> =
    std::sync::LazyLock::new(Default::default);

/// Run `check` in `who`'s turn and one of the shared turns.
async fn in_turn<T>(who: i64, check: impl std::future::Future<Output = T>) -> Result<T> {
    let mine = TURNS.lock().unwrap_or_else(|p| p.into_inner()).entry(who).or_default().clone();
    let answer = async {
        let _own = mine.lock().await;
        let _shared = PDF_CHECKS.acquire().await.map_err(Error::internal)?;
        Ok(check.await)
    };
    let done = tokio::time::timeout(PDF_WAIT, answer).await;
    {
        let mut turns = TURNS.lock().unwrap_or_else(|p| p.into_inner());
        // Nobody else holds this account's turn: forget it.
        if std::sync::Arc::strong_count(&mine) == 2 {
            turns.remove(&who);
        }
    }
    done.unwrap_or_else(|_| Err(Error::busy(10)))
}

/// The length a request declares, if any.
fn declared(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok())
}

/// A percent-encoded header (`x-file-name`, `x-signer`) as clean text;
/// `None` when it is absent or blank.
pub fn text_header(headers: &HeaderMap, name: &str) -> Option<String> {
    let raw = percent_decode(headers.get(name)?.to_str().ok()?);
    (!raw.trim().is_empty()).then(|| clean_name(&raw))
}

/// A file received and checked by its content: JPEG or PNG within the
/// picture limits, or a PDF a parser reads without scripts. Its checked type.
pub struct Checked {
    got: Received,
    pub mime: &'static str,
}

impl Checked {
    pub fn size(&self) -> u64 {
        self.got.size as u64
    }

    pub fn sha256(&self) -> &str {
        &self.got.sha
    }

    /// Keep it under `<files>/<sha256>` (once: the same content is one file).
    pub async fn keep(&self, st: &AppState) -> Result<()> {
        let path = st.files_dir.join(&self.got.sha);
        if !path.exists() {
            tokio::fs::rename(&self.got.tmp, &path).await.map_err(not_stored)?;
        }
        Ok(())
    }
}

/// Receive a file body (refused on its declared length first) and check
/// it; `who` is the account sending it (its PDF checks wait their turn).
pub async fn receive_checked(
    st: &AppState,
    who: i64,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Checked> {
    if declared(headers).is_some_and(|n| n > MAX_FILE as u64) {
        return Err(too_large());
    }
    let got = receive(st, body).await?;
    if got.size == 0 {
        return Err(Error::invalid([(
            "file",
            problem(
                "Tệp trống; hãy chụp hoặc chọn lại",
                "The file is empty; take or choose it again",
            ),
        )]));
    }
    let Some(mime) = filecheck::sniff(&got.head) else {
        return Err(Error::file(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type",
            "Chỉ nhận ảnh JPEG, PNG hoặc tệp PDF / Only JPEG or PNG photos or PDF files are accepted",
        ));
    };
    let verdict = if mime == "application/pdf" {
        let (parser, path) = (st.pdf_parser.clone(), got.tmp.clone());
        in_turn(who, async move { filecheck::check_pdf(&parser, &path).await }).await?
    } else {
        // The whole picture (10 MB at most): its frame header may come
        // after megabytes of metadata.
        let data = tokio::fs::read(&got.tmp).await.map_err(not_stored)?;
        if filecheck::picture_ok(&data) {
            Ok(())
        } else {
            Err(filecheck::Refused::Picture)
        }
    };
    if let Err(why) = verdict {
        let code = if why == filecheck::Refused::Picture { "file_image" } else { "file_type" };
        return Err(Error::file(StatusCode::UNSUPPORTED_MEDIA_TYPE, code, why.message()));
    }
    Ok(Checked { got, mime })
}

/// Upload one file (the body); its name in `x-file-name` (percent-encoded).
/// The session is checked before any of the body is read, and a declared
/// length over 10 MB is refused before it is sent.
#[utoipa::path(post, path = "/api/v1/files", tag = "dossiers",
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = FileInfo), (status = 401, body = ApiError),
        (status = 413, body = ApiError), (status = 415, body = ApiError), (status = 422, body = ApiError)))]
pub async fn upload(
    State(st): State<AppState>,
    s: SignedIn,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response> {
    let account = s.account;
    let since = st.now() as i64 - 24 * 60 * 60;
    let usage = st.db.call(move |c| store::files::usage(c, account, since)).await?;
    let over = |size: i64| {
        if usage.day_files >= DAY_FILES || usage.day_bytes + size > DAY_BYTES {
            Some("Tài khoản đã tải lên quá nhiều tệp trong 24 giờ qua (1.000 tệp, 1 GB). Hãy thử lại sau, hoặc liên hệ bộ phận một cửa / This account has uploaded too many files in the last 24 hours (1,000 files, 1 GB). Try again later, or contact the desk")
        } else if usage.pending_files >= QUOTA_FILES || usage.pending_bytes + size > QUOTA_BYTES {
            Some("Tài khoản đã dùng hết chỗ lưu tệp chưa nộp (200 MB, 300 tệp). Hãy nộp hồ sơ đang soạn, hoặc liên hệ bộ phận một cửa / This account has used all its space for files not yet submitted (200 MB, 300 files). Submit the dossiers you are preparing, or contact the desk")
        } else {
            None
        }
    };
    let quota = |message: &str| Error::new(StatusCode::PAYLOAD_TOO_LARGE, "quota", message);
    if let Some(m) = over(declared(&headers).unwrap_or(0) as i64) {
        return Err(quota(m));
    }
    let file = receive_checked(&st, s.account, &headers, body).await?;
    if let Some(m) = over(file.size() as i64) {
        return Err(quota(m));
    }
    file.keep(&st).await?;
    let info = FileInfo {
        id: secrets::random_hex::<16>(),
        name: text_header(&headers, "x-file-name").unwrap_or_else(|| clean_name("")),
        size: file.size(),
        sha256: file.sha256().to_string(),
        mime: file.mime.to_string(),
    };
    let (row, now) = (info.clone(), st.now() as i64);
    st.db.call(move |c| store::files::insert(c, s.account, &row, now)).await?;
    Ok((StatusCode::CREATED, Json(info)).into_response())
}

/// One of the citizen's own files, as a download of its checked type.
#[utoipa::path(get, path = "/api/v1/files/{id}", tag = "dossiers", params(("id" = String, Path)),
    responses((status = 200), (status = 404, body = ApiError)))]
pub async fn download(Asked { st, me: s, name: id }: Asked) -> Result<Response> {
    let row = st.db.call(move |c| store::files::own(c, s.account, &id)).await?;
    let (sha, mime, name) = row.ok_or_else(Error::not_found)?;
    let data = tokio::fs::read(st.files_dir.join(&sha)).await.map_err(|_| Error::not_found())?;
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
            // Personal: never kept by the browser, so nothing of one person
            // can be read from the cache of a shared device after them.
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        data,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_folders_and_controls() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\lan\\giay khai sinh.jpg"), "giay khai sinh.jpg");
        assert_eq!(clean_name("a\u{202E}gpj.exe"), "agpj.exe");
        assert_eq!(clean_name(".hidden"), "hidden");
        assert_eq!(clean_name(""), "tep");
        assert_eq!(clean_name(&"x".repeat(300)).chars().count(), 120);
        assert_eq!(percent_decode("gi%E1%BA%A5y.jpg"), "giấy.jpg");
    }
}
