//! The application layer: one plain Rust service per workflow, over the storage traits, so
//! every workflow runs (and is tested) without a browser. Pages call these and render what
//! they return; no page decides a workflow.
//!
//! - [`library`]: the library of this browser: open, save, trash, restore, purge, the
//!   template and key lists, room left, and full-text search.
//! - [`import`]: reading files, comparing them with the library, and writing the chosen
//!   postmortems, templates and keys all or nothing.
//! - [`backup`]: a full backup, an export of some postmortems, one postmortem as a file or
//!   as Markdown.
//! - [`invitations`]: opening an invitation from a link or a file, creating one (sealed or
//!   not), merging contributions, and a contributor finishing theirs.
//! - [`templates`]: a template file brought in.
//! - [`editor`]: the editor's session: its save states and what another tab's save or a
//!   conflict choice does to them.
//! - [`saving`]: one durable save under the save lock (journal, then "saved"), and the
//!   journal's replay at start.
//!
//! Services return typed results and errors; the words for storage errors are the UI's
//! (`ui::state::explain`), the summaries of what succeeded are here.

pub mod backup;
pub mod editor;
pub mod folder;
pub mod import;
pub mod invitations;
pub mod library;
pub mod saving;
pub mod templates;

pub use library::Library;
