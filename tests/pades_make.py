"""Signed PDFs for tests/pades.rs, made at test time in the folder given as argv[1].

A throwaway PKI is made with the openssl command (root CA, intermediate CA, RSA, RSA-PSS,
ECDSA P-256 and P-384 signers, a TSA, and an unrelated root), then pyHanko signs a small PDF
written here by hand.  One file is signed without pyHanko, by `openssl cms`, its CMS rewritten
in BER with indefinite lengths, which real signing tools produce too.

Nothing is downloaded; every key and certificate lives only in the temporary folder.
"""

import io
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign.validation import add_validation_info
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder

OUT = Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)


def sh(*args, stdin=None):
    subprocess.run(args, check=True, cwd=OUT, input=stdin, capture_output=True)


def ext(name, text):
    (OUT / name).write_text(text)
    return name


CA_EXT = ext(
    "ca.ext",
    "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
)
LEAF_EXT = ext(
    "leaf.ext",
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n"
    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
)
TSA_EXT = ext(
    "tsa.ext",
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
    "extendedKeyUsage=critical,timeStamping\nsubjectKeyIdentifier=hash\n",
)


def key(name, kind):
    if kind == "rsa":
        sh("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
           "-out", f"{name}.key")
    else:
        sh("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", f"ec_paramgen_curve:{kind}",
           "-out", f"{name}.key")


def root(name, cn):
    key(name, "rsa")
    sh("openssl", "req", "-x509", "-new", "-utf8", "-key", f"{name}.key", "-subj", f"/C=VN/O=Test/CN={cn}",
       "-days", "3650", "-sha256", "-extensions", "v3", "-config", "/dev/stdin",
       "-out", f"{name}.pem",
       stdin=b"[req]\ndistinguished_name=dn\n[dn]\n[v3]\nbasicConstraints=critical,CA:TRUE\n"
             b"keyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n")


def issue(name, cn, kind, issuer, extfile, md="sha256"):
    key(name, kind)
    sh("openssl", "req", "-new", "-utf8", "-key", f"{name}.key", "-subj", f"/C=VN/O=Test/CN={cn}",
       "-out", f"{name}.csr")
    sh("openssl", "x509", "-req", "-in", f"{name}.csr", "-CA", f"{issuer}.pem",
       "-CAkey", f"{issuer}.key", "-CAcreateserial", "-days", "3650", f"-{md}",
       "-extfile", extfile, "-out", f"{name}.pem")


root("root", "Test Root CA")
root("other", "Unrelated Root CA")
issue("inter", "Test Intermediate CA", "rsa", "root", CA_EXT)
issue("rsa", "Nguyễn Văn A", "rsa", "inter", LEAF_EXT)
issue("pss", "PSS Signer", "rsa", "inter", LEAF_EXT)
issue("ec256", "ECDSA P-256 Signer", "prime256v1", "inter", LEAF_EXT)
issue("ec384", "ECDSA P-384 Signer", "secp384r1", "root", LEAF_EXT, md="sha384")
issue("tsa", "Test TSA", "rsa", "root", TSA_EXT)
(OUT / "anchors.pem").write_text((OUT / "root.pem").read_text() + (OUT / "inter.pem").read_text())
(OUT / "root-only.pem").write_text((OUT / "root.pem").read_text())
(OUT / "other-only.pem").write_text((OUT / "other.pem").read_text())


def base_pdf():
    """A one-page PDF with classic xref, written by hand so offsets are known."""
    content = b"BT /F1 18 Tf 72 720 Td (Bao cao CCHC quy II/2024) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman >>",
        b"<< /Producer (cchc test) >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


(OUT / "base.pdf").write_bytes(base_pdf())


