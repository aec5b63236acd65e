//! The format-neutral document: what the DOCX writer and the PDF layout engine both consume.
//!
//! It carries content and the official frame of Decree 30/2020/NĐ-CP as typed blocks, never
//! style strings or markup, so the two writers cannot disagree about what a report says. Sizes
//! are in points; widths of table columns are relative weights.

use chrono::NaiveDate;
use serde::Serialize;

/// A whole official document: metadata plus sections (each section starts on a new page and
/// has its own orientation and page numbering).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub style: PageStyle,
    pub sections: Vec<Section>,
}

/// Document properties written to DOCX core.xml and to PDF info/XMP.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// e.g. "Báo cáo kết quả thực hiện ... quý II năm 2024"
    pub title: String,
    /// The issuing authority, e.g. "Ủy ban nhân dân phường Phú Lãm".
    pub author: String,
    /// e.g. "Báo cáo số 12/BC-UBND" (or the document type when the number is blank).
    pub subject: String,
    /// Always "vi".
    pub language: String,
    /// The document's date; both writers use it as creation and modification date so that the
    /// same inputs give the same bytes.
    pub date: NaiveDate,
}

/// Page geometry and sizes shared by every section (spec/nd30-layout.md, defaults in brackets).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageStyle {
    /// Margins in millimetres: top, bottom, left, right [20, 20, 30, 15].
    pub margin_top_mm: f32,
    pub margin_bottom_mm: f32,
    pub margin_left_mm: f32,
    pub margin_right_mm: f32,
    /// Body text size [14].
    pub body_size: f32,
    /// Table text size [12].
    pub table_size: f32,
    /// Page number size [13].
    pub page_number_size: f32,
    /// First-line indent of body paragraphs in millimetres [12.7].
    pub first_line_indent_mm: f32,
    /// Space after a body paragraph in points [6].
    pub paragraph_spacing: f32,
    /// Line height as a multiple of the font size [1.15 — single spacing in Word terms is about
    /// 1.15 of the size for Times New Roman].
    pub line_height: f32,
}

impl Default for PageStyle {
    fn default() -> Self {
        PageStyle {
            margin_top_mm: 20.0,
            margin_bottom_mm: 20.0,
            margin_left_mm: 30.0,
            margin_right_mm: 15.0,
            body_size: 14.0,
            table_size: 12.0,
            page_number_size: 13.0,
            first_line_indent_mm: 12.7,
            paragraph_spacing: 6.0,
            line_height: 1.15,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Orientation {
    Portrait,
    Landscape,
}

/// A run of pages: the report body, or one appendix. Page numbers restart at 1 in every
/// section, are centred in the top margin, and are not shown on the section's first page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub orientation: Orientation,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

/// A span of text in one style. Text is NFC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

impl Run {
    pub fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: false,
            italic: false,
        }
    }
    pub fn bold(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: true,
            italic: false,
        }
    }
    pub fn italic(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            bold: false,
            italic: true,
        }
    }
}

/// A paragraph: runs plus how the paragraph sits. Body paragraphs are justified with a
/// first-line indent; headings are flush left; lines inside table cells use their own align.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paragraph {
    pub runs: Vec<Run>,
    pub align: Align,
    /// First-line indent (the style's `first_line_indent_mm`) when true.
    pub indent_first_line: bool,
    /// Font size in points; `None` means the context's size (body or table).
    pub size: Option<f32>,
}

impl Paragraph {
    /// A justified body paragraph with a first-line indent.
    pub fn body(runs: Vec<Run>) -> Paragraph {
        Paragraph {
            runs,
            align: Align::Justify,
            indent_first_line: true,
            size: None,
        }
    }
    /// A paragraph in a table cell or frame line.
    pub fn aligned(runs: Vec<Run>, align: Align) -> Paragraph {
        Paragraph {
            runs,
            align,
            indent_first_line: false,
            size: None,
        }
    }
    /// The paragraph's text without styles.
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// The blocks of a section, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// The two-column header block of Decree 30 (authority | national motto).
    Header(HeaderBlock),
    /// Tên loại and trích yếu, centred, with a short rule below.
    Title(TitleBlock),
    /// "PHỤ LỤC I", its title and "(Kèm theo ...)", centred, with a short rule below.
    AppendixTitle(AppendixTitle),
    /// Headings carry their own numbering in the text ("I. MỤC ĐÍCH", "1. Mục đích", "1.1.",
    /// "a)"). Level 1: bold; 2: bold; 3: bold italic; 4: normal. Flush left, first-line indent
    /// like the body (practice in ward documents), never centred.
    Heading {
        level: u8,
        runs: Vec<Run>,
    },
    Paragraph(Paragraph),
    Table(Table),
    /// Nơi nhận (left) and the signature (right).
    Signature(SignatureBlock),
    /// Forces the next block onto a new page of the same section.
    PageBreak,
}

