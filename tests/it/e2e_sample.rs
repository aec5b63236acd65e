//! End to end on the sample workspace, as a user runs it: `cchc check`, `cchc data` and
//! `cchc report` as processes, their outputs read back with real clients (poppler-utils, qpdf,
//! python-docx, openxml-audit). A missing client skips with a reason, except under CI=true.

use crate::common;

use common::*;
use std::path::PathBuf;
use std::process::Command;
use unicode_normalization::UnicodeNormalization;

#[test]
fn check_on_the_sample_exits_0_with_its_real_findings() {
    let ws = workspace();
    let (_, err) = text(&cchc(ws.path(), &["check", "--period", "2024-Q4"]));
    let o = cchc(ws.path(), &["check", "--period", "2024-Q4"]);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "cảnh báo: input/ke-hoach.md:66: tổng điểm ghi 95,06 nhưng tổng 8 nội dung là 95,6"
        ),
        "{err}"
    );
    // The same as data: kinds and places.
    let (code, f) = common::findings(ws.path(), &["--period", "2024-Q4"]);
    assert_eq!(code, Some(0));
    assert!(
        f.iter().any(|[sev, kind, place, m]| sev == "Warning"
            && kind == "task_overdue"
            && place == "input/2024-Q4/van-phong.xlsx › Nhiệm vụ › B8"
            && m.contains("PL1.2")),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|[_, kind, place, _]| kind == "total_mismatch" && place == "input/ke-hoach.md:66"),
        "{f:?}"
    );
    let (_, f) = common::findings(ws.path(), &["--period", "2024-Q3"]);
    assert!(
        f.iter()
            .any(|[_, kind, place, m]| kind == "unit_not_reported"
                && place == "input/2024-Q3"
                && m.contains("Bộ phận Tài chính - Kế toán")),
        "{f:?}"
    );
    // Without --period: the latest quarter folder.
    let (_, err) = text(&cchc(ws.path(), &["check"]));
    assert!(err.contains("Kỳ báo cáo: quý IV năm 2024"), "{err}");
}

