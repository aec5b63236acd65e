//! Translating the model into docx-rs values, and packing them as docx-rs writes them.
//!
//! Everything docx-rs cannot express is left as a marker for the XML pass in `xml.rs`:
//! header rows carry a 1-twip "at least" row height that becomes `w:tblHeader`.

use super::DocxError;
use super::measure::text_width;
use crate::doc::{
    self, Align, AppendixTitle, Block, Cell, Document, HeaderBlock, Orientation, PageStyle,
    SignatureBlock, TitleBlock,
};
use docx_rs::{
    AlignmentType, BorderType, BreakType, Docx, FieldCharType, Header, HeightRule, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, PageNumType, PageOrientationType,
    PageSize, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    Section, SpecialIndentType, Style, StyleType, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableLayoutType, TableRow, VAlignType, VMergeType, WidthType,
};

const FONT: &str = "Times New Roman";
const A4_SHORT: u32 = 11906;
const A4_LONG: u32 = 16838;

/// The row height docx-rs writes for header rows; `xml.rs` turns it into `w:tblHeader`.
pub const HEADER_ROW_MARK: f32 = 1.0;

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

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .east_asia(FONT)
        .cs(FONT)
}

fn jc(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

/// Page geometry of one section, in twips.
#[derive(Clone, Copy)]
struct Geometry {
    width: u32,
    height: u32,
    orient: PageOrientationType,
    text_width: i32,
}

impl Geometry {
    fn new(o: Orientation, st: &PageStyle) -> Geometry {
        let (width, height, orient) = match o {
            Orientation::Portrait => (A4_SHORT, A4_LONG, PageOrientationType::Portrait),
            Orientation::Landscape => (A4_LONG, A4_SHORT, PageOrientationType::Landscape),
        };
        let text_width = width as i32 - mm(st.margin_left_mm) - mm(st.margin_right_mm);
        Geometry {
            width,
            height,
            orient,
            text_width: text_width.max(mm(20.0)),
        }
    }

    fn margins(&self, st: &PageStyle) -> PageMargin {
        // The page number sits halfway into the top margin.
        let top = mm(st.margin_top_mm);
        PageMargin::new()
            .top(top)
            .bottom(mm(st.margin_bottom_mm))
            .left(mm(st.margin_left_mm))
            .right(mm(st.margin_right_mm))
            .header(top / 2)
            .footer(mm(st.margin_bottom_mm) / 2)
            .gutter(0)
    }
}

/// A package part: its name in the archive and its bytes.
pub type Part = (String, Vec<u8>);

/// Builds the document with docx-rs and returns its unprocessed parts, in the order docx-rs
/// would pack them (its zip step is skipped: the parts are reworked and packed once, by
/// `package::repack`).
pub fn build(doc: &Document) -> Result<Vec<Part>, DocxError> {
    let st = &doc.style;
    let mut docx = with_styles(Docx::new(), st).default_tab_stop(720);

    let empty_section;
    let sections: &[doc::Section] = if doc.sections.is_empty() {
        empty_section = [doc::Section {
            orientation: Orientation::Portrait,
            blocks: Vec::new(),
        }];
        &empty_section
    } else {
        &doc.sections
    };
    let last = sections.len() - 1;
    for (si, section) in sections.iter().enumerate() {
        let g = Geometry::new(section.orientation, st);
        let items = blocks(si, section, st, &g)?;
        if si < last {
            let mut s = Section::new()
                .page_size(PageSize::new().size(g.width, g.height).orient(g.orient))
                .page_margin(g.margins(st))
                .page_num_type(PageNumType::new().start(1))
                .title_pg()
                .header(page_number_header(st));
            for item in items {
                s = match item {
                    Item::P(p) => s.add_paragraph(*p),
                    Item::T(t) => s.add_table(*t),
                };
            }
            docx = docx.add_section(s);
        } else {
            let ends_with_table = matches!(items.last(), Some(Item::T(_)));
            for item in items {
                docx = match item {
                    Item::P(p) => docx.add_paragraph(*p),
                    Item::T(t) => docx.add_table(*t),
                };
            }
            if ends_with_table {
                // Word wants a paragraph between the last table and the section end.
                docx = docx.add_paragraph(Paragraph::new().style(sid::RULE));
            }
            docx = docx
                .page_size(g.width, g.height)
                .page_orient(g.orient)
                .page_margin(g.margins(st))
                .page_num_type(PageNumType::new().start(1))
                .header(page_number_header(st))
                .first_header(Header::new().add_paragraph(Paragraph::new().style(sid::PAGE_NUMBER)))
                .title_pg();
        }
    }

    Ok(parts(docx.build()))
}

/// The parts of docx-rs's output, named and ordered as its own `XMLDocx::pack` writes them.
fn parts(x: docx_rs::XMLDocx) -> Vec<Part> {
    let mut parts: Vec<Part> = [
        ("[Content_Types].xml", x.content_type),
        ("_rels/.rels", x.rels),
        ("docProps/app.xml", x.doc_props.app),
        ("docProps/core.xml", x.doc_props.core),
        ("docProps/custom.xml", x.doc_props.custom),
        ("word/_rels/document.xml.rels", x.document_rels),
        ("word/document.xml", x.document),
        ("word/styles.xml", x.styles),
        ("word/settings.xml", x.settings),
        ("word/fontTable.xml", x.font_table),
        ("word/comments.xml", x.comments),
        ("word/numbering.xml", x.numberings),
        ("word/commentsExtended.xml", x.comments_extended),
        ("word/footnotes.xml", x.footnotes),
    ]
    .into_iter()
    .map(|(name, data)| (name.to_string(), data))
    .collect();
    let mut header_rels = x.header_rels.into_iter();
    for (i, h) in x.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
        if let Some(rels) = header_rels.next() {
            parts.push((format!("word/_rels/header{}.xml.rels", i + 1), rels));
        }
    }
    let mut footer_rels = x.footer_rels.into_iter();
    for (i, f) in x.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
        if let Some(rels) = footer_rels.next() {
            parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), rels));
        }
    }
    // The model has no images, task panes or custom XML, so docx-rs writes none of them.
    parts
}

