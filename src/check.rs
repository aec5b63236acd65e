//! Checks across plan, submissions and period: the findings of DESIGN.md that need more than
//! one workbook (the reader reports what one cell or sheet can tell). Pure.

use crate::config::Config;
use crate::finding::{Finding, Kind, Loc};
use crate::period::{Deadline, Period, PeriodKind};
use crate::plan::Plan;
use crate::progress;
use crate::sheets::contract::IDENTITIES;
use crate::sheets::{Col, DossierRow, ScoreRow, Submission};
use crate::vn;
use chrono::Datelike;
use std::collections::BTreeMap;

/// The workbooks of one quarter, as read (`crate::sheets::Quarter`); kept here by name for the
/// callers that took it from `check`.
pub use crate::sheets::Quarter;

/// Every finding about the period's quarters (`quarters`: the year's quarters read so far, up
/// to the period's last; those outside the period give history only). Reader findings are not
/// repeated here.
pub fn check(plan: &Plan, quarters: &[Quarter], config: &Config) -> Vec<Finding> {
    let mut out = Vec::new();
    check_plan(plan, &mut out);
    for q in quarters.iter().filter(|q| q.in_period) {
        check_quarter(plan, q, config, &mut out);
    }
    overdue(plan, quarters, config, &mut out);
    continuity(quarters, &mut out);
    out
}

/// A report of several quarters summarises each of them: a quarter of the period with no
/// workbook at all is an error, unless the office chose to go ahead without it (`allow`,
/// `--cho-phep-thieu`), when it is a warning and the report says which quarters are missing.
/// Nothing for a quarterly report, whose units are each warned about.
pub fn missing_quarters(period: &Period, quarters: &[Quarter], allow: bool) -> Vec<Finding> {
    if period.is_quarter() {
        return Vec::new();
    }
    quarters
        .iter()
        .filter(|q| q.in_period && q.submissions.is_empty())
        .map(|q| {
            let folder = format!("input/{}", q.period);
            let (loc, what) = match &q.folder {
                Some(f) => (
                    Loc::File { file: f.clone() },
                    format!("thư mục {f} chưa có bảng tính nào"),
                ),
                None => (Loc::Nowhere, format!("chưa có thư mục {folder}")),
            };
            let message = format!(
                "báo cáo {} tổng hợp từ {} quý nhưng {} chưa có số liệu: {what}",
                period.name(),
                period.quarters().len(),
                q.period.short_name()
            );
            if allow {
                Finding::warning(Kind::QuarterMissing, loc, message)
                    .with_hint("đã chọn --cho-phep-thieu: báo cáo ghi rõ quý còn thiếu")
            } else {
                Finding::error(Kind::QuarterMissing, loc, message).with_hint(format!(
                    "chép bảng tính của các bộ phận vào {folder}/; hoặc, nếu vẫn lập báo cáo khi \
                     thiếu quý này, thêm --cho-phep-thieu (báo cáo sẽ ghi rõ quý còn thiếu)"
                ))
            }
        })
        .collect()
}

