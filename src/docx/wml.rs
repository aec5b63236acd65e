//! WordprocessingML written straight from the model.
//!
//! Every element's children are written in the order the schema's `xsd:sequence` gives them
//! (Word offers to "recover" a file that breaks it), and only what differs from a paragraph's
//! named style is written on the paragraph. Sizes are in twips and half-points, as the format
//! counts them.

use super::measure::text_width;
use crate::doc::grid::Slot;
use crate::doc::{
    self, Align, AppendixTitle, Block, Document, HeaderBlock, Orientation, PageStyle,
    SignatureBlock, TitleBlock,
};
use std::fmt::Write as _;

const FONT: &str = "Times New Roman";
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;

/// The declaration every XML part starts with.
pub const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
pub const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Relationship ids of the two header parts every section shares: the page number, and the
/// empty header of each section's first page.
pub const HEADER_PAGE_NUMBER: &str = "rIdHeader1";
pub const HEADER_FIRST: &str = "rIdHeader2";

/// Style ids. Named paragraph styles let staff restyle a whole role in Word at once.
mod sid {
    pub const BODY: &str = "BodyVN";
    pub const HEADING: [&str; 4] = ["Heading1", "Heading2", "Heading3", "Heading4"];
    pub const FRAME: &str = "FrameVN";
    pub const TITLE: &str = "TitleVN";
    pub const APPENDIX: &str = "AppendixTitleVN";
    pub const RULE: &str = "RuleVN";
    pub const TABLE: &str = "TableTextVN";
    pub const TABLE_HEAD: &str = "TableHeaderVN";
    pub const PAGE_NUMBER: &str = "PageNumberVN";
    pub const RECIPIENTS: &str = "RecipientsVN";
}

fn mm(v: f32) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}

fn half_points(pt: f32) -> usize {
    (pt * 2.0).round().max(1.0) as usize
}

fn jc(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "both",
    }
}

/// Appends `s` escaped for element content or a double-quoted attribute value. Characters XML
/// 1.0 does not allow (C0 controls other than tab and line feed, U+FFFE, U+FFFF) are left out:
/// one of them in a cell would make Word refuse the whole file.
pub fn esc(out: &mut String, s: &str) {
    let allowed =
        |c: char| (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}') || c == '\t' || c == '\n';
    if s.chars().all(allowed) {
        out.push_str(&quick_xml::escape::escape(s));
    } else {
        let kept: String = s.chars().filter(|&c| allowed(c)).collect();
        out.push_str(&quick_xml::escape::escape(&kept));
    }
}

/// Page geometry of one section, in twips.
#[derive(Clone, Copy)]
pub struct Geometry {
    width: u32,
    height: u32,
    landscape: bool,
    text_width: i32,
}

impl Geometry {
    pub fn new(o: Orientation, st: &PageStyle) -> Geometry {
        let (width, height, landscape) = match o {
            Orientation::Portrait => (A4_SHORT, A4_LONG, false),
            Orientation::Landscape => (A4_LONG, A4_SHORT, true),
        };
        let text_width = width as i32 - mm(st.margin_left_mm) - mm(st.margin_right_mm);
        Geometry {
            width,
            height,
            landscape,
            text_width: text_width.max(mm(20.0)),
        }
    }
}

/// A section's properties: page size and margins, page numbers restarting at 1 in the top
/// margin, none on the first page.
pub fn sect_pr(out: &mut String, g: &Geometry, st: &PageStyle) {
    // The page number sits halfway into the top margin.
    let top = mm(st.margin_top_mm);
    let bottom = mm(st.margin_bottom_mm);
    let _ = write!(
        out,
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"{HEADER_PAGE_NUMBER}\"/>\
         <w:headerReference w:type=\"first\" r:id=\"{HEADER_FIRST}\"/>\
         <w:pgSz w:w=\"{}\" w:h=\"{}\" w:orient=\"{}\"/>\
         <w:pgMar w:top=\"{top}\" w:right=\"{}\" w:bottom=\"{bottom}\" w:left=\"{}\" \
         w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/>\
         <w:pgNumType w:start=\"1\"/><w:cols w:space=\"425\" w:num=\"1\"/><w:titlePg/></w:sectPr>",
        g.width,
        g.height,
        if g.landscape { "landscape" } else { "portrait" },
        mm(st.margin_right_mm),
        mm(st.margin_left_mm),
        top / 2,
        bottom / 2,
    );
}

