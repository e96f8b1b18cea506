//! The structure the README's architecture section describes is the structure of `src/`: every top-level
//! module is in its table, imports only the modules the table lets it import, and the table itself has no
//! cycle, so the arrows between modules point one way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::support::repo_root;

/// The README's architecture table: each module and the modules it may import.
fn documented_layers(readme: &str) -> BTreeMap<String, BTreeSet<String>> {
    let start = readme
        .find("## Architecture")
        .expect("README has an `## Architecture` section");
    readme[start..]
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // the header row and its separator
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let name = cells[1].trim_matches('`').to_owned();
            let may_import = cells[3]
                .split(',')
                .map(|m| m.trim().trim_matches('`'))
                .filter(|m| !m.is_empty() && *m != "—")
                .map(str::to_owned)
                .collect();
            (name, may_import)
        })
        .collect()
}

/// Every Rust file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules `text` names through `crate::…` (or `castkit::…` in the binary), in `use` lines and
/// in paths alike, including those inside `use crate::{a, b::c}` groups.
fn named_modules(text: &str, root: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let prefix = format!("{root}::");
    for (i, _) in text.match_indices(&prefix) {
        // Skip `$crate::` in macros and longer identifiers ending in `crate`.
        if text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        {
            continue;
        }
        let rest = &text[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for part in group.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    // `castkit::ExitStatus` and the like are items re-exported at the crate root, not modules.
    out.retain(|name| name.starts_with(|c: char| c.is_ascii_lowercase()));
    out
}

#[test]
fn modules_import_only_what_the_readme_architecture_allows() {
    let root = repo_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let layers = documented_layers(&readme);
    assert!(!layers.is_empty(), "the architecture table is empty");

    // Every module of the library and the binary is in the table, and every row is a module.
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let main = std::fs::read_to_string(root.join("src/main.rs")).unwrap();
    let declared: BTreeSet<String> = lib
        .lines()
        .chain(main.lines())
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect();
    let documented: BTreeSet<String> = layers.keys().cloned().collect();
    assert_eq!(
        declared, documented,
        "the README's architecture table must list exactly the modules of src/lib.rs and src/main.rs"
    );

    // What each module imports.
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(root.join("src")).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = Path::new(first)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        // The binary's modules reach the library as `castkit::`, the library's as `crate::`.
        let is_binary = module == "cli" || module == "commands";
        let mut named = named_modules(&text, "crate");
        if is_binary {
            named.extend(named_modules(&text, "castkit"));
        }
        let allowed = &layers[&module];
        for other in named {
            if other != module && !allowed.contains(&other) {
                violations.push(format!(
                    "{} names `{other}`, which `{module}` may not import",
                    relative.display()
                ));
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));

    // The table is a one-way order: no module may (transitively) import itself.
    let mut order: Vec<String> = Vec::new();
    let mut remaining = layers.clone();
    while !remaining.is_empty() {
        let ready: Vec<String> = remaining
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| order.contains(d)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(
            !ready.is_empty(),
            "the architecture table has a cycle among: {:?}",
            remaining.keys().collect::<Vec<_>>()
        );
        for m in ready {
            remaining.remove(&m);
            order.push(m);
        }
    }
}

#[test]
fn the_import_scanner_sees_grouped_and_inline_paths() {
    let text = "use crate::{audio::AudioFacts, catalogue};\nlet x = crate::vocab::Email::parse(s);\n$crate::diag::Rule\nuse crate::ExitStatus;";
    let named = named_modules(text, "crate");
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["audio", "catalogue", "vocab"]
    );
}
