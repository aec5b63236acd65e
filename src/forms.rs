//! The blank departmental workbooks (`cchc forms`): one per unit of `input/cchc.toml`, in the
//! contract's shape (the same building blocks as the sample workbooks of `crate::sample`),
//! pre-filled with the unit's tasks of the plan and its indicators, ready to be filled in Excel
//! or LibreOffice and read back by `crate::sheets::read_workbook`.
//!
//! What the unit must not change (codes, tasks, deadlines, roles, headers, totals) is locked by
//! sheet protection without a password; the cells to fill are unlocked. "Tình trạng" is a
//! drop-down list of the four statuses; counts of Biểu 06 and SIPAS accept whole numbers ≥ 0.
//! Every sheet prints on A4 landscape, one page wide, with its header rows repeated.
//!
//! Also here: the files of a new workspace (`cchc init`), from the built-in sample.

use crate::config::{Config, Unit};
use crate::period::{Period, last_day};
use crate::plan::{Plan, Task};
use crate::sample;
use crate::sheets::Status;
use crate::sheets::contract::{N, dossiers, figures, sipas, tasks};
use crate::vn;
use crate::workbook::{
    self, DOSSIER_COLS, Formats, HEADER_ROW, SHEET_DOSSIERS, SHEET_FIGURES, SHEET_SIPAS,
    SHEET_TASKS, SIPAS_FACTORS, TitleBlock,
};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

/// The folder of the forms inside `output/<period>/`.
pub const FORMS_DIR: &str = "bieu-mau";

/// The first column the unit fills in ("Tình trạng"); every column from it on is unlocked.
const COL_STATUS: u16 = tasks::STATUS as u16;
const COL_DONE: u16 = tasks::DONE as u16;

/// Empty rows left under the tasks, for a task the unit reports on that the form does not list.
const SPARE_TASK_ROWS: u32 = 3;
/// Empty lĩnh vực rows under the typical ones of Biểu 06.
const SPARE_FIELD_ROWS: u32 = 2;

/// The unit's part in a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Lead,
    Partner,
}

impl Role {
    /// "Chủ trì" / "Phối hợp", the column "Vai trò".
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "Chủ trì",
            Role::Partner => "Phối hợp",
        }
    }
}

/// A task of the plan as a unit's form lists it.
#[derive(Debug, Clone, Copy)]
pub struct FormTask<'a> {
    pub task: &'a Task,
    pub role: Role,
    /// Expected in the period (due in one of its quarters, recurring or ongoing).
    pub due: bool,
}

/// Every task of the plan the unit leads or supports: those expected in the period first, then
/// the others, each group in the plan's order.
pub fn unit_tasks<'a>(plan: &'a Plan, unit: &str, period: &Period) -> Vec<FormTask<'a>> {
    let mut out: Vec<FormTask> = plan
        .tasks
        .iter()
        .filter_map(|task| {
            let role = if task.leads.iter().any(|u| u == unit) {
                Role::Lead
            } else if task.partners.iter().any(|u| u == unit) {
                Role::Partner
            } else {
                return None;
            };
            Some(FormTask {
                task,
                role,
                due: task.deadline.expected_in(period),
            })
        })
        .collect();
    // A stable sort keeps the plan's order within each group.
    out.sort_by_key(|t| !t.due);
    out
}

/// The file name of a unit's form (the same as the sample's workbook: "tu-phap.xlsx").
pub fn file_name(unit: &Unit) -> String {
    workbook::file_name(&unit.ma)
}

/// Every unit's form for a quarter, as (file name, bytes), in the order of `input/cchc.toml`.
pub fn generate(
    config: &Config,
    plan: &Plan,
    period: &Period,
) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    config
        .don_vi
        .iter()
        .map(|unit| Ok((file_name(unit), unit_form(config, plan, unit, period)?)))
        .collect()
}

/// One unit's form: "Nhiệm vụ" and "Số liệu"; the one-stop unit also "Hồ sơ TTHC" and "SIPAS".
pub fn unit_form(
    config: &Config,
    plan: &Plan,
    unit: &Unit,
    period: &Period,
) -> Result<Vec<u8>, XlsxError> {
    let form = Form::new(config, plan, unit, period);
    let mut wb = Workbook::new();
    wb.set_properties(&workbook::properties(
        config,
        unit,
        period,
        format!("Biểu mẫu báo cáo CCHC {}", period.short_name()),
    )?);
    form.tasks_sheet(wb.add_worksheet())?;
    form.figures_sheet(wb.add_worksheet())?;
    if unit.mot_cua {
        form.dossier_sheet(wb.add_worksheet())?;
        form.sipas_sheet(wb.add_worksheet())?;
    }
    wb.save_to_buffer()
}

