//! Anonymous contributions as a facilitator and a contributor do them.

use super::*;

/// Creates an invitation from the open editor; returns its link.
pub async fn create_invitation(s: &Session, summary: &str, sealed: bool) -> Result<String, Box<dyn std::error::Error>> {
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
pub async fn open_link(s: &Session, link: &str) -> TestResult {
    s.client.goto("about:blank").await?;
    s.client.goto(link).await?;
    s.find("main h1").await?;
    Ok(())
}

/// Answers the invitation's questions that `answers` names (question number, text).
pub async fn answer(s: &Session, answers: &[(usize, &str)]) -> TestResult {
    for (n, text) in answers {
        s.type_into(&format!("#contribute-q{n}"), text).await?;
    }
    Ok(())
}

/// Finishes the contribution; returns its code.
pub async fn finish_contribution(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    s.click_button("Finish").await?;
    let code = s.value("#contribution-code").await?;
    assert!(code.starts_with("DEBRIEF-CONTRIBUTION."), "{code}");
    Ok(code)
}

/// Every key in both of the contributor's storages.
pub async fn browser_storage_keys(s: &Session) -> Result<Value, Box<dyn std::error::Error>> {
    s.js("return [Object.keys(localStorage), Object.keys(sessionStorage)];", vec![]).await
}

/// Writes files for the contribution file picker and picks them all at once.
pub async fn pick_contribution_files(s: &Session, files: &[(&str, &str)]) -> TestResult {
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
pub async fn paste_codes(s: &Session, text: &str) -> TestResult {
    s.set_value("#contribution-codes", text).await
}

/// Merges the picked files and pasted codes.
pub async fn merge_all(s: &Session) -> TestResult {
    s.click_css(".merge-contributions button.primary").await
}

/// The merge report's lines.
pub async fn merge_report(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    Ok(s.find("#merge-outcomes").await?.text().await?)
}
