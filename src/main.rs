//! The `cchc` command: parses flags, reads the workspace, calls the library, prints findings
//! (standard error) and the paths it wrote (standard output), and sets the exit code:
//! 0 success, 1 the inputs have errors (nothing written), 2 the command could not run.

use anyhow::{Context, anyhow};
use cchc::finding::{Finding, Severity};
use cchc::workspace::{self, Inputs, Workspace};
use cchc::{Period, docx, fonts, layout, pdf, render};
use chrono::NaiveDate;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

mod archive_cli;

/// Báo cáo cải cách hành chính (CCHC) của UBND phường: từ kế hoạch và bảng tính của các bộ
/// phận đến báo cáo DOCX, PDF theo Nghị định 30/2020/NĐ-CP.
#[derive(Parser)]
#[command(name = "cchc", version, disable_help_subcommand = true)]
struct Cli {
    /// Thư mục làm việc (chứa input/, templates/, output/); mặc định là thư mục hiện tại.
    #[arg(long, global = true, default_value = ".")]
    workspace: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Kiểm tra số liệu đầu vào của một kỳ: thoát 0 nếu không có lỗi, 1 nếu có lỗi.
    Check(PeriodArg),
    /// In dữ liệu báo cáo dạng JSON, mỗi số liệu kèm nguồn (tệp › sheet › ô).
    Data(PeriodArg),
    /// In nguồn của từng số liệu trong báo cáo của kỳ (tệp › sheet › ô), để người đọc đối
    /// chiếu; --xlsx ghi thành bảng tính output/<kỳ>/nguon-so-lieu-<kỳ>.xlsx.
    Nguon(SourcesArgs),
    /// Lập báo cáo của kỳ kèm các phụ lục (DOCX và PDF) vào output/<kỳ>/.
    Report(ReportArgs),
    /// Chỉ lập lại các phụ lục của báo cáo, mỗi phụ lục một tệp.
    Appendix(ReportArgs),
    /// Lập biểu mẫu trống của quý cho từng bộ phận (đã ghi sẵn nhiệm vụ, chỉ tiêu của bộ phận),
    /// vào output/<kỳ>/bieu-mau/.
    Forms(FormsArgs),
    /// Tạo không gian làm việc mới cho cơ quan: input/cchc.toml và input/ke-hoach.md để trống,
    /// có chú thích hướng dẫn điền; --mau để lấy cả bộ số liệu mẫu. Không ghi đè tệp đã có.
    Init(InitArgs),
    /// Lập chính kế hoạch (input/ke-hoach.md) thành văn bản kèm hai phụ lục, vào
    /// output/ke-hoach-<số>.docx, .pdf.
    Plan(PlanArgs),
    /// Kho lưu trữ các bản đã ký (archive/<năm>/, chuẩn BagIt): lưu, liệt kê, kiểm lại.
    #[command(subcommand)]
    Archive(archive_cli::ArchiveCommand),
}

#[derive(clap::Args)]
struct PlanArgs {
    /// Định dạng cần xuất: docx, pdf, cách nhau bởi dấu phẩy; mặc định cả hai.
    #[arg(long, value_delimiter = ',', default_value = "docx,pdf")]
    format: Vec<Format>,
}

#[derive(clap::Args)]
struct FormsArgs {
    /// Quý cần lập biểu mẫu, ví dụ 2024-Q3.
    #[arg(long, value_parser = parse_period)]
    period: Period,
}

#[derive(clap::Args)]
struct InitArgs {
    /// Thư mục của không gian làm việc mới (tạo nếu chưa có).
    dir: PathBuf,
    /// Lấy bộ mẫu của phường Phú Lãm năm 2024 (cấu hình, kế hoạch, bảng tính 4 quý và năm) để
    /// thử cchc, thay cho các tệp trống.
    #[arg(long)]
    mau: bool,
}

#[derive(clap::Args)]
struct PeriodArg {
    /// Kỳ báo cáo: 2024-Q2 (quý), 2024-6T (6 tháng), 2024-9T (9 tháng), 2024 (năm); mặc định là
    /// quý mới nhất có thư mục trong input/.
    #[arg(long, value_parser = parse_period)]
    period: Option<Period>,
    /// Vẫn lập báo cáo 6 tháng, 9 tháng, năm khi có quý chưa có bảng tính nào (báo cáo ghi rõ
    /// quý còn thiếu); không có tùy chọn này thì quý thiếu là lỗi.
    #[arg(long = "cho-phep-thieu")]
    allow_missing: bool,
    /// In cả các ghi chú: mọi chỗ cchc đọc một ô không đúng nguyên văn (ví dụ "Xong" đọc là
    /// "Hoàn thành").
    #[arg(long = "chi-tiet")]
    verbose: bool,
}

