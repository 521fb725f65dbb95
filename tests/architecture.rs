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

/// The absolute paths a file refers to: every `crate::…` and `super::…` path (in `use`
/// lines and in code), resolved against the file's own module path, with `use` groups
/// (`use super::{a::X, b::{Y, Z}}`) opened into one path per name.
fn references(module: &[String], code: &str) -> BTreeSet<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        let ahead: String = chars[i..chars.len().min(i + 7)].iter().collect();
        if starts_word && (ahead.starts_with("crate::") || ahead.starts_with("super::")) {
            i = use_tree(&chars, i, Vec::new(), &mut |path| {
                out.insert(resolve(module, path));
            });
        } else {
            i += 1;
        }
    }
    out
}

/// Reads one path or `use` tree from `at`, calling `found` with each full path (relative
/// segments as written, after `prefix`); returns where it ended.
fn use_tree(chars: &[char], mut at: usize, prefix: Vec<String>, found: &mut dyn FnMut(Vec<String>)) -> usize {
    let skip_space = |at: &mut usize| {
        while *at < chars.len() && chars[*at].is_whitespace() {
            *at += 1;
        }
    };
    let mut path = prefix;
    loop {
        skip_space(&mut at);
        if at < chars.len() && chars[at] == '{' {
            at += 1;
            loop {
                skip_space(&mut at);
                match chars.get(at) {
                    None => return at,
                    Some('}') => return at + 1,
                    Some(',') => at += 1,
                    Some(_) => at = use_tree(chars, at, path.clone(), found),
                }
            }
        }
        let start = at;
        while at < chars.len() && (chars[at].is_alphanumeric() || chars[at] == '_' || chars[at] == '*') {
            at += 1;
        }
        let segment: String = chars[start..at].iter().collect();
        if segment.is_empty() {
            found(path);
            return at.max(start + 1);
        }
        if segment != "self" {
            path.push(segment);
        }
        if chars.get(at) == Some(&':') && chars.get(at + 1) == Some(&':') {
            at += 2;
        } else {
            found(path);
            return at;
        }
    }
}

/// `path` (as written in the file of module path `module`) as an absolute module path.
fn resolve(module: &[String], path: Vec<String>) -> Vec<String> {
    let mut parts = path.into_iter().peekable();
    let mut here: Vec<String> = module.to_vec();
    if parts.peek().is_some_and(|p| p == "crate") {
        parts.next();
        here.clear();
    } else {
        while parts.peek().is_some_and(|p| p == "super") {
            parts.next();
            here.pop();
        }
    }
    here.extend(parts);
    here
}

/// Which top-level part of `src` (and which module of the domain) a module path is in.
fn layer(module: &[String]) -> Option<&str> {
    module.first().map(String::as_str)
}

/// The domain module a path is in: `domain::wording::check` is in `wording`; a name the
/// domain re-exports (`domain::Summary`) is in the module `domain/mod.rs` takes it from,
/// and a name it re-exports by glob (`pub use model::postmortem::*`) is in that module.
fn domain_module(path: &[String]) -> Option<String> {
    if path.first().map(String::as_str) != Some("domain") {
        return None;
    }
    let name = path.get(1)?;
    let (modules, names, glob) = domain_facade();
    if modules.contains(name) {
        Some(name.clone())
    } else {
        Some(names.get(name).cloned().unwrap_or_else(|| glob.clone()))
    }
}

/// What `src/domain/mod.rs` declares: its modules, the names it re-exports (by the module
/// they come from), and the module whose items it re-exports by glob.
fn domain_facade() -> (BTreeSet<String>, BTreeMap<String, String>, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain/mod.rs");
    let code = code(&path);
    let mut modules = BTreeSet::new();
    let mut names = BTreeMap::new();
    let mut glob = String::new();
    for line in code.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix("pub mod ").and_then(|l| l.strip_suffix(';')) {
            modules.insert(name.to_owned());
        }
    }
    let mut at = 0;
    let chars: Vec<char> = code.chars().collect();
    while let Some(offset) = chars[at..].iter().collect::<String>().find("pub use ") {
        at += offset + "pub use ".len();
        at = use_tree(&chars, at, Vec::new(), &mut |path| {
            if let (Some(first), Some(last)) = (path.first(), path.last()) {
                if last == "*" {
                    glob = first.clone();
                } else {
                    names.insert(last.clone(), first.clone());
                }
            }
        });
    }
    (modules, names, glob)
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
        // Only the browser adapters in storage (localStorage, the team folder, the save
        // journal and the IndexedDB calls they share), and the user interface, touch the browser.
        let adapter = own == "storage"
            && module.last().is_some_and(|m| ["local", "team_folder", "browser_journal", "idb"].contains(&m.as_str()));
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
        let below: &[&str] = match own.as_str() {
            "model" => &["model", "link", "time", "order"],
            "link" | "time" | "order" => &[],
            _ => continue,
        };
        for reference in references(&module, &code) {
            if let Some(target) = domain_module(&reference)
                && target != own
                && !below.contains(&target.as_str())
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
        let entry = edges.entry(own.clone()).or_default();
        for reference in references(&module, &code) {
            if let Some(target) = domain_module(&reference)
                && target != own
            {
                entry.insert(target);
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
    let module: Vec<String> = ["domain", "wording", "fields"].map(str::to_owned).to_vec();
    let found = references(
        &module,
        "use super::{Context, check};\nuse crate::domain::{model::Postmortem, template::{self, Part}};\n\
         let x = super::super::sample::full(now);",
    );
    let path = |p: &str| p.split("::").map(str::to_owned).collect::<Vec<_>>();
    for expected in [
        "domain::wording::Context",
        "domain::wording::check",
        "domain::model::Postmortem",
        "domain::template",
        "domain::template::Part",
        "domain::sample::full",
    ] {
        assert!(found.contains(&path(expected)), "{expected} not found in {found:?}");
    }
    assert_eq!(domain_module(&path("domain::model::x")).as_deref(), Some("model"));
    // Names the domain re-exports belong to the module they come from.
    assert_eq!(domain_module(&path("domain::Summary")).as_deref(), Some("summary"));
    assert_eq!(domain_module(&path("domain::Span")).as_deref(), Some("durations"));
    assert_eq!(domain_module(&path("domain::Postmortem")).as_deref(), Some("model"));
}
