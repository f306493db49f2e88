"""The serving boundary: an index whose passages were edited is refused before
anyone is answered, and a citation that is not the document's exact text is never
served (the engine is made to lie on purpose to show it)."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from assistant.errors import IndexError_
from assistant.serve.api import create_app
from assistant.serve.verify import check_index, verified_answer

QUESTION = "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?"


def _tamper(index, old: str, new: str, in_text: bool) -> int:
    """Edit passages as an edited chunks.jsonl would: a task line's value, and the text too."""
    changed = 0
    for i, chunk in enumerate(index.chunks):
        fields = tuple(replace(f, value=f.value.replace(old, new)) for f in chunk.fields)
        text = chunk.text.replace(old, new) if in_text else chunk.text
        if fields != chunk.fields or text != chunk.text:
            index.chunks[i] = replace(chunk, fields=fields, text=text)
            changed += 1
    return changed


@pytest.mark.parametrize("in_text", [True, False])
def test_an_index_whose_passages_were_edited_is_refused(settings, assistant, in_text):
    check_index(assistant.index)  # as built: every passage is the document's text
    assert _tamper(assistant.index, "Sở Nội vụ", "Sở Giả Mạo", in_text) > 0
    with pytest.raises(IndexError_) as error:
        create_app(settings, assistant)
    assert "không khớp nguyên văn văn bản: chỉ mục đã bị sửa hoặc hỏng; quản trị viên cần chạy " \
           "`assistant build` để xây dựng lại chỉ mục" in str(error.value)


def test_a_citation_that_is_not_the_documents_text_is_dropped_and_logged(assistant, caplog):
    answer = assistant.ask(QUESTION)
    good = answer.citations[0]
    forged = replace(good, quote=good.quote[:-1] + "!")
    lying = replace(answer, citations=(good, forged, replace(good, end=10**9)))
    with caplog.at_level(logging.ERROR, logger="assistant.verify"):
        served = verified_answer(lying, assistant.index.documents)
    assert served.citations == (good,) and served.answer == answer.answer
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["trích dẫn không khớp văn bản, đã bỏ"] * 2


def test_an_answer_left_without_a_true_citation_is_not_served(settings, assistant, monkeypatch):
    answer = assistant.ask(QUESTION)
    forged = tuple(replace(c, quote=c.quote.replace("Sở Nội vụ", "Sở Giả Mạo")) for c in answer.citations[:1])
    monkeypatch.setattr(assistant, "ask", lambda *args, **kwargs: replace(answer, citations=forged))
    with TestClient(create_app(settings, assistant)) as client:
        response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 503
    assert "Giả Mạo" not in response.text
    assert response.json()["error"]["message"] == (
        "câu trả lời không có trích dẫn nào khớp nguyên văn văn bản nên không được gửi; quản trị viên cần chạy "
        "`assistant build` để xây dựng lại chỉ mục")


def test_search_serves_only_true_quotes(settings, assistant, monkeypatch):
    real = assistant.search("khen thưởng", k=3)
    forged = [replace(real[0], quote="Sở Giả Mạo")] + real[1:]
    monkeypatch.setattr(assistant, "search", lambda *args, **kwargs: forged)
    with TestClient(create_app(settings, assistant)) as client:
        results = client.get("/api/search", params={"q": "khen thưởng"}).json()["results"]
    assert [r["quote"] for r in results] == [c.quote for c in real[1:]]
