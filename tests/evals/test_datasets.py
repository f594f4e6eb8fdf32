"""Tests for the evaluation-set format and for every committed set under evals/sets."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from medcite.evals.datasets import (
    GROUPS,
    SPLITS,
    EvalQuestion,
    EvalSetError,
    assign_splits,
    load_eval_set,
    split_filter,
    write_eval_set,
)

REPO = Path(__file__).resolve().parents[2]
EVALS = REPO / "evals"
SETS = EVALS / "sets"
SHARED_DATA = REPO.parent / "shared" / "data"

GOOD = {"id": "q1", "question": "Does IVIG help?", "relevant": {"GARD_0004180": 2, "GARD_0000531": 0},
        "group": "answerable", "split": "dev"}


def write_lines(path: Path, *lines: str | dict) -> Path:
    path.write_text("".join((json.dumps(line) if isinstance(line, dict) else line) + "\n" for line in lines),
                    encoding="utf-8")
    return path


def load_error(path: Path) -> EvalSetError:
    with pytest.raises(EvalSetError) as info:
        load_eval_set(path)
    return info.value


# --- the format ---------------------------------------------------------------------------------------------


@pytest.mark.unit
def test_load_minimal_and_full_lines(tmp_path: Path) -> None:
    full = {**GOOD, "id": "q2", "decision": "yes", "must_mention": ["IVIG"], "reference_answer": "Sometimes.",
            "meta": {"source": "handwritten"}}
    path = write_lines(tmp_path / "set.jsonl", GOOD, "", "   ", full)
    questions = load_eval_set(path)
    assert [q.id for q in questions] == ["q1", "q2"]
    first, second = questions
    assert first.relevant == {"GARD_0004180": 2, "GARD_0000531": 0}
    assert first.relevant_ids == {"GARD_0004180"}
    assert first.decision is None and first.must_mention == [] and first.meta == {}
    assert second.decision == "yes" and second.must_mention == ["IVIG"] and second.meta == {"source": "handwritten"}


@pytest.mark.unit
def test_a_set_without_split_is_one_dev_split(tmp_path: Path) -> None:
    """An evaluator's own set need not name splits: every line is dev, selected by --split dev and all, not test."""
    bare = {k: v for k, v in GOOD.items() if k != "split"}
    path = write_lines(tmp_path / "own.jsonl", bare, {**bare, "id": "q2"}, {**bare, "id": "q3", "split": None})
    questions = load_eval_set(path)
    assert [q.split for q in questions] == ["dev", "dev", "dev"]
    assert split_filter(questions, "dev") == questions == split_filter(questions, "all")
    assert split_filter(questions, "test") == []


@pytest.mark.unit
def test_unknown_fields_are_kept_under_meta_with_one_warning(tmp_path: Path, caplog) -> None:
    from medcite.evals.datasets import load_eval_set_with_warnings

    lines = [{**GOOD, "id": "q1", "difficulty": "hard", "source_url": "https://x"},
             {**GOOD, "id": "q2", "difficulty": "easy", "meta": {"difficulty": "kept", "lang": "en"}},
             {**GOOD, "id": "q3"}]
    path = write_lines(tmp_path / "own.jsonl", *lines)
    with caplog.at_level("WARNING", logger="medcite.evals.datasets"):
        questions = load_eval_set(path)
    assert questions[0].meta == {"difficulty": "hard", "source_url": "https://x"}
    assert questions[1].meta == {"difficulty": "kept", "lang": "en"}  # meta's own key wins
    assert questions[2].meta == {}
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert "2 lines carry fields" in warnings[0] and "difficulty (2 lines), source_url (1 line)" in warnings[0]
    assert load_eval_set_with_warnings(path)[1] == warnings
    clean = write_lines(tmp_path / "clean.jsonl", GOOD)
    assert load_eval_set_with_warnings(clean)[1] == []


