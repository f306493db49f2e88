"""The index folder holds versions; a pointer names the one in use.

    index/CURRENT                 "20250301T101500123456Z-3f2a"
    index/versions/<id>/          manifest.json, documents.jsonl, chunks.jsonl, …
    index/versions/.staging-<id>  a version being written (by process <pid>)

Every build, add or remove writes a complete new version beside the others, then
replaces CURRENT with os.replace. A process killed halfway leaves only a staging
folder, which the next writer removes: readers never see half a version. Writers take
a lock so two `assistant add` never interleave; readers take none.

The manifest lists a SHA-256 for every file of its version, checked on load: a file
changed after it was written is a damaged index, never trusted.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import secrets
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from ..errors import IndexError_
from ..ingest.corpus import file_hash

CURRENT = "CURRENT"
VERSIONS = "versions"
MANIFEST = "manifest.json"
KEEP = 3  # versions kept: the current one and two before it (a reader may still be opening one)
_STAGING = ".staging-"
_LEGACY = ("manifest.json", "documents.jsonl", "chunks.jsonl", "vectors.faiss", "lexical", "accents.json",
           "sentences.jsonl", "sentences.npy")
# files larger than this are hashed again only when their size or modification time changed
# since the build that recorded them (hashing runs at about 1 GB/s: see scripts/format_benchmark.py)
LARGE_FILE = 64 << 20
_verified: dict[tuple[str, int, int], str] = {}  # large files hashed in this process: (path, size, mtime_ns) → sha256


def current(index_dir: Path) -> Path | None:
    """The folder of the version in use; an index written before versions is its own folder."""
    try:
        version = (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return index_dir if (index_dir / MANIFEST).is_file() else None
    folder = index_dir / VERSIONS / version
    return folder if version and "/" not in version and folder.is_dir() else None


def current_id(index_dir: Path) -> str | None:
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def check_writable(index_dir: Path) -> None:
    """Fail now, before any work, when the index cannot be written where asked."""
    try:
        (index_dir / VERSIONS).mkdir(parents=True, exist_ok=True)
        for folder in (index_dir, index_dir / VERSIONS):  # CURRENT goes in one, the versions in the other
            probe = folder / f".probe-{os.getpid()}-{secrets.token_hex(3)}"
            probe.write_bytes(b"")
            probe.unlink()
    except OSError as exc:
        reason = "không có quyền ghi" if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else exc.strerror
        raise IndexError_(f"không ghi được chỉ mục vào {index_dir} ({reason}); chọn thư mục khác bằng --index "
                          "hoặc ASSISTANT_INDEX_DIR") from exc


@contextmanager
def writing(index_dir: Path):
    """Hold the writers' lock of an index folder (checked writable first)."""
    check_writable(index_dir)
    with (index_dir / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def new_version() -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{secrets.token_hex(2)}"


def staging(index_dir: Path, version: str) -> Path:
    folder = index_dir / VERSIONS / f"{_STAGING}{version}-{os.getpid()}"
    folder.mkdir(parents=True)
    return folder


def publish(index_dir: Path, staged: Path, version: str) -> Path:
    """Make a fully written version the current one, atomically; prune old ones."""
    _fsync_tree(staged)
    final = index_dir / VERSIONS / version
    os.replace(staged, final)
    pointer = index_dir / f".{CURRENT}.{os.getpid()}"
    with pointer.open("w", encoding="utf-8") as handle:
        handle.write(version + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT)
    _fsync_dir(index_dir)
    prune(index_dir)
    return final


def prune(index_dir: Path) -> None:
    """Remove versions older than the last KEEP, staging folders of processes that are
    gone, and the files of an index written before versions."""
    folder = index_dir / VERSIONS
    keep = current_id(index_dir)
    versions = sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    for name in versions[:-KEEP]:
        if name != keep:
            shutil.rmtree(folder / name, ignore_errors=True)
    for stale in folder.glob(f"{_STAGING}*"):
        if not _alive(stale.name.rsplit("-", 1)[-1]):
            shutil.rmtree(stale, ignore_errors=True)
    if keep:
        for name in _LEGACY:
            path = index_dir / name
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def record_files(folder: Path) -> dict[str, dict]:
    """SHA-256, size and modification time of every file of a version (manifest aside)."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        stat = path.stat()
        files[path.relative_to(folder).as_posix()] = {"sha256": file_hash(path), "size": stat.st_size,
                                                      "mtime_ns": stat.st_mtime_ns}
    return files


def verify(folder: Path, recorded: dict[str, dict]) -> str | None:
    """Why the files differ from the manifest's record, or None when they match."""
    if not recorded:
        return "manifest.json không ghi mã băm của các tệp"
    for name, expected in recorded.items():
        path = folder / name
        try:
            stat = path.stat()
        except OSError:
            return f"thiếu tệp {name}"
        if stat.st_size != expected["size"]:
            return f"tệp {name} đã bị thay đổi (kích thước khác)"
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        if stat.st_size >= LARGE_FILE and (stat.st_mtime_ns == expected.get("mtime_ns")
                                           or _verified.get(key) == expected["sha256"]):
            continue  # a large file untouched since it was hashed
        if file_hash(path) != expected["sha256"]:
            return f"tệp {name} đã bị thay đổi (mã băm SHA-256 không khớp)"
        if stat.st_size >= LARGE_FILE:
            _verified[key] = expected["sha256"]
    return None


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
