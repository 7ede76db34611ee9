//! Dossier codes (Thông tư 01/2018/TT-VPCP, Điều 19): the receiving agency's
//! code, the receipt date as YYMMDD and the day's sequence number at that
//! agency, e.g. `000.00.06.H56-231027-0361`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::validate::Date;

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
        && agency
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.');
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
    /// What is asked for, in the citizen's words.
    pub request: String,
    pub copies: u8,
    #[serde(default)]
    pub notes: String,
    pub documents: Vec<AttachedDocument>,
    pub delivery: Delivery,
    /// The server-side draft this came from (deleted once submitted).
    #[serde(default)]
    pub draft: Option<String>,
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
    /// dd/mm/yyyy; empty when there is no plain number of days.
    pub due_date: String,
    pub delivery: Delivery,
    pub fee: String,
    pub status: u8,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_circular() {
        let day = Date {
            year: 2023,
            month: 10,
            day: 27,
        };
        assert_eq!(
            dossier_code("000.00.06.H56", day, 361),
            "000.00.06.H56-231027-0361"
        );
        assert_eq!(
            dossier_code("000.05.37.H37", day, 12345),
            "000.05.37.H37-231027-12345"
        );
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
