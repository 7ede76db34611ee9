//! The submission wizard's pure logic (native unit tests): the draft the
//! citizen builds page by page, the pages in order, and which of the
//! contract's submission checks belong to which page.

use contract::catalog::{Procedure, Unit};
use contract::dossier::{check, Applicant, AttachedDocument, Delivery, FileInfo, SubmitRequest};
use contract::eform::{self, Form};
use contract::validate::{Date, Problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Files attached for one required document, in page order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentFiles {
    pub name: String,
    pub files: Vec<FileInfo>,
}

/// Everything typed and attached so far. Kept on the device at every change
/// and on the server (when signed in) shortly after.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub id: String,
    /// The `Idempotency-Key` of this dossier's submission: one per draft, so
    /// a retried submit can never make a second dossier.
    pub key: String,
    /// Citizen ID of the account that started it: on a shared device,
    /// someone else's draft is never shown.
    pub owner: String,
    pub procedure: String,
    /// For the list of drafts.
    pub procedure_name: String,
    pub unit: String,
    pub on_behalf: bool,
    pub relationship: String,
    pub consent: bool,
    pub applicant: Applicant,
    pub request: String,
    /// As typed.
    pub copies: String,
    pub notes: String,
    pub documents: Vec<DocumentFiles>,
    /// `online`, `post` or `office`.
    pub delivery: String,
    pub post_address: String,
    pub office_unit: String,
    /// The declaration, ticked on the check page.
    #[serde(default)]
    pub declaration: bool,
    /// Answers of the procedure's electronic form, field id → text.
    pub form: BTreeMap<String, String>,
}

impl Draft {
    pub fn to_request(&self) -> SubmitRequest {
        SubmitRequest {
            procedure: self.procedure.clone(),
            unit: self.unit.clone(),
            on_behalf: self.on_behalf,
            relationship: self.relationship.clone(),
            consent: self.consent,
            applicant: self.applicant.clone(),
            request: self.request.clone(),
            copies: self.copies.trim().parse().unwrap_or(0),
            notes: self.notes.clone(),
            documents: self
                .documents
                .iter()
                .filter(|d| !d.files.is_empty())
                .map(|d| AttachedDocument {
                    name: d.name.clone(),
                    files: d.files.iter().map(|f| f.id.clone()).collect(),
                })
                .collect(),
            delivery: match self.delivery.as_str() {
                "post" => Delivery::Post { address: self.post_address.clone() },
                "office" => Delivery::Office { unit: self.office_unit.clone() },
                _ => Delivery::Online,
            },
            draft: Some(self.id.clone()),
            declaration: self.declaration,
            form: self.eform().map(|f| f.clean(&self.form)),
        }
    }

    /// The procedure's electronic form, if it has one.
    pub fn eform(&self) -> Option<&'static Form> {
        eform::for_procedure(&self.procedure)
    }

    /// The files of the document called `name` (created when first needed).
    pub fn files_mut(&mut self, name: &str) -> &mut Vec<FileInfo> {
        if let Some(i) = self.documents.iter().position(|d| d.name == name) {
            return &mut self.documents[i].files;
        }
        self.documents.push(DocumentFiles { name: name.to_string(), files: Vec::new() });
        &mut self.documents.last_mut().expect("just pushed").files
    }
}

steps! {
    /// The wizard's pages, in order.
    pub enum Page {
        Who => "nguoi-nop",
        Applicant => "thong-tin",
        Form => "to-khai",
        Request => "yeu-cau",
        Documents => "giay-to",
        Delivery => "nhan-ket-qua",
        Check => "kiem-tra",
    }
}

impl Page {
    /// The check fields (or their prefixes) this page answers for.
    fn fields(self) -> &'static [&'static str] {
        match self {
            Page::Who => &["unit", "relationship", "consent", "procedure"],
            Page::Applicant => &["applicant."],
            Page::Form => &["form"],
            Page::Request => &["request", "copies", "notes"],
            Page::Documents => &["documents"],
            Page::Delivery => &["delivery"],
            Page::Check => &[""],
        }
    }

    /// Which page a check field belongs to.
    pub fn of_field(field: &str) -> Page {
        Page::ALL
            .into_iter()
            .find(|p| p.fields().iter().any(|f| !f.is_empty() && field.starts_with(f)))
            .unwrap_or(Page::Check)
    }
}

/// The page after `page`: the form's pages only for a procedure with one.
pub fn next(page: Page, form: bool) -> Option<Page> {
    page.next().and_then(|n| if n == Page::Form && !form { n.next() } else { Some(n) })
}

