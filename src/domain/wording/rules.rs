//! The phrases the wording checker looks for, and the context rules that keep it quiet
//! where the wording is fine.

use super::tokens::{Tokens, Word};
use super::{Category, Context, FieldKind, Finding};
use crate::domain::names::NeedleKind;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Extra checks a phrase must pass before it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guard {
    Always,
    /// "should have" + a past participle, not + a noun ("should have a canary" is a requirement).
    PastAction,
    /// "would have" only in a sentence that says "if" or "had".
    Conditional,
    /// "failed to" + something a person does (not "the pod failed to start").
    PersonVerbNext,
    /// Not after a negation ("we do not blame anyone", "it was not obvious").
    NotNegated,
    /// A question's opening "who" (not "the team who owns it").
    WhoQuestion,
    /// "why did" + a person ("why did the cache expire" is fine).
    PersonNext,
    /// "just" that does not mean "a moment ago".
    NotTemporal,
    /// "clearly" as a judgement, not "clearly labelled".
    Judging,
    /// A whole short action item that says nothing specific.
    ShortItem,
    /// Only in action items.
    ActionOnly,
    /// "fault" after a possessive: "Sam's fault", "their fault".
    Possessive,
}

struct Rule {
    pattern: &'static str,
    category: Category,
    guard: Guard,
    suggestion: &'static str,
    replacement: Option<&'static str>,
}

const fn rule(pattern: &'static str, category: Category, guard: Guard, suggestion: &'static str) -> Rule {
    Rule { pattern, category, guard, suggestion, replacement: None }
}

const fn replace(
    pattern: &'static str,
    category: Category,
    guard: Guard,
    suggestion: &'static str,
    with: &'static str,
) -> Rule {
    Rule { pattern, category, guard, suggestion, replacement: Some(with) }
}

use Category::*;
use Guard::*;

const COUNTERFACTUAL_HAVE: &str = "Say what did happen and what made it reasonable then: “The alert was one of forty firing, so it did not stand out.” What would have had to be different for another choice to make sense?";

