//! Chuyển phần thân Markdown của mẫu báo cáo thành các khối của văn bản ([`Block`]).
//!
//! For developers: [`from_markdown`] is one fold over pulldown-cmark's offset iterator, in the
//! manner of pulldown-cmark's `html.rs`; the byte ranges give every error its 1-based source
//! line. The rules below are written in Vietnamese because template authors read them.
//!
//! # Quy ước viết mẫu
//!
//! **Đề mục.** `#`, `##`, `###`, `####` là đề mục cấp 1 đến 4. Tự ghi số thứ tự trong chữ:
//! `# I. MỤC ĐÍCH`, `## 1. Mục đích`, `### 1.1. Ưu điểm`, `#### a) Kết quả`. Cấp 1 và cấp 2 in
//! đậm, cấp 3 đậm nghiêng, cấp 4 chữ thường (trừ khi tự thêm `**...**` hay `*...*`). Không dùng
//! `#####` trở đi.
//!
//! **Đoạn văn.** Các đoạn cách nhau một dòng trống; đoạn văn được căn đều hai bên và thụt đầu
//! dòng. Xuống dòng bình thường bên trong một đoạn chỉ tính là một dấu cách; nhiều dấu cách liền
//! nhau được gộp làm một. Muốn tách sang đoạn mới ngay tại chỗ (giữ nguyên kiểu căn lề): cuối
//! dòng thêm hai dấu cách hoặc dấu `\`, hoặc viết `<br>`.
//! - `**đậm**`, `*nghiêng*`, `***đậm nghiêng***`;
//! - `` `chữ` `` in như chữ thường; liên kết `[chữ](địa chỉ)` chỉ giữ phần chữ.
//!
//! **Danh sách.** Mỗi ý `- ...` (hoặc `* ...`, `+ ...`) thành một đoạn văn bắt đầu bằng "- ";
//! ý đánh số `1. ...` giữ số "1. " (viết `1) ...` thì giữ "1) "). Danh sách lồng nhau cũng vậy,
//! không thụt lề thêm.
//!
//! **Căn giữa, căn phải.** Dòng `<!-- giua -->` đặt ngay trên một đoạn văn làm đoạn đó căn giữa,
//! không thụt đầu dòng; `<!-- phai -->` làm đoạn đó căn phải.
//!
//! **Sang trang.** Dòng `<!-- ngat-trang -->`.
//!
//! **Bảng.** Viết bảng kiểu GFM (các ô ngăn bởi `|`, dòng thứ hai là hàng kẻ `|---|---|`).
//! - Hàng kẻ quyết định căn lề cột: `:--` trái, `--:` phải (dùng cho cột số), `:-:` giữa,
//!   `---` trái.
//! - Dòng `<!-- bang: rong=1,6,3,3 tieude=2 -->` đặt ngay trên bảng (không bắt buộc):
//!   `rong` là độ rộng tương đối của từng cột, phải có đủ một số cho mỗi cột (mặc định các cột
//!   rộng bằng nhau); số lẻ viết `1.5`, hoặc `1,5` nếu ngăn các số bằng dấu `;` (`rong=1,5;6;3`).
//!   `tieude` là số dòng tiêu đề (mặc định 1): dòng đầu bảng cộng thêm `tieude - 1` dòng tiếp
//!   theo. Dòng tiêu đề in đậm, căn giữa và được lặp lại ở đầu mỗi trang.
//! - Ô chỉ có `^` được gộp vào ô phía trên; ô chỉ có `<` được gộp vào ô bên trái. Vùng gộp phải
//!   là hình chữ nhật. Muốn in đúng ký tự ^ hay < trong một ô thì viết `\^`, `\<`.
//! - `<br>` trong một ô: xuống dòng trong ô.
//! - Dòng nhóm: dòng (ở phần thân bảng) chỉ có một hoặc hai ô thật, ô cuối kéo tới hết dòng
//!   bằng `<`, ví dụ `| I | Tiêu chí: Tiếp cận dịch vụ | < | < | < |`. Dòng nhóm in đậm, ô kéo
//!   dài căn trái. Các ô khác theo căn lề của cột.
//! - Dòng nào cũng phải có đủ số ô như dòng đầu bảng.
//!
//! **Không dùng được**, chương trình báo lỗi kèm số dòng: HTML (trừ `<br>` và các chú thích kể
//! trên), hình ảnh, khối mã (kể cả các dòng thụt vào từ 4 dấu cách trở lên), đường kẻ ngang
//! `---`, đề mục cấp 5 trở đi. Các chú thích `<!-- ... -->` khác được bỏ qua (dùng để ghi chú
//! cho người soạn mẫu). Dấu trích dẫn `>` được bỏ qua, nội dung in như đoạn văn thường.
//!
//! # Ví dụ
//!
//! ```
//! use cchc::doc::{Align, Block, from_markdown};
//!
//! // (The heading shares the `let` line: rustdoc would hide a line starting with "# ".)
//! let src = "# I. MỤC ĐÍCH
//!
//! Thực hiện **Kế hoạch số 104/KH-UBND**, UBND phường báo cáo như sau:
//!
//! - Tỷ lệ hồ sơ trực tuyến đạt 18,68%.
//!
//! <!-- giua -->
//! *(Số liệu tính đến ngày 05/6/2024)*
//!
//! <!-- ngat-trang -->
//!
//! <!-- bang: rong=1,6,3 -->
//! | STT | Nhiệm vụ | Kết quả |
//! |:-:|:--|--:|
//! | I | Tiêu chí: Tiếp cận dịch vụ | < |
//! | 1 | Niêm yết công khai TTHC<br>tại bộ phận Một cửa | 100% |
//! ";
//! let blocks = from_markdown(src).unwrap();
//! assert!(matches!(&blocks[0], Block::Heading { level: 1, runs } if runs[0].bold));
//! let Block::Paragraph(p) = &blocks[2] else { panic!() };
//! assert_eq!(p.text(), "- Tỷ lệ hồ sơ trực tuyến đạt 18,68%.");
//! let Block::Paragraph(p) = &blocks[3] else { panic!() };
//! assert_eq!(p.align, Align::Center);
//! assert_eq!(blocks[4], Block::PageBreak);
//! let Block::Table(t) = &blocks[5] else { panic!() };
//! assert!(t.rows[0].group);
//! assert_eq!(t.rows[1].cells[1].paragraphs.len(), 2);
//!
//! let err = from_markdown("Chữ\n\n<span>x</span>\n").unwrap_err();
//! assert_eq!(err.line, 3);
//! assert!(err.to_string().starts_with("dòng 3: "));
//! ```

use super::model::{Align, Block, Cell, Column, Paragraph, Row, Run, Table};
use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// A template body that cannot be turned into blocks: where (1-based line of the Markdown
/// source) and, in Vietnamese, what was found and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("dòng {line}: {message}")]
pub struct MarkdownError {
    pub line: usize,
    pub message: String,
}

/// Converts a template body (Markdown, after tera has filled it) into document blocks,
/// following the conventions of the module documentation. Returns the first error found.
///
/// ```
/// # use cchc::doc::{Block, from_markdown};
/// let blocks = from_markdown("## 1. Mục đích\n\nNội dung.").unwrap();
/// assert_eq!(blocks.len(), 2);
/// assert!(matches!(&blocks[0], Block::Heading { level: 2, .. }));
/// ```
pub fn from_markdown(src: &str) -> Result<Vec<Block>, MarkdownError> {
    // Strikethrough stays off: "~" is ordinary text in Vietnamese reports ("5~7 ngày").
    let parser = Parser::new_ext(src, Options::ENABLE_TABLES);
    let mut conv = Converter::new(src);
    for (event, range) in parser.into_offset_iter() {
        conv.event(event, range)?;
    }
    conv.finish()
}

