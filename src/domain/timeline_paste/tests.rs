use super::*;
use crate::domain::time::test_rules::TestRules;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn berlin() -> Zone {
    Zone::parse("Europe/Berlin").unwrap()
}

fn placed(text: &str) -> Placed {
    place(&read(text).unwrap(), &berlin(), &TestRules, day("2026-06-10"))
}

fn at(p: &Placed) -> Vec<String> {
    p.events.iter().map(|e| e.at.to_string()).collect()
}

fn lines_of(notes: &[LineNote]) -> Vec<usize> {
    notes.iter().map(|n| n.line).collect()
}

#[test]
fn chat_lines_with_speakers_become_events_on_the_day_given() {
    let text = "[14:02] Ana Lima: CPU alarms on db-2\n\
                [14:05] <sokafor> looking at it\n\
                14:07:30 - @maria: failing over https://dash.example.com/db-2.\n\
                14:09 Decision: roll back the release\n";
    let read = read(text).unwrap();
    assert_eq!(read.shape, Shape::Lines);
    let p = place(&read, &berlin(), &TestRules, day("2026-06-10"));
    assert_eq!(
        at(&p),
        [
            "2026-06-10T14:02:00+02:00",
            "2026-06-10T14:05:00+02:00",
            "2026-06-10T14:07:30+02:00",
            "2026-06-10T14:09:00+02:00"
        ]
    );
    assert_eq!(p.speakers, ["Ana Lima", "sokafor", "maria"]);
    assert_eq!(p.events[0].text, "CPU alarms on db-2", "the speaker is not in the narrative");
    assert_eq!(p.events[2].links, [Link::parse("https://dash.example.com/db-2").unwrap()]);
    assert_eq!((p.events[3].kind, p.events[3].speaker.clone()), (EventKind::Decision, None));
    assert_eq!(p.events[3].text, "roll back the release");
    assert!(p.used_day && p.used_zone);
    assert!(read.unread.is_empty());
}

#[test]
fn labels_are_not_speakers_and_urls_are_not_speakers() {
    let p = placed("09:00 Update: rollback done\n09:01 https://example.com/x is the graph\n09:02 see ticket: OPS-1");
    assert_eq!(p.speakers, ["see ticket"], "a short phrase before a colon reads as a name");
    assert_eq!(p.events[0].text, "Update: rollback done");
    assert_eq!(p.events[1].text, "https://example.com/x is the graph");
}

#[test]
fn dates_and_times_in_every_written_form() {
    let text = "2026-03-02 09:15 first\n\
                2026-03-02T09:16:05 second\n\
                [2026/03/02 09:17:00.250] third\n\
                2026-03-02, 9:18 PM fourth\n\
                2026-03-02 12:05 am fifth\n\
                29/03/2026 10:00 sixth\n";
    let p = placed(text);
    assert_eq!(
        at(&p),
        [
            "2026-03-02T09:15:00+01:00",
            "2026-03-02T09:16:05+01:00",
            "2026-03-02T09:17:00.250+01:00",
            "2026-03-02T21:18:00+01:00",
            "2026-03-02T00:05:00+01:00",
            "2026-03-29T10:00:00+02:00",
        ]
    );
    assert!(!p.used_day, "every line had its date");
}

#[test]
fn times_with_offsets_are_exact_and_shown_on_the_zones_clocks() {
    let p = placed(
        "2026-06-10T12:00:00Z from the alert\n2026-06-10 08:00-04:00 New York saw it\n14:30 UTC noted in UTC\n15:00 local",
    );
    assert_eq!(
        at(&p),
        [
            "2026-06-10T14:00:00+02:00",
            "2026-06-10T14:00:00+02:00",
            "2026-06-10T16:30:00+02:00",
            "2026-06-10T15:00:00+02:00"
        ]
    );
    assert_eq!(p.events[1].text, "New York saw it");
}

