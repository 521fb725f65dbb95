//! The team library in a git repository, as two people use it: each browser profile works
//! on its own clone (through the test seam described in support/team.rs), both edit the same
//! postmortem in different fields, git merges the clones, and both see both edits.

use crate::support::*;

fn temp_dir(name: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("debrief-e2e-team-{}-{}-{name}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Opens the library page with the private folder offered, and opens it as the team folder.
async fn open_team_folder(s: &Session) -> TestResult {
    s.open("/").await?;
    offer_private_folder(s).await?;
    s.click_css(".team-folder-box summary").await?;
    s.click_button("Open team folder…").await?;
    s.wait_for_text("connected", |t| t.contains("Team folder: team")).await
}

/// Opens the library again: the kept folder is reconnected and read on start. Then the
/// button reads it once more, finding nothing new.
async fn read_again(s: &Session) -> TestResult {
    s.open("/").await?;
    s.wait_for_text("reconnected and read", |t| {
        t.contains("Team folder: team") && t.contains("postmortem in the folder, 1 read")
    })
    .await?;
    s.click_button("Read the folder now").await?;
    s.wait_for_text("read again", |t| t.contains("1 postmortem in the folder.")).await
}

#[tokio::test(flavor = "multi_thread")]
async fn two_people_share_a_postmortem_through_git_and_both_see_both_edits() -> TestResult {
    let root = temp_dir("git")?;
    git(&root, &["init", "-q", "--bare", "team.git"])?;
    git(&root, &["clone", "-q", "team.git", "a"])?;
    let (clone_a, clone_b) = (root.join("a"), root.join("b"));

    // A starts the team library with one postmortem and pushes it.
    let a = session().await?;
    let path = a.create_postmortem("Team: checkout errors").await?;
    a.type_into("#pm-summary", "First draft.").await?;
    a.wait_saved().await?;
    open_team_folder(&a).await?;
    // The file itself: the "1 written" sentence is replaced by the next read's.
    wait_for_private_file_with(&a, "Team: checkout errors").await?;
    assert!(a.page_text().await?.contains("Stored in this browser and in “team”"));
    copy_out(&a, &clone_a).await?;
    let files = private_files(&a).await?;
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&".gitignore") && names.contains(&"debrief-library.json"), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("postmortems/") && n.ends_with(".md")), "{names:?}");
    git(&clone_a, &["add", "-A"])?;
    git(&clone_a, &["commit", "-q", "-m", "A: a postmortem"])?;
    git(&clone_a, &["push", "-q", "origin", "HEAD:main"])?;

    // B clones it and opens the clone: the postmortem is in B's library.
    git(&root, &["clone", "-q", "team.git", "b"])?;
    let b = session().await?;
    b.open("/").await?;
    copy_in(&b, &clone_b).await?;
    open_team_folder(&b).await?;
    b.wait_for_text("brought in", |t| t.contains("1 brought in") && t.contains("Team: checkout errors")).await?;

    // Each edits a different field; the edits reach each one's folder.
    a.open(&path).await?;
    a.set_value("#pm-summary", "A: the pool setting starved checkout.").await?;
    a.wait_saved().await?;
    wait_for_private_file_with(&a, "A: the pool setting starved checkout.").await?;
    b.open(&path).await?;
    b.set_value("#pm-impact", "B: 12% of checkouts failed for 40 minutes.").await?;
    b.wait_saved().await?;
    wait_for_private_file_with(&b, "B: 12% of checkouts failed for 40 minutes.").await?;

    // A pushes; B commits, pulls (git merges the two lines) and pushes; A pulls.
    copy_out(&a, &clone_a).await?;
    git(&clone_a, &["commit", "-q", "-am", "A: summary"])?;
    git(&clone_a, &["push", "-q", "origin", "HEAD:main"])?;
    copy_out(&b, &clone_b).await?;
    git(&clone_b, &["commit", "-q", "-am", "B: impact"])?;
    git(&clone_b, &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])?;
    git(&clone_b, &["push", "-q", "origin", "HEAD:main"])?;
    git(&clone_a, &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])?;

    // Both read their folder again and hold both edits.
    for (s, clone) in [(&a, &clone_a), (&b, &clone_b)] {
        copy_in(s, clone).await?;
        read_again(s).await?;
        s.open(&path).await?;
        assert_eq!(s.value("#pm-summary").await?, "A: the pool setting starved checkout.");
        assert_eq!(s.value("#pm-impact").await?, "B: 12% of checkouts failed for 40 minutes.");
    }
    // Nothing left for either to commit: what Debrief wrote back is what git merged.
    for (s, clone) in [(&a, &clone_a), (&b, &clone_b)] {
        s.open("/").await?;
        s.wait_for_text("settled", |t| t.contains("postmortem in the folder")).await?;
        copy_out(s, clone).await?;
        assert_eq!(git(clone, &["status", "--porcelain"])?.trim(), "", "the folder matches the merged clone");
    }
    b.finish().await?;
    a.finish().await?;
    let _ = std::fs::remove_dir_all(root);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_git_conflict_in_the_same_field_is_asked_field_by_field_and_written_without_markers() -> TestResult {
    let root = temp_dir("conflict")?;
    git(&root, &["init", "-q", "--bare", "team.git"])?;
    git(&root, &["clone", "-q", "team.git", "mine"])?;
    let mine = root.join("mine");
    git(&mine, &["config", "merge.conflictStyle", "diff3"])?;
    let s = session().await?;
    let path = s.create_postmortem("Team: queue backlog").await?;
    s.type_into("#pm-summary", "Original summary.").await?;
    s.wait_saved().await?;
    open_team_folder(&s).await?;
    wait_for_private_file_with(&s, "Original summary.").await?;
    copy_out(&s, &mine).await?;
    git(&mine, &["add", "-A"])?;
    git(&mine, &["commit", "-q", "-m", "A postmortem"])?;
    git(&mine, &["push", "-q", "origin", "HEAD:main"])?;

    // Someone else changes the summary and pushes…
    git(&root, &["clone", "-q", "team.git", "theirs"])?;
    let theirs = root.join("theirs");
    let file = postmortem_file(&s).await?;
    let text = std::fs::read_to_string(theirs.join(&file))?;
    std::fs::write(theirs.join(&file), text.replace("Original summary.", "Their summary."))?;
    git(&theirs, &["commit", "-q", "-am", "Their summary"])?;
    git(&theirs, &["push", "-q", "origin", "HEAD:main"])?;

    // …while this person changes it too, commits and pulls: git stops at a conflict.
    s.open(&path).await?;
    s.set_value("#pm-summary", "My summary.").await?;
    s.wait_saved().await?;
    wait_for_private_file_with(&s, "My summary.").await?;
    copy_out(&s, &mine).await?;
    git(&mine, &["commit", "-q", "-am", "My summary"])?;
    let (merged, said) = git_may_fail(&mine, &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"])?;
    assert!(!merged, "the same line changed on both sides: {said}");
    assert!(std::fs::read_to_string(mine.join(&file))?.contains("|||||||"), "diff3 markers");

    // Debrief reads the conflicted file and asks about the one field, showing both.
    copy_in(&s, &mine).await?;
    s.open("/").await?;
    s.wait_for_text("asked", |t| t.contains("Changes in the team folder") && t.contains("Changed on both sides"))
        .await?;
    let panel = s.find(".import-panel").await?.text().await?;
    assert!(panel.contains("My summary.") && panel.contains("Their summary."), "{panel}");
    s.click_button("Import 1 postmortem").await?;
    s.wait_for_text("merged", |t| t.contains("1 merged")).await?;
    // The merged version goes back to the folder without markers, ready to commit. (The
    // conflicted file holds both summaries too, between markers.)
    let merged = |t: &str| t.contains("My summary.") && t.contains("Their summary.") && !t.contains("<<<<<<<");
    wait_for_private_file_where(&s, "holds the merge", merged).await?;
    s.open(&path).await?;
    let summary = s.value("#pm-summary").await?;
    assert!(summary.contains("My summary.") && summary.contains("Their summary."), "{summary}");
    copy_out(&s, &mine).await?;
    let written = std::fs::read_to_string(mine.join(&file))?;
    assert!(written.contains("My summary.") && !written.contains("<<<<<<<"), "{written}");
    git(&mine, &["commit", "-q", "-am", "Merged with Debrief"])?;
    s.finish().await?;
    let _ = std::fs::remove_dir_all(root);
    Ok(())
}

/// Reads the folder on focus until a read lists nothing (the browser's reports of the
/// app's own first writes are taken in); returns how many full listings were made by then.
async fn listings_after_a_settled_read(s: &Session) -> Result<u64, Box<dyn std::error::Error>> {
    let count = || async {
        let n = s.js("return performance.getEntriesByName('debrief:folder-read').length;", vec![]).await?;
        let listed = s.js("return performance.getEntriesByName('debrief:folder-listed').length;", vec![]).await?;
        Ok::<_, Box<dyn std::error::Error>>((n.as_u64().unwrap_or(0), listed.as_u64().unwrap_or(0)))
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (reads, listed) = count().await?;
        s.js("window.dispatchEvent(new Event('focus'));", vec![]).await?;
        // Wait for that read to end, then see whether it listed.
        loop {
            let (now, _) = count().await?;
            if now > reads {
                break;
            }
            if Instant::now() > deadline {
                return Err("the folder was not read on focus".into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let (_, after) = count().await?;
        if after == listed {
            return Ok(after);
        }
        if Instant::now() > deadline {
            return Err(format!("every read on focus listed the folder ({after} listings)").into());
        }
    }
}

/// A pull made while the page is open (a sync tool, or `git pull` in a terminal) is read on
/// coming back to the tab, and only the changed file is read: the browser's file system
/// observer says which files changed, so the folder is listed only when it is opened. A
/// later visit reads only the files changed since the last one.
#[tokio::test(flavor = "multi_thread")]
async fn a_pull_while_the_page_is_open_is_read_on_returning_to_the_tab_without_listing_the_folder() -> TestResult {
    let clone = temp_dir("watch")?;
    let s = session().await?;
    s.create_postmortem("Team: cache stampede").await?;
    open_team_folder(&s).await?;
    // Waits for the file itself: the "1 written" sentence is replaced by the next read's.
    wait_for_private_file_with(&s, "Team: cache stampede").await?;
    // The first write made the `postmortems` folder: the browser reports a new folder as a
    // whole, so the read after it lists everything once more. From then on, nothing is listed.
    let listed_before = listings_after_a_settled_read(&s).await?;
    copy_out(&s, &clone).await?;
    let file = postmortem_file(&s).await?;
    let text = std::fs::read_to_string(clone.join(&file))?;
    std::fs::write(clone.join(&file), text.replace("Team: cache stampede", "Team: cache stampede, as pulled"))?;
    copy_in(&s, &clone).await?;

    // Back to the tab (the browser reports the change a moment after the file is written:
    // the test comes back until the page shows it).
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        s.js("window.dispatchEvent(new Event('focus'));", vec![]).await?;
        let text = s.page_text().await?;
        if text.contains("Team: cache stampede, as pulled") {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("the pulled change was not read; the page says:\n{text}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let listed = s.js("return performance.getEntriesByName('debrief:folder-listed').length;", vec![]).await?;
    assert_eq!(listed, json!(listed_before), "only the changed file is read, nothing listed");

    // "Read the folder now" lists everything (in case the browser missed a change).
    s.click_button("Read the folder now").await?;
    s.wait_for_text("read again", |t| t.contains("1 postmortem in the folder.")).await?;
    let listed = s.js("return performance.getEntriesByName('debrief:folder-listed').length;", vec![]).await?;
    assert_eq!(listed, json!(listed_before + 1));

    // The next visit remembers which files it read: after a restart nothing is read again,
    // and a file changed meanwhile is the only one read.
    s.open("/").await?;
    s.wait_for_text("reconnected, nothing read", |t| t.contains("1 postmortem in the folder.")).await?;
    copy_out(&s, &clone).await?;
    let text = std::fs::read_to_string(clone.join(&file))?;
    std::fs::write(clone.join(&file), text.replace("cache stampede, as pulled", "cache stampede, pulled while away"))?;
    copy_in(&s, &clone).await?;
    s.open("/").await?;
    s.wait_for_text("the change made while away", |t| {
        t.contains("1 postmortem in the folder, 1 read, 1 brought in.") && t.contains("pulled while away")
    })
    .await?;
    s.finish().await?;
    let _ = std::fs::remove_dir_all(clone);
    Ok(())
}

/// Firefox and Safari cannot write folders: the folder opens read-only through a folder
/// input, and the changes come back as a zip holding only the changed files, at their paths.
#[tokio::test(flavor = "multi_thread")]
async fn without_folder_access_the_folder_opens_read_only_and_changes_come_back_as_a_zip() -> TestResult {
    use debrief::file_format::folder as layout;
    let dir = temp_dir("read-only")?.join("team-notes");
    let pm = debrief::domain::sample::full_postmortem(chrono::Utc::now());
    let file = layout::postmortem_path(&pm);
    std::fs::create_dir_all(dir.join("postmortems"))?;
    std::fs::write(dir.join(&file), layout::postmortem_text(&pm)?)?;
    std::fs::write(dir.join(layout::LIBRARY_FILE), layout::library_text())?;
    std::fs::write(dir.join(layout::GITIGNORE), layout::GITIGNORE_TEXT)?;

    let s = session().await?;
    // A browser without the File System Access API, as Firefox and Safari are.
    s.client
        .issue_cmd(DevTools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "delete window.showDirectoryPicker; delete Window.prototype.showDirectoryPicker;"}),
        ))
        .await?;
    s.open("/").await?;
    s.click_css(".team-folder-box summary").await?;
    s.wait_for_text("offer", |t| t.contains("This browser cannot write to folders")).await?;
    s.find("#team-folder-input").await?.send_keys(&dir.to_string_lossy()).await?;
    s.wait_for_text("read", |t| t.contains("Team folder: team-notes") && t.contains("1 brought in")).await?;
    let text = s.page_text().await?;
    assert!(text.contains("No changes to download"), "{text}");

    // Edit it here, then come back to the library through the app (the folder is kept in
    // the page, not across a reload).
    s.click_css(".title-cell a").await?;
    s.set_value("#pm-summary", "Edited in a browser that cannot write folders.").await?;
    s.wait_saved().await?;
    s.click_css("nav a[href$='/']").await?;
    s.wait_for_text("changes to hand back", |t| t.contains("Download 2 changed files (zip)")).await?;
    capture_downloads(&s).await?;
    s.click_button("Download 2 changed files (zip)").await?;
    s.wait_for_text("downloaded", |t| t.contains("Unzip it into the team folder")).await?;
    let (name, bytes) = last_download_bytes(&s).await?;
    assert!(name.starts_with("debrief-team-changes-") && name.ends_with(".zip"), "{name}");
    let files = unzip_stored(&bytes)?;
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, [file.as_str(), layout::markdown_path(&file).as_str()], "only the changed file and its Markdown");
    assert!(files[0].1.contains("Edited in a browser that cannot write folders."));
    // Unzipped over the folder, it reads back as the edited postmortem.
    let read = debrief::file_format::import::read_file("x", &files[0].1).map_err(|e| e.to_string())?;
    assert_eq!(read.postmortems[0].summary, "Edited in a browser that cannot write folders.");
    s.finish().await?;
    Ok(())
}
