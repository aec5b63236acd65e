//! The sample's dossier lists: what the one-stop software would export each quarter, one row
//! per dossier, made so that Biểu 06 counted from them is the Biểu 06 the one-stop unit types
//! in its workbook (`dossier_year`). The year is simulated once, dossier by dossier (received,
//! due, solved, carried over), and each quarter's list is the software's view at that
//! quarter's end: every dossier received by then and not finished before the quarter began.

use super::{DossierFigures, FIELDS, mix};
use crate::config::Config;
use crate::period::Period;
use crate::sheets::contract::ledger;
use crate::workbook::{Formats, excel_date};
use chrono::{Days, NaiveDate};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The file the one-stop unit saves the export as, in each quarter's folder.
pub const FILE: &str = "mot-cua-so-theo-doi.xlsx";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Direct,
    Online,
    Post,
}

#[derive(Debug, Clone)]
struct Sim {
    code: String,
    field: usize,
    received: NaiveDate,
    /// Fixed when its fate is: a dossier pending within its deadline keeps it open.
    due: Option<NaiveDate>,
    done: Option<NaiveDate>,
    way: Way,
    full: bool,
    returned_by_post: bool,
}

const PROCEDURES: [[&str; 2]; 6] = [
    ["Đăng ký khai sinh", "Đăng ký kết hôn"],
    [
        "Chứng thực bản sao từ bản chính",
        "Chứng thực chữ ký trong giấy tờ, văn bản",
    ],
    [
        "Xác nhận tình trạng sử dụng đất",
        "Hòa giải tranh chấp đất đai",
    ],
    [
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Xác nhận hiện trạng công trình",
    ],
    [
        "Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình",
        "Trợ cấp xã hội hằng tháng",
    ],
    [
        "Tặng Giấy khen của Chủ tịch UBND cấp xã",
        "Tặng danh hiệu Gia đình văn hóa",
    ],
];

