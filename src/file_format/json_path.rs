//! Where in a JSON text a decoding error happened, as a path such as
//! `.timeline[0].evidence[1]`.
//!
//! serde_json reports a line and column. Rather than decoding a second time through a
//! path-tracking wrapper (which would compile every `Deserialize` impl twice into the
//! app), the text up to that point is walked to find which key or list entry was being
//! read. serde_json places the column just after what it consumed: after the bad value,
//! after an unknown key, or before the `}` of an object that lacks a field.

/// One step of a path: a key of an object, or an entry of a list.
#[derive(Debug)]
enum Frame {
    /// In an object: the key being read (none between a comma and the next key).
    Object { key: Option<String> },
    /// In a list: the current entry, and whether that entry has begun.
    List { index: usize, begun: bool },
}

/// serde_json's message without its "at line 1 column 2" tail (the path says where).
pub fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The path of the value a serde_json `error` from decoding `text` is about, such as
/// `.title` or `[2].evidence[0]`; empty for the whole text or when the error carries no
/// position.
pub fn place_of(text: &str, error: &serde_json::Error) -> String {
    if error.line() == 0 {
        return String::new();
    }
    let message = error.to_string();
    let place = if message.starts_with("missing field") {
        Place::PastObject
    } else if message.starts_with("invalid type: map") || message.starts_with("invalid type: sequence") {
        Place::AtOpening
    } else {
        Place::Reported
    };
    path_at(text, offset_of(text, error.line(), error.column()), place)
}

/// What stands where serde_json wanted a value of another form but only says "expected
/// value" (a field that takes one of a few words, given a number, `null`, `true` or
/// `false`): such as "null" or "integer `3`".
pub fn found_instead(text: &str, error: &serde_json::Error) -> Option<String> {
    if error.line() == 0 || !error.to_string().starts_with("expected value") {
        return None;
    }
    // serde_json places this error one byte into the value it looked at.
    let start = offset_of(text, error.line(), error.column()).checked_sub(1)?;
    let rest = text.get(start..)?;
    let token = rest.split(|c: char| matches!(c, ',' | '}' | ']') || c.is_ascii_whitespace()).next()?;
    match rest.as_bytes().first()? {
        b'n' if token == "null" => Some("null".to_owned()),
        b't' | b'f' if token == "true" || token == "false" => Some(format!("boolean `{token}`")),
        b'-' | b'0'..=b'9' if token.contains(['.', 'e', 'E']) => Some(format!("floating point `{token}`")),
        b'-' | b'0'..=b'9' => Some(format!("integer `{token}`")),
        _ => None,
    }
}

/// Where serde_json put an error, in relation to the value it is about.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    /// Just past the value, or past the list or object that held it (see [`path_at`]).
    Reported,
    /// Past the object that lacks a field: the object is the place.
    PastObject,
    /// At the `[` or `{` of a list or object given where something else was wanted.
    AtOpening,
}

/// The byte offset of serde_json's `line` (from 1) and `column` (bytes from the line's start).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    (line_start + column).min(text.len())
}

/// The path of what is being read at byte `offset` of `text`.
///
/// serde_json places an error raised by the value's own type (a refused link, a severity
/// out of range) where its list or object stopped reading: past the closing bracket when
/// the value was the last one, past the comma after it in a list. Such a place is taken
/// back to that value. A missing field is placed past the object that lacks it, which is
/// the place wanted; a list or object of the wrong type is placed at its opening bracket.
fn path_at(text: &str, offset: usize, place: Place) -> String {
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    // The last byte read that was not white space, and the list or object it closed.
    let mut last = b' ';
    let mut closed: Option<Frame> = None;
    let mut i = 0;
    while i < offset {
        let byte = bytes[i];
        if byte.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        last = byte;
        closed = None;
        match byte {
            b'{' => {
                begin_value(&mut frames);
                frames.push(Frame::Object { key: None });
            }
            b'[' => {
                begin_value(&mut frames);
                frames.push(Frame::List { index: 0, begun: false });
            }
            b'}' | b']' => {
                closed = frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { key }) => *key = None,
                Some(Frame::List { index, begun }) => {
                    *index += 1;
                    *begun = false;
                }
                None => {}
            },
            b':' => {}
            b'"' => {
                let end = string_end(bytes, i);
                if let Some(Frame::Object { key: key @ None }) = frames.last_mut() {
                    let raw = &text[i..end];
                    *key =
                        Some(serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.trim_matches('"').to_owned()));
                } else {
                    begin_value(&mut frames);
                }
                i = end;
                continue;
            }
            _ => {
                // A number, `true`, `false` or `null`: read up to the next delimiter.
                begin_value(&mut frames);
                while i < bytes.len() && !matches!(bytes[i], b',' | b'}' | b']') && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                continue;
            }
        }
        i += 1;
    }
    if place == Place::AtOpening {
        begin_value(&mut frames);
    } else if place == Place::Reported {
        match (last, closed) {
            (b'}' | b']', Some(frame)) => frames.push(frame),
            (b',', _) => {
                if let Some(Frame::List { index, begun }) = frames.last_mut() {
                    *index = index.saturating_sub(1);
                    *begun = true;
                }
            }
            _ => {}
        }
    }
    let mut path = String::new();
    for frame in &frames {
        match frame {
            Frame::Object { key: Some(key) } => {
                path.push('.');
                path.push_str(key);
            }
            Frame::List { index, begun: true } => path.push_str(&format!("[{index}]")),
            _ => {}
        }
    }
    path
}