#[derive(clap::Args)]
struct SourcesArgs {
    #[command(flatten)]
    period: PeriodArg,
    /// Ghi thành bảng tính (một dòng cho mỗi ô nguồn) thay vì in ra màn hình.
    #[arg(long)]
    xlsx: bool,
}

#[derive(clap::Args)]
struct ReportArgs {
    #[command(flatten)]
    period: PeriodArg,
    /// Định dạng cần xuất: docx, pdf, cách nhau bởi dấu phẩy; mặc định cả hai.
    #[arg(long, value_delimiter = ',', default_value = "docx,pdf")]
    format: Vec<Format>,
    /// Số văn bản (ví dụ 12 cho "Số: 12/BC-UBND").
    #[arg(long, value_parser = parse_number)]
    so: Option<u32>,
    /// Ngày ký văn bản, dạng 2024-06-05 hoặc 05/6/2024; mặc định là hôm nay.
    #[arg(long, value_parser = parse_day)]
    ngay: Option<NaiveDate>,
    /// Bản dự thảo: để trống số văn bản; tên tệp có thêm "-du-thao", không đụng tới bản
    /// chính thức đã lập.
    #[arg(long)]
    draft: bool,
    /// Lập lại bản chính thức của kỳ với số hoặc ngày khác bản đã lập (ghi đè bản đó).
    #[arg(long = "ghi-de")]
    overwrite: bool,
}

/// The number and date of the numbered report written for a period, kept beside its files
/// (`output/<kỳ>/.so-van-ban.json`): `cchc appendix` takes them from here, and a report with
/// another number does not replace it by accident.
#[derive(serde::Serialize, serde::Deserialize, PartialEq)]
struct Issued {
    so: u32,
    ngay: NaiveDate,
}

const ISSUED_FILE: &str = ".so-van-ban.json";

fn read_issued(out: &Path) -> Option<Issued> {
    let text = std::fs::read_to_string(out.join(ISSUED_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Docx,
    Pdf,
}

/// glibc gives each thread that allocates its own arena (up to eight per core), and memory
/// freed in one is not reused by another; the report has up to five threads at once (main,
/// templates, appendix render, a writer per core), yet only one per core runs at a time.
/// One arena per core: peak RSS 26.0 -> 23.8 MiB median on the quarterly pack, same wall
/// time. A single arena saved more memory (21.4 MiB) but its lock cost 9 ms wall.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn malloc_arena_per_core() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cores = libc::c_int::try_from(cores).unwrap_or(libc::c_int::MAX);
    // SAFETY: mallopt only sets an allocator parameter; it runs before any other thread
    // exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, cores);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn malloc_arena_per_core() {}

fn parse_period(s: &str) -> Result<Period, String> {
    s.parse()
}

fn parse_number(s: &str) -> Result<u32, String> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!("cần một số nguyên dương, ví dụ 12 (ký hiệu \"/BC-UBND\" do chương trình ghi), không phải \"{s}\"")
        })
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    cchc::vn::parse_date(s)
        .ok_or_else(|| format!("ngày \"{s}\" không hợp lệ: cần dạng 2024-06-05 hoặc 05/6/2024"))
}

/// The command line's help in Vietnamese: clap writes its headings, its help and version flags
/// and its errors in English.
fn vietnamese_help(cmd: clap::Command) -> clap::Command {
    let mut template = String::from("{about-with-newline}\nCách dùng: {usage}\n");
    if cmd.has_subcommands() {
        template.push_str("\nLệnh:\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("\nTham số:\n{positionals}\n");
    }
    template.push_str("\nTùy chọn:\n{options}\n");
    // clap's "[default: ...]" and "[possible values: ...]" are English: the argument's own
    // help says them.
    cmd.help_template(template)
        .subcommand_value_name("LỆNH")
        .mut_args(|a| {
            let a = a.hide_default_value(true).hide_possible_values(true);
            match vietnamese_value_name(a.get_id().as_str()) {
                Some(name) => a.value_name(name),
                None => a,
            }
        })
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn này"),
        )
        .mut_subcommands(vietnamese_help)
}

/// The placeholder shown for an argument's value (`--period <KỲ>`), by the argument's id.
fn vietnamese_value_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "period" => "KỲ",
        "workspace" | "dir" => "THƯ_MỤC",
        "format" => "ĐỊNH_DẠNG",
        "so" => "SỐ",
        "ngay" => "NGÀY",
        "signer" => "NGƯỜI_KÝ",
        "anchors" => "TỆP_PEM",
        "file" => "TỆP",
        _ => return None,
    })
}

