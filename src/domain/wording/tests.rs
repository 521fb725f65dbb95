//! Unit tests per category and per context rule.

use super::*;

fn people() -> Vec<crate::domain::model::Participant> {
    use crate::domain::model::{Participant, new_item_id};
    vec![
        Participant::new(new_item_id(), "Ana Lima", "Incident commander"),
        Participant::new(new_item_id(), "Sam Okafor", "Responder"),
    ]
}

fn found(text: &str, field: FieldKind) -> Vec<(Category, String)> {
    let participants = people();
    check(text, &Context { field, participants: &participants }).into_iter().map(|f| (f.category, f.phrase)).collect()
}

fn narrative(text: &str) -> Vec<(Category, String)> {
    found(text, FieldKind::Narrative)
}

fn cats(text: &str, field: FieldKind) -> Vec<Category> {
    found(text, field).into_iter().map(|(c, _)| c).collect()
}

#[test]
fn the_issue_example_gets_two_findings() {
    let f = narrative("The on-call engineer should have noticed the alert; this was human error");
    assert_eq!(
        f,
        [(Category::Counterfactual, "should have".to_owned()), (Category::HumanError, "human error".to_owned())]
    );
}

#[test]
fn a_forward_looking_requirement_in_an_action_item_is_fine() {
    assert!(cats("The deploy pipeline should reject configs without a canary", FieldKind::ActionItem).is_empty());
    assert!(cats("The deploy pipeline should have a canary stage", FieldKind::ActionItem).is_empty());
    assert!(cats("Every service should have an owner listed in the catalogue", FieldKind::Narrative).is_empty());
}

#[test]
fn counterfactuals_with_contractions_and_softeners() {
    for text in [
        "They shouldn't have restarted the primary.",
        "She should've checked the dashboard.",
        "We should really have paged the database team.",
        "The responder could have caught this earlier.",
        "He failed to follow the runbook.",
        "The team did not bother to test in staging.",
        "The operator didn't bother to check.",
        "They neglected to update the status page.",
        "If the alert had been louder, we would have acted sooner.",
    ] {
        assert_eq!(cats(text, FieldKind::Narrative), [Category::Counterfactual], "{text}");
    }
}

#[test]
fn systems_failing_are_not_counterfactuals() {
    assert!(narrative("The pod failed to start after the upgrade.").is_empty());
    assert!(narrative("It could have been much worse during peak hours.").is_empty());
    assert!(narrative("We would like faster rollbacks.").is_empty());
}

#[test]
fn human_error_and_its_cousins() {
    for text in [
        "Root cause: operator error.",
        "It was a simple mistake by the on-call.",
        "Sam's fault, really.",
        "The responder made a mistake.",
    ] {
        assert!(cats(text, FieldKind::Narrative).contains(&Category::HumanError), "{text}");
    }
    assert!(narrative("We do not blame anyone for this.").is_empty());
}

#[test]
fn judgemental_words() {
    assert_eq!(cats("That was a careless change.", FieldKind::Narrative), [Category::Judgemental]);
    assert_eq!(cats("The team completely ignored the warning.", FieldKind::Narrative), [Category::Judgemental]);
    assert_eq!(cats("Frankly ridiculous.", FieldKind::Narrative), [Category::Judgemental]);
}

#[test]
fn blaming_questions_but_not_relative_who() {
    assert_eq!(cats("Who pushed the config?", FieldKind::Narrative), [Category::BlamingQuestion]);
    assert_eq!(cats("Why didn't you roll back?", FieldKind::Narrative), [Category::BlamingQuestion]);
    assert!(narrative("The team who owns the service was paged.").is_empty());
    assert!(narrative("Why did the cache expire early?").is_empty());
}

#[test]
fn hindsight_markers_but_not_temporal_just() {
    assert_eq!(cats("Obviously the config was wrong.", FieldKind::Narrative), [Category::Hindsight]);
    assert_eq!(cats("They just had to restart it.", FieldKind::Narrative), [Category::Hindsight]);
    assert!(narrative("The alert had just fired when the page arrived.").is_empty());
    assert!(narrative("The deploy finished just before midnight.").is_empty());
    assert!(narrative("The button is clearly labelled.").is_empty());
    assert!(narrative("It was not obvious from the dashboard.").is_empty());
}

