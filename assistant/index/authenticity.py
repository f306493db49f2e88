"""An index that is authenticated, not only checksummed.

The manifest lists a SHA-256 for every file of its version; anyone who can write the
folder can recompute them. With ASSISTANT_INDEX_KEY set (the key itself, or the path of
a file holding it, kept outside the index folder), the manifest also carries an
HMAC-SHA256 of its whole content, every file's hash included: a version whose HMAC
does not match, or that has none, is refused like a damaged one. The key is read from
the environment, never from Settings, because settings are written into reports."""

from __future__ import annotations

import hmac
import json
import os
from pathlib import Path

from ..errors import IndexError_

KEY_VARIABLE = "ASSISTANT_INDEX_KEY"
FIELD = "hmac"


def index_key() -> bytes | None:
    raw = os.environ.get(KEY_VARIABLE, "")
    if not raw:
        return None
    path = Path(raw).expanduser()
    try:
        if path.is_file():
            return path.read_bytes().strip() or None
    except OSError as exc:
        raise IndexError_(f"không đọc được khóa chỉ mục {path} ({KEY_VARIABLE}): {exc.strerror}") from None
    return raw.encode()


def check_key_location(index_dir: Path) -> None:
    """A key kept inside the index folder protects nothing: whoever edits one reads the other."""
    raw = os.environ.get(KEY_VARIABLE, "")
    path = Path(raw).expanduser() if raw else None
    if path is not None and path.is_file() and path.resolve().is_relative_to(index_dir.resolve()):
        raise IndexError_(f"khóa chỉ mục {path} nằm trong thư mục chỉ mục {index_dir}; hãy để khóa ở ngoài "
                          f"({KEY_VARIABLE})")


def _mac(key: bytes, manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != FIELD}
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac.new(key, canonical, "sha256").hexdigest()


def sign(manifest: dict) -> dict:
    """The manifest with its HMAC when a key is set (as it is, otherwise)."""
    key = index_key()
    return {**manifest, FIELD: _mac(key, manifest)} if key else manifest


def problem(manifest: dict) -> str | None:
    """Why the manifest is not authentic under the key set, or None."""
    key = index_key()
    if key is None:
        return None
    given = manifest.get(FIELD)
    if not isinstance(given, str):
        return f"manifest.json không có chữ ký HMAC dù {KEY_VARIABLE} đã được đặt"
    if not hmac.compare_digest(given, _mac(key, manifest)):
        return f"chữ ký HMAC của manifest.json không khớp khóa {KEY_VARIABLE}"
    return None
