"""A question, understood once: the one value every later stage reads.

`parse_question` cleans nothing itself (the engine hands it the standalone question)
and decides, in one place, what the question is about and where to look: accents
restored, provinces named (diacritics respected), the province filter reconciled with
them, what is asked for (`Intent`), the agency named, the content words, and the
section numbers it points at."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from ..errors import UnknownProvinceError
from ..index.accents import AccentRestorer
from ..index.lexical import ACCENTED, LexicalIndex, QueryTerms
from ..ingest.normalise import expand_abbreviations
from ..ingest.provinces import Province, by_slug, find_provinces, remove_province_names
from ..ingest.text import fold, has_diacritics
from .intent import IntentModel
from .question import Intent, content, is_english, read_intent

# "mục 2.3", "nhiệm vụ 1.1", "phần IV", "Điều 5" (matched folded)
_SECTION_REF = re.compile(r"\b(?:muc|nhiem vu|nhom|phan|diem|khoan|dieu|section|task|group|article)\s+"
                          r"((?:[ivx]+|\d+)(?:\.\d+)+|\d+|[ivx]+)\b")


@dataclass(frozen=True)
class Question:
    text: str  # the standalone question answered (a follow-up already rewritten)
    restored: str  # with accents restored on words typed without them
    matching: str  # the restored question without province names: what is embedded
    accented: bool  # typed with diacritics
    english: bool
    named: tuple[Province, ...]  # provinces the question names, in the corpus or not
    scope: tuple[str, ...]  # province slugs to search; () = every document
    scope_note: str  # why the search ignores the province filter, "" when it does not
    intent: Intent
    terms: QueryTerms
    sections: tuple[str, ...] = ()  # section numbers it names: "mục 2.3" → "2.3"
    outside: tuple[Province, ...] = ()  # asked only about provinces the corpus has no document of
    unmatched: float = 0.0  # IDF-weighted share of its content words the corpus never uses
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)  # `matching`, embedded


def parse_question(text: str, province: str | None, known: frozenset[str], accents: AccentRestorer,
                   lexical: LexicalIndex, embed: Callable[[str], np.ndarray], intents: IntentModel) -> Question:
    """`province` is the filter chosen by the user (None for all); `known` the provinces
    of the corpus. A province named in the question wins over the filter, and the answer
    says so (`scope_note`): a user who asks about Bắc Giang means Bắc Giang. `embed`
    gives the encoder's vector of a text; what is asked for is read from it by `intents`."""
    if province is not None and province not in known:
        raise UnknownProvinceError(
            f"không có tỉnh «{province}» trong bộ văn bản; các tỉnh hiện có: {', '.join(sorted(known))}")
    named = tuple(find_provinces(text, known))
    scope, note = _scope(named, province, known)
    english = is_english(text)
    typed = text if english else accents.repair(text, lambda syllable: lexical.key_known(ACCENTED + syllable))
    restored = typed if english else accents.restore(typed)
    typed = remove_province_names(typed, list(named)) or typed
    matching = remove_province_names(restored, list(named)) or restored
    terms = QueryTerms.of(content(matching), content(typed), english=english)
    terms = corrected(terms, lexical)
    matching = expand_abbreviations(matching)  # "đv", "TT&TT" as the plans write them, for the encoder
    vector = embed(matching)
    intent = read_intent(intents.read(vector, matching), len([p for p in named if p.slug in known]), english)
    sections = tuple(m.group(1) for m in _SECTION_REF.finditer(fold(text)))
    outside = tuple(p for p in named if p.slug in scope) if not set(scope) & known else ()
    return Question(text, restored, matching, has_diacritics(text), english, named, scope, note, intent,
                    terms, sections, outside, _unmatched(terms, lexical), vector)


def _unmatched(terms: QueryTerms, lexical: LexicalIndex) -> float:
    """How much of the question is about words no document uses ("du lịch vũ trụ"):
    no spelling of the item, corrected or not, is in the corpus."""
    items = terms.content + terms.required
    weights = [sum(lexical.key_idf(k) for k in item[0]) / len(item[0]) for item in items if item[0]]
    missing = [not any(all(lexical.key_known(k) for k in alt) for alt in item) for item in items if item[0]]
    total = sum(weights)
    return sum(w for w, m in zip(weights, missing) if m) / total if total else 0.0


def _scope(named: tuple[Province, ...], province: str | None, known: frozenset[str]) -> tuple[tuple[str, ...], str]:
    in_corpus = tuple(p.slug for p in named if p.slug in known)
    if province is None:
        return in_corpus or tuple(p.slug for p in named), ""
    if not named or in_corpus == (province,):
        return (province,), ""
    chosen = by_slug(province).name
    asked = " và ".join(p.name for p in named)
    return (in_corpus or tuple(p.slug for p in named)), (
        f"Câu hỏi nêu {asked} nên trợ lý tìm trong văn bản của {asked}, "
        f"không theo tỉnh đang chọn ở bộ lọc ({chosen}).")


def corrected(terms: QueryTerms, lexical: LexicalIndex) -> QueryTerms:
    """Give each word the corpus does not know its one-typo-away spelling as an alternative.

    A word typed with diacritics that the corpus knows without them ("vé": "về" exists)
    is a different word, not a typo, and gets none; one unknown either way ("nghành")
    is corrected on its folded form."""
    content, added = [], []
    for item in terms.content:
        keys = item[0]
        unknown = [k for k in keys if not lexical.key_known(k)]
        fixed = {k: lexical.correct(k) or _folded_correction(k, lexical) for k in unknown}
        if unknown and len(item) == 1 and all(fixed.values()):
            item_fixed = tuple(fixed.get(k, k) for k in keys)
            item = item + (item_fixed,)
            added += [k for k in item_fixed if not k.startswith("~")]
        content.append(item)
    if not added and content == list(terms.content):
        return terms
    return replace(terms, content=tuple(content), folded=terms.folded + tuple(added))


def _folded_correction(key: str, lexical: LexicalIndex) -> str | None:
    if not key.startswith(ACCENTED):
        return None
    folded = fold(key[len(ACCENTED):])
    return None if lexical.key_known(folded) else lexical.correct(folded)
