//! The hostile-input corpus: broken, oversized and crafted inputs built at test time from the
//! sample workspace (nothing large in git), each run through the binary under a 1 GiB address
//! space cap (prlimit). Every case asserts its exit code, the kind and place of the finding
//! that says why (or the template line), that a refusal leaves `output/` and `archive/` as
//! they were, and its peak memory and time (the figures are printed: BENCHMARKS.md quotes
//! them).

use crate::common::{self, copy_dir, root};
use cchc::sheets::contract::{COLUMNS, sipas, tasks};
use rust_xlsxwriter::{Workbook, Worksheet};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A run of the binary: exit code, both outputs, seconds, peak resident memory in MiB.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    secs: f64,
    rss_mib: f64,
}

/// Runs cchc under a 1 GiB address-space cap (prlimit) and measures its peak resident size.
/// The measure is taken by a small Python parent from RUSAGE_CHILDREN: a child spawned from
/// this test process would inherit the test's own peak at exec (Linux keeps the old image's
/// high-water mark), Python's is about 10 MiB, an upper bound's noise.
fn capped(ws: &Path, args: &[&str]) -> Run {
    const MEASURE: &str = "import resource, subprocess, sys\n\
        r = subprocess.run(sys.argv[1:]).returncode\n\
        sys.stderr.write('\\nRSS_KB=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n\
        sys.exit(r if r >= 0 else 128 - r)\n";
    let t = Instant::now();
    let o = Command::new("python3")
        .args(["-c", MEASURE, "prlimit", "--as=1073741824"])
        .arg(env!("CARGO_BIN_EXE_cchc"))
        .args(args)
        .arg("--thu-muc")
        .arg(ws)
        .output()
        .expect("python3 and prlimit (util-linux) run cchc under a memory cap");
    let secs = t.elapsed().as_secs_f64();
    let (stdout, all) = common::text(&o);
    let (stderr, rss) = all.rsplit_once("\nRSS_KB=").expect("the measure's line");
    Run {
        code: o.status.code(),
        stdout,
        stderr: stderr.to_string(),
        secs,
        rss_mib: rss.trim().parse::<f64>().unwrap_or(f64::MAX) / 1024.0,
    }
}

/// Every file under `output/` and `archive/` with its bytes.
fn snapshot(ws: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&ws.join("output"), &mut out);
    walk(&ws.join("archive"), &mut out);
    out
}

/// The sample workspace with a numbered Q2 report already written (so that a refused run
/// has something to leave alone).
fn base() -> &'static Path {
    static BASE: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    BASE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&root().join("input"), &tmp.path().join("input"));
        let o = common::cchc(tmp.path(), &common::report_args("2024-Q2", "docx,pdf"));
        assert!(o.status.success(), "{}", common::text(&o).1);
        tmp
    })
    .path()
}

fn xlsx(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(&mut wb);
    wb.save_to_buffer().unwrap()
}

/// A "Nhiệm vụ" sheet of the Tư pháp unit: title, the contract's header, `rows` (code,
/// status) from row 7.
fn task_sheet(ws: &mut Worksheet, unit_line: &str, rows: &[(&str, &str)]) {
    ws.set_name(tasks::TABLE.sheet).unwrap();
    ws.write(0, 0, unit_line).unwrap();
    for (c, f) in tasks::TABLE.fields.iter().enumerate() {
        ws.write(5, c as u16, f.label).unwrap();
    }
    for (i, (code, status)) in rows.iter().enumerate() {
        let r = 6 + i as u32;
        ws.write(r, tasks::CODE as u16, *code).unwrap();
        ws.write(r, tasks::STATUS as u16, *status).unwrap();
    }
}

const TP: &str = "Đơn vị: Bộ phận Tư pháp";
const GOOD_TASK: (&str, &str) = ("PL1.1", "Hoàn thành");

