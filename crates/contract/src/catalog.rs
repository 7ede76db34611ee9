//! Catalog types: administrative units, fields (lĩnh vực) and procedures.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Level of government that carries a procedure out (two levels since 1 July 2025).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Cấp tỉnh.
    Province,
    /// Cấp xã (xã, phường, đặc khu).
    Commune,
    /// Cấp bộ / trung ương (in the national catalog; not done at the one-stop desk).
    Central,
    /// Another body (courts, notaries, representative missions…).
    Other,
}

impl Level {
    pub fn vi(self) -> &'static str {
        match self {
            Level::Province => "Cấp tỉnh",
            Level::Commune => "Cấp xã",
            Level::Central => "Cấp bộ",
            Level::Other => "Cơ quan khác",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Level::Province => "Province",
            Level::Commune => "Commune",
            Level::Central => "Ministry",
            Level::Other => "Other body",
        }
    }
}

/// Which case of a paper a procedure is for, as its name says: what tells
/// near-twins apart on a result card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    First,
    Reissue,
    Exchange,
}

impl Case {
    /// From the procedure's name ("Cấp lại…", "Cấp đổi…", "…lần đầu"); none
    /// when it does not say.
    pub fn of(name: &str) -> Option<Case> {
        let name = format!(" {} ", crate::text::fold(name));
        let has = |p: &str| name.contains(p);
        if has(" cap lai ") || has(" dang ky lai ") {
            Some(Case::Reissue)
        } else if has(" cap doi ") || name.starts_with(" doi ") {
            Some(Case::Exchange)
        } else if has(" lan dau ") {
            Some(Case::First)
        } else {
            None
        }
    }
    pub fn vi(self) -> &'static str {
        match self {
            Case::First => "Lần đầu",
            Case::Reissue => "Cấp lại",
            Case::Exchange => "Cấp đổi",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Case::First => "First issue",
            Case::Reissue => "Re-issue",
            Case::Exchange => "Exchange",
        }
    }
}

/// Online level per Nghị định 42/2022/NĐ-CP.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnlineLevel {
    /// Toàn trình: the whole procedure can be done online.
    Full,
    /// Một phần: submit online, but something is done in person (e.g. collect the result).
    Partial,
    /// Not offered online; in person or by post only.
    None,
}

impl OnlineLevel {
    pub fn can_submit_online(self) -> bool {
        !matches!(self, OnlineLevel::None)
    }
}

/// How a dossier reaches the agency (national numbering: 1, 2, 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 1 — trực tiếp.
    InPerson,
    /// 2 — trực tuyến.
    Online,
    /// 3 — bưu chính công ích.
    Post,
}

impl Channel {
    pub fn number(self) -> u8 {
        match self {
            Channel::InPerson => 1,
            Channel::Online => 2,
            Channel::Post => 3,
        }
    }
    pub fn vi(self) -> &'static str {
        match self {
            Channel::InPerson => "Trực tiếp",
            Channel::Online => "Trực tuyến",
            Channel::Post => "Bưu chính công ích",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Channel::InPerson => "In person",
            Channel::Online => "Online",
            Channel::Post => "Public postal service",
        }
    }
}

/// Kind of administrative unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Province,
    /// Phường.
    Ward,
    /// Xã.
    Commune,
    /// Đặc khu.
    SpecialZone,
}

/// A province or commune-level unit, with the code of its receiving agency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Unit {
    /// Agency code used as the first part of dossier codes, e.g. `000.00.00.H37`.
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    /// Code of the parent unit (the province) for communes.
    pub parent: Option<String>,
    /// Address of the one-stop desk.
    pub address: String,
    /// Opening hours of the desk, as people say them.
    #[serde(default)]
    pub hours: String,
    /// The desk's telephone, as people dial it (empty when not known).
    #[serde(default)]
    pub phone: String,
}

impl Unit {
    /// The desk as people name it: "Trung tâm Phục vụ hành chính công tỉnh
    /// Lạng Sơn" for the province, "Bộ phận Một cửa UBND xã Đồng Đăng" for
    /// a commune or ward.
    pub fn desk_name(&self) -> String {
        let mut chars = self.name.chars();
        let lower: String =
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
        match self.kind {
            UnitKind::Province => format!("Trung tâm Phục vụ hành chính công {lower}"),
            _ => format!("Bộ phận Một cửa UBND {lower}"),
        }
    }
}

/// A field (lĩnh vực) and how many procedures it has.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Field {
    pub name: String,
    pub count: u32,
}

