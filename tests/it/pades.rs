//! PDF signature checks against files signed at test time: a throwaway PKI made by openssl,
//! signatures made by pyHanko (tests/pades_make.py). Skipped with a reason when either is
//! missing, required under CI.

use crate::common;

use common::{find, with_signature_copies};

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
        // And the third quarter's, the one found retitled after signing (issue #14).
        let q3 = common::report(ws.path(), "2024-Q3", "pdf").join("bao-cao-cchc-quy-III-2024.pdf");
        std::fs::copy(q3, dir.join("report_q3.pdf")).unwrap();
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
        s.signing_time
            .as_deref()
            .is_some_and(|t| t.ends_with("+07:00")),
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
    // A second content stream appended to the page's /Contents, with a classic xref and with
    // an xref stream and object streams.
    for (file, page_obj) in [("modified.pdf", 3), ("objstm_modified.pdf", 5)] {
        let sigs = check(dir, file, Some("anchors.pem"));
        assert_eq!(sigs.len(), 1);
        let s = &sigs[0];
        assert!(s.intact, "the signed revision itself is untouched: {s:#?}");
        assert!(!s.whole_file && s.modified_after_signing, "{file}: {s:#?}");
        let said = format!(
            "nội dung bị sửa sau khi ký: trang 1 (đối tượng {page_obj}: /Contents thay đổi)"
        );
        assert_eq!(
            s.content_changes,
            std::slice::from_ref(&said),
            "{file}: {s:#?}"
        );
        assert!(s.metadata_changes.is_empty(), "{file}: {s:#?}");
        assert!(
            s.problems.contains(&format!("chữ ký “Signature1”: {said}")),
            "{file}: {s:#?}"
        );
        assert_eq!(s.after_signing(), "BỊ SỬA sau khi ký");
    }
}

/// The content stream itself redefined (same object number), on the test page and on page 3
/// of the signed cchc report: the message names the page.
#[test]
fn a_content_stream_changed_names_its_page() {
    let Some(dir) = made() else { return };
    let s = &check(dir, "content_stream.pdf", Some("anchors.pem"))[0];
    assert!(s.intact && s.modified_after_signing, "{s:#?}");
    assert_eq!(
        s.content_changes,
        ["nội dung bị sửa sau khi ký: nội dung trang 1 (đối tượng 4)"],
        "{s:#?}"
    );
    let Some(s) = report_check(dir, "report_page3.pdf") else {
        return;
    };
    assert!(s.intact && s.modified_after_signing, "{s:#?}");
    assert_eq!(s.content_changes.len(), 1, "{s:#?}");
    assert!(
        s.content_changes[0]
            .starts_with("nội dung bị sửa sau khi ký: nội dung trang 3 (đối tượng "),
        "{s:#?}"
    );
    assert!(s.metadata_changes.is_empty(), "{s:#?}");
}

/// The one signature of a report file made from cchc's own output, when the report could be
/// made (pades_make.py makes those files only then).
fn report_check(dir: &Path, file: &str) -> Option<SignatureCheck> {
    dir.join(file).exists().then(|| {
        let mut sigs = check(dir, file, Some("anchors.pem"));
        assert_eq!(sigs.len(), 1, "{file}: {sigs:#?}");
        sigs.remove(0)
    })
}

/// A sticky note is content: it shows on the page, and it is not a signature widget.
#[test]
fn an_annotation_added_after_signing_is_content() {
    let Some(dir) = made() else { return };
    for (file, page) in [("annotated.pdf", 1), ("report_note2.pdf", 2)] {
        let Some(s) = report_check(dir, file) else {
            continue;
        };
        assert!(s.intact && s.modified_after_signing, "{file}: {s:#?}");
        assert_eq!(s.content_changes.len(), 1, "{file}: {s:#?}");
        assert!(
            s.content_changes[0].starts_with(&format!(
                "nội dung bị sửa sau khi ký: thêm chú thích trên trang {page} (Text, đối tượng "
            )),
            "{file}: {s:#?}"
        );
        assert!(s.metadata_changes.is_empty(), "{file}: {s:#?}");
    }
}

