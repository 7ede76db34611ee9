//! Electronic forms (tờ khai điện tử): the paper declarations of the most
//! filed procedures as data. Each [`Form`] names the national form and
//! version it reproduces, its sections (one wizard page each) and fields
//! with their rules; [`Form::check`] is the validation both the app and the
//! portal run; [`printable`] lays a filled (or blank) form out as an A4
//! page. Answers travel as [`FormAnswers`] (field id → text) and are stored
//! with the dossier as they are.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::validate::{self, Date, Problem};

mod forms;
mod print;

pub use forms::{BIRTH, MARITAL, RESIDENCE};
pub use print::{escape, printable, printable_form, Heading};

/// A text in Vietnamese and English.
pub type Text = (&'static str, &'static str);

/// The fewest years between a parent's birth and the child's.
pub const PARENT_GAP_YEARS: u16 = 10;

/// What a field holds, and so how it is typed and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Kind {
    /// One line, at most `max` characters.
    Line { max: u16 },
    /// Several lines, at most `max` characters.
    Lines { max: u16 },
    /// A person's full name (the rules of [`validate::full_name`]).
    Name,
    /// A past date, dd/mm/yyyy.
    Date,
    /// A 12-digit personal identification number (CCCD).
    CitizenId,
    /// One of the options, by id.
    Choice { options: &'static [(&'static str, Text)] },
    /// One of a long official list (a dropdown), stored as written there.
    List { options: &'static [&'static str] },
}

/// One question of a form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Unique in the form, e.g. `child.full_name`.
    pub id: &'static str,
    pub label: Text,
    /// Shown under the label; `("", "")` for none.
    pub hint: Text,
    pub kind: Kind,
    pub required: bool,
    /// Asked only when another field has this answer.
    pub when: Option<(&'static str, &'static str)>,
    /// What the wizard fills in before the citizen types ("Kinh", "Việt Nam").
    pub default: &'static str,
}

/// A part of a form: one page of the wizard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: Text,
    pub fields: &'static [Field],
}

/// An electronic form and the paper form it stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Form {
    pub id: &'static str,
    /// Raised whenever a field's meaning changes; answers of another
    /// version are refused (the wizard then asks again).
    pub version: u16,
    /// As printed at the top of the paper form.
    pub title: Text,
    /// The national form and the act that issued it.
    pub reproduces: &'static str,
    /// The procedures (national codes) it serves.
    pub procedures: &'static [&'static str],
    /// The required document it replaces: one whose name starts with this.
    pub document: &'static str,
    pub sections: &'static [Section],
    /// Answers a procedure implies, filled in before the citizen is asked
    /// (procedure code, field id, answer): "Đăng ký tạm trú" asks for
    /// temporary residence.
    pub presets: &'static [(&'static str, &'static str, &'static str)],
}

/// A filled form, as the app sends it and the portal keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormAnswers {
    /// [`Form::id`].
    pub form: String,
    pub version: u16,
    /// Field id → answer (choices by option id).
    pub answers: BTreeMap<String, String>,
}

/// A filled form for officers: the answers with their labels, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormExport {
    pub dossier: String,
    pub form: String,
    pub version: u16,
    pub title: String,
    pub reproduces: String,
    pub sections: Vec<ExportSection>,
    /// The raw answers (field id → answer).
    pub answers: BTreeMap<String, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExportSection {
    pub title: String,
    pub fields: Vec<ExportField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExportField {
    pub id: String,
    pub label: String,
    /// As shown to people (a choice's label, not its id).
    pub value: String,
}
impl Field {
    /// An answer as people read it: a choice's label, else the text.
    pub fn shown(&self, value: &str, vi: bool) -> String {
        if let Kind::Choice { options } = self.kind {
            if let Some((_, l)) = options.iter().find(|(id, _)| *id == value) {
                return (if vi { l.0 } else { l.1 }).to_string();
            }
        }
        value.trim().to_string()
    }
}

/// Every electronic form.
pub const FORMS: [&Form; 3] = [&BIRTH, &RESIDENCE, &MARITAL];

/// The electronic form of a procedure, if it has one.
pub fn for_procedure(code: &str) -> Option<&'static Form> {
    FORMS.into_iter().find(|f| f.procedures.contains(&code))
}

