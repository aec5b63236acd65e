//! Where each figure of a report came from, for a person: every task status, indicator,
//! Biểu 06 cell, SIPAS share and index score the report prints, as printed, with the cells it
//! was read from (`tệp › sheet › ô`). `cchc nguon` prints it; `cchc nguon --xlsx` writes it as a
//! workbook the office can filter. Built from [`ReportData`] alone, so it lists exactly what the
//! templates were given. Pure.

use crate::finding::Loc;
use crate::report::{DossierData, Figure, ReportData};
use crate::sheets::Col;

/// One figure of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    /// The part of the report it belongs to: "Nhiệm vụ của Kế hoạch", "Biểu 06", …
    pub part: &'static str,
    /// What it is: "Nhiệm vụ 2 Phụ lục I: Tìm kiếm các mô hình…", "Hộ tịch: (3) …".
    pub label: String,
    /// As the report prints it: "Hoàn thành", "4.080", "98,13%".
    pub text: String,
    /// Each cell used, with what it says when the cell alone does not (the unit and its status
    /// for a task).
    pub sources: Vec<(Loc, String)>,
}

/// Every figure of `data`, in the report's order.
pub fn rows(data: &ReportData) -> Vec<SourceRow> {
    let mut out = Vec::new();
    for t in &data.tasks {
        if t.reports.is_empty() {
            continue;
        }
        out.push(SourceRow {
            part: "Nhiệm vụ của Kế hoạch",
            label: format!("Nhiệm vụ {}: {}", t.label, shorten(&t.text)),
            text: t.status.clone(),
            sources: t
                .reports
                .iter()
                .map(|r| {
                    let note = format!("{}, {}: {}", r.unit, r.quarter, r.status);
                    (r.status_source.clone(), note)
                })
                .collect(),
        });
    }
    for u in &data.units {
        if let Some(c) = &u.completion {
            out.push(figure(
                "Nhiệm vụ của Kế hoạch",
                format!("{}: tỷ lệ nhiệm vụ chủ trì đã hoàn thành", u.name),
                c,
            ));
        }
    }
    for f in &data.figures {
        let mut text = f.value.text.clone();
        if !f.basis.is_empty() {
            text = format!("{text} ({})", f.basis);
        }
        out.push(SourceRow {
            part: "Số liệu của các đơn vị",
            label: format!("{}: {} {} ({})", f.unit, f.code, f.name, f.kind_label),
            text,
            sources: plain(&f.value),
        });
    }
    if let Some(one) = &data.one_stop {
        let mut row = |d: &DossierData| {
            for c in Col::ALL {
                let f = d.get(c);
                // A split column no workbook has is not printed.
                if c.column().required || !f.sources.is_empty() {
                    let name = c.column().title();
                    out.push(figure("Biểu 06", format!("{}: {name}", d.field), f));
                }
            }
        };
        for d in &one.fields {
            row(d);
        }
        row(&one.total);
        for (name, share) in [
            ("Tỷ lệ hồ sơ trực tuyến", &one.online_share),
            ("Tỷ lệ hồ sơ trực tuyến một phần", &one.online_partial_share),
            ("Tỷ lệ hồ sơ trực tuyến toàn trình", &one.online_full_share),
            ("Tỷ lệ hồ sơ qua bưu chính công ích", &one.bcci_share),
            (
                "Tỷ lệ hồ sơ giải quyết đúng và trước hạn",
                &one.on_time_share,
            ),
        ] {
            if let Some(f) = share {
                out.push(figure("Biểu 06", name.to_string(), f));
            }
        }
    }
    if let Some(s) = &data.sipas {
        for f in &s.factors {
            out.push(figure(
                "Chỉ số hài lòng (SIPAS)",
                format!("Yếu tố {} ({}): số phiếu", f.number, f.name),
                &f.total,
            ));
            out.push(figure(
                "Chỉ số hài lòng (SIPAS)",
                format!("Yếu tố {} ({}): tỷ lệ hài lòng", f.number, f.name),
                &f.satisfied,
            ));
        }
        out.push(figure(
            "Chỉ số hài lòng (SIPAS)",
            "Tỷ lệ hài lòng chung".to_string(),
            &s.overall,
        ));
    }
    if let Some(i) = &data.index {
        for r in &i.rows {
            out.push(figure(
                "Chỉ số CCHC năm trước (Kế hoạch, mục II)",
                format!("{}. {}", r.number, r.name),
                &r.score,
            ));
        }
        out.push(figure(
            "Chỉ số CCHC năm trước (Kế hoạch, mục II)",
            "Tổng điểm (cộng lại từ các dòng)".to_string(),
            &i.total,
        ));
    }
    if let Some(a) = &data.self_assessment {
        for r in &a.rows {
            out.push(figure(
                "Tự đánh giá Chỉ số CCHC",
                format!("{}. {}", r.number, r.name),
                &r.score,
            ));
        }
        out.push(figure(
            "Tự đánh giá Chỉ số CCHC",
            "Tổng điểm (cộng lại từ các lĩnh vực)".to_string(),
            &a.total,
        ));
    }
    out
}

