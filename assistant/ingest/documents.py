"""Documents: the cleaned text of each corpus file and the metadata read from it
(province, issuing body, kind, number, date, title, signer, the plans it
implements or replaces). Every metadata value keeps the span it was read from,
so an answer built on it can quote its source."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import CorpusError
from . import formats
from .corpus import CorpusFile, scan, sidecar_of
from .closing import closing_span, parse_recipients, parse_signer, unread_fields
from .provinces import PROVINCES, by_slug, find_provinces
from .text import nfc

METADATA_FIELDS = (
    "province", "issuer", "kind", "number", "symbol", "date", "title",
    "signer", "signer_title", "implements", "replaces", "recipients",
)


@dataclass(frozen=True)
class Document:
    doc_id: str
    text: str
    province: str = ""  # slug, "" when the text names none
    province_name: str = ""
    issuer: str = ""
    kind: str = ""  # "kế hoạch", "công văn", …
    number: str = ""  # "157/KH-UBND"; "" when the number is left blank
    symbol: str = ""  # "KH-UBND", the part after the slash
    date: str = ""  # as written: "ngày 22 tháng 01 năm 2024"
    title: str = ""
    signer: str = ""
    signer_title: str = ""
    implements: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()  # "Kính gửi" of a letter, else "Nơi nhận"
    # field name → (start, end) of the text the value was read from
    spans: tuple[tuple[str, int, int], ...] = field(default=(), repr=False)
    source: str = ""  # the file in the corpus folder: "gia-lai-157.pdf"
    format: str = ""  # "txt", "md", "docx", "pdf", "pdf-ocr" (a scan), "png", "jpg"
    pages: tuple[int, ...] = field(default=(), repr=False)  # offset where each page starts
    sha256: str = field(default="", repr=False)  # of the source file's bytes
    sidecar_sha256: str = field(default="", repr=False)  # of its .meta.json, "" without one
    # fields the document has but the reader could not read (a scan's blurred number): an
    # answer says it could not be read, never that the document lacks it
    unread: tuple[str, ...] = ()
    converted_from: str = ""  # "TCVN3" or "VNI": the legacy encoding the text was converted from
    ocr_quality: tuple[tuple[str, float], ...] = ()  # ("confidence", 0.91), ("vocabulary", 0.97) of a scan
    forced: bool = False  # added with --force although its scan quality was below the gate

    def span(self, name: str) -> tuple[int, int] | None:
        for key, start, end in self.spans:
            if key == name:
                return start, end
        return None

    @property
    def label(self) -> str:
        """Short human label: "Kế hoạch 157/KH-UBND (Gia Lai)", or "Kế hoạch chưa ghi số (Bắc
        Giang)" for a plan issued with its number left blank ("Số: /KH-UBND")."""
        kind = (self.kind or "văn bản").capitalize()
        ident = self.number or ("chưa ghi số" if self.symbol else "")
        where = f" ({self.province_name})" if self.province_name else ""
        return " ".join(part for part in (kind, ident) if part) + where

    @property
    def display_title(self) -> str:
        """The title with its kind: "Kế hoạch Triển khai Nghị quyết số 47/NQ-CP …"."""
        kind = (self.kind or "văn bản").capitalize()
        if not self.title:
            return self.label
        if self.title.lower().startswith(self.kind or "\0"):
            return self.title
        return f"{kind} {'về việc ' if self.kind == 'công văn' else ''}{self.title}"

    def metadata(self) -> dict:
        return {name: (list(v) if isinstance(v := getattr(self, name), tuple) else v)
                for name in ("doc_id", "province_name", "label", "display_title") + METADATA_FIELDS
                + ("source", "format", "unread", "converted_from", "forced")}

    def page_at(self, offset: int) -> int | None:
        """The page (from 1) the offset is on, None for a source without pages."""
        if not self.pages:
            return None
        return max(bisect_right(self.pages, offset), 1)

    def page_ranges(self) -> list[dict]:
        ends = list(self.pages[1:]) + [len(self.text)]
        return [{"page": n, "start": start, "end": end}
                for n, (start, end) in enumerate(zip(self.pages, ends), start=1)]


