//! End-to-end tests: serve the built `dist/` on 127.0.0.1 and drive headless Chromium
//! through chromedriver the way a person uses Debrief.
//!
//! Build first (`trunk build --release`); `scripts/test.sh` does. `DEBRIEF_DIST` points
//! at another build directory.
#![cfg(not(target_arch = "wasm32"))]

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[path = "support/browser.rs"]
mod browser;
use browser::{Driver, free_port, launch, serve_one, start_server_at};

// ---------------------------------------------------------------------------------------
// A static file server with the single-page fallback static hosts give through 404.html.

fn dist_dir() -> PathBuf {
    let dir = std::env::var("DEBRIEF_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(dir.join("index.html").is_file(), "no built app in {}: run `trunk build --release` first", dir.display());
    dir
}

struct Session {
    client: Client,
    base: String,
    _driver: Driver,
}

async fn session() -> Result<Session, Box<dyn std::error::Error>> {
    session_at(start_server_at(dist_dir(), "")).await
}

async fn session_at(base: String) -> Result<Session, Box<dyn std::error::Error>> {
    session_with(base, &[], &[]).await
}

/// A fresh browser profile whose browser runs with the environment `envs` (such as `TZ`)
/// and the extra command-line `args` (such as `--lang=fr-FR`).
async fn session_with(
    base: String,
    envs: &[(&str, &str)],
    args: &[&str],
) -> Result<Session, Box<dyn std::error::Error>> {
    session_with_options(base, envs, args, &[]).await
}

/// As [`session_with`], with extra `goog:chromeOptions` entries (such as `mobileEmulation`).
async fn session_with_options(
    base: String,
    envs: &[(&str, &str)],
    args: &[&str],
    options_extra: &[(&str, Value)],
) -> Result<Session, Box<dyn std::error::Error>> {
    let (client, driver) = launch(envs, args, options_extra).await?;
    Ok(Session { client, base, _driver: driver })
}

impl Session {
    async fn open(&self, path: &str) -> Result<(), Box<dyn std::error::Error>> {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        self.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css("main h1")).await?;
        Ok(())
    }

    async fn find(&self, css: &str) -> Result<Element, Box<dyn std::error::Error>> {
        Ok(self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await?)
    }

    async fn all(&self, css: &str) -> Result<Vec<Element>, Box<dyn std::error::Error>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    async fn click_button(&self, text: &str) -> Result<(), Box<dyn std::error::Error>> {
        let xpath = format!("//button[normalize-space(.)='{text}']");
        let button = self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::XPath(&xpath)).await?;
        self.click(&button).await
    }

    /// Clicks like a person who scrolled the element to the middle of the screen first
    /// (WebDriver's own scrolling can leave it under the sticky editor bar).
    async fn click(&self, element: &Element) -> Result<(), Box<dyn std::error::Error>> {
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(element)?])
            .await?;
        element.click().await?;
        Ok(())
    }

    async fn click_css(&self, css: &str) -> Result<(), Box<dyn std::error::Error>> {
        let element = self.find(css).await?;
        self.click(&element).await
    }

    async fn type_into(&self, css: &str, text: &str) -> Result<(), Box<dyn std::error::Error>> {
        self.find(css).await?.send_keys(text).await?;
        Ok(())
    }

    /// Sets a value the way a date picker does: the value, then input and change events.
    async fn set_value(&self, css: &str, value: &str) -> Result<(), Box<dyn std::error::Error>> {
        self.find(css).await?;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]); el.value = arguments[1];
                 el.dispatchEvent(new Event('input', {bubbles: true}));
                 el.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![json!(css), json!(value)],
            )
            .await?;
        Ok(())
    }

    async fn value(&self, css: &str) -> Result<String, Box<dyn std::error::Error>> {
        Ok(self.find(css).await?.prop("value").await?.unwrap_or_default())
    }

    async fn values(&self, css: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let mut out = Vec::new();
        for el in self.all(css).await? {
            out.push(el.prop("value").await?.unwrap_or_default());
        }
        Ok(out)
    }

    async fn page_text(&self) -> Result<String, Box<dyn std::error::Error>> {
        Ok(self.find("body").await?.text().await?)
    }

    async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value, Box<dyn std::error::Error>> {
        Ok(self.client.execute(script, args).await?)
    }

    /// The stored text under `key`, unpacked when storage keeps it in the compact form.
    async fn storage_item(&self, key: &str) -> Result<Option<String>, Box<dyn std::error::Error>> {
        let v = self.js("return localStorage.getItem(arguments[0]);", vec![json!(key)]).await?;
        v.as_str().map(unpacked).transpose()
    }

    /// Waits until `check` holds for the page text.
    async fn wait_for_text(&self, what: &str, check: impl Fn(&str) -> bool) -> Result<(), Box<dyn std::error::Error>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.page_text().await?;
            if check(&text) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what}; page says:\n{text}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_saved(&self) -> Result<(), Box<dyn std::error::Error>> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let status = self.find("[data-testid=save-status]").await?.text().await?;
            if status.starts_with("Saved") {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!("not saved: status is {status:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn create_postmortem(&self, title: &str) -> Result<String, Box<dyn std::error::Error>> {
        self.open("/").await?;
        self.click_button("New postmortem").await?;
        self.click_button("Start blank").await?;
        self.type_into("#pm-title", title).await?;
        self.wait_saved().await?;
        let url = self.client.current_url().await?;
        Ok(url.path().to_owned())
    }

    async fn finish(self) -> TestResult {
        self.client.close().await?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// The tests.

#[tokio::test(flavor = "multi_thread")]
async fn a_postmortem_with_every_field_survives_a_reload() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    assert!(s.page_text().await?.contains("No postmortems yet"));
    s.click_button("New postmortem").await?;
    s.click_button("Start blank").await?;

    // Overview.
    s.type_into("#pm-title", "Checkout errors after a pool change").await?;
    s.type_into("#pm-ref", "INC-2041").await?;
    s.find("#pm-status").await?.select_by_value("in-review").await?;
    s.find("#pm-severity").await?.select_by_value("2").await?;
    s.type_into("#pm-summary", "A third of checkout requests failed for 52 minutes.").await?;
    s.type_into("#pm-services", "checkout-api\n").await?;
    s.type_into("#pm-services", "orders-db,").await?;
    s.type_into("#pm-tags", "database\n").await?;

    // Key times, entered in UTC+01:00; durations are computed.
    s.find("#pm-offset").await?.select_by_value("60").await?;
    s.set_value("#pm-time-impact-started", "2026-04-14T13:58").await?;
    s.set_value("#pm-time-detected", "2026-04-14T14:05").await?;
    s.set_value("#pm-time-mitigated", "2026-04-14T14:50").await?;
    s.set_value("#pm-time-resolved", "2026-04-14T16:20").await?;
    s.wait_for_text("durations", |t| t.contains("7 min") && t.contains("52 min") && t.contains("2 h 22 min")).await?;

    // Participants and impact.
    s.click_button("Add participant").await?;
    s.type_into("[id^=participant-name-]", "Ana Lima").await?;
    s.type_into("[id^=participant-role-]", "Incident commander").await?;
    s.type_into("#pm-impact", "Customers could not pay.").await?;
    s.click_button("Add figure").await?;
    s.type_into("[id^=figure-name-]", "Requests failed").await?;
    s.type_into("[id^=figure-value-]", "41,300").await?;

    // Timeline: added out of order, kept sorted by time.
    s.click_button("Add event").await?;
    s.set_value("[id^=event-time-]", "2026-04-14T14:31").await?;
    s.type_into("textarea[id^=event-text-]", "Decided to revert the pool setting").await?;
    s.click_button("Add event").await?;
    s.type_into(".timeline-row:last-child textarea[id^=event-text-]", "Error-rate alert fired").await?;
    s.set_value(".timeline-row:last-child [id^=event-time-]", "2026-04-14T14:05").await?;
    let first_event = s.find(".timeline-row:first-child textarea[id^=event-text-]").await?;
    assert_eq!(first_event.prop("value").await?.as_deref(), Some("Error-rate alert fired"));
    s.type_into(".timeline-row:first-child [id^=event-link-]", "javascript:alert(1)\n").await?;
    s.wait_for_text("link refusal", |t| t.contains("only http:// and https:// links are allowed")).await?;
    s.find(".timeline-row:first-child [id^=event-link-]").await?.clear().await?;
    s.type_into(".timeline-row:first-child [id^=event-link-]", "https://grafana.example.com/d/checkout\n").await?;
    s.find(".timeline-row:first-child .links a[href='https://grafana.example.com/d/checkout']").await?;

    // Contributing factor with a why.
    s.click_button("Add contributing factor").await?;
    s.type_into("textarea[id^=factor-text-]", "Pool size had no guard rail").await?;
    s.find("[id^=factor-category-]").await?.select_by_value("configuration").await?;
    s.find(".whys summary").await?.click().await?;
    s.click_button("Add a why").await?;
    s.type_into("input[id^=factor-][id*=-why-]", "The tuning guide predates last year's growth").await?;

    // Action item, done and reviewed.
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "Validate pool size against peak traffic in CI").await?;
    s.find("[id^=action-type-]").await?.select_by_value("detect").await?;
    s.find("[id^=action-priority-]").await?.select_by_value("p1").await?;
    s.type_into("[id^=action-owner-]", "Platform team").await?;
    s.set_value("[id^=action-due-]", "2026-05-15").await?;
    s.find("[id^=action-status-]").await?.select_by_value("done").await?;
    s.find("[id^=action-verdict-]").await?.select_by_value("worked").await?;
    // Tab leaves the field, which commits the link.
    s.type_into("[id^=action-link-]", "https://tracker.example.com/PLAT-88\u{E004}").await?;
    s.find(".tracking-link").await?;

    // Lessons.
    for (list, text) in [
        ("went-well", "Alert fired in seven minutes"),
        ("went-wrong", "Runbook was stale"),
        ("got-lucky", "Before the evening peak"),
    ] {
        s.find(&format!("#lessons-{list}")).await?;
        s.js(
            "document.querySelector('#lesson-' + arguments[0]).parentElement.querySelector('.add-button').click();",
            vec![json!(list)],
        )
        .await?;
        s.type_into(&format!("textarea[id^=lesson-{list}-]"), text).await?;
    }

    s.wait_saved().await?;
    let path = s.client.current_url().await?.path().to_owned();
    assert!(path.starts_with("/postmortems/"), "deep link {path}");

    // Reload the deep link: every field is back.
    s.client.refresh().await?;
    s.find("#pm-title").await?;
    assert_eq!(s.value("#pm-title").await?, "Checkout errors after a pool change");
    assert_eq!(s.value("#pm-ref").await?, "INC-2041");
    assert_eq!(s.value("#pm-status").await?, "in-review");
    assert_eq!(s.value("#pm-severity").await?, "2");
    assert_eq!(s.value("#pm-summary").await?, "A third of checkout requests failed for 52 minutes.");
    let chips = s.find(".label-list").await?.text().await?;
    assert!(chips.contains("checkout-api") && chips.contains("orders-db"), "{chips}");
    assert!(s.page_text().await?.contains("database"));
    assert_eq!(s.value("#pm-offset").await?, "60");
    assert_eq!(s.value("#pm-time-impact-started").await?, "2026-04-14T13:58");
    assert_eq!(s.value("#pm-time-resolved").await?, "2026-04-14T16:20");
    assert_eq!(s.values("[id^=participant-name-]").await?, ["Ana Lima"]);
    assert_eq!(s.values("[id^=participant-role-]").await?, ["Incident commander"]);
    assert_eq!(s.value("#pm-impact").await?, "Customers could not pay.");
    assert_eq!(s.values("[id^=figure-value-]").await?, ["41,300"]);
    assert_eq!(
        s.values("textarea[id^=event-text-]").await?,
        ["Error-rate alert fired", "Decided to revert the pool setting"]
    );
    assert_eq!(s.values("[id^=event-time-]").await?, ["2026-04-14T14:05", "2026-04-14T14:31"]);
    s.find(".links a[href='https://grafana.example.com/d/checkout']").await?;
    assert_eq!(s.values("textarea[id^=factor-text-]").await?, ["Pool size had no guard rail"]);
    assert_eq!(s.value("[id^=factor-category-]").await?, "configuration");
    assert_eq!(s.values("input[id^=factor-][id*=-why-]").await?, ["The tuning guide predates last year's growth"]);
    assert_eq!(s.value("[id^=action-type-]").await?, "detect");
    assert_eq!(s.value("[id^=action-priority-]").await?, "p1");
    assert_eq!(s.value("[id^=action-owner-]").await?, "Platform team");
    assert_eq!(s.value("[id^=action-due-]").await?, "2026-05-15");
    assert_eq!(s.value("[id^=action-status-]").await?, "done");
    assert_eq!(s.value("[id^=action-verdict-]").await?, "worked");
    assert_eq!(s.value("[id^=action-link-]").await?, "https://tracker.example.com/PLAT-88");
    assert_eq!(s.values("textarea[id^=lesson-went-well-]").await?, ["Alert fired in seven minutes"]);
    assert_eq!(s.values("textarea[id^=lesson-went-wrong-]").await?, ["Runbook was stale"]);
    assert_eq!(s.values("textarea[id^=lesson-got-lucky-]").await?, ["Before the evening peak"]);
    s.wait_for_text("durations after reload", |t| t.contains("52 min")).await?;

    // The library lists it with its severity and status.
    s.open("/").await?;
    let table = s.find(".library-table").await?.text().await?;
    assert!(
        table.contains("Checkout errors after a pool change") && table.contains("SEV2") && table.contains("In review"),
        "{table}"
    );
    s.finish().await
}

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

    // Undo puts it straight back.
    s.click_button("Undo").await?;
    s.wait_for_text("undo", |t| !t.contains("moved to the trash")).await?;
    assert!(s.find(".library-table").await?.text().await?.contains("Trash me"));

    // Trash it again, then restore from the trash page after a reload.
    s.find("button[aria-label='Move to trash: “Trash me”']").await?.click().await?;
    s.open("/trash").await?;
    s.wait_for_text("trash list", |t| t.contains("Trash me") && !t.contains("Keep me")).await?;
    s.client.refresh().await?;
    s.find("button[aria-label='Restore “Trash me”']").await?.click().await?;
    s.wait_for_text("restored", |t| t.contains("“Trash me” is back in the library.")).await?;
    assert!(s.page_text().await?.contains("The trash is empty"));
    s.open("/").await?;
    assert!(s.find(".library-table").await?.text().await?.contains("Trash me"));

    // Delete for good asks first, then removes it from storage.
    s.find("button[aria-label='Move to trash: “Trash me”']").await?.click().await?;
    s.open("/trash").await?;
    s.find("button[aria-label='Delete “Trash me” for good']").await?.click().await?;
    s.click_button("Delete").await?;
    s.wait_for_text("deleted", |t| t.contains("was deleted for good")).await?;
    let keys =
        s.js("return Object.keys(localStorage).filter(k => k.startsWith('debrief.pm.')).length;", vec![]).await?;
    assert_eq!(keys, json!(1));
    s.finish().await
}

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
    s.type_into("#pm-summary", &"A long summary that cannot fit any more. ".repeat(20)).await?;
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

