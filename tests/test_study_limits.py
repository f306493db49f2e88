"""The study routes under the API's limits (issue 19): 100 KB parameters are never
echoed, the OpenAPI states their limits and values, downloads wait in the worker's
bounded queue (503 with Retry-After past it), and a file is made once per index version."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.serve import study_routes
from assistant.serve.api import create_app

from .servers import running

HUGE = "x" * 60_000  # the client library refuses longer URLs; the server reads them whole


@pytest.fixture
def client(settings, assistant):
    with TestClient(create_app(settings, assistant), raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("path, params, code", [
    ("/api/study/matrix", {"province": HUGE}, "unknown_province"),
    ("/api/study/matrix", {"topic": HUGE}, "unknown_topic"),
    ("/api/study/matrix", {"by": HUGE}, "invalid_request"),
    ("/api/study/deadlines", {"format": HUGE}, "unknown_format"),
    ("/api/study/quiz", {"seed": "9" * 5000}, "invalid_request"),
    (f"/api/study/overview/{'y' * 5000}", {}, "unknown_document"),
])
def test_a_huge_parameter_is_refused_quoting_at_most_60_characters(client, path, params, code):
    response = client.get(path, params=params)
    body = response.json()["error"]
    assert response.status_code in (404, 422) and body["code"] == code
    assert "x" * 61 not in response.text and "y" * 61 not in response.text and "9" * 61 not in response.text
    assert len(response.content) < 1_000


def test_the_openapi_states_the_study_parameters_limits_and_values(client):
    schema = client.get("/openapi.json").json()
    matrix = {p["name"]: p["schema"] for p in schema["paths"]["/api/study/matrix"]["get"]["parameters"]}
    assert matrix["by"]["enum"] == ["unit", "topic"]
    assert matrix["format"]["enum"] == ["json", "md", "docx", "xlsx", "ics"] and matrix["format"]["maxLength"] == 40
    assert matrix["province"]["items"]["enum"] == ["bac-giang", "ninh-thuan", ""]
    assert matrix["province"]["maxItems"] == 64
    assert "chuong-trinh" not in matrix["topic"]["items"]["enum"] and matrix["topic"]["items"]["maxLength"] == 40
    overview = schema["paths"]["/api/study/overview/{doc_id}"]["get"]
    assert {p["name"]: p["schema"] for p in overview["parameters"]}["doc_id"]["maxLength"] == 120
    assert "text/markdown; charset=utf-8" in overview["responses"]["200"]["content"]


def test_a_calendar_is_only_for_the_deadlines(client):
    response = client.get("/api/study/matrix", params={"format": "ics"})
    assert response.status_code == 422 and response.json()["error"]["code"]
    assert client.get("/api/study/deadlines", params={"format": "ics"}).status_code == 200


def test_a_file_is_made_once_per_index_version(client, monkeypatch):
    made = []
    export = study_routes.export
    monkeypatch.setattr(study_routes, "export", lambda handout, fmt: made.append(fmt) or export(handout, fmt))
    first = client.get("/api/study/matrix", params={"format": "docx"})
    again = client.get("/api/study/matrix", params={"format": "docx"})
    assert first.status_code == again.status_code == 200 and first.content == again.content
    assert made == ["docx"]
    assert again.headers["content-disposition"] == 'attachment; filename="ma-tran-theo-don-vi-tat-ca-cac-tinh.docx"'


def test_downloads_wait_in_the_workers_bounded_queue(settings, assistant):
    release, started = threading.Event(), threading.Event()
    ask = assistant.ask

    def held(question, province=None, history=()):
        started.set()
        release.wait(15)
        return ask(question, province=province, history=history)

    assistant.ask = held
    with running(replace(settings, max_waiting=0), assistant) as (url, _), ThreadPoolExecutor(1) as pool:
        question = pool.submit(httpx.post, f"{url}/api/ask", json={"question": "Ai khen thưởng?"}, timeout=20)
        assert started.wait(5)
        refused = httpx.get(f"{url}/api/study/matrix", params={"format": "xlsx"}, timeout=20)
        release.set()
        assert question.result().status_code == 200
        time.sleep(0.1)
        served = httpx.get(f"{url}/api/study/matrix", params={"format": "xlsx"}, timeout=20)
    assert refused.status_code == 503 and "retry-after" in refused.headers
    assert refused.json()["error"]["message"] == "máy chủ đang bận (1 yêu cầu đang chờ); hãy thử lại sau ít giây"
    assert served.status_code == 200
