//! The timeline as a person fills it in: one line per event, entered from the keyboard,
//! and whole timelines pasted from a chat export or a spreadsheet, previewed first.

use crate::support::*;
use fantoccini::key::Key;

/// A fresh browser whose clocks are in Berlin.
async fn berlin() -> Result<Session, Box<dyn std::error::Error>> {
    session_with(start_server_at(dist_dir(), ""), &[("TZ", "Europe/Berlin")], &[]).await
}

/// Waits until the timeline has `n` events.
async fn wait_for_events(s: &Session, n: usize) -> TestResult {
    for _ in 0..100 {
        if s.all("textarea[id^=event-text-]").await?.len() == n {
            return Ok(());
        }
        s.settle().await?;
    }
    Err(format!("the timeline never had {n} events: {}", s.all("textarea[id^=event-text-]").await?.len()).into())
}

/// Waits until the element with focus matches `check`.
async fn wait_for_focus(s: &Session, what: &str, check: impl Fn(&str) -> bool) -> TestResult {
    for _ in 0..100 {
        if check(&focused(s).await?) {
            return Ok(());
        }
        s.settle().await?;
    }
    Err(format!("focus never reached {what}; it is on {}", focused(s).await?).into())
}

/// A 30-line export of an incident channel, two people talking, with a link.
fn chat_export() -> String {
    (0..30)
        .map(|i| {
            let who = if i % 3 == 0 { "Priya Natarajan" } else { "@jdoe" };
            let link = if i == 4 { " https://grafana.example.com/d/db" } else { "" };
            format!("[{:02}:{:02}] {who}: message number {i}{link}\n", 14 + i / 20, (i * 3) % 60)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pasted_thirty_line_chat_export_becomes_thirty_events_and_can_be_taken_back() -> TestResult {
    let s = berlin().await?;
    s.create_postmortem("Pasted timeline").await?;
    s.set_value("#pm-time-impact-started", "2026-06-10T14:00").await?;
    s.click_button("Paste a timeline…").await?;
    // A heading line and a bad time are reported with their line numbers, not guessed at.
    let text = format!("Export of #inc-db\n{}25:61 not a time\n", chat_export());
    s.set_value("#paste-text", &text).await?;
    s.wait_for_text("the preview", |t| {
        t.contains("Read as chat or log lines: 30 events found, 2 lines not read")
            && t.contains("Times without an offset are read on Europe/Berlin clocks")
            && t.contains("Times without a date are on 2026-06-10")
    })
    .await?;
    let page = s.page_text().await?;
    assert!(page.contains("Line 1: it does not start with a time"), "{page}");
    assert!(page.contains("Line 32: “25:61” is not a time of day"), "{page}");
    assert!(page.contains("New participants: Priya Natarajan, jdoe"), "{page}");
    assert_eq!(s.all(".paste-preview tbody tr").await?.len(), 30);

    // Leave one out and change another's kind, then add them all at once.
    s.click_css("#paste-keep-3").await?;
    s.find(".paste-preview tbody tr:nth-child(3) select").await?.select_by_value("decision").await?;
    s.wait_for_text("one left out", |t| t.contains("(29 to add)")).await?;
    s.click_css("#paste-keep-3").await?;
    s.wait_for_text("back in", |t| t.contains("30 events found,") && !t.contains("to add)")).await?;
    s.click_button("Add 30 events").await?;
    wait_for_events(&s, 30).await?;
    s.wait_for_text("the note", |t| t.contains("Added 30 events from the paste, and 2 participants to People")).await?;
    let texts = s.values("textarea[id^=event-text-]").await?;
    assert_eq!(texts[0], "message number 0", "the speaker is not in the narrative");
    assert_eq!(texts[29], "message number 29");
    assert_eq!(s.values("[id^=event-time-]").await?[1], "2026-06-10T14:03");
    assert_eq!(
        s.find("#timeline .event-line:nth-child(3) select").await?.prop("value").await?.as_deref(),
        Some("decision")
    );
    assert!(
        s.find("#timeline .event-line:nth-child(5) [id^=event-links-]")
            .await?
            .text()
            .await?
            .trim()
            .starts_with("Links 1")
    );
    let names = s.values("[id^=participant-name-]").await?;
    assert!(names.contains(&"Priya Natarajan".to_owned()) && names.contains(&"jdoe".to_owned()), "{names:?}");
    // Kept across a reload.
    s.wait_saved().await?;
    s.client.refresh().await?;
    wait_for_events(&s, 30).await?;

    // Undo takes back the events and the new participants, nothing else.
    s.click_button("Paste a timeline…").await?;
    s.set_value("#paste-text", "14:40 Priya Natarajan: one more\n").await?;
    s.click_button("Add 1 event").await?;
    wait_for_events(&s, 31).await?;
    s.wait_for_text("no new participant", |t| t.contains("Added 1 event from the paste.")).await?;
    s.click_css("#paste-undo").await?;
    wait_for_events(&s, 30).await?;
    assert_eq!(s.values("[id^=participant-name-]").await?, names);
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn five_events_entered_from_the_keyboard_alone() -> TestResult {
    let s = berlin().await?;
    s.create_postmortem("Keyboard timeline").await?;
    s.set_value("#pm-time-impact-started", "2026-06-10T09:00").await?;
    s.find("body").await?.click().await?;
    // "t" adds an event and puts the cursor in its text; Enter adds the next one.
    press(&s, "t").await?;
    wait_for_focus(&s, "the first event", |f| f.starts_with("textarea#event-text-")).await?;
    for (i, text) in
        ["Alert fired", "Paged the on-call", "Rolled back", "Errors fell", "Declared resolved"].iter().enumerate()
    {
        if i > 0 {
            press(&s, &key(Key::Enter)).await?;
            wait_for_events(&s, i + 1).await?;
            wait_for_focus(&s, "the new event", |f| f.starts_with("textarea#event-text-") && f.ends_with(' ')).await?;
        }
        press(&s, text).await?;
    }
    wait_for_events(&s, 5).await?;
    let values = || s.values("textarea[id^=event-text-]");
    assert_eq!(
        values().await?,
        ["Alert fired", "Paged the on-call", "Rolled back", "Errors fell", "Declared resolved"]
    );
    assert!(s.values("[id^=event-time-]").await?.iter().all(|t| t == "2026-06-10T09:00"), "each takes the time above");

    // Up and down move between events; Alt+Up works from the kind too.
    press(&s, &key(Key::Up)).await?;
    wait_for_focus(&s, "the fourth event", |f| f.contains("Errors fell")).await?;
    press(&s, &key(Key::Up)).await?;
    wait_for_focus(&s, "the third event", |f| f.contains("Rolled back")).await?;
    press(&s, &key(Key::Tab)).await?;
    wait_for_focus(&s, "the links button", |f| f.starts_with("button#event-links-")).await?;
    press(&s, &format!("{}{}", key(Key::Shift), key(Key::Tab))).await?;
    press(&s, &format!("{}{}", key(Key::Shift), key(Key::Tab))).await?;
    wait_for_focus(&s, "the kind", |f| f.starts_with("select#event-kind-")).await?;
    press(&s, &format!("{}{}{}", key(Key::Alt), key(Key::Down), key(Key::Null))).await?;
    let fourth_kind = s.find("#timeline .event-line:nth-child(4) select").await?.attr("id").await?.unwrap_or_default();
    wait_for_focus(&s, "the fourth event's kind", |f| f.starts_with(&format!("select#{fourth_kind}"))).await?;

    // Ctrl+Shift+Backspace deletes the event; Undo puts it back where it was.
    s.click_css("#timeline .event-line:nth-child(4) textarea").await?;
    press(&s, &format!("{}{}{}{}", key(Key::Control), key(Key::Shift), key(Key::Backspace), key(Key::Null))).await?;
    wait_for_events(&s, 4).await?;
    s.wait_for_text("the undo note", |t| t.contains("Deleted the event “Errors fell”.")).await?;
    wait_for_focus(&s, "the next event", |f| f.contains("Declared resolved")).await?;
    s.click_css("#undo-delete-event").await?;
    wait_for_events(&s, 5).await?;
    assert_eq!(
        values().await?,
        ["Alert fired", "Paged the on-call", "Rolled back", "Errors fell", "Declared resolved"]
    );
    s.wait_saved().await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn twenty_events_from_a_spreadsheet_fit_in_two_screens() -> TestResult {
    let s = berlin().await?;
    s.create_postmortem("Spreadsheet timeline").await?;
    s.click_button("Paste a timeline…").await?;
    let mut csv = "Time (UTC),Who,Type,What happened\n".to_owned();
    for i in 0..20 {
        csv.push_str(&format!("2026-06-10 12:{:02},Ana,action,\"Step {i}, with a comma\"\n", i * 2));
    }
    s.set_value("#paste-text", &csv).await?;
    s.wait_for_text("the preview", |t| {
        t.contains("Read as CSV: 20 events found.") && t.contains("The time column's header says UTC")
    })
    .await?;
    s.click_button("Add 20 events").await?;
    wait_for_events(&s, 20).await?;
    // UTC 12:00 is 14:00 on the postmortem's Berlin clocks.
    assert_eq!(s.values("[id^=event-time-]").await?[0], "2026-06-10T14:00");
    assert_eq!(s.values("textarea[id^=event-text-]").await?[1], "Step 1, with a comma");
    let size = s
        .js("const r = document.querySelector('#timeline').getBoundingClientRect(); return [r.height, window.innerWidth, window.innerHeight];", vec![])
        .await?;
    let (height, width, screen) =
        (size[0].as_f64().unwrap_or(f64::MAX), size[1].as_f64().unwrap_or(0.0), size[2].as_f64().unwrap_or(0.0));
    assert!(width >= 1200.0, "a wide window: {width}");
    assert!(height <= 2.0 * 900.0, "20 events take {height} px (the window is {width}x{screen})");
    s.finish().await
}
