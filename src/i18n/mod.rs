//! Every string of the interface, one catalog per language.
//!
//! A catalog is a `Texts` value: adding a field makes the compiler demand it
//! in every language, so no string is ever missing or left untranslated.

mod en;
pub mod shell;
mod vi;

use contract::catalog::{Channel, Level, OnlineLevel};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Vi => &vi::TEXTS,
            Lang::En => &en::TEXTS,
        }
    }
}

pub struct Texts {
    pub lang: Lang,
    pub nav_procedures: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,

    pub detail_error: &'static str,
    pub code: &'static str,
    pub field: &'static str,
    pub level: &'static str,
    pub time: &'static str,
    pub fee: &'static str,
    pub place: &'static str,
    pub province_centre: &'static str,
    pub communes_group: &'static str,
    pub where_to_go: &'static str,
    pub your_commune: &'static str,
    pub choose_commune: &'static str,
    pub hours: &'static str,
    pub address: &'static str,
    pub desk_phone: &'static str,
    pub copy_link: &'static str,
    pub share: &'static str,
    pub link_copied: &'static str,
    pub copy_failed: &'static str,
    pub error_summary_title: &'static str,
    pub code_expired: &'static str,
    pub code_locked: &'static str,
    pub password_label: &'static str,
    pub show_password: &'static str,
    pub hide_password: &'static str,
    pub rules_title: &'static str,
    pub rule_length: &'static str,
    pub rule_lower: &'static str,
    pub rule_upper: &'static str,
    pub rule_digit: &'static str,
    pub rule_symbol: &'static str,
    pub rule_met: &'static str,
    pub rule_unmet: &'static str,
    pub session_expired: &'static str,
    pub bad_credentials: &'static str,
    pub rate_limited: &'static str,
    pub conflict: &'static str,
    pub try_again: &'static str,
    pub online: &'static str,
    pub online_full: &'static str,
    pub online_partial: &'static str,
    pub online_none: &'static str,
    pub documents: &'static str,
    pub doc_name: &'static str,
    pub originals: &'static str,
    pub copies: &'static str,
    pub form: &'static str,
    pub if_applicable: &'static str,
    pub agency: &'static str,
    pub result: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub error_title: &'static str,
    pub error_body: &'static str,
    pub reload: &'static str,
    pub network_error: &'static str,
    pub offline_notice: &'static str,
}

impl Texts {
    /// The strings only the shell draws (see `shell.rs`).
    pub fn shell(&self) -> &'static shell::ShellTexts {
        shell::texts(self.lang)
    }

    pub fn case(&self, c: contract::catalog::Case) -> &'static str {
        match self.lang {
            Lang::Vi => c.vi(),
            Lang::En => c.en(),
        }
    }
    pub fn level(&self, l: Level) -> &'static str {
        match self.lang {
            Lang::Vi => l.vi(),
            Lang::En => l.en(),
        }
    }
    pub fn channel(&self, c: Channel) -> &'static str {
        match self.lang {
            Lang::Vi => c.vi(),
            Lang::En => c.en(),
        }
    }
    pub fn online_level(&self, o: OnlineLevel) -> &'static str {
        match o {
            OnlineLevel::Full => self.online_full,
            OnlineLevel::Partial => self.online_partial,
            OnlineLevel::None => self.online_none,
        }
    }
    /// Format a count the Vietnamese way (`1.234`) or the English way (`1,234`).
    pub fn number(&self, n: usize) -> String {
        let sep = match self.lang {
            Lang::Vi => '.',
            Lang::En => ',',
        };
        contract::text::grouped(n as u64, sep)
    }
    pub fn count(&self, template: &str, n: usize) -> String {
        template.replace("{n}", &self.number(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(Lang::Vi.texts().number(2642), "2.642");
        assert_eq!(Lang::En.texts().number(1234567), "1,234,567");
        assert_eq!(Lang::Vi.texts().number(61), "61");
        assert_eq!(Lang::Vi.texts().count("{n} thủ tục", 1601), "1.601 thủ tục");
    }

    #[test]
    fn catalogs_are_distinct_and_complete() {
        let (vi, en) = (Lang::Vi.texts(), Lang::En.texts());
        assert_eq!(vi.lang, Lang::Vi);
        assert_eq!(en.lang, Lang::En);
        assert_ne!(vi.shell().home_title, en.shell().home_title);
        assert!(
            vi.shell().results_count.contains("{n}") && en.shell().results_count.contains("{n}")
        );
        assert_eq!(Lang::from_code(Lang::En.code()), Some(Lang::En));
    }
}
