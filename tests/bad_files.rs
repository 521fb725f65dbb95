//! Every malformed or hostile fixture under tests/fixtures/bad/ is refused with its exact
//! error: the place in the file and what is wrong.

use debrief::file_format::import::read_file;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/bad/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A whole-file error: (file, place, problem).
fn refused(name: &str) -> (String, String) {
    let e = read_file(name, &fixture(name)).expect_err(name);
    assert_eq!(e.file, name);
    (e.place, e.problem)
}

/// The broken items of a file whose header is fine: (place, problem).
fn broken(name: &str) -> Vec<(String, String)> {
    let read = read_file(name, &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    read.broken.into_iter().map(|b| (b.place, b.problem)).collect()
}

fn pair(place: &str, problem: &str) -> (String, String) {
    (place.to_owned(), problem.to_owned())
}

#[test]
fn files_that_cannot_be_read_at_all() {
    assert_eq!(refused("not-json.json"), pair("line 1, column 3", "this is not valid JSON (key must be a string)"));
    assert_eq!(
        refused("not-debrief.json"),
        pair("$.format", "this is not a Debrief file: it has no \"format\": \"debrief\"")
    );
    assert_eq!(
        refused("newer-version.json"),
        pair(
            "$.version",
            "it was made by a newer version of Debrief (format 5; this one reads up to 4). Update Debrief, then import it again"
        )
    );
    assert_eq!(refused("version-not-a-number.json"), pair("$.version", "the format version must be a whole number"));
    assert_eq!(refused("postmortems-not-a-list.json"), pair("$.postmortems", "\"postmortems\" must be a list"));
    assert_eq!(refused("too-deep.json").1, "it is nested too deeply (more than 128 levels)");
    assert_eq!(refused("truncated.json").1, "the file ends too early; it may have been cut off while copying");
}

#[test]
fn broken_items_name_their_exact_place() {
    assert_eq!(
        broken("wrong-type.json"),
        [pair("$.postmortems[0].title", "invalid type: integer `42`, expected a string")]
    );
    assert_eq!(
        broken("severity-out-of-range.json"),
        [pair("$.postmortems[0].severity", "severity 5 is not between 1 and 4")]
    );
    assert_eq!(
        broken("offset-out-of-range.json"),
        [pair("$.postmortems[0].key_times.offset", "UTC offset 2000 minutes is outside -720..=840")]
    );
    assert_eq!(
        broken("duplicate-id.json"),
        [pair(
            "$.postmortems[1].id",
            "the id eaaf50e5-5d92-4256-9a05-9f00c06c3df9 is used twice in this file (also at $.postmortems[0])"
        )]
    );
    assert_eq!(
        broken("data-url-tracking-link.json"),
        [pair(
            "$.postmortems[0].action_items[0].tracking",
            "only http:// and https:// links are allowed (the link was refused)"
        )]
    );
    assert_eq!(
        broken("javascript-evidence-link.json"),
        [pair(
            "$.postmortems[0].timeline[1].evidence[0]",
            "only http:// and https:// links are allowed (the link was refused)"
        )]
    );
    assert_eq!(
        broken("unknown-status.json"),
        [pair(
            "$.postmortems[0].status",
            "unknown variant `deleted`, expected one of `draft`, `in-review`, `published`, `closed`"
        )]
    );
    assert_eq!(broken("missing-id.json"), [pair("$.postmortems[0]", "missing field `id`")]);
}
