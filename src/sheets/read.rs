//! The reader: calamine ranges -> typed rows, with every value located.

use super::contract::{
    COLUMNS, Col, Field, N, SHEET_NAMES, Table, Use, dossiers, figures, names, scores, sipas, tasks,
};
use super::open::Grid;
use super::types::*;
use crate::config::Config;
use crate::finding::{CellRef, Finding, Kind, Loc};
use crate::vn;
use calamine::{Data, Reader};
use chrono::NaiveDate;

/// How many rows from the top a header row may be found in.
pub(super) const HEADER_SEARCH_ROWS: u32 = 20;

/// Reads one workbook. `file` is the path shown in findings (relative to the workspace); the
/// unit is taken from a title cell ("Đơn vị: ...") or else from the file name. Returns the
/// submission when the workbook could be read at all, and every finding.
pub fn read_workbook(
    bytes: &[u8],
    file: &str,
    config: &Config,
) -> (Option<Submission>, Vec<Finding>) {
    let (input, findings) = read_input(bytes, file, config);
    match input {
        Some(Input::Submission(s)) => (Some(s), findings),
        _ => (None, findings),
    }
}

/// Reads one workbook of a period folder: a unit's report, or, when it has none of the
/// report's sheets but a sheet with a dossier list's header, the one-stop software's list.
pub fn read_input(bytes: &[u8], file: &str, config: &Config) -> (Option<Input>, Vec<Finding>) {
    let mut findings = Vec::new();
    let file_loc = Loc::File {
        file: file.to_string(),
    };
    let mut wb = match super::open::open(bytes, &config.gioi_han) {
        Ok(wb) => wb,
        Err(r) => {
            let hint = if r.kind == Kind::TooBig {
                "một bảng tính báo cáo của bộ phận chỉ vài trăm KB; mở tệp bằng Excel hoặc \
                 LibreOffice, xóa các vùng thừa rồi lưu lại"
            } else {
                "mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx, không đặt mật khẩu"
            };
            findings.push(Finding::error(r.kind, file_loc, r.message).with_hint(hint));
            return (None, findings);
        }
    };
    let names = wb.sheet_names().to_vec();
    // A hidden sheet is not what the unit sees and fills in: it is not read. When it bears the
    // name of a sheet cchc reads, that is said (a hidden "Nhiem vu" must not stand in for the
    // visible "Nhiệm vụ", nor silently go missing).
    let hidden: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|m| m.visible != calamine::SheetVisible::Visible)
        .map(|m| m.name.clone())
        .collect();
    for name in &hidden {
        if let Some(label) = SHEET_NAMES.iter().find(|l| vn::fold(name) == vn::fold(l)) {
            findings.push(
                Finding::warning(
                    Kind::SheetHidden,
                    Loc::Sheet {
                        file: file.to_string(),
                        sheet: name.clone(),
                    },
                    format!("sheet \"{name}\" đang ẩn nên không được đọc làm sheet \"{label}\""),
                )
                .with_hint(
                    "nếu đây là sheet cần báo cáo, bỏ ẩn nó (và xóa sheet trùng tên nếu có)",
                ),
            );
        }
    }
    for label in SHEET_NAMES {
        let same: Vec<&String> = names
            .iter()
            .filter(|n| !hidden.contains(n) && vn::fold(n) == vn::fold(label))
            .collect();
        if same.len() > 1 {
            findings.push(
                Finding::error(
                    Kind::SheetTwice,
                    Loc::File {
                        file: file.to_string(),
                    },
                    format!(
                        "hai sheet cùng là \"{label}\": {}; không biết đọc sheet nào",
                        same.iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(" và ")
                    ),
                )
                .with_hint("giữ một sheet, xóa hoặc đổi tên sheet kia"),
            );
        }
    }
    let names: Vec<String> = names.into_iter().filter(|n| !hidden.contains(n)).collect();
    let is_report_sheet = |n: &String| SHEET_NAMES.iter().any(|l| vn::fold(l) == vn::fold(n));
    if !names.iter().any(is_report_sheet)
        && let Some((list, mut more)) = super::ledger::read(&mut wb, &names, file, config)
    {
        findings.append(&mut more);
        return (list.map(Input::List), findings);
    }
    let mut sheets: Vec<Sheet> = Vec::new();
    // Sheets that exist but could not be read: already an error each, never also "missing".
    let mut unreadable: Vec<String> = Vec::new();
    for name in &names {
        // Only the sheets cchc reads are read: another sheet may be as large as it likes.
        if !SHEET_NAMES.iter().any(|l| vn::fold(l) == vn::fold(name)) {
            continue;
        }
        match super::open::read_sheet(&mut wb, name, &config.gioi_han) {
            Ok(cells) => sheets.push(Sheet {
                file,
                name: vn::clean(name),
                cells,
            }),
            Err(r) => {
                unreadable.push(vn::fold(name));
                let hint = if r.kind == Kind::TooBig {
                    "xóa các vùng thừa của sheet (các dòng, cột trống đã định dạng) rồi lưu lại"
                } else {
                    "mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx"
                };
                findings.push(
                    Finding::error(
                        r.kind,
                        Loc::Sheet {
                            file: file.to_string(),
                            sheet: name.clone(),
                        },
                        r.message,
                    )
                    .with_hint(hint),
                )
            }
        }
    }

    let (unit, unknown_title) = find_unit(&sheets, file, config);
    let known: Vec<&str> = config.don_vi.iter().map(|u| u.ten.as_str()).collect();
    let alias_hint = || {
        format!(
            "sửa tên đơn vị trong ô, hoặc thêm tên này vào bi_danh của đơn vị trong input/cchc.toml; các đơn vị: {}",
            known.join("; ")
        )
    };
    let (unit, unit_source) = match (unit, unknown_title) {
        (Some(u), None) => u,
        (Some(u), Some((named, at))) => {
            let name = config.unit(&u.0).map_or(u.0.as_str(), |x| x.ten.as_str());
            findings.push(
                Finding::warning(Kind::UnitNotInConfig,
                    at,
                    format!(
                        "ô tiêu đề ghi đơn vị \"{named}\", không có trong input/cchc.toml; bảng tính được tính cho {name} theo tên tệp"
                    ),
                )
                .with_hint(alias_hint()),
            );
            u
        }
        (None, Some((named, at))) => {
            findings.push(
                Finding::error(Kind::UnitNotInConfig,
                    at,
                    format!("ô tiêu đề ghi đơn vị \"{named}\", không có trong input/cchc.toml, và tên tệp cũng không trùng tên đơn vị nào"),
                )
                .with_hint(alias_hint()),
            );
            (String::new(), file_loc.clone())
        }
        (None, None) => {
            findings.push(
                Finding::error(Kind::UnitUnknown,
                    file_loc.clone(),
                    "không xác định được đơn vị báo cáo: không có ô \"Đơn vị: ...\" ở các dòng tiêu \
                     đề và tên tệp không trùng tên đơn vị nào"
                        .to_string(),
                )
                .with_hint(format!("ghi \"Đơn vị: <tên>\" ở dòng đầu sheet Nhiệm vụ; các đơn vị: {}", known.join("; "))),
            );
            (String::new(), file_loc.clone())
        }
    };

    let find_sheet = |name: &str| sheets.iter().find(|s| vn::fold(&s.name) == vn::fold(name));
    let is_unreadable = |name: &str| unreadable.iter().any(|n| *n == vn::fold(name));
    let mut sub = Submission {
        file: file.to_string(),
        unit: unit.clone(),
        unit_source,
        tasks: Vec::new(),
        figures: Vec::new(),
        dossiers: Vec::new(),
        sipas: Vec::new(),
        self_assessment: Vec::new(),
        tasks_read_in_full: false,
        figures_in_error: Vec::new(),
        has_dossier_sheet: false,
    };
    let sheet_list = || {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // A year workbook may hold only the self-assessment: "Nhiệm vụ" is then not required.
    let scores = find_sheet(scores::TABLE.sheet);
    if let Some(s) = scores {
        sub.self_assessment = read_scores(s, &mut findings);
    }
    match find_sheet(tasks::TABLE.sheet) {
        Some(s) => {
            let before = findings.len();
            sub.tasks = read_tasks(s, config.gioi_han.dong_nhiem_vu, &mut findings);
            sub.tasks_read_in_full = !findings[before..].iter().any(Finding::is_error);
        }
        None if scores.is_some() => sub.tasks_read_in_full = true,
        None if is_unreadable(tasks::TABLE.sheet) => {}
        None => findings.push(Finding::error(
            Kind::SheetMissing,
            file_loc.clone(),
            format!(
                "thiếu sheet \"{}\" (tệp có: {})",
                tasks::TABLE.sheet,
                sheet_list()
            ),
        )),
    }
    if let Some(s) = find_sheet(figures::TABLE.sheet) {
        sub.figures = read_figures(s, &mut findings, &mut sub.figures_in_error);
    }
    let one_stop = config.unit(&unit).is_some_and(|u| u.mot_cua);
    if let Some(s) = find_sheet(dossiers::SHEET) {
        sub.dossiers = read_dossiers(s, &mut findings);
    }
    sub.has_dossier_sheet = find_sheet(dossiers::SHEET).is_some() || is_unreadable(dossiers::SHEET);
    match find_sheet(sipas::TABLE.sheet) {
        Some(s) => sub.sipas = read_sipas(s, &mut findings),
        None if one_stop && !is_unreadable(sipas::TABLE.sheet) => findings.push(Finding::error(
            Kind::SheetMissing,
            file_loc,
            format!(
                "bộ phận một cửa phải có sheet \"SIPAS\" (tệp có: {})",
                sheet_list()
            ),
        )),
        None => {}
    }
    let ok = !unit.is_empty();
    (ok.then_some(Input::Submission(sub)), findings)
}

