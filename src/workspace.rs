//! The workspace on disk: `input/cchc.toml`, `input/ke-hoach.md`, one folder per period of
//! departmental workbooks, `templates/`, `output/`. This module and `main.rs` are the only
//! places that touch the file system; outputs are written to a temporary file and renamed.

use crate::check;
use crate::config::Config;
use crate::finding::{Finding, Kind, Loc};
use crate::period::{Period, PeriodKind};
use crate::plan::{self, Plan};
use crate::report::{self, ReportData};
use crate::sheets;
use crate::sheets::Quarter;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a command could not run at all (exit code 2), as opposed to findings in the inputs;
/// `Input` is the exception, settings that are themselves an input error (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{0}")]
    Config(String),
    /// The settings themselves are wrong or unfinished: an error in the inputs (exit code 1).
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Other(String),
}

pub type Result<T> = std::result::Result<T, WorkspaceError>;

fn io_err(path: &Path, e: std::io::Error) -> WorkspaceError {
    use std::io::ErrorKind as K;
    let message = match e.kind() {
        K::NotFound => "không tìm thấy".to_string(),
        K::PermissionDenied => "không có quyền truy cập".to_string(),
        K::IsADirectory => "đã có một thư mục trùng tên tệp này".to_string(),
        K::NotADirectory => "một phần của đường dẫn là tệp, không phải thư mục".to_string(),
        K::StorageFull => "ổ đĩa đã đầy".to_string(),
        K::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc, không ghi được".to_string(),
        K::AlreadyExists => "tệp đã có".to_string(),
        K::InvalidFilename => "tên tệp không hợp lệ".to_string(),
        K::ResourceBusy => "tệp đang được chương trình khác dùng".to_string(),
        // The system's own words, which name the cause, after ours.
        _ => format!("lỗi đọc ghi tệp (chi tiết kỹ thuật: {e})"),
    };
    WorkspaceError::Io {
        path: path.display().to_string(),
        message,
    }
}

/// An opened workspace: settings and plan read, nothing else yet.
pub struct Workspace {
    pub root: PathBuf,
    pub config: Config,
    /// `None` when the plan has errors (they are in `plan_findings`).
    pub plan: Option<Plan>,
    pub plan_findings: Vec<Finding>,
}

/// What `check`, `data` and `report` work from: the plan, the period's quarters and every
/// finding so far (reader findings plus `check`).
pub struct Inputs {
    pub period: Period,
    pub quarters: Vec<Quarter>,
    /// For a year report, the workbooks of the year's own folder (`input/2024/`).
    pub year: Vec<crate::sheets::Submission>,
    pub findings: Vec<Finding>,
}

pub const CONFIG_FILE: &str = "input/cchc.toml";
pub const PLAN_FILE: &str = "input/ke-hoach.md";
const WORKBOOK_EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

