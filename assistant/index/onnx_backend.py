"""The embedding model as ONNX graphs (float, and int8), exported once at setup, run by
ONNX Runtime.

sentence-transformers' own ONNX backend needs optimum-onnx, whose releases pin
transformers < 4.58 while sentence-transformers 6 needs transformers 5: the two cannot
be installed together. So the export is done here with the libraries underneath
(torch.onnx, onnxruntime.quantization), generically for the model the settings name:

- the whole sentence-transformers pipeline (transformer, pooling, normalisation) is
  traced into one graph, so the graph's output is the sentence vector itself;
- the float graph is kept (back-end `onnx`: the same vectors as torch, without
  sentence-transformers' per-call overhead), and a copy has its weights quantised to
  int8 per channel (back-end `onnx-int8`) (dynamic quantisation: no calibration
  data; per channel kept cosines to the float model at 0.995 on our passages, per tensor
  at 0.98);
- the tokenizer the float model really uses is saved beside it, so both tokenise alike.

The export goes in `<model_cache>/onnx/<identity>/` where identity hashes the model's
weight files: new weights (an adapter, a retrained model) need a new export, and an
export made from other weights is never used. `assistant export-model` (run by
scripts/setup.sh) writes it; nothing exports at run time."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError

FORMAT = 1  # bump when the exported folder changes
GRAPHS = {"onnx-int8": "model_int8.onnx", "onnx": "model_float.onnx"}  # back-end → graph file
TOKENIZER, RECORD = "tokenizer.json", "export.json"
MAX_TOKENS = 512


def export_folder(cache_dir: Path, identity: str) -> Path:
    return cache_dir / "onnx" / identity.replace("/", "_").replace(":", "-")


def read_record(folder: Path) -> dict | None:
    try:
        record = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def check_export(folder: Path, identity: str, backend: str) -> dict:
    """The export's record, or a ModelLoadError saying how to make it."""
    record = read_record(folder)
    how = ("chạy `assistant export-model` (./scripts/setup.sh làm việc này) hoặc đặt "
           "ASSISTANT_EMBEDDING_BACKEND=torch để dùng mô hình qua PyTorch")
    if record is None or not (folder / GRAPHS[backend]).is_file():
        raise ModelLoadError(f"chưa có bản ONNX ({backend}) của mô hình nhúng trong {folder}; {how}")
    if record.get("identity") != identity or record.get("format") != FORMAT:
        raise ModelLoadError(f"bản ONNX trong {folder} được xuất từ trọng số khác; {how}")
    return record


def export(model, prompts: dict[str, str], identity: str, target: Path) -> Path:
    """Trace a loaded SentenceTransformer into `target` as an int8 graph (atomically)."""
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        float_graph = staging / GRAPHS["onnx"]
        sample = model.tokenizer(["query: xin chào", "passage: Sở Nội vụ chủ trì, phối hợp thực hiện"],
                                 padding=True, return_tensors="pt")
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on shapes it fixes; the graph is checked below
            torch.onnx.export(_Pipeline(model).eval(), (sample["input_ids"], sample["attention_mask"]),
                              str(float_graph), input_names=["input_ids", "attention_mask"],
                              output_names=["sentence_embedding"], opset_version=17, dynamo=False,
                              dynamic_axes={"input_ids": {0: "batch", 1: "tokens"},
                                            "attention_mask": {0: "batch", 1: "tokens"},
                                            "sentence_embedding": {0: "batch"}})
        logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))  # its advice to pre-process
        quantize_dynamic(str(float_graph), str(staging / GRAPHS["onnx-int8"]), weight_type=QuantType.QInt8,
                         per_channel=True)
        (staging / TOKENIZER).write_text(model.tokenizer.backend_tokenizer.to_str(), encoding="utf-8")
        record = {"identity": identity, "format": FORMAT, "quantisation": "dynamic int8, per channel",
                  "onnxruntime": onnxruntime.__version__, "torch": torch.__version__,
                  "max_tokens": min(MAX_TOKENS, int(model.max_seq_length or MAX_TOKENS)),
                  "pad_id": int(model.tokenizer.pad_token_id or 0), "prompts": prompts,
                  "dimension": int(getattr(model, "get_embedding_dimension",
                                           getattr(model, "get_sentence_embedding_dimension", None))())}
        record["agreement"] = {backend: _agreement(model, staging, record, backend) for backend in GRAPHS}
        (staging / RECORD).write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        staging.chmod(0o755)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)  # a half-written export is never used
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


_CHECK_TEXTS = ("passage: Sở Nội vụ chủ trì, phối hợp với các sở, ngành tổ chức khen thưởng hằng năm.",
                "query: Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?",
                "passage: Thời gian thực hiện: năm 2024 và những năm tiếp theo.",
                "query: kinh phi thuc hien ke hoach")
MIN_AGREEMENT = 0.95  # the least cosine between the export's vector and the float model's, on the texts above


def _agreement(model, folder: Path, record: dict, backend: str) -> float:
    """The least cosine between a graph and the model on a few texts; an export far from
    its model (a tracing or quantising fault) is refused, not saved."""
    exported = OnnxEncoder(folder, record, threads=1, backend=backend).encode(list(_CHECK_TEXTS), batch_size=4)
    reference = model.encode(list(_CHECK_TEXTS), normalize_embeddings=True, convert_to_numpy=True)
    least = float(np.min(np.sum(exported * reference, axis=1)))
    if least < MIN_AGREEMENT:
        raise RuntimeError(f"bản xuất lệch mô hình gốc (cosine {least:.3f} < {MIN_AGREEMENT})")
    return round(least, 4)


def _Pipeline(model):
    import torch

    class Pipeline(torch.nn.Module):
        """input ids and mask → the normalised sentence vector, as model.encode computes it."""

        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask):
            return self.model({"input_ids": input_ids, "attention_mask": attention_mask})["sentence_embedding"]

    return Pipeline()


class OnnxEncoder:
    """Runs an export: tokenise, run the graph in length-sorted batches, normalise."""

    def __init__(self, folder: Path, record: dict, threads: int, backend: str = "onnx-int8"):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # idle threads sleep instead of spinning: on 2 shared cores, spinning took 20–60% more CPU
        # for the same passages (and as much from every other process)
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(folder / GRAPHS[backend]), options,
                                                     providers=["CPUExecutionProvider"])
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self._tokenizer.enable_truncation(record["max_tokens"])
        self._tokenizer.enable_padding(pad_id=record["pad_id"])
        self.dimension = record["dimension"]
        self.prompts = record.get("prompts") or {}

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # longest first, as sentence-transformers does: a batch pads to its longest text
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for at in range(0, len(order), batch_size):
            rows = order[at:at + batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in rows])
            feed = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64)}
            out[rows] = self._session.run(None, feed)[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1)
