//! Passwords anyone who knows the person, or anyone at all, would try
//! first: the person's own data, local words with a year, keyboard runs.
//! Checked after [`crate::validate::password`]'s rules; re-exported there.

use crate::validate::Problem;

/// What a password must not be made of: who the person is.
#[derive(Clone, Debug, Default)]
pub struct PersonalData<'a> {
    pub full_name: &'a str,
    /// `dd/mm/yyyy`.
    pub birth_date: &'a str,
    pub citizen_id: &'a str,
    pub phone: &'a str,
}

/// Words anyone here would try first: the province, the service, the
/// country, "password" in Vietnamese, love words.
pub const LOCAL_WORDS: &[&str] = &[
    "langson",
    "motcua",
    "dichvucong",
    "dvc",
    "vneid",
    "cccd",
    "cancuoc",
    "congdan",
    "vietnam",
    "hanoi",
    "saigon",
    "matkhau",
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "yeuanh",
    "tinhyeu",
    "xinchao",
    "password",
    "admin",
    "qwerty",
];

/// Keyboard rows, left to right, as people type runs along them.
const ROWS: &[&str] =
    &["qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890", "abcdefghijklmnopqrstuvwxyz"];

/// Why a password is guessable, if it is: it holds the phone number or the
/// ID number, or once the person's own data (name, birth date), local
/// words, years, keyboard runs, sequences and repeats are taken out, fewer
/// than two characters are left. Checked after [`password`]'s rules.
pub fn guessable_password(pw: &str, me: &PersonalData) -> Option<Problem> {
    let folded: String = crate::text::fold(pw).chars().filter(|c| c.is_alphanumeric()).collect();
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (phone, id) = (digits(me.phone), digits(me.citizen_id));
    let phone_tail = phone.strip_prefix('0').unwrap_or(&phone).to_string();
    let has = |part: &str| part.len() >= 8 && folded.contains(part);
    if has(&phone) || has(&phone_tail) || has(&id) || (id.len() == 12 && has(&id[6..])) {
        return Some(Problem::new(
            "Mật khẩu không được chứa số điện thoại hay số định danh cá nhân của bạn: người khác biết các số này. Hãy chọn một câu dễ nhớ với bạn, ví dụ: Nha-toi#o-Ky-Lua",
            "The password must not hold your phone or ID number: others know them. Choose a phrase you remember, e.g. My-home#in-Ky-Lua",
        ));
    }
    // The person's words: each part of the name and the name run together,
    // and the birth date as people write it.
    let mut own: Vec<String> =
        crate::text::words(me.full_name).into_iter().filter(|w| w.len() >= 2).collect();
    own.push(own.concat());
    let b: Vec<&str> = me.birth_date.split('/').collect();
    if let [d, m, y] = b[..] {
        own.extend([format!("{d}{m}{y}"), format!("{y}{m}{d}"), format!("{d}{m}"), y.to_string()]);
        if y.len() == 4 {
            own.extend([format!("{d}{m}{}", &y[2..]), y[2..].to_string()]);
        }
    }
    let (left, personal, local) = strip(&folded, &own);
    if left.chars().count() >= 2 {
        return None;
    }
    Some(if personal {
        Problem::new(
            "Mật khẩu này được ghép từ tên hoặc ngày sinh của bạn, người quen đoán ra ngay. Hãy chọn một câu dễ nhớ với bạn, ví dụ: Nha-toi#o-Ky-Lua",
            "This password is made of your name or birth date, which people who know you guess at once. Choose a phrase you remember, e.g. My-home#in-Ky-Lua",
        )
    } else if local {
        Problem::new(
            "Mật khẩu này được ghép từ những từ ai cũng thử trước (tên tỉnh, tên dịch vụ, \"matkhau\"…) và một năm. Hãy chọn một câu dễ nhớ với bạn, ví dụ: Nha-toi#o-Ky-Lua",
            "This password is made of words everyone tries first (the province, the service, \"matkhau\"…) and a year. Choose a phrase you remember, e.g. My-home#in-Ky-Lua",
        )
    } else {
        Problem::new(
            "Mật khẩu này là dãy phím liền nhau, dãy số hoặc chữ theo thứ tự, hay ký tự lặp lại: bị đoán ra trong vài giây. Hãy chọn một câu dễ nhớ với bạn, ví dụ: Nha-toi#o-Ky-Lua",
            "This password is a run of keys, letters or digits in order, or a repeated character: guessed in seconds. Choose a phrase you remember, e.g. My-home#in-Ky-Lua",
        )
    })
}

