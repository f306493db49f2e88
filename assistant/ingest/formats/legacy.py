"""Text typed in the legacy Vietnamese encodings, TCVN3 (ABC, fonts .VnTime, .VnTimeH)
and VNI (VNI-Times), converted to Unicode; text still garbled after that is refused.

Such text reaches us as Windows-1252 letters: a .txt saved in TCVN3, a .docx or PDF set in
.VnTime, where "PHÓ CHỦ TỊCH" reads "PHã CHñ TÞCH". Both tables are the published ones:
- TCVN3 is TCVN 5712:1993 VN3, one byte per letter (the table below; the same bytes as
  the TCVN5712-1 table of glibc's iconv, which a test checks). Its capitals with tone
  marks have no codes: they are the small letters set in a capitals font (.VnTimeH), so
  a line whose plain letters are capitals is put in capitals;
- VNI Windows writes a letter as its base letter followed by a mark character ("aø" = à,
  "oâ" = ô, "aà" = ầ), with a few letters of their own ("ñ" = đ, "ô" = ơ, "ö" = ư).

A text is converted when letters that Vietnamese never uses (µ, ¸, ¶, Ë, ø, ë …) make up
more than MARKER_SHARE of its letters, with whichever table leaves fewer of them."""

from __future__ import annotations

import re
import unicodedata

from ...errors import UnreadableDocumentError

_TCVN3_UNICODE = ("àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
                  "ĂÂÊÔƠƯĐ")
_TCVN3_BYTES = ("µ¸©·ÌÐª×Ýßã«âïóý¨®Üò¬\xad¹¶ÊÇÈÉË¾»¼½ÆÑÎÏÕÒÓÔÖØÞäáèåæçéíêëìîôñøõö÷ùúþûü"
                "¡¢£¤¥¦§")
TCVN3 = dict(zip(_TCVN3_BYTES, _TCVN3_UNICODE, strict=True))
_TCVN3_ONLY = set("µ¸¶·¹¨©ª«¬®¾»¼½¡¢£¤¥¦§Ð×ÝßÞþ÷\xad")  # codes VNI never uses

_VNI_MARKS = {  # after a vowel: the marks it adds (combining characters)
    "ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "â": "\u0302", "ê": "\u0306",
    "à": "\u0302\u0300", "á": "\u0302\u0301", "å": "\u0302\u0309", "ã": "\u0302\u0303", "ä": "\u0302\u0323",
    "è": "\u0306\u0300", "é": "\u0306\u0301", "ú": "\u0306\u0309", "ü": "\u0306\u0303", "ë": "\u0306\u0323",
}
_VNI_LETTERS = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ó": "ĩ", "æ": "ỉ", "ò": "ị", "î": "ỵ"}
_VNI_MARK = re.compile("([aeiouyAEIOUYơưƠƯ])([" + "".join(_VNI_MARKS) + "".join(_VNI_MARKS).upper() + "])")

# Latin-1 letters and signs that no Unicode Vietnamese text uses: the sign of a legacy encoding
_VIETNAMESE = set("àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_VIETNAMESE |= {c.upper() for c in _VIETNAMESE}
MARKERS = {chr(c) for c in range(0xA1, 0x100)} - _VIETNAMESE - set("«»°±·×÷¼½¾§©®¹²³º¡¿")
MARKERS |= set("µ¸¶·×¹¼½¾©®§¡")  # TCVN3 letters that look like signs count too
MARKER_SHARE = 0.005  # above this share of letters, the text is in a legacy encoding
GARBLED_SHARE = 0.02  # above this after conversion, it is refused


def marker_share(text: str) -> float:
    letters = sum(1 for c in text if c.isalpha() or c in MARKERS)
    return sum(1 for c in text if c in MARKERS) / letters if letters else 0.0


def convert(text: str) -> tuple[str, str]:
    """(Unicode text, "TCVN3" or "VNI") for text in a legacy encoding, else (text, "")."""
    if marker_share(text) <= MARKER_SHARE:
        return text, ""
    tcvn3 = sum(1 for c in text if c in _TCVN3_ONLY)
    vni = len(_VNI_MARK.findall(text))
    name, converted = ("TCVN3", from_tcvn3(text)) if tcvn3 >= vni else ("VNI", from_vni(text))
    return (converted, name) if marker_share(converted) < marker_share(text) else (text, "")


def check_readable(text: str, name: str) -> None:
    share = marker_share(text)
    if share > GARBLED_SHARE:
        sample = next((w for w in text.split() if any(c in MARKERS for c in w)), "")[:30]
        raise UnreadableDocumentError(
            f"tệp {name or 'này'} có chữ bị lỗi mã (ví dụ «{sample}», {share:.0%} ký tự lạ) mà không chuyển được "
            "từ TCVN3 hay VNI; hãy mở tệp, chuyển sang Unicode (Unikey: Công cụ chuyển mã) rồi lưu lại")


def from_tcvn3(text: str) -> str:
    converted = "".join(TCVN3.get(c, c) for c in text)
    return "\n".join(_capitals(line, raw) for line, raw in zip(converted.split("\n"), text.split("\n")))


def _capitals(line: str, raw: str) -> str:
    """Words set in .VnTimeH: their plain letters are capitals, their marked ones were typed
    small ("PHã" is "PHÓ"). A word with two or more plain letters, all capitals, is put in
    capitals; one with a single capital ("Sè" is "Số") only when most such words of its
    line are capitals."""
    words, typed = line.split(" "), raw.split(" ")
    if len(words) != len(typed):
        return line
    plain = [[c for c in t if c.isascii() and c.isalpha()] for t in typed]
    coded = [any(c in TCVN3 for c in t) for t in typed]  # only words with marked letters tell
    capital = [len(p) >= 2 and all(c.isupper() for c in p) for p in plain]
    lower = [any(c.islower() for c in p) for p in plain]
    line_in_capitals = sum(c for c, k in zip(capital, coded) if k) > sum(low for low, k in zip(lower, coded) if k)
    return " ".join(w.upper() if k and (cap or (line_in_capitals and p and not low)) else w
                    for w, cap, p, low, k in zip(words, capital, plain, lower, coded))


def from_vni(text: str) -> str:
    letters = "".join(_VNI_LETTERS.get(c, _VNI_LETTERS.get(c.lower(), c).upper() if c.lower() in _VNI_LETTERS
                                        else c) for c in text)
    marked = _VNI_MARK.sub(lambda m: m.group(1) + _VNI_MARKS[m.group(2).lower()], letters)
    return unicodedata.normalize("NFC", marked)
