//! Files in and out: downloads captured instead of saved, and files picked for import.

use super::*;

/// Replaces link clicks with a record, so a test can read what would be downloaded.
pub async fn capture_downloads(s: &Session) -> TestResult {
    s.js(
        "window.__downloads = [];
         HTMLAnchorElement.prototype.click = function () { window.__downloads.push({name: this.download, href: this.href}); };",
        vec![],
    )
    .await?;
    Ok(())
}

/// The last captured download as (file name, text).
pub async fn last_download(s: &Session) -> Result<(String, String), Box<dyn std::error::Error>> {
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
pub async fn import_file(s: &Session, name: &str, text: &str) -> Result<PathBuf, Box<dyn std::error::Error>> {
    import_bytes(s, name, text.as_bytes()).await
}

/// Writes `bytes` to a temporary file named `name` and picks it in the import input.
pub async fn import_bytes(s: &Session, name: &str, bytes: &[u8]) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("debrief-e2e-{}-{}", std::process::id(), free_port()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, bytes)?;
    s.find("#import-input").await?.send_keys(&path.to_string_lossy()).await?;
    Ok(path)
}
