//! `cchc plan`: the plan itself (`input/ke-hoach.md`) as an official document.
//!
//! The frame comes from the plan's front matter through the same builders as the report's
//! (header block, title, signature, appendix titles): "Số: 104/KH-UBND", the place of
//! `co_quan.dia_danh` and the date `ngay` written by the Decree 30 rule, `loai` and
//! `trich_yeu` as the title, the plan's own `noi_nhan` (else the settings') and `[ky]`.
//! The body before the first `# PHỤ LỤC ...` heading goes through [`from_markdown`] as it is
//! (it ends with the plan's own "./."). Each appendix becomes a landscape section: its
//! `# PHỤ LỤC I` heading, the `## title` heading under it and its italic "(Ban hành kèm theo
//! ...)" line make the [`AppendixTitle`]; the rest (the task table) follows. So the appendix
//! tables printed are always those of the current plan.
//!
//! Pure: the parsed [`Plan`] and the settings in, a [`Document`] out. Markdown errors are
//! located in the plan file ("input/ke-hoach.md:57: ...").

use super::{
    RenderError, appendix_title_block, header_block, lower_first, sentence_case, signature_block,
    title_block,
};
use crate::config::Config;
use crate::doc::{Block, Document, Meta, Orientation, PageStyle, Section, from_markdown};
use crate::plan::Plan;
use crate::vn;
use unicode_normalization::UnicodeNormalization;

/// The plan as one document: the plan's section (portrait: header block, title, body,
/// signature), then one landscape section per appendix.
pub fn document(plan: &Plan, config: &Config) -> Result<Document, RenderError> {
    let meta = &plan.meta;
    let lines: Vec<&str> = plan.body.split_inclusive('\n').collect();
    // Where each appendix starts, as an index into `lines`.
    let mut starts: Vec<usize> = plan
        .appendices
        .iter()
        .map(|a| a.line.saturating_sub(plan.body_line).min(lines.len()))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let main_end = starts.first().copied().unwrap_or(lines.len());

    let number = document_number(&meta.so);
    let mut blocks = vec![
        Block::Header(header_block(config, &number, &vn::date_long(meta.ngay))),
        Block::Title(title_block(&meta.loai, &meta.trich_yeu)),
    ];
    blocks.extend(blocks_of(plan, &lines, 0, main_end)?);
    let recipients = if meta.noi_nhan.is_empty() {
        &config.noi_nhan
    } else {
        &meta.noi_nhan
    };
    blocks.push(Block::Signature(signature_block(recipients, &meta.ky)));
    let mut sections = vec![Section {
        orientation: Orientation::Portrait,
        blocks,
    }];

    let kind = sentence_case(&meta.loai);
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(lines.len());
        let mut rest = blocks_of(plan, &lines, start, end)?.into_iter().peekable();
        let label = match rest.next() {
            Some(Block::Heading { level: 1, runs }) => runs_text(&runs),
            _ => format!("PHỤ LỤC {}", vn::roman(i as u32 + 1)),
        };
        let title = match rest.peek() {
            Some(Block::Heading { level: 2.., runs }) => {
                let t = runs_text(runs);
                rest.next();
                t
            }
            _ => String::new(),
        };
        let reference = match rest.peek() {
            Some(Block::Paragraph(p)) if is_reference(&p.text()) => {
                let t = vn::clean(&p.text());
                rest.next();
                t
            }
            _ => format!(
                "(Kèm theo {kind} số {number} {} của {})",
                vn::date_long(meta.ngay),
                config.co_quan.ten_ngan
            ),
        };
        let mut blocks = vec![Block::AppendixTitle(appendix_title_block(
            &label, &title, &reference,
        ))];
        blocks.extend(rest);
        sections.push(Section {
            orientation: Orientation::Landscape,
            blocks,
        });
    }

    let summary = vn::clean(&meta.trich_yeu);
    Ok(Document {
        meta: Meta {
            title: vn::nfc(&format!("{kind} {}", lower_first(&summary))),
            author: vn::nfc(&config.co_quan.ten_day_du),
            subject: vn::nfc(&format!("{kind} số {number}")),
            language: "vi".into(),
            date: meta.ngay,
        },
        style: PageStyle::default(),
        sections,
    })
}

