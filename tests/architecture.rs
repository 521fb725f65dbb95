//! The shape of the code, checked from its source: the layers import one way (domain, file
//! format, storage, application, user interface), the document model is the bottom of the
//! domain, and no two domain modules import each other, directly or round a circle.
//!
//! It reads `use` lines and paths as text (`crate::…`, `super::…`), so it sees what a
//! reader sees. Test modules at the end of a file (`#[cfg(test)]`) and `tests.rs` files
//! are left out: tests may reach across, the code they test may not.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its module path below `src` (`["domain", "wording", "fields"]`).
fn sources(dir: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
                let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
                let relative = path.strip_prefix(&src).unwrap_or(&path);
                let mut module: Vec<String> =
                    relative.with_extension("").iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if module.last().is_some_and(|m| m == "mod") {
                    module.pop();
                }
                out.push((path, module));
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its trailing test module and without comments.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// The absolute module paths a file refers to: `crate::a::b` and `super::…::a` resolved
/// against the file's own module path, including names inside `use a::{b, c::d}` groups
/// only as far as their first segment (enough to know which module they come from).
fn references(module: &[String], code: &str) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    let bytes: Vec<char> = code.chars().collect();
    let starts_word =
        |i: usize| i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
    let mut i = 0;
    while i < bytes.len() {
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        if starts_word(i) && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let mut j = i;
            let mut segments = Vec::new();
            loop {
                let start = j;
                while j < bytes.len() && (bytes[j].is_alphanumeric() || bytes[j] == '_') {
                    j += 1;
                }
                segments.push(bytes[start..j].iter().collect::<String>());
                if j + 1 < bytes.len() && bytes[j] == ':' && bytes[j + 1] == ':' && j + 2 < bytes.len() {
                    j += 2;
                    if !(bytes[j].is_alphanumeric() || bytes[j] == '_') {
                        break;
                    }
                } else {
                    break;
                }
            }
            let mut resolved: Vec<String> = Vec::new();
            let mut here: Vec<String> = module.to_vec();
            let mut parts = segments.into_iter().peekable();
            if parts.peek().is_some_and(|p| p == "crate") {
                parts.next();
                here.clear();
            } else {
                while parts.peek().is_some_and(|p| p == "super") {
                    parts.next();
                    here.pop();
                }
            }
            resolved.extend(here);
            resolved.extend(parts.filter(|p| !p.is_empty()));
            out.insert(resolved);
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// Which top-level part of `src` (and which module of the domain) a module path is in.
fn layer(module: &[String]) -> Option<&str> {
    module.first().map(String::as_str)
}

fn domain_module(module: &[String]) -> Option<&str> {
    (module.first().map(String::as_str) == Some("domain")).then(|| module.get(1).map(String::as_str)).flatten()
}

fn all() -> Vec<(PathBuf, Vec<String>, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    sources(&src)
        .into_iter()
        .map(|(path, module)| {
            let code = code(&path);
            (path, module, code)
        })
        .collect()
}

#[test]
fn layers_import_one_way() {
    // What each layer may use of the crate, and which outside crates it must not touch.
    let allowed: BTreeMap<&str, &[&str]> = BTreeMap::from([
        ("domain", &["domain"][..]),
        ("file_format", &["domain", "file_format"][..]),
        ("storage", &["domain", "file_format", "storage"][..]),
        ("app", &["domain", "file_format", "storage", "app"][..]),
        ("ui", &["domain", "file_format", "storage", "app", "ui"][..]),
    ]);
    let browser_crates = ["leptos", "web_sys", "gloo_storage", "js_sys", "wasm_bindgen"];
    let mut wrong = Vec::new();
    for (path, module, code) in all() {
        let Some(own) = layer(&module) else { continue };
        let Some(may) = allowed.get(own) else { continue };
        for reference in references(&module, &code) {
            if let Some(target) = reference.first()
                && allowed.contains_key(target.as_str())
                && !may.contains(&target.as_str())
            {
                wrong.push(format!("{} uses {}", path.display(), reference.join("::")));
            }
        }
        // Only the browser adapters in storage, and the user interface, touch the browser.
        let adapter = own == "storage" && module.last().is_some_and(|m| m == "local");
        if own != "ui" && !adapter {
            for krate in browser_crates {
                let used = code.lines().any(|l| {
                    let l = l.trim_start();
                    l.starts_with(&format!("use {krate}"))
                        || l.contains(&format!(" {krate}::"))
                        || l.contains(&format!("({krate}::"))
                });
                if used {
                    wrong.push(format!("{} uses the browser crate {krate}", path.display()));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports that point the wrong way:\n{}", wrong.join("\n"));
}

#[test]
fn the_document_model_is_the_bottom_of_the_domain() {
    let mut wrong = Vec::new();
    for (path, module, code) in all() {
        let Some(own) = domain_module(&module) else { continue };
        let below: &[&str] = match own {
            "model" => &["model", "link", "time", "order"],
            "link" | "time" | "order" => &[],
            _ => continue,
        };
        for reference in references(&module, &code) {
            if let Some(target) = domain_module(&reference)
                && target != own
                && !below.contains(&target)
            {
                wrong.push(format!("{} uses domain::{target}", path.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "the model must not use what is built on it:\n{}", wrong.join("\n"));
}

#[test]
fn no_domain_modules_import_each_other_in_a_circle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, module, code) in all() {
        let Some(own) = domain_module(&module) else { continue };
        let entry = edges.entry(own.to_owned()).or_default();
        for reference in references(&module, &code) {
            if let Some(target) = domain_module(&reference)
                && target != own
            {
                entry.insert(target.to_owned());
            }
        }
    }
    assert!(edges.len() >= 10, "the domain's modules were not found: {edges:?}");
    // Depth-first search for a path that comes back to where it started.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        let found = visit(node, &edges, &mut Vec::new(), &mut done);
        assert!(
            found.is_none(),
            "domain modules import each other in a circle: {}",
            found.unwrap_or_default().join(" -> ")
        );
    }
}

#[test]
fn the_reader_sees_references_as_the_compiler_does() {
    let module = ["domain".to_owned(), "wording".to_owned(), "fields".to_owned()];
    let found = references(
        &module,
        "use super::{Context, check};\nuse crate::domain::model::Postmortem;\nlet x = super::super::sample::full(now);",
    );
    assert!(found.contains(&vec!["domain".to_owned(), "wording".to_owned()]));
    assert!(found.contains(&vec!["domain".to_owned(), "model".to_owned(), "Postmortem".to_owned()]));
    assert!(found.contains(&vec!["domain".to_owned(), "sample".to_owned(), "full".to_owned()]));
    assert_eq!(domain_module(&["domain".to_owned(), "model".to_owned(), "x".to_owned()]), Some("model"));
}
