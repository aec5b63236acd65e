//! Vietnamese text and number conventions: NFC, matching keys, upper case, numbers with a
//! decimal comma and thousands dot, percentages rounded half up, signed differences, Roman
//! numerals and Decree 30 dates.
//!
//! ```
//! use cchc::vn;
//! assert_eq!(vn::thousands(4080), "4.080");
//! assert_eq!(vn::percent_hundredths(762, 4080), Some(1868));
//! assert_eq!(vn::hundredths(1868), "18,68");
//! assert_eq!(vn::signed_hundredths(-50), "-0,5");
//! assert_eq!(vn::roman(4), "IV");
//! assert_eq!(vn::upper("ủy ban"), "ỦY BAN");
//! ```

use chrono::{Datelike, NaiveDate};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// NFC form of `s`; every text read from a file goes through this.
pub fn nfc(s: &str) -> String {
    into_nfc(s.to_owned())
}

/// [`nfc`] of an owned string, without a copy when it is NFC already.
pub fn into_nfc(s: String) -> String {
    // Nearly all input is NFC already (precomposed Vietnamese is), and the quick check costs a
    // table lookup per character where composing costs a decomposition and a recomposition:
    // it was 5 % of the whole report's CPU time.
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s;
    }
    s.nfc().collect()
}

/// NFC with runs of white space (including non-breaking spaces and line breaks) folded to one
/// space and the ends trimmed: how a cell's text is compared and printed.
pub fn clean(s: &str) -> String {
    // Codes and numbers, most of a dossier list's cells: nothing to fold, already NFC.
    if s.bytes().all(|b| b.is_ascii_graphic()) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    into_nfc(out)
}

/// [`clean`] line by line, for long texts typed in a cell (Alt+Enter in Excel): each line's
/// spaces folded and its ends trimmed, blank lines dropped, and the line breaks kept as "\n"
/// whether they were typed as LF, CR LF, CR, a vertical tab or U+2028.
pub fn clean_lines(s: &str) -> String {
    let breaks = |c: char| matches!(c, '\n' | '\r' | '\u{0b}' | '\u{2028}' | '\u{2029}');
    let mut out = String::with_capacity(s.len());
    for line in s.split(breaks) {
        let line = clean(line);
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line);
    }
    out
}

/// A matching key: lower case, no diacritics ("đ" -> "d"), punctuation dropped, words joined
/// by one space. "Bộ phận  Văn hoá - Thông tin" and "bo phan van hoa thong tin" have the same
/// key; so do the old ("hoá") and new ("hóa") accent placements.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            _ => c,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// Unicode-correct upper case, NFC.
pub fn upper(s: &str) -> String {
    nfc(&s.to_uppercase())
}

/// An integer with a thousands dot: 4080 -> "4.080", -1245 -> "-1.245".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A value given in hundredths, printed with a decimal comma and no trailing zeros:
/// 9560 -> "95,6", 250 -> "2,5", 1800 -> "18", 1868 -> "18,68", 408000 -> "4.080".
pub fn hundredths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let int = thousands((a / 100) as i64);
    let frac = a % 100;
    if frac == 0 {
        format!("{sign}{int}")
    } else if frac.is_multiple_of(10) {
        format!("{sign}{int},{}", frac / 10)
    } else {
        format!("{sign}{int},{frac:02}")
    }
}

/// A share in hundredths of a percent as every measured percentage is printed: always two
/// decimals, so that shares side by side read alike ("98,10%", "98,13%", "100,00%").
pub fn percent(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{},{:02}%", thousands((a / 100) as i64), a % 100)
}

/// A difference in hundredths with its sign: "+2", "-0,5", "0".
pub fn signed_hundredths(v: i64) -> String {
    if v > 0 {
        format!("+{}", hundredths(v))
    } else {
        hundredths(v)
    }
}

