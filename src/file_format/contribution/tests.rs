use super::*;
use crate::domain::PostmortemId;
use crate::domain::contribution::{SentInvitation, default_questions};
use chrono::Utc;
use crypto_box::aead::OsRng;
use proptest::prelude::*;

fn invitation() -> Invitation {
    Invitation {
        id: InvitationId::random(),
        title: "Checkout errors on 3 March".into(),
        summary: "Between 14:02 and 14:40 about 30% of checkouts failed. <b>Not bold</b> & \"quoted\".".into(),
        deadline: NaiveDate::from_ymd_opt(2026, 12, 1),
        questions: default_questions(),
        seal_key: None,
    }
}

fn sealed_invitation() -> (Invitation, SealKey) {
    let mut inv = invitation();
    let (key, public) = SealKey::generate(inv.id, &mut OsRng);
    inv.seal_key = Some(public);
    (inv, key)
}

fn contribution(inv: &Invitation, first: &str) -> Contribution {
    Contribution::new(inv, &[("q1".into(), first.into()), ("q3".into(), "The retry storm — ünïcödé 🚒".into())])
}

fn facilitator(inv: &Invitation) -> Postmortem {
    let mut pm = Postmortem::new(PostmortemId::random(), Utc::now());
    pm.invitations.push(SentInvitation { invitation: inv.clone(), contributions: Vec::new() });
    pm
}

fn opened(text: &str, keys: &[SealKey]) -> Result<Contribution, WireError> {
    open(read_contribution_file(text)?, keys)
}

#[test]
fn invitation_links_and_files_round_trip() {
    let inv = invitation();
    let fragment = invitation_fragment(&inv).expect("encoded");
    assert!(fragment.starts_with(LINK_PREFIX));
    assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)), "url-safe: {fragment}");
    assert_eq!(read_invitation_fragment(&format!("#{fragment}")), Some(Ok(inv.clone())));
    assert_eq!(read_invitation_file(&invitation_file(&inv).expect("file")), Ok(inv.clone()));
    let (sealed, _) = sealed_invitation();
    assert_eq!(read_invitation_fragment(&invitation_fragment(&sealed).expect("encoded")), Some(Ok(sealed)));
    // Other fragments are none of this module's business.
    assert_eq!(read_invitation_fragment("#main"), None);
    assert_eq!(read_invitation_fragment(""), None);
}

#[test]
fn a_long_invitation_is_packed_into_a_short_link() {
    let mut inv = invitation();
    inv.summary = "The payment service returned errors while the database failed over. ".repeat(30);
    let json = invitation_file(&inv).expect("file");
    let fragment = invitation_fragment(&inv).expect("encoded");
    assert!(fragment.len() * 3 < json.len(), "{} vs {}", fragment.len(), json.len());
}

