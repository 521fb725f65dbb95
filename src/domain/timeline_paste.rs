//! A timeline pasted from elsewhere: a chat export or a log (lines that start with a time or
//! a date and time, with or without a speaker), CSV or TSV with a header row, or a Markdown
//! table.
//!
//! Reading ([`read`]) keeps times as the text wrote them: a time of day, a date and time on
//! someone's clocks, or either with an offset (`Z`, `UTC`, `+02:00`). Placing ([`place`])
//! then puts them on the clocks of a zone and on a day, and says what it assumed. Every line
//! is accounted for: an event, joined to the event above it, a date heading, or not read,
//! with its line number and why. Nothing here guesses silently: a date such as 03/04/2026,
//! which is March or April depending on the writer, is refused with the way to write it.

use super::limits::{MAX_EVENTS, MAX_EVIDENCE, MAX_PARTICIPANTS, MAX_TEXT_CHARS};
use super::link::Link;
use super::model::{EventKind, ItemId, Participant, Postmortem, TimelineEvent, new_item_id};
use super::time::{Moment, WallClock, Zone, ZoneRules, offset_label, resolve};
use chrono::{Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

#[cfg(test)]
mod tests;

/// The most text one paste may hold, and the most lines.
pub const MAX_PASTE_CHARS: usize = 2_000_000;
pub const MAX_PASTE_LINES: usize = 5_000;

/// What the pasted text looked like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Chat or log lines, each starting with a time.
    Lines,
    Csv,
    Tsv,
    MarkdownTable,
}

impl Shape {
    /// How the preview names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Lines => "chat or log lines",
            Self::Csv => "CSV",
            Self::Tsv => "TSV (tab-separated)",
            Self::MarkdownTable => "a Markdown table",
        }
    }
}

/// A time as the pasted text wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Said {
    /// The date, from the line itself or a date heading above it.
    pub date: Option<NaiveDate>,
    /// Whether the date was written on the line (or in its row), not taken from a heading.
    pub dated: bool,
    pub time: NaiveTime,
    /// The offset written with the time, if any.
    pub offset: Option<FixedOffset>,
}

/// One event as read, before it is placed on a zone's clocks.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadEvent {
    /// The line it starts on, counting from 1.
    pub line: usize,
    pub said: Said,
    pub speaker: Option<String>,
    pub text: String,
    pub kind: Option<EventKind>,
    pub links: Vec<Link>,
}

/// A line and what was made of it, or why nothing was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineNote {
    pub line: usize,
    pub note: String,
}

/// Everything read from a paste.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub shape: Shape,
    pub events: Vec<ReadEvent>,
    /// Lines that were not read, each with why.
    pub unread: Vec<LineNote>,
    /// What was made of lines that were read, but not as an event of their own.
    pub notes: Vec<LineNote>,
    /// Whether the time column's header says its times are UTC ("Time (UTC)").
    pub utc_header: bool,
}

impl Read {
    fn empty(shape: Shape) -> Self {
        Self { shape, events: Vec::new(), unread: Vec::new(), notes: Vec::new(), utc_header: false }
    }
}

/// Why a paste was not read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("the text is longer than {MAX_PASTE_CHARS} characters; paste the incident's part of it")]
    TooLong,
    #[error("the text has more than {MAX_PASTE_LINES} lines; paste the incident's part of it")]
    TooManyLines,
}

/// Reads pasted text; which shape it has is worked out from its first lines.
pub fn read(text: &str) -> Result<Read, PasteError> {
    if text.chars().count() > MAX_PASTE_CHARS {
        return Err(PasteError::TooLong);
    }
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_PASTE_LINES {
        return Err(PasteError::TooManyLines);
    }
    Ok(match shape_of(&lines) {
        Shape::Lines => read_lines(&lines),
        Shape::MarkdownTable => read_table(Shape::MarkdownTable, markdown_rows(&lines)),
        shape @ Shape::Csv => read_table(shape, delimited_rows(text, ',')),
        shape @ Shape::Tsv => read_table(shape, delimited_rows(text, '\t')),
    })
}

fn shape_of(lines: &[&str]) -> Shape {
    let mut filled = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty());
    let Some(first) = filled.next() else { return Shape::Lines };
    if first.starts_with('|') && filled.next().is_some_and(is_markdown_rule) {
        return Shape::MarkdownTable;
    }
    if matches!(stamp(first), Ok(Some(_))) {
        return Shape::Lines;
    }
    if first.contains('\t') {
        return Shape::Tsv;
    }
    let cells = split_simple(first, ',');
    if cells.len() > 1 && Columns::of(&cells).is_some() {
        return Shape::Csv;
    }
    Shape::Lines
}

