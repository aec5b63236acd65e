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
//! 8. `pack::issue` decides a report's number, date and file names; `pack::write_pack`
//!    writes every document in every format, all or nothing. `workspace` is where the inputs
//!    are read and files written; the command line (`main.rs`, `cli/`, the binary's, not the
//!    library's) parses requests, calls these and prints what they return.
//!
//! The workbooks' shape is declared once, in `sheets::contract`: every sheet's name, title and
//! columns (header, accepted header names, read or required, form width), and for Biểu 06 the
//! official numbers and identities. `workbook` writes them (forms and sample), the reader reads
//! them.
//! Dependencies point one way (`tests/it/architecture.rs` checks there is no cycle), and no
//! library module reads the environment.
//!
//! # Names
//! Code is in English; what a user types or reads is Vietnamese, mapped at the edge: the keys
//! of `cchc.toml` and the plan's front matter are the Vietnamese serde names of English-named
//! fields where they were added later (`#[serde(rename)]`), the template context keeps the
//! names templates already use (`tong_hop`, `chu_tri`, `van_ban`), messages, help and
//! documents are Vietnamese. The first settings types kept their Vietnamese field names
//! (`Unit::ma`, `Config::don_vi`) because serde maps them one to one; new code does not add
//! more. Command-line options are Vietnamese (`--ky`, `--thu-muc`, `--dinh-dang`, `--du-thao`,
//! `--so`, `--ngay`); the English spellings scripts already use (`--period`, `--workspace`,
//! `--format`, `--draft`) stay as visible aliases.
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
pub mod onestop;
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
pub use finding::{Finding, Kind, Loc, Severity};
pub use period::{Deadline, Period};
pub use plan::Plan;
