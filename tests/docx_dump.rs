#[test]
fn dump() {
    let bytes = cchc::docx::write(&cchc::doc::specimen()).unwrap();
    std::fs::write("/tmp/spec.docx", bytes).unwrap();
}
