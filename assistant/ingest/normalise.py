"""The normalisation table, by class (`normalisation.json`): spelling variants,
administrative abbreviations and province codes. The index and the question are
normalised with the same table, so "Ai kí", "ai ký", "UBND tỉnh BG" and "Ủy ban
nhân dân tỉnh Bắc Giang" are looked up alike. For matching only: answers quote the
documents as written."""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

TABLE_FILE = "normalisation.json"
_I_FOR_Y = dict(zip("yýỳỷỹỵYÝỲỶỸỴ", "iíìỉĩịIÍÌỈĨỊ"))


@lru_cache(maxsize=1)
def table() -> dict:
    text = (resources.files("assistant.ingest") / TABLE_FILE).read_text(encoding="utf-8")
    return json.loads(unicodedata.normalize("NFC", text))


# --- spelling: i and y -------------------------------------------------------

@lru_cache(maxsize=1)
def _i_y_word() -> re.Pattern:
    """A syllable whose only vowel is y after a consonant: "ký", "Lý", "mỹ" (not "quy", "tuy", "ấy")."""
    onsets = sorted(table()["spelling"]["i_y_onsets"], key=len, reverse=True)
    return re.compile(r"^(" + "|".join(onsets) + r")([yýỳỷỹỵ])$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _i_y_folded() -> re.Pattern:
    onsets = sorted({_strip_marks(o) for o in table()["spelling"]["i_y_onsets"]}, key=len, reverse=True)
    return re.compile(r"(?<![^\W\d_])(" + "|".join(onsets) + r")y(?![^\W\d_])")


def i_for_y(word: str) -> str:
    """One spelling of a syllable with i/y variants: "ký" → "kí", "Mỹ" → "Mĩ"; others unchanged."""
    m = _i_y_word().match(word)
    return word if m is None else m.group(1) + _I_FOR_Y[m.group(2)]


def i_for_y_folded(folded: str) -> str:
    """The same in text already folded to ASCII ("ky" → "ki"); keeps its length."""
    return _i_y_folded().sub(lambda m: m.group(1) + "i", folded)


def _strip_marks(text: str) -> str:
    text = text.replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


# --- administrative abbreviations --------------------------------------------

def _any_case(short: str) -> str:
    """A pattern for shorthand in any case, with or without the bar on Đ."""
    return "".join("[ĐđDd]" if c in "Đđ" else re.escape(c) for c in short)


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern, re.Pattern, dict[str, str]]:
    data = table()["abbreviations"]
    exact: dict[str, str] = data["exact"]
    lookup = {_fold_key(k): v for k, v in exact.items() if k in data["any"]}
    by_length = sorted(exact, key=len, reverse=True)
    # an abbreviation on its own, never inside a document code like "157/KH-UBND"
    exact_pattern = re.compile(r"(?<![\w&/-])(" + "|".join(map(re.escape, by_length)) + r")(?![\w&/-])")
    loose = sorted(data["any"], key=len, reverse=True)
    any_pattern = re.compile(r"(?<![\w&/-])(" + "|".join(map(_any_case, loose)) + r")(?![\w&/-])",
                             re.IGNORECASE)
    return exact_pattern, any_pattern, {**lookup, **{k: v for k, v in exact.items()}}


def _fold_key(short: str) -> str:
    return _strip_marks(short.lower())


def expand_abbreviations(text: str) -> str:
    """"UBND tỉnh" → "Ủy ban nhân dân tỉnh", "đv nào" → "đơn vị nào"; codes like "KH-UBND" kept."""
    exact_pattern, any_pattern, lookup = _abbreviations()
    text = exact_pattern.sub(lambda m: lookup[m.group()], text)
    return any_pattern.sub(lambda m: lookup.get(_fold_key(m.group()), m.group()), text)


def has_abbreviation(text: str) -> bool:
    return expand_abbreviations(text) != text


def abbreviation_table() -> dict[str, str]:
    """Short form → long form, as written in the plans (for callers that need the pairs)."""
    return dict(table()["abbreviations"]["exact"])


# --- province codes ------------------------------------------------------------

def province_code_extras() -> dict[str, str]:
    return dict(table()["province_codes"]["extra"])


def initials(name: str) -> tuple[str, ...]:
    """"Bắc Giang" → ("BG",), "Đà Nẵng" → ("ĐN", "DN"), "Bà Rịa - Vũng Tàu" → ("BRVT",)."""
    letters = "".join(w[0] for w in re.findall(r"[^\W\d_]+", name)).upper()
    return tuple(dict.fromkeys([letters, letters.replace("Đ", "D")]))
