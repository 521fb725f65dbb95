//! The document model: every type a postmortem is made of (and the invitations,
//! templates and dismissed findings it carries), the identifiers of its rows, and access
//! to its free-text fields by key.
//!
//! This is the bottom of the domain. It imports nothing from the modules above it (only
//! `link`, `time` and `order`, which import nothing of the domain); summaries, completeness, the
//! wording check, durations, merging and the action plan are built on it, never the other
//! way round (`tests/architecture.rs` checks this).

/// Declares a closed set of choices with a stored name and a label for people.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $key)] $variant,)+
        }

        impl $name {
            /// Every choice, in the order menus show them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable name used in files and form values.
            pub fn key(self) -> &'static str {
                match self { $(Self::$variant => $key,)+ }
            }

            /// The name people read.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }

            /// The choice whose stable name is `key`.
            pub fn from_key(key: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.key() == key)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

pub mod dismissal;
pub mod fields;
pub mod history;
pub mod invitation;
pub mod lineage;
pub mod postmortem;
pub mod review;
pub mod template;

pub use dismissal::{Category, Dismissal};
pub use fields::{FieldKind, TextField, answer_field, text_mut, texts};
pub use lineage::{ContentHash, Lineage};
pub use postmortem::*;
pub use review::{Anchor, Approval, Check, Comment, Review, Signed};
