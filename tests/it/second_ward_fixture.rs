//! Smoke test of the second workspace (tests/ward2): its tables are consistent, cchc reads every
//! workbook it writes without an error, and `cchc data` lists the plan's six tasks.

use crate::common;
use crate::ward2;

use common::{cchc, text};

/// The lines of cchc's output that report an error.
fn error_lines(s: &str) -> Vec<&str> {
    s.lines()
        .filter(|l| l.trim_start().starts_with("lỗi:"))
        .collect()
}

#[test]
fn tables_are_consistent() {
    // Biểu 06: the identities of every row; the carry-over chain, broken once on purpose.
    for (qi, rows) in ward2::DOSSIERS.iter().enumerate() {
        for (fi, c) in rows.iter().enumerate() {
            let at = format!("Q{} {}", qi + 1, ward2::DOSSIER_FIELDS[fi]);
            assert_eq!(c[0], c[1] + c[2] + c[3], "(3)=(4)+(5)+(6) {at}");
            assert_eq!(c[4], c[5] + c[6] + c[7], "(7)=(8)+(9)+(10) {at}");
            assert_eq!(c[8], c[9] + c[10], "(11)=(12)+(13) {at}");
            assert_eq!(c[0], c[4] + c[8], "(3)=(7)+(11) {at}");
            assert_eq!(c[1], c[11] + c[12], "một phần + toàn trình = (4) {at}");
            assert_eq!(c[15], c[7] + c[10], "thư xin lỗi {at}");
            if qi > 0 {
                let prev = ward2::DOSSIERS[qi - 1][fi][8];
                let (bq, bf, less) = ward2::CARRY_BREAK;
                let expected = if (qi + 1, fi) == (bq as usize, bf) {
                    prev - less
                } else {
                    prev
                };
                assert_eq!(c[3], expected, "(6) {at}");
            }
        }
    }
    assert!(ward2::DOSSIERS[1].iter().any(|r| r[7] > 0), "late in Q2");
    // Every task row names a task of the plan and a unit of the settings.
    for r in ward2::reports() {
        ward2::task(r.code);
        ward2::unit(r.unit);
    }
    assert_eq!(ward2::reports_of("LDXH", 4).len(), 1);
}

#[test]
fn every_quarter_reads_without_error() {
    let tmp = tempfile::tempdir().unwrap();
    ward2::write(tmp.path());
    // 2024-Q2 first: the quarter the brief names; the others are read the same way.
    for period in ["2024-Q2", "2024-Q1", "2024-Q3", "2024-Q4"] {
        let o = cchc(tmp.path(), &["check", "--period", period]);
        let (out, err) = text(&o);
        let errors: Vec<&str> = error_lines(&out)
            .into_iter()
            .chain(error_lines(&err))
            .collect();
        assert!(errors.is_empty(), "{period}: {errors:#?}\n{err}");
        assert!(o.status.success(), "{period}: {:?}\n{out}{err}", o.status);
    }
}

#[test]
fn data_lists_the_six_tasks() {
    let tmp = tempfile::tempdir().unwrap();
    ward2::write(tmp.path());
    let o = cchc(tmp.path(), &["data", "--period", "2024-Q3"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{:?}\n{err}", o.status);
    let data: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = data["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter_map(|t| t["code"].as_str())
        .collect();
    let expected: Vec<&str> = ward2::TASKS.iter().map(|t| t.code).collect();
    assert_eq!(
        codes,
        ["PL1.1", "PL1.2", "PL1.3", "PL1.4", "PL2.I.1", "PL2.I.2"]
    );
    assert_eq!(codes, expected);
}

#[test]
fn write_without_leaves_the_quarter_out() {
    let tmp = tempfile::tempdir().unwrap();
    ward2::write_without(tmp.path(), "2024-Q4");
    let input = tmp.path().join("input");
    assert!(input.join("cchc.toml").is_file());
    assert!(input.join("ke-hoach.md").is_file());
    for q in 1..=3 {
        for u in &ward2::UNITS {
            assert!(input.join(ward2::quarter_folder(q)).join(u.file).is_file());
        }
    }
    assert!(!input.join("2024-Q4").exists());
}
