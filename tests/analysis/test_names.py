"""The nearest-name focus: a question no word links to a library name gets the name nearest it by the embedder.

The encoder here is a fake with a fixed meaning per word (a real embedder is exercised by the eval and benchmark
runs on the shared library); it is enough to check the rules: when the nearest name is used, when it is put beside
word-linked names, and when never.
"""

from __future__ import annotations

import numpy as np
import pytest

from medcite.analysis import QuestionAnalyzer, Vocabulary
from medcite.analysis.names import NameIndex

AXES = {  # word -> axis of a 6-d space; a text's vector is the normalised sum of its words' axes
    "hair": 0, "loss": 0, "falling": 0, "bald": 0,
    "valve": 1, "heart": 1, "floppy": 1, "prolapse": 1,
    "ivig": 2, "immunoglobulin": 2,
    "autoimmune": 3, "conditions": 3,
    "menopause": 4, "flashes": 4, "hot": 4, "hormone": 4, "period": 5,
}
ROWS = [
    ("d-hair", "hair loss", "Hair Loss", "title"),
    ("d-valve", "mitral valve prolapse", "Mitral Valve Prolapse", "title"),
    ("d-valve", "floppy valve syndrome", "Floppy valve syndrome", "synonym"),
    ("d-ivig", "ivig", "IVIG", "acronym"),
    ("d-ivig", "intravenous immunoglobulin", "Intravenous Immunoglobulin", "title"),
    ("d-auto", "autoimmune diseases", "Autoimmune Diseases", "title"),
    ("d-meno", "menopausal hormone therapy", "Menopausal hormone therapy", "title"),
    ("d-period", "period", "Period", "synonym"),
    *((f"d-filler-{i}", f"filler {i}", f"Filler {i}", "title") for i in range(100)),
]
ENGLISH = frozenset((
    "why", "is", "my", "so", "much", "what", "symptoms", "should", "i", "watch", "for", "doctor", "says", "have",
    "a", "does", "help", "all", "the", "are", "killing", "me", "and", "hot", "flashes", "period", "late", "this",
    "month", "options", "for", "dealing", "with", "falling", "out", "autoimmune", "conditions",
))


class Encoder:
    """Counts its calls, so the cache can be checked."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), 6), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().replace("?", " ").replace(",", " ").split():
                if word in AXES:
                    out[row, AXES[word]] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out


@pytest.fixture
def vocabulary() -> Vocabulary:
    return Vocabulary.from_rows(ROWS, english=ENGLISH, documents=200)


def analyzer(vocabulary: Vocabulary, tmp_path=None) -> QuestionAnalyzer:
    return QuestionAnalyzer(vocabulary, NameIndex(vocabulary, Encoder(), cache_dir=tmp_path, model_key="fake"))


def test_nearest_ranks_the_library_names(vocabulary: Vocabulary) -> None:
    index = NameIndex(vocabulary, Encoder())
    best, cosine = index.nearest(Encoder()(["why is my hair falling out so much"])[0], k=1)[0]
    assert best.display == "Hair Loss" and cosine > 0.9


def test_a_question_no_word_links_gets_the_nearest_name(vocabulary: Vocabulary) -> None:
    analysis = analyzer(vocabulary).run("why is my hair falling out so much")
    assert [f.display for f in analysis.focus] == ["Hair Loss"]
    assert analysis.focus[0].nearest and analysis.focus[0].to_dict()["nearest"] is True


def test_without_the_index_nothing_is_linked(vocabulary: Vocabulary) -> None:
    assert QuestionAnalyzer(vocabulary).run("why is my hair falling out so much").focus == ()


def test_a_name_the_library_lacks_is_the_topic(vocabulary: Vocabulary) -> None:
    """"zuranolone" is no word the library or English knows: the question is about it, not about a near page."""
    analysis = analyzer(vocabulary).run("is zuranolone good for hair falling out")
    assert "zuranolone" in analysis.missing and not any(f.nearest for f in analysis.focus)


def test_a_far_everyday_word_link_gets_the_nearest_name_beside_it(vocabulary: Vocabulary) -> None:
    analysis = analyzer(vocabulary).run("the hot flashes are killing me and my period is late this month, what "
                                        "options for dealing with the hot flashes")
    names = [f.display for f in analysis.focus]
    assert names[0] == "Menopausal hormone therapy" and "Period" in names


def test_a_name_the_writer_chose_is_never_joined(vocabulary: Vocabulary) -> None:
    """"IVIG" is typed in capitals, no everyday word: "Autoimmune Diseases" sits far nearer the words (0.89 against
    0.45 here) and is not added."""
    analysis = analyzer(vocabulary).run("Does IVIG help all autoimmune conditions?")
    assert [f.display for f in analysis.focus] == ["IVIG"] and not any(f.nearest for f in analysis.focus)


def test_the_name_vectors_are_cached(vocabulary: Vocabulary, tmp_path) -> None:
    encoder = Encoder()
    first = NameIndex(vocabulary, encoder, cache_dir=tmp_path, model_key="fake").vectors
    assert encoder.calls == 1 and list(tmp_path.glob("names-*.npy"))
    again = Encoder()
    vectors = NameIndex(vocabulary, again, cache_dir=tmp_path, model_key="fake").vectors
    assert again.calls == 0 and vectors.shape == first.shape == (len(vocabulary.strong_names(max_docs=25)), 6)