/// The formats of the shared workbooks plus the unlocked ones of the cells to fill.
struct FormFormats {
    f: Formats,
    note: Format,
    group: Format,
    input_cell: Format,
    input_center: Format,
    input_number: Format,
    input_date: Format,
}

impl FormFormats {
    fn new() -> FormFormats {
        let f = Formats::new();
        FormFormats {
            note: f.plain.clone().set_italic().set_text_wrap(),
            group: f.bold_box.clone().set_italic().set_align(FormatAlign::Left),
            input_cell: f.cell.clone().set_unlocked(),
            input_center: f.center.clone().set_unlocked(),
            input_number: f.number.clone().set_unlocked(),
            input_date: f.date.clone().set_unlocked(),
            f,
        }
    }
}

struct Form<'a> {
    config: &'a Config,
    plan: &'a Plan,
    unit: &'a Unit,
    period: &'a Period,
    window: (NaiveDate, NaiveDate),
    unit_line: String,
    ff: FormFormats,
}

impl<'a> Form<'a> {
    fn new(config: &'a Config, plan: &'a Plan, unit: &'a Unit, period: &'a Period) -> Form<'a> {
        Form {
            config,
            plan,
            unit,
            period,
            window: period.window(&config.ky_bao_cao),
            unit_line: format!("Đơn vị: {}", unit.ten),
            ff: FormFormats::new(),
        }
    }

    /// The title rows, then (row 5) what to do and by when.
    fn title(
        &self,
        ws: &mut Worksheet,
        title: &str,
        cols: u16,
        note: &str,
    ) -> Result<(), XlsxError> {
        workbook::title_block(
            ws,
            &self.ff.f,
            &TitleBlock {
                office: &self.config.co_quan.ten_ngan,
                unit_line: &self.unit_line,
                title,
                period: self.period,
                window: self.window,
            },
            cols,
        )?;
        let text = format!(
            "Gửi Văn phòng UBND phường trước ngày {}. {note}",
            vn::date_short(self.deadline())
        );
        ws.merge_range(
            HEADER_ROW - 1,
            0,
            HEADER_ROW - 1,
            cols - 1,
            &text,
            &self.ff.note,
        )?;
        ws.set_row_height(HEADER_ROW - 1, 33)?;
        Ok(())
    }

    /// The units' deadline: `han_don_vi` of the period's last month.
    fn deadline(&self) -> NaiveDate {
        let (y, m) = (self.window.1.year(), self.window.1.month());
        let day = self.config.ky_bao_cao.han_don_vi.max(1);
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| last_day(y, m))
    }

    fn tasks_sheet(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let (f, ff) = (&self.ff.f, &self.ff);
        ws.set_name(SHEET_TASKS)?;
        let cols = tasks::TABLE.fields.len() as u16;
        self.title(
            ws,
            tasks::TABLE.title,
            cols,
            "Chọn Tình trạng trong danh sách cho mọi dòng; ghi kết quả, văn bản, khó khăn và \
             ngày hoàn thành (dd/mm/yyyy). Các cột mã, nhiệm vụ, thời hạn theo Kế hoạch, không sửa.",
        )?;
        workbook::table_header(ws, f, &tasks::TABLE, &[])?;
        let tasks = unit_tasks(self.plan, &self.unit.ma, self.period);
        let mut row = HEADER_ROW + 1;
        let mut stt = 0;
        let mut others_started = false;
        for t in &tasks {
            if !t.due && !others_started {
                others_started = true;
                ws.merge_range(
                    row,
                    0,
                    row,
                    cols - 1,
                    "Nhiệm vụ khác của đơn vị (thời hạn ngoài kỳ báo cáo hoặc khi phát sinh): ghi \
                     tình trạng đến thời điểm báo cáo",
                    &ff.group,
                )?;
                row += 1;
            }
            stt += 1;
            let at = |i: usize| i as u16;
            ws.write_number_with_format(row, 0, stt as f64, &f.center)?;
            ws.write_string_with_format(row, at(tasks::CODE), &t.task.code, &f.center)?;
            ws.write_string_with_format(
                row,
                at(tasks::TEXT),
                workbook::task_text(t.task),
                &f.cell,
            )?;
            ws.write_string_with_format(row, at(tasks::DEADLINE), &t.task.deadline_text, &f.cell)?;
            ws.write_string_with_format(row, at(tasks::ROLE), t.role.label(), &f.center)?;
            self.input_cells(ws, row)?;
            // Rows keep the height written in the file: make room for the wrapped task.
            let text = workbook::task_text(t.task);
            ws.set_row_height(
                row,
                row_height(&[
                    (&text, tasks::TABLE.fields[tasks::TEXT].width),
                    (
                        &t.task.deadline_text,
                        tasks::TABLE.fields[tasks::DEADLINE].width,
                    ),
                ]),
            )?;
            row += 1;
        }
        // Spare rows: everything unlocked, for a task the form does not list.
        for _ in 0..SPARE_TASK_ROWS {
            ws.write_blank(row, 0, &ff.input_center)?;
            ws.write_blank(row, 1, &ff.input_center)?;
            ws.write_blank(row, 2, &ff.input_cell)?;
            ws.write_blank(row, 3, &ff.input_cell)?;
            ws.write_blank(row, 4, &ff.input_center)?;
            self.input_cells(ws, row)?;
            row += 1;
        }
        let last = row - 1;
        let statuses = DataValidation::new()
            .allow_list_strings(&Status::LABELS[..])?
            .set_input_title(tasks::TABLE.fields[tasks::STATUS].label)?
            .set_input_message("Chọn trong danh sách")?
            .set_error_title("Tình trạng không hợp lệ")?
            .set_error_message(format!("Chọn một trong: {}.", Status::LABELS.join(", ")))?;
        ws.add_data_validation(HEADER_ROW + 1, COL_STATUS, last, COL_STATUS, &statuses)?;
        finish(ws, HEADER_ROW, HEADER_ROW)
    }

    /// The unlocked cells of a task row: status to done date.
    fn input_cells(&self, ws: &mut Worksheet, row: u32) -> Result<(), XlsxError> {
        let ff = &self.ff;
        ws.write_blank(row, COL_STATUS, &ff.input_center)?;
        for c in COL_STATUS + 1..COL_DONE {
            ws.write_blank(row, c, &ff.input_cell)?;
        }
        ws.write_blank(row, COL_DONE, &ff.input_date)?;
        Ok(())
    }

    fn figures_sheet(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let (f, ff) = (&self.ff.f, &self.ff);
        ws.set_name(SHEET_FIGURES)?;
        self.title(
            ws,
            figures::TABLE.title,
            figures::TABLE.fields.len() as u16,
            "Ghi số liệu trong kỳ vào cột Giá trị (số; tỷ lệ ghi số phần trăm, ví dụ 18,5).",
        )?;
        workbook::table_header(ws, f, &figures::TABLE, &[])?;
        for (i, ind) in self.unit.chi_so.iter().enumerate() {
            let row = HEADER_ROW + 1 + i as u32;
            ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
            ws.write_string_with_format(row, 1, &ind.ma, &f.center)?;
            ws.write_string_with_format(row, 2, &ind.ten, &f.cell)?;
            ws.write_blank(row, 3, &ff.input_number)?;
            ws.write_blank(row, 4, &ff.input_cell)?;
        }
        finish(ws, HEADER_ROW, HEADER_ROW)
    }

    fn dossier_sheet(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let (f, ff) = (&self.ff.f, &self.ff);
        ws.set_name(SHEET_DOSSIERS)?;
        self.title(
            ws,
            dossiers::TITLE,
            DOSSIER_COLS,
            "Mỗi lĩnh vực một dòng (sửa, thêm tên lĩnh vực nếu cần); (3) = (4) + (5) + (6), \
             (7) = (8) + (9) + (10), (11) = (12) + (13), (3) = (7) + (11); dòng Tổng cộng tự tính.",
        )?;
        let first = workbook::dossier_header(ws, f)?;
        let fields: Vec<&str> = sample::field_names().collect();
        let rows = fields.len() as u32 + SPARE_FIELD_ROWS;
        for i in 0..rows {
            let row = first + i;
            ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
            match fields.get(i as usize) {
                Some(name) => ws.write_string_with_format(row, 1, *name, &ff.input_cell)?,
                None => ws.write_blank(row, 1, &ff.input_cell)?,
            };
            for c in 2..DOSSIER_COLS {
                ws.write_blank(row, c, &ff.input_number)?;
            }
        }
        ws.add_data_validation(first, 2, first + rows - 1, DOSSIER_COLS - 1, &counts()?)?;
        workbook::dossier_total_row(ws, f, first, rows, &[0; N])?;
        // The header's two rows and the column numbers repeat on every page.
        finish(ws, HEADER_ROW, first - 1)
    }

    fn sipas_sheet(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        let (f, ff) = (&self.ff.f, &self.ff);
        ws.set_name(SHEET_SIPAS)?;
        let cols = sipas::TABLE.fields.len() as u16;
        self.title(
            ws,
            sipas::TABLE.title,
            cols,
            "Ghi số phiếu trả lời theo từng mức của mỗi yếu tố (QĐ 2640/QĐ-BNV).",
        )?;
        workbook::table_header(ws, f, &sipas::TABLE, &[])?;
        let first = HEADER_ROW + 1;
        for (i, name) in SIPAS_FACTORS.iter().enumerate() {
            let row = first + i as u32;
            ws.write_number_with_format(row, 0, (i + 1) as f64, &f.center)?;
            ws.write_string_with_format(row, 1, *name, &f.cell)?;
            for c in 2..cols {
                ws.write_blank(row, c, &ff.input_number)?;
            }
        }
        let last = first + SIPAS_FACTORS.len() as u32 - 1;
        ws.add_data_validation(first, 2, last, cols - 1, &counts()?)?;
        finish(ws, HEADER_ROW, HEADER_ROW)
    }
}