/// The empty paragraph that ends a section other than the last and carries its properties;
/// 1 pt high, so that it never pushes a page over.
pub fn section_break(out: &mut String, g: &Geometry, st: &PageStyle) {
    out.push_str(
        "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/>\
         <w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr>",
    );
    sect_pr(out, g, st);
    out.push_str("</w:pPr></w:p>");
}

/// A table of the model that cannot be written: its number in the section (1-based), the row
/// (1-based, 0 for the table itself) and why.
#[derive(Debug, Clone)]
pub struct TableError {
    pub table: usize,
    pub row: usize,
    pub message: String,
}

/// The body of one section: its blocks as WordprocessingML, and whether the last is a table.
pub struct SectionXml {
    pub xml: String,
    pub ends_with_table: bool,
}

/// Writes the blocks of `section` (without the paragraph or properties that end it).
pub fn section(section: &doc::Section, st: &PageStyle) -> Result<SectionXml, TableError> {
    let g = Geometry::new(section.orientation, st);
    let items = blocks(section, st, &g)?;
    let ends_with_table = matches!(items.last(), Some(Item::Table(_)));
    let mut xml = String::with_capacity(items.len() * 256);
    for item in &items {
        match item {
            Item::Para(p) => p.write(&mut xml),
            Item::Table(t) => xml.push_str(t),
        }
    }
    Ok(SectionXml {
        xml,
        ends_with_table,
    })
}

/// Paragraph properties beyond the style, in schema order when written.
#[derive(Default, Clone)]
struct PPr {
    style: &'static str,
    keep_next: bool,
    page_break_before: bool,
    /// A top border: the short rules under the header lines and titles.
    rule: bool,
    before: Option<u32>,
    after: Option<u32>,
    /// Exact line height in twips.
    exact_line: Option<i32>,
    /// Left and right indents, and the first-line indent if any.
    ind: Option<(i32, i32, Option<i32>)>,
    jc: Option<&'static str>,
}

impl PPr {
    fn style(style: &'static str) -> PPr {
        PPr {
            style,
            ..PPr::default()
        }
    }

    fn write(&self, out: &mut String) {
        let _ = write!(out, "<w:pPr><w:pStyle w:val=\"{}\"/>", self.style);
        if self.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if self.page_break_before {
            out.push_str("<w:pageBreakBefore/>");
        }
        if self.rule {
            out.push_str(
                "<w:pBdr><w:top w:val=\"single\" w:space=\"0\" w:sz=\"6\" w:color=\"000000\"/></w:pBdr>",
            );
        }
        if self.before.is_some() || self.after.is_some() || self.exact_line.is_some() {
            out.push_str("<w:spacing");
            if let Some(v) = self.before {
                let _ = write!(out, " w:before=\"{v}\"");
            }
            if let Some(v) = self.after {
                let _ = write!(out, " w:after=\"{v}\"");
            }
            if let Some(v) = self.exact_line {
                let _ = write!(out, " w:line=\"{v}\" w:lineRule=\"exact\"");
            }
            out.push_str("/>");
        }
        if let Some((left, right, first)) = self.ind {
            let _ = write!(out, "<w:ind w:left=\"{left}\" w:right=\"{right}\"");
            if let Some(f) = first {
                let _ = write!(out, " w:firstLine=\"{f}\"");
            }
            out.push_str("/>");
        }
        if let Some(j) = self.jc {
            let _ = write!(out, "<w:jc w:val=\"{j}\"/>");
        }
        out.push_str("</w:pPr>");
    }
}

/// A paragraph: its properties (which later blocks may still change) and its runs, written.
#[derive(Clone)]
struct Para {
    ppr: PPr,
    runs: String,
}

impl Para {
    fn new(style: &'static str) -> Para {
        Para {
            ppr: PPr::style(style),
            runs: String::new(),
        }
    }

    fn keep_next(mut self) -> Para {
        self.ppr.keep_next = true;
        self
    }

    fn before(mut self, twips: u32) -> Para {
        self.ppr.before = Some(twips);
        self
    }

    fn run(mut self, text: &str, look: Look) -> Para {
        run(&mut self.runs, text, look);
        self
    }

    fn write(&self, out: &mut String) {
        out.push_str("<w:p>");
        self.ppr.write(out);
        out.push_str(&self.runs);
        out.push_str("</w:p>");
    }
}

