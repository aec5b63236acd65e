//! Our layout engine: a [`Document`] in, [`Pages`] of positioned glyph runs and rules out.
//!
//! All measuring happens here (rustybuzz, with the faces the PDF embeds), so the PDF writer only
//! translates items and can be swapped. Coordinates are points with the origin at the top-left
//! corner of the page and y growing downwards; a text run's point is the start of its baseline,
//! a rule's point its start, a rectangle's point its top-left corner.
//!
//! The rules come from spec/nd30-layout.md: margins, sizes, the Decree 30 header block, title,
//! signature, appendix titles, and tables with repeated header rows.

mod coverage;
mod frame;
mod table;
mod text;

use std::ops::Range;

use crate::doc::{Align, Block, Document, Orientation, PageStyle, Paragraph, Run};
use crate::fonts::{FontStyle, Fonts, MissingGlyph};

pub use coverage::missing_glyphs;
use text::{LineBox, ParaStyle, Shaper};

/// A4 in points.
pub const A4_SHORT: f32 = 595.276;
pub const A4_LONG: f32 = 841.89;
const MM: f32 = 72.0 / 25.4;
const EPS: f32 = 0.01;
/// Stroke width of rules and table borders.
const RULE: f32 = 0.5;

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Pages(pub Vec<Page>);

#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Size in points.
    pub width: f32,
    pub height: f32,
    pub items: Vec<(Point, Item)>,
    /// The blank left for the signature and seal, on the page that holds the signer's name, so
    /// the PDF writer can put an empty signature field over it for a signing tool to sign into.
    pub signature_area: Option<Area>,
}

/// A region of a page; the point is its top-left corner, sizes in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub at: Point,
    pub width: f32,
    pub height: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Glyphs on one baseline; the point is the start of the baseline.
    Text(TextRun),
    /// A straight rule from the point to `end`.
    Line(Line),
    /// A stroked rectangle; the point is its top-left corner.
    Rect(Rect),
}

/// Shaped text in one face and size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub font: FontStyle,
    pub size: f32,
    /// The characters the glyphs stand for (what copy and paste gives back).
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// Sum of the advances, in points.
    pub width: f32,
}

/// A placed glyph. Advances and offsets in points at the run's size; `y_offset` points up, as in
/// OpenType (it is a mark's lift, not a page coordinate).
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub x_advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Bytes of the run's text this glyph's cluster covers.
    pub text_range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub end: Point,
    /// Stroke width in points.
    pub width: f32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub width: f32,
    pub height: f32,
    /// Stroke width in points.
    pub stroke: f32,
}

/// Why a document cannot be laid out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LayoutError {
    #[error("phông chữ không vẽ được văn bản:\n{}", list(.0))]
    MissingGlyphs(Vec<MissingGlyph>),
    #[error("tệp phông chữ {0:?} không đọc được")]
    Font(FontStyle),
    #[error("phông chữ {style:?} không có ký tự cho đoạn: «{text}»")]
    NotDef { style: FontStyle, text: String },
    #[error("bảng không hợp lệ: {0}")]
    Table(String),
    #[error("{0} cao hơn một trang, không dàn trang được")]
    TooTall(String),
    #[error("thiết lập trang không hợp lệ: {0}")]
    Style(String),
}

