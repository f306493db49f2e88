"""Vietnamese provinces: names, slugs, and finding them in text typed with or
without diacritics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalise import abbreviation_table, initials, province_code_extras
from .text import fold, match_form, nfc

# The 63 provinces and cities that issued plans under Kết luận 57-KL/TW (2023–2024),
# plus "Huế" for texts written after 2025.
_NAMES = """An Giang|Bà Rịa - Vũng Tàu|Bạc Liêu|Bắc Giang|Bắc Kạn|Bắc Ninh|Bến Tre|Bình Dương|
Bình Định|Bình Phước|Bình Thuận|Cà Mau|Cao Bằng|Cần Thơ|Đà Nẵng|Đắk Lắk|Đắk Nông|Điện Biên|
Đồng Nai|Đồng Tháp|Gia Lai|Hà Giang|Hà Nam|Hà Nội|Hà Tĩnh|Hải Dương|Hải Phòng|Hậu Giang|
Hòa Bình|Hưng Yên|Khánh Hòa|Kiên Giang|Kon Tum|Lai Châu|Lâm Đồng|Lạng Sơn|Lào Cai|Long An|
Nam Định|Nghệ An|Ninh Bình|Ninh Thuận|Phú Thọ|Phú Yên|Quảng Bình|Quảng Nam|Quảng Ngãi|
Quảng Ninh|Quảng Trị|Sóc Trăng|Sơn La|Tây Ninh|Thái Bình|Thái Nguyên|Thanh Hóa|
Thừa Thiên Huế|Thành phố Hồ Chí Minh|Tiền Giang|Trà Vinh|Tuyên Quang|Vĩnh Long|Vĩnh Phúc|
Yên Bái|Huế"""
# words that, before a name, show it is meant as a place ("ở Hòa Bình", "tỉnh Long An")
_CUES = ("tinh", "o", "tai", "cua", "thuoc", "cho", "ubnd", "uy ban nhan dan", "thanh pho")


@dataclass(frozen=True)
class Province:
    slug: str
    name: str


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


PROVINCES: tuple[Province, ...] = tuple(
    Province(_slug(name), name) for name in (n.strip() for n in nfc(_NAMES).split("|"))
)
_BY_SLUG = {p.slug: p for p in PROVINCES}


def by_slug(slug: str) -> Province | None:
    return _BY_SLUG.get(slug)


@lru_cache(maxsize=1)
def _folded_patterns() -> tuple[tuple[Province, re.Pattern], ...]:
    # longest names first so "Thừa Thiên Huế" wins over "Huế"
    ordered = sorted(PROVINCES, key=lambda p: -len(p.name))
    return tuple(
        (p, re.compile(r"(?<![\w-])" + re.escape(fold(p.name)) + r"(?![\w-])")) for p in ordered
    )


def find_provinces(text: str, known: frozenset[str] = frozenset()) -> list[Province]:
    """Provinces named in text, in order of appearance, with or without diacritics.

    A syllable typed with diacritics must carry the name's own ("Diễn biến" is not
    "Điện Biên"); one typed without them matches any. A name that is also an ordinary
    phrase ("hòa bình" in "diễn biến hòa bình") counts only when capitalised or after a
    place word, unless it is one of the `known` slugs (the provinces in the corpus),
    which count anywhere."""
    folded = fold(text)
    found: list[tuple[int, Province]] = []
    taken: list[tuple[int, int]] = []
    for province, pattern in _folded_patterns():
        for match in pattern.finditer(folded):
            span = match.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            if not _spelled_as(text, folded, span, province.name):
                continue
            if province.slug in known or _meant_as_place(text, folded, span):
                found.append((span[0], province))
                taken.append(span)
    for span, province in _coded(text, known):
        if not any(s < span[1] and span[0] < e for s, e in taken):
            found.append((span[0], province))
            taken.append(span)
    seen, ordered = set(), []
    for _, province in sorted(found, key=lambda item: item[0]):
        if province.slug not in seen:
            seen.add(province.slug)
            ordered.append(province)
    return ordered


def _spelled_as(text: str, folded: str, span: tuple[int, int], name: str) -> bool:
    """Each syllable of the match is typed either without diacritics or with the name's."""
    if len(text) != len(folded):  # fold() changed the length: spans do not line up, trust the fold
        return True
    typed = text[span[0] : span[1]].split()
    wanted = name.split()
    return len(typed) == len(wanted) and all(
        t.isascii() or match_form(t) == match_form(w) for t, w in zip(typed, wanted))