/// Time and fee of one channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ChannelTerms {
    pub channel: Channel,
    /// Processing time in words, e.g. "3 ngày làm việc".
    pub time: String,
    /// Fee in words, e.g. "Miễn phí" or "10.000 đồng".
    pub fee: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One document the applicant must bring or attach.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RequiredDocument {
    pub name: String,
    /// Number of originals (bản chính).
    pub originals: u8,
    /// Number of copies (bản sao).
    pub copies: u8,
    /// Form template, e.g. "Mẫu CT01".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<String>,
    /// Whether it is only needed in some cases.
    #[serde(default)]
    pub conditional: bool,
}

/// The compact record the search index is built from (one per procedure).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProcedureSummary {
    pub code: String,
    pub name: String,
    pub field: String,
    pub levels: Vec<Level>,
    pub online: OnlineLevel,
    /// Short processing time, e.g. "Trong ngày".
    pub time: String,
    /// Short fee, e.g. "Miễn phí".
    pub fee: String,
    /// How often it is used (dossiers a year, or a rank); ties in search are broken by it.
    pub popularity: u32,
}

/// A procedure in full, in the order a citizen reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub field: String,
    pub levels: Vec<Level>,
    pub online: OnlineLevel,
    /// Implementing agency (cơ quan thực hiện).
    pub agency: String,
    /// Where to go in person.
    pub place: String,
    /// Who may apply (đối tượng thực hiện).
    pub applicants: String,
    pub time: String,
    /// Legal processing time in working days when it is a plain number (0 = same day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_days: Option<u16>,
    pub fee: String,
    pub channels: Vec<ChannelTerms>,
    pub documents: Vec<RequiredDocument>,
    pub steps: Vec<String>,
    pub result: String,
    pub requirements: String,
    pub legal_basis: Vec<String>,
    pub popularity: u32,
    /// Unstructured text kept from an imported record whose table could not be split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channels_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents_text: Option<String>,
}

impl Procedure {
    /// The fee of filing online: the online channel's where it has its
    /// own (often lower, e.g. 10,000đ instead of 20,000đ), else the fee.
    pub fn online_fee(&self) -> &str {
        self.channels
            .iter()
            .find(|c| c.channel == Channel::Online)
            .map_or(self.fee.as_str(), |c| c.fee.as_str())
    }

    pub fn summary(&self) -> ProcedureSummary {
        ProcedureSummary {
            code: self.code.clone(),
            name: self.name.clone(),
            field: self.field.clone(),
            levels: self.levels.clone(),
            online: self.online,
            time: self.time.clone(),
            fee: self.fee.clone(),
            popularity: self.popularity,
        }
    }
}

/// The fee for `copies` copies of the result when the fee is a plain price
/// per copy ("8.000 đồng/bản sao", "8.000 đồng/bản"): the total, with how
/// it is made ("16.000 đồng (2 bản × 8.000 đồng)"). `None` for any other
/// fee (free, per page, per document, several prices), shown as written.
pub fn fee_for_copies(fee: &str, copies: u8) -> Option<String> {
    let (amount, per) = fee.trim().split_once(" đồng/")?;
    if !matches!(per.trim(), "bản" | "bản sao" | "bản chính" | "bản trích lục") {
        return None;
    }
    if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let each: u64 = amount.replace('.', "").parse().ok()?;
    let total = each.checked_mul(u64::from(copies))?;
    Some(format!(
        "{} đồng ({copies} bản × {} đồng)",
        crate::text::grouped(total, '.'),
        crate::text::grouped(each, '.')
    ))
}

/// What a procedure's text says when its fee is paid as the dossier is
/// filed, not asked for later (status 6): the national catalog writes
/// "nộp lệ phí … tại thời điểm nộp hồ sơ" and the like.
const PAID_ON_FILING: &[&str] = &[
    "tại thời điểm nộp hồ sơ",
    "nộp lệ phí khi nộp hồ sơ",
    "nộp phí khi nộp hồ sơ",
    "nộp phí, lệ phí khi nộp hồ sơ",
    "thu lệ phí khi tiếp nhận hồ sơ",
];

/// The fee to pay when filing `copies` copies online, in đồng: when the
/// procedure's text says its fee is paid on filing and the fee is one
/// plain amount (per time, case, document, or per copy × copies; the
/// online price where one is given). `None` otherwise — free, per page,
/// set by the province, or paid later when asked.
pub fn fee_on_filing(p: &Procedure, copies: u8) -> Option<u64> {
    let said = std::iter::once(p.fee.as_str())
        .chain([p.requirements.as_str()])
        .chain(p.steps.iter().map(String::as_str))
        .chain(p.channels.iter().map(|c| c.fee.as_str()))
        .any(|t| {
            let t = t.to_lowercase();
            PAID_ON_FILING.iter().any(|w| t.contains(w))
        });
    if !said {
        return None;
    }
    plain_fee(p.online_fee(), copies)
}

