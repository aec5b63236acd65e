"""Reads the sample quarterly report DOCX with python-docx and checks the Decree 30 layout and
the figures. Usage: python3 tests/sample_docx_check.py REPORT.docx FIGURE... (figures as printed,
e.g. "1.039" "28,14%"). Prints each failed check and exits 1, or prints OK. Driven by
tests/e2e_sample.rs."""

import re
import sys

import docx
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

DATE = re.compile(r"^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (01|02|[3-9]|1[0-2]) năm \d{4}$")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def cell_texts(table):
    return [" ".join(c.text.split()) for row in table.rows for c in row.cells]


def main(path, figures):
    d = docx.Document(path)
    orients = [s.orientation for s in d.sections]
    check(orients == [WD_ORIENT.PORTRAIT] + [WD_ORIENT.LANDSCAPE] * 3, f"orientations {orients}")
    for i, s in enumerate(d.sections):
        w, h = sorted([s.page_width.mm, s.page_height.mm])
        check(abs(w - 210) < 0.5 and abs(h - 297) < 0.5, f"section {i} not A4: {w}x{h}")
        m = [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
        check(m == [20, 20, 30, 15], f"section {i} margins {m}")
    fonts = d.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        check(fonts.get(qn(slot)) == "Times New Roman", f"default font {slot}={fonts.get(qn(slot))}")
    header = cell_texts(d.tables[0])
    for s in ["ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ LÃM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 12/BC-UBND"]:
        check(any(s in t for t in header), f"header block lacks {s!r}")
    dates = [p.text.strip() for row in d.tables[0].rows for c in row.cells for p in c.paragraphs]
    check(any(DATE.match(t) for t in dates), f"no Decree 30 date in the header block: {dates}")
    body = "\n".join(p.text for p in d.paragraphs)
    check("BÁO CÁO" in body, "title missing")
    check(body.rstrip().count("./.") >= 1, "no ./. at the end of the body")
    everything = " ".join(" ".join(body.split()).split()) + " " + " ".join(t for tb in d.tables for t in cell_texts(tb))
    for f in figures:
        check(f in everything, f"figure {f} missing")
    # Appendix tables: header rows repeated; Appendix I has 17 task rows, II has 16 + 5 groups.
    repeated = [tb for tb in d.tables if tb._tbl.find(".//" + qn("w:tblHeader")) is not None]
    check(len(repeated) >= 3, f"{len(repeated)} tables with repeated header rows")
    def body_rows(tb):
        return [r for r in tb.rows if r._tr.find(".//" + qn("w:tblHeader")) is None]
    firsts = [[" ".join(r.cells[0].text.split()) for r in body_rows(tb)] for tb in repeated]
    a1 = [f for f in firsts if f[:3] == ["1", "2", "3"] and len(f) == 17]
    a2 = [f for f in firsts if f and f[0] == "I" and sum(1 for x in f if x.isdigit()) == 16]
    check(len(a1) == 1, f"Appendix I with 17 rows not found: {[len(f) for f in firsts]}")
    check(len(a2) == 1 and len(a2[0]) == 21, f"Appendix II with 16 tasks and 5 groups not found")
    for s in ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Ngọc Anh", "Nơi nhận:"]:
        check(s in everything, f"signature lacks {s!r}")
    core = d.core_properties
    check(core.title.startswith("Báo cáo"), f"title {core.title!r}")
    check(core.author == "Ủy ban nhân dân phường Phú Lãm", f"author {core.author!r}")
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("OK")


main(sys.argv[1], sys.argv[2:])
