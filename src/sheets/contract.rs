//! The declared shape of the sheet "Hồ sơ TTHC" (Biểu số 06/VPCP/KSTT and the plan's splits):
//! each column's key, official number, two-level header, the header words the reader accepts,
//! and how a report of several quarters takes it; the identities between the columns beside
//! them. The reader, the blank forms, the sample, the checks, the report and `cchc nguon` all
//! read this one declaration, so a column is added here and nowhere else.

/// How a column adds up over the quarters of a longer period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Over {
    /// A flow within the quarter (received, solved): the sum of the quarters.
    Sum,
    /// A level at the quarter's start (carried over from the previous period): the first
    /// quarter's.
    First,
    /// A level at the quarter's end (pending): the last quarter's.
    Last,
    /// A total: the sum of its identity's parts over the period (so that a longer period's
    /// (3) does not count the dossiers carried between its own quarters).
    Parts,
}

/// One column of the sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The name of the column in report data and templates: `one_stop.total.received`.
    pub key: &'static str,
    /// The official column number of Biểu 06, "(3)"; `None` for the plan's own columns.
    pub number: Option<u8>,
    /// The upper header ("Số hồ sơ nhận giải quyết"), "" for a one-level header.
    pub group: &'static str,
    /// The lower header ("Tổng số"), or the whole header of a one-level column.
    pub label: &'static str,
    /// Folded words of which the upper header must hold one; empty: only `label_words` count.
    pub group_words: &'static [&'static str],
    /// Folded words of which the lower header (or the whole header) must hold one.
    pub label_words: &'static [&'static str],
    /// A column of Biểu 06 must be there; the plan's splits may be missing.
    pub required: bool,
    pub over: Over,
}

impl Column {
    /// "(3) Số hồ sơ nhận giải quyết / Tổng số", "Thư xin lỗi": as messages name the column.
    pub fn title(&self) -> String {
        let head = if self.group.is_empty() {
            self.label.to_string()
        } else {
            format!("{} / {}", self.group, self.label)
        };
        match self.number {
            Some(n) => format!("({n}) {head}"),
            None => head,
        }
    }

    /// Whether a header cell, folded ("so ho so da giai quyet / qua han" for a two-level
    /// header), names this column.
    pub fn matches(&self, header: &str) -> bool {
        let has = |text: &str, words: &[&str]| words.iter().any(|w| text.contains(w));
        if self.group_words.is_empty() {
            return has(header, self.label_words);
        }
        match header.split_once(" / ") {
            Some((group, label)) => has(group, self.group_words) && has(label, self.label_words),
            None => has(header, self.group_words) && has(header, self.label_words),
        }
    }
}

const RECEIVED: &[&str] = &["nhan giai quyet", "tiep nhan", "so ho so nhan"];
const SOLVED: &[&str] = &["da giai quyet"];
const PENDING: &[&str] = &["dang giai quyet", "chua giai quyet"];
const BCCI: &[&str] = &["bcci", "buu chinh cong ich"];

const fn official(
    key: &'static str,
    number: u8,
    group: &'static str,
    label: &'static str,
    group_words: &'static [&'static str],
    label_words: &'static [&'static str],
    over: Over,
) -> Column {
    Column {
        key,
        number: Some(number),
        group,
        label,
        group_words,
        label_words,
        required: true,
        over,
    }
}

const fn split(
    key: &'static str,
    group: &'static str,
    label: &'static str,
    group_words: &'static [&'static str],
    label_words: &'static [&'static str],
) -> Column {
    Column {
        key,
        number: None,
        group,
        label,
        group_words,
        label_words,
        required: false,
        over: Over::Sum,
    }
}

/// Declares the columns: each `Name = column` gives `Col::Name` and its entry of [`COLUMNS`],
/// in the sheet's order, so that a column is added in one place.
macro_rules! columns {
    ($($name:ident = $column:expr,)*) => {
        /// A column of [`COLUMNS`] by name; `Col::X as usize` is its position.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Col {
            $($name,)*
        }

        /// How many figure columns the sheet has.
        pub const N: usize = [$(stringify!($name),)*].len();

        /// Every figure column, in the sheet's order: Biểu 06's (3) to (13), then the plan's
        /// splits.
        pub const COLUMNS: [Column; N] = [$($column,)*];

        impl Col {
            pub const ALL: [Col; N] = [$(Col::$name,)*];
        }
    };
}