fn page_number_header(st: &PageStyle) -> Header {
    let run = Run::new()
        .size(half_points(st.page_number_size))
        .fonts(fonts())
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Header::new().add_paragraph(Paragraph::new().style(sid::PAGE_NUMBER).add_run(run))
}

fn spacing(before: u32, after: u32, line: i32, rule: LineSpacingType) -> LineSpacing {
    LineSpacing::new()
        .before(before)
        .after(after)
        .line(line)
        .line_rule(rule)
}

fn with_styles(docx: Docx, st: &PageStyle) -> Docx {
    let body = half_points(st.body_size);
    let table = half_points(st.table_size);
    // "Single" in Word is about 1.15 of the size for Times New Roman, which is what the model's
    // line height means; other values scale from there.
    let line = ((240.0 * st.line_height / 1.15).round() as i32).max(120);
    let after = (st.paragraph_spacing * 20.0).round().max(0.0) as u32;
    let indent = mm(st.first_line_indent_mm);
    let single = |before, after| spacing(before, after, 240, LineSpacingType::Auto);

    let para = |id: &str, name: &str| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .q_format(true)
            .fonts(fonts())
    };
    let mut docx = docx
        .default_fonts(fonts())
        .default_size(body)
        .default_line_spacing(single(0, 0))
        .add_style(
            para(sid::BODY, "Body VN")
                .size(body)
                .align(AlignmentType::Both)
                .indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None)
                .line_spacing(spacing(0, after, line, LineSpacingType::Auto)),
        );
    for (level, id) in sid::HEADING.iter().enumerate() {
        let mut s = para(id, &format!("heading {}", level + 1))
            .next(sid::BODY)
            .size(body)
            .align(AlignmentType::Left)
            .indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None)
            .line_spacing(spacing(0, after, line, LineSpacingType::Auto))
            .outline_lvl(level);
        if level < 3 {
            s = s.bold();
        }
        if level == 2 {
            s = s.italic();
        }
        docx = docx.add_style(s);
    }
    // A document title and an appendix title look alike; they are two styles so that staff
    // can restyle one without the other.
    let title = |id: &str, name: &str| {
        para(id, name)
            .next(sid::BODY)
            .size(28)
            .bold()
            .align(AlignmentType::Center)
            .line_spacing(single(0, 0))
    };
    docx.add_style(
        para(sid::FRAME, "Header Block VN")
            .size(26)
            .align(AlignmentType::Center)
            .line_spacing(single(0, 0)),
    )
    .add_style(title(sid::TITLE, "Title VN"))
    .add_style(title(sid::APPENDIX, "Appendix Title VN"))
    .add_style(
        para(sid::RULE, "Rule VN")
            .size(2)
            .align(AlignmentType::Center)
            .line_spacing(spacing(0, 0, 20, LineSpacingType::Exact)),
    )
    .add_style(
        para(sid::TABLE, "Table Text VN")
            .size(table)
            .align(AlignmentType::Left)
            .line_spacing(single(40, 40)),
    )
    .add_style(
        para(sid::TABLE_HEAD, "Table Header VN")
            .based_on(sid::TABLE)
            .size(table)
            .bold()
            .align(AlignmentType::Center)
            .line_spacing(single(40, 40)),
    )
    .add_style(
        para(sid::PAGE_NUMBER, "Page Number VN")
            .size(half_points(st.page_number_size))
            .align(AlignmentType::Center)
            .line_spacing(single(0, 0)),
    )
    .add_style(
        para(sid::RECIPIENTS, "Recipients VN")
            .size(22)
            .align(AlignmentType::Left)
            .line_spacing(single(0, 0)),
    )
}

