//! Validation written once, used by the app (next to each field) and by the
//! portal (which never trusts the client). Every problem carries a message in
//! Vietnamese and in English that says how to fix the input.

use serde::{Deserialize, Serialize};

/// A validation message in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub vi: String,
    pub en: String,
}

impl Problem {
    pub(crate) fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Problem { vi: vi.into(), en: en.into() }
    }
}

/// A calendar date (validated elsewhere by the caller's calendar).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 0,
    }
}

/// Parse a date typed as dd/mm/yyyy (also accepts `-` or `.` between parts).
pub fn parse_date(input: &str, today: Date) -> Result<Date, Problem> {
    let input = input.trim();
    // Eight digits typed on a phone's number pad: ddmmyyyy.
    let spaced;
    let input = if input.len() == 8 && input.bytes().all(|b| b.is_ascii_digit()) {
        spaced = format!("{}/{}/{}", &input[..2], &input[2..4], &input[4..]);
        spaced.as_str()
    } else {
        input
    };
    let parts: Vec<&str> = input.split(['/', '-', '.']).map(str::trim).collect();
    let bad = || {
        Problem::new(
            "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/09/1990",
            "Enter the date as day/month/year, for example 05/09/1990",
        )
    };
    if parts.len() != 3 || parts[2].len() != 4 {
        return Err(bad());
    }
    let day: u8 = parts[0].parse().map_err(|_| bad())?;
    let month: u8 = parts[1].parse().map_err(|_| bad())?;
    let year: u16 = parts[2].parse().map_err(|_| bad())?;
    if year < 1900 {
        return Err(Problem::new(
            "Năm phải từ 1900 trở đi; kiểm tra lại năm",
            "The year must be 1900 or later; check the year",
        ));
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(Problem::new(
            "Ngày này không có trên lịch; kiểm tra lại ngày và tháng",
            "That date does not exist; check the day and month",
        ));
    }
    let date = Date { year, month, day };
    if date > today {
        return Err(Problem::new(
            "Ngày không được ở tương lai",
            "The date cannot be in the future",
        ));
    }
    Ok(date)
}

/// Check a 12-digit citizen ID (CCCD) and, when known, cross-check it
/// against the date of birth (century/sex digit and year digits).
pub fn citizen_id(input: &str, birth: Option<Date>) -> Result<String, Problem> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::new(
            "Số định danh cá nhân chỉ gồm chữ số",
            "The personal ID number has digits only",
        ));
    }
    let n = digits.len();
    if n != 12 {
        return Err(Problem::new(
            format!("Số định danh cá nhân gồm 12 chữ số; bạn đã nhập {n}"),
            format!("The personal ID number has 12 digits; you entered {n}"),
        ));
    }
    let b = digits.as_bytes();
    let province = (b[0] - b'0') as u16 * 100 + (b[1] - b'0') as u16 * 10 + (b[2] - b'0') as u16;
    if province == 0 || province > 96 {
        return Err(Problem::new(
            "Ba số đầu của số định danh cá nhân là mã tỉnh nơi đăng ký khai sinh (001–096); kiểm tra lại",
            "The first three digits are a province code (001–096); check them",
        ));
    }
    let century_digit = b[3] - b'0';
    if century_digit > 5 {
        return Err(Problem::new(
            "Chữ số thứ 4 của số định danh cá nhân (thế kỷ và giới tính) phải từ 0 đến 5",
            "The 4th digit (century and sex) must be 0 to 5",
        ));
    }
    if let Some(birth) = birth {
        let century = 1900 + (century_digit / 2) as u16 * 100;
        let year = century + ((b[4] - b'0') as u16 * 10 + (b[5] - b'0') as u16);
        if year != birth.year {
            return Err(Problem::new(
                format!("Số định danh cá nhân cho năm sinh {year}, khác với ngày sinh đã nhập; kiểm tra lại"),
                format!("This ID gives birth year {year}, which differs from the date of birth; check both"),
            ));
        }
    }
    Ok(digits)
}

