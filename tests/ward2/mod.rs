//! A second, complete workspace: phường Yên Nghĩa (quận Hà Đông), year 2024, four units, six
//! tasks and four quarters of departmental workbooks. Written into any folder by [`write`] (or
//! [`write_without`], leaving one quarter's folder out), for tests that need a workspace other
//! than the sample one of `input/`.
//!
//! Every figure the workbooks hold is in the `pub const` tables below, so that a test can compute
//! what cchc should report from the tables, independently of cchc and of the workbooks' bytes.
//! The workbooks are written from the tables only; nothing is derived from a hash or a clock
//! (document properties carry a fixed date, so the bytes are the same on every run).
//!
//! What this workspace is for (the scenario):
//! - PL1.1 is done in Q1 and never reported again (its status must come from Q1's history);
//! - PL1.2 has two deadlines (Quý II, Quý IV): done in Q2, in progress again in Q3 (the Q4
//!   occurrence), done in Q4; its partner MC says "Đang thực hiện" in Q2;
//! - PL1.3 is done by its lead DCXD in Q2 while the partner MC says "Đang thực hiện" in Q2 and
//!   Q3: the lead must be credited;
//! - PL1.4 is in progress with a different result every quarter, done in Q4;
//! - PL2.I.1 is done by MC every quarter, "Không phát sinh" for the partner VPTK;
//! - PL2.I.2 (an event task) is "Không phát sinh" in Q1, Q2, done in Q3, not reported in Q4;
//! - difficulties: MC in Q2 and Q4 (PL2.I.1), LDXH in Q3 (PL1.4);
//! - DCXD01 is a stock (cumulative) figure, the others are flows; LDXH sends no "Số liệu";
//! - Biểu 06: every row's identities hold, and each quarter's (6) "Từ kỳ trước" is the previous
//!   quarter's (11), except Q3 Hộ tịch, 2 less than Q2 Hộ tịch's (11) (deliberate break);
//! - PL1.1's completion date, 15/03/2024, is one day after Q1's cut-off (14/03/2024, ngay_chot
//!   14): as the scenario was given, a date of the Q2 window in a Q1 workbook.
#![allow(dead_code)]

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// The office (input/cchc.toml)

/// The plan's year; the quarters' folders are `input/2024-Q1` .. `input/2024-Q4`.
pub const YEAR: i32 = 2024;

/// `[co_quan]`: chu_quan, ban_hanh (one entry per printed line), ten_ngan, ten_day_du,
/// dia_danh, ky_hieu.
pub const CHU_QUAN: &str = "UBND QUẬN HÀ ĐÔNG";
pub const BAN_HANH: [&str; 2] = ["ỦY BAN NHÂN DÂN", "PHƯỜNG YÊN NGHĨA"];
pub const TEN_NGAN: &str = "UBND phường Yên Nghĩa";
pub const TEN_DAY_DU: &str = "Ủy ban nhân dân phường Yên Nghĩa";
pub const DIA_DANH: &str = "Yên Nghĩa";
pub const KY_HIEU: &str = "UBND";

/// `[ky]` of cchc.toml, the reports' signer: (quyen_han, chuc_vu, ho_ten).
pub const SIGNER: (&str, &str, &str) = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Bình");

/// `noi_nhan` of cchc.toml, in order (the last is "Lưu: VT.").
pub const NOI_NHAN: [&str; 4] = [
    "Phòng Nội vụ quận;",
    "Chủ tịch, các Phó Chủ tịch UBND phường;",
    "Các bộ phận chuyên môn;",
    "Lưu: VT.",
];

/// `[chi_tieu]` (percent): truc_tuyen_mot_phan, truc_tuyen_toan_trinh, bcci_toi_thieu,
/// bcci_toi_da, dung_han; as the sample's.
pub const CHI_TIEU: (u32, u32, u32, u32, u32) = (50, 10, 5, 10, 100);

/// `[ky_bao_cao]`: (ngay_chot, han_don_vi, han_bao_cao); as the sample's.
pub const KY_BAO_CAO: (u32, u32, u32) = (14, 5, 10);

/// Each quarter's report window under `ngay_chot = 14` (from, to), as the title rows print it.
pub const WINDOWS: [(&str, &str); 4] = [
    ("15/12/2023", "14/3/2024"),
    ("15/3/2024", "14/6/2024"),
    ("15/6/2024", "14/9/2024"),
    ("15/9/2024", "14/12/2024"),
];

/// A unit (`[[don_vi]]`) and the file name its workbooks have in each quarter's folder.
pub struct UnitDef {
    pub ma: &'static str,
    pub ten: &'static str,
    pub bi_danh: &'static [&'static str],
    pub tong_hop: bool,
    pub mot_cua: bool,
    /// The workbook's file name in `input/2024-Qn/`.
    pub file: &'static str,
}

/// The four units, in the order of cchc.toml. Their indicators are in [`INDICATORS`].
pub const UNITS: [UnitDef; 4] = [
    UnitDef {
        ma: "VPTK",
        ten: "Văn phòng - Thống kê",
        bi_danh: &["Văn phòng", "VP-TK"],
        tong_hop: true,
        mot_cua: false,
        file: "van-phong.xlsx",
    },
    UnitDef {
        ma: "DCXD",
        ten: "Bộ phận Địa chính - Xây dựng",
        bi_danh: &["Địa chính", "Địa chính - Xây dựng"],
        tong_hop: false,
        mot_cua: false,
        file: "dia-chinh.xlsx",
    },
    UnitDef {
        ma: "MC",
        ten: "Bộ phận Một cửa phường",
        bi_danh: &["Một cửa", "Bộ phận Tiếp nhận và trả kết quả"],
        tong_hop: false,
        mot_cua: true,
        file: "mot-cua.xlsx",
    },
    UnitDef {
        ma: "LDXH",
        ten: "Bộ phận Lao động - Thương binh và Xã hội",
        bi_danh: &["Lao động", "LĐTBXH"],
        tong_hop: false,
        mot_cua: false,
        file: "lao-dong.xlsx",
    },
];