fn list(m: &[MissingGlyph]) -> String {
    m.iter()
        .map(|g| format!("- {g}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lay a document out on pages. Every character is first checked against the fonts: a missing
/// glyph is an error naming the text, never an empty box.
///
/// ```
/// let pages = cchc::layout::layout(&cchc::doc::specimen(), &cchc::fonts::Fonts::builtin())?;
/// let first = &pages.0[0];
/// assert_eq!((first.width, first.height), (595.276, 841.89));
/// # Ok::<(), cchc::layout::LayoutError>(())
/// ```
pub fn layout(doc: &Document, fonts: &Fonts) -> Result<Pages, LayoutError> {
    let missing = missing_glyphs(fonts, doc);
    if !missing.is_empty() {
        return Err(LayoutError::MissingGlyphs(missing));
    }
    check_style(&doc.style)?;
    let shaper = Shaper::new(fonts)?;
    let mut flow = Flow::new(&shaper, &doc.style);
    for section in &doc.sections {
        flow.start_section(section.orientation)?;
        for (i, block) in section.blocks.iter().enumerate() {
            if let (Block::Paragraph(p), Some(Block::Signature(s))) =
                (block, section.blocks.get(i + 1))
            {
                flow.keep_with_signature(p, s)?;
            }
            flow.block(block)?;
        }
        flow.finish_section()?;
    }
    Ok(Pages(flow.pages))
}

fn check_style(s: &PageStyle) -> Result<(), LayoutError> {
    let sizes = [
        ("cỡ chữ thân bài", s.body_size),
        ("cỡ chữ bảng", s.table_size),
        ("cỡ số trang", s.page_number_size),
        ("giãn dòng", s.line_height),
    ];
    for (name, v) in sizes {
        if !(v.is_finite() && v > 0.0 && v < 200.0) {
            return Err(LayoutError::Style(format!("{name} = {v}")));
        }
    }
    let lengths = [
        ("lề trên", s.margin_top_mm),
        ("lề dưới", s.margin_bottom_mm),
        ("lề trái", s.margin_left_mm),
        ("lề phải", s.margin_right_mm),
        ("thụt đầu dòng", s.first_line_indent_mm),
        ("khoảng cách đoạn", s.paragraph_spacing),
    ];
    for (name, v) in lengths {
        if !(v.is_finite() && (0.0..100.0).contains(&v)) {
            return Err(LayoutError::Style(format!("{name} = {v}")));
        }
    }
    Ok(())
}

fn check_size(size: f32) -> Result<f32, LayoutError> {
    if size.is_finite() && size > 0.0 && size < 200.0 {
        Ok(size)
    } else {
        Err(LayoutError::Style(format!("cỡ chữ đoạn = {size}")))
    }
}

/// The face a heading run is set in (bold for levels 1-2, bold italic for 3, as written for 4).
pub(crate) fn heading_face(level: u8, run: &Run) -> FontStyle {
    match level {
        0..=2 => FontStyle::new(true, run.italic),
        3 => FontStyle::BoldItalic,
        _ => FontStyle::new(run.bold, run.italic),
    }
}

/// The page cursor: current page, margins of the current section, and the vertical position.
pub(crate) struct Flow<'a> {
    sh: &'a Shaper<'a>,
    style: &'a PageStyle,
    pages: Vec<Page>,
    width: f32,
    height: f32,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    y: f32,
    section_start: usize,
}

impl<'a> Flow<'a> {
    fn new(sh: &'a Shaper<'a>, style: &'a PageStyle) -> Flow<'a> {
        Flow {
            sh,
            style,
            pages: Vec::new(),
            width: A4_SHORT,
            height: A4_LONG,
            left: 0.0,
            right: 0.0,
            top: 0.0,
            bottom: 0.0,
            y: 0.0,
            section_start: 0,
        }
    }

    fn start_section(&mut self, orientation: Orientation) -> Result<(), LayoutError> {
        (self.width, self.height) = match orientation {
            Orientation::Portrait => (A4_SHORT, A4_LONG),
            Orientation::Landscape => (A4_LONG, A4_SHORT),
        };
        let s = self.style;
        self.left = s.margin_left_mm * MM;
        self.right = self.width - s.margin_right_mm * MM;
        self.top = s.margin_top_mm * MM;
        self.bottom = self.height - s.margin_bottom_mm * MM;
        if self.right - self.left < 100.0 || self.bottom - self.top < 100.0 {
            return Err(LayoutError::Style("lề quá rộng so với khổ giấy".into()));
        }
        self.section_start = self.pages.len();
        self.new_page();
        Ok(())
    }

    /// Page numbers: from the section's second page, restarting at 1 in every section,
    /// centred in the top margin.
    fn finish_section(&mut self) -> Result<(), LayoutError> {
        let size = self.style.page_number_size;
        let margin = self.top;
        for (n, page) in self.pages[self.section_start..]
            .iter_mut()
            .enumerate()
            .skip(1)
        {
            let run = self
                .sh
                .run(FontStyle::Regular, size, &(n + 1).to_string())?;
            let x = (page.width - run.width) / 2.0;
            // Centre the digits' ink (cap height is about the ascent less the descent) in the
            // margin.
            let baseline = margin / 2.0 + self.sh.ascent(size) * 0.35;
            page.items.push((Point { x, y: baseline }, Item::Text(run)));
        }
        Ok(())
    }

    fn new_page(&mut self) {
        self.pages.push(Page {
            width: self.width,
            height: self.height,
            items: Vec::new(),
            signature_area: None,
        });
        self.y = self.top;
    }

    fn fresh(&self) -> bool {
        (self.y - self.top).abs() < EPS
    }

    fn remaining(&self) -> f32 {
        self.bottom - self.y
    }

    fn text_width(&self) -> f32 {
        self.right - self.left
    }

    fn push(&mut self, at: Point, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push((at, item));
        }
    }

    fn hline(&mut self, x: f32, y: f32, width: f32) {
        self.push(
            Point { x, y },
            Item::Line(Line {
                end: Point { x: x + width, y },
                width: RULE,
            }),
        );
    }

    /// Draw lines at the cursor, left edge `x0`, and move the cursor below them.
    fn draw_lines(&mut self, x0: f32, lines: &[LineBox]) {
        for l in lines {
            self.draw_line_at(x0, self.y, l);
            self.y += l.height;
        }
    }

    fn draw_line_at(&mut self, x0: f32, top: f32, l: &LineBox) {
        for (dx, run) in &l.runs {
            self.push(
                Point {
                    x: x0 + dx,
                    y: top + l.baseline,
                },
                Item::Text(run.clone()),
            );
        }
    }

    fn lines(
        &self,
        runs: &[(FontStyle, &str)],
        size: f32,
        align: Align,
        indent: f32,
        width: f32,
    ) -> Result<Vec<LineBox>, LayoutError> {
        text::set_lines(
            self.sh,
            runs,
            ParaStyle {
                size,
                line_height: self.style.line_height,
                align,
                first_indent: indent,
                width,
            },
        )
    }

    fn block(&mut self, block: &Block) -> Result<(), LayoutError> {
        match block {
            Block::Header(h) => frame::header(self, h),
            Block::Title(t) => frame::title(self, t),
            Block::AppendixTitle(a) => frame::appendix_title(self, a),
            Block::Heading { level, runs } => self.heading(*level, runs),
            Block::Paragraph(p) => self.paragraph(p),
            Block::Table(t) => table::table(self, t),
            Block::Signature(s) => frame::signature(self, s),
            Block::PageBreak => {
                // A break on an untouched page would leave it blank.
                if !self.fresh() {
                    self.new_page();
                }
                Ok(())
            }
        }
    }

    fn heading(&mut self, level: u8, runs: &[Run]) -> Result<(), LayoutError> {
        let styled: Vec<(FontStyle, &str)> = runs
            .iter()
            .map(|r| (heading_face(level, r), r.text.as_str()))
            .collect();
        let size = self.style.body_size;
        let indent = self.style.first_line_indent_mm * MM;
        let lines = self.lines(&styled, size, Align::Left, indent, self.text_width())?;
        // Keep the heading with at least two lines of what follows.
        let h: f32 = lines.iter().map(|l| l.height).sum();
        let need = h + self.style.paragraph_spacing + 2.0 * size * self.style.line_height;
        if need > self.remaining() + EPS && !self.fresh() {
            self.new_page();
        }
        self.place_lines(lines)
    }

    /// The paragraph before the signature goes with it (as the DOCX's keepNext does): a
    /// signature alone on a page signs nothing that can be read there. When the paragraph fits
    /// on this page but the two together do not, both start the next one.
    fn keep_with_signature(
        &mut self,
        p: &Paragraph,
        s: &crate::doc::SignatureBlock,
    ) -> Result<(), LayoutError> {
        if self.fresh() {
            return Ok(());
        }
        let lines = self.paragraph_lines(p)?;
        let h: f32 = lines.iter().map(|l| l.height).sum::<f32>() + self.style.paragraph_spacing;
        let sig = frame::signature_height(self, s)?;
        if h <= self.remaining() + EPS && h + sig > self.remaining() + EPS {
            self.new_page();
        }
        Ok(())
    }

    fn paragraph_lines(&self, p: &Paragraph) -> Result<Vec<LineBox>, LayoutError> {
        let size = check_size(p.size.unwrap_or(self.style.body_size))?;
        let styled: Vec<(FontStyle, &str)> = p
            .runs
            .iter()
            .map(|r| (FontStyle::new(r.bold, r.italic), r.text.as_str()))
            .collect();
        let indent = if p.indent_first_line {
            self.style.first_line_indent_mm * MM
        } else {
            0.0
        };
        self.lines(&styled, size, p.align, indent, self.text_width())
    }

    fn paragraph(&mut self, p: &Paragraph) -> Result<(), LayoutError> {
        let lines = self.paragraph_lines(p)?;
        self.place_lines(lines)
    }

    /// Place a paragraph's lines, breaking pages so that no page starts or ends with a single
    /// line of it (widows and orphans), then add the paragraph spacing.
    fn place_lines(&mut self, mut lines: Vec<LineBox>) -> Result<(), LayoutError> {
        loop {
            let n = lines.len();
            let mut fit = 0;
            let mut h = 0.0;
            for l in &lines {
                if self.y + h + l.height > self.bottom + EPS {
                    break;
                }
                h += l.height;
                fit += 1;
            }
            if fit >= n {
                self.draw_lines(self.left, &lines);
                self.y += self.style.paragraph_spacing;
                return Ok(());
            }
            let mut k = fit;
            if n - k < 2 {
                k = n.saturating_sub(2);
            }
            if k < 2 {
                k = 0;
            }
            if k == 0 {
                if !self.fresh() {
                    self.new_page();
                    continue;
                }
                // A fresh page that cannot hold two lines: place what fits, at least one.
                k = fit.max(1);
            }
            let rest = lines.split_off(k);
            self.draw_lines(self.left, &lines);
            self.new_page();
            lines = rest;
        }
    }
}

#[cfg(test)]
mod tests;
