//! The postmortem document: every part an author writes, and the rules that keep it tidy.

use super::dismissal::Dismissal;
use super::history::ItemChange;
use super::invitation::{ContributionId, SentInvitation};
use super::lineage::Lineage;
use super::review::Review;
use super::template::{Answer, TemplateUse};
use crate::domain::link::Link;
use crate::domain::time::{Moment, Zone, ZoneRules};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// Identifies one postmortem for its whole life, across exports and imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PostmortemId(pub Uuid);

impl PostmortemId {
    /// A fresh random id.
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }

    /// Reads an id from text such as a URL segment; `None` when it is not a UUID.
    pub fn parse(text: &str) -> Option<Self> {
        Uuid::parse_str(text.trim()).ok().map(Self)
    }
}

impl fmt::Display for PostmortemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Identifies one row inside a postmortem (an event, a factor, an action item...).
pub type ItemId = Uuid;

/// Makes a fresh row id: a random part drawn once per page load, then a counter.
///
/// Row ids only need to be unique inside their postmortem, and this keeps them so (two
/// page loads share the random part with odds of 2^-74) while the rows one session writes
/// share most of their characters, which the compact stored form then packs into a few
/// bytes each instead of the twenty a fully random id costs.
pub fn new_item_id() -> ItemId {
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicU64, Ordering};
    static SESSION: OnceLock<[u8; 10]> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    let session = SESSION.get_or_init(|| {
        let mut part = [0u8; 10];
        part.copy_from_slice(&Uuid::new_v4().as_bytes()[..10]);
        part
    });
    let count = COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes();
    let mut bytes = [0u8; 16];
    bytes[..10].copy_from_slice(session);
    bytes[10..].copy_from_slice(&count[2..]);
    Uuid::new_v8(bytes)
}

/// A row of one of the postmortem's lists, known by its id.
pub trait Row {
    /// The row's id, stable while it is edited and reordered.
    fn id(&self) -> ItemId;
}

macro_rules! rows {
    ($($t:ty),+) => { $(impl Row for $t { fn id(&self) -> ItemId { self.id } })+ };
}
rows!(Participant, ImpactFigure, TimelineEvent, Entry, ContributingFactor, ActionItem);

choices! {
    /// Where a postmortem is in its life.
    Status {
        Draft => "draft", "Draft";
        InReview => "in-review", "In review";
        Published => "published", "Published";
        Closed => "closed", "Closed";
    }
}

choices! {
    /// What kind of moment a timeline event records.
    EventKind {
        Observation => "observation", "Observation";
        Action => "action", "Action";
        Decision => "decision", "Decision";
        Communication => "communication", "Communication";
        Milestone => "milestone", "Milestone";
    }
}

choices! {
    /// Where in the system or organisation a contributing factor sits.
    FactorCategory {
        Software => "software", "Software defect";
        Change => "change", "Change or deployment";
        Configuration => "configuration", "Configuration";
        Infrastructure => "infrastructure", "Infrastructure";
        Capacity => "capacity", "Capacity or load";
        Dependency => "dependency", "External dependency";
        Monitoring => "monitoring", "Monitoring and alerting";
        Process => "process", "Process";
        Communication => "communication", "Communication and coordination";
        Tooling => "tooling", "Tooling";
        Knowledge => "knowledge", "Knowledge and documentation";
        Other => "other", "Other";
    }
}

choices! {
    /// What an action item is meant to achieve.
    ActionType {
        Prevent => "prevent", "Prevent";
        Mitigate => "mitigate", "Mitigate";
        Detect => "detect", "Detect";
        Repair => "repair", "Repair";
        Process => "process", "Process";
        Investigate => "investigate", "Investigate";
    }
}

choices! {
    /// How soon an action item should be done.
    Priority {
        P1 => "p1", "P1 (urgent)";
        P2 => "p2", "P2 (soon)";
        P3 => "p3", "P3 (when possible)";
    }
}

choices! {
    /// Where an action item stands.
    ActionStatus {
        Open => "open", "Open";
        InProgress => "in-progress", "In progress";
        Done => "done", "Done";
        Dropped => "dropped", "Dropped";
    }
}

