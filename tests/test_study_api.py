"""/api/study/… on the tiny fake-embedder engine: JSON views, files, Vietnamese errors."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from docx import Document
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from assistant.serve.api import create_app


@pytest.fixture
def client(settings, assistant):
    with TestClient(create_app(settings, assistant), raise_server_exceptions=False) as client:
        yield client


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()["error"]
    assert (body["status"], body["code"]) == (status, code)
    return body["message"]


def test_views_are_the_same_json_as_the_command_line(client, assistant):
    overview = client.get("/api/study/overview/ninh-thuan-test").json()
    assert overview["view"] == "overview" and overview["province"] == "ninh-thuan"
    task = overview["groups"][0]["tasks"][0]
    assert [q["quote"] for q in task["lead"]] == ["Sở Nội vụ"]
    text = assistant.document("ninh-thuan-test").text
    assert text[task["title"]["start"]:task["title"]["end"]] == task["title"]["quote"]
    matrix = client.get("/api/study/matrix", params={"province": ["bac-giang"]}).json()
    assert [p["slug"] for p in matrix["provinces"]] == ["bac-giang"]
    assert client.get("/api/study/matrix", params={"by": "topic"}).json()["by"] == "topic"
    deadlines = client.get("/api/study/deadlines").json()
    assert deadlines["view"] == "deadlines"
    assert {d["when"]["quote"] for d in deadlines["deadlines"]} >= {"Định kỳ trước ngày 15/11 hằng năm"}
    quiz = client.get("/api/study/quiz", params={"count": 3, "seed": 5}).json()
    assert quiz == client.get("/api/study/quiz", params={"count": 3, "seed": 5}).json()
    assert all(q["answer"] in q["citation"]["quote"] for q in quiz["questions"])


def test_options_list_provinces_topics_and_documents(client):
    options = client.get("/api/study/options").json()
    assert [p["slug"] for p in options["provinces"]] == ["bac-giang", "ninh-thuan"]
    assert [t["key"] for t in options["topics"]] == ["quan-triet", "phoi-hop", "doi-moi", "dau-tranh", "nguon-luc"]
    assert {d["doc_id"] for d in options["documents"]} == {"bac-giang-test", "ninh-thuan-test"}


def test_files_download_with_their_type_and_name(client):
    response = client.get("/api/study/matrix", params={"format": "xlsx", "province": ["", "ninh-thuan"]})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="ma-tran-theo-don-vi-ninh-thuan.xlsx"'
    assert load_workbook(BytesIO(response.content)).sheetnames == ["Ma trận", "Thời hạn"]
    response = client.get("/api/study/overview/ninh-thuan-test", params={"format": "docx"})
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    assert Document(BytesIO(response.content)).paragraphs[0].text == "Tổng quan: Kế hoạch số 12/KH-UBND của UBND tỉnh Ninh Thuận, ngày 05/08/2024"
    response = client.get("/api/study/quiz", params={"format": "md"})
    assert response.text.startswith("# Đề ôn tập số 1\n")
    names = {(path, tuple(sorted(params.items()))): client.get(f"/api/study/{path}", params=params)
             .headers["content-disposition"].split('"')[1]
             for path, params in (("quiz", {"format": "docx", "seed": 2}), ("quiz", {"format": "docx", "seed": 3}),
                                  ("matrix", {"format": "docx", "by": "topic"}), ("deadlines", {"format": "ics"}),
                                  ("summary/ninh-thuan-test", {"format": "docx"}))}
    assert sorted(names.values()) == ["de-on-tap-so-2-10-cau-tat-ca-cac-tinh.docx",
                                      "de-on-tap-so-3-10-cau-tat-ca-cac-tinh.docx", "lich-thoi-han-tat-ca-cac-tinh.ics",
                                      "ma-tran-theo-chu-de-tat-ca-cac-tinh.docx", "tom-tat-ninh-thuan-test.docx"]


def test_the_session_views_slides_and_pack(client):
    summary = client.get("/api/study/summary/ninh-thuan-test").json()
    assert summary["view"] == "summary" and summary["label"].startswith("Kế hoạch số 12/KH-UBND")
    assert [r["label"] for r in client.get("/api/study/key-matrix", params={"rows": 2}).json()["rows"]] == [
        "Sở Thông tin và Truyền thông", "Sở Nội vụ"]
    assert client.get("/api/study/distinctive").json()["view"] == "distinctive"
    slides = client.get("/api/study/slides", params={"province": "bac-giang"})
    assert slides.headers["content-type"].endswith("presentationml.presentation")
    assert slides.headers["content-disposition"] == 'attachment; filename="bai-giang-bac-giang.pptx"'
    pack = client.get("/api/study/pack")
    assert pack.headers["content-disposition"] == 'attachment; filename="goi-hoc-tap-tat-ca-cac-tinh.zip"'
    names = zipfile.ZipFile(BytesIO(pack.content)).namelist()
    assert names[:3] == ["goi-hoc-tap-tat-ca-cac-tinh/tom-tat-bac-giang.docx",
                         "goi-hoc-tap-tat-ca-cac-tinh/tom-tat-ninh-thuan.docx",
                         "goi-hoc-tap-tat-ca-cac-tinh/ma-tran-chinh.docx"]
    assert "goi-hoc-tap-tat-ca-cac-tinh/lich-thoi-han.ics" in names and len(names) == 2 + 13
    assert _error(client.get("/api/study/pack?province=ha-noi"), 422, "unknown_province").startswith("không có tỉnh")
    assert _error(client.get("/api/study/quiz?seed=0"), 422, "invalid_request") == \
        "yêu cầu không hợp lệ: trường «seed» phải từ 1 trở lên"


def test_bad_input_gets_a_vietnamese_error_and_its_status(client):
    assert "không có văn bản «x»" in _error(client.get("/api/study/overview/x"), 404, "unknown_document")
    assert "không có tỉnh «ha-noi»" in _error(client.get("/api/study/matrix?province=ha-noi"), 422,
                                               "unknown_province")
    assert _error(client.get("/api/study/deadlines?format=pdf"), 422, "unknown_format") == \
        "không có định dạng «pdf»; chọn một trong: json, md, docx, xlsx, ics"
    assert "không có chủ đề «kinh-te»" in _error(client.get("/api/study/matrix?topic=kinh-te"), 422, "unknown_topic")
    assert "--by phải là unit" in _error(client.get("/api/study/matrix?by=year"), 422, "invalid_request")
    assert _error(client.get("/api/study/quiz?count=500"), 422, "invalid_request") == \
        "yêu cầu không hợp lệ: trường «count» không được vượt quá 100"


def test_openapi_describes_the_study_routes(client):
    paths = set(client.get("/openapi.json").json()["paths"])
    assert {"/api/study/options", "/api/study/overview/{doc_id}", "/api/study/matrix", "/api/study/deadlines",
            "/api/study/quiz"} <= paths


def test_a_reloaded_index_is_read_afresh(assistant):
    from dataclasses import replace
    from types import SimpleNamespace

    from fastapi import FastAPI

    from assistant.serve.study_routes import study_router

    serving = SimpleNamespace(index=assistant.index)
    app = FastAPI()
    app.include_router(study_router(lambda: serving))
    with TestClient(app) as client:
        before = [d["doc_id"] for d in client.get("/api/study/options").json()["documents"]]
        one = {doc_id: doc for doc_id, doc in assistant.index.documents.items() if doc_id == "ninh-thuan-test"}
        serving.index = replace(assistant.index, documents=one)  # what a hot reload swaps in
        after = [d["doc_id"] for d in client.get("/api/study/options").json()["documents"]]
    assert len(before) > 1 and after == ["ninh-thuan-test"]
