//! The wire forms of anonymous contributions: invitation links and files, contribution
//! files and codes, and sealing a contribution to the facilitator's key.
//!
//! Everything here reads text written by someone else, so decoding is strict and bounded:
//! sizes are capped before and after unpacking, base64 must be canonical, JSON may hold no
//! unknown fields, and a code carries its length and a checksum so a cut or changed code is
//! named as such. A contribution on the wire holds only the format, its version, the
//! invitation id, a random id and the answers (sealed or not): no name, time or locale.

use super::json_path::strip_position;
use crate::domain::Postmortem;
use crate::domain::contribution::{
    Contribution, ContributionAnswer, ContributionId, Invitation, InvitationId, Question, Refusal, merge,
};
use blake2::Blake2b;
use blake2::digest::Digest;
use blake2::digest::consts::U4;
use chrono::NaiveDate;
use crypto_box::aead::rand_core::CryptoRngCore;
use crypto_box::{PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The `format` of an invitation file.
pub const INVITATION_FORMAT: &str = "debrief-invitation";
/// The `format` of a contribution file.
pub const CONTRIBUTION_FORMAT: &str = "debrief-contribution";
/// The version of both wire forms this build writes and the newest it reads.
pub const WIRE_VERSION: u32 = 1;
/// What an invitation link's fragment starts with (after `#`).
pub const LINK_PREFIX: &str = "invitation=";
/// What every contribution code starts with.
pub const CODE_PREFIX: &str = "DEBRIEF-CONTRIBUTION.";
/// The generic name of every contribution file: it says nothing about its writer.
pub const CONTRIBUTION_FILE_NAME: &str = "contribution.debrief.json";
/// The longest invitation link fragment read, in characters.
pub const MAX_LINK_CHARS: usize = 32 * 1024;
/// The most an invitation may unpack to, in bytes.
pub const MAX_INVITATION_BYTES: usize = 64 * 1024;
/// The longest contribution file or code read, in bytes.
pub const MAX_CONTRIBUTION_CHARS: usize = 1024 * 1024;
/// The most a contribution may unpack to, in bytes.
pub const MAX_CONTRIBUTION_BYTES: usize = 1024 * 1024;

/// Why an invitation or contribution could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum WireError {
    #[error("it is longer than any Debrief {what} ({limit} characters at most)")]
    TooLong { what: &'static str, limit: usize },
    #[error("it holds characters Debrief never writes there, so it was changed or is not from Debrief")]
    NotBase64,
    #[error("its packed content is damaged and cannot be unpacked")]
    Damaged,
    #[error("it unpacks to more than {0} KB, which no Debrief {1} does")]
    Unpacks(usize, &'static str),
    #[error("it is not valid JSON ({0})")]
    NotJson(String),
    #[error("{0}")]
    WrongKind(String),
    #[error("it was made by a newer version of Debrief (version {0}): update Debrief to open it")]
    NewerVersion(u64),
    #[error("at {place}: {problem}")]
    Invalid { place: String, problem: String },
    #[error("the invitation cannot be used: {0}")]
    Unusable(String),
    #[error(
        "this code is incomplete: it should have {expected} characters after its header but has {found}. It was probably cut off when copied: ask for the whole code, or for the file"
    )]
    Truncated { expected: usize, found: usize },
    #[error("this code was changed on the way (its checksum does not match): ask for it again, or for the file")]
    ChecksumMismatch,
    #[error(
        "the start of this code is damaged: a code begins with {CODE_PREFIX}, then its length and checksum. Copy it again from the beginning"
    )]
    BadHeader,
    #[error(
        "it is sealed, and this browser does not have the key that opens it: open it in the browser where the invitation was created, or restore a full backup made after the invitation was created"
    )]
    NoKey,
    #[error(
        "it is sealed, but the key kept for its invitation does not open it: it was changed on the way or sealed to a different key"
    )]
    WrongKey,
    #[error("it could not be written ({0})")]
    Unwritable(String),
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes as base64url without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// Decodes base64url without padding; `None` for any character outside the alphabet, an
/// impossible length, or stray bits in the last character (so every input has one reading).
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| BASE64URL.iter().position(|&a| a == c).map(|v| v as u32);
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let full = chunk.len() - 1;
        let decoded = n.to_be_bytes();
        out.extend_from_slice(&decoded[1..=full]);
        // Bits past the last whole byte must be zero.
        if n & ((1u32 << (24 - 8 * full)) - 1) != 0 {
            return None;
        }
    }
    Some(out)
}

