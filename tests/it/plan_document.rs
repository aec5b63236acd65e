//! `cchc plan`: the plan (input/ke-hoach.md) rendered as the official document it is, with its
//! two appendices regenerated from the current Markdown. Run as processes on copies of the
//! sample workspace and read back with real clients (pdftotext, python-docx); a missing client
//! skips its part with a reason, except under CI=true.

use crate::common;
use cchc::doc::{Block, Orientation};

use common::*;
use std::path::Path;
use std::process::Command;

/// Edits the workspace's plan: every `(from, to)` must match exactly once.
fn edit_plan(ws: &Path, edits: &[(&str, &str)]) {
    let path = ws.join("input/ke-hoach.md");
    let mut s = std::fs::read_to_string(&path).unwrap();
    for (from, to) in edits {
        assert_eq!(
            s.matches(from).count(),
            1,
            "{from:?} is not in the plan once"
        );
        s = s.replace(from, to);
    }
    std::fs::write(&path, s).unwrap();
}

/// The PDF's text (pdftotext -raw: each table cell's lines stay together, cells in order),
/// whitespace squashed, page numbers dropped (drawn last on a page, so a page's last line when
/// it is a number). A line that ends in a hyphen glued to a word ("147/QĐ-" / "UBND") was broken
/// there by the line breaker, so the next line joins it without a space.
fn pdf_text(pdf: &Path) -> String {
    let raw = common::pdftotext_raw(pdf);
    let number = |l: &str| !l.trim().is_empty() && l.trim().chars().all(|c| c.is_ascii_digit());
    let mut joined = String::new();
    for page in raw.split('\u{c}') {
        let mut lines: Vec<&str> = page.lines().collect();
        if lines.last().is_some_and(|l| number(l)) {
            lines.pop();
        }
        for line in lines {
            let line = line.trim_end();
            joined.push_str(line);
            let glued_hyphen = line.ends_with('-')
                && line
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(|c| !c.is_whitespace());
            if !glued_hyphen {
                joined.push('\n');
            }
        }
    }
    squash(&joined)
}

/// Whether `flat` (from [`pdf_text`]) holds `s`: as is, or, since a line broken after a slash
/// or hyphen cannot be told from one broken at a space, with all spaces removed on both sides.
fn holds(flat: &str, s: &str) -> bool {
    let despaced = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    flat.contains(s) || despaced(flat).contains(&despaced(s))
}

/// The Markdown body of the sample plan (after the front matter) as the texts a reader must
/// find in the PDF: each paragraph, heading and list item without its markup, and each table
/// cell's text (`<br>` read as a space; span markers and empty cells skipped).
fn expected_texts(plan: &str) -> Vec<String> {
    let body = plan.splitn(3, "+++").nth(2).unwrap();
    let strip = |s: &str| squash(&s.replace('*', ""));
    let mut out = Vec::new();
    for block in body.split("\n\n") {
        let mut para = String::new();
        for line in block.lines() {
            let l = line.trim();
            if l.is_empty() || l.starts_with("<!--") {
                continue;
            }
            if l.starts_with('|') {
                if l.trim_matches(|c| "|:- ".contains(c)).is_empty() {
                    continue; // the alignment row
                }
                for cell in l.trim_matches('|').split('|') {
                    let c = strip(&cell.replace("<br>", " "));
                    if !c.is_empty() && c != "<" && c != "^" {
                        out.push(c);
                    }
                }
            } else if let Some(item) = l.strip_prefix("- ") {
                out.push(strip(item));
            } else {
                let l = l.trim_start_matches('#').trim_start();
                para.push(' ');
                para.push_str(l);
            }
        }
        if !para.trim().is_empty() {
            out.push(strip(&para));
        }
    }
    out
}

const PLAN_FILES: [&str; 2] = [
    "output/ke-hoach-104-KH-UBND.docx",
    "output/ke-hoach-104-KH-UBND.pdf",
];

