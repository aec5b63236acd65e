//! A second ward (tests/ward2: phường Yên Nghĩa, its own units, plan and figures) through
//! every period: the counts, findings and texts of issue #13, each expected value computed
//! here from the fixture's tables, not from cchc's code. The ward has a partner that disagrees
//! with the lead (PL1.3), a two-deadline task done for its Quý II occurrence (PL1.2), a unit
//! whose partner row says "Không phát sinh" (PL2.I.1), a stock indicator (DCXD01) and a Quý III
//! whose "Từ kỳ trước" does not match Quý II.

use crate::common;
use crate::ward2;

use common::body::{check_body, docx_body, pdf_body};
use common::{cchc, client, text};
use serde_json::Value;
use std::path::Path;
use ward2::{DOSSIERS, INDICATORS, REPORTS, TASKS};

fn quarters_of(period: &str) -> Vec<u8> {
    match period.rsplit('-').next().unwrap() {
        "6T" => vec![1, 2],
        "9T" => vec![1, 2, 3],
        q if q.starts_with('Q') => vec![q[1..].parse().unwrap()],
        _ => vec![1, 2, 3, 4],
    }
}

fn data(ws: &Path, period: &str) -> Value {
    let o = cchc(ws, &["data", "--period", period]);
    assert!(o.status.success(), "{period}: {:?}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn task<'a>(d: &'a Value, code: &str) -> &'a Value {
    d["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == code)
        .unwrap()
}

fn unit<'a>(d: &'a Value, code: &str) -> &'a Value {
    d["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == code)
        .unwrap()
}

/// The latest row of `unit` for `code` among `quarters` (the fixture's own table).
fn latest(unit: &str, code: &str, quarters: &[u8]) -> Option<&'static ward2::ReportDef> {
    REPORTS
        .iter()
        .filter(|r| r.unit == unit && r.code == code && quarters.contains(&r.quarter))
        .max_by_key(|r| r.quarter)
}

#[test]
fn each_unit_is_credited_with_its_own_statuses() {
    let ws = tempfile::tempdir().unwrap();
    ward2::write(ws.path());
    for period in [
        "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-6T", "2024-9T", "2024",
    ] {
        let d = data(ws.path(), period);
        let qs = quarters_of(period);
        for u in ward2::UNITS.iter() {
            // The tasks it leads, by the status of its own latest row in the period.
            let own: Vec<&str> = TASKS
                .iter()
                .filter(|t| t.lead_unit == u.ma)
                .filter_map(|t| latest(u.ma, t.code, &qs))
                .map(|r| r.status)
                .collect();
            let n = |s: &str| own.iter().filter(|x| **x == s).count() as u64;
            let got = unit(&d, u.ma);
            assert_eq!(got["reported"], own.len() as u64, "{period} {}", u.ma);
            assert_eq!(got["done"], n(ward2::DONE), "{period} {}", u.ma);
            assert_eq!(
                got["in_progress"],
                n(ward2::IN_PROGRESS),
                "{period} {}",
                u.ma
            );
            assert_eq!(
                got["not_applicable"],
                n(ward2::NOT_APPLICABLE),
                "{period} {}",
                u.ma
            );
        }
    }
    // PL1.3: the lead (DCXD) says done in Q2, the partner (MC) still "Đang thực hiện" in Q3:
    // the task is done, and the partner's row is shown with its own status.
    let q3 = data(ws.path(), "2024-Q3");
    let t = task(&q3, "PL1.3");
    assert_eq!(t["status_key"], "done");
    assert_eq!(t["status_by"], "chu_tri");
    assert_eq!(t["overdue"], false);
    let mc = t["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_code"] == "MC")
        .unwrap();
    assert_eq!(mc["status_key"], "in_progress");
    assert_eq!(mc["role"], "phoi_hop");
    // PL2.I.1: MC (lead) done, VPTK (partner) "Không phát sinh": never shown as done.
    let year = data(ws.path(), "2024");
    let t = task(&year, "PL2.I.1");
    assert_eq!(t["status_key"], "done");
    let vp = t["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit_code"] == "VPTK")
        .unwrap();
    assert_eq!(vp["status"], "Không phát sinh");
    if client("pdftotext", &["-v"]) {
        let out = common::report(ws.path(), "2024", "pdf");
        let pl2 = common::squash(&common::pdftotext_raw(&out.join("phu-luc-II-nam-2024.pdf")));
        assert!(
            pl2.contains("Văn phòng - Thống kê (không phát sinh):"),
            "{pl2}"
        );
    }
}