fn pack(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 9)
}

fn unpack(bytes: &[u8], limit: usize, what: &'static str) -> Result<Vec<u8>, WireError> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, limit).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => WireError::Unpacks(limit / 1024, what),
        _ => WireError::Damaged,
    })
}

/// Decodes JSON strictly, naming the place of the first problem.
fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, WireError> {
    serde_json::from_str(text).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            WireError::NotJson(strip_position(&e.to_string()))
        } else {
            WireError::Invalid {
                place: format!("${}", super::json_path::place_of(text, &e)),
                problem: strip_position(&e.to_string()),
            }
        }
    })
}

#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

/// Checks the `format` and `version` before the rest is decoded.
fn check_header(text: &str, expected: &'static str) -> Result<(), WireError> {
    let header: Header = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            WireError::WrongKind(wrong_kind(None, expected))
        } else {
            WireError::NotJson(strip_position(&e.to_string()))
        }
    })?;
    let format = header.format.as_ref().and_then(|f| f.as_str());
    if format != Some(expected) {
        return Err(WireError::WrongKind(wrong_kind(format, expected)));
    }
    match header.version.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v > u64::from(WIRE_VERSION) => Err(WireError::NewerVersion(v)),
        Some(1) => Ok(()),
        _ => Err(WireError::Invalid { place: "$.version".into(), problem: "must be 1".into() }),
    }
}

fn wrong_kind(found: Option<&str>, expected: &str) -> String {
    let what = |f: &str| match f {
        INVITATION_FORMAT => "an invitation to contribute",
        CONTRIBUTION_FORMAT => "a contribution",
        super::FORMAT_NAME => "a Debrief library or postmortem file",
        _ => "not a Debrief file",
    };
    let wanted = what(expected);
    match found {
        Some(f) if [INVITATION_FORMAT, CONTRIBUTION_FORMAT, super::FORMAT_NAME].contains(&f) => {
            format!("it is {}, not {wanted}", what(f))
        }
        _ => format!("it is not {wanted} (no \"format\": \"{expected}\" header)"),
    }
}

/// An invitation as it travels.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct InvitationWire {
    format: String,
    version: u32,
    id: InvitationId,
    title: String,
    summary: String,
    #[serde(default)]
    deadline: Option<NaiveDate>,
    questions: Vec<Question>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seal_key: Option<String>,
}

impl From<&Invitation> for InvitationWire {
    fn from(inv: &Invitation) -> Self {
        Self {
            format: INVITATION_FORMAT.to_owned(),
            version: WIRE_VERSION,
            id: inv.id,
            title: inv.title.clone(),
            summary: inv.summary.clone(),
            deadline: inv.deadline,
            questions: inv.questions.clone(),
            seal_key: inv.seal_key.clone(),
        }
    }
}

/// The invitation as a file people can open (indented JSON).
pub fn invitation_file(inv: &Invitation) -> Result<String, WireError> {
    serde_json::to_string(&InvitationWire::from(inv))
        .map(|json| super::pretty::indent(&json))
        .map_err(|e| WireError::Unwritable(e.to_string()))
}

/// A file name for the invitation.
pub fn invitation_file_name(inv: &Invitation) -> String {
    format!("{}.debrief-invitation.json", super::safe_name(&inv.title, "invitation"))
}

/// The link fragment (without `#`) that carries the invitation: packed, base64url.
pub fn invitation_fragment(inv: &Invitation) -> Result<String, WireError> {
    let json = serde_json::to_string(&InvitationWire::from(inv)).map_err(|e| WireError::Unwritable(e.to_string()))?;
    Ok(format!("{LINK_PREFIX}{}", base64url_encode(&pack(json.as_bytes()))))
}

