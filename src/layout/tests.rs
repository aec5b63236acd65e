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

fn one_section(blocks: Vec<Block>, orientation: Orientation) -> Document {
    let mut doc = specimen();
    doc.sections = vec![crate::doc::Section {
        orientation,
        blocks,
    }];
    doc
}

fn rects(p: &Page) -> Vec<(Point, Rect)> {
    p.items
        .iter()
        .filter_map(|(pt, i)| match i {
            Item::Rect(r) => Some((*pt, *r)),
            Item::Text(_) | Item::Line(_) => None,
        })
        .collect()
}

#[test]
fn no_single_line_of_a_paragraph_alone_at_a_page_edge() {
    // Paragraphs of 1 to 7 lines, every word tagged with its paragraph, so that each line can
    // be traced back.
    let blocks: Vec<Block> = (0..40)
        .map(|i| {
            let words = 12 * (i % 7) + 5;
            let text = (0..words)
                .map(|_| format!("đ{i}"))
                .collect::<Vec<_>>()
                .join(" ");
            Block::Paragraph(Paragraph::body(vec![Run::plain(text)]))
        })
        .collect();
    let p = layout(
        &one_section(blocks, Orientation::Portrait),
        &Fonts::builtin(),
    )
    .unwrap();
    assert!(p.0.len() >= 3);
    for i in 0..40 {
        let tag = format!("đ{i}");
        let mut per_page = Vec::new();
        for page in &p.0 {
            let mut ys: Vec<i64> = texts(page)
                .iter()
                .filter(|(_, r)| r.text.split(' ').any(|w| w == tag))
                .map(|(pt, _)| (pt.y * 100.0) as i64)
                .collect();
            ys.dedup();
            if !ys.is_empty() {
                per_page.push(ys.len());
            }
        }
        let total: usize = per_page.iter().sum();
        if per_page.len() > 1 {
            assert!(
                per_page.iter().all(|n| *n >= 2),
                "paragraph {i}: {per_page:?}"
            );
        }
        assert!(total >= 1);
    }
}

