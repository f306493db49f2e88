"""Lexical matching: BM25 (bm25s) over two analyses of the same passages.

- words: pyvi word segmentation of the text with canonical tone marks
  ("trách_nhiệm", "khen_thưởng"), plus codes such as "15/11" or "57-kl/tw";
- folded: syllables without diacritics and their bigrams ("khen", "khen_thuong"),
  so a question typed without accents, or with a wrong tone, still matches.

Coverage (how much of a question a passage holds) looks words up by keys: a word
typed with diacritics by its accented syllables ("~giá_vé"), one typed without them
by its folded ones ("gia_ve"), so "giá vé" never matches "Gia" or "về".
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..ingest.text import canonical_tones, fold, has_diacritics, match_form, nfc
from .thesaurus import expand_abbreviations, phrase_pattern, phrases

_CODE = re.compile(r"\d+(?:\s?[/.\-]\s?[0-9A-Za-zĐđ]+)+")
_FOLDED_SYLLABLE = re.compile(r"[a-z0-9]+")
# question words, on top of the general Vietnamese and English stop words (stopwordsiso)
_QUESTION_WORDS = """
ai gì nào đâu sao mấy bao_nhiêu bao_giờ khi_nào lúc_nào thế_nào như_thế_nào là của có được và
các những thì không ở trong cho với về theo tại này đó hay hoặc nhỉ ạ vậy nêu cho_biết hãy gồm
bao_gồm những_gì là_gì thế còn đã sẽ đang bị do nhé ra cái một lo bên
""".split()
FOLDED_STOP = frozenset(
    "ai nao gi dau la cua va cac nhung thi o trong cho voi ve theo tai nay hay hoac khong duoc".split()
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    import stopwordsiso

    words = set(_QUESTION_WORDS)
    for language in ("vi", "en"):
        words |= {canonical_tones(w).lower().replace(" ", "_") for w in stopwordsiso.stopwords(language)}
    return frozenset(words)


def word_tokens(text: str) -> list[str]:
    from pyvi import ViTokenizer

    text = canonical_tones(nfc(expand_abbreviations(text)))
    codes = [re.sub(r"\s", "", c).lower() for c in _CODE.findall(text)]
    words = ViTokenizer.tokenize(_CODE.sub(" ", text)).lower().split()
    return [w for w in words if any(ch.isalnum() for ch in w)] + codes


def folded_tokens(text: str, drop_stop: bool = False) -> list[str]:
    syllables = _FOLDED_SYLLABLE.findall(fold(expand_abbreviations(text)))
    keep = [not (drop_stop and s in FOLDED_STOP) for s in syllables]
    unigrams = [s for s, k in zip(syllables, keep) if k]
    bigrams = [f"{a}_{b}" for (a, ka), (b, kb) in zip(zip(syllables, keep), zip(syllables[1:], keep[1:]))
               if ka or kb]
    return unigrams + bigrams


ACCENTED = "~"  # the prefix of keys looked up with their diacritics
_SYLLABLE = re.compile(r"[^\W_]+")


def accented_tokens(text: str) -> list[str]:
    """Syllables with canonical tone marks and their bigrams, prefixed: "~khen_thưởng"."""
    syllables = _SYLLABLE.findall(match_form(expand_abbreviations(text)))
    return [ACCENTED + s for s in syllables] + [f"{ACCENTED}{a}_{b}" for a, b in zip(syllables, syllables[1:])]


@lru_cache(maxsize=65536)
def text_keys(text: str) -> frozenset[str]:
    """Every key a passage or sentence can be found by: folded and accented (cached:
    the same sentences and headings are looked at by question after question)."""
    return frozenset(folded_tokens(text)) | frozenset(accented_tokens(text))


@lru_cache(maxsize=65536)
def word_keys(word: str, accented: bool = False) -> tuple[str, ...]:
    """How a word or phrase is looked up: its syllable, or the bigrams of its syllables
    ("thực_phẩm" → "thuc_pham"), so words match as units; folded unless `accented`."""
    if accented:
        syllables = _SYLLABLE.findall(match_form(expand_abbreviations(word.replace("_", " "))))
        prefix = ACCENTED
    else:
        syllables = _FOLDED_SYLLABLE.findall(fold(expand_abbreviations(word)))
        prefix = ""
    if len(syllables) <= 1:
        return tuple(prefix + s for s in syllables)
    return tuple(f"{prefix}{a}_{b}" for a, b in zip(syllables, syllables[1:]))


# A content item is what the question is about, as alternatives: the passage holds the
# item if it holds all the keys of any one alternative (a synonym, or the Vietnamese of
# an English term).
Item = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class QueryTerms:
    words: tuple[str, ...]  # for the words channel
    folded: tuple[str, ...]  # for the folded channel
    content: tuple[Item, ...]  # for coverage
    required: tuple[Item, ...] = ()  # agencies the question names

    @classmethod
    def of(cls, text: str, folded_text: str | None = None, english: bool = False) -> "QueryTerms":
        """`text` is the question with accents restored, `folded_text` as typed: a word
        is looked up with its diacritics only where it was typed with them. `english`:
        only terms the glossary translates, or numbers, can match the plans."""
        text = expand_abbreviations(text)
        typed = match_form(expand_abbreviations(folded_text)) if folded_text is not None else None
        rest, matched = _take_phrases(text)
        content, required, extra = [], [], []
        for group, is_unit in matched:  # the thesaurus spells its expressions right: accented keys
            item = tuple(k for k in (word_keys(p, accented=True) for p in group) if k)
            (required if is_unit else content).append(item)
            extra.extend(group)  # synonyms widen the lexical query; unknown words are ignored
        stop = stop_words()
        words = [w for w in word_tokens(rest) if w not in stop]
        content += [(keys,) for w in words
                    if (keys := word_keys(w, accented=_typed_with_accents(w, typed)))
                    and (not english or any(ch.isdigit() for ch in w))]
        all_words = words + [w for p in extra for w in word_tokens(p) if w not in stop]
        folded = folded_tokens(folded_text or text, drop_stop=True) + [
            t for p in extra for t in folded_tokens(p)]
        return cls(tuple(dict.fromkeys(all_words)), tuple(dict.fromkeys(folded)),
                   tuple(dict.fromkeys(content)), tuple(dict.fromkeys(required)))


def _typed_with_accents(word: str, typed: str | None) -> bool:
    """A word with diacritics that the user typed so (not restored by us)."""
    if not has_diacritics(word):
        return False
    return typed is None or match_form(word.replace("_", " ")) in typed


def _take_phrases(text: str) -> tuple[str, list[tuple[tuple[str, ...], bool]]]:
    """Thesaurus expressions and agency names in the text, and the text without them."""
    folded = not has_diacritics(text)
    form = fold(text) if folded else match_form(text)
    if len(form) != len(text):
        return text, []
    table, kept, matched = phrases(folded), list(text), []
    for m in phrase_pattern(folded).finditer(form):
        matched.append(table[m.group()])
        kept[m.start() : m.end()] = " " * (m.end() - m.start())
    return "".join(kept), matched


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_SHORTEST_TYPO = 5  # letters a lone syllable needs before it is corrected


def _one_edit(word: str, alphabet: str = _ALPHABET) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b and b[0] != "_"}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and "_" not in b[:2]}
    replaces = {a + c + b[1:] for a, b in splits if b and b[0] != "_" for c in alphabet}
    inserts = {a + c + b for a, b in splits for c in alphabet}
    return (deletes | swaps | replaces | inserts) - {word}


def coverage(content: tuple[Item, ...], present, idf) -> float:
    """IDF-weighted share of the content items the passage holds (`present(key)`)."""
    total = found = 0.0
    for item in content:
        weight = sum(idf(k) for k in item[0]) / len(item[0])
        total += weight
        if any(all(present(k) for k in alternative) for alternative in item):
            found += weight
    return found / total if total else 0.0


def holds_all(items: tuple[Item, ...], present) -> bool:
    return all(any(all(present(k) for k in alt) for alt in item) for item in items)


def _channel(key: str) -> str:
    return "accented" if key.startswith(ACCENTED) else "folded"


class LexicalIndex:
    """Two bm25s indexes over the passages' matching text, and document frequencies."""

    CHANNELS = ("words", "folded")

    def __init__(self, retrievers: dict, doc_freq: dict[str, dict[str, int]], size: int):
        self._retrievers = retrievers
        self._doc_freq = doc_freq
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> "LexicalIndex":
        import bm25s

        tokens = {"words": [word_tokens(t) for t in texts], "folded": [folded_tokens(t) for t in texts]}
        retrievers, doc_freq = {}, {}
        for channel, corpus in tokens.items():
            retriever = bm25s.BM25(k1=1.2, b=0.75)
            retriever.index([toks or [""] for toks in corpus], show_progress=False)
            retrievers[channel] = retriever
            doc_freq[channel] = dict(Counter(t for toks in corpus for t in set(toks)))
        # accented keys are looked up for coverage only, so they need frequencies, not BM25
        doc_freq["accented"] = dict(Counter(t for text in texts for t in set(accented_tokens(text))))
        return cls(retrievers, doc_freq, len(texts))

    def scores(self, channel: str, terms: tuple[str, ...]) -> np.ndarray:
        if not terms:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retrievers[channel].get_scores(list(terms)), dtype=np.float32)

    def idf(self, channel: str, term: str) -> float:
        df = self._doc_freq[channel].get(term, 0)
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def key_idf(self, key: str) -> float:
        """IDF of a coverage key, accented or folded."""
        return self.idf(_channel(key), key)

    def key_known(self, key: str) -> bool:
        return key in self._doc_freq[_channel(key)]

    def correct(self, key: str) -> str | None:
        """The most frequent key one edit away from an unknown one: a typo ("nghanh" →
        "nganh", "khuyen_kich" → "khuyen_khich", "~khuyến_kích" → "~khuyến_khích"). An
        accented key is corrected only as a pair of syllables: one accented syllable
        is too short to tell a typo ("vé") from another word ("về")."""
        channel = _channel(key)
        vocabulary = self._doc_freq[channel]
        body = key[len(ACCENTED):] if channel == "accented" else key
        if len(body) > 20 or (channel == "accented" and "_" not in body):
            return None  # a longer token is not a typo of a word of two syllables
        if "_" not in body and len(body) < _SHORTEST_TYPO:
            return None  # one edit turns a short syllable into too many others ("tram" → "tham")
        prefix = ACCENTED if channel == "accented" else ""
        alphabet = self._letters() if channel == "accented" else _ALPHABET
        candidates = [prefix + c for c in _one_edit(body, alphabet) if prefix + c in vocabulary]
        return max(candidates, key=lambda c: (vocabulary[c], c)) if candidates else None

    def _letters(self) -> str:
        if not hasattr(self, "_letter_cache"):
            letters = {ch for key in self._doc_freq["accented"] for ch in key if ch.isalpha()}
            self._letter_cache = "".join(sorted(letters))
        return self._letter_cache

    def save(self, folder: Path) -> None:
        for channel, retriever in self._retrievers.items():
            retriever.save(str(folder / f"bm25-{channel}"))
        (folder / "doc_freq.json").write_text(
            json.dumps({"size": self.size, "doc_freq": self._doc_freq}, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        data = json.loads((folder / "doc_freq.json").read_text(encoding="utf-8"))
        retrievers = {c: bm25s.BM25.load(str(folder / f"bm25-{c}")) for c in cls.CHANNELS}
        return cls(retrievers, data["doc_freq"], data["size"])