choices! {
    /// After an action item is done: did it do what it was meant to?
    Verdict {
        TooEarly => "too-early", "Too early to tell";
        Worked => "worked", "It worked";
        Partly => "partly", "It partly worked";
        DidNotWork => "did-not-work", "It did not work";
    }
}

/// A severity level, 1 (worst) to [`Severity::LEVELS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Severity(u8);

impl Severity {
    /// How many levels the scale has.
    pub const LEVELS: u8 = 4;

    /// Level `level` when it is on the scale.
    pub fn new(level: u8) -> Option<Self> {
        (1..=Self::LEVELS).contains(&level).then_some(Self(level))
    }

    /// Every level, worst first.
    pub fn all() -> impl Iterator<Item = Self> {
        (1..=Self::LEVELS).map(Self)
    }

    /// The level number (1 is the worst).
    pub fn level(self) -> u8 {
        self.0
    }

    /// The level's name on the default scale, such as `SEV1`.
    pub fn name(self) -> String {
        format!("SEV{}", self.0)
    }

    /// The default scale's one-line definition of this level.
    pub fn definition(self) -> &'static str {
        match self.0 {
            1 => "Critical: a core service is down or data is at risk for many users",
            2 => "Major: a core feature is badly degraded or unavailable for some users",
            3 => "Minor: limited impact, with a workaround available",
            _ => "Low: little or no user impact; worth learning from",
        }
    }
}

impl TryFrom<u8> for Severity {
    type Error = String;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Self::new(level).ok_or_else(|| format!("severity {level} is not between 1 and {}", Self::LEVELS))
    }
}

impl From<Severity> for u8 {
    fn from(severity: Severity) -> Self {
        severity.0
    }
}

/// The four moments every incident has, and the time zone whose clocks the postmortem's
/// times are entered and shown on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct KeyTimes {
    /// The zone the times are entered and shown in (each time also keeps its own offset).
    pub time_zone: Zone,
    pub impact_started: Option<Moment>,
    pub detected: Option<Moment>,
    pub mitigated: Option<Moment>,
    pub resolved: Option<Moment>,
    /// Format 2's one `offset`, which format 3 replaced with `time_zone`: never written, and
    /// refused when read, so a file whose offset could not be migrated says why.
    #[serde(default, rename = "offset", skip_serializing)]
    pub no_offset: NoOffset,
}

/// See [`KeyTimes::no_offset`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NoOffset;

impl<'de> Deserialize<'de> for NoOffset {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let minutes = i64::deserialize(deserializer)?;
        Err(serde::de::Error::custom(if (-720..=840).contains(&minutes) {
            "a format 3 file names its \"time_zone\" instead of an offset".to_owned()
        } else {
            format!("UTC offset {minutes} minutes is outside -720..=840")
        }))
    }
}

/// Which of the key times a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTime {
    ImpactStarted,
    Detected,
    Mitigated,
    Resolved,
}

impl KeyTime {
    /// Every key time, in the order they normally happen.
    pub const ALL: [Self; 4] = [Self::ImpactStarted, Self::Detected, Self::Mitigated, Self::Resolved];

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::ImpactStarted => "Impact started",
            Self::Detected => "Detected",
            Self::Mitigated => "Mitigated",
            Self::Resolved => "Resolved",
        }
    }

    /// A short stable name for form controls.
    pub fn key(self) -> &'static str {
        match self {
            Self::ImpactStarted => "impact-started",
            Self::Detected => "detected",
            Self::Mitigated => "mitigated",
            Self::Resolved => "resolved",
        }
    }
}

impl KeyTimes {
    /// The value of one key time.
    pub fn get(&self, which: KeyTime) -> Option<Moment> {
        match which {
            KeyTime::ImpactStarted => self.impact_started,
            KeyTime::Detected => self.detected,
            KeyTime::Mitigated => self.mitigated,
            KeyTime::Resolved => self.resolved,
        }
    }

