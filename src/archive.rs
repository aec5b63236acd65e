//! The archive of signed copies: one BagIt 1.0 bag per year under `archive/<year>/` (RFC 8493),
//! so that any BagIt validator can check it without cchc.
//!
//! - [`check_file`] reads a signed PDF: its digital signatures ([`crate::pades`]), its number,
//!   date and text, and compares it with the report cchc generated ([`matching`]).
//! - [`add`] registers it: the payload under an ASCII name, both manifests, bag-info, the register
//!   ([`register`], a tag file) and the tag manifest, all in one crash-safe step (`txn`). A
//!   registered file is never overwritten or removed; a second copy of a document is refused
//!   unless it supersedes the first, which both entries record.
//! - [`verify`] rechecks every bag and [`list`] reads the registers.
//!
//! Every command takes the archive's lock and first finishes (or undoes) a registration that a
//! killed process left half-done.

pub mod bag;
pub mod matching;
pub mod register;
mod txn;
pub use txn::set_step_delay_ms;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::pades::{self, Anchors, Chain, SignatureCheck};
use bag::Manifest;
use matching::PdfFacts;
use register::{Entry, Match, MatchVerdict, Register, SignatureSummary};

/// The archive folder of a workspace.
pub const ARCHIVE_DIR: &str = "archive";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("không đọc được {path}: {why}")]
    Read { path: String, why: String },
    #[error("không ghi được vào kho lưu trữ {path}: {why}")]
    Write { path: String, why: String },
    #[error("{path}: tệp của kho lưu trữ bị hỏng: {why}")]
    Damaged { path: String, why: String },
    #[error("không lưu {path}:\n{}", .reasons.iter().map(|r| format!("  - {r}")).collect::<Vec<_>>().join("\n"))]
    Refused { path: String, reasons: Vec<String> },
}

pub type Result<T> = std::result::Result<T, ArchiveError>;

/// What cchc finds in one PDF: the verdict `archive check` prints and `archive add` acts on.
#[derive(Debug, Clone, Serialize)]
pub struct FileCheck {
    pub path: String,
    pub sha256: String,
    pub size: u64,
    /// Document number ("12/BC-UBND"), from the text or as typed.
    pub number: Option<String>,
    /// Document date, ISO.
    pub date: Option<String>,
    pub title: Option<String>,
    pub signatures: Vec<SignatureCheck>,
    #[serde(rename = "match")]
    pub matching: Option<Match>,
    /// Reasons not to archive the file (a broken signature, a copy that differs from the
    /// generated report, an unreadable file). Empty when it can be registered.
    pub problems: Vec<String>,
    /// Worth knowing, not blocking (a scan, no generated report to compare with).
    pub notes: Vec<String>,
    /// What was changed after the last signature (descriptive metadata, content), as said;
    /// empty when nothing but signature maintenance was appended.
    pub changed_after_signing: Vec<String>,
    /// The header block or the printed signer is not this office's (`input/cchc.toml`).
    pub other_office: Vec<String>,
    /// Whether the text names the issuing body of `input/cchc.toml` and the printed signer
    /// (true when there is no text to read: a scan is what the office says it is).
    pub issuer_on_document: bool,
    pub signer_on_document: bool,
    /// The certificate names someone other than the printed signer.
    pub signer_differs: bool,
    /// No digital signature: registered only as a scan of a hand-signed paper (`--ban-quet`).
    pub unsigned: bool,
}

impl FileCheck {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// `what`, with its `details` one a line: a problem that names the option (`flag`) to go
    /// ahead anyway, or, when the office gave that option, a note that it did.
    fn accept_or_refuse(&mut self, what: &str, details: &[String], allowed: bool, flag: &str) {
        let head = if allowed {
            format!("{what} ({flag}: vẫn lưu, ghi vào sổ):")
        } else {
            format!("{what}:")
        };
        let mut lines = vec![head];
        lines.extend(details.iter().map(|d| format!("    {d}")));
        if allowed {
            self.notes.push(lines.join("\n"));
        } else {
            lines.push(format!(
                "    nếu vẫn cần lưu bản này, chạy lại với {flag} (ghi vào sổ)"
            ));
            self.problems.push(lines.join("\n"));
        }
    }
}

/// What the office typed about a copy; everything left out is read from the PDF.
#[derive(Debug, Clone, Default)]
pub struct Claims {
    /// "12/BC-UBND" or just "12" (the code is added from cchc.toml).
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
    /// The signer's name as typed (default: cchc.toml's signer).
    pub signer: Option<String>,
    /// The office says the file is a scan of a paper signed by hand (`--ban-quet`): it has no
    /// digital signature, and its text layer (if any) must still agree with the number and
    /// date.
    pub scan: bool,
}