columns! {
    Received = official(
        "received",
        3,
        "Số hồ sơ nhận giải quyết",
        "Tổng số",
        RECEIVED,
        &["tong so"],
        Over::Parts,
    ),
    ReceivedOnline = official(
        "received_online",
        4,
        "Số hồ sơ nhận giải quyết",
        "Trực tuyến",
        RECEIVED,
        &["truc tuyen"],
        Over::Sum,
    ),
    ReceivedDirect = official(
        "received_direct",
        5,
        "Số hồ sơ nhận giải quyết",
        "Trực tiếp, dịch vụ bưu chính",
        RECEIVED,
        &["truc tiep"],
        Over::Sum,
    ),
    CarriedOver = official(
        "carried_over",
        6,
        "Số hồ sơ nhận giải quyết",
        "Từ kỳ trước",
        RECEIVED,
        &["ky truoc"],
        Over::First,
    ),
    Solved = official(
        "solved",
        7,
        "Số hồ sơ đã giải quyết",
        "Tổng số",
        SOLVED,
        &["tong so"],
        Over::Sum,
    ),
    SolvedEarly = official(
        "solved_early",
        8,
        "Số hồ sơ đã giải quyết",
        "Trước hạn",
        SOLVED,
        &["truoc han"],
        Over::Sum,
    ),
    SolvedOnTime = official(
        "solved_on_time",
        9,
        "Số hồ sơ đã giải quyết",
        "Đúng hạn",
        SOLVED,
        &["dung han"],
        Over::Sum,
    ),
    SolvedLate = official(
        "solved_late",
        10,
        "Số hồ sơ đã giải quyết",
        "Quá hạn",
        SOLVED,
        &["qua han", "tre han"],
        Over::Sum,
    ),
    Pending = official(
        "pending",
        11,
        "Số hồ sơ đang giải quyết",
        "Tổng số",
        PENDING,
        &["tong so"],
        Over::Last,
    ),
    PendingInTime = official(
        "pending_in_time",
        12,
        "Số hồ sơ đang giải quyết",
        "Trong hạn",
        PENDING,
        &["trong han"],
        Over::Last,
    ),
    PendingLate = official(
        "pending_late",
        13,
        "Số hồ sơ đang giải quyết",
        "Quá hạn",
        PENDING,
        &["qua han", "tre han"],
        Over::Last,
    ),
    OnlinePartial = split(
        "online_partial",
        "Dịch vụ công trực tuyến",
        "Một phần",
        &[],
        &["mot phan", "muc do 3"],
    ),
    OnlineFull = split(
        "online_full",
        "Dịch vụ công trực tuyến",
        "Toàn trình",
        &[],
        &["toan trinh", "muc do 4"],
    ),
    BcciReceived = split(
        "bcci_received",
        "Dịch vụ BCCI",
        "Tiếp nhận",
        BCCI,
        &["tiep nhan"],
    ),
    BcciReturned = split(
        "bcci_returned",
        "Dịch vụ BCCI",
        "Trả kết quả",
        BCCI,
        &["tra"],
    ),
    Apologies = split("apologies", "", "Thư xin lỗi", &[], &["xin loi"]),
}

impl Col {
    /// Biểu 06's own columns, (3) to (13): the first of [`Col::ALL`].
    pub const OFFICIAL: &'static [Col] = Col::ALL.split_at(11).0;

    pub fn column(self) -> &'static Column {
        &COLUMNS[self as usize]
    }
}

/// A total equal to the sum of its parts, as Biểu 06 defines its columns.
#[derive(Debug, Clone, Copy)]
pub struct Identity {
    pub total: Col,
    pub parts: &'static [Col],
    /// Broken, the row is wrong (an error); else the software may count returned or withdrawn
    /// dossiers apart (a warning).
    pub strict: bool,
}

