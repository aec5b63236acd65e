//! The format-neutral document model shared by the DOCX and PDF writers.

mod model;
mod specimen;

pub use model::*;
pub use specimen::specimen;
