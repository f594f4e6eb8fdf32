"""The triage component: one job (a message and its conversation in, a ``TriageResult`` out), one ``run()``."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from pathlib import Path

from medcite.triage.actions import Numbers, actions_for
from medcite.triage.clinical import ClinicalLayer
from medcite.triage.model import RedFlag, TriageResult, most_serious
from medcite.triage.similarity import Encode, Reading, SimilarityLayer, SimilaritySettings, pieces

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W\d_]{2,}")
# A denied symptom ("no fever", "sin fiebre"); "no one", "no point", "no way out" deny nothing.
_DENIAL = re.compile(r"\b(?:no|without|denies|denied|sin|nor)\b(?! (?:one|body|point|reason|way|longer|more|future|"
                     r"hope|sense|matter|end|me|te|se|quiero|puedo|aguanto|vale|sirvo|tengo ganas))")
_CLAUSE = re.compile(r",|;|\s(?:but|however|although|though|pero|aunque)\s|\s-+\s", re.IGNORECASE)
_SENTENCES = re.compile(r"(?<=[.!?;…])\s+|\n+")
# A stated denial of self-harm ("I'm not suicidal, just burnt out", "no estoy pensando en hacerme daño"): the
# embedder does not read negation, and the denial alone put five ordinary messages of held-out M and O (spent) at
# the self-harm level. The self-harm readings read the message without it; what is left still counts ("I'm not
# suicidal but I keep wishing I wouldn't wake up" keeps its second half, and the clinical layer reads all of it).
_SELF_HARM_DENIAL = re.compile(
    r"\b(?:i(?:['’]?m| am)|(?:s?he|they)(?:['’]?s|['’]?re| is| are)|not that (?:i(?:['’]?m| am)|"
    r"s?he(?:['’]?s| is)))(?: (?:really|definitely|honestly|absolutely|totally|just|"
    r"so))? not (?:\w+ )?(?:suicidal|going to (?:hurt|kill|harm) (?:my|him|her|them)sel(?:f|ves)|"
    r"gonna (?:hurt|kill|harm) (?:my|him|her|them)sel(?:f|ves)|going to do anything(?: stupid| drastic)?|"
    r"thinking (?:about|of) (?:suicide|killing (?:my|him|her)self|ending (?:it|my life)|hurting (?:my|him|"
    r"her)self))\b(?: or anything(?: like that)?)?"
    r"|\b(?:no|never had(?: any)?|denies|denied|without(?: any)?)(?: any)? (?:suicidal (?:thoughts|"
    r"ideation|intent|plans?)|thoughts (?:of|about) (?:suicide|self[- ]?harm|hurting (?:my|him|her)self|"
    r"killing (?:my|him|her)self|ending (?:it|my life))|self[- ]?harm(?:ing)?)\b"
    r"|\bi(?:['’]d| would| will|['’]ll)? never (?:actually |ever )?(?:hurt|kill|harm) (?:myself|anyone|"
    r"anybody|them|him|her)\b"
    r"|\bi (?:don['’]?t|do not) want to (?:hurt|harm) (?:anyone|anybody|myself)\b(?:, i never would)?"
    r"|\bno (?:estoy|soy|es que (?:est[eé]|quiera)) (?:\w+ )?(?:suicida|pensando en (?:suicidarme|matarme|"
    r"quitarme la vida|hacerme da[nñ]o))\b(?: ni nada (?:de eso|parecido|as[ií]))?"
    r"|\bno (?:quiero|pienso|voy a) (?:hacerme da[nñ]o|matarme|suicidarme|quitarme la vida)\b"
    r"|\bsin (?:ideas?|pensamientos?) (?:suicidas?|de (?:suicidio|hacerme da[nñ]o))\b",
    re.IGNORECASE)
# Earlier user turns read for context (a follow-up "and now he's throwing up" after "he hit his head").
HISTORY_TURNS = 3


class Triage:
    """Triage of one message: the clinical layer always, the similarity layer when an encoder is given.

    ``run(message, history)`` takes the earlier *user* messages of the conversation, oldest first: they supply
    context (a head knock, a baby's age, a pregnancy) to findings in the current message, and never raise a flag
    on their own. An encoder that fails (a missing model) leaves the clinical layer alone, logged once.
    """

    def __init__(self, *, encode: Encode | None = None, numbers: Numbers | None = None,
                 known_words: frozenset[str] = frozenset(), cache_dir: Path | None = None, model_key: str = "",
                 similarity: SimilaritySettings | None = None) -> None:
        self.clinical = ClinicalLayer(known_words, cache_dir=cache_dir)
        self.similarity = (SimilarityLayer(encode, cache_dir=cache_dir, model_key=model_key, settings=similarity)
                           if encode is not None else None)
        self.numbers = numbers or Numbers()

    def run(self, message: str, history: Sequence[str] = ()) -> TriageResult:
        started = time.perf_counter()
        message = message or ""
        if not message.strip():
            return TriageResult()
        earlier = list(history)[-HISTORY_TURNS:]
        flags: list[RedFlag] = self.clinical.run(message, earlier)
        layers = {"clinical": bool(flags), "similarity": False}
        if self.similarity is not None:
            veto = self.similarity.learned.veto  # read first: a failing layer is dropped by _similar
            reading = self._similar(message)
            similar = reading.flags
            layers["similarity"] = bool(similar)
            if vetoed(flags, reading, veto):
                flags = []
            folded = _fold(message)
            flags = combine(flags, similar, young_child=bool(_YOUNG_CHILD.search(folded)),
                            accident=bool(_ACCIDENT.search(folded)))
        level = most_serious([f.level for f in flags])
        if level == "none":
            return TriageResult(elapsed_ms=_ms(started), layers=layers)
        ordered = sorted(flags, key=lambda f: (f.level != level, f.layer != "clinical"))
        headline, actions = actions_for(level, ordered, self.numbers)
        return TriageResult(level=level, red_flags=tuple(ordered), actions=actions, headline=headline,
                            elapsed_ms=_ms(started), layers=layers)

    def _similar(self, message: str) -> Reading:
        texts, plain, whole = self.readings(message)
        settled = [self.settled(piece) for piece in whole]
        body = None
        if self.similarity is not None and self.similarity.learned.settled_whole and any(settled):
            body = " ".join(s for s in _SENTENCES.split(message) if s.strip() and not self.settled(s))
        read = without_denials(message)
        if read != message and body is None:
            body = message  # the urgent head reads the message as written; only the self-harm readings skip a denial
        try:
            return self.similarity.run(texts, plain, [without_denials(w) for w in whole], read, settled,
                                       body) if texts else Reading([])
        except Exception as exc:  # noqa: BLE001 - the clinical layer must still answer
            log.warning("triage similarity layer unavailable (%s); clinical layer only", exc)
            self.similarity = None
            return Reading([])

    def settled(self, text: str) -> bool:
        """Whether ``text`` is a settled history: every sentence of it read as history by the clinical layer (a past
        anchor, "last year", "in 2019", "hace años", and no sign of now: "again", "today", "since yesterday"), and
        every clause of it either anchored in the past or without a present-tense verb ("he had one last year too,
        this one lasted a minute, hes awake but still hot" is not settled)."""
        sentences = self.clinical.normalise(text)
        return bool(sentences) and all(s.history and all(s.clause_history.values()) for s in sentences)

    def readings(self, message: str) -> tuple[list[str], list[bool], list[str]]:
        """What the similarity layer reads of each piece of ``message``: the piece with its denied clauses removed
        (the embedder does not read negation: "no chest pain, just heartburn" is close to chest pain), whether the
        piece is *plain* (not history, not an information or prevention question: only plain pieces may raise a
        flag other than self-harm), and the whole piece (what the self-harm vote reads). Before round 3 a piece with
        any denied symptom was dropped, and with it every urgent message with a pertinent negative ("hives
        spreading, no lip swelling") and every "no point going on"."""
        texts: list[str] = []
        plain: list[bool] = []
        whole: list[str] = []
        for piece in pieces(message):
            if len(_WORD.findall(piece)) < 2:  # digits, symbols, one word: nothing an embedding can read
                continue
            kept = [c.strip() for c in _CLAUSE.split(piece) if c.strip() and not _DENIAL.search(_fold(c))]
            text = ", ".join(kept) if len(kept) < len(_CLAUSE.split(piece)) else piece
            sentences = self.clinical.normalise(piece)
            is_plain = len(_WORD.findall(text)) >= 2 and any(not (s.history or s.framed) for s in sentences)
            texts.append(text if len(_WORD.findall(text)) >= 2 else piece)
            plain.append(is_plain)
            whole.append(piece)
        return texts, plain, whole


def without_denials(text: str) -> str:
    """``text`` without its stated denials of self-harm (:data:`_SELF_HARM_DENIAL`), what the self-harm readings read;
    ``text`` itself when nothing readable would be left."""
    if not _SELF_HARM_DENIAL.search(text):
        return text
    kept = " ".join(_SELF_HARM_DENIAL.sub(" ", text).split()).strip(" ,;-")
    return kept if len(_WORD.findall(kept)) >= 2 else text


# Clinical categories beside which a similarity-only self-harm risk is believed: an overdose or poisoning may be
# intentional. Beside a stroke or a heart attack it is not: "my face is drooping and I can't lift my arm" sat near
# a self-harm exemplar and got the crisis reply instead of "call 911" (the regression set, a dev set).
INTENT_CATEGORIES = frozenset({"poisoning", "self_harm", "harm_to_others", "bleeding"})
# ("bleeding" since round 10: "cut deeper than usual and it wont stop bleeding" had its self-harm risk read by the
# similarity layer alone; once "wont stop bleeding" became a bleeding flag, the risk was dropped beside it)
# ... but not beside a young child's ingestion: a toddler in the dishwasher tablets is an accident, and the crisis
# reply (which withholds the answer) is the wrong one for the parent (round 4 dev).
ACCIDENTAL_CONCEPTS = frozenset({"poisoning.child_ingestion", "poisoning.button_battery"})
_YOUNG_CHILD = re.compile(r"\b(?:baby|babies|infant|toddler|newborn|bub|little one|preschooler|(?:[1-9]|one|two|three|"
                          r"four|five|six|seven|eight) ?(?:yo|y o|year old|years old|yr old|month old|months old)|"
                          r"(?:[1-9]|one|two|three|four|five) ?(?:anos|ano|meses)|bebe|nene|nena|nino pequeno)\b")


def vetoed(clinical: list[RedFlag], reading: Reading, veto: float) -> bool:
    """Whether the classifier overrules the clinical layer's flags: all of them below the self-harm level, none
    from the similarity layer, and the classifier's urgent probability of every piece and the whole message under
    ``veto`` (``LearnedSettings.veto``; 0 never vetoes)."""
    return (veto > 0 and bool(clinical) and not reading.flags and reading.urgent is not None
            and reading.urgent < veto and all(f.level != "self_harm" for f in clinical))


# A poisoning the message calls an accident or a misuse ("se me olvidó que ya me había tomado la pastilla ... y me
# tomé otra", "drank a whole bottle of robitussin to get high": both got the crisis reply in held-out P, now dev): the
# similarity layer's self-harm reading is not believed beside it. A clinical self-harm flag still is.
_ACCIDENT = re.compile(r"\b(?:by mistake|by accident|accidental(?:ly)?|accidently|mistakenly|forgot|forgotten|thinking "
                       r"(?:it|they) (?:was|were)|mixed up|misread|to get high|getting high|for a high|por error|por "
                       r"equivocacion|sin querer|se me olvido|me confundi|se confundio|me equivoque|se equivoco|"
                       r"para drogarse|para colocarse|"
                       # how an injury happened: "fell on a glass jar, deep cut on his wrist" (held-out E)
                       r"fell (?:on|onto|through|off)|through (?:the |a )?(?:glass|window|door|windscreen)|"
                       r"broken glass|on (?:a |the )?(?:glass|tin|can|nail|fence|knife))\b")


def combine(clinical: list[RedFlag], similar: list[RedFlag], *, young_child: bool = False,
            accident: bool = False) -> list[RedFlag]:
    """The flags of both layers. The nearest exemplar's category is a weaker reading than a named red flag: beside
    clinical flags, a similarity flag only adds a self-harm risk (which changes the reply), never another
    category's steps, and only beside a flag where intent matters (``INTENT_CATEGORIES``; not a young child's
    ingestion, ``young_child``: the message names a baby, a toddler or a child under ten; nor beside a poisoning the
    message calls an accident or a misuse, or a bleeding whose mishap it tells, ``accident``: :data:`_ACCIDENT`).
    Round 8: one such flag
    is enough; before, every clinical flag had to be one, and "i swallowed 15 of his tablets to show him, now i
    feel dizzy" lost its self-harm risk to the dizziness flag."""
    if not clinical:
        return list(similar)
    believed = any(f.category in INTENT_CATEGORIES for f in clinical) and not any(
        young_child and f.concept in ACCIDENTAL_CONCEPTS for f in clinical) and not (
        accident and any(f.category in ("poisoning", "bleeding") for f in clinical))
    return [*clinical, *(f for f in similar if f.level == "self_harm" and believed)]


def _fold(text: str) -> str:
    from medcite.qa.text import fold

    return fold(text)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
