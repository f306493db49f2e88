"""Section numbers a scan misread ("I., II., II., IV." where the page says III.), put back
from their sequence: a Roman heading whose number breaks the run while both its
neighbours keep it (the one before is n-1 and the one after is n+1) is given n. A plan
that skips a number itself (Ninh Thuận's I, II, IV) is left as written: the last heading
and a gap with no heading after it are never renumbered. Only OCR text is renumbered."""

from __future__ import annotations

import re

_ROMAN_HEADING = re.compile(r"^(?P<num>[IVXLl1]{1,6})\.(?=[ ]+\S)", re.MULTILINE)
_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def renumber(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with misread Roman section numbers corrected, and (offset, change in
    length) of each correction, so offsets after it can be moved."""
    marks = [m for m in _ROMAN_HEADING.finditer(text) if _value(m.group("num")) or m.group("num") in ("l", "1")]
    values = [_value(m.group("num")) for m in marks]
    fixes = []
    for i, m in enumerate(marks):
        before = values[i - 1] if i else 0
        if before is None:  # the one before is unreadable too: nothing to count from
            continue
        after = values[i + 1] if i + 1 < len(values) else None
        expected = before + 1
        if values[i] != expected and after == expected + 1:
            if expected <= len(_ROMANS) and (values[i] is None or abs(values[i] - expected) <= 2):
                fixes.append((m.start("num"), m.end("num"), _ROMANS[expected - 1]))
                values[i] = expected
    out, shifts, cursor = [], [], 0
    for start, end, numeral in fixes:
        out.append(text[cursor:start] + numeral)
        shifts.append((start, len(numeral) - (end - start)))
        cursor = end
    out.append(text[cursor:])
    return "".join(out), shifts


def shift_offsets(offsets: tuple[int, ...], shifts: list[tuple[int, int]]) -> tuple[int, ...]:
    return tuple(o + sum(delta for at, delta in shifts if at < o) for o in offsets)


def _value(numeral: str) -> int | None:
    return _ROMANS.index(numeral) + 1 if numeral in _ROMANS else None
