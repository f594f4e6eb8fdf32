"""Sentence splitting, text helpers, evidence selection and facets of the offline engine."""

from __future__ import annotations

import pytest

from medcite.qa import facets
from medcite.qa.evidence import deduplicate, select_evidence
from medcite.qa.profile import analyze_question
from medcite.qa.sections import guideline_section_prior, research_section_prior
from medcite.qa.sentences import sentence_problem, split_sentences, trim_long_sentence
from medcite.qa.text import find_acronyms, followup_query, is_followup, stem, term_set
from tests.qa.conftest import guideline, research, squash

pytestmark = pytest.mark.unit


class TestSentenceSplitter:
    def test_abbreviations_and_decimals_do_not_split(self) -> None:
        text = (
            "Patients received IVIG 2.5 g/kg i.v. over 5 days (e.g. 0.4 g/kg daily). "
            "Smith et al. reported the same result vs. placebo (Fig. 2). Dr. Jones agreed."
        )
        assert split_sentences(text) == [
            "Patients received IVIG 2.5 g/kg i.v. over 5 days (e.g. 0.4 g/kg daily).",
            "Smith et al. reported the same result vs. placebo (Fig. 2).",
            "Dr. Jones agreed.",
        ]

    def test_bullet_runs_and_key_points(self) -> None:
        text = (
            "Key Points\n    - IVIG is made from pooled donor plasma.    - It is used in immune "
            "thrombocytopenia.    - It can cause headache."
        )
        assert split_sentences(text) == [
            "Key Points",
            "IVIG is made from pooled donor plasma.",
            "It is used in immune thrombocytopenia.",
            "It can cause headache.",
        ]

    def test_bullets_after_collapsed_whitespace(self) -> None:
        text = "Key Points - IVIG is made from pooled plasma. - It is used in ITP. - It can cause headache."
        assert split_sentences(text) == [
            "IVIG is made from pooled plasma.",
            "It is used in ITP.",
            "It can cause headache.",
        ]

    def test_prose_dash_is_not_a_bullet(self) -> None:
        text = "Most people recover fully - some keep a mild weakness."
        assert split_sentences(text) == [text]

    def test_list_run_whose_line_breaks_were_lost(self) -> None:
        text = "Symptoms include - nervousness - fatigue or weakness - hand tremors Most people improve with treatment."
        sentences = split_sentences(text)
        assert "Most people improve with treatment." in sentences
        quotable = [s for s in sentences if sentence_problem(s) is None]
        assert quotable == ["Most people improve with treatment."]

    def test_heading_glued_to_its_sentence(self) -> None:
        assert split_sentences("The Thyroid The thyroid is a small gland in the neck.") == [
            "The thyroid is a small gland in the neck."
        ]

    def test_one_word_heading_glued_to_its_sentence(self) -> None:
        assert split_sentences("Statins Studies have shown that taking statins lowers cholesterol.") == [
            "Studies have shown that taking statins lowers cholesterol."
        ]
        name = "Guillain Barre syndrome affects nerves in Guillain patients."
        assert split_sentences(name) == [name]
        # after a list item's glued sentence, the item's next sentences are prose, never cut (round 9's blind read)
        text = ("Features are\n- Low-set ears\n- Swollen hands and feet Most women with Turner syndrome are "
                "infertile. Doctors diagnose Turner syndrome based on symptoms and a genetic test.")
        assert split_sentences(text)[-3:] == [
            "Swollen hands and feet", "Most women with Turner syndrome are infertile.",
            "Doctors diagnose Turner syndrome based on symptoms and a genetic test."]
        # a two-word heading whose line break the source lost (round 7's blind read)
        assert split_sentences("Cranberry Juice Drinking cranberry juice may also help prevent UTIs.") == [
            "Drinking cranberry juice may also help prevent UTIs."]

    def test_list_items_that_are_clauses(self) -> None:
        assert sentence_problem("Whether the cancer has spread to the brain or spinal cord.") == "list item"

    def test_numbered_list_items(self) -> None:
        sentences = split_sentences("The trial had two aims: 1. To compare doses. 2. To record side effects.")
        assert "To compare doses." in sentences
        assert "To record side effects." in sentences
        assert not any(s.strip() in {"1.", "2."} for s in sentences)

    def test_headings_are_separate_and_rejected(self) -> None:
        sentences = split_sentences("Autoimmune Disorder\nGraves disease is an autoimmune disorder of the thyroid.")
        assert sentences == [
            "Autoimmune Disorder",
            "Graves disease is an autoimmune disorder of the thyroid.",
        ]
        assert sentence_problem(sentences[0]) is not None
        assert sentence_problem(sentences[1]) is None

    def test_glued_abstract_label_and_footnote(self) -> None:
        assert split_sentences("The benefit is not fully clear.QUESTIONS/PURPOSES") == [
            "The benefit is not fully clear.",
            "QUESTIONS/PURPOSES",
        ]
        assert split_sentences("About 2 percent develop severe eye disease.1 This usually lasts a year.") == [
            "About 2 percent develop severe eye disease.",
            "This usually lasts a year.",
        ]

    def test_sentences_are_verbatim_slices(self) -> None:
        text = "IVIG is  effective\n in GBS. Trials in ALS were negative!  Dose: 2 g/kg."
        for sentence in split_sentences(text):
            assert sentence in squash(text)

    @pytest.mark.parametrize(
        ("sentence", "problem"),
        [
            ("What is IVIG?", "question"),
            ("Key Points", "heading"),
            ("IVIG is effective", "no final punctuation"),
            ("IVIG works.", "too short"),
            ("and it was also effective in most of the patients.", "starts in lower case"),
            ("Which is why the treatment was stopped early in most patients.", "dangling connective"),
            ("To assess whether IVIG improves strength in CIDP.", "purpose statement"),
            ("The aim of this study was to compare two doses of IVIG.", "purpose statement"),
            ("12.5 ± 3.1 vs 10.2 ± 2.9 (p = 0.03) 45 (12%) 31 (9%).", "table debris"),
            ("Fever, chills, headache and nausea after infusion.", "no verb"),
            ("Physical exam : An exam of the body to check general signs of health.", "table debris"),
            (
                "The Human Phenotype Ontology provides the following list of signs and symptoms.",
                "boilerplate",
            ),
            ("IVIG is effective in Guillain-Barré syndrome and CIDP.", None),
            ("However, trials in ALS were negative.", None),
        ],
    )
    def test_sentence_problem(self, sentence: str, problem: str | None) -> None:
        assert sentence_problem(sentence) == problem

    def test_long_sentence_is_trimmed_at_a_clause_or_dropped(self) -> None:
        head = "IVIG was effective in most patients with CIDP in the trial"
        tail = " ".join(["with"] + ["several secondary outcomes measured"] * 16) + "."
        long = f"{head}; {tail}"
        assert sentence_problem(long) == "too long"
        assert trim_long_sentence(long) == head + "."
        no_clause = " ".join(["IVIG improved grip strength"] * 25) + "."
        assert trim_long_sentence(no_clause) is None


