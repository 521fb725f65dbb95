//! End-to-end tests: serve the built `dist/` on 127.0.0.1 and drive headless Chromium
//! through chromedriver the way a person uses Debrief. One module per area; the helpers and
//! the page object they share are in `e2e/support/`.
//!
//! Build first (`trunk build --release`); `scripts/test.sh` does. `DEBRIEF_DIST` points
//! at another build directory.
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/browser.rs"]
mod browser;
#[path = "e2e/support/mod.rs"]
mod support;

#[path = "e2e/archive.rs"]
mod archive;
#[path = "e2e/contributions.rs"]
mod contributions;
#[path = "e2e/document.rs"]
mod document;
#[path = "e2e/durability.rs"]
mod durability;
#[path = "e2e/editor.rs"]
mod editor;
#[path = "e2e/everyone.rs"]
mod everyone;
#[path = "e2e/follow_through.rs"]
mod follow_through;
#[path = "e2e/learning.rs"]
mod learning;
#[path = "e2e/library.rs"]
mod library;
#[path = "e2e/reliability.rs"]
mod reliability;
#[path = "e2e/review.rs"]
mod review;
#[path = "e2e/sharing.rs"]
mod sharing;
#[path = "e2e/team.rs"]
mod team;
#[path = "e2e/timeline.rs"]
mod timeline;
#[path = "e2e/times.rs"]
mod times;
