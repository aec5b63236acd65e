//! A tolerant BER reader: enough of X.690 to walk CMS and X.509 without re-encoding anything.
//!
//! Signing tools often write CMS in BER (indefinite lengths, constructed OCTET STRINGs), and a
//! signature is checked over the *original* bytes of signedAttrs and tbsCertificate, so we keep
//! every element's raw slice instead of decoding into structs and encoding back to DER.

/// One element: its identifier octet, its content and the whole encoding.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    pub tag: u8,
    /// The content octets; for an indefinite length, without the end-of-contents marker.
    pub value: &'a [u8],
    /// Identifier, length, content and (for indefinite lengths) end-of-contents.
    pub raw: &'a [u8],
    /// How many constructed elements enclose this one (0 for an element read by [`read`]).
    /// Every way down the tree ([`Tlv::children`], [`Tlv::octets`], the walk over an
    /// indefinite length) goes one level deeper and stops at `MAX_DEPTH`, so no input can
    /// make the reader recurse without bound.
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asn1Error(pub &'static str);

pub type Asn1Result<T> = Result<T, Asn1Error>;

// Deep enough for any certificate or CMS; an attacker's nesting must not exhaust the stack.
const MAX_DEPTH: usize = 48;

pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
pub const OCTET_STRING: u8 = 0x04;
pub const BIT_STRING: u8 = 0x03;
pub const OID: u8 = 0x06;
pub const BOOLEAN: u8 = 0x01;

impl<'a> Tlv<'a> {
    pub fn constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }

    /// The elements inside a constructed element.
    pub fn children(&self) -> Asn1Result<Vec<Tlv<'a>>> {
        if !self.constructed() {
            return Err(Asn1Error("phần tử không có phần tử con"));
        }
        let mut out = Vec::new();
        let mut rest = self.value;
        while !rest.is_empty() {
            let (t, r) = read_depth(rest, self.depth + 1)?;
            out.push(t);
            rest = r;
        }
        Ok(out)
    }

    /// Content of a string type, joining the segments of a constructed (BER) string.
    ///
    /// Segments may themselves be constructed; each level is one `children` call deeper, so
    /// the nesting is bounded like everything else (by `MAX_DEPTH`), and the walk keeps its
    /// own stack instead of recursing.
    pub fn octets(&self) -> Asn1Result<Vec<u8>> {
        if !self.constructed() {
            return Ok(self.value.to_vec());
        }
        let mut out = Vec::new();
        // Segments still to join, last one on top.
        let mut todo = self.children()?;
        todo.reverse();
        while let Some(c) = todo.pop() {
            if c.constructed() {
                let mut kids = c.children()?;
                kids.reverse();
                todo.extend(kids);
            } else {
                out.extend_from_slice(c.value);
            }
        }
        Ok(out)
    }

    /// The dotted form of an OBJECT IDENTIFIER.
    pub fn oid(&self) -> Asn1Result<String> {
        if self.tag != OID {
            return Err(Asn1Error("thiếu mã định danh thuật toán (OID)"));
        }
        const_oid::ObjectIdentifier::from_bytes(self.value)
            .map(|o| o.to_string())
            .map_err(|_| Asn1Error("mã định danh (OID) hỏng"))
    }

    pub fn expect(self, tag: u8) -> Asn1Result<Self> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(Asn1Error("cấu trúc ASN.1 không đúng"))
        }
    }
}

/// Reads one element from the front of `input` and returns it with the bytes after it.
pub fn read(input: &[u8]) -> Asn1Result<(Tlv<'_>, &[u8])> {
    read_depth(input, 0)
}