// ---------------------------------------------------------------------------------------
// Times and dates at the start of a text.

/// A time, date or both found at the start of a text, and where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    offset: Option<FixedOffset>,
    end: usize,
}

/// The run of ASCII digits at byte `at`, if it is `min..=max` long: its value and end.
fn digits(s: &str, at: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let run = s.as_bytes().get(at..)?.iter().take_while(|b| b.is_ascii_digit()).count();
    if run < min || run > max {
        return None;
    }
    s[at..at + run].parse().ok().map(|v| (v, at + run))
}

fn byte(s: &str, at: usize) -> Option<u8> {
    s.as_bytes().get(at).copied()
}

/// A date at byte `at`: `2026-03-29`, `2026/03/29`, or a day and month with a four-digit
/// year (`29/03/2026`, `29.03.2026`) when only one reading is possible.
fn date_at(s: &str, at: usize) -> Result<Option<(NaiveDate, usize)>, String> {
    if let Some((y, i)) = digits(s, at, 4, 4)
        && let Some(sep @ (b'-' | b'/')) = byte(s, i)
        && let Some((m, j)) = digits(s, i + 1, 1, 2)
        && byte(s, j) == Some(sep)
        && let Some((d, k)) = digits(s, j + 1, 1, 2)
    {
        return match NaiveDate::from_ymd_opt(y as i32, m, d) {
            Some(date) if y >= 1 => Ok(Some((date, k))),
            _ => Err(format!("“{}” is not a date", &s[at..k])),
        };
    }
    if let Some((a, i)) = digits(s, at, 1, 2)
        && let Some(sep @ (b'/' | b'.')) = byte(s, i)
        && let Some((b, j)) = digits(s, i + 1, 1, 2)
        && byte(s, j) == Some(sep)
        && let Some((y, k)) = digits(s, j + 1, 4, 4)
    {
        let written = &s[at..k];
        let (day, month) = match (a, b) {
            (a, b) if a == b => (a, b),
            (a, b) if a > 12 && b <= 12 => (a, b),
            (a, b) if b > 12 && a <= 12 => (b, a),
            (a, b) if a <= 12 && b <= 12 => {
                return Err(format!(
                    "“{written}” could be {} or {}: write the date as year-month-day, such as {y:04}-{b:02}-{a:02}",
                    long_date(y, b, a),
                    long_date(y, a, b)
                ));
            }
            _ => return Err(format!("“{written}” is not a date")),
        };
        return NaiveDate::from_ymd_opt(y as i32, month, day)
            .map(|d| Some((d, k)))
            .ok_or_else(|| format!("“{written}” is not a date"));
    }
    Ok(None)
}

fn long_date(y: u32, m: u32, d: u32) -> String {
    NaiveDate::from_ymd_opt(y as i32, m, d)
        .map_or_else(|| format!("{y}-{m}-{d}"), |date| date.format("%-d %B %Y").to_string())
}

/// A time of day at byte `at`: `14:02`, `14:02:11`, `14:02:11.250`, `2:02 PM`.
fn time_at(s: &str, at: usize) -> Result<Option<(NaiveTime, usize)>, String> {
    let Some((h, i)) = digits(s, at, 1, 2) else { return Ok(None) };
    let Some((m, mut end)) = (byte(s, i) == Some(b':')).then(|| digits(s, i + 1, 2, 2)).flatten() else {
        return Ok(None);
    };
    let mut sec = 0;
    let mut nanos = 0;
    // Seconds; a colon with no seconds after it ("14:02: deploy") ends the time.
    if byte(s, end) == Some(b':')
        && let Some((v, e)) = digits(s, end + 1, 2, 2)
    {
        sec = v;
        end = e;
        if byte(s, end) == Some(b'.')
            && let Some(run) = s.as_bytes().get(end + 1..).map(|r| r.iter().take_while(|b| b.is_ascii_digit()).count())
            && run > 0
        {
            let fraction = &s[end + 1..end + 1 + run.min(9)];
            nanos = format!("{fraction:0<9}").parse().unwrap_or(0);
            end += 1 + run;
        }
    }
    if byte(s, end).is_some_and(|b| b.is_ascii_digit()) {
        return Err(format!("“{}” is not a time of day", word_at(s, at)));
    }
    // A 12-hour clock's AM or PM, after a space or none.
    let rest = &s[end..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    let after = &rest[spaces..];
    let half = ["am", "pm", "a.m.", "p.m."].into_iter().find(|w| {
        after.len() >= w.len()
            && after.is_char_boundary(w.len())
            && after[..w.len()].eq_ignore_ascii_case(w)
            && !after[w.len()..].starts_with(|c: char| c.is_alphanumeric())
    });
    let written = |upto: usize| s[at..upto].to_owned();
    let hour = match half {
        Some(w) => {
            end += spaces + w.len();
            if !(1..=12).contains(&h) {
                return Err(format!("“{}” is not a time on a 12-hour clock", written(end)));
            }
            match (h, w.starts_with(['p', 'P'])) {
                (12, false) => 0,
                (12, true) => 12,
                (h, false) => h,
                (h, true) => h + 12,
            }
        }
        None => h,
    };
    match NaiveTime::from_hms_nano_opt(hour, m, sec, nanos) {
        Some(t) if sec < 60 => Ok(Some((t, end))),
        _ => Err(format!("“{}” is not a time of day", written(end))),
    }
}

fn word_at(s: &str, at: usize) -> &str {
    let rest = &s[at..];
    &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())]
}

