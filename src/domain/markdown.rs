//! A postmortem as GitHub-flavoured Markdown, for wikis and repositories.
//!
//! Every piece of user text is escaped, so a title, a table cell or a list item can never
//! change the document's structure (no injected headings, tables, links or HTML).

use super::postmortem::{LessonKind, Postmortem};
use super::time::display_local_time;
use std::fmt::Write;

/// Escapes text for use inside a paragraph, list item or heading (one line).
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '{' | '}' | '(' | ')' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\r' => {}
            '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
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
    format!("[{}]({url})", inline(label))
}

fn table(out: &mut String, headers: &[&str], rows: Vec<Vec<String>>) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(out, "|{}", headers.iter().map(|_| " --- |").collect::<String>());
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

/// The whole postmortem as Markdown.
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
    let _ = writeln!(out, "{}\n", facts.join("  \n"));

    if !pm.summary.trim().is_empty() {
        let _ = writeln!(out, "## Summary\n\n{}\n", block(&pm.summary));
    }

    let _ = writeln!(out, "## Key times\n\nTimes are in {}.\n", pm.key_times.offset);
    let rows = super::postmortem::KeyTime::ALL
        .iter()
        .map(|k| {
            vec![
                k.label().to_owned(),
                pm.key_times.get(*k).map(|t| display_local_time(&t)).unwrap_or_else(|| "—".into()),
            ]
        })
        .chain(
            pm.durations().labelled().iter().map(|(label, span)| vec![(*label).to_owned(), inline(&span.to_string())]),
        )
        .collect();
    table(&mut out, &["Moment or duration", "Value"], rows);

    if !pm.participants.is_empty() {
        let _ = writeln!(out, "## Participants\n");
        for p in &pm.participants {
            let role = if p.role.trim().is_empty() { "Participant".to_owned() } else { inline(&p.role) };
            if p.name == p.role {
                let _ = writeln!(out, "- {role}");
            } else {
                let _ = writeln!(out, "- {role}: {}", inline(&p.name));
            }
        }
        out.push('\n');
    }

    if !pm.impact.description.trim().is_empty() || !pm.impact.figures.is_empty() {
        let _ = writeln!(out, "## Impact\n");
        if !pm.impact.description.trim().is_empty() {
            let _ = writeln!(out, "{}\n", block(&pm.impact.description));
        }
        if !pm.impact.figures.is_empty() {
            table(
                &mut out,
                &["Figure", "Value"],
                pm.impact.figures.iter().map(|f| vec![cell(&f.name), cell(&f.value)]).collect(),
            );
        }
    }

    if !pm.timeline.is_empty() {
        let _ = writeln!(out, "## Timeline\n");
        let rows = pm
            .timeline
            .iter()
            .map(|e| {
                let evidence = e.evidence.iter().map(|l| link(l.as_str(), l.as_str())).collect::<Vec<_>>().join("<br>");
                vec![
                    e.at.map(|t| display_local_time(&t)).unwrap_or_else(|| "—".into()),
                    e.kind.label().to_owned(),
                    cell(&e.description),
                    if evidence.is_empty() { "—".into() } else { evidence },
                ]
            })
            .collect();
        table(&mut out, &["Time", "Kind", "What happened", "Evidence"], rows);
    }

    if !pm.factors.is_empty() {
        let _ = writeln!(out, "## Contributing factors\n");
        for f in &pm.factors {
            let _ = writeln!(out, "- **{}:** {}", f.category.label(), inline(&f.description));
            for (i, why) in f.whys.iter().enumerate() {
                let _ = writeln!(out, "  {}. Why? {}", i + 1, inline(&why.text));
            }
        }
        out.push('\n');
    }

    if !pm.action_items.is_empty() {
        let _ = writeln!(out, "## Action items\n");
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
        table(&mut out, &["Action", "Type", "Priority", "Owner", "Due", "Status", "Did it work?", "Tracking"], rows);
    }

    if LessonKind::ALL.iter().any(|k| !pm.lessons.list(*k).is_empty()) {
        let _ = writeln!(out, "## Lessons\n");
        for kind in LessonKind::ALL {
            let list = pm.lessons.list(kind);
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "### {}\n", kind.label());
            for e in list {
                let _ = writeln!(out, "- {}", inline(&e.text));
            }
            out.push('\n');
        }
    }
    out.trim_end().to_owned() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;

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
        assert!(md.contains("[https://grafana.example.com/d/checkout?from=1744635480000](https://grafana.example.com/d/checkout?from=1744635480000)"));
        assert!(
            md.contains("| Validate pool size against the last 30 days' peak in CI | Prevent | P1 (urgent) |"),
            "{md}"
        );
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
        assert!(md.starts_with("# Title \\#\\# Injected heading \\<script\\>alert\\(1\\)\\</script\\>\n"), "{md}");
        assert!(md.contains("| pipe \\| breaks<br>cell |"), "{md}");
        assert!(md.contains("- \\- \\[link\\]\\(javascript:alert\\(1\\)\\)"), "{md}");
        assert!(md.contains("1\\. not a list  \n\\# not a heading  \n\\- indented list  \n\\==="), "{md}");
        assert!(md.contains("(https://logs.example/q?a=b%7Cc%5C)"), "{md}");
        assert_eq!(md.lines().filter(|l| l.starts_with("# ")).count(), 1);
        assert!(!md.contains("<script>"));
    }
}
