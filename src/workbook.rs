//! The shape of the departmental workbooks as cchc writes them: sheet names and titles, the
//! title block, header rows (Biểu 06's built from `sheets::contract`), column widths and cell
//! formats. The blank forms (`crate::forms`) and the sample workspace (`crate::sample`) both
//! write through these, and the reader (`crate::sheets`) reads what they write.

use crate::config::{Config, Unit};
use crate::period::{Period, last_day};
use crate::plan::Task;
use crate::sheets::contract::{COLUMNS, N, Table, dossiers, figures, scores, sipas, tasks};
use crate::vn;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Worksheet, XlsxError,
};

/// Sheet names as the reader expects them (declared in `sheets::contract`).
pub const SHEET_TASKS: &str = tasks::TABLE.sheet;
pub const SHEET_FIGURES: &str = figures::TABLE.sheet;
pub const SHEET_DOSSIERS: &str = dossiers::SHEET;
pub const SHEET_SIPAS: &str = sipas::TABLE.sheet;

/// The sheet of the year workbook with the PAR INDEX self-assessment.
pub const SHEET_SCORES: &str = scores::TABLE.sheet;

/// Header row of every table (0-based; the title block takes rows 0-4).
pub(crate) const HEADER_ROW: u32 = 5;

/// Workbook file name of a unit: ASCII, as a clerk would save it.
pub fn file_name(code: &str) -> String {
    let stem = match code {
        "VP" => "van-phong".to_string(),
        "TP" => "tu-phap".to_string(),
        "VHTT" => "van-hoa-thong-tin".to_string(),
        "TCKT" => "tai-chinh-ke-toan".to_string(),
        "MC" => "mot-cua".to_string(),
        "CA" => "cong-an".to_string(),
        other => other.to_ascii_lowercase(),
    };
    stem + ".xlsx"
}

pub const SIPAS_FACTORS: [&str; 5] = [
    "Tiếp cận dịch vụ hành chính công",
    "Thủ tục hành chính",
    "Công chức trực tiếp giải quyết công việc",
    "Kết quả cung ứng dịch vụ hành chính công",
    "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
];

// ---------------------------------------------------------------------------------------------
// Building blocks

/// Columns of "Hồ sơ TTHC": STT, Lĩnh vực, then every column of the contract.
pub(crate) const DOSSIER_COLS: u16 = (dossiers::LEADING.len() + COLUMNS.len()) as u16;

/// A task's wording as a cell shows it (the plan's line breaks as new lines).
pub(crate) fn task_text(task: &Task) -> String {
    task.text.replace("<br>", "\n")
}

pub(crate) fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

/// A date in `month` of `year` clamped into `window`.
pub(crate) fn day_in_window(
    year: i32,
    window: (NaiveDate, NaiveDate),
    month: u32,
    day: u32,
) -> NaiveDate {
    let d = NaiveDate::from_ymd_opt(year, month, day).unwrap_or_else(|| last_day(year, month));
    d.clamp(window.0, window.1)
}

/// Document properties of a unit's workbook for a period, created on the units' deadline (a
/// fixed date keeps the bytes reproducible).
pub(crate) fn properties(
    config: &Config,
    unit: &Unit,
    period: &Period,
    title: String,
) -> Result<DocProperties, XlsxError> {
    let window = period.window(&config.ky_bao_cao);
    let created = day_in_window(
        period.year,
        window,
        window.1.month(),
        config.ky_bao_cao.han_don_vi.max(1),
    );
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(unit.ten.clone())
        .set_company(config.co_quan.ten_day_du.clone())
        .set_creation_datetime(&excel_date(created)?))
}

/// What the title rows above a table say.
pub(crate) struct TitleBlock<'a> {
    /// The office's short name ("UBND phường Phú Lãm"), printed in capitals.
    pub office: &'a str,
    /// "Đơn vị: Bộ phận Tư pháp".
    pub unit_line: &'a str,
    /// The sheet's title; the period's name follows.
    pub title: &'a str,
    pub period: &'a Period,
    pub window: (NaiveDate, NaiveDate),
}

