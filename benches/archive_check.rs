//! What checking a signed copy costs (issue #14): `cchc::pades::inspect` and
//! `cchc::pades::structure_problems` on the office's quarterly report signed by pyHanko into
//! its field ChuKy1, then on the same file with one incremental update appended that holds more
//! copies of its signature dictionary: 10 and 100 dictionaries in all (checked), 101, 1,000
//! and 10,000 (refused: more than `pades::MAX_SIGNATURES`). Before issue #14, 1,000 took 2.6 s
//! and 10,000 more than 40 s in `cchc archive check`. Prints figures; asserts nothing.
//!
//! Run: `cargo bench --bench archive_check` (BENCH_ITERS sets the number of runs). The signed
//! file is made as tests/it/pades.rs makes it (tests/pades_make.py: openssl and pyHanko); without
//! them the bench says so and stops.

#[path = "../tests/common/mod.rs"]
mod common;
mod support;

use cchc::workspace::Workspace;
use common::{copy_dir, with_signature_copies};
use std::path::PathBuf;
use support::time;

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
