//! PDF signature checks against files signed at test time: a throwaway PKI made by openssl,
//! signatures made by pyHanko (tests/pades_make.py). Skipped with a reason when either is
//! missing, required under CI.

mod common;

use cchc::pades::{self, Anchors, Chain, PadesError, SignatureCheck};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The folder of signed files, made once per test run; None when the tools are missing.
fn made() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        if !common::client("openssl", &["version"]) || !common::python_module("pyhanko") {
            return None;
        }
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pades");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The document the office actually signs: the quarterly report made by cchc.
        let ws = common::workspace();
        let report =
            common::report(ws.path(), "2024-Q2", "pdf").join("bao-cao-cchc-quy-II-2024.pdf");
        std::fs::copy(report, dir.join("report.pdf")).unwrap();
        let out = Command::new("python3")
            .arg(common::root().join("tests/pades_make.py"))
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pades_make.py failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(dir)
    })
    .as_deref()
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

fn anchors(dir: &Path, name: &str) -> Anchors {
    Anchors::from_pem_file(&dir.join(name)).unwrap()
}

fn check(dir: &Path, file: &str, anchor_file: Option<&str>) -> Vec<SignatureCheck> {
    let a = anchor_file.map(|f| anchors(dir, f));
    pades::inspect(&read(dir, file), a.as_ref()).unwrap()
}

fn assert_good(s: &SignatureCheck) {
    assert!(s.digest_ok && s.signature_ok && s.intact, "{s:#?}");
    assert!(s.whole_file && !s.modified_after_signing, "{s:#?}");
    assert_eq!(s.chain, Chain::Trusted, "{s:#?}");
    assert_eq!(s.revocation, "not_checked");
    assert!(s.problems.is_empty(), "{s:#?}");
    assert_eq!(s.byte_range.len(), 4);
    assert!(
        s.signing_time.as_deref().is_some_and(|t| t.ends_with('Z')),
        "{s:#?}"
    );
}

#[test]
fn rsa_signature_intact_with_chain_states() {
    let Some(dir) = made() else { return };
    let sigs = check(dir, "rsa.pdf", Some("anchors.pem"));
    assert_eq!(sigs.len(), 1);
    let s = &sigs[0];
    assert_good(s);
    assert_eq!(s.field.as_deref(), Some("Signature1"));
    assert_eq!(s.signer.as_deref(), Some("Nguyễn Văn A"));
    assert_eq!(s.byte_range[0], 0);
    assert_eq!(
        (s.byte_range[2] + s.byte_range[3]) as usize,
        read(dir, "rsa.pdf").len()
    );

    // The intermediate travels in the CMS, so the root alone is enough.
    assert_eq!(
        check(dir, "rsa.pdf", Some("root-only.pem"))[0].chain,
        Chain::Trusted
    );

    let other = &check(dir, "rsa.pdf", Some("other-only.pem"))[0];
    assert!(other.intact);
    assert_eq!(other.chain, Chain::Untrusted);
    assert_eq!(other.problems.len(), 1, "{other:#?}");
    assert!(
        other.problems[0].starts_with("chữ ký “Signature1”: chứng thư không tin cậy:")
            && other.problems[0].contains("Test Root CA"),
        "{other:#?}"
    );

    let none = &check(dir, "rsa.pdf", None)[0];
    assert!(none.intact && none.problems.is_empty());
    assert_eq!(none.chain, Chain::NotChecked);
    let json = serde_json::to_value(none).unwrap();
    assert_eq!(json["chain"], "not_checked");
    assert_eq!(json["revocation"], "not_checked");
}

#[test]
fn the_cchc_report_signed() {
    let Some(dir) = made() else { return };
    let sigs = check(dir, "report_signed.pdf", Some("anchors.pem"));
    assert_eq!(sigs.len(), 1);
    assert_good(&sigs[0]);
}

