"""The demo library's sources: PubMedQA (ori_pqal.json) and MedQuAD subsets 1-9, copied or downloaded."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from medcite.ingest.http import HttpClient, SourceError, mask_url
from medcite.settings import Settings

logger = logging.getLogger(__name__)

#: MedQuAD subset folders with answers: 1_CancerGov_QA ... 9_CDC_QA (10-12 had their answers removed).
SUBSET_PATTERN = re.compile(r"[1-9]_[A-Za-z0-9_.-]+")
PUBMEDQA_FILES = ("ori_pqal.json", "LICENSE")
MEDQUAD_FILES = ("LICENSE.txt", "readme.txt")
#: Limits on the MedQuAD archive: uncompressed bytes extracted, entries in the archive, download size.
MAX_EXTRACT_BYTES = 500 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 50_000
MAX_DOWNLOAD_BYTES = 500 * 1024 * 1024
ORIGINS_FILE = ".origins.json"
FILE_MODE = 0o644
DIR_MODE = 0o755


class DemoSourceError(SourceError):
    """The demo sources are missing, incomplete or unsafe; the message says what and where."""


@dataclass(frozen=True)
class DemoSources:
    """The prepared demo folder and what this call did to it."""

    root: Path  # <sources_dir>/demo
    pubmedqa_file: Path  # <root>/pubmedqa/ori_pqal.json
    medquad_dir: Path  # <root>/medquad, holding subset folders 1_* .. 9_*
    subsets: tuple[str, ...]  # MedQuAD subset folder names present
    pubmedqa_origin: str  # URL or folder it came from ("" when unknown)
    medquad_origin: str
    changed: bool  # False when everything was already in place and nothing was copied or downloaded

    @property
    def sources_md(self) -> Path:
        return self.root / "SOURCES.md"


def demo_dir(settings: Settings) -> Path:
    """Where the demo sources live: ``<sources_dir>/demo``."""
    return settings.sources_dir / "demo"


def shared_data_dir() -> Path | None:
    """``../shared/data`` relative to the working directory, when it holds pubmedqa/ori_pqal.json."""
    candidate = Path.cwd().parent / "shared" / "data"
    return candidate if (candidate / "pubmedqa" / "ori_pqal.json").is_file() else None


def get_demo(
    settings: Settings,
    source_dir: Path | None = None,
    progress: bool = True,
    *,
    force: bool = False,
) -> DemoSources:
    """Prepare ``<sources_dir>/demo`` with PubMedQA and MedQuAD; idempotent unless ``force``.

    The sources come from ``source_dir`` (``--from``), else ``settings.demo_from``, else ``../shared/data``
    when it exists, else they are downloaded from ``settings.demo_pubmedqa_url`` and
    ``settings.demo_medquad_url``. Raises DemoSourceError (or SourceError for download failures).
    """
    root = demo_dir(settings)
    pubmedqa_file = root / "pubmedqa" / "ori_pqal.json"
    medquad_dir = root / "medquad"

    local: Path | None = None
    explicit = source_dir if source_dir is not None else settings.demo_from
    if explicit is not None:
        local = Path(explicit).expanduser()
        _check_local(local)  # a named folder must be right, even when there is nothing to do
    else:
        local = shared_data_dir()

    origins = _read_origins(root)
    need_pubmedqa = force or _pubmedqa_problem(pubmedqa_file) is not None
    need_medquad = force or not _subsets_in(medquad_dir)

    if need_pubmedqa or need_medquad:
        root.mkdir(parents=True, exist_ok=True)
        if local is not None:
            if explicit is None:
                _check_local(local)
            shown = str(local.resolve())
            if need_pubmedqa:
                _copy_pubmedqa(local / "pubmedqa", pubmedqa_file.parent)
                origins["pubmedqa"] = shown
                _write_origins(root, origins)  # remembered even if the other part fails
            if need_medquad:
                _copy_medquad(local / "medquad", medquad_dir)
                origins["medquad"] = shown
                _write_origins(root, origins)  # remembered even if the other part fails
        else:
            with HttpClient(settings) as http:
                if need_pubmedqa:
                    _download_pubmedqa(http, settings.demo_pubmedqa_url, pubmedqa_file.parent, progress)
                    origins["pubmedqa"] = mask_url(settings.demo_pubmedqa_url)
                    _write_origins(root, origins)  # remembered even if the other part fails
                if need_medquad:
                    _download_medquad(http, settings.demo_medquad_url, medquad_dir, progress)
                    origins["medquad"] = mask_url(settings.demo_medquad_url)
                    _write_origins(root, origins)  # remembered even if the other part fails
        _write_sources_md(root, settings, origins)
    elif not (root / "SOURCES.md").is_file():
        _write_sources_md(root, settings, origins)

    return DemoSources(
        root=root,
        pubmedqa_file=pubmedqa_file,
        medquad_dir=medquad_dir,
        subsets=tuple(_subsets_in(medquad_dir)),
        pubmedqa_origin=origins.get("pubmedqa", ""),
        medquad_origin=origins.get("medquad", ""),
        changed=need_pubmedqa or need_medquad,
    )


# Validation -------------------------------------------------------------------------------------
def _pubmedqa_problem(path: Path) -> str | None:
    """Why ``path`` is not a usable ori_pqal.json, or None when it is."""
    if not path.is_file():
        return f"{path} is missing"
    try:
        with path.open("rb") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"{path} is not valid JSON ({exc})"
    if not isinstance(data, dict):
        return f"{path} is not a JSON object of PubMedQA entries"
    return None


def _subsets_in(medquad: Path) -> list[str]:
    """Names of MedQuAD subset folders 1_* .. 9_* in ``medquad`` that hold at least one XML file."""
    if not medquad.is_dir():
        return []
    found = []
    for child in sorted(medquad.iterdir()):
        if child.is_dir() and SUBSET_PATTERN.fullmatch(child.name) and any(child.glob("*.xml")):
            found.append(child.name)
    return found


def _check_local(folder: Path) -> None:
    """Raise DemoSourceError naming everything a local source folder lacks."""
    if not folder.is_dir():
        raise DemoSourceError(f"demo source folder {folder} does not exist")
    problems = []
    problem = _pubmedqa_problem(folder / "pubmedqa" / "ori_pqal.json")
    if problem:
        problems.append(problem)
    if not _subsets_in(folder / "medquad"):
        problems.append(f"{folder / 'medquad'} holds no MedQuAD subset folder (1_* to 9_*) with XML files")
    if problems:
        raise DemoSourceError(f"demo source folder {folder} is incomplete: " + "; ".join(problems))


# Copying ----------------------------------------------------------------------------------------
def _copy_pubmedqa(src: Path, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PUBMEDQA_FILES:
        if (src / name).is_file():
            _copy_file_atomic(src / name, dest / name)


def _copy_medquad(src: Path, dest: Path) -> None:
    with _staging_dir(dest.parent, "medquad") as staging:
        for name in _subsets_in(src):
            _copy_files(src / name, staging / name)
        for name in MEDQUAD_FILES:
            if (src / name).is_file():
                shutil.copyfile(src / name, staging / name)
        _swap_dir(staging, dest)


def _copy_files(src: Path, dest: Path) -> None:
    """Copy the regular files under ``src`` (no links), as files of our own: read-only sources stay
    deletable copies (``copytree`` would carry the source's read-only modes along)."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        target = dest / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _copy_file_atomic(src: Path, dest: Path) -> None:
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, dest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def _staging_dir(parent: Path, name: str) -> Iterator[Path]:
    """A fresh folder beside the final one, removed afterwards unless it was moved into place."""
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{name}.", suffix=".staging"))
    os.chmod(staging, DIR_MODE)  # mkdtemp makes it private; it becomes the final folder
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_dir(staging: Path, dest: Path) -> None:
    """Move ``staging`` to ``dest``, replacing what was there (never leaving ``dest`` half-written)."""
    old: Path | None = None
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(dest, old)
    try:
        os.replace(staging, dest)
    except OSError:
        if old is not None and not dest.exists():
            os.replace(old, dest)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# Downloading ------------------------------------------------------------------------------------
def _download_pubmedqa(http: HttpClient, url: str, dest: Path, progress: bool) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    with _staging_dir(dest, "ori_pqal.json") as staging:
        downloaded = http.stream_to_file(
            url, staging / "ori_pqal.json", progress, max_bytes=MAX_DOWNLOAD_BYTES
        )
        if _pubmedqa_problem(downloaded):
            raise DemoSourceError(
                f"PubMedQA from {mask_url(url)} is unusable: the download is not a JSON object of entries"
            )
        os.replace(downloaded, dest / "ori_pqal.json")


def _download_medquad(http: HttpClient, url: str, dest: Path, progress: bool) -> None:
    with _staging_dir(dest.parent, "medquad-download") as staging:
        archive = http.stream_to_file(url, staging / "medquad.zip", progress, max_bytes=MAX_DOWNLOAD_BYTES)
        with _staging_dir(dest.parent, "medquad") as extracted:
            try:
                extract_medquad(archive, extracted)
            except zipfile.BadZipFile:
                raise DemoSourceError(f"MedQuAD from {mask_url(url)} is not a valid zip archive") from None
            if not _subsets_in(extracted):
                raise DemoSourceError(
                    f"MedQuAD archive from {mask_url(url)} holds no subset folder (1_* to 9_*) with XML files"
                )
            _swap_dir(extracted, dest)


def extract_medquad(archive: Path, dest: Path) -> list[str]:
    """Extract MedQuAD subsets 1-9 (and the licence files) from a repository zip into ``dest``.

    The archive is refused whole (DemoSourceError) when any entry is unsafe: an absolute path, a ``..``
    part, or a symbolic link; or when it has more than MAX_ARCHIVE_MEMBERS entries, or the selected
    files total more than MAX_EXTRACT_BYTES. Returns the extracted paths, relative to ``dest``.
    """
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            raise DemoSourceError(
                f"MedQuAD archive has {len(infos)} entries, more than the {MAX_ARCHIVE_MEMBERS} allowed"
            )
        unsafe = [info.filename for info in infos if _unsafe_member(info)]
        if unsafe:
            raise DemoSourceError(
                f"MedQuAD archive refused: unsafe entr{'ies' if len(unsafe) > 1 else 'y'} "
                + ", ".join(repr(name) for name in unsafe[:5])
            )
        names = [PurePosixPath(info.filename.replace("\\", "/")).parts for info in infos]
        roots = {parts[0] for parts in names if parts}
        # A GitHub archive wraps everything in one folder (MedQuAD-master/); look inside it.
        strip = len(roots) == 1 and not SUBSET_PATTERN.fullmatch(next(iter(roots)))
        selected: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        for info, parts in zip(infos, names, strict=True):
            rel = parts[1:] if strip else parts
            if info.is_dir() or not rel:
                continue
            wanted = (len(rel) == 1 and rel[0] in MEDQUAD_FILES) or (
                len(rel) == 2 and SUBSET_PATTERN.fullmatch(rel[0]) and rel[1].lower().endswith(".xml")
            )
            if wanted:
                selected.append((info, PurePosixPath(*rel)))
        total = sum(info.file_size for info, _ in selected)
        if total > MAX_EXTRACT_BYTES:
            raise DemoSourceError(
                f"MedQuAD archive would extract to {total} bytes, more than the {MAX_EXTRACT_BYTES} allowed"
            )
        written = 0
        for info, rel in selected:
            target = dest.joinpath(*rel.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, target.open("wb") as out:
                while block := src.read(1 << 16):
                    written += len(block)
                    if written > MAX_EXTRACT_BYTES:
                        raise DemoSourceError(
                            f"MedQuAD archive extracts to more than the {MAX_EXTRACT_BYTES} bytes allowed"
                        )
                    out.write(block)
    return [str(rel) for _, rel in selected]


def _unsafe_member(info: zipfile.ZipInfo) -> bool:
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    if any(part == ".." for part in name.split("/")):
        return True
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


# Bookkeeping ------------------------------------------------------------------------------------
def _read_origins(root: Path) -> dict[str, str]:
    try:
        data = json.loads((root / ORIGINS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_origins(root: Path, origins: dict[str, str]) -> None:
    _write_text_atomic(root / ORIGINS_FILE, json.dumps(origins, indent=2, sort_keys=True) + "\n")


def _write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _write_sources_md(root: Path, settings: Settings, origins: dict[str, str]) -> None:
    today = datetime.now(UTC).date().isoformat()
    pubmedqa_from = origins.get("pubmedqa") or "unknown (already present)"
    medquad_from = origins.get("medquad") or "unknown (already present)"
    text = f"""# Demo library sources

Prepared by `medcite corpus get demo` (last updated {today}).

## PubMedQA — `pubmedqa/ori_pqal.json`

- Expert-labelled set (PQA-L): 1,000 PubMed abstracts keyed by PMID.
- Licence: MIT (see `pubmedqa/LICENSE` where present).
- Citation: Qiao Jin, Bhuwan Dhingra, Zhengping Liu, William W. Cohen, Xinghua Lu. "PubMedQA: A Dataset for
  Biomedical Research Question Answering." EMNLP 2019.
- Public home: {mask_url(settings.demo_pubmedqa_url)}
- Obtained from: {pubmedqa_from}

## MedQuAD — `medquad/`

- Subsets 1-9 (CancerGov, GARD, GHR, MedlinePlus Health Topics, NIDDK, NINDS, NIHSeniorHealth, NHLBI, CDC).
  Subsets 10-12 are left out: their answers were removed at the source for copyright.
- Licence: CC BY 4.0 (see `medquad/LICENSE.txt` and `medquad/readme.txt` where present).
- Citation: Asma Ben Abacha, Dina Demner-Fushman. "A Question-Entailment Approach to Question Answering."
  BMC Bioinformatics 20, 511 (2019).
- Public home: {mask_url(settings.demo_medquad_url)}
- Obtained from: {medquad_from}
"""
    _write_text_atomic(root / "SOURCES.md", text)
