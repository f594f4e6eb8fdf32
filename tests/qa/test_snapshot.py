"""Study snapshots and reference titles, on sentences quoted from PubMedQA abstracts (PMIDs named per test)."""

from __future__ import annotations

import pytest

from medcite.qa.snapshot import STRENGTH, StudySnapshot, is_real_title, snapshot
from medcite.qa.titles import merge_references, reference_key, reference_title, same_reference
from medcite.types import Chunk, Citation


def doc(*sections: tuple[str, str], title: str = "", pmid: str = "1", year: int | None = 2010,
        evidence_label: str = "Research abstract", kind: str = "research", source: str = "PubMed") -> list[Chunk]:
    """The chunks of one document, one per (label, text) section, as the chunker stores them."""
    doc_id = f"pubmed:{pmid}" if kind == "research" else pmid
    title = title or sections[0][1][:120]
    return [
        Chunk(id=f"{doc_id}#{i}", doc_id=doc_id, section_id=f"{doc_id}#s{i}", section=label.title(), ordinal=i,
              text=text, embed_text=text, title=title, kind=kind, source=source, year=year, label=label,  # type: ignore[arg-type]
              evidence_label=evidence_label)
        for i, (label, text) in enumerate(sections)
    ]


# --- design -----------------------------------------------------------------------------------------


def test_design_statement_in_a_design_section_makes_a_randomised_trial():  # PMID 19913785
    chunks = doc(
        ("BACKGROUND", "Little is known about whether a routinely inserted endoscopic nasobiliary drainage (ENBD) "
                       "tube improves the clinical course in patients with choledocholithiasis-induced acute "
                       "cholangitis after clearance of choledocholithiasis."),
        ("DESIGN", "Prospective, randomized study."),
        ("PATIENTS", "A total of 104 patients with choledocholithiasis-induced acute cholangitis who underwent "
                     "primary endoscopic treatment were compared according to insertion of an ENBD tube (51 in "
                     "the ENBD group and 53 in the no-ENBD group)."),
    )
    snap = snapshot(chunks)
    assert snap.design == "Randomised controlled trial"
    assert snap.strength == STRENGTH["Randomised controlled trial"]
    assert snap.participants == 104  # the enrolled total, not the 51 or 53 of one group
    assert snap.population == "patients with choledocholithiasis-induced acute cholangitis"


def test_background_design_words_about_other_studies_are_not_this_studys_design():
    chunks = doc(
        ("BACKGROUND", "Previous randomized trials have shown that dexamethasone shortens the course of croup."),
        ("METHODS", "We retrospectively reviewed the records of 31 children (20 boys, 11 girls; mean age 10.6 "
                    "years, range 1.1-17.9 years) with SCD and acute bone pain."),  # PMID 26209118
    )
    snap = snapshot(chunks)
    assert snap.design == "Retrospective study"
    assert (snap.participants, snap.noun) == (31, "children")


def test_a_self_describing_aim_sentence_in_the_background_names_the_design():  # PMID 19664156
    chunks = doc(
        ("BACKGROUND", "Web search engines are an important tool in communication and diffusion of knowledge. "
                       "The aim of this comparative cross-sectional study was to evaluate whether searching Google "
                       "with disease-related terms was effective in the identification and diagnosis of complex "
                       "immunological and allergic cases."),
        ("METHODS", "Forty-five case reports were randomly selected by an independent observer from "
                    "peer-reviewed medical journals."),
    )
    assert snapshot(chunks).design == "Cross-sectional study"  # not a case report, not randomised


def test_randomly_assigned_readers_do_not_make_a_trial():  # PMID 27078715
    chunks = doc(("METHODS", "A retrospective review of patients with nephrolithiasis was performed. Renal units "
                             "that did not undergo treatment were randomly assigned to two blinded readers."))
    assert snapshot(chunks).design == "Retrospective study"


