//! The data side on values: readers (xlsx made here, .xls and .ods made by LibreOffice), every
//! kind of finding, the sample's 2024-Q2 figures against an independent computation from the
//! same cells, and the real-world workbooks of ../shared/realworld.

use calamine::{Data, Reader};
use cchc::check::{self, Quarter};
use cchc::finding::{Finding, Kind, Loc, Severity};
use cchc::sheets::{self, Col, Status, Submission};
use cchc::workspace::Workspace;
use cchc::{Config, Period, plan, report};
use rust_xlsxwriter::{Format, Formula, Workbook};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Biểu 06's (3) to (13) of a row, in order.
fn official(d: &sheets::DossierRow) -> Vec<i64> {
    Col::OFFICIAL.iter().map(|c| d.value(*c)).collect()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> Config {
    Config::parse(&std::fs::read_to_string(root().join("input/cchc.toml")).unwrap()).unwrap()
}

/// The sample workspace's plan.
fn sample_plan(cfg: &Config) -> cchc::Plan {
    let (plan, findings) = plan::parse(
        &std::fs::read_to_string(root().join("input/ke-hoach.md")).unwrap(),
        "input/ke-hoach.md",
        cfg,
    );
    plan.unwrap_or_else(|| panic!("{findings:?}"))
}

fn messages(f: &[Finding]) -> Vec<String> {
    f.iter().map(|f| f.to_string()).collect()
}

/// Whether a finding of this severity and kind is at `place`.
fn has(f: &[Finding], sev: Severity, kind: Kind, place: &str) -> bool {
    f.iter()
        .any(|f| f.severity == sev && f.kind == kind && f.loc.to_string() == place)
}

/// Whether a finding of `kind` names `what` (a task code, a unit).
fn says(f: &[Finding], kind: Kind, what: &str) -> bool {
    f.iter().any(|f| f.kind == kind && f.message.contains(what))
}

/// A "Nhiệm vụ" sheet with title rows above the header, columns in an unusual order, NFD text,
/// a date as text and a date cell.
fn task_workbook(unit_title: &str, rows: &[(&str, &str)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("NHIỆM VỤ").unwrap();
    ws.write(0, 0, "UBND PHƯỜNG PHÚ LÃM").unwrap();
    ws.write(1, 0, unit_title).unwrap();
    ws.write(2, 0, "BÁO CÁO KẾT QUẢ QUÝ II NĂM 2024").unwrap();
    let header = [
        "Kết quả thực hiện",
        "Tình trạng",
        "STT",
        "Mã nhiệm vụ",
        "Ngày hoàn thành",
        "Ghi chú riêng",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write(4, c as u16, *h).unwrap();
    }
    for (i, (code, status)) in rows.iter().enumerate() {
        let r = 5 + i as u32;
        let nfd: String = "Đã ban hành kế hoạch số 12/KH-UBND".nfd().collect();
        // The second row's result is a list typed line by line (Alt+Enter), untidily.
        let typed = if i == 1 {
            "  - Việc một \r\n\r\n  - Việc   hai\n"
        } else {
            nfd.as_str()
        };
        ws.write(r, 0, typed).unwrap();
        ws.write(r, 1, *status).unwrap();
        ws.write(r, 2, (i + 1) as f64).unwrap();
        ws.write(r, 3, *code).unwrap();
        if i == 0 {
            ws.write(r, 4, "05/6/2024").unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// Markup in a plan's task name is an error at its line, as the plan's own document (cchc plan)
/// already said; written `\\<` it is the character itself.
#[test]
fn html_in_a_plan_task_is_an_error_and_an_escaped_bracket_is_text() {
    let cfg = config();
    let src = std::fs::read_to_string(root().join("input/ke-hoach.md")).unwrap();
    let (line, row) = src
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("| 2 | Tìm kiếm các mô hình"))
        .map(|(i, l)| (i + 1, l.to_string()))
        .expect("task 2 of Appendix I");
    let with =
        |name: &str| src.replace(&row, &row.replacen("| 2 | ", &format!("| 2 | {name} "), 1));
    let (_, findings) = plan::parse(&with("A <b>"), "input/ke-hoach.md", &cfg);
    assert!(
        has(
            &findings,
            Severity::Error,
            Kind::UnsupportedHtml,
            &format!("input/ke-hoach.md:{line}")
        ),
        "{:?}",
        messages(&findings)
    );
    let (plan, findings) = plan::parse(
        &with("A \\<b> <br> <!-- note -->"),
        "input/ke-hoach.md",
        &cfg,
    );
    assert!(
        findings.iter().all(|f| !f.is_error()),
        "{:?}",
        messages(&findings)
    );
    let plan = plan.expect("a plan");
    let task = plan
        .tasks
        .iter()
        .find(|t| t.text.starts_with("A <b>"))
        .expect("the task keeps its text");
    assert!(task.text.starts_with("A <b>\n"), "{:?}", task.text);
}

#[test]
fn reads_title_block_odd_columns_nfd_and_dates() {
    let cfg = config();
    let bytes = task_workbook(
        "Đơn vị: BỘ PHẬN TƯ PHÁP",
        &[("pl1.2", "Hoàn thành"), ("PL2-III-4", "đang thực hiện")],
    );
    let (sub, f) = sheets::read_workbook(&bytes, "input/2024-Q2/bat-ky.xlsx", &cfg);
    assert!(f.is_empty(), "{:?}", messages(&f));
    let sub = sub.unwrap();
    assert_eq!(sub.unit, "TP");
    assert_eq!(
        sub.unit_source.to_string(),
        "input/2024-Q2/bat-ky.xlsx › NHIỆM VỤ › A2"
    );
    assert_eq!(sub.tasks.len(), 2);
    assert_eq!(sub.tasks[0].code, "PL1.2");
    assert_eq!(sub.tasks[1].code, "PL2.III.4");
    assert_eq!(sub.tasks[1].status, Status::InProgress);
    assert_eq!(
        sub.tasks[0].done_date,
        chrono::NaiveDate::from_ymd_opt(2024, 6, 5)
    );
    // NFD in the cell comes back NFC.
    assert_eq!(sub.tasks[0].result, "Đã ban hành kế hoạch số 12/KH-UBND");
    assert!(sub.tasks[0].result.nfc().eq(sub.tasks[0].result.chars()));
    // Lines typed in a cell are kept, each tidied; blank lines go.
    assert_eq!(sub.tasks[1].result, "- Việc một\n- Việc hai");
    assert_eq!(
        sub.tasks[0].source.to_string(),
        "input/2024-Q2/bat-ky.xlsx › NHIỆM VỤ › D6"
    );
}

#[test]
fn unit_from_file_name_when_no_title_cell() {
    let cfg = config();
    let bytes = task_workbook("Báo cáo quý", &[("PL1.4", "Hoàn thành")]);
    let (sub, f) = sheets::read_workbook(&bytes, "input/2024-Q2/Van hoa thong tin.xlsx", &cfg);
    assert!(f.is_empty(), "{:?}", messages(&f));
    assert_eq!(sub.unit_ok(), "VHTT");
}

trait UnitOk {
    fn unit_ok(&self) -> String;
}
impl UnitOk for Option<Submission> {
    fn unit_ok(&self) -> String {
        self.as_ref().map(|s| s.unit.clone()).unwrap_or_default()
    }
}

/// A one-stop workbook: two-level merged Biểu 06 header, a column-number row, numbers as text,
/// and a SIPAS sheet. `late` overrides column (10) of the first row, to break an identity.
fn one_stop_workbook(first_row: [&str; 11]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let merge = Format::new().set_bold();
    {
        let ws = wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
        ws.write(0, 0, "Đơn vị báo cáo: BP Một cửa").unwrap();
        ws.write(2, 0, "Mã nhiệm vụ").unwrap();
        ws.write(2, 1, "Tình trạng").unwrap();
        ws.write(3, 0, "PL1.11").unwrap();
        ws.write(3, 1, "Hoàn thành").unwrap();
    }
    {
        let ws = wb.add_worksheet().set_name("Hồ sơ TTHC").unwrap();
        ws.write(0, 0, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC")
            .unwrap();
        ws.merge_range(3, 0, 4, 0, "STT", &merge).unwrap();
        ws.merge_range(3, 1, 4, 1, "Lĩnh vực", &merge).unwrap();
        ws.merge_range(3, 2, 3, 5, "Số hồ sơ nhận giải quyết", &merge)
            .unwrap();
        ws.merge_range(3, 6, 3, 9, "Số hồ sơ đã giải quyết", &merge)
            .unwrap();
        ws.merge_range(3, 10, 3, 12, "Số hồ sơ đang giải quyết", &merge)
            .unwrap();
        ws.merge_range(3, 13, 3, 14, "Dịch vụ công trực tuyến", &merge)
            .unwrap();
        let sub = [
            "Tổng số",
            "Trực tuyến",
            "Trực tiếp, dịch vụ bưu chính",
            "Từ kỳ trước",
            "Tổng số",
            "Trước hạn",
            "Đúng hạn",
            "Quá hạn",
            "Tổng số",
            "Trong hạn",
            "Quá hạn",
            "Mức độ 3",
            "Mức độ 4",
        ];
        for (i, s) in sub.iter().enumerate() {
            ws.write(4, 2 + i as u16, *s).unwrap();
        }
        for c in 0..15u16 {
            ws.write(5, c, format!("({})", c + 1)).unwrap();
        }
        ws.write(6, 0, 1).unwrap();
        ws.write(6, 1, "Chứng thực").unwrap();
        for (i, v) in first_row.iter().enumerate() {
            ws.write(6, 2 + i as u16, *v).unwrap();
        }
        ws.write(6, 13, 100).unwrap();
        ws.write(6, 14, 20).unwrap();
        ws.write(7, 0, 2).unwrap();
        ws.write(7, 1, "Hộ tịch").unwrap();
        let second = [
            1000.0, 300.0, 690.0, 10.0, 990.0, 900.0, 90.0, 0.0, 10.0, 10.0, 0.0,
        ];
        for (i, v) in second.iter().enumerate() {
            ws.write(7, 2 + i as u16, *v).unwrap();
        }
        ws.write(7, 13, 250).unwrap();
        ws.write(7, 14, 50).unwrap();
        ws.write(8, 1, "Tổng cộng").unwrap();
        ws.write_formula(8, 2, Formula::new("=SUM(C7:C8)").set_result("9999"))
            .unwrap();
    }
    {
        let ws = wb.add_worksheet().set_name("SIPAS").unwrap();
        let h = [
            "STT",
            "Yếu tố",
            "Rất hài lòng",
            "Hài lòng",
            "Bình thường",
            "Không hài lòng",
            "Rất không hài lòng",
        ];
        for (c, t) in h.iter().enumerate() {
            ws.write(1, c as u16, *t).unwrap();
        }
        for f in 0..5u32 {
            ws.write(2 + f, 0, f + 1).unwrap();
            ws.write(2 + f, 1, format!("Yếu tố {}", f + 1)).unwrap();
            for (c, v) in [60, 38, 2, 0, 0].iter().enumerate() {
                ws.write(2 + f, 2 + c as u16, *v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

const GOOD_ROW: [&str; 11] = [
    "1.245", "120", "1.115", "10", "1.200", "1.000", "198", "2", "45", "40", "5",
];

#[test]
fn reads_two_level_merged_header_numbers_as_text_and_old_level_names() {
    let cfg = config();
    let (sub, f) =
        sheets::read_workbook(&one_stop_workbook(GOOD_ROW), "input/2024-Q2/x.xlsx", &cfg);
    let sub = sub.unwrap();
    assert_eq!(sub.unit, "MC");
    assert_eq!(sub.dossiers.len(), 2, "{:?}", messages(&f));
    let d = &sub.dossiers[0];
    assert_eq!(d.field, "Chứng thực");
    assert_eq!(
        official(d),
        [1245, 120, 1115, 10, 1200, 1000, 198, 2, 45, 40, 5]
    );
    assert_eq!(d.given(Col::OnlinePartial).unwrap().value, 100);
    assert_eq!(d.given(Col::OnlineFull).unwrap().value, 20);
    assert_eq!(
        d.get(Col::Received).source.to_string(),
        "input/2024-Q2/x.xlsx › Hồ sơ TTHC › C7"
    );
    // The stated total (9999) differs from the sum of the rows (2245): a warning at its cell.
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::TotalMismatch,
            "input/2024-Q2/x.xlsx › Hồ sơ TTHC › C9"
        ),
        "{:?}",
        messages(&f)
    );
    assert_eq!(sub.sipas.len(), 5);
    assert_eq!(sub.sipas[4].answers[1].value, 38);
}

#[test]
fn bad_cells_are_located_errors() {
    let cfg = config();
    let mut row = GOOD_ROW;
    row[1] = "mười";
    row[7] = "-2";
    let (_, f) = sheets::read_workbook(&one_stop_workbook(row), "q/x.xlsx", &cfg);
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::NotANumber,
            "q/x.xlsx › Hồ sơ TTHC › D7"
        ),
        "{:?}",
        messages(&f)
    );
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::Negative,
            "q/x.xlsx › Hồ sơ TTHC › J7"
        ),
        "{:?}",
        messages(&f)
    );

    let bytes = task_workbook(
        "Đơn vị: Tư pháp",
        &[("PL1.2", "Xong rồi"), ("12", "Hoàn thành")],
    );
    let (_, f) = sheets::read_workbook(&bytes, "q/tp.xlsx", &cfg);
    assert!(has(
        &f,
        Severity::Error,
        Kind::StatusUnknown,
        "q/tp.xlsx › NHIỆM VỤ › B6"
    ));
    assert!(has(
        &f,
        Severity::Error,
        Kind::BadCode,
        "q/tp.xlsx › NHIỆM VỤ › D7"
    ));
}

#[test]
fn error_cells_missing_columns_empty_sheets_corrupt_files() {
    let cfg = config();
    // An error cell (#REF!) in the status column.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
    ws.write(0, 0, "Đơn vị: Công an phường").unwrap();
    ws.write(1, 0, "Mã nhiệm vụ").unwrap();
    ws.write(1, 1, "Tình trạng").unwrap();
    ws.write(2, 0, "PL1.17").unwrap();
    ws.write_formula(2, 1, Formula::new("=#REF!").set_result("#REF!"))
        .unwrap();
    let (_, f) = sheets::read_workbook(&wb.save_to_buffer().unwrap(), "q/ca.xlsx", &cfg);
    assert!(
        f.iter()
            .any(|f| f.is_error() && f.loc.to_string() == "q/ca.xlsx › Nhiệm vụ › B3"),
        "{:?}",
        messages(&f)
    );

    // Missing required column.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
    ws.write(0, 0, "Đơn vị: Công an phường").unwrap();
    ws.write(1, 0, "Mã nhiệm vụ").unwrap();
    ws.write(1, 1, "Kết quả").unwrap();
    let (_, f) = sheets::read_workbook(&wb.save_to_buffer().unwrap(), "q/ca.xlsx", &cfg);
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::ColumnMissing,
            "q/ca.xlsx › Nhiệm vụ › A2"
        ),
        "{:?}",
        messages(&f)
    );

    // A header with the status title left blank, over a data row: still one header row, and
    // only the column really missing is named; the others as the sheet writes them.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
    ws.write(0, 0, "Đơn vị: Công an phường").unwrap();
    for (c, t) in ["STT", "Mã nhiệm vụ", "", "Kết quả thực hiện"]
        .iter()
        .enumerate()
    {
        ws.write(1, c as u16, *t).unwrap();
    }
    for (c, t) in ["1", "PL1.17", "Hoàn thành", "Đã xong"].iter().enumerate() {
        ws.write(2, c as u16, *t).unwrap();
    }
    let (_, f) = sheets::read_workbook(&wb.save_to_buffer().unwrap(), "q/ca.xlsx", &cfg);
    assert_eq!(
        messages(&f),
        [
            "lỗi: q/ca.xlsx › Nhiệm vụ › A2: dòng tiêu đề thiếu cột \"Tình trạng\" \
          (có các cột: STT | Mã nhiệm vụ | Kết quả thực hiện)"
        ]
    );

    // An empty required sheet (the unit taken from the file name).
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
    let (_, f) = sheets::read_workbook(&wb.save_to_buffer().unwrap(), "q/cong-an.xlsx", &cfg);
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::SheetEmpty,
            "q/cong-an.xlsx › Nhiệm vụ"
        ),
        "{:?}",
        messages(&f)
    );

    // Not a workbook: random bytes, and a DOCX renamed .xlsx.
    let (s, f) = sheets::read_workbook(b"this is not a spreadsheet", "q/hong.xlsx", &cfg);
    assert!(s.is_none() && has(&f, Severity::Error, Kind::Unreadable, "q/hong.xlsx"));
    let docx = cchc::docx::write(&cchc::doc::specimen()).unwrap();
    let (s, f) = sheets::read_workbook(&docx, "q/doi-ten.xlsx", &cfg);
    assert!(
        s.is_none() && f.iter().all(|f| f.is_error()) && !f.is_empty(),
        "{:?}",
        messages(&f)
    );

    // An unknown unit in the title cell: an error at that cell, or, when the file name
    // names a unit, a warning and that unit.
    let bytes = task_workbook("Đơn vị: Phòng Quản lý đô thị", &[("PL1.1", "Hoàn thành")]);
    let (s, f) = sheets::read_workbook(&bytes, "q/tu-phap.xlsx", &cfg);
    assert_eq!(s.map(|s| s.unit).as_deref(), Some("TP"));
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::UnitNotInConfig,
            "q/tu-phap.xlsx › NHIỆM VỤ › A2"
        ),
        "{:?}",
        messages(&f)
    );
    let (s, f) = sheets::read_workbook(&bytes, "q/qldt.xlsx", &cfg);
    assert!(
        s.is_none()
            && has(
                &f,
                Severity::Error,
                Kind::UnitNotInConfig,
                "q/qldt.xlsx › NHIỆM VỤ › A2"
            )
    );
}

