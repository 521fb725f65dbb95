//! The files of a team folder (a git repository or a synced folder): where each thing lives,
//! the canonical form postmortems are written in, and reading back a file that git left
//! with conflict markers.
//!
//! Layout, chosen to merge well in git:
//! - `postmortems/<created date>--<id>.json`: one postmortem in the same envelope every
//!   Debrief file uses, named from values that never change (no renames);
//! - `postmortems/<created date>--<id>.md`: the same postmortem as Markdown, for reading in
//!   the repository's web view; generated, never read back;
//! - `templates/<id>.json`: one custom template each;
//! - `debrief-library.json`: the format version of the folder (no index: the list is
//!   built by reading the folder);
//! - `.gitignore`: Chromium's `*.crswap` temporary files.
//!
//! Canonical form (see [`canonical`]): keys in the fixed order of the types, objects one key
//! a line, every element of a list on a line of its own, and nothing one browser keeps for
//! itself (save counter, last-saved time, trash, lineage). Writing the same content twice
//! gives the same bytes, and two people's edits to different fields or different list
//! elements touch different lines.

use super::{Envelope, FORMAT_VERSION, FormatError};
use crate::domain::lineage::content;
use crate::domain::template::{Template, TemplateId};
use crate::domain::{Postmortem, PostmortemId};

/// The folder holding one file per postmortem.
pub const POSTMORTEMS: &str = "postmortems";
/// The folder holding one file per custom template.
pub const TEMPLATES: &str = "templates";
/// The small file that marks a folder as a Debrief team library.
pub const LIBRARY_FILE: &str = "debrief-library.json";
/// The git ignore file written when the folder has none.
pub const GITIGNORE: &str = ".gitignore";
/// What a new `.gitignore` holds: Chromium saves through `*.crswap` files, and an
/// interrupted save leaves one behind.
pub const GITIGNORE_TEXT: &str =
    "# Temporary files Chromium writes while saving (left behind if a save is interrupted)\n*.crswap\n";
/// The `format` of [`LIBRARY_FILE`].
pub const LIBRARY_FORMAT: &str = "debrief-library";

/// The path of `pm`'s file in a team folder.
pub fn postmortem_path(pm: &Postmortem) -> String {
    format!("{POSTMORTEMS}/{}--{}.json", pm.created_at.format("%Y-%m-%d"), pm.id)
}

/// The path of the Markdown file written beside the postmortem file `json_path`.
pub fn markdown_path(json_path: &str) -> String {
    format!("{}.md", json_path.strip_suffix(".json").unwrap_or(json_path))
}

/// The path of a custom template's file.
pub fn template_path(id: &TemplateId) -> String {
    let safe: String = id.0.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    format!("{TEMPLATES}/{safe}.json")
}

/// The id a postmortem file's name holds, when it is one Debrief names.
pub fn id_in_name(name: &str) -> Option<PostmortemId> {
    let stem = name.strip_suffix(".json")?;
    let (_, id) = stem.split_once("--")?;
    id.parse::<uuid::Uuid>().ok().map(PostmortemId)
}

/// `pm`'s file in canonical form.
pub fn postmortem_text(pm: &Postmortem) -> Result<String, FormatError> {
    Envelope::with_postmortems(vec![content(pm)]).to_json().map(|json| canonical(&json))
}

/// A template's file in canonical form.
pub fn template_text(template: &Template) -> Result<String, FormatError> {
    Envelope::with_templates(vec![template.clone()]).to_json().map(|json| canonical(&json))
}

/// What [`LIBRARY_FILE`] holds.
pub fn library_text() -> String {
    format!(
        "{{\n  \"format\": \"{LIBRARY_FORMAT}\",\n  \"version\": {FORMAT_VERSION},\n  \"about\": \"A team library of blameless postmortems kept by Debrief: one file per postmortem under postmortems/. The .md files are written from the .json ones; edit the .json ones with Debrief.\"\n}}\n"
    )
}

/// The format version a [`LIBRARY_FILE`] states; an error when it is not one.
pub fn library_version(text: &str) -> Result<u64, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{LIBRARY_FILE} is not valid JSON ({e})"))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(LIBRARY_FORMAT) {
        return Err(format!("{LIBRARY_FILE} is not a Debrief library file (no \"format\": \"{LIBRARY_FORMAT}\")"));
    }
    value
        .get("version")
        .and_then(|v| v.as_u64())
        .ok_or_else(|| format!("{LIBRARY_FILE} has no whole-number \"version\""))
}

/// Keys a postmortem in a team folder file leaves out: what one browser keeps for itself.
const LOCAL_KEYS: [&str; 4] = ["revision", "updated_at", "deleted_at", "lineage"];

/// `compact` JSON (as serde_json writes it) in the canonical form of a team folder file:
/// objects one key a line; lists one element a line, each element compact, except the
/// lists of the envelope itself (postmortems, templates), whose elements are laid out like
/// objects; a postmortem's local keys left out. Ends with a newline.
pub fn canonical(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() + compact.len() / 4);
    let bytes = compact.as_bytes();
    write_value(&mut out, compact, bytes, 0, compact.len(), 0, Level::Envelope);
    out.push('\n');
    out
}