@pytest.mark.unit
def test_write_then_load_round_trips(tmp_path: Path) -> None:
    questions = [
        EvalQuestion(id="a", question="Q? ünïcode", relevant={"d": 1}, split="test", decision="maybe",
                     must_mention=["x"], reference_answer="r", meta={"k": [1, 2]}),
        EvalQuestion(id="b", question="Off topic", group="unanswerable", split="dev"),
    ]
    path = tmp_path / "sub" / "out.jsonl"
    assert write_eval_set(path, questions) == 2
    assert load_eval_set(path) == questions
    text = path.read_text(encoding="utf-8")
    assert "ünïcode" in text and text.count("\n") == 2
    assert json.loads(text.splitlines()[1]) == {"id": "b", "question": "Off topic", "relevant": {},
                                                "group": "unanswerable", "split": "dev"}
    assert path.stat().st_mode & 0o777 == 0o644
    assert not [p for p in path.parent.iterdir() if p.name != "out.jsonl"]  # no temporary file left


@pytest.mark.unit
def test_write_refuses_duplicates_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    q = EvalQuestion(id="a", question="Q", relevant={"d": 2})
    with pytest.raises(ValueError, match="duplicate id 'a'"):
        write_eval_set(path, [q, q])
    assert not path.exists()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object, found an array"),
        ({k: v for k, v in GOOD.items() if k != "group"}, "missing required field group"),
        ({"id": "q1"}, "missing required fields question, relevant, group"),
        ({**GOOD, "relevent": {}, "relevant": None}, "relevant must be an object"),
        ({**GOOD, "meta": [1], "source": "x"}, "meta must be an object, not an array"),
        ({**GOOD, "id": ""}, "id must be a non-empty string"),
        ({**GOOD, "id": 7}, "id must be a non-empty string"),
        ({**GOOD, "id": " q1"}, "leading or trailing whitespace"),
        ({**GOOD, "question": "  "}, "question must be a non-empty string"),
        ({**GOOD, "relevant": ["GARD_0004180"]}, "relevant must be an object"),
        ({**GOOD, "relevant": {"d": "2"}}, "grade of 'd' must be an integer, not a string"),
        ({**GOOD, "relevant": {"d": 1.5}}, "grade of 'd' must be an integer, not a number"),
        ({**GOOD, "relevant": {"d": True}}, "grade of 'd' must be an integer, not a boolean"),
        ({**GOOD, "relevant": {"d": -1}}, "must be >= 0"),
        ({**GOOD, "relevant": {"": 2}}, "empty document id"),
        ({**GOOD, "relevant": {"d": 0}}, "answerable question needs at least one relevant document"),
        ({**GOOD, "group": "unanswerable"}, "unanswerable question cannot have relevant documents"),
        ({**GOOD, "group": "easy"}, "group must be one of answerable, unanswerable, emergency, adversarial"),
        ({**GOOD, "split": "train"}, "split must be one of dev, test, not 'train'"),
        ({**GOOD, "decision": "Yes"}, "decision must be one of yes, no, maybe"),
        ({**GOOD, "must_mention": "IVIG"}, "must_mention must be a list of strings"),
        ({**GOOD, "must_mention": ["ok", ""]}, "must_mention must hold non-empty strings"),
        ({**GOOD, "reference_answer": "x" * 401}, "reference_answer is 401 characters"),
        ({**GOOD, "meta": []}, "meta must be an object"),
    ],
)
def test_bad_lines_are_reported_with_their_line_number(tmp_path: Path, line: str | dict, message: str) -> None:
    other = {**GOOD, "id": "q0"}
    path = write_lines(tmp_path / "bad.jsonl", other, "", line)
    error = load_error(path)
    assert isinstance(error, ValueError)
    assert error.line == 3 and error.path == str(path)
    assert str(error).startswith(f"{path}:3: ")
    assert message in str(error)


@pytest.mark.unit
def test_error_names_the_question_when_it_has_an_id(tmp_path: Path) -> None:
    error = load_error(write_lines(tmp_path / "bad.jsonl", {**GOOD, "group": "nope"}))
    assert str(error).startswith(f"{tmp_path / 'bad.jsonl'}:1: question 'q1': group must be one of")


