//! The annual report (issue #5 part 1): the year's one-stop figures against the four quarters'
//! workbooks read independently with calamine, the PAR INDEX self-assessment of
//! input/2024/van-phong.xlsx against its rows read independently and the plan's 2023 table,
//! the reader's and the check's findings on the sheet "Tự chấm điểm", and `cchc report` for
//! the year with the table in the PDF's text.

use crate::common;

use calamine::{Data, Reader};
use cchc::check;
use cchc::finding::Severity;
use cchc::sheets::Col;
use cchc::workspace::Workspace;
use cchc::{Config, Period};
use common::{cchc, client, root, text, workspace};
use rust_xlsxwriter::Workbook;

fn num(d: Option<&Data>) -> Option<i64> {
    match d? {
        Data::Float(f) => Some((f * 100.0).round() as i64),
        Data::Int(i) => Some(i * 100),
        _ => None,
    }
}

fn sheet(path: &str, name: &str) -> calamine::Range<Data> {
    let mut wb = calamine::open_workbook_auto(root().join(path)).unwrap();
    wb.worksheet_range(name).unwrap()
}

/// The 16 columns ((3)..(13), một phần, toàn trình, BCCI in, BCCI out, thư xin lỗi) summed
/// over the lĩnh vực rows of a quarter's Biểu 06 (rows with a name and numbers, not the total).
fn quarter_columns(q: u8) -> [i64; 16] {
    let r = sheet(&format!("input/2024-Q{q}/mot-cua.xlsx"), "Hồ sơ TTHC");
    let mut out = [0i64; 16];
    let mut rows = 0;
    for row in 0..r.height() {
        let name = match r.get((row, 1)) {
            Some(Data::String(s)) => s.clone(),
            _ => continue,
        };
        if name.to_lowercase().starts_with("tổng") {
            continue;
        }
        let Some(vals) = (0..16)
            .map(|c| num(r.get((row, 2 + c))))
            .collect::<Option<Vec<i64>>>()
        else {
            continue;
        };
        rows += 1;
        for (o, v) in out.iter_mut().zip(vals) {
            *o += v / 100;
        }
    }
    assert!(rows >= 3, "Q{q}: {rows} lĩnh vực rows");
    out
}

#[test]
fn year_one_stop_figures_are_the_quarters_sums() {
    let ws = Workspace::open(&root()).unwrap();
    let inputs = ws.load("2024".parse().unwrap(), false).unwrap();
    let data = ws.report_data(&inputs).expect("no error in the sample");
    let os = data.one_stop.expect("one-stop data");
    let qs: Vec<[i64; 16]> = (1..=4).map(quarter_columns).collect();
    let sum = |i: usize| qs.iter().map(|q| q[i]).sum::<i64>();
    let c = os.total.columns();
    // Flows: (4), (5), (7)..(10).
    for i in [1usize, 2, 4, 5, 6, 7] {
        assert_eq!(c[i].value, sum(i), "column ({})", i + 3);
    }
    // Stocks: (6) at the start is Q1's, (11)..(13) at the end are Q4's.
    assert_eq!(c[3].value, qs[0][3], "(6)");
    for i in 8..=10 {
        assert_eq!(c[i].value, qs[3][i], "({})", i + 3);
    }
    assert_eq!(c[0].value, c[1].value + c[2].value + c[3].value, "(3)");
    assert_eq!(os.total.get(Col::OnlinePartial).value, sum(11), "một phần");
    assert_eq!(os.total.get(Col::OnlineFull).value, sum(12), "toàn trình");
    assert_eq!(
        os.total.get(Col::BcciReceived).value,
        sum(13),
        "BCCI tiếp nhận"
    );
    assert_eq!(
        os.total.get(Col::BcciReturned).value,
        sum(14),
        "BCCI trả kết quả"
    );
    assert_eq!(os.total.get(Col::Apologies).value, sum(15), "thư xin lỗi");
}

/// (number, score, max) of the plan's 2023 table, read from the Markdown directly.
fn plan_2023() -> Vec<(String, i64, i64)> {
    let md = std::fs::read_to_string(root().join("input/ke-hoach.md")).unwrap();
    let hundredths =
        |t: &str| (t.trim().replace(',', ".").parse::<f64>().unwrap() * 100.0).round() as i64;
    md.lines()
        .skip_while(|l| !l.contains("Tăng/giảm so với năm"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let number = cells.get(1)?.to_string();
            if number.is_empty() {
                return None;
            }
            let (s, m) = cells.get(3)?.split_once('/')?;
            Some((number, hundredths(s), hundredths(m)))
        })
        .collect()
}

