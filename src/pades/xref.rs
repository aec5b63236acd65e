//! The cross-reference structure of a PDF read from its bytes: the chain of xref sections
//! (classic tables, xref streams, hybrid files' /XRefStm) from a startxref through /Prev, the
//! objects they point to (inside object streams too), the page tree and the signature fields.
//!
//! Everything here is bounded by the size of the file: each section, object and object stream
//! is parsed at most once and cached; a /Prev loop or an offset outside the file is an error,
//! not a walk; nesting is limited by [`scan::MAX_NESTING`]; the page tree and field tree
//! walks keep their own stacks and visit each object once; and decompression draws on one
//! budget proportional to the file ([`Doc::new`]). lopdf is used only to decompress a
//! stream, which does not parse objects and so cannot recurse on untrusted syntax.

use super::scan::{self, Obj};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::rc::Rc;

/// Where the current version of an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loc {
    /// "n g obj" at this offset of the file.
    At(usize),
    /// The object with this index inside the object stream with this object number.
    InStm(u32, u32),
    /// A free entry: the object was deleted.
    Free,
}

/// One cross-reference section with its trailer.
#[derive(Debug)]
pub struct Section {
    /// Offset of "xref", or of "n g obj" of an xref stream.
    pub at: usize,
    /// Offset after the trailer dictionary (table) or after "endobj" (stream).
    pub end: usize,
    /// The entries in the order written; the first one of an object number counts.
    pub entries: Vec<(u32, Loc)>,
    /// The trailer dictionary (the stream dictionary of an xref stream).
    pub trailer: Obj,
}

impl Section {
    fn offset(&self, key: &[u8]) -> Option<i64> {
        match self.trailer.get(key) {
            Some(Obj::Int(n)) => Some(*n),
            _ => None,
        }
    }
}

/// One parsed object.
#[derive(Debug)]
pub struct PObj {
    pub num: u32,
    pub obj: Obj,
    /// A stream's data in the file (streams are never inside object streams).
    pub stream: Option<Range<usize>>,
    /// For an object written in the file: its span, "n g obj" to after "endobj".
    pub span: Option<Range<usize>>,
}

impl PObj {
    pub fn ty(&self) -> Option<&[u8]> {
        self.obj.get(b"Type").and_then(Obj::name)
    }
    pub fn subtype(&self) -> Option<&[u8]> {
        self.obj.get(b"Subtype").and_then(Obj::name)
    }
}

/// The objects of one document state: which version of each object a reader uses.
#[derive(Debug, Default)]
pub struct State {
    /// Section offsets, newest first; empty for a state rebuilt by scanning the bytes.
    pub sections: Vec<usize>,
    /// Per object number, every version the chain holds as (index in `sections`, where),
    /// newest first.
    versions: HashMap<u32, Vec<(u32, Loc)>>,
    /// The trailer of each section (one, for a rebuilt state).
    trailers: Vec<Obj>,
}

impl State {
    /// Where object `num` is in the state made by sections `from..` (0: the whole chain).
    pub fn loc(&self, num: u32, from: u32) -> Option<(u32, Loc)> {
        let v = self.versions.get(&num)?;
        let i = v.partition_point(|(j, _)| *j < from);
        v.get(i).copied()
    }

    /// The trailer entry of the state made by sections `from..` (older trailers fill in keys
    /// a newer one leaves out).
    pub fn trailer(&self, key: &[u8], from: u32) -> Option<&Obj> {
        self.trailers
            .get(from as usize..)?
            .iter()
            .find_map(|t| t.get(key))
    }

    /// Object numbers with an entry in sections `0..to`, each once, ascending.
    pub fn newer_than(&self, to: u32, doc: &Doc) -> Vec<u32> {
        let mut out: Vec<u32> = self.sections[..(to as usize).min(self.sections.len())]
            .iter()
            .filter_map(|at| doc.section(*at))
            .flat_map(|s| s.entries.iter().map(|(n, _)| *n))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Every object number of the state, ascending.
    pub fn all(&self) -> Vec<u32> {
        let mut out: Vec<u32> = self.versions.keys().copied().collect();
        out.sort_unstable();
        out
    }

    /// Where `sections` is at `at`, if it is.
    pub fn index_of(&self, at: usize) -> Option<u32> {
        self.sections
            .iter()
            .position(|s| *s == at)
            .and_then(|i| u32::try_from(i).ok())
    }
}

/// A document state seen as of one revision: `state` with only sections `from..`.
#[derive(Clone, Copy)]
pub struct View<'s> {
    pub state: &'s State,
    pub from: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    At(usize),
    In(usize, u32),
}

