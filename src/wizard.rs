//! The submission wizard's pure logic (native unit tests): the draft the
//! citizen builds page by page, the pages in order, and which of the
//! contract's submission checks belong to which page.

use contract::catalog::{Procedure, Unit};
use contract::dossier::{check, Applicant, AttachedDocument, Delivery, FileInfo, SubmitRequest};
use contract::validate::{Date, Problem};
use serde::{Deserialize, Serialize};

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
        }
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
                { "name": "Tờ khai", "originals": 1, "copies": 0 },
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
        d.files_mut("Tờ khai").push(file("f1"));
        d.files_mut("Giấy chứng sinh").push(file("f2"));
        d
    }

    #[test]
    fn a_complete_draft_has_no_problems() {
        let (p, u) = (procedure(), units());
        let d = complete();
        assert!(Page::ALL.iter().all(|pg| problems(*pg, &d, &p, &u, TODAY).is_empty()));
        let r = d.to_request();
        assert_eq!(r.documents.len(), 2);
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
        d.documents[1].files.clear();
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
