//! `cchc archive ...`: flags, and the verdicts printed for people (Vietnamese) or as JSON.

use anyhow::Context;
use cchc::archive::{self, AddOptions, ArchiveError, Claims, FileCheck};
use cchc::pades::{Anchors, Chain, SignatureCheck};
use cchc::workspace::Workspace;
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

/// Default trust bundle of a workspace, used when --tin-cay is not given and the file exists.
const DEFAULT_ANCHORS: &str = "input/tin-cay.pem";

#[derive(Subcommand)]
pub enum ArchiveCommand {
    /// Lưu một bản đã ký (PDF) vào kho archive/<năm>/: kiểm chữ ký số, đối chiếu với báo cáo
    /// cchc đã tạo, ghi sổ đăng ký. Không bao giờ ghi đè bản đã lưu.
    Add(AddArgs),
    /// In sổ đăng ký các bản đã lưu.
    List(JsonArg),
    /// Kiểm lại toàn bộ kho: mã băm, Payload-Oxum, tag manifest, chữ ký số; thoát 1 nếu có sai.
    Verify(VerifyArgs),
    /// Xem chữ ký số và kết quả đối chiếu của một PDF, không lưu gì.
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub struct JsonArg {
    /// In kết quả dạng JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub struct AnchorArg {
    /// Tệp PEM các chứng thư gốc cơ quan tin cậy; mặc định input/tin-cay.pem nếu có.
    #[arg(long = "tin-cay")]
    anchors: Option<PathBuf>,
}

#[derive(clap::Args)]
pub struct ClaimArgs {
    /// Số văn bản, ví dụ 12/BC-UBND (hoặc 12); mặc định đọc từ dòng "Số:" của văn bản.
    #[arg(long)]
    so: Option<String>,
    /// Ngày văn bản, dạng 2024-06-05 hoặc 05/6/2024; mặc định đọc từ dòng ngày tháng.
    #[arg(long, value_parser = super::help::parse_day)]
    ngay: Option<NaiveDate>,
    /// Bản giấy ký tay rồi quét, không có chữ ký số: chỉ lưu được khi ghi rõ tùy chọn này.
    #[arg(long = "ban-quet")]
    scan: bool,
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// Tệp PDF đã ký (ký số, hoặc ký tay rồi quét).
    file: PathBuf,
    #[command(flatten)]
    claims: ClaimArgs,
    /// Người ký như ghi trên văn bản; mặc định là người ký trong input/cchc.toml.
    #[arg(long = "nguoi-ky")]
    signer: Option<String>,
    /// Bản này thay thế bản đã lưu cùng số (bản cũ vẫn giữ, được ghi là đã bị thay thế).
    #[arg(long = "thay-the")]
    supersede: bool,
    /// Vẫn lưu dù nội dung khác bản cchc tạo (ghi nhận vào sổ).
    #[arg(long = "chap-nhan-khac")]
    accept_differences: bool,
    /// Vẫn lưu dù văn bản bị sửa sau khi ký (thông tin mô tả hoặc nội dung; ghi vào sổ).
    #[arg(long = "chap-nhan-sua-sau-ky")]
    accept_modified: bool,
    /// Vẫn lưu dù văn bản có vẻ của cơ quan khác (tên cơ quan, người ký; ghi vào sổ).
    #[arg(long = "co-quan-khac")]
    other_office: bool,
    #[command(flatten)]
    anchors: AnchorArg,
    #[command(flatten)]
    json: JsonArg,
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    anchors: AnchorArg,
    #[command(flatten)]
    json: JsonArg,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    file: PathBuf,
    #[command(flatten)]
    claims: ClaimArgs,
    #[command(flatten)]
    anchors: AnchorArg,
    #[command(flatten)]
    json: JsonArg,
}

pub fn run(ws: &Workspace, cmd: ArchiveCommand) -> anyhow::Result<ExitCode> {
    // The crash test stretches each step of a registration so that its kills land inside.
    if let Some(ms) = std::env::var("CCHC_ARCHIVE_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        archive::set_step_delay_ms(ms);
    }
    match cmd {
        ArchiveCommand::Add(a) => {
            let anchors = anchors(ws, &a.anchors)?;
            let options = AddOptions {
                claims: Claims {
                    number: a.claims.so,
                    date: a.claims.ngay,
                    signer: a.signer,
                    scan: a.claims.scan,
                },
                supersede: a.supersede,
                allow: archive::Allow {
                    differences: a.accept_differences,
                    modified: a.accept_modified,
                    other_office: a.other_office,
                },
            };
            let today = chrono::Local::now().date_naive();
            match archive::add(
                &ws.root,
                &ws.config,
                &a.file,
                &options,
                anchors.as_ref(),
                today,
            ) {
                Ok(added) => {
                    if a.json.json {
                        println!("{}", serde_json::to_string_pretty(&added)?);
                    } else {
                        if added.recovered {
                            eprintln!("{RECOVERED}");
                        }
                        print_check(&added.check);
                        println!("Đã lưu: {}/{}", added.bag, added.entry.tep);
                        if let Some(old) = &added.entry.thay_the {
                            println!("Thay thế bản {}/{old} (bản cũ vẫn được giữ).", added.bag);
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e, a.json.json),
            }
        }
        ArchiveCommand::Check(a) => {
            let anchors = anchors(ws, &a.anchors)?;
            let claims = Claims {
                number: a.claims.so,
                date: a.claims.ngay,
                signer: None,
                scan: a.claims.scan,
            };
            match archive::check_file(
                &ws.root,
                &ws.config,
                &a.file,
                &claims,
                anchors.as_ref(),
                archive::Allow::default(),
            ) {
                Ok((check, _)) => {
                    if a.json.json {
                        println!("{}", serde_json::to_string_pretty(&check)?);
                    } else {
                        print_check(&check);
                    }
                    Ok(if check.ok() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    })
                }
                Err(e) => refused(e, a.json.json),
            }
        }
        ArchiveCommand::Verify(a) => {
            let anchors = anchors(ws, &a.anchors)?;
            let report = match archive::verify(&ws.root, anchors.as_ref()) {
                Ok(r) => r,
                Err(e) => return refused(e, a.json.json),
            };
            if a.json.json {
                let mut v = serde_json::to_value(&report)?;
                v["ok"] = serde_json::Value::Bool(report.ok());
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                if report.recovered {
                    eprintln!("{RECOVERED}");
                }
                if report.bags.is_empty() {
                    println!("Kho lưu trữ chưa có bản nào ({}/).", archive::ARCHIVE_DIR);
                }
                for b in &report.bags {
                    println!(
                        "{}: {} tệp, {}",
                        b.path,
                        b.files.len(),
                        if b.problems.is_empty() {
                            "nguyên vẹn".to_string()
                        } else {
                            format!("{} vấn đề", b.problems.len())
                        }
                    );
                    for p in &b.problems {
                        println!("  lỗi: {p}");
                    }
                }
            }
            Ok(if report.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        ArchiveCommand::List(a) => {
            let entries = match archive::list(&ws.root) {
                Ok(e) => e,
                Err(e) => return refused(e, a.json),
            };
            if a.json {
                let v: Vec<_> = entries
                    .iter()
                    .map(|(year, e)| serde_json::json!({ "nam": year, "van_ban": e }))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
                return Ok(ExitCode::SUCCESS);
            }
            if entries.is_empty() {
                println!("Kho lưu trữ chưa có bản nào ({}/).", archive::ARCHIVE_DIR);
            }
            for (year, e) in &entries {
                let date = e
                    .ngay
                    .parse::<NaiveDate>()
                    .map(cchc::vn::date_short)
                    .unwrap_or_else(|_| e.ngay.clone());
                println!(
                    "{year} · Số {} ngày {date} · {} {}",
                    e.so, e.loai, e.trich_yeu
                );
                let signers = if e.nguoi_ky_so.is_empty() {
                    "không có chữ ký số".to_string()
                } else {
                    format!("chữ ký số: {}", e.nguoi_ky_so.join(", "))
                };
                println!("    người ký: {} ({signers})", e.nguoi_ky);
                println!(
                    "    tệp: {}/{year}/{} · {} byte · SHA-256 {}",
                    archive::ARCHIVE_DIR,
                    e.tep,
                    e.kich_thuoc,
                    &e.sha256[..16.min(e.sha256.len())]
                );
                println!(
                    "    đối chiếu: {}{}",
                    e.doi_chieu.ket_qua.label(),
                    e.doi_chieu
                        .ban_tao
                        .as_ref()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default()
                );
                if let Some(by) = &e.bi_thay_the_boi {
                    println!("    ĐÃ BỊ THAY THẾ bởi {by}");
                }
                if let Some(old) = &e.thay_the {
                    println!("    thay thế {old}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

const RECOVERED: &str =
    "Đã hoàn tất một lần lưu trước đó bị gián đoạn (máy tắt hoặc chương trình bị dừng giữa chừng).";

fn anchors(ws: &Workspace, a: &AnchorArg) -> anyhow::Result<Option<Anchors>> {
    let path = match &a.anchors {
        Some(p) => p.clone(),
        None => {
            let p = ws.root.join(DEFAULT_ANCHORS);
            if !p.exists() {
                return Ok(None);
            }
            p
        }
    };
    Anchors::from_pem_file(&path)
        .map(Some)
        .with_context(|| format!("tệp chứng thư tin cậy {}", path.display()))
}

/// Bad input (an unreadable or refused file, a damaged bag) exits 1; a failed write exits 2.
fn refused(e: ArchiveError, json: bool) -> anyhow::Result<ExitCode> {
    let code = match e {
        ArchiveError::Write { .. } => 2,
        _ => 1,
    };
    if json {
        let reasons = match &e {
            ArchiveError::Refused { reasons, .. } => reasons.clone(),
            other => vec![other.to_string()],
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "ok": false, "problems": reasons }))?
        );
    }
    eprintln!("lỗi: {e}");
    Ok(ExitCode::from(code))
}

fn print_check(c: &FileCheck) {
    println!(
        "Tệp: {} ({} byte, SHA-256 {})",
        c.path,
        c.size,
        &c.sha256[..16]
    );
    let date = c
        .date
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .map(cchc::vn::date_short);
    println!(
        "Văn bản: số {} ngày {}{}",
        c.number.as_deref().unwrap_or("(không rõ)"),
        date.as_deref().unwrap_or("(không rõ)"),
        c.title
            .as_ref()
            .map(|t| format!(" · {t}"))
            .unwrap_or_default()
    );
    for (n, s) in c.signatures.iter().enumerate() {
        println!("Chữ ký số {}: {}", n + 1, describe(s));
    }
    if let Some(m) = &c.matching {
        println!(
            "Đối chiếu: {}{}",
            m.ket_qua.label(),
            m.ban_tao
                .as_ref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        );
    }
    for n in &c.notes {
        println!("  ghi chú: {n}");
    }
    for p in &c.problems {
        println!("  lỗi: {p}");
    }
}

fn describe(s: &SignatureCheck) -> String {
    let mut parts = vec![
        s.signer
            .clone()
            .unwrap_or_else(|| "(không rõ người ký)".into()),
    ];
    if let Some(t) = &s.signing_time {
        // Registers written before the Vietnam offset hold UTC ("…Z"): both read back.
        let at = chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| cchc::vn::time_for_people(t.to_utc()))
            .unwrap_or_else(|_| t.clone());
        parts.push(format!("ký lúc {at}"));
    }
    parts.push(
        if s.intact {
            "nguyên vẹn"
        } else {
            "KHÔNG nguyên vẹn"
        }
        .into(),
    );
    parts.push(s.after_signing());
    parts.push(
        match s.chain {
            Chain::Trusted => "chứng thư tin cậy",
            Chain::Untrusted => "chứng thư KHÔNG tin cậy",
            Chain::NotChecked => "chưa kiểm chuỗi chứng thư (không có tệp tin cậy)",
        }
        .into(),
    );
    parts.push("chưa kiểm thu hồi".into());
    parts.join(", ")
}
