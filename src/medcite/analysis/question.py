"""What a question asks: its focus in the library's own names, its type(s), population and sub-questions.

``QuestionAnalyzer.run(message, history)`` returns a :class:`QuestionAnalysis`, used by retrieval (the canonical
query, the focus documents, the section types wanted), by abstention (a named focus the library lacks) and shown
in ``ask --json``. The measured reason: on real consumer messages the raw text ranked worse than dense retrieval
alone, and long messages were refused although the library held the answer (issue 13, docs/evals.md).

    analysis = analyzer.run("hi! been on a statin 3 months and my legs ache, could it be the pills?? thanks")
    [f.display for f in analysis.focus], analysis.types   # (['Statins'], ('side_effects',)) on the shared library

Types come from cue phrases that hold across phrasings ("side effect", "could it be the pills", "what should I
not eat"), checked on the dev sets; the focus comes from the library (``analysis.vocabulary``), not from a list.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from medcite.analysis.names import NameIndex
from medcite.analysis.types import QUESTION_TYPES, population_of, question_types, yes_no
from medcite.analysis.vocabulary import Match, Token, Vocabulary, tokens

log = logging.getLogger(__name__)

MAX_SUB_QUESTIONS = 4
# The nearest-name focus (``QuestionAnalyzer._nearest``): the least cosine, the band below the best, how many names.
NEAREST_FOCUS = 0.55
NEAREST_BAND = 0.05
NEAREST_NAMES = 2
WORD_FOCUS_FAR = 0.5
NEAREST_BESIDE = 0.53
NEAREST_GAP = 0.15
LONG_MESSAGE = 60  # words: a longer message is cut to its questions for retrieval
# Names that say what kind of question it is, not what it is about ("side effects" is a MedlinePlus synonym).
_TYPE_WORDS_TEXT = (    "side effect symptom sign cause treatment therapy test diagnosis prevention risk outlook "
    "prognosis dose dosage medicine medication drug information question problem help pain disease "
    "disorder condition life expectancy survival outcome complication inheritance cure recovery")
_TYPE_WORDS = frozenset(_TYPE_WORDS_TEXT.split())
# Where care happens and who gives it, in everyday short forms: "The ER said my heart was normal" is not about the
# estrogen receptor (round 9's blind read of a POTS story). Not "MD" (muscular dystrophy) or "PCP" (Pneumocystis
# pneumonia): short forms the library also uses for conditions stay names.
_SETTING_WORDS = frozenset(("er", "icu", "nicu", "picu", "gp", "obgyn", "ob gyn"))
_GREETING = re.compile(
    r"^\s*(?:(?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening))(?: (?:there|doctor|doc|sir|madam|"
    r"all|team|everyone))?[\s,!.:-]+)+", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"[\s,.!]*(?:(?:many thanks|thanks?(?: you)?|thank you|thx|cheers|regards|best(?: wishes)?|sincerely|kind regards|"
    r"waiting for (?:your|a) (?:reply|answer|response)|(?:i )?look(?:ing)? forward)\b[^?]{0,80})$", re.IGNORECASE)
_CONTACT = re.compile(
    r"https?://\S+|\S+@\S+\.\w+|\+?\(?\d[\d\s().-]{8,}\d|\b(?:my name is|i am called|name:)\s+[A-Z][\w.-]*(?:\s+[A-Z]"
    r"[\w.-]*)?|\b(?:subject|re|fw|fwd)\s*:\s*", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:please (?:help|advise|answer|reply)(?: me)?|i need (?:some |your )?help|help me|urgent|question|"
    r"(?:i )?hope (?:someone|somebody|anyone|you) (?:can|could|will) help(?: me)?(?: out)?|"
    r"(?:can|could) (?:someone|somebody|anyone|you) (?:please )?help(?: me)?|god bless(?: you)?|"
    r"i(?: would|'d) (?:be (?:very |so )?grateful|appreciate) (?:for |if |any )?[^.?!]{0,60}|any (?:help|information|"
    r"advice|reply) (?:would be|is|will be) (?:much |greatly )?(?:appreciated|welcome))[\s.!:,-]*$", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.?!\n]+(?:[.?!]+|$)")
_QUESTION_START = re.compile(
    r"^\s*(?:and |also |so |but |plus )?(?:what|how|why|when|where|who|which|whom|whose|is|are|am|can|could|do|does|"
    r"did|should|would|will|was|were|has|have|may|might|any|tell me|explain|i (?:want|need|would like) to know|"
    r"i(?:'m| am) (?:wondering|asking)|please (?:tell|explain|let))\b", re.IGNORECASE)
# "or" joins no second question: "can cranberry juice get rid of a bladder infection or do i need antibiotics" asks
# one either-or question (round 7's blind read; it was answered in two parts)
_JOINED = re.compile(r",?\s+(?:and|also|plus)\s+(?=(?:what|how|why|when|where|is|are|can|could|do|does|should|"
                     r"will|would)\b)", re.IGNORECASE)
_FOLLOW_UP = re.compile(r"^\s*(?:and|also|what about|how about|but|so|ok|okay)\b|\b(?:it|its|this|that|they|them|"
                        r"these|those)\b", re.IGNORECASE)
_LEAD_IN = re.compile(r"^[^:?]{3,120}:\s+")
# the writer speaking: "I" only where a clause starts with it ("bipolar I disorder" is a name)
_SPEAKER = re.compile(r"\b(?:i'm|i've|my|me|we|our|us|you|your)\b|(?:^|[,;]\s*|\band\s+)i\b", re.IGNORECASE)
_PUNCT_RUN = re.compile(r"[?!]+|\.{2,}|\s+")


@dataclass(frozen=True)
class Focus:
    """What a question is about, in the library's own name for it."""

    text: str  # as the user wrote it
    display: str  # the library's name
    doc_ids: tuple[str, ...]
    kinds: tuple[str, ...]
    corrected: tuple[tuple[str, str], ...] = ()  # (word as typed, library word it was read as)
    inherited: bool = False  # taken from an earlier turn ("and its side effects?")
    nearest: bool = False  # no word named it: the embedder's nearest library name (``medcite.analysis.names``)

    def to_dict(self) -> dict:
        return {"name": self.display, "documents": len(self.doc_ids), "kinds": list(self.kinds),
                "corrected": [list(c) for c in self.corrected], "inherited": self.inherited,
                "nearest": self.nearest}


