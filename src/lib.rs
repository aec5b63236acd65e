//! cchc: the administrative-reform (CCHC) reports of a ward office, from the yearly plan and the
//! departments' workbooks to official DOCX and PDF documents (Decree 30/2020/NĐ-CP).
//!
//! # Steps
//! Data flows one way; each step is a module with one entry point and no I/O except where
//! noted:
//! 1. `config` reads `input/cchc.toml` (the office) into a [`Config`].
//! 2. `plan::parse` turns `input/ke-hoach.md` into a [`Plan`]: sections, tasks, deadlines,
//!    the index table.
//! 3. `sheets::read_workbook` reads one departmental workbook (calamine) into a
//!    [`Submission`] plus findings located at file › sheet › cell.
//! 4. `check::check` compares plan, submissions and period and returns every [`Finding`].
//! 5. `report::assemble` computes [`ReportData`]: every figure with its source.
//! 6. `render` fills a tera template (Markdown) with the report data and builds a
//!    [`doc::Document`] with the official frame.
//! 7. `docx::write` turns the document into DOCX bytes; `layout::layout` turns it into
//!    pages of positioned glyph runs, which `pdf::write` (krilla) turns into PDF bytes.
//! 8. The command layer (`main.rs`, `workspace`) reads files, writes outputs atomically and
//!    prints findings.
//!
//! After signing, `archive` registers the signed copy in a yearly BagIt bag (crash-safe), after
//! `pades` has checked its digital signatures and `archive::matching` has compared it with the
//! generated report; `pdf` leaves an empty signature field (`ChuKy1`) for the signing plugin.

pub mod archive;
pub mod check;
pub mod config;
pub mod doc;
pub mod docx;
pub mod finding;
pub mod fonts;
pub mod forms;
pub mod layout;
pub mod pack;
pub mod pades;
pub mod par;
pub mod pdf;
pub mod period;
pub mod plan;
pub mod progress;
pub mod render;
pub mod report;
pub mod sample;
pub mod sheets;
pub mod sources;
pub mod vn;
pub mod workbook;
pub mod workspace;

pub use config::Config;
pub use finding::{Finding, Loc, Severity};
pub use period::{Deadline, Period};
pub use plan::Plan;
