//! Nothing lost, nothing run: corrupt entries, full storage, failed saves, hidden tabs,
//! two tabs on one postmortem, the storage page, a sub-path, the Content-Security-Policy
//! and hostile input.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_entry_does_not_break_the_library_and_is_kept() -> TestResult {
    let s = session().await?;
    let good_path = s.create_postmortem("Healthy postmortem").await?;
    let bad_key = "debrief.pm.0b3c7a1e-1111-4222-8333-944455556666";
    let planted = "{\"format\":\"debrief\",\"version\":1,\"postmortems\":[{\"title\":\"half-writ";
    s.js("localStorage.setItem(arguments[0], arguments[1]);", vec![json!(bad_key), json!(planted)]).await?;

    s.open("/").await?;
    s.wait_for_text("corrupt notice", |t| t.contains("Some stored entries could not be read") && t.contains(bad_key))
        .await?;
    assert!(s.find(".library-table").await?.text().await?.contains("Healthy postmortem"));
    s.find(".corrupt-entries button").await?;

    // Its own address explains instead of showing an editor, and offers the raw text.
    s.open("/postmortems/0b3c7a1e-1111-4222-8333-944455556666").await?;
    s.wait_for_text("unreadable page", |t| t.contains("This postmortem could not be read")).await?;
    assert!(s.all("#pm-title").await?.is_empty());

    // Editing the healthy one and reloading never touches the corrupt entry.
    s.open(&good_path).await?;
    s.type_into("#pm-summary", "Still fine.").await?;
    s.wait_saved().await?;
    s.client.refresh().await?;
    s.find("#pm-title").await?;
    assert_eq!(s.storage_item(bad_key).await?.as_deref(), Some(planted));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_save_keeps_the_edit_and_offers_a_download() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Quota test").await?;
    let id = path.trim_start_matches("/postmortems/").to_owned();
    let stored_before = s.storage_item(&format!("debrief.pm.{id}")).await?;
    fill_storage(&s).await?;
    s.type_into("#pm-summary", &too_big_to_fit("A long summary that cannot fit any more.")).await?;
    s.wait_for_text("quota message", |t| t.contains("storage for Debrief is full")).await?;
    assert_eq!(s.find("[data-testid=save-status]").await?.text().await?, "Not saved");
    s.client
        .wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::XPath("//button[normalize-space(.)='Download a copy']"))
        .await?;
    // The edit is still on screen and what was stored is untouched.
    assert!(s.value("#pm-summary").await?.starts_with("A long summary"));
    assert_eq!(s.storage_item(&format!("debrief.pm.{id}")).await?, stored_before);

    // Making room and trying again saves it.
    s.js(
        "Object.keys(localStorage).filter(k => k.startsWith('filler.')).forEach(k => localStorage.removeItem(k));",
        vec![],
    )
    .await?;
    s.click_button("Try saving again").await?;
    s.wait_saved().await?;
    let stored = s.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default();
    assert!(stored.contains("A long summary"));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_editor_after_a_failed_save_keeps_the_edits_downloadable() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Unsaved edits").await?;
    fill_storage(&s).await?;
    s.type_into("#pm-summary", &too_big_to_fit("Words that do not fit any more.")).await?;
    s.wait_for_text("quota message", |t| t.contains("storage for Debrief is full")).await?;
    s.click_css(".breadcrumb a").await?;
    s.wait_for_text("kept edits", |t| t.contains("Your latest edits to “Unsaved edits” were not saved.")).await?;
    capture_downloads(&s).await?;
    s.click_button("Download them").await?;
    let (name, text) = last_download(&s).await?;
    assert_eq!(name, "unsaved-edits.debrief.json");
    assert!(text.contains("Words that do not fit any more."), "{text}");
    s.wait_for_text("notice gone", |t| !t.contains("were not saved")).await?;
    s.finish().await
}