def read_corpus(folder: Path) -> tuple[list[Document], list[str]]:
    """All documents of a folder, and one problem message per file skipped."""
    files, problems = scan(folder)
    documents = []
    for corpus_file in files:
        try:
            documents.append(load_file(corpus_file))
        except CorpusError as exc:
            problems.append(str(exc))
    return documents, problems


def load_document(path: Path) -> Document:
    return load_file(CorpusFile(path, "", ""))


def load_file(corpus_file: CorpusFile, province: str | None = None,
              limits: formats.Limits = formats.Limits(), read_from: Path | None = None) -> Document:
    """Read, clean and parse one file (from `read_from` when it waits under a staging
    name); its sidecar, then `province`, may set fields."""
    path = corpus_file.path
    extracted = formats.read(read_from or path, limits)
    document = replace(parse_document(corpus_file.doc_id, extracted.text, scanned=extracted.scanned),
                       source=path.name, format=extracted.format, pages=extracted.pages,
                       sha256=corpus_file.sha256, sidecar_sha256=corpus_file.sidecar_sha256,
                       converted_from=extracted.converted_from, ocr_quality=extracted.ocr_quality)
    document = _apply_sidecar(document, sidecar_of(read_from or path))
    return with_province(document, province) if province else document


def with_province(document: Document, slug: str) -> Document:
    province = by_slug(slug)
    if province is None:
        raise CorpusError(f"không có tỉnh «{slug}»; dùng tên viết liền bỏ dấu, ví dụ gia-lai")
    return replace(document, province=province.slug, province_name=province.name)


def _apply_sidecar(document: Document, sidecar: Path) -> Document:
    """A `<doc>.meta.json` beside the text may set fields the text lacks."""
    if not sidecar.is_file():
        return document
    try:
        overrides = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(f"tệp {sidecar.name} không phải JSON UTF-8 hợp lệ: {exc}") from exc
    except OSError as exc:
        raise CorpusError(f"không đọc được tệp {sidecar.name} ({exc.strerror or type(exc).__name__})") from exc
    if not isinstance(overrides, dict):
        raise CorpusError(f"tệp {sidecar.name} phải là một đối tượng JSON ({{\"province\": \"gia-lai\", …}}), "
                          f"không phải {type(overrides).__name__}; các trường được phép: {', '.join(METADATA_FIELDS)}")
    unknown = set(overrides) - set(METADATA_FIELDS) - {"forced"}
    if unknown:
        raise CorpusError(f"tệp {sidecar.name} có trường không hợp lệ {sorted(unknown)}; "
                          f"các trường được phép: {', '.join(METADATA_FIELDS)}")
    values = {k: tuple(nfc(str(x)) for x in v) if isinstance(v, list) else nfc(str(v)) for k, v in overrides.items()
              if k != "forced"}
    if "forced" in overrides:  # `add --force` kept a scan below the quality gate: it stays marked
        values["forced"] = overrides["forced"] is True
    if "province" in values:
        province = by_slug(values["province"])
        values["province_name"] = province.name if province else ""
    return replace(document, **values)


# --- parsing ----------------------------------------------------------------

_HEAD_LINES = 20  # number, place and date stand in the first lines
_NUMBER = re.compile(r"^Số:[ ]*(.*)$", re.MULTILINE)
_PLACE_DATE = re.compile(r"^([^\n,]{2,40}),[ ]*(ngày\b[^\n]*năm[ ]*\d{4})", re.MULTILINE)
_KIND_HEADING = re.compile(r"^(KẾ HOẠCH|CHƯƠNG TRÌNH|QUYẾT ĐỊNH|CHỈ THỊ|BÁO CÁO|THÔNG BÁO|HƯỚNG DẪN|NGHỊ ĐỊNH"
                           r"|THÔNG TƯ|NGHỊ QUYẾT|KẾT LUẬN|QUY ĐỊNH|QUY CHẾ|TỜ TRÌNH|ĐỀ ÁN|CÔNG ĐIỆN)$",
                           re.MULTILINE)
