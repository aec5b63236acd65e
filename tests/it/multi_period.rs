//! Reports of several quarters are summaries of the period, not the quarterly texts one after
//! another (issue #13): on every report of the sample, in both formats, no body sentence of 8
//! words or more is said twice, every percentage is one of the period's (`cchc data`), the
//! counts the text says add up do, and the closing section looks ahead to the right period. A
//! year without its Q4 folder stops, unless the office says to go on.

use crate::common;

use common::body::{check_body, docx_body, pdf_body};
use common::{cchc, client, report, text, workspace};
use std::path::Path;

const PERIODS: [&str; 7] = [
    "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-6T", "2024-9T", "2024",
];

fn data(ws: &Path, period: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["data", "--period", period];
    args.extend_from_slice(extra);
    let o = cchc(ws, &args);
    assert!(o.status.success(), "{:?}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn report_file(out: &Path, ext: &str) -> std::path::PathBuf {
    std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|e| e == ext)
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("bao-cao-cchc-"))
        })
        .unwrap()
}

#[test]
fn every_sample_report_reads_as_a_summary_in_both_formats() {
    if !client("pdftotext", &["-v"]) {
        return;
    }
    let ws = workspace();
    for period in PERIODS {
        let out = report(ws.path(), period, "docx,pdf");
        let d = data(ws.path(), period, &[]);
        let pdf = pdf_body(&report_file(&out, "pdf"));
        let docx = docx_body(&report_file(&out, "docx"));
        check_body(&pdf, &d, &format!("{period} PDF"));
        check_body(&docx, &d, &format!("{period} DOCX"));
        let heading = match period {
            "2024-6T" => "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2024",
            "2024-9T" => "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ QUÝ IV NĂM 2024",
            "2024" => "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025",
            "2024-Q4" => "IV. NHIỆM VỤ TRỌNG TÂM QUÝ I NĂM 2025",
            _ => "IV. NHIỆM VỤ TRỌNG TÂM QUÝ",
        };
        assert!(docx.contains(heading), "{period}: {heading}");
        assert!(pdf.contains(heading), "{period}: {heading}");
        signature_keeps_its_paragraph(&report_file(&out, "pdf"), &report_file(&out, "docx"));
    }
}

/// The signature block's page holds the paragraph before it, in the PDF (the layout keeps
/// them together) and in the DOCX (keepNext on that paragraph).
fn signature_keeps_its_paragraph(pdf: &Path, docx: &Path) {
    let text = common::pdftotext_raw(pdf);
    let page = text
        .split('\u{c}')
        .find(|p| p.contains("Nơi nhận:"))
        .unwrap();
    assert!(
        page.contains("Trên đây là báo cáo"),
        "{}: the signature is alone on its page:\n{page}",
        pdf.display()
    );
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let at = xml.find("Trên đây là báo cáo").unwrap();
    let para = &xml[xml[..at]
        .rfind("<w:p>")
        .or_else(|| xml[..at].rfind("<w:p "))
        .unwrap()..at];
    assert!(para.contains("<w:keepNext/>"), "{}: {para}", docx.display());
}

#[test]
fn the_year_report_carries_the_unfinished_tasks_forward() {
    let ws = workspace();
    let d = data(ws.path(), "2024", &[]);
    let carried: Vec<&str> = d["carry_forward"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    let unfinished: Vec<&str> = d["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| {
            matches!(
                t["status_key"].as_str(),
                Some("in_progress" | "not_started")
            ) || t["overdue"] == true
        })
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(carried, unfinished);
    assert!(carried.contains(&"PL1.2"), "{carried:?}");
    // Nothing of the 2024 plan is presented as due in 2025.
    assert_eq!(d["next_tasks"].as_array().unwrap().len(), 0);
    assert_eq!(d["period"]["next_name"], "năm 2025");
}

#[test]
fn each_task_is_reported_once_per_unit_at_its_latest_state() {
    let ws = workspace();
    let d = data(ws.path(), "2024", &[]);
    for t in d["tasks"].as_array().unwrap() {
        let units: Vec<&str> = t["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["unit"].as_str().unwrap())
            .collect();
        let mut unique = units.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), units.len(), "{}: {units:?}", t["code"]);
    }
    // PL1.1 (monthly) was reported every quarter: the year shows Q4's row only.
    let pl11 = d["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["code"] == "PL1.1")
        .unwrap();
    assert_eq!(pl11["reports"][0]["quarter"], "Quý IV/2024");
    // Figures are summed (the default kind) with every quarter's cell as a source.
    let f = &d["figures"].as_array().unwrap()[0];
    assert_eq!(f["kind"], "cong_don");
    assert_eq!(f["value"]["sources"].as_array().unwrap().len(), 4);
}

