//! What a departmental workbook holds once read: plain values, each with the cell it came from.

use super::contract::{Col, N};
use crate::finding::Loc;
use chrono::NaiveDate;
use serde::Serialize;

/// A number read from a cell, with its place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    pub value: i64,
    pub source: Loc,
}

/// The status column ("Tình trạng").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
    NotApplicable,
}

/// How a "Tình trạng" cell reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReading {
    /// One of the four labels (case and spacing aside).
    Exact(Status),
    /// A spelling of [`Status::SYNONYMS`]: read as the label, and said (`check --chi-tiet`).
    Synonym(Status),
    /// Close to a label or synonym but not it (an accent or one letter off): an error that
    /// suggests the label, never a silent guess.
    NearMiss(Status),
    /// "Chưa hoàn thành": in progress, or not started? The unit must say.
    Ambiguous,
    Unknown,
}

impl Status {
    /// Spellings read as a label, compared with their accents (NFC, case and spacing aside).
    pub const SYNONYMS: [(&'static str, Status); 6] = [
        ("đã hoàn thành", Status::Done),
        ("hoàn tất", Status::Done),
        ("xong", Status::Done),
        ("đã xong", Status::Done),
        ("đang triển khai", Status::InProgress),
        ("chưa triển khai", Status::NotStarted),
    ];

    /// How `text` reads as a status.
    pub fn read(text: &str) -> StatusReading {
        // A full stop typed after the word ("Không phát sinh.") is not part of it.
        let key = crate::vn::clean(text)
            .trim_end_matches(['.', ';', ','])
            .trim_end()
            .to_lowercase();
        let labels = Status::ALL.map(|s| (s.label().to_lowercase(), s));
        if let Some((_, s)) = labels.iter().find(|(l, _)| *l == key) {
            return StatusReading::Exact(*s);
        }
        if let Some((_, s)) = Status::SYNONYMS.iter().find(|(w, _)| *w == key) {
            return StatusReading::Synonym(*s);
        }
        if key == "chưa hoàn thành" {
            return StatusReading::Ambiguous;
        }
        let folded = crate::vn::fold(text);
        let spellings = labels.iter().map(|(l, s)| (crate::vn::fold(l), *s)).chain(
            Status::SYNONYMS
                .iter()
                .map(|(w, s)| (crate::vn::fold(w), *s)),
        );
        let mut near = None;
        for (f, s) in spellings {
            if f == folded {
                return StatusReading::NearMiss(s);
            }
            if near.is_none() && folded.len() > 3 && one_edit_apart(&f, &folded) {
                near = Some(s);
            }
        }
        near.map_or(StatusReading::Unknown, StatusReading::NearMiss)
    }

    /// The status a cell states, read literally or through a synonym; `None` otherwise.
    pub fn parse(text: &str) -> Option<Status> {
        match Status::read(text) {
            StatusReading::Exact(s) | StatusReading::Synonym(s) => Some(s),
            _ => None,
        }
    }

    pub const ALL: [Status; 4] = [
        Status::Done,
        Status::InProgress,
        Status::NotStarted,
        Status::NotApplicable,
    ];

    /// The label printed in reports and forms.
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "Hoàn thành",
            Status::InProgress => "Đang thực hiện",
            Status::NotStarted => "Chưa thực hiện",
            Status::NotApplicable => "Không phát sinh",
        }
    }

    /// The four labels, in the order of the forms' drop-down list.
    pub const LABELS: [&'static str; 4] = [
        "Hoàn thành",
        "Đang thực hiện",
        "Chưa thực hiện",
        "Không phát sinh",
    ];
}

/// Whether two ASCII-folded words differ by one inserted, deleted or replaced letter.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    if short.len() == long.len() {
        short[prefix + 1.min(short.len() - prefix)..] == long[prefix + 1.min(long.len() - prefix)..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_literally_through_a_synonym_or_not_at_all() {
        use StatusReading::*;
        assert_eq!(Status::read(" hoàn  THÀNH "), Exact(Status::Done));
        assert_eq!(Status::read("Xong"), Synonym(Status::Done));
        assert_eq!(Status::read("Đang triển khai"), Synonym(Status::InProgress));
        assert_eq!(Status::read("Hoàn thanh"), NearMiss(Status::Done));
        assert_eq!(Status::read("Hoan thanh"), NearMiss(Status::Done));
        assert_eq!(Status::read("Đang thực hiên"), NearMiss(Status::InProgress));
        assert_eq!(Status::read("Hoàn thàn"), NearMiss(Status::Done));
        assert_eq!(Status::read("Chưa hoàn thành"), Ambiguous);
        assert_eq!(Status::read("HT"), Unknown);
        assert_eq!(Status::read("Xong rồi"), Unknown);
        assert_eq!(
            Status::parse("Không phát sinh"),
            Some(Status::NotApplicable)
        );
        assert!(one_edit_apart("hoan thanh", "hoan thnh"));
        assert!(one_edit_apart("abc", "abd"));
        assert!(!one_edit_apart("abc", "cba"));
    }
}

