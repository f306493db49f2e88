"""Load script for POST /api/ask: N client threads on loopback for a bounded time.

    python scripts/load.py --clients 8 --seconds 30 --in-process --json /tmp/load.json

Without --url it starts `assistant serve` on a free 127.0.0.1 port (from the current
directory, so run it from the repository root) and stops it at the end. A dev tool,
not a test: it reports figures and asserts nothing about them; the exit code is 1
if any request failed, 2 for a usage problem."""

from __future__ import annotations

import argparse
import itertools
import json
import math
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from assistant.errors import AssistantError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_CLIENTS, MAX_SECONDS = 64, 600
REQUEST_TIMEOUT = 60.0
STARTUP_TIMEOUT = 180.0  # model load is ~15-40 s, an index rebuild adds ~40 s more
SHOWN_ERRORS = 5


class LoadError(Exception):
    """A problem the user can fix; printed as one `Error:` line."""


def percentile(values, q: float) -> float | None:
    """q-th percentile (0-100), linear interpolation between ranks as numpy's default."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(latencies_ms, errors, elapsed_s: float) -> dict:
    """Latencies are of successful requests only: a fast 422 would flatter them."""
    requests = len(latencies_ms) + len(errors)
    return {"requests": requests, "errors": len(errors),
            "requests_per_s": requests / elapsed_s if elapsed_s > 0 else 0.0,
            "answered_per_s": len(latencies_ms) / elapsed_s if elapsed_s > 0 else 0.0,
            "refused": sum(1 for e in errors if e.startswith("HTTP 503")),
            "p50_ms": percentile(latencies_ms, 50), "p95_ms": percentile(latencies_ms, 95),
            "p99_ms": percentile(latencies_ms, 99), "elapsed_s": elapsed_s,
            "first_errors": list(dict.fromkeys(errors))[:SHOWN_ERRORS]}


def _ms(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def format_report(report: dict) -> str:
    load = report["load"]
    rows = [("clients", report["clients"]), ("duration (s)", f"{load['elapsed_s']:.1f}"),
            ("requests", load["requests"]), ("errors", load["errors"]),
            ("requests/s", f"{load['requests_per_s']:.2f}"), ("answered/s", f"{load['answered_per_s']:.2f}"),
            ("refused (503, retried after Retry-After)", load["refused"]), ("p50 (ms)", _ms(load["p50_ms"])),
            ("p95 (ms)", _ms(load["p95_ms"])), ("p99 (ms)", _ms(load["p99_ms"]))]
    sequential = report.get("sequential")
    if sequential:
        rows += [("in-process p50 (ms), sequential", _ms(sequential["in_process_p50_ms"])),
                 ("HTTP p50 (ms), 1 client sequential", _ms(sequential["http_p50_ms"])),
                 ("errors, 1 client sequential", sequential["http_errors"]),
                 ("HTTP overhead (HTTP p50 / in-process p50)", f"{sequential['overhead']:.2f}×"
                  if sequential["overhead"] is not None else "—")]
    lines = [f"Load on {report['url']}/api/ask", "", "| metric | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    if load["first_errors"]:
        lines += ["", "First distinct errors:"] + [f"- {message}" for message in load["first_errors"]]
    return "\n".join(lines)


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK:
        raise LoadError(f"--url must be http(s) on a loopback host ({', '.join(sorted(LOOPBACK))}), not {url!r}")
    return url.rstrip("/")


def read_questions(path: Path) -> list[dict]:
    """Rows with a string `question`; other shapes are skipped rather than sent as junk."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LoadError(f"cannot read questions from {path} ({exc.strerror})") from None
    rows = []
    for line in lines:
        try:
            row = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and isinstance(row.get("question"), str):
            rows.append({"question": row["question"], "province": row.get("province") or None})
    if not rows:
        raise LoadError(f"no questions in {path}")
    return rows


def _ask_http(client: httpx.Client, url: str, row: dict) -> tuple[float, str | None]:
    """(latency ms, error message or None); transport failures are errors, not crashes."""
    took, error, _ = _ask_politely(client, url, row)
    return took, error


def _ask_politely(client: httpx.Client, url: str, row: dict) -> tuple[float, str | None, float]:
    """(latency ms, error message or None, seconds the server asked us to wait before retrying)."""
    start = time.perf_counter()
    try:
        response = client.post(f"{url}/api/ask", json={**row, "history": []})
    except httpx.HTTPError as exc:
        return (time.perf_counter() - start) * 1000, f"{type(exc).__name__}: {exc}", 0.0
    took = (time.perf_counter() - start) * 1000
    retry_after = float(response.headers.get("retry-after", "0") or 0) if response.status_code == 503 else 0.0
    if response.status_code == 200:
        return took, None, 0.0
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = response.text[:200]
    return took, f"HTTP {response.status_code}: {message}", retry_after