#[test]
fn pss_ecdsa_and_other_digests() {
    let Some(dir) = made() else { return };
    for (file, signer) in [
        ("pss.pdf", "PSS Signer"),
        ("ec256.pdf", "ECDSA P-256 Signer"),
        ("ec384.pdf", "ECDSA P-384 Signer"),
        ("sha1.pdf", "Nguyễn Văn A"),
    ] {
        let sigs = check(dir, file, Some("anchors.pem"));
        assert_eq!(sigs.len(), 1, "{file}");
        assert_good(&sigs[0]);
        assert_eq!(sigs[0].signer.as_deref(), Some(signer), "{file}");
    }
    // The PSS file really is PSS (pyHanko falls back silently otherwise).
    let pss = read(dir, "pss.pdf");
    let hex_pss_oid = "06092a864886f70d01010a";
    assert!(
        String::from_utf8_lossy(&pss)
            .to_lowercase()
            .contains(hex_pss_oid)
    );
}

#[test]
fn ber_cms_from_openssl_without_field() {
    let Some(dir) = made() else { return };
    // dup_certs.pdf: every certificate of the CMS is there twice.
    for file in ["ber.pdf", "ber_attached.pdf", "dup_certs.pdf"] {
        let sigs = check(dir, file, Some("root-only.pem"));
        assert_eq!(sigs.len(), 1, "{file}");
        assert_good(&sigs[0]);
        assert_eq!(sigs[0].field, None);
        assert_eq!(sigs[0].signer.as_deref(), Some("Nguyễn Văn A"));
    }
}

#[test]
fn content_changed_after_signing() {
    let Some(dir) = made() else { return };
    for file in ["modified.pdf", "objstm_modified.pdf"] {
        let sigs = check(dir, file, Some("anchors.pem"));
        assert_eq!(sigs.len(), 1);
        let s = &sigs[0];
        assert!(s.intact, "the signed revision itself is untouched: {s:#?}");
        assert!(!s.whole_file && s.modified_after_signing, "{file}: {s:#?}");
        assert!(
            s.problems
                .iter()
                .any(|p| p.starts_with("chữ ký “Signature1”: tệp bị sửa sau khi ký: đối tượng")),
            "{file}: {s:#?}"
        );
    }
}

#[test]
fn dss_added_after_signing_is_not_a_modification() {
    let Some(dir) = made() else { return };
    let sigs = check(dir, "dss.pdf", Some("anchors.pem"));
    assert_eq!(sigs.len(), 1);
    let s = &sigs[0];
    assert!(
        s.intact && !s.whole_file && !s.modified_after_signing,
        "{s:#?}"
    );
    assert!(s.problems.is_empty(), "{s:#?}");
}

#[test]
fn flipped_byte_inside_the_signed_range() {
    let Some(dir) = made() else { return };
    let mut pdf = read(dir, "rsa.pdf");
    let at = find(&pdf, b"Bao cao") + 1;
    pdf[at] = b'X';
    let s = &pades::inspect(&pdf, None).unwrap()[0];
    assert!(!s.digest_ok && !s.intact, "{s:#?}");
    assert!(s.signature_ok, "signedAttrs are untouched: {s:#?}");
    assert!(
        s.problems.iter().any(|p| p.contains("giá trị băm")),
        "{s:#?}"
    );
}

#[test]
fn two_signatures() {
    let Some(dir) = made() else { return };
    let sigs = check(dir, "two.pdf", Some("anchors.pem"));
    assert_eq!(sigs.len(), 2);
    let (first, second) = (&sigs[0], &sigs[1]);
    assert_eq!(first.field.as_deref(), Some("Signature1"));
    assert!(
        first.intact && !first.whole_file && !first.modified_after_signing,
        "{first:#?}"
    );
    assert!(first.problems.is_empty(), "{first:#?}");
    assert_eq!(second.field.as_deref(), Some("Signature2"));
    assert_eq!(second.signer.as_deref(), Some("ECDSA P-256 Signer"));
    assert_good(second);
}