#[test]
fn bad_input_exits_1_and_writes_nothing() {
    let ws = workspace();
    std::fs::write(
        ws.path().join("input/2024-Q2/hong.xlsx"),
        b"PK\x03\x04 broken",
    )
    .unwrap();
    let o = cchc(ws.path(), &report_args("2024-Q2", "docx,pdf"));
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lỗi: input/2024-Q2/hong.xlsx: không đọc được tệp bảng tính"),
        "{err}"
    );
    assert!(out.is_empty());
    assert!(!ws.path().join("output").exists());
    // A command that cannot run at all: exit 2.
    let empty = tempfile::tempdir().unwrap();
    let o = cchc(empty.path(), &["check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("chưa phải là một không gian làm việc cchc")
    );
    let o = cchc(ws.path(), &["check", "--period", "2024-Q7"]);
    assert_eq!(o.status.code(), Some(2));
    // Command-line mistakes and help are in Vietnamese too (clap's own text is English).
    for (args, says) in [
        (
            &["check", "--period", "2024-Q7"][..],
            "giá trị \"2024-Q7\" của --ky không hợp lệ: kỳ báo cáo",
        ),
        (&["report", "--so", "12/BC-UBND"], "cần một số nguyên dương"),
        (
            &["report", "--format", "odt"],
            "các giá trị được dùng: docx, pdf",
        ),
        (&["report", "--period"], "thiếu giá trị sau --ky"),
        (&["report", "--ky"], "thiếu giá trị sau --ky"),
        (&["archive", "add"], "thiếu <TỆP>"),
        (&["bao-cao"], "không có lệnh \"bao-cao\""),
        (&["repot"], "không có lệnh \"repot\" (có phải report?)"),
        (
            &["check", "--perod", "2024"],
            "không có tùy chọn --perod (có phải --period?)",
        ),
    ] {
        let o = cchc(ws.path(), args);
        let err = text(&o).1;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.starts_with("lỗi: ") && err.contains(says),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("error:") && !err.contains("Usage"),
            "{args:?}: {err}"
        );
    }
    for args in [
        &["--help"][..],
        &["report", "--help"],
        &["archive", "add", "--help"],
    ] {
        let o = cchc(ws.path(), args);
        let help = text(&o).0;
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert!(
            help.contains("Cách dùng: cchc") && help.contains("In hướng dẫn này"),
            "{help}"
        );
        for english in [
            "Usage",
            "[OPTIONS]",
            "<PERIOD>",
            "<FILE>",
            "Options",
            "Commands",
            "Print help",
            "[default",
            "[possible",
        ] {
            assert!(!help.contains(english), "{args:?}: {english} in\n{help}");
        }
    }
    // A folder where an output file goes: refused before any file takes its name.
    let blocked = tempfile::tempdir().unwrap();
    copy_dir(&root().join("input"), &blocked.path().join("input"));
    let folder = blocked
        .path()
        .join("output/2024-Q2/phu-luc-II-quy-II-2024.pdf");
    std::fs::create_dir_all(&folder).unwrap();
    let o = cchc(blocked.path(), &report_args("2024-Q2", "docx,pdf"));
    let err = text(&o).1;
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("đã có một thư mục trùng tên tệp này"), "{err}");
    let left: Vec<_> = std::fs::read_dir(folder.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [folder.file_name().unwrap()],
        "nothing else written or left"
    );

    // A signing date before the period began: refused, nothing written.
    let fresh = workspace();
    let o = cchc(
        fresh.path(),
        &[
            "report",
            "--period",
            "2024-Q2",
            "--so",
            "12",
            "--ngay",
            "2024-01-05",
        ],
    );
    let err = text(&o).1;
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("ngày ký 5/1/2024 trước ngày bắt đầu của quý II năm 2024 (15/3/2024)"),
        "{err}"
    );
    assert!(!fresh.path().join("output").exists());

    // A period of another year than the plan's: refused, and nothing written.
    for args in [
        &report_args("2023-Q1", "docx,pdf")[..],
        &["check", "--period", "2025"],
        &["forms", "--period", "2025-Q1"],
    ] {
        let o = cchc(ws.path(), args);
        let err = text(&o).1;
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("không thuộc năm của kế hoạch"), "{err}");
    }
    assert!(!ws.path().join("output").exists());
}

