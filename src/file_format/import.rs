//! Reading files people bring in: every problem named with its file, its place in the
//! file (a JSON path) and what is wrong, and broken items kept apart from good ones.

use super::contribution::{self, SealKey};
use super::json_path::{self, strip_position};
use super::{FORMAT_NAME, FORMAT_VERSION, MAX_INPUT_BYTES, migrations};
use crate::domain::contribution::tidy_contributions;
use crate::domain::limits::over_limits;
use crate::domain::template::{Template, join_duplicate_answers};
use crate::domain::{Postmortem, PostmortemId};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt;

/// A problem with a whole file: nothing in it can be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    /// Where in the file: a JSON path such as `$.version`, or a line and column.
    pub place: String,
    pub problem: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at {}): {}", self.file, self.place, self.problem)
    }
}

/// One item of a file that cannot be imported, while the rest of the file can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenItem {
    /// JSON path of the value that is wrong, such as `$.postmortems[2].timeline[0].evidence[1]`.
    pub place: String,
    pub problem: String,
    /// The item's title, when it could be read.
    pub title: Option<String>,
}

/// What a file holds once read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadFile {
    pub file: String,
    pub postmortems: Vec<Postmortem>,
    /// Custom templates in the file, each checked to be usable.
    pub templates: Vec<Template>,
    /// Keys that open sealed contributions (in full backups).
    pub keys: Vec<SealKey>,
    pub broken: Vec<BrokenItem>,
}

fn file_error(file: &str, place: impl Into<String>, problem: impl Into<String>) -> FileError {
    FileError { file: file.to_owned(), place: place.into(), problem: problem.into() }
}

