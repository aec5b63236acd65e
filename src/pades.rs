//! Digital signatures inside a PDF (PAdES, adbe.pkcs7.detached, ETSI.CAdES.detached,
//! adbe.pkcs7.sha1, and ETSI.RFC3161 document timestamps): find them, check them, say in
//! Vietnamese what is wrong.
//!
//! [`inspect`] is the entry point: the raw bytes of a PDF (and optionally the office's trust
//! anchors) in, one [`SignatureCheck`] per signature out, in file order.
//!
//! # How a signature is checked
//! 1. Signature dictionaries are found by scanning the bytes for `/ByteRange` keys (they are
//!    never compressed), so incremental updates, xref streams and files no PDF library accepts
//!    are all covered. More than [`MAX_SIGNATURES`] of them is an error
//!    ([`PadesError::TooManySignatures`]), said before any of them is checked.
//! 2. The ByteRange must be four integers starting at 0, its hole must be exactly the
//!    `<...>` of /Contents, and both ranges must lie in the file.
//! 3. The CMS in /Contents (BER or DER, zero padding allowed) is walked on its original bytes
//!    (`asn1`): the signer certificate is the one the SignerIdentifier names; messageDigest
//!    must equal the hash of the signed ranges; the signature is checked over signedAttrs as
//!    encoded in the file, with the SET OF tag put back (`cms`, `crypto`).
//! 4. The chain goes from the signer through the CMS certificates to an anchor, each
//!    certificate's signature and validity (at the signing time, else now) checked (`x509`).
//! 5. Bytes after the signed range are classified (`revisions`, below).
//!
//! # Changes after signing
//! The file is read once (`xref`): the cross-reference chain of the last startxref, each
//! section and object parsed once, object streams opened. A signature's revision is the
//! state of the last startxref inside its signed range; every object that a newer section
//! adds, redefines or frees is compared with its version in that revision, and falls in one
//! of three classes:
//!
//! - **(a) signature maintenance**, allowed: new signature and document-timestamp
//!   dictionaries; signature fields, their widgets and the widgets' appearance streams
//!   (new or redefined; a field that was already signed may not get another /V); the
//!   AcroForm; the DSS and VRI dictionaries and the certificate, OCSP and CRL streams they
//!   hold; xref and object streams; the catalog when only /AcroForm, /DSS, /Perms,
//!   /Extensions, /Metadata or /Version differ; a page when only its /Annots differ and what
//!   they gain is signature widgets; and metadata updates that touch only the modification
//!   date and the producer: /ModDate and /Producer in /Info, xmp:ModifyDate,
//!   xmp:MetadataDate, pdf:Producer and anything xmpMM (InstanceID, DocumentID, History...)
//!   in the XMP packet, compared property by property whatever the serialisation (`xmp`).
//!   pyHanko writes exactly such an update of /Info and XMP whenever it appends a revision,
//!   adding validation data included. Any other new object (a stream, a font...) is
//!   allowed too: it can only show through a changed object, which is classified itself.
//!   These are listed in [`SignatureCheck::maintenance`] ("chữ ký khác", "dấu thời gian",
//!   ...), never as problems.
//! - **(b) descriptive metadata changed**: any other difference in /Info (/Title, /Subject,
//!   /Author, /Keywords; /Creator, the application that made the document, and /CreationDate
//!   count as descriptive too: a signing tool has no reason to touch them) or in the XMP
//!   packet (dc:title, dc:description, dc:creator, dc:subject, pdf:Keywords,
//!   xmp:CreatorTool, xmp:CreateDate, and any other property). One message per field,
//!   `thông tin mô tả tệp bị sửa sau khi ký: tiêu đề "A" → "B"`, in
//!   [`SignatureCheck::metadata_changes`]; a change /Info and XMP make alike is said once.
//!   pyHanko's own diff policy accepts these as maintenance; cchc is stricter on purpose: the
//!   archive keeps official documents, whose title and subject are what the register and
//!   any reader see first, and a title changed after the head of the ward signed is not what
//!   was signed.
//! - **(c) content changed**: everything else: a page's other keys (/Contents, /Rotate,
//!   /Resources, /MediaBox...), content streams, resources (fonts, images, forms) used by
//!   a page, annotations that are not signature widgets (new, changed or removed) and
//!   widgets of other fields, new pages, the page tree, other catalog keys, a signature
//!   dictionary overwritten, objects deleted or unreadable, /Encrypt added, an update whose
//!   /Prev chain does not lead back to the signed revision, a last startxref that cannot be
//!   followed, and bytes after the signed range that are neither whitespace, comments,
//!   "startxref" nor part of a section or of an object one points to (objects appended
//!   without an xref, garbage). One message per object or place, saying where when it can,
//!   `nội dung bị sửa sau khi ký: trang 3 (đối tượng 12: /Rotate thay đổi)`, `...: thêm
//!   chú thích trên trang 2 (FreeText, đối tượng 40)`, `...: phần ghi thêm không phải một
//!   bản cập nhật PDF hợp lệ (từ byte ...)`, in [`SignatureCheck::content_changes`].
//!
//! (b) and (c) make `modified_after_signing` true and each message (the first few) is also a
//! problem of the signature. When a tool's own validator (pyHanko's `sign validate`) says
//! "All modifications relate to signature maintenance", cchc says (a) or (b); what pyHanko
//! calls illegitimate is (c) here too (tests/it/pades.rs compares the two on the same files).
//!
//! # Bounded work
//! Time and memory are linear in the file: one pass to find signature dictionaries, each
//! section and object parsed at most once, the objects of a signature's later revisions
//! compared through maps, decompression within a budget proportional to the file. Nothing
//! recurses deeper than 256 levels of nesting (PDF syntax, `scan::MAX_NESTING`) or the BER
//! limit (`asn1`), so [`inspect`] is safe on any bytes; [`structure_problems`] says whether a file is sane
//! enough to hand to a full PDF library such as lopdf, which recurses on nesting. Here lopdf
//! only decompresses streams.
//!
//! # Whole file
//! `whole_file` is true when the signed range reaches the end of the file, ignoring PDF
//! whitespace after it: some mail and copy tools add a final newline, which cannot change what
//! the document shows.
//!
//! Revocation (OCSP, CRL) is not checked: that needs the network or a DSS we do not
//! evaluate, and saying "valid" without it would overstate what we know.

