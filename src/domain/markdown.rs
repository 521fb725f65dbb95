//! A postmortem as GitHub-flavoured Markdown, for wikis and repositories.
//!
//! Every piece of user text is escaped, so a title, a table cell or a list item can never
//! change the document's structure (no injected headings, tables, links or HTML).

use super::contribution::{ContributionId, answers_by_question};
use super::model::{LessonKind, Postmortem};
use super::outline::{Content, outline};
use super::template::{Part, answer_text, homeless_answers};
use super::time::{Moment, Zone, display_local_time, offset_label};
use std::fmt::Write;

/// Escapes text for use inside a paragraph, list item or heading (one line). Web addresses
/// in it become links whose text and target are exactly what was typed.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some((start, end)) = next_address(rest) {
        out.push_str(&escape(&rest[..start]));
        out.push_str(&address_link(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(&escape(rest));
    // A line starting with these would become a list, heading or rule.
    let out = out.trim_start().to_owned();
    if out.starts_with(['-', '+', '=']) {
        return format!("\\{out}");
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        // "1. x" would start a numbered list; "1\. x" shows as written.
        return format!("{}\\{}", &out[..digits], &out[digits..]);
    }
    out
}

/// Escapes every character Markdown or HTML could read as markup, so the text shows as
/// typed and never links, formats or injects anything. Line breaks become spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        // What a renderer could take for the start of an address (which may swallow the
        // escape that follows it) is written so it cannot: `www.` with its first letter as
        // a reference, `://` with its colon as one. It reads the same.
        if matches!(c, 'w' | 'W') && text[i..].get(..4).is_some_and(|w| w.eq_ignore_ascii_case("www.")) {
            out.push_str(if c == 'w' { "&#119;" } else { "&#87;" });
            continue;
        }
        if c == ':' && text[i..].starts_with("://") {
            out.push_str("&#58;");
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' | '{' | '}' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            // As references, not backslash escapes: a renderer that links addresses in the
            // raw text may take a backslash into a link, never a reference's `<`.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Where the first web address in `text` is (`http://`, `https://`, `ftp://` or `www.`; the
/// ones GitHub links by itself, which would otherwise swallow an escape), as a byte
/// range. It runs to the first space, control character, `<`, `>`, `|`, `"` or `` ` ``,
/// without trailing punctuation or an unbalanced closing parenthesis, as GitHub reads it.
fn next_address(text: &str) -> Option<(usize, usize)> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while from < text.len() {
        let found = ["https://", "http://", "ftp://", "www."]
            .iter()
            .filter_map(|p| lower[from..].find(p).map(|i| (from + i, p.len())))
            .min_by_key(|(i, _)| *i)?;
        let (start, prefix) = found;
        // A scheme right after a letter, or www right after a letter or digit, is part of a
        // longer word, which GitHub does not link either. Anything else is linked here, even
        // where a renderer might not: its text stays as typed.
        let before = text[..start].chars().next_back();
        let after_word = if prefix == 4 {
            before.is_some_and(char::is_alphanumeric)
        } else {
            before.is_some_and(|c| c.is_ascii_alphabetic())
        };
        let mut end = start
            + text[start..]
                .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '|' | '"' | '`'))
                .unwrap_or(text.len() - start);
        while end > start + prefix {
            let candidate = &text[start..end];
            let Some(last) = candidate.chars().next_back() else { break };
            let unbalanced = last == ')' && candidate.matches(')').count() > candidate.matches('(').count();
            if matches!(last, '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~') || unbalanced {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        // Something after the scheme (GitHub links www.intranet too).
        let real = text.get(start + prefix..end).is_some_and(|host| !host.is_empty());
        if real && !after_word {
            return Some((start, end));
        }
        from = start + prefix;
    }
    None
}

/// A link for the address `url` (as [`next_address`] found it) whose text is the address
/// as typed (escaped like any text: renderers decode references and percent escapes in an
/// autolink's text) and whose target is the address, or for a www address its http
/// address, as GitHub links it. In the target, `&` and `\\` are written so that
/// renderers read them back as typed.
fn address_link(url: &str) -> String {
    let target = url.replace('&', "&amp;").replace('\\', "%5C");
    let scheme = if url.to_ascii_lowercase().starts_with("www.") { "http://" } else { "" };
    format!("[{}](<{scheme}{target}>)", escape(url))
}

/// Escapes multi-line text for a paragraph, keeping its line breaks.
pub fn block(text: &str) -> String {
    text.trim().lines().map(|line| inline(line.trim_end())).collect::<Vec<_>>().join("  \n")
}

/// Escapes text for a table cell: line breaks become `<br>`.
pub fn cell(text: &str) -> String {
    let cleaned: Vec<String> = text.trim().lines().map(inline).collect();
    let joined = cleaned.join("<br>");
    if joined.is_empty() { "—".to_owned() } else { joined }
}

/// A Markdown link to an address already known to be http or https.
fn link(label: &str, url: &str) -> String {
    let url = url
        .replace('(', "%28")
        .replace(')', "%29")
        .replace(' ', "%20")
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace('|', "%7C")
        .replace('\\', "%5C")
        .replace('`', "%60");
    format!("[{}]({url})", escape(label))
}

fn table(out: &mut String, headers: &[&str], rows: Vec<Vec<String>>) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(out, "|{}", headers.iter().map(|_| " --- |").collect::<String>());
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// The whole postmortem as Markdown, in the order and under the names of its outline
/// (its template's, when it has one).
pub fn to_markdown(pm: &Postmortem) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", inline(pm.display_title()));
    let mut facts = vec![format!("**Status:** {}", pm.status.label())];
    if let Some(s) = pm.severity {
        facts.push(format!("**Severity:** {} ({})", s.name(), inline(s.definition())));
    }
    if !pm.incident_ref.trim().is_empty() {
        facts.push(format!("**Incident:** {}", inline(&pm.incident_ref)));
    }
    if !pm.services.is_empty() {
        facts.push(format!("**Services:** {}", pm.services.iter().map(|s| inline(s)).collect::<Vec<_>>().join(", ")));
    }
    if !pm.tags.is_empty() {
        facts.push(format!("**Tags:** {}", pm.tags.iter().map(|s| inline(s)).collect::<Vec<_>>().join(", ")));
    }
    if let Some(t) = &pm.template {
        facts.push(format!("**Template:** {} (version {})", inline(&t.name), t.version));
    }
    let names = |list: &[String]| list.iter().map(|s| inline(s)).collect::<Vec<_>>().join(", ");
    if !pm.review.authors.is_empty() {
        facts.push(format!("**Authors:** {}", names(&pm.review.authors)));
    }
    if !pm.review.reviewers.is_empty() {
        facts.push(format!("**Reviewers:** {}", names(&pm.review.reviewers)));
    }
    if let Some(day) = pm.review.meeting {
        facts.push(format!("**Review meeting:** {}", day.format("%Y-%m-%d")));
    }
    if let Some(a) = pm.review.approval() {
        facts.push(format!("**Approved by:** {}, {}", inline(&a.by), a.at.format("%Y-%m-%d")));
    }
    let _ = writeln!(out, "{}\n", facts.join("  \n"));

    let outline = outline(pm);
    for section in &outline.sections {
        let _ = writeln!(out, "## {}\n", inline(&section.title));
        let before = out.len();
        match &section.content {
            Content::KeyTimes => key_times(&mut out, pm),
            Content::Text(key) => {
                if let Some(text) = answer_text(pm, key).filter(|t| !t.trim().is_empty()) {
                    let _ = writeln!(out, "{}\n", block(text));
                }
            }
            Content::Lessons { kinds, headed } => lessons(&mut out, pm, kinds, *headed),
            Content::Part(part) => body(&mut out, pm, *part, outline.whys_apart),
            Content::OtherAnswers => {
                for a in homeless_answers(pm) {
                    let _ = writeln!(out, "### {}\n\n{}\n", inline(&a.title), block(&a.text));
                }
            }
            Content::Contributions => contributions(&mut out, pm),
        }
        if out.len() == before && section.from_template {
            out.push_str("_Not answered yet._\n\n");
        }
    }
    out.trim_end().to_owned() + "\n"
}

