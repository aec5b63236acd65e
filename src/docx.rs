//! The DOCX writer: [`write`] turns a [`Document`] into the bytes of a .docx file.
//!
//! WordprocessingML is written straight from the model (`wml.rs`), each element's children in
//! schema order, then packed with fixed timestamps (`package.rs`). A section's body does not
//! depend on the document around it, so [`section`] writes it once and [`write_sections`] puts
//! it into every document that holds it: the report and its appendix alone.

mod measure;
mod package;
mod theme;
mod wml;

use crate::doc::{Document, PageStyle, Section};

pub use wml::{SectionXml, TableError};

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
    /// Writing the zip container failed.
    #[error("lỗi nén DOCX: {0}")]
    Zip(String),
}

/// Writes the body of one section (its blocks, without what ends the section).
pub fn section(section: &Section, style: &PageStyle) -> Result<SectionXml, TableError> {
    wml::section(section, style)
}

/// Writes `doc` as DOCX bytes. The same document always gives the same bytes.
pub fn write(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let bodies = doc
        .sections
        .iter()
        .map(|s| section(s, &doc.style))
        .collect::<Vec<_>>();
    write_sections(doc, &bodies.iter().collect::<Vec<_>>())
}

/// Writes `doc` from the bodies of its sections, as [`section`] wrote them, in order.
pub fn write_sections(
    doc: &Document,
    bodies: &[&Result<SectionXml, TableError>],
) -> Result<Vec<u8>, DocxError> {
    let mut ok = Vec::with_capacity(bodies.len());
    for (i, b) in bodies.iter().enumerate() {
        match b {
            Ok(b) => ok.push(b),
            Err(e) => {
                return Err(DocxError::Table {
                    section: i + 1,
                    table: e.table,
                    row: e.row,
                    message: e.message.clone(),
                });
            }
        }
    }
    package::pack(doc, &wml::document(doc, &ok))
}
