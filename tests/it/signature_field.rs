//! The report PDF carries an empty signature field over its signature block (issue #6): krilla's
//! file untouched with an incremental update appended, the field seen by pyHanko where the
//! decree leaves room for signature and seal, and a real signing tool (pyHanko, with a throwaway
//! key made by openssl) signing into it. A missing client skips with a reason, except under
//! CI=true.

use crate::common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const FIELD: &str = "ChuKy1";

fn report() -> (tempfile::TempDir, PathBuf) {
    let ws = workspace();
    let dir = common::report(ws.path(), "2024-Q2", "pdf");
    (ws, dir)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// krilla's own file: everything up to the first %%EOF.
fn first_revision(pdf: &[u8]) -> &[u8] {
    let at = pdf.windows(5).position(|w| w == b"%%EOF").unwrap();
    &pdf[..at + 5]
}

fn trailer_id(rev: &[u8]) -> String {
    let t = String::from_utf8_lossy(&rev[rev.windows(7).rposition(|w| w == b"trailer").unwrap()..])
        .into_owned();
    let i = t.find("/ID[").unwrap();
    t[i..i + t[i..].find(']').unwrap() + 1].to_string()
}

#[test]
fn the_update_leaves_krillas_file_untouched_and_keeps_the_trailer() {
    let (_ws, dir) = report();
    let pdf = std::fs::read(dir.join("bao-cao-cchc-quy-II-2024.pdf")).unwrap();
    assert_eq!(count(&pdf, b"%%EOF"), 2, "one update after krilla's file");
    assert!(pdf.ends_with(b"%%EOF\n"));
    let first = first_revision(&pdf);
    let update = String::from_utf8_lossy(&pdf[first.len()..]).into_owned();
    assert!(update.contains("/FT/Sig"), "{update}");
    assert!(update.contains(&format!("/T({FIELD})")), "{update}");
    assert!(!update.contains("NeedAppearances"), "{update}");
    assert!(!update.contains("/SigFlags"), "{update}");
    let prev = String::from_utf8_lossy(first);
    let prev_xref = prev[prev.rfind("startxref").unwrap() + 9..]
        .split_whitespace()
        .next()
        .unwrap();
    assert!(update.contains(&format!("/Prev {prev_xref}>>")), "{update}");
    assert_eq!(trailer_id(first), trailer_id(&pdf), "the /ID pair is kept");
    for key in ["/Root ", "/Info "] {
        let of = |t: &str| {
            let t = &t[t.rfind("trailer").unwrap()..];
            let i = t.find(key).unwrap();
            t[i..i + t[i..].find(" R").unwrap()].to_string()
        };
        assert_eq!(of(&prev), of(&update), "{key}");
    }

    // Appendices printed alone have no signature block, hence no field and no update.
    for name in [
        "phu-luc-I-quy-II-2024.pdf",
        "phu-luc-II-quy-II-2024.pdf",
        "phu-luc-III-quy-II-2024.pdf",
    ] {
        let a = std::fs::read(dir.join(name)).unwrap();
        assert_eq!(count(&a, b"%%EOF"), 1, "{name}");
        assert_eq!(count(&a, b"/FT/Sig"), 0, "{name}");
    }

    let orig = dir.join("krilla.pdf");
    std::fs::write(&orig, first).unwrap();
    if client("qpdf", &["--version"]) {
        for f in [&dir.join("bao-cao-cchc-quy-II-2024.pdf"), &orig] {
            run_ok(Command::new("qpdf").arg("--check").arg(f));
        }
    }
    if client("pdftotext", &["-v"]) {
        let txt = |f: &Path| run_ok(Command::new("pdftotext").arg(f).arg("-")).stdout;
        assert!(
            txt(&dir.join("bao-cao-cchc-quy-II-2024.pdf")) == txt(&orig),
            "the field changes the text"
        );
    }
    if client("pdfinfo", &["-v"]) {
        let meta = |f: &Path| run_ok(Command::new("pdfinfo").arg("-meta").arg(f)).stdout;
        let m = meta(&dir.join("bao-cao-cchc-quy-II-2024.pdf"));
        assert!(m == meta(&orig), "the XMP changed");
        let m = String::from_utf8_lossy(&m);
        assert!(m.contains("<pdfaid:part>2</pdfaid:part>"));
        let info = |f: &Path| {
            String::from_utf8(run_ok(Command::new("pdfinfo").arg(f)).stdout)
                .unwrap()
                .lines()
                .filter(|l| l.starts_with("PDF version") || l.starts_with("Form"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            info(&dir.join("bao-cao-cchc-quy-II-2024.pdf")),
            "Form:            AcroForm\nPDF version:     1.7"
        );
    }
}

/// pyHanko's view of the signature fields (tests/sigfield_check.py).
fn fields(pdf: &Path) -> serde_json::Value {
    let o = run_ok(
        Command::new("python3")
            .arg(root().join("tests/sigfield_check.py"))
            .arg(pdf),
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// pdftotext -bbox words of one page (0-based) as (text, xmin, ymin, xmax, ymax), y downwards.
fn words(pdf: &Path, page: usize) -> Vec<(String, f64, f64, f64, f64)> {
    let n = (page + 1).to_string();
    let o = run_ok(
        Command::new("pdftotext")
            .args(["-bbox", "-f", &n, "-l", &n])
            .arg(pdf)
            .arg("-"),
    );
    let html = String::from_utf8(o.stdout).unwrap();
    let attr = |l: &str, a: &str| -> f64 {
        let i = l.find(&format!("{a}=\"")).unwrap() + a.len() + 2;
        l[i..i + l[i..].find('"').unwrap()].parse().unwrap()
    };
    html.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let t = &l[l.find('>').unwrap() + 1..l.find("</word>").unwrap()];
            (
                t.to_string(),
                attr(l, "xMin"),
                attr(l, "yMin"),
                attr(l, "xMax"),
                attr(l, "yMax"),
            )
        })
        .collect()
}

#[test]
fn pyhanko_sees_one_empty_field_over_the_signature_block() {
    if !python_module("pyhanko") || !client("pdftotext", &["-v"]) {
        return;
    }
    let (_ws, dir) = report();
    let pdf = dir.join("bao-cao-cchc-quy-II-2024.pdf");
    let v = fields(&pdf);
    assert_eq!(v["need_appearances"], false, "{v}");
    assert_eq!(v["sig_flags"], 0, "{v}");
    let list = v["fields"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{v}");
    let f = &list[0];
    assert_eq!(f["name"], FIELD);
    assert_eq!(f["filled"], false);
    assert_eq!(f["flags"], 4, "print only: PDF/A-2b 6.3.2");
    assert_eq!(f["ap_keys"], serde_json::json!(["/N"]), "PDF/A-2b 6.3.3");
    assert_eq!(f["ap_n_is_form"], true);
    assert_eq!((&f["has_a"], &f["has_aa"]), (&false.into(), &false.into()));
    assert_eq!(f["in_annots"], true);

    // The field's page is the one with the signer's name, and its rectangle (PDF y upwards,
    // turned to pdftotext's y downwards) lies between the authority lines and the name.
    let page = f["page"].as_u64().unwrap() as usize;
    let w = words(&pdf, page);
    let find = |s: &str| w.iter().filter(|x| x.0 == s).cloned().collect::<Vec<_>>();
    let name = [find("Phạm"), find("Ngọc"), find("Anh")].concat();
    assert_eq!(
        name.len(),
        3,
        "signer's name not on page {}: {w:?}",
        page + 1
    );
    let authority = find("TỊCH");
    assert_eq!(authority.len(), 2, "{w:?}");
    let height = 841.89;
    let r: Vec<f64> = f["rect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    let (x0, top, x1, bottom) = (r[0], height - r[3], r[2], height - r[1]);
    let auth_bottom = authority.iter().map(|a| a.4).fold(0.0, f64::max);
    let name_top = name.iter().map(|a| a.2).fold(f64::MAX, f64::min);
    assert!(
        top >= auth_bottom && bottom <= name_top,
        "{r:?}: {auth_bottom} {name_top}"
    );
    // The decree's 25-30 mm of room, nearly all of it.
    let mm = 72.0 / 25.4;
    assert!((25.0 * mm..=30.0 * mm).contains(&(bottom - top)), "{r:?}");
    assert!(name_top - auth_bottom - (bottom - top) < 10.0, "{r:?}");
    // Across the right column: over the name and the authority lines, clear of "Nơi nhận".
    for x in name.iter().chain(&authority) {
        assert!(x0 <= x.1 && x.3 <= x1, "{x:?} outside {r:?}");
    }
    let nn = find("nhận:");
    assert!(nn.iter().all(|x| x.3 < x0), "{nn:?} {r:?}");
    assert!(x1 <= 595.276 - 15.0 * mm + 0.01, "{r:?}");
}

/// Signs `pdf` into our field with pyHanko's CLI (`extra` goes before `sign`), then checks that
/// it signed into that field and that pyHanko judges the signature valid over the whole file.
fn sign_and_validate(pdf: &Path, signed: &Path, extra: &[&str], style: &[&str]) {
    let dir = signed.parent().unwrap();
    let (key, cert) = common::key_and_cert(dir);
    let before = fields(pdf);
    run_ok(
        Command::new("pyhanko")
            .args(extra)
            .args(["sign", "addsig", "--field", FIELD])
            .args(style)
            .args(["pemder", "--no-pass"])
            .arg("--key")
            .arg(&key)
            .arg("--cert")
            .arg(&cert)
            .arg(pdf)
            .arg(signed),
    );

    // Signed into our field, not into a new one beside it, as an update of our file.
    let after = fields(signed);
    let list = after["fields"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{after}");
    assert_eq!(list[0]["name"], FIELD);
    assert_eq!(list[0]["filled"], true);
    assert_eq!(list[0]["rect"], before["fields"][0]["rect"]);
    assert_eq!(list[0]["page"], before["fields"][0]["page"]);
    assert!(
        std::fs::read(signed)
            .unwrap()
            .starts_with(&std::fs::read(pdf).unwrap())
    );

    let o = run_ok(
        Command::new("pyhanko")
            .args([
                "sign",
                "validate",
                "--pretty-print",
                "--no-revocation-check",
            ])
            .arg("--trust")
            .arg(&cert)
            .arg("--trust-replace")
            .arg(signed),
    );
    let report = String::from_utf8_lossy(&o.stdout);
    for s in [
        "Field 1: ChuKy1",
        "The signature is cryptographically sound.",
        "The signature covers the entire file.",
        "The signature is judged VALID.",
    ] {
        assert!(report.contains(s), "{s:?} not in:\n{report}");
    }
    if client("qpdf", &["--version"]) {
        run_ok(Command::new("qpdf").arg("--check").arg(signed));
    }
}

#[test]
fn pyhanko_signs_into_the_field_and_the_signature_covers_the_whole_file() {
    if !python_module("pyhanko")
        || !client("pyhanko", &["--version"])
        || !client("openssl", &["version"])
    {
        return;
    }
    let (ws, dir) = report();
    let pdf = dir.join("bao-cao-cchc-quy-II-2024.pdf");
    sign_and_validate(&pdf, &ws.path().join("signed.pdf"), &[], &[]);
}

/// PDF/A-2b wants every font embedded, in the signed copy too, and pyHanko's default stamp
/// uses Courier unembedded: a stamp style in Liberation Serif (pyHanko's `opentype` extra)
/// embeds its subset, with the Vietnamese of the stamp's text, and still signs into our field.
#[test]
fn a_stamp_in_an_embedded_font_keeps_every_font_of_the_signed_copy_embedded() {
    if !python_module("pyhanko")
        || !python_module("uharfbuzz")
        || !client("pyhanko", &["--version"])
        || !client("openssl", &["version"])
        || !client("pdffonts", &["-v"])
    {
        return;
    }
    let (ws, dir) = report();
    let pdf = dir.join("bao-cao-cchc-quy-II-2024.pdf");
    let config = ws.path().join("pyhanko.yml");
    let font = root().join("fonts/LiberationSerif-Regular.ttf");
    std::fs::write(
        &config,
        format!(
            "stamp-styles:\n  cchc:\n    type: text\n    border-width: 0\n    \
             stamp-text: \"Ký bởi: %(signer)s\\nNgày ký: %(ts)s\"\n    \
             text-box-style:\n      font: {}\n      font-size: 10\n",
            font.display()
        ),
    )
    .unwrap();
    let signed = ws.path().join("signed.pdf");
    sign_and_validate(
        &pdf,
        &signed,
        &["--config", config.to_str().unwrap()],
        &["--style-name", "cchc"],
    );
    let o = run_ok(Command::new("pdffonts").arg(&signed));
    let out = String::from_utf8(o.stdout).unwrap();
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(rows.len(), 5, "four faces of ours and the stamp's:\n{out}");
    for r in rows {
        let cols: Vec<&str> = r.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {r}");
    }
}