fn figure(part: &'static str, label: String, f: &Figure) -> SourceRow {
    SourceRow {
        part,
        label,
        text: f.text.clone(),
        sources: plain(f),
    }
}

fn plain(f: &Figure) -> Vec<(Loc, String)> {
    f.sources
        .iter()
        .map(|l| (l.clone(), String::new()))
        .collect()
}

/// The first line of a task's text, cut at a word near 70 characters.
fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    if line.chars().count() <= 70 {
        return line.to_string();
    }
    let cut: String = line.chars().take(70).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', '.']))
}

/// The listing as `cchc nguon` prints it: one block per part, each figure with its sources
/// under it.
pub fn text(title: &str, rows: &[SourceRow]) -> String {
    let mut out = format!("{title}\n");
    let mut part = "";
    for r in rows {
        if r.part != part {
            part = r.part;
            out.push_str(&format!("\n{part}\n"));
        }
        out.push_str(&format!("  {}: {}\n", r.label, r.text));
        if r.sources.is_empty() {
            out.push_str("      (không có ô nguồn)\n");
        }
        for (loc, note) in &r.sources {
            let loc = crate::finding::visible(&loc.to_string()).into_owned();
            if note.is_empty() {
                out.push_str(&format!("      ← {loc}\n"));
            } else {
                out.push_str(&format!("      ← {loc} ({note})\n"));
            }
        }
    }
    out
}

/// The listing as a workbook: one row per source cell (a figure of several cells takes several
/// rows), so that the office can filter by file or sheet.
/// `created` is the document's date property (the period's end: the same inputs give the same
/// bytes).
pub fn workbook(
    title: &str,
    rows: &[SourceRow],
    created: chrono::NaiveDate,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Nguồn số liệu")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, title, &bold)?;
    let header = [
        "Phần",
        "Nội dung",
        "Số liệu",
        "Tệp",
        "Sheet",
        "Ô",
        "Ghi chú",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    let mut r = 3u32;
    for row in rows {
        let cells: Vec<(Loc, String)> = if row.sources.is_empty() {
            vec![(Loc::Nowhere, String::new())]
        } else {
            row.sources.clone()
        };
        for (loc, note) in cells {
            let (file, sheet, cell) = match &loc {
                Loc::Cell { file, sheet, cell } => (file.clone(), sheet.clone(), cell.to_string()),
                Loc::Sheet { file, sheet } => (file.clone(), sheet.clone(), String::new()),
                Loc::Line { file, line } => (file.clone(), String::new(), format!("dòng {line}")),
                Loc::File { file } => (file.clone(), String::new(), String::new()),
                Loc::Rows {
                    file,
                    sheet,
                    count,
                    first,
                    last,
                } => (
                    file.clone(),
                    sheet.clone(),
                    format!(
                        "{} hồ sơ, {}",
                        crate::vn::thousands(i64::try_from(*count).unwrap_or(i64::MAX)),
                        crate::finding::rows_text(*first, *last)
                    ),
                ),
                Loc::Nowhere => Default::default(),
            };
            for (c, v) in [row.part, &row.label, &row.text, &file, &sheet, &cell, &note]
                .iter()
                .enumerate()
            {
                ws.write_string(r, c as u16, *v)?;
            }
            r += 1;
        }
    }
    for (c, w) in [24.0, 70.0, 14.0, 36.0, 14.0, 8.0, 36.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(3, 0)?;
    ws.autofilter(2, 0, r.saturating_sub(1).max(2), 6)?;
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title(title)
        .set_creation_datetime(&crate::workbook::excel_date(created)?);
    wb.set_properties(&props);
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_task_texts_are_cut_at_a_word() {
        assert_eq!(shorten("Ngắn gọn"), "Ngắn gọn");
        let long = "Thực hiện các giải pháp nâng cao tỉ lệ hồ sơ DVC trực tuyến mức 3,4; dịch vụ BCCI, \
                    và nhiều việc khác nữa";
        let s = shorten(long);
        assert!(s.ends_with('…') && s.chars().count() <= 71, "{s}");
        assert!(long.starts_with(s.trim_end_matches('…')), "{s}");
        assert_eq!(shorten("Dòng một\nDòng hai"), "Dòng một");
    }
}