struct ObjStm {
    data: Vec<u8>,
    /// (object number, offset in `data`) of each object.
    index: Vec<(u32, usize)>,
}

/// The file and what has been read of it.
pub struct Doc<'a> {
    pub pdf: &'a [u8],
    sections: HashMap<usize, Result<Rc<Section>, String>>,
    objects: HashMap<Key, Option<Rc<PObj>>>,
    objstms: HashMap<usize, Option<Rc<ObjStm>>>,
    /// Bytes that decompression may still produce.
    budget: usize,
    /// Decompression stopped on the budget at least once.
    pub over_budget: bool,
}

/// The most any one stream may decompress to.
const STREAM_CAP: usize = 256 << 20;

impl<'a> Doc<'a> {
    /// A reader of `pdf` whose decompression may produce 64 MiB plus 32 times the file in
    /// all, far above what text and object streams compress by (3 to 10 times).
    pub fn new(pdf: &'a [u8]) -> Doc<'a> {
        Doc {
            pdf,
            sections: HashMap::new(),
            objects: HashMap::new(),
            objstms: HashMap::new(),
            budget: (64usize << 20).saturating_add(pdf.len().saturating_mul(32)),
            over_budget: false,
        }
    }

    /// A section already read by [`Doc::chain`].
    pub fn section(&self, at: usize) -> Option<&Rc<Section>> {
        self.sections.get(&at).and_then(|r| r.as_ref().ok())
    }

    fn read_section(&mut self, at: usize) -> Result<Rc<Section>, String> {
        if let Some(r) = self.sections.get(&at) {
            return r.clone();
        }
        let r = self.parse_section(at).map(Rc::new);
        self.sections.insert(at, r.clone());
        r
    }

    fn parse_section(&mut self, at: usize) -> Result<Section, String> {
        let pdf = self.pdf;
        if pdf[at..].starts_with(b"xref") {
            return table(pdf, at).map_err(|why| format!("bảng xref ở byte {at} hỏng: {why}"));
        }
        let not_xref = || format!("ở byte {at} không có bảng xref hay luồng xref");
        let (num, dict, after) = obj_header(pdf, at).ok_or_else(not_xref)?;
        if dict.get(b"Type").and_then(Obj::name) != Some(b"XRef") {
            return Err(not_xref());
        }
        let data = scan::stream_data(pdf, &dict, after)
            .ok_or_else(|| format!("luồng xref ở byte {at} (đối tượng {num}) không có dữ liệu"))?;
        let end = scan::after_endobj(pdf, data.end, Some(data.end));
        self.xref_stream(at, end, dict, data)
            .map_err(|why| format!("luồng xref ở byte {at} hỏng: {why}"))
    }

    fn xref_stream(
        &mut self,
        at: usize,
        end: usize,
        dict: Obj,
        data: Range<usize>,
    ) -> Result<Section, String> {
        let ints = |o: Option<&Obj>| -> Option<Vec<u64>> {
            match o? {
                Obj::Array(a) => a
                    .iter()
                    .map(|v| match v {
                        Obj::Int(n) => u64::try_from(*n).ok(),
                        _ => None,
                    })
                    .collect(),
                _ => None,
            }
        };
        let w = ints(dict.get(b"W")).ok_or("thiếu /W")?;
        if w.len() != 3 || w.iter().any(|x| *x > 8) {
            return Err("/W không phải ba độ rộng từ 0 đến 8".into());
        }
        let w: Vec<usize> = w.iter().map(|x| *x as usize).collect();
        let row = w.iter().sum::<usize>();
        let size = match dict.get(b"Size") {
            Some(Obj::Int(n)) => u64::try_from(*n).map_err(|_| "/Size âm")?,
            _ => return Err("thiếu /Size".into()),
        };
        let index = match dict.get(b"Index") {
            None => vec![0, size],
            Some(_) => ints(dict.get(b"Index")).ok_or("/Index không phải các số nguyên")?,
        };
        if index.len() % 2 != 0 || row == 0 {
            return Err("/Index hoặc /W sai".into());
        }
        let count = index
            .chunks(2)
            .try_fold(0u64, |a, c| a.checked_add(c[1]))
            .ok_or("số mục quá lớn")?;
        let need = usize::try_from(count)
            .ok()
            .and_then(|c| c.checked_mul(row))
            .filter(|n| *n <= STREAM_CAP)
            .ok_or("số mục quá lớn")?;
        let pdf = self.pdf;
        let raw = &pdf[data];
        // Room for a PNG predictor's byte per row (undone after the limit is applied) and for
        // writers that pad.
        let cap = need.saturating_add(count as usize).saturating_mul(2) + 1024;
        let bytes = self.decode(&dict, raw, cap).ok_or("không giải nén được")?;
        if bytes.len() < need {
            return Err(format!(
                "dữ liệu ngắn hơn số mục khai báo ({} byte, cần {need})",
                bytes.len()
            ));
        }
        let field = |b: &[u8]| b.iter().fold(0u64, |a, x| (a << 8) | u64::from(*x));
        let mut entries = Vec::with_capacity(count as usize);
        let mut rows = bytes.chunks_exact(row);
        for pair in index.chunks(2) {
            let start = u32::try_from(pair[0]).map_err(|_| "số đối tượng quá lớn")?;
            for i in 0..pair[1] {
                let r = rows.next().ok_or("thiếu mục")?;
                let kind = if w[0] == 0 { 1 } else { field(&r[..w[0]]) };
                let f2 = field(&r[w[0]..w[0] + w[1]]);
                let f3 = field(&r[w[0] + w[1]..]);
                let num =
                    u32::try_from(u64::from(start) + i).map_err(|_| "số đối tượng quá lớn")?;
                let loc = match kind {
                    0 => Loc::Free,
                    1 => Loc::At(usize::try_from(f2).unwrap_or(usize::MAX)),
                    2 => Loc::InStm(
                        u32::try_from(f2).unwrap_or(u32::MAX),
                        u32::try_from(f3).unwrap_or(u32::MAX),
                    ),
                    // Other types are reserved and read as the null object.
                    _ => continue,
                };
                entries.push((num, loc));
            }
        }
        Ok(Section {
            at,
            end,
            entries,
            trailer: dict,
        })
    }

    /// The chain of sections from the startxref value `head`, as a state. Err says in
    /// Vietnamese what is broken (an offset outside the file, not at an xref, a /Prev loop,
    /// a broken section).
    pub fn chain(&mut self, head: i64) -> Result<State, String> {
        let len = self.pdf.len();
        let mut st = State::default();
        let mut seen = HashSet::new();
        let mut next = Some((head, "startxref".to_string()));
        while let Some((off, origin)) = next.take() {
            let at = usize::try_from(off)
                .ok()
                .filter(|o| *o < len)
                .ok_or_else(|| {
                    format!("{origin} trỏ ra ngoài tệp (byte {off}, tệp dài {len} byte)")
                })?;
            // Writers that are a few bytes off land on the whitespace before "xref".
            let at = skip_blank(self.pdf, at);
            if !seen.insert(at) {
                return Err(format!(
                    "chuỗi /Prev quay vòng: {origin} trỏ lại bảng xref ở byte {at} đã đọc"
                ));
            }
            let s = self
                .read_section(at)
                .map_err(|why| format!("{origin} trỏ tới byte {off}: {why}"))?;
            st.sections.push(at);
            st.trailers.push(s.trailer.clone());
            // A hybrid file's xref stream comes right after its table.
            if let Some(x) = s.offset(b"XRefStm")
                && let Some(x) = usize::try_from(x).ok().filter(|x| *x < len)
                && seen.insert(skip_blank(self.pdf, x))
                && let Ok(xs) = self.read_section(skip_blank(self.pdf, x))
            {
                st.sections.push(xs.at);
                st.trailers.push(Obj::Dict(Vec::new()));
            }
            next = s
                .offset(b"Prev")
                .map(|p| (p, format!("/Prev của bảng xref ở byte {at}")));
        }
        for (i, at) in st.sections.iter().enumerate() {
            let s = self.section(*at).expect("read above");
            let mut mine = HashSet::new();
            for (n, loc) in &s.entries {
                if mine.insert(*n) {
                    st.versions.entry(*n).or_default().push((i as u32, *loc));
                }
            }
        }
        Ok(st)
    }

    /// The state a tolerant reader rebuilds from `pdf[..to]` alone: the last definition of
    /// each object number, then objects in object streams that no plain definition gives.
    pub fn rebuild(&mut self, to: usize) -> State {
        let mut st = State::default();
        let defs = scan::definitions(self.pdf, 0, to);
        let mut stms = Vec::new();
        for d in &defs {
            st.versions.insert(d.num, vec![(0, Loc::At(d.at))]);
            if d.obj.get(b"Type").and_then(Obj::name) == Some(b"ObjStm") {
                stms.push((d.num, d.at));
            }
        }
        for (num, at) in stms {
            if let Some(os) = self.objstm(at, num) {
                for (i, (n, _)) in os.index.iter().enumerate() {
                    st.versions
                        .entry(*n)
                        .or_insert_with(|| vec![(0, Loc::InStm(num, i as u32))]);
                }
            }
        }
        let trailer = scan::find_all(&self.pdf[..to], b"trailer")
            .into_iter()
            .rev()
            .find_map(|p| match scan::parse(self.pdf, p + 7) {
                Some((d @ Obj::Dict(_), _)) => Some(d),
                _ => None,
            })
            .or_else(|| {
                defs.iter()
                    .rev()
                    .find(|d| d.obj.get(b"Type").and_then(Obj::name) == Some(b"XRef"))
                    .map(|d| d.obj.clone())
            });
        st.trailers.push(trailer.unwrap_or(Obj::Dict(Vec::new())));
        st
    }

    /// The object `num` as the view sees it; None when free, missing or unreadable.
    pub fn get(&mut self, v: View, num: u32) -> Option<Rc<PObj>> {
        let (j, loc) = v.state.loc(num, v.from)?;
        self.get_at(v.state, j, num, loc)
    }

    /// The object `num` at `loc`, an entry of section `j` of `state`.
    pub fn get_at(&mut self, state: &State, j: u32, num: u32, loc: Loc) -> Option<Rc<PObj>> {
        let key = match loc {
            Loc::Free => return None,
            Loc::At(off) => Key::At(off),
            Loc::InStm(stm, i) => match state.loc(stm, j)? {
                (_, Loc::At(off)) => Key::In(off, i),
                _ => return None,
            },
        };
        if let Some(o) = self.objects.get(&key) {
            return o.clone().filter(|o| o.num == num);
        }
        let o = match key {
            Key::At(off) => self.read_at(off).map(Rc::new),
            Key::In(off, i) => {
                let Loc::InStm(stm, _) = loc else {
                    unreachable!()
                };
                self.objstm(off, stm).and_then(|os| {
                    let (n, at) = *os.index.get(i as usize)?;
                    let (obj, _) = scan::parse(&os.data, at)?;
                    Some(Rc::new(PObj {
                        num: n,
                        obj,
                        stream: None,
                        span: None,
                    }))
                })
            }
        };
        self.objects.insert(key, o.clone());
        o.filter(|o| o.num == num)
    }

    fn read_at(&self, off: usize) -> Option<PObj> {
        let (num, obj, after) = obj_header(self.pdf, off)?;
        let stream = scan::stream_data(self.pdf, &obj, after);
        let end = match &stream {
            Some(r) => scan::after_endobj(self.pdf, r.end, Some(r.end)),
            None => scan::after_endobj(self.pdf, after, None),
        };
        Some(PObj {
            num,
            obj,
            stream,
            span: Some(off..end),
        })
    }

    fn objstm(&mut self, at: usize, num: u32) -> Option<Rc<ObjStm>> {
        if let Some(o) = self.objstms.get(&at) {
            return o.clone();
        }
        let o = self.read_objstm(at, num).map(Rc::new);
        self.objstms.insert(at, o.clone());
        o
    }

    fn read_objstm(&mut self, at: usize, num: u32) -> Option<ObjStm> {
        let o = self.read_at(at)?;
        if o.num != num || o.ty() != Some(b"ObjStm") {
            return None;
        }
        let int = |k: &[u8]| match o.obj.get(k) {
            Some(Obj::Int(n)) => usize::try_from(*n).ok(),
            _ => None,
        };
        let (n, first) = (int(b"N")?, int(b"First")?);
        let pdf = self.pdf;
        let raw = &pdf[o.stream.clone()?];
        let data = self.decode(&o.obj, raw, STREAM_CAP)?;
        let mut index = Vec::with_capacity(n.min(data.len() / 4 + 1));
        let mut p = 0;
        for _ in 0..n {
            let (num, q) = scan::int_at(&data, p)?;
            let (off, q) = scan::int_at(&data, q)?;
            index.push((u32::try_from(num).ok()?, first.checked_add(off as usize)?));
            p = q;
        }
        Some(ObjStm { data, index })
    }

    /// Every object stream of the state, decompressed (for the nesting check).
    pub fn objstm_data(&mut self, v: View, num: u32) -> Option<Vec<u8>> {
        let (_, Loc::At(at)) = v.state.loc(num, v.from)? else {
            return None;
        };
        self.objstm(at, num).map(|o| o.data.clone())
    }

    /// A stream's data decoded, within the budget; None when a filter is unknown, the data
    /// is broken, or the budget is spent (then `over_budget` is set).
    pub fn decode(&mut self, dict: &Obj, raw: &[u8], cap: usize) -> Option<Vec<u8>> {
        let limit = cap.min(self.budget).min(STREAM_CAP);
        let out = match dict.get(b"Filter") {
            None => Some(raw.to_vec()).filter(|d| d.len() <= limit),
            Some(filter) => {
                let mut d = lopdf::Dictionary::new();
                d.set("Filter", to_lopdf(filter, 0)?);
                if let Some(p) = dict.get(b"DecodeParms") {
                    d.set("DecodeParms", to_lopdf(p, 0)?);
                }
                let stream = lopdf::Stream::new(d, raw.to_vec());
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
                    stream.decompressed_content_with_limit(limit)
                }))
                .ok()?;
                if let Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    ..
                })) = &r
                    && limit < cap.min(STREAM_CAP)
                {
                    self.over_budget = true;
                }
                r.ok()
            }
        };
        if let Some(o) = &out {
            self.budget = self.budget.saturating_sub(o.len());
        }
        out
    }

    /// `o` itself, or the object it refers to.
    pub fn deref(&mut self, v: View, o: &Obj) -> Option<Obj> {
        match o {
            Obj::Ref(n, _) => self.get(v, *n).map(|p| p.obj.clone()),
            other => Some(other.clone()),
        }
    }

    /// The catalog of the view.
    pub fn catalog(&mut self, v: View) -> Option<(u32, Rc<PObj>)> {
        let Some(Obj::Ref(n, _)) = v.state.trailer(b"Root", v.from) else {
            return None;
        };
        let n = *n;
        self.get(v, n).map(|c| (n, c))
    }

    /// Every page of the view in order, with the objects that belong to it.
    pub fn pages(&mut self, v: View) -> Vec<Page> {
        let mut out = Vec::new();
        let Some((_, cat)) = self.catalog(v) else {
            return out;
        };
        let Some(Obj::Ref(root, _)) = cat.obj.get(b"Pages") else {
            return out;
        };
        let mut seen = HashSet::new();
        // (node, resources inherited from the nodes above)
        let mut stack: Vec<(u32, Option<Obj>)> = vec![(*root, None)];
        while let Some((n, inherited)) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            let Some(node) = self.get(v, n) else {
                continue;
            };
            let resources = node.obj.get(b"Resources").cloned().or(inherited);
            let kids = node
                .obj
                .get(b"Kids")
                .cloned()
                .and_then(|k| self.deref(v, &k));
            if node.ty() == Some(b"Pages") || (node.ty() != Some(b"Page") && kids.is_some()) {
                if let Some(Obj::Array(kids)) = kids {
                    for k in kids.iter().rev() {
                        if let Obj::Ref(k, _) = k {
                            stack.push((*k, resources.clone()));
                        }
                    }
                }
                continue;
            }
            let mut page = Page {
                num: n,
                ..Page::default()
            };
            let refs = |o: Option<&Obj>| o.map(Obj::refs).unwrap_or_default();
            match node.obj.get(b"Contents") {
                Some(Obj::Ref(c, _)) => match self.get(v, *c) {
                    Some(o) if matches!(o.obj, Obj::Array(_)) => {
                        page.contents_array = Some(*c);
                        page.contents = refs(Some(&o.obj));
                    }
                    _ => page.contents = vec![*c],
                },
                other => page.contents = refs(other),
            }
            match node.obj.get(b"Annots") {
                Some(Obj::Ref(a, _)) => {
                    page.annots_array = Some(*a);
                    if let Some(o) = self.get(v, *a) {
                        page.annots = refs(Some(&o.obj));
                    }
                }
                other => page.annots = refs(other),
            }
            if let Some(r) = resources {
                if let Obj::Ref(rn, _) = r {
                    page.resources.push((rn, "tài nguyên"));
                }
                if let Some(Obj::Dict(entries)) = self.deref(v, &r) {
                    for (k, _, val) in entries {
                        let kind = match k.as_slice() {
                            b"Font" => "phông chữ",
                            b"XObject" => "hình ảnh hoặc khối đồ họa",
                            _ => "tài nguyên",
                        };
                        if let Obj::Ref(vn, _) = val {
                            page.resources.push((vn, kind));
                        }
                        if let Some(Obj::Dict(items)) = self.deref(v, &val) {
                            for (_, _, item) in items {
                                if let Obj::Ref(i, _) = item {
                                    page.resources.push((i, kind));
                                }
                            }
                        }
                    }
                }
            }
            out.push(page);
        }
        out
    }

    /// The /FT of a field or widget, its own or inherited through /Parent.
    pub fn field_type(&mut self, v: View, o: &Obj) -> Option<Vec<u8>> {
        let mut cur = o.clone();
        let mut seen = HashSet::new();
        for _ in 0..64 {
            if let Some(ft) = cur.get(b"FT").and_then(Obj::name) {
                return Some(ft.to_vec());
            }
            let Some(Obj::Ref(p, _)) = cur.get(b"Parent") else {
                return None;
            };
            if !seen.insert(*p) {
                return None;
            }
            cur = self.get(v, *p)?.obj.clone();
        }
        None
    }

    /// The signature fields of the AcroForm.
    pub fn signature_fields(&mut self, v: View) -> Vec<SigField> {
        let mut out = Vec::new();
        let Some((_, cat)) = self.catalog(v) else {
            return out;
        };
        let Some(form) = cat
            .obj
            .get(b"AcroForm")
            .cloned()
            .and_then(|f| self.deref(v, &f))
        else {
            return out;
        };
        let Some(fields) = form.get(b"Fields").cloned().and_then(|f| self.deref(v, &f)) else {
            return out;
        };
        let mut seen = HashSet::new();
        // (field, /FT inherited from above)
        let mut stack: Vec<(u32, Option<Vec<u8>>)> = Vec::new();
        let push_refs = |stack: &mut Vec<_>, a: &Obj, ft: &Option<Vec<u8>>| {
            if let Obj::Array(a) = a {
                for x in a.iter().rev() {
                    if let Obj::Ref(r, _) = x {
                        stack.push((*r, ft.clone()));
                    }
                }
            }
        };
        push_refs(&mut stack, &fields, &None);
        while let Some((n, ft)) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            let Some(f) = self.get(v, n) else { continue };
            let ft = f
                .obj
                .get(b"FT")
                .and_then(Obj::name)
                .map(<[u8]>::to_vec)
                .or(ft);
            if ft.as_deref() == Some(b"Sig") {
                let t = f.obj.get(b"T").and_then(Obj::bytes).map(scan::text);
                let val = match f.obj.get(b"V") {
                    Some(Obj::Ref(r, g)) => Some((*r, *g)),
                    _ => None,
                };
                out.push((n, t, val));
            }
            if let Some(k) = f.obj.get(b"Kids").cloned().and_then(|k| self.deref(v, &k)) {
                push_refs(&mut stack, &k, &ft);
            }
        }
        out
    }
}

