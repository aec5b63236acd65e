//! Opening a workbook at a cost that follows what the file holds: the format told from its
//! bytes (so the reader of that format gives its own error), a zip package's directory
//! checked before anything is inflated, and each sheet read cell by cell into a sparse grid,
//! never into a block as large as the extent a sheet claims (one value in XFD1048576 asked
//! calamine's dense range for 512 GiB).

use crate::config::Limits;
use crate::finding::Kind;
use calamine::{Data, Reader, Sheets, Xls, Xlsb, Xlsx};
use std::collections::BTreeMap;
use std::io::Cursor;

pub(super) type Book<'a> = Sheets<Cursor<&'a [u8]>>;

/// Why a file or a sheet is not read: the finding's kind and its message.
#[derive(Debug)]
pub(super) struct Refusal {
    pub kind: Kind,
    pub message: String,
}

fn refuse(kind: Kind, message: String) -> Refusal {
    Refusal { kind, message }
}

/// The workbook formats cchc reads, as told from the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// What a spreadsheet reader that panicked on a file's content is said as: calamine indexes
/// out of range on some broken .xls records (found by `fuzz/run.sh workbook`), and such a
/// file is broken input, not a bug of cchc's.
fn reader_panicked() -> Refusal {
    refuse(
        Kind::Unreadable,
        "không đọc được tệp bảng tính: nội dung tệp bị hỏng (trình đọc bảng tính dừng giữa \
         chừng khi đọc nó)"
            .to_string(),
    )
}

/// `f`, with a panic of the spreadsheet reader inside it made a refusal.
fn guarded<T>(f: impl FnOnce() -> Result<T, Refusal>) -> Result<T, Refusal> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(reader_panicked()))
}

/// Opens the workbook in `bytes` with the reader of its format.
pub(super) fn open<'a>(bytes: &'a [u8], limits: &Limits) -> Result<Book<'a>, Refusal> {
    let format = detect(bytes, limits)?;
    guarded(|| open_as(bytes, format))
}

fn open_as(bytes: &[u8], format: Format) -> Result<Book<'_>, Refusal> {
    let technical = |e: &dyn std::fmt::Display| {
        refuse(
            Kind::Unreadable,
            format!("không đọc được tệp bảng tính (hỏng hoặc có mật khẩu; chi tiết kỹ thuật: {e})"),
        )
    };
    let rs = Cursor::new(bytes);
    match format {
        Format::Xlsx => calamine::open_workbook_from_rs::<Xlsx<_>, _>(rs)
            .map(Sheets::Xlsx)
            .map_err(|e| technical(&e)),
        Format::Xlsb => calamine::open_workbook_from_rs::<Xlsb<_>, _>(rs)
            .map(Sheets::Xlsb)
            .map_err(|e| technical(&e)),
        Format::Xls => calamine::open_workbook_from_rs::<Xls<_>, _>(rs)
            .map(Sheets::Xls)
            .map_err(|e| technical(&e)),
        Format::Ods => calamine::open_workbook_from_rs::<calamine::Ods<_>, _>(rs)
            .map(Sheets::Ods)
            .map_err(|e| technical(&e)),
    }
}

