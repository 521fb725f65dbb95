//! Starts Debrief in the browser.

fn main() {
    // A panic shows a way out (reload, download unsaved edits) instead of a dead page.
    debrief::ui::rescue::install();
    leptos::mount::mount_to_body(debrief::App);
}
