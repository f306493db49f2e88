"""`assistant` command line: build, add, remove, ask, show, serve, eval, study. A thin layer
over the engine; every user-facing error becomes one line `Error: …` on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .engine import Assistant, add_documents, build, remove_document
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

    add("build", "Xây dựng chỉ mục từ các tệp trong thư mục văn bản (.txt, .md, .docx, .pdf, .png, .jpg; .doc, .odt, "
        ".rtf khi có LibreOffice); liệt kê mọi tệp bị bỏ qua và lý do.")
    add("export-model", _EXPORT)
    adding = add("add", "Thêm văn bản vào bộ văn bản và chỉ mục, chỉ nhúng văn bản mới.")
    adding.add_argument("files", nargs="+", type=Path, help="các tệp .txt, .md, .docx, .pdf, .png, .jpg "
                        "(.doc, .odt, .rtf khi có LibreOffice)")
    adding.add_argument("--province", help="tỉnh của văn bản khi văn bản không nêu (slug, ví dụ gia-lai); trái với "
                        "tỉnh văn bản tự ghi là lỗi")
    adding.add_argument("--force", action="store_true", help="vẫn thêm ảnh chụp/bản quét chất lượng thấp (được đánh "
                        "dấu trong siêu dữ liệu và trên trang)")
    adding.add_argument("--replace", metavar="DOC_ID", help="thay văn bản DOC_ID bằng tệp này (ví dụ bản quét bằng "
                        "bản Word của cùng kế hoạch)")
    removing = add("remove", "Gỡ một văn bản khỏi chỉ mục; tệp gốc được chuyển vào <thư mục văn bản>/.removed/.")
    removing.add_argument("doc_id")
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
    serve.add_argument("--workers", type=int, help="số tiến trình phục vụ, mỗi tiến trình một mô hình "
                       "(mặc định: số nhân CPU, ASSISTANT_WORKERS)")
    _add_eval(add("eval", "Chấm điểm trên bộ câu hỏi, so với cách làm cơ sở đo trong cùng lần chạy, và ghi báo "
                  "cáo latest.json, latest.md, latest.html; hoặc so sánh hai lần chạy (--compare)."))
    add_study_parser(commands, _add_common)
    return parser


_EXPORT = ("Xuất mô hình nhúng (ASSISTANT_MODEL) sang ONNX int8 một lần, vào thư mục đệm mô hình; "
           "./scripts/setup.sh làm việc này. Bỏ qua nếu đã có bản xuất của đúng các trọng số ấy.")


def _add_eval(evaluate: argparse.ArgumentParser) -> None:
    evaluate.add_argument("--questions", type=Path, default=Path("eval/questions.jsonl"), metavar="TỆP",
                          help="tệp câu hỏi JSONL, mỗi dòng một câu (mặc định eval/questions.jsonl)")
    evaluate.add_argument("--output", type=Path, default=Path("eval/results"), metavar="THƯ_MỤC",
                          help="nơi ghi latest.json, latest.md, latest.html (với --compare: compare.md, "
                               "compare.html, compare.json); ghi đè lần trước ở đó (mặc định eval/results)")
    evaluate.add_argument("--limit", type=int, metavar="N",
                          help="chỉ hỏi N câu đầu tiên (sau khi lọc theo --type, --variant); mặc định: mọi câu")
    evaluate.add_argument("--type", action="append", metavar="LOẠI", dest="types",
                          help="chỉ hỏi câu thuộc loại này (who, when, what, metadata, list, compare, count, "
                               "unanswerable...); lặp lại hoặc ngăn bằng dấu phẩy; mặc định: mọi loại")
    evaluate.add_argument("--variant", action="append", metavar="CÁCH", dest="variants",
                          help="chỉ hỏi câu theo cách diễn đạt này (plain, no-diacritics, paraphrase, typo, "
                               "english, followup...); lặp lại hoặc ngăn bằng dấu phẩy; mặc định: mọi cách")
    evaluate.add_argument("--no-baseline", action="store_true",
                          help="không chạy cách làm cơ sở (nhanh hơn; cột cơ sở để trống); mặc định: có chạy")
    evaluate.add_argument("--no-progress", action="store_true",
                          help="không hiện thanh tiến độ trên stderr; mặc định: có hiện")
    evaluate.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"),
                          help="không chạy gì: in những gì đổi từ lần chạy A sang B (kiểm định cặp McNemar, chỉ "
                               "số, điều kiện chạy, các câu đổi kết quả); A, B là tệp latest.json hoặc thư mục chứa nó")
    evaluate.add_argument("--rerender", type=Path, metavar="A",
                          help="không chạy gì: viết lại latest.md và latest.html của lần chạy đã lưu A (latest.json "
                               "hoặc thư mục chứa nó) bằng báo cáo hiện tại; latest.json giữ nguyên")
    evaluate.add_argument("--allow-different", action="store_true",
                          help="với --compare: vẫn so hai lần chạy trên bộ câu hỏi hay bộ văn bản khác nhau (trên "
                               "các câu chung, cảnh báo ở đầu mọi báo cáo); mặc định: từ chối")


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
    except MemoryError:  # never "lỗi nội bộ": what ran out, and what to do
        print("Error: không đủ bộ nhớ để làm việc này; hãy tách tệp lớn thành nhiều phần, quét ở 200–300 dpi, "
              "hoặc giảm ASSISTANT_MAX_PDF_PAGES / ASSISTANT_MAX_IMAGE_PIXELS", file=sys.stderr)
        return 1
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


def _add(args, settings: Settings) -> int:
    report = add_documents(settings, args.files, province=args.province, progress=sys.stderr.isatty(),
                           force=args.force, replace_id=args.replace)
    for problem in report.refused:
        print(f"Error: {problem}", file=sys.stderr)
    if report.build:
        for problem in report.build.problems:
            _log(f"Bỏ qua: {problem}")
        if report.replaced:
            print(f"Đã thay văn bản «{report.replaced}»; tệp cũ ở {report.build.corpus_dir / '.removed'}.")
        for given, doc_id in report.added:
            print(f"Đã thêm {given} thành văn bản «{doc_id}».")
        build_report = report.build
        print(f"Chỉ mục {build_report.index_dir}: {build_report.documents} văn bản, {build_report.chunks} đoạn "
              f"({build_report.embedded} đoạn mới được nhúng), {build_report.seconds:.1f} giây.")
    return 1 if report.refused else 0


def _export_model(args, settings: Settings) -> int:
    from .index.embedding import export_model

    print(export_model(settings, log=_log))
    return 0


def _remove(args, settings: Settings) -> int:
    report = remove_document(settings, args.doc_id)
    print(f"Đã gỡ văn bản «{args.doc_id}»; tệp gốc ở {report.corpus_dir / '.removed'}. Chỉ mục {report.index_dir}: "
          f"{report.documents} văn bản, {report.chunks} đoạn, {report.seconds:.1f} giây.")
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
    if doc.pages:
        print("pages: " + "; ".join(f"{p['page']}: {p['start']}–{p['end']}" for p in doc.page_ranges()))
    print()
    print(doc.text, end="")
    return 0


def _serve(args, settings: Settings) -> int:
    from .serve.server import serve

    serve(settings, args.host, args.port, log=_log, workers=args.workers)
    return 0


def _eval(args, settings: Settings) -> int:
    if args.compare:
        from .evaluation.compare import load_result, write_comparison

        a, b = args.compare
        print(write_comparison(load_result(a), load_result(b), str(a), str(b), args.output,
                               allow_different=args.allow_different), end="")
        print(f"\nBáo cáo: {args.output / 'compare.html'} · {args.output / 'compare.md'} · "
              f"{args.output / 'compare.json'}")
        return 0
    if args.rerender:
        from .evaluation.run import rerender

        folder = rerender(args.rerender)
        print(f"Báo cáo: {folder / 'latest.html'} · {folder / 'latest.md'}")
        return 0
    from .evaluation.questions import Selection
    from .evaluation.report import headline
    from .evaluation.run import run_evaluation

    selection = Selection(types=_listed(args.types), variants=_listed(args.variants), limit=args.limit)
    result = run_evaluation(settings, args.questions, args.output, selection=selection,
                            with_baseline=not args.no_baseline, progress=not args.no_progress, log=_log)
    print(headline(result), end="")
    print(f"\nBáo cáo: {args.output / 'latest.html'} · {args.output / 'latest.md'} · {args.output / 'latest.json'}")
    return 0


def _listed(values: list[str] | None) -> tuple[str, ...]:
    """`--type who --type when` and `--type who,when` both mean (who, when)."""
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def _study(args, settings: Settings) -> int:
    """Study views read the index only: the model is never loaded (warm=False)."""
    assistant = Assistant.open(settings, log=_log, warm=False)
    return run_study(args, assistant.index, write=print, key_rows=settings.study_key_rows)


_COMMANDS = {"build": _build, "export-model": _export_model, "add": _add, "remove": _remove, "ask": _ask, "show": _show, "serve": _serve,
             "eval": _eval, "study": _study}

if __name__ == "__main__":
    raise SystemExit(main())