/// The findings about a year report's own workbooks (`input/2024/`): the PAR INDEX
/// self-assessment is expected, and each area (or other row with rows under it) must state the
/// sum of its sub-criteria. Nothing for other periods.
pub fn check_year(
    period: &Period,
    folder: Option<&str>,
    year: &[Submission],
    config: &Config,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if period.kind != PeriodKind::Year {
        return out;
    }
    let folder_loc = match folder {
        Some(f) => Loc::File {
            file: f.to_string(),
        },
        None => Loc::Nowhere,
    };
    let mut by_unit: BTreeMap<&str, Vec<&Submission>> = BTreeMap::new();
    for s in year {
        by_unit.entry(s.unit.as_str()).or_default().push(s);
    }
    for (unit, subs) in &by_unit {
        if subs.len() > 1 {
            let files: Vec<&str> = subs.iter().map(|s| s.file.as_str()).collect();
            out.push(Finding::error(
                Kind::UnitTwice,
                subs[1].unit_source.clone(),
                format!(
                    "hai bảng tính cho cùng đơn vị {} trong {}: {}",
                    unit_name(config, unit),
                    period.short_name(),
                    files.join(" và ")
                ),
            ));
        }
    }
    if !year.iter().any(|s| !s.self_assessment.is_empty()) {
        let where_ = folder.unwrap_or("input/<năm>");
        out.push(
            Finding::warning(
                Kind::SelfAssessmentMissing,
                folder_loc,
                format!(
                    "chưa có bảng tự chấm điểm Chỉ số CCHC {}: báo cáo năm không có phần tự \
                     đánh giá",
                    period.short_name()
                ),
            )
            .with_hint(format!(
                "Văn phòng UBND phường gửi bảng tính có sheet \"Tự chấm điểm\" vào {where_}/"
            )),
        );
    }
    for s in year {
        let rows = &s.self_assessment;
        for (i, r) in rows.iter().enumerate() {
            if rows[..i].iter().any(|o| o.code == r.code) {
                out.push(Finding::warning(
                    Kind::Duplicate,
                    r.source.clone(),
                    format!("tiêu chí {} ghi hai lần; báo cáo dùng dòng đầu", r.code),
                ));
                continue;
            }
            let leaves = score_leaves(rows, r);
            if leaves.is_empty() {
                continue;
            }
            let score: i64 = leaves.iter().map(|l| l.score).sum();
            let max: i64 = leaves.iter().map(|l| l.max).sum();
            let codes = || {
                leaves
                    .iter()
                    .map(|l| l.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if score != r.score {
                out.push(Finding::warning(Kind::TotalMismatch,
                    r.source.clone(),
                    format!(
                        "tiêu chí {} ghi {} điểm nhưng tổng điểm các tiêu chí thành phần ({}) là {}",
                        r.code,
                        vn::hundredths(r.score),
                        codes(),
                        vn::hundredths(score)
                    ),
                ));
            }
            if max != r.max {
                out.push(Finding::warning(
                    Kind::TotalMismatch,
                    r.max_source.clone(),
                    format!(
                        "tiêu chí {} ghi điểm tối đa {} nhưng tổng điểm tối đa các tiêu chí thành \
                         phần ({}) là {}",
                        r.code,
                        vn::hundredths(r.max),
                        codes(),
                        vn::hundredths(max)
                    ),
                ));
            }
        }
    }
    out
}

/// The sub-criteria listed under `parent` that have none under them (first row of a code).
pub fn score_leaves<'a>(rows: &'a [ScoreRow], parent: &ScoreRow) -> Vec<&'a ScoreRow> {
    let first = |r: &ScoreRow| rows.iter().position(|o| o.code == r.code);
    rows.iter()
        .enumerate()
        .filter(|(i, r)| first(r) == Some(*i))
        .map(|(_, r)| r)
        .filter(|r| parent.is_parent_of(r) && !rows.iter().any(|o| r.is_parent_of(o)))
        .collect()
}