#[test]
fn a_task_done_for_its_first_due_date_is_not_overdue_before_the_second() {
    let ws = tempfile::tempdir().unwrap();
    ward2::write(ws.path());
    let q3 = data(ws.path(), "2024-Q3");
    let t = task(&q3, "PL1.2");
    assert_eq!(ward2::task("PL1.2").deadline, "Quý II, Quý IV/2024");
    assert_eq!(t["status_key"], "in_progress");
    assert_eq!(t["overdue"], false, "{t}");
    let o = cchc(ws.path(), &["check", "--period", "2024-Q3"]);
    let (_, err) = text(&o);
    assert!(!err.contains("PL1.2"), "{err}");
    // The forms list it as due in Quý II and Quý IV only.
    let cfg = cchc::Config::parse(&ward2::config_toml()).unwrap();
    let (plan, f) = cchc::plan::parse(&ward2::plan_md(), "input/ke-hoach.md", &cfg);
    assert!(f.iter().all(|f| !f.is_error()), "{f:?}");
    let plan = plan.unwrap();
    for (q, due) in [(1, false), (2, true), (3, false), (4, true)] {
        let p = cchc::Period::quarter(2024, q);
        let listed = cchc::forms::unit_tasks(&plan, "VPTK", &p);
        let t = listed.iter().find(|t| t.task.code == "PL1.2").unwrap();
        assert_eq!(t.due, due, "Quý {q}");
    }
}

#[test]
fn figures_are_summed_or_taken_at_the_end_by_their_kind() {
    let ws = tempfile::tempdir().unwrap();
    ward2::write(ws.path());
    for period in ["2024-Q2", "2024-6T", "2024-9T", "2024"] {
        let d = data(ws.path(), period);
        let qs = quarters_of(period);
        for ind in INDICATORS.iter() {
            let expected: u32 = if ind.stock {
                ind.values[*qs.last().unwrap() as usize - 1]
            } else {
                qs.iter().map(|q| ind.values[*q as usize - 1]).sum()
            };
            let f = d["figures"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["code"] == ind.ma)
                .unwrap();
            // Figures are in hundredths.
            assert_eq!(
                f["value"]["value"],
                u64::from(expected) * 100,
                "{period} {}",
                ind.ma
            );
            assert_eq!(
                f["kind"],
                if ind.stock { "cuoi_ky" } else { "cong_don" },
                "{}",
                ind.ma
            );
            let cells = if ind.stock { 1 } else { qs.len() };
            assert_eq!(f["value"]["sources"].as_array().unwrap().len(), cells);
        }
    }
}

