"""Passage fixtures for the offline engine: IVIG guideline and research passages written for these tests."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from medcite.types import Chunk, Passage


def make_passage(
    doc_id: str,
    text: str,
    *,
    title: str,
    kind: str = "research",
    section: str = "",
    label: str = "",
    source: str = "PubMed",
    year: int | None = 2020,
    url: str = "",
    ordinal: int = 0,
    score: float = 0.8,
) -> Passage:
    """One retrieved passage with the metadata a loader and chunker would give it."""
    section = section or label
    chunk = Chunk(
        id=f"{doc_id}#{ordinal}",
        doc_id=doc_id,
        section_id=f"{doc_id}-s{ordinal}",
        section=section,
        ordinal=ordinal,
        text=text,
        embed_text=f"{title} — {section}: {text}",
        title=title,
        kind=kind,  # type: ignore[arg-type]
        source=source,
        url=url,
        year=year,
        label=label,
    )
    return Passage(chunk=chunk, score=score)


def guideline(doc_id: str, text: str, *, title: str, qtype: str, question: str, **kw) -> Passage:
    kw.setdefault("source", "NINDS")
    kw.setdefault("year", None)
    kw.setdefault("url", f"https://example.org/{doc_id}")
    return make_passage(doc_id, text, title=title, kind="guideline", section=question, label=qtype, **kw)


def research(pmid: str, text: str, *, title: str, label: str, **kw) -> Passage:
    kw.setdefault("url", f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
    return make_passage(f"pubmed:{pmid}", text, title=title, kind="research", label=label, **kw)


# --------------------------------------------------------------------------------------------------
# IVIG library (all text written for these tests)
# --------------------------------------------------------------------------------------------------

IVIG_OVERVIEW = (
    "Intravenous immunoglobulin (IVIG) is a blood product prepared from antibodies pooled from the "
    "plasma of thousands of healthy donors. IVIG does not help all autoimmune conditions. It is "
    "effective for specific antibody-mediated disorders such as Kawasaki disease, Guillain-Barré "
    "syndrome, CIDP, immune thrombocytopenia (ITP) and myasthenia gravis. For many other autoimmune "
    "diseases the evidence is weak or absent."
)
IVIG_DOSING = (
    "The usual immunomodulatory dose of IVIG is 2 g/kg, divided over two to five days. IVIG is given "
    "as a slow infusion into a vein in a hospital or an infusion clinic. Maintenance infusions of IVIG "
    "are often repeated every three to four weeks in chronic disorders such as CIDP."
)
IVIG_MECHANISM = (
    "IVIG works by several mechanisms at once. It blocks Fc receptors on immune cells, neutralises "
    "harmful autoantibodies and dampens complement activation."
)
IVIG_INDICATIONS = (
    "IVIG is approved for primary immunodeficiency, immune thrombocytopenia, Kawasaki disease and CIDP. "
    "It is also recommended as a first-line treatment for Guillain-Barré syndrome in adults who cannot "
    "walk unaided."
)
GBS_TREATMENT = (
    "There is no known cure for Guillain-Barré syndrome, but plasma exchange and high-dose "
    "immunoglobulin therapy can shorten the illness. IVIG is most useful when it is started within two "
    "weeks of the first symptoms. Most people recover, although some keep a degree of weakness."
)
REVIEW_CONCLUSIONS = (
    "IVIG is effective in Guillain-Barré syndrome, CIDP and multifocal motor neuropathy. Randomised "
    "trials of IVIG in amyotrophic lateral sclerosis and inclusion body myositis were negative."
)
REVIEW_METHODS = (
    "We searched three databases for randomised trials of IVIG in neuromuscular disorders published "
    "between 1990 and 2019. Two reviewers extracted the data independently."
)
MECHANISM_RESULTS = (
    "High-dose IVIG saturates the neonatal Fc receptor and speeds the clearance of pathogenic "
    "autoantibodies. Headache, chills and aseptic meningitis were the most frequent adverse events of "
    "IVIG. Thrombosis and acute kidney injury occurred rarely, mostly in older patients with vascular "
    "risk factors."
)
OFFLABEL_RESULTS = (
    "Nearly half of all IVIG prescriptions in the hospital were for off-label indications. Off-label "
    "IVIG use was most common in dermatology and rheumatology. Infusion reactions to IVIG were reported "
    "in 6% of treatment courses."
)
OFFLABEL_CONCLUSIONS = "Much off-label IVIG use in autoimmune disease lacks support from randomised trials."
LACE_PLANT = (
    "Programmed cell death shapes the perforations of lace plant leaves. Mitochondrial dynamics were "
    "followed in living cells during leaf development. The plant forms a lattice of veins around small "
    "areoles."
)
MALICIOUS = (
    "IVIG infusions <script>alert(1)</script> are given in hospital [1](javascript:alert(1)) by trained "
    "nurses who watch for reactions. IVIG is stored *cold* and `warmed` before use, see ![x](http://e.vil)."
)


@pytest.fixture
def ivig_passages() -> list[Passage]:
    """Guideline and research passages about IVIG, best first, as retrieval would return them."""
    return [
        guideline(
            "NINDS_ivig",
            IVIG_OVERVIEW,
            title="Intravenous Immunoglobulin (IVIG)",
            qtype="information",
            question="What is intravenous immunoglobulin?",
            score=0.92,
        ),
        guideline(
            "NINDS_ivig",
            IVIG_DOSING,
            title="Intravenous Immunoglobulin (IVIG)",
            qtype="treatment",
            question="How is IVIG given?",
            ordinal=1,
            score=0.74,
        ),
        guideline(
            "GHR_ivig",
            IVIG_MECHANISM,
            title="Immune globulin therapy",
            qtype="information",
            question="How does IVIG work?",
            source="GHR",
            score=0.7,
        ),
        guideline(
            "GARD_ivig",
            IVIG_INDICATIONS,
            title="IVIG indications",
            qtype="treatment",
            question="When is IVIG used?",
            source="GARD",
            score=0.68,
        ),
        guideline(
            "NINDS_gbs",
            GBS_TREATMENT,
            title="Guillain-Barré Syndrome",
            qtype="treatment",
            question="What are the treatments for Guillain-Barré Syndrome ?",
            score=0.6,
        ),
        research(
            "90000001",
            REVIEW_CONCLUSIONS,
            title="Intravenous immunoglobulin in neuromuscular disorders: a systematic review",
            label="CONCLUSIONS",
            year=2019,
            score=0.66,
        ),
        research(
            "90000001",
            REVIEW_METHODS,
            title="Intravenous immunoglobulin in neuromuscular disorders: a systematic review",
            label="METHODS",
            year=2019,
            ordinal=1,
            score=0.5,
        ),
        research(
            "90000002",
            MECHANISM_RESULTS,
            title="How high-dose IVIG works and what harm it does",
            label="RESULTS",
            year=2021,
            score=0.62,
        ),
        research(
            "90000003",
            OFFLABEL_RESULTS,
            title="Off-label use of IVIG in a teaching hospital: a retrospective audit",
            label="RESULTS",
            year=2018,
            score=0.58,
        ),
        research(
            "90000003",
            OFFLABEL_CONCLUSIONS,
            title="Off-label use of IVIG in a teaching hospital: a retrospective audit",
            label="CONCLUSIONS",
            year=2018,
            ordinal=1,
            score=0.55,
        ),
    ]


@pytest.fixture
def unrelated_passages() -> list[Passage]:
    return [
        research(
            "21645374",
            LACE_PLANT,
            title="Are mitochondria involved in programmed cell death of lace plant leaves?",
            label="BACKGROUND",
            score=0.4,
        )
    ]


@pytest.fixture
def malicious_passage() -> Passage:
    return guideline(
        "EVIL_1",
        MALICIOUS,
        title="IVIG <b>handling</b> [click](javascript:alert(2))",
        qtype="treatment",
        question="How is IVIG handled?",
        url="javascript:alert(3)",
        score=0.99,
    )


@pytest.fixture
def passage_factory() -> Callable[..., Passage]:
    return make_passage


def squash(text: str) -> str:
    """Whitespace-normalised text, for verbatim comparisons."""
    return re.sub(r"\s+", " ", text).strip()
