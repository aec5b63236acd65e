//! What the revisions appended after a signature change, in the three classes of the `pades`
//! module documentation ("Changes after signing").
//!
//! The file is read once per [`super::inspect`] ([`Reading`]): the final cross-reference
//! chain, each section and object parsed once (`xref`). A signature's revision is the state of
//! the startxref before the end of its signed range; when that section is in the final chain
//! (the normal case: every update's /Prev leads back to it), the objects to classify are just
//! the entries of the newer sections, and both versions of each are looked up in the same
//! chain, so a file with many signatures costs its newer entries per signature, not a re-read
//! of the file.

use super::scan::{self, Obj};
use super::xmp;
use super::xref::{Doc, Loc, PObj, Page, State, View};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

/// The classes (b), (c) and (a) of one signature's later revisions.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Changes {
    /// Class (b): "thông tin mô tả tệp bị sửa sau khi ký: ...".
    pub metadata: Vec<String>,
    /// Class (c): "nội dung bị sửa sau khi ký: ...".
    pub content: Vec<String>,
    /// Class (a), short and without repeats: "chữ ký khác", "dấu thời gian", ...
    pub maintenance: Vec<String>,
}

impl Changes {
    fn content(&mut self, what: String) {
        let m = format!("nội dung bị sửa sau khi ký: {what}");
        if !self.content.contains(&m) {
            self.content.push(m);
        }
    }
    /// Maintenance in a fixed order: signatures first, dates last.
    fn sort(&mut self) {
        let rank = |m: &String| {
            [OTHER_SIGNATURE, TIMESTAMP, SIG_FIELD, DSS, DATES]
                .iter()
                .position(|x| x == m)
        };
        self.maintenance.sort_by_key(rank);
    }
    fn maintenance(&mut self, what: &str) {
        if !self.maintenance.iter().any(|m| m == what) {
            self.maintenance.push(what.to_string());
        }
    }
}

pub const OTHER_SIGNATURE: &str = "chữ ký khác";
pub const TIMESTAMP: &str = "dấu thời gian";
pub const DSS: &str = "dữ liệu xác thực dài hạn (DSS)";
pub const SIG_FIELD: &str = "trường chữ ký";
pub const DATES: &str = "ngày sửa và tên phần mềm ghi tệp";

/// The file read once for every signature in it.
pub struct Reading<'a> {
    pub doc: Doc<'a>,
    /// The state a reader shows: the chain of the last startxref, else rebuilt by scanning.
    pub after: State,
    /// Why the last startxref's chain could not be read, if it could not.
    pub after_error: Option<String>,
    /// Pages of `after` seen from each section index.
    pages: HashMap<u32, Rc<Vec<Page>>>,
}

