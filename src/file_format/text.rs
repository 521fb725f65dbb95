//! Turning a file's bytes into text, strictly, with a message that says what the file is
//! when it is not text Debrief can read: empty, an image or an archive, another encoding.
//! UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark (what
//! Windows Notepad saves as "Unicode") are read.

/// Well-known kinds of file that are not text, by their first bytes.
const NOT_TEXT: [(&[u8], &str); 8] = [
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"RIFF", "a media file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
];

/// The text of a file of `bytes`, or why it cannot be read, in words that say what to do.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.is_empty() {
        return Err(
            "the file is empty (0 bytes). Choose the file again, or export it again from where it came from".to_owned()
        );
    }
    if let Some((_, kind)) = NOT_TEXT.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(format!("it is {kind}, not a text file. Choose the .json file Debrief saved or exported"));
    }
    let utf16 = |rest: &[u8], little: bool| -> Result<String, String> {
        let units = rest.chunks(2).map(|pair| match (pair, little) {
            ([a, b], true) => u16::from_le_bytes([*a, *b]),
            ([a, b], false) => u16::from_be_bytes([*a, *b]),
            _ => 0xFFFF,
        });
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| {
            "it is UTF-16 text with a broken character. Open it in a text editor and save it as UTF-8".to_owned()
        })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return if rest.len() % 2 == 0 { utf16(rest, true) } else { Err(cut_utf16()) };
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return if rest.len() % 2 == 0 { utf16(rest, false) } else { Err(cut_utf16()) };
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(
            "it is not a text file (it holds binary data). Choose the .json file Debrief saved or exported".to_owned()
        );
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "it is not UTF-8 text: the bytes from position {} are not valid. Was it saved in another encoding? Open it in a text editor and save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

fn cut_utf16() -> String {
    "it is UTF-16 text cut off in the middle of a character. Choose the file again, or save it as UTF-8".to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_utf16_with_a_byte_order_mark_are_read() {
        assert_eq!(decode(b"{\"a\": \"\xc3\xa9\"}").as_deref(), Ok("{\"a\": \"é\"}"));
        assert_eq!(decode(b"\xef\xbb\xbf{}").as_deref(), Ok("{}"));
        let le: Vec<u8> = [0xff, 0xfe].into_iter().chain("{\"é\"}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&le).as_deref(), Ok("{\"é\"}"));
        let be: Vec<u8> = [0xfe, 0xff].into_iter().chain("{}😀".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode(&be).as_deref(), Ok("{}😀"));
    }

    #[test]
    fn what_cannot_be_read_says_what_it_is() {
        let said = |bytes: &[u8]| decode(bytes).err().unwrap_or_default();
        assert!(said(b"").starts_with("the file is empty"));
        assert!(said(b"\x89PNG\r\n\x1a\n\0\0").starts_with("it is a PNG image, not a text file"));
        assert!(said(b"PK\x03\x04....").contains("zip archive"));
        assert!(said(b"abc\0def").contains("binary data"));
        assert!(said(b"caf\xe9").contains("from position 3") && said(b"caf\xe9").contains("save it as UTF-8"));
        assert!(said(b"\xff\xfe{\0}").contains("cut off"));
        assert!(said(b"\xff\xfe\x00\xd8\x41\x00").contains("broken character"));
    }
}
