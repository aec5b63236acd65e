//! The DOCX writer: [`write`] turns a [`Document`] into the bytes of a .docx file.
//!
//! docx-rs builds the parts; our own pass then fixes what it gets wrong or cannot express
//! (schema element order, repeated header rows, first-page headers of middle sections,
//! language, core properties) and repacks the archive deterministically. docx-rs is used only
//! inside this module, so its types never reach callers and it stays replaceable.

mod build;
mod measure;
mod package;
mod theme;
mod xml;

use crate::doc::Document;

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// A table whose cells and spans do not cover its columns exactly once per row.
    #[error("bảng {table} (phần {section}), dòng {row}: {message}")]
    Table {
        section: usize,
        table: usize,
        row: usize,
        message: String,
    },
    /// docx-rs could not serialise the document.
    #[error("không tạo được DOCX: {0}")]
    Build(String),
    /// A part written by docx-rs could not be re-read by the post-processing pass.
    #[error("lỗi XML trong {part}: {message}")]
    Xml { part: String, message: String },
    /// Reading or writing the zip container failed.
    #[error("lỗi nén DOCX: {0}")]
    Zip(String),
    /// The builder thread stopped without a result (a panic inside docx-rs).
    #[error("luồng tạo DOCX dừng bất thường")]
    Thread,
}

/// Writes `doc` as DOCX bytes. The same document always gives the same bytes.
pub fn write(doc: &Document) -> Result<Vec<u8>, DocxError> {
    // docx-rs numbers paragraphs from a thread-local counter that `build()` does not fully
    // reset, so a second document on the same thread would get other ids. A fresh thread per
    // document starts the counter from zero every time.
    let parts = std::thread::scope(|s| s.spawn(|| build::build(doc)).join())
        .map_err(|_| DocxError::Thread)??;
    package::repack(parts, &doc.meta)
}