/// When the app itself fails (here: the browser's random numbers fail as a new timeline
/// event is added, and making its id panics), a message says so over the page, offers the
/// unsaved edits as a file and a reload; the file imported after reloading brings them back.
#[tokio::test(flavor = "multi_thread")]
async fn a_crash_of_the_app_offers_the_unsaved_edits_and_a_reload() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Crash rescue").await?;
    let id = path.trim_start_matches("/postmortems/").to_owned();
    // Saves fail (storage full), so the edit stays unsaved.
    fill_storage(&s).await?;
    let words = too_big_to_fit("Words typed before the crash.");
    s.type_into("#pm-summary", &words).await?;
    s.wait_for_text("quota message", |t| t.contains("storage for Debrief is full")).await?;
    // Only while the click on "Add event" is handled (chromedriver draws random numbers too).
    s.js(
        "const real = crypto.getRandomValues.bind(crypto);
         let armed = false;
         document.addEventListener('click', e => { armed = !!e.target.closest('.add-button'); }, true);
         window.addEventListener('click', () => { armed = false; });
         crypto.getRandomValues = a => { if (armed) throw new Error('no randomness today'); return real(a); };",
        vec![],
    )
    .await?;
    s.click_button("Add event").await?;
    let dialog = s.find("dialog.crash[open]").await?;
    let text = dialog.text().await?;
    assert!(
        text.contains("Debrief stopped because of an error")
            && text.contains("your latest edits to “Crash rescue” were not saved yet"),
        "{text}"
    );
    // Modal: the keyboard stays in the message, Escape does not close it, and it passes axe.
    let inside = "return document.querySelector('dialog.crash').contains(document.activeElement);";
    assert_eq!(s.js(inside, vec![]).await?, json!(true));
    s.client.active_element().await?.send_keys("\u{E00C}").await?;
    assert!(s.find("dialog.crash").await?.attr("open").await?.is_some(), "Escape leaves the message open");
    let violations = axe_violations(&s).await?;
    assert!(violations.is_empty(), "{violations:?}");
    // The download holds the edit, as a Debrief file.
    let file = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const link = document.querySelector('dialog.crash a[download]');
             fetch(link.href).then(r => r.text()).then(text => done({name: link.download, text, label: link.textContent}));",
            vec![],
        )
        .await?;
    let (name, saved) = (file["name"].as_str().unwrap_or_default(), file["text"].as_str().unwrap_or_default());
    assert_eq!(file["label"], json!("Download unsaved edits"));
    assert!(name.ends_with(".debrief.json") && saved.contains(&words), "{name}: {saved}");
    // The dialog shows what failed, for a bug report.
    assert!(s.find(".crash-details pre").await?.prop("textContent").await?.unwrap_or_default().contains("random"));

    // Room is made, the page reloads and works; the file brings the edit back.
    s.js(
        "Object.keys(localStorage).filter(k => k.startsWith('filler.')).forEach(k => localStorage.removeItem(k));",
        vec![],
    )
    .await?;
    s.click_button("Reload Debrief").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while s
        .js("return document.querySelector('dialog.crash') !== null || !document.querySelector('#pm-title');", vec![])
        .await?
        != json!(false)
    {
        assert!(Instant::now() < deadline, "the app came back after the reload");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(s.value("#pm-summary").await?, "", "the edit was not saved before the crash");
    s.open("/").await?;
    import_file(&s, name, saved).await?;
    s.wait_for_text("preview", |t| t.contains("Import 1 postmortem")).await?;
    s.click_button("Import 1 postmortem").await?;
    s.wait_for_text("imported", |t| t.contains("Import done")).await?;
    s.open(&path).await?;
    assert_eq!(s.value("#pm-summary").await?, words);
    assert!(s.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default().contains(&words));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn hiding_the_tab_saves_at_once() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Hidden tab").await?;
    let key = format!("debrief.pm.{}", path.trim_start_matches("/postmortems/"));
    s.type_into("#pm-summary", "typed just before switching tabs").await?;
    // Hide the tab before the autosave delay has passed, and read storage in the same task.
    let stored = s
        .js(
            "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
             document.dispatchEvent(new Event('visibilitychange', {bubbles: true}));
             return localStorage.getItem(arguments[0]);",
            vec![json!(key)],
        )
        .await?;
    assert!(unpacked(stored.as_str().unwrap_or_default())?.contains("typed just before switching tabs"), "{stored}");
    s.finish().await
}