#[test]
fn data_prints_every_figure_with_its_source() {
    let ws = workspace();
    let o = cchc(ws.path(), &["data", "--period", "2024-Q2"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let total = &v["one_stop"]["total"]["columns"];
    assert_eq!(total.as_array().unwrap().len(), 11);
    for f in total.as_array().unwrap() {
        let src = f["sources"].as_array().unwrap();
        assert!(!src.is_empty());
        // Counted from the one-stop software's list: its rows.
        assert!(
            // A count of none cites the list's sheet.
            src.iter()
                .all(|s| s["file"] == "input/2024-Q2/mot-cua-so-theo-doi.xlsx"
                    && (s["kind"] == "sheet" || s["count"].as_u64().is_some())),
            "{src:?}"
        );
    }
    assert_eq!(v["one_stop"]["online_share"]["text"], "28,14%");
    assert!(v["sipas"]["overall"]["sources"].as_array().unwrap().len() >= 5);
    assert_eq!(v["index"]["total"]["text"], "95,6");
}

/// Runs the report twice into two workspaces and returns the first one's output folder.
fn report_twice() -> (tempfile::TempDir, PathBuf) {
    let a = workspace();
    let b = workspace();
    let oa = cchc(a.path(), &report_args("2024-Q2", "docx,pdf"));
    assert_eq!(oa.status.code(), Some(0), "{}", text(&oa).1);
    let ob = cchc(b.path(), &report_args("2024-Q2", "docx,pdf"));
    assert_eq!(ob.status.code(), Some(0));
    let written: Vec<&str> = std::str::from_utf8(&oa.stdout).unwrap().lines().collect();
    assert_eq!(written.len(), 8, "{written:?}");
    for w in &written {
        let x = std::fs::read(a.path().join(w)).unwrap();
        let y = std::fs::read(b.path().join(w)).unwrap();
        assert!(x == y, "{w}: two runs differ");
    }
    let dir = a.path().join("output/2024-Q2");
    (a, dir)
}

#[test]
fn report_outputs_are_byte_identical_and_hold_the_figures() {
    let (_keep, dir) = report_twice();
    let pdf = dir.join("bao-cao-cchc-quy-II-2024.pdf");
    let docx = dir.join("bao-cao-cchc-quy-II-2024.docx");
    let data: serde_json::Value = {
        let o = cchc(_keep.path(), &["data", "--period", "2024-Q2"]);
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let figures: Vec<String> = data["one_stop"]["total"]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap().to_string())
        .chain(
            [
                "online_share",
                "on_time_share",
                "online_partial_share",
                "online_full_share",
            ]
            .iter()
            .map(|k| data["one_stop"][k]["text"].as_str().unwrap().to_string()),
        )
        .chain([data["sipas"]["overall"]["text"]
            .as_str()
            .unwrap()
            .to_string()])
        .collect();
    let tasks: Vec<String> = data["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| squash(t["text"].as_str().unwrap()))
        .collect();
    assert_eq!(tasks.len(), 33);

    if client("pdftotext", &["-v"]) {
        // -raw keeps the content stream's order, in which each table cell's lines are
        // contiguous; the default reading order interleaves neighbouring cells.
        let t = pdftotext_raw(&pdf);
        assert!(t.nfc().eq(t.chars()), "pdftotext output is not NFC");
        let flat = squash(&t);
        for s in [
            "UBND QUẬN HÀ ĐÔNG",
            "ỦY BAN NHÂN DÂN",
            "PHƯỜNG PHÚ LÃM",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 12/BC-UBND",
            "BÁO CÁO",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Phạm Ngọc Anh",
            "PHỤ LỤC I",
            "PHỤ LỤC II",
            "PHỤ LỤC III",
            "./.",
        ] {
            assert!(flat.contains(s), "PDF lacks {s:?}");
        }
        let re = date_line();
        assert!(t.lines().any(|l| re(l.trim())), "no Decree 30 date line");
        for task in &tasks {
            assert!(flat.contains(task.as_str()), "PDF lacks task {task:?}");
        }
        for f in &figures {
            assert!(flat.contains(f.as_str()), "PDF lacks figure {f}");
        }
    }
    if client("pdffonts", &["-v"]) {
        let out =
            String::from_utf8(Command::new("pdffonts").arg(&pdf).output().unwrap().stdout).unwrap();
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(!rows.is_empty());
        for r in rows {
            let cols: Vec<&str> = r.split_whitespace().collect();
            assert!(cols[0].contains('+'), "font not subset: {r}");
            assert_eq!(
                &cols[cols.len() - 5..cols.len() - 2],
                ["yes", "yes", "yes"],
                "{r}"
            );
        }
    }
    if client("pdfinfo", &["-v"]) {
        let out = String::from_utf8(
            Command::new("pdfinfo")
                .args(["-f", "1", "-l", "99"])
                .arg(&pdf)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let sizes: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains("size:"))
            .collect();
        assert!(sizes[0].contains("595.276 x 841.89"), "{}", sizes[0]);
        assert!(sizes.last().unwrap().contains("841.89 x 595.276"));
        let meta = String::from_utf8(
            Command::new("pdfinfo")
                .arg("-meta")
                .arg(&pdf)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        assert!(
            meta.contains("<pdfaid:part>2</pdfaid:part>")
                && meta.contains("<pdfaid:conformance>B</pdfaid:conformance>")
        );
    }
    if client("qpdf", &["--version"]) {
        run_ok(Command::new("qpdf").arg("--check").arg(&pdf));
    }
    if python_module("docx") {
        let script = root().join("tests/sample_docx_check.py");
        let mut cmd = Command::new("python3");
        cmd.arg(&script).arg(&docx);
        for f in &figures {
            cmd.arg(f);
        }
        run_ok(&mut cmd);
    }
    if python_module("openxml_audit") {
        let o = Command::new("openxml-audit")
            .args(["--policy", "strict", "-o", "json"])
            .arg(&docx)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{out}"));
        let v = if v.is_array() { v[0].clone() } else { v };
        assert_eq!(v["error_count"], 0, "{out}");
        assert_eq!(v["valid"], true, "{out}");
    }
}

/// A tiny matcher for the Decree 30 date line (no regex dependency for one pattern).
/// Whether a line is a Decree 30 date line: "<địa danh>, ngày DD tháng M năm YYYY", the day
/// two digits, the month with a leading zero only for 01 and 02.
fn date_line() -> impl Fn(&str) -> bool {
    |l: &str| {
        let Some((place, rest)) = l.split_once(", ngày ") else {
            return false;
        };
        if place.is_empty() || place.contains(',') {
            return false;
        }
        let parts: Vec<&str> = rest.split(' ').collect();
        let [d, "tháng", m, "năm", y] = parts[..] else {
            return false;
        };
        let day_ok = d.len() == 2 && d.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
        let month_ok = matches!(m, "01" | "02")
            || m.parse::<u32>().is_ok_and(|m| (3..=12).contains(&m)) && !m.starts_with('0');
        day_ok && month_ok && y.len() == 4 && y.parse::<u32>().is_ok()
    }
}

#[test]
fn date_matcher_follows_the_rule() {
    let re = date_line();
    assert!(re("Phú Lãm, ngày 05 tháng 6 năm 2024"));
    assert!(re("Phú Lãm, ngày 28 tháng 02 năm 2024"));
    assert!(!re("Phú Lãm, ngày 5 tháng 6 năm 2024"));
    assert!(!re("Phú Lãm, ngày 05 tháng 06 năm 2024"));
    assert!(!re("Phú Lãm, ngày 05 tháng 2 năm 2024"));
}

#[test]
fn appendix_command_writes_each_appendix_alone() {
    let ws = workspace();
    // An edited plan: a task added to Appendix I, and a lead unit changed.
    let plan = ws.path().join("input/ke-hoach.md");
    let src = std::fs::read_to_string(&plan).unwrap();
    let row17 = src
        .lines()
        .find(|l| l.starts_with("| 17 |"))
        .unwrap()
        .to_string();
    let added = "| 18 | Xây dựng mô hình \"Một cửa thân thiện\" tại Bộ phận Một cửa | Bộ phận Tiếp nhận và trả kết quả | Văn phòng UBND phường | Tháng 11/2024 |";
    let edited = src.replace(&row17, &format!("{row17}\n{added}")).replace(
        "| 9 | Thực hiện chấm điểm công tác CCHC phường | Văn phòng |",
        "| 9 | Thực hiện chấm điểm công tác CCHC phường | Bộ phận Tư pháp |",
    );
    assert_ne!(edited, src);
    std::fs::write(&plan, edited).unwrap();
    let o = cchc(
        ws.path(),
        &[
            "appendix",
            "--period",
            "2024-Q2",
            "--ngay",
            "2024-06-05",
            "--draft",
            "--format",
            "pdf",
        ],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let files: Vec<&str> = out.lines().collect();
    assert_eq!(
        files,
        [
            "output/2024-Q2/phu-luc-I-quy-II-2024-du-thao.pdf",
            "output/2024-Q2/phu-luc-II-quy-II-2024-du-thao.pdf",
            "output/2024-Q2/phu-luc-III-quy-II-2024-du-thao.pdf",
            "output/2024-Q2/phu-luc-I-ke-hoach-104-KH-UBND.pdf",
            "output/2024-Q2/phu-luc-II-ke-hoach-104-KH-UBND.pdf",
        ]
    );
    if client("pdftotext", &["-v"]) {
        let t = Command::new("pdftotext")
            .arg(ws.path().join(files[0]))
            .arg("-")
            .output()
            .unwrap();
        let t = squash(&String::from_utf8_lossy(&t.stdout));
        assert!(
            t.contains("PHỤ LỤC I") && t.contains("Kèm theo Báo cáo số /BC-UBND"),
            "{t}"
        );
        // The plan's own Appendix I follows the edited plan.
        let t = squash(&pdftotext_raw(&ws.path().join(files[3])));
        assert!(t.contains("Ban hành kèm theo Kế hoạch số 104"), "{t}");
        assert!(t.contains("Xây dựng mô hình \"Một cửa thân thiện\""), "{t}");
        assert!(
            t.contains("Thực hiện chấm điểm công tác CCHC phường Bộ phận Tư pháp"),
            "{t}"
        );
    }
}

/// `cchc report` writes each appendix's DOCX body once, for the report and for the appendix
/// alone: the appendix files are the same bytes as `cchc appendix` writes from scratch.
#[test]
fn report_and_appendix_commands_write_the_same_appendix_files() {
    let (a, b) = (workspace(), workspace());
    let mut args = report_args("2024-Q2", "docx,pdf");
    let o = cchc(a.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    args[0] = "appendix";
    let o = cchc(b.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    for n in ["I", "II", "III"] {
        for ext in ["docx", "pdf"] {
            let file = format!("output/2024-Q2/phu-luc-{n}-quy-II-2024.{ext}");
            let from_report = std::fs::read(a.path().join(&file)).unwrap();
            let alone = std::fs::read(b.path().join(&file)).unwrap();
            assert!(from_report == alone, "{file} differs");
        }
    }
}

/// LibreOffice opens the report DOCX and renders it: its PDF holds the key strings.
#[test]
fn libreoffice_renders_the_report_docx() {
    if !client("soffice", &["--version"]) || !client("pdftotext", &["-v"]) {
        return;
    }
    let ws = workspace();
    report(ws.path(), "2024-Q2", "docx");
    let docx = ws
        .path()
        .join("output/2024-Q2/bao-cao-cchc-quy-II-2024.docx");
    let profile = ws.path().join("lo-profile");
    let out = ws.path().join("lo");
    let st = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(&docx)
        .output()
        .unwrap();
    let pdf = out.join("bao-cao-cchc-quy-II-2024.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice wrote no PDF: {}",
        String::from_utf8_lossy(&st.stderr)
    );
    let t = squash(&pdftotext_raw(&pdf));
    // The DOCX declares the PDF's cell margins: the table headers that fit their column in
    // cchc's PDF fit it in LibreOffice too ("ST / T", "Tình / trạng" before).
    let words = common::pdf_words(&pdf);
    let mut pairs = 0;
    for w in words.windows(2) {
        assert!(w[0].text != "ST", "\"STT\" broken: {w:?}");
        if (w[0].text == "Tình" && w[1].text == "trạng")
            || (w[0].text == "Hoàn" && w[1].text.starts_with("thành"))
        {
            assert!(
                w[0].page == w[1].page && (w[0].y - w[1].y).abs() < 1.0,
                "broken over two lines: {w:?}"
            );
            pairs += 1;
        }
    }
    assert!(words.iter().filter(|w| w.text == "STT").count() >= 3);
    assert!(pairs >= 10, "{pairs}");
    for s in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Phú Lãm, ngày 05 tháng 6 năm 2024",
        "Số: 12/BC-UBND",
        "Phạm Ngọc Anh",
        "PHỤ LỤC III",
        "28,14%",
        "1.039",
    ] {
        assert!(t.contains(s), "LibreOffice PDF lacks {s:?}");
    }
}

/// A draft never touches the numbered report: its own file names, and the numbered files stay
/// byte for byte; without --so and --ngay a report is a draft and cchc says so; `appendix`
/// takes the number and date of the report written for the period; another number for the
/// same period needs --ghi-de.
#[test]
fn the_numbered_report_is_protected() {
    let ws = workspace();
    let ws = ws.path();
    let args = report_args("2024-Q2", "docx,pdf");
    let o = cchc(ws, &args);
    assert!(o.status.success(), "{:?}", text(&o));
    let out = ws.join("output/2024-Q2");
    let numbered: Vec<(std::path::PathBuf, Vec<u8>)> = {
        let mut v: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| (e.path(), std::fs::read(e.path()).unwrap()))
            .collect();
        v.sort();
        v
    };
    let unchanged = || {
        for (p, b) in &numbered {
            assert!(std::fs::read(p).unwrap() == *b, "{} changed", p.display());
        }
    };
    // --draft: its own names.
    let o = cchc(
        ws,
        &[
            "report", "--period", "2024-Q2", "--draft", "--format", "pdf",
        ],
    );
    let (stdout, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        stdout.lines().all(|l| l.ends_with("-du-thao.pdf")),
        "{stdout}"
    );
    unchanged();
    // No --so, no --ngay: a draft, said on standard error.
    let o = cchc(ws, &["report", "--period", "2024-Q2", "--format", "pdf"]);
    let (stdout, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("DỰ THẢO"), "{err}");
    if client("pdftotext", &["-v"]) {
        // Undated, a draft leaves the day and month blank, in its period's year.
        let t = squash(&pdftotext_raw(
            &out.join("bao-cao-cchc-quy-II-2024-du-thao.pdf"),
        ));
        assert!(t.contains("Phú Lãm, ngày tháng năm 2024"), "{t}");
    }
    assert!(
        stdout.contains("bao-cao-cchc-quy-II-2024-du-thao.pdf"),
        "{stdout}"
    );
    unchanged();
    // Half a number is no number.
    let o = cchc(ws, &["report", "--period", "2024-Q2", "--so", "13"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("thiếu --ngay"), "{:?}", text(&o));
    // appendix: the number and date of report 12.
    let o = cchc(ws, &["appendix", "--period", "2024-Q2", "--format", "pdf"]);
    let (stdout, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("số 12/BC-UBND ngày 5/6/2024"), "{err}");
    assert!(
        stdout.contains("output/2024-Q2/phu-luc-I-quy-II-2024.pdf"),
        "{stdout}"
    );
    unchanged();
    // Another number for the same period: refused, then replaced with --ghi-de.
    let other = [
        "report",
        "--period",
        "2024-Q2",
        "--so",
        "13",
        "--ngay",
        "2024-06-06",
        "--format",
        "pdf",
    ];
    let o = cchc(ws, &other);
    let err = text(&o).1;
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("số 12/BC-UBND ngày 5/6/2024") && err.contains("--ghi-de"),
        "{err}"
    );
    unchanged();
    let mut forced = other.to_vec();
    forced.push("--ghi-de");
    let o = cchc(ws, &forced);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(
        text(&o).1.contains("Thay Báo cáo số 12/BC-UBND"),
        "{:?}",
        text(&o)
    );
    // The replaced report's DOCX (not written again) does not stay behind with the old number.
    assert!(!out.join("bao-cao-cchc-quy-II-2024.docx").exists());
    assert!(!out.join("phu-luc-I-quy-II-2024.docx").exists());
    assert!(out.join("bao-cao-cchc-quy-II-2024.pdf").exists());
    // One number, one document: 13 is Quý II's now, so the 6-month report cannot take it.
    let o = cchc(
        ws,
        &[
            "report",
            "--period",
            "2024-6T",
            "--so",
            "13",
            "--ngay",
            "2024-06-10",
        ],
    );
    let err = text(&o).1;
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("số 13/BC-UBND đã dùng cho báo cáo quý II năm 2024"),
        "{err}"
    );
    assert!(!ws.join("output/2024-6T").exists());
}

/// Writes stay inside the workspace: an `output/` period folder linked elsewhere is refused
/// with nothing written there; temporary files a killed run left are cleared by the next.
#[cfg(unix)]
#[test]
fn writes_stay_inside_the_workspace_and_leftovers_go() {
    let ws = workspace();
    let ws = ws.path();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(ws.join("output")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), ws.join("output/2024-Q2")).unwrap();
    let o = cchc(ws, &report_args("2024-Q2", "docx,pdf"));
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("output/2024-Q2 là một liên kết (symlink) tới nơi khác"),
        "{err}"
    );
    assert!(out.is_empty(), "{out}");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);

    std::fs::remove_file(ws.join("output/2024-Q2")).unwrap();
    std::fs::create_dir_all(ws.join("output/2024-Q2")).unwrap();
    let left = ws.join("output/2024-Q2/.bao-cao-cchc-quy-II-2024.pdf.tmp-999999");
    std::fs::write(&left, b"half").unwrap();
    let o = cchc(ws, &report_args("2024-Q2", "docx,pdf"));
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(!left.exists());
    let names: Vec<String> = std::fs::read_dir(ws.join("output/2024-Q2"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
}