#[test]
fn a_time_range_is_not_an_offset() {
    let p = placed("10:00-10:30 maintenance window");
    assert_eq!(at(&p), ["2026-06-10T10:00:00+02:00"]);
    assert_eq!(p.events[0].text, "10:30 maintenance window");
}

#[test]
fn malformed_lines_are_reported_with_their_line_numbers() {
    let text = "Incident channel export\n\
                14:02 first\n\
                14:75 not a time\n\
                2026-02-30 10:00 not a date\n\
                03/04/2026 10:00 ambiguous\n\
                13:00 PM twelve-hour\n\
                2026-06-10 a date only\n\
                14:10\n";
    let r = read(text).unwrap();
    assert_eq!(r.events.len(), 1);
    assert_eq!(lines_of(&r.unread), [1, 3, 4, 5, 6, 7, 8]);
    assert!(r.unread[0].note.contains("does not start with a time"));
    assert!(r.unread[1].note.contains("“14:75” is not a time of day"));
    assert!(r.unread[2].note.contains("“2026-02-30” is not a date"));
    assert!(
        r.unread[3].note.contains("3 April 2026 or 4 March 2026")
            || r.unread[3].note.contains("4 March 2026 or 3 April 2026")
    );
    assert!(r.unread[3].note.contains("2026-04-03") || r.unread[3].note.contains("2026-03-04"));
    assert!(r.unread[4].note.contains("12-hour"));
    assert!(r.unread[5].note.contains("no time of day"));
    assert!(r.unread[6].note.contains("nothing after it"));
}

#[test]
fn continuation_lines_join_the_event_above_and_date_headings_set_the_day() {
    let text = "--- 2026-06-11 ---\n23:58 Ana: it starts\nstill going\n  and more\n00:03 Ana: after midnight\n## 2026-06-13\n08:00 next morning";
    let r = read(text).unwrap();
    assert_eq!(r.events.len(), 3);
    assert_eq!(r.events[0].text, "it starts\nstill going\nand more");
    assert_eq!(lines_of(&r.notes), [3, 4]);
    assert!(r.notes[0].note.contains("line 2"));
    let p = place(&r, &berlin(), &TestRules, day("2020-01-01"));
    assert_eq!(at(&p), ["2026-06-11T23:58:00+02:00", "2026-06-12T00:03:00+02:00", "2026-06-13T08:00:00+02:00"]);
    assert!(!p.used_day, "the headings gave every date");
}

#[test]
fn undated_times_roll_over_midnight_but_not_when_slightly_out_of_order() {
    let p = placed("23:50 a\n23:40 b (written late)\n00:10 c\n01:00 d");
    assert_eq!(
        at(&p),
        [
            "2026-06-10T23:50:00+02:00",
            "2026-06-10T23:40:00+02:00",
            "2026-06-11T00:10:00+02:00",
            "2026-06-11T01:00:00+02:00"
        ]
    );
}

#[test]
fn clock_changes_are_resolved_in_order_or_refused() {
    // Europe/Berlin: 2026-10-25 03:00 CEST becomes 02:00 CET; 2026-03-29 02:00 jumps to 03:00.
    let p = placed(
        "2026-10-25 02:30 first pass\n2026-10-25 02:45 first pass later\n2026-10-25 02:10 second pass\n2026-03-29 02:30 skipped",
    );
    assert_eq!(at(&p), ["2026-10-25T02:30:00+02:00", "2026-10-25T02:45:00+02:00", "2026-10-25T02:10:00+01:00"]);
    assert_eq!(lines_of(&p.notes), [1, 2, 3]);
    assert!(p.notes[2].note.contains("second"));
    assert_eq!(lines_of(&p.unread), [4]);
    assert!(p.unread[0].note.contains("never showed") && p.unread[0].note.contains("2026-03-29T02:30+01:00"));
}

