//! Dossier codes (Thông tư 01/2018/TT-VPCP, Điều 19): the receiving agency's
//! code, the receipt date as YYMMDD and the day's sequence number at that
//! agency, e.g. `000.00.06.H56-231027-0361`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::catalog::{Level, OnlineLevel, Procedure, Unit, UnitKind};
use crate::status::DossierStatus;
use crate::validate::{self, Date, Problem};

mod on_behalf;
pub use on_behalf::{authorisation_needed, RELATIONSHIPS};

/// `agency-YYMMDD-NNNN` (the sequence has at least four digits).
pub fn dossier_code(agency: &str, received: Date, sequence: u32) -> String {
    format!(
        "{agency}-{:02}{:02}{:02}-{sequence:04}",
        received.year % 100,
        received.month,
        received.day
    )
}

/// The parts of a dossier code, if it is one: (agency, date digits, sequence).
pub fn parse_dossier_code(code: &str) -> Option<(&str, &str, u32)> {
    let mut parts = code.rsplitn(3, '-');
    let seq = parts.next()?;
    let day = parts.next()?;
    let agency = parts.next()?;
    let agency_ok = !agency.is_empty()
        && agency.len() <= 40
        && agency.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.');
    let day_ok = day.len() == 6 && day.bytes().all(|b| b.is_ascii_digit());
    let seq_ok = seq.len() >= 4 && seq.len() <= 6 && seq.bytes().all(|b| b.is_ascii_digit());
    (agency_ok && day_ok && seq_ok).then(|| (agency, day, seq.parse().unwrap_or(0)))
}

/// How the citizen wants to receive the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Delivery {
    /// An electronic result in the account.
    Online,
    /// By the public postal service (bưu chính công ích) to this address.
    Post { address: String },
    /// At the one-stop desk of this unit.
    Office { unit: String },
}

/// Who the dossier is for.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Applicant {
    pub full_name: String,
    pub citizen_id: String,
    /// dd/mm/yyyy
    pub birth_date: String,
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// Where the applicant lives.
    pub address: String,
}

/// The files given for one required document of the procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AttachedDocument {
    /// The required document's name, as the procedure lists it.
    pub name: String,
    /// Uploaded file ids, in page order.
    pub files: Vec<String>,
}

/// A dossier as submitted (header `Idempotency-Key` required).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubmitRequest {
    pub procedure: String,
    /// The unit whose desk receives it (a commune or the province's centre).
    pub unit: String,
    /// Filed on behalf of someone else (with their consent).
    #[serde(default)]
    pub on_behalf: bool,
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub consent: bool,
    pub applicant: Applicant,
    /// What is asked for, in the citizen's words; may be empty for a
    /// procedure with an e-form, which says it (see [`stated_request`]).
    #[serde(default)]
    pub request: String,
    pub copies: u8,
    #[serde(default)]
    pub notes: String,
    pub documents: Vec<AttachedDocument>,
    pub delivery: Delivery,
    /// The server-side draft this came from (deleted once submitted).
    #[serde(default)]
    pub draft: Option<String>,
    /// The filer ticked the declaration ([`DECLARATION`]): required.
    #[serde(default)]
    pub declaration: bool,
    /// The electronic form (tờ khai điện tử) of the procedure, when it has
    /// one ([`crate::eform::for_procedure`]): given, it stands for the paper
    /// form among the documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<crate::eform::FormAnswers>,
}

/// The declaration a filer makes before submitting, as on paper forms.
pub const DECLARATION: (&str, &str) = (
    "Tôi xin cam đoan những thông tin đã khai là đúng sự thật và chịu trách nhiệm trước pháp luật về lời khai của mình.",
    "I declare that the information given is true, and I am answerable before the law for it.",
);

/// An electronic result of a dossier (Decree 45/2020): its own code
/// `<dossier code>-KQ<n>`, its SHA-256 (to check a copy against), and the
/// signer when the agency gave one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResultFile {
    pub n: u32,
    pub code: String,
    pub name: String,
    pub size: u64,
    pub sha256: String,
    pub mime: String,
    #[serde(default)]
    pub signer: String,
    /// dd/mm/yyyy HH:MM.
    pub issued_at: String,
}

/// An uploaded file, checked by its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FileInfo {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub sha256: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub mime: String,
}

/// One line of the receipt's list of documents received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReceivedDocument {
    pub name: String,
    pub originals: u8,
    pub copies: u8,
    /// Files (pages) attached.
    pub files: u32,
}

