//! Tracking a dossier: what the status page shows, whether it is on time,
//! and the citizen's answers (supplement, withdrawal, rating).

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::status::DossierStatus;
use crate::validate::Date;

/// One change of status, as the timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HistoryEntry {
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 1, maximum = 10))]
    pub status: DossierStatus,
    /// dd/mm/yyyy HH:MM (Vietnam time).
    pub at: String,
    /// The officer's public note (what to bring, why it stopped…), or the
    /// citizen's own words, which only the owner sees.
    pub note: String,
    /// At status 6: the amount to pay, in đồng.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<u64>,
    /// `true` when the citizen made this change (supplement, withdrawal).
    #[serde(default)]
    pub by_citizen: bool,
}

/// Whether a dossier is, or was, dealt with within its legal time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Still in hand, due date not passed.
    InTime,
    /// Still in hand, due date passed.
    Overdue,
    /// Resolved before the due date.
    Early,
    /// Resolved on the due date.
    OnTime,
    /// Resolved after the due date.
    Late,
}

impl Timeliness {
    pub fn vi(self) -> &'static str {
        match self {
            Timeliness::InTime => "Trong hạn",
            Timeliness::Overdue => "Quá hạn",
            Timeliness::Early => "Xong trước hạn",
            Timeliness::OnTime => "Xong đúng hạn",
            Timeliness::Late => "Xong quá hạn",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Timeliness::InTime => "Within time",
            Timeliness::Overdue => "Overdue",
            Timeliness::Early => "Resolved early",
            Timeliness::OnTime => "Resolved on time",
            Timeliness::Late => "Resolved late",
        }
    }
    /// On time or better (for statistics and the badge's colour).
    pub fn is_good(self) -> bool {
        !matches!(self, Timeliness::Overdue | Timeliness::Late)
    }
}

/// On time or not: `resolved` is the day the dossier reached "Đã xử lý
/// xong" (9), if it has; `today` counts while it is still in hand. Dossiers
/// not accepted, stopped or withdrawn have no such judgement, nor do
/// procedures with no plain number of days (`due` is `None`).
pub fn timeliness(
    status: DossierStatus,
    due: Option<Date>,
    resolved: Option<Date>,
    today: Date,
) -> Option<Timeliness> {
    use DossierStatus::*;
    let due = due?;
    match (status, resolved) {
        (Rejected | Stopped | WithdrawalRequested, _) => None,
        (_, Some(done)) => Some(match done.cmp(&due) {
            std::cmp::Ordering::Less => Timeliness::Early,
            std::cmp::Ordering::Equal => Timeliness::OnTime,
            std::cmp::Ordering::Greater => Timeliness::Late,
        }),
        (Resolved | Returned, None) => None,
        (_, None) if today > due => Some(Timeliness::Overdue),
        (_, None) => Some(Timeliness::InTime),
    }
}

/// `dd/mm/yyyy` (and anything after it) to a date; see [`crate::time`].
pub use crate::time::parse_dmy as parse_date;

/// The citizen's satisfaction, on the national portal's three levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    VerySatisfied,
    Satisfied,
    Dissatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] =
        [Satisfaction::VerySatisfied, Satisfaction::Satisfied, Satisfaction::Dissatisfied];
    pub fn vi(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "Rất hài lòng",
            Satisfaction::Satisfied => "Hài lòng",
            Satisfaction::Dissatisfied => "Không hài lòng",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "Very satisfied",
            Satisfaction::Satisfied => "Satisfied",
            Satisfaction::Dissatisfied => "Not satisfied",
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "very_satisfied",
            Satisfaction::Satisfied => "satisfied",
            Satisfaction::Dissatisfied => "dissatisfied",
        }
    }
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.slug() == s)
    }
}

/// A rating given once per dossier, after it is resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Rating {
    pub level: Satisfaction,
    #[serde(default)]
    pub comment: String,
}

/// Rating may be given once the dossier is resolved (9) or returned (10).
pub fn can_rate(status: DossierStatus) -> bool {
    matches!(status, DossierStatus::Resolved | DossierStatus::Returned)
}

/// A withdrawal may be asked for while the dossier is still in hand.
pub fn can_withdraw(status: DossierStatus) -> bool {
    status.can_move_to(DossierStatus::WithdrawalRequested)
}

