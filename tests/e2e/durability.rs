//! "Saved" means saved: an edit the page reported as saved survives the browser being
//! killed, and two tabs saving one postmortem at the same moment keep both edits.

use crate::support::*;

/// Sets the field `css` to `value` as typing would (an input event), in the tab in front.
async fn put(s: &Session, css: &str, value: &str) -> TestResult {
    s.js(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![json!(css), json!(value)],
    )
    .await?;
    Ok(())
}

/// The stored postmortem `id` as JSON, read in the tab in front.
async fn stored(s: &Session, id: &str) -> Result<Value, Box<dyn std::error::Error>> {
    let text = s.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default();
    let envelope: Value = serde_json::from_str(&unpacked(&text)?)?;
    Ok(envelope["postmortems"][0].clone())
}

/// Kills (SIGKILL) every process of the browser whose profile is `profile`, and waits until
/// none is left (so the next browser can take the profile).
async fn kill_browser(profile: &std::path::Path) -> TestResult {
    let profile_arg = &format!("--user-data-dir={}", profile.display());
    let killed = std::process::Command::new("pkill").args(["-KILL", "-f", "--", profile_arg]).status()?;
    assert!(killed.success(), "the browser was killed");
    let deadline = Instant::now() + Duration::from_secs(20);
    let left = || {
        std::process::Command::new("pgrep")
            .args(["-f", "--", profile_arg])
            .stdout(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
    };
    while left()? {
        assert!(Instant::now() < deadline, "the killed browser's processes are gone");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The killed browser leaves the port it listened on in the profile. Chromedriver reads
    // that file to find the next browser started on the profile, and could read the stale
    // one first: by then the port may belong to another test's browser, which it would
    // then drive (and close).
    let _ = std::fs::remove_file(profile.join("DevToolsActivePort"));
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_shown_as_saved_survives_the_browser_being_killed() -> TestResult {
    let base = start_server_at(dist_dir(), "");
    let profile = std::env::temp_dir().join(format!("debrief-crash-{}-{}", std::process::id(), free_port()));
    let _ = std::fs::remove_dir_all(&profile);
    let profile_arg = format!("--user-data-dir={}", profile.display());
    let s = session_with(base.clone(), &[], &[&profile_arg]).await?;
    let path = s.create_postmortem("Crash test").await?;
    kill_browser(&profile).await?;
    drop(s);
    for round in 1..=3 {
        let s = session_with(base.clone(), &[], &[&profile_arg]).await?;
        s.open(&path).await?;
        if round > 1 {
            let shown = s.value("#pm-summary").await?;
            assert!(
                shown.contains(&format!("Edit {}", round - 1)),
                "round {round}: the last saved edit is back: {shown:?}"
            );
        }
        s.type_into("#pm-summary", &format!(" Edit {round}.")).await?;
        s.wait_saved().await?;
        // Killed the moment "Saved" shows: no chance to write anything more.
        kill_browser(&profile).await?;
        drop(s);
    }
    let s = session_with(base, &[], &[&profile_arg]).await?;
    s.open(&path).await?;
    let shown = s.value("#pm-summary").await?;
    assert!(shown.contains("Edit 1.") && shown.contains("Edit 2.") && shown.contains("Edit 3."), "{shown:?}");
    s.open("/storage").await?;
    s.wait_for_text("the journal's size", |t| t.contains("Save journal (kept in IndexedDB")).await?;
    s.finish().await?;
    let _ = std::fs::remove_dir_all(&profile);
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn two_tabs_saving_at_the_same_moment_keep_both_edits_in_fifty_trials() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Two tabs at once").await?;
    let id = path.trim_start_matches("/postmortems/").to_owned();
    let tab_a = s.client.window().await?;
    let tab_b = s.client.new_window(false).await?.handle;
    s.client.switch_to_window(tab_b.clone()).await?;
    s.open(&path).await?;
    for trial in 1..=50 {
        // A edits the incident reference and B the summary, a moment apart: both saves
        // (each 400 ms after its edit) run at nearly the same time.
        s.client.switch_to_window(tab_a.clone()).await?;
        put(&s, "#pm-ref", &format!("INC-{trial}")).await?;
        s.client.switch_to_window(tab_b.clone()).await?;
        put(&s, "#pm-summary", &format!("Summary from B, trial {trial}.")).await?;
        // Every edit ends stored, or a conflict is shown (none is expected: they changed
        // different parts, which merge).
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let pm = stored(&s, &id).await?;
            let both = pm["incident_ref"] == json!(format!("INC-{trial}"))
                && pm["summary"] == json!(format!("Summary from B, trial {trial}."));
            let conflict = s.page_text().await?.contains("also changed in another tab");
            assert!(!conflict, "trial {trial}: a conflict for edits to different parts");
            if both {
                break;
            }
            assert!(Instant::now() < deadline, "trial {trial}: an edit was lost: {pm}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // Both tabs end saved and showing both edits.
        for tab in [&tab_a, &tab_b] {
            s.client.switch_to_window(tab.clone()).await?;
            s.wait_saved().await?;
            let deadline = Instant::now() + Duration::from_secs(10);
            while s.value("#pm-ref").await? != format!("INC-{trial}")
                || s.value("#pm-summary").await? != format!("Summary from B, trial {trial}.")
            {
                assert!(Instant::now() < deadline, "trial {trial}: a tab does not show both edits");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_part_changed_in_two_tabs_is_asked_and_merged_by_the_answer() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Asked").await?;
    let id = path.trim_start_matches("/postmortems/").to_owned();
    let tab_a = s.client.window().await?;
    let tab_b = s.client.new_window(false).await?.handle;
    s.client.switch_to_window(tab_b.clone()).await?;
    // The library measures the room left once; the writes below wait until it is done.
    s.open("/").await?;
    wait_for_stored(&s, "debrief.measured-size").await?;
    s.open(&path).await?;
    // A saves a summary; then another tab's save of a different summary lands that A did not
    // hear of (written under A's nose, as a tab of an earlier version would), and A edits
    // the summary again: its save finds the newer save, and the same part changed in both.
    s.client.switch_to_window(tab_a.clone()).await?;
    // Measuring wrote a probe as large as the storage allows, then removed it. Each tab
    // sees storage through its own copy, which hears of another tab's writes in order but
    // a moment later: until this tab has seen the size noted after the probe went, its
    // copy still holds the probe and a write here would be refused as over the quota.
    wait_for_stored(&s, "debrief.measured-size").await?;
    s.type_into("#pm-summary", "Written in tab A.").await?;
    s.wait_saved().await?;
    let key = format!("debrief.pm.{id}");
    let mut envelope: Value = serde_json::from_str(&unpacked(&s.storage_item(&key).await?.unwrap_or_default())?)?;
    let pm = &mut envelope["postmortems"][0];
    pm["revision"] = json!(pm["revision"].as_u64().unwrap_or_default() + 1);
    pm["summary"] = json!("Written in tab B.");
    s.js("localStorage.setItem(arguments[0], arguments[1]);", vec![json!(key), json!(envelope.to_string())]).await?;
    // In one input event: typing key by key could be saved (and asked about) half-way.
    put(&s, "#pm-summary", "Written in tab A. And more.").await?;
    s.wait_for_text("the question", |t| t.contains("one part was changed in both")).await?;
    let question = s.find(".conflict .merge-question").await?.text().await?;
    assert!(
        question.contains("Summary")
            && question.contains("Written in tab A.")
            && question.contains("Written in tab B."),
        "{question}"
    );
    // The question follows further typing here.
    put(&s, "#pm-summary", "Written in tab A. And more. Even more.").await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while !s.find(".conflict .merge-question").await?.text().await?.contains("And more. Even more.") {
        assert!(Instant::now() < deadline, "the question shows this tab's latest words");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The default keeps both texts; the author writes the merged words instead.
    assert_eq!(s.value(".conflict .merge-question select").await?, "both");
    s.set_value(".conflict .merge-question select", "own").await?;
    let merged = "Written in tab A and in tab B, merged by hand.";
    s.set_value(".conflict .merge-question textarea", merged).await?;
    s.click_button("Merge and save").await?;
    s.wait_saved().await?;
    assert_eq!(stored(&s, &id).await?["summary"], json!(merged));
    assert_eq!(s.value("#pm-summary").await?, merged);
    s.client.switch_to_window(tab_b).await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.value("#pm-summary").await? != merged {
        assert!(Instant::now() < deadline, "tab B shows the merge");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    s.finish().await
}