/// The height (points) of a row whose cells wrap `texts` in columns of the given widths
/// (characters): 15.75 points a line, Times New Roman 12.
fn row_height(texts: &[(&str, f64)]) -> f64 {
    let lines = texts
        .iter()
        .map(|(t, width)| {
            let per_line = (width * 1.1 - 1.0).max(1.0);
            t.split('\n')
                .map(|l| (l.chars().count() as f64 / per_line).ceil().max(1.0))
                .sum::<f64>()
        })
        .fold(1.0, f64::max);
    15.75 * lines + 3.0
}

/// Whole numbers ≥ 0 (counts of dossiers and answers).
fn counts() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Số không hợp lệ")?
        .set_error_message("Cần một số nguyên ≥ 0 (số hồ sơ, số phiếu).")
}

/// Print setup (A4 landscape, one page wide, header rows repeated), panes frozen under the
/// header, and the sheet protected without a password: locked cells stay as the plan says,
/// unlocked ones are filled; rows and columns can still be resized.
fn finish(ws: &mut Worksheet, header_first: u32, header_last: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(header_first, header_last)?;
    ws.set_footer("&CTrang &P/&N");
    ws.set_freeze_panes(header_last + 1, 0)?;
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::default()
    };
    ws.protect_with_options(&options);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// A new workspace (`cchc init`)