def objstm_pdf():
    """The same page written by pyHanko with an xref stream and the font in an object stream,
    as many office tools write PDFs."""
    w = PdfFileWriter(stream_xrefs=True)
    objstm = w.prepare_object_stream()
    n = generic.NameObject
    font = w.add_object(generic.DictionaryObject({
        n("/Type"): n("/Font"), n("/Subtype"): n("/Type1"), n("/BaseFont"): n("/Times-Roman"),
    }), obj_stream=objstm)
    content = w.add_object(generic.StreamObject(
        stream_data=b"BT /F1 18 Tf 72 720 Td (Bao cao CCHC, xref stream) Tj ET"))
    page = generic.DictionaryObject({
        n("/Type"): n("/Page"),
        n("/MediaBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, 595, 842)]),
        n("/Contents"): content,
        n("/Resources"): generic.DictionaryObject({
            n("/Font"): generic.DictionaryObject({n("/F1"): font})}),
    })
    w.insert_page(page)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


(OUT / "base_objstm.pdf").write_bytes(objstm_pdf())


def signer(name, pss=False):
    chain = [str(OUT / "inter.pem")] if name != "ec384" else None
    return signers.SimpleSigner.load(str(OUT / f"{name}.key"), str(OUT / f"{name}.pem"),
                                     ca_chain_files=chain, prefer_pss=pss)


def sign(src, dst, name, field, md="sha256", pss=False, subfilter=None):
    meta = dict(field_name=field, md_algorithm=md)
    if subfilter is not None:
        meta["subfilter"] = subfilter
    with open(OUT / src, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        fields.append_signature_field(w, fields.SigFieldSpec(field, box=(72, 600, 272, 660)))
        out = signers.sign_pdf(w, signers.PdfSignatureMetadata(**meta), signer=signer(name, pss))
    (OUT / dst).write_bytes(out.getvalue())


sign("base.pdf", "rsa.pdf", "rsa", "Signature1")
sign("base.pdf", "pss.pdf", "pss", "Signature1", pss=True)
sign("base.pdf", "ec256.pdf", "ec256", "Signature1",
     subfilter=fields.SigSeedSubFilter.PADES)
sign("base.pdf", "ec384.pdf", "ec384", "Signature1", md="sha384")
sign("base.pdf", "sha1.pdf", "rsa", "Signature1", md="sha1")
sign("rsa.pdf", "two.pdf", "ec256", "Signature2")
sign("base_objstm.pdf", "objstm.pdf", "rsa", "Signature1")
if (OUT / "report.pdf").exists():  # the cchc report itself, put there by tests/pades.rs
    sign("report.pdf", "report_signed.pdf", "rsa", "Signature1")
    # As the office does it: into the empty field ChuKy1 that cchc put over the signature block.
    with open(OUT / "report.pdf", "rb") as f:
        w = IncrementalPdfFileWriter(f)
        out = signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="ChuKy1"),
                               signer=signer("rsa"))
    (OUT / "report_chuky.pdf").write_bytes(out.getvalue())
sign("objstm.pdf", "objstm_two.pdf", "pss", "Signature2", pss=True)

def modify(src, dst):
    """A later revision that changes what the page shows: a second content stream."""
    with open(OUT / src, "rb") as f:
        w = IncrementalPdfFileWriter(io.BytesIO(f.read()))
    page = w.root["/Pages"]["/Kids"][0]
    page_obj = page.get_object()
    extra = w.add_object(generic.StreamObject(stream_data=b"BT /F1 18 Tf 72 500 Td (SUA SAU KHI KY) Tj ET"))
    page_obj["/Contents"] = generic.ArrayObject([page_obj.raw_get("/Contents"), extra])
    w.update_container(page_obj)
    buf = io.BytesIO()
    w.write(buf)
    (OUT / dst).write_bytes(buf.getvalue())


# A later revision that only adds a DSS (certificates for long-term validation).
with open(OUT / "rsa.pdf", "rb") as f:
    buf = io.BytesIO(f.read())
