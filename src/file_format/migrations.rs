//! Ordered, pure migrations from every earlier format version to the current one.
//!
//! Every version ever written has a fixture in `tests/fixtures/` (`v1-…`, `v2-…`) that
//! must go on opening. A new version N adds a step from N-1 to N here.
//! - 1 → 2: postmortems may carry their lineage (the version they were last exchanged
//!   at); a version 1 file has none, which reads as "no common version known".
//! - 2 → 3: times are exact instants. Version 2 kept wall-clock times (`2026-03-29T01:40`,
//!   seconds optional) and one UTC offset per postmortem (`key_times.offset`, minutes);
//!   each time now carries that offset (`2026-03-29T01:40:00+01:00`) and the postmortem's
//!   `key_times.time_zone` is that fixed offset (`UTC+01:00`) until its author picks a
//!   zone. No instant changes.
//! - 3 → 4: postmortems may carry their review (authors, reviewers, meeting, comments,
//!   checklist ticks, approvals) and templates their review checklist. A version 3 file has
//!   no review, and its templates take the built-in checklist: nothing to rewrite.

use super::FORMAT_VERSION;
use crate::domain::time::{UtcOffset, parse_local_time};
use serde_json::{Map, Value};

/// Brings a parsed file of format `version` up to [`FORMAT_VERSION`].
pub fn migrate(value: Value, version: u64) -> Result<Value, String> {
    match version {
        0 => Err("format version 0 was never written by Debrief".to_owned()),
        1 => migrate(v1_to_v2(value), 2),
        2 => migrate(v2_to_v3(value), 3),
        3 => migrate(v3_to_v4(value), 4),
        v if v == u64::from(FORMAT_VERSION) => Ok(value),
        v => Err(format!("format version {v} is not one this Debrief can read")),
    }
}

/// Version 1 had no lineage: the file reads as it is, marked as version 2.
fn v1_to_v2(mut value: Value) -> Value {
    if let Some(header) = value.as_object_mut() {
        header.insert("version".to_owned(), Value::from(2));
    }
    value
}

/// Version 3 had no reviews or checklists: the file reads as it is, marked as version 4.
fn v3_to_v4(mut value: Value) -> Value {
    if let Some(header) = value.as_object_mut() {
        header.insert("version".to_owned(), Value::from(4));
    }
    value
}

/// Version 2's wall-clock times at one offset become instants written with that offset.
fn v2_to_v3(mut value: Value) -> Value {
    if let Some(header) = value.as_object_mut() {
        header.insert("version".to_owned(), Value::from(3));
        if let Some(Value::Array(postmortems)) = header.get_mut("postmortems") {
            postmortems.iter_mut().filter_map(Value::as_object_mut).for_each(postmortem_v2_to_v3);
        }
    }
    value
}

fn postmortem_v2_to_v3(pm: &mut Map<String, Value>) {
    let key_times = pm.entry("key_times").or_insert_with(|| Value::Object(Map::new()));
    let Some(key_times) = key_times.as_object_mut() else { return };
    let minutes = match key_times.get("offset") {
        None | Some(Value::Null) => Some(0),
        Some(v) => v.as_i64().and_then(|m| i32::try_from(m).ok()),
    };
    let offset = match minutes.and_then(UtcOffset::from_minutes) {
        Some(offset) => {
            key_times.remove("offset");
            offset
        }
        // Left in place: the reader refuses the postmortem, naming the offset and why.
        None => UtcOffset::UTC,
    };
    let zone = if offset == UtcOffset::UTC { "UTC".to_owned() } else { offset.to_string() };
    key_times.insert("time_zone".to_owned(), Value::from(zone));
    for key in ["impact_started", "detected", "mitigated", "resolved"] {
        if let Some(time) = key_times.get_mut(key) {
            with_offset(time, offset);
        }
    }
    if let Some(Value::Array(events)) = pm.get_mut("timeline") {
        for event in events.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(time) = event.get_mut("at") {
                with_offset(time, offset);
            }
        }
    }
}