#[test]
fn xls_and_ods_made_by_libreoffice() {
    let cfg = config();
    let xls = std::fs::read(root().join("tests/fixtures/mot-cua.xls")).unwrap();
    let (sub, f) = sheets::read_workbook(&xls, "fx/mot-cua.xls", &cfg);
    assert!(!f.iter().any(Finding::is_error), "{:?}", messages(&f));
    let sub = sub.unwrap();
    assert_eq!(sub.unit, "MC");
    assert!(sub.dossiers.len() >= 5 && sub.sipas.len() == 5 && !sub.tasks.is_empty());
    // Same numbers as the .xlsx it was converted from.
    let xlsx = std::fs::read(root().join("input/2024-Q2/mot-cua.xlsx")).unwrap();
    let (orig, _) = sheets::read_workbook(&xlsx, "input/2024-Q2/mot-cua.xlsx", &cfg);
    let orig = orig.unwrap();
    let c = |s: &Submission| s.dossiers.iter().map(official).collect::<Vec<_>>();
    assert_eq!(c(&sub), c(&orig));

    let ods = std::fs::read(root().join("tests/fixtures/tu-phap.ods")).unwrap();
    let (sub, f) = sheets::read_workbook(&ods, "fx/tu-phap.ods", &cfg);
    assert!(!f.iter().any(Finding::is_error), "{:?}", messages(&f));
    let sub = sub.unwrap();
    assert_eq!(sub.unit, "TP");
    assert!(!sub.tasks.is_empty() && sub.tasks.iter().all(|t| t.code.starts_with("PL")));
}