    /// Sets one key time.
    pub fn set(&mut self, which: KeyTime, value: Option<Moment>) {
        let slot = match which {
            KeyTime::ImpactStarted => &mut self.impact_started,
            KeyTime::Detected => &mut self.detected,
            KeyTime::Mitigated => &mut self.mitigated,
            KeyTime::Resolved => &mut self.resolved,
        };
        *slot = value;
    }
}

/// Someone who took part, by name and by the role they played.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ItemId,
    pub name: String,
    pub role: String,
    /// Other ways the text may name them: handles, usernames, short names, email addresses.
    /// Redaction and the wording assistant treat each like the name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// The longest alias, in characters, and the most aliases one participant may have.
pub const MAX_ALIAS_CHARS: usize = 120;
pub const MAX_ALIASES: usize = 20;

impl Participant {
    /// A participant with no aliases.
    pub fn new(id: ItemId, name: impl Into<String>, role: impl Into<String>) -> Self {
        Self { id, name: name.into(), role: role.into(), aliases: Vec::new() }
    }

    /// Adds `alias` (trimmed, a leading `@` kept) unless it is empty, already there
    /// (ignoring case), or the list is full; says whether it was added.
    pub fn add_alias(&mut self, alias: &str) -> bool {
        let mut all = self.aliases.clone();
        all.push(alias.trim().to_owned());
        let all = parse_aliases(&all.join(","));
        let added = all.len() > self.aliases.len();
        self.aliases = all;
        added
    }

    /// How redacted text refers to them: "the incident commander", or "a participant".
    pub fn role_phrase(&self) -> String {
        let role = self.role.trim();
        if role.is_empty() { "a participant".to_owned() } else { format!("the {}", role.to_lowercase()) }
    }
}

/// Aliases as typed in one field, separated by commas: trimmed, without empty ones or
/// repeats (ignoring case), each at most [`MAX_ALIAS_CHARS`], at most [`MAX_ALIASES`].
pub fn parse_aliases(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for alias in text.split([',', ';', '\n']).map(str::trim).filter(|a| !a.is_empty()) {
        let alias: String = alias.chars().take(MAX_ALIAS_CHARS).collect();
        if out.len() < MAX_ALIASES && !out.iter().any(|a| a.to_lowercase() == alias.to_lowercase()) {
            out.push(alias);
        }
    }
    out
}

/// Roles offered as suggestions; any text is accepted.
pub const SUGGESTED_ROLES: &[&str] = &[
    "Incident commander",
    "Responder",
    "Communications lead",
    "Subject matter expert",
    "Scribe",
    "Customer support",
    "Facilitator",
];

/// A named number describing impact, such as "Users affected: 12,000".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpactFigure {
    pub id: ItemId,
    pub name: String,
    pub value: String,
}

/// What the incident did to users and the business.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Impact {
    pub description: String,
    pub figures: Vec<ImpactFigure>,
}

/// One moment in the incident's story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub id: ItemId,
    /// When it happened; `None` while the author has not set it.
    pub at: Option<Moment>,
    pub kind: EventKind,
    pub description: String,
    #[serde(default)]
    pub evidence: Vec<Link>,
    /// Set when the row was promoted from an anonymous contribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_contribution: Option<ContributionId>,
}

/// A short piece of text with an id, used for lists such as lessons and whys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: ItemId,
    pub text: String,
    /// Set when the row was promoted from an anonymous contribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_contribution: Option<ContributionId>,
}

impl Entry {
    /// A new entry holding `text`.
    pub fn new(text: impl Into<String>) -> Self {
        Self { id: new_item_id(), text: text.into(), from_contribution: None }
    }
}

/// A condition in the system or organisation that made the incident possible or worse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributingFactor {
    pub id: ItemId,
    pub description: String,
    pub category: FactorCategory,
    /// An optional chain of "why?" answers, each digging one step deeper.
    #[serde(default)]
    pub whys: Vec<Entry>,
    /// Set when the row was promoted from an anonymous contribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_contribution: Option<ContributionId>,
}