#[test]
fn named_people_handles_and_emails() {
    let f = narrative("Ana Lima paged @sam.okafor and wrote to ops-lead@example.com.");
    let phrases: Vec<&str> = f.iter().map(|(_, p)| p.as_str()).collect();
    assert_eq!(phrases, ["Ana Lima", "@sam.okafor", "ops-lead@example.com"]);
    assert!(f.iter().all(|(c, _)| *c == Category::NamedIndividual));
    let participants = people();
    let with_role =
        check("Then Sam restarted it.", &Context { field: FieldKind::Timeline, participants: &participants });
    assert_eq!(with_role[0].replacement.as_deref(), Some("the responder"));
    let possessive = check(
        "Sam's deploy and Ana Lima's call.",
        &Context { field: FieldKind::Timeline, participants: &participants },
    );
    let rewrites: Vec<(&str, Option<&str>)> =
        possessive.iter().map(|f| (f.phrase.as_str(), f.replacement.as_deref())).collect();
    assert_eq!(rewrites, [("Sam's", Some("the responder's")), ("Ana Lima's", Some("the incident commander's"))]);
}

#[test]
fn vague_action_items_only_in_action_items() {
    assert_eq!(cats("Be more careful with configs", FieldKind::ActionItem), [Category::VagueAction]);
    assert_eq!(cats("Improve monitoring", FieldKind::ActionItem), [Category::VagueAction]);
    assert_eq!(cats("Investigate the outage", FieldKind::ActionItem), [Category::VagueAction]);
    assert!(cats("Alert when checkout error rate exceeds 1% for 5 minutes", FieldKind::ActionItem).is_empty());
    assert!(cats("Improve monitoring", FieldKind::Narrative).is_empty());
}

#[test]
fn quoted_evidence_is_left_alone() {
    assert!(narrative("The chat said \"who broke prod? obviously human error\" at 14:05.").is_empty());
    assert!(narrative("The log read “operator error: retry”.").is_empty());
    assert!(narrative("> should have failed over\nThat line is from the old runbook.").is_empty());
}

#[test]
fn spans_and_replacements_point_at_the_text() {
    let text = "Obviously, they failed to notice.";
    let participants = people();
    let f = check(text, &Context { field: FieldKind::Narrative, participants: &participants });
    assert_eq!(&text[f[0].start..f[0].end], "Obviously");
    assert_eq!(f[0].replacement.as_deref(), Some(""));
    assert_eq!(&text[f[1].start..f[1].end], "failed to");
    assert_eq!(f[1].replacement.as_deref(), Some("did not"));
}

#[test]
fn arbitrary_text_never_panics() {
    for text in ["", "@", "a@", "@.", "'''", "“unclosed", "?", "...", "ñ@ü.x", "should", "who", "just"] {
        let _ = narrative(text);
    }
}

#[test]
fn aliases_and_lowercase_usernames_are_named_people() {
    let mut participants = people();
    participants[1].aliases = vec!["@sammy".into(), "Big S".into()];
    let f = check(
        "sokafor restarted it after sammy and big s paged ana; \"sam said\" is a quote. Deploy with will.",
        &Context { field: FieldKind::Timeline, participants: &participants },
    );
    let rewrites: Vec<(&str, Option<&str>)> = f.iter().map(|f| (f.phrase.as_str(), f.replacement.as_deref())).collect();
    assert_eq!(
        rewrites,
        [
            ("sokafor", Some("the responder")),
            ("sammy", Some("the responder")),
            ("big s", Some("the responder")),
            ("ana", Some("the incident commander")),
        ]
    );
    let mails = check(
        "Mail ana.lima@example.com or @sammy.",
        &Context { field: FieldKind::Timeline, participants: &participants },
    );
    let rewrites: Vec<(&str, Option<&str>)> =
        mails.iter().map(|f| (f.phrase.as_str(), f.replacement.as_deref())).collect();
    assert_eq!(rewrites, [("ana.lima@example.com", Some("the incident commander")), ("@sammy", Some("the responder"))]);
}
