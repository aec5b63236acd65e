//! The PDF writer: laid-out [`Pages`] in, PDF/A-2b bytes out. The only module that uses krilla.
//!
//! It measures nothing: glyphs arrive shaped and placed by [`crate::layout`], so the writer only
//! translates items. krilla subsets and embeds the faces, writes a ToUnicode map from each
//! glyph's text range (so copy and paste gives the Vietnamese back), derives object ids from
//! content hashes and takes all dates from [`Meta::date`], so identical inputs give identical
//! bytes. Its PDF/A-2b validator runs while writing: a non-conformant file is an error, never
//! written. A page with a signature block then gets an empty signature field over the blank for
//! signature and seal, appended as an incremental update ([`sigfield`]).

mod sigfield;

pub use sigfield::FIELD_PREFIX as SIGNATURE_FIELD_PREFIX;

use krilla::Document as PdfDocument;
use krilla::configure::{Archival, ConfigurationBuilder, ValidationError};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point as KPoint};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Data, SerializeSettings};

use chrono::Datelike;

use crate::doc::{Document, Meta};
use crate::fonts::{FontStyle, Fonts};
use crate::layout::{self, Area, Item, LayoutError, Page, Pages, TextRun};

/// Writer options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfOptions {
    /// Check PDF/A-2b conformance while writing (the signed copy is the archived one).
    pub pdfa: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions { pdfa: true }
    }
}

/// Why no PDF was written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Layout(#[from] LayoutError),
    #[error("phông chữ {0:?} không nhúng được vào PDF")]
    Font(FontStyle),
    #[error("trang {0} có kích thước không hợp lệ")]
    PageSize(usize),
    #[error("PDF không đạt chuẩn PDF/A-2b:\n{}", .0.join("\n"))]
    NotConformant(Vec<String>),
    #[error("không ghi được PDF: {0}")]
    Writer(String),
}

/// Lay out and write a document in one call, with the default options (PDF/A-2b).
///
/// ```
/// let pdf = cchc::pdf::render(&cchc::doc::specimen(), &cchc::fonts::Fonts::builtin())?;
/// assert!(pdf.starts_with(b"%PDF-1.7"));
/// # Ok::<(), cchc::pdf::PdfError>(())
/// ```
pub fn render(doc: &Document, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let pages = layout::layout(doc, fonts)?;
    write(&pages, &doc.meta, fonts, &PdfOptions::default())
}

/// Write laid-out pages as PDF.
pub fn write(
    pages: &Pages,
    meta: &Meta,
    fonts: &Fonts,
    options: &PdfOptions,
) -> Result<Vec<u8>, PdfError> {
    let mut writer = PdfWriter::new(meta, fonts, options)?;
    writer.pages(&pages.0)?;
    writer.finish()
}

/// A PDF taking its pages a batch at a time, so that a document of several sections can draw
/// the pages of one while another is still being laid out; [`write`] is the one-batch case.
pub struct PdfWriter {
    pdf: PdfDocument,
    faces: [Font; 4],
    /// Each signature area by page index, with the page's height.
    signatures: Vec<(usize, Area, f32)>,
    drawn: usize,
}

impl PdfWriter {
    pub fn new(meta: &Meta, fonts: &Fonts, options: &PdfOptions) -> Result<Self, PdfError> {
        let mut builder = ConfigurationBuilder::new();
        if options.pdfa {
            builder = builder.with_archival_validator(Archival::A2_B);
        }
        let configuration = builder
            .finish()
            .map_err(|e| PdfError::Writer(format!("{e:?}")))?;
        let mut pdf = PdfDocument::new_with(SerializeSettings {
            configuration,
            ..SerializeSettings::default()
        });
        pdf.set_metadata(metadata(meta));
        let font = |style: FontStyle| {
            Font::new(Data::from(fonts.shared(style)), 0).ok_or(PdfError::Font(style))
        };
        Ok(PdfWriter {
            pdf,
            faces: [
                font(FontStyle::Regular)?,
                font(FontStyle::Bold)?,
                font(FontStyle::Italic)?,
                font(FontStyle::BoldItalic)?,
            ],
            signatures: Vec::new(),
            drawn: 0,
        })
    }