/// One plain amount of a fee text ("20.000 đồng/lần (trực tuyến: 10.000
/// đồng)" is 10,000 online; "8.000 đồng/bản sao" is 8,000 per copy).
fn plain_fee(fee: &str, copies: u8) -> Option<u64> {
    let fee = fee.trim();
    let fee = fee.split_once("trực tuyến:").map_or(fee, |(_, online)| online.trim());
    let (amount, rest) = fee.split_once(" đồng")?;
    if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let each: u64 = amount.replace('.', "").parse().ok().filter(|a| *a > 0)?;
    let unit = rest.strip_prefix('/').unwrap_or("");
    let unit = unit.split(['(', ';', ',', ')']).next().unwrap_or("").trim();
    if rest.contains(';') || unit.starts_with("trang") {
        return None;
    }
    let per_copy = matches!(unit, "bản" | "bản sao" | "bản chính" | "bản trích lục");
    each.checked_mul(if per_copy { u64::from(copies.max(1)) } else { 1 })
}

/// English names of the most used procedures (`data/names-en.tsv`).
const NAMES_EN: &str = include_str!("../data/names-en.tsv");

/// A procedure's English name and the English words that find it, for the
/// most used procedures (`None` for the others: their texts are
/// Vietnamese only). A provincial code (`1.001193.000.00.00.H37`) is its
/// national one's.
pub fn english(code: &str) -> Option<(&'static str, &'static str)> {
    let national = code.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
    NAMES_EN.lines().filter(|l| !l.starts_with('#')).find_map(|l| {
        let mut cols = l.split('\t');
        (cols.next()? == national).then(|| (cols.next().unwrap_or(""), cols.next().unwrap_or("")))
    })
}

/// Words of an English name that say nothing of the procedure (and some
/// that are Vietnamese words once folded: "the" is "thẻ").
const ENGLISH_FILLER: &[&str] =
    &["a", "an", "the", "of", "for", "to", "in", "on", "and", "or", "with", "by", "at", "age"];

