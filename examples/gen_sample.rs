//! Writes the sample departmental workbooks of 2024 (input/2024-Q1 .. input/2024-Q4, and the
//! year workbook input/2024/van-phong.xlsx with the self-assessment) from
//! input/cchc.toml and input/ke-hoach.md.
//!
//! Usage: `cargo run --example gen_sample [WORKSPACE_DIR]` (default: the current directory).
//! Stale .xlsx files in the quarter folders are removed first so that a unit that sends nothing
//! (TCKT in Q3) really has no workbook there.

use anyhow::{Context, Result, bail};
use cchc::Config;
use std::path::PathBuf;

const YEAR: i32 = 2024;

fn main() -> Result<()> {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_string()));
    let cfg_path = root.join("input/cchc.toml");
    let cfg_src = std::fs::read_to_string(&cfg_path)
        .with_context(|| format!("đọc {}", cfg_path.display()))?;
    let config = match Config::parse(&cfg_src) {
        Ok(c) => c,
        Err(e) => bail!("{}: {}", cfg_path.display(), e.message),
    };
    let plan_path = root.join("input/ke-hoach.md");
    let plan_src = std::fs::read_to_string(&plan_path)
        .with_context(|| format!("đọc {}", plan_path.display()))?;
    let (plan, findings) = cchc::plan::parse(&plan_src, "input/ke-hoach.md", &config);
    let Some(plan) = plan else {
        bail!("kế hoạch không đọc được: {findings:?}");
    };
    let mut files = cchc::sample::generate(&config, &plan, YEAR)?;
    files.extend(cchc::sample::generate_year(&config, YEAR)?);
    std::fs::create_dir_all(root.join(format!("input/{YEAR}")))?;

    for q in 1..=4 {
        let dir = root.join(format!("input/{YEAR}-Q{q}"));
        std::fs::create_dir_all(&dir).with_context(|| format!("tạo {}", dir.display()))?;
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
            {
                std::fs::remove_file(&path).with_context(|| format!("xóa {}", path.display()))?;
            }
        }
    }
    for (rel, bytes) in &files {
        let path = root.join(rel);
        std::fs::write(&path, bytes).with_context(|| format!("ghi {}", path.display()))?;
        println!("{rel}");
    }
    let t = cchc::sample::dossier_year_totals();
    let cols: Vec<String> = t
        .iter()
        .enumerate()
        .map(|(i, v)| format!("({})={v}", i + 3))
        .collect();
    eprintln!("Biểu 06, cả năm {YEAR}: {}", cols.join(" "));
    Ok(())
}
