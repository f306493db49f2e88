"""Never embed the same text twice: vectors kept by (model identity, text) hash.

`assistant build`, `add` and `remove` all embed through `embed_cached`: a text whose
vector is in the cache is not embedded again, so a rebuild, or a new version after one
document changed, embeds only the new text. The cache lives beside the index versions
(`<index>/embedding-cache/<identity hash>/`, or ASSISTANT_EMBEDDING_CACHE) as shards,
each a .npz of 16-byte text digests and float32 vectors, written whole through a
temporary name. A build writes a shard every few hundred new vectors, so one that is
stopped keeps what it had embedded. Past MAX_SHARDS the shards are merged into one.

With ASSISTANT_INDEX_KEY set, every shard carries an HMAC of its contents and a shard
that fails it is ignored (embedded again): vectors cannot be slipped in through the
cache into a signed version."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Callable

import numpy as np

from .authenticity import index_key

LOG = logging.getLogger("assistant.index")
MAX_SHARDS = 16
FLUSH_EVERY = 512  # new vectors per shard while building
CALL_SIZE = 128  # texts handed to the model at a time (the progress bar moves this often)
KEEP_MODELS = 2  # caches of other models (an earlier version of the weights) kept besides this one


def digest(identity: str, text: str) -> bytes:
    return hashlib.sha256(identity.encode() + b"\0" + text.encode("utf-8", "surrogatepass")).digest()[:16]


class EmbeddingCache:
    def __init__(self, root: Path, identity: str):
        self.identity = identity
        self.folder = root / hashlib.sha256(identity.encode()).hexdigest()[:16]
        self._key = index_key()
        self._vectors: dict[bytes, np.ndarray] = {}
        self._pending: list[tuple[bytes, np.ndarray]] = []
        self._shards = self._load()

    def __len__(self) -> int:
        return len(self._vectors)

    def holds(self, text: str) -> bool:
        return digest(self.identity, text) in self._vectors

    def get(self, key: bytes) -> np.ndarray | None:
        return self._vectors.get(key)

    def put(self, key: bytes, vector: np.ndarray) -> None:
        self._vectors[key] = vector
        self._pending.append((key, vector))
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the new vectors as one shard; merge the shards when there are many."""
        if not self._pending:
            return
        keys = np.frombuffer(b"".join(k for k, _ in self._pending), dtype=np.uint8).reshape(-1, 16)
        self._write(keys, np.stack([v for _, v in self._pending]).astype(np.float32))
        self._pending = []
        if self._shards > MAX_SHARDS:
            self._compact()

    def _write(self, keys: np.ndarray, vectors: np.ndarray, name: str | None = None) -> Path:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = name or f"{time.time_ns():020d}-{secrets.token_hex(3)}.npz"
            partial = self.folder / f".{name}.{os.getpid()}.partial"
            with partial.open("wb") as handle:
                np.savez(handle, keys=keys, vectors=vectors, mac=np.frombuffer(self._mac(keys, vectors), np.uint8))
            os.replace(partial, self.folder / name)
            self._shards += 1
            return self.folder / name
        except OSError as exc:  # a read-only index: vectors are only kept for this run
            LOG.warning("không ghi được bộ nhớ đệm véc-tơ vào %s (%s)", self.folder, exc.strerror)
            return self.folder / (name or "")

    def _mac(self, keys: np.ndarray, vectors: np.ndarray) -> bytes:
        if self._key is None:
            return b""
        return hmac.new(self._key, self.identity.encode() + keys.tobytes() + vectors.tobytes(), "sha256").digest()

    def _load(self) -> int:
        shards = sorted(self.folder.glob("*.npz")) if self.folder.is_dir() else []
        for shard in shards:
            try:
                with np.load(shard, allow_pickle=False) as data:
                    keys, vectors, mac = data["keys"], data["vectors"], data["mac"].tobytes()
            except (OSError, ValueError, KeyError) as exc:
                LOG.warning("bỏ qua phần bộ nhớ đệm véc-tơ hỏng %s (%s)", shard.name, type(exc).__name__)
                continue
            if self._key is not None and not hmac.compare_digest(mac, self._mac(keys, vectors)):
                LOG.warning("bỏ qua phần bộ nhớ đệm véc-tơ %s: sai chữ ký HMAC (ASSISTANT_INDEX_KEY)", shard.name)
                continue
            for key, vector in zip(keys, vectors):
                self._vectors[key.tobytes()] = vector
        return len(shards)

    def _compact(self) -> None:
        old = sorted(self.folder.glob("*.npz"))
        keys = np.frombuffer(b"".join(self._vectors), dtype=np.uint8).reshape(-1, 16)
        merged = self._write(keys, np.stack(list(self._vectors.values())).astype(np.float32))
        for shard in old:
            if shard != merged:
                shard.unlink(missing_ok=True)
        self._shards = 1
        self._prune_other_models()

    def _prune_other_models(self) -> None:
        others = sorted((p for p in self.folder.parent.iterdir() if p.is_dir() and p != self.folder),
                        key=lambda p: p.stat().st_mtime)
        for folder in others[:-KEEP_MODELS] if KEEP_MODELS else others:
            shutil.rmtree(folder, ignore_errors=True)


def embed_cached(embedder, texts: list[str], cache: EmbeddingCache | None, progress: bool = False,
                 label: str = "Nhúng văn bản") -> np.ndarray:
    """Vectors of `texts` (passages), embedding only those the cache does not hold, each
    distinct text once; a progress bar with an ETA counts the texts embedded."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    keys = [digest(cache.identity, t) for t in texts] if cache is not None else [t.encode() for t in texts]
    found = {k: cache.get(k) for k in set(keys)} if cache is not None else {}
    missing = list(dict.fromkeys(t for t, k in zip(texts, keys) if found.get(k) is None))
    computed = _embed(embedder, missing, progress, label, lambda text, vector: _keep(cache, found, text, vector))
    if cache is not None:
        cache.flush()
    else:
        found.update({t.encode(): v for t, v in computed.items()})
    return np.stack([found[k] for k in keys]).astype(np.float32)


def _keep(cache: EmbeddingCache | None, found: dict, text: str, vector: np.ndarray) -> None:
    if cache is not None:
        key = digest(cache.identity, text)
        cache.put(key, vector)
        found[key] = vector


def _embed(embedder, texts: list[str], progress: bool, label: str,
           keep: Callable[[str, np.ndarray], None]) -> dict[str, np.ndarray]:
    """Embed in calls of CALL_SIZE texts, longest first (a batch pads to its longest)."""
    done: dict[str, np.ndarray] = {}
    if not texts:
        return done
    ordered = sorted(texts, key=len, reverse=True)
    bar = _bar(sum(map(len, ordered)), label) if progress else None
    try:
        for at in range(0, len(ordered), CALL_SIZE):
            part = ordered[at:at + CALL_SIZE]
            for text, vector in zip(part, embedder.embed_passages(part)):
                done[text] = vector
                keep(text, vector)
            if bar is not None:
                bar.update(sum(map(len, part)))
    finally:
        if bar is not None:
            bar.close()
    return done


def _bar(total: int, label: str):
    from tqdm import tqdm

    # counted in characters, which the model's time follows, so the ETA holds although the
    # longest texts go first
    return tqdm(total=total, desc=label, unit=" ký tự", unit_scale=True, mininterval=1.0, smoothing=0.1,
                dynamic_ncols=True)
