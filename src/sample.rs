//! The sample departmental workbooks of `input/2024-Q1` .. `input/2024-Q4`: what six departments
//! of the ward would send for each quarter of the plan's year, written the way real offices
//! write them (title rows above the table, merged two-level Biểu 06 header, a total row with
//! formulas), so that every reader path is exercised by the sample.
//!
//! Everything is deterministic: the figures come from fixed tables plus a tiny hash of unit,
//! quarter and task, and the document properties carry a fixed creation date, so running the
//! generator twice gives byte-identical files that can be committed.
//!
//! Deliberate quirks (each a real office habit or a finding the sample must show):
//! - task PL1.2 (due Tháng 9) stays "Đang thực hiện" in Q3 and, overdue, in Q4;
//! - the unit TCKT sends no workbook for Q3;
//! - the MC workbook of Q3 names its unit by an alias ("Đơn vị báo cáo: BP Một cửa");
//! - the CA workbook of Q2 stores two figures of "Số liệu" as text with thousands dots.

use crate::config::{Config, Unit};
use crate::period::Period;
use crate::plan::{Plan, Task};
use crate::sheets::Status;
use crate::sheets::contract::{Col, N, dossiers, figures, scores, sipas, tasks};
use crate::vn;
use crate::workbook::{
    DOSSIER_COLS, Formats, HEADER_ROW, SHEET_DOSSIERS, SHEET_FIGURES, SHEET_SCORES, SHEET_SIPAS,
    SHEET_TASKS, SIPAS_FACTORS, TitleBlock, day_in_window, dossier_header, dossier_total_row,
    excel_date, file_name, properties, table_header, task_text, title_block,
};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

pub mod ledger;

/// The quarter a unit skips (deliberate: a missing workbook must be reported).
const MISSING: (&str, u8) = ("TCKT", 3);
/// The task that slips past its month (deliberate: overdue in Q4).
const LATE_TASK: &str = "PL1.2";

/// Every workbook of the four quarters of `year`, as (relative path, bytes).
pub fn generate(
    config: &Config,
    plan: &Plan,
    year: i32,
) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let dossiers = dossier_year();
    let mut out = Vec::new();
    for q in 1..=4u8 {
        let period = Period::quarter(year, q);
        for unit in &config.don_vi {
            if (unit.ma.as_str(), q) == MISSING {
                continue;
            }
            let ctx = Ctx {
                config,
                unit,
                period,
                q,
                window: period.window(&config.ky_bao_cao),
                dossiers: &dossiers[q as usize - 1],
            };
            let bytes = ctx.workbook(plan)?;
            out.push((format!("input/{period}/{}", file_name(&unit.ma)), bytes));
        }
    }
    out.extend(ledger::generate(config, year, &dossiers)?);
    Ok(out)
}

/// The Văn phòng's self-assessment of the year: (code, name, max, score, evidence, note), points
/// in hundredths. Areas "1".."8" state the sum of their sub-criteria; the sub-criteria that
/// lost points in 2023 (1.6, 2.1, 2.2, 3.3.3-3.3.5, 4.1.4) are listed, some still short.
pub const SELF_ASSESSMENT: [(&str, &str, i64, i64, &str, &str); 36] = [
    ("1", "Chỉ đạo điều hành CCHC", 2000, 1850, "", ""),
    (
        "1.1",
        "Kế hoạch CCHC năm",
        300,
        300,
        "Kế hoạch số 56/KH-UBND ngày 20/02/2024",
        "",
    ),
    (
        "1.2",
        "Báo cáo CCHC định kỳ",
        200,
        200,
        "Các báo cáo quý, 6 tháng, 9 tháng, năm",
        "",
    ),
    (
        "1.3",
        "Kiểm tra công tác CCHC",
        300,
        300,
        "Kế hoạch kiểm tra, biên bản kiểm tra",
        "",
    ),
    (
        "1.4",
        "Công tác tuyên truyền CCHC",
        300,
        300,
        "Trang TTĐT phường",
        "",
    ),
    (
        "1.5",
        "Thực hiện nhiệm vụ UBND quận giao về CCHC",
        500,
        500,
        "Báo cáo kết quả thực hiện",
        "",
    ),
    (
        "1.6",
        "Sáng kiến và áp dụng hiệu quả sáng kiến trong thực hiện công tác CCHC, cải thiện các chỉ số PAR-Index, SIPAS, PAPI",
        400,
        250,
        "Dự thảo Đề án mô hình",
        "Mô hình \"Tổ hỗ trợ dịch vụ công trực tuyến tại Tổ dân phố\" chưa được Hội đồng sáng kiến công nhận",
    ),
    ("2", "Cải cách thể chế", 300, 275, "", ""),
    (
        "2.1",
        "Tổ chức thực hiện các VBQPPL, văn bản quản lý điều hành của cấp trên",
        150,
        150,
        "Kế hoạch theo dõi thi hành pháp luật năm 2024",
        "",
    ),
    (
        "2.2",
        "Kiểm tra, rà soát, xử lý, hệ thống hóa VBQPPL",
        150,
        125,
        "Báo cáo rà soát VBQPPL",
        "Báo cáo rà soát văn bản quy phạm pháp luật gửi chậm so với thời hạn",
    ),
    (
        "3",
        "Cải cách TTHC và thực hiện cơ chế MC, MCLT",
        1600,
        1475,
        "",
        "",
    ),
    (
        "3.1",
        "Công khai TTHC",
        200,
        200,
        "Bộ TTHC niêm yết tại Bộ phận Một cửa",
        "",
    ),
    (
        "3.2",
        "Thực hiện cơ chế một cửa, một cửa liên thông",
        300,
        300,
        "Quyết định kiện toàn Bộ phận Một cửa",
        "",
    ),
    (
        "3.3.1",
        "Tỷ lệ hồ sơ TTHC được giải quyết trước hạn, đúng hạn",
        200,
        200,
        "Biểu 06 các quý",
        "",
    ),
    (
        "3.3.2",
        "Thực hiện xin lỗi cá nhân, tổ chức khi giải quyết hồ sơ quá hạn",
        100,
        100,
        "Thư xin lỗi",
        "",
    ),
    (
        "3.3.3",
        "Tỷ lệ hồ sơ tiếp nhận, trả kết quả giải quyết TTHC qua dịch vụ bưu chính công ích",
        200,
        150,
        "Biểu 06 các quý",
        "Tỷ lệ hồ sơ qua BCCI chưa đạt chỉ tiêu 5-10% ở một số quý",
    ),
    (
        "3.3.4",
        "Tỷ lệ hồ sơ TTHC được giải quyết qua dịch vụ công trực tuyến một phần (mức độ 3)",
        200,
        150,
        "Biểu 06 các quý",
        "Tỷ lệ hồ sơ trực tuyến một phần cả năm chưa đạt chỉ tiêu 50%",
    ),
    (
        "3.3.5",
        "Tỷ lệ hồ sơ TTHC được giải quyết qua dịch vụ công trực tuyến toàn trình (mức độ 4)",
        200,
        175,
        "Biểu 06 các quý",
        "Tỷ lệ hồ sơ trực tuyến toàn trình chưa đạt chỉ tiêu 10% ở một số quý",
    ),
    (
        "3.4",
        "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
        200,
        200,
        "Sổ theo dõi phản ánh, kiến nghị",
        "",
    ),
    (
        "4",
        "Nâng cao chất lượng đội ngũ cán bộ, công chức",
        1000,
        980,
        "",
        "",
    ),
    (
        "4.1.1",
        "Thực hiện cơ cấu công chức theo vị trí việc làm",
        200,
        200,
        "Đề án vị trí việc làm",
        "",
    ),
    (
        "4.1.2",
        "Tuyển dụng, sử dụng cán bộ, công chức",
        200,
        200,
        "Báo cáo số lượng, chất lượng CBCC",
        "",
    ),
    (
        "4.1.3",
        "Đào tạo, bồi dưỡng cán bộ, công chức",
        200,
        200,
        "Kế hoạch đào tạo, bồi dưỡng năm 2024",
        "",
    ),
    (
        "4.1.4",
        "Kết quả đánh giá chất lượng, hiệu quả công việc của Chủ tịch UBND phường",
        200,
        180,
        "Kết quả đánh giá hằng tháng",
        "Chủ tịch UBND phường có 11/12 tháng hoàn thành xuất sắc nhiệm vụ",
    ),
    (
        "4.2",
        "Thực hiện kỷ luật, kỷ cương hành chính",
        200,
        200,
        "Báo cáo kiểm tra công vụ",
        "",
    ),
    (
        "5",
        "Quản lý Tài chính - Cải cách Tài chính công",
        600,
        600,
        "",
        "",
    ),
    (
        "5.1",
        "Thực hiện cơ chế tự chủ, tự chịu trách nhiệm về tài chính",
        300,
        300,
        "Quy chế chi tiêu nội bộ",
        "",
    ),
    (
        "5.2",
        "Quản lý, sử dụng tài sản công; công khai ngân sách",
        300,
        300,
        "Báo cáo công khai ngân sách",
        "",
    ),
    ("6", "Hiện đại hoá Hành chính", 1000, 1000, "", ""),
    (
        "6.1",
        "Ứng dụng công nghệ thông tin, chuyển đổi số",
        400,
        400,
        "Báo cáo chuyển đổi số",
        "",
    ),
    (
        "6.2",
        "Cung cấp dịch vụ công trực tuyến",
        300,
        300,
        "Cổng dịch vụ công",
        "",
    ),
    (
        "6.3",
        "Thực hiện Đề án 06",
        300,
        300,
        "Báo cáo Đề án 06",
        "",
    ),
    (
        "7",
        "Tác động đến phát triển kinh tế - xã hội",
        500,
        500,
        "",
        "",
    ),
    (
        "7.1",
        "Thu ngân sách trên địa bàn",
        250,
        250,
        "Báo cáo thu ngân sách năm 2024",
        "",
    ),
    (
        "7.2",
        "Thực hiện các chỉ tiêu phát triển kinh tế - xã hội",
        250,
        250,
        "Báo cáo kinh tế - xã hội năm 2024",
        "",
    ),
    (
        "8",
        "Điểm điều tra xã hội học",
        3000,
        2970,
        "Kết quả khảo sát SIPAS",
        "Tỷ lệ hài lòng chưa đạt 100% ở yếu tố tiếp nhận, giải quyết góp ý, phản ánh",
    ),
];