struct Sheet<'a> {
    file: &'a str,
    name: String,
    cells: Grid,
}

impl Sheet<'_> {
    /// The value at an absolute position.
    fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.cells.get(row, col)
    }
    /// No value at all (a number cell left empty, or a formula never computed).
    fn is_blank(&self, row: u32, col: u32) -> bool {
        matches!(self.get(row, col), None | Some(Data::Empty))
    }
    fn text(&self, row: u32, col: u32) -> String {
        self.get(row, col).map(cell_text).unwrap_or_default()
    }
    fn loc(&self, row: u32, col: u32) -> Loc {
        Loc::Cell {
            file: self.file.to_string(),
            sheet: self.name.clone(),
            cell: CellRef::new(row, col),
        }
    }
    fn sheet_loc(&self) -> Loc {
        Loc::Sheet {
            file: self.file.to_string(),
            sheet: self.name.clone(),
        }
    }
    fn start(&self) -> (u32, u32) {
        self.cells.start()
    }
    fn end(&self) -> (u32, u32) {
        self.cells.end()
    }
    /// The rows from `first` on that hold a value.
    fn rows_from(&self, first: u32) -> Vec<u32> {
        self.cells.rows_from(first)
    }
}

/// A cell as text: NFC, spaces folded; numbers without a trailing ".0".
pub(super) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => vn::clean(s),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| vn::date_short(d.date()))
            .unwrap_or_else(|| dt.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// Some text (a unit's code, or a name as a cell writes it) and where it was read.
type Placed = (String, Loc);

/// The unit a workbook reports for: from a title cell, else from the file name. Also returns
/// the first title cell that names no unit of `input/cchc.toml` (its text and place), if any.
fn find_unit(sheets: &[Sheet], file: &str, config: &Config) -> (Option<Placed>, Option<Placed>) {
    let mut unknown: Option<Placed> = None;
    // Title cells first: "Đơn vị: Bộ phận Tư pháp", "Đơn vị báo cáo: BP Một cửa".
    for s in sheets {
        let (r0, _) = s.start();
        let (r1, _) = s.end();
        for r in r0..=r1.min(r0 + HEADER_SEARCH_ROWS) {
            for (c, d) in s.cells.row(r) {
                let t = cell_text(d);
                let Some((label, rest)) = t.split_once(':') else {
                    continue;
                };
                let k = vn::fold(label);
                if k == "don vi"
                    || k == "don vi bao cao"
                    || k == "bo phan"
                    || k == "don vi thuc hien"
                {
                    let unit =
                        config.unit_named(rest).map(|u| u.ma.clone()).or_else(|| {
                            match config.units_in(rest).as_slice() {
                                [one] => Some(one.clone()),
                                _ => None,
                            }
                        });
                    match unit {
                        Some(u) => return (Some((u, s.loc(r, c))), None),
                        None if unknown.is_none() && !rest.trim().is_empty() => {
                            unknown = Some((vn::clean(rest), s.loc(r, c)));
                        }
                        None => {}
                    }
                }
            }
        }
    }
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let unit = config.unit_named(&stem).map(|u| u.ma.clone()).or_else(|| {
        match config.units_in(&stem).as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    });
    let from_name = unit.map(|u| {
        (
            u,
            Loc::File {
                file: file.to_string(),
            },
        )
    });
    (from_name, unknown)
}

/// A header found in a sheet: the row(s) it occupies and each column's name ("Group /
/// Column" for a two-level header), folded for matching.
struct Header {
    /// First data row (absolute).
    data_start: u32,
    /// Each named column with its folded name ("nhom / cot"), as matched.
    columns: Vec<(u32, String)>,
    /// The same columns' names as the sheet writes them, for messages.
    labels: Vec<String>,
    row: u32,
}

impl Header {
    /// The column whose folded name satisfies `pred`, first match.
    fn col(&self, pred: impl Fn(&str) -> bool) -> Option<u32> {
        self.columns.iter().find(|(_, n)| pred(n)).map(|(c, _)| *c)
    }
    /// The column of a declared field: the first column named by its first name, else by its
    /// second, and so on (so "Kết quả thực hiện" wins over a plain "Kết quả").
    fn find(&self, field: &Field) -> Option<u32> {
        field.names.iter().find_map(|n| self.col(|k| names(k, n)))
    }
    /// Every field of `table` at its column; `None` for those the sheet lacks. When a required
    /// one is missing, the error naming each missing column is pushed and `None` returned.
    fn place(
        &self,
        s: &Sheet,
        table: &Table,
        findings: &mut Vec<Finding>,
    ) -> Option<Vec<Option<u32>>> {
        let at: Vec<Option<u32>> = table.fields.iter().map(|f| self.find(f)).collect();
        let wanted: Vec<(&str, bool)> = table
            .fields
            .iter()
            .zip(&at)
            .filter(|(f, _)| f.used == Use::Required)
            .map(|(f, c)| (f.label, c.is_some()))
            .collect();
        if wanted.iter().all(|(_, found)| *found) {
            Some(at)
        } else {
            missing_columns(s, self, &wanted, findings);
            None
        }
    }
}

/// Finds the header row among the first rows: the first row in which `is_key` matches a cell.
/// A second header row (merged group headers above sub-columns) is detected and combined.
fn find_header(s: &Sheet, is_key: impl Fn(&str) -> bool) -> Option<Header> {
    let (r0, c0) = s.start();
    let (r1, c1) = s.end();
    for r in r0..=r1.min(r0 + HEADER_SEARCH_ROWS) {
        if !(c0..=c1).any(|c| is_key(&vn::fold(&s.text(r, c)))) {
            continue;
        }
        let top: Vec<String> = (c0..=c1).map(|c| s.text(r, c)).collect();
        let below: Vec<String> = (c0..=c1).map(|c| s.text(r + 1, c)).collect();
        // A two-level header: some cell below the header row is text under an empty top cell
        // (the covered part of a merged group) or under a group whose sub-columns follow. The
        // key column's own header then spans both rows (nothing below it): under a one-level
        // header with one title left blank, the row below is data, with a value under the key.
        let extent = top.iter().rposition(|t| !t.is_empty()).unwrap_or(0);
        let is_text = |t: &str| !t.is_empty() && t.parse::<f64>().is_err() && !is_column_number(t);
        let key_spans_both = top
            .iter()
            .position(|t| is_key(&vn::fold(t)))
            .is_some_and(|k| below[k].is_empty());
        let two_level = key_spans_both
            && (0..top.len()).any(|i| top[i].is_empty() && i <= extent + 8 && is_text(&below[i]))
            && below.iter().filter(|t| is_text(t)).count() >= 2;
        let mut columns = Vec::new();
        let mut labels = Vec::new();
        let mut group = String::new();
        for (i, c) in (c0..=c1).enumerate() {
            let name = if two_level {
                if !top[i].is_empty() {
                    group = top[i].clone();
                }
                match (top[i].is_empty(), below[i].is_empty()) {
                    (_, true) => top[i].clone(),
                    (true, false) => format!("{group} / {}", below[i]),
                    (false, false) => format!("{} / {}", top[i], below[i]),
                }
            } else {
                top[i].clone()
            };
            if !name.is_empty() {
                let key = name
                    .split(" / ")
                    .map(vn::fold)
                    .collect::<Vec<_>>()
                    .join(" / ");
                columns.push((c, key));
                labels.push(name);
            }
        }
        let mut data_start = if two_level { r + 2 } else { r + 1 };
        // Biểu 06 prints a row of column numbers "(1) (2) ..." under the header.
        while data_start <= r1 && {
            let cells: Vec<String> = (c0..=c1)
                .map(|c| s.text(data_start, c))
                .filter(|t| !t.is_empty())
                .collect();
            !cells.is_empty() && cells.iter().all(|t| is_column_number(t))
        } {
            data_start += 1;
        }
        return Some(Header {
            data_start,
            columns,
            labels,
            row: r,
        });
    }
    None
}

pub(super) fn is_column_number(t: &str) -> bool {
    let t = t.trim();
    t.len() >= 3
        && t.starts_with('(')
        && t.ends_with(')')
        && t[1..t.len() - 1]
            .chars()
            .all(|c| c.is_ascii_digit() || c == '=' || c == '+')
}

/// The error for required columns not found: `wanted` pairs each column's name in messages
/// with whether it was found; only those not found are named.
fn missing_columns(s: &Sheet, h: &Header, wanted: &[(&str, bool)], findings: &mut Vec<Finding>) {
    let have: Vec<&str> = h.labels.iter().map(String::as_str).collect();
    let wanted: Vec<&str> = wanted
        .iter()
        .filter(|(_, found)| !found)
        .map(|(name, _)| *name)
        .collect();
    findings.push(Finding::error(
        Kind::ColumnMissing,
        s.loc(h.row, s.start().1),
        format!(
            "dòng tiêu đề thiếu cột {} (có các cột: {})",
            wanted
                .iter()
                .map(|w| format!("\"{w}\""))
                .collect::<Vec<_>>()
                .join(", "),
            have.join(" | ")
        ),
    ));
}

fn row_is_empty(s: &Sheet, r: u32) -> bool {
    s.cells.row(r).all(|(_, d)| cell_text(d).is_empty())
}

/// A task code in its canonical form ("pl 2-iii-4" -> "PL2.III.4"), or `None` if it is not one.
pub fn normalise_code(t: &str) -> Option<String> {
    let u: String = t
        .trim()
        .to_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let u = u.replace(['-', '_', ','], ".");
    let rest = u.strip_prefix("PL")?;
    let parts: Vec<&str> = rest.split('.').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [a, n] if a.parse::<u32>().is_ok() && n.parse::<u32>().is_ok() => Some(format!(
            "PL{}.{}",
            a.parse::<u32>().ok()?,
            n.parse::<u32>().ok()?
        )),
        [a, g, n]
            if a.parse::<u32>().is_ok()
                && vn::parse_roman(g).is_some()
                && n.parse::<u32>().is_ok() =>
        {
            Some(format!(
                "PL{}.{}.{}",
                a.parse::<u32>().ok()?,
                g,
                n.parse::<u32>().ok()?
            ))
        }
        _ => None,
    }
}