/// One body-level element of a section.
enum Item {
    P(Box<Paragraph>),
    T(Box<Table>),
}

impl Item {
    fn p(p: Paragraph) -> Item {
        Item::P(Box::new(p))
    }
    fn t(t: Table) -> Item {
        Item::T(Box::new(t))
    }
}

/// Run styling beyond the paragraph style.
#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    italic: bool,
    size: Option<f32>,
}

fn run(text: &str, look: Look) -> Run {
    let mut r = Run::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        for (j, piece) in line.split('\t').enumerate() {
            if j > 0 {
                r = r.add_tab();
            }
            if !piece.is_empty() {
                r = r.add_text(piece);
            }
        }
    }
    if look.bold {
        r = r.bold();
    }
    if look.italic {
        r = r.italic();
    }
    if let Some(s) = look.size {
        r = r.size(half_points(s));
    }
    r
}

fn model_runs(mut p: Paragraph, runs: &[doc::Run], extra: Look) -> Paragraph {
    for r in runs {
        p = p.add_run(run(
            &r.text,
            Look {
                bold: r.bold || extra.bold,
                italic: r.italic || extra.italic,
                size: extra.size,
            },
        ));
    }
    p
}

fn styled(style: &str, text: &str, look: Look) -> Paragraph {
    Paragraph::new().style(style).add_run(run(text, look))
}

/// An empty paragraph whose top border draws a centred rule `width` twips long inside
/// `available` twips.
fn rule(width: f32, available: i32, after: u32) -> Paragraph {
    let width = (width.round() as i32).clamp(mm(10.0).min(available), available);
    let side = (available - width) / 2;
    let mut p = Paragraph::new()
        .style(sid::RULE)
        .indent(Some(side), None, Some(side), None)
        // The border is drawn at the top of the paragraph: a few points keep it clear of the
        // descenders of the line above.
        .line_spacing(
            LineSpacing::new()
                .before(80)
                .after(after)
                .line(20)
                .line_rule(LineSpacingType::Exact),
        );
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Top)
                .val(BorderType::Single)
                .size(6)
                .space(0)
                .color("000000"),
        ),
    );
    p
}

