//! Render: the report data through tera templates (Markdown bodies with a small `+++` TOML
//! front matter) into a [`Document`] wrapped in the official frame of Decree 30/2020/NĐ-CP.
//!
//! The frame (header block, title, signature and recipients, appendix titles) is built here
//! from the office settings and the template's front matter, never written in templates. Pure:
//! templates arrive as text ([`Templates::with_overrides`]), the result is a value.
//!
//! # Templates
//! Built in: `bao-cao-quy.md` (the report), `phu-luc-I.md`, `phu-luc-II.md`, `phu-luc-III.md`.
//! A workspace file with the same name replaces a built-in one; other files can be
//! `{% include %}`d. Front matter keys:
//! - report: `loai` ("BÁO CÁO"), `ky_hieu` ("BC"), `trich_yeu` (tera allowed; a line break
//!   starts a new title line), `phu_luc` (the appendix templates, in order);
//! - appendix: `nhan` ("PHỤ LỤC I"), `tieu_de` (tera allowed, printed upper case), `huong`
//!   ("ngang" landscape, "doc" portrait).
//!
//! The body sees the [`ReportData`] fields at the top level (`period`, `plan`, `units`,
//! `tasks`, `one_stop`, ...) plus `van_ban` (`so`: "12/BC-UBND" or "     /BC-UBND", `nhap`,
//! `ngay`: "ngày 05 tháng 6 năm 2024", `ngay_iso`, `loai`, `ky_hieu`, `trich_yeu`), `ky` (the
//! signer) and `phu_luc` (`nhan`, `so`, `tieu_de`, `ten` of every appendix, in order). From the
//! settings, each unit also has `tong_hop` and `mot_cua`, and each task `chu_tri` (the names of
//! the units leading it). Filters: see [`filters`].

pub mod filters;
mod limits;
pub mod plan;

use crate::config::Config;
use crate::doc::{
    AppendixTitle, Block, Document, HeaderBlock, Meta, Orientation, PageStyle, Section,
    SignatureBlock, TitleBlock, from_markdown,
};
use crate::report::ReportData;
use crate::vn;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt;
use tera::{Context, Tera};

/// What the command line decides: the document number (none: left blank), its date, and
/// whether it is a draft (number left blank whatever was given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    pub number: Option<u32>,
    pub date: NaiveDate,
    pub draft: bool,
    /// A draft nobody dated: the day and month are left blank for the signer ("ngày     tháng
    /// năm 2024", the year of `date`), as a draft printed for comments is, rather than dated
    /// the day it was printed.
    pub blank_date: bool,
}

/// A template that could not be read or filled: the file, the line in it when known, and what
/// went wrong, in Vietnamese. Displays as "bao-cao-quy.md:12: ...".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub template: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.template, l, self.message),
            None => write!(f, "{}: {}", self.template, self.message),
        }
    }
}

impl std::error::Error for RenderError {}

/// The built-in appendices of the quarterly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppendixKind {
    /// Phụ lục I: the PAR INDEX tasks (the plan's Appendix I).
    Tasks1,
    /// Phụ lục II: the SIPAS tasks (the plan's Appendix II), grouped by tiêu chí.
    Tasks2,
    /// Phụ lục III: the one-stop dossiers (Biểu 06) with the plan's splits.
    OneStop,
}

impl AppendixKind {
    pub const ALL: [AppendixKind; 3] = [
        AppendixKind::Tasks1,
        AppendixKind::Tasks2,
        AppendixKind::OneStop,
    ];
    /// The template's file name: "phu-luc-I.md".
    pub fn template(self) -> &'static str {
        match self {
            AppendixKind::Tasks1 => "phu-luc-I.md",
            AppendixKind::Tasks2 => "phu-luc-II.md",
            AppendixKind::OneStop => "phu-luc-III.md",
        }
    }
}

/// The report template's file name.
pub const REPORT_TEMPLATE: &str = "bao-cao-quy.md";

const BUILTIN: [(&str, &str); 4] = [
    (
        REPORT_TEMPLATE,
        include_str!("render/templates/bao-cao-quy.md"),
    ),
    (
        "phu-luc-I.md",
        include_str!("render/templates/phu-luc-I.md"),
    ),
    (
        "phu-luc-II.md",
        include_str!("render/templates/phu-luc-II.md"),
    ),
    (
        "phu-luc-III.md",
        include_str!("render/templates/phu-luc-III.md"),
    ),
];

