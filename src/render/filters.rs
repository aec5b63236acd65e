//! The tera filters templates use, named in Vietnamese:
//!
//! | filter | input | output |
//! |---|---|---|
//! | `ngay` | a date "2024-06-05" (or "5/6/2024") | "ngày 05 tháng 6 năm 2024" |
//! | `so` | an integer (or a figure) | "4.080" |
//! | `thapphan` | hundredths | "95,6" |
//! | `phantram` | hundredths of a percent | "18,68%" |
//! | `dau` | signed hundredths | "+2", "-0,5" |
//! | `la_ma` | an integer | "IV" |
//! | `hoa` | text | upper case, Unicode-correct |
//! | `cell` | text | safe inside a Markdown table cell |
//! | `doan` | text | safe inside a Markdown paragraph (one line) |
//!
//! Number filters accept a number, a number written as text, or a figure of the report data
//! (an object with `value`).

use crate::vn;
use std::collections::HashMap;
use tera::{Error, Tera, Value};

pub(super) fn register(tera: &mut Tera) {
    // Every value a template prints is escaped for Markdown unless a filter of ours made it
    // (a template that forgets `| cell` cannot break a table or start a list): our filters
    // give finished text, marked safe so it is not escaped twice.
    tera.autoescape_on(vec![""]);
    tera.set_escape_fn(escape_paragraph);
    let filters: [(&str, FilterFn); 9] = [
        ("ngay", ngay),
        ("so", so),
        ("thapphan", thapphan),
        ("phantram", phantram),
        ("dau", dau),
        ("la_ma", la_ma),
        ("hoa", hoa),
        ("cell", cell),
        ("doan", doan),
    ];
    for (name, f) in filters {
        tera.register_filter(name, Finished(f));
    }
}

type FilterFn = fn(&Value, &Args) -> tera::Result<Value>;

/// A filter whose output is finished Markdown text: tera's autoescape leaves it alone.
struct Finished(FilterFn);

impl tera::Filter for Finished {
    fn filter(&self, value: &Value, args: &Args) -> tera::Result<Value> {
        (self.0)(value, args)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

type Args = HashMap<String, Value>;

fn integer(filter: &str, v: &Value) -> tera::Result<i64> {
    let bad = || {
        Error::msg(format!(
            "bộ lọc `{filter}` cần một số nguyên, nhận được {}",
            short_json(v)
        ))
    };
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.round() as i64))
            .ok_or_else(bad),
        Value::String(s) => {
            let t: String = s.trim().chars().filter(|c| *c != '.').collect();
            t.parse().map_err(|_| bad())
        }
        Value::Object(o) => match o.get("value") {
            Some(inner) => integer(filter, inner),
            None => Err(bad()),
        },
        _ => Err(bad()),
    }
}

fn short_json(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn text(filter: &str, v: &Value) -> tera::Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(if *b { "có" } else { "không" }.to_string()),
        Value::Object(o) => match o.get("text") {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(Error::msg(format!(
                "bộ lọc `{filter}` cần chữ, nhận được {}",
                short_json(v)
            ))),
        },
        Value::Array(_) => Err(Error::msg(format!(
            "bộ lọc `{filter}` cần chữ, nhận được một danh sách"
        ))),
    }
}

fn ngay(v: &Value, _: &Args) -> tera::Result<Value> {
    let s = text("ngay", v)?;
    let d = vn::parse_date(&s).ok_or_else(|| {
        Error::msg(format!(
            "bộ lọc `ngay` cần một ngày dạng \"2024-06-05\" hoặc \"5/6/2024\", nhận được \"{s}\""
        ))
    })?;
    Ok(Value::String(vn::date_long(d)))
}

fn so(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(vn::thousands(integer("so", v)?)))
}

fn thapphan(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(vn::hundredths(integer("thapphan", v)?)))
}

fn phantram(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(vn::percent(integer("phantram", v)?)))
}

fn dau(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(vn::signed_hundredths(integer("dau", v)?)))
}

fn la_ma(v: &Value, _: &Args) -> tera::Result<Value> {
    let n = integer("la_ma", v)?;
    let n = u32::try_from(n).map_err(|_| {
        Error::msg(format!(
            "bộ lọc `la_ma` cần một số nguyên dương, nhận được {n}"
        ))
    })?;
    Ok(Value::String(vn::roman(n)))
}

fn hoa(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(vn::upper(&text("hoa", v)?)))
}

fn cell(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(escape_cell(&text("cell", v)?)))
}

fn doan(v: &Value, _: &Args) -> tera::Result<Value> {
    Ok(Value::String(escape_paragraph(&text("doan", v)?)))
}

/// Characters that Markdown (or the table conventions) would read as markup; a backslash
/// before any of them prints the character itself.
const INLINE_SPECIAL: &[char] = &['\\', '|', '*', '_', '`', '[', ']', '<', '>', '^', '&', '~'];

fn escape_inline(s: &str, out: &mut String) {
    for ch in s.chars() {
        if INLINE_SPECIAL.contains(&ch) {
            out.push('\\');
        }
        out.push(ch);
    }
}

/// Text for a table cell: markup characters escaped (so `|` does not end the cell and a lone
/// `^` or `<` is not a merge marker), line breaks as `<br>`, NFC.
pub fn escape_cell(s: &str) -> String {
    let s = vn::nfc(s);
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("<br>");
        }
        escape_inline(&collapse(line), &mut out);
    }
    out
}

