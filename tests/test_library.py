"""`assistant add` and `assistant remove`: only new documents are embedded, the others
keep their stored vectors, and nothing is lost when a file cannot be read."""

import json
from pathlib import Path

import numpy as np
import pytest

from assistant import cli, engine
from assistant.engine import Assistant, add_documents, remove_document
from assistant.errors import UnknownDocumentError, UnknownProvinceError
from assistant.index import versions
from assistant.index.sentences import sentence_texts
from assistant.index.store import build_index, load_index

from .conftest import FakeEmbedder
from .samples import PLAN_A

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
NEW_PLAN = FIXTURES / "tuyen-quang-ubnd-thcbks-2024.docx"


class CountingEmbedder(FakeEmbedder):
    def __init__(self):
        super().__init__()
        self.passages = 0

    def embed_passages(self, texts, progress=False):
        self.passages += len(texts)
        return super().embed_passages(texts, progress)


def _vectors_by_doc(index) -> dict[str, np.ndarray]:
    stored = index.vectors.reconstruct_n(0, index.vectors.ntotal)
    rows = {}
    for chunk in index.chunks:
        rows.setdefault(chunk.doc_id, []).append(stored[chunk.chunk_id])
    return {doc_id: np.stack(r) for doc_id, r in rows.items()}


@pytest.fixture
def built(settings, fake_embedder):
    build_index(settings, fake_embedder)
    return load_index(settings)


def test_add_embeds_only_the_new_document_and_keeps_the_others_vectors(settings, built):
    embedder = CountingEmbedder()
    report = add_documents(settings, [NEW_PLAN], embedder=embedder)
    index = load_index(settings)
    assert report.added == ((str(NEW_PLAN), "tuyen-quang-ubnd-thcbks-2024"),) and report.refused == ()
    new_chunks = [c for c in index.chunks if c.doc_id == "tuyen-quang-ubnd-thcbks-2024"]
    new_sentences = [row for row in index.sentences.rows if row[0] == "tuyen-quang-ubnd-thcbks-2024"]
    assert report.build.embedded == len(new_chunks) > 0
    document = index.documents["tuyen-quang-ubnd-thcbks-2024"]
    # what is embedded: each passage with its context, each sentence under its headings
    new_texts = {c.matching_text() for c in new_chunks} | set(sentence_texts(index.documents, new_chunks))
    old_texts = {c.matching_text() for c in built.chunks} | set(sentence_texts(built.documents, built.chunks))
    assert len(sentence_texts(index.documents, new_chunks)) == len(new_sentences)
    assert embedder.passages == len(new_texts - old_texts)  # each new text once, nothing of the other plans
    before, after = _vectors_by_doc(built), _vectors_by_doc(index)
    for doc_id in before:
        assert np.array_equal(before[doc_id], after[doc_id])
        kept = [built.sentences.vectors[i] for i, row in enumerate(built.sentences.rows) if row[0] == doc_id]
        now = [index.sentences.vectors[i] for i, row in enumerate(index.sentences.rows) if row[0] == doc_id]
        assert np.array_equal(np.array(kept), np.array(now))  # sentence vectors kept too
    document = index.documents["tuyen-quang-ubnd-thcbks-2024"]
    assert (document.format, document.source, document.province) == (
        "docx", "tuyen-quang-ubnd-thcbks-2024.docx", "tuyen-quang")
    assert (settings.corpus_dir / "tuyen-quang-ubnd-thcbks-2024.docx").read_bytes() == NEW_PLAN.read_bytes()
    assert [c.chunk_id for c in index.chunks] == list(range(len(index.chunks)))


def test_the_same_document_added_twice_is_recognised(settings, built, tmp_path):
    add_documents(settings, [NEW_PLAN], embedder=FakeEmbedder())
    version = versions.current_id(settings.index_dir)
    renamed = tmp_path / "ban-sao.docx"
    renamed.write_bytes(NEW_PLAN.read_bytes())
    report = add_documents(settings, [renamed], embedder=FakeEmbedder())
    assert report.build is None and report.refused == (
        "tệp ban-sao.docx đã có trong bộ văn bản (văn bản «tuyen-quang-ubnd-thcbks-2024», cùng mã băm nội dung "
        "SHA-256); không thêm lại",)
    same_text = tmp_path / "Kế hoạch Ninh Thuận.txt"  # another file, the same text as a plan already there
    same_text.write_text(PLAN_A + "\n", encoding="utf-8")
    report = add_documents(settings, [same_text], embedder=FakeEmbedder())
    assert report.refused == ("tệp Kế hoạch Ninh Thuận.txt có nội dung trùng với văn bản «ninh-thuan-test» đã có "
                              "(cùng toàn văn); không thêm lại",)
    assert versions.current_id(settings.index_dir) == version
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == [
        "bac-giang-test.txt", "ninh-thuan-test.txt", "tuyen-quang-ubnd-thcbks-2024.docx"]