@pytest.mark.unit
def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    error = load_error(write_lines(tmp_path / "dup.jsonl", GOOD, {**GOOD, "id": "q2"}, GOOD))
    assert error.line == 3
    assert "duplicate id 'q1' (first on line 1)" in str(error)


@pytest.mark.unit
def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(GOOD).encode() + b"\n" + b'{"id": "caf\xe9"}\n')
    error = load_error(path)
    assert error.line == 2 and "not valid UTF-8" in str(error)


@pytest.mark.unit
def test_empty_file_is_an_empty_set(tmp_path: Path) -> None:
    assert load_eval_set(write_lines(tmp_path / "empty.jsonl", "")) == []


@pytest.mark.unit
def test_dataclass_validates_on_construction() -> None:
    with pytest.raises(ValueError, match="group must be one of"):
        EvalQuestion(id="x", question="q", relevant={"d": 1}, group="other")
    with pytest.raises(ValueError, match="answerable question needs"):
        EvalQuestion(id="x", question="q")


@pytest.mark.unit
def test_split_filter() -> None:
    questions = [EvalQuestion(id=str(i), question="q", relevant={"d": 1}, split=s)
                 for i, s in enumerate(["dev", "test", "dev"])]
    assert [q.id for q in split_filter(questions, "dev")] == ["0", "2"]
    assert [q.id for q in split_filter(questions, "test")] == ["1"]
    assert split_filter(questions, None) == questions
    assert split_filter(questions, "all") == questions
    with pytest.raises(ValueError, match="unknown split 'train'"):
        split_filter(questions, "train")


@pytest.mark.unit
def test_assign_splits_is_fixed_balanced_and_order_free() -> None:
    keys = [str(n) for n in range(101)]
    splits = assign_splits(keys)
    assert Counter(splits.values()) == {"dev": 51, "test": 50}
    assert assign_splits(reversed(keys)) == splits
    assert assign_splits(keys, seed="other") != splits
    # Pinned so that a change of the rule (which would reshuffle every committed set) cannot go unnoticed.
    assert [splits[str(n)] for n in range(6)] == ["dev", "dev", "test", "dev", "test", "test"]
    assert assign_splits(["21645374", "1571683"]) == {"1571683": "dev", "21645374": "test"}


# --- the committed sets -------------------------------------------------------------------------------------

MIN_SIZES = {  # set -> {(group, split) or group: minimum}
    "pubmedqa_dev.jsonl": {"answerable": 500},
    "medquad_sample.jsonl": {"answerable": 250},
    "medquad_patient.jsonl": {"answerable": 100},
    "handwritten.jsonl": {"answerable": 40, "unanswerable": 15, "emergency": 10, "adversarial": 10},
    "triage.jsonl": {"emergency": 300, "ordinary": 300},
    "noisy.jsonl": {"answerable": 500},
    "unanswerable.jsonl": {"unanswerable": 50},
}
# every question of a held-out set is test: each was reported once, and has since been training data of the triage
# classifier (C, D, E since round 5, F since round 6, G since round 7)
HELD_OUT = {"triage_heldout.jsonl": {"emergency": 200, "ordinary": 200},
            "triage_heldout_d.jsonl": {"emergency": 150, "ordinary": 150},
            "triage_heldout_e.jsonl": {"emergency": 200, "ordinary": 190},
            "triage_heldout_f.jsonl": {"emergency": 200, "ordinary": 200},
            "triage_heldout_g.jsonl": {"emergency": 200, "ordinary": 200},
            "triage_heldout_k.jsonl": {"emergency": 200, "ordinary": 200},
            "triage_heldout_l.jsonl": {"emergency": 200, "ordinary": 200},
            "triage_heldout_m.jsonl": {"emergency": 200, "ordinary": 200},
            "triage_heldout_o.jsonl": {"emergency": 180, "ordinary": 180},
            "triage_heldout_p.jsonl": {"emergency": 180, "ordinary": 180},
            "triage_heldout_q.jsonl": {"emergency": 180, "ordinary": 180},
            "triage_heldout_r.jsonl": {"emergency": 180, "ordinary": 180},
            "triage_heldout_s.jsonl": {"emergency": 180, "ordinary": 180}}
