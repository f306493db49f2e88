"""What a question asks for, learnt from labelled questions: a classifier over the
question's embedding and the words it is typed with.

Three small linear heads share one input (the question's vector from the encoder,
and its folded words and word pairs hashed into a fixed number of slots):

- kind: who, when, what, count, list, compare, metadata, part (softmax);
- meta: the document fields a metadata question asks for (signer, number, date …);
- role: the task field a who- or when-question asks for (lead, coordinating …);
- answerable: whether plans like ours answer such a question at all (a budget in
  billions, a phone number: no plan states one). One signal among the answer model's.

An English or paraphrased question is read the way its plain Vietnamese twin is,
because the encoder puts them close together. The weights are data
(`intent_model.npz`, with `intent_model.json` recording what they were fitted on),
written by scripts/train_intent.py; nothing here is tuned by hand."""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ModelLoadError
from ..ingest.text import fold

KINDS = ("who", "when", "what", "count", "list", "compare", "metadata", "part")
META_FIELDS = ("signer", "number", "date", "issuer", "implements", "replaces", "province", "kind", "title",
               "recipients")
ROLES = ("lead", "coordinating", "advising", "directing", "timeline")
HEADS = ("kind", "meta", "role", "answerable")
HASH_SLOTS = 2048
WEIGHTS_FILE, CARD_FILE = "intent_model.npz", "intent_model.json"
_WORD = re.compile(r"[a-z0-9]+")


def word_features(text: str, slots: int = HASH_SLOTS) -> np.ndarray:
    """The folded words and word pairs of a text, hashed (crc32: the same on every
    machine), counted once each and scaled to unit length."""
    words = _WORD.findall(fold(text))
    grams = set(words) | {f"{a} {b}" for a, b in zip(words, words[1:])} | {"^" + w for w in words[:1]}
    vector = np.zeros(slots, dtype=np.float32)
    for gram in grams:
        vector[zlib.crc32(gram.encode()) % slots] = 1.0
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def features(vector: np.ndarray, text: str, slots: int = HASH_SLOTS) -> np.ndarray:
    return np.concatenate([np.asarray(vector, dtype=np.float32).reshape(-1), word_features(text, slots)])


@dataclass(frozen=True)
class Head:
    """One linear head: `labels`, a weight row per label, a bias per label."""

    labels: tuple[str, ...]
    weights: np.ndarray  # (labels, features)
    bias: np.ndarray  # (labels,)
    softmax: bool

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.weights @ x + self.bias
        if self.softmax:
            e = np.exp(z - z.max())
            p = e / e.sum()
        else:
            p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        return {label: float(v) for label, v in zip(self.labels, p)}


@dataclass(frozen=True)
class Reading:
    """What the classifier makes of a question."""

    kinds: dict[str, float]  # probability of each kind (they sum to 1)
    meta: dict[str, float]  # probability that each document field is asked for
    roles: dict[str, float]  # … and each task field
    answerable: float = 0.5  # that plans like ours answer such a question at all

    @property
    def kind(self) -> str:
        return max(self.kinds, key=self.kinds.get)

    def asked_fields(self) -> tuple[str, ...]:
        """The field most likely asked for, then any other more likely asked than not."""
        return _chosen(self.meta)

    def asked_roles(self) -> tuple[str, ...]:
        return _chosen(self.roles)


def _chosen(probabilities: dict[str, float]) -> tuple[str, ...]:
    if not probabilities:
        return ()
    best = max(probabilities, key=probabilities.get)
    return (best,) + tuple(k for k, p in probabilities.items() if k != best and p > 0.5)


@dataclass(frozen=True)
class IntentModel:
    kind: Head
    meta: Head
    role: Head
    answerable: Head
    slots: int
    card: dict

    def read(self, vector: np.ndarray, text: str) -> Reading:
        x = features(vector, text, self.slots)
        return Reading(self.kind.probabilities(x), self.meta.probabilities(x), self.role.probabilities(x),
                       self.answerable.probabilities(x)["answerable"])

    @classmethod
    def load(cls, folder: Path | None = None) -> "IntentModel":
        """From `folder`, or the model shipped with the package."""
        base = Path(str(resources.files("assistant.query"))) if folder is None else folder
        try:
            card = json.loads((base / CARD_FILE).read_text(encoding="utf-8"))
            with np.load(base / WEIGHTS_FILE, allow_pickle=False) as arrays:
                heads = {name: Head(tuple(card["labels"][name]), arrays[f"{name}_weights"],
                                    arrays[f"{name}_bias"], name == "kind") for name in HEADS}
            dimension = int(card["dimension"]) + int(card["slots"])
            if any(h.weights.shape != (len(h.labels), dimension) for h in heads.values()):
                raise ValueError("weights do not match the labels and dimension in the card")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelLoadError(f"mô hình nhận dạng câu hỏi ({base / WEIGHTS_FILE}) không dùng được ({exc}); "
                                 "hãy chạy lại scripts/train_intent.py") from exc
        return cls(heads["kind"], heads["meta"], heads["role"], heads["answerable"], int(card["slots"]), card)

    @classmethod
    def neutral(cls) -> "NeutralIntents":
        return NeutralIntents()

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / WEIGHTS_FILE, **{f"{n}_{part}": getattr(getattr(self, n), part)
                                           for n in HEADS for part in ("weights", "bias")})
        labels = {n: list(getattr(self, n).labels) for n in HEADS}
        card = {**self.card, "labels": labels, "slots": self.slots}
        (folder / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


class NeutralIntents:
    """Every kind and field alike: for reading labelled questions before any intent
    classifier is fitted (the fitting scripts), whatever the encoder's dimension."""

    card = {"note": "neutral, not fitted"}

    def read(self, vector: np.ndarray, text: str) -> Reading:
        return Reading({k: 1 / len(KINDS) for k in KINDS}, {m: 0.5 for m in META_FIELDS}, {r: 0.5 for r in ROLES},
                       0.5)
