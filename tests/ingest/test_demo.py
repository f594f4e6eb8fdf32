"""Demo sources: downloads from a local HTTP server, safe zip extraction, --from copies, idempotence."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from medcite.ingest import demo
from medcite.ingest.demo import DemoSourceError, extract_medquad, get_demo
from medcite.ingest.http import SourceError
from medcite.settings import Settings
from tests.httpserver import LocalHTTPServer, Reply

pytestmark = pytest.mark.integration

PQAL = {
    "21645374": {
        "QUESTION": "Do mitochondria play a role in remodelling lace plant leaves during cell death?",
        "CONTEXTS": ["Programmed cell death (PCD) is the regulated death of cells within an organism."],
        "LABELS": ["BACKGROUND"],
        "LONG_ANSWER": "Results depicted mitochondrial dynamics in vivo as PCD progresses.",
        "YEAR": "2011",
        "final_decision": "yes",
    },
    "16418930": {
        "CONTEXTS": ["Landolt C and snellen e acuity: differences in strabismus amblyopia?"],
        "LABELS": ["OBJECTIVE"],
        "LONG_ANSWER": "Using the charts described, there was only a slight overestimation.",
        "YEAR": "2006",
    },
}


def medquad_xml(doc_id: str, focus: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Document id="{doc_id}" source="Test" url="https://example.org/">'
        f'<Focus>{focus}</Focus><QAPairs><QAPair pid="1"><Question qid="{doc_id}-1" qtype="information">'
        f"What is {focus}?</Question><Answer>{focus} is a test condition.</Answer></QAPair></QAPairs>"
        "</Document>\n"
    ).encode()


MEDQUAD_MEMBERS = {
    "MedQuAD-master/": b"",
    "MedQuAD-master/readme.txt": b"MedQuAD readme\n",
    "MedQuAD-master/LICENSE.txt": b"Creative Commons Attribution 4.0 International\n",
    "MedQuAD-master/README.md": b"# not copied\n",
    "MedQuAD-master/1_X_QA/": b"",
    "MedQuAD-master/1_X_QA/0000001_1.xml": medquad_xml("0000001_1", "Alpha"),
    "MedQuAD-master/1_X_QA/0000001_2.xml": medquad_xml("0000001_2", "Beta"),
    "MedQuAD-master/2_Y_QA/0000002_1.xml": medquad_xml("0000002_1", "Gamma"),
    "MedQuAD-master/10_Z_QA/0000010_1.xml": medquad_xml("0000010_1", "No answers here"),
    "MedQuAD-master/QA-TestSet-LiveQA-Med-Qrels-2479-Answers/All-qrels.txt": b"qrels\n",
}


def build_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


PQAL_BYTES = json.dumps(PQAL).encode()
ZIP_BYTES = build_zip(MEDQUAD_MEMBERS)


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Run from a folder with no ../shared/data beside it, so nothing is picked up by accident."""
    work = tmp_path / "project"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


@pytest.fixture
def server():
    routes = {
        "/ori_pqal.json": Reply(200, PQAL_BYTES, content_type="application/json"),
        "/medquad.zip": Reply(200, ZIP_BYTES, content_type="application/zip"),
    }
    with LocalHTTPServer(routes) as srv:
        yield srv
        assert not srv.errors, srv.errors


