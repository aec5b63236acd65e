//! The office's settings, `input/cchc.toml`: authority names, place, units with their aliases,
//! signer and recipients, the plan's targets, the report window and the fonts.
//!
//! Keys are Vietnamese without diacritics so that office staff can edit the file in any editor.

use crate::vn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub co_quan: Authority,
    pub ky: Signer,
    /// Nơi nhận of reports, each without the leading "- " (the last is "Lưu: VT.").
    pub noi_nhan: Vec<String>,
    pub don_vi: Vec<Unit>,
    #[serde(default)]
    pub chi_tieu: Targets,
    #[serde(default)]
    pub ky_bao_cao: WindowRule,
    #[serde(default)]
    pub phong_chu: Option<FontFiles>,
    #[serde(default)]
    pub gioi_han: Limits,
    #[serde(default)]
    pub ho_so_mot_cua: OneStopRules,
    /// The folded unit names and aliases [`Config::units_in`] searches for, longest first:
    /// folding them on every call was most of the time of reading the plan and the workbooks.
    #[serde(skip)]
    unit_keys: std::sync::OnceLock<Vec<(String, String)>>,
}

/// The issuing authority (Decree 30 header block).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Authority {
    /// Cơ quan chủ quản, e.g. "UBND QUẬN HÀ ĐÔNG" (may be empty).
    #[serde(default)]
    pub chu_quan: String,
    /// Cơ quan ban hành, one entry per printed line: ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ LÃM"].
    pub ban_hanh: Vec<String>,
    /// Short name used in sentences: "UBND phường Phú Lãm".
    pub ten_ngan: String,
    /// Full name, the documents' author: "Ủy ban nhân dân phường Phú Lãm".
    pub ten_day_du: String,
    /// Place name for the date line: "Phú Lãm".
    pub dia_danh: String,
    /// The issuer part of document numbers: "UBND" in "12/BC-UBND".
    pub ky_hieu: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signer {
    /// "KT. CHỦ TỊCH" (TM., KT., Q., TL., TUQ. ...)
    pub quyen_han: String,
    /// "PHÓ CHỦ TỊCH"
    pub chuc_vu: String,
    pub ho_ten: String,
}

/// A department (ngành, bộ phận) that reports to the Văn phòng.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Short code, ASCII: "VP", "TP", "VHTT", "TCKT", "MC", "CA".
    pub ma: String,
    /// Name as printed: "Bộ phận Tư pháp".
    pub ten: String,
    /// Other spellings found in the plan and in workbooks.
    #[serde(default)]
    pub bi_danh: Vec<String>,
    /// The one-stop unit (Bộ phận Tiếp nhận và trả kết quả): it also reports "Hồ sơ TTHC" and
    /// "SIPAS".
    #[serde(default)]
    pub mot_cua: bool,
    /// The unit that merges the reports (Văn phòng): its year workbook holds the
    /// self-assessment.
    #[serde(default)]
    pub tong_hop: bool,
    /// The unit's own indicators for its "Số liệu" sheet.
    #[serde(default)]
    pub chi_so: Vec<Indicator>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub ma: String,
    pub ten: String,
    /// How a report of several quarters (6 months, 9 months, a year) takes it.
    #[serde(default)]
    pub loai: FigureKind,
}

/// How an indicator of the "Số liệu" sheet adds up over the quarters of a longer period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// A count of things done in the quarter (inspections held, news published): the
    /// period's figure is the sum of its quarters'. The default.
    #[default]
    CongDon,
    /// A level at the quarter's end (accounts activated so far, files digitised to date): the
    /// period's figure is that of its latest quarter that gave one.
    CuoiKy,
}

impl FigureKind {
    /// As `cchc data` and the report's notes say it.
    pub fn label(self) -> &'static str {
        match self {
            FigureKind::CongDon => "cộng dồn các quý",
            FigureKind::CuoiKy => "số cuối kỳ",
        }
    }
}

/// The plan's targets (Appendix I row 12), in percent.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub truc_tuyen_mot_phan: f64,
    pub truc_tuyen_toan_trinh: f64,
    pub bcci_toi_thieu: f64,
    pub bcci_toi_da: f64,
    pub dung_han: f64,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            truc_tuyen_mot_phan: 50.0,
            truc_tuyen_toan_trinh: 10.0,
            bcci_toi_thieu: 5.0,
            bcci_toi_da: 10.0,
            dung_han: 100.0,
        }
    }
}

