//! No import circles in the app: each file of `src/` (tests and the
//! binaries' entry points left out) names other files through `crate::`
//! and `super::` paths, in `use` lines (groups included) and in code; a
//! path stands for the file of its longest module prefix. A file naming
//! its own ancestor or descendant is a module and its parts, not a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A file's module path (`bundles/track/mod.rs` → `bundles::track`).
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> =
        rel.trim_end_matches(".rs").split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The text without comments and without `#[cfg(test)]` items.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            // Skip the item: up to its closing brace, or its `;`.
            let mut depth = 0i32;
            let mut opened = false;
            for l in lines.by_ref() {
                depth += l.matches('{').count() as i32 - l.matches('}').count() as i32;
                opened |= l.contains('{');
                if (opened && depth <= 0) || (!opened && l.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        let code = line.split("//").next().unwrap_or("");
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The paths named after `crate::` / `super::` at byte `at` of `code`:
/// `a::b`, or each item of a group `a::{b, c::{d, e}}`.
fn paths_at(code: &str, at: usize, base: Vec<String>, out: &mut Vec<Vec<String>>) {
    let bytes = code.as_bytes();
    let mut i = at;
    let mut path = base;
    loop {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        if i > start {
            path.push(code[start..i].to_string());
        }
        let group = if code[i..].starts_with("::{") {
            Some(i + 3)
        } else if i == start && code[i..].starts_with('{') {
            // A group right after the prefix: `crate::{a, b}`, `super::{a, b}`.
            Some(i + 1)
        } else {
            None
        };
        if let Some(open) = group {
            // A group: split at its top-level commas.
            let mut depth = 1;
            let mut j = open;
            let mut item_start = open;
            while j < bytes.len() && depth > 0 {
                match bytes[j] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    b',' if depth == 1 => {
                        group_item(code, item_start, &path, out);
                        item_start = j + 1;
                    }
                    _ => {}
                }
                j += 1;
            }
            group_item(code, item_start, &path, out);
            return;
        }
        if code[i..].starts_with("::") {
            i += 2;
            continue;
        }
        out.push(path);
        return;
    }
}

fn group_item(code: &str, at: usize, path: &[String], out: &mut Vec<Vec<String>>) {
    let rest = code[at..].trim_start();
    let at = code.len() - rest.len();
    if rest.starts_with("self") || rest.starts_with('}') || rest.is_empty() {
        out.push(path.to_vec());
    } else {
        paths_at(code, at, path.to_vec(), out);
    }
}

/// The files each file names (by their paths relative to `src/`).
pub(super) fn edges(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let modules: BTreeMap<Vec<String>, String> =
        files.keys().map(|f| (module_of(f), f.clone())).collect();
    let resolve = |parts: &[String]| -> Option<String> {
        (1..=parts.len()).rev().find_map(|k| modules.get(&parts[..k]).cloned())
    };
    let related = |a: &str, b: &str| {
        let (ma, mb) = (module_of(a), module_of(b));
        ma.starts_with(&mb) || mb.starts_with(&ma)
    };
    let mut out = BTreeMap::new();
    for (file, text) in files {
        let code = code_of(text);
        let me = module_of(file);
        let mut named = Vec::new();
        for (at, _) in code.match_indices("crate::") {
            paths_at(&code, at + "crate::".len(), Vec::new(), &mut named);
        }
        for (at, _) in code.match_indices("super::") {
            // Only the first of a chain (`super::super::x`).
            if code[..at].ends_with("super::") {
                continue;
            }
            let mut up = me.clone();
            let mut i = at;
            while code[i..].starts_with("super::") {
                up.pop();
                i += "super::".len();
            }
            paths_at(&code, i, up, &mut named);
        }
        let deps: BTreeSet<String> = named
            .iter()
            .filter_map(|p| resolve(p))
            .filter(|d| d != file && !related(file, d))
            .collect();
        out.insert(file.clone(), deps);
    }
    out
}

/// One circle, if there is any: the files around it.
pub(super) fn a_circle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        f: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(f.to_string(), Mark::Open);
        stack.push(f.to_string());
        for d in edges.get(f).into_iter().flatten() {
            match marks.get(d).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let from = stack.iter().position(|s| s == d).unwrap_or(0);
                    let mut circle = stack[from..].to_vec();
                    circle.push(d.clone());
                    return Some(circle);
                }
                Mark::New if edges.contains_key(d) => {
                    if let Some(c) = visit(d, edges, marks, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        marks.insert(f.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for f in edges.keys() {
        if marks.get(f).copied().unwrap_or(Mark::New) == Mark::New {
            if let Some(c) = visit(f, edges, &mut marks, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// The app's files, as the test reads them.
fn app_files(src: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(src).unwrap().to_string_lossy().replace('\\', "/");
            if p.is_dir() {
                if rel != "bin" && rel != "boundaries" {
                    stack.push(p);
                }
            } else if rel.ends_with(".rs")
                && rel != "main.rs"
                && rel != "boundaries.rs"
                && !rel.ends_with("tests.rs")
            {
                out.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn the_app_has_no_import_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = app_files(&src);
    assert!(files.len() > 80, "{} files", files.len());
    let edges = edges(&files);
    // The layout draws the pages; the pages read the context, not the layout.
    assert!(edges["shell/app.rs"].contains("ctx.rs") && edges["shell/home.rs"].contains("ctx.rs"));
    assert!(edges["shell/app.rs"].contains("shell/home.rs"), "the layout draws the home page");
    if let Some(circle) = a_circle(&edges) {
        panic!("an import circle: {}", circle.join(" → "));
    }
}

/// The check finds a circle where there is one, through groups and `super`.
#[test]
fn a_circle_is_found() {
    let files: BTreeMap<String, String> = [
        ("app.rs", "use crate::{pages::home::Home, router};"),
        ("pages/home.rs", "use crate::ctx::use_ctx;"),
        ("ctx.rs", "use crate::{config, router::go};"),
        ("router.rs", "use crate::pages::{self, home::{Home}};"),
        ("pages/mod.rs", "pub mod home; use self::home::Home;"),
        ("search/mod.rs", "mod rank; use rank::score;"),
        ("search/rank.rs", "use super::Entry; // crate::shell::app::x in a comment"),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_string(), t.to_string()))
    .collect();
    let edges = edges(&files);
    assert!(edges["search/rank.rs"].is_empty(), "a part naming its module is no circle");
    let circle = a_circle(&edges).expect("home → ctx → router → home");
    assert!(circle.contains(&"ctx.rs".to_string()), "{circle:?}");
    let mut fixed = files.clone();
    fixed.insert("ctx.rs".into(), "fn f() {}".into());
    assert_eq!(a_circle(&super::graph::edges(&fixed)), None);
}
