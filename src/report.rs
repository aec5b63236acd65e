//! Report data: every figure a report prints, already computed and formatted, each with the
//! cells it came from. Templates see only this (as JSON-like data), so a figure in a report can
//! always be traced to file › sheet › cell. Pure.

use crate::check::short;
use crate::config::{Config, FigureKind};
use crate::finding::{Finding, Loc, Severity};
use crate::period::Period;
use crate::plan::Plan;
use crate::progress::{self, Role};
use crate::sheets::Quarter;
use crate::sheets::contract::{COLUMNS, IDENTITIES, Over};
use crate::sheets::{Col, Count, Status, Submission};
use crate::vn;
use serde::Serialize;

/// A figure as printed, with its value and its sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The value: a count, or hundredths for scores and percentages (see `unit`).
    pub value: i64,
    /// "count", "hundredths" (a score or a percentage times 100).
    pub unit: &'static str,
    /// As printed: "4.080", "18,68%", "95,6".
    pub text: String,
    pub sources: Vec<Loc>,
}

impl Figure {
    fn count(value: i64, sources: Vec<Loc>) -> Figure {
        Figure {
            value,
            unit: "count",
            text: vn::thousands(value),
            sources,
        }
    }
    fn percent(hundredths: i64, sources: Vec<Loc>) -> Figure {
        Figure {
            value: hundredths,
            unit: "hundredths",
            text: vn::percent(hundredths),
            sources,
        }
    }
    fn sum(counts: &[&Count]) -> Figure {
        Figure::count(
            counts.iter().map(|c| c.value).sum(),
            counts.iter().map(|c| c.source.clone()).collect(),
        )
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    pub period: PeriodData,
    pub office: OfficeData,
    pub plan: PlanData,
    pub units: Vec<UnitData>,
    /// Names of units that sent nothing, in a quarter of the period that others sent for:
    /// "Bộ phận ..." in a quarterly report, "Bộ phận ... (Quý III/2024)" in a longer one.
    pub missing: Vec<String>,
    /// Who sent, quarter by quarter (one entry in a quarterly report).
    pub sent_by_quarter: Vec<QuarterSent>,
    /// Quarters of the period with no workbook at all ("Quý IV/2024"): the report was made
    /// without them (`--cho-phep-thieu`) and says so.
    pub missing_quarters: Vec<String>,
    pub groups: Vec<GroupData>,
    pub tasks: Vec<TaskData>,
    pub summary: TaskSummary,
    pub one_stop: Option<OneStopData>,
    pub sipas: Option<SipasData>,
    pub index: Option<IndexData>,
    /// The year's PAR INDEX self-assessment (year reports, from the year workbooks).
    pub self_assessment: Option<SelfAssessmentData>,
    pub figures: Vec<FigureData>,
    pub difficulties: Vec<NoteData>,
    /// Tasks due in the quarters the closing section looks ahead to (`Period::following`),
    /// other than the unfinished ones.
    pub next_tasks: Vec<TaskRef>,
    /// The unfinished tasks (`TaskData::unfinished`), carried into the next period.
    pub carry_forward: Vec<TaskRef>,
    /// The warnings of `check`, as printed ("place: message").
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodData {
    /// "2024-Q2"
    pub code: String,
    /// "quý II năm 2024"
    pub name: String,
    /// "Quý II/2024"
    pub short_name: String,
    pub slug: String,
    pub year: i32,
    pub is_quarter: bool,
    pub is_year: bool,
    /// "15/3/2024", "14/6/2024"
    pub from: String,
    pub to: String,
    pub quarters: Vec<String>,
    /// What the closing section looks ahead to: "quý III năm 2024", "6 tháng cuối năm 2024",
    /// "năm 2025".
    pub next_name: String,
    /// The closing section's heading: "nhiệm vụ trọng tâm quý III năm 2024", "phương hướng,
    /// nhiệm vụ năm 2025".
    pub next_heading: String,
}

/// Who sent a workbook for one quarter of the period.
#[derive(Debug, Clone, Serialize)]
pub struct QuarterSent {
    /// "Quý II/2024"
    pub quarter: String,
    pub sent: usize,
    pub total: usize,
    /// Names of the units that did not send.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfficeData {
    pub short_name: String,
    pub full_name: String,
    pub place: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanData {
    pub number: String,
    /// "ngày 28 tháng 3 năm 2024"
    pub date: String,
    pub date_short: String,
    pub title: String,
    pub year: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitData {
    pub code: String,
    pub name: String,
    /// The unit that merges the reports (`tong_hop` in cchc.toml).
    #[serde(rename = "tong_hop")]
    pub merges: bool,
    /// The one-stop unit (`mot_cua` in cchc.toml).
    #[serde(rename = "mot_cua")]
    pub one_stop: bool,
    pub submitted: bool,
    pub files: Vec<String>,
    /// Tasks led by the unit that the unit itself reported in the period, counted by the
    /// status of its own latest row (never a partner's); the four counts add up to it.
    pub reported: usize,
    pub done: usize,
    pub in_progress: usize,
    pub not_started: usize,
    pub not_applicable: usize,
    /// Tasks the unit leads that are due in the period.
    pub due: usize,
    /// Share of reported tasks done (not counting "Không phát sinh").
    pub completion: Option<Figure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupData {
    pub appendix: u32,
    pub numeral: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskData {
    pub code: String,
    pub appendix: u32,
    pub group: Option<String>,
    pub number: u32,
    pub text: String,
    pub lead: String,
    /// The lead units' names as cchc.toml gives them.
    #[serde(rename = "chu_tri")]
    pub lead_units: Vec<String>,
    pub partner: String,
    pub requirement: Option<String>,
    pub deadline: String,
    pub deadline_class: String,
    /// Expected to be reported in the period.
    pub expected: bool,
    /// A due date before the cut-off that no completion meets (see `progress`).
    pub overdue: bool,
    /// That due date, "30/6/2024".
    pub overdue_since: Option<String>,
    /// The combined status (`progress`'s rule): "Hoàn thành", ..., or "Chưa báo cáo".
    pub status: String,
    /// "done", "in_progress", "not_started", "not_applicable", "no_report".
    pub status_key: String,
    /// Whether the status is the lead units' ("chu_tri"), or, no lead having reported, other
    /// units' ("don_vi_khac"); "" when nobody reported.
    pub status_by: &'static str,
    /// Listed under "Tồn tại, hạn chế": overdue, in progress, not started, or due in the
    /// period with no report.
    pub unfinished: bool,
    /// "2 Phụ lục I", "IV.2 Phụ lục II"
    pub label: String,
    /// Each unit's own latest report: leads first, then partners, then others.
    pub reports: Vec<TaskReport>,
}

/// One unit's latest row for a task.
#[derive(Debug, Clone, Serialize)]
pub struct TaskReport {
    pub unit: String,
    pub unit_code: String,
    /// "chu_tri", "phoi_hop", "khac" (a unit the plan does not name for the task).
    pub role: &'static str,
    /// The quarter the row was reported in, "Quý II/2024".
    pub quarter: String,
    /// Whether that quarter is one of the period's (else an earlier quarter's report, still the
    /// unit's latest word on the task).
    pub in_period: bool,
    /// The unit's own status.
    pub status: String,
    pub status_key: String,
    pub result: String,
    pub evidence: String,
    pub difficulty: String,
    pub done_date: Option<String>,
    /// The row's "Mã nhiệm vụ" cell.
    pub source: Loc,
    /// Its "Tình trạng" cell.
    pub status_source: Loc,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TaskSummary {
    pub total: usize,
    pub done: usize,
    pub in_progress: usize,
    pub not_started: usize,
    pub not_applicable: usize,
    pub no_report: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct OneStopData {
    pub fields: Vec<DossierData>,
    pub total: DossierData,
    pub online_share: Option<Figure>,
    pub online_partial_share: Option<Figure>,
    pub online_full_share: Option<Figure>,
    pub bcci_share: Option<Figure>,
    pub on_time_share: Option<Figure>,
    pub targets: TargetsData,
    /// "cchc làm tròn nửa lên" — how percentages are rounded, for the report to state.
    pub rounding: String,
    /// When Biểu 06 was counted from the one-stop software's dossier lists, which: "danh sách
    /// hồ sơ input/2024-Q2/mot-cua-so-theo-doi.xlsx (1.023 hồ sơ)".
    pub counted_from: Option<String>,
    /// From the lists: the dossiers solved late in the period and those overdue at its end,
    /// each of which needs an apology letter.
    pub late: Vec<LateData>,
}

/// A late dossier as the report's annex lists it.
#[derive(Debug, Clone, Serialize)]
pub struct LateData {
    pub code: String,
    pub field: String,
    pub procedure: String,
    pub received: String,
    pub due: String,
    /// Empty while pending.
    pub done: String,
    pub days_late: i64,
    /// "Đã giải quyết quá hạn" or "Đang giải quyết, quá hạn".
    pub state: String,
    pub source: Loc,
}

impl LateData {
    fn new(d: &crate::sheets::LateDossier) -> LateData {
        LateData {
            code: d.code.clone(),
            field: d.field.clone(),
            procedure: d.procedure.clone(),
            received: vn::date_short(d.received),
            due: vn::date_short(d.due),
            done: d.done.map(vn::date_short).unwrap_or_default(),
            days_late: d.days_late,
            state: if d.done.is_some() {
                "Đã giải quyết quá hạn".into()
            } else {
                "Đang giải quyết, quá hạn".into()
            },
            source: d.source.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetsData {
    pub online_partial: String,
    pub online_full: String,
    pub bcci: String,
    pub on_time: String,
    pub online_partial_met: bool,
    pub online_full_met: bool,
    pub bcci_met: bool,
    pub on_time_met: bool,
}

/// One Biểu 06 row: every column of the sheet's contract (`crate::sheets::contract`), for the
/// period as each column's `Over` says. Templates and `cchc data` see each column by its key
/// (`received`, `solved_late`, …, `apologies`) and (3) to (13) again as `columns`, for table
/// loops.
#[derive(Debug, Clone)]
pub struct DossierData {
    pub field: String,
    /// By [`Col`] position.
    pub figures: Vec<Figure>,
}

impl DossierData {
    pub fn get(&self, c: Col) -> &Figure {
        &self.figures[c as usize]
    }

    /// (3) to (13).
    pub fn columns(&self) -> &[Figure] {
        &self.figures[..Col::OFFICIAL.len()]
    }
}

impl Serialize for DossierData {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(COLUMNS.len() + 2))?;
        m.serialize_entry("field", &self.field)?;
        for (c, f) in COLUMNS.iter().zip(&self.figures) {
            m.serialize_entry(c.key, f)?;
        }
        m.serialize_entry("columns", self.columns())?;
        m.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SipasData {
    pub factors: Vec<SipasFactor>,
    /// Mean of the factors' shares.
    pub overall: Figure,
    pub answers: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct SipasFactor {
    pub number: u8,
    pub name: String,
    /// Rất hài lòng .. Rất không hài lòng
    pub answers: Vec<Figure>,
    pub total: Figure,
    /// (Rất hài lòng + Hài lòng) / all answers.
    pub satisfied: Figure,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexData {
    pub rows: Vec<IndexRowData>,
    /// Recomputed from the rows.
    pub total: Figure,
    pub max: Figure,
    pub stated_total: Option<String>,
    pub total_matches: bool,
    pub change_header: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexRowData {
    pub number: String,
    pub name: String,
    pub score: Figure,
    pub max: Figure,
    /// "18/20"
    pub text: String,
    pub change: String,
}

/// The PAR INDEX self-assessment of the year, as the plan's section II.1 prints the index.
#[derive(Debug, Clone, Serialize)]
pub struct SelfAssessmentData {
    /// The workbook it was read from.
    pub file: String,
    pub year: i32,
    /// The areas ("1".."8"), in the sheet's order.
    pub rows: Vec<SelfAreaData>,
    /// Recomputed from the areas (never a stated total).
    pub total: Figure,
    pub max: Figure,
    /// "96,5/100"
    pub text: String,
    /// "Tăng/giảm so với năm 2023"
    pub change_header: String,
    /// This year's total minus the plan's table recomputed, signed ("+1,44"); `None` without a
    /// table in the plan.
    pub change: Option<String>,
    pub change_value: Option<i64>,
    /// The previous year's total, recomputed from the plan's table ("95,06").
    pub previous_total: Option<String>,
    /// Sub-criteria (rows with none under them) that lost points, in order.
    pub lost: Vec<LostPointsData>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SelfAreaData {
    pub number: String,
    pub name: String,
    pub score: Figure,
    pub max: Figure,
    /// "18,5/20"
    pub text: String,
    /// This year's score minus last year's (the plan's index row at the same position),
    /// signed: "+0,5", "-0,25", "0".
    pub change: Option<String>,
    pub change_value: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LostPointsData {
    pub code: String,
    pub name: String,
    pub score: Figure,
    pub max: Figure,
    /// max - score, "0,5"
    pub lost: Figure,
    /// "Ghi chú" of the row: why.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureData {
    pub unit: String,
    pub code: String,
    pub name: String,
    /// The period's value: the sum of its quarters' (cộng dồn) or the latest quarter's (cuối
    /// kỳ), as `kind` says; its sources are the cells used.
    pub value: Figure,
    /// The latest note given.
    pub note: String,
    /// `chi_so.loai` in `input/cchc.toml` ("cong_don" by default).
    pub kind: crate::config::FigureKind,
    /// "cộng dồn các quý", "số cuối kỳ"
    pub kind_label: &'static str,
    /// The quarters whose values were used.
    pub quarters: Vec<String>,
    /// What the reader of a longer report must know about the value: "chưa có số liệu Quý
    /// III/2024" (a sum missing a quarter), "số đến hết Quý III/2024" (a level not given for the
    /// last quarter); "" otherwise.
    pub basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NoteData {
    pub unit: String,
    /// The quarter it was written in, "Quý IV/2024".
    pub quarter: String,
    pub code: String,
    pub task: String,
    pub text: String,
    pub source: Loc,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskRef {
    pub code: String,
    pub appendix: u32,
    /// "2", "IV.2": the task's number within its appendix.
    pub number: String,
    pub text: String,
    pub lead: String,
    pub deadline: String,
}

/// Builds the report data of `period` from its quarters (in order: the year's quarters read
/// so far, those before the period giving the tasks' history) and, for a year, the year
/// workbooks (`year`). `findings` are the check's; their warnings are carried for the report's
/// annex.
pub fn assemble(
    plan: &Plan,
    quarters: &[Quarter],
    period: &Period,
    year: &[Submission],
    config: &Config,
    findings: &[Finding],
) -> ReportData {
    let (from, to) = period.window(&config.ky_bao_cao);
    let unit_name = |c: &str| {
        config
            .unit(c)
            .map(|u| u.ten.clone())
            .unwrap_or_else(|| c.to_string())
    };
    let history = quarters;
    let quarters: Vec<Quarter> = quarters.iter().filter(|q| q.in_period).cloned().collect();
    let quarters = quarters.as_slice();
    let all: Vec<(&Quarter, &Submission)> = quarters
        .iter()
        .flat_map(|q| q.submissions.iter().map(move |s| (q, s)))
        .collect();

    // Who sent, quarter by quarter; a quarter nobody sent for is a missing quarter, not six
    // missing units.
    let mut missing = Vec::new();
    let mut sent = Vec::new();
    let mut missing_quarters = Vec::new();
    for q in quarters {
        if q.submissions.is_empty() {
            missing_quarters.push(q.period.short_name());
            continue;
        }
        let absent: Vec<String> = config
            .don_vi
            .iter()
            .filter(|u| !q.submissions.iter().any(|s| s.unit == u.ma))
            .map(|u| u.ten.clone())
            .collect();
        for name in &absent {
            missing.push(if period.is_quarter() {
                name.clone()
            } else {
                format!("{name} ({})", q.period.short_name())
            });
        }
        sent.push(QuarterSent {
            quarter: q.period.short_name(),
            sent: config.don_vi.len() - absent.len(),
            total: config.don_vi.len(),
            missing: absent,
        });
    }

    // Tasks: each once, at its state at the period's end (`progress`'s rules), with each
    // unit's own latest report.
    let mut tasks = Vec::new();
    let mut summary = TaskSummary::default();
    for t in &plan.tasks {
        let p = progress::progress(t, history, &config.ky_bao_cao);
        // Shown: what units said in the period, and the rows that decide the status even if
        // they are older (a lead's "Hoàn thành" of Q2 against a partner's row of Q3).
        let deciding: Vec<&str> = p.deciding().map(|r| r.unit).collect();
        let reports: Vec<TaskReport> = p
            .latest
            .iter()
            .filter(|r| r.in_period || deciding.contains(&r.unit))
            .map(|r| TaskReport {
                unit: unit_name(r.unit),
                unit_code: r.unit.to_string(),
                role: match r.role {
                    Role::Lead => "chu_tri",
                    Role::Partner => "phoi_hop",
                    Role::Other => "khac",
                },
                quarter: r.quarter.short_name(),
                in_period: r.in_period,
                status: r.row.status.label().to_string(),
                status_key: status_key(r.row.status).to_string(),
                result: r.row.result.clone(),
                evidence: r.row.evidence.clone(),
                difficulty: r.row.difficulty.clone(),
                done_date: r.row.done_date.map(vn::date_short),
                source: r.row.source.clone(),
                status_source: r.row.status_source.clone(),
            })
            .collect();
        // A quarter nobody sent for (--cho-phep-thieu) expects nothing: its tasks are not
        // "due with no report", they are unknown, and the report says the quarter is missing.
        let expected = quarters
            .iter()
            .filter(|q| !q.submissions.is_empty() || missing_quarters.is_empty())
            .any(|q| t.deadline.expected_in(&q.period));
        let overdue = p.overdue_since.is_some();
        let (status, key) = match p.status {
            Some(s) => (s.label().to_string(), status_key(s)),
            None => ("Chưa báo cáo".to_string(), "no_report"),
        };
        summary.total += 1;
        match p.status {
            Some(Status::Done) => summary.done += 1,
            Some(Status::InProgress) => summary.in_progress += 1,
            Some(Status::NotStarted) => summary.not_started += 1,
            Some(Status::NotApplicable) => summary.not_applicable += 1,
            None => summary.no_report += 1,
        }
        summary.overdue += overdue as usize;
        let unfinished = overdue
            || matches!(p.status, Some(Status::InProgress | Status::NotStarted))
            || (p.status.is_none() && expected);
        tasks.push(TaskData {
            code: t.code.clone(),
            appendix: t.appendix,
            group: t.group.clone(),
            number: t.number,
            text: t.text.clone(),
            lead: t.lead_text.trim_start_matches(['-', ' ']).to_string(),
            lead_units: t
                .leads
                .iter()
                .filter_map(|c| config.unit(c))
                .map(|u| u.ten.clone())
                .collect(),
            partner: t.partner_text.trim_start_matches(['-', ' ']).to_string(),
            requirement: t.requirement.clone(),
            deadline: t.deadline_text.clone(),
            deadline_class: t.deadline.label().to_string(),
            expected,
            overdue,
            overdue_since: p.overdue_since.map(vn::date_short),
            status,
            status_key: key.to_string(),
            status_by: match (p.status, p.by_leads) {
                (None, _) => "",
                (Some(_), true) => "chu_tri",
                (Some(_), false) => "don_vi_khac",
            },
            unfinished,
            label: task_label(t),
            reports,
        });
    }

    let units = config
        .don_vi
        .iter()
        .map(|u| {
            let subs: Vec<&Submission> = all
                .iter()
                .filter(|(_, s)| s.unit == u.ma)
                .map(|(_, s)| *s)
                .collect();
            // The unit's own word on the tasks it leads: its rows of the period, which every
            // task's reports hold.
            let mine: Vec<&TaskReport> = tasks
                .iter()
                .flat_map(|t| &t.reports)
                .filter(|r| r.in_period && r.role == "chu_tri" && r.unit_code == u.ma)
                .collect();
            let n = |k: Status| {
                mine.iter()
                    .filter(|r| r.status_key == status_key(k))
                    .count()
            };
            let counted = mine.len() - n(Status::NotApplicable);
            // The share cites the status cells it counts: the unit's rows other than "Không
            // phát sinh".
            let counted_cells: Vec<Loc> = mine
                .iter()
                .filter(|r| r.status_key != status_key(Status::NotApplicable))
                .map(|r| r.status_source.clone())
                .collect();
            UnitData {
                code: u.ma.clone(),
                name: u.ten.clone(),
                merges: u.tong_hop,
                one_stop: u.mot_cua,
                submitted: !subs.is_empty(),
                files: subs.iter().map(|s| s.file.clone()).collect(),
                reported: mine.len(),
                done: n(Status::Done),
                in_progress: n(Status::InProgress),
                not_started: n(Status::NotStarted),
                not_applicable: n(Status::NotApplicable),
                due: plan
                    .tasks
                    .iter()
                    .filter(|t| t.leads.contains(&u.ma))
                    .filter(|t| quarters.iter().any(|q| t.deadline.expected_in(&q.period)))
                    .count(),
                completion: vn::percent_hundredths(n(Status::Done) as i64, counted as i64)
                    .map(|p| Figure::percent(p, counted_cells)),
            }
        })
        .collect();

    let figures = figures(&all, quarters, period, config, &unit_name);
    let difficulties = difficulties(&all, plan, &unit_name);

    let following = period.following();
    let task_ref = |t: &crate::plan::Task| TaskRef {
        code: t.code.clone(),
        appendix: t.appendix,
        number: task_number(t),
        text: t.text.lines().next().unwrap_or("").to_string(),
        lead: t.lead_text.trim_start_matches(['-', ' ']).to_string(),
        deadline: t.deadline_text.clone(),
    };
    // A set, not a scan of every task for every task (quadratic on a 20 000-task plan).
    let unfinished_codes: std::collections::BTreeSet<&str> = tasks
        .iter()
        .filter(|d| d.unfinished)
        .map(|d| d.code.as_str())
        .collect();
    let unfinished = |code: &str| unfinished_codes.contains(code);
    let next_tasks = plan
        .tasks
        .iter()
        .filter(|t| following.iter().any(|q| t.deadline.expected_in(q)))
        .filter(|t| !matches!(t.deadline, crate::period::Deadline::Ongoing))
        .filter(|t| !unfinished(&t.code))
        .map(task_ref)
        .collect();
    let carry_forward = plan
        .tasks
        .iter()
        .filter(|t| unfinished(&t.code))
        .map(task_ref)
        .collect();

    ReportData {
        period: PeriodData {
            code: period.to_string(),
            name: period.name(),
            short_name: period.short_name(),
            slug: period.slug(),
            year: period.year,
            is_quarter: period.is_quarter(),
            is_year: period.kind == crate::period::PeriodKind::Year,
            from: vn::date_short(from),
            to: vn::date_short(to),
            quarters: quarters.iter().map(|q| q.period.to_string()).collect(),
            next_name: period.next_name(),
            next_heading: period.next_heading(),
        },
        office: OfficeData {
            short_name: config.co_quan.ten_ngan.clone(),
            full_name: config.co_quan.ten_day_du.clone(),
            place: config.co_quan.dia_danh.clone(),
        },
        plan: PlanData {
            number: plan.meta.so.clone(),
            date: vn::date_long(plan.meta.ngay),
            date_short: vn::date_short(plan.meta.ngay),
            title: plan.meta.trich_yeu.clone(),
            year: plan.meta.nam,
        },
        units,
        missing,
        sent_by_quarter: sent,
        missing_quarters,
        groups: plan
            .groups
            .iter()
            .map(|g| GroupData {
                appendix: g.appendix,
                numeral: g.numeral.clone(),
                title: g.title.clone(),
            })
            .collect(),
        tasks,
        summary,
        one_stop: one_stop(quarters, config),
        sipas: sipas(quarters),
        index: index(plan),
        self_assessment: if period.kind == crate::period::PeriodKind::Year {
            self_assessment(plan, year, period.year, config)
        } else {
            None
        },
        figures,
        difficulties,
        next_tasks,
        carry_forward,
        warnings: findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .map(|f| f.to_string())
            .collect(),
    }
}

/// "2", "IV.2": a task's number within its appendix.
fn task_number(t: &crate::plan::Task) -> String {
    match &t.group {
        Some(g) => format!("{g}.{}", t.number),
        None => t.number.to_string(),
    }
}

/// "2 Phụ lục I", "IV.2 Phụ lục II": how the report refers to a task.
fn task_label(t: &crate::plan::Task) -> String {
    format!("{} Phụ lục {}", task_number(t), vn::roman(t.appendix))
}

/// Each unit's indicators over the period, by their kind: a "cộng dồn" figure is the sum of
/// the quarters' values, a "cuối kỳ" figure the latest quarter's. Codes the unit's `chi_so`
/// does not list are summed (and `check` warns about them).
fn figures(
    all: &[(&Quarter, &Submission)],
    quarters: &[Quarter],
    period: &Period,
    config: &Config,
    unit_name: &dyn Fn(&str) -> String,
) -> Vec<FigureData> {
    type Given<'a> = Vec<(Period, &'a crate::sheets::FigureRow)>;
    // (unit, code) in the order first given, with every quarter's row.
    let mut keys: Vec<(&str, String, Given)> = Vec::new();
    for (q, s) in all {
        for f in &s.figures {
            let code = f.code.to_uppercase();
            match keys.iter_mut().find(|(u, c, _)| *u == s.unit && *c == code) {
                Some((_, _, rows)) => rows.push((q.period, f)),
                None => keys.push((s.unit.as_str(), code, vec![(q.period, f)])),
            }
        }
    }
    let last = Period::quarter(period.year, period.last_quarter());
    keys.into_iter()
        .map(|(unit, code, rows)| {
            let kind = config
                .unit(unit)
                .and_then(|u| u.chi_so.iter().find(|i| i.ma.eq_ignore_ascii_case(&code)))
                .map(|i| i.loai)
                .unwrap_or_default();
            let used: Vec<&(Period, &crate::sheets::FigureRow)> = match kind {
                FigureKind::CongDon => rows.iter().collect(),
                FigureKind::CuoiKy => rows.last().into_iter().collect(),
            };
            let value: i64 = used.iter().map(|(_, f)| f.value).sum();
            let given: Vec<Period> = rows.iter().map(|(p, _)| *p).collect();
            let basis = if period.is_quarter() {
                String::new()
            } else {
                match kind {
                    FigureKind::CongDon => {
                        let lacking: Vec<String> = quarters
                            .iter()
                            .filter(|q| !q.submissions.is_empty() && !given.contains(&q.period))
                            .map(|q| q.period.short_name())
                            .collect();
                        if lacking.is_empty() {
                            String::new()
                        } else {
                            format!("chưa có số liệu {}", lacking.join(", "))
                        }
                    }
                    FigureKind::CuoiKy => match given.last() {
                        Some(p) if *p != last => format!("số đến hết {}", p.short_name()),
                        _ => String::new(),
                    },
                }
            };
            let latest = |f: fn(&crate::sheets::FigureRow) -> &String| {
                rows.iter()
                    .rev()
                    .map(|(_, r)| f(r))
                    .find(|t| !t.is_empty())
                    .cloned()
                    .unwrap_or_default()
            };
            FigureData {
                unit: unit_name(unit),
                code,
                name: latest(|r| &r.name),
                value: Figure {
                    value,
                    unit: "hundredths",
                    text: vn::hundredths(value),
                    sources: used.iter().map(|(_, f)| f.source.clone()).collect(),
                },
                note: latest(|r| &r.note),
                kind,
                kind_label: kind.label(),
                quarters: used.iter().map(|(p, _)| p.short_name()).collect(),
                basis,
            }
        })
        .collect()
}

/// The difficulties still standing at the period's end: for each unit and task, the unit's
/// latest row of the period, if it names one (a difficulty of Q2 that the unit's Q4 row no
/// longer mentions is not repeated), in the order the units wrote them.
fn difficulties(
    all: &[(&Quarter, &Submission)],
    plan: &Plan,
    unit_name: &dyn Fn(&str) -> String,
) -> Vec<NoteData> {
    let mut latest: Vec<(&Quarter, &Submission, &crate::sheets::TaskRow)> = Vec::new();
    for (q, s) in all {
        for r in &s.tasks {
            latest.retain(|(_, ls, lr)| !(ls.unit == s.unit && lr.code == r.code));
            latest.push((q, s, r));
        }
    }
    latest
        .into_iter()
        .filter(|(_, _, r)| !r.difficulty.is_empty())
        .map(|(q, s, r)| NoteData {
            unit: unit_name(&s.unit),
            quarter: q.period.short_name(),
            code: r.code.clone(),
            task: plan
                .tasks
                .iter()
                .find(|t| t.code == r.code)
                .map(|t| short(&t.text))
                .unwrap_or_default(),
            text: r.difficulty.clone(),
            source: r.source.clone(),
        })
        .collect()
}

fn status_key(s: Status) -> &'static str {
    match s {
        Status::Done => "done",
        Status::InProgress => "in_progress",
        Status::NotStarted => "not_started",
        Status::NotApplicable => "not_applicable",
    }
}

/// Biểu 06 over the period. Flows ((4), (5), (7)-(10), the splits) are summed over the
/// quarters; the stock at the start ((6)) is the first quarter's and the stock at the end
/// ((11)-(13)) the last quarter's, so the identities still hold for 6 months or a year.
fn one_stop(quarters: &[Quarter], config: &Config) -> Option<OneStopData> {
    let qs: Vec<&Quarter> = quarters
        .iter()
        .filter(|q| q.in_period && !q.dossier_rows().is_empty())
        .collect();
    if qs.is_empty() {
        return None;
    }
    let first = qs.first().map(|q| q.period);
    let last = qs.last().map(|q| q.period);
    let mut names: Vec<String> = Vec::new();
    for q in &qs {
        for d in q.dossier_rows() {
            if !names.iter().any(|n| vn::fold(n) == vn::fold(&d.field)) {
                names.push(d.field.clone());
            }
        }
    }
    let rows_of =
        |name: Option<&str>, pick: &dyn Fn(&Quarter) -> bool| -> Vec<&crate::sheets::DossierRow> {
            qs.iter()
                .filter(|q| pick(q))
                .flat_map(|q| q.dossier_rows())
                .filter(|d| name.is_none_or(|n| vn::fold(n) == vn::fold(&d.field)))
                .collect()
        };
    let build = |label: String, name: Option<&str>| -> DossierData {
        let all = rows_of(name, &|_| true);
        let firsts = rows_of(name, &|q| Some(q.period) == first);
        let lasts = rows_of(name, &|q| Some(q.period) == last);
        let sum = |rows: &[&crate::sheets::DossierRow], c: Col| {
            Figure::sum(&rows.iter().filter_map(|d| d.given(c)).collect::<Vec<_>>())
        };
        let mut figures: Vec<Figure> = Col::ALL
            .iter()
            .map(|&c| match c.column().over {
                Over::Sum | Over::Parts => sum(&all, c),
                Over::First => sum(&firsts, c),
                Over::Last => sum(&lasts, c),
            })
            .collect();
        // A total over the period is its parts' (so (3) does not count twice the dossiers
        // carried between the period's own quarters). In one quarter it equals the total the
        // clerk typed (else `check` stops the report), and cites that cell first.
        for rule in IDENTITIES.iter().filter(|r| r.strict) {
            let i = rule.total as usize;
            if COLUMNS[i].over != Over::Parts {
                continue;
            }
            let value = rule.parts.iter().map(|p| figures[*p as usize].value).sum();
            let mut sources = if qs.len() == 1 {
                figures[i].sources.clone()
            } else {
                Vec::new()
            };
            for p in rule.parts {
                sources.extend(figures[*p as usize].sources.iter().cloned());
            }
            figures[i] = Figure::count(value, sources);
        }
        DossierData {
            field: label,
            figures,
        }
    };
    let fields: Vec<DossierData> = names.iter().map(|n| build(n.clone(), Some(n))).collect();
    // Late in the period: solved late in any of its quarters, or still overdue at its end.
    let mut files: Vec<(String, usize)> = Vec::new();
    let mut late: Vec<LateData> = Vec::new();
    for q in &qs {
        if let Some(c) = &q.counted {
            late.extend(c.solved_late.iter().map(LateData::new));
            for (f, n) in &c.files {
                match files.iter_mut().find(|(g, _)| g == f) {
                    Some((_, m)) => *m = (*m).max(*n),
                    None => files.push((f.clone(), *n)),
                }
            }
        }
    }
    if let Some(c) = qs.last().and_then(|q| q.counted.as_ref()) {
        late.extend(c.pending_late.iter().map(LateData::new));
    }
    let counted_from = (!files.is_empty()).then(|| {
        let each: Vec<String> = files.iter().map(|(f, _)| f.clone()).collect();
        format!(
            "danh sách hồ sơ xuất từ phần mềm một cửa ({})",
            each.join("; ")
        )
    });
    let total = build("Tổng cộng".to_string(), None);
    let share = |num: &Figure, den: i64, den_sources: &[&Figure]| {
        vn::percent_hundredths(num.value, den).map(|p| {
            let mut src = num.sources.clone();
            for d in den_sources {
                src.extend(d.sources.iter().cloned());
            }
            src.sort();
            src.dedup();
            Figure::percent(p, src)
        })
    };
    let (online, direct) = (
        total.get(Col::ReceivedOnline),
        total.get(Col::ReceivedDirect),
    );
    // Shares of the dossiers received in the period (4) + (5), not of (3), which also counts
    // those carried over.
    let received_now = online.value + direct.value;
    let online_share = share(online, received_now, &[direct]);
    let partial = share(
        total.get(Col::OnlinePartial),
        received_now,
        &[online, direct],
    );
    let full = share(total.get(Col::OnlineFull), received_now, &[online, direct]);
    let bcci = share(
        total.get(Col::BcciReceived),
        received_now,
        &[online, direct],
    );
    let (early, on_time) = (total.get(Col::SolvedEarly), total.get(Col::SolvedOnTime));
    let on_time_num = Figure::count(
        early.value + on_time.value,
        [early.sources.clone(), on_time.sources.clone()].concat(),
    );
    let solved = total.get(Col::Solved);
    let on_time = share(&on_time_num, solved.value, &[solved]);
    let t = &config.chi_tieu;
    let pct = |v: f64| (v * 100.0).round() as i64;
    let met = |f: &Option<Figure>, target: f64| f.as_ref().is_some_and(|f| f.value >= pct(target));
    let targets = TargetsData {
        online_partial: format!("{}%", vn::hundredths(pct(t.truc_tuyen_mot_phan))),
        online_full: format!("{}%", vn::hundredths(pct(t.truc_tuyen_toan_trinh))),
        bcci: format!(
            "{}-{}%",
            vn::hundredths(pct(t.bcci_toi_thieu)),
            vn::hundredths(pct(t.bcci_toi_da))
        ),
        on_time: format!("{}%", vn::hundredths(pct(t.dung_han))),
        online_partial_met: met(&partial, t.truc_tuyen_mot_phan),
        online_full_met: met(&full, t.truc_tuyen_toan_trinh),
        bcci_met: met(&bcci, t.bcci_toi_thieu),
        on_time_met: met(&on_time, t.dung_han),
    };
    Some(OneStopData {
        fields,
        total,
        online_share,
        online_partial_share: partial,
        online_full_share: full,
        bcci_share: bcci,
        on_time_share: on_time,
        targets,
        rounding: "tỷ lệ làm tròn đến 2 chữ số thập phân, nửa lên".into(),
        counted_from,
        late,
    })
}

fn sipas(quarters: &[Quarter]) -> Option<SipasData> {
    let rows: Vec<&crate::sheets::SipasRow> = quarters
        .iter()
        .flat_map(|q| q.submissions.iter().flat_map(|s| &s.sipas))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut factors: Vec<SipasFactor> = Vec::new();
    for n in 1..=5u8 {
        let rs: Vec<_> = rows.iter().filter(|r| r.factor == n).collect();
        // A factor nobody rated has no rate (not 0 %), and stays out of the mean.
        if rs.iter().all(|r| r.answers.iter().all(|a| a.value == 0)) {
            continue;
        }
        let answers: Vec<Figure> = (0..5)
            .map(|i| Figure::sum(&rs.iter().map(|r| &r.answers[i]).collect::<Vec<_>>()))
            .collect();
        let all: Vec<&Count> = rs.iter().flat_map(|r| r.answers.iter()).collect();
        let total = Figure::sum(&all);
        let good = answers[0].value + answers[1].value;
        let mut src = answers[0].sources.clone();
        src.extend(answers[1].sources.iter().cloned());
        let satisfied = vn::percent_hundredths(good, total.value)
            .map(|p| Figure::percent(p, total.sources.clone()));
        factors.push(SipasFactor {
            number: n,
            name: rs[0].name.clone(),
            answers,
            satisfied: satisfied.unwrap_or_else(|| Figure::percent(0, src)),
            total,
        });
    }
    if factors.is_empty() {
        return None;
    }
    // Mean of the factors, each a percentage in hundredths, rounded half up.
    let sum: i64 = factors.iter().map(|f| f.satisfied.value).sum();
    let k = factors.len() as i64;
    let overall = (2 * sum + k) / (2 * k.max(1));
    let sources: Vec<Loc> = factors
        .iter()
        .flat_map(|f| f.satisfied.sources.clone())
        .collect();
    let answers = Figure::count(factors.iter().map(|f| f.total.value).sum(), sources.clone());
    Some(SipasData {
        overall: Figure::percent(overall, sources),
        factors,
        answers,
    })
}

fn index(plan: &Plan) -> Option<IndexData> {
    let ix = plan.index.as_ref()?;
    let src = |line| {
        vec![Loc::Line {
            file: plan.file.clone(),
            line,
        }]
    };
    let rows: Vec<IndexRowData> = ix
        .rows
        .iter()
        .map(|r| IndexRowData {
            number: r.number.clone(),
            name: r.name.clone(),
            score: Figure {
                value: r.score,
                unit: "hundredths",
                text: vn::hundredths(r.score),
                sources: src(r.line),
            },
            max: Figure {
                value: r.max,
                unit: "hundredths",
                text: vn::hundredths(r.max),
                sources: src(r.line),
            },
            text: format!("{}/{}", vn::hundredths(r.score), vn::hundredths(r.max)),
            change: r
                .change
                .map(vn::signed_hundredths)
                .unwrap_or_else(|| r.change_text.clone()),
        })
        .collect();
    let total: i64 = ix.rows.iter().map(|r| r.score).sum();
    let max: i64 = ix.rows.iter().map(|r| r.max).sum();
    let all_src: Vec<Loc> = ix
        .rows
        .iter()
        .map(|r| Loc::Line {
            file: plan.file.clone(),
            line: r.line,
        })
        .collect();
    Some(IndexData {
        rows,
        total: Figure {
            value: total,
            unit: "hundredths",
            text: vn::hundredths(total),
            sources: all_src.clone(),
        },
        max: Figure {
            value: max,
            unit: "hundredths",
            text: vn::hundredths(max),
            sources: all_src,
        },
        stated_total: ix.stated_total.as_ref().map(|t| t.text.clone()),
        total_matches: ix.stated_total.as_ref().is_none_or(|t| t.score == total),
        change_header: ix.change_header.clone(),
    })
}

fn points(value: i64, sources: Vec<Loc>) -> Figure {
    Figure {
        value,
        unit: "hundredths",
        text: vn::hundredths(value),
        sources,
    }
}

/// The PAR INDEX self-assessment: the summarising unit's (Văn phòng) sheet "Tự chấm điểm" if
/// it sent one, else the first year workbook that has one.
pub fn self_assessment(
    plan: &Plan,
    year: &[Submission],
    year_number: i32,
    config: &Config,
) -> Option<SelfAssessmentData> {
    let summarising = |s: &&Submission| config.unit(&s.unit).is_some_and(|u| u.tong_hop);
    let has = |s: &&Submission| !s.self_assessment.is_empty();
    let sub = year
        .iter()
        .filter(has)
        .find(summarising)
        .or_else(|| year.iter().find(has))?;
    let rows = &sub.self_assessment;
    let first = |i: usize, code: &str| rows.iter().position(|r| r.code == code) == Some(i);
    let areas: Vec<&crate::sheets::ScoreRow> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| r.depth() == 1 && first(*i, &r.code))
        .map(|(_, r)| r)
        .collect();
    let previous = plan.index.as_ref();
    let prev_row = |pos: usize, number: &str| {
        let ix = previous?;
        ix.rows
            .iter()
            .find(|p| p.number.trim() == number)
            .or_else(|| ix.rows.get(pos))
    };
    let area_rows: Vec<SelfAreaData> = areas
        .iter()
        .enumerate()
        .map(|(pos, r)| {
            let change = prev_row(pos, &r.code).map(|p| r.score - p.score);
            SelfAreaData {
                number: r.code.clone(),
                name: r.name.clone(),
                score: points(r.score, vec![r.source.clone()]),
                max: points(r.max, vec![r.max_source.clone()]),
                text: format!("{}/{}", vn::hundredths(r.score), vn::hundredths(r.max)),
                change: change.map(vn::signed_hundredths),
                change_value: change,
            }
        })
        .collect();
    let total = areas.iter().map(|r| r.score).sum::<i64>();
    let max = areas.iter().map(|r| r.max).sum::<i64>();
    let previous_total = previous
        .filter(|ix| !ix.rows.is_empty())
        .map(|ix| ix.rows.iter().map(|r| r.score).sum::<i64>());
    let change = previous_total.map(|p| total - p);
    let lost = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| first(*i, &r.code))
        .map(|(_, r)| r)
        .filter(|r| !rows.iter().any(|o| r.is_parent_of(o)) && r.max > r.score)
        .map(|r| LostPointsData {
            code: r.code.clone(),
            name: r.name.clone(),
            score: points(r.score, vec![r.source.clone()]),
            max: points(r.max, vec![r.max_source.clone()]),
            lost: points(
                r.max - r.score,
                vec![r.source.clone(), r.max_source.clone()],
            ),
            reason: r.note.clone(),
        })
        .collect();
    Some(SelfAssessmentData {
        file: sub.file.clone(),
        year: year_number,
        total: points(total, areas.iter().map(|r| r.source.clone()).collect()),
        max: points(max, areas.iter().map(|r| r.max_source.clone()).collect()),
        text: format!("{}/{}", vn::hundredths(total), vn::hundredths(max)),
        change_header: format!("Tăng/giảm so với năm {}", year_number - 1),
        change: change.map(vn::signed_hundredths),
        change_value: change,
        previous_total: previous_total.map(vn::hundredths),
        rows: area_rows,
        lost,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::CellRef;
    use crate::sheets::{Count, DossierRow, Submission};

    /// A Biểu 06 row of one lĩnh vực: `official` are (3)…(13); each count cited at its column
    /// of row `row` of the quarter's workbook.
    fn row(quarter: u8, field: &str, official: [i64; 11], row: u32) -> DossierRow {
        let at = |c: usize| Loc::Cell {
            file: format!("input/2024-Q{quarter}/mot-cua.xlsx"),
            sheet: "Hồ sơ TTHC".into(),
            cell: CellRef::new(row, 2 + c as u32),
        };
        let mut present = [false; crate::sheets::contract::N];
        present[..11].fill(true);
        DossierRow {
            field: field.into(),
            counts: std::array::from_fn(|i| Count {
                value: official.get(i).copied().unwrap_or(0),
                source: at(i),
            }),
            present,
            source: at(0),
        }
    }

    fn quarter(q: u8, dossiers: Vec<DossierRow>) -> Quarter {
        Quarter {
            period: Period::quarter(2024, q),
            folder: Some(format!("input/2024-Q{q}")),
            submissions: vec![Submission {
                file: format!("input/2024-Q{q}/mot-cua.xlsx"),
                unit: "MC".into(),
                unit_source: Loc::Nowhere,
                tasks: Vec::new(),
                figures: Vec::new(),
                dossiers,
                sipas: Vec::new(),
                self_assessment: Vec::new(),
                tasks_read_in_full: true,
                figures_in_error: Vec::new(),
                has_dossier_sheet: true,
            }],
            in_period: true,
            lists: Vec::new(),
            counted: None,
        }
    }

    /// Six months from two quarters: flows add up, the carried-over level is the first
    /// quarter's, the pending level the last's, (3) is its parts over the half year (not the
    /// two quarters' (3), which would count the 30 dossiers carried from Q1 into Q2 twice),
    /// and the shares are of the half year's figures.
    #[test]
    fn a_half_year_of_bieu_06_takes_each_column_as_its_contract_says() {
        let config = Config::parse(crate::forms::SAMPLE_CONFIG).unwrap();
        //            (3)  (4) (5) (6) (7)  (8) (9) (10) (11) (12) (13)
        let q1 = [110, 60, 40, 10, 80, 20, 55, 5, 30, 28, 2];
        let q2 = [150, 80, 40, 30, 140, 40, 96, 4, 10, 10, 0];
        let quarters = [
            quarter(1, vec![row(1, "Hộ tịch", q1, 8)]),
            quarter(2, vec![row(2, "Hộ tịch", q2, 8)]),
        ];
        let one = one_stop(&quarters, &config).unwrap();
        let t = &one.total;
        assert_eq!(t.get(Col::ReceivedOnline).value, 140);
        assert_eq!(t.get(Col::ReceivedDirect).value, 80);
        assert_eq!(t.get(Col::CarriedOver).value, 10);
        assert_eq!(t.get(Col::Received).value, 230);
        assert_eq!(t.get(Col::Solved).value, 220);
        assert_eq!(t.get(Col::SolvedLate).value, 9);
        assert_eq!(t.get(Col::Pending).value, 10);
        assert_eq!(t.get(Col::PendingLate).value, 0);
        // (3) cites its parts' cells of both quarters, and not a typed (3) of either.
        let cited: Vec<String> = t
            .get(Col::Received)
            .sources
            .iter()
            .map(|l| l.to_string())
            .collect();
        assert!(cited.contains(&"input/2024-Q1/mot-cua.xlsx › Hồ sơ TTHC › D9".to_string()));
        assert!(cited.contains(&"input/2024-Q2/mot-cua.xlsx › Hồ sơ TTHC › D9".to_string()));
        assert!(!cited.iter().any(|c| c.ends_with("› C9")), "{cited:?}");
        // On time: (8) + (9) over (7) = 211 / 220 = 95,909…% -> 95,91%.
        let on_time = one.on_time_share.as_ref().unwrap();
        assert_eq!((on_time.value, on_time.text.as_str()), (9591, "95,91%"));
        // Online: (4) over (4) + (5) = 140 / 220 = 63,636…% -> 63,64%.
        assert_eq!(one.online_share.as_ref().unwrap().text, "63,64%");
        // One quarter: the same columns, and (3) cites the typed total first.
        let one_q = one_stop(&quarters[..1], &config).unwrap();
        assert_eq!(one_q.total.get(Col::Received).value, 110);
        assert_eq!(
            one_q.total.get(Col::Received).sources[0].to_string(),
            "input/2024-Q1/mot-cua.xlsx › Hồ sơ TTHC › C9"
        );
    }
}
