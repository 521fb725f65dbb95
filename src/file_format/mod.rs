//! The one versioned JSON envelope that storage keeps and export writes.
//!
//! Every stored entry and every exported file is `{"format": "debrief", "version": N,
//! "app_version": "...", ...}`. The header is checked before anything else is decoded,
//! so a file from a newer Debrief is refused with that reason instead of being half read.

pub mod compact;
pub mod contribution;
pub mod folder;
pub mod import;
mod json_path;
pub mod migrations;
pub mod pretty;
pub mod text;
pub mod zip;

use crate::domain::template::Template;
use crate::domain::{Postmortem, Summary};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The `format` every Debrief file and stored entry carries.
pub const FORMAT_NAME: &str = "debrief";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 4;
/// The version of the app that writes files.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The largest text Debrief will try to read as a file, in bytes: room for a full backup
/// of a few thousand postmortems.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// The persisted shape: a header, then what the file or entry holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub format: String,
    pub version: u32,
    pub app_version: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub postmortems: Vec<Postmortem>,
    /// Custom templates: in a template file, in a backup, or in the stored template list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    /// Keys that open sealed contributions: in the stored key list and in full backups only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<contribution::SealKey>,
    /// Present only in the library index entry: the list of summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<Vec<Summary>>,
}

/// Why some text could not be read as a Debrief file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FormatError {
    #[error("it is larger than the {} MB limit", MAX_INPUT_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("it is not valid JSON ({0})")]
    NotJson(String),
    #[error("it is not a Debrief file (no \"format\": \"debrief\" header)")]
    NotDebrief,
    #[error(
        "it was made by a newer version of Debrief (format {found}; this version reads up to {FORMAT_VERSION}): update Debrief to open it"
    )]
    NewerVersion { found: u64 },
    #[error("its format version {0} is not one Debrief ever wrote")]
    UnknownVersion(u64),
    #[error("its content is not valid: {0}")]
    Invalid(String),
    #[error("it could not be written as JSON ({0})")]
    Unwritable(String),
}

#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

impl Envelope {
    /// An envelope holding `postmortems`, stamped with this build's versions.
    pub fn with_postmortems(postmortems: Vec<Postmortem>) -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            app_version: APP_VERSION.to_owned(),
            postmortems,
            templates: Vec::new(),
            keys: Vec::new(),
            index: None,
        }
    }

    /// An envelope holding templates.
    pub fn with_templates(templates: Vec<Template>) -> Self {
        Self { templates, ..Self::with_postmortems(Vec::new()) }
    }

    /// An envelope holding the library index.
    pub fn with_index(summaries: Vec<Summary>) -> Self {
        Self { index: Some(summaries), ..Self::with_postmortems(Vec::new()) }
    }

    /// Writes the envelope as compact JSON, as storage keeps it.
    pub fn to_json(&self) -> Result<String, FormatError> {
        serde_json::to_string(self).map_err(|e| FormatError::Unwritable(e.to_string()))
    }

    /// Writes the envelope in the compact form browser storage keeps (see [`compact`]).
    pub fn to_stored(&self) -> Result<String, FormatError> {
        self.to_json().map(|json| compact::pack(&json))
    }

    /// Reads a stored entry: the compact form, or the plain JSON earlier versions stored.
    pub fn from_stored(text: &str) -> Result<Self, FormatError> {
        Self::parse(&compact::unpack(text)?)
    }

    /// Writes the envelope as indented JSON, for files people may open.
    pub fn to_pretty_json(&self) -> Result<String, FormatError> {
        self.to_json().map(|json| pretty::indent(&json))
    }

    /// Reads untrusted text: checks size and header, migrates older versions, then decodes.
    pub fn parse(text: &str) -> Result<Self, FormatError> {
        if text.len() > MAX_INPUT_BYTES {
            return Err(FormatError::TooLarge);
        }
        let header: Header = serde_json::from_str(text)
            .map_err(|e| if e.is_data() { FormatError::NotDebrief } else { FormatError::NotJson(e.to_string()) })?;
        if header.format.as_ref().and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
            return Err(FormatError::NotDebrief);
        }
        let version = header
            .version
            .as_ref()
            .and_then(|v| v.as_u64())
            .ok_or_else(|| FormatError::Invalid("\"version\" must be a whole number".into()))?;
        match version {
            v if v > u64::from(FORMAT_VERSION) => Err(FormatError::NewerVersion { found: v }),
            v if v == u64::from(FORMAT_VERSION) => {
                serde_json::from_str(text).map_err(|e| FormatError::Invalid(e.to_string()))
            }
            v @ 1.. => {
                let value: serde_json::Value =
                    serde_json::from_str(text).map_err(|e| FormatError::Invalid(e.to_string()))?;
                let value = migrations::migrate(value, v).map_err(FormatError::Invalid)?;
                // Decoded from text, as the current version is: a second decoder from
                // `Value` would put every `Deserialize` impl in the app twice.
                let text = serde_json::to_string(&value).map_err(|e| FormatError::Invalid(e.to_string()))?;
                serde_json::from_str(&text).map_err(|e| {
                    let place = json_path::place_of(&text, &e);
                    FormatError::Invalid(format!("{} at ${place}", json_path::strip_position(&e.to_string())))
                })
            }
            v => Err(FormatError::UnknownVersion(v)),
        }
    }
}

