"""`.txt` and `.md`: UTF-8 text; markdown and HTML marks are removed by the cleaning."""

from __future__ import annotations

from pathlib import Path

from ...errors import UnreadableDocumentError
from . import Extracted, cleaned


def read(path: Path) -> Extracted:
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableDocumentError(f"tệp {path.name} không phải văn bản UTF-8 (byte thứ {exc.start}); "
                                      "hãy lưu lại dưới dạng UTF-8 rồi chạy lại `assistant build`") from exc
    return cleaned(raw.removeprefix("\ufeff"), path.suffix.lower().lstrip("."))
