//! What the revisions appended after a signature change; the rule is in the `pades` module
//! documentation ("Changes after signing").
//!
//! lopdf reads both revisions when it can (it also opens object streams); otherwise the
//! appended bytes are scanned, and an object stream there cannot be looked into, so it counts
//! as a modification (we would rather warn than miss one).

use super::scan::{self, Obj};
use std::collections::BTreeMap;

/// The shape of one object, from either reader.
#[derive(Debug, Clone, PartialEq)]
struct View {
    ty: Option<Vec<u8>>,
    subtype: Option<Vec<u8>>,
    entries: BTreeMap<Vec<u8>, String>,
    /// A stream's data, or the rendering of a non-dictionary object.
    body: Option<String>,
}

impl View {
    fn has(&self, key: &[u8]) -> bool {
        self.entries.contains_key(key)
    }
    fn ty(&self, t: &[u8]) -> bool {
        self.ty.as_deref() == Some(t)
    }
    fn without(&self, keys: &[&[u8]]) -> BTreeMap<Vec<u8>, String> {
        let mut m = self.entries.clone();
        for k in keys {
            m.remove(*k);
        }
        m
    }
}

/// Why (object number, description) the later revisions modify the document; empty when they
/// only add signatures.
pub fn changes(pdf: &[u8], end: usize, full: Option<&lopdf::Document>) -> Vec<String> {
    if let Some(full) = full
        && let Some(prev) = super::load_lopdf(&pdf[..end])
    {
        let info = match full.trailer.get(b"Info") {
            Ok(lopdf::Object::Reference(id)) => Some(id.0),
            _ => None,
        };
        let mut out = Vec::new();
        for (id, obj) in &full.objects {
            let old = prev.objects.get(id);
            if old == Some(obj) {
                continue;
            }
            if let Some(why) = classify(
                id.0,
                &lop_view(obj),
                old.map(lop_view).as_ref(),
                info == Some(id.0),
            ) {
                out.push(why);
            }
        }
        return out;
    }
    raw_changes(pdf, end)
}

fn raw_changes(pdf: &[u8], end: usize) -> Vec<String> {
    let before = scan::definitions(pdf, 0, end);
    let info = scan::find_all(pdf, b"/Info")
        .last()
        .and_then(|p| match scan::parse(pdf, p + 5) {
            Some((Obj::Ref(n, _), _)) => Some(n),
            _ => None,
        });
    let mut out = Vec::new();
    for d in scan::definitions(pdf, end, pdf.len()) {
        let new = raw_view(&d);
        if new.ty(b"ObjStm") {
            out.push(format!(
                "đối tượng {} là luồng đối tượng nén không đọc được, không biết nó thay đổi gì",
                d.num
            ));
            continue;
        }
        let old = before.iter().rev().find(|o| o.num == d.num).map(raw_view);
        if old.as_ref() == Some(&new) {
            continue;
        }
        if let Some(why) = classify(d.num, &new, old.as_ref(), info == Some(d.num)) {
            out.push(why);
        }
    }
    out
}

fn classify(num: u32, new: &View, old: Option<&View>, is_info: bool) -> Option<String> {
    let allowed_type = [
        &b"Sig"[..],
        b"DocTimeStamp",
        b"DSS",
        b"VRI",
        b"XRef",
        b"ObjStm",
        b"Metadata",
    ];
    if is_info || new.ty.as_deref().is_some_and(|t| allowed_type.contains(&t)) {
        return None;
    }
    let widget = new.subtype.as_deref() == Some(b"Widget");
    let sig_field = new
        .entries
        .get(&b"FT"[..])
        .is_some_and(|v| v.contains("\"Sig\""));
    // /Type is optional on the DSS; its keys say what it is.
    let dss = new.ty.is_none()
        && [&b"VRI"[..], b"Certs", b"OCSPs", b"CRLs"]
            .iter()
            .any(|k| new.has(k));
    if widget || sig_field || dss || new.has(b"Fields") {
        return None;
    }
    let Some(old) = old else {
        if new.ty(b"Annot") {
            return Some(format!("đối tượng {num}: thêm một chú thích (annotation)"));
        }
        if new.ty(b"Page") {
            return Some(format!("đối tượng {num}: thêm một trang"));
        }
        return None;
    };
    if new.ty(b"Catalog") {
        let free: &[&[u8]] = &[
            b"AcroForm",
            b"DSS",
            b"Perms",
            b"Extensions",
            b"Metadata",
            b"Version",
        ];
        if new.without(free) == old.without(free) {
            return None;
        }
        return Some(format!(
            "đối tượng {num}: danh mục tài liệu (Catalog) bị thay đổi"
        ));
    }
    if new.ty(b"Page") {
        if new.without(&[b"Annots"]) == old.without(&[b"Annots"]) && new.body == old.body {
            return None;
        }
        return Some(format!(
            "đối tượng {num}: trang bị thay đổi (nội dung hoặc tài nguyên)"
        ));
    }
    let what = match (new.ty.as_deref(), new.body.is_some()) {
        (Some(b"Pages"), _) => "cây trang (Pages)",
        (Some(b"Font"), _) => "phông chữ",
        (Some(b"XObject"), _) => "hình ảnh hoặc khối đồ họa",
        (Some(b"Annot"), _) => "chú thích (annotation)",
        (None, true) if !old.entries.is_empty() || new.entries.is_empty() => "đối tượng",
        (None, true) => "luồng nội dung",
        _ => "đối tượng",
    };
    Some(format!("đối tượng {num}: {what} bị thay đổi"))
}