mod asn1;
mod cms;
mod crypto;
mod revisions;
mod scan;
mod structure;
mod x509;
mod xmp;
mod xref;

use scan::Obj;
use std::path::Path;

/// Certificates the office trusts (root and intermediate CAs), from a PEM bundle.
#[derive(Debug, Clone, Default)]
pub struct Anchors {
    set: x509::AnchorSet,
}

impl Anchors {
    /// Reads the office's PEM bundle (one or more CERTIFICATE blocks).
    ///
    /// ```no_run
    /// let anchors = cchc::pades::Anchors::from_pem_file("input/tin-cay.pem".as_ref()).unwrap();
    /// assert!(!anchors.is_empty());
    /// ```
    pub fn from_pem_file(path: &Path) -> Result<Anchors, PadesError> {
        let text = std::fs::read(path).map_err(|source| PadesError::AnchorsFile {
            path: path.to_path_buf(),
            source,
        })?;
        parse_pem(&String::from_utf8_lossy(&text)).map_err(|message| PadesError::Anchors {
            origin: path.display().to_string(),
            message,
        })
    }

    /// Reads PEM text (one or more CERTIFICATE blocks; text between blocks is ignored).
    ///
    /// ```
    /// let err = cchc::pades::Anchors::from_pem("no certificate here").unwrap_err();
    /// assert!(err.to_string().contains("không có chứng thư"));
    /// ```
    pub fn from_pem(text: &str) -> Result<Anchors, PadesError> {
        parse_pem(text).map_err(|message| PadesError::Anchors {
            origin: "danh sách chứng thư tin cậy".into(),
            message,
        })
    }

    pub fn len(&self) -> usize {
        self.set.certs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.certs.is_empty()
    }
}

