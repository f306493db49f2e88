"""scripts/load.py: its arithmetic by hand, its loopback-only rule, and a short real
run against the API over the tiny fake-embedder engine (no timing asserted)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from assistant.serve.api import create_app

from .conftest import serving

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "load.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("load_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


load = _load_script()


def test_percentile_interpolates_linearly_like_numpy():
    assert load.percentile([4, 1, 3, 2], 50) == 2.5
    assert load.percentile([10, 20, 30, 40, 50], 95) == pytest.approx(48.0)  # rank 3.8
    assert load.percentile([10, 20, 30, 40, 50], 0) == 10
    assert load.percentile([10, 20, 30, 40, 50], 100) == 50
    assert load.percentile([7], 99) == 7
    assert load.percentile([], 50) is None


def test_summarise_counts_errors_and_keeps_latency_of_successes_only():
    summary = load.summarise([10, 20, 30, 40], ["HTTP 422: x", "HTTP 503: busy", "ReadTimeout: t"], 2.0)
    assert summary["requests"] == 7
    assert summary["errors"] == 3
    assert summary["requests_per_s"] == 3.5
    assert (summary["answered_per_s"], summary["refused"]) == (2.0, 1)
    assert summary["p50_ms"] == 25.0
    assert summary["p95_ms"] == pytest.approx(38.5)  # rank 2.85
    assert summary["p99_ms"] == pytest.approx(39.7)  # rank 2.97
    assert summary["first_errors"] == ["HTTP 422: x", "HTTP 503: busy", "ReadTimeout: t"]
    assert "| errors | 3 |" in load.format_report({"url": "http://127.0.0.1:1", "clients": 1, "load": summary})


@pytest.mark.parametrize("url", ["http://example.com:8000", "http://10.0.0.1:8000",
                                 "http://localhost.example.com/", "ftp://127.0.0.1/"])
def test_only_loopback_urls_are_accepted(url, capsys):
    assert load.main(["--url", url, "--seconds", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: ") and err.count("\n") == 1


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:8000"])
def test_loopback_urls_pass(url):
    assert load.check_url(url) == url.rstrip("/")


@pytest.fixture
def server_url(settings, assistant):
    with serving(create_app(settings, assistant)) as url:
        yield url


def _questions(tmp_path: Path, *questions: str) -> Path:
    path = tmp_path / "questions.jsonl"
    rows = [json.dumps({"question": q, "province": None}, ensure_ascii=False) for q in questions]
    path.write_text("\n".join(rows + ['["not a question row"]', ""]), encoding="utf-8")
    return path


def test_short_run_against_a_real_server(server_url, tmp_path, capsys):
    questions = _questions(tmp_path, "Ai chịu trách nhiệm khen thưởng?",
                           "Bắc Giang báo cáo trước ngày nào?")
    out = tmp_path / "report.json"
    code = load.main(["--url", server_url, "--clients", "2", "--seconds", "1",
                      "--questions", str(questions), "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0
    assert report["load"]["errors"] == 0 and report["load"]["first_errors"] == []
    assert report["load"]["requests"] > 0
    assert "| requests/s |" in capsys.readouterr().out


def test_failed_requests_are_counted_and_shown(server_url, tmp_path, capsys):
    too_long = "khen thưởng " * 300  # over the 2,000-character limit: a 4xx every time
    code = load.main(["--url", server_url, "--clients", "1", "--seconds", "0.5",
                      "--questions", str(_questions(tmp_path, too_long))])
    out = capsys.readouterr().out
    assert code == 1
    assert "First distinct errors:" in out and "- HTTP 4" in out


def test_sequential_p50s_take_turns_over_the_questions(assistant):
    calls = []
    rows = [{"question": "Ai chịu trách nhiệm khen thưởng?", "province": None}] * 3
    p50 = load.sequential_p50s({"engine": lambda row: calls.append("engine") or assistant.ask(row["question"]),
                                "other": lambda row: calls.append("other")}, rows, 5)
    assert calls == ["engine", "other"] * 4  # one warm-up each, then turns
    assert set(p50) == {"engine", "other"} and p50["engine"] >= 0
