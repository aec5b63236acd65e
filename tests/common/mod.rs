//! Helpers shared by the end-to-end tests: the sample workspace copied to a temporary folder,
//! the `cchc` binary, and real clients that may be missing (skipped with a reason, except under
//! CI=true, where a missing client fails the test).
#![allow(dead_code)]

pub mod body;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn under_ci() -> bool {
    std::env::var("CI").as_deref() == Ok("true")
}

pub fn client(name: &str, probe: &[&str]) -> bool {
    let ok = Command::new(name)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty());
    if !ok {
        assert!(!under_ci(), "{name} is required under CI");
        eprintln!("bỏ qua phần kiểm tra cần {name}: không có trên máy này");
    }
    ok
}

pub fn python_module(m: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {m}")])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(!under_ci(), "python module {m} is required under CI");
        eprintln!("bỏ qua phần kiểm tra cần python {m}");
    }
    ok
}

/// Runs a client command and asserts that it succeeded, showing the command and both of its
/// outputs when it did not.
pub fn run_ok(cmd: &mut Command) -> Output {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{cmd:?}\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

pub fn cchc(ws: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(args)
        .arg("--workspace")
        .arg(ws)
        .output()
        .unwrap()
}

/// `cchc check --json` on `ws` with `args`: the exit code and every finding as (severity,
/// kind, place, message), places as messages print them.
pub fn findings(ws: &Path, args: &[&str]) -> (Option<i32>, Vec<[String; 4]>) {
    let mut all = vec!["check", "--json"];
    all.extend_from_slice(args);
    let o = cchc(ws, &all);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("check --json: {e}: {}", String::from_utf8_lossy(&o.stderr)));
    let place = |l: &serde_json::Value| -> String {
        let s = |k: &str| l[k].as_str().unwrap_or_default().to_string();
        match s("kind").as_str() {
            "file" => s("file"),
            "sheet" => format!("{} › {}", s("file"), s("sheet")),
            "cell" => format!("{} › {} › {}", s("file"), s("sheet"), s("cell")),
            "line" => format!("{}:{}", s("file"), l["line"]),
            _ => String::new(),
        }
    };
    let list = json
        .as_array()
        .expect("an array of findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            [s("severity"), s("kind"), place(&f["loc"]), s("message")]
        })
        .collect();
    (o.status.code(), list)
}

pub fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A copy of the sample workspace's inputs in a temporary folder.
pub fn workspace() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("input"), &tmp.path().join("input"));
    tmp
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The arguments of `cchc report` of `period` in the given formats ("pdf", "docx,pdf"): number
/// 12 for Quý II (the bench's and most tests' report), another number for each other period
/// (one number names one document: cchc refuses a number another period's report carries),
/// signed on the 5th of the period's last month (cchc refuses a date before the period began).
pub fn report_args<'a>(period: &'a str, format: &'a str) -> [&'a str; 9] {
    let (number, date) = match period.rsplit('-').next() {
        Some("Q1") => ("3", "2024-03-05"),
        Some("Q2") => ("12", "2024-06-05"),
        Some("6T") => ("14", "2024-06-05"),
        Some("Q3") => ("15", "2024-09-05"),
        Some("9T") => ("18", "2024-09-05"),
        Some("Q4") => ("20", "2024-12-05"),
        _ => ("30", "2024-12-05"),
    };
    [
        "report", "--period", period, "--so", number, "--ngay", date, "--format", format,
    ]
}

/// Runs [`report_args`]; panics with cchc's messages when it fails. Returns the output folder.
pub fn report(ws: &Path, period: &str, format: &str) -> PathBuf {
    let o = cchc(ws, &report_args(period, format));
    assert!(o.status.success(), "{:?}", text(&o));
    ws.join("output").join(period)
}

/// `pdftotext -raw` (content-stream order, so neighbouring table cells do not interleave) of a
/// PDF, as UTF-8; panics when pdftotext fails.
pub fn pdftotext_raw(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

/// A word of a PDF page as `pdftotext -bbox` places it.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub x: f32,
    pub y: f32,
    pub text: String,
}

/// Every word of `pdf`, in reading order, with its page and top-left corner.
pub fn pdf_words(pdf: &Path) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "pdftotext -bbox {}", pdf.display());
    let attr = |line: &str, name: &str| -> f32 {
        let from = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[from..].split('"').next().unwrap().parse().unwrap()
    };
    let mut page = 0;
    let mut words = Vec::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if line.starts_with("<word ") {
            let text = line
                .split_once('>')
                .and_then(|(_, rest)| rest.strip_suffix("</word>"))
                .unwrap()
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"");
            words.push(Word {
                page,
                x: attr(line, "xMin"),
                y: attr(line, "yMin"),
                text,
            });
        }
    }
    words
}

/// A throwaway key and self-signed certificate for the signer, made by openssl in `dir`.
pub fn key_and_cert(dir: &Path) -> (PathBuf, PathBuf) {
    let (key, cert) = (dir.join("key.pem"), dir.join("cert.pem"));
    run_ok(
        Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args(["-subj", "/CN=Pham Ngoc Anh/O=UBND phuong Phu Lam"])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&cert),
    );
    (key, cert)
}

/// Where `needle` first occurs in `hay` (it must).
pub fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

/// Where `needle` last occurs in `hay` (it must).
pub fn rfind(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap()
}

/// `pdf` with one incremental update appended that holds `n` copies of its first signature
/// dictionary as new objects (classic xref, /Prev), as a file stuffed with signatures is.
pub fn with_signature_copies(pdf: &[u8], n: usize) -> Vec<u8> {
    let key = find(pdf, b"/ByteRange");
    let obj = rfind(&pdf[..key], b" 0 obj") + b" 0 obj".len();
    let end = key + find(&pdf[key..], b"endobj");
    let body = &pdf[obj..end];
    let words = |k: &[u8], n: usize| -> String {
        let at = rfind(pdf, k) + k.len();
        String::from_utf8_lossy(&pdf[at..])
            .split_whitespace()
            .take(n)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let size: usize = words(b"/Size", 1).parse().unwrap();
    let prev = words(b"startxref", 1);
    let root = words(b"/Root", 3);
    let mut out = pdf.to_vec();
    let mut offsets = Vec::with_capacity(n);
    for i in 0..n {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj", size + i).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"endobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n{size} {n}\n").as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root {root} /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n",
            size + n
        )
        .as_bytes(),
    );
    out
}
