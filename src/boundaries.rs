//! Native tests of the app's structure: the shell (the first load) never
//! names the services bundle's pages, so none of their code is linked into
//! the main wasm; they are reached only through `services.rs`.

use std::path::{Path, PathBuf};

mod graph;

/// The modules of the services bundle, as a shell file would name them.
const SERVICES: &[&str] = &[
    "pages::register",
    "pages::account",
    "pages::submit",
    "pages::receipt",
    "pages::track",
    "pages::scan",
    "pages::stats",
    "pages::booking",
    "i18n::booking",
    "api::booking",
    "i18n::track",
    "i18n::wizard",
    "crate::outbox",
    "crate::pending",
    "crate::photo",
    "crate::uploader",
];

/// Shell files: everything the main binary reaches.
fn shell_files(src: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = [
        "main.rs",
        "app.rs",
        "ctx.rs",
        "host.rs",
        "router.rs",
        "kiosk.rs",
        "offline.rs",
        "storage.rs",
        "config.rs",
        "timing.rs",
        "pages/home.rs",
        "pages/procedures.rs",
        "pages/procedure.rs",
        "pages/not_found.rs",
        "pages/error.rs",
        "api/catalog.rs",
    ]
    .iter()
    .map(|f| src.join(f))
    .collect();
    for dir in ["components", "search"] {
        for e in std::fs::read_dir(src.join(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn the_shell_never_names_services_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = shell_files(&src);
    assert!(files.len() > 15);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for name in SERVICES {
            assert!(
                !text.contains(name),
                "{} names {name}: services code would be linked into the first load",
                f.display()
            );
        }
    }
}

/// The other way: no services code reaches the shell's own strings, so no
/// services bundle carries them (`i18n/shell.rs`).
#[test]
fn services_code_never_names_the_shells_strings() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let shell = shell_files(&src);
    let mut checked = 0;
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs")
                && !shell.contains(&p)
                && !p.starts_with(src.join("i18n"))
                && !p.ends_with("boundaries.rs")
            {
                let text = std::fs::read_to_string(&p).unwrap();
                checked += 1;
                assert!(
                    !text.contains(".shell()") && !text.contains("i18n::shell"),
                    "{} names the shell's strings: every services bundle would carry them",
                    p.display()
                );
            }
        }
    }
    assert!(checked > 20, "{checked}");
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