/// An offset written right after a time: `Z`, or after a date and time `+02:00`, `+0200`,
/// `+02`; or after a space `UTC`, `GMT`, `UTC+2`, `UTC-05:30`.
fn offset_at(s: &str, at: usize, dated: bool) -> Option<(FixedOffset, usize)> {
    let signed = |at: usize| -> Option<(FixedOffset, usize)> {
        let rest = s.get(at..)?;
        let (sign, start) = if rest.starts_with('+') {
            (1, at + 1)
        } else if rest.starts_with('-') {
            (-1, at + 1)
        } else if rest.starts_with('\u{2212}') {
            (-1, at + '\u{2212}'.len_utf8())
        } else {
            return None;
        };
        let (h, mut end) = digits(s, start, 1, 2)?;
        let mut m = 0;
        if byte(s, end) == Some(b':') {
            let (v, e) = digits(s, end + 1, 2, 2)?;
            m = v;
            end = e;
        } else if end - start == 2
            && let Some((v, e)) = digits(s, end, 2, 2)
        {
            m = v;
            end = e;
        }
        if h > 14 || m > 59 || byte(s, end).is_some_and(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        FixedOffset::east_opt(sign * (h as i32 * 3600 + m as i32 * 60)).map(|o| (o, end))
    };
    let word_end = |end: usize| !byte(s, end).is_some_and(|b| b.is_ascii_alphanumeric());
    if byte(s, at) == Some(b'Z') && word_end(at + 1) {
        return FixedOffset::east_opt(0).map(|o| (o, at + 1));
    }
    // Only after a date: after a bare time, "10:00-10:30" is a range, not an offset.
    if dated && let Some(found) = signed(at) {
        return Some(found);
    }
    let spaces = s[at..].len() - s[at..].trim_start_matches(' ').len();
    let named = at + spaces;
    for name in ["UTC", "GMT"] {
        if s.get(named..named + 3).is_some_and(|w| w.eq_ignore_ascii_case(name)) {
            let end = named + 3;
            if let Some(found) = signed(end) {
                return Some(found);
            }
            if word_end(end) {
                return FixedOffset::east_opt(0).map(|o| (o, end));
            }
        }
    }
    None
}

/// A date, a time, or a date and time (in that order) at the start of `s`, after an
/// optional opening bracket; `Err` when something there looks like one but is not.
fn stamp(s: &str) -> Result<Option<Stamp>, String> {
    let at = usize::from(s.starts_with(['[', '(']));
    let (date, after_date) = match date_at(s, at)? {
        Some((d, end)) => (Some(d), end),
        None => (None, at),
    };
    let time_start = if date.is_some() {
        // `T`, spaces, or a comma and spaces between the date and the time.
        let rest = &s[after_date..];
        let skipped = if rest.starts_with('T') { 1 } else { rest.len() - rest.trim_start_matches([' ', ',']).len() };
        after_date + skipped
    } else {
        at
    };
    let time = time_at(s, time_start)?;
    let (time, mut end) = match time {
        Some((t, end)) => (Some(t), end),
        None if date.is_some() => (None, after_date),
        None => return Ok(None),
    };
    let mut offset = None;
    if time.is_some()
        && let Some((o, e)) = offset_at(s, end, date.is_some())
    {
        offset = Some(o);
        end = e;
    }
    Ok(Some(Stamp { date, time, offset, end }))
}

// ---------------------------------------------------------------------------------------
// Chat and log lines.

/// Characters that decorate a date heading ("--- 2026-03-29 ---", "## 2026-03-29").
fn is_decoration(c: char) -> bool {
    c.is_whitespace() || "-=#*_[]():,.|~".contains(c)
}

/// The date of a heading line such as `2026-03-29`, `--- 2026-03-29 ---` or `Date: 2026-03-29`.
fn heading_date(line: &str) -> Option<NaiveDate> {
    let body = line.trim_matches(is_decoration);
    let body = body
        .strip_prefix("Date")
        .or_else(|| body.strip_prefix("date"))
        .map_or(body, |b| b.trim_start_matches(is_decoration));
    let (date, end) = date_at(body, 0).ok()??;
    body[end..].trim_matches(is_decoration).is_empty().then_some(date)
}

/// Words that start a line as a label, not a speaker ("Update: rolled back").
const NOT_SPEAKERS: [&str; 16] = [
    "note",
    "update",
    "fyi",
    "alert",
    "info",
    "warning",
    "error",
    "status",
    "incident",
    "resolved",
    "mitigated",
    "detected",
    "summary",
    "impact",
    "todo",
    "re",
];

/// The kind a label names ("Decision", "action"), by key or label.
fn kind_named(text: &str) -> Option<EventKind> {
    let text = text.trim();
    EventKind::ALL.iter().copied().find(|k| k.key().eq_ignore_ascii_case(text) || k.label().eq_ignore_ascii_case(text))
}

/// Splits `Name: text`, `<name> text` or `@name: text` into a speaker and the text; a
/// leading kind (`Decision: roll back`) becomes the kind.
fn speaker_and_text(rest: &str) -> (Option<String>, Option<EventKind>, String) {
    let rest = rest.trim();
    if let Some(inner) = rest.strip_prefix('<')
        && let Some(close) = inner.find('>')
        && plausible_name(&inner[..close])
    {
        return (Some(inner[..close].trim().to_owned()), None, inner[close + 1..].trim().to_owned());
    }
    if let Some(colon) = rest.find(':') {
        let (name, text) = (rest[..colon].trim(), rest[colon + 1..].trim());
        if !text.is_empty() && !text.starts_with("//") {
            if let Some(kind) = kind_named(name) {
                return (None, Some(kind), text.to_owned());
            }
            if plausible_name(name) && !NOT_SPEAKERS.iter().any(|w| w.eq_ignore_ascii_case(name)) {
                return (Some(name.trim_start_matches('@').to_owned()), None, text.to_owned());
            }
        }
    }
    (None, None, rest.to_owned())
}

/// Whether `name` reads as a person's name or handle: one to four words of letters,
/// digits, `.`, `_`, `-`, `'` or a leading `@`, at most 40 characters.
fn plausible_name(name: &str) -> bool {
    let name = name.trim();
    let words = name.split_whitespace().count();
    !name.is_empty()
        && name.chars().count() <= 40
        && (1..=4).contains(&words)
        && name.starts_with(|c: char| c.is_alphabetic() || c == '@')
        && name.chars().all(|c| c.is_alphanumeric() || c == ' ' || ".-_'@".contains(c))
}

/// The web addresses in `text`, as evidence links (at most as many as an event may hold).
pub fn links_in(text: &str) -> Vec<Link> {
    let mut out: Vec<Link> = Vec::new();
    for word in text.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let Some(start) = lower.find("https://").or_else(|| lower.find("http://")) else { continue };
        let candidate = word[start..].trim_end_matches(['.', ',', ';', ':', ')', ']', '>', '!', '?', '"', '\'']);
        if let Ok(link) = Link::parse(candidate)
            && !out.contains(&link)
            && out.len() < MAX_EVIDENCE
        {
            out.push(link);
        }
    }
    out
}