/// Appends `title` to the title and `summary` to the summary as typing would, in one script,
/// so that no save runs between the two edits.
async fn edit_both(s: &Session, title: &str, summary: &str) -> TestResult {
    s.js(
        "for (const [css, more] of [['#pm-title', arguments[0]], ['#pm-summary', arguments[1]]]) {
           const e = document.querySelector(css);
           e.value += more;
           e.dispatchEvent(new Event('input', { bubbles: true }));
         }",
        vec![json!(title), json!(summary)],
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_tab_never_silently_overwrites_a_newer_save() -> TestResult {
    let a = session().await?;
    let path = a.create_postmortem("Two tabs").await?;
    let id = path.trim_start_matches("/postmortems/").to_owned();
    let tab_a = a.client.window().await?;
    let tab_b = a.client.new_window(false).await?.handle;

    // B shows the library; A's save updates B's list.
    a.client.switch_to_window(tab_b.clone()).await?;
    a.open("/").await?;
    a.client.switch_to_window(tab_a.clone()).await?;
    a.find("#pm-title").await?.clear().await?;
    a.type_into("#pm-title", "Two tabs, renamed in A").await?;
    a.wait_saved().await?;
    a.client.switch_to_window(tab_b.clone()).await?;
    a.wait_for_text("B's list", |t| t.contains("Two tabs, renamed in A")).await?;

    // A holds an edit it could not save (storage full) when B saves a newer revision. B's
    // library measures the room left by writing, once: the filling waits until it is done.
    a.client.switch_to_window(tab_a.clone()).await?;
    wait_for_stored(&a, "debrief.measured-size").await?;
    fill_storage(&a).await?;
    // A's title and B's both change: that part is a question (the rest would merge). Both
    // of A's edits in one go, so no save can store the title alone in between.
    edit_both(&a, " (A)", &too_big_to_fit("Written in tab A.")).await?;
    a.wait_for_text("the failed save", |t| t.contains("storage for Debrief is full")).await?;
    a.client.switch_to_window(tab_b.clone()).await?;
    a.js(
        "Object.keys(localStorage).filter(k => k.startsWith('filler.')).forEach(k => localStorage.removeItem(k));",
        vec![],
    )
    .await?;
    save_elsewhere(&a, &id, "Renamed in tab B").await?;
    a.client.switch_to_window(tab_a.clone()).await?;
    a.wait_for_text("the conflict", |t| t.contains("also changed in another tab or window")).await?;
    // Until A chooses, nothing is saved: the failed save gives way to the choice, and the
    // save shortcut writes nothing over B's version.
    assert!(!a.page_text().await?.contains("Try saving again"), "no retry while the tabs disagree");
    a.client.active_element().await?.send_keys(&ctrl_s()).await?;
    assert_eq!(a.find("[data-testid=save-status]").await?.text().await?, "Not saved");
    let stored = a.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default();
    assert!(stored.contains("Renamed in tab B") && !stored.contains("Written in tab A."), "B's save stands");

    a.click_button("Compare…").await?;
    let table = a.find("table.differences").await?.text().await?;
    assert!(
        table.contains("Title") && table.contains("Two tabs, renamed in A (A)") && table.contains("Renamed in tab B")
    );
    assert!(table.contains("Summary") && table.contains("Written in tab A."), "{table}");

    // Keep both: A's version becomes a copy, and the page shows B's.
    a.click_button("Keep both").await?;
    a.wait_for_text("the copy", |t| t.contains("Your version is saved as")).await?;
    assert_eq!(a.value("#pm-title").await?, "Renamed in tab B");
    a.open("/").await?;
    a.wait_for_text("both in the library", |t| {
        t.contains("Renamed in tab B") && t.contains("Two tabs, renamed in A (A) (version kept from this tab)")
    })
    .await?;

    // With nothing unsaved, A simply follows what B saves.
    a.open(&path).await?;
    a.client.switch_to_window(tab_b.clone()).await?;
    save_elsewhere(&a, &id, "Renamed again in B").await?;
    a.client.switch_to_window(tab_a.clone()).await?;
    a.wait_for_text("the update", |t| t.contains("Updated with the changes saved in another tab")).await?;
    assert_eq!(a.value("#pm-title").await?, "Renamed again in B");
    // Overwrite after comparing.
    fill_storage(&a).await?;
    edit_both(&a, " (A)", &too_big_to_fit(" Mine wins.")).await?;
    a.wait_for_text("the failed save", |t| t.contains("storage for Debrief is full")).await?;
    a.client.switch_to_window(tab_b).await?;
    a.js(
        "Object.keys(localStorage).filter(k => k.startsWith('filler.')).forEach(k => localStorage.removeItem(k));",
        vec![],
    )
    .await?;
    save_elsewhere(&a, &id, "Third title from B").await?;
    a.client.switch_to_window(tab_a).await?;
    // The earlier "updated" notice gives way to the conflict rather than contradicting it.
    a.wait_for_text("the conflict alone", |t| {
        t.contains("also changed in another tab or window") && !t.contains("Updated with the changes saved")
    })
    .await?;
    a.click_button("Compare…").await?;
    a.click_css(".conflict button.danger").await?;
    a.wait_saved().await?;
    let stored = a.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default();
    assert!(
        stored.contains("Mine wins.") && stored.contains("Renamed again in B (A)"),
        "A's version, written on purpose"
    );
    a.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn storage_use_is_measured_warned_about_and_unreadable_entries_can_go() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Capacity").await?;
    s.open("/storage").await?;
    s.wait_for_text("the measure", |t| t.contains("Debrief and this site use") && t.contains("room for about")).await?;
    s.wait_for_text("the browser's answer", |t| !t.contains("Asking the browser")).await?;
    let kept = s.find("[data-testid=persistence]").await?.text().await?;
    assert!(kept.contains("This browser"), "{kept}");
    assert_eq!(s.storage_item("~debrief-room-probe").await?, None, "the probe is removed");
    assert!(
        s.storage_item("debrief.measured-size").await?.is_some_and(|n| n.parse::<u64>().is_ok_and(|n| n > 1_000_000))
    );

    // Nearly full: the library warns before a save fails.
    fill_storage(&s).await?;
    s.open("/").await?;
    s.wait_for_text("the warning", |t| t.contains("storage for Debrief is") && t.contains("% full")).await?;

    // A save that does not fit says how much is used and how to make room.
    s.open(&path).await?;
    s.type_into("#pm-summary", &format!("Too long to fit now. {}", debrief::domain::sample::incompressible_text(800)))
        .await?;
    s.wait_for_text("the quota message", |t| {
        t.contains("Debrief and this site use") && t.contains("your edit is still here")
    })
    .await?;
    let notice = s.find(".notice-error").await?.text().await?;
    assert!(notice.contains("Back up everything") && notice.contains("Open the trash"), "{notice}");
    assert!(s.value("#pm-summary").await?.starts_with("Too long to fit now."));

    // An unreadable entry can be deleted on purpose; a readable one cannot be.
    s.js(
        "Object.keys(localStorage).filter(k => k.startsWith('filler.')).forEach(k => localStorage.removeItem(k));
         localStorage.setItem('debrief.pm.00000000-0000-4000-8000-00000000dead', '{broken');",
        vec![],
    )
    .await?;
    s.open("/").await?;
    s.wait_for_text("the unreadable entry", |t| t.contains("Some stored entries could not be read")).await?;
    // A backup says what it left out and where its raw text is, which downloads as stored.
    capture_downloads(&s).await?;
    s.click_button("Back up everything").await?;
    s.wait_for_text("the backup", |t| t.contains("1 unreadable entry is not in it: download its raw text below."))
        .await?;
    s.click_button("Download raw text").await?;
    let (_, raw) = last_download(&s).await?;
    assert_eq!(raw, "{broken");
    s.click_button("Delete…").await?;
    s.click_button("Delete").await?;
    s.wait_for_text("the entry gone", |t| !t.contains("Some stored entries could not be read")).await?;
    assert_eq!(s.storage_item("debrief.pm.00000000-0000-4000-8000-00000000dead").await?, None);
    assert!(s.page_text().await?.contains("Capacity"), "the readable postmortem stays");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_app_works_under_a_sub_path() -> TestResult {
    // scripts/test.sh builds a second copy with `--public-url /debrief/`.
    let dir = std::env::var("DEBRIEF_SUBPATH_DIST")
        .map_err(|_| "DEBRIEF_SUBPATH_DIST is not set: build with `trunk build --release --public-url /debrief/` (scripts/test.sh does)")?;
    let s = session_at(start_server_at(PathBuf::from(dir), "/debrief")).await?;
    let path = s.create_postmortem("Under a sub-path").await?;
    assert!(path.starts_with("/debrief/postmortems/"), "{path}");
    s.client.refresh().await?;
    assert_eq!(s.value("#pm-title").await?, "Under a sub-path");
    // Section links jump within the editor instead of leaving it.
    s.find(".section-nav a[href$='#timeline']").await?.click().await?;
    s.find("#timeline").await?;
    assert_eq!(s.client.current_url().await?.path(), path);
    assert_eq!(s.value("#pm-title").await?, "Under a sub-path");
    s.find(".breadcrumb a").await?.click().await?;
    s.wait_for_text("library", |t| t.contains("Under a sub-path") && t.contains("1 postmortem")).await?;
    assert_eq!(s.client.current_url().await?.path(), "/debrief/");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_content_security_policy_blocks_injected_script_and_the_app_works_under_it() -> TestResult {
    let s = session().await?;
    let editor = s.create_postmortem("Under the policy").await?;
    s.type_into("#pm-summary", "Checked with the policy on.").await?;
    s.wait_saved().await?;
    let pages = ["/", "/new", "/templates", "/actions", "/metrics", "/trash", editor.as_str()];
    for page in pages.iter().copied().chain([format!("{editor}/print").as_str()]) {
        s.open(page).await?;
        let policy = s
            .js("return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content;", vec![])
            .await?;
        let policy = policy.as_str().unwrap_or_default();
        assert!(
            policy.contains("script-src 'self' 'wasm-unsafe-eval'") && policy.contains("default-src 'none'"),
            "{policy}"
        );
        let inline = s.js("return document.querySelectorAll('script:not([src])').length;", vec![]).await?;
        assert_eq!(inline, json!(0), "no inline script on {page}");
        assert_eq!(s.js("return window.__cspViolations;", vec![]).await?, json!([]), "no violations on {page}");
    }
    // Script slipped into the page does not run, and the browser reports it.
    s.open(&editor).await?;
    s.js(
        "const el = document.createElement('script'); el.textContent = 'window.__pwned = 1;'; document.head.appendChild(el);
         const img = document.createElement('img'); img.src = 'https://example.com/beacon.gif'; document.body.appendChild(img);",
        vec![],
    )
    .await?;
    // The browser reports both refusals; then the script's absence means it was stopped.
    let deadline = Instant::now() + Duration::from_secs(10);
    let violations = loop {
        let found = s.js("return window.__cspViolations;", vec![]).await?;
        let found: Vec<String> = found
            .as_array()
            .map(|v| v.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        let script = found.iter().any(|v| v.starts_with("script-src"));
        let image = found.iter().any(|v| v.starts_with("img-src") && v.contains("example.com"));
        if (script && image) || Instant::now() > deadline {
            break found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(violations.iter().any(|v| v.starts_with("script-src")), "{violations:?}");
    assert!(violations.iter().any(|v| v.starts_with("img-src") && v.contains("example.com")), "{violations:?}");
    assert_eq!(s.js("return window.__pwned === undefined;", vec![]).await?, json!(true));
    // The app still works: an edit saves.
    s.type_into("#pm-summary", " Still saving.").await?;
    s.wait_saved().await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_input_stays_text_everywhere() -> TestResult {
    let corpus: Vec<String> = serde_json::from_str(&std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/strings.json"),
    )?)?;
    let s = session().await?;
    let path = s.create_postmortem("Hostile input").await?;

    // Typed and pasted into fields, including a single line as long as a field may hold
    // (the corpus's 1 MB line is over Debrief's limits: the import and limit tests cover it).
    let max = debrief::domain::limits::MAX_TEXT_CHARS;
    let joined = corpus.iter().filter(|t| t.chars().count() <= 10_000).cloned().collect::<Vec<_>>().join("\n");
    s.set_value("#pm-title", &corpus[0]).await?;
    s.set_value("#pm-summary", &joined).await?;
    s.click_button("Add event").await?;
    s.set_value("textarea[id^=event-text-]", &corpus[1]).await?;
    s.set_value("#pm-impact", &"x".repeat(max)).await?;
    s.wait_saved().await?;
    s.client.refresh().await?;
    s.find("main h1").await?;
    assert_inert(&s, "the editor").await?;
    assert_eq!(s.find("main h1").await?.text().await?, corpus[0]);
    assert_eq!(s.value("#pm-summary").await?.replace("\r\n", "\n"), joined);
    assert_eq!(s.value("#pm-impact").await?.len(), max);
    // One character more is not saved: the editor says which limit, and keeps the edit.
    s.set_value("#pm-impact", &"x".repeat(max + 1)).await?;
    s.wait_for_text("the limit", |t| {
        t.contains("This change is not saved: the impact is 100,001 characters long; it may be at most 100,000")
    })
    .await?;
    assert_eq!(s.value("#pm-impact").await?.len(), max + 1);
    s.set_value("#pm-impact", &"x".repeat(max)).await?;
    s.wait_saved().await?;

    // Links with other schemes are refused.
    s.click_css("[id^=event-links-]").await?;
    for bad in ["javascript:window.__pwned=1", "data:text/html,<script>window.__pwned=1</script>"] {
        s.find("[id^=event-link-]").await?.clear().await?;
        s.type_into("[id^=event-link-]", &format!("{bad}\n")).await?;
        s.wait_for_text("the refusal", |t| t.contains("only http:// and https:// links are allowed")).await?;
    }
    assert_inert(&s, "evidence links").await?;

    // The print view and the library list show it as text.
    s.open(&format!("{path}/print")).await?;
    assert_inert(&s, "the print view").await?;
    assert!(s.page_text().await?.contains("<script>window.__pwned = 1</script>"));
    s.open("/").await?;
    assert_inert(&s, "the library").await?;
    assert!(s.page_text().await?.contains(&corpus[0]));

    // Through an invitation link and a contribution code.
    s.open(&path).await?;
    let link = create_invitation(&s, &corpus[..4].join(" "), false).await?;
    open_link(&s, &link).await?;
    assert_inert(&s, "the contributor page").await?;
    assert!(s.page_text().await?.contains(&corpus[1]));
    s.set_value("#contribute-q1", &corpus[2]).await?;
    let code = finish_contribution(&s).await?;
    assert_inert(&s, "the finished contribution").await?;
    s.open(&path).await?;
    paste_codes(&s, &code).await?;
    merge_all(&s).await?;
    s.wait_for_text("the merge", |t| t.contains("1 of 1 merged")).await?;
    assert_inert(&s, "merged answers").await?;
    assert_eq!(s.find(".contribution-answer .answer-text").await?.text().await?, corpus[2]);

    // Through a library file and a template file.
    s.open("/").await?;
    let mut pm: Value =
        serde_json::from_str(&s.storage_item(&format!("debrief.pm.{}", &path[13..])).await?.unwrap_or_default())?;
    pm["postmortems"][0]["id"] = json!("00000000-0000-4000-8000-00000000beef");
    pm["postmortems"][0]["title"] = json!(corpus[6]);
    import_file(&s, "hostile.json", &pm.to_string()).await?;
    s.wait_for_text("the preview", |t| t.contains(corpus[6].as_str())).await?;
    assert_inert(&s, "the import preview").await?;
    // Files that are not text, or that say one thing twice, are refused with the reason.
    s.open("/").await?;
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let mut picked = Vec::new();
    for name in ["invalid-utf8.json", "duplicate-keys.json"] {
        let path = dir.join(name);
        std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile").join(name), &path)?;
        picked.push(path.to_string_lossy().into_owned());
    }
    s.find("#import-input").await?.send_keys(&picked.join("\n")).await?;
    s.wait_for_text("the refusals", |t| t.contains("it is not UTF-8 text") && t.contains("appears twice")).await?;
    assert_inert(&s, "refused files").await?;
    let template = json!({"format": "debrief", "version": 1, "app_version": "0", "templates": [{
        "id": "custom-hostile", "name": corpus[3], "description": corpus[1], "version": 1,
        "sections": [{"key": "notes", "title": corpus[0], "required": false, "prompt": corpus[2], "help": "", "example": "", "part": "text"}]
    }]});
    s.open("/templates").await?;
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("hostile.debrief-template.json");
    std::fs::write(&file, template.to_string())?;
    s.find("#template-import").await?.send_keys(&file.to_string_lossy()).await?;
    s.wait_for_text("the template", |t| t.contains("Templates: added")).await?;
    assert_inert(&s, "the templates page").await?;
    assert!(s.page_text().await?.contains(corpus[3].as_str()));
    s.finish().await
}

/// Records every console error and uncaught error of the page (a wasm panic logs one, then
/// throws "unreachable"), from before the app starts, in `window.__errors`.
const RECORD_ERRORS: &str = "window.__errors = [];
const shown = console.error.bind(console);
console.error = (...parts) => { window.__errors.push(parts.map(String).join(' ')); shown(...parts); };
addEventListener('error', e => window.__errors.push('uncaught: ' + e.message));
addEventListener('unhandledrejection', e => window.__errors.push('rejected: ' + String(e.reason)));";

/// Opening an invitation link in the same tab at any moment of the library's start-up
/// (its background work still under way: the search index reading, the kept team folder
/// looked up, storage measured) never panics: the contributor's page shows, the console
/// holds no error, and going back to the library works.
#[tokio::test(flavor = "multi_thread")]
async fn an_invitation_link_opened_during_the_library_start_up_never_panics() -> TestResult {
    let s = session().await?;
    for n in 1..=3 {
        s.create_postmortem(&format!("Start-up race {n}")).await?;
        s.type_into("#pm-summary", "Something for the search index to read.").await?;
        s.wait_saved().await?;
    }
    let link = create_invitation(&s, "What did you see?", false).await?;
    let fragment = &link[link.find('#').ok_or("the link has a fragment")?..];
    // Enough postmortems that the search index reads for a second or two at start-up.
    let many: Vec<debrief::domain::Postmortem> = (0..120)
        .map(|i| {
            let mut pm = debrief::domain::sample::full_postmortem(chrono::Utc::now());
            pm.id = debrief::domain::PostmortemId::random();
            pm.title = format!("Background {i}");
            pm
        })
        .collect();
    s.open("/").await?;
    let file = debrief::file_format::Envelope::with_postmortems(many).to_pretty_json()?;
    import_file(&s, "many.json", &file).await?;
    s.click_button("Import 120 postmortems").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 120 added")).await?;
    s.client.issue_cmd(DevTools("Page.addScriptToEvaluateOnNewDocument", json!({ "source": RECORD_ERRORS }))).await?;
    // At many moments after the page starts loading: counted in frames the page paints.
    for frames in [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89] {
        s.client.goto(&format!("{}/", s.base)).await?;
        s.client
            .execute_async(
                "const [frames, fragment, done] = arguments;
                 let left = frames;
                 const step = () => { if (left-- <= 0) { location.hash = fragment; done(true); } else requestAnimationFrame(step); };
                 step();",
                vec![json!(frames), json!(fragment)],
            )
            .await?;
        s.wait_for_text("the contributor's page", |t| t.contains("You are invited to contribute anonymously")).await?;
        s.settle().await?;
        let errors = s.js("return window.__errors;", vec![]).await?;
        assert_eq!(errors, json!([]), "after {frames} frames");
        // Back to the library: it starts again, and still nothing goes wrong.
        s.js("location.hash = '';", vec![]).await?;
        s.wait_for_text("the library", |t| t.contains("Start-up race 3")).await?;
        s.settle().await?;
        let errors = s.js("return window.__errors;", vec![]).await?;
        assert_eq!(errors, json!([]), "back to the library after {frames} frames");
    }
    s.finish().await
}