fn parse_pem(text: &str) -> Result<Anchors, String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut certs = Vec::new();
    let mut rest = text;
    while let Some(b) = rest.find(BEGIN) {
        let body = &rest[b + BEGIN.len()..];
        let e = body
            .find(END)
            .ok_or_else(|| format!("khối chứng thư thứ {} không có dòng {END}", certs.len() + 1))?;
        let der = x509::base64(&body[..e])
            .ok_or_else(|| format!("khối chứng thư thứ {} không phải base64", certs.len() + 1))?;
        let cert = x509::Cert::parse(&der)
            .map_err(|why| format!("khối chứng thư thứ {}: {why}", certs.len() + 1))?;
        certs.push(cert);
        rest = &body[e + END.len()..];
    }
    if certs.is_empty() {
        return Err(format!("không có chứng thư nào (khối {BEGIN})"));
    }
    Ok(Anchors {
        set: x509::AnchorSet { certs },
    })
}

/// Whether the signer's certificate leads to one of the office's trust anchors.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chain {
    Trusted,
    Untrusted,
    /// No anchors were given.
    NotChecked,
}

/// One signature (or document timestamp) and what holds about it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignatureCheck {
    /// /T of the signature field, if any.
    pub field: Option<String>,
    /// Subject CN (else the full subject) of the signer certificate; for a document
    /// timestamp, the TSA's.
    pub signer: Option<String>,
    /// signingTime attribute (timestamp genTime for a document timestamp), else /M; RFC 3339
    /// with Vietnam's offset ("2024-06-05T10:00:00+07:00").
    pub signing_time: Option<String>,
    pub byte_range: Vec<u64>,
    /// messageDigest equals the hash of the signed bytes (and, for a timestamp, the imprint).
    pub digest_ok: bool,
    /// The signature over the DER of signedAttrs (original bytes) verifies with the signer key.
    pub signature_ok: bool,
    /// digest_ok && signature_ok && the ByteRange is well formed (its hole is exactly
    /// /Contents and lies in the file): a ByteRange that leaves other bytes unsigned is not
    /// intact even when the digest matches.
    pub intact: bool,
    /// The signed range ends at the end of the file (trailing PDF whitespace ignored; see
    /// "Whole file" above).
    pub whole_file: bool,
    /// Later revisions change descriptive metadata or content, not only add signatures,
    /// fields, DSS (see "Changes after signing" above): `metadata_changes` or
    /// `content_changes` is not empty.
    pub modified_after_signing: bool,
    /// Class (b): descriptive metadata changed after signing, one Vietnamese sentence per
    /// field (`thông tin mô tả tệp bị sửa sau khi ký: tiêu đề "A" → "B"`).
    pub metadata_changes: Vec<String>,
    /// Class (c): content changed after signing, one Vietnamese sentence per object or
    /// place (`nội dung bị sửa sau khi ký: trang 1 (...)`).
    pub content_changes: Vec<String>,
    /// Class (a): what the later revisions add that is signature maintenance, short
    /// Vietnamese phrases without repeats ("chữ ký khác", "dấu thời gian", "trường chữ ký",
    /// "dữ liệu xác thực dài hạn (DSS)", "ngày sửa và tên phần mềm ghi tệp"); empty when
    /// the signature covers the whole file. "chữ ký khác" appears only when a later revision
    /// really adds a signature dictionary.
    pub maintenance: Vec<String>,
    pub chain: Chain,
    /// Always "not_checked": no OCSP/CRL checking here.
    pub revocation: &'static str,
    /// Vietnamese sentences; empty when all is fine.
    pub problems: Vec<String>,
}

