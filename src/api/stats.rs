//! Public statistics.

use contract::stats::Stats;

use super::FetchError;

/// `from`/`to`: `YYYY-MM`; `unit`: a unit's code or empty for all.
pub async fn stats(base: &str, from: &str, to: &str, unit: &str) -> Result<Stats, FetchError> {
    let unit = String::from(js_sys::encode_uri_component(unit));
    super::get_json(base, &format!("/stats?from={from}&to={to}&unit={unit}")).await
}