/// The report window: a period ends on `ngay_chot` of its last month and starts the day after
/// the previous period's end (Decree 09/2019/NĐ-CP: 15 of the month before to 14). 0 means
/// calendar periods (ending on the month's last day).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WindowRule {
    pub ngay_chot: u32,
    /// Units send their reports to the Văn phòng before this day of the period's last month.
    pub han_don_vi: u32,
    /// The ward's report goes to the district before this day.
    pub han_bao_cao: u32,
}

impl Default for WindowRule {
    fn default() -> Self {
        WindowRule {
            ngay_chot: 14,
            han_don_vi: 5,
            han_bao_cao: 10,
        }
    }
}

/// What one input may cost (`[gioi_han]`): beyond a limit, the file or sheet is refused with a
/// finding that names the limit, before the work it would take. A ward's workbook is well
/// under a megabyte, with a few thousand cells.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// One workbook file, in MB.
    pub tep_mb: u64,
    /// A zip package (.xlsx, .ods) inflated, all parts together, in MB.
    pub giai_nen_mb: u64,
    /// How many times its stored size a part over 16 MB may inflate.
    pub ty_le_nen: u64,
    /// Cells holding a value in one sheet.
    pub o_moi_sheet: usize,
    /// Characters in one cell (Excel's own limit is 32 767).
    pub ky_tu_moi_o: usize,
    /// Task rows in one "Nhiệm vụ" sheet.
    pub dong_nhiem_vu: usize,
    /// Tasks in the plan's appendices (a ward's plan has about a hundred).
    pub nhiem_vu_ke_hoach: usize,
    /// Dossier rows in one list exported from the one-stop software (a ward has tens of
    /// thousands a year; each row read costs about a hundred bytes).
    pub dong_ho_so: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            tep_mb: 50,
            giai_nen_mb: 256,
            ty_le_nen: 100,
            o_moi_sheet: 200_000,
            ky_tu_moi_o: 32_767,
            dong_nhiem_vu: 5_000,
            nhiem_vu_ke_hoach: 2_000,
            dong_ho_so: 2_000_000,
        }
    }
}

/// How a dossier list exported from the one-stop software (`[ho_so_mot_cua]`) is counted
/// into Biểu 06. The software differ on these points; each default is the rule of Biểu 06
/// itself (Thông tư 01/2018/TT-VPCP) as both known systems apply it, comparing calendar dates
/// and trusting the stored due date.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OneStopRules {
    /// Which date says a dossier is finished: the day its result was returned (`ngay_tra`) or
    /// the day processing ended (`ngay_ket_thuc`). When the list lacks that column, the other
    /// one is used, and `check` says so.
    pub ngay_hoan_thanh: DoneDate,
    /// A dossier still pending at the period's end is overdue when its due date is before
    /// that end (`truoc_cuoi_ky`), or on or before it (`den_cuoi_ky`).
    pub qua_han: OverdueRule,
    /// A pending dossier waiting for documents (bổ sung) or paused counts as within its
    /// deadline, whatever its due date.
    pub tam_dung_trong_han: bool,
    /// Withdrawn dossiers (rút hồ sơ): left out of Biểu 06 (`khong_tinh`), or counted as
    /// received and solved on the day they ended (`da_giai_quyet`).
    pub rut_ho_so: WithdrawnRule,
    /// A dossier with no due date: solved on time, pending within its deadline (`dung_han`,
    /// Biểu 06's rule), or an error at its row (`loi`).
    pub thieu_ngay_hen: MissingDueRule,
    /// Text dates such as "05/06/2024": day first (`ngay_thang`) or month first
    /// (`thang_ngay`). Dates stored as dates are never in doubt.
    pub thu_tu_ngay: DayOrder,
    /// The channel of rows whose channel cell is empty, or of a list without that column:
    /// none (an error, since (4) and (5) cannot be told apart), or `truc_tiep`,
    /// `truc_tuyen`, `bcci`.
    pub kenh_mac_dinh: Option<Channel>,
    /// More words of the software (folded: without accents, lower case), each to what it
    /// means: `trang_thai = { "cho ky duyet" = "dang_xu_ly" }`. They come before cchc's own.
    pub trang_thai: std::collections::BTreeMap<String, DossierState>,
    pub kenh: std::collections::BTreeMap<String, Channel>,
    pub muc_do: std::collections::BTreeMap<String, ServiceLevel>,
    /// More header names per column of the list, folded:
    /// `tieu_de = { ngay_tiep_nhan = ["ngay nhan ho so"] }`.
    pub tieu_de: std::collections::BTreeMap<String, Vec<String>>,
}

