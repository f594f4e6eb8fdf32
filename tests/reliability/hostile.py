"""A generator of malformed and hostile input files, written into one folder beside a few good ones.

``build_hostile_folder(folder)`` writes every case and returns a :class:`Case` per path it made, each
saying what ingest must do with it:

- ``fail``: a per-file error with a short human reason (``hint``, when set, must occur in it);
- ``ingest``: loaded as documents (content decides the format, so a PDF named ``.json`` is a PDF);
- ``partial``: loaded, with bad records inside it reported as skipped;
- ``none``: read without error and without documents (a MedQuAD file with no answered question);
- ``unlisted``: never offered to a loader (hidden files, READMEs, symlinked folders, FIFOs, ...).

Nothing big is committed: every file is made here, in the test's temporary folder. Every file is small
except the few huge-line cases (20-33 MB), which stay fast because they are rejected at a size check or
scanned in linear time.
"""

from __future__ import annotations

import io
import json
import os
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

# What an external entity or XInclude would pull in: no document may ever contain it.
PASSWD_MARKERS = ("root:x:0:0", "root:*:0:0", "/bin/bash", "/usr/sbin/nologin", "daemon:x:")
HUGE_LINE_BYTES = 20 * 1024 * 1024  # "a 20 MB file of one line"
GOOD_FILES = ("good_guideline.md", "good_records.jsonl", "good_leaflet.pdf")

GOOD_TEXT = (
    "Intravenous immunoglobulin (IVIG) is used for Guillain-Barre syndrome and chronic inflammatory "
    "demyelinating polyneuropathy. It does not help every autoimmune condition. Headache and chills are "
    "common adverse effects during the infusion."
)


@dataclass(frozen=True)
class Case:
    """One path in the hostile folder (relative, as ``str``; may hold odd characters) and its outcome."""

    name: str
    expect: str  # fail | ingest | partial | none | unlisted
    what: str
    hint: str = ""


# --------------------------------------------------------------------------------------------------
# Builders of valid content, to be broken below
# --------------------------------------------------------------------------------------------------


def efetch_xml(n: int = 2, *, first: int = 7000000,
               abstract: str = "IVIG reduced relapses in treated patients.") -> bytes:
    """A PubMed efetch reply (PubmedArticleSet) with ``n`` articles that have abstracts, PMIDs from ``first``."""
    articles = "".join(
        f"""
<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">{first + i}</PMID>
    <Article PubModel="Print">
      <Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue>
        <Title>Journal of Hostile Inputs</Title></Journal>
      <ArticleTitle>Study {i} of immunoglobulin</ArticleTitle>
      <Abstract>
        <AbstractText Label="RESULTS" NlmCategory="RESULTS">{abstract} Article {i}.</AbstractText>
      </Abstract>
      <PublicationTypeList><PublicationType>Journal Article</PublicationType></PublicationTypeList>
    </Article>
  </MedlineCitation>
</PubmedArticle>"""
        for i in range(n)
    )
    return (
        '<?xml version="1.0" ?>\n'
        '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
        '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
        f"<PubmedArticleSet>{articles}\n</PubmedArticleSet>\n"
    ).encode()


def medquad_xml(layout: str = "Document", answer: str = "IVIG is a treatment made from donated blood.") -> bytes:
    """One MedQuAD file in one of its three root layouts."""
    if layout == "Document":
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document id="0009001" source="GHR" url="https://ghr.example.org/condition/x">
<Focus>Example Condition</Focus>
<QAPairs>
  <QAPair pid="1">
    <Question qid="0009001-1" qtype="information">What is (are) Example Condition ?</Question>
    <Answer>{answer} It is described here at some length so that the file is not tiny.</Answer>
  </QAPair>
</QAPairs>
</Document>
""".encode()
    if layout == "doc":
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<doc docid="0009002" corpus="NINDS" url="http://www.ninds.example.org/x.htm">
<doctitle-focus>Example Palsy</doctitle-focus>
<pairs>
  <pair pid="1">
    <question qid="0009002-1" qtype="information">what is example palsy?</question>
    <answer>{answer} It is described here at some length so that the file is not tiny.</answer>
  </pair>
</pairs>
</doc>
""".encode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<DiseaseFile fid="0009003" source="CDC" url="https://www.cdc.example.org/x">
<Focus>Parasites - Example Worm</Focus>
<QAPairs>
  <QAPair pid="1">
    <Question qid="0009003-1" qtype="susceptibility">Who is at risk for Example Worm?</Question>
    <Answer>{answer} It is described here at some length so that the file is not tiny.</Answer>
  </QAPair>