/// The converter's state between events. Inline content never nests inside another inline
/// context (a cell holds no paragraph, a heading no cell), so one open buffer suffices.
struct Converter<'s> {
    src: &'s str,
    /// Byte offset of the start of every line, for turning ranges into line numbers.
    line_starts: Vec<usize>,
    blocks: Vec<Block>,
    inline: Option<InlineBuf>,
    /// Open lists, innermost last: the next number of an ordered list.
    lists: Vec<Option<u64>>,
    /// The marker ("- ", "3. ") of the list item whose first paragraph has not started yet.
    item_prefix: Option<String>,
    /// `<!-- giua -->` / `<!-- phai -->` waiting for its paragraph, with the comment's line.
    pending_align: Option<(Align, usize)>,
    /// `<!-- bang: ... -->` waiting for its table, with the comment's line.
    pending_table: Option<(TableOptions, usize)>,
    /// Lines of the HTML block being read: text and the byte offset where it starts.
    html: Option<Vec<(String, usize)>>,
    table: Option<TableBuf>,
}

#[derive(Clone, Copy)]
enum InlineKind {
    Heading(u8),
    Body { align: Align, indent: bool },
    Cell,
}

/// Runs being collected for one paragraph, heading or cell. Hard breaks and `<br>` close a
/// piece: the model has no line-break inline, so each piece becomes its own paragraph.
struct InlineBuf {
    kind: InlineKind,
    pieces: Vec<Vec<Run>>,
    runs: Vec<Run>,
    /// Style every run starts with (headings of levels 1 to 3).
    base_bold: bool,
    base_italic: bool,
    /// Nesting depth of `**` and `*`: `***x***` opens both.
    strong: u32,
    emphasis: u32,
}

impl InlineBuf {
    fn new(kind: InlineKind) -> InlineBuf {
        let (base_bold, base_italic) = match kind {
            InlineKind::Heading(1 | 2) => (true, false),
            InlineKind::Heading(3) => (true, true),
            _ => (false, false),
        };
        InlineBuf {
            kind,
            pieces: Vec::new(),
            runs: Vec::new(),
            base_bold,
            base_italic,
            strong: 0,
            emphasis: 0,
        }
    }

    /// Appends text in the current style, folding every run of whitespace into one space and
    /// dropping whitespace at the start of a piece.
    fn push_text(&mut self, text: &str) {
        let bold = self.base_bold || self.strong > 0;
        let italic = self.base_italic || self.emphasis > 0;
        let mut after_space = self
            .runs
            .iter()
            .rev()
            .find(|r| !r.text.is_empty())
            .is_none_or(|r| r.text.ends_with(' '));
        if !matches!(self.runs.last(), Some(r) if r.bold == bold && r.italic == italic) {
            self.runs.push(Run {
                text: String::new(),
                bold,
                italic,
            });
        }
        let Some(run) = self.runs.last_mut() else {
            return;
        };
        for c in text.chars() {
            if is_collapsible_space(c) {
                if !after_space {
                    run.text.push(' ');
                    after_space = true;
                }
            } else {
                run.text.push(c);
                after_space = false;
            }
        }
    }

    fn hard_break(&mut self) {
        match self.kind {
            // A heading is one block; a forced break inside it reads as a space.
            InlineKind::Heading(_) => self.push_text(" "),
            InlineKind::Body { .. } | InlineKind::Cell => {
                let runs = std::mem::take(&mut self.runs);
                self.pieces.push(runs);
            }
        }
    }

    /// The finished pieces: trimmed, merged, NFC, empty pieces dropped.
    fn finish(mut self) -> (InlineKind, Vec<Vec<Run>>) {
        let runs = std::mem::take(&mut self.runs);
        self.pieces.push(runs);
        let pieces = self
            .pieces
            .into_iter()
            .map(clean_runs)
            .filter(|p| !p.is_empty())
            .collect();
        (self.kind, pieces)
    }
}

/// NBSP and its narrow relatives are kept: authors use them on purpose ("18,68 %").
fn is_collapsible_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