/// Stores `pm` as the only postmortem, in plain JSON as an earlier version would.
async fn store_only(s: &Session, pm: &debrief::domain::Postmortem) -> TestResult {
    use debrief::file_format::Envelope;
    let document = Envelope::with_postmortems(vec![pm.clone()]).to_json()?;
    let index = Envelope::with_index(vec![pm.summary()]).to_json()?;
    s.js(
        "localStorage.clear(); localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem('debrief.index', arguments[2]);",
        vec![json!(format!("debrief.pm.{}", pm.id)), json!(document), json!(index)],
    )
    .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_timeline_is_drawn_in_steps_and_each_row_follows_its_own_changes() -> TestResult {
    use debrief::domain::{ActionType, EventKind, Postmortem, PostmortemId};
    let s = session().await?;
    // More rows than the editor draws at first, in both lists.
    let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
    pm.title = "Long timeline".into();
    pm.revision = 1;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).and_then(|d| d.and_hms_opt(9, 0, 0)).ok_or("date")?;
    for i in 0..70 {
        let at = start + chrono::Duration::minutes(i);
        pm.add_timeline_event(Some(at), EventKind::Observation, format!("Event number {i} seen"));
    }
    for i in 0..45 {
        pm.add_action_item(ActionType::Prevent, format!("Action number {i}"));
    }
    pm.add_timeline_event(Some(start + chrono::Duration::minutes(80)), EventKind::Action, "Quokka runbook followed");
    s.open("/").await?;
    store_only(&s, &pm).await?;
    let path = format!("/postmortems/{}", pm.id);
    s.open(&path).await?;
    // At once, while later rows may still be on their way: the new event (last in time
    // order) gets the focus.
    s.click_button("Add event").await?;

    // Every row comes, in time order.
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.all("textarea[id^=event-text-]").await?.len() < 72 || s.all("#actions .action-row").await?.len() < 45 {
        assert!(Instant::now() < deadline, "not every row was drawn");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let events = s.values("textarea[id^=event-text-]").await?;
    assert_eq!(events.first().map(String::as_str), Some("Event number 0 seen"));
    assert_eq!(events[69], "Event number 69 seen");
    assert_eq!(events[70], "Quokka runbook followed");
    assert_eq!(events[71], "");
    let focused = s
        .js("const all = document.querySelectorAll('textarea[id^=event-text-]'); return document.activeElement === all[all.length - 1];", vec![])
        .await?;
    assert_eq!(focused, json!(true), "the new event has the focus");
    assert_eq!(s.values("textarea[id^=action-text-]").await?[44], "Action number 44");

    // A late row is edited and saved.
    let late = format!("#event-text-{}", pm.timeline[65].id);
    s.type_into(&late, " twice").await?;
    s.wait_saved().await?;
    let stored = s.storage_item(&format!("debrief.pm.{}", pm.id)).await?.unwrap_or_default();
    assert!(stored.contains("Event number 65 seen twice"), "{stored}");

    // Another tab changes a different row: that row follows, the edited one keeps its text.
    let tab_a = s.client.window().await?;
    let tab_b = s.client.new_window(false).await?.handle;
    s.client.switch_to_window(tab_b).await?;
    s.open("/").await?;
    let key = format!("debrief.pm.{}", pm.id);
    let mut envelope: Value = serde_json::from_str(&s.storage_item(&key).await?.unwrap_or_default())?;
    let theirs = &mut envelope["postmortems"][0];
    theirs["revision"] = json!(theirs["revision"].as_u64().unwrap_or_default() + 1);
    theirs["timeline"][40]["description"] = json!("Event number 40 seen from the other tab");
    s.js("localStorage.setItem(arguments[0], arguments[1]);", vec![json!(key), json!(envelope.to_string())]).await?;
    s.client.close_window().await?;
    s.client.switch_to_window(tab_a).await?;
    s.wait_for_text("the other tab's change", |t| t.contains("Updated with the changes saved in another tab")).await?;
    let row40 = format!("#event-text-{}", pm.timeline[40].id);
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.value(&row40).await? != "Event number 40 seen from the other tab" {
        assert!(Instant::now() < deadline, "row 40 did not follow the other tab");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(s.value(&late).await?, "Event number 65 seen twice");

    // Opened at the editor, the library reads the full text once its page is shown.
    s.click_css(".breadcrumb a").await?;
    s.wait_for_text("the full text read", |t| t.contains("Finds words anywhere in a postmortem")).await?;
    // A word it lacks empties the list first, so the match below is the search's doing.
    s.type_into("#library-search", "zebra").await?;
    s.wait_for_text("no match", |t| t.contains("No postmortem matches “zebra”.")).await?;
    // A word only its timeline holds (not its title).
    s.set_value("#library-search", "quokka").await?;
    s.wait_for_text("the match", |t| !t.contains("No postmortem matches")).await?;
    let titles = s.find(".library-table").await?.text().await?;
    assert!(titles.contains("Long timeline"), "{titles}");
    assert_eq!(s.find(".result-count").await?.text().await?, "1 postmortem");
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
async fn download_as_file_offers_the_postmortem_as_a_debrief_file() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Download test: DNS").await?;
    capture_downloads(&s).await?;
    s.click_css(".export-menu summary").await?;
    s.click_button("Download as file").await?;
    let (name, text) = last_download(&s).await?;
    assert_eq!(name, "download-test-dns.debrief.json");
    let parsed: Value = serde_json::from_str(&text)?;
    assert_eq!(parsed["format"], json!("debrief"));
    assert_eq!(parsed["version"], json!(1));
    assert_eq!(parsed["postmortems"][0]["title"], json!("Download test: DNS"));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn wording_findings_can_be_dismissed_and_stay_dismissed_after_reload() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Wording test").await?;
    s.type_into("#pm-summary", "The on-call engineer should have noticed the alert; this was human error").await?;
    s.wait_for_text("two findings", |t| t.contains("2 open suggestions")).await?;
    let findings = s.find("#pm-summary-findings").await?.text().await?;
    assert!(findings.contains("Counterfactual") && findings.contains("Human error"), "{findings}");
    assert_eq!(s.find(".checked-text .mirror mark.flag-counterfactual").await?.text().await?, "should have");

    // A forward-looking requirement in an action item gets no finding.
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "The deploy pipeline should reject configs without a canary").await?;
    s.wait_saved().await?;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(s.all("[id^=action-text-][id$=-findings] li").await?.is_empty());

    // Dismiss the counterfactual; it stays dismissed after a reload.
    s.click_css("button[aria-label='Dismiss the suggestion about “should have”']").await?;
    s.wait_for_text("one finding", |t| t.contains("1 open suggestion")).await?;
    s.wait_saved().await?;
    s.client.refresh().await?;
    s.find("#pm-summary").await?;
    s.wait_for_text("still one finding", |t| t.contains("1 open suggestion")).await?;
    let findings = s.find("#pm-summary-findings").await?.text().await?;
    assert!(!findings.contains("Counterfactual") && findings.contains("Human error"), "{findings}");

    // Applying a rewrite changes the text.
    s.type_into("#pm-impact", "Obviously, the cache was stale.").await?;
    s.find("#pm-impact-findings button").await?;
    s.click_button("Remove “Obviously”").await?;
    let deadline = Instant::now() + Duration::from_secs(5);
    while s.value("#pm-impact").await? != "The cache was stale." {
        assert!(Instant::now() < deadline, "rewrite not applied: {:?}", s.value("#pm-impact").await?);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Publishing with an open finding asks first.
    s.find("#pm-status").await?.select_by_value("published").await?;
    s.wait_for_text("publish confirmation", |t| t.contains("wording suggestions are still open")).await?;
    assert_eq!(s.value("#pm-status").await?, "draft");
    s.click_button("Publish anyway").await?;
    s.wait_saved().await?;
    assert_eq!(s.value("#pm-status").await?, "published");

    // The library counts the open findings.
    s.open("/").await?;
    s.wait_for_text("library count", |t| t.contains("1 wording suggestion")).await?;
    s.finish().await
}

/// Fills the rest of localStorage so the next save cannot fit.
/// Stored text as JSON: unpacked from the compact form storage keeps, or as it is.
fn unpacked(stored: &str) -> Result<String, Box<dyn std::error::Error>> {
    Ok(debrief::file_format::compact::unpack(stored)?.into_owned())
}

async fn fill_storage(s: &Session) -> TestResult {
    s.js(
        "let chunk = 1000000, n = 0;
         while (chunk > 16) { try { localStorage.setItem('filler.' + n++, 'x'.repeat(chunk)); } catch (e) { chunk = Math.floor(chunk / 2); } }",
        vec![],
    )
    .await?;
    Ok(())
}

/// Replaces link clicks with a record, so a test can read what would be downloaded.
async fn capture_downloads(s: &Session) -> TestResult {
    s.js(
        "window.__downloads = [];
         HTMLAnchorElement.prototype.click = function () { window.__downloads.push({name: this.download, href: this.href}); };",
        vec![],
    )
    .await?;
    Ok(())
}

/// The last captured download as (file name, text).
async fn last_download(s: &Session) -> Result<(String, String), Box<dyn std::error::Error>> {
    let file = s
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const d = window.__downloads[window.__downloads.length - 1];
             fetch(d.href).then(r => r.text()).then(text => done({name: d.name, text}));",
            vec![],
        )
        .await?;
    Ok((file["name"].as_str().unwrap_or_default().to_owned(), file["text"].as_str().unwrap_or_default().to_owned()))
}

/// Writes `text` to a temporary file named `name` and picks it in the import input.
async fn import_file(s: &Session, name: &str, text: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, text)?;
    s.find("#import-input").await?.send_keys(&path.to_string_lossy()).await?;
    Ok(path)
}