class TestTextHelpers:
    @pytest.mark.parametrize(
        ("words", "same"),
        [
            (("treated", "treatment", "treats", "treating"), True),
            (("therapy", "therapies"), True),
            (("condition", "conditions"), True),
            (("Guillain-Barré", "Guillain-Barr"), False),  # hyphenated: compared per part below
        ],
    )
    def test_stem(self, words: tuple[str, ...], same: bool) -> None:
        if same:
            assert len({stem(w) for w in words}) == 1

    def test_accents_and_missing_letters_meet(self) -> None:
        assert term_set("Guillain-Barré syndrome") == term_set("Guillain-Barr syndrome")

    def test_abbreviations_unify_with_long_forms(self) -> None:
        assert "ivig" in term_set("intravenous immunoglobulin was given")
        assert "ivig" in term_set("IVIG was given")
        question = term_set("Does intravenous immunoglobulin help?", replace=True)
        assert "ivig" in question and "intraven" not in question

    def test_milligrams_are_not_myasthenia(self) -> None:
        assert "mg" not in term_set("The dose was 400 mg per day.")
        assert "mg" in term_set("Patients with myasthenia gravis improved.")

    def test_find_acronyms(self) -> None:
        found = find_acronyms("Patients with multifocal motor neuropathy (MMN) and immune thrombocytopenia (ITP).")
        assert "mmn" in found.values()
        assert term_set("MMN responds.", found) & term_set("multifocal motor neuropathy responds.", found)

    def test_followup_query(self) -> None:
        history = [("Does IVIG help all autoimmune conditions?", "...")]
        assert is_followup("and its side effects?")
        assert is_followup("What about children?")
        assert not is_followup("Is it safe to take ibuprofen with IVIG?")
        assert followup_query("and its side effects?", history) == "and its side effects? (IVIG autoimmune)"
        assert followup_query("How is CIDP diagnosed?", history) == "How is CIDP diagnosed?"
        assert followup_query("and its side effects?", None) == "and its side effects?"