/// What the office accepts knowingly; each is recorded in the register.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allow {
    /// The text differs from the generated report (`--chap-nhan-khac`).
    pub differences: bool,
    /// Changed after the last signature (`--chap-nhan-sua-sau-ky`).
    pub modified: bool,
    /// Another office's document (`--co-quan-khac`).
    pub other_office: bool,
}

/// Options of `archive add`.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    pub claims: Claims,
    /// Register even though a live copy of the same number exists; the old one is kept and
    /// marked as superseded.
    pub supersede: bool,
    pub allow: Allow,
}

/// "12" -> "12/BC-UBND" with the report code and the issuer's code; a full number is kept.
pub fn full_number(typed: &str, config: &Config) -> String {
    let typed = crate::vn::nfc(typed.trim());
    if typed.chars().all(|c| c.is_ascii_digit()) {
        format!("{typed}/BC-{}", config.co_quan.ky_hieu)
    } else {
        typed
    }
}

/// Inspect a PDF without registering it.
pub fn check_file(
    workspace: &Path,
    config: &Config,
    file: &Path,
    claims: &Claims,
    anchors: Option<&Anchors>,
    allow: Allow,
) -> Result<(FileCheck, Vec<u8>)> {
    let bytes = fs::read(file).map_err(|e| read_err(file, e))?;
    let mut check = FileCheck {
        path: file.display().to_string(),
        sha256: bag::sha256_hex(&bytes),
        size: bytes.len() as u64,
        number: None,
        date: None,
        title: None,
        signatures: Vec::new(),
        matching: None,
        problems: Vec::new(),
        notes: Vec::new(),
        changed_after_signing: Vec::new(),
        other_office: Vec::new(),
        issuer_on_document: true,
        signer_on_document: true,
        signer_differs: false,
        unsigned: false,
    };
    // A file no PDF reader can follow (an xref loop, a startxref into the header, nesting
    // without end) is broken, never a "scan".
    if !bytes
        .get(..1024)
        .unwrap_or(&bytes)
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        check
            .problems
            .push("không phải tệp PDF (không có dòng đầu %PDF-)".into());
        return Ok((check, bytes));
    }
    let broken = pades::structure_problems(&bytes);
    if !broken.is_empty() {
        check.problems.extend(
            broken
                .into_iter()
                .map(|p| format!("tệp PDF bị hỏng, không đọc được: {p}")),
        );
        return Ok((check, bytes));
    }
    match pades::inspect(&bytes, anchors) {
        Ok(sigs) => check.signatures = sigs,
        Err(e) => {
            check.problems.push(e.to_string());
            return Ok((check, bytes));
        }
    }
    for (n, s) in check.signatures.iter().enumerate() {
        let (problems, changes) = signature_problems(n, s, anchors.is_some());
        check.problems.extend(problems);
        check.changed_after_signing.extend(changes);
    }
    if !check.changed_after_signing.is_empty() {
        let changes = check.changed_after_signing.clone();
        check.accept_or_refuse(
            "văn bản bị sửa sau khi ký",
            &changes,
            allow.modified,
            "--chap-nhan-sua-sau-ky",
        );
    }
    let typed_signer = claims.signer.as_deref().unwrap_or(&config.ky.ho_ten);
    let signers: Vec<&str> = check
        .signatures
        .iter()
        .filter_map(|s| s.signer.as_deref())
        .collect();
    // Certificates often add titles or the office to the name, so containment is enough.
    if !signers.is_empty()
        && !signers
            .iter()
            .any(|s| crate::vn::fold(s).contains(&crate::vn::fold(typed_signer)))
    {
        check.signer_differs = true;
        check.notes.push(format!(
            "người ký theo chữ ký số ({}) không phải người ký ghi trên văn bản ({typed_signer})",
            signers.join(", ")
        ));
    }
    if check.signatures.is_empty() {
        check.unsigned = true;
        if claims.scan {
            check
                .notes
                .push("không có chữ ký số: lưu là bản giấy ký tay rồi quét (--ban-quet)".into());
        }
    }

    // The document is what its last signature covers: number, date, title and text are read
    // from those bytes, never from anything appended after it.
    let signed_end = check
        .signatures
        .iter()
        .filter(|s| s.intact && s.byte_range.len() == 4)
        .map(|s| (s.byte_range[2] + s.byte_range[3]) as usize)
        .filter(|end| *end <= bytes.len())
        .max()
        .unwrap_or(bytes.len());
    let facts = match matching::read_facts(&bytes[..signed_end]) {
        Ok(f) => f,
        Err(why) => {
            check.problems.push(why);
            PdfFacts::default()
        }
    };
    check.title = facts.title.clone();
    if facts.has_text() {
        let text = crate::vn::fold(&facts.text);
        let mut other = Vec::new();
        for line in &config.co_quan.ban_hanh {
            if !text.contains(&crate::vn::fold(line)) {
                check.issuer_on_document = false;
                other.push(format!(
                    "phần đầu văn bản không có \"{line}\" (tên cơ quan ban hành trong input/cchc.toml)"
                ));
            }
        }
        if !text.contains(&crate::vn::fold(typed_signer)) {
            check.signer_on_document = false;
            other.push(format!(
                "văn bản không ghi người ký {typed_signer}{}",
                if claims.signer.is_some() {
                    ""
                } else {
                    " (người ký trong input/cchc.toml; người khác ký thì ghi --nguoi-ky)"
                }
            ));
        }
        if !other.is_empty() {
            check.accept_or_refuse(
                &format!("văn bản có vẻ không phải của {}", config.co_quan.ten_day_du),
                &other,
                allow.other_office,
                "--co-quan-khac",
            );
            check.other_office = other;
        }
    }
    let typed_number = claims.number.as_deref().map(|n| full_number(n, config));
    let read_number = matching::number_in(&facts.text);
    if let (Some(t), Some(r)) = (&typed_number, &read_number)
        && !matching::same_number(t, r)
    {
        check
            .problems
            .push(format!("đã ghi số {t} nhưng văn bản ghi \"Số: {r}\""));
    }
    let read_date = matching::date_in(&facts.text);
    if let (Some(t), Some(r)) = (claims.date, read_date)
        && t != r
    {
        check.problems.push(format!(
            "đã ghi ngày {} nhưng văn bản ghi {}",
            crate::vn::date_short(t),
            crate::vn::date_long(r)
        ));
    }
    let number = typed_number.or(read_number);
    let date = claims.date.or(read_date);
    check.number = number.clone();
    check.date = date.map(|d| d.to_string());

    if !facts.has_text() {
        check.notes.push(
            "PDF không có lớp chữ (bản quét): không đối chiếu được nội dung với bản cchc tạo"
                .into(),
        );
    }
    if let Some(number) = &number {
        let mut generated = matching::find_generated(workspace, number);
        // Prefer the generated report of the same date; a number reused across years is
        // otherwise ambiguous.
        generated.sort_by_key(|g| matching::date_in(&g.facts.text) != date);
        match generated.first() {
            Some(g) => {
                // A scan has no text of its own: its title is the report it was printed from.
                if check.title.is_none() && !facts.has_text() {
                    check.title = g.facts.title.clone();
                }
                let m = matching::compare(&bytes, &facts, g);
                match m.ket_qua {
                    MatchVerdict::KhacBanTao => {
                        let mut lines = vec![format!(
                            "bản ký khác bản cchc tạo ({}), có thể là bản cũ hoặc đã bị sửa:",
                            g.path
                        )];
                        lines.extend(m.khac_biet.iter().map(|d| format!("    {d}")));
                        if allow.differences {
                            check.notes.extend(lines);
                        } else {
                            check.problems.push(lines.join("\n"));
                        }
                    }
                    MatchVerdict::BanQuet => {}
                    MatchVerdict::Khop if m.giu_nguyen_tung_byte => check.notes.push(
                        if check.changed_after_signing.is_empty() {
                            format!(
                                "bản ký giữ nguyên từng byte của bản cchc tạo ({}), chỉ thêm phần ký",
                                g.path
                            )
                        } else {
                            format!(
                                "phần đã ký giữ nguyên từng byte của bản cchc tạo ({}), nhưng sau đó \
                                 tệp bị sửa (xem trên)",
                                g.path
                            )
                        },
                    ),
                    MatchVerdict::Khop => check.notes.push(format!(
                        "nội dung (số, ngày, trích yếu, số liệu) khớp bản cchc tạo ({})",
                        g.path
                    )),
                    MatchVerdict::KhongCoBanTao => {}
                }
                check.matching = Some(m);
            }
            None => {
                check.notes.push(format!(
                    "không có báo cáo số {number} trong output/ để đối chiếu"
                ));
                check.matching = Some(Match::without_report(if facts.has_text() {
                    MatchVerdict::KhongCoBanTao
                } else {
                    MatchVerdict::BanQuet
                }));
            }
        }
    }
    if check.unsigned {
        let same_bytes = check
            .matching
            .as_ref()
            .filter(|m| m.giu_nguyen_tung_byte)
            .and_then(|m| m.ban_tao.clone());
        if let Some(generated) = same_bytes {
            check.problems.push(format!(
                "bản chưa ký: tệp giống hệt bản cchc tạo ({generated}) và không có chữ ký số; \
                 trình ký rồi lưu bản đã ký"
            ));
        } else if !claims.scan {
            check.problems.push(
                "tệp không có chữ ký số: nếu là bản giấy ký tay rồi quét, chạy lại với --ban-quet \
                 (và --so, --ngay nếu bản quét không có chữ)"
                    .into(),
            );
        }
    }
    Ok((check, bytes))
}