impl Identity {
    /// "(3) = (4) + (5) + (6)"
    pub fn formula(&self) -> String {
        let n = |c: Col| {
            c.column()
                .number
                .map_or("?".to_string(), |n| format!("({n})"))
        };
        let parts: Vec<String> = self.parts.iter().map(|c| n(*c)).collect();
        format!("{} = {}", n(self.total), parts.join(" + "))
    }
}

pub const IDENTITIES: [Identity; 4] = [
    Identity {
        total: Col::Received,
        parts: &[Col::ReceivedOnline, Col::ReceivedDirect, Col::CarriedOver],
        strict: true,
    },
    Identity {
        total: Col::Solved,
        parts: &[Col::SolvedEarly, Col::SolvedOnTime, Col::SolvedLate],
        strict: true,
    },
    Identity {
        total: Col::Pending,
        parts: &[Col::PendingInTime, Col::PendingLate],
        strict: true,
    },
    Identity {
        total: Col::Received,
        parts: &[Col::Solved, Col::Pending],
        strict: false,
    },
];

// ---------------------------------------------------------------------------------------------
// The other sheets: tables of one header row, one record a row.

/// What the reader does with a column of a table sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Read, and the sheet is not read without it.
    Required,
    /// Read when the sheet has it.
    Read,
    /// Written in the forms for the clerk to see (the plan's wording, the deadline); not read.
    Shown,
}

/// One column of a table sheet.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The header the forms write, as messages name the column.
    pub label: &'static str,
    /// Folded header names the reader accepts: the header equal to one, starting with one and
    /// a space ("ghi chu ly do mat diem"), or ending with "/ one" under a group header.
    pub names: &'static [&'static str],
    pub used: Use,
    /// Width in the forms, in characters.
    pub width: f64,
}

impl Field {
    /// Whether a folded header cell names this column.
    pub fn matches(&self, header: &str) -> bool {
        self.names.iter().any(|n| names(header, n))
    }
}

/// Whether a folded header cell is `name`: equal to it, starting with it and a space, or
/// ending with "/ name" (under a group header).
pub fn names(header: &str, name: &str) -> bool {
    header == name
        || header
            .strip_prefix(name)
            .is_some_and(|rest| rest.starts_with(' '))
        || header
            .strip_suffix(name)
            .is_some_and(|rest| rest.ends_with("/ "))
}

const fn field(
    label: &'static str,
    names: &'static [&'static str],
    used: Use,
    width: f64,
) -> Field {
    Field {
        label,
        names,
        used,
        width,
    }
}

/// A sheet: its name (matched folded), its title in the forms, and its columns in the forms'
/// order.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub sheet: &'static str,
    /// The forms' title above the table; the period's name follows.
    pub title: &'static str,
    /// The column whose header, equal to one of its names, marks the header row.
    pub key: usize,
    pub fields: &'static [Field],
}

impl Table {
    /// Whether a sheet's name (as the workbook spells it) is this sheet's.
    pub fn is_named(&self, name: &str) -> bool {
        crate::vn::fold(name) == crate::vn::fold(self.sheet)
    }
    /// Whether a folded header cell is this table's key header.
    pub fn is_key(&self, header: &str) -> bool {
        self.fields[self.key].names.contains(&header)
    }
    /// Header and width of every column, as the forms write them.
    pub fn headers(&self) -> Vec<(&'static str, f64)> {
        self.fields.iter().map(|f| (f.label, f.width)).collect()
    }
}

const STT: Field = field("STT", &["stt", "so thu tu"], Use::Shown, 5.0);

