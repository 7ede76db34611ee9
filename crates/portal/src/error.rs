//! API errors as HTTP responses in the contract's one shape.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use contract::error::ApiError;

#[derive(Debug)]
pub struct Error {
    pub status: StatusCode,
    pub body: ApiError,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn not_found() -> Self {
        Error {
            status: StatusCode::NOT_FOUND,
            body: ApiError::new("not_found", "Không tìm thấy / Not found"),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        Error {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            body: ApiError::new(
                "internal",
                "Hệ thống đang gặp sự cố, vui lòng thử lại sau / Something went wrong, please try again later",
            ),
        }
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
        (self.status, Json(self.body)).into_response()
    }
}
