//! Three-way merge of two versions of one postmortem that both changed since a common
//! version (or, with no common version known, a two-way merge in which every difference is a
//! question).
//!
//! Rules:
//! - a part changed on one side only takes that side's change;
//! - rows of a list (timeline events, factors, whys, action items, lessons, participants,
//!   figures, answers, invitations, contributions, questions) are matched by their id (or
//!   key), so changes to different rows, rows added on either side and rows removed on one
//!   side while untouched on the other merge by themselves; lists of plain values (services,
//!   tags, evidence links, history) merge as sets;
//! - only the same field changed differently on both sides, or a row removed on one side and
//!   changed on the other, is a [`Conflict`]; each is settled by a [`Pick`], and the default
//!   pick never discards an edit: texts keep both versions, a removed-and-changed row is kept,
//!   and a field that cannot hold both (a status, a time) is marked so the caller can keep
//!   both whole postmortems instead.
//!
//! - review comments merge like rows; a resolution made on either side stands (a comment
//!   resolved on one side and edited or left open on the other is resolved), and a checklist
//!   item ticked on both sides is ticked, whoever ticked it here kept.
//!
//! The merge works on the JSON form of the postmortem, so every field (present or future)
//! is merged the same way; what one browser keeps for itself (save counter, last-saved
//! time, trash, lineage) is always taken from this browser's version.

use super::model::{KeyTime, Postmortem};
use super::time::Moment;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Fields each browser keeps for itself: never merged, always this browser's.
const LOCAL_FIELDS: [&str; 4] = ["revision", "updated_at", "deleted_at", "lineage"];

/// What kind of question a conflict asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// The same text changed differently: both can be kept, joined.
    Text,
    /// The same value (a status, a time, a choice) changed differently: one must be chosen.
    Value,
    /// This version removed a row the other changed.
    RemovedHere,
    /// The other version removed a row this one changed.
    RemovedThere,
}

/// One question a merge cannot answer by itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// Stable name of the place (`summary`, `timeline[<id>].at`): the key of its [`Pick`].
    pub key: String,
    /// Where it is, in words: "Summary", "Timeline event “Alert fired”: time".
    pub label: String,
    pub kind: ConflictKind,
    /// Each version's value in words ("" when absent).
    pub mine: String,
    pub theirs: String,
}

/// How a conflict is settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// This version's value (or, for a removed row, this version's choice).
    Mine,
    /// The other version's value.
    Theirs,
    /// Both texts, this version's first (texts only; elsewhere the same as keeping).
    Both,
    /// A text written by the person merging.
    Text(String),
}

impl Conflict {
    /// The pick made unless the person merging chooses: one that discards no edit, where
    /// there is one.
    pub fn default_pick(&self) -> Pick {
        match self.kind {
            ConflictKind::Text => Pick::Both,
            ConflictKind::Value => Pick::Mine,
            // Keep the row that was changed.
            ConflictKind::RemovedHere => Pick::Theirs,
            ConflictKind::RemovedThere => Pick::Mine,
        }
    }

    /// Whether the default pick drops one side's edit (a value both changed).
    pub fn default_discards(&self) -> bool {
        self.kind == ConflictKind::Value
    }
}

/// The result of a merge.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The merged postmortem, every conflict settled by its pick (or its default).
    pub postmortem: Postmortem,
    /// Every question the merge could not answer by itself.
    pub conflicts: Vec<Conflict>,
}

impl Merged {
    /// Whether settling every conflict by its default drops an edit.
    pub fn default_discards(&self) -> bool {
        self.conflicts.iter().any(Conflict::default_discards)
    }
}

/// Why two versions could not be merged (they could not be read as JSON, or the merged
/// JSON is not a postmortem: neither happens with versions Debrief wrote).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the two versions could not be merged ({0})")]
pub struct MergeError(String);

