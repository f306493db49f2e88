"""The HTTP API on the tiny fake-embedder engine, in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.serve.api import WEB_DIR, create_app

QUESTION = "Ai chịu trách nhiệm khen thưởng?"


@pytest.fixture
def client(settings, assistant):
    with TestClient(create_app(settings, assistant), raise_server_exceptions=False) as client:
        yield client


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"] and list(body["error"]) == ["status", "code", "message"]
    assert body["error"]["status"] == status
    return body["error"]


def _without_timing(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "took_ms"}


def test_ask_returns_the_engines_answer_object(client, assistant):
    response = client.post("/api/ask", json={"question": QUESTION})
    assert response.status_code == 200
    assert _without_timing(response.json()) == _without_timing(assistant.ask(QUESTION).to_dict())
    # no province named: one line for each plan that answers
    assert response.json()["answer"].splitlines()[0] == "Ninh Thuận: Đơn vị thực hiện: Sở Nội vụ"
    assert response.json()["confidence"] == "low"  # the fake embedder makes the model unsure


def test_ask_scoped_to_a_province(client):
    body = client.post("/api/ask", json={"question": QUESTION, "province": "bac-giang"}).json()
    assert body["lead"].startswith("Có thể là: Sở Nội vụ (mục VI.2): ")
    assert body["answer"].startswith(body["lead"] + "\n")
    assert {c["province"] for c in body["citations"]} == {"bac-giang"}
    # the page's "all provinces" choice sends an empty string
    assert client.post("/api/ask", json={"question": QUESTION, "province": ""}).json()["found"]


def test_ask_follows_up_from_the_history(client):
    history = [{"question": "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "answer": "Đơn vị thực hiện: Sở Nội vụ"}]
    body = client.post("/api/ask", json={"question": "Còn Bắc Giang thì sao?", "history": history}).json()
    assert body["interpreted_as"] == "Ai chịu trách nhiệm khen thưởng ở Bắc Giang?"
    assert body["lead"].startswith("Có thể là: Sở Nội vụ (mục VI.2): ")
    body = client.post("/api/ask", json={"question": "Thời gian thực hiện là khi nào?", "history": history}).json()
    assert (body["answer"], body["confidence"]) == ("Thời gian thực hiện: Hàng năm", "high")
    assert body["citations"][0]["section"] == "II › 1 › 1.1"


def test_a_question_the_plans_do_not_answer(client):
    body = client.post("/api/ask", json={"question": "Sở Y tế có nhiệm vụ gì?"}).json()
    assert (body["found"], body["answer"], body["citations"]) == \
        (False, "Không tìm thấy thông tin này trong các văn bản hiện có.", [])


@pytest.mark.parametrize("payload, code, message", [
    ({"question": ""}, "invalid_question",
     "câu hỏi đang trống; hãy nhập câu hỏi, ví dụ: «Ai chịu trách nhiệm khen thưởng?»"),
    ({"question": " \u200b\n "}, "invalid_question",
     "câu hỏi đang trống; hãy nhập câu hỏi, ví dụ: «Ai chịu trách nhiệm khen thưởng?»"),
    ({"question": "x" * 2001}, "invalid_question",
     "câu hỏi dài 2001 ký tự, vượt giới hạn 2000 ký tự; hãy rút gọn câu hỏi"),
    ({}, "invalid_request", "yêu cầu không hợp lệ: thiếu trường «question»"),
    ({"question": 42}, "invalid_request", "yêu cầu không hợp lệ: trường «question» phải là chuỗi ký tự"),
    ({"question": None}, "invalid_request", "yêu cầu không hợp lệ: trường «question» phải là chuỗi ký tự"),
    ({"question": ["a"]}, "invalid_request", "yêu cầu không hợp lệ: trường «question» phải là chuỗi ký tự"),
    ({"question": QUESTION, "province": "atlantis"}, "unknown_province",
     "không có tỉnh «atlantis» trong bộ văn bản; các tỉnh hiện có: bac-giang, ninh-thuan"),
    ({"question": QUESTION, "province": 7}, "invalid_request",
     "yêu cầu không hợp lệ: trường «province» phải là chuỗi ký tự"),
    ({"question": QUESTION, "history": "Ninh Thuận"}, "invalid_request",
     "yêu cầu không hợp lệ: trường «history» phải là một danh sách"),
    ({"question": QUESTION, "history": [{"answer": "x"}]}, "invalid_request",
     "yêu cầu không hợp lệ: thiếu trường «history.0.question»"),
    ({"question": QUESTION, "history": [{"question": "a"}] * 51}, "invalid_request",
     "yêu cầu không hợp lệ: trường «history» có quá nhiều phần tử (tối đa 50)"),
])
def test_bad_questions_get_one_error_shape_in_vietnamese(client, payload, code, message):
    error = _error(client.post("/api/ask", json=payload), 422)
    assert (error["code"], error["message"]) == (code, message)


def test_a_body_that_is_not_json(client):
    response = client.post("/api/ask", content=b"{question:", headers={"Content-Type": "application/json"})
    assert _error(response, 422)["message"] == "yêu cầu không hợp lệ: nội dung gửi lên không phải JSON hợp lệ"
    response = client.post("/api/ask", content=b"[1, 2]", headers={"Content-Type": "application/json"})
    assert _error(response, 422)["message"] == "yêu cầu không hợp lệ: nội dung yêu cầu phải là một đối tượng JSON"


@pytest.mark.parametrize("raw", [
    '{"question": "\\ud800 khen th\\u01b0\\u1edfng"}',  # a lone surrogate: UTF-8 cannot encode it
    '{"question": "\\u0000\\u0007 Ai k\\u00fd?"}',
    '{"question": "<script>alert(1)</script>"}',
    '{"question": "%s"}' % ("ơ" * 2000),
    '{"question": "' + "Còn " * 400 + 'thì sao?", "history": [{"question": "khen thưởng"}]}',
    '{"question": "Còn Bắc Giang thì sao?", "history": [{"question": "\\ud83d\\ude00 ' + "a" * 1990 + '"}]}',
    '{"question": "Ai ký?", "province": null, "history": [], "extra": {"nested": [1, 2, 3]}}',
    '{"question": "\\u202e\\u0301\\u0301\\u0301"}',
])
def test_no_input_makes_a_server_error(client, raw):
    response = client.post("/api/ask", content=raw.encode("utf-8"), headers={"Content-Type": "application/json"})
    assert response.status_code in (200, 422), response.text
    json.dumps(response.json(), ensure_ascii=False).encode("utf-8")  # answers are always encodable


def test_search_ranks_passages_with_citation_fields(client):
    body = client.get("/api/search", params={"q": "khen thưởng", "k": 2, "province": "ninh-thuan"}).json()
    assert body["query"] == "khen thưởng"
    assert [r["rank"] for r in body["results"]] == [1, 2]
    assert body["results"][0]["section"] == "II › 1 › 1.1"
    assert set(body["results"][0]) == {"rank", "doc_id", "province", "title", "section", "quote", "start", "end", "page",
                                       "score"}


@pytest.mark.parametrize("params, message", [
    ({"q": "khen thưởng", "k": 0}, "yêu cầu không hợp lệ: trường «k» phải từ 1 trở lên"),
    ({"q": "khen thưởng", "k": 51}, "yêu cầu không hợp lệ: trường «k» không được vượt quá 50"),
    ({"q": "khen thưởng", "k": "năm"}, "yêu cầu không hợp lệ: trường «k» phải là số nguyên"),
    ({"k": 3}, "yêu cầu không hợp lệ: thiếu trường «q»"),
    ({"q": ""}, "câu hỏi đang trống; hãy nhập câu hỏi, ví dụ: «Ai chịu trách nhiệm khen thưởng?»"),
    ({"q": "khen", "province": "hanoi"}, "không có tỉnh «hanoi» trong bộ văn bản; các tỉnh hiện có: bac-giang, ninh-thuan"),
])
def test_bad_searches(client, params, message):
    assert _error(client.get("/api/search", params=params), 422)["message"] == message


def test_documents_list_and_detail(client, assistant):
    listed = client.get("/api/documents").json()
    assert [d["doc_id"] for d in listed] == ["bac-giang-test", "ninh-thuan-test"]
    assert listed[1]["province"] == "ninh-thuan" and listed[1]["province_name"] == "Ninh Thuận"
    assert listed[1]["number"] == "12/KH-UBND"
    detail = client.get("/api/documents/ninh-thuan-test").json()
    assert detail["text"] == assistant.index.documents["ninh-thuan-test"].text
    assert [s["path"] for s in detail["sections"] if s["number"]][:3] == ["I", "I › 1", "II"]
    answer = client.post("/api/ask", json={"question": QUESTION, "province": "ninh-thuan"}).json()
    for c in answer["citations"]:  # the offsets of every citation index the text served here
        assert detail["text"][c["start"]:c["end"]] == c["quote"]


def test_unknown_document_route_and_method(client):
    error = _error(client.get("/api/documents/nope"), 404)
    assert (error["code"], error["message"]) == (
        "unknown_document", "không có văn bản «nope»; các văn bản hiện có: bac-giang-test, ninh-thuan-test")
    assert _error(client.get("/api/nothing"), 404)["message"] == \
        "không có địa chỉ /api/nothing; xem danh sách tại /docs"
    assert _error(client.get("/api/ask"), 405)["message"] == "phương thức GET không dùng được cho /api/ask"


def test_health(client, settings, assistant):
    body = client.get("/api/health").json()
    assert body == {"status": "ok", "documents": 2, "chunks": len(assistant.index.chunks), "model": settings.model,
                    "index_built_at": assistant.index.manifest["built_at"]}


def test_the_chat_page_and_its_files_are_served_with_a_strict_policy(client):
    page = client.get("/")
    assert page.status_code == 200 and "Hỏi đáp kế hoạch thông tin đối ngoại" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "conversation.js", "style.css", "examples.json"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and "default-src 'self'" in response.headers["content-security-policy"]


def test_the_page_loads_nothing_from_outside_and_never_inserts_html():
    files = {path.name: path.read_text(encoding="utf-8") for path in Path(str(WEB_DIR)).iterdir()}
    assert set(files) == {"index.html", "style.css", "examples.json", "app.js", "api.js", "conversation.js",
                          "answer.js", "viewer.js", "dom.js", "study.js", "study-views.js", "study-quiz.js",
                          "study-session.js", "study-present.js", "study.css", "print.css"}
    for name, text in files.items():
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text), name  # no CDN, no web font
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", text), name


def test_openapi_describes_the_api_and_docs_work_offline(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/ask", "/api/search", "/api/documents", "/api/documents/{doc_id}", "/api/health"} <= \
        set(schema["paths"])
    docs = client.get("/docs").text
    assert "/static-offline-docs/swagger-ui-bundle.js" in docs and "cdn.jsdelivr" not in docs
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
