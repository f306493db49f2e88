"""One settings object, read from the environment (prefix ASSISTANT_) and passed in."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .errors import AssistantError

DEFAULT_MODEL = "intfloat/multilingual-e5-small"
DEFAULT_CORPUS = Path("corpus")


def _default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "vn-plans-assistant"


@dataclass(frozen=True)
class Settings:
    # None until bound: an index remembers the corpus it was built from, and that one is
    # used unless a corpus is given (see index.store.bind_corpus)
    corpus_dir: Path | None = None
    index_dir: Path = Path("index")
    model: str = DEFAULT_MODEL  # any sentence-transformers model name or folder
    model_cache: Path = _default_cache()  # where the offline e5-small folder is built
    # the fine-tuned LoRA adapter on top of the model: "shipped" (assistant/index/encoder/,
    # made by scripts/train_encoder.py), "none" for the bare model, or an adapter folder
    encoder_adapter: str = "shipped"
    model_cache: Path = _default_cache()  # where the offline e5-small folder and its ONNX export are kept
    # torch: the float model through sentence-transformers; onnx: the same float model as an ONNX graph;
    # onnx-int8: its int8 quantisation (graphs made at setup: index/onnx_backend.py; int8 changed answers)
    embedding_backend: str = "onnx"
    embedding_cache: Path | None = None  # vectors by text hash and model; None: <index_dir>/embedding-cache
    chunk_size: int = 900  # characters per passage, cut at sentence boundaries
    top_k: int = 5  # citations per answer
    candidates: int = 40  # passages each retrieval channel contributes to fusion
    rrf_k: int = 20
    max_question_chars: int = 2000
    max_history_chars: int = 2000  # a follow-up reads at most this many characters of earlier questions
    answer_model: Path | None = None  # a fitted answer model file; None: the one shipped with the package
    intent_model: Path | None = None  # a folder with a fitted intent classifier; None: the shipped one
    batch_size: int = 16
    threads: int = 2
    reload_seconds: int = 2  # a running server checks for a new index version this often (0: never)
    # assistant serve: limits checked before any work, per worker process
    workers: int = 0  # worker processes, each with its own model; 0 = one per CPU core
    max_body_bytes: int = 65_536  # a request body past this is refused unread (413)
    max_waiting: int = 16  # questions waiting behind the one being answered; past it 503
    queue_seconds: int = 8  # estimated seconds of work a worker's queue holds; past it 503 (serve/gate.py)
    study_cache_bytes: int = 32 << 20  # study views and files kept per index version (serve/study_guard.py)
    request_seconds: int = 20  # a question not answered within this is given up (503/504)
    header_seconds: int = 10  # a connection must send its request headers within this
    body_seconds: int = 5  # and the whole body within this of its headers (else 408)
    max_connections: int = 1000  # open connections per worker, kept below the open-file limit; past it 503
    max_connections_per_client: int = 64  # per client address (0: no cap; behind a proxy, the proxy's)
    keep_alive_seconds: int = 5  # an idle keep-alive connection is closed after this
    # study: rows of the key matrix (the units that hold tasks in the most plans), sized to fit
    # two landscape A4 pages; a larger number widens the table onto more pages
    study_key_rows: int = 10
    # assistant add / build: limits checked before a file is read (docs/formats.md says how
    # each was chosen: well above the largest real plan, far below what exhausts the machine)
    max_file_bytes: int = 50 << 20  # one file
    max_pdf_pages: int = 300  # pages of one PDF
    max_docx_xml_bytes: int = 20 << 20  # XML inside one .docx, once unpacked
    max_image_pixels: int = 80_000_000  # one image or one rendered PDF page (A4 at 600 dpi: 35 M)
    max_passages: int = 2000  # passages of one document (the largest plan has about 100)
    ocr_page_seconds: int = 300  # one scanned page's OCR is given up after this
    min_scan_confidence: int = 80  # a scan or photo whose mean Tesseract word confidence (%) is lower is refused
    min_scan_vocabulary: int = 88  # … or fewer of whose words (%) the corpus uses (docs/formats.md: measured)
    near_duplicate: int = 90  # a text this similar (%) to a document already there is a copy of it

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> "Settings":
        """Defaults, then ASSISTANT_<FIELD> variables, then explicit overrides (CLI flags)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"ASSISTANT_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _convert(f.name, raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **{k: _coerce(cls, k, v) for k, v in values.items()})

    def fingerprint(self) -> dict:
        """The settings an index depends on; a change makes the index stale."""
        return {"model": self.model, "chunk_size": self.chunk_size}

    def cache_dir(self) -> Path:
        """Where embeddings are kept between builds (shared by build, add and remove)."""
        return self.embedding_cache or self.index_dir / "embedding-cache"


def _convert(name: str, raw: str, kind) -> object:
    if kind in ("int", int):
        try:
            return int(raw)
        except ValueError:
            raise AssistantError(f"ASSISTANT_{name.upper()} phải là số nguyên, không phải {raw!r}") from None
    return raw


def _coerce(cls, name: str, value):
    kind = cls.__dataclass_fields__[name].type
    if kind in ("Path", Path, "Path | None"):
        return Path(value).expanduser()
    return value