/// The format, from the OLE2 signature of .xls or the parts of a zip package; a package is
/// refused from the sizes its directory declares, before any part is inflated: more than
/// `giai_nen_mb` in all, or one part of more than 16 MB inflating more than `ty_le_nen` times
/// its stored size (sheet XML compresses 10 to 30 times; deflate tops out near 1000).
fn detect(bytes: &[u8], limits: &Limits) -> Result<Format, Refusal> {
    if bytes.starts_with(OLE2) {
        ole2_chains_end(bytes)
            .and_then(|()| biff_dimensions_sane(bytes))
            .map_err(|why| {
                refuse(
                    Kind::Unreadable,
                    format!("không đọc được tệp bảng tính .xls: cấu trúc tệp bị hỏng ({why})"),
                )
            })?;
        return Ok(Format::Xls);
    }
    let not_a_workbook = || {
        refuse(
            Kind::Unreadable,
            "không đọc được tệp bảng tính: nội dung tệp không phải .xlsx, .xls hoặc .ods (dù \
             tên tệp có đuôi bảng tính)"
                .to_string(),
        )
    };
    if !bytes.starts_with(b"PK") {
        return Err(not_a_workbook());
    }
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        refuse(
            Kind::Unreadable,
            format!(
                "không đọc được tệp bảng tính: tệp nén bị hỏng, không đọc được danh mục của nó \
                 (chi tiết kỹ thuật: {e})"
            ),
        )
    })?;
    let mut zip = zip;
    let mut total: u64 = 0;
    let mut names: Vec<String> = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index_raw(i) else {
            continue;
        };
        let (size, stored) = (part.size(), part.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > 16 * 1024 * 1024 && size / stored > limits.ty_le_nen {
            return Err(refuse(
                Kind::TooBig,
                format!(
                    "tệp nén bất thường: phần \"{}\" giải nén ra {} MB từ {} KB (hơn {} lần): \
                     cchc không mở",
                    part.name(),
                    size / (1024 * 1024),
                    stored.div_ceil(1024),
                    limits.ty_le_nen
                ),
            ));
        }
        names.push(part.name().to_string());
    }
    if total > limits.giai_nen_mb.saturating_mul(1024 * 1024) {
        return Err(refuse(
            Kind::TooBig,
            format!(
                "tệp giải nén ra {} MB, quá giới hạn {} MB của một bảng tính báo cáo \
                 ([gioi_han] giai_nen_mb trong input/cchc.toml): cchc không mở",
                total / (1024 * 1024),
                limits.giai_nen_mb
            ),
        ));
    }
    let mut sorted = names.clone();
    sorted.sort();
    if let Some(twice) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(refuse(
            Kind::Unreadable,
            format!(
                "không đọc được tệp bảng tính: tệp có hai phần cùng tên \"{}\", không biết đọc \
                 phần nào (tệp bị sửa hoặc hỏng)",
                twice[0]
            ),
        ));
    }
    let has = |n: &str| names.iter().any(|p| p == n);
    if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") {
        Ok(Format::Ods)
    } else {
        Err(not_a_workbook())
    }
}

/// The cells of one sheet that hold a value, by (row, column); empty cells take no room.
#[derive(Debug, Default)]
pub(super) struct Grid {
    cells: BTreeMap<(u32, u32), Data>,
    start: (u32, u32),
    end: (u32, u32),
}

impl Grid {
    fn insert(&mut self, at: (u32, u32), value: Data) {
        if self.cells.is_empty() {
            (self.start, self.end) = (at, at);
        } else {
            self.start = (self.start.0.min(at.0), self.start.1.min(at.1));
            self.end = (self.end.0.max(at.0), self.end.1.max(at.1));
        }
        self.cells.insert(at, value);
    }

    pub fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.cells.get(&(row, col))
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The first row and column holding a value; (0, 0) for an empty sheet.
    pub fn start(&self) -> (u32, u32) {
        self.start
    }

    /// The last row and column holding a value.
    pub fn end(&self) -> (u32, u32) {
        self.end
    }

    /// The rows from `first` on that hold a value, in order.
    pub fn rows_from(&self, first: u32) -> Vec<u32> {
        let mut rows: Vec<u32> = self
            .cells
            .range((first, 0)..)
            .map(|(&(r, _), _)| r)
            .collect();
        rows.dedup();
        rows
    }

    /// The values of row `r`, by column.
    pub fn row(&self, r: u32) -> impl Iterator<Item = (u32, &Data)> {
        self.cells
            .range((r, 0)..=(r, u32::MAX))
            .map(|(&(_, c), d)| (c, d))
    }

    /// A grid of the values of a calamine range.
    #[cfg(test)]
    pub fn from_range(range: &calamine::Range<Data>) -> Grid {
        let mut grid = Grid::default();
        let start = range.start().unwrap_or((0, 0));
        for (r, c, d) in range.used_cells() {
            if !matches!(d, Data::Empty) {
                grid.insert(absolute(start, r, c), d.clone());
            }
        }
        grid
    }
}