fn day(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

/// The year's dossiers, each quarter's figures met exactly.
fn simulate(year: &[Vec<DossierFigures>], windows: &[(NaiveDate, NaiveDate)]) -> Vec<Sim> {
    let mut all: Vec<Sim> = Vec::new();
    // Per lĩnh vực: the pending dossiers at the previous quarter's end, with whether overdue.
    let mut pending: Vec<Vec<(usize, bool)>> = vec![Vec::new(); FIELDS.len()];
    for (qi, rows) in year.iter().enumerate() {
        let (start, end) = windows[qi];
        for (fi, row) in rows.iter().enumerate() {
            let [
                _,
                online,
                direct,
                carried,
                _,
                early,
                on_time,
                late,
                p,
                _,
                p_late,
            ] = row.c;
            let carried_now = if qi == 0 {
                // Carried into the year: received in the weeks before its first quarter.
                (0..carried)
                    .map(|k| {
                        all.push(Sim {
                            code: String::new(),
                            field: fi,
                            received: day(start, -25 + i64::from(k) * 3),
                            due: None,
                            done: None,
                            way: Way::Direct,
                            full: false,
                            returned_by_post: false,
                        });
                        (all.len() - 1, false)
                    })
                    .collect()
            } else {
                std::mem::take(&mut pending[fi])
            };
            assert_eq!(
                carried_now.len(),
                carried as usize,
                "{}: carried",
                row.field
            );
            // New dossiers, spread over the window; the last ones stay pending.
            let new = online + direct;
            let span = (end - start).num_days().max(1);
            let mut fresh = Vec::new();
            for k in 0..new {
                let way = if k < online {
                    Way::Online
                } else if k - online < row.bcci_received {
                    Way::Post
                } else {
                    Way::Direct
                };
                // Interleave the channels over the window.
                let slot = (u64::from(k) * 7919 + mix(&[row.field], qi as u64)) % u64::from(new);
                let received = day(
                    start,
                    i64::try_from(slot).unwrap_or(0) * span / i64::from(new),
                );
                all.push(Sim {
                    code: String::new(),
                    field: fi,
                    received,
                    due: None,
                    done: None,
                    way,
                    full: way == Way::Online && k < row.online_full,
                    returned_by_post: false,
                });
                fresh.push(all.len() - 1);
            }
            fresh.sort_by_key(|&i| (all[i].received, i));
            let (solved_new, still) = fresh.split_at(fresh.len() - p as usize);
            // Overdue at the end: the earliest of those still pending.
            let mut next = Vec::new();
            for (k, &i) in still.iter().enumerate() {
                let overdue = (k as u32) < p_late;
                if overdue {
                    let due = day(end, -2).max(all[i].received);
                    assert!(
                        due < end,
                        "{}: overdue dossier received too late",
                        row.field
                    );
                    all[i].due = Some(due);
                }
                next.push((i, overdue));
            }
            pending[fi] = next;
            // Solved in the quarter: those carried over first, then the new ones by date.
            let mut solved: Vec<(usize, bool)> = carried_now;
            solved.extend(solved_new.iter().map(|&i| (i, false)));
            let forced = solved.iter().filter(|(_, o)| *o).count() as u32;
            assert!(
                forced <= late,
                "{}: overdue carried dossiers exceed (10)",
                row.field
            );
            let mut late_left = late - forced;
            let mut on_time_left = on_time;
            let mut early_left = early;
            let mut returned_left = row.bcci_returned;
            for (k, &(i, overdue)) in solved.iter().enumerate() {
                let carried_in = all[i].received < start;
                let done = if carried_in {
                    day(start, 1 + (k as i64 % 20))
                } else {
                    day(all[i].received, 3 + (k as i64 % 3)).min(end)
                };
                all[i].done = Some(done);
                if overdue {
                    continue;
                }
                if late_left > 0 && (carried_in || done >= day(all[i].received, 2)) {
                    late_left -= 1;
                    all[i].due = Some(if carried_in {
                        day(start, -1)
                    } else {
                        day(done, -2).max(all[i].received)
                    });
                } else if on_time_left > 0 {
                    on_time_left -= 1;
                    all[i].due = Some(done);
                } else {
                    early_left -= 1;
                    all[i].due = Some(day(done, 2));
                }
                if returned_left > 0 && all[i].way != Way::Online {
                    returned_left -= 1;
                    all[i].returned_by_post = true;
                }
            }
            assert_eq!(
                (late_left, on_time_left, early_left),
                (0, 0, 0),
                "{}",
                row.field
            );
            assert_eq!(returned_left, 0, "{}: BCCI returns", row.field);
        }
    }
    // Pending at the year's end within their deadline: due after it.
    let last = windows.last().map_or(NaiveDate::MIN, |w| w.1);
    for s in &mut all {
        if s.due.is_none() {
            s.due = Some(day(last, 10));
        }
    }
    // Codes as the software numbers them: field, day of receipt, running number.
    all.sort_by_key(|s| (s.received, s.field));
    for (n, s) in all.iter_mut().enumerate() {
        s.code = format!(
            "H26.{:02}-{}-{:05}",
            s.field + 1,
            s.received.format("%y%m%d"),
            n + 1
        );
    }
    all
}

/// Each quarter's list, as (relative path, bytes).
pub fn generate(
    config: &Config,
    year_no: i32,
    year: &[Vec<DossierFigures>],
) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    let periods: Vec<Period> = (1..=4).map(|q| Period::quarter(year_no, q)).collect();
    let windows: Vec<(NaiveDate, NaiveDate)> = periods
        .iter()
        .map(|p| p.window(&config.ky_bao_cao))
        .collect();
    let all = simulate(year, &windows);
    let mut out = Vec::new();
    for (qi, period) in periods.iter().enumerate() {
        let (start, end) = windows[qi];
        let rows: Vec<&Sim> = all
            .iter()
            .filter(|s| s.received <= end && s.done.is_none_or(|d| d >= start))
            .collect();
        out.push((
            format!("input/{period}/{FILE}"),
            write(config, period, (start, end), &rows)?,
        ));
    }
    Ok(out)
}

