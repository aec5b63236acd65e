//! The dossier list of the one-stop software (sổ theo dõi hồ sơ), read row by row as the
//! sheet streams in: found by its header in any sheet, group rows ("Lĩnh vực: Hộ tịch") and
//! the "(1) … (7)" row passed over, dates as cells or text, the software's words for status,
//! channel and level read through `[ho_so_mot_cua]`. Problems of single dossiers are located
//! at their row; past the first few of one kind, only counted.

use super::contract::{ledger, names};
use super::open::{Book, for_each_row};
use super::read::{HEADER_SEARCH_ROWS, cell_text, is_column_number, serial_date};
use super::types::{Dossier, DossierList};
use crate::config::{
    Channel, Config, DayOrder, DoneDate, DossierState, OneStopRules, ServiceLevel,
};
use crate::finding::{CellRef, Finding, Kind, Loc, Severity};
use crate::vn;
use calamine::Data;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// How many findings of one kind are listed before the rest are only counted.
pub const LISTED: usize = 20;

/// Reads the first visible sheet of `names` that has a dossier list's header. `None` when no
/// sheet has one (the workbook is then read as a unit's report).
pub(super) fn read(
    wb: &mut Book,
    names: &[String],
    file: &str,
    config: &Config,
) -> Option<(Option<DossierList>, Vec<Finding>)> {
    for name in names {
        let mut reader = ListReader::new(file, name, config);
        let result = for_each_row(wb, name, &config.gioi_han, |r, cells| reader.row(r, cells));
        if reader.header.is_none() {
            continue;
        }
        let sheet_loc = reader.sheet_loc();
        let mut out = reader.finish();
        if let Err(refusal) = result {
            out.1
                .push(Finding::error(refusal.kind, sheet_loc, refusal.message));
            out.0 = None;
        }
        return Some(out);
    }
    None
}

/// The list's columns, found in its header row.
struct Columns {
    at: [Option<u32>; ledger::IDS.len()],
    /// The column the finishing date is read from.
    done: Option<u32>,
    /// The other one, for a dossier the status says is done but whose own date is empty.
    done_other: Option<u32>,
}

struct ListReader<'a> {
    file: &'a str,
    sheet: String,
    rules: &'a OneStopRules,
    limit: usize,
    first_row: Option<u32>,
    header: Option<Columns>,
    list: DossierList,
    /// Folded name -> index, for the lĩnh vực and procedure names; and the same by the text
    /// as written, so that a name is folded once, not once a row.
    field_index: HashMap<String, u32>,
    procedure_index: HashMap<String, u32>,
    written: [HashMap<String, u32>; 2],
    /// The software's words as read, by their text: a list repeats a handful of them.
    words: [HashMap<String, Option<u8>>; 3],
    /// Code hash -> index into the dossiers; the code itself is compared on a hit.
    seen: HashMap<u64, u32>,
    /// The rare codes whose hash another code already has.
    collided: HashMap<Box<str>, u32>,
    /// The lĩnh vực of the group row above, for a list without that column.
    group: Option<u32>,
    findings: Vec<Finding>,
    counted: BTreeMap<(Kind, Severity), usize>,
    refused: bool,
}

