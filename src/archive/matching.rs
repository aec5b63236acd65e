//! Does a signed copy say what cchc generated? Its text is compared with the generated report
//! of the same number in `output/`: title, number, date and every figure, in order.
//!
//! A copy signed in place (the signing plugin appends a revision) starts with the generated
//! file byte for byte, which is the strongest answer and is reported as such. A copy that went
//! through Word or a printer is compared on its text: words are compared after NFC and
//! whitespace folding, and figures (every word holding a digit) must appear in the same order.

use chrono::NaiveDate;
use std::path::Path;

use super::register::{Match, MatchVerdict};
use crate::vn;

/// What cchc reads of a PDF: its text layer and document information.
#[derive(Debug, Clone, Default)]
pub struct PdfFacts {
    /// NFC text of every page, in content order; empty for a scan.
    pub text: String,
    pub title: Option<String>,
    pub subject: Option<String>,
}

impl PdfFacts {
    pub fn has_text(&self) -> bool {
        self.text.chars().any(char::is_alphanumeric)
    }
}

/// Reads the text and the Info dictionary. An error is a sentence saying why the file could not
/// be read as a PDF.
pub fn read_facts(bytes: &[u8]) -> Result<PdfFacts, String> {
    let doc = load(bytes)?;
    let (title, subject) = info(&doc);
    Ok(PdfFacts {
        text: text_of(&doc),
        title,
        subject,
    })
}

/// lopdf only on bytes whose structure pades has found sane (xref chains that end, bounded
/// nesting): its parser recurses and follows references without bounds of its own.
fn load(bytes: &[u8]) -> Result<lopdf::Document, String> {
    if let Some(why) = crate::pades::structure_problems(bytes).first() {
        return Err(format!("không đọc được PDF ({why})"));
    }
    lopdf::Document::load_mem(bytes).map_err(|e| format!("không đọc được PDF ({e})"))
}

fn text_of(doc: &lopdf::Document) -> String {
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut text = String::new();
    // A page whose text cannot be decoded is left out rather than failing the whole file: the
    // comparison then reports the missing words.
    for chunk in doc.extract_text_chunks(&pages).into_iter().flatten() {
        text.push_str(&chunk);
        text.push('\n');
    }
    vn::nfc(&text)
}

/// Title and subject of the Info dictionary.
fn info(doc: &lopdf::Document) -> (Option<String>, Option<String>) {
    let info = doc
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| doc.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok().cloned());
    let field = |key: &[u8]| {
        info.as_ref()
            .and_then(|d| d.get(key).ok())
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .map(|s| vn::nfc(s.trim()))
            .filter(|s| !s.is_empty())
    };
    (field(b"Title"), field(b"Subject"))
}

/// The document number after "Số:" (e.g. "12/BC-UBND"), as printed.
pub fn number_in(text: &str) -> Option<String> {
    let at = text.find("Số:")?;
    let rest = &text[at + "Số:".len()..];
    let word = rest.split_whitespace().next()?;
    // A draft leaves the number blank: "Số: /BC-UBND".
    word.chars()
        .next()
        .filter(char::is_ascii_digit)
        .map(|_| word.to_string())
}

/// The first "ngày 05 tháng 6 năm 2024" of the text (Decree 30's date line).
pub fn date_in(text: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(6).find_map(|w| {
        let num = |s: &str| s.trim_end_matches([',', '.', ';']).parse::<u32>().ok();
        if w[0].to_lowercase() == "ngày" && w[2] == "tháng" && w[4] == "năm" {
            NaiveDate::from_ymd_opt(num(w[5])? as i32, num(w[3])?, num(w[1])?)
        } else {
            None
        }
    })
}

/// Number and date compared in a folded form: "12/BC-UBND" and "12/bc-ubnd" are one number.
pub fn same_number(a: &str, b: &str) -> bool {
    vn::fold(a) == vn::fold(b)
}

/// The document type and trích yếu from a title such as "Báo cáo kết quả thực hiện ...".
pub fn type_and_summary(title: &str) -> (String, String) {
    const TYPES: [&str; 6] = [
        "Báo cáo",
        "Kế hoạch",
        "Quyết định",
        "Công văn",
        "Thông báo",
        "Tờ trình",
    ];
    for t in TYPES {
        if let Some(rest) = title.strip_prefix(t) {
            let rest = rest.trim();
            let mut summary = rest.to_string();
            if let Some(first) = summary.chars().next() {
                summary = first.to_uppercase().chain(rest.chars().skip(1)).collect();
            }
            return (t.to_string(), summary);
        }
    }
    (String::new(), title.to_string())
}

