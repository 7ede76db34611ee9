//! Which part of each word of a result a query matched, for `<mark>`.

use contract::text::fold;

use super::{loose, query_terms};

/// Split `text` into (segment, highlighted) pieces, highlighting the part of
/// each word that a query term matches.
pub fn highlight(text: &str, query: &str) -> Vec<(String, bool)> {
    highlight_terms(text, &query_terms(query))
}

/// As `highlight`, with the query's terms (`query_terms`) worked out once
/// for a whole result list.
pub fn highlight_terms(text: &str, terms: &[String]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let push = |out: &mut Vec<(String, bool)>, s: &str, hl: bool| {
        if s.is_empty() {
            return;
        }
        match out.last_mut() {
            Some((last, h)) if *h == hl => last.push_str(s),
            _ => out.push((s.to_string(), hl)),
        }
    };
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(|c: char| c.is_alphanumeric()).unwrap_or(rest.len());
        push(&mut out, &rest[..start], false);
        rest = &rest[start..];
        if rest.is_empty() {
            break;
        }
        let end = rest.find(|c: char| !c.is_alphanumeric()).unwrap_or(rest.len());
        let word = &rest[..end];
        let folded = loose(&fold(word));
        let matched = terms
            .iter()
            .filter(|t| folded.starts_with(t.as_str()))
            .map(|t| t.chars().count())
            .max();
        match matched {
            Some(n) if folded.chars().count() == word.chars().count() => {
                let cut = word.char_indices().nth(n).map(|(i, _)| i).unwrap_or(word.len());
                push(&mut out, &word[..cut], true);
                push(&mut out, &word[cut..], false);
            }
            Some(_) => push(&mut out, word, true),
            None => push(&mut out, word, false),
        }
        rest = &rest[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn highlights_the_matched_prefix_in_the_original_text() {
        let h = highlight("Đăng ký khai sinh", "dang kha");
        assert_eq!(
            h,
            vec![
                ("Đăng".to_string(), true),
                (" ký ".to_string(), false),
                ("kha".to_string(), true),
                ("i sinh".to_string(), false)
            ]
        );
        assert_eq!(highlight("abc", ""), vec![("abc".to_string(), false)]);
    }
}
