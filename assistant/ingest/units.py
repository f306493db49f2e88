"""Units (cơ quan, đơn vị) named in the plans: finding them in a line of text, and
one canonical name for the many ways provinces write the same unit.

API (small and stable; the study views and the answer stage use it):

- `find_units(text, start=0, end=None) -> list[tuple[int, int]]`: the spans of the unit
  names in `text[start:end]`, in order. "Sở Văn hóa, Thể thao và Du lịch; UBND các huyện,
  thành phố chủ động triển khai" gives two spans; a list of units is split where a new
  unit begins (after ",", ";" or "và"), and a name ends at the verb that follows it.
- `unit_key(name) -> str`: the matching key of a name. Names with one key are one unit:
  "Sở TT&TT", "Sở Thông tin và Truyền thông" and "Sở Thông tin và truyền thông";
  "UBND các huyện, thành phố" and "Ủy ban nhân dân các huyện, thị xã, thành phố";
  "Công an tỉnh" and "Công an tỉnh Bắc Giang".
- `display_name(names) -> str`: one label for the names of one unit: the spelling most
  used, with a province's own name replaced by "tỉnh" so that a row fits every province.

The key is built by general rules, in order: abbreviations expanded, NFC and canonical
tone marks, lower case; a province's name becomes "tỉnh"; punctuation, "các", "những"
and "và" dropped; a run of district-level words (huyện, quận, thị xã, thành phố) becomes
"cấp huyện"; a list made only of collective nouns (sở, ban, ngành, cơ quan, đơn vị, địa
phương) is put in one order; trailing qualifiers ("liên quan", "trên địa bàn tỉnh", "tỉnh", …)
dropped."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from .normalise import expand_abbreviations, has_abbreviation
from .provinces import PROVINCES
from .text import match_form, nfc

# --- finding units in text ---------------------------------------------------

# words that begin a unit's name (case matters: "Báo Gia Lai" is a unit, "báo cáo" is not)
_HEAD = (
    r"(?:(?:các|Các|những|Những) (?:sở|Sở|ban|Ban|ngành|cơ quan|đơn vị|địa phương|huyện|bộ|Bộ"
    r"|cấp ủy|cấp uỷ|tổ chức|hội|đoàn thể|phòng|xã|phường|doanh nghiệp)"
    r"|Sở|Bộ|Ban (?:cán sự|chỉ đạo)|Ban(?= [A-ZĐ])|Ủy ban|Uỷ ban|UBND|HĐND|Hội đồng nhân dân|Văn phòng"
    r"|Công an|Đài(?= [A-ZĐ])|Báo(?= [A-ZĐ])|Tạp chí(?= [A-ZĐ])|Hội(?= [A-ZĐ])|Mặt trận"
    r"|Tỉnh đoàn|Tỉnh ủy|Tỉnh uỷ|Thường trực(?= [A-ZĐH])|Chủ tịch(?= [A-ZĐU])"
    r"|Trung tâm(?= [A-ZĐ])|Liên hiệp(?= [A-ZĐ])|Cục(?= [A-ZĐ])|Chi cục(?= [A-ZĐ])"
    r"|Cơ quan (?:Thường trực|thường trực)|Đảng ủy(?= [A-ZĐ]))(?![\w])"
)
_HEAD_AT = re.compile(_HEAD)
_HEAD_ANYWHERE = re.compile(r"(?<![\w/-])" + _HEAD)
# what ends a name: the verbs and prepositions that follow a unit in the plans
_STOP = re.compile(
    r"(?:chủ trì|phối hợp|chủ động|triển khai|thực hiện|căn cứ|theo|để|về|tổng hợp|báo cáo|gửi"
    r"|đề xuất|trình|có trách nhiệm|trong|khi|nhằm|hướng dẫn|tăng cường|lãnh đạo|kịp thời|định kỳ"
    r"|hằng|hàng|là|được|đã|sẽ|cần|phải|làm|tham gia|thông qua|xem xét|quyết định|giải quyết"
    r"|chỉ đạo|theo dõi|đôn đốc|kiểm tra|nghiêm túc|đảm bảo|bảo đảm)(?![\w])")
# verbs that are also nouns ("các tổ chức", "tổ chức đảng"): they end a name only after a space
# ("các cơ quan chuyên trách tham mưu, giúp việc": "tham mưu" before a comma names a kind of body)
_VERB = re.compile(r"(?:tổ chức|cung cấp|quản lý|xây dựng|tuyên truyền|rà soát|tiếp tục|nghiên cứu"
                   r"|bố trí|thẩm định|giám sát|đẩy mạnh|nâng cao|phát huy|tiến hành|ban hành"
                   r"|tham mưu(?!,))(?![\w])")
_MAX_WORDS = 16  # no unit's name is longer; past it the text is a sentence, not a name


def find_units(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the unit names in text[start:end], in order."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    while True:
        head = _HEAD_ANYWHERE.search(text, cursor, end)
        if not head:
            return spans
        stop = _name_end(text, head.start(), head.end(), end)
        spans.append((head.start(), stop))
        cursor = stop


def _name_end(text: str, begin: int, head_end: int, end: int) -> int:
    """Where the name starting at `begin` ends: before a verb, a bracket or a full stop,
    after "liên quan", or before the next unit of a list."""
    position, words = head_end, 0
    while words < _MAX_WORDS and not text.endswith("liên quan", begin, position):
        separator = _SEPARATOR.match(text, position, end)
        if not separator or separator.end() >= end:
            break
        following, listed = separator.end(), bool(separator.group().strip())
        if listed and _HEAD_AT.match(text, following):
            break  # "Sở A, Sở B", "Sở A và các sở"
        if _STOP.match(text, following) or (not listed and _VERB.match(text, following)):
            break  # "Sở A chủ trì", "các cơ quan tổ chức …" (but "các cấp ủy, tổ chức đảng")
        word = _WORD.match(text, following, end)
        if not word:
            break
        position, words = word.end(), words + 1
    return _trim(text, begin, position)


_WORD = re.compile(r"[^\s,;:.()]+")
_SEPARATOR = re.compile(r",[ ]+|[ ]+và[ ]+|[ ]+")


def _trim(text: str, begin: int, stop: int) -> int:
    while stop > begin and text[stop - 1] in " ,;:.–-":
        stop -= 1
    return stop


# --- one name per unit -------------------------------------------------------

_DROPPED_WORDS = frozenset({"các", "những", "và"})
_DISTRICT_RUN = re.compile(r"\b(?:(?:huyện|quận|thị xã|thành phố) ?)+")
# qualifiers that do not change which unit is meant, dropped from the end of a key
_QUALIFIERS = ("có liên quan", "liên quan", "trên địa bàn tỉnh", "trên địa bàn", "thuộc tỉnh",
               "cấp tỉnh", "của tỉnh", "tỉnh")


@lru_cache(maxsize=4096)
def unit_key(name: str) -> str:
    """The matching key of a unit's name (see the module docstring for the rules)."""
    key = match_form(expand_abbreviations(nfc(name)))
    key = _province_pattern().sub("tỉnh", key)
    key = _without_local(key)
    key = re.sub(r"[,;:.()“”\"'–\-/&]+", " ", key)
    key = " ".join(w for w in key.split() if w not in _DROPPED_WORDS)
    key = re.sub(r"\btỉnh(?: tỉnh)+\b", "tỉnh", key)
    key = _DISTRICT_RUN.sub(lambda m: "cấp huyện " if _is_district_run(m.group()) else m.group(), key)
    key = " ".join(key.split())
    changed = True
    while changed:
        changed = False
        for qualifier in _QUALIFIERS:
            if key.endswith(" " + qualifier) and len(key) > len(qualifier) + 1:
                key, changed = key[: -len(qualifier) - 1], True
    return _collective_in_order(key)