/// Where a value sits, which decides how it is laid out.
#[derive(Clone, Copy, PartialEq)]
enum Level {
    /// The envelope object.
    Envelope,
    /// A list directly in the envelope (`postmortems`, `templates`).
    EnvelopeList,
    /// An element of such a list: a postmortem or a template.
    Item,
    /// Anything inside an item.
    Inner,
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// The end (exclusive) of the JSON value starting at `start`.
fn value_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    in_string = false;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                _ => {}
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return i,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b',' if depth == 0 => return i,
                _ => {}
            }
        }
        i += 1;
    }
    i
}

/// The members (`key` with quotes, value range) of the object, or the elements of the list,
/// between `start` (just after the opening bracket) and `end` (the closing bracket).
/// One member of an object (the range of its quoted key, then of its value) or element of
/// a list (no key).
type Member = (Option<(usize, usize)>, usize, usize);

fn parts(bytes: &[u8], start: usize, end: usize, object: bool) -> Vec<Member> {
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        let key = if object {
            let key_end = value_end(bytes, i);
            let k = (i, key_end);
            i = key_end + 1; // past ':'
            Some(k)
        } else {
            None
        };
        let v_end = value_end(bytes, i);
        out.push((key, i, v_end));
        i = v_end + 1; // past ','
    }
    out
}

fn write_value(out: &mut String, text: &str, bytes: &[u8], start: usize, end: usize, depth: usize, level: Level) {
    match bytes.get(start).copied() {
        Some(b'{') => {
            let members = parts(bytes, start + 1, end - 1, true);
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            let mut written = 0;
            for (key, v_start, v_end) in members {
                let Some((k_start, k_end)) = key else { continue };
                let name = &text[k_start + 1..k_end - 1];
                if level == Level::Item && LOCAL_KEYS.contains(&name) {
                    continue;
                }
                if written > 0 {
                    out.push(',');
                }
                written += 1;
                indent(out, depth + 1);
                out.push_str(&text[k_start..k_end]);
                out.push_str(": ");
                let child = match level {
                    Level::Envelope => Level::EnvelopeList,
                    _ => Level::Inner,
                };
                write_value(out, text, bytes, v_start, v_end, depth + 1, child);
            }
            indent(out, depth);
            out.push('}');
        }
        Some(b'[') => {
            let elements = parts(bytes, start + 1, end - 1, false);
            if elements.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            let count = elements.len();
            for (n, (_, v_start, v_end)) in elements.into_iter().enumerate() {
                indent(out, depth + 1);
                if level == Level::EnvelopeList {
                    write_value(out, text, bytes, v_start, v_end, depth + 1, Level::Item);
                } else {
                    out.push_str(&text[v_start..v_end]);
                }
                if n + 1 < count {
                    out.push(',');
                }
            }
            indent(out, depth);
            out.push(']');
        }
        _ => out.push_str(&text[start..end]),
    }
}

/// The versions a file with git conflict markers holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictedText {
    /// The text as this side had it (`<<<<<<<` to `=======`, or to `|||||||`).
    pub ours: String,
    /// The common ancestor, when git wrote it (`merge.conflictStyle diff3` or `zdiff3`).
    pub base: Option<String>,
    /// The text as the other side had it (`=======` to `>>>>>>>`).
    pub theirs: String,
}

/// Whether `text` holds git conflict markers (a line starting with `<<<<<<<`).
pub fn has_conflict_markers(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("<<<<<<<"))
}

/// Splits a file git left with conflict markers into its versions: lines outside the
/// conflicts go to every version, lines inside to the side they belong to. Both marker
/// styles are read: `merge` (ours and theirs) and `diff3`/`zdiff3` (with the base). `None`
/// when the text holds no markers; an error when the markers do not pair up.
pub fn split_conflicts(text: &str) -> Result<Option<ConflictedText>, String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Part {
        Outside,
        Ours,
        Base,
        Theirs,
    }
    let mut part = Part::Outside;
    let (mut ours, mut base, mut theirs) = (String::new(), String::new(), String::new());
    let (mut found, mut with_base, mut without_base) = (false, false, false);
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches(['\n', '\r']);
        let marker = |m: &str| bare == m || bare.starts_with(&format!("{m} "));
        let line_no = n + 1;
        match part {
            Part::Outside if marker("<<<<<<<") => {
                part = Part::Ours;
                found = true;
            }
            Part::Ours if marker("|||||||") => {
                part = Part::Base;
                with_base = true;
            }
            Part::Ours | Part::Base if bare == "=======" => {
                if part == Part::Ours {
                    without_base = true;
                }
                part = Part::Theirs;
            }
            Part::Theirs if marker(">>>>>>>") => part = Part::Outside,
            _ if marker("<<<<<<<") || marker(">>>>>>>") || marker("|||||||") || bare == "=======" => {
                return Err(format!("the conflict markers do not pair up (line {line_no})"));
            }
            Part::Outside => {
                ours.push_str(line);
                base.push_str(line);
                theirs.push_str(line);
            }
            Part::Ours => ours.push_str(line),
            Part::Base => base.push_str(line),
            Part::Theirs => theirs.push_str(line),
        }
    }
    if part != Part::Outside {
        return Err("a conflict is not closed: the file ends before its >>>>>>> line".to_owned());
    }
    if !found {
        return Ok(None);
    }
    // A file mixing both styles has no base for some conflicts: treat the base as unknown.
    let base = (with_base && !without_base).then_some(base);
    Ok(Some(ConflictedText { ours, base, theirs }))
}

#[cfg(test)]
mod tests;
