//! Departmental workbooks (.xlsx, .xlsm, .xls, .ods) read with calamine into [`Submission`]s,
//! forgivingly: sheets and header rows found by text, columns by header synonyms in any order,
//! two-level merged headers read as "Group / Column", numbers and dates given as text, NFC.
//! Every problem is a finding located at file › sheet › cell.

pub mod contract;
mod types;

pub use types::*;
mod ledger;
mod open;
mod read;

pub use contract::Col;
pub use read::{normalise_code, parse_number_text, read_input, read_workbook};