/// Text for a sentence in a paragraph or list item: markup escaped, line breaks and runs of
/// spaces folded into one space, and nothing at the start that Markdown would read as a
/// heading, a list marker or a quote.
pub fn escape_paragraph(s: &str) -> String {
    let s = vn::clean(s);
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    // A leading "#", "-", "+", "1." would start a heading or a list if the text began a line.
    if let Some(&c) = chars.peek()
        && matches!(c, '#' | '-' | '+' | '=')
    {
        out.push('\\');
    }
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() && matches!(s[digits.len()..].chars().next(), Some('.' | ')')) {
        out.push_str(&digits);
        out.push('\\');
        escape_inline(&s[digits.len()..], &mut out);
        return out;
    }
    escape_inline(&s, &mut out);
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn apply(f: fn(&Value, &Args) -> tera::Result<Value>, v: Value) -> String {
        match f(&v, &Args::new()).unwrap() {
            Value::String(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn ngay_formats_decree_30_dates() {
        assert_eq!(apply(ngay, json!("2024-06-05")), "ngày 05 tháng 6 năm 2024");
        assert_eq!(
            apply(ngay, json!("2024-02-15")),
            "ngày 15 tháng 02 năm 2024"
        );
        assert_eq!(apply(ngay, json!("28/3/2024")), "ngày 28 tháng 3 năm 2024");
        assert!(ngay(&json!("hôm qua"), &Args::new()).is_err());
    }

    #[test]
    fn values_are_escaped_unless_a_filter_of_ours_finished_them() {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.add_raw_template(
            "t.md",
            "| {{ x }} | {{ x | cell }} | {{ n | so }} |\n- {{ y }}",
        )
        .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "a | b\nc");
        ctx.insert("n", &4080);
        ctx.insert("y", "- *không* là danh sách");
        let out = tera.render("t.md", &ctx).unwrap();
        assert_eq!(
            out,
            "| a \\| b c | a \\| b<br>c | 4.080 |\n- \\- \\*không\\* là danh sách"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(apply(so, json!(4080)), "4.080");
        assert_eq!(apply(so, json!(1234567)), "1.234.567");
        assert_eq!(apply(so, json!("762")), "762");
        assert_eq!(apply(so, json!({"value": 4080, "text": "4.080"})), "4.080");
        assert_eq!(apply(thapphan, json!(9560)), "95,6");
        assert_eq!(apply(thapphan, json!(9506)), "95,06");
        assert_eq!(apply(phantram, json!(1868)), "18,68%");
        assert_eq!(apply(phantram, json!(10000)), "100,00%");
        assert_eq!(apply(phantram, json!(9810)), "98,10%");
        assert_eq!(apply(dau, json!(200)), "+2");
        assert_eq!(apply(dau, json!(-50)), "-0,5");
        assert_eq!(apply(dau, json!(0)), "0");
        assert_eq!(apply(la_ma, json!(4)), "IV");
        assert_eq!(apply(la_ma, json!(14)), "XIV");
        assert!(so(&json!("nhiều"), &Args::new()).is_err());
        assert!(la_ma(&json!(-1), &Args::new()).is_err());
    }

    #[test]
    fn hoa_is_unicode_upper_case() {
        assert_eq!(apply(hoa, json!("ủy ban nhân dân")), "ỦY BAN NHÂN DÂN");
        // Decomposed input comes out composed.
        assert_eq!(apply(hoa, json!("phu\u{300}")), "PHÙ");
    }

    #[test]
    fn cell_escapes_table_markup() {
        assert_eq!(apply(cell, json!("a | b")), "a \\| b");
        assert_eq!(apply(cell, json!("dòng 1\ndòng 2\n")), "dòng 1<br>dòng 2");
        assert_eq!(apply(cell, json!("^")), "\\^");
        assert_eq!(apply(cell, json!("<")), "\\<");
        assert_eq!(apply(cell, json!("<5 ngày")), "\\<5 ngày");
        assert_eq!(apply(cell, json!("*QĐ*")), "\\*QĐ\\*");
        assert_eq!(apply(cell, json!(null)), "");
    }

    #[test]
    fn cell_text_survives_the_markdown_reader() {
        let text = "Tỷ lệ | 50% ^ <\nQĐ số 12_2024 *mới*\n^";
        let md = format!(
            "| a | b |\n|-|-|\n| x | {} |\n| {} | y |\n",
            escape_cell(text),
            escape_cell("<")
        );
        let blocks = crate::doc::from_markdown(&md).unwrap();
        let crate::doc::Block::Table(t) = &blocks[0] else {
            panic!()
        };
        assert_eq!(
            t.rows[0].cells[1].text_content(),
            "Tỷ lệ | 50% ^ <\nQĐ số 12_2024 *mới*\n^"
        );
        assert_eq!(t.rows[1].cells[0].text_content(), "<");
    }

    #[test]
    fn doan_keeps_text_in_one_paragraph() {
        for text in [
            "- gạch đầu dòng",
            "# không phải đề mục",
            "1. không phải danh sách",
        ] {
            let md = format!(
                "Mở đầu: {}\n\n{}\n",
                escape_paragraph(text),
                escape_paragraph(text)
            );
            let blocks = crate::doc::from_markdown(&md).unwrap();
            assert_eq!(blocks.len(), 2, "{text}");
            let crate::doc::Block::Paragraph(p) = &blocks[1] else {
                panic!("{text}: {:?}", blocks[1])
            };
            assert_eq!(p.text(), text);
        }
        assert_eq!(escape_paragraph("a\n  b"), "a b");
    }
}