fn check_plan(plan: &Plan, out: &mut Vec<Finding>) {
    let at = |line| Loc::Line {
        file: plan.file.clone(),
        line,
    };
    for t in &plan.tasks {
        if t.deadline == Deadline::Unclassified {
            out.push(Finding::warning(
                Kind::DeadlineUnclear,
                at(t.line),
                format!(
                    "nhiệm vụ {}: không phân loại được thời hạn \"{}\" (cần dạng \"Tháng 9/2024\", \
                     \"Quý II/2024\", \"Hàng tháng\", \"Thường xuyên\", \"Khi ...\")",
                    t.code, t.deadline_text
                ),
            ));
        }
    }
    if let Some(ix) = &plan.index
        && let Some(total) = &ix.stated_total
    {
        let sum: i64 = ix.rows.iter().map(|r| r.score).sum();
        let max: i64 = ix.rows.iter().map(|r| r.max).sum();
        if sum != total.score {
            out.push(Finding::warning(
                Kind::TotalMismatch,
                at(total.line),
                format!(
                    "tổng điểm ghi {} nhưng tổng {} nội dung là {}; báo cáo dùng số tính lại {}",
                    vn::hundredths(total.score),
                    ix.rows.len(),
                    vn::hundredths(sum),
                    vn::hundredths(sum)
                ),
            ));
        }
        if max != total.max {
            out.push(Finding::warning(
                Kind::TotalMismatch,
                at(total.line),
                format!(
                    "điểm tối đa ghi {} nhưng tổng điểm tối đa các nội dung là {}",
                    vn::hundredths(total.max),
                    vn::hundredths(max)
                ),
            ));
        }
    }
}

fn check_quarter(plan: &Plan, q: &Quarter, config: &Config, out: &mut Vec<Finding>) {
    let qname = q.period.short_name();
    let folder_loc = match &q.folder {
        Some(f) => Loc::File { file: f.clone() },
        None => Loc::Nowhere,
    };
    // Two workbooks for one unit.
    let mut by_unit: BTreeMap<&str, Vec<&Submission>> = BTreeMap::new();
    for s in &q.submissions {
        by_unit.entry(s.unit.as_str()).or_default().push(s);
    }
    for (unit, subs) in &by_unit {
        if subs.len() > 1 {
            let files: Vec<&str> = subs.iter().map(|s| s.file.as_str()).collect();
            out.push(
                Finding::error(
                    Kind::UnitTwice,
                    subs[1].unit_source.clone(),
                    format!(
                        "hai bảng tính cho cùng đơn vị {} trong {qname}: {}",
                        unit_name(config, unit),
                        files.join(" và ")
                    ),
                )
                .with_hint("giữ một tệp cho mỗi đơn vị trong mỗi kỳ"),
            );
        }
    }
    for u in &config.don_vi {
        if !by_unit.contains_key(u.ma.as_str()) {
            out.push(Finding::warning(
                Kind::UnitNotReported,
                folder_loc.clone(),
                format!("{} chưa gửi báo cáo {qname}", u.ten),
            ));
        }
    }
    for s in &q.submissions {
        // One row per task: two rows of one code (different statuses, say) leave the unit's
        // own word unknown.
        for (i, row) in s.tasks.iter().enumerate() {
            if let Some(first) = s.tasks[..i].iter().find(|r| r.code == row.code) {
                out.push(
                    Finding::error(Kind::Duplicate,
                        row.source.clone(),
                        format!(
                            "nhiệm vụ {} ghi hai dòng trong cùng bảng tính (dòng kia: {}, \"{}\"; dòng này: \"{}\")",
                            row.code,
                            first.source,
                            first.status.label(),
                            row.status.label()
                        ),
                    )
                    .with_hint("giữ một dòng cho mỗi nhiệm vụ, gộp kết quả vào dòng đó"),
                );
            }
        }
        dates(s, q, plan, config, out);
        let mut unknown_code = false;
        for row in &s.tasks {
            match plan.tasks.iter().find(|t| t.code == row.code) {
                None => {
                    unknown_code = true;
                    out.push(
                        Finding::error(
                            Kind::TaskNotInPlan,
                            row.source.clone(),
                            format!(
                                "mã nhiệm vụ {} không có trong kế hoạch ({})",
                                row.code, plan.file
                            ),
                        )
                        .with_hint(
                            "kế hoạch có thể đã thay đổi: sửa mã theo Phụ lục I, II hiện hành",
                        ),
                    )
                }
                Some(t) if !t.leads.contains(&s.unit) && !t.partners.contains(&s.unit) => {
                    // Units may report on tasks they only support; not an error.
                }
                Some(_) => {}
            }
        }
        // A task due in the period with no row, for each lead unit that did submit; a task
        // sheet with errors says so already, and its rows in error (or with a code the plan does
        // not have) may be the ones "missing".
        for t in &plan.tasks {
            if s.tasks_read_in_full
                && !unknown_code
                && t.leads.contains(&s.unit)
                && t.deadline.expected_in(&q.period)
                && !s.tasks.iter().any(|r| r.code == t.code)
            {
                out.push(Finding::warning(
                    Kind::TaskNotReported,
                    Loc::File {
                        file: s.file.clone(),
                    },
                    format!(
                        "thiếu dòng báo cáo nhiệm vụ {} ({}), đơn vị chủ trì, thời hạn \"{}\"",
                        t.code,
                        short(&t.text),
                        t.deadline_text
                    ),
                ));
            }
        }
        check_figures(s, config, out);
        for d in &s.dossiers {
            check_dossier_row(d, out);
        }
        // Biểu 06 comes from the sheet "Hồ sơ TTHC", or from the software's list beside it.
        if config.unit(&s.unit).is_some_and(|u| u.mot_cua)
            && !s.has_dossier_sheet
            && q.lists.is_empty()
        {
            out.push(
                Finding::error(
                    Kind::SheetMissing,
                    Loc::File {
                        file: s.file.clone(),
                    },
                    "bộ phận một cửa phải có sheet \"Hồ sơ TTHC\" (Biểu 06), hoặc gửi kèm danh \
                     sách hồ sơ xuất từ phần mềm một cửa",
                )
                .with_hint("thêm sheet theo biểu mẫu (cchc bieu-mau), hoặc đặt tệp danh sách hồ sơ vào cùng thư mục kỳ"),
            );
        }
    }
}