/// Rows 1-4: authority, unit, title (merged over `cols`), window.
pub(crate) fn title_block(
    ws: &mut Worksheet,
    f: &Formats,
    t: &TitleBlock,
    cols: u16,
) -> Result<(), XlsxError> {
    ws.merge_range(0, 0, 0, 2, &vn::upper(t.office), &f.bold)?;
    ws.merge_range(1, 0, 1, 2, t.unit_line, &f.plain)?;
    ws.merge_range(
        2,
        0,
        2,
        cols - 1,
        &vn::upper(&format!("{} {}", t.title, t.period.name())),
        &f.title,
    )?;
    ws.merge_range(
        3,
        0,
        3,
        cols - 1,
        &format!(
            "(Số liệu tính từ ngày {} đến ngày {})",
            vn::date_short(t.window.0),
            vn::date_short(t.window.1)
        ),
        &f.italic_center,
    )?;
    ws.set_row_height(2, 33)?;
    Ok(())
}

/// The one-row header of a table at `HEADER_ROW`, with the columns' widths; `skip` leaves out
/// columns the workbook does not have (the sample's units keep no "Vai trò").
pub(crate) fn table_header(
    ws: &mut Worksheet,
    f: &Formats,
    table: &Table,
    skip: &[usize],
) -> Result<(), XlsxError> {
    let kept = table
        .fields
        .iter()
        .enumerate()
        .filter(|(i, _)| !skip.contains(i));
    for (c, (_, field)) in kept.enumerate() {
        ws.set_column_width(c as u16, field.width)?;
        ws.write_string_with_format(HEADER_ROW, c as u16, field.label, &f.header)?;
    }
    Ok(())
}

/// The two-level header of Biểu 06 plus the plan's splits, and the row of column numbers
/// under it; returns the first data row.
pub(crate) fn dossier_header(ws: &mut Worksheet, f: &Formats) -> Result<u32, XlsxError> {
    let (h1, h2) = (HEADER_ROW, HEADER_ROW + 1);
    for (c, lead) in dossiers::LEADING.iter().enumerate() {
        ws.set_column_width(c as u16, lead.width)?;
        ws.merge_range(h1, c as u16, h2, c as u16, lead.label, &f.header)?;
    }
    for c in dossiers::LEADING.len() as u16..DOSSIER_COLS {
        ws.set_column_width(c, 10)?;
    }
    ws.set_row_height(h1, 36)?;
    ws.set_row_height(h2, 48)?;
    // The contract's columns in order: a run of columns under one upper header shares a merged
    // cell over their own lower headers; a one-level column takes both rows.
    let mut i = 0;
    while i < COLUMNS.len() {
        let col = (dossiers::LEADING.len() + i) as u16;
        let group = COLUMNS[i].group;
        if group.is_empty() {
            ws.merge_range(h1, col, h2, col, COLUMNS[i].label, &f.header)?;
            i += 1;
            continue;
        }
        let run = COLUMNS[i..].iter().take_while(|c| c.group == group).count();
        let last = col + run as u16 - 1;
        ws.merge_range(h1, col, h1, last, group, &f.header)?;
        for (k, c) in COLUMNS[i..i + run].iter().enumerate() {
            ws.write_string_with_format(h2, col + k as u16, c.label, &f.header)?;
        }
        i += run;
    }
    // Biểu 06 prints the column numbers under the header.
    let num_row = h2 + 1;
    for c in 0..DOSSIER_COLS {
        ws.write_string_with_format(num_row, c, format!("({})", c + 1), &f.italic_center_box)?;
    }
    Ok(num_row + 1)
}

pub(crate) fn dossier_total_row(
    ws: &mut Worksheet,
    f: &Formats,
    first: u32,
    rows: u32,
    totals: &[u32; N],
) -> Result<(), XlsxError> {
    let total_row = first + rows;
    let last = total_row - 1;
    ws.write_blank(total_row, 0, &f.bold_box)?;
    ws.write_string_with_format(total_row, 1, "Tổng cộng", &f.bold_box)?;
    for (j, v) in totals.iter().enumerate() {
        let col = 2 + j as u16;
        let letter = column_letter(col);
        let formula = Formula::new(format!("=SUM({letter}{}:{letter}{})", first + 1, last + 1))
            .set_result(v.to_string());
        ws.write_formula_with_format(total_row, col, formula, &f.bold_number)?;
    }
    Ok(())
}