/// One body-level element of a section.
enum Item {
    Para(Para),
    /// A table, already written.
    Table(String),
}

/// Run styling beyond the paragraph style.
#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    italic: bool,
    size: Option<f32>,
}

/// A run of `text`: line feeds become line breaks and tabs tabs, as typed in a cell.
fn run(out: &mut String, text: &str, look: Look) {
    out.push_str("<w:r>");
    if look.bold || look.italic || look.size.is_some() {
        out.push_str("<w:rPr>");
        if look.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if look.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        if let Some(s) = look.size {
            let hp = half_points(s);
            let _ = write!(out, "<w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/>");
        }
        out.push_str("</w:rPr>");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br w:type=\"textWrapping\"/>");
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                out.push_str("<w:tab/>");
            }
            if !piece.is_empty() {
                out.push_str("<w:t xml:space=\"preserve\">");
                esc(out, piece);
                out.push_str("</w:t>");
            }
        }
    }
    out.push_str("</w:r>");
}

fn model_runs(mut p: Para, runs: &[doc::Run], extra: Look) -> Para {
    for r in runs {
        p = p.run(
            &r.text,
            Look {
                bold: r.bold || extra.bold,
                italic: r.italic || extra.italic,
                size: extra.size,
            },
        );
    }
    p
}

fn styled(style: &'static str, text: &str, look: Look) -> Para {
    Para::new(style).run(text, look)
}

/// A paragraph holding only a page break.
fn page_break() -> Para {
    let mut p = Para::new(sid::RULE);
    p.runs.push_str("<w:r><w:br w:type=\"page\"/></w:r>");
    p
}

/// An empty paragraph whose top border draws a centred rule `width` twips long inside
/// `available` twips.
fn rule(width: f32, available: i32, after: u32) -> Para {
    let width = (width.round() as i32).clamp(mm(10.0).min(available), available);
    let side = (available - width) / 2;
    let mut p = Para::new(sid::RULE);
    p.ppr.ind = Some((side, side, None));
    // The border is drawn at the top of the paragraph: a few points keep it clear of the
    // descenders of the line above.
    p.ppr.before = Some(80);
    p.ppr.after = Some(after);
    p.ppr.exact_line = Some(20);
    p.ppr.rule = true;
    p
}

fn blocks(section: &doc::Section, st: &PageStyle, g: &Geometry) -> Result<Vec<Item>, TableError> {
    let mut items = Vec::new();
    let mut page_break_pending = false;
    let mut tables = 0;
    for block in &section.blocks {
        let start = items.len();
        match block {
            Block::Header(h) => items.push(Item::Table(header_block(h, g))),
            Block::Title(t) => title(t, g, &mut items),
            Block::AppendixTitle(a) => appendix_title(a, g, &mut items),
            Block::Heading { level, runs } => {
                let idx = usize::from(level.clamp(&1, &4) - 1);
                let p = Para::new(sid::HEADING[idx]).keep_next();
                items.push(Item::Para(model_runs(p, runs, Look::default())));
            }
            Block::Paragraph(p) => {
                items.push(Item::Para(paragraph(p, sid::BODY, st, Look::default())))
            }
            Block::Table(t) => {
                tables += 1;
                let table = data_table(t, st, g).map_err(|(row, message)| TableError {
                    table: tables,
                    row,
                    message,
                })?;
                items.push(Item::Table(table));
            }
            Block::Signature(s) => {
                // The closing sentence goes with the signature: a signature alone on a page
                // is not accepted in practice.
                if let Some(Item::Para(p)) = items.last_mut() {
                    p.ppr.keep_next = true;
                }
                items.push(Item::Table(signature(s, g)));
            }
            Block::PageBreak => {
                page_break_pending = true;
                continue;
            }
        }
        if page_break_pending {
            page_break_pending = false;
            match items.get_mut(start) {
                Some(Item::Para(p)) => p.ppr.page_break_before = true,
                Some(Item::Table(_)) | None => items.insert(start, Item::Para(page_break())),
            }
        }
    }
    if page_break_pending {
        items.push(Item::Para(page_break()));
    }
    Ok(items)
}

