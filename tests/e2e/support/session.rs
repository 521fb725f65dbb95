//! The page object every test drives: a fresh browser profile on the built app, and
//! what a person does with it (open, find, click, type, wait for what the page says).

use super::*;

pub fn dist_dir() -> PathBuf {
    let dir = std::env::var("DEBRIEF_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(dir.join("index.html").is_file(), "no built app in {}: run `trunk build --release` first", dir.display());
    dir
}

pub struct Session {
    pub client: Client,
    pub base: String,
    _driver: Driver,
}

pub async fn session() -> Result<Session, Box<dyn std::error::Error>> {
    session_at(start_server_at(dist_dir(), "")).await
}

pub async fn session_at(base: String) -> Result<Session, Box<dyn std::error::Error>> {
    session_with(base, &[], &[]).await
}

/// A fresh browser profile whose browser runs with the environment `envs` (such as `TZ`)
/// and the extra command-line `args` (such as `--lang=fr-FR`).
pub async fn session_with(
    base: String,
    envs: &[(&str, &str)],
    args: &[&str],
) -> Result<Session, Box<dyn std::error::Error>> {
    session_with_options(base, envs, args, &[]).await
}

/// As [`session_with`], with extra `goog:chromeOptions` entries (such as `mobileEmulation`).
pub async fn session_with_options(
    base: String,
    envs: &[(&str, &str)],
    args: &[&str],
    options_extra: &[(&str, Value)],
) -> Result<Session, Box<dyn std::error::Error>> {
    let (client, driver) = launch(envs, args, options_extra).await?;
    Ok(Session { client, base, _driver: driver })
}

impl Session {
    pub async fn open(&self, path: &str) -> Result<(), Box<dyn std::error::Error>> {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        self.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css("main h1")).await?;
        Ok(())
    }

    pub async fn find(&self, css: &str) -> Result<Element, Box<dyn std::error::Error>> {
        Ok(self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await?)
    }

    pub async fn all(&self, css: &str) -> Result<Vec<Element>, Box<dyn std::error::Error>> {
        Ok(self.client.find_all(Locator::Css(css)).await?)
    }

    pub async fn click_button(&self, text: &str) -> Result<(), Box<dyn std::error::Error>> {
        let xpath = format!("//button[normalize-space(.)='{text}']");
        let button = self.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::XPath(&xpath)).await?;
        self.click(&button).await
    }

    /// Clicks like a person who scrolled the element to the middle of the screen first
    /// (WebDriver's own scrolling can leave it under the sticky editor bar).
    pub async fn click(&self, element: &Element) -> Result<(), Box<dyn std::error::Error>> {
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(element)?])
            .await?;
        element.click().await?;
        Ok(())
    }

    pub async fn click_css(&self, css: &str) -> Result<(), Box<dyn std::error::Error>> {
        let element = self.find(css).await?;
        self.click(&element).await
    }

    pub async fn type_into(&self, css: &str, text: &str) -> Result<(), Box<dyn std::error::Error>> {
        self.find(css).await?.send_keys(text).await?;
        Ok(())
    }

    /// Sets a value the way a date picker does: the value, then input and change events.
    pub async fn set_value(&self, css: &str, value: &str) -> Result<(), Box<dyn std::error::Error>> {
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

    pub async fn value(&self, css: &str) -> Result<String, Box<dyn std::error::Error>> {
        Ok(self.find(css).await?.prop("value").await?.unwrap_or_default())
    }

    pub async fn values(&self, css: &str) -> Result<Vec<String>, Box<dyn std::error::Error>> {
        let mut out = Vec::new();
        for el in self.all(css).await? {
            out.push(el.prop("value").await?.unwrap_or_default());
        }
        Ok(out)
    }

    pub async fn page_text(&self) -> Result<String, Box<dyn std::error::Error>> {
        Ok(self.find("body").await?.text().await?)
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Result<Value, Box<dyn std::error::Error>> {
        Ok(self.client.execute(script, args).await?)
    }

    /// The stored text under `key`, unpacked when storage keeps it in the compact form.
    pub async fn storage_item(&self, key: &str) -> Result<Option<String>, Box<dyn std::error::Error>> {
        let v = self.js("return localStorage.getItem(arguments[0]);", vec![json!(key)]).await?;
        v.as_str().map(unpacked).transpose()
    }

    /// Waits until `check` holds for the page text.
    pub async fn wait_for_text(
        &self,
        what: &str,
        check: impl Fn(&str) -> bool,
    ) -> Result<(), Box<dyn std::error::Error>> {
        self.wait_for_text_within(what, Duration::from_secs(10), check).await
    }

    /// As [`Session::wait_for_text`], for something that may take longer on a busy machine
    /// (a new version's files fetched by the service worker).
    pub async fn wait_for_text_within(
        &self,
        what: &str,
        within: Duration,
        check: impl Fn(&str) -> bool,
    ) -> Result<(), Box<dyn std::error::Error>> {
        let deadline = Instant::now() + within;
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

    /// Waits until the browser has painted twice more, so work the page queued for its next
    /// frames (moving focus, drawing) is done. Waits on the page, not on a clock; only for
    /// the tab in front (a tab behind paints nothing).
    pub async fn settle(&self) -> TestResult {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)));",
                vec![],
            )
            .await?;
        Ok(())
    }

    pub async fn wait_saved(&self) -> Result<(), Box<dyn std::error::Error>> {
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

    pub async fn create_postmortem(&self, title: &str) -> Result<String, Box<dyn std::error::Error>> {
        self.open("/").await?;
        self.click_button("New postmortem").await?;
        self.click_button("Start blank").await?;
        self.type_into("#pm-title", title).await?;
        self.wait_saved().await?;
        let url = self.client.current_url().await?;
        Ok(url.path().to_owned())
    }

    pub async fn finish(self) -> TestResult {
        self.client.close().await?;
        Ok(())
    }
}

/// Opens the sample postmortem from the first-run page; returns the editor's path.
pub async fn open_sample(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    s.open("/").await?;
    s.click_button("Open a sample postmortem").await?;
    s.find("#pm-title").await?;
    Ok(s.client.current_url().await?.path().to_owned())
}