/// "A", "B", …, "AA" for a 0-based column.
fn column_letter(col: u16) -> String {
    rust_xlsxwriter::column_number_to_name(col)
}

/// The cell formats of the workbooks (Times New Roman 12, thin borders in tables).
pub(crate) struct Formats {
    pub plain: Format,
    pub bold: Format,
    pub title: Format,
    pub italic_center: Format,
    pub italic_center_box: Format,
    pub header: Format,
    pub cell: Format,
    pub center: Format,
    pub number: Format,
    pub number_text: Format,
    pub bold_number: Format,
    pub bold_box: Format,
    pub date: Format,
}

impl Formats {
    pub(crate) fn new() -> Formats {
        let base = Format::new()
            .set_font_name("Times New Roman")
            .set_font_size(12);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            plain: base.clone(),
            bold: base.clone().set_bold(),
            title: base
                .clone()
                .set_bold()
                .set_font_size(14)
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            italic_center: base.clone().set_italic().set_align(FormatAlign::Center),
            italic_center_box: boxed.clone().set_italic().set_align(FormatAlign::Center),
            header: boxed.clone().set_bold().set_align(FormatAlign::Center),
            cell: boxed.clone().set_align(FormatAlign::Top),
            center: boxed.clone().set_align(FormatAlign::Center),
            number: boxed.clone().set_num_format("#,##0"),
            number_text: boxed.clone().set_align(FormatAlign::Right),
            bold_number: boxed.clone().set_bold().set_num_format("#,##0"),
            bold_box: boxed.clone().set_bold(),
            date: boxed
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Center),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheets::{Col, contract::IDENTITIES};

    /// The report of 2024-Q2 from one submission.
    fn q2_report(
        plan: &crate::Plan,
        config: &Config,
        sub: &crate::sheets::Submission,
    ) -> crate::report::ReportData {
        let q2 = Period::quarter(2024, 2);
        let quarter = crate::sheets::Quarter {
            period: q2,
            folder: Some("input/2024-Q2".into()),
            submissions: vec![sub.clone()],
            in_period: true,
            lists: Vec::new(),
            counted: None,
        };
        crate::report::assemble(plan, &[quarter], &q2, &[], config, &[])
    }