/// A report cchc generated, found in `output/`.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Workspace-relative, '/'-separated.
    pub path: String,
    pub bytes: Vec<u8>,
    pub facts: PdfFacts,
}

/// The generated PDFs whose number is `number` (folded comparison), from
/// `output/<period>/*.pdf` and `output/*.pdf`. The files named after appendices alone are skipped:
/// the signed document is the report with its appendices.
pub fn find_generated(workspace: &Path, number: &str) -> Vec<Generated> {
    let mut found = Vec::new();
    let out = workspace.join("output");
    let mut candidates = Vec::new();
    let mut push_pdfs = |dir: &Path, rel: &str| {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.ends_with(".pdf") && !name.starts_with("phu-luc") && !name.starts_with('.')
                {
                    candidates.push((e.path(), format!("{rel}{name}")));
                }
            }
        }
    };
    push_pdfs(&out, "output/");
    if let Ok(entries) = std::fs::read_dir(&out) {
        let mut dirs: Vec<_> = entries
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        dirs.sort();
        for d in dirs {
            push_pdfs(&out.join(&d), &format!("output/{d}/"));
        }
    }
    candidates.sort_by(|a, b| a.1.cmp(&b.1));
    for (path, rel) in candidates {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(doc) = load(&bytes) else {
            continue;
        };
        let (title, subject) = info(&doc);
        // cchc writes "Báo cáo số 12/BC-UBND" as the subject: another number there rules the
        // file out without decoding its pages (the costly part).
        if let Some(other) = subject
            .as_deref()
            .and_then(|s| s.rsplit_once(" số "))
            .map(|(_, n)| n.trim())
            && !same_number(other, number)
        {
            continue;
        }
        let facts = PdfFacts {
            text: text_of(&doc),
            title,
            subject,
        };
        if number_in(&facts.text).is_some_and(|n| same_number(&n, number)) {
            found.push(Generated {
                path: rel,
                bytes,
                facts,
            });
        }
    }
    found
}

/// How many differences are spelled out; the rest are counted.
const SHOWN: usize = 5;

/// Compare a signed copy with the generated report.
pub fn compare(signed_bytes: &[u8], signed: &PdfFacts, generated: &Generated) -> Match {
    let identical_prefix = signed_bytes.starts_with(&generated.bytes);
    let mut differences = Vec::new();
    let verdict = if identical_prefix {
        MatchVerdict::Khop
    } else if !signed.has_text() {
        MatchVerdict::BanQuet
    } else {
        let (gen_text, signed_text) = (&generated.facts.text, &signed.text);
        match (number_in(gen_text), number_in(signed_text)) {
            (Some(a), Some(b)) if !same_number(&a, &b) => {
                differences.push(format!("số văn bản: bản tạo \"{a}\", bản ký \"{b}\""));
            }
            (Some(a), None) => differences.push(format!("bản ký không ghi số văn bản \"{a}\"")),
            _ => {}
        }
        match (date_in(gen_text), date_in(signed_text)) {
            (Some(a), Some(b)) if a != b => differences.push(format!(
                "ngày văn bản: bản tạo {}, bản ký {}",
                vn::date_short(a),
                vn::date_short(b)
            )),
            (Some(a), None) => differences.push(format!(
                "bản ký không có dòng ngày tháng ({})",
                vn::date_short(a)
            )),
            _ => {}
        }
        if let Some(title) = &generated.facts.title {
            let (_, summary) = type_and_summary(title);
            if !squashed(signed_text).contains(&squashed(&summary)) {
                differences.push(format!("bản ký không có trích yếu \"{summary}\""));
            }
        }
        differences.extend(figure_differences(gen_text, signed_text));
        if differences.is_empty() {
            MatchVerdict::Khop
        } else {
            MatchVerdict::KhacBanTao
        }
    };
    Match {
        ket_qua: verdict,
        ban_tao: Some(generated.path.clone()),
        sha256_ban_tao: Some(super::bag::sha256_hex(&generated.bytes)),
        giu_nguyen_tung_byte: identical_prefix,
        khac_biet: differences,
    }
}

