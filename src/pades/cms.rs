//! CMS SignedData (RFC 5652) as PDF signatures carry it: detached, SHA-1 embedded digest
//! (adbe.pkcs7.sha1), or an RFC 3161 timestamp token (document timestamps).

use super::asn1::{self, Tlv};
use super::crypto::{self, Hash};
use super::x509::{self, Cert};
use chrono::{DateTime, Utc};

const SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
const MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const SIGNING_TIME: &str = "1.2.840.113549.1.9.5";

/// What the CMS says and whether it holds.
#[derive(Debug, Default)]
pub struct CmsCheck {
    pub signer: Option<Cert>,
    pub certs: Vec<Cert>,
    pub digest_ok: bool,
    pub signature_ok: bool,
    /// signingTime attribute, or genTime of a timestamp token.
    pub signing_time: Option<DateTime<Utc>>,
    pub timestamp_token: bool,
    pub problems: Vec<String>,
}

/// Checks a CMS blob against the signed byte ranges (None when the ByteRange is unusable: the
/// signature over signedAttrs is still checked, the digest is not).
pub fn check(cms: &[u8], signed: Option<&[&[u8]]>) -> CmsCheck {
    let mut out = CmsCheck::default();
    if let Err(e) = run(cms, signed, &mut out) {
        out.problems.push(e);
        out.digest_ok = false;
        out.signature_ok = false;
    }
    out
}

fn asn(e: asn1::Asn1Error) -> String {
    format!("khối chữ ký (CMS) hỏng: {}", e.0)
}

fn run(cms: &[u8], signed: Option<&[&[u8]]>, out: &mut CmsCheck) -> Result<(), String> {
    let ci = asn1::read_padded(cms)
        .map_err(asn)?
        .expect(asn1::SEQUENCE)
        .map_err(asn)?;
    let ci = ci.children().map_err(asn)?;
    let [ty, body, ..] = ci.as_slice() else {
        return Err("khối chữ ký (CMS) hỏng".into());
    };
    if ty.oid().map_err(asn)? != SIGNED_DATA || body.tag != 0xa0 {
        return Err("khối chữ ký không phải CMS SignedData".into());
    }
    let sd = body.children().map_err(asn)?;
    let sd = sd
        .first()
        .ok_or("khối chữ ký (CMS) hỏng")?
        .children()
        .map_err(asn)?;
    let encap = sd
        .get(2)
        .ok_or("khối chữ ký (CMS) hỏng")?
        .children()
        .map_err(asn)?;
    let content_type = encap
        .first()
        .ok_or("khối chữ ký (CMS) hỏng")?
        .oid()
        .map_err(asn)?;
    let econtent = match encap.get(1) {
        Some(e) if e.tag == 0xa0 => Some(
            e.children()
                .map_err(asn)?
                .first()
                .ok_or("khối chữ ký (CMS) hỏng")?
                .octets()
                .map_err(asn)?,
        ),
        _ => None,
    };
    for part in &sd[3..] {
        if part.tag == 0xa0 {
            // Duplicates are common and harmless; unparseable entries (attribute
            // certificates, garbage) are skipped, the signer lookup reports a missing one.
            out.certs.extend(
                part.children()
                    .map_err(asn)?
                    .iter()
                    .filter(|c| c.tag == asn1::SEQUENCE)
                    .filter_map(|c| Cert::parse(c.raw).ok()),
            );
        }
    }
    let infos = sd[3..]
        .iter()
        .rev()
        .find(|p| p.tag == asn1::SET)
        .ok_or("khối chữ ký không có thông tin người ký (SignerInfo)")?
        .children()
        .map_err(asn)?;
    let si = infos
        .first()
        .ok_or("khối chữ ký không có thông tin người ký (SignerInfo)")?
        .children()
        .map_err(asn)?;
    if si.len() < 5 {
        return Err("thông tin người ký (SignerInfo) hỏng".into());
    }
    out.signer = find_signer(&si[1], &out.certs);
    let (digest_oid, _) = crypto::alg_id(&si[2])?;
    let hash = Hash::from_oid(&digest_oid)
        .ok_or_else(|| format!("hàm băm {digest_oid} chưa được hỗ trợ"))?;
    let (attrs, rest) = match si[3].tag {
        0xa0 => (Some(si[3]), &si[4..]),
        _ => (None, &si[3..]),
    };
    let [alg, sig, ..] = rest else {
        return Err("thông tin người ký (SignerInfo) hỏng".into());
    };
    let sig = sig
        .expect(asn1::OCTET_STRING)
        .map_err(asn)?
        .octets()
        .map_err(asn)?;

    // What the signer's messageDigest (or, without signedAttrs, the signature) covers.
    let content_digest = match (&econtent, signed) {
        (Some(e), _) => Some(hash.digest(&[e])),
        (None, Some(parts)) => Some(hash.digest(parts)),
        (None, None) => None,
    };
    let mut digest_ok = content_digest.is_some();
    match (&econtent, signed) {
        (Some(e), Some(parts)) if content_type == TST_INFO => {
            out.timestamp_token = true;
            let (imprint_ok, gen_time) = tst_info(e, parts)?;
            out.signing_time = gen_time;
            if !imprint_ok {
                digest_ok = false;
                out.problems.push(
                    "dấu thời gian không khớp với nội dung đã ký (tệp đã bị sửa sau khi đóng dấu)"
                        .into(),
                );
            }
        }
        (Some(e), _) if content_type == TST_INFO => {
            out.timestamp_token = true;
            out.signing_time = tst_info(e, &[])?.1;
        }
        (Some(e), Some(parts)) => {
            // adbe.pkcs7.sha1: the signed content is the SHA-1 of the byte ranges; some tools
            // instead embed the signed bytes themselves.
            let embedded = e.len() == parts.iter().map(|p| p.len()).sum::<usize>() && {
                let mut rest = e.as_slice();
                parts.iter().all(|p| {
                    let (head, tail) = rest.split_at(p.len());
                    rest = tail;
                    head == *p
                })
            };
            if !embedded && e.as_slice() != Hash::Sha1.digest(parts) {
                digest_ok = false;
                out.problems.push(
                    "giá trị băm SHA-1 trong chữ ký không khớp với nội dung tệp (tệp đã bị sửa sau khi ký)"
                        .into(),
                );
            }
        }
        _ => {}
    }

    let tbs_digest = match attrs {
        Some(a) => {
            let mut md = None;
            for attr in a.children().map_err(asn)? {
                let kids = attr.children().map_err(asn)?;
                let (Some(oid), Some(values)) = (kids.first(), kids.get(1)) else {
                    continue;
                };
                let first = values.children().map_err(asn)?.first().copied();
                match (oid.oid().map_err(asn)?.as_str(), first) {
                    (MESSAGE_DIGEST, Some(v)) => md = Some(v.octets().map_err(asn)?),
                    (SIGNING_TIME, Some(v)) if out.signing_time.is_none() => {
                        out.signing_time = x509::time(&v)
                    }
                    _ => {}
                }
            }
            match (&md, &content_digest) {
                (None, _) => {
                    digest_ok = false;
                    out.problems
                        .push("chữ ký thiếu thuộc tính messageDigest".into());
                }
                (Some(m), Some(c)) if m != c => {
                    digest_ok = false;
                    out.problems.push(
                        "giá trị băm của phần được ký không khớp (tệp đã bị sửa sau khi ký)".into(),
                    );
                }
                _ => {}
            }
            // The DER of signedAttrs as signed: the original bytes with the SET OF tag in
            // place of the [0] IMPLICIT tag, never a re-encoding.
            let mut set = a.raw.to_vec();
            set[0] = asn1::SET;
            Some(hash.digest(&[&set]))
        }
        None => content_digest.clone(),
    };

    let Some(signer) = &out.signer else {
        out.digest_ok = digest_ok;
        return Err("không tìm thấy chứng thư của người ký trong khối chữ ký".into());
    };
    let Some(tbs_digest) = tbs_digest else {
        out.digest_ok = false;
        return Ok(());
    };
    let verdict = crypto::sig_alg(alg).and_then(|a| {
        let key = crypto::public_key(signer.spki())?;
        crypto::verify(&key, &a, hash, &tbs_digest, &sig)
    });
    match verdict {
        Ok(()) => out.signature_ok = true,
        Err(e) => out.problems.push(format!("chữ ký số không đúng: {e}")),
    }
    // Without signedAttrs the signature itself is what binds the content.
    out.digest_ok = digest_ok && (attrs.is_some() || out.signature_ok);
    Ok(())
}

