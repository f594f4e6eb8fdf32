"""Safety checks of a user message: emergencies, requests for personal medical advice; fixed notices.

Both detectors are cue-pattern based, pure and deterministic.  An emergency needs an acute cue (face
drooping, crushing chest pain, "took a whole bottle", "can't breathe", a seizure that will not stop...)
said in first-person or present-tense urgent phrasing; the same words in an informational question
("What are the symptoms of a stroke?") or a hypothetical ("what should you do if someone faints?") do
not raise the alarm.
"""

from __future__ import annotations

import re
import unicodedata

from medcite.qa.text import fold

EMERGENCY_NOTICE = (
    "**This may be a medical emergency. Call your local emergency number (911 in the US, 112 in the EU, "
    "999 in the UK) or go to the nearest emergency department now.** If someone may harm themselves, "
    "call or text a crisis line (988 in the US) and stay with them. MedCite cannot give emergency help; "
    "the evidence below is general information only."
)
PERSONAL_ADVICE_NOTICE = (
    "This is general evidence, not a diagnosis or prescription; please talk to your clinician about your own situation."
)
REFUSAL = "I could not find evidence in the MedCite library to answer this question."
DISCLAIMER = (
    "MedCite quotes published sources for general information; it is not medical advice and does not "
    "replace a clinician."
)

# --------------------------------------------------------------------------------------------------
# Emergency detection
# --------------------------------------------------------------------------------------------------

_PEOPLE = (
    r"(?:my|our|his|her|their|a|the) (?:\w+ )?(?:dad|father|mom|mum|mother|son|daughter|baby|child|kid|"
    r"toddler|infant|wife|husband|partner|friend|brother|sister|grandma|grandmother|grandpa|grandfather|"
    r"boyfriend|girlfriend|roommate|coworker|colleague|neighbou?r|uncle|aunt|patient|man|woman|guy)"
)
# Someone concrete is affected: the speaker or a person they name.
_PERSONAL = re.compile(
    r"\b(?:i|i'm|im|i've|ive|i'd|me|my|mine|myself|we|we're|our|us|he|he's|hes|she|she's|shes|him|his|"
    r"her|they're|somebody here|someone here|this person|this man|this woman)\b|\b" + _PEOPLE + r"\b"
)
# Words that make the situation happen now.
_URGENT = re.compile(
    r"\b(?:right now|now|just|help|hurry|911|999|112|ambulance|asap|immediately|currently|"
    r"at the moment|minutes ago|an hour ago|won't stop|wont stop|what do i do|what should i do)\b|!"
)
# The speaker frames it as a benign, non-acute question ("is that normal?", "after sitting").
_BENIGN = re.compile(
    r"\bis (?:it|that|this) normal\b|\bafter (?:sitting|coughing|exercise|exercising|running|a workout|"
    r"sleeping on|lying down)|\bwhen i have a cold\b|\bbecause of (?:my )?(?:allergies|a cold|hay fever)\b|"
    r"\bon and off\b|\bfor (?:weeks|months|years)\b|\b(?:last|every) (?:week|month|year|night)\b"
)
_STRONG_NOW = re.compile(r"\b(?:right now|911|999|112|ambulance|hurry|asap|immediately|what do i do|minutes ago)\b|!")

# Hypothetical / first-aid framing: "what should you do if someone ..." (unless it is happening now).
_HYPOTHETICAL = re.compile(
    r"\b(?:if|when|whether) (?:someone|somebody|a person|a child|a baby|an adult|a friend|you|people|"
    r"a patient|one)\b|\bhow (?:do|can|should) (?:you|i|we|one) (?:tell|know|recogni[sz]e|spot|help)\b"
)
_NOW = re.compile(r"\b(?:right now|is happening|happening now|at the moment|currently)\b")
_INFORMATIONAL = re.compile(
    r"^\s*(?:what|which|why|how|when|where|who|is|are|can|could|does|do|should|explain|describe|define|"
    r"list|tell me about)\b"
)

