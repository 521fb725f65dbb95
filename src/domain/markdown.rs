//! A postmortem as GitHub-flavoured Markdown, for wikis and repositories.
//!
//! Every piece of user text is escaped, so a title, a table cell or a list item can never
//! change the document's structure (no injected headings, tables, links or HTML).

use super::contribution::{ContributionId, answers_by_question};
use super::model::{LessonKind, Postmortem};
use super::template::{Part, answer_text, homeless_answers, is_answered};
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

/// The parts, with their headings, in the order a postmortem without a template shows them.
const DEFAULT_ORDER: [(Part, &str); 7] = [
    (Part::Summary, "Summary"),
    (Part::Participants, "Participants"),
    (Part::Impact, "Impact"),
    (Part::Timeline, "Timeline"),
    (Part::Factors, "Contributing factors"),
    (Part::Actions, "Action items"),
    (Part::Lessons, "Lessons"),
];

/// The whole postmortem as Markdown, in its template's order and words when it has one.
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
    let _ = writeln!(out, "{}\n", facts.join("  \n"));

    let sections: Vec<(Part, String, String)> = match &pm.template {
        Some(t) => t.sections.iter().map(|s| (s.part, s.key.clone(), s.title.clone())).collect(),
        None => Vec::new(),
    };
    let shown = |part: Part| sections.iter().any(|(p, _, _)| *p == part);
    let whys_apart = shown(Part::Whys);
    let lessons_shown = |kind: LessonKind| sections.iter().any(|(p, _, _)| p.lesson_kinds().contains(&kind));

    // The summary reads best first, before the key times, when the template starts with it.
    let summary_first = sections.first().is_none_or(|(p, _, _)| *p == Part::Summary);
    if sections.is_empty() && !pm.summary.trim().is_empty() {
        let _ = writeln!(out, "## Summary\n");
        body(&mut out, pm, Part::Summary, false);
    }
    if !summary_first || sections.is_empty() {
        key_times(&mut out, pm);
    }
    for (i, (part, key, title)) in sections.iter().enumerate() {
        if i == 1 && summary_first {
            key_times(&mut out, pm);
        }
        let _ = writeln!(out, "## {}\n", inline(title));
        let before = out.len();
        match part {
            Part::Text => {
                if let Some(text) = answer_text(pm, key).filter(|t| !t.trim().is_empty()) {
                    let _ = writeln!(out, "{}\n", block(text));
                }
            }
            Part::Lessons | Part::WentWell | Part::WentWrong | Part::GotLucky => {
                lessons(&mut out, pm, part.lesson_kinds(), *part == Part::Lessons)
            }
            other => body(&mut out, pm, *other, whys_apart),
        }
        if out.len() == before {
            out.push_str("_Not answered yet._\n\n");
        }
    }
    if sections.len() == 1 && summary_first {
        key_times(&mut out, pm);
    }
    // Whatever the template has no section for still belongs in the document.
    for (part, heading) in DEFAULT_ORDER {
        if part == Part::Lessons {
            let rest: Vec<LessonKind> = LessonKind::ALL.into_iter().filter(|k| !lessons_shown(*k)).collect();
            if rest.iter().any(|k| !pm.lessons.list(*k).is_empty()) {
                let _ = writeln!(out, "## {heading}\n");
                lessons(&mut out, pm, &rest, true);
            }
        } else if !(shown(part) || sections.is_empty() && part == Part::Summary) && is_answered(pm, "", part) {
            let _ = writeln!(out, "## {heading}\n");
            body(&mut out, pm, part, whys_apart);
        }
    }
    let homeless = homeless_answers(pm);
    if !homeless.is_empty() {
        let _ = writeln!(out, "## Other answers\n");
        for a in homeless {
            let _ = writeln!(out, "### {}\n\n{}\n", inline(&a.title), block(&a.text));
        }
    }
    contributions(&mut out, pm);
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
    let _ = writeln!(out, "## Anonymous contributions\n");
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

fn key_times(out: &mut String, pm: &Postmortem) {
    let _ = writeln!(out, "## Key times\n\nTimes are in {}.\n", pm.key_times.offset);
    let rows = super::model::KeyTime::ALL
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
            let rows = pm
                .timeline
                .iter()
                .map(|e| {
                    let evidence =
                        e.evidence.iter().map(|l| link(l.as_str(), l.as_str())).collect::<Vec<_>>().join("<br>");
                    vec![
                        e.at.map(|t| display_local_time(&t)).unwrap_or_else(|| "—".into()),
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
        assert!(md.contains("[https://grafana.example.com/d/checkout?from=1744635480000](https://grafana.example.com/d/checkout?from=1744635480000)"));
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
        assert!(md.starts_with("# Title \\#\\# Injected heading \\<script\\>alert\\(1\\)\\</script\\>\n"), "{md}");
        assert!(md.contains("| pipe \\| breaks<br>cell |"), "{md}");
        assert!(md.contains("- \\- \\[link\\]\\(javascript:alert\\(1\\)\\)"), "{md}");
        assert!(md.contains("1\\. not a list  \n\\# not a heading  \n\\- indented list  \n\\==="), "{md}");
        assert!(md.contains("(https://logs.example/q?a=b%7Cc%5C)"), "{md}");
        assert_eq!(md.lines().filter(|l| l.starts_with("# ")).count(), 1);
        assert!(!md.contains("<script>"));
    }
}
