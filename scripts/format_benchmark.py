"""Measure the format readers and incremental indexing on the five plans.

1. Character error rate (CER, Levenshtein distance / length, after NFC and whitespace
   collapsing) of each reader against the cleaned .txt, on copies made by
   scripts/make_format_fixtures.py: .docx, LibreOffice .pdf (also raw pypdf and raw
   pdfplumber text, the measurement behind choosing pdfplumber), a clean 300 dpi scan
   and a rough one (tilted, blurred, grainy).
2. `assistant eval` answer accuracy on corpora of the .docx and of the .pdf copies,
   beside the .txt corpus (same questions, same model).
3. Time to add one plan to the other four against a full build of the five, and to
   remove one, in one process with the model loaded (median of the five plans); the
   same for `assistant add` / `assistant remove` as commands; the cost of verifying
   the index files' hashes on load.

    .venv/bin/python scripts/format_benchmark.py --out eval/results/formats

Needs LibreOffice (libreoffice-writer) to make the copies unless --copies names a
folder made earlier; --skip-cer, --skip-ocr, --skip-add and --skip-eval leave out parts. Each
part measured replaces its own entry in <out>/latest.json, stamped with when it was run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.ingest import formats  # noqa: E402
from assistant.ingest.text import clean_document  # noqa: E402
from assistant.settings import Settings  # noqa: E402

# copies in the official layout (scripts/official_layout.py); the scan is the 200 dpi office scan
OUT_RUNS: Path | None = None
KINDS = {"docx": ".docx", "pdf": ".pdf", "scan": ".scan200.pdf"}
FIELDS = ("number", "date", "issuer", "signer", "signer_title", "province", "kind")


def cer(reference: str, text: str) -> float:
    from rapidfuzz.distance import Levenshtein

    ref, hyp = (" ".join(unicodedata.normalize("NFC", t).split()) for t in (reference, text))
    return Levenshtein.distance(ref, hyp) / len(ref)


def make_copies(plans: list[Path], folder: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_format_fixtures.py"), *map(str, plans),
                    "--out", str(folder), "--degraded"], check=True, stdout=subprocess.DEVNULL)


def measure_cer(plans: list[Path], copies: Path, ocr: bool) -> dict:
    import pdfplumber
    import pypdf

    rows, lengths = {}, {}
    for plan in plans:
        reference = clean_document(plan.read_text(encoding="utf-8"))
        lengths[plan.stem] = len(" ".join(reference.split()))
        row = {}
        pdf = copies / f"{plan.stem}.pdf"
        row["pdf raw pypdf"] = cer(reference, "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))
        with pdfplumber.open(pdf) as document:
            row["pdf raw pdfplumber"] = cer(reference, "\n".join(p.extract_text() or "" for p in document.pages))
        reference = _body(reference)  # the official layout adds a header the .txt may not have
        for kind, suffix in KINDS.items():
            if "scan" in kind and not ocr:
                continue
            extracted = formats.read(copies / f"{plan.stem}{suffix}")
            row[kind] = cer(reference, _body(extracted.text))
            if extracted.pages:
                row[f"{kind} pages"] = len(extracted.pages)
        rows[plan.stem] = row
        print(plan.stem, {k: round(v, 5) for k, v in row.items()}, flush=True)
    total = {}
    for key in next(iter(rows.values())):
        if "pages" in key:
            total[key] = round(sum(r[key] for r in rows.values()), 2)
        else:  # weighted by length: the CER of the five plans as one text
            total[key] = sum(rows[s][key] * lengths[s] for s in rows) / sum(lengths.values())
    return {"plans": rows, "all": total}


def _body(text: str) -> str:
    """From the kind line ("KẾ HOẠCH") or the subject on: what every copy has alike."""
    import re

    m = re.search(r"^(?:KẾ HOẠCH|V/v )", text, re.MULTILINE)
    return text[m.start():] if m else text


def measure_metadata(plans: list[Path], copies: Path) -> dict:
    """Number, date, issuer, signer … read from each copy, against the .txt's."""
    from assistant.ingest.documents import load_document

    rows, equal, seconds = {}, {kind: 0 for kind in KINDS}, {kind: 0.0 for kind in KINDS}
    for plan in plans:
        reference = load_document(plan)
        for kind, suffix in KINDS.items():
            started = time.perf_counter()
            document = load_document(copies / f"{plan.stem}{suffix}")
            seconds[kind] += time.perf_counter() - started
            differing = {f: [getattr(reference, f), getattr(document, f)] for f in FIELDS
                         if getattr(reference, f) != getattr(document, f)}
            rows.setdefault(plan.stem, {})[kind] = differing or "identical"
            equal[kind] += len(FIELDS) - len(differing)
    total = len(plans) * len(FIELDS)
    print("metadata", {k: f"{v}/{total}" for k, v in equal.items()}, flush=True)
    return {"plans": rows, "fields_equal": {k: f"{v}/{total}" for k, v in equal.items()},
            "read_seconds": {k: round(v, 1) for k, v in seconds.items()}}