#[test]
fn xref_streams_and_object_streams() {
    let Some(dir) = made() else { return };
    let one = check(dir, "objstm.pdf", Some("anchors.pem"));
    assert_eq!(one.len(), 1);
    assert_good(&one[0]);
    assert_eq!(one[0].field.as_deref(), Some("Signature1"));
    let two = check(dir, "objstm_two.pdf", Some("anchors.pem"));
    assert_eq!(two.len(), 2);
    assert!(
        two[0].intact && !two[0].whole_file && !two[0].modified_after_signing,
        "{two:#?}"
    );
    assert!(two[0].problems.is_empty(), "{two:#?}");
    assert_good(&two[1]);
    assert_eq!(two[1].signer.as_deref(), Some("PSS Signer"));
}

#[test]
fn document_timestamp_after_a_signature() {
    let Some(dir) = made() else { return };
    let sigs = check(dir, "doc_ts.pdf", Some("anchors.pem"));
    assert_eq!(sigs.len(), 2, "{sigs:#?}");
    let sig = &sigs[0];
    assert!(
        sig.intact && !sig.whole_file && !sig.modified_after_signing,
        "{sig:#?}"
    );
    let ts = &sigs[1];
    assert_good(ts);
    assert_eq!(ts.signer.as_deref(), Some("Test TSA"));
    let at = std::fs::read_to_string(dir.join("ts_time.txt")).unwrap();
    assert_eq!(ts.signing_time.as_deref(), Some(at.as_str()));

    // Validity is judged at the claimed time: before the TSA certificate existed.
    let early = &check(dir, "doc_ts_early.pdf", Some("anchors.pem"))[1];
    assert!(early.intact, "{early:#?}");
    assert_eq!(early.signing_time.as_deref(), Some("2024-06-05T03:00:00Z"));
    assert_eq!(early.chain, Chain::Untrusted);
    assert!(
        early.problems[0].starts_with("dấu thời gian “")
            && early.problems[0].contains("chứng thư “Test TSA” không còn hoặc chưa có hiệu lực vào thời điểm 05/06/2024 03:00 UTC"),
        "{early:#?}"
    );
}