/// The page before `page`, the same way.
pub fn previous(page: Page, form: bool) -> Option<Page> {
    page.previous().and_then(|n| if n == Page::Form && !form { n.previous() } else { Some(n) })
}

/// "Bước n/total": the position among the pages this procedure has.
pub fn position(page: Page, form: bool) -> (usize, usize) {
    let skip = usize::from(!form && page.number() > Page::Form.number());
    (page.number() - skip, Page::ALL.len() - usize::from(!form))
}

/// The problems of one section (0-based) of the draft's electronic form.
pub fn form_problems(d: &Draft, section: usize, today: Date) -> Vec<(String, Problem)> {
    let Some(f) = d.eform() else {
        return Vec::new();
    };
    let Some(s) = f.sections.get(section) else {
        return Vec::new();
    };
    f.check(&f.clean(&d.form), today)
        .into_iter()
        .filter(|(k, _)| k == "form" || s.fields.iter().any(|x| eform::key(x.id) == *k))
        .collect()
}

/// The section (0-based) a check field of the form belongs to.
pub fn form_section(d: &Draft, field: &str) -> usize {
    let id = field.strip_prefix("form.").unwrap_or("");
    d.eform().and_then(|f| f.section_of(id)).unwrap_or(0)
}

/// The problems of one page (all of them for `Check`).
pub fn problems(
    page: Page,
    d: &Draft,
    p: &Procedure,
    units: &[Unit],
    today: Date,
) -> Vec<(String, Problem)> {
    let all = check(&d.to_request(), p, units, today);
    if page == Page::Check {
        return all;
    }
    all.into_iter().filter(|(f, _)| Page::of_field(f) == page).collect()
}

