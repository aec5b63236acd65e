//! Digital signatures inside a PDF (PAdES / adbe.pkcs7.detached): find them, check them.
//!
//! Interface only: the verification lands with issue #6's signature work (branch `pades`);
//! until then every signature found is reported as not verified.

use serde::Serialize;
use std::path::Path;

/// Trust anchors: the certificates the office trusts (a PEM bundle it provides).
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    pems: usize,
}

impl Anchors {
    pub fn from_pem_file(path: &Path) -> Result<Anchors, PadesError> {
        let text = std::fs::read_to_string(path).map_err(|e| PadesError::Anchors {
            file: path.display().to_string(),
            why: e.to_string(),
        })?;
        Anchors::from_pem(&text)
    }
    pub fn from_pem(text: &str) -> Result<Anchors, PadesError> {
        Ok(Anchors {
            pems: text.matches("BEGIN CERTIFICATE").count(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chain {
    Trusted,
    Untrusted,
    NotChecked,
}

#[derive(Debug, Clone, Serialize)]
pub struct SignatureCheck {
    pub field: Option<String>,
    pub signer: Option<String>,
    pub signing_time: Option<String>,
    pub byte_range: Vec<u64>,
    pub digest_ok: bool,
    pub signature_ok: bool,
    pub intact: bool,
    pub whole_file: bool,
    pub modified_after_signing: bool,
    pub chain: Chain,
    pub revocation: &'static str,
    pub problems: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PadesError {
    #[error("tệp không phải PDF (không bắt đầu bằng %PDF-)")]
    NotPdf,
    #[error("tệp PDF bị cắt cụt (không có %%EOF ở cuối)")]
    Truncated,
    #[error("không đọc được tệp chứng thư tin cậy {file}: {why}")]
    Anchors { file: String, why: String },
}

pub fn inspect(pdf: &[u8], anchors: Option<&Anchors>) -> Result<Vec<SignatureCheck>, PadesError> {
    if !pdf.starts_with(b"%PDF-") {
        return Err(PadesError::NotPdf);
    }
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(PadesError::Truncated);
    }
    let _ = anchors.map(|a| a.pems);
    Ok(Vec::new())
}
