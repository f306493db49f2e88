"""`assistant serve` and signals (issue 19), on real processes and the real model:
SIGTERM during the first build stops the build and leaves a clean index folder; SIGHUP
never kills the server nor makes uvicorn abort a restart, with 1 worker or 2."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from assistant.engine import Assistant

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(index: Path, corpus: Path, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--workers", str(workers),
               "--index", str(index), "--corpus", str(corpus)]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    return process, f"http://127.0.0.1:{port}"


def _wait_for(condition, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not seen within {seconds:g} s:\n{log.read_text()}")
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/health", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def test_sigterm_during_the_first_build_stops_it_and_leaves_a_clean_index(tmp_path):
    index, log = tmp_path / "index", tmp_path / "serve.log"
    process, _ = _serve(index, ROOT / "corpus", workers=2, log=log)
    try:
        _wait_for(lambda: "Đang xây dựng chỉ mục trong tiến trình" in log.read_text(), 120, "the build", log)
        builder = int(re.search(r"Đang xây dựng chỉ mục trong tiến trình (\d+)", log.read_text()).group(1))
        time.sleep(3)  # into the embedding
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert not _alive(builder), f"the build process {builder} outlived serve"
    assert "Đã dừng việc xây dựng chỉ mục" in log.read_text()
    assert not (index / "CURRENT").exists()
    leftovers = [p.name for p in index.rglob("*") if p.name.startswith(".staging-") or p.name.endswith(".partial")]
    assert leftovers == []


@pytest.mark.parametrize("workers", [1, 2])
def test_sighup_reloads_in_place_and_never_stops_the_server(real_settings, tmp_path, workers):
    Assistant.open(real_settings, warm=False)  # the session's index, built once
    log = tmp_path / "serve.log"
    process, url = _serve(real_settings.index_dir, real_settings.corpus_dir, workers, log)
    try:
        _wait_for(lambda: _answers(url), 180, "the server answering", log)
        children = _children(process.pid)
        process.send_signal(signal.SIGHUP)
        _wait_for(lambda: log.read_text().count("SIGHUP") >= workers, 30, "the SIGHUP log lines", log)
        time.sleep(1)
        assert process.poll() is None and _answers(url)
        assert _children(process.pid) == children  # not restarted
        assert "not ready in time" not in log.read_text()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found
