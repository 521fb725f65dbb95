//! The compact form browser storage keeps: the same envelope JSON that files carry,
//! deflated and packed fifteen bits to a character.
//!
//! Browsers count localStorage in UTF-16 characters (about 5.2 million per origin in
//! Chromium, whatever the characters are), so plain JSON wastes most of each character.
//! Packed, a stored entry takes a fifth (hand-written prose) to a tenth of the characters of
//! its JSON.
//!
//! A packed entry is `Dz1`, one character `a`..`o` giving how many bits of the last
//! character are padding, then the deflated bytes fifteen bits per character, each bit
//! group `v` written as the character `U+3400 + v` (so U+3400..=U+B3FF: never a surrogate,
//! never a control character). Text that starts with `{` is the plain JSON every earlier
//! Debrief stored, and is still read as it is: [`unpack`] accepts both, so a browser's
//! data stays readable however old it is. What is inside is an [`super::Envelope`], read
//! (and migrated) like a file.

use super::{FormatError, MAX_INPUT_BYTES};
use std::borrow::Cow;

/// The start of every packed entry; `1` is the version of the packing.
pub const MARKER: &str = "Dz1";
const FIRST: u32 = 0x3400;
const BITS: u32 = 15;

/// Packs `json` for storage.
pub fn pack(json: &str) -> String {
    // Level 4: measured on generated postmortems, 1.5% larger than level 6 and a quarter
    // faster (every save and import pays it); level 3 is 6% larger again.
    let bytes = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 4);
    let total_bits = bytes.len() as u64 * 8;
    let chars = total_bits.div_ceil(u64::from(BITS));
    let padding = (chars * u64::from(BITS) - total_bits) as u8;
    let mut out = String::with_capacity(MARKER.len() + 1 + chars as usize * 3);
    out.push_str(MARKER);
    out.push(char::from(b'a' + padding));
    let (mut acc, mut held) = (0u32, 0u32);
    for byte in bytes {
        acc = (acc << 8) | u32::from(byte);
        held += 8;
        if held >= BITS {
            held -= BITS;
            push_group(&mut out, acc >> held);
            acc &= (1 << held) - 1;
        }
    }
    if held > 0 {
        push_group(&mut out, acc << (BITS - held));
    }
    out
}

fn push_group(out: &mut String, group: u32) {
    // Every group is below 2^15, so FIRST + group stays below the surrogates at U+D800.
    out.extend(char::from_u32(FIRST + group));
}

/// Whether `stored` is in the packed form (rather than plain JSON).
pub fn is_packed(stored: &str) -> bool {
    stored.starts_with(MARKER)
}

/// The JSON inside a stored entry: unpacked when packed, as it is when plain JSON.
pub fn unpack(stored: &str) -> Result<Cow<'_, str>, FormatError> {
    unpack_within(stored, MAX_INPUT_BYTES)
}

fn unpack_within(stored: &str, limit: usize) -> Result<Cow<'_, str>, FormatError> {
    let Some(rest) = stored.strip_prefix(MARKER) else {
        return Ok(Cow::Borrowed(stored));
    };
    let damaged = |why: &str| FormatError::Invalid(format!("its packed form is damaged ({why})"));
    let mut chars = rest.chars();
    let padding = match chars.next() {
        Some(c @ 'a'..='o') => u32::from(c) - u32::from('a'),
        _ => return Err(damaged("no padding mark")),
    };
    let mut bytes = Vec::with_capacity(rest.len() / 3 * 2);
    let (mut acc, mut held) = (0u32, 0u32);
    for c in chars {
        let group = u32::from(c)
            .checked_sub(FIRST)
            .filter(|g| *g < 1 << BITS)
            .ok_or_else(|| damaged("a character outside the packing"))?;
        acc = (acc << BITS) | group;
        held += BITS;
        while held >= 8 {
            held -= 8;
            bytes.push((acc >> held) as u8);
            acc &= (1 << held) - 1;
        }
    }
    // What is left over is the padding of the last character, and must be exactly it.
    if held != padding % 8 || (padding >= 8 && bytes.pop().is_none()) {
        return Err(damaged("it is cut short"));
    }
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, limit).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => FormatError::TooLarge,
        _ => damaged("it does not inflate"),
    })?;
    String::from_utf8(json).map(Cow::Owned).map_err(|_| damaged("it is not UTF-8 inside"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;
    use crate::file_format::Envelope;

    #[test]
    fn packed_text_round_trips_for_every_length_of_padding() {
        for len in 0..64 {
            let text: String = (0..len).map(|i| char::from(b'a' + (i * 7 % 26) as u8)).collect();
            let packed = pack(&text);
            assert!(is_packed(&packed));
            assert_eq!(unpack(&packed).expect("unpacks"), text, "length {len}");
        }
    }

    #[test]
    fn packed_text_is_valid_utf16_without_controls_and_far_shorter() {
        let pm = full_postmortem(chrono::Utc::now());
        let json = Envelope::with_postmortems(vec![pm.clone()]).to_json().expect("writable");
        let packed = pack(&json);
        assert!(packed.chars().skip(MARKER.len() + 1).all(|c| (0x3400..0xB400).contains(&u32::from(c))));
        let (plain, small) = (json.encode_utf16().count(), packed.encode_utf16().count());
        assert!(small * 3 < plain, "{small} characters packed vs {plain} plain");
        let back = Envelope::parse(&unpack(&packed).expect("unpacks")).expect("parses");
        assert_eq!(back.postmortems, vec![pm]);
    }

    #[test]
    fn plain_json_from_earlier_versions_reads_as_it_is() {
        let text = include_str!("../../tests/fixtures/v1-postmortem.debrief.json");
        assert!(!is_packed(text));
        assert_eq!(unpack(text).expect("plain"), text);
    }

    #[test]
    fn damaged_packed_text_is_refused_with_a_reason() {
        let packed = pack(&"a timeline event ".repeat(50));
        let cut: String = packed.chars().take(packed.chars().count() - 3).collect();
        for bad in [cut, MARKER.to_owned(), format!("{MARKER}z\u{3400}"), format!("{packed}x")] {
            match unpack(&bad) {
                Err(FormatError::Invalid(why)) => assert!(why.contains("damaged"), "{why}"),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn a_packed_bomb_is_refused_by_size() {
        let packed = pack(&" ".repeat(1_000_010));
        assert!(packed.chars().count() < 1_000);
        assert_eq!(unpack_within(&packed, 1_000_000), Err(FormatError::TooLarge));
        assert!(unpack_within(&packed, 2_000_000).is_ok());
    }
}
