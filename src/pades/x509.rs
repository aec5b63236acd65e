//! Certificates read from their original bytes, names for people, and chains to trust anchors.

use super::asn1::{self, Tlv};
use super::crypto;
use chrono::{DateTime, NaiveDate, Utc};

/// The parts of a certificate the checks need, as slices of the original encoding.
#[derive(Debug, Clone)]
pub struct Cert {
    pub der: Vec<u8>,
    tbs: std::ops::Range<usize>,
    sig_alg: std::ops::Range<usize>,
    sig: Vec<u8>,
    serial: std::ops::Range<usize>,
    issuer: std::ops::Range<usize>,
    subject: std::ops::Range<usize>,
    spki: std::ops::Range<usize>,
    pub not_before: Option<DateTime<Utc>>,
    pub not_after: Option<DateTime<Utc>>,
    pub ski: Option<Vec<u8>>,
    /// basicConstraints cA; None when the extension is absent.
    pub is_ca: Option<bool>,
}

fn range(outer: &[u8], inner: &[u8]) -> std::ops::Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

impl Cert {
    pub fn parse(bytes: &[u8]) -> Result<Cert, String> {
        let bad = |_| "chứng thư số hỏng".to_string();
        let (t, _) = asn1::read(bytes).map_err(bad)?;
        let der = t.raw.to_vec();
        let (t, _) = asn1::read(&der).map_err(bad)?;
        let kids = t.children().map_err(bad)?;
        let [tbs, alg, sig] = kids.as_slice() else {
            return Err("chứng thư số hỏng".into());
        };
        let fields = tbs.children().map_err(bad)?;
        // version [0] is optional (v1 certificates)
        let f: Vec<&Tlv> = fields.iter().skip_while(|f| f.tag == 0xa0).collect();
        if f.len() < 6 {
            return Err("chứng thư số hỏng".into());
        }
        let validity = f[3].children().map_err(bad)?;
        let mut ski = None;
        let mut is_ca = None;
        if let Some(ext) = f.iter().find(|x| x.tag == 0xa3) {
            let list = ext.children().map_err(bad)?;
            let list = list
                .first()
                .ok_or("chứng thư số hỏng")?
                .children()
                .map_err(bad)?;
            for e in list {
                let parts = e.children().map_err(bad)?;
                let Some(oid) = parts.first().and_then(|o| o.oid().ok()) else {
                    continue;
                };
                let Some(value) = parts.iter().rev().find(|p| p.tag == asn1::OCTET_STRING) else {
                    continue;
                };
                match oid.as_str() {
                    "2.5.29.14" => {
                        ski = asn1::read(value.value).ok().map(|(v, _)| v.value.to_vec())
                    }
                    "2.5.29.19" => {
                        let ca = asn1::read(value.value)
                            .ok()
                            .and_then(|(s, _)| s.children().ok())
                            .and_then(|c| c.first().copied())
                            .is_some_and(|b| b.tag == asn1::BOOLEAN && b.value != [0]);
                        is_ca = Some(ca);
                    }
                    _ => {}
                }
            }
        }
        Ok(Cert {
            tbs: range(&der, tbs.raw),
            sig_alg: range(&der, alg.raw),
            sig: sig.value.get(1..).unwrap_or_default().to_vec(),
            serial: range(&der, f[0].value),
            issuer: range(&der, f[2].raw),
            subject: range(&der, f[4].raw),
            spki: range(&der, f[5].raw),
            not_before: validity.first().and_then(time),
            not_after: validity.get(1).and_then(time),
            ski,
            is_ca,
            der,
        })
    }

    pub fn issuer_raw(&self) -> &[u8] {
        &self.der[self.issuer.clone()]
    }
    pub fn subject_raw(&self) -> &[u8] {
        &self.der[self.subject.clone()]
    }
    pub fn serial(&self) -> &[u8] {
        asn1::unsigned(&self.der[self.serial.clone()])
    }
    pub fn spki(&self) -> &[u8] {
        &self.der[self.spki.clone()]
    }

    /// The subjectPublicKey bits (without the unused-bits octet).
    pub fn key_bits(&self) -> Option<&[u8]> {
        let (spki, _) = asn1::read(self.spki()).ok()?;
        let kids = spki.children().ok()?;
        kids.get(1)?.value.get(1..)
    }

    /// Subject CN, else the whole subject.
    pub fn display(&self) -> String {
        name_cn(self.subject_raw()).unwrap_or_else(|| name_text(self.subject_raw()))
    }
    pub fn issuer_display(&self) -> String {
        name_cn(self.issuer_raw()).unwrap_or_else(|| name_text(self.issuer_raw()))
    }