sig = PdfFileReader(buf).embedded_signatures[0]
DocumentSecurityStore.add_dss(buf, sig.pkcs7_content, certs=[load_cert_from_pemder(str(OUT / "root.pem"))],
                              force_write=True)
(OUT / "dss.pdf").write_bytes(buf.getvalue())

modify("rsa.pdf", "modified.pdf")
modify("objstm.pdf", "objstm_modified.pdf")

# A document timestamp after the signature, at a time written down for the test; and one
# claiming a time before the TSA certificate existed.
ts_time = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=5)
# As cchc gives times in JSON: RFC 3339 with Vietnam's offset.
(OUT / "ts_time.txt").write_text(
    ts_time.astimezone(timezone(timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M:%S+07:00"))
for name, when in [("doc_ts.pdf", ts_time),
                   ("doc_ts_early.pdf", datetime(2024, 6, 5, 3, 0, 0, tzinfo=timezone.utc))]:
    tsa = DummyTimeStamper(load_cert_from_pemder(str(OUT / "tsa.pem")),
                           load_private_key_from_pemder(str(OUT / "tsa.key"), None),
                           fixed_dt=when)
    with open(OUT / "rsa.pdf", "rb") as f:
        w = IncrementalPdfFileWriter(f)
        out = signers.PdfTimeStamper(tsa).timestamp_pdf(w, "sha256")
    (OUT / name).write_bytes(out.getvalue())


def ber(der, depth=0):
    """The outer levels of a DER encoding in BER with indefinite lengths, as streaming signers
    write them (openssl cms -stream does too, but only for attached content); signedAttrs,
    deeper down, stay DER as the standard requires."""
    out = bytearray()
    i = 0
    while i < len(der):
        tag, first = der[i], der[i + 1]
        hl = 2
        if first < 0x80:
            ln = first
        else:
            n = first & 0x7F
            ln = int.from_bytes(der[i + 2:i + 2 + n], "big")
            hl += n
        body = der[i + hl:i + hl + ln]
        if tag & 0x20 and depth <= 3:
            out += bytes([tag, 0x80]) + ber(body, depth + 1) + b"\0\0"
        else:
            out += der[i:i + hl + ln]
        i += hl + ln
    return bytes(out)


def openssl_signed(src, dst, attached=False, dup_certs=False):
    """An incremental update written by hand, signed by `openssl cms`, CMS turned into BER."""
    data = (OUT / src).read_bytes()
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    size = int(re.findall(rb"/Size (\d+)", data)[-1])
    root_ref = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
    hole = 16384
    head = b"\n%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached " % size
    head += b"/M (D:20240605100000+07'00') /ByteRange [0000000000 0000000000 0000000000 0000000000] /Contents "
    obj_off = len(data) + 1
    contents_off = len(data) + len(head)
    tail = b" >>\nendobj\n"
    xref_off = contents_off + 2 + 2 * hole + len(tail)
    trailer = (b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (size, obj_off)
               + b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n"
               % (size + 1, root_ref, prev, xref_off))
    total = xref_off + len(trailer)
    after = contents_off + 2 + 2 * hole
    br = b"[%010d %010d %010d %010d]" % (0, contents_off, after, total - after)
    head = head.replace(b"[0000000000 0000000000 0000000000 0000000000]", br)
    assert len(head) == contents_off - len(data)
    placeholder = b"<" + b"0" * (2 * hole) + b">"
    doc = bytearray(data + head + placeholder + tail + trailer)
    signed = bytes(doc[:contents_off]) + bytes(doc[after:])
    (OUT / "tbs.bin").write_bytes(signed)
    # -stream writes BER itself but then always embeds the content (legal, if unusual);
    # the detached one names its signer by subjectKeyIdentifier (-keyid), pyHanko's by
    # issuer and serial number.
    sh("openssl", "cms", "-sign", "-binary", "-md", "sha256", "-in", "tbs.bin",
       "-signer", "rsa.pem", "-inkey", "rsa.key", "-certfile", "inter.pem",
       *(["-stream"] if attached else ["-keyid"]), "-outform", "DER", "-out", "tbs.p7s")
    cms = (OUT / "tbs.p7s").read_bytes()
    if dup_certs:
        # Some signing plugins put the chain in twice (once from the token, once from the
        # store); the signer must still be found and the chain built.
        from asn1crypto import cms as acms
        ci = acms.ContentInfo.load(cms)
        certs = list(ci["content"]["certificates"])
        ci["content"]["certificates"] = acms.CertificateSet(certs + certs)
        cms = ci.dump(force=True)
    if not attached:
        cms = ber(cms)
    assert len(cms) <= hole and cms[1] == 0x80, "expected BER with indefinite length"
    hexed = cms.hex().encode().ljust(2 * hole, b"0")
    doc[contents_off + 1:contents_off + 1 + 2 * hole] = hexed
    (OUT / dst).write_bytes(bytes(doc))


def append_update(src, dst, objs, garbage=b""):
    """An incremental update written by hand (classic xref, /Prev), redefining or adding the
    objects `objs` (number -> pyHanko object), as any tool may append after signing."""
    data = (OUT / src).read_bytes()
    r = PdfFileReader(io.BytesIO(data))
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = []
    for num, obj in sorted(objs.items()):
        offsets.append((num, len(out)))
        buf = io.BytesIO()
        obj.write_to_stream(buf, None)
        out += b"%d 0 obj\n" % num + buf.getvalue() + b"\nendobj\n"
    out += garbage
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num, off in offsets:
        out += b"%d 1\n%010d 00000 n \n" % (num, off)
    size = max([int(r.trailer["/Size"])] + [n + 1 for n in objs])
    trailer = generic.DictionaryObject({
        generic.NameObject("/Size"): generic.NumberObject(size),
        generic.NameObject("/Root"): r.trailer.raw_get("/Root"),
        generic.NameObject("/Prev"): generic.NumberObject(prev),
    })
    for key in ("/Info", "/ID"):
        if key in r.trailer:
            trailer[generic.NameObject(key)] = r.trailer.raw_get(key)
    buf = io.BytesIO()
    trailer.write_to_stream(buf, None)
    out += b"trailer\n" + buf.getvalue() + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    (OUT / dst).write_bytes(bytes(out))


def pages_of(reader):
    """(reference, page dictionary) of every page, in order."""
    out = []

    def walk(ref):
        node = ref.get_object()
        if "/Kids" in node:
            for k in node["/Kids"]:
                walk(k)
        else:
            out.append((ref, node))

    walk(reader.root.raw_get("/Pages"))
    return out


def retitle(src, dst, title):
    """The document title replaced after signing, in /Info and in the XMP packet, as a tool
    that edits document properties writes it (uncompressed XMP, same object numbers)."""
    r = PdfFileReader(open(OUT / src, "rb"))
    info_ref = r.trailer.raw_get("/Info")
    info = generic.DictionaryObject(dict(info_ref.get_object()))
    old = str(info["/Title"])
    info[generic.NameObject("/Title")] = generic.TextStringObject(title)
    meta_ref = r.root.raw_get("/Metadata")
    xmp = meta_ref.get_object().data
    assert old.encode() in xmp, "the XMP title is the /Info title"
    meta = generic.StreamObject({
        generic.NameObject("/Type"): generic.NameObject("/Metadata"),
        generic.NameObject("/Subtype"): generic.NameObject("/XML"),
    }, stream_data=xmp.replace(old.encode(), title.encode()))
    append_update(src, dst, {info_ref.idnum: info, meta_ref.idnum: meta})


def page_content(src, dst, page):
    """The content stream of page `page` (from 1) redefined in place with something else."""
    r = PdfFileReader(open(OUT / src, "rb"))
    _, node = pages_of(r)[page - 1]
    contents = node.raw_get("/Contents")
    if isinstance(contents, generic.ArrayObject):
        contents = contents[0]
    stream = generic.StreamObject(stream_data=b"BT /F1 18 Tf 72 500 Td (SUA SAU KHI KY) Tj ET")
    append_update(src, dst, {contents.idnum: stream})


def annotate(src, dst, page):
    """A sticky note (a Text annotation, not a widget) added to page `page` by pyHanko's
    writer, as a PDF reader's comment tool does."""
    with open(OUT / src, "rb") as f:
        w = IncrementalPdfFileWriter(io.BytesIO(f.read()))
    n = generic.NameObject
    ref, node = pages_of(w.prev)[page - 1]
    page_obj = w.get_object(ref.reference)
    note = w.add_object(generic.DictionaryObject({
        n("/Type"): n("/Annot"), n("/Subtype"): n("/Text"),
        n("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (72, 700, 92, 720)]),
        n("/Contents"): generic.TextStringObject("Sửa lại số liệu"),
    }))
    annots = page_obj.get("/Annots", generic.ArrayObject())
    annots = generic.ArrayObject(list(annots) + [note])
    page_obj[n("/Annots")] = annots
    w.update_container(page_obj)
    buf = io.BytesIO()
    w.write(buf)
    (OUT / dst).write_bytes(buf.getvalue())


def with_validation_info(src, dst):
    """pyHanko's own long-term validation update (what `pyhanko sign ltvfix` does): DSS with
    the chain, /Info and XMP dates and producer refreshed. Offline: no revocation data."""
    with open(OUT / src, "rb") as f:
        buf = io.BytesIO(f.read())
    sig = PdfFileReader(buf).embedded_signatures[0]
    vc = ValidationContext(trust_roots=[load_cert_from_pemder(str(OUT / "root.pem"))],
                           other_certs=[load_cert_from_pemder(str(OUT / "inter.pem"))],
                           allow_fetching=False, revocation_mode="soft-fail")
    out = add_validation_info(sig, vc, in_place=False)
    (OUT / dst).write_bytes(out.getvalue())


page_content("rsa.pdf", "content_stream.pdf", 1)
annotate("rsa.pdf", "annotated.pdf", 1)
if (OUT / "report.pdf").exists():
    with_validation_info("report_chuky.pdf", "report_ltv.pdf")
    page_content("report_chuky.pdf", "report_page3.pdf", 3)
    annotate("report_chuky.pdf", "report_note2.pdf", 2)
if (OUT / "report.pdf").exists() and shutil.which("qpdf"):
    # The report rewritten by qpdf, linearized, with object streams and an xref stream whose
    # rows go through a PNG predictor (pyHanko's own xref streams use none); signed, then
    # given pyHanko's long-term validation update.
    sh("qpdf", "--linearize", "--object-streams=generate", "report.pdf", "report_qpdf.pdf")
    with open(OUT / "report_qpdf.pdf", "rb") as f:
        w = IncrementalPdfFileWriter(f, strict=False)
        fields.append_signature_field(w, fields.SigFieldSpec("Signature1", box=(72, 600, 272, 660)))
        out = signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="Signature1"),
                               signer=signer("rsa"))
    (OUT / "qpdf_signed.pdf").write_bytes(out.getvalue())
    with_validation_info("qpdf_signed.pdf", "qpdf_ltv.pdf")
if (OUT / "report_q3.pdf").exists():  # the Q3 report, put there by tests/pades.rs
    sign("report_q3.pdf", "q3_signed.pdf", "rsa", "Signature1")
    retitle("q3_signed.pdf", "q3_retitled.pdf", "Báo cáo đã sửa tiêu đề sau khi ký")

openssl_signed("base.pdf", "ber.pdf")
openssl_signed("base.pdf", "ber_attached.pdf", attached=True)
openssl_signed("base.pdf", "dup_certs.pdf", dup_certs=True)
print("ok")
