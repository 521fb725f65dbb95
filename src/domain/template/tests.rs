use super::*;
use crate::domain::model::{ActionType, Entry, EventKind, FactorCategory, PostmortemId};
use crate::domain::sample::full_postmortem;

fn section(key: &str, title: &str, required: bool, part: Part) -> Section {
    Section {
        key: key.into(),
        title: title.into(),
        required,
        part,
        prompt: format!("{title}?"),
        help: String::new(),
        example: String::new(),
    }
}

fn template(sections: Vec<Section>) -> Template {
    Template { sections, ..Template::blank() }
}

fn empty_pm() -> Postmortem {
    Postmortem::new(PostmortemId::random(), chrono::Utc::now())
}

#[test]
fn completeness_names_the_required_sections_still_empty() {
    let t = template(vec![
        section("summary", "Summary", true, Part::Summary),
        section("trigger", "Trigger", true, Part::Text),
        section("timeline", "Timeline", true, Part::Timeline),
        section("notes", "Notes", false, Part::Text),
    ]);
    let mut pm = empty_pm();
    assert_eq!(completeness(&pm), None, "no template, nothing to complete");
    apply_template(&mut pm, &t);
    let c = completeness(&pm).expect("has a template");
    assert_eq!((c.required, c.missing.clone()), (3, vec!["Summary".into(), "Trigger".into(), "Timeline".into()]));
    pm.summary = "Checkout failed".into();
    set_answer(&mut pm, "trigger", "Trigger", "   ".into());
    pm.add_timeline_event(None, EventKind::Observation, "alert");
    assert_eq!(completeness(&pm).map(|c| c.missing), Some(vec!["Trigger".to_owned()]), "blank text is not an answer");
    set_answer(&mut pm, "trigger", "Trigger", "A config push".into());
    assert!(completeness(&pm).is_some_and(|c| c.is_complete()));
    assert_eq!(pm.summary().completeness.map(|c| c.required), Some(3));
}

#[test]
fn every_part_counts_as_answered_only_with_content() {
    let mut pm = empty_pm();
    for part in Part::ALL {
        assert!(!is_answered(&pm, "k", *part), "{part:?} empty");
    }
    let factor = pm.add_factor(FactorCategory::Change, "A change");
    assert!(is_answered(&pm, "k", Part::Factors));
    assert!(!is_answered(&pm, "k", Part::Whys));
    if let Some(f) = pm.factors.iter_mut().find(|f| f.id == factor) {
        f.whys.push(Entry::new("Because the check was manual"));
    }
    assert!(is_answered(&pm, "k", Part::Whys));
    pm.lessons.got_lucky.push(Entry::new("Low traffic"));
    assert!(is_answered(&pm, "k", Part::Lessons) && is_answered(&pm, "k", Part::GotLucky));
    assert!(!is_answered(&pm, "k", Part::WentWell));
    pm.add_action_item(ActionType::Detect, "Alert on pool saturation");
    assert!(is_answered(&pm, "k", Part::Actions));
}

