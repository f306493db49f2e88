"""From positioned lines (a PDF's text layer, or OCR) back to paragraphs.

Pages carry things that are not the document's text: page numbers, running headers
and footers. And a paragraph is cut into lines wherever the page ran out of width.
Both are undone here from the lines' positions, the same way for PDFs and scans:
- a line in the top or bottom margin that is a page number ("3", "- 3 -", "Trang 3",
  "3/12"), or that recurs on most pages (digits aside), is dropped;
- a gap wider than the one between the lines of a paragraph starts a new paragraph;
- otherwise a line is joined to the next when the next line's first word would not
  have fitted at its end (the writer wrapped it);
- a word hyphenated across the wrap ("infor-" / "mation") loses its hyphen; a code or a
  compound cut after its hyphen ("57-" / "KL/TW", "kinh tế-" / "xã hội") keeps it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from ..text import LIST_OR_HEADING

_MARGIN_ZONE = 0.12  # the top and bottom 12% of a page hold its running header and footer
_RUNNING_SHARE = 0.6  # a margin line on 60% of the pages (and at least two) is running text
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*/\s*\d{1,4})?$", re.IGNORECASE)
_PARAGRAPH_GAP = 1.6  # a vertical gap this many line heights wide starts a new paragraph
_EXTRA_SPACE = 0.2  # space after a paragraph: this much of a line height above the usual gap


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_word: float  # width of its first word, to tell whether it would have fitted above
    column: int = 0  # 1 or 2 in a two-column part (header, closing: columns.py), else 0


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    width: float
    height: float


def page_text(pages: list[Page]) -> tuple[str, tuple[int, ...]]:
    """The text of the pages, paragraphs rejoined, and the offset where each page starts."""
    kept = _drop_margin_lines(pages)
    margin = _right_margin(pages, kept)
    gap = _line_gap(kept)
    parts: list[str] = []
    starts: list[int] = []
    length, previous, previous_page = 0, None, -1
    for number, lines in enumerate(kept):
        starts.append(length)
        for line in lines:
            if previous is not None:
                joint = _joint(previous, line, margin, gap if previous_page == number else None)
                if joint == _DROP_HYPHEN:
                    parts[-1], joint = parts[-1][:-1], ""
                    length -= 1
                parts.append(joint)
                length += len(joint)
                if line is lines[0]:
                    starts[-1] = length
            parts.append(line.text)
            length += len(line.text)
            previous, previous_page = line, number
    return "".join(parts), tuple(starts)


_DROP_HYPHEN = "\0"


def _joint(previous: Line, line: Line, margin: float, gap: float | None) -> str:
    """What goes between two lines: nothing (a code cut at its hyphen), a space (a wrap),
    a line break, a blank line (a wider gap than between the lines of a paragraph), or
    _DROP_HYPHEN (a word hyphenated across the wrap). `gap` is None across a page break."""
    if previous.column or line.column:
        return _column_joint(previous, line)
    height = max(previous.bottom - previous.top, 1.0)
    spacing = None if gap is None else line.top - previous.bottom
    if spacing is not None and spacing > min(gap + _EXTRA_SPACE * height, _PARAGRAPH_GAP * height):
        return "\n\n"
    wrapped = previous.x1 + 0.3 * height + line.first_word > margin
    if wrapped and not (LIST_OR_HEADING.match(line.text) and previous.text.endswith((".", ":", ";"))):
        if previous.text.endswith("-") and len(previous.text) > 1 and not previous.text[-2].isspace():
            return _DROP_HYPHEN if _hyphenated_word(previous.text, line.text) else ""
        return " "
    return "\n"


def _column_joint(previous: Line, line: Line) -> str:
    """In a two-column part every line keeps its break ("KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"),
    except an item that ran on in its narrow cell ("- Các sở, ban, ngành" / "của tỉnh;")."""
    if previous.column != line.column:
        return "\n\n"
    if previous.text.endswith("-") and not previous.text.endswith(" -"):  # "NC-" / "KSTTHC": one code
        return ""
    runs_on = line.text[:1].islower() and not previous.text.endswith((".", ":", ";"))
    return " " if runs_on and not LIST_OR_HEADING.match(line.text) else "\n"


def _hyphenated_word(before: str, after: str) -> bool:
    """True for a word a word processor hyphenated ("infor-" / "mation"). Vietnamese
    syllables are never split, and a compound such as "kinh tế-xã hội" keeps its hyphen,
    so only plain lower-case Latin letters on both sides count."""
    head = re.search(r"([^\W\d_]+)-$", before)
    tail = re.match(r"[^\W\d_]+", after)
    return bool(head and tail) and all(p.isascii() and p.islower() for p in (head.group(1), tail.group()))


def _line_gap(kept: list[list[Line]]) -> float:
    """The gap between the lines of one paragraph: the narrow end of all gaps (most
    gaps may be between one-line paragraphs, which are wider)."""
    gaps = sorted(b.top - a.bottom for lines in kept for a, b in zip(lines, lines[1:]) if b.top > a.bottom)
    return gaps[len(gaps) // 10] if gaps else 0.0


def _right_margin(pages: list[Page], kept: list[list[Line]]) -> float:
    """Where full lines end: the median end of the lines reaching past 60% of the width."""
    ends = [line.x1 for page, lines in zip(pages, kept) for line in lines if line.x1 > 0.6 * page.width]
    if ends:
        return median(ends)
    return max((line.x1 for lines in kept for line in lines), default=0.0)


def _drop_margin_lines(pages: list[Page]) -> list[list[Line]]:
    in_margin = [[line for line in page.lines if _in_margin(line, page)] for page in pages]
    counts = Counter(key for lines in in_margin for key in {_shape(line.text) for line in lines})
    running = {key for key, count in counts.items()
               if len(pages) >= 2 and count >= 2 and count >= _RUNNING_SHARE * len(pages)}
    kept = []
    for page, margin_lines in zip(pages, in_margin):
        drop = {id(line) for line in margin_lines
                if _PAGE_NUMBER.match(line.text.strip()) or _shape(line.text) in running}
        kept.append([line for line in page.lines if id(line) not in drop and line.text.strip()])
    return kept


def _in_margin(line: Line, page: Page) -> bool:
    return line.bottom < _MARGIN_ZONE * page.height or line.top > (1 - _MARGIN_ZONE) * page.height


def _shape(text: str) -> str:
    """A running line with its page number blanked: "Trang 3/12" and "Trang 4/12" are one."""
    return re.sub(r"\d+", "#", " ".join(text.split()).lower())