/// The header block. Left column: `parent` (upright), `issuer` lines (bold) with a short rule
/// under the last, then `number` ("Số: 12/BC-UBND"). Right column: `motto` (bold), `motto_sub`
/// (bold, with a rule as wide as the text), then `place_date` (italic), on the line of `number`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderBlock {
    /// Cơ quan chủ quản, upper case, e.g. "UBND QUẬN HÀ ĐÔNG"; may be empty.
    pub parent: Option<String>,
    /// Cơ quan ban hành, upper case, one entry a line, e.g. ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ LÃM"].
    pub issuer: Vec<String>,
    /// "Số: 12/BC-UBND" or, for a draft, "Số:      /BC-UBND".
    pub number: String,
    /// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    pub motto: String,
    /// "Độc lập - Tự do - Hạnh phúc"
    pub motto_sub: String,
    /// "Phú Lãm, ngày 05 tháng 6 năm 2024"
    pub place_date: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TitleBlock {
    /// Tên loại, upper case: "BÁO CÁO".
    pub kind: String,
    /// Trích yếu lines (normal case, bold, centred), already broken where the author wants.
    pub summary: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppendixTitle {
    /// "PHỤ LỤC I"
    pub label: String,
    /// Upper-case title lines, bold, centred.
    pub title: Vec<String>,
    /// "(Kèm theo Báo cáo số 12/BC-UBND ngày 05 tháng 6 năm 2024 của UBND phường Phú Lãm)",
    /// italic, centred.
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignatureBlock {
    /// Recipients, each "- Phòng Nội vụ quận;", the last "- Lưu: VT.". Shown under "Nơi nhận:".
    pub recipients: Vec<String>,
    /// Quyền hạn and chức vụ lines, upper case, bold: ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"].
    pub authority: Vec<String>,
    /// The signer's full name, bold, after the space for signature and seal.
    pub signer: String,
}

/// The space between a bordered table cell's side borders and its text, in points. The PDF
/// layout sets cells with it and the DOCX writer declares it (`w:tblCellMar`) instead of
/// Word's default 5.4 pt, so that a word that fits a column in one fits it in the other
/// (with Word's margin, "STT" and "Tình trạng" broke in LibreOffice and not in the PDF).
pub const CELL_PAD_X: f32 = 4.0;

/// A bordered table. `header` rows are bold, centred and repeated on every page the table
/// spans; rows are never split across pages unless taller than a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    pub header: Vec<Row>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Relative width; the writer scales all columns to the text width.
    pub width: f32,
    /// Default alignment of the column's body cells (numbers: Right).
    pub align: Align,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// A group row ("I | Tiêu chí: Tiếp cận dịch vụ"): bold, kept with the next row.
    pub group: bool,
}

/// A cell. Like HTML, a cell spanning rows or columns is given once, in its first row and
/// column; the positions it covers have no `Cell` in the later rows. Each row's cells plus
/// the spans reaching into it from above cover every column exactly once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub paragraphs: Vec<Paragraph>,
    pub col_span: u16,
    pub row_span: u16,
    pub bold: bool,
}

impl Cell {
    /// A one-paragraph cell with the given alignment.
    pub fn text(text: impl Into<String>, align: Align) -> Cell {
        Cell {
            paragraphs: vec![Paragraph::aligned(vec![Run::plain(text)], align)],
            col_span: 1,
            row_span: 1,
            bold: false,
        }
    }
    /// The cell's text, paragraphs joined by newlines.
    pub fn text_content(&self) -> String {
        self.paragraphs
            .iter()
            .map(Paragraph::text)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Document {
    /// Every text string of the document in reading order (used to check glyph coverage and
    /// by tests).
    pub fn texts(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for s in &self.sections {
            for b in &s.blocks {
                collect_block_texts(b, &mut out);
            }
        }
        out
    }
}

fn collect_block_texts<'a>(b: &'a Block, out: &mut Vec<&'a str>) {
    let para = |p: &'a Paragraph, out: &mut Vec<&'a str>| {
        out.extend(p.runs.iter().map(|r| r.text.as_str()));
    };
    match b {
        Block::Header(h) => {
            out.extend(h.parent.iter().map(String::as_str));
            out.extend(h.issuer.iter().map(String::as_str));
            out.extend([h.number.as_str(), &h.motto, &h.motto_sub, &h.place_date]);
        }
        Block::Title(t) => {
            out.push(&t.kind);
            out.extend(t.summary.iter().map(String::as_str));
        }
        Block::AppendixTitle(a) => {
            out.push(&a.label);
            out.extend(a.title.iter().map(String::as_str));
            out.push(&a.reference);
        }
        Block::Heading { runs, .. } => out.extend(runs.iter().map(|r| r.text.as_str())),
        Block::Paragraph(p) => para(p, out),
        Block::Table(t) => {
            for row in t.header.iter().chain(&t.rows) {
                for c in &row.cells {
                    for p in &c.paragraphs {
                        para(p, out);
                    }
                }
            }
        }
        Block::Signature(s) => {
            out.push("Nơi nhận:");
            out.extend(s.recipients.iter().map(String::as_str));
            out.extend(s.authority.iter().map(String::as_str));
            out.push(&s.signer);
        }
        Block::PageBreak => {}
    }
}