/// Completion dates that cannot be what the unit meant, or that read two ways: outside the
/// plan's year, after the quarter's cut-off (a date in the future of the report), and a text
/// date such as "09/05/2024" whose other reading (5 September) falls in the quarter when the
/// one taken (9 May) does not.
fn dates(s: &Submission, q: &Quarter, plan: &Plan, config: &Config, out: &mut Vec<Finding>) {
    let (from, to) = q.period.window(&config.ky_bao_cao);
    for row in &s.tasks {
        let Some(d) = row.done_date else { continue };
        let (text, loc) = match &row.done_text {
            Some((t, l)) => (t.clone(), l.clone()),
            None => (vn::date_short(d), row.source.clone()),
        };
        if d.year() != plan.meta.nam {
            out.push(Finding::warning(
                Kind::DateOutsideYear,
                loc,
                format!(
                    "nhiệm vụ {}: ngày hoàn thành {text} không thuộc năm {} của kế hoạch",
                    row.code, plan.meta.nam
                ),
            ));
            continue;
        }
        if d > to {
            out.push(Finding::warning(
                Kind::DateAfterCutoff,
                loc.clone(),
                format!(
                    "nhiệm vụ {}: ngày hoàn thành {text} sau ngày chốt số liệu {} của {}",
                    row.code,
                    vn::date_short(to),
                    q.period.short_name()
                ),
            ));
        }
        if row.done_text.is_some() && d.day() <= 12 && d.day() != d.month() {
            let other = chrono::NaiveDate::from_ymd_opt(d.year(), d.day(), d.month());
            let inside = |x: chrono::NaiveDate| x >= from && x <= to;
            if let Some(o) = other
                && inside(o)
                && !inside(d)
            {
                out.push(Finding::warning(
                    Kind::DateAmbiguous,
                    loc,
                    format!(
                        "nhiệm vụ {}: \"{text}\" được đọc là {} (ngày/tháng), ngoài {}; nếu là \
                         tháng/ngày thì là {}, trong kỳ",
                        row.code,
                        vn::date_long(d),
                        q.period.short_name(),
                        vn::date_long(o)
                    ),
                ));
            }
        }
    }
}