/// "Giấy tiếp nhận hồ sơ và hẹn trả kết quả".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Receipt {
    pub code: String,
    /// The unguessable part of the tracking link.
    pub token: String,
    pub agency_code: String,
    pub agency_name: String,
    pub procedure_code: String,
    pub procedure_name: String,
    /// Personal details are masked unless the owner is signed in.
    pub applicant: Applicant,
    pub on_behalf: bool,
    pub documents: Vec<ReceivedDocument>,
    /// As the procedure states it, e.g. "03 ngày làm việc".
    pub processing_time: String,
    /// `None` when the procedure gives no plain number of days.
    pub working_days: Option<u16>,
    /// dd/mm/yyyy HH:MM (Vietnam time).
    pub received_at: String,
    /// dd/mm/yyyy; empty when there is no plain number of days. Until the
    /// desk accepts the dossier, the date it would be due if accepted on
    /// the day it was filed; counted again from the acceptance.
    pub due_date: String,
    /// When an officer accepted it (dd/mm/yyyy HH:MM): from then on the
    /// receipt is the "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"; before, it
    /// only confirms the dossier was received online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<String>,
    pub delivery: Delivery,
    pub fee: String,
    /// The fee to pay online now, in đồng, when the procedure's fee is paid
    /// on filing (`catalog::fee_on_filing`) and this portal takes payments
    /// online; absent when it is free, paid later when asked (status 6),
    /// or paid at the desk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_on_filing: Option<u64>,
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 1, maximum = 10))]
    pub status: DossierStatus,
    /// Filed by a volunteer for the applicant, who owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assisted: Option<Assistance>,
    /// The id of the electronic form filled with it (its printable view is
    /// `/api/v1/dossiers/{code}/form.html`); only for those who see personal
    /// data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Accepted by this portal and on its way to the one-stop desk's own
    /// system (the province's back office), which has not confirmed it yet
    /// ("đang chuyển đến Bộ phận Một cửa"). Nothing is lost meanwhile.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_its_way: bool,
}

/// Who helped file a dossier, and the consent given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Assistance {
    /// The volunteer's name.
    pub volunteer: String,
    /// The applicant's relation to the volunteer, as typed ("hàng xóm"…).
    pub relationship: String,
    /// When the applicant's consent was recorded (dd/mm/yyyy HH:MM).
    pub consent_at: String,
    /// "Mã nhận hồ sơ": what proves to the portal that the dossier is the
    /// resident's (with an account under their ID number). Shown only to the
    /// volunteer who filed it, until it is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_code: Option<String>,
}

/// A dossier a volunteer helped file, on their dashboard: no more of the
/// resident than the volunteer needs to find them again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssistedDossier {
    #[serde(flatten)]
    pub dossier: DossierSummary,
    /// Initials and the last digits of the ID number, e.g. "N. T. L. · ***456".
    pub resident: String,
}

/// One of the citizen's dossiers, in "Hồ sơ của tôi".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DossierSummary {
    pub code: String,
    pub token: String,
    pub procedure_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 1, maximum = 10))]
    pub status: DossierStatus,
    pub received_at: String,
    pub due_date: String,
    /// Electronic results, in "Hồ sơ của tôi" only (its owner's list).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<ResultFile>,
}

impl DossierSummary {
    /// A dossier's line in a list, from its receipt and current status.
    pub fn of(r: Receipt, status: DossierStatus) -> DossierSummary {
        DossierSummary {
            code: r.code,
            token: r.token,
            procedure_name: r.procedure_name,
            status,
            received_at: r.received_at,
            due_date: r.due_date,
            results: Vec::new(),
        }
    }
}

fn problem(vi: &str, en: &str) -> Problem {
    Problem { vi: vi.into(), en: en.into() }
}

/// Largest number of files in one dossier.
pub const MAX_FILES_PER_DOSSIER: usize = 40;

fn unit_level(u: &Unit) -> Level {
    if u.kind == UnitKind::Province {
        Level::Province
    } else {
        Level::Commune
    }
}

