//! The archive register (so-dang-ky.json of a bag), any text: a register or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(register) = cchc::archive::register::Register::parse(text) {
            // What was read writes back and reads again as the same.
            let again = cchc::archive::register::Register::parse(&register.render());
            assert!(again.is_ok());
        }
    }
});