fn read_lines(lines: &[&str]) -> Read {
    let mut out = Read::empty(Shape::Lines);
    let mut day = None;
    for (i, raw) in lines.iter().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            continue;
        }
        let unread = |out: &mut Read, note: String| out.unread.push(LineNote { line, note });
        match stamp(trimmed) {
            Err(why) => unread(&mut out, format!("{why}.")),
            Ok(Some(Stamp { date, time: Some(time), offset, end })) => {
                let rest = trimmed[end..]
                    .trim_start_matches([']', ')'])
                    .trim_start_matches(|c: char| c.is_whitespace() || "-–—|:>,".contains(c));
                let (speaker, kind, text) = speaker_and_text(rest);
                if text.is_empty() {
                    unread(&mut out, "it has a time but nothing after it.".to_owned());
                    continue;
                }
                let said = Said { date: date.or(day), dated: date.is_some(), time, offset };
                out.events.push(ReadEvent { line, said, speaker, links: links_in(&text), text, kind });
            }
            Ok(Some(Stamp { date: Some(date), .. })) if heading_date(trimmed).is_some() => day = Some(date),
            Ok(Some(Stamp { date: Some(date), .. })) => unread(
                &mut out,
                format!(
                    "it has a date but no time of day: write the time after the date, such as {} 14:02.",
                    date.format("%Y-%m-%d")
                ),
            ),
            Ok(_) => {
                if let Some(date) = heading_date(trimmed) {
                    day = Some(date);
                } else if let Some(last) = out.events.last_mut() {
                    // A message of several lines: this line continues the one above.
                    last.text.push('\n');
                    last.text.push_str(trimmed);
                    for link in links_in(trimmed) {
                        if !last.links.contains(&link) && last.links.len() < MAX_EVIDENCE {
                            last.links.push(link);
                        }
                    }
                    out.notes.push(LineNote { line, note: format!("joined to the event on line {}.", last.line) });
                } else {
                    unread(&mut out, "it does not start with a time (such as 14:02 or 2026-03-29 14:02).".to_owned());
                }
            }
        }
    }
    check_lengths(&mut out);
    out
}

