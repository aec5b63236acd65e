//! A workspace template (front matter, tera syntax, the limits' check): accepted or an
//! error at its line, never a panic or a template that is accepted and would not end.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = cchc::render::Templates::with_overrides(vec![(
            "bao-cao-quy.md".to_string(),
            text.to_string(),
        )]);
    }
});