/// `2026-03-29T01:40` (seconds optional) at `offset` becomes `2026-03-29T01:40:00+01:00`;
/// anything else is left for the reader to refuse with its path.
fn with_offset(time: &mut Value, offset: UtcOffset) {
    let Some(local) = time.as_str().and_then(parse_local_time) else { return };
    let minutes = offset.minutes();
    let sign = if minutes < 0 { '-' } else { '+' };
    let (h, m) = (minutes.unsigned_abs() / 60, minutes.unsigned_abs() % 60);
    *time = Value::from(format!("{}{sign}{h:02}:{m:02}", local.format("%Y-%m-%dT%H:%M:%S%.f")));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::file_format::Envelope;

    fn fixture(version: u32) -> Value {
        let text = match version {
            1 => include_str!("../../tests/fixtures/v1-postmortem.debrief.json"),
            2 => include_str!("../../tests/fixtures/v2-postmortem.debrief.json"),
            3 => include_str!("../../tests/fixtures/v3-postmortem.debrief.json"),
            _ => include_str!("../../tests/fixtures/v4-postmortem.debrief.json"),
        };
        serde_json::from_str(text).expect("fixtures are JSON")
    }

    #[test]
    fn every_version_ever_written_migrates_to_the_current_one() {
        for version in 1..=FORMAT_VERSION {
            let old = fixture(version);
            let migrated = migrate(old.clone(), u64::from(version)).expect("migrates");
            assert_eq!(migrated["version"], Value::from(FORMAT_VERSION));
            let envelope: Envelope = serde_json::from_value(migrated).expect("reads as the current format");
            assert_eq!(envelope.postmortems.len(), old["postmortems"].as_array().map_or(0, Vec::len));
        }
        assert!(migrate(fixture(1), 0).is_err());
    }

    #[test]
    fn fixed_offset_times_keep_their_instants_exactly() {
        let v2 = fixture(2);
        let envelope: Envelope = serde_json::from_value(migrate(v2.clone(), 2).expect("migrates")).expect("reads");
        for (old, pm) in v2["postmortems"].as_array().into_iter().flatten().zip(&envelope.postmortems) {
            let offset = old["key_times"]["offset"].as_i64().unwrap_or(0);
            let zone = crate::domain::time::Zone::Fixed(
                UtcOffset::from_minutes(i32::try_from(offset).unwrap_or(0)).expect("valid offset"),
            );
            assert_eq!(pm.key_times.time_zone, zone, "shows as the fixed offset until a zone is picked");
            let old_times = ["impact_started", "detected", "mitigated", "resolved"]
                .iter()
                .map(|k| &old["key_times"][k])
                .chain(old["timeline"].as_array().into_iter().flatten().map(|e| &e["at"]));
            let new_times = pm.moments().map(Some).chain(std::iter::repeat(None));
            for (old, new) in old_times.filter(|t| !t.is_null()).zip(new_times) {
                let local = old.as_str().and_then(parse_local_time).expect("v2 time");
                let expected = local - chrono::Duration::minutes(offset);
                assert_eq!(new.map(|m| m.instant().naive_utc()), Some(expected), "{old}");
            }
        }
    }

    #[test]
    fn version_2_times_without_seconds_and_odd_offsets_migrate() {
        let v2 = serde_json::json!({
            "format": "debrief", "version": 2, "app_version": "0.1.0",
            "postmortems": [{
                "id": "0f5c3b9e-2a41-4c1e-9d7a-4b6f2e8c1a01", "created_at": "2026-03-30T08:00:00Z",
                "title": "Gap", "status": "draft",
                "key_times": {"offset": -210, "impact_started": "2026-03-29T01:40", "detected": "2026-03-29T01:45:30", "resolved": null},
                "timeline": [{"id": "0f5c3b9e-2a41-4c1e-9d7a-4b6f2e8c1a02", "at": "2026-03-29T01:41", "kind": "observation", "description": "x"}]
            }]
        });
        let migrated = migrate(v2, 2).expect("migrates");
        let kt = &migrated["postmortems"][0]["key_times"];
        assert_eq!(kt["time_zone"], "UTC-03:30");
        assert_eq!(kt["impact_started"], "2026-03-29T01:40:00-03:30");
        assert_eq!(kt["detected"], "2026-03-29T01:45:30-03:30");
        assert_eq!(kt["resolved"], Value::Null);
        assert_eq!(migrated["postmortems"][0]["timeline"][0]["at"], "2026-03-29T01:41:00-03:30");
        let envelope: Envelope = serde_json::from_value(migrated).expect("reads");
        assert_eq!(envelope.postmortems[0].durations().to_detect.minutes(), Some(5));
    }
}