/// A model paragraph in the given role style; only what differs from the style is written.
fn paragraph(p: &doc::Paragraph, style: &'static str, st: &PageStyle, look: Look) -> Para {
    let mut out = Para::new(style);
    let body = style == sid::BODY;
    if !body || p.align != Align::Justify {
        out.ppr.jc = Some(jc(p.align));
    }
    if body && !p.indent_first_line {
        out.ppr.ind = Some((0, 0, Some(0)));
    } else if !body && p.indent_first_line {
        out.ppr.ind = Some((0, 0, Some(mm(st.first_line_indent_mm))));
    }
    let look = Look {
        size: p.size.or(look.size),
        ..look
    };
    model_runs(out, &p.runs, look)
}

/// The start of a table: its width, indent, borders and column grid.
fn table_start(out: &mut String, grid: &[i32], indent: i32, borders: bool) {
    let width: i32 = grid.iter().sum();
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{width}\" w:type=\"dxa\"/><w:jc w:val=\"left\"/>\
         <w:tblInd w:w=\"{indent}\" w:type=\"dxa\"/>"
    );
    if borders {
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(
                out,
                "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
            );
        }
        out.push_str("</w:tblBorders>");
    }
    out.push_str("<w:tblLayout w:type=\"fixed\"/>");
    // After tblLayout, as the schema orders tblPr's children.
    if borders {
        let pad = (doc::CELL_PAD_X * 20.0).round() as i32;
        let _ = write!(
            out,
            "<w:tblCellMar><w:left w:w=\"{pad}\" w:type=\"dxa\"/>\
             <w:right w:w=\"{pad}\" w:type=\"dxa\"/></w:tblCellMar>"
        );
    }
    out.push_str("</w:tblPr><w:tblGrid>");
    for w in grid {
        let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
    }
    out.push_str("</w:tblGrid>");
}