#[test]
fn not_a_pdf_and_truncated() {
    assert!(matches!(pades::inspect(b"", None), Err(PadesError::NotPdf)));
    assert!(matches!(
        pades::inspect(b"PK\x03\x04 a zip file", None),
        Err(PadesError::NotPdf)
    ));
    let e = pades::inspect(b"%PDF-1.7\n1 0 obj\n<<", None).unwrap_err();
    assert!(matches!(e, PadesError::Truncated));
    assert!(e.to_string().contains("cắt cụt"));
    let Some(dir) = made() else { return };
    let pdf = read(dir, "rsa.pdf");
    // Cut inside the signature revision, far from any earlier %%EOF.
    let cut = &pdf[..pdf.len() - 1500];
    assert!(matches!(
        pades::inspect(cut, None),
        Err(PadesError::Truncated)
    ));
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn broken_byte_range_and_contents_are_findings() {
    let Some(dir) = made() else { return };
    let pdf = read(dir, "rsa.pdf");

    // ByteRange pointing past the end of the file, same width so nothing else moves.
    let mut far = pdf.clone();
    let open = find(&far, b"/ByteRange") + b"/ByteRange".len();
    let close = open + find(&far[open..], b"]");
    let text = String::from_utf8_lossy(&far[open..close]).into_owned();
    let nums: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let last = nums[3];
    let at = open + text.rfind(last).unwrap();
    let bigger = "9".repeat(last.len() + 1);
    far.splice(at..at + last.len(), bigger.bytes());
    let s = &pades::inspect(&far, None).unwrap()[0];
    assert!(!s.intact && !s.digest_ok && !s.whole_file, "{s:#?}");
    assert!(
        s.problems.iter().any(|p| p
            == &format!(
                "chữ ký “Signature1”: ByteRange trỏ ra ngoài tệp (tệp dài {} byte)",
                far.len()
            )),
        "{s:#?}"
    );

    // A hole one byte wider than /Contents: that byte would be unsigned.
    let mut wide = pdf.clone();
    let first = nums[1];
    let at = open + text.find(&format!(" {first}")).unwrap() + 1;
    let shorter = format!(
        "{:0width$}",
        first.parse::<u64>().unwrap() - 1,
        width = first.len()
    );
    wide.splice(at..at + first.len(), shorter.bytes());
    let s = &pades::inspect(&wide, None).unwrap()[0];
    assert!(!s.intact, "{s:#?}");
    assert!(
        s.problems
            .iter()
            .any(|p| p.contains("không trùng với /Contents")),
        "{s:#?}"
    );

    // Overlapping ranges.
    let mut overlap = pdf.clone();
    let third = nums[2];
    let at = open + text.find(&format!(" {third}")).unwrap() + 1;
    overlap.splice(at..at + third.len(), "0".repeat(third.len()).bytes());
    let s = &pades::inspect(&overlap, None).unwrap()[0];
    assert!(!s.intact, "{s:#?}");
    assert!(
        s.problems.iter().any(|p| p.contains("chồng lên nhau")),
        "{s:#?}"
    );

    // Non-hex characters in /Contents.
    let mut garbage = pdf.clone();
    let c = find(&garbage, b"/Contents <") + b"/Contents <".len();
    garbage[c..c + 8].copy_from_slice(b"zzzzzzzz");
    let s = &pades::inspect(&garbage, None).unwrap()[0];
    assert!(!s.intact, "{s:#?}");
    assert!(
        s.problems
            .iter()
            .any(|p| p.contains("không phải chữ số hex")),
        "{s:#?}"
    );

    // Valid hex that is not a CMS.
    let mut junk = pdf.clone();
    junk[c..c + 8].copy_from_slice(b"DEADBEEF");
    let s = &pades::inspect(&junk, None).unwrap()[0];
    assert!(!s.intact && !s.signature_ok, "{s:#?}");
    assert!(s.problems.iter().any(|p| p.contains("CMS")), "{s:#?}");
}

#[test]
fn byte_flips_and_cuts_never_panic() {
    let Some(dir) = made() else { return };
    for file in ["two.pdf", "ber.pdf"] {
        let pdf = read(dir, file);
        let step = (pdf.len() / 400).max(1);
        for i in (0..pdf.len()).step_by(step) {
            let mut m = pdf.clone();
            m[i] ^= 0x5a;
            let _ = pades::inspect(&m, None);
            let _ = pades::inspect(&pdf[..i], None);
        }
    }
}

#[test]
fn anchor_files_name_themselves_in_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("khong-co.pem");
    let e = Anchors::from_pem_file(&missing).unwrap_err().to_string();
    assert!(e.contains("khong-co.pem"), "{e}");
    let empty = tmp.path().join("rong.pem");
    std::fs::write(&empty, "chỉ có chữ").unwrap();
    let e = Anchors::from_pem_file(&empty).unwrap_err().to_string();
    assert!(
        e.contains("rong.pem") && e.contains("không có chứng thư"),
        "{e}"
    );
    let bad = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let e = Anchors::from_pem(bad).unwrap_err().to_string();
    assert!(e.contains("khối chứng thư thứ 1"), "{e}");
    let Some(dir) = made() else { return };
    assert_eq!(anchors(dir, "anchors.pem").len(), 2);
}