#[test]
fn bad_invitation_links_are_refused_with_a_reason() {
    let inv = invitation();
    let fragment = invitation_fragment(&inv).expect("encoded");
    let cut = &fragment[..fragment.len() / 2];
    assert!(matches!(read_invitation_fragment(cut), Some(Err(WireError::Damaged | WireError::NotBase64))));
    assert_eq!(read_invitation_fragment("invitation=abc$def"), Some(Err(WireError::NotBase64)));
    let huge = format!("{LINK_PREFIX}{}", "A".repeat(MAX_LINK_CHARS + 4));
    assert!(matches!(read_invitation_fragment(&huge), Some(Err(WireError::TooLong { .. }))));
    // A zip bomb: 10 MB of spaces packs small but may not unpack past the limit.
    let bomb = format!("{LINK_PREFIX}{}", base64url_encode(&pack(&vec![b' '; 10 * 1024 * 1024])));
    assert!(bomb.len() < MAX_LINK_CHARS);
    assert_eq!(read_invitation_fragment(&bomb), Some(Err(WireError::Unpacks(64, "invitation"))));
    let mut wire = serde_json::to_value(InvitationWire::from(&inv)).expect("value");
    wire["extra"] = serde_json::json!("field");
    let err = read_invitation_file(&wire.to_string()).expect_err("unknown field refused");
    assert!(err.to_string().contains("extra"), "{err}");
    wire = serde_json::to_value(InvitationWire::from(&inv)).expect("value");
    wire["questions"] = serde_json::json!([]);
    assert!(matches!(read_invitation_file(&wire.to_string()), Err(WireError::Unusable(_))));
    wire["version"] = serde_json::json!(7);
    assert_eq!(read_invitation_file(&wire.to_string()), Err(WireError::NewerVersion(7)));
    let contribution_file_text = contribution_file(&inv, &contribution(&inv, "x"), &mut OsRng).expect("file");
    let err = read_invitation_file(&contribution_file_text).expect_err("not an invitation");
    assert_eq!(err.to_string(), "it is a contribution, not an invitation to contribute");
    let mut bad_key = inv.clone();
    bad_key.seal_key = Some("c2hvcnQ".into());
    let fragment = invitation_fragment(&bad_key).expect("encoded");
    assert!(matches!(read_invitation_fragment(&fragment), Some(Err(WireError::Unusable(_)))));
}

#[test]
fn a_contribution_file_holds_only_format_invitation_id_and_answers() {
    let inv = invitation();
    let c = contribution(&inv, "I saw the alert at 14:05");
    let file = contribution_file(&inv, &c, &mut OsRng).expect("file");
    let value: serde_json::Value = serde_json::from_str(&file).expect("json");
    let mut keys: Vec<_> = value.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["answers", "format", "id", "invitation", "version"]);
    for answer in value["answers"].as_array().expect("answers") {
        let mut keys: Vec<_> = answer.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["question", "text"]);
    }
    assert_eq!(opened(&file, &[]), Ok(c));
    assert!(!CONTRIBUTION_FILE_NAME.contains(&inv.title));
}

#[test]
fn sealed_contributions_open_only_with_their_key() {
    let (inv, key) = sealed_invitation();
    let c = contribution(&inv, "Sealed words");
    let file = contribution_file(&inv, &c, &mut OsRng).expect("file");
    assert!(!file.contains("Sealed words") && !file.contains(&c.id.to_string()));
    let value: serde_json::Value = serde_json::from_str(&file).expect("json");
    let mut keys: Vec<_> = value.as_object().expect("object").keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["format", "invitation", "sealed", "version"]);
    assert_eq!(opened(&file, std::slice::from_ref(&key)), Ok(c.clone()));
    assert_eq!(opened(&file, &[]), Err(WireError::NoKey));
    let (_, other) = sealed_invitation();
    let wrong = SealKey { invitation: inv.id, secret: other.secret };
    assert_eq!(opened(&file, &[wrong]), Err(WireError::WrongKey));
    // Sealing twice gives different bytes: nothing links two copies of one contribution.
    let again = contribution_file(&inv, &c, &mut OsRng).expect("file");
    assert_ne!(file, again);
    let code = contribution_code(&file);
    let received = read_codes(&code).pop().expect("one code").expect("read");
    assert_eq!(open(received, &[key]), Ok(c));
}

#[test]
fn codes_round_trip_through_chat_messages() {
    let inv = invitation();
    let a = contribution(&inv, "First");
    let b = contribution(&inv, "Second");
    let code_a = contribution_code(&contribution_file(&inv, &a, &mut OsRng).expect("file"));
    let code_b = contribution_code(&contribution_file(&inv, &b, &mut OsRng).expect("file"));
    assert!(code_a.starts_with(CODE_PREFIX));
    // Wrapped by a chat client, with words around and between.
    let wrapped: String =
        code_a.as_bytes().chunks(40).map(|c| String::from_utf8_lossy(c).into_owned() + "\n  ").collect();
    let message = format!("Here is mine:\n{wrapped}thanks!\n\n> {code_b} (from the other one)");
    let read: Vec<_> = read_codes(&message).into_iter().map(|r| r.and_then(|r| open(r, &[]))).collect();
    assert_eq!(read, vec![Ok(a), Ok(b)]);
}

