use super::*;
use crate::domain::model::history::{ItemChange, ItemField};
use crate::domain::sample::full_postmortem;
use chrono::Utc;

#[test]
fn names_become_roles_everywhere() {
    let mut pm = full_postmortem(Utc::now());
    pm.summary = "Ana Lima declared the incident; ana asked Sam to roll back. Samantha was not involved.".into();
    pm.timeline[0].description = "Sam Okafor saw the alert".into();
    pm.action_items[0].owner = "Sam".into();
    pm.tags.push("ana-lima".into());
    pm.impact.figures[0].value = "reported by Sam".into();
    pm.dismissed_findings.push(crate::domain::wording::Dismissal {
        field: "pm-summary".into(),
        category: crate::domain::wording::Category::NamedIndividual,
        phrase: "ana lima".into(),
    });
    let r = redact_names(&pm);
    assert_eq!(
        r.summary,
        "The incident commander declared the incident; the incident commander asked the responder to roll back. Samantha was not involved."
    );
    assert_eq!(r.timeline[0].description, "The responder saw the alert");
    assert_eq!(r.action_items[0].owner, "The responder");
    assert_eq!(r.tags.last().map(String::as_str), Some("The incident commander-the incident commander"));
    assert_eq!(r.impact.figures[0].value, "reported by the responder");
    assert!(r.dismissed_findings.is_empty());
    let names: Vec<&str> = r.participants.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Incident commander", "Responder"]);
    assert_eq!(r.id, pm.id);
}

#[test]
fn addresses_handles_history_and_sentence_case() {
    let mut pm = full_postmortem(Utc::now());
    pm.participants[1].aliases = vec!["sokafor".into(), "Big S".into()];
    pm.summary = "Paged @sokafor and ana.lima@example.com. sam_okafor acked.\nbig s rolled back; @carol watched, \
                  as did dave@example.com."
        .into();
    pm.action_items[0].owner = "Sam Okafor".into();
    pm.action_items[0].history.push(ItemChange {
        at: Utc::now(),
        field: ItemField::Owner,
        from: "Ana Lima".into(),
        to: "Sam Okafor".into(),
    });
    pm.action_items[0].review_note = "Checked with sam.".into();
    pm.timeline[0].evidence = vec![Link::parse("https://chat.example/team/sokafor").expect("a link")];
    let (r, report) = redact(&pm);
    assert_eq!(
        r.summary,
        "Paged the responder and the incident commander. The responder acked.\nThe responder rolled back; @carol \
         watched, as did dave@example.com."
    );
    let change = &r.action_items[0].history[0];
    assert_eq!((change.from.as_str(), change.to.as_str()), ("The incident commander", "The responder"));
    assert_eq!(r.action_items[0].review_note, "Checked with the responder.");
    assert_eq!(r.timeline[0].evidence[0].as_str(), "https://chat.example/team/the-responder");
    assert!(r.participants.iter().all(|p| p.aliases.is_empty()));
    assert_eq!(report.left, ["@carol", "dave@example.com"]);
    let sokafor = report.replaced.iter().find(|x| x.written == "@sokafor").expect("reported");
    assert_eq!((sokafor.who, sokafor.role.as_str(), sokafor.count), (1, "the responder", 1));
    assert!(report.replaced.iter().any(|x| x.written == "Sam Okafor" && x.count == 2));
}

#[test]
fn roles_escapes_hyphens_and_typography_leave_no_name() {
    let mut pm = full_postmortem(Utc::now());
    pm.participants[1].role = "Shadowing María".into();
    pm.participants[0].name = "María García-López".into();
    pm.participants.push(Participant::new(crate::domain::new_item_id(), "Sean O'Brien", "Scribe"));
    pm.participants.push(Participant::new(crate::domain::new_item_id(), "Jürgen Strauß", "Observer"));
    pm.summary = "García paged O’Brien; see https://wiki.example/Sean%20STRAUSS and jurgen.".into();
    pm.summary = pm.summary.replace("jurgen", "Jürgen");
    let r = redact_names(&pm);
    assert_eq!(
        r.summary,
        "The incident commander paged the scribe; see https://wiki.example/the scribe%20the observer and the observer."
    );
    assert_eq!(r.participants[1].name, "Shadowing the incident commander");
    assert!(r.participants.iter().all(|p| !p.role.contains("María")));
}

