"""The clinical layer and the triage result: every category, the controls, numbers, typos, Spanish, follow-ups."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medcite.triage import LEVELS, Numbers, Triage
from tests.triage.round1_sets import ORDINARY_QUESTIONS, URGENT_MESSAGES

pytestmark = pytest.mark.unit

def _english() -> frozenset[str]:
    from medcite.embedding.model import Embedder
    from medcite.settings import Settings

    return Embedder(Settings()).word_list()  # the model's vocabulary file only: no weights are loaded


TRIAGE = Triage(known_words=_english())  # the clinical layer alone (no encoder): what these tests pin down


def level(text: str, history: tuple[str, ...] = ()) -> str:
    return TRIAGE.run(text, history).level


# One or more messages per category of issue 11, in different voices; each must be flagged in that category.
RED_FLAGS = {
    "stroke": ["my dads face is drooping and he cant lift his arm", "stroek?? shes slurring her words all of a sudden",
               "pt 67M, L sided weakness onset 40 min, slurred speech", "worst headache of my life came on in seconds",
               "a mi papá se le cayó la cara de un lado y no puede mover el brazo"],
    "cardiac": ["crushing chest pain going down my left arm", "chesst pian and sweating alot",
                "my wife (61) has jaw ache and feels sick and clammy, shes diabetic",
                "tengo un dolor fuerte en el pecho"],
    "breathing": ["my inhaler isnt helping and i can only say a few words", "his lips are turning blue",
                  "my son is choking on a grape", "no puede respirar"],
    "anaphylaxis": ["stung by a wasp and my throat feels tight", "used his epipen, lips swelling after peanuts"],
    "sepsis_meningitis": ["she has a fever and a rash that doesn't fade under a glass",
                          "fever 39.5 stiff neck and light hurts his eyes"],
    "infant": ["my 6 week old has a temp of 38.3", "baby is 5 weeks, 100.8F rectal",
               "my baby is floppy and wont feed", "mi bebé de 2 meses tiene fiebre de 38,5"],
    "pregnancy": ["34 weeks pregnant, bad headache and seeing flashing lights",
                  "pregnant and bleeding heavily, soaking a pad an hour",
                  "positive test last week and now sharp pain on my left side and shoulder tip pain",
                  "32 weeks pregnant and baby hasnt moved since this morning"],
    "diabetic": ["type 1, meter says HI and im throwing up", "his sugar is 35 and hes confused",
                 "my diabetic husband is talking nonsense and sweaty"],
    "poisoning": ["my toddler swallowed a button battery", "my 2yo got into grandmas pills",
                  "i took 24 tylenol about an hour ago", "he took oxycodone and his breathing is really slow"],
    "carbon_monoxide": ["the whole family has headaches and the boiler is old", "CO alarm is going off and I'm dizzy"],
    "head_injury": ["mum fell and hit her head, shes on warfarin", "he bumped his head and has been sick twice"],
    "bleeding": ["the cut on his leg is bleeding heavily and wont stop", "vomiting blood right now"],
    "testicular_torsion": ["my 14 year old has sudden severe pain in his testicle and is throwing up"],
    "cauda_equina": ["bad back pain and now i cant feel when i wipe and cant pee"],
    "burns": ["my toddler pulled boiling water over her chest, it's blistering",
              "chemical burn on my face from drain cleaner"],
    "heat_stroke": ["after the marathon he collapsed, confused and not sweating"],
    "acute_abdomen": ["severe stomach pain, my belly is rigid and hard as a board"],
    "seizure": ["her seizure has been going for 6 minutes and won't stop", "he is having another seizure"],
    "unconscious": ["my grandfather collapsed and is unresponsive", "we cant wake her up"],
    "self_harm": ["i want to kill myself", "i've written goodbye letters to my kids", "no quiero vivir mas",
                  "how many of my sertraline would it take", "better off without me, i have the pills ready",
                  "my dad keeps talking about taking his own life", "my son tried to take his own life last night"],
    "harm_to_others": ["im scared i might hurt my baby", "my husband said he will kill me tonight"],
}

CONTROLS = [
    # negation
    "no chest pain, just a bit of heartburn after pizza",
    "he bumped his head this morning but no vomiting and he is totally fine",
    "my baby has no fever and is feeding well, just a runny nose",
    # history
    "my dad had a stroke two years ago, how can he prevent another?",
    "I attempted suicide ten years ago and I'm doing well now. Can I take an SSRI while pregnant?",
    "I had a heart attack in 2019, is it safe for me to exercise?",
    # "her life" is no flag on its own (round 8's blind read: a parent after a baby's Hirschsprung surgery)
    "I keep wondering what her life will look like after the surgery. Will she be able to poop normally?",
    # a blister is a burn's only beside heat (round 7's blind read: a diabetic father's painless toe blister)
    "he has a sore spot on the bottom of his big toe, he won't see the doctor for a little blister",
    # information, prevention, hypothetical
    "what are the warning signs of a stroke?",
    "how do I childproof my house against button batteries?",
    "what should you do if someone is having a seizure?",
    "What is the treatment for acetaminophen overdose?",
    "How is status epilepticus treated?",
    # mild and figures of speech
    "this commute is killing me",
    "I cut myself shaving this morning, how do I stop a small nick from bleeding?",
    "my toddler has a temp of 37.8 and is playing happily",
    "small burn on my finger from the oven",
    "I took 10 mg of melatonin, is that too much?",
    # everyday questions
    "Does IVIG help all autoimmune conditions?",
    "what foods should people with gout avoid",
]


class TestRedFlags:
    @pytest.mark.parametrize(("category", "text"), [(c, t) for c, texts in RED_FLAGS.items() for t in texts])
    def test_flagged_in_its_category(self, category: str, text: str) -> None:
        result = TRIAGE.run(text)
        assert result.flagged, text
        assert category in result.categories, (text, result.categories)

    def test_every_category_of_the_issue_is_covered(self) -> None:
        assert len(RED_FLAGS) == 21

    @pytest.mark.parametrize("text", CONTROLS)
    def test_controls_are_not_flagged(self, text: str) -> None:
        result = TRIAGE.run(text)
        assert not result.flagged, (text, [f.concept for f in result.red_flags])

    @pytest.mark.parametrize("text", ["", "   ", "\n"])
    def test_empty_message(self, text: str) -> None:
        assert TRIAGE.run(text).level == "none"


class TestLevels:
    def test_self_harm_outranks_everything_and_withholds_the_answer(self) -> None:
        result = TRIAGE.run("took 40 of my pills about an hour ago on purpose, chest feels tight")
        assert result.level == "self_harm" and result.withholds_answer
        assert result.actions[0].kind == "crisis_line"

    def test_poisoning_level_names_poison_control_then_the_emergency_number(self) -> None:
        result = TRIAGE.run("my 3 year old swallowed some dishwasher detergent")
        assert result.level == "poisoning"
        assert [a.kind for a in result.actions][:2] == ["poison_control", "call_emergency"]
        assert "1-800-222-1222" in result.actions[0].text

    def test_stroke_action_says_to_note_the_time(self) -> None:
        result = TRIAGE.run("my wife's face is drooping on one side")
        assert result.actions[0].kind == "call_emergency"
        assert any("time the symptoms started" in a.text for a in result.actions)

    def test_urgent_level(self) -> None:
        assert level("36 weeks pregnant with a headache that won't go away") == "urgent"

    def test_no_dose_or_method_in_crisis_actions(self) -> None:
        for text in ("how many paracetamol would kill me", "what's the lethal dose of amitriptyline"):
            result = TRIAGE.run(text)
            assert result.level == "self_harm"
            words = " ".join(a.text for a in result.actions).lower()
            assert not any(w in words for w in ("mg", "gram", "tablets", "dose", "lethal"))

    def test_numbers_are_configurable(self) -> None:
        triage = Triage(numbers=Numbers(emergency="112", crisis_line="116 123", crisis_line_name="Samaritans",
                                        poison_control="0800 000"))
        text = " ".join(a.text for a in triage.run("I want to end my life").actions)
        assert "116 123" in text and "112" in text and "988" not in text


class TestNumbers:
    @pytest.mark.parametrize("text", ["my 3 week old has a temp of 38.0", "7 week old baby 100.4 f",
                                      "newborn feels hot, thermometer says 38.6", "9/52 infant, T 38.1 rectal"])
    def test_infant_fever(self, text: str) -> None:
        assert "infant" in TRIAGE.run(text).categories

    @pytest.mark.parametrize("text", ["my 3 week old has a temp of 37.4", "my 7 month old has a temp of 38.4",
                                      "36 weeks pregnant and my temperature is 37.2"])
    def test_not_an_infant_fever(self, text: str) -> None:
        assert "infant" not in TRIAGE.run(text).categories

    @pytest.mark.parametrize("text", ["type 1 diabetic, blood sugar 2.1 and shaky and confused",
                                      "bg 580 and vomiting, diabetic", "sugar 28 mmol and cant keep water down"])
    def test_glucose(self, text: str) -> None:
        assert TRIAGE.run(text).level == "emergency"

    def test_shock_vitals(self) -> None:
        assert "cardiac" in TRIAGE.run("64M AF, HR 150s, BP 85/50, dizzy").categories


class TestFollowUps:
    def test_earlier_turn_supplies_the_context(self) -> None:
        assert level("and now he's throwing up", ("my son hit his head on the table",)) == "emergency"
        assert level("and now he's throwing up") == "none"

    def test_an_earlier_red_flag_alone_does_not_flag_a_new_question(self) -> None:
        assert level("thanks, what is the recovery like?", ("my dad's face is drooping",)) == "none"


class TestRound1Sets:
    """Round 1's own sets (the team's, tuned on then): kept as a regression check of the clinical layer."""

    def test_recall(self) -> None:
        missed = [m for m in URGENT_MESSAGES if not TRIAGE.run(m).flagged]
        assert len(missed) <= 1, missed

    def test_false_alarms(self) -> None:
        alarms = [q for q in ORDINARY_QUESTIONS if TRIAGE.run(q).flagged]
        assert len(alarms) / len(ORDINARY_QUESTIONS) <= 0.02, alarms


_CHATTER = st.sampled_from([
    "sorry to bother you", "hi", "ok so", "my mum says I worry too much", "we just got back from the shops",
    "the wifi is terrible here", "thanks in advance", "not sure who else to ask", "lol", "anyway",
])


def _typo(text: str, position: int) -> str:
    """Swap two neighbouring letters inside one word of five letters or more (a typical slip)."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return text
    i = long_words[position % len(long_words)]
    w = words[i]
    j = 1 + position % (len(w) - 3)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


