"""Build evals/sets/noisy.jsonl (MedQuAD sample + handwritten) and evals/sets/local/mediqa_noisy.jsonl: seeded
noisy rewrites of answerable questions, next to their clean sources, to measure how much noise costs.

Run from anywhere: ``.venv/bin/python evals/build_noisy.py`` (after ``evals/build_mediqa.py`` for the MEDIQA
part, which is skipped with a warning when evals/sets/local/mediqa.jsonl or the MEDIQA corpus is absent). Reads
../shared/data with MedCite's own loaders: the MedQuAD documents' focus and the document frequencies below.

Sources (seed ``medcite-noisy-v1``):

- ``noisy.jsonl``: 54 questions of ``medquad_sample.jsonl`` (27 of each split, the first by
  sha256("medcite-noisy-v1:<id>") within the split) and the 46 ``answerable`` questions of
  ``handwritten.jsonl``; ``mediqa_noisy.jsonl``: all 123 questions of the local MEDIQA set. Each source question
  is written as the "clean" variant (same text, gold, split and meta, an id of this set: ids stay unique across
  sets), followed by one question of each variant below, so a run of the file holds every variant beside its
  source and ``medcite eval run`` reports the paired nDCG change (``medcite.evals.metrics.variant_metrics``).
- Every variant keeps its source's split (a test question's rewrite stays in test), group ``answerable``,
  ``relevant`` (except ``double``), and ``must_mention``/``decision`` (except ``double``); its id is
  ``noisy:<12 hex>`` (``mediqa-noisy:`` locally), a sha256 of variant, source id and text; ``meta`` holds
  ``variant``, ``source_id`` (the id in the source set), ``source_set`` and what was done.

Variants (each drawn with its own ``random.Random(f"{seed}:{variant}:{source id}")``, so adding a question
changes no other):

- ``typo``: one typo (doubled letter, dropped letter, swapped neighbours or a QWERTY-neighbour key; never the
  first letter) in the focus word: the rarest word, by document frequency in the question's library, of the
  focus where one is known (MedQuAD: the document's ``<Focus>``; MEDIQA Alexa: the disease in the template)
  and found in the question (3+ letters: "Flu"); without one (handwritten, MEDIQA validation), of the
  question's words that occur in the title of one of its gold documents (the page is about it); else of its
  content words of 4+ letters that occur in the library. Every occurrence of that word is misspelt alike.
  ``meta.typo`` = {word, as, kind}.
- ``chatty``: the question inside a consumer-voice wrapper, one of 18 generic templates ("hi, ... thanks so
  much") or, where a focus is known, 6 more that name it ("my mom was told she has X", for disorders only,
  or "our doctor mentioned X"). ``meta.template`` = its index.
- ``punct``: trailing "?", "??", "!" or "?!", every "?" removed, or extra spaces. ``meta.punct``.
- ``case``: ALL CAPS or all lower case. ``meta.case``.
- ``double``: the question and a second one from the same set and split, with disjoint gold (and, for MEDIQA,
  another split group), joined as a user would ("... Also, ..."). Gold = the union of both golds (the higher
  grade where both grade a document): a message with two questions wants both answered. So its nDCG delta
  against the clean first question mixes the harder gold with the noise; read it as "how much of two
  questions is found", not as pure noise. ``meta.second_id``.

Verification before writing (exit 1 naming the question otherwise): every variant differs from its source,
every typo word occurs in its source, ids are unique, every gold id is in the library the set is run on.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from medcite.evals.datasets import EvalQuestion, load_eval_set, write_eval_set
from medcite.ingest.loaders import LoadOptions, iter_files, load_file

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SHARED_DATA = SHARED / "data"
MEDIQA_CORPUS = SHARED / "devsets" / "mediqa" / "corpus.jsonl"
SETS = HERE / "sets"
OUT = SETS / "noisy.jsonl"
OUT_MEDIQA = SETS / "local" / "mediqa_noisy.jsonl"
MEDIQA_SET = SETS / "local" / "mediqa.jsonl"
SEED = "medcite-noisy-v1"
MEDQUAD_PER_SPLIT = 27
VARIANTS = ("typo", "chatty", "punct", "case", "double")

_WORD = re.compile(r"[a-z0-9]+")
_TOKEN = re.compile(r"[A-Za-z]{4,}")
_FOCUS_TOKEN = re.compile(r"[A-Za-z]{3,}")  # a focus may be short: "Flu", "COPD"
_STOPWORD_TEXT = """
about above after again against also always among another anything anyone around away back because been
before being below best better between both came come could daily does doing done down during each either
else enough even ever every from further gets getting give given goes going good have having help here
into just keep know last least like likely long look made make makes many might more most much must need
needs never next often once only other others ought over please really right same says should since some
something soon still such sure take taking tell than that their them then there these they thing things
think this those though through time told took toward under until upon used using very want wants well
were what whats when where whether which while whom whose will with within without work would your yours
yourself actually usually thank thanks hello dear
the and for can how who why you are was has had did not its any our may get she her him his all one two
new use way day see say let too per out off own yet
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")

