//! A departmental workbook, any bytes: read into a submission and findings, never a panic,
//! whatever the format the bytes claim (.xlsx, .xls, .ods, or none).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn config() -> &'static cchc::Config {
    static C: OnceLock<cchc::Config> = OnceLock::new();
    C.get_or_init(|| cchc::Config::parse(cchc::forms::SAMPLE_CONFIG).expect("sample config"))
}

fuzz_target!(|bytes: &[u8]| {
    // cchc catches a spreadsheet reader's panic on a broken file and says so as a finding;
    // libFuzzer's hook would abort on it first. A panic cchc does not catch still unwinds
    // into libFuzzer and aborts there: a crash, as it should be.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = cchc::sheets::read_workbook(bytes, "input/2024-Q2/tu-phap.xlsx", config());
});