# (pattern, needs_person): with needs_person the cue counts only when someone concrete is affected
# (a personal marker) or it is happening now (an urgency marker).
_CUES: tuple[tuple[str, bool], ...] = (
    # suicide and self-harm (the phrasing is first-person by itself)
    (r"\bkill(?:ing)? (?:my ?self|me)\b", False),
    (r"\b(?:end|take|ending|taking) (?:my|my own) life\b|\bend(?:ing)? it all\b", False),
    (r"\b(?:i|i'm|im|i am)\b.{0,40}\b(?:suicidal|want to die|wanna die|wish i (?:was|were) dead)\b", False),
    (r"\bwant to die\b|\bbetter off dead\b|\bno reason to live\b", False),
    (r"\bdon'?t want to (?:live|be alive|wake up)\b", False),
    (
        r"\b(?:want|going|planning|urge|thinking about|tempted) to (?:cut|hurt|harm|kill) (?:my ?self)\b",
        False,
    ),
    (r"\b(?:been|keep|kept|started) (?:cutting|hurting|harming|burning) (?:my ?self)\b", False),
    (r"\bthinking (?:about|of) (?:suicide|killing myself|ending my life)\b|\bsuicide (?:plan|note)\b", False),
    (r"\b(?:my|he|she|they|friend|son|daughter)\b.{0,40}\b(?:is|are|'s) suicidal\b", False),
    (r"\b(?:kill|hurt|harm) (?:her|him|them)sel(?:f|ves)\b|\bend (?:his|her|their) (?:own )?life\b", True),
    # overdose and poisoning
    (
        r"\b(?:took|taken|swallowed|ate|downed|popped)\b.{0,20}\b(?:\d{2,}|twenty|thirty|forty|fifty|"
        r"a hundred|all (?:of )?(?:my|his|her|their|the))\b.{0,30}\b(?:pills|tablets|capsules|meds|"
        r"medications?|medicines?|antidepressants|painkillers|sleeping|insulin|opioids|xanax|oxy\w*)",
        True,
    ),
    (
        r"\b(?:took|taken|swallowed|ate|eaten|drank|drunk|downed|overdosed on)\b.{0,40}"
        r"(?:too many|whole bottle|entire bottle|handful of|a bottle of|\b(?:\d{2,}|twenty|thirty|forty|"
        r"fifty|a hundred) (?:pills|tablets|capsules)|\bbleach\b|antifreeze|drain cleaner|rat poison|"
        r"pesticide|weed killer|\bpoison\b|detergent pod|laundry pod|button batter|lighter fluid|"
        r"someone else's (?:pills|medicine))",
        True,
    ),
    (
        r"\b(?:i|i've|ive|i have|he|she|has|have|they|friend|son|daughter|kid)\b.{0,20}\boverdos(?:ed|ing)\b",
        True,
    ),
    (r"\b(?:od'?d|overdosing|been poisoned|got poisoned|is poisoned)\b", True),
    # breathing
    (
        r"\b(?:can'?t|cannot|can not|unable to|struggling to|fighting to) (?:breathe|"
        r"breath|catch (?:my|his|her) breath)\b",
        True,
    ),
    (r"\b(?:not|stopped|isn'?t|is not|wasn'?t|no longer) breathing\b", True),
    (r"\bgasping(?: for (?:air|breath))?\b", True),
    (r"\b(?:turning|turned|going|gone) (?:blue|purple|grey|gray)\b|\blips (?:are|look) blue\b", True),
    (r"\bchoking\b", True),
    # severe allergic reaction
    (r"\bthroat (?:is |feels )?(?:tight|closing|closing up|tightening|swelling up|swelling shut)\b", True),
    (r"\b(?:throat|tongue|lips?)\b.{0,20}\b(?:is|are) (?:swelling|swollen)\b", True),
    (
        r"\b(?:i'm|im|he's|she's|is|are|it's|finding it|now|suddenly|getting) (?:\w+ )?(?:hard|difficult) to "
        r"breathe\b|\b(?:having|is having|am having) (?:\w+ )?(?:trouble|difficulty) breathing\b(?! when)",
        True,
    ),
    (
        r"\b(?:my|his|her|their) (?:throat|tongue|lips?|face) (?:is|are|has|"
        r"have) (?:swelling|swollen|swelled|puffing)",
        True,
    ),
    (r"\b(?:having|going into|gone into|in) (?:an )?anaphyla", True),
    (r"\banaphylactic (?:shock|reaction)\b", True),
    (r"\b(?:used|gave|give|injected) (?:my|his|her|their|the|an) epi-?pen\b", True),
    # stroke
    (
        r"\b(?:face|mouth|smile) (?:is |has |was |looks |seems |went )?(?:droop|sagg|"
        r"drooping|drooped|lopsided|uneven|crooked)",
        True,
    ),
    (r"\bdroop(?:ing|y)\b.{0,30}\b(?:face|mouth|smile|side)\b", True),
    (
        r"\b(?:can'?t|cannot|can not|unable to) (?:lift|raise|move|feel) (?:his|her|my|"
        r"their|the|one) (?:left |right )?(?:arm|leg|hand|side)\b",
        True,
    ),
    (
        r"\b(?:arm|leg|side of (?:my|his|her) (?:body|face)) (?:is |went |has gone |"
        r"feels |suddenly )?(?:numb|weak|limp|dead|paralys)",
        True,
    ),
    (r"\bslurr(?:ed|ing)\b", True),
    (r"\b(?:can'?t|cannot|can not|unable to) (?:speak|talk) (?:properly|clearly|right|at all)\b", True),
    (r"\b(?:is|am|i'm|im|she's|he's|they're|are|be|been|currently) having a stroke\b", True),
    (
        r"\bsudden(?:ly)? (?:\w+ )?(?:numbness|weakness|confusion|trouble (?:speaking|"
        r"seeing|walking)|loss of vision|vision loss)\b",
        True,
    ),
    (r"\bworst headache of (?:my|his|her|their) life\b", True),
    # heart
    (
        r"\b(?:is|am|i'm|im|she's|he's|are|be|been|currently) having (?:a |"
        r"what feels like a )?heart attack\b",
        True,
    ),
    (r"\bheart attack (?:right )?now\b", True),
    (
        r"\b(?:have|having|got|i've got|feel|feeling|with|has|is having)\b (?:a |some |bad |severe |sharp |"
        r"sudden |crushing |terrible )?(?:chest (?:pain|pressure|tightness)|pain in (?:my|his|her) chest)\b",
        True,
    ),
    (r"\bchest (?:hurts|is (?:tight|hurting|heavy|crushing)|feels (?:tight|heavy|crushed))\b", True),
    (r"\bcrushing (?:chest )?pain\b", True),
    (
        r"\bpain (?:spreading|radiating|going|shooting) (?:down|to|into|up) (?:my|his|her|"
        r"the) (?:left )?(?:arm|jaw|neck)\b",
        True,
    ),
    (r"\bno pulse\b|\bheart (?:has )?stopped\b|\bcardiac arrest\b", True),
    # bleeding
    (
        r"\bbleed(?:ing|s)?\b.{0,30}\b(?:won'?t|will not|doesn'?t|does not|isn'?t|is not|"
        r"can'?t|cannot) (?:stop|be stopped)",
        True,
    ),
    (r"\bbleed(?:ing|s)? (?:heavily|profusely|a lot|badly|everywhere|out)\b|\bheavy bleeding\b", True),
    (r"\b(?:lots|lot|pool|puddle) of blood\b|\bblood (?:everywhere|is (?:spurting|gushing|pouring))\b", True),
    (r"\b(?:spurting|gushing|pouring) (?:out )?blood\b", True),
    (r"\b(?:vomiting|throwing up|coughing up|puking) (?:up )?blood\b", True),
    # unconscious
    (r"\b(?:unconscious|unresponsive|not responding|isn'?t responding|won'?t respond)\b", True),
    (r"\b(?:won'?t|will not|can'?t|cannot|couldn'?t|not) wake (?:up|him|her|them)\b|\bnot waking up\b", True),
    (r"\bcan'?t (?:wake|rouse) (?:him|her|them|my|our)\b", True),
    (r"\b(?:collapsed|passed out|fainted|blacked out)\b.{0,40}\b(?:and|still|won'?t|isn'?t|not)\b", True),
    # seizures that do not stop
    (
        r"\bseiz(?:ure|ures|ing)\b.{0,40}\b(?:won'?t|will not|doesn'?t|does not|hasn'?t|"
        r"has not|isn'?t|not) (?:stop|stopped|stopping|ending)",
        True,
    ),
    (r"\b(?:still|keeps?|keep on) (?:seizing|convulsing|having seizures|fitting)\b", True),
    (
        r"\b(?:seiz(?:ure|ing)|convuls\w*|fitting)\b.{0,30}\bfor (?:over |more than |"
        r"about )?(?:\d+|five|ten|several|fifteen) (?:minutes|mins)\b",
        True,
    ),
    (r"\b(?:is|am|she's|he's|are) (?:having (?:a |another )?seizure|seizing|convulsing)\b", True),
    (r"\bback[- ]to[- ]back seizures\b", True),
)
_CUES_COMPILED = tuple((re.compile(p), needs) for p, needs in _CUES)