/// Whether a link fragment (with or without `#`) is an invitation link, without reading it.
pub fn is_invitation_fragment(fragment: &str) -> bool {
    fragment.strip_prefix('#').unwrap_or(fragment).starts_with(LINK_PREFIX)
}

/// Reads an invitation from a link fragment (with or without `#`). `None` when the
/// fragment is not an invitation link at all, so other fragments are left alone.
pub fn read_invitation_fragment(fragment: &str) -> Option<Result<Invitation, WireError>> {
    let body = fragment.strip_prefix('#').unwrap_or(fragment).strip_prefix(LINK_PREFIX)?;
    Some(read_fragment_body(body))
}

fn read_fragment_body(body: &str) -> Result<Invitation, WireError> {
    if body.len() > MAX_LINK_CHARS {
        return Err(WireError::TooLong { what: "invitation link", limit: MAX_LINK_CHARS });
    }
    let packed = base64url_decode(body).ok_or(WireError::NotBase64)?;
    let json = unpack(&packed, MAX_INVITATION_BYTES, "invitation")?;
    let text = String::from_utf8(json).map_err(|_| WireError::Damaged)?;
    read_invitation_file(&text)
}

/// Reads an invitation file.
pub fn read_invitation_file(text: &str) -> Result<Invitation, WireError> {
    if text.len() > MAX_INVITATION_BYTES {
        return Err(WireError::TooLong { what: "invitation", limit: MAX_INVITATION_BYTES });
    }
    check_header(text, INVITATION_FORMAT)?;
    let wire: InvitationWire = decode(text)?;
    let inv = Invitation {
        id: wire.id,
        title: wire.title,
        summary: wire.summary,
        deadline: wire.deadline,
        questions: wire.questions,
        seal_key: wire.seal_key,
    };
    if let Some(problem) = inv.problems().into_iter().next() {
        return Err(WireError::Unusable(problem));
    }
    if let Some(key) = &inv.seal_key {
        public_key(key).ok_or_else(|| WireError::Unusable("its sealing key is not a valid public key".into()))?;
    }
    Ok(inv)
}

fn public_key(text: &str) -> Option<PublicKey> {
    let bytes: [u8; 32] = base64url_decode(text)?.try_into().ok()?;
    Some(PublicKey::from_bytes(bytes))
}

/// The key that opens contributions sealed for one invitation; kept only by the facilitator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealKey {
    pub invitation: InvitationId,
    /// The X25519 secret key, base64url.
    pub secret: String,
}

impl SealKey {
    /// A new key pair for `invitation`; the public half goes into the invitation.
    pub fn generate(invitation: InvitationId, rng: &mut impl CryptoRngCore) -> (Self, String) {
        let secret = SecretKey::generate(rng);
        let public = base64url_encode(secret.public_key().as_bytes());
        (Self { invitation, secret: base64url_encode(&secret.to_bytes()) }, public)
    }

    fn secret_key(&self) -> Option<SecretKey> {
        let bytes: [u8; 32] = base64url_decode(&self.secret)?.try_into().ok()?;
        Some(SecretKey::from_bytes(bytes))
    }
}

/// A contribution as it travels: open, or sealed to the invitation's key.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContributionWire {
    format: String,
    version: u32,
    invitation: InvitationId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<ContributionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    answers: Option<Vec<ContributionAnswer>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<String>,
}

/// A contribution read from a file or code, before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub invitation: InvitationId,
    pub content: ReceivedContent,
}

/// The content of a received contribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReceivedContent {
    Open(Contribution),
    /// A sealed box holding the packed contribution JSON.
    Sealed(Vec<u8>),
}

fn open_wire(invitation: InvitationId, c: &Contribution) -> ContributionWire {
    ContributionWire {
        format: CONTRIBUTION_FORMAT.to_owned(),
        version: WIRE_VERSION,
        invitation,
        id: Some(c.id),
        answers: Some(c.answers.clone()),
        sealed: None,
    }
}