DEV_ONLY = {"triage_dev.jsonl": {"emergency": 150, "ordinary": 150}}  # round 4's fresh dev set: every question dev


def committed(name: str) -> list[EvalQuestion]:
    return load_eval_set(SETS / name)


@pytest.mark.unit
def test_every_committed_set_is_listed_and_valid() -> None:
    assert sorted(p.name for p in SETS.glob("*.jsonl")) == sorted([*MIN_SIZES, *HELD_OUT, *DEV_ONLY])
    all_ids: Counter[str] = Counter()
    for name, minimum in (*HELD_OUT.items(), *DEV_ONLY.items()):
        questions = committed(name)
        all_ids.update(q.id for q in questions)
        assert {q.split for q in questions} == ({"dev"} if name in DEV_ONLY else {"test"})
        groups = Counter(q.group for q in questions)
        assert all(groups[group] >= size for group, size in minimum.items()), groups
    for name, minimum in MIN_SIZES.items():
        questions = committed(name)  # validates every line: fields, types, groups, grades, unique ids
        all_ids.update(q.id for q in questions)
        groups = Counter(q.group for q in questions)
        assert set(groups) <= set(GROUPS)
        for group, size in minimum.items():
            assert groups[group] >= size, f"{name}: {groups[group]} {group} questions, want {size}"
            splits = Counter(q.split for q in questions if q.group == group)
            assert set(splits) == set(SPLITS), f"{name}: {group} needs both dev and test questions"
            assert min(splits.values()) >= 0.35 * groups[group], f"{name}: {group} split too lopsided {splits}"
    assert [qid for qid, n in all_ids.items() if n > 1] == []  # ids are unique across sets too


@pytest.mark.unit
def test_pubmedqa_set_shape() -> None:
    questions = committed("pubmedqa_dev.jsonl")
    assert Counter(q.split for q in questions) == {"dev": 250, "test": 250}
    for q in questions:
        pmid = q.id.removeprefix("pubmedqa:")
        assert q.relevant == {f"pubmed:{pmid}": 2}
        assert q.decision in ("yes", "no", "maybe")
        assert q.reference_answer and len(q.reference_answer) <= 300
        assert not q.must_mention
    splits = assign_splits(q.id.removeprefix("pubmedqa:") for q in questions)
    assert all(q.split == splits[q.id.removeprefix("pubmedqa:")] for q in questions)


@pytest.mark.unit
def test_medquad_sample_is_stratified() -> None:
    questions = committed("medquad_sample.jsonl")
    sources = Counter(q.meta["source"] for q in questions)
    assert len(sources) == 9 and max(sources.values()) - min(sources.values()) <= 1
    assert len({q.meta["qtype"] for q in questions}) >= 12
    for q in questions:
        assert q.id == f"medquad:{q.meta['section_id']}"
        assert q.relevant[q.meta["doc_id"]] == 2
        assert q.meta["section_id"].startswith(q.meta["doc_id"] + "_Sec")
        assert all(grade == 1 for doc_id, grade in q.relevant.items() if doc_id != q.meta["doc_id"])