class TestRobustness:
    @settings(max_examples=120, deadline=None)
    @given(st.sampled_from([t for texts in RED_FLAGS.values() for t in texts if t.isascii()]),
           st.lists(_CHATTER, min_size=1, max_size=4), st.lists(_CHATTER, max_size=3))
    def test_a_red_flag_stays_flagged_inside_chatty_text(self, text, before, after) -> None:
        message = ". ".join([*before, text, *after]) + "."
        assert TRIAGE.run(message).flagged, message

    @settings(max_examples=120, deadline=None)
    @given(st.sampled_from([t for texts in RED_FLAGS.values() for t in texts
                            if t.isascii() and not any(w in t for w in ("chesst", "stroek"))]),  # one slip a word
           st.integers(0, 50))
    def test_a_red_flag_stays_flagged_with_a_typo_or_in_capitals(self, text, position) -> None:
        assert TRIAGE.run(text.upper()).flagged, text.upper()
        typo = _typo(text, position)
        assert TRIAGE.run(typo).flagged, typo


class TestContract:
    def test_json_shape(self) -> None:
        data = json.loads(json.dumps(TRIAGE.run("my dad's face is drooping").to_dict()))
        assert set(data) == {"level", "flagged", "categories", "red_flags", "actions", "headline", "layers"}
        assert data["level"] in LEVELS and data["flagged"] is True and data["categories"] == ["stroke"]
        flag = data["red_flags"][0]
        assert set(flag) >= {"concept", "category", "level", "label", "evidence", "layer"}
        assert flag["concept"] == "stroke.face_droop" and flag["layer"] == "clinical"
        assert set(data["actions"][0]) == {"kind", "text", "number"} and data["actions"][0]["number"] == "911"

    def test_unflagged_json(self) -> None:
        data = TRIAGE.run("What is IVIG?").to_dict()
        assert data["level"] == "none" and data["red_flags"] == [] and data["actions"] == []


