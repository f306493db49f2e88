"""The minor points of issue 19: "Bearer " is required and a 401 says how to
authenticate (and is in the OpenAPI); HEAD works wherever GET does; q and question
state minLength 1, as the 422 for an empty one says."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.serve.api import create_app


@pytest.fixture
def client(settings, assistant, monkeypatch):
    monkeypatch.setenv("ASSISTANT_ADMIN_TOKEN", "bi-mat")
    with TestClient(create_app(settings, assistant)) as client:
        yield client


@pytest.mark.parametrize("header", ["bi-mat", "bearer bi-mat", "Basic bi-mat", "Bearer sai", ""])
def test_the_admin_token_needs_the_bearer_scheme(client, header):
    response = client.post("/api/admin/reload", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="assistant"'
    assert response.json()["error"]["code"] == "unauthorised"


def test_the_right_token_reloads_and_401_is_documented(client):
    assert client.post("/api/admin/reload", headers={"Authorization": "Bearer bi-mat"}).status_code == 200
    responses = client.get("/openapi.json").json()["paths"]["/api/admin/reload"]["post"]["responses"]
    assert "WWW-Authenticate" in responses["401"]["headers"]


@pytest.mark.parametrize("path", ["/api/health", "/api/documents", "/api/study/options", "/", "/openapi.json"])
def test_head_answers_like_get_without_a_body(client, path):
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["x-content-type-options"] == "nosniff"


def test_an_empty_question_is_refused_as_the_schema_says(client):
    schema = client.get("/openapi.json").json()
    q = next(p for p in schema["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["schema"]["minLength"] == 1
    assert schema["components"]["schemas"]["AskRequest"]["properties"]["question"]["minLength"] == 1
    for response in (client.get("/api/search", params={"q": ""}), client.post("/api/ask", json={"question": ""})):
        assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_question"