impl Default for OneStopRules {
    fn default() -> Self {
        OneStopRules {
            ngay_hoan_thanh: DoneDate::NgayTra,
            qua_han: OverdueRule::TruocCuoiKy,
            tam_dung_trong_han: true,
            rut_ho_so: WithdrawnRule::KhongTinh,
            thieu_ngay_hen: MissingDueRule::DungHan,
            thu_tu_ngay: DayOrder::NgayThang,
            kenh_mac_dinh: None,
            trang_thai: Default::default(),
            kenh: Default::default(),
            muc_do: Default::default(),
            tieu_de: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DoneDate {
    NgayTra,
    NgayKetThuc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverdueRule {
    TruocCuoiKy,
    DenCuoiKy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WithdrawnRule {
    KhongTinh,
    DaGiaiQuyet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingDueRule {
    DungHan,
    Loi,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayOrder {
    NgayThang,
    ThangNgay,
}

/// How a dossier was submitted: (4) online, (5) in person or by post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    TrucTiep,
    TrucTuyen,
    Bcci,
}

/// Where a dossier stands, as the software's status says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DossierState {
    /// Received, being processed (mới, đang xử lý, chờ duyệt).
    DangXuLy,
    /// Waiting for the applicant (bổ sung) or paused (tạm dừng).
    TamDung,
    /// Processed, or its result returned.
    DaXong,
    /// Withdrawn by the applicant.
    Rut,
    /// Not accepted (không tiếp nhận, từ chối): never received, never counted.
    KhongTiepNhan,
}

/// The online service level of a dossier's procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevel {
    /// Not an online public service, or one that only informs.
    Khac,
    /// Một phần (formerly mức độ 3).
    MotPhan,
    /// Toàn trình (formerly mức độ 4).
    ToanTrinh,
}

/// Other font files (e.g. the real Times New Roman on an office PC), relative to the workspace.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FontFiles {
    pub thuong: String,
    pub dam: String,
    pub nghieng: String,
    pub dam_nghieng: String,
}

/// Why a `cchc.toml` could not be used, with the line where that is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub line: Option<usize>,
    pub message: String,
}

/// A TOML error in the users' language: the frequent ones said in Vietnamese, any other with
/// the parser's own words as technical detail.
pub(crate) fn toml_message(e: &toml::de::Error) -> String {
    let raw = e.message().replace('\n', "; ");
    let quoted = |s: &str| s.replace('`', "\"");
    if let Some(rest) = raw.strip_prefix("unknown field ") {
        let (field, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.trim_start_matches("one of ");
        if expected.is_empty() {
            return format!("khóa {} không dùng ở đây", quoted(field));
        }
        return format!(
            "khóa {} không dùng ở đây (các khóa được dùng: {})",
            quoted(field),
            quoted(expected)
        );
    }
    if let Some(field) = raw.strip_prefix("missing field ") {
        return format!("thiếu khóa {}", quoted(field));
    }
    if raw.starts_with("duplicate key") {
        return format!("một khóa được ghi hai lần (chi tiết kỹ thuật: {raw})");
    }
    if let Some(rest) = raw.strip_prefix("unknown variant ") {
        let (value, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected.trim_start_matches("one of ");
        return format!(
            "giá trị {} không dùng được ở đây (các giá trị được dùng: {})",
            quoted(value),
            quoted(expected)
        );
    }
    if raw.starts_with("invalid type") {
        return format!("giá trị không đúng kiểu (chi tiết kỹ thuật: {raw})");
    }
    format!("sai cú pháp TOML, ví dụ thiếu dấu ngoặc kép quanh chữ (chi tiết kỹ thuật: {raw})")
}

/// A value the office still has to write (as `cchc init` leaves them), with its line when the
/// key is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blank {
    pub line: Option<usize>,
    /// As a person finds it in the file: "[co_quan] ten_ngan", "[[don_vi]] thứ 2: ma".
    pub key: String,
    /// What to write there, with an example.
    pub what: &'static str,
}

impl std::fmt::Display for Blank {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "dòng {l}, {}: {}", self.key, self.what),
            None => write!(f, "{}: {}", self.key, self.what),
        }
    }
}

