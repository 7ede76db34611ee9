//! API errors as HTTP responses in the contract's one shape, and the one
//! place their wording lives: every handler fails through these.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::error::ApiError;
use contract::validate::Problem;

#[derive(Debug)]
pub struct Error {
    pub status: StatusCode,
    pub body: ApiError,
}

pub type Result<T> = std::result::Result<T, Error>;

/// A bilingual message for one field.
pub fn problem(vi: &str, en: &str) -> Problem {
    Problem { vi: vi.into(), en: en.into() }
}

impl Error {
    /// Any status with a code and a "vi / en" message.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Error { status, body: ApiError::new(code, message) }
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Không tìm thấy / Not found")
    }

    /// A file refused: `message` ("tiếng Việt / English") is also said
    /// beside the file (`fields.file`, `fields_en.file`), so the app shows
    /// the cause in the reader's language without parsing it.
    pub fn file(status: StatusCode, code: &str, message: &str) -> Self {
        let mut e = Self::new(status, code, message);
        let (vi, en) = message.split_once(" / ").unwrap_or((message, message));
        e.body.error.fields.insert("file".into(), vi.into());
        e.body.error.fields_en.insert("file".into(), en.into());
        e
    }

    /// 422 with a message beside each field.
    pub fn invalid<F: AsRef<str>>(fields: impl IntoIterator<Item = (F, Problem)>) -> Self {
        let mut body = ApiError::new(
            "validation",
            "Thông tin chưa hợp lệ; xem hướng dẫn ở từng ô / Some details need fixing; see each field",
        );
        for (f, p) in fields {
            body = body.with_problem(f.as_ref(), p);
        }
        Error { status: StatusCode::UNPROCESSABLE_ENTITY, body }
    }

    /// 422 for one field.
    pub fn field(field: &str, vi: &str, en: &str) -> Self {
        Self::invalid([(field, problem(vi, en))])
    }

    /// 429 with the seconds to wait.
    pub fn too_many(wait: u64) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Bạn đã thử quá nhiều lần; hãy thử lại sau {wait} giây / Too many attempts; try again in {wait} seconds"),
        )
        .retry_after(wait)
    }

    /// 503: the portal is busy with this kind of work just now (password
    /// checks, PDF checks); the client tries again after `wait` seconds.
    pub fn busy(wait: u64) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            format!("Hệ thống đang bận; hãy thử lại sau {wait} giây, thông tin bạn nhập vẫn còn / The portal is busy; try again in {wait} seconds, what you typed is kept"),
        )
        .retry_after(wait)
    }

    /// The same error, saying when to try again.
    fn retry_after(mut self, wait: u64) -> Self {
        self.body.error.retry_after = Some(wait);
        self
    }

    /// 401: nobody is signed in.
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Bạn cần đăng nhập / Please sign in")
    }

    /// 401: a session cookie came, but its session is over.
    pub fn session_expired() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "session_expired",
            "Phiên đăng nhập đã hết hạn; hãy đăng nhập lại / Your session has expired; please sign in again",
        )
    }

    /// 409: the dossier is not in a status that allows this.
    pub fn wrong_status(vi: &str, en: &str) -> Self {
        Self::new(StatusCode::CONFLICT, "status", format!("{vi} / {en}"))
    }

    /// 409: another record holds this already.
    pub fn conflict(vi: &str, en: &str) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", format!("{vi} / {en}"))
    }

    /// 503: the province's back office (src/backend/) did not answer; the
    /// citizen tries again later, nothing typed is lost.
    pub fn back_office_away() -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "back_office_away",
            "Hệ thống của Bộ phận Một cửa đang không trả lời; hãy thử lại sau ít phút, thông tin bạn nhập vẫn còn / The one-stop desk's system is not answering; try again in a few minutes, what you typed is kept",
        );
        e.body.error.retry_after = Some(120);
        e
    }

    /// 503: no way to send a text message.
    pub fn sms_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "sms_unavailable",
            "Chưa gửi được tin nhắn: cổng SMS chưa được cấu hình; hãy liên hệ Bộ phận Một cửa / The text message could not be sent: no SMS gateway is configured",
        )
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Hệ thống đang gặp sự cố, vui lòng thử lại sau / Something went wrong, please try again later",
        )
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::internal(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::internal(e)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let wait = self.body.error.retry_after;
        let mut res = (self.status, Json(self.body)).into_response();
        if let Some(wait) = wait {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, wait.into());
        }
        res
    }
}