def test_a_huge_word_is_not_spell_checked() -> None:
    assert TRIAGE.clinical.speller.correct("a" * 5000) == "a" * 5000
    assert TRIAGE.run("x" * 20000 + " chest pain").level == "emergency"


@pytest.mark.unit
class TestRound4:
    """Classes of round 4's dev misses and false alarms (written for these tests, in no set)."""

    @pytest.fixture(scope="class")
    def clinical(self):
        return Triage()

    @pytest.mark.parametrize("text", [
        "my aunt keeps talking about joining my uncle (he passed in 2022) and she has been hiding her tablets",
        "honestly I'd like to go to sleep and never wake up",
        "he said he'd swallow the lot and end it",
        "how long does it take to bleed out from a wrist",
        "my brother has been threatening our dad with a kitchen knife",
        "she says she's going to jump off the top of the multi storey",
    ])
    def test_self_harm(self, clinical, text) -> None:
        assert clinical.run(text).level == "self_harm"

    @pytest.mark.parametrize("text", [
        "spo2 reading 85 on the clip and I'm breathless",
        "peak flow 45% of my best this morning",
        "having chemo and my temp is 38.4",
        "my girlfriend is 9 weeks pregnant and bleeding with bad cramps",
        "she had three seizures in a row and hasn't come round in between",
        "found an empty packet of his sleeping tablets",
    ])
    def test_red_flags(self, clinical, text) -> None:
        assert clinical.run(text).flagged

    @pytest.mark.parametrize("text", [
        "7 weeks pregnant, period-like cramps, no bleeding at all",
        "fever of 38 with a cold, neck isn't stiff, eating fine",
        "I take a lot of ibuprofen for my knees, is that bad for my stomach",
        "how should I store my epipen on a hot day",
        "my daughter was in nicu with a fever at 2 weeks, now she's 3 and fine",
        "I'm killing myself with overtime this month, tips for sleep",
        "burning mouth syndrome all over my tongue, what helps",
    ])
    def test_controls(self, clinical, text) -> None:
        assert not clinical.run(text).flagged

    def test_the_speller_keeps_real_words(self) -> None:
        from medcite.triage.clinical import ClinicalLayer

        speller = ClinicalLayer().speller
        assert [speller.correct(w) for w in ("allergy", "sats", "copd", "pero", "breathes")] == [
            "allergy", "sats", "copd", "pero", "breathes"]


