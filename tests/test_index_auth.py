"""An authenticated index: the attacks of issue 19, each reproduced on the files.

- documents.jsonl and chunks.jsonl edited together ("Sở Tài vụ" for "Sở Nội vụ") with the
  manifest's hashes recomputed: refused against the corpus's own files, and by the
  manifest's HMAC when ASSISTANT_INDEX_KEY is set;
- permuted vectors with a recomputed hash: refused by the HMAC;
- a copy of a version carrying the other's manifest: refused;
- CURRENT put back to an older version: a reload loads it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import faiss
import numpy as np
import pytest

from assistant.engine import Assistant
from assistant.errors import IndexError_
from assistant.index import versions
from assistant.index.store import build_index, load_index
from assistant.serve.api import create_app
from assistant.serve.reload import IndexWatcher

from .conftest import FakeEmbedder

KEY = "ASSISTANT_INDEX_KEY"


def _folder(settings) -> Path:
    return versions.current(settings.index_dir)


def _rehash(folder: Path) -> None:
    """What an attacker does after editing files: recompute the manifest's hashes."""
    manifest = json.loads((folder / versions.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"] = versions.record_files(folder)
    (folder / versions.MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def _fake_agency(folder: Path) -> None:
    for name in ("documents.jsonl", "chunks.jsonl"):
        path = folder / name
        path.write_text(path.read_text(encoding="utf-8").replace("Sở Nội vụ", "Sở Tài vụ"), encoding="utf-8")
    _rehash(folder)


def test_edited_texts_with_recomputed_hashes_are_refused_against_the_corpus(settings):
    build_index(settings, FakeEmbedder())
    _fake_agency(_folder(settings))
    assistant = Assistant(settings, load_index(settings, allow_stale=True), FakeEmbedder())  # the files hash fine
    with pytest.raises(IndexError_, match="toàn văn của văn bản .* khác với tệp nguồn"):
        create_app(settings, assistant)


def test_a_source_file_that_is_not_the_one_recorded_is_refused(settings):
    build_index(settings, FakeEmbedder())
    folder = _folder(settings)
    path = folder / "documents.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"sha256": "', '"sha256": "0'), encoding="utf-8")
    _rehash(folder)
    assistant = Assistant(settings, load_index(settings, allow_stale=True), FakeEmbedder())
    with pytest.raises(IndexError_, match="mã băm SHA-256 khác"):
        create_app(settings, assistant)


@pytest.mark.parametrize("attack", ["texts", "vectors"])
def test_with_a_key_a_version_that_fails_its_hmac_is_refused(settings, monkeypatch, tmp_path, attack):
    key = tmp_path / "secret" / "index.key"
    key.parent.mkdir()
    key.write_text("một khóa dài và bí mật\n")
    monkeypatch.setenv(KEY, str(key))
    build_index(settings, FakeEmbedder())
    assert load_index(settings).manifest["hmac"]
    folder = _folder(settings)
    if attack == "texts":
        _fake_agency(folder)
    else:
        vectors = faiss.read_index(str(folder / "vectors.faiss"))
        stored = vectors.reconstruct_n(0, vectors.ntotal)
        permuted = faiss.IndexFlatIP(stored.shape[1])
        permuted.add(np.ascontiguousarray(stored[::-1]))
        faiss.write_index(permuted, str(folder / "vectors.faiss"))
        _rehash(folder)
    with pytest.raises(IndexError_, match="chữ ký HMAC của manifest.json không khớp khóa ASSISTANT_INDEX_KEY"):
        load_index(settings)


def test_with_a_key_an_unsigned_version_is_refused_and_a_key_in_the_index_folder_too(settings, monkeypatch):
    build_index(settings, FakeEmbedder())  # no key: unsigned
    monkeypatch.setenv(KEY, "khóa")
    with pytest.raises(IndexError_, match="không có chữ ký HMAC"):
        load_index(settings)
    inside = settings.index_dir / "index.key"
    inside.write_text("khóa")
    monkeypatch.setenv(KEY, str(inside))
    with pytest.raises(IndexError_, match="nằm trong thư mục chỉ mục"):
        load_index(settings)


def test_a_copy_carrying_another_versions_manifest_is_refused(settings):
    build_index(settings, FakeEmbedder())
    original = _folder(settings)
    copy = original.parent / versions.new_version()
    copy.mkdir()
    for path in original.rglob("*"):
        target = copy / path.relative_to(original)
        target.mkdir(exist_ok=True) if path.is_dir() else target.write_bytes(path.read_bytes())
    (settings.index_dir / versions.CURRENT).write_text(copy.name)
    with pytest.raises(IndexError_, match=f"phiên bản {copy.name} mang manifest của phiên bản {original.name}"):
        load_index(settings)


def test_a_reload_follows_current_back_to_an_older_version(settings):
    build_index(settings, FakeEmbedder())
    older = versions.current_id(settings.index_dir)
    (settings.corpus_dir / "ninh-thuan-test.txt").unlink()
    build_index(settings, FakeEmbedder())
    state = {"assistant": Assistant.open(settings, embedder=FakeEmbedder(), warm=False)}
    newer = state["assistant"].index.version
    assert newer != older and "ninh-thuan-test" not in state["assistant"].index.documents
    watcher = IndexWatcher(state, replace(settings, reload_seconds=0))
    (settings.index_dir / versions.CURRENT).write_text(older + "\n")
    assert watcher.check() is True
    assert state["assistant"].index.version == older
    assert "ninh-thuan-test" in state["assistant"].index.documents