/// Issue #14: the Q3 report signed by pyHanko, then its title replaced in /Info and in the
/// XMP packet by an incremental update, was "nguyên vẹn, có phần ghi thêm sau khi ký (chữ ký
/// khác)". It is a descriptive-metadata change, named, and it counts as modified.
#[test]
fn a_title_changed_after_signing_is_a_metadata_change() {
    let Some(dir) = made() else { return };
    let Some(s) = report_check(dir, "q3_retitled.pdf") else {
        return;
    };
    assert!(s.intact && !s.whole_file, "{s:#?}");
    assert!(s.modified_after_signing, "{s:#?}");
    assert!(s.content_changes.is_empty(), "{s:#?}");
    // /Info and XMP say the same change: one message.
    assert_eq!(s.metadata_changes.len(), 1, "{s:#?}");
    let m = &s.metadata_changes[0];
    assert!(
        m.starts_with("thông tin mô tả tệp bị sửa sau khi ký: tiêu đề \"Báo cáo kết quả")
            && m.ends_with("→ \"Báo cáo đã sửa tiêu đề sau khi ký\""),
        "{m}"
    );
    assert!(s.problems.iter().any(|p| p.ends_with(m.as_str())), "{s:#?}");
    assert_eq!(s.after_signing(), "BỊ SỬA sau khi ký");
    assert!(!s.after_signing().contains("chữ ký khác"));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["modified_after_signing"], true);
    assert_eq!(json["metadata_changes"][0], m.as_str());
    assert_eq!(json["content_changes"], serde_json::json!([]));
    // The same report signed and untouched is whole.
    let signed = report_check(dir, "q3_signed.pdf").unwrap();
    assert_good(&signed);
}

/// Bytes appended after the signed range that are no PDF update: an object without any xref,
/// or anything else. Readers that rebuild a broken xref would use the object.
#[test]
fn bytes_appended_without_an_xref_are_content() {
    let Some(dir) = made() else { return };
    let pdf = read(dir, "rsa.pdf");
    let invalid =
        "nội dung bị sửa sau khi ký: phần ghi thêm không phải một bản cập nhật PDF hợp lệ";
    for (tail, said) in [
        (
            &b"\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>\nendobj\n% no xref\n"
                [..],
            format!("{invalid} (từ byte {}: “1 0 obj", pdf.len() + 1),
        ),
        (
            b"garbage that is not PDF",
            format!("{invalid} (từ byte {}: “garbage", pdf.len()),
        ),
        // A last startxref that leads nowhere: readers cannot use the update either.
        (
            b"\n%%EOF\nstartxref\n1\n",
            format!("{invalid} (startxref trỏ tới byte 1: "),
        ),
    ] {
        let mut b = pdf.clone();
        b.extend_from_slice(tail);
        let s = &pades::inspect(&b, None).unwrap()[0];
        assert!(s.intact && s.modified_after_signing, "{s:#?}");
        assert_eq!(s.content_changes.len(), 1, "{s:#?}");
        assert!(s.content_changes[0].starts_with(&said), "{said}: {s:#?}");
    }
    // Whitespace and comments change nothing.
    let mut b = pdf.clone();
    b.extend_from_slice(b"% a comment\n\n");
    let s = &pades::inspect(&b, None).unwrap()[0];
    assert!(!s.modified_after_signing && s.problems.is_empty(), "{s:#?}");
}

