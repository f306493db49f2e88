"""The corpus folder: which files are documents, and what is wrong with the others.

Anything an operator can leave in the folder by mistake (a folder named like a file,
a broken link, a second file with the same name in another format, a sidecar that is
not a JSON object) is reported by name and skipped; it never stops the other files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusError
from .formats import suffixes, unsupported
from .text import fold

SIDECAR = ".meta.json"
REMOVED = ".removed"  # `assistant remove` moves a document's files here, never deletes them


@dataclass(frozen=True)
class CorpusFile:
    path: Path
    sha256: str  # of the file's bytes: the same file added twice is recognised by it
    sidecar_sha256: str  # "" without a sidecar; a changed sidecar changes the document

    @property
    def doc_id(self) -> str:
        return self.path.stem

    @property
    def sidecar(self) -> Path:
        return sidecar_of(self.path)


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR)


def scan(folder: Path) -> tuple[list[CorpusFile], list[str]]:
    """The document files of a folder, sorted by name, and one message per file skipped."""
    if not folder.is_dir():
        raise CorpusError(f"không tìm thấy thư mục văn bản {folder} (đặt bằng --corpus hoặc ASSISTANT_CORPUS_DIR)")
    accepted = suffixes()
    files, problems, seen = [], [], {}
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") or name.endswith(SIDECAR):
            continue
        if path.suffix.lower() not in accepted:  # said, never skipped without a word
            problems.append(unsupported(path) if not path.is_dir() else f"{name} là một thư mục, không phải tệp văn bản")
            continue
        problem = _not_a_file(path)
        if problem:
            problems.append(problem)
            continue
        if path.stem in seen:
            problems.append(f"tệp {name} trùng tên với {seen[path.stem]} (cùng mã văn bản «{path.stem}»); "
                            "hãy đổi tên một trong hai tệp")
            continue
        try:
            files.append(CorpusFile(path, file_hash(path), sidecar_hash(path)))
        except OSError as exc:
            problems.append(f"không đọc được tệp {name} ({exc.strerror or type(exc).__name__})")
            continue
        seen[path.stem] = name
    return files, problems


def _not_a_file(path: Path) -> str | None:
    if path.is_symlink() and not path.exists():
        return f"{path.name} là liên kết tới tệp không còn tồn tại ({path.readlink()})"
    if path.is_dir():
        return f"{path.name} là một thư mục, không phải tệp văn bản"
    if not path.is_file():
        return f"{path.name} không phải tệp thông thường"
    return None


def sidecar_hash(path: Path) -> str:
    sidecar = sidecar_of(path)
    return file_hash(sidecar) if sidecar.is_file() else ""


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def corpus_hash(files: list[CorpusFile]) -> str:
    """One hash of the document files and their sidecars, by name and content."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path.name):
        digest.update(f"{f.path.name}\0{f.sha256}\0{f.sidecar_sha256}\0".encode())
    return digest.hexdigest()


def slug(name: str) -> str:
    """A document id from a file name: "Kế hoạch 157 (Gia Lai)" → "ke-hoach-157-gia-lai"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80] or "van-ban"