#[test]
fn quarters_join_up_or_a_finding_names_both_cells() {
    let ws = tempfile::tempdir().unwrap();
    ward2::write(ws.path());
    let o = cchc(ws.path(), &["check", "--period", "2024-Q3"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let (q, field, gap) = ward2::CARRY_BREAK;
    let name = ward2::DOSSIER_FIELDS[field];
    let was = DOSSIERS[q as usize - 2][field][8];
    let now = DOSSIERS[q as usize - 1][field][3];
    assert_eq!(was - now, gap);
    let line = err
        .lines()
        .find(|l| l.contains("từ kỳ trước chuyển qua (6)"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.starts_with("cảnh báo: input/2024-Q3/"), "{line}");
    assert!(
        line.contains(name) && line.contains("input/2024-Q2/"),
        "{line}"
    );
    assert!(
        line.contains(&format!("là {now}")) && line.contains(&format!("là {was}")),
        "{line}"
    );
    assert_eq!(
        err.matches("từ kỳ trước chuyển qua (6)").count(),
        1,
        "only Hộ tịch of Q3 breaks: {err}"
    );
    // The 9-month Biểu 06: the flows summed, the stocks at the ends; (3) - ((7) + (11)) is
    // exactly the gap the finding names.
    let d = data(ws.path(), "2024-9T");
    let c = &d["one_stop"]["total"]["columns"];
    let col = |i: usize| c[i]["value"].as_i64().unwrap();
    let sum = |i: usize| -> i64 {
        (0..3)
            .flat_map(|q| DOSSIERS[q].iter().map(move |r| r[i] as i64))
            .sum()
    };
    let at = |q: usize, i: usize| -> i64 { DOSSIERS[q].iter().map(|r| r[i] as i64).sum() };
    assert_eq!(col(1), sum(1));
    assert_eq!(col(2), sum(2));
    assert_eq!(col(3), at(0, 3));
    assert_eq!(col(4), sum(4));
    assert_eq!(col(8), at(2, 8));
    assert_eq!(col(0) - (col(4) + col(8)), gap as i64);
}

#[test]
fn every_report_of_the_ward_reads_as_a_summary() {
    if !client("pdftotext", &["-v"]) {
        return;
    }
    let ws = tempfile::tempdir().unwrap();
    ward2::write(ws.path());
    for period in ["2024-Q2", "2024-Q3", "2024-6T", "2024-9T", "2024"] {
        let out = common::report(ws.path(), period, "docx,pdf");
        let d = data(ws.path(), period);
        let slug = d["period"]["slug"].as_str().unwrap().to_string();
        let pdf = pdf_body(&out.join(format!("bao-cao-cchc-{slug}.pdf")));
        let docx = docx_body(&out.join(format!("bao-cao-cchc-{slug}.docx")));
        check_body(&pdf, &d, &format!("{period} PDF"));
        check_body(&docx, &d, &format!("{period} DOCX"));
        assert!(pdf.contains("UBND phường Yên Nghĩa") && !pdf.contains("Phú Lãm"));
        // PL1.4's result differs every quarter: a longer report quotes the latest one only,
        // with its quarter.
        let qs = quarters_of(period);
        for r in REPORTS
            .iter()
            .filter(|r| r.code == "PL1.4" && qs.contains(&r.quarter))
        {
            let pl1 = common::squash(&common::pdftotext_raw(
                &out.join(format!("phu-luc-I-{slug}.pdf")),
            ));
            let latest = r.quarter == *qs.last().unwrap();
            let head: String = r
                .result
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(pl1.contains(&head), latest, "{period}: {}", r.result);
        }
    }
    // The year's difficulties: those still standing on each task's latest row, with their
    // quarter; a difficulty the unit's later row dropped is not repeated.
    let d = data(ws.path(), "2024");
    let notes: Vec<(&str, &str)> = d["difficulties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["quarter"].as_str().unwrap(), n["text"].as_str().unwrap()))
        .collect();
    let standing: Vec<(String, &str)> = REPORTS
        .iter()
        .filter(|r| !r.difficulty.is_empty())
        .filter(|r| latest(r.unit, r.code, &[1, 2, 3, 4]).unwrap().quarter == r.quarter)
        .map(|r| {
            (
                format!(
                    "Quý {}/2024",
                    ["I", "II", "III", "IV"][r.quarter as usize - 1]
                ),
                r.difficulty,
            )
        })
        .collect();
    assert_eq!(notes.len(), standing.len(), "{notes:?} vs {standing:?}");
    for (q, t) in &standing {
        assert!(notes.contains(&(q.as_str(), *t)), "{q}: {t}");
    }
}

#[test]
fn a_year_without_quarter_four_names_it_and_goes_on_only_when_told() {
    let ws = tempfile::tempdir().unwrap();
    ward2::write_without(ws.path(), "2024-Q4");
    let args = common::report_args("2024", "pdf");
    let o = cchc(ws.path(), &args);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("Quý IV/2024") && err.contains("chưa có thư mục input/2024-Q4"),
        "{err}"
    );
    let mut go_on = args.to_vec();
    go_on.push("--cho-phep-thieu");
    let o = cchc(ws.path(), &go_on);
    assert!(o.status.success(), "{:?}", text(&o));
    if client("pdftotext", &["-v"]) {
        let body = pdf_body(&ws.path().join("output/2024/bao-cao-cchc-nam-2024.pdf"));
        assert!(
            body.contains("- Quý III/2024: 4/4 ngành, bộ phận"),
            "{body}"
        );
        assert!(body.contains("Quý IV/2024: chưa có báo cáo"), "{body}");
    }
}
