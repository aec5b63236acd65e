//! The empty signature field over the signature block, so that a signing tool (a USB token's
//! plugin, pyHanko, Acrobat) signs into the place the decree leaves for signature and seal
//! instead of wherever its user clicks.
//!
//! krilla 0.8 writes no form fields, so the field comes as an incremental update (ISO 32000-1,
//! 7.5.6) appended to krilla's bytes, which stay untouched: the new objects, a cross-reference
//! section for them and a trailer with /Prev, keeping the /ID pair, /Root and /Info. lopdf reads
//! krilla's file to find the catalog, the pages and the trailer (the whole update costs about
//! 0.3 ms for the sample report's 120 kB, see benches/pipeline.rs, so a hand parser was not worth
//! its risk); the update is written here, in object-number order and with no clock, so identical
//! inputs still give identical files.
//!
//! What PDF/A-2b (ISO 19005-2) asks of the field, and how it is met:
//! - 6.3.2: the annotation has /F with Print set and Hidden, Invisible, NoView and ToggleNoView
//!   clear (/F 4, as krilla does for its own annotations);
//! - 6.3.3: a widget with a non-empty /Rect has an /AP whose only key is /N, and for a field that
//!   is not a button /N is a stream (an empty Form XObject: the paper shows nothing until signed);
//! - 6.4.1: no /A or /AA on the field, and no /NeedAppearances in /AcroForm;
//! - 6.1.3 / 6.1.4: the update's trailer has the /ID, the xref keyword, subsection headers and
//!   entries have the required shape, and nothing follows the last %%EOF but one end-of-line.
//!
//! /SigFlags is left out: its two bits say that signatures exist (the field is empty) and that
//! the file must only be appended to (a signing tool sets both when it signs).

use std::collections::BTreeMap;
use std::io::Write;

use lopdf::{Dictionary, Object, ObjectId};

use super::PdfError;
use crate::layout::Area;

/// The field names, numbered from 1 in page order: plain ASCII, because signing tools take them
/// on a command line (`pyhanko sign addsig --field ChuKy1`).
pub const FIELD_PREFIX: &str = "ChuKy";

/// Shown by viewers as the field's tooltip.
const TOOLTIP: &str = "Chữ ký số của người ký văn bản";

/// Appends an empty signature field over each signature area to krilla's `pdf`, given with its
/// page's index and height; a file with no signature area is returned as it is.
pub(super) fn append(pdf: Vec<u8>, areas: &[(usize, Area, f32)]) -> Result<Vec<u8>, PdfError> {
    if areas.is_empty() {
        return Ok(pdf);
    }
    let doc = lopdf::Document::load_mem(&pdf).map_err(|e| broken(&e))?;
    let page_ids = doc.get_pages();
    let trailer = &doc.trailer;
    let root = trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| broken(&e))?;
    let size = trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(0)
        .max(doc.max_id + 1);

    // The update's objects by number, each with its serialised body.
    let mut update: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    let mut changed = Changed::new(&doc);
    let mut next = size;
    let mut fields = Vec::new();
    for (n, (index, area, page_height)) in areas.iter().enumerate() {
        let page_id = u32::try_from(index + 1)
            .ok()
            .and_then(|n| page_ids.get(&n))
            .copied()
            .ok_or_else(|| PdfError::Writer(format!("PDF không có trang {}", index + 1)))?;
        let (field, appearance) = (next, next + 1);
        next += 2;
        update.insert(
            field,
            widget(
                &format!("{FIELD_PREFIX}{}", n + 1),
                area,
                *page_height,
                page_id,
                appearance,
            ),
        );
        update.insert(appearance, empty_appearance(area));
        changed.push_to_array(page_id, b"Annots", Object::Reference((field, 0)))?;
        fields.push(Object::Reference((field, 0)));
    }
    for f in fields {
        changed.push_to_acroform_fields(root, f)?;
    }
    for (id, dict) in changed.into_objects() {
        let mut body = Vec::new();
        lopdf::Writer::write_object(&mut body, &dict).map_err(io)?;
        update.insert(id, body);
    }

    let mut out = pdf;
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    let prev = startxref(&out)?;
    let mut offsets = Vec::with_capacity(update.len());
    for (id, body) in &update {
        offsets.push((*id, out.len()));
        writeln!(out, "{id} 0 obj").map_err(io)?;
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    // One subsection per run of consecutive numbers (ISO 32000-1, 7.5.4).
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i + 1;
        while j < offsets.len() && offsets[j].0 == offsets[j - 1].0 + 1 {
            j += 1;
        }
        writeln!(out, "{} {}", offsets[i].0, j - i).map_err(io)?;
        for (_, at) in &offsets[i..j] {
            write!(out, "{at:010} 00000 n\r\n").map_err(io)?;
        }
        i = j;
    }
    let mut tail = Dictionary::new();
    tail.set("Size", Object::Integer(i64::from(next)));
    tail.set("Root", Object::Reference(root));
    for key in [&b"Info"[..], b"ID"] {
        if let Ok(v) = trailer.get(key) {
            tail.set(key, v.clone());
        }
    }
    tail.set("Prev", Object::Integer(i64::try_from(prev).unwrap_or(0)));
    out.extend_from_slice(b"trailer\n");
    lopdf::Writer::write_object(&mut out, &Object::Dictionary(tail)).map_err(io)?;
    write!(out, "\nstartxref\n{xref}\n%%EOF\n").map_err(io)?;
    Ok(out)
}