@dataclass(frozen=True)
class SubQuestion:
    """One question of a message that may ask several."""

    text: str
    types: tuple[str, ...]
    yes_no: bool
    focus: tuple[Focus, ...]
    missing: tuple[str, ...] = ()  # named things this part asks about that the library never mentions

    def to_dict(self) -> dict:
        return {"types": list(self.types), "yes_no": self.yes_no,
                "focus": [f.display for f in self.focus], "missing": list(self.missing)}


@dataclass(frozen=True)
class QuestionAnalysis:
    """The typed reading of one message: what retrieval, abstention and the answer plan act on."""

    message: str
    cleaned: str  # boilerplate (greetings, contact details, thanks) dropped
    query: str  # canonical retrieval text: corrected, case and punctuation folded, focus names added
    focus: tuple[Focus, ...] = ()
    types: tuple[str, ...] = ("information",)
    yes_no: bool = False
    population: tuple[str, ...] = ()
    sub_questions: tuple[SubQuestion, ...] = ()
    missing: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = field(default=())
    also_named: tuple[str, ...] = ()  # specific library names the message holds besides its focus (MeSH: "Ketamine")

    @property
    def asked(self) -> str:
        """What the message asks, for scoring evidence sentences: its questions (misspelt names corrected) and the
        focus names they leave to the context ("what actually causes it (Chronic Fatigue Syndrome)"); the story
        around them ("I've been exhausted for a year", "I'm embarrassed to ask") is no evidence criterion."""
        text = " ".join(s.text for s in self.sub_questions) or self.cleaned
        if not self.focus and len(self.cleaned.split()) <= LONG_MESSAGE:
            # No name the library knows: the topic may be in the statements alone ("My doctor says I have a floppy
            # heart valve. What symptoms should I watch for?" was refused, its question naming nothing; round 7)
            text = self.cleaned
        text = corrected(text, self.corrections)
        lowered = text.lower()
        names = [f.display for f in self.focus if f.display.lower() not in lowered and f.text.lower() not in lowered]
        return f"{text} ({', '.join(names)})" if names else text

    @property
    def sub_asked(self) -> tuple[str, ...]:
        """Each question of the message as :attr:`asked` reads the whole: corrected, with its focus names."""
        out = []
        for sub in self.sub_questions:
            text = sub.text
            text = corrected(text, self.corrections)
            names = [f.display for f in sub.focus if f.display.lower() not in text.lower()
                     and f.text.lower() not in text.lower()]
            out.append(f"{text} ({', '.join(names)})" if names else text)
        return tuple(out)

    @property
    def reading(self) -> str:
        """The message as it is read: boilerplate dropped, misspelt names corrected, an inherited focus named
        ("and what about side effects?" after an IVIG question reads "... side effects? (IVIG)")."""
        text = self.cleaned
        text = corrected(text, self.corrections)
        inherited = [f.display for f in self.focus if f.inherited]
        return f"{text} ({', '.join(inherited)})" if inherited else text

    @property
    def sub_queries(self) -> tuple[str, ...]:
        """One retrieval text per question when the message asks about two or more different things (each with its
        focus names), else none: the whole query serves questions on one topic (dev: interleaving one-topic
        MEDIQA messages cost 0.03 nDCG; two-topic messages gained 0.06)."""
        topics = {frozenset(f.display for f in s.focus) for s in self.sub_questions if s.focus}
        if len(self.sub_questions) < 2 or len(topics) < 2:
            return ()
        out = []
        for sub in self.sub_questions:
            text = canonical(sub.text)
            names = [f.display for f in sub.focus if canonical(f.display) not in text and canonical(f.text) not in text]
            out.append(canonical(" ".join([sub.text, *names])))
        return tuple(dict.fromkeys(q for q in out if len(q.split()) >= 3)) if len(out) > 1 else ()

    @property
    def focus_documents(self) -> frozenset[str]:
        return frozenset(d for f in self.focus for d in f.doc_ids)

    @property
    def missing_is_subject(self) -> bool:
        """Every question of the message is about a name the library lacks: the first name a question holds is
        missing ("Is tirzepatide better than metformin?"), or, holding none ("Is it approved for kids?"), the
        last name before it is. A message with an answerable question as well gets that part answered."""
        return bool(self.missing) and bool(self.sub_questions) and all(s.missing for s in self.sub_questions)

    def to_dict(self) -> dict:
        """JSON-ready; no text of the message itself (``ask --json`` shows the question in its "question" field
        only): names as the library writes them, and the words typed only where they were corrected or missing."""
        return {"focus": [f.to_dict() for f in self.focus], "types": list(self.types),
                "yes_no": self.yes_no, "population": list(self.population),
                "sub_questions": [s.to_dict() for s in self.sub_questions], "missing": list(self.missing),
                "corrections": [list(c) for c in self.corrections]}


