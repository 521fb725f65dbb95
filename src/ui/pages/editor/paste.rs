//! Pasting a timeline: text from a chat export, a log, a spreadsheet (CSV or TSV) or a
//! Markdown table, shown as the events Debrief understood, the lines it could not read and
//! why, and what it assumed; the author adjusts and adds them all at once, with undo. The
//! reading and placing rules live in `domain::timeline_paste`.

use super::times::{ShownIn, TimeView};
use crate::domain::time::{Clock, offset_label};
use crate::domain::timeline_paste::{self, Added, LineNote, PasteError, Placed, PlacedEvent, Read};
use crate::domain::{EventKind, Moment, Postmortem, Zone};
use crate::ui::browser::{picked_files, read_text};
use crate::ui::clock::{BrowserZones, browser_zone};
use crate::ui::components::{FilePicker, Notice, NoticeKind, NoticeSlot, focus_when_drawn};
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::{HashMap, HashSet};

/// The most preview rows drawn; the rest are added all the same.
const PREVIEW_ROWS: usize = 200;

/// The largest file read for a paste, in bytes.
const MAX_FILE_BYTES: f64 = 8_000_000.0;

/// The button that opens the paste panel, for the timeline's row of buttons.
#[component]
pub fn PasteButton(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <button type="button" class="secondary" id="paste-timeline" aria-expanded=move || open.get().to_string()
            aria-controls="paste-panel"
            on:click=move |_| {
                let now = !open.get_untracked();
                open.set(now);
                if now { focus_when_drawn("paste-text".to_owned()); }
            }>"Paste a timeline…"</button>
    }
}

/// The day undated times take unless the author picks another: the day impact started, or
/// the first event's, or today, on `zone`'s clocks.
fn default_day(pm: &Postmortem, zone: &Zone) -> NaiveDate {
    let first = pm.key_times.impact_started.or_else(|| pm.timeline.iter().find_map(|e| e.at));
    let moment = first.unwrap_or_else(|| Moment::utc(Utc::now().naive_utc()));
    zone.show(&BrowserZones, moment).local().date()
}