/// The mark after a row promoted from an anonymous contribution.
fn anonymous(from: Option<ContributionId>) -> &'static str {
    if from.is_some() { " _(from an anonymous contribution)_" } else { "" }
}

/// Merged anonymous contributions, question by question, in their content order.
fn contributions(out: &mut String, pm: &Postmortem) {
    let sent: Vec<_> = pm.invitations.iter().filter(|s| !s.contributions.is_empty()).collect();
    if sent.is_empty() {
        return;
    }
    for s in sent {
        let _ = writeln!(out, "### {}\n", inline(&s.invitation.title));
        for (question, answers) in answers_by_question(s) {
            let _ = writeln!(out, "**{}**\n", inline(&question.text));
            if answers.is_empty() {
                let _ = writeln!(out, "_No answers._\n");
                continue;
            }
            for (_, text) in answers {
                let _ = writeln!(out, "- {}", inline(text));
            }
            out.push('\n');
        }
    }
}

/// A time as the postmortem's clocks showed it, with its offset from UTC when the clocks
/// changed during the incident.
fn moment_text(moment: Option<Moment>, offsets_vary: bool) -> String {
    match moment {
        None => "—".into(),
        Some(m) if offsets_vary => format!("{} ({})", display_local_time(&m.local()), offset_label(m.offset())),
        Some(m) => display_local_time(&m.local()),
    }
}