    pub fn self_issued(&self) -> bool {
        self.issuer_raw() == self.subject_raw()
    }

    /// Whether `issuer`'s key made this certificate's signature.
    pub fn signed_by(&self, issuer: &Cert) -> Result<(), String> {
        let (alg_tlv, _) = asn1::read(&self.der[self.sig_alg.clone()]).map_err(|e| e.0)?;
        let alg = crypto::sig_alg(&alg_tlv)?;
        let hash = crypto::alg_hash(&alg).ok_or("thuật toán ký chứng thư thiếu hàm băm")?;
        let key = crypto::public_key(issuer.spki())?;
        let digest = hash.digest(&[&self.der[self.tbs.clone()]]);
        crypto::verify(&key, &alg, hash, &digest, &self.sig)
    }

    fn valid_at(&self, at: DateTime<Utc>) -> bool {
        self.not_before.is_some_and(|t| t <= at) && self.not_after.is_some_and(|t| at <= t)
    }
}

const NAME_KEYS: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.5", "SERIALNUMBER"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.12", "T"),
    ("1.2.840.113549.1.9.1", "E"),
    // Vietnamese certificates carry the tax code or ID number here.
    ("0.9.2342.19200300.100.1.1", "UID"),
];

fn name_parts(name: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok((seq, _)) = asn1::read(name) else {
        return out;
    };
    for rdn in seq.children().unwrap_or_default() {
        for atv in rdn.children().unwrap_or_default() {
            let kids = atv.children().unwrap_or_default();
            if let [oid, value] = kids.as_slice()
                && let Ok(oid) = oid.oid()
            {
                out.push((oid, string_value(value)));
            }
        }
    }
    out
}

