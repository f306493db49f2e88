"""The index folder: versions switched atomically, files verified against the hashes
in the manifest, and the operator's mistakes reported up front in one line."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import cli, engine
from assistant.engine import Assistant, ensure_index
from assistant.errors import IndexError_
from assistant.index import versions
from assistant.index.store import build_index, load_index, read_manifest

from .conftest import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]

_KILLED_BUILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from assistant.index import store
from assistant.settings import Settings
from tests.conftest import FakeEmbedder

def stall(texts):  # the new version's vectors and passages are written: stop here
    Path({marker!r}).write_text("writing")
    time.sleep(60)

store.AccentRestorer.build = staticmethod(stall)
settings = Settings.from_env({{}}, corpus_dir=Path({corpus!r}), index_dir=Path({index!r}), chunk_size=400)
store.build_index(settings, FakeEmbedder())
"""


def test_a_build_killed_halfway_leaves_the_previous_version_in_use(settings, fake_embedder, tmp_path):
    build_index(settings, fake_embedder)
    before = versions.current_id(settings.index_dir)
    (settings.corpus_dir / "ninh-thuan-test.txt").unlink()  # the killed build would drop a document
    marker = tmp_path / "marker"
    script = _KILLED_BUILD.format(root=str(ROOT), marker=str(marker), corpus=str(settings.corpus_dir),
                                  index=str(settings.index_dir))
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists()
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    staged = [p.name for p in (settings.index_dir / "versions").iterdir() if p.name.startswith(".staging-")]
    assert len(staged) == 1  # half a version, never pointed to
    assert versions.current_id(settings.index_dir) == before
    assert set(load_index(settings, allow_stale=True).documents) == {"ninh-thuan-test", "bac-giang-test"}
    build_index(settings, fake_embedder)  # the next writer clears what the killed one left
    assert [p.name for p in (settings.index_dir / "versions").iterdir() if p.name.startswith(".")] == []


def test_old_versions_are_pruned(settings, fake_embedder):
    for _ in range(versions.KEEP + 2):
        build_index(settings, fake_embedder)
    kept = sorted(p.name for p in (settings.index_dir / "versions").iterdir())
    assert len(kept) == versions.KEEP and kept[-1] == versions.current_id(settings.index_dir)


def test_the_manifest_lists_a_hash_for_every_file(settings, fake_embedder):
    build_index(settings, fake_embedder)
    files = read_manifest(settings.index_dir)["files"]
    folder = versions.current(settings.index_dir)
    assert set(files) == {p.relative_to(folder).as_posix() for p in folder.rglob("*")
                          if p.is_file() and p.name != "manifest.json"}
    assert all(len(f["sha256"]) == 64 for f in files.values())


def test_scrambled_vectors_of_the_same_size_are_caught_and_rebuilt(settings, fake_embedder):
    build_index(settings, fake_embedder)
    vectors = versions.current(settings.index_dir) / "vectors.faiss"
    data = bytearray(vectors.read_bytes())
    data[-200:] = bytes(reversed(data[-200:]))
    vectors.write_bytes(bytes(data))
    with pytest.raises(IndexError_) as error:
        load_index(settings)
    assert str(error.value) == (f"chỉ mục trong {settings.index_dir} bị hỏng: tệp vectors.faiss đã bị thay đổi "
                                "(mã băm SHA-256 không khớp); hãy chạy `assistant build` để xây dựng lại")
    messages = []
    ensure_index(settings, fake_embedder, log=messages.append)
    assert messages == [f"Đang xây dựng chỉ mục: {error.value}"]
    assert load_index(settings).vectors.ntotal > 0


def test_an_edited_passage_is_never_served(settings, fake_embedder, tmp_path):
    build_index(settings, fake_embedder)
    chunks = versions.current(settings.index_dir) / "chunks.jsonl"
    chunks.write_text(chunks.read_text(encoding="utf-8").replace("Sở Nội vụ", "Sở Giả Mạo"), encoding="utf-8")
    shutil.move(settings.corpus_dir, tmp_path / "gone")  # no corpus to rebuild from: a clear error
    with pytest.raises(IndexError_, match="tệp chunks.jsonl đã bị thay đổi"):
        Assistant.open(settings, embedder=fake_embedder, warm=False)
    shutil.move(tmp_path / "gone", settings.corpus_dir)  # with the corpus: rebuilt, the real text served
    answer = Assistant.open(settings, embedder=fake_embedder, warm=False).ask("Ai chịu trách nhiệm khen thưởng?")
    assert "Sở Nội vụ" in answer.answer and "Giả Mạo" not in answer.answer