fn clean_runs(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(runs.len());
    for run in runs.into_iter().filter(|r| !r.text.is_empty()) {
        match out.last_mut() {
            Some(last) if last.bold == run.bold && last.italic == run.italic => {
                last.text.push_str(&run.text)
            }
            _ => out.push(run),
        }
    }
    // Leading spaces never get in (push_text drops them); trailing ones may span runs.
    while let Some(last) = out.last_mut() {
        let trimmed = last.text.trim_end_matches(' ').len();
        last.text.truncate(trimmed);
        if last.text.is_empty() {
            out.pop();
        } else {
            break;
        }
    }
    for run in &mut out {
        run.text = crate::vn::into_nfc(std::mem::take(&mut run.text));
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
struct TableOptions {
    widths: Option<Vec<f32>>,
    header_rows: usize,
}

struct TableBuf {
    aligns: Vec<Align>,
    options: TableOptions,
    /// Line of the `<!-- bang -->` comment, where errors about the options point.
    options_line: usize,
    rows: Vec<SrcRow>,
    current: Option<SrcRow>,
}

struct SrcRow {
    line: usize,
    /// End of the row's source, to tell cells padded by the parser from empty ones.
    end: usize,
    cells: Vec<SrcCell>,
    /// Cells the parser added because the row was short.
    padded: usize,
    /// End of the last cell written in the source.
    last_cell_end: usize,
    /// The source has more cells than the header (the parser drops them).
    extra: bool,
}

enum SrcCell {
    Text(Vec<Vec<Run>>),
    /// `^`: covered by the cell above.
    Up {
        line: usize,
    },
    /// `<`: covered by the cell to the left.
    Left {
        line: usize,
    },
}

/// A table cell being placed on the grid: its top-left position and spans.
struct Placed {
    row: usize,
    col: usize,
    row_span: usize,
    col_span: usize,
    pieces: Vec<Vec<Run>>,
}

#[derive(Debug, PartialEq)]
enum Directive {
    Align(Align),
    PageBreak,
    Table(TableOptions),
}

impl<'s> Converter<'s> {
    fn new(src: &'s str) -> Converter<'s> {
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Converter {
            src,
            line_starts,
            blocks: Vec::new(),
            inline: None,
            lists: Vec::new(),
            item_prefix: None,
            pending_align: None,
            pending_table: None,
            html: None,
            table: None,
        }
    }

    fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset).max(1)
    }

    fn error(&self, offset: usize, message: impl Into<String>) -> MarkdownError {
        MarkdownError {
            line: self.line(offset),
            message: message.into(),
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) -> Result<(), MarkdownError> {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) | Event::Code(text) => {
                self.inline_buf().push_text(&text);
                Ok(())
            }
            Event::SoftBreak => {
                self.inline_buf().push_text(" ");
                Ok(())
            }
            Event::HardBreak => {
                self.inline_buf().hard_break();
                Ok(())
            }
            Event::Html(text) => {
                if let Some(lines) = &mut self.html {
                    lines.push((text.to_string(), range.start));
                }
                Ok(())
            }
            Event::InlineHtml(html) => self.inline_html(&html, range.start),
            Event::Rule => Err(self.error(
                range.start,
                "không hỗ trợ đường kẻ ngang (---, ***, ___); muốn sang trang mới hãy dùng \
                 <!-- ngat-trang -->, muốn đề mục hãy dùng #",
            )),
            // The options that produce these events are off; they are errors, not silently
            // dropped, should someone turn an option on.
            Event::InlineMath(_) | Event::DisplayMath(_) => {
                Err(self.error(range.start, "không hỗ trợ công thức toán"))
            }
            Event::FootnoteReference(_) => {
                Err(self.error(range.start, "không hỗ trợ chú thích cuối trang"))
            }
            Event::TaskListMarker(_) => Err(self.error(range.start, "không hỗ trợ ô đánh dấu [ ]")),
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) -> Result<(), MarkdownError> {
        match tag {
            Tag::Paragraph => {
                self.close_inline();
                self.check_pending_table("một đoạn văn")?;
                let (align, indent) = match self.pending_align.take() {
                    Some((align, _)) => (align, false),
                    None => (Align::Justify, true),
                };
                self.open_body(align, indent);
            }
            Tag::Heading { level, .. } => {
                self.close_inline();
                self.check_pending("một đề mục")?;
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 | HeadingLevel::H6 => {
                        return Err(self.error(
                            range.start,
                            "đề mục cấp 5 trở đi (#####) không được hỗ trợ; chỉ dùng # đến ####",
                        ));
                    }
                };
                self.inline = Some(InlineBuf::new(InlineKind::Heading(level)));
            }
            // A quotation has no counterpart in an official document: its text is kept as
            // ordinary paragraphs.
            Tag::BlockQuote(_) => self.close_inline(),
            Tag::CodeBlock(kind) => {
                let message = match kind {
                    CodeBlockKind::Indented => {
                        "dòng thụt vào từ 4 dấu cách trở lên bị hiểu là khối mã, không được hỗ \
                         trợ; hãy bỏ thụt đầu dòng"
                    }
                    CodeBlockKind::Fenced(_) => "không hỗ trợ khối mã (```); hãy viết đoạn văn",
                };
                return Err(self.error(range.start, message));
            }
            Tag::HtmlBlock => {
                self.close_inline();
                self.html = Some(Vec::new());
            }
            Tag::List(start) => {
                self.close_inline();
                self.check_pending("một danh sách")?;
                self.lists.push(start);
            }
            Tag::Item => {
                self.close_inline();
                let prefix = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let number = *n;
                        *n = n.saturating_add(1);
                        format!("{number}{} ", self.ordered_delimiter(range.start))
                    }
                    Some(None) | None => "- ".to_string(),
                };
                self.item_prefix = Some(prefix);
            }
            Tag::Table(aligns) => {
                self.close_inline();
                if let Some((_, line)) = self.pending_align.take() {
                    return Err(align_error(line, "một bảng"));
                }
                let (options, options_line) = self.pending_table.take().unwrap_or((
                    TableOptions {
                        widths: None,
                        header_rows: 1,
                    },
                    self.line(range.start),
                ));
                self.table = Some(TableBuf {
                    aligns: aligns.iter().map(column_align).collect(),
                    options,
                    options_line,
                    rows: Vec::new(),
                    current: None,
                });
            }
            Tag::TableHead | Tag::TableRow => {
                let line = self.line(range.start);
                if let Some(table) = &mut self.table {
                    table.current = Some(SrcRow {
                        line,
                        end: range.end,
                        cells: Vec::new(),
                        padded: 0,
                        last_cell_end: range.start,
                        extra: false,
                    });
                }
            }
            Tag::TableCell => self.inline = Some(InlineBuf::new(InlineKind::Cell)),
            Tag::Emphasis => self.inline_buf().emphasis += 1,
            Tag::Strong => self.inline_buf().strong += 1,
            // A link keeps its text; the address has no place on paper.
            Tag::Link { .. } => {
                self.inline_buf();
            }
            Tag::Image { .. } => {
                return Err(self.error(
                    range.start,
                    "không hỗ trợ hình ảnh trong mẫu báo cáo; hãy bỏ ![...](...)",
                ));
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {
                return Err(self.error(range.start, "cú pháp Markdown này không được hỗ trợ"));
            }
        }
        Ok(())
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) -> Result<(), MarkdownError> {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::BlockQuote(_) => {
                self.close_inline();
                if tag == TagEnd::Item {
                    // An empty item ("- " alone) gives no paragraph.
                    self.item_prefix = None;
                }
            }
            TagEnd::List(_) => {
                self.close_inline();
                self.lists.pop();
            }
            TagEnd::HtmlBlock => {
                let lines = self.html.take().unwrap_or_default();
                self.html_block(&lines)?;
            }
            TagEnd::Emphasis => {
                let buf = self.inline_buf();
                buf.emphasis = buf.emphasis.saturating_sub(1);
            }
            TagEnd::Strong => {
                let buf = self.inline_buf();
                buf.strong = buf.strong.saturating_sub(1);
            }
            TagEnd::Link => {}
            TagEnd::TableCell => self.end_cell(range),
            TagEnd::TableHead | TagEnd::TableRow => self.end_row(),
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    let table = self.build_table(table)?;
                    self.blocks.push(Block::Table(table));
                }
            }
            // Their starts already returned an error.
            TagEnd::CodeBlock
            | TagEnd::Image
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<Block>, MarkdownError> {
        self.close_inline();
        if let Some((_, line)) = self.pending_align {
            return Err(align_error(line, "hết văn bản"));
        }
        if let Some((_, line)) = self.pending_table {
            return Err(table_options_error(line, "hết văn bản"));
        }
        Ok(self.blocks)
    }

    /// The open inline buffer; text outside any paragraph is the text of a tight list item.
    fn inline_buf(&mut self) -> &mut InlineBuf {
        if self.inline.is_none() {
            self.open_body(Align::Justify, true);
        }
        self.inline
            .get_or_insert_with(|| InlineBuf::new(InlineKind::Cell))
    }

    fn open_body(&mut self, align: Align, indent: bool) {
        let mut buf = InlineBuf::new(InlineKind::Body { align, indent });
        if let Some(prefix) = self.item_prefix.take() {
            buf.push_text(&prefix);
        }
        self.inline = Some(buf);
    }

    /// Emits the open paragraph or heading, if any.
    fn close_inline(&mut self) {
        let Some(buf) = self.inline.take() else {
            return;
        };
        let (kind, pieces) = buf.finish();
        match kind {
            InlineKind::Body { align, indent } => {
                for runs in pieces {
                    self.blocks.push(Block::Paragraph(Paragraph {
                        runs,
                        align,
                        indent_first_line: indent,
                        size: None,
                    }));
                }
            }
            InlineKind::Heading(level) => {
                let mut runs: Vec<Run> = Vec::new();
                for piece in pieces {
                    if !runs.is_empty() {
                        runs.push(Run::plain(" "));
                    }
                    runs.extend(piece);
                }
                let runs = clean_runs(runs);
                if !runs.is_empty() {
                    self.blocks.push(Block::Heading { level, runs });
                }
            }
            // Cells are taken at the end of the cell; nothing can be pending here.
            InlineKind::Cell => {}
        }
    }

    /// "." or ")" as the author wrote it after the item's number.
    fn ordered_delimiter(&self, item_start: usize) -> char {
        self.src
            .get(item_start..)
            .and_then(|s| s.trim_start().chars().find(|c| !c.is_ascii_digit()))
            .filter(|&c| c == ')')
            .unwrap_or('.')
    }

    fn check_pending(&self, found: &str) -> Result<(), MarkdownError> {
        if let Some((_, line)) = self.pending_align {
            return Err(align_error(line, found));
        }
        self.check_pending_table(found)
    }

    fn check_pending_table(&self, found: &str) -> Result<(), MarkdownError> {
        match &self.pending_table {
            Some((_, line)) => Err(table_options_error(*line, found)),
            None => Ok(()),
        }
    }

    fn inline_html(&mut self, html: &str, offset: usize) -> Result<(), MarkdownError> {
        if is_br(html) {
            self.inline_buf().hard_break();
            return Ok(());
        }
        if let Some(inner) = html
            .strip_prefix("<!--")
            .and_then(|s| s.strip_suffix("-->"))
        {
            return match self.directive(inner, offset)? {
                None => Ok(()),
                Some(_) => Err(self.error(
                    offset,
                    format!(
                        "chú thích {} phải đứng riêng một dòng, không nằm giữa đoạn văn",
                        html.trim()
                    ),
                )),
            };
        }
        Err(self.error(offset, unsupported_html(html)))
    }

    /// Reads an HTML block: only comments and `<br>` are allowed, separated by whitespace.
    fn html_block(&mut self, lines: &[(String, usize)]) -> Result<(), MarkdownError> {
        // The block's text, and where each line starts in it and in the source.
        let mut text = String::new();
        let mut starts = Vec::with_capacity(lines.len());
        for (line, src_start) in lines {
            starts.push((text.len(), *src_start));
            text.push_str(line);
        }
        let src_offset = |pos: usize| {
            let i = starts.partition_point(|&(s, _)| s <= pos).saturating_sub(1);
            starts.get(i).map_or(0, |&(s, src)| src + (pos - s))
        };
        let mut pos = 0;
        while let Some(rest) = text.get(pos..) {
            let trimmed = rest.trim_start();
            pos += rest.len() - trimmed.len();
            if trimmed.is_empty() {
                break;
            }
            let offset = src_offset(pos);
            if let Some(after) = trimmed.strip_prefix("<!--") {
                let Some(end) = after.find("-->") else {
                    return Err(
                        self.error(offset, "chú thích <!-- chưa được đóng: thiếu --> ở cuối")
                    );
                };
                match self.directive(&after[..end], offset)? {
                    None => {}
                    Some(Directive::PageBreak) => self.blocks.push(Block::PageBreak),
                    Some(Directive::Align(align)) => {
                        self.pending_align = Some((align, self.line(offset)))
                    }
                    Some(Directive::Table(options)) => {
                        self.pending_table = Some((options, self.line(offset)))
                    }
                }
                pos += 4 + end + 3;
            } else if let Some(len) = br_prefix_len(trimmed) {
                // A `<br>` between blocks only repeats the paragraph break.
                pos += len;
            } else {
                let snippet = trimmed.lines().next().unwrap_or_default();
                return Err(self.error(offset, unsupported_html(snippet)));
            }
        }
        Ok(())
    }

    /// Recognises the directives; any other comment is a note for template authors.
    fn directive(&self, comment: &str, offset: usize) -> Result<Option<Directive>, MarkdownError> {
        let body: String = comment.trim().nfc().collect::<String>().to_lowercase();
        // Only a comment that is exactly the keyword counts: "phải sửa số liệu" is a note.
        let directive = match body.as_str() {
            "giua" | "giữa" => Some(Directive::Align(Align::Center)),
            "phai" | "phải" => Some(Directive::Align(Align::Right)),
            "ngat-trang" | "ngắt-trang" => Some(Directive::PageBreak),
            _ => match body
                .strip_prefix("bang:")
                .or_else(|| body.strip_prefix("bảng:"))
            {
                Some(spec) => Some(Directive::Table(
                    parse_table_options(spec).map_err(|m| self.error(offset, m))?,
                )),
                None => None,
            },
        };
        Ok(directive)
    }

    fn end_cell(&mut self, range: Range<usize>) {
        let pieces = match self.inline.take() {
            Some(buf) => buf.finish().1,
            None => Vec::new(),
        };
        let line = self.line(range.start);
        let marker = self.src.get(range.clone()).map(str::trim);
        let Some(row) = self.table.as_mut().and_then(|t| t.current.as_mut()) else {
            return;
        };
        // The parser pads a short row with empty cells placed at the row's end; an empty cell
        // the author wrote ("||") lies before it.
        if range.is_empty() && range.start >= row.end {
            row.padded += 1;
        } else {
            row.last_cell_end = range.end;
        }
        row.cells.push(match marker {
            Some("^") => SrcCell::Up { line },
            Some("<") => SrcCell::Left { line },
            _ => SrcCell::Text(pieces),
        });
    }

    fn end_row(&mut self) {
        let src = self.src;
        let Some(table) = &mut self.table else {
            return;
        };
        let Some(mut row) = table.current.take() else {
            return;
        };
        // The parser drops cells beyond the header's count; anything but the closing pipe
        // after the last cell it kept means the author wrote more.
        let rest = src.get(row.last_cell_end..row.end).unwrap_or_default();
        let rest = rest.trim();
        let rest = rest.strip_prefix('|').unwrap_or(rest).trim();
        row.extra = !rest.is_empty();
        table.rows.push(row);
    }

    fn build_table(&self, table: TableBuf) -> Result<Table, MarkdownError> {
        let TableBuf {
            aligns,
            options,
            options_line,
            rows,
            ..
        } = table;
        let ncols = aligns.len();
        let at = |line: usize, message: String| MarkdownError { line, message };
        let widths = match options.widths {
            Some(w) if w.len() != ncols => {
                return Err(at(
                    options_line,
                    format!(
                        "rong= có {} số nhưng bảng có {ncols} cột; cần đúng một số cho mỗi cột",
                        w.len()
                    ),
                ));
            }
            Some(w) => w,
            None => vec![1.0; ncols],
        };
        let header_rows = options.header_rows;
        if header_rows > rows.len() {
            return Err(at(
                options_line,
                format!(
                    "tieude={header_rows} nhưng bảng chỉ có {} dòng; cần số dòng tiêu đề không \
                     quá số dòng của bảng",
                    rows.len()
                ),
            ));
        }
        for row in &rows {
            if row.padded > 0 {
                return Err(at(
                    row.line,
                    format!(
                        "dòng bảng có {} ô nhưng dòng đầu bảng có {ncols} ô; cần đủ {ncols} ô \
                         (ô trống viết | |, ô gộp viết ^ hoặc <)",
                        ncols - row.padded.min(ncols)
                    ),
                ));
            }
            if row.extra {
                return Err(at(
                    row.line,
                    format!(
                        "dòng bảng có nhiều ô hơn dòng đầu bảng ({ncols} ô); cần đúng {ncols} ô"
                    ),
                ));
            }
        }

        // Place every cell on the grid; owner[r][c] is the placed cell covering (r, c).
        let mut placed: Vec<Placed> = Vec::new();
        let mut owner: Vec<Vec<Option<usize>>> = vec![vec![None; ncols]; rows.len()];
        for (r, row) in rows.into_iter().enumerate() {
            for (c, cell) in row.cells.into_iter().enumerate().take(ncols) {
                let covered = owner[r][c];
                match cell {
                    SrcCell::Text(pieces) => {
                        if let Some(o) = covered {
                            let line = row.line;
                            return Err(at(
                                line,
                                format!(
                                    "ô ở cột {} nằm trong vùng gộp của ô ở dòng trên (cột {}); \
                                     vùng gộp phải là hình chữ nhật, cần ghi ^ vào ô này",
                                    c + 1,
                                    placed.get(o).map_or(c, |p| p.col) + 1
                                ),
                            ));
                        }
                        owner[r][c] = Some(placed.len());
                        placed.push(Placed {
                            row: r,
                            col: c,
                            row_span: 1,
                            col_span: 1,
                            pieces,
                        });
                    }
                    // Already inside a merged rectangle widened in this row.
                    SrcCell::Up { .. } | SrcCell::Left { .. } if covered.is_some() => {}
                    SrcCell::Up { line } => {
                        if r == 0 {
                            return Err(at(
                                line,
                                format!(
                                    "ô ^ ở cột {} nằm ở dòng đầu bảng, không có ô nào phía trên \
                                     để gộp; cần một ô có chữ",
                                    c + 1
                                ),
                            ));
                        }
                        if r == header_rows {
                            return Err(at(
                                line,
                                format!(
                                    "ô ^ ở cột {} là dòng đầu của phần thân bảng, không gộp được \
                                     với dòng tiêu đề; cần một ô có chữ (hoặc tăng tieude=)",
                                    c + 1
                                ),
                            ));
                        }
                        let Some(o) = owner[r - 1][c] else {
                            return Err(at(line, "ô ^ không tìm thấy ô phía trên".into()));
                        };
                        let p = &mut placed[o];
                        if p.col != c {
                            return Err(at(
                                line,
                                format!(
                                    "ô ^ ở cột {} nằm dưới ô gộp bắt đầu từ cột {}, nhưng ô ở cột \
                                     {} của dòng này không phải ^; vùng gộp phải là hình chữ nhật",
                                    c + 1,
                                    p.col + 1,
                                    p.col + 1
                                ),
                            ));
                        }
                        p.row_span += 1;
                        for slot in owner[r].iter_mut().skip(p.col).take(p.col_span) {
                            *slot = Some(o);
                        }
                    }
                    SrcCell::Left { line } => {
                        if c == 0 {
                            return Err(at(
                                line,
                                "ô < nằm ở cột đầu tiên, không có ô nào bên trái để gộp; cần một \
                                 ô có chữ"
                                    .into(),
                            ));
                        }
                        let Some(o) = owner[r][c - 1] else {
                            return Err(at(line, "ô < không tìm thấy ô bên trái".into()));
                        };
                        let p = &mut placed[o];
                        if p.row != r {
                            return Err(at(
                                line,
                                format!(
                                    "ô < ở cột {} nằm cạnh một ô gộp từ dòng trên; vùng gộp phải \
                                     là hình chữ nhật, cần ghi ^ hoặc một ô có chữ",
                                    c + 1
                                ),
                            ));
                        }
                        p.col_span += 1;
                        owner[r][c] = Some(o);
                    }
                }
            }
        }

        let nrows = owner.len();
        let mut out_rows: Vec<Row> = Vec::with_capacity(nrows);
        let mut by_row: Vec<Vec<Placed>> = (0..nrows).map(|_| Vec::new()).collect();
        for p in placed {
            if let Some(list) = by_row.get_mut(p.row) {
                list.push(p);
            }
        }
        for (r, cells) in by_row.into_iter().enumerate() {
            let header = r < header_rows;
            // A group row: one or two cells of its own, the last reaching the row's end.
            // Its own cells filling every column means nothing reaches in from above.
            let own_row = cells.iter().map(|p| p.col_span).sum::<usize>() == ncols;
            let group = !header
                && own_row
                && (1..=2).contains(&cells.len())
                && cells.last().is_some_and(|p| p.col_span >= 2);
            let count = cells.len();
            let mut out = Vec::with_capacity(count);
            for (i, p) in cells.into_iter().enumerate() {
                let align = if header {
                    Align::Center
                } else if group && i + 1 == count {
                    Align::Left
                } else {
                    aligns.get(p.col).copied().unwrap_or(Align::Left)
                };
                let (Ok(row_span), Ok(col_span)) =
                    (u16::try_from(p.row_span), u16::try_from(p.col_span))
                else {
                    return Err(at(options_line, "bảng quá lớn".into()));
                };
                let mut paragraphs: Vec<Paragraph> = p
                    .pieces
                    .into_iter()
                    .map(|runs| Paragraph::aligned(runs, align))
                    .collect();
                if paragraphs.is_empty() {
                    paragraphs.push(Paragraph::aligned(Vec::new(), align));
                }
                out.push(Cell {
                    paragraphs,
                    col_span,
                    row_span,
                    bold: header || group,
                });
            }
            out_rows.push(Row { cells: out, group });
        }
        let rows = out_rows.split_off(header_rows.min(out_rows.len()));
        Ok(Table {
            columns: widths
                .into_iter()
                .zip(aligns)
                .map(|(width, align)| Column { width, align })
                .collect(),
            header: out_rows,
            rows,
        })
    }
}