/// Merges `mine` and `theirs`, which both descend from `base` (`None`: no common version
/// is known), settling each conflict by `picks` (by conflict key) or by its default.
pub fn merge(
    base: Option<&Postmortem>,
    mine: &Postmortem,
    theirs: &Postmortem,
    picks: &BTreeMap<String, Pick>,
) -> Result<Merged, MergeError> {
    let json = |pm: &Postmortem| -> Result<Value, MergeError> {
        let text = serde_json::to_string(pm).map_err(|e| MergeError(e.to_string()))?;
        serde_json::from_str(&text).map_err(|e| MergeError(e.to_string()))
    };
    let (mine, theirs) = (&aligned(mine, base), &aligned(theirs, base));
    let (b, m, t) = (base.map(json).transpose()?, json(mine)?, json(theirs)?);
    let mut merger = Merger { picks, conflicts: Vec::new() };
    let mut merged = Map::new();
    let (b_obj, m_obj, t_obj) = (b.as_ref().and_then(Value::as_object), m.as_object(), t.as_object());
    for key in keys(b_obj, m_obj, t_obj) {
        let (bv, mv, tv) =
            (b_obj.and_then(|o| o.get(&key)), m_obj.and_then(|o| o.get(&key)), t_obj.and_then(|o| o.get(&key)));
        let value = if LOCAL_FIELDS.contains(&key.as_str()) {
            mv.cloned()
        } else {
            let place = Place { key: key.clone(), label: field_label(&key, false).to_owned() };
            merger.value(bv, mv, tv, &place)
        };
        if let Some(value) = value {
            merged.insert(key, value);
        }
    }
    let text = serde_json::to_string(&Value::Object(merged)).map_err(|e| MergeError(e.to_string()))?;
    let mut postmortem: Postmortem = serde_json::from_str(&text).map_err(|e| MergeError(e.to_string()))?;
    postmortem.sort_timeline();
    Ok(Merged { postmortem, conflicts: merger.conflicts })
}

/// `side` with each time that is the same instant as in `base` written as `base` writes
/// it: a change of zone re-expresses times at new offsets, which is not a change to them.
fn aligned(side: &Postmortem, base: Option<&Postmortem>) -> Postmortem {
    let mut side = side.clone();
    let Some(base) = base else { return side };
    let same =
        |a: Option<Moment>, b: Option<Moment>| matches!((a, b), (Some(a), Some(b)) if a.instant() == b.instant());
    for k in KeyTime::ALL {
        if same(side.key_times.get(k), base.key_times.get(k)) {
            side.key_times.set(k, base.key_times.get(k));
        }
    }
    for event in &mut side.timeline {
        if let Some(b) = base.timeline.iter().find(|b| b.id == event.id)
            && same(event.at, b.at)
        {
            event.at = b.at;
        }
    }
    side
}

