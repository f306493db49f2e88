"""`assistant` command line: build, ask, show, eval, serve, study. A thin layer over the engine;
every user-facing error becomes one line `Error: …` on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .engine import Assistant, build
from .errors import AssistantError
from .ingest.provinces import by_slug
from .ingest.text import shorten
from .settings import Settings
from .study.command import add_study_parser, run_study


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, like every other error
        print(f"Error: {message} (xem `{self.prog} --help`)", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="assistant", description="Hỏi đáp có trích dẫn trên các kế hoạch thông tin đối ngoại.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return _add_common(commands.add_parser(name, help=help_text, description=help_text))

    add("build", "Xây dựng chỉ mục từ các tệp .txt trong thư mục văn bản.")
    ask = add("ask", "Đặt câu hỏi; dùng - để đọc mỗi dòng stdin là một câu hỏi.")
    ask.add_argument("question", help="câu hỏi, hoặc - để đọc từ stdin")
    ask.add_argument("--province", help="chỉ tìm trong văn bản của tỉnh này (slug, ví dụ gia-lai)")
    ask.add_argument("--json", action="store_true", help="in kết quả JSON, mỗi câu hỏi một dòng")
    show = add("show", "In siêu dữ liệu và toàn văn một văn bản.")
    show.add_argument("doc_id")
    show.add_argument("--json", action="store_true")
    serve = add("serve", "Chạy trang hỏi đáp và API (mở trình duyệt tại địa chỉ in ra).")
    serve.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="cổng (mặc định 8000)")
    evaluate = add("eval", "Chấm điểm trên bộ câu hỏi và so với cách làm cơ sở.")
    evaluate.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"))
    evaluate.add_argument("--output", type=Path, default=Path("eval/results"))
    add_study_parser(commands, _add_common)
    return parser


def _add_common(sub: argparse.ArgumentParser) -> argparse.ArgumentParser:
    sub.add_argument("--index", type=Path, help="thư mục chỉ mục (mặc định index/, ASSISTANT_INDEX_DIR)")
    sub.add_argument("--corpus", type=Path, help="thư mục văn bản (ASSISTANT_CORPUS_DIR; mặc định: thư mục chỉ mục đã được "
                     "xây dựng từ đó, hoặc corpus/ với chỉ mục mới)")
    return sub


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env(index_dir=args.index, corpus_dir=args.corpus)
        return _COMMANDS[args.command](args, settings)
    except AssistantError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: đã dừng theo yêu cầu", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug, not bad input: one line for users, the trace on request
        if os.environ.get("ASSISTANT_DEBUG"):
            raise
        print(f"Error: lỗi nội bộ ({type(exc).__name__}: {exc}); chạy lại với ASSISTANT_DEBUG=1 "
              "để xem chi tiết", file=sys.stderr)
        return 70


def _log(message: str) -> None:
    print(message, file=sys.stderr)


def _build(args, settings: Settings) -> int:
    report = build(settings, progress=sys.stderr.isatty())
    for problem in report.problems:
        _log(f"Bỏ qua: {problem}")
    if report.replaced_corpus:
        _log(f"Chỉ mục {report.index_dir} trước đây được xây dựng từ {report.replaced_corpus}; "
             f"nay thay bằng chỉ mục từ {report.corpus_dir}.")
    print(f"Đã xây dựng chỉ mục {report.index_dir} từ {report.corpus_dir}: {report.documents} văn bản, "
          f"{report.chunks} đoạn, {report.seconds:.1f} giây.")
    return 0


def _ask(args, settings: Settings) -> int:
    assistant = Assistant.open(settings, log=_log)
    questions = sys.stdin if args.question == "-" else [args.question]
    failures = 0
    for line in questions:
        if args.question == "-" and not line.strip():
            continue
        try:
            answer = assistant.ask(line, province=args.province)
        except AssistantError as exc:
            if args.question != "-":
                raise
            failures += 1  # one bad line never stops the rest of the file
            _log(f"Error: {exc}")
            if args.json:
                print(json.dumps({"question": line.strip(), "error": str(exc)}, ensure_ascii=False), flush=True)
            continue
        print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else _render(answer), flush=True)
    return 1 if failures else 0


def _render(answer) -> str:
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append("Nguồn:")
    for n, c in enumerate(answer.citations, start=1):
        province = by_slug(c.province).name if by_slug(c.province) else c.doc_id
        title = shorten(c.title, 80)
        lines.append(f"[{n}] {province} — {title} — mục {c.section} (ký tự {c.start}–{c.end})")
        lines.extend(f"    {line}" for line in c.quote.splitlines() if line.strip())
    return "\n".join(lines) + "\n"


def _show(args, settings: Settings) -> int:
    assistant = Assistant.open(settings, log=_log, warm=False)
    if args.json:
        print(json.dumps(assistant.document_view(args.doc_id), ensure_ascii=False))
        return 0
    doc = assistant.document(args.doc_id)
    for key, value in doc.metadata().items():
        shown = "; ".join(value) if isinstance(value, list) else value
        print(f"{key}: {shown or '—'}")
    print()
    print(doc.text, end="")
    return 0


def _serve(args, settings: Settings) -> int:
    from .serve.server import serve

    serve(settings, args.host, args.port, log=_log)
    return 0


def _eval(args, settings: Settings) -> int:
    from .evaluation.run import run_evaluation

    report = run_evaluation(settings, args.questions, args.output, log=_log)
    print(report)
    return 0


def _study(args, settings: Settings) -> int:
    """Study views read the index only: the model is never loaded (warm=False)."""
    assistant = Assistant.open(settings, log=_log, warm=False)
    return run_study(args, assistant.index, write=print)


_COMMANDS = {"build": _build, "ask": _ask, "show": _show, "serve": _serve, "eval": _eval, "study": _study}

if __name__ == "__main__":
    raise SystemExit(main())
