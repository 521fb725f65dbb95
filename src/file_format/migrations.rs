//! Ordered, pure migrations from every earlier format version to the current one.
//!
//! Version 1 is the first format Debrief wrote, so there is nothing to migrate yet; a
//! future version N adds a function from N-1 to N here and a fixture of N-1 in
//! `tests/fixtures/`.

use super::FORMAT_VERSION;
use serde_json::Value;

/// Brings a parsed file of format `version` up to [`FORMAT_VERSION`].
pub fn migrate(value: Value, version: u64) -> Result<Value, String> {
    match version {
        0 => Err("format version 0 was never written by Debrief".to_owned()),
        v if v == u64::from(FORMAT_VERSION) => Ok(value),
        v => Err(format!("format version {v} is not one this Debrief can read")),
    }
}