/// Front matter keys (all optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    loai: Option<String>,
    ky_hieu: Option<String>,
    trich_yeu: Option<String>,
    phu_luc: Option<Vec<String>>,
    nhan: Option<String>,
    tieu_de: Option<String>,
    huong: Option<String>,
}

#[derive(Debug, Clone)]
struct Template {
    front: FrontMatter,
    body: String,
    /// Lines of the file before the body (the front matter and its fences).
    body_offset: usize,
    /// The line of each front matter key (for errors in `trich_yeu`, `tieu_de`).
    key_lines: BTreeMap<String, usize>,
}

/// The templates in use: the built-in ones, each possibly replaced by a workspace file.
pub struct Templates {
    tera: Tera,
    files: BTreeMap<String, Template>,
    /// Files of `templates/` that no template uses: neither a built-in name they replace, nor
    /// named by another template (its `phu_luc` list, an include).
    unused: Vec<String>,
}

impl Templates {
    /// The built-in templates.
    pub fn builtin() -> Templates {
        Templates::with_overrides(Vec::new()).expect("the built-in templates are valid")
    }

    /// The built-in templates, with `files` (file name, content) replacing those of the same
    /// name and adding others (for `{% include %}`).
    pub fn with_overrides(files: Vec<(String, String)>) -> Result<Templates, RenderError> {
        let mut sources: BTreeMap<String, String> = BUILTIN
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let added: Vec<String> = files
            .iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !BUILTIN.iter().any(|(b, _)| b == n))
            .collect();
        for (name, text) in files {
            sources.insert(name, text);
        }
        let unused = added
            .into_iter()
            .filter(|n| {
                let quoted = [format!("\"{n}\""), format!("'{n}'")];
                !sources
                    .iter()
                    .any(|(other, text)| other != n && quoted.iter().any(|q| text.contains(q)))
            })
            .collect();
        let mut parsed = BTreeMap::new();
        let mut raw: Vec<(String, String)> = Vec::new();
        for (name, text) in &sources {
            let t = split_front_matter(name, &vn::nfc(text))?;
            raw.push((name.clone(), t.body.clone()));
            for (key, value) in [
                ("trich_yeu", &t.front.trich_yeu),
                ("tieu_de", &t.front.tieu_de),
            ] {
                if let Some(v) = value {
                    raw.push((format!("{name}#{key}"), v.clone()));
                }
            }
            parsed.insert(name.clone(), t);
        }
        let mut tera = Tera::default();
        filters::register(&mut tera);
        if let Err(e) = tera.add_raw_templates(raw.iter().map(|(n, s)| (n.as_str(), s.as_str()))) {
            return Err(parse_error(&e, &parsed));
        }
        limits::check(&tera, &parsed)?;
        Ok(Templates {
            tera,
            files: parsed,
            unused,
        })
    }

    /// Files of `templates/` that cchc will not use, with the names it does use, for a warning
    /// (a misspelt "bao-cao-quy.md" would otherwise be ignored without a word).
    pub fn unused(&self) -> (&[String], Vec<&'static str>) {
        (&self.unused, BUILTIN.iter().map(|(n, _)| *n).collect())
    }

    fn get(&self, name: &str) -> Result<&Template, RenderError> {
        self.files.get(name).ok_or_else(|| RenderError {
            template: name.to_string(),
            line: None,
            message: "không có mẫu này (cần tệp cùng tên trong thư mục templates/)".into(),
        })
    }
}

/// Splits `+++` TOML front matter from the body.
fn split_front_matter(name: &str, text: &str) -> Result<Template, RenderError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "+++" {
        return Ok(Template {
            front: FrontMatter::default(),
            body: text.to_string(),
            body_offset: 0,
            key_lines: BTreeMap::new(),
        });
    }
    let mut toml_src = String::new();
    let mut offset = first.len();
    let mut n = 1;
    let mut closed = false;
    for line in lines {
        offset += line.len();
        n += 1;
        if line.trim_end() == "+++" {
            closed = true;
            break;
        }
        toml_src.push_str(line);
    }
    if !closed {
        return Err(RenderError {
            template: name.to_string(),
            line: Some(1),
            message: "phần đầu mở bằng +++ nhưng không có dòng +++ đóng lại".into(),
        });
    }
    let front: FrontMatter = toml::from_str(&toml_src).map_err(|e| RenderError {
        template: name.to_string(),
        line: e.span().map(|s| {
            2 + toml_src[..s.start.min(toml_src.len())]
                .matches('\n')
                .count()
        }),
        message: format!(
            "phần đầu (+++) không đọc được: {}",
            crate::config::toml_message(&e)
        ),
    })?;
    let key_lines = toml_src
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let (k, _) = l.split_once('=')?;
            let k = k.trim();
            (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| (k.to_string(), i + 2))
        })
        .collect();
    Ok(Template {
        front,
        body: text[offset..].to_string(),
        body_offset: n,
        key_lines,
    })
}

