use super::*;
use crate::domain::lineage::same_content;
use crate::domain::sample::full_postmortem;
use crate::file_format::import::read_file;
use chrono::{DateTime, Utc};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn read_back(text: &str) -> Postmortem {
    let read = read_file("folder.json", text).expect("a canonical file reads back");
    assert!(read.broken.is_empty(), "{:?}", read.broken);
    read.postmortems.into_iter().next().expect("one postmortem")
}

#[test]
fn writing_twice_gives_identical_bytes_and_reads_back_the_same_content() {
    let pm = full_postmortem(now());
    let first = postmortem_text(&pm).expect("written");
    let mut saved_later = pm.clone();
    saved_later.revision += 7;
    saved_later.updated_at = now() + chrono::Duration::hours(3);
    let second = postmortem_text(&saved_later).expect("written");
    assert_eq!(first, second, "the save counter and last-saved time stay out of the file");
    let back = read_back(&first);
    assert!(same_content(&back, &pm));
    assert_eq!(postmortem_text(&back).expect("written"), first, "reading and writing again changes nothing");
    assert!(first.ends_with("}\n"));
}

#[test]
fn keys_come_in_a_fixed_order_and_every_list_element_has_its_own_line() {
    let pm = full_postmortem(now());
    let text = postmortem_text(&pm).expect("written");
    for local in ["\"revision\"", "\"updated_at\"", "\"deleted_at\"", "\"lineage\""] {
        assert!(!text.contains(local), "{local} stays out of the shared file");
    }
    // The order of the type: id, created_at, title, ..., the timeline after the impact.
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap_or_else(|| panic!("{key} is written"));
    assert!(at("id") < at("created_at") && at("created_at") < at("title") && at("impact") < at("timeline"));
    // One timeline event a line, each complete JSON, in the postmortem's order.
    let events: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("\"timeline\": ["))
        .skip(1)
        .take_while(|l| l.trim_start() != "]," && l.trim_start() != "]")
        .collect();
    assert_eq!(events.len(), pm.timeline.len());
    for (line, event) in events.iter().zip(&pm.timeline) {
        let value: serde_json::Value =
            serde_json::from_str(line.trim().trim_end_matches(',')).expect("each element is whole JSON");
        assert_eq!(value["id"], serde_json::json!(event.id));
    }
    // The envelope and the postmortem are laid out a key a line.
    assert!(text.starts_with("{\n  \"format\": \"debrief\",\n  \"version\": 4,"), "{text}");
}

#[test]
fn an_edit_to_one_timeline_event_changes_one_line() {
    let pm = full_postmortem(now());
    let mut edited = pm.clone();
    edited.timeline[1].description.push_str(" (edited)");
    edited.summary.push_str(" More.");
    let (a, b) = (postmortem_text(&pm).expect("written"), postmortem_text(&edited).expect("written"));
    let changed = a.lines().zip(b.lines()).filter(|(x, y)| x != y).count();
    assert_eq!(a.lines().count(), b.lines().count());
    assert_eq!(changed, 2, "the summary line and the one event's line");
}

#[test]
fn names_come_from_values_that_never_change() {
    let pm = full_postmortem(now());
    let path = postmortem_path(&pm);
    assert_eq!(path, format!("postmortems/{}--{}.json", pm.created_at.format("%Y-%m-%d"), pm.id));
    let mut retitled = pm.clone();
    retitled.title = "Another title".into();
    assert_eq!(postmortem_path(&retitled), path);
    assert_eq!(id_in_name(path.trim_start_matches("postmortems/")), Some(pm.id));
    assert_eq!(markdown_path(&path), path.replace(".json", ".md"));
    assert_eq!(id_in_name("notes.json"), None);
    assert_eq!(template_path(&TemplateId("custom-../x".into())), "templates/custom-x.json");
}

