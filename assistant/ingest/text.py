"""Text normalisation: the cleaned document text we serve and quote, and the
matching-only forms (canonical tone marks, accent-folded) used by retrieval."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .normalise import i_for_y, i_for_y_folded

_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
# "YÊU CẦU**1. Mục đích**": a bold heading glued to the previous line
_GLUED_HEADING = re.compile(r"(?<=\S)\*\*(?=(?:[IVX]+|\d+(?:\.\d+)*)\.\s)")
_MD_HEADING = re.compile(r"^#{1,6}\s*", re.MULTILINE)
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
LIST_OR_HEADING = re.compile(r"^(?:[-+•–]\s|(?:[IVX]+|\d+(?:\.\d+)*)\.\s|[a-zđ]\)\s)")
_ENDS_SENTENCE = re.compile(r"[.:;!?…)\]”\"]$|/\.$")
# a line ending in one of these words cannot end a sentence or a title
_DANGLING = frozenset(
    "của và về với cho tại theo trong các những là được để đến từ số ngày hoặc nhằm như".split()
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_document(raw: str) -> str:
    """NFC, no markdown or HTML, one space between words, broken lines joined.

    The result is the document text: citations quote it and index into it."""
    text = nfc(raw).replace("\r\n", "\n").replace("\r", "\n")
    text = _TAG.sub(" ", text)
    text = _GLUED_HEADING.sub("\n", text)
    text = _MD_HEADING.sub("", text)
    text = text.replace("**", "")
    text = _ITALIC.sub(r"\1", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(_join_broken_lines(lines)).strip() + "\n"


def _join_broken_lines(lines: list[str]) -> list[str]:
    """Merge lines a sentence was broken across; keep one blank line between paragraphs."""
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        if out and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            if out and blank:
                out.append("")
            out.append(line)
        blank = False
    return out


def _continues(previous: str, line: str) -> bool:
    if not previous or LIST_OR_HEADING.match(line) or _ENDS_SENTENCE.search(previous):
        return False
    if previous.isupper():  # an all-capitals line is a heading ("KẾ HOẠCH")
        return False
    if line[0].islower():
        return True
    last_word = previous.rsplit(" ", 1)[-1].lower()
    return line[0].isupper() and last_word in _DANGLING


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary and marked with "…"."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def clean_question(question: str) -> str:
    """NFC, one line, single spaces; control characters, invisible format characters and
    lone surrogates (which JSON can carry but UTF-8 cannot encode) removed."""
    visible = "".join(" " if c.isspace() else c for c in question
                      if c.isspace() or unicodedata.category(c) not in _INVISIBLE)
    return _SPACES.sub(" ", nfc(visible)).strip()


_INVISIBLE = {"Cc", "Cf", "Cs"}


# --- matching forms -------------------------------------------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_MARKED_VOWELS = set("ăâêôơư")
_VOWELS = set("aeiouy") | _MARKED_VOWELS
_WORD = re.compile(r"[^\W\d_]+")


def canonical_tones(text: str) -> str:
    """Put tone marks in one fixed place ("hoá"→"hóa", "thuỷ"→"thủy") and write i for
    the y of a lone vowel ("ký"→"kí", see normalise.py), so both spellings match. For
    matching only: never shown to users."""
    return _WORD.sub(lambda m: _canonical_word(m.group()), text)


@lru_cache(maxsize=65536)
def _canonical_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return i_for_y(word)
    bare = nfc("".join(c for c in decomposed if c not in _TONES))
    position = _tone_position(bare.lower())
    if position is None:
        return word
    return i_for_y(nfc(bare[: position + 1] + tones[0] + bare[position + 1 :]))


def _tone_position(word: str) -> int | None:
    bases = [_base_letter(c) for c in word]
    indices = [i for i, c in enumerate(word) if bases[i] in _VOWELS]
    if not indices:
        return None
    # the u of "qu" and the i of "gi" (before another vowel) are consonantal
    if word.startswith("qu") and len(indices) > 1 and indices[0] == 1:
        indices = indices[1:]
    elif word.startswith("gi") and len(indices) > 1 and indices[0] == 1:
        indices = indices[1:]
    cluster = [indices[0]]
    for i in indices[1:]:
        if i != cluster[-1] + 1:
            break
        cluster.append(i)
    marked = [i for i in cluster if bases[i] in _MARKED_VOWELS]
    if marked:
        return marked[-1]
    if len(cluster) == 1:
        return cluster[0]
    if len(cluster) >= 3:
        return cluster[1]
    closed = cluster[-1] + 1 < len(word)
    return cluster[1] if closed else cluster[0]


def _base_letter(char: str) -> str:
    """'ộ' → 'ô', 'á' → 'a': the letter with its tone mark removed."""
    return nfc("".join(c for c in unicodedata.normalize("NFD", char) if c not in _TONES))


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ→d, i for the y of a lone vowel ("ký" → "ki"): what a
    question typed without accents looks like. Keeps the length of NFC text."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return i_for_y_folded("".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def match_form(text: str) -> str:
    """The form used to compare strings: NFC, canonical tones, lower case, single spaces."""
    return " ".join(canonical_tones(nfc(text)).lower().split())


# --- sentences --------------------------------------------------------------

# a sentence ends at . ! ? … or a line break, not inside "15/4/2024" or after "KT."; the
# plans use ";" between the clauses of one long sentence ("(Lào; Trung Quốc; …)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?<!\bKT\.)(?<!\bTM\.)\s+(?=[\"“(]?[A-ZĐÀ-Ỹ\-+\d])|\n+")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    spans, cursor = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    spans = [_trim(text, s, e) for s, e in spans if text[s:e].strip()]
    merged: list[tuple[int, int]] = []
    for s, e in spans:  # "5.1." on its own is a heading number, not a sentence
        if merged and _NUMBER_ONLY.match(text[merged[-1][0] : merged[-1][1]]) and \
                text.count("\n", merged[-1][1], s) == 0:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


_NUMBER_ONLY = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*)\.$")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