/// The year workbooks of `year` (input/<year>/): the Văn phòng's, with the sheet "Tự chấm điểm".
pub fn generate_year(config: &Config, year: i32) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let Some(unit) = config.don_vi.iter().find(|u| u.tong_hop) else {
        return Ok(Vec::new());
    };
    let period = Period {
        year,
        kind: crate::period::PeriodKind::Year,
    };
    let mut wb = Workbook::new();
    wb.set_properties(&properties(
        config,
        unit,
        &period,
        format!("Tự chấm điểm Chỉ số CCHC {}", period.short_name()),
    )?);
    let f = Formats::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET_SCORES)?;
    let unit_line = format!("Đơn vị: {}", unit.ten);
    title_block(
        ws,
        &f,
        &TitleBlock {
            office: &config.co_quan.ten_ngan,
            unit_line: &unit_line,
            title: scores::TABLE.title,
            period: &period,
            window: period.window(&config.ky_bao_cao),
        },
        scores::TABLE.fields.len() as u16,
    )?;
    table_header(ws, &f, &scores::TABLE, &[])?;
    let score = f.number.clone().set_num_format("0.00");
    let bold_score = f.bold_box.clone().set_num_format("0.00");
    let mut row = HEADER_ROW + 1;
    for (code, name, max, pts, evidence, note) in SELF_ASSESSMENT {
        let area = !code.contains('.');
        let (text, num) = if area {
            (&f.bold_box, &bold_score)
        } else {
            (&f.cell, &score)
        };
        ws.write_string_with_format(row, 0, code, text)?;
        ws.write_string_with_format(row, 1, name, text)?;
        ws.write_number_with_format(row, 2, max as f64 / 100.0, num)?;
        ws.write_number_with_format(row, 3, pts as f64 / 100.0, num)?;
        ws.write_string_with_format(row, 4, evidence, &f.cell)?;
        ws.write_string_with_format(row, 5, note, &f.cell)?;
        row += 1;
    }
    // A stated total, as offices write it (the report recomputes it from the areas).
    let areas = SELF_ASSESSMENT.iter().filter(|r| !r.0.contains('.'));
    let (max, pts) = areas.fold((0, 0), |(m, p), r| (m + r.2, p + r.3));
    ws.write_blank(row, 0, &f.bold_box)?;
    ws.write_string_with_format(row, 1, "Tổng cộng", &f.bold_box)?;
    ws.write_number_with_format(row, 2, max as f64 / 100.0, &bold_score)?;
    ws.write_number_with_format(row, 3, pts as f64 / 100.0, &bold_score)?;
    ws.write_blank(row, 4, &f.bold_box)?;
    ws.write_blank(row, 5, &f.bold_box)?;
    let bytes = wb.save_to_buffer()?;
    Ok(vec![(
        format!("input/{year}/{}", file_name(&unit.ma)),
        bytes,
    )])
}

/// A small deterministic hash (FNV-1a) of the parts: variety without randomness.
fn mix(parts: &[&str], n: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h ^= n;
    h = h.wrapping_mul(0x0100_0000_01b3);
    // One LCG step spreads the low bits, which FNV leaves weak for short inputs.
    h = h.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    h >> 33
}

// ---------------------------------------------------------------------------------------------
// Biểu 06 figures

/// The lĩnh vực rows: name, share of new dossiers (per mille), online factor (% of the
/// quarter's online rate), carried over into Q1, pending at the end of Q1..Q4, BCCI share (%).
struct Field {
    name: &'static str,
    share: u32,
    online_factor: u32,
    carried_q1: u32,
    pending: [u32; 4],
    bcci: u32,
}

const FIELDS: [Field; 6] = [
    Field {
        name: "Hộ tịch",
        share: 200,
        online_factor: 110,
        carried_q1: 3,
        pending: [4, 3, 5, 2],
        bcci: 4,
    },
    Field {
        name: "Chứng thực",
        share: 550,
        online_factor: 100,
        carried_q1: 0,
        pending: [0, 1, 0, 0],
        bcci: 1,
    },
    Field {
        name: "Đất đai",
        share: 80,
        online_factor: 50,
        carried_q1: 6,
        pending: [7, 9, 8, 5],
        bcci: 6,
    },
    Field {
        name: "Xây dựng",
        share: 50,
        online_factor: 70,
        carried_q1: 2,
        pending: [3, 2, 4, 2],
        bcci: 5,
    },
    Field {
        name: "Lao động - Thương binh và Xã hội",
        share: 100,
        online_factor: 120,
        carried_q1: 4,
        pending: [5, 6, 4, 3],
        bcci: 6,
    },
    Field {
        name: "Thi đua - Khen thưởng",
        share: 20,
        online_factor: 80,
        carried_q1: 0,
        pending: [0, 1, 0, 0],
        bcci: 0,
    },
];

