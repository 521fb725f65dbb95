//! Helpers for the end-to-end tests, in one place: the page object every test drives
//! ([`Session`]) and what tests of each area need besides.

pub use crate::browser::{
    DevTools, Driver, free_port, launch, serve_one, start_server_at, start_server_serving_wasm_as,
};
pub use fantoccini::elements::Element;
pub use fantoccini::{Client, Locator};
pub use serde_json::{Value, json};
pub use std::io::Write;
pub use std::net::{TcpListener, TcpStream};
pub use std::path::{Path, PathBuf};
pub use std::sync::Arc;
pub use std::sync::atomic::{AtomicBool, Ordering};
pub use std::time::{Duration, Instant};

/// What every test returns: any error fails it with its message.
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

mod checks;
mod contributions;
mod files;
mod keyboard;
mod server;
mod session;
mod storage;
mod team;
mod templates;

pub use checks::*;
pub use contributions::*;
pub use files::*;
pub use keyboard::*;
pub use server::*;
pub use session::*;
pub use storage::*;
pub use team::*;
pub use templates::*;