/// The `loai` written for the stock indicators (`stock: true` in [`INDICATORS`]) in
/// cchc.toml; `""` writes no `loai` key at all (for a cchc that does not know the key, whose
/// `Indicator` has `deny_unknown_fields`). The flows get no key: `cong_don` is the default.
pub const STOCK_KIND: &str = "cuoi_ky";

/// A unit's indicator (`chi_so` in cchc.toml) and the value its "Số liệu" sheet gives in each
/// quarter.
pub struct IndicatorDef {
    /// The unit's code (`UNITS[..].ma`).
    pub unit: &'static str,
    pub ma: &'static str,
    pub ten: &'static str,
    /// A stock (cumulative) figure: a period's value is its last quarter's, not the sum.
    pub stock: bool,
    /// "Giá trị" in Q1..Q4.
    pub values: [u32; 4],
    /// "Ghi chú", the same every quarter.
    pub note: &'static str,
}

/// Every indicator, grouped by unit in [`UNITS`] order. LDXH has none (and no "Số liệu" sheet).
pub const INDICATORS: [IndicatorDef; 5] = [
    IndicatorDef {
        unit: "VPTK",
        ma: "VPTK01",
        ten: "Số cuộc kiểm tra công vụ",
        stock: false,
        values: [1, 2, 1, 2],
        note: "Kiểm tra đột xuất",
    },
    IndicatorDef {
        unit: "VPTK",
        ma: "VPTK02",
        ten: "Số lượt cán bộ, công chức được bồi dưỡng",
        stock: false,
        values: [15, 20, 10, 25],
        note: "",
    },
    IndicatorDef {
        unit: "DCXD",
        ma: "DCXD01",
        ten: "Số hồ sơ địa chính đã số hóa (lũy kế)",
        stock: true,
        values: [120, 260, 340, 410],
        note: "Lũy kế từ đầu năm",
    },
    IndicatorDef {
        unit: "DCXD",
        ma: "DCXD02",
        ten: "Số giấy phép xây dựng cấp mới",
        stock: false,
        values: [3, 5, 4, 6],
        note: "",
    },
    IndicatorDef {
        unit: "MC",
        ma: "MC01",
        ten: "Số phản ánh, kiến nghị được tiếp nhận",
        stock: false,
        values: [4, 6, 3, 5],
        note: "Qua hộp thư góp ý và đường dây nóng",
    },
];

// ---------------------------------------------------------------------------------------------
// The plan (input/ke-hoach.md)

/// Front matter: so, ngay (TOML date), trich_yeu; `nam` is [`YEAR`], `loai` "KẾ HOẠCH".
pub const PLAN_SO: &str = "45/KH-UBND";
pub const PLAN_NGAY: &str = "2024-02-20";
/// The date as the appendices' reference line writes it.
pub const PLAN_NGAY_SHORT: &str = "20/02/2024";
pub const PLAN_TRICH_YEU: &str = "Thực hiện công tác cải cách hành chính phường Yên Nghĩa năm 2024";
/// The plan's own `[ky]` (quyen_han, chuc_vu, ho_ten): not the reports' signer [`SIGNER`].
pub const PLAN_KY: (&str, &str, &str) = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Thị Hương");

/// The level-1 sections before the appendices, in order, each with its paragraphs.
pub const SECTIONS: [(&str, &[&str]); 6] = [
    (
        "I. MỤC ĐÍCH, YÊU CẦU",
        &[
            "Triển khai đồng bộ các nhiệm vụ cải cách hành chính năm 2024 của phường, gắn trách nhiệm của từng bộ phận với từng nhiệm vụ được giao.",
            "Các bộ phận báo cáo kết quả thực hiện đúng thời hạn, số liệu đầy đủ, có văn bản minh chứng.",
        ],
    ),
    (
        "II. NHIỆM VỤ TRỌNG TÂM",
        &[
            "Tuyên truyền cải cách hành chính; rà soát quy trình nội bộ giải quyết thủ tục hành chính; số hóa hồ sơ địa chính; cập nhật cơ sở dữ liệu người có công, bảo trợ xã hội.",
        ],
    ),
    (
        "III. CẢI THIỆN CHỈ SỐ HÀI LÒNG",
        &[
            "Niêm yết công khai, đầy đủ thủ tục hành chính tại Bộ phận Một cửa; tổ chức đối thoại với người dân về thủ tục hành chính khi được quận tổ chức.",
        ],
    ),
    (
        "IV. KINH PHÍ THỰC HIỆN",
        &["Kinh phí thực hiện Kế hoạch được bố trí trong dự toán ngân sách phường năm 2024."],
    ),
    (
        "V. TỔ CHỨC THỰC HIỆN",
        &[
            "Văn phòng - Thống kê chủ trì theo dõi, đôn đốc, tổng hợp kết quả thực hiện Kế hoạch.",
            "Các bộ phận chuyên môn thực hiện các nhiệm vụ được phân công tại Phụ lục I, Phụ lục II.",
        ],
    ),
    (
        "VI. CHẾ ĐỘ THÔNG TIN, BÁO CÁO",
        &[
            "Các bộ phận gửi báo cáo kết quả thực hiện hằng quý về Văn phòng - Thống kê trước ngày 05 của tháng cuối quý.",
        ],
    ),
];

/// The appendices' titles (the `##` heading under `# PHỤ LỤC I` and `# PHỤ LỤC II`).
pub const APPENDIX_TITLES: [&str; 2] = [
    "PHÂN CÔNG NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024",
    "PHÂN CÔNG CÁC NHIỆM VỤ CẢI THIỆN CHỈ SỐ HÀI LÒNG (SIPAS)",
];

/// The group rows of Phụ lục II: (numeral, title).
pub const GROUPS: [(&str, &str); 1] = [("I", "Tiêu chí: Tiếp cận dịch vụ")];