/// A piece of follow-up work, and afterwards whether it helped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionItem {
    pub id: ItemId,
    pub description: String,
    pub kind: ActionType,
    pub priority: Priority,
    /// A role or team, not a person's name.
    pub owner: String,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
    pub tracking: Option<Link>,
    /// Filled in once the item is done.
    pub verdict: Option<Verdict>,
    /// When the item was added.
    #[serde(default)]
    pub created_on: Option<NaiveDate>,
    /// When the item was last marked done.
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
    /// What the effectiveness review found.
    #[serde(default)]
    pub review_note: String,
    /// When the verdict was given.
    #[serde(default)]
    pub reviewed_on: Option<NaiveDate>,
    /// Dated changes to status, owner, due date, priority and verdict.
    #[serde(default)]
    pub history: Vec<ItemChange>,
}

/// Which lesson list an entry is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonKind {
    WentWell,
    WentWrong,
    GotLucky,
}

impl LessonKind {
    /// Every list, in the order they are shown.
    pub const ALL: [Self; 3] = [Self::WentWell, Self::WentWrong, Self::GotLucky];

    /// The list's heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::WentWell => "What went well",
            Self::WentWrong => "What went wrong",
            Self::GotLucky => "Where we got lucky",
        }
    }

    /// A short stable name for form controls.
    pub fn key(self) -> &'static str {
        match self {
            Self::WentWell => "went-well",
            Self::WentWrong => "went-wrong",
            Self::GotLucky => "got-lucky",
        }
    }
}

/// What the team learned, in the three lists the field uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Lessons {
    pub went_well: Vec<Entry>,
    pub went_wrong: Vec<Entry>,
    pub got_lucky: Vec<Entry>,
}

impl Lessons {
    /// One of the three lists.
    pub fn list(&self, kind: LessonKind) -> &Vec<Entry> {
        match kind {
            LessonKind::WentWell => &self.went_well,
            LessonKind::WentWrong => &self.went_wrong,
            LessonKind::GotLucky => &self.got_lucky,
        }
    }

    /// One of the three lists, to change.
    pub fn list_mut(&mut self, kind: LessonKind) -> &mut Vec<Entry> {
        match kind {
            LessonKind::WentWell => &mut self.went_well,
            LessonKind::WentWrong => &mut self.went_wrong,
            LessonKind::GotLucky => &mut self.got_lucky,
        }
    }
}

/// A blameless postmortem: what happened, why it made sense, and what follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Postmortem {
    pub id: PostmortemId,
    /// Counts saves; lets a later save notice that someone else saved in between.
    #[serde(default)]
    pub revision: u64,
    pub created_at: DateTime<Utc>,
    /// When it was last saved here. A team folder's files leave it out (it differs from
    /// browser to browser): read from one, it is the creation time (the readers see to it;
    /// left out, it reads as the start of 1970).
    #[serde(default)]
    pub updated_at: DateTime<Utc>,
    /// Set while the postmortem is in the trash.
    #[serde(default)]
    pub deleted_at: Option<DateTime<Utc>>,
    /// When it was first marked in review or published. Changes to action items are
    /// recorded in their history from then on; before, the draft is still being written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circulated_at: Option<DateTime<Utc>>,
    pub title: String,
    #[serde(default)]
    pub incident_ref: String,
    pub status: Status,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub key_times: KeyTimes,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub impact: Impact,
    #[serde(default)]
    pub timeline: Vec<TimelineEvent>,
    #[serde(default)]
    pub factors: Vec<ContributingFactor>,
    #[serde(default)]
    pub action_items: Vec<ActionItem>,
    #[serde(default)]
    pub lessons: Lessons,
    /// Wording-assistant findings the author chose to keep.
    #[serde(default)]
    pub dismissed_findings: Vec<Dismissal>,
    /// The template the postmortem is written in, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<TemplateUse>,
    /// Free-text answers to template sections, by section key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// Invitations to contribute anonymously, each with the contributions merged so far.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invitations: Vec<SentInvitation>,
    /// Authors, reviewers, the review meeting, comments, checklist ticks and approvals.
    #[serde(default, skip_serializing_if = "Review::is_empty")]
    pub review: Review,
    /// The version last exchanged, when the postmortem has been exchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lineage: Option<Lineage>,
}

/// What to call a postmortem whose title is still empty.
pub const UNTITLED: &str = "Untitled postmortem";

