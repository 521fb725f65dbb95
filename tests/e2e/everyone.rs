//! Works for everyone, everywhere: the first run and the sample, accessibility (axe-core on
//! every page in both themes), themes, the keyboard, offline use through the service worker
//! and updates, and a phone-sized screen.

use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn every_page_passes_axe_in_both_themes() -> TestResult {
    let s = session().await?;
    let editor = open_sample(&s).await?;
    // An invitation, for the contributor's page.
    let link = create_invitation(&s, "Checkout errors after a configuration change.", false).await?;
    // Something in the trash, and a custom template to edit.
    s.create_postmortem("Binned").await?;
    s.open("/").await?;
    s.find("button[aria-label='Move to trash: “Binned”']").await?.click().await?;
    s.open("/templates").await?;
    click_labelled(&s, "Copy to customise: Lightweight (minor incidents)").await?;
    s.wait_for_text("the template copy", |t| t.contains("Version 1 saved")).await?;
    let template_editor = s.client.current_url().await?.path().to_owned();
    let mut report = Vec::new();
    for theme in ["light", "dark"] {
        s.js("localStorage.setItem('debrief.theme', arguments[0]);", vec![json!(theme)]).await?;
        for page in [
            "/",
            "/new",
            "/templates",
            "/templates/google-sre",
            "/actions",
            "/metrics",
            "/report",
            "/storage",
            "/trash",
            "/no/such/page",
            &template_editor,
        ] {
            check_page(&s, theme, page, &mut report).await?;
        }
        check_page(&s, theme, &editor, &mut report).await?;
        check_page(&s, theme, &format!("{editor}?guide=start"), &mut report).await?;
        check_page(&s, theme, &format!("{editor}/print"), &mut report).await?;
        // The shortcuts dialog, open over the editor.
        s.open(&editor).await?;
        s.click_button("Keyboard shortcuts ?").await?;
        s.find("dialog[open]").await?;
        check_here(&s, theme, "the shortcuts dialog", &mut report).await?;
        // The export menu, showing what replacing names with roles will do.
        s.open(&editor).await?;
        s.click_css(".export-menu summary").await?;
        s.click_css(".export-options input[type=checkbox]").await?;
        s.find(".redaction-preview #missed-name").await?;
        check_here(&s, theme, "the export menu with names replaced", &mut report).await?;
        // The contributor's page, as a fresh load of the link.
        open_link(&s, &link).await?;
        check_here(&s, theme, "the contribution page", &mut report).await?;
    }
    // The first run, in an empty library.
    for theme in ["light", "dark"] {
        s.js("localStorage.clear(); localStorage.setItem('debrief.theme', arguments[0]);", vec![json!(theme)]).await?;
        check_page(&s, theme, "/", &mut report).await?;
    }
    assert!(report.is_empty(), "axe-core found violations:\n{}", report.join("\n"));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_visit_explains_debrief_and_opens_a_sample_that_shows_every_part() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    let text = s.page_text().await?;
    assert!(text.contains("No postmortems yet") && text.contains("without blaming anyone"), "{text}");
    assert!(text.contains("kept only in this browser") && text.contains("Back up everything"), "{text}");
    // The note goes once dismissed, and stays gone.
    s.click_button("Got it").await?;
    s.client.refresh().await?;
    s.find("main h1").await?;
    assert!(!s.page_text().await?.contains("kept only in this browser"));
    s.click_button("Open a sample postmortem").await?;
    s.find("#pm-title").await?;
    let title = s.value("#pm-title").await?;
    assert!(!title.is_empty());
    // Every section has content: key times, people, timeline, factors, actions, lessons.
    for (css, at_least) in [
        ("#timeline .event-lines > li", 10),
        ("#factors .rows > li", 3),
        ("#actions .rows > li", 4),
        ("#lessons li", 3),
    ] {
        let n = s.all(css).await?.len();
        assert!(n >= at_least, "{css}: {n} rows");
    }
    let text = s.page_text().await?;
    assert!(!text.contains("needs “Impact started”"), "durations are computed");
    s.open("/").await?;
    s.wait_for_text("the sample in the library", |t| t.contains(&title) && t.contains("1 postmortem")).await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_theme_follows_the_system_until_chosen_and_is_remembered() -> TestResult {
    let s = session_with(
        start_server_at(dist_dir(), ""),
        &[],
        &["--force-dark-mode", "--blink-settings=preferredColorScheme=0"],
    )
    .await?;
    s.open("/").await?;
    let background = "return getComputedStyle(document.documentElement).backgroundColor;";
    let system = s.js(background, vec![]).await?;
    assert_eq!(system, json!("rgb(21, 24, 28)"), "with nothing chosen, the system's dark setting is followed");
    assert_eq!(s.value("#theme-choice").await?, "system");
    s.find("#theme-choice").await?.select_by_value("light").await?;
    let light = s.js(background, vec![]).await?;
    assert_eq!(light, json!("rgb(246, 244, 239)"));
    s.find("#theme-choice").await?.select_by_value("dark").await?;
    assert_eq!(s.js(background, vec![]).await?, json!("rgb(21, 24, 28)"));
    assert_eq!(s.storage_item("debrief.theme").await?.as_deref(), Some("dark"));
    // Remembered on the next load.
    s.client.refresh().await?;
    s.find("main h1").await?;
    assert_eq!(s.js("return document.documentElement.dataset.theme;", vec![]).await?, json!("dark"));
    assert_eq!(s.value("#theme-choice").await?, "dark");
    // The theme script in <head> comes before the stylesheet, so the first paint is dark.
    let order = "const [theme, css] = [document.querySelector('head script[src^=\"theme-\"]:not([type])'),                  document.querySelector('head link[rel=stylesheet]')];                  return !!theme && !!css && !!(theme.compareDocumentPosition(css) & Node.DOCUMENT_POSITION_FOLLOWING);";
    assert_eq!(s.js(order, vec![]).await?, json!(true));
    // Back to the system's setting: the choice is forgotten.
    s.find("#theme-choice").await?.select_by_value("system").await?;
    assert_eq!(s.storage_item("debrief.theme").await?, None);
    assert_eq!(s.js(background, vec![]).await?, system);
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_postmortem_can_be_written_with_the_keyboard_alone() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    // "?" lists the shortcuts in a dialog that holds focus and hands it back on Escape.
    s.js("document.activeElement && document.activeElement.blur();", vec![]).await?;
    press(&s, "?").await?;
    s.find("dialog[open]").await?;
    assert!(s.page_text().await?.contains("Keyboard shortcuts"));
    for _ in 0..4 {
        press(&s, &key(fantoccini::key::Key::Tab)).await?;
        let inside = s.js("return !!document.activeElement.closest('dialog[open]');", vec![]).await?;
        assert_eq!(inside, json!(true), "focus stays in the dialog: {}", focused(&s).await?);
    }
    press(&s, &key(fantoccini::key::Key::Escape)).await?;
    assert!(s.all("dialog[open]").await?.is_empty(), "Escape closes the dialog");
    // Opened from its button, the dialog gives focus back to the button.
    tab_to(&s, "the shortcuts button", |f| f.starts_with("button#") && f.contains("Keyboard shortcuts")).await?;
    press(&s, &key(fantoccini::key::Key::Enter)).await?;
    s.find("dialog[open]").await?;
    press(&s, &key(fantoccini::key::Key::Escape)).await?;
    assert!(focused(&s).await?.contains("Keyboard shortcuts"), "focus returns: {}", focused(&s).await?);
    // "n": a new postmortem; Tab to "Start blank", Enter.
    press(&s, "n").await?;
    s.wait_for_text("the new postmortem page", |t| t.contains("Start blank")).await?;
    // Focus moves to the new page's heading once it is drawn.
    wait_for_focus(&s, "the new page's heading", |f| f.starts_with("h1#")).await?;
    tab_to(&s, "Start blank", |f| f.starts_with("button#") && f.ends_with("Start blank")).await?;
    press(&s, &key(fantoccini::key::Key::Enter)).await?;
    s.find("#pm-title").await?;
    wait_for_focus(&s, "the title of a blank postmortem", |f| f.starts_with("input#pm-title")).await?;
    press(&s, "Checkout errors, written by keyboard").await?;
    // Ctrl+S saves from inside the field and moves focus to the save status.
    press(&s, &ctrl_s()).await?;
    assert!(focused(&s).await?.starts_with("p#save-status Saved"), "{}", focused(&s).await?);
    // "t" adds a timeline event and puts focus in it.
    press(&s, "t").await?;
    assert!(focused(&s).await?.starts_with("textarea#event-text-"), "{}", focused(&s).await?);
    press(&s, "Error rate alert fired for checkout.").await?;
    press(&s, &ctrl_s()).await?;
    s.wait_saved().await?;
    let id = s.client.current_url().await?.path().rsplit('/').next().unwrap_or_default().to_owned();
    let stored = s.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default();
    assert!(
        stored.contains("Checkout errors, written by keyboard") && stored.contains("Error rate alert fired"),
        "{stored}"
    );
    // "/" goes to the library's search; the result opens with Enter.
    press(&s, "/").await?;
    s.find("#library-search").await?;
    wait_for_focus(&s, "the library's search", |f| f.starts_with("input#library-search")).await?;
    press(&s, "by keyboard").await?;
    s.wait_for_text("the search result", |t| t.contains("1 postmortem")).await?;
    tab_to(&s, "the result", |f| f.starts_with("a#") && f.contains("written by keyboard")).await?;
    press(&s, &key(fantoccini::key::Key::Enter)).await?;
    s.wait_for_text("the editor", |t| t.contains("Error rate alert fired") || t.contains("Timeline")).await?;
    assert_eq!(s.value("#pm-title").await?, "Checkout errors, written by keyboard");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn guided_mode_moves_between_sections_with_brackets() -> TestResult {
    let s = session().await?;
    let editor = open_sample(&s).await?;
    s.open(&format!("{editor}?guide=start")).await?;
    s.js("document.activeElement && document.activeElement.blur();", vec![]).await?;
    press(&s, "]").await?;
    s.wait_for_text("the first section", |t| t.contains("1 of ")).await?;
    press(&s, "]").await?;
    s.wait_for_text("the second section", |t| t.contains("2 of ")).await?;
    s.js("document.activeElement && document.activeElement.blur();", vec![]).await?;
    press(&s, "[").await?;
    s.wait_for_text("back to the first", |t| t.contains("1 of ")).await?;
    s.finish().await
}

/// Whether the server of the next test refuses the other pages' part of the app.
static REFUSING_PAGES: AtomicBool = AtomicBool::new(true);

#[tokio::test(flavor = "multi_thread")]
async fn a_page_whose_code_cannot_be_fetched_says_so_and_loads_on_try_again() -> TestResult {
    // The network goes away for one part of the app (the pages other than the library and
    // a postmortem) before the service worker could keep it.
    let server = StoppableServer::start_refusing(dist_dir(), "", |path| {
        REFUSING_PAGES.load(Ordering::SeqCst) && path.starts_with("/split_pages-")
    });
    let s = session_at(server.base.clone()).await?;
    s.open("/").await?;
    s.find("nav a[href='/metrics']").await?.click().await?;
    s.wait_for_text("the message", |t| t.contains("This page could not be loaded")).await?;
    let text = s.page_text().await?;
    assert!(text.contains("Your postmortems are safe in this browser"), "{text}");
    // A tab opened before an update asks for parts the host no longer has: reload is offered.
    assert!(text.contains("if Debrief was updated since this page was opened, reload it"), "{text}");
    s.find("main section.part-missing button.secondary").await?;
    wait_for_focus(&s, "the message's heading", |f| f.starts_with("h1#")).await?;
    let violations = axe_violations(&s).await?;
    assert!(violations.is_empty(), "{violations:#?}");
    // Trying again while the part is still missing says so.
    s.click_button("Try again").await?;
    s.wait_for_text("the second failure", |t| t.contains("Tried again 1 time: still not loaded.")).await?;
    // The rest of the app still works.
    s.find("nav a[href='/']").await?.click().await?;
    s.wait_for_text("the library", |t| t.contains("Blameless write-ups of what happened")).await?;
    // Back on the page once the network is back: Try again shows it in place.
    s.find("nav a[href='/metrics']").await?.click().await?;
    s.wait_for_text("the message again", |t| t.contains("This page could not be loaded")).await?;
    REFUSING_PAGES.store(false, Ordering::SeqCst);
    s.click_button("Try again").await?;
    s.wait_for_text("the metrics page", |t| t.contains("Metrics") && !t.contains("could not be loaded")).await?;
    s.find(".metrics-page, main h1").await?;
    assert_eq!(s.js("return document.querySelector('main h1').textContent;", vec![]).await?, json!("Metrics"));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_host_that_serves_wasm_as_another_type_still_opens_every_part() -> TestResult {
    // Some static hosts do not know WebAssembly's content type.
    let s = session_at(start_server_serving_wasm_as(dist_dir(), "application/octet-stream")).await?;
    // The library, then the new-postmortem page (the other pages' part), then the editor.
    s.create_postmortem("Served as a plain download").await?;
    s.open("/metrics").await?;
    assert_eq!(s.js("return document.querySelector('main h1').textContent;", vec![]).await?, json!("Metrics"));
    s.open("/").await?;
    s.wait_for_text("the library", |t| t.contains("Served as a plain download")).await?;
    s.finish().await
}

/// Whether the server of the next test refuses the library app's part.
static REFUSING_LIBRARY: AtomicBool = AtomicBool::new(true);

#[tokio::test(flavor = "multi_thread")]
async fn a_library_app_that_cannot_be_fetched_says_so_and_loads_on_try_again() -> TestResult {
    // The first visit, with the network gone after the start-up files.
    let server = StoppableServer::start_refusing(dist_dir(), "", |path| {
        REFUSING_LIBRARY.load(Ordering::SeqCst) && path.starts_with("/split_library-")
    });
    let s = session_at(server.base.clone()).await?;
    s.client.goto(&format!("{}/", server.base)).await?;
    s.wait_for_text("the message", |t| t.contains("This page could not be loaded")).await?;
    assert_eq!(s.js("return document.querySelectorAll('main h1').length;", vec![]).await?, json!(1));
    let violations = axe_violations(&s).await?;
    assert!(violations.is_empty(), "{violations:#?}");
    REFUSING_LIBRARY.store(false, Ordering::SeqCst);
    s.click_button("Try again").await?;
    s.wait_for_text("the library", |t| t.contains("Blameless write-ups of what happened")).await?;
    s.find("nav a[href='/metrics']").await?;
    s.finish().await
}

/// Whether the server of the next test refuses the editor's less used sections.
static REFUSING_SECTIONS: AtomicBool = AtomicBool::new(true);

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_section_whose_code_cannot_be_fetched_says_so_and_the_rest_works() -> TestResult {
    // The contributions and review cards and the paste panel come just after the editor.
    let server = StoppableServer::start_refusing(dist_dir(), "", |path| {
        REFUSING_SECTIONS.load(Ordering::SeqCst) && path.starts_with("/split_sections-")
    });
    let s = session_at(server.base.clone()).await?;
    s.create_postmortem("Edited while a part is missing").await?;
    s.wait_for_text("the messages", |t| {
        t.contains("The contributions could not be loaded") && t.contains("The review could not be loaded")
    })
    .await?;
    // The rest of the editor works and saves.
    s.type_into("#pm-summary", "Written with two cards missing.").await?;
    s.wait_saved().await?;
    let violations = axe_violations(&s).await?;
    assert!(violations.is_empty(), "{violations:#?}");
    // Back on the network, Try again shows the card in place and moves focus to its heading.
    REFUSING_SECTIONS.store(false, Ordering::SeqCst);
    s.js(
        "const message = [...document.querySelectorAll('section.part-missing')]
           .find(m => m.querySelector('h2').textContent.includes('contributions'));
         const again = message.querySelector('button.primary');
         again.focus();
         again.click();",
        vec![],
    )
    .await?;
    s.wait_for_text("the card", |t| t.contains("Anonymous contributions")).await?;
    wait_for_focus(&s, "the card's heading", |f| f.starts_with("h2#contributions-heading")).await?;
    // The other card's part is tried again too once one arrives, and focus stays put.
    s.wait_for_text("the other card", |t| !t.contains("The review could not be loaded")).await?;
    s.find("#review-heading").await?;
    wait_for_focus(&s, "the first card's heading still", |f| f.starts_with("h2#contributions-heading")).await?;
    s.finish().await
}

/// Whether the server of the next test holds back the editor's less used sections, and
/// whether it has been asked for them.
static HOLDING_SECTIONS: AtomicBool = AtomicBool::new(true);
static SECTIONS_ASKED: AtomicBool = AtomicBool::new(false);

#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_editor_while_its_cards_are_on_their_way_is_safe() -> TestResult {
    // The cards' part is asked for once the editor is painted; its answer waits until the
    // person has gone back to the library. (The cards' fetch is cancelled with the editor;
    // were it not, today's cards would still build harmlessly, since they read nothing of
    // the page when made: this guards the person's path, not that one line.)
    let server = StoppableServer::start_refusing(dist_dir(), "", |path| {
        if path.starts_with("/split_sections-") {
            SECTIONS_ASKED.store(true, Ordering::SeqCst);
            while HOLDING_SECTIONS.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        false
    });
    let s = session_at(server.base.clone()).await?;
    s.create_postmortem("Left before its cards came").await?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !SECTIONS_ASKED.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "the editor never asked for its cards");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    s.find("nav a[href='/']").await?.click().await?;
    s.wait_for_text("the library", |t| t.contains("Left before its cards came") && t.contains("Blameless write-ups"))
        .await?;
    HOLDING_SECTIONS.store(false, Ordering::SeqCst);
    // The part arrives with no editor to show it in: nothing breaks.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let arrived = s
            .js("return performance.getEntriesByType('resource').some(e => new URL(e.name).pathname.startsWith('/split_sections-'));", vec![])
            .await?;
        if arrived == json!(true) {
            break;
        }
        assert!(Instant::now() < deadline, "the cards' part never arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Its code is compiled and run a moment after it arrives: the library is then used.
    s.find("nav a[href='/metrics']").await?.click().await?;
    s.wait_for_text("the metrics page", |t| t.contains("Metrics")).await?;
    s.find("nav a[href='/']").await?.click().await?;
    s.wait_for_text("the library again", |t| t.contains("Left before its cards came")).await?;
    assert_eq!(s.js("return document.querySelectorAll('dialog.crash').length;", vec![]).await?, json!(0));
    s.finish().await
}

/// Whether the server of the next test refuses the part that reads files and folders.
static REFUSING_IMPORT: AtomicBool = AtomicBool::new(true);

#[tokio::test(flavor = "multi_thread")]
async fn an_import_whose_code_cannot_be_fetched_says_so_and_changes_nothing() -> TestResult {
    // The library is shown without the code that reads files: it comes when files are
    // brought in, and here the network is gone by then.
    let server = StoppableServer::start_refusing(dist_dir(), "", |path| {
        REFUSING_IMPORT.load(Ordering::SeqCst) && path.starts_with("/split_exchange-")
    });
    let s = session_at(server.base.clone()).await?;
    s.create_postmortem("Kept while the network is away").await?;
    s.open("/").await?;
    s.wait_for_text("the library", |t| t.contains("Kept while the network is away")).await?;
    let file = include_str!("../fixtures/v1-postmortem.debrief.json");
    import_file(&s, "old.debrief.json", file).await?;
    s.wait_for_text("the message", |t| {
        t.contains("The files were not read: this part of Debrief could not be loaded")
            && t.contains("Your library is unchanged")
    })
    .await?;
    wait_for_focus(&s, "the message", |f| f.contains("#library-error") && f.contains("The files were not read"))
        .await?;
    let text = s.page_text().await?;
    assert!(!text.contains("Import preview") && text.contains("Kept while the network is away"), "{text}");
    assert_eq!(s.js("return document.querySelectorAll('.library-table tbody tr').length;", vec![]).await?, json!(1));
    let violations = axe_violations(&s).await?;
    assert!(violations.is_empty(), "{violations:#?}");
    // Once the network is back, the same file brings up the preview.
    REFUSING_IMPORT.store(false, Ordering::SeqCst);
    import_file(&s, "old.debrief.json", file).await?;
    s.wait_for_text("the preview", |t| t.contains("Import preview")).await?;
    assert!(!s.page_text().await?.contains("The files were not read"), "the earlier failure is gone");
    wait_for_focus(&s, "the preview's heading", |f| f.contains("import-heading")).await?;
    s.finish().await
}

/// Whether the server of the next test refuses the part that reads files and folders.
static REFUSING_FOLDER: AtomicBool = AtomicBool::new(true);

#[tokio::test(flavor = "multi_thread")]
async fn a_team_folder_whose_code_cannot_be_fetched_says_so_and_reads_once_it_can() -> TestResult {
    let server = StoppableServer::start_refusing(dist_dir(), "", |path| {
        REFUSING_FOLDER.load(Ordering::SeqCst) && path.starts_with("/split_exchange-")
    });
    let s = session_at(server.base.clone()).await?;
    s.create_postmortem("Written before the folder").await?;
    s.open("/").await?;
    offer_private_folder(&s).await?;
    s.click_css(".team-folder-box summary").await?;
    s.click_button("Open team folder…").await?;
    s.wait_for_text("the message", |t| {
        t.contains("Team folder: team") && t.contains("this part of Debrief could not be loaded")
    })
    .await?;
    assert!(s.page_text().await?.contains("Your postmortems are safe in this browser"));
    REFUSING_FOLDER.store(false, Ordering::SeqCst);
    s.click_button("Read the folder now").await?;
    wait_for_private_file_with(&s, "Written before the folder").await?;
    s.wait_for_text("read and written", |t| !t.contains("could not be loaded") && t.contains("Team folder: team"))
        .await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn after_one_visit_the_app_opens_with_the_server_stopped() -> TestResult {
    // The sub-path build, as on a GitHub Pages project page (scripts/test.sh builds it).
    let dir = std::env::var("DEBRIEF_SUBPATH_DIST").map(PathBuf::from).unwrap_or_else(|_| dist_dir());
    let prefix = if std::env::var("DEBRIEF_SUBPATH_DIST").is_ok() { "/debrief" } else { "" };
    let server = StoppableServer::start(dir, prefix);
    let s = session_at(server.base.clone()).await?;
    s.open("/").await?;
    wait_for_service_worker(&s).await?;
    let path = s.create_postmortem("Written before going offline").await?;
    server.stop();
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_err(), "the server is down");
    for page in ["/", "/storage"] {
        s.open(page).await?;
    }
    s.open("/").await?;
    s.wait_for_text("the library, offline", |t| t.contains("Written before going offline")).await?;
    s.client.goto(&format!("http://127.0.0.1:{}{path}", server.port)).await?;
    assert_eq!(s.value("#pm-title").await?, "Written before going offline");
    s.type_into("#pm-summary", "Edited offline.").await?;
    s.wait_saved().await?;
    // The manifest and its icons came from the cache too: the app stays installable.
    let manifest = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json()).then(
               (m) => Promise.all(m.icons.map((i) => fetch(new URL(i.src, document.querySelector('link[rel=manifest]').href)).then((r) => r.ok)))
                 .then((ok) => done({ name: m.name, icons: ok })),
               (e) => done({ error: String(e) }));",
            vec![],
        )
        .await?;
    assert_eq!(manifest["name"], json!("Debrief: blameless postmortems"), "{manifest}");
    assert_eq!(manifest["icons"], json!([true, true, true, true]), "{manifest}");
    // Chromium itself finds nothing that stops installing Debrief as an app.
    let installability = s.client.issue_cmd(DevTools("Page.getInstallabilityErrors", json!({}))).await?;
    assert_eq!(installability["installabilityErrors"], json!([]), "{installability}");
    assert_eq!(s.js("return window.__cspViolations;", vec![]).await?, json!([]));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_version_is_announced_and_taken_on_reload() -> TestResult {
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    copy_dir(&dist_dir(), &dir)?;
    let server = StoppableServer::start(dir.clone(), "");
    let s = session_at(server.base.clone()).await?;
    s.open("/").await?;
    wait_for_service_worker(&s).await?;
    let before = cache_names(&s).await?;
    assert_eq!(before.len(), 1, "{before:?}");
    assert!(before[0].starts_with("debrief / "), "one cache, named after where the app is served: {before:?}");
    assert!(!s.page_text().await?.contains("A new version of Debrief is ready"), "the first install is not an update");
    // Deploy a new version: the service worker changes.
    let sw = std::fs::read_to_string(dir.join("sw.js"))?;
    std::fs::write(dir.join("sw.js"), sw.replacen("const VERSION = \"", "const VERSION = \"next-", 1))?;
    s.client.refresh().await?;
    s.find("main h1").await?;
    // The new version's files are fetched first: on a busy machine that takes a while.
    s.wait_for_text_within("the update notice", Duration::from_secs(40), |t| {
        t.contains("A new version of Debrief is ready")
    })
    .await?;
    // Marks this page, to tell when the reload has replaced it.
    s.js("window.__beforeUpdate = true;", vec![]).await?;
    s.click_button("Reload now").await?;
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        let names = cache_names(&s).await.unwrap_or_default();
        if names.len() == 1 && names[0].starts_with("debrief / next-") && reloaded(&s).await {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("the new version did not take over: caches {names:?}").into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    s.find("main h1").await?;
    assert!(!s.page_text().await?.contains("A new version of Debrief is ready"));
    let _ = std::fs::remove_dir_all(&dir);
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_fits_a_390_pixel_wide_screen() -> TestResult {
    // A phone's screen: desktop windows cannot be made this narrow.
    let phone = json!({ "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 3.0, "touch": true } });
    let s = session_with_options(start_server_at(dist_dir(), ""), &[], &[], &[("mobileEmulation", phone)]).await?;
    s.open("/").await?;
    let width = s.js("return document.documentElement.clientWidth;", vec![]).await?;
    assert_eq!(width, json!(390), "a phone-sized viewport");
    check_fits(&s, "the first run").await?;
    let editor = open_sample(&s).await?;
    check_fits(&s, "the editor").await?;
    s.click_css(".export-menu summary").await?;
    s.click_css(".export-options input[type=checkbox]").await?;
    s.find(".redaction-preview #missed-name").await?;
    check_fits(&s, "the export menu").await?;
    s.click_css(".export-menu summary").await?;
    let link = create_invitation(&s, "Checkout errors after a configuration change.", false).await?;
    for page in
        ["/", "/new", "/templates", "/templates/google-sre", "/actions", "/metrics", "/report", "/storage", "/trash"]
    {
        s.open(page).await?;
        check_fits(&s, page).await?;
    }
    s.open(&format!("{editor}?guide=start")).await?;
    check_fits(&s, "guided mode").await?;
    s.open(&format!("{editor}/print")).await?;
    check_fits(&s, "the print view").await?;
    open_link(&s, &link).await?;
    check_fits(&s, "the contribution page").await?;
    // Off the screen's edge, the reassurance kept, and every button big enough for a thumb.
    let phone = s
        .js(
            "const h1 = document.querySelector('main h1');
             const note = document.querySelector('.privacy-note');
             const small = [...document.querySelectorAll('main button, main .button-link')]
               .filter((b) => b.getClientRects().length > 0 && b.getBoundingClientRect().height < 44)
               .map((b) => b.textContent.trim() + ' ' + Math.round(b.getBoundingClientRect().height));
             return [Math.round(h1.getBoundingClientRect().left), note.getClientRects().length > 0, small];",
            vec![],
        )
        .await?;
    assert!(phone[0].as_i64().is_some_and(|left| left >= 12), "text this far from the edge: {phone}");
    assert_eq!(phone[1], json!(true), "the line that says nothing is sent stays on a phone");
    assert_eq!(phone[2], json!([]), "buttons under 44 px tall");
    // A contributor can answer and finish on a phone.
    answer(&s, &[(1, "I saw the error rate climb on the checkout dashboard.")]).await?;
    finish_contribution(&s).await?;
    check_fits(&s, "the finished contribution").await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_chosen_theme_is_applied_before_the_app_runs() -> TestResult {
    // A server that never hands out the app's wasm (nor the service worker that would
    // cache it): only the page's own scripts run.
    let server =
        StoppableServer::start_refusing(dist_dir(), "", |path| path.ends_with(".wasm") || path.ends_with("sw.js"));
    let s = session_at(server.base.clone()).await?;
    s.client.goto(&format!("{}/", server.base)).await?;
    assert_eq!(
        s.js("return document.querySelectorAll('main').length;", vec![]).await?,
        json!(0),
        "the app did not start"
    );
    s.js("localStorage.setItem('debrief.theme', 'dark');", vec![]).await?;
    s.client.refresh().await?;
    assert_eq!(s.js("return document.documentElement.dataset.theme || null;", vec![]).await?, json!("dark"));
    s.js("localStorage.setItem('debrief.theme', 'light');", vec![]).await?;
    s.client.refresh().await?;
    assert_eq!(s.js("return document.documentElement.dataset.theme || null;", vec![]).await?, json!("light"));
    // A deep link too: the script's address resolves against <base href>, not the page's path.
    s.client.goto(&format!("{}/postmortems/0b3c7a1e-1111-4222-8333-944455556666", server.base)).await?;
    assert_eq!(s.js("return document.documentElement.dataset.theme || null;", vec![]).await?, json!("light"));
    server.stop();
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn paper_shows_the_content_and_no_controls_and_lists_line_up() -> TestResult {
    let s = session().await?;
    let editor = open_sample(&s).await?;
    // The sample's dates are one value each, never broken across lines.
    s.open("/").await?;
    s.find(".library-table .date-cell").await?;
    let broken = s
        .js(
            "return [...document.querySelectorAll('.library-table .date-cell')].filter((c) => {
               const r = document.createRange(); r.selectNodeContents(c); return r.getClientRects().length > 1; }).length;",
            vec![],
        )
        .await?;
    assert_eq!(broken, json!(0), "dates broken across lines");
    // The factor category shows its longest name whole; the lessons' Add buttons line up.
    s.open(&editor).await?;
    s.find("#factors select").await?;
    let layout = s
        .js(
            "const sel = document.querySelector('#factors select');
             const longest = [...sel.options].reduce((a, o) => o.text.length > a.length ? o.text : a, '');
             const probe = document.createElement('span');
             probe.style.font = getComputedStyle(sel).font; probe.style.whiteSpace = 'pre'; probe.textContent = longest;
             document.body.append(probe);
             const fits = sel.clientWidth >= probe.getBoundingClientRect().width; probe.remove();
             const tops = [...document.querySelectorAll('.lesson-list > .add-button')].map((b) => Math.round(b.getBoundingClientRect().top));
             return [fits, new Set(tops).size, tops.length];",
            vec![],
        )
        .await?;
    assert_eq!(layout, json!([true, 1, 3]), "[category fits, distinct Add heights, Add buttons]");

    // On paper: the content, not the controls or the app's banners.
    s.client.issue_cmd(DevTools("Emulation.setEmulatedMedia", json!({ "media": "print" }))).await?;
    let shown = "return [...document.querySelectorAll(arguments[0])].filter((e) => e.getClientRects().length > 0)
                   .map((e) => e.tagName.toLowerCase() + ' ' + (e.textContent || e.id).trim().slice(0, 40));";
    s.open("/metrics").await?;
    s.wait_for_text("metrics", |t| t.contains("Period:")).await?;
    let controls = s.js(shown, vec![json!("button, input, select, .overdue-notice")]).await?;
    assert_eq!(controls, json!([]), "controls on the printed metrics page");
    s.open(&format!("{editor}/print")).await?;
    s.find(".print-document").await?;
    let controls = s.js(shown, vec![json!("button, input, select, .overdue-notice, .notice")]).await?;
    assert_eq!(controls, json!([]), "controls on the printed postmortem");
    s.client.issue_cmd(DevTools("Emulation.setEmulatedMedia", json!({ "media": "" }))).await?;
    s.finish().await
}
