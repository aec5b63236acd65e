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

/// The number before `word` in "…: 24 nhiệm vụ" style text, after `label`.
fn count_after(body: &str, label: &str) -> i64 {
    let at = body
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in {body}"));
    body[at + label.len()..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Checks that hold for the body of every report: once in the PDF's words, once in the DOCX's.
pub fn check_body(body: &str, data: &serde_json::Value, what: &str) {
    let twice = repeated_sentences(body);
    assert!(twice.is_empty(), "{what}: said twice: {twice:#?}");
    // Every percentage is one the period's data holds (a figure cchc computed, a target, or
    // a unit's own words quoted with their quarter).
    let mut strings = Vec::new();
    json_strings(data, &mut strings);
    let known: Vec<String> = strings.iter().flat_map(|s| percentages(s)).collect();
    for p in percentages(body) {
        assert!(known.contains(&p), "{what}: {p} is not in cchc data");
    }
    if let Some(share) = data["one_stop"]["online_share"]["text"].as_str() {
        assert!(
            body.contains(&format!("Tỷ lệ hồ sơ tiếp nhận trực tuyến: {share}")),
            "{what}: the period's online share {share}"
        );
    }
    if let Some(overall) = data["sipas"]["overall"]["text"].as_str() {
        assert!(
            body.contains(&format!("đạt {overall}")),
            "{what}: SIPAS {overall}"
        );
    }
    // II.1: the five statuses add up to the plan's tasks.
    let squashed = super::squash(body);
    let total = data["summary"]["total"].as_i64().unwrap();
    let parts: i64 = [
        "- Hoàn thành:",
        "- Đang thực hiện:",
        "- Chưa thực hiện:",
        "- Không phát sinh:",
        "- Chưa có báo cáo:",
    ]
    .iter()
    .map(|l| count_after(&squashed, l))
    .sum();
    assert_eq!(parts, total, "{what}: II.1 adds up");
    // II.2: each unit's counts add up to the tasks it reported.
    for u in data["units"].as_array().unwrap() {
        let n = u["reported"].as_i64().unwrap();
        if n == 0 {
            continue;
        }
        let name = u["name"].as_str().unwrap();
        let head = format!("{name}: báo cáo {n} nhiệm vụ chủ trì: ");
        let at = squashed
            .find(&head)
            .unwrap_or_else(|| panic!("{what}: no {head:?}"));
        let line: String = squashed[at + head.len()..]
            .split(['(', '.', ';'])
            .next()
            .unwrap()
            .to_string();
        let sum: i64 = line
            .split(", ")
            .map(|part| {
                part.trim()
                    .rsplit(' ')
                    .next()
                    .unwrap()
                    .parse::<i64>()
                    .unwrap()
            })
            .sum();
        assert_eq!(sum, n, "{what}: {name}: {line}");
    }
}