def cache_reads(folder: Path) -> None:
    """Read each file once (OCR of the five scans takes minutes): later parts, the eval's
    index builds included, take the text from <folder>/<sha256>.pickle."""
    import hashlib
    import pickle

    folder.mkdir(parents=True, exist_ok=True)
    real = formats.read

    def read(path: Path, limits: formats.Limits = formats.Limits()) -> formats.Extracted:
        stored = folder / f"{hashlib.sha256(path.read_bytes()).hexdigest()}.pickle"
        if stored.is_file():
            return pickle.loads(stored.read_bytes())
        extracted = real(path, limits)
        stored.write_bytes(pickle.dumps(extracted))
        return extracted

    formats.read = read


def measure_eval(plans: list[Path], copies: Path, work: Path, questions: Path, only: list[str] | None = None) -> dict:
    from assistant.evaluation.run import run_evaluation

    results = {}
    for kind, suffix in (("txt", ".txt"), *KINDS.items()):
        if only and kind not in only:
            continue
        corpus = work / f"corpus-{kind}"
        corpus.mkdir()
        for plan in plans:
            source = plan if kind == "txt" else copies / f"{plan.stem}{suffix}"
            shutil.copy(source, corpus / f"{plan.stem}{suffix}")
        settings = Settings.from_env(corpus_dir=corpus, index_dir=work / f"index-{kind}")
        output = OUT_RUNS / f"eval-{kind}" if OUT_RUNS else work / f"eval-{kind}"
        run_evaluation(settings, questions, output, log=lambda m: None, with_baseline=False, progress=False)
        summary = json.loads((output / "latest.json").read_text(encoding="utf-8"))["summary"]
        results[kind] = summary
        print(kind, {k: v for k, v in summary.get("overall", summary).items() if not isinstance(v, dict)},
              flush=True)
    return results


def _own_fields(plans: list[Path]) -> dict[str, str]:
    """doc id → the plan's own signer, number and date, as the .txt gives them."""
    from assistant.ingest.documents import load_document

    return {plan.stem: " | ".join(getattr(load_document(plan), f) for f in ("signer", "number", "date"))
            for plan in plans}