/// Every key of the three objects, mine's first, then theirs', then the base's.
fn keys(b: Option<&Map<String, Value>>, m: Option<&Map<String, Value>>, t: Option<&Map<String, Value>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in [m, t, b].into_iter().flatten().flat_map(Map::keys) {
        if !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

/// Fields that hold free text: two changes to one can both be kept.
fn is_text_field(name: &str) -> bool {
    matches!(
        name,
        "title"
            | "incident_ref"
            | "summary"
            | "description"
            | "text"
            | "name"
            | "role"
            | "value"
            | "owner"
            | "review_note"
    )
}

/// Where in the postmortem a value is: its conflict key and its name in words.
#[derive(Clone)]
struct Place {
    key: String,
    label: String,
}

impl Place {
    /// The field `name` of this object (`row`: this object is a row of a list).
    fn field(&self, name: &str, row: bool) -> Place {
        let own = field_label(name, row);
        let label = if row {
            format!("{}: {own}", self.label)
        } else if own.starts_with(char::is_uppercase) || self.label.is_empty() {
            own.to_owned()
        } else {
            format!("{} {own}", self.label)
        };
        Place { key: format!("{}.{name}", self.key), label }
    }

    /// The name of the field this place is, when it is a field.
    fn name(&self) -> &str {
        if self.key.ends_with(']') { "" } else { self.key.rsplit('.').next().unwrap_or_default() }
    }

    fn row(&self, list: &str, id: &str, name: Option<String>) -> Place {
        let noun = row_noun(list);
        let label = match name.filter(|n| !n.trim().is_empty()) {
            Some(n) => format!("{noun} “{}”", short(&n)),
            None => noun.to_owned(),
        };
        Place { key: format!("{}[{id}]", self.key), label }
    }
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > 40 {
        format!("{}…", line.chars().take(40).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// What people call a field (`row`: in a row of a list).
fn field_label(name: &str, row: bool) -> &'static str {
    match (name, row) {
        ("title", _) => "Title",
        ("incident_ref", _) => "Incident reference",
        ("status", _) => "Status",
        ("severity", _) => "Severity",
        ("summary", _) => "Summary",
        ("key_times", _) => "Key times",
        ("time_zone", _) => "time zone",
        ("impact_started", _) => "Impact started",
        ("detected", _) => "Detected",
        ("mitigated", _) => "Mitigated",
        ("resolved", _) => "Resolved",
        ("services", _) => "Affected services",
        ("tags", _) => "Tags",
        ("participants", _) => "Participants",
        ("impact", _) => "Impact",
        ("figures", _) => "figures",
        ("timeline", _) => "Timeline",
        ("factors", _) => "Contributing factors",
        ("action_items", _) => "Action items",
        ("lessons", _) => "Lessons",
        ("dismissed_findings", _) => "Dismissed wording suggestions",
        ("template", _) => "Template",
        ("answers", _) => "Answers",
        ("invitations", _) => "Invitations",
        ("created_at", _) => "Created",
        ("description", true) | ("text", _) => "text",
        ("description", false) => "description",
        ("at", _) => "time",
        ("kind", _) => "kind",
        ("evidence", _) => "evidence links",
        ("category", _) => "category",
        ("whys", _) => "whys",
        ("priority", _) => "priority",
        ("owner", _) => "owner",
        ("due", _) => "due date",
        ("tracking", _) => "tracking link",
        ("verdict", _) => "did it work?",
        ("review_note", _) => "review note",
        ("reviewed_on", _) => "reviewed on",
        ("done_on", _) => "done on",
        ("created_on", _) => "created on",
        ("history", _) => "history",
        ("name", _) => "name",
        ("role", _) => "role",
        ("value", _) => "value",
        ("review", _) => "Review",
        ("authors", _) => "authors",
        ("reviewers", _) => "reviewers",
        ("meeting", _) => "meeting date",
        ("comments", _) => "comments",
        ("checks", _) => "checklist",
        ("approvals", _) => "approvals",
        ("anchor", _) => "about",
        ("author", _) => "author",
        _ => "",
    }
}

fn row_noun(list: &str) -> &'static str {
    match list {
        "participants" => "Participant",
        "figures" => "Impact figure",
        "timeline" => "Timeline event",
        "factors" => "Contributing factor",
        "whys" => "Why",
        "action_items" => "Action item",
        "went_well" => "What went well",
        "went_wrong" => "What went wrong",
        "got_lucky" => "Where we got lucky",
        "answers" => "Answer",
        "invitations" => "Invitation",
        "contributions" => "Contribution",
        "questions" => "Question",
        "comments" => "Review comment",
        "checks" => "Checklist item",
        "approvals" => "Approval",
        _ => "Entry",
    }
}

/// The key a row of a list is matched by: its id, its key, or its invitation's id.
fn row_key(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    text(o.get("id"))
        .or_else(|| text(o.get("key")))
        .or_else(|| o.get("invitation").and_then(Value::as_object).and_then(|i| text(i.get("id"))))
}

/// What a row is called, for labels: its text, description, name or title.
fn row_name(v: &Value) -> Option<String> {
    let o = v.as_object()?;
    ["description", "text", "name", "title"]
        .iter()
        .find_map(|k| o.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
        .or_else(|| o.get("invitation").and_then(row_name))
}

/// A value in words, for showing a conflict.
fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

struct Merger<'a> {
    picks: &'a BTreeMap<String, Pick>,
    conflicts: Vec<Conflict>,
}

impl Merger<'_> {
    /// Merges one value (`None`: absent on that side).
    fn value(&mut self, b: Option<&Value>, m: Option<&Value>, t: Option<&Value>, place: &Place) -> Option<Value> {
        if m == t {
            return m.cloned();
        }
        if b == m {
            return t.cloned();
        }
        if b == t {
            return m.cloned();
        }
        // A list (or the review) left out of one side's file because it is empty is an
        // empty list there, not a value that conflicts with the other side's list.
        let empty_list = Value::Array(Vec::new());
        let empty_review = Value::Object(Map::new());
        let is_list = [b, m, t].iter().any(|v| matches!(v, Some(Value::Array(_))));
        let is_review = place.key == "review";
        if (is_list || is_review) && (m.is_none() || t.is_none() || b.is_none()) {
            let empty = if is_list { &empty_list } else { &empty_review };
            return self.value(b.or(Some(empty)), m.or(Some(empty)), t.or(Some(empty)), place);
        }
        // A resolution on either side stands; a tick on both sides is a tick.
        let is_set = |v: Option<&Value>| v.is_some_and(|v| !v.is_null());
        if place.key.starts_with("review.comments[") && place.key.ends_with("].resolved") {
            return if is_set(m) { m.cloned() } else { t.cloned() };
        }
        if place.key.starts_with("review.checks[") && place.key.ends_with(']') && is_set(m) && is_set(t) {
            return m.cloned();
        }
        match (m, t) {
            (Some(Value::Object(mo)), Some(Value::Object(to))) => {
                let bo = b.and_then(Value::as_object);
                Some(self.object(bo, mo, to, place))
            }
            (Some(Value::Array(ma)), Some(Value::Array(ta))) => {
                let empty = Vec::new();
                let ba = b.and_then(Value::as_array).unwrap_or(&empty);
                Some(self.array(ba, ma, ta, place))
            }
            _ => self.conflict(m, t, place),
        }
    }

    fn object(
        &mut self,
        b: Option<&Map<String, Value>>,
        m: &Map<String, Value>,
        t: &Map<String, Value>,
        place: &Place,
    ) -> Value {
        let mut out = Map::new();
        let row = place.key.ends_with(']');
        for key in keys(b, Some(m), Some(t)) {
            let inner = place.field(&key, row);
            if let Some(v) = self.value(b.and_then(|o| o.get(&key)), m.get(&key), t.get(&key), &inner) {
                out.insert(key, v);
            }
        }
        Value::Object(out)
    }

    fn array(&mut self, b: &[Value], m: &[Value], t: &[Value], place: &Place) -> Value {
        let keyed = [b, m, t].iter().all(|list| list.iter().all(|v| row_key(v).is_some()));
        if keyed { self.rows(b, m, t, place) } else { Value::Array(set_merge(b, m, t)) }
    }

    /// Rows matched by key: edits merge row by row; additions on either side are kept;
    /// a removal stands unless the other side changed the row.
    fn rows(&mut self, b: &[Value], m: &[Value], t: &[Value], place: &Place) -> Value {
        let list = place.key.rsplit('.').next().unwrap_or_default().to_owned();
        let find = |list: &[Value], key: &str| list.iter().find(|v| row_key(v).as_deref() == Some(key)).cloned();
        // Mine's order, with theirs' additions placed after the row before them in theirs.
        let mut order: Vec<String> = m.iter().filter_map(row_key).collect();
        let mut previous: Option<String> = None;
        for v in t {
            let Some(key) = row_key(v) else { continue };
            if !order.contains(&key) && find(b, &key).is_none() {
                let at = previous.as_ref().and_then(|p| order.iter().position(|k| k == p)).map_or(0, |i| i + 1);
                order.insert(at, key.clone());
            }
            previous = Some(key);
        }
        // Rows only in the base were removed on both sides, or on one side with the other
        // side unchanged; rows removed on one side and changed on the other are asked about.
        for v in b {
            let Some(key) = row_key(v) else { continue };
            if !order.contains(&key) && find(t, &key).is_some() {
                let at = order.len();
                order.insert(at, key);
            }
        }
        let mut out = Vec::new();
        for key in order {
            let (bv, mv, tv) = (find(b, &key), find(m, &key), find(t, &key));
            let name = mv.as_ref().or(tv.as_ref()).or(bv.as_ref()).and_then(row_name);
            let row = place.row(&list, &key, name);
            let merged = match (&bv, &mv, &tv) {
                (Some(bv), None, Some(tv)) if bv != tv => self.removed(Some(tv), ConflictKind::RemovedHere, &row),
                (Some(bv), Some(mv), None) if bv != mv => self.removed(Some(mv), ConflictKind::RemovedThere, &row),
                (Some(_), None, _) | (Some(_), _, None) => None,
                _ => self.value(bv.as_ref(), mv.as_ref(), tv.as_ref(), &row),
            };
            out.extend(merged);
        }
        Value::Array(out)
    }

    /// A row one side removed and the other changed: kept unless the pick says remove.
    fn removed(&mut self, changed: Option<&Value>, kind: ConflictKind, place: &Place) -> Option<Value> {
        let conflict = Conflict {
            key: place.key.clone(),
            label: place.label.clone(),
            kind,
            mine: if kind == ConflictKind::RemovedHere { String::new() } else { shown(changed) },
            theirs: if kind == ConflictKind::RemovedThere { String::new() } else { shown(changed) },
        };
        let pick = self.picks.get(&conflict.key).cloned().unwrap_or_else(|| conflict.default_pick());
        self.conflicts.push(conflict);
        let keep = !matches!(
            (kind, pick),
            (ConflictKind::RemovedHere, Pick::Mine) | (ConflictKind::RemovedThere, Pick::Theirs)
        );
        keep.then(|| changed.cloned()).flatten()
    }

    fn conflict(&mut self, m: Option<&Value>, t: Option<&Value>, place: &Place) -> Option<Value> {
        let text = |v: Option<&Value>| matches!(v, None | Some(Value::String(_)) | Some(Value::Null));
        let kind =
            if is_text_field(place.name()) && text(m) && text(t) { ConflictKind::Text } else { ConflictKind::Value };
        let conflict =
            Conflict { key: place.key.clone(), label: place.label.clone(), kind, mine: shown(m), theirs: shown(t) };
        let pick = self.picks.get(&conflict.key).cloned().unwrap_or_else(|| conflict.default_pick());
        let value = match pick {
            Pick::Mine => m.cloned(),
            Pick::Theirs => t.cloned(),
            Pick::Both if kind == ConflictKind::Text => Some(Value::String(joined(&conflict.mine, &conflict.theirs))),
            Pick::Both => m.cloned(),
            Pick::Text(text) if kind == ConflictKind::Text => Some(Value::String(text)),
            Pick::Text(_) => m.cloned(),
        };
        self.conflicts.push(conflict);
        value
    }
}

/// Both texts kept, this version's first: on one line for short ones, else a paragraph each.
pub fn joined(mine: &str, theirs: &str) -> String {
    match (mine.trim().is_empty(), theirs.trim().is_empty()) {
        (true, _) => theirs.to_owned(),
        (_, true) => mine.to_owned(),
        _ if mine.contains('\n') || theirs.contains('\n') || mine.len() + theirs.len() > 80 => {
            format!("{mine}\n\n{theirs}")
        }
        _ => format!("{mine} / {theirs}"),
    }
}

/// Lists of plain values merged as sets: mine's order, less what theirs removed, plus what
/// theirs added.
fn set_merge(b: &[Value], m: &[Value], t: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = m.iter().filter(|v| !b.contains(v) || t.contains(v)).cloned().collect();
    for v in t {
        if !b.contains(v) && !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

// Native only: property tests are not available in the browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