/// A task of the plan's appendices, as its table row writes it.
pub struct TaskDef {
    /// "PL1.3", "PL2.I.1".
    pub code: &'static str,
    pub appendix: u32,
    /// The group numeral (Phụ lục II only).
    pub group: Option<&'static str>,
    /// STT in its table (within its group).
    pub number: u32,
    pub text: &'static str,
    /// "Đơn vị chủ trì" as written, and the unit it names.
    pub lead: &'static str,
    pub lead_unit: &'static str,
    /// "Đơn vị phối hợp" as written, and the unit it names ("" for none).
    pub partner: &'static str,
    pub partner_unit: &'static str,
    /// "Yêu cầu" (Phụ lục II only).
    pub requirement: Option<&'static str>,
    /// "Thời gian hoàn thành".
    pub deadline: &'static str,
}

/// The six tasks, in the plan's order.
pub const TASKS: [TaskDef; 6] = [
    TaskDef {
        code: "PL1.1",
        appendix: 1,
        group: None,
        number: 1,
        text: "Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2024",
        lead: "Văn phòng - Thống kê",
        lead_unit: "VPTK",
        partner: "Các bộ phận chuyên môn",
        partner_unit: "",
        requirement: None,
        deadline: "Tháng 3/2024",
    },
    TaskDef {
        code: "PL1.2",
        appendix: 1,
        group: None,
        number: 2,
        text: "Rà soát quy trình nội bộ giải quyết thủ tục hành chính",
        lead: "Văn phòng - Thống kê",
        lead_unit: "VPTK",
        partner: "Bộ phận Một cửa phường",
        partner_unit: "MC",
        requirement: None,
        deadline: "Quý II, Quý IV/2024",
    },
    TaskDef {
        code: "PL1.3",
        appendix: 1,
        group: None,
        number: 3,
        text: "Số hóa hồ sơ địa chính đang lưu trữ tại phường",
        lead: "Bộ phận Địa chính - Xây dựng",
        lead_unit: "DCXD",
        partner: "Bộ phận Một cửa phường",
        partner_unit: "MC",
        requirement: None,
        deadline: "Tháng 6/2024",
    },
    TaskDef {
        code: "PL1.4",
        appendix: 1,
        group: None,
        number: 4,
        text: "Cập nhật cơ sở dữ liệu người có công, bảo trợ xã hội",
        lead: "Bộ phận Lao động - Thương binh và Xã hội",
        lead_unit: "LDXH",
        partner: "Văn phòng - Thống kê",
        partner_unit: "VPTK",
        requirement: None,
        deadline: "Thường xuyên",
    },
    TaskDef {
        code: "PL2.I.1",
        appendix: 2,
        group: Some("I"),
        number: 1,
        text: "Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa",
        lead: "Bộ phận Một cửa phường",
        lead_unit: "MC",
        partner: "Văn phòng - Thống kê",
        partner_unit: "VPTK",
        requirement: Some("Đầy đủ, kịp thời"),
        deadline: "Hàng quý",
    },
    TaskDef {
        code: "PL2.I.2",
        appendix: 2,
        group: Some("I"),
        number: 2,
        text: "Tổ chức đối thoại với người dân về thủ tục hành chính",
        lead: "Văn phòng - Thống kê",
        lead_unit: "VPTK",
        partner: "Bộ phận Một cửa phường",
        partner_unit: "MC",
        requirement: Some("Theo kế hoạch của quận"),
        deadline: "Khi được quận tổ chức",
    },
];

// ---------------------------------------------------------------------------------------------
// The workbooks: sheet "Nhiệm vụ"

pub const DONE: &str = "Hoàn thành";
pub const IN_PROGRESS: &str = "Đang thực hiện";
pub const NOT_APPLICABLE: &str = "Không phát sinh";

/// One row of a unit's sheet "Nhiệm vụ" in one quarter.
pub struct ReportDef {
    /// 1..=4.
    pub quarter: u8,
    /// The unit's code (`UNITS[..].ma`).
    pub unit: &'static str,
    pub code: &'static str,
    /// "Tình trạng": [`DONE`], [`IN_PROGRESS`] or [`NOT_APPLICABLE`].
    pub status: &'static str,
    /// "Kết quả thực hiện".
    pub result: &'static str,
    /// "Văn bản, minh chứng".
    pub evidence: &'static str,
    /// "Khó khăn, vướng mắc".
    pub difficulty: &'static str,
    /// "Ngày hoàn thành" (year, month, day), written as a date cell; `None` leaves it blank.
    pub done: Option<(u16, u8, u8)>,
}