/// The one-stop unit's workbook: Nhiệm vụ (header only), Hồ sơ TTHC with one consistent
/// lĩnh vực row at row 8 (then `edit` on that sheet), SIPAS with five factors.
fn one_stop(edit: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    xlsx(|wb| {
        task_sheet(
            wb.add_worksheet(),
            "Đơn vị: Bộ phận Tiếp nhận và trả kết quả",
            &[],
        );
        let ws = wb.add_worksheet();
        ws.set_name("Hồ sơ TTHC").unwrap();
        ws.write(0, 0, "Đơn vị: Bộ phận Tiếp nhận và trả kết quả")
            .unwrap();
        ws.write(5, 0, "STT").unwrap();
        ws.write(5, 1, "Lĩnh vực").unwrap();
        let mut last_group = "";
        for (i, c) in COLUMNS.iter().enumerate() {
            let col = 2 + i as u16;
            if c.group.is_empty() {
                ws.write(5, col, c.label).unwrap();
            } else {
                if c.group != last_group {
                    ws.write(5, col, c.group).unwrap();
                }
                ws.write(6, col, c.label).unwrap();
            }
            last_group = c.group;
        }
        let row = [110, 60, 40, 10, 80, 20, 55, 5, 30, 28, 2];
        ws.write(7, 0, 1).unwrap();
        ws.write(7, 1, "Hộ tịch").unwrap();
        for (i, v) in row.iter().enumerate() {
            ws.write(7, 2 + i as u16, *v).unwrap();
        }
        edit(ws);
        let ws = wb.add_worksheet();
        ws.set_name(sipas::TABLE.sheet).unwrap();
        ws.write(0, 0, "Đơn vị: Bộ phận Tiếp nhận và trả kết quả")
            .unwrap();
        for (c, f) in sipas::TABLE.fields.iter().enumerate() {
            ws.write(5, c as u16, f.label).unwrap();
        }
        for (i, name) in cchc::workbook::SIPAS_FACTORS.iter().enumerate() {
            let r = 6 + i as u32;
            ws.write(r, sipas::FACTOR as u16, *name).unwrap();
            for l in sipas::LEVELS {
                ws.write(r, l as u16, 3).unwrap();
            }
        }
    })
}