class TestEvidenceSelector:
    def test_conclusions_outrank_methods(self, ivig_passages) -> None:
        ev = select_evidence("Is IVIG effective in neuromuscular disorders?", ivig_passages)
        texts = [e.text for e in ev.ranked]
        effective = texts.index("IVIG is effective in Guillain-Barré syndrome, CIDP and multifocal motor neuropathy.")
        methods = [i for i, t in enumerate(texts) if t.startswith("We searched three databases")]
        assert not methods or effective < methods[0]

    def test_treatment_sections_answer_treatment_questions(self) -> None:
        passages = [
            guideline(
                "NINDS_gbs",
                "Guillain-Barré syndrome is a disorder in which the immune system attacks the nerves. "
                "It often follows an infection.",
                title="Guillain-Barré Syndrome",
                qtype="information",
                question="What is Guillain-Barré Syndrome?",
                score=0.9,
            ),
            guideline(
                "NINDS_gbs",
                "Plasma exchange and high-dose immunoglobulin therapy both shorten the illness. Supportive "
                "care in hospital keeps the body working while the nerves recover.",
                title="Guillain-Barré Syndrome",
                qtype="treatment",
                question="What are the treatments for Guillain-Barré Syndrome?",
                ordinal=1,
                score=0.8,
            ),
        ]
        ev = select_evidence("How is Guillain-Barré syndrome treated?", passages)
        assert ev.ranked[0].chunk.label == "treatment"
        assert ev.profile.intents[0] == facets.TREATMENT

    def test_scores_are_bounded_and_sorted(self, ivig_passages) -> None:
        ev = select_evidence("Does IVIG help all autoimmune conditions?", ivig_passages)
        scores = [e.score for e in ev.ranked]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 < s <= 1.0 for s in scores)
        assert ev.topic_known

    def test_unrelated_passages_give_no_evidence(self, unrelated_passages) -> None:
        ev = select_evidence("Does IVIG help all autoimmune conditions?", unrelated_passages)
        assert ev.ranked == []
        assert not ev.topic_known

    def test_stopword_overlap_is_not_evidence(self, unrelated_passages) -> None:
        ev = select_evidence("What are the ones that are in the?", unrelated_passages)
        assert ev.ranked == []

    def test_terms_that_never_meet_mean_unknown_topic(self) -> None:
        passages = [
            research(
                "1",
                "Patients in France were followed for ten years after surgery.",
                title="A",
                label="RESULTS",
            ),
            guideline(
                "GARD_x",
                "Slipped capital femoral epiphysis affects the hip joint of teenagers.",
                title="Slipped capital femoral epiphysis",
                qtype="information",
                question="What is it?",
            ),
        ]
        assert not select_evidence("What is the capital of France?", passages).topic_known

    def test_sentences_must_touch_the_anchor_of_the_question(self) -> None:
        passages = [
            guideline(
                "NHLBI_stroke",
                "Controlling your weight helps you control risk factors for stroke. Statin medicines lower "
                "cholesterol and the risk of a second stroke.",
                title="Stroke",
                qtype="prevention",
                question="How can a stroke be prevented?",
            ),
            research(
                "7",
                "Statins reduced the risk of stroke in primary prevention trials.",
                title="Do statins prevent stroke?",
                label="CONCLUSIONS",
            ),
        ]
        texts = [e.text for e in select_evidence("Do statins prevent stroke?", passages).ranked]
        assert "Controlling your weight helps you control risk factors for stroke." not in texts
        assert "Statin medicines lower cholesterol and the risk of a second stroke." in texts
        assert "Statins reduced the risk of stroke in primary prevention trials." in texts

    def test_the_anchor_comes_from_the_titles_ranked_highest(self) -> None:
        # a word of a low-ranked page's title ("cure" on a wart page) is no anchor when the top pages share one
        allergy = [
            guideline(f"egg{i}", "Oral immunotherapy with small daily doses helped some people with egg allergies.",
                      title="Egg allergy", qtype="treatment", question="How is egg allergy treated?", score=0.9)
            for i in range(5)
        ]
        warts = guideline("wart", "Freezing is one cure for common warts on the hands.", title="Is there a cure for "
                          "warts?", qtype="treatment", question="How are warts treated?", score=0.2)
        ev = select_evidence("is there any cure for egg allergies in the near future", [*allergy, warts])
        assert ev.ranked and all("egg allergies" in e.text for e in ev.ranked)

    def test_near_duplicates_are_removed(self) -> None:
        a = research("1", "IVIG shortened the time to walking unaided in adults with GBS.", title="A", label="RESULTS")
        b = research("2", "In adults with GBS, IVIG shortened the time to walking unaided.", title="B", label="RESULTS")
        ev = select_evidence("Does IVIG help in GBS?", [a, b])
        assert len(ev.ranked) == 1

    def test_identical_sentence_in_two_documents_cites_both(self) -> None:
        text = "IVIG is a first-line treatment for Guillain-Barré syndrome in adults."
        a = guideline("NINDS_1", text, title="GBS", qtype="treatment", question="How is GBS treated?")
        b = guideline("GARD_2", text, title="GBS", qtype="treatment", question="How is GBS treated?", score=0.5)
        ev = select_evidence("How is Guillain-Barré syndrome treated?", [a, b])
        assert len(ev.ranked) == 1
        assert ev.ranked[0].also_in == (1,)

    def test_deduplicate_keeps_the_first(self, ivig_passages) -> None:
        ev = select_evidence("Does IVIG help all autoimmune conditions?", ivig_passages)
        twice = deduplicate(ev.ranked + ev.ranked, ivig_passages)
        assert [e.text for e in twice] == [e.text for e in ev.ranked]

    def test_followup_uses_previous_question(self, ivig_passages) -> None:
        history = [("Does IVIG help all autoimmune conditions?", "IVIG helps some.")]
        profile = analyze_question("and its side effects?", history)
        assert "ivig" in profile.terms and profile.terms["ivig"] < 1.0
        ev = select_evidence("and its side effects?", ivig_passages, history=history)
        assert ev.ranked
        assert ev.ranked[0].facet == facets.SAFETY

    def test_section_priors(self) -> None:
        assert research_section_prior("CONCLUSIONS") > research_section_prior("RESULTS")
        assert research_section_prior("RESULTS") > research_section_prior("BACKGROUND")
        assert research_section_prior("BACKGROUND") > research_section_prior("METHODS")
        assert guideline_section_prior("treatment", "", (facets.TREATMENT,)) == 1.0
        assert guideline_section_prior("symptoms", "", (facets.TREATMENT,)) < 1.0

    def test_deterministic(self, ivig_passages) -> None:
        a = select_evidence("Does IVIG help all autoimmune conditions?", ivig_passages)
        b = select_evidence("Does IVIG help all autoimmune conditions?", list(ivig_passages))
        assert [(e.text, e.score, e.facet) for e in a.ranked] == [(e.text, e.score, e.facet) for e in b.ranked]


