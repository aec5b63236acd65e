//! Where one task of the plan stands at a period's cut-off: what each unit itself last said
//! about it, the task's combined status, and which of its due dates were met. `check` (the
//! overdue warnings) and `report` (counts, appendices, the units' own results) both read it
//! from here, so a warning and a report cannot disagree about a task. Pure.
//!
//! # The rules
//! - **Each unit's own word.** For every unit that reported the task, its latest row counts:
//!   the row of the latest quarter (up to the period's last) in which that unit reported it.
//!   Earlier rows of the same unit are superseded, never added up or repeated.
//! - **The lead units decide.** When a unit the plan names as chủ trì has reported the task,
//!   only the chủ trì units' rows make its status; a partner's (phối hợp) "Đang thực hiện"
//!   never counts against a lead that says "Hoàn thành". Only when no lead has reported do the
//!   other units' rows make it (the appendix then names the unit that reported).
//! - **The least advanced wins.** Among the rows that decide, "Không phát sinh" is left aside
//!   unless every one says so; of the rest the least advanced status is the task's
//!   (Chưa thực hiện < Đang thực hiện < Hoàn thành): a task led by two units is done when both
//!   say so. No row at all: "Chưa báo cáo".
//! - **Each due date is its own.** A task due "Quý II, Quý IV/2024" has two due dates. A
//!   completion (a "Hoàn thành" or "Không phát sinh" row of a deciding unit, dated by its
//!   "Ngày hoàn thành", else by the cut-off of the quarter it was reported in) meets the
//!   earliest due date not yet met whose previous due date it falls after; each completion
//!   meets one due date. The task is overdue when a due date before the cut-off is not met. A
//!   task done for its Quý II occurrence is therefore not overdue in Quý III, and is again due
//!   in Quý IV.

use crate::config::WindowRule;
use crate::period::Period;
use crate::plan::Task;
use crate::sheets::Quarter;
use crate::sheets::{Status, TaskRow};
use chrono::NaiveDate;

/// How the plan relates a unit to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Lead,
    Partner,
    /// Reported on a task the plan does not give it.
    Other,
}

/// One unit's latest row for the task.
#[derive(Debug, Clone)]
pub struct UnitRow<'a> {
    pub unit: &'a str,
    pub role: Role,
    /// The quarter whose workbook holds the row.
    pub quarter: Period,
    /// Whether that quarter is one of the period's (not an earlier quarter of the year).
    pub in_period: bool,
    pub row: &'a TaskRow,
}

#[derive(Debug, Clone)]
pub struct TaskProgress<'a> {
    /// Each unit's latest row: lead units first, then partners, then others, each group in
    /// the order the units first reported.
    pub latest: Vec<UnitRow<'a>>,
    /// The combined status; `None` when no unit has reported.
    pub status: Option<Status>,
    /// Whether the status comes from the lead units' rows.
    pub by_leads: bool,
    /// The earliest due date before the cut-off that no completion meets.
    pub overdue_since: Option<NaiveDate>,
}

impl<'a> TaskProgress<'a> {
    /// The rows that made the status (the leads', or everyone's when no lead reported).
    pub fn deciding(&self) -> impl Iterator<Item = &UnitRow<'a>> {
        self.latest
            .iter()
            .filter(move |r| !self.by_leads || r.role == Role::Lead)
    }

    /// The deciding row that gave the combined status (the first of the least advanced).
    pub fn status_row(&self) -> Option<&UnitRow<'a>> {
        let st = self.status?;
        self.deciding().find(|r| r.row.status == st)
    }

    /// The latest row of `unit`, if it reported the task.
    pub fn of_unit(&self, unit: &str) -> Option<&UnitRow<'a>> {
        self.latest.iter().find(|r| r.unit == unit)
    }
}