/// Every problem of a submission, by field (`applicant.phone`, `documents.2`, …).
pub fn check(
    req: &SubmitRequest,
    p: &Procedure,
    units: &[Unit],
    today: validate::Date,
) -> Vec<(String, Problem)> {
    let mut out: Vec<(String, Problem)> = Vec::new();
    let mut push = |f: &str, pr: Problem| out.push((f.to_string(), pr));
    if p.online == OnlineLevel::None {
        push(
            "procedure",
            problem(
                "Thủ tục này chưa nộp trực tuyến được; hãy nộp tại Bộ phận Một cửa",
                "This procedure cannot be filed online yet; apply at the one-stop desk",
            ),
        );
    }
    match units.iter().find(|u| u.code == req.unit) {
        Some(u) if p.levels.contains(&unit_level(u)) => {}
        _ => push(
            "unit",
            problem(
                "Chọn nơi tiếp nhận hồ sơ thực hiện thủ tục này",
                "Choose a desk that handles this procedure",
            ),
        ),
    }
    check_applicant(req, today, &mut push);
    if req.on_behalf {
        if req.relationship.trim().is_empty() {
            push(
                "relationship",
                problem(
                    "Cho biết quan hệ với người được nộp hộ",
                    "Say how you are related to the applicant",
                ),
            );
        }
        if !req.consent {
            push(
                "consent",
                problem(
                    "Cần người được nộp hộ đồng ý trước khi nộp",
                    "The applicant must agree before you file for them",
                ),
            );
        }
    }
    if !req.declaration {
        push(
            "declaration",
            problem(
                "Hãy đánh dấu lời cam đoan trước khi nộp",
                "Tick the declaration before you submit",
            ),
        );
    }
    // An e-form says what is asked for: the citizen is not asked it twice.
    let said_by_form = crate::eform::for_procedure(&p.code).is_some();
    if (req.request.trim().is_empty() && !said_by_form) || req.request.chars().count() > 2000 {
        push(
            "request",
            problem(
                "Ghi rõ nội dung yêu cầu (tối đa 2.000 ký tự)",
                "Say what you ask for (2,000 characters at most)",
            ),
        );
    }
    if !(1..=20).contains(&req.copies) {
        push(
            "copies",
            problem("Số bản kết quả từ 1 đến 20", "Between 1 and 20 copies of the result"),
        );
    }
    if req.notes.chars().count() > 2000 {
        push("notes", problem("Ghi chú tối đa 2.000 ký tự", "Notes are 2,000 characters at most"));
    }
    let eform = crate::eform::for_procedure(&p.code);
    match (eform, &req.form) {
        (Some(f), Some(a)) => {
            for (field, pr) in f.check(a, today) {
                push(&field, pr);
            }
        }
        (None, Some(_)) => push(
            "form",
            problem(
                "Thủ tục này không có tờ khai điện tử",
                "This procedure has no electronic form",
            ),
        ),
        _ => {}
    }
    check_documents(req, p, &mut push);
    let files: usize = req.documents.iter().map(|d| d.files.len()).sum();
    if files > MAX_FILES_PER_DOSSIER {
        push("documents", problem("Tối đa 40 tệp mỗi hồ sơ", "At most 40 files a dossier"));
    }
    match &req.delivery {
        Delivery::Post { address }
            if address.trim().is_empty() || address.chars().count() > 300 =>
        {
            push(
                "delivery",
                problem(
                    "Nhập địa chỉ nhận kết quả qua bưu điện (tối đa 300 ký tự)",
                    "Enter the address for the post (300 characters at most)",
                ),
            )
        }
        Delivery::Office { unit } if !units.iter().any(|u| &u.code == unit) => {
            push("delivery", problem("Chọn nơi nhận kết quả", "Choose where to collect the result"))
        }
        _ => {}
    }
    out
}

/// The applicant's problems (`applicant.*`).
fn check_applicant(
    req: &SubmitRequest,
    today: validate::Date,
    push: &mut impl FnMut(&str, Problem),
) {
    let a = &req.applicant;
    let birth = match validate::parse_date(&a.birth_date, today) {
        Ok(b) => Some(b),
        Err(e) => {
            push("applicant.birth_date", e);
            None
        }
    };
    if let Err(e) = validate::citizen_id(&a.citizen_id, birth) {
        push("applicant.citizen_id", e);
    }
    if let Err(e) = validate::full_name(&a.full_name) {
        push("applicant.full_name", e);
    }
    // Filing for a resident without a phone: they follow the dossier by
    // the receipt's QR code or through the volunteer.
    let no_phone_for_resident = req.on_behalf && a.phone.trim().is_empty();
    if let Err(e) = validate::phone(&a.phone) {
        if !no_phone_for_resident {
            push("applicant.phone", e);
        }
    }
    if let Err(e) = validate::email(&a.email) {
        push("applicant.email", e);
    }
    if a.address.trim().is_empty() || a.address.chars().count() > 300 {
        push(
            "applicant.address",
            problem(
                "Nhập địa chỉ nơi cư trú (tối đa 300 ký tự)",
                "Enter the address (300 characters at most)",
            ),
        );
    }
}