impl<'a> ListReader<'a> {
    fn new(file: &'a str, sheet: &str, config: &'a Config) -> ListReader<'a> {
        ListReader {
            file,
            sheet: vn::clean(sheet),
            rules: &config.ho_so_mot_cua,
            limit: config.gioi_han.dong_ho_so,
            first_row: None,
            header: None,
            list: DossierList {
                file: file.to_string(),
                sheet: vn::clean(sheet),
                code_column: 0,
                fields: Vec::new(),
                procedures: Vec::new(),
                dossiers: Vec::new(),
                has_level: false,
                has_return_channel: false,
            },
            field_index: HashMap::new(),
            procedure_index: HashMap::new(),
            written: Default::default(),
            words: Default::default(),
            seen: HashMap::new(),
            collided: HashMap::new(),
            group: None,
            findings: Vec::new(),
            counted: BTreeMap::new(),
            refused: false,
        }
    }

    fn sheet_loc(&self) -> Loc {
        Loc::Sheet {
            file: self.file.to_string(),
            sheet: self.sheet.clone(),
        }
    }

    fn loc(&self, row: u32, col: u32) -> Loc {
        Loc::Cell {
            file: self.file.to_string(),
            sheet: self.sheet.clone(),
            cell: CellRef::new(row, col),
        }
    }

    /// A finding about one row: listed while there are few of its kind, then counted.
    fn row_finding(&mut self, f: Finding) {
        let n = self.counted.entry((f.kind, f.severity)).or_default();
        *n += 1;
        if *n <= LISTED {
            self.findings.push(f);
        }
    }

    fn row(&mut self, r: u32, cells: &[(u32, Data)]) -> Result<bool, super::open::Refusal> {
        let first = *self.first_row.get_or_insert(r);
        if self.header.is_none() {
            if let Some(columns) = self.header_of(cells) {
                self.list.code_column = columns.at[ledger::CODE].unwrap_or(0);
                self.header = Some(columns);
                return Ok(true);
            }
            // Not a list: its header would be among the first rows.
            return Ok(r < first + HEADER_SEARCH_ROWS);
        }
        if self.list.dossiers.len() >= self.limit {
            self.refused = true;
            self.findings.push(Finding::error(
                Kind::TooBig,
                self.sheet_loc(),
                format!(
                    "danh sách có hơn {} hồ sơ ([gioi_han] dong_ho_so trong input/cchc.toml): \
                     cchc không đọc tiếp",
                    vn::thousands(i64::try_from(self.limit).unwrap_or(i64::MAX))
                ),
            ));
            return Ok(false);
        }
        self.dossier_row(r, cells);
        Ok(true)
    }

    /// The columns, when `cells` is the list's header row: it names both "Mã hồ sơ" and
    /// "Ngày tiếp nhận".
    fn header_of(&self, cells: &[(u32, Data)]) -> Option<Columns> {
        let header: Vec<(u32, String)> = cells
            .iter()
            .map(|(c, d)| (*c, vn::fold(&cell_text(d))))
            .filter(|(_, t)| !t.is_empty())
            .collect();
        let fields = ledger::TABLE.fields;
        let find = |i: usize| -> Option<u32> {
            let extra = self
                .rules
                .tieu_de
                .get(ledger::IDS[i])
                .map_or(&[][..], Vec::as_slice);
            let by = |name: &str| header.iter().find(|(_, h)| names(h, name)).map(|(c, _)| *c);
            extra
                .iter()
                .find_map(|n| by(n))
                .or_else(|| fields[i].names.iter().find_map(|n| by(n)))
        };
        let mut at = [None; ledger::IDS.len()];
        for (i, slot) in at.iter_mut().enumerate() {
            *slot = find(i);
        }
        at[ledger::CODE]?;
        at[ledger::RECEIVED]?;
        let (returned, ended) = (at[ledger::RETURNED], at[ledger::ENDED]);
        let (done, done_other) = match self.rules.ngay_hoan_thanh {
            DoneDate::NgayTra => (returned.or(ended), returned.and(ended)),
            DoneDate::NgayKetThuc => (ended.or(returned), ended.and(returned)),
        };
        Some(Columns {
            at,
            done,
            done_other,
        })
    }

    fn dossier_row(&mut self, r: u32, cells: &[(u32, Data)]) {
        let Some(columns) = &self.header else {
            return;
        };
        let at = columns.at;
        let (done_col, other_col) = (columns.done, columns.done_other);
        let get = |c: Option<u32>| -> Option<&Data> {
            let c = c?;
            cells.iter().find(|(k, _)| *k == c).map(|(_, d)| d)
        };
        let text = |c: Option<u32>| get(c).map(cell_text).unwrap_or_default();
        // A cell's text as stored, for the caches keyed by it (cleaned only when new).
        let raw = |c: Option<u32>| -> std::borrow::Cow<'_, str> {
            match get(c) {
                Some(Data::String(s)) => std::borrow::Cow::Borrowed(s.as_str()),
                other => std::borrow::Cow::Owned(other.map(cell_text).unwrap_or_default()),
            }
        };
        let code = text(at[ledger::CODE]);
        // Rows that are no dossier (a row of column numbers, a group row naming the lĩnh vực
        // of those under it in whichever column its merged cell starts, a total row) have no
        // code, a column number in its place, or no receiving date: only those are looked at
        // cell by cell.
        if code.is_empty() || is_column_number(&code) || get(at[ledger::RECEIVED]).is_none() {
            let texts: Vec<String> = cells
                .iter()
                .map(|(_, d)| cell_text(d))
                .filter(|t| !t.is_empty())
                .collect();
            if texts.is_empty() || texts.iter().all(|t| is_column_number(t)) {
                return;
            }
            let words: Vec<&String> = texts
                .iter()
                .filter(|t| t.parse::<f64>().is_err() && vn::parse_roman(t).is_none())
                .collect();
            let group_like = words.len() == 1 && texts.len() <= 2;
            if group_like && let [name] = words[..] {
                let folded = vn::fold(name);
                if folded.starts_with("tong") || folded.starts_with("cong") {
                    return;
                }
                let name = match name.split_once(':') {
                    Some((label, rest)) if vn::fold(label).starts_with("linh vuc") => rest.trim(),
                    _ => name.as_str(),
                };
                if !name.is_empty() {
                    self.group = Some(self.intern_field(name));
                }
                return;
            }
        }
        if code.is_empty() {
            let col = at[ledger::CODE].unwrap_or(0);
            self.row_finding(Finding::error(
                Kind::CodeMissing,
                self.loc(r, col),
                "dòng có số liệu nhưng thiếu mã hồ sơ".to_string(),
            ));
            return;
        }
        let order = self.rules.thu_tu_ngay;
        let date = |i: Option<u32>, what: &str| -> Result<Option<NaiveDate>, (u32, String)> {
            list_date(get(i), order)
                .map_err(|m| (i.unwrap_or(0), format!("hồ sơ {code}: {what} {m}")))
        };
        macro_rules! or_skip {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err((c, m)) => {
                        let f = Finding::error(Kind::BadDate, self.loc(r, c), m);
                        self.row_finding(f);
                        return;
                    }
                }
            };
        }
        let received = or_skip!(date(at[ledger::RECEIVED], "ngày tiếp nhận"));
        let due = or_skip!(date(at[ledger::DUE], "ngày hẹn trả"));
        let mut done = or_skip!(date(done_col, "ngày trả kết quả"));
        let Some(received) = received else {
            let f = Finding::error(
                Kind::ValueMissing,
                self.loc(r, at[ledger::RECEIVED].unwrap_or(0)),
                format!("hồ sơ {code}: thiếu ngày tiếp nhận"),
            );
            self.row_finding(f);
            return;
        };
        let status_text = raw(at[ledger::STATUS]);
        let state = if status_text.trim().is_empty() {
            if done.is_some() {
                DossierState::DaXong
            } else {
                DossierState::DangXuLy
            }
        } else {
            match self.word(0, &status_text) {
                Some(s) => s,
                None => {
                    let f = Finding::error(
                        Kind::DossierUnknownWord,
                        self.loc(r, at[ledger::STATUS].unwrap_or(0)),
                        format!(
                            "hồ sơ {code}: trạng thái \"{status_text}\" không rõ là đang xử lý, \
                             tạm dừng, đã xong, rút hay không tiếp nhận"
                        ),
                    )
                    .with_hint(
                        "thêm từ này vào [ho_so_mot_cua] trang_thai trong input/cchc.toml, ví \
                         dụ trang_thai = { \"cho ky\" = \"dang_xu_ly\" }",
                    );
                    self.row_finding(f);
                    return;
                }
            }
        };
        if state == DossierState::DaXong && done.is_none() {
            let other = or_skip!(date(other_col, "ngày kết thúc xử lý"));
            match other {
                Some(d) => {
                    done = Some(d);
                    let f = Finding::note(
                        Kind::DossierColumn,
                        self.loc(r, other_col.unwrap_or(0)),
                        format!(
                            "hồ sơ {code} đã xong nhưng ô ngày trả kết quả trống: tính ngày {}",
                            vn::date_short(d)
                        ),
                    );
                    self.row_finding(f);
                }
                None => {
                    let f = Finding::error(
                        Kind::DossierDates,
                        self.loc(r, done_col.unwrap_or(at[ledger::CODE].unwrap_or(0))),
                        format!(
                            "hồ sơ {code}: trạng thái \"{status_text}\" là đã xong nhưng không có \
                             ngày trả kết quả (ngày kết thúc xử lý)"
                        ),
                    );
                    self.row_finding(f);
                    return;
                }
            }
        }
        if let Some(d) = done
            && d < received
        {
            let f = Finding::error(
                Kind::DossierDates,
                self.loc(r, done_col.unwrap_or(0)),
                format!(
                    "hồ sơ {code}: ngày trả {} trước ngày tiếp nhận {}",
                    vn::date_short(d),
                    vn::date_short(received)
                ),
            );
            self.row_finding(f);
            return;
        }
        if let Some(d) = due
            && d < received
        {
            let f = Finding::warning(
                Kind::DossierDates,
                self.loc(r, at[ledger::DUE].unwrap_or(0)),
                format!(
                    "hồ sơ {code}: ngày hẹn trả {} trước ngày tiếp nhận {}; hồ sơ được tính \
                     theo ngày hẹn đã ghi",
                    vn::date_short(d),
                    vn::date_short(received)
                ),
            );
            self.row_finding(f);
        }
        let channel_text = raw(at[ledger::CHANNEL]);
        let channel = if channel_text.trim().is_empty() {
            self.rules.kenh_mac_dinh
        } else {
            self.word(1, &channel_text)
        };
        let Some(channel) = channel else {
            let f = if at[ledger::CHANNEL].is_none() {
                Finding::error(
                    Kind::DossierColumn,
                    self.sheet_loc(),
                    "danh sách không có cột kênh nộp (trực tiếp, trực tuyến, BCCI): không tách \
                     được cột (4) và (5) của Biểu 06"
                        .to_string(),
                )
                .with_hint(
                    "xuất danh sách có cột hình thức nộp, hoặc đặt [ho_so_mot_cua] \
                     kenh_mac_dinh = \"truc_tiep\" nếu mọi hồ sơ nộp trực tiếp",
                )
            } else if channel_text.trim().is_empty() {
                Finding::error(
                    Kind::ValueMissing,
                    self.loc(r, at[ledger::CHANNEL].unwrap_or(0)),
                    format!("hồ sơ {code}: thiếu kênh nộp (trực tiếp, trực tuyến hay BCCI)"),
                )
            } else {
                Finding::error(
                    Kind::DossierUnknownWord,
                    self.loc(r, at[ledger::CHANNEL].unwrap_or(0)),
                    format!(
                        "hồ sơ {code}: kênh nộp \"{channel_text}\" không rõ là trực tiếp, trực \
                         tuyến hay BCCI"
                    ),
                )
                .with_hint("thêm từ này vào [ho_so_mot_cua] kenh trong input/cchc.toml")
            };
            self.row_finding(f);
            return;
        };
        let level = match at[ledger::LEVEL] {
            None => None,
            Some(c) => {
                let t = raw(Some(c));
                match self.word(2, &t) {
                    Some(l) => Some(l),
                    None => {
                        let f = Finding::error(
                            Kind::DossierUnknownWord,
                            self.loc(r, c),
                            format!(
                                "hồ sơ {code}: mức độ \"{t}\" không rõ là một phần, toàn trình \
                                 hay không phải dịch vụ công trực tuyến"
                            ),
                        )
                        .with_hint("thêm từ này vào [ho_so_mot_cua] muc_do trong input/cchc.toml");
                        self.row_finding(f);
                        return;
                    }
                }
            }
        };
        let returned_by_post = at[ledger::RETURN_CHANNEL].map(|c| {
            let t = raw(Some(c));
            self.word::<Channel>(1, &t) == Some(Channel::Bcci)
        });
        let field_text = raw(at[ledger::FIELD]);
        let field = if field_text.trim().is_empty() {
            self.group
        } else {
            Some(self.intern_field(&field_text))
        };
        let Some(field) = field else {
            let f = Finding::error(
                Kind::DossierNoField,
                self.loc(
                    r,
                    at[ledger::FIELD].unwrap_or(at[ledger::CODE].unwrap_or(0)),
                ),
                format!("hồ sơ {code}: không rõ thuộc lĩnh vực nào"),
            )
            .with_hint("ghi lĩnh vực ở cột Lĩnh vực, hoặc ở một dòng nhóm phía trên");
            self.row_finding(f);
            return;
        };
        let procedure_text = raw(at[ledger::PROCEDURE]);
        let procedure = if procedure_text.trim().is_empty() {
            u32::MAX
        } else {
            self.intern(true, &procedure_text)
        };
        let index = u32::try_from(self.list.dossiers.len()).unwrap_or(u32::MAX);
        let earlier = match self.seen.entry(code_hash(&code)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(index);
                None
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let i = *o.get();
                if *self.list.dossiers[i as usize].code == *code {
                    Some(i)
                } else {
                    match self.collided.entry(code.clone().into_boxed_str()) {
                        std::collections::hash_map::Entry::Occupied(o) => Some(*o.get()),
                        std::collections::hash_map::Entry::Vacant(v) => {
                            v.insert(index);
                            None
                        }
                    }
                }
            }
        };
        if let Some(i) = earlier {
            let earlier = self.list.dossiers[i as usize].row;
            let f = Finding::error(
                Kind::Duplicate,
                self.loc(r, at[ledger::CODE].unwrap_or(0)),
                format!(
                    "mã hồ sơ {code} đã có ở dòng {}: một hồ sơ chỉ ghi một dòng",
                    i64::from(earlier) + 1
                ),
            );
            self.row_finding(f);
            return;
        }
        self.list.dossiers.push(Dossier {
            code: code.into_boxed_str(),
            field,
            procedure,
            received,
            due,
            done,
            state,
            channel,
            level,
            returned_by_post,
            row: r,
        });
    }

    fn intern_field(&mut self, name: &str) -> u32 {
        self.intern(false, name)
    }

    /// The index of a lĩnh vực (`procedure` false) or procedure name, added when new.
    fn intern(&mut self, procedure: bool, name: &str) -> u32 {
        if let Some(&i) = self.written[usize::from(procedure)].get(name) {
            return i;
        }
        let i = if procedure {
            intern(&mut self.procedure_index, &mut self.list.procedures, name)
        } else {
            intern(&mut self.field_index, &mut self.list.fields, name)
        };
        self.written[usize::from(procedure)].insert(name.to_string(), i);
        i
    }

    /// A status (`what` 0), channel (1) or level (2) word, read once per distinct text.
    fn word<T: Word>(&mut self, what: u8, text: &str) -> Option<T> {
        let cache = &mut self.words[usize::from(what)];
        if let Some(v) = cache.get(text) {
            return v.map(T::from_u8);
        }
        let v = T::read(&vn::clean(text), self.rules);
        cache.insert(text.to_string(), v.map(T::to_u8));
        v
    }

    fn finish(mut self) -> (Option<DossierList>, Vec<Finding>) {
        for ((_, severity), n) in std::mem::take(&mut self.counted) {
            if n > LISTED {
                let what = match severity {
                    Severity::Error => "lỗi",
                    Severity::Warning => "cảnh báo",
                    Severity::Note => "ghi chú",
                };
                let message = format!(
                    "còn {} dòng khác có {what} cùng loại như các dòng trên (chỉ liệt kê {LISTED} dòng đầu mỗi loại)",
                    vn::thousands(i64::try_from(n - LISTED).unwrap_or(i64::MAX))
                );
                self.findings.push(Finding {
                    severity,
                    kind: Kind::DossierMore,
                    loc: self.sheet_loc(),
                    message,
                    hint: None,
                });
            }
        }
        if let Some(c) = &self.header {
            self.list.has_level = c.at[ledger::LEVEL].is_some();
            self.list.has_return_channel = c.at[ledger::RETURN_CHANNEL].is_some();
            let chosen = match self.rules.ngay_hoan_thanh {
                DoneDate::NgayTra => ledger::RETURNED,
                DoneDate::NgayKetThuc => ledger::ENDED,
            };
            if c.at[chosen].is_none() {
                let used = if c.done.is_some() {
                    format!(
                        "dùng cột \"{}\" thay thế",
                        ledger::TABLE.fields[if chosen == ledger::RETURNED {
                            ledger::ENDED
                        } else {
                            ledger::RETURNED
                        }]
                        .label
                    )
                } else {
                    "mọi hồ sơ chưa có ngày trả được tính là đang giải quyết".to_string()
                };
                self.findings.push(Finding::warning(
                    Kind::DossierColumn,
                    self.sheet_loc(),
                    format!(
                        "danh sách không có cột \"{}\" ([ho_so_mot_cua] ngay_hoan_thanh): {used}",
                        ledger::TABLE.fields[chosen].label
                    ),
                ));
            }
        }
        let list = (!self.refused).then_some(self.list);
        (list, self.findings)
    }
}

