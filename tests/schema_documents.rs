//! The published schema and the importer agree: documents generated from the schema's own
//! rules are imported whenever the schema accepts them.
//!
//! From `public/debrief.schema.json` alone, the generator writes documents where every
//! optional field is present and where it is absent, every enum value and every example
//! form of every patterned string (each time form among them) appear, for every format
//! version. Each document the schema accepts must be imported whole; and each time form the
//! schema allows in a version must appear in an accepted document of that version, so a
//! rule that quietly refused them all would be caught too.

#![cfg(not(target_arch = "wasm32"))]

use debrief::file_format::import::read_file;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

fn schema() -> Value {
    serde_json::from_str(include_str!("../public/debrief.schema.json")).expect("the schema is JSON")
}

struct Generator<'a> {
    root: &'a Value,
}

impl<'a> Generator<'a> {
    fn resolve(&self, node: &'a Value) -> &'a Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let path = reference.trim_start_matches('#');
                let target = self.root.pointer(path).unwrap_or_else(|| panic!("unresolved {reference}"));
                self.resolve(target)
            }
            None => node,
        }
    }

    fn types(node: &Value) -> Vec<String> {
        match node.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            None if node.get("properties").is_some() => vec!["object".to_owned()],
            None if node.get("items").is_some() => vec!["array".to_owned()],
            _ => Vec::new(),
        }
    }

    /// Every value this node's rules call for, the simplest first.
    fn variants(&self, node: &'a Value, at: &str) -> Vec<Value> {
        let node = self.resolve(node);
        if node == &Value::Bool(false) {
            return Vec::new();
        }
        if let Some(value) = node.get("const") {
            return vec![value.clone()];
        }
        if let Some(Value::Array(values)) = node.get("enum") {
            return values.clone();
        }
        let mut out = Vec::new();
        for branch in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = node.get(branch) {
                for (i, b) in branches.iter().enumerate() {
                    out.extend(self.variants(b, &format!("{at}/{branch}/{i}")));
                }
            }
        }
        let types = Self::types(node);
        if types.iter().any(|t| t == "null") {
            out.insert(0, Value::Null);
        }
        for t in &types {
            match t.as_str() {
                "string" => match node.get("examples") {
                    Some(Value::Array(examples)) => out.extend(examples.iter().filter(|e| !e.is_null()).cloned()),
                    _ => {
                        assert!(node.get("pattern").is_none(), "{at}: a patterned string needs examples");
                        let len = node.get("minLength").and_then(Value::as_u64).unwrap_or(0).max(1);
                        out.push(Value::from("x".repeat(usize::try_from(len).unwrap_or(1))));
                    }
                },
                "integer" | "number" => {
                    let low = node.get("minimum").cloned().unwrap_or(Value::from(0));
                    out.push(low.clone());
                    if let Some(high) = node.get("maximum").filter(|h| **h != low) {
                        out.push(high.clone());
                    }
                }
                "boolean" => out.extend([Value::Bool(false), Value::Bool(true)]),
                "array" => {
                    let items = node.get("items").map(|i| self.variants(i, &format!("{at}/items"))).unwrap_or_default();
                    let min = node.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                    if min == 0 {
                        out.push(Value::Array(Vec::new()));
                    }
                    out.extend(
                        items.into_iter().map(|v| Value::Array(vec![v; usize::try_from(min.max(1)).unwrap_or(1)])),
                    );
                }
                "object" => out.extend(self.object_variants(node, at)),
                _ => {}
            }
        }
        out
    }

    /// Required fields only; every field; then every field with one field varied through
    /// each of its other values.
    fn object_variants(&self, node: &'a Value, at: &str) -> Vec<Value> {
        let empty = Map::new();
        let properties = node.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let required: BTreeSet<&str> =
            node.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
        let each: Vec<(&String, Vec<Value>)> =
            properties.iter().map(|(k, v)| (k, self.variants(v, &format!("{at}/{k}")))).collect();
        let build = |keep: &dyn Fn(&str) -> bool| -> Map<String, Value> {
            each.iter()
                .filter(|(k, vs)| keep(k) && !vs.is_empty())
                .map(|(k, vs)| ((*k).clone(), vs[0].clone()))
                .collect()
        };
        let minimal = build(&|k| required.contains(k));
        let full = build(&|_| true);
        let mut out = vec![Value::Object(minimal), Value::Object(full.clone())];
        for (key, values) in &each {
            for value in values.iter().skip(1) {
                let mut one = full.clone();
                one.insert((*key).clone(), value.clone());
                out.push(Value::Object(one));
            }
        }
        out
    }
}