fn quarter(period: Period, subs: Vec<Submission>) -> Quarter {
    Quarter {
        period,
        folder: Some(format!("input/{period}")),
        submissions: subs,
        in_period: true,
        lists: Vec::new(),
        counted: None,
    }
}

#[test]
fn cross_workbook_findings() {
    let cfg = config();
    let plan = sample_plan(&cfg);
    let q2 = Period::quarter(2024, 2);
    let read = |bytes: Vec<u8>, name: &str| sheets::read_workbook(&bytes, name, &cfg).0.unwrap();
    let a = read(
        task_workbook("Đơn vị: Tư pháp", &[("PL1.99", "Hoàn thành")]),
        "input/2024-Q2/a.xlsx",
    );
    let b = read(
        task_workbook("Đơn vị: Tư pháp", &[("PL2.V.2", "Hoàn thành")]),
        "input/2024-Q2/b.xlsx",
    );
    let mut bad = GOOD_ROW;
    bad[7] = "7"; // (7) = (8) + (9) + (10) broken
    let mc = read(one_stop_workbook(bad), "input/2024-Q2/mc.xlsx");
    let f = check::check(&plan, &[quarter(q2, vec![a, b, mc])], &cfg);
    let m = messages(&f);
    assert!(
        f.iter()
            .any(|f| f.is_error() && f.kind == Kind::UnitTwice && f.message.contains("Tư pháp")),
        "{m:?}"
    );
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::TaskNotInPlan,
            "input/2024-Q2/a.xlsx › NHIỆM VỤ › D6"
        ),
        "{m:?}"
    );
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::IdentityBroken,
            "input/2024-Q2/mc.xlsx › Hồ sơ TTHC › G7"
        ),
        "{m:?}"
    );
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::UnitNotReported,
            "input/2024-Q2"
        ),
        "{m:?}"
    );
    assert!(
        f.iter().any(|f| f.severity == Severity::Warning
            && f.kind == Kind::TaskNotReported
            && f.message.contains("PL1.3")),
        "{m:?}"
    );
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::TotalMismatch,
            "input/ke-hoach.md:66"
        ),
        "{m:?}"
    );
    // An overdue task: PL1.2 (due Tháng 9/2024) still in progress at the Q4 cut-off.
    let q4 = Period::quarter(2024, 4);
    let vp = read(
        task_workbook("Đơn vị: Văn phòng", &[("PL1.2", "Đang thực hiện")]),
        "input/2024-Q4/vp.xlsx",
    );
    let f = check::check(&plan, &[quarter(q4, vec![vp])], &cfg);
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::TaskOverdue,
            "input/2024-Q4/vp.xlsx › NHIỆM VỤ › D6"
        ),
        "{:?}",
        messages(&f)
    );
    assert!(says(&f, Kind::TaskOverdue, "30/9/2024"));
}

