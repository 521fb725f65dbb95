//! Debrief: blameless postmortems kept in the browser, shared as files.

pub mod app;
pub mod domain;
pub mod file_format;
pub mod storage;
pub mod ui;

pub use ui::App;