/// Reads the text of the file named `file`: size, JSON syntax and depth, header and
/// version, then each postmortem on its own so one broken item does not hide the others.
pub fn read_file(file: &str, text: &str) -> Result<ReadFile, FileError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(file_error(
            file,
            "the whole file",
            format!("it is larger than the {} MB limit for one file", MAX_INPUT_BYTES / (1024 * 1024)),
        ));
    }
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(file_error(
            file,
            "the whole file",
            "the file is empty: it holds no text. Choose the file again, or export it again from where it came from",
        ));
    }
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        let place = format!("line {}, column {}", e.line(), e.column());
        let problem = if e.to_string().contains("recursion limit") {
            "it is nested too deeply (more than 128 levels)".to_owned()
        } else if e.is_eof() {
            "the file ends too early; it may have been cut off while copying".to_owned()
        } else {
            format!("this is not valid JSON ({})", strip_position(&e.to_string()))
        };
        file_error(file, place, problem)
    })?;
    if let Some(place) = duplicate_key(text.trim_start_matches('\u{feff}')) {
        return Err(file_error(
            file,
            place,
            "this key appears twice in the same object, so the file could be read two ways; remove one of them",
        ));
    }
    let Value::Object(ref header) = value else {
        return Err(file_error(file, "$", "this is not a Debrief file: it should be a JSON object"));
    };
    match header.get("format").and_then(Value::as_str) {
        Some(FORMAT_NAME) => {}
        Some(contribution::INVITATION_FORMAT) => {
            return Err(file_error(
                file,
                "$.format",
                "this is an invitation to contribute, not a library file: open the link you were sent, or choose \"Answer an invitation\" on the library page",
            ));
        }
        Some(contribution::CONTRIBUTION_FORMAT) => {
            return Err(file_error(
                file,
                "$.format",
                "this is an anonymous contribution, not a library file: import it from the \"Anonymous contributions\" part of the postmortem that sent the invitation",
            ));
        }
        _ => {
            return Err(file_error(file, "$.format", "this is not a Debrief file: it has no \"format\": \"debrief\""));
        }
    }
    let version = header
        .get("version")
        .and_then(Value::as_u64)
        .ok_or_else(|| file_error(file, "$.version", "the format version must be a whole number"))?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(file_error(
            file,
            "$.version",
            format!(
                "it was made by a newer version of Debrief (format {version}; this one reads up to {FORMAT_VERSION}). Update Debrief, then import it again"
            ),
        ));
    }
    let value = migrations::migrate(value, version).map_err(|problem| file_error(file, "$.version", problem))?;
    let items = match value.get("postmortems") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err(file_error(file, "$.postmortems", "\"postmortems\" must be a list")),
    };
    let mut postmortems: Vec<Postmortem> = Vec::new();
    let mut broken = Vec::new();
    let mut seen: HashMap<PostmortemId, usize> = HashMap::new();
    for (i, mut item) in items.into_iter().enumerate() {
        // A team folder's files leave the last-saved time out: the creation time stands in.
        if let Value::Object(fields) = &mut item
            && !fields.contains_key("updated_at")
            && let Some(created) = fields.get("created_at").cloned()
        {
            fields.insert("updated_at".to_owned(), created);
        }
        let title = item.get("title").and_then(Value::as_str).map(shortened);
        match decode::<Postmortem>(&item) {
            Ok(mut pm) => {
                let template_problem = pm.template.as_ref().and_then(|t| t.problem());
                let review_problem = pm.review.problem();
                let invitation_problem = invitation_problem(&mut pm);
                let over = over_limits(&pm);
                if let Some(first) = over.first() {
                    let problem = match over.len() {
                        1 => first.problem.clone(),
                        n => format!("{} (and {} more over Debrief's limits)", first.problem, n - 1),
                    };
                    broken.push(BrokenItem { place: format!("$.postmortems[{i}]{}", first.place), problem, title });
                } else if let Some(problem) = template_problem {
                    broken.push(BrokenItem { place: format!("$.postmortems[{i}].template"), problem, title });
                } else if let Some((place, problem)) = review_problem {
                    broken.push(BrokenItem { place: format!("$.postmortems[{i}].review{place}"), problem, title });
                } else if let Some((j, problem)) = invitation_problem {
                    broken.push(BrokenItem { place: format!("$.postmortems[{i}].invitations[{j}]"), problem, title });
                } else if let Some(first) = seen.get(&pm.id) {
                    broken.push(BrokenItem {
                        place: format!("$.postmortems[{i}].id"),
                        problem: format!(
                            "the id {} is used twice in this file (also at $.postmortems[{first}])",
                            pm.id
                        ),
                        title,
                    });
                } else {
                    seen.insert(pm.id, i);
                    join_duplicate_answers(&mut pm);
                    postmortems.push(pm);
                }
            }
            Err(e) => {
                broken.push(decode_failure("postmortems", i, &e, title));
            }
        }
    }
    let templates = read_templates(&value, &mut broken).map_err(|problem| file_error(file, "$.templates", problem))?;
    let keys = read_keys(&value, &mut broken).map_err(|problem| file_error(file, "$.keys", problem))?;
    Ok(ReadFile { file: file.to_owned(), postmortems, templates, keys, broken })
}

/// Reads a file of the current format that holds exactly one postmortem and nothing else
/// (a team folder's own files, read thousands at a time) straight into its type, with the
/// checks [`read_file`] makes. `None` for any other file, or one with anything wrong:
/// [`read_file`] then reads it and says precisely what. A key written twice in one object
/// is refused here too (the derived decoders refuse a field given twice, and the model has
/// no free-form maps).
pub fn read_one_current(text: &str) -> Option<Postmortem> {
    #[derive(serde::Deserialize)]
    struct One {
        format: String,
        version: u64,
        postmortems: Vec<Postmortem>,
        #[serde(default)]
        templates: Option<serde::de::IgnoredAny>,
        #[serde(default)]
        keys: Option<serde::de::IgnoredAny>,
    }
    if text.len() > MAX_INPUT_BYTES {
        return None;
    }
    let one: One = serde_json::from_str(text.trim_start_matches('\u{feff}')).ok()?;
    if one.format != FORMAT_NAME
        || one.version != u64::from(FORMAT_VERSION)
        || one.templates.is_some()
        || one.keys.is_some()
    {
        return None;
    }
    let [mut pm] = <[Postmortem; 1]>::try_from(one.postmortems).ok()?;
    if pm.template.as_ref().and_then(|t| t.problem()).is_some()
        || pm.review.problem().is_some()
        || invitation_problem(&mut pm).is_some()
        || !over_limits(&pm).is_empty()
    {
        return None;
    }
    // Left out of the file: the creation time stands in, as `read_file` does.
    if pm.updated_at == chrono::DateTime::<chrono::Utc>::default() {
        pm.updated_at = pm.created_at;
    }
    join_duplicate_answers(&mut pm);
    Some(pm)
}