fn read_tasks(s: &Sheet, max_rows: usize, findings: &mut Vec<Finding>) -> Vec<TaskRow> {
    let table = &tasks::TABLE;
    let Some(h) = find_header(s, |k| table.is_key(k)) else {
        findings.push(empty_or_no_header(s, table));
        return Vec::new();
    };
    let Some(at) = h.place(s, table, findings) else {
        return Vec::new();
    };
    let (Some(code), Some(status)) = (at[tasks::CODE], at[tasks::STATUS]) else {
        return Vec::new();
    };
    let rows = s.rows_from(h.data_start);
    if rows.len() > max_rows {
        findings.push(Finding::error(
            Kind::TooBig,
            s.sheet_loc(),
            format!(
                "sheet có {} dòng dưới dòng tiêu đề, quá giới hạn {max_rows} dòng nhiệm vụ của \
                 một đơn vị ([gioi_han] dong_nhiem_vu trong input/cchc.toml): cchc không đọc",
                rows.len()
            ),
        ));
        return Vec::new();
    }
    let (result, evidence, difficulty, done) = (
        at[tasks::RESULT],
        at[tasks::EVIDENCE],
        at[tasks::DIFFICULTY],
        at[tasks::DONE],
    );
    // Results, evidence and difficulties are often lists typed line by line in the cell; the
    // appendix tables keep those lines.
    let opt_lines = |c: Option<u32>, r: u32| {
        c.and_then(|c| match s.get(r, c) {
            Some(Data::String(t)) => Some(vn::clean_lines(t)),
            other => other.map(cell_text),
        })
        .unwrap_or_default()
    };
    let mut out = Vec::new();
    for r in s.rows_from(h.data_start) {
        if row_is_empty(s, r) {
            continue;
        }
        let code_text = s.text(r, code);
        if code_text.is_empty() {
            // A row with text but no code: a note or a signature line under the table.
            if !s.text(r, status).is_empty() {
                findings.push(Finding::error(
                    Kind::CodeMissing,
                    s.loc(r, code),
                    "dòng có tình trạng nhưng thiếu mã nhiệm vụ",
                ));
            }
            continue;
        }
        if let Some(Data::Error(e)) = s.get(r, code) {
            findings.push(Finding::error(
                Kind::FormulaError,
                s.loc(r, code),
                format!("ô bị lỗi công thức {e}: cần mã nhiệm vụ"),
            ));
            continue;
        }
        let Some(norm) = normalise_code(&code_text) else {
            findings.push(Finding::error(Kind::BadCode,
                s.loc(r, code),
                format!("mã nhiệm vụ \"{code_text}\" không đúng dạng: cần PL1.<số> hoặc PL2.<nhóm La Mã>.<số>, ví dụ PL1.12, PL2.III.4"),
            ));
            continue;
        };
        let st_text = s.text(r, status);
        let st = match s.get(r, status) {
            Some(Data::Error(e)) => {
                findings.push(Finding::error(
                    Kind::FormulaError,
                    s.loc(r, status),
                    format!("ô bị lỗi công thức {e}: cần tình trạng"),
                ));
                continue;
            }
            _ => match Status::read(&st_text) {
                StatusReading::Exact(st) => st,
                StatusReading::Synonym(st) => {
                    findings.push(Finding::note(
                        Kind::StatusSynonym,
                        s.loc(r, status),
                        format!(
                            "nhiệm vụ {norm}: tình trạng \"{st_text}\" được đọc là \"{}\"",
                            st.label()
                        ),
                    ));
                    st
                }
                StatusReading::NearMiss(st) => {
                    findings.push(Finding::error(Kind::StatusNearMiss,
                        s.loc(r, status),
                        format!(
                            "nhiệm vụ {norm}: tình trạng \"{st_text}\" không hợp lệ: có phải \"{}\"? (cần một trong {})",
                            st.label(),
                            Status::LABELS.join(", ")
                        ),
                    ));
                    continue;
                }
                StatusReading::Ambiguous => {
                    findings.push(Finding::error(Kind::StatusAmbiguous,
                        s.loc(r, status),
                        format!(
                            "nhiệm vụ {norm}: tình trạng \"{st_text}\" chưa rõ là \"Đang thực hiện\" hay \"Chưa thực hiện\": ghi một trong hai"
                        ),
                    ));
                    continue;
                }
                StatusReading::Unknown => {
                    findings.push(Finding::error(Kind::StatusUnknown,
                        s.loc(r, status),
                        if st_text.is_empty() {
                            format!(
                                "nhiệm vụ {norm} chưa ghi tình trạng: cần một trong {}",
                                Status::LABELS.join(", ")
                            )
                        } else {
                            format!(
                                "nhiệm vụ {norm}: tình trạng \"{st_text}\" không hợp lệ: cần một trong {}",
                                Status::LABELS.join(", ")
                            )
                        },
                    ));
                    continue;
                }
            },
        };
        let done_date = match done {
            Some(c) => match read_date(s.get(r, c)) {
                Ok(d) => d,
                Err(Bad(kind, m)) => {
                    findings.push(Finding::error(kind, s.loc(r, c), m));
                    None
                }
            },
            None => None,
        };
        out.push(TaskRow {
            code: norm,
            status: st,
            result: opt_lines(result, r),
            evidence: opt_lines(evidence, r),
            difficulty: opt_lines(difficulty, r),
            done_date,
            done_text: done.and_then(|c| match s.get(r, c) {
                Some(Data::String(t)) if done_date.is_some() => Some((vn::clean(t), s.loc(r, c))),
                _ => None,
            }),
            source: s.loc(r, code),
            status_source: s.loc(r, status),
        });
    }
    out
}

