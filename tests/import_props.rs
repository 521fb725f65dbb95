//! Property tests of the file format: export then import gives back the same data for
//! generated postmortems, and the importer never panics on arbitrary input.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use debrief::domain::contribution::{
    Contribution, ContributionAnswer, ContributionId, Invitation, InvitationId, SentInvitation,
};
use debrief::domain::time::UtcOffset;
use debrief::domain::*;
use debrief::file_format::Envelope;
use debrief::file_format::import::{read_file, read_one_current};
use proptest::prelude::*;
use std::sync::OnceLock;
use uuid::Uuid;

/// The published JSON Schema (served with the app as debrief.schema.json).
fn schema() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: serde_json::Value =
            serde_json::from_str(include_str!("../public/debrief.schema.json")).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
    })
}

fn schema_errors(text: &str) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(text).expect("exports are JSON");
    schema().iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

#[test]
fn every_kind_of_export_validates_against_the_published_schema() {
    let now = Utc::now();
    let mut trashed = debrief::domain::sample::full_postmortem(now);
    trashed.trash(now);
    trashed.dismissed_findings.push(debrief::domain::wording::Dismissal {
        field: "pm-summary".into(),
        category: debrief::domain::wording::Category::Hindsight,
        phrase: "obviously".into(),
    });
    let exports = [
        debrief::file_format::export_postmortem(&debrief::domain::sample::full_postmortem(now)).expect("writable"),
        debrief::file_format::export_postmortem(&Postmortem::new(PostmortemId::random(), now)).expect("writable"),
        Envelope::with_postmortems(vec![trashed, Postmortem::new(PostmortemId::random(), now)])
            .to_pretty_json()
            .expect("writable"),
        include_str!("fixtures/v1-postmortem.debrief.json").to_owned(),
        include_str!("fixtures/v2-postmortem.debrief.json").to_owned(),
        include_str!("fixtures/v3-postmortem.debrief.json").to_owned(),
        include_str!("fixtures/v4-postmortem.debrief.json").to_owned(),
        debrief::file_format::export_postmortem(&debrief::domain::sample::templated_postmortem(now)).expect("writable"),
        Envelope::with_templates(debrief::domain::template::builtin::all()).to_pretty_json().expect("writable"),
    ];
    for text in exports {
        assert_eq!(schema_errors(&text), Vec::<String>::new());
    }
    let hostile =
        include_str!("fixtures/v1-postmortem.debrief.json").replace("https://grafana", "javascript://grafana");
    assert!(!schema_errors(&hostile).is_empty(), "the schema refuses other link schemes too");
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (1_500_000_000i64..2_000_000_000).prop_map(|s| Utc.timestamp_opt(s, 0).single().unwrap_or_default())
}

/// An instant to the second, written at any offset in use on Earth.
fn moment() -> impl Strategy<Value = Option<Moment>> {
    proptest::option::of((instant(), -48i32..=56).prop_map(|(t, quarters)| {
        let offset = UtcOffset::from_minutes(quarters * 15).unwrap_or_default().fixed();
        Moment::from_instant(Utc.timestamp_opt(t.timestamp(), 0).single().unwrap_or(t), offset)
    }))
}

fn zone() -> impl Strategy<Value = Zone> {
    prop_oneof![
        (-48i32..=56).prop_map(|q| Zone::Fixed(UtcOffset::from_minutes(q * 15).unwrap_or_default())),
        pick(&["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kathmandu"])
            .prop_map(|name| Zone::Named(name.to_owned())),
    ]
}

fn id() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, including quotes, markup and control characters.
    "(?s).{0,40}"
}

fn link() -> impl Strategy<Value = Link> {
    ("(http|https)", "[a-z]{1,10}", "[a-z0-9/?=&]{0,20}").prop_filter_map("valid link", |(scheme, host, path)| {
        Link::parse(&format!("{scheme}://{host}.example/{path}")).ok()
    })
}

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

/// Some rows are marked as promoted from an anonymous contribution (half, by their id).
fn marked(id: Uuid) -> Option<ContributionId> {
    id.as_bytes()[0].is_multiple_of(2).then_some(ContributionId(id))
}

fn entry() -> impl Strategy<Value = Entry> {
    (id(), text()).prop_map(|(id, text)| Entry { id, text, from_contribution: marked(id) })
}

