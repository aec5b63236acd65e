//! The `cchc` command: parses flags, reads the workspace, calls the library, prints findings
//! (standard error) and the paths it wrote (standard output), and sets the exit code:
//! 0 success, 1 the inputs have errors (nothing written), 2 the command could not run.

use anyhow::anyhow;
use cchc::render;
use cchc::workspace::{self, Workspace};
use clap::{Parser, Subcommand};
use cli::args::{FormsArgs, InitArgs, PeriodArg, PlanArgs, ReportArgs, SourcesArgs};
use cli::commands;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;

/// Báo cáo cải cách hành chính (CCHC) của UBND phường: từ kế hoạch và bảng tính của các bộ
/// phận đến báo cáo DOCX, PDF theo Nghị định 30/2020/NĐ-CP.
#[derive(Parser)]
#[command(name = "cchc", version, disable_help_subcommand = true)]
struct Cli {
    /// Thư mục làm việc (chứa input/, templates/, output/); mặc định là thư mục hiện tại.
    #[arg(
        long = "thu-muc",
        visible_alias = "workspace",
        global = true,
        default_value = "."
    )]
    workspace: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Kiểm tra số liệu đầu vào của một kỳ: thoát 0 nếu không có lỗi, 1 nếu có lỗi.
    Check(cli::inspect::CheckArgs),
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
    Archive(cli::archive::ArchiveCommand),
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

fn main() -> ExitCode {
    malloc_arena_per_core();
    cli::placement::install();
    let cli = match cli::help::parse_cli() {
        Ok(cli) => cli,
        Err(e) => match cli::help::cli_error(&e) {
            Some(message) => {
                eprintln!("lỗi: {message}");
                return ExitCode::from(2);
            }
            None => e.exit(),
        },
    };
    // A bug must not look like a crash in the user's files: said in their words, exit 2; the
    // files staged so far are removed as the stack unwinds (nothing is half-written).
    // The hook only keeps where the panic was: a panic the library catches (a spreadsheet
    // reader's, on a broken file) is a finding of its own and must not print this.
    static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    let result = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli))) {
        Ok(result) => result,
        Err(_) => {
            let info = PANIC
                .lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_default();
            eprintln!(
                "lỗi nội bộ của cchc ({info}). Không có tệp nào bị ghi dở. Xin gửi lệnh vừa chạy \
                 và thông báo này cho người bảo trì cchc."
            );
            return ExitCode::from(2);
        }
    };
    match result {
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
        return commands::init(&a.dir, a.mau);
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
    // A workspace template is an input: its errors exit 1 like a workbook's.
    render::Templates::with_overrides(files)
        .map_err(|e| workspace::WorkspaceError::Input(e.to_string()).into())
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
        Command::Check(p) => cli::inspect::check(&ws, &p),
        Command::Data(p) => cli::inspect::data(&ws, &p),
        Command::Nguon(a) => cli::inspect::sources(&ws, &a),
        Command::Report(a) => commands::write_report(&ws, a, false, templates),
        Command::Appendix(a) => commands::write_report(&ws, a, true, templates),
        Command::Forms(a) => commands::write_forms(&ws, a),
        Command::Init(_) => unreachable!("init runs without a workspace"),
        Command::Plan(a) => commands::write_plan(&ws, a),
        Command::Archive(a) => cli::archive::run(&ws, a),
    }
}