impl SignatureCheck {
    /// The bytes after the signed range in a few Vietnamese words, for a one-line verdict:
    /// "phủ toàn bộ tệp", "BỊ SỬA sau khi ký" (class b or c), or "có phần ghi thêm sau khi
    /// ký (chữ ký khác, dữ liệu xác thực dài hạn (DSS))" naming the maintenance (class a) a
    /// later revision holds, so that "chữ ký khác" is said only when there is one.
    pub fn after_signing(&self) -> String {
        if self.whole_file {
            "phủ toàn bộ tệp".into()
        } else if self.modified_after_signing {
            "BỊ SỬA sau khi ký".into()
        } else if self.maintenance.is_empty() {
            "có phần ghi thêm sau khi ký (không thay đổi gì)".into()
        } else {
            format!(
                "có phần ghi thêm sau khi ký ({})",
                self.maintenance.join(", ")
            )
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PadesError {
    #[error("không phải tệp PDF (không có dòng đầu %PDF-)")]
    NotPdf,
    #[error("tệp PDF bị cắt cụt (không có %%EOF/startxref ở cuối tệp)")]
    Truncated,
    #[error("không đọc được tệp chứng thư tin cậy {}: {source}", path.display())]
    AnchorsFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}: {message}")]
    Anchors { origin: String, message: String },
    #[error(
        "tệp có {count} từ điển chữ ký (/ByteRange), quá giới hạn {cap} chữ ký một tệp: không kiểm tra"
    )]
    TooManySignatures { count: usize, cap: usize },
}

/// The most signature dictionaries [`inspect`] checks in one file; a real document has a
/// handful (signers, timestamps), and each costs a CMS walk and a comparison of revisions.
pub const MAX_SIGNATURES: usize = 100;

/// Why the bytes cannot be read sanely as a PDF, in Vietnamese; empty when they can. Checks:
/// the %PDF- header and a final %%EOF; the last startxref points into the file at an xref
/// table or stream, and every /Prev (and /XRefStm) after it does too, without a loop; no xref
/// entry puts an object outside the file; and nowhere do arrays and dictionaries nest deeper
/// than 256 levels, in the file nor inside object streams, page contents and form XObjects
/// once decompressed (a reader that recurses, lopdf among them, would exhaust its stack).
/// One pass over the bytes plus one over each such stream, decompression bounded: linear in
/// the file, whatever it holds.
///
/// ```
/// let ok = cchc::pades::structure_problems(b"%PDF-1.7\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF\n");
/// assert!(ok.is_empty(), "{ok:?}");
/// let bad = cchc::pades::structure_problems(b"%PDF-1.7\nstartxref\n0\n%%EOF\n");
/// assert!(bad[0].contains("không có bảng xref"), "{bad:?}");
/// ```
pub fn structure_problems(pdf: &[u8]) -> Vec<String> {
    structure::problems(pdf)
}

pub type PadesResult<T> = Result<T, PadesError>;

/// All signatures in the file, in file order.
///
/// Err only when the file is not a PDF at all, is truncated, or holds more than
/// [`MAX_SIGNATURES`] signature dictionaries; a broken signature is a [`SignatureCheck`] with
/// `intact == false` and a problem, and a broken file structure after the signed range is a
/// content change. Never panics, never recurses without bound, and takes time linear in the
/// file (see "Bounded work" above); it does not refuse a file [`structure_problems`] would:
/// what the signatures say is worth knowing even then.
///
/// ```
/// let none = cchc::pades::inspect(b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\nstartxref\n0\n%%EOF\n", None).unwrap();
/// assert!(none.is_empty());
/// assert!(cchc::pades::inspect(b"PK\x03\x04", None).is_err());
/// ```
pub fn inspect(pdf: &[u8], anchors: Option<&Anchors>) -> PadesResult<Vec<SignatureCheck>> {
    let head = &pdf[..pdf.len().min(1024)];
    if scan::find(head, b"%PDF-", 0).is_none() {
        return Err(PadesError::NotPdf);
    }
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let tail_long = &pdf[pdf.len().saturating_sub(4096)..];
    if scan::find(tail, b"%%EOF", 0).is_none() || scan::find(tail_long, b"startxref", 0).is_none() {
        return Err(PadesError::Truncated);
    }
    // Each dictionary once: a key inside the one found last (a nested dictionary) is not
    // another signature.
    let mut dicts: Vec<(usize, Obj)> = Vec::new();
    let mut covered = 0;
    for key in scan::find_all(pdf, b"/ByteRange") {
        if key < covered {
            continue;
        }
        if let Some((start, d, end)) = scan::enclosing_dict(pdf, key) {
            covered = end;
            dicts.push((start, d));
        }
    }
    if dicts.len() > MAX_SIGNATURES {
        return Err(PadesError::TooManySignatures {
            count: dicts.len(),
            cap: MAX_SIGNATURES,
        });
    }
    let mut reading = revisions::Reading::new(pdf);
    let mut names = None;
    Ok(dicts
        .iter()
        .enumerate()
        .map(|(i, (start, d))| check_one(pdf, i, *start, d, anchors, &mut reading, &mut names))
        .collect())
}