fn empty_or_no_header(s: &Sheet, table: &Table) -> Finding {
    empty_or_no_header_named(s, table.fields[table.key].label)
}

fn empty_or_no_header_named(s: &Sheet, key: &str) -> Finding {
    if s.cells.is_empty() {
        Finding::error(
            Kind::SheetEmpty,
            s.sheet_loc(),
            "sheet trống: cần dòng tiêu đề và các dòng số liệu",
        )
    } else {
        Finding::error(
            Kind::HeaderNotFound,
            s.sheet_loc(),
            format!(
                "không tìm thấy dòng tiêu đề có cột \"{key}\" trong {HEADER_SEARCH_ROWS} dòng đầu"
            ),
        )
    }
}

/// A cell that is not what its column needs: the kind, and what the cell holds (the caller
/// says what it expected).
#[derive(Debug, PartialEq)]
struct Bad(Kind, String);

fn read_date(d: Option<&Data>) -> Result<Option<NaiveDate>, Bad> {
    let bad = |m: String| Bad(Kind::BadDate, m);
    match d {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::DateTime(dt)) => dt
            .as_datetime()
            .map(|d| Some(d.date()))
            .ok_or_else(|| bad("ngày không hợp lệ".to_string())),
        Some(Data::Float(f)) => serial_date(*f)
            .map(Some)
            .ok_or_else(|| bad(format!("ngày \"{f}\" không hợp lệ"))),
        Some(Data::Int(i)) => serial_date(*i as f64)
            .map(Some)
            .ok_or_else(|| bad(format!("ngày \"{i}\" không hợp lệ"))),
        Some(Data::DateTimeIso(s)) => vn::parse_date(s.get(..10).unwrap_or(s))
            .map(Some)
            .ok_or_else(|| bad(format!("ngày \"{s}\" không hợp lệ"))),
        Some(Data::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Data::String(s)) => vn::parse_date(s).map(Some).ok_or_else(|| {
            bad(format!(
                "ngày \"{}\" không đọc được: cần dạng dd/mm/yyyy, ví dụ 05/6/2024",
                vn::clean(s)
            ))
        }),
        Some(Data::Error(e)) => Err(Bad(
            Kind::FormulaError,
            format!("ô bị lỗi công thức {e}: cần một ngày"),
        )),
        Some(other) => Err(bad(format!(
            "\"{}\" không phải là ngày: cần dạng dd/mm/yyyy",
            cell_text(other)
        ))),
    }
}