#[test]
fn an_unknown_zone_places_nothing_without_an_offset() {
    let r = read("14:00 a\n2026-06-10T12:00Z b").unwrap();
    let p = place(&r, &Zone::parse("Mars/Olympus").unwrap(), &TestRules, day("2026-06-10"));
    assert_eq!(lines_of(&p.unread), [1]);
    assert_eq!(p.events.len(), 1);
}

#[test]
fn csv_with_a_header_maps_columns_by_name() {
    let text = "Time (UTC),Who,Type,What happened,Link,Severity\n\
                2026-06-10 12:00,Ana,alert,\"CPU high, db-2\",https://x.example/1,SEV2\n\
                2026-06-10 12:05:09,,decision,\"Roll back\n(agreed on call)\",,\n\
                not a time,Ana,,text,,\n\
                2026-06-10 12:09,Ana,action,,,\n";
    let r = read(text).unwrap();
    assert_eq!(r.shape, Shape::Csv);
    assert!(r.utc_header);
    let p = place(&r, &berlin(), &TestRules, day("2020-01-01"));
    assert_eq!(at(&p), ["2026-06-10T14:00:00+02:00", "2026-06-10T14:05:09+02:00"], "the header said UTC");
    assert_eq!(p.events[0].text, "CPU high, db-2 · SEV2", "an unknown column is kept in the text");
    assert_eq!(p.events[0].kind, EventKind::Observation);
    assert_eq!(p.events[0].speaker.as_deref(), Some("Ana"));
    assert_eq!(p.events[0].links.len(), 1);
    assert_eq!(p.events[1].text, "Roll back\n(agreed on call)");
    assert_eq!(p.events[1].kind, EventKind::Decision);
    assert_eq!(lines_of(&r.unread), [5, 6], "rows are numbered by the line they start on");
    assert!(r.notes.iter().any(|n| n.line == 2 && n.note.contains("“alert”")));
}

#[test]
fn tsv_with_separate_date_and_time_columns() {
    let text = "date\ttime\tevent\tkind\n2026-06-10\t09:00\tpaged\tcommunication\n\t09:05\tno date\t\n";
    let r = read(text).unwrap();
    assert_eq!(r.shape, Shape::Tsv);
    let p = place(&r, &berlin(), &TestRules, day("2026-06-12"));
    assert_eq!(at(&p), ["2026-06-10T09:00:00+02:00", "2026-06-12T09:05:00+02:00"]);
    assert_eq!(p.events[0].kind, EventKind::Communication);
}

#[test]
fn a_table_without_a_header_reads_time_then_text() {
    let r = read("09:00\tpaged\tmilestone\thttps://x.example/p\n09:05\tacked").unwrap();
    assert_eq!(r.shape, Shape::Lines, "a first line that starts with a time reads as lines");
    let r = read("Start\tthing\n").unwrap();
    assert_eq!(r.shape, Shape::Tsv);
    assert_eq!(lines_of(&r.unread), [1]);
}

#[test]
fn unix_times_in_a_time_column_are_utc() {
    let r = read("timestamp,message\n1781092800,alert fired\n1781092860000,second\n").unwrap();
    let p = place(&r, &berlin(), &TestRules, day("2020-01-01"));
    assert_eq!(at(&p), ["2026-06-10T14:00:00+02:00", "2026-06-10T14:01:00+02:00"]);
}

#[test]
fn markdown_tables_with_escaped_bars_and_breaks() {
    let text = "| Time | Event | Kind |\n|:---|---|---|\n| 14:02 | a \\| b | action |\n| 14:05 | line<br>two | |\n| soon | nope | |\n";
    let r = read(text).unwrap();
    assert_eq!(r.shape, Shape::MarkdownTable);
    let p = place(&r, &berlin(), &TestRules, day("2026-06-10"));
    assert_eq!(p.events.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), ["a | b", "line\ntwo"]);
    assert_eq!(p.events[0].kind, EventKind::Action);
    assert_eq!(lines_of(&r.unread), [5]);
    assert!(r.unread[0].note.contains("“soon” is not a time"));
}

