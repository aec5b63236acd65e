//! Digests and signature checks (RSA PKCS#1 v1.5, RSA-PSS, ECDSA P-256/P-384) on raw bytes.

use super::asn1::{self, Tlv};
use sha2::Digest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// A digest algorithm OID; signature OIDs that name a hash are accepted too, because some
    /// signing tools put sha256WithRSAEncryption where the digest algorithm belongs.
    pub fn from_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            "1.3.14.3.2.26" | "1.2.840.113549.1.1.5" | "1.2.840.10045.4.1" => Hash::Sha1,
            "2.16.840.1.101.3.4.2.4" | "1.2.840.113549.1.1.14" | "1.2.840.10045.4.3.1" => {
                Hash::Sha224
            }
            "2.16.840.1.101.3.4.2.1" | "1.2.840.113549.1.1.11" | "1.2.840.10045.4.3.2" => {
                Hash::Sha256
            }
            "2.16.840.1.101.3.4.2.2" | "1.2.840.113549.1.1.12" | "1.2.840.10045.4.3.3" => {
                Hash::Sha384
            }
            "2.16.840.1.101.3.4.2.3" | "1.2.840.113549.1.1.13" | "1.2.840.10045.4.3.4" => {
                Hash::Sha512
            }
            _ => return None,
        })
    }

    pub fn digest(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        }
        match self {
            Hash::Sha1 => run::<sha1::Sha1>(parts),
            Hash::Sha224 => run::<sha2::Sha224>(parts),
            Hash::Sha256 => run::<sha2::Sha256>(parts),
            Hash::Sha384 => run::<sha2::Sha384>(parts),
            Hash::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

/// How a signature value is computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigAlg {
    /// RSA PKCS#1 v1.5; the hash comes from the OID or, for bare rsaEncryption, the context.
    Pkcs1(Option<Hash>),
    Pss {
        hash: Hash,
        salt: usize,
    },
    /// ECDSA; the curve comes from the key.
    Ecdsa(Option<Hash>),
}

/// An AlgorithmIdentifier: OID and raw parameters.
pub fn alg_id<'a>(t: &Tlv<'a>) -> Result<(String, Option<Tlv<'a>>), String> {
    let kids = t.children().map_err(|e| e.0.to_string())?;
    let oid = kids
        .first()
        .ok_or("thiếu mã thuật toán")?
        .oid()
        .map_err(|e| e.0.to_string())?;
    Ok((oid, kids.get(1).copied()))
}

pub fn sig_alg(t: &Tlv<'_>) -> Result<SigAlg, String> {
    let (oid, params) = alg_id(t)?;
    Ok(match oid.as_str() {
        "1.2.840.113549.1.1.1" => SigAlg::Pkcs1(None),
        "1.2.840.113549.1.1.5"
        | "1.2.840.113549.1.1.11"
        | "1.2.840.113549.1.1.12"
        | "1.2.840.113549.1.1.13"
        | "1.2.840.113549.1.1.14" => SigAlg::Pkcs1(Hash::from_oid(&oid)),
        "1.2.840.113549.1.1.10" => pss_params(params)?,
        "1.2.840.10045.2.1" => SigAlg::Ecdsa(None),
        "1.2.840.10045.4.1"
        | "1.2.840.10045.4.3.1"
        | "1.2.840.10045.4.3.2"
        | "1.2.840.10045.4.3.3"
        | "1.2.840.10045.4.3.4" => SigAlg::Ecdsa(Hash::from_oid(&oid)),
        other => return Err(format!("thuật toán ký {other} chưa được hỗ trợ")),
    })
}

/// RSASSA-PSS-params (RFC 4055); absent fields take the SHA-1 / MGF1-SHA-1 / 20 defaults.
fn pss_params(params: Option<Tlv<'_>>) -> Result<SigAlg, String> {
    let mut hash = Hash::Sha1;
    let mut mgf_hash = Hash::Sha1;
    let mut salt = 20usize;
    let bad = |_| "tham số RSA-PSS hỏng".to_string();
    if let Some(p) = params.filter(|p| p.tag == asn1::SEQUENCE) {
        for field in p.children().map_err(bad)? {
            let inner = field.children().map_err(bad)?;
            let Some(first) = inner.first() else { continue };
            match field.tag {
                0xa0 => {
                    let (oid, _) = alg_id(first)?;
                    hash = Hash::from_oid(&oid).ok_or("hàm băm RSA-PSS chưa được hỗ trợ")?;
                }
                0xa1 => {
                    let (mgf, mgf_params) = alg_id(first)?;
                    if mgf != "1.2.840.113549.1.1.8" {
                        return Err("hàm MGF của RSA-PSS chưa được hỗ trợ".into());
                    }
                    let p = mgf_params.ok_or("tham số MGF1 hỏng")?;
                    let (oid, _) = alg_id(&p)?;
                    mgf_hash = Hash::from_oid(&oid).ok_or("hàm băm MGF1 chưa được hỗ trợ")?;
                }
                0xa2 => {
                    let v = asn1::unsigned(first.value);
                    if v.len() > 4 {
                        return Err("độ dài salt RSA-PSS không hợp lệ".into());
                    }
                    salt = v.iter().fold(0usize, |a, b| (a << 8) | *b as usize);
                }
                _ => {}
            }
        }
    }
    if mgf_hash != hash {
        return Err("RSA-PSS dùng hàm băm MGF1 khác hàm băm chính: chưa được hỗ trợ".into());
    }
    Ok(SigAlg::Pss { hash, salt })
}

