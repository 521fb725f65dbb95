//! Templates and guided mode: labelled buttons, typing where focus is, and walking a
//! template from its first step to its last.

use super::*;

/// Clicks the button whose accessible name (aria-label, else text) is `label`.
pub async fn click_labelled(s: &Session, label: &str) -> TestResult {
    let xpath = format!("//button[@aria-label='{label}' or normalize-space(.)='{label}']");
    let button = s.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::XPath(&xpath)).await?;
    s.click(&button).await
}

/// Types into the text field that has keyboard focus, once the page has moved focus there
/// (a row it just added).
pub async fn type_into_focused(s: &Session, text: &str) -> TestResult {
    wait_for_focus(s, "a text field", |f| f.starts_with("input") || f.starts_with("textarea")).await?;
    s.client.active_element().await?.send_keys(text).await?;
    Ok(())
}

/// Answers the guided step on screen the way its part is answered; returns what was typed.
pub async fn answer_step(s: &Session, template: &str) -> Result<(String, String, String), Box<dyn std::error::Error>> {
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
pub async fn walk_template(s: &Session, name: &str) -> TestResult {
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
