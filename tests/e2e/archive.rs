//! The library as an archive: sorted by any column, filtered by severity, status,
//! service, tag and incident dates.

use crate::support::*;

async fn titles(s: &Session) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    for cell in s.all(".library-table tbody .title-cell a").await? {
        out.push(cell.text().await?);
    }
    Ok(out)
}

/// Waits until the list shows exactly `expected`, in order.
async fn wait_for_titles(s: &Session, expected: &[&str]) -> TestResult {
    for _ in 0..100 {
        if titles(s).await? == expected {
            return Ok(());
        }
        s.settle().await?;
    }
    Err(format!("the list never showed {expected:?}: {:?}", titles(s).await?).into())
}

async fn postmortem(s: &Session, title: &str, severity: &str, started: &str, service: &str, tag: &str) -> TestResult {
    s.create_postmortem(title).await?;
    s.find("#pm-severity").await?.select_by_value(severity).await?;
    s.set_value("#pm-time-impact-started", started).await?;
    s.type_into("#pm-services", &format!("{service}\n")).await?;
    s.type_into("#pm-tags", &format!("{tag}\n")).await?;
    s.wait_saved().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_library_sorts_by_any_column_and_filters_like_an_archive() -> TestResult {
    let s = session().await?;
    postmortem(&s, "Bravo DNS outage", "2", "2026-02-10T09:00", "dns", "network").await?;
    postmortem(&s, "Alpha checkout errors", "1", "2026-05-03T14:00", "checkout", "payments").await?;
    postmortem(&s, "Charlie queue backlog", "3", "2025-11-20T22:00", "queue", "network").await?;
    s.open("/").await?;
    // Newest incident first, then any column either way.
    wait_for_titles(&s, &["Alpha checkout errors", "Bravo DNS outage", "Charlie queue backlog"]).await?;
    s.click_css("#sort-title").await?;
    wait_for_titles(&s, &["Alpha checkout errors", "Bravo DNS outage", "Charlie queue backlog"]).await?;
    s.click_css("#sort-title").await?;
    wait_for_titles(&s, &["Charlie queue backlog", "Bravo DNS outage", "Alpha checkout errors"]).await?;
    assert_eq!(
        s.find("th[aria-sort=descending] #sort-title").await?.text().await?.trim_end_matches(['▲', '▼']),
        "Title"
    );
    s.click_css("#sort-severity").await?;
    wait_for_titles(&s, &["Alpha checkout errors", "Bravo DNS outage", "Charlie queue backlog"]).await?;
    s.click_css("#sort-incident").await?;
    wait_for_titles(&s, &["Alpha checkout errors", "Bravo DNS outage", "Charlie queue backlog"]).await?;
    s.click_css("#sort-incident").await?;
    wait_for_titles(&s, &["Charlie queue backlog", "Bravo DNS outage", "Alpha checkout errors"]).await?;

    // Filters combine, and say so when nothing matches.
    s.find("#filter-tag").await?.select_by_value("network").await?;
    wait_for_titles(&s, &["Charlie queue backlog", "Bravo DNS outage"]).await?;
    s.set_value("#filter-from", "2026-01-01").await?;
    wait_for_titles(&s, &["Bravo DNS outage"]).await?;
    s.find("#filter-severity").await?.select_by_value("1").await?;
    s.wait_for_text("nothing matches", |t| t.contains("No postmortem matches these filters.")).await?;
    s.click_button("Clear search and filters").await?;
    wait_for_titles(&s, &["Charlie queue backlog", "Bravo DNS outage", "Alpha checkout errors"]).await?;
    s.find("#filter-service").await?.select_by_value("checkout").await?;
    wait_for_titles(&s, &["Alpha checkout errors"]).await?;
    s.find("#filter-status").await?.select_by_value("closed").await?;
    wait_for_titles(&s, &[]).await?;
    s.click_button("Clear filters").await?;
    wait_for_titles(&s, &["Charlie queue backlog", "Bravo DNS outage", "Alpha checkout errors"]).await?;

    // Dates never break across lines.
    let wraps = s
        .js("return Array.from(document.querySelectorAll('.library-table .date-cell')).some(c => c.getClientRects().length > 1 || getComputedStyle(c).whiteSpace !== 'nowrap');", vec![])
        .await?;
    assert_eq!(wraps, json!(false));
    s.finish().await
}