def test_operator_mistakes_in_the_corpus_are_named_and_skipped(settings, fake_embedder, monkeypatch, capsys):
    corpus = settings.corpus_dir
    (corpus / "thu-muc.txt").mkdir()
    (corpus / "mat.txt").symlink_to(corpus / "khong-con.txt")
    (corpus / "bac-giang-test.meta.json").write_text('["không phải đối tượng"]', encoding="utf-8")
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda s: FakeEmbedder())
    code = cli.main(["ask", "Ai chịu trách nhiệm khen thưởng?", "--corpus", str(corpus),
                     "--index", str(settings.index_dir)])
    err = capsys.readouterr().err
    assert code == 0 and "lỗi nội bộ" not in err
    assert err.splitlines()[1:] == [
        f"Bỏ qua: mat.txt là liên kết tới tệp không còn tồn tại ({corpus / 'khong-con.txt'})",
        "Bỏ qua: thu-muc.txt là một thư mục, không phải tệp văn bản",
        "Bỏ qua: tệp bac-giang-test.meta.json phải là một đối tượng JSON ({\"province\": \"gia-lai\", …}), không "
        "phải list; các trường được phép: province, issuer, kind, number, symbol, date, title, signer, "
        "signer_title, implements, replaces, recipients",
    ]
    assert cli.main(["ask", "Ai ký?", "--corpus", str(corpus), "--index", str(settings.index_dir)]) == 0
    assert capsys.readouterr().err == ""  # the index is current: nothing rebuilt, nothing to report


def test_an_unwritable_index_folder_is_reported_before_embedding(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    embedder = FakeEmbedder()
    bad = settings.__class__.from_env({}, corpus_dir=settings.corpus_dir, index_dir=blocker / "index")
    with pytest.raises(IndexError_) as error:
        build_index(bad, embedder)
    assert str(error.value).startswith(f"không ghi được chỉ mục vào {blocker / 'index'} (")
    assert embedder.calls == 0


@pytest.fixture
def read_only():
    """Make folders read-only for this process, even as root (chattr +i)."""
    changed = []

    def make(*folders: Path) -> None:
        for folder in folders:
            folder.chmod(0o555)
            changed.append(folder)
        if os.access(folders[0], os.W_OK):  # root ignores modes; the immutable flag holds for root too
            for folder in folders:
                if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
                    pytest.skip("cannot make a folder read-only on this machine")

    yield make
    for folder in changed:
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


def test_a_stale_index_in_a_read_only_folder_is_used_with_a_warning(settings, fake_embedder, read_only):
    build_index(settings, fake_embedder)
    (settings.corpus_dir / "bac-giang-test.txt").write_text("KẾ HOẠCH\n\nđã sửa\n", encoding="utf-8")
    read_only(settings.index_dir, settings.index_dir / "versions")
    messages = []
    index = ensure_index(settings, fake_embedder, log=messages.append)
    assert set(index.documents) == {"ninh-thuan-test", "bac-giang-test"}
    assert messages == [f"Cảnh báo: các văn bản trong {settings.corpus_dir} đã thay đổi, nhưng không ghi được vào "
                        f"{settings.index_dir}; dùng chỉ mục hiện có (xây dựng ngày {index.manifest['built_at']})"]


def test_an_index_written_before_versions_is_rebuilt_into_one(settings, fake_embedder):
    import json

    build_index(settings, fake_embedder)
    folder = versions.current(settings.index_dir)
    for path in folder.iterdir():  # the layout of earlier releases: the files in the index folder itself
        shutil.move(path, settings.index_dir / path.name)
    shutil.rmtree(settings.index_dir / "versions")
    (settings.index_dir / "CURRENT").unlink()
    manifest = json.loads((settings.index_dir / "manifest.json").read_text(encoding="utf-8"))
    (settings.index_dir / "manifest.json").write_text(json.dumps({**manifest, "format_version": 5}), encoding="utf-8")
    assert read_manifest(settings.index_dir)["format_version"] == 5  # still found, and its corpus remembered
    messages = []
    ensure_index(settings, fake_embedder, log=messages.append)
    assert messages == ["Đang xây dựng chỉ mục: chỉ mục được xây dựng bởi phiên bản khác của trợ lý"]
    assert sorted(p.name for p in settings.index_dir.iterdir() if not p.name.startswith(".")) == [
        "CURRENT", "embedding-cache", "versions"]  # and the vectors by text, shared by the versions