impl Workspace {
    pub fn open(root: &Path) -> Result<Workspace> {
        let cfg_path = root.join(CONFIG_FILE);
        let text = fs::read_to_string(&cfg_path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                WorkspaceError::Config(format!(
                    "{}: không tìm thấy; thư mục \"{}\" chưa phải là một không gian làm việc cchc \
                     (dùng --thu-muc, hoặc tạo mới bằng \"cchc init THƯ_MỤC\")",
                    CONFIG_FILE,
                    root.display()
                ))
            } else {
                io_err(&cfg_path, e)
            }
        })?;
        let config = Config::parse(&text).map_err(|e| {
            WorkspaceError::Input(match e.line {
                Some(l) => format!("{CONFIG_FILE}:{l}: {}", e.message),
                None => format!("{CONFIG_FILE}: {}", e.message),
            })
        })?;
        let ids = crate::sheets::contract::ledger::IDS;
        if let Some(k) = config
            .ho_so_mot_cua
            .tieu_de
            .keys()
            .find(|k| !ids.contains(&k.as_str()))
        {
            return Err(WorkspaceError::Input(format!(
                "{CONFIG_FILE}: [ho_so_mot_cua] tieu_de: không có cột \"{k}\" (các cột: {})",
                ids.join(", ")
            )));
        }
        let plan_path = root.join(PLAN_FILE);
        let plan_text = fs::read(&plan_path).map_err(|e| io_err(&plan_path, e))?;
        let plan_text = String::from_utf8(plan_text).map_err(|_| {
            WorkspaceError::Other(format!(
                "{PLAN_FILE}: tệp không phải văn bản UTF-8; hãy lưu lại với mã hóa UTF-8"
            ))
        })?;
        let (plan, plan_findings) = plan::parse(&plan_text, PLAN_FILE, &config);
        let plan = if plan_findings.iter().any(Finding::is_error) {
            None
        } else {
            plan
        };
        Ok(Workspace {
            root: root.to_path_buf(),
            config,
            plan,
            plan_findings,
        })
    }

    /// Quarter folders present under `input/`, sorted.
    pub fn periods(&self) -> Vec<Period> {
        period_folders(&self.root.join("input"))
            .into_iter()
            .filter(|p| p.is_quarter())
            .collect()
    }

    /// Periods (of any kind) that have a folder in `output/`.
    pub fn periods_with_output(&self) -> Vec<Period> {
        period_folders(&self.root.join("output"))
    }

    /// The period to use: the one asked for, or the latest quarter that has a folder; an error
    /// when it is not in the plan's year.
    pub fn resolve_period(&self, asked: Option<Period>) -> Result<Period> {
        let period = match asked {
            Some(p) => p,
            None => self.periods().last().copied().ok_or_else(|| {
                WorkspaceError::Other(
                    "không có thư mục kỳ báo cáo nào trong input/ (ví dụ input/2024-Q2); dùng --ky"
                        .into(),
                )
            })?,
        };
        // The plan's tasks, deadlines and index are those of one year: a report of another
        // year against it would state that year's results of this year's plan.
        if let Some(plan) = &self.plan
            && period.year != plan.meta.nam
        {
            return Err(WorkspaceError::Other(format!(
                "kỳ {} ({period}) không thuộc năm của kế hoạch: {} là Kế hoạch số {} năm {}; \
                 chọn một kỳ của năm {} hoặc thay {} bằng kế hoạch năm {}",
                period.name(),
                plan.file,
                plan.meta.so,
                plan.meta.nam,
                plan.meta.nam,
                plan.file,
                period.year
            )));
        }
        Ok(period)
    }

    /// Reads every workbook of the period's quarters and runs the checks. `allow_missing`: a
    /// report of several quarters goes ahead without a quarter that has no workbook (a warning,
    /// and the report says so) instead of stopping on it.
    pub fn load(&self, period: Period, allow_missing: bool) -> Result<Inputs> {
        let mut findings = self.plan_findings.clone();
        let mut quarters = Vec::new();
        let in_period = period.quarter_periods();
        let first = in_period.first().copied().unwrap_or(period);
        // Earlier quarters of the year are read too, for the tasks' history.
        let earlier = (1..first.last_quarter()).map(|n| Period::quarter(period.year, n));
        for q in earlier.chain(in_period.iter().copied()) {
            let current = in_period.contains(&q);
            let rel = format!("input/{q}");
            let dir = self.root.join(&rel);
            let mut quarter = Quarter {
                period: q,
                folder: None,
                submissions: Vec::new(),
                in_period: current,
                lists: Vec::new(),
                counted: None,
            };
            if dir.is_dir() {
                quarter.folder = Some(rel.clone());
                (quarter.submissions, quarter.lists) =
                    self.read_folder(&rel, current, &mut findings)?;
                if current {
                    for l in &quarter.lists {
                        findings.extend(crate::onestop::missing_due_dates(
                            l,
                            &self.config.ho_so_mot_cua,
                        ));
                    }
                }
            } else if current && period.is_quarter() {
                findings.push(Finding::warning(
                    Kind::QuarterMissing,
                    Loc::Nowhere,
                    format!("chưa có thư mục {rel}: {} chưa có số liệu", q.short_name()),
                ));
            }
            quarters.push(quarter);
        }
        // A year report also reads the year's own folder (input/2024/): the year workbooks,
        // such as the Văn phòng's PAR INDEX self-assessment.
        let mut year = Vec::new();
        let mut year_folder = None;
        if period.kind == PeriodKind::Year {
            let rel = format!("input/{}", period.year);
            if self.root.join(&rel).is_dir() {
                year = self.read_folder(&rel, true, &mut findings)?.0;
                year_folder = Some(rel);
            }
        }
        findings.extend(crate::onestop::count(&mut quarters, &self.config));
        findings.extend(check::missing_quarters(&period, &quarters, allow_missing));
        if let Some(plan) = &self.plan {
            findings.extend(check::check(plan, &quarters, &self.config));
        }
        findings.extend(check::check_year(
            &period,
            year_folder.as_deref(),
            &year,
            &self.config,
        ));
        Ok(Inputs {
            period,
            quarters,
            year,
            findings,
        })
    }

    /// Reads the workbooks of one folder (relative to the workspace). Findings of a `current`
    /// folder are kept; an earlier quarter's workbook with errors simply gives nothing.
    fn read_folder(
        &self,
        rel: &str,
        current: bool,
        findings: &mut Vec<Finding>,
    ) -> Result<(
        Vec<crate::sheets::Submission>,
        Vec<std::sync::Arc<crate::sheets::DossierList>>,
    )> {
        let dir = self.root.join(rel);
        let mut out = Vec::new();
        let mut lists = Vec::new();
        let mut entries: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(|e| io_err(&dir, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let file = format!("{rel}/{name}");
            // Office lock files ("~$bao-cao.xlsx", ".~lock.bao-cao.xlsx#") are not
            // workbooks; neither are hidden files.
            if name.starts_with("~$") || name.starts_with('.') {
                continue;
            }
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if !WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
                if !current {
                    continue;
                }
                findings.push(Finding::warning(
                    Kind::NotAWorkbook,
                    Loc::File { file },
                    "bỏ qua: không phải bảng tính .xlsx, .xlsm, .xls hoặc .ods",
                ));
                continue;
            }
            // A file is weighed before it is read into memory.
            let limit = self.config.gioi_han.tep_mb;
            let size = fs::metadata(&path).map_err(|e| io_err(&path, e))?.len();
            if size > limit.saturating_mul(1024 * 1024) {
                let f = Finding::error(
                    Kind::TooBig,
                    Loc::File { file },
                    format!(
                        "tệp {} MB, quá giới hạn {limit} MB của một bảng tính báo cáo ([gioi_han] \
                         tep_mb trong input/cchc.toml): cchc không đọc",
                        size / (1024 * 1024)
                    ),
                );
                if current {
                    findings.push(f);
                }
                continue;
            }
            let bytes = fs::read(&path).map_err(|e| io_err(&path, e))?;
            let (input, f) = sheets::read_input(&bytes, &file, &self.config);
            // An earlier quarter's problems were reported in its own time; a workbook
            // with errors simply gives no history.
            let keep = current || !f.iter().any(Finding::is_error);
            if current {
                findings.extend(f);
            }
            match input {
                Some(sheets::Input::Submission(s)) if keep => out.push(s),
                Some(sheets::Input::List(l)) if keep => lists.push(std::sync::Arc::new(l)),
                _ => {}
            }
        }
        Ok((out, lists))
    }

    /// The report data, when the inputs have no error.
    pub fn report_data(&self, inputs: &Inputs) -> Option<ReportData> {
        let plan = self.plan.as_ref()?;
        if inputs.findings.iter().any(Finding::is_error) {
            return None;
        }
        Some(report::assemble(
            plan,
            &inputs.quarters,
            &inputs.period,
            &inputs.year,
            &self.config,
            &inputs.findings,
        ))
    }

    /// `output/<period>/`
    pub fn output_dir(&self, period: &Period) -> PathBuf {
        self.root.join("output").join(period.to_string())
    }

    /// Template files in `templates/` (name, content), overriding the built-in ones.
    pub fn template_files(&self) -> Result<Vec<(String, String)>> {
        Workspace::template_files_in(&self.root)
    }

    /// [`Workspace::template_files`] of the workspace at `root`, before it is opened.
    pub fn template_files_in(root: &Path) -> Result<Vec<(String, String)>> {
        let dir = root.join("templates");
        let mut out = Vec::new();
        if !dir.is_dir() {
            return Ok(out);
        }
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(|e| io_err(&dir, e))?
            .flatten()
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|e| e == "md") {
                let text = fs::read_to_string(&p).map_err(|e| io_err(&p, e))?;
                out.push((
                    p.file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                        .to_string(),
                    text,
                ));
            }
        }
        Ok(out)
    }
}

