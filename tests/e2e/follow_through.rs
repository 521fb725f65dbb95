//! Follow-through: the action plan across postmortems and the learning metrics.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn overdue_items_are_flagged_filtered_and_changed_in_place() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Follow-through test").await?;
    // In review: from now on, changes to the plan are kept in each item's history.
    s.find("#pm-status").await?.select_by_value("in-review").await?;
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "Add a pool size check to CI").await?;
    s.set_value("[id^=action-due-]", "2020-01-15").await?;
    s.click_button("Add action item").await?;
    s.type_into(".action-row:last-child textarea[id^=action-text-]", "Document the failover runbook").await?;
    s.set_value(".action-row:last-child [id^=action-due-]", "2099-01-01").await?;
    s.wait_saved().await?;

    // Opening the app says something is overdue and leads to it.
    s.open("/").await?;
    s.wait_for_text("overdue notice", |t| t.contains("1 action item is overdue.")).await?;
    s.click_css(".overdue-notice a").await?;
    s.wait_for_text("filtered list", |t| t.contains("1 of 2 action items")).await?;
    let table = s.find(".actions-table").await?.text().await?;
    assert!(table.contains("Add a pool size check to CI") && table.contains("Overdue"), "{table}");
    assert!(!table.contains("Document the failover runbook"), "{table}");

    // Filters live in the address and survive a reload.
    s.client.refresh().await?;
    s.wait_for_text("filter kept", |t| t.contains("1 of 2 action items")).await?;
    assert!(s.client.current_url().await?.as_str().ends_with("/actions?overdue=1"));

    // Marking it done in place takes it off the overdue list and is kept in its history.
    s.find("select[aria-label='Status of “Add a pool size check to CI”']").await?.select_by_value("done").await?;
    s.wait_for_text("no longer overdue", |t| t.contains("0 of 2 action items")).await?;
    s.click_css(".filters input[type=checkbox]").await?;
    s.wait_for_text("all items", |t| t.contains("2 of 2 action items")).await?;
    // Done today, so due for its "did it work?" review once the chosen delay is 0 days.
    s.set_value("#filter-days", "0").await?;
    s.click_css(".filters .checkbox:nth-of-type(2) input").await?;
    s.wait_for_text("review due", |t| t.contains("1 of 2 action items") && t.contains("Review due")).await?;
    assert!(s.client.current_url().await?.as_str().contains("days=0"));
    s.open(&path).await?;
    let statuses = s.values("select[id^=action-status-]").await?;
    assert!(statuses.contains(&"done".to_owned()), "{statuses:?}");
    let history = s.find(".history").await?.text().await?;
    assert!(history.contains("History (2)"), "{history}");
    s.click_css(".history summary").await?;
    let history = s.find(".history").await?.text().await?;
    assert!(history.contains("Status: Open → Done") && history.contains("Due date: — → 2020-01-15"), "{history}");
    s.open("/").await?;
    assert!(!s.page_text().await?.contains("overdue."));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_show_medians_counts_and_csv_for_a_known_library() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    let incident = |n: u32, start: &str, detected: Option<&str>, severity: u8| {
        json!({
            "id": format!("00000000-0000-4000-8000-00000000000{n}"),
            "created_at": "2026-04-01T00:00:00Z", "updated_at": "2026-04-01T00:00:00Z",
            "title": format!("Incident {n}"), "status": "published", "severity": severity,
            "key_times": {"offset": 0, "impact_started": start, "detected": detected},
            "tags": ["dns"]
        })
    };
    let library = json!({
        "format": "debrief", "version": 1, "app_version": "0.1.0",
        "postmortems": [
            incident(1, "2026-01-10T10:00:00", Some("2026-01-10T10:10:00"), 1),
            incident(2, "2026-03-05T08:00:00", Some("2026-03-05T08:20:00"), 2),
            incident(3, "2026-03-20T22:00:00", None, 2)
        ]
    });
    import_file(&s, "known.json", &library.to_string()).await?;
    s.click_button("Import 3 postmortems").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 3 added")).await?;

    s.open("/metrics").await?;
    s.wait_for_text("metrics", |t| t.contains("Incidents per month, by severity")).await?;
    assert_eq!(s.find("[data-testid=incident-count]").await?.text().await?, "3");
    assert_eq!(s.find("[data-testid=median-detect]").await?.text().await?, "15 min");
    let durations = s.find("[data-testid=durations-table]").await?.text().await?;
    assert!(durations.contains("1 missing a time"), "{durations}");
    assert!(s.page_text().await?.contains("dns"), "repeats list the shared tag");

    capture_downloads(&s).await?;
    s.click_button("Download CSV").await?;
    let (name, text) = last_download(&s).await?;
    assert_eq!(name, "debrief-incidents-per-month.csv");
    assert_eq!(
        text,
        "month,SEV1,SEV2,SEV3,SEV4,no severity,total\r\n2026-01,1,0,0,0,0,1\r\n2026-02,0,0,0,0,0,0\r\n2026-03,0,2,0,0,0,2\r\n"
    );

    // A period filter lives in the address and narrows the numbers.
    s.set_value("#metrics-from", "2026-03-01").await?;
    s.wait_for_text("filtered", |t| t.contains("of 0 action items done")).await?;
    assert_eq!(s.find("[data-testid=incident-count]").await?.text().await?, "2");
    assert!(s.client.current_url().await?.as_str().ends_with("/metrics?from=2026-03-01"));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn long_action_plans_are_shown_a_page_at_a_time() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    let items: Vec<Value> = (0..120)
        .map(|i| {
            json!({"id": format!("10000000-0000-4000-8000-{i:012}"), "description": format!("Item {i}"), "kind": "prevent",
                   "priority": "p2", "owner": "Platform", "due": null, "status": "open", "tracking": null, "verdict": null})
        })
        .collect();
    let library = json!({"format": "debrief", "version": 1, "app_version": "0.1.0", "postmortems": [{
        "id": "20000000-0000-4000-8000-000000000001", "created_at": "2026-04-01T00:00:00Z", "updated_at": "2026-04-01T00:00:00Z",
        "title": "Many items", "status": "draft", "action_items": items }]});
    import_file(&s, "many.json", &library.to_string()).await?;
    s.click_button("Import 1 postmortem").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 1 added")).await?;
    s.open("/actions").await?;
    s.wait_for_text("first page", |t| t.contains("120 of 120 action items") && t.contains("Showing 100 of 120."))
        .await?;
    assert_eq!(s.all(".actions-table tbody tr").await?.len(), 100);
    s.click_button("Show 100 more").await?;
    s.wait_for_text("all shown", |t| !t.contains("Showing 100 of 120.")).await?;
    assert_eq!(s.all(".actions-table tbody tr").await?.len(), 120);
    s.finish().await
}