_CONTRACTIONS = (
    (re.compile(r"\bcan ?not\b"), "cannot"),
    (re.compile(r"\bwill not\b"), "won't"),
    (re.compile(r"\bi am\b"), "i'm"),
)


def _prepare(text: str) -> str:
    t = " ".join(fold(text).split())
    for pattern, repl in _CONTRACTIONS:
        t = pattern.sub(repl, t)
    return t


def detect_emergency(text: str) -> bool:
    """True when the message describes an emergency happening to the speaker or someone with them.

    Acute cues (stroke signs, chest pain now or a heart attack, overdose or poisoning, suicidal intent
    or self-harm, anaphylaxis or a closing throat, not breathing, severe bleeding, unconsciousness, a
    seizure that will not stop) count when phrased in the first person, about a named person, or as
    happening now.  Purely informational or hypothetical questions do not count.
    """
    if not text or not text.strip():
        return False
    t = _prepare(text)
    personal = bool(_PERSONAL.search(t))
    urgent = bool(_URGENT.search(t))
    hypothetical = bool(_HYPOTHETICAL.search(t)) and not _NOW.search(t)
    informational = bool(_INFORMATIONAL.match(t)) and not personal and not urgent
    benign = bool(_BENIGN.search(t)) and not _STRONG_NOW.search(t)
    for pattern, needs_person in _CUES_COMPILED:
        if not pattern.search(t):
            continue
        if not needs_person:
            return True
        if hypothetical or informational or benign:
            continue
        if personal or urgent:
            return True
    return False


