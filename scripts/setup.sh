#!/usr/bin/env bash
# Set up .venv on a fresh machine: the CPU build of torch first (an unpinned torch
# resolves to a multi-GB CUDA build), then the assistant with pinned versions.
# --browser also installs Debian's chromium, which the browser tests drive, poppler-utils,
# which the print tests read PDFs with, and LibreOffice Impress with the Liberation fonts,
# which the study pack's tests convert .docx and .pptx with; Tesseract with its Vietnamese
# data (scanned documents) and LibreOffice Writer (.doc, .odt, .rtf) are always installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
# the embedding model's int8 ONNX export, made once here and never at run time (skipped when
# an export of the same weights is already in the model cache)
.venv/bin/assistant export-model
apt_install() {  # Debian packages, as root or through sudo; the package lists refreshed only if needed
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq "$@" >/dev/null \
        || { $sudo apt-get update -qq && $sudo apt-get install -y -qq "$@" >/dev/null; }
}
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    apt_install chromium
fi
# scanned PDFs and images are read by Tesseract with its Vietnamese data
if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
    echo "Installing Debian's tesseract-ocr and tesseract-ocr-vie for scanned documents…"
    apt_install tesseract-ocr tesseract-ocr-vie
fi
# .doc, .odt and .rtf are converted to .docx by LibreOffice (the format fixtures are printed by it too)
if ! command -v soffice >/dev/null 2>&1; then
    echo "Installing Debian's libreoffice-writer for .doc, .odt and .rtf documents…"
    apt_install libreoffice-writer
fi
if [ "${1:-}" = "--browser" ] && ! command -v pdftoppm >/dev/null 2>&1; then
    echo "Installing poppler-utils, which the print tests read PDFs with…"
    apt_install poppler-utils
fi
# the study pack's page-count and slide tests convert .docx and .pptx to PDF with LibreOffice;
# Liberation fonts have the metrics of Times New Roman and Arial, which the handouts name
if [ "${1:-}" = "--browser" ] && { ! command -v soffice >/dev/null 2>&1 \
        || ! dpkg -s libreoffice-impress >/dev/null 2>&1 || ! dpkg -s fonts-liberation >/dev/null 2>&1; }; then
    echo "Installing LibreOffice (writer, impress) and the Liberation fonts for the study pack's tests…"
    apt_install libreoffice-writer libreoffice-impress fonts-liberation
fi