/// "Nhiệm vụ": the unit's report on each task the plan gives it.
pub mod tasks {
    use super::{Field, STT, Table, Use, field};
    pub const CODE: usize = 1;
    pub const TEXT: usize = 2;
    pub const DEADLINE: usize = 3;
    pub const ROLE: usize = 4;
    pub const STATUS: usize = 5;
    pub const RESULT: usize = 6;
    pub const EVIDENCE: usize = 7;
    pub const DIFFICULTY: usize = 8;
    pub const DONE: usize = 9;
    const FIELDS: [Field; 10] = [
        STT,
        field(
            "Mã nhiệm vụ",
            &["ma nhiem vu", "ma nv", "ma so nhiem vu"],
            Use::Required,
            11.0,
        ),
        field(
            "Nhiệm vụ",
            &["nhiem vu", "noi dung nhiem vu"],
            Use::Shown,
            45.0,
        ),
        field(
            "Thời gian hoàn thành",
            &["thoi gian hoan thanh", "thoi han"],
            Use::Shown,
            16.0,
        ),
        field("Vai trò", &["vai tro"], Use::Shown, 10.0),
        field(
            "Tình trạng",
            &["tinh trang", "trang thai", "tien do"],
            Use::Required,
            16.0,
        ),
        field(
            "Kết quả thực hiện",
            &["ket qua thuc hien", "ket qua"],
            Use::Read,
            45.0,
        ),
        field(
            "Văn bản, minh chứng",
            &["van ban minh chung", "minh chung", "van ban"],
            Use::Read,
            30.0,
        ),
        field(
            "Khó khăn, vướng mắc",
            &["kho khan vuong mac", "kho khan", "vuong mac"],
            Use::Read,
            30.0,
        ),
        field(
            "Ngày hoàn thành",
            &["ngay hoan thanh", "thoi diem hoan thanh"],
            Use::Read,
            13.0,
        ),
    ];
    pub const TABLE: Table = Table {
        sheet: "Nhiệm vụ",
        title: "Báo cáo kết quả thực hiện nhiệm vụ CCHC",
        key: CODE,
        fields: &FIELDS,
    };
}

/// "Số liệu": the unit's indicators.
pub mod figures {
    use super::{Field, STT, Table, Use, field};
    pub const CODE: usize = 1;
    pub const NAME: usize = 2;
    pub const VALUE: usize = 3;
    pub const NOTE: usize = 4;
    const FIELDS: [Field; 5] = [
        STT,
        field(
            "Mã chỉ tiêu",
            &["ma chi tieu", "ma chi so"],
            Use::Required,
            11.0,
        ),
        field(
            "Chỉ tiêu",
            &["chi tieu", "ten chi tieu", "noi dung"],
            Use::Read,
            55.0,
        ),
        field(
            "Giá trị",
            &["gia tri", "so lieu", "ket qua"],
            Use::Required,
            12.0,
        ),
        field("Ghi chú", &["ghi chu"], Use::Read, 36.0),
    ];
    pub const TABLE: Table = Table {
        sheet: "Số liệu",
        title: "Số liệu kết quả thực hiện CCHC",
        key: CODE,
        fields: &FIELDS,
    };
}

/// "SIPAS": answers per factor and level of satisfaction.
pub mod sipas {
    use super::{Field, STT, Table, Use, field};
    pub const FACTOR: usize = 1;
    /// The levels' columns, from "Rất hài lòng" to "Rất không hài lòng".
    pub const LEVELS: [usize; 5] = [2, 3, 4, 5, 6];
    const FIELDS: [Field; 7] = [
        STT,
        field(
            "Yếu tố",
            &["yeu to", "tieu chi", "noi dung", "chi so thanh phan"],
            Use::Required,
            44.0,
        ),
        field("Rất hài lòng", &["rat hai long"], Use::Required, 12.0),
        field("Hài lòng", &["hai long"], Use::Required, 12.0),
        field("Bình thường", &["binh thuong"], Use::Required, 12.0),
        field("Không hài lòng", &["khong hai long"], Use::Required, 12.0),
        field(
            "Rất không hài lòng",
            &["rat khong hai long"],
            Use::Required,
            12.0,
        ),
    ];
    pub const TABLE: Table = Table {
        sheet: "SIPAS",
        title: "Kết quả khảo sát sự hài lòng của người dân, tổ chức",
        key: LEVELS[0],
        fields: &FIELDS,
    };
}