def make_settings(home: Path, server: LocalHTTPServer | None = None, **overrides) -> Settings:
    base = server.url if server is not None else "http://127.0.0.1:9"  # port 9: nothing listens
    values = {
        "home": home,
        "demo_pubmedqa_url": base + "/ori_pqal.json",
        "demo_medquad_url": base + "/medquad.zip",
        "demo_from": None,
        "http_retries": 1,
        "http_backoff_s": 0.0,
        "http_timeout_s": 5.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def populate_source(folder: Path) -> Path:
    """A local folder laid out like ../shared/data."""
    (folder / "pubmedqa").mkdir(parents=True)
    (folder / "pubmedqa" / "ori_pqal.json").write_bytes(PQAL_BYTES)
    (folder / "pubmedqa" / "LICENSE").write_text("MIT License\n")
    (folder / "pubmedqa" / "test_set.json").write_text("{}")  # not part of the demo
    for rel in (
        "1_A_QA/0000001_1.xml",
        "3_C_QA/0000003_1.xml",
        "3_C_QA/0000003_2.xml",
        "11_K_QA/0000011_1.xml",
    ):
        path = folder / "medquad" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(medquad_xml(path.stem, rel.split("/")[0]))
    (folder / "medquad" / "LICENSE.txt").write_text("CC BY 4.0\n")
    (folder / "medquad" / "readme.txt").write_text("readme\n")
    (folder / "medquad" / "notes.md").write_text("not copied\n")
    return folder


def leftovers(root: Path) -> list[str]:
    """Temporary files or folders a download, copy or extraction may have left behind."""
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*") if ".part" in p.name or "staging" in p.name
    )


# Downloads ------------------------------------------------------------------------------------------
def test_download_prepares_demo_folder(tmp_path, workdir, server):
    settings = make_settings(tmp_path / "home", server)
    result = get_demo(settings, progress=False)

    root = tmp_path / "home" / "sources" / "demo"
    assert result.root == root and result.changed
    assert json.loads(result.pubmedqa_file.read_bytes()) == PQAL
    assert result.pubmedqa_file == root / "pubmedqa" / "ori_pqal.json"
    assert result.subsets == ("1_X_QA", "2_Y_QA")
    medquad = root / "medquad"
    assert sorted(p.name for p in medquad.iterdir()) == ["1_X_QA", "2_Y_QA", "LICENSE.txt", "readme.txt"]
    assert (medquad / "1_X_QA" / "0000001_2.xml").read_bytes() == medquad_xml("0000001_2", "Beta")
    assert not (medquad / "10_Z_QA").exists()
    assert leftovers(root) == [] and not list(root.glob("*.zip"))

    sources = result.sources_md.read_text()
    for needle in ("MIT", "Jin", "EMNLP 2019", "CC BY 4.0", "Ben Abacha", "BMC Bioinformatics"):
        assert needle in sources
    assert settings.demo_pubmedqa_url in sources and settings.demo_medquad_url in sources
    assert result.pubmedqa_origin == settings.demo_pubmedqa_url
    assert [r.headers["User-Agent"].split("/")[0] for r in server.requests] == ["medcite", "medcite"]


def test_second_run_does_not_download_again(tmp_path, workdir, server):
    settings = make_settings(tmp_path / "home", server)
    get_demo(settings, progress=False)
    assert len(server.requests) == 2

    again = get_demo(settings, progress=False)
    assert not again.changed
    assert len(server.requests) == 2
    assert again.subsets == ("1_X_QA", "2_Y_QA")
    assert again.medquad_origin == settings.demo_medquad_url  # remembered from the first run

    forced = get_demo(settings, progress=False, force=True)
    assert forced.changed and len(server.requests) == 4
    assert leftovers(forced.root) == []


def test_only_the_missing_part_is_fetched(tmp_path, workdir, server):
    settings = make_settings(tmp_path / "home", server)
    result = get_demo(settings, progress=False)
    result.pubmedqa_file.write_text("[1, 2")  # damaged: not JSON
    get_demo(settings, progress=False)
    assert [r.path for r in server.requests[2:]] == ["/ori_pqal.json"]
    assert json.loads(result.pubmedqa_file.read_bytes()) == PQAL


@pytest.mark.parametrize("hostile", ["MedQuAD-master/../evil.xml", "../evil.xml", "/tmp/medcite-evil.xml"])
def test_zip_slip_archive_is_refused(tmp_path, workdir, server, hostile):
    server.routes["/medquad.zip"] = Reply(200, build_zip({**MEDQUAD_MEMBERS, hostile: b"<x/>"}))
    settings = make_settings(tmp_path / "home", server)
    with pytest.raises(DemoSourceError, match="unsafe entry.*evil.xml"):
        get_demo(settings, progress=False)
    root = settings.sources_dir / "demo"
    assert not (root / "medquad").exists()
    assert not list(tmp_path.rglob("evil.xml")) and not Path("/tmp/medcite-evil.xml").exists()
    assert leftovers(root) == []