/// The folders of `dir` named as periods ("2024-Q2", "2024-6T", "2024"), sorted.
fn period_folders(dir: &Path) -> Vec<Period> {
    let mut out: Vec<Period> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_string_lossy().parse::<Period>().ok())
        .collect();
    out.sort();
    out
}

/// Writes `bytes` to `path` through a temporary file in the same folder, flushed to disk and
/// renamed, so a reader never sees a half-written file.
/// Refuses a folder to write in that is reached through a symbolic link from `root`: `output/`
/// or a period folder linked elsewhere would put the files outside the workspace.
pub fn inside(root: &Path, dir: &Path) -> Result<()> {
    let Ok(rel) = dir.strip_prefix(root) else {
        return Ok(());
    };
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            let shown = at.strip_prefix(root).unwrap_or(&at).display().to_string();
            return Err(WorkspaceError::Other(format!(
                "{shown} là một liên kết (symlink) tới nơi khác: cchc chỉ ghi trong không gian \
                 làm việc; hãy thay {shown} bằng một thư mục thật (chưa tệp nào được ghi)"
            )));
        }
    }
    Ok(())
}

/// Removes the temporary files an earlier run left in `dir` when it was killed between
/// writing and renaming them (`.<name>.tmp-<pid>`); this run's own are not touched.
pub fn remove_stale_temporaries(dir: &Path) {
    let own = format!(".tmp-{}", std::process::id());
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let stale = name.starts_with('.')
            && name
                .rsplit_once(".tmp-")
                .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            && !name.ends_with(&own);
        if stale && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(e.path());
        }
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    Staged::write(path, bytes)?.commit()
}

/// A file written and flushed to disk under a temporary name beside `path`, not yet renamed:
/// a set of files can be staged as each is ready, and renamed together once all are. Dropped
/// without [`Staged::commit`], the temporary file is removed.
pub struct Staged {
    tmp: PathBuf,
    path: PathBuf,
    renamed: bool,
}

impl Staged {
    pub fn write(path: &Path, bytes: &[u8]) -> Result<Staged> {
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let staged = Staged {
            tmp: dir.join(format!(".{name}.tmp-{}", std::process::id())),
            path: path.to_path_buf(),
            renamed: false,
        };
        let result = (|| {
            let mut f = fs::File::create(&staged.tmp)?;
            f.write_all(bytes)?;
            f.sync_all()
        })();
        // On error the drop removes the temporary file.
        result.map_err(|e| io_err(path, e))?;
        Ok(staged)
    }

    /// Renames the file to its final name.
    pub fn commit(mut self) -> Result<()> {
        fs::rename(&self.tmp, &self.path).map_err(|e| io_err(&self.path, e))?;
        self.renamed = true;
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.renamed {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}
