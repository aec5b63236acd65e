//! The integration tests, one crate: each module runs the binary or the library on real
//! inputs and checks the outputs with real clients (poppler, qpdf, LibreOffice, python-docx,
//! pyHanko, bagit). One binary links the crate once, instead of once per file.

#[path = "../common/mod.rs"]
mod common;
#[path = "../ward2/mod.rs"]
mod ward2;

mod annual;
mod architecture;
mod archive;
mod data_side;
mod docx_specimen;
mod e2e_sample;
mod forms;
mod hostile;
mod multi_period;
mod onestop;
mod pades;
mod pdf_dump;
mod pdf_errors;
mod pdf_specimen;
mod plan_document;
mod render_report;
mod second_ward;
mod second_ward_fixture;
mod signature_field;
mod sources;