#[test]
fn a_participant_without_a_role_is_a_participant() {
    let mut pm = full_postmortem(Utc::now());
    pm.participants[0].role = " ".into();
    pm.summary = "Ana called. Then ana left.".into();
    let r = redact_names(&pm);
    assert_eq!(r.summary, "A participant called. Then a participant left.");
    assert_eq!(r.participants[0].name, "Participant");
}

#[test]
fn whole_words_only_and_any_text_is_safe() {
    let mut pm = full_postmortem(Utc::now());
    pm.participants = vec![Participant::new(crate::domain::new_item_id(), "àna", "X")];
    for (text, want) in [
        ("ÀNA àna ana", "The x the x ana"),
        ("İ Joséé ẞ àna", "İ Joséé ẞ the x"),
        ("", ""),
        ("ànas, àna2, àna_", "ànas, àna2, the x_"),
    ] {
        pm.summary = text.into();
        assert_eq!(redact_names(&pm).summary, want, "{text}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod planted {
    //! Names and aliases planted in every text a postmortem can hold never survive redaction.
    //! Which fields are text is found from the file format itself (every string that can hold
    //! any text, or any link, and reads back), so a field added later is planted too.

    use super::*;
    use crate::domain::markdown::to_markdown;
    use crate::domain::model::invitation::{Contribution, Invitation, InvitationId, SentInvitation, default_questions};
    use crate::domain::sample::templated_postmortem;
    use proptest::prelude::*;
    use serde_json::Value;

    /// A postmortem with something in every part: history, a review note, an invitation with a
    /// contribution, a dismissed finding, template answers, evidence and tracking links.
    fn everything() -> Postmortem {
        let mut pm = templated_postmortem(Utc::now());
        pm.action_items[0].review_note = "note".into();
        pm.action_items[0].history.push(ItemChange {
            at: Utc::now(),
            field: ItemField::Owner,
            from: "a".into(),
            to: "b".into(),
        });
        let invitation = Invitation {
            id: InvitationId::random(),
            title: "t".into(),
            summary: "s".into(),
            deadline: None,
            questions: default_questions(),
            seal_key: None,
        };
        let answers: Vec<(String, String)> =
            invitation.questions.iter().map(|q| (q.key.clone(), "answer".to_owned())).collect();
        let contribution = Contribution::new(&invitation, &answers);
        pm.invitations.push(SentInvitation { invitation, contributions: vec![contribution] });
        pm.dismissed_findings.push(crate::domain::wording::Dismissal {
            field: "pm-summary".into(),
            category: crate::domain::wording::Category::NamedIndividual,
            phrase: "x".into(),
        });
        let event = pm.timeline[0].id;
        pm.review.authors.push("author".into());
        pm.review.reviewers.push("reviewer".into());
        let c = pm.review.comment(crate::domain::model::Anchor::Event(event), "who", "comment", Utc::now());
        pm.review.resolve(c, Some(crate::domain::model::Signed { by: "resolver".into(), at: Utc::now() }));
        pm.review.set_check(
            "shared",
            "checked",
            Some(crate::domain::model::Signed { by: "ticker".into(), at: Utc::now() }),
        );
        crate::domain::review::approve(&mut pm, "approver", Utc::now()).expect("approved");
        pm
    }

    /// Fields that are not free text: names and roles (planted on purpose), keys, hashes.
    const NOT_TEXT: [&str; 8] = ["participants", "id", "key", "question", "seal_key", "field", "category", "base"];

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Slot {
        Text,
        Link,
    }

    fn leaves(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            Value::String(_) => out.push(path.clone()),
            Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| {
                path.push(i.to_string());
                leaves(v, path, out);
                path.pop();
            }),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                path.push(k.clone());
                leaves(v, path, out);
                path.pop();
            }),
            _ => {}
        }
    }

    fn at<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
        path.iter().try_fold(value, |v, k| match v {
            Value::Array(items) => items.get_mut(k.parse::<usize>().ok()?),
            Value::Object(map) => map.get_mut(k),
            _ => None,
        })
    }

    fn reads_back(base: &Value, path: &[String], text: &str) -> bool {
        let mut value = base.clone();
        let Some(slot) = at(&mut value, path) else { return false };
        *slot = Value::String(text.to_owned());
        let Ok(pm) = serde_json::from_value::<Postmortem>(value) else { return false };
        let Ok(mut again) = serde_json::to_value(&pm) else { return false };
        at(&mut again, path).is_some_and(|v| v.as_str() == Some(text))
    }

    /// Every string in `base` that can hold text (or a link), by path.
    fn slots(base: &Value) -> Vec<(Vec<String>, Slot)> {
        let mut paths = Vec::new();
        leaves(base, &mut Vec::new(), &mut paths);
        paths
            .into_iter()
            .filter(|p| !p.iter().any(|k| NOT_TEXT.contains(&k.as_str())))
            .filter_map(|p| {
                let slot = if reads_back(base, &p, "plain words here") {
                    Slot::Text
                } else if reads_back(base, &p, "https://example.com/planted") {
                    Slot::Link
                } else {
                    return None;
                };
                Some((p, slot))
            })
            .collect()
    }

    #[derive(Debug, Clone)]
    struct Person {
        first: String,
        last: String,
        role: &'static str,
        handle: String,
        nickname: String,
    }

    impl Person {
        fn email(&self) -> String {
            format!("{}.{}@corp.example", self.first.to_lowercase(), self.last.to_lowercase())
        }

        /// Every way a text may name them, and so every word that must not be left.
        fn needles(&self) -> Vec<String> {
            let mut out = vec![self.first.clone(), self.last.clone(), self.handle.clone(), self.nickname.clone()];
            out.extend(self.last.split('-').map(str::to_owned));
            out.push(self.email());
            out.extend(crate::domain::names::usernames(&format!("{} {}", self.first, self.last)));
            out
        }

        fn ways(&self) -> Vec<String> {
            let (f, l) = (&self.first, &self.last);
            vec![
                format!("{f} {l}"),
                f.clone(),
                l.clone(),
                format!("{f}'s"),
                format!("{f}’s"),
                self.last.split('-').next_back().unwrap_or_default().to_owned(),
                f.to_uppercase(),
                l.to_lowercase(),
                format!("@{}", self.handle),
                self.handle.clone(),
                self.nickname.to_uppercase(),
                self.email(),
                format!("{}.{}", f.to_lowercase(), l.to_lowercase()),
                format!("{}{}", &f[..1].to_lowercase(), l.to_lowercase()),
            ]
        }
    }

    const ROLES: [&str; 4] = ["Incident commander", "Responder", "Scribe", ""];
    const FILLER: [&str; 8] = ["the", "deploy", "restarted", "www", "pool", "and", "ok", "checkout"];
    const SEPARATORS: [&str; 13] = [" ", ", ", ". ", "\n", "-", "/", "(", ") ", ": ", "! ", "%20", "’s ", "+"];

    fn word(prefix: &'static str) -> impl Strategy<Value = String> {
        "[a-z]{2,5}".prop_map(move |body| {
            let mut s = prefix.to_owned();
            s.push_str(&body);
            s
        })
    }

    fn person(k: usize) -> impl Strategy<Value = Person> {
        let prefixes = [("Qx", "Xq", "zk", "Jv"), ("Zv", "Vz", "kz", "Vj"), ("Jq", "Qj", "qk", "Wj")][k % 3];
        // Some surnames are hyphenated ("García-López"): each half is a name on its own.
        let last = (word(prefixes.1), prop::option::of(word(prefixes.1)))
            .prop_map(|(a, b)| b.map_or_else(|| a.clone(), |b| format!("{a}-{b}")));
        (word(prefixes.0), last, word(prefixes.2), word(prefixes.3), 0..ROLES.len()).prop_map(
            |(first, last, handle, nickname, role)| Person { first, last, role: ROLES[role], handle, nickname },
        )
    }

    /// Texts as pieces: (is a mention, which participant or filler word, which way, separator).
    type Piece = (bool, usize, usize, usize);

    fn text_of(people: &[Person], pieces: &[Piece], slot: Slot) -> String {
        let mut out = String::new();
        if slot == Slot::Link {
            out.push_str("https://example.com/");
        }
        for (i, (mention, which, way, sep)) in pieces.iter().enumerate() {
            if i > 0 {
                out.push_str(if slot == Slot::Link { "/" } else { SEPARATORS[sep % SEPARATORS.len()] });
            }
            let person = &people[which % people.len()];
            let ways = person.ways();
            let piece = if *mention { ways[way % ways.len()].clone() } else { FILLER[which % FILLER.len()].to_owned() };
            out.push_str(&if slot == Slot::Link { piece.replace([' ', '\''], "-") } else { piece });
        }
        out
    }

    /// Whether `needle` is anywhere in `text`, ignoring case: as a word, glued to a digit or
    /// an escape ("%20Lima"), or inside a longer word. Every needle starts with letters no
    /// other text here holds, so any occurrence is a leak.
    fn leaks(text: &str, needle: &str) -> bool {
        text.to_lowercase().contains(&needle.to_lowercase())
    }

    fn people() -> impl Strategy<Value = Vec<Person>> {
        (1usize..=3).prop_flat_map(|n| (0..n).map(person).collect::<Vec<_>>())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn no_planted_name_or_alias_survives(
            people in people(),
            pieces in prop::collection::vec(prop::collection::vec((any::<bool>(), 0usize..8, 0usize..12, 0usize..10), 1..6), 1..8),
        ) {
            let base = serde_json::to_value(everything()).expect("serializable");
            let slots = slots(&base);
            let mut value = base.clone();
            for (n, (path, slot)) in slots.iter().enumerate() {
                let text = text_of(&people, &pieces[n % pieces.len()], *slot);
                if let Some(v) = at(&mut value, path) { *v = Value::String(text); }
            }
            let mut pm: Postmortem = serde_json::from_value(value).expect("planted text reads back");
            pm.participants = people
                .iter()
                .map(|p| {
                    let mut x = Participant::new(crate::domain::new_item_id(), format!("{} {}", p.first, p.last), p.role);
                    x.aliases = vec![format!("@{}", p.handle), p.nickname.clone(), p.email()];
                    x
                })
                .collect();
            let redacted = redact_names(&pm);
            let outputs = [
                serde_json::to_string(&redacted).expect("serializable"),
                crate::file_format::export_postmortem(&redacted).expect("exportable"),
                to_markdown(&redacted),
            ];
            for person in &people {
                for needle in person.needles() {
                    for output in &outputs {
                        prop_assert!(!leaks(output, &needle), "{needle} left in {output}");
                    }
                }
            }
        }
    }

    #[test]
    fn every_kind_of_text_is_planted() {
        let base = serde_json::to_value(everything()).expect("serializable");
        let found = slots(&base);
        let has = |key: &str| found.iter().any(|(p, _)| p.iter().any(|k| k == key));
        for key in
            ["title", "summary", "history", "review_note", "contributions", "evidence", "tracking", "answers", "tags"]
        {
            assert!(has(key), "no planted text under {key}");
        }
        assert!(found.iter().any(|(_, s)| *s == Slot::Link));
    }
}

