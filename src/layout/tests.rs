//! Layout checked on values: margins, positions, justification, page numbers, header repetition.

use super::*;
use crate::doc::specimen;

fn pages() -> Pages {
    layout(&specimen(), &Fonts::builtin()).expect("specimen lays out")
}

fn texts(p: &Page) -> Vec<(Point, &TextRun)> {
    p.items
        .iter()
        .filter_map(|(pt, i)| match i {
            Item::Text(t) => Some((*pt, t)),
            Item::Line(_) | Item::Rect(_) => None,
        })
        .collect()
}

#[test]
fn sections_start_pages_with_their_orientation() {
    let p = pages();
    assert!(p.0.len() >= 4, "{} pages", p.0.len());
    assert_eq!((p.0[0].width, p.0[0].height), (A4_SHORT, A4_LONG));
    let last = &p.0[p.0.len() - 1];
    assert_eq!((last.width, last.height), (A4_LONG, A4_SHORT));
}

#[test]
fn text_stays_inside_the_margins() {
    for (i, page) in pages().0.iter().enumerate() {
        for (pt, run) in texts(page) {
            let is_number = run.text.chars().all(|c| c.is_ascii_digit()) && pt.y < 56.0;
            if is_number {
                continue;
            }
            assert!(
                pt.x >= 30.0 * MM - 0.01,
                "page {i} {:?} x {}",
                run.text,
                pt.x
            );
            assert!(
                pt.x + run.width <= page.width - 15.0 * MM + 0.01,
                "page {i} {:?}",
                run.text
            );
            assert!(
                pt.y - run.size * 0.891 >= 20.0 * MM - 0.01,
                "page {i} {:?}",
                run.text
            );
            assert!(
                pt.y + run.size * 0.216 <= page.height - 20.0 * MM + 0.01,
                "page {i} {:?}",
                run.text
            );
        }
    }
}

#[test]
fn page_numbers_restart_and_skip_each_section_first_page() {
    let p = pages();
    let number = |page: &Page| {
        texts(page)
            .into_iter()
            .find(|(pt, r)| pt.y < 20.0 * MM && r.text.chars().all(|c| c.is_ascii_digit()))
            .map(|(pt, r)| (pt, r.text.clone(), r.width))
    };
    assert!(number(&p.0[0]).is_none());
    let (pt, n, w) = number(&p.0[1]).expect("page 2 numbered");
    assert_eq!(n, "2");
    assert!((pt.x + w / 2.0 - A4_SHORT / 2.0).abs() < 0.5);
    // The first appendix starts on its own unnumbered page.
    let first_landscape = p.0.iter().position(|pg| pg.width > pg.height).unwrap();
    assert!(number(&p.0[first_landscape]).is_none());
    assert_eq!(number(&p.0[first_landscape + 1]).unwrap().1, "2");
}

#[test]
fn justified_body_lines_end_at_the_right_margin() {
    let p = pages();
    let right = A4_SHORT - 15.0 * MM;
    let mut by_line: std::collections::BTreeMap<i64, f32> = Default::default();
    for (pt, r) in texts(&p.0[0]).into_iter().filter(|(_, r)| r.size == 14.0) {
        let e = by_line.entry((pt.y * 100.0) as i64).or_insert(0.0);
        *e = e.max(pt.x + r.width);
    }
    let full = by_line
        .values()
        .filter(|e| (right - **e).abs() < 1.0)
        .count();
    assert!(full >= 10, "{full} lines end at the margin");
    assert!(by_line.values().all(|e| *e <= right + 0.05));
}

#[test]
fn appendix_header_repeats_on_every_page_of_the_table() {
    let p = pages();
    let landscape: Vec<&Page> = p.0.iter().filter(|pg| pg.width > pg.height).collect();
    let with_rows: Vec<&&Page> = landscape
        .iter()
        .filter(|pg| texts(pg).iter().any(|(_, r)| r.text == "Hoàn thành"))
        .collect();
    assert!(
        with_rows.len() >= 2,
        "table spans {} pages",
        with_rows.len()
    );
    for pg in with_rows {
        for h in ["STT", "Nhiệm vụ", "Tình trạng", "Minh chứng"] {
            assert!(texts(pg).iter().any(|(_, r)| r.text == h), "{h}");
        }
    }
}

#[test]
fn header_block_puts_number_and_date_on_one_baseline() {
    let p = pages();
    let t = texts(&p.0[0]);
    let so = t.iter().find(|(_, r)| r.text.starts_with("Số:")).unwrap();
    let date = t
        .iter()
        .find(|(_, r)| r.text.starts_with("Phú Lãm, ngày"))
        .unwrap();
    assert!((so.0.y - date.0.y).abs() < 0.01);
    assert_eq!(date.1.font, FontStyle::Italic);
    // The rule under the motto's second line is as wide as the text.
    let motto = t
        .iter()
        .find(|(_, r)| r.text == "Độc lập - Tự do - Hạnh phúc")
        .unwrap();
    let rules: Vec<(Point, Line)> = p.0[0]
        .items
        .iter()
        .filter_map(|(pt, i)| match i {
            Item::Line(l) => Some((*pt, *l)),
            Item::Text(_) | Item::Rect(_) => None,
        })
        .collect();
    assert!(rules.iter().any(|(pt, l)| (pt.x - motto.0.x).abs() < 0.01
        && (l.end.x - pt.x - motto.1.width).abs() < 0.01
        && pt.y > motto.0.y));
}

#[test]
fn missing_glyph_is_an_error() {
    let mut doc = specimen();
    doc.meta.title.clear();
    doc.sections[0]
        .blocks
        .push(Block::Paragraph(Paragraph::body(vec![Run::plain("漢字")])));
    match layout(&doc, &Fonts::builtin()) {
        Err(LayoutError::MissingGlyphs(m)) => assert_eq!(m[0].ch, '漢'),
        other => panic!("{other:?}"),
    }
}