/// The merged field and widget: an empty /Sig field over `area` of the page `page`.
fn widget(name: &str, area: &Area, page_height: f32, page: ObjectId, appearance: u32) -> Vec<u8> {
    // Our pages have the origin at the top-left, PDF's at the bottom-left of the MediaBox,
    // which krilla sets to [0 0 width height].
    let (x0, x1) = (area.at.x, area.at.x + area.width);
    let (y0, y1) = (
        page_height - area.at.y - area.height,
        page_height - area.at.y,
    );
    format!(
        "<</Type/Annot/Subtype/Widget/FT/Sig/T({name})/TU<{tu}>/F 4/P {} {} R\
         /Rect[{} {} {} {}]/AP<</N {appearance} 0 R>>>>",
        page.0,
        page.1,
        num(x0),
        num(y0),
        num(x1),
        num(y1),
        tu = utf16_hex(TOOLTIP),
    )
    .into_bytes()
}

/// An empty Form XObject the size of the field: the field prints as nothing until signed.
fn empty_appearance(area: &Area) -> Vec<u8> {
    format!(
        "<</Type/XObject/Subtype/Form/BBox[0 0 {} {}]/Resources<<>>/Length 0>>\nstream\n\nendstream",
        num(area.width),
        num(area.height)
    )
    .into_bytes()
}

/// Hundredths of a point are far below what a viewer shows, and a fixed precision keeps the
/// bytes independent of float formatting.
fn num(v: f32) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A PDF text string in UTF-16BE with its byte-order mark, as hexadecimal.
fn utf16_hex(s: &str) -> String {
    let mut out = String::from("FEFF");
    for u in s.encode_utf16() {
        out.push_str(&format!("{u:04X}"));
    }
    out
}

/// The offset of the last cross-reference section, from krilla's `startxref` line.
fn startxref(pdf: &[u8]) -> Result<usize, PdfError> {
    let tail = &pdf[pdf.len().saturating_sub(64)..];
    let at = tail
        .windows(9)
        .rposition(|w| w == b"startxref")
        .ok_or_else(|| PdfError::Writer("PDF không có startxref".into()))?;
    std::str::from_utf8(&tail[at + 9..])
        .ok()
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| PdfError::Writer("startxref không đọc được".into()))
}

/// Copies of the original objects that the update changes, by number (krilla writes every
/// object with generation 0, and so does the update).
struct Changed<'a> {
    doc: &'a lopdf::Document,
    objects: BTreeMap<u32, Object>,
}

impl<'a> Changed<'a> {
    fn new(doc: &'a lopdf::Document) -> Self {
        Changed {
            doc,
            objects: BTreeMap::new(),
        }
    }

    fn object_mut(&mut self, id: ObjectId) -> Result<&mut Object, PdfError> {
        if !self.objects.contains_key(&id.0) {
            let o = self.doc.get_object(id).map_err(|e| broken(&e))?.clone();
            self.objects.insert(id.0, o);
        }
        self.objects
            .get_mut(&id.0)
            .ok_or_else(|| PdfError::Writer("lỗi nội bộ".into()))
    }

    fn dict_mut(&mut self, id: ObjectId) -> Result<&mut Dictionary, PdfError> {
        self.object_mut(id)?.as_dict_mut().map_err(|e| broken(&e))
    }

    /// Appends `value` to the array under `key` of the dictionary `id`, creating the array, or
    /// following it when it is an indirect object of its own.
    fn push_to_array(&mut self, id: ObjectId, key: &[u8], value: Object) -> Result<(), PdfError> {
        let dict = self.dict_mut(id)?;
        if let Ok(Object::Reference(r)) = dict.get(key) {
            let r = *r;
            let array = self.object_mut(r)?.as_array_mut().map_err(|e| broken(&e))?;
            array.push(value);
        } else if let Ok(Object::Array(a)) = dict.get_mut(key) {
            a.push(value);
        } else {
            dict.set(key, Object::Array(vec![value]));
        }
        Ok(())
    }