/// One row of the sheet "Nhiệm vụ".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRow {
    /// Normalised code: "PL1.12", "PL2.III.4".
    pub code: String,
    pub status: Status,
    pub result: String,
    pub evidence: String,
    pub difficulty: String,
    pub done_date: Option<NaiveDate>,
    /// "Ngày hoàn thành" as typed, when it was text ("09/05/2024" reads as 9 May, or as 5
    /// September the English way) and where it is.
    #[serde(skip)]
    pub done_text: Option<(String, Loc)>,
    /// The row's "Mã nhiệm vụ" cell.
    pub source: Loc,
    /// Its "Tình trạng" cell: where the status the report prints was read.
    pub status_source: Loc,
}

/// One row of the sheet "Số liệu".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRow {
    pub code: String,
    pub name: String,
    /// Value in hundredths (figures may be decimals such as percentages).
    pub value: i64,
    pub note: String,
    /// The "Giá trị" cell.
    pub source: Loc,
}

/// One lĩnh vực row of the sheet "Hồ sơ TTHC": a count for each column of
/// [`super::contract::COLUMNS`] (Biểu 06 plus the plan's splits).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DossierRow {
    pub field: String,
    /// By [`Col`] position. A split column the sheet does not have holds 0 at the row's
    /// lĩnh vực cell and is not `present`.
    pub counts: [Count; N],
    pub present: [bool; N],
    /// The row's lĩnh vực cell.
    pub source: Loc,
}

impl DossierRow {
    pub fn get(&self, c: Col) -> &Count {
        &self.counts[c as usize]
    }

    pub fn value(&self, c: Col) -> i64 {
        self.counts[c as usize].value
    }

    /// The count, when the sheet has the column.
    pub fn given(&self, c: Col) -> Option<&Count> {
        self.present[c as usize].then(|| self.get(c))
    }
}

/// One factor row of the sheet "SIPAS": answers per level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SipasRow {
    /// 1..=5 (QĐ 2640/QĐ-BNV)
    pub factor: u8,
    pub name: String,
    /// Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Rất không hài lòng.
    pub answers: [Count; 5],
    pub source: Loc,
}

/// One row of the sheet "Tự chấm điểm" (the PAR INDEX self-assessment of a year workbook): an
/// area ("1".."8") or one of its sub-criteria ("1.6", "3.3.4").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    /// "1", "1.6", "3.3.4", as written (spaces and a trailing dot dropped).
    pub code: String,
    pub name: String,
    /// Maximum and self-assessed score in hundredths of a point.
    pub max: i64,
    pub score: i64,
    /// "Tài liệu kiểm chứng".
    pub evidence: String,
    /// "Ghi chú": why points were lost.
    pub note: String,
    /// The "Điểm tự chấm" cell.
    pub source: Loc,
    /// The "Điểm tối đa" cell.
    pub max_source: Loc,
}

impl ScoreRow {
    /// How deep the code is: "1" -> 1, "1.6" -> 2, "3.3.4" -> 3.
    pub fn depth(&self) -> usize {
        self.code.split('.').count()
    }
    /// Whether `other` is listed under this row ("3.3.4" under "3" and under "3.3").
    pub fn is_parent_of(&self, other: &ScoreRow) -> bool {
        other.code.starts_with(&format!("{}.", self.code))
    }
}

/// One workbook of one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Submission {
    /// Path relative to the workspace, e.g. "input/2024-Q2/tu-phap.xlsx".
    pub file: String,
    /// Unit code from cchc.toml.
    pub unit: String,
    /// Where the unit was read (a title cell, or the file name).
    pub unit_source: Loc,
    pub tasks: Vec<TaskRow>,
    pub figures: Vec<FigureRow>,
    pub dossiers: Vec<DossierRow>,
    pub sipas: Vec<SipasRow>,
    /// The sheet "Tự chấm điểm" (year workbooks), in sheet order.
    pub self_assessment: Vec<ScoreRow>,
    /// False when the task sheet is missing or unreadable, or a row of it was an error: which
    /// tasks the unit meant to report is then unknown, so no row is said to be missing.
    #[serde(skip)]
    pub tasks_read_in_full: bool,
    /// Codes of "Số liệu" rows whose value was an error: the indicator was given, wrongly, so
    /// it is not also "missing".
    #[serde(skip)]
    pub figures_in_error: Vec<String>,
    /// Whether the workbook has a "Hồ sơ TTHC" sheet (read, or an error already): the one-stop
    /// unit must have one unless the quarter has the software's dossier list.
    #[serde(skip)]
    pub has_dossier_sheet: bool,
}

