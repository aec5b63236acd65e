//! The register of signed copies (`so-dang-ky.json`, a tag file of the year's bag): one entry
//! per registered file, never removed; a superseded copy stays, marked with what replaced it.

use serde::{Deserialize, Serialize};

use crate::pades::SignatureCheck;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Register {
    /// Format version of this file.
    pub phien_ban: u32,
    pub van_ban: Vec<Entry>,
}

/// One registered signed copy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    /// Bag-relative payload path, e.g. "data/2024-06-05_12-BC-UBND.pdf".
    pub tep: String,
    /// Document number as printed, e.g. "12/BC-UBND".
    pub so: String,
    /// Document date, ISO (2024-06-05).
    pub ngay: String,
    /// Document type, e.g. "Báo cáo".
    pub loai: String,
    pub trich_yeu: String,
    /// Issuing body.
    pub co_quan: String,
    /// The signer as typed (cchc.toml or --nguoi-ky).
    pub nguoi_ky: String,
    /// The signers named by the digital signatures in the file (empty for a scanned copy).
    pub nguoi_ky_so: Vec<String>,
    pub kich_thuoc: u64,
    pub sha256: String,
    pub sha512: String,
    /// The generated report this copy was compared with.
    pub doi_chieu: Match,
    /// Digital signatures as checked at registration.
    pub chu_ky: Vec<SignatureSummary>,
    /// Name of the file the office registered (before renaming).
    pub tep_goc: String,
    /// Day of registration, ISO.
    pub ngay_dang_ky: String,
    /// Payload path of the copy this one replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thay_the: Option<String>,
    /// Payload path of the copy that replaced this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bi_thay_the_boi: Option<String>,
    /// Registered although the comparison with the generated report found differences.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chap_nhan_khac_biet: bool,
    /// Registered although it was changed after its last signature (`--chap-nhan-sua-sau-ky`);
    /// `sua_sau_ky` says what changed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chap_nhan_sua_sau_ky: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sua_sau_ky: Vec<String>,
    /// Why the document looked like another office's, registered with `--co-quan-khac`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_quan_khac: Vec<String>,
    /// The certificate names someone other than the printed signer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nguoi_ky_so_khac: bool,
    /// No digital signature: a scan of a paper signed by hand (`--ban-quet`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ban_quet: bool,
}

/// The comparison of a signed copy with the report cchc generated (see `matching`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Match {
    pub ket_qua: MatchVerdict,
    /// Workspace-relative path of the generated PDF, when one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ban_tao: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256_ban_tao: Option<String>,
    /// The signed copy starts with the generated file byte for byte (signed in place).
    pub giu_nguyen_tung_byte: bool,
    /// Differences found, in Vietnamese, at most a handful.
    pub khac_biet: Vec<String>,
}

impl Match {
    /// No generated report was compared (none with this number, or nothing to read).
    pub fn without_report(verdict: MatchVerdict) -> Match {
        Match {
            ket_qua: verdict,
            ban_tao: None,
            sha256_ban_tao: None,
            giu_nguyen_tung_byte: false,
            khac_biet: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MatchVerdict {
    /// Title, number, date and every figure agree.
    Khop,
    /// A generated report with this number exists but the text differs.
    KhacBanTao,
    /// No generated report with this number in output/.
    KhongCoBanTao,
    /// The PDF has no text layer (a scan): nothing to compare.
    BanQuet,
}

impl MatchVerdict {
    pub fn label(self) -> &'static str {
        match self {
            MatchVerdict::Khop => "khớp bản cchc tạo",
            MatchVerdict::KhacBanTao => "KHÁC bản cchc tạo",
            MatchVerdict::KhongCoBanTao => "không có bản tạo để đối chiếu",
            MatchVerdict::BanQuet => "bản quét, không đối chiếu chữ",
        }
    }
}

/// What the register keeps of a signature (the full check is redone by `verify`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SignatureSummary {
    pub signer: Option<String>,
    pub signing_time: Option<String>,
    pub intact: bool,
    pub whole_file: bool,
    pub modified_after_signing: bool,
    pub chain: String,
}

impl From<&SignatureCheck> for SignatureSummary {
    fn from(s: &SignatureCheck) -> Self {
        SignatureSummary {
            signer: s.signer.clone(),
            signing_time: s.signing_time.clone(),
            intact: s.intact,
            whole_file: s.whole_file,
            modified_after_signing: s.modified_after_signing,
            chain: serde_json::to_value(&s.chain)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        }
    }
}

impl Register {
    pub fn parse(text: &str) -> Result<Register, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn render(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The live (not superseded) entry for a document number, compared on the folded number.
    pub fn live(&self, number: &str) -> Option<&Entry> {
        let key = crate::vn::fold(number);
        self.van_ban
            .iter()
            .find(|e| e.bi_thay_the_boi.is_none() && crate::vn::fold(&e.so) == key)
    }
}