/// The first page with a problem, for "check your answers".
pub fn first_page_with_problems(
    d: &Draft,
    p: &Procedure,
    units: &[Unit],
    today: Date,
) -> Option<Page> {
    check(&d.to_request(), p, units, today)
        .iter()
        .map(|(f, _)| Page::of_field(f))
        .min_by_key(|pg| pg.number())
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::catalog::{Level, OnlineLevel, RequiredDocument, UnitKind};

    const TODAY: Date = Date { year: 2026, month: 11, day: 26 };

    fn procedure() -> Procedure {
        serde_json::from_value(serde_json::json!({
            "code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch",
            "levels": ["commune"], "online": "full", "agency": "UBND cấp xã", "place": "",
            "applicants": "", "time": "Trong ngày", "working_days": 0, "fee": "Miễn phí",
            "channels": [], "steps": [], "result": "", "requirements": "", "legal_basis": [],
            "popularity": 1,
            "documents": [
                { "name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0 },
                { "name": "Giấy chứng sinh", "originals": 1, "copies": 0 },
                { "name": "Văn bản ủy quyền", "originals": 1, "copies": 0, "conditional": true }
            ]
        }))
        .unwrap()
    }

    fn units() -> Vec<Unit> {
        vec![Unit {
            code: "000.05.37.H37".into(),
            name: "Xã Đồng Đăng".into(),
            kind: UnitKind::Commune,
            parent: None,
            address: String::new(),
            hours: String::new(),
            phone: String::new(),
        }]
    }

    fn file(id: &str) -> FileInfo {
        FileInfo {
            id: id.into(),
            name: "a.jpg".into(),
            size: 1,
            sha256: String::new(),
            mime: "image/jpeg".into(),
        }
    }

    fn complete() -> Draft {
        let mut d = Draft {
            id: "d1".into(),
            key: "k".repeat(20),
            procedure: "1.001193".into(),
            unit: "000.05.37.H37".into(),
            applicant: Applicant {
                full_name: "Nguyễn Thị Lan".into(),
                citizen_id: "020090123456".into(),
                birth_date: "09/05/1990".into(),
                phone: "0912345678".into(),
                email: String::new(),
                address: "Thôn Pò Mỏ".into(),
            },
            request: "Khai sinh cho con".into(),
            copies: "1".into(),
            delivery: "online".into(),
            declaration: true,
            ..Draft::default()
        };
        d.files_mut("Giấy chứng sinh").push(file("f2"));
        // The birth form, as `field=answer` lines.
        let answers = "child.full_name=Hoàng Bảo Na|child.birth_date=02/11/2026|child.sex=nu|\
            child.birth_place=Bệnh viện Đa khoa tỉnh Lạng Sơn|child.ethnicity=Tày|\
            child.nationality=Việt Nam|mother.full_name=Nguyễn Thị Lan|mother.birth_date=09/05/1990|\
            mother.ethnicity=Tày|mother.nationality=Việt Nam|mother.residence=Thôn Pò Mỏ|\
            father.known=khong|declarant.relationship=me";
        for pair in answers.split('|') {
            let (k, v) = pair.trim().split_once('=').expect("field=answer");
            d.form.insert(k.into(), v.into());
        }
        d
    }

    #[test]
    fn the_form_has_its_pages_and_its_problems_land_on_their_section() {
        assert_eq!(next(Page::Applicant, true), Some(Page::Form));
        assert_eq!(next(Page::Applicant, false), Some(Page::Request));
        assert_eq!(previous(Page::Request, false), Some(Page::Applicant));
        assert_eq!(previous(Page::Request, true), Some(Page::Form));
        assert_eq!(position(Page::Check, true), (7, 7));
        assert_eq!(position(Page::Check, false), (6, 6));
        assert_eq!(position(Page::Applicant, false), (2, 6));
        let mut d = complete();
        assert!((0..5).all(|s| form_problems(&d, s, TODAY).is_empty()));
        d.form.remove("mother.residence");
        d.form.insert("father.known".into(), "co".into());
        assert_eq!(form_problems(&d, 0, TODAY), vec![]);
        let keys = |s| form_problems(&d, s, TODAY).into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        // Parts: who files, the child, where born, the mother, the father.
        assert_eq!(keys(3), ["form.mother.residence"]);
        assert_eq!(keys(4).len(), 5, "{:?}", keys(4));
        assert_eq!(form_section(&d, "form.father.birth_date"), 4);
        let (p, u) = (procedure(), units());
        assert_eq!(first_page_with_problems(&d, &p, &u, TODAY), Some(Page::Form));
        // No photo of the paper form is asked for once the e-form is filled.
        assert!(!problems(Page::Documents, &d, &p, &u, TODAY)
            .iter()
            .any(|(f, _)| f == "documents.0"));
    }

    #[test]
    fn a_complete_draft_has_no_problems() {
        let (p, u) = (procedure(), units());
        let d = complete();
        assert!(Page::ALL.iter().all(|pg| problems(*pg, &d, &p, &u, TODAY).is_empty()));
        let r = d.to_request();
        assert_eq!(r.documents.len(), 1);
        assert_eq!(r.form.as_ref().map(|f| f.answers.len()), Some(13));
        assert_eq!(r.copies, 1);
        assert_eq!(r.delivery, Delivery::Online);
        assert_eq!(r.draft.as_deref(), Some("d1"));
        let _ = (
            Level::Commune,
            OnlineLevel::Full,
            RequiredDocument {
                name: String::new(),
                originals: 0,
                copies: 0,
                form: None,
                conditional: false,
            },
        );
    }

    #[test]
    fn each_problem_lands_on_its_page() {
        let (p, u) = (procedure(), units());
        let mut d = complete();
        d.applicant.phone = "0123".into();
        d.documents[0].files.clear();
        d.copies = "x".into();
        d.delivery = "post".into();
        d.on_behalf = true;
        d.declaration = false;
        let on =
            |pg| problems(pg, &d, &p, &u, TODAY).into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(on(Page::Who), vec!["relationship", "consent"]);
        assert_eq!(on(Page::Applicant), vec!["applicant.phone"]);
        assert_eq!(on(Page::Request), vec!["copies"]);
        assert_eq!(on(Page::Documents), vec!["documents.1"]);
        assert_eq!(on(Page::Delivery), vec!["delivery"]);
        // The declaration is answered on the check page itself.
        assert_eq!(on(Page::Check).len(), 7);
        assert!(on(Page::Check).contains(&"declaration".to_string()));
        assert_eq!(first_page_with_problems(&d, &p, &u, TODAY), Some(Page::Who));
    }

    #[test]
    fn pages_in_order_and_files_by_document() {
        assert_eq!(Page::Who.next(), Some(Page::Applicant));
        assert_eq!(Page::Check.next(), None);
        assert_eq!(Page::Documents.previous(), Some(Page::Request));
        for pg in Page::ALL {
            assert_eq!(Page::from_slug(pg.slug()), Some(pg));
        }
        let mut d = Draft::default();
        d.files_mut("A").push(file("1"));
        d.files_mut("A").push(file("2"));
        d.files_mut("B").push(file("3"));
        assert_eq!(d.documents.len(), 2);
        assert_eq!(d.documents[0].files.len(), 2);
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), d);
    }
}
