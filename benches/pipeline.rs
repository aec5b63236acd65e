//! Benchmark of the pipeline on the sample workspace, in process, stage by stage, and of the
//! whole `cchc report` process (wall time and peak memory). Prints figures; asserts nothing.
//! Run: `cargo bench --bench pipeline` (BENCH_ITERS sets the number of runs).

#[path = "../tests/common/mod.rs"]
mod common;
mod support;

use support::{median, time};

use cchc::workspace::Workspace;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let iters: usize = std::env::var("BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let period = "2024-Q2".parse().unwrap();
    println!("cchc pipeline, sample workspace, {period}, median of {iters} runs");
    let open = time(iters, || Workspace::open(&root).unwrap());
    let ws = Workspace::open(&root).unwrap();
    let load = time(iters, || ws.load(period, false).unwrap());
    let inputs = ws.load(period, false).unwrap();
    let assemble = time(iters, || ws.report_data(&inputs).unwrap());
    println!(
        "  open workspace (config + plan)     {:>8.2} ms",
        open.as_secs_f64() * 1e3
    );
    println!(
        "  read workbooks + check (Q1..Q2)    {:>8.2} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "  assemble report data               {:>8.2} ms",
        assemble.as_secs_f64() * 1e3
    );
    println!(
        "  read + check + assemble            {:>8.2} ms",
        (open + load + assemble).as_secs_f64() * 1e3
    );

    let data = ws.report_data(&inputs).unwrap();
    let templates = cchc::render::Templates::builtin();
    let opts = cchc::render::RenderOptions {
        number: Some(12),
        date: chrono::NaiveDate::from_ymd_opt(2024, 6, 5).unwrap(),
        draft: false,
        blank_date: false,
    };
    let render = time(iters, || {
        cchc::render::report(&data, &ws.config, &opts, &templates).unwrap()
    });
    let doc = cchc::render::report(&data, &ws.config, &opts, &templates).unwrap();
    let fonts = cchc::fonts::Fonts::builtin();
    let fonts_load = time(iters, cchc::fonts::Fonts::builtin);
    let docx = time(iters, || cchc::docx::write(&doc).unwrap());
    let layout = time(iters, || cchc::layout::layout(&doc, &fonts).unwrap());
    let pages = cchc::layout::layout(&doc, &fonts).unwrap();
    let pdf = time(iters, || {
        cchc::pdf::write(&pages, &doc.meta, &fonts, &cchc::pdf::PdfOptions::default()).unwrap()
    });
    // The same pages without the signature area, timed in alternation with them so that load
    // from other processes falls on both: the median of the paired differences is what the
    // signature field's incremental update costs.
    let mut unsigned = pages.clone();
    for p in &mut unsigned.0 {
        p.signature_area = None;
    }
    let write = |p: &cchc::layout::Pages| {
        let t = Instant::now();
        std::hint::black_box(
            cchc::pdf::write(p, &doc.meta, &fonts, &cchc::pdf::PdfOptions::default()).unwrap(),
        );
        t.elapsed().as_secs_f64()
    };
    let mut field_cost: Vec<f64> = (0..iters)
        .map(|_| write(&pages) - write(&unsigned))
        .collect();
    field_cost.sort_by(f64::total_cmp);
    let field_cost = field_cost[field_cost.len() / 2];
    println!(
        "  render report (tera + Markdown)    {:>8.2} ms",
        render.as_secs_f64() * 1e3
    );
    println!(
        "  DOCX write (report + appendices)   {:>8.2} ms",
        docx.as_secs_f64() * 1e3
    );
    println!(
        "  fonts (builtin)                    {:>8.2} ms",
        fonts_load.as_secs_f64() * 1e3
    );
    println!(
        "  layout ({} pages)                  {:>8.2} ms",
        pages.0.len(),
        layout.as_secs_f64() * 1e3
    );
    println!(
        "  PDF write (krilla, PDF/A-2b)       {:>8.2} ms",
        pdf.as_secs_f64() * 1e3
    );
    println!(
        "    of which the signature field     {:>8.2} ms",
        field_cost * 1e3
    );

    // The whole quarterly pack as a process, as a user runs it.
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let exe = target.join("release/cchc");
    if !exe.exists() {
        println!("  (whole process: build the release binary first with cargo build --release)");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("cchc-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).unwrap();
    common::copy_dir(&root.join("input"), &tmp.join("input"));
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..iters.min(20) {
        // Wall from here (spawning /usr/bin/time adds well under a millisecond); its own %e
        // has a 10 ms resolution, too coarse for a 35 ms target. Peak RSS from its %M.
        let started = Instant::now();
        let out = std::process::Command::new("/usr/bin/time")
            .args(["-f", "%e %M"])
            .arg(&exe)
            .args(common::report_args("2024-Q2", "docx,pdf"))
            .arg("--workspace")
            .arg(&tmp)
            .output();
        let wall = started.elapsed();
        let Ok(out) = out else {
            println!("  (whole process: /usr/bin/time not available)");
            return;
        };
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err.lines().last().unwrap_or("");
        let kib: u64 = last
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        walls.push(wall);
        peaks.push(kib);
    }
    peaks.sort();
    let files = std::fs::read_dir(tmp.join("output/2024-Q2"))
        .map(|d| d.count())
        .unwrap_or(0);
    println!(
        "  whole `cchc report` process        {:>8.1} ms wall (median), peak RSS {:.1} MiB median, {:.1} MiB max, {files} files",
        median(walls).as_secs_f64() * 1e3,
        peaks[peaks.len() / 2] as f64 / 1024.0,
        peaks[peaks.len() - 1] as f64 / 1024.0
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
