"""Claim checks of the LLM engine's verifier, on real passages (PubMedQA conclusions, quoted with their PMIDs)."""

from __future__ import annotations

import pytest

from medcite.qa.claims import check_claim, numbers, source_sentence

pytestmark = pytest.mark.unit

# PMID 17208539 (conclusions)
HIRSCHSPRUNG = ("Our long-term study showed significantly better (2-fold) results regarding the continence score for "
                "the abdominal approach compared with the transanal pull-through. The stool pattern and enterocolitis "
                "scores were somewhat better for the TERPT group.")
# PMID 23831910 (conclusions)
DBE = ("DBE appears to be equally safe and effective when performed in the community setting as compared to a "
       "tertiary referral center with a comparable yield, efficacy, and complication rate.")
# PMID 16418930 (conclusions)
SNELLEN = ("Using the charts described, there was only a slight overestimation of visual acuity by the Snellen E "
           "compared to the Landolt C, even in strabismus amblyopia.")
DOSING = ("The usual immunomodulatory dose of IVIG is 2 g/kg, divided over two to five days. Infusion reactions to "
          "IVIG were reported in 6% of treatment courses.")


@pytest.mark.parametrize(("sentence", "passage"), [
    ("The continence score was better with the abdominal approach than with the transanal pull-through.",
     HIRSCHSPRUNG),
    ("DBE is as safe and effective in the community setting as in a tertiary referral center.", DBE),
    ("The Snellen E slightly overestimated visual acuity compared to the Landolt C.", SNELLEN),
    ("The usual dose of IVIG is 2 g/kg.", DOSING),
    ("Infusion reactions occurred in 6 percent of IVIG courses.", DOSING),
])
def test_faithful_sentences_pass(sentence, passage):
    assert check_claim(sentence, passage) is None


@pytest.mark.parametrize(("sentence", "passage", "reason"), [
    ("The continence score was worse with the abdominal approach than with the transanal pull-through.",
     HIRSCHSPRUNG, "direction"),
    ("DBE is not safe in the community setting compared to a tertiary referral center.", DBE, "negation"),
    ("The Snellen E underestimated visual acuity, giving lower values than the Landolt C.", SNELLEN, "direction"),
    ("The usual dose of IVIG is 20 g/kg.", DOSING, "number 20"),
    ("The usual dose of IVIG is 2 mg/kg.", DOSING, "number 2 mg/kg"),
    ("Infusion reactions occurred in 16% of IVIG courses.", DOSING, "number 16"),
])
def test_unfaithful_sentences_are_caught(sentence, passage, reason):
    problem = check_claim(sentence, passage)
    assert problem is not None and reason in problem, problem


def test_numbers_and_source_sentence():
    assert numbers("A total of 1,234 patients; 6 % had fever of 38.50 °C") == {("1234", "patients"), ("6", "%"),
                                                                                ("38.5", "°c")}
    assert source_sentence("Infusion reactions in 6% of courses", DOSING).startswith("Infusion reactions")