/// A tera parse error: the template (body or front matter key) and the line of " --> l:c".
fn parse_error(e: &tera::Error, files: &BTreeMap<String, Template>) -> RenderError {
    let chain = error_chain(e);
    let top = chain.first().cloned().unwrap_or_default();
    // "Failed to parse \"name\"" / "Failed to parse 'name'"
    let name = top.split(['"', '\'']).nth(1).unwrap_or("").to_string();
    let (file, key) = match name.split_once('#') {
        Some((f, k)) => (f.to_string(), Some(k.to_string())),
        None => (name.clone(), None),
    };
    let detail = chain.get(1..).unwrap_or_default().join("\n");
    let local = detail.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix("-->")?;
        rest.trim().split(':').next()?.parse::<usize>().ok()
    });
    let expected = detail
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .map(str::to_string)
        .unwrap_or_else(|| detail.lines().last().unwrap_or("").trim().to_string());
    let line = match (&key, files.get(&file)) {
        (None, Some(t)) => local.map(|l| t.body_offset + l),
        (Some(k), Some(t)) => t.key_lines.get(k.as_str()).copied(),
        _ => None,
    };
    RenderError {
        template: if file.is_empty() {
            "(mẫu)".into()
        } else {
            file
        },
        line,
        message: match key {
            Some(k) => format!("`{k}`: lỗi cú pháp tera: {expected}"),
            None => format!("lỗi cú pháp tera: {expected}"),
        },
    }
}

fn error_chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        out.push(s.to_string());
        src = s.source();
    }
    out
}

/// A tera render error, located as well as tera allows (tera 1 gives no line for render
/// errors: the line is where the offending variable or filter first appears).
fn render_error(e: &tera::Error, name: &str, t: &Template, key: Option<&str>) -> RenderError {
    let chain = error_chain(e);
    let inner: Vec<&String> = chain.iter().skip(1).collect();
    let last = inner
        .last()
        .map(|s| s.as_str())
        .unwrap_or(chain[0].as_str());
    let ticked = |s: &str| s.split('`').nth(1).map(str::to_string);
    let mut needle = None;
    let message = if let Some(var) = inner
        .iter()
        .find(|s| s.contains("not found in context"))
        .and_then(|s| ticked(s))
    {
        needle = Some(var.clone());
        format!("không có biến `{var}` trong dữ liệu báo cáo")
    } else if let Some(f) = inner
        .iter()
        .find(|s| s.starts_with("Filter call"))
        .and_then(|s| s.split('\'').nth(1).map(str::to_string))
    {
        needle = Some(f.clone());
        format!("bộ lọc `{f}`: {last}")
    } else if let Some(f) = inner
        .iter()
        .find(|s| s.contains("Filter") && s.contains("not found"))
        .and_then(|s| ticked(s))
    {
        needle = Some(f.clone());
        format!("không có bộ lọc `{f}`")
    } else {
        format!(
            "lỗi khi điền dữ liệu: {}",
            inner
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(": ")
        )
    };
    let line = match key {
        Some(k) => t.key_lines.get(k).copied(),
        None => needle.and_then(|n| {
            t.body
                .lines()
                .position(|l| l.contains(&n))
                .map(|i| t.body_offset + i + 1)
        }),
    };
    RenderError {
        template: name.to_string(),
        line,
        message: match key {
            Some(k) => format!("`{k}`: {message}"),
            None => message,
        },
    }
}