/// The plan's own appendices, each alone (as `cchc appendix` writes them after the plan
/// changes): ("phu-luc-I-ke-hoach-104-KH-UBND", document), taken from the sections of
/// [`document`] so that both always agree.
pub fn appendices(plan: &Plan, config: &Config) -> Result<Vec<(String, Document)>, RenderError> {
    let whole = document(plan, config)?;
    let stem = file_stem(plan);
    let mut out = Vec::new();
    for (i, section) in whole.sections.into_iter().skip(1).enumerate() {
        let label = match section.blocks.first() {
            Some(Block::AppendixTitle(a)) => a.label.clone(),
            _ => format!("PHỤ LỤC {}", vn::roman(i as u32 + 1)),
        };
        let numeral = label.split_whitespace().last().unwrap_or("").to_string();
        let mut meta = whole.meta.clone();
        meta.title = vn::nfc(&format!("{} - {}", sentence_case(&label), meta.title));
        out.push((
            format!("phu-luc-{numeral}-{stem}"),
            Document {
                meta,
                style: whole.style.clone(),
                sections: vec![section],
            },
        ));
    }
    Ok(out)
}

/// The file name (without extension) of the plan's document: "ke-hoach-104-KH-UBND".
pub fn file_stem(plan: &Plan) -> String {
    let so = ascii_slug(&document_number(&plan.meta.so));
    let kind = vn::fold(&plan.meta.loai).replace(' ', "-");
    let kind = if kind.is_empty() {
        "ke-hoach".to_string()
    } else {
        kind
    };
    if so.is_empty() {
        kind
    } else {
        format!("{kind}-{so}")
    }
}

/// The number as printed after "Số: ", trimmed, a one-digit number given its leading zero
/// ("5/KH-UBND" -> "05/KH-UBND").
fn document_number(so: &str) -> String {
    let so = vn::clean(so);
    match so.split_once('/') {
        Some((n, rest)) if n.len() == 1 && n.chars().all(|c| c.is_ascii_digit()) => {
            format!("0{n}/{rest}")
        }
        _ => so,
    }
}

/// Plain ASCII for a file name, case kept: "104/KH-UBND" -> "104-KH-UBND",
/// "12/QĐ-UBND" -> "12-QD-UBND".
fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' => 'd',
            'Đ' => 'D',
            _ => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// "(Ban hành kèm theo ...)" / "(Kèm theo ...)".
fn is_reference(text: &str) -> bool {
    let t = vn::clean(text);
    t.starts_with('(') && t.ends_with(')') && vn::fold(&t).contains("kem theo")
}

fn runs_text(runs: &[crate::doc::Run]) -> String {
    vn::clean(&runs.iter().map(|r| r.text.as_str()).collect::<String>())
}

/// Lines `from..to` of the body as blocks; an error names the plan file and its line.
fn blocks_of(
    plan: &Plan,
    lines: &[&str],
    from: usize,
    to: usize,
) -> Result<Vec<Block>, RenderError> {
    let src: String = lines[from..to].concat();
    from_markdown(&src).map_err(|e| {
        let text: String = src
            .lines()
            .nth(e.line.saturating_sub(1))
            .unwrap_or("")
            .trim()
            .chars()
            .take(80)
            .collect();
        RenderError {
            template: plan.file.clone(),
            line: Some(plan.body_line + from + e.line.saturating_sub(1)),
            message: if text.is_empty() {
                e.message
            } else {
                format!("{} («{text}»)", e.message)
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_file_names() {
        assert_eq!(document_number(" 104/KH-UBND "), "104/KH-UBND");
        assert_eq!(document_number("5/KH-UBND"), "05/KH-UBND");
        assert_eq!(ascii_slug("104/KH-UBND"), "104-KH-UBND");
        assert_eq!(ascii_slug("12/QĐ-UBND"), "12-QD-UBND");
        assert!(is_reference(
            "(Ban hành kèm theo Kế hoạch số 104 /KH - UBND ngày 28/3/2024)"
        ));
        assert!(!is_reference("(Theo phụ lục gửi kèm)"));
    }
}