/// New dossiers per quarter ((4)+(5)); 4.080 in the year, the seed's yearly figure.
/// The lĩnh vực rows of the sample's Biểu 06 (the typical fields of a ward).
pub(crate) fn field_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|f| f.name)
}

const NEW_PER_QUARTER: [u32; 4] = [960, 1020, 1010, 1090];
/// Online rate per quarter in % before the field factor: about 20% rising to 45%.
const ONLINE_RATE: [u32; 4] = [21, 29, 38, 46];

/// One Biểu 06 row; `c[i]` is column (i+3) for i in 0..11, then the plan's splits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierFigures {
    pub field: &'static str,
    /// Columns (3)..(13).
    pub c: [u32; 11],
    pub online_partial: u32,
    pub online_full: u32,
    pub bcci_received: u32,
    pub bcci_returned: u32,
    pub apologies: u32,
}

/// The four quarters of Biểu 06, carried-over (6) chaining from the previous quarter's (11).
fn dossier_year() -> Vec<Vec<DossierFigures>> {
    let mut year = Vec::new();
    let mut prev: Option<Vec<DossierFigures>> = None;
    for qi in 0..4 {
        let total_new = NEW_PER_QUARTER[qi];
        let mut news: Vec<u32> = FIELDS.iter().map(|f| total_new * f.share / 1000).collect();
        // Chứng thực, the largest field, absorbs the rounding so that the quarter adds up.
        let rest = total_new - news.iter().sum::<u32>();
        news[1] += rest;
        let mut rows = Vec::new();
        for (fi, f) in FIELDS.iter().enumerate() {
            let new = news[fi];
            let online = (new * ONLINE_RATE[qi] * f.online_factor / 10_000).min(new);
            let direct = new - online;
            let carried = match &prev {
                None => f.carried_q1,
                Some(p) => p[fi].c[8],
            };
            let carried_late = prev.as_ref().map_or(0, |p| p[fi].c[10]);
            let received = online + direct + carried;
            let pending = f.pending[qi].min(received);
            // A few dossiers run late: Đất đai and Xây dựng in Q2 (solved late) and Q3 (still
            // pending, late); those are solved, late, in Q4.
            let pending_late = match (qi, f.name) {
                (2, "Đất đai") => 2,
                (2, "Xây dựng") => 1,
                _ => 0,
            }
            .min(pending);
            let solved = received - pending;
            let solved_late = match (qi, f.name) {
                (1, "Đất đai") => 2,
                (1, "Xây dựng") => 1,
                _ => carried_late,
            }
            .min(solved);
            let on_time_pct = 5 + mix(&[f.name], qi as u64) as u32 % 11;
            let on_time = ((solved - solved_late) * on_time_pct / 100).max(1.min(solved));
            let early = solved - solved_late - on_time;
            let online_full = (online * 20 + 50) / 100;
            rows.push(DossierFigures {
                field: f.name,
                c: [
                    received,
                    online,
                    direct,
                    carried,
                    solved,
                    early,
                    on_time,
                    solved_late,
                    pending,
                    pending - pending_late,
                    pending_late,
                ],
                online_partial: online - online_full,
                online_full,
                bcci_received: direct * f.bcci / 100,
                bcci_returned: new * (f.bcci + 1) / 100,
                apologies: solved_late + pending_late,
            });
        }
        prev = Some(rows.clone());
        year.push(rows);
    }
    year
}

/// Sum of a Biểu 06 quarter: columns (3)..(13) then the five splits.
fn dossier_totals(rows: &[DossierFigures]) -> [u32; N] {
    let mut t = [0u32; N];
    for r in rows {
        for (i, v) in row_values(r).iter().enumerate() {
            t[i] += v;
        }
    }
    t
}

/// Yearly totals per Biểu 06 column (3)..(18), as the generator writes them (for reports and
/// checks by hand).
pub fn dossier_year_totals() -> [u32; N] {
    let mut t = [0u32; N];
    for q in dossier_year() {
        for (i, v) in dossier_totals(&q).iter().enumerate() {
            t[i] += v;
        }
    }
    t
}

// ---------------------------------------------------------------------------------------------
// SIPAS

/// Answers per level (Rất hài lòng .. Rất không hài lòng) for a factor in a quarter.
fn sipas_answers(q: u8, factor: usize) -> [u32; 5] {
    let total = 150 + 30 * q as u32 + 5 * factor as u32;
    let neutral = 1 + mix(&["sipas", SIPAS_FACTORS[factor]], q as u64) as u32 % 4;
    // One dissatisfied answer on procedures in Q1, before the forms were reviewed.
    let unhappy = u32::from(q == 1 && factor == 1);
    let very = total * (52 + 3 * q as u32) / 100;
    [very, total - very - neutral - unhappy, neutral, unhappy, 0]
}

/// Satisfied share in hundredths of a percent over the given quarters (all factors).
fn sipas_satisfied(quarters: &[u8]) -> (u32, i64) {
    let (mut ok, mut all) = (0u32, 0u32);
    for &q in quarters {
        for f in 0..5 {
            let a = sipas_answers(q, f);
            ok += a[0] + a[1];
            all += a.iter().sum::<u32>();
        }
    }
    let pct = vn::percent_hundredths(ok as i64, all as i64).unwrap_or(0);
    (all, pct)
}

// ---------------------------------------------------------------------------------------------
// Figures of "Số liệu"

/// The value of a unit indicator in a quarter, with a note.
fn figure(code: &str, q: u8) -> (u32, &'static str) {
    let qi = q as usize - 1;
    let pick = |v: [u32; 4]| v[qi];
    match code {
        "VP01" => (pick([2, 2, 3, 2]), "Gồm kiểm tra định kỳ và đột xuất"),
        "VP02" => (pick([4, 6, 3, 5]), "Kế hoạch, công văn, thông báo"),
        "VP03" => (pick([5, 5, 5, 6]), "Gửi qua Hệ thống quản lý văn bản"),
        "VP04" => (pick([0, 1, 2, 1]), ""),
        "TP01" => (pick([6, 9, 4, 7]), "Không phát hiện văn bản trái pháp luật"),
        "TP02" => (pick([1, 2, 1, 2]), ""),
        "TP03" => (pick([214, 268, 301, 352]), "Cấp bản sao điện tử từ sổ gốc"),
        "VHTT01" => (pick([14, 18, 16, 21]), "Trang TTĐT phường"),
        "VHTT02" => (
            pick([9, 10, 9, 11]),
            "Pa nô, loa truyền thanh, Facebook, Zalo...",
        ),
        "VHTT03" => (pick([11, 15, 12, 17]), ""),
        "TCKT01" => (pick([1, 1, 0, 2]), "Niêm yết tại trụ sở và Trang TTĐT"),
        "TCKT02" => (pick([0, 2, 0, 1]), ""),
        "MC01" => (pick([3, 5, 2, 4]), "Qua hộp thư góp ý và đường dây nóng"),
        "MC02" => (pick([3, 5, 2, 4]), "Trả lời bằng văn bản 100%"),
        "MC03" => (pick([0, 1, 0, 1]), "Theo Kế hoạch tổ chức đối thoại"),
        "CA01" => (
            pick([812, 1032, 968, 1104]),
            "Đăng ký cư trú, đăng ký khai sinh liên thông",
        ),
        "CA02" => (pick([1130, 1245, 860, 702]), "Tài khoản VNeID mức 2"),
        other => (3 + mix(&[other], q as u64) as u32 % 20, ""),
    }
}