/// A word of one of the vocabularies, kept in the reader's cache as a byte.
trait Word: Copy {
    fn read(text: &str, rules: &OneStopRules) -> Option<Self>;
    fn to_u8(self) -> u8;
    fn from_u8(v: u8) -> Self;
}

macro_rules! word {
    ($t:ty, $read:ident, [$($v:path),*]) => {
        impl Word for $t {
            fn read(text: &str, rules: &OneStopRules) -> Option<Self> {
                $read(text, rules)
            }
            fn to_u8(self) -> u8 {
                [$($v),*].iter().position(|x| *x == self).map_or(0, |i| i as u8)
            }
            fn from_u8(v: u8) -> Self {
                [$($v),*][usize::from(v)]
            }
        }
    };
}

word!(
    DossierState,
    read_state,
    [
        DossierState::DangXuLy,
        DossierState::TamDung,
        DossierState::DaXong,
        DossierState::Rut,
        DossierState::KhongTiepNhan
    ]
);
word!(
    Channel,
    read_channel,
    [Channel::TrucTiep, Channel::TrucTuyen, Channel::Bcci]
);
word!(
    ServiceLevel,
    read_level,
    [
        ServiceLevel::Khac,
        ServiceLevel::MotPhan,
        ServiceLevel::ToanTrinh
    ]
);