    /// The Biểu 06 header the forms write, a row of figures under it, read back by the reader
    /// and taken by the report: every column of the contract lands where it was written.
    #[test]
    fn forms_reader_and_report_agree_on_every_column_of_bieu_06() {
        let config = Config::parse(crate::forms::SAMPLE_CONFIG).unwrap();
        let (plan, _) = crate::plan::parse(crate::forms::SAMPLE_PLAN, "input/ke-hoach.md", &config);
        let plan = plan.unwrap();
        // Distinct values that keep Biểu 06's identities: each part its own number, each total
        // the sum of its parts.
        let mut v: [i64; N] = std::array::from_fn(|i| 10 + 7 * i as i64);
        for rule in IDENTITIES.iter().filter(|r| r.strict) {
            v[rule.total as usize] = rule.parts.iter().map(|p| v[*p as usize]).sum();
        }
        // (3) = (7) + (11) as well: (6) takes what is left.
        let (received, solved, pending) = (
            Col::Received as usize,
            Col::Solved as usize,
            Col::Pending as usize,
        );
        let carried = Col::CarriedOver as usize;
        v[carried] += v[solved] + v[pending] - v[received];
        v[received] = v[solved] + v[pending];

        let f = Formats::new();
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(SHEET_DOSSIERS).unwrap();
        ws.write_string(0, 0, "Đơn vị: Bộ phận Tiếp nhận và trả kết quả")
            .unwrap();
        let first = dossier_header(ws, &f).unwrap();
        ws.write_number(first, 0, 1).unwrap();
        ws.write_string(first, 1, "Hộ tịch").unwrap();
        for (i, value) in v.iter().enumerate() {
            ws.write_number(first, 2 + i as u16, *value as f64).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();

        let (sub, findings) =
            crate::sheets::read_workbook(&bytes, "input/2024-Q2/mot-cua.xlsx", &config);
        let sub = sub.unwrap();
        // The other sheets are missing (errors of their own); this one reads clean.
        let here: Vec<String> = findings
            .iter()
            .map(|f| f.to_string())
            .filter(|f| f.contains(SHEET_DOSSIERS) && !f.contains("tệp có"))
            .collect();
        assert!(here.is_empty(), "{here:?}");
        let row = &sub.dossiers[0];
        let data = q2_report(&plan, &config, &sub);
        let one = data.one_stop.unwrap();
        let json = serde_json::to_value(&one.total).unwrap();
        for c in Col::ALL {
            let i = c as usize;
            let at = format!("{}{}", column_letter(2 + i as u16), first + 1);
            assert!(row.present[i], "{}", c.column().key);
            assert_eq!(row.value(c), v[i], "{}", c.column().title());
            assert!(
                row.get(c).source.to_string().ends_with(&format!("› {at}")),
                "{}: {}",
                c.column().key,
                row.get(c).source
            );
            assert_eq!(one.total.get(c).value, v[i], "{}", c.column().key);
            assert_eq!(json[c.column().key]["value"], v[i], "{}", c.column().key);
            // The printed figure cites the cell the clerk typed.
            assert!(
                one.total
                    .get(c)
                    .sources
                    .iter()
                    .any(|s| s.to_string().ends_with(&format!("› {at}"))),
                "{}",
                c.column().key
            );
        }
    }

    /// Every table sheet as the forms head it, one row with a distinct value in every column,
    /// read back: each column the reader reads lands in its field, and the report takes it.
    #[test]
    fn forms_reader_and_report_agree_on_every_column_of_every_table_sheet() {
        use crate::sheets::contract::{Use, figures, scores, sipas, tasks};
        let config = Config::parse(crate::forms::SAMPLE_CONFIG).unwrap();
        let (plan, _) = crate::plan::parse(crate::forms::SAMPLE_PLAN, "input/ke-hoach.md", &config);
        let plan = plan.unwrap();
        let unit = config.don_vi.iter().find(|u| u.mot_cua).unwrap();
        let task = plan
            .tasks
            .iter()
            .find(|t| t.leads.contains(&unit.ma))
            .unwrap();
        let indicator = &unit.chi_so[0];
        // The value written under each column, as text (numbers as the cell gives them).
        let written = |table: &Table, i: usize| -> String {
            match (table.sheet, i) {
                (t, tasks::CODE) if t == tasks::TABLE.sheet => task.code.clone(),
                (t, tasks::STATUS) if t == tasks::TABLE.sheet => "Hoàn thành".into(),
                (t, tasks::DONE) if t == tasks::TABLE.sheet => "20/05/2024".into(),
                (t, figures::CODE) if t == figures::TABLE.sheet => indicator.ma.clone(),
                (t, figures::VALUE) if t == figures::TABLE.sheet => "4321".into(),
                (t, scores::CODE) if t == scores::TABLE.sheet => "1.1".into(),
                (t, scores::MAX) if t == scores::TABLE.sheet => "3".into(),
                (t, scores::SCORE) if t == scores::TABLE.sheet => "2.5".into(),
                (t, l) if t == sipas::TABLE.sheet && sipas::LEVELS.contains(&l) => {
                    format!("{}", 11 * l)
                }
                _ => format!("{} của {}", table.fields[i].label, table.sheet),
            }
        };
        let tables = [tasks::TABLE, figures::TABLE, sipas::TABLE, scores::TABLE];
        let f = Formats::new();
        let mut wb = rust_xlsxwriter::Workbook::new();
        for table in &tables {
            let ws = wb.add_worksheet();
            ws.set_name(table.sheet).unwrap();
            ws.write_string(0, 0, format!("Đơn vị: {}", unit.ten))
                .unwrap();
            table_header(ws, &f, table, &[]).unwrap();
            for i in 0..table.fields.len() {
                let v = written(table, i);
                let c = i as u16;
                match v.parse::<f64>() {
                    Ok(n) => ws.write_number(HEADER_ROW + 1, c, n).unwrap(),
                    Err(_) => ws.write_string(HEADER_ROW + 1, c, &v).unwrap(),
                };
            }
        }
        let bytes = wb.save_to_buffer().unwrap();
        let file = "input/2024-Q2/mot-cua.xlsx";
        let (sub, findings) = crate::sheets::read_workbook(&bytes, file, &config);
        let errors: Vec<String> = findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.to_string())
            .filter(|f| !f.contains(SHEET_DOSSIERS))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let sub = sub.unwrap();
        let (t, fig, sip, sc) = (
            &sub.tasks[0],
            &sub.figures[0],
            &sub.sipas[0],
            &sub.self_assessment[0],
        );
        // Hundredths as the cell wrote them: "4321", "2.5".
        let hundredths = |v: i64| {
            let whole = format!("{}.{:02}", v / 100, v % 100);
            whole
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        };
        // What the reader made of each column it reads, as text.
        let read = |table: &Table, i: usize| -> String {
            match (table.sheet, i) {
                (x, tasks::CODE) if x == tasks::TABLE.sheet => t.code.clone(),
                (x, tasks::STATUS) if x == tasks::TABLE.sheet => t.status.label().into(),
                (x, tasks::RESULT) if x == tasks::TABLE.sheet => t.result.clone(),
                (x, tasks::EVIDENCE) if x == tasks::TABLE.sheet => t.evidence.clone(),
                (x, tasks::DIFFICULTY) if x == tasks::TABLE.sheet => t.difficulty.clone(),
                (x, tasks::DONE) if x == tasks::TABLE.sheet => {
                    t.done_date.unwrap().format("%d/%m/%Y").to_string()
                }
                (x, figures::CODE) if x == figures::TABLE.sheet => fig.code.clone(),
                (x, figures::NAME) if x == figures::TABLE.sheet => fig.name.clone(),
                (x, figures::VALUE) if x == figures::TABLE.sheet => hundredths(fig.value),
                (x, figures::NOTE) if x == figures::TABLE.sheet => fig.note.clone(),
                (x, sipas::FACTOR) if x == sipas::TABLE.sheet => sip.name.clone(),
                (x, l) if x == sipas::TABLE.sheet && sipas::LEVELS.contains(&l) => {
                    sip.answers[l - sipas::LEVELS[0]].value.to_string()
                }
                (x, scores::CODE) if x == scores::TABLE.sheet => sc.code.clone(),
                (x, scores::NAME) if x == scores::TABLE.sheet => sc.name.clone(),
                (x, scores::MAX) if x == scores::TABLE.sheet => hundredths(sc.max),
                (x, scores::SCORE) if x == scores::TABLE.sheet => hundredths(sc.score),
                (x, scores::EVIDENCE) if x == scores::TABLE.sheet => sc.evidence.clone(),
                (x, scores::NOTE) if x == scores::TABLE.sheet => sc.note.clone(),
                (x, i) => panic!("sheet {x}, column {i}: the reader reads it, this test does not"),
            }
        };
        for table in &tables {
            for (i, field) in table.fields.iter().enumerate() {
                if field.used != Use::Shown {
                    assert_eq!(
                        read(table, i),
                        written(table, i),
                        "{} › {}",
                        table.sheet,
                        field.label
                    );
                }
            }
        }
        // The report takes what was read: the task's texts, the indicator, the answers.
        let data = q2_report(&plan, &config, &sub);
        let json = serde_json::to_string(&data).unwrap();
        for i in [tasks::RESULT, tasks::EVIDENCE, tasks::DIFFICULTY] {
            let v = written(&tasks::TABLE, i);
            assert!(json.contains(&v), "report lacks {v}");
        }
        assert!(json.contains("4.321"), "report lacks the indicator's value");
        let sipas = data.sipas.as_ref().unwrap();
        let answers = serde_json::to_string(sipas).unwrap();
        for l in sipas::LEVELS {
            assert!(
                answers.contains(&format!("\"value\":{}", 11 * l)),
                "{answers}"
            );
        }
    }
}