def _meant_as_place(text: str, folded: str, span: tuple[int, int]) -> bool:
    # fold() keeps string length for NFC Vietnamese, so spans index both strings
    original = text[span[0] : span[1]] if len(text) == len(folded) else ""
    if original[:1].isupper():
        return True
    before = folded[: span[0]].rstrip()
    return any(before.endswith(" " + cue) or before == cue for cue in _CUES)


def first_mention(text: str, province: Province) -> tuple[int, int] | None:
    """Where the text first names the province, by name or by code (in folded offsets,
    which are the text's own for NFC Vietnamese)."""
    names = [re.escape(fold(province.name))] + [re.escape(fold(c)) for c in _codes_of(province.slug)]
    match = re.search(r"(?<![\w&/.-])(?:" + "|".join(names) + r")(?![\w&/-])", fold(text))
    return match.span() if match else None


def remove_province_names(text: str, provinces: list[Province]) -> str:
    """The question without the province names or codes and their place words, for matching."""
    folded = fold(text)
    cut = []
    for province in provinces:
        names = [re.escape(fold(province.name))] + [re.escape(fold(c)) for c in _codes_of(province.slug)]
        pattern = r"(?:\b(?:" + "|".join(_CUES) + r")\s+)?(?<![\w&/.-])(?:" + "|".join(names) + ")"
        for match in re.finditer(pattern + r"(?![\w&/-])", folded):
            cut.append(match.span())
    if len(text) != len(folded):
        return text
    for start, end in sorted(cut, reverse=True):
        text = text[:start] + " " + text[end:]
    return " ".join(text.split())


# --- codes: "BG", "TQ", "QN" (normalisation.json, class province_codes) ---------

@lru_cache(maxsize=1)
def _code_table() -> dict[str, tuple[str, ...]]:
    """Code (upper case) → the provinces it may stand for. An administrative abbreviation
    is never a province code ("KH" is "kế hoạch", not Khánh Hòa)."""
    reserved = {c.upper() for c in abbreviation_table()}
    table: dict[str, list[str]] = {}
    for province in PROVINCES:
        for code in initials(province.name):
            if len(code) >= 2 and code not in reserved:
                table.setdefault(code, []).append(province.slug)
    for code, slug in province_code_extras().items():
        table.setdefault(code.upper(), []).append(slug)
    return {code: tuple(dict.fromkeys(slugs)) for code, slugs in table.items()}


def _codes_of(slug: str) -> list[str]:
    return [code for code, slugs in _code_table().items() if slug in slugs]


@lru_cache(maxsize=1)
def _code_pattern() -> re.Pattern:
    codes = sorted(_code_table(), key=len, reverse=True)
    return re.compile(r"(?<![\w&/.-])(" + "|".join(re.escape(c) for c in codes) + r")(?![\w&/-])", re.IGNORECASE)


def _after_cue(text: str, start: int) -> bool:
    before = fold(text[:start]).rstrip()
    return any(before.endswith(" " + cue) or before == cue for cue in _CUES)


def _coded(text: str, known: frozenset[str]) -> list[tuple[tuple[int, int], Province]]:
    """Provinces written by code. Only where the corpus is known (questions): a code
    several provinces share means the one the corpus has; any case for a province the
    corpus has ("bg"); for another, capitals after a place word ("tỉnh PT"), since a
    bare "DL" is more often "du lịch" than Đắk Lắk."""
    if not known:
        return []
    out = []
    for match in _code_pattern().finditer(text):
        slugs = _code_table()[match.group().upper()]
        ours = [s for s in slugs if s in known]
        if len(ours) == 1:
            out.append((match.span(), _BY_SLUG[ours[0]]))
        elif not ours and len(slugs) == 1 and match.group().isupper() and _after_cue(text, match.start()):
            out.append((match.span(), _BY_SLUG[slugs[0]]))
    return out