/// The unit's own indicators (`chi_so` in `input/cchc.toml`) against its "Số liệu" sheet: each
/// one given, and no code the unit does not have (another unit's, or a typo), which the report
/// would print under this unit's name.
fn check_figures(s: &Submission, config: &Config, out: &mut Vec<Finding>) {
    let Some(unit) = config.unit(&s.unit) else {
        return;
    };
    if unit.chi_so.is_empty() {
        return;
    }
    let file = || Loc::File {
        file: s.file.clone(),
    };
    // A value in error was given, wrongly: its error says so, it is not also "missing".
    let given = |code: &str| {
        s.figures.iter().any(|f| f.code.eq_ignore_ascii_case(code))
            || s.figures_in_error
                .iter()
                .any(|c| c.eq_ignore_ascii_case(code))
    };
    let missing: Vec<_> = unit.chi_so.iter().filter(|i| !given(&i.ma)).collect();
    if missing.len() == unit.chi_so.len() {
        out.push(Finding::warning(Kind::FiguresMissing,
            file(),
            format!(
                "chưa có số liệu chỉ tiêu nào của {} (sheet \"Số liệu\" thiếu, hoặc cột Giá trị còn trống): báo cáo không có số liệu riêng của đơn vị",
                unit.ten
            ),
        ));
    } else {
        for i in missing {
            out.push(Finding::warning(
                Kind::FiguresMissing,
                file(),
                format!(
                    "thiếu số liệu chỉ tiêu {} ({}) của {}",
                    i.ma,
                    short(&i.ten),
                    unit.ten
                ),
            ));
        }
    }
    for f in &s.figures {
        if !unit
            .chi_so
            .iter()
            .any(|i| i.ma.eq_ignore_ascii_case(&f.code))
        {
            let codes: Vec<&str> = unit.chi_so.iter().map(|i| i.ma.as_str()).collect();
            out.push(Finding::warning(Kind::FigureUnknown,
                f.source.clone(),
                format!(
                    "mã chỉ tiêu {} không có trong các chỉ số của {} (input/cchc.toml: {}); số liệu này vẫn được đưa vào báo cáo dưới tên đơn vị",
                    f.code,
                    unit.ten,
                    codes.join(", ")
                ),
            ));
        }
    }
}

fn check_dossier_row(d: &crate::sheets::DossierRow, out: &mut Vec<Finding>) {
    // A total that breaks its own identity is wrong, or its parts are: the cross-check
    // (3) = (7) + (11) through that total would report the same cause again.
    let mut broken: Vec<Col> = Vec::new();
    for rule in IDENTITIES {
        if !rule.strict
            && rule
                .parts
                .iter()
                .chain([&rule.total])
                .any(|c| broken.contains(c))
        {
            continue;
        }
        let total = d.value(rule.total);
        let parts: i64 = rule.parts.iter().map(|c| d.value(*c)).sum();
        if total != parts {
            if rule.strict {
                broken.push(rule.total);
            }
            let msg = format!(
                "lĩnh vực \"{}\": đẳng thức Biểu 06 {} không đúng ({} ≠ {})",
                d.field,
                rule.formula(),
                vn::thousands(total),
                vn::thousands(parts)
            );
            let loc = d.get(rule.total).source.clone();
            out.push(if rule.strict {
                Finding::error(Kind::IdentityBroken, loc, msg)
            } else {
                Finding::warning(Kind::IdentityBroken, loc, msg)
                    .with_hint("có phần mềm tính hồ sơ trả lại, rút hồ sơ riêng")
            });
        }
    }
    if let (Some(p), Some(f)) = (d.given(Col::OnlinePartial), d.given(Col::OnlineFull))
        && p.value + f.value != d.value(Col::ReceivedOnline)
    {
        out.push(Finding::warning(Kind::SplitMismatch,
                p.source.clone(),
                format!(
                    "lĩnh vực \"{}\": trực tuyến một phần + toàn trình = {} khác số hồ sơ trực tuyến (4) = {}",
                    d.field,
                    vn::thousands(p.value + f.value),
                    vn::thousands(d.value(Col::ReceivedOnline))
                ),
            ));
    }
    if let Some(a) = d.given(Col::Apologies) {
        let late = d.value(Col::SolvedLate) + d.value(Col::PendingLate);
        if a.value < late {
            out.push(Finding::warning(
                Kind::ApologiesShort,
                a.source.clone(),
                format!(
                    "lĩnh vực \"{}\": {} thư xin lỗi, ít hơn số hồ sơ quá hạn (10) + (13) = {}",
                    d.field,
                    vn::thousands(a.value),
                    vn::thousands(late)
                ),
            ));
        }
    }
}

