//! The commands that read and print without writing documents: `check`, `data`, `nguon`.

use super::args::{PeriodArg, SourcesArgs};
use super::commands::{display_path, exit_for, load, print_findings};
use anyhow::anyhow;
use cchc::finding::{Finding, Loc};
use cchc::workspace::{self, Workspace};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    period: PeriodArg,
    /// In mọi phát hiện (kể cả ghi chú) dạng JSON ra đầu ra chuẩn: mức, loại (kind), vị trí
    /// (tệp, sheet, ô hoặc dòng), nội dung, gợi ý; cho các công cụ và kiểm thử.
    #[arg(long)]
    json: bool,
}

/// `cchc check`: the findings, and exit 1 when one is an error.
pub fn check(ws: &Workspace, a: &CheckArgs) -> anyhow::Result<ExitCode> {
    let p = &a.period;
    let say = |findings: &[Finding]| -> anyhow::Result<ExitCode> {
        if a.json {
            println!("{}", serde_json::to_string_pretty(findings)?);
        } else {
            print_findings(findings, p.verbose);
        }
        Ok(exit_for(findings))
    };
    if p.period.is_none() && ws.periods().is_empty() {
        // A new workspace: what the plan lacks is said too, and the missing folder is one
        // more thing to do rather than a command that could not run.
        let year = ws
            .plan
            .as_ref()
            .map_or("<năm>".to_string(), |p| p.meta.nam.to_string());
        let mut findings = ws.plan_findings.clone();
        findings.push(Finding::error(
            cchc::Kind::QuarterMissing,
            Loc::Nowhere,
            format!(
                "chưa có thư mục kỳ báo cáo nào trong input/: bảng tính các đơn vị gửi về \
                 đặt vào input/{year}-Q1/, input/{year}-Q2/, … (biểu mẫu trống cho các đơn \
                 vị: cchc forms --ky {year}-Q1)"
            ),
        ));
        return say(&findings);
    }
    let inputs = load(ws, p)?;
    say(&inputs.findings)
}

/// `cchc data`: the report data as JSON.
pub fn data(ws: &Workspace, p: &PeriodArg) -> anyhow::Result<ExitCode> {
    let inputs = load(ws, p)?;
    print_findings(&inputs.findings, p.verbose);
    match ws.report_data(&inputs) {
        Some(data) => {
            println!("{}", serde_json::to_string_pretty(&data)?);
            Ok(ExitCode::SUCCESS)
        }
        None => Ok(ExitCode::from(1)),
    }
}

/// `cchc nguon`: each figure of the report with its source cells, printed or as a workbook.
pub fn sources(ws: &Workspace, a: &SourcesArgs) -> anyhow::Result<ExitCode> {
    let inputs = load(ws, &a.period)?;
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
        workspace::inside(&ws.root, &ws.output_dir(&inputs.period))?;
        workspace::write_atomic(&path, &bytes)?;
        println!("{}", display_path(ws, &path));
    } else {
        print!("{}", cchc::sources::text(&title, &rows));
    }
    Ok(ExitCode::SUCCESS)
}