/// A zip package of `parts` (name, bytes), deflated.
fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in parts {
            z.start_file(*name, deflate).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// What a case does to its copy of the workspace before the run.
type Setup = Box<dyn Fn(&Path) + Send + Sync>;

struct Case {
    name: &'static str,
    setup: Setup,
    /// The command, without --thu-muc.
    args: Vec<String>,
    code: i32,
    /// (kind, place) of a finding `check --json` must give (for input cases), or words the
    /// message must hold (for commands that print no findings).
    expect: Expect,
}

enum Expect {
    Finding(&'static str, String),
    Says(&'static str),
    Works,
}

fn write(rel: &'static str, bytes: Vec<u8>) -> Setup {
    Box::new(move |ws: &Path| std::fs::write(ws.join(rel), &bytes).unwrap())
}

fn limits(toml: &'static str) -> impl Fn(&Path) + Send + Sync {
    move |ws: &Path| {
        let p = ws.join("input/cchc.toml");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("\n[gioi_han]\n");
        text.push_str(toml);
        text.push('\n');
        std::fs::write(p, text).unwrap();
    }
}

/// The sample plan with the first `from` replaced by `to`.
fn plan_edit(from: &'static str, to: &'static str) -> Setup {
    Box::new(move |ws: &Path| {
        let p = ws.join("input/ke-hoach.md");
        let t = std::fs::read_to_string(&p).unwrap();
        std::fs::write(p, t.replacen(from, to, 1)).unwrap();
    })
}

/// `archive add` of `bytes` as x.pdf: refused, saying `says`.
fn archive_add(name: &'static str, bytes: Vec<u8>, says: &'static str) -> Case {
    Case {
        name,
        setup: write("x.pdf", bytes),
        args: vec!["archive".into(), "add".into(), "{ws}/x.pdf".into()],
        code: 1,
        expect: Expect::Says(says),
    }
}

fn both(a: impl Fn(&Path) + Send + Sync + 'static, b: Setup) -> Setup {
    Box::new(move |ws: &Path| {
        a(ws);
        b(ws);
    })
}

const TP_FILE: &str = "input/2024-Q2/tu-phap.xlsx";
const MC_FILE: &str = "input/2024-Q2/mot-cua.xlsx";

fn check() -> Vec<String> {
    ["check", "--ky", "2024-Q2"].map(String::from).to_vec()
}

fn report() -> Vec<String> {
    [
        "report",
        "--ky",
        "2024-Q2",
        "--so",
        "12",
        "--ngay",
        "2024-06-05",
    ]
    .map(String::from)
    .to_vec()
}

fn tp_cell(sheet: &str, cell: &str) -> String {
    format!("{TP_FILE} › {sheet} › {cell}")
}

fn mc_cell(cell: &str) -> String {
    format!("{MC_FILE} › Hồ sơ TTHC › {cell}")
}

fn input_case(
    name: &'static str,
    setup: Setup,
    code: i32,
    kind: &'static str,
    place: String,
) -> Case {
    Case {
        name,
        setup,
        args: check(),
        code,
        expect: Expect::Finding(kind, place),
    }
}

fn template_case(name: &'static str, body: &'static str, says: &'static str) -> Case {
    Case {
        name,
        setup: Box::new(move |ws: &Path| {
            std::fs::create_dir_all(ws.join("templates")).unwrap();
            let text = format!("+++\ntrich_yeu = \"thử\"\n+++\ndòng 1\n{body}\n");
            std::fs::write(ws.join("templates/bao-cao-quy.md"), text).unwrap();
        }),
        args: report(),
        code: 1,
        expect: Expect::Says(says),
    }
}

fn cases() -> Vec<Case> {
    let pdf = || std::fs::read(base().join("output/2024-Q2/bao-cao-cchc-quy-II-2024.pdf")).unwrap();
    let far = |row: u32, col: u16| {
        xlsx(move |wb| {
            let ws = wb.add_worksheet();
            task_sheet(ws, TP, &[GOOD_TASK]);
            ws.write(row, col, "x").unwrap();
        })
    };
    let bad_task = |code: &'static str, status: &'static str| {
        xlsx(move |wb| task_sheet(wb.add_worksheet(), TP, &[(code, status)]))
    };
    let dossier = |col: u16, value: f64| {
        one_stop(move |ws| {
            ws.write(7, col, value).unwrap();
        })
    };
    let mut v = vec![
        // The file's bytes.
        input_case(
            "zip-hong",
            write(TP_FILE, b"PK\x03\x04 broken".to_vec()),
            1,
            "unreadable",
            TP_FILE.into(),
        ),
        input_case(
            "tep-rong",
            write(TP_FILE, Vec::new()),
            1,
            "unreadable",
            TP_FILE.into(),
        ),
        input_case(
            "van-ban-doi-ten",
            write(TP_FILE, b"day khong phai bang tinh".to_vec()),
            1,
            "unreadable",
            TP_FILE.into(),
        ),
        input_case(
            "ole2-rac",
            write(
                TP_FILE,
                [b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec(), vec![0; 4096]].concat(),
            ),
            1,
            "unreadable",
            TP_FILE.into(),
        ),
        input_case(
            "zip-khong-phai-bang-tinh",
            write(TP_FILE, zip_of(&[("a.txt", b"abc".to_vec())])),
            1,
            "unreadable",
            TP_FILE.into(),
        ),
        input_case(
            "bom-zip-mot-phan",
            write(
                TP_FILE,
                zip_of(&[("xl/workbook.xml", vec![b' '; 40 << 20])]),
            ),
            1,
            "too_big",
            TP_FILE.into(),
        ),
        input_case(
            "bom-zip-tong",
            both(
                limits("giai_nen_mb = 8"),
                write(
                    TP_FILE,
                    zip_of(&[
                        ("xl/workbook.xml", vec![b'a'; 3 << 20]),
                        ("xl/a.xml", vec![b'b'; 3 << 20]),
                        ("xl/b.xml", vec![b'c'; 3 << 20]),
                    ]),
                ),
            ),
            1,
            "too_big",
            TP_FILE.into(),
        ),
        input_case(
            "hai-phan-cung-ten",
            write(TP_FILE, {
                let mut z = zip_of(&[
                    ("xl/workbook.xml", b"<a/>".to_vec()),
                    ("xl/workbook.xmm", b"<b/>".to_vec()),
                ]);
                // Rename the second part to the first's name in its local and central headers.
                let (from, to) = (b"xl/workbook.xmm", b"xl/workbook.xml");
                let mut i = 0;
                while i + from.len() <= z.len() {
                    if &z[i..i + from.len()] == from {
                        z[i..i + from.len()].copy_from_slice(to);
                    }
                    i += 1;
                }
                z
            }),
            1,
            "unreadable",
            TP_FILE.into(),
        ),
        input_case(
            "tep-qua-lon",
            both(limits("tep_mb = 1"), write(TP_FILE, vec![b'x'; 2 << 20])),
            1,
            "too_big",
            TP_FILE.into(),
        ),
        // Sheets that claim more than they hold, or hold too much.
        Case {
            name: "o-XFD1048576",
            setup: write(TP_FILE, far(1_048_575, 16_383)),
            args: check(),
            code: 0,
            expect: Expect::Works,
        },
        Case {
            name: "o-A1048576",
            setup: write(TP_FILE, far(1_048_575, 0)),
            args: check(),
            code: 0,
            expect: Expect::Works,
        },
        Case {
            name: "bao-cao-voi-o-XFD1048576",
            setup: write(TP_FILE, far(1_048_575, 16_383)),
            args: report(),
            code: 0,
            expect: Expect::Works,
        },
        input_case(
            "qua-nhieu-o",
            both(
                limits("o_moi_sheet = 1000"),
                write(
                    TP_FILE,
                    xlsx(|wb| {
                        let ws = wb.add_worksheet();
                        task_sheet(ws, TP, &[GOOD_TASK]);
                        for r in 0..100u32 {
                            for c in 0..20u16 {
                                ws.write(100 + r, 20 + c, 1).unwrap();
                            }
                        }
                    }),
                ),
            ),
            1,
            "too_big",
            format!("{TP_FILE} › Nhiệm vụ"),
        ),
        Case {
            name: "o-dai-32767-ky-tu",
            setup: write(
                TP_FILE,
                xlsx(|wb| {
                    let ws = wb.add_worksheet();
                    task_sheet(ws, TP, &[GOOD_TASK]);
                    ws.write(6, tasks::RESULT as u16, "a".repeat(32_767))
                        .unwrap();
                }),
            ),
            args: check(),
            code: 0,
            expect: Expect::Works,
        },
        input_case(
            "o-qua-dai",
            both(
                limits("ky_tu_moi_o = 1000"),
                write(
                    TP_FILE,
                    xlsx(|wb| {
                        let ws = wb.add_worksheet();
                        task_sheet(ws, TP, &[GOOD_TASK]);
                        ws.write(6, tasks::RESULT as u16, "ă".repeat(2000)).unwrap();
                    }),
                ),
            ),
            1,
            "too_big",
            format!("{TP_FILE} › Nhiệm vụ"),
        ),
        input_case(
            "qua-nhieu-dong-nhiem-vu",
            both(
                limits("dong_nhiem_vu = 50"),
                write(
                    TP_FILE,
                    xlsx(|wb| {
                        let rows: Vec<(&str, &str)> = vec![GOOD_TASK; 60];
                        task_sheet(wb.add_worksheet(), TP, &rows);
                    }),
                ),
            ),
            1,
            "too_big",
            format!("{TP_FILE} › Nhiệm vụ"),
        ),
        input_case(
            "sheet-an",
            write(
                TP_FILE,
                xlsx(|wb| {
                    wb.add_worksheet()
                        .set_name("Bìa")
                        .unwrap()
                        .write(0, 0, TP)
                        .unwrap();
                    let ws = wb.add_worksheet();
                    task_sheet(ws, TP, &[GOOD_TASK]);
                    ws.set_hidden(true);
                }),
            ),
            1,
            "sheet_hidden",
            format!("{TP_FILE} › Nhiệm vụ"),
        ),
        input_case(
            "hai-sheet-mot-ten",
            write(
                TP_FILE,
                xlsx(|wb| {
                    task_sheet(wb.add_worksheet(), TP, &[GOOD_TASK]);
                    let ws = wb.add_worksheet();
                    task_sheet(ws, TP, &[GOOD_TASK]);
                    ws.set_name("Nhiem vu").unwrap();
                }),
            ),
            1,
            "sheet_twice",
            TP_FILE.into(),
        ),
        input_case(
            "don-vi-la",
            write(
                "input/2024-Q2/khac.xlsx",
                xlsx(|wb| task_sheet(wb.add_worksheet(), "Đơn vị: Phòng Không Có", &[GOOD_TASK])),
            ),
            1,
            "unit_not_in_config",
            "input/2024-Q2/khac.xlsx › Nhiệm vụ › A1".into(),
        ),
        input_case(
            "khong-ro-don-vi",
            write(
                "input/2024-Q2/khac.xlsx",
                xlsx(|wb| task_sheet(wb.add_worksheet(), "", &[GOOD_TASK])),
            ),
            1,
            "unit_unknown",
            "input/2024-Q2/khac.xlsx".into(),
        ),
        input_case(
            "khong-co-dong-tieu-de",
            write(
                TP_FILE,
                xlsx(|wb| {
                    let ws = wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
                    ws.write(0, 0, TP).unwrap();
                    ws.write(3, 0, "không có tiêu đề").unwrap();
                }),
            ),
            1,
            "header_not_found",
            format!("{TP_FILE} › Nhiệm vụ"),
        ),
        input_case(
            "sheet-trong",
            write(
                TP_FILE,
                xlsx(|wb| {
                    wb.add_worksheet()
                        .set_name("Bìa")
                        .unwrap()
                        .write(0, 0, TP)
                        .unwrap();
                    wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
                }),
            ),
            1,
            "sheet_empty",
            format!("{TP_FILE} › Nhiệm vụ"),
        ),
        input_case(
            "thieu-cot-tinh-trang",
            write(
                TP_FILE,
                xlsx(|wb| {
                    let ws = wb.add_worksheet().set_name("Nhiệm vụ").unwrap();
                    ws.write(0, 0, TP).unwrap();
                    ws.write(5, 1, "Mã nhiệm vụ").unwrap();
                    ws.write(6, 1, "PL1.1").unwrap();
                }),
            ),
            1,
            "column_missing",
            tp_cell("Nhiệm vụ", "A6"),
        ),
        input_case(
            "ma-qua-dai",
            write(TP_FILE, bad_task("PL1.99999999999999999999", "Hoàn thành")),
            1,
            "bad_code",
            tp_cell("Nhiệm vụ", "B7"),
        ),
        input_case(
            "tinh-trang-la",
            write(TP_FILE, bad_task("PL1.1", "Xong rồi đó")),
            1,
            "status_unknown",
            tp_cell("Nhiệm vụ", "F7"),
        ),
        input_case(
            "ngay-sai",
            write(
                TP_FILE,
                xlsx(|wb| {
                    let ws = wb.add_worksheet();
                    task_sheet(ws, TP, &[GOOD_TASK]);
                    ws.write(6, tasks::DONE as u16, "32/13/2024").unwrap();
                }),
            ),
            1,
            "bad_date",
            tp_cell("Nhiệm vụ", "J7"),
        ),
        Case {
            name: "ky-tu-dieu-khien",
            setup: write(
                TP_FILE,
                xlsx(|wb| {
                    let ws = wb.add_worksheet();
                    task_sheet(ws, TP, &[GOOD_TASK]);
                    ws.write(6, tasks::RESULT as u16, "\u{1b}[31mđỏ\u{7}\u{200b}")
                        .unwrap();
                }),
            ),
            args: report(),
            code: 0,
            expect: Expect::Works,
        },
        // Numbers.
        input_case(
            "so-1e308",
            write(MC_FILE, dossier(6, 1e308)),
            1,
            "number_out_of_range",
            mc_cell("G8"),
        ),
        input_case(
            "so-9e16",
            write(MC_FILE, dossier(2, 9.3e16)),
            1,
            "number_out_of_range",
            mc_cell("C8"),
        ),
        input_case(
            "so-am",
            write(MC_FILE, dossier(3, -5.0)),
            1,
            "negative",
            mc_cell("D8"),
        ),
        input_case(
            "so-le",
            write(MC_FILE, dossier(3, 12.5)),
            1,
            "not_whole",
            mc_cell("D8"),
        ),
        input_case(
            "chu-thay-so",
            write(
                MC_FILE,
                one_stop(|ws| {
                    ws.write(7, 3, "mười").unwrap();
                }),
            ),
            1,
            "not_a_number",
            mc_cell("D8"),
        ),
        input_case(
            "dung-sai-thay-so",
            write(
                MC_FILE,
                one_stop(|ws| {
                    ws.write(7, 3, true).unwrap();
                }),
            ),
            1,
            "not_a_number",
            mc_cell("D8"),
        ),
        input_case(
            "dang-thuc-sai",
            write(MC_FILE, dossier(6, 81.0)),
            1,
            "identity_broken",
            mc_cell("G8"),
        ),
        input_case(
            "phan-tram-thay-so",
            write(
                MC_FILE,
                one_stop(|ws| {
                    ws.write(7, 3, "18,5%").unwrap();
                }),
            ),
            1,
            "two_readings",
            mc_cell("D8"),
        ),
        // The plan.
        input_case(
            "ke-hoach-chu-thich-mo",
            plan_edit("\n# ", "\n<!-- quên đóng\n# "),
            1,
            "unclosed_comment",
            String::new(),
        ),
        input_case(
            "ke-hoach-html",
            plan_edit("\n# ", "\n<script>alert(1)</script>\n\n# "),
            1,
            "unsupported_html",
            String::new(),
        ),
        input_case(
            "ke-hoach-dau-hong",
            plan_edit("+++\n", "+++\nso = = 3\n"),
            1,
            "front_matter_unreadable",
            "input/ke-hoach.md:2".into(),
        ),
        input_case(
            "ke-hoach-20000-nhiem-vu",
            Box::new(|ws: &Path| {
                let p = ws.join("input/ke-hoach.md");
                let t = std::fs::read_to_string(&p).unwrap();
                let appendix = t.find("# PHỤ LỤC I").expect("Appendix I");
                let at = appendix + t[appendix..].find("\n| 2 | ").expect("its second row");
                let rows: String = (100..20_100)
                    .map(|n| format!("\n| {n} | Nhiệm vụ thử số {n} | Văn phòng UBND | Các ngành | Tháng 9/2024 |"))
                    .collect();
                std::fs::write(p, format!("{}{rows}{}", &t[..at], &t[at..])).unwrap();
            }),
            1,
            "too_big",
            String::new(),
        ),
        // Templates of the workspace.
        template_case(
            "mau-tu-chen",
            "{% include \"bao-cao-quy.md\" %}",
            "bao-cao-quy.md:5: mẫu tự chèn lại chính nó",
        ),
        template_case(
            "mau-macro-de-quy",
            "{% macro m(n) %}{{ self::m(n=n) }}{% endmacro m %}",
            "bao-cao-quy.md:5: macro \"m\" gọi lại chính nó",
        ),
        template_case(
            "mau-vong-1e8",
            "{% for i in range(end=100000000) %}x{% endfor %}",
            "bao-cao-quy.md:5: vòng lặp range(...) chạy 100000000 lần",
        ),
        template_case(
            "mau-vong-long-nhau",
            "{% for i in range(end=3000) %}{% for j in range(end=3000) %}x{% endfor %}{% endfor %}",
            "bao-cao-quy.md:5: vòng lặp range(...) chạy 9000000 lần",
        ),
        template_case(
            "mau-vong-theo-du-lieu",
            "{% for i in range(end=ky.nam) %}x{% endfor %}",
            "bao-cao-quy.md:5: vòng lặp range(...) cần các số viết sẵn",
        ),
        template_case("mau-the-khong-dong", "{% if ky %}", "bao-cao-quy.md"),
        // Where cchc writes.
        Case {
            name: "output-la-lien-ket",
            setup: Box::new(|ws: &Path| {
                let elsewhere = ws.join("noi-khac");
                std::fs::create_dir_all(&elsewhere).unwrap();
                std::fs::rename(ws.join("output"), ws.join("output-cu")).unwrap();
                std::os::unix::fs::symlink(&elsewhere, ws.join("output")).unwrap();
            }),
            args: report(),
            code: 2,
            expect: Expect::Says("liên kết (symlink)"),
        },
        Case {
            name: "tep-tam-cu",
            setup: Box::new(|ws: &Path| {
                std::fs::write(
                    ws.join("output/2024-Q2/.bao-cao-cchc-quy-II-2024.pdf.tmp-99999"),
                    b"dang ghi",
                )
                .unwrap();
            }),
            args: report(),
            code: 0,
            expect: Expect::Works,
        },
        // The archive: what is refused leaves it as it was.
        archive_add(
            "luu-tep-khong-phai-pdf",
            b"khong phai pdf".to_vec(),
            "x.pdf",
        ),
        archive_add(
            "luu-pdf-cut-doi",
            pdf()[..pdf().len() / 2].to_vec(),
            "x.pdf",
        ),
        archive_add("luu-ban-chua-ky", pdf(), "chưa ký"),
        archive_add(
            "luu-pdf-xref-vong",
            {
                let mut b = pdf();
                // startxref pointing at itself.
                let at = common::rfind(&b, b"startxref");
                let tail = format!("startxref\n{at}\n%%EOF\n");
                b.truncate(at);
                b.extend_from_slice(tail.as_bytes());
                b
            },
            "x.pdf",
        ),
        archive_add(
            "luu-pdf-long-sau",
            {
                let mut b = b"%PDF-1.7\n1 0 obj\n".to_vec();
                b.extend(std::iter::repeat_n(b'[', 100_000));
                b.extend_from_slice(b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
                b
            },
            "x.pdf",
        ),
    ];
    // The same workbook hazards through the xls and ods readers: the real fixtures under the
    // other's name are read by their content.
    // The one-stop software's dossier list: rows beyond the limit, a cell beyond it, a header
    // then nothing readable, and a million-row claim in a tiny file.
    const LIST: &str = "input/2024-Q2/mot-cua-so-theo-doi.xlsx";
    let list = |rows: u32, long: bool, bad: bool| {
        xlsx(move |wb| {
            let ws = wb.add_worksheet();
            for (c, h) in [
                "Mã hồ sơ",
                "Lĩnh vực",
                "Ngày tiếp nhận",
                "Ngày hẹn trả",
                "Kênh nộp",
            ]
            .iter()
            .enumerate()
            {
                ws.write(0, c as u16, *h).unwrap();
            }
            for r in 1..=rows {
                ws.write(r, 0, format!("HS-{r}")).unwrap();
                ws.write(r, 1, "Hộ tịch").unwrap();
                ws.write(r, 2, if bad { "hôm qua" } else { "01/04/2024" })
                    .unwrap();
                ws.write(r, 4, "Trực tiếp").unwrap();
            }
            if long {
                ws.write(2, 3, "x".repeat(5000)).unwrap();
            }
        })
    };
    v.push(input_case(
        "danh-sach-ho-so-qua-dong",
        both(
            limits("dong_ho_so = 50"),
            write(LIST, list(60, false, false)),
        ),
        1,
        "too_big",
        format!("{LIST} › Sheet1"),
    ));
    v.push(input_case(
        "danh-sach-ho-so-o-qua-dai",
        both(
            limits("ky_tu_moi_o = 1000"),
            write(LIST, list(3, true, false)),
        ),
        1,
        "too_big",
        format!("{LIST} › Sheet1"),
    ));
    v.push(input_case(
        "danh-sach-ho-so-ngay-hong",
        write(LIST, list(500, false, true)),
        1,
        "bad_date",
        format!("{LIST} › Sheet1 › C2"),
    ));
    v.push(input_case(
        "danh-sach-ho-so-o-cuoi-bang",
        write(
            LIST,
            xlsx(|wb| {
                let ws = wb.add_worksheet();
                for (c, h) in ["Mã hồ sơ", "Lĩnh vực", "Ngày tiếp nhận", "Kênh nộp"]
                    .iter()
                    .enumerate()
                {
                    ws.write(0, c as u16, *h).unwrap();
                }
                ws.write(1_048_575, 0, "HS-1").unwrap();
                ws.write(1_048_575, 16_383, "x").unwrap();
            }),
        ),
        1,
        "value_missing",
        format!("{LIST} › Sheet1 › C1048576"),
    ));
    // What the fuzzers found, kept: each a file of tests/fixtures/fuzz.
    for (name, file) in [
        ("fuzz-xls-chuoi-sector-quay-vong", "workbook-fat-cycle.xls"),
        ("fuzz-xls-ban-ghi-hong", "workbook-xls-record-panic.xls"),
        ("fuzz-xls-vung-sheet-sai", "workbook-xls-dimensions.xls"),
        ("fuzz-xls-o-ngoai-cot-IV", "workbook-xls-far-column.xls"),
        ("fuzz-xls-vung-qua-lon", "workbook-xls-huge-extent.xls"),
    ] {
        let from = root().join("tests/fixtures/fuzz").join(file);
        v.push(input_case(
            name,
            Box::new(move |ws: &Path| {
                std::fs::copy(&from, ws.join(TP_FILE)).unwrap();
            }),
            1,
            "unreadable",
            TP_FILE.into(),
        ));
    }
    v.push(Case {
        name: "ods-dat-ten-xlsx",
        setup: Box::new(|ws: &Path| {
            std::fs::copy(root().join("tests/fixtures/tu-phap.ods"), ws.join(TP_FILE)).unwrap();
        }),
        args: check(),
        code: 0,
        expect: Expect::Works,
    });
    v.push(Case {
        name: "xls-dat-ten-xlsx",
        setup: Box::new(|ws: &Path| {
            std::fs::copy(root().join("tests/fixtures/mot-cua.xls"), ws.join(MC_FILE)).unwrap();
        }),
        args: check(),
        code: 0,
        expect: Expect::Works,
    });
    v
}

#[test]
fn every_hostile_input_is_refused_at_its_place_or_works_within_bounds() {
    if !common::client("prlimit", &["--version"]) {
        return;
    }
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut figures = Vec::new();
    for case in &cases {
        let tmp = tempfile::tempdir().unwrap();
        let ws = tmp.path();
        copy_dir(base(), ws);
        (case.setup)(ws);
        let before = snapshot(ws);
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace("{ws}", &ws.to_string_lossy()))
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = capped(ws, &args);
        figures.push(format!(
            "{:<28} {:>6.2} s {:>7.1} MiB",
            case.name, run.secs, run.rss_mib
        ));
        let mut wrong = Vec::new();
        if run.code != Some(case.code) {
            wrong.push(format!("exit {:?}, expected {}", run.code, case.code));
        }
        if run.rss_mib > 300.0 || run.secs > 5.0 {
            wrong.push(format!("{:.2} s, {:.1} MiB", run.secs, run.rss_mib));
        }
        if run.stderr.contains("lỗi nội bộ") || run.stderr.contains("panicked") {
            wrong.push("internal error".into());
        }
        match &case.expect {
            Expect::Finding(kind, place) if !kind.is_empty() => {
                let (_, found) = common::findings(ws, &args[1..]);
                if !found
                    .iter()
                    .any(|[_, k, p, _]| k == kind && (place.is_empty() || p == place))
                {
                    let some: Vec<_> = found.iter().take(5).collect();
                    wrong.push(format!("no {kind} at {place:?}: {some:?}"));
                }
            }
            Expect::Says(words) if !run.stderr.contains(words) => {
                wrong.push(format!("stderr lacks {words:?}"));
            }
            _ => {}
        }
        // A refusal changes nothing that cchc writes.
        if case.code != 0 && snapshot(ws) != before {
            wrong.push("output/ or archive/ changed".into());
        }
        if case.name == "tep-tam-cu"
            && ws
                .join("output/2024-Q2/.bao-cao-cchc-quy-II-2024.pdf.tmp-99999")
                .exists()
        {
            wrong.push("the stale temporary file is still there".into());
        }
        if case.name == "output-la-lien-ket"
            && std::fs::read_dir(ws.join("noi-khac"))
                .unwrap()
                .next()
                .is_some()
        {
            wrong.push("wrote through the link".into());
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{}: {}\n  stdout: {}\n  stderr: {}",
                case.name,
                wrong.join("; "),
                run.stdout.chars().take(300).collect::<String>(),
                run.stderr.chars().take(600).collect::<String>()
            ));
        }
    }
    println!("{}", figures.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