    /// Adds `field` to the catalog's /AcroForm /Fields, creating the form when there is none.
    fn push_to_acroform_fields(&mut self, root: ObjectId, field: Object) -> Result<(), PdfError> {
        let catalog = self.dict_mut(root)?;
        let form = if let Ok(Object::Reference(r)) = catalog.get(b"AcroForm") {
            let r = *r;
            self.dict_mut(r)?
        } else {
            if !matches!(catalog.get(b"AcroForm"), Ok(Object::Dictionary(_))) {
                catalog.set("AcroForm", Object::Dictionary(Dictionary::new()));
            }
            catalog
                .get_mut(b"AcroForm")
                .and_then(Object::as_dict_mut)
                .map_err(|e| broken(&e))?
        };
        // PDF/A-2b 6.4.1 forbids asking viewers to draw their own appearances.
        form.remove(b"NeedAppearances");
        match form.get_mut(b"Fields") {
            Ok(Object::Array(a)) => a.push(field),
            Ok(_) => {
                return Err(PdfError::Writer(
                    "/AcroForm /Fields gián tiếp: không thêm được ô chữ ký".into(),
                ));
            }
            Err(_) => form.set("Fields", Object::Array(vec![field])),
        }
        Ok(())
    }

    fn into_objects(self) -> BTreeMap<u32, Object> {
        self.objects
    }
}

fn broken(e: &lopdf::Error) -> PdfError {
    PdfError::Writer(format!("không thêm được ô chữ ký vào PDF: {e}"))
}

fn io(e: std::io::Error) -> PdfError {
    PdfError::Writer(format!("không thêm được ô chữ ký vào PDF: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole file as a reader sees it after the update: lopdf follows /Prev and lets the
    /// update's objects replace the originals.
    #[test]
    fn the_specimen_gets_one_field_over_its_signature_area() {
        let fonts = crate::fonts::Fonts::builtin();
        let doc = crate::doc::specimen();
        let pages = crate::layout::layout(&doc, &fonts).unwrap();
        let pdf = crate::pdf::write(&pages, &doc.meta, &fonts, &Default::default()).unwrap();
        let read = lopdf::Document::load_mem(&pdf).unwrap();
        assert!(pdf.windows(5).filter(|w| w == b"%%EOF").count() == 2);
        let catalog = read.catalog().unwrap();
        let form = catalog.get(b"AcroForm").unwrap().as_dict().unwrap();
        assert!(form.get(b"NeedAppearances").is_err());
        let fields = form.get(b"Fields").unwrap().as_array().unwrap();
        assert_eq!(fields.len(), 1);
        let id = fields[0].as_reference().unwrap();
        let w = read.get_dictionary(id).unwrap();
        assert_eq!(w.get(b"FT").unwrap().as_name().unwrap(), b"Sig");
        assert_eq!(w.get(b"Subtype").unwrap().as_name().unwrap(), b"Widget");
        assert_eq!(w.get(b"T").unwrap().as_str().unwrap(), b"ChuKy1");
        assert_eq!(w.get(b"F").unwrap().as_i64().unwrap(), 4);
        assert!(w.get(b"V").is_err(), "empty");

        let (index, page) = pages
            .0
            .iter()
            .enumerate()
            .find(|(_, p)| p.signature_area.is_some())
            .unwrap();
        let area = page.signature_area.unwrap();
        let page_id = read.get_pages()[&(index as u32 + 1)];
        assert_eq!(w.get(b"P").unwrap().as_reference().unwrap(), page_id);
        let annots = read
            .get_dictionary(page_id)
            .unwrap()
            .get(b"Annots")
            .unwrap();
        assert_eq!(annots.as_array().unwrap(), &vec![Object::Reference(id)]);
        let rect: Vec<f32> = w
            .get(b"Rect")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_float().unwrap())
            .collect();
        let expect = [
            area.at.x,
            page.height - area.at.y - area.height,
            area.at.x + area.width,
            page.height - area.at.y,
        ];
        for (r, e) in rect.iter().zip(expect) {
            assert!((r - e).abs() < 0.006, "{rect:?} {expect:?}");
        }
        let ap = w.get(b"AP").unwrap().as_dict().unwrap();
        assert_eq!(ap.len(), 1);
        let n = read
            .get_object(ap.get(b"N").unwrap().as_reference().unwrap())
            .unwrap()
            .as_stream()
            .unwrap();
        assert_eq!(n.dict.get(b"Subtype").unwrap().as_name().unwrap(), b"Form");
        assert!(n.dict.get(b"BBox").is_ok());
    }

    #[test]
    fn numbers_have_a_fixed_short_form() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(79.370_08), "79.37");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(0.5), "0.5");
    }

    #[test]
    fn tooltip_is_utf16_with_a_bom() {
        assert_eq!(utf16_hex("Ký"), "FEFF004B00FD");
    }

    #[test]
    fn startxref_is_read_from_the_tail() {
        assert_eq!(
            startxref(b"...trailer<<>>\nstartxref\n1234\n%%EOF").unwrap(),
            1234
        );
        assert!(startxref(b"%PDF-1.7 nothing").is_err());
    }
}