/// A borderless layout table of one row per entry, each cell a column of paragraphs; rows are
/// never split across pages.
fn borderless(rows: &[Vec<Vec<Para>>], grid: &[i32], indent: i32) -> String {
    let mut out = String::new();
    table_start(&mut out, grid, indent, false);
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (cell, width) in row.iter().zip(grid) {
            let _ = write!(
                out,
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
            );
            for p in cell {
                p.write(&mut out);
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// Header block: the left column reaches 10 mm into the left margin, as in published ward
/// documents, so that the authority lines are not squeezed.
fn header_block(h: &HeaderBlock, g: &Geometry) -> String {
    let indent = -mm(10.0);
    let total = g.text_width - indent;
    let left = total * 2 / 5;
    let right = total - left;
    let pad = 2 * 108;
    let (s12, s13) = (Some(12.0), Some(13.0));

    let mut lp = Vec::new();
    if let Some(parent) = h.parent.as_deref().filter(|s| !s.is_empty()) {
        lp.push(styled(
            sid::FRAME,
            parent,
            Look {
                size: s12,
                ..Look::default()
            },
        ));
    }
    let bold12 = Look {
        bold: true,
        italic: false,
        size: s12,
    };
    for line in &h.issuer {
        lp.push(styled(sid::FRAME, line, bold12));
    }
    let widest = h
        .issuer
        .iter()
        .map(|l| text_width(l, 12.0, true))
        .fold(0.0, f32::max);
    lp.push(rule(widest * 0.4, left - pad, 0));

    let mut rp = vec![
        styled(sid::FRAME, &h.motto, bold12),
        styled(
            sid::FRAME,
            &h.motto_sub,
            Look {
                bold: true,
                italic: false,
                size: s13,
            },
        ),
    ];
    rp.push(rule(text_width(&h.motto_sub, 13.0, true), right - pad, 0));

    // Second row: "Số:" level with the place and date, a little below the rules.
    let number = styled(
        sid::FRAME,
        &h.number,
        Look {
            size: s13,
            ..Look::default()
        },
    )
    .before(120);
    let date = styled(
        sid::FRAME,
        &h.place_date,
        Look {
            bold: false,
            italic: true,
            size: s13,
        },
    )
    .before(120);
    borderless(
        &[vec![lp, rp], vec![vec![number], vec![date]]],
        &[left, right],
        indent,
    )
}

fn title(t: &TitleBlock, g: &Geometry, items: &mut Vec<Item>) {
    let kind = styled(sid::TITLE, &t.kind, Look::default())
        .keep_next()
        .before(360);
    items.push(Item::Para(kind));
    for line in &t.summary {
        items.push(Item::Para(
            styled(sid::TITLE, line, Look::default()).keep_next(),
        ));
    }
    let widest = t
        .summary
        .iter()
        .chain(std::iter::once(&t.kind))
        .map(|l| text_width(l, 14.0, true))
        .fold(0.0, f32::max);
    items.push(Item::Para(rule(widest * 0.4, g.text_width, 240)));
}

fn appendix_title(a: &AppendixTitle, g: &Geometry, items: &mut Vec<Item>) {
    items.push(Item::Para(
        styled(sid::APPENDIX, &a.label, Look::default()).keep_next(),
    ));
    for line in &a.title {
        items.push(Item::Para(
            styled(sid::APPENDIX, line, Look::default()).keep_next(),
        ));
    }
    // The reference line is italic, not bold, so it takes the plain frame style.
    let reference = styled(
        sid::FRAME,
        &a.reference,
        Look {
            bold: false,
            italic: true,
            size: Some(14.0),
        },
    )
    .keep_next();
    items.push(Item::Para(reference));
    let widest = a
        .title
        .iter()
        .map(|l| text_width(l, 14.0, true))
        .fold(text_width(&a.label, 14.0, true), f32::max);
    items.push(Item::Para(
        rule(widest * 0.3, g.text_width, 240).keep_next(),
    ));
}

fn signature(s: &SignatureBlock, g: &Geometry) -> String {
    let left = g.text_width * 12 / 25;
    let right = g.text_width - left;
    let mut lp = vec![styled(
        sid::RECIPIENTS,
        "Nơi nhận:",
        Look {
            bold: true,
            italic: true,
            size: Some(12.0),
        },
    )];
    for r in &s.recipients {
        lp.push(styled(sid::RECIPIENTS, r, Look::default()));
    }
    let bold14 = Look {
        bold: true,
        italic: false,
        size: Some(14.0),
    };
    let mut rp: Vec<Para> = s
        .authority
        .iter()
        .map(|a| styled(sid::FRAME, a, bold14))
        .collect();
    // A little air between the closing sentence and the block, on both columns alike.
    for column in [&mut lp, &mut rp] {
        if let Some(first) = column.first_mut() {
            first.ppr.before = Some(120);
        }
    }
    // Room for the signature and the seal.
    rp.push(styled(sid::FRAME, &s.signer, bold14).before(mm(27.0) as u32));
    borderless(&[vec![lp, rp]], &[left, right], 0)
}

fn data_table(t: &doc::Table, st: &PageStyle, g: &Geometry) -> Result<String, (usize, String)> {
    let columns = t.columns.len();
    if columns == 0 {
        return Err((0, "bảng không có cột".into()));
    }
    let total: f32 = t.columns.iter().map(|c| c.width.max(0.0)).sum();
    let mut grid: Vec<i32> = t
        .columns
        .iter()
        .map(|c| {
            let share = if total > 0.0 {
                c.width.max(0.0) / total
            } else {
                1.0 / columns as f32
            };
            (share * g.text_width as f32).floor() as i32
        })
        .collect();
    // Rounding leftovers go to the widest column so the table is exactly the text width.
    let leftover = (g.text_width - grid.iter().sum::<i32>()).max(0);
    if let Some(widest) = (0..columns).max_by_key(|&i| grid[i]) {
        grid[widest] += leftover;
    }

    // Header and body are placed apart, by the model's one rule (`doc::grid`); a row's number
    // in an error counts from the table's first row.
    let head = doc::grid::place(&t.header, columns).map_err(|e| (e.row, e.message))?;
    let body =
        doc::grid::place(&t.rows, columns).map_err(|e| (t.header.len() + e.row, e.message))?;
    let all: Vec<&doc::Row> = t.header.iter().chain(&t.rows).collect();
    let placed = head.iter().chain(&body);
    let mut out = String::with_capacity(all.len() * 600);
    table_start(&mut out, &grid, 0, true);
    for (ri, (row, slots)) in all.iter().zip(placed).enumerate() {
        let header = ri < t.header.len();
        // Header rows repeat at the top of every page the table spans.
        out.push_str(if header {
            "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        } else {
            "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        });
        let style = if header { sid::TABLE_HEAD } else { sid::TABLE };
        for slot in slots {
            let (col, span, cell, merge) = match *slot {
                Slot::Own {
                    cell,
                    col,
                    cols,
                    rows,
                } => (col, cols, Some(cell), (rows > 1).then_some("restart")),
                Slot::Continue { col, cols } => (col, cols, None, Some("continue")),
                Slot::Empty { col } => (col, 1, None, None),
            };
            let width: i32 = grid[col..col + span].iter().sum();
            let _ = write!(out, "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>");
            if span > 1 {
                let _ = write!(out, "<w:gridSpan w:val=\"{span}\"/>");
            }
            if let Some(m) = merge {
                let _ = write!(out, "<w:vMerge w:val=\"{m}\"/>");
            }
            out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
            match cell {
                Some(c) => {
                    let look = Look {
                        bold: c.bold || row.group,
                        italic: false,
                        size: None,
                    };
                    if c.paragraphs.is_empty() {
                        Para::new(style).write(&mut out);
                    }
                    for p in &c.paragraphs {
                        let mut para = paragraph(p, style, st, look);
                        // A group row stays with the first row of its group.
                        para.ppr.keep_next |= row.group;
                        para.write(&mut out);
                    }
                }
                None => Para::new(style).write(&mut out),
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    Ok(out)
}

/// The header parts every section shares: the centred page number, and the empty header of a
/// section's first page.
pub fn headers(st: &PageStyle) -> [String; 2] {
    let open = format!(
        "{XML_DECL}<w:hdr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:p><w:pPr><w:pStyle w:val=\"{}\"/></w:pPr>",
        sid::PAGE_NUMBER
    );
    let size = half_points(st.page_number_size);
    let mut rfonts = String::new();
    fonts(&mut rfonts);
    let page_number = format!(
        "{open}<w:r><w:rPr>{rfonts}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>\
         <w:fldChar w:fldCharType=\"begin\"/><w:instrText xml:space=\"preserve\"> PAGE </w:instrText>\
         <w:fldChar w:fldCharType=\"separate\"/><w:t>1</w:t><w:fldChar w:fldCharType=\"end\"/>\
         </w:r></w:p></w:hdr>"
    );
    let first = format!("{open}</w:p></w:hdr>");
    [page_number, first]
}

/// Run properties naming the decree's font for every script.
fn fonts(out: &mut String) {
    let _ = write!(
        out,
        "<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>"
    );
}

/// One paragraph style.
struct StyleDef {
    id: &'static str,
    name: String,
    based_on: &'static str,
    next: Option<&'static str>,
    /// Space before and after, and the line: (value, rule).
    spacing: (u32, u32, i32, &'static str),
    first_line: Option<i32>,
    jc: &'static str,
    outline: Option<usize>,
    bold: bool,
    italic: bool,
    size: usize,
}

impl StyleDef {
    fn write(&self, out: &mut String) {
        let _ = write!(
            out,
            "<w:style w:type=\"paragraph\" w:styleId=\"{}\"><w:name w:val=\"{}\"/>\
             <w:basedOn w:val=\"{}\"/>",
            self.id, self.name, self.based_on
        );
        if let Some(next) = self.next {
            let _ = write!(out, "<w:next w:val=\"{next}\"/>");
        }
        let (before, after, line, rule) = self.spacing;
        let _ = write!(
            out,
            "<w:qFormat/><w:pPr><w:spacing w:before=\"{before}\" w:after=\"{after}\" \
             w:line=\"{line}\" w:lineRule=\"{rule}\"/>"
        );
        if let Some(f) = self.first_line {
            let _ = write!(
                out,
                "<w:ind w:left=\"0\" w:right=\"0\" w:firstLine=\"{f}\"/>"
            );
        }
        let _ = write!(out, "<w:jc w:val=\"{}\"/>", self.jc);
        if let Some(level) = self.outline {
            let _ = write!(out, "<w:outlineLvl w:val=\"{level}\"/>");
        }
        out.push_str("</w:pPr><w:rPr>");
        fonts(out);
        if self.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if self.italic {
            out.push_str("<w:i/><w:iCs/>");
        }
        let _ = write!(
            out,
            "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr></w:style>",
            self.size
        );
    }
}

/// The styles part: defaults (the decree's font, Vietnamese language) and one paragraph style
/// per role.
pub fn styles(st: &PageStyle) -> String {
    let body = half_points(st.body_size);
    let table = half_points(st.table_size);
    // "Single" in Word is about 1.15 of the size for Times New Roman, which is what the model's
    // line height means; other values scale from there.
    let line = ((240.0 * st.line_height / 1.15).round() as i32).max(120);
    let after = (st.paragraph_spacing * 20.0).round().max(0.0) as u32;
    let indent = mm(st.first_line_indent_mm);
    let single = |before, after| (before, after, 240, "auto");
    let style = |id, name: &str, size| StyleDef {
        id,
        name: name.to_string(),
        based_on: "Normal",
        next: None,
        spacing: single(0, 0),
        first_line: None,
        jc: "left",
        outline: None,
        bold: false,
        italic: false,
        size,
    };

    let mut defs = vec![StyleDef {
        spacing: (0, after, line, "auto"),
        first_line: Some(indent),
        jc: "both",
        ..style(sid::BODY, "Body VN", body)
    }];
    for (level, id) in sid::HEADING.iter().enumerate() {
        defs.push(StyleDef {
            next: Some(sid::BODY),
            spacing: (0, after, line, "auto"),
            first_line: Some(indent),
            outline: Some(level),
            bold: level < 3,
            italic: level == 2,
            ..style(id, &format!("heading {}", level + 1), body)
        });
    }
    // A document title and an appendix title look alike; they are two styles so that staff
    // can restyle one without the other.
    let title = |id, name| StyleDef {
        next: Some(sid::BODY),
        jc: "center",
        bold: true,
        ..style(id, name, 28)
    };
    defs.push(StyleDef {
        jc: "center",
        ..style(sid::FRAME, "Header Block VN", 26)
    });
    defs.push(title(sid::TITLE, "Title VN"));
    defs.push(title(sid::APPENDIX, "Appendix Title VN"));
    defs.push(StyleDef {
        spacing: (0, 0, 20, "exact"),
        jc: "center",
        ..style(sid::RULE, "Rule VN", 2)
    });
    defs.push(StyleDef {
        spacing: single(40, 40),
        ..style(sid::TABLE, "Table Text VN", table)
    });
    defs.push(StyleDef {
        based_on: sid::TABLE,
        spacing: single(40, 40),
        jc: "center",
        bold: true,
        ..style(sid::TABLE_HEAD, "Table Header VN", table)
    });
    defs.push(StyleDef {
        jc: "center",
        ..style(
            sid::PAGE_NUMBER,
            "Page Number VN",
            half_points(st.page_number_size),
        )
    });
    defs.push(style(sid::RECIPIENTS, "Recipients VN", 22));

    let mut out = format!(
        "{XML_DECL}<w:styles xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:docDefaults><w:rPrDefault><w:rPr>"
    );
    fonts(&mut out);
    // Vietnamese proofing and hyphenation need the language.
    let _ = write!(
        out,
        "<w:sz w:val=\"{body}\"/><w:szCs w:val=\"{body}\"/>\
         <w:lang w:val=\"vi-VN\" w:eastAsia=\"vi-VN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" \
         w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
         <w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">\
         <w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
    );
    for d in &defs {
        d.write(&mut out);
    }
    out.push_str("</w:styles>");
    out
}

/// Document settings: Word 2013+ behaviour, and no East-Asian line-breaking rules for Latin
/// text.
pub fn settings() -> String {
    let compat = [
        ("compatibilityMode", "15"),
        ("overrideTableStyleFontSizeAndJustification", "1"),
        ("enableOpenTypeFeatures", "1"),
        ("doNotFlipMirrorIndents", "1"),
        ("differentiateMultirowTableHeaders", "1"),
        ("useWord2013TrackBottomHyphenation", "0"),
    ];
    let mut out = format!(
        "{XML_DECL}<w:settings xmlns:w=\"{NS_W}\"><w:zoom w:percent=\"100\"/>\
         <w:defaultTabStop w:val=\"720\"/><w:compat><w:spaceForUL/>\
         <w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/>"
    );
    for (name, val) in compat {
        let _ = write!(
            out,
            "<w:compatSetting w:name=\"{name}\" w:uri=\"http://schemas.microsoft.com/office/word\" \
             w:val=\"{val}\"/>"
        );
    }
    out.push_str("</w:compat></w:settings>");
    out
}

/// The font table: the one font the documents use.
pub fn font_table() -> String {
    format!(
        "{XML_DECL}<w:fonts xmlns:w=\"{NS_W}\"><w:font w:name=\"{FONT}\"><w:charset w:val=\"00\"/>\
         <w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>"
    )
}

/// Writes a whole document part from the sections' bodies, in order.
pub fn document(doc: &Document, bodies: &[&SectionXml]) -> String {
    let st = &doc.style;
    let len: usize = bodies.iter().map(|b| b.xml.len()).sum();
    let mut out = String::with_capacity(len + 4096);
    let _ = write!(
        out,
        "{XML_DECL}<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:body>"
    );
    let portrait = doc::Section {
        orientation: Orientation::Portrait,
        blocks: Vec::new(),
    };
    let sections: Vec<&doc::Section> = if doc.sections.is_empty() {
        vec![&portrait]
    } else {
        doc.sections.iter().collect()
    };
    let last = sections.len() - 1;
    for (si, section) in sections.iter().enumerate() {
        let g = Geometry::new(section.orientation, st);
        let body = bodies.get(si);
        if let Some(b) = body {
            out.push_str(&b.xml);
        }
        if si < last {
            section_break(&mut out, &g, st);
        } else {
            if body.is_some_and(|b| b.ends_with_table) {
                // Word wants a paragraph between a table that ends the document and the end
                // of the body.
                Para::new(sid::RULE).write(&mut out);
            }
            sect_pr(&mut out, &g, st);
        }
    }
    out.push_str("</w:body></w:document>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Paragraph, Run};

    #[test]
    fn text_is_escaped_and_breaks_and_tabs_are_elements() {
        let mut out = String::new();
        run(
            &mut out,
            "a<b & \"c\" 'd'\ne\tf\u{1}g\r\u{FFFF}",
            Look::default(),
        );
        assert_eq!(
            out,
            "<w:r><w:t xml:space=\"preserve\">a&lt;b &amp; &quot;c&quot; &apos;d&apos;</w:t>\
             <w:br w:type=\"textWrapping\"/><w:t xml:space=\"preserve\">e</w:t><w:tab/>\
             <w:t xml:space=\"preserve\">fg</w:t></w:r>"
        );
        let mut bold = String::new();
        let look = Look {
            bold: true,
            italic: true,
            size: Some(12.5),
        };
        run(&mut bold, "x", look);
        assert!(bold.starts_with(
            "<w:r><w:rPr><w:b/><w:bCs/><w:i/><w:iCs/><w:sz w:val=\"25\"/><w:szCs w:val=\"25\"/></w:rPr>"
        ));
    }

    #[test]
    fn each_section_ends_with_its_properties_and_the_last_in_the_body() {
        let mut doc = doc::specimen();
        doc.sections.push(doc::Section {
            orientation: Orientation::Portrait,
            blocks: vec![
                Block::PageBreak,
                Block::Paragraph(Paragraph::body(vec![Run::plain("x")])),
            ],
        });
        let bodies: Vec<SectionXml> = doc
            .sections
            .iter()
            .map(|s| super::section(s, &doc.style).unwrap())
            .collect();
        let xml = document(&doc, &bodies.iter().collect::<Vec<_>>());
        let n = doc.sections.len();
        assert_eq!(xml.matches("<w:sectPr>").count(), n);
        // Breaks inside paragraphs for all but the last, whose properties close the body.
        assert_eq!(xml.matches("</w:sectPr></w:pPr></w:p>").count(), n - 1);
        assert!(xml.ends_with("</w:sectPr></w:body></w:document>"));
        // A page break before a paragraph is a property of that paragraph.
        assert!(xml.contains("<w:pPr><w:pStyle w:val=\"BodyVN\"/><w:pageBreakBefore/></w:pPr>"));
        // Nothing is left unescaped or unclosed: quick-xml reads it to the end.
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut depth = 0i32;
        loop {
            match reader.read_event().expect("well-formed XML") {
                quick_xml::events::Event::Start(_) => depth += 1,
                quick_xml::events::Event::End(_) => depth -= 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
    }

    #[test]
    fn styles_name_the_decree_font_and_vietnamese() {
        let s = styles(&PageStyle::default());
        assert!(s.contains("<w:lang w:val=\"vi-VN\""));
        assert_eq!(s.matches("w:styleId=\"Normal\"").count(), 1);
        assert!(s.contains("w:default=\"1\" w:styleId=\"Normal\""));
        for id in [
            "BodyVN",
            "Heading1",
            "Heading4",
            "TableHeaderVN",
            "PageNumberVN",
        ] {
            assert!(s.contains(&format!("w:styleId=\"{id}\"")), "{id}");
        }
    }
}
