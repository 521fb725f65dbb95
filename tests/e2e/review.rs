//! Review and sign-off: an author asks for review by file, a reviewer in another browser
//! reads the document, comments, ticks the checklist and approves, and sends the file back;
//! the author's import keeps every comment from both sides. And each template carries its
//! own checklist.

use crate::support::*;

/// Picks the first option of `select` whose value starts with `prefix`.
async fn pick_option(s: &Session, select: &str, prefix: &str) -> TestResult {
    s.find(select).await?;
    let picked = s
        .js(
            "const el = document.querySelector(arguments[0]);
             const o = Array.from(el.options).find(o => o.value.startsWith(arguments[1]));
             if (!o) return null;
             el.value = o.value; el.dispatchEvent(new Event('change', {bubbles: true}));
             return o.textContent;",
            vec![json!(select), json!(prefix)],
        )
        .await?;
    assert!(picked.is_string(), "no option {prefix} in {select}");
    Ok(())
}

/// The open comments the read view shows under the section headed `heading`.
async fn notes_under(s: &Session, heading: &str) -> Result<String, Box<dyn std::error::Error>> {
    let v = s
        .js(
            "const s = Array.from(document.querySelectorAll('.document-section'))
                 .find(s => s.querySelector('h2').textContent.trim() === arguments[0]);
             const n = s && s.querySelector('.doc-comments');
             return n ? n.textContent : '';",
            vec![json!(heading)],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

async fn comment(s: &Session, about: &str, text: &str) -> TestResult {
    pick_option(s, "#comment-anchor", about).await?;
    s.type_into("#comment-text", text).await?;
    s.click_css("#add-comment").await?;
    s.wait_for_text("the comment", |t| t.contains(text) && t.contains("Comment added.")).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_review_round_trip_by_file_keeps_both_sides_comments_and_the_approval() -> TestResult {
    // The author writes, asks for review with a comment of their own, and sends the file.
    let author = session().await?;
    let path = open_sample(&author).await?;
    author.find("#pm-status").await?.select_by_value("in-review").await?;
    author.set_value("#review-name", "Ana Lima").await?;
    comment(&author, "section:impact", "Please check the impact figures").await?;
    author.wait_saved().await?;
    capture_downloads(&author).await?;
    author.click_css(".export-menu summary").await?;
    author.click_button("Download as file").await?;
    let (name, sent) = last_download(&author).await?;
    let file: Value = serde_json::from_str(&sent)?;
    assert_eq!(file["version"], json!(4));
    assert_eq!(file["postmortems"][0]["review"]["comments"][0]["anchor"], json!("section:impact"));

    // The reviewer, in another browser, imports it and reads it as a document.
    let reviewer = session().await?;
    reviewer.open("/").await?;
    import_file(&reviewer, &name, &sent).await?;
    reviewer.wait_for_text("preview", |t| t.contains("Import preview")).await?;
    reviewer.click_css(".import-panel button.primary").await?;
    reviewer.wait_for_text("imported", |t| t.contains("Import done: 1 added")).await?;
    reviewer.open(&format!("{path}/read")).await?;
    reviewer.find(".read-view h1").await?;
    assert!(reviewer.page_text().await?.contains("Please check the impact figures"));
    // Nothing is signed without a name.
    reviewer.type_into("#comment-text", "Which dashboard showed this first?").await?;
    reviewer.click_css("#add-comment").await?;
    reviewer.wait_for_text("the name asked for", |t| t.contains("Give your name or role first")).await?;
    assert_eq!(
        reviewer.js("return document.activeElement.id;", vec![]).await?,
        json!("review-name"),
        "focus goes to the name"
    );
    reviewer.type_into("#review-name", "Priya Shah").await?;
    pick_option(&reviewer, "#comment-anchor", "event:").await?;
    reviewer.click_css("#add-comment").await?;
    reviewer.wait_for_text("the comment", |t| t.contains("Comment added.")).await?;
    // The document shows the open comments under the section they are about.
    assert!(notes_under(&reviewer, "Impact").await?.contains("Ana Lima: Please check the impact figures"));
    let timeline = notes_under(&reviewer, "Timeline").await?;
    assert!(
        timeline.contains("Priya Shah: Event: ") && timeline.contains("Which dashboard showed this first?"),
        "{timeline}"
    );
    // Resolve the author's comment, tick an item, approve.
    reviewer
        .js(
            "const c = Array.from(document.querySelectorAll('.comment')).find(c => c.textContent.includes('impact figures'));
             c.querySelector('button[id^=resolve-]').click();",
            vec![],
        )
        .await?;
    reviewer.wait_for_text("resolved", |t| t.contains("Comment resolved.")).await?;
    reviewer.click_css("#check-impact-described").await?;
    reviewer.wait_for_text("ticked", |t| t.contains("Ticked by Priya Shah")).await?;
    reviewer.click_css("#approve").await?;
    reviewer
        .wait_for_text("asked", |t| t.contains("4 checklist items not ticked and 1 comment open. Approve anyway?"))
        .await?;
    reviewer.click_css("#approve-anyway").await?;
    reviewer.wait_for_text("approved", |t| t.contains("Approved by Priya Shah. The postmortem is published.")).await?;
    assert_eq!(reviewer.find("#read-status").await?.text().await?, "Published");
    reviewer.wait_saved().await?;
    capture_downloads(&reviewer).await?;
    reviewer.click_css("#review-download").await?;
    let (back_name, back) = last_download(&reviewer).await?;
    reviewer.wait_for_text("told what to do", |t| t.contains("Send the file back to the authors")).await?;

    // Meanwhile the author went on: another comment.
    author.open(&path).await?;
    comment(&author, "section:summary", "Shortened the summary").await?;
    author.wait_saved().await?;

    // The author imports the reviewer's file: both sides' comments, the resolution, the
    // tick and the approval are all there.
    author.open("/").await?;
    import_file(&author, &back_name, &back).await?;
    author.wait_for_text("preview", |t| t.contains("Import preview")).await?;
    author.click_css(".import-panel button.primary").await?;
    author.wait_for_text("imported", |t| t.contains("Import done")).await?;
    author.open(&path).await?;
    author.wait_for_text("merged review", |t| t.contains("Approved by Priya Shah on")).await?;
    assert_eq!(author.value("#pm-status").await?, "published");
    let counts = author.find("#comment-counts").await?.text().await?;
    assert!(counts.starts_with("2 open, 1 resolved."), "{counts}");
    let page = author.page_text().await?;
    assert!(page.contains("Shortened the summary") && page.contains("Which dashboard showed this first?"), "{page}");
    author.click_css("#show-resolved").await?;
    author
        .wait_for_text("the resolved comment", |t| {
            t.contains("Please check the impact figures") && t.contains("Resolved by Priya Shah")
        })
        .await?;
    assert_eq!(author.find("#check-impact-described").await?.prop("checked").await?.as_deref(), Some("true"));
    // The library finds it by its reviewer.
    author.create_postmortem("Not reviewed yet").await?;
    author.open("/").await?;
    author.wait_for_text("both listed", |t| t.contains("Not reviewed yet") && t.contains("Card payments")).await?;
    author.find("#filter-reviewer").await?.select_by_value("Priya Shah").await?;
    author
        .wait_for_text("the filtered list", |t| !t.contains("Not reviewed yet") && t.contains("Card payments"))
        .await?;
    reviewer.finish().await?;
    author.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_templates_checklist_is_edited_and_is_what_the_reviewer_ticks() -> TestResult {
    let s = session().await?;
    s.open("/templates").await?;
    click_labelled(&s, "Copy to customise: Lightweight (minor incidents)").await?;
    s.wait_for_text("the template copy", |t| t.contains("Version 1 saved") && t.contains("Review checklist")).await?;
    s.click_css("[id^=remove-check-item-shared-with-affected]").await?;
    s.type_into("#new-check-item", "Customer support has read it\n").await?;
    s.wait_for_text("the new item", |t| t.contains("Unsaved changes")).await?;
    assert_eq!(s.value("#check-item-customer-support-has-read-it").await?, "Customer support has read it");
    s.click_button("Save").await?;
    s.wait_for_text("saved", |t| t.contains("Saved as version 2.")).await?;

    s.open("/").await?;
    s.click_button("New postmortem").await?;
    click_labelled(&s, "Open in editor: Lightweight (minor incidents) (copy)").await?;
    s.find("#pm-title").await?;
    s.type_into("#pm-title", "Checklist from the template").await?;
    s.wait_saved().await?;
    let items: Vec<String> = s
        .js("return Array.from(document.querySelectorAll('.check-line label')).map(l => l.textContent);", vec![])
        .await?
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    assert_eq!(items.len(), 5, "{items:?}");
    assert_eq!(items.last().map(String::as_str), Some("Customer support has read it"));
    assert!(!items.iter().any(|i| i.contains("shared with the people affected")), "{items:?}");
    // What Debrief can tell is said beside the items.
    let hints = s.find(".review-checklist").await?.text().await?;
    assert!(hints.contains("No action items yet.") && hints.contains("No contributing factors yet."), "{hints}");
    // A comment can be deleted, with Undo.
    s.type_into("#review-name", "Ana Lima").await?;
    comment(&s, "postmortem", "A comment with a typo in it").await?;
    s.click_css("[id^=delete-comment-]").await?;
    s.wait_for_text("deleted", |t| t.contains("Deleted the comment by Ana Lima.") && t.contains("No comments yet."))
        .await?;
    s.click_css("#undo-delete-comment").await?;
    s.wait_for_text("restored", |t| t.contains("Comment restored.") && t.contains("A comment with a typo in it"))
        .await?;
    s.wait_saved().await?;
    s.finish().await
}