#[test]
fn the_plan_document_is_built_from_the_front_matter_and_the_body() {
    let config =
        cchc::Config::parse(&std::fs::read_to_string(root().join("input/cchc.toml")).unwrap())
            .unwrap();
    let src = std::fs::read_to_string(root().join("input/ke-hoach.md")).unwrap();
    let (plan, findings) = cchc::plan::parse(&src, "input/ke-hoach.md", &config);
    assert!(!findings.iter().any(|f| f.is_error()), "{findings:?}");
    let plan = plan.unwrap();
    let doc = cchc::render::plan::document(&plan, &config).unwrap();
    assert_eq!(cchc::render::plan::file_stem(&plan), "ke-hoach-104-KH-UBND");
    let orientations: Vec<Orientation> = doc.sections.iter().map(|s| s.orientation).collect();
    assert_eq!(
        orientations,
        [
            Orientation::Portrait,
            Orientation::Landscape,
            Orientation::Landscape
        ]
    );
    let main = &doc.sections[0].blocks;
    let Block::Header(h) = &main[0] else {
        panic!("{:?}", main[0])
    };
    assert_eq!(h.number, "Số: 104/KH-UBND");
    assert_eq!(h.place_date, "Phú Lãm, ngày 28 tháng 3 năm 2024");
    assert_eq!(h.issuer, ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ LÃM"]);
    let Block::Title(t) = &main[1] else {
        panic!("{:?}", main[1])
    };
    assert_eq!(t.kind, "KẾ HOẠCH");
    assert_eq!(t.summary.len(), 1);
    assert_eq!(t.summary[0], plan.meta.trich_yeu);
    let Some(Block::Signature(s)) = main.last() else {
        panic!("no signature")
    };
    assert_eq!(s.authority, ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]);
    assert_eq!(s.signer, "Phạm Ngọc Anh");
    assert_eq!(s.recipients.first().unwrap(), "- Phòng Nội vụ quận;");
    assert_eq!(s.recipients.last().unwrap(), "- Lưu: VT.");
    let Block::Paragraph(last) = &main[main.len() - 2] else {
        panic!("{:?}", main[main.len() - 2])
    };
    assert!(last.text().ends_with("./."), "{}", last.text());
    // No appendix heading is left in the plan's own section.
    assert!(
        !doc.sections[0]
            .blocks
            .iter()
            .any(|b| matches!(b, Block::AppendixTitle(_)))
    );
    for (i, (label, rows)) in [("PHỤ LỤC I", 17), ("PHỤ LỤC II", 21)].iter().enumerate() {
        let blocks = &doc.sections[i + 1].blocks;
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        let Block::AppendixTitle(a) = &blocks[0] else {
            panic!("{:?}", blocks[0])
        };
        assert_eq!(&a.label, label);
        assert_eq!(a.title.len(), 1);
        assert!(
            a.title[0].starts_with("PHÂN CÔNG CÁC NHIỆM VỤ"),
            "{:?}",
            a.title
        );
        assert!(
            a.reference
                .starts_with("(Ban hành kèm theo Kế hoạch số 104")
                && a.reference.ends_with("của UBND phường Phú Lãm)"),
            "{}",
            a.reference
        );
        let Block::Table(t) = &blocks[1] else {
            panic!("{:?}", blocks[1])
        };
        assert_eq!(t.rows.len(), *rows);
    }
}