/// The phrase rules. `~` stands for up to two softening words ("should really have").
const RULES: &[Rule] = &[
    // Counterfactuals.
    rule("should|shouldnt ~ have", Counterfactual, PastAction, COUNTERFACTUAL_HAVE),
    rule("shouldve", Counterfactual, PastAction, COUNTERFACTUAL_HAVE),
    rule("ought to ~ have", Counterfactual, PastAction, COUNTERFACTUAL_HAVE),
    rule("could|couldnt ~ have", Counterfactual, PastAction, COUNTERFACTUAL_HAVE),
    rule("couldve", Counterfactual, PastAction, COUNTERFACTUAL_HAVE),
    rule("would|wouldnt ~ have", Counterfactual, Conditional, COUNTERFACTUAL_HAVE),
    rule("wouldve", Counterfactual, Conditional, COUNTERFACTUAL_HAVE),
    replace(
        "failed|fail|fails|failing to",
        Counterfactual,
        PersonVerbNext,
        "Say what was done instead, and ask what made the expected step hard or unlikely at that moment.",
        "did not",
    ),
    replace(
        "neglected|neglect|neglects|neglecting to",
        Counterfactual,
        Always,
        "Say what was done instead, and what competed for attention at the time.",
        "did not",
    ),
    replace(
        "did not ~ bother to",
        Counterfactual,
        Always,
        "Say what was done instead; ask what made the step seem unnecessary then.",
        "did not",
    ),
    replace(
        "didnt|never ~ bother|bothered to",
        Counterfactual,
        Always,
        "Say what was done instead; ask what made the step seem unnecessary then.",
        "did not",
    ),
    rule(
        "was|were supposed to",
        Counterfactual,
        PersonVerbNext,
        "Describe the expectation as part of the system (“the runbook expected a manual check”) and what happened in practice.",
    ),
    rule(
        "if only",
        Counterfactual,
        Always,
        "Describe what happened and which conditions shaped it, rather than a wished-for past.",
    ),
    // "Human error" and its cousins.
    rule(
        "human|operator|operators|pilot|personnel|staff error|errors|mistake|mistakes|failure|failures",
        HumanError,
        Always,
        "Name the conditions that made the action possible or likely: “the tool ran a destructive command without asking for confirmation”.",
    ),
    rule(
        "user|engineer|developer|admin|administrator|oncall error|mistake",
        HumanError,
        Always,
        "Name the conditions that made the action possible or likely: “the tool ran a destructive command without asking for confirmation”.",
    ),
    rule(
        "made|make|makes|making a|an ~ mistake|error",
        HumanError,
        Always,
        "Describe the action and what made it look right at the time.",
    ),
    rule("mistake|mistakes by", HumanError, Always, "Describe the action and what made it look right at the time."),
    rule(
        "fault of",
        HumanError,
        Always,
        "Ask which conditions in the system allowed the outcome, not whose fault it was.",
    ),
    rule(
        "at fault",
        HumanError,
        Always,
        "Ask which conditions in the system allowed the outcome, not who was at fault.",
    ),
    rule(
        "fault",
        HumanError,
        Possessive,
        "Ask which conditions in the system allowed the outcome, not whose fault it was.",
    ),
    rule(
        "blame|blamed|blames|blaming",
        HumanError,
        NotNegated,
        "Replace blame with a description: what happened, and what made it likely.",
    ),
    rule(
        "lapse|lapses in|of",
        HumanError,
        Always,
        "Describe what competed for attention, and how the system could make the step harder to miss.",
    ),
    // Judgemental and heated words.
    rule(
        "careless|carelessly|carelessness|sloppy|sloppily|sloppiness|lazy|lazily|laziness|reckless|recklessly|recklessness",
        Judgemental,
        Always,
        "Describe the action itself (“the change skipped the staging step”) and ask what made that the usual way.",
    ),
    rule(
        "incompetent|incompetence|negligent|negligently|negligence|irresponsible|irresponsibly|unprofessional|amateurish|clueless",
        Judgemental,
        Always,
        "Describe the action itself and the knowledge or support that was missing at the time.",
    ),
    rule(
        "ridiculous|ridiculously|inexcusable|inexcusably|unacceptable|unforgivable|stupid|stupidity|dumb|idiotic|idiot|idiots|foolish|boneheaded|moronic",
        Judgemental,
        Always,
        "Use neutral words for what happened; strong feelings about the outcome are worth discussing in the review, not in the record.",
    ),
    rule(
        "botched|blunder|blunders|blundered",
        Judgemental,
        Always,
        "Describe what was done and what happened next, without a verdict.",
    ),
    rule(
        "screwed|screw|screws|messed|mess|messes up",
        Judgemental,
        Always,
        "Describe what was done and what happened next, without a verdict.",
    ),
    rule(
        "completely|totally|blatantly|simply|just ignored|ignoring|disregarded",
        Judgemental,
        Always,
        "Say what was seen and what else demanded attention: “the warning appeared among 200 routine messages”.",
    ),
    rule("no excuse", Judgemental, Always, "Drop the verdict; describe what happened and why it made sense then."),
    rule(
        "any ~ reasonable|competent|decent|good engineer|engineers|person|operator|responder|developer",
        Judgemental,
        Always,
        "Compare with what people in that role actually knew and saw, not with an imagined ideal.",
    ),
    // Questions that look for a culprit.
    rule(
        "who",
        BlamingQuestion,
        WhoQuestion,
        "Ask what happened and how the change reached production: “How did this change get to production without a review?”",
    ),
    rule(
        "whose fault|idea|decision|change",
        BlamingQuestion,
        Always,
        "Ask what happened and what made it possible, not whose it was.",
    ),
    rule(
        "why ~ did|didnt|would|wouldnt|do|dont|does|doesnt|were|werent|was|wasnt|have|havent|hadnt",
        BlamingQuestion,
        PersonNext,
        "Ask for context instead of a justification: “What did you see at that point, and what did it tell you?”",
    ),
    rule(
        "how could",
        BlamingQuestion,
        PersonNext,
        "Ask what people knew and saw at the time: “What did the dashboard show you then?”",
    ),
    rule(
        "what were you|they thinking",
        BlamingQuestion,
        Always,
        "Ask what people knew and saw at the time: “What did the dashboard show you then?”",
    ),
    // Hindsight.
    replace(
        "obviously|evidently",
        Hindsight,
        Always,
        "Remove it: it was not obvious before the outcome was known.",
        "",
    ),
    rule(
        "obvious",
        Hindsight,
        NotNegated,
        "Say what information was available at the time, and how much else was competing for attention.",
    ),
    replace("clearly", Hindsight, Judging, "Remove it, or say what made it clear and to whom, at that moment.", ""),
    replace("of course", Hindsight, Always, "Remove it: what seems self-evident now was not at the time.", ""),
    replace("simply", Hindsight, Always, "Remove it: the step may not have been simple from where they stood.", ""),
    replace("just", Hindsight, NotTemporal, "Remove it: “just” makes the step sound trivial with hindsight.", ""),
    rule(
        "easily ~ avoided|prevented|caught|spotted|avoidable|preventable",
        Hindsight,
        Always,
        "Say what would have been needed to catch it at the time, and whether it was there.",
    ),
    rule(
        "entirely|completely|totally avoidable|preventable",
        Hindsight,
        Always,
        "Say what would have been needed to catch it at the time, and whether it was there.",
    ),
    // Vague action items.
    rule(
        "be ~ careful|vigilant|aware|attentive",
        VagueAction,
        ActionOnly,
        "Change the system instead of asking people to try harder: “require a second approval for pool size changes”.",
    ),
    rule(
        "more careful|carefully",
        VagueAction,
        ActionOnly,
        "Change the system instead of asking people to try harder.",
    ),
    rule(
        "pay ~ more|closer attention",
        VagueAction,
        ActionOnly,
        "Change the system instead of asking people to try harder: make the signal louder or the step automatic.",
    ),
    rule(
        "pay attention",
        VagueAction,
        ActionOnly,
        "Change the system instead of asking people to try harder: make the signal louder or the step automatic.",
    ),
    rule("try harder", VagueAction, ActionOnly, "Change the system instead of asking people to try harder."),
    rule(
        "raise awareness",
        VagueAction,
        ActionOnly,
        "Say what will change and where: a check, a guard rail, a default.",
    ),
    rule(
        "make sure people|everyone|engineers|staff|developers|responders|folks|teams|we",
        VagueAction,
        ActionOnly,
        "Make it automatic or checked instead of relying on reminders: which tool, check or default will change?",
    ),
    rule(
        "ensure|remind people|everyone|engineers|staff|developers|responders|folks|teams",
        VagueAction,
        ActionOnly,
        "Make it automatic or checked instead of relying on reminders: which tool, check or default will change?",
    ),
    rule(
        "communicate better",
        VagueAction,
        ActionOnly,
        "Say which channel, template or trigger will change, and how you will know it worked.",
    ),
    rule(
        "better|improve|improved|enhance|review|revisit|fix|update|strengthen|improving",
        VagueAction,
        ShortItem,
        "Say what exactly changes, where, and how you will know it worked: “alert when checkout error rate exceeds 1% for 5 minutes”.",
    ),
    rule(
        "investigate|investigating|look",
        VagueAction,
        ShortItem,
        "Give the investigation a question and a scope: “find out why the pool limit was not checked in CI, by Friday”.",
    ),
    rule(
        "more monitoring|alerting|alerts|tests|testing|logging|logs|dashboards|documentation|training|oversight",
        VagueAction,
        ShortItem,
        "Say which signal, test or document, for what, and how you will know it worked.",
    ),
];