# --------------------------------------------------------------------------------------------------
# Personal advice
# --------------------------------------------------------------------------------------------------

_PERSONAL_ADVICE: tuple[str, ...] = (
    r"\bshould (?:i|we) (?:\w+ )?(?:take|stop|start|use|try|get|go|switch|increase|decrease|lower|raise|"
    r"double|skip|keep|continue|avoid|see|be worried|worry|have)\b",
    r"\bshould (?:my|he|she) (?:\w+ )?(?:take|stop|start|use|get|be given|have)\b",
    r"\bdo i (?:have|need)\b",
    r"\bam i (?:having|at risk|sick|ill|pregnant|allergic|infected|ok|okay|going to|likely)\b",
    r"\bcan (?:i|my \w+) (?:\w+ )?(?:take|use|mix|combine|stop|drink|eat|give|have)\b",
    r"\bis it (?:safe|ok|okay|dangerous|bad|fine|normal) (?:for me|for my|to take|if i|that i|that my)\b",
    r"\bhow (?:much|many|often|long)\b.{0,40}\bshould (?:i|my|he|she|we)\b",
    r"\bwhat (?:dose|dosage|amount|medicine|medication|drug|treatment)\b.{0,30}\b(?:should|do) (?:i|my|we)\b",
    r"\b(?:diagnose|prescribe|treat) (?:me|my)\b",
    r"\bwhat (?:do|does) (?:i|my \w+) have\b|\bwhat(?:'s| is) wrong with (?:me|my)\b",
    r"\bmy (?:doctor|gp|physician|nurse)\b.{0,60}\bshould i\b",
    r"\bis (?:this|my) \w+ (?:normal|serious|dangerous)\b",
)
_PERSONAL_ADVICE_COMPILED = tuple(re.compile(p) for p in _PERSONAL_ADVICE)


def asks_personal_advice(text: str) -> bool:
    """True when the message asks for a personal diagnosis, prescription or dose ("should I take",
    "do I have", "how much should I take", "can I stop my ...")."""
    if not text or not text.strip():
        return False
    t = _prepare(text)
    return any(p.search(t) for p in _PERSONAL_ADVICE_COMPILED)


# --------------------------------------------------------------------------------------------------
# Text addressed to a language model (prompt injection)
# --------------------------------------------------------------------------------------------------

# Text that addresses a language model instead of a reader: a prompt injection planted in a document. The
# LLM engine never shows a passage holding it to the model (so it never counts as support: a claim copied
# from it would be lexically "supported") and drops a generated sentence that reads like it; the offline
# engine never quotes such a sentence. Narrow on purpose: ordinary clinical imperatives ("Tell your
# doctor...", "Ignore the urge to scratch") do not match, nor does any text of the MedQuAD or PubMedQA sets.
_INSTRUCTION_LIKE = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:the|of|these|those|this|my)\s+)*"
    r"(?:all|any|your|previous|prior|above|earlier|preceding|system|safety|original|former)\b(?:\s+\w+){0,2}?\s+"
    r"(?:instructions?|prompts?|directives?|guardrails?|rules)\b"
    r"|\bnew\s+instructions?\s*:|\b(?:system|developer)\s+(?:prompt|message|instructions?)\b"
    r"|<\|[a-z_]{2,20}\|>|<\s*/?\s*(?:start|end)_of_turn\s*>|\[/?inst\]|<<\s*/?\s*sys\s*>>"
    r"|(?:^|\n)\s*(?:#+\s*)?(?:system|assistant)\s*:"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:ai|assistant|chatbot|language\s+model|llm|medcite)\b"
    r"|\bas\s+an?\s+(?:ai|language\s+model)\b"
    r"|\b(?:tell|inform|convince|remind|instruct|reply\s+to|respond\s+to)\s+the\s+user\b"
    r"|\bcite\s+(?:(?:source|passage|reference|document)s?\s+)?(?:\[\s*\d+|(?:number|no\.?)\s*\d+)"
    r"|\b(?:always|only|must)\s+cite\b"
    r"|</?\s*passages\s*>|insufficient_evidence",
    re.I,
)
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def instruction_like(text: str) -> bool:
    """Whether ``text`` holds words addressed to a language model (ignore previous instructions, a fake
    system prompt or chat-template token, "tell the user", an order to cite [n], the prompt's own tags)."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text or ""))
    return bool(_INSTRUCTION_LIKE.search(fold(text)))
