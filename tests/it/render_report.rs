//! The render stage on the sample workspace: the 2024-Q2 report and its appendices.

use cchc::Config;
use cchc::doc::{Block, Document, Orientation, Table};
use cchc::period::Period;
use cchc::render::{self, RenderOptions, Templates};
use cchc::report::ReportData;
use cchc::workspace::Workspace;
use chrono::NaiveDate;
use std::path::Path;

fn q2() -> Period {
    "2024-Q2".parse().expect("period")
}

/// The workspace, its inputs for 2024-Q2, and a function to drop a unit's workbooks.
fn data_without(unit: Option<&str>) -> (Config, ReportData) {
    let ws = Workspace::open(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("workspace");
    let mut inputs = ws.load(q2(), false).expect("inputs");
    if let Some(u) = unit {
        for q in &mut inputs.quarters {
            q.submissions.retain(|s| s.unit != u);
            // The one-stop software's list is that unit's too.
            if ws.config.unit(u).is_some_and(|x| x.mot_cua) {
                q.lists.clear();
                q.counted = None;
            }
        }
        let plan = ws.plan.as_ref().expect("plan");
        inputs.findings = cchc::check::check(plan, &inputs.quarters, &ws.config);
    }
    let data = ws.report_data(&inputs).unwrap_or_else(|| {
        panic!(
            "inputs have errors: {:#?}",
            inputs
                .findings
                .iter()
                .filter(|f| f.is_error())
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
        )
    });
    (ws.config, data)
}

fn opts(number: Option<u32>, draft: bool) -> RenderOptions {
    RenderOptions {
        number,
        date: NaiveDate::from_ymd_opt(2024, 6, 5).unwrap(),
        draft,
        blank_date: false,
    }
}

/// Prints the report data, for looking at it: `cargo test --test render_report -- --ignored`.
#[test]
#[ignore = "prints the data to look at; not a check"]
fn dump() {
    let (_, data) = data_without(None);
    println!("{}", serde_json::to_string_pretty(&data).unwrap());
}

fn section_tables(doc: &Document, section: usize) -> Vec<&Table> {
    doc.sections[section]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn body_paragraphs(doc: &Document) -> Vec<String> {
    doc.sections[0]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some(p.text()),
            _ => None,
        })
        .collect()
}