/// A required key: its table ("" for the top level, "don_vi[]" for every entry of an array of
/// tables), its name and what it holds.
pub(crate) type Required = (&'static str, &'static str, &'static str);

/// The keys of `required` that are missing or hold nothing: an empty or blank string, an empty
/// array (or one of blank strings), the number 0. Checked on the raw table before the typed
/// reading, so that a new office is told every blank at once rather than the first.
pub(crate) fn blanks(src: &str, table: &toml::Table, required: &[Required]) -> Vec<Blank> {
    let empty = |v: Option<&toml::Value>| match v {
        None => true,
        Some(toml::Value::String(s)) => s.trim().is_empty(),
        Some(toml::Value::Array(a)) => a
            .iter()
            .all(|x| matches!(x, toml::Value::String(s) if s.trim().is_empty())),
        Some(toml::Value::Integer(n)) => *n == 0,
        Some(_) => false,
    };
    let mut out = Vec::new();
    for &(section, key, what) in required {
        if let Some(array) = section.strip_suffix("[]") {
            let Some(toml::Value::Array(entries)) = table.get(array) else {
                continue;
            };
            for (i, entry) in entries.iter().enumerate() {
                if let Some(t) = entry.as_table()
                    && empty(t.get(key))
                {
                    out.push(Blank {
                        line: key_line(src, array, i, key),
                        key: format!("[[{array}]] thứ {}: {key}", i + 1),
                        what,
                    });
                }
            }
            continue;
        }
        let value = if section.is_empty() {
            table.get(key)
        } else {
            table.get(section).and_then(|t| t.get(key))
        };
        if empty(value) {
            out.push(Blank {
                line: key_line(src, section, 0, key),
                key: if section.is_empty() {
                    key.to_string()
                } else {
                    format!("[{section}] {key}")
                },
                what,
            });
        }
    }
    out.sort_by_key(|b| b.line.unwrap_or(usize::MAX));
    out
}

/// The line of `key = …` in the `nth` table headed `section` (the top level when empty), or of
/// that table's header when the key is not written: where the office has to type. Only the
/// usual one-key-per-line layout is searched; the caller's message stands without a line.
fn key_line(src: &str, section: &str, nth: usize, key: &str) -> Option<usize> {
    let mut current = String::new();
    let mut seen: usize = 0;
    let mut header = None;
    let wanted = |current: &str, seen: usize| current == section && seen == nth + 1;
    for (i, line) in src.lines().enumerate() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[') {
            let name = name.trim_start_matches('[');
            let name = name.split(']').next().unwrap_or("").trim();
            if name == current {
                seen += 1;
            } else {
                current = name.to_string();
                seen = 1;
            }
            if wanted(&current, seen) {
                header = Some(i + 1);
            }
            continue;
        }
        let in_section = if section.is_empty() {
            current.is_empty()
        } else {
            wanted(&current, seen)
        };
        if in_section
            && let Some(rest) = t.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(i + 1);
        }
    }
    header
}

const REQUIRED: [Required; 12] = [
    (
        "co_quan",
        "ban_hanh",
        "tên cơ quan ban hành, mỗi dòng in một chuỗi, ví dụ [\"ỦY BAN NHÂN DÂN\", \"PHƯỜNG AN BÌNH\"]",
    ),
    (
        "co_quan",
        "ten_ngan",
        "tên ngắn dùng trong câu, ví dụ \"UBND phường An Bình\"",
    ),
    (
        "co_quan",
        "ten_day_du",
        "tên đầy đủ của cơ quan, ví dụ \"Ủy ban nhân dân phường An Bình\"",
    ),
    (
        "co_quan",
        "dia_danh",
        "địa danh ở dòng ngày tháng, ví dụ \"An Bình\"",
    ),
    (
        "co_quan",
        "ky_hieu",
        "chữ viết tắt của cơ quan trong số văn bản, ví dụ \"UBND\" (\"12/BC-UBND\")",
    ),
    (
        "ky",
        "quyen_han",
        "thẩm quyền ký, ví dụ \"TM. ỦY BAN NHÂN DÂN\" hoặc \"KT. CHỦ TỊCH\"",
    ),
    ("ky", "chuc_vu", "chức vụ người ký, ví dụ \"PHÓ CHỦ TỊCH\""),
    ("ky", "ho_ten", "họ tên người ký"),
    (
        "",
        "noi_nhan",
        "nơi nhận báo cáo, mỗi nơi một chuỗi, nơi cuối là \"Lưu: VT.\"",
    ),
    (
        "",
        "don_vi",
        "các đơn vị báo cáo, mỗi đơn vị một mục [[don_vi]] có ma, ten",
    ),
    (
        "don_vi[]",
        "ma",
        "mã ngắn của đơn vị, chữ không dấu, ví dụ \"VP\", \"TP\", \"MC\"",
    ),
    (
        "don_vi[]",
        "ten",
        "tên đơn vị như in trong báo cáo, ví dụ \"Bộ phận Tư pháp\"",
    ),
];

