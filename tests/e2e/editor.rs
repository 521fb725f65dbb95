//! The editor: every field kept across a reload, long timelines, the wording assistant,
//! templates and guided mode.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_postmortem_with_every_field_survives_a_reload() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    assert!(s.page_text().await?.contains("No postmortems yet"));
    s.click_button("New postmortem").await?;
    s.click_button("Start blank").await?;

    // Overview.
    s.type_into("#pm-title", "Checkout errors after a pool change").await?;
    s.type_into("#pm-ref", "INC-2041").await?;
    s.find("#pm-status").await?.select_by_value("in-review").await?;
    s.find("#pm-severity").await?.select_by_value("2").await?;
    s.type_into("#pm-summary", "A third of checkout requests failed for 52 minutes.").await?;
    s.type_into("#pm-services", "checkout-api\n").await?;
    s.type_into("#pm-services", "orders-db,").await?;
    s.type_into("#pm-tags", "database\n").await?;

    // Key times, entered in a fixed UTC+01:00; durations are computed.
    s.set_value("#pm-zone", "UTC+01:00").await?;
    s.set_value("#pm-time-impact-started", "2026-04-14T13:58").await?;
    s.set_value("#pm-time-detected", "2026-04-14T14:05").await?;
    s.set_value("#pm-time-mitigated", "2026-04-14T14:50").await?;
    s.set_value("#pm-time-resolved", "2026-04-14T16:20").await?;
    s.wait_for_text("durations", |t| t.contains("7 min") && t.contains("52 min") && t.contains("2 h 22 min")).await?;

    // Participants and impact.
    s.click_button("Add participant").await?;
    s.type_into("[id^=participant-name-]", "Ana Lima").await?;
    s.type_into("[id^=participant-role-]", "Incident commander").await?;
    s.type_into("#pm-impact", "Customers could not pay.").await?;
    s.click_button("Add figure").await?;
    s.type_into("[id^=figure-name-]", "Requests failed").await?;
    s.type_into("[id^=figure-value-]", "41,300").await?;

    // Timeline: added out of order, kept sorted by time.
    s.click_button("Add event").await?;
    s.set_value("[id^=event-time-]", "2026-04-14T14:31").await?;
    s.type_into("textarea[id^=event-text-]", "Decided to revert the pool setting").await?;
    s.click_button("Add event").await?;
    s.type_into(".event-line:last-child textarea[id^=event-text-]", "Error-rate alert fired").await?;
    s.set_value(".event-line:last-child [id^=event-time-]", "2026-04-14T14:05").await?;
    let first_event = s.find(".event-line:first-child textarea[id^=event-text-]").await?;
    assert_eq!(first_event.prop("value").await?.as_deref(), Some("Error-rate alert fired"));
    // Evidence sits behind a button that shows how many links there are.
    s.click_css(".event-line:first-child [id^=event-links-]").await?;
    s.type_into(".event-line:first-child [id^=event-link-]", "javascript:alert(1)\n").await?;
    s.wait_for_text("link refusal", |t| t.contains("only http:// and https:// links are allowed")).await?;
    s.find(".event-line:first-child [id^=event-link-]").await?.clear().await?;
    s.type_into(".event-line:first-child [id^=event-link-]", "https://grafana.example.com/d/checkout\n").await?;
    s.find(".event-line:first-child .links a[href='https://grafana.example.com/d/checkout']").await?;
    assert!(s.find(".event-line:first-child [id^=event-links-]").await?.text().await?.trim().starts_with("Links 1"));

    // Contributing factor with a why.
    s.click_button("Add contributing factor").await?;
    s.type_into("textarea[id^=factor-text-]", "Pool size had no guard rail").await?;
    s.find("[id^=factor-category-]").await?.select_by_value("configuration").await?;
    s.find(".whys summary").await?.click().await?;
    s.click_button("Add a why").await?;
    s.type_into("input[id^=factor-][id*=-why-]", "The tuning guide predates last year's growth").await?;

    // Action item, done and reviewed.
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "Validate pool size against peak traffic in CI").await?;
    s.find("[id^=action-type-]").await?.select_by_value("detect").await?;
    s.find("[id^=action-priority-]").await?.select_by_value("p1").await?;
    s.type_into("[id^=action-owner-]", "Platform team").await?;
    s.set_value("[id^=action-due-]", "2026-05-15").await?;
    s.find("[id^=action-status-]").await?.select_by_value("done").await?;
    s.find("[id^=action-verdict-]").await?.select_by_value("worked").await?;
    // Tab leaves the field, which commits the link.
    s.type_into("[id^=action-link-]", "https://tracker.example.com/PLAT-88\u{E004}").await?;
    s.find(".tracking-link").await?;

    // Lessons.
    for (list, text) in [
        ("went-well", "Alert fired in seven minutes"),
        ("went-wrong", "Runbook was stale"),
        ("got-lucky", "Before the evening peak"),
    ] {
        s.find(&format!("#lessons-{list}")).await?;
        s.js(
            "document.querySelector('#lesson-' + arguments[0]).parentElement.querySelector('.add-button').click();",
            vec![json!(list)],
        )
        .await?;
        s.type_into(&format!("textarea[id^=lesson-{list}-]"), text).await?;
    }

    s.wait_saved().await?;
    let path = s.client.current_url().await?.path().to_owned();
    assert!(path.starts_with("/postmortems/"), "deep link {path}");

    // Reload the deep link: every field is back.
    s.client.refresh().await?;
    s.find("#pm-title").await?;
    assert_eq!(s.value("#pm-title").await?, "Checkout errors after a pool change");
    assert_eq!(s.value("#pm-ref").await?, "INC-2041");
    assert_eq!(s.value("#pm-status").await?, "in-review");
    assert_eq!(s.value("#pm-severity").await?, "2");
    assert_eq!(s.value("#pm-summary").await?, "A third of checkout requests failed for 52 minutes.");
    let chips = s.find(".label-list").await?.text().await?;
    assert!(chips.contains("checkout-api") && chips.contains("orders-db"), "{chips}");
    assert!(s.page_text().await?.contains("database"));
    assert_eq!(s.value("#pm-zone").await?, "UTC+01:00");
    assert_eq!(s.value("#pm-time-impact-started").await?, "2026-04-14T13:58");
    assert_eq!(s.value("#pm-time-resolved").await?, "2026-04-14T16:20");
    assert_eq!(s.values("[id^=participant-name-]").await?, ["Ana Lima"]);
    assert_eq!(s.values("[id^=participant-role-]").await?, ["Incident commander"]);
    assert_eq!(s.value("#pm-impact").await?, "Customers could not pay.");
    assert_eq!(s.values("[id^=figure-value-]").await?, ["41,300"]);
    assert_eq!(
        s.values("textarea[id^=event-text-]").await?,
        ["Error-rate alert fired", "Decided to revert the pool setting"]
    );
    assert_eq!(s.values("[id^=event-time-]").await?, ["2026-04-14T14:05", "2026-04-14T14:31"]);
    s.find(".links a[href='https://grafana.example.com/d/checkout']").await?;
    assert_eq!(s.values("textarea[id^=factor-text-]").await?, ["Pool size had no guard rail"]);
    assert_eq!(s.value("[id^=factor-category-]").await?, "configuration");
    assert_eq!(s.values("input[id^=factor-][id*=-why-]").await?, ["The tuning guide predates last year's growth"]);
    assert_eq!(s.value("[id^=action-type-]").await?, "detect");
    assert_eq!(s.value("[id^=action-priority-]").await?, "p1");
    assert_eq!(s.value("[id^=action-owner-]").await?, "Platform team");
    assert_eq!(s.value("[id^=action-due-]").await?, "2026-05-15");
    assert_eq!(s.value("[id^=action-status-]").await?, "done");
    assert_eq!(s.value("[id^=action-verdict-]").await?, "worked");
    assert_eq!(s.value("[id^=action-link-]").await?, "https://tracker.example.com/PLAT-88");
    assert_eq!(s.values("textarea[id^=lesson-went-well-]").await?, ["Alert fired in seven minutes"]);
    assert_eq!(s.values("textarea[id^=lesson-went-wrong-]").await?, ["Runbook was stale"]);
    assert_eq!(s.values("textarea[id^=lesson-got-lucky-]").await?, ["Before the evening peak"]);
    s.wait_for_text("durations after reload", |t| t.contains("52 min")).await?;

    // The library lists it with its severity and status.
    s.open("/").await?;
    let table = s.find(".library-table").await?.text().await?;
    assert!(
        table.contains("Checkout errors after a pool change") && table.contains("SEV2") && table.contains("In review"),
        "{table}"
    );
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_timeline_is_drawn_in_steps_and_each_row_follows_its_own_changes() -> TestResult {
    use debrief::domain::{ActionType, EventKind, Postmortem, PostmortemId};
    let s = session().await?;
    // More rows than the editor draws at first, in both lists.
    let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
    pm.title = "Long timeline".into();
    pm.revision = 1;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).and_then(|d| d.and_hms_opt(9, 0, 0)).ok_or("date")?;
    for i in 0..70 {
        let at = start + chrono::Duration::minutes(i);
        pm.add_timeline_event(
            Some(debrief::domain::Moment::utc(at)),
            EventKind::Observation,
            format!("Event number {i} seen"),
        );
    }
    for i in 0..45 {
        pm.add_action_item(ActionType::Prevent, format!("Action number {i}"));
    }
    pm.add_timeline_event(
        Some(debrief::domain::Moment::utc(start + chrono::Duration::minutes(80))),
        EventKind::Action,
        "Quokka runbook followed",
    );
    s.open("/").await?;
    store_only(&s, &pm).await?;
    let path = format!("/postmortems/{}", pm.id);
    s.open(&path).await?;
    // At once, while later rows may still be on their way: the new event (last in time
    // order) gets the focus.
    s.click_button("Add event").await?;

    // Every row comes, in time order.
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.all("textarea[id^=event-text-]").await?.len() < 72 || s.all("#actions .action-row").await?.len() < 45 {
        assert!(Instant::now() < deadline, "not every row was drawn");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let events = s.values("textarea[id^=event-text-]").await?;
    assert_eq!(events.first().map(String::as_str), Some("Event number 0 seen"));
    assert_eq!(events[69], "Event number 69 seen");
    assert_eq!(events[70], "Quokka runbook followed");
    assert_eq!(events[71], "");
    let focused = s
        .js("const all = document.querySelectorAll('textarea[id^=event-text-]'); return document.activeElement === all[all.length - 1];", vec![])
        .await?;
    assert_eq!(focused, json!(true), "the new event has the focus");
    assert_eq!(s.values("textarea[id^=action-text-]").await?[44], "Action number 44");

    // A late row is edited and saved.
    let late = format!("#event-text-{}", pm.timeline[65].id);
    s.type_into(&late, " twice").await?;
    s.wait_saved().await?;
    let stored = s.storage_item(&format!("debrief.pm.{}", pm.id)).await?.unwrap_or_default();
    assert!(stored.contains("Event number 65 seen twice"), "{stored}");

    // Another tab changes a different row: that row follows, the edited one keeps its text.
    let tab_a = s.client.window().await?;
    let tab_b = s.client.new_window(false).await?.handle;
    s.client.switch_to_window(tab_b).await?;
    s.open("/").await?;
    let key = format!("debrief.pm.{}", pm.id);
    let mut envelope: Value = serde_json::from_str(&s.storage_item(&key).await?.unwrap_or_default())?;
    let theirs = &mut envelope["postmortems"][0];
    theirs["revision"] = json!(theirs["revision"].as_u64().unwrap_or_default() + 1);
    theirs["timeline"][40]["description"] = json!("Event number 40 seen from the other tab");
    s.js("localStorage.setItem(arguments[0], arguments[1]);", vec![json!(key), json!(envelope.to_string())]).await?;
    s.client.close_window().await?;
    s.client.switch_to_window(tab_a).await?;
    s.wait_for_text("the other tab's change", |t| t.contains("Updated with the changes saved in another tab")).await?;
    let row40 = format!("#event-text-{}", pm.timeline[40].id);
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.value(&row40).await? != "Event number 40 seen from the other tab" {
        assert!(Instant::now() < deadline, "row 40 did not follow the other tab");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(s.value(&late).await?, "Event number 65 seen twice");

    // Opened at the editor, the library reads the full text once its page is shown.
    s.click_css(".breadcrumb a").await?;
    s.wait_for_text("the full text read", |t| t.contains("Finds words anywhere in a postmortem")).await?;
    // A word it lacks empties the list first, so the match below is the search's doing.
    s.type_into("#library-search", "zebra").await?;
    s.wait_for_text("no match", |t| t.contains("No postmortem matches “zebra”.")).await?;
    // A word only its timeline holds (not its title).
    s.set_value("#library-search", "quokka").await?;
    s.wait_for_text("the match", |t| !t.contains("No postmortem matches")).await?;
    let titles = s.find(".library-table").await?.text().await?;
    assert!(titles.contains("Long timeline"), "{titles}");
    assert_eq!(s.find(".result-count").await?.text().await?, "1 postmortem");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn wording_findings_can_be_dismissed_and_stay_dismissed_after_reload() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Wording test").await?;
    s.type_into("#pm-summary", "The on-call engineer should have noticed the alert; this was human error").await?;
    s.wait_for_text("two findings", |t| t.contains("2 open suggestions")).await?;
    let findings = s.find("#pm-summary-findings").await?.text().await?;
    assert!(findings.contains("Counterfactual") && findings.contains("Human error"), "{findings}");
    assert_eq!(s.find(".checked-text .mirror mark.flag-counterfactual").await?.text().await?, "should have");

    // A forward-looking requirement in an action item (checked below, once a later finding
    // shows the check has run since).
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "The deploy pipeline should reject configs without a canary").await?;
    s.wait_saved().await?;

    // Dismiss the counterfactual; it stays dismissed after a reload.
    s.click_css("button[aria-label='Dismiss the suggestion about “should have”']").await?;
    s.wait_for_text("one finding", |t| t.contains("1 open suggestion")).await?;
    s.wait_saved().await?;
    s.client.refresh().await?;
    s.find("#pm-summary").await?;
    s.wait_for_text("still one finding", |t| t.contains("1 open suggestion")).await?;
    let findings = s.find("#pm-summary-findings").await?.text().await?;
    assert!(!findings.contains("Counterfactual") && findings.contains("Human error"), "{findings}");

    // Applying a rewrite changes the text.
    s.type_into("#pm-impact", "Obviously, the cache was stale.").await?;
    s.find("#pm-impact-findings button").await?;
    assert!(
        s.all("[id^=action-text-][id$=-findings] li").await?.is_empty(),
        "a forward-looking requirement in an action item gets no finding"
    );
    s.click_button("Remove “Obviously”").await?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.value("#pm-impact").await? != "The cache was stale." {
        assert!(Instant::now() < deadline, "rewrite not applied: {:?}", s.value("#pm-impact").await?);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Publishing with an open finding asks first.
    s.find("#pm-status").await?.select_by_value("published").await?;
    s.wait_for_text("publish confirmation", |t| t.contains("wording suggestions are still open")).await?;
    assert_eq!(s.value("#pm-status").await?, "draft");
    s.click_button("Publish anyway").await?;
    s.wait_saved().await?;
    assert_eq!(s.value("#pm-status").await?, "published");

    // The library counts the open findings.
    s.open("/").await?;
    s.wait_for_text("library count", |t| t.contains("1 wording suggestion")).await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_three_built_in_templates_can_be_walked_to_the_end_in_guided_mode() -> TestResult {
    let s = session().await?;
    for name in ["Lightweight (minor incidents)", "SRE book style", "PagerDuty style"] {
        walk_template(&s, name).await?;
    }
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_other_built_in_templates_can_be_walked_to_the_end_in_guided_mode() -> TestResult {
    let s = session().await?;
    for name in ["Atlassian style", "Learning review", "Security incident"] {
        walk_template(&s, name).await?;
    }
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn guided_mode_shows_help_and_example_and_can_skip_jump_and_go_back() -> TestResult {
    let s = session().await?;
    s.open("/new").await?;
    click_labelled(&s, "Start guided with SRE book style").await?;
    s.click_css(".guided-actions button.primary").await?;
    s.wait_for_text("the first section", |t| t.contains("1 of 10")).await?;
    let text = s.page_text().await?;
    assert!(text.contains("Summary") && text.contains("Required"), "{text}");
    s.click_css(".guided-example summary").await?;
    assert!(!s.find(".guided-example p").await?.text().await?.is_empty(), "an example answer is shown");
    assert!(!s.find(".guided-help p").await?.text().await?.is_empty(), "help is shown");
    // Skip leaves the section empty and moves on; the required count does not change.
    s.click_button("Skip for now").await?;
    s.wait_for_text("the second section", |t| t.contains("2 of 10, 6 required left")).await?;
    // Jump straight to a section from the list, then go back.
    s.click_css(".guided-steps a[href*='guide=trigger']").await?;
    s.wait_for_text("the trigger section", |t| t.contains("4 of 10")).await?;
    s.type_into("#answer-trigger", "A pool setting was lowered from 80 to 20.").await?;
    s.click_button("Back").await?;
    s.wait_for_text("the section before", |t| t.contains("3 of 10")).await?;
    s.click_css(".guided-steps a[href*='guide=finish']").await?;
    s.wait_for_text("the review", |t| t.contains("6 required sections are still empty")).await?;
    s.click_css(".missing-list a").await?;
    s.wait_for_text("the first empty required section", |t| t.contains("1 of 10")).await?;
    // The answer typed before is in the full editor, and the library flags what is missing.
    s.click_css(".guided-top a").await?;
    assert_eq!(s.value("#answer-trigger").await?, "A pool setting was lowered from 80 to 20.");
    s.wait_saved().await?;
    s.open("/").await?;
    s.wait_for_text("the incomplete badge", |t| t.contains("6 required sections empty")).await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_template_keeps_every_answer_and_lists_the_ones_without_a_section() -> TestResult {
    let s = session().await?;
    s.open("/new").await?;
    click_labelled(&s, "Open in editor: SRE book style").await?;
    s.type_into("#pm-title", "Switching templates").await?;
    s.type_into("#answer-trigger", "A pool setting was lowered.").await?;
    s.type_into("#answer-resolution", "The setting was reverted at 14:44.").await?;
    s.wait_saved().await?;
    s.click_button("Change template").await?;
    s.find("#template-choice").await?.select_by_value("atlassian").await?;
    let preview = s.find("[data-testid=switch-preview]").await?.text().await?;
    assert!(preview.contains("Answers that move to the new template: Resolution."), "{preview}");
    assert!(preview.contains("No section there for: Trigger."), "{preview}");
    s.click_button("Switch template").await?;
    s.wait_for_text("the switch", |t| t.contains("Template: Atlassian style")).await?;
    // The resolution is now the Atlassian "Recovery" answer; the trigger waits apart.
    assert_eq!(s.value("#answer-resolution").await?, "The setting was reverted at 14:44.");
    let homeless = s.find("#homeless-answers").await?.text().await?;
    assert!(homeless.contains("Trigger") && homeless.contains("A pool setting was lowered."), "{homeless}");
    s.wait_saved().await?;
    s.client.refresh().await?;
    let homeless = s.find("#homeless-answers").await?.text().await?;
    assert!(homeless.contains("A pool setting was lowered."), "kept after a reload: {homeless}");
    // Move it into the Fault section.
    s.find("#move-trigger").await?.select_by_value("fault").await?;
    s.click_button("Move").await?;
    assert_eq!(s.value("#answer-fault").await?, "A pool setting was lowered.");
    assert!(s.all("#homeless-answers").await?.is_empty());
    // Switching back and undoing: nothing is lost either way.
    s.click_button("Change template").await?;
    s.find("#template-choice").await?.select_by_value("lightweight").await?;
    s.click_button("Switch template").await?;
    s.wait_for_text("the second switch", |t| t.contains("Template: Lightweight")).await?;
    assert!(s.find("#homeless-answers").await?.text().await?.contains("Fault"));
    s.click_button("Undo").await?;
    s.wait_for_text("the undo", |t| t.contains("Template: Atlassian style")).await?;
    assert_eq!(s.value("#answer-fault").await?, "A pool setting was lowered.");
    // The printed copy carries the written answers under their sections' titles.
    s.wait_saved().await?;
    let editor = s.client.current_url().await?.path().to_owned();
    s.open(&format!("{editor}/print")).await?;
    let printed = s.find(".print-document").await?.text().await?;
    assert!(printed.contains("Fault\nA pool setting was lowered."), "{printed}");
    assert!(printed.contains("Recovery\nThe setting was reverted at 14:44."), "{printed}");
    assert!(printed.contains("Atlassian style (version 1)"), "{printed}");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_custom_template_travels_to_a_colleague_as_a_file() -> TestResult {
    // The team lead copies a built-in template, changes it and exports it.
    let lead = session().await?;
    lead.open("/templates").await?;
    click_labelled(&lead, "Copy to customise: Lightweight (minor incidents)").await?;
    lead.wait_for_text("the copy", |t| t.contains("Lightweight (minor incidents) (copy)")).await?;
    lead.find("#template-name").await?.clear().await?;
    lead.type_into("#template-name", "Team minor incident").await?;
    lead.click_button("Add section").await?;
    type_into_focused(&lead, "Surprises").await?;
    lead.click_css(".section-editor:last-child input[type=checkbox]").await?;
    // The new section needs a prompt before the template can be saved.
    lead.wait_for_text("the missing prompt", |t| t.contains("needs a prompt")).await?;
    lead.type_into(".section-editor:last-child textarea", "What surprised you?").await?;
    lead.click_css(".section-editor:last-child button[aria-label^='Move up']").await?;
    lead.click_button("Save").await?;
    lead.wait_for_text("the save", |t| t.contains("Saved as version 2.")).await?;
    capture_downloads(&lead).await?;
    lead.click_button("Export").await?;
    let (name, text) = last_download(&lead).await?;
    assert_eq!(name, "team-minor-incident.debrief-template.json");
    lead.finish().await?;

    // A colleague, in a browser of their own, imports it and writes with it.
    let colleague = session().await?;
    colleague.open("/templates").await?;
    let before = storage_snapshot(&colleague).await?;
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let broken = dir.join("broken.debrief-template.json");
    std::fs::write(&broken, text.replace("\"part\": \"summary\"", "\"part\": \"horoscope\""))?;
    colleague.find("#template-import").await?.send_keys(&broken.to_string_lossy()).await?;
    colleague.wait_for_text("the refusal", |t| t.contains("holds a template that cannot be used")).await?;
    let message = colleague.page_text().await?;
    assert!(
        message.contains("$.templates[0].sections[0].part") && message.contains("Nothing was imported"),
        "{message}"
    );
    assert_eq!(storage_snapshot(&colleague).await?, before, "a bad file changes nothing");
    let good = dir.join(&name);
    std::fs::write(&good, &text)?;
    colleague.find("#template-import").await?.send_keys(&good.to_string_lossy()).await?;
    colleague.wait_for_text("the import", |t| t.contains("Templates: added “Team minor incident”")).await?;
    colleague.open("/new").await?;
    click_labelled(&colleague, "Start guided with Team minor incident").await?;
    colleague.click_css(".guided-actions button.primary").await?;
    let steps = colleague.find(".guided-steps").await?.text().await?;
    let (surprises, follow_up) = (steps.find("Surprises"), steps.find("Follow-up"));
    assert!(surprises.is_some() && surprises < follow_up, "moved up before the last section: {steps}");
    let link =
        colleague.client.find(Locator::XPath("//nav[@class='guided-steps']//a[contains(., 'Surprises')]")).await?;
    colleague.click(&link).await?;
    colleague.wait_for_text("the custom section", |t| t.contains("What surprised you?")).await?;
    colleague.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn unsaved_template_edits_come_back_after_visiting_another_page() -> TestResult {
    let s = session().await?;
    s.open("/templates").await?;
    s.click_button("New blank template").await?;
    s.wait_for_text("the new template", |t| t.contains("Version 1 saved")).await?;
    s.type_into("#template-name", " for reviews").await?;
    s.wait_for_text("the unsaved state", |t| t.contains("Unsaved changes")).await?;
    // Leave through the app's own navigation, then come back to the template.
    s.click_css("header nav a[href$='/']").await?;
    s.wait_for_text("the library", |t| t.contains("No postmortems yet")).await?;
    s.click_css("header nav a[href$='/templates']").await?;
    let edit = s.client.find(Locator::XPath("//a[normalize-space(.)='Edit']")).await?;
    s.click(&edit).await?;
    s.wait_for_text("the restored draft", |t| t.contains("Your unsaved changes from earlier are back")).await?;
    assert_eq!(s.value("#template-name").await?, "New template for reviews");
    s.click_button("Discard changes").await?;
    assert_eq!(s.value("#template-name").await?, "New template");
    s.finish().await
}