#[test]
fn self_assessment_totals_and_changes() {
    let ws = Workspace::open(&root()).unwrap();
    let inputs = ws.load("2024".parse().unwrap(), false).unwrap();
    assert!(
        !inputs
            .findings
            .iter()
            .any(|f| f.message.contains("tự chấm điểm") || f.message.contains("tiêu chí")),
        "{:#?}",
        inputs.findings
    );
    let data = ws.report_data(&inputs).unwrap();
    let sa = data
        .self_assessment
        .expect("self-assessment in the year report");

    // The sheet read independently: areas are the codes without a dot.
    let r = sheet("input/2024/van-phong.xlsx", "Tự chấm điểm");
    let mut areas: Vec<(String, i64, i64)> = Vec::new();
    let mut leaves_lost: Vec<String> = Vec::new();
    let mut all: Vec<(String, i64, i64)> = Vec::new();
    for row in 0..r.height() {
        let Some(Data::String(code)) = r.get((row, 0)) else {
            continue;
        };
        let (Some(max), Some(score)) = (num(r.get((row, 2))), num(r.get((row, 3)))) else {
            continue;
        };
        all.push((code.clone(), score, max));
        if !code.contains('.') {
            areas.push((code.clone(), score, max));
        }
    }
    for (code, score, max) in &all {
        let has_children = all
            .iter()
            .any(|(c, _, _)| c.starts_with(&format!("{code}.")));
        if !has_children && max > score {
            leaves_lost.push(code.clone());
        }
        if code.contains('.') {
            continue;
        }
        // In the sample, each area states the sum of its sub-criteria.
        let subs: Vec<_> = all
            .iter()
            .filter(|(c, _, _)| c.starts_with(&format!("{code}.")))
            .collect();
        if !subs.is_empty() {
            assert_eq!(*score, subs.iter().map(|s| s.1).sum::<i64>(), "area {code}");
            assert_eq!(
                *max,
                subs.iter().map(|s| s.2).sum::<i64>(),
                "area {code} max"
            );
        }
    }
    assert_eq!(areas.len(), 8);
    let maxima: Vec<i64> = areas.iter().map(|a| a.2 / 100).collect();
    assert_eq!(maxima, [20, 3, 16, 10, 6, 10, 5, 30]);
    let total: i64 = areas.iter().map(|a| a.1).sum();
    assert_eq!(sa.total.value, total);
    assert_eq!(sa.max.value, 10000);
    assert!((9600..=9700).contains(&total), "{total}");
    assert_eq!(sa.text, format!("{}/100", cchc::vn::hundredths(total)));

    // The change column: this year minus the plan's 2023 row at the same position.
    let prev = plan_2023();
    assert_eq!(prev.len(), 8, "{prev:?}");
    assert_eq!(sa.rows.len(), 8);
    for ((row, area), p) in sa.rows.iter().zip(&areas).zip(&prev) {
        assert_eq!(row.number, area.0);
        assert_eq!(row.number, p.0);
        assert_eq!(row.score.value, area.1);
        assert_eq!(row.max.value, p.2, "same maximum as 2023, area {}", p.0);
        assert_eq!(row.change_value, Some(area.1 - p.1), "area {}", p.0);
        assert_eq!(
            row.change.as_deref(),
            Some(cchc::vn::signed_hundredths(area.1 - p.1).as_str())
        );
        assert!(!row.score.sources.is_empty());
    }
    let prev_total: i64 = prev.iter().map(|p| p.1).sum();
    assert_eq!(sa.change_value, Some(total - prev_total));
    assert_eq!(sa.rows[1].change.as_deref(), Some("+0,25"));

    // The sub-criteria that lost points, with their reasons.
    let lost: Vec<&str> = sa.lost.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(
        lost,
        leaves_lost.iter().map(String::as_str).collect::<Vec<_>>()
    );
    for code in ["1.6", "2.2", "3.3.4", "4.1.4"] {
        assert!(lost.contains(&code), "{code} in {lost:?}");
    }
    assert!(
        sa.lost
            .iter()
            .all(|l| !l.reason.is_empty() && l.lost.value > 0)
    );

    // Quarterly reports have none.
    let q = ws.load("2024-Q4".parse().unwrap(), false).unwrap();
    assert!(ws.report_data(&q).unwrap().self_assessment.is_none());
}

fn config() -> Config {
    Config::parse(&std::fs::read_to_string(root().join("input/cchc.toml")).unwrap()).unwrap()
}

fn score_workbook(rows: &[(&str, &str, &str)], header: &[&str]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Tự chấm điểm").unwrap();
    ws.write(0, 0, "Đơn vị: Văn phòng UBND phường").unwrap();
    ws.write(
        1,
        0,
        "BẢNG TỰ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024",
    )
    .unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write(3, c as u16, *h).unwrap();
    }
    for (i, (code, max, score)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write(r, 0, *code).unwrap();
        ws.write(r, 1, format!("Tiêu chí {code}")).unwrap();
        for (c, v) in [(2u16, max), (3, score)] {
            match v.parse::<f64>() {
                Ok(n) => ws.write(r, c, n).unwrap(),
                Err(_) => ws.write(r, c, *v).unwrap(),
            };
        }
    }
    wb.save_to_buffer().unwrap()
}

const HEADER: [&str; 6] = [
    "Mã tiêu chí",
    "Tiêu chí, tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Tài liệu kiểm chứng",
    "Ghi chú (lý do mất điểm)",
];