def test_publication_type_comes_first_and_a_clinical_trial_can_be_made_randomised():
    text = ("METHODS", "Eighty-seven patients with typical trigeminal neuralgia were randomized to undergo "
                       "retrogasserian gamma knife radiosurgery.")  # PMID 11567820
    assert snapshot(doc(text, evidence_label="Meta-Analysis")).design == "Meta-analysis"
    assert snapshot(doc(text), {"publication_types": ["Journal Article", "Clinical Trial"]}).design == (
        "Randomised controlled trial")
    plain = ("METHODS", "Fifty RA patients were recruited from the Biologic Therapy Unit of our hospital.")
    assert snapshot(doc(plain), {"publication_types": ["Clinical Trial"]}).design == "Non-randomised trial"


def test_mesh_design_headings_fill_in_when_the_text_names_no_design():
    chunks = doc(("METHODS", "Sixty-four patients diagnosed with early-stage adhesive capsulitis by a physical "
                             "therapist or medical practitioner were included in the study."))  # PMID 24652474
    assert snapshot(chunks).design == "Study"
    assert snapshot(chunks, {"mesh": ["Humans", "Cross-Sectional Studies"]}).design == "Cross-sectional study"
    # a weak design is refined by a specific heading, but a heading never overrides a specific design
    retro = doc(("METHODS", "We analyzed retrospectively 78 patients with single radiopaque lower calyceal stones."))
    assert snapshot(retro, {"mesh": ["Cohort Studies"]}).design == "Cohort study"
    assert snapshot(retro, {"mesh": ["Surveys and Questionnaires"]}).design == "Retrospective study"


def test_animal_studies_count_no_participants():
    chunks = doc(("METHODS", "Twenty-four adult male rats were randomized to two groups."))
    snap = snapshot(chunks, {"mesh": ["Animals", "Rats", "Male"]})
    assert (snap.design, snap.participants, snap.population) == ("Animal study", None, "")


def test_case_reports_section_with_several_patients_is_a_case_series():  # PMID 9488747
    chunks = doc(("CASE REPORTS", "Eight infants aged 2 to 15 months were admitted during a period of 6 years; "
                                  "they suffered from similar maladies in the bath."))
    snap = snapshot(chunks, {"mesh": ["Humans", "Infant"]})
    assert (snap.design, snap.participants, snap.population) == ("Case series", 8, "infants")


# --- participants -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "count"), [
    ("One thousand one hundred and two patients (553 men, 549 women, baseline age 33 ± 10 years) were "
     "studied.", 1102),  # PMID 23224030
    ("Between January 1995 and March 2001, 43 consecutive patients underwent operations for acute aortic "
     "dissection.", 43),  # PMID 12607666: the years are no count
    ("548 female BRCA1 mutation carriers and 523 BRCA2 carriers were identified from the database.", 1071),
    ("A total number of 1397 patients were included in this research.", 1397),  # PMID 27554179
    ("Adolescents (n = 852) completed a questionnaire asking for sports participation.", 852),  # PMID 22849512
    ("A total of 2911 persons were enrolled in this study.", 2911),  # PMID 28359277
])
def test_enrolled_counts(sentence, count):
    assert snapshot(doc(("METHODS", sentence))).participants == count


@pytest.mark.parametrize(("sentence", "count", "population"), [
    ("Using polymerase chain reaction techniques, we evaluated the presence of HPV infection in human breast milk "
     "collected from 21 HPV-positive and 11 HPV-negative mothers.", 32, "mothers"),  # PMID 21214884
    ("Subjects were 121 men and 111 women (age: 21-67 years, BMI: 16-41 kg/m(2)). Additionally, the newly derived "
     "equation was cross-validated in a separate group of 70 Chinese subjects.", 232, "men and women"),  # 27581329
    ("475 Patients consulting 30 general practitioners.", 475, ""),  # PMID 2224269
    ("20 women scheduled for elective abortion (fetal reasons) between the 16th and 23rd week of gestation were "
     "to be given 1 mg gemeprost vaginally every 6 hours. They were allocated at random: 10 women received only "
     "Pethidin intravenously and Butylscopolamine rectally, another 10 women were additionally treated by "
     "paracervical anaesthesia.", 20, "women"),  # PMID 9483814: "another 10 women were treated" is a part
])
def test_groups_told_in_parts(sentence, count, population):
    snap = snapshot(doc(("METHODS", sentence)))
    assert (snap.participants, snap.population) == (count, population)