/// Events whose text is longer than any text Debrief keeps are not read (never cut).
fn check_lengths(out: &mut Read) {
    let unread = &mut out.unread;
    out.events.retain(|e| {
        let fits = e.text.chars().count() <= MAX_TEXT_CHARS;
        if !fits {
            unread.push(LineNote {
                line: e.line,
                note: format!("its text is longer than {MAX_TEXT_CHARS} characters; split it into several events."),
            });
        }
        fits
    });
    out.unread.sort_by_key(|n| n.line);
}

// ---------------------------------------------------------------------------------------
// Tables: CSV, TSV and Markdown.

/// A table row: the line it starts on and its cells.
type Row = (usize, Vec<String>);

/// Splits one line on `sep` with no quoting (enough to recognise a header).
fn split_simple(line: &str, sep: char) -> Vec<String> {
    line.split(sep).map(|c| c.trim().to_owned()).collect()
}

/// Rows of CSV or TSV text: fields may be quoted with `"`, with `""` for a quote inside, and
/// a quoted field may run over several lines.
fn delimited_rows(text: &str, sep: char) -> Vec<Row> {
    let mut rows = Vec::new();
    let (mut cells, mut cell) = (Vec::new(), String::new());
    let (mut line, mut start) = (1, 1);
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    let mut finish_row = |cells: &mut Vec<String>, start: usize| {
        if !(cells.len() == 1 && cells[0].is_empty()) {
            rows.push((start, std::mem::take(cells)));
        }
        cells.clear();
    };
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            }
            '"' if cell.trim().is_empty() && !was_quoted => {
                cell.clear();
                quoted = true;
                was_quoted = true;
            }
            '\n' if quoted => {
                line += 1;
                cell.push('\n');
            }
            '\r' if !quoted && chars.peek() == Some(&'\n') => {}
            '\n' => {
                cells.push(take_cell(&mut cell, was_quoted));
                finish_row(&mut cells, start);
                line += 1;
                start = line;
                was_quoted = false;
            }
            c if c == sep && !quoted => {
                cells.push(take_cell(&mut cell, was_quoted));
                was_quoted = false;
            }
            c => cell.push(c),
        }
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(take_cell(&mut cell, was_quoted));
        finish_row(&mut cells, start);
    }
    rows
}

fn take_cell(cell: &mut String, quoted: bool) -> String {
    let taken = std::mem::take(cell);
    if quoted { taken } else { taken.trim().to_owned() }
}

fn is_markdown_rule(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|') && line.contains('-') && line.chars().all(|c| "|-: \t".contains(c))
}

/// Rows of a Markdown table (its rule line left out); `\|` is a bar inside a cell.
fn markdown_rows(lines: &[&str]) -> Vec<Row> {
    lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !is_markdown_rule(l))
        .map(|(i, l)| {
            let inner = l.trim().trim_start_matches('|');
            let inner = inner.strip_suffix('|').filter(|s| !s.ends_with('\\')).unwrap_or(inner);
            let mut cells = vec![String::new()];
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' if chars.peek() == Some(&'|') => {
                        chars.next();
                        if let Some(cell) = cells.last_mut() {
                            cell.push('|');
                        }
                    }
                    '|' => cells.push(String::new()),
                    c => {
                        if let Some(cell) = cells.last_mut() {
                            cell.push(c);
                        }
                    }
                }
            }
            (i + 1, cells.into_iter().map(|c| c.trim().replace("<br>", "\n").replace("<br/>", "\n")).collect())
        })
        .collect()
}

