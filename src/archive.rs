//! The archive of signed copies: one BagIt 1.0 bag per year under `archive/<year>/`.
//! Filled in by issue #6.
