"""Sentences of the offline engine: splitting a passage into quotable sentences (list items and headings glued by a
lost line break cut apart), debris filtering (``sentence_problem``), trimming, anaphora.

Pure and deterministic. Sentences are *verbatim* slices of the source text (only whitespace is collapsed), so an
answer built from them quotes its sources by construction.

    >>> split_sentences("IVIG is a blood product. It is given in hospital.")
    ['IVIG is a blood product.', 'It is given in hospital.']
"""

from __future__ import annotations

import re

from medcite.qa.text import _words, normalize_ws

# --------------------------------------------------------------------------------------------------
# Sentence splitting
# --------------------------------------------------------------------------------------------------

# Abbreviations after which a period never ends a sentence, whatever follows.
NEVER_FINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    _words(
        """
    e.g eg i.e ie vs v cf viz al fig figs tab dr mr mrs ms prof no nos approx ca st mt inc ltd co jr sr
    eq ref refs vol pp resp incl dept univ est esp
        """
    )
)
_DOTTED_ABBREV = re.compile(r"^\(?(?:[A-Za-z]\.){2,}$")  # i.v. p.o. b.i.d. U.S.
_BOUNDARY = re.compile(r"([.!?]+)([\"'\u201d\u2019)\]]*)(\d{1,2}(?:[,\u2013-]\d{1,2})*)?(\s+)")
_BULLET_SPLIT = re.compile(r"(?:^|[ \t]{2,}|\n|(?<=[.:;!?])[ \t]+)[-\u2022\u25aa\u25cf\u2023*][ \t]+(?=\S)")
_LIST_AFTER_COLON = re.compile(r"(?<=[:;])\s+(?=\(?\d{1,2}[.)]\s+[A-Z])")
_LIST_MARKER = re.compile(r"^(?:\(?\d{1,2}[.)]\s+|\(?[a-hA-H]\)\s+|[-\u2022\u25aa\u25cf\u2023*]\s+)")
# An abstract-section label glued to the previous sentence: "not fully clear.QUESTIONS/PURPOSES".
_GLUED_LABEL = re.compile(r"(?<=[a-z0-9)%]\.)(?=[A-Z]{3,}(?:[ /][A-Z()]{2,})*(?::\s|/?\s*$))")
_KEY_POINTS = re.compile(r"^\s*key points?\b[:.]?\s*", re.I)
_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")


def _paragraphs(text: str) -> list[tuple[str, bool]]:
    """Lines grouped into paragraphs: (text, is_heading).  A line without final punctuation that is short
    is a heading (or a list lead-in); a wrapped line joins the next one."""
    out: list[tuple[str, bool]] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append((" ".join(buf), False))
            buf.clear()

    lines = text.split("\n")
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            flush()
            continue
        nxt = next((ln.strip() for ln in lines[i + 1 :] if ln.strip()), "")
        ends = bool(_TERMINAL.search(line)) or line.endswith((";", ","))
        starts_bullet = bool(re.match(r"[-\u2022\u25aa\u25cf*]\s", line))
        if _KEY_POINTS.fullmatch(line):
            flush()
            out.append((line, True))
            continue
        if starts_bullet:
            flush()
            buf.append(raw.rstrip())
            if ends or not nxt or re.match(r"[-\u2022\u25aa\u25cf*]\s", nxt):
                flush()
            continue
        if not ends and len(line.split()) <= 12 and (not nxt or nxt[:1].isupper() or nxt[:1] in "-\u2022*"):
            if buf:
                buf.append(raw.strip())  # a short last line of a paragraph without final punctuation
                flush()
            else:
                out.append((line, True))
            continue
        buf.append(raw.rstrip())
        if (ends or line.endswith(":")) and (not nxt or not nxt[:1].islower()):
            flush()  # a lead-in line ending with ":" is its own unit: its list follows on the next lines
    flush()
    return out


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    punct = m.group(1)
    after = text[m.end() : m.end() + 1]
    if not after:
        return True
    if after.islower():
        return False
    if not (after.isupper() or after.isdigit() or after in "\"'(\u201c\u2018[-\u2022*"):
        return False
    if m.group(3):  # a footnote number glued to the period: "severe GO.1 This ..."
        before = text[m.start() - 1 : m.start()]
        return punct == "." and (before.isalpha() or before == ")") and after.isupper()
    if "." in punct and not m.group(2):
        start = text.rfind(" ", 0, m.start()) + 1
        token = text[start : m.start()]
        bare = token.lstrip("([").lower()
        if bare in NEVER_FINAL_ABBREVIATIONS or _DOTTED_ABBREV.match(token + "."):
            return False
        if bare in ("no", "fig", "figs", "nos") or (after.isdigit() and bare in ("p", "vol", "ref")):
            return False
        if re.fullmatch(r"\(?\d{1,2}", token):
            before = text[:start].rstrip()
            if not before or before.endswith((".", ":", ";")):
                return False  # a list number: "... as follows: 1. The ..."
    return True