/// How "Hồ sơ của tôi" groups dossiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// The citizen must act: documents (5) or payment (6).
    NeedsYou,
    /// With the officers: 1, 2, 4, 7.
    InHand,
    /// Nothing more will happen: 3, 8, 9, 10.
    Finished,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::NeedsYou, Group::InHand, Group::Finished];
    pub fn of(status: DossierStatus) -> Group {
        use DossierStatus::*;
        match status {
            SupplementRequested | PaymentRequested => Group::NeedsYou,
            Registered | Accepted | Processing | WithdrawalRequested => Group::InHand,
            Rejected | Stopped | Resolved | Returned => Group::Finished,
        }
    }
    pub fn slug(self) -> &'static str {
        match self {
            Group::NeedsYou => "can-xu-ly",
            Group::InHand => "dang-giai-quyet",
            Group::Finished => "da-ket-thuc",
        }
    }
    pub fn from_slug(s: &str) -> Option<Group> {
        Self::ALL.into_iter().find(|g| g.slug() == s)
    }
}

/// What the status page shows. The public view (code + the owner's ID
/// number, or code + the QR's token) has no personal data; `owner` is set
/// when the signed-in owner asks, who may then act on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Tracking {
    pub code: String,
    /// The QR's token: lets the app keep a link that works without signing in.
    pub token: String,
    pub procedure_code: String,
    pub procedure_name: String,
    pub agency_name: String,
    /// dd/mm/yyyy HH:MM.
    pub received_at: String,
    /// dd/mm/yyyy; empty when the procedure gives no plain number of days.
    pub due_date: String,
    pub fee: String,
    #[cfg_attr(feature = "openapi", schema(value_type = u8, minimum = 1, maximum = 10))]
    pub status: DossierStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeliness: Option<Timeliness>,
    /// Oldest first.
    pub history: Vec<HistoryEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    pub owner: bool,
    /// When the portal answered (dd/mm/yyyy HH:MM).
    pub updated_at: String,
    /// How many electronic results the dossier has (anyone with its link
    /// may know one exists)…
    #[serde(default)]
    pub result_count: u32,
    /// How the result is handed over: `online`, `office` (at the desk) or
    /// `post` — never the address.
    #[serde(default)]
    pub pickup: String,
    /// …and the results themselves, for their owner only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<crate::dossier::ResultFile>,
    /// Where the status comes from, when the province's back office keeps
    /// the dossier (none when this portal does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_office: Option<BackOfficeNews>,
    /// The fee paid online, or being paid (the latest attempt): nothing
    /// personal, so shown to whoever may see the status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<Payment>,
    /// The fee to pay online now, in đồng: at status 6 the amount asked;
    /// on filing, where the catalog says the fee is paid then; none once
    /// paid, or when nothing is to be paid now.
    #[serde(default)]
    pub fee_due: Option<u64>,
    /// This portal takes the fee online (through the payment platform).
    #[serde(default)]
    pub pay_online: bool,
}

/// Where a payment through the national payment platform stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// Sent to the platform; its answer has not come yet.
    Pending,
    Paid,
    /// The bank refused or the payer cancelled: may be tried again.
    Failed,
}

/// A payment of a dossier's fee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Payment {
    pub state: PaymentState,
    /// In đồng.
    pub amount: u64,
    /// Our reference at the platform (MaThamChieu).
    pub reference: String,
    /// dd/mm/yyyy HH:MM, once paid.
    #[serde(default)]
    pub paid_at: String,
    /// The platform's transaction code (MaGiaoDich), once paid.
    #[serde(default)]
    pub transaction: String,
    /// The bank or wallet it was paid through (MaNganHang).
    #[serde(default)]
    pub bank: String,
    /// Why it failed, in plain words (Vietnamese / English).
    #[serde(default)]
    pub reason: String,
    /// The e-receipt (biên lai điện tử) issued for it, once paid.
    #[serde(default)]
    pub receipt: Option<EReceipt>,
}

/// An electronic receipt of a fee paid (biên lai điện tử): numbered in
/// its series, issued by the agency the dossier was filed with, for the
/// procedure's fee, on the day it was paid (the status page's
/// `agency_name`, `procedure_name` and the payment's `paid_at`, `amount`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct EReceipt {
    /// Ký hiệu: the series it is numbered in.
    pub series: String,
    /// Số: its number in the series, seven digits.
    pub number: String,
    /// Who paid: the applicant's full name to whoever may see their
    /// details; initials to whoever else holds the link.
    pub payer: String,
    /// The amount in words (bằng chữ).
    pub in_words: String,
}

