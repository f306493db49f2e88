"""Word's automatic numbering, rebuilt as it appears on the page.

A paragraph numbered by Word ("List Number", an outline list) stores no number in its
text: it points (w:numPr, on itself or its style) to a list and a level, and the list's
definition says how each level is written ("%1.%2.", upper Roman, decimal, letters) and
where it starts. Counting the paragraphs of each list in order gives back "II.", "1.2."."""

from __future__ import annotations

from dataclasses import dataclass, field

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BULLET = "-"


@dataclass(frozen=True)
class Level:
    fmt: str  # decimal, upperRoman, lowerRoman, upperLetter, lowerLetter, bullet, none
    text: str  # "%1.%2."
    start: int


@dataclass
class Numbering:
    lists: dict[str, dict[int, Level]]  # numId → level → how it is written
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> "Numbering":
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return cls({})
        abstract = {a.get(f"{_W}abstractNumId"): _levels(a) for a in root.iter(f"{_W}abstractNum")}
        lists = {}
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{_W}val"), {})) if ref is not None else {}
            for override in num.iter(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.fmt, old.text, int(start.get(f"{_W}val", "1")))
            lists[num.get(f"{_W}numId")] = levels
        return cls(lists)

    def label(self, paragraph, document) -> str:
        """The number Word shows before this paragraph, "" when it has none."""
        num_id, level = _reference(paragraph, document)
        levels = self.lists.get(num_id)
        if not levels or level not in levels or num_id == "0":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]  # a new item restarts the levels below it
        spec = levels[level]
        if spec.fmt == "bullet":
            return _BULLET
        if spec.fmt == "none":
            return ""
        text = spec.text
        for k in range(level, -1, -1):
            if f"%{k + 1}" in text and k in levels:
                value = counters.get(k, levels[k].start)
                text = text.replace(f"%{k + 1}", _format(value, levels[k].fmt))
        return text.strip()


def _levels(abstract) -> dict[int, Level]:
    levels = {}
    for lvl in abstract.iter(f"{_W}lvl"):
        def value(tag: str, default: str) -> str:
            node = lvl.find(f"{_W}{tag}")
            return node.get(f"{_W}val", default) if node is not None else default
        levels[int(lvl.get(f"{_W}ilvl", "0"))] = Level(value("numFmt", "decimal"), value("lvlText", ""),
                                                      int(value("start", "1")))
    return levels


def _reference(paragraph, document) -> tuple[str, int]:
    """(numId, level) from the paragraph's own properties, else from its style's."""
    ppr = paragraph.find(f"{_W}pPr")
    num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
    if num_pr is None and ppr is not None:
        style = ppr.find(f"{_W}pStyle")
        if style is not None:
            num_pr = _style_numbering(document, style.get(f"{_W}val"))
    if num_pr is None:
        return "", 0
    num = num_pr.find(f"{_W}numId")
    ilvl = num_pr.find(f"{_W}ilvl")
    return (num.get(f"{_W}val") if num is not None else "",
            int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0)


def _style_numbering(document, style_id: str):
    for _ in range(10):  # follow basedOn, never forever
        style = document.styles.element.get_by_id(style_id)
        if style is None:
            return None
        ppr = style.find(f"{_W}pPr")
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None:
            return num_pr
        based = style.find(f"{_W}basedOn")
        if based is None:
            return None
        style_id = based.get(f"{_W}val")
    return None


def _format(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        letter = _letters(value)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, symbol in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += symbol
            value -= number
    return out


def _letters(value: int) -> str:
    """1 → a, 26 → z, 27 → aa: how Word continues past z."""
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