fn key_times(out: &mut String, pm: &Postmortem) {
    let zone = &pm.key_times.time_zone;
    let offsets_vary = pm.offsets_vary();
    let first = pm.moments().next();
    let _ = match (zone, first) {
        (Zone::Fixed(_), _) | (_, None) => writeln!(out, "Times are in {zone}.\n"),
        (Zone::Named(_), Some(_)) if offsets_vary => writeln!(
            out,
            "Times are in {zone}. The clocks changed during the incident, so each time shows its offset from UTC.\n"
        ),
        (Zone::Named(_), Some(m)) => {
            writeln!(out, "Times are in {zone} ({}).\n", offset_label(m.offset()))
        }
    };
    let rows = super::model::KeyTime::ALL
        .iter()
        .map(|k| vec![k.label().to_owned(), moment_text(pm.key_times.get(*k), offsets_vary)])
        .chain(
            pm.durations().labelled().iter().map(|(label, span)| vec![(*label).to_owned(), inline(&span.to_string())]),
        )
        .collect();
    table(out, &["Moment or duration", "Value"], rows);
}

/// Writes one structured part, without its heading; writes nothing when it is empty.
fn body(out: &mut String, pm: &Postmortem, part: Part, whys_apart: bool) {
    match part {
        Part::Summary => {
            if !pm.summary.trim().is_empty() {
                let _ = writeln!(out, "{}\n", block(&pm.summary));
            }
        }
        Part::Participants => {
            for p in &pm.participants {
                let role = if p.role.trim().is_empty() { "Participant".to_owned() } else { inline(&p.role) };
                if p.name == p.role {
                    let _ = writeln!(out, "- {role}");
                } else {
                    let _ = writeln!(out, "- {role}: {}", inline(&p.name));
                }
            }
            if !pm.participants.is_empty() {
                out.push('\n');
            }
        }
        Part::Impact => {
            if !pm.impact.description.trim().is_empty() {
                let _ = writeln!(out, "{}\n", block(&pm.impact.description));
            }
            if !pm.impact.figures.is_empty() {
                table(
                    out,
                    &["Figure", "Value"],
                    pm.impact.figures.iter().map(|f| vec![cell(&f.name), cell(&f.value)]).collect(),
                );
            }
        }
        Part::Timeline => {
            if pm.timeline.is_empty() {
                return;
            }
            let offsets_vary = pm.offsets_vary();
            let rows = pm
                .timeline
                .iter()
                .map(|e| {
                    let evidence =
                        e.evidence.iter().map(|l| link(l.as_str(), l.as_str())).collect::<Vec<_>>().join("<br>");
                    vec![
                        moment_text(e.at, offsets_vary),
                        e.kind.label().to_owned(),
                        cell(&e.description) + anonymous(e.from_contribution),
                        if evidence.is_empty() { "—".into() } else { evidence },
                    ]
                })
                .collect();
            table(out, &["Time", "Kind", "What happened", "Evidence"], rows);
        }
        Part::Factors | Part::Whys => {
            let only_whys = part == Part::Whys;
            let factors = pm.factors.iter().filter(|f| !only_whys || !f.whys.is_empty());
            let mut any = false;
            for f in factors {
                any = true;
                let _ = writeln!(
                    out,
                    "- **{}:** {}{}",
                    f.category.label(),
                    inline(&f.description),
                    anonymous(f.from_contribution)
                );
                if only_whys || !whys_apart {
                    for (i, why) in f.whys.iter().enumerate() {
                        let _ = writeln!(out, "  {}. Why? {}", i + 1, inline(&why.text));
                    }
                }
            }
            if any {
                out.push('\n');
            }
        }
        Part::Actions => {
            if pm.action_items.is_empty() {
                return;
            }
            let rows = pm
                .action_items
                .iter()
                .map(|a| {
                    vec![
                        cell(&a.description),
                        a.kind.label().to_owned(),
                        a.priority.label().to_owned(),
                        cell(&a.owner),
                        a.due.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".into()),
                        a.status.label().to_owned(),
                        a.verdict.map(|v| v.label().to_owned()).unwrap_or_else(|| "—".into()),
                        a.tracking.as_ref().map(|l| link("ticket", l.as_str())).unwrap_or_else(|| "—".into()),
                    ]
                })
                .collect();
            table(out, &["Action", "Type", "Priority", "Owner", "Due", "Status", "Did it work?", "Tracking"], rows);
        }
        Part::Lessons | Part::WentWell | Part::WentWrong | Part::GotLucky => {
            lessons(out, pm, part.lesson_kinds(), true)
        }
        Part::Text => {}
    }
}