#[test]
fn cut_or_changed_codes_are_named_as_such() {
    let inv = invitation();
    let code = contribution_code(&contribution_file(&inv, &contribution(&inv, "x"), &mut OsRng).expect("file"));
    let cut = &code[..code.len() - 10];
    assert!(matches!(read_codes(cut).pop(), Some(Err(WireError::Truncated { .. }))));
    let message = read_codes(cut).pop().and_then(Result::err).map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("incomplete") && message.contains("cut off"), "{message}");
    let mut changed = code.clone().into_bytes();
    let last = changed.len() - 3;
    changed[last] = if changed[last] == b'A' { b'B' } else { b'A' };
    let changed = String::from_utf8(changed).expect("ascii");
    assert_eq!(read_codes(&changed).pop(), Some(Err(WireError::ChecksumMismatch)));
    assert_eq!(read_codes(&code[..CODE_PREFIX.len() + 2]).pop(), Some(Err(WireError::BadHeader)));
    assert!(read_codes("no code here").is_empty());
}

#[test]
fn merging_offered_files_and_codes_reports_each_one() {
    let (inv, key) = sealed_invitation();
    let other = invitation();
    let mut pm = facilitator(&inv);
    let files: Vec<String> = (0..3)
        .map(|i| contribution_file(&inv, &contribution(&inv, &format!("answer {i}")), &mut OsRng).expect("file"))
        .collect();
    let code = contribution_code(&files[1]);
    let stranger = contribution_code(&contribution_file(&other, &contribution(&other, "x"), &mut OsRng).expect("file"));
    let offered = vec![
        Offered { name: "a.json".into(), text: files[0].clone() },
        Offered { name: "b.json".into(), text: files[2].clone() },
        Offered { name: "Pasted text".into(), text: format!("{code}\n{stranger}\n{}", &code[..code.len() - 5]) },
        Offered { name: "notes.txt".into(), text: "hello".into() },
        Offered { name: "again.json".into(), text: files[0].clone() },
    ];
    let outcomes = merge_offered(&mut pm, &offered, &[key]);
    let summary: Vec<(&str, bool)> = outcomes.iter().map(|o| (o.source.as_str(), o.result.is_ok())).collect();
    assert_eq!(
        summary,
        vec![
            ("a.json", true),
            ("b.json", true),
            ("Pasted text, code 1", true),
            ("Pasted text, code 2", false),
            ("Pasted text, code 3", false),
            ("notes.txt", false),
            ("again.json", false),
        ]
    );
    assert!(outcomes[3].result.as_ref().err().is_some_and(|e| e.contains("different invitation")));
    assert!(outcomes[4].result.as_ref().err().is_some_and(|e| e.contains("incomplete")));
    assert!(outcomes[6].result.as_ref().err().is_some_and(|e| e.contains("already merged")));
    assert_eq!(pm.invitations[0].contributions.len(), 3);

    // An open contribution for the sealed invitation (its link had the key taken out).
    let mut stripped = inv.clone();
    stripped.seal_key = None;
    let open_file = contribution_file(&stripped, &contribution(&stripped, "readable"), &mut OsRng).expect("file");
    let outcome = merge_offered(&mut pm, &[Offered { name: "open.json".into(), text: open_file }], &[]);
    assert!(outcome[0].result.as_ref().err().is_some_and(|e| e.contains("not sealed")), "{outcome:?}");
    assert_eq!(pm.invitations[0].contributions.len(), 3);
}

