""".doc, .odt and .rtf: converted to .docx by LibreOffice (`soffice --headless
--convert-to docx`, Debian's libreoffice-writer, installed by scripts/setup.sh), then read
as any .docx. Without LibreOffice the file is refused with what to do instead."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ...errors import UnreadableDocumentError
from . import Extracted, Limits

CONVERT_SECONDS = 180  # one conversion never takes longer than this


def read(path: Path, limits: Limits) -> Extracted:
    from . import word

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise UnreadableDocumentError(
            f"tệp {path.name} là {path.suffix.lower()}, cần LibreOffice để đọc (chưa cài: apt-get install "
            "libreoffice-writer, hoặc scripts/setup.sh); hoặc hãy lưu thành .docx bằng Word rồi thêm lại")
    with tempfile.TemporaryDirectory(prefix="assistant-office-") as folder:
        profile = Path(folder) / "profile"  # a private profile: conversions never collide
        try:
            result = subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                                     "--convert-to", "docx", "--outdir", folder, str(path)],
                                    capture_output=True, timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired as exc:
            raise UnreadableDocumentError(f"LibreOffice không chuyển xong tệp {path.name} trong "
                                          f"{CONVERT_SECONDS} giây; hãy lưu thành .docx rồi thêm lại") from exc
        converted = Path(folder) / f"{path.stem}.docx"
        if result.returncode != 0 or not converted.is_file():
            raise UnreadableDocumentError(f"LibreOffice không đọc được tệp {path.name} (tệp hỏng?); "
                                          "hãy mở bằng Word và lưu thành .docx")
        extracted = word.read(converted, limits, name=path.name)
    if extracted.text.count("\ufffd") > 0.01 * len(extracted.text):  # LibreOffice fell back to raw bytes
        raise UnreadableDocumentError(f"LibreOffice không đọc được tệp {path.name} (tệp hỏng hoặc không phải "
                                      f"{path.suffix.lower()}); hãy mở bằng Word và lưu thành .docx")
    return Extracted(extracted.text, path.suffix.lower().lstrip("."), extracted.pages, extracted.converted_from)