</QAPairs>
</DiseaseFile>
""".encode()


def pqal_json(entries: dict) -> bytes:
    return json.dumps(entries).encode()


def pqal_entry(text: str = "IVIG lowered the relapse rate in adults.") -> dict:
    return {
        "QUESTION": "Does IVIG help?",
        "CONTEXTS": [text, "Patients were followed for one year."],
        "LABELS": ["BACKGROUND", "METHODS"],
        "MESHES": ["Immunoglobulins"],
        "YEAR": "2015",
        "LONG_ANSWER": "IVIG helped some patients.",
        "final_decision": "maybe",
    }


def jsonl_record(i: int, **fields) -> dict:
    record = {
        "id": f"hostile-{i}",
        "title": f"Record {i} on immunoglobulin",
        "kind": "research",
        "source": "Test",
        "text": f"Record {i}: immunoglobulin reduced symptoms in most treated patients. " * 2,
    }
    record.update(fields)
    return record


def jsonl_bytes(records: list) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF, one Helvetica text line per string, one page per list."""
    objects: list[bytes] = [b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", b""]
    kids = []
    for lines in pages:
        escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in lines]
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td", *(f"({line}) Tj T*" for line in escaped), "ET"]
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 1 0 R >> >> >>" % content
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    catalog = len(objects)
    info = 0
    if title:
        objects.append(b"<< /Title (%s) >>" % title.encode("latin-1"))
        info = len(objects)
    return pdf_from_objects(objects, catalog, info)


def pdf_from_objects(objects: list[bytes], root: int = 1, info: int = 0) -> bytes:
    """A PDF file with a correct cross-reference table around the given object bodies."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, root) + (b" /Info %d 0 R" % info if info else b"")
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def encrypted_pdf(source: bytes, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def deflate_bomb(size: int) -> bytes:
    """``size`` spaces, deflated a megabyte at a time (never held in memory whole)."""
    packer = zlib.compressobj(9)
    block = b" " * (1 << 20)
    out = [packer.compress(block) for _ in range(size >> 20)]
    return b"".join(out) + packer.flush()


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def aes256_claimed_pdf(source: bytes) -> bytes:
    """A PDF whose trailer claims AES-256 encryption (opening it needs a crypto package or a password)."""
    encrypt = (
        b"/Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /CFM /AESV3 "
        b"/AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF /O <" + b"00" * 48 + b"> /U <"
        + b"00" * 48 + b"> /OE <" + b"00" * 32 + b"> /UE <" + b"00" * 32 + b"> /Perms <" + b"00" * 16
        + b"> /P -4 >> /ID [<0011> <0011>]"
    )
    return source.replace(b"trailer\n<<", b"trailer\n<< " + encrypt, 1)


# --------------------------------------------------------------------------------------------------
# Hostile XML
# --------------------------------------------------------------------------------------------------

BILLION_LAUGHS_HEAD = """<?xml version="1.0"?>
<!DOCTYPE {root} [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def billion_laughs(layout: str) -> bytes:
    if layout == "pubmed":
        body = efetch_xml(1).decode().split("\n", 2)[2].replace("IVIG reduced", "&lol9; IVIG reduced")
        return (BILLION_LAUGHS_HEAD.format(root="PubmedArticleSet") + body).encode()
    body = medquad_xml("Document").decode().split("\n", 1)[1].replace("Example Condition</Focus>", "&lol9;</Focus>")
    return (BILLION_LAUGHS_HEAD.format(root="Document") + body).encode()


def quadratic_blowup() -> bytes:
    big = "A" * 50_000
    refs = "&a;" * 50_000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY a "{big}">]>\n'
        f"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><Abstract>"
        f"<AbstractText>{refs}</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>"
        f"</PubmedArticleSet>\n"
    ).encode()


