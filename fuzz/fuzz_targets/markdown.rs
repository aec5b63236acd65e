//! The Markdown converter (templates' output, the plan's sections): blocks or a located
//! error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = cchc::doc::from_markdown(text);
    }
});