/// The JSON path of the first key written twice in one object, if any. serde_json keeps the
/// last one silently, so such a file could show one value to a person reading it and
/// another to Debrief.
fn duplicate_key(text: &str) -> Option<String> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;

    struct Walk<'a> {
        path: String,
        found: &'a RefCell<Option<String>>,
    }

    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            while seq.next_element_seed(Walk { path: format!("{}[{i}]", self.path), found: self.found })?.is_some() {
                i += 1;
            }
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = format!("{}.{key}", self.path);
                if !seen.insert(key) && self.found.borrow().is_none() {
                    *self.found.borrow_mut() = Some(path.clone());
                }
                map.next_value_seed(Walk { path, found: self.found })?;
            }
            Ok(())
        }
    }

    let found = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    Walk { path: "$".to_owned(), found: &found }.deserialize(&mut deserializer).ok()?;
    found.into_inner()
}

/// What is wrong with one of the postmortem's invitations or their contributions, with
/// the invitation's index. Contributions are also put in content order, as merging keeps them.
fn invitation_problem(pm: &mut Postmortem) -> Option<(usize, String)> {
    for (j, sent) in pm.invitations.iter().enumerate() {
        if let Some(problem) = sent.invitation.problems().into_iter().next() {
            return Some((j, format!("the invitation cannot be used: {problem}")));
        }
        if pm.invitations[..j].iter().any(|o| o.invitation.id == sent.invitation.id) {
            return Some((j, "the same invitation appears twice".to_owned()));
        }
    }
    let counts: Vec<usize> = pm.invitations.iter().map(|s| s.contributions.len()).collect();
    tidy_contributions(pm);
    pm.invitations.iter().zip(counts).enumerate().find(|(_, (s, n))| s.contributions.len() != *n).map(|(j, _)| {
        (j, "some of its contributions are repeated or do not fit the invitation (blank, or answering questions it does not ask)".to_owned())
    })
}

/// The file's keys for sealed contributions (a full backup carries them).
fn read_keys(value: &Value, broken: &mut Vec<BrokenItem>) -> Result<Vec<SealKey>, String> {
    let items = match value.get("keys") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err("\"keys\" must be a list".to_owned()),
    };
    let mut keys = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        match decode::<SealKey>(&item) {
            Ok(key) => keys.push(key),
            Err(e) => broken.push(decode_failure("keys", i, &e, None)),
        }
    }
    Ok(keys)
}

/// The file's usable templates; each unusable one becomes a broken item saying why.
fn read_templates(value: &Value, broken: &mut Vec<BrokenItem>) -> Result<Vec<Template>, String> {
    let items = match value.get("templates") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err("\"templates\" must be a list".to_owned()),
    };
    let mut templates: Vec<Template> = Vec::new();
    for (i, mut item) in items.into_iter().enumerate() {
        // A team folder's files leave the last-saved time out: the creation time stands in.
        if let Value::Object(fields) = &mut item
            && !fields.contains_key("updated_at")
            && let Some(created) = fields.get("created_at").cloned()
        {
            fields.insert("updated_at".to_owned(), created);
        }
        let title = item.get("name").and_then(Value::as_str).map(str::to_owned);
        match decode::<Template>(&item) {
            Ok(t) => {
                let problems = t.problems();
                if templates.iter().any(|o| o.id == t.id) {
                    broken.push(BrokenItem {
                        place: format!("$.templates[{i}].id"),
                        problem: format!("the template id {} is used twice in this file", t.id),
                        title,
                    });
                } else if !problems.is_empty() {
                    broken.push(BrokenItem { place: format!("$.templates[{i}]"), problem: problems.join(" "), title });
                } else {
                    templates.push(t);
                }
            }
            Err(e) => {
                broken.push(decode_failure("templates", i, &e, title));
            }
        }
    }
    Ok(templates)
}

