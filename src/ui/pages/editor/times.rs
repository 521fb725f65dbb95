//! The key times, the time zone they are entered in, and the durations computed from them;
//! and the time input the timeline shares, which asks (never guesses) when a typed time is
//! skipped or repeated by a clock change.

use crate::domain::time::{Clock, Moment, WallClock, Zone, format_local_time, offset_label, parse_local_time, resolve};
use crate::domain::{KeyTime, Postmortem, Span};
use crate::ui::clock::{BrowserZones, browser_clock, browser_zone, canonical, knows, zone_names};
use crate::ui::components::focus_when_drawn;
use leptos::prelude::*;

/// Which clocks the editor shows times on; a reader's choice, never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShownIn {
    /// The postmortem's own zone.
    #[default]
    Postmortem,
    /// The reader's zone.
    Mine,
    /// UTC.
    Utc,
}

impl ShownIn {
    pub(super) fn key(self) -> &'static str {
        match self {
            Self::Postmortem => "postmortem",
            Self::Mine => "mine",
            Self::Utc => "utc",
        }
    }

    pub(super) fn from_key(key: &str) -> Self {
        match key {
            "mine" => Self::Mine,
            "utc" => Self::Utc,
            _ => Self::Postmortem,
        }
    }
}

/// How the editor shows times: on which clocks, and on a 12- or 24-hour clock.
#[derive(Clone, Copy)]
pub struct TimeView {
    /// Which clocks times are shown and typed on.
    pub shown_in: RwSignal<ShownIn>,
    /// The reader's 12- or 24-hour habit.
    pub clock: Clock,
    /// The reader's zone.
    mine: StoredValue<Zone>,
}

impl TimeView {
    /// Provides the editor's time view.
    pub fn provide() -> Self {
        let view = Self {
            shown_in: RwSignal::new(ShownIn::Postmortem),
            clock: browser_clock(),
            mine: StoredValue::new(browser_zone()),
        };
        provide_context(view);
        view
    }

    /// The editor's time view.
    pub fn expect() -> Self {
        expect_context::<Self>()
    }

    /// The zone times are shown and entered in, for a postmortem in `own`.
    pub fn zone(self, own: &Zone) -> Zone {
        match self.shown_in.get() {
            ShownIn::Postmortem => own.clone(),
            ShownIn::Mine => self.mine.get_value(),
            ShownIn::Utc => Zone::UTC,
        }
    }
}

/// `moment` re-expressed on `zone`'s clocks (its offset there), for storing.
fn stored_in(zone: &Zone, moment: Moment) -> Moment {
    zone.show(&BrowserZones, moment)
}

/// A question about a typed time that a clock change makes unclear.
#[derive(Debug, Clone, PartialEq)]
struct Unclear {
    question: String,
    choices: Vec<(String, Moment)>,
}

fn unclear(typed: &str, zone: &Zone, answer: WallClock, clock: Clock) -> Option<Unclear> {
    let local = parse_local_time(typed)?;
    let when = clock.date_time(&local);
    let hour = |m: Moment| format!("{} ({})", clock.time(&m.local()), offset_label(m.offset()));
    match answer {
        WallClock::Twice { earlier, later } => Some(Unclear {
            question: format!(
                "{when} happened twice in {zone}: the clocks went back, so that time came round again. Which one?"
            ),
            choices: vec![
                (format!("The first, {}", hour(earlier)), earlier),
                (format!("The second, {}", hour(later)), later),
            ],
        }),
        WallClock::Skipped { before, after } => {
            // Each reading is the typed time on a clock still (or already) at the other's
            // offset: `before` was read at the offset before the change, which `after` shows.
            let typed = clock.time(&local);
            let read_at = |m: Moment, other: Moment| {
                format!("It was {}: {typed} on a clock at {}", hour(m), offset_label(other.offset()))
            };
            Some(Unclear {
                question: format!(
                    "{when} never showed on clocks in {zone}: they went forward over it. Which time was it?"
                ),
                choices: vec![(read_at(before, after), before), (read_at(after, before), after)],
            })
        }
        WallClock::One(_) | WallClock::UnknownZone => None,
    }
}