/// `num / den` as a percentage in hundredths of a percent, rounded half up
/// (762/4080 = 18,6764..% -> 1868). `None` when `den` is zero.
pub fn percent_hundredths(num: i64, den: i64) -> Option<i64> {
    if den == 0 {
        return None;
    }
    // percent * 100 = num * 10000 / den; round half up on exact integers.
    let n = num as i128 * 10_000 * 2 + den as i128;
    let d = 2 * den as i128;
    Some(n.div_euclid(d) as i64)
}

/// Upper-case Roman numeral for 1..=3999; other values print as Arabic digits.
pub fn roman(n: u32) -> String {
    if n == 0 || n > 3999 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// Parses an upper-case Roman numeral ("IV" -> 4).
pub fn parse_roman(s: &str) -> Option<u32> {
    let s = s.trim().trim_end_matches('.');
    if s.is_empty() || !s.chars().all(|c| "IVXLCDM".contains(c)) {
        return None;
    }
    (1..=3999).find(|&n| roman(n) == s)
}

/// The Decree 30 date: "ngày 05 tháng 6 năm 2024" (a day below 10 and the months 1 and 2 take
/// a leading zero; other months do not).
pub fn date_long(d: NaiveDate) -> String {
    let month = match d.month() {
        m @ (1 | 2) => format!("{m:02}"),
        m => m.to_string(),
    };
    format!("ngày {:02} tháng {} năm {}", d.day(), month, d.year())
}

/// The short form used inside sentences: "15/3/2024".
/// Vietnam's time (UTC+7, no daylight saving): the time people read.
pub fn vietnam() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset")
}

/// An instant in RFC 3339 with Vietnam's offset, for JSON: "2024-06-05T10:00:00+07:00".
pub fn rfc3339_vietnam(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&vietnam())
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// An instant as people read it, in Vietnam's time: "10:00 ngày 05/06/2024 (giờ Việt Nam)".
pub fn time_for_people(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&vietnam())
        .format("%H:%M ngày %d/%m/%Y (giờ Việt Nam)")
        .to_string()
}

pub fn date_short(d: NaiveDate) -> String {
    format!("{}/{}/{}", d.day(), d.month(), d.year())
}