fn raw_view(d: &scan::Def) -> View {
    match &d.obj {
        Obj::Dict(entries) => View {
            ty: d.obj.get(b"Type").and_then(Obj::name).map(<[u8]>::to_vec),
            subtype: d
                .obj
                .get(b"Subtype")
                .and_then(Obj::name)
                .map(<[u8]>::to_vec),
            entries: entries
                .iter()
                .map(|(k, _, v)| (k.clone(), raw_canon(v)))
                .collect(),
            body: d.stream.as_ref().map(|s| format!("{s:?}")),
        },
        other => View {
            ty: None,
            subtype: None,
            entries: BTreeMap::new(),
            body: Some(other.canon()),
        },
    }
}

fn raw_canon(o: &Obj) -> String {
    // Names keep their quotes so a /FT /Sig check reads the same in both readers.
    match o {
        Obj::Name(n) => format!("{:?}", String::from_utf8_lossy(n)),
        other => other.canon(),
    }
}

fn lop_canon(o: &lopdf::Object) -> String {
    use lopdf::Object as O;
    match o {
        O::Name(n) => format!("{:?}", String::from_utf8_lossy(n)),
        O::Dictionary(d) => {
            let m: BTreeMap<String, String> = d
                .iter()
                .map(|(k, v)| (String::from_utf8_lossy(k).into_owned(), lop_canon(v)))
                .collect();
            format!("{m:?}")
        }
        O::Array(a) => format!(
            "[{}]",
            a.iter().map(lop_canon).collect::<Vec<_>>().join(" ")
        ),
        O::Stream(s) => format!("{:?}", s.content),
        other => format!("{other:?}"),
    }
}

fn lop_view(o: &lopdf::Object) -> View {
    let (dict, body) = match o {
        lopdf::Object::Dictionary(d) => (d, None),
        lopdf::Object::Stream(s) => (&s.dict, Some(format!("{:?}", s.content))),
        other => {
            return View {
                ty: None,
                subtype: None,
                entries: BTreeMap::new(),
                body: Some(lop_canon(other)),
            };
        }
    };
    let name = |k: &[u8]| match dict.get(k) {
        Ok(lopdf::Object::Name(n)) => Some(n.clone()),
        _ => None,
    };
    View {
        ty: name(b"Type"),
        subtype: name(b"Subtype"),
        entries: dict
            .iter()
            .map(|(k, v)| (k.clone(), lop_canon(v)))
            .collect(),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF revision with a classic xref over `objs` (number, body), appended to `base`.
    fn revision(base: &[u8], objs: &[(u32, &str)], size: u32) -> Vec<u8> {
        let mut out = base.to_vec();
        let prev = if base.is_empty() {
            out.extend_from_slice(b"%PDF-1.7\n");
            None
        } else {
            let text = String::from_utf8_lossy(base);
            let at = text.rfind("startxref").unwrap();
            Some(
                text[at + 9..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_string(),
            )
        };
        let mut offsets = Vec::new();
        for (n, body) in objs {
            offsets.push((*n, out.len()));
            out.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(b"xref\n0 1\n0000000000 65535 f \n");
        for (n, off) in offsets {
            out.extend_from_slice(format!("{n} 1\n{off:010} 00000 n \n").as_bytes());
        }
        let prev = prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        out.extend_from_slice(
            format!("trailer\n<< /Size {size} /Root 1 0 R{prev} >>\nstartxref\n{xref}\n%%EOF\n")
                .as_bytes(),
        );
        out
    }

    fn base() -> Vec<u8> {
        revision(
            &[],
            &[
                (1, "<< /Type /Catalog /Pages 2 0 R >>"),
                (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                (
                    3,
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                ),
                (4, "<< /Length 8 >>\nstream\nBT 0 Tj\nendstream"),
            ],
            5,
        )
    }

    #[test]
    fn signature_only_revisions_are_not_modifications() {
        let b = base();
        let later = revision(
            &b,
            &[
                (
                    1,
                    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /SigFlags 3 >> >>",
                ),
                (
                    3,
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [6 0 R] >>",
                ),
                (5, "<< /Type /Sig /ByteRange [0 0 0 0] /Contents <00> >>"),
                (
                    6,
                    "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S) /V 5 0 R /Rect [0 0 0 0] >>",
                ),
            ],
            7,
        );
        assert!(raw_changes(&later, b.len()).is_empty());
        let full = crate::pades::load_lopdf(&later).expect("lopdf reads the test file");
        assert!(changes(&later, b.len(), Some(&full)).is_empty());
    }

    #[test]
    fn content_revisions_are_modifications() {
        let b = base();
        for (objs, what) in [
            (
                vec![(4, "<< /Length 8 >>\nstream\nBT 1 Tj\nendstream")],
                "đối tượng 4",
            ),
            (
                vec![
                    (
                        3,
                        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 5 0 R] >>",
                    ),
                    (5, "<< /Length 8 >>\nstream\nBT 2 Tj\nendstream"),
                ],
                "đối tượng 3: trang",
            ),
            (
                vec![(5, "<< /Type /Annot /Subtype /FreeText /Rect [0 0 9 9] >>")],
                "chú thích",
            ),
            (
                vec![(
                    5,
                    "<< /Type /ObjStm /N 1 /First 4 /Length 8 >>\nstream\n3 0 1234\nendstream",
                )],
                "nén",
            ),
        ] {
            let later = revision(&b, &objs, 6);
            let raw = raw_changes(&later, b.len());
            assert!(raw.iter().any(|c| c.contains(what)), "{what}: {raw:?}");
            // (The object stream case is raw-only: with a classic xref nothing points into
            // it, and lopdf rightly ignores it.)
            if what != "nén"
                && let Some(full) = crate::pades::load_lopdf(&later)
            {
                assert!(!changes(&later, b.len(), Some(&full)).is_empty(), "{what}");
            }
        }
    }
}