/// A wall-clock time input on `zone`'s clocks. A time the clocks skipped or showed twice
/// is asked about below the input, and stored only once answered.
#[component]
pub fn TimeInput(
    id: String,
    #[prop(into)] value: Signal<Option<Moment>>,
    /// The postmortem's zone, which stored times carry the offsets of.
    #[prop(into)]
    own: Signal<Zone>,
    on_set: Callback<Option<Moment>>,
    #[prop(optional, into)] described_by: Option<String>,
) -> impl IntoView {
    let view = TimeView::expect();
    let shown = Memo::new(move |_| view.zone(&own.get()));
    // The question, with the stored value and the clocks it was asked against: once either
    // changes (another tab, a merge, another zone shown), it no longer applies.
    let asked = RwSignal::new(None::<(Unclear, Option<Moment>, Zone)>);
    let question = Memo::new(move |_| {
        asked.get().and_then(|(q, was, zone)| (was == value.get() && zone == shown.get()).then_some(q))
    });
    let problem = RwSignal::new(None::<String>);
    // Not "{id}-…": a selector for every input by its prefix must not find these too.
    let question_id = format!("question-{id}");
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let shown_value =
        move || value.get().map(|m| format_local_time(&shown.get().show(&BrowserZones, m).local())).unwrap_or_default();
    let set = move |moment: Option<Moment>| {
        asked.set(None);
        problem.set(None);
        on_set.run(moment.map(|m| stored_in(&own.get_untracked(), m)));
    };
    // Puts the stored time back in the input and leaves the question.
    let cancel = move || {
        asked.set(None);
        problem.set(None);
        if let Some(input) = input_ref.get_untracked() {
            input.set_value(&shown_value());
            let _ = input.focus();
        }
    };
    let describedby = [Some(question_id.clone()), described_by].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let refocus = id.clone();
    let labelled_by = question_id.clone();
    view! {
        <input id=id.clone() type="datetime-local" node_ref=input_ref max="9999-12-31T23:59"
            aria-describedby=describedby
            aria-invalid=move || (question.with(Option::is_some) || problem.with(Option::is_some)).to_string()
            prop:value=shown_value
            on:keydown=move |ev| if ev.key() == "Escape" && question.with_untracked(Option::is_some) { ev.prevent_default(); cancel(); }
            on:change:target=move |ev| {
                let typed = ev.target().value();
                if typed.trim().is_empty() {
                    set(None);
                    return;
                }
                let Some(local) = parse_local_time(&typed) else {
                    asked.set(None);
                    problem.set(Some("Not saved: write the date and time in full, with a year from 0001 to 9999.".to_owned()));
                    return;
                };
                let zone = shown.get_untracked();
                match resolve(&BrowserZones, &zone, local) {
                    WallClock::One(m) => set(Some(m)),
                    WallClock::UnknownZone => problem.set(Some(format!(
                        "Not saved: this browser does not know the time zone “{zone}”. Choose another zone under Key times."
                    ))),
                    answer => {
                        problem.set(None);
                        asked.set(unclear(&typed, &zone, answer, view.clock).map(|q| (q, value.get_untracked(), zone)));
                    }
                }
            } />
        // One live line for a problem or a question (one element a row: timelines are long).
        <p id=question_id aria-live="polite"
            class=move || if problem.with(Option::is_some) { "field-error" } else { "field-warning" }>
            {move || problem.get().or_else(|| question.get().map(|q| q.question))}
        </p>
        {move || question.get().map(|q| {
            let refocus = refocus.clone();
            let labelled_by = labelled_by.clone();
            view! {
                <div class="time-question actions" role="group" aria-labelledby=labelled_by
                    on:keydown=move |ev| if ev.key() == "Escape" { ev.prevent_default(); cancel(); }>
                    {q.choices.into_iter().map(|(label, moment)| {
                        let refocus = refocus.clone();
                        view! {
                            <button type="button" class="secondary small" on:click=move |_| {
                                set(Some(moment));
                                focus_when_drawn(refocus.clone());
                            }>{label}</button>
                        }
                    }).collect_view()}
                    <button type="button" class="ghost small" on:click=move |_| cancel()>"Cancel"</button>
                </div>
            }
        })}
    }
}