GENERIC_TEMPLATES: tuple[str, ...] = (
    "hi, {q} thanks so much",
    "Hello, I hope someone can help. {q} Thank you in advance!!",
    "quick question - {q}",
    "sorry if this is a silly question but {q} thanks",
    "hi there, I've been reading online and getting more confused. {q} any help appreciated",
    "My doctor didn't really explain this. {q} Thanks so much.",
    "asking for my dad who doesn't use the internet: {q}",
    "Good morning. {q} I would be grateful for any information. Regards",
    "ok so {q} sorry, kind of stressed about it",
    "Hi, I'm a nurse and a patient asked me this today: {q} Thanks",
    "{q} please answer asap, thank you",
    "hey!! {q} thx",
    "Dear doctor, {q} Many thanks for your time.",
    "I've been up all night worrying about this. {q}",
    "my wife wants me to ask: {q} thank you",
    "Hi, first time using this. {q} Thanks a lot for any help",
    "Im 67 and not great with computers. {q} God bless",
    "hello from a worried mum. {q} x",
)
FOCUS_TEMPLATES: tuple[str, ...] = (  # any focus: a test, a drug, a disease
    "hi, our family doctor mentioned {focus} at my last visit. {q} thanks so much",
    "i keep reading about {focus} and now i'm worried. {q}",
    "Hello, I have to look into {focus} for my grandmother. {q} Thank you!",
)
DISORDER_TEMPLATES: tuple[str, ...] = (  # a focus that is a condition
    "hi, my mom was told she has {focus} and we are all a bit lost. {q} thanks so much",
    "Hello, my son was just diagnosed with {focus} and I don't know where to start. {q}",
    "so my friend says she has {focus}?? {q} thank you",
)
JOINERS: tuple[str, ...] = ("{a} Also, {b}", "{a} And {b}", "{a}\n{b}", "{a} Another thing: {b}", "{a} {b}",
                            "{a} Oh and {b}")


# --- libraries ----------------------------------------------------------------------------------------------


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


class Library:
    """Document ids, document frequencies of words, and MedQuAD focus per document id."""

    def __init__(self, docs: Iterable[tuple[str, str, str, dict]]) -> None:
        self.ids: set[str] = set()
        self.df: Counter[str] = Counter()
        self.titles: dict[str, str] = {}
        self.meta: dict[str, dict] = {}
        for doc_id, title, text, meta in docs:
            self.ids.add(doc_id)
            self.df.update(words(f"{title}\n{text}"))
            self.titles[doc_id] = title
            self.meta[doc_id] = meta


def shared_library(data: Path = SHARED_DATA) -> Library:
    def docs():
        for path in iter_files([data / "pubmedqa", data / "medquad"]):
            fmt = "pubmedqa" if path.suffix == ".json" else "medquad" if path.suffix == ".xml" else None
            if fmt is None:
                continue
            for doc in load_file(path, fmt, LoadOptions()):
                text = "\n".join(f"{s.heading}\n{s.text}" for s in doc.sections)
                yield doc.id, doc.title, text, dict(doc.metadata)
    return Library(docs())


def mediqa_library(path: Path = MEDIQA_CORPUS) -> Library:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return Library((r["id"], r.get("title") or "", r["text"], {}) for r in records)


# --- variants -----------------------------------------------------------------------------------------------


def rng_for(variant: str, source_id: str, seed: str = SEED) -> random.Random:
    return random.Random(f"{seed}:{variant}:{source_id}")


def neighbours(letter: str) -> str:
    for row in KEYBOARD_ROWS:
        if (i := row.find(letter.lower())) >= 0:
            return row[max(i - 1, 0):i] + row[i + 1:i + 2]
    return ""


