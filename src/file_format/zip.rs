//! A zip archive of text files, stored without compression: how changes to a team folder
//! opened read-only (browsers without the File System Access API) are handed back. Every
//! unzip tool and operating system reads it; the paths inside are the folder's own, so
//! unzipping it over the folder puts each file in its place.

/// The CRC-32 (IEEE) of `bytes`, as zip records it.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// A zip archive holding `files` (path, text), stored, with UTF-8 names.
pub fn zip(files: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    // 1 January 2026, 00:00, in MS-DOS form: zip has no time zone, so a fixed date.
    let (time, date) = (0u16, ((2026 - 1980) << 9 | 1 << 5 | 1) as u16);
    for (path, text) in files {
        let (name, data) = (path.as_bytes(), text.as_bytes());
        let crc = crc32(data);
        let offset = out.len() as u32;
        let common = |buf: &mut Vec<u8>| {
            buf.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
            buf.extend_from_slice(&0x0800u16.to_le_bytes()); // flags: UTF-8 names
            buf.extend_from_slice(&0u16.to_le_bytes()); // stored
            buf.extend_from_slice(&time.to_le_bytes());
            buf.extend_from_slice(&date.to_le_bytes());
            buf.extend_from_slice(&crc.to_le_bytes());
            buf.extend_from_slice(&(data.len() as u32).to_le_bytes());
            buf.extend_from_slice(&(data.len() as u32).to_le_bytes());
            buf.extend_from_slice(&(name.len() as u16).to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&0x031Eu16.to_le_bytes()); // made by: Unix, 3.0
        common(&mut central);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk number
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&(0o100644u32 << 16).to_le_bytes()); // rw-r--r--
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let (start, size) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]); // this disk, the disk with the directory
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    fn u16_at(b: &[u8], i: usize) -> usize {
        usize::from(u16::from_le_bytes([b[i], b[i + 1]]))
    }
    fn u32_at(b: &[u8], i: usize) -> u32 {
        u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
    }

    /// Reads the archive back the way an unzip tool does: from the end record to the
    /// central directory to each local entry.
    fn unzip(archive: &[u8]) -> Vec<(String, String)> {
        let end = archive.len() - 22;
        assert_eq!(u32_at(archive, end), 0x0605_4b50);
        let count = u16_at(archive, end + 10);
        let mut at = u32_at(archive, end + 16) as usize;
        let mut out = Vec::new();
        for _ in 0..count {
            assert_eq!(u32_at(archive, at), 0x0201_4b50);
            let (crc, size, name_len) =
                (u32_at(archive, at + 16), u32_at(archive, at + 20) as usize, u16_at(archive, at + 28));
            let local = u32_at(archive, at + 42) as usize;
            let name = String::from_utf8(archive[at + 46..at + 46 + name_len].to_vec()).expect("utf-8 name");
            assert_eq!(u32_at(archive, local), 0x0403_4b50);
            let data_at = local + 30 + u16_at(archive, local + 26) + u16_at(archive, local + 28);
            let data = &archive[data_at..data_at + size];
            assert_eq!(crc32(data), crc);
            out.push((name, String::from_utf8(data.to_vec()).expect("utf-8 text")));
            at += 46 + name_len;
        }
        out
    }

    #[test]
    fn files_come_back_out_with_their_paths_and_text() {
        let files = vec![
            ("postmortems/2026-05-01--a.json".to_owned(), "{\n  \"title\": \"Café outage\"\n}\n".to_owned()),
            ("postmortems/2026-05-01--a.md".to_owned(), "# Café outage\n".to_owned()),
            (".gitignore".to_owned(), String::new()),
        ];
        assert_eq!(unzip(&zip(&files)), files);
        assert_eq!(unzip(&zip(&[])), Vec::<(String, String)>::new());
    }
}