/// The time zone picker: any zone the browser knows, UTC, or a fixed offset.
#[component]
fn ZonePicker(pm: RwSignal<Postmortem>) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    // The ~400 names are listed once the field is first used, not on every opening.
    let wanted = RwSignal::new(false);
    view! {
        <div class="field zone-field">
            <label for="pm-zone">"Time zone"</label>
            <input id="pm-zone" type="text" list="zone-names" autocomplete="off" spellcheck="false"
                aria-describedby="pm-zone-help pm-zone-note"
                aria-invalid=move || problem.with(Option::is_some).to_string()
                prop:value=move || pm.with(|p| p.key_times.time_zone.name())
                on:focus=move |_| if !wanted.get_untracked() { wanted.set(true) }
                on:change:target=move |ev| {
                    let typed = ev.target().value();
                    // The browser's own spelling of a name it knows ("europe/berlin" is Europe/Berlin).
                    let parsed = Zone::parse(&typed).map(|zone| match zone {
                        Zone::Named(name) => canonical(&name).and_then(|c| Zone::parse(&c).ok()).unwrap_or(Zone::Named(name)),
                        fixed => fixed,
                    });
                    match parsed {
                        Ok(Zone::Named(name)) if !knows(&name) => {
                            problem.set(Some(format!("Not changed: this browser does not know a time zone called “{name}”. Choose one from the list (type a city to search), or write a fixed offset such as UTC+05:30.")));
                            said.set(None);
                        }
                        Ok(zone) => {
                            problem.set(None);
                            let changed = pm.with_untracked(|p| p.key_times.time_zone != zone);
                            if changed {
                                let has_times = pm.with_untracked(|p| p.moments().next().is_some());
                                pm.update(|p| {
                                    p.key_times.time_zone = zone.clone();
                                    p.restate_times(&BrowserZones);
                                });
                                said.set(has_times.then(|| format!("Times now show on {zone} clocks. They are the same moments; if they were typed on the wrong clocks, correct them below.")));
                            }
                        }
                        Err(e) => {
                            problem.set(Some(format!("Not changed: {e}.")));
                            said.set(None);
                        }
                    }
                } />
            <datalist id="zone-names">
                <option value="UTC"></option>
                {move || wanted.get().then(|| zone_names().into_iter().map(|n| view! { <option value=n></option> }).collect_view())}
            </datalist>
            <p class="help" id="pm-zone-help">"A city's zone follows its clock changes. UTC, or a fixed offset such as UTC+05:30, never changes."</p>
            <p class="field-note" id="pm-zone-note" aria-live="polite">
                {move || problem.get().map(|p| view! { <span class="field-error">{p}</span> })}
                {move || said.get()}
            </p>
        </div>
    }
}

/// The "show times in" choice: the postmortem's zone, the reader's, or UTC.
#[component]
fn ShownInPicker(pm: RwSignal<Postmortem>) -> impl IntoView {
    let view = TimeView::expect();
    let mine = view.mine.get_value();
    let own = move || pm.with(|p| p.key_times.time_zone.clone());
    view! {
        <div class="field">
            <label for="pm-shown-in">"Show times in"</label>
            <select id="pm-shown-in" aria-describedby="pm-shown-in-help"
                prop:value=move || view.shown_in.get().key()
                on:change:target=move |ev| view.shown_in.set(ShownIn::from_key(&ev.target().value()))>
                <option value="postmortem">{move || format!("This postmortem's zone ({})", own())}</option>
                // The reader's zone and UTC are offered when they are other clocks.
                {move || (own() != mine).then(|| view! { <option value="mine">{format!("My zone ({mine})")}</option> })}
                {move || (own() != Zone::UTC).then(|| view! { <option value="utc">"UTC"</option> })}
            </select>
            <p class="help" id="pm-shown-in-help">"Only how times look here: what is stored stays the same. Times you type are read on the clocks shown."</p>
        </div>
    }
}

/// Key times and computed durations.
#[component]
pub fn KeyTimesSection(pm: RwSignal<Postmortem>) -> impl IntoView {
    let view = TimeView::expect();
    let durations = Memo::new(move |_| pm.with(|p| p.durations()));
    let own = Signal::derive(move || pm.with(|p| p.key_times.time_zone.clone()));
    let offsets_vary = Memo::new(move |_| pm.with(|p| p.offsets_vary()));
    view! {
        <section class="card" id="times" aria-labelledby="times-heading">
            <h2 id="times-heading">"Key times"</h2>
            <p class="help">"Enter times as they appeared on clocks in the postmortem's time zone. Durations are computed from the real moments, so a clock change in the middle of an incident is counted right."</p>
            <div class="grid-2">
                <ZonePicker pm=pm />
                <ShownInPicker pm=pm />
            </div>
            <div class="grid-4">
                {KeyTime::ALL.into_iter().map(|which| {
                    let id = format!("pm-time-{}", which.key());
                    let offset_id = format!("offset-{id}");
                    let value = Memo::new(move |_| pm.with(|p| p.key_times.get(which)));
                    view! {
                        <div class="field">
                            <label for=id.clone()>{which.label()}</label>
                            <TimeInput id=id value=value own=own described_by=offset_id.clone()
                                on_set=Callback::new(move |m| pm.update(|p| p.key_times.set(which, m))) />
                            <p class="help offset-note" id=offset_id>{move || {
                                let zone = view.zone(&own.get());
                                let shown_elsewhere = zone != own.get();
                                (offsets_vary.get() || shown_elsewhere).then(|| value.get().map(|m| offset_label(zone.show(&BrowserZones, m).offset()))).flatten()
                            }}</p>
                        </div>
                    }
                }).collect_view()}
            </div>
            <dl class="durations" aria-live="polite">
                {move || durations.get().labelled().into_iter().map(|(label, span)| {
                    let class = match span {
                        Span::Minutes(_) => "duration",
                        Span::Missing(_) => "duration missing",
                        Span::OutOfOrder { .. } => "duration problem",
                    };
                    view! { <div class=class><dt>{label}</dt><dd>{span.to_string()}</dd></div> }
                }).collect_view()}
            </dl>
        </section>
    }
}