fn check_one(
    pdf: &[u8],
    index: usize,
    start: usize,
    d: &Obj,
    anchors: Option<&Anchors>,
    reading: &mut revisions::Reading,
    names: &mut Option<FieldNames>,
) -> SignatureCheck {
    let len = pdf.len();
    let header = scan::obj_header_before(pdf, start);
    let field = header.and_then(|(n, g, _)| {
        names
            .get_or_insert_with(|| FieldNames::new(pdf, reading))
            .get(n, g)
    });
    let is_ts = d.get(b"Type").and_then(Obj::name) == Some(b"DocTimeStamp")
        || d.get(b"SubFilter").and_then(Obj::name) == Some(b"ETSI.RFC3161");
    let what = if is_ts {
        "dấu thời gian"
    } else {
        "chữ ký"
    };
    let label = match &field {
        Some(f) => format!("{what} “{f}”"),
        None => format!("{what} thứ {}", index + 1),
    };
    let mut problems: Vec<String> = Vec::new();
    let mut say = |m: &str| problems.push(format!("{label}: {m}"));

    // ByteRange structure.
    let ints: Option<Vec<u64>> = match d.get(b"ByteRange") {
        Some(Obj::Array(a)) => a
            .iter()
            .map(|o| match o {
                Obj::Int(n) => u64::try_from(*n).ok(),
                _ => None,
            })
            .collect(),
        _ => None,
    };
    let byte_range = ints.clone().unwrap_or_default();
    let mut structure_ok = true;
    let mut ranges: Option<(usize, usize, usize, usize)> = None;
    match ints.as_deref() {
        Some(&[a, b, c, e]) => {
            let to = |v: u64| usize::try_from(v).ok();
            let first_end = a.checked_add(b).and_then(to);
            let second_end = c.checked_add(e).and_then(to);
            if a != 0 {
                structure_ok = false;
                say("ByteRange không bắt đầu từ đầu tệp (số đầu tiên phải là 0)");
            }
            match (to(a), first_end, to(c), second_end) {
                (Some(a), Some(b), Some(c), Some(e))
                    if b <= len && e <= len && a <= b && b <= c =>
                {
                    ranges = Some((a, b, c, e));
                }
                (Some(_), Some(b), Some(_), Some(e)) if b <= len && e <= len => {
                    structure_ok = false;
                    say("hai đoạn của ByteRange chồng lên nhau");
                }
                _ => {
                    structure_ok = false;
                    say(&format!("ByteRange trỏ ra ngoài tệp (tệp dài {len} byte)"));
                }
            }
        }
        _ => {
            structure_ok = false;
            say("ByteRange không phải là 4 số nguyên không âm");
        }
    }

    // /Contents and the ByteRange hole.
    let contents = match d.get(b"Contents") {
        Some(Obj::Hex(Some(bytes), span)) => {
            if let Some((_, b, c, _)) = ranges
                && (b != span.start || c != span.end)
            {
                structure_ok = false;
                say(
                    "khoảng trống trong ByteRange không trùng với /Contents (có phần của tệp không được ký)",
                );
            }
            Some(bytes.clone())
        }
        Some(Obj::Hex(None, _)) => {
            say("/Contents có ký tự không phải chữ số hex, không đọc được chữ ký");
            None
        }
        _ => {
            say("không có /Contents dạng chuỗi hex, không đọc được chữ ký");
            None
        }
    };

    let signed: Option<[&[u8]; 2]> = ranges.map(|(a, b, c, e)| [&pdf[a..b], &pdf[c..e]]);
    let sub_filter = d
        .get(b"SubFilter")
        .and_then(Obj::name)
        .map(|n| String::from_utf8_lossy(n).into_owned());
    let mut check = cms::CmsCheck::default();
    match (&contents, sub_filter.as_deref()) {
        (_, Some(sf @ "adbe.x509.rsa_sha1")) => {
            say(&format!("định dạng chữ ký {sf} chưa được hỗ trợ"));
        }
        (Some(c), _) if c.iter().all(|b| *b == 0) => say("/Contents rỗng: chữ ký chưa được ký"),
        (Some(c), _) => {
            check = cms::check(c, signed.as_ref().map(|s| &s[..]));
            for p in &check.problems {
                say(p);
            }
        }
        (None, _) => {}
    }

    let pdf_m = d
        .get(b"M")
        .and_then(Obj::bytes)
        .and_then(|b| x509::pdf_date(&scan::text(b)));
    let when = check.signing_time.or(pdf_m);
    let signer = check
        .signer
        .as_ref()
        .map(x509::Cert::display)
        .or_else(|| d.get(b"Name").and_then(Obj::bytes).map(scan::text));

    let chain = match (anchors, &check.signer) {
        (None, _) => Chain::NotChecked,
        (Some(_), None) => {
            say("chứng thư không tin cậy: không có chứng thư của người ký để kiểm tra");
            Chain::Untrusted
        }
        (Some(a), Some(cert)) => {
            // Without a claimed signing time the only honest instant is now.
            let at = when.unwrap_or_else(chrono::Utc::now);
            match x509::build_chain(cert, &check.certs, &a.set, at) {
                Ok(()) => Chain::Trusted,
                Err(why) => {
                    say(&format!("chứng thư không tin cậy: {why}"));
                    Chain::Untrusted
                }
            }
        }
    };

    let end = ranges.map(|(_, _, _, e)| e);
    let whole_file = end.is_some_and(|e| pdf[e..].iter().all(|b| scan::is_pdf_ws(*b)));
    let mut changes = revisions::Changes::default();
    if let Some(e) = end
        && !whole_file
    {
        changes = reading.changes(e);
        const SHOWN: usize = 5;
        let all: Vec<&String> = changes.metadata.iter().chain(&changes.content).collect();
        for c in all.iter().take(SHOWN) {
            say(c);
        }
        if all.len() > SHOWN {
            say(&format!(
                "và {} thay đổi khác sau khi ký",
                all.len() - SHOWN
            ));
        }
    }

    SignatureCheck {
        field,
        signer,
        signing_time: when.map(crate::vn::rfc3339_vietnam),
        byte_range,
        digest_ok: check.digest_ok,
        signature_ok: check.signature_ok,
        intact: check.digest_ok && check.signature_ok && structure_ok,
        whole_file,
        modified_after_signing: !changes.metadata.is_empty() || !changes.content.is_empty(),
        metadata_changes: changes.metadata,
        content_changes: changes.content,
        maintenance: changes.maintenance,
        chain,
        revocation: "not_checked",
        problems,
    }
}

