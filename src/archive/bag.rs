//! BagIt 1.0 (RFC 8493) tag files: reading, writing and checking one bag.
//!
//! Only what cchc writes is produced (UTF-8, LF line ends, SHA-256 and SHA-512 payload
//! manifests, a SHA-256 tag manifest), but reading accepts what the RFC allows (CRLF, any
//! whitespace between checksum and path, percent-encoded CR/LF/% in paths), so a bag touched by
//! another BagIt tool is still checked correctly.

use sha2::{Digest, Sha256, Sha512};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

pub const BAGIT_TXT: &str = "bagit.txt";
pub const BAG_INFO: &str = "bag-info.txt";
pub const MANIFEST_256: &str = "manifest-sha256.txt";
pub const MANIFEST_512: &str = "manifest-sha512.txt";
pub const TAG_MANIFEST: &str = "tagmanifest-sha256.txt";
/// The register of signed copies, a tag file so that the tag manifest protects it.
pub const REGISTER: &str = "so-dang-ky.json";

pub const BAGIT_DECLARATION: &str = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

pub fn sha512_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha512::digest(bytes))
}

/// path (relative to the bag, '/'-separated, decoded) -> lower-case hex checksum.
pub type Manifest = BTreeMap<String, String>;

pub fn parse_manifest(text: &str) -> Result<Manifest, String> {
    let mut out = Manifest::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let Some((sum, path)) = line.split_once([' ', '\t']) else {
            return Err(format!("dòng {}: thiếu đường dẫn sau mã băm", n + 1));
        };
        let path = decode_path(path.trim_start_matches([' ', '\t']));
        if sum.is_empty() || !sum.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("dòng {}: mã băm \"{sum}\" không hợp lệ", n + 1));
        }
        out.insert(path, sum.to_ascii_lowercase());
    }
    Ok(out)
}

pub fn render_manifest(m: &Manifest) -> String {
    m.iter()
        .map(|(path, sum)| format!("{sum}  {}\n", encode_path(path)))
        .collect()
}

/// RFC 8493 §2.1.3: only CR, LF and % are percent-encoded in manifest paths.
fn encode_path(p: &str) -> String {
    p.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn decode_path(p: &str) -> String {
    p.replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%25", "%")
}

/// bag-info.txt as ordered (label, value) pairs; continuation lines (leading whitespace) are
/// folded into the value before them.
pub fn parse_bag_info(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some(last) = out.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            out.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

pub fn render_bag_info(fields: &[(String, String)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
}

pub fn bag_info_value<'a>(fields: &'a [(String, String)], label: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(label))
        .map(|(_, v)| v.as_str())
}

/// "octets.streamcount" of the payload.
pub fn oxum(sizes: impl IntoIterator<Item = u64>) -> String {
    let (mut bytes, mut count) = (0u64, 0u64);
    for s in sizes {
        bytes += s;
        count += 1;
    }
    format!("{bytes}.{count}")
}

/// Every file under `data/`, as bag-relative '/'-separated paths with their sizes, sorted.
pub fn payload_files(bag: &Path) -> std::io::Result<Vec<(String, u64)>> {
    let mut out = Vec::new();
    let data = bag.join("data");
    if data.exists() {
        walk(&data, "data", &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn walk(dir: &Path, rel: &str, out: &mut Vec<(String, u64)>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = format!("{rel}/{name}");
        let meta = entry.metadata()?;
        if meta.is_dir() {
            walk(&entry.path(), &rel, out)?;
        } else {
            out.push((rel, meta.len()));
        }
    }
    Ok(())
}

/// Why a path named by a manifest or the register is not a payload file of this bag: it must
/// be `data/<name>`, relative, without `..`, `.`, empty parts, backslashes or control
/// characters. `None` when it is one. A bag whose tag files name other paths has been edited by
/// hand (or by someone who wants cchc to touch a file elsewhere): nothing acts on it.
pub fn payload_path_problem(path: &str) -> Option<String> {
    let why = if !path.starts_with("data/") {
        "không nằm trong data/"
    } else if path.contains('\\') || path.chars().any(|c| c.is_control()) {
        "có ký tự không hợp lệ"
    } else if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        "trỏ ra ngoài túi hoặc không phải tên tệp"
    } else {
        return None;
    };
    Some(format!("đường dẫn \"{}\" {why}", path.escape_debug()))
}

/// An ASCII payload name from the document's date and number, e.g. "2024-06-05_12-BC-UBND"
/// (Windows, zip tools and every BagIt implementation accept it unchanged).
pub fn payload_stem(date: chrono::NaiveDate, number: &str) -> String {
    let mut s = String::new();
    for c in crate::vn::fold(number).chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_uppercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_matches('-');
    let s = if s.is_empty() { "khong-so" } else { s };
    format!("{}_{s}", date.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trip_and_tolerant_reading() {
        let mut m = Manifest::new();
        m.insert("data/a b.pdf".into(), "ab".into());
        m.insert("data/x%y.pdf".into(), "cd".into());
        let text = render_manifest(&m);
        assert_eq!(text, "ab  data/a b.pdf\ncd  data/x%25y.pdf\n");
        assert_eq!(parse_manifest(&text).unwrap(), m);
        let crlf = "AB\tdata/a b.pdf\r\n\r\ncd data/x%25y.pdf\r\n";
        assert_eq!(parse_manifest(crlf).unwrap(), m);
        assert!(parse_manifest("zz data/a").is_err());
        assert!(parse_manifest("abcd").is_err());
    }

    #[test]
    fn bag_info_folds_continuations() {
        let f =
            parse_bag_info("Source-Organization: UBND\r\n  phường Phú Lãm\nPayload-Oxum: 10.1\n");
        assert_eq!(
            bag_info_value(&f, "source-organization"),
            Some("UBND phường Phú Lãm")
        );
        assert_eq!(bag_info_value(&f, "Payload-Oxum"), Some("10.1"));
        assert_eq!(oxum([3, 4]), "7.2");
    }

    #[test]
    fn payload_names_are_ascii() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 6, 5).unwrap();
        assert_eq!(payload_stem(d, "12/BC-UBND"), "2024-06-05_12-BC-UBND");
        assert_eq!(
            payload_stem(d, "  số 7 / KH-ubnd "),
            "2024-06-05_SO-7-KH-UBND"
        );
        assert_eq!(payload_stem(d, "//"), "2024-06-05_khong-so");
    }

    #[test]
    fn digests() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(sha512_hex(b"abc").starts_with("ddaf35a193617aba"));
    }
}