def xxe(layout: str, target: str = "file:///etc/passwd") -> bytes:
    decl = f'<!ENTITY secret SYSTEM "{target}">'
    if layout == "pubmed":
        body = efetch_xml(1).decode().split("\n", 2)[2].replace("IVIG reduced", "&secret; IVIG reduced")
        return f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [{decl}]>\n{body}'.encode()
    if layout == "doc":
        body = medquad_xml("doc").decode().split("\n", 1)[1].replace("IVIG is", "&secret; IVIG is")
        return f'<?xml version="1.0"?>\n<!DOCTYPE doc [{decl}]>\n{body}'.encode()
    body = medquad_xml("Document").decode().split("\n", 1)[1].replace("IVIG is", "&secret; IVIG is")
    return f'<?xml version="1.0"?>\n<!DOCTYPE Document [{decl}]>\n{body}'.encode()


def xxe_parameter_entity() -> bytes:
    body = efetch_xml(1).decode().split("\n", 2)[2]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>\n'
        + body
    ).encode()


def external_dtd_only() -> bytes:
    """A DOCTYPE naming a local file as its DTD but declaring no entity: the DTD must not be fetched."""
    body = efetch_xml(1, first=7100000).decode().split("\n", 2)[2]
    return ('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM "file:///etc/passwd">\n' + body).encode()


def xinclude() -> bytes:
    """XInclude is not processed: the include element is ignored and the rest of the abstract kept."""
    return efetch_xml(1, first=7200000).replace(
        b"<Abstract>",
        b'<Abstract xmlns:xi="http://www.w3.org/2001/XInclude">',
    ).replace(
        b"IVIG reduced",
        b'<xi:include href="file:///etc/passwd" parse="text"/> IVIG reduced',
    )


# --------------------------------------------------------------------------------------------------
# The folder
# --------------------------------------------------------------------------------------------------


