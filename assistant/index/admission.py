"""What a file must be to be added (`assistant add`), checked before the work each check
saves: before reading, a regular file inside the folder it was given from, of a kind
read, within the size limit; after reading and before embedding, not a repeat of a
document (same text, or a near copy: copies.py), not contradicting --province, within the
passages limit, and, for a scan or photo, above the quality gate unless --force."""

from __future__ import annotations

import re
import stat
from dataclasses import replace
from pathlib import Path

from ..errors import UnreadableDocumentError
from ..ingest.documents import Document
from ..ingest.formats import suffixes, unsupported
from ..ingest.provinces import by_slug
from ..ingest.text import fold
from ..settings import Settings
from .chunking import chunk_documents
from .copies import copy_of


def check_file(path: Path, settings: Settings) -> None:
    """Before any work: a regular file, inside the folder it was given from, of a kind
    read, within the size limit."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(path.parent.resolve()):
            raise UnreadableDocumentError(f"{path} là liên kết tới {target}, ngoài thư mục {path.absolute().parent}; "
                                          "không thêm tệp qua liên kết ra ngoài thư mục, hãy chép tệp vào đó")
    try:
        info = path.stat()
    except OSError:
        raise UnreadableDocumentError(f"không tìm thấy tệp {path}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableDocumentError(f"{path} là một thư mục, không phải một tệp")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableDocumentError(f"{path} không phải tệp thông thường (thiết bị, ống hay socket); không thêm")
    if path.suffix.lower() not in suffixes():
        raise UnreadableDocumentError(unsupported(path))
    if info.st_size > settings.max_file_bytes:
        raise UnreadableDocumentError(
            f"tệp {path.name} nặng {info.st_size / (1 << 20):.1f} MB, vượt giới hạn "
            f"{settings.max_file_bytes / (1 << 20):.1f} MB một tệp (ASSISTANT_MAX_FILE_BYTES)")


def check_document(settings: Settings, path: Path, document: Document, known: dict[str, str], same: str | None,
                   province: str | None, force: bool) -> Document:
    """After reading, before embedding: what the document is must fit what is asked.
    `known`: the texts already there by doc id; `same`: the one with exactly this text.
    Returns it with its scan quality measured against the corpus (forced, when --force
    kept it below the gate)."""
    if province and document.province and document.province != province:
        given = by_slug(province)
        raise UnreadableDocumentError(
            f"tệp {path.name}: --province {province} ({given.name if given else province}) trái với tỉnh mà "
            f"văn bản tự ghi: {document.province_name} ({document.province}); bỏ --province hoặc kiểm tra lại tệp")
    if same:
        raise UnreadableDocumentError(f"tệp {path.name} có nội dung trùng với văn bản «{same}» đã có "
                                      "(cùng toàn văn); không thêm lại")
    copy = copy_of(document.text, known, settings.near_duplicate / 100)
    if copy:
        raise UnreadableDocumentError(
            f"tệp {path.name} là bản sao của văn bản «{copy[0]}» đã có (giống {copy[1]:.0%} nội dung, ngưỡng "
            f"{settings.near_duplicate}%); để thay văn bản ấy bằng tệp này: --replace {copy[0]}")
    too_long = too_many_passages(path.name, document, settings)
    if too_long:
        raise UnreadableDocumentError(too_long)
    if document.format in ("pdf-ocr", "png", "jpg"):
        return _scan_gate(settings, path, document, known, force)
    return document


def too_many_passages(name: str, document: Document, settings: Settings) -> str | None:
    """Why a document is refused before embedding for its length, or None (add and build)."""
    passages = len(chunk_documents([document], settings.chunk_size))
    if passages <= settings.max_passages:
        return None
    return (f"tệp {name} cho {passages} đoạn, vượt giới hạn {settings.max_passages} đoạn một văn bản "
            "(ASSISTANT_MAX_PASSAGES); hãy tách văn bản")


def _scan_gate(settings: Settings, path: Path, document: Document, known: dict[str, str], force: bool) -> Document:
    """A scan or photo read with low confidence, or whose words the corpus seldom uses,
    is refused unless forced; a forced one is marked (metadata, sidecar, the page)."""
    confidence = dict(document.ocr_quality).get("confidence", 0.0)
    vocabulary = {w for text in known.values() for w in _words(text)}
    words = _words(document.text)
    share = sum(1 for w in words if w in vocabulary) / len(words) if vocabulary and words else 1.0
    document = replace(document, ocr_quality=(("confidence", confidence), ("vocabulary", round(share, 3))))
    low = confidence * 100 < settings.min_scan_confidence or share * 100 < settings.min_scan_vocabulary
    if not low:
        return document
    if not force:
        raise UnreadableDocumentError(
            f"ảnh chụp/bản quét chất lượng thấp: {path.name} (độ tin cậy nhận dạng {confidence:.0%}, "
            f"{share:.0%} từ có trong bộ văn bản; ngưỡng {settings.min_scan_confidence}% và "
            f"{settings.min_scan_vocabulary}%); hãy quét lại phẳng, đủ sáng, 300 dpi, hoặc thêm --force để vẫn thêm "
            "(văn bản sẽ được đánh dấu chất lượng thấp)")
    return replace(document, forced=True)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]{2,}", fold(text))
