//! A postmortem as a document: Published and Closed postmortems open in the read view,
//! which, the print view and the Markdown export all show the same sections in the
//! template's order and under its names.

use crate::support::*;

/// The second-level headings of the page, in order.
async fn headings(s: &Session) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let v = s
        .js("return Array.from(document.querySelectorAll('.read-view h2')).map(h => h.textContent.trim());", vec![])
        .await?;
    Ok(v.as_array().map(|a| a.iter().filter_map(|h| h.as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_postmortem_reads_as_a_document_in_its_templates_order_everywhere() -> TestResult {
    let s = session().await?;
    let editor = open_sample(&s).await?;
    s.find("#pm-status").await?.select_by_value("closed").await?;
    s.wait_saved().await?;
    capture_downloads(&s).await?;
    s.click_css(".export-menu summary").await?;
    s.click_button("Download Markdown").await?;
    let (_, markdown) = last_download(&s).await?;
    let exported: Vec<String> =
        markdown.lines().filter_map(|l| l.strip_prefix("## ")).map(|h| h.replace('\\', "")).collect();

    // From the library, a closed postmortem opens as a document.
    s.open("/").await?;
    let id = editor.rsplit('/').next().unwrap_or_default().to_owned();
    s.click_css(&format!("a[href$='/postmortems/{id}/read']")).await?;
    s.find(".read-view h1").await?;
    assert!(s.client.current_url().await?.as_str().ends_with("/read"));
    let read = headings(&s).await?;
    assert_eq!(read, exported, "the read view and the Markdown have the same sections in the same order");
    // The SRE book template's own order and words, key times after its summary.
    let order = [
        "Summary",
        "Key times",
        "Impact",
        "Contributing factors",
        "Trigger",
        "Resolution",
        "Detection",
        "Action items",
    ];
    assert_eq!(&read[..order.len()], order);
    assert!(!read.iter().any(|h| h == "Root causes" || h == "Factors"), "one name for contributing factors");
    let page = s.page_text().await?;
    assert!(page.contains("T+0 min"), "the timeline shows times since impact started");
    s.open(&format!("{editor}/print")).await?;
    assert_eq!(headings(&s).await?, read, "the print view is the read view");

    // Edit is one click away, and the editor links back.
    s.click_css("#edit-postmortem").await?;
    s.find("#pm-title").await?;
    assert!(s.client.current_url().await?.as_str().ends_with(&editor));
    s.click_css("#read-view").await?;
    s.find(".read-view h1").await?;
    s.finish().await
}