/// The contribution unsealed, as compact JSON: how a contributor's draft is kept in their tab.
pub fn draft_file(invitation: InvitationId, c: &Contribution) -> Result<String, WireError> {
    serde_json::to_string(&open_wire(invitation, c)).map_err(|e| WireError::Unwritable(e.to_string()))
}

/// The contribution file for `c`, sealed when the invitation asks for it.
pub fn contribution_file(
    inv: &Invitation,
    c: &Contribution,
    rng: &mut impl CryptoRngCore,
) -> Result<String, WireError> {
    let mut wire = open_wire(inv.id, c);
    if let Some(key) = &inv.seal_key {
        let key = public_key(key).ok_or_else(|| WireError::Unusable("its sealing key is not valid".into()))?;
        let inner = serde_json::to_string(c).map_err(|e| WireError::Unwritable(e.to_string()))?;
        let sealed =
            key.seal(rng, &pack(inner.as_bytes())).map_err(|_| WireError::Unwritable("sealing failed".into()))?;
        wire.id = None;
        wire.answers = None;
        wire.sealed = Some(base64url_encode(&sealed));
    }
    serde_json::to_string(&wire)
        .map(|json| super::pretty::indent(&json))
        .map_err(|e| WireError::Unwritable(e.to_string()))
}

/// The checksum written into a code: 4 bytes of BLAKE2b over the body, in hex.
fn checksum(body: &str) -> String {
    Blake2b::<U4>::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The contribution file as one line of text to paste into a message:
/// `DEBRIEF-CONTRIBUTION.<length>.<checksum>.<packed file, base64url>`.
pub fn contribution_code(file: &str) -> String {
    let compact = serde_json::from_str::<serde_json::Value>(file)
        .and_then(|v| serde_json::to_string(&v))
        .unwrap_or_else(|_| file.to_owned());
    let body = base64url_encode(&pack(compact.as_bytes()));
    format!("{CODE_PREFIX}{}.{}.{body}", body.len(), checksum(&body))
}

/// Reads a contribution file.
pub fn read_contribution_file(text: &str) -> Result<Received, WireError> {
    if text.len() > MAX_CONTRIBUTION_CHARS {
        return Err(WireError::TooLong { what: "contribution", limit: MAX_CONTRIBUTION_CHARS });
    }
    check_header(text, CONTRIBUTION_FORMAT)?;
    let wire: ContributionWire = decode(text)?;
    let content = match (wire.id, wire.answers, wire.sealed) {
        (Some(id), Some(answers), None) => ReceivedContent::Open(Contribution { id, answers }),
        (None, None, Some(sealed)) => ReceivedContent::Sealed(base64url_decode(&sealed).ok_or(WireError::NotBase64)?),
        _ => {
            return Err(WireError::Invalid {
                place: "$".into(),
                problem: "it must hold either \"id\" and \"answers\", or \"sealed\"".into(),
            });
        }
    };
    Ok(Received { invitation: wire.invitation, content })
}

/// Every contribution code in `text` (a pasted message may hold several, and line breaks
/// or spaces inside a code are ignored), each read or refused on its own.
pub fn read_codes(text: &str) -> Vec<Result<Received, WireError>> {
    if text.len() > MAX_CONTRIBUTION_CHARS * 8 {
        return vec![Err(WireError::TooLong { what: "pasted text", limit: MAX_CONTRIBUTION_CHARS * 8 })];
    }
    let starts: Vec<usize> = text.match_indices(CODE_PREFIX).map(|(i, _)| i).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(text.len());
            read_code(&text[start + CODE_PREFIX.len()..end])
        })
        .collect()
}