    /// Draws `pages` after those drawn before.
    pub fn pages(&mut self, pages: &[Page]) -> Result<(), PdfError> {
        for page in pages {
            self.page(page)?;
        }
        Ok(())
    }

    fn page(&mut self, page: &Page) -> Result<(), PdfError> {
        let n = self.drawn;
        self.drawn += 1;
        if let Some(area) = page.signature_area {
            self.signatures.push((n, area, page.height));
        }
        let settings =
            PageSettings::from_wh(page.width, page.height).ok_or(PdfError::PageSize(n + 1))?;
        let mut p = self.pdf.start_page_with(settings);
        let mut surface = p.surface();
        // The rules of one width are stroked as one path, after the text: each stroke of its
        // own cost a graphics state and ~70 bytes of content stream to write and compress,
        // for the ~30 rules of a table page. All are black on white and never overlap text,
        // so the order in which they are painted does not show.
        let mut rules: Vec<(f32, PathBuilder)> = Vec::new();
        for (at, item) in &page.items {
            match item {
                Item::Text(run) => {
                    let glyphs = krilla_glyphs(run);
                    let face = match run.font {
                        FontStyle::Regular => &self.faces[0],
                        FontStyle::Bold => &self.faces[1],
                        FontStyle::Italic => &self.faces[2],
                        FontStyle::BoldItalic => &self.faces[3],
                    };
                    surface.draw_glyphs(
                        KPoint::from_xy(at.x, at.y),
                        &glyphs,
                        face.clone(),
                        &run.text,
                        run.size,
                        false,
                    );
                }
                Item::Line(line) => {
                    let pb = rule(&mut rules, line.width);
                    pb.move_to(at.x, at.y);
                    pb.line_to(line.end.x, line.end.y);
                }
                Item::Rect(rect) => {
                    let pb = rule(&mut rules, rect.stroke);
                    pb.move_to(at.x, at.y);
                    pb.line_to(at.x + rect.width, at.y);
                    pb.line_to(at.x + rect.width, at.y + rect.height);
                    pb.line_to(at.x, at.y + rect.height);
                    pb.close();
                }
            }
        }
        for (width, pb) in rules {
            stroke(&mut surface, pb, width);
        }
        surface.finish();
        p.finish();
        Ok(())
    }

    /// The file: krilla's bytes, then the signature fields.
    pub fn finish(self) -> Result<Vec<u8>, PdfError> {
        let bytes = self.pdf.finish().map_err(from_krilla)?;
        sigfield::append(bytes, &self.signatures)
    }
}

/// The path that collects a page's rules of `width`.
fn rule(rules: &mut Vec<(f32, PathBuilder)>, width: f32) -> &mut PathBuilder {
    let at = match rules.iter().position(|(w, _)| *w == width) {
        Some(at) => at,
        None => {
            rules.push((width, PathBuilder::new()));
            rules.len() - 1
        }
    };
    &mut rules[at].1
}

fn stroke(surface: &mut krilla::surface::Surface<'_>, pb: PathBuilder, width: f32) {
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            width,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

/// krilla wants advances normalised to the em; ours are points at the run's size.
fn krilla_glyphs(run: &TextRun) -> Vec<KrillaGlyph> {
    let em = if run.size > 0.0 { run.size } else { 1.0 };
    run.glyphs
        .iter()
        .map(|g| {
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                g.x_advance / em,
                g.x_offset / em,
                g.y_offset / em,
                0.0,
                g.text_range.clone(),
                None,
            )
        })
        .collect()
}

