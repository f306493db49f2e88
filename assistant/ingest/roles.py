"""Who leads and who coordinates, read from the grammar of a task's sentence. In the
plans "A chủ trì, phối hợp với B" makes A the lead and B a partner, but "phối hợp với B"
without "chủ trì" makes B the lead: the unit the task is given to helps B.

- `opening_partners(text, start, end)`: a task opening with "Chủ trì, phối hợp với B …",
  "Phối hợp với B …" or "Chủ động phối hợp với B …" gives (B's spans, does the task's own
  unit keep the lead?); None for any other task. Only "Chủ trì, …" keeps the lead; B may
  be no unit the plans name ("cơ quan, đơn vị có liên quan"), and the task's own unit
  still only helps.
- `handed_parts(text, start, end)`: the parts of a task's text handed to another unit in
  mid-sentence: "Xây dựng Kế hoạch …, phối hợp với Sở Tài chính bố trí kinh phí để thực
  hiện" gives (Sở Tài chính, "bố trí kinh phí để thực hiện"). Only named departments of the
  province count: a ministry ("Bộ …") is outside the plan's assignments, a collective
  ("các cơ quan liên quan") names nobody in particular, and "làm đầu mối phối hợp với"
  keeps the lead with the focal point.
- `unit_run(text, start, end)`: the units listed one after another from `start`."""

from __future__ import annotations

import re

from .units import find_units, is_collective

_OPENING = re.compile(r"(Chủ trì,[ ]*)?(?:Chủ động[ ]+)?[Pp]hối hợp(?: với)?[ ]+")
_MIDDLE = re.compile(r"(?<![Cc]hủ trì, )(?<!đầu mối )(?<!sự )\bphối hợp với[ ]+")
_LIST_GAP = re.compile(r"^[ ]*(?:[,;][ ]*)?(?:và[ ]+)?$")
_PART_END = re.compile(r"[.;]|\n")


def unit_run(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The units listed one after another from `start`: "Sở A, Sở B và các sở liên quan"."""
    run: list[tuple[int, int]] = []
    cursor = start
    for unit_start, unit_end in find_units(text, start, end):
        if not _LIST_GAP.match(text[cursor:unit_start]):
            break
        run.append((unit_start, unit_end))
        cursor = unit_end
    return run


def opening_partners(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], bool] | None:
    opening = _OPENING.match(text, start, end)
    if not opening:
        return None
    return unit_run(text, opening.end(), end), bool(opening.group(1))


def handed_parts(text: str, start: int, end: int) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    found = []
    opening = _OPENING.match(text, start, end)
    for partner in _MIDDLE.finditer(text, start, end):
        if opening and partner.start() < opening.end():
            continue  # an opening "Phối hợp với" is opening_partners' case
        run = unit_run(text, partner.end(), end)
        if not run or run[0][0] != partner.end() or not all(_named_department(text[s:e]) for s, e in run):
            continue
        stop = _PART_END.search(text, run[-1][1], end)
        part = _trimmed(text, run[-1][1], stop.start() if stop else end)
        if part[1] > part[0]:
            found.append((run, part))
    return found


def _named_department(name: str) -> bool:
    return not name.startswith("Bộ ") and not is_collective(name)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,":
        start += 1
    while end > start and text[end - 1] in " ,.;":
        end -= 1
    return start, end