#[test]
fn reader_locates_bad_scores_and_missing_columns() {
    let cfg = config();
    let file = "input/2024/van-phong.xlsx";
    let bytes = score_workbook(
        &[
            ("1", "20", "18,5"),
            ("1.1", "10", "mười"),
            ("1.2", "10", "12"),
            ("2", "3", "2.5"),
        ],
        &HEADER,
    );
    let (sub, f) = cchc::sheets::read_workbook(&bytes, file, &cfg);
    let sub = sub.unwrap();
    assert_eq!(sub.unit, "VP");
    let at = |cell: &str, words: &str| {
        f.iter().any(|x| {
            x.severity == Severity::Error
                && x.loc.to_string() == format!("{file} › Tự chấm điểm › {cell}")
                && x.message.contains(words)
        })
    };
    assert!(at("D6", "không phải là số"), "{f:#?}");
    assert!(at("D7", "lớn hơn điểm tối đa"), "{f:#?}");
    // No "Nhiệm vụ" sheet is required in a year workbook.
    assert!(!f.iter().any(|x| x.message.contains("Nhiệm vụ")), "{f:#?}");
    let codes: Vec<(&str, i64, i64)> = sub
        .self_assessment
        .iter()
        .map(|r| (r.code.as_str(), r.max, r.score))
        .collect();
    assert_eq!(codes, [("1", 2000, 1850), ("2", 300, 250)]);
    assert_eq!(
        sub.self_assessment[0].source.to_string(),
        format!("{file} › Tự chấm điểm › D5")
    );

    let bytes = score_workbook(&[("1", "20", "18")], &HEADER[..3]);
    let (_, f) = cchc::sheets::read_workbook(&bytes, file, &cfg);
    assert!(
        f.iter().any(|x| x.is_error()
            && x.loc.to_string() == format!("{file} › Tự chấm điểm › A4")
            && x.message.contains("Điểm tự chấm")),
        "{f:#?}"
    );
}

#[test]
fn check_warns_on_area_sums_and_missing_self_assessment() {
    let cfg = config();
    let year: Period = "2024".parse().unwrap();
    let file = "input/2024/van-phong.xlsx";
    let bytes = score_workbook(
        &[("1", "20", "19"), ("1.1", "10", "9"), ("1.2", "10", "9,5")],
        &HEADER,
    );
    let (sub, f) = cchc::sheets::read_workbook(&bytes, file, &cfg);
    assert!(!f.iter().any(|x| x.is_error()), "{f:#?}");
    let subs = vec![sub.unwrap()];
    let f = check::check_year(&year, Some("input/2024"), &subs, &cfg);
    assert!(
        f.iter().any(|x| x.severity == Severity::Warning
            && x.loc.to_string() == format!("{file} › Tự chấm điểm › D5")
            && x.message.contains("18,5")),
        "{f:#?}"
    );
    // A year without the self-assessment: a warning; a quarter: nothing.
    let f = check::check_year(&year, Some("input/2024"), &[], &cfg);
    assert!(
        f.iter()
            .any(|x| x.severity == Severity::Warning && x.message.contains("tự chấm điểm")),
        "{f:#?}"
    );
    let q4: Period = "2024-Q4".parse().unwrap();
    assert!(check::check_year(&q4, None, &[], &cfg).is_empty());

    // The workspace without input/2024/: still a report, with the warning.
    let tmp = workspace();
    std::fs::remove_dir_all(tmp.path().join("input/2024")).unwrap();
    let ws = Workspace::open(tmp.path()).unwrap();
    let inputs = ws.load(year, false).unwrap();
    assert!(
        inputs
            .findings
            .iter()
            .any(|x| x.message.contains("tự chấm điểm"))
    );
    assert!(ws.report_data(&inputs).unwrap().self_assessment.is_none());
}

#[test]
fn annual_report_prints_the_self_assessment() {
    let tmp = workspace();
    let o = cchc(
        tmp.path(),
        &[
            "report",
            "--period",
            "2024",
            "--ngay",
            "2024-12-12",
            "--so",
            "30",
        ],
    );
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let pdf = tmp.path().join("output/2024/bao-cao-cchc-nam-2024.pdf");
    assert!(pdf.is_file(), "{out}");
    assert!(
        tmp.path()
            .join("output/2024/bao-cao-cchc-nam-2024.docx")
            .is_file()
    );
    if !client("pdftotext", &["-v"]) {
        return;
    }
    let t = common::squash(&common::pdftotext_raw(&pdf));
    let ws = Workspace::open(tmp.path()).unwrap();
    let data = ws
        .report_data(&ws.load("2024".parse().unwrap(), false).unwrap())
        .unwrap();
    let sa = data.self_assessment.unwrap();
    let total_row = format!("CHỈ SỐ CCHC {}", sa.text);
    assert!(t.contains(&total_row), "{total_row} not in the PDF text");
    assert!(t.contains("Kết quả tự chấm điểm Chỉ số cải cách hành chính năm 2024"));
    assert!(t.contains("Tiêu chí 4.1.4"));
}
