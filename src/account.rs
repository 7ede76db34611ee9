//! The account journeys' pure logic (native unit tests): what a citizen has
//! typed so far, the order of the registration pages, the checks of each
//! page (the contract's, so the portal gives the same messages), and where
//! sign-in may send the citizen back to.

use contract::validate::{self, Date, Problem};
use serde::{Deserialize, Serialize};

/// What has been typed in a registration or password reset. Kept in the
/// tab's `sessionStorage` (gone when the tab closes, which matters on shared
/// kiosks) so reload and Back lose nothing; cleared when the journey ends.
/// Passwords and codes are never kept.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub citizen_id: String,
    pub full_name: String,
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    /// Password reset: the citizen ID or phone typed.
    pub identifier: String,
    /// The code exchange, once a code was sent.
    pub challenge: String,
    pub phone_hint: String,
    /// When another code may be asked for (ms since 1970).
    pub resend_at: f64,
    pub verified: bool,
    /// Where the citizen was going when asked to sign in (`?tiep=` of the
    /// sign-in page, already checked by `router::safe_next`); empty: the welcome page.
    pub next: String,
}

impl Draft {
    /// A code was sent at `now` (ms): keep its exchange, and start again
    /// from the code page.
    pub fn code_sent(&mut self, sent: contract::account::CodeSent, now: f64) {
        self.challenge = sent.challenge;
        self.phone_hint = sent.phone_hint;
        self.resend_at = now + sent.resend_in as f64 * 1000.0;
        self.verified = false;
    }
}

steps! {
    /// The pages of registration, in order.
    pub enum Step {
        CitizenId => "cccd",
        Name => "ho-ten",
        Birth => "ngay-sinh",
        Contact => "lien-he",
        Code => "ma-xac-thuc",
        Password => "mat-khau",
    }
}

/// The problems of what a registration page asks, by field id.
pub fn check(step: Step, d: &Draft, today: Date) -> Vec<(&'static str, Problem)> {
    let mut out = Vec::new();
    match step {
        Step::CitizenId => {
            if let Err(p) = validate::citizen_id(&d.citizen_id, None) {
                out.push(("citizen_id", p));
            }
        }
        Step::Name => {
            if let Err(p) = validate::full_name(&d.full_name) {
                out.push(("full_name", p));
            }
        }
        Step::Birth => match validate::account_birth_date(&d.birth_date, today) {
            Err(p) => out.push(("birth_date", p)),
            // The ID's century and year digits must agree with the date.
            Ok(b) => {
                if let Err(p) = validate::citizen_id(&d.citizen_id, Some(b)) {
                    out.push(("birth_date", p));
                }
            }
        },
        Step::Contact => {
            if let Err(p) = validate::phone(&d.phone) {
                out.push(("phone", p));
            }
            if let Err(p) = validate::email(&d.email) {
                out.push(("email", p));
            }
        }
        Step::Code | Step::Password => {}
    }
    out
}

/// The first registration page not yet done: a reload or a deep link lands
/// where the citizen really is, never past a page they skipped.
pub fn first_open_step(d: &Draft, today: Date) -> Step {
    for step in [Step::CitizenId, Step::Name, Step::Birth, Step::Contact] {
        if !check(step, d, today).is_empty() {
            return step;
        }
    }
    if d.challenge.is_empty() {
        Step::Contact
    } else if !d.verified {
        Step::Code
    } else {
        Step::Password
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 26 };

    fn lan() -> Draft {
        Draft {
            citizen_id: "020090123456".into(),
            full_name: "Nguyễn Thị Lan".into(),
            birth_date: "09/05/1990".into(),
            phone: "0912 345 678".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn steps_in_order_with_slugs() {
        assert_eq!(Step::CitizenId.next(), Some(Step::Name));
        assert_eq!(Step::Password.next(), None);
        assert_eq!(Step::CitizenId.previous(), None);
        assert_eq!(Step::Code.previous(), Some(Step::Contact));
        for s in Step::ALL {
            assert_eq!(Step::from_slug(s.slug()), Some(s));
        }
        assert_eq!(Step::Birth.number(), 3);
        assert_eq!(Step::from_slug("khac"), None);
    }

    #[test]
    fn each_page_checks_its_own_fields() {
        let mut d = lan();
        assert!(Step::ALL.iter().all(|s| check(*s, &d, TODAY).is_empty()));
        d.birth_date = "09/05/1991".into();
        let p = check(Step::Birth, &d, TODAY);
        assert_eq!(p[0].0, "birth_date");
        assert!(p[0].1.vi.contains("1990"), "{:?}", p);
        d.phone = "0123".into();
        d.email = "lan@".into();
        let fields: Vec<&str> = check(Step::Contact, &d, TODAY).iter().map(|p| p.0).collect();
        assert_eq!(fields, vec!["phone", "email"]);
        d.citizen_id = "123".into();
        assert_eq!(check(Step::CitizenId, &d, TODAY)[0].0, "citizen_id");
    }

    #[test]
    fn a_reload_lands_on_the_first_open_page() {
        let mut d = lan();
        assert_eq!(first_open_step(&d, TODAY), Step::Contact);
        d.challenge = "abc".into();
        assert_eq!(first_open_step(&d, TODAY), Step::Code);
        d.verified = true;
        assert_eq!(first_open_step(&d, TODAY), Step::Password);
        d.full_name = "Lan 2".into();
        assert_eq!(first_open_step(&d, TODAY), Step::Name);
        assert_eq!(first_open_step(&Draft::default(), TODAY), Step::CitizenId);
    }

    #[test]
    fn drafts_survive_a_round_trip_and_old_shapes() {
        let d = lan();
        let json = serde_json::to_string(&d).unwrap();
        assert!(!json.contains("password"));
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), d);
        let partial: Draft = serde_json::from_str(r#"{"full_name":"Lan"}"#).unwrap();
        assert_eq!(partial.full_name, "Lan");
    }
}