/// Writes one postmortem as a file someone can keep or share.
pub fn export_postmortem(pm: &Postmortem) -> Result<String, FormatError> {
    Envelope::with_postmortems(vec![pm.clone()]).to_pretty_json()
}

/// Writes one template as a file to hand to a colleague.
pub fn export_template(template: &Template) -> Result<String, FormatError> {
    Envelope::with_templates(vec![template.clone()]).to_pretty_json()
}

/// A file name for a template download: its name made safe, plus `.debrief-template.json`.
pub fn template_file_name(template: &Template) -> String {
    format!("{}.debrief-template.json", safe_name(&template.name, "template"))
}

/// A file name for a postmortem download: its title made safe, plus `.debrief.json`.
pub fn file_name_for(pm: &Postmortem) -> String {
    format!("{}.debrief.json", safe_name(pm.display_title(), "postmortem"))
}

/// `title` in lower-case letters, digits and hyphens, at most about 60 long; `fallback` when nothing is left.
fn safe_name(title: &str, fallback: &str) -> String {
    let mut name = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            name.extend(c.to_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
        if name.len() >= 60 {
            break;
        }
    }
    let name = name.trim_end_matches('-');
    if name.is_empty() { fallback.to_owned() } else { name.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;

    #[test]
    fn a_postmortem_survives_export_and_parse() {
        let pm = full_postmortem(chrono::Utc::now());
        let parsed = Envelope::parse(&export_postmortem(&pm).expect("writable")).expect("readable");
        assert_eq!(parsed.postmortems, vec![pm]);
        assert_eq!(parsed.format, FORMAT_NAME);
    }

    #[test]
    fn the_header_is_checked_before_the_body() {
        assert!(matches!(Envelope::parse("not json"), Err(FormatError::NotJson(_))));
        assert!(matches!(Envelope::parse("{\"a\":"), Err(FormatError::NotJson(_))));
        assert_eq!(Envelope::parse("[1,2]"), Err(FormatError::NotDebrief));
        assert_eq!(Envelope::parse("{\"format\":\"excalidraw\",\"version\":1}"), Err(FormatError::NotDebrief));
        assert_eq!(
            Envelope::parse("{\"format\":\"debrief\",\"version\":99,\"postmortems\":\"whatever\"}"),
            Err(FormatError::NewerVersion { found: 99 })
        );
        assert_eq!(Envelope::parse("{\"format\":\"debrief\",\"version\":0}"), Err(FormatError::UnknownVersion(0)));
        assert!(matches!(Envelope::parse("{\"format\":\"debrief\",\"version\":\"1\"}"), Err(FormatError::Invalid(_))));
    }

    #[test]
    fn a_field_of_the_wrong_type_is_reported_with_its_place() {
        let text = r#"{"format":"debrief","version":4,"app_version":"0.1.0","postmortems":[{"id":42}]}"#;
        match Envelope::parse(text) {
            Err(FormatError::Invalid(why)) => assert!(why.contains("column"), "{why}"),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn a_field_of_the_wrong_type_in_an_older_version_is_reported_with_its_place() {
        let text = r#"{"format":"debrief","version":3,"app_version":"0.1.0","postmortems":[{"id":42}]}"#;
        match Envelope::parse(text) {
            Err(FormatError::Invalid(why)) => {
                assert!(why.ends_with(" at $.postmortems[0].id"), "{why}");
                assert!(why.starts_with("invalid type: integer `42`"), "{why}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn hostile_links_are_refused_on_read() {
        let pm = full_postmortem(chrono::Utc::now());
        let text =
            export_postmortem(&pm).expect("writable").replace("https://grafana.example.com", "javascript:alert(1)//");
        assert!(matches!(Envelope::parse(&text), Err(FormatError::Invalid(_))));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(Envelope::parse(&deep).is_err());
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = " ".repeat(MAX_INPUT_BYTES + 1);
        assert_eq!(Envelope::parse(&big), Err(FormatError::TooLarge));
    }

    #[test]
    fn the_version_one_fixture_still_opens() {
        let text = include_str!("../../tests/fixtures/v1-postmortem.debrief.json");
        let parsed = Envelope::parse(text).expect("fixture readable");
        assert_eq!(parsed.version, FORMAT_VERSION, "migrated as it is read");
        let pm = parsed.postmortems.first().expect("one postmortem");
        assert_eq!(pm.title, "Checkout errors after a connection pool change");
        assert_eq!(pm.timeline.len(), 3);
        assert_eq!(pm.action_items.first().and_then(|a| a.verdict), Some(crate::domain::Verdict::Worked));
    }

    #[test]
    fn the_version_two_fixture_opens_with_its_lineage() {
        let text = include_str!("../../tests/fixtures/v2-postmortem.debrief.json");
        let parsed = Envelope::parse(text).expect("fixture readable");
        assert_eq!(parsed.version, FORMAT_VERSION, "migrated as it is read");
        let pm = parsed.postmortems.first().expect("one postmortem");
        assert_eq!(pm.lineage.as_ref().map(|l| l.base.0.len()), Some(32));
        let read = import::read_file("v2.json", text).expect("importable");
        assert_eq!(read.postmortems[0].lineage, pm.lineage);
        assert_eq!(pm.key_times.time_zone.name(), "UTC+01:00", "a fixed offset until a zone is picked");
    }

    #[test]
    fn the_version_three_fixture_opens_with_its_zone_and_instants() {
        let text = include_str!("../../tests/fixtures/v3-postmortem.debrief.json");
        let parsed = Envelope::parse(text).expect("fixture readable");
        let pm = parsed.postmortems.first().expect("one postmortem");
        assert_eq!(pm.key_times.time_zone.name(), "Europe/London");
        assert_eq!(
            pm.key_times.impact_started.map(|m| m.instant().to_rfc3339()).as_deref(),
            Some("2026-04-14T12:58:00+00:00")
        );
        assert!(pm.circulated_at.is_some() && pm.records_plan_changes());
        let read = import::read_file("v3.json", text).expect("importable");
        assert_eq!(read.postmortems[0].key_times, pm.key_times);
    }

    #[test]
    fn the_version_four_fixture_opens_with_its_review_and_checklist() {
        use crate::domain::model::Anchor;
        let text = include_str!("../../tests/fixtures/v4-postmortem.debrief.json");
        let parsed = Envelope::parse(text).expect("fixture readable");
        let pm = parsed.postmortems.first().expect("one postmortem");
        let review = &pm.review;
        assert_eq!(review.reviewers, ["Site reliability lead", "Priya Shah"]);
        assert_eq!(review.meeting, chrono::NaiveDate::from_ymd_opt(2026, 4, 17));
        let anchors: Vec<String> = review.comments.iter().map(|c| c.anchor.to_string()).collect();
        assert!(anchors[0] == "section:impact" && anchors[4] == "postmortem", "{anchors:?}");
        assert!(matches!(review.comments[1].anchor, Anchor::Event(id) if id == pm.timeline[1].id));
        assert_eq!(review.open_comments().count(), 4);
        assert_eq!(review.approval().map(|a| a.by.as_str()), Some("Priya Shah"));
        assert_eq!(parsed.templates[0].checklist.len(), 2);
        let read = import::read_file("v4.json", text).expect("importable");
        assert!(read.broken.is_empty(), "{:?}", read.broken);
        assert_eq!(read.postmortems[0].review, pm.review);
        let again = Envelope::parse(&export_postmortem(pm).expect("writable")).expect("readable");
        assert_eq!(again.postmortems[0].review, pm.review, "written back the same");
    }

    #[test]
    fn download_names_are_safe_and_descriptive() {
        let mut pm = full_postmortem(chrono::Utc::now());
        pm.title = "DB outage: eu-west/1 <script>".into();
        assert_eq!(file_name_for(&pm), "db-outage-eu-west-1-script.debrief.json");
        pm.title = "   ".into();
        assert_eq!(file_name_for(&pm), "untitled-postmortem.debrief.json");
        pm.title = "///".into();
        assert_eq!(file_name_for(&pm), "postmortem.debrief.json");
    }
}

/// The sample postmortem offered on first run: an invented incident, written for Debrief,
/// that shows every part of a postmortem. Stored in the export format like any shared file.
const SAMPLE: &str = include_str!("sample_postmortem.json");

/// Reads the sample postmortem.
pub fn sample_postmortem() -> Result<Postmortem, import::FileError> {
    let read = import::read_file("sample postmortem", SAMPLE)?;
    read.postmortems.into_iter().next().ok_or_else(|| import::FileError {
        file: "sample postmortem".to_owned(),
        place: "the whole file".to_owned(),
        problem: "it holds no postmortem".to_owned(),
    })
}

#[cfg(test)]
mod sample_tests {
    use super::sample_postmortem;
    use crate::domain::template::completeness;
    use crate::domain::wording::open_findings;

    #[test]
    fn the_sample_reads_and_shows_every_part_of_a_postmortem() {
        let pm = sample_postmortem().expect("the sample reads");
        assert!(!pm.title.is_empty() && !pm.summary.is_empty() && !pm.incident_ref.is_empty());
        assert!(pm.severity.is_some() && !pm.services.is_empty() && !pm.tags.is_empty());
        let d = pm.durations();
        use crate::domain::durations::Span;
        for span in [d.to_detect, d.to_mitigate, d.to_resolve, d.total_impact] {
            assert!(matches!(span, Span::Minutes(m) if m > 0), "{d:?}");
        }
        assert!(pm.participants.len() >= 3 && !pm.impact.figures.is_empty());
        assert!(pm.timeline.len() >= 10 && pm.timeline.iter().any(|e| !e.evidence.is_empty()));
        assert!(pm.factors.len() >= 3 && pm.action_items.len() >= 4);
        assert!(
            !pm.lessons.went_well.is_empty() && !pm.lessons.went_wrong.is_empty() && !pm.lessons.got_lucky.is_empty()
        );
        assert!(!pm.invitations.is_empty() && pm.invitations.iter().any(|i| !i.contributions.is_empty()));
        let c = completeness(&pm).expect("the sample follows a template");
        assert!(c.is_complete(), "still empty: {:?}", c.missing);
    }

    #[test]
    fn the_sample_is_written_without_blame() {
        let pm = sample_postmortem().expect("the sample reads");
        let findings = open_findings(&pm);
        assert!(findings.is_empty(), "the wording assistant flags the sample: {findings:#?}");
    }
}
