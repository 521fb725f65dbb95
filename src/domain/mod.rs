//! Pure Rust: the postmortem model and everything computed from it. No browser here.

pub mod action_plan;
pub mod archive;
pub mod compare;
pub mod contribution;
pub mod durations;
pub mod fixes;
pub mod learning;
pub mod limits;
pub mod lineage;
pub mod link;
pub mod markdown;
pub mod merge;
pub mod metrics;
pub mod model;
pub mod names;
pub mod order;
pub mod outline;
pub mod redact;
pub mod review;
pub mod sample;
pub mod search;
pub mod summary;
pub mod template;
pub mod time;
pub mod timeline_paste;
pub mod wording;

pub use durations::{Durations, Span};
pub use link::{Link, LinkError};
pub use model::postmortem::*;
pub use summary::Summary;
pub use time::{Moment, UtcOffset, Zone};
