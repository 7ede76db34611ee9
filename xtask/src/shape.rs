//! The code's shape, checked by `cargo xtask test`: no file over 600 lines
//! and no function over 120, outside tests (files under a `tests/` folder,
//! `tests.rs` files and `#[cfg(test)]` items). Functions still over the
//! limit are listed in `LONGER` with their length; the list may only
//! shrink, and a listed function may not grow.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

const FILE_LINES: usize = 600;
const FN_LINES: usize = 120;

/// Functions over `FN_LINES` when the check came (issue 39), to be cut
/// down: (file, function, its length then).
const LONGER: &[(&str, &str, usize)] = &[];

/// Modules only tests build (`#[cfg(test)] mod boundaries;` in the app).
fn test_only(root: &Path, p: &Path) -> bool {
    p.starts_with(root.join("src/boundaries")) || p == root.join("src/boundaries.rs")
}

/// The Rust files to check, relative to `root`.
fn sources(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> =
        ["src", "crates", "xtask/src"].iter().map(|d| root.join(d)).collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if p.is_dir() {
                if name != "tests" && name != "target" && name != "node_modules" {
                    stack.push(p);
                }
            } else if name.ends_with(".rs") && name != "tests.rs" && !test_only(root, &p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A line without its comment and the insides of its string and char
/// literals (a `"{n}"` or a `'{'` is no brace).
fn code_only(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => break,
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '\'' => {
                // A char literal ('x', '\n', '\''), or a lifetime ('a).
                let mut look = chars.clone();
                let escaped = look.peek() == Some(&'\\');
                let len = if escaped { 3 } else { 2 };
                if look.nth(len - 1) == Some('\'') {
                    for _ in 0..len {
                        chars.next();
                    }
                }
                out.push('\'');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The end (line index) of the item starting at `i`: its closing brace,
/// or its `;` when it has no body.
fn item_end(lines: &[&str], i: usize) -> usize {
    let mut depth = 0i64;
    let mut opened = false;
    for (j, l) in lines.iter().enumerate().skip(i) {
        let code = code_only(l);
        depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
        opened |= code.contains('{');
        if (opened && depth <= 0) || (!opened && code.trim_end().ends_with(';')) {
            return j;
        }
    }
    lines.len().saturating_sub(1)
}

/// A file's lines outside tests, and its functions' (name, first line, length).
fn measure(text: &str) -> (usize, Vec<(String, usize, usize)>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut counted = 0;
    let mut fns = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("#[cfg(test)]") {
            i = item_end(&lines, i + 1) + 1;
            continue;
        }
        counted += 1;
        let head = t
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ")
            .trim_start_matches("const ")
            .trim_start_matches("async ");
        if let Some(rest) = head.strip_prefix("fn ") {
            let name: String =
                rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let end = item_end(&lines, i);
            fns.push((name, i + 1, end - i + 1));
        }
        i += 1;
    }
    (counted, fns)
}

pub fn check(root: &Path) -> Result<()> {
    let mut problems = Vec::new();
    let mut still_long = 0;
    for path in sources(root) {
        let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&path)?;
        let (lines, fns) = measure(&text);
        if lines > FILE_LINES {
            problems.push(format!("{rel}: {lines} lines outside tests (at most {FILE_LINES})"));
        }
        for (name, at, len) in fns.into_iter().filter(|f| f.2 > FN_LINES) {
            match LONGER.iter().find(|(f, n, _)| *f == rel && *n == name) {
                Some((_, _, then)) if len <= *then => still_long += 1,
                Some((_, _, then)) => problems.push(format!(
                    "{rel}:{at} fn {name}: {len} lines, longer than the {then} it was (cut it to {FN_LINES})"
                )),
                None => problems.push(format!(
                    "{rel}:{at} fn {name}: {len} lines (at most {FN_LINES}: split it)"
                )),
            }
        }
    }
    for (file, name, _) in LONGER {
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        let long = measure(&text).1.into_iter().any(|(n, _, len)| n == *name && len > FN_LINES);
        if !long {
            problems
                .push(format!("{file} fn {name} is no longer over {FN_LINES}: take it off LONGER"));
        }
    }
    if !problems.is_empty() {
        bail!("the code's shape:\n  {}", problems.join("\n  "));
    }
    println!(
        "    no file over {FILE_LINES} lines, no new function over {FN_LINES} ({still_long} listed still to cut)"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn measures_functions_and_leaves_tests_out() {
        let text = "fn a() {\n    1\n}\n#[cfg(test)]\nmod tests {\n    fn b() {}\n}\npub(crate) async fn c(x: u8) -> u8 {\n    // } not counted\n    let _ = (\"{n}\", '{', '\\'', \"\\\"}\");\n    x\n}\n";
        let (lines, fns) = super::measure(text);
        assert_eq!(lines, 8);
        assert_eq!(fns, [("a".to_string(), 1, 3), ("c".to_string(), 8, 5)]);
    }
}