fn read_depth(input: &[u8], depth: usize) -> Asn1Result<(Tlv<'_>, &[u8])> {
    if depth > MAX_DEPTH {
        return Err(Asn1Error("cấu trúc ASN.1 lồng quá sâu"));
    }
    let tag = *input.first().ok_or(Asn1Error("dữ liệu ASN.1 bị cắt cụt"))?;
    if tag & 0x1f == 0x1f {
        // High tag numbers never occur in CMS or X.509.
        return Err(Asn1Error("thẻ ASN.1 không hỗ trợ"));
    }
    let first = *input.get(1).ok_or(Asn1Error("dữ liệu ASN.1 bị cắt cụt"))?;
    let mut pos = 2usize;
    if first == 0x80 {
        if tag & 0x20 == 0 {
            return Err(Asn1Error("độ dài không xác định ở phần tử đơn"));
        }
        // Walk the children to find the end-of-contents marker.
        let start = pos;
        loop {
            let rest = input
                .get(pos..)
                .ok_or(Asn1Error("dữ liệu ASN.1 bị cắt cụt"))?;
            if rest.len() >= 2 && rest[0] == 0 && rest[1] == 0 {
                let value = &input[start..pos];
                let raw = &input[..pos + 2];
                let t = Tlv {
                    tag,
                    value,
                    raw,
                    depth,
                };
                return Ok((t, &input[pos + 2..]));
            }
            let (child, _) = read_depth(rest, depth + 1)?;
            pos += child.raw.len();
        }
    }
    let len = if first < 0x80 {
        first as usize
    } else {
        let n = (first & 0x7f) as usize;
        if n > 4 {
            return Err(Asn1Error("độ dài ASN.1 quá lớn"));
        }
        let bytes = input
            .get(2..2 + n)
            .ok_or(Asn1Error("dữ liệu ASN.1 bị cắt cụt"))?;
        pos += n;
        bytes.iter().fold(0usize, |a, b| (a << 8) | *b as usize)
    };
    let end = pos
        .checked_add(len)
        .filter(|e| *e <= input.len())
        .ok_or(Asn1Error("dữ liệu ASN.1 bị cắt cụt"))?;
    let t = Tlv {
        tag,
        value: &input[pos..end],
        raw: &input[..end],
        depth,
    };
    Ok((t, &input[end..]))
}

/// Reads exactly one element; bytes after it are allowed only as zero padding (the /Contents
/// hole of a PDF signature is always larger than the CMS and is filled with zeros).
pub fn read_padded(input: &[u8]) -> Asn1Result<Tlv<'_>> {
    let (t, rest) = read(input)?;
    if rest.iter().any(|b| *b != 0) {
        return Err(Asn1Error("có dữ liệu lạ sau khối chữ ký"));
    }
    Ok(t)
}

/// Unsigned big-endian integer content without leading zero octets.
pub fn unsigned(bytes: &[u8]) -> &[u8] {
    let i = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    &bytes[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indefinite_lengths_and_constructed_strings() {
        // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { "ab", "c" }, NULL }
        let ber = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c', 0x00, 0x00, 0x05,
            0x00, 0x00, 0x00, 0xff,
        ];
        let (t, rest) = read(&ber).unwrap();
        assert_eq!(rest, &[0xff]);
        assert_eq!(t.raw.len(), ber.len() - 1);
        let kids = t.children().unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].octets().unwrap(), b"abc");
        assert_eq!(kids[1].tag, 0x05);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for bad in [
            &[][..],
            &[0x30],
            &[0x30, 0x85, 1, 1, 1, 1, 1],
            &[0x30, 0x05, 1],
            &[0x04, 0x80],
            &[0x30, 0x80, 0x04, 0x01],
            &[0x1f, 0x01, 0x00],
        ] {
            assert!(read(bad).is_err(), "{bad:?}");
        }
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 200).flatten().collect();
        assert!(read(&deep).is_err());
    }

    /// Definite lengths nest as deep as indefinite ones: a chain of constructed OCTET STRINGs
    /// and of SEQUENCEs, each holding the next, far deeper than any CMS.
    #[test]
    fn every_descent_is_bounded() {
        fn nest(tag: u8, levels: usize) -> Vec<u8> {
            // Outermost first: level i from the inside holds 3 + 6 * i bytes.
            let mut v = Vec::with_capacity(3 + 6 * levels);
            for i in (0..levels).rev() {
                v.extend_from_slice(&[tag, 0x84]);
                v.extend_from_slice(&((3 + 6 * i) as u32).to_be_bytes());
            }
            v.extend_from_slice(&[0x04, 0x01, b'x']);
            v
        }
        let shallow = nest(0x24, 10);
        let (t, _) = read(&shallow).unwrap();
        assert_eq!(t.octets().unwrap(), b"x");
        let deep = nest(0x24, 100_000);
        let (t, _) = read(&deep).unwrap();
        assert!(t.octets().is_err());
        // Walking SEQUENCEs down by hand stops at the same depth.
        let deep = nest(0x30, 1000);
        let (mut t, _) = read(&deep).unwrap();
        let mut levels = 0;
        while let Ok(kids) = t.children() {
            t = kids[0];
            levels += 1;
        }
        assert!(levels <= MAX_DEPTH, "{levels}");
        assert!(read_padded(&[0x05, 0x00, 0x00, 0x00]).is_ok());
        assert!(read_padded(&[0x05, 0x00, 0x00, 0x01]).is_err());
    }
}