/// Where `task` stands at the cut-off of the period, from `quarters` (every quarter of the
/// year read so far, in order, up to the period's last).
pub fn progress<'a>(task: &Task, quarters: &'a [Quarter], rule: &WindowRule) -> TaskProgress<'a> {
    let role = |unit: &str| {
        if task.leads.iter().any(|u| u == unit) {
            Role::Lead
        } else if task.partners.iter().any(|u| u == unit) {
            Role::Partner
        } else {
            Role::Other
        }
    };
    // Every row of the task, in quarter order.
    let rows: Vec<UnitRow<'a>> = quarters
        .iter()
        .flat_map(|q| {
            q.submissions.iter().flat_map(move |s| {
                s.tasks
                    .iter()
                    .filter(|r| r.code == task.code)
                    .take(1)
                    .map(move |r| UnitRow {
                        unit: s.unit.as_str(),
                        role: role(&s.unit),
                        quarter: q.period,
                        in_period: q.in_period,
                        row: r,
                    })
            })
        })
        .collect();
    let mut latest: Vec<UnitRow<'a>> = Vec::new();
    for r in &rows {
        match latest.iter_mut().find(|l| l.unit == r.unit) {
            Some(l) => *l = r.clone(),
            None => latest.push(r.clone()),
        }
    }
    latest.sort_by_key(|r| r.role);
    let by_leads = latest.iter().any(|r| r.role == Role::Lead);
    let deciding = |r: &&UnitRow| !by_leads || r.role == Role::Lead;
    let statuses: Vec<Status> = latest
        .iter()
        .filter(deciding)
        .map(|r| r.row.status)
        .collect();
    let status = statuses
        .iter()
        .copied()
        .filter(|s| *s != Status::NotApplicable)
        .min()
        .or_else(|| statuses.first().copied());

    let cutoff = |p: Period| p.window(rule).1;
    let mut completions: Vec<NaiveDate> = rows
        .iter()
        .filter(deciding)
        .filter(|r| matches!(r.row.status, Status::Done | Status::NotApplicable))
        .map(|r| r.row.done_date.unwrap_or_else(|| cutoff(r.quarter)))
        .collect();
    completions.sort();
    completions.dedup();
    // What is known is known as of the latest quarter anyone reported for: a quarter with no
    // workbook at all (a year made with --cho-phep-thieu) makes nothing overdue.
    let end = quarters
        .iter()
        .rev()
        .find(|q| !q.submissions.is_empty())
        .or(quarters.last())
        .map(|q| cutoff(q.period));
    let mut overdue_since = None;
    let mut used = vec![false; completions.len()];
    let mut previous: Option<NaiveDate> = None;
    for due in task.deadline.due_dates() {
        let met = completions
            .iter()
            .enumerate()
            .find(|(i, c)| !used[*i] && previous.is_none_or(|p| **c > p))
            .map(|(i, _)| i);
        match met {
            Some(i) => used[i] = true,
            None if end.is_some_and(|e| due < e) => {
                overdue_since = Some(due);
                break;
            }
            None => {}
        }
        previous = Some(due);
    }
    TaskProgress {
        latest,
        status,
        by_leads,
        overdue_since,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Loc;
    use crate::period::Deadline;
    use crate::sheets::Submission;

    fn task(deadline: &str) -> Task {
        Task {
            code: "PL1.3".into(),
            appendix: 1,
            group: None,
            number: 3,
            text: "Tổ chức đối thoại".into(),
            lead_text: "Một cửa".into(),
            partner_text: "Văn phòng".into(),
            leads: vec!["MC".into()],
            partners: vec!["VP".into()],
            requirement: None,
            deadline_text: deadline.into(),
            deadline: Deadline::classify(deadline, 2024),
            line: 1,
        }
    }

    fn row(status: Status, done: Option<(u32, u32)>) -> TaskRow {
        TaskRow {
            code: "PL1.3".into(),
            status,
            result: String::new(),
            evidence: String::new(),
            difficulty: String::new(),
            done_date: done.map(|(m, d)| NaiveDate::from_ymd_opt(2024, m, d).unwrap()),
            done_text: None,
            source: Loc::Nowhere,
            status_source: Loc::Nowhere,
        }
    }

    /// Another task's row: the quarter was reported, just not this task.
    fn other() -> TaskRow {
        let mut r = row(Status::Done, None);
        r.code = "PL1.9".into();
        r
    }

    fn quarter(q: u8, in_period: bool, rows: Vec<(&str, TaskRow)>) -> Quarter {
        Quarter {
            period: Period::quarter(2024, q),
            folder: None,
            in_period,
            lists: Vec::new(),
            counted: None,
            submissions: rows
                .into_iter()
                .map(|(unit, r)| Submission {
                    file: format!("{unit}.xlsx"),
                    unit: unit.into(),
                    unit_source: Loc::Nowhere,
                    tasks: vec![r],
                    figures: Vec::new(),
                    dossiers: Vec::new(),
                    sipas: Vec::new(),
                    self_assessment: Vec::new(),
                    tasks_read_in_full: true,
                    figures_in_error: Vec::new(),
                    has_dossier_sheet: true,
                })
                .collect(),
        }
    }

    fn rule() -> WindowRule {
        WindowRule {
            ngay_chot: 14,
            han_don_vi: 5,
            han_bao_cao: 10,
        }
    }

    #[test]
    fn a_partner_never_counts_against_the_lead() {
        let t = task("Tháng 6/2024");
        let qs = vec![quarter(
            2,
            true,
            vec![
                ("VP", row(Status::InProgress, None)),
                ("MC", row(Status::Done, Some((6, 10)))),
            ],
        )];
        let p = progress(&t, &qs, &rule());
        assert_eq!(p.status, Some(Status::Done));
        assert!(p.by_leads);
        assert_eq!(p.latest[0].unit, "MC", "leads first");
        assert_eq!(p.overdue_since, None);
        // With no lead row, the partner's word stands, and nothing met the June deadline.
        let qs = vec![
            quarter(2, false, vec![("VP", row(Status::InProgress, None))]),
            quarter(3, true, vec![("TP", other())]),
        ];
        let p = progress(&t, &qs, &rule());
        assert_eq!((p.status, p.by_leads), (Some(Status::InProgress), false));
        assert_eq!(p.overdue_since, NaiveDate::from_ymd_opt(2024, 6, 30));
    }

    #[test]
    fn not_applicable_is_left_aside_unless_every_deciding_row_says_it() {
        let mut t = task("Thường xuyên");
        t.leads = vec!["MC".into(), "VP".into()];
        t.partners.clear();
        let qs = vec![quarter(
            1,
            true,
            vec![
                ("VP", row(Status::NotApplicable, None)),
                ("MC", row(Status::Done, None)),
            ],
        )];
        assert_eq!(progress(&t, &qs, &rule()).status, Some(Status::Done));
        let qs = vec![quarter(
            1,
            true,
            vec![("VP", row(Status::NotApplicable, None))],
        )];
        assert_eq!(
            progress(&t, &qs, &rule()).status,
            Some(Status::NotApplicable)
        );
    }

    #[test]
    fn each_due_date_is_met_by_its_own_completion() {
        let t = task("Quý II, Quý IV/2024");
        // Done for the Quý II occurrence, in progress for Quý IV: not overdue in Quý III.
        let q2 = quarter(2, false, vec![("MC", row(Status::Done, Some((6, 10))))]);
        let q3 = quarter(3, true, vec![("MC", row(Status::InProgress, None))]);
        let qs = [q2.clone(), q3.clone()];
        let p = progress(&t, &qs, &rule());
        assert_eq!(p.status, Some(Status::InProgress));
        assert_eq!(p.overdue_since, None);
        // The same row copied into Quý III with its June date is one completion, not two:
        // a Quý III due date is still open.
        let t = task("Quý II, Quý III/2024");
        let q3_copy = quarter(3, false, vec![("MC", row(Status::Done, Some((6, 10))))]);
        let q4 = quarter(4, true, vec![("TP", other())]);
        let qs = [q2.clone(), q3_copy, q4.clone()];
        let p = progress(&t, &qs, &rule());
        assert_eq!(p.status, Some(Status::Done));
        assert_eq!(p.overdue_since, NaiveDate::from_ymd_opt(2024, 9, 30));
        // Reported again after June, it meets the Quý III due date.
        let q3_new = quarter(3, false, vec![("MC", row(Status::Done, None))]);
        let qs = [q2.clone(), q3_new, q4];
        let p = progress(&t, &qs, &rule());
        assert_eq!(p.overdue_since, None);
        // Nothing reported at all: overdue from the first due date.
        // A quarter nobody sent for (a year made with --cho-phep-thieu) makes nothing overdue:
        // an October task is unknown, not late, when Q4 is missing.
        let october = task("Tháng 10/2024");
        let qs = [
            quarter(3, true, vec![("MC", row(Status::InProgress, None))]),
            quarter(4, true, vec![]),
        ];
        assert_eq!(progress(&october, &qs, &rule()).overdue_since, None);
        let qs = [quarter(3, true, vec![("TP", other())])];
        let p = progress(&t, &qs, &rule());
        assert_eq!(p.overdue_since, NaiveDate::from_ymd_opt(2024, 6, 30));
        assert_eq!(p.status, None);
    }
}