def corrected(text: str, corrections: Sequence[tuple[str, str]]) -> str:
    """``text`` with each misspelt word or name (typed, fixed) written as the library writes it, in any case.

    >>> corrected("Aknle injury, my aknle hurts", [("Aknle", "ankle")])
    'ankle injury, my ankle hurts'
    """
    for typed, fixed in corrections:
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", fixed, text, flags=re.IGNORECASE)
    return text


def drop_boilerplate(message: str) -> str:
    """The message without greetings, sign-offs, contact details, subject lines and "please help" filler."""
    text = _CONTACT.sub(" ", message)
    text = " ".join(text.split())
    text = _SIGN_OFF.sub("", _GREETING.sub("", text)).strip()
    kept = [s.strip() for s in _SENTENCE.findall(text) if s.strip() and not _FILLER.match(s.strip())]
    text = " ".join(kept)
    return text if len(text) >= 3 else " ".join(message.split())


def is_boilerplate(sentence: str) -> bool:
    """Whether a sentence is only courtesy: a greeting, a sign-off, thanks, "please help" (no medical content).

    >>> [is_boilerplate(s) for s in ("Good morning.", "I would be grateful for any information.", "I want to die.")]
    [True, True, False]
    """
    text = " ".join(sentence.split())
    if _FILLER.match(text):
        return True
    rest = _SIGN_OFF.sub("", _GREETING.sub("", text)).strip(" .,!:;-")
    return not rest or bool(_FILLER.match(rest))