# Nghị định 30/2020/NĐ-CP: the issuing body stands in capitals at the top left, above "Số:"
# ("ĐẠI HỌC QUỐC GIA HÀ NỘI" / "TRƯỜNG ĐẠI HỌC VIỆT NHẬT"); the national motto stands beside it
_MOTTO = re.compile(r"^(?:CỘNG HO?[ÀÒ]A XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM|Độc lập\b.*)$",
                    re.IGNORECASE)
_SUBJECT = re.compile(r"^V/v[ ]+(.+)$", re.MULTILINE)
_HEADER_ISSUER = re.compile(r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\n(TỈNH|THÀNH PHỐ) ([^\n]+)$",
                            re.MULTILINE)
_SENTENCE_ISSUER = re.compile(
    r"((?:Chủ tịch )?(?:Ủy ban nhân dân|UBND)(?: tỉnh| thành phố)?|Ban Thường vụ Tỉnh ủy)"
    r"((?: [A-ZĐÂĂÊÔƠƯ][^\s,;:]*){0,3}) (?:ban hành|chỉ đạo)")
_REFERENCE = re.compile(
    r"(Nghị quyết|Kết luận|Kế hoạch|Chỉ thị|Quyết định|Chương trình)(?: số)? "
    r"(\d+[\w/-]*[-/][A-ZĐ][\w/-]*)(?:,? ngày (\d{1,2}(?:/| tháng )\d{1,2}(?:/| năm )\d{4}))?")
_REPLACES = re.compile(r"thay thế ((?:Kế hoạch|Quyết định|Chỉ thị|Công văn|Văn bản) số [^\n.;]*?)"
                       r"(?=[.;]|\n|$)")


def parse_document(doc_id: str, text: str, scanned: bool = False) -> Document:
    """`scanned`: the text was read by OCR, so a field not found may be there, unread."""
    head_end = _line_offset(text, _HEAD_LINES)
    values: dict = {}
    spans: list[tuple[str, int, int]] = []

    def found(name: str, value, match: re.Match, group: int = 0) -> None:
        values[name] = value
        spans.append((name, match.start(group), match.end(group)))

    if m := _NUMBER.search(text, 0, head_end):
        number = re.sub(r"\s*/\s*", "/", m.group(1).strip())
        found("symbol", number.rsplit("/", 1)[-1] if "/" in number else "", m)
        found("number", number if not number.startswith("/") else "", m)
    if m := _PLACE_DATE.search(text, 0, head_end):
        found("date", " ".join(m.group(2).split()), m)
    if m := _KIND_HEADING.search(text):
        found("kind", m.group(1).lower(), m)
        title = _next_line(text, m.end())
        if title:
            found("title", title[0], title[1])
    if m := _SUBJECT.search(text, 0, head_end):
        found("kind", "công văn", m)
        found("title", m.group(1), m, 1)
    block = _issuing_block(text, head_end)
    province, where = _province(text, head_end, block)
    if province:
        values["province"], values["province_name"] = province.slug, province.name
        spans.append(("province", *where))
    _parse_issuer(text, province, found, block)
    parse_signer(text, found)
    _parse_references(text, found)
    parse_recipients(text, found)
    closing = closing_span(text, spans)
    if closing:
        spans.append(("closing", *closing))
    unread = unread_fields(values, scanned)
    return Document(doc_id=doc_id, text=text, spans=tuple(spans), unread=unread, **values)


def _line_offset(text: str, lines: int) -> int:
    offset = 0
    for _ in range(lines):
        nxt = text.find("\n", offset)
        if nxt < 0:
            return len(text)
        offset = nxt + 1
    return offset