fn intern(index: &mut HashMap<String, u32>, names: &mut Vec<String>, name: &str) -> u32 {
    let key = vn::fold(name);
    if let Some(&i) = index.get(&key) {
        return i;
    }
    let i = u32::try_from(names.len()).unwrap_or(u32::MAX);
    names.push(vn::clean(name));
    index.insert(key, i);
    i
}

fn code_hash(code: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(code)
}

/// A word of the software's vocabulary: the office's own first, then cchc's; compared
/// folded, whole ("da tra ket qua") or as a code ("10").
fn lookup<T: Copy>(text: &str, own: &BTreeMap<String, T>, builtin: &[(&[&str], T)]) -> Option<T> {
    let key = vn::fold(text);
    let key = key.trim_end_matches(['.', ';']).trim();
    own.get(key).copied().or_else(|| {
        builtin
            .iter()
            .find(|(words, _)| words.contains(&key))
            .map(|(_, v)| *v)
    })
}

/// Both systems' statuses: OpenCPS's words and a provincial DVC's codes (1 mới, 2 and 4 đang
/// xử lý, 3 không tiếp nhận, 5 bổ sung, 7 rút, 8 dừng, 9 xong, 10 đã trả).
const STATES: &[(&[&str], DossierState)] = &[
    (
        &[
            "1",
            "2",
            "4",
            "moi",
            "moi tiep nhan",
            "tiep nhan",
            "da tiep nhan",
            "dang xu ly",
            "dang giai quyet",
            "chua giai quyet",
            "cho xu ly",
            "cho phan cong",
            "cho duyet",
            "cho phe duyet",
            "dang thuc hien",
            "chuyen xu ly",
        ],
        DossierState::DangXuLy,
    ),
    (
        &[
            "5",
            "8",
            "bo sung",
            "yeu cau bo sung",
            "cho bo sung",
            "bo sung ho so",
            "tam dung",
            "dung",
            "dung xu ly",
            "cho nguoi dan bo sung",
        ],
        DossierState::TamDung,
    ),
    (
        &[
            "9",
            "10",
            "xong",
            "da xong",
            "da xu ly xong",
            "xu ly xong",
            "hoan thanh",
            "da hoan thanh",
            "da giai quyet",
            "co ket qua",
            "da co ket qua",
            "da tra",
            "da tra ket qua",
            "tra ket qua",
            "ket thuc",
            "da ket thuc",
        ],
        DossierState::DaXong,
    ),
    (
        &[
            "7",
            "rut",
            "rut ho so",
            "da rut",
            "cong dan rut",
            "rut ho so theo yeu cau",
        ],
        DossierState::Rut,
    ),
    (
        &[
            "3",
            "khong tiep nhan",
            "tu choi",
            "tu choi tiep nhan",
            "khong du dieu kien",
        ],
        DossierState::KhongTiepNhan,
    ),
];

