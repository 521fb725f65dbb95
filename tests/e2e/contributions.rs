//! Anonymous contributions: invitations by link and file, answers as files and codes,
//! sealed contributions, and damaged links.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn contributions_travel_by_link_file_and_code_and_leave_nothing_behind() -> TestResult {
    let server = start_server_at(dist_dir(), "");
    let facilitator = session_with(server.clone(), &[], &[]).await?;
    let pm_path = facilitator.create_postmortem("Checkout errors after the failover").await?;
    let link = create_invitation(&facilitator, "Between 14:02 and 14:40 a third of checkouts failed.", false).await?;
    assert!(link.starts_with(&format!("{server}/#invitation=")), "{link}");
    capture_downloads(&facilitator).await?;
    facilitator.click_button("Download invitation file").await?;
    let (invitation_name, invitation_file) = last_download(&facilitator).await?;
    assert_eq!(invitation_name, "checkout-errors-after-the-failover.debrief-invitation.json");

    // A contributor in Kiritimati with a French browser opens the link.
    let paris = session_with(server.clone(), &[("TZ", "Pacific/Kiritimati")], &["--lang=fr-FR"]).await?;
    open_link(&paris, &link).await?;
    let page = paris.page_text().await?;
    assert!(page.contains("Checkout errors after the failover") && page.contains("a third of checkouts failed"));
    // The contributor's page is its own part of the app: the library's code, the editor's
    // and the other pages' are never fetched.
    let fetched =
        paris.js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname);", vec![]).await?;
    let fetched: Vec<String> = serde_json::from_value(fetched)?;
    assert!(fetched.iter().any(|f| f.starts_with("/split_contribute-")), "{fetched:?}");
    assert!(
        !fetched
            .iter()
            .any(|f| ["/split_library-", "/split_postmortem-", "/split_pages-"].iter().any(|p| f.starts_with(p))),
        "{fetched:?}"
    );
    // Its files start downloading while the page is parsed, beside the start-up module's.
    let preloaded = paris
        .js("return [...document.querySelectorAll('link[rel=preload]')].map(l => new URL(l.href).pathname);", vec![])
        .await?;
    let preloaded: Vec<String> = serde_json::from_value(preloaded)?;
    assert!(preloaded.iter().any(|f| f.starts_with("/split_contribute-")), "{preloaded:?}");
    assert!(!preloaded.iter().any(|f| f.starts_with("/split_library-")), "{preloaded:?}");
    assert!(page.contains("What cannot be hidden") && page.contains("not sealed"), "{page}");
    let same_words = "The error graph jumped at 14:05 and I paged the database team.";
    answer(&paris, &[(1, same_words)]).await?;
    paris.client.refresh().await?;
    paris.wait_for_text("the kept draft", |t| t.contains("were kept from before the reload")).await?;
    assert_eq!(paris.value("#contribute-q1").await?, same_words);
    answer(&paris, &[(3, "The replica lag alert had been silenced for weeks.")]).await?;
    let code_paris = finish_contribution(&paris).await?;
    capture_downloads(&paris).await?;
    paris.click_button("Download file").await?;
    let (file_name, file_paris) = last_download(&paris).await?;
    assert_eq!(file_name, "contribution.debrief.json");
    assert_eq!(browser_storage_keys(&paris).await?, json!([[], []]), "nothing stays in the contributor's browser");
    paris.click_button("I have sent it: wipe it from this page").await?;
    paris.wait_for_text("the wipe", |t| t.contains("Nothing is kept")).await?;
    // Nor did the page start the service worker, which would fetch every part in the
    // background (checked after the whole visit, so that a registration had time to land).
    let workers = paris
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.getRegistrations().then((r) => done(r.length), (e) => done(String(e)));",
            vec![],
        )
        .await?;
    assert_eq!(workers, json!(0));
    paris.finish().await?;

    // Another contributor, in Los Angeles with a Japanese browser, answers from the file.
    let la = session_with(server.clone(), &[("TZ", "America/Los_Angeles")], &["--lang=ja"]).await?;
    la.open("/").await?;
    let before = browser_storage_keys(&la).await?;
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(&invitation_name);
    std::fs::write(&path, &invitation_file)?;
    la.click_css(".answer-invitation-box summary").await?;
    la.type_into("#invitation-paste", "https://example.com/#main\n").await?;
    la.wait_for_text("the refusal", |t| t.contains("neither an invitation link nor the text of an invitation file"))
        .await?;
    la.find("#invitation-input").await?.send_keys(&path.to_string_lossy()).await?;
    la.wait_for_text("the contributor page", |t| t.contains("What stays anonymous")).await?;
    answer(&la, &[(1, same_words)]).await?;
    let code_la = finish_contribution(&la).await?;
    capture_downloads(&la).await?;
    la.click_button("Download file").await?;
    let (_, file_la) = last_download(&la).await?;
    assert_eq!(browser_storage_keys(&la).await?, before, "answering added nothing to the browser's storage");
    la.finish().await?;

    // Different clocks, zones and languages: the same words give files that differ only in id.
    let mut a: Value = serde_json::from_str(&file_paris)?;
    let mut b: Value = serde_json::from_str(&file_la)?;
    assert_ne!(a["id"], b["id"]);
    a["answers"] = json!([a["answers"][0].clone()]);
    for v in [&mut a, &mut b] {
        v["id"] = Value::Null;
    }
    assert_eq!(a, b);

    // The facilitator merges: good codes, a cut one, one for another invitation, and a file
    // that repeats a code already merged.
    let stranger =
        file_paris.replace(a["invitation"].as_str().unwrap_or_default(), "00000000-0000-4000-8000-000000000000");
    facilitator.open(&pm_path).await?;
    let cut = &code_la[..code_la.len() - 30];
    paste_codes(&facilitator, &format!("From the channel:\n{code_paris}\n\nand {cut}")).await?;
    merge_all(&facilitator).await?;
    let report = merge_report(&facilitator).await?;
    assert!(report.contains("1 of 2 merged"), "{report}");
    assert!(report.contains("code 2: not merged, because this code is incomplete"), "{report}");
    // Files and codes together: a file that repeats the code merged already, one for
    // another invitation, and the second contributor's code.
    pick_contribution_files(&facilitator, &[("contribution.debrief.json", &file_paris), ("other.json", &stranger)])
        .await?;
    facilitator.wait_for_text("the picked files", |t| t.contains("Merge 2 files")).await?;
    paste_codes(&facilitator, &code_la).await?;
    merge_all(&facilitator).await?;
    facilitator.wait_for_text("the mixed report", |t| t.contains("1 of 3 merged")).await?;
    let report = merge_report(&facilitator).await?;
    assert!(report.contains("contribution.debrief.json: not merged, because it is already merged"), "{report}");
    assert!(report.contains("other.json: not merged, because it answers a different invitation"), "{report}");
    assert!(report.contains("Pasted text: merged"), "{report}");
    let answers = facilitator.all(".contribution-answer .answer-text").await?;
    assert_eq!(answers.len(), 3, "two answers to question 1, one to question 3");
    let page = facilitator.page_text().await?;
    assert!(page.contains("The replica lag alert had been silenced for weeks."));
    assert!(!page.contains("Kiritimati") && !page.contains("fr-FR"));

    // One statement is promoted into the timeline, marked as anonymous.
    let promote = facilitator.all(".contribution-answer button").await?;
    facilitator.click(&promote[0]).await?;
    let statement = facilitator.find(".promote-form textarea").await?;
    statement.clear().await?;
    statement.send_keys("The error graph jumped at 14:05").await?;
    facilitator.click_css(".promote-form button.primary").await?;
    facilitator.wait_for_text("the promotion", |t| t.contains("Added to Timeline event")).await?;
    facilitator.wait_saved().await?;
    facilitator.client.refresh().await?;
    let event = facilitator.find(".event-line").await?;
    assert!(event.text().await?.contains("From an anonymous contribution"));
    assert_eq!(facilitator.value(".event-line textarea[id^=event-text-]").await?, "The error graph jumped at 14:05");
    facilitator.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn five_sealed_contributions_merge_in_content_order_and_their_key_is_backed_up() -> TestResult {
    let server = start_server_at(dist_dir(), "");
    let facilitator = session_with(server.clone(), &[], &[]).await?;
    let pm_path = facilitator.create_postmortem("Queue backlog on payday").await?;
    let link = create_invitation(&facilitator, "Payments queued for two hours on 25 April.", true).await?;
    facilitator.find(".badge.sealed").await?;

    let contributor = session_with(server.clone(), &[], &[]).await?;
    let mut codes = Vec::new();
    let mut files = Vec::new();
    for i in 1..=5 {
        open_link(&contributor, &link).await?;
        assert!(contributor.page_text().await?.contains("This invitation is sealed"));
        answer(&contributor, &[(1, &format!("Statement number {i}: the queue grew."))]).await?;
        let code = finish_contribution(&contributor).await?;
        if i <= 2 {
            capture_downloads(&contributor).await?;
            contributor.click_button("Download file").await?;
            let (_, file) = last_download(&contributor).await?;
            assert!(file.contains("\"sealed\"") && !file.contains("Statement number"), "{file}");
            files.push(file);
        } else {
            codes.push(code);
        }
        assert_eq!(browser_storage_keys(&contributor).await?, json!([[], []]));
    }
    contributor.finish().await?;

    facilitator.open(&pm_path).await?;
    pick_contribution_files(&facilitator, &[("one.json", &files[0]), ("two.json", &files[1])]).await?;
    facilitator.wait_for_text("the picked files", |t| t.contains("Merge 2 files")).await?;
    paste_codes(&facilitator, &codes.join("\n")).await?;
    merge_all(&facilitator).await?;
    facilitator.wait_for_text("the merge", |t| t.contains("5 of 5 merged")).await?;
    facilitator.wait_for_text("the count", |t| t.contains("5 contributions")).await?;
    facilitator.wait_saved().await?;

    // Stored and shown in content order: sorted by each contribution's content hash.
    let id = pm_path.rsplit('/').next().unwrap_or_default();
    let stored = facilitator.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default();
    let envelope = debrief::file_format::Envelope::parse(&stored)?;
    let contributions = &envelope.postmortems[0].invitations[0].contributions;
    assert_eq!(contributions.len(), 5);
    assert!(contributions.windows(2).all(|w| w[0].order_key() < w[1].order_key()));
    let shown: Vec<String> = {
        let mut out = Vec::new();
        for el in facilitator.all(".contribution-answer .answer-text").await? {
            out.push(el.text().await?);
        }
        out
    };
    let stored_order: Vec<String> = contributions.iter().map(|c| c.answers[0].text.clone()).collect();
    assert_eq!(shown, stored_order);

    // The key that opens them is in the full backup.
    facilitator.open("/").await?;
    capture_downloads(&facilitator).await?;
    facilitator.click_button("Back up everything").await?;
    let (_, backup) = last_download(&facilitator).await?;
    let backup: Value = serde_json::from_str(&backup)?;
    let invitation = envelope.postmortems[0].invitations[0].invitation.id.to_string();
    assert_eq!(backup["keys"][0]["invitation"], json!(invitation));
    facilitator.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_invitation_link_is_explained_and_opens_nothing() -> TestResult {
    let s = session().await?;
    s.client.goto(&format!("{}/#invitation=AAAA$$$", s.base)).await?;
    s.wait_for_text("the refusal", |t| t.contains("This invitation link cannot be opened")).await?;
    assert!(s.page_text().await?.contains("Ask the person who sent it for the link again"));
    assert_eq!(browser_storage_keys(&s).await?, json!([[], []]), "a link alone changes nothing");
    s.click_button("Open Debrief instead").await?;
    s.wait_for_text("the library", |t| t.contains("Postmortems")).await?;
    s.finish().await
}