/// A date written as "2024-03-28", "28/3/2024", "28-03-2024" or "28.3.2024".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = t.split(['/', '-', '.']).map(str::trim).collect();
    if let [d, m, y] = parts[..] {
        let (d, m, y) = (d.parse().ok()?, m.parse().ok()?, y.parse::<i32>().ok()?);
        if (1000..=9999).contains(&y) {
            return NaiveDate::from_ymd_opt(y, m, d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_always_have_two_decimals_and_times_are_vietnam_time() {
        assert_eq!(percent(9810), "98,10%");
        assert_eq!(percent(9813), "98,13%");
        assert_eq!(percent(10000), "100,00%");
        assert_eq!(percent(5), "0,05%");
        assert_eq!(percent(123456), "1.234,56%");
        let t = chrono::DateTime::parse_from_rfc3339("2024-06-05T03:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(rfc3339_vietnam(t), "2024-06-05T10:00:00+07:00");
        assert_eq!(time_for_people(t), "10:00 ngày 05/06/2024 (giờ Việt Nam)");
        let late = chrono::DateTime::parse_from_rfc3339("2024-06-05T20:30:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            time_for_people(late),
            "03:30 ngày 06/06/2024 (giờ Việt Nam)"
        );
    }

    #[test]
    fn clean_lines_keeps_typed_line_breaks_and_tidies_each_line() {
        assert_eq!(
            clean_lines(" a  b \r\n\r\n\tc\u{2028}d\u{0b}e\n\n"),
            "a b\nc\nd\ne"
        );
        assert_eq!(clean_lines("  "), "");
        let nfd: String = "Hoà\nthành".nfd().collect();
        assert_eq!(clean_lines(&nfd), "Hoà\nthành");
    }

    #[test]
    fn nfc_composes_decomposed_text_and_keeps_composed_text() {
        // "Việt Nam" typed with combining marks (e + dot below + circumflex), as some
        // keyboards and PDF copies give it; and a combining mark the quick check calls "maybe".
        let nfd = "Vie\u{323}\u{302}t Nam";
        assert_eq!(nfc(nfd), "Việt Nam");
        assert_eq!(into_nfc(nfd.to_string()), "Việt Nam");
        assert_eq!(clean("  Vie\u{323}\u{302}t\u{a0} Nam "), "Việt Nam");
        assert_eq!(nfc("a\u{301}"), "á");
        for s in ["Việt Nam", "Ủy ban nhân dân phường Phú Lãm", ""] {
            assert_eq!(nfc(s), s);
            assert_eq!(into_nfc(s.to_string()), s);
        }
    }

    #[test]
    fn fold_ignores_case_accents_spacing_and_accent_placement() {
        assert_eq!(
            fold("Bộ phận  Văn hoá - Thông tin"),
            "bo phan van hoa thong tin"
        );
        assert_eq!(
            fold("BỘ PHẬN VĂN HÓA THÔNG TIN"),
            "bo phan van hoa thong tin"
        );
        assert_eq!(fold("Đơn vị:"), "don vi");
        // NFD input folds the same as NFC.
        let nfd: String = "Tiếp nhận".nfd().collect();
        assert_eq!(fold(&nfd), "tiep nhan");
        assert_eq!(fold("Bộ phận TN&TKQ"), "bo phan tn tkq");
    }

    #[test]
    fn clean_normalises_space_and_form() {
        let nfd: String = " Hoàn\u{a0} thành \n".nfd().collect();
        assert_eq!(clean(&nfd), "Hoàn thành");
        assert_eq!(clean(&nfd).chars().count(), 10);
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1.000");
        assert_eq!(thousands(1234567), "1.234.567");
        assert_eq!(thousands(-4080), "-4.080");
        assert_eq!(hundredths(9560), "95,6");
        assert_eq!(hundredths(9506), "95,06");
        assert_eq!(hundredths(-50), "-0,5");
        assert_eq!(signed_hundredths(200), "+2");
        assert_eq!(signed_hundredths(0), "0");
        assert_eq!(signed_hundredths(-50), "-0,5");
    }

    #[test]
    fn percent_rounds_half_up() {
        // The seed prints 18,67% (truncated); half up gives 18,68%.
        assert_eq!(percent_hundredths(762, 4080), Some(1868));
        assert_eq!(percent_hundredths(1, 8), Some(1250));
        assert_eq!(percent_hundredths(1, 3), Some(3333));
        assert_eq!(percent_hundredths(2, 3), Some(6667));
        // 0,125% exactly -> 0,13%
        assert_eq!(percent_hundredths(1, 800), Some(13));
        assert_eq!(percent_hundredths(5, 0), None);
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
        assert_eq!(parse_roman("III"), Some(3));
        assert_eq!(parse_roman("IV."), Some(4));
        assert_eq!(parse_roman("IIII"), None);
        assert_eq!(parse_roman("1"), None);
    }

    #[test]
    fn decree_30_dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date_long(d(2024, 6, 5)), "ngày 05 tháng 6 năm 2024");
        assert_eq!(date_long(d(2024, 2, 28)), "ngày 28 tháng 02 năm 2024");
        assert_eq!(date_long(d(2024, 12, 14)), "ngày 14 tháng 12 năm 2024");
        assert_eq!(date_short(d(2024, 3, 15)), "15/3/2024");
    }

    #[test]
    fn dates_as_text() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 28).unwrap();
        assert_eq!(parse_date("2024-03-28"), Some(d));
        assert_eq!(parse_date("28/3/2024"), Some(d));
        assert_eq!(parse_date(" 28/03/2024 "), Some(d));
        assert_eq!(parse_date("28.03.2024"), Some(d));
        assert_eq!(parse_date("31/2/2024"), None);
        assert_eq!(parse_date("28/3/24"), None);
    }

    #[test]
    fn upper_case_is_unicode_correct() {
        assert_eq!(
            upper("ủy ban nhân dân phường phú lãm"),
            "ỦY BAN NHÂN DÂN PHƯỜNG PHÚ LÃM"
        );
    }
}