fn postmortem() -> impl Strategy<Value = Postmortem> {
    let head = (
        id(),
        instant(),
        instant(),
        proptest::option::of(instant()),
        text(),
        text(),
        pick(Status::ALL),
        proptest::option::of(1u8..=4),
        text(),
    );
    let times = (zone(), moment(), moment(), moment(), moment());
    let lists = (
        proptest::collection::vec(text(), 0..4),
        proptest::collection::vec((id(), text(), text()), 0..3),
        proptest::collection::vec(
            (id(), moment(), pick(EventKind::ALL), text(), proptest::collection::vec(link(), 0..3)),
            0..5,
        ),
        proptest::collection::vec(
            (id(), text(), pick(FactorCategory::ALL), proptest::collection::vec(entry(), 0..3)),
            0..3,
        ),
        proptest::collection::vec(
            (
                id(),
                text(),
                pick(ActionType::ALL),
                pick(Priority::ALL),
                text(),
                proptest::option::of(0u32..3000),
                pick(ActionStatus::ALL),
                proptest::option::of(link()),
                proptest::option::of(pick(Verdict::ALL)),
            ),
            0..3,
        ),
        (
            proptest::collection::vec(entry(), 0..3),
            proptest::collection::vec(entry(), 0..3),
            proptest::collection::vec(entry(), 0..3),
        ),
    );
    (head, times, lists).prop_map(|(head, times, lists)| {
        let (pid, created, updated, deleted, title, incident_ref, status, severity, summary) = head;
        let mut pm = Postmortem::new(PostmortemId(pid), created);
        pm.updated_at = updated;
        pm.deleted_at = deleted;
        pm.title = title;
        pm.incident_ref = incident_ref;
        pm.status = status;
        pm.severity = severity.and_then(Severity::new);
        pm.summary = summary;
        pm.key_times = KeyTimes {
            time_zone: times.0,
            no_offset: NoOffset,
            impact_started: times.1,
            detected: times.2,
            mitigated: times.3,
            resolved: times.4,
        };
        let (labels, people, events, factors, actions, lessons) = lists;
        pm.services = labels.clone();
        pm.tags = labels;
        pm.participants = people.into_iter().map(|(id, name, role)| Participant::new(id, name, role)).collect();
        pm.timeline = events
            .into_iter()
            .map(|(id, at, kind, description, evidence)| TimelineEvent {
                id,
                at,
                kind,
                description,
                evidence,
                from_contribution: marked(id),
            })
            .collect();
        pm.factors = factors
            .into_iter()
            .map(|(id, description, category, whys)| ContributingFactor {
                id,
                description,
                category,
                whys,
                from_contribution: marked(id),
            })
            .collect();
        pm.action_items = actions
            .into_iter()
            .map(|(id, description, kind, priority, owner, due, status, tracking, verdict)| ActionItem {
                id,
                description,
                kind,
                priority,
                owner,
                due: due.and_then(|d| {
                    NaiveDate::from_ymd_opt(2026, 1, 1)
                        .and_then(|base| base.checked_add_days(chrono::Days::new(d.into())))
                }),
                status,
                tracking,
                verdict,
                created_on: NaiveDate::from_ymd_opt(2026, 1, 1),
                done_on: None,
                review_note: String::new(),
                reviewed_on: None,
                history: Vec::new(),
            })
            .collect();
        pm.lessons = Lessons { went_well: lessons.0, went_wrong: lessons.1, got_lucky: lessons.2 };
        // An invitation whose one contribution answers with the first event's words.
        if let Some(first) = pm.timeline.first().cloned() {
            let mut invitation = Invitation::for_postmortem(&pm);
            invitation.id = InvitationId(first.id);
            invitation.title = format!("About: {}", invitation.title);
            let answers =
                vec![ContributionAnswer { question: "q1".into(), text: format!("Seen: {}", first.description) }];
            let contributions = vec![Contribution { id: ContributionId(first.id), answers }];
            pm.invitations.push(SentInvitation { invitation, contributions });
        }
        pm
    })
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("debrief")),
        Just(serde_json::Value::from(1)),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(
                prop_oneof![
                    Just("format".to_owned()),
                    Just("version".to_owned()),
                    Just("postmortems".to_owned()),
                    Just("id".to_owned()),
                    Just("title".to_owned()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn export_then_import_gives_identical_postmortems(pms in proptest::collection::vec(postmortem(), 0..4)) {
        let mut pms = pms;
        pms.dedup_by_key(|p| p.id);
        let envelope = Envelope::with_postmortems(pms.clone());
        let text = envelope.to_pretty_json().expect("writable");
        // Indented from the compact form, exactly as serde_json's own pretty printer would.
        prop_assert_eq!(&text, &serde_json::to_string_pretty(&envelope).expect("writable"));
        prop_assert_eq!(schema_errors(&text), Vec::<String>::new());
        let read = read_file("generated.json", &text).expect("readable");
        prop_assert!(read.broken.is_empty(), "{:?}", read.broken);
        prop_assert_eq!(read.postmortems, pms);
    }

    #[test]
    fn a_team_folder_file_reads_the_same_straight_into_the_model_as_through_the_importer(pm in postmortem(), twice in any::<bool>()) {
        let text = debrief::file_format::folder::postmortem_text(&pm).expect("writable");
        let full = read_file("folder.json", &text).expect("readable");
        prop_assert_eq!(read_one_current(&text), full.postmortems.into_iter().next());
        // A key written twice is never read the quick way (the importer says where it is).
        if twice {
            let doubled = text.replacen("\"title\":", "\"title\": \"shadow\",\n\"title\":", 1);
            prop_assert_eq!(read_one_current(&doubled), None);
            prop_assert!(read_file("folder.json", &doubled).is_err());
        }
    }

    #[test]
    fn indented_files_are_what_the_pretty_printer_writes(value in json_value()) {
        let compact = serde_json::to_string(&value).expect("writable");
        let pretty = serde_json::to_string_pretty(&value).expect("writable");
        prop_assert_eq!(debrief::file_format::pretty::indent(&compact), pretty);
    }

    #[test]
    fn the_importer_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = read_file("random.bin", &text);
        let _ = Envelope::parse(&text);
    }

    #[test]
    fn the_importer_never_panics_on_arbitrary_json(value in json_value(), postmortems in proptest::collection::vec(json_value(), 0..4)) {
        let mut object = serde_json::Map::new();
        object.insert("format".into(), "debrief".into());
        object.insert("version".into(), 1.into());
        object.insert("postmortems".into(), postmortems.into());
        object.insert("extra".into(), value.clone());
        let _ = read_file("random.json", &serde_json::Value::Object(object).to_string());
        let _ = read_file("random.json", &value.to_string());
    }
}
