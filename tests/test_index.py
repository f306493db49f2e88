import json

import pytest

from assistant.engine import ensure_index
from assistant.errors import CorpusError, IndexError_
from assistant.index.store import build_index, load_index, staleness


def test_build_writes_a_folder_you_can_open(settings, fake_embedder):
    report = build_index(settings, fake_embedder)
    assert (report.documents, report.problems) == (2, ())
    names = {p.name for p in settings.index_dir.iterdir()}
    assert {"manifest.json", "documents.jsonl", "chunks.jsonl", "vectors.faiss", "lexical", "accents.json"} <= names
    manifest = json.loads((settings.index_dir / "manifest.json").read_text())
    assert manifest["model"] == settings.model and manifest["chunks"] == report.chunks
    index = load_index(settings)
    assert index.vectors.ntotal == len(index.chunks) == report.chunks


def test_staleness_names_what_changed(settings, fake_embedder, corpus_dir):
    assert staleness(settings) == f"chưa có chỉ mục trong {settings.index_dir}"
    build_index(settings, fake_embedder)
    assert staleness(settings) is None
    (corpus_dir / "ninh-thuan-test.txt").write_text("KẾ HOẠCH\n\nđã sửa\n", encoding="utf-8")
    assert staleness(settings) == f"các văn bản trong {corpus_dir} đã thay đổi"
    assert staleness(settings.__class__.from_env({}, corpus_dir=corpus_dir, index_dir=settings.index_dir,
                                                 chunk_size=500)).startswith("thiết lập chunk_size đã thay đổi")


def test_a_damaged_index_is_rebuilt(settings, fake_embedder):
    build_index(settings, fake_embedder)
    (settings.index_dir / "chunks.jsonl").write_text("{broken", encoding="utf-8")
    with pytest.raises(IndexError_, match="bị hỏng"):
        load_index(settings)
    messages = []
    index = ensure_index(settings, fake_embedder, log=messages.append)
    assert len(index.chunks) > 0 and messages[0].startswith("Đang xây dựng chỉ mục: chỉ mục trong")


def test_a_missing_index_without_a_corpus_says_how_to_fix_it(tmp_path, fake_embedder, settings):
    bare = settings.__class__.from_env({}, corpus_dir=tmp_path / "none", index_dir=tmp_path / "none-index")
    with pytest.raises(IndexError_) as error:
        ensure_index(bare, fake_embedder)
    assert str(error.value) == (f"chưa có chỉ mục trong {tmp_path / 'none-index'}; không có thư mục văn bản "
                                f"{tmp_path / 'none'} để xây dựng lại (đặt bằng --corpus hoặc ASSISTANT_CORPUS_DIR)")


def test_an_index_is_used_as_is_when_its_corpus_is_not_here(settings, fake_embedder, tmp_path):
    build_index(settings, fake_embedder)
    elsewhere = settings.__class__.from_env({}, corpus_dir=tmp_path / "gone", index_dir=settings.index_dir,
                                            chunk_size=settings.chunk_size)
    assert len(ensure_index(elsewhere, fake_embedder).documents) == 2


def test_a_corpus_with_no_usable_document(tmp_path, fake_embedder, settings):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    bad = settings.__class__.from_env({}, corpus_dir=folder, index_dir=tmp_path / "i")
    with pytest.raises(CorpusError) as error:
        build_index(bad, fake_embedder)
    assert str(error.value) == (f"không có văn bản .txt dùng được trong {folder}: "
                                "tệp empty.txt trống nên không được đưa vào chỉ mục")


def test_a_failed_build_leaves_the_old_index_in_place(settings, fake_embedder):
    build_index(settings, fake_embedder)

    class Broken:
        def embed_passages(self, texts, progress=False):
            raise RuntimeError("out of memory")

    with pytest.raises(RuntimeError):
        build_index(settings, Broken())
    assert load_index(settings).chunks
    assert not [p for p in settings.index_dir.parent.iterdir() if "building" in p.name]


def test_an_index_built_by_other_code_is_stale(settings, fake_embedder, monkeypatch):
    from assistant.index import store as index_module

    build_index(settings, fake_embedder)
    monkeypatch.setattr(index_module, "code_hash", lambda: "0" * 16)
    assert staleness(settings) == "chỉ mục được xây dựng bởi phiên bản khác của trợ lý"