pub(super) fn serial_date(f: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&f) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(f.floor() as u64))
}

/// The largest magnitude a number cell may hold (exclusive): sums of many such cells still fit
/// an i64 of hundredths.
const MAX_NUMBER: i64 = 1_000_000_000_000;

/// A number cell, in hundredths. Text is accepted in Vietnamese form ("1.245", "18,5",
/// "18,5%"); an error cell, or text that is no number, is an error that says what the cell
/// holds (the caller says what it expected).
fn read_number(s: &Sheet, r: u32, c: u32) -> Result<Option<i64>, Bad> {
    match s.get(r, c) {
        None | Some(Data::Empty) => Ok(None),
        // Bounded before the cast, which would clamp: NaN to 0, 1e308 to i64::MAX. No count,
        // score or share of a ward's report comes near a trillion.
        Some(Data::Float(f)) if !f.is_finite() || f.abs() >= MAX_NUMBER as f64 => Err(Bad(
            Kind::NumberOutOfRange,
            format!("ô chứa \"{f}\", không phải số hợp lệ hoặc quá lớn"),
        )),
        Some(Data::Float(f)) => Ok(Some((f * 100.0).round() as i64)),
        Some(Data::Int(i)) if i.unsigned_abs() >= MAX_NUMBER as u64 => Err(Bad(
            Kind::NumberOutOfRange,
            format!("ô chứa \"{i}\", số quá lớn"),
        )),
        Some(Data::Int(i)) => Ok(Some(i * 100)),
        Some(Data::Bool(_)) => Err(Bad(Kind::NotANumber, "ô chứa giá trị đúng/sai".into())),
        Some(Data::Error(e)) => Err(Bad(Kind::FormulaError, format!("ô bị lỗi công thức {e}"))),
        Some(d) => {
            let t = cell_text(d);
            if t.is_empty() || t == "-" {
                return Ok(None);
            }
            parse_number_text(&t)
                .map(Some)
                .ok_or_else(|| Bad(Kind::NotANumber, format!("\"{t}\" không phải là số")))
        }
    }
}

/// "1.245" -> 124500, "18,5%" -> 1850, "1 245" -> 124500, "-3" -> -300 (hundredths).
pub fn parse_number_text(t: &str) -> Option<i64> {
    let (neg, int, frac) = number_parts(t)?;
    let whole = int.parse::<i64>().ok().filter(|w| *w < MAX_NUMBER)?;
    let mut v: i64 = whole.checked_mul(100)?;
    let f2 = format!("{:0<3}", frac);
    let f = f2[..3].parse::<i64>().ok()?;
    v += (f + 5) / 10;
    Some(if neg { -v } else { v })
}

/// Whether number text has digits beyond the hundredths that [`parse_number_text`] rounds
/// away: "1,245" is 1,25 read the Vietnamese way, but 1245 written the English way.
fn rounds_text(t: &str) -> bool {
    number_parts(t)
        .is_some_and(|(_, _, frac)| frac.len() > 2 && frac[2..].chars().any(|c| c != '0'))
}

/// Sign, whole digits and decimal digits of number text.
fn number_parts(t: &str) -> Option<(bool, String, String)> {
    let t: String = t
        .trim()
        .trim_end_matches('%')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() {
        return None;
    }
    // Dots group thousands in Vietnamese; a single dot followed by other than three digits is
    // an English decimal point, as some software writes.
    let dots = t.matches('.').count();
    let commas = t.matches(',').count();
    let normalised =
        if commas == 0 && dots == 1 && t.split('.').nth(1).is_some_and(|d| d.len() != 3) {
            t.clone()
        } else {
            t.replace('.', "").replace(',', ".")
        };
    let (neg, body) = match normalised.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, normalised.as_str()),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty()
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((neg, int.to_string(), frac.to_string()))
}