class TestFacetClassifier:
    @pytest.mark.parametrize(
        ("sentence", "label", "facet"),
        [
            ("IVIG is effective in Guillain-Barré syndrome and CIDP.", "CONCLUSIONS", facets.EFFICACY),
            ("Randomised trials of IVIG in ALS were negative.", "CONCLUSIONS", facets.EFFICACY),
            ("The usual dose is 2 g/kg divided over five days.", "", facets.DOSING),
            ("It blocks Fc receptors and neutralises autoantibodies.", "", facets.MECHANISMS),
            ("Much IVIG use is off-label.", "", facets.OFF_LABEL),
            ("Headache and aseptic meningitis were the most frequent adverse events.", "", facets.SAFETY),
            ("Infusion reactions were reported in 6% of courses.", "RESULTS", facets.SAFETY),
            ("IVIG is approved for primary immunodeficiency.", "treatment", facets.INDICATIONS),
            ("Nerve conduction studies help to diagnose the disorder.", "", facets.DIAGNOSIS),
            ("Most people recover, and the outlook is good.", "", facets.PROGNOSIS),
            ("The condition is inherited in an autosomal recessive pattern.", "", facets.GENETICS),
            ("Vaccination can prevent the infection.", "", facets.PREVENTION),
            ("Smoking is a major risk factor for stroke.", "", facets.CAUSES),
            ("The disorder affects about 1 in 100,000 people.", "", facets.FREQUENCY),
            ("Weakness often starts in the legs.", "symptoms", facets.SYMPTOMS),
            ("The body makes two hormones.", "information", facets.BACKGROUND),
            ("Men had longer operations.", "RESULTS", facets.FINDINGS),
        ],
    )
    def test_classify(self, sentence: str, label: str, facet: str) -> None:
        assert facets.classify_sentence(sentence, label) == facet

    @pytest.mark.parametrize(
        "qtype",
        [
            "treatment",
            "symptoms",
            "causes",
            "inheritance",
            "frequency",
            "exams and tests",
            "outlook",
            "prevention",
            "susceptibility",
            "information",
            "research",
            "genetic changes",
            "complications",
            "stages",
            "considerations",
            "support groups",
        ],
    )
    def test_every_medquad_qtype_maps_to_a_facet(self, qtype: str) -> None:
        assert facets.facet_for_label(qtype) in facets.FACETS
        assert facets.facet_for_label(qtype.upper()) == facets.facet_for_label(qtype)

    @pytest.mark.parametrize(
        ("question", "first"),
        [
            ("What are the side effects of IVIG?", facets.SAFETY),
            ("How much IVIG is given?", facets.DOSING),
            ("How does IVIG work?", facets.MECHANISMS),
            ("How is Guillain-Barré syndrome treated?", facets.TREATMENT),
            ("What are the symptoms of atrial fibrillation?", facets.SYMPTOMS),
            ("Is CIDP inherited?", facets.GENETICS),
            ("What is CIDP?", facets.BACKGROUND),
        ],
    )
    def test_question_intents(self, question: str, first: str) -> None:
        assert facets.question_intents(question)[0] == first


@pytest.mark.unit
class TestPrefixedAcronyms:
    def test_a_prefixed_variant_names_the_acronym(self):
        from medcite.qa.text import term_set

        assert "ivig" in term_set("IgM-eIVIG was given for three days.")
        assert "ivig" not in term_set("Vivid dreams were reported.")