/// The documents' problems (`documents.N`, `documents`): each required one
/// given (or its form filled in, or an authorisation where the law wants
/// one), none not of the procedure.
fn check_documents(req: &SubmitRequest, p: &Procedure, push: &mut impl FnMut(&str, Problem)) {
    let eform = crate::eform::for_procedure(&p.code);
    for (i, d) in p.documents.iter().enumerate() {
        let given = req.documents.iter().find(|x| x.name == d.name).map_or(0, |x| x.files.len());
        let by_form = req.form.is_some() && eform.is_some_and(|f| f.replaces(&d.name));
        // Filed by someone the law does not let file without one.
        let authorisation = req.on_behalf && authorisation_needed(&d.name, &req.relationship);
        if given == 0 && authorisation {
            push(
                &format!("documents.{i}"),
                problem(
                    &format!(
                        "Người nộp hộ là “{}”, không phải người thân được miễn, nên cần đính kèm “{}” (có chữ ký của người được nộp hộ)",
                        req.relationship.trim(),
                        d.name
                    ),
                    &format!(
                        "You file as “{}”, not as a close relative, so attach “{}” (signed by the person you file for)",
                        req.relationship.trim(),
                        d.name
                    ),
                ),
            );
        } else if given == 0 && !d.conditional && !by_form {
            push(
                &format!("documents.{i}"),
                problem(
                    &format!("Đính kèm ảnh hoặc tệp PDF của “{}”", d.name),
                    &format!("Attach a photo or PDF of “{}”", d.name),
                ),
            );
        }
    }
    for d in &req.documents {
        if !p.documents.iter().any(|x| x.name == d.name) {
            push(
                "documents",
                problem("Giấy tờ không thuộc thủ tục này", "A document not of this procedure"),
            );
        }
    }
}

/// A draft as the app saves it: `PUT /drafts/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DraftBody {
    pub procedure: String,
    /// The wizard's state, as the app keeps it (opaque to the portal).
    pub data: serde_json::Value,
}

/// A draft as the portal keeps it; in lists, without its data (`null`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Draft {
    pub id: String,
    pub procedure: String,
    #[serde(default)]
    pub data: serde_json::Value,
    /// Unix seconds.
    pub updated_at: i64,
}

/// What a dossier asks for, as officers and lists show it: the citizen's
/// words, or, when an e-form said it, the form's title ("Tờ khai đăng ký
/// khai sinh").
pub fn stated_request(req: &SubmitRequest) -> String {
    let own = req.request.trim();
    if !own.is_empty() {
        return own.to_string();
    }
    crate::eform::for_procedure(&req.procedure)
        .map(|f| format!("Theo {}", f.title.0.to_lowercase()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authorisation_is_needed_of_all_but_the_close_family_it_exempts() {
        let civil = "Văn bản ủy quyền (khi người khác nộp thay, trừ ông, bà, cha, mẹ, con, vợ, chồng, anh chị em ruột)";
        assert!(authorisation_needed(civil, "Đoàn viên, tình nguyện viên"));
        assert!(authorisation_needed(civil, "Người khác (hàng xóm, người quen)"));
        assert!(authorisation_needed(civil, "Cháu"));
        assert!(authorisation_needed(civil, ""));
        assert!(!authorisation_needed(civil, "Cha, mẹ"));
        assert!(!authorisation_needed(civil, "con trai"));
        assert!(!authorisation_needed(civil, "Anh, chị, em ruột"));
        // The document's own list: grandparents are not exempt here.
        let narrow = "Văn bản ủy quyền (khi ủy quyền nộp thay, trừ cha, mẹ, vợ, chồng, con)";
        assert!(authorisation_needed(narrow, "Ông, bà"));
        assert!(!authorisation_needed(narrow, "Vợ, chồng"));
        // No list: the close family of the civil-status rule.
        let plain = "Văn bản ủy quyền có chứng thực (khi nhờ người khác đăng ký thay)";
        assert!(authorisation_needed(plain, "Đoàn viên, tình nguyện viên"));
        assert!(!authorisation_needed(plain, "Ông, bà"));
        // Not an authorisation to file.
        let business = "Văn bản ủy quyền cho thành viên làm chủ hộ kinh doanh (nếu có)";
        assert!(!authorisation_needed(business, "Đoàn viên, tình nguyện viên"));
        assert!(!authorisation_needed("Giấy chứng sinh", "Người khác (hàng xóm, người quen)"));
    }

    #[test]
    fn codes_follow_the_circular() {
        let day = Date { year: 2023, month: 10, day: 27 };
        assert_eq!(dossier_code("000.00.06.H56", day, 361), "000.00.06.H56-231027-0361");
        assert_eq!(dossier_code("000.05.37.H37", day, 12345), "000.05.37.H37-231027-12345");
        assert_eq!(
            parse_dossier_code("000.00.06.H56-231027-0361"),
            Some(("000.00.06.H56", "231027", 361))
        );
        for bad in [
            "",
            "abc",
            "000.00.06.H56-2310-0361",
            "000.00.06.H56-231027-36",
            "x/y-231027-0001",
            "-231027-0001",
        ] {
            assert_eq!(parse_dossier_code(bad), None, "{bad}");
        }
    }
}
