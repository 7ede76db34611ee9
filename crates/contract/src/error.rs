//! The one error shape of the API:
//! `{"error": {"code": "validation", "message": "…", "fields": {"phone": "…"}}}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ErrorBody {
    /// Machine-readable: `not_found`, `validation`, `unauthorized`, `conflict`, `rate_limited`, `internal`.
    pub code: String,
    /// Human-readable, Vietnamese first.
    pub message: String,
    /// Per-field messages, keyed by the request field's name (Vietnamese).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// The same per-field messages in English.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields_en: BTreeMap<String, String>,
    /// With `rate_limited`: seconds to wait before trying again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            error: ErrorBody {
                code: code.to_string(),
                message: message.into(),
                fields: BTreeMap::new(),
                fields_en: BTreeMap::new(),
                retry_after: None,
            },
        }
    }

    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.error.fields.insert(field.to_string(), message.into());
        self
    }

    /// A field's problem in both languages.
    pub fn with_problem(mut self, field: &str, p: crate::validate::Problem) -> Self {
        self.error.fields.insert(field.to_string(), p.vi);
        self.error.fields_en.insert(field.to_string(), p.en);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_is_stable() {
        let e = ApiError::new("validation", "Dữ liệu chưa hợp lệ").with_field("phone", "Sai số");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["error"]["code"], "validation");
        assert_eq!(json["error"]["fields"]["phone"], "Sai số");
        let plain = serde_json::to_value(ApiError::new("not_found", "x")).unwrap();
        assert!(plain["error"].get("fields").is_none());
    }
}
