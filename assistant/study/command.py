"""`assistant study overview|summary|matrix|key-matrix|deadlines|distinctive|quiz`:
arguments, and the view printed as Markdown (the default), JSON (`--json`) or written to a
file (`--format md|docx|xlsx|ics --output FILE`); `assistant study slides --output X.pptx`
and `assistant study pack --output FOLDER` write the session's slides and its whole pack.
The CLI opens the index and passes it in; nothing here loads a model. Files are written
through a temporary file and get the usual permissions (0644 under the usual umask)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from ..errors import AssistantError
from .corpus import StudyCorpus
from .export import FORMATS, check_format, export
from .views import build_view, to_json

_VIEWS = {
    "overview": "Tổng quan một kế hoạch: cơ quan ban hành, mục đích, các nhóm nhiệm vụ, tổ chức thực hiện.",
    "summary": "Tóm tắt một trang của một kế hoạch: số, ngày, cơ quan ban hành, người ký, mục tiêu, điểm riêng.",
    "matrix": "Ma trận nhiệm vụ theo đơn vị (hoặc theo chủ đề của Kết luận 57 với --by topic) giữa các tỉnh.",
    "key-matrix": "Ma trận chính (ai làm gì) trên hai trang ngang: các đơn vị chủ chốt × các tỉnh.",
    "deadlines": "Lịch thời hạn: hạn có ngày (tệp lịch với --format ics), hạn trong năm, nhiệm vụ định kỳ.",
    "distinctive": "Điểm riêng của từng tỉnh: những gì chỉ văn bản đó có, trích nguyên văn.",
    "quiz": "Đề ôn tập có đáp án và trích dẫn; các đề số 1, 2, 3 … không trùng câu nào.",
    "slides": "Bài giảng .pptx cho một buổi học (cần --output TỆP.pptx).",
    "pack": "Gói tài liệu cho một buổi học: tóm tắt, ma trận, lịch, bài giảng, ba đề và đáp án (cần --output THƯ_MỤC).",
}


def add_study_parser(commands, add_common: Callable) -> None:
    """`study` and its four views; `add_common` adds --index and --corpus to a parser."""
    study = commands.add_parser("study", help="Tài liệu học tập cho báo cáo viên (không dùng mô hình).",
                                description="Tài liệu học tập: tổng quan, ma trận, thời hạn, câu hỏi ôn tập.")
    views = study.add_subparsers(dest="view", required=True, parser_class=type(study))
    for name, help_text in _VIEWS.items():
        view = views.add_parser(name, help=help_text, description=help_text)
        add_common(view)
        if name in ("overview", "summary"):
            view.add_argument("doc_id", help="mã văn bản (xem `assistant show` hoặc /api/documents)")
        view.add_argument("--province", action="append", default=[], metavar="SLUG",
                          help="chỉ các tỉnh này (lặp lại được), ví dụ --province gia-lai")
        if name in ("overview", "matrix"):
            view.add_argument("--topic", action="append", default=[], metavar="KEY",
                              help="chỉ các chủ đề này (lặp lại được): quan-triet, phoi-hop, doi-moi, dau-tranh, nguon-luc")
        if name == "matrix":
            view.add_argument("--by", default="unit", help="unit (theo đơn vị, mặc định) hoặc topic (theo chủ đề)")
        if name in ("key-matrix", "slides", "pack"):
            view.add_argument("--rows", type=int, metavar="N",
                              help="số hàng của ma trận chính (mặc định 10, ASSISTANT_STUDY_KEY_ROWS)")
        if name == "quiz":
            view.add_argument("--count", type=int, default=10, help="số câu hỏi (1–100, mặc định 10)")
            view.add_argument("--seed", type=int, default=1,
                              help="đề số (từ 1): các đề 1, 2, 3 … không trùng câu nào (mặc định 1)")
        if name in ("slides", "pack"):
            view.add_argument("--output", type=Path, required=True,
                              help="tệp .pptx" if name == "slides" else "thư mục ghi gói tài liệu (tạo nếu chưa có)")
            continue
        view.add_argument("--json", action="store_true", help="in JSON; mỗi trích dẫn có doc_id, quote, start, end")
        view.add_argument("--format", help="md, docx, xlsx hoặc ics (chỉ với deadlines); cần --output với docx, xlsx, ics")
        view.add_argument("--output", type=Path, help="ghi ra tệp này")


def run_study(args, index, write: Callable[[str], None], key_rows: int = 10) -> int:
    """Build the view the arguments ask for from `index` and print or write it."""
    rows = getattr(args, "rows", None) or key_rows
    if args.view in ("slides", "pack"):
        return _session(args, StudyCorpus.from_index(index), rows, write)
    fmt = _format(args)
    corpus = StudyCorpus.from_index(index)
    view, handout = build_view(corpus, args.view, doc_id=getattr(args, "doc_id", None),
                               provinces=args.province, topics=getattr(args, "topic", []),
                               by=getattr(args, "by", "unit"), count=getattr(args, "count", 10),
                               seed=getattr(args, "seed", 1), rows=rows)
    if args.json:
        write(json.dumps(to_json(view), ensure_ascii=False))
        return 0
    data = export(handout(), fmt)
    if args.output is None:
        write(data.decode("utf-8").rstrip("\n"))
        return 0
    _save(args.output, data)
    write(f"Đã ghi {args.output} ({len(data):,} byte, định dạng {fmt}).".replace(",", "."))
    return 0


def _session(args, corpus: StudyCorpus, rows: int, write: Callable[[str], None]) -> int:
    """`slides`: one .pptx; `pack`: every file of the session in one folder."""
    from .pack import pack_files, slides_bytes

    corpus.select(args.province)  # an unknown province is refused before any work
    if args.view == "slides":
        if args.output.suffix.lower() != ".pptx":
            raise AssistantError(f"bài giảng là tệp .pptx; đặt tên như bai-giang.pptx, không phải {args.output.name}")
        data = slides_bytes(corpus, args.province, rows)
        _save(args.output, data)
        write(f"Đã ghi {args.output} ({len(data):,} byte).".replace(",", "."))
        return 0
    if args.output.exists() and not args.output.is_dir():
        raise AssistantError(f"{args.output} là một tệp, không phải thư mục; chọn một thư mục cho gói tài liệu")
    files = pack_files(corpus, args.province, rows)
    try:
        args.output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssistantError(f"không tạo được thư mục {args.output}: {exc.strerror}") from exc
    for name, data in files:
        _save(args.output / name, data)
    write(f"Đã ghi {len(files)} tệp vào {args.output}:")
    for name, data in files:
        write(f"  {name} ({len(data):,} byte)".replace(",", "."))
    return 0


def _format(args) -> str:
    if args.json and (args.format or args.output):
        raise AssistantError("--json in ra màn hình; không dùng cùng --format hay --output")
    fmt = args.format
    if fmt is None and args.output is not None:
        fmt = args.output.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise AssistantError(f"không đoán được định dạng của tệp {args.output}; thêm --format md, docx hoặc xlsx")
    fmt = check_format(fmt or "md")
    if fmt != "md" and args.output is None:
        raise AssistantError(f"định dạng {fmt} là tệp nhị phân; thêm --output TỆP.{fmt}")
    return fmt


def _save(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, so a failed export never
    leaves half a file where a good one was."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise AssistantError(f"không có thư mục {folder} để ghi {path.name}")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 is for the temporary file only
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise AssistantError(f"không ghi được {path}: {exc.strerror}") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