/// Tasks with a due date before the period's cut-off that no completion meets (the rules are
/// `progress`'s, shared with the report).
fn overdue(plan: &Plan, quarters: &[Quarter], config: &Config, out: &mut Vec<Finding>) {
    for t in &plan.tasks {
        let p = progress::progress(t, quarters, &config.ky_bao_cao);
        let Some(due) = p.overdue_since else {
            continue;
        };
        let due = vn::date_short(due);
        match p.status_row() {
            Some(r) => out.push(Finding::warning(
                Kind::TaskOverdue,
                r.row.source.clone(),
                format!(
                    "nhiệm vụ {} ({}) quá hạn {due} nhưng {} báo cáo \"{}\"",
                    t.code,
                    short(&t.text),
                    unit_name(config, r.unit),
                    r.row.status.label()
                ),
            )),
            None => out.push(Finding::warning(
                Kind::TaskOverdue,
                Loc::Line {
                    file: plan.file.clone(),
                    line: t.line,
                },
                format!(
                    "nhiệm vụ {} ({}) quá hạn {due} và chưa có đơn vị nào báo cáo",
                    t.code,
                    short(&t.text)
                ),
            )),
        }
    }
}

/// Each lĩnh vực's "Từ kỳ trước chuyển qua" (6) against the previous quarter's "đang giải
/// quyết" (11), for each quarter of the period whose previous quarter was read: a difference
/// means dossiers lost or counted twice between the two reports, and breaks (3) = (7) + (11)
/// of any report spanning both quarters.
fn continuity(quarters: &[Quarter], out: &mut Vec<Finding>) {
    fn rows(q: &Quarter) -> Vec<&DossierRow> {
        q.submissions.iter().flat_map(|s| &s.dossiers).collect()
    }
    for pair in quarters.windows(2) {
        let (prev, cur) = (&pair[0], &pair[1]);
        if !cur.in_period {
            continue;
        }
        // Counted from lists, a dossier pending at one quarter's end is the next one's carried
        // over by construction.
        if prev.counted.is_some() || cur.counted.is_some() {
            continue;
        }
        let (before, now) = (rows(prev), rows(cur));
        if before.is_empty() || now.is_empty() {
            continue;
        }
        let same = |a: &DossierRow, b: &DossierRow| vn::fold(&a.field) == vn::fold(&b.field);
        for d in &now {
            let p = before.iter().find(|p| same(p, d));
            let pending = p.map_or(0, |p| p.value(Col::Pending));
            if pending == d.value(Col::CarriedOver) {
                continue;
            }
            let was = match p {
                Some(p) => format!(
                    "số đang giải quyết (11) cuối {} là {} ({})",
                    prev.period.short_name(),
                    vn::thousands(pending),
                    p.get(Col::Pending).source
                ),
                None => format!("{} không có dòng lĩnh vực này", prev.period.short_name()),
            };
            out.push(
                Finding::warning(
                    Kind::PeriodsDisagree,
                    d.get(Col::CarriedOver).source.clone(),
                    format!(
                        "lĩnh vực \"{}\": từ kỳ trước chuyển qua (6) của {} là {} nhưng {was}",
                        d.field,
                        cur.period.short_name(),
                        vn::thousands(d.value(Col::CarriedOver))
                    ),
                )
                .with_hint(
                    "số chuyển qua phải bằng số đang giải quyết cuối kỳ trước; báo cáo nhiều quý \
                     sẽ lệch (3) = (7) + (11) đúng bằng số chênh này",
                ),
            );
        }
        for p in &before {
            if p.value(Col::Pending) > 0 && !now.iter().any(|d| same(d, p)) {
                out.push(Finding::warning(
                    Kind::PeriodsDisagree,
                    p.get(Col::Pending).source.clone(),
                    format!(
                        "lĩnh vực \"{}\": cuối {} còn {} hồ sơ đang giải quyết (11) nhưng Biểu 06 \
                         của {} không có dòng lĩnh vực này",
                        p.field,
                        prev.period.short_name(),
                        vn::thousands(p.value(Col::Pending)),
                        cur.period.short_name()
                    ),
                ));
            }
        }
    }
}