/// A payment attempt as officers see it (`GET /officer/dossiers/{code}/payments`,
/// `portal officer payments`): every attempt, failed ones too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OfficerPayment {
    /// Our reference at the platform (MaThamChieu).
    pub reference: String,
    /// In đồng.
    pub amount: u64,
    pub state: PaymentState,
    /// dd/mm/yyyy HH:MM.
    pub created_at: String,
    /// dd/mm/yyyy HH:MM once paid or failed; empty while pending.
    pub settled_at: String,
    /// The platform's transaction code (MaGiaoDich), once paid.
    pub transaction: String,
    pub bank: String,
    pub reason: String,
    /// The e-receipt's series and number ("MC26 0000012"), once paid.
    pub receipt: String,
    /// When the province's back office was told of it (empty: not yet, or
    /// this portal keeps the dossier itself).
    pub reported_at: String,
}

/// A payment begun: where the payer goes to pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PaymentStart {
    pub reference: String,
    pub amount: u64,
    /// The platform's page for this payment.
    pub pay_url: String,
}

/// Who asks to pay, when not signed in: the QR link's token and the
/// applicant's ID number (the check tracking lookups already make).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PayAsk {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub citizen_id: String,
}

/// What the back office has said of a dossier it keeps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BackOfficeNews {
    /// Still on its way to the one-stop desk's system: the status shown is
    /// this portal's, not yet confirmed there.
    pub on_its_way: bool,
    /// When the back office last confirmed the status (dd/mm/yyyy HH:MM);
    /// empty before it first did.
    pub confirmed_at: String,
}

impl BackOfficeNews {
    /// The line the status page shows, in Vietnamese.
    pub fn vi(&self) -> String {
        if self.on_its_way {
            "Hồ sơ đang được chuyển đến Bộ phận Một cửa; trạng thái trên là của Cổng dịch vụ công, \
             sẽ cập nhật khi Bộ phận Một cửa nhận được. Bạn không cần nộp lại."
                .into()
        } else if self.confirmed_at.is_empty() {
            "Bộ phận Một cửa đã nhận hồ sơ.".into()
        } else {
            format!("Bộ phận Một cửa xác nhận trạng thái lúc {}.", self.confirmed_at)
        }
    }

    /// The same, in English.
    pub fn en(&self) -> String {
        if self.on_its_way {
            "The dossier is on its way to the one-stop desk; the status above is the portal's and \
             will update once the desk has it. You do not need to file again."
                .into()
        } else if self.confirmed_at.is_empty() {
            "The one-stop desk has the dossier.".into()
        } else {
            format!("The one-stop desk confirmed this status at {}.", self.confirmed_at)
        }
    }
}

impl Tracking {
    /// The entry that put the dossier in its current status.
    pub fn latest(&self) -> Option<&HistoryEntry> {
        self.history.iter().rev().find(|h| h.status == self.status)
    }
}

/// Public lookup by dossier code and the owner's citizen ID number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LookupRequest {
    pub code: String,
    pub citizen_id: String,
}

/// The documents asked for at status 5, sent by the owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SupplementRequest {
    /// Ids of files uploaded with `POST /files`.
    pub files: Vec<String>,
    #[serde(default)]
    pub note: String,
}

/// A resident proves a dossier filed for them is theirs: the claim code
/// from the receipt (or the text sent to the phone given at filing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClaimRequest {
    pub claim_code: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WithdrawRequest {
    #[serde(default)]
    pub reason: String,
}

/// The status page's path before the dossier code: written once, read by
/// the app's router, the portal's first paint, the receipts' QR codes and
/// the texts sent to applicants.
pub const STATUS_PATH: &str = "/tra-cuu/";
/// The query parameter that carries the tracking token.
pub const TOKEN_PARAM: &str = "t";

/// The status page of a dossier, with its token when one is given: what a
/// receipt's QR code opens.
pub fn status_link(code: &str, token: &str) -> String {
    if token.is_empty() {
        format!("{STATUS_PATH}{code}")
    } else {
        format!("{STATUS_PATH}{code}?{TOKEN_PARAM}={token}")
    }
}

