"""1 worker against N: throughput, latency at several client counts, memory per worker.

    python scripts/load_workers.py --workers 1,2 --clients 8,32,64 --seconds 20 --rounds 3

Starts one `assistant serve --workers W` per worker count on free 127.0.0.1 ports (all
at once, so that they share the machine's state), warms each until every worker has
answered, then runs scripts/load.py's load against them in turns: each round goes
through every client count and, within it, every server, the order of the servers
reversed every other round. The cores are shared with other people, so each phase
also records how much CPU the rest of the machine used, and the report gives medians
over rounds and the throughput ratio of each server to the first. Memory is read from
/proc (RSS, PSS, USS) per worker process after the load. A dev tool: it asserts nothing."""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import load  # scripts/load.py, beside this file

HZ = os.sysconf("SC_CLK_TCK")
WARM_SECONDS = 240


def workers_of(pid: int) -> list[int]:
    """The worker processes uvicorn spawned for server `pid` (not its resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if parent == pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return sorted(found)


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def machine_busy_ticks() -> int:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(values) - values[3] - values[4]  # all but idle and iowait


def memory_mb(pid: int) -> dict[str, float]:
    """RSS, PSS (shared pages split among their users) and USS (this process's own pages)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        values[name] = int(value.split()[0]) / 1024
    return {"rss_mb": values["Rss"], "pss_mb": values["Pss"],
            "uss_mb": values["Private_Clean"] + values["Private_Dirty"]}


def warm(url: str, workers: int, log_file, questions: list[dict]) -> None:
    """Ask until every worker has answered (the access log names the process of each line)."""
    deadline = time.monotonic() + WARM_SECONDS
    while time.monotonic() < deadline:
        load.run_load(url, questions, clients=2 * workers, seconds=2)
        log_file.seek(0)
        served = set(re.findall(rb" (\d+) 127\.0\.0\.1 \"POST /api/ask\" 200", log_file.read()))
        if len(served) >= workers:
            return
    raise load.LoadError(f"not all {workers} workers of {url} answered within {WARM_SECONDS} s")


def phase(url: str, pids: list[int], questions, clients: int, seconds: float) -> dict:
    ours = pids + [os.getpid()]
    before_server, before_ours = sum(map(cpu_ticks, pids)), sum(map(cpu_ticks, ours))
    before_all, started = machine_busy_ticks(), time.monotonic()
    result = load.run_load(url, questions, clients, seconds)
    elapsed = time.monotonic() - started
    used_server, used_ours = sum(map(cpu_ticks, pids)) - before_server, sum(map(cpu_ticks, ours)) - before_ours
    others = max(0, machine_busy_ticks() - before_all - used_ours) / HZ / elapsed
    answered = result["answered_per_s"] * elapsed
    return {**result, "server_cores": used_server / HZ / elapsed, "other_cores": others,
            "server_cpu_ms_per_answer": used_server / HZ * 1000 / answered if answered else None}


def summarise(runs: list[dict], workers: list[int], clients: list[int]) -> list[dict]:
    rows = []
    for c in clients:
        base = None
        for w in workers:
            mine = [r for r in runs if r["workers"] == w and r["clients"] == c]
            rps = statistics.median(r["answered_per_s"] for r in mine)
            base = base or rps
            rows.append({"workers": w, "clients": c, "rounds": len(mine), "answered_per_s": rps,
                         "ratio_to_first": rps / base if base else None,
                         "refused_share": sum(r["refused"] for r in mine) / max(1, sum(r["requests"] for r in mine)),
                         **{k: statistics.median(r[k] for r in mine) for k in ("p50_ms", "p95_ms", "p99_ms")},
                         "other_errors": sum(r["errors"] - r["refused"] for r in mine),
                         "other_cores": statistics.median(r["other_cores"] for r in mine),
                         "server_cores": statistics.median(r["server_cores"] for r in mine),
                         "cpu_ms_per_answer": statistics.median(r["server_cpu_ms_per_answer"] or 0 for r in mine),
                         "rps_each_round": [round(r["answered_per_s"], 2) for r in mine]})
    return rows


def report_markdown(report: dict) -> str:
    lines = ["| workers | clients | answered/s (median) | × first | p50 ms | p95 ms | p99 ms | refused (503) "
             "| other errors | server (cores) | server CPU ms / answer | other load (cores) | answered/s per round |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in report["summary"]:
        lines.append(f"| {r['workers']} | {r['clients']} | {r['answered_per_s']:.1f} | {r['ratio_to_first']:.2f} | "
                     f"{r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['refused_share']:.0%} | "
                     f"{r['other_errors']} | {r['server_cores']:.2f} | {r['cpu_ms_per_answer']:.0f} | "
                     f"{r['other_cores']:.2f} | {', '.join(map(str, r['rps_each_round']))} |")
    lines += ["", "| workers | process | RSS MB | PSS MB | USS MB |", "|---|---|---|---|---|"]
    for w, processes in report["memory"].items():
        for name, m in processes.items():
            lines.append(f"| {w} | {name} | {m['rss_mb']:.0f} | {m['pss_mb']:.0f} | {m['uss_mb']:.0f} |")
    lines.append(f"\nload average before/after: {report['loadavg_before']} / {report['loadavg_after']}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--clients", default="8,32,64")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",")]
    clients = [int(c) for c in args.clients.split(",")]
    if not all(1 <= c <= load.MAX_CLIENTS for c in clients) or not 0 < args.seconds <= load.MAX_SECONDS:
        print(f"Error: clients 1-{load.MAX_CLIENTS}, seconds up to {load.MAX_SECONDS}", file=sys.stderr)
        return 2
    questions = load.read_questions(args.questions)
    servers, logs = {}, {}
    try:
        for w in workers:
            logs[w] = tempfile.TemporaryFile()
            servers[w] = load.start_server(logs[w], w)
        for w, (process, url) in servers.items():
            warm(url, w, logs[w], questions)
        pids = {w: [process.pid] + workers_of(process.pid) for w, (process, _) in servers.items()}
        report = {"loadavg_before": Path("/proc/loadavg").read_text().split()[:3], "seconds": args.seconds, "runs": []}
        for n in range(args.rounds):
            for c in clients:
                for w in (workers if n % 2 == 0 else workers[::-1]):
                    run = phase(servers[w][1], pids[w], questions, c, args.seconds)
                    report["runs"].append({"round": n, "workers": w, "clients": c, **run})
                    print(f"round {n + 1}, {w} worker(s), {c} clients: {run['answered_per_s']:.1f} answered/s, "
                          f"p50 {run['p50_ms']:.0f} ms, others {run['other_cores']:.2f} cores", file=sys.stderr)
        report["loadavg_after"] = Path("/proc/loadavg").read_text().split()[:3]
        report["memory"] = {w: {(f"worker {i}" if i else "parent" if w > 1 else "server"): memory_mb(pid)
                                for i, pid in enumerate(pids[w])} for w in workers}
        report["summary"] = summarise(report["runs"], workers, clients)
    except load.LoadError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    finally:
        for process, _ in servers.values():
            load.stop_server(process)
    print(report_markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