def typo(word: str, rng: random.Random) -> tuple[str, str]:
    """One seeded typo in ``word`` (3+ letters), never touching its first letter: (new word, kind)."""
    kinds = ["double", "drop", "swap", "neighbour"]
    rng.shuffle(kinds)
    for kind in kinds:
        i = rng.randrange(1, len(word))
        if kind == "double":
            new = word[:i + 1] + word[i] + word[i + 1:]
        elif kind == "drop":
            new = word[:i] + word[i + 1:]
        elif kind == "swap":
            i = min(i, len(word) - 2)
            new = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        else:
            keys = neighbours(word[i])
            if not keys:
                continue
            key = rng.choice(keys)
            new = word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1:]
        if new.casefold() != word.casefold():
            return new, kind
    raise ValueError(f"no typo possible in {word!r}")


def focus_word(question: str, focus: str | None, library: Library, gold_titles: Iterable[str] = ()) -> str:
    """The word to misspell: the rarest (by document frequency, ties alphabetically) word of 3+ letters of the
    focus found in the question; without a focus, of the question's words that occur in the title of one of
    its gold documents (the page is about it: "Ticks", "Achalasia"); else the rarest of its content words of
    4+ letters that occur in the library."""
    def rarest(candidates: list[str]) -> str:
        return min(candidates, key=lambda t: (library.df[t.casefold()] or 10**9, t.casefold()))

    short = [t for t in _FOCUS_TOKEN.findall(question) if t.casefold() not in STOPWORDS]
    wanted = ({w.casefold() for w in _FOCUS_TOKEN.findall(focus)} if focus
              else set().union(*(words(t) for t in gold_titles))) - STOPWORDS
    in_focus = [t for t in short if t.casefold() in wanted]
    if in_focus:
        return rarest(in_focus)
    tokens = [t for t in _TOKEN.findall(question) if t.casefold() not in STOPWORDS]
    known = [t for t in tokens if library.df[t.casefold()] > 0] or tokens
    if not known:
        raise ValueError(f"no word of 4+ letters to misspell in {question!r}")
    return min(known, key=lambda t: (library.df[t.casefold()], t.casefold()))


def make_typo(q: EvalQuestion, focus: str | None, library: Library) -> tuple[str, dict]:
    rng = rng_for("typo", q.id)
    titles = [library.titles.get(d, "") for d in sorted(q.relevant_ids)]
    word = focus_word(q.question, focus, library, [] if focus else titles)
    new, kind = typo(word, rng)

    def same_case(match: re.Match[str]) -> str:  # every occurrence misspelt alike: "Jaundice ... jaundice"
        found = match.group()
        if found == word:
            return new
        if found.isupper():
            return new.upper()
        return new.lower() if found.islower() else new[:1].upper() + new[1:]

    text = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", same_case, q.question, flags=re.IGNORECASE)
    return text, {"typo": {"word": word, "as": new, "kind": kind}}


