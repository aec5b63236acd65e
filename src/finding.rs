//! Findings: what `check` reports. Every finding names its place (file › sheet › cell, the plan
//! and its line, or a template and its line) and says, in Vietnamese, what was found and what
//! was expected.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// Stops `report`: nothing is written.
    Error,
    /// Printed, and listed in the report's annex where useful.
    Warning,
    /// How an input was read when it was not literal (a synonym): printed by `check
    /// --chi-tiet` only, so that every reading can be seen without drowning the warnings.
    Note,
}

/// An absolute cell position (0-based row and column of the sheet, not of its used range).
/// Serialised as the spreadsheet shows it ("D9"), so that `cchc data` sends a clerk to the
/// right cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> CellRef {
        CellRef { row, col }
    }
    /// The column's letters: 0 -> "A", 27 -> "AB".
    pub fn column_name(col: u32) -> String {
        let mut n = col as u64 + 1;
        let mut s = Vec::new();
        while n > 0 {
            let r = ((n - 1) % 26) as u8;
            s.push(b'A' + r);
            n = (n - 1) / 26;
        }
        s.reverse();
        String::from_utf8(s).unwrap_or_default()
    }
}

impl Serialize for CellRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", CellRef::column_name(self.col), self.row + 1)
    }
}

/// Where a finding or a figure comes from. `file` is the path relative to the workspace.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Loc {
    /// A line of the plan (or of another Markdown input).
    Line {
        file: String,
        line: usize,
    },
    Cell {
        file: String,
        sheet: String,
        cell: CellRef,
    },
    Sheet {
        file: String,
        sheet: String,
    },
    File {
        file: String,
    },
    /// Rows of a dossier list a count is made of: how many, and the first and last of them as
    /// the spreadsheet numbers its rows (from 1).
    Rows {
        file: String,
        sheet: String,
        count: usize,
        first: u32,
        last: u32,
    },
    /// A period folder or the workspace as a whole.
    Nowhere,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loc::Line { file, line } => write!(f, "{file}:{line}"),
            Loc::Cell { file, sheet, cell } => write!(f, "{file} › {sheet} › {cell}"),
            Loc::Sheet { file, sheet } => write!(f, "{file} › {sheet}"),
            Loc::File { file } => write!(f, "{file}"),
            Loc::Rows {
                file,
                sheet,
                count,
                first,
                last,
            } => write!(
                f,
                "{file} › {sheet}: {} hồ sơ, {}",
                crate::vn::thousands(i64::try_from(*count).unwrap_or(i64::MAX)),
                rows_text(*first, *last)
            ),
            Loc::Nowhere => Ok(()),
        }
    }
}

/// "dòng 5-1.203", "dòng 7" (rows as the spreadsheet numbers them).
pub fn rows_text(first: u32, last: u32) -> String {
    let n = |r: u32| crate::vn::thousands(i64::from(r));
    if first == last {
        format!("dòng {}", n(first))
    } else {
        format!("dòng {}-{}", n(first), n(last))
    }
}

/// What a finding is about, whatever its wording: tests assert kinds and places, and `cchc
/// check --json` gives it to scripts. One kind may be an error in one place and a warning in
/// another (a missing quarter is a warning with `--cho-phep-thieu`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    // The file and its sheets.
    /// Beyond a limit (a package that inflates beyond reason, too many cells).
    TooBig,
    /// Not readable as a workbook, or a sheet of it not readable.
    Unreadable,
    /// A file in a period folder that is not a workbook.
    NotAWorkbook,
    SheetHidden,
    /// Two sheets by one name.
    SheetTwice,
    SheetMissing,
    SheetEmpty,
    HeaderNotFound,
    /// A required column is not in the header (of a sheet, or of a plan table).
    ColumnMissing,
    /// A unit named (in a title cell, or as a task's lead) that cchc.toml does not know.
    UnitNotInConfig,
    /// No unit can be told for a workbook.
    UnitUnknown,
    /// Two workbooks for one unit in one quarter.
    UnitTwice,

    // One cell.
    FormulaError,
    /// A cell that needs a number holds something else.
    NotANumber,
    /// A number beyond any the report can hold (NaN, infinity, ≥ 10¹²).
    NumberOutOfRange,
    Negative,
    /// A fraction where a count is needed.
    NotWhole,
    /// Number text with more decimals than the report keeps.
    Rounded,
    /// A number that reads two ways (a decimal point typed as a thousands dot, a percent).
    TwoReadings,
    /// A required value left empty.
    ValueMissing,
    BadDate,
    /// A task code not of the form PL1.12, PL2.III.4.
    BadCode,
    /// A row with values but no code.
    CodeMissing,
    /// A status read through the synonym table (a note).
    StatusSynonym,
    /// A status one edit from a valid one.
    StatusNearMiss,
    /// A status that could mean "Đang thực hiện" or "Chưa thực hiện".
    StatusAmbiguous,
    /// A status empty or not one of the labels.
    StatusUnknown,
    ScoreOverMax,
    /// A plan's index-table score not of the form 18/20.
    BadScore,

    // Between cells, rows, workbooks and quarters.
    /// A task, criterion or code given twice.
    Duplicate,
    /// A stated total that differs from the sum of its parts.
    TotalMismatch,
    /// A Biểu 06 identity, (3) = (4) + (5) + (6) and the like, broken.
    IdentityBroken,
    /// The plan's splits of online dossiers disagree with (4).
    SplitMismatch,
    /// Fewer apology letters than late dossiers.
    ApologiesShort,
    /// One quarter's Biểu 06 does not follow from the one before.
    PeriodsDisagree,
    /// A sheet whose number cells are all empty.
    NotFilledIn,
    TaskNotInPlan,
    /// A lead unit's workbook without a row for a task due in the quarter.
    TaskNotReported,
    /// A task past its deadline not reported done.
    TaskOverdue,
    /// A plan deadline cchc cannot place in a quarter.
    DeadlineUnclear,
    DateOutsideYear,
    DateAfterCutoff,
    /// A text date that reads two ways (day/month or month/day).
    DateAmbiguous,
    /// No figures of a unit, or one indicator missing.
    FiguresMissing,
    /// An indicator code cchc.toml does not give the unit.
    FigureUnknown,
    /// A quarter's folder missing, or no period folder at all.
    QuarterMissing,
    UnitNotReported,
    SelfAssessmentMissing,

    // The one-stop software's dossier list.
    /// A dossier's dates that cannot all be true (finished before received, due before
    /// received).
    DossierDates,
    /// A status, channel or level word the vocabularies do not know.
    DossierUnknownWord,
    /// A dossier with no lĩnh vực (no column and no group row above it).
    DossierNoField,
    /// More rows of one problem than are listed (the first ones are).
    DossierMore,
    /// The list lacks a column a rule needs, or another column stands in for it.
    DossierColumn,
    /// Biểu 06 typed in "Hồ sơ TTHC" differs from the one computed from the list.
    DossierListDiffers,
    /// The report's Biểu 06 comes from the list (a note).
    DossierListUsed,

    // The plan.
    FrontMatterMissing,
    FrontMatterUnreadable,
    /// A value to fill in left blank.
    Blank,
    UnclosedComment,
    UnsupportedHtml,
    NoTaskTable,
    TaskWithoutNumber,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub kind: Kind,
    pub loc: Loc,
    pub message: String,
    /// Optional advice on how to fix it.
    pub hint: Option<String>,
}

