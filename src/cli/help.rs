//! The command line in Vietnamese: clap writes its headings, its help and version flags and its
//! errors in English; these give them back in the users' words, and parse the values the users
//! type (periods, numbers, dates).

use super::super::Cli;
use cchc::Period;
use chrono::NaiveDate;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory, FromArgMatches};

pub fn parse_period(s: &str) -> Result<Period, String> {
    s.parse()
}

pub fn parse_number(s: &str) -> Result<u32, String> {
    s.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!("cần một số nguyên dương, ví dụ 12 (ký hiệu \"/BC-UBND\" do chương trình ghi), không phải \"{s}\"")
        })
}

pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    cchc::vn::parse_date(s)
        .ok_or_else(|| format!("ngày \"{s}\" không hợp lệ: cần dạng 2024-06-05 hoặc 05/6/2024"))
}

/// The command line's help in Vietnamese: clap writes its headings, its help and version flags
/// and its errors in English.
pub fn vietnamese_help(cmd: clap::Command) -> clap::Command {
    let mut template = String::from("{about-with-newline}\nCách dùng: {usage}\n");
    if cmd.has_subcommands() {
        template.push_str("\nLệnh:\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        template.push_str("\nTham số:\n{positionals}\n");
    }
    template.push_str("\nTùy chọn:\n{options}\n");
    // clap's "[default: ...]" and "[possible values: ...]" are English: the argument's own
    // help says them.
    cmd.help_template(template)
        .subcommand_value_name("LỆNH")
        .mut_args(|a| {
            let a = a.hide_default_value(true).hide_possible_values(true);
            match vietnamese_value_name(a.get_id().as_str()) {
                Some(name) => a.value_name(name),
                None => a,
            }
        })
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn này"),
        )
        .mut_subcommands(vietnamese_help)
}

/// The placeholder shown for an argument's value (`--period <KỲ>`), by the argument's id.
pub fn vietnamese_value_name(id: &str) -> Option<&'static str> {
    Some(match id {
        "period" => "KỲ",
        "workspace" | "dir" => "THƯ_MỤC",
        "format" | "formats" => "ĐỊNH_DẠNG",
        "so" => "SỐ",
        "ngay" => "NGÀY",
        "signer" => "NGƯỜI_KÝ",
        "anchors" => "TỆP_PEM",
        "file" => "TỆP",
        _ => return None,
    })
}

/// clap writes "[OPTIONS]" in every usage line; the usage is rendered once the command tree is
/// built and given back with "[TÙY_CHỌN]".
pub fn vietnamese_usage(mut cmd: clap::Command) -> clap::Command {
    let usage = cmd.render_usage().to_string();
    let usage = usage
        .trim_start_matches("Usage:")
        .trim()
        .replace("[OPTIONS]", "[TÙY_CHỌN]");
    cmd.override_usage(usage).mut_subcommands(vietnamese_usage)
}

pub fn parse_cli() -> Result<Cli, clap::Error> {
    let cmd = vietnamese_help(Cli::command())
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In phiên bản"),
        );
    let mut cmd = cmd;
    cmd.build();
    let cmd = vietnamese_usage(cmd);
    Cli::from_arg_matches(&cmd.try_get_matches()?)
}

/// " (có phải X?)" for clap's suggestion, if it has one.
pub fn did_you_mean(suggestion: &str) -> String {
    if suggestion.is_empty() {
        String::new()
    } else {
        format!(" (có phải {suggestion}?)")
    }
}

/// A command-line error as the users read it; help and version requests pass through.
pub fn cli_error(e: &clap::Error) -> Option<String> {
    let text = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let arg = arg.split_whitespace().next().unwrap_or("").to_string();
    let value = text(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            format!("giá trị \"{value}\" của {arg} không hợp lệ{why}")
        }
        // clap reports an option given without its value as an empty invalid value.
        ErrorKind::InvalidValue if value.is_empty() => format!("thiếu giá trị sau {arg}"),
        ErrorKind::InvalidValue => {
            let valid = text(ContextKind::ValidValue);
            if valid.is_empty() {
                format!("giá trị \"{value}\" của {arg} không hợp lệ")
            } else {
                format!(
                    "giá trị \"{value}\" của {arg} không hợp lệ; các giá trị được dùng: {valid}"
                )
            }
        }
        ErrorKind::UnknownArgument => format!(
            "không có tùy chọn {arg}{}",
            did_you_mean(&text(ContextKind::SuggestedArg))
        ),
        ErrorKind::InvalidSubcommand => format!(
            "không có lệnh \"{}\"{}",
            text(ContextKind::InvalidSubcommand),
            did_you_mean(&text(ContextKind::SuggestedSubcommand))
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("thiếu {}", text(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} không dùng cùng {}", text(ContextKind::PriorArg))
        }
        _ => {
            let raw = e.to_string();
            let first = raw
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            format!("dòng lệnh không hợp lệ ({first})")
        }
    };
    Some(format!(
        "{message}\nXem hướng dẫn: cchc --help, hoặc cchc <lệnh> --help"
    ))
}