/// What is wrong with one signature (problems), and what was changed after it (changes:
/// refused unless the office accepts them knowingly).
fn signature_problems(
    n: usize,
    s: &SignatureCheck,
    anchors_given: bool,
) -> (Vec<String>, Vec<String>) {
    let name = s
        .field
        .clone()
        .or_else(|| s.signer.clone())
        .unwrap_or_else(|| format!("thứ {}", n + 1));
    // The verifier's sentences already name the signature; those about changes after
    // signing are set apart, for the office may accept them knowingly.
    let said_change = |p: &str| {
        s.metadata_changes
            .iter()
            .chain(&s.content_changes)
            .any(|c| p.ends_with(c.as_str()))
            || p.ends_with("thay đổi khác sau khi ký")
    };
    let mut out: Vec<String> = s
        .problems
        .iter()
        .filter(|p| !said_change(p))
        .cloned()
        .collect();
    let mut changes: Vec<String> = s
        .metadata_changes
        .iter()
        .chain(&s.content_changes)
        .map(|c| format!("chữ ký “{name}”: {c}"))
        .collect();
    if s.modified_after_signing && changes.is_empty() {
        changes.push(format!(
            "chữ ký \"{name}\": văn bản bị sửa nội dung sau khi ký (có phần ghi thêm)"
        ));
    }
    if out.is_empty() {
        if !s.intact {
            out.push(format!(
                "chữ ký \"{name}\" không còn nguyên vẹn: nội dung đã bị sửa sau khi ký"
            ));
        }
        if anchors_given && s.chain == Chain::Untrusted {
            out.push(format!(
                "chữ ký \"{name}\": chứng thư không thuộc danh sách tin cậy của cơ quan"
            ));
        }
    }
    (out, changes)
}