def lower_first(text: str) -> str:
    """The text with its first letter in lower case, unless it starts an acronym or is "I" ("IVIG", "I'm")."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def make_chatty(q: EvalQuestion, focus: str | None, disorder: bool) -> tuple[str, dict]:
    rng = rng_for("chatty", q.id)
    templates = list(GENERIC_TEMPLATES)
    if focus:
        templates += DISORDER_TEMPLATES if disorder else FOCUS_TEMPLATES
    index = rng.randrange(len(templates))
    template = templates[index]
    body = q.question.strip()
    if not template.startswith("{q}") and rng.random() < 0.5:
        body = lower_first(body)
    shown_focus = focus.lower() if focus and rng.random() < 0.6 else focus
    text = template.format(q=body, focus=shown_focus)
    return text, {"template": index if index < len(GENERIC_TEMPLATES) else f"focus-{index - len(GENERIC_TEMPLATES)}"}


def make_punct(q: EvalQuestion) -> tuple[str, dict]:
    rng = rng_for("punct", q.id)
    base = q.question.strip()
    bare = re.sub(r"[\s?.!]+$", "", base)
    options = ["??", "!", "?!", "no-question-mark", "?", "spaces"]
    rng.shuffle(options)
    for name in options:
        if name == "spaces":  # a few words three spaces apart, a space before the "?", spaces around
            parts = base.split(" ")
            gaps = set(rng.sample(range(len(parts) - 1), k=min(3, len(parts) - 1)))
            text = "  " + "".join(p + ("   " if i in gaps else " ") for i, p in enumerate(parts)).rstrip()
            text = re.sub(r"\s*\?$", " ?", text) + "  "
        elif name == "no-question-mark":
            text = base.replace("?", "")
        else:
            text = bare + name
        if text.strip() and text != q.question:
            return text, {"punct": name}
    raise ValueError(f"no punctuation variant of {q.question!r}")


def make_case(q: EvalQuestion) -> tuple[str, dict]:
    rng = rng_for("case", q.id)
    order = ["upper", "lower"] if rng.random() < 0.5 else ["lower", "upper"]
    for name in order:
        text = q.question.upper() if name == "upper" else q.question.lower()
        if text != q.question:
            return text, {"case": name}
    raise ValueError(f"no case variant of {q.question!r}")


def make_double(q: EvalQuestion, pool: list[EvalQuestion], same_group: Callable[[EvalQuestion, EvalQuestion], bool],
                ) -> tuple[str, dict, dict[str, int]]:
    rng = rng_for("double", q.id)
    partners = [p for p in pool if p.id != q.id and p.split == q.split and not (p.relevant_ids & q.relevant_ids)
                and not same_group(p, q)]
    if not partners:
        raise ValueError(f"no second question for {q.id}")
    second = rng.choice(sorted(partners, key=lambda p: p.id))
    joiner = rng.choice(JOINERS)
    b = second.question.strip()
    if joiner not in ("{a} {b}", "{a}\n{b}"):
        b = lower_first(b)
    text = joiner.format(a=q.question.strip(), b=b)
    gold = dict(q.relevant)
    for doc_id, grade in second.relevant.items():
        gold[doc_id] = max(grade, gold.get(doc_id, grade))
    return text, {"second_id": second.id}, gold


def variant_id(prefix: str, variant: str, source_id: str, text: str) -> str:
    digest = hashlib.sha256(f"{variant}\n{source_id}\n{text}".encode()).hexdigest()[:12]
    return f"{prefix}:{digest}"


def variants_of(q: EvalQuestion, *, source_set: str, prefix: str, focus: str | None, disorder: bool,
                library: Library, pool: list[EvalQuestion],
                same_group: Callable[[EvalQuestion, EvalQuestion], bool]) -> list[EvalQuestion]:
    out = []
    keep = {"must_mention": list(q.must_mention), "decision": q.decision}
    extra_meta = {"origin": q.meta["origin"]} if "origin" in q.meta else {}
    for variant in VARIANTS:
        relevant = dict(q.relevant)
        fields = keep
        if variant == "typo":
            text, meta = make_typo(q, focus, library)
        elif variant == "chatty":
            text, meta = make_chatty(q, focus, disorder)
        elif variant == "punct":
            text, meta = make_punct(q)
        elif variant == "case":
            text, meta = make_case(q)
        else:
            text, meta, relevant = make_double(q, pool, same_group)
            fields = {"must_mention": [], "decision": None}
        if text == q.question:
            raise ValueError(f"{q.id}: the {variant} variant equals its source")
        out.append(EvalQuestion(
            id=variant_id(prefix, variant, q.id, text), question=text, relevant=relevant, group="answerable",
            split=q.split, decision=fields["decision"], must_mention=fields["must_mention"],
            meta={"variant": variant, "source_id": q.id, "source_set": source_set, **extra_meta, **meta}))
    return out


# --- sets ---------------------------------------------------------------------------------------------------


def sample_medquad(questions: list[EvalQuestion], per_split: int = MEDQUAD_PER_SPLIT) -> list[EvalQuestion]:
    chosen = []
    for split in ("dev", "test"):
        items = sorted((q for q in questions if q.split == split),
                       key=lambda q: hashlib.sha256(f"{SEED}:{q.id}".encode()).hexdigest())
        chosen += items[:per_split]
    return sorted(chosen, key=lambda q: q.id)


def never_same(a: EvalQuestion, b: EvalQuestion) -> bool:
    return False


def same_split_group(a: EvalQuestion, b: EvalQuestion) -> bool:
    return a.meta.get("split_group") == b.meta.get("split_group")


def clean_copy(q: EvalQuestion, source_set: str, prefix: str) -> EvalQuestion:
    """The source question as the set's "clean" variant: same text, gold and split, an id of this set."""
    return EvalQuestion(id=variant_id(prefix, "clean", q.id, q.question), question=q.question,
                        relevant=dict(q.relevant), group=q.group, split=q.split, decision=q.decision,
                        must_mention=list(q.must_mention), reference_answer=q.reference_answer,
                        meta={**q.meta, "variant": "clean", "source_id": q.id, "source_set": source_set})


