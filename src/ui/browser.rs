//! Small browser services the pages need: file downloads, picked and dropped files, the
//! base path, timing measures and waiting for a paint.

use wasm_bindgen::JsCast;

/// Runs `work` and records how long it took as a User Timing measure called `name`,
/// which the browser's performance panel and the benchmark (`scripts/bench.sh`) read.
pub fn timed<T>(name: &str, work: impl FnOnce() -> T) -> T {
    timing_starts(name);
    let out = work();
    timing_ends(name);
    out
}

/// Starts a User Timing measure called `name`, for work that spans awaits; see [`timed`].
pub fn timing_starts(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(&format!("{name}:start"));
    }
}

/// Marks a moment (the benchmark and tests count them).
pub fn timing_mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Ends the measure [`timing_starts`] started.
pub fn timing_ends(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let start = format!("{name}:start");
        let _ = p.measure_with_start_mark(name, &start);
        p.clear_marks_with_mark_name(&start);
    }
}

/// Lets the browser handle input and paint (progress text, say) before the next piece of work.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until the browser has painted what was just changed, so progress text is on
/// screen before a long synchronous step: the next animation frame, then a task after it.
/// A hidden tab paints nothing, so after a second it goes on anyway (browsers run timers
/// in hidden tabs about once a second, or less often).
pub async fn after_paint() {
    use leptos::prelude::{request_animation_frame, set_timeout};
    use std::time::Duration;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let in_hidden_tab = resolve.clone();
        set_timeout(move || drop(in_hidden_tab.call0(&wasm_bindgen::JsValue::NULL)), Duration::from_secs(1));
        request_animation_frame(move || {
            set_timeout(move || drop(resolve.call0(&wasm_bindgen::JsValue::NULL)), Duration::ZERO);
        });
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// The path the app is served under, from `<base href>` (Trunk's public URL), without a
/// trailing slash: `""` at a site's root, `"/debrief"` under a sub-path.
pub fn base_path() -> String {
    let href = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("base[href]").ok().flatten())
        .and_then(|b| b.get_attribute("href"))
        .unwrap_or_default();
    let path = match href.find("://") {
        // An absolute base URL: keep only its path.
        Some(i) => href[i + 3..].find('/').map(|p| href[i + 3 + p..].to_owned()).unwrap_or_default(),
        None => href,
    };
    path.trim_end_matches('/').to_owned()
}

/// Offers `text` to the user as a file named `file_name`.
pub fn download_text(file_name: &str, text: &str, mime: &str) -> Result<(), String> {
    download_part(file_name, &wasm_bindgen::JsValue::from_str(text), mime)
}

/// Offers `bytes` as a download named `file_name`.
pub fn download_bytes(file_name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    download_part(file_name, &js_sys::Uint8Array::from(bytes), mime)
}

fn download_part(file_name: &str, part: &wasm_bindgen::JsValue, mime: &str) -> Result<(), String> {
    let describe = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no browser window")?;
    let document = window.document().ok_or("no document")?;
    // A blob part may be text or bytes: the binding's name says strings, the API takes both.
    let parts = js_sys::Array::of1(part);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(describe)?;
    let anchor = document
        .create_element("a")
        .map_err(describe)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "could not create a link")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoke only after the browser has started the download.
    let revoke = move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    };
    leptos::prelude::set_timeout(revoke, std::time::Duration::from_secs(30));
    Ok(())
}

/// Reads a picked or dropped file as text, strictly (see [`crate::file_format::text::decode`]):
/// UTF-8 or UTF-16 with a byte-order mark; anything else is refused with what it is.
pub async fn read_text(file: &web_sys::File) -> Result<String, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "the browser could not read it".to_owned())?;
    crate::file_format::text::decode(&js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Whether the browser has agreed to keep this origin's data under storage pressure;
/// `None` when it cannot say.
pub async fn persisted() -> Option<bool> {
    let promise = web_sys::window()?.navigator().storage().persisted().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_bool()
}

/// Asks the browser to keep this origin's data under storage pressure; whether it agreed.
pub async fn request_persistence() -> Option<bool> {
    let promise = web_sys::window()?.navigator().storage().persist().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_bool()
}

/// Puts `text` on the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ()).map_err(|e| format!("{e:?}"))
}

/// Percent-encodes a value for a URL query.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).as_string().unwrap_or_default()
}

/// The files of a file list (from a picker or a drop).
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// The files dropped on the page, if the drag carried files.
pub fn dropped_files(ev: &web_sys::DragEvent) -> Vec<web_sys::File> {
    files_of(ev.data_transfer().and_then(|d| d.files()))
}

/// The files picked in a file input.
pub fn picked_files(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
    let files = files_of(input.as_ref().and_then(|i| i.files()));
    // Clear the picker so choosing the same file again still triggers a change.
    if let Some(input) = input {
        input.set_value("");
    }
    files
}