/// The document's date at midnight UTC, so every viewer shows the same day.
fn metadata(meta: &Meta) -> Metadata {
    let d = meta.date;
    let date = DateTime::new(u16::try_from(d.year()).unwrap_or(2000))
        .month(u8::try_from(d.month()).unwrap_or(1))
        .day(u8::try_from(d.day()).unwrap_or(1))
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    let language = if meta.language.trim().is_empty() {
        "vi".to_string()
    } else {
        meta.language.clone()
    };
    Metadata::new()
        .title(meta.title.clone())
        .authors(vec![meta.author.clone()])
        .description(meta.subject.clone())
        .language(language)
        .creator("cchc".to_string())
        .creation_date(date)
}

fn from_krilla(e: KrillaError) -> PdfError {
    match e {
        KrillaError::Validation(errors) => {
            PdfError::NotConformant(errors.iter().map(|(v, _)| validation_vi(v)).collect())
        }
        KrillaError::Font(_, msg) => PdfError::Writer(format!("lỗi nhúng phông chữ: {msg}")),
        other => PdfError::Writer(format!("{other:?}")),
    }
}

/// The validation errors our content can actually cause, in the users' language; the rest
/// keep krilla's name so they can still be looked up.
fn validation_vi(e: &ValidationError) -> String {
    match e {
        ValidationError::ContainsNotDefGlyph(_, _, text) => {
            format!("- phông chữ không có ký tự cho «{text}» (sẽ hiện ô trống)")
        }
        ValidationError::NoCodepointMapping(_, glyph, _) => {
            format!(
                "- ký tự (glyph {}) không gắn với văn bản Unicode",
                glyph.to_u32()
            )
        }
        ValidationError::InvalidCodepointMapping(_, _, c, _) => {
            format!("- ký tự U+{:04X} không hợp lệ trong văn bản", u32::from(*c))
        }
        ValidationError::UnicodePrivateArea(_, _, c, _) => {
            format!(
                "- ký tự U+{:04X} thuộc vùng dùng riêng của Unicode",
                u32::from(*c)
            )
        }
        ValidationError::RestrictedLicense(_) => {
            "- giấy phép của phông chữ không cho phép nhúng".to_string()
        }
        ValidationError::NoDocumentLanguage => "- thiếu ngôn ngữ của tài liệu".to_string(),
        ValidationError::NoDocumentTitle => "- thiếu tiêu đề của tài liệu".to_string(),
        other => format!("- vi phạm chuẩn: {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Item, Line, Page, Point, Rect};

    fn content_of_first_page(pdf: &[u8]) -> String {
        let doc = lopdf::Document::load_mem(pdf).expect("the PDF reads back");
        let page = *doc.get_pages().values().next().expect("one page");
        String::from_utf8(doc.get_page_content(page)).expect("ASCII")
    }

    #[test]
    fn rules_of_one_width_are_stroked_together() {
        let line = |x: f32, y: f32, width: f32| {
            let end = Point { x: x + 100.0, y };
            (Point { x, y }, Item::Line(Line { end, width }))
        };
        let rect = (
            Point { x: 100.0, y: 300.0 },
            Item::Rect(Rect {
                width: 50.0,
                height: 20.0,
                stroke: 0.5,
            }),
        );
        let page = Page {
            width: 595.276,
            height: 841.89,
            items: vec![
                line(100.0, 100.0, 0.5),
                line(100.0, 120.0, 1.0),
                line(100.0, 140.0, 0.5),
                rect,
            ],
            signature_area: None,
        };
        let pdf = write(
            &Pages(vec![page]),
            &crate::doc::specimen().meta,
            &Fonts::builtin(),
            &PdfOptions::default(),
        )
        .expect("written");
        let content = content_of_first_page(&pdf);
        let ops: Vec<&str> = content.split_whitespace().collect();
        let count = |op: &str| ops.iter().filter(|o| **o == op).count();
        // Two widths, two strokes; every rule is still there: 3 lines and a rectangle's start.
        assert_eq!(count("S"), 2, "{content}");
        assert_eq!(count("m"), 4, "{content}");
        assert_eq!(count("l"), 6, "{content}");
    }
}