/// The form with this id.
pub fn by_id(id: &str) -> Option<&'static Form> {
    FORMS.into_iter().find(|f| f.id == id)
}

fn problem(vi: String, en: String) -> Problem {
    Problem { vi, en }
}

/// The id in problems and in the page: `form.<field id>`.
pub fn key(field: &str) -> String {
    format!("form.{field}")
}

impl Form {
    /// Whether a required document of the procedure is this form on paper.
    pub fn replaces(&self, document: &str) -> bool {
        document.to_lowercase().starts_with(&self.document.to_lowercase())
    }

    /// What the wizard fills in before asking, for `procedure`: the
    /// procedure's presets, then each field's default.
    pub fn prefill(&self, procedure: &str) -> Vec<(&'static str, &'static str)> {
        let presets =
            self.presets.iter().filter(|(p, _, _)| *p == procedure).map(|(_, f, v)| (*f, *v));
        let defaults = self.fields().filter(|f| !f.default.is_empty()).map(|f| (f.id, f.default));
        presets.chain(defaults).collect()
    }

    /// The person filing said they are the child's mother or father
    /// (`forms::FILER_IS_PARENT`): that parent's name, date of birth and ID
    /// number are the applicant's, filled where not answered yet, so nobody
    /// types them twice. Only for a form that asks both.
    pub fn fill_parent(
        &self,
        answers: &mut BTreeMap<String, String>,
        applicant: &crate::dossier::Applicant,
    ) {
        let said = answers.get("declarant.relationship").cloned().unwrap_or_default();
        let Some((_, parent)) = forms::FILER_IS_PARENT.iter().find(|(r, _)| *r == said) else {
            return;
        };
        let a = applicant;
        for (part, value) in [
            ("known", "co"),
            ("full_name", a.full_name.as_str()),
            ("birth_date", a.birth_date.as_str()),
            ("citizen_id", a.citizen_id.as_str()),
        ] {
            let field = format!("{parent}.{part}");
            if self.field(&field).is_some() && !value.trim().is_empty() {
                let slot = answers.entry(field).or_default();
                if slot.trim().is_empty() {
                    *slot = value.trim().to_string();
                }
            }
        }
    }

    pub fn fields(&self) -> impl Iterator<Item = &'static Field> + '_ {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    pub fn field(&self, id: &str) -> Option<&'static Field> {
        self.fields().find(|f| f.id == id)
    }