#[test]
fn a_row_taller_than_a_page_is_split_and_the_header_repeats() {
    let long = (0..900)
        .map(|i| format!("chữ{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let table = crate::doc::Table {
        columns: vec![
            crate::doc::Column {
                width: 1.0,
                align: Align::Center,
            },
            crate::doc::Column {
                width: 4.0,
                align: Align::Left,
            },
        ],
        header: vec![crate::doc::Row {
            cells: vec![
                crate::doc::Cell::text("STT", Align::Center),
                crate::doc::Cell::text("Nội dung", Align::Center),
            ],
            group: false,
        }],
        rows: vec![crate::doc::Row {
            cells: vec![
                crate::doc::Cell::text("1", Align::Center),
                crate::doc::Cell::text(long.clone(), Align::Justify),
            ],
            group: false,
        }],
    };
    let doc = one_section(vec![Block::Table(table)], Orientation::Landscape);
    let p = layout(&doc, &Fonts::builtin()).unwrap();
    assert!(p.0.len() >= 2, "{} pages", p.0.len());
    let mut words = 0;
    for page in &p.0 {
        let t = texts(page);
        assert!(
            t.iter().any(|(_, r)| r.text == "Nội dung"),
            "header missing"
        );
        for (pt, r) in &t {
            assert!(
                pt.y + r.size * 0.216 <= page.height - 20.0 * MM + 0.01,
                "{:?}",
                r.text
            );
        }
        words += t
            .iter()
            .map(|(_, r)| r.text.split(' ').filter(|w| w.starts_with("chữ")).count())
            .sum::<usize>();
        // Borders stay on the page too.
        for (pt, r) in rects(page) {
            assert!(pt.y + r.height <= page.height - 20.0 * MM + 0.01);
        }
    }
    assert_eq!(words, 900, "every word drawn once");
}

#[test]
fn group_rows_never_end_a_page() {
    let mut rows = Vec::new();
    for i in 0..80 {
        let group = i % 5 == 0;
        let cells = if group {
            let mut c = crate::doc::Cell::text(format!("NHÓM {i}"), Align::Left);
            c.col_span = 2;
            vec![c]
        } else {
            vec![
                crate::doc::Cell::text(i.to_string(), Align::Center),
                crate::doc::Cell::text("Nội dung một dòng", Align::Left),
            ]
        };
        rows.push(crate::doc::Row { cells, group });
    }
    let table = crate::doc::Table {
        columns: vec![
            crate::doc::Column {
                width: 1.0,
                align: Align::Center,
            },
            crate::doc::Column {
                width: 4.0,
                align: Align::Left,
            },
        ],
        header: vec![],
        rows,
    };
    let p = layout(
        &one_section(vec![Block::Table(table)], Orientation::Portrait),
        &Fonts::builtin(),
    )
    .unwrap();
    assert!(p.0.len() >= 2);
    for page in &p.0 {
        let last = texts(page)
            .into_iter()
            .filter(|(pt, _)| pt.y > 20.0 * MM)
            .max_by(|a, b| a.0.y.total_cmp(&b.0.y))
            .unwrap();
        assert!(
            !last.1.text.starts_with("NHÓM"),
            "page ends with {}",
            last.1.text
        );
    }
}

#[test]
fn no_border_crosses_a_vertical_merge() {
    let p = pages();
    let mut checked = 0;
    for page in &p.0 {
        let Some((at, run)) = texts(page)
            .into_iter()
            .find(|(_, r)| r.text.starts_with("Bộ phận Tiếp nhận"))
        else {
            continue;
        };
        let rs = rects(page);
        let (mp, mr) = rs
            .iter()
            .find(|(pt, r)| {
                pt.x <= at.x
                    && at.x + run.width <= pt.x + r.width
                    && pt.y <= at.y
                    && at.y <= pt.y + r.height
            })
            .copied()
            .unwrap();
        assert!(mr.height > 60.0, "merged cell spans several rows");
        for (pt, r) in &rs {
            let same = (pt.x - mp.x).abs() < 0.01 && (pt.y - mp.y).abs() < 0.01;
            let overlaps_x = pt.x < mp.x + mr.width - 0.01 && mp.x < pt.x + r.width - 0.01;
            let inside_y = pt.y > mp.y + 0.01 && pt.y < mp.y + mr.height - 0.01;
            assert!(
                same || !(overlaps_x && inside_y),
                "a border crosses the merge"
            );
        }
        checked += 1;
    }
    assert!(checked >= 3);
}

#[test]
fn bad_spans_are_errors_not_panics() {
    let mut doc = specimen();
    if let Some(Block::Table(t)) = doc.sections[0]
        .blocks
        .iter_mut()
        .find(|b| matches!(b, Block::Table(_)))
    {
        t.rows[0].cells[0].col_span = 9;
    }
    assert!(matches!(
        layout(&doc, &Fonts::builtin()),
        Err(LayoutError::Table(_))
    ));
}

#[test]
fn odd_inputs_give_pages_or_errors_never_panics() {
    use crate::doc::{Cell, Column, Row, Section, Table};
    let empty_table = Table {
        columns: vec![
            Column {
                width: 0.0,
                align: Align::Left,
            },
            Column {
                width: 1.0,
                align: Align::Right,
            },
        ],
        header: vec![Row {
            cells: vec![],
            group: true,
        }],
        rows: vec![
            Row {
                cells: vec![],
                group: true,
            },
            Row {
                cells: vec![Cell {
                    paragraphs: vec![],
                    col_span: 0,
                    row_span: 0,
                    bold: false,
                }],
                group: false,
            },
            Row {
                cells: vec![Cell {
                    paragraphs: vec![],
                    col_span: 1,
                    row_span: 40,
                    bold: true,
                }],
                group: true,
            },
        ],
    };
    let mut sized = Paragraph::body(vec![Run::plain("x")]);
    sized.size = Some(0.0);
    let cases: Vec<Vec<Block>> = vec![
        vec![],
        vec![Block::PageBreak, Block::PageBreak],
        vec![Block::Paragraph(Paragraph::body(vec![]))],
        vec![Block::Paragraph(Paragraph::body(vec![Run::plain(
            "\n\n\t \r",
        )]))],
        vec![Block::Heading {
            level: 0,
            runs: vec![],
        }],
        vec![Block::Heading {
            level: 200,
            runs: vec![Run::plain("a) x")],
        }],
        vec![Block::Table(empty_table)],
        vec![Block::Table(Table {
            columns: vec![],
            header: vec![],
            rows: vec![],
        })],
        vec![Block::Paragraph(sized)],
        vec![Block::Paragraph(Paragraph::body(vec![Run::plain(
            "x".repeat(5000),
        )]))],
        vec![Block::Signature(crate::doc::SignatureBlock {
            recipients: vec![],
            authority: vec![],
            signer: String::new(),
        })],
        vec![Block::Header(crate::doc::HeaderBlock {
            parent: None,
            issuer: vec![],
            number: String::new(),
            motto: String::new(),
            motto_sub: String::new(),
            place_date: String::new(),
        })],
    ];
    for blocks in cases {
        let mut doc = specimen();
        doc.sections = vec![Section {
            orientation: Orientation::Portrait,
            blocks,
        }];
        let _ = layout(&doc, &Fonts::builtin());
    }
    let mut doc = specimen();
    doc.sections.clear();
    assert_eq!(layout(&doc, &Fonts::builtin()).unwrap().0.len(), 0);
    let mut doc = specimen();
    doc.style.margin_left_mm = f32::NAN;
    assert!(matches!(
        layout(&doc, &Fonts::builtin()),
        Err(LayoutError::Style(_))
    ));
}

#[test]
fn the_signature_area_is_the_blank_between_authority_and_signer() {
    let p = pages();
    let with_area: Vec<usize> = (0..p.0.len())
        .filter(|&i| p.0[i].signature_area.is_some())
        .collect();
    let signer_page =
        p.0.iter()
            .position(|pg| texts(pg).iter().any(|(_, r)| r.text == "Phạm Ngọc Anh"))
            .expect("signer's name placed");
    assert_eq!(with_area, vec![signer_page]);
    let page = &p.0[signer_page];
    let area = page.signature_area.unwrap();
    let run = |s: &str| {
        texts(page)
            .into_iter()
            .find(|(_, r)| r.text == s)
            .unwrap_or_else(|| panic!("{s} not on the signer's page"))
    };
    let (auth, auth_run) = run("PHÓ CHỦ TỊCH");
    let (name, name_run) = run("Phạm Ngọc Anh");
    // Below the descent of the last authority line, above the ascent of the name.
    assert!(
        area.at.y >= auth.y + auth_run.size * 0.216,
        "{area:?} {auth:?}"
    );
    assert!(
        area.at.y + area.height <= name.y - name_run.size * 0.891,
        "{area:?} {name:?}"
    );
    // The decree's 25-30 mm for signature and seal.
    assert!((25.0 * MM..=30.0 * MM).contains(&area.height), "{area:?}");
    // The right column: both lines are centred in it, and it ends at the right margin.
    let right = page.width - 15.0 * MM;
    assert!((area.at.x + area.width - right).abs() < 0.01, "{area:?}");
    for (pt, r) in [(auth, auth_run), (name, name_run)] {
        assert!(pt.x >= area.at.x && pt.x + r.width <= area.at.x + area.width);
        let centre = pt.x + r.width / 2.0;
        assert!(
            (centre - (area.at.x + area.width / 2.0)).abs() < 0.5,
            "{}",
            r.text
        );
    }
    // "Nơi nhận:" is in the left column, outside the area.
    let (nn, nn_run) = run("Nơi nhận:");
    assert!(nn.x + nn_run.width < area.at.x);
}

#[test]
fn documents_without_a_signature_block_have_no_signature_area() {
    let mut doc = specimen();
    for s in &mut doc.sections {
        s.blocks.retain(|b| !matches!(b, Block::Signature(_)));
    }
    let p = layout(&doc, &Fonts::builtin()).unwrap();
    assert!(p.0.iter().all(|pg| pg.signature_area.is_none()));
}
