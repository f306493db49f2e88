"""What a run was measured on, so two runs can be compared: the code (git commit when
the package sits in a git checkout, and always a hash of the package's own files),
and the machine's Python."""

from __future__ import annotations

import hashlib
import platform
import subprocess
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the `assistant` package


def package_hash(package: Path = PACKAGE) -> str:
    """sha256 over every source and web file of the package, by relative path: it
    changes when any code changes, whether or not the change is committed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in {".py", ".js", ".html", ".css"}):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def git_commit(folder: Path = PACKAGE) -> dict | None:
    """{"commit", "dirty"} of the checkout holding `folder`, or None without git or a checkout."""
    try:
        commit = _git(folder, "rev-parse", "HEAD")
        status = _git(folder, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(status)}


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10, check=True)
    return done.stdout.strip()


def code_version() -> dict:
    git = git_commit()
    return {
        "git_commit": git["commit"] if git else None,
        "git_dirty": git["dirty"] if git else None,
        "package_hash": package_hash(),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
    }