/// Words that may sit inside a phrase without breaking it: "should really have".
const SOFTENERS: &[&str] = &[
    "really",
    "simply",
    "just",
    "easily",
    "obviously",
    "clearly",
    "definitely",
    "probably",
    "certainly",
    "reasonably",
    "also",
    "not",
    "never",
    "at",
    "least",
    "actually",
    "surely",
    "all",
    "very",
    "much",
    "more",
    "have",
    "even",
    "you",
    "they",
    "he",
    "she",
    "we",
    "i",
    "it",
    "someone",
    "somebody",
    "anyone",
    "the",
    "team",
    "engineer",
    "operator",
];

/// Words after "should have" that make it a possession or requirement, not a counterfactual.
const POSSESSION: &[&str] = &[
    "a",
    "an",
    "the",
    "its",
    "their",
    "our",
    "his",
    "her",
    "some",
    "no",
    "more",
    "fewer",
    "less",
    "enough",
    "at",
    "one",
    "two",
    "three",
    "several",
    "many",
    "any",
    "each",
    "every",
    "access",
    "alerts",
    "alerting",
    "monitoring",
    "tests",
    "retries",
    "limits",
    "owners",
    "permission",
    "permissions",
    "been",
];

/// Words after "failed to" that name something a person does.
const PERSON_VERBS: &[&str] = &[
    "notice",
    "check",
    "follow",
    "see",
    "read",
    "escalate",
    "communicate",
    "test",
    "verify",
    "review",
    "monitor",
    "act",
    "consider",
    "realise",
    "realize",
    "recognise",
    "recognize",
    "catch",
    "pay",
    "ensure",
    "inform",
    "notify",
    "report",
    "update",
    "page",
    "ask",
    "acknowledge",
    "ack",
    "look",
    "understand",
    "anticipate",
    "spot",
    "double",
    "confirm",
    "validate",
    "document",
    "mention",
    "tell",
    "coordinate",
    "respond",
    "react",
    "investigate",
    "remember",
    "roll",
    "revert",
    "wait",
    "plan",
    "prepare",
    "call",
    "alert",
    "warn",
    "approve",
    "question",
    "push",
    "stop",
    "think",
];

