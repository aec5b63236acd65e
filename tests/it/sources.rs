//! `cchc nguon`: every figure of the report with the cells it came from, checked against the
//! workbooks themselves (read here with calamine, not through cchc): a listed cell must hold
//! what the listing says, so that a clerk who opens it finds the figure.

use crate::common;

use calamine::{Data, Reader};
use common::{cchc, text, workspace};
use std::path::Path;

/// The value of `cell` ("D9") of `sheet` in the workbook at `path`.
fn cell(path: &Path, sheet: &str, cell: &str) -> Data {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let letters: String = cell
        .chars()
        .take_while(|c| c.is_ascii_uppercase())
        .collect();
    let row: u32 = cell[letters.len()..].parse().unwrap();
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1))
        - 1;
    range
        .get_value((row - 1, col))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn number(d: &Data) -> i64 {
    match d {
        Data::Int(i) => *i,
        Data::Float(f) => *f as i64,
        Data::String(s) => s.replace(['.', ' '], "").parse().unwrap(),
        other => panic!("{other:?}"),
    }
}

/// The listing as a workbook: one row per source cell.
fn listing(xlsx: &Path) -> Vec<Vec<String>> {
    let mut wb = calamine::open_workbook_auto(xlsx).unwrap();
    let range = wb.worksheet_range("Nguồn số liệu").unwrap();
    range
        .rows()
        .skip(3)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn every_listed_cell_holds_the_figure() {
    let ws = workspace();
    let o = cchc(ws.path(), &["nguon", "--period", "2024-Q2", "--xlsx"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert_eq!(
        out.trim(),
        "output/2024-Q2/nguon-so-lieu-quy-II-2024.xlsx",
        "{out}"
    );
    let path = ws.path().join(out.trim());
    let first = std::fs::read(&path).unwrap();
    let rows = listing(&path);
    assert!(rows.len() > 100, "{}", rows.len());

    let mut indicators = 0;
    let mut statuses = 0;
    let mut dossier = 0;
    for r in &rows {
        let [part, label, figure, file, sheet, at, note] = &r[..] else {
            panic!("{r:?}")
        };
        // The plan's index table is a Markdown line, not a cell.
        if !file.ends_with(".xlsx") {
            assert!(file.is_empty() || at.starts_with("dòng "), "{r:?}");
            continue;
        }
        // A count made from the one-stop software's list cites its rows: "208 hồ sơ, dòng
        // 5-1.203". The first and last are dossier rows (a code in column B), and a count of
        // one lĩnh vực from one list is that many rows.
        if at.is_empty() {
            // A part that counts none, from a list, names the list's sheet.
            assert!(sheet == "Danh sách hồ sơ", "{r:?}");
            continue;
        }
        if let Some((n, span)) = at.split_once(" hồ sơ, dòng ") {
            let n: i64 = n.replace('.', "").parse().unwrap();
            let (a, b) = span.split_once('-').unwrap_or((span, span));
            for row in [a, b] {
                let code = cell(
                    &ws.path().join(file),
                    sheet,
                    &format!("B{}", row.replace('.', "")),
                );
                assert!(!matches!(code, Data::Empty), "{r:?}");
            }
            let sources = rows
                .iter()
                .filter(|o| o[0] == *part && o[1] == *label)
                .count();
            if part == "Biểu 06" && sources == 1 {
                assert_eq!(n, figure.replace('.', "").parse::<i64>().unwrap(), "{r:?}");
                dossier += 1;
            }
            continue;
        }
        let value = cell(&ws.path().join(file), sheet, at);
        match part.as_str() {
            // One cell per indicator in a quarterly report: the figure is that cell.
            "Số liệu của các đơn vị" => {
                assert_eq!(
                    number(&value),
                    figure.replace('.', "").parse::<i64>().unwrap(),
                    "{r:?}"
                );
                indicators += 1;
            }
            // The status cell, and the unit's status as the note gives it.
            "Nhiệm vụ của Kế hoạch" if !note.is_empty() => {
                let written = value.to_string();
                let said = note.rsplit(": ").next().unwrap();
                assert_eq!(written.trim().to_lowercase(), said.to_lowercase(), "{r:?}");
                assert_eq!(sheet, "Nhiệm vụ", "{r:?}");
                statuses += 1;
            }
            // A Biểu 06 column of one lĩnh vực read from one cell is that cell.
            "Biểu 06" if !label.starts_with("Tổng") && !label.contains("Tỷ lệ") => {
                let sources = rows
                    .iter()
                    .filter(|o| o[0] == *part && o[1] == *label)
                    .count();
                if sources == 1 {
                    assert_eq!(
                        number(&value),
                        figure.replace('.', "").parse::<i64>().unwrap(),
                        "{r:?}"
                    );
                    dossier += 1;
                }
            }
            _ => {}
        }
    }
    assert_eq!(indicators, 17);
    assert!(statuses >= 30, "{statuses}");
    assert!(dossier >= 40, "{dossier}");

    // Same inputs, same bytes.
    let o = cchc(ws.path(), &["nguon", "--period", "2024-Q2", "--xlsx"]);
    assert!(o.status.success());
    assert_eq!(std::fs::read(&path).unwrap(), first);
}

#[test]
fn the_printed_listing_names_each_cell_for_a_person() {
    let ws = workspace();
    let o = cchc(ws.path(), &["nguon", "--period", "2024-6T"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        out.starts_with("Nguồn số liệu của báo cáo 6 tháng đầu năm 2024 (2024-6T)\n"),
        "{out}"
    );
    for part in [
        "\nNhiệm vụ của Kế hoạch\n",
        "\nSố liệu của các đơn vị\n",
        "\nBiểu 06\n",
        "\nChỉ số hài lòng (SIPAS)\n",
    ] {
        assert!(out.contains(part), "{part}");
    }
    // A summed indicator lists both quarters' cells; a level, only the latest quarter's.
    let block = |code: &str| -> Vec<String> {
        let lines: Vec<&str> = out.lines().collect();
        let at = lines.iter().position(|l| l.contains(code)).unwrap();
        lines[at..]
            .iter()
            .skip(1)
            .take_while(|l| l.trim_start().starts_with('←'))
            .map(|l| l.trim().to_string())
            .collect()
    };
    assert_eq!(
        block("VP01 "),
        [
            "← input/2024-Q1/van-phong.xlsx › Số liệu › D7",
            "← input/2024-Q2/van-phong.xlsx › Số liệu › D7"
        ]
    );
    assert_eq!(
        block("VHTT02 "),
        ["← input/2024-Q2/van-hoa-thong-tin.xlsx › Số liệu › D8"]
    );
    assert!(!out.contains("row\":"), "{out}");
    // Every figure cites cells, the units' completion shares too (their status cells).
    assert!(!out.contains("không có ô nguồn"), "{out}");
    let share = out
        .lines()
        .position(|l| l.contains("Văn phòng UBND phường: tỷ lệ nhiệm vụ chủ trì đã hoàn thành"))
        .unwrap();
    assert!(
        out.lines()
            .nth(share + 1)
            .is_some_and(|l| l.contains("› Nhiệm vụ › ")),
        "{out}"
    );
}
