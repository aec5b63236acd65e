//! Biểu 06 from the one-stop software's dossier list (issue #18): every classification rule
//! and setting on values, lists shaped as both known systems export them (OpenCPS: title rows,
//! a "(1)…(7)" row, group rows per lĩnh vực, dates with hours; a provincial DVC: MaHoSo-style
//! headers, dates as text, status and channel as codes), and through the binary: the sample's
//! reports from its lists equal those from the typed sheet, and a list that differs from the
//! typed sheet is said, cell by cell.

use crate::common;
use cchc::config::Config;
use cchc::finding::{Finding, Kind, Severity};
use cchc::sheets::{self, Col, DossierList, Input, ListCount, Quarter};
use cchc::{Period, onestop};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::Path;
use std::sync::Arc;

fn config_with(extra: &str) -> Config {
    let base = std::fs::read_to_string(common::root().join("input/cchc.toml")).unwrap();
    Config::parse(&format!("{base}\n{extra}")).unwrap()
}

/// A cell of a list fixture.
enum V<'a> {
    T(&'a str),
    /// A date cell: (y, m, d).
    D(u16, u8, u8),
    E,
}
use V::{D, E, T};

/// A workbook of one sheet: `title` rows, then `header`, then `rows`.
fn list(title: &[&str], header: &[&str], rows: &[Vec<V>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").unwrap();
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (r, t) in title.iter().enumerate() {
        ws.write_string(r as u32, 0, *t).unwrap();
    }
    let h = title.len() as u32;
    for (c, t) in header.iter().enumerate() {
        ws.write_string(h, c as u16, *t).unwrap();
    }
    for (i, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (h + 1 + i as u32, c as u16);
            match v {
                T(t) => {
                    ws.write_string(r, c, *t).unwrap();
                }
                D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d)
                        .unwrap()
                        .and_hms(8, 30, 0)
                        .unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                E => {}
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn read(bytes: &[u8], file: &str, cfg: &Config) -> (DossierList, Vec<Finding>) {
    match sheets::read_input(bytes, file, cfg) {
        (Some(Input::List(l)), f) => (l, f),
        (other, f) => panic!("not read as a list: {:?} {f:#?}", other.is_some()),
    }
}

fn quarter(q: u8, lists: Vec<DossierList>) -> Quarter {
    Quarter {
        period: Period::quarter(2024, q),
        folder: Some(format!("input/2024-Q{q}")),
        submissions: Vec::new(),
        in_period: true,
        lists: lists.into_iter().map(Arc::new).collect(),
        counted: None,
    }
}

/// Biểu 06's totals (3) to (13) of a counted quarter, then the splits that are present.
fn totals(c: &ListCount) -> Vec<i64> {
    Col::ALL
        .iter()
        .map(|col| {
            c.rows
                .iter()
                .filter_map(|r| r.given(*col))
                .map(|x| x.value)
                .sum()
        })
        .collect()
}

fn count_one(bytes: &[u8], cfg: &Config, q: u8) -> (ListCount, Vec<Finding>) {
    let (l, mut f) = read(bytes, &format!("input/2024-Q{q}/ds.xlsx"), cfg);
    let mut qs = vec![quarter(q, vec![l])];
    f.extend(onestop::count(&mut qs, cfg));
    (qs.remove(0).counted.unwrap(), f)
}

const DVC: [&str; 9] = [
    "MaHoSo",
    "TenLinhVuc",
    "Tên thủ tục hành chính",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayTra",
    "Trạng thái",
    "Kênh nộp",
    "Mức độ",
];

/// Q2 2024 is 15/03/2024 to 14/06/2024 (cut-off day 14).
fn dvc_rows() -> Vec<Vec<V<'static>>> {
    let r = |code, recv, due, done, st, ch, lv| {
        vec![
            T(code),
            T("Hộ tịch"),
            T("Đăng ký khai sinh"),
            T(recv),
            T(due),
            T(done),
            T(st),
            T(ch),
            T(lv),
        ]
    };
    vec![
        // Received in Q2, solved early / on time / late / with no due date.
        r(
            "A1",
            "20/03/2024 08:00:00",
            "25/03/2024 17:00:00",
            "22/03/2024 10:00:00",
            "10",
            "2",
            "4",
        ),
        r(
            "A2",
            "01/04/2024 08:00:00",
            "05/04/2024 17:00:00",
            "05/04/2024 16:00:00",
            "10",
            "1",
            "",
        ),
        r(
            "A3",
            "02/04/2024 08:00:00",
            "05/04/2024 17:00:00",
            "09/04/2024 09:00:00",
            "9",
            "3",
            "",
        ),
        r("A4", "03/04/2024", "", "04/04/2024", "10", "2", "3"),
        // Carried over from Q1, solved in Q2 on time.
        r(
            "A5",
            "10/03/2024",
            "20/03/2024",
            "20/03/2024",
            "10",
            "1",
            "",
        ),
        // Finished before Q2: not in it.
        r(
            "A6",
            "01/03/2024",
            "05/03/2024",
            "05/03/2024",
            "10",
            "1",
            "",
        ),
        // Pending at the end: overdue (due 10/06), within (due 20/06), due on the end day.
        r("A7", "01/06/2024", "10/06/2024", "", "2", "1", ""),
        r("A8", "05/06/2024", "20/06/2024", "", "4", "2", "3"),
        r("A9", "06/06/2024", "14/06/2024", "", "2", "1", ""),
        // Paused waiting for documents, past its due date.
        r("A10", "01/05/2024", "10/05/2024", "", "5", "1", ""),
        // Withdrawn, refused.
        r(
            "A11",
            "02/05/2024",
            "10/05/2024",
            "06/05/2024",
            "7",
            "1",
            "",
        ),
        r("A12", "02/05/2024", "", "", "3", "1", ""),
        // Received after the quarter.
        r("A13", "15/06/2024", "20/06/2024", "", "1", "1", ""),
        // Solved after the quarter's end: pending at its end, overdue by then.
        r(
            "A14",
            "01/06/2024",
            "12/06/2024",
            "20/06/2024",
            "10",
            "1",
            "",
        ),
    ]
}

#[test]
fn every_rule_of_biểu_06_on_a_dvc_list_with_codes_and_text_dates() {
    let cfg = config_with("");
    let bytes = list(&["DANH SÁCH HỒ SƠ"], &DVC, &dvc_rows());
    let (c, f) = count_one(&bytes, &cfg, 2);
    assert!(!f.iter().any(Finding::is_error), "{f:#?}");
    // (3) (4) (5) (6) | (7) (8) (9) (10) | (11) (12) (13) | partial full bcci-in bcci-out apologies
    // Received in Q2: A1..A4, A7..A10, A14 (9); online A1 A4 A8; direct A2 A7 A9 A10 A14 + BCCI A3.
    // Carried: A5. Solved: A1 early, A2 on time, A3 late, A4 on time (no due), A5 on time.
    // Pending: A7 overdue, A8 within, A9 within (due on the end day), A10 paused (within), A14
    // overdue.
    assert_eq!(
        totals(&c),
        [10, 3, 6, 1, 5, 1, 3, 1, 5, 3, 2, 2, 1, 1, 0, 0],
        "{:#?}",
        c.rows
    );
    let late: Vec<&str> = c.solved_late.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(late, ["A3"]);
    assert_eq!(c.solved_late[0].days_late, 4);
    let overdue: Vec<(&str, i64)> = c
        .pending_late
        .iter()
        .map(|d| (d.code.as_str(), d.days_late))
        .collect();
    assert_eq!(overdue, [("A7", 4), ("A14", 2)]);
    // The counts cite their rows.
    let received = c.rows[0].get(Col::Received).source.to_string();
    assert_eq!(
        received,
        "input/2024-Q2/ds.xlsx › Sheet1: 10 hồ sơ, dòng 3-16"
    );
}

#[test]
fn each_setting_changes_what_it_says() {
    let bytes = list(&[], &DVC, &dvc_rows());
    let base = totals(&count_one(&bytes, &config_with(""), 2).0);
    let with = |toml: &str| totals(&count_one(&bytes, &config_with(toml), 2).0);
    // Due on the end day is overdue: A9 moves from (12) to (13).
    let t = with("[ho_so_mot_cua]\nqua_han = \"den_cuoi_ky\"");
    assert_eq!((t[9], t[10]), (base[9] - 1, base[10] + 1));
    // A paused dossier past its due date is overdue.
    let t = with("[ho_so_mot_cua]\ntam_dung_trong_han = false");
    assert_eq!((t[9], t[10]), (base[9] - 1, base[10] + 1));
    // A withdrawn dossier counts as received and solved (early: before its due date).
    let t = with("[ho_so_mot_cua]\nrut_ho_so = \"da_giai_quyet\"");
    assert_eq!(
        (t[0], t[2], t[4], t[5]),
        (base[0] + 1, base[2] + 1, base[4] + 1, base[5] + 1)
    );
    // A missing due date is an error at its row.
    let cfg = config_with("[ho_so_mot_cua]\nthieu_ngay_hen = \"loi\"");
    let (l, _) = read(&bytes, "input/2024-Q2/ds.xlsx", &cfg);
    let f = onestop::missing_due_dates(&l, &cfg.ho_so_mot_cua);
    let at: Vec<String> = f.iter().map(|f| f.loc.to_string()).collect();
    assert_eq!(
        at,
        [
            "input/2024-Q2/ds.xlsx › Sheet1 › A5",
            "input/2024-Q2/ds.xlsx › Sheet1 › A13"
        ]
    );
    // Month-first text dates: 03/20/2024 is 20 March.
    let us = list(
        &[],
        &DVC,
        &[vec![
            T("B1"),
            T("Hộ tịch"),
            E,
            T("03/20/2024"),
            T("03/25/2024"),
            T("03/22/2024"),
            T("10"),
            T("1"),
            E,
        ]],
    );
    let t = totals(
        &count_one(
            &us,
            &config_with("[ho_so_mot_cua]\nthu_tu_ngay = \"thang_ngay\""),
            2,
        )
        .0,
    );
    assert_eq!((t[0], t[5]), (1, 1));
    // Read day first, "03/20/2024" is no date: an error at its cell.
    let (_, f) = read(&us, "input/2024-Q2/ds.xlsx", &config_with(""));
    assert!(
        f.iter()
            .any(|f| f.kind == Kind::BadDate && f.loc.to_string().ends_with("› D2")),
        "{f:#?}"
    );
}

#[test]
fn the_finishing_date_is_the_one_the_settings_name() {
    // Processed on 10/04 (due 10/04) but returned on 12/04.
    let header = [
        "Mã hồ sơ",
        "Lĩnh vực",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày trả kết quả",
        "Ngày kết thúc xử lý",
        "Kênh nộp",
    ];
    let rows = vec![vec![
        T("C1"),
        T("Chứng thực"),
        D(2024, 4, 1),
        D(2024, 4, 10),
        D(2024, 4, 12),
        D(2024, 4, 10),
        T("Trực tiếp"),
    ]];
    let bytes = list(&[], &header, &rows);
    let t = totals(&count_one(&bytes, &config_with(""), 2).0);
    assert_eq!((t[7], t[6]), (1, 0), "returned late");
    let t = totals(
        &count_one(
            &bytes,
            &config_with("[ho_so_mot_cua]\nngay_hoan_thanh = \"ngay_ket_thuc\""),
            2,
        )
        .0,
    );
    assert_eq!((t[7], t[6]), (0, 1), "processed on time");
    // A list with only the other date uses it, and says so.
    let only = list(
        &[],
        &[
            "Mã hồ sơ",
            "Lĩnh vực",
            "Ngày tiếp nhận",
            "Ngày hẹn trả",
            "Ngày kết thúc xử lý",
            "Kênh nộp",
        ],
        &[vec![
            T("C1"),
            T("Chứng thực"),
            D(2024, 4, 1),
            D(2024, 4, 10),
            D(2024, 4, 10),
            T("Trực tiếp"),
        ]],
    );
    let (c, f) = count_one(&only, &config_with(""), 2);
    assert_eq!(totals(&c)[6], 1);
    assert!(
        f.iter().any(|f| f.kind == Kind::DossierColumn
            && f.severity == Severity::Warning
            && f.message.contains("dùng cột \"Ngày kết thúc xử lý\"")),
        "{f:#?}"
    );
}

#[test]
fn an_opencps_list_with_group_rows_title_rows_and_a_numbers_row() {
    let header = [
        "STT",
        "Mã hồ sơ",
        "Nội dung",
        "Chủ hồ sơ",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Trạng thái",
        "Ngày trả kết quả",
        "Hình thức nộp",
    ];
    let g = |name| vec![E, T(name)];
    let d = |n, code, recv: V<'static>, due: V<'static>, st, done: V<'static>, ch| {
        vec![
            T(n),
            T(code),
            T("Cấp bản sao trích lục"),
            T("Nguyễn Văn A"),
            recv,
            due,
            T(st),
            done,
            T(ch),
        ]
    };
    let rows = vec![
        vec![
            T("(1)"),
            T("(2)"),
            T("(3)"),
            T("(4)"),
            T("(5)"),
            T("(6)"),
            T("(7)"),
        ],
        g("Lĩnh vực: Hộ tịch"),
        d(
            "1",
            "000.00.21.H26-240401-0001",
            D(2024, 4, 1),
            D(2024, 4, 3),
            "Đã trả kết quả",
            D(2024, 4, 2),
            "Trực tuyến",
        ),
        d(
            "2",
            "000.00.21.H26-240402-0002",
            D(2024, 4, 2),
            D(2024, 4, 4),
            "Đang xử lý",
            E,
            "Trực tiếp",
        ),
        g("Chứng thực"),
        d(
            "1",
            "000.00.21.H26-240403-0003",
            D(2024, 4, 3),
            D(2024, 4, 3),
            "Đã trả kết quả",
            D(2024, 4, 3),
            "Bưu chính công ích",
        ),
        vec![E, T("Tổng cộng"), E, E, E, E, E, E, E],
    ];
    let bytes = list(
        &["UBND PHƯỜNG PHÚ LÃM", "SỔ THEO DÕI HỒ SƠ"],
        &header,
        &rows,
    );
    let (c, f) = count_one(&bytes, &config_with(""), 2);
    assert!(!f.iter().any(Finding::is_error), "{f:#?}");
    let fields: Vec<(&str, i64)> = c
        .rows
        .iter()
        .map(|r| (r.field.as_str(), r.value(Col::Received)))
        .collect();
    assert_eq!(fields, [("Chứng thực", 1), ("Hộ tịch", 2)]);
    let t = totals(&c);
    // The pending one was due on 04/04: overdue at the quarter's end.
    assert_eq!(&t[..11], [3, 1, 2, 0, 2, 1, 1, 0, 1, 0, 1]);
    assert_eq!(t[13], 1, "BCCI received");
    // No "Mức độ" nor return channel column: those splits are not made up.
    assert!(
        c.rows
            .iter()
            .all(|r| r.given(Col::OnlineFull).is_none() && r.given(Col::BcciReturned).is_none())
    );
}

#[test]
fn dossier_problems_are_located_and_many_of_one_kind_are_counted() {
    let mut rows = vec![
        // Finished before received: an error; due before received: a warning.
        vec![
            T("X1"),
            T("Hộ tịch"),
            E,
            T("10/04/2024"),
            T("12/04/2024"),
            T("09/04/2024"),
            T("10"),
            T("1"),
            E,
        ],
        vec![
            T("X2"),
            T("Hộ tịch"),
            E,
            T("10/04/2024"),
            T("08/04/2024"),
            T("11/04/2024"),
            T("10"),
            T("1"),
            E,
        ],
        // The same code twice; an unknown status; an unknown channel; no lĩnh vực.
        vec![
            T("X2"),
            T("Hộ tịch"),
            E,
            T("10/04/2024"),
            E,
            E,
            T("2"),
            T("1"),
            E,
        ],
        vec![
            T("X3"),
            T("Hộ tịch"),
            E,
            T("10/04/2024"),
            E,
            E,
            T("Chờ ký số"),
            T("1"),
            E,
        ],
        vec![
            T("X4"),
            T("Hộ tịch"),
            E,
            T("10/04/2024"),
            E,
            E,
            T("2"),
            T("Zalo"),
            E,
        ],
        vec![T("X5"), E, E, T("10/04/2024"), E, E, T("2"), T("1"), E],
    ];
    for n in 0..30 {
        let code: &'static str = Box::leak(format!("Y{n}").into_boxed_str());
        rows.push(vec![
            T(code),
            T("Hộ tịch"),
            E,
            T("ngày mai"),
            E,
            E,
            T("2"),
            T("1"),
            E,
        ]);
    }
    let bytes = list(&[], &DVC, &rows);
    let (_, f) = read(&bytes, "input/2024-Q2/ds.xlsx", &config_with(""));
    let at = |kind: Kind, sev: Severity| -> Vec<String> {
        f.iter()
            .filter(|f| f.kind == kind && f.severity == sev)
            .map(|f| f.loc.to_string())
            .collect()
    };
    let cell = |c: &str| format!("input/2024-Q2/ds.xlsx › Sheet1 › {c}");
    assert_eq!(at(Kind::DossierDates, Severity::Error), [cell("F2")]);
    assert_eq!(at(Kind::DossierDates, Severity::Warning), [cell("E3")]);
    assert_eq!(at(Kind::Duplicate, Severity::Error), [cell("A4")]);
    assert_eq!(
        at(Kind::DossierUnknownWord, Severity::Error),
        [cell("G5"), cell("H6")]
    );
    assert_eq!(at(Kind::DossierNoField, Severity::Error), [cell("B7")]);
    // 30 bad dates: 20 listed, the rest counted in one finding.
    assert_eq!(at(Kind::BadDate, Severity::Error).len(), 20);
    let more: Vec<&Finding> = f.iter().filter(|f| f.kind == Kind::DossierMore).collect();
    assert_eq!(more.len(), 1, "{f:#?}");
    assert!(
        more[0].message.starts_with("còn 10 dòng khác"),
        "{}",
        more[0].message
    );
    // A custom word: the office's vocabulary comes first.
    let cfg = config_with(
        "[ho_so_mot_cua]\ntrang_thai = { \"Chờ ký số\" = \"dang_xu_ly\" }\nkenh = { \"zalo\" = \"truc_tuyen\" }",
    );
    let (_, f) = read(&bytes, "input/2024-Q2/ds.xlsx", &cfg);
    assert!(
        !f.iter().any(|f| f.kind == Kind::DossierUnknownWord),
        "{f:#?}"
    );
}

#[test]
fn a_list_without_a_channel_column_is_refused_unless_the_office_says_the_channel() {
    let header = [
        "Mã hồ sơ",
        "Lĩnh vực",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày trả kết quả",
    ];
    let rows = vec![vec![
        T("Z1"),
        T("Hộ tịch"),
        T("01/04/2024"),
        T("03/04/2024"),
        T("02/04/2024"),
    ]];
    let bytes = list(&[], &header, &rows);
    let (_, f) = read(&bytes, "input/2024-Q2/ds.xlsx", &config_with(""));
    assert!(
        f.iter().any(|f| f.is_error()
            && f.kind == Kind::DossierColumn
            && f.loc.to_string() == "input/2024-Q2/ds.xlsx › Sheet1"),
        "{f:#?}"
    );
    let t = totals(
        &count_one(
            &bytes,
            &config_with("[ho_so_mot_cua]\nkenh_mac_dinh = \"truc_tiep\""),
            2,
        )
        .0,
    );
    assert_eq!((t[0], t[2], t[5]), (1, 1, 1));
}

#[test]
fn a_half_year_from_two_quarterly_lists_counts_a_carried_dossier_once() {
    let cfg = config_with("");
    // Q1 (15/12/2023-14/03/2024) exports a dossier pending at its end; Q2's export shows it
    // solved, and one new dossier.
    let header = [
        "Mã hồ sơ",
        "Lĩnh vực",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày trả kết quả",
        "Kênh nộp",
    ];
    let q1 = list(
        &[],
        &header,
        &[vec![
            T("P1"),
            T("Đất đai"),
            T("01/03/2024"),
            T("20/03/2024"),
            E,
            T("1"),
        ]],
    );
    let q2 = list(
        &[],
        &header,
        &[
            vec![
                T("P1"),
                T("Đất đai"),
                T("01/03/2024"),
                T("20/03/2024"),
                T("18/03/2024"),
                T("1"),
            ],
            vec![
                T("P2"),
                T("Đất đai"),
                T("01/04/2024"),
                T("20/04/2024"),
                T("18/04/2024"),
                T("2"),
            ],
        ],
    );
    let (l1, _) = read(&q1, "input/2024-Q1/ds.xlsx", &cfg);
    let (l2, _) = read(&q2, "input/2024-Q2/ds.xlsx", &cfg);
    let mut qs = vec![quarter(1, vec![l1]), quarter(2, vec![l2])];
    onestop::count(&mut qs, &cfg);
    let t1 = totals(qs[0].counted.as_ref().unwrap());
    let t2 = totals(qs[1].counted.as_ref().unwrap());
    assert_eq!(&t1[..11], [1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0]);
    assert_eq!(&t2[..11], [2, 1, 0, 1, 2, 2, 0, 0, 0, 0, 0]);
    // The half year as the report adds it up: (6) the first quarter's, (4)+(5) summed, (3)
    // their sum: P1 and P2 once each.
    let half = (t1[1] + t2[1]) + (t1[2] + t2[2]) + t1[3];
    assert_eq!(half, 2);
}

// ---------------------------------------------------------------------------------------------
// Through the binary.

fn data(ws: &Path, period: &str) -> serde_json::Value {
    let o = common::cchc(ws, &["data", "--ky", period]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Every figure value of Biểu 06 in a report's data, by lĩnh vực and column key.
fn biểu_06(v: &serde_json::Value) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    let os = &v["one_stop"];
    let rows = os["fields"]
        .as_array()
        .unwrap()
        .iter()
        .chain([&os["total"]]);
    for r in rows {
        for c in cchc::sheets::contract::COLUMNS {
            out.push((
                r["field"].as_str().unwrap().to_string(),
                c.key.to_string(),
                r[c.key]["value"].as_i64().unwrap(),
            ));
        }
    }
    out
}

#[test]
fn the_samples_reports_from_its_lists_equal_those_from_the_typed_sheet_in_every_period() {
    let with = common::workspace();
    let without = common::workspace();
    for q in 1..=4 {
        std::fs::remove_file(
            without
                .path()
                .join(format!("input/2024-Q{q}/mot-cua-so-theo-doi.xlsx")),
        )
        .unwrap();
    }
    for period in [
        "2024-Q1", "2024-Q2", "2024-6T", "2024-Q3", "2024-9T", "2024-Q4", "2024",
    ] {
        let a = data(with.path(), period);
        let b = data(without.path(), period);
        assert_eq!(biểu_06(&a), biểu_06(&b), "{period}");
        assert!(
            a["one_stop"]["counted_from"]
                .as_str()
                .unwrap()
                .contains("mot-cua-so-theo-doi.xlsx")
        );
        assert!(b["one_stop"]["counted_from"].is_null());
        // The counts cite the list's rows.
        let src = a["one_stop"]["total"]["received"]["sources"][0].clone();
        assert_eq!(src["kind"], "rows", "{period}: {src}");
        let (_, f) = common::findings(with.path(), &["--ky", period]);
        assert!(
            !f.iter().any(|f| f[1] == "dossier_list_differs"),
            "{period}: {f:?}"
        );
        assert!(f.iter().any(|f| f[1] == "dossier_list_used"), "{period}");
    }
    // The late dossiers of Q2 are listed for their apology letters: as many as (10) + (13).
    let q2 = data(with.path(), "2024-Q2");
    let t = &q2["one_stop"]["total"];
    let late =
        t["solved_late"]["value"].as_i64().unwrap() + t["pending_late"]["value"].as_i64().unwrap();
    assert_eq!(
        q2["one_stop"]["late"].as_array().unwrap().len() as i64,
        late
    );
    assert!(late > 0);
}

#[test]
fn a_list_that_differs_from_the_typed_sheet_gives_warnings_and_the_report_uses_the_list() {
    let ws = common::workspace();
    for q in 1..=4 {
        std::fs::remove_file(
            ws.path()
                .join(format!("input/2024-Q{q}/mot-cua-so-theo-doi.xlsx")),
        )
        .unwrap();
    }
    let header = [
        "Mã hồ sơ",
        "Lĩnh vực",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày trả kết quả",
        "Kênh nộp",
    ];
    let rows = vec![
        vec![
            T("Q1"),
            T("Hộ tịch"),
            T("01/04/2024"),
            T("05/04/2024"),
            T("03/04/2024"),
            T("Trực tuyến"),
        ],
        vec![
            T("Q2"),
            T("Hộ tịch"),
            T("02/04/2024"),
            T("05/04/2024"),
            T("08/04/2024"),
            T("Trực tiếp"),
        ],
    ];
    std::fs::write(
        ws.path().join("input/2024-Q2/mot-cua-so-theo-doi.xlsx"),
        list(&[], &header, &rows),
    )
    .unwrap();
    let (code, f) = common::findings(ws.path(), &["--ky", "2024-Q2"]);
    assert_eq!(code, Some(0), "{f:?}");
    let differs: Vec<&[String; 4]> = f
        .iter()
        .filter(|f| f[1] == "dossier_list_differs")
        .collect();
    // Hộ tịch's (3) differs at its typed cell, and names the list's rows.
    let received = differs
        .iter()
        .find(|f| f[3].contains("\"Hộ tịch\", cột (3)"))
        .unwrap_or_else(|| panic!("{differs:#?}"));
    assert_eq!(received[0], "Warning");
    assert!(
        received[2].starts_with("input/2024-Q2/mot-cua.xlsx › Hồ sơ TTHC › "),
        "{received:?}"
    );
    assert!(received[3].contains("danh sách hồ sơ cho 2 (input/2024-Q2/mot-cua-so-theo-doi.xlsx › Sheet1: 2 hồ sơ, dòng 2-3)"), "{received:?}");
    // A lĩnh vực the list lacks differs too; beyond 20 differences they are counted.
    assert!(f.iter().any(|f| f[1] == "dossier_more"), "{f:?}");
    let d = data(ws.path(), "2024-Q2");
    let t = &d["one_stop"]["total"];
    assert_eq!(t["received"]["value"], 2);
    assert_eq!(t["solved_late"]["value"], 1);
    assert_eq!(d["one_stop"]["late"][0]["code"], "Q2");
    // The report says where its Biểu 06 comes from and lists the late dossier.
    let out = common::report(ws.path(), "2024-Q2", "pdf");
    let pl3 = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.to_string_lossy().contains("phu-luc-III") && p.extension().is_some_and(|e| e == "pdf")
        })
        .unwrap();
    if common::client("pdftotext", &["-v"]) {
        let text = common::squash(&common::pdftotext_raw(&pl3));
        assert!(
            text.contains("Số liệu tính từ danh sách hồ sơ xuất từ phần mềm một cửa"),
            "{text}"
        );
        assert!(
            text.contains("Q2") && text.contains("Hồ sơ giải quyết quá hạn"),
            "{text}"
        );
    }
}