/// The template line that most likely produced line `line` (1-based) of `rendered`: the line
/// whose literal text (outside `{{ }}`, `{% %}`, `{# #}`) appears, in order, in the rendered
/// line, preferring the most literal text.
fn map_line(body: &str, rendered: &str, line: usize) -> Option<usize> {
    let target = rendered.lines().nth(line.checked_sub(1)?)?.trim();
    if target.is_empty() {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    for (i, tl) in body.lines().enumerate() {
        let pieces = literals(tl);
        if pieces.is_empty() {
            continue;
        }
        let mut pos = 0;
        let mut score = 0;
        let mut ok = true;
        for p in &pieces {
            match target[pos..].find(p.as_str()) {
                Some(at) => {
                    pos += at + p.len();
                    score += p.len();
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, i + 1));
        }
    }
    best.map(|(_, l)| l)
}

/// The literal pieces of a template line.
fn literals(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    loop {
        let next = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|o| rest.find(o).map(|i| (i, *o)))
            .min();
        let Some((i, open)) = next else {
            break;
        };
        out.push(rest[..i].to_string());
        let close = match open {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        match rest[i + 2..].find(close) {
            Some(j) => rest = &rest[i + 2 + j + 2..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push(rest.to_string());
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The parts of the frame that do not depend on the template.
struct Frame<'a> {
    config: &'a Config,
    opts: &'a RenderOptions,
}

impl Frame<'_> {
    /// "12/BC-UBND", "05/BC-UBND", or "     /BC-UBND" for a draft or no number (after "Số: "
    /// that gives the blank of the decree, "Số:      /BC-UBND").
    fn number(&self, ky_hieu: &str) -> String {
        let issuer = &self.config.co_quan.ky_hieu;
        match self.opts.number {
            Some(n) if !self.opts.draft => format!("{n:02}/{ky_hieu}-{issuer}"),
            _ => format!("     /{ky_hieu}-{issuer}"),
        }
    }
    fn date_long(&self) -> String {
        if self.opts.blank_date {
            format!("ngày      tháng      năm {}", self.opts.date.year())
        } else {
            vn::date_long(self.opts.date)
        }
    }
    fn header(&self, ky_hieu: &str) -> HeaderBlock {
        header_block(self.config, &self.number(ky_hieu), &self.date_long())
    }
    fn signature(&self) -> SignatureBlock {
        signature_block(&self.config.noi_nhan, &self.config.ky)
    }
}

/// The header block of a document numbered `number` ("12/BC-UBND", after "Số: ") and dated
/// `date`, issued by the office of `config` (shared by the report and `cchc plan`).
fn header_block(config: &Config, number: &str, date_long: &str) -> HeaderBlock {
    let cq = &config.co_quan;
    HeaderBlock {
        parent: Some(vn::upper(cq.chu_quan.trim())).filter(|s| !s.is_empty()),
        issuer: cq.ban_hanh.iter().map(|s| vn::upper(s)).collect(),
        number: format!("Số: {number}"),
        motto: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
        motto_sub: "Độc lập - Tự do - Hạnh phúc".into(),
        place_date: vn::nfc(&format!("{}, {date_long}", cq.dia_danh)),
    }
}

/// Tên loại (upper case) and the trích yếu, one title line per line of `trich_yeu`.
fn title_block(loai: &str, trich_yeu: &str) -> TitleBlock {
    TitleBlock {
        kind: vn::upper(loai.trim()),
        summary: summary_lines(trich_yeu),
    }
}

/// The trích yếu's lines as the author broke them, cleaned, empty ones dropped.
fn summary_lines(trich_yeu: &str) -> Vec<String> {
    trich_yeu
        .lines()
        .map(vn::clean)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Nơi nhận (each "- ...") and the signature of `ky`.
fn signature_block(noi_nhan: &[String], ky: &crate::config::Signer) -> SignatureBlock {
    SignatureBlock {
        recipients: noi_nhan
            .iter()
            .map(|r| vn::nfc(&format!("- {}", r.trim_start_matches(['-', ' ']))))
            .collect(),
        authority: [&ky.quyen_han, &ky.chuc_vu]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| vn::upper(s.trim()))
            .collect(),
        signer: vn::nfc(&ky.ho_ten),
    }
}

/// An appendix title: `label` ("PHỤ LỤC I"), the title's lines upper-cased, and the reference
/// line ("(Kèm theo ...)") as given.
fn appendix_title_block(label: &str, title: &str, reference: &str) -> AppendixTitle {
    AppendixTitle {
        label: vn::upper(label.trim()),
        title: title
            .lines()
            .map(|l| vn::upper(&vn::clean(l)))
            .filter(|l| !l.is_empty())
            .collect(),
        reference: vn::nfc(reference.trim()),
    }
}

/// "BÁO CÁO" -> "Báo cáo", "PHỤ LỤC II" -> "Phụ lục II" (a final Roman numeral stays).
fn sentence_case(s: &str) -> String {
    let s = s.trim();
    if let Some((head, last)) = s.rsplit_once(' ')
        && vn::parse_roman(last).is_some()
    {
        return format!("{} {last}", sentence_case(head));
    }
    let lower = s.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(c) => vn::nfc(&(c.to_uppercase().collect::<String>() + chars.as_str())),
        None => String::new(),
    }
}

/// "Kết quả ..." -> "kết quả ..." (to follow "Báo cáo ").
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// An appendix as the report's front matter lists it, with its front matter filled.
struct AppendixHead {
    file: String,
    /// "PHỤ LỤC I"
    label: String,
    /// The title as written (tera filled), before upper-casing; lines as the author broke them.
    title: String,
    orientation: Orientation,
}

/// Everything both entry points share: the frame, the filled front matter and the context.
struct Renderer<'a> {
    t: &'a Templates,
    frame: Frame<'a>,
    /// "BÁO CÁO"
    loai: String,
    /// "12/BC-UBND" or "      /BC-UBND"
    number: String,
    /// Trích yếu lines.
    summary: Vec<String>,
    appendices: Vec<AppendixHead>,
    context: Context,
}

impl<'a> Renderer<'a> {
    fn new(
        data: &ReportData,
        config: &'a Config,
        opts: &'a RenderOptions,
        t: &'a Templates,
    ) -> Result<Renderer<'a>, RenderError> {
        let frame = Frame { config, opts };
        let report = t.get(REPORT_TEMPLATE)?;
        let loai = vn::upper(report.front.loai.as_deref().unwrap_or("BÁO CÁO").trim());
        let ky_hieu = report.front.ky_hieu.clone().unwrap_or_else(|| "BC".into());
        let number = frame.number(&ky_hieu);
        let mut value = serde_json::to_value(data).map_err(|e| RenderError {
            template: REPORT_TEMPLATE.into(),
            line: None,
            message: format!("dữ liệu báo cáo không chuyển được: {e}"),
        })?;
        let Value::Object(map) = &mut value else {
            unreachable!("ReportData serialises to an object")
        };
        map.insert(
            "van_ban".into(),
            json!({
                "so": number,
                "nhap": opts.draft || opts.number.is_none(),
                "ngay": frame.date_long(),
                "ngay_iso": opts.date.format("%Y-%m-%d").to_string(),
                "loai": loai,
                "ten_loai": sentence_case(&loai),
                "ky_hieu": ky_hieu,
                "trich_yeu": "",
            }),
        );
        map.insert(
            "ky".into(),
            serde_json::to_value(&config.ky).unwrap_or(Value::Null),
        );
        map.insert("phu_luc".into(), Value::Array(Vec::new()));
        let mut r = Renderer {
            t,
            frame,
            loai,
            number,
            summary: Vec::new(),
            appendices: Vec::new(),
            context: Context::from_value(value).map_err(|e| RenderError {
                template: REPORT_TEMPLATE.into(),
                line: None,
                message: format!("dữ liệu báo cáo không chuyển được: {e}"),
            })?,
        };

        // Trích yếu.
        let trich_yeu = match &report.front.trich_yeu {
            Some(_) => r.fill(REPORT_TEMPLATE, Some("trich_yeu"))?,
            None => format!(
                "Kết quả thực hiện công tác cải cách hành chính {}",
                data.period.name
            ),
        };
        r.summary = summary_lines(&trich_yeu);
        let one_line = r.summary.join(" ");

        // Appendices: labels, orientation, titles.
        let files = report.front.phu_luc.clone().unwrap_or_else(|| {
            AppendixKind::ALL
                .iter()
                .map(|k| k.template().to_string())
                .collect()
        });
        for (i, file) in files.iter().enumerate() {
            let tpl = t.get(file)?;
            let label = tpl
                .front
                .nhan
                .clone()
                .unwrap_or_else(|| format!("PHỤ LỤC {}", vn::roman(i as u32 + 1)));
            let orientation = match tpl.front.huong.as_deref().map(vn::fold).as_deref() {
                None | Some("ngang") => Orientation::Landscape,
                Some("doc") => Orientation::Portrait,
                Some(other) => {
                    return Err(RenderError {
                        template: file.clone(),
                        line: tpl.key_lines.get("huong").copied(),
                        message: format!(
                            "huong = \"{other}\": cần \"ngang\" (trang ngang) hoặc \"doc\" (trang dọc)"
                        ),
                    });
                }
            };
            let title = match &tpl.front.tieu_de {
                Some(_) => r.fill(file, Some("tieu_de"))?,
                None => String::new(),
            };
            r.appendices.push(AppendixHead {
                file: file.clone(),
                label: vn::upper(label.trim()),
                title,
                orientation,
            });
        }
        let list: Vec<Value> = r
            .appendices
            .iter()
            .map(|h| {
                json!({
                    "nhan": h.label,
                    "so": h.label.rsplit(' ').next().unwrap_or(""),
                    "tieu_de": vn::clean(&h.title),
                    "ten": h.file.trim_end_matches(".md"),
                })
            })
            .collect();
        r.context.insert("phu_luc", &list);
        let mut van_ban = r.context.get("van_ban").cloned().unwrap_or(Value::Null);
        if let Value::Object(m) = &mut van_ban {
            m.insert("trich_yeu".into(), Value::String(one_line));
        }
        r.context.insert("van_ban", &van_ban);
        Ok(r)
    }

    /// Renders a template body (`key` None) or one of its front matter strings.
    fn fill(&self, file: &str, key: Option<&str>) -> Result<String, RenderError> {
        let tpl = self.t.get(file)?;
        let name = match key {
            Some(k) => format!("{file}#{k}"),
            None => file.to_string(),
        };
        let out = self
            .t
            .tera
            .render(&name, &self.context)
            .map_err(|e| render_error(&e, file, tpl, key))?;
        if out.len() > limits::MAX_OUTPUT {
            return Err(RenderError {
                template: file.to_string(),
                line: None,
                message: format!(
                    "mẫu tạo ra {} MB chữ, quá giới hạn {} MB của một văn bản",
                    out.len() / (1024 * 1024),
                    limits::MAX_OUTPUT / (1024 * 1024)
                ),
            });
        }
        Ok(vn::into_nfc(out))
    }

    /// A template body as blocks; Markdown errors located in the template.
    fn body(&self, file: &str) -> Result<Vec<Block>, RenderError> {
        let tpl = self.t.get(file)?;
        let md = self.fill(file, None)?;
        from_markdown(&md).map_err(|e| {
            let text = md
                .lines()
                .nth(e.line.saturating_sub(1))
                .unwrap_or("")
                .trim();
            let text: String = text.chars().take(80).collect();
            let line = map_line(&tpl.body, &md, e.line).map(|l| tpl.body_offset + l);
            RenderError {
                template: file.to_string(),
                line,
                message: format!(
                    "{} (dòng {} của văn bản sau khi điền dữ liệu: «{}»)",
                    e.message, e.line, text
                ),
            }
        })
    }

    fn appendix_title(&self, h: &AppendixHead) -> AppendixTitle {
        let cq = &self.frame.config.co_quan;
        appendix_title_block(
            &h.label,
            &h.title,
            &format!(
                "(Kèm theo {} số {} {} của {})",
                sentence_case(&self.loai),
                self.number,
                self.frame.date_long(),
                cq.ten_ngan
            ),
        )
    }

    fn appendix_section(&self, h: &AppendixHead) -> Result<Section, RenderError> {
        let mut blocks = vec![Block::AppendixTitle(self.appendix_title(h))];
        blocks.extend(self.body(&h.file)?);
        Ok(Section {
            orientation: h.orientation,
            blocks,
        })
    }

    fn meta(&self, title: String, subject: String) -> Meta {
        Meta {
            title: vn::nfc(&title),
            author: vn::nfc(&self.frame.config.co_quan.ten_day_du),
            subject: vn::nfc(&subject),
            language: "vi".into(),
            date: self.frame.opts.date,
        }
    }

    fn subject(&self) -> String {
        let kind = sentence_case(&self.loai);
        if self.number.trim_start().starts_with('/') {
            kind
        } else {
            format!("{kind} số {}", self.number)
        }
    }
}