/// The workbooks of one quarter.
#[derive(Debug, Clone)]
pub struct Quarter {
    pub period: crate::period::Period,
    /// The folder, relative to the workspace ("input/2024-Q2"); `None` when it does not exist.
    pub folder: Option<String>,
    pub submissions: Vec<Submission>,
    /// False for an earlier quarter of the year loaded only for the tasks' history (a task
    /// done in Q2 is not overdue in Q3).
    pub in_period: bool,
    /// The one-stop software's dossier lists in the folder (shared: a report copies its
    /// quarters, and a list may hold a million dossiers).
    pub lists: Vec<std::sync::Arc<DossierList>>,
    /// Biểu 06 counted from the lists of this quarter and the earlier ones of its year
    /// (`crate::onestop::count`); when there is one, the report takes it.
    pub counted: Option<ListCount>,
}

impl Quarter {
    /// The quarter's Biểu 06 rows: counted from the dossier lists when there are any, else as
    /// the one-stop unit typed them.
    pub fn dossier_rows(&self) -> Vec<&DossierRow> {
        match &self.counted {
            Some(c) => c.rows.iter().collect(),
            None => self.submissions.iter().flat_map(|s| &s.dossiers).collect(),
        }
    }
}

/// Biểu 06 of one quarter as counted from dossier lists.
#[derive(Debug, Clone, PartialEq)]
pub struct ListCount {
    /// One row per list and lĩnh vực, each count citing the rows it is made of.
    pub rows: Vec<DossierRow>,
    /// Dossiers solved late in the quarter, and pending past their due date at its end.
    pub solved_late: Vec<LateDossier>,
    pub pending_late: Vec<LateDossier>,
    /// Each list used, with how many of its dossiers the quarter counts.
    pub files: Vec<(String, usize)>,
}

/// A dossier solved late or overdue: the report's annex lists it, as each needs an apology
/// letter (Quyết định 468/QĐ-TTg; Biểu 06's "Thư xin lỗi").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LateDossier {
    pub code: String,
    pub field: String,
    pub procedure: String,
    pub received: NaiveDate,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    /// Days past the due date: to the day it was solved, or to the period's end.
    pub days_late: i64,
    /// Its "Mã hồ sơ" cell.
    pub source: Loc,
}

/// One dossier of a list exported from the one-stop software, as read. Kept small: a
/// district's list has hundreds of thousands of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Dossier {
    /// "Mã hồ sơ", as written (NFC, spaces folded).
    pub code: Box<str>,
    /// Index into [`DossierList::fields`].
    pub field: u32,
    /// Index into [`DossierList::procedures`]; `u32::MAX` when the row names none.
    pub procedure: u32,
    pub received: NaiveDate,
    pub due: Option<NaiveDate>,
    /// The day it was finished, by `[ho_so_mot_cua] ngay_hoan_thanh`; `None` while pending.
    pub done: Option<NaiveDate>,
    pub state: crate::config::DossierState,
    pub channel: crate::config::Channel,
    /// `None` when the list has no "Mức độ" column.
    pub level: Option<crate::config::ServiceLevel>,
    /// Whether its result is returned by post (BCCI); `None` without that column.
    pub returned_by_post: Option<bool>,
    /// The sheet row (0-based, as [`crate::finding::CellRef`] takes it).
    pub row: u32,
}

/// A dossier list, read: every dossier with the lĩnh vực and procedure names they refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct DossierList {
    /// Path relative to the workspace.
    pub file: String,
    pub sheet: String,
    /// The "Mã hồ sơ" column, where a dossier is cited.
    pub code_column: u32,
    pub fields: Vec<String>,
    pub procedures: Vec<String>,
    pub dossiers: Vec<Dossier>,
    /// Which optional columns the list has: the counts they give are otherwise not made.
    pub has_level: bool,
    pub has_return_channel: bool,
}

impl DossierList {
    pub fn field_name(&self, d: &Dossier) -> &str {
        &self.fields[d.field as usize]
    }
    pub fn procedure_name(&self, d: &Dossier) -> &str {
        self.procedures
            .get(d.procedure as usize)
            .map_or("", String::as_str)
    }
}

/// What a workbook of a period folder turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A unit's report workbook.
    Submission(Submission),
    /// A dossier list of the one-stop software.
    List(DossierList),
}