/// Writes lesson lists; with `headed`, each under its own sub-heading.
fn lessons(out: &mut String, pm: &Postmortem, kinds: &[LessonKind], headed: bool) {
    for kind in kinds {
        let list = pm.lessons.list(*kind);
        if list.is_empty() {
            continue;
        }
        if headed {
            let _ = writeln!(out, "### {}\n", kind.label());
        }
        for e in list {
            let _ = writeln!(out, "- {}{}", inline(&e.text), anonymous(e.from_contribution));
        }
        out.push('\n');
    }
}

/// Rendering exports with a GFM renderer (comrak, with GitHub's extensions and raw HTML
/// let through, so anything injected shows): what renders is exactly what was typed.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod rendered {
    use super::*;
    use proptest::prelude::*;

    /// `markdown` as HTML, the way a wiki that allows raw HTML renders GFM.
    fn render(markdown: &str) -> String {
        let mut options = comrak::Options::default();
        options.extension.autolink = true;
        options.extension.table = true;
        options.extension.strikethrough = true;
        options.render.r#unsafe = true;
        comrak::markdown_to_html(markdown, &options)
    }

    /// The HTML elements Debrief's own Markdown produces, and the only attribute they carry.
    const ALLOWED: [&str; 18] = [
        "p", "a", "br", "h1", "h2", "h3", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr", "th",
        "td", "hr",
    ];

    /// A tag's name and its attributes as (name, value).
    type Tag = (String, Vec<(String, String)>);

    /// Every tag in `html`, and the text between tags.
    fn parse(html: &str) -> (Vec<Tag>, String) {
        let (mut tags, mut text, mut rest) = (Vec::new(), String::new(), html);
        while let Some(open) = rest.find('<') {
            text.push_str(&rest[..open]);
            let close = rest[open..].find('>').map(|c| open + c).unwrap_or(rest.len() - 1);
            let inside = rest[open + 1..close].trim_start_matches('/').trim_end_matches('/');
            let name = inside.split_whitespace().next().unwrap_or_default().to_ascii_lowercase();
            let mut attributes = Vec::new();
            let mut attrs = inside[name.len()..].trim();
            while let Some(eq) = attrs.find('=') {
                let key = attrs[..eq].trim().to_owned();
                let value_start = &attrs[eq + 1..];
                let (value, after) = match value_start.strip_prefix('"') {
                    Some(v) => v.split_once('"').unwrap_or((v, "")),
                    None => value_start.split_once(' ').unwrap_or((value_start, "")),
                };
                attributes.push((key, decode(value)));
                attrs = after.trim();
            }
            if !attrs.is_empty() {
                attributes.push((attrs.to_owned(), String::new()));
            }
            tags.push((name, attributes));
            rest = &rest[(close + 1).min(rest.len())..];
        }
        text.push_str(rest);
        (tags, decode(&text))
    }

    fn decode(text: &str) -> String {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&amp;", "&")
    }

    fn percent_decoded(url: &str) -> String {
        let bytes = url.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                (b'%', Some(a), Some(b)) => {
                    out.push((a * 16 + b) as u8);
                    i += 3;
                }
                (b, _, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Renders `typed` escaped as one line; checks only Debrief's elements appear, the text
    /// reads as typed, and each address typed links to itself. Returns the links.
    fn check(typed: &str) -> Vec<String> {
        let html = render(&inline(typed));
        let (tags, text) = parse(&html);
        for (name, attributes) in &tags {
            assert!(ALLOWED.contains(&name.as_str()), "{name} in {html} from {typed:?}");
            assert!(attributes.iter().all(|(k, _)| k == "href"), "{attributes:?} in {html} from {typed:?}");
        }
        let squeezed = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(squeezed(&text), squeezed(typed), "{html}");
        // E-mail addresses GitHub links by itself (their text stays as typed).
        let links: Vec<String> = tags
            .iter()
            .flat_map(|(_, a)| a.iter().map(|(_, v)| percent_decoded(v)))
            .filter(|l| !l.starts_with("mailto:"))
            .collect();
        let mut rest = typed;
        let mut expected = Vec::new();
        while let Some((start, end)) = next_address(rest) {
            let url = &rest[start..end];
            expected.push(if url.to_ascii_lowercase().starts_with("www.") {
                format!("http://{url}")
            } else {
                url.to_owned()
            });
            rest = &rest[end..];
        }
        assert_eq!(links, expected, "{html} from {typed:?}");
        links
    }

    #[test]
    fn addresses_link_to_exactly_what_was_typed() {
        assert_eq!(
            check("See https://grafana.example/d/abc?from=1&end_time=2&var-host=a_b for the graph."),
            ["https://grafana.example/d/abc?from=1&end_time=2&var-host=a_b"]
        );
        assert_eq!(check("(logs at www.logs.example/q?a=1_2)."), ["http://www.logs.example/q?a=1_2"]);
        assert_eq!(check("https://en.example/wiki/Foo_(bar), then"), ["https://en.example/wiki/Foo_(bar)"]);
        assert_eq!(check("ftp://files.example/a_b\\c and mail ops@example.com"), ["ftp://files.example/a_b\\c"]);
        assert!(check("not a link: xhttps://nope.example and www alone").is_empty());
        assert_eq!(check("on the intranet at www.wiki/a_b"), ["http://www.wiki/a_b"]);
        assert_eq!(
            check("escaped in the address: https://x.example/?q=&amp;&lt;x"),
            ["https://x.example/?q=&amp;&lt;x"]
        );
        // Nothing but the prefix is no address (and must not trip the search).
        for typed in ["outage on www.", "www..", "www.)", "see https://.", "http://"] {
            check(typed);
        }
    }

    #[test]
    fn hostile_text_after_an_address_stays_text() {
        check(r#"https://ok.example/1<img src=x onerror="document.title=1337" x=>"#);
        check(r#"ftp://ok.example/1\<img src=x onerror=alert(1)>"#);
        check(r#"www.ok.example/\<script>alert(1)</script>"#);
        check("<a href=javascript:alert(1)>x</a> [x](javascript:alert(1)) ![i](https://x.example/i.png)");
    }

    proptest! {
        #[test]
        fn any_text_renders_as_typed_with_nothing_injected(
            parts in proptest::collection::vec(prop_oneof![
                "[a-z ]{0,6}",
                Just("https://ok.example/a_b?c=1&d=2".to_owned()),
                Just("www.ok.example/x_y".to_owned()),
                Just("ftp://ok.example/f".to_owned()),
                Just("<img src=x onerror=alert(1)>".to_owned()),
                Just("</p><script>alert(1)</script>".to_owned()),
                Just("\\".to_owned()),
                "[\\\\`*_\\[\\]<>|~#!{}()&;:.,'\"=/-]{1,3}",
                Just("ops@example.com".to_owned()),
                Just("www.".to_owned()),
                Just("https://".to_owned()),
                Just("&amp;%20".to_owned()),
            ], 0..8)
        ) {
            let typed = parts.concat();
            let html = render(&inline(&typed));
            let (tags, text) = parse(&html);
            let squeezed = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert_eq!(squeezed(&text), squeezed(&typed), "{}", html);
            for (name, attributes) in &tags {
                prop_assert!(ALLOWED.contains(&name.as_str()), "{} in {} from {:?}", name, html, typed);
                prop_assert!(attributes.iter().all(|(k, _)| k == "href"), "{:?} in {} from {:?}", attributes, html, typed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contribution::{Contribution, Invitation, PromoteTo, SentInvitation, merge, promote};
    use crate::domain::sample::full_postmortem;

    #[test]
    fn contributions_are_listed_by_question_and_promoted_rows_marked() {
        let mut pm = full_postmortem(chrono::Utc::now());
        let inv = Invitation::for_postmortem(&pm);
        let id = inv.id;
        pm.invitations.push(SentInvitation { invitation: inv.clone(), contributions: Vec::new() });
        let c = Contribution::new(&inv, &[("q1".into(), "The graph lagged by *five* minutes".into())]);
        let cid = c.id;
        merge(&mut pm, id, c).expect("merged");
        promote(&mut pm, cid, "The graph lagged", PromoteTo::Timeline);
        let md = to_markdown(&pm);
        assert!(md.contains("## Anonymous contributions"), "{md}");
        assert!(md.contains("**What did you notice, and when?**\n\n- The graph lagged by \\*five\\* minutes"), "{md}");
        assert!(md.contains("**What surprised you?**\n\n_No answers._"), "{md}");
        assert!(md.contains("The graph lagged _(from an anonymous contribution)_"), "{md}");
    }

    #[test]
    fn the_document_has_every_section_in_order() {
        let md = to_markdown(&full_postmortem(chrono::Utc::now()));
        let order = [
            "# Checkout errors",
            "## Summary",
            "## Key times",
            "## Participants",
            "## Impact",
            "## Timeline",
            "## Contributing factors",
            "## Action items",
            "## Lessons",
            "### Where we got lucky",
        ];
        let mut at = 0;
        for heading in order {
            let found = md[at..].find(heading).unwrap_or_else(|| panic!("{heading} missing or out of order in\n{md}"));
            at += found;
        }
        assert!(md.contains("| Time to detect | 7 min |"), "{md}");
        assert!(md.contains("[https&#58;//grafana.example.com/d/checkout?from=1744635480000](https://grafana.example.com/d/checkout?from=1744635480000)"));
        assert!(
            md.contains("| Validate pool size against the last 30 days' peak in CI | Prevent | P1 (urgent) |"),
            "{md}"
        );
    }

    #[test]
    fn a_templated_postmortem_follows_its_template_and_keeps_every_answer() {
        let pm = crate::domain::sample::templated_postmortem(chrono::Utc::now());
        let md = to_markdown(&pm);
        let titles: Vec<String> = pm
            .template
            .as_ref()
            .map(|t| t.sections.iter().map(|s| format!("## {}", s.title)).collect())
            .unwrap_or_default();
        assert!(titles.len() > 5, "{titles:?}");
        let mut at = md.find("## Summary").unwrap_or_else(|| panic!("summary first in\n{md}"));
        assert!(md.find("## Key times").is_some_and(|k| k > at), "key times after the opening summary");
        for heading in &titles {
            let found =
                md[at..].find(heading.as_str()).unwrap_or_else(|| panic!("{heading} missing or out of order in\n{md}"));
            at += found;
        }
        assert!(md.contains("**Template:** SRE"), "{md}");
        let mut reviewed = pm.clone();
        reviewed.review.reviewers.push("Priya *Shah*".into());
        crate::domain::review::approve(&mut reviewed, "Priya *Shah*", chrono::Utc::now()).expect("approved");
        let md = to_markdown(&reviewed);
        assert!(md.contains("**Reviewers:** Priya \\*Shah\\*"), "{md}");
        assert!(md.contains("**Approved by:** Priya \\*Shah\\*, "), "{md}");
        assert!(md.contains("A routine tuning change lowered the pool size from 80 to 20."), "{md}");
        assert!(md.contains("## Other answers\n\n### Surprises\n\nThe pool setting had no effect in staging."), "{md}");
        assert!(md.contains("_Not answered yet._"), "an empty section says so: {md}");
        // Lessons the template shows are not repeated at the end.
        assert_eq!(md.matches("The alert fired within seven minutes").count(), 1, "{md}");
    }

    #[test]
    fn user_text_cannot_break_the_structure() {
        let mut pm = full_postmortem(chrono::Utc::now());
        pm.title = "Title\n## Injected heading <script>alert(1)</script>".into();
        pm.timeline[0].description = "pipe | breaks\ncell".into();
        pm.lessons.went_well[0].text = "- [link](javascript:alert(1))".into();
        pm.summary = "1. not a list\n# not a heading\n   - indented list\n  ===".into();
        pm.timeline[0].evidence =
            vec![crate::domain::Link::parse("https://logs.example/q?a=b|c\\").expect("valid link")];
        let md = to_markdown(&pm);
        assert!(md.starts_with("# Title \\#\\# Injected heading &lt;script&gt;alert\\(1\\)&lt;/script&gt;\n"), "{md}");
        assert!(md.contains("| pipe \\| breaks<br>cell |"), "{md}");
        assert!(md.contains("- \\- \\[link\\]\\(javascript:alert\\(1\\)\\)"), "{md}");
        assert!(md.contains("1\\. not a list  \n\\# not a heading  \n\\- indented list  \n\\==="), "{md}");
        assert!(md.contains("(https://logs.example/q?a=b%7Cc%5C)"), "{md}");
        assert_eq!(md.lines().filter(|l| l.starts_with("# ")).count(), 1);
        assert!(!md.contains("<script>"));
    }
}
