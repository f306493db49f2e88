"""The two-column parts of an official document on a page (Nghị định 30/2020/NĐ-CP).

At the top, the issuing body and "Số: …" stand on the left, the national motto and the
place and date on the right; at the end, the "Nơi nhận" list stands on the left and the
signature on the right. Read line by line across the page they interleave ("ỦY BAN NHÂN
DÂN CỘNG HÒA XÃ HỘI …"); here they are found from the lines' positions and read column
by column, left first, as the same document typed as plain text reads:

- a line is split where a gap wider than a few characters separates its words (two cells
  of one row), by the readers (`split_words`);
- two lines *pair* when they share a height and stand apart, one left, one right;
- a cluster of pairs near the top of the first page is the header, from the top of the
  page to its last pair; any other cluster starts the closing part, which runs to the end
  of its page;
- in such a part each line goes to the column its centre falls in, and keeps its line
  break (`Line.column` 1 or 2), so "KT. CHỦ TỊCH" never runs on into "PHÓ CHỦ TỊCH".
"""

from __future__ import annotations

import re
from dataclasses import replace
from .layout import Line, Page

COLUMN_GAP = 4.0  # a gap this many line heights wide between words separates two cells (a tab is 1.5–3)
LIST_NUMBER = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)[.:)]?$|^[a-zđ]\)$")
_MIN_PAIRS = 2  # a two-column part has two rows at least (issuing body | motto, number | date)
_PAIR_DISTANCE = 4.0  # pairs this many line heights apart or closer belong to one part
_HEADER_ZONE = 0.35  # the header's first pair stands in the top 35% of the first page


def split_words(words: list[tuple[str, float, float, float, float]]) -> list[list[tuple]]:
    """Words of one printed line (text, x0, x1, top, bottom), in order, cut into the runs
    that stand apart: one run per table cell the line crosses. A list number ("1.", "II.")
    stays with its text however wide the tab after it."""
    if not words:
        return []
    height = max(max(w[4] - w[3] for w in words), 1.0)  # of the line: a "-" has a flat box
    runs: list[list[tuple]] = []
    for word in words:
        after_number = bool(runs) and len(runs[-1]) == 1 and LIST_NUMBER.match(runs[-1][0][0])
        if runs and (word[1] - runs[-1][-1][2] <= COLUMN_GAP * height or after_number):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def arrange(pages: list[Page]) -> list[Page]:
    """The pages with their two-column parts read column by column. A closing part that
    runs over a page break takes the next page's leading one-sided lines (the rest of the
    "Nơi nhận" list) into its columns."""
    out: list[Page] = []
    carried: tuple[Line, ...] = ()
    for n, page in enumerate(pages):
        lines = list(page.lines)
        if carried:
            lines = [line for line in lines if line not in carried]
        following = pages[n + 1].lines if n + 1 < len(pages) else ()
        arranged, carried = _arranged(lines, page, n == 0, following)
        out.append(replace(page, lines=arranged))
    return out


def _arranged(lines: list[Line], page: Page, first: bool,
              following: tuple[Line, ...]) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """One page's lines in reading order, and the lines of the next page it took in."""
    by_top = sorted(range(len(lines)), key=lambda i: lines[i].top)
    pairs = _pairs(lines, by_top)
    if not pairs:
        return tuple(lines), ()
    paired = sorted({i for pair in pairs for i in pair}, key=lambda i: lines[i].top)
    clusters = _clusters(lines, paired)
    # a part has two rows at least, but for the header at the top of the first page
    header_first = first and lines[clusters[0][0]].top < _HEADER_ZONE * page.height
    clusters = [c for n, c in enumerate(clusters) if len(c) >= 2 * _MIN_PAIRS or (n == 0 and header_first)]
    if not clusters:
        return tuple(lines), ()
    kept = {i for c in clusters for i in c}
    pairs = [(a, b) for a, b in pairs if a in kept and b in kept]
    # where the right column starts: a left cell's longest line may end anywhere before it
    boundary = min(lines[b].x0 for _, b in pairs) - 0.5
    regions = []
    if header_first and clusters[0][0] == min(kept, key=lambda i: lines[i].top):
        header = clusters.pop(0)
        regions.append((0.0, _header_end(lines, by_top, header[-1], boundary)))
    taken: tuple[Line, ...] = ()
    if clusters:  # the closing part runs to the end of its page, and on into the next
        regions.append((lines[clusters[0][0]].top - 0.5, float("inf")))
        taken = tuple(_one_sided_start(following, boundary))
        lines = lines + [replace(line, top=line.top + page.height, bottom=line.bottom + page.height)
                         for line in taken]
    return tuple(_reordered(lines, regions, boundary)), taken


def _header_end(lines: list[Line], by_top: list[int], last: int, boundary: float) -> float:
    """The header ends at its last pair, or below it where lines still keep to one column
    ("BAN THƯỜNG VỤ" under "TỈNH ỦY QUẢNG NGÃI"), line after line."""
    end = lines[last].bottom
    for i in by_top[by_top.index(last) + 1:]:
        line = lines[i]
        height = max(line.bottom - line.top, 1.0)
        if line.top - end > 1.5 * height or line.x0 < boundary < line.x1:
            break
        end = line.bottom
    return end


def _one_sided_start(lines: tuple[Line, ...], boundary: float) -> list[Line]:
    """The first lines of a page, up to the first that crosses the column boundary."""
    out = []
    for line in lines:
        if line.x0 < boundary < line.x1:
            break
        out.append(line)
    return out


def _pairs(lines: list[Line], by_top: list[int]) -> list[tuple[int, int]]:
    """(left, right) lines that share a height and stand a column gap apart."""
    pairs = []
    for k, a in enumerate(by_top):
        for b in by_top[k + 1:]:
            left, right = (a, b) if lines[a].x0 <= lines[b].x0 else (b, a)
            one, other = lines[left], lines[right]
            height = min(one.bottom - one.top, other.bottom - other.top) or 1.0
            if other.top > one.bottom and lines[b].top > lines[a].bottom:
                break
            overlap = min(one.bottom, other.bottom) - max(one.top, other.top)
            if overlap > 0.5 * height and other.x0 - one.x1 > COLUMN_GAP * height:
                pairs.append((left, right))
    return pairs


def _clusters(lines: list[Line], paired: list[int]) -> list[list[int]]:
    clusters: list[list[int]] = []
    for i in paired:
        height = max(lines[i].bottom - lines[i].top, 1.0)
        if clusters and lines[i].top - lines[clusters[-1][-1]].bottom <= _PAIR_DISTANCE * height:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    return clusters


def _reordered(lines: list[Line], regions: list[tuple[float, float]], boundary: float):
    """Lines outside the regions in their order; each region, where its first line was,
    as its left column then its right column, each top to bottom."""
    def region_of(line: Line) -> int | None:
        return next((n for n, (start, end) in enumerate(regions) if start <= line.top <= end), None)

    placed: set[int] = set()
    out: list[Line] = []
    for line in lines:
        n = region_of(line)
        if n is None:
            out.append(line)
            continue
        if n in placed:
            continue
        placed.add(n)
        members = [m for m in lines if region_of(m) == n]
        for column in (1, 2):
            side = [m for m in members if ((m.x0 + m.x1) / 2 < boundary) == (column == 1)]
            out += [replace(m, column=column) for m in sorted(side, key=lambda m: (m.top, m.x0))]
    return out