/// The office's whole last step: the report cchc made, signed by a plugin into the empty field
/// ChuKy1, registered in the archive with its signature checked against the office's trust
/// bundle, then verified; tampered or later-modified copies are refused.
#[test]
fn signed_report_goes_into_the_archive() {
    let Some(dir) = made() else { return };
    let ws = common::workspace();
    let ws = ws.path();
    // Regenerating gives the very bytes that were signed (same inputs, same bytes).
    common::report(ws, "2024-Q2", "pdf");
    let generated = std::fs::read(ws.join("output/2024-Q2/bao-cao-cchc-quy-II-2024.pdf")).unwrap();
    let signed = read(dir, "report_chuky.pdf");
    assert!(signed.starts_with(&generated));
    let copy = ws.join("ban-ky-so.pdf");
    std::fs::write(&copy, &signed).unwrap();
    let trust = dir.join("root-only.pem");
    let arg = |p: &Path| p.to_str().unwrap().to_string();

    let o = common::cchc(
        ws,
        &[
            "archive",
            "add",
            &arg(&copy),
            "--tin-cay",
            &arg(&trust),
            "--json",
        ],
    );
    assert!(o.status.success(), "{:?}", common::text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let sig = &v["check"]["signatures"][0];
    assert_eq!(sig["field"], "ChuKy1");
    assert_eq!(sig["signer"], "Nguyễn Văn A");
    assert_eq!(sig["intact"], true);
    assert_eq!(sig["whole_file"], true);
    assert_eq!(sig["modified_after_signing"], false);
    assert_eq!(sig["chain"], "trusted");
    assert!(sig["signing_time"].as_str().is_some());
    let e = &v["entry"];
    assert_eq!(e["tep"], "data/2024-06-05_12-BC-UBND.pdf");
    assert_eq!(e["nguoi_ky_so"][0], "Nguyễn Văn A");
    assert_eq!(e["doi_chieu"]["ket_qua"], "khop");
    assert_eq!(e["doi_chieu"]["giu_nguyen_tung_byte"], true);
    assert_eq!(e["chu_ky"][0]["chain"], "trusted");
    // The test certificate is not the signer cchc.toml names: said, not refused.
    assert!(
        v["check"]["notes"]
            .to_string()
            .contains("(Nguyễn Văn A) không phải người ký ghi trên văn bản (Phạm Ngọc Anh)"),
        "{v}"
    );

    let o = common::cchc(ws, &["archive", "verify", "--tin-cay", &arg(&trust)]);
    assert!(o.status.success(), "{:?}", common::text(&o));
    // Against an unrelated trust bundle the same archive does not verify.
    let o = common::cchc(
        ws,
        &[
            "archive",
            "verify",
            "--tin-cay",
            &arg(&dir.join("other-only.pem")),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{:?}", common::text(&o));
    assert!(
        common::text(&o).0.contains("không tin cậy"),
        "{:?}",
        common::text(&o)
    );

    // A byte flipped inside the signed range: the signature no longer holds, nothing is added.
    let mut flipped = signed.clone();
    flipped[1000] ^= 0x01;
    let bad = ws.join("sua-1-byte.pdf");
    std::fs::write(&bad, &flipped).unwrap();
    let o = common::cchc(ws, &["archive", "add", &arg(&bad), "--thay-the"]);
    assert_eq!(o.status.code(), Some(1), "{:?}", common::text(&o));
    // A copy with content added after signing.
    let o = common::cchc(ws, &["archive", "check", &arg(&dir.join("modified.pdf"))]);
    assert_eq!(o.status.code(), Some(1), "{:?}", common::text(&o));
    assert!(
        common::text(&o).0.contains("sau khi ký"),
        "{:?}",
        common::text(&o)
    );

    let reg = std::fs::read_to_string(ws.join("archive/2024/so-dang-ky.json")).unwrap();
    let reg: serde_json::Value = serde_json::from_str(&reg).unwrap();
    assert_eq!(reg["van_ban"].as_array().unwrap().len(), 1);
    if common::python_module("bagit") {
        let o = Command::new("python3")
            .args(["-m", "bagit", "--validate"])
            .arg(ws.join("archive/2024"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}
