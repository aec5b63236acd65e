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

/// Every figure column, in the sheet's order: Biểu 06's (3) to (13), then the plan's splits.
/// [`Col`] names them by position.
pub const COLUMNS: [Column; 16] = [
    official(
        "received",
        3,
        "Số hồ sơ nhận giải quyết",
        "Tổng số",
        RECEIVED,
        &["tong so"],
        Over::Parts,
    ),
    official(
        "received_online",
        4,
        "Số hồ sơ nhận giải quyết",
        "Trực tuyến",
        RECEIVED,
        &["truc tuyen"],
        Over::Sum,
    ),
    official(
        "received_direct",
        5,
        "Số hồ sơ nhận giải quyết",
        "Trực tiếp, dịch vụ bưu chính",
        RECEIVED,
        &["truc tiep"],
        Over::Sum,
    ),
    official(
        "carried_over",
        6,
        "Số hồ sơ nhận giải quyết",
        "Từ kỳ trước",
        RECEIVED,
        &["ky truoc"],
        Over::First,
    ),
    official(
        "solved",
        7,
        "Số hồ sơ đã giải quyết",
        "Tổng số",
        SOLVED,
        &["tong so"],
        Over::Sum,
    ),
    official(
        "solved_early",
        8,
        "Số hồ sơ đã giải quyết",
        "Trước hạn",
        SOLVED,
        &["truoc han"],
        Over::Sum,
    ),
    official(
        "solved_on_time",
        9,
        "Số hồ sơ đã giải quyết",
        "Đúng hạn",
        SOLVED,
        &["dung han"],
        Over::Sum,
    ),
    official(
        "solved_late",
        10,
        "Số hồ sơ đã giải quyết",
        "Quá hạn",
        SOLVED,
        &["qua han", "tre han"],
        Over::Sum,
    ),
    official(
        "pending",
        11,
        "Số hồ sơ đang giải quyết",
        "Tổng số",
        PENDING,
        &["tong so"],
        Over::Last,
    ),
    official(
        "pending_in_time",
        12,
        "Số hồ sơ đang giải quyết",
        "Trong hạn",
        PENDING,
        &["trong han"],
        Over::Last,
    ),
    official(
        "pending_late",
        13,
        "Số hồ sơ đang giải quyết",
        "Quá hạn",
        PENDING,
        &["qua han", "tre han"],
        Over::Last,
    ),
    split(
        "online_partial",
        "Dịch vụ công trực tuyến",
        "Một phần",
        &[],
        &["mot phan", "muc do 3"],
    ),
    split(
        "online_full",
        "Dịch vụ công trực tuyến",
        "Toàn trình",
        &[],
        &["toan trinh", "muc do 4"],
    ),
    split(
        "bcci_received",
        "Dịch vụ BCCI",
        "Tiếp nhận",
        BCCI,
        &["tiep nhan"],
    ),
    split(
        "bcci_returned",
        "Dịch vụ BCCI",
        "Trả kết quả",
        BCCI,
        &["tra"],
    ),
    split("apologies", "", "Thư xin lỗi", &[], &["xin loi"]),
];

/// A column of [`COLUMNS`] by name; `Col::X as usize` is its position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Col {
    Received,
    ReceivedOnline,
    ReceivedDirect,
    CarriedOver,
    Solved,
    SolvedEarly,
    SolvedOnTime,
    SolvedLate,
    Pending,
    PendingInTime,
    PendingLate,
    OnlinePartial,
    OnlineFull,
    BcciReceived,
    BcciReturned,
    Apologies,
}

impl Col {
    pub const ALL: [Col; 16] = [
        Col::Received,
        Col::ReceivedOnline,
        Col::ReceivedDirect,
        Col::CarriedOver,
        Col::Solved,
        Col::SolvedEarly,
        Col::SolvedOnTime,
        Col::SolvedLate,
        Col::Pending,
        Col::PendingInTime,
        Col::PendingLate,
        Col::OnlinePartial,
        Col::OnlineFull,
        Col::BcciReceived,
        Col::BcciReturned,
        Col::Apologies,
    ];

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
}
