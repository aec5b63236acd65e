//! Writes the specimen PDF to $CCHC_PDF_DUMP when set, for looking at it by eye.

#[test]
fn dump_specimen_when_asked() {
    let Ok(path) = std::env::var("CCHC_PDF_DUMP") else {
        return;
    };
    let bytes = cchc::pdf::render(&cchc::doc::specimen(), &cchc::fonts::Fonts::builtin())
        .expect("specimen renders");
    std::fs::write(path, bytes).expect("write");
}