fn unit_name<'a>(config: &'a Config, code: &'a str) -> &'a str {
    config.unit(code).map(|u| u.ten.as_str()).unwrap_or(code)
}

/// The first words of a task, for messages.
pub fn short(text: &str) -> String {
    let first = text.lines().next().unwrap_or("");
    let words: Vec<&str> = first.split_whitespace().collect();
    if words.len() <= 10 {
        words.join(" ")
    } else {
        format!("{} ...", words[..10].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{CellRef, Severity};
    use crate::sheets::{Count, DossierRow};

    fn row(official: [i64; 11]) -> DossierRow {
        let at = |c: usize| Loc::Cell {
            file: "input/2024-Q2/mot-cua.xlsx".into(),
            sheet: "Hồ sơ TTHC".into(),
            cell: CellRef::new(7, 2 + c as u32),
        };
        let mut present = [false; crate::sheets::contract::N];
        present[..11].fill(true);
        DossierRow {
            field: "Hộ tịch".into(),
            counts: std::array::from_fn(|i| Count {
                value: official.get(i).copied().unwrap_or(0),
                source: at(i),
            }),
            present,
            source: at(0),
        }
    }

    #[test]
    fn a_broken_identity_is_one_error_at_its_total_and_not_said_again_through_it() {
        let mut out = Vec::new();
        check_dossier_row(&row([110, 60, 40, 10, 80, 20, 55, 5, 30, 28, 2]), &mut out);
        assert!(out.is_empty(), "{out:?}");
        // (7) typed 81 for 20 + 55 + 5 = 80: (7) is wrong, and (3) = (7) + (11) through it
        // would only say it again.
        check_dossier_row(&row([110, 60, 40, 10, 81, 20, 55, 5, 30, 28, 2]), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        let f = &out[0];
        assert_eq!(
            (f.severity, f.kind),
            (Severity::Error, Kind::IdentityBroken)
        );
        assert_eq!(
            f.loc.to_string(),
            "input/2024-Q2/mot-cua.xlsx › Hồ sơ TTHC › G8"
        );
        assert!(
            f.message
                .contains("(7) = (8) + (9) + (10) không đúng (81 ≠ 80)"),
            "{f}"
        );
        // Every part right but (3) ≠ (7) + (11): a warning (software may count returned
        // dossiers apart).
        out.clear();
        check_dossier_row(&row([112, 60, 40, 12, 80, 20, 55, 5, 30, 28, 2]), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            (out[0].severity, out[0].kind),
            (Severity::Warning, Kind::IdentityBroken)
        );
        assert_eq!(
            out[0].loc.to_string(),
            "input/2024-Q2/mot-cua.xlsx › Hồ sơ TTHC › C8"
        );
    }
}