const CHANNELS: &[(&[&str], Channel)] = &[
    (
        &[
            "1",
            "truc tiep",
            "tai bo phan mot cua",
            "nop truc tiep",
            "tai quay",
        ],
        Channel::TrucTiep,
    ),
    (
        &[
            "2",
            "truc tuyen",
            "nop truc tuyen",
            "qua mang",
            "dich vu cong truc tuyen",
            "dvc truc tuyen",
            "dvctt",
            "online",
        ],
        Channel::TrucTuyen,
    ),
    (
        &[
            "3",
            "bcci",
            "buu chinh",
            "buu chinh cong ich",
            "qua buu chinh",
            "dich vu buu chinh cong ich",
            "qua dich vu bcci",
        ],
        Channel::Bcci,
    ),
];

const LEVELS: &[(&[&str], ServiceLevel)] = &[
    (
        &[
            "",
            "1",
            "2",
            "khong",
            "muc do 1",
            "muc do 2",
            "cung cap thong tin",
        ],
        ServiceLevel::Khac,
    ),
    (
        &[
            "3",
            "muc do 3",
            "mot phan",
            "dvc mot phan",
            "truc tuyen mot phan",
        ],
        ServiceLevel::MotPhan,
    ),
    (
        &[
            "4",
            "muc do 4",
            "toan trinh",
            "dvc toan trinh",
            "truc tuyen toan trinh",
        ],
        ServiceLevel::ToanTrinh,
    ),
];

