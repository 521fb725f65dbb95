//! Links to evidence and trackers: only `http` and `https`, checked on the way in.

use serde::{Deserialize, Serialize};
use std::fmt;
use thiserror::Error;

/// Longest link Debrief keeps; longer text is almost surely not a link someone typed.
pub const MAX_LINK_LEN: usize = 2048;

/// A web address that is known to use `http` or `https` and to name a host.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Link(String);

/// Why a piece of text was not accepted as a link.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LinkError {
    #[error("the link is empty")]
    Empty,
    #[error("the link is longer than {MAX_LINK_LEN} characters")]
    TooLong,
    #[error("only http:// and https:// links are allowed")]
    Scheme,
    #[error("the link has no host after the scheme")]
    NoHost,
    #[error("the link contains spaces or control characters")]
    BadCharacter,
}

impl Link {
    /// Accepts `text` (trimmed) when it is an `http` or `https` address with a host.
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(LinkError::Empty);
        }
        if text.len() > MAX_LINK_LEN {
            return Err(LinkError::TooLong);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(LinkError::BadCharacter);
        }
        let lower = text.to_ascii_lowercase();
        let rest = if lower.starts_with("https://") {
            &text["https://".len()..]
        } else if lower.starts_with("http://") {
            &text["http://".len()..]
        } else {
            return Err(LinkError::Scheme);
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        if host.is_empty() {
            return Err(LinkError::NoHost);
        }
        Ok(Self(text.to_owned()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Link {
    type Error = LinkError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Link> for String {
    fn from(link: Link) -> Self {
        link.0
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_http_and_https_with_a_host() {
        for ok in [
            "https://grafana.example.com/d/abc?from=now-1h",
            "http://10.0.0.1:3000/x",
            "HTTPS://Example.com",
            "  https://example.com/trimmed  ",
            "https://user@example.com/",
        ] {
            assert!(Link::parse(ok).is_ok(), "{ok} should be accepted");
        }
        assert_eq!(Link::parse(" https://example.com ").map(|l| l.to_string()), Ok("https://example.com".to_owned()));
    }

    #[test]
    fn rejects_other_schemes_and_malformed_text() {
        assert_eq!(Link::parse("javascript:alert(1)"), Err(LinkError::Scheme));
        assert_eq!(Link::parse("data:text/html,<b>x</b>"), Err(LinkError::Scheme));
        assert_eq!(Link::parse("file:///etc/passwd"), Err(LinkError::Scheme));
        assert_eq!(Link::parse("ftp://example.com"), Err(LinkError::Scheme));
        assert_eq!(Link::parse("//example.com"), Err(LinkError::Scheme));
        assert_eq!(Link::parse("https://"), Err(LinkError::NoHost));
        assert_eq!(Link::parse("https:///path"), Err(LinkError::NoHost));
        assert_eq!(Link::parse("https://:80/"), Err(LinkError::NoHost));
        assert_eq!(Link::parse("https://a b.com"), Err(LinkError::BadCharacter));
        assert_eq!(Link::parse("https://a\u{0}b.com"), Err(LinkError::BadCharacter));
        assert_eq!(Link::parse("   "), Err(LinkError::Empty));
        let long = format!("https://example.com/{}", "a".repeat(MAX_LINK_LEN));
        assert_eq!(Link::parse(&long), Err(LinkError::TooLong));
    }

    #[test]
    fn deserializing_checks_the_scheme() {
        let bad: Result<Link, _> = serde_json::from_str("\"javascript:alert(1)\"");
        assert!(bad.is_err());
        let good: Link = serde_json::from_str("\"https://example.com\"").expect("valid link");
        assert_eq!(good.as_str(), "https://example.com");
    }
}