/// The sample workspace: check is clean of errors and reports the deliberate findings.
#[test]
fn sample_workspace_findings() {
    let ws = Workspace::open(&root()).unwrap();
    for p in [
        "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-6T", "2024",
    ] {
        let inputs = ws.load(p.parse().unwrap(), false).unwrap();
        let m = messages(&inputs.findings);
        assert!(!inputs.findings.iter().any(Finding::is_error), "{p}: {m:?}");
        let f = &inputs.findings;
        assert!(says(f, Kind::TotalMismatch, "95,06"), "{p}: {m:?}");
        let missing = says(f, Kind::UnitNotReported, "Bộ phận Tài chính - Kế toán");
        assert_eq!(missing, p == "2024-Q3" || p == "2024", "{p}: {m:?}");
        let overdue = says(f, Kind::TaskOverdue, "PL1.2");
        assert_eq!(overdue, p == "2024-Q4" || p == "2024", "{p}: {m:?}");
    }
}

/// Column index of a header text (folded) in a row, read straight from calamine.
fn col(range: &calamine::Range<Data>, row: usize, text: &str) -> usize {
    (0..range.width())
        .find(|c| {
            range
                .get((row, *c))
                .is_some_and(|d| d.to_string().trim() == text)
        })
        .unwrap()
}

