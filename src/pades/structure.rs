//! Is the file a PDF that can be read sanely? See [`super::structure_problems`].

use super::revisions::last_startxref;
use super::scan::{self, MAX_NESTING};
use super::xref::{Doc, Loc, View};
use std::collections::HashSet;

pub fn problems(pdf: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    if scan::find(&pdf[..pdf.len().min(1024)], b"%PDF-", 0).is_none() {
        out.push("không có dòng đầu %PDF- (không phải tệp PDF)".to_string());
    }
    if scan::find(&pdf[pdf.len().saturating_sub(1024)..], b"%%EOF", 0).is_none() {
        out.push("cuối tệp không có %%EOF (tệp bị cắt cụt hoặc bị ghi thêm dữ liệu lạ)".into());
    }
    if let Some(at) = nesting(pdf, false) {
        out.push(format!(
            "mảng hoặc từ điển lồng nhau quá {MAX_NESTING} cấp (ở byte {at})"
        ));
    }
    let mut doc = Doc::new(pdf);
    let state = match last_startxref(pdf, pdf.len()) {
        None => {
            out.push("không có startxref (vị trí bảng xref) ở cuối tệp".into());
            return out;
        }
        Some(head) => match doc.chain(head) {
            Ok(st) => st,
            Err(why) => {
                out.push(why);
                return out;
            }
        },
    };
    let v = View {
        state: &state,
        from: 0,
    };
    // Objects outside the file, and the nesting inside the streams a reader parses as PDF
    // syntax: object streams, page contents, form XObjects.
    let mut outside = Vec::new();
    let contents: HashSet<u32> = doc
        .pages(v)
        .iter()
        .flat_map(|p| p.contents.iter().copied())
        .collect();
    for n in state.all() {
        let loc = state.loc(n, 0).map(|(_, l)| l);
        if let Some(Loc::At(off)) = loc
            && off >= pdf.len()
        {
            outside.push(n);
            continue;
        }
        if !matches!(loc, Some(Loc::At(_))) {
            continue;
        }
        let Some(o) = doc.get(v, n) else { continue };
        let Some(range) = o.stream.clone() else {
            continue;
        };
        let kind = (o.ty(), o.subtype());
        let data = if kind.0 == Some(b"ObjStm") {
            doc.objstm_data(v, n)
        } else if kind.1 == Some(b"Form") || contents.contains(&n) {
            doc.decode(&o.obj, &pdf[range], usize::MAX)
        } else {
            continue;
        };
        if let Some(data) = data
            && let Some(at) = nesting(&data, kind.0 != Some(b"ObjStm"))
        {
            out.push(format!(
                "mảng hoặc từ điển lồng nhau quá {MAX_NESTING} cấp (trong luồng nén của đối tượng {n}, ở byte {at} sau giải nén)"
            ));
        }
    }
    if !outside.is_empty() {
        let shown: Vec<String> = outside.iter().take(5).map(|n| n.to_string()).collect();
        out.push(format!(
            "bảng xref đặt {} đối tượng ra ngoài tệp (đối tượng {}{})",
            outside.len(),
            shown.join(", "),
            if outside.len() > 5 { ", ..." } else { "" }
        ));
    }
    if doc.over_budget {
        out.push(
            "dữ liệu nén trong tệp giải nén ra quá lớn so với kích thước tệp (nghi là tệp được tạo để làm treo chương trình đọc)"
                .into(),
        );
    }
    out
}