/// Every task row of every workbook, by quarter then unit. A unit writes rows only for the
/// tasks listed here (its own and some it supports); a unit with none still has the sheet,
/// header only (DCXD in Q1, Q3, Q4).
pub const REPORTS: [ReportDef; 23] = [
    // Quý I
    ReportDef {
        quarter: 1,
        unit: "VPTK",
        code: "PL1.1",
        status: DONE,
        result: "Đã tham mưu UBND phường ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2024.",
        evidence: "Kế hoạch số 18/KH-UBND ngày 15/3/2024",
        difficulty: "",
        done: Some((2024, 3, 15)),
    },
    ReportDef {
        quarter: 1,
        unit: "VPTK",
        code: "PL2.I.1",
        status: NOT_APPLICABLE,
        result: "Không có nội dung phối hợp phát sinh trong quý I.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 1,
        unit: "VPTK",
        code: "PL2.I.2",
        status: NOT_APPLICABLE,
        result: "Quận chưa tổ chức đối thoại trong quý I.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 1,
        unit: "MC",
        code: "PL2.I.1",
        status: DONE,
        result: "Niêm yết công khai 112 thủ tục hành chính tại Bộ phận Một cửa.",
        evidence: "Danh mục thủ tục hành chính niêm yết quý I",
        difficulty: "",
        done: Some((2024, 3, 8)),
    },
    ReportDef {
        quarter: 1,
        unit: "LDXH",
        code: "PL1.4",
        status: IN_PROGRESS,
        result: "Cập nhật 12 hồ sơ người có công trong quý I.",
        evidence: "Phần mềm cơ sở dữ liệu người có công",
        difficulty: "",
        done: None,
    },
    // Quý II
    ReportDef {
        quarter: 2,
        unit: "VPTK",
        code: "PL1.2",
        status: DONE,
        result: "Đã rà soát 24 quy trình nội bộ giải quyết thủ tục hành chính, đề nghị sửa đổi 03 quy trình.",
        evidence: "Báo cáo số 52/BC-UBND ngày 10/6/2024",
        difficulty: "",
        done: Some((2024, 6, 10)),
    },
    ReportDef {
        quarter: 2,
        unit: "VPTK",
        code: "PL2.I.1",
        status: NOT_APPLICABLE,
        result: "Không có nội dung phối hợp phát sinh trong quý II.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 2,
        unit: "VPTK",
        code: "PL2.I.2",
        status: NOT_APPLICABLE,
        result: "Quận chưa tổ chức đối thoại trong quý II.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 2,
        unit: "DCXD",
        code: "PL1.3",
        status: DONE,
        result: "Đã số hóa toàn bộ 260 hồ sơ địa chính đang lưu trữ tại phường.",
        evidence: "Biên bản nghiệm thu ngày 12/6/2024",
        difficulty: "",
        done: Some((2024, 6, 12)),
    },
    ReportDef {
        quarter: 2,
        unit: "MC",
        code: "PL1.2",
        status: IN_PROGRESS,
        result: "Phối hợp rà soát quy trình tiếp nhận hồ sơ tại Bộ phận Một cửa.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 2,
        unit: "MC",
        code: "PL1.3",
        status: IN_PROGRESS,
        result: "Phối hợp bàn giao hồ sơ địa chính lưu tại Bộ phận Một cửa để số hóa.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 2,
        unit: "MC",
        code: "PL2.I.1",
        status: DONE,
        result: "Niêm yết bổ sung 9 thủ tục hành chính mới công bố, tổng số 121 thủ tục.",
        evidence: "Danh mục thủ tục hành chính niêm yết quý II",
        difficulty: "Bảng niêm yết không còn đủ chỗ cho các thủ tục mới công bố.",
        done: Some((2024, 6, 7)),
    },
    ReportDef {
        quarter: 2,
        unit: "LDXH",
        code: "PL1.4",
        status: IN_PROGRESS,
        result: "Cập nhật 18 hồ sơ người có công, 7 hồ sơ bảo trợ xã hội trong quý II.",
        evidence: "Phần mềm cơ sở dữ liệu người có công",
        difficulty: "",
        done: None,
    },
    // Quý III
    ReportDef {
        quarter: 3,
        unit: "VPTK",
        code: "PL1.2",
        status: IN_PROGRESS,
        result: "Đang rà soát quy trình cho đợt Quý IV",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 3,
        unit: "VPTK",
        code: "PL2.I.1",
        status: NOT_APPLICABLE,
        result: "Không có nội dung phối hợp phát sinh trong quý III.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 3,
        unit: "VPTK",
        code: "PL2.I.2",
        status: DONE,
        result: "Phối hợp tổ chức Hội nghị đối thoại với người dân về thủ tục hành chính ngày 20/8/2024, 56 đại biểu tham dự.",
        evidence: "Biên bản hội nghị đối thoại ngày 20/8/2024",
        difficulty: "",
        done: Some((2024, 8, 20)),
    },
    ReportDef {
        quarter: 3,
        unit: "MC",
        code: "PL1.3",
        status: IN_PROGRESS,
        result: "Tiếp tục bàn giao hồ sơ địa chính phát sinh tại Bộ phận Một cửa.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 3,
        unit: "MC",
        code: "PL2.I.1",
        status: DONE,
        result: "Thay bảng niêm yết mới, niêm yết đầy đủ 124 thủ tục hành chính.",
        evidence: "Danh mục thủ tục hành chính niêm yết quý III",
        difficulty: "",
        done: Some((2024, 9, 6)),
    },
    ReportDef {
        quarter: 3,
        unit: "LDXH",
        code: "PL1.4",
        status: IN_PROGRESS,
        result: "Cập nhật 15 hồ sơ người có công, 9 hồ sơ bảo trợ xã hội trong quý III.",
        evidence: "Phần mềm cơ sở dữ liệu người có công",
        difficulty: "Phần mềm cơ sở dữ liệu của quận thường xuyên lỗi đồng bộ.",
        done: None,
    },
    // Quý IV
    ReportDef {
        quarter: 4,
        unit: "VPTK",
        code: "PL1.2",
        status: DONE,
        result: "Hoàn thành rà soát quy trình nội bộ đợt Quý IV, sửa đổi 02 quy trình.",
        evidence: "Báo cáo số 118/BC-UBND ngày 05/12/2024",
        difficulty: "",
        done: Some((2024, 12, 5)),
    },
    ReportDef {
        quarter: 4,
        unit: "VPTK",
        code: "PL2.I.1",
        status: NOT_APPLICABLE,
        result: "Không có nội dung phối hợp phát sinh trong quý IV.",
        evidence: "",
        difficulty: "",
        done: None,
    },
    ReportDef {
        quarter: 4,
        unit: "MC",
        code: "PL2.I.1",
        status: DONE,
        result: "Niêm yết bổ sung 6 thủ tục hành chính mới công bố, tổng số 130 thủ tục.",
        evidence: "Danh mục thủ tục hành chính niêm yết quý IV",
        difficulty: "Một số thủ tục mới công bố chưa có hồ sơ mẫu để niêm yết.",
        done: Some((2024, 12, 6)),
    },
    ReportDef {
        quarter: 4,
        unit: "LDXH",
        code: "PL1.4",
        status: DONE,
        result: "Cập nhật 21 hồ sơ người có công trong quý IV; hoàn thành cập nhật cơ sở dữ liệu năm 2024.",
        evidence: "Báo cáo số 25/BC-LĐTBXH ngày 10/12/2024",
        difficulty: "",
        done: Some((2024, 12, 10)),
    },
];

