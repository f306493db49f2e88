"""How much wider the DejaVu fonts (shipped with matplotlib, used by assistant/study/measure.py
to lay out slides and the key matrix) are than Arial and Times New Roman, measured on the
lines of the corpus with Liberation Sans and Serif, their metric twins (Debian's
fonts-liberation, which scripts/setup.sh --browser installs).

    .venv/bin/python scripts/measure_fonts.py [corpus]"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import matplotlib
from PIL import ImageFont

PAIRS = (("sans", "DejaVuSans.ttf", "Liberation Sans"), ("serif", "DejaVuSerif.ttf", "Liberation Serif"))


def main(folder: Path) -> None:
    lines = [line for path in sorted(folder.glob("*.txt")) for line in path.read_text(encoding="utf-8").splitlines()
             if len(line) > 40]
    for family, dejavu, liberation in PAIRS:
        ours = ImageFont.truetype(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", dejavu), 100)
        path = subprocess.run(["fc-match", "-f", "%{file}", liberation], capture_output=True, text=True).stdout
        theirs = ImageFont.truetype(path, 100)
        ratio = sum(ours.getlength(line) for line in lines) / sum(theirs.getlength(line) for line in lines)
        print(f"{family}: DejaVu is {ratio:.3f} times as wide as {liberation} on {len(lines)} lines")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus"))
