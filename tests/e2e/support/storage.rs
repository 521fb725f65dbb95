//! Reading and arranging what the browser stores: the compact stored form unpacked, a
//! full storage, a snapshot of every entry, a postmortem stored directly, another tab's save.

use super::*;

/// Stored text as JSON: unpacked from the compact form storage keeps, or as it is.
pub fn unpacked(stored: &str) -> Result<String, Box<dyn std::error::Error>> {
    Ok(debrief::file_format::compact::unpack(stored)?.into_owned())
}

/// Fills the rest of localStorage so the next save cannot fit (unless it is smaller).
pub async fn fill_storage(s: &Session) -> TestResult {
    s.js(
        "let chunk = 1000000, n = 0;
         while (chunk > 16) { try { localStorage.setItem('filler.' + n++, 'x'.repeat(chunk)); } catch (e) { chunk = Math.floor(chunk / 2); } }",
        vec![],
    )
    .await?;
    Ok(())
}

/// Waits until something is stored under `key` (by this tab or another).
pub async fn wait_for_stored(s: &Session, key: &str) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(10);
    while s.js("return localStorage.getItem(arguments[0]) !== null;", vec![json!(key)]).await? != json!(true) {
        if Instant::now() > deadline {
            return Err(format!("nothing was stored under {key}").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// `words` followed by text that does not compress: after [`fill_storage`], a save that
/// holds it cannot fit, whatever form storage keeps text in.
pub fn too_big_to_fit(words: &str) -> String {
    format!("{words} {}", debrief::domain::sample::incompressible_text(3000))
}

/// Everything stored, except the measured size of the storage: the library measures it
/// once, on its own schedule, and it is a note about the browser, not library data.
pub async fn storage_snapshot(s: &Session) -> Result<Value, Box<dyn std::error::Error>> {
    s.js(
        "return Object.keys(localStorage).filter(k => k !== 'debrief.measured-size').sort()\
         .map(k => [k, localStorage.getItem(k)]);",
        vec![],
    )
    .await
}

/// Stores `pm` as the only postmortem, in plain JSON as an earlier version would.
pub async fn store_only(s: &Session, pm: &debrief::domain::Postmortem) -> TestResult {
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

/// Changes the stored postmortem `id` the way another tab's save does: a new revision of
/// the document, and its title in the index.
pub async fn save_elsewhere(s: &Session, id: &str, title: &str) -> TestResult {
    let key = format!("debrief.pm.{id}");
    let mut envelope: Value = serde_json::from_str(&s.storage_item(&key).await?.unwrap_or_default())?;
    let pm = &mut envelope["postmortems"][0];
    pm["revision"] = json!(pm["revision"].as_u64().unwrap_or_default() + 1);
    pm["title"] = json!(title);
    pm["updated_at"] = json!(chrono::Utc::now().to_rfc3339());
    // The index may be absent: a save that found storage full keeps the document and drops
    // the index, which the next start rebuilds from the documents.
    let index = match s.storage_item("debrief.index").await? {
        Some(text) => {
            let mut index: Value = serde_json::from_str(&text)?;
            if let Some(summaries) = index["index"].as_array_mut() {
                summaries.iter_mut().filter(|s| s["id"] == json!(id)).for_each(|s| s["title"] = json!(title));
            }
            Some(index.to_string())
        }
        None => None,
    };
    // Written as plain JSON, as an earlier version in another tab would: both forms are read.
    s.js(
        "localStorage.setItem(arguments[0], arguments[1]); if (arguments[2] !== null) localStorage.setItem('debrief.index', arguments[2]);",
        vec![json!(key), json!(envelope.to_string()), json!(index)],
    )
    .await?;
    Ok(())
}