/// Every task row ([`REPORTS`] as an iterator).
pub fn reports() -> impl Iterator<Item = &'static ReportDef> {
    REPORTS.iter()
}

// ---------------------------------------------------------------------------------------------
// The workbooks: MC's sheets "Hồ sơ TTHC" (Biểu 06) and "SIPAS"

/// The lĩnh vực rows of MC's Biểu 06, in order.
pub const DOSSIER_FIELDS: [&str; 2] = ["Hộ tịch", "Chứng thực"];

/// MC's Biểu 06: `DOSSIERS[q - 1][field]` is the row of [`DOSSIER_FIELDS`]`[field]` in
/// quarter q, columns (3)..(13) then the splits (14) trực tuyến một phần, (15) toàn trình,
/// (16) BCCI tiếp nhận, (17) BCCI trả kết quả, (18) thư xin lỗi — index i is column (i + 3):
/// [(3) tổng nhận, (4) trực tuyến, (5) trực tiếp/BCCI, (6) từ kỳ trước, (7) đã giải quyết,
///  (8) trước hạn, (9) đúng hạn, (10) quá hạn, (11) đang giải quyết, (12) trong hạn,
///  (13) quá hạn, một phần, toàn trình, BCCI tiếp nhận, BCCI trả, thư xin lỗi].
/// Within each row (3)=(4)+(5)+(6), (7)=(8)+(9)+(10), (11)=(12)+(13), (3)=(7)+(11) and
/// một phần + toàn trình = (4); thư xin lỗi = (10) + (13). (6) of a quarter is the previous
/// quarter's (11), except Q3 Hộ tịch: 6, where Q2 Hộ tịch's (11) is 8 ([`CARRY_BREAK`]).
/// The sheet's "Tổng cộng" row (SUM formulas with cached results) is not in this table.
pub const DOSSIERS: [[[u32; 16]; 2]; 4] = [
    // Quý I
    [
        [110, 60, 45, 5, 104, 30, 74, 0, 6, 6, 0, 48, 12, 2, 3, 0],
        [220, 40, 180, 0, 218, 50, 168, 0, 2, 2, 0, 36, 4, 1, 2, 0],
    ],
    // Quý II: late dossiers, with their apology letters.
    [
        [126, 70, 50, 6, 118, 35, 81, 2, 8, 7, 1, 55, 15, 3, 4, 3],
        [247, 55, 190, 2, 244, 60, 183, 1, 3, 3, 0, 47, 8, 2, 3, 1],
    ],
    // Quý III: Hộ tịch's (6) is 6, not Q2's (11) = 8.
    [
        [130, 80, 44, 6, 121, 40, 81, 0, 9, 9, 0, 62, 18, 2, 4, 0],
        [248, 70, 175, 3, 246, 70, 176, 0, 2, 2, 0, 60, 10, 2, 3, 0],
    ],
    // Quý IV
    [
        [134, 85, 40, 9, 130, 45, 85, 0, 4, 4, 0, 64, 21, 3, 5, 0],
        [252, 80, 170, 2, 250, 75, 175, 0, 2, 2, 0, 66, 14, 2, 4, 0],
    ],
];

/// The deliberate break of the carry-over chain: (quarter, field index, how much (6) is less
/// than the previous quarter's (11)).
pub const CARRY_BREAK: (u8, usize, u32) = (3, 0, 2);

/// The five SIPAS factors, as src/sample.rs names them.
pub const SIPAS_FACTORS: [&str; 5] = [
    "Tiếp cận dịch vụ hành chính công",
    "Thủ tục hành chính",
    "Công chức trực tiếp giải quyết công việc",
    "Kết quả cung ứng dịch vụ hành chính công",
    "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
];

/// MC's SIPAS sheet: `SIPAS[q - 1][factor]` is the answers per level for
/// [`SIPAS_FACTORS`]`[factor]` in quarter q: [Rất hài lòng, Hài lòng, Bình thường, Không hài
/// lòng, Rất không hài lòng].
pub const SIPAS: [[[u32; 5]; 5]; 4] = [
    [
        [52, 40, 3, 1, 0],
        [48, 43, 4, 1, 0],
        [55, 38, 2, 0, 0],
        [50, 42, 3, 0, 0],
        [45, 44, 5, 1, 0],
    ],
    [
        [60, 38, 2, 0, 0],
        [57, 40, 3, 0, 0],
        [62, 35, 1, 0, 0],
        [58, 39, 2, 0, 0],
        [50, 44, 4, 1, 0],
    ],
    [
        [63, 36, 1, 0, 0],
        [60, 38, 2, 0, 0],
        [65, 34, 1, 0, 0],
        [61, 37, 2, 0, 0],
        [55, 41, 3, 0, 0],
    ],
    [
        [66, 33, 1, 0, 0],
        [64, 34, 2, 0, 0],
        [68, 31, 1, 0, 0],
        [63, 35, 2, 0, 0],
        [58, 39, 2, 1, 0],
    ],
];

// ---------------------------------------------------------------------------------------------
// Look-ups

/// "2024-Q3" for 3.
pub fn quarter_folder(q: u8) -> String {
    format!("{YEAR}-Q{q}")
}

pub fn unit(ma: &str) -> &'static UnitDef {
    UNITS
        .iter()
        .find(|u| u.ma == ma)
        .unwrap_or_else(|| panic!("no unit {ma}"))
}

pub fn task(code: &str) -> &'static TaskDef {
    TASKS
        .iter()
        .find(|t| t.code == code)
        .unwrap_or_else(|| panic!("no task {code}"))
}

/// The indicators of a unit, in order.
pub fn indicators_of(ma: &str) -> impl Iterator<Item = &'static IndicatorDef> + '_ {
    INDICATORS.iter().filter(move |i| i.unit == ma)
}