fn write(
    config: &Config,
    period: &Period,
    (start, end): (NaiveDate, NaiveDate),
    rows: &[&Sim],
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let f = Formats::new();
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name("Danh sách hồ sơ")?;
    let table = ledger::TABLE;
    let shown = [
        0,
        ledger::CODE,
        ledger::FIELD,
        ledger::PROCEDURE,
        4,
        ledger::RECEIVED,
        ledger::DUE,
        ledger::RETURNED,
        ledger::STATUS,
        ledger::CHANNEL,
        ledger::LEVEL,
        ledger::RETURN_CHANNEL,
    ];
    let last_col = u16::try_from(shown.len() - 1).unwrap_or(0);
    ws.merge_range(0, 0, 0, last_col, &crate::vn::upper(table.title), &f.title)?;
    ws.merge_range(
        1,
        0,
        1,
        last_col,
        &format!(
            "{} - Từ ngày {} đến ngày {}",
            config.co_quan.ten_ngan,
            crate::vn::date_short(start),
            crate::vn::date_short(end)
        ),
        &f.italic_center,
    )?;
    for (c, &i) in shown.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(3, c, table.fields[i].label, &f.header)?;
        ws.set_column_width(c, table.fields[i].width)?;
    }
    for (n, s) in rows.iter().enumerate() {
        let r = 4 + u32::try_from(n).unwrap_or(0);
        let done = s.done.filter(|d| *d <= end);
        ws.write_number_with_format(r, 0, (n + 1) as f64, &f.center)?;
        ws.write_string_with_format(r, 1, &s.code, &f.cell)?;
        ws.write_string_with_format(r, 2, FIELDS[s.field].name, &f.cell)?;
        let procedure =
            PROCEDURES[s.field][usize::from(s.code.ends_with(['1', '3', '5', '7', '9']))];
        ws.write_string_with_format(r, 3, procedure, &f.cell)?;
        ws.write_string_with_format(
            r,
            4,
            format!("Công dân {}", &s.code[s.code.len() - 5..]),
            &f.cell,
        )?;
        ws.write_datetime_with_format(r, 5, excel_date(s.received)?, &date)?;
        if let Some(due) = s.due {
            ws.write_datetime_with_format(r, 6, excel_date(due)?, &date)?;
        }
        if let Some(d) = done {
            ws.write_datetime_with_format(r, 7, excel_date(d)?, &date)?;
        } else {
            ws.write_blank(r, 7, &f.cell)?;
        }
        let status = if done.is_some() {
            "Đã trả kết quả"
        } else {
            "Đang xử lý"
        };
        ws.write_string_with_format(r, 8, status, &f.cell)?;
        let way = match s.way {
            Way::Direct => "Trực tiếp",
            Way::Online => "Trực tuyến",
            Way::Post => "BCCI",
        };
        ws.write_string_with_format(r, 9, way, &f.cell)?;
        let level = match s.way {
            Way::Online if s.full => "Toàn trình",
            Way::Online => "Một phần",
            _ => "",
        };
        ws.write_string_with_format(r, 10, level, &f.cell)?;
        let returned = if done.is_some() && s.returned_by_post {
            "BCCI"
        } else if done.is_some() {
            "Trực tiếp"
        } else {
            ""
        };
        ws.write_string_with_format(r, 11, returned, &f.cell)?;
    }
    ws.set_freeze_panes(4, 0)?;
    let props = rust_xlsxwriter::DocProperties::new()
        .set_title(format!("{} {}", table.title, period.name()))
        .set_creation_datetime(&excel_date(end)?);
    wb.set_properties(&props);
    wb.save_to_buffer()
}
