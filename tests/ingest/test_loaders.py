"""Tests for the document loaders, the format registry and the corpus manifest."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from medcite.ingest.loaders import LOADERS, detect_format, iter_files, load_file, parse_pubmed_xml
from medcite.ingest.loaders import jsonl as jsonl_module
from medcite.ingest.loaders import text as text_module
from medcite.ingest.loaders.base import LoaderError, LoadOptions
from medcite.ingest.manifest import apply_manifest, find_manifest, load_manifest
from medcite.types import Document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "loaders"
MEDQUAD = FIXTURES / "medquad"
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
REPO = Path(__file__).resolve().parents[2]


def load(path: Path, fmt: str | None = None, **options) -> tuple[list[Document], list[str]]:
    """All documents of one file and the skip reasons reported on the way."""
    skips: list[str] = []
    docs = list(load_file(path, fmt, LoadOptions(on_skip=skips.append, **options)))
    return docs, skips


def load_error(path: Path, fmt: str | None = None, **options) -> str:
    with pytest.raises(LoaderError) as info:
        load(path, fmt, **options)
    assert info.value.path == str(path)
    return info.value.reason


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal valid PDF, one Helvetica text line per string, one page per list."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    tree = add(b"")  # the page tree, filled in once its kids exist
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        ops += [
            "({}) Tj T*".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"))
            for line in lines
        ]
        stream = "\n".join([*ops, "ET"]).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (tree, content, font)
            )
        )
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % tree)
    info = add(b"<< /Title (%s) >>" % title.encode("latin-1")) if title else 0
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog) + (
        b" /Info %d 0 R" % info if info else b""
    )
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


GUIDELINE_PAGES = [
    [
        "Example Gout Guideline",
        "1 Introduction",
        "Gout is a common inflam-",
        "matory arthritis.",
        "Example Health Service",
        "1",
    ],
    [
        "Example Health Service",
        "2 Recommendations",
        "Offer colchicine for flares.",
        "Example Health Service",
        "2",
    ],
    [
        "Example Health Service",
        "TREATMENT OF FLARES",
        "Use an NSAID if there is no contraindication.",
        "Example Health Service",
        "3",
    ],
]


@pytest.fixture
def guideline_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "gout.pdf"
    path.write_bytes(make_pdf(GUIDELINE_PAGES, title="Gout: diagnosis and management"))
    return path


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Document id="1" source="GHR" url="u"><Focus>&lol3;</Focus><QAPairs/></Document>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Document id="1" source="GHR" url="u"><Focus>&secret;</Focus><QAPairs/></Document>
"""


