//! Benchmark of the one-stop dossier list (issue #18): a generated list of 100 000 and
//! 1 000 000 rows (two title rows, shared strings, date cells, ten columns), read and counted
//! into Biểu 06 by cchc, against calamine's bare streaming read of the same file in the same
//! run, and python-calamine as the peer figure when it is installed. Each measurement is its
//! own process (so that its peak memory is its own), three times interleaved; the median is
//! printed. Prints figures; asserts nothing.
//! Run: `cargo bench --bench dossier_list` (BENCH_ROWS=100000,1000000 sets the sizes).

use calamine::{Reader, Xlsx};
use chrono::{Datelike, Days, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const FIELDS: [&str; 6] = [
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Lao động - Thương binh và Xã hội",
    "Thi đua - Khen thưởng",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // A child: one measurement, printed as "seconds peak_kib".
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let (mode, file) = (&args[i + 1], PathBuf::from(&args[i + 2]));
        let t = Instant::now();
        let n = match mode.as_str() {
            "calamine" => bare(&file),
            _ => counted(&file),
        };
        println!("{} {} {n}", t.elapsed().as_secs_f64(), peak_kib());
        return;
    }
    let sizes: Vec<usize> = std::env::var("BENCH_ROWS")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("dossier-lists");
    std::fs::create_dir_all(&dir).unwrap();
    let python = Command::new("python3")
        .args(["-c", "import python_calamine"])
        .status()
        .is_ok_and(|s| s.success());
    println!("dossier list: read + Biểu 06 of one quarter; median of 3 interleaved runs each");
    for n in sizes {
        let file = dir.join(format!("list-{n}.xlsx"));
        if !file.exists() {
            write_list(&file, n);
        }
        let mb = std::fs::metadata(&file).unwrap().len() as f64 / 1e6;
        let mut runs: Vec<(&str, Vec<(f64, u64)>)> = vec![
            ("calamine streaming (bare)", vec![]),
            ("cchc read + count", vec![]),
        ];
        if python {
            runs.push(("python-calamine to_python", vec![]));
        }
        for _ in 0..3 {
            for (name, v) in runs.iter_mut() {
                v.push(match *name {
                    "calamine streaming (bare)" => child("calamine", &file),
                    "cchc read + count" => child("cchc", &file),
                    _ => python_run(&file),
                });
            }
        }
        println!("  {n} rows ({mb:.1} MB .xlsx)");
        let mut bare_s = 0.0;
        for (name, mut v) in runs {
            v.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (s, _) = v[1];
            let peak = v.iter().map(|x| x.1).max().unwrap_or(0);
            if name.starts_with("calamine") {
                bare_s = s;
            }
            let ratio = if bare_s > 0.0 && !name.starts_with("calamine") {
                format!("  ({:.2} x calamine)", s / bare_s)
            } else {
                String::new()
            };
            println!(
                "    {name:<28} {:>7.3} s  {:>6.1} MiB peak{ratio}",
                s,
                peak as f64 / 1024.0
            );
        }
    }
}

fn child(mode: &str, file: &Path) -> (f64, u64) {
    let o = Command::new(std::env::current_exe().unwrap())
        .args(["--child", mode])
        .arg(file)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let mut it = out.split_whitespace();
    let s: f64 = it
        .next()
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("{mode}: {}{}", out, String::from_utf8_lossy(&o.stderr)));
    (s, it.next().and_then(|x| x.parse().ok()).unwrap_or(0))
}

fn python_run(file: &Path) -> (f64, u64) {
    let script = "import sys, time, resource\n\
        from python_calamine import CalamineWorkbook\n\
        t = time.perf_counter()\n\
        rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()\n\
        print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(rows))\n";
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let mut it = out.split_whitespace();
    (
        it.next().and_then(|x| x.parse().ok()).unwrap_or(f64::NAN),
        it.next().and_then(|x| x.parse().ok()).unwrap_or(0),
    )
}