/// "Tự chấm điểm": the year workbook's PAR INDEX self-assessment.
pub mod scores {
    use super::{Field, Table, Use, field};
    pub const CODE: usize = 0;
    pub const NAME: usize = 1;
    pub const MAX: usize = 2;
    pub const SCORE: usize = 3;
    pub const EVIDENCE: usize = 4;
    pub const NOTE: usize = 5;
    const FIELDS: [Field; 6] = [
        field(
            "Mã tiêu chí",
            &["ma tieu chi", "ma chi so", "ma so"],
            Use::Required,
            9.0,
        ),
        field(
            "Tiêu chí, tiêu chí thành phần",
            &["tieu chi tieu chi thanh phan", "tieu chi", "noi dung"],
            Use::Read,
            50.0,
        ),
        field("Điểm tối đa", &["diem toi da"], Use::Required, 10.0),
        field(
            "Điểm tự chấm",
            &["diem tu cham", "tu cham", "diem tu danh gia"],
            Use::Required,
            10.0,
        ),
        field(
            "Tài liệu kiểm chứng",
            &["tai lieu kiem chung", "kiem chung", "minh chung"],
            Use::Read,
            30.0,
        ),
        field(
            "Ghi chú (lý do mất điểm)",
            &["ghi chu", "ly do mat diem"],
            Use::Read,
            36.0,
        ),
    ];
    pub const TABLE: Table = Table {
        sheet: "Tự chấm điểm",
        title: "Bảng tự chấm điểm Chỉ số cải cách hành chính",
        key: CODE,
        fields: &FIELDS,
    };
}

/// "Hồ sơ TTHC": Biểu 06 by lĩnh vực; its figure columns are [`COLUMNS`].
pub mod dossiers {
    use super::{Field, STT, Use, field};
    pub const SHEET: &str = "Hồ sơ TTHC";
    pub const TITLE: &str = "Tình hình, kết quả giải quyết TTHC";
    /// The columns before the figures.
    pub const LEADING: [Field; 2] = [
        STT,
        field(
            "Lĩnh vực",
            &["linh vuc", "linh vuc giai quyet"],
            Use::Required,
            26.0,
        ),
    ];
    pub const FIELD: usize = 1;
}

/// The dossier list exported from the one-stop software (sổ theo dõi hồ sơ): one row per
/// dossier, in any sheet, under a header found by its "Mã hồ sơ" and "Ngày tiếp nhận"
/// columns. The names cover both known systems' exports (OpenCPS's list, a provincial DVC's
/// MaHoSo/NgayTiepNhan columns) and Biểu 06's own wording; `[ho_so_mot_cua] tieu_de` adds
/// more, by the ids of [`ledger::IDS`].
pub mod ledger {
    use super::{Field, STT, Table, Use, field};
    pub const CODE: usize = 1;
    pub const FIELD: usize = 2;
    pub const PROCEDURE: usize = 3;
    pub const RECEIVED: usize = 5;
    pub const DUE: usize = 6;
    pub const RETURNED: usize = 7;
    pub const ENDED: usize = 8;
    pub const STATUS: usize = 9;
    pub const CHANNEL: usize = 10;
    pub const LEVEL: usize = 11;
    pub const RETURN_CHANNEL: usize = 12;
    /// Each column's id in `[ho_so_mot_cua] tieu_de`.
    pub const IDS: [&str; 13] = [
        "stt",
        "ma_ho_so",
        "linh_vuc",
        "thu_tuc",
        "chu_ho_so",
        "ngay_tiep_nhan",
        "ngay_hen_tra",
        "ngay_tra",
        "ngay_ket_thuc",
        "trang_thai",
        "kenh",
        "muc_do",
        "nhan_ket_qua",
    ];
    const FIELDS: [Field; 13] = [
        STT,
        field(
            "Mã hồ sơ",
            &["ma ho so", "mahoso", "ma so ho so", "so ho so", "ma hs"],
            Use::Required,
            22.0,
        ),
        field(
            "Lĩnh vực",
            &["linh vuc", "ten linh vuc", "linhvuc", "tenlinhvuc"],
            Use::Read,
            24.0,
        ),
        field(
            "Thủ tục hành chính",
            &[
                "ten thu tuc hanh chinh",
                "thu tuc hanh chinh",
                "ten thu tuc",
                "tenthutuc",
                "thu tuc",
                "noi dung",
                "trich yeu",
                "trichyeu",
            ],
            Use::Read,
            40.0,
        ),
        field("Chủ hồ sơ", &["chu ho so", "chuhoso"], Use::Shown, 22.0),
        field(
            "Ngày tiếp nhận",
            &["ngay tiep nhan", "ngaytiepnhan", "ngay nhan"],
            Use::Required,
            19.0,
        ),
        field(
            "Ngày hẹn trả",
            &["ngay hen tra", "ngayhentra", "han giai quyet", "han xu ly"],
            Use::Read,
            19.0,
        ),
        field(
            "Ngày trả kết quả",
            &["ngay tra ket qua", "ngay tra", "ngaytra", "ngay tra kq"],
            Use::Read,
            19.0,
        ),
        field(
            "Ngày kết thúc xử lý",
            &[
                "ngay ket thuc xu ly",
                "ngay ket thuc",
                "ngayketthuc",
                "ngay hoan thanh",
                "ngay co ket qua",
            ],
            Use::Read,
            19.0,
        ),
        field(
            "Trạng thái",
            &["trang thai", "trangthai", "tinh trang", "trang thai ho so"],
            Use::Read,
            18.0,
        ),
        field(
            "Kênh nộp",
            &[
                "kenh nop",
                "hinh thuc nop",
                "kenh tiep nhan",
                "hinh thuc tiep nhan",
                "kenh",
            ],
            Use::Read,
            14.0,
        ),
        field(
            "Mức độ",
            &["muc do", "muc do dich vu cong", "muc do dvc"],
            Use::Read,
            12.0,
        ),
        field(
            "Nhận kết quả",
            &[
                "nhan ket qua",
                "hinh thuc nhan ket qua",
                "hinh thuc tra ket qua",
            ],
            Use::Read,
            14.0,
        ),
    ];
    pub const TABLE: Table = Table {
        sheet: "Sổ theo dõi hồ sơ",
        title: "Sổ theo dõi hồ sơ thủ tục hành chính",
        key: CODE,
        fields: &FIELDS,
    };
}