@pytest.mark.unit
class TestRegistry:
    @pytest.mark.parametrize(
        ("relative", "expected"),
        [
            ("pubmedqa_ori_pqal.json", "pubmedqa"),
            ("medquad/3_GHR_QA/0000101.xml", "medquad"),
            ("medquad/6_NINDS_QA/0000301.xml", "medquad"),
            ("medquad/9_CDC_QA/0000401.xml", "medquad"),
            ("pubmed_efetch.xml", "pubmed-xml"),
            ("documents.jsonl", "jsonl"),
            ("guideline.md", "markdown"),
            ("page.html", "html"),
            ("notes.txt", "text"),
        ],
    )
    def test_detects_each_fixture(self, relative: str, expected: str) -> None:
        assert detect_format(FIXTURES / relative) == expected

    def test_registry_names(self) -> None:
        assert set(LOADERS) == {
            "pubmedqa",
            "medquad",
            "pubmed-xml",
            "jsonl",
            "pdf",
            "markdown",
            "html",
            "text",
        }
        assert all(loader.name == name for name, loader in LOADERS.items())

    def test_content_wins_over_a_wrong_extension(self, tmp_path: Path, guideline_pdf: Path) -> None:
        cases = {
            "report.txt": guideline_pdf.read_bytes(),
            "records.txt": (FIXTURES / "documents.jsonl").read_bytes(),
            "ghr.dat": (MEDQUAD / "3_GHR_QA" / "0000101.xml").read_bytes(),
            "efetch.json": (FIXTURES / "pubmed_efetch.xml").read_bytes(),
            "page.md": (FIXTURES / "page.html").read_bytes(),
        }
        expected = {
            "report.txt": "pdf",
            "records.txt": "jsonl",
            "ghr.dat": "medquad",
            "efetch.json": "pubmed-xml",
            "page.md": "html",
        }
        for name, data in cases.items():
            (tmp_path / name).write_bytes(data)
            assert detect_format(tmp_path / name) == expected[name], name

    def test_extension_breaks_ties_between_prose_formats(self, tmp_path: Path) -> None:
        content = b"# Dosing\n\nTake one tablet.\n"
        for name, expected in {"a.md": "markdown", "a.txt": "text", "a": "markdown"}.items():
            (tmp_path / name).write_bytes(content)
            assert detect_format(tmp_path / name) == expected
        (tmp_path / "badges.md").write_bytes(b"[![build](https://x/b.svg)](https://x)\n\nText.\n")
        assert detect_format(tmp_path / "badges.md") == "markdown"

    def test_unrecognised_content(self, tmp_path: Path) -> None:
        cases = {
            "blob.bin": bytes(range(256)) * 4,
            "latin1.txt": "Caf\xe9 au lait".encode("latin-1"),
            "data.xml": b"<?xml version='1.0'?><catalog><item/></catalog>",
            "pretty.json": b'{\n  "a": 1\n}\n',
        }
        for name, data in cases.items():
            (tmp_path / name).write_bytes(data)
            with pytest.raises(LoaderError) as info:
                detect_format(tmp_path / name)
            assert "unrecognised format" in info.value.reason
            assert "--format" in info.value.reason and "pubmed-xml" in info.value.reason

    def test_unknown_format_name_is_refused_at_call(self) -> None:
        with pytest.raises(LoaderError) as info:
            load_file(FIXTURES / "notes.txt", "docx", LoadOptions())
        assert "unknown format 'docx'" in info.value.reason
        assert "markdown" in info.value.reason

    def test_explicit_format_overrides_detection(self) -> None:
        docs, _ = load(FIXTURES / "guideline.md", "text", kind="guideline")
        assert [s.heading for s in docs[0].sections] == ["Text"]
        assert "# Example Asthma Guideline" in docs[0].sections[0].text

    def test_file_problems_are_loader_errors(self, tmp_path: Path) -> None:
        (tmp_path / "empty.txt").write_bytes(b"")
        assert load_error(tmp_path / "empty.txt") == "empty file"
        assert load_error(tmp_path / "empty.txt", "pdf") == "empty file"
        assert load_error(tmp_path / "missing.txt") == "no such file"
        assert load_error(tmp_path) == "is a directory"

    @pytest.mark.parametrize(
        ("exc", "reason"),
        [
            (KeyError("CONTEXTS"), "unexpected structure: missing 'CONTEXTS'"),
            (RecursionError("maximum recursion depth exceeded"), "nested too deeply to read"),
            (MemoryError(), "too large to load into memory"),
            (
                UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
                "not valid utf-8 text (byte offset 0)",
            ),
            (ValueError("odd\nsecond line"), "ValueError: odd"),
        ],
    )
    def test_unexpected_exceptions_are_wrapped(self, monkeypatch, exc: Exception, reason: str) -> None:
        def explode(path, options):
            yield from ()
            raise exc

        monkeypatch.setattr(LOADERS["text"], "load", explode)
        assert load_error(FIXTURES / "notes.txt", kind="guideline") == reason

    def test_iter_files_expands_folders_in_sorted_order(self, tmp_path: Path) -> None:
        for rel in [
            "b/2.txt",
            "b/1.md",
            "a.txt",
            "c/d/e.html",
            ".hidden/x.txt",
            "b/.secret.txt",
            "manifest.csv",
            "README.md",
            "b/LICENSE",
            "b/readme.txt",
            "LICENSE.txt",
        ]:
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text("text\n")
        (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
        found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
        assert found == ["a.txt", "b/1.md", "b/2.txt", "c/d/e.html"]

    def test_iter_files_keeps_named_files_and_drops_repeats(self, tmp_path: Path) -> None:
        (tmp_path / "README.md").write_text("# Read me\n")
        (tmp_path / "a.txt").write_text("a\n")
        found = list(
            iter_files([tmp_path / "README.md", tmp_path, tmp_path / "a.txt", tmp_path / "gone.txt"])
        )
        assert found == [tmp_path / "README.md", tmp_path / "a.txt", tmp_path / "gone.txt"]

    def test_real_shape_folder_loads_without_crashing(self, tmp_path: Path, guideline_pdf: Path) -> None:
        """A folder of good and hostile files: every file either loads or fails alone with a reason."""
        (tmp_path / "good.txt").write_text("Fine text.\n")
        (tmp_path / "nul.txt").write_bytes(b"text\x00with nul\n")
        (tmp_path / "bad.xml").write_bytes(b"<PubmedArticleSet><PubmedArticle>")
        (tmp_path / "lol.xml").write_bytes(BILLION_LAUGHS)
        (tmp_path / "bad.pdf").write_bytes(guideline_pdf.read_bytes()[:200])
        (tmp_path / "wrong.json").write_bytes(b'{"123": {"CONTEXTS": "not a list"}}')
        outcomes = {}
        for path in iter_files([tmp_path]):
            try:
                outcomes[path.name] = len(load(path, kind="guideline")[0])
            except LoaderError as exc:
                outcomes[path.name] = exc.reason
        assert outcomes == {
            "bad.pdf": "unreadable PDF: Stream has ended unexpectedly",
            "bad.xml": "malformed XML: no element found (line 1, column 33)",
            "good.txt": 1,
            "gout.pdf": 1,
            "lol.xml": "unsafe XML refused (EntitiesForbidden): entity declarations are not allowed",
            "nul.txt": "unrecognised format; use --format one of " + ", ".join(LOADERS),
            "wrong.json": "no usable PubMedQA entry (each needs CONTEXTS and LONG_ANSWER)",
        }


@pytest.mark.unit
class TestPubMedQALoader:
    def test_documents_sections_and_metadata(self) -> None:
        docs, skips = load(FIXTURES / "pubmedqa_ori_pqal.json")
        assert skips == []
        assert [d.id for d in docs] == ["pubmed:30000001", "pubmed:30000002", "pubmed:30000003"]
        first = docs[0]
        assert (first.kind, first.source, first.year) == ("research", "PubMed", 2015)
        assert first.url == "https://pubmed.ncbi.nlm.nih.gov/30000001/"
        # The QUESTION is an eval label, never the title: the first sentence of the abstract is.
        assert first.title == "Regular physical activity is advised for people with high blood pressure."
        assert [(s.id, s.heading, s.label) for s in first.sections] == [
            ("pubmed:30000001#s0", "Background", "BACKGROUND"),
            ("pubmed:30000001#s1", "Materials and Methods", "MATERIALS AND METHODS"),
            ("pubmed:30000001#s2", "Results", "RESULTS"),
            ("pubmed:30000001#s3", "Conclusions", "CONCLUSIONS"),
        ]
        assert (
            first.sections[3].text == "Daily walking lowered resting systolic blood pressure in older adults."
        )
        assert first.metadata["mesh"] == ["Aged", "Blood Pressure", "Walking"]
        assert first.metadata["pmid"] == "30000001"
        assert "final_decision" not in first.metadata and "question" not in first.metadata
        assert first.metadata["evidence_label"] == "Research abstract"

    def test_entry_without_question(self) -> None:
        docs, _ = load(FIXTURES / "pubmedqa_ori_pqal.json")
        second, third = docs[1], docs[2]
        assert "question" not in second.metadata and "final_decision" not in second.metadata
        assert second.title == "Vitamin D levels were measured in 98 children admitted with wheezing."
        assert second.year is None
        assert [(s.heading, s.label) for s in second.sections] == [
            ("Abstract", "UNLABELLED"),
            ("Conclusions", "CONCLUSIONS"),
        ]
        # a long first sentence is cut at a word boundary; an empty LONG_ANSWER adds no section
        assert len(third.title) <= 121 and third.title.endswith("…") and "  " not in third.title
        assert [s.label for s in third.sections] == ["OBJECTIVE", "RESULTS"]

    def test_wrong_entries_are_skipped(self, tmp_path: Path) -> None:
        path = tmp_path / "mixed.json"
        path.write_text(
            '{"1": {"CONTEXTS": ["Good."], "LABELS": ["RESULTS"], "LONG_ANSWER": "Yes."},'
            ' "2": ["not", "an", "object"], "3": {"LABELS": []},'
            ' "x4": {"CONTEXTS": ["a"], "LONG_ANSWER": "b"},'
            ' "5": {"CONTEXTS": ["a", "b"], "LABELS": ["ONE"], "LONG_ANSWER": "c"},'
            ' "6": {"CONTEXTS": ["a"], "LONG_ANSWER": "b", "YEAR": "soon"}}'
        )
        docs, skips = load(path)
        assert [d.id for d in docs] == ["pubmed:1"]
        assert skips == [
            "PMID 2: entry is a list, not an object",
            "PMID 3: CONTEXTS must be a list of strings",
            "PMID x4: key is not a numeric PMID",
            "PMID 5: LABELS must be a list of strings as long as CONTEXTS",
            "PMID 6: year must be a number, not 'soon'",
        ]

    def test_file_of_wrong_shape(self, tmp_path: Path) -> None:
        cases = {
            "list.json": (b'[{"CONTEXTS": []}]', "expected a JSON object keyed by PMID, found a list"),
            "trunc.json": (b'{"1": {"CONTEXTS": ["a"', "invalid JSON"),
            "none.json": (b'{"1": 5}', "no usable PubMedQA entry"),
            "bytes.json": (b'{"1": "\xff\xfe"}', "not valid UTF-8 JSON"),
            "deep.json": (b'{"1": ' + b"[" * 200_000 + b"]" * 200_000 + b"}", "nested too deeply to read"),
        }
        for name, (data, reason) in cases.items():
            (tmp_path / name).write_bytes(data)
            assert load_error(tmp_path / name, "pubmedqa").startswith(reason), name

    def test_sniff(self) -> None:
        loader = LOADERS["pubmedqa"]
        assert loader.sniff(Path("x.json"), (FIXTURES / "pubmedqa_ori_pqal.json").read_bytes()[:4096])
        assert not loader.sniff(Path("x.jsonl"), (FIXTURES / "documents.jsonl").read_bytes())
        assert not loader.sniff(Path("x.json"), b'{"1": {"id": 3}}')


@pytest.mark.unit
class TestMedQuADLoader:
    def test_document_layout(self) -> None:
        docs, _ = load(MEDQUAD / "3_GHR_QA" / "0000101.xml")
        [doc] = docs
        assert (doc.id, doc.title, doc.kind, doc.source, doc.year) == (
            "GHR_0000101",
            "Test syndrome",
            "guideline",
            "GHR",
            None,
        )
        assert doc.url == "https://ghr.example.org/condition/test-syndrome"
        # pairs 2 (whitespace-only answer) and 4 (empty answer) are left out
        assert [(s.id, s.heading, s.label) for s in doc.sections] == [
            ("GHR_0000101_Sec1", "What is (are) Test syndrome?", "information"),
            ("GHR_0000101_Sec3", "Is Test syndrome inherited?", "inheritance"),
        ]
        assert doc.sections[0].text == (
            "Test syndrome is an invented condition that affects the joints. People with it often report "
            "stiffness in the morning & tiredness.\n\nIt is described here only to exercise the loader."
        )
        assert doc.metadata == {
            "source_name": "Genetics Home Reference (NLM)",
            "evidence_label": "NIH consumer guideline (GHR)",
            "focus": "Test syndrome",
            "synonyms": ["TS", "Example-Sample syndrome"],
            "cuis": ["C9999001", "C9999002"],
            "semantic_types": ["T047"],
            "semantic_group": "Disorders",
            "question_types": ["information", "inheritance"],
            "medquad_id": "0000101",
        }

    def test_lower_case_doc_layout(self) -> None:
        [doc], _ = load(MEDQUAD / "6_NINDS_QA" / "0000301.xml")
        assert (doc.id, doc.title, doc.source) == ("NINDS_0000301", "Example Palsy", "NINDS")
        assert doc.url == "http://www.ninds.example.org/disorders/example_palsy.htm"
        assert [(s.id, s.heading, s.label) for s in doc.sections] == [
            ("NINDS_0000301_Sec1", "what is example palsy?", "information"),
            ("NINDS_0000301_Sec2", "what is the prognosis for Example Palsy?", "outlook"),
        ]
        assert doc.metadata["source_name"] == "National Institute of Neurological Disorders and Stroke"
        assert doc.metadata["cuis"] == [] and "semantic_group" not in doc.metadata

    def test_disease_file_layout(self) -> None:
        [doc], _ = load(MEDQUAD / "9_CDC_QA" / "0000401.xml")
        assert (doc.id, doc.title) == ("CDC_0000401", "Parasites - Example Worm")
        [section] = doc.sections
        assert (section.id, section.heading) == (
            "CDC_0000401_Sec2",
            "Who is at risk for Parasites - Example Worm?",
        )
        assert section.text == "Example worm infection\n\nPeople who eat undercooked fish are at risk."
        assert doc.metadata["source_name"] == "Centers for Disease Control and Prevention"

    def test_repeated_xml_ids_get_ids_from_file_names(self) -> None:
        [a], _ = load(MEDQUAD / "1_CancerGov_QA" / "0000201_1.xml")
        [b], _ = load(MEDQUAD / "1_CancerGov_QA" / "0000201_1_1.xml")
        assert (a.id, b.id) == ("CancerGov_0000201_1", "CancerGov_0000201_1_1")
        assert a.metadata["medquad_id"] == b.metadata["medquad_id"] == "0000201_1"
        assert [s.id for s in b.sections] == ["CancerGov_0000201_1_1_Sec1", "CancerGov_0000201_1_1_Sec2"]
        assert a.metadata["source_name"] == "National Cancer Institute (PDQ)"

    def test_crammed_bullets_become_lines(self) -> None:
        [doc], _ = load(MEDQUAD / "1_CancerGov_QA" / "0000201_1.xml")
        assert doc.sections[0].text == (
            "Key Points\n- Example Leukemia is an invented cancer of the blood.\n"
            "- It is used only in tests.\n"
            "- Signs include tiredness and fever.\n\nExample Leukemia is an invented cancer of the blood.\n"
            "It starts in the bone marrow."
        )
        assert doc.sections[1].text.endswith("the following:\n- Chemotherapy.\n- Watchful waiting.")

    def test_file_without_answers_yields_nothing(self) -> None:
        assert load(MEDQUAD / "5_NIDDK_QA" / "0000501.xml") == ([], [])

    def test_hostile_xml(self, tmp_path: Path) -> None:
        cases = {
            "lol.xml": (BILLION_LAUGHS, "unsafe XML refused"),
            "xxe.xml": (EXTERNAL_ENTITY, "unsafe XML refused"),
            "trunc.xml": ((MEDQUAD / "3_GHR_QA" / "0000101.xml").read_bytes()[:600], "malformed XML"),
            "other.xml": (
                b"<catalog source='x'><Focus/></catalog>",
                "not a MedQuAD document (root element <catalog>)",
            ),
            "nosource.xml": (
                b"<Document id='1'><Focus>x</Focus></Document>",
                "MedQuAD <Document> has no source",
            ),
            "deep.xml": (
                b"<Document source='GHR'>" + b"<a>" * 50000 + b"</a>" * 50000 + b"</Document>",
                None,
            ),
        }
        for name, (data, reason) in cases.items():
            (tmp_path / name).write_bytes(data)
            if reason is None:  # absurd nesting is read without recursion and simply has no answers
                assert load(tmp_path / name, "medquad") == ([], [])
            else:
                assert load_error(tmp_path / name, "medquad").startswith(reason), name


@pytest.mark.unit
class TestPubMedXMLLoader:
    def test_articles(self) -> None:
        docs, skips = load(FIXTURES / "pubmed_efetch.xml")
        assert [d.id for d in docs] == [
            "pubmed:38000001",
            "pubmed:38000002",
            "pubmed:38000003",
            "pubmed:38000005",
        ]
        assert skips == ["pubmed:38000004: no abstract"]
        assert all(d.url == f"https://pubmed.ncbi.nlm.nih.gov/{d.id[7:]}/" for d in docs)

    def test_guideline(self) -> None:
        guideline = load(FIXTURES / "pubmed_efetch.xml")[0][0]
        assert (guideline.kind, guideline.year, guideline.source) == (
            "guideline",
            2022,
            "Journal of Example Practice",
        )
        assert guideline.title == "Management of gout in primary care: a clinical practice guideline."
        assert [(s.id, s.heading, s.label) for s in guideline.sections] == [
            ("pubmed:38000001#s0", "Purpose", "OBJECTIVE"),
            ("pubmed:38000001#s1", "Recommendations", "CONCLUSIONS"),
        ]
        meta = guideline.metadata
        assert meta["evidence_label"] == "Practice Guideline"
        assert meta["journal_abbrev"] == "J Ex Pract"
        assert meta["authors"] == ["Example Guideline Group", "Rivera MJ"]
        assert meta["doi"] == "10.9999/jep.2022.001"
        assert meta["mesh"] == ["Gout", "Allopurinol"]
        assert meta["publication_types"] == ["Journal Article", "Practice Guideline"]

    def test_trial_with_structured_abstract_and_inline_markup(self) -> None:
        trial = load(FIXTURES / "pubmed_efetch.xml")[0][1]
        assert trial.kind == "research" and trial.year == 2019
        assert trial.metadata["evidence_label"] == "Randomized Controlled Trial"
        assert trial.metadata["doi"] == "10.9999/etj.2019.77"  # from ArticleIdList
        assert trial.title == "Colchicine versus placebo after acute gout flares: a randomised trial."
        assert [s.label for s in trial.sections] == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
        assert "low-dose colchicine or placebo" in trial.sections[1].text
        assert "(CO2 unrelated; r2=0.41)" in trial.sections[2].text
        assert "Copyright" not in trial.text

    def test_dates_and_unlabelled_abstracts(self) -> None:
        docs = load(FIXTURES / "pubmed_efetch.xml")[0]
        review, cohort = docs[2], docs[3]
        assert review.year == 1998  # MedlineDate "1998 Dec-1999 Jan"
        assert [(s.heading, s.label, s.text) for s in review.sections] == [
            (
                "Abstract",
                "",
                "Purines in red meat and seafood raise serum urate.\n\nDairy products may lower it.",
            ),
        ]
        assert review.metadata["evidence_label"] == "Review"
        assert cohort.year == 2024  # no PubDate year: the electronic ArticleDate
        assert [(s.heading, s.label) for s in cohort.sections] == [("Objective", "OBJECTIVE")]
        assert cohort.source == "Example Open Medicine" and cohort.metadata["journal_abbrev"] == ""

    def test_parse_pubmed_xml_for_efetch_replies(self) -> None:
        skips: list[str] = []
        docs = parse_pubmed_xml((FIXTURES / "pubmed_efetch.xml").read_bytes(), "efetch:gout", skips.append)
        assert len(docs) == 4 and skips == ["pubmed:38000004: no abstract"]
        assert {d.origin for d in docs} == {"efetch:gout"}
        assert parse_pubmed_xml(b"<PubmedArticleSet></PubmedArticleSet>", "efetch:none") == []
        book = (
            b"<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID>42</PMID></BookDocument>"
            b"</PubmedBookArticle></PubmedArticleSet>"
        )
        assert (
            parse_pubmed_xml(book, "q", skips.append) == []
            and skips[-1] == "pubmed:42: book records are not supported"
        )
        with pytest.raises(LoaderError) as info:
            parse_pubmed_xml(b"<eSearchResult><Count>0</Count></eSearchResult>", "efetch:bad")
        assert info.value.path == "efetch:bad" and "not PubMed XML" in info.value.reason
        with pytest.raises(LoaderError, match="malformed XML"):
            parse_pubmed_xml(b"<PubmedArticleSet><PubmedArticle>", "efetch:cut")

    def test_duplicates_and_articles_without_abstract_only(self, tmp_path: Path) -> None:
        data = (FIXTURES / "pubmed_efetch.xml").read_bytes()
        start, end = (
            data.index(b"<PubmedArticle>"),
            data.index(b"</PubmedArticle>") + len(b"</PubmedArticle>"),
        )
        article = data[start:end]
        twice = b"<PubmedArticleSet>" + article + article + b"</PubmedArticleSet>"
        skips: list[str] = []
        assert len(parse_pubmed_xml(twice, "x", skips.append)) == 1
        assert skips == ["pubmed:38000001: duplicate article"]
        letter = data[data.index(b"<PubmedArticle>", data.index(b"38000003")) :]
        (tmp_path / "letter.xml").write_bytes(
            b"<PubmedArticleSet>" + letter[: letter.index(b"</PubmedArticle>") + 16] + b"</PubmedArticleSet>"
        )
        assert load_error(tmp_path / "letter.xml") == "no PubMed article with an abstract"

    def test_entity_attack_refused(self) -> None:
        attack = BILLION_LAUGHS.replace(b"Document", b"PubmedArticleSet")
        with pytest.raises(LoaderError, match="unsafe XML refused"):
            parse_pubmed_xml(attack, "x")


@pytest.mark.unit
class TestJSONLLoader:
    def test_good_and_bad_lines(self) -> None:
        docs, skips = load(FIXTURES / "documents.jsonl", kind="guideline")
        assert [d.id for d in docs] == ["nice-ng100", "trial-7", "no-kind"]
        assert skips == [
            "line 3: invalid JSON (Expecting value)",
            "line 4: text is missing",
            "line 6: duplicate id 'nice-ng100'",
            "line 7: year must be a number, not 'last spring'",
            "line 8: kind must be one of guideline, research, not 'opinion'",
            "line 9: expected a JSON object, found list",
        ]

    def test_fields_and_sections(self) -> None:
        docs, _ = load(FIXTURES / "documents.jsonl", kind="guideline", source="Fallback")
        nice, trial, no_kind = docs
        assert (nice.title, nice.kind, nice.source, nice.year) == (
            "Example arthritis guideline",
            "guideline",
            "NICE",
            2021,
        )
        assert nice.url == "https://www.nice.example.org/ng100"
        assert nice.metadata == {}  # a free-form "National guideline" label is not the loader's to vouch for
        assert [(s.id, s.heading, s.text) for s in nice.sections] == [
            ("nice-ng100#s0", "Text", "Offer advice on exercise."),
            ("nice-ng100#s1", "Dosing", "Use the lowest effective dose."),
            ("nice-ng100#s2", "Monitoring", "Review every 6 months."),
        ]
        assert (trial.kind, trial.year, trial.source, trial.url) == ("research", 2018, "Fallback", "")
        assert [(s.id, s.heading) for s in trial.sections] == [("trial-7#s0", "Text")]
        assert (no_kind.kind, no_kind.metadata) == ("guideline", {})  # kind from options

    def test_kind_is_needed(self) -> None:
        docs, skips = load(FIXTURES / "documents.jsonl")
        assert [d.id for d in docs] == ["nice-ng100", "trial-7"]
        assert skips[-1] == "line 10: kind missing (set it on the line or pass --kind)"

    def test_file_without_valid_lines(self, tmp_path: Path) -> None:
        (tmp_path / "bad.jsonl").write_text('{"id": 1, "title": "t", "text": "x", "kind": "guideline"}\n[]\n')
        reason = load_error(tmp_path / "bad.jsonl")
        assert reason == "no valid document line (first problem: line 1: id is a int, not a string)"

    def test_binary_file_is_one_error_not_a_flood(self, tmp_path: Path) -> None:
        path = tmp_path / "blob.jsonl"
        path.write_bytes(b"\x00\xff garbage\n" * 5000)
        skips: list[str] = []
        with pytest.raises(LoaderError, match="not JSONL of documents"):
            list(load_file(path, "jsonl", LoadOptions(on_skip=skips.append)))
        assert skips == []

    def test_huge_line_is_skipped(self, tmp_path: Path, monkeypatch) -> None:
        monkeypatch.setattr(jsonl_module, "MAX_LINE_BYTES", 1000)
        good = '{"id": "a", "title": "A", "text": "Short.", "kind": "research"}\n'
        huge = '{"id": "b", "title": "B", "text": "' + "x" * 5000 + '", "kind": "research"}\n'
        (tmp_path / "big.jsonl").write_text(good + huge + good.replace('"a"', '"c"'))
        docs, skips = load(tmp_path / "big.jsonl")
        assert [d.id for d in docs] == ["a", "c"]
        assert skips == ["line 2: longer than 1,000 bytes"]

    def test_bom_and_blank_lines(self, tmp_path: Path) -> None:
        (tmp_path / "bom.jsonl").write_bytes(
            b'\xef\xbb\xbf{"id": "x", "title": "T", "text": "Body.", "kind": "research", "year": null}\n\n\n'
        )
        docs, skips = load(tmp_path / "bom.jsonl")
        assert [(d.id, d.year) for d in docs] == [("x", None)] and skips == []


@pytest.mark.unit
class TestPDFLoader:
    def test_text_title_and_sections(self, guideline_pdf: Path) -> None:
        [doc], _ = load(guideline_pdf, kind="guideline", root=guideline_pdf.parent)
        assert (doc.id, doc.title, doc.kind, doc.year, doc.source) == (
            "file:gout.pdf",
            "Gout: diagnosis and management",
            "guideline",
            None,
            "",
        )
        assert doc.metadata == {"format": "pdf", "file": "gout.pdf", "pages": 3}
        assert [(s.id, s.heading, s.text) for s in doc.sections] == [
            ("file:gout.pdf#s0", "Text", "Example Gout Guideline"),
            ("file:gout.pdf#s1", "1 Introduction", "Gout is a common inflammatory arthritis."),
            ("file:gout.pdf#s2", "2 Recommendations", "Offer colchicine for flares."),
            ("file:gout.pdf#s3", "TREATMENT OF FLARES", "Use an NSAID if there is no contraindication."),
        ]
        assert "Example Health Service" not in doc.text  # running footer removed

    def test_options_win(self, guideline_pdf: Path) -> None:
        [doc], _ = load(
            guideline_pdf,
            kind="research",
            title="Own title",
            source="EHS",
            year=2020,
            url="https://example.org/gout.pdf",
            doc_id="ehs-gout",
        )
        assert (doc.id, doc.title, doc.kind, doc.source, doc.year, doc.url) == (
            "ehs-gout",
            "Own title",
            "research",
            "EHS",
            2020,
            "https://example.org/gout.pdf",
        )
        assert doc.sections[0].id == "ehs-gout#s0"

    def test_title_falls_back_to_first_line(self, tmp_path: Path) -> None:
        path = tmp_path / "plain.pdf"
        path.write_bytes(
            make_pdf([["Short advice on sleep", "Keep a regular bedtime and avoid screens late."]])
        )
        [doc], _ = load(path, kind="guideline")
        assert doc.title == "Short advice on sleep"
        assert [s.heading for s in doc.sections] == ["Text"]

    def test_kind_required(self, guideline_pdf: Path) -> None:
        assert load_error(guideline_pdf) == (
            "kind unknown: pass --kind guideline|research or list the file in corpus/manifest.csv"
        )

    def test_encrypted(self, tmp_path: Path, guideline_pdf: Path) -> None:
        from pypdf import PdfReader, PdfWriter

        def encrypted(user_password: str) -> bytes:
            writer = PdfWriter(clone_from=PdfReader(guideline_pdf))
            writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
            buffer = io.BytesIO()
            writer.write(buffer)
            return buffer.getvalue()

        (tmp_path / "locked.pdf").write_bytes(encrypted("secret"))
        assert load_error(tmp_path / "locked.pdf", kind="guideline").startswith("encrypted PDF")
        (tmp_path / "open.pdf").write_bytes(encrypted(""))  # owner password only: readable by anyone
        [doc], _ = load(tmp_path / "open.pdf", kind="guideline")
        assert doc.title == "Gout: diagnosis and management"

    def test_scanned_and_broken(self, tmp_path: Path, guideline_pdf: Path) -> None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(612, 792)
        buffer = io.BytesIO()
        writer.write(buffer)
        (tmp_path / "scan.pdf").write_bytes(buffer.getvalue())
        assert load_error(tmp_path / "scan.pdf", kind="guideline") == "no extractable text (scanned PDF?)"
        (tmp_path / "cut.pdf").write_bytes(guideline_pdf.read_bytes()[:300])
        (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
        for name in ("cut.pdf", "junk.pdf"):
            assert load_error(tmp_path / name, kind="guideline"), name


@pytest.mark.unit
class TestMarkdownLoader:
    def test_sections_and_plain_text(self) -> None:
        [doc], _ = load(FIXTURES / "guideline.md", kind="guideline", root=FIXTURES)
        assert (doc.id, doc.title) == ("file:guideline.md", "Example Asthma Guideline")
        assert [(s.id, s.heading) for s in doc.sections] == [
            ("file:guideline.md#s0", "Example Asthma Guideline"),
            ("file:guideline.md#s1", "Diagnosis"),
            ("file:guideline.md#s2", "Dosing"),
        ]
        assert doc.sections[0].text == (
            "Asthma is a long-term condition of the airways. See the summary for an overview."
        )
        assert (
            doc.sections[1].text
            == "- Measure peak flow\n- Consider spirometry\n\n# a comment in code, not a heading"
        )
        assert "alert" not in doc.text and "**" not in doc.text and "](" not in doc.text

    def test_front_matter_title_and_setext(self, tmp_path: Path) -> None:
        path = tmp_path / "sub" / "note.md"
        path.parent.mkdir()
        path.write_bytes(
            b"\xef\xbb\xbf---\ntitle: 'Front title'\nauthor: x\n---\n"
            b"Intro text.\n\nSetext Heading\n---\n\nBody.\n"
        )
        [doc], _ = load(path, kind="research", root=tmp_path)
        assert doc.id == "file:sub/note.md"
        assert doc.title == "Front title"
        assert [(s.heading, s.text) for s in doc.sections] == [
            ("Text", "Intro text."),
            ("Setext Heading", "Body."),
        ]

    def test_bad_text(self, tmp_path: Path) -> None:
        cases = {
            "latin1.md": ("# Caf\xe9\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 at offset 5)"),
            "nul.md": (b"# A\x00B\n", "binary data (NUL bytes), not text"),
            "blank.md": (b"  \n\n\t\n", "empty file (only whitespace)"),
        }
        for name, (data, reason) in cases.items():
            (tmp_path / name).write_bytes(data)
            assert load_error(tmp_path / name, "markdown", kind="guideline").startswith(reason), name

    def test_pathological_lines_are_fast(self, tmp_path: Path) -> None:
        path = tmp_path / "long.md"
        path.write_text("# " + "a " * 200_000 + "\n" + "**x " * 100_000 + "\n" + "<script>" * 20_000 + "\n")
        started = time.perf_counter()
        [doc], _ = load(path, kind="guideline")
        assert time.perf_counter() - started < 5
        assert doc.sections[0].heading.startswith("a a a")


@pytest.mark.unit
class TestHTMLLoader:
    def test_text_only_sections(self) -> None:
        [doc], _ = load(FIXTURES / "page.html", kind="guideline", source="Example Health")
        assert (doc.id, doc.title, doc.source) == ("file:page.html", "Heart failure care", "Example Health")
        assert [(s.id, s.heading) for s in doc.sections] == [
            ("file:page.html#s0", "Heart failure care"),
            ("file:page.html#s1", "Treatment"),
            ("file:page.html#s2", "When to get help"),
        ]
        assert doc.sections[1].text == (
            "Medicines such as ACE inhibitors help.\nCut down on salt.\n\n"
            "- Weigh yourself daily\n- Take medicines as prescribed"
        )
        for unwanted in ("tracking", "injected", "font-family", "Home", "Copyright", "<main", "<p>"):
            assert unwanted not in doc.text
        # escaped markup in the page is text and stays text
        assert doc.sections[2].text.endswith("& feel breathless.\n\n<b>This is text, not markup</b>")

    def test_title_fallbacks_and_no_headings(self, tmp_path: Path) -> None:
        (tmp_path / "a.html").write_text(
            "<html><head><title> Page  title </title></head><body><p>One.</p>"
            "<table><tr><td>A</td><td>B</td></tr></table></body></html>"
        )
        [doc], _ = load(tmp_path / "a.html", kind="guideline")
        assert doc.title == "Page title"
        assert [(s.heading, s.text) for s in doc.sections] == [("Text", "One.\n\nA | B")]
        (tmp_path / "b.htm").write_bytes(b"<p>Only <i>a</i> fragment</p>")
        [doc], _ = load(tmp_path / "b.htm", kind="guideline")
        assert (doc.title, doc.text) == ("b", "Only a fragment")

    def test_page_without_text(self, tmp_path: Path) -> None:
        (tmp_path / "empty.html").write_text(
            "<html><body><script>x()</script><nav>Menu</nav><div hidden>secret</div>"
            '<span aria-hidden="true">icon</span><!-- note --></body></html>'
        )
        assert load_error(tmp_path / "empty.html", kind="guideline") == "no text found"

    def test_deep_nesting(self, tmp_path: Path) -> None:
        (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 20000 + "deep text" + "</div>" * 20000)
        started = time.perf_counter()
        [doc], _ = load(tmp_path / "deep.html", kind="guideline")
        assert doc.text == "deep text" and time.perf_counter() - started < 10


@pytest.mark.unit
class TestTextLoader:
    def test_paragraphs_in_one_section(self) -> None:
        [doc], _ = load(FIXTURES / "notes.txt", kind="guideline", root=FIXTURES.parent)
        assert (doc.id, doc.title, doc.kind) == (
            "file:loaders/notes.txt",
            "Hand hygiene advice for clinics",
            "guideline",
        )
        [section] = doc.sections
        assert (section.id, section.heading, section.label) == ("file:loaders/notes.txt#s0", "Text", "")
        assert section.text == (
            "Hand hygiene advice for clinics\n\nWash hands before and after every patient contact.\n\n"
            "- Use soap and water when hands are visibly dirty.\n- Use alcohol rub otherwise."
        )
        assert doc.origin == (FIXTURES / "notes.txt").resolve().as_posix()

    def test_encodings(self, tmp_path: Path) -> None:
        (tmp_path / "utf16.txt").write_bytes("Säure und Basen\n".encode("utf-16"))
        assert detect_format(tmp_path / "utf16.txt") == "text"
        assert load(tmp_path / "utf16.txt", kind="research")[0][0].title == "Säure und Basen"
        (tmp_path / "bad.txt").write_bytes(b"ok then \xff\xfe broken")
        assert load_error(tmp_path / "bad.txt", "text", kind="research").startswith(
            "not valid UTF-8 (byte 0xff"
        )
        (tmp_path / "ctrl.txt").write_bytes(b"Line\x07one\r\nline two\r\n")
        assert load(tmp_path / "ctrl.txt", kind="research")[0][0].text == "Line one line two"

    def test_long_title_and_size_limit(self, tmp_path: Path, monkeypatch) -> None:
        (tmp_path / "long.txt").write_text("word " * 100_000)
        [doc], _ = load(tmp_path / "long.txt", kind="research")
        assert len(doc.title) <= 121 and doc.title.endswith("…")
        monkeypatch.setattr(text_module, "MAX_TEXT_BYTES", 1024)
        assert load_error(tmp_path / "long.txt", kind="research").startswith("file too large")

    def test_bad_kind_from_options(self) -> None:
        reason = load_error(FIXTURES / "notes.txt", kind="opinion")
        assert reason == "kind must be one of guideline, research, not 'opinion'"


@pytest.mark.unit
class TestManifest:
    HEADER = "path,id,title,kind,source,year,url\n"

    def test_rows(self, tmp_path: Path) -> None:
        path = tmp_path / "manifest.csv"
        path.write_text(
            self.HEADER
            + 'guidelines/asthma.pdf,nice-ng245,"Asthma: diagnosis, monitoring",guideline,NICE,2024,https://nice.example.org/ng245\n'
            + "notes.txt,,,research,,,\n"
            + ",,,,,,\n"
        )
        rows = load_manifest(path)
        assert rows == {
            (tmp_path / "guidelines" / "asthma.pdf").resolve(): {
                "doc_id": "nice-ng245",
                "title": "Asthma: diagnosis, monitoring",
                "kind": "guideline",
                "source": "NICE",
                "year": 2024,
                "url": "https://nice.example.org/ng245",
            },
            (tmp_path / "notes.txt").resolve(): {"kind": "research"},
        }

    def test_partial_header_and_bom(self, tmp_path: Path) -> None:
        path = tmp_path / "manifest.csv"
        path.write_bytes(b"\xef\xbb\xbfpath,kind\r\na.md,guideline\r\n")
        assert load_manifest(path) == {(tmp_path / "a.md").resolve(): {"kind": "guideline"}}

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ("a.pdf,,,opinion,,,\n", "line 2: kind must be one of guideline, research, not 'opinion'"),
            ("a.pdf,,,,,twenty,\n", "line 2: year must be a number, not 'twenty'"),
            ("a.pdf,,,,,,ftp://x\n", "line 2: url must start with http:// or https://"),
            (",x,,,,,\n", "line 2: path is empty"),
            ("a.pdf,,,,,,,extra\n", "line 2: more cells than the 7 columns of the header"),
            ("a.pdf,x,,,,,\nb.pdf,x,,,,,\n", "line 3: id 'x' is already used on line 2"),
            ("a.pdf,,,,,,\n./a.pdf,,,,,,\n", "is already listed on line 2"),
        ],
    )
    def test_bad_rows(self, tmp_path: Path, body: str, message: str) -> None:
        path = tmp_path / "manifest.csv"
        path.write_text(self.HEADER + body)
        with pytest.raises(ValueError, match="manifest.csv: ") as info:
            load_manifest(path)
        assert message in str(info.value)

    @pytest.mark.parametrize("header", ["file,kind\n", "path,kind,colour\n", "path,kind,kind\n", ""])
    def test_bad_header(self, tmp_path: Path, header: str) -> None:
        path = tmp_path / "manifest.csv"
        path.write_text(header + "a.pdf,guideline\n" if header else "")
        with pytest.raises(ValueError, match="line 1: bad header|empty manifest"):
            load_manifest(path)

    def test_apply_and_find(self, tmp_path: Path) -> None:
        base = LoadOptions(kind="research", source="CLI", year=2001)
        merged = apply_manifest(base, {"kind": "guideline", "title": "T"})
        assert (merged.kind, merged.title, merged.source, merged.year) == ("guideline", "T", "CLI", 2001)
        assert base.kind == "research" and apply_manifest(base, None) is base
        assert find_manifest(tmp_path) is None
        (tmp_path / "manifest.csv").write_text(self.HEADER)
        assert find_manifest(tmp_path) == tmp_path / "manifest.csv"

    def test_repository_manifest_is_a_bare_header(self) -> None:
        path = REPO / "corpus" / "manifest.csv"
        assert path.read_text() == self.HEADER
        assert load_manifest(path) == {}

    def test_manifest_row_drives_a_load(self, tmp_path: Path) -> None:
        (tmp_path / "note.txt").write_text("Advice on fluids.\n")
        (tmp_path / "manifest.csv").write_text(self.HEADER + "note.txt,fluids-1,Fluids,guideline,WHO,2019,\n")
        rows = load_manifest(tmp_path / "manifest.csv")
        [path] = list(iter_files([tmp_path]))  # manifest.csv itself is not a document
        options = apply_manifest(LoadOptions(root=tmp_path), rows[path.resolve()])
        [doc] = list(load_file(path, None, options))
        assert (doc.id, doc.title, doc.kind, doc.source, doc.year) == (
            "fluids-1",
            "Fluids",
            "guideline",
            "WHO",
            2019,
        )