/// The Q2 one-stop figures, computed here from the cells with calamine alone.
#[test]
fn q2_figures_against_an_independent_computation() {
    let path = root().join("input/2024-Q2/mot-cua.xlsx");
    let mut wb = calamine::open_workbook_auto(&path).unwrap();
    let range = wb.worksheet_range("Hồ sơ TTHC").unwrap();
    let num = |range: &calamine::Range<Data>, r: usize, c: usize| -> i64 {
        match range.get((r, c)) {
            Some(Data::Float(f)) => *f as i64,
            Some(Data::Int(i)) => *i,
            Some(Data::String(s)) => s.replace('.', "").trim().parse().unwrap_or(0),
            _ => 0,
        }
    };
    let header_row = (0..range.height())
        .find(|r| (0..range.width()).any(|c| range.get((*r, c)).is_some_and(|d| *d == "Lĩnh vực")))
        .unwrap();
    let field_col = col(&range, header_row, "Lĩnh vực");
    let sub = header_row + 1;
    let totals = (0..range.width())
        .filter(|c| range.get((sub, *c)).is_some_and(|d| *d == "Tổng số"))
        .collect::<Vec<_>>();
    let (c3, c7, c11) = (totals[0], totals[1], totals[2]);
    let mut sums = [0i64; 11];
    let mut r = sub + 1;
    while r < range.height() {
        let name = range
            .get((r, field_col))
            .map(|d| d.to_string())
            .unwrap_or_default();
        if !name.is_empty() && !name.starts_with('(') && !name.starts_with("Tổng") {
            for (i, c) in (c3..c3 + 4)
                .chain(c7..c7 + 4)
                .chain(c11..c11 + 3)
                .enumerate()
            {
                sums[i] += num(&range, r, c);
            }
        }
        r += 1;
    }
    let ws = Workspace::open(&root()).unwrap();
    let inputs = ws.load("2024-Q2".parse().unwrap(), false).unwrap();
    let data = ws.report_data(&inputs).unwrap();
    let one = data.one_stop.as_ref().unwrap();
    let got: Vec<i64> = one.total.columns().iter().map(|f| f.value).collect();
    assert_eq!(got, sums.to_vec());
    // Ratios, rounded half up, computed here with floats.
    let online = sums[1] as f64 / (sums[1] + sums[2]) as f64 * 100.0;
    assert_eq!(
        one.online_share.as_ref().unwrap().value,
        (online * 100.0 + 0.5).floor() as i64
    );
    let on_time = (sums[5] + sums[6]) as f64 / sums[4] as f64 * 100.0;
    assert_eq!(
        one.on_time_share.as_ref().unwrap().value,
        (on_time * 100.0 + 0.5).floor() as i64
    );
    // Every figure names its cells.
    assert!(one.total.columns().iter().all(|f| !f.sources.is_empty()));
    // The sample's Biểu 06 is counted from the one-stop software's list, whose rows it cites.
    assert!(
        matches!(&one.total.columns()[0].sources[0], Loc::Rows { file, .. } if file == "input/2024-Q2/mot-cua-so-theo-doi.xlsx"),
        "{:?}",
        one.total.columns()[0].sources
    );
    // SIPAS overall: mean of the factors' satisfied shares.
    let s = data.sipas.as_ref().unwrap();
    let range = wb.worksheet_range("SIPAS").unwrap();
    let hr = (0..range.height())
        .find(|r| {
            range
                .get((*r, 2))
                .is_some_and(|d| d.to_string().contains("Rất hài lòng"))
                || (0..range.width())
                    .any(|c| range.get((*r, c)).is_some_and(|d| *d == "Rất hài lòng"))
        })
        .unwrap();
    let c0 = col(&range, hr, "Rất hài lòng");
    let mut shares = Vec::new();
    for r in hr + 1..range.height() {
        let vals: Vec<i64> = (c0..c0 + 5).map(|c| num(&range, r, c)).collect();
        let total: i64 = vals.iter().sum();
        if total > 0 {
            shares.push((vals[0] + vals[1]) as f64 / total as f64 * 100.0);
        }
    }
    assert_eq!(shares.len(), 5);
    let rounded: Vec<i64> = shares
        .iter()
        .map(|x| (x * 100.0 + 0.5).floor() as i64)
        .collect();
    assert_eq!(
        s.factors
            .iter()
            .map(|f| f.satisfied.value)
            .collect::<Vec<_>>(),
        rounded
    );
    let mean = rounded.iter().sum::<i64>() as f64 / 5.0;
    assert_eq!(s.overall.value, (mean + 0.5).floor() as i64);
    // The index table: recomputed total and the seed's stated total.
    let ix = data.index.as_ref().unwrap();
    assert_eq!(ix.total.text, "95,6");
    assert_eq!(ix.stated_total.as_deref(), Some("95,06/100"));
    assert!(!ix.total_matches);
}