/// A signature field: its object, /T, and the object its /V refers to.
pub type SigField = (u32, Option<String>, Option<(u32, u16)>);

/// One page and the objects it is made of.
#[derive(Debug, Default, Clone)]
pub struct Page {
    pub num: u32,
    pub contents: Vec<u32>,
    /// /Contents when it is an indirect array.
    pub contents_array: Option<u32>,
    pub annots: Vec<u32>,
    /// /Annots when it is an indirect array.
    pub annots_array: Option<u32>,
    /// Resource dictionaries and the resources in them, with what they are.
    pub resources: Vec<(u32, &'static str)>,
}

/// Skips PDF whitespace (not comments) from `p`.
fn skip_blank(s: &[u8], mut p: usize) -> usize {
    while p < s.len() && scan::is_pdf_ws(s[p]) {
        p += 1;
    }
    p
}

/// "n g obj" at `at` and the object after it: (n, object, offset after the object).
fn obj_header(pdf: &[u8], at: usize) -> Option<(u32, Obj, usize)> {
    let (n, q) = scan::int_at(pdf, at)?;
    let (_g, q) = scan::int_at(pdf, q)?;
    let q = scan::skip_ws(pdf, q);
    if !pdf[q..].starts_with(b"obj") {
        return None;
    }
    let (obj, after) = scan::parse(pdf, q + 3)?;
    Some((u32::try_from(n).ok()?, obj, after))
}

/// A classic xref table at `at` ("xref" there).
fn table(pdf: &[u8], at: usize) -> Result<Section, String> {
    let mut q = at + 4;
    let mut entries = Vec::new();
    loop {
        q = scan::skip_ws(pdf, q);
        if pdf[q..].starts_with(b"trailer") {
            break;
        }
        let (start, r) =
            scan::int_at(pdf, q).ok_or("thiếu dòng đầu nhóm mục hoặc từ khóa trailer")?;
        let (count, r) = scan::int_at(pdf, r).ok_or("dòng đầu nhóm mục không có số mục")?;
        // An entry takes at least 18 bytes ("o g n" with single spaces and one EOL byte).
        if count as usize > (pdf.len() - r) / 18 + 1 {
            return Err(format!(
                "nhóm mục khai báo {count} mục, nhiều hơn tệp chứa được"
            ));
        }
        let start = u32::try_from(start).map_err(|_| "số đối tượng quá lớn")?;
        q = r;
        for i in 0..count {
            let num = u32::try_from(i)
                .ok()
                .and_then(|i| start.checked_add(i))
                .ok_or("số đối tượng quá lớn")?;
            let bad = || format!("mục của đối tượng {num} không đọc được");
            let (off, r) = scan::int_at(pdf, q).ok_or_else(bad)?;
            let (_gen, r) = scan::int_at(pdf, r).ok_or_else(bad)?;
            let r = scan::skip_ws(pdf, r);
            let loc = match pdf.get(r) {
                Some(b'n') => Loc::At(usize::try_from(off).unwrap_or(usize::MAX)),
                Some(b'f') => Loc::Free,
                _ => return Err(bad()),
            };
            entries.push((num, loc));
            q = r + 1;
        }
    }
    match scan::parse(pdf, q + 7) {
        Some((trailer @ Obj::Dict(_), end)) => Ok(Section {
            at,
            end,
            entries,
            trailer,
        }),
        _ => Err("từ điển trailer không đọc được".into()),
    }
}

/// Filter names and decode parameters as lopdf wants them (shallow by nature).
fn to_lopdf(o: &Obj, depth: usize) -> Option<lopdf::Object> {
    use lopdf::Object as L;
    if depth > 4 {
        return None;
    }
    Some(match o {
        Obj::Name(n) => L::Name(n.clone()),
        Obj::Int(n) => L::Integer(*n),
        Obj::Real(r) => L::Real(r.parse().ok()?),
        Obj::Bool(b) => L::Boolean(*b),
        Obj::Null => L::Null,
        Obj::Array(a) => L::Array(
            a.iter()
                .map(|x| to_lopdf(x, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Obj::Dict(e) => {
            let mut d = lopdf::Dictionary::new();
            for (k, _, v) in e {
                d.set(k.clone(), to_lopdf(v, depth + 1)?);
            }
            L::Dictionary(d)
        }
        _ => return None,
    })
}