def _split_run(text: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if _is_boundary(text, m):
            end = m.end(2)
            pieces.append(text[start:end])
            start = m.end()
    pieces.append(text[start:])
    return [p for p in (normalize_ws(x) for x in pieces) if p]


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences, each a whitespace-normalised verbatim slice of the source.

    Handles abbreviations (e.g., i.e., et al., vs., Fig., Dr., dotted forms like i.v.), decimals
    ("2.5 mg"), numbered and bulleted lists (including the "- item - item" runs of NIH pages), and
    heading lines.  Headings and "Key Points" lines are returned too; :func:`sentence_problem` rejects
    them.  List markers at the start of an item are stripped.
    """
    sentences: list[str] = []
    text = _GLUED_LABEL.sub("\n", text)
    for para, is_heading in _paragraphs(text):
        if is_heading:
            sentences.append(normalize_ws(para))
            continue
        para = _KEY_POINTS.sub("", para, count=1) if _KEY_POINTS.match(para) else para
        items = [x for b in _BULLET_SPLIT.split(para) for x in _LIST_AFTER_COLON.split(b)]
        bulleted = len(items) > 1  # a list item is a phrase: a capitalised word then a clause is a lost line break
        for item in items:
            item = item.strip()
            if not item:
                continue
            first = True  # only an item's first sentence can have the next line glued to it: the sentences after
            # that are prose ("Swollen hands and feet Most women ... infertile. ... Doctors diagnose Turner syndrome
            # based on ..." lost "Doctors diagnose" to a list cut before "Turner": round 9's blind read)
            for run in _split_run(item):
                for sentence in _explode_list_run(run):
                    sentence = _LIST_MARKER.sub("", sentence.lstrip(":;,. ")).strip()
                    if sentence:
                        sentence = _drop_heading_word(_drop_repeated_heading(sentence))
                        sentences.extend(split_glued(_drop_glued_heading(sentence), in_list=bulleted and first))
                        first = False
    return sentences


# Words that open a sentence, written capitalised: one of them right after a lower-case word, with no
# punctuation between, marks a list item or heading whose line break was lost ("... emptying your bladder
# Some conditions may ..."). Single letters ("hepatitis A virus") and names are not among them.
SENTENCE_OPENERS: frozenset[str] = frozenset(
    _words(
        """
    The Some Most Many Several If You Your It Its This These Those There They Their People Patients Children
    Treatment Treatments Symptoms Doctors Being Having Other Another Each Every When While Although Because
    Because In For With Without After Before During Such Talk Ask Call Tell See Learn Researchers Scientists
    Studies Signs We Our He She His Her Women Men Adults Babies Infants Kids Anyone Everyone Certain Not
    Only Even Also However Although Sometimes Usually Often Less More About Up Over Between Among Both
        """
    )
)
_GLUE_POINT = re.compile(r"(?<=[a-z0-9)\]%])\s+(?=([A-Z][a-z]+)\s+[a-z(\d])")


def split_glued(sentence: str, *, in_list: bool = False) -> list[str]:
    """A sentence with a list item or heading glued to its front, cut where the lost line break was.

    The cut goes before a capitalised sentence opener ("Some", "Most", "It", "Being"...) or before a word
    that repeats the heading's last word ("Symptoms of Glaucoma Glaucoma can ..."), right after a
    lower-case word with no punctuation between; the part after the cut must look like a sentence (a verb,
    four words or more).  Both parts are returned and judged on their own (a verbless item is then
    rejected by :func:`sentence_problem`); no word is ever cut.

    >>> for part in split_glued("A blockage that prevents you from emptying your bladder Some conditions may "
    ...                         "also cause you to have blood or protein in your urine."):
    ...     print(part)
    A blockage that prevents you from emptying your bladder
    Some conditions may also cause you to have blood or protein in your urine.
    >>> split_glued("Symptoms of Glaucoma Glaucoma can develop in one or both eyes.")
    ['Symptoms of Glaucoma', 'Glaucoma can develop in one or both eyes.']
    >>> split_glued("People with Down syndrome have a higher risk of hepatitis A infection.")
    ['People with Down syndrome have a higher risk of hepatitis A infection.']

    A list item (``in_list``) is cut before any capitalised word that starts a clause, the page's own name too:

    >>> split_glued("Eat too many foods rich in purines Gout can be hard to diagnose.", in_list=True)
    ['Eat too many foods rich in purines', 'Gout can be hard to diagnose.']
    """
    out: list[str] = []
    rest = sentence
    while True:
        cut = _glue_cut(rest, in_list)
        if cut is None:
            out.append(rest)
            return out
        out.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
        in_list = False  # past the item, the rest is a sentence ("Most women with Turner syndrome are infertile.")


def _glue_cut(sentence: str, in_list: bool = False) -> int | None:
    for m in _GLUE_POINT.finditer(sentence):
        word = m.group(1)
        head = sentence[: m.start()]
        tail = sentence[m.end() :]
        if not head.strip() or word_count(tail) < 4 or not has_verb_shape(tail):
            continue
        head_words = head.split()
        repeats = word.lower() == head_words[-1].lower() and head_words[-1][:1].isupper()
        if repeats and has_verb_shape(head):
            continue
        if word in SENTENCE_OPENERS or repeats or in_list:
            if word in ("In", "For", "With", "Without", "After", "Before", "During", "Between", "Among", "About",
                        "Up", "Over", "Less", "More", "Only", "Even", "Not", "Both") and word_count(head) > 12:
                continue  # a capitalised preposition deep in a sentence is more likely a title's word
            return m.start() + (len(sentence[m.start() : m.end()]) - len(sentence[m.start() : m.end()].lstrip()))
    return None


_SPACED_HYPHEN = " - "
_GLUED_SENTENCE = re.compile(r"(?<=[a-z)])\s+(?=[A-Z][a-z]*\s+[a-z(\d])")


def _explode_list_run(sentence: str) -> list[str]:
    """A list whose line breaks were lost ("symptoms such as - fever - rash - weight loss Most people
    ...") becomes its lead-in, its items and, cut off the last item, the sentence glued to it."""
    if sentence.count(_SPACED_HYPHEN) < 2:
        return [sentence]
    parts = [p.strip() for p in sentence.split(_SPACED_HYPHEN)]
    last = parts.pop()
    m = _GLUED_SENTENCE.search(last)
    if m:
        parts += [last[: m.start()].strip(), last[m.end() :].strip()]
    else:
        parts.append(last)
    return [p for p in parts if p]


_HEADING_FUNCTION_WORDS = frozenset(_words("a an and as at by for from in of on or the to with vs"))


def _drop_glued_heading(sentence: str) -> str:
    """ "Approaches To Treating Underlying Causes Your doctor may ..." -> "Your doctor may ...": a run of
    five or more capitalised words (function words allowed) before the first lower-case word is a
    heading whose line break was lost; the sentence starts at the run's last capitalised word."""
    words = sentence.split(maxsplit=16)
    capitalised = 0
    last = -1
    for i, w in enumerate(words):
        if w[:1].isupper() and w[-1:].isalnum():
            capitalised += 1
            last = i
        elif w.lower() in _HEADING_FUNCTION_WORDS and capitalised:
            continue
        else:
            break
    if capitalised >= 5 and 0 < last < len(words) - 2 and words[last + 1][:1].islower():
        return sentence.split(maxsplit=last)[last]
    return sentence


def _drop_heading_word(sentence: str) -> str:
    """ "Statins Studies have shown that taking statins ..." -> "Studies have shown that taking statins
    ...": a heading of one to three capitalised words glued to a sentence that names each of them again further on
    ("Cranberry Juice Drinking cranberry juice ... may help prevent UTIs", round 7's blind read).

    >>> _drop_heading_word("Cranberry Juice Drinking cranberry juice may also help prevent UTIs.")
    'Drinking cranberry juice may also help prevent UTIs.'
    """
    words = sentence.split(maxsplit=5)
    for k in (1, 2, 3):
        if len(words) < k + 3:
            break
        heading, rest = words[:k], " ".join(words[k:]).lower()
        if (all(w[:1].isupper() and w.isalpha() for w in heading) and words[k][:1].isupper()
                and words[k + 1][:1].islower()
                and all(re.search(rf"\b{re.escape(w.lower())}\b", " ".join(words[k + 1:])) for w in heading)
                and rest):  # named again in lower case: "Guillain Barre syndrome ... Guillain patients" is a name
            return sentence.split(maxsplit=k)[k]
    return sentence


def _drop_repeated_heading(sentence: str) -> str:
    """ "The Thyroid The thyroid is a gland." -> "The thyroid is a gland."; "Aromatase inhibitors and
    inactivators Aromatase inhibitors lower the risk." -> "Aromatase inhibitors lower the risk.": a
    verbless heading glued to the sentence that repeats its first words (a chunker joined the lines)."""
    words = sentence.split(maxsplit=11)
    if len(words) < 3 or not words[0][:1].isupper():
        return sentence
    first = words[0].lower()
    for k in range(1, min(9, len(words) - 1)):
        if words[k].lower() != first or not words[k][:1].isupper():
            continue
        if k > 1 and words[k + 1].lower() != words[1].lower():
            continue
        if not has_verb_shape(" ".join(words[:k])):
            return sentence.split(maxsplit=k)[k]
    return sentence


# --------------------------------------------------------------------------------------------------
# Debris filtering
# --------------------------------------------------------------------------------------------------

_VERBISH = frozenset(
    _words(
        """
    is are was were be been being am has have had can could may might must shall should will would does do
    did include includes including occurs occur affect affects show shows suggest suggests appear appears
    seem seems remain remains cause causes lead leads help helps need needs reduce reduces increase increases
    improve improves make makes develop develops result results provide provides require requires involve
    involves allow allows become becomes prevent prevents protect protects contain contains depend depends
    range ranges vary varies consist consists indicate indicates support supports lack lacks tend tends
    work works act acts bind binds block blocks carry carries produce produces control controls give gives
    mean means begin begins get gets keep keeps differ differs exist exists characterize characterizes
    experience experiences switch switches view views attack attacks fight fights find finds look looks
    check checks see sees form forms live lives die dies grow grows spread spreads start starts stop stops
    follow follows enter enters damage damages destroy destroys raise raises lower lowers take takes
    come comes go goes run runs feel feels lose loses turn turns change changes remove removes replace
    replaces treat treats use uses suppress suppresses modulate modulates neutralize neutralizes
    inhibit inhibits stimulate stimulates benefit benefits recommend recommends report reports
    worsen worsens relieve relieves ease eases cure cures kill kills trigger triggers mimic mimics
    decrease decreases enhance enhances outweigh outweighs reflect reflects undergo undergoes perform performs
    underwent took gave made found showed shown led became began went came saw got kept ran felt lost grew
    held met put set brought thought told left rose fell chose sought taught fought meant built sent spent
        """
    )
)
_DANGLING_START = frozenset(
    _words(
        """
    and or nor which whom whose who that where whereby whereas than including e.g i.e respectively
        """
    )
)
_ANAPHORIC_START = frozenset(_words("this these that those it its they their such both thus hence then also"))
_PURPOSE_START = re.compile(
    r"^(?:to (?:assess|evaluate|determine|investigate|examine|compare|describe|explore|identify|test|"
    r"analy[sz]e|estimate|measure|review|report|study|clarify|characteri[sz]e)\b|"
    r"(?:the )?(?:(?:main|specific|primary|overall) )?(?:aim|aims|purpose|objective|objectives|goal|goals) of "
    r"(?:this|the|our|these) (?:study|studies|work|review|analysis|trial|trials|paper|research|project)|"
    r"we (?:aimed|sought|set out|wanted|hypothesi[sz]ed)|this study (?:aimed|aims)|"
    r"the present study (?:aimed|aims))",
    re.I,
)
_TABLE_MARKS = ("\t", "|", "   ", "....", "___", " : ")
_DEFINITION_ITEM = re.compile(r"^[^.:;!?]{2,60}?\s?:\s+[A-Z]")
_DIGIT = re.compile(r"\d")
_VERBLESS_MAX_WORDS = 14
_ED_WORD = re.compile(r"[a-z]{3,}ed\b")
_LOWER_WORD = re.compile(r"(?<![\w-])[a-z][a-z']*(?![\w-])")  # lower-case words: "ACT" is not "act"
# Cheap prefilter: every BOILERPLATE alternative contains one of these.
_BOILERPLATE_KEYS = (
    "phenotype",
    "table",
    "dictionary",
    "summary",
    "following",
    "information",
    "click",
    "visit",
    "contact",
    "www",
    "http",
    "orphanet",
    "you can",
    "listed",
    "page",
    "fact sheet",
    "section",
    "sign or symptom",
    "fraction",
    "frequenc",
    "approximate",
)
# Page furniture of consumer-health sites: pointers to tables, dictionaries and other pages.
BOILERPLATE = re.compile(
    r"human phenotype ontology|the table below|medical dictionary|this summary (?:is about|section)|"
    r"see the following|for more information|click here|\bvisit (?:the|our)\b|\bcontact (?:us|the)\b|"
    r"www\.|https?://|orphanet|you can (?:use|find|search)|listed (?:below|above)|"
    r"the following (?:list|table)|"
    r"this (?:page|fact sheet|section) (?:is|was|describes|provides)|sign or symptom occurs|"
    r"frequency of a sign or symptom|number of the fraction|a frequency of \d+/\d+|"
    r"approximate number of patients|frequencies are based on|the sign or symptom may be rare|"
    r"no information on frequency",
    re.I,
)
_NUMERIC_TOKEN = re.compile(r"^[\d.,:;%±+\-=<>/()\[\]x×]+$")


def word_count(text: str) -> int:
    return len(text.split())


def has_verb_shape(text: str) -> bool:
    """A crude finite-verb test: an auxiliary or common verb, or a word ending -ed."""
    words = _LOWER_WORD.findall(text)
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return bool(_ED_WORD.search(" ".join(words))) or not _VERBISH.isdisjoint(words) or first in _VERBISH


def sentence_problem(sentence: str, *, min_words: int = 5, max_words: int = 60) -> str | None:
    """Why ``sentence`` is unfit to quote as a stand-alone claim, or None when it is fine.

    Rejects: headings and "Key Points" lines, text not ending with . or !, questions, fragments without a
    verb, fewer than ``min_words`` or more than ``max_words`` words, table remnants (mostly numbers and
    symbols, tabs, pipes, leader dots), page furniture ("the table below", "for more information"),
    "Term: definition" items, sentences beginning in lower case or with a dangling connective ("and",
    "which"...), and study-purpose statements ("To assess whether...", "We aimed to...").
    """
    s = sentence.strip()
    if not s:
        return "empty"
    if _KEY_POINTS.fullmatch(s) or _KEY_POINTS.match(s) and word_count(s) <= 3:
        return "heading"
    if s.rstrip("\"')]\u201d\u2019").endswith("?"):
        return "question"
    if not _TERMINAL.search(s) or s.rstrip("\"')]\u201d\u2019").endswith(("...", "\u2026")):
        return "no final punctuation"
    n = word_count(s)
    if n < min_words:
        return "too short"
    if n > max_words:
        return "too long"
    if any(mark in s for mark in _TABLE_MARKS):
        return "table debris"
    low = s.lower()
    if any(k in low for k in _BOILERPLATE_KEYS) and BOILERPLATE.search(s):
        return "boilerplate"
    if _DEFINITION_ITEM.match(s):
        return "definition or label item"
    toks = s.split()
    if _DIGIT.search(s):
        numeric = sum(1 for t in toks if _NUMERIC_TOKEN.match(t))
        if numeric / len(toks) > 0.45 or s.count("\u00b1") + s.count("+/-") >= 3:
            return "table debris"
    first = toks[0].strip("\"'(\u201c\u2018")
    if first[:1].islower() and first.isalpha() and first.islower():
        return "starts in lower case"
    if first.lower().rstrip(",;:") in _DANGLING_START:
        return "dangling connective"
    if first.lower() in ("whether", "how") and "," not in s:
        return "list item"  # "Whether the cancer has spread." is one item of a list, not a claim
    if _PURPOSE_START.match(s):
        return "purpose statement"
    if n <= _VERBLESS_MAX_WORDS and not has_verb_shape(s):
        return "no verb"  # a list item or title; longer sentences nearly always have a verb we miss
    if s.count("(") != s.count(")"):
        return "unbalanced parentheses"
    return None


_CLAUSE_BOUNDARY = re.compile(r"(?:;|,\s+(?:and|but|whereas|while|although|which)\b)\s")


def trim_long_sentence(sentence: str, *, min_words: int = 5, max_words: int = 60) -> str | None:
    """Cut an over-long sentence at a clause boundary ("; ", ", and ", ", whereas "...) so that the kept
    head is a whole sentence: it gets a final period and must itself pass :func:`sentence_problem`.
    The last boundary that fits is used; with none, None (the sentence is dropped, never quoted as a
    fragment)."""
    positions = [m.start() for m in _CLAUSE_BOUNDARY.finditer(sentence)]
    for pos in reversed(positions):
        head = sentence[:pos].rstrip(" ,;")
        if word_count(head) > max_words:
            continue
        candidate = head + "."
        if sentence_problem(candidate, min_words=min_words, max_words=max_words) is None:
            return candidate
    return None


def is_anaphoric(sentence: str) -> bool:
    """True when the sentence opens with a word that points back to earlier text ("This", "These"...)."""
    first = sentence.split(maxsplit=1)[0].lower().strip(",") if sentence.strip() else ""
    return first in _ANAPHORIC_START
