"""The closing part of a document: the "Nơi nhận" list, the signature block (titles,
then the signer's name), and which fields a reader could not make out."""

from __future__ import annotations

import re

_SIGNATURE_TITLE = re.compile(r"^(?:KT\.|TM\.|T/M|TL\.|Q\.)[^\n]*$|^(?:PHÓ )?(?:CHỦ TỊCH|BÍ THƯ)$",
                              re.MULTILINE)
_PERSON = re.compile(r"^[A-ZĐÂĂÊÔƠƯÀ-Ỹ][^\s\d]*(?: [A-ZĐÂĂÊÔƠƯÀ-Ỹ][^\s\d]*){1,4}$")


def parse_signer(text: str, found) -> None:
    titles = list(_SIGNATURE_TITLE.finditer(text))
    if not titles:
        return
    block = [titles[-1]]  # the last titles, each at most a blank line above the next
    for title in reversed(titles[:-1]):
        if text.count("\n", title.end(), block[0].start()) > 2:
            break
        block.insert(0, title)
    first, last = block[0], block[-1]
    found("signer_title", ", ".join(t.group() for t in block), first)
    for m in re.finditer(r"[^\n]+", text[last.end():]):
        if _PERSON.match(m.group().strip()) and not m.group().isupper():
            start = last.end() + m.start()
            found("signer", m.group().strip(), re.compile(re.escape(m.group())).search(text, start))
            return


_RECIPIENTS = re.compile(r"^(Kính gửi|Nơi nhận):[ ]*\n(?:\n?[ ]*[-+•][^\n]*\n?)+", re.MULTILINE)


def parse_recipients(text: str, found) -> None:
    blocks = {m.group(1): m for m in _RECIPIENTS.finditer(text)}
    block = blocks.get("Kính gửi") or blocks.get("Nơi nhận")
    if block:
        items = [line.strip(" -+•;,.") for line in block.group().splitlines()[1:]]
        found("recipients", tuple(i for i in items if i), block)


def closing_span(text: str, spans: list[tuple[str, int, int]]) -> tuple[int, int] | None:
    """The closing part: the "Nơi nhận" list and the signature block, which answer no
    question of substance (a later stage leaves candidates in it out: Document.span("closing"))."""
    recipients = [m for m in re.finditer(r"^Nơi nhận:?", text, re.MULTILINE)]
    starts = [recipients[-1].start()] if recipients else []
    starts += [start for name, start, _ in spans if name == "signer_title" and start > len(text) // 2]
    if not starts:
        return None
    ends = [end for name, _, end in spans if name in ("signer", "recipients") and end > min(starts)]
    return min(starts), max(ends, default=len(text))


def unread_fields(values: dict, scanned: bool) -> tuple[str, ...]:
    """Fields the document holds but that were not read. A signature block with titles and
    no name; and in a scan, any of number, date, issuer or signer not found (the reader may
    have missed it: a plain-text or Word document that lacks one really lacks it)."""
    unread = []
    if values.get("signer_title") and not values.get("signer"):
        unread.append("signer")
    if scanned:
        unread += [f for f in ("number", "date", "issuer", "signer") if not values.get(f) and f not in unread
                   and not (f == "number" and values.get("symbol"))]
    return tuple(unread)