/// Every sheet cchc reads, by the name the workbooks give it.
pub const SHEET_NAMES: [&str; 5] = [
    tasks::TABLE.sheet,
    figures::TABLE.sheet,
    dossiers::SHEET,
    sipas::TABLE.sheet,
    scores::TABLE.sheet,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_declaration_is_consistent() {
        for (i, c) in Col::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
        for (i, c) in Col::OFFICIAL.iter().enumerate() {
            assert_eq!(c.column().number, Some(i as u8 + 3));
            assert!(c.column().required);
        }
        assert_eq!(
            Col::SolvedLate.column().title(),
            "(10) Số hồ sơ đã giải quyết / Quá hạn"
        );
        assert_eq!(IDENTITIES[0].formula(), "(3) = (4) + (5) + (6)");
        assert_eq!(IDENTITIES[3].formula(), "(3) = (7) + (11)");
        // Each header the forms write is read back as its own column, and as no other.
        for c in &COLUMNS {
            // As the reader keys a header: each level folded, joined by " / ".
            let header = if c.group.is_empty() {
                crate::vn::fold(c.label)
            } else {
                format!(
                    "{} / {}",
                    crate::vn::fold(c.group),
                    crate::vn::fold(c.label)
                )
            };
            let which: Vec<&str> = COLUMNS
                .iter()
                .filter(|o| o.matches(&header))
                .map(|o| o.key)
                .collect();
            assert_eq!(which, [c.key], "{header}");
        }
    }

    #[test]
    fn each_table_header_is_read_as_its_own_column_and_no_other() {
        for table in [
            tasks::TABLE,
            figures::TABLE,
            sipas::TABLE,
            scores::TABLE,
            ledger::TABLE,
        ] {
            assert!(table.is_key(&crate::vn::fold(table.fields[table.key].label)));
            assert!(SHEET_NAMES.contains(&table.sheet) || table.sheet == ledger::TABLE.sheet);
            for (i, f) in table.fields.iter().enumerate() {
                let header = crate::vn::fold(f.label);
                let which: Vec<usize> = (0..table.fields.len())
                    .filter(|&o| table.fields[o].matches(&header))
                    .collect();
                assert_eq!(which, [i], "{} › {}", table.sheet, f.label);
            }
        }
    }
}