class TestRound8Histories:
    """Round 8: a past anchor reads a settled history ("hace cinco años", "4 yrs ago", "hx"), a clause of a harm
    concept takes its sentence's anchor when its verb is past and none is present, and "for N years now" or "ahora
    estoy bien" are not now; a present cue ("this week", "since yesterday", "is back") keeps a history sentence
    current, and a verbless clinical clause beside "PMH" stays a red flag."""

    @pytest.mark.parametrize("text", [
        "hace seis años intenté suicidarme. ahora estoy bien, ¿puedo tomar melatonina?",
        "used to self harm as a teen, been clean for 6 years now, does laser work on old scars",
        "a decade ago I had postpartum psychosis and had thoughts about hurting my son, can I breastfeed this time?",
        "fainted at a gig 4 yrs ago, was fine after, can I give blood",
    ])
    def test_settled_histories(self, text: str) -> None:
        assert level(text) == "none", text

    @pytest.mark.parametrize("text", [
        "tried to end my life in 2018, the same thoughts are back this week and they scare me",
        "hace años intenté matarme y otra vez quiero morirme",
        "71M sudden R arm weakness and slurred speech 15 min, PMH AF",
        "swallowed a whole box of her tablets to show her how much it hurts",
        "quería morirme y me tomé todas las pastillas de mi madre",
        "i injected all my insulin pens on purpose",
    ])
    def test_something_happening_now(self, text: str) -> None:
        assert level(text) != "none", text

    def test_an_overdose_to_make_a_point_is_self_harm(self) -> None:
        assert level("after a huge row with my boyfriend i took 20 paracetamol") == "self_harm"
        assert level("i injected all my insulin pens on purpose") == "self_harm"


