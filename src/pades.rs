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
//!    are all covered; lopdf is used only to look into object streams (field names, later
//!    revisions).
//! 2. The ByteRange must be four integers starting at 0, its hole must be exactly the
//!    `<...>` of /Contents, and both ranges must lie in the file.
//! 3. The CMS in /Contents (BER or DER, zero padding allowed) is walked on its original bytes
//!    (`asn1`): the signer certificate is the one the SignerIdentifier names; messageDigest
//!    must equal the hash of the signed ranges; the signature is checked over signedAttrs as
//!    encoded in the file, with the SET OF tag put back (`cms`, `crypto`).
//! 4. The chain goes from the signer through the CMS certificates to an anchor, each
//!    certificate's signature and validity (at the signing time, else now) checked (`x509`).
//! 5. Bytes after the signed range are classified revision by revision (`revisions`).
//!
//! # Changes after signing
//! Every object that a later revision adds or redefines is classified:
//! - allowed (signing and long-term validation, nothing anyone sees on a page): signature and
//!   document-timestamp dictionaries, signature fields and widget annotations, the AcroForm,
//!   the DSS and VRI dictionaries, xref and object streams, the document information
//!   dictionary and XMP metadata, the catalog when only /AcroForm, /DSS, /Perms, /Extensions,
//!   /Metadata or /Version differ, and a page when only its /Annots differ;
//! - new objects of any other kind are allowed too, as they can only show through a changed
//!   object above (a new content stream needs a changed page), except new annotations that
//!   are not widgets, and new pages, which are content;
//! - anything else redefined (a content stream, a page's /Contents or /Resources, the page
//!   tree, a font...) makes `modified_after_signing` true, with one problem per object.
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
mod x509;

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
    /// UTC.
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
    /// Later revisions change content, not only add signatures, fields, DSS (see "Changes
    /// after signing" above).
    pub modified_after_signing: bool,
    pub chain: Chain,
    /// Always "not_checked": no OCSP/CRL checking here.
    pub revocation: &'static str,
    /// Vietnamese sentences; empty when all is fine.
    pub problems: Vec<String>,
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
}

pub type PadesResult<T> = Result<T, PadesError>;

/// All signatures in the file, in file order.
///
/// Err only when the file is not a PDF at all or is truncated; a broken signature is a
/// [`SignatureCheck`] with `intact == false` and a problem. Never panics.
///
/// ```
/// let none = cchc::pades::inspect(b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\nstartxref\n0\n%%EOF\n", None).unwrap();
/// assert!(none.is_empty());
/// assert!(cchc::pades::inspect(b"PK\x03\x04", None).is_err());
/// ```
pub fn inspect(pdf: &[u8], anchors: Option<&Anchors>) -> PadesResult<Vec<SignatureCheck>> {
    let head = &pdf[..pdf.len().min(1024)];
    if scan::find_all(head, b"%PDF-").is_empty() {
        return Err(PadesError::NotPdf);
    }
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let tail_long = &pdf[pdf.len().saturating_sub(4096)..];
    if scan::find_all(tail, b"%%EOF").is_empty()
        || scan::find_all(tail_long, b"startxref").is_empty()
    {
        return Err(PadesError::Truncated);
    }
    let mut dicts: Vec<(usize, Obj)> = Vec::new();
    for key in scan::find_all(pdf, b"/ByteRange") {
        if let Some((start, d)) = scan::enclosing_dict(pdf, key)
            && !dicts.iter().any(|(s, _)| *s == start)
        {
            dicts.push((start, d));
        }
    }
    dicts.sort_by_key(|(s, _)| *s);
    let mut full = Lazy::default();
    Ok(dicts
        .iter()
        .enumerate()
        .map(|(i, (start, d))| check_one(pdf, i, *start, d, anchors, &mut full))
        .collect())
}

/// lopdf's reading of the whole file, made once and only when needed.
#[derive(Default)]
struct Lazy(Option<Option<lopdf::Document>>);

impl Lazy {
    fn get(&mut self, pdf: &[u8]) -> Option<&lopdf::Document> {
        self.0.get_or_insert_with(|| load_lopdf(pdf)).as_ref()
    }
}

/// lopdf on untrusted bytes: a failure or a panic inside it means "cannot read", never a
/// panic of ours.
fn load_lopdf(bytes: &[u8]) -> Option<lopdf::Document> {
    std::panic::catch_unwind(|| lopdf::Document::load_mem(bytes).ok())
        .ok()
        .flatten()
}

fn check_one(
    pdf: &[u8],
    index: usize,
    start: usize,
    d: &Obj,
    anchors: Option<&Anchors>,
    full: &mut Lazy,
) -> SignatureCheck {
    let len = pdf.len();
    let header = scan::obj_header_before(pdf, start);
    let field = header.and_then(|(n, g, _)| field_name(pdf, n, g, full));
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
    let mut modified_after_signing = false;
    if let Some(e) = end
        && !whole_file
    {
        let changes = revisions::changes(pdf, e, full.get(pdf));
        modified_after_signing = !changes.is_empty();
        const SHOWN: usize = 5;
        for c in changes.iter().take(SHOWN) {
            say(&format!("tệp bị sửa sau khi ký: {c}"));
        }
        if changes.len() > SHOWN {
            say(&format!(
                "và {} thay đổi khác sau khi ký",
                changes.len() - SHOWN
            ));
        }
    }

    SignatureCheck {
        field,
        signer,
        signing_time: when.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        byte_range,
        digest_ok: check.digest_ok,
        signature_ok: check.signature_ok,
        intact: check.digest_ok && check.signature_ok && structure_ok,
        whole_file,
        modified_after_signing,
        chain,
        revocation: "not_checked",
        problems,
    }
}

/// /T of the field whose /V is the signature object `n g`; the latest revision wins.
fn field_name(pdf: &[u8], n: u32, g: u16, full: &mut Lazy) -> Option<String> {
    let raw = scan::find_all(pdf, b"/V").into_iter().rev().find_map(|p| {
        match scan::parse(pdf, p + 2) {
            Some((Obj::Ref(rn, rg), _)) if rn == n && rg == g => {}
            _ => return None,
        }
        let (_, dict) = scan::enclosing_dict(pdf, p)?;
        dict.get(b"T").and_then(Obj::bytes).map(scan::text)
    });
    if raw.is_some() {
        return raw;
    }
    // The field may sit in an object stream.
    full.get(pdf)?.objects.values().find_map(|o| {
        let d = o.as_dict().ok()?;
        match d.get(b"V") {
            Ok(lopdf::Object::Reference(id)) if *id == (n, g) => {}
            _ => return None,
        }
        match d.get(b"T") {
            Ok(lopdf::Object::String(s, _)) => Some(scan::text(s)),
            _ => None,
        }
    })
}
