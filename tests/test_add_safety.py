"""`assistant add` on what offices actually send (issue 17): limits checked before any
work, files that are not what they seem, near copies, --province against the issuer,
poor photos, and an add killed at any moment."""

import json
import multiprocessing
import os
import shutil
import signal
import struct
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import cli
from assistant.engine import add_documents
from assistant.errors import UnreadableDocumentError
from assistant.index import library, pending, versions
from assistant.index.store import build_index, load_index, staleness
from assistant.ingest import formats
from assistant.ingest.corpus import scan
from assistant.ingest.documents import load_document

from .conftest import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]
OFFICIAL = ROOT / "tests" / "fixtures" / "official"
PLAIN = ROOT / "tests" / "fixtures" / "formats"
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is installed by scripts/setup.sh")


@pytest.fixture
def built(settings, fake_embedder):
    build_index(settings, fake_embedder)
    return load_index(settings)


def _refused(settings, path, **options) -> str:
    report = add_documents(settings, [path], embedder=FakeEmbedder(), **options)
    assert report.build is None and len(report.refused) == 1
    return report.refused[0]


def _unchanged(settings, version) -> None:
    assert versions.current_id(settings.index_dir) == version
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == ["bac-giang-test.txt", "ninh-thuan-test.txt"]


# --- limits, before any work -------------------------------------------------------

def test_a_file_over_the_size_limit_is_refused_before_it_is_copied(settings, built, tmp_path):
    big = tmp_path / "lon.txt"
    big.write_text("Kế hoạch. " * 200, encoding="utf-8")
    message = _refused(replace(settings, max_file_bytes=1000), big)
    assert message == ("tệp lon.txt nặng 0.0 MB, vượt giới hạn 0.0 MB một tệp (ASSISTANT_MAX_FILE_BYTES)")
    _unchanged(settings, built.version)


def test_a_pdf_of_two_thousand_blank_pages_is_refused_before_a_page_is_drawn(tmp_path, monkeypatch):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(595, 842)
    blank = tmp_path / "trang-trang.pdf"
    writer.write(str(blank))
    monkeypatch.setattr("assistant.ingest.formats.ocr.ocr_pdf_pages", lambda *a: pytest.fail("a page was drawn"))
    with pytest.raises(UnreadableDocumentError) as error:
        formats.read(blank, formats.Limits(pdf_pages=300))
    assert str(error.value) == ("tệp trang-trang.pdf có 2000 trang, vượt giới hạn 300 trang một tệp PDF "
                                "(ASSISTANT_MAX_PDF_PAGES); hãy tách thành các văn bản riêng")


def test_a_docx_that_unpacks_to_more_xml_than_allowed_is_refused_unread(tmp_path):
    bomb = tmp_path / "phinh.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document>" + " " * (30 << 20) + "</w:document>")
    assert bomb.stat().st_size < 100_000
    with pytest.raises(UnreadableDocumentError) as error:
        formats.read(bomb, formats.Limits(docx_xml_bytes=20 << 20))
    assert str(error.value).startswith("tệp phinh.docx bung ra 30 MB XML, vượt giới hạn 20 MB "
                                       "(ASSISTANT_MAX_DOCX_XML_BYTES)")


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header announces width × height (the pixels are never there)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))


def test_an_image_of_thirty_thousand_pixels_square_is_refused_from_its_header(tmp_path):
    huge = tmp_path / "anh.png"
    huge.write_bytes(_png_header(30000, 30000))
    with pytest.raises(UnreadableDocumentError) as error:
        formats.read(huge, formats.Limits())
    assert str(error.value) == ("ảnh anh.png có 900 triệu điểm ảnh, vượt giới hạn 80 triệu "
                                "(ASSISTANT_MAX_IMAGE_PIXELS); hãy quét ở 200–300 dpi")


def test_a_document_of_too_many_passages_is_refused_before_embedding(settings, built, tmp_path):
    long = tmp_path / "dai.txt"
    long.write_text("KẾ HOẠCH\n\n" + "\n\n".join(f"{n}. Nhiệm vụ thông tin đối ngoại số {n} của các sở, ban, "
                                                 f"ngành trong năm." * 3 for n in range(1, 40)), encoding="utf-8")
    message = _refused(replace(settings, max_passages=5), long)
    assert message.startswith("tệp dai.txt cho ") and message.endswith(
        "đoạn, vượt giới hạn 5 đoạn một văn bản (ASSISTANT_MAX_PASSAGES); hãy tách văn bản")
    _unchanged(settings, built.version)