/// The task rows of a unit's workbook in quarter q, in the order of the plan's tasks.
pub fn reports_of(ma: &str, q: u8) -> Vec<&'static ReportDef> {
    let mut rows: Vec<&ReportDef> = reports()
        .filter(|r| r.unit == ma && r.quarter == q)
        .collect();
    rows.sort_by_key(|r| TASKS.iter().position(|t| t.code == r.code));
    rows
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes the whole workspace into `dir`: `input/cchc.toml`, `input/ke-hoach.md` and the four
/// quarters' folders with one workbook per unit.
pub fn write(dir: &Path) {
    write_quarters(dir, &[1, 2, 3, 4]);
}

/// [`write`] without one quarter's folder: `quarter` is its name, "2024-Q4".
pub fn write_without(dir: &Path, quarter: &str) {
    let qs: Vec<u8> = (1..=4u8)
        .filter(|q| quarter_folder(*q) != quarter)
        .collect();
    assert_eq!(qs.len(), 3, "{quarter} is not a quarter of {YEAR}");
    write_quarters(dir, &qs);
}

/// Settings, plan and the given quarters' folders (1..=4).
pub fn write_quarters(dir: &Path, quarters: &[u8]) {
    let input = dir.join("input");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("cchc.toml"), config_toml()).unwrap();
    std::fs::write(input.join("ke-hoach.md"), plan_md()).unwrap();
    for &q in quarters {
        let folder = input.join(quarter_folder(q));
        std::fs::create_dir_all(&folder).unwrap();
        for u in &UNITS {
            std::fs::write(folder.join(u.file), workbook(u.ma, q)).unwrap();
        }
    }
}

fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The text of `input/cchc.toml`.
pub fn config_toml() -> String {
    let mut s =
        String::from("# Phường Yên Nghĩa: không gian làm việc thứ hai của các kiểm thử.\n\n");
    s += "noi_nhan = [\n";
    for n in NOI_NHAN {
        s += &format!("  \"{n}\",\n");
    }
    s += "]\n\n[co_quan]\n";
    s += &format!("chu_quan = \"{CHU_QUAN}\"\n");
    s += &format!("ban_hanh = {}\n", quoted_list(&BAN_HANH));
    s += &format!("ten_ngan = \"{TEN_NGAN}\"\n");
    s += &format!("ten_day_du = \"{TEN_DAY_DU}\"\n");
    s += &format!("dia_danh = \"{DIA_DANH}\"\n");
    s += &format!("ky_hieu = \"{KY_HIEU}\"\n\n");
    s += &format!(
        "[ky]\nquyen_han = \"{}\"\nchuc_vu = \"{}\"\nho_ten = \"{}\"\n\n",
        SIGNER.0, SIGNER.1, SIGNER.2
    );
    let (a, b, c, d, e) = CHI_TIEU;
    s += &format!(
        "[chi_tieu]\ntruc_tuyen_mot_phan = {a}\ntruc_tuyen_toan_trinh = {b}\nbcci_toi_thieu = {c}\nbcci_toi_da = {d}\ndung_han = {e}\n\n"
    );
    let (a, b, c) = KY_BAO_CAO;
    s += &format!("[ky_bao_cao]\nngay_chot = {a}\nhan_don_vi = {b}\nhan_bao_cao = {c}\n");
    for u in &UNITS {
        s += "\n[[don_vi]]\n";
        s += &format!("ma = \"{}\"\nten = \"{}\"\n", u.ma, u.ten);
        s += &format!("bi_danh = {}\n", quoted_list(u.bi_danh));
        if u.tong_hop {
            s += "tong_hop = true\n";
        }
        if u.mot_cua {
            s += "mot_cua = true\n";
        }
        let inds: Vec<&IndicatorDef> = indicators_of(u.ma).collect();
        if !inds.is_empty() {
            s += "chi_so = [\n";
            for i in inds {
                let kind = if i.stock && !STOCK_KIND.is_empty() {
                    format!(", loai = \"{STOCK_KIND}\"")
                } else {
                    String::new()
                };
                s += &format!("  {{ ma = \"{}\", ten = \"{}\"{kind} }},\n", i.ma, i.ten);
            }
            s += "]\n";
        }
    }
    s
}

/// The text of `input/ke-hoach.md`.
pub fn plan_md() -> String {
    let mut s = String::from("+++\n");
    s += "loai = \"KẾ HOẠCH\"\n";
    s += &format!("so = \"{PLAN_SO}\"\n");
    s += &format!("ngay = {PLAN_NGAY}\n");
    s += &format!("nam = {YEAR}\n");
    s += &format!("trich_yeu = \"{PLAN_TRICH_YEU}\"\n");
    s += "noi_nhan = [\n";
    for n in NOI_NHAN {
        s += &format!("  \"{n}\",\n");
    }
    s += "]\n\n[ky]\n";
    s += &format!(
        "quyen_han = \"{}\"\nchuc_vu = \"{}\"\nho_ten = \"{}\"\n",
        PLAN_KY.0, PLAN_KY.1, PLAN_KY.2
    );
    s += "+++\n\n";
    s += "Căn cứ Kế hoạch cải cách hành chính năm 2024 của UBND quận Hà Đông, UBND phường Yên \
          Nghĩa ban hành Kế hoạch thực hiện công tác cải cách hành chính năm 2024 như sau:\n";
    for (title, paras) in SECTIONS {
        s += &format!("\n# {title}\n");
        for p in paras {
            s += &format!("\n{p}\n");
        }
    }
    let reference = format!(
        "*(Ban hành kèm theo Kế hoạch số {PLAN_SO} ngày {PLAN_NGAY_SHORT} của {TEN_NGAN})*"
    );
    for (n, numeral) in [(1u32, "I"), (2, "II")] {
        s += &format!(
            "\n# PHỤ LỤC {numeral}\n\n## {}\n\n{reference}\n\n",
            APPENDIX_TITLES[n as usize - 1]
        );
        if n == 1 {
            s += "| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành |\n";
            s += "|:-:|:--|:--|:--|:--|\n";
        } else {
            s += "| STT | Nhiệm vụ | Đơn vị chủ trì | Đơn vị phối hợp | Yêu cầu | Thời gian hoàn thành |\n";
            s += "|:-:|:--|:--|:--|:--|:--|\n";
        }
        let mut group = None;
        for t in TASKS.iter().filter(|t| t.appendix == n) {
            if t.group != group {
                group = t.group;
                let (g, title) = GROUPS
                    .iter()
                    .find(|(g, _)| Some(*g) == t.group)
                    .expect("the task's group row");
                s += &format!("| {g} | {title} | < | < | < | < |\n");
            }
            match t.requirement {
                Some(req) => {
                    s += &format!(
                        "| {} | {} | {} | {} | {req} | {} |\n",
                        t.number, t.text, t.lead, t.partner, t.deadline
                    )
                }
                None => {
                    s += &format!(
                        "| {} | {} | {} | {} | {} |\n",
                        t.number, t.text, t.lead, t.partner, t.deadline
                    )
                }
            }
        }
    }
    s
}

