//! The Leptos user interface: providers and router, pages, and reusable components.

pub mod app;
pub mod browser;
pub mod clock;
pub mod components;
pub mod hooks;
pub mod lazy;
pub mod library_app;
pub mod pages;
pub mod rescue;
pub mod routes;
pub mod shell;
pub mod state;

pub use app::App;