/// Normalise a Vietnamese mobile number to `0xxxxxxxxx`; accepts `+84`, `84`,
/// spaces, dots and dashes.
pub fn phone(input: &str) -> Result<String, Problem> {
    let mut s: String =
        input.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    if let Some(rest) = s.strip_prefix("+84") {
        s = format!("0{rest}");
    } else if s.len() == 11 && s.starts_with("84") {
        s = format!("0{}", &s[2..]);
    }
    if s.is_empty() {
        return Err(Problem::new(
            "Nhập số điện thoại di động, ví dụ 0912 345 678",
            "Enter a mobile number, for example 0912 345 678",
        ));
    }
    if !s.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::new(
            "Số điện thoại chỉ gồm chữ số, ví dụ 0912 345 678",
            "A phone number has digits only, for example 0912 345 678",
        ));
    }
    if s.len() != 10 {
        return Err(Problem::new(
            format!("Số di động gồm 10 chữ số; bạn đã nhập {}", s.len()),
            format!("A mobile number has 10 digits; you entered {}", s.len()),
        ));
    }
    if !matches!(&s[..2], "03" | "05" | "07" | "08" | "09") {
        return Err(Problem::new(
            "Số di động bắt đầu bằng 03, 05, 07, 08 hoặc 09",
            "A mobile number starts with 03, 05, 07, 08 or 09",
        ));
    }
    Ok(s)
}

/// Rules of a password, each reported so the page can tick them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct PasswordRules {
    pub length: bool,
    pub lower: bool,
    pub upper: bool,
    pub digit: bool,
    pub symbol: bool,
}

impl PasswordRules {
    pub fn check(pw: &str) -> Self {
        PasswordRules {
            length: pw.chars().count() >= 8,
            lower: pw.chars().any(char::is_lowercase),
            upper: pw.chars().any(char::is_uppercase),
            digit: pw.chars().any(|c| c.is_ascii_digit()),
            symbol: pw.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace()),
        }
    }
    pub fn all(self) -> bool {
        self.length && self.lower && self.upper && self.digit && self.symbol
    }
}

pub fn password(pw: &str) -> Result<(), Problem> {
    if PasswordRules::check(pw).all() {
        Ok(())
    } else {
        Err(Problem::new(
            "Mật khẩu cần ít nhất 8 ký tự, có chữ thường, chữ hoa, chữ số và ký hiệu",
            "The password needs at least 8 characters with lower case, upper case, a digit and a symbol",
        ))
    }
}

/// Youngest age at which a citizen opens an account on their own (children's
/// dossiers are filed by a parent or guardian).
pub const MIN_ACCOUNT_AGE: u16 = 14;

/// Whole years between `birth` and `today`.
pub fn age(birth: Date, today: Date) -> u16 {
    let years = today.year.saturating_sub(birth.year);
    if (today.month, today.day) < (birth.month, birth.day) {
        years.saturating_sub(1)
    } else {
        years
    }
}

/// A date of birth for an account holder: a real past date, age 14 or more.
pub fn account_birth_date(input: &str, today: Date) -> Result<Date, Problem> {
    let birth = parse_date(input, today)?;
    if age(birth, today) < MIN_ACCOUNT_AGE {
        return Err(Problem::new(
            format!(
                "Cần đủ {MIN_ACCOUNT_AGE} tuổi để tự mở tài khoản; cha, mẹ hoặc người giám hộ nộp hồ sơ thay trẻ em"
            ),
            format!(
                "You must be {MIN_ACCOUNT_AGE} or older to open an account; a parent or guardian files for children"
            ),
        ));
    }
    Ok(birth)
}

/// An optional e-mail address: empty, or `name@domain.tld` without spaces.
pub fn email(input: &str) -> Result<String, Problem> {
    let e = input.trim();
    if e.is_empty() {
        return Ok(String::new());
    }
    let ok = match e.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && e.len() <= 254
                && !e.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(e.to_string())
    } else {
        Err(Problem::new(
            "Địa chỉ thư điện tử có dạng ten@vi-du.vn",
            "An e-mail address looks like name@example.vn",
        ))
    }
}

/// The six digits of a one-time code (spaces allowed between them).
pub fn one_time_code(input: &str) -> Result<String, Problem> {
    let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(Problem::new(
            "Mã xác thực gồm 6 chữ số trong tin nhắn vừa gửi",
            "The code is the 6 digits in the message just sent",
        ))
    }
}