/// The cell formats (Times New Roman 12, thin borders in the tables).
struct Formats {
    plain: Format,
    bold: Format,
    title: Format,
    italic: Format,
    header: Format,
    cell: Format,
    number: Format,
    bold_number: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name("Times New Roman")
            .set_font_size(12);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            plain: base.clone(),
            bold: base.clone().set_bold(),
            title: base.clone().set_bold().set_align(FormatAlign::Center),
            italic: base.clone().set_italic().set_align(FormatAlign::Center),
            header: boxed.clone().set_bold().set_align(FormatAlign::Center),
            cell: boxed.clone(),
            number: boxed.clone().set_num_format("#,##0"),
            bold_number: boxed.clone().set_bold().set_num_format("#,##0"),
            date: boxed
                .set_num_format("dd/mm/yyyy")
                .set_align(FormatAlign::Center),
        }
    }
}

/// Header row of every one-level table (0-based); the title block takes rows 0-3.
const HEADER_ROW: u32 = 5;

/// Rows 0-3: the office, "Đơn vị: <unit>", the sheet's title with the period, the window.
fn title_block(
    ws: &mut Worksheet,
    f: &Formats,
    u: &UnitDef,
    q: u8,
    title: &str,
    cols: u16,
) -> Result<(), XlsxError> {
    let roman = ["I", "II", "III", "IV"][q as usize - 1];
    ws.merge_range(0, 0, 0, 2, &TEN_NGAN.to_uppercase(), &f.bold)?;
    ws.merge_range(1, 0, 1, 2, &format!("Đơn vị: {}", u.ten), &f.plain)?;
    ws.merge_range(
        2,
        0,
        2,
        cols - 1,
        &format!("{title} quý {roman} năm {YEAR}").to_uppercase(),
        &f.title,
    )?;
    let (from, to) = WINDOWS[q as usize - 1];
    ws.merge_range(
        3,
        0,
        3,
        cols - 1,
        &format!("(Số liệu tính từ ngày {from} đến ngày {to})"),
        &f.italic,
    )?;
    Ok(())
}

fn one_level_header(
    ws: &mut Worksheet,
    f: &Formats,
    cols: &[(&str, f64)],
) -> Result<(), XlsxError> {
    for (c, (h, w)) in cols.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, &f.header)?;
    }
    Ok(())
}

/// The workbook of unit `ma` for quarter q (1..=4), as bytes.
pub fn workbook(ma: &str, q: u8) -> Vec<u8> {
    build(unit(ma), q).unwrap_or_else(|e| panic!("workbook {ma} Q{q}: {e}"))
}

fn build(u: &UnitDef, q: u8) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date (the units' deadline of the quarter) keeps the bytes reproducible.
    let created = ExcelDateTime::from_ymd(YEAR as u16, q * 3, KY_BAO_CAO.1 as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("Báo cáo CCHC quý {q}/{YEAR}"))
            .set_author(u.ten)
            .set_company(TEN_DAY_DU)
            .set_creation_datetime(&created),
    );
    let f = Formats::new();
    tasks_sheet(wb.add_worksheet(), &f, u, q)?;
    if indicators_of(u.ma).next().is_some() {
        figures_sheet(wb.add_worksheet(), &f, u, q)?;
    }
    if u.mot_cua {
        dossier_sheet(wb.add_worksheet(), &f, u, q)?;
        sipas_sheet(wb.add_worksheet(), &f, u, q)?;
    }
    wb.save_to_buffer()
}

fn tasks_sheet(ws: &mut Worksheet, f: &Formats, u: &UnitDef, q: u8) -> Result<(), XlsxError> {
    ws.set_name("Nhiệm vụ")?;
    let cols = [
        ("STT", 5.0),
        ("Mã nhiệm vụ", 11.0),
        ("Nhiệm vụ", 40.0),
        ("Thời gian hoàn thành", 16.0),
        ("Tình trạng", 14.0),
        ("Kết quả thực hiện", 45.0),
        ("Văn bản, minh chứng", 28.0),
        ("Khó khăn, vướng mắc", 28.0),
        ("Ngày hoàn thành", 13.0),
    ];
    title_block(
        ws,
        f,
        u,
        q,
        "Báo cáo kết quả thực hiện nhiệm vụ CCHC",
        cols.len() as u16,
    )?;
    one_level_header(ws, f, &cols)?;
    for (i, r) in reports_of(u.ma, q).into_iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        let t = task(r.code);
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.cell)?;
        ws.write_string_with_format(row, 1, r.code, &f.cell)?;
        ws.write_string_with_format(row, 2, t.text, &f.cell)?;
        ws.write_string_with_format(row, 3, t.deadline, &f.cell)?;
        ws.write_string_with_format(row, 4, r.status, &f.cell)?;
        ws.write_string_with_format(row, 5, r.result, &f.cell)?;
        ws.write_string_with_format(row, 6, r.evidence, &f.cell)?;
        ws.write_string_with_format(row, 7, r.difficulty, &f.cell)?;
        match r.done {
            Some((y, m, d)) => {
                ws.write_datetime_with_format(row, 8, &ExcelDateTime::from_ymd(y, m, d)?, &f.date)?;
            }
            None => {
                ws.write_blank(row, 8, &f.cell)?;
            }
        }
    }
    Ok(())
}

