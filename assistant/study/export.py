"""Export a handout: Markdown, Word (.docx, python-docx) or Excel (.xlsx, openpyxl)."""

from __future__ import annotations

from typing import Sequence

from ..errors import InvalidRequestError, UnsupportedFormatError
from .handout import Handout

FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
}


def check_format(name: str, allowed: Sequence[str] = tuple(FORMATS)) -> str:
    if name not in allowed:
        raise UnsupportedFormatError(f"không có định dạng «{name}»; chọn một trong: {', '.join(allowed)}")
    return name


def export(handout: Handout, fmt: str) -> bytes:
    check_format(fmt)
    if fmt == "ics":
        if handout.events is None:
            raise InvalidRequestError("định dạng ics (tệp lịch) chỉ có cho trang thời hạn (deadlines)")
        from .calendar import ics_bytes

        return ics_bytes(handout.events, handout.title)
    if fmt == "md":
        from .export_md import markdown

        return markdown(handout).encode("utf-8")
    if fmt == "docx":
        from .export_docx import docx_bytes

        return docx_bytes(handout)
    from .export_xlsx import xlsx_bytes

    return xlsx_bytes(handout)