/// The result of a registration.
#[derive(Debug, Clone, Serialize)]
pub struct Added {
    pub check: FileCheck,
    /// The bag folder, workspace-relative.
    pub bag: String,
    pub entry: Entry,
    /// An interrupted registration was finished before this one.
    pub recovered: bool,
}

/// Register a signed copy. Nothing is written unless every check passes.
pub fn add(
    workspace: &Path,
    config: &Config,
    file: &Path,
    options: &AddOptions,
    anchors: Option<&Anchors>,
    today: NaiveDate,
) -> Result<Added> {
    let root = workspace.join(ARCHIVE_DIR);
    // Everything about the file is decided before the archive is touched: a refused file
    // leaves no folder, lock or journal behind.
    let (mut check, bytes) = check_file(
        workspace,
        config,
        file,
        &options.claims,
        anchors,
        options.allow,
    )?;
    let refuse = |reasons: Vec<String>| ArchiveError::Refused {
        path: file.display().to_string(),
        reasons,
    };
    // A file refused for what it is needs no advice about its number and date.
    if !check.ok() {
        return Err(refuse(check.problems));
    }
    if check.number.is_none() {
        check.problems.push(
            "không đọc được số văn bản trong tệp: ghi rõ bằng --so (ví dụ --so 12/BC-UBND)".into(),
        );
    }
    let Some(date) = check
        .date
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
    else {
        check.problems.push(
            "không đọc được ngày văn bản trong tệp: ghi rõ bằng --ngay (ví dụ --ngay 2024-06-05)"
                .into(),
        );
        return Err(refuse(check.problems));
    };
    if !check.ok() {
        return Err(refuse(check.problems));
    }
    let (lock, recovered) = open(&root)?;
    let number = check.number.clone().unwrap_or_default();

    let year = date.year();
    let bag_rel = format!("{year}");
    let bag_dir = root.join(&bag_rel);
    let state = BagState::read(&bag_dir)?;
    // A bag whose tag files name paths outside its data/ folder was edited by hand: cchc acts
    // on nothing it names (`verify` says the same).
    let outside = state.outside_paths();
    if !outside.is_empty() {
        return Err(ArchiveError::Damaged {
            path: format!("{ARCHIVE_DIR}/{bag_rel}"),
            why: format!(
                "{}; kiểm tra bằng \"cchc archive verify\" trước khi lưu thêm",
                outside.join("; ")
            ),
        });
    }
    let mut reg = state.register.clone();
    if let Some(e) = reg.van_ban.iter().find(|e| e.sha256 == check.sha256) {
        return Err(refuse(vec![format!(
            "tệp này đã được lưu ngày {} ({ARCHIVE_DIR}/{}/{})",
            e.ngay_dang_ky
                .parse::<NaiveDate>()
                .map(crate::vn::date_short)
                .unwrap_or_else(|_| e.ngay_dang_ky.clone()),
            bag_rel,
            e.tep
        )]));
    }
    let live = reg.live(&number);
    let replaced = live.map(|e| e.tep.clone());
    if let Some(e) = live
        && !options.supersede
    {
        let stored = format!("{ARCHIVE_DIR}/{bag_rel}/{}", e.tep);
        // A copy of another date is most likely another document given the same number by
        // mistake, not a new version of this one: --thay-the is not the advice then.
        return Err(refuse(vec![if e.ngay != date.to_string() {
            format!(
                "văn bản số {number} đã có bản lưu ngày {} ({stored}), còn bản này ghi ngày {}: \
                 hai văn bản khác nhau mang cùng một số? kiểm tra lại số văn bản; chỉ khi bản này \
                 thật sự thay thế bản đã lưu mới chạy lại với --thay-the",
                e.ngay
                    .parse::<NaiveDate>()
                    .map(crate::vn::date_short)
                    .unwrap_or_else(|_| e.ngay.clone()),
                crate::vn::date_short(date)
            )
        } else {
            format!(
                "văn bản số {number} đã có bản lưu ({stored}); nếu bản này thay thế bản đó, chạy lại với --thay-the"
            )
        }]));
    }

    let stem = bag::payload_stem(date, &number);
    let mut name = format!("data/{stem}.pdf");
    let mut version = 2;
    while state.sha256.contains_key(&name) || bag_dir.join(&name).exists() {
        name = format!("data/{stem}_ban-{version}.pdf");
        version += 1;
    }

    let title = check.title.clone().unwrap_or_default();
    let (kind, summary) = matching::type_and_summary(&title);
    let entry = Entry {
        tep: name.clone(),
        so: number.clone(),
        ngay: date.to_string(),
        loai: kind,
        trich_yeu: summary,
        // Only what the document says: another office's name or signer is left blank rather
        // than filled in from this workspace's settings.
        co_quan: if check.issuer_on_document {
            config.co_quan.ten_day_du.clone()
        } else {
            String::new()
        },
        nguoi_ky: if check.signer_on_document {
            options
                .claims
                .signer
                .clone()
                .unwrap_or_else(|| config.ky.ho_ten.clone())
        } else {
            String::new()
        },
        nguoi_ky_so: check
            .signatures
            .iter()
            .filter_map(|s| s.signer.clone())
            .collect(),
        kich_thuoc: bytes.len() as u64,
        sha256: check.sha256.clone(),
        sha512: bag::sha512_hex(&bytes),
        doi_chieu: check
            .matching
            .clone()
            .unwrap_or_else(|| Match::without_report(MatchVerdict::KhongCoBanTao)),
        chu_ky: check
            .signatures
            .iter()
            .map(SignatureSummary::from)
            .collect(),
        tep_goc: file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        ngay_dang_ky: today.to_string(),
        thay_the: replaced.clone(),
        bi_thay_the_boi: None,
        chap_nhan_sua_sau_ky: !check.changed_after_signing.is_empty(),
        sua_sau_ky: check.changed_after_signing.clone(),
        co_quan_khac: check.other_office.clone(),
        nguoi_ky_so_khac: check.signer_differs,
        ban_quet: check.unsigned,
        chap_nhan_khac_biet: options.allow.differences
            && check
                .matching
                .as_ref()
                .is_some_and(|m| m.ket_qua == MatchVerdict::KhacBanTao),
    };
    if let Some(old) = &replaced
        && let Some(e) = reg.van_ban.iter_mut().find(|e| &e.tep == old)
    {
        e.bi_thay_the_boi = Some(name.clone());
    }
    reg.phien_ban = 1;
    reg.van_ban.push(entry.clone());

    let mut sha256 = state.sha256.clone();
    let mut sha512 = state.sha512.clone();
    sha256.insert(name.clone(), entry.sha256.clone());
    sha512.insert(name.clone(), entry.sha512.clone());
    let mut sizes: Vec<u64> = bag::payload_files(&bag_dir)
        .map_err(|e| read_err(&bag_dir, e))?
        .into_iter()
        .filter(|(p, _)| sha256.contains_key(p))
        .map(|(_, s)| s)
        .collect();
    sizes.push(entry.kich_thuoc);
    let info = bag_info(&state.info, config, year, today, bag::oxum(sizes));

    let tag_files: Vec<(&str, Vec<u8>)> = vec![
        (bag::BAGIT_TXT, bag::BAGIT_DECLARATION.as_bytes().to_vec()),
        (bag::BAG_INFO, info.into_bytes()),
        (
            bag::MANIFEST_256,
            bag::render_manifest(&sha256).into_bytes(),
        ),
        (
            bag::MANIFEST_512,
            bag::render_manifest(&sha512).into_bytes(),
        ),
        (bag::REGISTER, reg.render().into_bytes()),
    ];
    let tag_manifest: Manifest = tag_files
        .iter()
        .map(|(n, b)| (n.to_string(), bag::sha256_hex(b)))
        .collect();

    let mut t = txn::Txn::new(&root, &lock);
    let stage = |t: &mut txn::Txn, rel: &str, b: &[u8]| {
        t.stage(&format!("{bag_rel}/{rel}"), b)
            .map_err(|e| write_err(&root, e))
    };
    // The payload goes first and the tag manifest last, so an interrupted roll-forward that a
    // BagIt tool looks at before cchc recovers shows an unregistered file, never a registered
    // one that is missing.
    stage(&mut t, &name, &bytes)?;
    for (rel, b) in &tag_files {
        stage(&mut t, rel, b)?;
    }
    stage(
        &mut t,
        bag::TAG_MANIFEST,
        bag::render_manifest(&tag_manifest).as_bytes(),
    )?;
    t.commit().map_err(|e| write_err(&root, e))?;
    // A registered copy is never edited: read-only for everyone (the manifests would tell,
    // but a file that cannot be saved over by accident is better than one that can).
    let payload = bag_dir.join(&name);
    if let Ok(meta) = fs::metadata(&payload) {
        let mut perms = meta.permissions();
        perms.set_readonly(true);
        let _ = fs::set_permissions(&payload, perms);
    }
    Ok(Added {
        check,
        bag: format!("{ARCHIVE_DIR}/{bag_rel}"),
        entry,
        recovered,
    })
}

