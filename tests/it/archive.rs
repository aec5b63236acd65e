//! The archive of signed copies, end to end through the `cchc` binary: BagIt bags that
//! bagit.py accepts, the register, refusals, the comparison with the generated report, bad
//! files, and SIGKILL during many registrations.

use crate::common;

use common::{cchc, client, python_module, text, workspace};
use std::path::{Path, PathBuf};
use std::process::Command;

const REPORT: &str = "output/2024-Q2/bao-cao-cchc-quy-II-2024.pdf";

/// A valid one-page PDF without a text layer, as a scanner writes (minus the image); `tag`
/// makes the bytes differ.
fn scanned_pdf(tag: &str) -> Vec<u8> {
    let content = format!("% {tag}\n0.9 g 0 0 10 10 re f\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
    ];
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `pdf` signed into cchc's empty field by pyHanko with a throwaway certificate for the
/// sample's signer, as the office's signing plugin would; `None` when pyHanko or openssl is
/// missing (a failure under CI).
fn signed_copy(ws: &Path, pdf: &Path, name: &str) -> Option<PathBuf> {
    if !client("openssl", &["version"]) || !client("pyhanko", &["--version"]) {
        return None;
    }
    let (key, cert) = common::key_and_cert(ws);
    let out = ws.join(name);
    common::run_ok(
        Command::new("pyhanko")
            .args(["sign", "addsig", "--field", "ChuKy1", "pemder", "--no-pass"])
            .arg("--key")
            .arg(&key)
            .arg("--cert")
            .arg(&cert)
            .arg(pdf)
            .arg(&out),
    );
    Some(out)
}

/// Every file under `dir` with its bytes, for "nothing was written" checks.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.push((p.clone(), Vec::new()));
                stack.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn bag(ws: &Path) -> PathBuf {
    ws.join("archive/2024")
}

fn manifest_paths(ws: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_to_string(bag(ws).join("manifest-sha256.txt"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once("  ").map(|(_, p)| p.to_string()))
        .collect();
    v.sort();
    v
}

/// The register as JSON; an empty one before the first registration.
fn register(ws: &Path) -> serde_json::Value {
    match std::fs::read_to_string(bag(ws).join("so-dang-ky.json")) {
        Ok(t) => serde_json::from_str(&t).unwrap(),
        Err(_) => serde_json::json!({ "van_ban": [] }),
    }
}

fn register_paths(ws: &Path) -> Vec<String> {
    let r = register(ws);
    let mut v: Vec<String> = r["van_ban"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["tep"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

/// bagit.py's verdict, or None when it is not installed (a failure under CI).
fn bagit_valid(dir: &Path) -> Option<bool> {
    if !python_module("bagit") {
        return None;
    }
    let o = Command::new("python3")
        .args(["-m", "bagit", "--validate"])
        .arg(dir)
        .output()
        .unwrap();
    Some(o.status.success())
}

#[test]
fn generated_report_registers_into_a_valid_bag() {
    let ws = workspace();
    let ws = ws.path();
    common::report(ws, "2024-Q2", "pdf");
    let Some(report_path) = signed_copy(ws, &ws.join(REPORT), "ban-da-ky.pdf") else {
        return;
    };

    // Paths on the command line are the user's, relative to the current folder, not to the
    // workspace.
    let o = cchc(ws, &["archive", "add", report_path.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(
        out.contains("Đã lưu: archive/2024/data/2024-06-05_12-BC-UBND.pdf"),
        "{out}"
    );
    assert!(out.contains("khớp bản cchc tạo"), "{out}");

    let b = bag(ws);
    for f in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "tagmanifest-sha256.txt",
        "so-dang-ky.json",
    ] {
        assert!(b.join(f).exists(), "{f}");
    }
    let info = std::fs::read_to_string(b.join("bag-info.txt")).unwrap();
    let size = std::fs::metadata(&report_path).unwrap().len();
    assert!(info.contains(&format!("Payload-Oxum: {size}.1")), "{info}");
    assert!(
        info.contains("Source-Organization: Ủy ban nhân dân phường Phú Lãm"),
        "{info}"
    );
    let tags = std::fs::read_to_string(b.join("tagmanifest-sha256.txt")).unwrap();
    assert!(tags.contains("  so-dang-ky.json"), "{tags}");

    let e = &register(ws)["van_ban"][0];
    assert_eq!(e["so"], "12/BC-UBND");
    assert_eq!(e["ngay"], "2024-06-05");
    assert_eq!(e["loai"], "Báo cáo");
    assert!(
        e["trich_yeu"]
            .as_str()
            .unwrap()
            .starts_with("Kết quả thực hiện")
    );
    assert_eq!(e["co_quan"], "Ủy ban nhân dân phường Phú Lãm");
    assert_eq!(e["nguoi_ky"], "Phạm Ngọc Anh");
    assert_eq!(e["kich_thuoc"], size);
    assert_eq!(e["doi_chieu"]["ket_qua"], "khop");
    assert_eq!(e["doi_chieu"]["ban_tao"], REPORT);
    assert_eq!(e["doi_chieu"]["giu_nguyen_tung_byte"], true);
    assert_eq!(e["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(e["sha512"].as_str().unwrap().len(), 128);
    let at = e["chu_ky"][0]["signing_time"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(at).is_ok() && at.ends_with("+07:00"),
        "{at}"
    );

    let o = cchc(ws, &["archive", "verify"]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.contains("archive/2024: 1 tệp, nguyên vẹn"));
    let o = cchc(ws, &["archive", "list"]);
    let (out, _) = text(&o);
    assert!(out.contains("Số 12/BC-UBND ngày 5/6/2024"), "{out}");

    if let Some(valid) = bagit_valid(&b) {
        assert!(valid, "bagit.py rejects the bag cchc wrote");
    }

    // One flipped byte in the payload: both cchc and bagit.py see it.
    let payload = b.join("data/2024-06-05_12-BC-UBND.pdf");
    let mut bytes = std::fs::read(&payload).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    std::fs::write(&payload, &bytes).unwrap();
    let o = cchc(ws, &["archive", "verify"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("archive/2024/data/2024-06-05_12-BC-UBND.pdf: đã bị thay đổi"),
        "{out}"
    );
    if let Some(valid) = bagit_valid(&b) {
        assert!(!valid, "bagit.py accepts a flipped byte");
    }
    bytes[mid] ^= 0x01;
    std::fs::write(&payload, &bytes).unwrap();

    // A registered file that disappears.
    std::fs::rename(&payload, ws.join("moved.pdf")).unwrap();
    let o = cchc(ws, &["archive", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).0.contains("2024-06-05_12-BC-UBND.pdf: bị mất"),
        "{:?}",
        text(&o)
    );
    std::fs::rename(ws.join("moved.pdf"), &payload).unwrap();

    // A file slipped into data/ by hand is reported as unregistered.
    std::fs::write(b.join("data/la.pdf"), b"x").unwrap();
    let o = cchc(ws, &["archive", "verify", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], false);
    let problems = v["bags"][0]["problems"].to_string();
    assert!(
        problems.contains("data/la.pdf: tệp lạ, chưa đăng ký"),
        "{problems}"
    );
    assert_eq!(v["bags"][0]["files"][0]["sha256"], e["sha256"]);
    std::fs::remove_file(b.join("data/la.pdf")).unwrap();

    // The register is protected by the tag manifest.
    let reg = b.join("so-dang-ky.json");
    let t = std::fs::read_to_string(&reg).unwrap();
    std::fs::write(&reg, t.replace("Phạm Ngọc Anh", "Phạm Ngọc Ánh")).unwrap();
    let o = cchc(ws, &["archive", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).0.contains("so-dang-ky.json: đã bị thay đổi"),
        "{:?}",
        text(&o)
    );
}

#[test]
fn second_copy_is_refused_unless_it_supersedes() {
    let ws = workspace();
    let ws = ws.path();
    let first = ws.join("ban-quet-1.pdf");
    let second = ws.join("ban-quet-2.pdf");
    std::fs::write(&first, scanned_pdf("một")).unwrap();
    std::fs::write(&second, scanned_pdf("hai")).unwrap();
    let add = |f: &Path, extra: &[&str]| {
        let mut args = vec!["archive", "add", f.to_str().unwrap()];
        args.extend(["--so", "12/BC-UBND", "--ngay", "05/6/2024", "--ban-quet"]);
        args.extend(extra);
        cchc(ws, &args)
    };
    let o = add(&first, &[]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.contains("bản quét"), "{:?}", text(&o));

    let o = add(&first, &["--thay-the"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("tệp này đã được lưu"), "{:?}", text(&o));

    let o = add(&second, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("--thay-the"), "{:?}", text(&o));
    assert_eq!(register_paths(ws).len(), 1);
    // Same number, another date: most likely another document numbered by mistake.
    let other = ws.join("ban-quet-3.pdf");
    std::fs::write(&other, scanned_pdf("ba")).unwrap();
    let o = cchc(
        ws,
        &[
            "archive",
            "add",
            other.to_str().unwrap(),
            "--so",
            "12/BC-UBND",
            "--ngay",
            "10/6/2024",
            "--ban-quet",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o)
            .1
            .contains("hai văn bản khác nhau mang cùng một số"),
        "{:?}",
        text(&o)
    );

    let o = add(&second, &["--thay-the"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(
        out.contains("Thay thế bản archive/2024/data/2024-06-05_12-BC-UBND.pdf"),
        "{out}"
    );
    assert_eq!(
        register_paths(ws),
        [
            "data/2024-06-05_12-BC-UBND.pdf",
            "data/2024-06-05_12-BC-UBND_ban-2.pdf"
        ]
    );
    assert_eq!(manifest_paths(ws), register_paths(ws));
    let r = register(ws);
    assert_eq!(
        r["van_ban"][0]["bi_thay_the_boi"],
        "data/2024-06-05_12-BC-UBND_ban-2.pdf"
    );
    assert_eq!(
        r["van_ban"][1]["thay_the"],
        "data/2024-06-05_12-BC-UBND.pdf"
    );
    assert_eq!(r["van_ban"][1]["doi_chieu"]["ket_qua"], "ban_quet");
    // The first copy is still there, unchanged.
    assert_eq!(
        std::fs::read(bag(ws).join("data/2024-06-05_12-BC-UBND.pdf")).unwrap(),
        scanned_pdf("một")
    );
    let o = cchc(ws, &["archive", "list"]);
    assert!(
        text(&o)
            .0
            .contains("ĐÃ BỊ THAY THẾ bởi data/2024-06-05_12-BC-UBND_ban-2.pdf")
    );
    let o = cchc(ws, &["archive", "verify"]);
    assert!(o.status.success(), "{:?}", text(&o));
    if let Some(valid) = bagit_valid(&bag(ws)) {
        assert!(valid);
    }
}

#[test]
fn scanned_copy_needs_its_number_and_date() {
    let ws = workspace();
    let ws = ws.path();
    let f = ws.join("scan.pdf");
    std::fs::write(&f, scanned_pdf("x")).unwrap();
    let o = cchc(ws, &["archive", "add", f.to_str().unwrap(), "--ban-quet"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("--so"), "{err}");
    assert!(err.contains("--ngay"), "{err}");
    assert!(!bag(ws).join("data").exists());
}

#[test]
fn outdated_copy_is_reported_before_it_is_archived() {
    let ws = workspace();
    let ws = ws.path();
    common::report(ws, "2024-Q2", "pdf");
    let Some(signed) = signed_copy(ws, &ws.join(REPORT), "ban-ky.pdf") else {
        return;
    };
    // The report of number 12 is regenerated from other figures (here: another quarter's),
    // so the signed copy is now an outdated version.
    std::fs::remove_dir_all(ws.join("output/2024-Q2")).unwrap();
    let o = cchc(
        ws,
        &[
            "report",
            "--period",
            "2024-Q3",
            "--so",
            "12",
            "--ngay",
            "2024-09-05",
            "--format",
            "pdf",
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));

    let o = cchc(ws, &["archive", "check", signed.to_str().unwrap()]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("bản ký khác bản cchc tạo (output/2024-Q3/bao-cao-cchc-quy-III-2024.pdf)"),
        "{out}"
    );
    assert!(out.contains("số liệu"), "{out}");
    assert!(out.contains("trích yếu"), "{out}");
    // The signing time is said in Vietnam's time, never in UTC.
    assert!(out.contains("(giờ Việt Nam)"), "{out}");
    assert!(!out.contains("UTC") && !out.contains(":00Z"), "{out}");

    let o = cchc(ws, &["archive", "add", signed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("không lưu"), "{:?}", text(&o));
    assert!(!bag(ws).join("data").exists(), "nothing is registered");

    let o = cchc(
        ws,
        &[
            "archive",
            "add",
            signed.to_str().unwrap(),
            "--chap-nhan-khac",
            "--json",
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["entry"]["chap_nhan_khac_biet"], true);
    assert_eq!(v["entry"]["doi_chieu"]["ket_qua"], "khac_ban_tao");
    assert!(
        !v["entry"]["doi_chieu"]["khac_biet"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn bad_files_are_findings_and_nothing_is_registered() {
    let ws = workspace();
    let ws = ws.path();
    common::report(ws, "2024-Q2", "pdf");
    let full = std::fs::read(ws.join(REPORT)).unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "khong-phai.pdf",
            b"Day la van ban, khong phai PDF".to_vec(),
            "không phải tệp PDF",
        ),
        ("cat-cut.pdf", full[..full.len() / 2].to_vec(), "cắt cụt"),
        ("rong.pdf", Vec::new(), "không phải tệp PDF"),
    ];
    for (name, bytes, expected) in cases {
        let f = ws.join(name);
        std::fs::write(&f, bytes).unwrap();
        for cmd in ["check", "add"] {
            let o = cchc(
                ws,
                &[
                    "archive",
                    cmd,
                    f.to_str().unwrap(),
                    "--so",
                    "12",
                    "--ngay",
                    "2024-06-05",
                ],
            );
            let (out, err) = text(&o);
            assert_eq!(o.status.code(), Some(1), "{cmd} {name}: {out}\n{err}");
            assert!(
                out.contains(expected) || err.contains(expected),
                "{cmd} {name}: {out}\n{err}"
            );
        }
        let o = cchc(ws, &["archive", "check", f.to_str().unwrap(), "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(!v["problems"].as_array().unwrap().is_empty(), "{v}");
    }
    let o = cchc(ws, &["archive", "add", "khong-co.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).1.contains("không đọc được khong-co.pdf"),
        "{:?}",
        text(&o)
    );
    assert!(!bag(ws).exists(), "nothing is registered");
}

#[test]
fn check_prints_the_verdict_as_json() {
    let ws = workspace();
    let ws = ws.path();
    common::report(ws, "2024-Q2", "pdf");
    let report_path = ws.join(REPORT);
    let o = cchc(
        ws,
        &["archive", "check", report_path.to_str().unwrap(), "--json"],
    );
    // cchc's own output is not a signed copy.
    assert_eq!(o.status.code(), Some(1), "{:?}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["path"], report_path.to_str().unwrap());
    assert_eq!(v["sha256"].as_str().unwrap().len(), 64);
    assert!(v["signatures"].is_array());
    assert_eq!(v["number"], "12/BC-UBND");
    assert_eq!(v["date"], "2024-06-05");
    assert_eq!(v["match"]["ket_qua"], "khop");
    assert_eq!(v["unsigned"], true);
    assert!(v["problems"].to_string().contains("bản chưa ký"), "{v}");
    assert!(!bag(ws).exists(), "check registers nothing");
}

/// An incremental update of `src` made by pyHanko's writer, as another tool would append
/// after signing: "info" retitles the document (/Info and XMP), "page" rotates page 1.
fn changed_after_signing(src: &Path, dst: &Path, kind: &str) {
    const SCRIPT: &str = r#"
import sys
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils import generic
src, dst, kind = sys.argv[1:4]
with open(src, "rb") as f:
    w = IncrementalPdfFileWriter(f)
    if kind == "info":
        ref = w.trailer.raw_get("/Info")
        info = ref.get_object()
        info["/Title"] = generic.TextStringObject("Đã sửa sau khi ký")
        w.mark_update(ref)
    else:
        ref = w.root["/Pages"]["/Kids"].raw_get(0)
        page = ref.get_object()
        page["/Rotate"] = generic.NumberObject(90)
        w.mark_update(ref)
    with open(dst, "wb") as out:
        w.write(out)
"#;
    common::run_ok(
        Command::new("python3")
            .args(["-c", SCRIPT])
            .arg(src)
            .arg(dst)
            .arg(kind),
    );
}

#[test]
fn a_copy_changed_after_signing_is_refused_with_the_change_named() {
    let ws = workspace();
    let ws = ws.path();
    common::report(ws, "2024-Q2", "pdf");
    let Some(signed) = signed_copy(ws, &ws.join(REPORT), "ban-ky.pdf") else {
        return;
    };
    let before = snapshot(ws);
    for (kind, said) in [
        ("info", "tiêu đề"),
        ("page", "trang 1"),
        ("bytes", "sửa sau khi ký"),
    ] {
        let changed = ws.join(format!("sua-{kind}.pdf"));
        if kind == "bytes" {
            let mut b = std::fs::read(&signed).unwrap();
            b.extend_from_slice(b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% no xref\n");
            std::fs::write(&changed, b).unwrap();
        } else {
            changed_after_signing(&signed, &changed, kind);
        }
        let o = cchc(ws, &["archive", "add", changed.to_str().unwrap()]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{kind}: {out}\n{err}");
        assert!(err.contains("sửa sau khi ký"), "{kind}: {err}");
        assert!(err.contains(said), "{kind}: {said:?} not in {err}");
        assert!(err.contains("--chap-nhan-sua-sau-ky"), "{kind}: {err}");
        std::fs::remove_file(&changed).unwrap();
        let now: Vec<_> = snapshot(ws)
            .into_iter()
            .filter(|(p, _)| !p.ends_with(format!("sua-{kind}.pdf")))
            .collect();
        assert_eq!(now, before, "{kind}: a refused add wrote something");
    }
    // Accepted knowingly, it is recorded, and the register keeps the signed title.
    let changed = ws.join("sua-info.pdf");
    changed_after_signing(&signed, &changed, "info");
    let o = cchc(
        ws,
        &[
            "archive",
            "add",
            changed.to_str().unwrap(),
            "--chap-nhan-sua-sau-ky",
            "--json",
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let e = &v["entry"];
    assert_eq!(e["chap_nhan_sua_sau_ky"], true);
    assert!(e["sua_sau_ky"].to_string().contains("tiêu đề"), "{e}");
    assert!(
        e["trich_yeu"]
            .as_str()
            .unwrap()
            .starts_with("Kết quả thực hiện"),
        "{e}"
    );
    assert_eq!(e["chu_ky"][0]["modified_after_signing"], true);
    // verify does not call an accepted change a fault of the archive.
    let o = cchc(ws, &["archive", "verify"]);
    assert!(o.status.success(), "{:?}", text(&o));
}

#[test]
fn another_offices_report_is_refused_unless_the_office_says_so() {
    let ws = workspace();
    let ws = ws.path();
    common::report(ws, "2024-Q2", "pdf");
    let Some(signed) = signed_copy(ws, &ws.join(REPORT), "ban-ky.pdf") else {
        return;
    };
    // The same workbooks, another ward's settings.
    let cfg = ws.join("input/cchc.toml");
    let toml = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("PHƯỜNG PHÚ LÃM", "PHƯỜNG YÊN NGHĨA")
        .replace("phường Phú Lãm", "phường Yên Nghĩa")
        .replace("Phạm Ngọc Anh", "Nguyễn Thị Hoa");
    std::fs::write(&cfg, toml).unwrap();
    std::fs::remove_dir_all(ws.join("output")).unwrap();
    let o = cchc(ws, &["archive", "add", signed.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("không phải của Ủy ban nhân dân phường Yên Nghĩa"),
        "{err}"
    );
    assert!(
        err.contains("PHƯỜNG YÊN NGHĨA") && err.contains("Nguyễn Thị Hoa"),
        "{err}"
    );
    assert!(
        !ws.join("archive").exists(),
        "a refused add creates nothing"
    );
    let o = cchc(
        ws,
        &[
            "archive",
            "add",
            signed.to_str().unwrap(),
            "--co-quan-khac",
            "--json",
        ],
    );
    assert!(o.status.success(), "{:?}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let e = &v["entry"];
    // Nothing this workspace's settings say is written as the document's.
    assert_eq!(e["co_quan"], "");
    assert_eq!(e["nguoi_ky"], "");
    assert_eq!(e["co_quan_khac"].as_array().unwrap().len(), 2, "{e}");
}

#[test]
fn unsigned_files_need_the_scan_flag_and_cchc_output_is_never_a_signed_copy() {
    let ws = workspace();
    let ws = ws.path();
    common::report(ws, "2024-Q2", "pdf");
    let before = snapshot(ws);
    let report_path = ws.join(REPORT);
    for extra in [&[][..], &["--ban-quet"][..]] {
        let mut args = vec!["archive", "add", report_path.to_str().unwrap()];
        args.extend_from_slice(extra);
        let o = cchc(ws, &args);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{extra:?}: {err}");
        assert!(err.contains("bản chưa ký"), "{extra:?}: {err}");
    }
    let scan = ws.join("scan.pdf");
    std::fs::write(&scan, scanned_pdf("giấy")).unwrap();
    let args = ["--so", "12", "--ngay", "2024-06-05"];
    let mut plain = vec!["archive", "add", scan.to_str().unwrap()];
    plain.extend(args);
    let o = cchc(ws, &plain);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("--ban-quet"), "{err}");
    // Bad files: missing, a folder, empty.
    std::fs::create_dir(ws.join("thu-muc.pdf")).unwrap();
    std::fs::write(ws.join("rong.pdf"), b"").unwrap();
    for f in ["khong-co.pdf", "thu-muc.pdf", "rong.pdf"] {
        let o = cchc(
            ws,
            &["archive", "add", ws.join(f).to_str().unwrap(), "--ban-quet"],
        );
        assert_eq!(o.status.code(), Some(1), "{f}: {:?}", text(&o));
    }
    std::fs::remove_dir(ws.join("thu-muc.pdf")).unwrap();
    std::fs::remove_file(ws.join("rong.pdf")).unwrap();
    let now: Vec<_> = snapshot(ws)
        .into_iter()
        .filter(|(p, _)| !p.ends_with("scan.pdf"))
        .collect();
    assert_eq!(now, before, "refused adds wrote something");
    plain.push("--ban-quet");
    let o = cchc(ws, &plain);
    assert!(o.status.success(), "{:?}", text(&o));
    assert_eq!(register(ws)["van_ban"][0]["ban_quet"], true);
    // The registered copy is read-only.
    let payload = bag(ws).join("data/2024-06-05_12-BC-UBND.pdf");
    assert!(std::fs::metadata(payload).unwrap().permissions().readonly());
}

#[test]
fn a_bag_naming_paths_outside_it_is_not_acted_on() {
    let ws = workspace();
    let ws = ws.path();
    let scan = ws.join("scan.pdf");
    std::fs::write(&scan, scanned_pdf("một")).unwrap();
    let add = |f: &Path, extra: &[&str]| {
        let mut args = vec!["archive", "add", f.to_str().unwrap()];
        args.extend(["--so", "12", "--ngay", "2024-06-05", "--ban-quet"]);
        args.extend(extra);
        cchc(ws, &args)
    };
    assert!(add(&scan, &[]).status.success());
    let victim = ws.join("victim.pdf");
    std::fs::write(&victim, b"keep me").unwrap();
    let reg = bag(ws).join("so-dang-ky.json");
    let t = std::fs::read_to_string(&reg).unwrap();
    std::fs::write(
        &reg,
        t.replace(
            "\"data/2024-06-05_12-BC-UBND.pdf\"",
            "\"data/../../victim.pdf\"",
        ),
    )
    .unwrap();
    let second = ws.join("scan-2.pdf");
    std::fs::write(&second, scanned_pdf("hai")).unwrap();
    let o = add(&second, &["--thay-the"]);
    let (out, err) = text(&o);
    assert_ne!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(err.contains("data/../../victim.pdf"), "{err}");
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    let o = cchc(ws, &["archive", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).0.contains("trỏ ra ngoài túi"), "{:?}", text(&o));
}

/// Tiny deterministic generator for kill delays (the seed is printed, so a failure replays).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[cfg(unix)]
#[test]
fn sigkill_during_many_adds_never_breaks_the_register() {
    let ws = workspace();
    let ws = ws.path();
    // CCHC_SEED=<n> replays a run; the seed is printed either way.
    let seed = std::env::var("CCHC_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("seed {seed} (CCHC_SEED={seed} replays it)");
    let mut rng = Lcg(seed);
    let add = |i: u32| {
        let f = ws.join(format!("scan-{i}.pdf"));
        std::fs::write(&f, scanned_pdf(&format!("bản {i}"))).unwrap();
        let number = format!("{}/BC-UBND", 100 + i);
        Command::new(env!("CARGO_BIN_EXE_cchc"))
            .args(["archive", "add"])
            .arg(&f)
            .args([
                "--so",
                &number,
                "--ngay",
                "2024-07-01",
                "--ban-quet",
                "--workspace",
            ])
            .arg(ws)
            // Each step of the registration sleeps 2 ms, so kills land inside it.
            .env("CCHC_ARCHIVE_DELAY_MS", "2")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // One whole run tells how long a registration takes here; kills are spread over 0-130%
    // of it, so some runs finish and most die at some step.
    let start = std::time::Instant::now();
    assert!(add(0).wait().unwrap().success());
    let span = start.elapsed().as_millis() as u64 * 13 / 10;
    let mut finished = vec!["data/2024-07-01_100-BC-UBND.pdf".to_string()];
    let (mut killed, mut recovered, runs) = (0, 0, 40);
    for i in 1..=runs {
        let mut child = add(i);
        std::thread::sleep(std::time::Duration::from_millis(rng.next(span)));
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "run {i} failed on its own");
                finished.push(format!("data/2024-07-01_{}-BC-UBND.pdf", 100 + i));
            }
            None => {
                child.kill().unwrap();
                child.wait().unwrap();
                killed += 1;
            }
        }
        // A kill may leave a journal or staged files; the next archive command finishes or
        // drops them, and then the register and the manifests must agree.
        let o = cchc(ws, &["archive", "verify", "--json"]);
        assert!(o.status.success(), "after run {i}: {:?}", text(&o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        if v["recovered"] == true {
            recovered += 1;
        }
        assert_eq!(manifest_paths(ws), register_paths(ws), "after run {i}");
    }
    eprintln!(
        "{killed} of {runs} runs killed, {recovered} after the commit point (finished by the next command)"
    );
    assert!(killed > 0, "no run was killed: the test proves nothing");
    let o = cchc(ws, &["archive", "verify"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let registered = register_paths(ws);
    assert_eq!(manifest_paths(ws), registered);
    for f in &finished {
        assert!(registered.contains(f), "{f} finished but is not registered");
    }
    let payload: Vec<String> = std::fs::read_dir(bag(ws).join("data"))
        .unwrap()
        .map(|e| format!("data/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    assert_eq!(payload.len(), registered.len(), "{payload:?}");
    assert!(!ws.join("archive/.cchc/nhat-ky.json").exists());
    if client("python3", &["--version"])
        && let Some(valid) = bagit_valid(&bag(ws))
    {
        assert!(valid);
    }
}