/// Words after "why did" / "how could" that make the question about a person.
const PEOPLE: &[&str] = &[
    "you", "they", "he", "she", "we", "anyone", "anybody", "nobody", "someone", "somebody", "u", "people", "everyone",
    "no", "i",
];

/// Words that mark "just" as temporal when they follow it.
const TIME_WORDS: &[&str] = &[
    "before",
    "after",
    "as",
    "when",
    "now",
    "then",
    "about",
    "under",
    "over",
    "in",
    "seconds",
    "minutes",
    "moments",
    "hours",
    "fired",
    "started",
    "finished",
    "completed",
    "deployed",
    "released",
    "landed",
    "arrived",
    "come",
    "gone",
    "begun",
    "recovered",
    "been",
    "returned",
    "rolled",
    "restarted",
    "received",
    "gotten",
    "got",
    "joined",
    "paged",
    "opened",
    "closed",
    "ended",
    "switched",
];

/// Words before "just" that mark it as temporal: "had just", "was just".
const TIME_AUXILIARIES: &[&str] =
    &["had", "has", "have", "hadnt", "id", "wed", "theyd", "hed", "shed", "was", "were", "is", "are"];

/// Words after "clearly" that make it a judgement about people or events.
const JUDGED: &[&str] = &[
    "should",
    "shouldnt",
    "did",
    "didnt",
    "was",
    "wasnt",
    "were",
    "werent",
    "is",
    "isnt",
    "had",
    "hadnt",
    "missed",
    "ignored",
    "failed",
    "forgot",
    "overlooked",
    "not",
    "a",
    "an",
    "this",
    "that",
    "it",
    "they",
    "he",
    "she",
    "we",
    "you",
    "nobody",
    "no",
    "someone",
    "there",
    "wrong",
    "broke",
    "caused",
    "needed",
    "knew",
    "saw",
    "could",
    "couldnt",
    "in",
    "the",
    "at",
    "due",
    "because",
];

/// Negations that turn "obvious" or "blame" into the opposite claim.
const NEGATIONS: &[&str] = &[
    "not", "no", "dont", "doesnt", "didnt", "never", "without", "wasnt", "isnt", "werent", "hardly", "nothing", "far",
    "avoid", "nor",
];

/// Words that may open a question before "who": "so who", "and who".
const OPENERS: &[&str] = &["so", "and", "but", "then", "ok", "okay", "well", "now"];

/// Verbs after an opening "who" that make it a hunt for a culprit even without "?".
const CULPRIT_VERBS: &[&str] = &[
    "did", "broke", "pushed", "approved", "merged", "deployed", "caused", "forgot", "missed", "made", "changed", "ran",
    "wrote", "is", "was", "were", "decided", "let", "allowed", "touched", "signed", "dropped", "deleted", "started",
];

struct Compiled {
    slots: Vec<Slot>,
    rule: &'static Rule,
}

#[derive(Clone)]
enum Slot {
    Words(Vec<&'static str>),
    Soft,
}

/// The rules, indexed by the words a match can start with.
fn compiled() -> &'static HashMap<&'static str, Vec<Compiled>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<Compiled>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, Vec<Compiled>> = HashMap::new();
        for rule in RULES {
            let slots: Vec<Slot> = rule
                .pattern
                .split(' ')
                .map(|s| if s == "~" { Slot::Soft } else { Slot::Words(s.split('|').collect()) })
                .collect();
            if let Some(Slot::Words(first)) = slots.first() {
                for word in first {
                    table.entry(word).or_default().push(Compiled { slots: slots.clone(), rule });
                }
            }
        }
        table
    })
}