/// clap writes "[OPTIONS]" in every usage line; the usage is rendered once the command tree is
/// built and given back with "[TÙY_CHỌN]".
fn vietnamese_usage(mut cmd: clap::Command) -> clap::Command {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[TÙY_CHỌN]");
    cmd.override_usage(usage).mut_subcommands(vietnamese_usage)
}

fn parse_cli() -> Result<Cli, clap::Error> {
    let cmd = vietnamese_help(Cli::command())
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In phiên bản"),
        );
    let mut cmd = cmd;
    cmd.build();
    let cmd = vietnamese_usage(cmd);
    Cli::from_arg_matches(&cmd.try_get_matches()?)
}

/// " (có phải X?)" for clap's suggestion, if it has one.
fn did_you_mean(suggestion: &str) -> String {
    if suggestion.is_empty() {
        String::new()
    } else {
        format!(" (có phải {suggestion}?)")
    }
}

/// A command-line error as the users read it; help and version requests pass through.
fn cli_error(e: &clap::Error) -> Option<String> {
    let text = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let arg = arg.split_whitespace().next().unwrap_or("").to_string();
    let value = text(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            format!("giá trị \"{value}\" của {arg} không hợp lệ{why}")
        }
        // clap reports an option given without its value as an empty invalid value.
        ErrorKind::InvalidValue if value.is_empty() => format!("thiếu giá trị sau {arg}"),
        ErrorKind::InvalidValue => {
            let valid = text(ContextKind::ValidValue);
            if valid.is_empty() {
                format!("giá trị \"{value}\" của {arg} không hợp lệ")
            } else {
                format!(
                    "giá trị \"{value}\" của {arg} không hợp lệ; các giá trị được dùng: {valid}"
                )
            }
        }
        ErrorKind::UnknownArgument => format!(
            "không có tùy chọn {arg}{}",
            did_you_mean(&text(ContextKind::SuggestedArg))
        ),
        ErrorKind::InvalidSubcommand => format!(
            "không có lệnh \"{}\"{}",
            text(ContextKind::InvalidSubcommand),
            did_you_mean(&text(ContextKind::SuggestedSubcommand))
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("thiếu {}", text(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} không dùng cùng {}", text(ContextKind::PriorArg))
        }
        _ => {
            let raw = e.to_string();
            let first = raw
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            format!("dòng lệnh không hợp lệ ({first})")
        }
    };
    Some(format!(
        "{message}\nXem hướng dẫn: cchc --help, hoặc cchc <lệnh> --help"
    ))
}

