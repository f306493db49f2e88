"""What a run was measured on, so two runs can be compared: the code (git commit when
the package sits in a git checkout, and always a hash of the package's own files),
the machine's Python, and the question file with what its sidecar declares (was it
used for tuning?)."""

from __future__ import annotations

import hashlib
import json
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


def question_set(path: Path) -> dict:
    """What a question file is: its hash and size, and what its sidecar
    (`<name>.meta.json` beside it) declares: `tuned_on` (the set was used to tune the
    system, so its figures are optimistic), its `role` and a `note` on its history.
    A sidecar that is not such an object is an error before any question is asked."""
    from ..errors import AssistantError

    sidecar = path.with_name(path.name.removesuffix(".jsonl") + ".meta.json")
    info = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "sidecar": None, "tuned_on": None,
            "role": None, "note": None}
    if not sidecar.is_file():
        return info
    try:
        declared = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssistantError(f"không đọc được {sidecar} ({exc})") from None
    if not isinstance(declared, dict) or not isinstance(declared.get("tuned_on"), bool):
        raise AssistantError(f"{sidecar}: cần một đối tượng JSON có \"tuned_on\": true hoặc false")
    return {**info, "sidecar": str(sidecar), "tuned_on": declared["tuned_on"],
            "role": declared.get("role"), "note": declared.get("note")}
