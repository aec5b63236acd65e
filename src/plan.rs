//! The plan (`input/ke-hoach.md`): TOML front matter between `+++` lines, then the Markdown
//! body. From it come the plan's metadata, its sections, the tasks of its appendices (codes
//! `PL1.<n>` and `PL2.<group>.<n>`, lead and partner units resolved against `cchc.toml`, the
//! deadline phrase and its class) and the index table of section II.
//!
//! The reader is pure: `parse(text, file name, &Config)`.

use crate::config::Config;
use crate::finding::{Finding, Kind, Loc};
use crate::period::Deadline;
use crate::vn;
use chrono::NaiveDate;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub file: String,
    pub meta: PlanMeta,
    /// The Markdown body without the front matter (what `cchc plan` renders).
    pub body: String,
    /// Line of the file where `body` starts (1-based).
    pub body_line: usize,
    /// Level-1 headings of the body before the appendices ("I. MỤC ĐÍCH, YÊU CẦU").
    pub sections: Vec<PlanSection>,
    pub appendices: Vec<PlanAppendix>,
    /// Group rows of the appendices ("I | Tiêu chí: Tiếp cận dịch vụ").
    pub groups: Vec<TaskGroup>,
    pub tasks: Vec<Task>,
    pub index: Option<IndexTable>,
}

/// The front matter.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanMeta {
    /// "KẾ HOẠCH"
    pub loai: String,
    /// "104/KH-UBND"
    pub so: String,
    #[serde(deserialize_with = "de_date")]
    pub ngay: NaiveDate,
    pub nam: i32,
    pub trich_yeu: String,
    #[serde(default)]
    pub noi_nhan: Vec<String>,
    pub ky: crate::config::Signer,
}

const META_REQUIRED: [crate::config::Required; 7] = [
    ("", "so", "số, ký hiệu của kế hoạch, ví dụ \"25/KH-UBND\""),
    ("", "ngay", "ngày ban hành, ví dụ \"28/3/2025\""),
    ("", "nam", "năm của kế hoạch, ví dụ 2025"),
    ("", "trich_yeu", "trích yếu của kế hoạch"),
    ("ky", "quyen_han", "thẩm quyền ký, ví dụ \"KT. CHỦ TỊCH\""),
    ("ky", "chuc_vu", "chức vụ người ký, ví dụ \"PHÓ CHỦ TỊCH\""),
    ("ky", "ho_ten", "họ tên người ký"),
];

impl PlanMeta {
    /// Stands in for front matter with blanks while the body is read for its own findings;
    /// such a plan is never returned.
    fn placeholder() -> PlanMeta {
        PlanMeta {
            loai: String::new(),
            so: String::new(),
            ngay: NaiveDate::MIN,
            nam: 0,
            trich_yeu: String::new(),
            noi_nhan: Vec::new(),
            ky: crate::config::Signer {
                quyen_han: String::new(),
                chuc_vu: String::new(),
                ho_ten: String::new(),
            },
        }
    }
}