fn main() -> ExitCode {
    malloc_arena_per_core();
    let cli = match parse_cli() {
        Ok(cli) => cli,
        Err(e) => match cli_error(&e) {
            Some(message) => {
                eprintln!("lỗi: {message}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lỗi: {e:#}");
            match e.downcast_ref::<workspace::WorkspaceError>() {
                Some(workspace::WorkspaceError::Input(_)) => ExitCode::from(1),
                _ => ExitCode::from(2),
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Command::Init(a) = &cli.command {
        return init(&a.dir, a.mau);
    }
    // tera parses the templates on the other core from the start, while this one opens the
    // workspace and reads the workbooks: the two took about as long as each other.
    std::thread::scope(|s| {
        let templates = matches!(cli.command, Command::Report(_) | Command::Appendix(_))
            .then(|| cchc::par::spawn(s, || parse_templates(&cli.workspace)));
        run_in(&cli.workspace, cli.command, templates)
    })
}

type TemplatesThread<'s> = std::thread::ScopedJoinHandle<'s, anyhow::Result<render::Templates>>;

fn parse_templates(root: &Path) -> anyhow::Result<render::Templates> {
    let files = Workspace::template_files_in(root)?;
    render::Templates::with_overrides(files).map_err(|e| anyhow!("{e}"))
}

fn run_in(
    root: &Path,
    command: Command,
    templates: Option<TemplatesThread<'_>>,
) -> anyhow::Result<ExitCode> {
    let ws = Workspace::open(root)?;
    let templates = || match templates {
        Some(t) => t
            .join()
            .unwrap_or_else(|_| Err(anyhow!("lỗi nội bộ khi đọc mẫu báo cáo"))),
        None => parse_templates(root),
    };
    match command {
        Command::Check(p) if p.period.is_none() && ws.periods().is_empty() => {
            // A new workspace: what the plan lacks is said too, and the missing folder is one
            // more thing to do rather than a command that could not run.
            let year = ws
                .plan
                .as_ref()
                .map_or("<năm>".to_string(), |p| p.meta.nam.to_string());
            let mut findings = ws.plan_findings.clone();
            findings.push(Finding::error(
                cchc::finding::Loc::Nowhere,
                format!(
                    "chưa có thư mục kỳ báo cáo nào trong input/: bảng tính các đơn vị gửi về \
                     đặt vào input/{year}-Q1/, input/{year}-Q2/, … (biểu mẫu trống cho các đơn \
                     vị: cchc forms --period {year}-Q1)"
                ),
            ));
            print_findings(&findings, p.verbose);
            Ok(exit_for(&findings))
        }
        Command::Check(p) => {
            let inputs = load(&ws, &p)?;
            print_findings(&inputs.findings, p.verbose);
            Ok(exit_for(&inputs.findings))
        }
        Command::Data(p) => {
            let inputs = load(&ws, &p)?;
            print_findings(&inputs.findings, p.verbose);
            match ws.report_data(&inputs) {
                Some(data) => {
                    println!("{}", serde_json::to_string_pretty(&data)?);
                    Ok(ExitCode::SUCCESS)
                }
                None => Ok(ExitCode::from(1)),
            }
        }
        Command::Nguon(a) => {
            let inputs = load(&ws, &a.period)?;
            print_findings(&inputs.findings, a.period.verbose);
            let Some(data) = ws.report_data(&inputs) else {
                return Ok(ExitCode::from(1));
            };
            let rows = cchc::sources::rows(&data);
            let title = format!(
                "Nguồn số liệu của báo cáo {} ({})",
                inputs.period.name(),
                inputs.period
            );
            if a.xlsx {
                let end = inputs.period.window(&ws.config.ky_bao_cao).1;
                let bytes = cchc::sources::workbook(&title, &rows, end)
                    .map_err(|e| anyhow!("ghi bảng tính nguồn số liệu: {e}"))?;
                let path = ws
                    .output_dir(&inputs.period)
                    .join(format!("nguon-so-lieu-{}.xlsx", inputs.period.slug()));
                workspace::write_atomic(&path, &bytes)?;
                println!("{}", display_path(&ws, &path));
            } else {
                print!("{}", cchc::sources::text(&title, &rows));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Report(a) => write_report(&ws, a, false, templates),
        Command::Appendix(a) => write_report(&ws, a, true, templates),
        Command::Forms(a) => write_forms(&ws, a),
        Command::Init(_) => unreachable!("init runs without a workspace"),
        Command::Plan(a) => write_plan(&ws, a),
        Command::Archive(a) => archive_cli::run(&ws, a),
    }
}

fn load(ws: &Workspace, p: &PeriodArg) -> anyhow::Result<Inputs> {
    let period = ws.resolve_period(p.period)?;
    eprintln!("Kỳ báo cáo: {} ({})", period.name(), period);
    Ok(ws.load(period, p.allow_missing)?)
}

/// `templates` gives the parsed templates (waiting for the thread that parses them).
fn write_report(
    ws: &Workspace,
    a: ReportArgs,
    appendices_only: bool,
    templates: impl FnOnce() -> anyhow::Result<render::Templates>,
) -> anyhow::Result<ExitCode> {
    let inputs = load(ws, &a.period);
    let templates = templates();
    let inputs = inputs?;
    print_findings(&inputs.findings, a.period.verbose);
    let Some(data) = ws.report_data(&inputs) else {
        eprintln!("Không lập báo cáo vì đầu vào còn lỗi; sửa các lỗi trên rồi chạy lại.");
        return Ok(ExitCode::from(1));
    };
    let templates = templates?;
    let (unused, names) = templates.unused();
    for name in unused {
        eprintln!(
            "cảnh báo: templates/{name}: mẫu này không được dùng (cchc dùng: {}; mẫu phụ lục mới \
             phải được ghi trong phu_luc của {})",
            names.join(", "),
            render::REPORT_TEMPLATE
        );
    }
    let out_dir = ws.output_dir(&inputs.period);
    let issued = read_issued(&out_dir);
    // A draft with no date is dated by its period's year only (its day and month are left
    // blank); its metadata and the date checks use the period's cut-off.
    let period_end = inputs.period.window(&ws.config.ky_bao_cao).1;
    let code = format!("/BC-{}", ws.config.co_quan.ky_hieu);
    let said = |i: &Issued| format!("số {}{code} ngày {}", i.so, cchc::vn::date_short(i.ngay));
    // A numbered document needs both its number and its date; without them it is a draft,
    // under its own file names, so that it can never replace the numbered report.
    let (number, date, draft) = match (a.draft, a.so, a.ngay) {
        (true, so, d) => {
            if let Some(n) = so {
                eprintln!("Bản dự thảo để trống số: bỏ qua --so {n}.");
            }
            (None, d.unwrap_or(period_end), true)
        }
        (false, Some(n), Some(d)) => (Some(n), d, false),
        (false, None, None) if appendices_only && issued.is_some() => {
            let i = issued.as_ref().expect("checked");
            eprintln!(
                "Phụ lục kèm theo Báo cáo {} đã lập cho kỳ này (ghi tại {}).",
                said(i),
                ISSUED_FILE
            );
            (Some(i.so), i.ngay, false)
        }
        (false, None, None) => {
            eprintln!(
                "Chưa có --so và --ngay: lập bản DỰ THẢO (tên tệp có \"-du-thao\", để trống số). \
                 Bản chính thức: thêm --so <số> --ngay <ngày ký>."
            );
            (None, period_end, true)
        }
        (false, Some(_), None) => {
            return Err(anyhow!(
                "có --so nhưng thiếu --ngay: bản chính thức cần cả số và ngày ký (ví dụ --ngay 2024-06-05); \
                 bản dự thảo thì dùng --draft"
            ));
        }
        (false, None, Some(_)) => {
            return Err(anyhow!(
                "có --ngay nhưng thiếu --so: bản chính thức cần cả số và ngày ký (ví dụ --so 12); \
                 bản dự thảo thì dùng --draft"
            ));
        }
    };
    // One number names one document: a number another period's report already carries (in
    // the same year) is refused, even with --ghi-de, which replaces this period's report only.
    if let Some(n) = number {
        for other in ws.periods_with_output() {
            if other == inputs.period || other.year != inputs.period.year {
                continue;
            }
            if let Some(i) = read_issued(&ws.output_dir(&other))
                && i.so == n
            {
                return Err(anyhow!(
                    "số {n}{code} đã dùng cho báo cáo {} (output/{other}/, ngày {}): mỗi văn bản \
                     một số, chọn số khác cho báo cáo {}",
                    other.name(),
                    cchc::vn::date_short(i.ngay),
                    inputs.period.name()
                ));
            }
        }
    }
    if let (Some(n), Some(old)) = (number, &issued) {
        let new = Issued { so: n, ngay: date };
        if new != *old {
            if !a.overwrite {
                return Err(anyhow!(
                    "{} đã có Báo cáo {}; lập bản {} sẽ thay các tệp của bản đó: nếu đúng vậy, \
                     chạy lại với --ghi-de (bản dự thảo thì dùng --draft)",
                    out_dir.strip_prefix(&ws.root).unwrap_or(&out_dir).display(),
                    said(old),
                    said(&new)
                ));
            }
            eprintln!(
                "Thay Báo cáo {} bằng Báo cáo {} (--ghi-de).",
                said(old),
                said(&new)
            );
        }
    }
    let opts = render::RenderOptions {
        number,
        date,
        draft,
        blank_date: draft && a.ngay.is_none(),
    };
    // A report of results signed before its period began is a mistyped date.
    let (from, _) = inputs.period.window(&ws.config.ky_bao_cao);
    if opts.date < from {
        return Err(anyhow!(
            "ngày ký {} trước ngày bắt đầu của {} ({}): kiểm tra lại --ngay",
            cchc::vn::date_short(opts.date),
            inputs.period.name(),
            cchc::vn::date_short(from)
        ));
    }
    let mut docs = Vec::new();
    let slug = if draft {
        format!("{}-du-thao", inputs.period.slug())
    } else {
        inputs.period.slug()
    };
    let appendices = if appendices_only {
        render::appendices(&data, &ws.config, &opts, &templates)
    } else {
        render::report_and_appendices(&data, &ws.config, &opts, &templates).map(|(doc, alone)| {
            docs.push((format!("bao-cao-cchc-{slug}"), doc));
            alone
        })
    }
    .map_err(|e| anyhow!("{e}"))?;
    for (name, doc) in appendices {
        docs.push((format!("{name}-{slug}"), doc));
    }
    if appendices_only {
        // The plan's own appendices too, so that an edited plan gives new tables at once.
        if let Some(plan) = &ws.plan {
            let plan_appendices =
                render::plan::appendices(plan, &ws.config).map_err(|e| anyhow!("{e}"))?;
            docs.extend(plan_appendices);
        }
    }
    let record = match (number, appendices_only) {
        (Some(so), false) => Some((
            out_dir.join(ISSUED_FILE),
            serde_json::to_string_pretty(&Issued { so, ngay: date })?.into_bytes(),
        )),
        _ => None,
    };
    write_documents(ws, &out_dir, &docs, &a.format, record)?;
    // A replaced report's files in a format not written now would still carry the old number
    // under the same names: they go, after the new files are in place.
    let replaced = number.is_some()
        && issued
            .as_ref()
            .is_some_and(|old| Some(old.so) != number || old.ngay != date);
    if replaced {
        for (name, _) in &docs {
            for (ext, format) in [("docx", Format::Docx), ("pdf", Format::Pdf)] {
                let stale = out_dir.join(format!("{name}.{ext}"));
                if !a.format.contains(&format) && stale.is_file() {
                    std::fs::remove_file(&stale)
                        .with_context(|| format!("không xóa được {}", stale.display()))?;
                    eprintln!(
                        "Đã xóa {} của bản cũ (không lập lại định dạng {ext}).",
                        stale.strip_prefix(&ws.root).unwrap_or(&stale).display()
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cchc plan`: the plan itself as an official document; a Markdown error is an input error.
fn write_plan(ws: &Workspace, a: PlanArgs) -> anyhow::Result<ExitCode> {
    print_findings(&ws.plan_findings, false);
    let Some(plan) = &ws.plan else {
        eprintln!("Không lập kế hoạch vì {} còn lỗi.", workspace::PLAN_FILE);
        return Ok(ExitCode::from(1));
    };
    let doc = match render::plan::document(plan, &ws.config) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("lỗi: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let docs = [(render::plan::file_stem(plan), doc)];
    write_documents(ws, &ws.root.join("output"), &docs, &a.format, None)?;
    Ok(ExitCode::SUCCESS)
}

/// A rendered file, or why it could not be rendered.
type Written = anyhow::Result<(PathBuf, Vec<u8>)>;

type Laid = Arc<Result<layout::Pages, layout::LayoutError>>;

/// One distinct section of the documents to write, laid out and written as WordprocessingML at
/// most once: `cchc report` puts each appendix both in the report and alone, and neither a
/// section's pages nor its DOCX body depend on the sections around it (each starts a page and
/// numbers its own pages).
struct SharedSection<'a> {
    doc: &'a cchc::doc::Document,
    section: &'a cchc::doc::Section,
    /// The pages once laid out, and how many PDFs still need them: nothing keeps them after
    /// the last one has drawn them.
    state: Mutex<(Option<Laid>, usize)>,
    /// The section's DOCX body, written by the first DOCX job that needs it (a second one
    /// waits for it instead of writing it again).
    docx: std::sync::OnceLock<Result<docx::SectionXml, docx::TableError>>,
}

impl SharedSection<'_> {
    fn docx(&self) -> &Result<docx::SectionXml, docx::TableError> {
        self.docx
            .get_or_init(|| docx::section(self.section, &self.doc.style))
    }

    fn pages(&self, fonts: &fonts::Fonts) -> Laid {
        // Held while laying out, so that a second worker waits instead of doing it again.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let pages = match &state.0 {
            Some(p) => Arc::clone(p),
            None => {
                let alone = cchc::doc::Document {
                    meta: self.doc.meta.clone(),
                    style: self.doc.style.clone(),
                    sections: vec![self.section.clone()],
                };
                let p = Arc::new(layout::layout(&alone, fonts));
                state.0 = Some(Arc::clone(&p));
                p
            }
        };
        state.1 = state.1.saturating_sub(1);
        if state.1 == 0 {
            state.0 = None;
        }
        pages
    }
}

/// Writes each document in each format to `out` as `<name>.docx` / `<name>.pdf` and prints the
/// paths. Every file is rendered and staged before any takes its name, so an error leaves no
/// partial set; the documents are independent and are rendered by one worker per core.
fn write_documents(
    ws: &Workspace,
    out: &Path,
    docs: &[(String, cchc::doc::Document)],
    formats: &[Format],
    record: Option<(PathBuf, Vec<u8>)>,
) -> anyhow::Result<()> {
    let mut formats = formats.to_vec();
    formats.sort_by_key(|f| *f as u8);
    formats.dedup();
    let fonts = load_fonts(ws)?;
    // Each document's sections as indices into the distinct ones.
    let mut sections: Vec<SharedSection> = Vec::new();
    let mut doc_sections: Vec<Vec<usize>> = Vec::new();
    for (_, doc) in docs {
        let mut ids = Vec::new();
        for section in &doc.sections {
            let same = sections
                .iter()
                .position(|s| s.doc.style == doc.style && s.section == section);
            let id = same.unwrap_or_else(|| {
                sections.push(SharedSection {
                    doc,
                    section,
                    state: Mutex::new((None, 0)),
                    docx: std::sync::OnceLock::new(),
                });
                sections.len() - 1
            });
            if formats.contains(&Format::Pdf) {
                let state = sections[id]
                    .state
                    .get_mut()
                    .unwrap_or_else(|e| e.into_inner());
                state.1 += 1;
            }
            ids.push(id);
        }
        doc_sections.push(ids);
    }
    // The longest job first: the PDF that gathers several sections (the report), which draws
    // each section as soon as it is laid out, while the other workers lay out and draw the
    // sections alone; then the DOCX files, longest first, on whichever worker is free.
    let mut jobs: Vec<(usize, Format)> = (0..docs.len())
        .flat_map(|d| formats.iter().map(move |f| (d, *f)))
        .collect();
    jobs.sort_by_key(|&(d, f)| {
        let n = docs[d].1.sections.len();
        match f {
            Format::Pdf => (0, usize::MAX - n),
            Format::Docx => (1, usize::MAX - n),
        }
    });
    let pdf = |d: usize| -> Result<Vec<u8>, pdf::PdfError> {
        let doc = &docs[d].1;
        let mut writer = pdf::PdfWriter::new(&doc.meta, &fonts, &pdf::PdfOptions::default())?;
        for &s in &doc_sections[d] {
            match &*sections[s].pages(&fonts) {
                Ok(pages) => writer.pages(&pages.0)?,
                // The whole document again, so that the error is the one it always gave.
                Err(_) => return pdf::render(doc, &fonts),
            }
        }
        writer.finish()
    };
    let run = |&(d, format): &(usize, Format)| {
        let (name, doc) = &docs[d];
        match format {
            Format::Docx => docx::write_sections(
                doc,
                &doc_sections[d]
                    .iter()
                    .map(|&s| sections[s].docx())
                    .collect::<Vec<_>>(),
            )
            .map(|b| (out.join(format!("{name}.docx")), b))
            .map_err(|e| anyhow!("{name}.docx: {e}")),
            Format::Pdf => pdf(d)
                .map(|b| (out.join(format!("{name}.pdf")), b))
                .map_err(|e| anyhow!("{name}.pdf: {e}")),
        }
    };
    // All jobs at once would add their peak memory together; one worker per core does not.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    // This thread writes each file to disk under a temporary name as soon as it is rendered,
    // while the workers go on: flushing a file to disk waits for the disk, which took as long
    // as rendering when the files were written one after the other at the end.
    let mut staged: Vec<((usize, Format), anyhow::Result<workspace::Staged>)> = Vec::new();
    let mut record_staged = None;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel::<((usize, Format), Written)>();
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let tx = tx.clone();
                let (jobs, next, run) = (&jobs, &next, &run);
                let work = move || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        if tx.send((*job, run(job))).is_err() {
                            break;
                        }
                    }
                };
                // The last worker shares this thread's CPU, which only waits for files from
                // here on; the others start on other CPUs at once (see cchc::par).
                if w + 1 < workers {
                    cchc::par::spawn(s, work)
                } else {
                    s.spawn(work)
                }
            })
            .collect();
        drop(tx);
        // A bookkeeping file is flushed while the workers render, and renamed with the rest.
        record_staged = record.map(|(path, bytes)| workspace::Staged::write(&path, &bytes));
        for (job, written) in rx {
            let file =
                written.and_then(|(path, bytes)| Ok(workspace::Staged::write(&path, &bytes)?));
            staged.push((job, file));
        }
        for h in handles {
            // A worker that panicked has sent fewer results; that is caught below.
            let _ = h.join();
        }
    });
    if staged.len() != jobs.len() {
        return Err(anyhow!("lỗi nội bộ khi ghi văn bản"));
    }
    // Renamed and listed in the documents' order, each DOCX before its PDF, and only when
    // every file is ready: an error leaves no partial set (the staged files are removed).
    staged.sort_by_key(|&((d, f), _)| (d, f as u8));
    let files = staged
        .into_iter()
        .map(|(_, r)| r)
        .collect::<anyhow::Result<Vec<_>>>()?;
    // A rename that would fail is found before any is made: a folder where a file goes.
    if let Some(blocked) = files.iter().find(|f| f.path().is_dir()) {
        return Err(anyhow!(
            "{}: đã có một thư mục trùng tên tệp này; đổi tên hoặc xóa thư mục đó rồi chạy lại (chưa tệp nào được ghi)",
            display_path(ws, blocked.path())
        ));
    }
    let record = record_staged.transpose()?;
    for file in files {
        let shown = display_path(ws, file.path());
        file.commit()?;
        println!("{shown}");
    }
    if let Some(r) = record {
        r.commit()?;
    }
    Ok(())
}

/// `cchc forms`: each unit's blank workbook for the quarter, in output/<kỳ>/bieu-mau/.
fn write_forms(ws: &Workspace, a: FormsArgs) -> anyhow::Result<ExitCode> {
    if !a.period.is_quarter() {
        return Err(anyhow!(
            "biểu mẫu lập theo quý: dùng --period dạng {}-Q3 (không phải {})",
            a.period.year,
            a.period
        ));
    }
    print_findings(&ws.plan_findings, false);
    let Some(plan) = &ws.plan else {
        eprintln!("Không lập biểu mẫu vì {} còn lỗi.", workspace::PLAN_FILE);
        return Ok(ExitCode::from(1));
    };
    ws.resolve_period(Some(a.period))?;
    eprintln!("Biểu mẫu {} ({})", a.period.name(), a.period);
    let forms = cchc::forms::generate(&ws.config, plan, &a.period)
        .map_err(|e| anyhow!("lập biểu mẫu: {e}"))?;
    let dir = ws.output_dir(&a.period).join(cchc::forms::FORMS_DIR);
    for (name, bytes) in &forms {
        let path = dir.join(name);
        workspace::write_atomic(&path, bytes)?;
        println!("{}", display_path(ws, &path));
    }
    Ok(ExitCode::SUCCESS)
}

/// `cchc init DIR`: a new office's workspace (blank settings and plan), or with `--mau` the
/// built-in sample; never overwrites a file.
fn init(dir: &Path, sample: bool) -> anyhow::Result<ExitCode> {
    if dir.join(workspace::CONFIG_FILE).exists() {
        return Err(anyhow!(
            "\"{}\" đã là một không gian làm việc ({} đã có); không ghi đè, hãy chọn thư mục khác",
            dir.display(),
            workspace::CONFIG_FILE
        ));
    }
    let files = if sample {
        cchc::forms::sample_workspace().map_err(|e| anyhow!("{e}"))?
    } else {
        cchc::forms::new_workspace()
    };
    if let Some((rel, _)) = files.iter().find(|(rel, _)| dir.join(rel).exists()) {
        return Err(anyhow!(
            "{} đã có trong \"{}\"; không ghi đè, hãy chọn thư mục khác",
            rel,
            dir.display()
        ));
    }
    for d in cchc::forms::WORKSPACE_DIRS {
        let path = dir.join(d);
        std::fs::create_dir_all(&path)
            .with_context(|| format!("không tạo được thư mục {}", path.display()))?;
    }
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        workspace::write_atomic(&path, bytes)?;
        println!("{}", path.display());
    }
    let ws = dir.display();
    if sample {
        eprintln!(
            "Đã tạo không gian làm việc mẫu trong \"{ws}\"; thử: cchc check --workspace {ws}"
        );
    } else {
        eprintln!(
            "Đã tạo không gian làm việc mới trong \"{ws}\". Các bước tiếp theo:\n  \
             1. Điền {cfg}: tên cơ quan, người ký, nơi nhận, các đơn vị báo cáo.\n  \
             2. Chép kế hoạch CCHC của năm vào {plan}: số, ngày, các mục và hai bảng nhiệm vụ \
             (Phụ lục I, II).\n  \
             3. Kiểm tra: cchc check --workspace {ws} (liệt kê những gì còn thiếu).\n  \
             4. Lập biểu mẫu trống cho các đơn vị: cchc forms --period <năm>-Q1 --workspace {ws}; \
             bảng tính các đơn vị gửi về đặt vào input/<năm>-Q1/.\n  \
             5. Lập báo cáo: cchc report --period <năm>-Q1 --so <số> --ngay <ngày ký> \
             --workspace {ws}.",
            cfg = workspace::CONFIG_FILE,
            plan = workspace::PLAN_FILE,
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn load_fonts(ws: &Workspace) -> anyhow::Result<fonts::Fonts> {
    let Some(files) = &ws.config.phong_chu else {
        return Ok(fonts::Fonts::builtin());
    };
    let read = |p: &str| {
        std::fs::read(ws.root.join(p)).with_context(|| format!("không đọc được phông chữ {p}"))
    };
    fonts::Fonts::from_files(
        read(&files.thuong)?,
        read(&files.dam)?,
        read(&files.nghieng)?,
        read(&files.dam_nghieng)?,
    )
    .map_err(|e| anyhow!("phông chữ trong input/cchc.toml: {e}"))
}

fn display_path(ws: &Workspace, p: &Path) -> String {
    p.strip_prefix(&ws.root).unwrap_or(p).display().to_string()
}

fn print_findings(findings: &[Finding], verbose: bool) {
    let mut sorted: Vec<&Finding> = findings
        .iter()
        .filter(|f| verbose || f.severity != Severity::Note)
        .collect();
    sorted.sort_by_key(|f| f.severity);
    for f in &sorted {
        eprintln!("{f}");
    }
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let notes = count(Severity::Note);
    let mut tally = format!(
        "{} lỗi, {} cảnh báo",
        count(Severity::Error),
        count(Severity::Warning)
    );
    if notes > 0 {
        tally.push_str(&if verbose {
            format!(", {notes} ghi chú")
        } else {
            format!(", {notes} ghi chú (xem bằng --chi-tiet)")
        });
    }
    eprintln!("{tally}");
}

fn exit_for(findings: &[Finding]) -> ExitCode {
    if findings.iter().any(Finding::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