    /// The 0-based section a field is in.
    pub fn section_of(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.fields.iter().any(|f| f.id == id))
    }

    /// Whether a field is asked, given the other answers.
    pub fn asked(f: &Field, answers: &BTreeMap<String, String>) -> bool {
        f.when.is_none_or(|(other, value)| answers.get(other).is_some_and(|v| v == value))
    }

    /// The answers without those not asked (their condition unmet), blanks
    /// and unknown fields, trimmed: what is sent and stored.
    pub fn clean(&self, answers: &BTreeMap<String, String>) -> FormAnswers {
        let kept = self
            .fields()
            .filter(|f| Form::asked(f, answers))
            .filter_map(|f| {
                let v = answers.get(f.id)?.trim();
                // A date typed as eight digits is kept as people read it.
                let v = match f.kind {
                    Kind::Date if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) => {
                        format!("{}/{}/{}", &v[..2], &v[2..4], &v[4..])
                    }
                    _ => v.to_string(),
                };
                (!v.is_empty()).then(|| (f.id.to_string(), v))
            })
            .collect();
        FormAnswers { form: self.id.into(), version: self.version, answers: kept }
    }

    /// Every problem of the answers, keyed `form.<field id>` (or `form`).
    pub fn check(&self, a: &FormAnswers, today: Date) -> Vec<(String, Problem)> {
        let mut out = Vec::new();
        if a.form != self.id || a.version != self.version {
            out.push((
                "form".into(),
                problem(
                    "Tờ khai đã được cập nhật; hãy mở lại tờ khai và kiểm tra các câu trả lời"
                        .into(),
                    "The form has been updated; open it again and check your answers".into(),
                ),
            ));
            return out;
        }
        for id in a.answers.keys() {
            if self.field(id).is_none() {
                out.push((
                    "form".into(),
                    problem(
                        format!("Tờ khai không có mục “{id}”"),
                        format!("The form has no field “{id}”"),
                    ),
                ));
            }
        }
        for f in self.fields().filter(|f| Form::asked(f, &a.answers)) {
            let v = a.answers.get(f.id).map_or("", |v| v.trim());
            if let Err(p) = check_field(f, v, today) {
                out.push((key(f.id), p));
            }
        }
        // Dates checked against each other: a parent is born well before
        // the child (a year typed wrong is the usual cause).
        for (parent, child) in forms::PARENTS {
            let date = |id: &str| {
                let f = self.field(id).filter(|f| Form::asked(f, &a.answers))?;
                validate::parse_date(a.answers.get(f.id)?, today).ok()
            };
            let (Some(p), Some(c)) = (date(parent), date(child)) else { continue };
            let gap = c.year.saturating_sub(p.year)
                - u16::from((c.month, c.day) < (p.month, p.day) && c.year > p.year);
            if p >= c || gap < PARENT_GAP_YEARS {
                let who = self.field(parent).map_or(("", ""), |f| f.label);
                out.push((
                    key(parent),
                    problem(
                        format!(
                            "{}: phải trước ngày sinh của trẻ ít nhất {PARENT_GAP_YEARS} năm; kiểm tra lại năm sinh",
                            who.0
                        ),
                        format!(
                            "{}: must be at least {PARENT_GAP_YEARS} years before the child's; check the year",
                            who.1
                        ),
                    ),
                ));
            }
        }
        out
    }

    /// The answers as officers read them.
    pub fn export(&self, dossier: &str, a: &FormAnswers) -> FormExport {
        FormExport {
            dossier: dossier.into(),
            form: self.id.into(),
            version: a.version,
            title: self.title.0.into(),
            reproduces: self.reproduces.into(),
            sections: self
                .sections
                .iter()
                .map(|s| ExportSection {
                    title: s.title.0.into(),
                    fields: s
                        .fields
                        .iter()
                        .filter(|f| Form::asked(f, &a.answers))
                        .map(|f| ExportField {
                            id: f.id.into(),
                            label: f.label.0.into(),
                            value: f.shown(a.answers.get(f.id).map_or("", String::as_str), true),
                        })
                        .collect(),
                })
                .collect(),
            answers: a.answers.clone(),
        }
    }
}

/// One answer against its field's rules (`v` trimmed; empty when not given).
pub fn check_field(f: &Field, v: &str, today: Date) -> Result<(), Problem> {
    let (vi, en) = f.label;
    if v.is_empty() {
        if !f.required {
            return Ok(());
        }
        return Err(match f.kind {
            Kind::Choice { .. } | Kind::List { .. } => {
                problem(format!("Chọn {}", lower(vi)), format!("Choose: {}", lower(en)))
            }
            _ => problem(format!("Nhập {}", lower(vi)), format!("Enter {}", lower(en))),
        });
    }
    match f.kind {
        Kind::Line { max } | Kind::Lines { max } if v.chars().count() > max as usize => Err(
            problem(format!("{vi}: tối đa {max} ký tự"), format!("{en}: {max} characters at most")),
        ),
        Kind::Line { .. } | Kind::Lines { .. } => Ok(()),
        Kind::Name => validate::full_name(v).map(drop),
        Kind::Date => validate::parse_date(v, today).map(drop),
        Kind::CitizenId => validate::citizen_id(v, None).map(drop),
        Kind::Choice { options } if options.iter().any(|(id, _)| *id == v) => Ok(()),
        Kind::Choice { .. } => {
            Err(problem(format!("Chọn {}", lower(vi)), format!("Choose: {}", lower(en))))
        }
        Kind::List { options } if options.contains(&v) => Ok(()),
        Kind::List { .. } => Err(problem(
            format!("{vi}: chọn trong danh sách"),
            format!("{en}: choose from the list"),
        )),
    }
}