/// The report with its appendices, one Document: the report section (portrait) with the
/// official frame, then one section per appendix.
pub fn report(
    data: &ReportData,
    config: &Config,
    opts: &RenderOptions,
    t: &Templates,
) -> Result<Document, RenderError> {
    let r = Renderer::new(data, config, opts, t)?;
    let (sections, body) = r.appendices_and_body()?;
    r.report_document(sections, body)
}

/// Each appendix alone (for `cchc appendix`): (slug such as "phu-luc-I", document), in the
/// report's order. Each document is one section starting with its appendix title block.
pub fn appendices(
    data: &ReportData,
    config: &Config,
    opts: &RenderOptions,
    t: &Templates,
) -> Result<Vec<(String, Document)>, RenderError> {
    let r = Renderer::new(data, config, opts, t)?;
    let sections = r.appendix_sections()?;
    Ok(r.appendix_documents(sections))
}

/// Both [`report`] and [`appendices`] (what `cchc report` writes), with the data converted and
/// each appendix rendered once.
pub fn report_and_appendices(
    data: &ReportData,
    config: &Config,
    opts: &RenderOptions,
    t: &Templates,
) -> Result<(Document, Vec<(String, Document)>), RenderError> {
    let r = Renderer::new(data, config, opts, t)?;
    let (sections, body) = r.appendices_and_body()?;
    let alone = r.appendix_documents(sections.clone());
    Ok((r.report_document(sections, body)?, alone))
}