/// The text with every whitespace run removed, for containment tests that do not depend on
/// where lines were broken.
fn squashed(s: &str) -> String {
    s.split_whitespace().collect()
}

/// A figure: a word holding a digit, stripped of surrounding punctuation.
fn figures(text: &str) -> Vec<(String, usize)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.chars().any(|c| c.is_ascii_digit()))
        .map(|(i, w)| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '%');
            (w.to_string(), i)
        })
        .collect()
}

/// Figures of the generated text missing from the signed text, and extra figures of the signed
/// text, aligned on the longest common subsequence so one changed figure is one difference.
fn figure_differences(generated: &str, signed: &str) -> Vec<String> {
    let a = figures(generated);
    let b = figures(signed);
    let a_words: Vec<&str> = generated.split_whitespace().collect();
    let (n, m) = (a.len(), b.len());
    // lcs[i][j] = LCS of a[i..] and b[j..]; reports have a few hundred figures.
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if a[i].0 == b[j].0 {
                lcs[at(i + 1, j + 1)] + 1
            } else {
                lcs[at(i + 1, j)].max(lcs[at(i, j + 1)])
            };
        }
    }
    let context = |word: usize| {
        let from = word.saturating_sub(4);
        a_words[from..word].join(" ")
    };
    let mut out = Vec::new();
    let (mut i, mut j, mut total) = (0, 0, 0usize);
    while i < n || j < m {
        if i < n && j < m && a[i].0 == b[j].0 {
            i += 1;
            j += 1;
        } else if i < n && j < m && lcs[at(i + 1, j + 1)] == lcs[at(i, j)] {
            // Both sides move: a figure was changed in place.
            total += 1;
            if out.len() < SHOWN {
                out.push(format!(
                    "số liệu sau \"{}\": bản tạo {}, bản ký {}",
                    context(a[i].1),
                    a[i].0,
                    b[j].0
                ));
            }
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            total += 1;
            if out.len() < SHOWN {
                out.push(format!(
                    "bản ký thiếu số liệu {} (sau \"{}\")",
                    a[i].0,
                    context(a[i].1)
                ));
            }
            i += 1;
        } else {
            total += 1;
            if out.len() < SHOWN {
                out.push(format!("bản ký có thêm số liệu {}", b[j].0));
            }
            j += 1;
        }
    }
    if total > out.len() {
        out.push(format!("và {} khác biệt số liệu khác", total - out.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_and_date_lines() {
        let t = "UBND QUẬN\nSố: 12/BC-UBND\nPhú Lãm, ngày 05 tháng 6 năm 2024\n";
        assert_eq!(number_in(t).as_deref(), Some("12/BC-UBND"));
        assert_eq!(date_in(t), NaiveDate::from_ymd_opt(2024, 6, 5));
        assert_eq!(number_in("Số: /BC-UBND"), None);
        assert!(same_number("12/BC-UBND", "12/bc-ubnd"));
        assert!(!same_number("12/BC-UBND", "13/BC-UBND"));
    }

    #[test]
    fn title_split() {
        let (t, s) = type_and_summary("Báo cáo kết quả thực hiện quý II năm 2024");
        assert_eq!(t, "Báo cáo");
        assert_eq!(s, "Kết quả thực hiện quý II năm 2024");
    }

    #[test]
    fn one_changed_figure_is_one_difference() {
        let a = "Tổng số hồ sơ 120 , đúng hạn 118 ; trễ 2 ( 1,7% )";
        let b = "Tổng số hồ sơ 120 , đúng hạn 119 ; trễ 2 ( 1,7% )";
        let d = figure_differences(a, b);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].contains("bản tạo 118, bản ký 119"), "{d:?}");
        assert!(figure_differences(a, a).is_empty());
        let c = "Tổng số hồ sơ 120 , đúng hạn 118 ; trễ 2";
        let d = figure_differences(a, c);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].contains("thiếu số liệu 1,7%"), "{d:?}");
    }

    #[test]
    fn many_differences_are_counted() {
        let a: String = (0..20).map(|i| format!("x {i} ")).collect();
        let b: String = (0..20).map(|i| format!("x {} ", i + 100)).collect();
        let d = figure_differences(&a, &b);
        assert_eq!(d.len(), SHOWN + 1);
        assert!(d.last().unwrap().contains("và 15 khác biệt"), "{d:?}");
    }
}
