//! The learning report: a generated library of two quarters is imported, and the report
//! for the second shows the figures against the first, the themes, lessons, successes and
//! risks, with names replaced by roles; the same as Markdown, and on paper without controls.

use crate::support::*;

fn uuid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// An incident that started on `day` at 10:00 UTC and was resolved `minutes` later.
fn incident(n: u32, day: &str, minutes: u32, extra: Value) -> Value {
    let end = 10 * 60 + minutes;
    let mut pm = json!({
        "id": uuid(n), "created_at": format!("{day}T12:00:00Z"), "title": format!("Incident {n}"),
        "status": "published", "severity": 2,
        "key_times": {
            "time_zone": "UTC",
            "impact_started": format!("{day}T10:00:00Z"),
            "detected": format!("{day}T10:00:00Z"),
            "mitigated": format!("{day}T10:00:00Z"),
            "resolved": format!("{day}T{:02}:{:02}:00Z", end / 60, end % 60)
        }
    });
    if let (Some(pm), Some(extra)) = (pm.as_object_mut(), extra.as_object()) {
        pm.extend(extra.clone());
    }
    pm
}

fn factor(n: u32, category: &str) -> Value {
    json!({"id": uuid(n), "description": format!("factor {n}"), "category": category})
}

fn action(n: u32, text: &str, status: &str, due: Option<&str>, done: Option<&str>, verdict: Option<&str>) -> Value {
    json!({"id": uuid(n), "description": text, "kind": "prevent", "priority": "p2", "owner": "Platform team",
           "due": due, "status": status, "tracking": null, "verdict": verdict, "done_on": done})
}

