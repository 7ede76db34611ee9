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

/// Procedure summaries: all of them (`/procedures`, kept as `CATALOG`; the
/// portal sends an ETag with `no-cache`, so a repeat load costs a 304) or
/// the home page's most used (`/procedures/popular`, kept as `POPULAR`),
/// with the JSON they came in (search indexes it).
pub async fn summaries(
    base: &str,
    path: &str,
    key: &str,
) -> Result<Fetched<(Vec<ProcedureSummary>, String)>, FetchError> {
    match get_text(base, path).await {
        Ok(text) => {
            let data = decode(&text)?;
            offline::save(key, &text);
            Ok(Fetched { data: (data, text), offline: false })
        }
        Err(FetchError::Network) => match offline::load(key) {
            Some(text) => Ok(Fetched { data: (decode(&text)?, text), offline: true }),
            None => Err(FetchError::Network),
        },
        Err(e) => Err(e),
    }
}

/// Search's data, kept on the device as the list is: the dictionary
/// (`/search/synonyms`, `said = meant` lines) or what each procedure is
/// about (`/search/about`, `code<TAB>words` lines).
pub async fn search_text(base: &str, path: &str, key: &str) -> String {
    match get_text(base, path).await {
        Ok(text) => {
            offline::save(key, &text);
            text
        }
        Err(_) => offline::load(key).unwrap_or_default(),
    }
}

pub async fn procedure(base: &str, code: &str) -> Result<Fetched<Procedure>, FetchError> {
    if !contract::catalog::is_procedure_code(code) {
        return Err(FetchError::Api {
            status: 404,
            error: contract::error::ApiError::new("not_found", "not found"),
        });
    }
    match get_text(base, &format!("/procedures/{code}")).await {
        Ok(text) => {
            let data = decode(&text)?;
            offline::save_procedure(code, &text);
            Ok(Fetched { data, offline: false })
        }
        Err(FetchError::Network) => match offline::load_procedure(code) {
            Some(text) => Ok(Fetched { data: decode(&text)?, offline: true }),
            None => Err(FetchError::Network),
        },
        Err(e) => Err(e),
    }
}

/// The province's centre and every commune and ward desk, with address and hours.
pub async fn units(base: &str) -> Result<Fetched<Vec<Unit>>, FetchError> {
    match get_text(base, "/units").await {
        Ok(text) => {
            let data = decode(&text)?;
            offline::save(crate::storage::UNITS, &text);
            Ok(Fetched { data, offline: false })
        }
        Err(FetchError::Network) => match offline::load(crate::storage::UNITS) {
            Some(text) => Ok(Fetched { data: decode(&text)?, offline: true }),
            None => Err(FetchError::Network),
        },
        Err(e) => Err(e),
    }
}
