//! Public statistics.

use contract::stats::Stats;

use super::FetchError;

/// `from`/`to`: `YYYY-MM`; `unit`: a unit's code or empty for all.
pub async fn stats(base: &str, from: &str, to: &str, unit: &str) -> Result<Stats, FetchError> {
    let unit = crate::router::percent_encode(unit);
    super::get_json(base, &format!("/stats?from={from}&to={to}&unit={unit}")).await
}