#[test]
fn too_much_text_is_refused_whole() {
    assert_eq!(read(&"14:00 x\n".repeat(MAX_PASTE_LINES + 1)), Err(PasteError::TooManyLines));
    assert_eq!(read(&"x".repeat(MAX_PASTE_CHARS + 1)), Err(PasteError::TooLong));
    let long = format!("14:00 {}", "y".repeat(MAX_TEXT_CHARS + 1));
    let r = read(&long).unwrap();
    assert!(r.events.is_empty());
    assert!(r.unread[0].note.contains("split it"));
}

#[test]
fn empty_and_blank_text_reads_nothing() {
    for text in ["", "\n\n   \n"] {
        let r = read(text).unwrap();
        assert!(r.events.is_empty() && r.unread.is_empty());
    }
}

#[test]
fn a_thirty_line_chat_export_is_thirty_events() {
    let text: String = (0..30)
        .map(|i| format!("[{:02}:{:02}] {}: message {i}\n", 14 + i / 60, i % 60, ["ana", "sam"][i % 2]))
        .collect();
    let p = placed(&text);
    assert_eq!(p.events.len(), 30);
    assert_eq!(p.speakers, ["ana", "sam"]);
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// No text makes reading or placing panic, and every event keeps its line number.
        #[test]
        fn never_panics(text in "(\\PC|\n|\t|\\||,|:|[0-9]){0,300}") {
            let r = read(&text).unwrap();
            let count = text.lines().count();
            prop_assert!(r.events.iter().all(|e| e.line >= 1 && e.line <= count.max(1)));
            let _ = place(&r, &berlin(), &TestRules, day("2026-06-10"));
        }

        #[test]
        fn stamps_never_panic(text in "[\\[(]?[0-9:./T\\- ]{0,30}(am|PM|Z|UTC|\u{2212}|[+-][0-9:]{0,5})?.{0,5}") {
            let _ = read(&text).unwrap();
        }
    }
}

#[test]
fn adding_puts_events_in_order_and_new_speakers_in_the_participants_then_undo_takes_both_back() {
    use crate::domain::{Participant, PostmortemId};
    let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
    pm.participants.push(Participant::new(new_item_id(), "Sam Okafor", "incident commander"));
    pm.participants.push(Participant::new(new_item_id(), "Ana Lima", ""));
    let earlier = pm.add_timeline_event(None, EventKind::Action, "kept");
    let p = placed(
        "14:05 sokafor: known by username\n14:02 Ana: known by first name\n14:09 Priya N: new\n14:10 priya n: same again",
    );
    let added = add(&mut pm, &p.events);
    assert_eq!(added.events.len(), 4);
    assert_eq!(
        pm.participants.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["Sam Okafor", "Ana Lima", "Priya N"]
    );
    let texts: Vec<_> = pm.timeline.iter().map(|e| e.description.as_str()).collect();
    assert_eq!(
        texts,
        ["known by first name", "known by username", "new", "same again", "kept"],
        "sorted, untimed last"
    );
    pm.timeline[0].description.push_str(" (edited)");
    undo(&mut pm, &added);
    assert_eq!(pm.timeline.iter().map(|e| e.id).collect::<Vec<_>>(), [earlier]);
    assert_eq!(pm.participants.len(), 2);
}

#[test]
fn adding_stops_at_the_event_limit() {
    use crate::domain::PostmortemId;
    let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
    for _ in 0..MAX_EVENTS - 2 {
        pm.add_timeline_event(None, EventKind::Action, "x");
    }
    let p = placed("14:00 a\n14:01 b\n14:02 c");
    assert_eq!(room(&pm), 2);
    assert_eq!(add(&mut pm, &p.events).events.len(), 2);
    assert_eq!(pm.timeline.len(), MAX_EVENTS);
}
