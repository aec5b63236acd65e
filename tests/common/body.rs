//! The body of a report as a reader sees it, in both formats: the text before "Nơi nhận"
//! (pdftotext for the PDF, the paragraphs of word/document.xml for the DOCX), and checks on it
//! that hold for every report: no sentence said twice, every percentage one of the period's.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;

/// The PDF's body, whitespace folded, page numbers (a line of digits alone) dropped.
pub fn pdf_body(pdf: &Path) -> String {
    let text = super::pdftotext_raw(pdf);
    let before = text.split("Nơi nhận:").next().unwrap_or("");
    let lines: Vec<&str> = before
        .lines()
        .filter(|l| !l.trim().chars().all(|c| c.is_ascii_digit()))
        .collect();
    super::squash(&lines.join("\n"))
}

/// The DOCX's body: its paragraphs' text (w:t, tabs and breaks as spaces), one per line.
pub fn docx_body(docx: &Path) -> String {
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // The writer's own shapes: <w:t> or <w:t xml:space="preserve">, <w:tab/>, <w:br/>.
    let unescape = |t: &str| {
        t.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    let paras: Vec<String> = xml
        .split("</w:p>")
        .map(|p| {
            let mut cur = String::new();
            let mut rest = p;
            while let Some(i) = rest.find('<') {
                rest = &rest[i..];
                let close = rest.find('>').unwrap_or(rest.len() - 1);
                let tag = &rest[..=close];
                rest = &rest[close + 1..];
                if tag == "<w:tab/>" || tag == "<w:br/>" {
                    cur.push(' ');
                } else if tag == "<w:t>" || tag.starts_with("<w:t ") {
                    let end = rest.find("</w:t>").unwrap_or(rest.len());
                    cur.push_str(&unescape(&rest[..end]));
                    rest = &rest[end..];
                }
            }
            cur
        })
        .collect();
    let body: Vec<String> = paras
        .into_iter()
        .take_while(|p| !p.starts_with("Nơi nhận"))
        .map(|p| super::squash(&p))
        .collect();
    body.join("\n")
}

/// Sentences: text ended by . ! ? or a list item (a "- " after ";" or ":", or a new
/// paragraph).
pub fn sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in body.lines() {
        let mut cur = String::new();
        let words: Vec<&str> = para.split(' ').collect();
        for (i, w) in words.iter().enumerate() {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(w);
            let next_is_item = words.get(i + 1) == Some(&"-");
            let ends = w.ends_with(['.', '!', '?']) || (w.ends_with([';', ':']) && next_is_item);
            if ends {
                out.push(std::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// The sentences of 8 words or more that the body says more than once.
pub fn repeated_sentences(body: &str) -> Vec<String> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for s in sentences(body) {
        if s.split_whitespace().count() < 8 {
            continue;
        }
        match seen.iter_mut().find(|(t, _)| *t == s) {
            Some((_, n)) => *n += 1,
            None => seen.push((s, 1)),
        }
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(s, _)| s)
        .collect()
}

/// Every "95,6%"-like token of a text.
pub fn percentages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '%' {
            continue;
        }
        let mut j = i;
        while j > 0 && (chars[j - 1].is_ascii_digit() || chars[j - 1] == ',') {
            j -= 1;
        }
        let token: String = chars[j..=i].iter().collect();
        let token = token.trim_start_matches(',').to_string();
        if token.len() > 1 {
            out.push(token);
        }
    }
    out
}

/// Every string value anywhere in a JSON value.
pub fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}
