//! Ordered, pure migrations from every earlier format version to the current one.
//!
//! Every version ever written has a fixture in `tests/fixtures/` (`v1-…`, `v2-…`) that
//! must go on opening. A new version N adds a step from N-1 to N here.
//! - 1 → 2: postmortems may carry their lineage (the version they were last exchanged
//!   at); a version 1 file has none, which reads as "no common version known".

use super::FORMAT_VERSION;
use serde_json::Value;

/// Brings a parsed file of format `version` up to [`FORMAT_VERSION`].
pub fn migrate(value: Value, version: u64) -> Result<Value, String> {
    match version {
        0 => Err("format version 0 was never written by Debrief".to_owned()),
        1 => migrate(v1_to_v2(value), 2),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_ever_written_migrates_to_the_current_one() {
        let v1: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/v1-postmortem.debrief.json")).unwrap_or_default();
        let migrated = migrate(v1.clone(), 1).expect("migrates");
        assert_eq!(migrated["version"], Value::from(FORMAT_VERSION));
        assert_eq!(migrated["postmortems"], v1["postmortems"], "nothing else changes");
        assert!(migrate(v1, 0).is_err());
    }
}