_LOCAL = re.compile(r"^(.*[^\s,;]) địa phương$")
_ENDS_COLLECTIVE = re.compile(r"(?:\bsở|\bban|ngành|cơ quan|đơn vị|đoàn thể|\bhội|\bvà)$")


def _without_local(key: str) -> str:
    """"cơ quan báo chí địa phương" is the province's press (one unit with "cơ quan báo chí
    trên địa bàn tỉnh"), but "đơn vị, địa phương" and "sở, ban, ngành và địa phương" list
    the localities as bodies of their own: "địa phương" qualifies only a noun that is not
    itself a collective one, with no comma or "và" between them."""
    local = _LOCAL.match(key)
    return local.group(1) if local and not _ENDS_COLLECTIVE.search(local.group(1)) else key


def is_collective(name: str) -> bool:
    """A name made only of collective nouns ("các cơ quan, đơn vị liên quan", "các sở, ban,
    ngành"): it names a kind of body, not one body."""
    return bool(_collective_parts(unit_key(name)))


_COLLECTIVE = re.compile(r"(?:sở|ban|ngành|cơ quan|đơn vị|địa phương|đoàn thể|hội)(?: |$)")


def _collective_in_order(key: str) -> str:
    """"ban sở ngành địa phương" and "sở ban ngành địa phương" name the same bodies."""
    parts = _collective_parts(key)
    return " ".join(sorted(parts)) if parts else key


def _collective_parts(key: str) -> list[str]:
    """The collective nouns a key is made of, or [] when it has any other word."""
    parts, position = [], 0
    while position < len(key):
        match = _COLLECTIVE.match(key, position)
        if not match:
            return []
        parts.append(match.group().strip())
        position = match.end()
    return parts


def _is_district_run(run: str) -> bool:
    return any(word in run for word in ("huyện", "quận"))


@lru_cache(maxsize=1)
def _province_pattern() -> re.Pattern:
    """A province's name (with its "tỉnh"/"thành phố" before it), in match form."""
    names = sorted((match_form(p.name) for p in PROVINCES), key=len, reverse=True)
    return re.compile(r"(?:\b(?:tỉnh|thành phố) )?\b(?:" + "|".join(map(re.escape, names)) + r")\b")


def display_name(names: Iterable[str]) -> str:
    """A label for one unit: its most used spelling (first seen on a tie), the province's
    own name replaced by "tỉnh", the first letter capitalised."""
    counts = Counter(" ".join(nfc(n).split()) for n in names)
    if not counts:
        return ""
    best = max(counts, key=lambda n: (counts[n], not _names_province(n), not has_abbreviation(n)))
    label = _province_in_text().sub("tỉnh", best)
    label = re.sub(r"\btỉnh(?: tỉnh)+\b", "tỉnh", label)
    return label[:1].upper() + label[1:]


def _names_province(name: str) -> bool:
    return bool(_province_in_text().search(name))


@lru_cache(maxsize=1)
def _province_in_text() -> re.Pattern:
    names = sorted((p.name for p in PROVINCES), key=len, reverse=True)
    return re.compile(r"(?:\b(?:tỉnh|Tỉnh) )?\b(?:" + "|".join(map(re.escape, names)) + r")\b")
