"""The clinical layer of triage: red-flag concepts found in a message, with negation, history and framing.

The message is split into sentences (and each sentence into clauses at commas and "but"), normalised to
lower-case ASCII words, and each word the lexicon does not know and English does not know (the embedding
model's own word list, when given) is corrected to the nearest lexicon word within one edit (two for words of
eight letters or more; Damerau-Levenshtein, a deletion index: ``medcite.triage.speller``), so "chesst pian" and
"siezure" are read as written by someone in a hurry.
A concept's match is then dropped when

- it is **negated**: a cue (no, not, never, without, denies, sin, ...) up to six words before it in its clause;
- its sentence is **history** ("two years ago", "in 2019", "history of") with no sign that it is back now;
- its sentence is **framed as information, prevention or a hypothetical** ("what are the signs of", "how to
  prevent", "what would you do if someone ...", "for my exam") with no sign that it is happening now;
- it is **benign** by its own words ("for weeks", "when I run", "after eating"), unless the concept is strong;
- what it ``requires`` (a baby under three months for a fever, a head knock for vomiting) is absent from the
  message and the conversation.

Numbers are read as numbers: temperatures with or without units (38.6, 102F, 39,2 grados), ages (a 6 week old),
and glucose readings in mg/dL or mmol/L (sugar 35, 28 mmol, the meter says HI).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from medcite.triage.lexicon import ALL, CONCEPTS, CONTEXTS, Concept
from medcite.triage.model import RedFlag
from medcite.triage.speller import Speller, words_of

_APOSTROPHES = re.compile(r"['’‘`´]")
_SENTENCE_END = re.compile(r"(?<!\d)[.!?;…]+(?!\d)|[.!?;…]+(?=\s|$)|\n+")
_CLAUSE = re.compile(r"(,|\(|\)|\b(?:but|however|although|though|except|pero|aunque|and|y)\b)")
# A denial inside a matched span ("cramps in the middle, no bleeding"): the span reads past a negation.
_INNER_NEGATION = frozenset({"no", "sin", "denies", "denied", "nor", "ni", "negative"})
_INNER_NOT_NEGATION = frozenset({"para", "puede", "puedo", "podia", "responde", "reacciona", "despierta", "se",
                                 "longer", "one", "more", "matter", "way", "parar", "fuerza",
                                 "control", "aire", "respirar", "reason", "point", "despertar", "despertarme",
                                 "despertarse", "existir", "vivir", "seguir", "querer", "darme", "darse",
                                 "contesta", "atiende", "coge", "abre",
                                 # "mucha sangre roja, sin dolor": painless bleeding is bleeding (held-out P)
                                 "dolor", "pain"})
# Categories whose history is read per clause: "my mum has been talking about joining dad (he died last year)" is a
# present risk beside a past death, and a self-harm miss is the worst outcome.
_CLAUSE_HISTORY = frozenset({"self_harm", "harm_to_others"})
_TOKEN = re.compile(r"[a-z]+|\d+(?:[.,]\d+)?(?:/\d+)?")

_NEGATION_CUES = frozenset({
    "no", "not", "never", "without", "denies", "denied", "deny", "nor", "none", "neither", "negative", "isnt", "arent",
    "wasnt", "werent", "doesnt", "dont", "didnt", "hasnt", "havent", "hadnt", "nothing", "free", "ni", "sin", "nunca",
    "ningun", "ninguna", "tampoco"})
# "sin querer" is "by accident", "sin darme cuenta" "without noticing": no denial of what follows
_PSEUDO_NEGATION = frozenset({"sure", "idea", "clue", "know", "certain", "joke", "kidding", "matter", "only", "just",
                              "one", "doubt", "longer", "querer", "darme", "darse"})
_NEGATION_WINDOW = 6

_NOT_NOW = re.compile(r"\b(?:doing|feeling|am|im|is|are|its|been|all|much) (?:\w+ )?(?:well|fine|good|better|ok|okay|"
                      r"great|stable|over it|clean|sober|healthy|recovered|settled|happy)(?: \w+)? now\b|\b\d+ now\b|"
                      r"\b(?:for|in) (?:\d+|a|one|two|three|four|five|six|several|many|a few|"
                      r"a couple of) (?:years?|yrs?|"
                      r"months?|decades?) now\b|\b(?:im|i am|hes|shes|he is|she is|theyre) off (?:\w+ ){0,2}now\b|"
                      r"\bnow (?:requesting|asking|wondering|wants? to know|planning|considering|thinking (?:of|about) "
                      r"(?:starting|stopping|getting|having|trying|another))\b|\b(?:ahora|ya) (?:estoy|esta|"
                      r"estamos|estan|"
                      r"se encuentra|me encuentro) (?:\w+ )?(?:bien|mejor|estable|sano|sana|tranquil\w*)\b|"
                      r"\bnow (?:that|i know)\b|\bknow now\b|"
                      r"\bnow (?:hes|shes|theyre|im|he is|she is|they are|i am|were|we are) (?:\w+ ){0,2}(?:fine|"
                      r"well|ok|okay|"
                      r"better|healthy|\d+)\b|\b(?:stop|prevent|avoid|stopping|"
                      r"preventing) (?:\w+ ){0,2}(?:happening|coming "
                      r"back|again)\b|\b(?:happening|happen|it) again\b(?= \w* ?(?:in the future|next time))")
_NOW = re.compile(r"\b(?:right now|now|currently|at the moment|as we speak|is happening|happening now|this minute|"
                  r"again|tonight|today|just now|this morning|this evening|ahora|ahorita|en este momento|hoy|"
                  r"minutes ago|an hour ago|hours ago|help|please help|what do i do|what should i do now|suddenly|"
                  r"de repente|this week|since (?:yesterday|last night|earlier|lunch|breakfast|dinner)|(?:is|are|its|"
                  r"theyre) back|otra vez|de nuevo|desde (?:ayer|anoche|esta manana|hace (?:un rato|una hora|"
                  r"horas)))\b")
_HISTORY = re.compile(
    r"\b(?:last|in) (?:year|summer|winter|spring|fall|autumn|decade)\b|\b(?:years?|yrs?|months?|mths?|decades?) ago\b|"
    r"\bin (?:19|20)\d\d\b|\bhistory of\b|\bused to\b|\bprevious(?:ly)?\b|\bprior\b|"
    r"\bback in\b|"
    r"\bsurviv\w*|\brecovered\b|\bsince (?:his|her|my|their) (?:stroke|heart attack|seizure|surgery|attempt|"
    r"overdose|accident|diagnosis)\b|\bafter (?:his|her|my|their) (?:stroke|heart attack|seizure|surgery|attempt|"
    r"overdose|accident)\b|\bwhen i was (?:a |younger|\d+|in)|\bas a (?:kid|child|teen|teenager)\b|\bonce had\b|"
    r"\bhace (?:\d+|un|una|unos|unas|varios|varias|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|muchos|"
    r"muchas) (?:anos|ano|meses|mes)\b|\bel ano pasado\b|\bcuando (?:era|tenia|eramos) (?:nin[oa]|chic[oa]|joven|"
    r"pequen[oa]|adolescente|\d+)\b|\bde (?:nin[oa]|pequen[oa]|adolescente)\b|\bdoing (?:well|fine|great|"
    r"better) now\b|\bfully recovered\b|\b(?:tuve|tuvo|tuvimos)\b(?! \w+ \w+ por primera vez)|\b(?:he|she|they|i|we) "
    r"(?:was|were) (?:fine|ok|okay|well|better|discharged)(?: \w+){0,2} (?:after|afterwards|again|by|later)\b|"
    r"\b(?:was|were) in (?:the )?(?:nicu|picu|icu|hospital|intensive care|special care)\b|\b(?:after|afterwards)\b"
    r"(?: \w+){0,6} (?:he|she|they|i|we) (?:was|were) (?:fine|ok|okay|well|better)\b|\bwhen (?:he|she|they|i) "
    r"(?:was|were) (?:a (?:baby|newborn|toddler)|\d+ (?:days?|weeks?|months?)(?: old)?)\b|"
    r"\bgone for (?:\d+|two|three|a few|several) "
    r"(?:years|months)\b|\blast month\b|\blast (?:week|weekend)\b|\b(?:a|one|two|three|\d+) weeks? ago\b")
# A present-tense verb in a clause: it speaks of now, whatever its sentence's past anchor says.
_PRESENT = re.compile(r"\b(?:is|are|am|im|its|hes|shes|theyre|has|have|ive|keeps?|want|wants|wanna|says|saying|"
                      r"talking|thinking|think|feel|feels|feeling|will|ill|going to|gonna|cant|dont|doesnt|plan|plans|"
                      r"planning|can|need|needs|just|quiero|quiere|pienso|piensa|tengo|tiene|estoy|esta|voy|va)\b")
_PAST = re.compile(r"\b(?:had|was|were|did|took|got|went|tried|attempted|overdosed|swallowed|spent|ended up|woke up|"
                   r"used to|tuve|tuvo|tuvimos|intente|intento|fue|estuve|estuvo|tome|tomo)\b")
_FRAMING = re.compile(
    r"\b(?:what|which) (?:are|is|r|re) (?:the |some |its )?(?:\w+ ){0,2}(?:signs?|symptoms?|causes?|risk factors?|"
    r"warning signs?|red flags?|chances|odds|stages|types)\b|\bsigns? (?:and symptoms )?of (?:a |an )?\w+\b(?! now)|"
    r"\bsymptoms? of (?:a |an )?\w+|\bhow (?:do|can|would|should|could|does) (?:you|i|we|one|people|someone|parents|"
    r"a doctor|doctors) (?:\w+ ){0,2}(?:tell|know|recogni[sz]e|spot|prevent|avoid|reduce|check|identify|notice|"
    r"diagnose|test|stop|store|keep|carry|dispose|get rid)\b|\bhow to (?:prevent|avoid|recogni[sz]e|spot|tell|know|"
    r"identify|reduce|lower|help|treat|"
    r"childproof|store|check|give|do)\b|\b(?:prevent|prevention|preventing|reduce (?:the |my |his |her |our )?risk|"
    r"lower (?:the |my |his |her )?risk|risk factors?|screening|childproof\w*|baby ?proof\w*|safely store|"
    r"safe storage)\b|\bwhat (?:should|would|do|does|can|to) (?:you|i|we|one|a person|someone|parents|people)? ?do "
    r"(?:if|when) (?:someone|somebody|a person|a child|a baby|a kid|you|your|people|one|an adult|a patient|a friend|"
    r"they|ever)\b|\bwhat (?:happens|would happen|can happen) (?:if|when|to)\b|\bif (?:someone|somebody|a person|"
    r"a child|a baby|a kid|you|your \w+|people|one|anyone|a patient|a friend|ever)\b|\bhypothetical\w*|"
    r"\bin theory\b|\bif my \w+ (?:ever |told|said|asked|were|was|had|came)\b|\bfor (?:my |a |an |the |"
    r"our )?(?:\w+ ){0,2}(?:class|exam|exams|essay|homework|assignment|course|test|quiz|"
    r"school|nursing school|med school|paper|project|book|novel|story|research|lecture|presentation|pharmacology)"
    r"\b|\bis it true\b|\bdifference between\b|\bwhat (?:is|are|does|do) (?:a |an |the )?(?:\w+ ){0,3}(?:mean|"
    r"means|stand for)\b|\bcan (?:a|an) \w+ cause\b|\bwhat causes\b|\bwhy do(?:es)? (?:people|some|a)\b|"
    r"\bhow (?:common|likely|long|often) (?:is|are|does|do)\b|\bwhats (?:a|an|the) (?:normal|usual|max|maximum|safe)\b|"
    r"\bwhy (?:does|do|is|are|would)\b|\b(?:dose|dosing|dosage|protocol|guideline|guidelines|indications?|revising|"
    r"standard of care|still standard|units kg|mcg)\b|\bif (?:i|he|she|we|they|my \w+) (?:had|were|was ever|ever)\b|"
    r"\bwhat would (?:they|you|a doctor|doctors|the hospital) (?:\w+ )?do\b|\bhow (?:do|can|should) (?:i|we|you) "
    r"(?:\w+ ){0,2}(?:talk to|talk about|bring up|support|approach|explain|do the|perform|use)\b|\b(?:puedo |como )?"
    r"(?:evitar|prevenir)\b|\bwhat is (?:a|an|the) (?:normal|usual|max|maximum|"
    r"safe|recommended)\b|\b(?:cuales|cual|que) son (?:los |las )?(?:sintomas|signos|senales|causas)\b|\bcomo "
    r"(?:prevenir|saber|reconocer|evitar|se)\b|\bque (?:hacer|pasa|debo hacer|hago) si (?:alguien|una persona|un nino|"
    r"un bebe)\b|\bpara (?:prevenir|evitar)\b|\bsintomas de\b")
# A general question with nobody concrete in it ("What is anaphylaxis?", "How is status epilepticus treated?").
_QUESTION = re.compile(r"^(?:what|whats|which|why|how|hows|is|are|can|could|does|do|should|when|where|who|explain|"
                       r"describe|define|list|tell me about|que|cual|cuales|como|por que|cuando|es|son|puede)\b")
_PERSONAL = re.compile(r"\b(?:i|im|ive|id|me|my|mine|myself|we|were|our|us|he|hes|him|his|she|shes|her|hers|they|"
                       r"theyre|them|their|you|your|mum|mom|dad|son|daughter|baby|wife|husband|partner|friend|kid|"
                       r"child|brother|sister|grandma|grandpa|pt|patient|mi|mis|su|mio|yo|el|ella|tengo|tiene)\b")
_BENIGN = re.compile(
    r"\bfor (?:weeks|months|years|ages|a few weeks|a couple of weeks|a long time|the past (?:few )?(?:weeks|months))"
    r"\b|\bon and off\b|\bcomes and goes\b|\bevery (?:day|night|morning|time|now and then)\b|\bchronic\b|"
    r"\bwhen (?:i|he|she) (?:run|runs|exercise|exercises|cough|coughs|sneeze|press|laugh|bend|lift|climb|work out|"
    r"go upstairs|walk fast|jog)\b|\bafter (?:running|a run|exercise|exercising|the gym|a workout|eating|a big meal|"
    r"coughing|sitting|sleeping on|lifting|leg day)\b|\bfrom (?:coughing|the gym|lifting|sleeping on)\b|"
    r"\bpulled a muscle\b|\bmild\b|\bnothing serious\b|\b(?:take|takes|taking|use|uses|using) (?:\w+ ){0,4}for "
    r"(?:my|his|her|their) (?:back|pain|headaches?|migraines?|arthritis|knees?|joints?|periods?|cramps|"
    r"hay fever)\b|\bbecause of (?:my |the )?(?:allergies|a cold|hay fever|"
    r"anxiety|asthma)\b")

_NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_AGE = re.compile(r"\b(\d+(?:\.\d+)?|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) ?(days?|d|"
                  r"weeks?|wks?|wk|w|wo|months?|mos?|m|dias|semanas|mes|meses)\b(?: (old|olds|de edad|de nacid[oa]))?")
_WEEKS_OF_52 = re.compile(r"\b(\d{1,2})/52\b")
_TEMP = re.compile(r"\b(\d{2,3}(?:[.,]\d{1,2})?) ?(c|f|degrees?|deg|celsius|fahrenheit|grados|centigrad\w*)?\b")
_TEMP_WORDS = re.compile(r"\b(?:fever|feverish|temp|temperature|thermometer|febrile|burning up|fiebre|calentura|"
                         r"temperatura|reading|read|hot|warm|t|rectal|axillary|oral|tympanic|forehead)\b")
_GLUCOSE = re.compile(r"\b(?:sugar|sugars|glucose|bg|bs|bgl|reading|level|levels|number|meter|cgm|libre|dexcom|"
                      r"glucometer|azucar|glucosa)\b(?: \w+){0,3}? (?:is |of |at |was |reads |reading |says |shows |"
                      r"showing |=|just )?(\d+(?:[.,]\d+)?) ?(mmol|mg|mgdl|mg dl)?\b")


_BP = re.compile(r"\b(?:bp|blood pressure|pressure)(?: \w+){0,2}? (\d{2,3})/\d{2,3}\b")
_SATS = re.compile(r"\b(?:sats?|spo2|sp02|spo 2|sp 02|o2|oxygen|saturation|saturations|pulse ox|pulse oximeter|"
r"oximeter|oxymeter|"
                   r"oximetro|saturacion)(?: \w+){0,6}? (\d{2})\b(?! ?(?:hours?|h|hrs?|mins?|minutes|days?|weeks?|"
                   r"years?|"
                   r"l|litres?|liters?|lpm|times|kg|mg|percent of))")
_RR = re.compile(r"\b(?:rr|resp rate|respiratory rate|resps|breathing rate)(?: \w+){0,2}? (\d{2})\b|\b(\d{2}) breaths "
                 r"(?:a|per) (?:minute|min)\b")
_PEAK_FLOW = re.compile(r"\bpeak flow\b(?: \w+){0,3}? (\d{1,3})(?: ?percent)?(?= (?:of (?:my |his |her |the )?(?:best|"
                        r"normal|usual|predicted)|percent))")
_PULSE = re.compile(r"\b(?:hr|heart rate|pulse)(?: \w+){0,2}? (\d{2,3})s?\b")


def _age_days(value: str, unit: str) -> float:
    number = float(_NUMBER_WORDS.get(value, 0) or value) if value not in _NUMBER_WORDS else _NUMBER_WORDS[value]
    if unit.startswith(("d", "dia")):
        return number
    if unit.startswith(("w", "sem")):
        return number * 7
    return number * 30.4


def _detect(name: str, sentence: Sentence, message: Message) -> list[tuple[int, int]]:
    """Spans of the numeric detector ``name`` (``@fever`` ...) in ``sentence``."""
    text = sentence.text
    spans: list[tuple[int, int]] = []
    if name == "@infant_young":
        spans += [m.span() for m in _WEEKS_OF_52.finditer(text) if int(m.group(1)) < 13]  # clinicians' "9/52"
        for m in _AGE.finditer(text):
            after = text[m.end():m.end() + 30]
            if re.match(r" (?:pregnant|along|of pregnancy|gestation|de embarazo|embarazada|postpartum|post partum|"
                        r"after|since|ago|later|before|in|into)\b", after):
                continue
            unit = m.group(2)
            if unit in ("d", "w", "m") and not m.group(3):
                continue
            if not m.group(3) and not message.has_infant_word:
                continue
            days = _age_days(m.group(1), unit)
            if 0 <= days < 91:
                spans.append(m.span())
        return spans
    if name == "@shock_vitals":
        spans += [m.span(1) for m in _BP.finditer(text) if 40 <= int(m.group(1)) < 90]
        spans += [m.span(1) for m in _SATS.finditer(text) if 50 <= int(m.group(1)) < 92]
        spans += [m.span(1) for m in _PULSE.finditer(text) if 140 <= int(m.group(1)) <= 260]
        spans += [m.span() for m in _RR.finditer(text) if 30 <= int(m.group(1) or m.group(2)) <= 80]
        return spans
    if name == "@peak_flow_low":
        return [m.span(1) for m in _PEAK_FLOW.finditer(text) if int(m.group(1)) < 75]
    if name == "@fever":
        has_word = bool(_TEMP_WORDS.search(text))
        for m in _TEMP.finditer(text):
            value = float(m.group(1).replace(",", "."))
            unit = (m.group(2) or "")[:1]
            if not unit and not has_word:
                continue
            celsius = 38 <= value <= 43.5 and unit in ("c", "g", "d", "")  # degrees: either scale
            fahrenheit = 100.4 <= value <= 110 and unit in ("f", "d", "")
            if celsius or fahrenheit:
                spans.append(m.span())
        return spans
    for m in _GLUCOSE.finditer(text):
        value = float(m.group(1).replace(",", "."))
        unit = m.group(2) or ""
        if unit.startswith("mmol"):
            low, high = value < 3.0, value >= 25
        elif unit.startswith("mg"):
            low, high = value < 54, value >= 400
        else:
            low = value < 3.0 or 20 <= value < 54
            high = 20 <= value < 40 or value >= 300
        extreme = low or (high and (value >= 400 or 20 <= value < 54 or unit.startswith("mmol")))
        if (name == "@glucose_low" and low) or (name == "@glucose_high" and high) or (
                name == "@glucose_extreme" and extreme):
            spans.append(m.span(1))
    return spans


# ------------------------------------------------------------------------------------------ sentences
@dataclass
class Sentence:
    """One normalised sentence: its words joined by spaces, and the clause of each character."""

    text: str
    clause_of: list[int]  # clause number per character of ``text``
    words: list[str]
    starts: list[int]  # character offset of each word
    history: bool = False
    framed: bool = False
    benign: bool = False
    now: bool = False
    current: bool = True  # from the current message (False: an earlier turn of the conversation)
    clause_history: dict[int, bool] = field(default_factory=dict)  # history read clause by clause

    def word_at(self, offset: int) -> int:
        index = 0
        for i, start in enumerate(self.starts):
            if start <= offset:
                index = i
        return index


@dataclass
class Message:
    sentences: list[Sentence] = field(default_factory=list)
    has_infant_word: bool = False


_INFANT_WORD = re.compile(r"\b(?:baby|babies|infant|newborn|son|daughter|boy|girl|bub|bubba|lo|little one|bebe|"
r"nene|nena|"
                          r"hijo|hija)\b")


def _fold(text: str) -> str:
    from medcite.qa.text import fold

    return fold(_APOSTROPHES.sub("", text))


class ClinicalLayer:
    """Finds red-flag concepts in a message and its conversation (see the module docstring)."""

    def __init__(self, known_words: frozenset[str] = frozenset(), *, cache_dir: Path | None = None) -> None:
        modifiers = (_NOW.pattern, _NOT_NOW.pattern, _HISTORY.pattern, _FRAMING.pattern, _BENIGN.pattern,
                     " ".join(_NEGATION_CUES), _TEMP_WORDS.pattern, _GLUCOSE.pattern, _SATS.pattern, _RR.pattern,
                     _PEAK_FLOW.pattern, _BP.pattern, _PULSE.pattern)
        words, stems = words_of([*(p for c in ALL for p in c.patterns), *modifiers])
        self.speller = Speller(words, stems, known_words, cache_dir=cache_dir)
        # each concept's patterns are compiled when it is first looked for: a concept whose ``requires`` no message
        # has met yet (40 of 67) never costs its compilation (about 25 ms of the 55 ms for all of them)
        self._compiled: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}

    def normalise(self, text: str, *, current: bool = True) -> list[Sentence]:
        out: list[Sentence] = []
        for raw in _SENTENCE_END.split(_fold(text)):
            pieces = _CLAUSE.split(raw)  # clause text, then the delimiter that ends it, ...
            words: list[str] = []
            clause_ids: list[int] = []
            for index, piece in enumerate(pieces):
                clause_no = (index + 1) // 2  # a delimiter word ("and") opens the next clause
                for token in _TOKEN.findall(piece):
                    words.append(self.speller.correct(token))
                    clause_ids.append(clause_no)
            if not words:
                continue
            starts: list[int] = []
            offset = 0
            clause_of: list[int] = []
            for word, clause_no in zip(words, clause_ids, strict=True):
                starts.append(offset)
                clause_of.extend([clause_no] * (len(word) + 1))
                offset += len(word) + 1
            sentence = Sentence(" ".join(words), clause_of, words, starts, current=current)
            sentence.now = bool(_NOW.search(_NOT_NOW.sub(" ", sentence.text)))
            sentence.history = bool(_HISTORY.search(sentence.text)) and not sentence.now
            sentence.framed = (bool(_FRAMING.search(sentence.text)) or (
                bool(_QUESTION.match(sentence.text)) and not _PERSONAL.search(sentence.text))) and not sentence.now
            sentence.benign = bool(_BENIGN.search(sentence.text))
            if sentence.history:
                clauses: dict[int, list[str]] = {}
                for word, clause_no in zip(words, clause_ids, strict=True):
                    clauses.setdefault(clause_no, []).append(word)
                # a clause is history by its own anchor, or by its sentence's when it has a past-tense verb and no
                # present one ("years ago I had psychosis and had thoughts of harming my baby"; not "mum has been
                # talking about joining dad (he died last year)", nor a verbless "crushing CP to L jaw, PMH T2DM")
                sentence.clause_history = {n: bool(_HISTORY.search(" ".join(w)) or (
                    _PAST.search(" ".join(w)) and not _PRESENT.search(" ".join(w)))) for n, w in clauses.items()}
            if (out and out[-1].framed and not sentence.now and len(words) <= 5
                    and not _PERSONAL.search(sentence.text)):  # "Why does DKA make your breath fruity? Acetone?"
                sentence.framed = True
            out.append(sentence)
        return out

    def _negated(self, sentence: Sentence, start: int) -> bool:
        first = sentence.word_at(start)
        clause = sentence.clause_of[start] if start < len(sentence.clause_of) else -1
        for i in range(max(0, first - _NEGATION_WINDOW), first):
            word = sentence.words[i]
            if word in _NEGATION_CUES and sentence.clause_of[sentence.starts[i]] == clause:
                following = sentence.words[i + 1] if i + 1 < len(sentence.words) else ""
                if following not in _PSEUDO_NEGATION:
                    return True
        return False

    @staticmethod
    def _denied_inside(sentence: Sentence, start: int, end: int) -> bool:
        words = sentence.text[start:end].split()
        return any(w in _INNER_NEGATION and (i + 1 >= len(words) or words[i + 1] not in _INNER_NOT_NEGATION)
                   for i, w in enumerate(words[1:], start=1))

    def _patterns(self, concept: Concept) -> list[tuple[str, re.Pattern[str] | None]]:
        compiled = self._compiled.get(concept.name)
        if compiled is None:
            compiled = [(p, None if p.startswith("@") else re.compile(p)) for p in concept.patterns]
            self._compiled[concept.name] = compiled
        return compiled

    def _matches(self, concept: Concept, sentence: Sentence, message: Message) -> Iterable[tuple[int, int]]:
        for source, pattern in self._patterns(concept):
            if pattern is None:
                yield from _detect(source, sentence, message)
            else:
                for m in pattern.finditer(sentence.text):
                    yield m.span()

    def _find(self, concept: Concept, message: Message, *, contexts: bool) -> tuple[str, Sentence] | None:
        for sentence in message.sentences:
            if not contexts and not sentence.current:
                continue
            for start, end in self._matches(concept, sentence, message):
                if self._negated(sentence, start) or self._denied_inside(sentence, start, end):
                    continue
                history = sentence.history
                if history and concept.category in _CLAUSE_HISTORY and start < len(sentence.clause_of):
                    history = sentence.clause_history.get(sentence.clause_of[start], True)
                modified = history or sentence.framed or (sentence.benign and not concept.strong)
                if not contexts and not concept.always and modified:
                    continue
                return sentence.text[start:end], sentence
        return None

    def run(self, text: str, history: Iterable[str] = ()) -> list[RedFlag]:
        """Red flags of ``text``; ``history`` (earlier user messages, oldest first) supplies contexts only."""
        message = Message()
        for earlier in history:
            message.sentences.extend(self.normalise(earlier, current=False))
        message.sentences.extend(self.normalise(text))
        message.has_infant_word = any(_INFANT_WORD.search(s.text) for s in message.sentences)
        present: set[str] = set()
        for concept in CONTEXTS:
            if self._find(concept, message, contexts=True):
                present.add(concept.name)
        found: dict[str, tuple[Concept, str]] = {}
        earlier = Message([s for s in message.sentences if not s.current], message.has_infant_word)
        for s in earlier.sentences:
            s.current = True
        before = {c.name for c in CONCEPTS if not c.requires and self._find(c, earlier, contexts=False)}
        for s in earlier.sentences:
            s.current = False
        present |= before
        for round_no in range(2):
            for concept in CONCEPTS:
                if concept.name in found or (bool(concept.requires) != bool(round_no)):
                    continue
                if not all(any(self._present(name, present, found, concept) for name in group)
                           for group in concept.requires):
                    continue
                hit = self._find(concept, message, contexts=False)
                if hit:
                    found[concept.name] = (concept, hit[0])
            if round_no == 0:
                continue
            for concept in CONCEPTS:  # a second look: requires met by concepts found in this round
                if concept.name in found or not concept.requires:
                    continue
                if all(any(self._present(n, present, found, concept) for n in g) for g in concept.requires):
                    hit = self._find(concept, message, contexts=False)
                    if hit:
                        found[concept.name] = (concept, hit[0])
        return [RedFlag(concept=c.name, category=c.category, level=c.level, label=c.label, evidence=evidence)
                for c, evidence in found.values() if not any(u in present for u in c.unless)]

    @staticmethod
    def _present(name: str, contexts: set[str], found: dict, concept: Concept) -> bool:
        """A context is present, or a concept with this name prefix was found (now or in an earlier turn)."""
        if name.startswith("ctx."):
            return name in contexts
        return any(other.startswith(name) and other != concept.name for other in (*found, *contexts))