def build_committed(library: Library) -> list[EvalQuestion]:
    medquad = load_eval_set(SETS / "medquad_sample.jsonl")
    handwritten = [q for q in load_eval_set(SETS / "handwritten.jsonl") if q.group == "answerable"]
    out: list[EvalQuestion] = []
    for q in sample_medquad(medquad):
        meta = library.meta.get(q.meta["doc_id"], {})
        out.append(clean_copy(q, "medquad_sample", "noisy"))
        out += variants_of(q, source_set="medquad_sample", prefix="noisy", focus=meta.get("focus") or None,
                           disorder=meta.get("semantic_group") == "Disorders", library=library, pool=medquad,
                           same_group=never_same)
    for q in handwritten:
        out.append(clean_copy(q, "handwritten", "noisy"))
        out += variants_of(q, source_set="handwritten", prefix="noisy", focus=None, disorder=False,
                           library=library, pool=handwritten, same_group=never_same)
    return out


def build_mediqa(library: Library) -> list[EvalQuestion]:
    mediqa = load_eval_set(MEDIQA_SET)
    out: list[EvalQuestion] = []
    for q in mediqa:
        focus = q.meta.get("focus")
        out.append(clean_copy(q, "mediqa", "mediqa-noisy"))
        out += variants_of(q, source_set="mediqa", prefix="mediqa-noisy", focus=focus, disorder=bool(focus),
                           library=library, pool=mediqa, same_group=same_split_group)
    return out


def verify(questions: list[EvalQuestion], library: Library) -> list[str]:
    problems = []
    if len({q.id for q in questions}) != len(questions):
        problems.append("duplicate ids")
    clean = {q.meta["source_id"]: q for q in questions if q.meta.get("variant") == "clean"}
    for q in questions:
        missing = sorted(set(q.relevant) - library.ids)
        if missing:
            problems.append(f"{q.id}: gold documents not in the library: {missing[:3]}")
        source = clean.get(q.meta.get("source_id", ""))
        if q.meta.get("variant") == "clean":
            continue
        if source is None or source.split != q.split or source.question == q.question:
            problems.append(f"{q.id}: no clean source in the set, another split, or the same text")
        elif q.meta["variant"] == "typo" and not re.search(rf"(?<![A-Za-z]){re.escape(q.meta['typo']['word'])}"
                                                            r"(?![A-Za-z])", source.question):
            problems.append(f"{q.id}: typo word {q.meta['typo']['word']!r} is not in its source")
    return problems


def report(path: Path, questions: list[EvalQuestion]) -> None:
    dev = sum(q.split == "dev" for q in questions)
    counts = Counter(q.meta["variant"] for q in questions)
    print(f"wrote {len(questions)} questions to {path} ({dev} dev, {len(questions) - dev} test; "
          + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) + ")")


def main() -> int:
    if not SHARED_DATA.is_dir():
        print(f"error: the shared data was not found at {SHARED_DATA}\n"
              "(the build scripts read ../shared/data beside the checkout)", file=sys.stderr)
        return 1
    library = shared_library()
    questions = build_committed(library)
    problems = verify(questions, library)
    if problems:
        print("error: the noisy set does not check out:\n  " + "\n  ".join(problems[:20]), file=sys.stderr)
        return 1
    write_eval_set(OUT, questions)
    report(OUT, questions)
    if not MEDIQA_SET.is_file() or not MEDIQA_CORPUS.is_file():
        print(f"warning: {MEDIQA_SET} or {MEDIQA_CORPUS} not found; {OUT_MEDIQA.name} not written "
              "(run evals/build_mediqa.py first)", file=sys.stderr)
        return 0
    library = mediqa_library()
    questions = build_mediqa(library)
    problems = verify(questions, library)
    if problems:
        print("error: the MEDIQA noisy set does not check out:\n  " + "\n  ".join(problems[:20]), file=sys.stderr)
        return 1
    write_eval_set(OUT_MEDIQA, questions)
    report(OUT_MEDIQA, questions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