#[test]
fn base64url_is_strict() {
    assert_eq!(base64url_encode(b"hello?"), "aGVsbG8_");
    assert_eq!(base64url_decode("aGVsbG8_"), Some(b"hello?".to_vec()));
    assert_eq!(base64url_decode("aGVsbG8="), None, "padding");
    assert_eq!(base64url_decode("aGVsbG8/"), None, "standard alphabet");
    assert_eq!(base64url_decode("aGVsbA"), Some(b"hell".to_vec()));
    assert_eq!(base64url_decode("aGVsbB"), None, "stray bits");
    assert_eq!(base64url_decode("a"), None, "impossible length");
    assert_eq!(base64url_decode(""), Some(Vec::new()));
}

/// Prints a contribution file for `contributions_carry_no_clock_zone_or_language`, which
/// runs this in child processes with different settings.
#[test]
#[ignore = "run by contributions_carry_no_clock_zone_or_language"]
fn print_contribution_for_parent() {
    let mut inv = invitation();
    inv.id = InvitationId(uuid::Uuid::nil());
    let c = Contribution::new(&inv, &[("q1".into(), "Same words".into())]);
    let file = contribution_file(&inv, &c, &mut OsRng).expect("file");
    println!("<<<{file}>>>");
}

#[test]
fn contributions_carry_no_clock_zone_or_language() {
    let settings = [
        [("TZ", "Pacific/Kiritimati"), ("LANG", "fr_FR.UTF-8"), ("LC_ALL", "fr_FR.UTF-8")],
        [("TZ", "America/Los_Angeles"), ("LANG", "ja_JP.UTF-8"), ("LC_ALL", "ja_JP.UTF-8")],
    ];
    let mut files = Vec::new();
    for (i, envs) in settings.iter().enumerate() {
        if i > 0 {
            // A different clock reading too.
            std::thread::sleep(std::time::Duration::from_millis(1100));
        }
        let exe = std::env::current_exe().expect("test binary");
        let output = std::process::Command::new(exe)
            .args(["--exact", "file_format::contribution::tests::print_contribution_for_parent"])
            .args(["--ignored", "--nocapture", "--test-threads=1"])
            .envs(envs.iter().copied())
            .output()
            .expect("child ran");
        let out = String::from_utf8_lossy(&output.stdout).into_owned();
        let file = out.split("<<<").nth(1).and_then(|s| s.split(">>>").next()).expect("printed file").to_owned();
        let mut value: serde_json::Value = serde_json::from_str(&file).expect("json");
        assert!(value["id"].is_string());
        value["id"] = serde_json::Value::Null;
        files.push(value);
    }
    assert_eq!(files[0], files[1], "only the id may differ");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        prop_assert_eq!(base64url_decode(&base64url_encode(&bytes)), Some(bytes));
    }

    #[test]
    fn decoding_arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = read_invitation_fragment(&format!("{LINK_PREFIX}{text}"));
        let _ = read_invitation_file(&text);
        let _ = read_contribution_file(&text);
        let _ = read_codes(&format!("{CODE_PREFIX}{text}"));
        let _ = base64url_decode(&text);
    }

    #[test]
    fn decoding_damaged_codes_never_panics(cut in 0usize..600, flip in 0usize..600, byte in any::<u8>()) {
        let inv = invitation();
        let code = contribution_code(&contribution_file(&inv, &contribution(&inv, "text"), &mut OsRng).expect("file"));
        let mut bytes = code.into_bytes();
        if flip < bytes.len() {
            bytes[flip] = byte;
        }
        bytes.truncate(cut.max(1));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for r in read_codes(&text) {
            let _ = r.and_then(|r| open(r, &[]));
        }
    }

    #[test]
    fn decoding_arbitrary_packed_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let body = base64url_encode(&bytes);
        let _ = read_invitation_fragment(&format!("{LINK_PREFIX}{body}"));
        let code = format!("{CODE_PREFIX}{}.{}.{body}", body.len(), checksum(&body));
        let _ = read_codes(&code);
        let (inv, key) = sealed_invitation();
        let sealed = Received { invitation: inv.id, content: ReceivedContent::Sealed(bytes) };
        let _ = open(sealed, &[key]);
    }
}