def test_a_parenthesised_breakdown_is_not_added_to_the_total():  # PMID 23052500
    chunks = doc(("RESULTS", "The 56 patients (34 men and 22 women; mean age, 60 ± 14 years) in this study "
                             "underwent SL for assessment of extensive disease or metastases. For two patients, SL "
                             "was unsuccessful because of intraabdominal adhesions."))
    assert snapshot(chunks).participants == 56


def test_methods_count_wins_over_a_later_subgroup():  # PMID 17312514
    chunks = doc(
        ("METHODS", "Twenty-one female patients who presented with abdominal deformity type III/A had undergone "
                    "abdominoplasty."),
        ("RESULTS", "Only two patients underwent aspiration because ultrasound showed greater than 20 cc "
                    "collected above the fascial layer."),
    )
    snap = snapshot(chunks)
    assert (snap.participants, snap.population) == (21, "female patients")


def test_a_subgroup_with_its_percentage_is_no_count():  # PMID 9107172
    chunks = doc(("METHODS AND RESULTS", "Fifty-eight LVADs were inserted over 5 years, with a survival rate of "
                                         "74%. Thromboembolic complications were rare, occurring in only three "
                                         "patients (5%) despite the absence of anticoagulation."))
    assert snapshot(chunks).participants is None


def test_two_patient_groups_are_not_two_patients():  # PMID 26561905
    chunks = doc(("DESIGN", "A quasi-experimental design comparing two patient groups."),
                 ("RESULTS", "Over 5 years, 89 patients received a total of 626 cycles of various chemotherapy "
                             "regimens in Mount Isa."))
    snap = snapshot(chunks)
    assert (snap.design, snap.participants) == ("Non-randomised trial", 89)


def test_population_uses_mesh_age_group_for_bare_patients():
    chunks = doc(("METHODS", "Of 312 consecutive patients who underwent tonsillectomy, 24 bled."))
    assert snapshot(chunks, {"mesh": ["Child", "Tonsillectomy"]}).population == "children"
    assert snapshot(chunks, {"mesh": ["Adult", "Child"]}).population == ""
    assert snapshot(chunks).line() == "Study, 312 participants, 2010"


def test_overlapping_chunks_of_one_section_are_read_once():
    text = ("A total of 80 patients were enrolled in the study and followed for two years after surgery for the "
            "primary outcome.")
    first, second = doc(("METHODS", text), ("METHODS", text[40:]))
    second = Chunk(**{**second.__dict__, "section_id": first.section_id})
    assert snapshot([first, second]).participants == 80


# --- titles -------------------------------------------------------------------------------------------


def test_pubmedqa_first_sentence_titles_are_not_real_and_get_a_built_title():  # PMID 19230985
    opening = ("Tonsillectomy is one of the most common surgical procedures performed in children, and "
               "postoperative hemorrhage is its most serious complication.")
    chunks = doc(("BACKGROUND", opening),
                 ("OBJECTIVE", "To determine whether the time of day of surgery affects the rate of post-"
                               "tonsillectomy hemorrhage."),
                 ("METHODS", "A retrospective review of 3306 children undergoing elective adenotonsillectomy."),
                 title=opening[:118] + "…")
    meta = {"mesh": ["Child", "Circadian Rhythm", "Humans", "Postoperative Hemorrhage", "Retrospective Studies",
                     "Tonsillectomy"]}
    snap = snapshot(chunks, meta)
    assert not is_real_title(chunks)
    title = reference_title(chunks, snap, meta)
    assert title.startswith("Retrospective study of 3,306 children: ")
    assert "tonsillectomy" in title and "postoperative hemorrhage" in title and "Humans" not in title
    assert not title.endswith("…") and opening[:40] not in title
    assert snap.line() == (
        "Retrospective study, 3,306 participants (children undergoing elective adenotonsillectomy), 2010")