/// The paste panel and, once events are added, the note that can take them back.
#[component]
pub fn PastePanel(pm: RwSignal<Postmortem>, open: RwSignal<bool>) -> impl IntoView {
    let time_view = TimeView::expect();
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let added = RwSignal::new(None::<(Added, String)>);
    // Which clocks undated, unmarked times are read on: the editor's choice to begin with.
    let clocks = RwSignal::new(time_view.shown_in.get_untracked());
    let own = Memo::new(move |_| pm.with(|p| p.key_times.time_zone.clone()));
    let mine = browser_zone();
    let zone = Memo::new(move |_| match clocks.get() {
        ShownIn::Postmortem => own.get(),
        ShownIn::Mine => mine.clone(),
        ShownIn::Utc => Zone::UTC,
    });
    let picked_day = RwSignal::new(None::<NaiveDate>);
    let day =
        Memo::new(move |_| picked_day.get().unwrap_or_else(|| pm.with_untracked(|p| default_day(p, &zone.get()))));
    // The author's adjustments, by line: events left out, and kinds changed.
    let left_out = RwSignal::new(HashSet::<usize>::new());
    let kinds = RwSignal::new(HashMap::<usize, EventKind>::new());
    let read = Memo::new(move |_| text.with(|t| timeline_paste::read(t)));
    let placed = Memo::new(move |_| {
        read.with(|r| r.as_ref().ok().map(|r| timeline_paste::place(r, &zone.get(), &BrowserZones, day.get())))
    });
    // The events to add, worked out once per change: the summary, the limit check and the
    // button all read them.
    let chosen = Memo::new(move |_| -> Vec<PlacedEvent> {
        let (out, kinds) = (left_out.get(), kinds.get());
        placed.with(|p| {
            p.iter()
                .flat_map(|p| &p.events)
                .filter(|e| !out.contains(&e.line))
                .map(|e| PlacedEvent { kind: kinds.get(&e.line).copied().unwrap_or(e.kind), ..e.clone() })
                .collect()
        })
    });
    let new_speakers = Memo::new(move |_| {
        let out = left_out.get();
        placed.with(|p| {
            let mut names: Vec<String> = Vec::new();
            for e in p.iter().flat_map(|p| &p.events).filter(|e| !out.contains(&e.line)) {
                if let Some(s) = &e.speaker
                    && !names.iter().any(|n| n.eq_ignore_ascii_case(s))
                    && !pm.with_untracked(|pm| timeline_paste::is_participant(&pm.participants, s))
                {
                    names.push(s.clone());
                }
            }
            names
        })
    });
    let room = move || pm.with(timeline_paste::room);
    let too_many = move || chosen.with(Vec::len) > room();
    let add = move || {
        let events = chosen.get_untracked();
        if events.is_empty() || too_many() {
            return;
        }
        // Stored with the offsets of the postmortem's own zone, as typed times are.
        let own = own.get_untracked();
        let events: Vec<PlacedEvent> =
            events.into_iter().map(|e| PlacedEvent { at: own.show(&BrowserZones, e.at), ..e }).collect();
        let mut done = Added::default();
        pm.update(|p| done = timeline_paste::add(p, &events));
        let speakers = new_speakers.get_untracked();
        let mut said = format!("Added {} from the paste", count(done.events.len(), "event", "events"));
        if !speakers.is_empty() {
            said.push_str(&format!(
                ", and {} to People: {}",
                count(speakers.len(), "participant", "participants"),
                speakers.join(", ")
            ));
        }
        said.push('.');
        let first = done.events.first().copied();
        added.set(Some((done, said)));
        text.set(String::new());
        left_out.set(HashSet::new());
        kinds.set(HashMap::new());
        open.set(false);
        if let Some(first) = first {
            focus_when_drawn(format!("event-text-{first}"));
        }
    };
    let undo = move || {
        if let Some((done, _)) = added.get_untracked() {
            pm.update(|p| timeline_paste::undo(p, &done));
            added.set(None);
            focus_when_drawn("paste-timeline".to_owned());
        }
    };
    let open_file = move |ev: web_sys::Event| {
        let Some(file) = picked_files(&ev).into_iter().next() else { return };
        if file.size() > MAX_FILE_BYTES {
            problem.set(Some(format!(
                "“{}” is too big to read as a timeline (more than 8 MB). Copy the incident's part of it and paste that.",
                file.name()
            )));
            return;
        }
        spawn_local(async move {
            match read_text(&file).await {
                Ok(t) => {
                    problem.set(None);
                    left_out.set(HashSet::new());
                    kinds.set(HashMap::new());
                    text.set(t);
                }
                Err(e) => problem.set(Some(format!(
                    "“{}” could not be read: {e}. Save it as UTF-8 text and try again.",
                    file.name()
                ))),
            }
        });
    };
    let clock = time_view.clock;
    view! {
        <Show when=move || open.get()>
            <section class="paste-panel" id="paste-panel" aria-labelledby="paste-heading"
                on:keydown=move |ev| if ev.key() == "Escape" { ev.prevent_default(); open.set(false); focus_when_drawn("paste-timeline".to_owned()); }>
                <h3 id="paste-heading">"Paste a timeline"</h3>
                <p class="help" id="paste-help">"Paste lines from a chat export or a log (each starting with a time, such as “14:02 Ana: paged the database team”), rows from a spreadsheet as CSV or TSV with a header row (time, text, and if you have them kind, link, speaker), or a Markdown table. Nothing is added until you choose Add."</p>
                <label for="paste-text">"Timeline text"</label>
                <textarea id="paste-text" class="paste-text" rows="8" spellcheck="false" aria-describedby="paste-help paste-summary"
                    prop:value=text
                    on:input:target=move |ev| {
                        left_out.set(HashSet::new());
                        kinds.set(HashMap::new());
                        text.set(ev.target().value());
                    }></textarea>
                <div class="actions">
                    <FilePicker input_id="paste-file" label="Or open a file…" accept=".txt,.log,.csv,.tsv,.md,.markdown,text/plain,text/csv" on_change=Callback::new(open_file) />
                </div>
                {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
                <div class="grid-2 paste-settings">
                    <div class="field">
                        <label for="paste-clocks">"Times without an offset are on"</label>
                        <select id="paste-clocks" on:change:target=move |ev| clocks.set(ShownIn::from_key(&ev.target().value()))
                            prop:value=move || clocks.get().key()>
                            <option value="postmortem">{move || format!("{} clocks (this postmortem)", own.get())}</option>
                            {(browser_zone() != own.get_untracked()).then(|| view! { <option value="mine">{format!("{} clocks (yours)", browser_zone())}</option> })}
                            <option value="utc">"UTC"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="paste-day">"Times without a date are on"</label>
                        <input id="paste-day" type="date" prop:value=move || day.get().format("%Y-%m-%d").to_string()
                            on:change:target=move |ev| picked_day.set(NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d").ok()) />
                    </div>
                </div>
                <p id="paste-summary" class="paste-summary" aria-live="polite">
                    {move || summary(&read.get(), placed.get().as_ref(), zone.get(), day.get(), chosen.with(Vec::len))}
                </p>
                {move || too_many().then(|| view! {
                    <p class="field-error" role="alert">{format!("Only {} more events fit in this timeline (a timeline holds at most {}). Untick some, or split the paste.", room(), crate::domain::limits::MAX_EVENTS)}</p>
                })}
                {move || {
                    let speakers = new_speakers.get();
                    (!speakers.is_empty()).then(|| view! {
                        <p class="paste-speakers">{format!("Speakers go to People, not into the text, so the wording assistant and redaction know their names. New participants: {}.", speakers.join(", "))}</p>
                    })
                }}
                <Preview placed=placed zone=zone clock=clock left_out=left_out kinds=kinds />
                <Unread read=read placed=placed />
                <div class="actions">
                    <button type="button" class="primary" id="paste-add" on:click=move |_| add()
                        disabled=move || chosen.with(Vec::is_empty) || too_many()>
                        {move || match chosen.with(Vec::len) { 0 => "Add events".to_owned(), n => format!("Add {}", count(n, "event", "events")) }}
                    </button>
                    <button type="button" class="ghost" on:click=move |_| { open.set(false); focus_when_drawn("paste-timeline".to_owned()); }>"Cancel"</button>
                </div>
            </section>
        </Show>
        <NoticeSlot kind=NoticeKind::Info>
            {move || added.get().map(|(_, said)| view! {
                <Notice kind=NoticeKind::Info message=said in_slot=true>
                    <button type="button" class="secondary" id="paste-undo" on:click=move |_| undo()>"Undo"</button>
                    <button type="button" class="ghost" on:click=move |_| added.set(None)>"Dismiss"</button>
                </Notice>
            })}
        </NoticeSlot>
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// One sentence on what was read and assumed.
fn summary(
    read: &Result<Read, PasteError>,
    placed: Option<&Placed>,
    zone: Zone,
    day: NaiveDate,
    chosen: usize,
) -> String {
    let read = match read {
        Err(e) => return format!("Not read: {e}."),
        Ok(r) => r,
    };
    let Some(placed) = placed else { return String::new() };
    if read.events.is_empty() && read.unread.is_empty() {
        return "Paste text above to see the events Debrief reads from it.".to_owned();
    }
    let unread = read.unread.len() + placed.unread.len();
    let mut out = format!("Read as {}: {} found", read.shape.label(), count(placed.events.len(), "event", "events"));
    if chosen != placed.events.len() {
        out.push_str(&format!(" ({chosen} to add)"));
    }
    if unread > 0 {
        out.push_str(&format!(", {} not read (listed below)", count(unread, "line", "lines")));
    }
    out.push('.');
    if read.utc_header {
        out.push_str(" The time column's header says UTC, so times without an offset are UTC.");
    } else if placed.used_zone {
        out.push_str(&format!(" Times without an offset are read on {zone} clocks."));
    }
    if placed.used_day {
        out.push_str(&format!(
            " Times without a date are on {}, and move to the next day after midnight.",
            day.format("%Y-%m-%d")
        ));
    }
    out
}

#[component]
fn Preview(
    placed: Memo<Option<Placed>>,
    zone: Memo<Zone>,
    clock: Clock,
    left_out: RwSignal<HashSet<usize>>,
    kinds: RwSignal<HashMap<usize, EventKind>>,
) -> impl IntoView {
    let rows =
        move || placed.with(|p| p.iter().flat_map(|p| p.events.iter().take(PREVIEW_ROWS).cloned()).collect::<Vec<_>>());
    let hidden = move || placed.with(|p| p.as_ref().map_or(0, |p| p.events.len().saturating_sub(PREVIEW_ROWS)));
    let offsets_vary = move || {
        placed.with(|p| {
            let zone = zone.get();
            let mut offsets = p.iter().flat_map(|p| &p.events).map(|e| zone.show(&BrowserZones, e.at).offset());
            offsets.next().is_some_and(|first| offsets.any(|o| o != first))
        })
    };
    view! {
        <Show when=move || placed.with(|p| p.as_ref().is_some_and(|p| !p.events.is_empty()))>
            <div class="table-scroll">
                <table class="data-table paste-preview" aria-label="Events read from the paste">
                    <thead><tr>
                        <th scope="col">"Add"</th>
                        <th scope="col">"Line"</th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Kind"</th>
                        <th scope="col">"Speaker"</th>
                        <th scope="col">"What happened"</th>
                        <th scope="col">"Links"</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|e| (e.line, e.at, e.text.clone(), e.speaker.clone(), e.kind) let(e)>
                            {
                                let line = e.line;
                                let shown = zone.get_untracked().show(&BrowserZones, e.at);
                                let mut when = clock.date_time(&shown.local());
                                if offsets_vary() {
                                    when = format!("{when} ({})", offset_label(shown.offset()));
                                }
                                let read_kind = e.kind;
                                view! {
                                    <tr class=move || if left_out.with(|o| o.contains(&line)) { "left-out" } else { "" }>
                                        <td><input type="checkbox" id=format!("paste-keep-{line}") aria-label=format!("Add the event on line {line}")
                                            prop:checked=move || !left_out.with(|o| o.contains(&line))
                                            on:change:target=move |ev| {
                                                let keep = ev.target().checked();
                                                left_out.update(|o| { if keep { o.remove(&line); } else { o.insert(line); } });
                                            } /></td>
                                        <td class="num">{line}</td>
                                        <td class="nowrap">{when}</td>
                                        <td><select aria-label=format!("Kind of the event on line {line}")
                                            prop:value=move || kinds.with(|k| k.get(&line).copied().unwrap_or(read_kind)).key()
                                            on:change:target=move |ev| if let Some(k) = EventKind::from_key(&ev.target().value()) { kinds.update(|m| { m.insert(line, k); }) }>
                                            {EventKind::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                                        </select></td>
                                        <td>{e.speaker.clone().unwrap_or_default()}</td>
                                        <td class="paste-text-cell">{e.text.clone()}</td>
                                        <td class="num">{e.links.len()}</td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            {move || (hidden() > 0).then(|| view! { <p class="help">{format!("And {} more, not shown here; they are added too.", hidden())}</p> })}
        </Show>
    }
}

/// The lines not read and why, then what was made of the others where a choice was made.
#[component]
fn Unread(read: Memo<Result<Read, PasteError>>, placed: Memo<Option<Placed>>) -> impl IntoView {
    let notes = move |pick: fn(&Read, &Placed) -> Vec<LineNote>| {
        read.with(|r| {
            placed.with(|p| match (r, p) {
                (Ok(r), Some(p)) => {
                    let mut all = pick(r, p);
                    all.sort_by_key(|n| n.line);
                    all
                }
                _ => Vec::new(),
            })
        })
    };
    let unread = move || notes(|r, p| r.unread.iter().chain(&p.unread).cloned().collect());
    let decided = move || notes(|r, p| r.notes.iter().chain(&p.notes).cloned().collect());
    view! {
        {move || {
            let lines = unread();
            (!lines.is_empty()).then(|| view! {
                <div class="paste-unread">
                    <h4 id="paste-unread-heading">{format!("Lines not read ({})", lines.len())}</h4>
                    <p class="help">"Correct them in the text above, or leave them out."</p>
                    <ul aria-labelledby="paste-unread-heading">
                        {lines.into_iter().map(|n| view! { <li>{format!("Line {}: {}", n.line, n.note)}</li> }).collect_view()}
                    </ul>
                </div>
            })
        }}
        {move || {
            let lines = decided();
            (!lines.is_empty()).then(|| view! {
                <details class="paste-notes">
                    <summary>{format!("How other lines were read ({})", lines.len())}</summary>
                    <ul>
                        {lines.into_iter().map(|n| view! { <li>{format!("Line {}: {}", n.line, n.note)}</li> }).collect_view()}
                    </ul>
                </details>
            })
        }}
    }
}