/// Decodes one entry of a list. The entry is decoded from text, as storage decodes what
/// it reads, so the app holds one decoder per type; on failure, the error's place inside
/// the entry (such as `.timeline[0].evidence[1]`) and its message.
fn decode<T: serde::de::DeserializeOwned>(item: &Value) -> Result<T, (String, String)> {
    let text = serde_json::to_string(item).map_err(|e| (String::new(), e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| {
        let problem = match json_path::found_instead(&text, &e) {
            // A field that takes one of a few words, given something else.
            Some(found) => format!("invalid type: {found}, expected a string"),
            None => describe(&e),
        };
        (json_path::place_of(&text, &e), problem)
    })
}

/// The broken item for entry `i` of the list `list` that could not be decoded.
fn decode_failure(list: &str, i: usize, (inner, problem): &(String, String), title: Option<String>) -> BrokenItem {
    BrokenItem { place: format!("$.{list}[{i}]{inner}"), problem: problem.clone(), title }
}

/// A title to name an item by, cut to a length a message can show.
fn shortened(title: &str) -> String {
    const SHOWN: usize = 80;
    if title.chars().count() <= SHOWN { title.to_owned() } else { title.chars().take(SHOWN).chain(['…']).collect() }
}

fn describe(error: &serde_json::Error) -> String {
    let message = strip_position(&error.to_string());
    if message.contains("http:// and https://") { format!("{message} (the link was refused)") } else { message }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;
    use crate::file_format::Envelope;

    fn backup(pms: Vec<Postmortem>) -> String {
        Envelope::with_postmortems(pms).to_pretty_json().expect("writable")
    }

    #[test]
    fn a_postmortem_over_a_limit_is_refused_by_name_and_the_rest_come_in() {
        let mut huge = full_postmortem(chrono::Utc::now());
        huge.title = "Long ".repeat(20_000);
        for _ in 0..1_001 {
            huge.add_timeline_event(None, crate::domain::model::EventKind::Observation, "x");
        }
        let fine = full_postmortem(chrono::Utc::now());
        let read = read_file("big.json", &backup(vec![huge.clone(), fine.clone()])).expect("readable");
        assert_eq!(read.postmortems, vec![fine]);
        let broken = &read.broken[0];
        assert_eq!(broken.place, "$.postmortems[0].title");
        assert_eq!(
            broken.problem,
            "the title is 100,000 characters long; it may be at most 300 (and 1 more over Debrief's limits)"
        );
        assert_eq!(broken.title.as_deref().map(|t| t.chars().count()), Some(81));
        assert_eq!(read_one_current(&backup(vec![huge])), None);
    }

    #[test]
    fn an_empty_file_says_it_is_empty() {
        for text in ["", "  \n", "\u{feff}"] {
            let e = read_file("empty.json", text).expect_err("refused");
            assert!(e.problem.starts_with("the file is empty"), "{e}");
        }
    }

    fn error_of(text: &str) -> FileError {
        read_file("bad.json", text).expect_err("should be refused")
    }

    fn broken_of(text: &str) -> Vec<BrokenItem> {
        read_file("mixed.json", text).expect("readable file").broken
    }

    #[test]
    fn imported_contributions_are_checked_and_kept_in_content_order() {
        use crate::domain::contribution::{Contribution, Invitation, SentInvitation};
        let mut pm = full_postmortem(chrono::Utc::now());
        let invitation = Invitation::for_postmortem(&pm);
        let contributions: Vec<Contribution> =
            (0..5).map(|i| Contribution::new(&invitation, &[("q1".to_owned(), format!("answer {i}"))])).collect();
        pm.invitations.push(SentInvitation { invitation, contributions });
        let read = read_file("ok.json", &backup(vec![pm.clone()])).expect("readable");
        let kept = &read.postmortems[0].invitations[0].contributions;
        assert_eq!(kept.len(), 5);
        assert!(kept.windows(2).all(|w| w[0].order_key() < w[1].order_key()));

        let repeated = pm.invitations[0].contributions[0].clone();
        pm.invitations[0].contributions.push(repeated);
        let broken = broken_of(&backup(vec![pm.clone()]));
        assert_eq!(broken[0].place, "$.postmortems[0].invitations[0]");
        assert!(broken[0].problem.contains("repeated"), "{}", broken[0].problem);

        pm.invitations[0].contributions.pop();
        pm.invitations[0].invitation.questions.clear();
        let broken = broken_of(&backup(vec![pm]));
        assert!(broken[0].problem.contains("at least one question"), "{}", broken[0].problem);
    }

    #[test]
    fn a_backup_reads_back_every_postmortem() {
        let pms = vec![full_postmortem(chrono::Utc::now()), full_postmortem(chrono::Utc::now())];
        let read = read_file("debrief-backup.json", &backup(pms.clone())).expect("readable");
        assert_eq!(read.postmortems, pms);
        assert!(read.broken.is_empty());
    }

    #[test]
    fn whole_file_problems_name_the_file_place_and_problem() {
        let e = error_of("hello");
        assert_eq!((e.file.as_str(), e.place.as_str()), ("bad.json", "line 1, column 1"));
        assert!(e.problem.starts_with("this is not valid JSON"), "{e}");
        assert_eq!(
            error_of("{\"format\":\"debrief\",\"version\":1,").problem,
            "the file ends too early; it may have been cut off while copying"
        );
        assert_eq!(error_of("[]").place, "$");
        assert_eq!(error_of("{\"format\":\"excalidraw\"}").place, "$.format");
        let newer = error_of("{\"format\":\"debrief\",\"version\":7}");
        assert_eq!(newer.place, "$.version");
        assert!(newer.problem.contains("newer version of Debrief"), "{newer}");
        assert_eq!(error_of("{\"format\":\"debrief\",\"version\":\"one\"}").place, "$.version");
        assert_eq!(error_of("{\"format\":\"debrief\",\"version\":1,\"postmortems\":{}}").place, "$.postmortems");
        let deep = format!("{{\"format\":\"debrief\",\"version\":1,\"x\":{}{}}}", "[".repeat(200), "]".repeat(200));
        assert!(error_of(&deep).problem.contains("nested too deeply"));
        let huge = format!("{{\"format\":\"debrief\",\"version\":1,\"x\":\"{}\"}}", "a".repeat(MAX_INPUT_BYTES));
        assert!(error_of(&huge).problem.contains("larger than"));
    }

    #[test]
    fn broken_items_are_reported_with_their_json_path_and_the_rest_still_reads() {
        let good = full_postmortem(chrono::Utc::now());
        let mut text = backup(vec![good.clone(), full_postmortem(chrono::Utc::now())]);
        // Break the second postmortem's evidence link and nothing else.
        let second = text.rfind("https://grafana.example.com").expect("second link");
        text.replace_range(second..second + "https://".len(), "javascript:");
        let read = read_file("mixed.json", &text).expect("readable");
        assert_eq!(read.postmortems, vec![good]);
        assert_eq!(read.broken.len(), 1);
        assert_eq!(read.broken[0].place, "$.postmortems[1].timeline[0].evidence[0]");
        assert!(read.broken[0].problem.contains("only http:// and https:// links are allowed"), "{:?}", read.broken[0]);
        assert_eq!(read.broken[0].title.as_deref(), Some("Checkout errors after a connection pool change"));
    }

    #[test]
    fn wrong_types_out_of_range_values_and_duplicate_ids_are_broken_items() {
        let pm = full_postmortem(chrono::Utc::now());
        let wrong_type = backup(vec![pm.clone()]).replacen("\"title\": \"Checkout", "\"title\": 42, \"x\": \"", 1);
        let b = broken_of(&wrong_type);
        assert_eq!(b[0].place, "$.postmortems[0].title");
        assert!(b[0].problem.contains("invalid type"), "{:?}", b);
        let out_of_range = backup(vec![pm.clone()]).replacen("\"severity\": 2", "\"severity\": 9", 1);
        let b = broken_of(&out_of_range);
        assert_eq!(b[0].place, "$.postmortems[0].severity");
        assert!(b[0].problem.contains("severity 9 is not between 1 and 4"), "{:?}", b);
        let duplicated = backup(vec![pm.clone(), pm.clone()]);
        let b = broken_of(&duplicated);
        assert_eq!(b[0].place, "$.postmortems[1].id");
        assert!(b[0].problem.contains("used twice"));
    }

    #[test]
    fn a_list_where_text_belongs_and_no_word_where_a_word_belongs_are_named_plainly() {
        let mut pm = full_postmortem(chrono::Utc::now());
        pm.tags = vec!["dns".into(), "cache".into()];
        let text = backup(vec![pm.clone()]);
        let nested = text.replacen("\"cache\"", "[\"cache\"]", 1);
        let b = broken_of(&nested);
        assert_eq!(b[0].place, "$.postmortems[0].tags[1]");
        assert_eq!(b[0].problem, "invalid type: sequence, expected a string");
        let status = format!("\"status\": {}", serde_json::to_string(&pm.status).expect("writable"));
        assert!(text.contains(&status), "{status}");
        let b = broken_of(&text.replacen(&status, "\"status\": null", 1));
        assert_eq!(b[0].place, "$.postmortems[0].status");
        assert_eq!(b[0].problem, "invalid type: null, expected a string");
        let b = broken_of(&text.replacen(&status, "\"status\": 2", 1));
        assert_eq!(b[0].problem, "invalid type: integer `2`, expected a string");
    }

    #[test]
    fn a_template_survives_export_and_import() {
        let mut t = crate::domain::template::builtin::all().remove(2).copy();
        t.name = "Our review".into();
        let text = crate::file_format::export_template(&t).expect("writable");
        let read = read_file("our-review.debrief-template.json", &text).expect("readable");
        assert_eq!((read.templates, read.postmortems.len(), read.broken.len()), (vec![t], 0, 0));
    }

    #[test]
    fn a_malformed_template_is_a_broken_item_that_says_what_to_fix() {
        let t = crate::domain::template::Template::blank();
        let good = crate::file_format::export_template(&t).expect("writable");
        let wrong_part = good.replacen("\"part\": \"summary\"", "\"part\": \"horoscope\"", 1);
        let read = read_file("t.json", &wrong_part).expect("readable");
        assert!(read.templates.is_empty());
        assert_eq!(read.broken[0].place, "$.templates[0].sections[0].part");
        assert!(read.broken[0].problem.contains("unknown variant `horoscope`"), "{:?}", read.broken);
        // A template without a prompt cannot be handed out like that.
        let prompt = "\"What happened, in two or three sentences a newcomer can follow?\"";
        let no_prompt = good.replacen(prompt, "\"\"", 1);
        let read = read_file("t.json", &no_prompt).expect("readable");
        assert!(read.broken.first().is_some_and(|b| b.problem.contains("needs a prompt")), "{:?}", read.broken);
        let not_a_list = good.replacen("\"templates\": [", "\"templates\": {\"x\": [", 1).replacen("]\n}", "]}\n}", 1);
        let e = read_file("t.json", &not_a_list).expect_err("refused");
        assert!(e.place.contains("templates") || e.problem.contains("JSON"), "{e:?}");
    }

    #[test]
    fn template_parts_of_a_postmortem_are_checked_on_the_way_in() {
        let mut pm = crate::domain::sample::templated_postmortem(chrono::Utc::now());
        pm.answers.push(crate::domain::template::Answer {
            key: "trigger".into(),
            title: "Trigger".into(),
            text: "A second trigger answer".into(),
        });
        let read = read_file("t.json", &backup(vec![pm.clone()])).expect("readable");
        let trigger = crate::domain::template::answer_text(&read.postmortems[0], "trigger").unwrap_or_default();
        assert!(trigger.ends_with("\n\nA second trigger answer"), "duplicates are joined, not hidden: {trigger}");
        if let Some(t) = pm.template.as_mut() {
            t.sections[1].key = "start".into();
        }
        let read = read_file("t.json", &backup(vec![pm])).expect("readable");
        assert_eq!(read.broken[0].place, "$.postmortems[0].template");
        assert!(read.broken[0].problem.contains("no usable key"), "{:?}", read.broken);
    }
}