fn string_value(v: &Tlv<'_>) -> String {
    match v.tag {
        // BMPString
        0x1e => {
            let units: Vec<u16> = v
                .value
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        // UniversalString
        0x1c => v
            .value
            .chunks_exact(4)
            .filter_map(|c| char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
            .collect(),
        // TeletexString: in practice UTF-8 (some CAs mislabel it) or else Latin-1
        0x14 => match std::str::from_utf8(v.value) {
            Ok(s) => s.to_string(),
            Err(_) => v.value.iter().map(|b| *b as char).collect(),
        },
        _ => String::from_utf8_lossy(v.value).into_owned(),
    }
}

pub fn name_cn(name: &[u8]) -> Option<String> {
    name_parts(name)
        .into_iter()
        .rev()
        .find(|(oid, _)| oid == "2.5.4.3")
        .map(|(_, v)| v)
}

pub fn name_text(name: &[u8]) -> String {
    name_parts(name)
        .into_iter()
        .map(|(oid, v)| {
            let key = NAME_KEYS
                .iter()
                .find(|(o, _)| *o == oid)
                .map_or(oid.as_str(), |(_, k)| k);
            format!("{key}={v}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// UTCTime or GeneralizedTime.
pub fn time(t: &Tlv<'_>) -> Option<DateTime<Utc>> {
    let s = std::str::from_utf8(t.value).ok()?;
    let full = match t.tag {
        0x17 => {
            let yy: i32 = s.get(..2)?.parse().ok()?;
            let year = if yy >= 50 { 1900 + yy } else { 2000 + yy };
            format!("{year}{}", s.get(2..)?)
        }
        0x18 => s.to_string(),
        _ => return None,
    };
    parse_compact(&full)
}

/// "YYYYMMDDHHMM[SS][.fff](Z|±hhmm)" as in ASN.1 times.
fn parse_compact(s: &str) -> Option<DateTime<Utc>> {
    let num = |a: usize, b: usize| -> Option<u32> { s.get(a..b)?.parse().ok() };
    let year: i32 = s.get(..4)?.parse().ok()?;
    let (mo, d, h, mi) = (num(4, 6)?, num(6, 8)?, num(8, 10)?, num(10, 12)?);
    let mut pos = 12;
    let sec = match num(12, 14) {
        Some(v) if s.as_bytes().get(12).is_some_and(u8::is_ascii_digit) => {
            pos = 14;
            v
        }
        _ => 0,
    };
    if s.as_bytes().get(pos) == Some(&b'.') {
        pos += 1;
        while s.as_bytes().get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
    }
    let naive = NaiveDate::from_ymd_opt(year, mo, d)?.and_hms_opt(h, mi, sec.min(59))?;
    let offset_min: i64 = match s.get(pos..)? {
        "Z" | "" => 0,
        z => {
            let sign = match z.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hh: i64 = z.get(1..3)?.parse().ok()?;
            let mm: i64 = z.get(3..5).and_then(|m| m.parse().ok()).unwrap_or(0);
            sign * (hh * 60 + mm)
        }
    };
    Some(naive.and_utc() - chrono::Duration::minutes(offset_min))
}

/// A PDF date, "D:YYYYMMDDHHmmSSOHH'mm'", any tail omitted.
pub fn pdf_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim().strip_prefix("D:").unwrap_or(s.trim());
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let (num, tz) = s.split_at(digits);
    let mut padded = num.to_string();
    // missing month/day default to 01, missing time to 00
    let defaults = "00000101000000";
    if padded.len() < 4 || padded.len() > 14 {
        return None;
    }
    padded.push_str(&defaults[padded.len()..]);
    let tz = tz.replace('\'', "");
    let tz = if tz.is_empty() { "Z".to_string() } else { tz };
    parse_compact(&format!("{padded}{tz}"))
}

/// Trust anchors: the certificates of the bundle.
#[derive(Debug, Clone, Default)]
pub struct AnchorSet {
    pub certs: Vec<Cert>,
}

/// Why a chain could not be built, or Ok when it ends at an anchor.
pub fn build_chain(
    signer: &Cert,
    pool: &[Cert],
    anchors: &AnchorSet,
    at: DateTime<Utc>,
) -> Result<(), String> {
    let mut cur = signer.clone();
    let when = crate::vn::time_for_people(at);
    for _ in 0..12 {
        if !cur.valid_at(at) {
            return Err(format!(
                "chứng thư “{}” không còn hoặc chưa có hiệu lực vào thời điểm {when}",
                cur.display()
            ));
        }
        if anchors.certs.iter().any(|a| a.der == cur.der) {
            return Ok(());
        }
        let mut bad_sig = false;
        for a in anchors
            .certs
            .iter()
            .filter(|a| a.subject_raw() == cur.issuer_raw())
        {
            if cur.signed_by(a).is_ok() {
                if !a.valid_at(at) {
                    return Err(format!(
                        "chứng thư tin cậy “{}” không còn hoặc chưa có hiệu lực vào thời điểm {when}",
                        a.display()
                    ));
                }
                return Ok(());
            }
            bad_sig = true;
        }
        let next = pool.iter().find(|c| {
            c.der != cur.der && c.subject_raw() == cur.issuer_raw() && {
                let ok = cur.signed_by(c).is_ok();
                bad_sig |= !ok;
                ok
            }
        });
        match next {
            Some(c) if c.is_ca == Some(false) => {
                return Err(format!(
                    "chứng thư “{}” được cấp bởi “{}”, không phải chứng thư của tổ chức cấp (CA)",
                    cur.display(),
                    c.display()
                ));
            }
            Some(c) => cur = c.clone(),
            None if bad_sig => {
                return Err(format!(
                    "chữ ký của đơn vị cấp trên chứng thư “{}” không đúng",
                    cur.display()
                ));
            }
            None if cur.self_issued() => {
                return Err(format!(
                    "chứng thư gốc “{}” không nằm trong danh sách chứng thư tin cậy",
                    cur.display()
                ));
            }
            None => {
                return Err(format!(
                    "không tìm thấy chứng thư của đơn vị cấp “{}” (trong tệp và trong danh sách chứng thư tin cậy)",
                    cur.issuer_display()
                ));
            }
        }
    }
    Err("chuỗi chứng thư quá dài".into())
}

/// A PEM body: base64 broken into lines (LF or CRLF, as Windows exports write them).
pub fn base64(text: &str) -> Option<Vec<u8>> {
    use base64ct::Encoding;
    let compact: String = text.split_ascii_whitespace().collect();
    base64ct::Base64::decode_vec(&compact).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = pdf_date("D:20240605100000+07'00'").unwrap();
        assert_eq!(d.to_rfc3339(), "2024-06-05T03:00:00+00:00");
        assert_eq!(
            pdf_date("D:2024").unwrap().to_rfc3339(),
            "2024-01-01T00:00:00+00:00"
        );
        assert!(pdf_date("D:20241399").is_none());
        assert!(pdf_date("").is_none());
        assert_eq!(base64("aGk=\n").unwrap(), b"hi");
        assert_eq!(base64("aGVs\r\nbG8=\r\n").unwrap(), b"hello");
        assert!(base64("a*Gk=").is_none());
    }
}