/// A date written as a TOML date (`ngay = 2024-03-28`) or as text ("28/3/2024").
fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    use serde::de::Error;
    let v = toml::Value::deserialize(d)?;
    let text = match &v {
        toml::Value::Datetime(dt) => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        other => return Err(D::Error::custom(format!("ngày không hợp lệ: {other}"))),
    };
    crate::vn::parse_date(&text).ok_or_else(|| {
        D::Error::custom(format!(
            "ngày \"{text}\" không hợp lệ: cần dạng 2024-03-28 hoặc 28/3/2024"
        ))
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSection {
    pub title: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanAppendix {
    /// 1 for "PHỤ LỤC I".
    pub number: u32,
    pub label: String,
    pub title: String,
    pub reference: String,
    /// Whether its table has the "Yêu cầu" column.
    pub has_requirement: bool,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskGroup {
    pub appendix: u32,
    /// Roman numeral as printed: "III".
    pub numeral: String,
    pub title: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Task {
    /// "PL1.12", "PL2.III.4"
    pub code: String,
    pub appendix: u32,
    pub group: Option<String>,
    pub number: u32,
    /// The task as the plan words it; lines of the cell separated by "\n".
    pub text: String,
    pub lead_text: String,
    pub partner_text: String,
    /// Unit codes found in the lead cell.
    pub leads: Vec<String>,
    /// Unit codes found in the partner cell.
    pub partners: Vec<String>,
    pub requirement: Option<String>,
    pub deadline_text: String,
    pub deadline: Deadline,
    pub line: usize,
}

/// The index table of section II.1 ("Kết quả Chỉ số CCHC ... theo 08 nội dung").
#[derive(Debug, Clone, Serialize)]
pub struct IndexTable {
    pub rows: Vec<IndexRow>,
    /// The total row as the plan states it, if any.
    pub stated_total: Option<StatedScore>,
    /// The header of the change column ("Tăng/giảm so với năm 2023").
    pub change_header: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndexRow {
    pub number: String,
    pub name: String,
    /// Score and maximum in hundredths of a point.
    pub score: i64,
    pub max: i64,
    /// The stated change in hundredths, when it parses ("+ 02 điểm" -> 200).
    pub change: Option<i64>,
    pub change_text: String,
    pub line: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatedScore {
    pub score: i64,
    pub max: i64,
    pub text: String,
    pub change_text: String,
    pub line: usize,
}

/// Parses the plan. Structural problems (no front matter, a task table without its required
/// columns, a task row without a number) are errors; unknown units are warnings.
pub fn parse(src: &str, file: &str, config: &Config) -> (Option<Plan>, Vec<Finding>) {
    let mut findings = Vec::new();
    let at = |line: usize| Loc::Line {
        file: file.to_string(),
        line,
    };
    let src = vn::nfc(src.strip_prefix('\u{feff}').unwrap_or(src));
    let Some((front, body, body_line)) = split_front_matter(&src) else {
        findings.push(Finding::error(
            Kind::FrontMatterMissing,
            at(1),
            "thiếu phần đầu (front matter) của kế hoạch: tệp phải bắt đầu bằng một dòng +++, \
             các khóa loai, so, ngay, nam, trich_yeu, [ky], rồi một dòng +++",
        ));
        return (None, findings);
    };
    let unreadable = |e: toml::de::Error| {
        let line = e
            .span()
            .map(|s| front[..s.start.min(front.len())].lines().count().max(1) + 1);
        Finding::error(
            Kind::FrontMatterUnreadable,
            at(line.unwrap_or(1)),
            format!(
                "phần đầu của kế hoạch không đọc được: {}",
                crate::config::toml_message(&e)
            ),
        )
    };
    let table: toml::Table = match toml::from_str(front) {
        Ok(t) => t,
        Err(e) => {
            findings.push(unreadable(e));
            return (None, findings);
        }
    };
    // A plan as `cchc init` writes it: every blank is said at its line, and the body is still
    // read so that the office learns in one run what else is missing (its tasks).
    let blanks = crate::config::blanks(front, &table, &META_REQUIRED);
    for b in &blanks {
        findings.push(Finding::error(
            Kind::Blank,
            at(b.line.map_or(1, |l| l + 1)),
            format!("phần đầu của kế hoạch: chưa điền {}: {}", b.key, b.what),
        ));
    }
    let meta: PlanMeta = if blanks.is_empty() {
        match toml::from_str(front) {
            Ok(m) => m,
            Err(e) => {
                findings.push(unreadable(e));
                return (None, findings);
            }
        }
    } else {
        PlanMeta::placeholder()
    };
    // Line starts once, then a binary search per offset: counting the newlines before each
    // of 20 000 task rows took 7 s.
    let breaks: Vec<usize> = body
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of =
        |offset: usize| body_line + breaks.partition_point(|&b| b < offset.min(body.len()));
    // A comment left open runs to the end of the file in Markdown: every table after it, and
    // so every task, would vanish, and each workbook row would then be "an unknown code". One
    // error at the comment instead, and nothing read after it.
    let mut from = 0;
    while let Some(open) = body[from..].find("<!--").map(|i| from + i) {
        let rest = &body[open + 4..];
        // Another comment opening before this one closes means this one was left open (the
        // other's "-->" would end it, swallowing everything between).
        let close = rest
            .find("-->")
            .filter(|c| rest.find("<!--").is_none_or(|o| o > *c));
        match close {
            Some(close) => from = open + 4 + close + 3,
            None => {
                findings.push(
                    Finding::error(
                        Kind::UnclosedComment,
                        at(line_of(open)),
                        "chú thích \"<!--\" mở ở dòng này nhưng không có \"-->\" đóng lại: mọi \
                         nội dung sau nó (các mục, Phụ lục I, II) sẽ bị bỏ qua",
                    )
                    .with_hint("thêm \"-->\" vào cuối chú thích"),
                );
                return (None, findings);
            }
        }
    }

    let mut plan = Plan {
        file: file.to_string(),
        meta,
        body: body.to_string(),
        body_line,
        sections: Vec::new(),
        appendices: Vec::new(),
        groups: Vec::new(),
        tasks: Vec::new(),
        index: None,
    };

    for item in scan(body) {
        match item {
            Item::Html { found, offset } => findings.push(Finding::error(
                Kind::UnsupportedHtml,
                at(line_of(offset)),
                crate::doc::unsupported_html(&found),
            )),
            Item::Heading {
                level,
                text,
                offset,
            } => {
                let line = line_of(offset);
                let k = vn::fold(&text);
                if level == 1 && k.starts_with("phu luc") {
                    let numeral = text.split_whitespace().nth(2).unwrap_or("");
                    let number = vn::parse_roman(numeral)
                        .or_else(|| numeral.parse().ok())
                        .unwrap_or(plan.appendices.len() as u32 + 1);
                    plan.appendices.push(PlanAppendix {
                        number,
                        label: text,
                        title: String::new(),
                        reference: String::new(),
                        has_requirement: false,
                        line,
                    });
                } else if let Some(app) = plan.appendices.last_mut() {
                    if app.title.is_empty() {
                        app.title = text;
                    }
                } else if level == 1 {
                    plan.sections.push(PlanSection { title: text, line });
                }
            }
            Item::Paragraph { text, .. } => {
                if let Some(app) = plan.appendices.last_mut() {
                    let t = text.trim();
                    if app.reference.is_empty() && t.starts_with('(') {
                        app.reference = t.to_string();
                    }
                }
            }
            Item::Table {
                header,
                rows,
                offset,
            } => {
                let line = line_of(offset);
                let rows: Vec<(usize, Vec<String>)> =
                    rows.into_iter().map(|(o, r)| (line_of(o), r)).collect();
                match plan.appendices.last_mut() {
                    Some(app) => {
                        let n = app.number;
                        read_task_table(
                            n,
                            &header,
                            &rows,
                            line,
                            file,
                            config,
                            &mut plan,
                            &mut findings,
                        );
                    }
                    None => {
                        if plan.index.is_none() && is_index_header(&header) {
                            plan.index =
                                Some(read_index_table(&header, &rows, line, file, &mut findings));
                        }
                    }
                }
            }
        }
    }
    let limit = config.gioi_han.nhiem_vu_ke_hoach;
    if let Some(first_over) = plan.tasks.get(limit) {
        // Refused before any work: a plan of 20 000 tasks took 4 s and 860 MB to lay out.
        findings.push(Finding::error(
            Kind::TooBig,
            at(first_over.line),
            format!(
                "kế hoạch có {} nhiệm vụ, quá giới hạn {limit} nhiệm vụ ([gioi_han] \
                 nhiem_vu_ke_hoach trong input/cchc.toml); đây là nhiệm vụ thứ {}",
                plan.tasks.len(),
                limit + 1
            ),
        ));
    }
    if plan.tasks.is_empty() {
        findings.push(Finding::error(
            Kind::NoTaskTable,
            at(body_line),
            "kế hoạch không có bảng nhiệm vụ nào: cần mục \"# PHỤ LỤC I\" với bảng STT | Nhiệm vụ \
             | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành",
        ));
    }
    if !blanks.is_empty() {
        return (None, findings);
    }
    (Some(plan), findings)
}

/// Splits `+++` TOML front matter from the body. Returns (front, body, first line of body).
fn split_front_matter(src: &str) -> Option<(&str, &str, usize)> {
    let rest = src.strip_prefix("+++")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..pos];
            let body = &rest[pos + line.len()..];
            let body_line = 2 + front.matches('\n').count() + 1;
            return Some((front, body, body_line));
        }
        pos += line.len();
    }
    None
}

/// A table row: its byte offset and its cells' text.
type Cells = (usize, Vec<String>);

enum Item {
    /// Inline HTML other than `<br>` or a comment.
    Html {
        found: String,
        offset: usize,
    },
    Heading {
        level: u8,
        text: String,
        offset: usize,
    },
    Paragraph {
        text: String,
    },
    Table {
        header: Vec<String>,
        rows: Vec<(usize, Vec<String>)>,
        offset: usize,
    },
}

/// The parts of the body the data side needs: headings, paragraphs and tables as plain text
/// (a `<br>` inside a cell becomes "\n").
fn scan(body: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let parser = Parser::new_ext(body, Options::ENABLE_TABLES).into_offset_iter();
    let mut text = String::new();
    let mut heading: Option<(u8, usize)> = None;
    let mut in_para = false;
    let mut table: Option<(usize, Vec<String>, Vec<Cells>)> = None;
    let mut row: Vec<String> = Vec::new();
    let mut row_offset = 0;
    let mut in_cell = false;
    // A block of markup on its own lines, gathered whole (a comment over several lines comes
    // as one event per line).
    let mut html: Option<(String, usize)> = None;
    for (ev, range) in parser {
        match ev {
            Event::Start(Tag::HtmlBlock) => html = Some((String::new(), range.start)),
            Event::Html(h) => {
                if let Some((block, _)) = html.as_mut() {
                    block.push_str(&h);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((block, offset)) = html.take() {
                    let b = block.trim();
                    let comment = b.starts_with("<!--") && b.ends_with("-->");
                    // Found by the hostile corpus: `check` passed a `<script>` block that
                    // `cchc plan` then refused.
                    if !comment && !crate::doc::is_br(b) {
                        out.push(Item::Html {
                            found: b.lines().next().unwrap_or("").to_string(),
                            offset,
                        });
                    }
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level as u8, range.start));
                text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, offset)) = heading.take() {
                    out.push(Item::Heading {
                        level,
                        text: vn::clean(&text),
                        offset,
                    });
                }
            }
            Event::Start(Tag::Paragraph) if table.is_none() => {
                in_para = true;
                text.clear();
            }
            Event::End(TagEnd::Paragraph) if in_para => {
                in_para = false;
                out.push(Item::Paragraph {
                    text: vn::clean(&text),
                });
            }
            Event::Start(Tag::Table(_)) => table = Some((range.start, Vec::new(), Vec::new())),
            Event::End(TagEnd::Table) => {
                if let Some((offset, header, rows)) = table.take() {
                    out.push(Item::Table {
                        header,
                        rows,
                        offset,
                    });
                }
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                row.clear();
                row_offset = range.start;
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = table.as_mut() {
                    t.1 = std::mem::take(&mut row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut() {
                    t.2.push((row_offset, std::mem::take(&mut row)));
                }
            }
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                text.clear();
            }
            Event::End(TagEnd::TableCell) => {
                in_cell = false;
                let cell: Vec<String> = text.split('\n').map(vn::clean).collect();
                row.push(cell.join("\n").trim().to_string());
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push(if in_cell { '\n' } else { ' ' }),
            // A comment is a note for whoever edits the plan; `<br>` breaks the line.
            Event::InlineHtml(h) if h.trim().starts_with("<!--") && h.trim().ends_with("-->") => {}
            Event::InlineHtml(h) if crate::doc::is_br(h.trim()) => text.push('\n'),
            // Any other markup would vanish from the task's text here but stop the plan's own
            // document (`cchc plan`, `cchc appendix`): it is an error in both.
            Event::InlineHtml(h) => out.push(Item::Html {
                found: h.to_string(),
                offset: range.start,
            }),
            _ => {}
        }
    }
    out
}

fn find_col(header: &[String], names: &[&str]) -> Option<usize> {
    let keys: Vec<String> = header.iter().map(|h| vn::fold(h)).collect();
    names
        .iter()
        .find_map(|n| keys.iter().position(|k| k == n || k.starts_with(n)))
}

#[allow(clippy::too_many_arguments)]
fn read_task_table(
    appendix: u32,
    header: &[String],
    rows: &[(usize, Vec<String>)],
    line: usize,
    file: &str,
    config: &Config,
    plan: &mut Plan,
    findings: &mut Vec<Finding>,
) {
    let at = |line: usize| Loc::Line {
        file: file.to_string(),
        line,
    };
    let stt = find_col(header, &["stt", "tt"]);
    let task = find_col(header, &["nhiem vu", "noi dung"]);
    let lead = find_col(header, &["don vi chu tri", "chu tri"]);
    let partner = find_col(header, &["don vi phoi hop", "phoi hop"]);
    let req = find_col(header, &["yeu cau"]);
    let due = find_col(header, &["thoi gian hoan thanh", "thoi gian", "thoi han"]);
    let (Some(stt), Some(task), Some(lead), Some(due)) = (stt, task, lead, due) else {
        findings.push(Finding::error(
            Kind::ColumnMissing,
            at(line),
            format!(
                "bảng của Phụ lục {} thiếu cột: cần STT, Nhiệm vụ, Đơn vị chủ trì, Thời gian hoàn \
                 thành (có: {})",
                vn::roman(appendix),
                header.join(" | ")
            ),
        ));
        return;
    };
    if let Some(app) = plan.appendices.last_mut() {
        app.has_requirement = req.is_some();
    }
    let mut group: Option<String> = None;
    let cell = |r: &Vec<String>, i: usize| r.get(i).cloned().unwrap_or_default();
    for (row_line, r) in rows {
        let first = cell(r, stt);
        let first = first.trim().trim_end_matches('.');
        if let Some(n) = vn::parse_roman(first) {
            let title = r
                .iter()
                .skip(stt + 1)
                .find(|c| !c.is_empty() && *c != "<")
                .cloned()
                .unwrap_or_default();
            group = Some(vn::roman(n));
            plan.groups.push(TaskGroup {
                appendix,
                numeral: vn::roman(n),
                title,
                line: *row_line,
            });
            continue;
        }
        let Ok(number) = first.parse::<u32>() else {
            if r.iter().all(|c| c.is_empty()) {
                continue;
            }
            findings.push(Finding::error(Kind::TaskWithoutNumber,
                at(*row_line),
                format!("dòng nhiệm vụ không có số thứ tự: cột STT là \"{first}\", cần một số (1, 2, ...) hoặc số La Mã cho dòng nhóm"),
            ));
            continue;
        };
        let code = match (appendix, &group) {
            (1, _) | (_, None) => format!("PL{appendix}.{number}"),
            (_, Some(g)) => format!("PL{appendix}.{g}.{number}"),
        };
        if plan.tasks.iter().any(|t| t.code == code) {
            findings.push(Finding::error(
                Kind::Duplicate,
                at(*row_line),
                format!("mã nhiệm vụ {code} bị trùng trong kế hoạch"),
            ));
            continue;
        }
        let lead_text = cell(r, lead);
        let partner_text = partner.map(|p| cell(r, p)).unwrap_or_default();
        let leads = config.units_in(&lead_text);
        if leads.is_empty() {
            findings.push(Finding::warning(Kind::UnitNotInConfig,
                at(*row_line),
                format!("nhiệm vụ {code}: không nhận ra đơn vị chủ trì \"{lead_text}\" trong danh sách đơn vị của cchc.toml"),
            ).with_hint("thêm tên này vào bi_danh của đơn vị trong input/cchc.toml"));
        }
        let deadline_text = cell(r, due);
        plan.tasks.push(Task {
            code,
            appendix,
            group: group.clone(),
            number,
            text: cell(r, task),
            partners: config.units_in(&partner_text),
            lead_text,
            partner_text,
            leads,
            requirement: req.map(|i| cell(r, i)),
            deadline: Deadline::classify(&deadline_text, plan.meta.nam),
            deadline_text,
            line: *row_line,
        });
    }
}

fn is_index_header(header: &[String]) -> bool {
    find_col(header, &["noi dung"]).is_some() && header.iter().any(|h| vn::fold(h).contains("diem"))
}

fn read_index_table(
    header: &[String],
    rows: &[(usize, Vec<String>)],
    line: usize,
    file: &str,
    findings: &mut Vec<Finding>,
) -> IndexTable {
    let score_col = header
        .iter()
        .position(|h| vn::fold(h).contains("diem"))
        .unwrap_or(2);
    let name_col = find_col(header, &["noi dung"]).unwrap_or(1);
    let change_col = find_col(header, &["tang giam"]).unwrap_or(score_col + 1);
    let mut table = IndexTable {
        rows: Vec::new(),
        stated_total: None,
        change_header: header.get(change_col).cloned().unwrap_or_default(),
        line,
    };
    for (row_line, r) in rows {
        let get = |i: usize| r.get(i).cloned().unwrap_or_default();
        let number = get(0);
        let Some((score, max)) = parse_score_pair(&get(score_col)) else {
            findings.push(Finding::error(
                Kind::BadScore,
                Loc::Line {
                    file: file.to_string(),
                    line: *row_line,
                },
                format!(
                    "điểm \"{}\" không đọc được: cần dạng điểm/điểm tối đa, ví dụ 18/20 hoặc 2,5/3",
                    get(score_col)
                ),
            ));
            continue;
        };
        let change_text = get(change_col);
        if number.trim().is_empty() {
            table.stated_total = Some(StatedScore {
                score,
                max,
                text: get(score_col),
                change_text,
                line: *row_line,
            });
        } else {
            table.rows.push(IndexRow {
                number,
                name: get(name_col),
                score,
                max,
                change: parse_signed_points(&change_text),
                change_text,
                line: *row_line,
            });
        }
    }
    table
}

/// "2,5/3" -> (250, 300) in hundredths.
pub fn parse_score_pair(s: &str) -> Option<(i64, i64)> {
    let (a, b) = s.split_once('/')?;
    Some((parse_hundredths(a)?, parse_hundredths(b)?))
}

/// A decimal with a comma (or point) in hundredths: "95,06" -> 9506, "2.5" -> 250.
pub fn parse_hundredths(s: &str) -> Option<i64> {
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.replace(',', ".");
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r.to_string()),
        None => (false, t.trim_start_matches('+').to_string()),
    };
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    if int.is_empty() && frac.is_empty() || frac.len() > 2 {
        return None;
    }
    if !int.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: i64 = format!("{frac:0<2}").parse().ok()?;
    let v = i * 100 + f;
    Some(if neg { -v } else { v })
}

/// "+ 02 điểm" -> 200, "- 0,5 điểm" -> -50, "0 điểm" -> 0.
pub fn parse_signed_points(s: &str) -> Option<i64> {
    let head = s.split('(').next()?.trim();
    let head = head.trim_end_matches("điểm").trim();
    parse_hundredths(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Plan, Vec<Finding>) {
        let cfg = Config::parse(include_str!("../input/cchc.toml")).unwrap();
        let (p, f) = parse(include_str!("../input/ke-hoach.md"), "ke-hoach.md", &cfg);
        (p.unwrap_or_else(|| panic!("{f:?}")), f)
    }

    #[test]
    fn sample_plan_metadata_and_sections() {
        let (p, f) = sample();
        assert!(f.iter().all(|f| !f.is_error()), "{f:?}");
        assert_eq!(p.meta.so, "104/KH-UBND");
        assert_eq!(p.meta.ngay, NaiveDate::from_ymd_opt(2024, 3, 28).unwrap());
        assert_eq!(p.meta.ky.ho_ten, "Phạm Ngọc Anh");
        let titles: Vec<_> = p
            .sections
            .iter()
            .map(|s| s.title.split('.').next().unwrap())
            .collect();
        assert_eq!(titles, ["I", "II", "III", "IV", "V", "VI"]);
        assert_eq!(p.appendices.len(), 2);
        assert!(p.appendices[0].title.contains("PAR INDES"));
        assert!(p.appendices[1].has_requirement);
        assert!(p.appendices[0].reference.starts_with("(Ban hành kèm theo"));
    }

    #[test]
    fn sample_tasks() {
        let (p, f) = sample();
        let a1: Vec<_> = p.tasks.iter().filter(|t| t.appendix == 1).collect();
        let a2: Vec<_> = p.tasks.iter().filter(|t| t.appendix == 2).collect();
        assert_eq!(a1.len(), 17);
        assert_eq!(a2.len(), 16);
        assert_eq!(p.groups.len(), 5);
        assert_eq!(p.groups[2].title, "Tiêu chí: Công chức giải quyết TTHC");
        let t = |c: &str| p.tasks.iter().find(|t| t.code == c).unwrap();
        assert_eq!(t("PL1.12").leads, ["MC"]);
        assert!(t("PL1.12").text.contains("\n- Tỷ lệ DVC TT mức 3: 50%"));
        assert_eq!(t("PL1.8").leads, ["VP", "MC"]);
        assert_eq!(t("PL1.17").leads, ["VHTT", "CA"]);
        assert_eq!(t("PL1.16").leads, ["VP", "MC"]);
        assert_eq!(
            t("PL1.2").deadline,
            Deadline::Month {
                year: 2024,
                month: 9
            }
        );
        assert_eq!(t("PL2.III.4").leads, ["VP", "MC"]);
        assert_eq!(t("PL2.V.2").leads, ["MC", "TP"]);
        assert_eq!(t("PL2.III.2").deadline, Deadline::OnEvent);
        assert_eq!(
            t("PL2.I.1").requirement.as_deref().unwrap().lines().count(),
            2
        );
        // Every lead is known and every deadline classified in the seed.
        let unknown: Vec<_> = f
            .iter()
            .filter(|f| f.message.contains("không nhận ra"))
            .collect();
        assert!(unknown.is_empty(), "{unknown:?}");
        let unclassified: Vec<_> = p
            .tasks
            .iter()
            .filter(|t| t.deadline == Deadline::Unclassified)
            .map(|t| &t.deadline_text)
            .collect();
        assert!(unclassified.is_empty(), "{unclassified:?}");
    }

    #[test]
    fn sample_index_table() {
        let (p, _) = sample();
        let ix = p.index.unwrap();
        assert_eq!(ix.rows.len(), 8);
        let sum: i64 = ix.rows.iter().map(|r| r.score).sum();
        assert_eq!(sum, 9560);
        let maxes: Vec<i64> = ix.rows.iter().map(|r| r.max / 100).collect();
        assert_eq!(maxes, [20, 3, 16, 10, 6, 10, 5, 30]);
        let total = ix.stated_total.unwrap();
        assert_eq!((total.score, total.max), (9506, 10000));
        assert_eq!(ix.rows[1].change, Some(-50));
        assert_eq!(ix.rows[0].change, Some(200));
    }

    #[test]
    fn numbers_in_the_plan() {
        assert_eq!(parse_hundredths("95,06"), Some(9506));
        assert_eq!(parse_hundredths("2.5"), Some(250));
        assert_eq!(parse_hundredths("abc"), None);
        assert_eq!(parse_hundredths("1,234"), None);
        assert_eq!(
            parse_signed_points("+ 7 điểm (Năm 2022 đạt 88,06 điểm)"),
            Some(700)
        );
        assert_eq!(parse_signed_points("0 điểm"), Some(0));
    }

    #[test]
    fn broken_plans_give_located_errors() {
        let cfg = Config::parse(include_str!("../input/cchc.toml")).unwrap();
        let (p, f) = parse("# Kế hoạch\n", "x.md", &cfg);
        assert!(p.is_none());
        assert!(f[0].is_error() && f[0].loc.to_string() == "x.md:1");
        let front = "+++\nloai = \"KẾ HOẠCH\"\nso = 5\nngay = 2024-01-02\nnam = 2024\ntrich_yeu = \"x\"\n[ky]\nquyen_han = \"TM\"\nchuc_vu = \"CT\"\nho_ten = \"A\"\n+++\n";
        let (_, f) = parse(front, "x.md", &cfg);
        assert!(f[0].is_error());
        assert_eq!(f[0].loc.to_string(), "x.md:3");
        // Keys left out are said with the others, at the front matter's first line.
        let (_, f) = parse("+++\nloai = \"KẾ HOẠCH\"\nso = \"\"\n+++\n", "x.md", &cfg);
        let said: Vec<String> = f.iter().map(|f| f.to_string()).collect();
        assert!(
            said[0].contains("x.md:3") && said[0].contains("chưa điền so"),
            "{said:?}"
        );
        assert!(
            said.iter().any(|s| s.contains("chưa điền [ky] ho_ten")),
            "{said:?}"
        );
        let src = "+++\nloai = \"KH\"\nso = \"1/KH\"\nngay = 2024-01-02\nnam = 2024\ntrich_yeu = \"x\"\n[ky]\nquyen_han = \"TM\"\nchuc_vu = \"CT\"\nho_ten = \"A\"\n+++\n\n# PHỤ LỤC I\n\n## T\n\n| STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n| 1 | Việc | Phòng Không Có | Sớm |\n| x | Việc | VP | Thường xuyên |\n";
        let (p, f) = parse(src, "x.md", &cfg);
        let p = p.unwrap();
        assert_eq!(p.tasks.len(), 1);
        assert_eq!(p.tasks[0].deadline, Deadline::Unclassified);
        let msgs: Vec<String> = f.iter().map(|f| f.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("cảnh báo: x.md:19: nhiệm vụ PL1.1: không nhận ra")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("lỗi: x.md:20: dòng nhiệm vụ không có số thứ tự")),
            "{msgs:?}"
        );
    }
}