fn column_align(a: &Alignment) -> Align {
    match a {
        Alignment::None | Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn align_error(line: usize, found: &str) -> MarkdownError {
    MarkdownError {
        line,
        message: format!(
            "chú thích <!-- giua --> hay <!-- phai --> phải đứng ngay trên một đoạn văn, nhưng \
             tiếp theo là {found}"
        ),
    }
}

fn table_options_error(line: usize, found: &str) -> MarkdownError {
    MarkdownError {
        line,
        message: format!(
            "chú thích <!-- bang: ... --> phải đứng ngay trên một bảng, nhưng tiếp theo là {found}"
        ),
    }
}

pub(crate) fn unsupported_html(found: &str) -> String {
    let found: String = found.trim().chars().take(60).collect();
    format!(
        "không hỗ trợ HTML: tìm thấy «{found}»; chỉ dùng được <br> và các chú thích <!-- ... --> \
         đứng riêng một dòng (muốn in chính dấu < thì viết \\<)"
    )
}

/// `<br>`, `<br/>` or `<br />`, in any case: the one tag the converter accepts.
pub(crate) fn is_br(html: &str) -> bool {
    br_prefix_len(html) == Some(html.len())
}

/// Length of a `<br>`, `<br/>` or `<BR />` at the start of `s`.
fn br_prefix_len(s: &str) -> Option<usize> {
    let head = s.get(..3)?;
    if !head.eq_ignore_ascii_case("<br") {
        return None;
    }
    let rest = &s[3..];
    let after_space = rest.trim_start();
    let after_slash = after_space.strip_prefix('/').unwrap_or(after_space);
    let after_slash = after_slash.trim_start();
    after_slash
        .strip_prefix('>')
        .map(|tail| s.len() - tail.len())
}

/// Parses `rong=1,6,3,3 tieude=2` (the text after `bang:`).
fn parse_table_options(spec: &str) -> Result<TableOptions, String> {
    // "rong=1, 6, 3" is one value: words without "=" continue the previous key's value.
    let mut pairs: Vec<(String, String)> = Vec::new();
    for word in spec.split_whitespace() {
        match word.split_once('=') {
            Some((key, value)) => pairs.push((key.to_string(), value.to_string())),
            None => match pairs.last_mut() {
                Some((_, value)) => value.push_str(word),
                None => {
                    return Err(format!(
                        "không hiểu «{word}» trong <!-- bang: ... -->; cần dạng \
                         <!-- bang: rong=1,6,3,3 tieude=2 -->"
                    ));
                }
            },
        }
    }
    let mut options = TableOptions {
        widths: None,
        header_rows: 1,
    };
    for (key, value) in pairs {
        match key.as_str() {
            "rong" | "rộng" => options.widths = Some(parse_widths(&value)?),
            "tieude" | "tiêuđề" => {
                options.header_rows = value.parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                    format!("tieude=«{value}» không hợp lệ; cần một số nguyên từ 1 trở lên")
                })?;
            }
            _ => {
                return Err(format!(
                    "không hiểu «{key}=» trong <!-- bang: ... -->; chỉ dùng rong= và tieude="
                ));
            }
        }
    }
    Ok(options)
}

