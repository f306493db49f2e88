"""Replicas: two servers, each with its own engine, on one read-only index folder
(as behind a reverse proxy on several machines) answer identically and never write
to the folder."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.engine import Assistant
from assistant.index.store import build_index

from .conftest import ROOT, FakeEmbedder
from .servers import free_port, running

QUESTIONS = ["Ai chịu trách nhiệm khen thưởng?", "Bắc Giang báo cáo trước ngày nào?", "ai ky ke hoach",
             "Thời gian thực hiện đào tạo cán bộ?", "Ai chịu trách nhiệm về an toàn thực phẩm?"]  # the last one is refused


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)


def _answers(url: str) -> list:
    """What a user sees, minus the time each took."""
    seen = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for question in QUESTIONS:
            response = client.post("/api/ask", json={"question": question})
            assert response.status_code == 200, response.text
            answer = response.json()
            answer.pop("took_ms")
            seen.append(answer)
        seen.append(client.get("/api/search", params={"q": QUESTIONS[0], "k": 5}).json())
        seen.append(client.get("/api/documents").json())
    return seen


def test_two_servers_on_one_read_only_index_answer_identically(settings):
    build_index(settings, FakeEmbedder())
    _read_only(settings.index_dir)
    before = _snapshot(settings.index_dir)
    first = Assistant.open(settings, embedder=FakeEmbedder())
    second = Assistant.open(settings, embedder=FakeEmbedder())
    with running(settings, first) as (url_a, _), running(settings, second) as (url_b, _):
        answers_a, answers_b = _answers(url_a), _answers(url_b)
    assert answers_a == answers_b
    assert [a["found"] for a in answers_a[:5]] == [True, True, True, True, False]
    assert _snapshot(settings.index_dir) == before


@pytest.mark.e2e
def test_two_assistant_serve_processes_on_one_index_answer_identically(real_settings, tmp_path):
    """The real model, in two `assistant serve` processes that share the session's index."""
    Assistant.open(real_settings, warm=False)  # built once, before either server starts
    before = _snapshot(real_settings.index_dir)
    servers, urls = [], []
    try:
        for n in range(2):
            port = free_port()
            log = (tmp_path / f"serve-{n}.log").open("w")
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--workers", "1",
                 "--index", str(real_settings.index_dir)], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                env={**os.environ, "ASSISTANT_THREADS": "1"}))
            urls.append(f"http://127.0.0.1:{port}")
        for url, server in zip(urls, servers):
            _wait_until_healthy(url, server)
        assert _answers(urls[0]) == _answers(urls[1])
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    assert _snapshot(real_settings.index_dir) == before


def _wait_until_healthy(url: str, server: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"assistant serve exited with {server.returncode}"
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {seconds} s")
