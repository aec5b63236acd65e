//! Biểu 06 counted from the one-stop software's dossier lists, for each quarter, by the rules
//! of `[ho_so_mot_cua]`; compared with the Biểu 06 the one-stop unit typed, when it did.
//!
//! A quarter is counted from the lists of its own folder and of the earlier quarters of the
//! year (a dossier in several, as a later export shows it): a list exported for one quarter
//! may hold only the dossiers received in it, and those carried over from before are then in
//! an earlier one. Each dossier falls in one place of each quarter by its dates alone, so a
//! report of several quarters, which adds the quarters up by each column's rule, counts a
//! dossier carried between its own quarters once.

use crate::config::{
    Channel, Config, DossierState, MissingDueRule, OneStopRules, OverdueRule, ServiceLevel,
    WithdrawnRule,
};
use crate::finding::{Finding, Kind, Loc};
use crate::sheets::contract::{COLUMNS, Col, N};
use crate::sheets::{Count, Dossier, DossierList, DossierRow, LateDossier, ListCount, Quarter};
use crate::vn;
use chrono::NaiveDate;
use std::collections::HashMap;

/// How many differences between the typed Biểu 06 and the counted one are listed.
const LISTED: usize = 20;

/// Counts every quarter that has a list in its folder or an earlier one of the year, and
/// returns the findings of the period's quarters: the typed sheet's differences (warnings)
/// and a note of which lists the report's Biểu 06 comes from.
pub fn count(quarters: &mut [Quarter], config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in 0..quarters.len() {
        let lists: Vec<&DossierList> = quarters[..=i]
            .iter()
            .flat_map(|q| q.lists.iter().map(|l| &**l))
            .collect();
        if lists.is_empty() {
            continue;
        }
        let window = quarters[i].period.window(&config.ky_bao_cao);
        let typed: Vec<DossierRow> = quarters[i]
            .submissions
            .iter()
            .flat_map(|s| s.dossiers.iter().cloned())
            .collect();
        let counted = count_quarter(&lists, window, &config.ho_so_mot_cua, &typed);
        if quarters[i].in_period {
            out.extend(compare(&quarters[i], &typed, &counted));
            let files: Vec<String> = counted
                .files
                .iter()
                .map(|(f, n)| format!("{f} ({} hồ sơ)", vn::thousands(as_i64(*n))))
                .collect();
            out.push(Finding::note(
                Kind::DossierListUsed,
                Loc::Nowhere,
                format!(
                    "Biểu 06 của {} tính từ danh sách hồ sơ của phần mềm một cửa: {}",
                    quarters[i].period.short_name(),
                    files.join("; ")
                ),
            ));
        }
        quarters[i].counted = Some(counted);
    }
    out
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Where one dossier falls in a quarter.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Place {
    /// Columns it adds one to.
    cols: [bool; N],
    late_solved: bool,
    late_pending: bool,
}

/// The Biểu 06 columns a dossier counts in for the window [start, end], or `None` when it is
/// not in the quarter at all (received after it, finished before it, never accepted, or
/// withdrawn and not counted).
fn place(
    d: &Dossier,
    (start, end): (NaiveDate, NaiveDate),
    rules: &OneStopRules,
    has_level: bool,
    has_return: bool,
) -> Option<Place> {
    match d.state {
        DossierState::KhongTiepNhan => return None,
        DossierState::Rut if rules.rut_ho_so == WithdrawnRule::KhongTinh => return None,
        _ => {}
    }
    if d.received > end || d.done.is_some_and(|f| f < start) {
        return None;
    }
    let mut p = Place::default();
    let mut add = |c: Col| p.cols[c as usize] = true;
    add(Col::Received);
    if d.received < start {
        add(Col::CarriedOver);
    } else {
        match d.channel {
            Channel::TrucTuyen => {
                add(Col::ReceivedOnline);
                if has_level {
                    match d.level {
                        Some(ServiceLevel::MotPhan) => add(Col::OnlinePartial),
                        Some(ServiceLevel::ToanTrinh) => add(Col::OnlineFull),
                        _ => {}
                    }
                }
            }
            Channel::TrucTiep => add(Col::ReceivedDirect),
            Channel::Bcci => {
                add(Col::ReceivedDirect);
                add(Col::BcciReceived);
            }
        }
    }
    match d.done {
        Some(f) if f <= end => {
            add(Col::Solved);
            // Biểu 06: early before the due date, on time on it (or with none), late after.
            match d.due {
                Some(due) if f < due => add(Col::SolvedEarly),
                Some(due) if f > due => {
                    add(Col::SolvedLate);
                    p.late_solved = true;
                }
                _ => add(Col::SolvedOnTime),
            }
            if has_return && d.returned_by_post == Some(true) {
                add(Col::BcciReturned);
            }
        }
        _ => {
            add(Col::Pending);
            let paused = d.state == DossierState::TamDung && rules.tam_dung_trong_han;
            let overdue = !paused
                && d.due.is_some_and(|due| match rules.qua_han {
                    OverdueRule::TruocCuoiKy => due < end,
                    OverdueRule::DenCuoiKy => due <= end,
                });
            if overdue {
                add(Col::PendingLate);
                p.late_pending = true;
            } else {
                add(Col::PendingInTime);
            }
        }
    }
    Some(p)
}

/// How a count over rows of one list is cited: the rows' span.
#[derive(Debug, Clone, Copy)]
struct Span {
    count: usize,
    first: u32,
    last: u32,
}

impl Span {
    fn add(&mut self, row: u32) {
        if self.count == 0 {
            (self.first, self.last) = (row, row);
        } else {
            self.first = self.first.min(row);
            self.last = self.last.max(row);
        }
        self.count += 1;
    }
}

const EMPTY: Span = Span {
    count: 0,
    first: 0,
    last: 0,
};

fn count_quarter(
    lists: &[&DossierList],
    window: (NaiveDate, NaiveDate),
    rules: &OneStopRules,
    typed: &[DossierRow],
) -> ListCount {
    // A dossier in several lists is counted from the latest (a later export knows more).
    let latest: Option<HashMap<&str, usize>> = (lists.len() > 1).then(|| {
        let mut m = HashMap::new();
        for (li, l) in lists.iter().enumerate() {
            for d in &l.dossiers {
                m.insert(&*d.code, li);
            }
        }
        m
    });
    let mut rows = Vec::new();
    let mut solved_late = Vec::new();
    let mut pending_late = Vec::new();
    let mut files = Vec::new();
    for (li, list) in lists.iter().enumerate() {
        // Per lĩnh vực of the list, per column.
        let mut spans: Vec<[Span; N]> = vec![[EMPTY; N]; list.fields.len()];
        let mut used = 0usize;
        for d in &list.dossiers {
            if latest
                .as_ref()
                .is_some_and(|m| m.get(&*d.code) != Some(&li))
            {
                continue;
            }
            let Some(p) = place(d, window, rules, list.has_level, list.has_return_channel) else {
                continue;
            };
            used += 1;
            let field = &mut spans[d.field as usize];
            for (c, on) in p.cols.iter().enumerate() {
                if *on {
                    field[c].add(d.row);
                }
            }
            if p.late_solved || p.late_pending {
                let due = d.due.unwrap_or(window.1);
                let until = if p.late_solved {
                    d.done.unwrap_or(window.1)
                } else {
                    window.1
                };
                let late = LateDossier {
                    code: d.code.to_string(),
                    field: list.field_name(d).to_string(),
                    procedure: list.procedure_name(d).to_string(),
                    received: d.received,
                    due,
                    done: d.done.filter(|_| p.late_solved),
                    days_late: (until - due).num_days(),
                    source: Loc::Cell {
                        file: list.file.clone(),
                        sheet: list.sheet.clone(),
                        cell: crate::finding::CellRef::new(d.row, list.code_column),
                    },
                };
                if p.late_solved {
                    solved_late.push(late);
                } else {
                    pending_late.push(late);
                }
            }
        }
        if used == 0 {
            continue;
        }
        files.push((list.file.clone(), used));
        for (fi, name) in list.fields.iter().enumerate() {
            let s = &spans[fi];
            if s[Col::Received as usize].count == 0 {
                continue;
            }
            let cite = |span: &Span| {
                if span.count == 0 {
                    Loc::Sheet {
                        file: list.file.clone(),
                        sheet: list.sheet.clone(),
                    }
                } else {
                    Loc::Rows {
                        file: list.file.clone(),
                        sheet: list.sheet.clone(),
                        count: span.count,
                        first: span.first.saturating_add(1),
                        last: span.last.saturating_add(1),
                    }
                }
            };
            let counts: [Count; N] = std::array::from_fn(|c| Count {
                value: as_i64(s[c].count),
                source: cite(&s[c]),
            });
            let mut present = [true; N];
            present[Col::OnlinePartial as usize] = list.has_level;
            present[Col::OnlineFull as usize] = list.has_level;
            present[Col::BcciReturned as usize] = list.has_return_channel;
            present[Col::Apologies as usize] = false;
            rows.push(DossierRow {
                field: name.clone(),
                counts,
                present,
                source: cite(&s[Col::Received as usize]),
            });
        }
    }
    // The letters sent are not in the software's list: the unit's typed count stays, once
    // per lĩnh vực.
    for t in typed {
        if let Some(a) = t.given(Col::Apologies)
            && let Some(row) = rows
                .iter_mut()
                .find(|r| vn::fold(&r.field) == vn::fold(&t.field))
        {
            row.counts[Col::Apologies as usize] = a.clone();
            row.present[Col::Apologies as usize] = true;
        }
    }
    // In the order the unit's sheet gives the lĩnh vực, then by name.
    let rank = |r: &DossierRow| {
        let f = vn::fold(&r.field);
        (
            typed
                .iter()
                .position(|t| vn::fold(&t.field) == f)
                .unwrap_or(usize::MAX),
            f,
        )
    };
    rows.sort_by_cached_key(rank);
    solved_late.sort_by(|a, b| (&a.field, a.due, &a.code).cmp(&(&b.field, b.due, &b.code)));
    pending_late.sort_by(|a, b| (&a.field, a.due, &a.code).cmp(&(&b.field, b.due, &b.code)));
    ListCount {
        rows,
        solved_late,
        pending_late,
        files,
    }
}

/// The typed Biểu 06 against the counted one, per lĩnh vực and column.
fn compare(q: &Quarter, typed: &[DossierRow], counted: &ListCount) -> Vec<Finding> {
    let mut out = Vec::new();
    if typed.is_empty() {
        return out;
    }
    let mut fields: Vec<&str> = Vec::new();
    for r in typed.iter().chain(&counted.rows) {
        if !fields.iter().any(|f| vn::fold(f) == vn::fold(&r.field)) {
            fields.push(&r.field);
        }
    }
    let mut differences = 0usize;
    for field in fields {
        let same = |r: &&DossierRow| vn::fold(&r.field) == vn::fold(field);
        let t: Vec<&DossierRow> = typed.iter().filter(same).collect();
        let c: Vec<&DossierRow> = counted.rows.iter().filter(same).collect();
        for col in Col::ALL {
            if col == Col::Apologies {
                continue;
            }
            let typed_given: Vec<&Count> = t.iter().filter_map(|r| r.given(col)).collect();
            let counted_given: Vec<&Count> = c.iter().filter_map(|r| r.given(col)).collect();
            if (typed_given.is_empty() && !t.is_empty())
                || (counted_given.is_empty() && !c.is_empty())
            {
                continue;
            }
            let tv: i64 = typed_given.iter().map(|x| x.value).sum();
            let cv: i64 = counted_given.iter().map(|x| x.value).sum();
            if tv == cv {
                continue;
            }
            differences += 1;
            if differences > LISTED {
                continue;
            }
            let at = typed_given
                .first()
                .map(|x| x.source.clone())
                .or_else(|| t.first().map(|r| r.source.clone()))
                .unwrap_or(Loc::Nowhere);
            let from: Vec<String> = counted_given.iter().map(|x| x.source.to_string()).collect();
            out.push(Finding::warning(
                Kind::DossierListDiffers,
                at,
                format!(
                    "{}, lĩnh vực \"{field}\", cột {}: sheet Hồ sơ TTHC ghi {}, danh sách hồ sơ \
                     cho {}{}; báo cáo dùng số của danh sách",
                    q.period.short_name(),
                    COLUMNS[col as usize].title(),
                    vn::thousands(tv),
                    vn::thousands(cv),
                    if from.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", from.join("; "))
                    }
                ),
            ));
        }
    }
    if differences > LISTED {
        out.push(Finding::warning(
            Kind::DossierMore,
            Loc::Nowhere,
            format!(
                "{}: còn {} chỗ khác giữa sheet Hồ sơ TTHC và danh sách hồ sơ (chỉ liệt kê {LISTED})",
                q.period.short_name(),
                differences - LISTED
            ),
        ));
    }
    out
}