fn blocks(
    si: usize,
    section: &doc::Section,
    st: &PageStyle,
    g: &Geometry,
) -> Result<Vec<Item>, DocxError> {
    let mut items = Vec::new();
    let mut page_break = false;
    let mut tables = 0;
    for block in &section.blocks {
        let start = items.len();
        match block {
            Block::Header(h) => items.push(Item::t(header_block(h, g))),
            Block::Title(t) => title(t, g, &mut items),
            Block::AppendixTitle(a) => appendix_title(a, g, &mut items),
            Block::Heading { level, runs } => {
                let idx = usize::from(level.clamp(&1, &4) - 1);
                let p = Paragraph::new().style(sid::HEADING[idx]).keep_next(true);
                items.push(Item::p(model_runs(p, runs, Look::default())));
            }
            Block::Paragraph(p) => {
                items.push(Item::p(paragraph(p, sid::BODY, st, Look::default())))
            }
            Block::Table(t) => {
                tables += 1;
                let table = data_table(t, st, g).map_err(|(row, message)| DocxError::Table {
                    section: si + 1,
                    table: tables,
                    row,
                    message,
                })?;
                items.push(Item::t(table));
            }
            Block::Signature(s) => {
                // The closing sentence goes with the signature: a signature alone on a page
                // is not accepted in practice.
                if let Some(Item::P(p)) = items.last_mut() {
                    let taken = std::mem::take(&mut **p);
                    **p = taken.keep_next(true);
                }
                items.push(Item::t(signature(s, g)));
            }
            Block::PageBreak => {
                page_break = true;
                continue;
            }
        }
        if page_break {
            page_break = false;
            match items.get_mut(start) {
                Some(Item::P(p)) => {
                    let taken = std::mem::take(&mut **p);
                    **p = taken.page_break_before(true);
                }
                Some(Item::T(_)) | None => items.insert(
                    start,
                    Item::p(
                        Paragraph::new()
                            .style(sid::RULE)
                            .add_run(Run::new().add_break(BreakType::Page)),
                    ),
                ),
            }
        }
    }
    if page_break {
        items.push(Item::p(
            Paragraph::new()
                .style(sid::RULE)
                .add_run(Run::new().add_break(BreakType::Page)),
        ));
    }
    Ok(items)
}

/// A model paragraph in the given role style; only what differs from the style is written.
fn paragraph(p: &doc::Paragraph, style: &str, st: &PageStyle, look: Look) -> Paragraph {
    let mut out = Paragraph::new().style(style);
    let body = style == sid::BODY;
    if !body || p.align != Align::Justify {
        out = out.align(jc(p.align));
    }
    if body && !p.indent_first_line {
        out = out.indent(Some(0), Some(SpecialIndentType::FirstLine(0)), None, None);
    } else if !body && p.indent_first_line {
        let indent = mm(st.first_line_indent_mm);
        out = out.indent(None, Some(SpecialIndentType::FirstLine(indent)), None, None);
    }
    let look = Look {
        size: p.size.or(look.size),
        ..look
    };
    model_runs(out, &p.runs, look)
}

fn borderless(rows: Vec<TableRow>, grid: Vec<usize>, indent: i32) -> Table {
    let width = grid.iter().sum();
    Table::without_borders(rows)
        .set_grid(grid)
        .width(width, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .indent(indent)
}

fn frame_cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa);
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

/// Header block: the left column reaches 10 mm into the left margin, as in published ward
/// documents, so that the authority lines are not squeezed.
fn header_block(h: &HeaderBlock, g: &Geometry) -> Table {
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
    let gap = LineSpacing::new().before(120);
    let number = styled(
        sid::FRAME,
        &h.number,
        Look {
            size: s13,
            ..Look::default()
        },
    )
    .line_spacing(gap.clone());
    let date = styled(
        sid::FRAME,
        &h.place_date,
        Look {
            bold: false,
            italic: true,
            size: s13,
        },
    )
    .line_spacing(gap);

    let rows = vec![
        TableRow::new(vec![
            frame_cell(left as usize, lp),
            frame_cell(right as usize, rp),
        ])
        .cant_split(),
        TableRow::new(vec![
            frame_cell(left as usize, vec![number]),
            frame_cell(right as usize, vec![date]),
        ])
        .cant_split(),
    ];
    borderless(rows, vec![left as usize, right as usize], indent)
}