/// Everything stored, except the measured size of the storage: the library measures it
/// once, on its own schedule, and it is a note about the browser, not library data.
async fn storage_snapshot(s: &Session) -> Result<Value, Box<dyn std::error::Error>> {
    s.js(
        "return Object.keys(localStorage).filter(k => k !== 'debrief.measured-size').sort()\
         .map(k => [k, localStorage.getItem(k)]);",
        vec![],
    )
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_backup_restores_a_wiped_browser() -> TestResult {
    let s = session().await?;
    let first = s.create_postmortem("Backed up: DNS outage").await?;
    s.type_into("#pm-summary", "Resolvers returned SERVFAIL for ten minutes.").await?;
    s.click_button("Add event").await?;
    s.type_into("textarea[id^=event-text-]", "Resolver alert fired").await?;
    s.wait_saved().await?;
    s.create_postmortem("Backed up: queue backlog").await?;
    // A custom template is part of the library too.
    s.open("/templates").await?;
    click_labelled(&s, "Copy to customise: Lightweight (minor incidents)").await?;
    s.wait_for_text("the template copy", |t| t.contains("Version 1 saved")).await?;
    s.open("/").await?;
    s.wait_for_text("backup nudge", |t| t.contains("never been backed up")).await?;
    capture_downloads(&s).await?;
    s.click_button("Back up everything").await?;
    s.wait_for_text("backup done", |t| t.contains("Backup downloaded as") && t.contains("Last full backup: today."))
        .await?;
    let (name, backup) = last_download(&s).await?;
    assert!(name.starts_with("debrief-backup-") && name.ends_with(".json"), "{name}");

    // Wipe the browser's storage, then restore from the file.
    s.js("localStorage.clear();", vec![]).await?;
    s.client.refresh().await?;
    s.wait_for_text("empty library", |t| t.contains("No postmortems yet")).await?;
    import_file(&s, &name, &backup).await?;
    s.wait_for_text("preview", |t| t.contains("Import preview") && t.contains("Import 2 postmortems")).await?;
    let table = s.find(".import-table").await?.text().await?;
    assert!(table.contains("Backed up: DNS outage") && table.contains("New"), "{table}");
    // Every progress line the import shows, as it shows it.
    s.js(
        "window.__progress = [];
         new MutationObserver(() => {
           const p = document.querySelector('.import-panel .progress[role=status]');
           if (p && window.__progress[window.__progress.length - 1] !== p.textContent) window.__progress.push(p.textContent);
           if (p && document.querySelector('#import-all').disabled) window.__locked = true;
         }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
         // And the lines that were on screen when a frame was drawn.
         window.__painted = [];
         (function frame() {
           const p = document.querySelector('.import-panel .progress[role=status]');
           if (p && !window.__painted.includes(p.textContent)) window.__painted.push(p.textContent);
           requestAnimationFrame(frame);
         })();",
        vec![],
    )
    .await?;
    s.click_button("Import 2 postmortems").await?;
    s.wait_for_text("imported", |t| {
        t.contains("Import done: 2 added") && t.contains("Templates: added “Lightweight (minor incidents) (copy)”")
    })
    .await?;
    let shown = s.js("return window.__progress;", vec![]).await?;
    assert_eq!(shown, json!(["Preparing 0 of 2 postmortems…", "Writing 2 postmortems…"]));
    // "Writing" is painted before the write, which holds the page until it is done.
    let painted = s.js("return window.__painted;", vec![]).await?;
    assert!(painted.as_array().is_some_and(|p| p.contains(&json!("Writing 2 postmortems…"))), "{painted}");
    // Meanwhile the choices are settled.
    assert_eq!(s.js("return window.__locked === true;", vec![]).await?, json!(true));
    let list = s.find(".library-table").await?.text().await?;
    assert!(list.contains("Backed up: DNS outage") && list.contains("Backed up: queue backlog"), "{list}");
    s.open(&first).await?;
    assert_eq!(s.value("#pm-summary").await?, "Resolvers returned SERVFAIL for ten minutes.");
    assert_eq!(s.values("textarea[id^=event-text-]").await?, ["Resolver alert fired"]);

    // Importing the same file again finds everything identical and changes nothing.
    s.open("/").await?;
    let before = storage_snapshot(&s).await?;
    import_file(&s, &name, &backup).await?;
    s.wait_for_text("identical", |t| t.contains("Identical: already here")).await?;
    assert!(s.find(".import-panel button.primary").await?.attr("disabled").await?.is_some());
    s.click_button("Cancel").await?;
    assert_eq!(storage_snapshot(&s).await?, before);
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_files_are_explained_and_leave_the_library_unchanged() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Already here").await?;
    s.open("/").await?;
    let before = storage_snapshot(&s).await?;

    import_file(&s, "notes.txt", "these are my notes, not JSON").await?;
    s.wait_for_text("not json", |t| t.contains("notes.txt at line 1, column 2: this is not valid JSON")).await?;
    s.click_button("Close").await?;

    import_file(&s, "future.json", r#"{"format":"debrief","version":99,"postmortems":[]}"#).await?;
    s.wait_for_text("newer", |t| t.contains("future.json at $.version: it was made by a newer version of Debrief"))
        .await?;
    s.click_button("Close").await?;

    // A file with one good and one hostile item: the broken one is named with its path,
    // and nothing is imported until the user agrees to leave it out.
    let good = r#"{"id":"7d4c1f7e-2a53-4b4e-9a55-3b1f1f0b2c01","created_at":"2026-04-14T10:00:00Z","updated_at":"2026-04-14T10:00:00Z","title":"Good one","status":"draft"}"#;
    let hostile = r#"{"id":"7d4c1f7e-2a53-4b4e-9a55-3b1f1f0b2c02","created_at":"2026-04-14T10:00:00Z","updated_at":"2026-04-14T10:00:00Z","title":"<img src=x onerror=window.__pwned=1>","status":"draft","timeline":[{"id":"7d4c1f7e-2a53-4b4e-9a55-3b1f1f0b2c03","at":null,"kind":"action","description":"x","evidence":["javascript:window.__pwned=1"]}]}"#;
    let mixed = format!(r#"{{"format":"debrief","version":1,"app_version":"0.1.0","postmortems":[{good},{hostile}]}}"#);
    import_file(&s, "mixed.json", &mixed).await?;
    s.wait_for_text("broken item", |t| {
        t.contains("$.postmortems[1].timeline[0].evidence[0]")
            && t.contains("only http:// and https:// links are allowed")
    })
    .await?;
    assert!(s.page_text().await?.contains("<img src=x onerror=window.__pwned=1>"), "the title shows as text");
    assert!(s.find(".import-panel button.primary").await?.attr("disabled").await?.is_some());
    s.click_button("Cancel").await?;
    assert_eq!(storage_snapshot(&s).await?, before);
    assert_eq!(s.js("return window.__pwned === undefined;", vec![]).await?, json!(true));

    // Agreeing imports only the good item.
    import_file(&s, "mixed.json", &mixed).await?;
    s.find(".import-panel input[type=checkbox]").await?.click().await?;
    s.click_button("Import 1 postmortem").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 1 added")).await?;
    let list = s.find(".library-table").await?.text().await?;
    assert!(list.contains("Good one") && !list.contains("onerror"), "{list}");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_as_markdown_json_and_print_view_can_replace_names_with_roles() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Export test | with pipe").await?;
    s.click_button("Add participant").await?;
    s.type_into("[id^=participant-name-]", "Ana Lima").await?;
    s.type_into("[id^=participant-role-]", "Incident commander").await?;
    s.type_into("#pm-summary", "Ana Lima declared the incident.").await?;
    s.click_button("Add event").await?;
    s.type_into("textarea[id^=event-text-]", "Ana paged the database team").await?;
    s.wait_saved().await?;
    capture_downloads(&s).await?;

    s.click_css(".export-menu summary").await?;
    s.click_button("Download Markdown").await?;
    let (name, markdown) = last_download(&s).await?;
    assert_eq!(name, "export-test-with-pipe.md");
    assert!(markdown.starts_with("# Export test \\| with pipe\n"), "{markdown}");
    assert!(markdown.contains("Ana Lima declared the incident."), "{markdown}");
    assert!(markdown.contains("| Time | Kind | What happened | Evidence |"), "{markdown}");

    // With names replaced by roles, in every exported form.
    s.click_css(".export-options input[type=checkbox]").await?;
    s.click_button("Download Markdown").await?;
    let (_, markdown) = last_download(&s).await?;
    assert!(markdown.contains("the incident commander declared the incident."), "{markdown}");
    assert!(!markdown.contains("Ana"), "{markdown}");
    s.click_button("Download as file").await?;
    let (_, json_text) = last_download(&s).await?;
    let parsed: Value = serde_json::from_str(&json_text)?;
    assert_eq!(parsed["postmortems"][0]["participants"][0]["name"], json!("Incident commander"));
    assert!(!json_text.contains("Ana"));

    s.click_css(".export-options a.button-link").await?;
    s.wait_for_text("print view", |t| {
        t.contains("Print or save as PDF") && t.contains("the incident commander paged the database team")
    })
    .await?;
    assert!(!s.page_text().await?.contains("Ana"));
    assert!(s.client.current_url().await?.as_str().ends_with("/print?names=roles"));
    s.find(".print-document table").await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_selection_of_postmortems_exports_as_one_file() -> TestResult {
    let s = session().await?;
    for title in ["Selected one", "Not selected", "Selected two"] {
        s.create_postmortem(title).await?;
    }
    s.open("/").await?;
    capture_downloads(&s).await?;
    s.click_css("input[aria-label='Select “Selected one” for export']").await?;
    s.click_css("input[aria-label='Select “Selected two” for export']").await?;
    s.wait_for_text("selection", |t| t.contains("2 postmortems selected")).await?;
    s.click_button("Export selected").await?;
    let (name, text) = last_download(&s).await?;
    assert!(name.starts_with("debrief-export-") && name.ends_with("-2-postmortems.json"), "{name}");
    let parsed: Value = serde_json::from_str(&text)?;
    let mut titles: Vec<&str> = parsed["postmortems"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["title"].as_str()).collect())
        .unwrap_or_default();
    titles.sort();
    assert_eq!(titles, ["Selected one", "Selected two"]);
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn every_bad_fixture_is_explained_in_the_page_and_changes_nothing() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Stays as it is").await?;
    s.open("/").await?;
    let before = storage_snapshot(&s).await?;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir)?.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name))?;
        // What the page must say: the same reader, run natively.
        let expected = match debrief::file_format::import::read_file(&name, &text) {
            Err(e) => e.place,
            Ok(read) => read.broken.first().map(|b| b.place.clone()).ok_or(format!("{name} has no problem"))?,
        };
        import_file(&s, &name, &text).await?;
        s.wait_for_text(&name, |t| t.contains("Import preview") && t.contains(&expected)).await?;
        let button = if s.page_text().await?.contains("Cancel") { "Cancel" } else { "Close" };
        s.click_button(button).await?;
        assert_eq!(storage_snapshot(&s).await?, before, "{name} changed the library");
    }
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn dropping_a_file_on_the_library_imports_it() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    let file = include_str!("fixtures/v1-postmortem.debrief.json");
    s.js(
        "const dt = new DataTransfer();
         dt.items.add(new File([arguments[0]], 'dropped.debrief.json', {type: 'application/json'}));
         const page = document.querySelector('.library-page');
         page.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
         page.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));",
        vec![json!(file)],
    )
    .await?;
    s.wait_for_text("preview", |t| t.contains("dropped.debrief.json") && t.contains("Import 1 postmortem")).await?;
    s.click_button("Import 1 postmortem").await?;
    s.wait_for_text("imported", |t| t.contains("Checkout errors after a connection pool change")).await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn overdue_items_are_flagged_filtered_and_changed_in_place() -> TestResult {
    let s = session().await?;
    let path = s.create_postmortem("Follow-through test").await?;
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "Add a pool size check to CI").await?;
    s.set_value("[id^=action-due-]", "2020-01-15").await?;
    s.click_button("Add action item").await?;
    s.type_into(".action-row:last-child textarea[id^=action-text-]", "Document the failover runbook").await?;
    s.set_value(".action-row:last-child [id^=action-due-]", "2099-01-01").await?;
    s.wait_saved().await?;

    // Opening the app says something is overdue and leads to it.
    s.open("/").await?;
    s.wait_for_text("overdue notice", |t| t.contains("1 action item is overdue.")).await?;
    s.click_css(".overdue-notice a").await?;
    s.wait_for_text("filtered list", |t| t.contains("1 of 2 action items")).await?;
    let table = s.find(".actions-table").await?.text().await?;
    assert!(table.contains("Add a pool size check to CI") && table.contains("Overdue"), "{table}");
    assert!(!table.contains("Document the failover runbook"), "{table}");

    // Filters live in the address and survive a reload.
    s.client.refresh().await?;
    s.wait_for_text("filter kept", |t| t.contains("1 of 2 action items")).await?;
    assert!(s.client.current_url().await?.as_str().ends_with("/actions?overdue=1"));

    // Marking it done in place takes it off the overdue list and is kept in its history.
    s.find("select[aria-label='Status of “Add a pool size check to CI”']").await?.select_by_value("done").await?;
    s.wait_for_text("no longer overdue", |t| t.contains("0 of 2 action items")).await?;
    s.click_css(".filters input[type=checkbox]").await?;
    s.wait_for_text("all items", |t| t.contains("2 of 2 action items")).await?;
    // Done today, so due for its "did it work?" review once the chosen delay is 0 days.
    s.set_value("#filter-days", "0").await?;
    s.click_css(".filters .checkbox:nth-of-type(2) input").await?;
    s.wait_for_text("review due", |t| t.contains("1 of 2 action items") && t.contains("Review due")).await?;
    assert!(s.client.current_url().await?.as_str().contains("days=0"));
    s.open(&path).await?;
    let statuses = s.values("select[id^=action-status-]").await?;
    assert!(statuses.contains(&"done".to_owned()), "{statuses:?}");
    let history = s.find(".history").await?.text().await?;
    assert!(history.contains("History (2)"), "{history}");
    s.click_css(".history summary").await?;
    let history = s.find(".history").await?.text().await?;
    assert!(history.contains("Status: Open → Done") && history.contains("Due date: — → 2020-01-15"), "{history}");
    s.open("/").await?;
    assert!(!s.page_text().await?.contains("overdue."));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_show_medians_counts_and_csv_for_a_known_library() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    let incident = |n: u32, start: &str, detected: Option<&str>, severity: u8| {
        json!({
            "id": format!("00000000-0000-4000-8000-00000000000{n}"),
            "created_at": "2026-04-01T00:00:00Z", "updated_at": "2026-04-01T00:00:00Z",
            "title": format!("Incident {n}"), "status": "published", "severity": severity,
            "key_times": {"offset": 0, "impact_started": start, "detected": detected},
            "tags": ["dns"]
        })
    };
    let library = json!({
        "format": "debrief", "version": 1, "app_version": "0.1.0",
        "postmortems": [
            incident(1, "2026-01-10T10:00:00", Some("2026-01-10T10:10:00"), 1),
            incident(2, "2026-03-05T08:00:00", Some("2026-03-05T08:20:00"), 2),
            incident(3, "2026-03-20T22:00:00", None, 2)
        ]
    });
    import_file(&s, "known.json", &library.to_string()).await?;
    s.click_button("Import 3 postmortems").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 3 added")).await?;

    s.open("/metrics").await?;
    s.wait_for_text("metrics", |t| t.contains("Incidents per month, by severity")).await?;
    assert_eq!(s.find("[data-testid=incident-count]").await?.text().await?, "3");
    assert_eq!(s.find("[data-testid=median-detect]").await?.text().await?, "15 min");
    let durations = s.find("[data-testid=durations-table]").await?.text().await?;
    assert!(durations.contains("1 missing a time"), "{durations}");
    assert!(s.page_text().await?.contains("dns"), "repeats list the shared tag");

    capture_downloads(&s).await?;
    s.click_button("Download CSV").await?;
    let (name, text) = last_download(&s).await?;
    assert_eq!(name, "debrief-incidents-per-month.csv");
    assert_eq!(
        text,
        "month,SEV1,SEV2,SEV3,SEV4,no severity,total\r\n2026-01,1,0,0,0,0,1\r\n2026-02,0,0,0,0,0,0\r\n2026-03,0,2,0,0,0,2\r\n"
    );

    // A period filter lives in the address and narrows the numbers.
    s.set_value("#metrics-from", "2026-03-01").await?;
    s.wait_for_text("filtered", |t| t.contains("of 0 action items done")).await?;
    assert_eq!(s.find("[data-testid=incident-count]").await?.text().await?, "2");
    assert!(s.client.current_url().await?.as_str().ends_with("/metrics?from=2026-03-01"));
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn long_action_plans_are_shown_a_page_at_a_time() -> TestResult {
    let s = session().await?;
    s.open("/").await?;
    let items: Vec<Value> = (0..120)
        .map(|i| {
            json!({"id": format!("10000000-0000-4000-8000-{i:012}"), "description": format!("Item {i}"), "kind": "prevent",
                   "priority": "p2", "owner": "Platform", "due": null, "status": "open", "tracking": null, "verdict": null})
        })
        .collect();
    let library = json!({"format": "debrief", "version": 1, "app_version": "0.1.0", "postmortems": [{
        "id": "20000000-0000-4000-8000-000000000001", "created_at": "2026-04-01T00:00:00Z", "updated_at": "2026-04-01T00:00:00Z",
        "title": "Many items", "status": "draft", "action_items": items }]});
    import_file(&s, "many.json", &library.to_string()).await?;
    s.click_button("Import 1 postmortem").await?;
    s.wait_for_text("imported", |t| t.contains("Import done: 1 added")).await?;
    s.open("/actions").await?;
    s.wait_for_text("first page", |t| t.contains("120 of 120 action items") && t.contains("Showing 100 of 120."))
        .await?;
    assert_eq!(s.all(".actions-table tbody tr").await?.len(), 100);
    s.click_button("Show 100 more").await?;
    s.wait_for_text("all shown", |t| !t.contains("Showing 100 of 120.")).await?;
    assert_eq!(s.all(".actions-table tbody tr").await?.len(), 120);
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn leaving_the_editor_after_a_failed_save_keeps_the_edits_downloadable() -> TestResult {
    let s = session().await?;
    s.create_postmortem("Unsaved edits").await?;
    fill_storage(&s).await?;
    s.type_into("#pm-summary", &"Words that do not fit any more. ".repeat(20)).await?;
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

// ---------------------------------------------------------------------------------------
// Templates and guided mode.

/// Clicks the button whose accessible name (aria-label, else text) is `label`.
async fn click_labelled(s: &Session, label: &str) -> TestResult {
    let xpath = format!("//button[@aria-label='{label}' or normalize-space(.)='{label}']");
    let button = s.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::XPath(&xpath)).await?;
    s.click(&button).await
}

/// Types into whatever has keyboard focus (a row the page just added and focused).
async fn type_into_focused(s: &Session, text: &str) -> TestResult {
    tokio::time::sleep(Duration::from_millis(150)).await;
    s.client.active_element().await?.send_keys(text).await?;
    Ok(())
}

/// Answers the guided step on screen the way its part is answered; returns what was typed.
async fn answer_step(s: &Session, template: &str) -> Result<(String, String, String), Box<dyn std::error::Error>> {
    let step = s.find(".guided-answer").await?;
    let part = step.attr("data-part").await?.unwrap_or_default();
    let key = step.attr("data-key").await?.unwrap_or_default();
    let text = format!("{template}: answer for {key}");
    match part.as_str() {
        "text" | "summary" => s.type_into(".guided-answer textarea", &text).await?,
        "impact" => s.type_into("#pm-impact", &text).await?,
        "participants" => {
            s.click_button("Add participant").await?;
            type_into_focused(s, "Incident commander on call").await?;
        }
        "timeline" => {
            s.click_button("Add event").await?;
            type_into_focused(s, &text).await?;
        }
        "factors" | "whys" => {
            s.click_button("Add contributing factor").await?;
            type_into_focused(s, &text).await?;
            if part == "whys" {
                s.click_button("Add a why").await?;
                type_into_focused(s, "The check ran only in production").await?;
            }
        }
        "actions" => {
            s.click_button("Add action item").await?;
            type_into_focused(s, &text).await?;
        }
        _ => {
            s.click_css(".guided-answer .lesson-list button.secondary").await?;
            type_into_focused(s, &text).await?;
        }
    }
    Ok((part, key, text))
}

/// Starts a postmortem from the built-in template `name` and walks guided mode to the
/// end, answering every section; checks the answers after a reload.
async fn walk_template(s: &Session, name: &str) -> TestResult {
    s.open("/").await?;
    s.click_button("New postmortem").await?;
    click_labelled(s, &format!("Start guided with {name}")).await?;
    s.wait_for_text("the first step", |t| t.contains("Getting started")).await?;
    s.type_into("#pm-title", &format!("Walked through {name}")).await?;
    s.click_css(".guided-actions button.primary").await?;
    let total = s.all(".guided-steps li").await?.len() - 2;
    let mut typed = Vec::new();
    for i in 0..total {
        let progress = s.find("[data-testid=guided-progress]").await?.text().await?;
        assert!(progress.starts_with(&format!("{} of {total}", i + 1)), "{name}: progress says {progress:?}");
        let answered = answer_step(s, name).await.map_err(|e| format!("{name}, section {}: {e}", i + 1))?;
        typed.push(answered);
        s.click_css(".guided-actions button.primary").await?;
        if i + 1 < total {
            s.wait_for_text("the next step", |t| t.contains(&format!("{} of {total}", i + 2))).await?;
        }
    }
    s.wait_for_text("the review", |t| t.contains("Every required section has an answer")).await?;
    s.wait_saved().await?;
    s.client.refresh().await?;
    s.wait_for_text("the review after a reload", |t| t.contains("Every required section has an answer")).await?;
    s.click_css(".guided-actions a.primary").await?;
    let status = s.find("[data-testid=completeness]").await?.text().await?;
    assert!(status.starts_with("All ") && status.ends_with("required sections are answered."), "{name}: {status}");
    for (part, key, text) in typed.iter().filter(|(part, _, _)| part == "text") {
        assert_eq!(&s.value(&format!("#answer-{key}")).await?, text, "{name}: {part} answer {key}");
    }
    if typed.iter().any(|(part, _, _)| part == "summary") {
        assert!(s.value("#pm-summary").await?.contains(&format!("{name}: answer for")));
    }
    s.open("/").await?;
    s.wait_for_text("the complete badge", |t| t.contains(&format!("Walked through {name}Complete"))).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_three_built_in_templates_can_be_walked_to_the_end_in_guided_mode() -> TestResult {
    let s = session().await?;
    for name in ["Lightweight (minor incidents)", "SRE book style", "PagerDuty style"] {
        walk_template(&s, name).await?;
    }
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_other_built_in_templates_can_be_walked_to_the_end_in_guided_mode() -> TestResult {
    let s = session().await?;
    for name in ["Atlassian style", "Learning review", "Security incident"] {
        walk_template(&s, name).await?;
    }
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn guided_mode_shows_help_and_example_and_can_skip_jump_and_go_back() -> TestResult {
    let s = session().await?;
    s.open("/new").await?;
    click_labelled(&s, "Start guided with SRE book style").await?;
    s.click_css(".guided-actions button.primary").await?;
    s.wait_for_text("the first section", |t| t.contains("1 of 10")).await?;
    let text = s.page_text().await?;
    assert!(text.contains("Summary") && text.contains("Required"), "{text}");
    s.click_css(".guided-example summary").await?;
    assert!(!s.find(".guided-example p").await?.text().await?.is_empty(), "an example answer is shown");
    assert!(!s.find(".guided-help p").await?.text().await?.is_empty(), "help is shown");
    // Skip leaves the section empty and moves on; the required count does not change.
    s.click_button("Skip for now").await?;
    s.wait_for_text("the second section", |t| t.contains("2 of 10, 6 required left")).await?;
    // Jump straight to a section from the list, then go back.
    s.click_css(".guided-steps a[href*='guide=trigger']").await?;
    s.wait_for_text("the trigger section", |t| t.contains("4 of 10")).await?;
    s.type_into("#answer-trigger", "A pool setting was lowered from 80 to 20.").await?;
    s.click_button("Back").await?;
    s.wait_for_text("the section before", |t| t.contains("3 of 10")).await?;
    s.click_css(".guided-steps a[href*='guide=finish']").await?;
    s.wait_for_text("the review", |t| t.contains("6 required sections are still empty")).await?;
    s.click_css(".missing-list a").await?;
    s.wait_for_text("the first empty required section", |t| t.contains("1 of 10")).await?;
    // The answer typed before is in the full editor, and the library flags what is missing.
    s.click_css(".guided-top a").await?;
    assert_eq!(s.value("#answer-trigger").await?, "A pool setting was lowered from 80 to 20.");
    s.wait_saved().await?;
    s.open("/").await?;
    s.wait_for_text("the incomplete badge", |t| t.contains("6 required sections empty")).await?;
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn switching_template_keeps_every_answer_and_lists_the_ones_without_a_section() -> TestResult {
    let s = session().await?;
    s.open("/new").await?;
    click_labelled(&s, "Open in editor: SRE book style").await?;
    s.type_into("#pm-title", "Switching templates").await?;
    s.type_into("#answer-trigger", "A pool setting was lowered.").await?;
    s.type_into("#answer-resolution", "The setting was reverted at 14:44.").await?;
    s.wait_saved().await?;
    s.click_button("Change template").await?;
    s.find("#template-choice").await?.select_by_value("atlassian").await?;
    let preview = s.find("[data-testid=switch-preview]").await?.text().await?;
    assert!(preview.contains("Answers that move to the new template: Resolution."), "{preview}");
    assert!(preview.contains("No section there for: Trigger."), "{preview}");
    s.click_button("Switch template").await?;
    s.wait_for_text("the switch", |t| t.contains("Template: Atlassian style")).await?;
    // The resolution is now the Atlassian "Recovery" answer; the trigger waits apart.
    assert_eq!(s.value("#answer-resolution").await?, "The setting was reverted at 14:44.");
    let homeless = s.find("#homeless-answers").await?.text().await?;
    assert!(homeless.contains("Trigger") && homeless.contains("A pool setting was lowered."), "{homeless}");
    s.wait_saved().await?;
    s.client.refresh().await?;
    let homeless = s.find("#homeless-answers").await?.text().await?;
    assert!(homeless.contains("A pool setting was lowered."), "kept after a reload: {homeless}");
    // Move it into the Fault section.
    s.find("#move-trigger").await?.select_by_value("fault").await?;
    s.click_button("Move").await?;
    assert_eq!(s.value("#answer-fault").await?, "A pool setting was lowered.");
    assert!(s.all("#homeless-answers").await?.is_empty());
    // Switching back and undoing: nothing is lost either way.
    s.click_button("Change template").await?;
    s.find("#template-choice").await?.select_by_value("lightweight").await?;
    s.click_button("Switch template").await?;
    s.wait_for_text("the second switch", |t| t.contains("Template: Lightweight")).await?;
    assert!(s.find("#homeless-answers").await?.text().await?.contains("Fault"));
    s.click_button("Undo").await?;
    s.wait_for_text("the undo", |t| t.contains("Template: Atlassian style")).await?;
    assert_eq!(s.value("#answer-fault").await?, "A pool setting was lowered.");
    // The printed copy carries the written answers under their sections' titles.
    s.wait_saved().await?;
    let editor = s.client.current_url().await?.path().to_owned();
    s.open(&format!("{editor}/print")).await?;
    let printed = s.find(".print-document").await?.text().await?;
    assert!(printed.contains("Fault\nA pool setting was lowered."), "{printed}");
    assert!(printed.contains("Recovery\nThe setting was reverted at 14:44."), "{printed}");
    assert!(printed.contains("Atlassian style (version 1)"), "{printed}");
    s.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_custom_template_travels_to_a_colleague_as_a_file() -> TestResult {
    // The team lead copies a built-in template, changes it and exports it.
    let lead = session().await?;
    lead.open("/templates").await?;
    click_labelled(&lead, "Copy to customise: Lightweight (minor incidents)").await?;
    lead.wait_for_text("the copy", |t| t.contains("Lightweight (minor incidents) (copy)")).await?;
    lead.find("#template-name").await?.clear().await?;
    lead.type_into("#template-name", "Team minor incident").await?;
    lead.click_button("Add section").await?;
    type_into_focused(&lead, "Surprises").await?;
    lead.click_css(".section-editor:last-child input[type=checkbox]").await?;
    // The new section needs a prompt before the template can be saved.
    lead.wait_for_text("the missing prompt", |t| t.contains("needs a prompt")).await?;
    lead.type_into(".section-editor:last-child textarea", "What surprised you?").await?;
    lead.click_css(".section-editor:last-child button[aria-label^='Move'][aria-label$='up']").await?;
    lead.click_button("Save").await?;
    lead.wait_for_text("the save", |t| t.contains("Saved as version 2.")).await?;
    capture_downloads(&lead).await?;
    lead.click_button("Export").await?;
    let (name, text) = last_download(&lead).await?;
    assert_eq!(name, "team-minor-incident.debrief-template.json");
    lead.finish().await?;

    // A colleague, in a browser of their own, imports it and writes with it.
    let colleague = session().await?;
    colleague.open("/templates").await?;
    let before = storage_snapshot(&colleague).await?;
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let broken = dir.join("broken.debrief-template.json");
    std::fs::write(&broken, text.replace("\"part\": \"summary\"", "\"part\": \"horoscope\""))?;
    colleague.find("#template-import").await?.send_keys(&broken.to_string_lossy()).await?;
    colleague.wait_for_text("the refusal", |t| t.contains("holds a template that cannot be used")).await?;
    let message = colleague.page_text().await?;
    assert!(
        message.contains("$.templates[0].sections[0].part") && message.contains("Nothing was imported"),
        "{message}"
    );
    assert_eq!(storage_snapshot(&colleague).await?, before, "a bad file changes nothing");
    let good = dir.join(&name);
    std::fs::write(&good, &text)?;
    colleague.find("#template-import").await?.send_keys(&good.to_string_lossy()).await?;
    colleague.wait_for_text("the import", |t| t.contains("Templates: added “Team minor incident”")).await?;
    colleague.open("/new").await?;
    click_labelled(&colleague, "Start guided with Team minor incident").await?;
    colleague.click_css(".guided-actions button.primary").await?;
    let steps = colleague.find(".guided-steps").await?.text().await?;
    let (surprises, follow_up) = (steps.find("Surprises"), steps.find("Follow-up"));
    assert!(surprises.is_some() && surprises < follow_up, "moved up before the last section: {steps}");
    let link =
        colleague.client.find(Locator::XPath("//nav[@class='guided-steps']//a[contains(., 'Surprises')]")).await?;
    colleague.click(&link).await?;
    colleague.wait_for_text("the custom section", |t| t.contains("What surprised you?")).await?;
    colleague.finish().await
}

#[tokio::test(flavor = "multi_thread")]
async fn unsaved_template_edits_come_back_after_visiting_another_page() -> TestResult {
    let s = session().await?;
    s.open("/templates").await?;
    s.click_button("New blank template").await?;
    s.wait_for_text("the new template", |t| t.contains("Version 1 saved")).await?;
    s.type_into("#template-name", " for reviews").await?;
    s.wait_for_text("the unsaved state", |t| t.contains("Unsaved changes")).await?;
    // Leave through the app's own navigation, then come back to the template.
    s.click_css("header nav a[href$='/']").await?;
    s.wait_for_text("the library", |t| t.contains("No postmortems yet")).await?;
    s.click_css("header nav a[href$='/templates']").await?;
    let edit = s.client.find(Locator::XPath("//a[normalize-space(.)='Edit']")).await?;
    s.click(&edit).await?;
    s.wait_for_text("the restored draft", |t| t.contains("Your unsaved changes from earlier are back")).await?;
    assert_eq!(s.value("#template-name").await?, "New template for reviews");
    s.click_button("Discard changes").await?;
    assert_eq!(s.value("#template-name").await?, "New template");
    s.finish().await
}

// ---------------------------------------------------------------------------------------
// Anonymous contributions.

/// Creates an invitation from the open editor; returns its link.
async fn create_invitation(s: &Session, summary: &str, sealed: bool) -> Result<String, Box<dyn std::error::Error>> {
    s.click_css("#new-invitation").await?;
    s.find("#invitation-summary").await?.clear().await?;
    s.type_into("#invitation-summary", summary).await?;
    if sealed {
        s.click_css("#invitation-seal").await?;
        s.wait_for_text("the key warning", |t| t.contains("can never be opened")).await?;
    }
    s.click_button("Create invitation").await?;
    let link = s.value("input[id^=invitation-link-]").await?;
    s.wait_saved().await?;
    Ok(link)
}

/// Opens an invitation link as a contributor would: a fresh page load.
async fn open_link(s: &Session, link: &str) -> TestResult {
    s.client.goto("about:blank").await?;
    s.client.goto(link).await?;
    s.find("main h1").await?;
    Ok(())
}

/// Answers the invitation's questions that `answers` names (question number, text).
async fn answer(s: &Session, answers: &[(usize, &str)]) -> TestResult {
    for (n, text) in answers {
        s.type_into(&format!("#contribute-q{n}"), text).await?;
    }
    Ok(())
}

/// Finishes the contribution; returns its code.
async fn finish_contribution(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    s.click_button("Finish").await?;
    let code = s.value("#contribution-code").await?;
    assert!(code.starts_with("DEBRIEF-CONTRIBUTION."), "{code}");
    Ok(code)
}

/// Every key in both of the contributor's storages.
async fn browser_storage_keys(s: &Session) -> Result<Value, Box<dyn std::error::Error>> {
    s.js("return [Object.keys(localStorage), Object.keys(sessionStorage)];", vec![]).await
}

/// Writes files for the contribution file picker and picks them all at once.
async fn pick_contribution_files(s: &Session, files: &[(&str, &str)]) -> TestResult {
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        paths.push(path.to_string_lossy().into_owned());
    }
    s.find("#contribution-files").await?.send_keys(&paths.join("\n")).await?;
    Ok(())
}

/// Pastes `text` into the codes box.
async fn paste_codes(s: &Session, text: &str) -> TestResult {
    s.set_value("#contribution-codes", text).await
}

/// Merges the picked files and pasted codes.
async fn merge_all(s: &Session) -> TestResult {
    s.click_css(".merge-contributions button.primary").await
}

/// The merge report's lines.
async fn merge_report(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    Ok(s.find("#merge-outcomes").await?.text().await?)
}

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
    let event = facilitator.find(".timeline-row").await?;
    assert!(event.text().await?.contains("From an anonymous contribution"));
    assert_eq!(facilitator.value(".timeline-row textarea[id^=event-text-]").await?, "The error graph jumped at 14:05");
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

// ---------------------------------------------------------------------------------------
// Content-Security-Policy.

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
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.js("return window.__pwned === undefined;", vec![]).await?, json!(true));
    let violations = s.js("return window.__cspViolations;", vec![]).await?;
    let violations: Vec<String> = violations
        .as_array()
        .map(|v| v.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    assert!(violations.iter().any(|v| v.starts_with("script-src")), "{violations:?}");
    assert!(violations.iter().any(|v| v.starts_with("img-src") && v.contains("example.com")), "{violations:?}");
    // The app still works: an edit saves.
    s.type_into("#pm-summary", " Still saving.").await?;
    s.wait_saved().await?;
    s.finish().await
}

// ---------------------------------------------------------------------------------------
// Two tabs, one library.

/// Changes the stored postmortem `id` the way another tab's save does: a new revision of
/// the document, and its title in the index.
async fn save_elsewhere(s: &Session, id: &str, title: &str) -> TestResult {
    let key = format!("debrief.pm.{id}");
    let mut envelope: Value = serde_json::from_str(&s.storage_item(&key).await?.unwrap_or_default())?;
    let pm = &mut envelope["postmortems"][0];
    pm["revision"] = json!(pm["revision"].as_u64().unwrap_or_default() + 1);
    pm["title"] = json!(title);
    pm["updated_at"] = json!(chrono::Utc::now().to_rfc3339());
    let mut index: Value = serde_json::from_str(&s.storage_item("debrief.index").await?.unwrap_or_default())?;
    if let Some(summaries) = index["index"].as_array_mut() {
        summaries.iter_mut().filter(|s| s["id"] == json!(id)).for_each(|s| s["title"] = json!(title));
    }
    // Written as plain JSON, as an earlier version in another tab would: both forms are read.
    s.js(
        "localStorage.setItem(arguments[0], arguments[1]); localStorage.setItem('debrief.index', arguments[2]);",
        vec![json!(key), json!(envelope.to_string()), json!(index.to_string())],
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

    // A holds an edit it could not save (storage full) when B saves a newer revision.
    a.client.switch_to_window(tab_a.clone()).await?;
    fill_storage(&a).await?;
    a.type_into("#pm-summary", &"Written in tab A. ".repeat(30)).await?;
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
    // Trying to save again does not write over B's version.
    a.click_button("Try saving again").await.ok();
    let stored = a.storage_item(&format!("debrief.pm.{id}")).await?.unwrap_or_default();
    assert!(stored.contains("Renamed in tab B") && !stored.contains("Written in tab A."), "B's save stands");

    a.click_button("Compare…").await?;
    let table = a.find("table.differences").await?.text().await?;
    assert!(table.contains("Title") && table.contains("Two tabs, renamed in A") && table.contains("Renamed in tab B"));
    assert!(table.contains("Summary") && table.contains("Written in tab A."), "{table}");

    // Keep both: A's version becomes a copy, and the page shows B's.
    a.click_button("Keep both").await?;
    a.wait_for_text("the copy", |t| t.contains("Your version is saved as")).await?;
    assert_eq!(a.value("#pm-title").await?, "Renamed in tab B");
    a.open("/").await?;
    a.wait_for_text("both in the library", |t| {
        t.contains("Renamed in tab B") && t.contains("Two tabs, renamed in A (copy from another tab)")
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
    a.type_into("#pm-summary", &format!(" Mine wins. {}", debrief::domain::sample::incompressible_text(3000))).await?;
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
    assert!(stored.contains("Mine wins.") && stored.contains("Renamed again in B"), "A's version, written on purpose");
    a.finish().await
}

// ---------------------------------------------------------------------------------------
// Hostile input.

/// Nothing from the hostile corpus ran or became markup on the page now shown.
async fn assert_inert(s: &Session, step: &str) -> TestResult {
    assert_eq!(s.js("return window.__pwned === undefined;", vec![]).await?, json!(true), "script ran at {step}");
    let injected = s
        .js(
            "return document.querySelectorAll('script:not([src]), iframe, [onerror], [onload], \
             a[href^=\"javascript:\"], a[href^=\"data:\"]').length;",
            vec![],
        )
        .await?;
    assert_eq!(injected, json!(0), "markup from input at {step}");
    assert_eq!(s.js("return window.__cspViolations;", vec![]).await?, json!([]), "policy violations at {step}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_input_stays_text_everywhere() -> TestResult {
    let corpus: Vec<String> = serde_json::from_str(&std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/strings.json"),
    )?)?;
    let s = session().await?;
    let path = s.create_postmortem("Hostile input").await?;

    // Typed and pasted into fields, including a 1 MB single line.
    let joined = corpus.join("\n");
    s.set_value("#pm-title", &corpus[0]).await?;
    s.set_value("#pm-summary", &joined).await?;
    s.click_button("Add event").await?;
    s.set_value("textarea[id^=event-text-]", &corpus[1]).await?;
    s.set_value("#pm-impact", &"x".repeat(1024 * 1024)).await?;
    s.wait_saved().await?;
    s.client.refresh().await?;
    s.find("main h1").await?;
    assert_inert(&s, "the editor").await?;
    assert_eq!(s.find("main h1").await?.text().await?, corpus[0]);
    assert_eq!(s.value("#pm-summary").await?.replace("\r\n", "\n"), joined);
    assert_eq!(s.value("#pm-impact").await?.len(), 1024 * 1024);

    // Links with other schemes are refused.
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

// ---------------------------------------------------------------------------------------
// Storage: room, persistence and recovery.

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
    s.click_button("Delete…").await?;
    s.click_button("Delete").await?;
    s.wait_for_text("the entry gone", |t| !t.contains("Some stored entries could not be read")).await?;
    assert_eq!(s.storage_item("debrief.pm.00000000-0000-4000-8000-00000000dead").await?, None);
    assert!(s.page_text().await?.contains("Capacity"), "the readable postmortem stays");
    s.finish().await
}

// ---------------------------------------------------------------------------------------
// Offline, accessibility, keyboard, themes, first run and small screens.

#[path = "e2e/everyone.rs"]
mod everyone;