// ---------------------------------------------------------------------------------------------
// Task rows

/// What a unit writes for one task in one quarter.
struct TaskReport {
    status: Status,
    result: String,
    evidence: String,
    difficulty: String,
    done: Option<NaiveDate>,
}

struct Ctx<'a> {
    config: &'a Config,
    unit: &'a Unit,
    period: Period,
    q: u8,
    window: (NaiveDate, NaiveDate),
    dossiers: &'a [DossierFigures],
}

impl Ctx<'_> {
    /// A date inside the window, `back` days before its end (never before its start).
    fn day_before_end(&self, back: i64) -> NaiveDate {
        let d = self.window.1 - chrono::Duration::days(back);
        d.max(self.window.0)
    }

    /// A date in `month` of the period's year clamped into the window.
    fn day_in(&self, month: u32, day: u32) -> NaiveDate {
        day_in_window(self.period.year, self.window, month, day)
    }

    fn h(&self, salt: &str) -> u64 {
        mix(&[&self.unit.ma, salt], self.q as u64)
    }

    /// A document number of the ward ("25/KH-UBND ngày 12/4/2024").
    fn doc(&self, kind: &str, salt: &str, date: NaiveDate) -> String {
        // Numbers grow with the date through the year, as a register's do.
        let n = 5 + date.ordinal() as u64 * 3 / 4 + self.h(salt) % 2;
        format!(
            "{}/{}-{} ngày {}",
            n,
            kind,
            self.config.co_quan.ky_hieu,
            vn::date_short(date)
        )
    }

    fn quarter_label(&self) -> String {
        format!("quý {}", vn::roman(self.q as u32))
    }

    /// Whether a task of the unit gets a row this quarter: expected in the period, or a
    /// month/quarter task due earlier and not yet done (it keeps being reported).
    fn has_row(&self, task: &Task) -> bool {
        if !task.leads.contains(&self.unit.ma) {
            return false;
        }
        if task.deadline.expected_in(&self.period) {
            return true;
        }
        task.code == LATE_TASK && task.deadline.overdue_at(self.window.1)
    }

    fn report(&self, task: &Task) -> TaskReport {
        let code = task.code.as_str();
        let u = self.unit.ma.as_str();
        let q = self.q;
        let ql = self.quarter_label();
        let end = self.window.1;
        let mut r = TaskReport {
            status: Status::Done,
            result: String::new(),
            evidence: String::new(),
            difficulty: String::new(),
            done: None,
        };
        let t = dossier_totals(self.dossiers);
        let new = t[1] + t[2];
        let online_pct =
            vn::hundredths(vn::percent_hundredths(t[1] as i64, new as i64).unwrap_or(0));
        let full_pct =
            vn::hundredths(vn::percent_hundredths(t[12] as i64, new as i64).unwrap_or(0));
        let bcci_pct = vn::hundredths(
            vn::percent_hundredths((t[13] + t[14]) as i64, (new + t[4]) as i64).unwrap_or(0),
        );
        let on_time = t[5] + t[6];
        let on_time_pct =
            vn::hundredths(vn::percent_hundredths(on_time as i64, t[4] as i64).unwrap_or(0));
        match (code, u) {
            ("PL1.1", _) => {
                let d = self.day_before_end(4 + (self.h(code) % 5) as i64);
                r.result = format!(
                    "Tham mưu UBND phường ban hành {} kế hoạch, {} văn bản triển khai nhiệm vụ \
                     Quận ủy, UBND quận, Đảng ủy phường giao; tổng hợp kết quả hằng tháng, các \
                     nhiệm vụ đến hạn trong {ql} đều được theo dõi, đôn đốc đúng tiến độ.",
                    vn::thousands(2 + (self.h("kh") % 3) as i64),
                    vn::thousands(figure("VP02", q).0 as i64 + 3),
                );
                r.evidence = format!(
                    "Báo cáo số {} về kết quả thực hiện nhiệm vụ tháng {}",
                    self.doc("BC", code, d),
                    end.month()
                );
                r.done = Some(d);
            }
            ("PL1.2", _) => {
                r.status = Status::InProgress;
                if q <= 3 {
                    r.result = format!(
                        "Đã đề nghị các ngành, bộ phận đăng ký sáng kiến, mô hình mới trong công \
                         tác CCHC; đã nhận {:02} đề xuất, đang hoàn thiện hồ sơ để trình Hội đồng \
                         sáng kiến phường.",
                        figure("VP04", q).0
                    );
                    r.evidence = format!(
                        "Công văn số {}",
                        self.doc("UBND-VP", code, self.day_in(7, 8))
                            .replacen("-UBND", "", 1)
                    );
                    r.difficulty = "Các đề xuất còn chung chung, chưa có tính mới, chưa đủ điều \
                                    kiện đề nghị công nhận là sáng kiến."
                        .to_string();
                } else {
                    r.result = "Đang phối hợp Bộ phận Một cửa hoàn thiện mô hình \"Tổ hỗ trợ dịch \
                                vụ công trực tuyến tại Tổ dân phố\"; dự kiến trình Hội đồng sáng \
                                kiến phường trong tháng 12/2024."
                        .to_string();
                    r.evidence = "Dự thảo Đề án mô hình (đang hoàn thiện)".to_string();
                    r.difficulty = "Chậm so với thời hạn tháng 9/2024 do chưa có đề xuất đạt yêu \
                                    cầu; cán bộ Văn phòng kiêm nhiệm nhiều việc."
                        .to_string();
                }
            }
            ("PL1.3", _) => {
                let d = self.day_in(if q == 2 { 5 } else { 11 }, if q == 2 { 23 } else { 21 });
                let (guests, asks) = if q == 2 { (68, 12) } else { (74, 9) };
                r.result = format!(
                    "Tổ chức Hội nghị đối thoại với cá nhân, tổ chức về TTHC và giải quyết TTHC \
                     ngày {}: {guests} đại biểu tham dự, {asks} ý kiến được giải đáp trực tiếp \
                     tại hội nghị.",
                    vn::date_short(d)
                );
                r.evidence = format!(
                    "Kế hoạch số {}; Biên bản hội nghị đối thoại ngày {}",
                    self.doc("KH", code, d - chrono::Duration::days(14)),
                    vn::date_short(d)
                );
                r.done = Some(d);
            }
            ("PL1.4", _) | ("PL2.V.3", _) => {
                let news = figure("VHTT01", q).0;
                let qa = figure("VHTT03", q).0;
                r.result = if code == "PL1.4" {
                    format!(
                        "Đăng tải {news} tin, bài về CCHC trên Trang TTĐT phường; cập nhật {qa} \
                         câu hỏi - đáp về TTHC trên chuyên mục Hỏi và đáp và Trang Facebook \
                         phường."
                    )
                } else {
                    format!(
                        "Duy trì chuyên mục \"Hỏi và đáp\"; tiếp nhận và trả lời {qa} câu hỏi của \
                         công dân về TTHC, thời gian trả lời trung bình 02 ngày làm việc."
                    )
                };
                r.evidence =
                    "Trang TTĐT phường; Trang Facebook \"UBND phường Phú Lãm\"".to_string();
                r.done = Some(self.day_before_end(2));
            }
            ("PL1.5", _) => {
                let k = figure("VP01", q).0;
                let d = self.day_before_end(10 + (self.h(code) % 15) as i64);
                r.result = format!(
                    "Tổ chức {k:02} cuộc tự kiểm tra công vụ, kiểm tra công tác CCHC tại Bộ phận \
                     Một cửa và các bộ phận chuyên môn; không phát hiện vi phạm, nhắc nhở {} \
                     trường hợp về giờ giấc làm việc.",
                    1 + self.h("nhac") % 3
                );
                r.evidence = format!("Thông báo kết luận kiểm tra số {}", self.doc("TB", code, d));
                r.done = Some(d);
            }
            ("PL1.6", _) => {
                r.result = "Chủ tịch UBND phường trực tiếp phụ trách công tác CCHC, chủ trì giao \
                            ban CCHC hằng tháng; các nhiệm vụ CCHC được đưa vào chương trình công \
                            tác của UBND phường."
                    .to_string();
                r.evidence = "Quyết định số 15/QĐ-UBND ngày 10/01/2024 phân công nhiệm vụ Chủ \
                              tịch, các Phó Chủ tịch UBND phường"
                    .to_string();
                r.done = Some(self.day_before_end(1));
            }
            ("PL1.7", _) => {
                let (n, pct) = sipas_satisfied(&[1, 2]);
                let d = self.day_in(6, 7);
                r.result = format!(
                    "Tổng hợp kết quả đánh giá sự hài lòng 6 tháng đầu năm 2024: {} lượt đánh \
                     giá, tỷ lệ hài lòng {}%.",
                    vn::thousands(n as i64),
                    vn::hundredths(pct)
                );
                r.evidence = format!("Báo cáo số {}", self.doc("BC", code, d));
                r.done = Some(d);
            }
            ("PL1.8", "MC") => {
                let (n, pct) = sipas_satisfied(&[q]);
                r.result = format!(
                    "Duy trì khảo sát sự hài lòng tại Bộ phận Một cửa (phiếu giấy và mã QR): {} \
                     lượt đánh giá, {}% hài lòng.",
                    vn::thousands(n as i64),
                    vn::hundredths(pct)
                );
                r.evidence = "Phiếu khảo sát; Biên bản tổng hợp phiếu hằng tháng".to_string();
                r.done = Some(self.day_before_end(3));
            }
            ("PL1.8", _) => {
                let n = 40 + self.h(code) % 30;
                r.result = format!(
                    "Phát {n} phiếu lấy ý kiến người dân về sự phục vụ của UBND phường tại các \
                     Tổ dân phố; đã tổng hợp, báo cáo Chủ tịch UBND phường."
                );
                r.evidence = format!(
                    "Báo cáo số {}",
                    self.doc("BC", code, self.day_before_end(6))
                );
                r.done = Some(self.day_before_end(6));
            }
            ("PL1.9", _) => {
                let d = self.day_in(10, 25);
                r.result = "Hoàn thành tự chấm điểm công tác CCHC năm 2024 trên phần mềm của \
                            Thành phố, kèm tài liệu kiểm chứng; gửi Phòng Nội vụ quận đúng hạn."
                    .to_string();
                r.evidence = format!("Báo cáo tự đánh giá số {}", self.doc("BC", code, d));
                r.done = Some(d);
            }
            ("PL1.10", _) => {
                let d = self.day_before_end(0);
                r.result = format!(
                    "Tự kiểm tra công tác kiểm soát TTHC; báo cáo kết quả {ql} trên Hệ thống \
                     thông tin báo cáo Chính phủ (baocaochinhphu.gov.vn) đúng hạn."
                );
                r.evidence = format!("Báo cáo số {}", self.doc("BC", code, d));
                r.done = Some(d);
            }
            ("PL1.11", _) | ("PL2.IV.2", _) => {
                r.result = format!(
                    "Tiếp nhận {} hồ sơ TTHC (kỳ trước chuyển sang {}); đã giải quyết {}, trong \
                     đó trước hạn và đúng hạn {} hồ sơ ({}%); đang giải quyết {}.",
                    vn::thousands(t[0] as i64),
                    t[3],
                    vn::thousands(t[4] as i64),
                    vn::thousands(on_time as i64),
                    on_time_pct,
                    t[8]
                );
                r.evidence = "Biểu số 06/VPCP/KSTT kèm theo; số liệu Hệ thống thông tin giải \
                              quyết TTHC Thành phố"
                    .to_string();
                if t[7] + t[10] > 0 {
                    r.difficulty = format!(
                        "{:02} hồ sơ quá hạn (lĩnh vực Đất đai, Xây dựng) do phải xác minh nguồn \
                         gốc đất, lấy ý kiến khu dân cư; đã gửi {:02} thư xin lỗi công dân.",
                        t[7] + t[10],
                        t[15]
                    );
                    r.status = if code == "PL1.11" {
                        Status::Done
                    } else {
                        Status::InProgress
                    };
                }
                r.done = (r.status == Status::Done).then(|| self.day_before_end(0));
            }
            ("PL1.12", _) => {
                r.status = Status::InProgress;
                r.result = format!(
                    "Tỷ lệ hồ sơ trực tuyến {online_pct}% ({}/{} hồ sơ), trong đó toàn trình \
                     {full_pct}%; tiếp nhận và trả kết quả qua dịch vụ BCCI {bcci_pct}%.",
                    vn::thousands(t[1] as i64),
                    vn::thousands(new as i64),
                );
                r.evidence = "Biểu số 06/VPCP/KSTT kèm theo".to_string();
                if q <= 2 {
                    r.difficulty = format!(
                        "Tỷ lệ hồ sơ trực tuyến mới đạt {online_pct}%, thấp hơn chỉ tiêu 50%; \
                         người cao tuổi chưa quen sử dụng dịch vụ công trực tuyến, nhiều hồ sơ \
                         chứng thực vẫn nộp bản giấy."
                    );
                }
            }
            ("PL1.14", _) => {
                r.result = "100% cán bộ, công chức lập kế hoạch công tác và lịch làm việc trên \
                            phần mềm dgcbcc.hanoi.gov.vn; hoàn thành chấm điểm hằng tháng đúng \
                            thời hạn."
                    .to_string();
                r.evidence = "Dữ liệu phần mềm dgcbcc.hanoi.gov.vn".to_string();
                r.done = Some(self.day_before_end(9));
            }
            ("PL1.15", _) => {
                r.result = format!(
                    "Tham gia {:02} cuộc họp trực tuyến do Thành phố, quận tổ chức; bảo đảm \
                     đường truyền, phòng họp và thành phần theo giấy mời.",
                    5 + self.h(code) % 6
                );
                r.evidence = "Giấy mời; sổ theo dõi họp trực tuyến".to_string();
                r.done = Some(self.day_before_end(1));
            }
            ("PL1.16", "MC") => {
                r.status = Status::InProgress;
                r.result = "Áp dụng quy trình ISO 9001:2015 đối với 100% TTHC tiếp nhận tại Bộ \
                            phận Một cửa; cập nhật quy trình theo các quyết định công bố TTHC mới."
                    .to_string();
                r.evidence = "Bộ quy trình nội bộ giải quyết TTHC".to_string();
            }
            ("PL1.16", _) => {
                r.status = Status::InProgress;
                r.result = "Duy trì Hệ thống quản lý chất lượng theo tiêu chuẩn ISO 9001:2015; \
                            rà soát, cập nhật các quy trình nội bộ."
                    .to_string();
                r.evidence = "Báo cáo đánh giá nội bộ HTQLCL".to_string();
                if q == 3 {
                    r.difficulty =
                        "Chưa có hướng dẫn của Phòng Kinh tế quận về chuyển đổi Hệ thống \
                                    ISO sang phiên bản điện tử."
                            .to_string();
                }
            }
            ("PL1.17", "CA") => {
                r.result = format!(
                    "Tiếp nhận {} hồ sơ TTHC liên thông trên môi trường mạng (Đề án 06); kích \
                     hoạt {} tài khoản định danh điện tử mức 2.",
                    vn::thousands(figure("CA01", q).0 as i64),
                    vn::thousands(figure("CA02", q).0 as i64)
                );
                r.evidence = "Báo cáo tiến độ Đề án 06 gửi Công an quận".to_string();
                r.done = Some(self.day_before_end(4));
                if q == 1 {
                    r.difficulty = "Thiếu cán bộ hỗ trợ kích hoạt tài khoản định danh tại Tổ dân \
                                    phố; nhiều người cao tuổi không có điện thoại thông minh."
                        .to_string();
                }
            }
            ("PL1.17", _) => {
                r.status = Status::InProgress;
                r.result = "Triển khai Kế hoạch chuyển đổi số năm 2024 của phường; duy trì 100% \
                            văn bản đi, đến được xử lý trên môi trường mạng (trừ văn bản mật)."
                    .to_string();
                r.evidence = format!(
                    "Kế hoạch chuyển đổi số số {}",
                    NaiveDate::from_ymd_opt(self.period.year, 1, 22)
                        .map(|d| format!("21/KH-UBND ngày {}", vn::date_short(d)))
                        .unwrap_or_default()
                );
            }
            ("PL2.I.1", _) => {
                r.result =
                    "Biển hiệu, khẩu hiệu Bộ phận Một cửa theo Bộ nhận diện thương hiệu của \
                            Thành phố; bố trí 02 máy tính kết nối Internet, 01 máy scan; niêm yết \
                            công khai tại trụ sở và Trang TTĐT phường."
                        .to_string();
                r.evidence = "Ảnh chụp khu vực Bộ phận Một cửa".to_string();
                r.done = Some(self.day_before_end(7));
                if q == 2 {
                    r.result
                        .push_str(" Công khai mở rộng qua Đài truyền thanh và bảng tin nhà văn hóa 18 Tổ dân phố.");
                }
            }
            ("PL2.I.2", _) => {
                r.result = if q == 3 {
                    "Thay mới 01 điều hòa, bổ sung cây xanh, nước uống, quạt máy phục vụ công dân."
                } else {
                    "Bảo đảm nước uống, quạt máy, điều hòa, cây xanh, ghế chờ phục vụ công dân."
                }
                .to_string();
                r.evidence = "Sổ theo dõi tài sản Bộ phận Một cửa".to_string();
                r.done = Some(self.day_before_end(5));
            }
            ("PL2.I.3", "VHTT") => {
                r.result = "Đăng tải danh sách công chức Bộ phận Một cửa, số điện thoại đường dây \
                            nóng, hướng dẫn thực hiện phản ánh, kiến nghị trên Trang TTĐT phường."
                    .to_string();
                r.evidence = "Trang TTĐT phường, mục Thủ tục hành chính".to_string();
                r.done = Some(self.day_before_end(8));
            }
            ("PL2.I.3", _) => {
                r.result =
                    "Công khai thời gian làm việc, quyết định công bố TTHC, đường dây nóng, \
                            số điện thoại Trưởng bộ phận và danh sách công chức Một cửa tại vị trí \
                            dễ quan sát."
                        .to_string();
                r.evidence = "Bảng niêm yết tại Bộ phận Một cửa".to_string();
                r.done = Some(self.day_before_end(8));
            }
            ("PL2.II.2", _) => {
                let k = 6 + self.h(code) % 9;
                r.result = format!(
                    "Rà soát {k:02} mẫu tờ khai, hồ sơ mẫu tại bàn viết hồ sơ; thay thế các mẫu đã \
                     hết hiệu lực, không yêu cầu thành phần hồ sơ ngoài quy định."
                );
                r.evidence = "Danh mục hồ sơ mẫu đã rà soát".to_string();
                r.done = Some(self.day_before_end(11));
            }
            ("PL2.II.3", _) => {
                r.result = "Bố trí công chức hướng dẫn, hỗ trợ người dân nộp hồ sơ trực tuyến vào \
                            sáng thứ Ba và thứ Năm hằng tuần tại Bộ phận Một cửa."
                    .to_string();
                r.evidence = "Lịch trực hỗ trợ dịch vụ công trực tuyến".to_string();
                r.done = Some(self.day_before_end(2));
            }
            ("PL2.III.1", _) => {
                r.result = "Bộ phận Một cửa bố trí đủ công chức theo lĩnh vực; có Thông báo phân \
                            công nhiệm vụ cụ thể."
                    .to_string();
                r.evidence = "Thông báo số 12/TB-UBND ngày 15/01/2024 phân công công chức Một cửa"
                    .to_string();
                if q == 3 && u == "MC" {
                    r.status = Status::InProgress;
                    r.difficulty = "Thiếu 01 công chức tiếp nhận do luân chuyển từ tháng 7/2024, \
                                    phải bố trí công chức Tư pháp kiêm nhiệm."
                        .to_string();
                } else {
                    r.done = Some(self.day_before_end(12));
                }
            }
            ("PL2.III.3", _) => {
                let d = self.day_before_end(16 + (self.h(code) % 20) as i64);
                r.result = format!(
                    "Kiểm tra đột xuất {ql} việc chấp hành giờ giấc, kỷ luật, kỷ cương hành chính \
                     tại Bộ phận Một cửa; không phát hiện vi phạm."
                );
                r.evidence = format!("Biên bản kiểm tra ngày {}", vn::date_short(d));
                r.done = Some(d);
            }
            ("PL2.III.4", _) => {
                r.result =
                    "100% cán bộ, công chức thực hiện đúng quy định về trang phục, đeo thẻ; \
                            không có phản ánh về thái độ giao tiếp."
                        .to_string();
                r.evidence = "Kết quả kiểm tra công vụ".to_string();
                r.done = Some(self.day_before_end(3));
            }
            ("PL2.IV.1", _) => {
                let d = self.day_in(end.month(), 4);
                r.result = format!(
                    "Báo cáo kết quả thực hiện nhiệm vụ cải thiện chỉ số SIPAS hằng tháng trước \
                     ngày 05 và lồng ghép trong báo cáo CCHC {ql}."
                );
                r.evidence = format!("Báo cáo số {}", self.doc("BC", code, d));
                r.done = Some(d);
            }
            ("PL2.IV.3", _) => {
                let (n, pct) = sipas_satisfied(&[1, 2, 3]);
                let d = self.day_in(10, 18);
                r.result = format!(
                    "Tổ chức đánh giá chất lượng giải quyết TTHC theo Quyết định 5432/QĐ-UBND: \
                     {} lượt đánh giá 9 tháng, tỷ lệ hài lòng {}%.",
                    vn::thousands(n as i64),
                    vn::hundredths(pct)
                );
                r.evidence = format!("Báo cáo số {}", self.doc("BC", code, d));
                r.done = Some(d);
            }
            ("PL2.V.2", "TP") => {
                r.result = "Phối hợp Bộ phận Một cửa kiểm phiếu, lập biên bản kết quả tự khảo sát \
                            sự hài lòng hằng tháng."
                    .to_string();
                r.evidence = format!("03 biên bản kiểm phiếu {ql}");
                r.done = Some(self.day_before_end(9));
            }
            ("PL2.V.2", _) => {
                let (n, pct) = sipas_satisfied(&[q]);
                r.result = format!(
                    "Báo cáo kết quả tự khảo sát hằng tháng: {} lượt khảo sát trong {ql}, {}% hài \
                     lòng.",
                    vn::thousands(n as i64),
                    vn::hundredths(pct)
                );
                r.evidence = "Báo cáo tháng; Biên bản kiểm phiếu".to_string();
                r.done = Some(self.day_before_end(9));
            }
            _ => {
                // A task the sample has no specific text for (another plan): a plain statement.
                r.result = format!("Đã triển khai thực hiện theo Kế hoạch trong {ql}.");
                r.evidence = format!("Báo cáo của {}", self.unit.ten);
                r.done = Some(self.day_before_end(5));
            }
        }
        if r.status != Status::Done {
            r.done = None;
        }
        r
    }

    fn workbook(&self, plan: &Plan) -> Result<Vec<u8>, XlsxError> {
        let mut wb = Workbook::new();
        // A fixed creation date (the units' deadline) keeps the bytes reproducible.
        let props = properties(
            self.config,
            self.unit,
            &self.period,
            format!("Báo cáo CCHC {}", self.period.short_name()),
        )?;
        wb.set_properties(&props);
        let f = Formats::new();
        self.tasks_sheet(wb.add_worksheet(), &f, plan)?;
        self.figures_sheet(wb.add_worksheet(), &f)?;
        if self.unit.mot_cua {
            self.dossier_sheet(wb.add_worksheet(), &f)?;
            self.sipas_sheet(wb.add_worksheet(), &f)?;
        }
        wb.save_to_buffer()
    }

    /// Rows 1-4: authority, unit, title (merged over `cols`), window.
    fn title(
        &self,
        ws: &mut Worksheet,
        f: &Formats,
        title: &str,
        cols: u16,
    ) -> Result<(), XlsxError> {
        let unit_line = if self.unit.mot_cua && self.q == 3 {
            // Deliberate: a clerk's own wording and an alias of the unit.
            "Đơn vị báo cáo: BP Một cửa".to_string()
        } else {
            format!("Đơn vị: {}", self.unit.ten)
        };
        title_block(
            ws,
            f,
            &TitleBlock {
                office: &self.config.co_quan.ten_ngan,
                unit_line: &unit_line,
                title,
                period: &self.period,
                window: self.window,
            },
            cols,
        )
    }

    fn tasks_sheet(&self, ws: &mut Worksheet, f: &Formats, plan: &Plan) -> Result<(), XlsxError> {
        ws.set_name(SHEET_TASKS)?;
        // The sample's units keep no "Vai trò" column (the reader does not need it).
        let skip = [tasks::ROLE];
        self.title(
            ws,
            f,
            tasks::TABLE.title,
            (tasks::TABLE.fields.len() - skip.len()) as u16,
        )?;
        table_header(ws, f, &tasks::TABLE, &skip)?;
        let at = |i: usize| (if i > tasks::ROLE { i - 1 } else { i }) as u16;
        for (i, task) in plan.tasks.iter().filter(|t| self.has_row(t)).enumerate() {
            let row = HEADER_ROW + 1 + i as u32;
            let r = self.report(task);
            ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
            ws.write_string_with_format(row, at(tasks::CODE), &task.code, &f.center)?;
            ws.write_string_with_format(row, at(tasks::TEXT), task_text(task), &f.cell)?;
            ws.write_string_with_format(row, at(tasks::DEADLINE), &task.deadline_text, &f.cell)?;
            ws.write_string_with_format(row, at(tasks::STATUS), r.status.label(), &f.center)?;
            ws.write_string_with_format(row, at(tasks::RESULT), &r.result, &f.cell)?;
            ws.write_string_with_format(row, at(tasks::EVIDENCE), &r.evidence, &f.cell)?;
            ws.write_string_with_format(row, at(tasks::DIFFICULTY), &r.difficulty, &f.cell)?;
            match r.done {
                Some(d) => {
                    ws.write_datetime_with_format(row, at(tasks::DONE), &excel_date(d)?, &f.date)?;
                }
                None => {
                    ws.write_blank(row, at(tasks::DONE), &f.center)?;
                }
            }
        }
        Ok(())
    }

    fn figures_sheet(&self, ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        ws.set_name(SHEET_FIGURES)?;
        self.title(
            ws,
            f,
            figures::TABLE.title,
            figures::TABLE.fields.len() as u16,
        )?;
        table_header(ws, f, &figures::TABLE, &[])?;
        // Deliberate: the Công an clerk of Q2 typed the large counts as text with dots.
        let as_text = self.unit.ma == "CA" && self.q == 2;
        for (i, ind) in self.unit.chi_so.iter().enumerate() {
            let row = HEADER_ROW + 1 + i as u32;
            let (v, note) = figure(&ind.ma, self.q);
            ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
            ws.write_string_with_format(row, 1, &ind.ma, &f.center)?;
            ws.write_string_with_format(row, 2, &ind.ten, &f.cell)?;
            if as_text {
                ws.write_string_with_format(row, 3, vn::thousands(v as i64), &f.number_text)?;
            } else {
                ws.write_number_with_format(row, 3, v as f64, &f.number)?;
            }
            ws.write_string_with_format(row, 4, note, &f.cell)?;
        }
        Ok(())
    }

    fn dossier_sheet(&self, ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        ws.set_name(SHEET_DOSSIERS)?;
        self.title(ws, f, dossiers::TITLE, DOSSIER_COLS)?;
        let first = dossier_header(ws, f)?;
        for (i, d) in self.dossiers.iter().enumerate() {
            let row = first + i as u32;
            ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
            ws.write_string_with_format(row, 1, d.field, &f.cell)?;
            for (j, v) in row_values(d).iter().enumerate() {
                ws.write_number_with_format(row, 2 + j as u16, *v as f64, &f.number)?;
            }
        }
        let totals = dossier_totals(self.dossiers);
        dossier_total_row(ws, f, first, self.dossiers.len() as u32, &totals)
    }

    fn sipas_sheet(&self, ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        ws.set_name(SHEET_SIPAS)?;
        self.title(ws, f, sipas::TABLE.title, sipas::TABLE.fields.len() as u16)?;
        table_header(ws, f, &sipas::TABLE, &[])?;
        for (i, name) in SIPAS_FACTORS.iter().enumerate() {
            let row = HEADER_ROW + 1 + i as u32;
            ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
            ws.write_string_with_format(row, 1, *name, &f.cell)?;
            for (j, v) in sipas_answers(self.q, i).iter().enumerate() {
                ws.write_number_with_format(row, 2 + j as u16, *v as f64, &f.number)?;
            }
        }
        Ok(())
    }
}

