"""`.txt` and `.md`: UTF-8 text (or TCVN3 / VNI, converted: legacy.py); markdown and HTML
marks are removed by the cleaning."""

from __future__ import annotations

from pathlib import Path

from ...errors import UnreadableDocumentError
from . import Extracted, Limits, cleaned


def read(path: Path, limits: Limits) -> Extracted:
    data = path.read_bytes()
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a legacy encoding (TCVN3, VNI) is saved one byte per character, as Windows-1252
        from .legacy import convert

        converted, name = convert(data.decode("cp1252", errors="replace"))
        if not name:
            raise UnreadableDocumentError(f"tệp {path.name} không phải văn bản UTF-8 (byte thứ {exc.start}); "
                                          "hãy lưu lại dưới dạng UTF-8 rồi chạy lại `assistant build`") from exc
        return cleaned(converted, path.suffix.lower().lstrip("."), name=path.name, converted_from=name)
    return cleaned(raw.removeprefix("\ufeff"), path.suffix.lower().lstrip("."), name=path.name)