/// The offset where arrays and dictionaries first nest deeper than [`MAX_NESTING`], in PDF
/// syntax (`content`: a content stream, where inline image data is skipped too). One pass,
/// no recursion: strings, comments and stream data are skipped, the depth restarts at each
/// "endobj" (a reader parses one object at a time), and a string or stream that never ends
/// stops being skipped, so a stray "(" cannot hide what follows.
pub fn nesting(s: &[u8], content: bool) -> Option<usize> {
    let n = s.len();
    let mut depth = 0usize;
    let mut i = 0;
    let (mut strings, mut hex, mut streams, mut images) = (true, true, true, true);
    let regular = |b: u8| !scan::is_pdf_ws(b) && !b"()<>[]{}/%".contains(&b);
    while i < n {
        match s[i] {
            b'%' => {
                while i < n && s[i] != b'\n' && s[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' if strings => {
                let mut d = 0usize;
                let mut j = i + 1;
                let mut closed = false;
                while j < n {
                    match s[j] {
                        b'\\' => j += 1,
                        b'(' => d += 1,
                        b')' if d == 0 => {
                            closed = true;
                            break;
                        }
                        b')' => d -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                if closed {
                    i = j + 1;
                } else {
                    strings = false;
                    i += 1;
                }
                continue;
            }
            b'<' if s.get(i + 1) == Some(&b'<') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
                i += 2;
                continue;
            }
            b'<' if hex => match scan::find(s, b">", i + 1) {
                Some(e) => {
                    i = e + 1;
                    continue;
                }
                None => hex = false,
            },
            b'>' if s.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 2;
                continue;
            }
            b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' => depth = depth.saturating_sub(1),
            b if regular(b) => {
                let start = i;
                while i < n && regular(s[i]) {
                    i += 1;
                }
                match &s[start..i] {
                    b"endobj" => depth = 0,
                    b"stream" if streams && !content => match scan::find(s, b"endstream", i) {
                        Some(e) => i = e + 9,
                        None => streams = false,
                    },
                    b"ID" if images && content => {
                        // Inline image data runs to "EI" between whitespace.
                        let mut j = i + 1;
                        loop {
                            match scan::find(s, b"EI", j) {
                                Some(e)
                                    if scan::is_pdf_ws(s[e - 1])
                                        && s.get(e + 2).is_none_or(|b| !regular(*b)) =>
                                {
                                    i = e + 2;
                                    break;
                                }
                                Some(e) => j = e + 1,
                                None => {
                                    images = false;
                                    break;
                                }
                            }
                        }
                    }
                    _ => {}
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_strings_comments_and_streams() {
        let deep = |n: usize| format!("1 0 obj\n{}\nendobj\n", "[".repeat(n));
        assert_eq!(nesting(deep(MAX_NESTING).as_bytes(), false), None);
        assert_eq!(
            nesting(deep(MAX_NESTING + 1).as_bytes(), false),
            Some(8 + MAX_NESTING)
        );
        let hidden = format!(
            "1 0 obj\n({}) % {}\n<< /Length 3 >>\nstream\n{}\nendstream\nendobj\n",
            "[".repeat(1000),
            "[".repeat(1000),
            "[".repeat(1000)
        );
        assert_eq!(nesting(hidden.as_bytes(), false), None);
        // One object at a time.
        assert_eq!(nesting(deep(200).repeat(10).as_bytes(), false), None);
        // An unterminated string does not hide what follows.
        let open = format!("1 0 obj\n( {}", "[".repeat(1000));
        assert!(nesting(open.as_bytes(), false).is_some());
        let image = format!("q BI /W 1 ID {} EI Q [[", "[".repeat(1000));
        assert_eq!(nesting(image.as_bytes(), true), None);
    }

    #[test]
    fn a_hundred_thousand_arrays_are_refused_fast() {
        let mut pdf = b"%PDF-1.7\n1 0 obj\n".to_vec();
        pdf.extend(std::iter::repeat_n(b'[', 100_000));
        pdf.extend(std::iter::repeat_n(b']', 100_000));
        pdf.extend_from_slice(b"\nendobj\nstartxref\n0\n%%EOF\n");
        let t = std::time::Instant::now();
        let p = problems(&pdf);
        assert!(
            p.iter().any(|m| m.contains("lồng nhau quá 256 cấp")),
            "{p:?}"
        );
        assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
    }
}