#[test]
fn plan_renders_every_sentence_and_row_of_the_seed() {
    let ws = workspace();
    let o = cchc(ws.path(), &["plan"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(out.lines().collect::<Vec<_>>(), PLAN_FILES, "{out}");
    for f in PLAN_FILES {
        assert!(ws.path().join(f).is_file(), "{f}");
    }
    // Same inputs, same bytes.
    let pdf = ws.path().join(PLAN_FILES[1]);
    let docx = ws.path().join(PLAN_FILES[0]);
    let first = (std::fs::read(&docx).unwrap(), std::fs::read(&pdf).unwrap());
    assert_eq!(cchc(ws.path(), &["plan"]).status.code(), Some(0));
    assert!(first == (std::fs::read(&docx).unwrap(), std::fs::read(&pdf).unwrap()));

    if client("pdftotext", &["-v"]) {
        let flat = pdf_text(&pdf);
        let plan = std::fs::read_to_string(ws.path().join("input/ke-hoach.md")).unwrap();
        let expected = expected_texts(&plan);
        assert!(expected.len() > 250, "{}", expected.len());
        let missing: Vec<&String> = expected.iter().filter(|s| !holds(&flat, s)).collect();
        assert!(missing.is_empty(), "the PDF lacks {missing:#?}");
        // The frame, in order: header, title, body ending "./.", signature, appendices.
        let mut at = 0;
        for s in [
            "UBND QUẬN HÀ ĐÔNG",
            "ỦY BAN NHÂN DÂN",
            "PHƯỜNG PHÚ LÃM",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 104/KH-UBND",
            "Phú Lãm, ngày 28 tháng 3 năm 2024",
            "KẾ HOẠCH",
            "Cải thiện, nâng cao Chỉ số cải cách hành chính, chỉ số hài lòng về sự phục vụ \
             hành chính phường Phú Lâm năm 2024",
            "Thực hiện Quyết định số 7564/QĐ-UBND",
            "triển khai thực hiện./.",
            "Nơi nhận:",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Phạm Ngọc Anh",
            "PHỤ LỤC I",
            "PHÂN CÔNG CÁC NHIỆM VỤ CẢI THIỆN, NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDES)",
            "(Ban hành kèm theo Kế hoạch số 104 /KH - UBND ngày 28/3/2024 của UBND phường Phú Lãm)",
            "PHỤ LỤC II",
            "PHÂN CÔNG CÁC NHIỆM VỤ CẢI THIỆN, NÂNG CAO CHỈ SỐ HÀI LÒNG (SIPAS)",
        ] {
            match flat[at..].find(s) {
                Some(i) => at += i + s.len(),
                None => panic!("{s:?} missing or out of order after byte {at}"),
            }
        }
        for r in [
            "- Phòng Nội vụ quận;",
            "- TT Đảng ủy;",
            "- Chủ tịch, các Phó Chủ tịch UBND;",
            "- MTTQ, Trưởng các ngành, bộ phận;",
            "- Lưu: VT.",
        ] {
            assert!(flat.contains(r), "recipients lack {r:?}");
        }
    }
    if client("pdfinfo", &["-v"]) {
        let out = Command::new("pdfinfo")
            .args(["-f", "1", "-l", "999"])
            .arg(&pdf)
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&out.stdout);
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains("size:"))
            .collect();
        assert!(sizes[0].contains("595.276 x 841.89"), "{info}");
        assert!(sizes.last().unwrap().contains("841.89 x 595.276"), "{info}");
        assert!(
            info.contains("Subject:         Kế hoạch số 104/KH-UBND"),
            "{info}"
        );
    }
    if python_module("docx") {
        let script = r#"
import sys, docx
from docx.enum.section import WD_ORIENT
d = docx.Document(sys.argv[1])
bad = []
o = [s.orientation for s in d.sections]
if o != [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.LANDSCAPE]:
    bad.append(f"sections {o}")
head = [" ".join(p.text.split()) for r in d.tables[0].rows for c in r.cells for p in c.paragraphs]
for s in ["UBND QUẬN HÀ ĐÔNG", "ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ LÃM",
          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "Số: 104/KH-UBND", "Phú Lãm, ngày 28 tháng 3 năm 2024"]:
    if s not in head:
        bad.append(f"header block lacks {s!r}: {head}")
paras = [" ".join(p.text.split()) for p in d.paragraphs]
for s in ["KẾ HOẠCH", "PHỤ LỤC I", "PHỤ LỤC II"]:
    if s not in paras:
        bad.append(f"no paragraph {s!r}")
cells = " ".join(c.text for t in d.tables for r in t.rows for c in r.cells)
for s in ["KT. CHỦ TỊCH", "Phạm Ngọc Anh", "Tổ chức tự kiểm tra công vụ tại phường"]:
    if s not in cells:
        bad.append(f"tables lack {s!r}")
print("\n".join(bad) or "OK")
sys.exit(1 if bad else 0)
"#;
        let o = Command::new("python3")
            .args(["-c", script])
            .arg(&docx)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn appendices_follow_the_current_plan() {
    let ws = workspace();
    let row17 = "| 17 | Thực hiện Kế hoạch chuyển đổi số, ứng dụng CNTT; Đề án 06 trong việc thực \
                 hiện các TTHC liên thông trên môi trường mạng. | Văn hoá tin, Công an phường | Các \
                 ngành, bộ phận chuyên môn | Thường xuyên |\n";
    edit_plan(
        ws.path(),
        &[
            // An 18th task in Appendix I.
            (
                row17,
                &format!(
                    "{row17}| 18 | Thí điểm tiếp nhận phản ánh, kiến nghị qua ứng dụng Zalo \
                     của phường | Bộ phận Tư pháp | Các ngành, bộ phận chuyên môn | Tháng \
                     11/2024 |\n"
                ),
            ),
            // A lead unit changed.
            (
                "| 9 | Thực hiện chấm điểm công tác CCHC phường | Văn phòng |",
                "| 9 | Thực hiện chấm điểm công tác CCHC phường | Bộ phận Tư pháp |",
            ),
            // A task reworded (Appendix II).
            (
                "| 3 | Tổ chức tự kiểm tra công vụ tại phường |",
                "| 3 | Tổ chức tự kiểm tra công vụ, kỷ luật, kỷ cương hành chính tại phường |",
            ),
        ],
    );
    let o = cchc(ws.path(), &["plan", "--format", "pdf"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert_eq!(out.trim(), PLAN_FILES[1]);
    assert!(
        !ws.path().join(PLAN_FILES[0]).exists(),
        "docx not asked for"
    );
    if !client("pdftotext", &["-v"]) {
        return;
    }
    let flat = pdf_text(&ws.path().join(PLAN_FILES[1]));
    let a1 = flat.find("PHỤ LỤC I ").unwrap();
    let a2 = flat.find("PHỤ LỤC II ").unwrap();
    let (app1, app2) = (&flat[a1..a2], &flat[a2..]);
    for row in [
        "18 Thí điểm tiếp nhận phản ánh, kiến nghị qua ứng dụng Zalo của phường Bộ phận Tư pháp \
         Các ngành, bộ phận chuyên môn Tháng 11/2024",
        "9 Thực hiện chấm điểm công tác CCHC phường Bộ phận Tư pháp Một cửa và các BPCM Tháng \
         10/2024",
        "17 Thực hiện Kế hoạch chuyển đổi số",
    ] {
        assert!(app1.contains(row), "Appendix I lacks {row:?}:\n{app1}");
    }
    assert!(
        !app1.contains("CCHC phường Văn phòng Một cửa"),
        "old lead still shown"
    );
    assert!(
        app2.contains("3 Tổ chức tự kiểm tra công vụ, kỷ luật, kỷ cương hành chính tại phường"),
        "{app2}"
    );
    assert!(
        !flat.contains("tự kiểm tra công vụ tại phường"),
        "old wording still shown"
    );
}

#[test]
fn check_names_the_cell_of_a_task_the_plan_no_longer_has() {
    let ws = workspace();
    edit_plan(
        ws.path(),
        &[(
            "| 17 | Thực hiện Kế hoạch chuyển đổi số, ứng dụng CNTT; Đề án 06 trong việc thực \
             hiện các TTHC liên thông trên môi trường mạng. | Văn hoá tin, Công an phường | Các \
             ngành, bộ phận chuyên môn | Thường xuyên |\n",
            "",
        )],
    );
    let o = cchc(ws.path(), &["check", "--period", "2024-Q2"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "lỗi: input/2024-Q2/cong-an.xlsx › Nhiệm vụ › B7: mã nhiệm vụ PL1.17 không có trong \
             kế hoạch (input/ke-hoach.md)"
        ),
        "{err}"
    );
    // The plan itself still renders, without the task.
    let o = cchc(ws.path(), &["plan", "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
}

#[test]
fn markdown_errors_name_the_plan_file_and_line() {
    // One in the plan's body, one in Appendix II (its own section).
    for anchor in [
        "# III. ĐÁNH GIÁ KẾT QUẢ",
        "<!-- bang: rong=0.8,5,2.2,2.2,2.4,1.8 -->",
    ] {
        let ws = workspace();
        let path = ws.path().join("input/ke-hoach.md");
        let src = std::fs::read_to_string(&path).unwrap();
        let line = src.lines().position(|l| l.starts_with(anchor)).unwrap() + 1;
        // The bad line goes where the anchor was; the anchor moves two lines down.
        edit_plan(
            ws.path(),
            &[(anchor, &format!("<span>lạ</span>\n\n{anchor}"))],
        );
        let o = cchc(ws.path(), &["plan"]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(&format!("lỗi: input/ke-hoach.md:{line}: ")),
            "line {line}: {err}"
        );
        assert!(!ws.path().join("output").exists());
    }
}
