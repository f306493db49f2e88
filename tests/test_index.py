import json
from pathlib import Path

import pytest

from assistant.engine import ensure_index
from assistant.errors import CorpusError, IndexError_
from assistant.index import versions
from assistant.index.store import bind_corpus, build_index, load_index, read_manifest, recorded_corpus, staleness
from assistant.settings import Settings


def test_build_writes_a_folder_you_can_open(settings, fake_embedder):
    report = build_index(settings, fake_embedder)
    assert (report.documents, report.problems) == (2, ())
    folder = settings.index_dir / "versions" / (settings.index_dir / "CURRENT").read_text().strip()
    names = {p.name for p in folder.iterdir()}
    assert {"manifest.json", "documents.jsonl", "chunks.jsonl", "vectors.faiss", "lexical", "accents.json"} <= names
    manifest = json.loads((folder / "manifest.json").read_text())
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
    (versions.current(settings.index_dir) / "chunks.jsonl").write_text("{broken", encoding="utf-8")
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
    moved = tmp_path / "moved"
    build_index(settings, fake_embedder)
    settings.corpus_dir.rename(moved)  # the folder it was built from is gone
    unbound = settings.__class__.from_env({}, index_dir=settings.index_dir, chunk_size=settings.chunk_size)
    bound = bind_corpus(unbound)
    assert bound.corpus_dir == settings.corpus_dir.resolve()
    assert len(ensure_index(bound, fake_embedder).documents) == 2


def test_a_corpus_with_no_usable_document(tmp_path, fake_embedder, settings):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    bad = settings.__class__.from_env({}, corpus_dir=folder, index_dir=tmp_path / "i")
    with pytest.raises(CorpusError) as error:
        build_index(bad, fake_embedder)
    assert str(error.value) == (f"không có văn bản dùng được trong {folder}: "
                                "tệp empty.txt trống nên không được đưa vào chỉ mục")


def test_a_failed_build_leaves_the_old_index_in_place(settings, fake_embedder):
    build_index(settings, fake_embedder)

    class Broken:
        def embed_passages(self, texts, progress=False):
            raise RuntimeError("out of memory")

    with pytest.raises(RuntimeError):
        build_index(settings, Broken())
    assert load_index(settings).chunks
    assert [p.name for p in (settings.index_dir / "versions").iterdir()] == [settings.index_dir.joinpath(
        "CURRENT").read_text().strip()]  # no staging folder is left behind


def test_an_index_built_by_other_code_is_stale(settings, fake_embedder, monkeypatch):
    from assistant.index import store as index_module

    build_index(settings, fake_embedder)
    monkeypatch.setattr(index_module, "code_hash", lambda: "0" * 16)
    assert staleness(settings) == "chỉ mục được xây dựng bởi phiên bản khác của trợ lý"


def test_the_manifest_records_the_corpus_as_given_and_resolved(settings, fake_embedder):
    build_index(settings, fake_embedder)
    manifest = read_manifest(settings.index_dir)
    assert manifest["corpus_dir"] == str(settings.corpus_dir)
    assert manifest["corpus_dir_resolved"] == str(settings.corpus_dir.resolve())
    assert recorded_corpus(settings.index_dir) == settings.corpus_dir.resolve()


def test_an_index_without_a_corpus_given_uses_its_own(settings, fake_embedder, tmp_path, monkeypatch):
    build_index(settings, fake_embedder)
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "corpus").mkdir(parents=True)  # a folder with a corpus/ of its own
    (elsewhere / "corpus" / "other.txt").write_text("KẾ HOẠCH\n\nVăn bản khác hẳn.\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    bound = bind_corpus(settings.__class__.from_env({}, index_dir=settings.index_dir))
    assert bound.corpus_dir == settings.corpus_dir.resolve()


def test_a_new_index_without_a_corpus_given_uses_corpus_here(tmp_path):
    bound = bind_corpus(Settings.from_env({}, index_dir=tmp_path / "new-index"))
    assert bound.corpus_dir == Path("corpus")


def test_another_corpus_given_is_an_error_naming_both(settings, fake_embedder, tmp_path):
    build_index(settings, fake_embedder)
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(IndexError_) as error:
        bind_corpus(Settings.from_env({}, corpus_dir=other, index_dir=settings.index_dir))
    assert str(error.value) == (
        f"chỉ mục {settings.index_dir} được xây dựng từ thư mục {settings.corpus_dir.resolve()}, không phải "
        f"{other.resolve()}; bỏ --corpus để dùng thư mục của chỉ mục, chọn chỉ mục khác bằng --index, hoặc chạy "
        f"`assistant build --corpus {other} --index {settings.index_dir}` để xây dựng lại từ {other}")
    rebinding = bind_corpus(Settings.from_env({}, corpus_dir=other, index_dir=settings.index_dir), rebuilding=True)
    assert rebinding.corpus_dir == other


def test_a_stale_index_is_rebuilt_from_its_own_corpus(settings, fake_embedder, tmp_path, monkeypatch):
    from assistant.engine import Assistant

    build_index(settings, fake_embedder)
    (settings.corpus_dir / "ninh-thuan-test.txt").unlink()  # the index's corpus changed
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "corpus").mkdir(parents=True)
    (elsewhere / "corpus" / "other.txt").write_text("KẾ HOẠCH\n\nVăn bản khác hẳn.\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    unbound = Settings.from_env({}, index_dir=settings.index_dir, chunk_size=settings.chunk_size)
    rebuilt = Assistant.open(unbound, embedder=fake_embedder, warm=False)
    assert list(rebuilt.index.documents) == ["bac-giang-test"]