pub(crate) fn read_state(text: &str, rules: &OneStopRules) -> Option<DossierState> {
    lookup(text, &rules.trang_thai, STATES)
}

pub(crate) fn read_channel(text: &str, rules: &OneStopRules) -> Option<Channel> {
    lookup(text, &rules.kenh, CHANNELS)
}

pub(crate) fn read_level(text: &str, rules: &OneStopRules) -> Option<ServiceLevel> {
    lookup(text, &rules.muc_do, LEVELS)
}

/// A date of the list: a date cell, or text in the forms both systems write ("05/06/2024",
/// "05/06/2024 08:30:00", "2024-06-05T08:30", the national sync's "20240605083000"); hours
/// are dropped, as both systems compare calendar days.
fn list_date(d: Option<&Data>, order: DayOrder) -> Result<Option<NaiveDate>, String> {
    let bad = |t: &str| {
        format!(
            "\"{}\" không đọc được: cần ngày dạng dd/mm/yyyy (có thể kèm giờ)",
            vn::clean(t)
        )
    };
    match d {
        None | Some(Data::Empty) => Ok(None),
        Some(Data::DateTime(dt)) => dt
            .as_datetime()
            .map(|d| Some(d.date()))
            .ok_or_else(|| "không phải ngày hợp lệ".to_string()),
        Some(Data::Float(f)) => serial_date(*f).map(Some).ok_or_else(|| bad(&f.to_string())),
        Some(Data::Int(i)) => text_date(&i.to_string(), order)
            .map(Some)
            .ok_or_else(|| bad(&i.to_string())),
        Some(Data::DateTimeIso(s)) | Some(Data::String(s)) => {
            if s.trim().is_empty() {
                return Ok(None);
            }
            text_date(s, order).map(Some).ok_or_else(|| bad(s))
        }
        Some(Data::Error(e)) => Err(format!("ô bị lỗi công thức {e}")),
        Some(other) => Err(bad(&cell_text(other))),
    }
}

