//! Writing a pack of documents: the number and date a report is issued with (and the rules
//! that protect a numbered report), then every document in every format rendered by one
//! worker per core, staged under temporary names and renamed only when all are ready, so an
//! error leaves no partial set. Front ends (the command line, a web page) call [`issue`] and
//! [`write_pack`] and print what they return.

use crate::doc::{Document, Section};
use crate::fonts::Fonts;
use crate::period::Period;
use crate::render::RenderOptions;
use crate::workspace::{Staged, Workspace};
use crate::{docx, layout, pdf, vn};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Why a pack could not be written, in Vietnamese; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PackError(pub String);

impl From<crate::workspace::WorkspaceError> for PackError {
    fn from(e: crate::workspace::WorkspaceError) -> Self {
        PackError(e.to_string())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Docx,
    Pdf,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// The number and date of the numbered report written for a period, kept beside its files
/// (`output/<kỳ>/.so-van-ban.json`): `cchc appendix` takes them from here, and a report with
/// another number does not replace it by accident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Issued {
    pub so: u32,
    pub ngay: NaiveDate,
}

pub const ISSUED_FILE: &str = ".so-van-ban.json";

/// The record of the numbered report in `out`, if one was written.
pub fn read_issued(out: &Path) -> Option<Issued> {
    let text = std::fs::read_to_string(out.join(ISSUED_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// What the office asked for: `--draft`, `--so`, `--ngay`, `--ghi-de`, and whether only the
/// appendices are written (`cchc appendix`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Request {
    pub draft: bool,
    pub so: Option<u32>,
    pub ngay: Option<NaiveDate>,
    pub overwrite: bool,
    pub appendices_only: bool,
}

/// How a report will be issued.
#[derive(Debug, Clone)]
pub struct Issue {
    pub options: RenderOptions,
    /// What the office should know, for standard error: "Chưa có --so và --ngay: lập bản DỰ
    /// THẢO …", "Thay Báo cáo số 12/BC-UBND … bằng …".
    pub notes: Vec<String>,
    /// The numbered report this one replaces (`--ghi-de`).
    pub replaces: Option<Issued>,
    /// The file name suffix: "quy-II-2024", "quy-II-2024-du-thao".
    pub slug: String,
    /// The record to write beside the files (a numbered report, not its appendices alone).
    pub record: Option<(PathBuf, Vec<u8>)>,
}

/// Decides the number, date and file names of the period's report from `req` and what was
/// already written: a numbered report needs both its number and date, and is otherwise a
/// draft under its own names; a number another period's report carries is refused; another
/// number or date for a period already numbered needs `overwrite`; a report cannot be signed
/// before its period begins.
pub fn issue(ws: &Workspace, period: Period, req: Request) -> Result<Issue, PackError> {
    let out_dir = ws.output_dir(&period);
    let issued = read_issued(&out_dir);
    let (from, period_end) = period.window(&ws.config.ky_bao_cao);
    let code = format!("/BC-{}", ws.config.co_quan.ky_hieu);
    let said = |i: &Issued| format!("số {}{code} ngày {}", i.so, vn::date_short(i.ngay));
    let mut notes = Vec::new();
    // A draft with no date is dated by its period's year only (its day and month are left
    // blank); its metadata and the date checks use the period's cut-off.
    let (number, date, draft) = match (req.draft, req.so, req.ngay) {
        (true, so, d) => {
            if let Some(n) = so {
                notes.push(format!("Bản dự thảo để trống số: bỏ qua --so {n}."));
            }
            (None, d.unwrap_or(period_end), true)
        }
        (false, Some(n), Some(d)) => (Some(n), d, false),
        (false, None, None) if req.appendices_only && issued.is_some() => {
            let i = issued.expect("checked");
            notes.push(format!(
                "Phụ lục kèm theo Báo cáo {} đã lập cho kỳ này (ghi tại {ISSUED_FILE}).",
                said(&i)
            ));
            (Some(i.so), i.ngay, false)
        }
        (false, None, None) => {
            notes.push(
                "Chưa có --so và --ngay: lập bản DỰ THẢO (tên tệp có \"-du-thao\", để trống số). \
                 Bản chính thức: thêm --so <số> --ngay <ngày ký>."
                    .into(),
            );
            (None, period_end, true)
        }
        (false, Some(_), None) => {
            return Err(PackError(
                "có --so nhưng thiếu --ngay: bản chính thức cần cả số và ngày ký (ví dụ --ngay \
                 2024-06-05); bản dự thảo thì dùng --du-thao"
                    .into(),
            ));
        }
        (false, None, Some(_)) => {
            return Err(PackError(
                "có --ngay nhưng thiếu --so: bản chính thức cần cả số và ngày ký (ví dụ --so 12); \
                 bản dự thảo thì dùng --du-thao"
                    .into(),
            ));
        }
    };
    // One number names one document: a number another period's report already carries (in
    // the same year) is refused, even with --ghi-de, which replaces this period's report only.
    if let Some(n) = number {
        for other in ws.periods_with_output() {
            if other == period || other.year != period.year {
                continue;
            }
            if let Some(i) = read_issued(&ws.output_dir(&other))
                && i.so == n
            {
                return Err(PackError(format!(
                    "số {n}{code} đã dùng cho báo cáo {} (output/{other}/, ngày {}): mỗi văn bản \
                     một số, chọn số khác cho báo cáo {}",
                    other.name(),
                    vn::date_short(i.ngay),
                    period.name()
                )));
            }
        }
    }
    let mut replaces = None;
    if let (Some(n), Some(old)) = (number, issued) {
        let new = Issued { so: n, ngay: date };
        if new != old {
            if !req.overwrite {
                return Err(PackError(format!(
                    "{} đã có Báo cáo {}; lập bản {} sẽ thay các tệp của bản đó: nếu đúng vậy, \
                     chạy lại với --ghi-de (bản dự thảo thì dùng --du-thao)",
                    out_dir.strip_prefix(&ws.root).unwrap_or(&out_dir).display(),
                    said(&old),
                    said(&new)
                )));
            }
            notes.push(format!(
                "Thay Báo cáo {} bằng Báo cáo {} (--ghi-de).",
                said(&old),
                said(&new)
            ));
            replaces = Some(old);
        }
    }
    // A report of results signed before its period began is a mistyped date.
    if date < from {
        return Err(PackError(format!(
            "ngày ký {} trước ngày bắt đầu của {} ({}): kiểm tra lại --ngay",
            vn::date_short(date),
            period.name(),
            vn::date_short(from)
        )));
    }
    let record = match (number, req.appendices_only) {
        (Some(so), false) => Some((
            out_dir.join(ISSUED_FILE),
            serde_json::to_string_pretty(&Issued { so, ngay: date })
                .map_err(|e| PackError(format!("lỗi nội bộ khi ghi {ISSUED_FILE}: {e}")))?
                .into_bytes(),
        )),
        _ => None,
    };
    Ok(Issue {
        options: RenderOptions {
            number,
            date,
            draft,
            blank_date: draft && req.ngay.is_none(),
        },
        notes,
        replaces,
        slug: if draft {
            format!("{}-du-thao", period.slug())
        } else {
            period.slug()
        },
        record,
    })
}

/// After a numbered report replaced another (`Issue::replaces`): its files in a format not
/// written now would still carry the old number under the same names, so they go. Returns
/// the files removed.
pub fn remove_stale(
    out: &Path,
    names: &[&str],
    written: &[Format],
) -> Result<Vec<PathBuf>, PackError> {
    let mut removed = Vec::new();
    for name in names {
        for format in [Format::Docx, Format::Pdf] {
            let stale = out.join(format!("{name}.{}", format.extension()));
            if !written.contains(&format) && stale.is_file() {
                std::fs::remove_file(&stale)
                    .map_err(|e| PackError(format!("không xóa được {}: {e}", stale.display())))?;
                removed.push(stale);
            }
        }
    }
    Ok(removed)
}

type Laid = Arc<Result<layout::Pages, layout::LayoutError>>;

/// One distinct section of the documents to write, laid out and written as WordprocessingML at
/// most once: `cchc report` puts each appendix both in the report and alone, and neither a
/// section's pages nor its DOCX body depend on the sections around it (each starts a page and
/// numbers its own pages).
struct SharedSection<'a> {
    doc: &'a Document,
    section: &'a Section,
    /// The pages once laid out, and how many PDFs still need them: nothing keeps them after
    /// the last one has drawn them.
    state: Mutex<(Option<Laid>, usize)>,
    /// The section's DOCX body, written by the first DOCX job that needs it (a second one
    /// waits for it instead of writing it again).
    docx: OnceLock<Result<docx::SectionXml, docx::TableError>>,
}

impl SharedSection<'_> {
    fn docx(&self) -> &Result<docx::SectionXml, docx::TableError> {
        self.docx
            .get_or_init(|| docx::section(self.section, &self.doc.style))
    }

    fn pages(&self, fonts: &Fonts) -> Laid {
        // Held while laying out, so that a second worker waits instead of doing it again.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let pages = match &state.0 {
            Some(p) => Arc::clone(p),
            None => {
                let alone = Document {
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

/// Writes each document of `docs` in each format to `out` as `<name>.docx` / `<name>.pdf`,
/// with `record` (a bookkeeping file) beside them, and returns the paths written, in the
/// documents' order, each DOCX before its PDF. Every file is rendered and staged before any
/// takes its name, so an error leaves no partial set; the documents are independent and are
/// rendered by one worker per core. `root` only shortens the paths in messages.
pub fn write_pack(
    root: &Path,
    out: &Path,
    docs: &[(String, Document)],
    formats: &[Format],
    fonts: &Fonts,
    record: Option<(PathBuf, Vec<u8>)>,
) -> Result<Vec<PathBuf>, PackError> {
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    crate::workspace::inside(root, out)?;
    crate::workspace::remove_stale_temporaries(out);
    let mut formats = formats.to_vec();
    formats.sort();
    formats.dedup();
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
                    docx: OnceLock::new(),
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
    jobs.sort_by_key(|&(d, f)| (f == Format::Docx, usize::MAX - docs[d].1.sections.len()));
    let pdf = |d: usize| -> Result<Vec<u8>, pdf::PdfError> {
        let doc = &docs[d].1;
        let mut writer = pdf::PdfWriter::new(&doc.meta, fonts, &pdf::PdfOptions::default())?;
        for &s in &doc_sections[d] {
            match &*sections[s].pages(fonts) {
                Ok(pages) => writer.pages(&pages.0)?,
                // The whole document again, so that the error is the one it always gave.
                Err(_) => return pdf::render(doc, fonts),
            }
        }
        writer.finish()
    };
    let run = |&(d, format): &(usize, Format)| -> Result<(PathBuf, Vec<u8>), PackError> {
        let (name, doc) = &docs[d];
        let path = out.join(format!("{name}.{}", format.extension()));
        let bytes = match format {
            Format::Docx => docx::write_sections(
                doc,
                &doc_sections[d]
                    .iter()
                    .map(|&s| sections[s].docx())
                    .collect::<Vec<_>>(),
            )
            .map_err(|e| e.to_string()),
            Format::Pdf => pdf(d).map_err(|e| e.to_string()),
        };
        bytes
            .map(|b| (path, b))
            .map_err(|e| PackError(format!("{name}.{}: {e}", format.extension())))
    };
    // All jobs at once would add their peak memory together; one worker per core does not.
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    // This thread writes each file to disk under a temporary name as soon as it is rendered,
    // while the workers go on: flushing a file to disk waits for the disk, which took as long
    // as rendering when the files were written one after the other at the end.
    type Done = ((usize, Format), Result<Staged, PackError>);
    let mut staged: Vec<Done> = Vec::new();
    let mut record_staged = None;
    std::thread::scope(|s| {
        type Rendered = ((usize, Format), Result<(PathBuf, Vec<u8>), PackError>);
        let (tx, rx) = std::sync::mpsc::channel::<Rendered>();
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
                // here on; the others start on other CPUs at once (see crate::par).
                if w + 1 < workers {
                    crate::par::spawn(s, work)
                } else {
                    s.spawn(work)
                }
            })
            .collect();
        drop(tx);
        // A bookkeeping file is flushed while the workers render, and renamed with the rest.
        record_staged = record.map(|(path, bytes)| Staged::write(&path, &bytes));
        for (job, written) in rx {
            let file = written.and_then(|(path, bytes)| Ok(Staged::write(&path, &bytes)?));
            staged.push((job, file));
        }
        for h in handles {
            // A worker that panicked has sent fewer results; that is caught below.
            let _ = h.join();
        }
    });
    if staged.len() != jobs.len() {
        return Err(PackError("lỗi nội bộ khi ghi văn bản".into()));
    }
    // Renamed in the documents' order, each DOCX before its PDF, and only when every file is
    // ready: an error leaves no partial set (the staged files are removed).
    staged.sort_by_key(|&((d, f), _)| (d, f));
    let files = staged
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Result<Vec<_>, _>>()?;
    // A rename that would fail is found before any is made: a folder where a file goes.
    if let Some(blocked) = files.iter().find(|f| f.path().is_dir()) {
        return Err(PackError(format!(
            "{}: đã có một thư mục trùng tên tệp này; đổi tên hoặc xóa thư mục đó rồi chạy lại \
             (chưa tệp nào được ghi)",
            shown(blocked.path())
        )));
    }
    let record = record_staged.transpose()?;
    let mut written = Vec::new();
    for file in files {
        let path = file.path().to_path_buf();
        file.commit()?;
        written.push(path);
    }
    if let Some(r) = record {
        r.commit()?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Block, Meta, Orientation, PageStyle, Paragraph, Run};

    fn document(title: &str, text: &str) -> Document {
        Document {
            meta: Meta {
                title: title.into(),
                author: "Ủy ban nhân dân phường An Bình".into(),
                subject: "Báo cáo".into(),
                language: "vi".into(),
                date: NaiveDate::from_ymd_opt(2024, 6, 5).unwrap(),
            },
            style: PageStyle::default(),
            sections: vec![Section {
                orientation: Orientation::Portrait,
                blocks: vec![Block::Paragraph(Paragraph::body(vec![Run::plain(text)]))],
            }],
        }
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    type Pack = (Vec<(String, Document)>, Option<(PathBuf, Vec<u8>)>);

    /// Two small documents and the numbered report's record, as `cchc report` writes them.
    fn report_and_appendix(out: &Path) -> Pack {
        let docs = vec![
            ("bao-cao".to_string(), document("Báo cáo", "Một")),
            ("phu-luc".to_string(), document("Phụ lục", "Hai")),
        ];
        (docs, Some((out.join(ISSUED_FILE), b"{}".to_vec())))
    }

    #[test]
    fn every_file_in_every_format_then_the_record() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output/2024-Q2");
        let (docs, record) = report_and_appendix(&out);
        let written = write_pack(
            tmp.path(),
            &out,
            &docs,
            &[Format::Pdf, Format::Docx, Format::Pdf],
            &Fonts::builtin(),
            record,
        )
        .unwrap();
        let names: Vec<String> = written
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["bao-cao.docx", "bao-cao.pdf", "phu-luc.docx", "phu-luc.pdf"]
        );
        // Nothing staged is left behind.
        assert_eq!(
            listing(&out),
            [
                ".so-van-ban.json",
                "bao-cao.docx",
                "bao-cao.pdf",
                "phu-luc.docx",
                "phu-luc.pdf"
            ]
        );
        assert!(
            std::fs::read(out.join("bao-cao.pdf"))
                .unwrap()
                .starts_with(b"%PDF-")
        );
    }

    #[test]
    fn a_file_that_cannot_take_its_name_leaves_nothing_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(out.join("phu-luc.pdf")).unwrap();
        let (docs, record) = report_and_appendix(&out);
        let e = write_pack(
            tmp.path(),
            &out,
            &docs,
            &[Format::Docx, Format::Pdf],
            &Fonts::builtin(),
            record,
        )
        .unwrap_err();
        assert!(
            e.0.starts_with("out/phu-luc.pdf: đã có một thư mục trùng tên tệp này"),
            "{e}"
        );
        assert_eq!(listing(&out), ["phu-luc.pdf"]);
        assert!(listing(&out.join("phu-luc.pdf")).is_empty());
    }

    #[test]
    fn stale_files_of_formats_not_written_go() {
        let tmp = tempfile::tempdir().unwrap();
        for f in ["a.docx", "a.pdf", "b.pdf"] {
            std::fs::write(tmp.path().join(f), b"x").unwrap();
        }
        let removed = remove_stale(tmp.path(), &["a", "b"], &[Format::Docx]).unwrap();
        assert_eq!(
            removed,
            [tmp.path().join("a.pdf"), tmp.path().join("b.pdf")]
        );
        assert_eq!(listing(tmp.path()), ["a.docx"]);
    }
}