#[test]
fn the_library_file_states_its_version() {
    assert_eq!(library_version(&library_text()), Ok(u64::from(FORMAT_VERSION)));
    assert!(library_version("{\"format\":\"other\",\"version\":1}").is_err());
    assert!(library_version("not json").is_err());
}

const MERGE_STYLE: &str = "{\n  \"a\": 1,\n<<<<<<< HEAD\n  \"b\": \"ours\",\n=======\n  \"b\": \"theirs\",\n>>>>>>> origin/main\n  \"c\": 3\n}\n";
const DIFF3_STYLE: &str = "{\n  \"a\": 1,\n<<<<<<< HEAD\n  \"b\": \"ours\",\n||||||| merged common ancestors\n  \"b\": \"base\",\n=======\n  \"b\": \"theirs\",\n>>>>>>> origin/main\n  \"c\": 3\n}\n";

#[test]
fn both_conflict_marker_styles_split_into_their_versions() {
    let merge = split_conflicts(MERGE_STYLE).expect("pairs up").expect("has markers");
    assert_eq!(merge.ours, "{\n  \"a\": 1,\n  \"b\": \"ours\",\n  \"c\": 3\n}\n");
    assert_eq!(merge.theirs, "{\n  \"a\": 1,\n  \"b\": \"theirs\",\n  \"c\": 3\n}\n");
    assert_eq!(merge.base, None);
    let diff3 = split_conflicts(DIFF3_STYLE).expect("pairs up").expect("has markers");
    assert_eq!((diff3.ours, diff3.theirs), (merge.ours, merge.theirs));
    assert_eq!(diff3.base.as_deref(), Some("{\n  \"a\": 1,\n  \"b\": \"base\",\n  \"c\": 3\n}\n"));
    assert!(has_conflict_markers(MERGE_STYLE) && has_conflict_markers(DIFF3_STYLE));
}

#[test]
fn a_file_without_markers_or_with_broken_markers_is_told_apart() {
    assert_eq!(split_conflicts("{\n  \"a\": 1\n}\n"), Ok(None));
    assert!(split_conflicts("{\n<<<<<<< HEAD\n  \"b\": 1\n}\n").is_err(), "never closed");
    assert!(split_conflicts("{\n=======\n}\n").is_err(), "a separator outside a conflict");
    assert!(split_conflicts("<<<<<<< HEAD\na\n<<<<<<< HEAD\n").is_err(), "nested");
    // Windows line ends are kept on every side.
    let crlf = MERGE_STYLE.replace('\n', "\r\n");
    let split = split_conflicts(&crlf).expect("pairs up").expect("has markers");
    assert!(split.ours.contains("\"ours\",\r\n"));
}

#[test]
fn a_conflicted_postmortem_file_splits_into_two_readable_versions() {
    let pm = full_postmortem(now());
    let mut ours = pm.clone();
    ours.summary = "Ours.".into();
    let mut theirs = pm.clone();
    theirs.summary = "Theirs.".into();
    let (base_text, ours_text, theirs_text) = (
        postmortem_text(&pm).expect("written"),
        postmortem_text(&ours).expect("written"),
        postmortem_text(&theirs).expect("written"),
    );
    // What git writes with diff3 for one conflicting line.
    let mut conflicted = String::new();
    for ((o, t), b) in ours_text.lines().zip(theirs_text.lines()).zip(base_text.lines()) {
        if o == t {
            conflicted.push_str(&format!("{o}\n"));
        } else {
            conflicted.push_str(&format!("<<<<<<< HEAD\n{o}\n||||||| base\n{b}\n=======\n{t}\n>>>>>>> theirs\n"));
        }
    }
    let split = split_conflicts(&conflicted).expect("pairs up").expect("has markers");
    assert_eq!(read_back(&split.ours).summary, "Ours.");
    assert_eq!(read_back(&split.theirs).summary, "Theirs.");
    assert!(same_content(&read_back(&split.base.expect("diff3 base")), &pm));
}