def test_extraction_limits(tmp_path, monkeypatch):
    archive = tmp_path / "medquad.zip"
    archive.write_bytes(ZIP_BYTES)
    monkeypatch.setattr(demo, "MAX_EXTRACT_BYTES", 100)
    with pytest.raises(DemoSourceError, match="more than the 100 allowed"):
        extract_medquad(archive, tmp_path / "out1")
    monkeypatch.setattr(demo, "MAX_EXTRACT_BYTES", 10_000_000)
    monkeypatch.setattr(demo, "MAX_ARCHIVE_MEMBERS", 3)
    with pytest.raises(DemoSourceError, match="entries, more than the 3 allowed"):
        extract_medquad(archive, tmp_path / "out2")


def test_archive_without_subsets_or_not_a_zip(tmp_path, workdir, server):
    settings = make_settings(tmp_path / "home", server)
    server.routes["/medquad.zip"] = Reply(200, build_zip({"MedQuAD-master/12_Q_QA/a.xml": b"<a/>"}))
    with pytest.raises(DemoSourceError, match="no subset folder"):
        get_demo(settings, progress=False)
    server.routes["/medquad.zip"] = Reply(200, b"<html>not a zip</html>")
    with pytest.raises(DemoSourceError, match="not a valid zip"):
        get_demo(settings, progress=False)
    assert not (settings.sources_dir / "demo" / "medquad").exists()
    assert leftovers(settings.sources_dir / "demo") == []


def test_download_that_is_not_json_is_refused(tmp_path, workdir, server):
    server.routes["/ori_pqal.json"] = Reply(200, b'["a", "list"]')
    settings = make_settings(tmp_path / "home", server)
    with pytest.raises(DemoSourceError, match="not a JSON object"):
        get_demo(settings, progress=False)
    assert not (settings.sources_dir / "demo" / "pubmedqa" / "ori_pqal.json").exists()


def test_interrupted_download_leaves_no_partial_file(tmp_path, workdir, server):
    settings = make_settings(tmp_path / "home", server, http_retries=1)
    root = settings.sources_dir / "demo"

    server.fail(2, "truncate", path="/ori_pqal.json")  # half the body, then the connection drops: twice
    with pytest.raises(SourceError, match="ori_pqal.json.*2 attempts"):
        get_demo(settings, progress=False)
    assert not (root / "pubmedqa" / "ori_pqal.json").exists()
    assert leftovers(root) == []

    server.fail(2, "truncate", path="/medquad.zip")
    with pytest.raises(SourceError, match="medquad.zip.*2 attempts"):
        get_demo(settings, progress=False)
    assert json.loads((root / "pubmedqa" / "ori_pqal.json").read_bytes()) == PQAL  # this part completed
    assert not (root / "medquad").exists()
    assert leftovers(root) == []

    before = len(server.requests)
    result = get_demo(settings, progress=False)  # the failures are used up: only MedQuAD is fetched
    assert [r.path for r in server.requests[before:]] == ["/medquad.zip"]
    assert result.subsets == ("1_X_QA", "2_Y_QA")
    assert result.pubmedqa_origin == settings.demo_pubmedqa_url  # recorded by the run that fetched it


def test_truncated_download_is_retried(tmp_path, workdir, server):
    settings = make_settings(tmp_path / "home", server, http_retries=2)
    server.fail(1, "truncate", path="/medquad.zip")
    server.fail(1, "close", path="/ori_pqal.json")
    result = get_demo(settings, progress=False)
    assert result.subsets == ("1_X_QA", "2_Y_QA")
    assert len(server.requests) == 4