@pytest.mark.slow
class TestSharedData:
    """Acceptance checks on the real corpus in ../shared/data (skipped where it is absent)."""

    @pytest.fixture(autouse=True)
    def _needs_shared_data(self) -> None:
        if not SHARED_DATA.is_dir():
            pytest.skip(f"shared data not found at {SHARED_DATA}")

    def test_medquad_subsets(self) -> None:
        files = [p for p in iter_files([SHARED_DATA / "medquad"])]
        assert len(files) == 5497 and all(p.suffix == ".xml" for p in files)
        docs: list[Document] = []
        for path in files:
            assert detect_format(path) == "medquad", path
            docs.extend(load(path)[0])
        sections = [s for d in docs for s in d.sections]
        assert len(docs) == 5490
        assert len(sections) == 16423
        assert len({d.id for d in docs}) == len(docs)
        assert len({s.id for s in sections}) == len(sections)
        assert {d.source for d in docs} == {
            "CancerGov",
            "GARD",
            "GHR",
            "MPlusHealthTopics",
            "NIDDK",
            "NINDS",
            "NIHSeniorHealth",
            "NHLBI",
            "CDC",
        }
        assert all(s.text.strip() and s.heading for s in sections)

    def test_pubmedqa(self) -> None:
        docs, skips = load(SHARED_DATA / "pubmedqa" / "ori_pqal.json")
        assert skips == []
        assert len(docs) == 1000 and len({d.id for d in docs}) == 1000
        assert not any("question" in d.metadata or "final_decision" in d.metadata for d in docs)
        assert all(d.sections[-1].label == "CONCLUSIONS" for d in docs)