/// A label inside a sentence ("Nhập ngày sinh của trẻ").
fn lower(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 27 };

    fn answers(form: &Form, pairs: &[(&str, &str)]) -> FormAnswers {
        FormAnswers {
            form: form.id.into(),
            version: form.version,
            answers: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        }
    }

    fn birth() -> FormAnswers {
        answers(
            &BIRTH,
            &[
                ("child.full_name", "Hoàng Bảo Na"),
                ("child.birth_date", "02/11/2026"),
                ("child.sex", "nu"),
                ("child.birth_place", "Bệnh viện Đa khoa tỉnh Lạng Sơn"),
                ("child.ethnicity", "Tày"),
                ("child.nationality", "Việt Nam"),
                ("mother.full_name", "Hoàng Thị Mai"),
                ("mother.birth_date", "12/03/1996"),
                ("mother.ethnicity", "Tày"),
                ("mother.nationality", "Việt Nam"),
                ("mother.residence", "Thôn Nà Nưa, xã Đồng Đăng"),
                ("father.known", "khong"),
                ("declarant.relationship", "me"),
            ],
        )
    }

    #[test]
    fn a_complete_birth_form_passes() {
        assert_eq!(BIRTH.check(&birth(), TODAY), vec![]);
    }

    #[test]
    fn every_rule_names_its_field() {
        let mut a = birth();
        a.answers.insert("child.birth_date".into(), "31/02/2026".into());
        a.answers.insert("child.sex".into(), "khac".into());
        a.answers.insert("mother.citizen_id".into(), "12345".into());
        a.answers.remove("mother.full_name");
        let keys: Vec<String> = BIRTH.check(&a, TODAY).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "form.child.birth_date",
                "form.child.sex",
                "form.mother.full_name",
                "form.mother.citizen_id"
            ]
        );
        let p = check_field(BIRTH.field("mother.full_name").unwrap(), "", TODAY).unwrap_err();
        assert_eq!(p.vi, "Nhập họ, chữ đệm và tên người mẹ");
    }

    #[test]
    fn conditional_fields_are_asked_only_when_their_answer_is_given() {
        let mut a = birth();
        a.answers.insert("father.known".into(), "co".into());
        let keys: Vec<String> = BIRTH.check(&a, TODAY).into_iter().map(|(k, _)| k).collect();
        assert!(keys.contains(&"form.father.full_name".to_string()), "{keys:?}");
        // An answer left from before "no" is not sent.
        let mut b = birth();
        b.answers.insert("father.full_name".into(), "Hoàng Văn Tú".into());
        assert!(!BIRTH.clean(&b.answers).answers.contains_key("father.full_name"));
    }

    #[test]
    fn other_versions_and_unknown_fields_are_refused() {
        let mut a = birth();
        a.version = 0;
        assert_eq!(BIRTH.check(&a, TODAY)[0].0, "form");
        let mut b = birth();
        b.answers.insert("child.eye_colour".into(), "nâu".into());
        assert_eq!(BIRTH.check(&b, TODAY)[0].0, "form");
    }

    #[test]
    fn forms_are_well_formed() {
        for form in FORMS {
            let mut seen = std::collections::HashSet::new();
            for f in form.fields() {
                assert!(seen.insert(f.id), "{} repeats {}", form.id, f.id);
                if let Some((other, value)) = f.when {
                    let o = form.field(other).unwrap_or_else(|| panic!("{}: {other}", f.id));
                    let Kind::Choice { options } = o.kind else {
                        panic!("{other} is not a choice")
                    };
                    assert!(options.iter().any(|(id, _)| *id == value), "{}: {value}", f.id);
                }
                if !f.default.is_empty() {
                    assert_eq!(check_field(f, f.default, TODAY), Ok(()), "{}", f.id);
                }
            }
            assert!(form.replaces(form.document));
            for (p, field, value) in form.presets {
                assert!(form.procedures.contains(p), "{p}");
                let f = form.field(field).unwrap_or_else(|| panic!("{field}"));
                assert_eq!(check_field(f, value, TODAY), Ok(()), "{field}={value}");
            }
            assert!(form.procedures.iter().all(|p| for_procedure(p) == Some(form)));
        }
        assert_eq!(for_procedure("1.001193").map(|f| f.id), Some("khai-sinh"));
        assert_eq!(RESIDENCE.prefill("1.004194"), [("request.kind", "tam-tru")]);
        assert!(BIRTH.replaces("Tờ khai đăng ký khai sinh"));
        assert!(!BIRTH.replaces("Giấy chứng sinh"));
    }

    #[test]
    fn the_printed_form_shows_answers_as_people_read_them_and_escapes_them() {
        let mut a = birth();
        a.answers.insert("child.hometown".into(), "<script>x</script>".into());
        let h = Heading { to: "UBND xã Đồng Đăng".into(), ..Default::default() };
        let html = printable_form(&BIRTH, Some(&a), &h);
        assert!(html.contains("TỜ KHAI ĐĂNG KÝ KHAI SINH"));
        assert!(html.contains("Hoàng Bảo Na"));
        assert!(html.contains(">Nữ<"), "the choice's label, not its id");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<script>x"));
        assert!(!html.contains("father.full_name"));
        let blank = printable_form(&BIRTH, None, &Heading::default());
        assert!(blank.contains("Giới tính (Nam / Nữ)"));
    }

    #[test]
    fn the_export_labels_every_asked_answer() {
        let e = BIRTH.export("X-1", &birth());
        let child = &e.sections[1];
        assert_eq!(child.fields[0].label, "Họ, chữ đệm và tên của trẻ");
        assert_eq!(child.fields[2].value, "Nữ");
        assert!(e.sections[4].fields.len() == 1, "father unknown: only the question");
    }

    #[test]
    fn who_files_comes_first_and_a_parent_filing_fills_their_own_part() {
        assert_eq!(BIRTH.section_of("declarant.relationship"), Some(0));
        let me = crate::dossier::Applicant {
            full_name: "Hoàng Thị Mai".into(),
            citizen_id: "020196001234".into(),
            birth_date: "12/03/1996".into(),
            phone: "0912345678".into(),
            email: String::new(),
            address: "Thôn Nà Nưa".into(),
        };
        let mut a = BTreeMap::from([("declarant.relationship".to_string(), "me".to_string())]);
        BIRTH.fill_parent(&mut a, &me);
        assert_eq!(a["mother.full_name"], "Hoàng Thị Mai");
        assert_eq!(a["mother.birth_date"], "12/03/1996");
        assert_eq!(a["mother.citizen_id"], "020196001234");
        assert!(!a.contains_key("father.full_name") && !a.contains_key("mother.known"));
        // What was answered already stays.
        let mut a = BTreeMap::from([
            ("declarant.relationship".to_string(), "cha".to_string()),
            ("father.full_name".to_string(), "Lò Văn Tài".to_string()),
        ]);
        BIRTH.fill_parent(&mut a, &me);
        assert_eq!(a["father.full_name"], "Lò Văn Tài");
        assert_eq!(a["father.known"], "co");
        // A grandparent filing fills nothing.
        let mut a = BTreeMap::from([("declarant.relationship".to_string(), "ong-ba".to_string())]);
        BIRTH.fill_parent(&mut a, &me);
        assert_eq!(a.len(), 1);
    }

    #[test]
    fn a_parent_is_born_at_least_ten_years_before_the_child() {
        let f = for_procedure("1.001193").unwrap();
        let today = crate::validate::Date { year: 2026, month: 12, day: 7 };
        let with = |mother: &str| {
            let mut a =
                FormAnswers { form: f.id.into(), version: f.version, answers: BTreeMap::new() };
            for (k, v) in [("child.birth_date", "02/11/2026"), ("mother.birth_date", mother)] {
                a.answers.insert(k.into(), v.into());
            }
            f.check(&a, today)
                .into_iter()
                .filter(|(k, p)| k == &key("mother.birth_date") && p.vi.contains("ít nhất 10 năm"))
                .count()
        };
        assert_eq!(with("12/03/2020"), 1, "six years before");
        assert_eq!(with("03/11/2016"), 1, "a day short of ten years");
        assert_eq!(with("02/11/2016"), 0, "ten years to the day");
        assert_eq!(with("12/03/1996"), 0);
        assert_eq!(with("12/03/2027"), 0, "a future date is said by its own rule");
        let mut typed = BTreeMap::new();
        typed.insert("mother.birth_date".to_string(), "12031996".to_string());
        assert_eq!(f.clean(&typed).answers["mother.birth_date"], "12/03/1996");
    }
}