/// A count: a whole, non-negative number.
/// How a number cell may have been misread, said with both readings: a real number with
/// three decimals is what Excel with English settings stores for a typed "1.032" (one
/// thousand and thirty-two the Vietnamese way); a percent sign in the cell's text.
fn other_reading(s: &Sheet, r: u32, c: u32) -> Option<String> {
    match s.get(r, c) {
        Some(Data::Float(f))
            if f.fract() != 0.0 && ((f * 1000.0).round() - f * 1000.0).abs() < 1e-6 =>
        {
            let thousands = (f * 1000.0).round() as i64;
            (thousands % 10 != 0).then(|| {
                format!(
                    "ô chứa số thập phân {}; nếu ý là {} (dấu chấm phân cách hàng nghìn) thì bảng \
                     tính đã đọc dấu chấm là dấu thập phân: gõ lại {} không có dấu chấm",
                    f.to_string().replace('.', ","),
                    vn::thousands(thousands),
                    thousands
                )
            })
        }
        Some(Data::String(t)) if t.contains('%') => Some(format!(
            "ô ghi \"{}\" (tỷ lệ phần trăm) nhưng cột này cần một số đếm",
            t.trim()
        )),
        _ => None,
    }
}

fn read_count(s: &Sheet, r: u32, c: u32, what: &str, findings: &mut Vec<Finding>) -> Option<Count> {
    if let Some(why) = other_reading(s, r, c) {
        findings.push(Finding::error(
            Kind::TwoReadings,
            s.loc(r, c),
            format!("{what}: {why}, cần một số nguyên ≥ 0"),
        ));
        return None;
    }
    match read_number(s, r, c) {
        Ok(None) => Some(Count {
            value: 0,
            source: s.loc(r, c),
        }),
        Ok(Some(v)) if v < 0 => {
            findings.push(Finding::error(
                Kind::Negative,
                s.loc(r, c),
                format!(
                    "{what}: số âm ({}) không hợp lệ, cần số hồ sơ ≥ 0",
                    vn::hundredths(v)
                ),
            ));
            None
        }
        Ok(Some(v)) if v % 100 != 0 => {
            findings.push(Finding::error(
                Kind::NotWhole,
                s.loc(r, c),
                format!("{what}: \"{}\" không phải số nguyên", vn::hundredths(v)),
            ));
            None
        }
        Ok(Some(v)) => Some(Count {
            value: v / 100,
            source: s.loc(r, c),
        }),
        Err(Bad(kind, m)) => {
            findings.push(Finding::error(
                kind,
                s.loc(r, c),
                format!("{what}: {m}, cần một số nguyên ≥ 0"),
            ));
            None
        }
    }
}

fn read_figures(
    s: &Sheet,
    findings: &mut Vec<Finding>,
    in_error: &mut Vec<String>,
) -> Vec<FigureRow> {
    let table = &figures::TABLE;
    let Some(h) = find_header(s, |k| table.is_key(k)) else {
        findings.push(empty_or_no_header(s, table));
        return Vec::new();
    };
    let Some(at) = h.place(s, table, findings) else {
        return Vec::new();
    };
    let (Some(code), Some(value)) = (at[figures::CODE], at[figures::VALUE]) else {
        return Vec::new();
    };
    let (name, note) = (at[figures::NAME], at[figures::NOTE]);
    let mut out = Vec::new();
    for r in s.rows_from(h.data_start) {
        let c = s.text(r, code);
        if c.is_empty() {
            continue;
        }
        match read_number(s, r, value) {
            Ok(Some(v)) => {
                let text = s.text(r, value);
                if matches!(s.get(r, value), Some(Data::String(_))) && rounds_text(&text) {
                    findings.push(Finding::warning(Kind::Rounded,
                        s.loc(r, value),
                        format!(
                            "chỉ tiêu {c}: \"{text}\" được đọc là số thập phân và làm tròn thành {}; nếu là số nguyên thì ghi không có dấu phẩy",
                            vn::hundredths(v)
                        ),
                    ));
                }
                if v < 0 {
                    findings.push(Finding::warning(
                        Kind::Negative,
                        s.loc(r, value),
                        format!("chỉ tiêu {c}: giá trị âm ({})", vn::hundredths(v)),
                    ));
                }
                if let Some(why) = other_reading(s, r, value) {
                    findings.push(Finding::warning(
                        Kind::TwoReadings,
                        s.loc(r, value),
                        format!("chỉ tiêu {c}: {why}; báo cáo in {}", vn::hundredths(v)),
                    ));
                } else if v % 100 != 0 && matches!(s.get(r, value), Some(Data::Float(_))) {
                    findings.push(Finding::warning(Kind::NotWhole,
                        s.loc(r, value),
                        format!(
                            "chỉ tiêu {c}: giá trị {} có phần thập phân; nếu là số đếm thì kiểm tra lại ô",
                            vn::hundredths(v)
                        ),
                    ));
                }
                out.push(FigureRow {
                    code: c.to_uppercase(),
                    name: name.map(|n| s.text(r, n)).unwrap_or_default(),
                    value: v,
                    note: note.map(|n| s.text(r, n)).unwrap_or_default(),
                    source: s.loc(r, value),
                });
            }
            Ok(None) => {}
            Err(Bad(kind, m)) => {
                in_error.push(c.to_uppercase());
                findings.push(Finding::error(
                    kind,
                    s.loc(r, value),
                    format!("chỉ tiêu {c}: {m}, cần một số"),
                ))
            }
        }
    }
    out
}

