"""A handout: what a view prints, in a shape every export format can render (Markdown,
.docx, .xlsx). Headings and notes are the handout's own words; every entry quotes the
plans and carries its citation (document, section, characters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from .corpus import Quote, StudyCorpus

EMPTY = "— (không nêu)"


@dataclass(frozen=True)
class Entry:
    """One item: a label ("Chủ trì, thực hiện"), the quotes it shows, and items under it.
    `text` stands in for quotes when there are none (an empty cell, a choice)."""

    label: str = ""
    quotes: tuple[Quote, ...] = ()
    cut: bool = False  # the quote is the opening of a longer sentence: shown with "…"
    text: str = ""
    details: tuple["Entry", ...] = ()


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    quote: Quote | None = None  # a heading quoted from a plan (a task group's title)


@dataclass(frozen=True)
class Note:
    text: str


@dataclass(frozen=True)
class Items:
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name in .xlsx
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[Entry, ...], ...], ...]  # row → cell → entries
    short_citations: bool = False  # each column is one document: cells cite without naming it
    widths: tuple[float, ...] = ()  # each column's width in millimetres (.docx); () shares the page out
    cite: bool = True  # False: cells show no citations (the key matrix: its appendix has them)
    font_size: float = 10  # points, in .docx
    rows_whole: bool = False  # a row never breaks across pages (short rows only)


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Union[Heading, Note, Items, Table, PageBreak]


@dataclass(frozen=True)
class Handout:
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    sheets: tuple[Table, ...]  # what .xlsx holds, one sheet each
    sources: dict[str, str] = field(default_factory=dict)  # doc_id → how a citation names it
    landscape: bool = False  # wide tables print across the page
    compact: bool = False  # one page: smaller type and margins, citations inline in small grey type
    events: tuple | None = None  # calendar.CalendarEvent: what .ics holds (the deadlines view only)

    def citation(self, quotes: tuple[Quote, ...], short: bool = False) -> str:
        """"Kế hoạch 157/KH-UBND (Gia Lai), mục II › 1, ký tự 2363–2890" for the quotes of one entry."""
        if not quotes:
            return ""
        first = quotes[0]
        same = [q for q in quotes if q.doc_id == first.doc_id]
        start, end = min(q.start for q in same), max(q.end for q in same)
        where = f"mục {first.section}, " if first.section else ""
        if short:
            return f"{where}ký tự {start}–{end}"
        return f"{self.sources.get(first.doc_id, first.doc_id)}, {where}ký tự {start}–{end}"


def sources(corpus: StudyCorpus) -> dict[str, str]:
    return {doc_id: plan.label for doc_id, plan in corpus.plans.items()}


def quoted(label: str, quotes, cut: bool = False, details: tuple[Entry, ...] = ()) -> Entry:
    quotes = tuple(q for q in (quotes if isinstance(quotes, (tuple, list)) else (quotes,)) if q)
    return Entry(label, quotes, cut, "" if quotes else EMPTY, details)


def plain(text: str, label: str = "") -> Entry:
    return Entry(label, (), False, text)


def shown(entry: Entry) -> str:
    """The entry's own words on one line: «quote»; «quote» …, or its text (a value read from
    its quotes, such as a date written out, shows its text and cites the quotes)."""
    if not entry.quotes or entry.text:
        return entry.text
    body = "; ".join(f"«{q.quote}»" for q in entry.quotes)
    return body[:-1] + " …»" if entry.cut else body
