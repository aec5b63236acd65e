"""Lists a PDF's signature fields as pyHanko sees them, as JSON on standard output:
{"need_appearances": ..., "sig_flags": ..., "fields": [{"name", "filled", "page", "rect", "flags",
"ap_keys", "ap_n_is_form", "has_a", "has_aa",
"in_annots"}]} with "page" 0-based and "rect" in PDF points.
Usage: python3 tests/sigfield_check.py FILE.pdf. Driven by tests/signature_field.rs."""

import json
import sys

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields


def main(path):
    with open(path, "rb") as f:
        r = PdfFileReader(f)
        form = r.root.get("/AcroForm")
        form = form.get_object() if form is not None else generic.DictionaryObject()
        refs = page_refs(r)
        pages = [ref.idnum for ref in refs]
        page_objs = [ref.get_object() for ref in refs]
        fields = []
        for name, value, ref in enumerate_sig_fields(r, filled_status=None):
            w = ref.get_object()
            ap = w.get("/AP", generic.DictionaryObject())
            n = ap["/N"] if "/N" in ap else None
            p = w.raw_get("/P")
            fields.append(
                {
                    "name": name,
                    "filled": value is not None,
                    "page": pages.index(p.idnum),
                    "rect": [float(x) for x in w["/Rect"]],
                    "flags": int(w.get("/F", 0)),
                    "ap_keys": sorted(str(k) for k in ap.keys()),
                    "ap_n_is_form": isinstance(n, generic.StreamObject)
                    and n.get("/Subtype") == "/Form",
                    "has_a": "/A" in w,
                    "has_aa": "/AA" in w,
                    "in_annots": in_annots(page_objs[pages.index(p.idnum)], ref),
                }
            )
        print(
            json.dumps(
                {
                    "need_appearances": bool(form.get("/NeedAppearances", False)),
                    "sig_flags": int(form.get("/SigFlags", 0)),
                    "fields": fields,
                }
            )
        )


def page_refs(r):
    out = []

    def walk(node_ref):
        node = node_ref.get_object()
        if node.get("/Type") == "/Pages":
            for kid in node["/Kids"]:
                walk(kid)
        else:
            out.append(node_ref)

    walk(r.root.raw_get("/Pages"))
    return out


def in_annots(page, ref):
    annots = page.get("/Annots")
    if annots is None:
        return False
    return any(annots.raw_get(i).idnum == ref.idnum for i in range(len(annots)))


if __name__ == "__main__":
    main(sys.argv[1])
