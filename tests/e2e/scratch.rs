use crate::support::*;

#[tokio::test(flavor = "multi_thread")]
async fn shots() -> TestResult {
    let s = session_with(start_server_at(dist_dir(), ""), &[("TZ", "Europe/Berlin")], &["--lang=de-DE"]).await?;
    s.client.issue_cmd(DevTools("Emulation.setLocaleOverride", json!({ "locale": "en-GB" }))).await?;
    s.create_postmortem("Spring change").await?;
    s.set_value("#pm-time-impact-started", "2026-03-29T01:40").await?;
    s.set_value("#pm-time-resolved", "2026-03-29T04:10").await?;
    s.click_button("Add event").await?;
    s.type_into("textarea[id^=event-text-]", "Alert fired").await?;
    s.set_value("[id^=event-time-]", "2026-03-29T01:52").await?;
    s.click_button("Add action item").await?;
    s.type_into("textarea[id^=action-text-]", "Add a canary stage").await?;
    s.find("[id^=action-status-]").await?.select_by_value("done").await?;
    s.set_value("[id^=action-done-on-]", "2099-01-01").await?;
    s.set_value("#pm-time-detected", "2026-03-29T02:30").await?;
    s.wait_for_text("q", |t| t.contains("never showed")).await?;
    for (w, h) in [(1280, 900), (390, 844)] {
        for theme in ["light", "dark"] {
            s.client.set_window_size(w, h).await?;
            s.js("document.documentElement.dataset.theme = arguments[0]", vec![json!(theme)]).await?;
            for (name, css) in [("times", "#times"), ("timeline", "#timeline"), ("actions", "#actions")] {
                s.js("document.querySelector(arguments[0]).scrollIntoView()", vec![json!(css)]).await?;
                s.settle().await?;
                let png = s.client.screenshot().await?;
                std::fs::write(format!("/tmp/shots/{name}-{w}-{theme}.png"), png)?;
            }
        }
    }
    s.finish().await
}