/// A SubjectPublicKeyInfo we can check signatures with.
pub enum PublicKey {
    Rsa(rsa::RsaPublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
}

pub fn public_key(spki: &[u8]) -> Result<PublicKey, String> {
    let bad = |_| "khóa công khai hỏng".to_string();
    let (t, _) = asn1::read(spki).map_err(bad)?;
    let kids = t.children().map_err(bad)?;
    let (alg, bits) = match kids.as_slice() {
        [a, b] if b.tag == asn1::BIT_STRING => (a, b.value),
        _ => return Err("khóa công khai hỏng".into()),
    };
    let key = bits.get(1..).ok_or("khóa công khai hỏng")?;
    let (oid, params) = alg_id(alg)?;
    match oid.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            rsa::RsaPublicKey::from_pkcs1_der(key)
                .map(PublicKey::Rsa)
                .map_err(|_| "khóa RSA hỏng".into())
        }
        "1.2.840.10045.2.1" => {
            let curve = params.map(|p| p.oid()).transpose().map_err(bad)?;
            match curve.as_deref() {
                Some("1.2.840.10045.3.1.7") => p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                    .map(PublicKey::P256)
                    .map_err(|_| "khóa ECDSA P-256 hỏng".into()),
                Some("1.3.132.0.34") => p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                    .map(PublicKey::P384)
                    .map_err(|_| "khóa ECDSA P-384 hỏng".into()),
                _ => Err("đường cong elliptic chưa được hỗ trợ".into()),
            }
        }
        other => Err(format!("loại khóa {other} chưa được hỗ trợ")),
    }
}

/// Checks `sig` over a message whose digest (by `hash`) is `digest`.
pub fn verify(
    key: &PublicKey,
    alg: &SigAlg,
    hash: Hash,
    digest: &[u8],
    sig: &[u8],
) -> Result<(), String> {
    use signature::hazmat::PrehashVerifier;
    let wrong = || Err("chữ ký không khớp".to_string());
    match (key, alg) {
        (PublicKey::Rsa(k), SigAlg::Pkcs1(_)) => {
            let scheme = match hash {
                Hash::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                Hash::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
                Hash::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                Hash::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                Hash::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            k.verify(scheme, digest, sig).or_else(|_| wrong())
        }
        (PublicKey::Rsa(k), SigAlg::Pss { hash: h, salt }) => {
            if *h != hash {
                return Err("hàm băm của RSA-PSS khác hàm băm của chữ ký".into());
            }
            let scheme = match hash {
                Hash::Sha1 => rsa::Pss::new_with_salt::<sha1::Sha1>(*salt),
                Hash::Sha224 => rsa::Pss::new_with_salt::<sha2::Sha224>(*salt),
                Hash::Sha256 => rsa::Pss::new_with_salt::<sha2::Sha256>(*salt),
                Hash::Sha384 => rsa::Pss::new_with_salt::<sha2::Sha384>(*salt),
                Hash::Sha512 => rsa::Pss::new_with_salt::<sha2::Sha512>(*salt),
            };
            k.verify(scheme, digest, sig).or_else(|_| wrong())
        }
        (PublicKey::P256(k), SigAlg::Ecdsa(_)) => {
            let s = p256::ecdsa::Signature::from_der(sig)
                .map_err(|_| "giá trị chữ ký ECDSA hỏng".to_string())?;
            k.verify_prehash(digest, &s).or_else(|_| wrong())
        }
        (PublicKey::P384(k), SigAlg::Ecdsa(_)) => {
            let s = p384::ecdsa::Signature::from_der(sig)
                .map_err(|_| "giá trị chữ ký ECDSA hỏng".to_string())?;
            k.verify_prehash(digest, &s).or_else(|_| wrong())
        }
        _ => Err("thuật toán ký không hợp với loại khóa của chứng thư".into()),
    }
}

/// The hash a signature algorithm uses when the context does not fix one.
pub fn alg_hash(alg: &SigAlg) -> Option<Hash> {
    match alg {
        SigAlg::Pkcs1(h) | SigAlg::Ecdsa(h) => *h,
        SigAlg::Pss { hash, .. } => Some(*hash),
    }
}
