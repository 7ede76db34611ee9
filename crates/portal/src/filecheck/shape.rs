//! Step 1 of a PDF's check: a scan of its raw bytes that never recurses
//! (nesting, object counts, object streams inflated within a budget, names
//! of active content in any spelling), before any parser sees the file.

use super::{Refused, ACTIVE, MAX_DEPTH, MAX_INFLATED, MAX_OBJECTS};

/// Scan a PDF's bytes (and its object streams, inflated) without recursion:
/// nesting, object count, size of what inflates, active names.
pub fn pdf_shape(data: &[u8]) -> Result<(), Refused> {
    let mut budget = MAX_INFLATED;
    let mut objects = 0usize;
    scan(data, true, &mut budget, &mut objects)
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// One pass over `data`. `top`: the file itself (its streams are skipped,
/// object streams inflated and scanned); else the inside of an object stream.
fn scan(data: &[u8], top: bool, budget: &mut usize, objects: &mut usize) -> Result<(), Refused> {
    let mut depth = 0usize;
    let mut i = 0usize;
    // The names of the dictionary read last (for a stream's type and filter).
    let mut names: Vec<Vec<u8>> = Vec::new();
    let n = data.len();
    while i < n {
        let b = data[i];
        match b {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut open = 1usize;
                i += 1;
                while i < n && open > 0 {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => open += 1,
                        b')' => open -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                continue;
            }
            b'<' if data.get(i + 1) == Some(&b'<') => {
                depth += 1;
                if depth == 1 {
                    names.clear();
                }
                if depth > MAX_DEPTH {
                    return Err(Refused::Complex);
                }
                i += 2;
                continue;
            }
            b'<' => {
                // A hex string.
                while i < n && data[i] != b'>' {
                    i += 1;
                }
            }
            b'>' if data.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 2;
                continue;
            }
            b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Refused::Complex);
                }
            }
            b']' => depth = depth.saturating_sub(1),
            b'/' => {
                let name = read_name(data, &mut i);
                if ACTIVE.contains(&name.as_slice()) {
                    return Err(Refused::Active);
                }
                if names.len() < 64 {
                    names.push(name);
                }
                continue;
            }
            _ if b.is_ascii_alphabetic() => {
                let start = i;
                while i < n && data[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let word = &data[start..i];
                let alone = start == 0 || is_white(data[start - 1]) || is_delim(data[start - 1]);
                let ends = i >= n || is_white(data[i]) || is_delim(data[i]);
                if alone && ends && word == b"obj" {
                    *objects += 1;
                    if *objects > MAX_OBJECTS {
                        return Err(Refused::Complex);
                    }
                }
                if top && alone && ends && word == b"stream" {
                    i = stream(data, i, &names, budget, objects)?;
                    names.clear();
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// A name (`/Type`, `/J#61vaScript` read as `/JavaScript`) from the `/`
/// at `*i`; `*i` moves past it.
fn read_name(data: &[u8], i: &mut usize) -> Vec<u8> {
    let n = data.len();
    let mut name = Vec::new();
    *i += 1;
    while *i < n && !is_white(data[*i]) && !is_delim(data[*i]) {
        let c = data[*i];
        if c == b'#' {
            if let (Some(h), Some(l)) = (
                data.get(*i + 1).copied().and_then(hex_val),
                data.get(*i + 2).copied().and_then(hex_val),
            ) {
                name.push(h << 4 | l);
                *i += 3;
                continue;
            }
        }
        name.push(c);
        *i += 1;
    }
    name
}

/// The stream whose `stream` keyword ends at `i` (its dictionary's names
/// in `names`): an object stream is inflated within the budget and
/// scanned, its objects counted. Where the scan goes on: past `endstream`.
fn stream(
    data: &[u8],
    i: usize,
    names: &[Vec<u8>],
    budget: &mut usize,
    objects: &mut usize,
) -> Result<usize, Refused> {
    // The stream's bytes: to the next `endstream`.
    let body_start = match data.get(i) {
        Some(b'\r') if data.get(i + 1) == Some(&b'\n') => i + 2,
        Some(b'\n' | b'\r') => i + 1,
        _ => i,
    };
    let end = find(&data[body_start..], b"endstream").map(|e| body_start + e).unwrap_or(data.len());
    let has = |w: &[u8]| names.iter().any(|x| x == w);
    if has(b"ObjStm") {
        *objects += 1;
        let inside = if has(b"FlateDecode") {
            inflate(&data[body_start..end], budget)?
        } else {
            data[body_start..end].to_vec()
        };
        scan(&inside, false, budget, objects)?;
        // The objects it holds count as objects too.
        *objects += count_pairs(&inside);
        if *objects > MAX_OBJECTS {
            return Err(Refused::Complex);
        }
    }
    Ok(end + b"endstream".len())
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// An object stream begins with pairs of integers (number, offset): about
/// the number of objects it holds, counted from its leading integers.
fn count_pairs(inside: &[u8]) -> usize {
    let mut ints = 0usize;
    for tok in inside.split(|b| is_white(*b)).filter(|t| !t.is_empty()) {
        if tok.iter().all(u8::is_ascii_digit) {
            ints += 1;
        } else {
            break;
        }
    }
    ints / 2
}

/// Inflate one object stream, within what is left of the file's budget.
fn inflate(raw: &[u8], budget: &mut usize) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut z = flate2::read::ZlibDecoder::new(raw).take(*budget as u64 + 1);
    if z.read_to_end(&mut out).is_err() {
        return Err(Refused::Damaged);
    }
    if out.len() > *budget {
        return Err(Refused::Complex);
    }
    *budget -= out.len();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf_with(body: &str) -> Vec<u8> {
        format!("%PDF-1.7\n1 0 obj\n{body}\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
            .into_bytes()
    }

    #[test]
    fn nesting_is_bounded_before_any_parser_sees_it() {
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        assert_eq!(pdf_shape(&pdf_with(&deep)), Err(Refused::Complex));
        let dicts = "<< /A ".repeat(100);
        assert_eq!(pdf_shape(&pdf_with(&dicts)), Err(Refused::Complex));
        let fine = format!("{}{}", "[".repeat(10), "]".repeat(10));
        assert_eq!(pdf_shape(&pdf_with(&fine)), Ok(()));
        // Brackets inside strings and comments are not nesting.
        let quoted = format!("({}) % {}\n<< /A 1 >>", "[".repeat(500), "[".repeat(500));
        assert_eq!(pdf_shape(&pdf_with(&quoted)), Ok(()));
    }

    #[test]
    fn active_names_are_found_in_any_spelling() {
        for body in [
            "<< /S /JavaScript /JS (app.alert(1)) >>",
            "<< /S /J#61vaScript >>",
            "<< /#4A#53 <6170702e616c657274283129> >>",
            "<< /S /Launch /F (cmd.exe) >>",
            "<< /S /URI /URI (http://example.com) >>",
            "<< /S /SubmitForm >>",
            "<< /S /ImportData >>",
            "<< /AcroForm << /XFA 5 0 R >> >>",
            "<< /Names << /EmbeddedFiles 6 0 R >> >>",
            "<< /Subtype /RichMedia >>",
        ] {
            assert_eq!(pdf_shape(&pdf_with(body)), Err(Refused::Active), "{body}");
        }
        assert_eq!(pdf_shape(&pdf_with("<< /Type /Page /Contents 4 0 R >>")), Ok(()));
    }

    #[test]
    fn object_streams_are_inflated_within_a_budget_and_scanned() {
        use std::io::Write;
        let packed = |inside: &[u8]| {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(inside).unwrap();
            let z = z.finish().unwrap();
            let mut pdf =
                b"%PDF-1.7\n5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
                    .to_vec();
            pdf.extend(format!("{} >>\nstream\n", z.len()).as_bytes());
            pdf.extend(&z);
            pdf.extend(b"\nendstream\nendobj\n%%EOF\n");
            pdf
        };
        let deep = format!("1 0 {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(pdf_shape(&packed(deep.as_bytes())), Err(Refused::Complex));
        assert_eq!(pdf_shape(&packed(b"1 0 << /S /JavaScript >>")), Err(Refused::Active));
        // A stream that inflates past the budget: refused, never held whole.
        let bomb = vec![b' '; MAX_INFLATED + 10];
        assert_eq!(pdf_shape(&packed(&bomb)), Err(Refused::Complex));
        assert_eq!(pdf_shape(&packed(b"1 0 << /Type /Font >>")), Ok(()));
    }

    #[test]
    fn object_counts_are_bounded() {
        let mut many = String::from("%PDF-1.7\n");
        for n in 0..(MAX_OBJECTS + 1) {
            many.push_str(&format!("{n} 0 obj\nnull\nendobj\n"));
        }
        assert_eq!(pdf_shape(many.as_bytes()), Err(Refused::Complex));
    }
}