/// Columns (3)..(18) of a Biểu 06 row.
/// A column the sample has no figures for stays 0.
fn row_values(d: &DossierFigures) -> [u32; N] {
    let mut v = [0u32; N];
    v[..Col::OFFICIAL.len()].copy_from_slice(&d.c);
    for (c, value) in [
        (Col::OnlinePartial, d.online_partial),
        (Col::OnlineFull, d.online_full),
        (Col::BcciReceived, d.bcci_received),
        (Col::BcciReturned, d.bcci_returned),
        (Col::Apologies, d.apologies),
    ] {
        v[c as usize] = value;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::Deadline;
    use calamine::{Data, Reader};

    fn is_milestone(d: &Deadline) -> bool {
        matches!(d, Deadline::Month { .. } | Deadline::Quarters { .. })
    }

    fn inputs() -> (Config, Plan) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input");
        let cfg = Config::parse(&std::fs::read_to_string(root.join("cchc.toml")).unwrap()).unwrap();
        let src = std::fs::read_to_string(root.join("ke-hoach.md")).unwrap();
        let (plan, _) = crate::plan::parse(&src, "input/ke-hoach.md", &cfg);
        (cfg, plan.expect("the seed plan parses"))
    }

    fn num(d: &Data) -> i64 {
        match d {
            Data::Float(f) => *f as i64,
            Data::Int(i) => *i,
            other => panic!("not a number: {other:?}"),
        }
    }

    #[test]
    fn mc_q2_workbook_reads_and_adds_up() {
        let (cfg, plan) = inputs();
        let files = generate(&cfg, &plan, 2024).unwrap();
        let (_, bytes) = files
            .iter()
            .find(|(p, _)| p == "input/2024-Q2/mot-cua.xlsx")
            .unwrap();
        let mut wb =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let names = wb.sheet_names();
        for s in [SHEET_TASKS, SHEET_FIGURES, SHEET_DOSSIERS, SHEET_SIPAS] {
            assert!(names.iter().any(|n| n == s), "{s} in {names:?}");
        }
        let r = wb.worksheet_range(SHEET_DOSSIERS).unwrap();
        let start = r.start().unwrap();
        assert_eq!(start, (0, 0));
        let first = (HEADER_ROW + 3) as usize;
        let mut sums = [0i64; N];
        for i in 0..FIELDS.len() {
            let v: Vec<i64> = (2..18)
                .map(|c| num(r.get((first + i, c)).unwrap()))
                .collect();
            assert_eq!(v[0], v[1] + v[2] + v[3], "(3)=(4)+(5)+(6) row {i}");
            assert_eq!(v[4], v[5] + v[6] + v[7], "(7)=(8)+(9)+(10) row {i}");
            assert_eq!(v[8], v[9] + v[10], "(11)=(12)+(13) row {i}");
            assert_eq!(v[0], v[4] + v[8], "(3)=(7)+(11) row {i}");
            assert_eq!(
                v[1],
                v[11] + v[12],
                "online = một phần + toàn trình row {i}"
            );
            assert!(v[15] >= v[7] + v[10], "apologies row {i}");
            for (s, x) in sums.iter_mut().zip(&v) {
                *s += x;
            }
        }
        // The total row's formulas carry their results.
        let total_row = first + FIELDS.len();
        assert_eq!(
            r.get((total_row, 1)),
            Some(&Data::String("Tổng cộng".into()))
        );
        for (j, s) in sums.iter().enumerate() {
            assert_eq!(
                num(r.get((total_row, 2 + j)).unwrap()),
                *s,
                "total col {}",
                j + 3
            );
        }
        // The late dossiers of Q2 are there.
        assert!(sums[7] > 0);
    }

    #[test]
    fn carried_over_chains_and_year_adds_up() {
        let y = dossier_year();
        for q in 1..4 {
            for (a, b) in y[q - 1].iter().zip(&y[q]) {
                assert_eq!(b.c[3], a.c[8], "{} Q{}", b.field, q + 1);
            }
        }
        let t = dossier_year_totals();
        assert_eq!(t[1] + t[2], 4080);
        let share = |q: usize| {
            let t = dossier_totals(&y[q]);
            t[1] * 100 / (t[1] + t[2])
        };
        assert!((18..=22).contains(&share(0)), "{}", share(0));
        assert!((43..=47).contains(&share(3)), "{}", share(3));
    }

    #[test]
    fn deterministic_and_deliberate_quirks() {
        let (cfg, plan) = inputs();
        let a = generate(&cfg, &plan, 2024).unwrap();
        let b = generate(&cfg, &plan, 2024).unwrap();
        assert_eq!(a, b);
        let paths: Vec<&str> = a.iter().map(|(p, _)| p.as_str()).collect();
        assert!(!paths.contains(&"input/2024-Q3/tai-chinh-ke-toan.xlsx"));
        assert!(paths.contains(&"input/2024-Q4/tai-chinh-ke-toan.xlsx"));
        // Each quarter also has the one-stop software's dossier list.
        assert_eq!(paths.len(), 4 * cfg.don_vi.len() - 1 + 4);
        assert!(paths.contains(&"input/2024-Q2/mot-cua-so-theo-doi.xlsx"));
        // PL1.2 is reported, not done, in Q3 and Q4.
        let late = plan.tasks.iter().find(|t| t.code == LATE_TASK).unwrap();
        assert!(is_milestone(&late.deadline));
        let vp = cfg.unit("VP").unwrap();
        for q in [3u8, 4] {
            let period = Period::quarter(2024, q);
            let ctx = Ctx {
                config: &cfg,
                unit: vp,
                period,
                q,
                window: period.window(&cfg.ky_bao_cao),
                dossiers: &[],
            };
            assert!(ctx.has_row(late));
            assert_eq!(ctx.report(late).status, Status::InProgress);
        }
    }

    /// Every sample workbook reads without an error finding (the quirks are warnings at most).
    #[test]
    fn every_workbook_reads_cleanly() {
        let (cfg, plan) = inputs();
        for (path, bytes) in generate(&cfg, &plan, 2024).unwrap() {
            let (input, findings) = crate::sheets::read_input(&bytes, &path, &cfg);
            let errors: Vec<_> = findings.iter().filter(|f| f.is_error()).collect();
            assert!(errors.is_empty(), "{path}: {errors:#?}");
            let sub = match input {
                Some(crate::sheets::Input::Submission(s)) => s,
                Some(crate::sheets::Input::List(l)) => {
                    assert!(path.ends_with(ledger::FILE), "{path}");
                    assert!(!l.dossiers.is_empty());
                    continue;
                }
                None => panic!("{path} not read"),
            };
            let expected = path.rsplit('/').next().unwrap();
            let unit = cfg.unit(&sub.unit).unwrap();
            assert_eq!(file_name(&unit.ma), expected, "{path}: unit {}", sub.unit);
            for f in &findings {
                eprintln!("{path}: {f:?}");
            }
        }
    }
}
