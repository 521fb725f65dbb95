//! True times: a postmortem's times follow a real time zone, with clock changes counted,
//! asked about where they make a typed time unclear, shown on the reader's clocks on
//! request, and back-dated action items counted on their own dates.

use crate::support::*;

/// A fresh browser whose clocks are in the zone `tz` and whose locale is `locale` (what
/// `Intl` formats for, as a browser set to that language would).
async fn browser_in(tz: &str, locale: &str) -> Result<Session, Box<dyn std::error::Error>> {
    let s = session_with(start_server_at(dist_dir(), ""), &[("TZ", tz)], &[&format!("--lang={locale}")]).await?;
    s.client.issue_cmd(DevTools("Emulation.setLocaleOverride", json!({ "locale": locale }))).await?;
    Ok(s)
}

/// The text of the durations list.
async fn durations(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    Ok(s.find(".durations").await?.text().await?)
}

async fn wait_for_duration(s: &Session, label: &str, value: &str) -> TestResult {
    // The labels are shown in capitals (by CSS), which the element's text follows.
    let expected = format!("{label}\n{value}").to_lowercase();
    for _ in 0..100 {
        if durations(s).await?.to_lowercase().contains(&expected) {
            return Ok(());
        }
        s.settle().await?;
    }
    Err(format!("{label} never showed {value}: {}", durations(s).await?).into())
}

