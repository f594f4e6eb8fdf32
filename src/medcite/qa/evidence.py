"""Evidence selection: from retrieved passages to a ranked, de-duplicated list of quotable sentences.

Scoring (every component in [0, 1]; weights are module constants)::

    score(s) = 0.45 * lexical(s) + 0.15 * focus(s) + 0.15 * section(s) + 0.10 * retrieval(p)
             + 0.15 * intent(s) - penalties(s)

    lexical(s)   = ( sum_{t in Q & S} w_t * idf_t + 0.7 * sum_{t in Q & C, t not in S} w_t * idf_t )
                   / sum_{t in Q} w_t * idf_t
                   Q: the question's content stems (stopwords removed, abbreviations and their long forms
                   unified); w_t = 1 for key terms, 0.4 for generic words ("treat", "help", "disease"),
                   times 0.5 for terms carried over from the previous question of a follow-up.
                   S: the sentence's stems; C: the stems of its passage's title and section heading.
                   idf_t = ln(1 + N / (1 + df_t)) over the N candidate sentences.
    focus(s)     = 1 if the sentence names a focus term (a key term that appears in a retrieved title,
                   or an acronym/capitalised name typed in the question), 0.8 if only its
                   passage's title/heading does (a guideline section rarely repeats its subject), else 0.
    section(s)   = research: CONCLUSIONS 1.0 > RESULTS 0.7 > unlabelled 0.4 > BACKGROUND 0.35 >
                   OBJECTIVE 0.2 > METHODS 0.1; guidelines: 1.0 when the section's question type or
                   heading matches the question's intent (e.g. "How is X treated?" -> treatment
                   sections), 0.6 for overview sections or intent-less questions, 0.3 otherwise.
    retrieval(p) = the passage's retrieval score divided by the best one (clipped to [0, 1]).
    intent(s)    = 1 if the sentence's facet (cue words plus its section's question type) is the one the
                   question asks about first ("symptoms" for "What are the symptoms of X?"), 0.7 if it is
                   another asked facet, 0.5 if the sentence only has a cue word of an asked facet,
                   else 0.
    penalties    = 0.05 for an opening that points back ("This", "These", "It"), 0.05 for number-dense
                   text, 0.03 for under 8 words, 0.02 for a sentence trimmed at a clause boundary.

A sentence is *evidence* only when it matches at least one key term itself, or its passage's title or
heading matches one and the sentence shares any question term or sits in a section of the asked
intent; when it or its passage's title/heading names a focus term; when, for a question with three or
more key terms, it meets two of them (itself or through its title/heading); and when its score reaches
``min_relevance``.  Near-duplicates (token-set Jaccard >=
``near_duplicate``, or 85 % of the smaller set contained in the larger) are dropped, keeping the
better one; an identical sentence in another document is kept once and cites both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from medcite.qa import facets, lists, standalone
from medcite.qa.other_pages import in_other_name, variant_of
from medcite.qa.profile import QueryProfile, analyze_question
from medcite.qa.safety import instruction_like
from medcite.qa.sections import guideline_section_prior, research_problem, research_section_prior
from medcite.qa.sentences import is_anaphoric, sentence_problem, split_sentences, trim_long_sentence, word_count
from medcite.qa.text import (
    Forms,
    find_acronyms,
    is_generic,
    normalize_for_match,
    normalize_ws,
    prepare_forms,
    term_set,
)
from medcite.types import Chunk, Passage

W_LEXICAL = 0.45
W_FOCUS = 0.15
W_SECTION = 0.15
W_RETRIEVAL = 0.10
W_INTENT = 0.15
CONTEXT_WEIGHT = 0.7
CONTEXT_FOCUS = 0.8
PENALTY_ANAPHORIC = 0.05
PENALTY_NUMERIC = 0.05
PENALTY_SHORT = 0.03
PENALTY_TRIMMED = 0.02
CONTAINMENT = 0.85
ANCHOR_PASSAGES = 5  # the focus anchor is a title word of these first passages when they hold one


# Stems that qualify a topic rather than name one: never the anchor of the focus (see select_evidence).
_NOT_ANCHOR_WORDS = (
    "increase increased decrease reduce reduced prevent prevention improve improved safe safety",
    "outcome outcomes complication complications severe change lower raise high low benefit efficacy",
    "prognosis outlook diagnosis diagnose inherited inheritance genetic early late difficult difference",
    "men women man woman child children adult adults elderly older old young younger infant infants",
    "pregnant pregnancy patient patients people compare compared versus",
)
_NOT_ANCHORS: frozenset[str] = frozenset(
    term for line in _NOT_ANCHOR_WORDS for word in line.split() for term in term_set(word, keep_ambiguous=True)
)
_NUMERIC = re.compile(r"\d")


@dataclass(frozen=True)
class Evidence:
    """One quotable sentence of a passage, with its score and the parts of the score."""

    text: str
    passage_index: int
    chunk: Chunk
    position: int
    score: float
    lexical: float
    focus: float
    section: float
    retrieval: float
    intent: float
    facet: str
    trimmed: bool = False
    also_in: tuple[int, ...] = ()  # other passages (indices) holding the identical sentence
    terms: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    quote: str = ""  # the source's verbatim sentence when ``text`` is its stand-alone repair (else "")
    answers: float | None = field(default=None, compare=False)  # P(it answers the question), medcite.qa.relevance
    lead: str = ""  # a list statement's lead-in and items (medcite.qa.lists), as ``text`` shows them
    items: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        return self.chunk.kind

    @property
    def verbatim(self) -> str:
        """The sentence as the passage writes it (for its character span)."""
        return self.quote or self.text


@dataclass
class EvidenceSet:
    """The outcome of :func:`select_evidence`."""

    profile: QueryProfile
    ranked: list[Evidence]
    candidates: int = 0
    key_coverage: float = 0.0  # most core terms one passage holds, as a share of the core terms
    topic_known: bool = False  # some passage holds ``profile.required_core(share)`` core terms
    best_score: float = 0.0
    rejected: dict[str, int] = field(default_factory=dict)  # why sentences were not candidates
    min_words: int = 5
    max_words: int = 60


@dataclass
class _Candidate:
    text: str
    passage_index: int
    position: int
    terms: set[str]
    trimmed: bool
    quote: str = ""
    listed: bool = False  # a list statement (medcite.qa.lists)


@lru_cache(maxsize=4096)
def quotable_sentences(
    text: str, min_words: int = 5, max_words: int = 60
) -> tuple[tuple[int, str, bool, str | None, str], ...]:
    """(position, sentence, trimmed, problem, verbatim) for every sentence of ``text``; ``problem`` is None for a
    quotable one; ``verbatim`` is the source of a list statement (:mod:`medcite.qa.lists`: a list's lead-in and its
    items as one sentence), else "".  Cached: the same chunks come back for many questions."""
    out: list[tuple[int, str, bool, str | None]] = []
    for j, sentence in enumerate(split_sentences(text)):
        problem = sentence_problem(sentence, min_words=min_words, max_words=max_words)
        trimmed = False
        if problem == "too long":
            cut = trim_long_sentence(sentence, min_words=min_words, max_words=max_words)
            if cut is not None:
                sentence, problem, trimmed = cut, None, True
        if problem is None and instruction_like(sentence):
            problem = "addressed to a model"  # planted instructions are never evidence
        out.append((j, sentence, trimmed, problem))
    return lists.merge_lists(text, out, max_words)


def _candidates(
    passages: Sequence[Passage], min_words: int, max_words: int, rejected: dict[str, int], strict: bool = True
) -> list[tuple[int, int, str, bool, str, bool]]:
    """(passage index, position, text, trimmed, verbatim quote or "", a list statement) of every sentence that can be
    shown
    alone: repaired by :func:`medcite.qa.standalone.repair` (the page's title is its focus) or rejected
    as "cannot stand alone" (it may still be shown right after the sentence before it, see
    ``compose._continuation``)."""
    out: list[tuple[int, int, str, bool, str]] = []
    for i, passage in enumerate(passages):
        heading = " ".join(passage.chunk.section.split()).lower()
        sentences = quotable_sentences(passage.chunk.text, min_words, max_words)
        for k, (j, sentence, trimmed, problem, listed) in enumerate(sentences):
            if problem is None and heading and sentence.lower() == heading:
                problem = "heading"
            quote = listed
            if problem is None:
                previous = sentences[k - 1][1] if k else None
                fixed = standalone.repair(sentence, focus=passage.chunk.title, previous=previous,
                                          research=passage.chunk.kind != "guideline", source=passage.chunk.text)
                if fixed is None:
                    problem = "cannot stand alone" if strict else None
                elif fixed != sentence:
                    sentence, quote = fixed, quote or sentence
            if problem is not None:
                rejected[problem] = rejected.get(problem, 0) + 1
                continue
            out.append((i, j, sentence, trimmed, quote, bool(listed)))
    return out


_STRICT_REASONS = ("page about another focus", "cannot stand alone", "aim or method")


def focus_stems(names: Sequence[str], forms: Forms | None = None) -> tuple[frozenset[str], ...]:
    """The key stems of each focus name ("Lyme disease" -> {"lyme"}); names of generic words only are left out."""
    out = []
    for name in names:
        for part in re.split(r",\s*|\s+(?:and|or)\s+", name):  # "Tonsils and Adenoids": either one
            stems = frozenset(t for t in term_set(part, forms, keep_ambiguous=True) if not is_generic(t))
            if stems:
                out.append(stems)
    return tuple(out)


def _names(focus: frozenset[str], terms: set[str] | frozenset[str]) -> bool:
    """Every stem of ``focus`` is among ``terms``, or begins one of them ("tonsil" in "tonsillectomi")."""
    return all(f in terms or (len(f) >= 4 and any(t.startswith(f) for t in terms)) for f in focus)


def select_evidence(
    question: str,
    passages: Sequence[Passage],
    *,
    history: Sequence[tuple[str, str]] | None = None,
    min_relevance: float = 0.25,
    near_duplicate: float = 0.6,
    min_words: int = 5,
    max_words: int = 60,
    history_weight: float = 0.5,
    max_evidence: int = 40,
    topic_share: float = 0.5,
    focus_names: Sequence[str] = (),
    focus_documents: frozenset[str] | set[str] = frozenset(),
    strict: bool = True,
) -> EvidenceSet:
    """Split, filter, score and de-duplicate the sentences of ``passages`` for ``question``.

    Returns the evidence best first (ties: passage order, then sentence order); see the module
    docstring for the formula and the gate.  ``focus_names`` / ``focus_documents`` come from the question
    analysis (``QuestionAnalysis.focus``): when some passage is from a focus document, a sentence of any
    other page counts only when it, its page's title or its heading names a focus (a Fitz-Hugh-Curtis
    page's surgery sentence is no evidence on Lyme disease).
    """
    acronyms: dict[tuple[str, ...], str] = {}
    for passage in passages:
        acronyms.update(find_acronyms(passage.chunk.title))
        acronyms.update(find_acronyms(passage.chunk.text))
    forms = prepare_forms(acronyms)
    profile = analyze_question(question, history, acronyms=forms, history_weight=history_weight)
    rejected: dict[str, int] = {}
    raw = _candidates(passages, min_words, max_words, rejected, strict)
    cands = [_Candidate(text, i, j, term_set(text, forms), trimmed, quote, listed)
             for i, j, text, trimmed, quote, listed in raw]
    contexts = [term_set(f"{p.chunk.title}. {p.chunk.section}", forms) for p in passages]
    named_focus = focus_stems(focus_names, forms)
    off_focus = [False] * len(passages)
    if strict and named_focus and any(p.chunk.doc_id in focus_documents for p in passages):
        off_focus = [p.chunk.doc_id not in focus_documents and (not any(_names(f, ctx) for f in named_focus)
                                                                or in_other_name(p.chunk.title, focus_names))
                     for p, ctx in zip(passages, contexts, strict=True)]
    other_name = [off and in_other_name(p.chunk.title, focus_names)
                  for off, p in zip(off_focus, passages, strict=True)]
    if strict and focus_documents:
        general = sorted({p.chunk.title for p in passages if p.chunk.doc_id in focus_documents})
        other_name = [o or (p.chunk.doc_id in focus_documents and variant_of(p.chunk.title, general, question))
                      for o, p in zip(other_name, passages, strict=True)]
    kept_cands = []
    for c in cands:
        chunk = passages[c.passage_index].chunk
        why = None
        if other_name[c.passage_index] or (off_focus[c.passage_index]
                                           and not any(_names(f, c.terms) for f in named_focus)):
            why = "page about another focus"
        elif chunk.kind == "research" and strict:
            why = research_problem(c.quote or c.text, chunk.label, chunk.section)
        if why:
            rejected[why] = rejected.get(why, 0) + 1
        else:
            kept_cands.append(c)
    cands = kept_cands

    # Focus: what the question is about.  Acronyms and names typed in the question, and the *anchor*:
    # of the key terms found in retrieved titles, the one in the fewest documents' titles ("statin" rather
    # than "stroke" in "Do statins prevent stroke?"), leaving out modifiers and relation words such as
    # "increase", "safe", "women".  Every evidence sentence must touch a focus term, itself or through its
    # passage's title and heading.  (Headings are left out here: "Is X inherited?" is no topic.)
    title_docs: dict[str, set[str]] = {}
    for p in passages:
        for t in term_set(p.chunk.title, forms) & profile.key_terms:
            title_docs.setdefault(t, set()).add(p.chunk.doc_id)
    # The anchor comes from the titles retrieval ranks highest when they hold one: "cure" in the 18th passage's
    # title ("HIV/AIDS (Is There a Cure for HIV?)") is no anchor for a milk-allergy question whose top five
    # passages are all "Food allergy" pages (dev: MEDIQA Val-23, refused for want of a "cure" sentence).
    top_titles = set().union(*(term_set(p.chunk.title, forms) for p in passages[:ANCHOR_PASSAGES]))
    anchors = sorted((t for t in title_docs if t not in _NOT_ANCHORS),
                     key=lambda t: (t not in top_titles, len(title_docs[t]), t))
    named = set(profile.focus_terms)
    if named and any(named & (c.terms | contexts[c.passage_index]) for c in cands):
        # The user named the subject ("IVIG"): evidence must be about it, not just about a broader anchor
        # such as "autoimmune" that many retrieved titles share.
        focus = named
    else:
        focus = set(named)
        if anchors:
            focus.add(anchors[0])
        if not focus:
            focus = set(title_docs) or set(profile.key_terms)

    # Does the library know the topic?  Some passage must hold enough of the question's core terms.
    held: list[set[str]] = [profile.core_terms & ctx for ctx in contexts]
    for c in cands:
        held[c.passage_index] |= profile.core_terms & c.terms
    best_core = max((len(h) for h in held), default=0)
    core_n = len(profile.core_terms)
    key_coverage = best_core / core_n if core_n else 0.0
    topic_known = core_n > 0 and best_core >= profile.required_core(topic_share)

    n = len(cands)
    df: dict[str, int] = {}
    for c in cands:
        for t in c.terms & profile.terms.keys():
            df[t] = df.get(t, 0) + 1
    idf = {t: math.log(1.0 + n / (1.0 + df.get(t, 0))) for t in profile.terms}
    q_mass = sum(w * idf[t] for t, w in profile.terms.items()) or 1.0

    best_ret = max((min(max(p.score, 0.0), 1.0) for p in passages), default=0.0)
    section_prior: list[float] = []
    for p in passages:
        if p.chunk.kind == "research":
            section_prior.append(research_section_prior(p.chunk.label, p.chunk.section))
        else:
            section_prior.append(guideline_section_prior(p.chunk.label, p.chunk.section, profile.intents))

    intents = set(profile.intents)
    sentence_core = 2 if len(profile.core_terms) >= 3 and not profile.leans_on_history else 1
    scored: list[Evidence] = []
    for c in cands:
        ctx = contexts[c.passage_index]
        in_sentence = c.terms & profile.terms.keys()
        in_context = (ctx & profile.terms.keys()) - in_sentence
        key_in_sentence = bool(c.terms & profile.key_terms)
        key_in_context = bool(ctx & profile.key_terms)
        chunk = passages[c.passage_index].chunk
        label_facet = facets.facet_for_label(chunk.label)
        section_on_intent = section_prior[c.passage_index] >= 1.0 and chunk.kind == "guideline"
        if not (
            key_in_sentence
            or (key_in_context and (in_sentence or section_on_intent or (intents and facets.has_cue(c.text, intents))))
        ):
            continue
        analysed = [f for f in named_focus if _names(f, c.terms)] or [f for f in named_focus if _names(f, ctx)]
        if not (c.terms & focus or ctx & focus or analysed):
            continue  # about something else: "difficult for men" in a page on infertility
        # a question of many parts needs a sentence that meets at least two of them; on a page about the linked
        # focus one is enough, the page being the focus ("pinworms in kids how do u get rid of them for good" was
        # refused: no sentence of the Pinworms page says "rid", "kids" or "good"; round 8's blind read)
        need = 1 if chunk.doc_id in focus_documents and named_focus else sentence_core
        if len(profile.core_terms & (c.terms | ctx)) < need:
            continue
        lexical = (
            sum(profile.terms[t] * idf[t] for t in in_sentence)
            + CONTEXT_WEIGHT * sum(profile.terms[t] * idf[t] for t in in_context)
        ) / q_mass
        if c.terms & focus or any(_names(f, c.terms) for f in analysed):
            focus_score = 1.0
        elif ctx & focus or analysed:
            focus_score = CONTEXT_FOCUS
        else:
            focus_score = 0.0
        retrieval = min(max(passages[c.passage_index].score, 0.0), 1.0) / best_ret if best_ret > 0 else 0.0
        base = (
            W_LEXICAL * lexical
            + W_FOCUS * focus_score
            + W_SECTION * section_prior[c.passage_index]
            + W_RETRIEVAL * retrieval
        )
        if base + W_INTENT < min_relevance:
            continue
        intent = 0.0
        if intents and facets.has_cue(c.text, profile.intents):
            facet = facets.classify_sentence(c.text, chunk.label)
            if facet == profile.intents[0]:
                intent = 1.0
            elif facet in intents:
                intent = 0.7
            else:
                intent = 0.5
        elif chunk.kind == "guideline" and label_facet in intents:
            intent = 1.0 if label_facet == profile.intents[0] else 0.7
        if profile.leans_on_history and intents and intent == 0.0:
            continue  # "and its side effects?" wants side effects, not more of the previous answer
        penalty = 0.0
        if is_anaphoric(c.text):
            penalty += PENALTY_ANAPHORIC
        words = word_count(c.text)
        if sum(1 for tok in c.text.split() if _NUMERIC.search(tok)) / max(words, 1) > 0.2:
            penalty += PENALTY_NUMERIC
        if words < 8:
            penalty += PENALTY_SHORT
        if c.trimmed:
            penalty += PENALTY_TRIMMED
        score = base + W_INTENT * intent - penalty
        if score < min_relevance:
            continue
        scored.append(
            Evidence(
                text=c.text,
                passage_index=c.passage_index,
                chunk=chunk,
                position=c.position,
                score=round(score, 6),
                lexical=round(lexical, 6),
                focus=focus_score,
                section=section_prior[c.passage_index],
                retrieval=round(retrieval, 6),
                intent=intent,
                facet="",
                trimmed=c.trimmed,
                terms=frozenset(c.terms),
                quote=c.quote,
                **(lists.parts(c.text) if c.listed else {}),
            )
        )
    if not scored and strict and any(rejected.get(k) for k in _STRICT_REASONS):
        # Nothing passes the stand-alone, focus and findings rules: judge the sentences as before rather than
        # refuse (they still have to meet the question's terms and focus anchor); keeps false refusals level.
        return select_evidence(question, passages, history=history, min_relevance=min_relevance,
                               near_duplicate=near_duplicate, min_words=min_words, max_words=max_words,
                               history_weight=history_weight, max_evidence=max_evidence, topic_share=topic_share,
                               strict=False)
    scored.sort(key=lambda e: (-e.score, e.passage_index, e.position))
    ranked = [
        replace(e, facet=facets.classify_sentence(e.text, e.chunk.label))
        for e in deduplicate(scored, passages, threshold=near_duplicate, max_keep=max_evidence)
    ]
    return EvidenceSet(
        profile=profile,
        ranked=ranked,
        candidates=n,
        key_coverage=key_coverage,
        topic_known=topic_known,
        min_words=min_words,
        max_words=max_words,
        best_score=ranked[0].score if ranked else 0.0,
        rejected=rejected,
    )


def deduplicate(
    ranked: Sequence[Evidence],
    passages: Sequence[Passage],
    *,
    threshold: float = 0.6,
    max_keep: int | None = None,
) -> list[Evidence]:
    """Keep the first of every group of near-duplicate sentences (``ranked`` is best first), at most
    ``max_keep`` of them.

    A sentence with exactly the same text (up to whitespace) in another document is merged into the kept
    one (``also_in``) so the answer can cite both sources, each of which then holds it verbatim; any
    other near-duplicate (same text up to case and accents included) is dropped.
    """
    kept: list[Evidence] = []
    kept_terms: list[set[str]] = []
    kept_exact: dict[str, int] = {}
    kept_folded: set[str] = set()
    for ev in ranked:
        if max_keep is not None and len(kept) >= max_keep:
            break
        exact = normalize_ws(ev.text)
        if exact in kept_exact and not ev.trimmed and not kept[kept_exact[exact]].trimmed:
            idx = kept_exact[exact]
            first = kept[idx]
            docs = {first.chunk.doc_id} | {passages[i].chunk.doc_id for i in first.also_in}
            if ev.chunk.doc_id not in docs:
                kept[idx] = _with_also(first, ev.passage_index)
            continue
        folded = normalize_for_match(ev.text).rstrip(".")
        if folded in kept_folded:
            continue
        terms = set(ev.terms) or term_set(ev.text)
        size = len(terms)
        duplicate = False
        for other in kept_terms:
            common = len(terms & other)
            if not common:
                continue
            union = size + len(other) - common
            small = min(size, len(other))
            if common >= threshold * union or (small >= 4 and common >= CONTAINMENT * small):
                duplicate = True
                break
        if duplicate:
            continue
        kept_exact.setdefault(exact, len(kept))
        kept_folded.add(folded)
        kept.append(ev)
        kept_terms.append(terms)
    return kept


def _with_also(ev: Evidence, passage_index: int) -> Evidence:
    return replace(ev, also_in=(*ev.also_in, passage_index))