impl Config {
    /// Parses and validates `cchc.toml` text.
    pub fn parse(src: &str) -> Result<Config, ConfigError> {
        let syntax = |e: toml::de::Error| ConfigError {
            line: e
                .span()
                .map(|s| src[..s.start.min(src.len())].lines().count().max(1)),
            message: format!("cấu hình không đọc được: {}", toml_message(&e)),
        };
        let table: toml::Table = toml::from_str(src).map_err(syntax)?;
        let blank = blanks(src, &table, &REQUIRED);
        if !blank.is_empty() {
            let mut message = format!("còn {} mục chưa điền:", blank.len());
            for b in &blank {
                message.push_str("\n  - ");
                message.push_str(&b.to_string());
            }
            return Err(ConfigError {
                line: None,
                message,
            });
        }
        let cfg: Config = toml::from_str(src).map_err(syntax)?;
        cfg.validate()?;
        Ok(cfg.normalised())
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let err = |m: String| {
            Err(ConfigError {
                line: None,
                message: m,
            })
        };
        if self.don_vi.is_empty() {
            return err("chưa khai báo đơn vị nào ([[don_vi]])".into());
        }
        let mut codes = BTreeSet::new();
        let mut keys: Vec<(String, String)> = Vec::new();
        for u in &self.don_vi {
            if !codes.insert(u.ma.to_uppercase()) {
                return err(format!("mã đơn vị \"{}\" bị trùng", u.ma));
            }
            for name in std::iter::once(&u.ten).chain(&u.bi_danh) {
                let k = vn::fold(name);
                if let Some((_, other)) = keys.iter().find(|(kk, code)| *kk == k && *code != u.ma) {
                    return err(format!(
                        "tên hoặc bí danh \"{name}\" của đơn vị {} trùng với đơn vị {other}",
                        u.ma
                    ));
                }
                keys.push((k, u.ma.clone()));
            }
        }
        if self.don_vi.iter().filter(|u| u.mot_cua).count() > 1 {
            return err("chỉ một đơn vị được đánh dấu mot_cua = true".into());
        }
        let d = self.ky_bao_cao.ngay_chot;
        if d > 28 {
            return err(format!(
                "ngay_chot = {d}: cần từ 1 đến 28, hoặc 0 (cuối tháng)"
            ));
        }
        Ok(())
    }