#[test]
fn switching_template_never_loses_text() {
    let from = template(vec![
        section("summary", "Summary", true, Part::Summary),
        section("trigger", "Trigger", false, Part::Text),
        section("resolution", "Resolution", true, Part::Text),
        section("detection", "How we noticed", false, Part::Text),
        section("supporting", "Supporting information", false, Part::Text),
    ]);
    let to = template(vec![
        section("summary", "Overview", true, Part::Summary),
        section("resolution", "Recovery", true, Part::Text),
        section("noticed", "How we noticed", false, Part::Text),
        section("fault", "Fault", true, Part::Text),
    ]);
    let mut pm = full_postmortem(chrono::Utc::now());
    apply_template(&mut pm, &from);
    for (key, title, text) in [
        ("trigger", "Trigger", "A pool setting was lowered"),
        ("resolution", "Resolution", "Reverted the setting"),
        ("detection", "How we noticed", "An error-rate alert"),
        ("supporting", "Supporting information", "Dashboards linked below"),
    ] {
        set_answer(&mut pm, key, title, text.into());
    }
    let before = pm.clone();
    let preview = preview_switch(&pm, &to);
    assert_eq!(preview.kept, ["Resolution", "How we noticed"]);
    assert_eq!(preview.homeless, ["Trigger", "Supporting information"]);
    assert_eq!(pm, before, "a preview changes nothing");

    let done = apply_template(&mut pm, &to);
    assert_eq!(done, preview);
    assert_eq!(pm.template.as_ref().map(|t| t.id.clone()), Some(to.id.clone()));
    assert_eq!(answer_text(&pm, "resolution"), Some("Reverted the setting"));
    assert_eq!(answer_text(&pm, "noticed"), Some("An error-rate alert"), "matched by title");
    let homeless: Vec<&str> = homeless_answers(&pm).iter().map(|a| a.text.as_str()).collect();
    assert_eq!(homeless, ["A pool setting was lowered", "Dashboards linked below"]);
    let placed: Vec<(String, &str)> = placed_answers(&pm);
    assert_eq!(
        placed,
        [("Recovery".to_owned(), "Reverted the setting"), ("How we noticed".to_owned(), "An error-rate alert")]
    );
    // Structured parts are untouched by a switch.
    assert_eq!((pm.summary.clone(), pm.timeline.clone()), (before.summary.clone(), before.timeline.clone()));

    // Switching back finds every answer its old home again.
    apply_template(&mut pm, &from);
    assert!(homeless_answers(&pm).is_empty());
    for a in &before.answers {
        let found = pm.answers.iter().find(|b| b.text == a.text).map(|b| b.key.clone());
        assert_eq!(found.as_deref(), Some(a.key.as_str()), "{} has its home back", a.title);
    }
}

#[test]
fn every_text_survives_any_sequence_of_switches() {
    let all = builtin::all();
    let mut pm = empty_pm();
    let mut written = Vec::new();
    for t in &all {
        apply_template(&mut pm, t);
        for s in t.sections.iter().filter(|s| s.part == Part::Text) {
            let text = format!("{} answer in {}", s.title, t.name);
            let joined = match answer_text(&pm, &s.key) {
                Some(old) if !old.is_empty() => format!("{old}\n{text}"),
                _ => text.clone(),
            };
            set_answer(&mut pm, &s.key, &s.title, joined);
            written.push(text);
        }
    }
    for t in all.iter().rev().chain(all.iter()) {
        apply_template(&mut pm, t);
        let everything: String = pm.answers.iter().map(|a| a.text.as_str()).collect::<Vec<_>>().join("\n");
        for text in &written {
            assert!(everything.contains(text.as_str()), "{text} lost after switching to {}", t.name);
        }
    }
}

#[test]
fn a_homeless_answer_can_be_moved_into_a_section() {
    let mut pm = empty_pm();
    set_answer(&mut pm, "old", "Old section", "Text from before".into());
    set_answer(&mut pm, "fault", "Fault", "Existing".into());
    move_answer(&mut pm, "old", "fault", "Fault");
    assert_eq!(answer_text(&pm, "fault"), Some("Existing\n\nText from before"));
    assert_eq!(answer_text(&pm, "old"), None);
    move_answer(&mut pm, "fault", "fresh", "Fresh");
    assert_eq!(answer_text(&pm, "fresh"), Some("Existing\n\nText from before"));
    assert_eq!(remove_answer(&mut pm, "fresh").map(|a| a.title), Some("Fresh".into()));
    assert!(pm.answers.is_empty());
}

#[test]
fn problems_name_what_to_fix() {
    let mut t = template(vec![section("a", "A", true, Part::Text), section("a", "", false, Part::Text)]);
    t.sections[1].prompt.clear();
    t.name = "  ".into();
    let problems = t.problems().join("\n");
    assert!(problems.contains("needs a name"), "{problems}");
    assert!(problems.contains("Section 2 needs a title"), "{problems}");
    assert!(problems.contains("same key"), "{problems}");
    assert!(problems.contains("needs a prompt"), "{problems}");
    assert!(template(vec![]).problems().join(" ").contains("at least one section"));
    assert_eq!(Template::blank().problems(), Vec::<String>::new(), "a blank template can be saved as it is");
    let mut reserved = Template::blank();
    reserved.sections[0].key = "finish".into();
    assert!(reserved.problems().join(" ").contains("no usable key"), "guided mode's own step names are reserved");
}

