"""Pages about another condition than the one asked: a page's title that holds the focus name only inside another
name ("Parsonage-Turner syndrome" for Turner syndrome), or a qualified variant of a general page of the focus
("Juvenile amyotrophic lateral sclerosis" for ALS). Blind reads of rounds 9 and 10 found answers built from such
pages (Parsonage-Turner's tests as Turner syndrome's; juvenile ALS's normal life expectancy as ALS's); evidence
selection (``medcite.qa.evidence``) rejects their sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache


def in_other_name(title: str, names: Sequence[str]) -> bool:
    """The page's title holds a focus name only as the tail of another name, joined to a capitalised word before
    it: "Parsonage-Turner syndrome" or "Parsonage Turner syndrome" for Turner syndrome, "Sjogren-Larsson syndrome"
    for Sjogren's (round 9's blind read: Parsonage-Turner's tests were shown as how Turner syndrome is diagnosed).
    "Diagnosis of Diabetes" is about diabetes: a function word before the name joins nothing.

    >>> in_other_name("Parsonage-Turner syndrome", ["Turner syndrome"]), in_other_name("Turner syndrome", ["Turner"])
    (True, False)
    >>> in_other_name("Parsonage Turner syndrome", ["Turner syndrome"]), in_other_name("Lyme disease", ["Lyme"])
    (True, False)
    >>> in_other_name("Diagnosis of Diabetes and Prediabetes", ["Diabetes"])
    False
    """
    flat = " ".join(title.split())
    for name in names:
        key = " ".join(name.lower().split())
        first = key.split()[0] if key else ""
        if len(first) < 4 or flat.lower() == key:
            continue
        spots = [m.start() for m in re.finditer(rf"\b{re.escape(first)}\b", flat.lower())]
        joined = []
        for i in spots:
            before = re.search(r"([A-Za-z']+)([- ])$", flat[:i])
            joined.append(bool(before and flat.lower()[i:].startswith(key) and before.group(1)[:1].isupper()
                               and before.group(1).lower() not in JOINING_WORDS))
        if spots and all(joined):
            return True
    return False


def variant_of(title: str, general: Sequence[str], question: str) -> bool:
    """The page is a qualified variant of a retrieved general page of the focus, a qualifier the question does not
    use: "Juvenile amyotrophic lateral sclerosis" beside "Amyotrophic lateral sclerosis" for a question on ALS
    (round 9's blind read: a life expectancy of juvenile ALS was ALS's bottom line). "Diagnosis of Diabetes" is about
    diabetes: a function word before the general title qualifies nothing.

    >>> variant_of("Juvenile amyotrophic lateral sclerosis", ["Amyotrophic lateral sclerosis"], "life expectancy ALS")
    True
    >>> variant_of("Juvenile amyotrophic lateral sclerosis", ["Amyotrophic lateral sclerosis"], "juvenile ALS")
    False
    >>> variant_of("Diagnosis of Diabetes", ["Diabetes"], "how is diabetes diagnosed")
    False

    A qualifier that names the asker's population is the question's own: a pregnancy asks for "Gestational
    Diabetes", a child for "Childhood Asthma".

    >>> variant_of("Gestational Diabetes", ["Diabetes"], "is diabetes in pregnancy dangerous for the baby")
    False
    >>> variant_of("Childhood Asthma", ["Asthma"], "my 6 year old has asthma, what inhaler")
    False
    """
    flat = " ".join(re.sub(r"\s*\([^)]*\)", "", title).lower().split())
    asked = _asked(question)
    for name in general:
        key = " ".join(re.sub(r"\s*\([^)]*\)", "", name).lower().split())
        if not key or flat == key or not flat.endswith(" " + key):
            continue
        qualifier = re.findall(r"[a-z0-9]+", flat[: -len(key)])
        if qualifier and qualifier[-1] not in JOINING_WORDS and not set(qualifier) & asked:
            return True
    return False


# The asker's population, and the qualifiers of page titles that name it.
_POPULATION_QUALIFIERS = {
    re.compile(r"\b(?:pregnan\w*|expecting|weeks along|trimester|breastfeed\w*|postpartum|after (?:giving )?birth)\b",
               re.I): frozenset(("gestational", "pregnancy", "maternal", "prenatal", "postpartum", "perinatal")),
    re.compile(r"\b(?:child\w*|kids?|son|daughter|toddler|boy|girl|teen\w*|baby|babies|infant|newborn|"
               r"\d+ ?(?:years?|yrs?|months?) old)\b", re.I):
        frozenset(("childhood", "pediatric", "paediatric", "juvenile", "infantile", "neonatal", "congenital",
                   "early", "onset", "adolescent")),
    re.compile(r"\b(?:elderly|older|senior|aged|\d{2} ?(?:years?|yrs?) old|grand(?:ma|pa|mother|father))\b", re.I):
        frozenset(("late", "onset", "senile", "adult", "age", "related")),
}

@lru_cache(maxsize=256)
def _asked(question: str) -> frozenset[str]:
    """The question's words and the title qualifiers its population names (read once per question, not per page)."""
    asked = set(re.findall(r"[a-z0-9]+", question.lower()))
    for group, words in _POPULATION_QUALIFIERS.items():
        if group.search(question):
            asked |= words
    return frozenset(asked)


JOINING_WORDS = frozenset(("of", "and", "or", "for", "the", "with", "in", "on", "to", "about", "after", "from", "a",
                            "an", "vs"))