def canonical(text: str) -> str:
    """Case and punctuation folded, so "Side effects of statins?" and "side effects of statins" are one query."""
    return " ".join(_PUNCT_RUN.sub(" ", text).lower().split()).strip(" .,;:-")


def split_questions(text: str) -> list[str]:
    """The questions of a message; its statements ("I have gout.") are context, not questions. A lead-in of the
    writer's before a colon ("asking for my dad who doesn't use the internet: What is ...?") is context too: left
    in, its words outweighed the question's in the evidence scores (dev: noisy.jsonl chatty variants). A lead-in
    without "I", "my", "we" or "you" is a topic ("Post-tonsillectomy late haemorrhage: is it a night-time event?",
    PubMedQA's titles) and stays."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    questions: list[str] = []
    for sentence in sentences:
        lead = _LEAD_IN.match(sentence)
        if lead and _SPEAKER.search(lead.group(0)) and _QUESTION_START.match(sentence[lead.end():]):
            sentence = sentence[lead.end():]
        if sentence.endswith("?") or _QUESTION_START.match(sentence):
            questions.extend(p.strip(" ,") for p in _JOINED.split(sentence) if len(p.split()) >= 2)
    return questions[:MAX_SUB_QUESTIONS] or [text]


def _one_per_word(names: Iterable[str]) -> tuple[str, ...]:
    """Names in order, a later plural or singular of an earlier one left out ("cooktops or cooktop" was named).

    >>> _one_per_word(["cooktops", "Cooktop", "Wegovy"])
    ('cooktops', 'Wegovy')
    """
    out: list[str] = []
    stems: set[str] = set()
    for name in names:
        stem = re.sub(r"(?:es|s)$", "", name.lower()) if len(name) > 4 else name.lower()
        if stem not in stems and name.lower() not in stems:
            out.append(name)
            stems.update({stem, name.lower()})
    return tuple(out)


class QuestionAnalyzer:
    """Reads questions against one library's vocabulary. One job, one ``run()``."""

    def __init__(self, vocabulary: Vocabulary, names: NameIndex | None = None) -> None:
        self.vocabulary = vocabulary
        self.names = names

    def run(self, message: str, history: Sequence[str] = (), *, absent: Sequence[str] = ()) -> QuestionAnalysis:
        """Analyse ``message``; ``history`` holds the user's earlier turns, latest last (for follow-ups). ``absent``
        holds phrases of the message found after retrieval to name what the library lacks
        (``medcite.analysis.coverage``): they are missing names too."""
        cleaned = drop_boilerplate(message)
        # A message in capitals is shouted, not full of acronyms: read it as lower case ("IS THE FLU SHOT SAFE")
        letters = [c for c in cleaned if c.isalpha()]
        shouted = len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
        words = tokens(cleaned.lower() if shouted else cleaned)
        matches = [m for m in self.vocabulary.link(words) if self._is_focus(m)]
        missing = _one_per_word(w.text for w in words if self._missing(w, matches, cleaned))
        spans = [(i, phrase) for phrase in absent for i in [cleaned.lower().find(phrase.lower())] if i >= 0]
        missing = tuple(dict.fromkeys([*missing, *(phrase for _, phrase in spans)]))
        focus = tuple(self._focus(m) for m in _best(matches))
        if not focus and history and _FOLLOW_UP.search(cleaned) and len(words) <= 12:
            earlier = self.run(history[-1], history[:-1])
            focus = tuple(Focus(f.text, f.display, f.doc_ids, f.kinds, f.corrected, inherited=True)
                          for f in earlier.focus)
        if not history and not missing and not any(f.inherited for f in focus):  # "Paxlovid" missing is the topic
            focus = self._nearest(cleaned, focus)
        corrections = tuple((m.text, m.term.display) for m in matches if m.corrected)
        # a misspelt word that is no name on its own is still searched as the library writes it ("Aknle injury"
        # as "ankle injury"; dev: MEDIQA typo variants, the dense query of a misspelt word finds nothing)
        # ("alot" as "clot" is why a word needs five letters: shorter ones have too many neighbours)
        seen = {typed.lower() for typed, _ in corrections}
        for w in words:
            if len(w.key) >= 5 and w.text.lower() not in seen and not any(m.start <= w.start < m.end for m in matches):
                fixed = self.vocabulary.correct_typed(w)
                if fixed:
                    corrections += ((w.text, fixed),)
                    seen.add(w.text.lower())
        names = sorted([(m.start, m.text, False) for m in matches if m.term.strong or not focus]
                       + [(w.start, w.text, True) for w in words if w.text in missing]
                       + [(i, phrase, True) for i, phrase in spans])
        subs = self._sub_questions(cleaned, focus, names)
        types = tuple(dict.fromkeys(t for s in subs for t in s.types)) or ("information",)
        return QuestionAnalysis(
            message=message, cleaned=cleaned, query=self._query(cleaned, subs, focus, corrections), focus=focus,
            types=types, yes_no=any(s.yes_no for s in subs), population=population_of(cleaned),
            sub_questions=subs, missing=missing, corrections=corrections,
            also_named=tuple(dict.fromkeys(m.term.display for m in matches if m.term.display not in
                                           {f.display for f in focus} and len(m.term.doc_ids) <= SPECIFIC_NAME_DOCS)),
        )

    # -------------------------------------------------------------------------------------------- steps
    def _nearest(self, cleaned: str, focus: tuple[Focus, ...]) -> tuple[Focus, ...]:
        """The focus with the library names nearest the message's questions (all of a short message) by the embedder.

        Without a word-linked focus: the nearest name when at least ``NEAREST_FOCUS`` close, with any other within
        ``NEAREST_BAND`` of it (at most ``NEAREST_NAMES``). Beside word-linked names that all sit far from the
        question (under ``WORD_FOCUS_FAR``; "Period", "Hormones" for a message about hot flashes), the nearest name
        comes first when it is at least ``NEAREST_BESIDE`` close and ``NEAREST_GAP`` closer than the best of them
        ("Menopausal hormone therapy"); the word-linked names stay (a long story sits far from "CIDP", which it
        is about), and only names typed in everyday words ("period", "smoking", "cramp") are put beside: a name the
        writer chose ("IVIG", "situs inversus") is the topic however far the message sits from it ("Autoimmune
        Diseases" and "Left-sided heart failure" came first before this rule). Thresholds chosen on the 72 fresh
        blind-read questions of rounds 6 and 7 and the handwritten and patient-style dev sets (dev)."""
        if self.names is None or not cleaned.strip():
            return focus
        text = " ".join(split_questions(cleaned)) if len(cleaned.split()) > LONG_MESSAGE else cleaned
        try:
            vector = self.names.encode([text])[0]
            near = self.names.nearest(vector, k=NEAREST_NAMES)
            linked = [self.names.cosine(f.display, vector) for f in focus]
        except Exception:  # noqa: BLE001 - a failing embedder leaves the word links alone
            log.warning("nearest-name focus unavailable", exc_info=True)
            self.names = None
            return focus
        if not near:
            return focus

        def made(term) -> Focus:
            return Focus(term.display, term.display, tuple(sorted(term.doc_ids)), tuple(sorted(term.kinds)),
                         nearest=True)

        best = near[0][1]
        if not focus:
            return tuple(made(t) for t, cos in near if cos >= best - NEAREST_BAND) if best >= NEAREST_FOCUS else ()
        closest = max(linked, default=0.0)
        everyday = all(self._everyday(f) for f in focus)
        if everyday and closest < WORD_FOCUS_FAR and best >= NEAREST_BESIDE and best - closest >= NEAREST_GAP \
                and near[0][0].display not in {f.display for f in focus}:
            return (made(near[0][0]), *focus)
        return focus

    def _everyday(self, focus: Focus) -> bool:
        """The name was typed in everyday words: each an English word of the embedder's list or a number, or one word
        that only begins a longer name ("cramp" linked "Cramp-fasciculation syndrome")."""
        typed = focus.text.lower()
        words = re.findall(r"[a-z]+|\d+", typed)
        head = len(words) == 1 and not focus.text.isupper() and len(focus.display.split()) > 1 \
            and focus.display.lower().startswith(typed.rstrip("s"))
        return bool(words) and (head or all(w.isdigit() or w in self.vocabulary.english for w in words))

    def _is_focus(self, match: Match) -> bool:
        words = set(match.term.key.split())
        return not match.term.generic and not words <= _TYPE_WORDS and match.term.key not in _SETTING_WORDS

    def _missing(self, word: Token, matches: list[Match], text: str) -> bool:
        inside = any(m.start <= word.start < m.end for m in matches)
        if inside or not self.vocabulary.unlisted(word.key, word.text):
            return False
        # part of a hyphenated word the library writes joined: "peri-sinusoidal" (dev: pubmedqa "perisinusoidal")
        joined = _HYPHENATED.finditer(text)
        whole = next((m.group(0) for m in joined if m.start() <= word.start < m.end()), "")
        return not (whole and self.vocabulary.known(re.sub(r"\W", "", whole).lower()))

    @staticmethod
    def _focus(match: Match) -> Focus:
        term = match.term
        return Focus(match.text, term.display, tuple(sorted(term.doc_ids)), tuple(sorted(term.kinds)), match.corrected)

    @staticmethod
    def _sub_questions(cleaned: str, focus: tuple[Focus, ...],
                       names: list[tuple[int, str, bool]]) -> tuple[SubQuestion, ...]:
        """Each question with its focus and, when it asks about a name the library lacks, that name. ``names`` are
        (offset, text, missing) of every name in the message, in order.

        A question asks about a missing name when it holds one ("Should he get the RSV vaccine (Arexvy)?", "Is
        metformin better than tirzepatide?"), or when it points back, by a pronoun before any name of its own or by
        naming nothing, to a sentence or clause right before it that holds one ("I read erythritol is linked to
        heart attacks. Should I stop using it?", "what is zuranolone and how is it different from
        antidepressants"). Only that close: "how can I overcome the pain", four sentences after a therapy the library
        lacks, asks about the pain (dev: MEDIQA Val-4; the rule before took the last name anywhere earlier)."""
        out = []
        cursor = 0
        starts = [m.start() for m in _SENTENCE.finditer(cleaned)]
        for text in split_questions(cleaned):
            start = max(0, cleaned.find(text, cursor))
            cursor = start + len(text)
            inside = [n for n in names if start <= n[0] < start + len(text)]
            gone_inside = [n[1] for n in inside if n[2]]
            # a name as a word of the question: "ER" is no name inside "recover" (round 9's blind read: "is it
            # something people recover from?" after "The ER said ..." was read as about the ER)
            own = [f for f in focus if f.inherited or re.search(rf"(?<!\w){re.escape(f.text.lower())}(?!\w)",
                                                                text.lower())]
            gone: tuple[str, ...] = ()
            if gone_inside:
                gone = (gone_inside[0],)
            elif _points_back(text, inside[0][0] - start if inside else None):
                opening = max([s for s in starts if s <= start] or [0])
                previous = max([s for s in starts if s < opening] or [opening])
                earlier = [n[1] for n in names if previous <= n[0] < start and n[2]]
                gone = (earlier[-1],) if earlier else ()
                if not own and not gone and _THING_POINTER.search(text):
                    # "it" is the last name of the two sentences before ("... said it looks like POTS. I've never
                    # heard of it. What is it exactly?"), not every name of the message (the ER, anxiety); a
                    # question naming nothing ("What treatments are there?" after a diagnosis and a symptom) or
                    # pointing at a person ("can he get better?") keeps every name (round 10's blind read)
                    before = max([s for s in starts if s < previous] or [previous])
                    named = [n[1].lower() for n in names if before <= n[0] < start and not n[2]]
                    own = [f for f in focus if named and f.text.lower() == named[-1]]
            out.append(SubQuestion(text=text, types=question_types(text), yes_no=yes_no(text),
                                   focus=tuple(own or focus), missing=gone))
        return tuple(out)

    @staticmethod
    def _query(cleaned: str, subs: tuple[SubQuestion, ...], focus: tuple[Focus, ...],
               corrections: tuple[tuple[str, str], ...]) -> str:
        """The retrieval text: the message without boilerplate, misspelt names corrected, any inherited focus name
        added. A long message (over ``LONG_MESSAGE`` words) keeps only its questions and the sentences that name
        its focus: its history and asides drown the question (dev: the context of a short message helps dense
        retrieval, medquad_patient nDCG 0.887 with it, 0.852 with the questions alone)."""
        text = cleaned
        names = [f.text.lower() for f in focus]
        if focus and len(cleaned.split()) <= LONG_MESSAGE:
            text = " ".join(_without_asides(s, names) for s in _SENTENCE.findall(cleaned) if s.strip()) or cleaned
        if len(cleaned.split()) > LONG_MESSAGE:
            sentences = [s.strip() for s in _SENTENCE.findall(cleaned) if s.strip()]
            kept = [s for s in sentences
                    if any(n in s.lower() for n in names) or any(s == q.text for q in subs)]
            # Naming nothing the library calls a name, the message's opening says what it is about ("Ankle injury.
            # I got hurt ... how to overcome the pain?"): without it the questions alone name no topic.
            # Of its first two sentences, the opening is the first not about the writer ("I've been up all night
            # worrying about this. Ankle injury. ...": the subject line), else the first.
            plain = [s for s in sentences[:2] if not _SPEAKER.search(s)]
            opening = (plain[:1] or sentences[:1]) if not focus else []
            text = " ".join(dict.fromkeys([*opening, *kept, *(q.text for q in subs)])) or cleaned
        text = corrected(text, corrections)
        lowered = canonical(text)
        extra = [f.display for f in focus if canonical(f.display) not in lowered and canonical(f.text) not in lowered]
        return canonical(" ".join([text, *extra]))


