//! The DOCX writer on the specimen document, checked with real clients: python-docx,
//! openxml-audit and LibreOffice (plus poppler's pdftotext/pdfinfo). A missing client skips its
//! test with a printed reason, except under CI=true where it fails.

use crate::common;

use cchc::doc::{self, Align, Block, Cell, Column, Document, Orientation, Row, Section, Table};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

fn specimen_docx() -> Vec<u8> {
    cchc::docx::write(&doc::specimen()).expect("specimen writes")
}

fn write_temp(dir: &Path, bytes: &[u8]) -> PathBuf {
    let path = dir.join("specimen.docx");
    std::fs::write(&path, bytes).expect("temp file");
    path
}

fn run(cmd: &mut Command) -> String {
    String::from_utf8_lossy(&common::run_ok(cmd).stdout).into_owned()
}

#[test]
fn two_builds_are_byte_identical() {
    let a = specimen_docx();
    let b = specimen_docx();
    assert!(a == b, "two builds in one process differ");
    // Concurrent builds on other threads give the same bytes too.
    let others: Vec<Vec<u8>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3).map(|_| s.spawn(specimen_docx)).collect();
        hs.into_iter().map(|h| h.join().expect("thread")).collect()
    });
    for o in others {
        assert!(o == a, "a concurrent build differs");
    }
}

#[test]
fn zip_entries_have_fixed_dates_and_the_expected_parts() {
    let bytes = specimen_docx();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index(i).expect("entry");
        let t = f.last_modified().expect("a date");
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
        names.push(f.name().to_string());
    }
    assert_eq!(names[0], "[Content_Types].xml");
    for part in [
        "word/document.xml",
        "word/styles.xml",
        "word/theme/theme1.xml",
        "docProps/core.xml",
    ] {
        assert!(names.iter().any(|n| n == part), "{part} missing");
    }
    let mut doc = String::new();
    zip.by_name("word/document.xml")
        .expect("document part")
        .read_to_string(&mut doc)
        .expect("utf-8");
    // Header rows repeat on every page; rows have no fixed height.
    assert!(!doc.contains("w:trHeight"), "a row height was written");
    assert_eq!(doc.matches("<w:tblHeader/>").count(), 3);
    assert_eq!(doc.matches("<w:pgNumType w:start=\"1\"/>").count(), 3);
    assert_eq!(doc.matches("w:orient=\"landscape\"").count(), 2);
}

#[test]
fn python_docx_reads_the_layout() {
    if !common::python_module("docx") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(dir.path(), &specimen_docx());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docx_check.py");
    let out = run(Command::new("python3").arg(script).arg(&path));
    assert_eq!(out.trim(), "OK");
}