def test_running_out_of_memory_is_said_in_words_not_as_an_internal_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("assistant.ingest.formats.plain.read", lambda *a: (_ for _ in ()).throw(MemoryError()))
    path = tmp_path / "a.txt"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(UnreadableDocumentError, match="^không đủ bộ nhớ để đọc tệp a.txt; hãy tách tệp"):
        formats.read(path)
    monkeypatch.setattr(cli, "_COMMANDS", {**cli._COMMANDS, "build": lambda *a: (_ for _ in ()).throw(MemoryError())})
    assert cli.main(["build", "--corpus", str(tmp_path), "--index", str(tmp_path / "i")]) == 1
    assert capsys.readouterr().err.startswith("Error: không đủ bộ nhớ để làm việc này; hãy tách tệp lớn")


# --- files that are not what they seem ---------------------------------------------

def test_a_link_out_of_the_folder_given_and_a_special_file_are_refused(settings, built, tmp_path):
    link = tmp_path / "ke-hoach.txt"
    link.symlink_to("/etc/passwd")
    assert _refused(settings, link) == (f"{link} là liên kết tới /etc/passwd, ngoài thư mục {tmp_path}; không thêm "
                                        "tệp qua liên kết ra ngoài thư mục, hãy chép tệp vào đó")
    fifo = tmp_path / "ong.txt"
    os.mkfifo(fifo)
    assert _refused(settings, fifo) == f"{fifo} không phải tệp thông thường (thiết bị, ống hay socket); không thêm"
    _unchanged(settings, built.version)


def test_a_province_contradicting_the_issuer_is_an_error_naming_both(settings, built):
    message = _refused(settings, OFFICIAL / "gia-lai-157-kh-ubnd-2024.docx", province="quang-ngai")
    assert message == ("tệp gia-lai-157-kh-ubnd-2024.docx: --province quang-ngai (Quảng Ngãi) trái với tỉnh mà văn "
                       "bản tự ghi: Gia Lai (gia-lai); bỏ --province hoặc kiểm tra lại tệp")
    _unchanged(settings, built.version)


def test_the_same_plan_in_another_format_is_a_copy_unless_it_replaces_the_first(settings, built):
    plan = "gia-lai-157-kh-ubnd-2024"
    add_documents(settings, [ROOT / "corpus" / f"{plan}.txt"], embedder=FakeEmbedder())
    version = versions.current_id(settings.index_dir)
    official = OFFICIAL / f"{plan}.pdf"  # the same plan printed in the official layout: not the same text
    message = _refused(settings, official)
    assert message.startswith(f"tệp {plan}.pdf là bản sao của văn bản «{plan}» đã có (giống 9")
    assert message.endswith(f"nội dung, ngưỡng 90%); để thay văn bản ấy bằng tệp này: --replace {plan}")
    assert versions.current_id(settings.index_dir) == version
    report = add_documents(settings, [official], embedder=FakeEmbedder(), replace_id=plan)
    assert report.replaced == plan and report.refused == () and report.added == ((str(official), plan),)
    documents = load_index(settings).documents
    assert documents[plan].format == "pdf" and len(documents) == 3
    assert [p.name.split("-", 2)[-1] for p in (settings.corpus_dir / ".removed").iterdir()] == [f"{plan}.txt"]
    assert staleness(settings) is None


@needs_tesseract
def test_a_phone_photo_is_refused_unless_forced_and_then_marked(settings, built, tmp_path, capsys, monkeypatch):
    photo = OFFICIAL / "gia-lai-157-kh-ubnd-2024.photo.jpg"
    message = _refused(settings, photo)
    assert message.startswith("ảnh chụp/bản quét chất lượng thấp: gia-lai-157-kh-ubnd-2024.photo.jpg (độ tin cậy "
                              "nhận dạng ")
    assert message.endswith("hoặc thêm --force để vẫn thêm (văn bản sẽ được đánh dấu chất lượng thấp)")
    _unchanged(settings, built.version)
    report = add_documents(settings, [photo], embedder=FakeEmbedder(), force=True)
    (doc_id,) = [d for _, d in report.added]
    document = load_index(settings).documents[doc_id]
    assert document.forced and document.metadata()["forced"] is True
    assert json.loads((settings.corpus_dir / f"{doc_id}.meta.json").read_text()) == {"forced": True}
    assert dict(document.ocr_quality)["confidence"] < settings.min_scan_confidence / 100


# --- formats LibreOffice reads, and what build skips ---------------------------------