/// Take out of `s` the person's words (`own`), local words, years
/// 1900–2099, and runs of three or more along a keyboard row or the
/// alphabet (either way) or of one character. What is left, and whether
/// personal or local words were among what went.
fn strip(s: &str, own: &[String]) -> (String, bool, bool) {
    let mut s = s.to_string();
    let mut personal = false;
    let mut local = false;
    let mut words: Vec<(&str, bool)> = own.iter().map(|w| (w.as_str(), true)).collect();
    words.extend(LOCAL_WORDS.iter().map(|w| (*w, false)));
    words.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    for (w, mine) in words {
        if !w.is_empty() && s.contains(w) {
            s = s.replace(w, " ");
            if mine {
                personal = true;
            } else {
                local = true;
            }
        }
    }
    // Years.
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let year = chars.len() >= i + 4
            && chars[i..i + 4].iter().all(char::is_ascii_digit)
            && matches!((chars[i], chars[i + 1]), ('1', '9') | ('2', '0'));
        if year {
            out.push(' ');
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    // Runs along a row or the alphabet, and repeats: three or more.
    let chars: Vec<char> = out.chars().collect();
    let step = |a: char, b: char| {
        a == b
            || ROWS.iter().any(|row| {
                let (fa, fb) = (row.find(a), row.find(b));
                matches!((fa, fb), (Some(x), Some(y)) if x + 1 == y || y + 1 == x)
            })
    };
    let mut keep = vec![true; chars.len()];
    let mut start = 0;
    while start < chars.len() {
        let mut end = start + 1;
        while end < chars.len() && step(chars[end - 1], chars[end]) {
            end += 1;
        }
        if end - start >= 3 {
            keep[start..end].iter_mut().for_each(|k| *k = false);
        }
        start = end;
    }
    let left: String =
        chars.iter().zip(keep).filter(|(c, k)| *k && **c != ' ').map(|(c, _)| *c).collect();
    (left, personal, local)
}

#[cfg(test)]
mod guessable_tests {
    use super::*;

    const BINH: PersonalData = PersonalData {
        full_name: "Trần Thị Bình",
        birth_date: "20/03/1985",
        citizen_id: "020185000777",
        phone: "0912345678",
    };

    #[test]
    fn the_guesses_people_make_first_are_refused() {
        for pw in [
            "Abc@1234",
            "Langson@2026",
            "Motcua@2026",
            "Binh@1985",
            "TranThiBinh@85",
            "Binh#20031985",
            "Pw@0912345678",
            "Id#020185000777",
            "Qwerty@123",
            "Asdf#1234",
            "Aaaa@1111",
            "Matkhau@2025",
            "Vietnam@123",
            "Zxcvbn!987",
        ] {
            assert!(guessable_password(pw, &BINH).is_some(), "{pw}");
        }
    }

    #[test]
    fn passwords_people_make_up_pass() {
        for pw in [
            "Lan@2026vn",
            "Hoa#2026ls",
            "Binh#Mai-Pha",
            "Nha-toi#o-Ky-Lua",
            "Kiosk#2026ls",
            "Mk!2026abc",
            "Tr4ng-Đinh#Kỳ Lừa",
            "Sai#mat1khau",
            "Gia#2026mao",
        ] {
            assert_eq!(guessable_password(pw, &BINH), None, "{pw}");
        }
    }

    #[test]
    fn the_message_names_the_real_cause() {
        let why = |pw| guessable_password(pw, &BINH).unwrap().vi;
        assert!(why("Pw@0912345678").contains("số điện thoại"));
        assert!(why("Binh@1985").contains("tên hoặc ngày sinh"));
        assert!(why("Langson@2026").contains("tên tỉnh"));
        assert!(why("Abc@1234").contains("dãy phím"));
    }
}
