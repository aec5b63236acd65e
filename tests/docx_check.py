"""Reads the specimen DOCX with python-docx and checks what the decree's layout requires.

Usage: python3 tests/docx_check.py FILE.docx
Prints one line per failed check and exits 1 if any failed; prints OK and exits 0 otherwise.
Driven by tests/docx_specimen.rs.
"""

import datetime
import re
import sys

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TNR = "Times New Roman"
DATE = re.compile(r"^[^,]+, ngày (0[1-9]|[12]\d|3[01]) tháng (01|02|[3-9]|1[0-2]) năm \d{4}$")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def twips(length):
    return round(length / 635)  # EMU per twip


def main(path):
    d = docx.Document(path)

    # Sections: A4, margins 20/20/30/15 mm, portrait then landscape appendices.
    check(len(d.sections) == 3, f"3 sections expected, got {len(d.sections)}")
    orients = [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.LANDSCAPE]
    for i, (s, o) in enumerate(zip(d.sections, orients)):
        short, long_ = sorted([twips(s.page_width), twips(s.page_height)])
        check((short, long_) == (11906, 16838), f"section {i}: not A4 ({short}x{long_})")
        check(s.orientation == o, f"section {i}: orientation {s.orientation}")
        wide = twips(s.page_width) > twips(s.page_height)
        check(wide == (o == WD_ORIENT.LANDSCAPE), f"section {i}: w/h not swapped")
        m = [round(x.mm, 1) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
        check(m == [20.0, 20.0, 30.0, 15.0], f"section {i}: margins {m}")
        check(s.different_first_page_header_footer, f"section {i}: no titlePg")
        pg = s._sectPr.find(W + "pgNumType")
        check(pg is not None and pg.get(W + "start") == "1", f"section {i}: numbering not restarted")
        hdr = "".join(p.text for p in s.header.paragraphs)
        check("1" in hdr, f"section {i}: no PAGE field result in header: {hdr!r}")
        instr = "".join(t.text or "" for t in s.header._element.iter(W + "instrText"))
        check("PAGE" in instr, f"section {i}: no PAGE field")
        first = "".join(p.text for p in s.first_page_header.paragraphs)
        check(first.strip() == "", f"section {i}: first-page header not empty: {first!r}")

    # Fonts: Times New Roman in every script slot of the defaults; Vietnamese language.
    styles = d.styles.element
    rfonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        check(rfonts is not None and rfonts.get(W + slot) == TNR, f"default font {slot}")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    check(lang is not None and lang.get(W + "val") == "vi-VN", "w:lang vi-VN missing")
    ids = [s.get(W + "styleId") for s in styles.iter(W + "style")]
    check(ids.count("Normal") == 1, f"Normal style {ids.count('Normal')} times")
    body = d.styles["Body VN"]
    check(body.font.size == Pt(14), "body style not 14 pt")
    check(body.font.name == TNR, "body style not TNR")
    pf = body.paragraph_format
    check(pf.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY, "body style not justified")
    check(twips(pf.first_line_indent) == 720, f"body first-line indent {twips(pf.first_line_indent)}")
    check(pf.space_after == Pt(6), "body spacing after not 6 pt")
    for n in range(1, 5):
        check(d.styles[f"Heading {n}"] is not None, f"heading {n} style missing")
    check(d.styles["Table Text VN"].font.size == Pt(12), "table text not 12 pt")

    # Paragraph styles are used: body text and headings.
    used = {p.style.name for p in d.paragraphs}
    for name in ("Body VN", "Heading 1", "Heading 2", "Heading 3", "Heading 4", "Title VN"):
        check(name in used, f"style {name} unused")
    bold_runs = [r for p in d.paragraphs for r in p.runs if r.bold]
    italic_runs = [r for p in d.paragraphs for r in p.runs if r.italic]
    check(any("18,68%" in r.text for r in bold_runs), "bold run missing")
    check(any("7564/QĐ-UBND" in r.text for r in italic_runs), "italic run missing")

    # Header block: borderless two-column table, "Số:" and the date on one row.
    tables = d.tables
    check(len(tables) == 4, f"4 tables expected (header, report, signature, appendix), got {len(tables)}")
    head = tables[0]
    text = "\n".join(c.text for r in head.rows for c in r.cells)
    for s in ("UBND QUẬN HÀ ĐÔNG", "ỦY BAN NHÂN DÂN", "PHƯỜNG PHÚ LÃM",
              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"):
        check(s in text, f"header block lacks {s}")
    row = head.rows[1].cells
    check(row[0].text.startswith("Số:"), f"Số: not in row 2: {row[0].text!r}")
    check(DATE.match(row[1].text) is not None, f"date {row[1].text!r} does not match")
    check(head._tbl.find(f"{W}tblPr/{W}tblBorders/{W}top") is None, "header block has borders")

    # Report table: 1 header row, 2 rows, 4 columns.
    report = tables[1]
    check(len(report.rows) == 3 and len(report.columns) == 4, "report table shape")
    check([c.text for c in report.rows[2].cells] == ["2", "Cải cách thể chế", "2,5/3", "-0,5"],
          "report table row 2")
    check(report.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT,
          "numbers not right-aligned")

    # Signature block.
    sig = tables[2]
    left, right = sig.rows[0].cells
    check(left.paragraphs[0].text == "Nơi nhận:", "Nơi nhận: not first")
    check(left.paragraphs[-1].text == "- Lưu: VT.", "last recipient")
    check([p.text for p in right.paragraphs] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Ngọc Anh"],
          "signature column")

    # Appendix table: 2 header rows repeated, 3 groups of 1 + 8 rows, 5 columns.
    app = tables[3]
    check(len(app.rows) == 2 + 3 * 9, f"appendix rows {len(app.rows)}")
    for i, r in enumerate(app.rows):
        check(len(r.cells) == 5, f"appendix row {i}: {len(r.cells)} cells")
        trpr = r._tr.trPr
        check(trpr is not None and trpr.find(W + "cantSplit") is not None, f"row {i} splits")
        is_head = trpr is not None and trpr.find(W + "tblHeader") is not None
        check(is_head == (i < 2), f"row {i}: tblHeader {is_head}")
    check([c.text for c in app.rows[0].cells] ==
          ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Kết quả", "Kết quả"], "header row 1")
    check([c.text for c in app.rows[1].cells] ==
          ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Minh chứng"], "header row 2 (vMerge)")
    check(app.rows[2].cells[0].text == "I. Tiêu chí: Tiếp cận dịch vụ", "group row")
    check(all(r.bold for p in app.rows[2].cells[0].paragraphs for r in p.runs), "group row bold")
    check(app.rows[2].cells[0].paragraphs[0].paragraph_format.keep_with_next, "group row keepNext")
    lead = "Bộ phận Tiếp nhận và trả kết quả"
    for i in range(3, 11):
        check(app.rows[i].cells[2].text == lead, f"row {i}: merged cell {app.rows[i].cells[2].text!r}")
    check(app.rows[3].cells[2]._tc.tcPr.find(W + "vMerge").get(W + "val") == "restart", "vMerge restart")
    # python-docx maps continuation cells to the cell above; look at the row's own w:tc.
    cont = app.rows[4]._tr.tc_lst[2].tcPr.find(W + "vMerge")
    check(cont is not None and cont.get(W + "val") in (None, "continue"),
          "vMerge continue")
    check(app.rows[6].cells[1].text.count("\n") == 1, "two paragraphs in a cell")
    grid = [int(g.get(W + "w")) for g in app._tbl.tblGrid.iter(W + "gridCol")]
    check(sum(grid) == 16838 - 1701 - 850, f"appendix grid {grid} does not fill the text width")

    # Core properties.
    cp = d.core_properties
    check(cp.title.startswith("Báo cáo kết quả thực hiện"), f"title {cp.title!r}")
    check(cp.author == "Ủy ban nhân dân phường Phú Lãm", f"author {cp.author!r}")
    check(cp.subject == "Báo cáo số 12/BC-UBND", f"subject {cp.subject!r}")
    check(cp.language == "vi", f"language {cp.language!r}")
    when = datetime.datetime(2024, 6, 5, 0, 0, 0)
    check(cp.created is not None and cp.created.replace(tzinfo=None) == when, f"created {cp.created}")
    check(cp.modified is not None and cp.modified.replace(tzinfo=None) == when, f"modified {cp.modified}")

    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