/// Which column holds what, from a header row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Columns {
    time: Option<usize>,
    date: Option<usize>,
    text: Option<usize>,
    kind: Option<usize>,
    link: Option<usize>,
    speaker: Option<usize>,
}

impl Columns {
    /// The columns a header names; `None` unless it names a time and a text column.
    fn of(header: &[String]) -> Option<Self> {
        let mut found = Self::default();
        for (i, name) in header.iter().enumerate() {
            let name = name.to_lowercase();
            let name = name.split(['(', '[']).next().unwrap_or_default().trim().trim_matches(['*', '_', '`']);
            let slot = match name {
                "time" | "timestamp" | "datetime" | "date and time" | "date/time" | "when" | "at" | "time stamp" => {
                    &mut found.time
                }
                "date" | "day" => &mut found.date,
                "text" | "description" | "event" | "message" | "what" | "what happened" | "details" | "summary"
                | "note" | "notes" | "content" => &mut found.text,
                "kind" | "type" | "category" => &mut found.kind,
                "link" | "links" | "url" | "evidence" | "source" => &mut found.link,
                "speaker" | "who" | "author" | "user" | "from" | "name" | "person" | "sender" => &mut found.speaker,
                _ => continue,
            };
            slot.get_or_insert(i);
        }
        if found.time.is_none() && found.date.is_some() {
            // One column called "Date" that holds dates and times.
            found.time = found.date.take();
        }
        (found.time.is_some() && found.text.is_some()).then_some(found)
    }
}

/// A whole cell read as a time: a stamp that fills it, or a Unix time in seconds or
/// milliseconds (as alert exports write them).
fn cell_stamp(cell: &str) -> Result<Option<Stamp>, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    if cell.len() >= 9 && cell.len() <= 13 && cell.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = cell.parse().map_err(|_| format!("“{cell}” is not a time"))?;
        let seconds = if cell.len() >= 12 { n / 1000 } else { n };
        let at = chrono::DateTime::from_timestamp(seconds, 0).ok_or_else(|| format!("“{cell}” is not a time"))?;
        let local = at.naive_utc();
        return Ok(Some(Stamp {
            date: Some(local.date()),
            time: Some(local.time()),
            offset: FixedOffset::east_opt(0),
            end: cell.len(),
        }));
    }
    let found = stamp(cell)?;
    match found {
        Some(s) if cell[s.end..].trim_matches([']', ')', ' ']).is_empty() => Ok(Some(s)),
        _ => Err(format!("“{cell}” is not a time (write it as 14:02 or 2026-03-29 14:02)")),
    }
}