/// Where `slots` match starting at word `k` of `sentence`: the index after the last matched word.
fn match_at(words: &[Word], k: usize, slots: &[Slot], sentence: usize) -> Option<usize> {
    let usable = |k: usize| words.get(k).filter(|w| w.sentence == sentence && !w.quoted);
    match slots.split_first() {
        None => Some(k),
        Some((Slot::Words(options), rest)) => {
            let word = usable(k)?;
            if options.contains(&word.norm.as_str()) { match_at(words, k + 1, rest, sentence) } else { None }
        }
        Some((Slot::Soft, rest)) => (0..=2).find_map(|skip| {
            let softened = (0..skip).all(|n| usable(k + n).is_some_and(|w| SOFTENERS.contains(&w.norm.as_str())));
            if softened { match_at(words, k + skip, rest, sentence) } else { None }
        }),
    }
}

fn norm_at(words: &[Word], k: usize, sentence: usize) -> Option<&str> {
    words.get(k).filter(|w| w.sentence == sentence).map(|w| w.norm.as_str())
}

fn first_in_sentence(words: &[Word], i: usize) -> usize {
    let mut k = i;
    while k > 0 && words[k - 1].sentence == words[i].sentence {
        k -= 1;
    }
    k
}

fn guard_passes(guard: Guard, text: &str, tokens: &Tokens, i: usize, end: usize, context: &Context<'_>) -> bool {
    let words = &tokens.words;
    let sentence = words[i].sentence;
    let next = norm_at(words, end, sentence);
    let prev = |back: usize| i.checked_sub(back).and_then(|k| norm_at(words, k, sentence));
    match guard {
        Always => true,
        PastAction => match next {
            None => true,
            Some(w) => !POSSESSION.contains(&w) || (w == "been" && !been_is_luck(words, end, sentence)),
        },
        Conditional => words.iter().filter(|w| w.sentence == sentence).any(|w| {
            (w.norm == "if" || w.norm == "had") && (w.start < words[i].start || w.start >= words[end - 1].end)
        }),
        PersonVerbNext => next.is_some_and(|w| PERSON_VERBS.contains(&w)),
        NotNegated => !(1..=5).any(|b| prev(b).is_some_and(|w| NEGATIONS.contains(&w))),
        WhoQuestion => {
            let start = first_in_sentence(words, i);
            let opening = (start..i).all(|k| OPENERS.contains(&words[k].norm.as_str()));
            let question = tokens.questions.get(sentence).copied().unwrap_or(false);
            opening && (question || next.is_some_and(|w| CULPRIT_VERBS.contains(&w)))
        }
        PersonNext => {
            let person = |w: &str| PEOPLE.contains(&w) || is_participant_word(w, context);
            let role = |w: &str| {
                ["oncall", "on", "engineer", "operator", "responder", "developer", "sre", "team", "commander"]
                    .contains(&w)
            };
            next.is_some_and(person) || (next == Some("the") && norm_at(words, end + 1, sentence).is_some_and(role))
        }
        NotTemporal => {
            let progressive = next.is_some_and(|w| w.ends_with("ing") || w.ends_with("ed"));
            let temporal_before = prev(1).is_some_and(|w| {
                TIME_AUXILIARIES.contains(&w) && (!["was", "were", "is", "are"].contains(&w) || progressive)
            });
            let temporal_after = next.is_some_and(|w| TIME_WORDS.contains(&w));
            let quantity = next.is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
            !(temporal_before || temporal_after || quantity)
        }
        Judging => {
            let participle = next.is_some_and(|w| {
                w.ends_with("ed") || w.ends_with("en") || ["visible", "written", "shown"].contains(&w)
            });
            let manner = prev(1).is_some_and(|w| {
                ["more", "very", "communicate", "explain", "write", "state", "label", "see", "speak", "think"]
                    .contains(&w)
            });
            let described = manner
                || (participle
                    && prev(1)
                        .is_some_and(|w| ["be", "is", "are", "was", "were", "been", "being", "not"].contains(&w)));
            let opening = first_in_sentence(words, i) == i;
            !described && (opening || next.is_some_and(|w| JUDGED.contains(&w)))
        }
        ShortItem => {
            context.field == FieldKind::ActionItem
                && words.len() <= 5
                && words.iter().position(|w| !w.quoted) == Some(i)
                || context.field == FieldKind::ActionItem && words.len() <= 5 && i == 1 && words[0].norm == "add"
        }
        ActionOnly => context.field == FieldKind::ActionItem,
        Possessive => {
            let pronoun = prev(1)
                .is_some_and(|w| ["his", "her", "their", "your", "my", "our", "someones", "somebodys"].contains(&w));
            let owner = i > 0
                && words[i - 1].sentence == sentence
                && text[words[i - 1].start..words[i - 1].end].contains(['\'', '’']);
            pronoun || owner
        }
    }
}