fn read_dossiers(s: &Sheet, findings: &mut Vec<Finding>) -> Vec<DossierRow> {
    let lead = &dossiers::LEADING[dossiers::FIELD];
    let Some(h) = find_header(s, |k| lead.names.contains(&k)) else {
        findings.push(empty_or_no_header_named(s, lead.label));
        return Vec::new();
    };
    // Each column of the contract at its place in this sheet, if it has it.
    let cols: Vec<Option<u32>> = COLUMNS.iter().map(|c| h.col(|k| c.matches(k))).collect();
    let field = h.find(lead);
    let missing: Vec<String> = COLUMNS
        .iter()
        .zip(&cols)
        .filter(|(c, at)| c.required && at.is_none())
        .map(|(c, _)| c.title())
        .collect();
    let Some(field) = field.filter(|_| missing.is_empty()) else {
        let missing: Vec<(&str, bool)> = missing.iter().map(|m| (m.as_str(), false)).collect();
        missing_columns(s, &h, &missing, findings);
        return Vec::new();
    };

    let mut out: Vec<DossierRow> = Vec::new();
    // A row in error is left out of the sums, so a stated total would then differ from them
    // for every column: only its own error is reported.
    let mut any_bad = false;
    let mut any_value = false;
    for r in s.rows_from(h.data_start) {
        let name = s.text(r, field);
        if name.is_empty() {
            continue;
        }
        let k = vn::fold(&name);
        let is_total = k.starts_with("tong") || k == "cong";
        any_value |= !is_total
            && COLUMNS
                .iter()
                .zip(&cols)
                .any(|(c, at)| c.required && at.is_some_and(|at| !s.is_blank(r, at)));
        let mut bad = false;
        let mut present = [false; N];
        let counts: [Count; N] = std::array::from_fn(|i| {
            let absent = || Count {
                value: 0,
                source: s.loc(r, field),
            };
            let read = cols[i].and_then(|at| read_count(s, r, at, &COLUMNS[i].title(), findings));
            // A split column in error only loses itself; a Biểu 06 column, the row.
            bad |= COLUMNS[i].required && read.is_none();
            present[i] = read.is_some();
            read.unwrap_or_else(absent)
        });
        if bad {
            any_bad |= !is_total;
            continue;
        }
        if is_total {
            // A stated total row is compared with the sum of the rows above it; an empty total
            // cell states nothing (also a formula that was never computed, as a file saved by
            // a program that does not calculate gives).
            for &c in Col::OFFICIAL {
                let i = c as usize;
                let (Some(at), v) = (cols[i], &counts[i]) else {
                    continue;
                };
                let sum: i64 = out.iter().map(|d| d.value(c)).sum();
                if !any_bad && !s.is_blank(r, at) && sum != v.value {
                    findings.push(Finding::warning(
                        Kind::TotalMismatch,
                        v.source.clone(),
                        format!(
                            "dòng tổng ghi {} ở cột {} nhưng tổng các lĩnh vực là {}",
                            vn::thousands(v.value),
                            c.column().title(),
                            vn::thousands(sum)
                        ),
                    ));
                }
            }
            continue;
        }
        out.push(DossierRow {
            field: name,
            counts,
            present,
            source: s.loc(r, field),
        });
    }
    if !any_value && !out.is_empty() {
        // The form as `cchc forms` gives it, never filled in: no figures, not zero dossiers.
        findings.push(not_filled_in(s));
        out.clear();
    }
    out
}

/// A sheet whose rows are there but whose number cells are all empty.
fn not_filled_in(s: &Sheet) -> Finding {
    Finding::warning(
        Kind::NotFilledIn,
        s.sheet_loc(),
        format!(
            "sheet \"{}\" chưa điền số liệu (mọi ô số đều trống): báo cáo ghi là chưa có số liệu, không ghi 0",
            s.name
        ),
    )
}

/// The sheet "Tự chấm điểm": Mã tiêu chí | Tiêu chí, tiêu chí thành phần | Điểm tối đa | Điểm tự
/// chấm | Tài liệu kiểm chứng | Ghi chú. Rows without a code (a total row, notes) are skipped.
fn read_scores(s: &Sheet, findings: &mut Vec<Finding>) -> Vec<ScoreRow> {
    let table = &scores::TABLE;
    let Some(h) = find_header(s, |k| table.is_key(k)) else {
        findings.push(empty_or_no_header(s, table));
        return Vec::new();
    };
    let Some(at) = h.place(s, table, findings) else {
        return Vec::new();
    };
    let (Some(code), Some(max), Some(score)) =
        (at[scores::CODE], at[scores::MAX], at[scores::SCORE])
    else {
        return Vec::new();
    };
    let (name, evidence, note) = (at[scores::NAME], at[scores::EVIDENCE], at[scores::NOTE]);
    let text = |c: Option<u32>, r: u32| c.map(|c| s.text(r, c)).unwrap_or_default();
    let mut out = Vec::new();
    for r in s.rows_from(h.data_start) {
        let c: String = s
            .text(r, code)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let c = c.trim_end_matches('.').to_string();
        if c.is_empty() {
            continue;
        }
        let what = format!("tiêu chí {c}");
        let number =
            |col: u32, label: &str, findings: &mut Vec<Finding>| match read_number(s, r, col) {
                Ok(Some(v)) if v >= 0 => Some(v),
                Ok(Some(v)) => {
                    findings.push(Finding::error(
                        Kind::Negative,
                        s.loc(r, col),
                        format!("{what}: {label} âm ({}) không hợp lệ", vn::hundredths(v)),
                    ));
                    None
                }
                Ok(None) => {
                    findings.push(Finding::error(
                        Kind::ValueMissing,
                        s.loc(r, col),
                        format!("{what}: chưa ghi {label}"),
                    ));
                    None
                }
                Err(Bad(kind, m)) => {
                    findings.push(Finding::error(
                        kind,
                        s.loc(r, col),
                        format!("{what}: {label}: {m}, cần một số điểm, ví dụ 2,5"),
                    ));
                    None
                }
            };
        let m = number(max, "điểm tối đa", findings);
        let v = number(score, "điểm tự chấm", findings);
        let (Some(m), Some(v)) = (m, v) else {
            continue;
        };
        if v > m {
            findings.push(Finding::error(
                Kind::ScoreOverMax,
                s.loc(r, score),
                format!(
                    "{what}: điểm tự chấm {} lớn hơn điểm tối đa {}",
                    vn::hundredths(v),
                    vn::hundredths(m)
                ),
            ));
            continue;
        }
        out.push(ScoreRow {
            code: c,
            name: text(name, r),
            max: m,
            score: v,
            evidence: text(evidence, r),
            note: text(note, r),
            source: s.loc(r, score),
            max_source: s.loc(r, max),
        });
    }
    out
}