def _without_asides(sentence: str, names: Sequence[str]) -> str:
    """A sentence of a short message as searched: the writer's lead-in to a question that names no focus ("I'm a nurse
    and a patient asked me this today: how to diagnose ...") is left out, as :func:`split_questions` leaves it out of
    the questions; its words pulled dense retrieval off the question (dev: chatty variants of MEDIQA). Dropping
    the writer's other asides too ("I've been up all night worrying about this.") made punctuation change the
    search (a sentence is an aside only when it is no question), and was dropped."""
    sentence = sentence.strip()
    lead = _LEAD_IN.match(sentence)
    if lead and _SPEAKER.search(lead.group(0)) and _QUESTION_START.match(sentence[lead.end():]) \
            and not any(n in lead.group(0).lower() for n in names):
        return sentence[lead.end():]
    return sentence


_HYPHENATED = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")
_POINTER = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|one)\b", re.IGNORECASE)
_THING_POINTER = re.compile(r"\b(?:it|its|this|that)\b", re.IGNORECASE)


def _points_back(text: str, first_name: int | None) -> bool:
    """A question that names nothing, or whose first reference is a pronoun before any name of its own."""
    if first_name is None:
        return True
    pointer = _POINTER.search(text)
    return pointer is not None and pointer.start() < first_name


SPECIFIC_NAME_DOCS = 25  # a name in more documents than this ("Child", "Risk Factors") says what a message is not about


def _best(matches: list[Match]) -> list[Match]:
    """The focus names: strong names (titles, synonyms, acronyms) when there are any, else the MeSH ones."""
    strong = [m for m in matches if m.term.strong]
    return strong or matches


__all__ = ["QUESTION_TYPES", "Focus", "QuestionAnalysis", "QuestionAnalyzer", "SubQuestion", "canonical",
           "drop_boilerplate", "split_questions"]
