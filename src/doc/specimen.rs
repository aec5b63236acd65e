//! A specimen `Document` with every kind of block: the writers' tests and benchmarks use it
//! so that they do not depend on the data side.

use super::model::*;
use chrono::NaiveDate;

fn cell(text: &str, align: Align) -> Cell {
    Cell::text(text, align)
}

fn spanning(text: &str, col_span: u16, row_span: u16, bold: bool) -> Cell {
    let mut c = Cell::text(text, Align::Center);
    c.col_span = col_span;
    c.row_span = row_span;
    c.bold = bold;
    c
}

/// A report of two pages of body text plus two landscape appendices, one of which spans pages
/// and has group rows, a two-row header and vertical merges.
pub fn specimen() -> Document {
    let body = "Thực hiện Kế hoạch số 104/KH-UBND ngày 28/3/2024 của UBND phường Phú Lãm về cải \
                thiện, nâng cao Chỉ số cải cách hành chính, chỉ số hài lòng về sự phục vụ hành \
                chính năm 2024, UBND phường báo cáo kết quả thực hiện quý II năm 2024 như sau:";
    let mut blocks = vec![
        Block::Header(HeaderBlock {
            parent: Some("UBND QUẬN HÀ ĐÔNG".into()),
            issuer: vec!["ỦY BAN NHÂN DÂN".into(), "PHƯỜNG PHÚ LÃM".into()],
            number: "Số: 12/BC-UBND".into(),
            motto: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".into(),
            motto_sub: "Độc lập - Tự do - Hạnh phúc".into(),
            place_date: "Phú Lãm, ngày 05 tháng 6 năm 2024".into(),
        }),
        Block::Title(TitleBlock {
            kind: "BÁO CÁO".into(),
            summary: vec![
                "Kết quả thực hiện Kế hoạch cải thiện, nâng cao Chỉ số CCHC,".into(),
                "chỉ số hài lòng về sự phục vụ hành chính quý II năm 2024".into(),
            ],
        }),
        Block::Paragraph(Paragraph::body(vec![Run::plain(body)])),
        Block::Heading {
            level: 1,
            runs: vec![Run::bold("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH")],
        },
        Block::Heading {
            level: 2,
            runs: vec![Run::bold("1. Ban hành văn bản")],
        },
    ];
    for i in 0..14 {
        blocks.push(Block::Paragraph(Paragraph::body(vec![
            Run::plain(format!("- Nội dung thứ {}: ", i + 1)),
            Run::bold("Tỷ lệ hồ sơ trực tuyến đạt 18,68%"),
            Run::plain(" so với chỉ tiêu 50%; "),
            Run::italic("Quyết định số 7564/QĐ-UBND ngày 29/12/2023"),
            Run::plain(
                " của UBND quận Hà Đông về việc phê duyệt và công bố Chỉ số CCHC năm 2023 của các \
                 phòng chuyên môn quận và UBND các phường.",
            ),
        ])));
        if i == 6 {
            blocks.push(Block::Heading {
                level: 3,
                runs: vec![Run {
                    text: "1.1. Ưu điểm".into(),
                    bold: true,
                    italic: true,
                }],
            });
            blocks.push(Block::Heading {
                level: 4,
                runs: vec![Run::plain("a) Kết quả giải quyết hồ sơ")],
            });
        }
    }
    blocks.push(Block::Table(Table {
        columns: vec![
            Column {
                width: 1.0,
                align: Align::Center,
            },
            Column {
                width: 6.0,
                align: Align::Left,
            },
            Column {
                width: 3.0,
                align: Align::Right,
            },
            Column {
                width: 3.0,
                align: Align::Right,
            },
        ],
        header: vec![Row {
            cells: vec![
                cell("TT", Align::Center),
                cell("Nội dung", Align::Center),
                cell("Điểm/Điểm tối đa", Align::Center),
                cell("Tăng/giảm", Align::Center),
            ],
            group: false,
        }],
        rows: vec![
            Row {
                cells: vec![
                    cell("1", Align::Center),
                    cell("Chỉ đạo điều hành CCHC", Align::Left),
                    cell("18/20", Align::Right),
                    cell("+2", Align::Right),
                ],
                group: false,
            },
            Row {
                cells: vec![
                    cell("2", Align::Center),
                    cell("Cải cách thể chế", Align::Left),
                    cell("2,5/3", Align::Right),
                    cell("-0,5", Align::Right),
                ],
                group: false,
            },
        ],
    }));
    blocks.push(Block::Paragraph(Paragraph::body(vec![Run::plain(
        "Trên đây là báo cáo kết quả thực hiện của UBND phường Phú Lãm./.",
    )])));
    blocks.push(Block::Signature(SignatureBlock {
        recipients: vec![
            "- Phòng Nội vụ quận;".into(),
            "- TT Đảng ủy;".into(),
            "- Chủ tịch, các Phó Chủ tịch UBND;".into(),
            "- Lưu: VT.".into(),
        ],
        authority: vec!["KT. CHỦ TỊCH".into(), "PHÓ CHỦ TỊCH".into()],
        signer: "Phạm Ngọc Anh".into(),
    }));

    // Appendix: two-row header, group rows, a vertical merge, enough rows to span pages.
    let header = vec![
        Row {
            cells: vec![
                spanning("STT", 1, 2, true),
                spanning("Nhiệm vụ", 1, 2, true),
                spanning("Đơn vị chủ trì", 1, 2, true),
                spanning("Kết quả", 2, 1, true),
            ],
            group: false,
        },
        Row {
            cells: vec![
                spanning("Tình trạng", 1, 1, true),
                spanning("Minh chứng", 1, 1, true),
            ],
            group: false,
        },
    ];
    let mut rows = Vec::new();
    for g in ["I", "II", "III"] {
        let mut group = spanning(&format!("{g}. Tiêu chí: Tiếp cận dịch vụ"), 5, 1, true);
        group.paragraphs[0].align = Align::Left;
        rows.push(Row {
            cells: vec![group],
            group: true,
        });
        for n in 1..=8 {
            let mut cells = vec![cell(&n.to_string(), Align::Center)];
            cells.push(Cell {
                paragraphs: vec![
                    Paragraph::aligned(vec![Run::plain("- Trang trí biển hiệu, khẩu hiệu tại bộ phận Một cửa theo nghi thức trang trọng, hợp lý.")], Align::Left),
                    Paragraph::aligned(vec![Run::plain("- Niêm yết công khai thông tin cơ quan, đơn vị tiếp nhận giải quyết TTHC.")], Align::Left),
                ],
                col_span: 1,
                row_span: 1,
                bold: false,
            });
            if n % 4 == 1 {
                let mut lead = cell("Bộ phận Tiếp nhận và trả kết quả", Align::Left);
                lead.row_span = 4;
                cells.push(lead);
            }
            cells.push(cell("Hoàn thành", Align::Center));
            cells.push(cell("Quyết định số 12/QĐ-UBND ngày 05/4/2024", Align::Left));
            rows.push(Row {
                cells,
                group: false,
            });
        }
    }
    let appendix = vec![
        Block::AppendixTitle(AppendixTitle {
            label: "PHỤ LỤC I".into(),
            title: vec!["KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CẢI THIỆN CHỈ SỐ HÀI LÒNG (SIPAS)".into()],
            reference:
                "(Kèm theo Báo cáo số 12/BC-UBND ngày 05 tháng 6 năm 2024 của UBND phường Phú Lãm)"
                    .into(),
        }),
        Block::Table(Table {
            columns: vec![
                Column {
                    width: 0.6,
                    align: Align::Center,
                },
                Column {
                    width: 5.0,
                    align: Align::Left,
                },
                Column {
                    width: 2.2,
                    align: Align::Left,
                },
                Column {
                    width: 1.6,
                    align: Align::Center,
                },
                Column {
                    width: 3.0,
                    align: Align::Left,
                },
            ],
            header,
            rows,
        }),
    ];
    let appendix2 = vec![
        Block::AppendixTitle(AppendixTitle {
            label: "PHỤ LỤC II".into(),
            title: vec!["TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC".into()],
            reference:
                "(Kèm theo Báo cáo số 12/BC-UBND ngày 05 tháng 6 năm 2024 của UBND phường Phú Lãm)"
                    .into(),
        }),
        Block::Paragraph(Paragraph::aligned(
            vec![Run::italic("Đơn vị tính: Số hồ sơ TTHC")],
            Align::Right,
        )),
    ];

    Document {
        meta: Meta {
            title:
                "Báo cáo kết quả thực hiện Kế hoạch cải thiện, nâng cao Chỉ số CCHC quý II năm 2024"
                    .into(),
            author: "Ủy ban nhân dân phường Phú Lãm".into(),
            subject: "Báo cáo số 12/BC-UBND".into(),
            language: "vi".into(),
            date: NaiveDate::from_ymd_opt(2024, 6, 5).expect("valid date"),
        },
        style: PageStyle::default(),
        sections: vec![
            Section {
                orientation: Orientation::Portrait,
                blocks,
            },
            Section {
                orientation: Orientation::Landscape,
                blocks: appendix,
            },
            Section {
                orientation: Orientation::Landscape,
                blocks: appendix2,
            },
        ],
    }
}
