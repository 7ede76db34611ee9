//! What people type that the names do not hold: Telex or VNI without an
//! input method, a letter missing or doubled, `y` for `i`.

use super::dictionary::expand_synonyms;

/// Telex typed without an input method leaves tone letters at word ends
/// (`khais` for khái). Strip one when the word matches nothing as typed.
pub(super) fn without_telex_tone(word: &str) -> Option<&str> {
    let stripped = word.strip_suffix(['s', 'f', 'r', 'x', 'j'])?;
    (stripped.len() >= 2).then_some(stripped)
}

/// A word typed in Telex or VNI without an input method (`dduwowngf`,
/// `d9u7o7ng2`, `khasi`), as the plain letters the index holds: `dd aa ee
/// oo` halved, `w` and digits dropped, tone letters (`s f x j`, and `r`
/// except in the `tr` onset) dropped anywhere after the first letter (no
/// Vietnamese syllable has them there). `None` when it changes nothing.
pub(super) fn without_marks(word: &str) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(word.len());
    for (i, &c) in word.as_bytes().iter().enumerate() {
        let keep = match c {
            b'w' => false,
            b'd' | b'a' | b'e' | b'o' => out.last() != Some(&c),
            b's' | b'f' | b'x' | b'j' | b'0'..=b'9' => i == 0,
            b'r' => i == 0 || out == b"t",
            _ => true,
        };
        if keep {
            out.push(c);
        }
    }
    (out != word.as_bytes() && out.len() >= 2).then_some(out)
}

/// Whether a folded word can only be Telex or VNI typed without an input
/// method: no Vietnamese syllable has `w f j`, `dd aa ee`, a digit after a
/// letter, or ends in `s r x`.
pub(super) fn typed_with_marks(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 2
        && (word.contains(['w', 'f', 'j'])
            || ["dd", "aa", "ee"].iter().any(|d| word.contains(d))
            || (b[0].is_ascii_alphabetic() && b.iter().any(u8::is_ascii_digit))
            || matches!(b[b.len() - 1], b's' | b'r' | b'x'))
}

/// A folded query with its dictionary phrases replaced, then words typed
/// in Telex or VNI as plain letters (`lamf hooj chieeus` → `lam ho
/// chieu`), so that the dictionary and filler see them too. The dictionary
/// goes first so that its acronyms (`gplx`) stay whole.
pub(super) fn untyped(folded: &str) -> String {
    plain_letters(&expand_synonyms(folded))
}

/// Words typed in Telex or VNI as plain letters, without the dictionary.
pub(super) fn plain_letters(folded: &str) -> String {
    folded
        .split(' ')
        .map(|w| match without_marks(w).filter(|_| typed_with_marks(w)) {
            Some(plain) => String::from_utf8(plain).unwrap_or_else(|_| w.to_string()),
            None => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One letter missing, added or doubled (only for longer words).
pub(super) fn one_letter_off(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if short.len() < 4 || long.len() != short.len() + 1 {
        return false;
    }
    let i = short.iter().zip(long).position(|(x, y)| x != y).unwrap_or(short.len());
    short[i..] == long[i + 1..]
}

/// `y` and `i` are written interchangeably (`ky`/`ki`, `ly`/`li`).
pub(super) fn loose(word: &str) -> String {
    word.replace('y', "i")
}