class TestMedicineErrors:
    """Round 10: a medicine taken or given wrongly is a poisoning (methotrexate daily instead of weekly was missed by
    held-out L, M and O); asking about a dose, a missed dose or a routine twice-daily medicine is not."""

    @pytest.mark.parametrize("text", [
        "Mum's been taking her methotrexate every day this week instead of once a week",
        "Dad took his amlodipine twice this morning, forgot he'd already had it. He's 76",
        "my son took his sister's adhd meds by accident",
        "grandma took grandpa's heart pills instead of hers",
        "the nurse gave my mom the wrong medication at the home",
        "i took my roommates xanax thinking it was my allergy pill",
        "mi mamá se tomó las pastillas de mi papá por error",
        "me tomé sin querer dos veces la pastilla de la tiroides hoy",
    ])
    def test_medicine_errors_are_poisonings(self, text: str) -> None:
        assert level(text) == "poisoning", text

    @pytest.mark.parametrize("text", [
        "I take methotrexate once a week for RA, can I drink alcohol?",
        "what happens if I accidentally take my pill twice?",
        "I missed a dose of my blood pressure pill, should I take a double dose?",
        "i take lisinopril twice a day is that normal",
        "my doctor doubled my dose of sertraline, how long until it works",
        "sin querer me salté la pastilla de la tensión ayer, la tomo hoy?",
        "can i take my sisters prescription cream for a rash",
    ])
    def test_dose_questions_and_missed_doses_are_not(self, text: str) -> None:
        assert level(text) == "none", text


@pytest.mark.parametrize(("text", "expected"), [
    ("mi hermana de 15 me mandó un audio despidiéndose, dijo que me quería mucho y ya no contesta", "self_harm"),
    ("mi hijo me dejó una carta de despedida en la mesa", "self_harm"),
    ("me despedí de mi abuela en el hospital, ¿cómo manejo el duelo?", "none"),
    ("la fiesta de despedida de mi jefe es mañana, ¿puedo beber con antibióticos?", "none"),
])
def test_a_spanish_goodbye_then_silence_is_a_self_harm_risk(text: str, expected: str) -> None:
    assert level(text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    # held-out P (spent, now dev): a wrong amount, a dose taken again, an injury's cut, painless bleeding in pregnancy
    ("gave my son 10ml of kids ibuprofen instead of 5ml, he's 18 months", "poisoning"),
    ("I've just realised I gave a patient 10 units novorapid instead of 1", "poisoning"),
    ("se me olvidó que ya me había tomado la pastilla de la presión y me tomé otra", "poisoning"),
    ("I already had the flu shot this year, do I need it again before my trip?", "none"),
    ("forgot I'd already taken my metoprolol and took another one", "poisoning"),
    ("I take 5ml of the syrup instead of 10ml because it makes me drowsy, is that ok?", "none"),
    ("my son put his hand through the glass door, deep cut on his wrist and the blood is pulsing out", "emergency"),
    ("I cut my wrist on a tin can, it's bleeding a bit", "none"),
    ("she has been cutting her arms again", "self_harm"),
    ("estoy embarazada de 34 semanas y me está saliendo mucha sangre roja, sin dolor", "emergency"),
    ("how do i hide cuts on my thighs from the school nurse at PE", "self_harm"),
    ("i've been cutting my arms with a blade again", "self_harm"),
    ("I cut my arm on broken glass while cleaning, it won't stop bleeding", "emergency"),
    ("34 weeks, baby is normally really kicky in the evenings but today I've hardly felt anything", "urgent"),
])
def test_round_10_after_held_out_p(text: str, expected: str) -> None:
    assert level(text) == expected, text