impl<'a> Reading<'a> {
    pub fn new(pdf: &'a [u8]) -> Reading<'a> {
        let mut doc = Doc::new(pdf);
        let (after, after_error) = match last_startxref(pdf, pdf.len()) {
            Some(head) => match doc.chain(head) {
                Ok(st) => (st, None),
                Err(why) => (doc.rebuild(pdf.len()), Some(why)),
            },
            None => (
                doc.rebuild(pdf.len()),
                Some("không có startxref ở cuối tệp".to_string()),
            ),
        };
        Reading {
            doc,
            after,
            after_error,
            pages: HashMap::new(),
        }
    }

    /// /T of the signature field whose /V is object `n g`, in the final state.
    pub fn field_names(&mut self) -> HashMap<(u32, u16), String> {
        let v = View {
            state: &self.after,
            from: 0,
        };
        let mut out = HashMap::new();
        for (_, t, val) in self.doc.signature_fields(v) {
            if let (Some(t), Some(val)) = (t, val) {
                out.entry(val).or_insert(t);
            }
        }
        out
    }

    /// The changes made after the signed range that ends at `end` (not at the end of the file).
    pub fn changes(&mut self, end: usize) -> Changes {
        let mut out = Changes::default();
        let pdf = self.doc.pdf;
        let head = last_startxref(pdf, end);
        let signed_at = head
            .and_then(|h| usize::try_from(h).ok())
            .filter(|h| *h < end)
            .map(|h| skip_blank(pdf, h));
        if let Some(why) = &self.after_error {
            out.content(format!(
                "phần ghi thêm không phải một bản cập nhật PDF hợp lệ ({why})"
            ));
        }
        let index = match (&self.after_error, signed_at) {
            (None, Some(at)) => self.after.index_of(at),
            _ => None,
        };
        if let Some(i) = index {
            let candidates = self.after.newer_than(i, &self.doc);
            self.unexplained_bytes(end, i, &mut out);
            let pages_a = self.pages_at(0);
            let pages_b = self.pages_at(i);
            let mut ctx = Ctx {
                doc: &mut self.doc,
                a: View {
                    state: &self.after,
                    from: 0,
                },
                b: View {
                    state: &self.after,
                    from: i,
                },
                pages_a,
                pages_b,
                roles: None,
                appearances: None,
            };
            ctx.classify(&candidates, &mut out);
            out.sort();
            return out;
        }
        // The signed revision is not in the final chain (or the chain is broken): compare the
        // two states object by object.
        if self.after_error.is_none() {
            out.content(
                "bản cập nhật sau khi ký không nối tiếp bản đã ký (chuỗi /Prev của nó không dẫn về bản đã ký)"
                    .into(),
            );
        }
        let before = match head {
            Some(h) => self
                .doc
                .chain(h)
                .ok()
                .filter(|st| st.sections.iter().all(|s| *s < end))
                .unwrap_or_else(|| self.doc.rebuild(end)),
            None => self.doc.rebuild(end),
        };
        let pages_a = self.pages_at(0);
        let a = View {
            state: &self.after,
            from: 0,
        };
        let b = View {
            state: &before,
            from: 0,
        };
        let mut candidates: Vec<u32> = self.after.all();
        candidates.extend(before.all());
        candidates.sort_unstable();
        candidates.dedup();
        candidates.retain(|n| match (a.state.loc(*n, 0), b.state.loc(*n, 0)) {
            (Some((_, Loc::At(x))), Some((_, Loc::At(y)))) => x != y,
            _ => true,
        });
        let pages_b = Rc::new(self.doc.pages(b));
        let mut ctx = Ctx {
            doc: &mut self.doc,
            a,
            b,
            pages_a,
            pages_b,
            roles: None,
            appearances: None,
        };
        ctx.classify(&candidates, &mut out);
        out.sort();
        out
    }

    fn pages_at(&mut self, from: u32) -> Rc<Vec<Page>> {
        if let Some(p) = self.pages.get(&from) {
            return p.clone();
        }
        let v = View {
            state: &self.after,
            from,
        };
        let p = Rc::new(self.doc.pages(v));
        self.pages.insert(from, p.clone());
        p
    }

    /// Bytes after the signed range that no newer section or object accounts for: objects
    /// without an xref, or anything that is not PDF syntax.
    fn unexplained_bytes(&mut self, end: usize, i: u32, out: &mut Changes) {
        let pdf = self.doc.pdf;
        let mut spans = Vec::new();
        for (j, at) in self.after.sections[..i as usize].iter().enumerate() {
            let Some(sec) = self.doc.section(*at).cloned() else {
                continue;
            };
            spans.push(sec.at..sec.end);
            for (n, loc) in &sec.entries {
                if let Loc::At(off) = loc
                    && *off >= end
                    && let Some(o) = self.doc.get_at(&self.after, j as u32, *n, *loc)
                    && let Some(s) = &o.span
                {
                    spans.push(s.clone());
                }
            }
        }
        spans.sort_by_key(|s| s.start);
        let heads: HashSet<usize> = self.after.sections.iter().copied().collect();
        let mut p = end;
        let mut spans = spans.into_iter().peekable();
        loop {
            let gap_end = spans.peek().map_or(pdf.len(), |s| s.start.max(p));
            // Whitespace, comments (%%EOF among them) and "startxref n" for a section of the
            // chain are the only things allowed between sections and objects.
            while p < gap_end {
                let q = scan::skip_ws(pdf, p);
                if q >= gap_end {
                    p = gap_end;
                    break;
                }
                if pdf[q..].starts_with(b"startxref")
                    && let Some((n, r)) = scan::int_at(pdf, q + 9)
                    && usize::try_from(n)
                        .is_ok_and(|n| n < pdf.len() && heads.contains(&skip_blank(pdf, n)))
                {
                    p = r;
                    continue;
                }
                let shown: String = scan::text(&pdf[q..pdf.len().min(q + 24)])
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect();
                out.content(format!(
                    "phần ghi thêm không phải một bản cập nhật PDF hợp lệ (từ byte {q}: “{}…”)",
                    shown.trim_end()
                ));
                return;
            }
            match spans.next() {
                Some(s) => p = p.max(s.end),
                None => return,
            }
        }
    }
}

/// The value of the last "startxref" keyword that ends before `to`.
pub fn last_startxref(pdf: &[u8], to: usize) -> Option<i64> {
    let at = scan::last_keyword(pdf, b"startxref", to)?;
    scan::int_at(pdf, at + 9).map(|(n, _)| n)
}

fn skip_blank(s: &[u8], mut p: usize) -> usize {
    while p < s.len() && scan::is_pdf_ws(s[p]) {
        p += 1;
    }
    p
}

/// What an object is to a page: (page number from 1, how it is named).
#[derive(Clone)]
enum Role {
    Page,
    Contents,
    Annots,
    Annot,
    Resource(&'static str),
}

struct Ctx<'d, 'a, 's> {
    doc: &'d mut Doc<'a>,
    /// After (the final state) and before (the signed revision).
    a: View<'s>,
    b: View<'s>,
    pages_a: Rc<Vec<Page>>,
    pages_b: Rc<Vec<Page>>,
    roles: Option<HashMap<u32, (usize, Role)>>,
    appearances: Option<HashSet<u32>>,
}

/// Keys of the catalog that signing and long-term validation may change.
const CATALOG_FREE: &[&[u8]] = &[
    b"AcroForm",
    b"DSS",
    b"Perms",
    b"Extensions",
    b"Metadata",
    b"Version",
];

impl Ctx<'_, '_, '_> {
    fn classify(&mut self, candidates: &[u32], out: &mut Changes) {
        let (root_a, cat_a) = self.doc.catalog(self.a).unzip();
        let (root_b, cat_b) = self.doc.catalog(self.b).unzip();
        let info_a = trailer_ref(self.a, b"Info");
        let info_b = trailer_ref(self.b, b"Info");
        let meta_a = cat_a.as_ref().and_then(|c| ref_of(c.obj.get(b"Metadata")));
        let meta_b = cat_b.as_ref().and_then(|c| ref_of(c.obj.get(b"Metadata")));
        let touched = |n: Option<u32>| n.is_some_and(|n| candidates.binary_search(&n).is_ok());

        // The catalog moved to another object: compare the two catalogs.
        if root_a != root_b {
            match (&cat_b, &cat_a) {
                (Some(old), Some(new)) => self.catalog(root_a.unwrap_or(0), old, new, out),
                _ => out.content("danh mục tài liệu (Catalog) không còn đọc được".into()),
            }
        }
        if info_a != info_b || touched(info_a) {
            self.info(info_b, info_a, out);
        }
        if meta_a != meta_b || touched(meta_a) {
            let old = meta_b.and_then(|n| self.doc.get(self.b, n));
            let new = meta_a.and_then(|n| self.doc.get(self.a, n));
            self.xmp(old.as_deref(), new.as_deref(), "", out);
        }
        if self.a.state.trailer(b"Encrypt", self.a.from).is_some()
            && self.b.state.trailer(b"Encrypt", self.b.from).is_none()
        {
            out.content("tệp được mã hóa (/Encrypt) sau khi ký".into());
        }

        for &n in candidates {
            let new = self.doc.get(self.a, n);
            let old = self.doc.get(self.b, n);
            if let (Some(o), Some(w)) = (&old, &new)
                && (Rc::ptr_eq(o, w) || same_pobj(self.doc.pdf, o, w))
            {
                continue;
            }
            let is_info = (Some(n) == info_a || Some(n) == info_b)
                && new.as_ref().is_none_or(|o| o.ty().is_none());
            let is_meta = (Some(n) == meta_a || Some(n) == meta_b)
                && new.as_ref().is_none_or(|o| o.ty() == Some(b"Metadata"));
            if is_info || is_meta || (Some(n) == root_a && root_a != root_b) {
                continue; // compared above
            }
            let unreadable = new.is_none()
                && matches!(
                    self.a.state.loc(n, self.a.from),
                    Some((_, Loc::At(_) | Loc::InStm(..)))
                );
            match (old, new) {
                _ if unreadable => {
                    let page = self.page_label(n);
                    out.content(format!("đối tượng {n}{page} không đọc được"));
                }
                (None, None) => {}
                (Some(old), None) => self.deleted(n, &old, out),
                (None, Some(new)) => self.added(n, &new, out),
                (Some(old), Some(new)) => self.redefined(n, &old, &new, out),
            }
        }
    }