def build_hostile_folder(folder: Path, *, seed: int = 20240611) -> list[Case]:
    """Write the good and hostile files into ``folder``; return what each must become."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def put(name: str, data: bytes, expect: str, what: str, hint: str = "") -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        cases.append(Case(name, expect, what, hint))

    good_pdf = make_pdf([["IVIG leaflet", GOOD_TEXT[:90]], [GOOD_TEXT[90:]]], title="IVIG patient leaflet")

    # Good files ------------------------------------------------------------------------------------
    put("good_guideline.md", f"# IVIG\n\n{GOOD_TEXT}\n\n## Side effects\n\nHeadache is common.\n".encode(),
        "ingest", "good Markdown")
    put("good_records.jsonl", jsonl_bytes([jsonl_record(1), jsonl_record(2)]), "ingest", "good JSONL")
    put("good_leaflet.pdf", good_pdf, "ingest", "good PDF")

    # Truncated XML of each layout -------------------------------------------------------------------
    efetch = efetch_xml(3)
    put("trunc_efetch_half.xml", efetch[: len(efetch) // 2], "fail", "efetch cut in half", "malformed XML")
    put("trunc_efetch_head.xml", efetch[:260], "fail", "efetch cut after the DOCTYPE", "malformed XML")
    put("trunc_efetch_last_tag.xml", efetch[:-20], "fail", "efetch missing its closing tag", "malformed XML")
    for layout in ("Document", "doc", "DiseaseFile"):
        data = medquad_xml(layout)
        put(f"trunc_medquad_{layout}.xml", data[: len(data) * 2 // 3], "fail", f"MedQuAD <{layout}> cut",
            "malformed XML")

    # Entity attacks -------------------------------------------------------------------------------
    put("billion_laughs_pubmed.xml", billion_laughs("pubmed"), "fail", "billion laughs (efetch)", "unsafe XML")
    put("billion_laughs_medquad.xml", billion_laughs("medquad"), "fail", "billion laughs (MedQuAD)", "unsafe XML")
    put("quadratic_blowup.xml", quadratic_blowup(), "fail", "one big entity referenced 50,000 times", "unsafe XML")
    put("xxe_pubmed.xml", xxe("pubmed"), "fail", "external entity -> /etc/passwd (efetch)", "unsafe XML")
    put("xxe_medquad.xml", xxe("Document"), "fail", "external entity -> /etc/passwd (MedQuAD)", "unsafe XML")
    put("xxe_medquad_doc.xml", xxe("doc"), "fail", "external entity -> /etc/passwd (<doc>)", "unsafe XML")
    put("xxe_http.xml", xxe("pubmed", "http://127.0.0.1:9/x"), "fail", "external entity over HTTP", "unsafe XML")
    put("xxe_parameter_entity.xml", xxe_parameter_entity(), "fail", "parameter entity -> /etc/passwd",
        "unsafe XML")
    put("external_dtd.xml", external_dtd_only(), "ingest", "DOCTYPE names /etc/passwd as DTD (never fetched)")
    put("xinclude.xml", xinclude(), "ingest", "XInclude of /etc/passwd (not processed)")

    # Other bad XML ----------------------------------------------------------------------------------
    put("xml_bad_utf8.xml", efetch_xml(1).replace(b"IVIG reduced", b"IVIG \xff\xfe reduced"), "fail",
        "efetch with invalid UTF-8", "malformed XML")
    put("xml_bad_utf8_medquad.xml", medquad_xml("Document").replace(b"IVIG is", b"IVIG \xc3\x28 is"), "fail",
        "MedQuAD with invalid UTF-8", "malformed XML")
    put("xml_nul.xml", efetch_xml(1).replace(b"IVIG reduced", b"IVIG \x00 reduced"), "fail", "NUL in XML",
        "malformed XML")
    put("xml_surrogate_ref.xml", efetch_xml(1).replace(b"IVIG reduced", b"IVIG &#xD800; reduced"), "fail",
        "character reference to a lone surrogate", "malformed XML")
    put("xml_wrong_encoding.xml",
        efetch_xml(1).replace(b'<?xml version="1.0" ?>', b'<?xml version="1.0" encoding="UTF-16"?>'),
        "fail", "declares UTF-16, is UTF-8")
    no_abstract = efetch_xml(2).replace(b"<AbstractText", b"<Other").replace(b"</AbstractText", b"</Other")
    put("xml_no_abstract.xml", no_abstract, "fail", "efetch whose articles have no abstract",
        "no PubMed article with an abstract")
    put("xml_bad_pmid.xml", efetch_xml(2).replace(b"<PMID Version=\"1\">70", b"<PMID Version=\"1\">x70"),
        "fail", "efetch with non-numeric PMIDs", "no PubMed article")
    put("xml_unknown_root.xml", b'<?xml version="1.0"?>\n<catalog><book id="1">Text</book></catalog>\n',
        "fail", "XML no loader knows", "unrecognised format")
    deep_inline = b"<i>" * 100_000 + b"IVIG" + b"</i>" * 100_000 + b" reduced"
    put("xml_deep.xml", efetch_xml(1, first=7300000).replace(b"IVIG reduced", deep_inline),
        "ingest", "100,000 nested inline elements in an abstract (read without recursion)")
    put("medquad_no_answers.xml", medquad_xml("Document").replace(
        b"<Answer>", b"<Answer/><Ignored>").replace(b"</Answer>", b"</Ignored>"),
        "none", "MedQuAD file without an answered question (normal; 7 in the real set)")
    put("medquad_no_source.xml", medquad_xml("Document").replace(b' source="GHR"', b""), "fail",
        "MedQuAD without a source attribute", "unrecognised format")

    # Invalid UTF-8 in every text format --------------------------------------------------------------
    latin1 = "Café au lait spots and naïve questions. ".encode("latin-1") * 20
    # A Latin-1 file fails detection (no loader claims it), so its reason is "unrecognised format"
    put("bad_utf8.txt", b"IVIG notes\n" + latin1, "fail", "Latin-1 text", "unrecognised format")
    put("bad_utf8.md", b"# IVIG\n\n" + latin1, "fail", "Latin-1 Markdown", "not valid UTF-8")
    put("bad_utf8_late.txt", b"IVIG notes. " * 1000 + b"\xff\xfe\xfd", "fail",
        "invalid byte after the 4 KiB sniff window", "not valid UTF-8")
    put("bad_utf8_surrogate.md", b"# IVIG\n\nencoded surrogate \xed\xa0\x80 here\n", "fail",
        "UTF-8-encoded surrogate (CESU)", "not valid UTF-8")
    put("bad_utf8_overlong.txt", b"overlong slash \xc0\xaf here and more words\n", "fail", "overlong UTF-8",
        "unrecognised format")
    put("bad_utf8.jsonl", b'{"id": "x", "title": "t\xff", "kind": "research", "text": "caf\xe9"}\n' * 3, "fail",
        "JSONL whose lines are not UTF-8", "unrecognised format")
    put("bad_utf8.json", b'{"1": {"CONTEXTS": ["caf\xe9"], "LONG_ANSWER": "x"}}', "fail",
        "PubMedQA JSON not UTF-8", "not valid UTF-8")
    put("bad_utf8.html", b"<html><body><p>Caf\xe9 au lait spots are harmless.</p></body></html>", "ingest",
        "HTML in a legacy encoding (decoded by guessing, as browsers do)")
    put("bad_utf16.txt", b"\xff\xfe" + "IVIG notes".encode("utf-16-le") + b"\x00\xd8\x41\x00", "fail",
        "UTF-16 with a lone surrogate", "invalid UTF-16")
    put("utf16_no_bom.txt", "IVIG notes about dosing".encode("utf-16-le"), "fail", "UTF-16 without a BOM",
        "unrecognised format")

    # Zero-byte files with every extension -------------------------------------------------------------
    for ext in ("txt", "md", "markdown", "html", "htm", "xhtml", "json", "jsonl", "ndjson", "xml", "pdf", "csv",
                "text", ""):
        name = f"empty.{ext}" if ext else "empty_no_extension"
        put(name, b"", "fail", f"zero bytes .{ext}", "empty file")
    put("whitespace.txt", b" \n\t\r\n   \n", "fail", "only whitespace", "empty file")
    put("whitespace.md", "\u00a0 \u2003\n\n".encode(), "fail", "only Unicode spaces", "empty file")
    put("bom_only.txt", b"\xef\xbb\xbf", "fail", "only a BOM", "empty file")

    # NUL bytes ------------------------------------------------------------------------------------
    put("nul_head.txt", b"IVIG\x00notes\x00" * 10, "fail", "NULs in the first 4 KiB", "unrecognised format")
    put("nul_late.txt", b"IVIG notes. " * 1000 + b"\x00\x00", "fail", "NULs after the sniff window", "NUL")
    put("nul.md", b"# Title\n\n" + b"text " * 1000 + b"\x00", "fail", "NUL in Markdown", "NUL")
    put("nul.html", b"<html><body><p>" + b"text " * 10 + b"\x00</p></body></html>", "fail", "NUL in HTML",
        "unrecognised format")
    put("nul.jsonl", b'{"id": "a", "title": "t", "kind": "research", "text": "x\x00y"}\n', "fail",
        "raw NUL inside a JSON string", "unrecognised format")
    put("random.bin", bytes(rng.randrange(256) for _ in range(8192)), "fail", "random bytes",
        "unrecognised format")
    put("random.txt", bytes(rng.randrange(256) for _ in range(8192)), "fail", "random bytes named .txt",
        "unrecognised format")

    # Huge single lines: each must be handled in linear time ------------------------------------------
    put("huge_line.jsonl", b'{"id": "h", "title": "t", "kind": "research", "text": "'
        + b"ivig " * (HUGE_LINE_BYTES // 5) + b'"}\n', "fail", "20 MB JSONL line", "longer than")
    put("huge_line_bad_end.txt", b"ivig dose " * (HUGE_LINE_BYTES // 10) + b"\xff", "fail",
        "20 MB line of text ending in an invalid byte", "not valid UTF-8")
    put("huge_line_script.html", b"<html><body><script>" + b"var a=1;" * (HUGE_LINE_BYTES // 8)
        + b"</script></body></html>", "fail", "20 MB one-line HTML of script only", "no text found")
    put("huge_over_limit.md", b"# Big\n\n" + b"x" * (33 * 1024 * 1024), "fail", "33 MB Markdown (over 32 MiB)",
        "file too large")
    put("long_line_ok.txt", b"Immunoglobulin infusion advice for adults. " * 25_000, "ingest",
        "1 MB single line of prose (a legitimate document)")

    # Wrong extensions (content decides; the extension only breaks ties) --------------------------------
    put("pdf_named.json", good_pdf, "ingest", "PDF bytes named .json")
    put("pubmedqa_named.pdf", pqal_json({"9100001": pqal_entry()}), "ingest", "PubMedQA JSON named .pdf")
    put("efetch_named.txt", efetch_xml(1, first=7400000), "ingest", "efetch XML named .txt")
    put("html_named.json", b"<!DOCTYPE html><html><body><h1>IVIG</h1><p>Advice on IVIG.</p></body></html>",
        "ingest", "HTML named .json")
    put("json_named.pdf", b'{"name": "not a document", "n": [1, 2, 3]}', "fail", "JSON of no known shape .pdf",
        "unrecognised format")
    put("xml_named.txt", b"<note><to>You</to><msg>Plain XML</msg></note>", "fail", "XML of no known shape .txt",
        "unrecognised format")
    put("jsonl_named.md", jsonl_bytes([jsonl_record(20)]), "ingest", "JSONL named .md")

    # PDFs ----------------------------------------------------------------------------------------------
    put("encrypted.pdf", encrypted_pdf(good_pdf, "secret"), "fail", "RC4 encrypted with a user password",
        "encrypted PDF")
    put("encrypted_aes256.pdf", aes256_claimed_pdf(good_pdf), "fail", "claims AES-256 encryption", "PDF")
    put("truncated.pdf", good_pdf[:300], "fail", "PDF cut at 300 bytes", "PDF")
    put("truncated_late.pdf", good_pdf[: len(good_pdf) * 3 // 4], "fail", "PDF cut at 75%", "PDF")
    put("header_only.pdf", b"%PDF-1.7\n", "fail", "nothing but the header", "PDF")
    put("junk.pdf", b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000)), "fail",
        "random bytes after a PDF header", "PDF")
    put("junk_pdf_named.txt", b"%PDF-1.4\n" + b"garbage " * 100, "fail", "broken PDF named .txt", "PDF")
    put("no_text.pdf", blank_pdf(), "fail", "a page with no text", "no extractable text")
    put("page_tree_loop.pdf", pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
    ]), "fail", "page tree that contains itself", "PDF")
    bomb = deflate_bomb(80 * 1024 * 1024)  # over pypdf's 75 MB output limit
    put("flate_bomb.pdf", pdf_from_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream",
    ]), "fail", "80 MB of spaces deflated into 80 KB", "PDF")

    # JSON of the wrong shape ----------------------------------------------------------------------------
    put("shape_list.json", b"[1, 2, 3]", "fail", "a JSON list", "unrecognised format")
    put("shape_number.json", b"42", "fail", "a JSON number", "unrecognised format")
    put("shape_string.json", b'"IVIG is a treatment"', "fail", "a JSON string", "unrecognised format")
    put("shape_object.json", b'{"title": 5, "text": ["a"], "kind": null}', "fail", "object of wrong types",
        "unrecognised format")
    put("shape_pqal_wrong_types.json", pqal_json({
        "9200001": {"CONTEXTS": "not a list", "LONG_ANSWER": "x"},
        "9200002": {"CONTEXTS": [1, 2], "LONG_ANSWER": "x"},
        "9200003": {"CONTEXTS": ["ok"], "LABELS": ["A", "B"], "LONG_ANSWER": "x"},
        "9200004": {"CONTEXTS": ["ok"], "LONG_ANSWER": 7},
        "9200005": {"CONTEXTS": ["ok"], "LONG_ANSWER": "x", "YEAR": "last year"},
        "9200006": {"CONTEXTS": ["ok"], "LONG_ANSWER": "x", "MESHES": "Immunoglobulins"},
        "not-a-pmid": pqal_entry(),
        "9200007": ["CONTEXTS"],
        "9200008": {"CONTEXTS": [""], "LONG_ANSWER": ""},
    }), "fail", "PubMedQA-shaped, every entry of wrong types", "no usable PubMedQA entry")
    put("shape_pqal_some_bad.json", pqal_json({
        "9300001": pqal_entry(),
        "9300002": {"CONTEXTS": "not a list"},
        "9300003": {"CONTEXTS": ["ok"], "LONG_ANSWER": "x", "YEAR": True},
    }), "partial", "PubMedQA-shaped, one good entry and two bad")
    put("shape_pqal_truncated.json", pqal_json({"9400001": pqal_entry(), "9400002": pqal_entry()})[:150], "fail",
        "PubMedQA JSON cut short", "invalid JSON")
    put("shape_pqal_huge_int.json", b'{"9500001": {"CONTEXTS": ["x y z"], "LONG_ANSWER": "w", "YEAR": '
        + b"9" * 5000 + b"}}", "fail", "an integer of 5,000 digits", "")
    put("shape_pqal_not_object.json", b'{"9600001": {"CONTEXTS": ["x"]}} trailing', "fail",
        "PubMedQA JSON with trailing garbage", "invalid JSON")
    put("shape_pqal_surrogate.json", b'{"9700001": {"CONTEXTS": ["bad \\ud800 escape"], "LONG_ANSWER": "x"}}',
        "fail", "PubMedQA JSON with a lone-surrogate escape", "no usable PubMedQA entry")

    # JSONL --------------------------------------------------------------------------------------------------
    put("jsonl_all_bad.jsonl", b"".join(b"{not json %d\n" % i for i in range(30)), "fail",
        "30 lines of broken JSON", "unrecognised format")
    put("jsonl_wrong_types.jsonl", jsonl_bytes([
        jsonl_record(30, title=5),
        jsonl_record(31, kind="opinion"),
        jsonl_record(32, text=""),
        jsonl_record(33, id=None),
        jsonl_record(34, year="soon"),
        jsonl_record(35, metadata=[1, 2]),
        [1, 2, 3],
        "a string",
    ]), "fail", "JSONL of wrong field types", "no valid document line")
    put("jsonl_arrays.jsonl", b"[1, 2]\n[3, 4]\n", "fail", "JSONL of arrays", "unrecognised format")
    put("jsonl_mixed.jsonl", jsonl_bytes([jsonl_record(40), {"id": "x"}, jsonl_record(41, kind="opinion")]),
        "partial", "one good line, two bad")
    put("jsonl_surrogate.jsonl", b'{"id": "s1", "title": "t\\udfff", "kind": "research", "text": "'
        + b"Lone surrogate \\ud800 escape in otherwise fine text about IVIG. " * 2 + b'"}\n',
        "fail", "a lone-surrogate escape on the only line", "surrogate")
    put("jsonl_surrogate_mixed.jsonl", jsonl_bytes([jsonl_record(42)]) + b'{"id": "s2", "title": "t", '
        b'"kind": "research", "text": "bad \\ud800 escape"}\n', "partial", "one good line, one lone surrogate")
    put("jsonl_odd_ids.jsonl", jsonl_bytes([
        jsonl_record(50, id="odd\u0000id\u202e#1\n"),
        jsonl_record(51, id="x" * 10_000),
        jsonl_record(52, url="javascript:alert(1)", source="<script>alert(1)</script>"),
    ]), "ingest", "ids with NUL, RTL override, '#', newline; a 10,000-char id; script in fields")

    # Deeply nested JSON ---------------------------------------------------------------------------------
    depth = 200_000
    put("deep.json", b'{"9800001": {"CONTEXTS": ' + b"[" * depth + b"]" * depth + b"}}", "fail",
        "PubMedQA-shaped, nested 200,000 deep", "nested too deeply")
    put("deep_list.json", b"[" * depth + b"]" * depth, "fail", "a list nested 200,000 deep",
        "unrecognised format")
    put("deep.jsonl", b'{"id": "d", "title": "t", "kind": "research", "text": "x", "metadata": '
        + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"}\n", "fail", "a JSONL line nested 100,000 deep",
        "nested too deeply")

    # HTML and Markdown without text ------------------------------------------------------------------
    put("script_only.html", b"<html><head><style>p{}</style></head><body><script>alert(1)</script>"
        b"<style>body{}</style><noscript>x</noscript></body></html>", "fail", "HTML of only script/style",
        "no text found")
    put("comment_only.html", b"<!DOCTYPE html><html><body><!-- nothing here --></body></html>", "fail",
        "HTML of only a comment", "no text found")
    put("deep.html", b"<html><body>" + b"<div>" * 100_000 + b"Deep text about IVIG." + b"</div>" * 100_000
        + b"</body></html>", "ingest", "HTML nested 100,000 deep (read without recursion)")
    put("headings_only.md", b"# One\n\n## Two\n\n### Three\n\nSetext\n======\n\nAnother\n-------\n", "fail",
        "Markdown of only headings", "no text found")
    put("deep_heading.md", b"# One\n\n#### Four\n", "ingest", "a level-4 heading stays as text (documented)")
    put("script_only.md", b"# Page\n\n<script>alert(1)</script>\n\n<!-- comment -->\n", "fail",
        "Markdown of only a heading, a script and a comment", "no text found")
    put("front_matter_only.md", b"---\ntitle: Empty\n---\n", "fail", "Markdown of only front matter",
        "no text found")
    put("unclosed_script.md", b"# Page\n\nVisible text about IVIG.\n\n<script>" + b"x" * 100_000,
        "ingest", "an unclosed <script> runs to the end (removed)")

    # Names, links and special files ----------------------------------------------------------------------
    put("ctrl\x01\x1b[31mred\x07.txt", b"\x00\x01\x02", "fail", "control characters and ANSI escape in the name",
        "unrecognised format")
    put("evil\u202etxt.exe.md", b"", "fail", "RTL override in the name", "empty file")
    put("new\nline.jsonl", b"{broken\n", "fail", "newline in the name", "")
    put("name with spaces & 'quotes'.txt", b"\xff\xfe\xfd", "fail", "spaces and quotes in the name", "")
    put(os.fsdecode(b"latin1_caf\xe9.txt"), b"Notes on IVIG infusion dosing for adults.\n", "fail",
        "a name that is not UTF-8 (a Latin-1 file name)", "file name is not valid UTF-8")
    put(os.fsdecode(b"latin1_bad_\xff.jsonl"), b"{broken\n", "fail", "a non-UTF-8 name and a bad file", "")
    put("dir.txt/inner_bad.pdf", b"%PDF-1.4\ntruncated", "fail", "a folder named like a file", "PDF")
    put(".hidden_bad.txt", b"\x00\x00", "unlisted", "hidden file (documented: left out)")
    put("README.md", b"# Readme\n\nAbout this folder.\n", "unlisted", "README (documented: left out)")
    nested = folder / "nest" / "a" / "b"
    nested.mkdir(parents=True, exist_ok=True)
    (folder / "nest" / "a" / "loop").symlink_to("..", target_is_directory=True)
    cases.append(Case("nest/a/loop", "fail", "directory symlink loop (symlinked folders are not followed)",
                      "symlinked folder"))
    (folder / "self_loop").symlink_to(folder, target_is_directory=True)
    cases.append(Case("self_loop", "fail", "symlink to the folder itself", "symlinked folder"))
    put("nest/a/b/deep_empty.md", b"", "fail", "an empty file under the loop", "empty file")
    (folder / "file_loop_a.txt").symlink_to("file_loop_b.txt")
    (folder / "file_loop_b.txt").symlink_to("file_loop_a.txt")
    cases.append(Case("file_loop_a.txt", "unlisted", "file symlink loop"))
    cases.append(Case("file_loop_b.txt", "unlisted", "file symlink loop"))
    (folder / "dangling.md").symlink_to("does-not-exist.md")
    cases.append(Case("dangling.md", "unlisted", "dangling symlink"))
    os.mkfifo(folder / "fifo.txt")
    cases.append(Case("fifo.txt", "unlisted", "a named pipe (opening it would block)"))
    if os.geteuid() != 0:  # root reads anything: the case only means something for a normal user
        put("unreadable.txt", b"Notes on IVIG.\n", "fail", "mode 000", "cannot read")
        os.chmod(folder / "unreadable.txt", 0)
    return cases


def hostile_bytes(rng: random.Random, size: int) -> bytes:
    """Random bytes biased towards what breaks parsers: format headers, brackets, quotes, NULs, UTF-8 leads."""
    pieces = [b"%PDF-1.4\n", b"<?xml ", b"<PubmedArticleSet>", b"<Document source='GHR'>", b"<Focus>", b"{",
              b"}", b"[", b"]", b'"', b"\\u", b"\\ud800", b"\x00", b"\xff", b"\xc3", b"\xed\xa0\x80", b"\n",
              b"# ", b"<script>", b"&", b";", b"CONTEXTS", b'"CONTEXTS": ', b"<html>", b"\xef\xbb\xbf",
              b"\xff\xfe"]
    out = bytearray()
    while len(out) < size:
        if rng.random() < 0.3:
            out += rng.choice(pieces)
        else:
            out += bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
    return bytes(out[:size])
