//! Native tests of the app's structure, as folder rules. `src/shell/` is
//! what only the main app draws; `src/bundles/` is the services bundles,
//! one folder each (with `texts/`, `uploader.rs` and the others they
//! share); everything else is shared. No file outside `src/bundles/` (but
//! the crate root and the services binaries) names the bundles, so none of
//! their code is linked into the first load; they are reached only through
//! the loader (`shell/host.rs`).

use std::path::{Path, PathBuf};

mod graph;

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

/// Whether `text` names the bundles' modules as a path (not in a comment).
fn names_bundles(text: &str) -> bool {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .any(|l| l.contains("bundles::") || l.contains("crate::bundles"))
}

#[test]
fn nothing_outside_the_bundles_names_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let bundles = src.join("bundles");
    let files: Vec<PathBuf> = rust_files(&src)
        .into_iter()
        .filter(|p| !p.starts_with(&bundles) && !p.ends_with("lib.rs"))
        .filter(|p| !p.starts_with(src.join("boundaries")) && !p.ends_with("boundaries.rs"))
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !(p.parent() == Some(&src.join("bin")) && name.starts_with("services_"))
        })
        .collect();
    assert!(files.len() > 40, "{}", files.len());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            !names_bundles(&text),
            "{} names the bundles: their code would be linked into the first load",
            f.display()
        );
    }
    // The rule can fail: a shell page that reached into a bundle would.
    assert!(names_bundles("use crate::bundles::track::Status;"));
    assert!(!names_bundles("// the bundles:: are loaded later"));
}

/// The other way: the bundles reach the shell only through its host (the
/// reader's button), and never the shell's strings, so no services bundle
/// carries them (`i18n/shell.rs`).
#[test]
fn the_bundles_never_name_the_shell() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src.join("bundles"));
    assert!(files.len() > 30, "{}", files.len());
    for p in files {
        let text = std::fs::read_to_string(&p).unwrap();
        let code = text.lines().map(|l| l.split("//").next().unwrap_or_default());
        for line in code {
            let shell = line.replace("crate::shell::host", "");
            assert!(
                !shell.contains("crate::shell")
                    && !shell.contains(".shell()")
                    && !shell.contains("i18n::shell"),
                "{} names the shell: every services bundle would carry it ({line})",
                p.display()
            );
        }
    }
}

/// Each bundle's folder draws exactly the pages the router gives it: a
/// page's bundle is named once, in `router::Page::bundle`, and the
/// bundle's `draw` (its folder's `mod.rs`) names each of those pages.
#[test]
fn each_bundle_draws_its_pages() {
    use crate::router::{Bundle, Page};
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bundles");
    let pages = [
        Page::SignIn,
        Page::Register(crate::account::Step::CitizenId),
        Page::Reset(None),
        Page::Welcome,
        Page::Account,
        Page::PairKiosk(String::new()),
        Page::Submit(String::new(), None),
        Page::Receipt(String::new()),
        Page::Track,
        Page::Status(String::new()),
        Page::Scan,
        Page::Mine,
        Page::Assisted,
        Page::Drafts,
        Page::Book,
        Page::Ticket(String::new()),
        Page::Queue,
        Page::Stats,
    ];
    for b in Bundle::ALL {
        let folder = b.name().trim_start_matches("services_");
        let draw = std::fs::read_to_string(src.join(folder).join("mod.rs")).unwrap();
        let draw =
            &draw[draw.find("pub fn draw(").unwrap_or_else(|| panic!("{folder}: no draw"))..];
        for p in pages.iter().filter(|p| p.bundle() == Some(b)) {
            let variant = format!("{p:?}");
            let variant = variant.split('(').next().unwrap();
            assert!(draw.contains(&format!("Page::{variant}")), "{folder} does not draw {variant}");
        }
    }
    assert!(pages.iter().all(|p| p.bundle().is_some()));
}

/// The services bundles are listed once, in `router::Bundle::ALL`: each has
/// its binary (`src/bin/<name>.rs`, a `[[bin]]` of `Cargo.toml`) and its
/// Trunk link in `index.html`, and no file builds or loads a bundle the
/// list does not have.
#[test]
fn bundles_are_listed_once() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let names: Vec<&str> = crate::router::Bundle::ALL.iter().map(|b| b.name()).collect();
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let html = std::fs::read_to_string(root.join("index.html")).unwrap();
    let loader = std::fs::read_to_string(root.join("js/services_loader.js")).unwrap();
    for name in &names {
        assert!(root.join(format!("src/bin/{name}.rs")).exists(), "src/bin/{name}.rs");
        assert!(cargo.contains(&format!("name = \"{name}\"")), "Cargo.toml has no [[bin]] {name}");
        assert!(html.contains(&format!("data-bin=\"{name}\"")), "index.html does not build {name}");
    }
    // Every bundle name any of them says is one of the list.
    let said = |text: &str| -> Vec<String> {
        text.match_indices("services_")
            .map(|(at, _)| {
                text[at..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .filter(|w| w != "services_loader")
            .collect()
    };
    for (file, text) in
        [("Cargo.toml", &cargo), ("index.html", &html), ("js/services_loader.js", &loader)]
    {
        for w in said(text) {
            assert!(
                names.contains(&w.as_str()),
                "{file} names {w}, which Bundle::ALL does not have"
            );
        }
    }
    let bins = std::fs::read_dir(root.join("src/bin"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.starts_with("services_"))
        .count();
    assert_eq!(bins, names.len(), "a services binary in src/bin that Bundle::ALL does not list");
}