impl Finding {
    pub fn error(kind: Kind, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Error,
            kind,
            loc,
            message: message.into(),
            hint: None,
        }
    }
    pub fn warning(kind: Kind, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            kind,
            loc,
            message: message.into(),
            hint: None,
        }
    }
    pub fn note(kind: Kind, loc: Loc, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Note,
            kind,
            loc,
            message: message.into(),
            hint: None,
        }
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
            Severity::Note => "ghi chú",
        };
        let mut line = match &self.loc {
            Loc::Nowhere => format!("{level}: {}", self.message),
            loc => format!("{level}: {loc}: {}", self.message),
        };
        if let Some(h) = &self.hint {
            line.push_str(&format!(" ({h})"));
        }
        f.write_str(&visible(&line))
    }
}

/// `text` with every character a person cannot see, or that a terminal would act on, written
/// as its code point ("<U+200B>"): control characters (ESC, NUL ...) typed or pasted into a
/// cell would otherwise drive the terminal, and a zero-width space in a code would make a
/// message about it unreadable. Line breaks and tabs stay.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{ad}' | '\u{61c}' | '\u{180e}' | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}'
                | '\u{feff}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// True when any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cannot_be_seen_is_named() {
        let f = Finding::error(
            Kind::Unreadable,
            Loc::File {
                file: "input/2024-Q2/tp.xlsx".into(),
            },
            "mã nhiệm vụ PL1.\u{200b}2 không có trong kế hoạch; \u{1b}[31mđỏ\u{0}",
        );
        assert_eq!(
            f.to_string(),
            "lỗi: input/2024-Q2/tp.xlsx: mã nhiệm vụ PL1.<U+200B>2 không có trong kế hoạch; \
             <U+001B>[31mđỏ<U+0000>"
        );
        assert!(matches!(
            visible("Hoàn thành"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn cells_serialise_as_the_spreadsheet_shows_them() {
        let loc = Loc::Cell {
            file: "input/2024-Q2/mot-cua.xlsx".into(),
            sheet: "Hồ sơ TTHC".into(),
            cell: CellRef::new(8, 3),
        };
        assert_eq!(
            serde_json::to_value(&loc).unwrap()["cell"],
            serde_json::json!("D9")
        );
    }

    #[test]
    fn cell_names_are_absolute() {
        assert_eq!(CellRef::new(13, 2).to_string(), "C14");
        assert_eq!(CellRef::new(0, 25).to_string(), "Z1");
        assert_eq!(CellRef::new(0, 26).to_string(), "AA1");
        assert_eq!(CellRef::new(9, 27).to_string(), "AB10");
    }

    #[test]
    fn display_names_the_place() {
        let f = Finding::error(
            Kind::StatusUnknown,
            Loc::Cell {
                file: "2024-Q2/tu-phap.xlsx".into(),
                sheet: "Nhiệm vụ".into(),
                cell: CellRef::new(5, 1),
            },
            "tình trạng \"Xong\" không hợp lệ",
        );
        assert_eq!(
            f.to_string(),
            "lỗi: 2024-Q2/tu-phap.xlsx › Nhiệm vụ › B6: tình trạng \"Xong\" không hợp lệ"
        );
    }
}