impl Renderer<'_> {
    fn appendix_sections(&self) -> Result<Vec<Section>, RenderError> {
        self.appendices
            .iter()
            .map(|h| self.appendix_section(h))
            .collect()
    }

    /// The appendix sections and the report's body, rendered side by side on two cores (the
    /// report's body takes a little longer than the three appendices together); an appendix's
    /// error comes first, as when they were rendered one after the other.
    fn appendices_and_body(&self) -> Result<(Vec<Section>, Vec<Block>), RenderError> {
        let (sections, body) = std::thread::scope(|s| {
            let sections = crate::par::spawn(s, || self.appendix_sections());
            let body = self.body(REPORT_TEMPLATE);
            (sections.join(), body)
        });
        let sections = sections.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        Ok((sections, body?))
    }

    fn report_document(
        &self,
        appendix_sections: Vec<Section>,
        body: Vec<Block>,
    ) -> Result<Document, RenderError> {
        let r = self;
        let ky_hieu =
            r.t.get(REPORT_TEMPLATE)?
                .front
                .ky_hieu
                .clone()
                .unwrap_or_else(|| "BC".into());
        let mut blocks = vec![
            Block::Header(r.frame.header(&ky_hieu)),
            Block::Title(title_block(&r.loai, &r.summary.join("\n"))),
        ];
        blocks.extend(body);
        blocks.push(Block::Signature(r.frame.signature()));
        let mut sections = vec![Section {
            orientation: Orientation::Portrait,
            blocks,
        }];
        sections.extend(appendix_sections);
        let title = format!(
            "{} {}",
            sentence_case(&r.loai),
            lower_first(&r.summary.join(" "))
        );
        Ok(Document {
            meta: r.meta(title, r.subject()),
            style: PageStyle::default(),
            sections,
        })
    }

    fn appendix_documents(&self, sections: Vec<Section>) -> Vec<(String, Document)> {
        let r = self;
        r.appendices
            .iter()
            .zip(sections)
            .map(|(h, section)| {
                let title = format!("{} - {}", sentence_case(&h.label), vn::clean(&h.title));
                let subject = format!(
                    "{} kèm theo {}",
                    sentence_case(&h.label),
                    lower_first(&r.subject())
                );
                (
                    slug(&h.label, &h.file),
                    Document {
                        meta: r.meta(title, subject),
                        style: PageStyle::default(),
                        sections: vec![section],
                    },
                )
            })
            .collect()
    }
}

