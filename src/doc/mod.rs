//! The format-neutral document model shared by the DOCX and PDF writers.

pub mod grid;
mod markdown;
mod model;
mod specimen;

pub use markdown::{MarkdownError, from_markdown};
pub(crate) use markdown::{is_br, unsupported_html};
pub use model::*;
pub use specimen::specimen;