fn find_signer(sid: &Tlv<'_>, certs: &[Cert]) -> Option<Cert> {
    match sid.tag {
        asn1::SEQUENCE => {
            let kids = sid.children().ok()?;
            let [issuer, serial, ..] = kids.as_slice() else {
                return None;
            };
            certs
                .iter()
                .find(|c| {
                    c.issuer_raw() == issuer.raw && c.serial() == asn1::unsigned(serial.value)
                })
                .cloned()
        }
        // Certificates without the extension are named by the RFC 5280 method 1 value.
        0x80 => certs
            .iter()
            .find(|c| c.ski.as_deref() == Some(sid.value))
            .or_else(|| {
                certs.iter().find(|c| {
                    c.key_bits()
                        .is_some_and(|k| Hash::Sha1.digest(&[k]) == sid.value)
                })
            })
            .cloned(),
        _ => None,
    }
}

/// TSTInfo: whether its messageImprint is the hash of `parts`, and its genTime.
fn tst_info(der: &[u8], parts: &[&[u8]]) -> Result<(bool, Option<DateTime<Utc>>), String> {
    let (t, _) = asn1::read(der).map_err(asn)?;
    let kids = t.children().map_err(asn)?;
    let [_, _, imprint, _, gen_time, ..] = kids.as_slice() else {
        return Err("dấu thời gian (TSTInfo) hỏng".into());
    };
    let imp = imprint.children().map_err(asn)?;
    let [alg, value, ..] = imp.as_slice() else {
        return Err("dấu thời gian (TSTInfo) hỏng".into());
    };
    let (oid, _) = crypto::alg_id(alg)?;
    let h = Hash::from_oid(&oid).ok_or_else(|| format!("hàm băm {oid} chưa được hỗ trợ"))?;
    Ok((h.digest(parts) == value.value, x509::time(gen_time)))
}