# Local copies -------------------------------------------------------------------------------------
def make_read_only(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)


def test_from_folder_copies_only_the_demo_files(tmp_path, workdir):
    source = populate_source(tmp_path / "data")
    (source / "medquad" / "1_A_QA" / "link.xml").symlink_to(source / "pubmedqa" / "LICENSE")
    make_read_only(source)  # like ../shared/data
    settings = make_settings(tmp_path / "home")  # the URLs point at a closed port: nothing is downloaded
    result = get_demo(settings, source_dir=source, progress=False)

    root = settings.sources_dir / "demo"
    assert sorted(p.name for p in (root / "pubmedqa").iterdir()) == ["LICENSE", "ori_pqal.json"]
    assert sorted(p.name for p in (root / "medquad").iterdir()) == [
        "1_A_QA",
        "3_C_QA",
        "LICENSE.txt",
        "readme.txt",
    ]
    assert result.subsets == ("1_A_QA", "3_C_QA")
    for path in root.rglob("*"):
        assert not path.is_symlink()
    assert (root / "medquad" / "3_C_QA" / "0000003_2.xml").read_bytes() == (
        source / "medquad" / "3_C_QA" / "0000003_2.xml"
    ).read_bytes()
    assert result.pubmedqa_origin == str(source.resolve())
    assert str(source.resolve()) in result.sources_md.read_text()
    assert leftovers(root) == []

    assert not (root / "medquad" / "1_A_QA" / "link.xml").exists()  # links are not followed
    # Copies are ordinary files and folders of our own, not read-only like the source.
    for path in [root, *root.rglob("*")]:
        assert path.stat().st_mode & 0o700 == (0o700 if path.is_dir() else 0o600), path
    for path in (root / "medquad", root / "pubmedqa" / "ori_pqal.json", root / "SOURCES.md"):
        assert path.stat().st_mode & 0o777 == (0o755 if path.is_dir() else 0o644), path

    assert not get_demo(settings, source_dir=source, progress=False).changed
    assert get_demo(settings, source_dir=source, progress=False, force=True).changed  # replaces the copy
    assert result.subsets == ("1_A_QA", "3_C_QA") and leftovers(root) == []


def test_demo_from_setting_is_used(tmp_path, workdir):
    source = populate_source(tmp_path / "elsewhere")
    result = get_demo(make_settings(tmp_path / "home", demo_from=source), progress=False)
    assert result.changed and result.subsets == ("1_A_QA", "3_C_QA")


def test_shared_data_beside_the_project_is_used(tmp_path, monkeypatch):
    populate_source(tmp_path / "shared" / "data")
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    result = get_demo(make_settings(tmp_path / "home"), progress=False)
    assert result.subsets == ("1_A_QA", "3_C_QA")
    assert result.medquad_origin == str((tmp_path / "shared" / "data").resolve())


def test_from_folder_problems_are_named(tmp_path, workdir):
    settings = make_settings(tmp_path / "home")
    with pytest.raises(DemoSourceError, match="does not exist"):
        get_demo(settings, source_dir=tmp_path / "nowhere", progress=False)

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DemoSourceError) as info:
        get_demo(settings, source_dir=empty, progress=False)
    assert "ori_pqal.json is missing" in str(info.value)
    assert "no MedQuAD subset folder" in str(info.value)

    source = populate_source(tmp_path / "data")
    (source / "pubmedqa" / "ori_pqal.json").write_text('["not", "an", "object"]')
    with pytest.raises(DemoSourceError, match="not a JSON object"):
        get_demo(settings, source_dir=source, progress=False)

    (source / "pubmedqa" / "ori_pqal.json").write_bytes(PQAL_BYTES)
    for xml in (source / "medquad").rglob("*.xml"):
        xml.unlink()
    with pytest.raises(DemoSourceError, match="no MedQuAD subset folder"):
        get_demo(settings, source_dir=source, progress=False)
    assert not (settings.sources_dir / "demo" / "medquad").exists()