def test_mesh_topics_are_cased_as_the_abstract_writes_them():
    chunks = doc(("OBJECTIVE", "To assess vitamin D status in Alzheimer's disease and in type 2 diabetes mellitus."),
                 ("METHODS", "We studied 40 patients."))
    meta = {"mesh": ["Alzheimer Disease", "Diabetes Mellitus, Type 2", "Humans", "Vitamin D"]}
    title = reference_title(chunks, snapshot(chunks, meta), meta)
    assert title == "Study of 40 patients: Alzheimer disease, type 2 diabetes mellitus and vitamin D"


def test_without_mesh_the_title_comes_from_the_aim():
    chunks = doc(("OBJECTIVE", "To evaluate the reliability of unenhanced T1-weighted MRI for differentiation "
                               "between bone infarcts and osteomyelitis."), ("METHODS", "We studied 31 children."))
    assert reference_title(chunks, snapshot(chunks)) == (
        "Study of 31 children: reliability of unenhanced T1-weighted MRI for differentiation between bone infarcts "
        "and osteomyelitis")


def test_real_titles_are_kept():
    xml = doc(("METHODS", "A total of 104 patients were enrolled."),
              title="Endoscopic nasobiliary drainage after stone clearance: a randomized trial.",
              evidence_label="Randomized Controlled Trial")
    assert is_real_title(xml)
    assert reference_title(xml, snapshot(xml)) == xml[0].title
    fallback = doc(("ABSTRACT", "Patients with acute cholangitis were studied for ten years in two centres."),
                   title="Patients with acute cholangitis were studied for ten years", evidence_label="Journal Article")
    assert not is_real_title(fallback)  # the PubMed-XML loader's stand-in for a missing title
    guideline = doc(("information", "Diabetes is a disease in which blood glucose levels are above normal."),
                    title="Causes of Diabetes", kind="guideline", source="NIDDK", evidence_label="")
    assert is_real_title(guideline)


# --- identical references -------------------------------------------------------------------------


def _cite(n, doc_id, title, source, kind="guideline"):
    return Citation(n=n, doc_id=doc_id, title=title, source=source, year=None, url=f"https://x/{n}", kind=kind)


def test_identical_guideline_references_merge_and_research_references_do_not():
    pages = [_cite(i, f"NIDDK_00000{i}", "Causes of Diabetes", "NIDDK") for i in (27, 37, 70, 71)]
    other = _cite(2, "MPlusHealthTopics_0000128", "Breast Cancer", "MPlusHealthTopics")
    pdq = _cite(3, "CancerGov_0000027_1", "Breast Cancer", "CancerGov")
    groups = merge_references([pages[0], other, *pages[1:], pdq])
    assert [[c.n for c in g] for g in groups] == [[27, 37, 70, 71], [2], [3]]
    assert same_reference(pages[0], _cite(9, "x", "causes of diabetes.", "NIDDK"))
    twins = [_cite(i, f"pubmed:{i}", "Cohort study of 312 patients: asthma", "PubMed", "research") for i in (1, 2)]
    assert not same_reference(*twins)
    assert reference_key(twins[0]) == ("research", "pubmed:1")


def test_line_and_strength_order():
    assert StudySnapshot("Meta-analysis", 1740, "", 2016, 100, studies=12).line() == (
        "Meta-analysis of 12 studies, 1,740 participants, 2016")
    assert StudySnapshot("Study", None, "", None, 0).line() == "Study"
    ranks = [STRENGTH[d] for d in ("Meta-analysis", "Randomised controlled trial", "Cohort study",
                                   "Case-control study", "Cross-sectional study", "Case series", "Case report",
                                   "Review", "Study")]
    assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks)