    fn role(&mut self, n: u32) -> Option<(usize, Role)> {
        if self.roles.is_none() {
            let mut m = HashMap::new();
            for pages in [self.pages_a.clone(), self.pages_b.clone()] {
                for (i, p) in pages.iter().enumerate() {
                    let k = i + 1;
                    let mut put = |n: u32, r: Role| {
                        m.entry(n).or_insert((k, r));
                    };
                    put(p.num, Role::Page);
                    for c in &p.contents {
                        put(*c, Role::Contents);
                    }
                    if let Some(c) = p.contents_array {
                        put(c, Role::Contents);
                    }
                    if let Some(a) = p.annots_array {
                        put(a, Role::Annots);
                    }
                    for a in &p.annots {
                        put(*a, Role::Annot);
                    }
                    for (r, kind) in &p.resources {
                        put(*r, Role::Resource(kind));
                    }
                }
            }
            self.roles = Some(m);
        }
        self.roles.as_ref().and_then(|m| m.get(&n).cloned())
    }

    fn page_of(&mut self, n: u32) -> Option<usize> {
        self.role(n).map(|(k, _)| k)
    }

    fn is_sig_widget(&mut self, v: View, o: &Obj) -> bool {
        o.get(b"Subtype").and_then(Obj::name) == Some(b"Widget")
            && self.doc.field_type(v, o).as_deref() == Some(b"Sig")
    }

    fn is_sig_field(&mut self, v: View, o: &Obj) -> bool {
        matches!(
            o.get(b"Subtype").and_then(Obj::name),
            None | Some(b"Widget")
        ) && o
            .get(b"Type")
            .and_then(Obj::name)
            .is_none_or(|t| t == b"Annot")
            && self.doc.field_type(v, o).as_deref() == Some(b"Sig")
    }