def test_odt_is_converted_when_libreoffice_is_there_and_explained_when_not(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    odt = tmp_path / "cu.odt"
    odt.write_bytes(b"PK")
    with pytest.raises(UnreadableDocumentError) as error:
        formats.read(odt)
    assert str(error.value) == ("tệp cu.odt là .odt, cần LibreOffice để đọc (chưa cài: apt-get install "
                                "libreoffice-writer, hoặc scripts/setup.sh); hoặc hãy lưu thành .docx bằng Word rồi "
                                "thêm lại")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by scripts/setup.sh")
def test_an_odt_is_read_through_libreoffice(tmp_path):
    import subprocess

    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(OFFICIAL / "gia-lai-157-kh-ubnd-2024.docx")],
                   check=True, capture_output=True, timeout=180)
    document = load_document(tmp_path / "gia-lai-157-kh-ubnd-2024.odt")
    assert (document.format, document.number, document.signer) == ("odt", "157/KH-UBND", "Nguyễn Thị Thanh Lịch")


def test_build_names_every_file_it_skips_and_why(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bang.xlsx").write_bytes(b"PK")
    (folder / "ghi-chu").mkdir()
    (folder / "ke-hoach.txt").write_text("KẾ HOẠCH\n\nNội dung.\n", encoding="utf-8")
    files, problems = scan(folder)
    assert [f.path.name for f in files] == ["ke-hoach.txt"]
    assert problems[0].startswith("tệp bang.xlsx: định dạng «.xlsx» chưa được hỗ trợ; dùng .txt, .md, .docx")
    assert problems[1] == "ghi-chu là một thư mục, không phải tệp văn bản"


# --- an add that cannot be half done ------------------------------------------------

NEW = ROOT / "corpus" / "tuyen-quang-ubnd-thcbks-2024.txt"


def _killed_add(settings, where: str) -> None:
    """Run `add` in a child process killed (SIGKILL: no finally, no cleanup) at `where`."""
    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def child():
        if where == "after the copy":
            real = library._copy
            library._copy = lambda *a: (real(*a), die())
        elif where == "before the switch":
            versions.publish = lambda *a: die()
        elif where == "after the switch":
            real_publish = versions.publish
            versions.publish = lambda *a: (real_publish(*a), die())
        add_documents(settings, [NEW], embedder=FakeEmbedder())

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(60)
    assert process.exitcode == -signal.SIGKILL


@pytest.mark.parametrize("where", ["after the copy", "before the switch", "after the switch"])
def test_after_a_kill_at_any_moment_the_corpus_and_current_agree_and_a_retry_works(settings, built, where):
    _killed_add(settings, where)
    published = where == "after the switch"
    assert staleness(settings) is None  # readers see the corpus as CURRENT does: no rebuild
    assert ("tuyen-quang-ubnd-thcbks-2024" in load_index(settings).documents) == published
    report = add_documents(settings, [NEW], embedder=FakeEmbedder())  # the next writer settles, then adds
    if published:
        assert report.refused[0].startswith("tệp tuyen-quang-ubnd-thcbks-2024.txt đã có trong bộ văn bản")
    else:
        assert report.added == ((str(NEW), "tuyen-quang-ubnd-thcbks-2024"),)
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == [
        "bac-giang-test.txt", "ninh-thuan-test.txt", "tuyen-quang-ubnd-thcbks-2024.txt"]
    assert staleness(settings) is None and not (settings.corpus_dir / pending.ADDING).exists()


def test_a_remove_killed_before_its_switch_is_put_back_by_the_next_writer(settings, built):
    def child():
        versions.publish = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        library.remove_document(settings, "ninh-thuan-test", FakeEmbedder())

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(60)
    assert staleness(settings) is None and "ninh-thuan-test" in load_index(settings).documents
    library.remove_document(settings, "bac-giang-test", FakeEmbedder())
    assert sorted(p.name for p in settings.corpus_dir.iterdir()) == [".removed", "ninh-thuan-test.txt"]


def test_build_skips_a_document_of_too_many_passages_with_one_line(settings, fake_embedder):
    (settings.corpus_dir / "dai.txt").write_text("KẾ HOẠCH\n\n" + "\n\n".join(
        f"{n}. Nhiệm vụ thông tin đối ngoại số {n} của các sở, ban, ngành trong năm." * 3 for n in range(1, 40)),
        encoding="utf-8")
    report = build_index(replace(settings, max_passages=10), fake_embedder)  # the two plans have 6 and 3
    assert report.documents == 2 and len(report.problems) == 1
    assert report.problems[0].startswith("tệp dai.txt cho ") and report.problems[0].endswith(
        "vượt giới hạn 10 đoạn một văn bản (ASSISTANT_MAX_PASSAGES); hãy tách văn bản")