/// Reads one code, given what follows its prefix (and possibly unrelated text after it).
fn read_code(rest: &str) -> Result<Received, WireError> {
    let mut chars = rest.chars().filter(|c| !c.is_whitespace());
    let mut field = |limit: usize| -> Option<String> {
        let mut out = String::new();
        for c in chars.by_ref() {
            if c == '.' {
                return Some(out);
            }
            if out.len() >= limit || !c.is_ascii_alphanumeric() {
                return None;
            }
            out.push(c);
        }
        None
    };
    let length: usize = field(8).and_then(|l| l.parse().ok()).ok_or(WireError::BadHeader)?;
    let sum = field(8).filter(|s| s.len() == 8).ok_or(WireError::BadHeader)?;
    if length > MAX_CONTRIBUTION_CHARS {
        return Err(WireError::TooLong { what: "contribution code", limit: MAX_CONTRIBUTION_CHARS });
    }
    let body: String = chars.take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(length).collect();
    if body.len() < length {
        return Err(WireError::Truncated { expected: length, found: body.len() });
    }
    if checksum(&body) != sum.to_ascii_lowercase() {
        return Err(WireError::ChecksumMismatch);
    }
    let packed = base64url_decode(&body).ok_or(WireError::NotBase64)?;
    let json = unpack(&packed, MAX_CONTRIBUTION_BYTES, "contribution")?;
    let text = String::from_utf8(json).map_err(|_| WireError::Damaged)?;
    read_contribution_file(&text)
}

/// Opens a received contribution, with the key kept for its invitation when it is sealed.
pub fn open(received: Received, keys: &[SealKey]) -> Result<Contribution, WireError> {
    match received.content {
        ReceivedContent::Open(c) => Ok(c),
        ReceivedContent::Sealed(bytes) => {
            let key = keys.iter().find(|k| k.invitation == received.invitation).ok_or(WireError::NoKey)?;
            let secret = key.secret_key().ok_or(WireError::WrongKey)?;
            let packed = secret.unseal(&bytes).map_err(|_| WireError::WrongKey)?;
            let json = unpack(&packed, MAX_CONTRIBUTION_BYTES, "contribution")?;
            let text = String::from_utf8(json).map_err(|_| WireError::Damaged)?;
            decode(&text)
        }
    }
}

/// A file or a pasted text offered for merging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    /// What the person calls it: the file name, or "Pasted text".
    pub name: String,
    pub text: String,
}

/// What happened to one contribution (or to an offered item holding none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Where it came from: "notes.json", "Pasted text, code 2".
    pub source: String,
    /// `Ok` when merged, else why not.
    pub result: Result<(), String>,
}

/// Why an open contribution to a sealed invitation is refused.
const NOT_SEALED: &str = "it is not sealed, but this invitation asks for sealed contributions: the link it answered was probably changed. Ask for it to be answered again from the link you sent";

/// Reads every offered file and text, and merges each contribution that passes its checks
/// into `pm`. Each refusal is reported with its reason and changes nothing.
pub fn merge_offered(pm: &mut Postmortem, offered: &[Offered], keys: &[SealKey]) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for item in offered {
        let trimmed = item.text.trim_start_matches('\u{feff}').trim_start();
        let found: Vec<Result<Received, WireError>> =
            if trimmed.starts_with('{') { vec![read_contribution_file(trimmed)] } else { read_codes(trimmed) };
        if found.is_empty() {
            outcomes.push(Outcome {
                source: item.name.clone(),
                result: Err(format!(
                    "no contribution found: a contribution is a .json file or a code starting with {CODE_PREFIX}"
                )),
            });
        }
        let several = found.len() > 1;
        for (i, received) in found.into_iter().enumerate() {
            let source = if several { format!("{}, code {}", item.name, i + 1) } else { item.name.clone() };
            let result = received.map_err(|e| e.to_string()).and_then(|r| {
                let invitation = r.invitation;
                // The invitation is checked first: a sealed stranger should not say it lacks a key.
                let Some(sent) = pm.invitations.iter().find(|s| s.invitation.id == invitation) else {
                    return Err(Refusal::OtherInvitation.to_string());
                };
                if sent.invitation.seal_key.is_some() && matches!(r.content, ReceivedContent::Open(_)) {
                    return Err(NOT_SEALED.to_owned());
                }
                let c = open(r, keys).map_err(|e| e.to_string())?;
                merge(pm, invitation, c).map_err(|e| e.to_string())
            });
            outcomes.push(Outcome { source, result });
        }
    }
    outcomes
}

// Native only: property tests and child processes are not available in the browser.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