@pytest.mark.unit
def test_patient_paraphrases_keep_gold_and_split_and_do_not_copy() -> None:
    originals = {q.id: q for q in committed("medquad_sample.jsonl")}
    patient = committed("medquad_patient.jsonl")
    paraphrases = json.loads((EVALS / "medquad_paraphrases.json").read_text(encoding="utf-8"))
    assert len(patient) == len(paraphrases) >= 100
    for q in patient:
        original = originals[q.meta["original_id"]]
        assert q.id == original.id.replace("medquad:", "medquad-patient:")
        assert q.question == paraphrases[original.id]
        assert (q.relevant, q.split) == (original.relevant, original.split)
        heading = " ".join(original.question.casefold().split()).rstrip("?").strip()
        assert heading not in " ".join(q.question.casefold().split())


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(f"evals_{name}", EVALS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.unit
def test_handwritten_file_matches_its_script() -> None:
    script = _load_script("build_handwritten")
    assert [q.to_dict() for q in committed("handwritten.jsonl")] == [q.to_dict() for q in script.questions()]


@pytest.mark.unit
def test_handwritten_content_rules() -> None:
    for q in committed("handwritten.jsonl"):
        if q.group == "answerable":
            assert 1 <= len(q.must_mention) <= 3, q.id
            assert set(q.relevant.values()) <= {1, 2} and 2 in q.relevant.values(), q.id
        if q.group == "unanswerable":
            assert q.meta["topic"] in ("medical", "off-topic"), q.id
            assert ("absent" in q.meta) == (q.meta["topic"] == "medical"), q.id


@pytest.mark.unit
def test_build_scripts_exit_with_a_message_without_shared_data(tmp_path: Path, monkeypatch, capsys) -> None:
    for name, attr in (("build_pubmedqa_dev", "SOURCE"), ("build_medquad", "MEDQUAD")):
        module = _load_script(name)
        monkeypatch.setattr(module, attr, tmp_path / "missing")
        assert module.main() == 1
        assert "not found" in capsys.readouterr().err
    module = _load_script("build_handwritten")
    monkeypatch.setattr(module, "SHARED_DATA", tmp_path / "missing")
    monkeypatch.setattr(module, "OUT", tmp_path / "out.jsonl")
    assert module.main([]) == 1
    assert "shared data not found" in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.unit
def test_new_build_scripts_exit_with_a_message_without_their_data(tmp_path: Path, monkeypatch, capsys) -> None:
    module = _load_script("build_mediqa")
    monkeypatch.setattr(module, "MEDIQA", tmp_path / "missing")
    monkeypatch.setattr(module, "LOCAL", tmp_path / "local")
    assert module.main() == 1
    assert "MEDIQA dev set was not found" in capsys.readouterr().err
    assert not (tmp_path / "local").exists()
    for name, args in (("build_noisy", ()), ("build_unanswerable", ([],))):
        module = _load_script(name)
        monkeypatch.setattr(module, "SHARED_DATA", tmp_path / "missing")
        monkeypatch.setattr(module, "OUT", tmp_path / "out.jsonl")
        assert module.main(*args) == 1
        assert "shared data was not found" in capsys.readouterr().err
        assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.unit
def test_noisy_variants_keep_their_source_split_and_gold() -> None:
    questions = committed("noisy.jsonl")
    sources = {q.id: q for name in ("medquad_sample.jsonl", "handwritten.jsonl") for q in committed(name)}
    clean = {q.meta["source_id"]: q for q in questions if q.meta["variant"] == "clean"}
    assert len(clean) == 100
    for source_id, q in clean.items():
        source = sources[source_id]
        assert (q.question, q.relevant, q.split, q.group) == (source.question, source.relevant, source.split,
                                                              "answerable")
    variants = Counter()
    for q in questions:
        if q.meta["variant"] == "clean":
            continue
        variants[q.meta["source_id"], q.meta["variant"]] += 1
        source = clean[q.meta["source_id"]]
        assert q.split == source.split and q.group == "answerable" and q.question != source.question, q.id
        assert q.id.startswith("noisy:") and q.meta["source_set"] in ("medquad_sample", "handwritten")
        if q.meta["variant"] == "double":
            second = clean.get(q.meta["second_id"]) or sources[q.meta["second_id"]]
            assert second.split == q.split
            assert set(q.relevant) == set(source.relevant) | set(second.relevant)
        else:
            assert q.relevant == source.relevant
    assert set(variants.values()) == {1} and len(variants) == 500  # each source: one of each of five variants


@pytest.mark.unit
def test_unanswerable_file_matches_its_script_and_rules() -> None:
    script = _load_script("build_unanswerable")
    questions = committed("unanswerable.jsonl")
    assert [q.to_dict() for q in questions] == [q.to_dict() for q in script.build()]
    handwritten = {q.question.casefold() for q in committed("handwritten.jsonl")}
    split_of_focus: dict[str, str] = {}
    for q in questions:
        assert q.group == "unanswerable" and q.relevant == {}, q.id
        assert q.meta["focus"] and q.meta["absent"] and q.question.casefold() not in handwritten, q.id
        assert split_of_focus.setdefault(q.meta["focus"].casefold(), q.split) == q.split, q.id
        assert bool(q.meta.get("partial")) == bool(q.meta.get("partial_gold")), q.id
    assert sum(not q.meta.get("partial") for q in questions) >= 50


# --- against the shared corpus ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def library_ids() -> tuple[set[str], set[str]]:
    """Document ids and section ids of the real corpus, loaded with MedCite's own loaders (about 5 s)."""
    if not (SHARED_DATA / "pubmedqa" / "ori_pqal.json").exists() or not (SHARED_DATA / "medquad").is_dir():
        pytest.skip(f"shared corpus not found at {SHARED_DATA} (expected ../shared/data beside the checkout)")
    from medcite.ingest.loaders import LoadOptions, iter_files, load_file

    docs: set[str] = set()
    sections: set[str] = set()
    for path in iter_files([SHARED_DATA / "pubmedqa", SHARED_DATA / "medquad"]):
        fmt = {".json": "pubmedqa", ".xml": "medquad"}.get(path.suffix)
        if fmt:
            for doc in load_file(path, fmt, LoadOptions()):
                docs.add(doc.id)
                sections.update(s.id for s in doc.sections)
    return docs, sections


@pytest.mark.integration
def test_every_gold_document_exists_in_the_shared_data(library_ids: tuple[set[str], set[str]]) -> None:
    docs, sections = library_ids
    assert len(docs) > 6000
    for name in MIN_SIZES:
        for q in committed(name):
            missing = [doc_id for doc_id in q.relevant if doc_id not in docs]
            assert not missing, f"{name} {q.id}: unknown document ids {missing}"
            if "section_id" in q.meta:
                assert q.meta["section_id"] in sections, f"{name} {q.id}: unknown section {q.meta['section_id']}"
            missing = [doc_id for doc_id in q.meta.get("partial_gold") or {} if doc_id not in docs]
            assert not missing, f"{name} {q.id}: unknown partial gold ids {missing}"


@pytest.mark.unit
def test_a_lone_surrogate_is_a_clear_error_with_its_line(tmp_path):
    from medcite.evals.datasets import EvalSetError, load_eval_set

    path = tmp_path / "set.jsonl"
    good = '{"id": "q1", "question": "What is IVIG?", "relevant": {}, "group": "unanswerable", "split": "dev"}'
    bad = '{"id": "q2", "question": "broken \\ud800 text", "relevant": {}, "group": "unanswerable", "split": "dev"}'
    path.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(EvalSetError, match=r"set.jsonl:2: question 'q2': .*lone surrogate"):
        load_eval_set(path)


@pytest.mark.unit
def test_gold_ids_absent_from_the_library_are_warned_about():
    from medcite.evals.datasets import EvalQuestion
    from medcite.evals.runner import absent_gold_warning

    questions = [EvalQuestion(id="a", question="q", relevant={"X_1": 2}, group="answerable"),
                 EvalQuestion(id="b", question="q", relevant={"Y_1": 2, "Z_1": 1}, group="answerable")]
    assert absent_gold_warning(questions, {"X_1", "Y_1", "Z_1"}) == []
    (warning,) = absent_gold_warning(questions, {"Y_1"})
    assert warning.startswith("2 of 3 gold document ids are not in this library") and "1 question(s)" in warning