#[test]
fn data_json_carries_sources() {
    let ws = Workspace::open(&root()).unwrap();
    let inputs = ws.load("2024-Q2".parse().unwrap(), false).unwrap();
    let data = ws.report_data(&inputs).unwrap();
    let json = serde_json::to_value(&data).unwrap();
    assert_eq!(json["period"]["from"], "15/3/2024");
    assert_eq!(json["period"]["to"], "14/6/2024");
    let t = json["tasks"].as_array().unwrap();
    assert_eq!(t.len(), 33);
    let reported = t
        .iter()
        .flat_map(|t| t["reports"].as_array().unwrap())
        .collect::<Vec<_>>();
    assert!(!reported.is_empty());
    assert!(reported.iter().all(|r| r["source"]["kind"] == "cell"));
    let _ = report::Figure {
        value: 0,
        unit: "count",
        text: String::new(),
        sources: vec![],
    };
}

/// Real workbooks from public Vietnamese projects: each is answered with located findings (or
/// read), never a panic or a silent skip.
#[test]
fn realworld_workbooks_get_located_findings() {
    let dir = root().join("../shared/realworld");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "../shared/realworld is missing under CI"
        );
        eprintln!("bỏ qua: không có {}", dir.display());
        return;
    }
    let cfg = config();
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if !["xls", "xlsx", "ods", "xlsm"].contains(&ext.as_str()) {
            continue;
        }
        n += 1;
        let name = format!("input/2024-Q2/{}", p.file_name().unwrap().to_string_lossy());
        let bytes = std::fs::read(&p).unwrap();
        let (sub, f) =
            std::panic::catch_unwind(|| sheets::read_workbook(&bytes, &name, &cfg)).expect(&name);
        assert!(
            sub.is_some() || f.iter().any(Finding::is_error),
            "{name}: neither read nor an error"
        );
        for finding in &f {
            assert!(
                !matches!(finding.loc, Loc::Nowhere),
                "{name}: finding without a place: {finding}"
            );
            assert!(finding.loc.to_string().starts_with(&name), "{finding}");
        }
    }
    assert_eq!(n, 13);
}

#[test]
fn check_command_on_a_folder_of_realworld_files_exits_1() {
    let dir = root().join("../shared/realworld");
    if !dir.is_dir() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    std::fs::create_dir_all(ws.join("input/2024-Q2")).unwrap();
    for f in ["cchc.toml", "ke-hoach.md"] {
        std::fs::copy(root().join("input").join(f), ws.join("input").join(f)).unwrap();
    }
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, ws.join("input/2024-Q2").join(p.file_name().unwrap())).unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cchc"))
        .args(["check", "--workspace"])
        .arg(ws)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lỗi: input/2024-Q2/gdnn__bieu03-GDNN-CS_203.xlsx: thiếu sheet \"Nhiệm vụ\""),
        "{err}"
    );
    assert!(err.contains("SOURCES.md: bỏ qua"), "{err}");
    assert!(!Path::new(&ws.join("output/2024-Q2")).exists());
}

/// `bytes` with one part of the zip cut to its first half (a workbook damaged in transit).
fn with_part_cut(bytes: &[u8], part: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == part {
            data.truncate(data.len() / 2);
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// One error for each cause: a damaged task sheet is unreadable, not also missing; a task row
/// in error, or with a code the plan lacks, is not also reported as a missing row.
#[test]
fn one_finding_per_cause() {
    let cfg = config();
    let plan = sample_plan(&cfg);
    let q2 = Period::quarter(2024, 2);
    // Tư pháp leads PL2.V.2 (monthly); PL1.1 is another unit's task.
    let good = task_workbook("Đơn vị: Tư pháp", &[("PL1.1", "Hoàn thành")]);

    let damaged = with_part_cut(&good, "xl/worksheets/sheet1.xml");
    let (sub, f) = sheets::read_workbook(&damaged, "input/2024-Q2/tp.xlsx", &cfg);
    let m = messages(&f);
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::Unreadable,
            "input/2024-Q2/tp.xlsx › NHIỆM VỤ"
        ),
        "{m:?}"
    );
    assert!(!f.iter().any(|f| f.kind == Kind::SheetMissing), "{m:?}");
    let mut all = f;
    if let Some(sub) = sub {
        all.extend(check::check(&plan, &[quarter(q2, vec![sub])], &cfg));
    }
    let m = messages(&all);
    assert!(
        !all.iter().any(|f| f.kind == Kind::TaskNotReported),
        "{m:?}"
    );

    for (code, status) in [("PL2.V.2", "Tạm dừng"), ("PL1.99", "Hoàn thành")] {
        let bytes = task_workbook("Đơn vị: Tư pháp", &[(code, status)]);
        let (sub, mut f) = sheets::read_workbook(&bytes, "input/2024-Q2/tp.xlsx", &cfg);
        f.extend(check::check(
            &plan,
            &[quarter(q2, vec![sub.unwrap()])],
            &cfg,
        ));
        let m = messages(&f);
        assert_eq!(f.iter().filter(|f| f.is_error()).count(), 1, "{m:?}");
        assert!(!f.iter().any(|f| f.kind == Kind::TaskNotReported), "{m:?}");
    }
    // The same workbook without the error does warn of the rows it lacks.
    let (sub, _) = sheets::read_workbook(&good, "input/2024-Q2/tp.xlsx", &cfg);
    let f = check::check(&plan, &[quarter(q2, vec![sub.unwrap()])], &cfg);
    assert!(
        says(&f, Kind::TaskNotReported, "PL2.V.2"),
        "{:?}",
        messages(&f)
    );
}