def test_a_file_repeated_within_one_add_is_added_once(settings, built, tmp_path):
    copy = tmp_path / "ban-sao.docx"
    copy.write_bytes(NEW_PLAN.read_bytes())
    report = add_documents(settings, [NEW_PLAN, copy], embedder=FakeEmbedder())
    assert report.added == ((str(NEW_PLAN), "tuyen-quang-ubnd-thcbks-2024"),)
    assert report.refused == ("tệp ban-sao.docx đã có trong bộ văn bản (văn bản «tuyen-quang-ubnd-thcbks-2024», "
                              "cùng mã băm nội dung SHA-256); không thêm lại",)
    assert report.build is not None and report.build.added == ("tuyen-quang-ubnd-thcbks-2024",)


def test_a_file_that_cannot_be_read_is_named_and_nothing_else_changes(settings, built, tmp_path):
    broken = tmp_path / "Kế hoạch hỏng.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    good = tmp_path / "Công văn mới.txt"
    good.write_text("Số: 9/UBND-VX\n\nGia Lai, ngày 02 tháng 3 năm 2024\n\nV/v tổ chức hội nghị thông tin "
                    "đối ngoại\n\nSở Ngoại vụ chủ trì tổ chức hội nghị trong tháng 4.\n", encoding="utf-8")
    report = add_documents(settings, [broken, good], embedder=FakeEmbedder())
    assert len(report.refused) == 1 and report.refused[0].startswith(
        "tệp ke-hoach-hong.docx không phải tệp Word .docx đọc được")
    assert report.added == ((str(good), "cong-van-moi"),)
    assert not (settings.corpus_dir / "ke-hoach-hong.docx").exists()
    assert set(load_index(settings).documents) == {"ninh-thuan-test", "bac-giang-test", "cong-van-moi"}


def test_province_given_on_add_is_kept_in_a_sidecar(settings, built, tmp_path):
    note = tmp_path / "bao-cao.txt"
    note.write_text("BÁO CÁO\n\nKết quả công tác thông tin đối ngoại năm 2024.\n", encoding="utf-8")
    add_documents(settings, [note], province="gia-lai", embedder=FakeEmbedder())
    document = load_index(settings).documents["bao-cao"]
    assert (document.province, document.province_name, document.kind) == ("gia-lai", "Gia Lai", "báo cáo")
    assert json.loads((settings.corpus_dir / "bao-cao.meta.json").read_text()) == {"province": "gia-lai"}
    with pytest.raises(UnknownProvinceError, match="^không có tỉnh «atlantis»; các tỉnh: "):
        add_documents(settings, [note], province="atlantis", embedder=FakeEmbedder())


def test_remove_takes_a_document_out_without_embedding(settings, built):
    embedder = CountingEmbedder()
    report = remove_document(settings, "ninh-thuan-test", embedder=embedder)
    index = load_index(settings)
    assert (report.removed, embedder.calls) == (("ninh-thuan-test",), 0)
    assert set(index.documents) == {"bac-giang-test"}
    assert np.array_equal(_vectors_by_doc(built)["bac-giang-test"], _vectors_by_doc(index)["bac-giang-test"])
    aside = list((settings.corpus_dir / ".removed").iterdir())
    assert [p.name.split("-", 2)[-1] for p in aside] == ["ninh-thuan-test.txt"]  # kept, never deleted
    with pytest.raises(UnknownDocumentError, match="^không có văn bản «ninh-thuan-test» trong "):
        remove_document(settings, "ninh-thuan-test", embedder=embedder)


def test_an_assistant_opened_on_the_old_version_sees_the_new_one_when_asked(settings, built):
    assistant = Assistant(settings, built, FakeEmbedder())
    assert assistant.reloaded() is None
    add_documents(settings, [NEW_PLAN], embedder=FakeEmbedder())
    fresh = assistant.reloaded()
    assert "tuyen-quang-ubnd-thcbks-2024" in fresh.index.documents and fresh.embedder is assistant.embedder
    assert "tuyen-quang-ubnd-thcbks-2024" not in assistant.index.documents


def test_cli_add_show_and_remove(monkeypatch, settings, tmp_path, capsys):
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda s: FakeEmbedder())
    where = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    pdf = FIXTURES / "tuyen-quang-ubnd-thcbks-2024.pdf"
    assert cli.main(["add", str(pdf), *where]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Đã thêm {pdf} thành văn bản «tuyen-quang-ubnd-thcbks-2024».\nChỉ mục ")
    assert cli.main(["show", "tuyen-quang-ubnd-thcbks-2024", *where]) == 0
    shown = capsys.readouterr().out
    assert "format: pdf\n" in shown and "\npages: 1: 0–" in shown
    assert cli.main(["ask", "Tuyên Quang giao Sở Thông tin và Truyền thông làm gì?", "--json", *where]) == 0
    citation = json.loads(capsys.readouterr().out)["citations"][0]
    assert citation["doc_id"] == "tuyen-quang-ubnd-thcbks-2024" and citation["page"] in (1, 2, 3)
    assert cli.main(["remove", "tuyen-quang-ubnd-thcbks-2024", *where]) == 0
    assert capsys.readouterr().out.startswith("Đã gỡ văn bản «tuyen-quang-ubnd-thcbks-2024»")
    assert cli.main(["add", str(tmp_path / "khong-co.pdf"), *where]) == 1
    assert capsys.readouterr().err == f"Error: không tìm thấy tệp {tmp_path / 'khong-co.pdf'}\n"