/// Peak resident memory of this process (VmHWM), KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// calamine's streaming cell reader over the file, touching every value.
fn bare(file: &Path) -> usize {
    let mut wb: Xlsx<_> = calamine::open_workbook(file).unwrap();
    let name = wb.sheet_names()[0].clone();
    let mut cells = wb.worksheet_cells_reader(&name).unwrap();
    let mut n = 0usize;
    while let Some(c) = cells.next_cell().unwrap() {
        if !matches!(c.get_value(), calamine::DataRef::Empty) {
            n += 1;
        }
    }
    n
}

/// What `cchc report` does with the list: read it, count Biểu 06 of 2024-Q2.
fn counted(file: &Path) -> usize {
    let base =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/input/cchc.toml")).unwrap();
    // The district-sized file is above a ward's default limits.
    let cfg = cchc::Config::parse(&format!(
        "{base}\n[gioi_han]\ntep_mb = 500\ngiai_nen_mb = 2048\n"
    ))
    .unwrap();
    let t = Instant::now();
    let bytes = std::fs::read(file).unwrap();
    let (input, findings) = cchc::sheets::read_input(&bytes, "input/2024-Q2/ds.xlsx", &cfg);
    drop(bytes);
    if std::env::var_os("BENCH_PHASES").is_some() {
        eprintln!("read {:?}", t.elapsed());
    }
    let Some(cchc::sheets::Input::List(list)) = input else {
        panic!("not a list: {findings:?}");
    };
    let n = list.dossiers.len();
    let mut quarters = vec![cchc::sheets::Quarter {
        period: cchc::Period::quarter(2024, 2),
        folder: Some("input/2024-Q2".into()),
        submissions: Vec::new(),
        in_period: true,
        lists: vec![std::sync::Arc::new(list)],
        counted: None,
    }];
    cchc::onestop::count(&mut quarters, &cfg);
    std::hint::black_box(&quarters[0].counted);
    n
}

/// A list as an export writes it: shared strings, date cells, received over 2024.
fn write_list(path: &Path, n: usize) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("dd/mm/yyyy hh:mm:ss");
    ws.write_string(0, 0, "SỔ THEO DÕI HỒ SƠ").unwrap();
    ws.write_string(1, 0, "Từ ngày 01/01/2024 đến ngày 31/12/2024")
        .unwrap();
    let header = [
        "STT",
        "Mã hồ sơ",
        "Lĩnh vực",
        "Thủ tục hành chính",
        "Ngày tiếp nhận",
        "Ngày hẹn trả",
        "Ngày trả kết quả",
        "Trạng thái",
        "Kênh nộp",
        "Mức độ",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let dt = |d: NaiveDate| {
        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
            .unwrap()
            .and_hms(9, 15, 0)
            .unwrap()
    };
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let r = 3 + i as u32;
        let recv = start + Days::new((i as u64 * 366) / n as u64);
        let due = recv + Days::new(3 + x % 10);
        let done = recv + Days::new(1 + (x >> 8) % 14);
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(
            r,
            1,
            format!("000.00.21.H26-{}-{:07}", recv.format("%y%m%d"), i),
        )
        .unwrap();
        ws.write_string(r, 2, FIELDS[(x >> 16) as usize % FIELDS.len()])
            .unwrap();
        ws.write_string(r, 3, format!("Thủ tục số {}", (x >> 20) % 40))
            .unwrap();
        ws.write_datetime_with_format(r, 4, dt(recv), &date)
            .unwrap();
        ws.write_datetime_with_format(r, 5, dt(due), &date).unwrap();
        let finished = !(x >> 24).is_multiple_of(50);
        if finished {
            ws.write_datetime_with_format(r, 6, dt(done), &date)
                .unwrap();
        }
        ws.write_string(
            r,
            7,
            if finished {
                "Đã trả kết quả"
            } else {
                "Đang xử lý"
            },
        )
        .unwrap();
        let online = (x >> 30).is_multiple_of(3);
        ws.write_string(
            r,
            8,
            if online {
                "Trực tuyến"
            } else {
                "Trực tiếp"
            },
        )
        .unwrap();
        ws.write_string(r, 9, if online { "Toàn trình" } else { "" })
            .unwrap();
    }
    wb.save(path).unwrap();
}