pub(crate) fn text_date(s: &str, order: DayOrder) -> Option<NaiveDate> {
    let t = s.trim();
    if t.len() >= 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        if t.len() != 8 && t.len() != 12 && t.len() != 14 {
            return None;
        }
        let n = |a: usize, b: usize| t.get(a..b)?.parse::<u32>().ok();
        let y = i32::try_from(n(0, 4)?).ok()?;
        return NaiveDate::from_ymd_opt(y, n(4, 6)?, n(6, 8)?);
    }
    let date = t.split([' ', 'T']).next().unwrap_or(t);
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let [a, b, c] = parts[..] else {
        return None;
    };
    let num = |x: &str| -> Option<u32> {
        (!x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse().ok())
            .flatten()
    };
    let (a, b, c) = (num(a)?, num(b)?, num(c)?);
    let year = |y: u32| {
        (1900..=2999)
            .contains(&y)
            .then(|| i32::try_from(y).ok())
            .flatten()
    };
    if let Some(y) = year(a)
        && parts[0].len() == 4
    {
        return NaiveDate::from_ymd_opt(y, b, c);
    }
    let y = year(c)?;
    match order {
        DayOrder::NgayThang => NaiveDate::from_ymd_opt(y, b, a),
        DayOrder::ThangNgay => NaiveDate::from_ymd_opt(y, a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_both_systems_are_read_as_calendar_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let dm = DayOrder::NgayThang;
        assert_eq!(text_date("05/06/2024", dm), d(2024, 6, 5));
        assert_eq!(text_date("05/06/2024 08:30:00", dm), d(2024, 6, 5));
        assert_eq!(text_date("5-6-2024", dm), d(2024, 6, 5));
        assert_eq!(text_date("2024-06-05T08:30:00", dm), d(2024, 6, 5));
        assert_eq!(text_date("20240605083000", dm), d(2024, 6, 5));
        assert_eq!(text_date("20240605", dm), d(2024, 6, 5));
        assert_eq!(text_date("06/05/2024", DayOrder::ThangNgay), d(2024, 6, 5));
        assert_eq!(text_date("31/02/2024", dm), None);
        assert_eq!(text_date("2024060", dm), None);
        assert_eq!(text_date("hôm qua", dm), None);
        assert_eq!(text_date("05/06/24", dm), None);
    }

    #[test]
    fn vocabularies_take_codes_and_words_and_the_office_words_first() {
        let mut rules = OneStopRules::default();
        assert_eq!(read_state("10", &rules), Some(DossierState::DaXong));
        assert_eq!(
            read_state("Đã trả kết quả", &rules),
            Some(DossierState::DaXong)
        );
        assert_eq!(
            read_state("Yêu cầu bổ sung", &rules),
            Some(DossierState::TamDung)
        );
        assert_eq!(read_state("7", &rules), Some(DossierState::Rut));
        assert_eq!(
            read_state("Không tiếp nhận", &rules),
            Some(DossierState::KhongTiepNhan)
        );
        assert_eq!(read_state("Chờ ký", &rules), None);
        rules
            .trang_thai
            .insert("cho ky".into(), DossierState::DangXuLy);
        assert_eq!(read_state("Chờ ký", &rules), Some(DossierState::DangXuLy));
        assert_eq!(read_channel("Trực tuyến", &rules), Some(Channel::TrucTuyen));
        assert_eq!(read_channel("3", &rules), Some(Channel::Bcci));
        assert_eq!(
            read_channel("Bưu chính công ích", &rules),
            Some(Channel::Bcci)
        );
        assert_eq!(
            read_level("Toàn trình", &rules),
            Some(ServiceLevel::ToanTrinh)
        );
        assert_eq!(read_level("Mức độ 3", &rules), Some(ServiceLevel::MotPhan));
        assert_eq!(read_level("", &rules), Some(ServiceLevel::Khac));
        assert_eq!(read_level("mức 7", &rules), None);
    }
}