fn bag_info(
    old: &[(String, String)],
    config: &Config,
    year: i32,
    today: NaiveDate,
    oxum: String,
) -> String {
    let ours = [
        ("Source-Organization", config.co_quan.ten_day_du.clone()),
        (
            "External-Description",
            format!(
                "Bản đã ký của các văn bản năm {year} của {}, lưu bằng cchc",
                config.co_quan.ten_ngan
            ),
        ),
        ("Bagging-Date", today.to_string()),
        ("Payload-Oxum", oxum),
        (
            "Bag-Software-Agent",
            format!("cchc {}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    let mut fields: Vec<(String, String)> = ours
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    // Labels someone else added (Contact-Name, Internal-Sender-Identifier ...) are kept.
    for (k, v) in old {
        if !ours.iter().any(|(o, _)| o.eq_ignore_ascii_case(k)) {
            fields.push((k.clone(), v.clone()));
        }
    }
    bag::render_bag_info(&fields)
}

/// A bag as read from disk (missing files read as empty).
struct BagState {
    register: Register,
    sha256: Manifest,
    sha512: Manifest,
    info: Vec<(String, String)>,
}

impl BagState {
    /// Paths the register or the manifests name that are not payload files of this bag.
    fn outside_paths(&self) -> Vec<String> {
        let named = self
            .register
            .van_ban
            .iter()
            .flat_map(|e| {
                [
                    Some(&e.tep),
                    e.thay_the.as_ref(),
                    e.bi_thay_the_boi.as_ref(),
                ]
            })
            .flatten()
            .chain(self.sha256.keys())
            .chain(self.sha512.keys());
        let mut out: Vec<String> = named.filter_map(|p| bag::payload_path_problem(p)).collect();
        out.sort();
        out.dedup();
        out
    }

    fn read(dir: &Path) -> Result<BagState> {
        let text = |name: &str| -> Result<Option<String>> {
            let p = dir.join(name);
            match fs::read(&p) {
                Ok(b) => String::from_utf8(b)
                    .map(Some)
                    .map_err(|_| ArchiveError::Damaged {
                        path: p.display().to_string(),
                        why: "không phải văn bản UTF-8".into(),
                    }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(read_err(&p, e)),
            }
        };
        let damaged = |name: &str, why: String| ArchiveError::Damaged {
            path: dir.join(name).display().to_string(),
            why,
        };
        let register = match text(bag::REGISTER)? {
            Some(t) => Register::parse(&t).map_err(|w| damaged(bag::REGISTER, w))?,
            None => Register::default(),
        };
        let manifest = |name: &str| -> Result<Manifest> {
            match text(name)? {
                Some(t) => bag::parse_manifest(&t).map_err(|w| damaged(name, w)),
                None => Ok(Manifest::new()),
            }
        };
        Ok(BagState {
            register,
            sha256: manifest(bag::MANIFEST_256)?,
            sha512: manifest(bag::MANIFEST_512)?,
            info: text(bag::BAG_INFO)?
                .map(|t| bag::parse_bag_info(&t))
                .unwrap_or_default(),
        })
    }
}

/// The registers of every year, oldest first.
pub fn list(workspace: &Path) -> Result<Vec<(i32, Entry)>> {
    let root = workspace.join(ARCHIVE_DIR);
    if !root.exists() {
        return Ok(Vec::new());
    }
    let _lock = open(&root)?;
    let mut out = Vec::new();
    for (year, dir) in bags(&root)? {
        let state = BagState::read(&dir)?;
        out.extend(state.register.van_ban.into_iter().map(|e| (year, e)));
    }
    Ok(out)
}

fn bags(root: &Path) -> Result<Vec<(i32, PathBuf)>> {
    let mut out = Vec::new();
    for e in fs::read_dir(root).map_err(|e| read_err(root, e))?.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if let Ok(year) = name.parse::<i32>()
            && name.len() == 4
            && e.path().is_dir()
        {
            out.push((year, e.path()));
        }
    }
    out.sort();
    Ok(out)
}

/// `archive verify`: every bag, every file.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// An interrupted registration was finished first.
    pub recovered: bool,
    pub bags: Vec<BagReport>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.bags.iter().all(|b| b.problems.is_empty())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BagReport {
    pub year: i32,
    pub path: String,
    pub files: Vec<VerifiedFile>,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VerifiedFile {
    pub path: String,
    pub sha256: String,
    pub signatures: Vec<SignatureCheck>,
}

pub fn verify(workspace: &Path, anchors: Option<&Anchors>) -> Result<VerifyReport> {
    let root = workspace.join(ARCHIVE_DIR);
    if !root.exists() {
        return Ok(VerifyReport {
            recovered: false,
            bags: Vec::new(),
        });
    }
    let (_lock, recovered) = open(&root)?;
    let mut reports = Vec::new();
    for (year, dir) in bags(&root)? {
        reports.push(verify_bag(year, &dir, anchors)?);
    }
    Ok(VerifyReport {
        recovered,
        bags: reports,
    })
}

fn verify_bag(year: i32, dir: &Path, anchors: Option<&Anchors>) -> Result<BagReport> {
    let rel = format!("{ARCHIVE_DIR}/{year}");
    let mut problems = Vec::new();
    let mut files = Vec::new();
    match fs::read_to_string(dir.join(bag::BAGIT_TXT)) {
        Ok(t) if t.contains("BagIt-Version:") => {}
        _ => problems.push(format!(
            "{rel}/{}: thiếu hoặc sai khai báo BagIt",
            bag::BAGIT_TXT
        )),
    }
    let state = match BagState::read(dir) {
        Ok(s) => s,
        Err(e) => {
            problems.push(e.to_string());
            return Ok(BagReport {
                year,
                path: rel,
                files,
                problems,
            });
        }
    };
    let on_disk = bag::payload_files(dir).map_err(|e| read_err(dir, e))?;
    let outside = state.outside_paths();
    problems.extend(outside.iter().map(|o| format!("{rel}: {o}")));

    for (path, want256) in &state.sha256 {
        if bag::payload_path_problem(path).is_some() {
            continue;
        }
        let full = dir.join(path);
        let bytes = match fs::read(&full) {
            Ok(b) => b,
            Err(_) => {
                problems.push(format!(
                    "{rel}/{path}: bị mất (có trong {})",
                    bag::MANIFEST_256
                ));
                continue;
            }
        };
        let got = bag::sha256_hex(&bytes);
        if &got != want256 {
            problems.push(format!("{rel}/{path}: đã bị thay đổi (SHA-256 không khớp)"));
        }
        match state.sha512.get(path) {
            Some(want) if *want != bag::sha512_hex(&bytes) => {
                problems.push(format!("{rel}/{path}: đã bị thay đổi (SHA-512 không khớp)"))
            }
            None => problems.push(format!(
                "{rel}/{path}: không có trong {}",
                bag::MANIFEST_512
            )),
            _ => {}
        }
        let signatures = match pades::inspect(&bytes, anchors) {
            Ok(s) => s,
            Err(e) => {
                problems.push(format!("{rel}/{path}: {e}"));
                Vec::new()
            }
        };
        let entry = state.register.van_ban.iter().find(|e| &e.tep == path);
        match entry {
            None => problems.push(format!(
                "{rel}/{path}: có trong manifest nhưng không có trong sổ đăng ký {}",
                bag::REGISTER
            )),
            Some(e) => {
                if &e.sha256 != want256 {
                    problems.push(format!(
                        "{rel}/{path}: mã băm trong sổ đăng ký khác manifest"
                    ));
                }
                if signatures.len() < e.chu_ky.len() {
                    problems.push(format!(
                        "{rel}/{path}: lúc lưu có {} chữ ký số, nay còn {}",
                        e.chu_ky.len(),
                        signatures.len()
                    ));
                }
            }
        }
        // Changes after signing that the office accepted when registering are recorded,
        // not a fault of the archive.
        let accepted = entry.is_some_and(|e| e.chap_nhan_sua_sau_ky);
        for (n, s) in signatures.iter().enumerate() {
            let (mut found, changes) = signature_problems(n, s, anchors.is_some());
            if !accepted {
                found.extend(changes);
            }
            problems.extend(found.into_iter().map(|p| format!("{rel}/{path}: {p}")));
        }
        files.push(VerifiedFile {
            path: format!("{rel}/{path}"),
            sha256: got,
            signatures,
        });
    }
    for path in state.sha512.keys() {
        if !state.sha256.contains_key(path) {
            problems.push(format!(
                "{rel}/{path}: không có trong {}",
                bag::MANIFEST_256
            ));
        }
    }
    for (path, _) in &on_disk {
        if !state.sha256.contains_key(path) {
            problems.push(format!(
                "{rel}/{path}: tệp lạ, chưa đăng ký (không có trong manifest)"
            ));
        }
    }
    for e in &state.register.van_ban {
        if !state.sha256.contains_key(&e.tep) {
            problems.push(format!(
                "{rel}/{}: có trong sổ đăng ký nhưng không có trong manifest",
                e.tep
            ));
        }
    }
    let sizes: Vec<u64> = on_disk
        .iter()
        .filter(|(p, _)| state.sha256.contains_key(p))
        .map(|(_, s)| *s)
        .collect();
    let oxum = bag::oxum(sizes);
    match bag::bag_info_value(&state.info, "Payload-Oxum") {
        Some(v) if v == oxum => {}
        Some(v) => problems.push(format!(
            "{rel}/{}: Payload-Oxum ghi {v} nhưng dữ liệu là {oxum}",
            bag::BAG_INFO
        )),
        None => problems.push(format!("{rel}/{}: thiếu Payload-Oxum", bag::BAG_INFO)),
    }
    match fs::read_to_string(dir.join(bag::TAG_MANIFEST)) {
        Err(_) => problems.push(format!("{rel}/{}: bị mất", bag::TAG_MANIFEST)),
        Ok(t) => match bag::parse_manifest(&t) {
            Err(w) => problems.push(format!("{rel}/{}: {w}", bag::TAG_MANIFEST)),
            Ok(tags) => {
                let mut expected: BTreeMap<&str, bool> = [
                    bag::BAGIT_TXT,
                    bag::BAG_INFO,
                    bag::MANIFEST_256,
                    bag::MANIFEST_512,
                    bag::REGISTER,
                ]
                .into_iter()
                .map(|n| (n, false))
                .collect();
                for (name, want) in &tags {
                    if let Some(seen) = expected.get_mut(name.as_str()) {
                        *seen = true;
                    }
                    match fs::read(dir.join(name)) {
                        Ok(b) if bag::sha256_hex(&b) == *want => {}
                        Ok(_) => problems.push(format!(
                            "{rel}/{name}: đã bị thay đổi (không khớp {})",
                            bag::TAG_MANIFEST
                        )),
                        Err(_) => problems.push(format!("{rel}/{name}: bị mất")),
                    }
                }
                for (name, seen) in expected {
                    if !seen {
                        problems.push(format!(
                            "{rel}/{name}: không được {} bảo vệ",
                            bag::TAG_MANIFEST
                        ));
                    }
                }
            }
        },
    }
    Ok(BagReport {
        year,
        path: rel,
        files,
        problems,
    })
}

/// Every archive command starts here: the lock for the whole command, then whatever a killed
/// process left is finished or undone. True when an interrupted registration was finished.
fn open(root: &Path) -> Result<(txn::Lock, bool)> {
    let lock = txn::lock(root).map_err(|e| write_err(root, e))?;
    let recovered = txn::recover(root, &lock).map_err(|e| write_err(root, e))?;
    Ok((lock, recovered))
}

fn read_err(path: &Path, e: std::io::Error) -> ArchiveError {
    use std::io::ErrorKind as K;
    let why = match e.kind() {
        K::NotFound => "không có tệp này".to_string(),
        K::IsADirectory => "đây là thư mục, không phải tệp".to_string(),
        K::PermissionDenied => "không có quyền đọc".to_string(),
        _ => format!("lỗi đọc tệp (chi tiết kỹ thuật: {e})"),
    };
    ArchiveError::Read {
        path: path.display().to_string(),
        why,
    }
}

fn write_err(path: &Path, e: std::io::Error) -> ArchiveError {
    ArchiveError::Write {
        path: path.display().to_string(),
        why: e.to_string(),
    }
}
