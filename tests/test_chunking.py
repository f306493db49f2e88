from assistant.index.chunking import _MIN_PASSAGE_CHARS, chunk_documents
from assistant.ingest.documents import parse_document
from assistant.ingest.text import clean_document

from .samples import PLAN_A, PLAN_B


def _chunks(chunk_size=400):
    docs = [parse_document("a", clean_document(PLAN_A)), parse_document("b", clean_document(PLAN_B))]
    return docs, chunk_documents(docs, chunk_size)


def test_every_chunk_is_the_document_text_at_its_offsets():
    docs, chunks = _chunks()
    texts = {d.doc_id: d.text for d in docs}
    assert chunks and all(texts[c.doc_id][c.start:c.end] == c.text for c in chunks)


def test_chunks_stay_inside_one_section_and_carry_its_fields():
    _, chunks = _chunks()
    task = next(c for c in chunks if c.section == "II › 1 › 1.1")
    assert task.text.startswith("1.1. Kịp thời khen thưởng") and "1.2." not in task.text
    assert task.field("lead").value == "Sở Nội vụ."
    assert task.context == "Ninh Thuận › II. CÁC NHÓM NHIỆM VỤ › 1. Công tác phối hợp › 1.1. Kịp thời khen " \
                           "thưởng các tổ chức, cá nhân có đóng góp cho công tác quảng bá hình ảnh của tỉnh."


def test_long_sections_are_cut_at_sentence_boundaries():
    sentence = "Tăng cường thông tin đối ngoại trên không gian mạng cho cán bộ. "
    text = "II. NHIỆM VỤ\n1. Nội dung\n" + sentence * 30 + "\n"
    doc = parse_document("c", clean_document(text))
    chunks = chunk_documents([doc], 300)
    assert len(chunks) > 3
    assert all(c.text.endswith(".") for c in chunks)
    assert all(c.text[0].isupper() or c.text[0].isdigit() for c in chunks)
    # a lone heading line shorter than 150 characters joins the passage after it
    assert all(len(c.text) <= 300 + _MIN_PASSAGE_CHARS for c in chunks)


def test_bare_headings_are_not_passages_but_reach_them_as_context():
    _, chunks = _chunks()
    assert "II" not in [c.section for c in chunks]
    assert all("›" in c.context for c in chunks)


def test_matching_text_adds_task_lines_kept_outside_the_passage():
    _, chunks = _chunks(chunk_size=120)
    first = next(c for c in chunks if c.section == "II › 1 › 1.1")
    if "Đơn vị thực hiện" not in first.text:
        assert "Đơn vị thực hiện: Sở Nội vụ." in first.matching_text()
    assert first.matching_text().startswith(first.context + "\n" + first.text)