/// The title to show for `title`: itself, or [`UNTITLED`] when it is empty.
pub fn display_title(title: &str) -> &str {
    if title.trim().is_empty() { UNTITLED } else { title }
}

impl Postmortem {
    /// An empty draft created at `now`.
    pub fn new(id: PostmortemId, now: DateTime<Utc>) -> Self {
        Self {
            id,
            revision: 0,
            created_at: now,
            updated_at: now,
            deleted_at: None,
            circulated_at: None,
            title: String::new(),
            incident_ref: String::new(),
            status: Status::Draft,
            severity: None,
            summary: String::new(),
            key_times: KeyTimes::default(),
            services: Vec::new(),
            tags: Vec::new(),
            participants: Vec::new(),
            impact: Impact::default(),
            timeline: Vec::new(),
            factors: Vec::new(),
            action_items: Vec::new(),
            lessons: Lessons::default(),
            dismissed_findings: Vec::new(),
            template: None,
            answers: Vec::new(),
            invitations: Vec::new(),
            review: Review::default(),
            lineage: None,
        }
    }

    /// The title, or a stand-in when it is empty.
    pub fn display_title(&self) -> &str {
        display_title(&self.title)
    }

    /// Puts timeline events in time order; events without a time keep their order at the end.
    pub fn sort_timeline(&mut self) {
        crate::domain::order::sort_by_key(&mut self.timeline, |e| (e.at.is_none(), e.at));
    }

    /// Adds a timeline event and keeps the timeline sorted; returns its id.
    pub fn add_timeline_event(
        &mut self,
        at: Option<Moment>,
        kind: EventKind,
        description: impl Into<String>,
    ) -> ItemId {
        let id = new_item_id();
        self.timeline.push(TimelineEvent {
            id,
            at,
            kind,
            description: description.into(),
            evidence: Vec::new(),
            from_contribution: None,
        });
        self.sort_timeline();
        id
    }

    /// Adds an empty event right after the event `after` (at its time, so it stays next to
    /// it once sorted), or at the end when `after` is gone; returns its id.
    pub fn insert_timeline_event_after(&mut self, after: ItemId, kind: EventKind) -> ItemId {
        let id = new_item_id();
        let (index, at) = match self.timeline.iter().position(|e| e.id == after) {
            Some(i) => (i + 1, self.timeline[i].at),
            None => (self.timeline.len(), None),
        };
        let event =
            TimelineEvent { id, at, kind, description: String::new(), evidence: Vec::new(), from_contribution: None };
        self.timeline.insert(index, event);
        self.sort_timeline();
        id
    }

    /// Puts back `event`, taken out from `index`, and keeps the timeline sorted.
    pub fn restore_timeline_event(&mut self, index: usize, event: TimelineEvent) {
        if self.timeline.iter().any(|e| e.id == event.id) {
            return;
        }
        self.timeline.insert(index.min(self.timeline.len()), event);
        self.sort_timeline();
    }

    /// Adds a contributing factor; returns its id.
    pub fn add_factor(&mut self, category: FactorCategory, description: impl Into<String>) -> ItemId {
        let id = new_item_id();
        self.factors.push(ContributingFactor {
            id,
            description: description.into(),
            category,
            whys: Vec::new(),
            from_contribution: None,
        });
        id
    }

    /// Adds an open action item; returns its id.
    pub fn add_action_item(&mut self, kind: ActionType, description: impl Into<String>) -> ItemId {
        let id = new_item_id();
        self.action_items.push(ActionItem {
            id,
            description: description.into(),
            kind,
            priority: Priority::P2,
            owner: String::new(),
            due: None,
            status: ActionStatus::Open,
            tracking: None,
            verdict: None,
            created_on: Some(self.updated_at.date_naive()),
            done_on: None,
            review_note: String::new(),
            reviewed_on: None,
            history: Vec::new(),
        });
        id
    }