/// A row of Biểu 06 in error leaves the stated totals unchecked (they would differ in every
/// column), and an empty total cell states nothing; a SIPAS factor nobody rated has no rate and
/// stays out of the mean, and a survey with no answers at all is no survey (not 0 %).
#[test]
fn no_false_totals_and_no_rate_without_answers() {
    let cfg = config();
    let mut bad = GOOD_ROW;
    bad[0] = "abc";
    let (_, f) = sheets::read_workbook(&one_stop_workbook(bad), "input/2024-Q2/mc.xlsx", &cfg);
    let m = messages(&f);
    assert_eq!(f.len(), 1, "{m:?}");
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::NotANumber,
            "input/2024-Q2/mc.xlsx › Hồ sơ TTHC › C7"
        ),
        "{m:?}"
    );

    let plan = sample_plan(&cfg);
    let q2 = Period::quarter(2024, 2);
    let (sub, _) =
        sheets::read_workbook(&one_stop_workbook(GOOD_ROW), "input/2024-Q2/mc.xlsx", &cfg);
    let mut sub = sub.unwrap();
    for a in &mut sub.sipas[4].answers {
        a.value = 0;
    }
    let sipas = |sub: &Submission| {
        report::assemble(
            &plan,
            &[quarter(q2, vec![sub.clone()])],
            &q2,
            &[],
            &cfg,
            &[],
        )
        .sipas
    };
    let s = sipas(&sub).expect("four factors rated");
    assert_eq!(s.factors.len(), 4);
    assert_eq!(s.overall.text, "98,00%");
    assert_eq!(s.answers.value, 400);
    for row in &mut sub.sipas {
        for a in &mut row.answers {
            a.value = 0;
        }
    }
    assert!(sipas(&sub).is_none());
}

/// The unit's indicators of `input/cchc.toml` against its "Số liệu" sheet: none given, one
/// not given, and a code the unit does not have are warnings.
#[test]
fn indicators_are_checked_against_the_units_list() {
    let cfg = config();
    let plan = sample_plan(&cfg);
    let q2 = Period::quarter(2024, 2);
    let bytes = task_workbook("Đơn vị: Tư pháp", &[("PL2.V.2", "Hoàn thành")]);
    let (sub, _) = sheets::read_workbook(&bytes, "input/2024-Q2/tp.xlsx", &cfg);
    let mut sub = sub.unwrap();
    let f = check::check(&plan, &[quarter(q2, vec![sub.clone()])], &cfg);
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::FiguresMissing,
            "input/2024-Q2/tp.xlsx"
        ),
        "{:?}",
        messages(&f)
    );
    // Row (0-based) of the "Giá trị" cell, column D.
    let figure = |code: &str, row: u32| sheets::FigureRow {
        code: code.into(),
        name: String::new(),
        value: 300,
        note: String::new(),
        source: Loc::Cell {
            file: "input/2024-Q2/tp.xlsx".into(),
            sheet: "Số liệu".into(),
            cell: cchc::finding::CellRef::new(row, 3),
        },
    };
    sub.figures = vec![figure("TP01", 6), figure("TP03", 7), figure("VP01", 8)];
    let f = check::check(&plan, &[quarter(q2, vec![sub])], &cfg);
    let m = messages(&f);
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::FiguresMissing,
            "input/2024-Q2/tp.xlsx"
        ),
        "{m:?}"
    );
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::FigureUnknown,
            "input/2024-Q2/tp.xlsx › Số liệu › D9"
        ),
        "{m:?}"
    );
    assert!(
        !m.iter()
            .any(|m| m.contains("chỉ tiêu TP01") || m.contains("chỉ tiêu TP03")),
        "{m:?}"
    );
}

#[test]
fn two_rows_for_one_task_are_an_error_naming_both() {
    let cfg = config();
    let plan = sample_plan(&cfg);
    let q2 = Period::quarter(2024, 2);
    let bytes = task_workbook(
        "Đơn vị: Tư pháp",
        &[("PL2.V.2", "Hoàn thành"), ("PL2.V.2", "Đang thực hiện")],
    );
    let (sub, f) = sheets::read_workbook(&bytes, "input/2024-Q2/tp.xlsx", &cfg);
    assert!(f.iter().all(|f| !f.is_error()), "{:?}", messages(&f));
    let f = check::check(&plan, &[quarter(q2, vec![sub.unwrap()])], &cfg);
    let dup: Vec<&Finding> = f
        .iter()
        .filter(|f| f.is_error() && f.kind == Kind::Duplicate)
        .collect();
    assert_eq!(dup.len(), 1, "{:?}", messages(&f));
    let m = dup[0].to_string();
    assert!(m.contains("PL2.V.2"), "{m}");
    assert!(
        m.contains("\"Hoàn thành\"") && m.contains("\"Đang thực hiện\""),
        "{m}"
    );
    // Both rows are named: this one as the place, the other in the message.
    assert!(
        m.matches("input/2024-Q2/tp.xlsx › NHIỆM VỤ › ").count() == 2,
        "{m}"
    );
}

#[test]
fn an_unclosed_comment_in_the_plan_is_one_error_at_its_line() {
    let cfg = config();
    let src = std::fs::read_to_string(root().join("input/ke-hoach.md")).unwrap();
    let at = src.find("# PHỤ LỤC I").unwrap();
    let line = src[..at].matches('\n').count() + 1;
    let broken = format!("{}<!-- ghi chú chưa xong\n{}", &src[..at], &src[at..]);
    let (plan, f) = plan::parse(&broken, "input/ke-hoach.md", &cfg);
    assert!(plan.is_none());
    assert_eq!(f.len(), 1, "{:?}", messages(&f));
    assert!(f[0].is_error());
    assert_eq!(f[0].loc.to_string(), format!("input/ke-hoach.md:{line}"));
    assert_eq!(f[0].kind, Kind::UnclosedComment, "{}", f[0]);
}

