//! Whether the fonts can draw a document: every character in the face the layout sets it in.
//! It lives beside the layout's choice of faces so the two cannot drift apart.

use crate::doc::{Block, Document, Paragraph};
use crate::fonts::{FontStyle, Fonts, MissingGlyph};

/// Every character of the document, in the face it is set in, that the face cannot draw.
/// Each (character, face) is reported once, with the first text it occurs in.
///
/// ```
/// let fonts = cchc::fonts::Fonts::builtin();
/// assert!(cchc::layout::missing_glyphs(&fonts, &cchc::doc::specimen()).is_empty());
/// ```
pub fn missing_glyphs(fonts: &Fonts, doc: &Document) -> Vec<MissingGlyph> {
    let mut uses: Vec<(FontStyle, &str)> = Vec::new();
    for section in &doc.sections {
        for block in &section.blocks {
            collect_uses(block, &mut uses);
        }
    }
    // Page numbers are drawn upright; digits are in every font, but say so explicitly.
    uses.push((FontStyle::Regular, "0123456789"));
    fonts.check_texts(&uses)
}

fn para_uses<'a>(p: &'a Paragraph, bold: bool, out: &mut Vec<(FontStyle, &'a str)>) {
    for r in &p.runs {
        out.push((FontStyle::new(r.bold || bold, r.italic), r.text.as_str()));
    }
}

/// The faces the layout engine sets each part of a block in (headings by its own rule), so a
/// check passes exactly when layout can draw every glyph.
fn collect_uses<'a>(block: &'a Block, out: &mut Vec<(FontStyle, &'a str)>) {
    match block {
        Block::Header(h) => {
            out.extend(h.parent.iter().map(|s| (FontStyle::Regular, s.as_str())));
            out.extend(h.issuer.iter().map(|s| (FontStyle::Bold, s.as_str())));
            out.push((FontStyle::Regular, &h.number));
            out.push((FontStyle::Bold, &h.motto));
            out.push((FontStyle::Bold, &h.motto_sub));
            out.push((FontStyle::Italic, &h.place_date));
        }
        Block::Title(t) => {
            out.push((FontStyle::Bold, &t.kind));
            out.extend(t.summary.iter().map(|s| (FontStyle::Bold, s.as_str())));
        }
        Block::AppendixTitle(a) => {
            out.push((FontStyle::Bold, &a.label));
            out.extend(a.title.iter().map(|s| (FontStyle::Bold, s.as_str())));
            out.push((FontStyle::Italic, &a.reference));
        }
        Block::Heading { level, runs } => {
            for r in runs {
                out.push((super::heading_face(*level, r), r.text.as_str()));
            }
        }
        Block::Paragraph(p) => para_uses(p, false, out),
        Block::Table(t) => {
            for row in &t.header {
                for c in &row.cells {
                    for p in &c.paragraphs {
                        para_uses(p, true, out);
                    }
                }
            }
            for row in &t.rows {
                for c in &row.cells {
                    for p in &c.paragraphs {
                        para_uses(p, c.bold || row.group, out);
                    }
                }
            }
        }
        Block::Signature(s) => {
            out.push((FontStyle::BoldItalic, "Nơi nhận:"));
            out.extend(
                s.recipients
                    .iter()
                    .map(|r| (FontStyle::Regular, r.as_str())),
            );
            out.extend(s.authority.iter().map(|r| (FontStyle::Bold, r.as_str())));
            out.push((FontStyle::Bold, &s.signer));
        }
        Block::PageBreak => {}
    }
}