/// /T of the signature fields by the object their /V names: from the final state's AcroForm,
/// else (a file whose xref cannot be followed, a field outside the AcroForm) from every
/// "/V n g R" written in the file, the latest winning. Both are read once per file.
struct FieldNames {
    form: std::collections::HashMap<(u32, u16), String>,
    raw: std::collections::HashMap<(u32, u16), String>,
}

impl FieldNames {
    fn new(pdf: &[u8], reading: &mut revisions::Reading) -> FieldNames {
        let form = reading.field_names();
        let mut raw = std::collections::HashMap::new();
        let mut covered = 0;
        for p in scan::find_all(pdf, b"/V") {
            if p < covered {
                continue;
            }
            let Some((Obj::Ref(n, g), _)) = scan::parse(pdf, p + 2) else {
                continue;
            };
            let Some((_, dict, end)) = scan::enclosing_dict(pdf, p) else {
                continue;
            };
            covered = end;
            if let Some(t) = dict.get(b"T").and_then(Obj::bytes).map(scan::text) {
                raw.insert((n, g), t);
            }
        }
        FieldNames { form, raw }
    }

    fn get(&self, n: u32, g: u16) -> Option<String> {
        self.form
            .get(&(n, g))
            .or_else(|| self.raw.get(&(n, g)))
            .cloned()
    }
}
