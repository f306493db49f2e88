"""What a plan says about itself, written as a trainer would write it: its label
("Kế hoạch của UBND tỉnh Bắc Giang, tháng 7/2024 (chưa ghi số)") and the fields of its
header and signature, each with the words it was read from, or "không ghi" when the
plan leaves the field blank (a draft or a copy without its number, date or signer)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.documents import Document

NOT_WRITTEN = "không ghi"
_DATE = re.compile(r"ngày\s*(\d{1,2})?\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})")
_ISSUING_VERB = re.compile(r"\s+(?:ban hành|chỉ đạo)$")


@dataclass(frozen=True)
class Fact:
    name: str
    label: str
    value: str  # as shown: "157/KH-UBND", "22/01/2024", "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nMai Sơn"; NOT_WRITTEN
    span: tuple[int, int] | None  # the words it was read from (None when the plan leaves it blank)


def short_date(date: str) -> tuple[str, bool]:
    """("22/01/2024", True) for "ngày 22 tháng 01 năm 2024"; ("tháng 7/2024", False) when the
    day is left blank; ("", False) for no date."""
    found = _DATE.search(date)
    if not found:
        return "", False
    day, month, year = found.groups()
    if day:
        return f"{int(day):02d}/{int(month):02d}/{year}", True
    return f"tháng {int(month)}/{year}", False


def issuer_name(document: Document) -> str:
    """The issuing body on one line, without the verb the text names it with."""
    return _ISSUING_VERB.sub("", " ".join(document.issuer.split()))


def issuer_short(document: Document) -> str:
    """"UBND tỉnh Bắc Giang" for "Chủ tịch UBND tỉnh Bắc Giang": the body a plan comes from."""
    name = re.sub(r"^Chủ tịch\s+", "", issuer_name(document))
    return re.sub(r"^(?:Ủy|Uỷ) ban nhân dân", "UBND", name)


def plan_label(document: Document) -> str:
    """"Kế hoạch số 157/KH-UBND của UBND tỉnh Gia Lai, ngày 22/01/2024", or with what the
    plan leaves blank said plainly: "Kế hoạch của UBND tỉnh Bắc Giang, tháng 7/2024 (chưa ghi số)"."""
    kind = (document.kind or "văn bản").capitalize()
    number = f" số {document.number}" if document.number else ""
    issuer = issuer_short(document) or (f"tỉnh {document.province_name}" if document.province_name else "")
    date, _ = short_date(document.date)
    missing = [part for part, given in (("số", document.number), ("ngày", date)) if not given]
    label = f"{kind}{number}" + (f" của {issuer}" if issuer else "")
    if date:
        label += f", {'ngày ' if '/' in date[:3] else ''}{date}"
    return label + (f" (chưa ghi {', '.join(missing)})" if missing else "")


def header_facts(document: Document) -> tuple[Fact, ...]:
    """Number, date, issuing body and the signature block, in the order a summary lists them."""
    number = document.span("number")
    date_span = document.span("date")
    date, full = short_date(document.date)
    issuer = issuer_span(document)
    return (
        Fact("number", "Số, ký hiệu", document.number or NOT_WRITTEN, number),  # "Số: /KH-UBND" shows the blank
        Fact("date", "Ngày ban hành", (date if full else f"{date} (không ghi ngày)") if date else NOT_WRITTEN,
             date_span if date else None),
        Fact("issuer", "Cơ quan ban hành", issuer_name(document) or NOT_WRITTEN, issuer),
        _signer(document),
    )


def issuer_span(document: Document) -> tuple[int, int] | None:
    span = document.span("issuer")
    if not span:
        return None
    written = document.text[span[0]:span[1]]
    verb = _ISSUING_VERB.search(written)
    return (span[0], span[0] + verb.start()) if verb else span


def _signer(document: Document) -> Fact:
    """The whole signature block: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" and the name."""
    title, name = document.span("signer_title"), document.span("signer")
    if not title and not name:
        return Fact("signer", "Người ký", NOT_WRITTEN, None)
    start = title[0] if title else name[0]
    end = name[1] if name else _block_end(document.text, start)
    lines = [" ".join(line.split()) for line in document.text[start:end].split("\n") if line.strip()]
    return Fact("signer", "Người ký", "\n".join(lines), (start, end))


def _block_end(text: str, start: int) -> int:
    """The end of a signature's title lines when no name follows them."""
    stop = text.find("\n\n", start)
    return len(text.rstrip()) if stop < 0 else stop
