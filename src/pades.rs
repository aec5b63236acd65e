//! Digital signatures inside a PDF (PAdES / adbe.pkcs7.detached): find them, check them.
//! Filled in by issue #6 (see `archive`).
