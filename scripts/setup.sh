#!/usr/bin/env bash
# Set up .venv on a fresh machine: the CPU build of torch first (an unpinned torch
# resolves to a multi-GB CUDA build), then the assistant with pinned versions.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