#[test]
fn new_sections_get_unique_readable_keys() {
    let mut t = Template::blank();
    t.add_section("What surprised us?", Part::Text);
    t.add_section("What surprised us?", Part::Text);
    t.add_section("¿???", Part::Text);
    t.add_section("Start", Part::Text);
    let keys: Vec<&str> = t.sections.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(keys, ["summary", "what-surprised-us", "what-surprised-us-2", "section", "start-2"]);
}

#[test]
fn a_copy_is_a_new_editable_template_at_version_one() {
    let original = builtin::all().remove(0);
    let copy = original.copy();
    assert_ne!(copy.id, original.id);
    assert!(!copy.id.is_builtin() && original.id.is_builtin());
    assert_eq!((copy.version, copy.sections.clone()), (1, original.sections.clone()));
}

#[test]
fn templates_and_answers_round_trip_through_json() {
    let mut pm = full_postmortem(chrono::Utc::now());
    apply_template(&mut pm, &builtin::all()[0]);
    set_answer(&mut pm, "trigger", "Trigger", "A config push".into());
    let text = serde_json::to_string(&pm).expect("writable");
    assert_eq!(serde_json::from_str::<Postmortem>(&text).ok(), Some(pm));
    let t = builtin::all().remove(1);
    let text = serde_json::to_string(&t).expect("writable");
    assert_eq!(serde_json::from_str::<Template>(&text).ok(), Some(t));
}

#[test]
fn merging_templates_adds_updates_and_never_overwrites_without_a_newer_version() {
    let mut mine = Template::blank();
    mine.name = "Ours".into();
    let mut stored = vec![mine.clone()];

    let fresh = Template { name: "Theirs".into(), ..Template::blank() };
    let mut newer = mine.clone();
    newer.version = 2;
    newer.sections[0].prompt = "What happened, briefly?".into();
    let merge = merge_templates(&mut stored, vec![fresh.clone(), newer.clone()], false);
    assert_eq!((merge.added.clone(), merge.updated.clone()), (vec!["Theirs".to_owned()], vec!["Ours".to_owned()]));
    assert_eq!(stored, vec![newer.clone(), fresh.clone()]);

    let mut sideways = mine.clone();
    sideways.sections[0].title = "Different".into();
    let merge = merge_templates(&mut stored, vec![sideways.clone(), fresh.clone()], false);
    assert_eq!(merge.unchanged, ["Ours", "Theirs"]);
    assert!(!merge.changes_anything());
    assert_eq!(stored.len(), 2, "an older or same version never replaces what is stored");

    let merge = merge_templates(&mut stored, vec![sideways], true);
    assert_eq!(merge.copied, ["Ours (copy)"]);
    assert_eq!(stored.len(), 3);
    assert!(stored.iter().any(|t| t == &newer), "the stored one is kept");
}

#[test]
fn a_changed_built_in_arrives_as_a_copy_and_an_unchanged_one_is_ignored() {
    let mut stored = Vec::new();
    let original = builtin::all().remove(0);
    let mut changed = original.clone();
    changed.sections.pop();
    let merge = merge_templates(&mut stored, vec![original.clone(), changed], false);
    assert_eq!(merge.unchanged, vec![original.name.clone()]);
    assert_eq!(merge.copied, vec![original.name.clone()]);
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].id.is_builtin());
}

#[test]
fn undoing_a_switch_puts_answers_back_and_keeps_text_written_since() {
    let builtins = builtin::all();
    let (sre, atlassian) = (&builtins[1], &builtins[3]);
    let mut pm = empty_pm();
    apply_template(&mut pm, sre);
    set_answer(&mut pm, "trigger", "Trigger", "A config push".into());
    let before = pm.template.clone();
    apply_template(&mut pm, atlassian);
    set_answer(&mut pm, "fault", "Fault", "Written after the switch".into());
    // What the editor's Undo does.
    if let Some(old) = &before {
        apply_template(&mut pm, &old.as_template());
    }
    pm.template = before;
    assert_eq!(answer_text(&pm, "trigger"), Some("A config push"));
    assert!(homeless_answers(&pm).iter().any(|a| a.text == "Written after the switch"), "kept, listed apart");
}