#[test]
fn openxml_audit_finds_no_error() {
    if !common::client("openxml-audit", &["--help"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(dir.path(), &specimen_docx());
    let out = run(Command::new("openxml-audit")
        .args(["--policy", "strict", "-m", "0", "-o", "json"])
        .arg(&path));
    let report: serde_json::Value = serde_json::from_str(&out).expect("json report");
    let file = &report[0];
    assert_eq!(file["error_count"], 0, "{out}");
    assert_eq!(file["valid"], true, "{out}");
}

#[test]
fn libreoffice_converts_it_and_the_pdf_holds_the_text() {
    if !common::client("soffice", &["--version"]) || !common::client("pdftotext", &["-v"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(dir.path(), &specimen_docx());
    // A private profile, so parallel conversions on this machine do not block each other.
    let profile = format!("file://{}", dir.path().join("lo-profile").display());
    run(Command::new("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&path));
    let pdf = dir.path().join("specimen.pdf");
    let text = run(Command::new("pdftotext").arg(&pdf).arg("-"));
    for s in [
        "UBND QUẬN HÀ ĐÔNG",
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/BC-UBND",
        "Phú Lãm, ngày 05 tháng 6 năm 2024",
        "BÁO CÁO",
        "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH",
        "Tỷ lệ hồ sơ trực tuyến đạt 18,68%",
        "Nơi nhận:",
        "- Lưu: VT.",
        "KT. CHỦ TỊCH",
        "Phạm Ngọc Anh",
        "PHỤ LỤC I",
        "PHỤ LỤC II",
        "Bộ phận Tiếp nhận và",
        "III. Tiêu chí: Tiếp cận dịch vụ",
    ] {
        assert!(text.contains(s), "PDF text lacks {s:?}");
    }
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 5, "{} pages", pages.len());
    // No number on the first page; "2" at the top of the second.
    assert!(
        pages[0].trim_start().starts_with("UBND"),
        "page 1 starts {:?}",
        head(pages[0])
    );
    assert!(
        pages[1].trim_start().starts_with('2'),
        "page 2 starts {:?}",
        head(pages[1])
    );
    // The appendix header rows repeat: "Minh chứng" on every page of Phụ lục I.
    let appendix: Vec<&&str> = pages
        .iter()
        .skip_while(|p| !p.contains("PHỤ LỤC I\n"))
        .take_while(|p| !p.contains("PHỤ LỤC II"))
        .collect();
    assert!(appendix.len() >= 2, "appendix I should span pages");
    for p in &appendix {
        assert!(p.contains("Minh chứng"), "header row not repeated");
    }
    if common::client("pdfinfo", &["-v"]) {
        let info = run(Command::new("pdfinfo")
            .args(["-f", "1", "-l", "999"])
            .arg(&pdf));
        let sizes: Vec<&str> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains(" size:"))
            .collect();
        assert!(
            sizes[0].contains("595.3") && sizes[0].contains("x 841.8"),
            "{}",
            sizes[0]
        );
        let last = sizes.last().expect("pages");
        assert!(last.contains("841.8") && last.contains("x 595.3"), "{last}");
    }
}

fn head(page: &str) -> String {
    page.chars().take(40).collect()
}

fn table_doc(rows: Vec<Row>) -> Document {
    let mut d = doc::specimen();
    d.sections = vec![Section {
        orientation: Orientation::Portrait,
        blocks: vec![Block::Table(Table {
            columns: vec![
                Column {
                    width: 1.0,
                    align: Align::Left,
                };
                3
            ],
            header: Vec::new(),
            rows,
        })],
    }];
    d
}

fn row(cells: Vec<Cell>) -> Row {
    Row {
        cells,
        group: false,
    }
}

#[test]
fn malformed_tables_are_errors_not_panics() {
    let c = |t: &str| Cell::text(t, Align::Left);
    // A short row is filled with an empty cell by both writers, by the model's one rule
    // (`doc::grid`), as a Markdown table is; before, the PDF drew it and the DOCX refused it.
    let too_few = table_doc(vec![row(vec![c("a"), c("b")])]);
    let docx = cchc::docx::write(&too_few).expect("two cells for three columns");
    assert!(!docx.is_empty());
    let fonts = cchc::fonts::Fonts::builtin();
    assert!(cchc::pdf::render(&too_few, &fonts).is_ok());

    // Too many cells, or a cell on a spanned position, is an error in both.
    let too_many = table_doc(vec![row(vec![c("a"), c("b"), c("c"), c("d")])]);
    assert!(cchc::docx::write(&too_many).is_err());
    assert!(cchc::pdf::render(&too_many, &fonts).is_err());

    let mut tall = c("tall");
    tall.row_span = 2;
    let overlap = table_doc(vec![
        row(vec![tall, c("b"), c("c")]),
        row(vec![c("x"), c("y"), c("z")]),
    ]);
    let err = cchc::docx::write(&overlap).expect_err("span plus a full row");
    assert!(
        matches!(err, cchc::docx::DocxError::Table { row: 2, .. }),
        "{err}"
    );
}

#[test]
fn header_rows_repeat_and_spans_become_merges() {
    let mut wide = Cell::text("wide", Align::Center);
    wide.col_span = 2;
    let mut tall = Cell::text("tall", Align::Left);
    tall.row_span = 2;
    let mut d = table_doc(vec![
        row(vec![
            tall,
            Cell::text("b", Align::Right),
            Cell::text("c", Align::Left),
        ]),
        row(vec![
            Cell::text("e", Align::Left),
            Cell::text("f", Align::Left),
        ]),
    ]);
    if let Block::Table(t) = &mut d.sections[0].blocks[0] {
        t.header = vec![row(vec![Cell::text("A", Align::Center), wide])];
    }
    let body = cchc::docx::section(&d.sections[0], &d.style).expect("a valid table");
    let xml = &body.xml;
    assert!(body.ends_with_table);
    assert_eq!(xml.matches("<w:tblHeader/>").count(), 1);
    assert_eq!(xml.matches("<w:cantSplit/>").count(), 3);
    assert_eq!(xml.matches("<w:vMerge w:val=\"restart\"/>").count(), 1);
    assert_eq!(xml.matches("<w:vMerge w:val=\"continue\"/>").count(), 1);
    // Cell properties in schema order: width, span, merge, vertical alignment.
    assert!(xml.contains("w:type=\"dxa\"/><w:gridSpan w:val=\"2\"/><w:vAlign"));
    // The columns fill the text width of an A4 portrait page with margins of 30 and 15 mm.
    let grid: i32 = xml
        .split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|s| {
            s[..s.find('"').expect("quoted")]
                .parse::<i32>()
                .expect("twips")
        })
        .sum();
    assert_eq!(grid, 11906 - 1701 - 850);
}

#[test]
fn edge_documents_write() {
    let mut empty = doc::specimen();
    empty.sections.clear();
    assert!(cchc::docx::write(&empty).is_ok());

    // A page break at the end and before a table; a span reaching the last row.
    let mut tall = Cell::text("tall", Align::Left);
    tall.row_span = 2;
    let mut d = table_doc(vec![
        row(vec![
            tall,
            Cell::text("b", Align::Left),
            Cell::text("c", Align::Left),
        ]),
        row(vec![
            Cell::text("y", Align::Left),
            Cell::text("z", Align::Left),
        ]),
    ]);
    d.sections[0].blocks.insert(0, Block::PageBreak);
    d.sections[0].blocks.push(Block::PageBreak);
    let bytes = cchc::docx::write(&d).expect("writes");
    assert!(bytes.starts_with(b"PK"));
}

/// `CCHC_DOCX_OUT=/some/file.docx cargo test --test docx_specimen` keeps a copy of the
/// specimen for looking at it in Word or LibreOffice.
#[test]
fn write_specimen_when_asked() {
    if let Some(path) = std::env::var_os("CCHC_DOCX_OUT") {
        std::fs::write(path, specimen_docx()).expect("writable CCHC_DOCX_OUT");
    }
}