/// The rule `[ho_so_mot_cua] thieu_ngay_hen = "loi"`: a dossier without a due date is an
/// error at its row (the reader keeps it, so this is said once per list).
pub fn missing_due_dates(list: &DossierList, rules: &OneStopRules) -> Vec<Finding> {
    if rules.thieu_ngay_hen != MissingDueRule::Loi {
        return Vec::new();
    }
    let missing: Vec<&Dossier> = list.dossiers.iter().filter(|d| d.due.is_none()).collect();
    let mut out: Vec<Finding> = missing
        .iter()
        .take(LISTED)
        .map(|d| {
            Finding::error(
                Kind::ValueMissing,
                Loc::Cell {
                    file: list.file.clone(),
                    sheet: list.sheet.clone(),
                    cell: crate::finding::CellRef::new(d.row, list.code_column),
                },
                format!(
                    "hồ sơ {}: thiếu ngày hẹn trả ([ho_so_mot_cua] thieu_ngay_hen = \"loi\")",
                    d.code
                ),
            )
        })
        .collect();
    if missing.len() > LISTED {
        out.push(Finding::error(
            Kind::DossierMore,
            Loc::Sheet {
                file: list.file.clone(),
                sheet: list.sheet.clone(),
            },
            format!(
                "còn {} hồ sơ khác thiếu ngày hẹn trả (chỉ liệt kê {LISTED})",
                vn::thousands(as_i64(missing.len() - LISTED))
            ),
        ));
    }
    out
}
