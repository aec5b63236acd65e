//! The command line's modules: the binary's, not the library's. They parse what the users
//! type, call the library and print its results.

pub mod archive;
pub mod args;
pub mod commands;
pub mod help;
pub mod inspect;
pub mod placement;