def parity(runs: Path, plans: list[Path]) -> dict:
    """Per format against the .txt: strict accuracy, metadata accuracy, and the questions
    whose expected answer is one plan's own signer, number or date, answered right (from
    each run's latest.json)."""
    own = _own_fields(plans)
    questions = {json.loads(line)["id"]: json.loads(line) for line in
                 (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}

    def about_own_fields(record: dict) -> bool:
        docs = questions[record["id"]]["docs"]
        return record["type"] == "metadata" and len(docs) == 1 and any(
            answer in own.get(docs[0], "") for answer in record["answers"])

    table = {}
    for kind in ("txt", *KINDS):
        result = json.loads((runs / f"eval-{kind}" / "latest.json").read_text(encoding="utf-8"))
        summary = result["summary"]
        exact = [r for r in result["records"] if about_own_fields(r)]
        table[kind] = {"strict": summary["overall"]["answer_accuracy"],
                       "metadata": summary["type:metadata"]["answer_accuracy"],
                       "signer_number_date": f"{sum(r['correct'] for r in exact)}/{len(exact)}",
                       "signer_number_date_ids": [r["id"] for r in exact],
                       "wrong": sorted(r["id"] for r in result["records"] if r["answerable"] and not r["correct"])}
    for kind, row in table.items():
        row["strict_vs_txt"] = round((row["strict"] - table["txt"]["strict"]) * 100, 1)
        row["metadata_vs_txt"] = round((row["metadata"] - table["txt"]["metadata"]) * 100, 1)
    return table


def measure_add_remove(plans: list[Path], work: Path) -> dict:
    from assistant.engine import add_documents, remove_document
    from assistant.index.embedding import SentenceTransformerEmbedder
    from assistant.index.store import build_index, load_index

    base = Settings.from_env(corpus_dir=work / "corpus-all", index_dir=work / "index-all")
    embedder = SentenceTransformerEmbedder(base)
    embedder.embed_passages(["khởi động mô hình"])  # the model loads once, outside every timing
    corpus = base.corpus_dir
    corpus.mkdir()
    for plan in plans:
        shutil.copy(plan, corpus / plan.name)
    started = time.perf_counter()
    build_index(base, embedder)
    full = time.perf_counter() - started
    adds, removes, rows = [], [], {}
    for plan in plans:
        settings = replace(base, corpus_dir=work / f"corpus-{plan.stem}", index_dir=work / f"index-{plan.stem}")
        settings.corpus_dir.mkdir()
        for other in plans:
            if other != plan:
                shutil.copy(other, settings.corpus_dir / other.name)
        build_index(settings, embedder)
        started = time.perf_counter()
        report = add_documents(settings, [plan], embedder=embedder)
        adds.append(time.perf_counter() - started)
        started = time.perf_counter()
        remove_document(settings, plan.stem, embedder=embedder)
        removes.append(time.perf_counter() - started)
        rows[plan.stem] = {"add_seconds": round(adds[-1], 2), "remove_seconds": round(removes[-1], 2),
                           "passages_embedded": report.build.embedded, "passages_total": report.build.chunks}
        print(plan.stem, rows[plan.stem], flush=True)
    verify = _verify_cost(base, load_index)
    cli = _cli_times(plans[-1], base)
    return {"full_build_seconds": round(full, 2), "plans": rows, "add_median": round(statistics.median(adds), 2),
            "remove_median": round(statistics.median(removes), 2),
            "add_to_build_ratio": round(statistics.median(adds) / full, 3), "cli": cli, "verify": verify}


def _verify_cost(settings: Settings, load_index) -> dict:
    from assistant.index import versions

    folder = versions.current(settings.index_dir)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    started = time.perf_counter()
    versions.verify(folder, json.loads((folder / "manifest.json").read_text())["files"])
    verify = time.perf_counter() - started
    started = time.perf_counter()
    load_index(settings)
    load = time.perf_counter() - started
    block = bytes(64 << 20)
    probe = Path(tempfile.mkstemp()[1])
    probe.write_bytes(block)
    started = time.perf_counter()
    versions.file_hash(probe)
    rate = (len(block) / (1 << 20)) / (time.perf_counter() - started)
    probe.unlink()
    return {"index_bytes": size, "verify_seconds": round(verify, 4), "load_seconds": round(load, 3),
            "sha256_mb_per_second": round(rate)}


def _cli_times(plan: Path, base: Settings) -> dict:
    """`assistant add` and `assistant remove` as an operator runs them, process start included."""
    command = [str(ROOT / ".venv" / "bin" / "assistant")]
    where = ["--index", str(base.index_dir)]
    subprocess.run(command + ["remove", plan.stem] + where, check=True, capture_output=True)
    timings = {}
    for name, argv in (("add", ["add", str(plan)]), ("remove", ["remove", plan.stem])):
        started = time.perf_counter()
        subprocess.run(command + argv + where, check=True, capture_output=True)
        timings[f"{name}_seconds"] = round(time.perf_counter() - started, 2)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "formats")
    parser.add_argument("--copies", type=Path, help="a folder made by make_format_fixtures.py --degraded")
    parser.add_argument("--questions", type=Path, default=ROOT / "eval" / "questions.jsonl")
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument("--skip-ocr", action="store_true")
    parser.add_argument("--skip-add", action="store_true")
    parser.add_argument("--skip-cer", action="store_true")
    parser.add_argument("--eval-only", action="append", metavar="FORMAT",
                        help="evaluate only these corpora (txt, docx, pdf, scan); repeatable")
    parser.add_argument("--parity", type=Path, metavar="RUNS",
                        help="only summarise the eval runs kept in RUNS (by --runs) into the parity table")
    parser.add_argument("--cache", type=Path, help="keep each file's extracted text here (sha256.pickle) between "
                        "runs, so the scans are read by OCR once")
    parser.add_argument("--runs", type=Path, help="keep each format's eval run (latest.json …) in RUNS/eval-<format>, "
                        "for `assistant eval --compare`")
    args = parser.parse_args()
    plans = sorted((ROOT / "corpus").glob("*.txt"))
    latest = args.out / "latest.json"
    result = json.loads(latest.read_text(encoding="utf-8")) if latest.is_file() else {}
    if args.parity:
        result["parity"] = parity(args.parity, plans)
        args.out.mkdir(parents=True, exist_ok=True)
        latest.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(json.dumps(result["parity"], ensure_ascii=False, indent=1))
        return 0
    result["machine"] = f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copies = args.copies or work / "copies"
        if not args.copies:
            make_copies(plans, copies)
        global OUT_RUNS
        OUT_RUNS = args.runs
        cache_reads(args.cache or work / "read-cache")
        parts = {"metadata": lambda: measure_metadata(plans, copies)}
        if not args.skip_cer:
            parts["cer"] = lambda: measure_cer(plans, copies, ocr=not args.skip_ocr)
        if not args.skip_add:
            parts["add_remove"] = lambda: measure_add_remove(plans, work)
        if not args.skip_eval:
            parts["eval"] = lambda: measure_eval(plans, copies, work, args.questions, args.eval_only)
        for name, measure in parts.items():
            started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            result[name] = {"measured_at": started, **measure()}
    args.out.mkdir(parents=True, exist_ok=True)
    latest.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "eval"}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