fn library() -> Value {
    json!({
        "format": "debrief", "version": 4, "app_version": "0.1.0",
        "postmortems": [
            // Q1 2026: resolved in 60, 90 and 120 minutes (median 1 h 30 min).
            incident(1, "2026-01-10", 60, json!({"factors": [factor(101, "change")], "services": ["checkout"]})),
            incident(2, "2026-02-10", 90, json!({})),
            incident(3, "2026-03-10", 120, json!({})),
            // Q2 2026: 30, 45, 60 and 300 minutes (median 52.5 → 53 min).
            incident(4, "2026-04-10", 30, json!({
                "title": "Checkout errors after a pool change",
                "circulated_at": "2026-04-14T09:00:00Z",
                "summary": "A third of checkouts failed for half an hour.",
                "participants": [{"id": uuid(401), "name": "Ana Lima", "role": "Incident commander"}],
                "factors": [factor(402, "change"), factor(403, "monitoring")],
                "services": ["checkout"],
                "lessons": {"went_well": [{"id": uuid(404), "text": "Ana Lima spotted the graph early"}]},
                "action_items": [
                    action(405, "Guard rail for pool size", "done", Some("2026-05-01"), Some("2026-05-02"), Some("worked")),
                    action(406, "Alert on pool saturation", "open", Some("2026-05-01"), None, None),
                    action(407, "Weekly tuning review", "dropped", None, None, None),
                    action(408, "Runbook for pool changes", "done", Some("2026-05-01"), Some("2026-05-02"), None)
                ]
            })),
            incident(5, "2026-05-10", 45, json!({"factors": [factor(501, "change")], "services": ["Checkout"], "circulated_at": "2026-05-25T09:00:00Z"})),
            incident(6, "2026-06-10", 60, json!({"lessons": {"got_lucky": [{"id": uuid(601), "text": "It happened before the evening peak"}]}})),
            incident(7, "2026-06-20", 300, json!({}))
        ]
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_learning_report_compares_the_quarter_and_reads_the_same_on_paper_and_in_markdown() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    import_file(&s, "two-quarters.json", &library().to_string()).await?;
    s.click_button("Import 7 postmortems").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 7 added")).await?;

    // On opening, the app says a done item awaits its review, which is recorded from the
    // action items page.
    s.wait_for_text("the review notice", |t| t.contains("1 done action item awaits its “did it work?” review."))
        .await?;
    s.click_css(".review-notice a").await?;
    s.wait_for_text("the item", |t| t.contains("Runbook for pool changes")).await?;
    s.find("select[aria-label='Did “Runbook for pool changes” work?']").await?.select_by_value("partly").await?;
    s.wait_for_text("no review due", |t| !t.contains("awaits its")).await?;

    // The practice: Friday 10 April to Tuesday 14 April is 2 working days; Sunday 10 May
    // to Monday 25 May is 11. The target is the team's, kept in this browser.
    s.open("/metrics").await?;
    s.wait_for_text("the practice", |t| t.contains("The postmortem practice")).await?;
    let publish = s.find("#practice-publish").await?.text().await?;
    assert!(
        publish.starts_with(
            "1 of 2 published within 5 working days of being resolved (50%); median 6.5 working days, longest 11."
        ) && publish.contains("5 published with no recorded publication day, left out."),
        "{publish}"
    );
    s.set_value("#publish-target", "15").await?;
    s.wait_for_text("the new target", |t| t.contains("2 of 2 published within 15 working days")).await?;
    assert_eq!(s.storage_item("debrief.publish-target").await?.as_deref(), Some("15"));

    // Trends: the latest quarter against the one before, and each quarter's spread.
    let sentences = s.find("[data-testid=trend-sentences]").await?.text().await?;
    assert!(
        sentences.contains("Median time to resolve 53 min, down 42% from the previous quarter (1 h 30 min)."),
        "{sentences}"
    );
    let q1 = s.find("[data-testid=trends-table] tbody tr").await?.text().await?;
    assert!(q1.starts_with("Q1 2026 3 ") && q1.contains("1 h 30 min (1 h"), "{q1}");

    // Themes of the latest quarter, each with the postmortems behind it.
    let themes = s.find("#themes").await?.text().await?;
    assert!(themes.contains("What the postmortems of Q2 2026 share"), "{themes}");
    let first = s.find("#themes tbody tr").await?.text().await?;
    assert!(first.starts_with("Change or deployment 2 1 "), "{first}");
    let links =
        s.js("return document.querySelector('#themes table tbody tr').querySelectorAll('a').length;", vec![]).await?;
    assert_eq!(links, json!(2), "links to the two postmortems");

    // Did the fixes work: checkout came back once after its first fix (2 May), and the
    // verdicts of its fixes are the one given above and the one in the file.
    let repeats = s.find("[data-testid=fixes-repeats]").await?.text().await?.to_lowercase();
    assert!(
        repeats.contains("service: checkout 3 2026-05-02 2 1 1 worked, 1 partly, 0 did not, 0 not known yet"),
        "{repeats}"
    );
    let owners = s.find("[data-testid=fixes-owners]").await?.text().await?;
    assert!(owners.contains("Platform team 2 1 1 75%"), "{owners}");

    // Themes month by month over the year to the quarter's end, each table with its CSV.
    let trend = s.find("[data-testid=theme-trend-categories]").await?.text().await?;
    assert!(trend.starts_with("Month Change or deployment Monitoring and alerting"), "{trend}");
    assert!(trend.contains("2026-04 1 1") && trend.contains("2025-07 0 0"), "{trend}");
    let services = s.find("[data-testid=theme-trend-services]").await?.text().await?;
    assert!(services.starts_with("Month Checkout") && services.contains("2026-01 1"), "{services}");
    capture_downloads(&s).await?;
    s.click_css("#themes .table-head button").await?;
    let (name, text) = last_download(&s).await?;
    assert_eq!(name, "debrief-factor-categories-by-month.csv");
    assert!(text.starts_with("month,Change or deployment,Monitoring and alerting\r\n2025-07,0,0\r\n"), "{text}");
    assert!(text.ends_with("2026-04,1,1\r\n2026-05,1,0\r\n2026-06,0,0\r\n") && text.lines().count() == 13, "{text}");
    s.click_css("#trends .card-head button").await?;
    let (name, text) = last_download(&s).await?;
    assert_eq!(name, "debrief-trends-by-quarter.csv");
    assert!(text.contains("\r\nQ1 2026,3,0,0,0,0,0,0,90,60,120\r\n"), "{text}");
    let buttons = s.all("#fixes .table-head button").await?;
    buttons[3].click().await?;
    let (name, text) = last_download(&s).await?;
    assert_eq!(name, "debrief-completion-by-owner-and-priority.csv");
    assert!(text.contains("\r\nowner,Platform team,2,1,1,75\r\n"), "{text}");

    // From the metrics page, the report opens on the newest quarter.
    s.click_css("#open-report").await?;
    s.wait_for_text("the report", |t| t.contains("Learning report: Q2 2026")).await?;
    assert_eq!(s.value("#report-quarter").await?, "2026-04-01");
    let incidents = s.find("#report-incidents").await?.text().await?;
    assert_eq!(incidents, "4 incidents: 0 SEV1, 4 SEV2, 0 SEV3, 0 SEV4.");
    let page = s.page_text().await?;
    for sentence in [
        "Incidents 4, up 33% from the previous quarter (3).",
        "Median time to resolve 53 min, down 42% from the previous quarter (1 h 30 min).",
    ] {
        assert!(page.contains(sentence), "{sentence} in\n{page}");
    }
    let categories = s.find("#report-categories").await?.text().await?;
    assert!(categories.contains("Change or deployment"), "{categories}");
    let first_row = s.find("#report-categories tbody tr").await?.text().await?;
    assert!(first_row.starts_with("Change or deployment") && first_row.contains("Incident 5"), "{first_row}");
    // Names are replaced with roles by default; lessons, successes and risks are gathered.
    assert!(!page.contains("Ana Lima"), "{page}");
    assert!(page.contains("The incident commander spotted the graph early"), "{page}");
    assert!(
        page.contains("Successes: completed and judged to have worked (1)")
            && page.contains("Guard rail for pool size")
    );
    assert!(page.contains("Overdue (1)") && page.contains("Alert on pool saturation"));
    assert!(page.contains("Dropped (1)") && page.contains("Weekly tuning review"));

    // The postmortem of the period, then the same report as Markdown.
    s.find("#report-pick").await?.select_by_value(&uuid(4)).await?;
    s.wait_for_text("the chosen one", |t| t.contains("Postmortem of the period: Checkout errors after a pool change"))
        .await?;
    capture_downloads(&s).await?;
    s.click_css("#report-markdown").await?;
    let (name, markdown) = last_download(&s).await?;
    assert_eq!(name, "learning-report-2026-04-01-to-2026-06-30.md");
    assert!(markdown.starts_with("# Learning report: Q2 2026\n"), "{markdown}");
    assert!(markdown.contains("| Median time to resolve | 53 min | 1 h 30 min | down 42% |"), "{markdown}");
    assert!(markdown.contains("## Postmortem of the period: Checkout errors after a pool change"), "{markdown}");
    assert!(markdown.contains("A third of checkouts failed for half an hour."), "{markdown}");
    assert!(!markdown.contains("Ana Lima"), "{markdown}");

    // Names kept when asked, and the choice lives in the address.
    s.click_css("#report-roles").await?;
    s.wait_for_text("names kept", |t| t.contains("Ana Lima spotted the graph early")).await?;
    assert!(s.client.current_url().await?.as_str().contains("names=kept"));

    // Too little to compare is said in words: the first quarter has nothing before it.
    s.find("#report-quarter").await?.select_by_value("2026-01-01").await?;
    s.wait_for_text("Q1", |t| t.contains("Learning report: Q1 2026")).await?;
    assert!(s.page_text().await?.contains(
        "Median time to resolve 1 h 30 min. Too few incidents to compare with the previous quarter (3 this period, 0 before; at least 3 in each are needed)."
    ));

    // The editor lists the postmortems that share a category or a service, on demand.
    s.open(&format!("/postmortems/{}", uuid(5))).await?;
    s.click_css("#similar summary").await?;
    s.wait_for_text("similar incidents", |t| t.contains("— shares")).await?;
    let similar = s.all(".similar-list li").await?;
    assert_eq!(similar.len(), 2, "Incidents 4 and 1 share with 5; the rest share nothing");
    assert_eq!(similar[0].text().await?, "Checkout errors after a pool change — shares Change or deployment, checkout");
    assert_eq!(similar[1].text().await?, "Incident 1 — shares Change or deployment, checkout");

    // On paper: the report, not the controls.
    s.open("/report?from=2026-01-01&to=2026-03-31").await?;
    s.wait_for_text("Q1", |t| t.contains("Learning report: Q1 2026")).await?;
    s.client.issue_cmd(DevTools("Emulation.setEmulatedMedia", json!({ "media": "print" }))).await?;
    let shown = s
        .js(
            "return [...document.querySelectorAll('button, input, select, header, footer')].filter((e) => e.getClientRects().length > 0).length;",
            vec![],
        )
        .await?;
    assert_eq!(shown, json!(0), "no controls on the printed report");
    assert!(s.find("#learning-report").await?.is_displayed().await?);
    s.client.issue_cmd(DevTools("Emulation.setEmulatedMedia", json!({ "media": "" }))).await?;
    s.finish().await
}

/// A library of 30 incidents in 2025, each leaving an action item open two weeks after it,
/// one with an item done in the second quarter of 2026, and one incident in that quarter.
fn years_of_open_items() -> Value {
    let mut postmortems: Vec<Value> = (0..30u32)
        .map(|n| {
            let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
                + chrono::Duration::days(7 * i64::from(n));
            let due = (day + chrono::Duration::days(14)).to_string();
            let mut items = vec![action(1000 + n, &format!("Open item {n}"), "open", Some(&due), None, None)];
            if n == 3 {
                items.push(action(
                    2000,
                    "Finally done",
                    "done",
                    Some("2025-03-01"),
                    Some("2026-05-03"),
                    Some("worked"),
                ));
            }
            incident(100 + n, &day.to_string(), 30, json!({"action_items": items}))
        })
        .collect();
    postmortems.push(incident(200, "2026-04-20", 30, json!({})));
    json!({"format": "debrief", "version": 4, "app_version": "0.1.0", "postmortems": postmortems})
}

#[tokio::test(flavor = "multi_thread")]
async fn the_report_lists_the_longest_overdue_items_and_counts_the_rest() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    import_file(&s, "open-items.json", &years_of_open_items().to_string()).await?;
    s.click_button("Import 31 postmortems").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 31 added")).await?;

    s.open("/report").await?;
    s.wait_for_text("the report", |t| t.contains("Learning report: Q2 2026")).await?;
    let page = s.page_text().await?;
    assert!(page.contains("Overdue (30)"), "{page}");
    // An item of a 2025 postmortem done in this quarter is among its completed items.
    assert!(page.contains("Completed this period (1)") && page.contains("Finally done"), "{page}");
    let listed = s.all("#learning-report li").await?;
    let mut overdue = Vec::new();
    for li in listed {
        let text = li.text().await?;
        if text.starts_with("Open item") {
            overdue.push(text);
        }
    }
    assert_eq!(overdue.len(), 25, "{overdue:?}");
    assert_eq!(overdue[0], "Open item 0 (Incident 100, due 2025-01-15)");
    assert_eq!(overdue[24], "Open item 24 (Incident 124, due 2025-07-02)");
    let more = s.find("#report-overdue-more").await?.text().await?;
    assert!(
        more.starts_with(
            "And 5 more (30 overdue in 30 postmortems in all): the action items page lists every item overdue today."
        ),
        "{more}"
    );

    capture_downloads(&s).await?;
    s.click_css("#report-markdown").await?;
    let (_, markdown) = last_download(&s).await?;
    assert!(markdown.contains("### Overdue (30)\n\n- Open item 0 (Incident 100, due 2025-01-15)\n"), "{markdown}");
    assert!(markdown.contains("And 5 more (30 overdue in 30 postmortems in all)"), "{markdown}");

    // Every one of them is on the action items page.
    s.click_css("#report-all-overdue").await?;
    s.wait_for_text("the overdue items", |t| t.contains("Open item 29")).await?;
    assert!(s.client.current_url().await?.as_str().ends_with("/actions?overdue=1"));
    assert_eq!(s.all("tr.overdue").await?.len(), 30);
    s.finish().await
}
