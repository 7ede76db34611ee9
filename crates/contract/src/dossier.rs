//! Dossier codes (Thông tư 01/2018/TT-VPCP, Điều 19): the receiving agency's
//! code, the receipt date as YYMMDD and the day's sequence number at that
//! agency, e.g. `000.00.06.H56-231027-0361`.

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