/// Where a tracking link (as a QR code or a barcode scanner gives it) or a
/// typed code points: the dossier code and, if present, its token.
pub fn parse_tracking_text(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    let rest = match text.find(STATUS_PATH) {
        Some(i) => &text[i + STATUS_PATH.len()..],
        None => text,
    };
    let (code, query) = rest.split_once('?').unwrap_or((rest, ""));
    // Typed on a phone: spaces around the dashes, a keyboard's long dash.
    let code: String = code
        .trim_end_matches('/')
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    crate::dossier::parse_dossier_code(&code)?;
    let token = query
        .split('&')
        .find_map(|kv| kv.strip_prefix(TOKEN_PARAM)?.strip_prefix('='))
        .filter(|t| t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or("")
        .to_string();
    Some((code, token))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DossierStatus::*;

    #[test]
    fn typed_codes_forgive_spaces_and_long_dashes() {
        let want = Some(("000.00.06.H37-261126-0001".to_string(), String::new()));
        assert_eq!(parse_tracking_text("000.00.06.h37 - 261126 - 0001"), want);
        assert_eq!(parse_tracking_text(" 000.00.06.H37–261126—0001 "), want);
        assert_eq!(parse_tracking_text("000.00.06.H37 261126 0001"), None);
    }

    fn d(day: u8) -> Date {
        Date { year: 2026, month: 12, day }
    }

    #[test]
    fn in_hand_is_in_time_until_the_due_day_passes() {
        assert_eq!(timeliness(Processing, Some(d(10)), None, d(9)), Some(Timeliness::InTime));
        assert_eq!(timeliness(Processing, Some(d(10)), None, d(10)), Some(Timeliness::InTime));
        assert_eq!(
            timeliness(SupplementRequested, Some(d(10)), None, d(11)),
            Some(Timeliness::Overdue)
        );
    }

    #[test]
    fn resolved_is_judged_by_the_day_it_was_resolved() {
        for (done, want) in
            [(9, Timeliness::Early), (10, Timeliness::OnTime), (11, Timeliness::Late)]
        {
            // Today no longer matters once resolved.
            assert_eq!(timeliness(Resolved, Some(d(10)), Some(d(done)), d(28)), Some(want));
            assert_eq!(timeliness(Returned, Some(d(10)), Some(d(done)), d(28)), Some(want));
        }
    }

    #[test]
    fn no_judgement_without_a_due_date_or_for_dossiers_not_dealt_with() {
        assert_eq!(timeliness(Processing, None, None, d(1)), None);
        for s in [Rejected, Stopped, WithdrawalRequested] {
            assert_eq!(timeliness(s, Some(d(10)), None, d(20)), None);
        }
    }

    #[test]
    fn dates_parse_from_receipt_text() {
        assert_eq!(parse_date("05/12/2026 14:30"), Some(d(5)));
        assert_eq!(parse_date("05/12/2026"), Some(d(5)));
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("5/12/2026"), None);
    }

    #[test]
    fn ratings_and_withdrawals_follow_the_status() {
        for s in DossierStatus::ALL {
            assert_eq!(can_rate(s), matches!(s, Resolved | Returned), "{s:?}");
        }
        assert!(can_withdraw(Registered));
        assert!(can_withdraw(Processing));
        assert!(can_withdraw(SupplementRequested));
        assert!(!can_withdraw(Resolved));
        assert!(!can_withdraw(WithdrawalRequested));
        for l in Satisfaction::ALL {
            assert_eq!(Satisfaction::from_slug(l.slug()), Some(l));
        }
    }

    #[test]
    fn every_status_has_one_group() {
        let needs: Vec<u8> = DossierStatus::ALL
            .into_iter()
            .filter(|s| Group::of(*s) == Group::NeedsYou)
            .map(|s| s.number())
            .collect();
        assert_eq!(needs, vec![5, 6]);
        let done: Vec<u8> = DossierStatus::ALL
            .into_iter()
            .filter(|s| Group::of(*s) == Group::Finished)
            .map(|s| s.number())
            .collect();
        assert_eq!(done, vec![3, 8, 9, 10]);
        for g in Group::ALL {
            assert_eq!(Group::from_slug(g.slug()), Some(g));
        }
    }

    #[test]
    fn tracking_text_from_links_codes_and_scanners() {
        let code = "H37.01-261126-0001";
        assert_eq!(
            parse_tracking_text(&format!("https://x.gov.vn/tra-cuu/{code}?t=ab12")),
            Some((code.to_string(), "ab12".to_string()))
        );
        assert_eq!(
            parse_tracking_text(&format!(" {} ", code.to_lowercase())),
            Some((code.to_string(), String::new()))
        );
        // A token that is not hex is dropped, not passed on.
        assert_eq!(
            parse_tracking_text(&format!("/tra-cuu/{code}?t=<x>")),
            Some((code.to_string(), String::new()))
        );
        assert_eq!(parse_tracking_text("hello"), None);
    }

    #[test]
    fn the_status_link_reads_back() {
        let code = "000.05.37.H37-261127-0001";
        assert_eq!(status_link(code, ""), format!("/tra-cuu/{code}"));
        let link = status_link(code, "ab12");
        assert_eq!(link, format!("/tra-cuu/{code}?t=ab12"));
        assert_eq!(parse_tracking_text(&link), Some((code.to_string(), "ab12".to_string())));
    }
}