#[cfg(test)]
mod review_people {
    use super::super::redact_names;
    use crate::domain::model::{Anchor, Participant, Signed, new_item_id};
    use crate::domain::sample::templated_postmortem;
    use chrono::Utc;

    #[test]
    fn the_reviews_people_and_checklist_keys_are_replaced_whole() {
        let mut pm = templated_postmortem(Utc::now());
        pm.participants.push(Participant::new(new_item_id(), "Ana Lima", "Incident commander"));
        if let Some(t) = pm.template.as_mut() {
            t.checklist.push(crate::domain::model::template::CheckItem {
                key: "ana-lima-signed-off".into(),
                text: "Ana Lima signed off".into(),
            });
        }
        pm.review.authors = vec!["Ana Lima".into()];
        pm.review.reviewers = vec!["Priya Shah".into(), "Li Wei".into()];
        let c = pm.review.comment(Anchor::Whole, "priya shah", "Ask Ana Lima", Utc::now());
        pm.review.resolve(c, Some(Signed { by: "Ana Lima".into(), at: Utc::now() }));
        pm.review.set_check(
            "ana-lima-signed-off",
            "Ana Lima signed off",
            Some(Signed { by: "Jo Bloggs".into(), at: Utc::now() }),
        );
        let out = redact_names(&pm);
        let text = serde_json::to_string(&out).unwrap_or_default();
        for name in ["Ana", "Lima", "Priya", "Shah", "Li Wei", "Bloggs", "ana-lima"] {
            assert!(!text.contains(name), "{name} left in {text}");
        }
        assert_eq!(out.review.authors, ["Author 1"]);
        assert_eq!(out.review.reviewers, ["Reviewer 1", "Reviewer 2"]);
        assert_eq!(out.review.comments[0].author, "Reviewer 1", "the same person, the same label");
        assert_eq!(out.review.comments[0].resolved.as_ref().map(|r| r.by.as_str()), Some("Author 1"));
        assert_eq!(out.review.checks[0].by, "Reviewer 3");
        let keys: Vec<&str> =
            out.template.as_ref().map(|t| t.checklist.iter().map(|i| i.key.as_str()).collect()).unwrap_or_default();
        assert_eq!(keys.last(), Some(&"item-6"));
        assert_eq!(out.review.checks[0].key, "item-6", "the tick keeps its item");
        assert!(out.review.comments[0].text.contains("incident commander"), "{}", out.review.comments[0].text);
    }
}