    /// Appearance streams of signature widgets, before and after.
    fn is_sig_appearance(&mut self, n: u32) -> bool {
        if self.appearances.is_none() {
            let mut set = HashSet::new();
            for v in [self.a, self.b] {
                let mut holders: Vec<u32> = self
                    .doc
                    .signature_fields(v)
                    .into_iter()
                    .map(|(f, _, _)| f)
                    .collect();
                let pages = if v.from == self.a.from && std::ptr::eq(v.state, self.a.state) {
                    self.pages_a.clone()
                } else {
                    self.pages_b.clone()
                };
                holders.extend(pages.iter().flat_map(|p| p.annots.iter().copied()));
                for h in holders {
                    let Some(o) = self.doc.get(v, h) else {
                        continue;
                    };
                    if !self.is_sig_field(v, &o.obj) {
                        continue;
                    }
                    let Some(ap) = o.obj.get(b"AP").cloned() else {
                        continue;
                    };
                    let Some(Obj::Dict(ap)) = self.doc.deref(v, &ap) else {
                        continue;
                    };
                    for (_, _, x) in ap {
                        match x {
                            Obj::Ref(r, _) => {
                                set.insert(r);
                            }
                            Obj::Dict(states) => {
                                for (_, _, s) in states {
                                    if let Obj::Ref(r, _) = s {
                                        set.insert(r);
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                }
            }
            self.appearances = Some(set);
        }
        self.appearances.as_ref().is_some_and(|s| s.contains(&n))
    }

    fn annot_added(&mut self, n: u32, o: &Obj, page: Option<usize>) -> String {
        let sub = o
            .get(b"Subtype")
            .and_then(Obj::name)
            .map(|s| format!("{}, ", String::from_utf8_lossy(s)))
            .unwrap_or_default();
        let page = page.or_else(|| self.page_of(n));
        let field = o.get(b"FT").is_some() || o.get(b"Parent").is_some();
        let what = if o.get(b"Subtype").and_then(Obj::name) == Some(b"Widget") || field {
            "thêm trường biểu mẫu"
        } else {
            "thêm chú thích"
        };
        match page {
            Some(k) => format!("{what} trên trang {k} ({sub}đối tượng {n})"),
            None => format!("{what} ({sub}đối tượng {n})"),
        }
    }

    fn deleted(&mut self, n: u32, old: &PObj, out: &mut Changes) {
        let kind_ok = is_maintenance_kind(old)
            || self.is_sig_field(self.b, &old.obj)
            || self.is_sig_appearance(n);
        if kind_ok {
            return;
        }
        let page = self.page_label(n);
        out.content(format!("đối tượng {n}{page} bị xóa"));
    }

    fn page_label(&mut self, n: u32) -> String {
        match self.role(n) {
            Some((k, Role::Page)) => format!(" (trang {k})"),
            Some((k, _)) => format!(" (dùng trên trang {k})"),
            None => String::new(),
        }
    }

    fn added(&mut self, n: u32, new: &PObj, out: &mut Changes) {
        let o = &new.obj;
        if is_signature(o) {
            out.maintenance(if is_timestamp(o) {
                TIMESTAMP
            } else {
                OTHER_SIGNATURE
            });
            return;
        }
        if is_dss(new) {
            out.maintenance(DSS);
            return;
        }
        if self.is_sig_field(self.a, o) {
            out.maintenance(SIG_FIELD);
            return;
        }
        let ty = new.ty();
        let sub = new.subtype();
        if ty == Some(b"Annot")
            || sub == Some(b"Widget")
            || (ty.is_none() && o.get(b"FT").is_some())
        {
            // A widget of another kind of field, or any other annotation.
            let m = self.annot_added(n, o, None);
            out.content(m);
            return;
        }
        if ty == Some(b"Page") {
            let m = match self.page_of(n) {
                Some(k) => format!("thêm trang {k} (đối tượng {n})"),
                None => format!("thêm một trang (đối tượng {n})"),
            };
            out.content(m);
        }
        // Anything else new shows only through an object that changed (a content stream needs
        // a page that lists it), which is classified on its own.
    }

    fn redefined(&mut self, n: u32, old: &PObj, new: &PObj, out: &mut Changes) {
        let (o, w) = (&old.obj, &new.obj);
        if new.ty() == Some(b"Catalog") || old.ty() == Some(b"Catalog") {
            self.catalog(n, old, new, out);
            return;
        }
        if old.ty() == Some(b"Metadata") && new.ty() == Some(b"Metadata") {
            self.xmp(
                Some(old),
                Some(new),
                &format!(" (XMP của đối tượng {n})"),
                out,
            );
            return;
        }
        if is_signature(o) || is_signature(w) {
            if is_signature(o) {
                out.content(format!("từ điển chữ ký (đối tượng {n}) bị ghi đè"));
            } else {
                out.content(format!("đối tượng {n} bị thay bằng một từ điển chữ ký"));
            }
            return;
        }
        if (is_dss(old) || is_maintenance_kind(old)) && (is_dss(new) || is_maintenance_kind(new)) {
            if is_dss(new) {
                out.maintenance(DSS);
            }
            return;
        }
        if self.is_sig_field(self.b, o) && self.is_sig_field(self.a, w) {
            let (ov, nv) = (o.get(b"V"), w.get(b"V"));
            if let Some(ov) = ov
                && !nv.is_some_and(|nv| same(ov, nv))
            {
                let t = w
                    .get(b"T")
                    .or(o.get(b"T"))
                    .and_then(Obj::bytes)
                    .map(scan::text)
                    .map(|t| format!(" “{t}”"))
                    .unwrap_or_default();
                out.content(format!(
                    "trường chữ ký{t} (đối tượng {n}) bị thay chữ ký đã ký bằng giá trị khác"
                ));
            } else {
                out.maintenance(SIG_FIELD);
            }
            return;
        }
        if o.get(b"Fields").is_some() && w.get(b"Fields").is_some() {
            return; // the AcroForm
        }
        if self.is_sig_appearance(n) {
            return;
        }
        let role = self.role(n);
        if new.ty() == Some(b"Page") || matches!(role, Some((_, Role::Page))) {
            let k = role.as_ref().map(|(k, _)| *k);
            let keys = changed_keys(o, w, &[b"Annots"]);
            let page = k.map_or_else(
                || format!("một trang (đối tượng {n})"),
                |k| format!("trang {k}"),
            );
            if !keys.is_empty() {
                let obj = if k.is_some() {
                    format!("đối tượng {n}: ")
                } else {
                    String::new()
                };
                out.content(format!("{page} ({obj}{} thay đổi)", keys.join(", ")));
            }
            let (oa, na) = (o.get(b"Annots").cloned(), w.get(b"Annots").cloned());
            self.annots(k, oa, na, out);
            return;
        }
        if let Some((k, Role::Annots)) = role {
            self.annots(Some(k), Some(Obj::Ref(n, 0)), Some(Obj::Ref(n, 0)), out);
            return;
        }
        let what = match (&role, new.ty()) {
            (Some((k, Role::Contents)), _) => format!("nội dung trang {k} (đối tượng {n})"),
            (Some((k, Role::Annot)), _) => {
                let sub = new
                    .subtype()
                    .map(|s| format!("{}, ", String::from_utf8_lossy(s)))
                    .unwrap_or_default();
                format!("chú thích trên trang {k} ({sub}đối tượng {n})")
            }
            (Some((k, Role::Resource(kind))), _) => {
                format!("{kind} dùng trên trang {k} (đối tượng {n})")
            }
            (_, Some(b"Pages")) => format!("cây trang (đối tượng {n})"),
            (_, Some(b"Font")) => format!("phông chữ (đối tượng {n})"),
            (_, Some(b"XObject")) => format!("hình ảnh hoặc khối đồ họa (đối tượng {n})"),
            (_, Some(b"Annot")) => format!("chú thích (đối tượng {n})"),
            _ => format!("đối tượng {n}"),
        };
        out.content(what);
    }

    /// A page's /Annots before and after: only signature widgets may be added, none removed.
    fn annots(
        &mut self,
        page: Option<usize>,
        old: Option<Obj>,
        new: Option<Obj>,
        out: &mut Changes,
    ) {
        // Resolved first: /Annots is an array, given directly or by reference.
        let list = |ctx: &mut Self, v: View, a: Option<Obj>| -> Vec<u32> {
            a.and_then(|a| ctx.doc.deref(v, &a))
                .filter(|a| matches!(a, Obj::Array(_)))
                .map(|a| a.refs())
                .unwrap_or_default()
        };
        let before = list(self, self.b, old);
        let after = list(self, self.a, new);
        let on = page.map(|k| format!(" trang {k}")).unwrap_or_default();
        if before.iter().any(|x| !after.contains(x)) {
            out.content(format!("gỡ chú thích khỏi{on}"));
        }
        for x in after.iter().filter(|x| !before.contains(x)) {
            let Some(o) = self.doc.get(self.a, *x) else {
                continue;
            };
            if self.is_sig_widget(self.a, &o.obj) {
                out.maintenance(SIG_FIELD);
            } else {
                let m = self.annot_added(*x, &o.obj, page);
                out.content(m);
            }
        }
    }

    fn catalog(&mut self, n: u32, old: &PObj, new: &PObj, out: &mut Changes) {
        let keys = changed_keys(&old.obj, &new.obj, CATALOG_FREE);
        if !keys.is_empty() {
            out.content(format!(
                "danh mục tài liệu (Catalog, đối tượng {n}: {} thay đổi)",
                keys.join(", ")
            ));
        }
        let dss = |o: &PObj| o.obj.get(b"DSS").cloned();
        if let Some(d) = dss(new)
            && !dss(old).is_some_and(|o| same(&o, &d))
        {
            out.maintenance(DSS);
        }
    }

    /// The document information dictionaries before and after.
    fn info(&mut self, old: Option<u32>, new: Option<u32>, out: &mut Changes) {
        let read = |ctx: &mut Self, v: View, n: Option<u32>| -> BTreeMap<Vec<u8>, String> {
            let mut m = BTreeMap::new();
            if let Some(Obj::Dict(entries)) =
                n.and_then(|n| ctx.doc.get(v, n)).map(|o| o.obj.clone())
            {
                for (k, _, val) in entries {
                    let val = ctx.doc.deref(v, &val).unwrap_or(Obj::Null);
                    m.insert(k, value_text(&val));
                }
            }
            m
        };
        let before = read(self, self.b, old);
        let after = read(self, self.a, new);
        let mut found = Vec::new();
        for (k, o, w) in differences(&before, &after) {
            if matches!(k.as_slice(), b"ModDate" | b"Producer") {
                out.maintenance(DATES);
                continue;
            }
            let label = match k.as_slice() {
                b"Title" => "tiêu đề".to_string(),
                b"Subject" => "chủ đề".to_string(),
                b"Author" => "tác giả".to_string(),
                b"Keywords" => "từ khóa".to_string(),
                b"Creator" => "ứng dụng tạo tệp".to_string(),
                b"CreationDate" => "ngày tạo".to_string(),
                other => format!("trường /{}", String::from_utf8_lossy(other)),
            };
            found.push((label, o.cloned(), w.cloned()));
        }
        push_metadata(out, found, "");
    }

    /// Two XMP packets (the catalog's, or another object's): only dates, producer and
    /// xmpMM identifiers may differ.
    fn xmp(&mut self, old: Option<&PObj>, new: Option<&PObj>, whose: &str, out: &mut Changes) {
        let mut read = |o: Option<&PObj>| -> Result<BTreeMap<String, String>, Vec<u8>> {
            let Some(o) = o else {
                return Ok(BTreeMap::new());
            };
            let pdf = self.doc.pdf;
            let raw = o.stream.clone().map(|r| &pdf[r]).unwrap_or_default();
            let data = self.doc.decode(&o.obj, raw, 16 << 20).unwrap_or_default();
            xmp::properties(&data).ok_or(data)
        };
        let (before, after) = (read(old), read(new));
        let (before, after) = match (before, after) {
            (Ok(b), Ok(a)) => (b, a),
            (b, a) => {
                if b != a {
                    out.metadata.push(format!(
                        "thông tin mô tả tệp bị sửa sau khi ký: siêu dữ liệu XMP{whose} thay đổi và không đọc được để so sánh"
                    ));
                }
                return;
            }
        };
        let mut found = Vec::new();
        for (k, o, w) in differences(&before, &after) {
            if matches!(
                k.as_str(),
                "xmp:ModifyDate" | "xmp:MetadataDate" | "pdf:Producer"
            ) || k.starts_with("xmpMM:")
            {
                out.maintenance(DATES);
                continue;
            }
            let label = match k.as_str() {
                "dc:title" => "tiêu đề".to_string(),
                "dc:description" => "chủ đề".to_string(),
                "dc:creator" => "tác giả".to_string(),
                "dc:subject" | "pdf:Keywords" => "từ khóa".to_string(),
                "xmp:CreatorTool" => "ứng dụng tạo tệp".to_string(),
                "xmp:CreateDate" => "ngày tạo".to_string(),
                other => format!("trường XMP {other}"),
            };
            found.push((label, o.cloned(), w.cloned()));
        }
        push_metadata(out, found, if whose.is_empty() { " (XMP)" } else { whose });
    }
}

/// The keys of either map whose values differ, in key order, with the value before and after.
fn differences<'m, K: Ord, V: PartialEq>(
    before: &'m BTreeMap<K, V>,
    after: &'m BTreeMap<K, V>,
) -> Vec<(&'m K, Option<&'m V>, Option<&'m V>)> {
    let keys: std::collections::BTreeSet<&K> = before.keys().chain(after.keys()).collect();
    keys.into_iter()
        .map(|k| (k, before.get(k), after.get(k)))
        .filter(|(_, o, w)| o != w)
        .collect()
}

/// One message per changed field; a change the /Info message already says in the same words
/// (a title changed in both places) is said once.
fn push_metadata(
    out: &mut Changes,
    found: Vec<(String, Option<String>, Option<String>)>,
    source: &str,
) {
    let show = |v: &Option<String>| match v {
        None => "(không có)".to_string(),
        Some(v) => {
            let v = v.trim();
            let short: String = v.chars().take(100).collect();
            if short.len() < v.len() {
                format!("\"{short}…\"")
            } else {
                format!("\"{short}\"")
            }
        }
    };
    for (label, o, w) in found {
        let plain = format!(
            "thông tin mô tả tệp bị sửa sau khi ký: {label} {} → {}",
            show(&o),
            show(&w)
        );
        if out.metadata.contains(&plain) {
            continue;
        }
        let m = if source.is_empty() {
            plain
        } else {
            format!(
                "thông tin mô tả tệp bị sửa sau khi ký: {label}{source} {} → {}",
                show(&o),
                show(&w)
            )
        };
        if !out.metadata.contains(&m) {
            out.metadata.push(m);
        }
    }
}

fn value_text(o: &Obj) -> String {
    match o {
        Obj::Str(_) | Obj::Hex(Some(_), _) => scan::text(o.bytes().unwrap_or_default()),
        Obj::Name(n) => format!("/{}", String::from_utf8_lossy(n)),
        other => other.canon(),
    }
}

fn trailer_ref(v: View, key: &[u8]) -> Option<u32> {
    ref_of(v.state.trailer(key, v.from))
}

fn ref_of(o: Option<&Obj>) -> Option<u32> {
    match o {
        Some(Obj::Ref(n, _)) => Some(*n),
        _ => None,
    }
}

/// A signature or document timestamp dictionary (/Type is optional on both).
fn is_signature(o: &Obj) -> bool {
    matches!(
        o.get(b"Type").and_then(Obj::name),
        Some(b"Sig") | Some(b"DocTimeStamp")
    ) || (o.get(b"ByteRange").is_some()
        && o.get(b"Contents").is_some()
        && o.get(b"Filter").is_some())
}

fn is_timestamp(o: &Obj) -> bool {
    o.get(b"Type").and_then(Obj::name) == Some(b"DocTimeStamp")
        || o.get(b"SubFilter").and_then(Obj::name) == Some(b"ETSI.RFC3161")
}

/// The DSS or a VRI dictionary (/Type is optional on both; their keys say what they are).
fn is_dss(o: &PObj) -> bool {
    if matches!(o.ty(), Some(b"DSS") | Some(b"VRI")) {
        return true;
    }
    let Obj::Dict(entries) = &o.obj else {
        return false;
    };
    let dss: &[&[u8]] = &[b"VRI", b"Certs", b"OCSPs", b"CRLs"];
    let vri: &[&[u8]] = &[b"Cert", b"OCSP", b"CRL", b"TU", b"TS"];
    o.stream.is_none()
        && !entries.is_empty()
        && o.ty().is_none()
        && (entries.iter().all(|(k, _, _)| dss.contains(&k.as_slice()))
            || entries.iter().all(|(k, _, _)| vri.contains(&k.as_slice())))
}

/// Objects whose change or removal is signature maintenance by their type alone.
fn is_maintenance_kind(o: &PObj) -> bool {
    matches!(
        o.ty(),
        Some(b"Sig")
            | Some(b"DocTimeStamp")
            | Some(b"DSS")
            | Some(b"VRI")
            | Some(b"XRef")
            | Some(b"ObjStm")
    ) || is_dss(o)
}

/// Two versions of an object say the same (offsets, key order and a stream's /Length aside).
fn same_pobj(pdf: &[u8], a: &PObj, b: &PObj) -> bool {
    match (&a.stream, &b.stream) {
        (None, None) => same(&a.obj, &b.obj),
        (Some(x), Some(y)) => {
            pdf[x.clone()] == pdf[y.clone()]
                && changed_keys(&a.obj, &b.obj, &[b"Length"]).is_empty()
        }
        _ => false,
    }
}

/// Two objects are equal as PDF objects: dictionaries whatever their key order, hex and
/// literal strings by their bytes, offsets ignored.
pub fn same(a: &Obj, b: &Obj) -> bool {
    match (a, b) {
        (Obj::Dict(x), Obj::Dict(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, _, v)| {
                    y.iter()
                        .find(|(k2, _, _)| k2 == k)
                        .is_some_and(|(_, _, v2)| same(v, v2))
                })
        }
        (Obj::Array(x), Obj::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Obj::Str(_) | Obj::Hex(..), Obj::Str(_) | Obj::Hex(..)) => match (a.bytes(), b.bytes()) {
            (Some(p), Some(q)) => p == q,
            _ => false,
        },
        (Obj::Real(x), Obj::Real(y)) => x == y || x.parse::<f64>().ok() == y.parse::<f64>().ok(),
        (Obj::Int(i), Obj::Real(r)) | (Obj::Real(r), Obj::Int(i)) => {
            r.parse::<f64>().ok() == Some(*i as f64)
        }
        _ => a == b,
    }
}

/// Keys whose values differ between two dictionaries (present in one only counts), as "/Key".
fn changed_keys(a: &Obj, b: &Obj, ignore: &[&[u8]]) -> Vec<String> {
    let (Obj::Dict(x), Obj::Dict(y)) = (a, b) else {
        return if same(a, b) {
            Vec::new()
        } else {
            vec!["giá trị".into()]
        };
    };
    let mut keys: Vec<&Vec<u8>> = x.iter().chain(y.iter()).map(|(k, _, _)| k).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !ignore.contains(&k.as_slice()))
        .filter(|k| match (a.get(k), b.get(k)) {
            (Some(p), Some(q)) => !same(p, q),
            (None, None) => false,
            _ => true,
        })
        .map(|k| format!("/{}", String::from_utf8_lossy(k)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PDF revision with a classic xref over `objs` (number, body), appended to `base`.
    pub(crate) fn revision(base: &[u8], objs: &[(u32, &str)], size: u32) -> Vec<u8> {
        update(base, objs, size, true)
    }

    /// The same, with or without /Prev to the revision before.
    fn update(base: &[u8], objs: &[(u32, &str)], size: u32, chain: bool) -> Vec<u8> {
        let mut out = base.to_vec();
        let prev = if base.is_empty() {
            out.extend_from_slice(b"%PDF-1.7\n");
            None
        } else if !chain {
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
            format!(
                "trailer\n<< /Size {size} /Root 1 0 R /Info 6 0 R{prev} >>\nstartxref\n{xref}\n%%EOF\n"
            )
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
                (6, "<< /Title (A) /Producer (x) >>"),
            ],
            7,
        )
    }

    fn changes(pdf: &[u8], end: usize) -> Changes {
        Reading::new(pdf).changes(end)
    }

    #[test]
    fn signature_only_revisions_are_maintenance() {
        let b = base();
        let later = revision(
            &b,
            &[
                (
                    1,
                    "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R] /SigFlags 3 >> >>",
                ),
                (
                    3,
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [8 0 R] >>",
                ),
                (6, "<< /Title (A) /Producer (pyHanko) /ModDate (D:2024) >>"),
                (
                    7,
                    "<< /Type /Sig /Filter /Adobe.PPKLite /ByteRange [0 0 0 0] /Contents <00> >>",
                ),
                (
                    8,
                    "<< /Type /Annot /Subtype /Widget /FT /Sig /T (S) /V 7 0 R /Rect [0 0 0 0] >>",
                ),
            ],
            9,
        );
        let c = changes(&later, b.len());
        assert!(c.metadata.is_empty() && c.content.is_empty(), "{c:?}");
        assert_eq!(c.maintenance, [OTHER_SIGNATURE, SIG_FIELD, DATES], "{c:?}");
    }

    #[test]
    fn metadata_and_content_are_told_apart() {
        let b = base();
        let title = revision(&b, &[(6, "<< /Title (B) /Producer (x) >>")], 7);
        let c = changes(&title, b.len());
        assert_eq!(
            c.metadata,
            ["thông tin mô tả tệp bị sửa sau khi ký: tiêu đề \"A\" → \"B\""],
            "{c:?}"
        );
        assert!(c.content.is_empty(), "{c:?}");

        for (objs, what) in [
            (
                vec![(4, "<< /Length 8 >>\nstream\nBT 1 Tj\nendstream")],
                "nội dung trang 1 (đối tượng 4)",
            ),
            (
                vec![
                    (
                        3,
                        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 5 0 R] >>",
                    ),
                    (5, "<< /Length 8 >>\nstream\nBT 2 Tj\nendstream"),
                ],
                "trang 1 (đối tượng 3: /Contents thay đổi)",
            ),
            (
                vec![
                    (
                        3,
                        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [5 0 R] >>",
                    ),
                    (5, "<< /Type /Annot /Subtype /FreeText /Rect [0 0 9 9] >>"),
                ],
                "thêm chú thích trên trang 1 (FreeText, đối tượng 5)",
            ),
            (
                vec![(1, "<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>")],
                "danh mục tài liệu (Catalog, đối tượng 1: /OpenAction thay đổi)",
            ),
        ] {
            let later = revision(&b, &objs, 7);
            let c = changes(&later, b.len());
            assert!(
                c.content
                    .iter()
                    .any(|m| m == &format!("nội dung bị sửa sau khi ký: {what}")),
                "{what}: {c:?}"
            );
            assert!(c.metadata.is_empty(), "{c:?}");
        }
    }

    #[test]
    fn bytes_that_are_no_update() {
        let b = base();
        for tail in [
            &b"\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% no xref\n"[..],
            b"garbage",
        ] {
            let mut later = b.clone();
            later.extend_from_slice(tail);
            let c = changes(&later, b.len());
            assert!(
                c.content
                    .iter()
                    .any(|m| m
                        .contains("phần ghi thêm không phải một bản cập nhật PDF hợp lệ (từ byte")),
                "{c:?}"
            );
        }
        // Comments and whitespace are not content.
        let mut later = b.clone();
        later.extend_from_slice(b"\n% a comment\n\n");
        assert_eq!(changes(&later, b.len()), Changes::default());
    }

    #[test]
    fn an_object_stream_nothing_points_into_changes_nothing() {
        let b = base();
        let later = revision(
            &b,
            &[(
                5,
                "<< /Type /ObjStm /N 1 /First 4 /Length 8 >>\nstream\n3 0 1234\nendstream",
            )],
            7,
        );
        assert_eq!(changes(&later, b.len()), Changes::default());
    }

    #[test]
    fn an_update_that_does_not_chain_to_the_signed_revision() {
        let b = base();
        // A second full file appended, its xref without /Prev.
        let later = update(
            &b,
            &[
                (1, "<< /Type /Catalog /Pages 2 0 R >>"),
                (2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
                (
                    3,
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                ),
                (4, "<< /Length 8 >>\nstream\nBT 9 Tj\nendstream"),
            ],
            7,
            false,
        );
        let c = changes(&later, b.len());
        assert!(
            c.content
                .iter()
                .any(|m| m.contains("không nối tiếp bản đã ký")),
            "{c:?}"
        );
    }
}