#[test]
fn quarterly_report_has_the_frame_body_and_appendices() {
    let (cfg, data) = data_without(None);
    let doc = render::report(&data, &cfg, &opts(Some(12), false), &Templates::builtin())
        .unwrap_or_else(|e| panic!("{e}"));

    // Header block.
    let Block::Header(h) = &doc.sections[0].blocks[0] else {
        panic!(
            "first block is not the header: {:?}",
            doc.sections[0].blocks[0]
        )
    };
    assert_eq!(h.parent.as_deref(), Some("UBND QUẬN HÀ ĐÔNG"));
    assert_eq!(h.issuer, vec!["ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ LÃM"]);
    assert_eq!(h.number, "Số: 12/BC-UBND");
    assert_eq!(h.motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!(h.motto_sub, "Độc lập - Tự do - Hạnh phúc");
    assert_eq!(h.place_date, "Phú Lãm, ngày 05 tháng 6 năm 2024");
    assert!(date_ok(&h.place_date), "{}", h.place_date);

    // Title.
    let Block::Title(t) = &doc.sections[0].blocks[1] else {
        panic!("second block is not the title")
    };
    assert_eq!(t.kind, "BÁO CÁO");
    assert_eq!(
        t.summary.join(" "),
        "Kết quả thực hiện Kế hoạch cải thiện, nâng cao Chỉ số CCHC, chỉ số hài lòng về sự \
         phục vụ hành chính quý II năm 2024"
    );

    // Signature last in the report section.
    let Some(Block::Signature(s)) = doc.sections[0].blocks.last() else {
        panic!("the report section does not end with the signature")
    };
    assert_eq!(s.authority, vec!["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]);
    assert_eq!(s.signer, "Phạm Ngọc Anh");
    assert_eq!(s.recipients.first().unwrap(), "- Phòng Nội vụ quận;");
    assert_eq!(s.recipients.last().unwrap(), "- Lưu: VT.");

    // Body: opening, sections, the data window, the appendices referred to, "./." at the end.
    let paras = body_paragraphs(&doc);
    assert!(paras[0].starts_with("Thực hiện Kế hoạch số 104/KH-UBND ngày 28 tháng 3 năm 2024"));
    assert!(
        paras[0].contains("Số liệu tính từ ngày 15/3/2024 đến ngày 14/6/2024")
            || paras[0].contains("số liệu tính từ ngày 15/3/2024 đến ngày 14/6/2024")
    );
    let headings: Vec<String> = doc.sections[0]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 1, runs } => {
                Some(runs.iter().map(|r| r.text.as_str()).collect())
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        headings,
        vec![
            "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
            "II. KẾT QUẢ THỰC HIỆN",
            "III. ĐÁNH GIÁ CHUNG",
            "IV. NHIỆM VỤ TRỌNG TÂM QUÝ III NĂM 2024",
            "V. ĐỀ XUẤT, KIẾN NGHỊ",
        ]
    );
    let all = paras.join("\n");
    assert!(
        all.contains("(Chi tiết tại Phụ lục I, II, III kèm theo)"),
        "{all}"
    );
    assert!(all.contains("28,14%"), "online share missing");
    assert!(all.contains("làm tròn"), "rounding not stated");
    assert!(all.contains("chưa đạt"), "missed targets not stated");
    assert!(
        paras.last().unwrap().ends_with("./."),
        "{}",
        paras.last().unwrap()
    );
    // Every unit sent its workbook: no "chưa gửi báo cáo".
    assert!(!all.contains("chưa gửi báo cáo"), "{all}");

    // Sections: the report, then three landscape appendices.
    assert_eq!(doc.sections.len(), 4);
    assert_eq!(doc.sections[0].orientation, Orientation::Portrait);
    for (i, label) in ["PHỤ LỤC I", "PHỤ LỤC II", "PHỤ LỤC III"]
        .iter()
        .enumerate()
    {
        let s = &doc.sections[i + 1];
        assert_eq!(s.orientation, Orientation::Landscape);
        let Block::AppendixTitle(a) = &s.blocks[0] else {
            panic!("appendix {label} does not start with its title")
        };
        assert_eq!(a.label, *label);
        assert!(
            a.title.iter().all(|l| *l == cchc::vn::upper(l)),
            "{:?}",
            a.title
        );
        assert_eq!(
            a.reference,
            "(Kèm theo Báo cáo số 12/BC-UBND ngày 05 tháng 6 năm 2024 của UBND phường Phú Lãm)"
        );
    }

    // Appendix I: all 17 tasks.
    let t1 = section_tables(&doc, 1);
    assert_eq!(t1.len(), 1);
    assert_eq!(t1[0].header.len(), 1);
    assert_eq!(t1[0].columns.len(), 6);
    assert_eq!(t1[0].rows.len(), 17);
    assert!(t1[0].rows.iter().all(|r| !r.group));
    assert_eq!(
        t1[0].header[0].cells[5].text_content(),
        "Kết quả thực hiện, minh chứng"
    );

    // Appendix II: 5 tiêu chí group rows and 16 tasks.
    let t2 = section_tables(&doc, 2);
    assert_eq!(t2.len(), 1);
    let groups = t2[0].rows.iter().filter(|r| r.group).count();
    let tasks = t2[0].rows.iter().filter(|r| !r.group).count();
    assert_eq!((groups, tasks), (5, 16));
    assert!(t2[0].rows[0].group);
    assert_eq!(
        t2[0].rows[0].cells[1].text_content(),
        "Tiêu chí: Tiếp cận dịch vụ"
    );

    // Appendix III: Biểu 06, one row per lĩnh vực plus the total, same numbers as the data.
    let os = data.one_stop.as_ref().expect("one-stop data");
    let t3 = section_tables(&doc, 3);
    assert!(t3.len() >= 2);
    assert_eq!(t3[0].columns.len(), 13);
    assert_eq!(t3[0].header.len(), 3);
    assert_eq!(t3[0].rows.len(), os.fields.len() + 1);
    let total = t3[0].rows.last().unwrap();
    assert_eq!(total.cells[1].text_content(), "Tổng cộng");
    let numbers: Vec<String> = total.cells[2..].iter().map(|c| c.text_content()).collect();
    let expected: Vec<String> = os.total.columns().iter().map(|f| f.text.clone()).collect();
    assert_eq!(numbers, expected);
    assert!(
        t3[0].columns[2..]
            .iter()
            .all(|c| c.align == cchc::doc::Align::Right)
    );
    for (row, f) in t3[0].rows.iter().zip(&os.fields) {
        assert_eq!(row.cells[1].text_content(), f.field);
        assert_eq!(row.cells[2].text_content(), f.columns()[0].text);
    }
    let splits = t3[1].rows.last().unwrap();
    assert_eq!(
        splits.cells[2].text_content(),
        os.total.get(cchc::sheets::Col::OnlinePartial).text
    );
    assert_eq!(
        splits.cells[6].text_content(),
        os.total.get(cchc::sheets::Col::Apologies).text
    );

    // Meta.
    assert_eq!(doc.meta.subject, "Báo cáo số 12/BC-UBND");
    assert_eq!(doc.meta.author, "Ủy ban nhân dân phường Phú Lãm");
    assert_eq!(doc.meta.language, "vi");
    assert!(
        doc.meta
            .title
            .starts_with("Báo cáo kết quả thực hiện Kế hoạch")
    );

    // NFC everywhere.
    use unicode_normalization::UnicodeNormalization;
    for t in doc.texts() {
        assert_eq!(t.nfc().collect::<String>(), t);
    }
}

fn date_ok(s: &str) -> bool {
    // ^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (01|02|[3-9]|1[0-2]) năm \d{4}$
    let Some((place, rest)) = s.split_once(", ") else {
        return false;
    };
    let parts: Vec<&str> = rest.split(' ').collect();
    let [ngay, d, thang, m, nam, y] = parts[..] else {
        return false;
    };
    let day_ok = d.len() == 2 && matches!(d.parse::<u32>(), Ok(1..=31));
    let month_ok = matches!(
        m,
        "01" | "02" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "10" | "11" | "12"
    );
    !place.is_empty()
        && !place.contains(',')
        && ngay == "ngày"
        && thang == "tháng"
        && nam == "năm"
        && day_ok
        && month_ok
        && y.len() == 4
        && y.chars().all(|c| c.is_ascii_digit())
}

/// Names from cchc.toml reach the templates as text: Markdown or HTML characters in them are
/// printed as typed, not read as markup (nor refused as HTML in the built-in template).
#[test]
fn names_with_markup_characters_are_printed_as_typed() {
    let (cfg, mut data) = data_without(None);
    data.office.short_name = "UBND phường <X> *b* [c]".into();
    data.units[0].name = "Văn phòng <Y> _d_ | e".into();
    let doc = render::report(&data, &cfg, &opts(Some(12), false), &Templates::builtin())
        .unwrap_or_else(|e| panic!("{e}"));
    let text = body_paragraphs(&doc).join("\n");
    assert!(
        text.contains("UBND phường <X> *b* [c] báo cáo kết quả"),
        "{text}"
    );
    assert!(
        text.contains("thực hiện: Văn phòng <Y> _d_ | e; Bộ phận"),
        "{text}"
    );
}

#[test]
fn dates_follow_the_decree() {
    assert!(date_ok("Phú Lãm, ngày 05 tháng 6 năm 2024"));
    assert!(date_ok("Phú Lãm, ngày 15 tháng 02 năm 2024"));
    assert!(!date_ok("Phú Lãm, ngày 5 tháng 6 năm 2024"));
    assert!(!date_ok("Phú Lãm, ngày 05 tháng 06 năm 2024"));
    let (cfg, data) = data_without(None);
    for (y, m, d) in [
        (2024, 1, 3),
        (2024, 2, 29),
        (2024, 3, 9),
        (2024, 10, 31),
        (2025, 12, 1),
    ] {
        let o = RenderOptions {
            number: Some(3),
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            draft: false,
            blank_date: false,
        };
        let doc = render::report(&data, &cfg, &o, &Templates::builtin()).unwrap();
        let Block::Header(h) = &doc.sections[0].blocks[0] else {
            panic!()
        };
        assert!(date_ok(&h.place_date), "{}", h.place_date);
        assert_eq!(h.number, "Số: 03/BC-UBND");
    }
}

#[test]
fn a_draft_leaves_the_number_blank() {
    let (cfg, data) = data_without(None);
    for o in [opts(Some(12), true), opts(None, false)] {
        let doc = render::report(&data, &cfg, &o, &Templates::builtin()).unwrap();
        let Block::Header(h) = &doc.sections[0].blocks[0] else {
            panic!()
        };
        assert_eq!(h.number, "Số:      /BC-UBND");
        let Block::AppendixTitle(a) = &doc.sections[1].blocks[0] else {
            panic!()
        };
        assert!(
            a.reference
                .starts_with("(Kèm theo Báo cáo số      /BC-UBND ngày 05 tháng 6 năm 2024"),
            "{}",
            a.reference
        );
        assert_eq!(doc.meta.subject, "Báo cáo");
        assert!(!doc.texts().iter().any(|t| t.contains("12/BC")));
    }
}

#[test]
fn a_missing_unit_is_named_in_the_report() {
    let (cfg, data) = data_without(Some("TP"));
    assert!(
        data.missing.iter().any(|m| m.contains("Tư pháp")),
        "{:?}",
        data.missing
    );
    let doc = render::report(&data, &cfg, &opts(Some(12), false), &Templates::builtin())
        .unwrap_or_else(|e| panic!("{e}"));
    let texts = doc.texts().join("\n");
    assert!(
        texts.contains("Bộ phận Tư pháp chưa gửi báo cáo"),
        "{texts}"
    );
}

#[test]
fn the_one_stop_unit_missing_is_said_not_invented() {
    let (cfg, data) = data_without(Some("MC"));
    assert!(data.one_stop.is_none());
    let doc = render::report(&data, &cfg, &opts(Some(12), false), &Templates::builtin())
        .unwrap_or_else(|e| panic!("{e}"));
    let texts = doc.texts().join("\n");
    assert!(
        texts.contains("chưa gửi số liệu hồ sơ thủ tục hành chính"),
        "{texts}"
    );
    assert!(texts.contains("Chưa có số liệu khảo sát"), "{texts}");
    assert_eq!(doc.sections.len(), 4);
    assert!(section_tables(&doc, 3).is_empty());
}

#[test]
fn each_appendix_alone() {
    let (cfg, data) = data_without(None);
    let list = render::appendices(&data, &cfg, &opts(Some(5), false), &Templates::builtin())
        .unwrap_or_else(|e| panic!("{e}"));
    let slugs: Vec<&str> = list.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(slugs, vec!["phu-luc-I", "phu-luc-II", "phu-luc-III"]);
    for (_, doc) in &list {
        assert_eq!(doc.sections.len(), 1);
        assert_eq!(doc.sections[0].orientation, Orientation::Landscape);
        let Block::AppendixTitle(a) = &doc.sections[0].blocks[0] else {
            panic!()
        };
        assert!(
            a.reference.contains("Báo cáo số 05/BC-UBND"),
            "{}",
            a.reference
        );
        assert!(
            !doc.sections[0]
                .blocks
                .iter()
                .any(|b| matches!(b, Block::Header(_) | Block::Signature(_)))
        );
    }
}

#[test]
fn a_broken_template_names_its_file_and_line() {
    // A tera syntax error on line 7 of the file (the front matter takes lines 1-4).
    let broken = "+++\nloai = \"BÁO CÁO\"\ntrich_yeu = \"Báo cáo {{ period.name }}\"\n+++\nMở đầu.\n\n{{ period.name | }}\n";
    let err = Templates::with_overrides(vec![("bao-cao-quy.md".into(), broken.into())])
        .err()
        .expect("a syntax error");
    assert_eq!(err.template, "bao-cao-quy.md");
    assert_eq!(err.line, Some(7), "{err}");
    assert!(err.to_string().starts_with("bao-cao-quy.md:7: "), "{err}");

    // An unknown variable, found on its line.
    let (cfg, data) = data_without(None);
    let unknown = "+++\nloai = \"BÁO CÁO\"\n+++\nMở đầu.\n\nSố {{ khong_co.gi }}.\n";
    let t = Templates::with_overrides(vec![("bao-cao-quy.md".into(), unknown.into())]).unwrap();
    let err = render::report(&data, &cfg, &opts(Some(1), false), &t).unwrap_err();
    assert_eq!(
        (err.template.as_str(), err.line),
        ("bao-cao-quy.md", Some(6)),
        "{err}"
    );
    assert!(err.message.contains("khong_co.gi"), "{err}");

    // A Markdown error in the filled body, mapped back to the template line.
    let md = "+++\nloai = \"BÁO CÁO\"\n+++\n# I. {{ period.name | hoa }}\n\nCó ![hình](a.png) trong {{ period.name }}.\n";
    let t = Templates::with_overrides(vec![("bao-cao-quy.md".into(), md.into())]).unwrap();
    let err = render::report(&data, &cfg, &opts(Some(1), false), &t).unwrap_err();
    assert_eq!(
        (err.template.as_str(), err.line),
        ("bao-cao-quy.md", Some(6)),
        "{err}"
    );

    // An error in an appendix's front matter title.
    let pl = "+++\nnhan = \"PHỤ LỤC I\"\ntieu_de = \"{{ khong_co }}\"\n+++\nx\n";
    let t = Templates::with_overrides(vec![("phu-luc-I.md".into(), pl.into())]).unwrap();
    let err = render::report(&data, &cfg, &opts(Some(1), false), &t).unwrap_err();
    assert_eq!(
        (err.template.as_str(), err.line),
        ("phu-luc-I.md", Some(3)),
        "{err}"
    );

    // Bad front matter.
    let bad = "+++\nloai = \n+++\nx\n";
    let err = Templates::with_overrides(vec![("bao-cao-quy.md".into(), bad.into())])
        .err()
        .expect("bad TOML");
    assert_eq!(err.template, "bao-cao-quy.md");
    assert!(err.line.is_some(), "{err}");
}

#[test]
fn overrides_replace_builtins() {
    let (cfg, data) = data_without(None);
    let body = "+++\nloai = \"báo cáo\"\nky_hieu = \"BC\"\ntrich_yeu = \"Tóm tắt {{ period.short_name }}\"\nphu_luc = [\"phu-luc-III.md\"]\n+++\nNội dung {{ period.name }}./.\n";
    let t = Templates::with_overrides(vec![("bao-cao-quy.md".into(), body.into())]).unwrap();
    let doc = render::report(&data, &cfg, &opts(Some(12), false), &t).unwrap();
    assert_eq!(doc.sections.len(), 2);
    let Block::Title(title) = &doc.sections[0].blocks[1] else {
        panic!()
    };
    assert_eq!(title.kind, "BÁO CÁO");
    assert_eq!(title.summary, vec!["Tóm tắt Quý II/2024"]);
    assert_eq!(body_paragraphs(&doc), vec!["Nội dung quý II năm 2024./."]);
}

#[test]
fn both_writers_accept_the_report() {
    let (cfg, data) = data_without(None);
    let doc = render::report(&data, &cfg, &opts(Some(12), false), &Templates::builtin())
        .unwrap_or_else(|e| panic!("{e}"));
    let docx = cchc::docx::write(&doc).unwrap_or_else(|e| panic!("docx: {e}"));
    assert!(docx.starts_with(b"PK"));
    let pdf = cchc::pdf::render(&doc, &cchc::fonts::Fonts::builtin())
        .unwrap_or_else(|e| panic!("pdf: {e}"));
    assert!(pdf.starts_with(b"%PDF"));
    if let Ok(dir) = std::env::var("CCHC_RENDER_OUT") {
        std::fs::write(format!("{dir}/bao-cao.docx"), &docx).unwrap();
        std::fs::write(format!("{dir}/bao-cao.pdf"), &pdf).unwrap();
    }
}
