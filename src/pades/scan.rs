//! A small reader of PDF object syntax over the raw bytes, with byte offsets.
//!
//! Signature dictionaries are always written uncompressed (the ByteRange hole has to be in the
//! file), so scanning the bytes finds them even in files no full PDF parser accepts.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Obj {
    /// Entries with the offset of each key's slash.
    Dict(Vec<(Vec<u8>, usize, Obj)>),
    Array(Vec<Obj>),
    Name(Vec<u8>),
    Int(i64),
    Real(String),
    Str(Vec<u8>),
    /// Hex string: decoded bytes (None when it holds non-hex characters) and the span of
    /// `<...>` in the file.
    Hex(Option<Vec<u8>>, std::ops::Range<usize>),
    Ref(u32, u16),
    Bool(bool),
    Null,
}

impl Obj {
    /// The object numbers a reference or an array of references names (other items and other
    /// objects: none).
    pub fn refs(&self) -> Vec<u32> {
        match self {
            Obj::Ref(r, _) => vec![*r],
            Obj::Array(items) => items
                .iter()
                .filter_map(|x| match x {
                    Obj::Ref(r, _) => Some(*r),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn get(&self, key: &[u8]) -> Option<&Obj> {
        match self {
            Obj::Dict(e) => e.iter().find(|(k, _, _)| k == key).map(|(_, _, v)| v),
            _ => None,
        }
    }
    pub fn name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }
    /// Text of a string object (literal or hex).
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Obj::Str(s) => Some(s),
            Obj::Hex(Some(s), _) => Some(s),
            _ => None,
        }
    }
    /// A stable rendering without file offsets, to compare two versions of an object.
    pub fn canon(&self) -> String {
        match self {
            Obj::Dict(e) => {
                let m: BTreeMap<String, String> = e
                    .iter()
                    .map(|(k, _, v)| (String::from_utf8_lossy(k).into_owned(), v.canon()))
                    .collect();
                format!("{m:?}")
            }
            Obj::Array(a) => format!(
                "[{}]",
                a.iter().map(Obj::canon).collect::<Vec<_>>().join(" ")
            ),
            Obj::Hex(b, _) => format!("{b:?}"),
            other => format!("{other:?}"),
        }
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub fn is_pdf_ws(b: u8) -> bool {
    is_ws(b)
}

/// Skips whitespace and comments.
pub fn skip_ws(s: &[u8], mut p: usize) -> usize {
    while p < s.len() {
        if is_ws(s[p]) {
            p += 1;
        } else if s[p] == b'%' {
            while p < s.len() && s[p] != b'\n' && s[p] != b'\r' {
                p += 1;
            }
        } else {
            break;
        }
    }
    p
}

/// How deep arrays and dictionaries may nest, here and in [`crate::pades::structure_problems`]:
/// far more than any PDF writer produces (a handful of levels), few enough that the
/// recursion below stays small on any thread's stack.
pub const MAX_NESTING: usize = 256;

/// Parses one object at `p` (after whitespace); returns it and the offset after it. None
/// when it is not an object, or nests deeper than [`MAX_NESTING`].
pub fn parse(s: &[u8], p: usize) -> Option<(Obj, usize)> {
    parse_depth(s, p, 0)
}

fn parse_depth(s: &[u8], p: usize, depth: usize) -> Option<(Obj, usize)> {
    if depth >= MAX_NESTING {
        return None;
    }
    let p = skip_ws(s, p);
    let c = *s.get(p)?;
    match c {
        b'<' if s.get(p + 1) == Some(&b'<') => {
            let mut entries = Vec::new();
            let mut q = p + 2;
            loop {
                q = skip_ws(s, q);
                match s.get(q)? {
                    b'>' if s.get(q + 1) == Some(&b'>') => {
                        return Some((Obj::Dict(entries), q + 2));
                    }
                    b'/' => {
                        let (key, after) = name(s, q)?;
                        let (v, after) = parse_depth(s, after, depth + 1)?;
                        entries.push((key, q, v));
                        q = after;
                    }
                    _ => return None,
                }
            }
        }
        b'<' => {
            let end = p + 1 + s.get(p + 1..)?.iter().position(|b| *b == b'>')?;
            Some((Obj::Hex(hex(&s[p + 1..end]), p..end + 1), end + 1))
        }
        b'[' => {
            let mut items = Vec::new();
            let mut q = p + 1;
            loop {
                q = skip_ws(s, q);
                if *s.get(q)? == b']' {
                    return Some((Obj::Array(items), q + 1));
                }
                let (v, after) = parse_depth(s, q, depth + 1)?;
                items.push(v);
                q = after;
            }
        }
        b'/' => name(s, p).map(|(n, q)| (Obj::Name(n), q)),
        b'(' => literal(s, p),
        b'+' | b'-' | b'.' | b'0'..=b'9' => {
            let end = p + s[p..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.')))
                .unwrap_or(s.len() - p);
            let text = std::str::from_utf8(&s[p..end]).ok()?;
            if let Ok(n) = text.parse::<i64>() {
                // "n g R" is a reference
                if let Some((g, r)) = int_at(s, end)
                    && let q = skip_ws(s, r)
                    && s.get(q) == Some(&b'R')
                    && s.get(q + 1).is_none_or(|b| is_ws(*b) || is_delim(*b))
                    && let (Ok(n), Ok(g)) = (u32::try_from(n), u16::try_from(g))
                {
                    return Some((Obj::Ref(n, g), q + 1));
                }
                Some((Obj::Int(n), end))
            } else {
                Some((Obj::Real(text.to_string()), end))
            }
        }
        _ => {
            let end = p + s[p..]
                .iter()
                .position(|b| is_ws(*b) || is_delim(*b))
                .unwrap_or(s.len() - p);
            match &s[p..end] {
                b"true" => Some((Obj::Bool(true), end)),
                b"false" => Some((Obj::Bool(false), end)),
                b"null" => Some((Obj::Null, end)),
                _ => None,
            }
        }
    }
}

/// A non-negative integer token at `p` (after whitespace).
pub fn int_at(s: &[u8], p: usize) -> Option<(i64, usize)> {
    let p = skip_ws(s, p);
    let len = s
        .get(p..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if len == 0 || len > 18 || s.get(p + len).is_some_and(|b| !is_ws(*b) && !is_delim(*b)) {
        return None;
    }
    Some((
        std::str::from_utf8(&s[p..p + len]).ok()?.parse().ok()?,
        p + len,
    ))
}

fn name(s: &[u8], p: usize) -> Option<(Vec<u8>, usize)> {
    let mut q = p + 1;
    let mut out = Vec::new();
    while q < s.len() && !is_ws(s[q]) && !is_delim(s[q]) {
        if s[q] == b'#'
            && let Some(v) = s
                .get(q + 1..q + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
            && let Ok(v) = u8::from_str_radix(v, 16)
        {
            out.push(v);
            q += 3;
            continue;
        }
        out.push(s[q]);
        q += 1;
    }
    Some((out, q))
}

/// Hex digits to bytes; whitespace is ignored, an odd final digit counts as followed by 0.
pub fn hex(h: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(h.len() / 2);
    let mut hi: Option<u8> = None;
    for &c in h {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            c if is_ws(c) => continue,
            _ => return None,
        };
        match hi.take() {
            Some(h) => out.push(h << 4 | v),
            None => hi = Some(v),
        }
    }
    if let Some(h) = hi {
        out.push(h << 4);
    }
    Some(out)
}

fn literal(s: &[u8], p: usize) -> Option<(Obj, usize)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut q = p + 1;
    loop {
        let c = *s.get(q)?;
        q += 1;
        match c {
            b'(' => {
                depth += 1;
                out.push(c);
            }
            b')' if depth == 0 => return Some((Obj::Str(out), q)),
            b')' => {
                depth -= 1;
                out.push(c);
            }
            b'\\' => {
                let e = *s.get(q)?;
                q += 1;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'\r' => {
                        if s.get(q) == Some(&b'\n') {
                            q += 1;
                        }
                    }
                    b'\n' => {}
                    b'0'..=b'7' => {
                        let mut v = (e - b'0') as u32;
                        for _ in 0..2 {
                            match s.get(q) {
                                Some(d @ b'0'..=b'7') => {
                                    v = v * 8 + (d - b'0') as u32;
                                    q += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(c),
        }
    }
}

/// A PDF text string: UTF-16BE or UTF-8 with a byte order mark, else PDFDocEncoding (read as
/// Latin-1, which agrees with it on every letter a field name uses).
pub fn text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = b.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        b.iter().map(|c| *c as char).collect()
    }
}

/// The first occurrence of `needle` at or after `from`.
pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let at = i + hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|b| *b == first)?;
        if &hay[at..at + needle.len()] == needle {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The last occurrence of `needle` as a keyword (not inside a longer name or word) that
/// ends at or before `to`.
pub fn last_keyword(hay: &[u8], needle: &[u8], to: usize) -> Option<usize> {
    let to = to.min(hay.len());
    let mut end = to;
    while end >= needle.len() {
        let at = hay[..end]
            .windows(needle.len())
            .rposition(|w| w == needle)?;
        // Not the end of a name (/startxref) or of a longer word.
        let before_ok =
            at == 0 || is_ws(hay[at - 1]) || (is_delim(hay[at - 1]) && hay[at - 1] != b'/');
        let after_ok = hay
            .get(at + needle.len())
            .is_none_or(|b| is_ws(*b) || is_delim(*b));
        if before_ok && after_ok {
            return Some(at);
        }
        end = at + needle.len() - 1;
    }
    None
}

/// Offsets of every occurrence of `needle`.
pub fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    let first = needle[0];
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        match hay[i..=hay.len() - needle.len()]
            .iter()
            .position(|b| *b == first)
        {
            Some(off) => {
                let at = i + off;
                if &hay[at..at + needle.len()] == needle {
                    out.push(at);
                }
                i = at + 1;
            }
            None => break,
        }
    }
    out
}

/// The dictionary that has the key at `key_pos` as one of its own entries: its start, value
/// and the offset after it.
pub fn enclosing_dict(s: &[u8], key_pos: usize) -> Option<(usize, Obj, usize)> {
    // Nested dictionaries and strings may sit between the start and the key; try the nearest
    // "<<" first and move outwards, within a bounded distance.
    let lower = key_pos.saturating_sub(1 << 20);
    let mut end = key_pos;
    for _ in 0..64 {
        let start = lower + s[lower..end].windows(2).rposition(|w| w == b"<<")?;
        if let Some((d @ Obj::Dict(_), after)) = parse(s, start)
            && after > key_pos
            && let Obj::Dict(entries) = &d
            && entries.iter().any(|(_, k, _)| *k == key_pos)
        {
            return Some((start, d, after));
        }
        end = start;
    }
    None
}

/// "n g obj" right before `pos` (whitespace between), as (n, g).
pub fn obj_header_before(s: &[u8], pos: usize) -> Option<(u32, u16, usize)> {
    let mut p = pos;
    while p > 0 && is_ws(s[p - 1]) {
        p -= 1;
    }
    let p = p.checked_sub(3).filter(|p| &s[*p..*p + 3] == b"obj")?;
    let back_int = |mut q: usize| -> Option<(u64, usize)> {
        while q > 0 && is_ws(s[q - 1]) {
            q -= 1;
        }
        let end = q;
        while q > 0 && s[q - 1].is_ascii_digit() && end - q < 12 {
            q -= 1;
        }
        if q == end {
            return None;
        }
        Some((std::str::from_utf8(&s[q..end]).ok()?.parse().ok()?, q))
    };
    let (g, q) = back_int(p)?;
    let (n, q) = back_int(q)?;
    Some((u32::try_from(n).ok()?, u16::try_from(g).ok()?, q))
}

/// One "n g obj ... endobj" definition found in the bytes.
#[derive(Debug, Clone)]
pub struct Def {
    pub num: u32,
    /// Offset of the object number that starts "n g obj".
    pub at: usize,
    pub obj: Obj,
}

/// Every object definition that starts inside `s[from..to]`, in file order, as a reader that
/// rebuilds a broken cross-reference table finds them ("obj" inside a stream's data is not a
/// definition).
pub fn definitions(s: &[u8], from: usize, to: usize) -> Vec<Def> {
    let mut out = Vec::new();
    let to = to.min(s.len());
    let mut skip_to = from;
    for at in find_all(&s[from..to], b"obj") {
        let at = from + at;
        if at < skip_to {
            continue;
        }
        // "endobj" also ends in "obj"
        if at >= 3 && &s[at - 3..at] == b"end" {
            continue;
        }
        if s.get(at + 3).is_some_and(|b| !is_ws(*b) && !is_delim(*b)) {
            continue;
        }
        let Some((num, _, start)) = obj_header_before(s, at + 3) else {
            continue;
        };
        let Some((obj, after)) = parse(s, at + 3) else {
            continue;
        };
        if let Some(r) = stream_data(s, &obj, after) {
            skip_to = r.end;
        }
        out.push(Def {
            num,
            at: start,
            obj,
        });
    }
    out
}

/// The data of the stream whose dictionary `dict` ends at `after`, if "stream" follows it: by
/// /Length when a direct /Length lands on "endstream", else up to the first "endstream".
pub fn stream_data(s: &[u8], dict: &Obj, after: usize) -> Option<std::ops::Range<usize>> {
    if !matches!(dict, Obj::Dict(_)) {
        return None;
    }
    let mut q = after;
    while q < s.len() && is_ws(s[q]) {
        q += 1;
    }
    if !s[q..].starts_with(b"stream") {
        return None;
    }
    let mut b = q + 6;
    if s.get(b) == Some(&b'\r') {
        b += 1;
    }
    if s.get(b) == Some(&b'\n') {
        b += 1;
    }
    if let Some(Obj::Int(n)) = dict.get(b"Length")
        && let Ok(n) = usize::try_from(*n)
        && let Some(e) = b.checked_add(n)
        && e <= s.len()
    {
        let mut t = e;
        while t < s.len() && is_ws(s[t]) {
            t += 1;
        }
        if s[t..].starts_with(b"endstream") {
            return Some(b..e);
        }
    }
    let mut e = find(s, b"endstream", b)?;
    if e > b && s[e - 1] == b'\n' {
        e -= 1;
    }
    if e > b && s[e - 1] == b'\r' {
        e -= 1;
    }
    Some(b..e)
}

/// The offset after "endstream" (if the stream ends at `data_end`) and then "endobj", when
/// they are there; else `from`.
pub fn after_endobj(s: &[u8], from: usize, data_end: Option<usize>) -> usize {
    let mut p = from;
    if let Some(e) = data_end {
        let q = skip_ws(s, e);
        if s[q..].starts_with(b"endstream") {
            p = q + 9;
        } else {
            return from;
        }
    }
    let q = skip_ws(s, p);
    if s[q..].starts_with(b"endobj") {
        q + 6
    } else {
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_signature_dictionary() {
        let s =
            b"7 0 obj\n<< /Type /Sig /Prop_Build << /Filter << /Name /X >> >> /T (a\\(b\\)\\101) \
                  /ByteRange [0 10 20 5] /Contents <0A0b 1> /P 3 0 R >>\nendobj";
        let key = find_all(s, b"/ByteRange")[0];
        let (start, d, _) = enclosing_dict(s, key).unwrap();
        assert_eq!(
            obj_header_before(s, start).map(|h| (h.0, h.1)),
            Some((7, 0))
        );
        assert_eq!(d.get(b"T").and_then(Obj::bytes), Some(&b"a(b)A"[..]));
        assert_eq!(d.get(b"P"), Some(&Obj::Ref(3, 0)));
        let Some(Obj::Hex(Some(b), span)) = d.get(b"Contents") else {
            panic!()
        };
        assert_eq!(b, &[0x0a, 0x0b, 0x10]);
        assert_eq!(&s[span.clone()], b"<0A0b 1>");
    }

    #[test]
    fn garbage_does_not_panic() {
        for s in [
            &b"<<"[..],
            b"<< /A",
            b"<< /A [1 2",
            b"(abc\\",
            b"<<>>",
            b"1 0 R",
            b"[[[[",
            b"/",
        ] {
            let _ = parse(s, 0);
            let _ = enclosing_dict(s, s.len().saturating_sub(1));
            let _ = obj_header_before(s, s.len());
            let _ = definitions(s, 0, s.len());
        }
        let deep = b"[".repeat(1000);
        assert!(parse(&deep, 0).is_none());
        assert_eq!(text(&[0xfe, 0xff, 0, b'A']), "A");
    }
}
