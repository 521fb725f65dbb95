//! The library: moving postmortems to the trash and back, full-text search that follows
//! edits, and addresses that lead nowhere.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn deleting_moves_to_trash_and_restore_brings_it_back() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Keep me").await?;
    s.create_postmortem("Trash me").await?;
    s.open("/").await?;
    s.find("button[aria-label='Move to trash: “Trash me”']").await?.click().await?;
    s.wait_for_text("trash notice", |t| t.contains("“Trash me” moved to the trash.")).await?;
    let table = s.find(".library-table").await?.text().await?;
    assert!(!table.contains("Trash me") && table.contains("Keep me"), "{table}");
    // Focus goes to the notice's Undo, not to the page's start; the notice is said in a
    // live region that was on the page before it.
    wait_for_focus(&s, "Undo", |f| f.starts_with("button#undo-trash Undo")).await?;
    let region = s
        .js("return document.querySelector('#undo-trash').closest('.notice-slot[role=status]') !== null;", vec![])
        .await?;
    assert_eq!(region, json!(true));

    // Undo puts it straight back, and focus on its row's button.
    press(&s, &key(fantoccini::key::Key::Enter)).await?;
    s.wait_for_text("undo", |t| !t.contains("moved to the trash")).await?;
    assert!(s.find(".library-table").await?.text().await?.contains("Trash me"));
    wait_for_focus(&s, "the row's button", |f| f.starts_with("button#trash-") && f.ends_with("Move to trash")).await?;

    // Trash it again, then restore from the trash page after a reload.
    s.find("button[aria-label='Move to trash: “Trash me”']").await?.click().await?;
    s.open("/trash").await?;
    s.wait_for_text("trash list", |t| t.contains("Trash me") && !t.contains("Keep me")).await?;
    s.client.refresh().await?;
    s.find("button[aria-label='Restore “Trash me”']").await?.click().await?;
    s.wait_for_text("restored", |t| t.contains("“Trash me” is back in the library.")).await?;
    assert!(s.page_text().await?.contains("The trash is empty"));
    // With nothing left to restore, focus is on what was said.
    wait_for_focus(&s, "what was said", |f| f.starts_with("div#trash-said")).await?;
    s.open("/").await?;
    assert!(s.find(".library-table").await?.text().await?.contains("Trash me"));

    // Delete for good asks first, then removes it from storage.
    s.find("button[aria-label='Move to trash: “Trash me”']").await?.click().await?;
    s.open("/trash").await?;
    s.find("button[aria-label='Delete for good… “Trash me”']").await?.click().await?;
    s.click_button("Delete").await?;
    s.wait_for_text("deleted", |t| t.contains("was deleted for good")).await?;
    let keys =
        s.js("return Object.keys(localStorage).filter(k => k.startsWith('debrief.pm.')).length;", vec![]).await?;
    assert_eq!(keys, json!(1));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn search_finds_words_anywhere_in_a_postmortem_and_follows_edits() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    s.click_button("Open a sample postmortem").await?;
    s.find("#pm-title").await?;
    let sample = s.client.current_url().await?.path().trim_start_matches("/postmortems/").to_owned();
    // Stored in the compact form, which reads back as the envelope.
    let raw = s.js("return localStorage.getItem(arguments[0]);", vec![json!(format!("debrief.pm.{sample}"))]).await?;
    assert!(raw.as_str().is_some_and(|t| t.starts_with("Dz1")), "{raw}");
    assert!(
        s.storage_item(&format!("debrief.pm.{sample}"))
            .await?
            .unwrap_or_default()
            .starts_with("{\"format\":\"debrief\"")
    );
    let other = s.create_postmortem("Resolver outage in the office network").await?;

    s.open("/").await?;
    s.wait_for_text("the full text read", |t| t.contains("Finds words anywhere in a postmortem")).await?;
    let count = || async { Ok::<_, Box<dyn std::error::Error>>(s.find(".result-count").await?.text().await?) };
    let titles = || async {
        let mut out = Vec::new();
        for cell in s.all(".title-cell a").await? {
            out.push(cell.text().await?);
        }
        Ok::<_, Box<dyn std::error::Error>>(out)
    };
    // A word only the sample's timeline holds.
    s.type_into("#library-search", "terraform").await?;
    s.wait_for_text("one match", |t| t.contains("1 of 2 postmortems")).await?;
    assert_eq!(titles().await?, ["Card payments timed out after the payment gateway moved to a new load balancer"]);
    // Part of a word, in any case, and every word must match.
    s.set_value("#library-search", "RESOLV").await?;
    s.wait_for_text("two matches", |t| t.contains("2 postmortems") && !t.contains(" of 2")).await?;
    s.set_value("#library-search", "resolv terraform").await?;
    s.wait_for_text("one match", |t| t.contains("1 of 2 postmortems")).await?;
    s.set_value("#library-search", "zebra").await?;
    s.wait_for_text("no match", |t| t.contains("No postmortem matches “zebra”.")).await?;
    assert_eq!(count().await?, "0 of 2 postmortems");

    // A saved edit is found at once.
    s.open(&other).await?;
    s.type_into("#pm-summary", "A zebra crossing sign blocked the cable tray.").await?;
    s.wait_saved().await?;
    s.open("/").await?;
    s.type_into("#library-search", "zebra").await?;
    s.wait_for_text("the edit found", |t| t.contains("1 of 2 postmortems")).await?;
    assert_eq!(titles().await?, ["Resolver outage in the office network"]);
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_addresses_explain_themselves() -> TestResult {
    let s = session().await?;
    s.open("/no/such/page").await?;
    assert!(s.page_text().await?.contains("Page not found"));
    s.open("/postmortems/not-an-id").await?;
    assert!(s.page_text().await?.contains("Postmortem not found"));
    s.open("/postmortems/0b3c7a1e-1111-4222-8333-944455556666").await?;
    assert!(s.page_text().await?.contains("Postmortem not found"));
    s.finish().await
}