/// One sheet's values, refused when it holds more cells than `o_moi_sheet` or a cell longer
/// than `ky_tu_moi_o` characters. An .xlsx sheet is read cell by cell as its XML streams in;
/// .xls and .ods through calamine's range (bounded by those formats' own sizes).
pub(super) fn read_sheet(book: &mut Book, name: &str, limits: &Limits) -> Result<Grid, Refusal> {
    guarded(|| read_sheet_unguarded(book, name, limits))
}

fn read_sheet_unguarded(book: &mut Book, name: &str, limits: &Limits) -> Result<Grid, Refusal> {
    let mut grid = Grid::default();
    visit_cells(book, name, limits, |at, value| {
        if grid.cells.len() >= limits.o_moi_sheet {
            return Err(refuse(
                Kind::TooBig,
                format!(
                    "sheet có hơn {} ô có dữ liệu ([gioi_han] o_moi_sheet trong input/cchc.toml): \
                     cchc không đọc",
                    limits.o_moi_sheet
                ),
            ));
        }
        grid.insert(at, value);
        Ok(true)
    })?;
    Ok(grid)
}

/// Each row of a sheet that holds a value, in order, as (row, its cells by column), until
/// `f` answers false. An .xlsx sheet streams, so that memory does not grow with the rows
/// (a one-stop list may have a million); a row holds what one row of a list does, and a
/// cell over `ky_tu_moi_o` characters is refused.
pub(super) fn for_each_row(
    book: &mut Book,
    name: &str,
    limits: &Limits,
    mut f: impl FnMut(u32, &[(u32, Data)]) -> Result<bool, Refusal>,
) -> Result<(), Refusal> {
    guarded(|| {
        let mut row: Vec<(u32, Data)> = Vec::new();
        let mut at_row = 0u32;
        let mut going = true;
        visit_cells(book, name, limits, |(r, c), value| {
            if r != at_row && !row.is_empty() {
                going = f(at_row, &row)?;
                row.clear();
            }
            at_row = r;
            if going {
                row.push((c, value));
            }
            Ok(going)
        })?;
        if going && !row.is_empty() {
            f(at_row, &row)?;
        }
        Ok(())
    })
}

