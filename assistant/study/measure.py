"""How much room a text takes: its width at a size, and the lines it wraps to in a box.

The slides and the key matrix are laid out before any office program opens them, so their
text is measured here with the DejaVu fonts that matplotlib ships (no system font needed),
scaled to the Arial and Times New Roman the files name. DejaVu is wider: on the lines of the
five plans, DejaVu Sans is 1.130 times as wide as Liberation Sans (Arial's metric twin) and
DejaVu Serif 1.266 times Liberation Serif (Times New Roman's); `scripts/measure_fonts.py`
measures it again. The scales below divide by less than that (1.10, 1.20), so a measured
line is a few per cent longer than the real one and text that fits here fits when shown.
tests/test_study_pack.py checks it: the slides read back never overflow, and LibreOffice
counts the pages."""

from __future__ import annotations

import os
from functools import lru_cache

import matplotlib
from PIL import ImageFont

_FILES = {("sans", False): "DejaVuSans.ttf", ("sans", True): "DejaVuSans-Bold.ttf",
          ("serif", False): "DejaVuSerif.ttf", ("serif", True): "DejaVuSerif-Bold.ttf"}
_REFERENCE_SIZE = 100
_WIDER_THAN_NAMED = {"sans": 1.10, "serif": 1.20}  # DejaVu over Arial, Times New Roman (measured: 1.130, 1.266)
LINE_SPACING = 1.2  # a line's height, in multiples of the font's size (single spacing is 1.15)


@lru_cache(maxsize=8)
def _font(family: str, bold: bool) -> ImageFont.FreeTypeFont:
    path = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", _FILES[(family, bold)])
    return ImageFont.truetype(path, _REFERENCE_SIZE)


def width(text: str, size: float, family: str = "sans", bold: bool = False) -> float:
    """The width of one line of `text` at `size` points, in points."""
    return _font(family, bold).getlength(text) * size / _REFERENCE_SIZE / _WIDER_THAN_NAMED[family]


def wrap(text: str, box_width: float, size: float, family: str = "sans", bold: bool = False) -> list[str]:
    """The lines `text` wraps to in a box `box_width` points wide, as a word processor wraps
    them: at spaces, a word longer than the line on a line of its own."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if line and width(candidate, size, family, bold) > box_width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def height(text: str, box_width: float, size: float, family: str = "sans", bold: bool = False,
           spacing: float = LINE_SPACING) -> float:
    """The height in points of `text` wrapped in a box `box_width` points wide."""
    return len(wrap(text, box_width, size, family, bold)) * size * spacing
