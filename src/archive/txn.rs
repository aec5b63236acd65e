//! Crash-safe writes of several files at once: a roll-forward journal.
//!
//! One registration changes up to seven files of a bag (the payload, two manifests, bag-info,
//! the register, the tag manifest, bagit.txt for a new bag). Renaming each one atomically is not
//! enough: a crash between two renames would leave the register and the manifests telling
//! different stories. So every new file is first written in full to `archive/.cchc/tam/` and
//! flushed; then the list of renames (the journal) is written atomically, which is the commit
//! point; then the renames run. Whoever opens the archive next (any `cchc archive` command,
//! under the same lock) finishes a journal it finds, or throws away staged files that never got
//! one. The archive is therefore always seen either before or after a registration, never half.

use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Working folder of the archive: lock, journal, staged files. Outside every bag, so BagIt
/// validators never see it.
pub const WORK_DIR: &str = ".cchc";
const LOCK: &str = "khoa";
const JOURNAL: &str = "nhat-ky.json";
const STAGING: &str = "tam";

/// A pause after every step of a registration, in milliseconds (0: none). The crash test
/// stretches the steps so that a kill lands inside the critical section; the command line
/// sets it from its environment (`CCHC_ARCHIVE_DELAY_MS`), the library never reads one.
static STEP_DELAY_MS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

pub fn set_step_delay_ms(ms: u64) {
    STEP_DELAY_MS.store(ms, std::sync::atomic::Ordering::Relaxed);
}

#[derive(Serialize, Deserialize)]
struct Journal {
    /// (staged file, destination), both relative to the archive folder, '/'-separated.
    doi_ten: Vec<(String, String)>,
}

/// The exclusive lock on an archive, held for the whole command. The operating system releases
/// it when the process ends, however it ends, so a killed `cchc` never leaves it stuck.
pub struct Lock {
    _file: File,
}

pub fn lock(root: &Path) -> io::Result<Lock> {
    let work = root.join(WORK_DIR);
    fs::create_dir_all(&work)?;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(work.join(LOCK))?;
    file.lock()?;
    Ok(Lock { _file: file })
}

/// Finish or undo whatever a killed process left. Returns true when an interrupted
/// registration was completed.
pub fn recover(root: &Path, _lock: &Lock) -> io::Result<bool> {
    let work = root.join(WORK_DIR);
    let journal = work.join(JOURNAL);
    let mut finished = false;
    if journal.exists() {
        let text = fs::read_to_string(&journal)?;
        let j: Journal = serde_json::from_str(&text)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        apply(root, &j)?;
        fs::remove_file(&journal)?;
        sync_dir(&work)?;
        finished = true;
    }
    let staging = work.join(STAGING);
    if staging.exists() {
        for entry in fs::read_dir(&staging)? {
            let entry = entry?;
            fs::remove_file(entry.path())?;
        }
        sync_dir(&staging)?;
    }
    Ok(finished)
}

/// A set of files to be replaced or created together.
pub struct Txn<'a> {
    root: &'a Path,
    renames: Vec<(String, String)>,
}

impl<'a> Txn<'a> {
    pub fn new(root: &'a Path, _lock: &'a Lock) -> Txn<'a> {
        Txn {
            root,
            renames: Vec::new(),
        }
    }

    /// Write `bytes` in full to a staged file that will become `dest` (relative to the
    /// archive folder) at commit.
    pub fn stage(&mut self, dest: &str, bytes: &[u8]) -> io::Result<()> {
        let staging = self.root.join(WORK_DIR).join(STAGING);
        fs::create_dir_all(&staging)?;
        let name = format!("{STAGING}/{}", self.renames.len());
        let mut f = File::create(self.root.join(WORK_DIR).join(&name))?;
        f.write_all(bytes)?;
        f.sync_all()?;
        pause();
        self.renames
            .push((format!("{WORK_DIR}/{name}"), dest.to_string()));
        Ok(())
    }

    /// Make every staged file take its place, or (if the process dies first) none of them.
    pub fn commit(self) -> io::Result<()> {
        let work = self.root.join(WORK_DIR);
        sync_dir(&work.join(STAGING))?;
        let j = Journal {
            doi_ten: self.renames,
        };
        let tmp = work.join(format!("{JOURNAL}.tmp"));
        let mut f = File::create(&tmp)?;
        f.write_all(
            serde_json::to_string(&j)
                .map_err(io::Error::other)?
                .as_bytes(),
        )?;
        f.sync_all()?;
        fs::rename(&tmp, work.join(JOURNAL))?;
        sync_dir(&work)?;
        pause();
        apply(self.root, &j)?;
        fs::remove_file(work.join(JOURNAL))?;
        sync_dir(&work)
    }
}

/// Idempotent: a staged file already moved (by an earlier, interrupted run) is skipped.
fn apply(root: &Path, j: &Journal) -> io::Result<()> {
    for (from, to) in &j.doi_ten {
        let from = root.join(from);
        let to: PathBuf = root.join(to);
        if !from.exists() {
            continue;
        }
        if let Some(dir) = to.parent() {
            if !dir.exists() {
                fs::create_dir_all(dir)?;
                if let Some(up) = dir.parent() {
                    sync_dir(up)?;
                }
            }
            fs::rename(&from, &to)?;
            sync_dir(dir)?;
        }
        pause();
    }
    Ok(())
}

/// A rename is durable only once its folder is flushed (POSIX); elsewhere there is no
/// folder handle to flush and the call is a no-op.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn pause() {
    let ms = STEP_DELAY_MS.load(std::sync::atomic::Ordering::Relaxed);
    if ms > 0 {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}
