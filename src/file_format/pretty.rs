//! Indented JSON for files people may open, made from the compact JSON every file is first
//! written as. The result is exactly what serde_json's pretty printer writes (two spaces a
//! level, `": "` after keys, `[]` and `{}` for empty ones), but each type is serialized one
//! way only: a second, pretty, serializer for every type of the file format would make the
//! app's download larger.

/// `compact` JSON (as serde_json writes it, with no whitespace outside strings) indented.
pub fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() + compact.len() / 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_ascii_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::{full_postmortem, templated_postmortem};
    use crate::file_format::Envelope;

    #[test]
    fn indenting_compact_json_gives_what_the_pretty_printer_gives() {
        let now = chrono::Utc::now();
        let envelope = Envelope {
            templates: crate::domain::template::builtin::all(),
            ..Envelope::with_postmortems(vec![full_postmortem(now), templated_postmortem(now)])
        };
        let compact = serde_json::to_string(&envelope).unwrap_or_default();
        let pretty = serde_json::to_string_pretty(&envelope).unwrap_or_default();
        assert!(pretty.len() > 1000);
        assert_eq!(indent(&compact), pretty);
    }

    #[test]
    fn strings_with_brackets_quotes_and_escapes_are_left_alone() {
        let value = serde_json::json!({
            "a": "x: [1, {2}], \"quoted\" \\ back\\slash \u{1F600} \n",
            "empty list": [],
            "empty object": {},
            "nested": [[], [{}], {"k": [1, 2.5, -3e-7, null, true, false]}],
            "": ""
        });
        let compact = serde_json::to_string(&value).unwrap_or_default();
        assert_eq!(indent(&compact), serde_json::to_string_pretty(&value).unwrap_or_default());
    }
}