fn figures_sheet(ws: &mut Worksheet, f: &Formats, u: &UnitDef, q: u8) -> Result<(), XlsxError> {
    ws.set_name("Số liệu")?;
    let cols = [
        ("STT", 5.0),
        ("Mã chỉ tiêu", 11.0),
        ("Chỉ tiêu", 50.0),
        ("Giá trị", 12.0),
        ("Ghi chú", 30.0),
    ];
    title_block(
        ws,
        f,
        u,
        q,
        "Số liệu kết quả thực hiện CCHC",
        cols.len() as u16,
    )?;
    one_level_header(ws, f, &cols)?;
    for (i, ind) in indicators_of(u.ma).enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.cell)?;
        ws.write_string_with_format(row, 1, ind.ma, &f.cell)?;
        ws.write_string_with_format(row, 2, ind.ten, &f.cell)?;
        ws.write_number_with_format(row, 3, ind.values[q as usize - 1] as f64, &f.number)?;
        ws.write_string_with_format(row, 4, ind.note, &f.cell)?;
    }
    Ok(())
}

/// Biểu 06 as src/sample.rs writes it: STT and Lĩnh vực spanning two header rows, five merged
/// groups over their sub-columns, "Thư xin lỗi" spanning both rows, a row of column numbers
/// "(1)".."(18)", the lĩnh vực rows, and a "Tổng cộng" row of SUM formulas.
fn dossier_sheet(ws: &mut Worksheet, f: &Formats, u: &UnitDef, q: u8) -> Result<(), XlsxError> {
    ws.set_name("Hồ sơ TTHC")?;
    const COLS: u16 = 18;
    title_block(ws, f, u, q, "Tình hình, kết quả giải quyết TTHC", COLS)?;
    let (h1, h2) = (HEADER_ROW, HEADER_ROW + 1);
    ws.set_column_width(1, 24)?;
    ws.merge_range(h1, 0, h2, 0, "STT", &f.header)?;
    ws.merge_range(h1, 1, h2, 1, "Lĩnh vực", &f.header)?;
    let groups: [(&str, &[&str]); 5] = [
        (
            "Số hồ sơ nhận giải quyết",
            &[
                "Tổng số",
                "Trực tuyến",
                "Trực tiếp, dịch vụ bưu chính",
                "Từ kỳ trước",
            ],
        ),
        (
            "Số hồ sơ đã giải quyết",
            &["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn"],
        ),
        (
            "Số hồ sơ đang giải quyết",
            &["Tổng số", "Trong hạn", "Quá hạn"],
        ),
        ("Dịch vụ công trực tuyến", &["Một phần", "Toàn trình"]),
        ("Dịch vụ BCCI", &["Tiếp nhận", "Trả kết quả"]),
    ];
    let mut c: u16 = 2;
    for (g, subs) in groups {
        let last = c + subs.len() as u16 - 1;
        ws.merge_range(h1, c, h1, last, g, &f.header)?;
        for s in subs {
            ws.write_string_with_format(h2, c, *s, &f.header)?;
            c += 1;
        }
    }
    ws.merge_range(h1, c, h2, c, "Thư xin lỗi", &f.header)?;
    let numbers = h2 + 1;
    for c in 0..COLS {
        ws.write_string_with_format(numbers, c, format!("({})", c + 1), &f.italic)?;
    }
    let first = numbers + 1;
    let rows = &DOSSIERS[q as usize - 1];
    let mut totals = [0u32; 16];
    for (i, (name, values)) in DOSSIER_FIELDS.iter().zip(rows).enumerate() {
        let row = first + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.cell)?;
        ws.write_string_with_format(row, 1, *name, &f.cell)?;
        for (j, v) in values.iter().enumerate() {
            ws.write_number_with_format(row, 2 + j as u16, *v as f64, &f.number)?;
            totals[j] += v;
        }
    }
    let total_row = first + rows.len() as u32;
    ws.write_blank(total_row, 0, &f.cell)?;
    ws.write_string_with_format(total_row, 1, "Tổng cộng", &f.bold)?;
    for (j, v) in totals.iter().enumerate() {
        let col = 2 + j as u16;
        let letter = (b'A' + col as u8) as char;
        let formula = Formula::new(format!("=SUM({letter}{}:{letter}{})", first + 1, total_row))
            .set_result(v.to_string());
        ws.write_formula_with_format(total_row, col, formula, &f.bold_number)?;
    }
    Ok(())
}

fn sipas_sheet(ws: &mut Worksheet, f: &Formats, u: &UnitDef, q: u8) -> Result<(), XlsxError> {
    ws.set_name("SIPAS")?;
    let cols = [
        ("STT", 5.0),
        ("Yếu tố", 44.0),
        ("Rất hài lòng", 12.0),
        ("Hài lòng", 12.0),
        ("Bình thường", 12.0),
        ("Không hài lòng", 12.0),
        ("Rất không hài lòng", 12.0),
    ];
    title_block(
        ws,
        f,
        u,
        q,
        "Kết quả khảo sát sự hài lòng của người dân, tổ chức",
        cols.len() as u16,
    )?;
    one_level_header(ws, f, &cols)?;
    for (i, (name, answers)) in SIPAS_FACTORS.iter().zip(&SIPAS[q as usize - 1]).enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        ws.write_number_with_format(row, 0, (i + 1) as f64, &f.cell)?;
        ws.write_string_with_format(row, 1, *name, &f.cell)?;
        for (j, v) in answers.iter().enumerate() {
            ws.write_number_with_format(row, 2 + j as u16, *v as f64, &f.number)?;
        }
    }
    Ok(())
}