fn read_sipas(s: &Sheet, findings: &mut Vec<Finding>) -> Vec<SipasRow> {
    let table = &sipas::TABLE;
    let Some(h) = find_header(s, |k| table.is_key(k)) else {
        findings.push(empty_or_no_header(s, table));
        return Vec::new();
    };
    let Some(at) = h.place(s, table, findings) else {
        return Vec::new();
    };
    let Some(name) = at[sipas::FACTOR] else {
        return Vec::new();
    };
    let cols: Vec<Option<u32>> = sipas::LEVELS.iter().map(|&l| at[l]).collect();
    let levels: Vec<&str> = sipas::LEVELS
        .iter()
        .map(|&l| table.fields[l].label)
        .collect();
    let mut out = Vec::new();
    let mut any_value = false;
    for r in s.rows_from(h.data_start) {
        let n = s.text(r, name);
        if n.is_empty() || vn::fold(&n).starts_with("tong") {
            continue;
        }
        any_value |= cols.iter().flatten().any(|&c| !s.is_blank(r, c));
        let mut answers = Vec::new();
        for (i, c) in cols.iter().enumerate() {
            if let Some(v) = read_count(s, r, c.unwrap_or(0), levels[i], findings) {
                answers.push(v);
            }
        }
        let Ok(answers) = <[Count; 5]>::try_from(answers) else {
            continue;
        };
        out.push(SipasRow {
            factor: out.len() as u8 + 1,
            name: n,
            answers,
            source: s.loc(r, name),
        });
    }
    if !any_value && !out.is_empty() {
        findings.push(not_filled_in(s));
        out.clear();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(normalise_code("PL1.12").as_deref(), Some("PL1.12"));
        assert_eq!(normalise_code(" pl 2-iii-4 ").as_deref(), Some("PL2.III.4"));
        assert_eq!(normalise_code("PL1.012").as_deref(), Some("PL1.12"));
        assert_eq!(normalise_code("PL2.X5.1"), None);
        assert_eq!(normalise_code("12"), None);
    }

    #[test]
    fn numbers_as_text() {
        assert_eq!(parse_number_text("1.245"), Some(124500));
        assert_eq!(parse_number_text("18,5%"), Some(1850));
        assert_eq!(parse_number_text("1 245"), Some(124500));
        assert_eq!(parse_number_text("2.5"), Some(250));
        assert_eq!(parse_number_text("-3"), Some(-300));
        assert_eq!(parse_number_text("1.234.567"), Some(123456700));
        assert_eq!(parse_number_text("mười"), None);
        assert_eq!(parse_number_text(""), None);
        // Digits beyond the hundredths are rounded away, which the reader warns of.
        assert_eq!(parse_number_text("1,245"), Some(125));
        assert!(rounds_text("1,245") && rounds_text("0,333%"));
        assert!(!rounds_text("1,25") && !rounds_text("1.245") && !rounds_text("2,500"));
    }

    #[test]
    fn a_zip_that_inflates_beyond_reason_is_refused_before_it_is_opened() {
        use std::io::Write;
        let config = crate::Config::parse(crate::forms::SAMPLE_CONFIG).unwrap();
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let deflate = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            z.start_file("xl/worksheets/sheet1.xml", deflate).unwrap();
            let zeros = vec![b' '; 1024 * 1024];
            for _ in 0..40 {
                z.write_all(&zeros).unwrap();
            }
            z.finish().unwrap();
        }
        let bytes = buf.into_inner();
        assert!(bytes.len() < 1024 * 1024, "{}", bytes.len());
        let (sub, findings) = read_workbook(&bytes, "input/2024-Q2/bom.xlsx", &config);
        assert!(sub.is_none());
        let said = findings[0].to_string();
        assert!(
            said.starts_with("lỗi: input/2024-Q2/bom.xlsx: tệp nén bất thường: phần \"xl/worksheets/sheet1.xml\" giải nén ra 40 MB"),
            "{said}"
        );
        // The sample's own workbooks pass.
        let real = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("input/2024-Q2/mot-cua.xlsx"),
        );
        assert!(super::super::open::open(&real.unwrap(), &config.gioi_han).is_ok());
    }

    #[test]
    fn numbers_beyond_reason_are_errors_at_their_cell_not_clamped() {
        let values = [f64::NAN, f64::INFINITY, 1e308, 9.3e16, -1e13];
        let mut range = calamine::Range::new((0, 0), (0, values.len() as u32 + 1));
        for (i, v) in values.iter().enumerate() {
            range.set_value((0, i as u32), Data::Float(*v));
        }
        range.set_value((0, values.len() as u32), Data::Int(i64::MAX));
        range.set_value((0, values.len() as u32 + 1), Data::Float(999_999_999_999.0));
        let s = Sheet {
            file: "mot-cua.xlsx",
            name: "Hồ sơ TTHC".into(),
            cells: Grid::from_range(&range),
        };
        for c in 0..=values.len() as u32 {
            let e = read_number(&s, 0, c).unwrap_err();
            assert_eq!(e.0, Kind::NumberOutOfRange, "{c}: {}", e.1);
            assert!(e.1.contains("quá lớn"), "{c}: {}", e.1);
        }
        assert_eq!(
            read_number(&s, 0, values.len() as u32 + 1),
            Ok(Some(99_999_999_999_900))
        );
        assert_eq!(parse_number_text("92.233.720.368.547.758"), None);
    }

    #[test]
    fn error_cells_are_named_as_the_spreadsheet_shows_them_and_the_expectation_said_once() {
        let mut range = calamine::Range::new((0, 0), (0, 2));
        range.set_value((0, 0), Data::Error(calamine::CellErrorType::Ref));
        range.set_value((0, 1), Data::Error(calamine::CellErrorType::Div0));
        range.set_value((0, 2), Data::Bool(true));
        let s = Sheet {
            file: "tu-phap.xlsx",
            name: "Hồ sơ TTHC".into(),
            cells: Grid::from_range(&range),
        };
        let mut findings = Vec::new();
        assert!(read_count(&s, 0, 0, "Hộ tịch", &mut findings).is_none());
        assert!(read_count(&s, 0, 1, "Hộ tịch", &mut findings).is_none());
        assert!(read_count(&s, 0, 2, "Hộ tịch", &mut findings).is_none());
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "Hộ tịch: ô bị lỗi công thức #REF!, cần một số nguyên ≥ 0",
                "Hộ tịch: ô bị lỗi công thức #DIV/0!, cần một số nguyên ≥ 0",
                "Hộ tịch: ô chứa giá trị đúng/sai, cần một số nguyên ≥ 0",
            ]
        );
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
    }

    #[test]
    fn serial_dates() {
        assert_eq!(serial_date(45448.0), NaiveDate::from_ymd_opt(2024, 6, 5));
    }
}