/// pyHanko's own long-term-validation update (DSS with the chain, plus /Info and XMP dates and
/// producer refreshed) is maintenance: not modified, no problem, and nothing said about
/// another signature, which there is not.
#[test]
fn validation_data_added_by_pyhanko_is_maintenance() {
    let Some(dir) = made() else { return };
    let mut files = vec![(
        "dss.pdf",
        check(dir, "dss.pdf", Some("anchors.pem")).remove(0),
    )];
    if let Some(s) = report_check(dir, "report_ltv.pdf") {
        files.push(("report_ltv.pdf", s));
    }
    for (file, s) in files {
        assert!(
            s.intact && !s.whole_file && !s.modified_after_signing,
            "{file}: {s:#?}"
        );
        assert!(s.problems.is_empty(), "{file}: {s:#?}");
        assert!(
            s.metadata_changes.is_empty() && s.content_changes.is_empty(),
            "{file}: {s:#?}"
        );
        assert!(
            s.maintenance
                .iter()
                .any(|m| m == "dữ liệu xác thực dài hạn (DSS)"),
            "{file}: {s:#?}"
        );
        assert!(
            !s.maintenance.iter().any(|m| m == "chữ ký khác"),
            "{file}: {s:#?}"
        );
        assert!(
            s.after_signing()
                .starts_with("có phần ghi thêm sau khi ký (dữ liệu xác thực dài hạn (DSS)"),
            "{file}: {s:#?}"
        );
    }
    // dss.pdf's update refreshed /ModDate and /Producer in /Info (pyHanko does, on every
    // update): maintenance too.
    let s = &check(dir, "dss.pdf", None)[0];
    assert_eq!(
        s.maintenance,
        [
            "dữ liệu xác thực dài hạn (DSS)",
            "ngày sửa và tên phần mềm ghi tệp"
        ]
    );
    // The same on a file qpdf rewrote (linearized, object streams, an xref stream with a PNG
    // predictor): signed whole, then maintenance only.
    if let Some(s) = report_check(dir, "qpdf_signed.pdf") {
        assert_good(&s);
        let s = report_check(dir, "qpdf_ltv.pdf").unwrap();
        assert!(s.intact && !s.modified_after_signing, "{s:#?}");
        assert!(s.problems.is_empty(), "{s:#?}");
        for file in ["report_qpdf.pdf", "qpdf_signed.pdf", "qpdf_ltv.pdf"] {
            let p = pades::structure_problems(&read(dir, file));
            assert!(p.is_empty(), "{file}: {p:?}");
        }
    }
    // A later signature is said to be one.
    let first = &check(dir, "two.pdf", None)[0];
    assert!(
        first.maintenance.iter().any(|m| m == "chữ ký khác"),
        "{first:#?}"
    );
    assert!(first.after_signing().contains("chữ ký khác"));
    let ts = &check(dir, "doc_ts.pdf", None)[0];
    assert!(
        ts.maintenance.iter().any(|m| m == "dấu thời gian"),
        "{ts:#?}"
    );
    assert!(
        !ts.maintenance.iter().any(|m| m == "chữ ký khác"),
        "{ts:#?}"
    );
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
    assert_eq!(
        early.signing_time.as_deref(),
        Some("2024-06-05T10:00:00+07:00")
    );
    assert_eq!(early.chain, Chain::Untrusted);
    assert!(
        early.problems[0].starts_with("dấu thời gian “")
            && early.problems[0].contains("chứng thư “Test TSA” không còn hoặc chưa có hiệu lực vào thời điểm 10:00 ngày 05/06/2024 (giờ Việt Nam)"),
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
    // Classic xref, BER, xref streams with object streams, and the report with XMP and DSS.
    for file in ["two.pdf", "ber.pdf", "objstm_two.pdf", "report_ltv.pdf"] {
        if !dir.join(file).exists() {
            continue;
        }
        let pdf = read(dir, file);
        let step = (pdf.len() / 400).max(1);
        for i in (0..pdf.len()).step_by(step) {
            let mut m = pdf.clone();
            m[i] ^= 0x5a;
            let _ = pades::inspect(&m, None);
            let _ = pades::structure_problems(&m);
            let _ = pades::inspect(&pdf[..i], None);
            let _ = pades::structure_problems(&pdf[..i]);
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

/// Issue #14: one update holding 10,000 signature dictionaries took over 40 s. At most 100 are
/// checked; beyond, inspect says so at once.
#[test]
fn more_than_a_hundred_signatures_is_an_error() {
    let Some(dir) = made() else { return };
    let pdf = read(dir, "rsa.pdf");
    let hundred = with_signature_copies(&pdf, 99);
    let sigs = pades::inspect(&hundred, None).unwrap();
    assert_eq!(sigs.len(), 100);
    // The copies add nothing to the document: maintenance for the first one.
    assert!(!sigs[0].modified_after_signing, "{:#?}", sigs[0]);
    assert!(
        sigs[0].maintenance.iter().any(|m| m == "chữ ký khác"),
        "{:#?}",
        sigs[0]
    );
    for n in [100, 10_000] {
        let many = with_signature_copies(&pdf, n);
        let t = std::time::Instant::now();
        let e = pades::inspect(&many, None).unwrap_err();
        assert!(t.elapsed().as_secs_f64() < 2.0, "{n}: {:?}", t.elapsed());
        assert!(
            matches!(e, PadesError::TooManySignatures { count, cap: 100 } if count == n + 1),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            format!(
                "tệp có {} từ điển chữ ký (/ByteRange), quá giới hạn 100 chữ ký một tệp: không kiểm tra",
                n + 1
            )
        );
    }
}

/// Replaces the number after the last occurrence of `key` with `value`.
fn set_last(pdf: &[u8], key: &str, value: &str) -> Vec<u8> {
    let at = pdf
        .windows(key.len())
        .rposition(|w| w == key.as_bytes())
        .unwrap()
        + key.len();
    let start = at + pdf[at..].iter().position(|b| b.is_ascii_digit()).unwrap();
    let end = start
        + pdf[start..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap();
    let mut out = pdf[..start].to_vec();
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(&pdf[end..]);
    out
}

fn last_startxref(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    text[text.rfind("startxref").unwrap() + 9..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn structure_problems_of_broken_files() {
    let Some(dir) = made() else { return };
    for file in [
        "rsa.pdf",
        "dss.pdf",
        "objstm_two.pdf",
        "doc_ts.pdf",
        "ber.pdf",
        "report_chuky.pdf",
        "report_ltv.pdf",
        "q3_retitled.pdf",
    ] {
        if dir.join(file).exists() {
            let p = pades::structure_problems(&read(dir, file));
            assert!(p.is_empty(), "{file}: {p:?}");
        }
    }
    let fast = |pdf: &[u8]| {
        let t = std::time::Instant::now();
        let p = pades::structure_problems(pdf);
        assert!(t.elapsed().as_secs_f64() < 1.0, "{:?}", t.elapsed());
        // inspect stays safe on the same bytes.
        let _ = pades::inspect(pdf, None);
        p
    };
    let dss = read(dir, "dss.pdf");
    // /Prev pointing at its own section.
    let looped = set_last(&dss, "/Prev", &last_startxref(&dss));
    let p = fast(&looped);
    assert!(
        p.iter().any(|m| m.starts_with("chuỗi /Prev quay vòng")),
        "{p:?}"
    );
    // /Prev outside the file.
    let far = set_last(&dss, "/Prev", "99999999");
    let p = fast(&far);
    assert!(
        p.iter()
            .any(|m| m.contains("trỏ ra ngoài tệp (byte 99999999")),
        "{p:?}"
    );
    // startxref into the header.
    let header = set_last(&dss, "startxref", "0");
    let p = fast(&header);
    assert_eq!(
        p,
        ["startxref trỏ tới byte 0: ở byte 0 không có bảng xref hay luồng xref"],
        "{p:?}"
    );
    // startxref past the end.
    let past = set_last(&dss, "startxref", "99999999");
    let p = fast(&past);
    assert!(
        p.iter()
            .any(|m| m.starts_with("startxref trỏ ra ngoài tệp")),
        "{p:?}"
    );
    // No startxref at all.
    let none = String::from_utf8_lossy(&dss).replace("startxref", "startxrex");
    let p = fast(none.as_bytes());
    assert!(p.iter().any(|m| m.contains("không có startxref")), "{p:?}");

    // 100,000 nested arrays in an update that is otherwise well formed.
    let pdf = read(dir, "rsa.pdf");
    let prev = last_startxref(&pdf);
    let mut deep = pdf.clone();
    let at = deep.len();
    deep.extend_from_slice(b"50 0 obj\n");
    deep.extend(std::iter::repeat_n(b'[', 100_000));
    deep.extend(std::iter::repeat_n(b']', 100_000));
    deep.extend_from_slice(b"\nendobj\n");
    let xref = deep.len();
    deep.extend_from_slice(
        format!(
            "xref\n50 1\n{at:010} 00000 n \ntrailer\n<< /Size 51 /Root 1 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    let p = fast(&deep);
    assert_eq!(
        p,
        [format!(
            "mảng hoặc từ điển lồng nhau quá 256 cấp (ở byte {})",
            at + 9 + 256
        )],
        "{p:?}"
    );
    let s = &pades::inspect(&deep, None).unwrap()[0];
    assert!(s.intact && s.modified_after_signing, "{s:#?}");
    assert!(
        s.content_changes
            .iter()
            .any(|m| m.contains("đối tượng 50") && m.contains("không đọc được")),
        "{s:#?}"
    );
}

/// The verdict line of `pyhanko sign validate` on the same files, next to cchc's classes:
/// pyHanko's "signature maintenance" or "signing and form filling" is cchc's (a) or (b) (cchc
/// is stricter on descriptive metadata, see the `pades` module documentation: pyHanko accepts
/// a retitled document as maintenance), and what pyHanko calls "may be illegitimate" is (c)
/// here, also where pyHanko still judges the signature VALID (an object appended without an
/// xref: pyHanko flags it but does not fail the signature).
#[test]
fn classes_line_up_with_pyhankos_verdicts() {
    let Some(dir) = made() else { return };
    if !common::client("pyhanko", &["--version"]) {
        return;
    }
    let mut garbage = read(dir, "rsa.pdf");
    garbage.extend_from_slice(b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% no xref\n");
    std::fs::write(dir.join("garbage.pdf"), garbage).unwrap();
    // (file, pyHanko's words, cchc's class for the first signature)
    let maintenance = "All modifications relate to signature maintenance";
    let illegitimate = "Some modifications may be illegitimate";
    let cases = [
        ("dss.pdf", maintenance, 'a'),
        (
            "two.pdf",
            "All modifications relate to signing and form filling",
            'a',
        ),
        ("doc_ts.pdf", maintenance, 'a'),
        ("report_ltv.pdf", maintenance, 'a'),
        ("q3_retitled.pdf", maintenance, 'b'),
        ("modified.pdf", illegitimate, 'c'),
        ("content_stream.pdf", illegitimate, 'c'),
        ("annotated.pdf", illegitimate, 'c'),
        ("report_page3.pdf", illegitimate, 'c'),
        ("garbage.pdf", illegitimate, 'c'),
    ];
    for (file, words, class) in cases {
        if !dir.join(file).exists() {
            continue;
        }
        let o = Command::new("pyhanko")
            .args([
                "sign",
                "validate",
                "--pretty-print",
                "--no-revocation-check",
                "--trust-replace",
            ])
            .arg("--trust")
            .arg(dir.join("root.pem"))
            .arg("--other-certs")
            .arg(dir.join("inter.pem"))
            .arg(dir.join(file))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&o.stdout);
        assert!(said.contains(words), "{file}: pyHanko said\n{said}");
        let s = &check(dir, file, None)[0];
        let got = match (s.content_changes.is_empty(), s.metadata_changes.is_empty()) {
            (false, _) => 'c',
            (true, false) => 'b',
            (true, true) => 'a',
        };
        assert_eq!(got, class, "{file}: {s:#?}");
    }
}