/// "PHỤ LỤC I" -> "phu-luc-I"; other labels fall back to the template's name.
fn slug(label: &str, file: &str) -> String {
    let folded: Vec<String> = vn::fold(label)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    match folded.as_slice() {
        [a, b, n] if a == "phu" && b == "luc" && vn::parse_roman(&n.to_uppercase()).is_some() => {
            format!("phu-luc-{}", n.to_uppercase())
        }
        _ => file.trim_end_matches(".md").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the template says, with its place, when one workspace template would never end
    /// or would take the machine: checked before anything renders.
    #[test]
    fn templates_that_would_not_end_are_errors_at_their_line() {
        let said = |text: &str| {
            let body = format!("+++\ntieu_de = \"thử\"\n+++\ndòng 1\n{text}\n");
            match Templates::with_overrides(vec![("thu.md".into(), body)]) {
                Ok(_) => "chấp nhận".to_string(),
                Err(e) => e.to_string(),
            }
        };
        let cases = [
            (
                "{% include \"thu.md\" %}",
                "mẫu tự chèn lại chính nó (include) (thu.md → thu.md)",
            ),
            (
                "{% macro m(n) %}{{ self::m(n=n) }}{% endmacro m %}",
                "macro \"m\" gọi lại chính nó (thu.md::m → thu.md::m)",
            ),
            (
                "{% for i in range(end=100000000) %}x{% endfor %}",
                "chạy 100000000 lần",
            ),
            (
                "{% for i in range(end=3000) %}{% for j in range(end=3000) %}x{% endfor %}{% endfor %}",
                "chạy 9000000 lần",
            ),
            (
                "{% for i in range(end=n) %}x{% endfor %}",
                "cần các số viết sẵn",
            ),
        ];
        for (text, want) in cases {
            let got = said(text);
            assert!(got.starts_with("thu.md:5: "), "{text}: {got}");
            assert!(got.contains(want), "{text}: {got}");
        }
        // Loops the plan's tables need, and data loops, pass.
        assert_eq!(
            said(
                "{% for i in range(end=300) %}{{ i }}{% endfor %}{% for u in units %}{{ u }}{% endfor %}"
            ),
            "chấp nhận"
        );
    }

    #[test]
    fn filters_are_registered_under_their_vietnamese_names() {
        let t = Templates::with_overrides(vec![(
            "thu.md".into(),
            "{{ \"2024-06-05\" | ngay }}|{{ 4080 | so }}|{{ 9560 | thapphan }}|{{ 1868 | phantram }}|\
             {{ -50 | dau }}|{{ 4 | la_ma }}|{{ \"ủy ban\" | hoa }}|{{ \"a|b\" | cell }}"
                .into(),
        )])
        .unwrap();
        let out = t.tera.render("thu.md", &Context::new()).unwrap();
        assert_eq!(
            out,
            "ngày 05 tháng 6 năm 2024|4.080|95,6|18,68%|-0,5|IV|ỦY BAN|a\\|b"
        );
    }

    #[test]
    fn front_matter_is_split_and_located() {
        let t = split_front_matter(
            "x.md",
            "+++\nloai = \"BÁO CÁO\"\n\ntrich_yeu = \"T\"\n+++\nThân\n",
        )
        .unwrap();
        assert_eq!(t.body, "Thân\n");
        assert_eq!(t.body_offset, 5);
        assert_eq!(t.key_lines.get("trich_yeu"), Some(&4));
        assert_eq!(t.front.loai.as_deref(), Some("BÁO CÁO"));
        let none = split_front_matter("x.md", "Chỉ có thân\n").unwrap();
        assert_eq!((none.body_offset, none.body.as_str()), (0, "Chỉ có thân\n"));
        let open = split_front_matter("x.md", "+++\nloai = \"x\"\n").unwrap_err();
        assert_eq!(open.line, Some(1));
        let unknown = split_front_matter("x.md", "+++\nloai = \"x\"\nkhac = 1\n+++\n").unwrap_err();
        assert_eq!(unknown.line, Some(3), "{unknown}");
    }

    #[test]
    fn rendered_lines_map_back_to_template_lines() {
        let body = "# I. {{ a | hoa }}\n\n{% for x in xs %}\n| {{ x }} | cố định | {{ x }} |\n{% endfor %}\nKết thúc {{ b }}.\n";
        let rendered = "# I. MỘT\n\n| 1 | cố định | 1 |\n| 2 | cố định | 2 |\nKết thúc hai.\n";
        assert_eq!(map_line(body, rendered, 1), Some(1));
        assert_eq!(map_line(body, rendered, 4), Some(4));
        assert_eq!(map_line(body, rendered, 5), Some(6));
        assert_eq!(map_line(body, rendered, 2), None);
        assert_eq!(
            literals("a {{ x }} b {% if y %}c{% endif %}"),
            vec!["a", "b", "c"]
        );
    }

    #[test]
    fn labels_and_slugs() {
        assert_eq!(sentence_case("BÁO CÁO"), "Báo cáo");
        assert_eq!(sentence_case("PHỤ LỤC II"), "Phụ lục II");
        assert_eq!(slug("PHỤ LỤC III", "phu-luc-III.md"), "phu-luc-III");
        assert_eq!(slug("BIỂU TỔNG HỢP", "bieu.md"), "bieu");
    }

    #[test]
    fn a_template_nothing_uses_is_named() {
        let t = Templates::with_overrides(vec![
            ("bao-cao-qui.md".into(), "x./.".into()),
            ("phu-luc-IV.md".into(), "bảng".into()),
            (
                REPORT_TEMPLATE.into(),
                "+++\nphu_luc = [\"phu-luc-I.md\", \"phu-luc-IV.md\"]\n+++\nx./.\n".into(),
            ),
        ])
        .unwrap();
        let (unused, names) = t.unused();
        assert_eq!(unused, ["bao-cao-qui.md"]);
        assert!(names.contains(&REPORT_TEMPLATE));
    }

    #[test]
    fn a_missing_appendix_template_is_named() {
        let t = Templates::with_overrides(vec![(
            REPORT_TEMPLATE.into(),
            "+++\nphu_luc = [\"phu-luc-IV.md\"]\n+++\nx./.\n".into(),
        )])
        .unwrap();
        let data_err = t.get("phu-luc-IV.md").err().unwrap();
        assert_eq!(data_err.template, "phu-luc-IV.md");
        assert!(data_err.to_string().contains("không có mẫu"));
    }
}
