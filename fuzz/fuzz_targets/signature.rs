//! A signed PDF, any bytes: the signature scanner, CMS and X.509 readers, the structure
//! check and the facts the archive reads, each a result or an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = cchc::pades::inspect(bytes, None);
    let _ = cchc::pades::structure_problems(bytes);
    let _ = cchc::archive::matching::read_facts(bytes);
});