def _next_line(text: str, offset: int) -> tuple[str, re.Match] | None:
    m = re.compile(r"\S[^\n]*").search(text, offset)
    return (m.group(), m) if m else None


def _issuing_block(text: str, head_end: int) -> list[re.Match] | None:
    """The capitalised lines naming the issuing body, above the "Số:" line."""
    number = _NUMBER.search(text, 0, head_end)
    if not number:
        return None
    lines = [m for m in re.finditer(r"[^\n]+", text[: number.start()]) if m.group().strip()]
    block = [m for m in lines if m.group().strip().isupper() and not _MOTTO.match(m.group().strip())]
    return block or None


def _province(text: str, head_end: int, block: list[re.Match] | None) -> tuple[object, tuple[int, int]]:
    """From the issuing body when the text opens with one (a ministry or a university names
    none, wherever it sits), else from the place-date line, else the province most named;
    with the span it was read from."""
    if block:
        named = find_provinces(" ".join(m.group() for m in block))
        return (named[0], (block[0].start(), block[-1].end())) if named else (None, (0, 0))
    if m := _PLACE_DATE.search(text, 0, head_end):
        for province in PROVINCES:
            if province.name.lower() == m.group(1).strip().lower():
                return province, m.span()
    counts, first = Counter(), {}
    for province in PROVINCES:
        mentions = list(re.finditer(r"(?<!\w)" + re.escape(province.name) + r"(?!\w)", text))
        counts[province] = len(mentions)
        if mentions:
            first[province] = mentions[0].span()
    best, count = counts.most_common(1)[0]
    return (best, first[best]) if count >= 2 else (None, (0, 0))


def _parse_issuer(text: str, province, found, block: list[re.Match] | None) -> None:
    if m := _HEADER_ISSUER.search(text):
        found("issuer", f"Ủy ban nhân dân {m.group(2).lower()} {m.group(3).title()}", m)
    elif block:
        found("issuer", *_block_issuer(text, block))
    elif m := _SENTENCE_ISSUER.search(text):
        name = (m.group(1) + m.group(2)).strip()
        if province and province.name not in name:
            name = f"{name} {province.name}" if name.endswith(("tỉnh", "Tỉnh ủy")) else name
        found("issuer", name, m, 0)


def _block_issuer(text: str, block: list[re.Match]) -> tuple[str, re.Match]:
    """The body that issues: the last line of the block ("TRƯỜNG ĐẠI HỌC VIỆT NHẬT" under its
    university), spelt as the text spells it elsewhere ("Trường Đại học Việt Nhật")."""
    last = block[-1]
    name = " ".join(last.group().split())
    if name in ("BAN THƯỜNG VỤ", "BAN CHẤP HÀNH") and len(block) > 1:  # under "TỈNH ỦY QUẢNG NGÃI"
        name = f"{name} {' '.join(block[-2].group().split())}"
    written = re.compile(r"(?<!\w)" + re.escape(name).replace(r"\ ", r"\s+") + r"(?!\w)", re.IGNORECASE)
    for m in written.finditer(text, last.end()):
        if not m.group().isupper():
            return " ".join(m.group().split()), m
    return name.capitalize(), last


def _parse_references(text: str, found) -> None:
    preamble = re.compile(r"^Thực hiện [^\n]+", re.MULTILINE).search(text)
    if preamble:
        refs = {}
        for m in _REFERENCE.finditer(preamble.group()):
            key = m.group(2)
            ref = f"{m.group(1)} số {key}" + (f" ngày {m.group(3)}" if m.group(3) else "")
            if len(ref) > len(refs.get(key, "")):
                refs[key] = ref
        if refs:
            found("implements", tuple(refs.values()), preamble)
    replaced = list(_REPLACES.finditer(text))
    if replaced:
        found("replaces", tuple(m.group(1).strip() for m in replaced), replaced[0], 1)