/// Waits until the input `css` shows `expected` (a display switch redraws it).
async fn wait_for_value(s: &Session, css: &str, expected: &str) -> TestResult {
    for _ in 0..100 {
        if s.value(css).await? == expected {
            return Ok(());
        }
        s.settle().await?;
    }
    Err(format!("{css} never showed {expected}: {}", s.value(css).await?).into())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_berlin_incident_across_the_spring_change_lasts_its_true_time() -> TestResult {
    let s = browser_in("Europe/Berlin", "de-DE").await?;
    let path = s.create_postmortem("Spring change").await?;
    assert_eq!(s.value("#pm-zone").await?, "Europe/Berlin", "a new postmortem takes the browser's zone");
    s.set_value("#pm-time-impact-started", "2026-03-29T01:40").await?;
    s.set_value("#pm-time-resolved", "2026-03-29T04:10").await?;
    wait_for_duration(&s, "Time to resolve", "1 h 30 min").await?;
    // Offsets differ across the change, so each time says its own.
    s.wait_for_text("offsets", |t| t.contains("UTC+01:00") && t.contains("UTC+02:00")).await?;

    // 02:30 never showed in Berlin that night: asked, not guessed. Escape leaves the question
    // and puts back what is stored (nothing yet).
    s.set_value("#pm-time-detected", "2026-03-29T02:30").await?;
    s.wait_for_text("question", |t| t.contains("never showed on clocks in Europe/Berlin")).await?;
    s.find("#pm-time-detected").await?.send_keys(&key(fantoccini::key::Key::Escape)).await?;
    s.wait_for_text("question gone", |t| !t.contains("never showed")).await?;
    assert_eq!(s.value("#pm-time-detected").await?, "");
    s.set_value("#pm-time-detected", "2026-03-29T02:30").await?;
    s.wait_for_text("question", |t| t.contains("never showed on clocks in Europe/Berlin")).await?;
    assert_eq!(s.find("#pm-time-detected").await?.attr("aria-invalid").await?.as_deref(), Some("true"));
    assert!(durations(&s).await?.to_lowercase().contains("needs “detected”"), "nothing stored until answered");
    s.click_button("It was 03:30 (UTC+02:00): 02:30 on a clock at UTC+01:00").await?;
    wait_for_duration(&s, "Time to detect", "50 min").await?;
    assert_eq!(s.value("#pm-time-detected").await?, "2026-03-29T03:30");
    s.wait_saved().await?;

    // Stored as instants with their offsets; back after a reload.
    let stored = s
        .js("return localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('debrief.pm.')))", vec![])
        .await?;
    let text = unpacked(stored.as_str().unwrap_or_default())?;
    assert!(text.contains("\"time_zone\":\"Europe/Berlin\""), "{text}");
    assert!(text.contains("2026-03-29T01:40:00+01:00") && text.contains("2026-03-29T04:10:00+02:00"), "{text}");
    s.open(&path).await?;
    s.find("#pm-time-resolved").await?;
    wait_for_duration(&s, "Time to resolve", "1 h 30 min").await?;
    assert_eq!(s.value("#pm-time-resolved").await?, "2026-03-29T04:10");

    // A zone the browser does not know is refused with what to do; nothing changes.
    s.set_value("#pm-zone", "Mars/Olympus_Mons").await?;
    s.wait_for_text("unknown zone", |t| t.contains("does not know a time zone called “Mars/Olympus_Mons”")).await?;
    s.set_value("#pm-zone", "Asia/Tokyo").await?;
    s.wait_for_text("zone changed", |t| t.contains("Times now show on Asia/Tokyo clocks")).await?;
    assert_eq!(s.value("#pm-time-impact-started").await?, "2026-03-29T09:40", "the same moment on Tokyo clocks");
    wait_for_duration(&s, "Time to resolve", "1 h 30 min").await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_york_detection_in_the_repeated_hour_is_counted() -> TestResult {
    let s = browser_in("America/New_York", "en-US").await?;
    s.create_postmortem("Autumn change").await?;
    assert_eq!(s.value("#pm-zone").await?, "America/New_York");
    s.set_value("#pm-time-impact-started", "2026-11-01T01:20").await?;
    s.wait_for_text("first question", |t| t.contains("happened twice in America/New_York")).await?;
    s.click_button("The first, 1:20 AM (UTC-04:00)").await?;
    s.set_value("#pm-time-detected", "2026-11-01T01:00").await?;
    s.wait_for_text("second question", |t| t.contains("1:00 AM happened twice")).await?;
    s.click_button("The second, 1:00 AM (UTC-05:00)").await?;
    wait_for_duration(&s, "Time to detect", "40 min").await?;

    // Timeline events show how long after impact they came; times can be shown in UTC.
    s.click_button("Add event").await?;
    s.set_value("[id^=event-time-]", "2026-11-01T01:30").await?;
    s.click_button("The second, 1:30 AM (UTC-05:00)").await?;
    s.wait_for_text("relative time", |t| t.contains("T+1 h 10 min")).await?;
    s.find("#pm-shown-in").await?.select_by_value("utc").await?;
    wait_for_value(&s, "#pm-time-impact-started", "2026-11-01T05:20").await?;
    assert_eq!(s.value("[id^=event-time-]").await?, "2026-11-01T06:30");
    s.wait_saved().await?;

    // The save status reads on the locale's 12-hour clock.
    let status = s.find("#save-status").await?.text().await?;
    assert!(status.ends_with(" AM") || status.ends_with(" PM"), "{status}");

    // The metrics count the detection.
    s.find("#pm-status").await?.select_by_value("published").await?;
    s.wait_saved().await?;
    s.open("/metrics").await?;
    s.wait_for_text("metrics", |t| t.contains("Incidents per month, by severity")).await?;
    assert_eq!(s.find("[data-testid=median-detect]").await?.text().await?, "40 min");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postmortem_from_another_zone_shows_the_same_instants() -> TestResult {
    let s = browser_in("America/Los_Angeles", "en-GB").await?;
    s.open("/").await?;
    let file = json!({
        "format": "debrief", "version": 3, "app_version": "0.1.0",
        "postmortems": [{
            "id": "0f5c3b9e-2a41-4c1e-9d7a-4b6f2e8c1a01",
            "created_at": "2026-07-02T00:00:00Z", "updated_at": "2026-07-02T00:00:00Z",
            "title": "Tokyo incident", "status": "draft",
            "key_times": {"time_zone": "Asia/Tokyo", "impact_started": "2026-07-01T09:00+09:00", "resolved": "2026-07-01T10:15:00+09:00"},
            "timeline": [{"id": "0f5c3b9e-2a41-4c1e-9d7a-4b6f2e8c1a02", "at": "2026-07-01T09:12+09:00", "kind": "observation", "description": "Alert fired"}]
        }]
    });
    import_file(&s, "tokyo.debrief.json", &file.to_string()).await?;
    s.click_button("Import 1 postmortem").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 1 added")).await?;
    s.open("/postmortems/0f5c3b9e-2a41-4c1e-9d7a-4b6f2e8c1a01").await?;
    s.find("#pm-zone").await?;
    assert_eq!(s.value("#pm-zone").await?, "Asia/Tokyo");
    assert_eq!(s.value("#pm-time-impact-started").await?, "2026-07-01T09:00");
    s.wait_for_text("relative", |t| t.contains("T+12 min")).await?;
    wait_for_duration(&s, "Time to resolve", "1 h 15 min").await?;

    // On the reader's own clocks (Los Angeles, UTC-07:00 in July): the same instants.
    s.find("#pm-shown-in").await?.select_by_value("mine").await?;
    wait_for_value(&s, "#pm-time-impact-started", "2026-06-30T17:00").await?;
    assert_eq!(s.value("[id^=event-time-]").await?, "2026-06-30T17:12");
    assert!(s.page_text().await?.contains("UTC-07:00"));
    // Showing it elsewhere changed nothing stored.
    let stored = s.js("return localStorage.getItem('debrief.pm.0f5c3b9e-2a41-4c1e-9d7a-4b6f2e8c1a01')", vec![]).await?;
    let text = unpacked(stored.as_str().unwrap_or_default())?;
    assert!(text.contains("2026-07-01T09:00:00+09:00") && text.contains("\"time_zone\":\"Asia/Tokyo\""), "{text}");
    // A 24-hour locale reads the save status on a 24-hour clock.
    s.type_into("#pm-title", " (copy)").await?;
    s.wait_saved().await?;
    let status = s.find("#save-status").await?.text().await?;
    assert!(!status.contains("AM") && !status.contains("PM"), "{status}");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn back_dated_action_items_count_on_their_own_dates() -> TestResult {
    let s = session().await?;
    s.create_postmortem("A published postmortem from 2015").await?;
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "Add a canary stage").await?;
    s.set_value("[id^=action-created-on-]", "2015-06-01").await?;
    s.find("[id^=action-status-]").await?.select_by_value("done").await?;
    s.set_value("[id^=action-done-on-]", "2015-06-21").await?;
    s.type_into("[id^=action-owner-]", "Platform team").await?;
    // Typing a draft in is not a change of plan: no history.
    s.wait_saved().await?;
    assert!(s.all(".history").await?.is_empty(), "a draft keeps no history");

    // A date after today is kept, with a warning.
    s.set_value("[id^=action-done-on-]", "2099-01-01").await?;
    s.wait_for_text("future warning", |t| t.contains("This is after today")).await?;
    s.set_value("[id^=action-done-on-]", "2015-05-21").await?;
    s.wait_for_text("before added", |t| t.contains("This is before the item was added (2015-06-01)")).await?;
    s.set_value("[id^=action-done-on-]", "2015-06-21").await?;
    s.wait_for_text("warnings gone", |t| {
        !t.contains("This is after today") && !t.contains("before the item was added")
    })
    .await?;

    // Once in review, changes to the plan are recorded.
    s.find("#pm-status").await?.select_by_value("in-review").await?;
    s.find("[id^=action-owner-]").await?.clear().await?;
    s.type_into("[id^=action-owner-]", "SRE team").await?;
    s.wait_for_text("history", |t| t.contains("History (1)")).await?;
    s.wait_saved().await?;

    s.open("/metrics").await?;
    s.wait_for_text("metrics", |t| t.contains("median time to close")).await?;
    let text = s.page_text().await?;
    assert!(text.contains("median time to close 20.0 days"), "{text}");
    let table = s.find("[data-testid=actions-table]").await?.text().await?;
    assert!(table.contains("2015-06"), "{table}");
    s.finish().await
}
