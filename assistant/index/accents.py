"""Restore diacritics in a question typed without them, for the dense channel.

pyvi's `ViUtils.add_accents` guesses from general Vietnamese and often misses
the plans' own terms ("bac giang" → "Bắc giảng"), so the longest runs of
syllables that occur in the corpus take the corpus's most frequent spelling
first; pyvi fills in the rest."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..ingest.text import canonical_tones, fold, nfc

_MAX_NGRAM = 3  # question phrases may be longer: see _QUESTION_WORDS
_MAX_SYLLABLE = 8
_SYLLABLE = re.compile(r"[^\W_]+")
# question words are rare in plans, so the corpus cannot teach their spelling; phrases of
# several words claim their syllables first, single words only where no corpus phrase does
_QUESTION_WORDS = {
    "ai": "ai", "nao": "nào", "gi": "gì", "dau": "đâu", "khi nao": "khi nào", "bao gio": "bao giờ",
    "bao nhieu": "bao nhiêu", "may": "mấy", "nguoi ky": "người ký", "ai ky": "ai ký",
    "the nao": "thế nào", "co": "có", "khong": "không", "la gi": "là gì", "o": "ở", "thi sao": "thì sao",
    "lam gi": "làm gì", "ngay nao": "ngày nào", "nam nao": "năm nào", "thang nao": "tháng nào",
    "so nao": "sở nào", "co quan nao": "cơ quan nào", "don vi nao": "đơn vị nào", "ban nao": "ban nào",
    "nganh nao": "ngành nào", "tinh nao": "tỉnh nào", "nhung gi": "những gì", "bao nhieu tien": "bao nhiêu tiền",
}
# In a question typed with accents, a lone word without them is usually right as typed
# ("bao nhiêu", "Bắc Giang"); only these are safely a slip.
_SAFE_SINGLE = {"nao": "nào", "gi": "gì", "dau": "đâu"}
_QUESTION_PHRASES = {fold(k): v for k, v in _QUESTION_WORDS.items() if " " in k}  # a lone "ky" may be "kỳ"


class AccentRestorer:
    def __init__(self, table: dict[str, str]):
        self.table = table

    @classmethod
    def build(cls, texts: list[str]) -> "AccentRestorer":
        counts: dict[str, Counter] = defaultdict(Counter)
        for text in texts:
            # the plans' own spelling (tones and i/y as written), found by its folded form
            for run in re.split(r"[^\w\s]+|\n", nfc(text).lower()):
                syllables = _SYLLABLE.findall(run)
                for n in range(1, _MAX_NGRAM + 1):
                    for i in range(len(syllables) - n + 1):
                        gram = " ".join(syllables[i : i + n])
                        counts[fold(gram)][gram] += 1
        table = {key: forms.most_common(1)[0][0] for key, forms in counts.items()}
        table.update({fold(k): v for k, v in _QUESTION_WORDS.items() if " " not in k})  # "nao" → "nào"
        return cls(table)

    def restore(self, question: str) -> str:
        """The question with accents added; text that already has them is returned as is."""
        tokens = re.findall(r"[^\W_]+|[^\w\s]+|\s+", question)
        syllable_positions = [i for i, t in enumerate(tokens) if _SYLLABLE.fullmatch(t)]
        # no Vietnamese syllable is longer than 7 letters: longer tokens are left alone
        syllable_positions = [i for i in syllable_positions if len(tokens[i]) <= _MAX_SYLLABLE]
        if not any(tokens[i].isascii() for i in syllable_positions):
            return question  # every word already has its accents
        mixed = any(not tokens[i].isascii() for i in syllable_positions)
        guesses = [None] * len(syllable_positions) if mixed else _pyvi_guesses(
            [tokens[i] for i in syllable_positions])
        out = list(tokens)
        # question phrases claim their words first, so "bao nhieu" is not split by a corpus pair
        claimed = self._apply(tokens, syllable_positions, out, _QUESTION_PHRASES, [None] * len(guesses),
                              mixed=False, taken=set())
        self._apply(tokens, syllable_positions, out, self.table, guesses, mixed, claimed)
        return "".join(out)

    def repair(self, question: str, known) -> str:
        """Syllables typed with the wrong marks ("thực hiên", "đối ngọai"): a syllable the
        corpus never writes (`known(syllable)` is false) takes the corpus's spelling of
        the pair it forms with a neighbour, when the corpus writes that pair ("thực hiện").
        A syllable the corpus knows is left alone: "vé" is not "về"."""
        tokens = re.findall(r"[^\W_]+|[^\w\s]+|\s+", question)
        positions = [i for i, t in enumerate(tokens) if _SYLLABLE.fullmatch(t)]
        out = list(tokens)
        for k, i in enumerate(positions):
            word = tokens[i]
            if word.isascii() or known(canonical_tones(word).lower()):
                continue
            for j, first in ((k - 1, False), (k + 1, True)):
                if not 0 <= j < len(positions) or not _adjacent(tokens, sorted((i, positions[j]))):
                    continue
                neighbour = tokens[positions[j]]
                pair = f"{fold(word)} {fold(neighbour)}" if first else f"{fold(neighbour)} {fold(word)}"
                form = self.table.get(pair)
                if not form:
                    continue
                mine, theirs = (form.split()[0], form.split()[1]) if first else (form.split()[1], form.split()[0])
                if neighbour.isascii() or canonical_tones(neighbour).lower() == canonical_tones(theirs):
                    out[i] = _match_case(word, mine)
                    break
        return "".join(out)

    @staticmethod
    def _apply(tokens, positions, out, table, guesses, mixed, taken) -> set[int]:
        """Greedy longest match of table entries over runs of unaccented syllables."""
        k = 0
        while k < len(positions):
            for n in range(min(_MAX_NGRAM, len(positions) - k), 0, -1):
                group = positions[k : k + n]
                if (not _adjacent(tokens, group) or taken & set(group)
                        or not all(tokens[i].isascii() for i in group)):
                    continue
                key = fold(" ".join(tokens[i] for i in group))  # "ky" and "ki" alike
                if mixed and n == 1:
                    form = _SAFE_SINGLE.get(key)
                else:
                    form = table.get(key) or (guesses[k] if n == 1 else None)
                if form:
                    for i, syllable in zip(group, form.split()):
                        out[i] = _match_case(tokens[i], syllable)
                    taken |= set(group)
                    k += n
                    break
            else:
                k += 1
        return taken


def _adjacent(tokens: list[str], positions: list[int]) -> bool:
    """True if only plain spaces separate the syllables (no punctuation between)."""
    return all(b == a + 2 and tokens[a + 1].isspace() for a, b in zip(positions, positions[1:]))


def _pyvi_guesses(syllables: list[str]) -> list[str | None]:
    if not syllables:
        return []
    from pyvi import ViUtils

    try:
        guessed = ViUtils.add_accents(" ".join(syllables)).split()
    except Exception:  # pyvi raises on odd input; the corpus table still applies
        return [None] * len(syllables)
    if len(guessed) != len(syllables):
        return [None] * len(syllables)
    return [g.lower() if fold(g) == s.lower() else None for g, s in zip(guessed, syllables)]


def _match_case(original: str, restored: str) -> str:
    if original.isupper() and len(original) > 1:
        return restored.upper()
    if original[:1].isupper():
        return restored[:1].upper() + restored[1:]
    return restored