/// The folded English words a search should find `code` by (empty when it
/// has no English name).
pub fn english_words(code: &str) -> Vec<String> {
    let Some((name, more)) = english(code) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for w in crate::text::words(&format!("{name} {more}")) {
        if !ENGLISH_FILLER.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Whether `code` looks like a national procedure code (`1.001193`, with an
/// optional provincial suffix such as `1.001193.000.00.00.H37`).
pub fn is_procedure_code(code: &str) -> bool {
    let mut parts = code.split('.');
    let head = parts.next().unwrap_or("");
    let num = parts.next().unwrap_or("");
    !head.is_empty()
        && head.len() <= 2
        && head.bytes().all(|b| b.is_ascii_digit())
        && num.len() == 6
        && num.bytes().all(|b| b.is_ascii_digit())
        && code.len() <= 40
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

mod events;
mod words;
pub use events::{LifeEvent, LIFE_EVENTS, LIFE_EVENT_NAMES};
pub use words::{about_words, other_forms, ABBREVIATIONS};

#[cfg(test)]
mod tests {
    #[test]
    fn a_fee_paid_on_filing_is_one_plain_amount_the_text_says_so() {
        let mut p: Procedure = serde_json::from_value(serde_json::json!({
            "code": "1.004222", "name": "Đăng ký thường trú", "field": "Cư trú", "levels": [],
            "online": "full", "agency": "", "place": "", "applicants": "", "time": "",
            "fee": "20.000 đồng/lần (trực tuyến: 10.000 đồng)", "channels": [], "documents": [],
            "steps": [], "result": "", "requirements": "", "legal_basis": [], "popularity": 0
        }))
        .unwrap();
        assert_eq!(fee_on_filing(&p, 1), None, "the text does not say when");
        p.requirements = "Người đăng ký nộp lệ phí tại thời điểm nộp hồ sơ.".into();
        assert_eq!(fee_on_filing(&p, 1), Some(10_000), "the online price");
        p.fee = "8.000 đồng/bản sao".into();
        assert_eq!(fee_on_filing(&p, 3), Some(24_000));
        for fee in [
            "2.000 đồng/trang; từ trang thứ ba 1.000 đồng/trang",
            "Miễn phí",
            "Theo mức thu do HĐND tỉnh quy định",
            "0 đồng",
        ] {
            p.fee = fee.into();
            assert_eq!(fee_on_filing(&p, 1), None, "{fee}");
        }
        p.fee = "50.000 đồng/hợp đồng, giao dịch".into();
        assert_eq!(fee_on_filing(&p, 2), Some(50_000));
    }

    use super::*;

    #[test]
    fn desks_are_named_as_people_name_them() {
        let unit = |name: &str, kind| Unit {
            code: String::new(),
            name: name.into(),
            kind,
            parent: None,
            address: String::new(),
            hours: String::new(),
            phone: String::new(),
        };
        assert_eq!(
            unit("Xã Đồng Đăng", UnitKind::Commune).desk_name(),
            "Bộ phận Một cửa UBND xã Đồng Đăng"
        );
        assert_eq!(
            unit("Tỉnh Lạng Sơn", UnitKind::Province).desk_name(),
            "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn"
        );
    }

    #[test]
    fn the_most_used_procedures_have_english_names() {
        assert_eq!(english("1.001193").map(|e| e.0), Some("Birth registration"));
        assert_eq!(english("1.001193.000.00.00.H37").map(|e| e.0), Some("Birth registration"));
        assert_eq!(english("9.999999"), None);
        let words = english_words("1.014061");
        assert!(words.contains(&"identity".to_string()) && words.contains(&"card".to_string()));
        assert!(!words.contains(&"the".to_string()) && !words.contains(&"age".to_string()));
        // Twenty at least, each with a name, none twice.
        let codes: Vec<&str> = NAMES_EN
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| l.split('\t').next().unwrap())
            .collect();
        assert!(codes.len() >= 20);
        for c in &codes {
            assert!(is_procedure_code(c), "{c}");
            assert!(!english(c).unwrap().0.is_empty(), "{c}");
            assert_eq!(codes.iter().filter(|x| x == &c).count(), 1, "{c}");
        }
    }

    #[test]
    fn a_fee_per_copy_is_added_up() {
        assert_eq!(
            fee_for_copies("8.000 đồng/bản sao", 2).as_deref(),
            Some("16.000 đồng (2 bản × 8.000 đồng)")
        );
        assert_eq!(
            fee_for_copies("250.000 đồng/bản", 4).as_deref(),
            Some("1.000.000 đồng (4 bản × 250.000 đồng)")
        );
        assert_eq!(fee_for_copies("Miễn phí", 2), None);
        assert_eq!(fee_for_copies("8.000 đồng/văn bản", 2), None);
        assert_eq!(fee_for_copies("2.000 đồng/trang; tối đa 200.000 đồng/bản", 2), None);
    }

    #[test]
    fn procedure_codes() {
        for code in ["1.001193", "2.000815", "1.001193.000.00.00.H37"] {
            assert!(is_procedure_code(code), "{code}");
        }
        for not in ["1.0011", "x.001193", "../etc", ""] {
            assert!(!is_procedure_code(not), "{not:?}");
        }
    }

    #[test]
    fn enums_serialize_as_snake_case() {
        assert_eq!(serde_json::to_string(&Level::Commune).unwrap(), "\"commune\"");
        assert_eq!(serde_json::to_string(&OnlineLevel::Full).unwrap(), "\"full\"");
        assert_eq!(serde_json::to_string(&Channel::InPerson).unwrap(), "\"in_person\"");
        assert_eq!(Channel::Post.number(), 3);
    }
}

#[cfg(test)]
mod about_tests {
    use super::{about_words, Case};

    #[test]
    fn the_case_a_name_is_for() {
        assert_eq!(Case::of("Cấp lại thẻ căn cước"), Some(Case::Reissue));
        assert_eq!(Case::of("Đăng ký lại khai sinh"), Some(Case::Reissue));
        assert_eq!(Case::of("Cấp đổi thẻ căn cước"), Some(Case::Exchange));
        assert_eq!(Case::of("Đổi giấy phép lái xe"), Some(Case::Exchange));
        assert_eq!(
            Case::of("Đăng ký đất đai, cấp Giấy chứng nhận quyền sử dụng đất lần đầu"),
            Some(Case::First)
        );
        assert_eq!(Case::of("Đăng ký khai sinh"), None);
        assert_eq!(Case::of("Thay đổi, cải chính hộ tịch"), None);
    }

    #[test]
    fn about_words_are_what_the_name_does_not_say() {
        let w = about_words(
            "Đăng ký kết hôn",
            "Giấy chứng nhận kết hônMã: KQ.G15.000031Từ khóaKhông có thông tinMô tả",
            "Công dân Việt Nam",
            "Không có",
        );
        assert_eq!(w, ["giay", "chung", "nhan", "cong", "dan", "viet", "nam"].map(String::from));
        assert!(about_words("", &"chữ ".repeat(10), "", "").len() == 1);
    }
}
