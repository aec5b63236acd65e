//! The commands' options, as clap parses them: Vietnamese names, the English spellings kept as
//! visible aliases (see the naming rule in lib.rs).

use super::help::{parse_day, parse_number, parse_period};
use cchc::Period;
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct FormatArg {
    /// Định dạng cần xuất: docx, pdf, cách nhau bởi dấu phẩy; mặc định cả hai.
    #[arg(
        long = "dinh-dang",
        visible_alias = "format",
        value_delimiter = ',',
        default_value = "docx,pdf"
    )]
    pub formats: Vec<Format>,
}

#[derive(clap::Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub format: FormatArg,
}

#[derive(clap::Args)]
pub struct FormsArgs {
    /// Quý cần lập biểu mẫu, ví dụ 2024-Q3.
    #[arg(long = "ky", visible_alias = "period", value_parser = parse_period)]
    pub period: Period,
}

#[derive(clap::Args)]
pub struct InitArgs {
    /// Thư mục của không gian làm việc mới (tạo nếu chưa có).
    pub dir: PathBuf,
    /// Lấy bộ mẫu của phường Phú Lãm năm 2024 (cấu hình, kế hoạch, bảng tính 4 quý và năm) để
    /// thử cchc, thay cho các tệp trống.
    #[arg(long)]
    pub mau: bool,
}

#[derive(clap::Args)]
pub struct PeriodArg {
    /// Kỳ báo cáo: 2024-Q2 (quý), 2024-6T (6 tháng), 2024-9T (9 tháng), 2024 (năm); mặc định là
    /// quý mới nhất có thư mục trong input/.
    #[arg(long = "ky", visible_alias = "period", value_parser = parse_period)]
    pub period: Option<Period>,
    /// Vẫn lập báo cáo 6 tháng, 9 tháng, năm khi có quý chưa có bảng tính nào (báo cáo ghi rõ
    /// quý còn thiếu); không có tùy chọn này thì quý thiếu là lỗi.
    #[arg(long = "cho-phep-thieu")]
    pub allow_missing: bool,
    /// In cả các ghi chú: mọi chỗ cchc đọc một ô không đúng nguyên văn (ví dụ "Xong" đọc là
    /// "Hoàn thành").
    #[arg(long = "chi-tiet")]
    pub verbose: bool,
}

#[derive(clap::Args)]
pub struct SourcesArgs {
    #[command(flatten)]
    pub period: PeriodArg,
    /// Ghi thành bảng tính (một dòng cho mỗi ô nguồn) thay vì in ra màn hình.
    #[arg(long)]
    pub xlsx: bool,
}

#[derive(clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub period: PeriodArg,
    #[command(flatten)]
    pub format: FormatArg,
    /// Số văn bản (ví dụ 12 cho "Số: 12/BC-UBND").
    #[arg(long, value_parser = parse_number)]
    pub so: Option<u32>,
    /// Ngày ký văn bản, dạng 2024-06-05 hoặc 05/6/2024; mặc định là hôm nay.
    #[arg(long, value_parser = parse_day)]
    pub ngay: Option<NaiveDate>,
    /// Bản dự thảo: để trống số văn bản; tên tệp có thêm "-du-thao", không đụng tới bản
    /// chính thức đã lập.
    #[arg(long = "du-thao", visible_alias = "draft")]
    pub draft: bool,
    /// Lập lại bản chính thức của kỳ với số hoặc ngày khác bản đã lập (ghi đè bản đó).
    #[arg(long = "ghi-de")]
    pub overwrite: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Docx,
    Pdf,
}

impl Format {
    pub fn pack(self) -> cchc::pack::Format {
        match self {
            Format::Docx => cchc::pack::Format::Docx,
            Format::Pdf => cchc::pack::Format::Pdf,
        }
    }
}