    /// Every time the postmortem holds: the key times, then the timeline's.
    pub fn moments(&self) -> impl Iterator<Item = Moment> + '_ {
        KeyTime::ALL.into_iter().filter_map(|k| self.key_times.get(k)).chain(self.timeline.iter().filter_map(|e| e.at))
    }

    /// Whether its times are not all at one offset from UTC (the clocks changed during the
    /// incident), so each needs its offset to be read right.
    pub fn offsets_vary(&self) -> bool {
        let mut offsets = self.moments().map(|m| m.offset());
        offsets.next().is_some_and(|first| offsets.any(|o| o != first))
    }

    /// Writes every time at the offset its zone's clocks showed at that instant (by
    /// `rules`), keeping every instant; says whether any changed. Times from a merge, a
    /// change of zone or a hand-written file may carry other offsets.
    pub fn restate_times(&mut self, rules: &dyn ZoneRules) -> bool {
        let zone = self.key_times.time_zone.clone();
        let before = (self.key_times.clone(), self.timeline.iter().map(|e| e.at).collect::<Vec<_>>());
        for k in KeyTime::ALL {
            let moment = self.key_times.get(k).map(|m| zone.show(rules, m));
            self.key_times.set(k, moment);
        }
        for event in &mut self.timeline {
            event.at = event.at.map(|m| zone.show(rules, m));
        }
        before != (self.key_times.clone(), self.timeline.iter().map(|e| e.at).collect::<Vec<_>>())
    }

    /// Sets the status at `now`, noting when it is first circulated (in review or
    /// published).
    pub fn set_status(&mut self, status: Status, now: DateTime<Utc>) {
        self.status = status;
        if status != Status::Draft && self.circulated_at.is_none() {
            self.circulated_at = Some(now);
        }
    }

    /// Whether changes to action items go into their history: once the postmortem has been
    /// in review or published. Before, the author is still typing the plan in.
    pub fn records_plan_changes(&self) -> bool {
        self.circulated_at.is_some() || self.status != Status::Draft
    }

    /// Moves the postmortem to the trash at `now`.
    pub fn trash(&mut self, now: DateTime<Utc>) {
        self.deleted_at = Some(now);
    }

    /// Takes the postmortem out of the trash.
    pub fn restore(&mut self) {
        self.deleted_at = None;
    }

    /// Whether the postmortem is in the trash.
    pub fn is_trashed(&self) -> bool {
        self.deleted_at.is_some()
    }
}

