"""The embedding cache: a rebuild, or a new version after one change, embeds only new
text; vectors of other weights are never mixed in; a shard that fails its HMAC is not
used. The model's identity and its ONNX export are checked without loading a model."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from assistant.errors import ModelLoadError
from assistant.index import onnx_backend
from assistant.index.embedding import weights_digest
from assistant.index.embedding_cache import EmbeddingCache, embed_cached
from assistant.index.store import build_index, load_index
from assistant.index.library import add_files

from .conftest import FakeEmbedder
from .samples import PLAN_A


class Counting(FakeEmbedder):
    """The fake embedder, counting every text it is asked to embed."""

    def __init__(self, identity: str = "fake"):
        super().__init__()
        self.identity = identity
        self.texts: list[str] = []

    def embed_passages(self, texts, progress=False):
        self.texts += list(texts)
        return super().embed_passages(texts)


def test_a_rebuild_embeds_nothing_and_a_change_embeds_only_the_changed_document(settings, corpus_dir):
    first = Counting()
    report = build_index(settings, first)
    index = load_index(settings)
    assert report.embedded == len(index.chunks)
    assert len(first.texts) == len(set(first.texts)) == len(index.chunks) + len(index.sentences.rows) - \
        _repeated(index)
    again = Counting()
    assert build_index(settings, again).embedded == 0 and again.texts == []
    path = corpus_dir / "ninh-thuan-test.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nIV. BỔ SUNG\nSở Ngoại vụ theo dõi việc thực hiện.\n",
                    encoding="utf-8")
    changed = Counting()
    build_index(settings, changed)
    assert changed.texts and all("Sở Ngoại vụ theo dõi" in t or "BỔ SUNG" in t for t in changed.texts)
    assert np.array_equal(load_index(settings).vectors.reconstruct(0), index.vectors.reconstruct(0))


def _repeated(index) -> int:
    """Texts that occur twice among passages and sentences (embedded once)."""
    texts = [c.matching_text() for c in index.chunks] + \
        [index.documents[d].text[s:e] for d, s, e in index.sentences.rows]
    return len(texts) - len(set(texts))


def test_add_after_a_remove_embeds_nothing_already_seen(settings, corpus_dir, tmp_path):
    build_index(settings, Counting())
    extra = tmp_path / "cong-van.txt"
    # a plan of its own (a near copy of one already there would be refused as a copy)
    extra.write_text("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI\n\nSố: 99/KH-UBND\n\nKẾ HOẠCH\n\nI. NHIỆM VỤ\n"
                     "1. Xây dựng chuyên mục thông tin đối ngoại trên Cổng thông tin điện tử tỉnh.\n"
                     "- Đơn vị thực hiện: Văn phòng Ủy ban nhân dân tỉnh.\n"
                     "2. Tổ chức hội nghị báo chí định kỳ hằng quý cho phóng viên nước ngoài.\n"
                     "- Đơn vị thực hiện: Sở Ngoại vụ.\n", encoding="utf-8")
    adding = Counting()
    add_files(settings, [extra], adding)
    assert adding.texts  # new text: embedded once
    rebuilt = Counting()
    build_index(replace(settings, index_dir=settings.index_dir), rebuilt)
    assert rebuilt.texts == []


def test_other_weights_never_get_these_vectors(settings):
    build_index(settings, Counting("model-a"))
    other = Counting("model-b")
    build_index(settings, other)
    assert len(other.texts) > 0
    assert load_index(settings).manifest["embedder"] == "model-b"


def test_a_shard_that_fails_its_hmac_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_INDEX_KEY", "khóa bí mật")
    embedder = Counting()
    cache = EmbeddingCache(tmp_path, "fake")
    embed_cached(embedder, ["Sở Nội vụ chủ trì"], cache)
    assert len(EmbeddingCache(tmp_path, "fake")) == 1
    shard = next(cache.folder.glob("*.npz"))
    with np.load(shard) as data:
        parts = {k: data[k] for k in data.files}
    parts["vectors"] = parts["vectors"] * -1  # another vector for the same text
    with shard.open("wb") as handle:
        np.savez(handle, **parts)
    assert len(EmbeddingCache(tmp_path, "fake")) == 0
    monkeypatch.setenv("ASSISTANT_INDEX_KEY", "khóa khác")
    assert len(EmbeddingCache(tmp_path, "fake")) == 0


def test_the_progress_bar_shows_what_is_left_and_an_eta(tmp_path, capsys):
    embed_cached(Counting(), [f"đoạn văn số {n}" for n in range(300)], EmbeddingCache(tmp_path, "fake"),
                 progress=True)
    bar = capsys.readouterr().err
    assert "Nhúng văn bản: 100%" in bar and "ký tự" in bar and "<00:00" in bar


def test_the_weights_digest_follows_the_files_content(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.json").write_text("{}")
    (model / "model.safetensors").write_bytes(b"weights one")
    settings = replace(_settings(tmp_path), model=str(model))
    first = weights_digest(settings)
    assert weights_digest(settings) == first
    (model / "model.safetensors").write_bytes(b"weights two")
    assert weights_digest(settings) != first
    (model / "adapter").mkdir()
    (model / "adapter" / "adapter_model.safetensors").write_bytes(b"lora")
    assert len({first, weights_digest(settings)}) == 2


def test_a_missing_or_stale_export_is_a_clear_error(tmp_path):
    folder = tmp_path / "onnx" / "abc"
    with pytest.raises(ModelLoadError, match="chưa có bản ONNX .*assistant export-model"):
        onnx_backend.check_export(folder, "abc", "onnx-int8")
    folder.mkdir(parents=True)
    (folder / onnx_backend.GRAPHS["onnx-int8"]).write_bytes(b"")
    (folder / onnx_backend.RECORD).write_text(json.dumps({"identity": "old", "format": onnx_backend.FORMAT}))
    with pytest.raises(ModelLoadError, match="được xuất từ trọng số khác"):
        onnx_backend.check_export(folder, "abc", "onnx-int8")


def _settings(tmp_path):
    from assistant.settings import Settings

    return Settings.from_env({}, model_cache=tmp_path / "cache")


@pytest.mark.e2e
def test_the_onnx_graphs_give_the_float_models_vectors():
    """The export made at setup: the float graph is the model itself, the int8 one close to it."""
    from assistant.index.embedding import SentenceTransformerEmbedder
    from assistant.settings import Settings

    texts = ["Sở Nội vụ chủ trì, phối hợp tổ chức khen thưởng hằng năm…", "Thời gian thực hiện: năm 2024"]
    vectors = {backend: SentenceTransformerEmbedder(Settings.from_env(embedding_backend=backend)).embed_passages(texts)
               for backend in ("torch", "onnx", "onnx-int8")}
    assert np.sum(vectors["torch"] * vectors["onnx"], axis=1).min() > 0.9999
    assert np.sum(vectors["torch"] * vectors["onnx-int8"], axis=1).min() > 0.98


def _model_and_adapter(root):
    model, adapter = root / "model", root / "adapter"
    model.mkdir(parents=True)
    adapter.mkdir()
    (model / "config.json").write_text("{}")
    (model / "model.safetensors").write_bytes(b"weights")
    (adapter / "adapter_config.json").write_text('{"r": 16}')
    (adapter / "adapter_model.safetensors").write_bytes(b"lora")
    return model, adapter


def test_the_weights_digest_does_not_depend_on_where_the_files_lie(tmp_path):
    """CI checks out under /check while the model cache stays under the home folder: the
    digest an intent model was trained against must be the one the assistant computes there."""
    digests = []
    for place, cache in (("a-checkout", "z-cache"), ("z-checkout", "a-cache")):  # opposite path orders
        model, adapter = _model_and_adapter(tmp_path / place)
        settings = replace(_settings(tmp_path / cache), model=str(model), encoder_adapter=str(adapter))
        digests.append(weights_digest(settings))
    assert digests[0] == digests[1]
    (adapter / "adapter_model.safetensors").write_bytes(b"other lora")
    assert weights_digest(settings) != digests[1]