/// The sample's settings and plan, built in.
pub const SAMPLE_CONFIG: &str = include_str!("../input/cchc.toml");
pub const SAMPLE_PLAN: &str = include_str!("../input/ke-hoach.md");

/// A new office's settings and plan: the structure with Vietnamese comments on what to write,
/// every value the office must give left blank (`cchc check` lists them), no sample data.
pub const NEW_CONFIG: &str = include_str!("new/cchc.toml");
pub const NEW_PLAN: &str = include_str!("new/ke-hoach.md");

/// The empty folders of a new workspace.
pub const WORKSPACE_DIRS: [&str; 3] = ["input", "templates", "output"];

/// The files of a new office's workspace, as (path relative to the workspace, bytes).
pub fn new_workspace() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            crate::workspace::CONFIG_FILE.to_string(),
            NEW_CONFIG.as_bytes().to_vec(),
        ),
        (
            crate::workspace::PLAN_FILE.to_string(),
            NEW_PLAN.as_bytes().to_vec(),
        ),
    ]
}

/// The files of a new workspace from the built-in sample, as (path relative to the workspace,
/// bytes): `input/cchc.toml`, `input/ke-hoach.md`, the four quarters' workbooks and the year's.
pub fn sample_workspace() -> Result<Vec<(String, Vec<u8>)>, String> {
    let config = Config::parse(SAMPLE_CONFIG).map_err(|e| e.message)?;
    let (plan, findings) = crate::plan::parse(SAMPLE_PLAN, crate::workspace::PLAN_FILE, &config);
    let plan = plan.ok_or_else(|| format!("kế hoạch mẫu không đọc được: {findings:?}"))?;
    let mut files = vec![
        (
            crate::workspace::CONFIG_FILE.to_string(),
            SAMPLE_CONFIG.as_bytes().to_vec(),
        ),
        (
            crate::workspace::PLAN_FILE.to_string(),
            SAMPLE_PLAN.as_bytes().to_vec(),
        ),
    ];
    files.extend(sample::generate(&config, &plan, plan.meta.nam).map_err(|e| e.to_string())?);
    files.extend(sample::generate_year(&config, plan.meta.nam).map_err(|e| e.to_string())?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> (Config, Plan) {
        let config = Config::parse(SAMPLE_CONFIG).unwrap();
        let (plan, _) = crate::plan::parse(SAMPLE_PLAN, "input/ke-hoach.md", &config);
        (config, plan.unwrap())
    }

    #[test]
    fn tasks_due_first_and_only_the_units() {
        let (config, plan) = inputs();
        let q3 = Period::quarter(2024, 3);
        for unit in &config.don_vi {
            let tasks = unit_tasks(&plan, &unit.ma, &q3);
            let expected = plan
                .tasks
                .iter()
                .filter(|t| t.leads.contains(&unit.ma) || t.partners.contains(&unit.ma))
                .count();
            assert_eq!(tasks.len(), expected, "{}", unit.ma);
            let first_other = tasks.iter().position(|t| !t.due).unwrap_or(tasks.len());
            assert!(tasks[first_other..].iter().all(|t| !t.due), "{}", unit.ma);
            for t in &tasks {
                assert_eq!(t.role == Role::Lead, t.task.leads.contains(&unit.ma));
            }
        }
    }

    #[test]
    fn forms_are_reproducible() {
        let (config, plan) = inputs();
        let q3 = Period::quarter(2024, 3);
        assert_eq!(
            generate(&config, &plan, &q3).unwrap(),
            generate(&config, &plan, &q3).unwrap()
        );
    }

    #[test]
    fn new_workspace_lists_every_blank_and_no_sample_data() {
        let e = Config::parse(NEW_CONFIG).unwrap_err();
        for key in [
            "[co_quan] ban_hanh",
            "[co_quan] ten_ngan",
            "[co_quan] ten_day_du",
            "[co_quan] dia_danh",
            "[co_quan] ky_hieu",
            "[ky] quyen_han",
            "[ky] chuc_vu",
            "[ky] ho_ten",
            "noi_nhan",
            "[[don_vi]] thứ 1: ma",
            "[[don_vi]] thứ 1: ten",
        ] {
            assert!(e.message.contains(key), "{key}: {}", e.message);
        }
        assert!(
            e.message.starts_with("còn 11 mục chưa điền:"),
            "{}",
            e.message
        );
        let line = |key: &str| NEW_CONFIG.lines().position(|l| l.starts_with(key)).unwrap() + 1;
        assert!(
            e.message
                .contains(&format!("dòng {}, [co_quan] ten_ngan", line("ten_ngan ="))),
            "{}",
            e.message
        );
        // The plan's blanks are told at their lines, and so is its empty task tables.
        let (sample_config, _) = inputs();
        let (plan, findings) = crate::plan::parse(NEW_PLAN, "input/ke-hoach.md", &sample_config);
        assert!(plan.is_none());
        let text: Vec<String> = findings.iter().map(|f| f.to_string()).collect();
        let so = NEW_PLAN
            .lines()
            .position(|l| l.starts_with("so ="))
            .unwrap()
            + 1;
        assert!(
            text.iter()
                .any(|t| t.contains(&format!(":{so}:")) && t.contains("chưa điền so")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|t| t.contains("không có bảng nhiệm vụ nào")),
            "{text:#?}"
        );
        assert_eq!(findings.len(), 8, "{text:#?}");
        for name in ["Phú Lãm", "Phạm Ngọc Anh", "Hà Đông"] {
            let in_values = |src: &str| {
                src.lines()
                    .filter(|l| !l.trim_start().starts_with('#'))
                    .any(|l| l.contains(name))
            };
            assert!(!in_values(NEW_CONFIG), "{name}");
        }
    }

    #[test]
    fn sample_workspace_has_the_inputs() {
        let files = sample_workspace().unwrap();
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths[..2], ["input/cchc.toml", "input/ke-hoach.md"]);
        assert!(paths.contains(&"input/2024-Q2/mot-cua.xlsx"));
    }
}
