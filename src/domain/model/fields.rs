//! Access to a postmortem's free-text fields by a stable key (the editor's element ids)
//! and the kind of each field. The wording assistant, redaction and comparison all read
//! fields through this one list.

use super::postmortem::{LessonKind, Postmortem};
use std::borrow::Cow;

/// What kind of field a text comes from; some rules depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// Summary, impact, factors, lessons and other prose.
    Narrative,
    /// A timeline event's description.
    Timeline,
    /// An action item: forward-looking by nature.
    ActionItem,
    /// An anonymous contribution's answer.
    Contribution,
}

/// One free-text field of a postmortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField {
    /// Stable key; the editor uses it as the field's element id.
    pub key: String,
    /// What people call the field: "Summary", "Timeline event", ...
    pub label: Cow<'static, str>,
    pub kind: FieldKind,
    pub text: String,
}

fn lesson_key(kind: LessonKind) -> &'static str {
    kind.key()
}

/// Every free-text field of `pm`, in the order the editor shows them.
pub fn texts(pm: &Postmortem) -> Vec<TextField> {
    let field = |key: String, label: &'static str, kind, text: &str| TextField {
        key,
        label: Cow::Borrowed(label),
        kind,
        text: text.to_owned(),
    };
    let mut out = vec![
        field("pm-title".into(), "Title", FieldKind::Narrative, &pm.title),
        field("pm-summary".into(), "Summary", FieldKind::Narrative, &pm.summary),
        field("pm-impact".into(), "Impact", FieldKind::Narrative, &pm.impact.description),
    ];
    out.extend(pm.answers.iter().map(|a| TextField {
        key: answer_field(&a.key),
        label: Cow::Owned(a.title.clone()),
        kind: FieldKind::Narrative,
        text: a.text.clone(),
    }));
    out.extend(
        pm.timeline
            .iter()
            .map(|e| field(format!("event-text-{}", e.id), "Timeline event", FieldKind::Timeline, &e.description)),
    );
    for f in &pm.factors {
        out.push(field(format!("factor-text-{}", f.id), "Contributing factor", FieldKind::Narrative, &f.description));
        out.extend(
            f.whys.iter().map(|w| field(format!("factor-{}-why-{}", f.id, w.id), "Why", FieldKind::Narrative, &w.text)),
        );
    }
    out.extend(
        pm.action_items
            .iter()
            .map(|a| field(format!("action-text-{}", a.id), "Action item", FieldKind::ActionItem, &a.description)),
    );
    for kind in LessonKind::ALL {
        out.extend(pm.lessons.list(kind).iter().map(|e| {
            field(format!("lesson-{}-{}", lesson_key(kind), e.id), kind.label(), FieldKind::Narrative, &e.text)
        }));
    }
    out
}

/// The field key (and element id) of the template answer under `answer_key`.
pub fn answer_field(answer_key: &str) -> String {
    format!("answer-{answer_key}")
}

/// The text of the field `key`, to change it (applying a suggested rewrite).
pub fn text_mut<'a>(pm: &'a mut Postmortem, key: &str) -> Option<&'a mut String> {
    match key {
        "pm-title" => return Some(&mut pm.title),
        "pm-summary" => return Some(&mut pm.summary),
        "pm-impact" => return Some(&mut pm.impact.description),
        _ => {}
    }
    if let Some(a) = pm.answers.iter_mut().find(|a| key == answer_field(&a.key)) {
        return Some(&mut a.text);
    }
    if let Some(e) = pm.timeline.iter_mut().find(|e| key == format!("event-text-{}", e.id)) {
        return Some(&mut e.description);
    }
    if let Some(a) = pm.action_items.iter_mut().find(|a| key == format!("action-text-{}", a.id)) {
        return Some(&mut a.description);
    }
    for f in pm.factors.iter_mut() {
        if key == format!("factor-text-{}", f.id) {
            return Some(&mut f.description);
        }
        let prefix = format!("factor-{}-why-", f.id);
        if let Some(w) = f.whys.iter_mut().find(|w| key == format!("{prefix}{}", w.id)) {
            return Some(&mut w.text);
        }
    }
    let (kind, index) = LessonKind::ALL.into_iter().find_map(|kind| {
        let position =
            pm.lessons.list(kind).iter().position(|e| key == format!("lesson-{}-{}", lesson_key(kind), e.id));
        position.map(|i| (kind, i))
    })?;
    pm.lessons.list_mut(kind).get_mut(index).map(|e| &mut e.text)
}