/// Trim and collapse spaces in a person's name; reject digits and symbols.
pub fn full_name(input: &str) -> Result<String, Problem> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Problem::new("Nhập họ và tên", "Enter the full name"));
    }
    if name.chars().any(|c| c.is_ascii_digit()) {
        return Err(Problem::new("Họ và tên không chứa chữ số", "A name cannot contain digits"));
    }
    if !name.chars().all(|c| {
        c.is_alphabetic() || c == ' ' || c == '\u{0300}' || ('\u{0300}'..='\u{036f}').contains(&c)
    }) {
        return Err(Problem::new(
            "Họ và tên chỉ gồm chữ cái và dấu cách",
            "A name has letters and spaces only",
        ));
    }
    if name.chars().count() > 100 {
        return Err(Problem::new(
            "Họ và tên dài quá 100 ký tự",
            "The name is longer than 100 characters",
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date { year: 2026, month: 11, day: 26 };

    #[test]
    fn ages_and_account_birth_dates() {
        let b = Date { year: 2012, month: 11, day: 27 };
        assert_eq!(age(b, TODAY), 13);
        let b14 = Date { day: 26, ..b };
        assert_eq!(age(b14, TODAY), 14);
        assert!(account_birth_date("27/11/2012", TODAY).unwrap_err().vi.contains("14 tuổi"));
        assert_eq!(account_birth_date("26/11/2012", TODAY).unwrap(), b14);
        assert!(account_birth_date("31/02/1990", TODAY).is_err());
        assert!(account_birth_date("01/01/2027", TODAY).is_err());
    }

    #[test]
    fn emails_and_codes() {
        assert_eq!(email("  ").unwrap(), "");
        assert_eq!(email(" an@vi-du.vn ").unwrap(), "an@vi-du.vn");
        for bad in ["an", "an@", "@vi.vn", "an@vn", "an@.vn", "an @vi.vn", "a@b@c.vn"] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(one_time_code(" 123 456 ").unwrap(), "123456");
        for bad in ["12345", "1234567", "12a456", ""] {
            assert!(one_time_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cccd() {
        let born = Date { year: 1990, month: 5, day: 9 };
        assert_eq!(citizen_id("020 090 123456", Some(born)).unwrap(), "020090123456");
        assert_eq!(citizen_id("020190123456", Some(born)).unwrap(), "020190123456");
        let e = citizen_id("02009012345", None).unwrap_err();
        assert_eq!(e.vi, "Số định danh cá nhân gồm 12 chữ số; bạn đã nhập 11");
        assert!(citizen_id("020290123456", Some(born)).unwrap_err().vi.contains("2090"));
        assert!(citizen_id("000090123456", None).is_err());
        assert!(citizen_id("020690123456", None).is_err());
        assert!(citizen_id("02009012345a", None).is_err());
        let kid = Date { year: 2015, month: 1, day: 1 };
        assert!(citizen_id("020215000001", Some(kid)).is_ok());
    }

    #[test]
    fn phones() {
        assert_eq!(phone("0912 345 678").unwrap(), "0912345678");
        assert_eq!(phone("+84 912.345.678").unwrap(), "0912345678");
        assert_eq!(phone("84912345678").unwrap(), "0912345678");
        assert!(phone("0212345678").unwrap_err().vi.contains("03, 05"));
        assert!(phone("091234567").unwrap_err().vi.contains("bạn đã nhập 9"));
        assert!(phone("abc").is_err());
    }

    #[test]
    fn passwords() {
        assert!(password("Abcdef1!").is_ok());
        assert!(password("abcdef1!").is_err());
        let r = PasswordRules::check("Mật khẩu 1");
        assert!(r.length && r.lower && r.upper && r.digit && !r.symbol);
    }

    #[test]
    fn names() {
        assert_eq!(full_name("  Nguyễn   Văn  An ").unwrap(), "Nguyễn Văn An");
        assert!(full_name("An 2").is_err());
        assert!(full_name("<script>").is_err());
        assert!(full_name("   ").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("05/09/1990", TODAY).unwrap(), Date { year: 1990, month: 9, day: 5 });
        assert!(parse_date("31/02/1990", TODAY).is_err());
        assert!(parse_date("29/02/2024", TODAY).is_ok());
        assert!(parse_date("01/01/2030", TODAY).unwrap_err().vi.contains("tương lai"));
        assert!(parse_date("1990-09-05", TODAY).is_err());
    }
}

#[cfg(test)]
mod date_typing_tests {
    use super::*;

    #[test]
    fn dates_typed_on_a_number_pad_and_old_years_are_said_plainly() {
        let today = Date { year: 2026, month: 12, day: 7 };
        assert_eq!(parse_date("15011990", today), Ok(Date { year: 1990, month: 1, day: 15 }));
        assert_eq!(parse_date(" 05091990 ", today), Ok(Date { year: 1990, month: 9, day: 5 }));
        assert!(parse_date("31021990", today).unwrap_err().vi.contains("không có trên lịch"));
        let old = parse_date("01/01/1890", today).unwrap_err();
        assert!(old.vi.contains("1900") && !old.vi.contains("không có trên lịch"), "{old:?}");
        assert!(parse_date("1501199", today).is_err());
    }
}

pub use crate::passwords::{guessable_password, PersonalData, LOCAL_WORDS};