def run_load(url: str, questions: list[dict], clients: int, seconds: float) -> dict:
    latencies, errors, lock = [], [], threading.Lock()
    deadline = time.perf_counter() + seconds

    def client_loop(offset: int) -> None:
        # each client starts elsewhere in the list, so they do not all ask the same thing
        rows = itertools.islice(itertools.cycle(questions), offset, None)
        with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
            for row in rows:
                if time.perf_counter() >= deadline:
                    return
                took, error, retry_after = _ask_politely(client, url, row)
                with lock:
                    if error:
                        errors.append(error)
                    else:
                        latencies.append(took)
                # a refused client waits as the server asks (503 Retry-After), as a browser would
                time.sleep(max(0.0, min(retry_after, deadline - time.perf_counter())))

    start = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(n * len(questions) // clients,), daemon=True)
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summarise(latencies, errors, time.perf_counter() - start)


def sequential_p50s(asks: dict, questions: list[dict], seconds: float) -> dict:
    """p50 of each way of asking over one pass of the questions, one request at a time,
    cut short after `seconds`. The ways take turns on each question so that a slow spell
    of the machine (2 shared cores) hits them alike and their ratio stays fair; one
    unmeasured call each first, as the server was warmed by the load already."""
    for ask in asks.values():
        ask(questions[0])
    latencies = {name: [] for name in asks}
    deadline = time.perf_counter() + seconds
    for row in questions:
        if time.perf_counter() >= deadline:
            break
        for name, ask in asks.items():
            start = time.perf_counter()
            ask(row)
            latencies[name].append((time.perf_counter() - start) * 1000)
    return {name: percentile(values, 50) for name, values in latencies.items()}


def measure_sequential(url: str, questions: list[dict], seconds: float) -> dict:
    from assistant.engine import Assistant
    from assistant.settings import Settings

    engine = Assistant.open(Settings.from_env())
    http_errors = []
    with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
        def ask_http(row):
            _, error = _ask_http(client, url, row)
            if error:
                http_errors.append(error)

        p50 = sequential_p50s({"in_process": lambda row: engine.ask(row["question"], province=row["province"]),
                               "http": ask_http}, questions, seconds)
    in_process, http = p50["in_process"], p50["http"]
    overhead = http / in_process if http and in_process else None
    return {"in_process_p50_ms": in_process, "http_p50_ms": http, "overhead": overhead,
            "http_errors": len(http_errors)}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(log_file, workers: int | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    command = [sys.executable, "-m", "assistant.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)] if workers else []
    process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        return process, _wait_until_healthy(process, f"http://127.0.0.1:{port}", log_file)
    except BaseException:  # a timeout or Ctrl+C while waiting must not leave the server running
        stop_server(process)
        raise


def _wait_until_healthy(process: subprocess.Popen, url: str, log_file) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log_file.seek(0)
            last = (log_file.read().decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
            raise LoadError(f"`assistant serve` exited with code {process.returncode}: {last}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return url
        except httpx.HTTPError:
            pass  # not listening yet
        time.sleep(0.5)
    raise LoadError(f"the server did not answer {url}/api/health within {STARTUP_TIMEOUT:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, like the assistant CLI
        print(f"Error: {message} (see --help)", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(description="Concurrent load on POST /api/ask (loopback only).")
    parser.add_argument("--url", help="server to load, e.g. http://127.0.0.1:8000 (default: start one)")
    parser.add_argument("--clients", type=int, default=8, help=f"concurrent clients, 1-{MAX_CLIENTS}")
    parser.add_argument("--seconds", type=float, default=30, help=f"load duration, at most {MAX_SECONDS}")
    parser.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    parser.add_argument("--workers", type=int, help="worker processes of the server started (default: its own)")
    parser.add_argument("--in-process", action="store_true",
                        help="also measure sequential in-process and HTTP p50 and their ratio")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    process = None
    try:
        if not 1 <= args.clients <= MAX_CLIENTS:
            raise LoadError(f"--clients must be from 1 to {MAX_CLIENTS}")
        if not 0 < args.seconds <= MAX_SECONDS:
            raise LoadError(f"--seconds must be above 0 and at most {MAX_SECONDS}")
        url = check_url(args.url) if args.url else None
        questions = read_questions(args.questions)
        with tempfile.TemporaryFile() as server_log:
            if url is None:
                print("Starting `assistant serve`…", file=sys.stderr, flush=True)
                process, url = start_server(server_log, args.workers)
            report = {"url": url, "clients": args.clients, "seconds": args.seconds,
                      "load": run_load(url, questions, args.clients, args.seconds)}
            if args.in_process:
                report["sequential"] = measure_sequential(url, questions, args.seconds)
    except (LoadError, AssistantError) as exc:  # AssistantError: --in-process could not open the engine
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130
    finally:
        if process is not None:
            stop_server(process)
    print(format_report(report))
    if args.json:
        try:
            args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        except OSError as exc:
            print(f"Error: cannot write {args.json} ({exc.strerror})", file=sys.stderr)
            return 2
    return 1 if report["load"]["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