fn title(t: &TitleBlock, g: &Geometry, items: &mut Vec<Item>) {
    let kind = styled(sid::TITLE, &t.kind, Look::default())
        .keep_next(true)
        .line_spacing(LineSpacing::new().before(360));
    items.push(Item::p(kind));
    for line in &t.summary {
        items.push(Item::p(
            styled(sid::TITLE, line, Look::default()).keep_next(true),
        ));
    }
    let widest = t
        .summary
        .iter()
        .chain(std::iter::once(&t.kind))
        .map(|l| text_width(l, 14.0, true))
        .fold(0.0, f32::max);
    items.push(Item::p(rule(widest * 0.4, g.text_width, 240)));
}

fn appendix_title(a: &AppendixTitle, g: &Geometry, items: &mut Vec<Item>) {
    items.push(Item::p(
        styled(sid::APPENDIX, &a.label, Look::default()).keep_next(true),
    ));
    for line in &a.title {
        items.push(Item::p(
            styled(sid::APPENDIX, line, Look::default()).keep_next(true),
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
    .keep_next(true);
    items.push(Item::p(reference));
    let widest = a
        .title
        .iter()
        .map(|l| text_width(l, 14.0, true))
        .fold(text_width(&a.label, 14.0, true), f32::max);
    items.push(Item::p(
        rule(widest * 0.3, g.text_width, 240).keep_next(true),
    ));
}

fn signature(s: &SignatureBlock, g: &Geometry) -> Table {
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
    let mut rp: Vec<Paragraph> = s
        .authority
        .iter()
        .map(|a| styled(sid::FRAME, a, bold14))
        .collect();
    // A little air between the closing sentence and the block, on both columns alike.
    let gap = LineSpacing::new().before(120);
    if let Some(first) = lp.first_mut() {
        let taken = std::mem::take(first);
        *first = taken.line_spacing(gap.clone());
    }
    if let Some(first) = rp.first_mut() {
        let taken = std::mem::take(first);
        *first = taken.line_spacing(gap);
    }
    // Room for the signature and the seal.
    rp.push(
        styled(sid::FRAME, &s.signer, bold14)
            .line_spacing(LineSpacing::new().before(mm(27.0) as u32)),
    );
    let rows = vec![
        TableRow::new(vec![
            frame_cell(left as usize, lp),
            frame_cell(right as usize, rp),
        ])
        .cant_split(),
    ];
    borderless(rows, vec![left as usize, right as usize], 0)
}

/// One cell of the expanded grid: either a model cell or the continuation of a row span.
enum Slot<'a> {
    Own(&'a Cell),
    Continue { col_span: usize },
}

/// Expands HTML-like spans into DOCX rows: every row gets a cell for every column it covers,
/// continuation cells (`vMerge` continue) included. Errors carry the 1-based row number.
fn expand<'a>(
    rows: &[&'a doc::Row],
    columns: usize,
) -> Result<Vec<Vec<Slot<'a>>>, (usize, String)> {
    // For each column where a row span starts: rows still to cover and its column span.
    let mut pending: Vec<Option<(u16, usize)>> = vec![None; columns];
    let mut out = Vec::with_capacity(rows.len());
    for (ri, row) in rows.iter().enumerate() {
        let mut slots = Vec::new();
        let mut cells = row.cells.iter();
        let mut col = 0;
        while col < columns {
            if let Some((left, span)) = pending[col] {
                pending[col] = if left > 1 {
                    Some((left - 1, span))
                } else {
                    None
                };
                slots.push(Slot::Continue { col_span: span });
                col += span;
                continue;
            }
            let Some(cell) = cells.next() else {
                return Err((ri + 1, format!("thiếu ô: chỉ phủ {col} trên {columns} cột")));
            };
            let span = usize::from(cell.col_span.max(1));
            if col + span > columns {
                return Err((ri + 1, format!("ô vượt quá {columns} cột")));
            }
            if let Some(c) = (col + 1..col + span).find(|&c| pending[c].is_some()) {
                return Err((ri + 1, format!("ô chồng lên ô gộp dòng ở cột {}", c + 1)));
            }
            if cell.row_span > 1 {
                pending[col] = Some((cell.row_span - 1, span));
            }
            slots.push(Slot::Own(cell));
            col += span;
        }
        if cells.next().is_some() {
            return Err((ri + 1, format!("thừa ô so với {columns} cột")));
        }
        out.push(slots);
    }
    Ok(out)
}

fn data_table(t: &doc::Table, st: &PageStyle, g: &Geometry) -> Result<Table, (usize, String)> {
    let columns = t.columns.len();
    if columns == 0 {
        return Err((0, "bảng không có cột".into()));
    }
    let total: f32 = t.columns.iter().map(|c| c.width.max(0.0)).sum();
    let mut grid: Vec<usize> = t
        .columns
        .iter()
        .map(|c| {
            let share = if total > 0.0 {
                c.width.max(0.0) / total
            } else {
                1.0 / columns as f32
            };
            (share * g.text_width as f32).floor() as usize
        })
        .collect();
    // Rounding leftovers go to the widest column so the table is exactly the text width.
    let leftover = (g.text_width as usize).saturating_sub(grid.iter().sum());
    if let Some(widest) = (0..columns).max_by_key(|&i| grid[i]) {
        grid[widest] += leftover;
    }

    let all: Vec<&doc::Row> = t.header.iter().chain(&t.rows).collect();
    let expanded = expand(&all, columns)?;
    let mut rows = Vec::with_capacity(all.len());
    for (ri, (row, slots)) in all.iter().zip(&expanded).enumerate() {
        let header = ri < t.header.len();
        let mut cells = Vec::with_capacity(slots.len());
        let mut col = 0;
        for slot in slots {
            let (span, cell) = match slot {
                Slot::Own(c) => (usize::from(c.col_span.max(1)), Some(*c)),
                Slot::Continue { col_span } => (*col_span, None),
            };
            let width: usize = grid[col..col + span].iter().sum();
            col += span;
            let mut tc = TableCell::new()
                .width(width, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if span > 1 {
                tc = tc.grid_span(span);
            }
            let style = if header { sid::TABLE_HEAD } else { sid::TABLE };
            match cell {
                Some(c) => {
                    if c.row_span > 1 {
                        tc = tc.vertical_merge(VMergeType::Restart);
                    }
                    let look = Look {
                        bold: c.bold || row.group,
                        italic: false,
                        size: None,
                    };
                    if c.paragraphs.is_empty() {
                        tc = tc.add_paragraph(Paragraph::new().style(style));
                    }
                    for p in &c.paragraphs {
                        let mut para = paragraph(p, style, st, look);
                        if row.group {
                            para = para.keep_next(true);
                        }
                        tc = tc.add_paragraph(para);
                    }
                }
                None => {
                    tc = tc
                        .vertical_merge(VMergeType::Continue)
                        .add_paragraph(Paragraph::new().style(style));
                }
            }
            cells.push(tc);
        }
        let mut tr = TableRow::new(cells).cant_split();
        if header {
            tr = tr
                .row_height(HEADER_ROW_MARK)
                .height_rule(HeightRule::AtLeast);
        }
        rows.push(tr);
    }
    let border = |pos| {
        TableBorder::new(pos)
            .border_type(BorderType::Single)
            .size(4)
            .color("000000")
    };
    let borders = TableBorders::with_empty()
        .set(border(TableBorderPosition::Top))
        .set(border(TableBorderPosition::Left))
        .set(border(TableBorderPosition::Bottom))
        .set(border(TableBorderPosition::Right))
        .set(border(TableBorderPosition::InsideH))
        .set(border(TableBorderPosition::InsideV));
    Ok(Table::new(rows)
        .set_grid(grid)
        .width(g.text_width as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .indent(0)
        .set_borders(borders))
}