/// "could have been worse" notes luck, not blame.
fn been_is_luck(words: &[Word], been: usize, sentence: usize) -> bool {
    (1..=3).any(|n| norm_at(words, been + n, sentence).is_some_and(|w| w == "worse" || w == "better"))
}

fn is_participant_word(word: &str, context: &Context<'_>) -> bool {
    context.participants.iter().any(|p| p.name.split_whitespace().any(|part| part.to_lowercase() == word))
}

/// Findings from the phrase rules.
pub(super) fn phrase_findings(text: &str, tokens: &Tokens, context: &Context<'_>) -> Vec<Finding> {
    let table = compiled();
    let words = &tokens.words;
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if word.quoted {
            continue;
        }
        let Some(candidates) = table.get(word.norm.as_str()) else { continue };
        for candidate in candidates {
            let Some(end) = match_at(words, i, &candidate.slots, word.sentence) else { continue };
            if !guard_passes(candidate.rule.guard, text, tokens, i, end, context) {
                continue;
            }
            let (start, stop) = (word.start, words[end - 1].end);
            out.push(Finding {
                start,
                end: stop,
                category: candidate.rule.category,
                phrase: text[start..stop].to_owned(),
                suggestion: candidate.rule.suggestion.to_owned(),
                replacement: candidate.rule.replacement.map(str::to_owned),
            });
            break;
        }
    }
    out
}

/// Names that are also everyday words: matched only as part of a full name.
const COMMON_WORD_NAMES: &[&str] = &[
    "will", "may", "june", "april", "august", "mark", "bill", "pat", "sue", "grace", "hope", "faith", "joy", "rose",
    "dawn", "art", "chase", "frank", "gene", "guy", "jack", "max", "rob", "ray", "sky", "summer", "don", "ash", "bay",
    "page", "case", "lee", "young", "long", "king", "price", "cook", "hunt", "lane", "hill", "wood", "stone", "white",
    "black", "green", "brown", "gray", "grey", "day", "bell", "oncall", "on", "call",
];

