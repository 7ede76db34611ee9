//! What search reads of a procedure besides its name: the words of its
//! result, applicants and requirements (`about_words`), and the names'
//! abbreviations both ways (`other_forms`).

/// Words too common in result and requirement texts to tell procedures
/// apart (folded); search's ranking discounts common words too, this only
/// keeps them off the wire.
const COMMON: &[&str] = &[
    "va", "cua", "cac", "cho", "theo", "quy", "dinh", "co", "khong", "thong", "tin", "duoc", "la",
    "nhung", "trong", "ve", "voi", "tai", "mot", "nay", "do", "da", "hoac", "neu", "khi", "de",
    "thi", "ma", "kq", "tu", "khoa", "mo", "ta", "truong", "hop", "phai", "ban", "so",
];

/// Abbreviations the catalog's names use and what they stand for, folded:
/// the national catalog writes "TNLĐ, BNN", "BHXH", "BHYT" in names and
/// seldom spells them out beside them (only BHYT, ODA and GTGT, checked
/// 2026-12-07), so the list is kept here by hand.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("bhxh", "bao hiem xa hoi"),
    ("bhyt", "bao hiem y te"),
    ("bhtn", "bao hiem that nghiep"),
    ("bhtnld", "bao hiem tai nan lao dong"),
    ("tnld", "tai nan lao dong"),
    ("bnn", "benh nghe nghiep"),
    ("kcb", "kham chua benh"),
    ("tnhh", "trach nhiem huu han"),
    ("mtv", "mot thanh vien"),
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("gcn", "giay chung nhan"),
    ("qsdd", "quyen su dung dat"),
    ("cccd", "can cuoc cong dan"),
    ("cmnd", "chung minh nhan dan"),
    ("gplx", "giay phep lai xe"),
    ("thpt", "trung hoc pho thong"),
    ("thcs", "trung hoc co so"),
    ("gtgt", "gia tri gia tang"),
    ("tncn", "thu nhap ca nhan"),
    ("tndn", "thu nhap doanh nghiep"),
    ("nhnn", "ngan hang nha nuoc"),
    ("kbnn", "kho bac nha nuoc"),
    ("dsphsk", "duong suc phuc hoi suc khoe"),
];

/// Number words and their digits (folded): names write "một thành
/// viên", "hai thành viên trở lên", "01 thành viên"; people type either.
const NUMBERS: &[(&str, &str)] = &[
    ("1", "mot"),
    ("2", "hai"),
    ("3", "ba"),
    ("4", "bon"),
    ("5", "nam"),
    ("6", "sau"),
    ("7", "bay"),
    ("8", "tam"),
    ("9", "chin"),
    ("10", "muoi"),
];

/// The other forms of a name's words: each abbreviation it uses spelled
/// out, each phrase it spells out abbreviated, and a number counted in
/// a name ("một thành viên", "02 thành viên") as its digit or its word.
pub fn other_forms(named: &[String]) -> Vec<String> {
    let joined = format!(" {} ", named.join(" "));
    let mut out = Vec::new();
    for (short, long) in ABBREVIATIONS {
        if named.iter().any(|w| w == short) {
            out.push(long.to_string());
        } else if joined.contains(&format!(" {long} ")) {
            out.push(short.to_string());
        }
    }
    // Only where a number counts members ("thành viên"): elsewhere "ba",
    // "nam", "sau" are other words (grandmother, south, after).
    for pair in named.windows(3) {
        if pair[1] != "thanh" || pair[2] != "vien" {
            continue;
        }
        let n = pair[0].trim_start_matches('0');
        for (digit, word) in NUMBERS {
            if n == *digit {
                out.push(word.to_string());
            } else if pair[0] == *word {
                out.push(digit.to_string());
            }
        }
    }
    out
}

/// At most this many words per procedure.
const ABOUT_WORDS: usize = 40;

/// What search matches besides a procedure's name and field: the words of
/// its result (the paper people ask for), who may apply and its
/// requirements (the situation) that the name does not have. Folded,
/// distinct, in reading order, the result's first. Result codes (`Mã:
/// KQ.G15.000031`) and the crawl's page residue after "Từ khóa" are left
/// out, as are words with digits.
pub fn about_words(name: &str, result: &str, applicants: &str, requirements: &str) -> Vec<String> {
    // The crawl runs the result's parts together: "…kết hônMã: KQ.G15…".
    let result = result.split("Từ khóa").next().unwrap_or("").replace("Mã:", " ");
    let named = crate::text::words(name);
    let mut out: Vec<String> = Vec::new();
    for text in [result.as_str(), applicants, requirements] {
        for w in crate::text::words(text) {
            if out.len() == ABOUT_WORDS {
                return out;
            }
            if w.len() >= 2
                && !w.bytes().any(|b| b.is_ascii_digit())
                && !COMMON.contains(&w.as_str())
                && !named.contains(&w)
                && !out.contains(&w)
            {
                out.push(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn abbreviations_in_names_are_found_spelled_out_and_the_other_way() {
        let words = crate::text::words("Giải quyết hưởng chế độ TNLĐ, BNN");
        assert_eq!(super::other_forms(&words), ["tai nan lao dong", "benh nghe nghiep"]);
        let words = crate::text::words("Cấp thẻ bảo hiểm y tế cho trẻ em");
        assert_eq!(super::other_forms(&words), ["bhyt"]);
        let words = crate::text::words("Đăng ký thành lập công ty TNHH một thành viên");
        assert_eq!(super::other_forms(&words), ["trach nhiem huu han", "mtv", "1"]);
        let words = crate::text::words("Công ty có 02 thành viên");
        assert_eq!(super::other_forms(&words), ["hai"]);
        assert!(super::other_forms(&crate::text::words("Đăng ký khai sinh")).is_empty());
    }
}
