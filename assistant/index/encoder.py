"""The fine-tuned encoder: a LoRA adapter (peft) trained by scripts/train_encoder.py on
our labelled questions, merged into the bundled e5-small when the model loads.

The adapter is data: `encoder/adapter_model.safetensors` and `adapter_config.json`
(megabytes), with `training.json` recording what it was trained on and how it did
on questions held out from it. Its hash is part of the index fingerprint, so passages
are never compared with questions embedded by another model."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ModelLoadError
from ..settings import Settings

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors")
CARD = "training.json"
NONE = "none"


def shipped_adapter() -> Path:
    return Path(str(resources.files("assistant.index") / "encoder"))


def adapter_path(settings: Settings) -> Path | None:
    """The adapter folder the settings name, or None for the bare model. A shipped
    adapter that is missing (a checkout before it was trained) means the bare model."""
    choice = settings.encoder_adapter.strip()
    if choice.lower() == NONE:
        return None
    if choice == "shipped":
        folder = shipped_adapter()
        return folder if (folder / ADAPTER_FILES[1]).is_file() else None
    folder = Path(choice).expanduser()
    missing = [name for name in ADAPTER_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelLoadError(f"thư mục adapter {folder} thiếu {', '.join(missing)} (ASSISTANT_ENCODER_ADAPTER: "
                             "một thư mục do scripts/train_encoder.py ghi, 'shipped' hoặc 'none')")
    return folder


def adapter_id(settings: Settings) -> str:
    """"none", or the first 16 hex digits of the adapter's weights and config."""
    folder = adapter_path(settings)
    return NONE if folder is None else _digest(folder)


@lru_cache(maxsize=8)
def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in ADAPTER_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def merge_adapter(model, folder: Path):
    """`model` (a SentenceTransformer) with the adapter's weights added into its own:
    as fast as the bare model, since nothing is left of peft at run time."""
    from peft import PeftModel

    transformer = model[0]
    try:
        adapted = PeftModel.from_pretrained(transformer.auto_model, str(folder))
    except Exception as exc:  # a damaged or foreign adapter is one problem for the user
        raise ModelLoadError(f"không nạp được adapter {folder}: {type(exc).__name__}: "
                             f"{str(exc).splitlines()[0] if str(exc) else ''}") from exc
    transformer.auto_model = adapted.merge_and_unload()
    return model


def card(settings: Settings) -> dict:
    """What the adapter records about its training ({} for none)."""
    folder = adapter_path(settings)
    if folder is None or not (folder / CARD).is_file():
        return {}
    return json.loads((folder / CARD).read_text(encoding="utf-8"))