#[test]
fn numbers_that_read_two_ways_are_said_at_their_cell() {
    let cfg = config();
    // A percentage in a count cell is not a count.
    let row = [
        "1000", "30%", "690", "10", "990", "900", "90", "0", "10", "10", "0",
    ];
    let (_, f) = sheets::read_workbook(&one_stop_workbook(row), "q/x.xlsx", &cfg);
    assert!(
        has(
            &f,
            Severity::Error,
            Kind::TwoReadings,
            "q/x.xlsx › Hồ sơ TTHC › D7"
        ),
        "{:?}",
        messages(&f)
    );
    // Figures: 1.032 stored as a real number (a typed "1.032" under English settings), a
    // percent sign, a fraction in a count.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Số liệu").unwrap();
    ws.write(0, 0, "Đơn vị: Bộ phận Tư pháp").unwrap();
    for (c, h) in ["Mã chỉ tiêu", "Chỉ tiêu", "Giá trị", "Ghi chú"]
        .iter()
        .enumerate()
    {
        ws.write(2, c as u16, *h).unwrap();
    }
    ws.write(3, 0, "TP01").unwrap();
    ws.write(3, 2, 1.032).unwrap();
    ws.write(4, 0, "TP02").unwrap();
    ws.write(4, 2, "18,5%").unwrap();
    ws.write(5, 0, "TP03").unwrap();
    ws.write(5, 2, 12.5).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let (_, f) = sheets::read_workbook(&bytes, "q/tp.xlsx", &cfg);
    let m = messages(&f);
    let at = |cell: &str, kind: Kind| {
        has(
            &f,
            Severity::Warning,
            kind,
            &format!("q/tp.xlsx › Số liệu › {cell}"),
        )
    };
    assert!(at("C4", Kind::TwoReadings), "{m:?}");
    assert!(at("C5", Kind::TwoReadings), "{m:?}");
    assert!(at("C6", Kind::NotWhole), "{m:?}");
    // The wording of these kinds, once.
    assert!(m.iter().any(|m| m.contains("nếu ý là 1.032")), "{m:?}");
    assert!(
        m.iter().any(|m| m.contains("\"18,5%\" (tỷ lệ phần trăm)")),
        "{m:?}"
    );
    assert!(
        m.iter().any(|m| m.contains("12,5 có phần thập phân")),
        "{m:?}"
    );
}

#[test]
fn hidden_and_twin_sheets_are_said() {
    let cfg = config();
    let sheet = |wb: &mut Workbook, name: &str, status: &str, hide: bool| {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        // The first sheet is the active one, which Excel cannot hide: the visible one is.
        if !hide {
            ws.set_active(true);
        }
        ws.write(0, 0, "Đơn vị: Bộ phận Tư pháp").unwrap();
        ws.write(2, 0, "Mã nhiệm vụ").unwrap();
        ws.write(2, 1, "Tình trạng").unwrap();
        ws.write(3, 0, "PL2.V.2").unwrap();
        ws.write(3, 1, status).unwrap();
        if hide {
            ws.set_hidden(true);
        }
    };
    // A hidden "Nhiem vu" before the visible "Nhiệm vụ": the visible one is read.
    let mut wb = Workbook::new();
    sheet(&mut wb, "Nhiem vu", "Chưa thực hiện", true);
    sheet(&mut wb, "Nhiệm vụ", "Hoàn thành", false);
    let (sub, f) = sheets::read_workbook(&wb.save_to_buffer().unwrap(), "q/tp.xlsx", &cfg);
    assert_eq!(sub.unwrap().tasks[0].status, cchc::sheets::Status::Done);
    assert!(
        has(
            &f,
            Severity::Warning,
            Kind::SheetHidden,
            "q/tp.xlsx › Nhiem vu"
        ),
        "{:?}",
        messages(&f)
    );
    // Two visible sheets of one name: an error naming both.
    let mut wb = Workbook::new();
    sheet(&mut wb, "Nhiem vu", "Chưa thực hiện", false);
    sheet(&mut wb, "Nhiệm vụ", "Hoàn thành", false);
    let (_, f) = sheets::read_workbook(&wb.save_to_buffer().unwrap(), "q/tp.xlsx", &cfg);
    assert!(
        has(&f, Severity::Error, Kind::SheetTwice, "q/tp.xlsx"),
        "{:?}",
        messages(&f)
    );
}

#[test]
fn completion_dates_that_cannot_be_meant_or_read_two_ways_are_said() {
    let cfg = config();
    let plan = sample_plan(&cfg);
    let q3 = Period::quarter(2024, 3);
    let bytes = task_workbook("Đơn vị: Tư pháp", &[("PL2.V.2", "Hoàn thành")]);
    let (sub, _) = sheets::read_workbook(&bytes, "input/2024-Q3/tp.xlsx", &cfg);
    let mut sub = sub.unwrap();
    let (typed, at) = sub.tasks[0].done_text.clone().expect("a text date");
    assert_eq!(typed, "05/6/2024");
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let run = |sub: &Submission| {
        let f = check::check(&plan, &[quarter(q3, vec![sub.clone()])], &cfg);
        messages(&f)
    };
    // "09/05/2024" in Q3: 9 May is outside the quarter, 5 September inside.
    sub.tasks[0].done_date = Some(day(2024, 5, 9));
    sub.tasks[0].done_text = Some(("09/05/2024".into(), at.clone()));
    let m = run(&sub);
    assert!(
        m.iter().any(|m| m.contains(&format!("{at}"))
            && m.contains("\"09/05/2024\" được đọc là ngày 09 tháng 5 năm 2024")
            && m.contains("ngày 05 tháng 9 năm 2024")),
        "{m:?}"
    );
    // A year outside the plan's, and a date after the cut-off.
    sub.tasks[0].done_date = Some(day(9999, 6, 5));
    sub.tasks[0].done_text = Some(("05/06/9999".into(), at.clone()));
    assert!(
        run(&sub)
            .iter()
            .any(|m| m.contains("05/06/9999 không thuộc năm 2024")),
        "{:?}",
        run(&sub)
    );
    sub.tasks[0].done_date = Some(day(2024, 11, 20));
    sub.tasks[0].done_text = None;
    assert!(
        run(&sub)
            .iter()
            .any(|m| m.contains("20/11/2024 sau ngày chốt số liệu 14/9/2024")),
        "{:?}",
        run(&sub)
    );
}
