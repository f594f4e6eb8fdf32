"""List statements: a list's lead-in and its items, quoted as one sentence.

Why (measured on the full shared library, 34,405 chunks): NIH consumer pages answer many questions with lists
("You are more likely to get gout if you - Are a man - ... - Drink alcohol - Eat too many foods rich in purines").
6,034 of the 29,895 guideline chunks hold 33,759 list items, and not one item could be quoted: an item has no
final punctuation and no subject of its own, so :func:`medcite.qa.sentences.sentence_problem` rejects it, and
the lead-in ("You are more likely to get gout if you") is rejected too. The answer to "Which foods can set off gout
attacks?" (purines, alcohol) was in the retrieved passage and never shown.

A list statement is the lead-in followed by its items, in the source's words and order, joined by punctuation only
(": " after the lead-in, "; " between items, a final "."); a repair in the sense of
:func:`medcite.qa.standalone.is_repair` (no word added or taken out), so its citation check still holds. It
stands at the lead-in's position; the items are no longer candidates of their own. A list too long for one statement
keeps its first items (``trimmed``). Not built: a list whose lead-in is in the chunk before (the chunk starts mid-list:
1,189 chunks), and items longer than :data:`MAX_ITEM_WORDS` (those are sentences, quoted on their own).

    >>> text = "You are more likely to get gout if you\\n- Are a man\\n- Drink alcohol\\n- Eat too many purines"
    >>> rows = ((0, "You are more likely to get gout if you", False, "no final punctuation"),
    ...         (1, "Are a man", False, "no final punctuation"), (2, "Drink alcohol", False, "no final punctuation"),
    ...         (3, "Eat too many purines", False, "no final punctuation"))
    >>> merged = merge_lists(text, rows, max_words=60)
    >>> merged[0][1]
    'You are more likely to get gout if you: Are a man; Drink alcohol; Eat too many purines.'
    >>> merged[1][3], merged[0][4] == text
    ('in a list statement', True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from medcite.qa.sentences import sentence_problem, word_count

Row = tuple[int, str, bool, str | None]  # (position, sentence, trimmed, problem) as quotable_sentences gives them
Merged = tuple[int, str, bool, str | None, str]  # ... and the verbatim source of a list statement ("" for others)
MAX_ITEM_WORDS = 20  # a longer item is a sentence of its own
MIN_ITEMS = 2
MIN_LEAD_WORDS = 3
IN_LIST = "in a list statement"
# problems an item or a lead-in may have and still join a list statement: what a phrase without a subject or a final
# full stop is rejected for
_ITEM_PROBLEMS = frozenset([None, "no final punctuation", "too short", "starts in lower case", "no verb",
                            "definition or label item"])
_LEAD_PROBLEMS = frozenset([None, "no final punctuation", "heading", "too short", "no verb"])
# a capitalised word right after a lower-case one, in an item that ended with a full stop: a heading or a source line
# glued on by a lost line break ("... window and door screens Centers for Disease Control and Prevention.")
GLUED_SENTENCE_WORDS = 6  # a capitalised tail this long on an item is the next sentence, glued on
_GLUED_TAIL = re.compile(r"(?<=[a-z,]) (?=[A-Z][a-z]+\b)")
_LAST_SENTENCE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")
_MARKER = r"(?:^|\n|\s)(?:[-\u2022\u25aa\u25cf\u2023*]|\(?\d{1,2}[.)])"  # a bullet or "1." / "(2)"
_ANY_MARKER = re.compile(_MARKER + r"\s")
_MARKER_BEFORE = re.compile(_MARKER + r"\s*$")
_SENTENCE_END = re.compile(r"[.!?] ")


def item_spans(text: str, sentences: Sequence[str]) -> list[tuple[bool, int, int]]:
    """(stands right after a list marker, start, end in ``text``) for each of ``sentences`` (verbatim slices of
    ``text``, whitespace collapsed, in order); (False, -1, -1) for one not found."""
    if not _ANY_MARKER.search(text):
        return [(False, -1, -1)] * len(sentences)  # no list in the chunk (most chunks): nothing to find
    out: list[tuple[bool, int, int]] = []
    pos = 0
    for sentence in sentences:
        start = text.find(sentence, pos)  # verbatim (most sentences), else whitespace-insensitively
        end = start + len(sentence)
        if start < 0:
            words = sentence.split()
            m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, pos) if words else None
            if m is None:
                out.append((False, -1, -1))
                continue
            start, end = m.start(), m.end()
        out.append((bool(_MARKER_BEFORE.search(text[max(0, start - 12):start])), start, end))
        pos = end
    return out


def _lead_in(row: Row) -> str | None:
    _, sentence, _, problem = row
    s = sentence.strip()
    if problem not in _LEAD_PROBLEMS or s.endswith("?") or word_count(s) < MIN_LEAD_WORDS:
        return None
    if problem is None and not s.endswith(":"):
        return None  # a whole sentence: what follows it is not its list
    lead = _LAST_SENTENCE.split(s)[-1].rstrip(":").rstrip()  # "... the cause. Steps may include" -> its last part
    if word_count(lead) < MIN_LEAD_WORDS or ":" in lead or "%" in lead:
        return None  # a label ("Gene Review: ...") or a table header with figures, not a lead-in
    if sentence_problem(f"{lead}.", min_words=MIN_LEAD_WORDS) is not None:
        return None  # page furniture ("for more information"), table debris, a verbless label ("Hypoplasia of midface")
    return lead


def _item(row: Row) -> str | None:
    _, sentence, _, problem = row
    s = sentence.strip().rstrip(".;,").strip()
    if (problem not in _ITEM_PROBLEMS or not s or s.endswith("?") or ":" in s or word_count(s) > MAX_ITEM_WORDS
            or _SENTENCE_END.search(s)):
        return None  # a question, a "Label: text" item (resource lists), a sentence of its own
    glued = _GLUED_TAIL.search(s)
    if glued and (problem is None or word_count(s[glued.end():]) >= GLUED_SENTENCE_WORDS):
        return None  # it ended with a full stop and may have a heading glued on ("kidney biopsy Medical and Family
    # History."), or the page's next sentence is glued on ("dry skin Infants, children, older adults, and people with
    # weak immune systems have the greatest chance of becoming dehydrated"): the list ends before it (a name,
    # "travel to West Africa.", cannot be told apart)
    return s


def merge_lists(text: str, rows: Sequence[Row], max_words: int = 60) -> tuple[Merged, ...]:
    """``rows`` (the sentences of ``text``) with each lead-in and its items made one list statement (see the module
    docstring), its verbatim source last; the items' rows get the problem :data:`IN_LIST`."""
    spans = item_spans(text, [r[1] for r in rows])
    out: list[Merged] = [(*r, "") for r in rows]
    k = 0
    while k < len(rows):
        lead = _lead_in(rows[k]) if not spans[k][0] and spans[k][1] >= 0 else None
        j = k + 1
        items: list[str] = []
        inline = 0
        span_words = len(lead.split()) if lead is not None else 0  # the lead-in's words in the source row
        if lead is not None and " - " in lead:  # an inline list's first item: "The main risk factors are - diabetes"
            lead, first = (part.strip() for part in lead.rsplit(" - ", 1))
            items.append(first)
            inline = 1
            if word_count(lead) < MIN_LEAD_WORDS:
                lead = None
        while lead is not None and j < len(rows) and spans[j][0]:
            item = _item(rows[j])
            if item is None:
                break
            items.append(item)
            j += 1
        if lead is None or len(items) < MIN_ITEMS:
            k += 1
            continue
        kept = list(items)
        while len(kept) > MIN_ITEMS and word_count(lead) + sum(word_count(i) for i in kept) > max_words:
            kept.pop()
        if word_count(lead) + sum(word_count(i) for i in kept) <= max_words:
            words = list(re.finditer(r"\S+", text[spans[k][1]:spans[k][2]]))  # where the lead-in (the row's last
            start = spans[k][1] + words[-span_words].start()  # part) starts
            last = k + len(kept) - inline  # the last row taken in
            source = text[start:spans[last][2]]
            out[k] = (rows[k][0], f"{lead}: {'; '.join(kept)}.", len(kept) < len(items), None, source)
            for m in range(k + 1, last + 1):
                out[m] = (*rows[m][:3], IN_LIST, "")
        k = j
    return tuple(out)


def parts(statement: str) -> dict[str, object]:
    """A list statement's ``lead`` and ``items`` (as :func:`merge_lists` joined them, after any stand-alone repair or
    tidying of the text), for the answer's types to show it as a list.

    >>> parts("Symptoms of gout include: Pain; Swelling.")
    {'lead': 'Symptoms of gout include', 'items': ('Pain', 'Swelling')}
    """
    lead, _, rest = statement.partition(": ")
    return {"lead": lead, "items": tuple(i.strip() for i in rest.rstrip(".").split("; ") if i.strip())}
