//! Deployment settings read from `/config.json` at start, so one build
//! serves any province.

use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Config {
    /// Base URL of the API, e.g. `/api/v1` or `https://dichvucong.example/api/v1`.
    pub api_base: String,
    /// Province name shown in the header, e.g. "Lạng Sơn".
    pub province: String,
    /// Hotline for help, shown in the footer.
    #[serde(default)]
    pub hotline: String,
    /// Turn kiosk mode on for this deployment.
    #[serde(default)]
    pub kiosk: bool,
    /// Kiosk: seconds without a touch before the session ends (default 120).
    #[serde(default)]
    pub kiosk_idle_seconds: Option<u32>,
    /// Kiosk: how long the warning counts down first (at least 20 s; default 30).
    #[serde(default)]
    pub kiosk_warning_seconds: Option<u32>,
    /// Kiosk for looking up only: no signing in and no filing on this
    /// public screen (find procedures, track, scan a receipt).
    #[serde(default)]
    pub kiosk_lookup_only: bool,
    /// Kiosk: the unit code of the desk it stands at, preselected where a
    /// desk is chosen (one kiosk per deployment; several kiosks open
    /// `/kiosk?don-vi=<code>` instead).
    #[serde(default)]
    pub kiosk_unit: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base: contract::API_PREFIX.to_string(),
            province: "Lạng Sơn".to_string(),
            hotline: String::new(),
            kiosk: false,
            kiosk_idle_seconds: None,
            kiosk_warning_seconds: None,
            kiosk_lookup_only: false,
            kiosk_unit: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shipped_config() {
        let c: Config = serde_json::from_str(include_str!("../public/config.json")).unwrap();
        assert_eq!(c.api_base, "/api/v1");
        assert!(!c.province.is_empty());
    }
}