#[test]
fn a_stock_indicator_is_taken_at_the_period_end() {
    let ws = workspace();
    let cfg = ws.path().join("input/cchc.toml");
    let toml = std::fs::read_to_string(&cfg).unwrap().replace(
        "{ ma = \"CA02\", ten = \"Số tài khoản định danh điện tử mức 2 được kích hoạt\" }",
        "{ ma = \"CA02\", ten = \"Số tài khoản định danh điện tử mức 2 được kích hoạt\", loai = \"cuoi_ky\" }",
    );
    std::fs::write(&cfg, toml).unwrap();
    let q4 = data(ws.path(), "2024-Q4", &[]);
    let year = data(ws.path(), "2024", &[]);
    let ca02 = |d: &serde_json::Value| {
        d["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "CA02")
            .unwrap()
            .clone()
    };
    assert_eq!(ca02(&year)["kind"], "cuoi_ky");
    assert_eq!(ca02(&year)["value"]["value"], ca02(&q4)["value"]["value"]);
    assert_eq!(ca02(&year)["quarters"], serde_json::json!(["Quý IV/2024"]));
    // A kind cchc does not know is an error at its line, in the inputs (exit 1).
    let bad = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("loai = \"cuoi_ky\"", "loai = \"trung_binh\"");
    std::fs::write(&cfg, bad).unwrap();
    let o = cchc(ws.path(), &["check", "--period", "2024"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("trung_binh") && err.contains("cuoi_ky"),
        "{err}"
    );
}

#[test]
fn a_year_without_its_fourth_quarter_stops_unless_the_office_goes_on() {
    let ws = workspace();
    std::fs::remove_dir_all(ws.path().join("input/2024-Q4")).unwrap();
    let args = common::report_args("2024", "docx,pdf");
    let o = cchc(ws.path(), &args);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("--cho-phep-thieu"), "{err}");
    let (code, f) = common::findings(ws.path(), &["--period", "2024"]);
    assert_eq!(code, Some(1));
    assert!(
        f.iter().any(|[sev, kind, _, m]| sev == "Error"
            && kind == "quarter_missing"
            && m.contains("Quý IV/2024")),
        "{f:?}"
    );
    assert!(!ws.path().join("output/2024").exists());
    // An empty folder is no better than none.
    std::fs::create_dir(ws.path().join("input/2024-Q4")).unwrap();
    assert_eq!(cchc(ws.path(), &args).status.code(), Some(1));

    let mut go_on = args.to_vec();
    go_on.push("--cho-phep-thieu");
    let o = cchc(ws.path(), &go_on);
    let (_, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("cảnh báo") && err.contains("Quý IV/2024"),
        "{err}"
    );
    let (code, f) = common::findings(ws.path(), &["--period", "2024", "--cho-phep-thieu"]);
    assert_eq!(code, Some(0));
    assert!(
        f.iter()
            .any(|[sev, kind, _, _]| sev == "Warning" && kind == "quarter_missing"),
        "{f:?}"
    );
    let d = data(ws.path(), "2024", &["--cho-phep-thieu"]);
    assert_eq!(d["missing_quarters"], serde_json::json!(["Quý IV/2024"]));
    // The "sent" sentence is true per quarter, and no unit is listed as missing Q4.
    assert_eq!(d["sent_by_quarter"].as_array().unwrap().len(), 3);
    assert!(
        d["missing"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| !m.as_str().unwrap().contains("Quý IV"))
    );
    if client("pdftotext", &["-v"]) {
        let body = pdf_body(&ws.path().join("output/2024/bao-cao-cchc-nam-2024.pdf"));
        assert!(
            body.contains("Quý IV/2024: chưa có báo cáo của ngành, bộ phận nào"),
            "{body}"
        );
        assert!(body.contains("Báo cáo được lập khi còn thiếu số liệu Quý IV/2024"));
    }
}
