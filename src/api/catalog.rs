//! Catalog endpoints. Each successful answer is kept on the device; when the
//! network fails, the kept copy is used and the answer says so.

use contract::catalog::{Procedure, ProcedureSummary, Unit};

use super::{decode, get_text, FetchError};
use crate::offline;

/// Data, and whether it came from the device's copy because the network failed.
pub struct Fetched<T> {
    pub data: T,
    pub offline: bool,
}

/// All procedure summaries. The portal sends an ETag with `no-cache`, so the
/// browser revalidates its copy and a repeat load costs a 304.
pub async fn procedures(base: &str) -> Result<Fetched<Vec<ProcedureSummary>>, FetchError> {
    let key = crate::storage::CATALOG;
    kept(base, "/procedures", |text| offline::save(key, text), || offline::load(key)).await
}

/// `path` fetched and `save`d on the device, or when the network fails, what
/// `load` finds there.
async fn kept<T: serde::de::DeserializeOwned>(
    base: &str,
    path: &str,
    save: impl FnOnce(&str),
    load: impl FnOnce() -> Option<String>,
) -> Result<Fetched<T>, FetchError> {
    match get_text(base, path).await {
        Ok(text) => {
            let data = decode(&text)?;
            save(&text);
            Ok(Fetched { data, offline: false })
        }
        Err(FetchError::Network) => match load() {
            Some(text) => Ok(Fetched { data: decode(&text)?, offline: true }),
            None => Err(FetchError::Network),
        },
        Err(e) => Err(e),
    }
}

pub async fn procedure(base: &str, code: &str) -> Result<Fetched<Procedure>, FetchError> {
    if !contract::catalog::is_procedure_code(code) {
        return Err(FetchError::Api {
            status: 404,
            error: contract::error::ApiError::new("not_found", "not found"),
        });
    }
    let path = format!("/procedures/{code}");
    kept(base, &path, |text| offline::save_procedure(code, text), || offline::load_procedure(code))
        .await
}

/// The province's centre and every commune and ward desk, with address and hours.
pub async fn units(base: &str) -> Result<Fetched<Vec<Unit>>, FetchError> {
    let key = crate::storage::UNITS;
    kept(base, "/units", |text| offline::save(key, text), || offline::load(key)).await
}
