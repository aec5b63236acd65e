//! What checking a signed copy costs (issue #14): `cchc::pades::inspect` and
//! `cchc::pades::structure_problems` on the office's quarterly report signed by pyHanko into
//! its field ChuKy1, then on the same file with one incremental update appended that holds more
//! copies of its signature dictionary: 10 and 100 dictionaries in all (checked), 101, 1,000
//! and 10,000 (refused: more than `pades::MAX_SIGNATURES`). Before issue #14, 1,000 took 2.6 s
//! and 10,000 more than 40 s in `cchc archive check`. Prints figures; asserts nothing.
//!
//! Run: `cargo bench --bench archive_check` (BENCH_ITERS sets the number of runs). The signed
//! file is made as tests/pades.rs makes it (tests/pades_make.py: openssl and pyHanko); without
//! them the bench says so and stops.

use cchc::workspace::Workspace;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(iters: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..iters)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

fn rfind(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap()
}

/// `pdf` with one incremental update appended holding `n` copies of its first signature
/// dictionary as new objects (classic xref, /Prev to the signed revision).
fn with_signature_copies(pdf: &[u8], n: usize) -> Vec<u8> {
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

/// The 2024-Q2 report as cchc writes it, signed by pyHanko into ChuKy1 (tests/pades_make.py).
fn signed_report(root: &std::path::Path, dir: &std::path::Path) -> Option<Vec<u8>> {
    let ws = Workspace::open(root).ok()?;
    let inputs = ws.load("2024-Q2".parse().ok()?, false).ok()?;
    let data = ws.report_data(&inputs)?;
    let opts = cchc::render::RenderOptions {
        number: Some(12),
        date: chrono::NaiveDate::from_ymd_opt(2024, 6, 5)?,
        draft: false,
        blank_date: false,
    };
    let doc = cchc::render::report(
        &data,
        &ws.config,
        &opts,
        &cchc::render::Templates::builtin(),
    )
    .ok()?;
    let fonts = cchc::fonts::Fonts::builtin();
    let pages = cchc::layout::layout(&doc, &fonts).ok()?;
    let pdf =
        cchc::pdf::write(&pages, &doc.meta, &fonts, &cchc::pdf::PdfOptions::default()).ok()?;
    std::fs::write(dir.join("report.pdf"), pdf).ok()?;
    let made = std::process::Command::new("python3")
        .arg(root.join("tests/pades_make.py"))
        .arg(dir)
        .output()
        .ok()?;
    if !made.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&made.stderr));
        return None;
    }
    std::fs::read(dir.join("report_chuky.pdf")).ok()
}

fn main() {
    let iters: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let Some(signed) = signed_report(&root, tmp.path()) else {
        println!("archive_check: no signed file (needs python3 with pyHanko, and openssl)");
        return;
    };
    println!(
        "cchc::pades on the 2024-Q2 report signed by pyHanko ({} KiB), median of {iters} runs (5 from 1,000 dictionaries up)",
        signed.len() / 1024
    );
    println!("  dictionaries  file        inspect      structure_problems  result");
    let mut files = Vec::new();
    for n in [1, 10, 100, 101, 1_000, 10_000] {
        let file = if n == 1 {
            signed.clone()
        } else {
            with_signature_copies(&signed, n - 1)
        };
        let runs = if n >= 1_000 { iters.min(5) } else { iters };
        let inspect = time(runs, || cchc::pades::inspect(&file, None));
        let structure = time(runs, || cchc::pades::structure_problems(&file));
        let result = match cchc::pades::inspect(&file, None) {
            Ok(s) => format!(
                "{} checked, first: {}",
                s.len(),
                s.first().map(|s| s.after_signing()).unwrap_or_default()
            ),
            Err(e) => format!("refused: {e}"),
        };
        println!(
            "  {n:>12}  {:>6} KiB  {:>9.3} ms  {:>15.3} ms    {result}",
            file.len() / 1024,
            inspect.as_secs_f64() * 1e3,
            structure.as_secs_f64() * 1e3,
        );
        files.push((n, file));
    }

    // The whole `cchc archive check` process on the largest files, when the release binary is
    // there (it also reads the text of the copy, which is the archive's part).
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let exe = target.join("release/cchc");
    if !exe.exists() {
        println!(
            "  (cchc archive check: build the release binary first with cargo build --release)"
        );
        return;
    }
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).unwrap();
    copy_dir(&root.join("input"), &ws.join("input"));
    for (n, file) in files
        .iter()
        .filter(|(n, _)| [100, 1_000, 10_000].contains(n))
    {
        let path = tmp.path().join(format!("ky-{n}.pdf"));
        std::fs::write(&path, file).unwrap();
        let runs = iters.min(5);
        let wall = time(runs, || {
            std::process::Command::new(&exe)
                .args(["archive", "check"])
                .arg(&path)
                .arg("--workspace")
                .arg(&ws)
                .output()
                .unwrap()
        });
        println!(
            "  `cchc archive check`, {n:>6} dictionaries: {:>9.1} ms wall (median of {runs})",
            wall.as_secs_f64() * 1e3
        );
    }
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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
