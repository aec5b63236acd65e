//! The plan (Markdown with TOML front matter), any text: a plan or findings, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn config() -> &'static cchc::Config {
    static C: OnceLock<cchc::Config> = OnceLock::new();
    C.get_or_init(|| cchc::Config::parse(cchc::forms::SAMPLE_CONFIG).expect("sample config"))
}

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = cchc::plan::parse(text, "input/ke-hoach.md", config());
    }
});
