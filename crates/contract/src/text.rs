//! Folding Vietnamese text for search: any case, NFC or NFD, with or without
//! diacritics, `đ` → `d`. A hand-written table of the 67 lower-case
//! Vietnamese letters with marks keeps the wasm small (the Unicode
//! normalisation tables would cost far more than this app needs).

/// Lower-case Vietnamese letters with marks, grouped by their base letter.
const FOLDS: &[(char, &str)] = &[
    ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
    ('e', "èéẻẽẹêềếểễệ"),
    ('i', "ìíỉĩị"),
    ('o', "òóỏõọôồốổỗộơờớởỡợ"),
    ('u', "ùúủũụưừứửữự"),
    ('y', "ỳýỷỹỵ"),
    ('d', "đ"),
];

/// The base letter of one lower-case character, if it is a Vietnamese letter with marks.
fn base(c: char) -> Option<char> {
    if c.is_ascii() {
        return None;
    }
    FOLDS.iter().find(|(_, marked)| marked.contains(c)).map(|(b, _)| *b)
}

/// Combining marks (U+0300–U+036F) that NFD input carries separately.
fn is_combining(c: char) -> bool {
    ('\u{0300}'..='\u{036f}').contains(&c)
}

/// Fold to lower-case ASCII-ish words separated by single spaces.
/// Punctuation becomes a space; letters and digits of other scripts are kept.
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut pending_space = false;
    for c in input.chars() {
        if is_combining(c) {
            continue;
        }
        for lc in c.to_lowercase() {
            let ch = base(lc).unwrap_or(lc);
            if ch.is_alphanumeric() {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(ch);
            } else {
                pending_space = true;
            }
        }
    }
    out
}

/// Vietnamese without its marks, for text messages sent in the GSM
/// alphabet: case, spaces and punctuation kept (`Đã tiếp nhận` → `Da tiep
/// nhan`); other characters outside ASCII become a space.
pub fn unmark(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if is_combining(c) {
            continue;
        }
        let lower = c.to_lowercase().next().unwrap_or(c);
        match base(lower) {
            Some(b) if c.is_uppercase() => out.push(b.to_ascii_uppercase()),
            Some(b) => out.push(b),
            None if c.is_ascii() => out.push(c),
            None => out.push(' '),
        }
    }
    out
}

/// Fold and split into words.
pub fn words(input: &str) -> Vec<String> {
    fold(input).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// `n` with its digits in groups of three, `sep` between them (`1.234.567`
/// in Vietnamese, `1,234,567` in English).
pub fn grouped(n: u64, sep: char) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

const DIGIT_WORDS: [&str; 10] =
    ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// Three digits read aloud; `inner` when a higher group precedes them (so
/// "không trăm" and "linh" are said, as on a receipt's "bằng chữ").
fn three_in_words(n: u64, inner: bool) -> Vec<&'static str> {
    let (h, t, u) = ((n / 100) as usize, (n / 10 % 10) as usize, (n % 10) as usize);
    let mut w = Vec::new();
    if h > 0 || inner {
        w.extend([DIGIT_WORDS[h], "trăm"]);
    }
    match t {
        0 if u > 0 && !w.is_empty() => w.push("linh"),
        0 => {}
        1 => w.push("mười"),
        _ => w.extend([DIGIT_WORDS[t], "mươi"]),
    }
    match u {
        0 => {}
        1 if t >= 2 => w.push("mốt"),
        5 if t >= 1 => w.push("lăm"),
        _ => w.push(DIGIT_WORDS[u]),
    }
    w
}

/// An amount of đồng in words, as a receipt writes it under the figure
/// ("Mười sáu nghìn đồng", "Một triệu không trăm linh năm nghìn đồng").
pub fn dong_in_words(n: u64) -> String {
    const GROUPS: [&str; 7] = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"];
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let mut words: Vec<&str> = Vec::new();
    for (i, g) in groups.iter().enumerate().rev() {
        if *g == 0 {
            continue;
        }
        words.extend(three_in_words(*g, i + 1 < groups.len()));
        if i > 0 {
            words.push(GROUPS[i]);
        }
    }
    if words.is_empty() {
        words.push("không");
    }
    words.push("đồng");
    let text = words.join(" ");
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_a_receipt_writes_them() {
        for (n, w) in [
            (0, "Không đồng"),
            (8_000, "Tám nghìn đồng"),
            (16_000, "Mười sáu nghìn đồng"),
            (15_000, "Mười lăm nghìn đồng"),
            (21_000, "Hai mươi mốt nghìn đồng"),
            (50_000, "Năm mươi nghìn đồng"),
            (105_500, "Một trăm linh năm nghìn năm trăm đồng"),
            (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
            (2_000_015, "Hai triệu không trăm mười lăm đồng"),
            (1_000_000_000, "Một tỷ đồng"),
        ] {
            assert_eq!(dong_in_words(n), w, "{n}");
        }
        assert!(dong_in_words(u64::MAX).ends_with("đồng"));
    }

    #[test]
    fn unmark_keeps_case_and_punctuation() {
        assert_eq!(
            unmark("Đã tiếp nhận: hồ sơ G22.39-261127-0001."),
            "Da tiep nhan: ho so G22.39-261127-0001."
        );
        assert_eq!(unmark("ĐĂNG KÝ · 5 phút"), "DANG KY   5 phut");
        assert_eq!(unmark("Xa\u{0301}c nha\u{0302}\u{0323}n"), "Xac nhan");
    }

    #[test]
    fn folds_nfc() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("CHỨNG THỰC bản sao"), "chung thuc ban sao");
        assert_eq!(fold("Xác nhận tình trạng hôn nhân"), "xac nhan tinh trang hon nhan");
    }

    #[test]
    fn folds_nfd() {
        // "Đăng ký" typed with combining marks (NFD): a + breve + acute ...
        let nfd = "D\u{0110}a\u{0306}ng ky\u{0301}";
        assert_eq!(fold(nfd), "ddang ky");
        assert_eq!(fold("ho\u{0302}\u{0323} nghe\u{0300}o"), "ho ngheo");
    }

    #[test]
    fn punctuation_and_spaces() {
        assert_eq!(fold("  sổ  đỏ, (GCN)!  "), "so do gcn");
        assert_eq!(words("giấy-phép/xây_dựng"), vec!["giay", "phep", "xay", "dung"]);
        assert_eq!(fold(""), "");
    }

    #[test]
    fn every_table_entry_is_lower_case_and_single() {
        for (b, marked) in FOLDS {
            assert!(b.is_ascii_lowercase());
            for c in marked.chars() {
                assert_eq!(c.to_lowercase().next(), Some(c));
            }
        }
        let upper: String = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐ".into();
        assert_eq!(fold(&upper), "aaaaaaaaaaaaaaaaad");
    }
}
