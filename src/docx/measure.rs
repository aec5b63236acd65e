//! A rough width estimate for Times New Roman text, in twips.
//!
//! Only the rule lines under the header block, title and appendix title need it: the decree
//! sets their length relative to the text above them, and a DOCX paragraph border can only be
//! shortened by indents, which must be computed when the file is written. A few percent of
//! error is invisible at these lengths, so per-class advances are enough.

use unicode_normalization::UnicodeNormalization;

/// Estimated advance of `text` at `size_pt`, in twips.
pub fn text_width(text: &str, size_pt: f32, bold: bool) -> f32 {
    let ems: f32 = text.chars().map(|c| advance(c, bold)).sum();
    ems * size_pt * 20.0
}

/// Advance in ems of one character, from the base letter of its decomposition (the
/// Vietnamese marks are non-spacing).
fn advance(c: char, bold: bool) -> f32 {
    let base = match c {
        'đ' => 'd',
        'Đ' => 'D',
        _ => c.nfd().next().unwrap_or(c),
    };
    let (regular, heavy) = match base {
        ' ' => (0.25, 0.25),
        'I' => (0.33, 0.39),
        'J' => (0.39, 0.5),
        'M' => (0.89, 0.94),
        'W' => (0.94, 1.0),
        'A'..='Z' => (0.69, 0.73),
        'i' | 'j' | 'l' => (0.28, 0.28),
        'f' | 't' | 'r' => (0.33, 0.38),
        'm' => (0.78, 0.83),
        'w' => (0.72, 0.72),
        'a'..='z' => (0.48, 0.52),
        '0'..='9' => (0.5, 0.5),
        '-' | '.' | ',' | ':' | ';' | '/' | '(' | ')' => (0.3, 0.33),
        _ => (0.5, 0.55),
    };
    if bold { heavy } else { regular }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn motto_fits_its_column() {
        // "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" at 12 pt bold is about 86 mm in TNR.
        let w = text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.0, true);
        let mm = w / 1440.0 * 25.4;
        assert!((75.0..95.0).contains(&mm), "{mm}");
    }
}