/// Findings for people named in the text: participants (by name, alias or a username made
/// from the name), @handles, email addresses.
pub(super) fn people_findings(text: &str, tokens: &Tokens, context: &Context<'_>) -> Vec<Finding> {
    let words = &tokens.words;
    let mut out = Vec::new();
    let suggestion =
        "Refer to people by the role they played (“the incident commander”), so the story stays about the system.";
    for participant in context.participants {
        let (name, role) = (&participant.name, &participant.role);
        let parts: Vec<String> = name.split_whitespace().map(|p| p.to_lowercase().replace(['\'', '’'], "")).collect();
        if parts.is_empty() {
            continue;
        }
        let replacement = (!role.trim().is_empty()).then(|| format!("the {}", role.trim().to_lowercase()));
        for i in 0..words.len() {
            if words[i].quoted {
                continue;
            }
            // "Sam's" matches "Sam" (and is rewritten as "the responder's").
            let written = |k: usize| &text[words[k].start..words[k].end];
            let is_part = |k: usize, part: &str| {
                words[k].norm == part
                    || (words[k].norm.strip_suffix('s') == Some(part) && written(k).contains(['\'', '’']))
            };
            let full = parts.len() > 1
                && (0..parts.len()).all(|n| {
                    words.get(i + n).is_some_and(|w| w.sentence == words[i].sentence)
                        && if n + 1 == parts.len() { is_part(i + n, &parts[n]) } else { words[i + n].norm == parts[n] }
                });
            let span_end = if full {
                i + parts.len()
            } else if words[i].capitalized
                && parts
                    .iter()
                    .any(|p| is_part(i, p) && p.chars().count() > 1 && !COMMON_WORD_NAMES.contains(&p.as_str()))
            {
                i + 1
            } else {
                continue;
            };
            let last = span_end - 1;
            let possessive = !parts.iter().any(|p| words[last].norm == *p);
            let (start, end) = (words[i].start, words[last].end);
            out.push(Finding {
                start,
                end,
                category: Category::NamedIndividual,
                phrase: text[start..end].to_owned(),
                suggestion: suggestion.to_owned(),
                replacement: replacement.as_ref().map(|r| if possessive { format!("{r}'s") } else { r.clone() }),
            });
        }
    }
    // Aliases, usernames made from names and addresses naming someone, in any case. An
    // address is named whole: its pieces are not findings of their own.
    let needles = crate::domain::names::needles_for(context.participants);
    let quoted = |pos: usize| tokens.words.iter().any(|w| w.quoted && w.start <= pos && pos < w.end);
    let overlaps = |a: &Finding, start: usize, end: usize| a.start < end && start < a.end;
    let role_of =
        |who: usize| context.participants.get(who).filter(|p| !p.role.trim().is_empty()).map(|p| p.role_phrase());
    let named = |m: &crate::domain::names::Mention| Finding {
        start: m.start,
        end: m.end,
        category: Category::NamedIndividual,
        phrase: text[m.start..m.end].to_owned(),
        suggestion: suggestion.to_owned(),
        replacement: role_of(m.who),
    };
    let found = crate::domain::names::mentions(text, &needles);
    let mut addresses: Vec<Finding> = found.iter().filter(|m| m.address && !quoted(m.start)).map(named).collect();
    for f in handles_and_emails(text, tokens, suggestion) {
        if !addresses.iter().any(|a| overlaps(a, f.start, f.end)) {
            addresses.push(f);
        }
    }
    out.retain(|f| !addresses.iter().any(|a| overlaps(a, f.start, f.end)));
    for m in found.iter().filter(|m| !m.address) {
        let kind = needles.get(m.needle).map(|n| n.kind);
        let phrase = text[m.start..m.end].to_lowercase();
        // A lowercase name is a username too ("ana restarted it"), unless it is also a word.
        let sure = matches!(kind, Some(NeedleKind::Alias | NeedleKind::Username))
            || !COMMON_WORD_NAMES.contains(&phrase.as_str());
        if !sure || quoted(m.start) || out.iter().chain(&addresses).any(|f| overlaps(f, m.start, m.end)) {
            continue;
        }
        out.push(named(m));
    }
    out.extend(addresses);
    out.sort_by_key(|f| f.start);
    out
}

fn handles_and_emails(text: &str, tokens: &Tokens, suggestion: &str) -> Vec<Finding> {
    let quoted_at =
        |pos: usize| tokens.words.iter().any(|w| w.quoted && w.start <= pos && pos < w.end.max(w.start + 1));
    let mut out = Vec::new();
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '+');
    for (at, _) in text.match_indices('@') {
        let before = text[..at].chars().rev().take_while(|&c| is_part(c)).map(char::len_utf8).sum::<usize>();
        let after_text = &text[at + 1..];
        let after = after_text.chars().take_while(|&c| is_part(c)).map(char::len_utf8).sum::<usize>();
        let (mut start, mut end) = (at - before, at + 1 + after);
        // Trailing full stops belong to the sentence, not the address.
        while end > at + 1 && text[..end].ends_with('.') {
            end -= 1;
        }
        if end <= at + 1 {
            continue;
        }
        let local = &text[start..at];
        let domain = &text[at + 1..end];
        let is_email = !local.is_empty() && domain.contains('.') && !domain.starts_with('.');
        let is_handle = local.is_empty() && domain.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !(is_email || is_handle) || quoted_at(at + 1) {
            continue;
        }
        if is_handle {
            start = at;
        }
        out.push(Finding {
            start,
            end,
            category: Category::NamedIndividual,
            phrase: text[start..end].to_owned(),
            suggestion: suggestion.to_owned(),
            replacement: None,
        });
    }
    out
}