/// Documents of every version, each holding one generated postmortem, template or key.
fn documents(schema: &Value) -> Vec<Value> {
    let generator = Generator { root: schema };
    let root = schema.get("properties").expect("the schema describes properties");
    let versions = generator.variants(&root["version"], "/version");
    let parts: Vec<(&str, Vec<Value>)> = ["postmortems", "templates", "keys"]
        .into_iter()
        .filter_map(|part| root.get(part).map(|node| (part, generator.variants(node, &format!("/{part}")))))
        .collect();
    let mut docs = Vec::new();
    for version in &versions {
        for (part, values) in &parts {
            for value in values {
                let mut doc = Map::new();
                doc.insert("format".into(), root["format"]["const"].clone());
                doc.insert("version".into(), version.clone());
                doc.insert("app_version".into(), Value::from("0.1.0"));
                doc.insert((*part).to_owned(), value.clone());
                docs.push(Value::Object(doc));
            }
        }
    }
    docs
}

fn times_in(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if let (true, Some(s)) =
                    (matches!(k.as_str(), "impact_started" | "detected" | "mitigated" | "resolved" | "at"), v.as_str())
                {
                    out.insert(s.to_owned());
                }
                times_in(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| times_in(v, out)),
        _ => {}
    }
}

#[test]
fn every_document_the_schema_accepts_is_imported() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let docs = documents(&schema);
    let mut accepted = 0;
    let mut times_by_version: Vec<(u64, BTreeSet<String>)> = Vec::new();
    for doc in &docs {
        if !validator.is_valid(doc) {
            continue;
        }
        accepted += 1;
        let text = serde_json::to_string_pretty(doc).expect("writable");
        let read = read_file("generated.json", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(read.broken.is_empty(), "{:?}\n{text}", read.broken);
        let held = doc["postmortems"].as_array().map_or(0, Vec::len);
        assert_eq!(read.postmortems.len(), held, "{text}");
        let version = doc["version"].as_u64().unwrap_or(0);
        let mut times = BTreeSet::new();
        times_in(doc, &mut times);
        match times_by_version.iter_mut().find(|(v, _)| *v == version) {
            Some((_, seen)) => seen.extend(times),
            None => times_by_version.push((version, times)),
        }
    }
    assert!(accepted * 2 > docs.len(), "most generated documents are valid: {accepted} of {}", docs.len());
    // Each time form the schema gives as an example for a version was accepted in it.
    let examples = |def: &str| -> BTreeSet<String> {
        schema["$defs"][def]["examples"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    for (version, seen) in &times_by_version {
        let expected = if *version >= 3 { examples("moment") } else { examples("localTime") };
        assert!(!expected.is_empty());
        let missing: Vec<_> = expected.difference(seen).collect();
        assert!(missing.is_empty(), "version {version}: time forms never accepted: {missing:?}");
    }
    assert_eq!(times_by_version.len(), 4, "every version had accepted documents");
}

#[test]
fn no_document_of_the_current_version_with_a_time_missing_its_offset_is_accepted() {
    let schema = schema();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let doc: Value = serde_json::from_str(include_str!("fixtures/v4-postmortem.debrief.json")).expect("JSON");
    assert!(validator.is_valid(&doc));
    let mut local = doc.clone();
    local["postmortems"][0]["key_times"]["detected"] = Value::from("2026-04-14T14:05");
    assert!(!validator.is_valid(&local), "the schema refuses it");
    let read = read_file("local.json", &local.to_string()).expect("the header is fine");
    assert_eq!(read.broken.len(), 1, "and so does the importer, naming the place");
    assert_eq!(read.broken[0].place, "$.postmortems[0].key_times.detected");
    // Zones the importer refuses, the schema refuses too.
    for zone in ["UTC+15", "GMT-13", "UTC+14:30", "Europe/", "a b", "UTC+1é1"] {
        let mut odd = doc.clone();
        odd["postmortems"][0]["key_times"]["time_zone"] = Value::from(zone);
        assert!(read_file("zone.json", &odd.to_string()).map_or(true, |r| !r.broken.is_empty()), "{zone}");
        assert!(!validator.is_valid(&odd), "the schema refuses {zone} too");
    }
}