/// Adds `value` to a list of labels (services, tags) unless it is empty or already there
/// (ignoring case); returns whether it was added.
pub fn add_label(list: &mut Vec<String>, value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() || list.iter().any(|v| v.eq_ignore_ascii_case(value)) {
        return false;
    }
    list.push(value.to_owned());
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_trimmed_deduplicated_and_bounded() {
        assert_eq!(
            parse_aliases(" @sokafor, ,Sam O;sam o\nsokafor@example.com "),
            ["@sokafor", "Sam O", "sokafor@example.com"]
        );
        let many = (0..30).map(|n| format!("a{n}")).collect::<Vec<_>>().join(",");
        assert_eq!(parse_aliases(&many).len(), MAX_ALIASES);
        assert_eq!(parse_aliases(&"x".repeat(500))[0].chars().count(), MAX_ALIAS_CHARS);
        let mut p = Participant::new(new_item_id(), "Sam Okafor", "Responder");
        assert!(p.add_alias(" @sokafor "));
        assert!(!p.add_alias("@SOKAFOR"));
        assert!(!p.add_alias("  "));
        assert_eq!(p.aliases, ["@sokafor"]);
        assert_eq!(p.role_phrase(), "the responder");
        assert_eq!(Participant::new(new_item_id(), "X", " ").role_phrase(), "a participant");
    }

    #[test]
    fn a_new_event_goes_right_after_the_current_one_and_a_deleted_one_comes_back_in_place() {
        let mut pm = Postmortem::new(PostmortemId::random(), Utc::now());
        let t = |m: &str| Moment::parse(&format!("2026-06-10T14:{m}:00+02:00")).ok();
        let a = pm.add_timeline_event(t("00"), EventKind::Action, "a");
        let b = pm.add_timeline_event(t("05"), EventKind::Action, "b");
        let c = pm.add_timeline_event(t("05"), EventKind::Action, "c");
        let new = pm.insert_timeline_event_after(b, EventKind::Observation);
        let ids = |pm: &Postmortem| pm.timeline.iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(&pm), [a, b, new, c], "after b, before c at the same time");
        assert_eq!(pm.timeline[2].at, t("05"));
        let gone = pm.timeline.remove(1);
        pm.restore_timeline_event(1, gone.clone());
        pm.restore_timeline_event(1, gone);
        assert_eq!(ids(&pm), [a, b, new, c], "back in place, once");
        let last = pm.insert_timeline_event_after(new_item_id(), EventKind::Observation);
        assert_eq!(ids(&pm).last(), Some(&last));
    }

    #[test]
    fn row_ids_are_unique_and_share_their_session_part() {
        let ids: Vec<ItemId> = (0..10_000).map(|_| new_item_id()).collect();
        let distinct: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
        assert!(ids.iter().all(|id| id.get_version_num() == 8 && id.as_bytes()[..10] == ids[0].as_bytes()[..10]));
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).expect("valid time")
    }

    fn at(text: &str) -> Option<Moment> {
        Moment::parse(&format!("{text}Z")).ok()
    }

    #[test]
    fn times_are_restated_at_their_zones_offsets_keeping_every_instant() {
        use crate::domain::time::test_rules::TestRules;
        let mut pm = Postmortem::new(PostmortemId::random(), now());
        pm.key_times.time_zone = Zone::parse("Europe/Berlin").expect("zone");
        pm.key_times.impact_started = at("2026-03-29T00:40");
        pm.add_timeline_event(at("2026-03-29T01:10"), EventKind::Observation, "after the change");
        let instants = |p: &Postmortem| p.moments().map(Moment::instant).collect::<Vec<_>>();
        let before = instants(&pm);
        assert!(pm.restate_times(&TestRules));
        assert_eq!(instants(&pm), before);
        let shown: Vec<String> = pm.moments().map(|m| m.to_string()).collect();
        assert_eq!(shown, ["2026-03-29T01:40:00+01:00", "2026-03-29T03:10:00+02:00"]);
        assert!(pm.offsets_vary());
        assert!(!pm.restate_times(&TestRules), "a second pass changes nothing");
    }

    #[test]
    fn timeline_stays_sorted_with_untimed_events_last() {
        let mut pm = Postmortem::new(PostmortemId::random(), now());
        pm.add_timeline_event(None, EventKind::Observation, "no time yet");
        pm.add_timeline_event(at("2026-05-01T10:30"), EventKind::Action, "rollback");
        pm.add_timeline_event(at("2026-05-01T09:15"), EventKind::Observation, "alert fired");
        pm.add_timeline_event(None, EventKind::Decision, "second untimed");
        let order: Vec<_> = pm.timeline.iter().map(|e| e.description.as_str()).collect();
        assert_eq!(order, ["alert fired", "rollback", "no time yet", "second untimed"]);
    }

    #[test]
    fn severity_outside_the_scale_is_refused() {
        assert!(Severity::new(0).is_none());
        assert!(Severity::new(5).is_none());
        assert_eq!(Severity::new(1).map(Severity::name).as_deref(), Some("SEV1"));
        assert!(serde_json::from_str::<Severity>("7").is_err());
        assert_eq!(Severity::all().count(), 4);
    }

    #[test]
    fn choices_round_trip_through_their_keys() {
        for status in Status::ALL {
            assert_eq!(Status::from_key(status.key()), Some(*status));
        }
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_key(kind.key()), Some(*kind));
        }
        assert_eq!(serde_json::to_string(&Status::InReview).ok().as_deref(), Some("\"in-review\""));
        assert_eq!(ActionType::from_key("nonsense"), None);
    }

    #[test]
    fn labels_are_trimmed_and_unique_ignoring_case() {
        let mut tags = Vec::new();
        assert!(add_label(&mut tags, " database "));
        assert!(!add_label(&mut tags, "Database"));
        assert!(!add_label(&mut tags, "   "));
        assert!(add_label(&mut tags, "dns"));
        assert_eq!(tags, ["database", "dns"]);
    }
}
