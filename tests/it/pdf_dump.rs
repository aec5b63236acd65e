//! Writes the specimen PDF for looking at it by eye: `CCHC_PDF_DUMP=/tmp/x.pdf cargo test
//! --release --test pdf_dump -- --ignored`. Not a check, so not run by default.

#[test]
#[ignore = "writes a file to look at; run with --ignored and CCHC_PDF_DUMP set"]
fn dump_specimen() {
    let path = std::env::var("CCHC_PDF_DUMP").unwrap_or_else(|_| "specimen.pdf".into());
    let bytes = cchc::pdf::render(&cchc::doc::specimen(), &cchc::fonts::Fonts::builtin())
        .expect("specimen renders");
    std::fs::write(path, bytes).expect("write");
}