fn read_table(shape: Shape, rows: Vec<Row>) -> Read {
    let mut out = Read::empty(shape);
    let mut rows = rows.into_iter();
    let Some((header_line, header)) = rows.next() else { return out };
    let (columns, first) = match Columns::of(&header) {
        Some(c) => {
            out.utc_header = c.time.and_then(|i| header.get(i)).is_some_and(|h| {
                let h = h.to_ascii_lowercase();
                h.contains("utc") || h.contains("gmt")
            });
            (c, None)
        }
        // No header: the columns are time and text, then anything else.
        None => (Columns { time: Some(0), text: Some(1), ..Columns::default() }, Some((header_line, header))),
    };
    let headless = first.is_some();
    if !headless {
        out.notes.push(LineNote { line: header_line, note: "read as the header row.".to_owned() });
    }
    for (line, cells) in first.into_iter().chain(rows) {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(|s| s.trim()).unwrap_or_default();
        let unread = |out: &mut Read, note: String| out.unread.push(LineNote { line, note });
        let stamp = match cell_stamp(cell(columns.time)) {
            Err(why) => {
                unread(&mut out, format!("{why}."));
                continue;
            }
            Ok(None) => {
                unread(&mut out, "its time cell is empty.".to_owned());
                continue;
            }
            Ok(Some(s)) => s,
        };
        let date = match columns.date.map(|_| cell(columns.date)).filter(|d| !d.is_empty()) {
            Some(d) => match date_at(d, 0) {
                Ok(Some((date, end))) if d[end..].trim().is_empty() => Some(date),
                Ok(_) => {
                    unread(&mut out, format!("“{d}” is not a date."));
                    continue;
                }
                Err(why) => {
                    unread(&mut out, format!("{why}."));
                    continue;
                }
            },
            None => None,
        };
        let Some(time) = stamp.time else {
            unread(&mut out, "its time cell has a date but no time of day.".to_owned());
            continue;
        };
        let mut text = cell(columns.text).to_owned();
        let mut kind = None;
        let mut links = Vec::new();
        let known: Vec<usize> = [columns.time, columns.date, columns.text, columns.kind, columns.link, columns.speaker]
            .into_iter()
            .flatten()
            .collect();
        if columns.kind.is_some() {
            let written = cell(columns.kind);
            kind = kind_named(written);
            if kind.is_none() && !written.is_empty() {
                out.notes.push(LineNote {
                    line,
                    note: format!("the kind “{written}” is not one Debrief has; read as Observation."),
                });
            }
        }
        for word in cell(columns.link).split_whitespace() {
            match Link::parse(word) {
                Ok(link) if !links.contains(&link) && links.len() < MAX_EVIDENCE => links.push(link),
                Ok(_) => {}
                Err(e) => out.notes.push(LineNote { line, note: format!("the link “{word}” was left out: {e}.") }),
            }
        }
        // Cells of columns Debrief has no place for are kept in the text, never dropped.
        for (i, extra) in cells.iter().enumerate() {
            let extra = extra.trim();
            if known.contains(&i) || extra.is_empty() {
                continue;
            }
            if headless && kind.is_none() && kind_named(extra).is_some() {
                kind = kind_named(extra);
            } else if let Ok(link) = Link::parse(extra) {
                if !links.contains(&link) && links.len() < MAX_EVIDENCE {
                    links.push(link);
                }
            } else {
                if !text.is_empty() {
                    text.push_str(" · ");
                }
                text.push_str(extra);
            }
        }
        if text.is_empty() {
            unread(&mut out, "it has a time but no text.".to_owned());
            continue;
        }
        for link in links_in(&text) {
            if !links.contains(&link) && links.len() < MAX_EVIDENCE {
                links.push(link);
            }
        }
        let speaker = Some(cell(columns.speaker)).filter(|s| !s.is_empty()).map(str::to_owned);
        let dated = stamp.date.is_some() || date.is_some();
        let said = Said { date: stamp.date.or(date), dated, time, offset: stamp.offset };
        out.events.push(ReadEvent { line, said, speaker, text, kind, links });
    }
    check_lengths(&mut out);
    out
}

// ---------------------------------------------------------------------------------------
// Placing read events on a zone's clocks.

/// An event ready to add.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedEvent {
    pub line: usize,
    pub at: Moment,
    pub speaker: Option<String>,
    pub text: String,
    pub kind: EventKind,
    pub links: Vec<Link>,
}

/// Read events on a zone's clocks, with what was assumed.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub events: Vec<PlacedEvent>,
    /// Lines whose time could not be placed, and why.
    pub unread: Vec<LineNote>,
    /// What was decided for lines that were placed, where a choice was made.
    pub notes: Vec<LineNote>,
    /// Whether some times had no date and took `day`.
    pub used_day: bool,
    /// Whether some times had no offset and were read on the zone's clocks.
    pub used_zone: bool,
    /// The speakers, each once, in the order they first spoke.
    pub speakers: Vec<String>,
}