/// The byte just past the string that starts with the quote at `start`.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn begin_value(frames: &mut [Frame]) {
    if let Some(Frame::List { begun, .. }) = frames.last_mut() {
        *begun = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        level: Option<Level>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: u32,
        #[serde(default)]
        links: Vec<Checked>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(try_from = "u8")]
    struct Level(#[allow(dead_code)] u8);

    impl TryFrom<u8> for Level {
        type Error = String;
        fn try_from(n: u8) -> Result<Self, String> {
            if n <= 4 { Ok(Self(n)) } else { Err(format!("level {n} is above 4")) }
        }
    }

    #[derive(Debug, Deserialize)]
    #[serde(try_from = "String")]
    struct Checked(#[allow(dead_code)] String);

    impl TryFrom<String> for Checked {
        type Error = String;
        fn try_from(s: String) -> Result<Self, String> {
            if s.starts_with("https://") { Ok(Self(s)) } else { Err("only https:// links".into()) }
        }
    }

    fn place(text: &str) -> String {
        let error = serde_json::from_str::<Doc>(text).expect_err("refused");
        place_of(text, &error)
    }

    #[test]
    fn a_wrong_value_is_named_by_its_key_or_entry() {
        assert_eq!(place(r#"{"title": 42}"#), ".title");
        assert_eq!(place(r#"{"items": [{"id": 1}, {"id": "two"}], "title": "t"}"#), ".items[1].id");
        assert_eq!(place(r#"{"title": "t", "level": 9}"#), ".level");
        assert_eq!(place(r#"{"title":"t","level":9,"items":[]}"#), ".level");
        assert_eq!(
            place(r#"{"title": "t", "items": [{"id": 1, "links": ["https://a", "ftp://b"]}]}"#),
            ".items[0].links[1]"
        );
        assert_eq!(place(r#"{"title": "t", "items": {"id": 1}}"#), ".items");
    }

    #[test]
    fn a_missing_field_is_placed_on_the_object_that_lacks_it() {
        assert_eq!(place(r#"{"items": []}"#), "");
        assert_eq!(place(r#"{"title": "t", "items": [{"id": 1}, {"links": []}]}"#), ".items[1]");
        assert_eq!(place(r#"{"title": "t", "items": [{"id": 1}, {}]}"#), ".items[1]");
        assert_eq!(place(r#"{"title": "t", "items": [{"links": []}, {"id": 2}]}"#), ".items[0]");
    }

    #[test]
    fn a_value_its_own_type_refuses_is_named_wherever_it_sits() {
        assert_eq!(place(r#"{"title": "t", "level": 9}"#), ".level");
        assert_eq!(place(r#"{"level": 9, "title": "t"}"#), ".level");
        assert_eq!(place(r#"{"title": "t", "items": [{"id": 1, "links": ["ftp://b"]}]}"#), ".items[0].links[0]");
        assert_eq!(
            place(r#"{"title": "t", "items": [{"id": 1, "links": ["ftp://b", "https://a"]}]}"#),
            ".items[0].links[0]"
        );
        assert_eq!(
            place("{\"title\": \"t\", \"items\": [{\"id\": 1, \"links\": [\n  \"https://a\",\n  \"ftp://b\"\n]\n}]}"),
            ".items[0].links[1]"
        );
    }

    #[test]
    fn a_list_or_object_where_text_belongs_is_named_at_its_opening() {
        assert_eq!(place(r#"{"title": ["t"]}"#), ".title");
        assert_eq!(
            place(r#"{"title": "t", "items": [{"id": 1, "links": ["https://a", ["x"]]}]}"#),
            ".items[0].links[1]"
        );
        assert_eq!(place(r#"{"title": "t", "items": [{"id": 1, "links": [{"u": 1}]}]}"#), ".items[0].links[0]");
        assert_eq!(place(r#"{"title": "t", "items": [{"id": {"n": 1}}]}"#), ".items[0].id");
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Word {
        Draft,
    }

    fn found(text: &str) -> Option<String> {
        let error = serde_json::from_str::<Vec<Word>>(text).expect_err("refused");
        found_instead(text, &error)
    }

    #[test]
    fn what_stands_where_a_word_belongs_is_described() {
        assert!(serde_json::from_str::<Vec<Word>>(r#"["draft"]"#).is_ok());
        assert_eq!(found(r#"["draft", null]"#).as_deref(), Some("null"));
        assert_eq!(found("[\n  3\n]").as_deref(), Some("integer `3`"));
        assert_eq!(found(r#"[-2.5e1]"#).as_deref(), Some("floating point `-2.5e1`"));
        assert_eq!(found(r#"[true]"#).as_deref(), Some("boolean `true`"));
        assert_eq!(found(r#"["gone"]"#), None);
        assert_eq!(found(r#"[{}]"#), None);
    }

    #[test]
    fn an_unknown_key_is_named() {
        assert_eq!(place(r#"{"title": "t", "extra": 1}"#), ".extra");
    }

    #[test]
    fn places_hold_across_lines_escapes_and_multi_byte_text() {
        let text = "{\n  \"title\": \"caf\u{e9} \\\"quoted\\\" [x] {y},\",\n  \"items\": [\n    {\"id\": 1},\n    {\"id\": -3}\n  ]\n}";
        assert_eq!(place(text), ".items[1].id");
        let error = serde_json::from_str::<Doc>("{\"title\": \"t\"} x").expect_err("trailing");
        assert_eq!(place_of("{\"title\": \"t\"} x", &error), "");
    }

    #[test]
    fn an_error_without_a_position_is_the_whole_text() {
        let error = serde_json::from_value::<Doc>(serde_json::json!({"title": 1})).expect_err("refused");
        assert_eq!(place_of("", &error), "");
    }
}
