"""The question file of an evaluation: reading it, checking each line, and picking
the part of it a run asks (`--type`, `--variant`, `--limit`)."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import AssistantError

REQUIRED_KEYS = ("id", "question", "province", "docs", "answers", "evidence", "type", "variant")


@dataclass(frozen=True)
class Selection:
    """Which questions of the file a run asks; empty tuples mean all of them."""

    types: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    limit: int | None = None

    def is_whole(self) -> bool:
        return not (self.types or self.variants or self.limit)

    def to_dict(self) -> dict:
        return {"types": list(self.types), "variants": list(self.variants), "limit": self.limit}


def load_questions(path: Path) -> list[dict]:
    if not path.is_file():
        raise AssistantError(f"không tìm thấy tệp câu hỏi {path}")
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AssistantError(f"{path}:{number}: không phải JSON hợp lệ ({exc.msg})") from exc
        missing = [k for k in REQUIRED_KEYS if k not in row]
        if missing:
            raise AssistantError(f"{path}:{number}: thiếu trường {', '.join(missing)}")
        history = row.get("history", [])
        if not isinstance(history, list) or not all(isinstance(h, str) and h.strip() for h in history):
            raise AssistantError(f"{path}:{number}: history phải là danh sách các câu hỏi trước (chuỗi khác rỗng)")
        questions.append(row)
    if not questions:
        raise AssistantError(f"tệp câu hỏi {path} không có câu hỏi nào")
    return questions


def select(questions: list[dict], selection: Selection) -> list[dict]:
    """The questions of the given types and variants, in file order, at most `limit`.
    A type or variant the file does not have is an error naming those it has, so a
    typo never yields an empty run that looks like a result."""
    for key, wanted in (("type", selection.types), ("variant", selection.variants)):
        present = sorted({q[key] for q in questions})
        unknown = [w for w in wanted if w not in present]
        if unknown:
            raise AssistantError(f"không có {key} {', '.join(unknown)} trong tệp câu hỏi; "
                                 f"có: {', '.join(present)}")
    if selection.limit is not None and selection.limit < 1:
        raise AssistantError(f"--limit phải từ 1 trở lên, không phải {selection.limit}")
    chosen = [q for q in questions
              if (not selection.types or q["type"] in selection.types)
              and (not selection.variants or q["variant"] in selection.variants)]
    if not chosen:
        raise AssistantError("không có câu hỏi nào vừa có type vừa có variant đã chọn")
    return chosen[:selection.limit] if selection.limit else chosen


def strip_diacritics(text: str) -> str:
    """The question as typed on a keyboard without Vietnamese input: case kept."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"))