/// Places `read` on `zone`'s clocks (as `rules` know them): times without an offset are
/// read on those clocks; times without a date take `day`, moving to the next day when the
/// clock goes back by more than twelve hours (a chat that runs past midnight). A time
/// the clocks showed twice takes the reading that keeps the events in order; one they
/// skipped is not placed.
pub fn place(read: &Read, zone: &Zone, rules: &dyn ZoneRules, day: NaiveDate) -> Placed {
    let mut placed = Placed {
        events: Vec::new(),
        unread: Vec::new(),
        notes: Vec::new(),
        used_day: false,
        used_zone: false,
        speakers: Vec::new(),
    };
    // A header that says UTC gives every time without an offset the offset zero.
    let utc = if read.utc_header { FixedOffset::east_opt(0) } else { None };
    // Undated lines: the day they count from, the last time seen and the days rolled over.
    let mut run: Option<(NaiveDate, NaiveTime, i64)> = None;
    let mut last: Option<Moment> = None;
    for event in &read.events {
        let said = event.said;
        let local = if said.dated {
            said.date.map(|d| d.and_time(said.time))
        } else {
            let base = said.date.unwrap_or_else(|| {
                placed.used_day = true;
                day
            });
            let rolled = match run {
                Some((b, prev, days)) if b == base => {
                    let back = prev.num_seconds_from_midnight() as i64 - said.time.num_seconds_from_midnight() as i64;
                    if back > 12 * 3600 { days + 1 } else { days }
                }
                _ => 0,
            };
            run = Some((base, said.time, rolled));
            base.checked_add_signed(Duration::days(rolled)).map(|d| d.and_time(said.time))
        };
        let Some(local) = local else {
            placed.unread.push(LineNote { line: event.line, note: "its date is out of range.".to_owned() });
            continue;
        };
        let at = match said.offset.or(utc) {
            Some(offset) => match Moment::at_offset(local, offset) {
                Some(m) => zone.show(rules, m),
                None => {
                    placed.unread.push(LineNote { line: event.line, note: "its time is out of range.".to_owned() });
                    continue;
                }
            },
            None => {
                placed.used_zone = true;
                match resolve(rules, zone, local) {
                    WallClock::One(m) => m,
                    WallClock::Twice { earlier, later } => {
                        let pick = if last.is_some_and(|l| l > earlier) { later } else { earlier };
                        placed.notes.push(LineNote {
                            line: event.line,
                            note: format!(
                                "{} happened twice in {zone} (the clocks went back); read as the {} one, at {}.",
                                clock_time(local),
                                if pick == earlier { "first" } else { "second" },
                                offset_label(pick.offset())
                            ),
                        });
                        pick
                    }
                    WallClock::Skipped { .. } => {
                        // The offset the clocks showed before they went forward.
                        let earlier = zone.offset_at(rules, local.and_utc() - Duration::days(1));
                        placed.unread.push(LineNote {
                            line: event.line,
                            note: format!(
                                "{} never showed on clocks in {zone} (they went forward); write it with its offset, such as {}T{}{}.",
                                clock_time(local),
                                local.format("%Y-%m-%d"),
                                local.format("%H:%M"),
                                earlier.map_or_else(|| "Z".to_owned(), |o| o.to_string())
                            ),
                        });
                        continue;
                    }
                    WallClock::UnknownZone => {
                        placed.unread.push(LineNote {
                            line: event.line,
                            note: format!("this browser does not know the time zone {zone}; choose another."),
                        });
                        continue;
                    }
                }
            }
        };
        last = Some(at);
        if let Some(s) = &event.speaker
            && !placed.speakers.iter().any(|k| k.eq_ignore_ascii_case(s))
        {
            placed.speakers.push(s.clone());
        }
        placed.events.push(PlacedEvent {
            line: event.line,
            at,
            speaker: event.speaker.clone(),
            text: event.text.clone(),
            kind: event.kind.unwrap_or(EventKind::Observation),
            links: event.links.clone(),
        });
    }
    placed
}

fn clock_time(local: NaiveDateTime) -> String {
    local.format("%Y-%m-%d %H:%M").to_string()
}

// ---------------------------------------------------------------------------------------
// Adding placed events to a postmortem.

/// What adding a paste changed, so it can be taken back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Added {
    pub events: Vec<ItemId>,
    /// Speakers who were not participants yet, added as participants.
    pub participants: Vec<ItemId>,
}

/// How many more events the timeline of `pm` can take.
pub fn room(pm: &Postmortem) -> usize {
    MAX_EVENTS.saturating_sub(pm.timeline.len())
}

/// Adds `events` (as many as fit) to the timeline of `pm`, and each speaker that no
/// participant's name, part of a name, alias or username already matches to the
/// participants (so the wording assistant and redaction know them).
pub fn add(pm: &mut Postmortem, events: &[PlacedEvent]) -> Added {
    let mut added = Added::default();
    for event in events.iter().take(room(pm)) {
        let id = new_item_id();
        pm.timeline.push(TimelineEvent {
            id,
            at: Some(event.at),
            kind: event.kind,
            description: event.text.clone(),
            evidence: event.links.clone(),
            from_contribution: None,
        });
        added.events.push(id);
        if let Some(speaker) = &event.speaker
            && pm.participants.len() < MAX_PARTICIPANTS
            && !is_participant(&pm.participants, speaker)
        {
            let id = new_item_id();
            pm.participants.push(Participant::new(id, speaker.trim(), ""));
            added.participants.push(id);
        }
    }
    pm.sort_timeline();
    added
}

/// Whether `speaker` already names someone in `participants`.
pub fn is_participant(participants: &[Participant], speaker: &str) -> bool {
    let speaker = speaker.trim();
    let needles = super::names::needles(participants);
    super::names::mentions(speaker, &needles).iter().any(|m| m.start == 0 && m.end == speaker.len())
        || participants.iter().any(|p| p.name.trim().eq_ignore_ascii_case(speaker))
}

/// Takes back what [`add`] added, leaving everything else (and edits made since to other
/// rows) as it is.
pub fn undo(pm: &mut Postmortem, added: &Added) {
    pm.timeline.retain(|e| !added.events.contains(&e.id));
    pm.participants.retain(|p| !added.participants.contains(&p.id));
}