/// Widths are separated by "," — or by ";" when "," is the decimal mark ("1,5;6;3").
fn parse_widths(value: &str) -> Result<Vec<f32>, String> {
    let separator = if value.contains(';') { ';' } else { ',' };
    value
        .split(separator)
        .map(|part| {
            part.trim()
                .replace(',', ".")
                .parse::<f32>()
                .ok()
                .filter(|w| w.is_finite() && *w > 0.0)
                .ok_or_else(|| {
                    format!(
                        "độ rộng «{}» trong rong= không hợp lệ; cần các số dương, ví dụ \
                         rong=1,6,3,3 hoặc rong=1,5;6;3",
                        part.trim()
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The model's table invariant: every row's own cells plus the spans reaching into it
    /// from above cover every column exactly once, and no span leaves its part (header or
    /// body) or the table.
    fn check_coverage(t: &Table) -> Result<(), String> {
        let ncols = t.columns.len();
        for (part, rows) in [("header", &t.header), ("body", &t.rows)] {
            // How many more rows each column stays covered from above.
            let mut from_above = vec![0u16; ncols];
            for (r, row) in rows.iter().enumerate() {
                let mut col = 0;
                let mut covered = vec![false; ncols];
                for (c, n) in from_above.iter_mut().enumerate() {
                    if *n > 0 {
                        covered[c] = true;
                        *n -= 1;
                    }
                }
                for cell in &row.cells {
                    if cell.col_span == 0 || cell.row_span == 0 {
                        return Err(format!("{part} row {r}: zero span"));
                    }
                    while col < ncols && covered[col] {
                        col += 1;
                    }
                    let end = col + usize::from(cell.col_span);
                    if end > ncols {
                        return Err(format!("{part} row {r}: cell runs past the last column"));
                    }
                    for c in col..end {
                        if covered[c] {
                            return Err(format!("{part} row {r}: column {c} covered twice"));
                        }
                        covered[c] = true;
                        from_above[c] = cell.row_span - 1;
                    }
                    if r + usize::from(cell.row_span) > rows.len() {
                        return Err(format!("{part} row {r}: row span leaves the {part}"));
                    }
                    col = end;
                }
                if let Some(c) = covered.iter().position(|&v| !v) {
                    return Err(format!("{part} row {r}: column {c} not covered"));
                }
            }
        }
        Ok(())
    }

    fn convert(src: &str) -> Vec<Block> {
        let blocks = from_markdown(src).unwrap_or_else(|e| panic!("{e}\n--- source:\n{src}"));
        for b in &blocks {
            if let Block::Table(t) = b {
                check_coverage(t).unwrap();
            }
        }
        blocks
    }

    fn error(src: &str) -> MarkdownError {
        match from_markdown(src) {
            Ok(blocks) => panic!("expected an error, got {blocks:?}"),
            Err(e) => e,
        }
    }

    fn table(src: &str) -> Table {
        match convert(src).as_slice() {
            [Block::Table(t)] => t.clone(),
            other => panic!("expected one table, got {other:?}"),
        }
    }

    fn para(b: &Block) -> &Paragraph {
        match b {
            Block::Paragraph(p) => p,
            other => panic!("expected a paragraph, got {other:?}"),
        }
    }

    fn texts(row: &Row) -> Vec<String> {
        row.cells.iter().map(Cell::text_content).collect()
    }

    fn spans(row: &Row) -> Vec<(u16, u16)> {
        row.cells.iter().map(|c| (c.row_span, c.col_span)).collect()
    }

    fn run(text: &str, bold: bool, italic: bool) -> Run {
        Run {
            text: text.into(),
            bold,
            italic,
        }
    }

    #[test]
    fn headings_have_their_level_style_and_keep_numbering() {
        let blocks =
            convert("# I. MỤC ĐÍCH\n## 1. Mục đích\n### 1.1. Ưu điểm\n#### a) Kết quả *tốt*\n");
        assert_eq!(
            blocks,
            vec![
                Block::Heading {
                    level: 1,
                    runs: vec![run("I. MỤC ĐÍCH", true, false)]
                },
                Block::Heading {
                    level: 2,
                    runs: vec![run("1. Mục đích", true, false)]
                },
                Block::Heading {
                    level: 3,
                    runs: vec![run("1.1. Ưu điểm", true, true)]
                },
                Block::Heading {
                    level: 4,
                    runs: vec![run("a) Kết quả ", false, false), run("tốt", false, true)]
                },
            ]
        );
    }

    #[test]
    fn setext_heading_is_a_heading() {
        let blocks = convert("Phần một\n===\n");
        assert!(matches!(&blocks[..], [Block::Heading { level: 1, .. }]));
    }

    #[test]
    fn paragraph_runs_and_whitespace() {
        let blocks = convert(
            "Văn  **đậm** *nghiêng* ***cả hai*** `mã`\n[liên kết](http://x.vn)   cuối.  \n",
        );
        assert_eq!(
            blocks,
            vec![Block::Paragraph(Paragraph::body(vec![
                run("Văn ", false, false),
                run("đậm", true, false),
                run(" ", false, false),
                run("nghiêng", false, true),
                run(" ", false, false),
                run("cả hai", true, true),
                run(" mã liên kết cuối.", false, false),
            ]))]
        );
    }

    #[test]
    fn nbsp_is_kept() {
        let blocks = convert("18,68\u{a0}%  và&nbsp;x");
        assert_eq!(para(&blocks[0]).text(), "18,68\u{a0}% và\u{a0}x");
    }

    #[test]
    fn hard_breaks_split_paragraphs_with_the_same_settings() {
        let blocks = convert("một  \nhai\\\nba<br>bốn <BR/> năm\n\n<!-- giua -->\nA<br />B\n");
        let got: Vec<_> = blocks
            .iter()
            .map(|b| (para(b).text(), para(b).align))
            .collect();
        assert_eq!(
            got,
            vec![
                ("một".to_string(), Align::Justify),
                ("hai".to_string(), Align::Justify),
                ("ba".to_string(), Align::Justify),
                ("bốn".to_string(), Align::Justify),
                ("năm".to_string(), Align::Justify),
                ("A".to_string(), Align::Center),
                ("B".to_string(), Align::Center),
            ]
        );
        assert!(para(&blocks[0]).indent_first_line);
        assert!(!para(&blocks[6]).indent_first_line);
    }

    #[test]
    fn lists_become_body_paragraphs_with_markers() {
        let blocks = convert(
            "- một\n* **hai**\n  1. ba\n     - bốn\n\n5) năm\n6) sáu\n\n- dài\n\n  đoạn sau\n- \n",
        );
        let got: Vec<_> = blocks.iter().map(|b| para(b).text()).collect();
        assert_eq!(
            got,
            vec![
                "- một",
                "- hai",
                "1. ba",
                "- bốn",
                "5) năm",
                "6) sáu",
                "- dài",
                "đoạn sau"
            ]
        );
        // "* **hai**": the marker is plain, the item's text bold.
        assert_eq!(
            para(&blocks[1]).runs,
            vec![run("- ", false, false), run("hai", true, false)]
        );
        assert!(blocks.iter().all(|b| para(b).align == Align::Justify));
    }

    #[test]
    fn ordered_list_counts_from_its_start() {
        let blocks = convert("1. a\n1. b\n1. c\n");
        let got: Vec<_> = blocks.iter().map(|b| para(b).text()).collect();
        assert_eq!(got, vec!["1. a", "2. b", "3. c"]);
    }

    #[test]
    fn centring_and_right_alignment() {
        let blocks = convert(
            "<!-- giua -->\n*Hà Nội*\n\n<!-- phai -->\nNgười lập\n\nThường.\n\n<!--  GIỮA -->\nx\n",
        );
        let p = para(&blocks[0]);
        assert_eq!((p.align, p.indent_first_line), (Align::Center, false));
        assert_eq!(p.runs, vec![Run::italic("Hà Nội")]);
        assert_eq!(para(&blocks[1]).align, Align::Right);
        assert_eq!(para(&blocks[2]).align, Align::Justify);
        assert_eq!(para(&blocks[3]).align, Align::Center);
    }

    #[test]
    fn page_break_and_ignored_comments() {
        let blocks = convert(
            "Trước.\n\n<!-- ngat-trang -->\n\n<!-- phải sửa số liệu này -->\nSau <!-- ghi chú --> đó.\n",
        );
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[1], Block::PageBreak);
        assert_eq!(para(&blocks[2]).text(), "Sau đó.");
        assert_eq!(para(&blocks[2]).align, Align::Justify);
    }

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd: String = "# Ủy ban\n\nNgười dân hài lòng\n\n| Cột |\n|---|\n| Tiếp nhận |\n"
            .nfd()
            .collect();
        assert_ne!(nfd, nfd.nfc().collect::<String>());
        let blocks = convert(&nfd);
        let mut all = Vec::new();
        for b in &blocks {
            match b {
                Block::Heading { runs, .. } => all.extend(runs.iter().map(|r| r.text.clone())),
                Block::Paragraph(p) => all.push(p.text()),
                Block::Table(t) => {
                    for row in t.header.iter().chain(&t.rows) {
                        all.extend(texts(row));
                    }
                }
                _ => {}
            }
        }
        assert_eq!(
            all,
            vec!["Ủy ban", "Người dân hài lòng", "Cột", "Tiếp nhận"]
        );
        for s in all {
            assert!(s.nfc().eq(s.chars()), "{s:?} is not NFC");
        }
    }

    #[test]
    fn table_alignment_and_default_widths() {
        let t = table("| A | B | C | D |\n|---|:--|--:|:-:|\n| 1 | 2 | 3 | 4 |\n");
        let aligns: Vec<_> = t.columns.iter().map(|c| c.align).collect();
        assert_eq!(
            aligns,
            vec![Align::Left, Align::Left, Align::Right, Align::Center]
        );
        assert!(t.columns.iter().all(|c| c.width == 1.0));
        // Header cells bold and centred, body cells in their column's alignment.
        assert!(t.header[0].cells.iter().all(|c| c.bold));
        assert!(
            t.header[0]
                .cells
                .iter()
                .all(|c| c.paragraphs[0].align == Align::Center)
        );
        let body: Vec<_> = t.rows[0]
            .cells
            .iter()
            .map(|c| (c.bold, c.paragraphs[0].align))
            .collect();
        assert_eq!(
            body,
            vec![
                (false, Align::Left),
                (false, Align::Left),
                (false, Align::Right),
                (false, Align::Center)
            ]
        );
        assert!(!t.rows[0].group);
    }

    #[test]
    fn table_widths_from_comment() {
        let t = table("<!-- bang: rong=1,6,3,3 -->\n| a | b | c | d |\n|-|-|-|-|\n");
        let w: Vec<_> = t.columns.iter().map(|c| c.width).collect();
        assert_eq!(w, vec![1.0, 6.0, 3.0, 3.0]);
        let t = table("<!-- bang: rong=1,5;6; 2.5 -->\n\n| a | b | c |\n|-|-|-|\n");
        let w: Vec<_> = t.columns.iter().map(|c| c.width).collect();
        assert_eq!(w, vec![1.5, 6.0, 2.5]);
        let t = table("<!-- bảng: rong=1, 2 -->\n| a | b |\n|-|-|\n| x | y |\n");
        let w: Vec<_> = t.columns.iter().map(|c| c.width).collect();
        assert_eq!(w, vec![1.0, 2.0]);
    }

    #[test]
    fn two_row_header_with_merges() {
        let t = table(
            "<!-- bang: rong=1,6,3,3,3 tieude=2 -->\n\
             | STT | Nhiệm vụ | Đơn vị | Kết quả | < |\n\
             |:-:|:--|:--|:-:|:--|\n\
             | ^ | ^ | ^ | Tình trạng | Minh chứng |\n\
             | 1 | Niêm yết | Một cửa | Xong | QĐ 12 |\n",
        );
        assert_eq!(t.header.len(), 2);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(
            texts(&t.header[0]),
            vec!["STT", "Nhiệm vụ", "Đơn vị", "Kết quả"]
        );
        assert_eq!(spans(&t.header[0]), vec![(2, 1), (2, 1), (2, 1), (1, 2)]);
        assert_eq!(texts(&t.header[1]), vec!["Tình trạng", "Minh chứng"]);
        assert!(
            t.header
                .iter()
                .flat_map(|r| &r.cells)
                .all(|c| c.bold && c.paragraphs[0].align == Align::Center)
        );
        assert_eq!(texts(&t.rows[0]).len(), 5);
    }

    #[test]
    fn rectangular_merge_over_two_rows_and_columns() {
        for second in ["| ^ | ^ | x |", "| ^ | < | x |"] {
            let t = table(&format!(
                "<!-- bang: tieude=2 -->\n| A | < | B |\n|-|-|-|\n{second}\n| 1 | 2 | 3 |\n",
            ));
            assert_eq!(spans(&t.header[0]), vec![(2, 2), (1, 1)]);
            assert_eq!(texts(&t.header[1]), vec!["x"]);
            let t = table(&format!(
                "| h | h | h |\n|-|-|-|\n| A | < | B |\n{second}\n| 1 | 2 | 3 |\n",
            ));
            assert_eq!(spans(&t.rows[0]), vec![(2, 2), (1, 1)]);
            assert_eq!(texts(&t.rows[1]), vec!["x"]);
        }
    }

    #[test]
    fn group_rows_and_vertical_merge_in_body() {
        let t = table(
            "| STT | Nhiệm vụ | Đơn vị | Tình trạng | Minh chứng |\n\
             |:-:|:--|:--|:-:|:--|\n\
             | I | Tiêu chí: Tiếp cận dịch vụ | < | < | < |\n\
             | 1 | Trang trí<br>Niêm yết | Bộ phận Một cửa | Xong | QĐ 12 |\n\
             | 2 | Khảo sát | ^ | Xong | |\n\
             | II. Tiêu chí: Thủ tục | < | < | < | < |\n\
             | 3 | a | b | < | c |\n\
             | 4 | x | y | z | < |\n",
        );
        let group: Vec<_> = t.rows.iter().map(|r| r.group).collect();
        assert_eq!(group, vec![true, false, false, true, false, false]);
        // "I | Tiêu chí": the number keeps its column's alignment, the label is flush left.
        let g = &t.rows[0];
        assert_eq!(texts(g), vec!["I", "Tiêu chí: Tiếp cận dịch vụ"]);
        assert_eq!(spans(g), vec![(1, 1), (1, 4)]);
        assert!(g.cells.iter().all(|c| c.bold));
        assert_eq!(g.cells[0].paragraphs[0].align, Align::Center);
        assert_eq!(g.cells[1].paragraphs[0].align, Align::Left);
        assert_eq!(spans(&t.rows[3]), vec![(1, 5)]);
        assert_eq!(t.rows[3].cells[0].paragraphs[0].align, Align::Left);
        // Vertical merge: the unit spans two rows, the second row has no cell for it.
        assert_eq!(
            spans(&t.rows[1]),
            vec![(1, 1), (1, 1), (2, 1), (1, 1), (1, 1)]
        );
        assert_eq!(texts(&t.rows[2]), vec!["2", "Khảo sát", "Xong", ""]);
        // An empty cell still has one (empty) paragraph.
        assert_eq!(t.rows[2].cells[3].paragraphs.len(), 1);
        assert!(t.rows[2].cells[3].paragraphs[0].runs.is_empty());
        // <br> splits a cell into paragraphs in the column's alignment.
        let cell = &t.rows[1].cells[1];
        assert_eq!(cell.paragraphs.len(), 2);
        assert_eq!(cell.text_content(), "Trang trí\nNiêm yết");
        assert!(
            cell.paragraphs
                .iter()
                .all(|p| p.align == Align::Left && !p.indent_first_line)
        );
        assert!(!cell.bold);
        // Two cells but the last does not reach the end: an ordinary row.
        assert_eq!(spans(&t.rows[4]), vec![(1, 1), (1, 1), (1, 2), (1, 1)]);
        assert_eq!(spans(&t.rows[5]), vec![(1, 1), (1, 1), (1, 1), (1, 2)]);
    }

    #[test]
    fn two_column_rows_are_not_group_rows() {
        let t = table("| a | b |\n|-|-|\n| x | y |\n| z | < |\n");
        assert!(!t.rows[0].group);
        assert!(t.rows[1].group);
    }

    #[test]
    fn escaped_markers_are_text() {
        let t = table("| a | b |\n|-|-|\n| x | \\^ |\n| \\< | **^** |\n");
        assert_eq!(texts(&t.rows[0]), vec!["x", "^"]);
        assert_eq!(texts(&t.rows[1]), vec!["<", "^"]);
    }

    #[test]
    fn odd_inputs_do_not_fail() {
        assert_eq!(convert(""), vec![]);
        assert_eq!(convert("   \n\n\t\n"), vec![]);
        assert_eq!(convert("<!-- chỉ ghi chú -->"), vec![]);
        let t = table("| Một cột |\n|:-:|\n| x |\n| ^ |\n");
        assert_eq!(t.columns.len(), 1);
        assert_eq!(spans(&t.rows[0]), vec![(2, 1)]);
        assert!(t.rows[1].cells.is_empty());
        assert!(!t.rows[0].group);
        let t = table("| chỉ tiêu đề |\n|---|");
        assert!(t.rows.is_empty());
        let blocks = convert("Tiếng Việt có dấu: ỦY BAN ✓ 😀 中文 ‏עברית‎");
        assert_eq!(
            para(&blocks[0]).text(),
            "Tiếng Việt có dấu: ỦY BAN ✓ 😀 中文 ‏עברית‎"
        );
        // Tables inside quotes and list items still come out as tables.
        let blocks =
            convert("> | a | b |\n> |---|---|\n> | x | y |\n\n- | c |\n  |---|\n  | z |\n");
        assert_eq!(
            blocks
                .iter()
                .filter(|b| matches!(b, Block::Table(_)))
                .count(),
            2
        );
    }

    /// Random mixtures of the syntax the converter cares about never panic, and every table
    /// it returns satisfies the model's invariant.
    #[test]
    fn random_inputs_never_panic() {
        const PIECES: &[&str] = &[
            "|",
            "| ^ ",
            "| < ",
            "|---",
            "|:-:",
            "\n",
            "\n\n",
            " ",
            "  \n",
            "a",
            "Ư",
            "ệ",
            "**",
            "*",
            "`",
            "\\",
            "#",
            "- ",
            "1. ",
            "> ",
            "<br>",
            "<!-- giua -->\n",
            "<!-- bang: rong=1,2 tieude=2 -->\n",
            "<!-- ngat-trang -->",
            "<!--",
            "-->",
            "<b>",
            "[x](y)",
            "&nbsp;",
            "\u{301}",
            "    ",
            "\t",
            "|\n|---|---|\n",
        ];
        let mut seed: u64 = 0x2024_0605;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..3000 {
            let len = next() % 40;
            let src: String = (0..len).map(|_| PIECES[next() % PIECES.len()]).collect();
            if let Ok(blocks) = from_markdown(&src) {
                for b in &blocks {
                    if let Block::Table(t) = b {
                        check_coverage(t).unwrap_or_else(|e| panic!("{e}\n{src:?}"));
                    }
                }
            }
        }
    }

    #[test]
    fn error_display() {
        let e = MarkdownError {
            line: 7,
            message: "thông báo".into(),
        };
        assert_eq!(e.to_string(), "dòng 7: thông báo");
    }

    #[test]
    fn html_errors_have_lines() {
        let e = error("Chữ\n\n<div>\nkhối\n</div>\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("không hỗ trợ HTML"), "{}", e.message);
        assert!(e.message.contains("<div>"), "{}", e.message);
        let e = error("Chữ\ndòng hai có <span>x</span>\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("<span>"));
        // Text on the line of a comment would be swallowed by the HTML block: an error.
        let e = error("Một\n\n<!-- giua --> chữ\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("chữ"));
        // A directive in the middle of a paragraph.
        let e = error("Một\nhai <!-- giua --> ba\n");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("riêng một dòng"));
        let e = error("a\n\n<!-- chưa đóng\n");
        assert_eq!(e.line, 3);
    }

    #[test]
    fn misplaced_directives() {
        let e = error("x\n\n<!-- giua -->\n# Đề mục\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("một đề mục"), "{}", e.message);
        let e = error("<!-- phai -->\n| a |\n|---|\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("một bảng"));
        let e = error("x\n\n<!-- phai -->\n");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("hết văn bản"));
        let e = error("<!-- bang: rong=1 -->\nChữ\n");
        assert_eq!(e.line, 1);
        assert!(e.message.contains("một đoạn văn"));
        let e = error("\n<!-- bang: tieude=1 -->\n");
        assert_eq!(e.line, 2);
    }

    #[test]
    fn unsupported_syntax_errors() {
        let cases = [
            ("a\n\n    mã\n", 3, "4 dấu cách"),
            ("a\n\n```\nmã\n```\n", 3, "khối mã"),
            ("a\n\n---\n", 3, "đường kẻ ngang"),
            ("a\n\n![ảnh](a.png)\n", 3, "hình ảnh"),
            ("a\n\n##### năm\n", 3, "cấp 5"),
        ];
        for (src, line, needle) in cases {
            let e = error(src);
            assert_eq!(e.line, line, "{src:?}");
            assert!(e.message.contains(needle), "{src:?}: {}", e.message);
        }
    }

    #[test]
    fn table_errors_have_lines() {
        let cases = [
            // ^ with nothing above.
            ("| ^ | a |\n|-|-|\n", 1, "không có ô nào phía trên"),
            // ^ reaching from the body into the header.
            ("x\n\n| a | b |\n|-|-|\n| ^ | c |\n", 5, "phần thân"),
            // < in the first column.
            (
                "| a | b |\n|-|-|\n| x | y |\n| < | z |\n",
                4,
                "cột đầu tiên",
            ),
            // rong count.
            (
                "<!-- bang: rong=1,2,3 -->\n| a | b |\n|-|-|\n",
                1,
                "rong= có 3 số",
            ),
            // Invalid rong number.
            ("\n<!-- bang: rong=1,x -->\n| a | b |\n|-|-|\n", 2, "«x»"),
            ("<!-- bang: rong=1,-2 -->\n| a | b |\n|-|-|\n", 1, "«-2»"),
            ("<!-- bang: rong=1,,2 -->\n| a | b |\n|-|-|\n", 1, "độ rộng"),
            ("<!-- bang: cao=2 -->\n| a |\n|-|\n", 1, "cao="),
            ("<!-- bang: tieude=0 -->\n| a |\n|-|\n", 1, "tieude"),
            (
                "<!-- bang: tieude=3 -->\n| a |\n|-|\n| b |\n",
                1,
                "chỉ có 2 dòng",
            ),
            // Short and long rows.
            (
                "| a | b | c |\n|-|-|-|\n| 1 | 2 | 3 |\n| 1 | 2 |\n",
                4,
                "có 2 ô",
            ),
            ("| a | b |\n|-|-|\n| 1 | 2 | 3 |\n", 3, "nhiều ô hơn"),
            ("| a | b |\n|-|-|\n1 | 2 | 3\n", 3, "nhiều ô hơn"),
            // Merges that are not rectangles.
            (
                "| h | h | h |\n|-|-|-|\n| a | < | b |\n| x | ^ | y |\n",
                4,
                "hình chữ nhật",
            ),
            (
                "| h | h | h |\n|-|-|-|\n| a | < | b |\n| ^ | x | y |\n",
                4,
                "hình chữ nhật",
            ),
            (
                "| h | h |\n|-|-|\n| a | b |\n| ^ | < |\n",
                4,
                "hình chữ nhật",
            ),
        ];
        for (src, line, needle) in cases {
            let e = error(src);
            assert_eq!(e.line, line, "{src:?}: {}", e.message);
            assert!(e.message.contains(needle), "{src:?}: {}", e.message);
        }
    }

    #[test]
    fn empty_cells_are_not_missing_cells() {
        let t = table("| a | b | c |\n|-|-|-|\n| x || z |\n| | | |\n");
        assert_eq!(texts(&t.rows[0]), vec!["x", "", "z"]);
        assert_eq!(texts(&t.rows[1]), vec!["", "", ""]);
    }

    #[test]
    fn coverage_checker_catches_bad_tables() {
        let mut t = table("| a | b |\n|-|-|\n| x | y |\n");
        assert!(check_coverage(&t).is_ok());
        t.rows[0].cells[0].col_span = 2;
        assert!(check_coverage(&t).is_err());
        t.rows[0].cells.pop();
        assert!(check_coverage(&t).is_ok());
        t.rows[0].cells[0].row_span = 2;
        assert!(check_coverage(&t).is_err());
    }
}