    fn normalised(mut self) -> Config {
        let n = |s: &mut String| *s = vn::clean(s);
        n(&mut self.co_quan.chu_quan);
        self.co_quan.ban_hanh.iter_mut().for_each(n);
        n(&mut self.co_quan.ten_ngan);
        n(&mut self.co_quan.ten_day_du);
        n(&mut self.co_quan.dia_danh);
        n(&mut self.ky.ho_ten);
        n(&mut self.ky.chuc_vu);
        n(&mut self.ky.quyen_han);
        self.noi_nhan.iter_mut().for_each(n);
        for u in &mut self.don_vi {
            n(&mut u.ten);
            u.bi_danh.iter_mut().for_each(n);
        }
        // The software's words are compared folded, as the cells are.
        let r = &mut self.ho_so_mot_cua;
        fn fold_keys<T>(m: &mut std::collections::BTreeMap<String, T>) {
            *m = std::mem::take(m)
                .into_iter()
                .map(|(k, v)| (vn::fold(&k), v))
                .collect();
        }
        fold_keys(&mut r.trang_thai);
        fold_keys(&mut r.kenh);
        fold_keys(&mut r.muc_do);
        for names in r.tieu_de.values_mut() {
            names.iter_mut().for_each(|x| *x = vn::fold(x));
        }
        self
    }

    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.don_vi.iter().find(|u| u.ma == code)
    }

    pub fn one_stop_unit(&self) -> Option<&Unit> {
        self.don_vi.iter().find(|u| u.mot_cua)
    }

    /// The unit whose name or alias equals `text` (ignoring case, accents and spacing).
    pub fn unit_named(&self, text: &str) -> Option<&Unit> {
        let k = vn::fold(text);
        if k.is_empty() {
            return None;
        }
        self.don_vi.iter().find(|u| {
            std::iter::once(&u.ten)
                .chain(&u.bi_danh)
                .any(|n| vn::fold(n) == k)
        })
    }

    /// Every unit named inside free text such as "VP; Một cửa" or "Văn hoá tin, Công an
    /// phường": names and aliases are searched as whole words, longest first, without
    /// overlaps. Returns unit codes in order of first appearance.
    pub fn units_in(&self, text: &str) -> Vec<String> {
        let hay = format!(" {} ", vn::fold(text));
        let names = self.unit_keys.get_or_init(|| {
            let mut names: Vec<(String, String)> = self
                .don_vi
                .iter()
                .flat_map(|u| {
                    std::iter::once(&u.ten)
                        .chain(&u.bi_danh)
                        .map(move |n| (vn::fold(n), u.ma.clone()))
                })
                .filter(|(k, _)| !k.is_empty())
                // Kept as whole-word needles, " key ", so that no search builds one.
                .map(|(k, code)| (format!(" {k} "), code))
                .collect();
            names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
            names
        });
        let mut taken = vec![false; hay.len()];
        let mut found: Vec<(usize, String)> = Vec::new();
        for (needle, code) in names {
            let mut from = 0;
            while let Some(pos) = hay[from..].find(needle.as_str()) {
                let start = from + pos + 1;
                let end = start + needle.len() - 2;
                if !taken[start..end].iter().any(|t| *t) {
                    taken[start..end].iter_mut().for_each(|t| *t = true);
                    found.push((start, code.to_string()));
                }
                from = start;
            }
        }
        found.sort();
        let mut out: Vec<String> = Vec::new();
        for (_, c) in found {
            if !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = include_str!("../input/cchc.toml");

    #[test]
    fn toml_errors_are_said_in_vietnamese_at_their_line() {
        let unknown = SAMPLE.replace("[chi_tieu]\n", "[chi_tieu]\nxyz = 1\n");
        let e = Config::parse(&unknown).unwrap_err();
        assert!(
            e.message.starts_with("cấu hình không đọc được: khóa \"xyz\" không dùng ở đây (các khóa được dùng: \"truc_tuyen_mot_phan\""),
            "{e:?}"
        );
        let unquoted = SAMPLE.replacen("ten = \"", "ten = ", 1);
        let e = Config::parse(&unquoted).unwrap_err();
        assert!(e.message.contains("sai cú pháp TOML"), "{e:?}");
        assert!(e.line.is_some(), "{e:?}");
    }

    #[test]
    fn sample_parses() {
        let c = Config::parse(SAMPLE).unwrap();
        assert_eq!(c.don_vi.len(), 6);
        assert_eq!(c.one_stop_unit().unwrap().ma, "MC");
    }

    #[test]
    fn units_in_free_text() {
        let c = Config::parse(SAMPLE).unwrap();
        assert_eq!(c.units_in("VP; Một cửa"), ["VP", "MC"]);
        assert_eq!(c.units_in("Văn hoá tin, Công an phường"), ["VHTT", "CA"]);
        assert_eq!(c.units_in("- Bộ phận Tiếp nhận và trả kết quả."), ["MC"]);
        assert_eq!(c.units_in("Bộ phận TN&TKQ"), ["MC"]);
        assert_eq!(
            c.units_in("Bộ phận một cửa - Bộ phận văn hóa thông tin"),
            ["MC", "VHTT"]
        );
        assert_eq!(c.units_in("Văn phòng UBND phường tham mưu"), ["VP"]);
        assert_eq!(
            c.units_in("-Văn phòng UBND phường; Bộ phận Tiếp nhận và trả kết quả"),
            ["VP", "MC"]
        );
        assert_eq!(
            c.units_in("Bộ phận tiếp nhận và trả kết quả; Bộ phận Tư pháp"),
            ["MC", "TP"]
        );
        assert!(c.units_in("Các ngành, BP chuyên môn").is_empty());
        assert_eq!(
            c.units_in("- Văn phòng UBND phường; Bộ phận tài chính;"),
            ["VP", "TCKT"]
        );
    }

    #[test]
    fn bad_config_names_the_line() {
        let src = SAMPLE.replacen("ban_hanh = [", "ban_hanh = 3\nxx = [", 1);
        let e = Config::parse(&src).unwrap_err();
        let line = SAMPLE
            .lines()
            .position(|l| l.starts_with("ban_hanh"))
            .unwrap()
            + 1;
        assert_eq!(e.line, Some(line));
        assert!(e.message.contains("cấu hình"));
    }
}
