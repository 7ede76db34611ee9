//! An OpenCPS site as the driver (`opencps.rs`) is configured for it: its
//! address and account, our procedures in its terms, and its status table
//! (OpenCPS words to the national 1–10, kept as data).

use std::collections::HashMap;

/// How to reach a site (`--opencps-*`; the account from the environment).
#[derive(Clone, Debug)]
pub struct Config {
    /// The REST API's base, e.g. `https://dvc.example.gov.vn/o/rest/v2`.
    pub url: String,
    /// The site's `groupId`.
    pub group_id: String,
    pub username: String,
    pub password: String,
    /// Our procedure code → (their `serviceCode`, `dossierTemplateNo`);
    /// a procedure not listed keeps its national code for both.
    pub services: HashMap<String, (String, String)>,
    pub statuses: StatusMap,
}

impl Config {
    /// The account from `PORTAL_OPENCPS_USERNAME` and
    /// `PORTAL_OPENCPS_PASSWORD`: both, or an error naming those missing.
    pub fn from_env(url: &str, group_id: &str) -> anyhow::Result<Config> {
        let names = ["PORTAL_OPENCPS_USERNAME", "PORTAL_OPENCPS_PASSWORD"];
        let [username, password] = names.map(|k| std::env::var(k).unwrap_or_default());
        let missing: Vec<&str> = names
            .iter()
            .zip([&username, &password])
            .filter(|(_, v)| v.is_empty())
            .map(|(k, _)| *k)
            .collect();
        if !missing.is_empty() {
            anyhow::bail!(
                "--backend opencps needs the site's account in the environment; missing: {}",
                missing.join(", ")
            );
        }
        if group_id.trim().is_empty() {
            anyhow::bail!("--backend opencps needs --opencps-group-id (the site's groupId)");
        }
        Ok(Config {
            url: url.trim_end_matches('/').to_string(),
            group_id: group_id.trim().to_string(),
            username,
            password,
            services: HashMap::new(),
            statuses: StatusMap::default(),
        })
    }
}

impl Config {
    /// The account `opencps-standin` starts with (for trying the check
    /// against it; never used when serving).
    pub fn standin(url: &str) -> Config {
        Config {
            url: url.trim_end_matches('/').to_string(),
            group_id: "35417".into(),
            username: "motcua".into(),
            password: "mat-khau-opencps".into(),
            services: HashMap::new(),
            statuses: StatusMap::default(),
        }
    }
}

/// Our procedure codes in their terms: `procedure<TAB>serviceCode<TAB>dossierTemplateNo`
/// per line, `#` comments.
pub fn parse_services(text: &str) -> anyhow::Result<HashMap<String, (String, String)>> {
    let mut map = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        let [ours, service, template] = cols[..] else {
            anyhow::bail!("line {}: expected procedure, serviceCode, dossierTemplateNo", n + 1);
        };
        map.insert(ours.to_string(), (service.to_string(), template.to_string()));
    }
    Ok(map)
}

/// OpenCPS status words to national status codes.
#[derive(Clone, Debug)]
pub struct StatusMap {
    /// (status, sub-status or `*`) → code.
    rows: HashMap<(String, String), u8>,
}

const DEFAULT_STATUSES: &str = include_str!("../../data/opencps-status.tsv");

impl Default for StatusMap {
    fn default() -> Self {
        StatusMap::parse(DEFAULT_STATUSES).expect("the shipped status table parses")
    }
}

impl StatusMap {
    /// `status<TAB>sub-status or *<TAB>code` per line, `#` comments.
    pub fn parse(text: &str) -> anyhow::Result<StatusMap> {
        let mut rows = HashMap::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [status, sub, code] = cols[..] else {
                anyhow::bail!("line {}: expected status, sub-status, national code", n + 1);
            };
            let code: u8 = code
                .parse()
                .ok()
                .filter(|c| (1..=10).contains(c))
                .ok_or_else(|| anyhow::anyhow!("line {}: national code must be 1-10", n + 1))?;
            rows.insert((status.to_string(), sub.to_string()), code);
        }
        Ok(StatusMap { rows })
    }

    /// The national code of (status, sub-status): the sub-status's row,
    /// else the status's `*` row; none when the table does not say.
    pub fn national(&self, status: &str, sub: &str) -> Option<u8> {
        let key = |s: &str| (status.to_string(), s.to_string());
        (!sub.is_empty())
            .then(|| self.rows.get(&key(sub)))
            .flatten()
            .or_else(|| self.rows.get(&key("*")))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_table_maps_every_published_status_word() {
        let m = StatusMap::default();
        for w in [
            "new",
            "receiving",
            "interoperating",
            "processing",
            "waiting",
            "correcting",
            "pausing",
            "cancelling",
            "cancelled",
            "denied",
            "unresolved",
            "releasing",
            "posting",
            "done",
        ] {
            assert!(m.national(w, "").is_some(), "{w}");
        }
        assert_eq!(m.national("done", "x"), Some(10));
        assert_eq!(m.national("paying", ""), Some(6));
        assert_eq!(m.national("unheard-of", ""), None);
    }

    #[test]
    fn a_sub_status_row_wins_over_its_status() {
        let m = StatusMap::parse("processing\t*\t4\nprocessing\tprocessing_paying\t6\n").unwrap();
        assert_eq!(m.national("processing", "processing_paying"), Some(6));
        assert_eq!(m.national("processing", "other"), Some(4));
        assert!(StatusMap::parse("done\t*\t11").is_err());
        assert!(StatusMap::parse("done 10").is_err());
    }
}