/// Every cell of a sheet that holds a value, in row order, until `f` answers false; a cell
/// over `ky_tu_moi_o` characters is refused. An .xlsx sheet is read as its XML streams in;
/// .xls and .ods through calamine's range (bounded by those formats' own sizes).
fn visit_cells(
    book: &mut Book,
    name: &str,
    limits: &Limits,
    mut f: impl FnMut((u32, u32), Data) -> Result<bool, Refusal>,
) -> Result<(), Refusal> {
    let mut add = |at: (u32, u32), value: Data| -> Result<bool, Refusal> {
        if let Data::String(s) = &value
            && s.len() > limits.ky_tu_moi_o
            && s.chars().count() > limits.ky_tu_moi_o
        {
            return Err(refuse(
                Kind::TooBig,
                format!(
                    "ô {} chứa {} ký tự, quá giới hạn {} ký tự một ô ([gioi_han] ky_tu_moi_o)",
                    crate::finding::CellRef::new(at.0, at.1),
                    s.chars().count(),
                    limits.ky_tu_moi_o
                ),
            ));
        }
        f(at, value)
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        refuse(
            Kind::Unreadable,
            format!("không đọc được sheet: tệp bị hỏng (chi tiết kỹ thuật: {e})"),
        )
    };
    match book {
        Sheets::Xlsx(x) => {
            let mut cells = x.worksheet_cells_reader(name).map_err(|e| unreadable(&e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
                let at = cell.get_position();
                let value: Data = cell.get_value().clone().into();
                if !matches!(value, Data::Empty) && !add(at, value)? {
                    break;
                }
            }
        }
        other => {
            let range = other.worksheet_range(name).map_err(|e| unreadable(&e))?;
            let start = range.start().unwrap_or((0, 0));
            for (r, c, d) in range.used_cells() {
                if !matches!(d, Data::Empty) && !add(absolute(start, r, c), d.clone())? {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// A cell's place on the sheet from its place in a range that starts at `start`; a range
/// never reaches past u32 (calamine's positions are u32), saturating says so without a cast.
fn absolute(start: (u32, u32), r: usize, c: usize) -> (u32, u32) {
    let add = |base: u32, off: usize| base.saturating_add(u32::try_from(off).unwrap_or(u32::MAX));
    (add(start.0, r), add(start.1, c))
}

const DIFAT_SECTOR: u32 = 0xFFFF_FFFC;

/// Whether every sector chain of an OLE2 compound file (.xls) ends: calamine follows the
/// directory's chain without a bound and others up to the size a directory entry claims, so
/// one sector pointing back into its own chain made it grow a buffer until memory ran out
/// (2.4 GB from a 34 KB file, found by `fuzz/run.sh workbook`). The DIFAT chain and the whole
/// FAT are checked, in time linear in the file: a FAT is a set of chains, so a valid one has
/// no cycle anywhere.
fn ole2_chains_end(bytes: &[u8]) -> Result<(), String> {
    let u32_at = |at: usize| -> Option<u32> {
        let b = bytes.get(at..at.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let shift = bytes
        .get(0x1E..0x20)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
        .ok_or("phần đầu tệp bị cụt")?;
    if shift != 9 && shift != 12 {
        return Err(format!("cỡ sector 2^{shift} không hợp lệ"));
    }
    let size = 1usize << shift;
    let sectors = bytes.len().saturating_sub(size).div_ceil(size);
    let sector = |id: u32| -> Option<&[u8]> {
        let start = usize::try_from(id)
            .ok()?
            .checked_add(1)?
            .checked_mul(size)?;
        bytes.get(start..start.checked_add(size)?.min(bytes.len()))
    };
    let words = |s: &[u8]| -> Vec<u32> {
        s.chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    };
    // The FAT's own sectors: 109 in the header, the rest along the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(0x4C + 4 * i))
        .filter(|&id| id < DIFAT_SECTOR)
        .collect();
    let mut next = u32_at(0x44).ok_or("phần đầu tệp bị cụt")?;
    let mut seen = vec![false; sectors];
    while next < DIFAT_SECTOR {
        let i = usize::try_from(next).map_err(|_| "sector ngoài tệp")?;
        match seen.get_mut(i) {
            Some(true) => return Err("chuỗi DIFAT quay vòng".into()),
            Some(s) => *s = true,
            None => return Err("chuỗi DIFAT trỏ ra ngoài tệp".into()),
        }
        let entries = words(sector(next).ok_or("chuỗi DIFAT trỏ ra ngoài tệp")?);
        let Some((&last, ids)) = entries.split_last() else {
            break;
        };
        fat_sectors.extend(ids.iter().copied().filter(|&id| id < DIFAT_SECTOR));
        next = last;
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in fat_sectors {
        fat.extend(words(sector(id).ok_or("bảng FAT trỏ ra ngoài tệp")?));
        if fat.len() > sectors.saturating_mul(2).saturating_add(1024) {
            return Err("bảng FAT lớn hơn tệp".into());
        }
    }
    // 0 not visited, 1 on the walk being made, 2 known to end: reaching a 1 again is a
    // cycle, since every earlier walk is all 2.
    let mut state = vec![0u8; fat.len()];
    let mut walk: Vec<usize> = Vec::new();
    for start in 0..fat.len() {
        let mut at = start;
        loop {
            match state[at] {
                0 => {
                    state[at] = 1;
                    walk.push(at);
                }
                1 => return Err("một chuỗi sector quay vòng".into()),
                _ => break,
            }
            match usize::try_from(fat[at]) {
                Ok(n) if n < fat.len() => at = n,
                _ => break,
            }
        }
        for w in walk.drain(..) {
            state[w] = 2;
        }
    }
    Ok(())
}

/// Whether every DIMENSIONS record of an .xls workbook stream declares a sheet BIFF can hold
/// (65 536 rows × 256 columns): calamine reserves room for rows × columns cells from it when
/// the file is opened, and a first row past the last wrapped to 2·10¹⁵ cells, an allocation
/// failure that aborts (found by `fuzz/run.sh workbook`). The stream is read with the `cfb`
/// crate, which checks the compound file's chains itself.
/// The cells calamine may lay out for all the sheets of an .xls together: it reserves each
/// sheet's declared extent at once when it opens the file (the fuzzer found a 28 KB file
/// whose sheets asked for more than a gigabyte), at about 150 bytes a cell.
const XLS_CELLS: u64 = 2_000_000;

fn biff_dimensions_sane(bytes: &[u8]) -> Result<(), String> {
    use std::io::Read;
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| file.is_stream(n))
        .ok_or("không có luồng Workbook")?;
    let mut stream = Vec::new();
    file.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| e.to_string())?;
    let u16_at = |b: &[u8], at: usize| {
        b.get(at..at + 2)
            .map_or(0, |x| u32::from(u16::from_le_bytes([x[0], x[1]])))
    };
    let u32_at = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .map_or(0, |x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
    };
    // calamine reads the globals from the start and each sheet from the offset its
    // BOUNDSHEET record gives, which may lie inside what a walk from the start takes for
    // another record's data: every one of those walks is checked, as calamine will make it.
    let mut starts = vec![0usize];
    let mut walked = 0usize;
    let mut declared = 0u64;
    while walked < starts.len() {
        let mut at = starts[walked];
        let from_start = walked == 0;
        walked += 1;
        while at + 4 <= stream.len() {
            let typ = u16_at(&stream, at);
            let len = usize::try_from(u16_at(&stream, at + 2)).unwrap_or(usize::MAX);
            let data = stream.get(at + 4..at + 4 + len).unwrap_or_default();
            at = at.saturating_add(4 + len);
            if from_start && typ == 0x0085 && starts.len() < 4096 {
                starts.push(usize::try_from(u32_at(data, 0)).unwrap_or(usize::MAX));
            }
            if !from_start && typ == 0x000A {
                break;
            }
            // A cell record (formula, RString, LABELSST, NUMBER, LABEL, BOOLERR, RK; MULRK and
            // MULBLANK end with their last column) past column IV: calamine lays a sheet out
            // densely from its cells' extent, 26 GB for one cell in column 65 535 (fuzzer).
            let last_col = match typ {
                0x0006 | 0x00D6 | 0x00FD | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x0201 => {
                    Some(u16_at(data, 2))
                }
                0x00BD | 0x00BE => Some(u16_at(data, data.len().saturating_sub(2))),
                _ => None,
            };
            if let Some(col) = last_col.filter(|&c| c > 0xFF) {
                return Err(format!("ô ở cột {col}, ngoài 256 cột của tệp .xls"));
            }
            if typ != 0x0200 {
                continue;
            }
            // As calamine reads it: first and last-plus-one row, first and last-plus-one column.
            let (rf, rl, cf, cl) = match data.len() {
                10 => (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    u16_at(data, 4),
                    u16_at(data, 6),
                ),
                14 | 16 => (
                    u32_at(data, 0),
                    u32_at(data, 4),
                    u16_at(data, 8),
                    u16_at(data, 10),
                ),
                _ => continue,
            };
            let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
            if rl >= 1 && cl >= 1 {
                let rows = u64::from(rl - 1).checked_sub(u64::from(rf)).map(|r| r + 1);
                let cols = u64::from(cl - 1).checked_sub(u64::from(cf)).map(|c| c + 1);
                match (rows, cols) {
                    (Some(r), Some(c)) if r.saturating_mul(c) <= 65_536 * 256 => {
                        declared = declared.saturating_add(r * c);
                        if declared > XLS_CELLS {
                            return Err(format!(
                                "các sheet khai báo hơn {} ô; cchc đọc tệp .xls đến {} ô (khoảng \
                             65.000 dòng 30 cột), hãy lưu lại dạng .xlsx",
                                crate::vn::thousands(i64::try_from(declared).unwrap_or(i64::MAX)),
                                crate::vn::thousands(i64::try_from(XLS_CELLS).unwrap_or(i64::MAX))
                            ));
                        }
                    }
                    _ => {
                        return Err(format!(
                            "vùng sheet khai báo sai (dòng {rf}..{rl}, cột {cf}..{cl})"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}
