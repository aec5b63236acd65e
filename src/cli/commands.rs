//! The commands that write documents and workspaces, and what they print: findings on
//! standard error, the paths written on standard output. The work itself is the library's
//! (`cchc::pack`, `cchc::render`, `cchc::forms`).

use super::args::{Format, FormsArgs, PeriodArg, PlanArgs, ReportArgs};
use anyhow::{Context, anyhow};
use cchc::finding::{Finding, Severity};
use cchc::pack;
use cchc::workspace::{self, Inputs, Workspace};
use cchc::{fonts, render};
use std::path::Path;
use std::process::ExitCode;

/// `cchc report` and `cchc appendix`; `templates` gives the parsed templates (waiting for the
/// thread that parses them).
pub fn write_report(
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
    let request = pack::Request {
        draft: a.draft,
        so: a.so,
        ngay: a.ngay,
        overwrite: a.overwrite,
        appendices_only,
    };
    let issue = pack::issue(ws, inputs.period, request)?;
    for note in &issue.notes {
        eprintln!("{note}");
    }
    let opts = &issue.options;
    let slug = &issue.slug;
    let mut docs = Vec::new();
    let appendices = if appendices_only {
        render::appendices(&data, &ws.config, opts, &templates)
    } else {
        render::report_and_appendices(&data, &ws.config, opts, &templates).map(|(doc, alone)| {
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
    let out_dir = ws.output_dir(&inputs.period);
    write_documents(ws, &out_dir, &docs, &a.format.formats, issue.record)?;
    if issue.replaces.is_some() {
        let names: Vec<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
        let formats: Vec<pack::Format> = a.format.formats.iter().map(|f| f.pack()).collect();
        for stale in pack::remove_stale(&out_dir, &names, &formats)? {
            eprintln!(
                "Đã xóa {} của bản cũ (không lập lại định dạng {}).",
                display_path(ws, &stale),
                stale.extension().unwrap_or_default().to_string_lossy()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `cchc plan`: the plan itself as an official document; a Markdown error is an input error.
pub fn write_plan(ws: &Workspace, a: PlanArgs) -> anyhow::Result<ExitCode> {
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
    write_documents(ws, &ws.root.join("output"), &docs, &a.format.formats, None)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the pack and prints the paths written.
fn write_documents(
    ws: &Workspace,
    out: &Path,
    docs: &[(String, cchc::doc::Document)],
    formats: &[Format],
    record: Option<(std::path::PathBuf, Vec<u8>)>,
) -> anyhow::Result<()> {
    let fonts = load_fonts(ws)?;
    let formats: Vec<pack::Format> = formats.iter().map(|f| f.pack()).collect();
    for path in pack::write_pack(&ws.root, out, docs, &formats, &fonts, record)? {
        println!("{}", display_path(ws, &path));
    }
    Ok(())
}

/// `cchc forms`: each unit's blank workbook for the quarter, in output/<kỳ>/bieu-mau/.
pub fn write_forms(ws: &Workspace, a: FormsArgs) -> anyhow::Result<ExitCode> {
    if !a.period.is_quarter() {
        return Err(anyhow!(
            "biểu mẫu lập theo quý: dùng --ky dạng {}-Q3 (không phải {})",
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
    workspace::inside(&ws.root, &dir)?;
    for (name, bytes) in &forms {
        let path = dir.join(name);
        workspace::write_atomic(&path, bytes)?;
        println!("{}", display_path(ws, &path));
    }
    Ok(ExitCode::SUCCESS)
}

/// `cchc init DIR`: a new office's workspace (blank settings and plan), or with `--mau` the
/// built-in sample; never overwrites a file.
pub fn init(dir: &Path, sample: bool) -> anyhow::Result<ExitCode> {
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
        eprintln!("Đã tạo không gian làm việc mẫu trong \"{ws}\"; thử: cchc check --thu-muc {ws}");
    } else {
        eprintln!(
            "Đã tạo không gian làm việc mới trong \"{ws}\". Các bước tiếp theo:\n  \
             1. Điền {cfg}: tên cơ quan, người ký, nơi nhận, các đơn vị báo cáo.\n  \
             2. Chép kế hoạch CCHC của năm vào {plan}: số, ngày, các mục và hai bảng nhiệm vụ \
             (Phụ lục I, II).\n  \
             3. Kiểm tra: cchc check --thu-muc {ws} (liệt kê những gì còn thiếu).\n  \
             4. Lập biểu mẫu trống cho các đơn vị: cchc forms --ky <năm>-Q1 --thu-muc {ws}; \
             bảng tính các đơn vị gửi về đặt vào input/<năm>-Q1/.\n  \
             5. Lập báo cáo: cchc report --ky <năm>-Q1 --so <số> --ngay <ngày ký> \
             --thu-muc {ws}.",
            cfg = workspace::CONFIG_FILE,
            plan = workspace::PLAN_FILE,
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn load_fonts(ws: &Workspace) -> anyhow::Result<fonts::Fonts> {
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

pub fn display_path(ws: &Workspace, p: &Path) -> String {
    p.strip_prefix(&ws.root).unwrap_or(p).display().to_string()
}

pub fn print_findings(findings: &[Finding], verbose: bool) {
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

pub fn exit_for(findings: &[Finding]) -> ExitCode {
    if findings.iter().any(Finding::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn load(ws: &Workspace, p: &PeriodArg) -> anyhow::Result<Inputs> {
    let period = ws.resolve_period(p.period)?;
    eprintln!("Kỳ báo cáo: {} ({})", period.name(), period);
    Ok(ws.load(period, p.allow_missing)?)
}
