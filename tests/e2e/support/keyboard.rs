//! The keyboard: keys pressed, where focus is, and tabbing to a control.

use super::*;

/// Presses keys on whatever has focus, as a keyboard would.
pub async fn press(s: &Session, keys: &str) -> TestResult {
    s.client.active_element().await?.send_keys(keys).await?;
    s.settle().await
}

pub fn key(k: fantoccini::key::Key) -> String {
    char::from(k).to_string()
}

/// Ctrl+S, released again.
pub fn ctrl_s() -> String {
    format!("{}s{}", key(fantoccini::key::Key::Control), key(fantoccini::key::Key::Null))
}

/// A short description of what has focus: tag, id and text.
pub async fn focused(s: &Session) -> Result<String, Box<dyn std::error::Error>> {
    let v = s
        .js(
            "const a = document.activeElement; \
             return a ? a.tagName.toLowerCase() + '#' + a.id + ' ' + (a.innerText || a.value || '').trim().slice(0, 60) : '';",
            vec![],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Presses Tab until what has focus matches `check` (at most 80 times).
pub async fn tab_to(s: &Session, what: &str, check: impl Fn(&str) -> bool) -> TestResult {
    for _ in 0..80 {
        if check(&focused(s).await?) {
            return Ok(());
        }
        press(s, &key(fantoccini::key::Key::Tab)).await?;
    }
    Err(format!("Tab never reached {what}; focus is on {}", focused(s).await?).into())
}

/// Waits until focus is on what `check` accepts (a description from [`focused`]).
pub async fn wait_for_focus(s: &Session, what: &str, check: impl Fn(&str) -> bool) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = focused(s).await?;
        if check(&now) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("focus never reached {what}; it is on {now}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
