//! Catalog endpoints.

use contract::catalog::{Procedure, ProcedureSummary};

use super::{get_json, FetchError};

/// All procedure summaries. The portal sends an ETag with `no-cache`, so the
/// browser revalidates its copy and a repeat load costs a 304.
pub async fn procedures(base: &str) -> Result<Vec<ProcedureSummary>, FetchError> {
    get_json(base, "/procedures").await
}

pub async fn procedure(base: &str, code: &str) -> Result<Procedure, FetchError> {
    if !contract::catalog::is_procedure_code(code) {
        return Err(FetchError::Api {
            status: 404,
            error: contract::error::ApiError::new("not_found", "not found"),
        });
    }
    get_json(base, &format!("/procedures/{code}")).await
}
