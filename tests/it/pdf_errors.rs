//! The writer refuses what PDF/A-2b forbids, with a Vietnamese message, and layout errors reach
//! the caller of `render` instead of a broken file.

use cchc::doc::{Block, Paragraph, Run, specimen};
use cchc::fonts::{FontStyle, Fonts};
use cchc::layout::{Glyph, Item, Page, Pages, Point, TextRun};
use cchc::pdf::{PdfError, PdfOptions};

#[test]
fn a_notdef_glyph_fails_pdfa_validation() {
    let run = TextRun {
        font: FontStyle::Regular,
        size: 12.0,
        text: "x".into(),
        glyphs: vec![Glyph {
            id: 0,
            x_advance: 6.0,
            x_offset: 0.0,
            y_offset: 0.0,
            text_range: 0..1,
        }],
        width: 6.0,
    };
    let pages = Pages(vec![Page {
        width: 595.276,
        height: 841.89,
        items: vec![(Point { x: 100.0, y: 100.0 }, Item::Text(run))],
        signature_area: None,
    }]);
    let doc = specimen();
    let err = cchc::pdf::write(&pages, &doc.meta, &Fonts::builtin(), &PdfOptions::default())
        .expect_err("notdef must not pass PDF/A");
    match &err {
        PdfError::NotConformant(msgs) => assert!(msgs[0].contains("phông chữ"), "{msgs:?}"),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("PDF không đạt chuẩn PDF/A-2b"));
}

#[test]
fn a_missing_glyph_is_reported_by_render() {
    let mut doc = specimen();
    doc.sections[0]
        .blocks
        .push(Block::Paragraph(Paragraph::body(vec![Run::plain(
            "Ký tự lạ: ☃",
        )])));
    let err = cchc::pdf::render(&doc, &Fonts::builtin()).expect_err("must fail");
    let msg = err.to_string();
    assert!(
        msg.contains("U+2603") && msg.contains("Ký tự lạ: ☃"),
        "{msg}"
    );
}

#[test]
fn an_empty_document_does_not_panic() {
    let mut doc = specimen();
    doc.sections.clear();
    let _ = cchc::pdf::render(&doc, &Fonts::builtin());
}
