"""The session pack: every file a trainer hands out for one session, named so that a
reader can tell them apart, written to one folder (`assistant study pack`) or zipped (the
page's "Tải gói tài liệu"):

- tom-tat-<tỉnh>.docx: the one-page summary of each plan;
- ma-tran-chinh.docx: the key matrix (two landscape pages), ma-tran-day-du.docx its
  appendix with every task quoted in full, ma-tran.xlsx both as spreadsheets;
- lich-thoi-han.ics: the dated deadlines as calendar events, lich-thoi-han.docx the whole calendar;
- diem-rieng.docx: what is distinctive in each province;
- bai-giang.pptx: the slides;
- de-on-tap-<N>.docx and dap-an-<N>.docx: quiz versions 1–3 (no question in two of them)
  and their keys. The slides ask five questions from the version after them."""

from __future__ import annotations

import io
import zipfile
from typing import Sequence

from ..ingest.text import shorten
from .corpus import StudyCorpus
from .deadlines import KINDS as DEADLINE_KINDS
from .deadlines import deadlines_view
from .distinctive import KINDS as DISTINCT_KINDS
from .distinctive import distinctive_view
from .export import export
from .goals import head
from .handout import Handout
from .handouts import deadlines_handout, matrix_handout, quiz_handout
from .keymatrix import key_matrix
from .matrix import unit_matrix
from .quiz import quiz
from .session_handouts import appendix_handout, distinctive_handout, key_matrix_handout, summary_handout
from .slides import BODY_SIZE, Line, Slide, matrix_slides, paginate, pptx_bytes
from .summary import summary

VERSIONS = 3
QUESTIONS = 10
SLIDE_QUESTIONS = 5
_QUOTE = 120  # characters of a quote on a slide


def pack_files(corpus: StudyCorpus, provinces: Sequence[str] = (), rows: int = 10) -> list[tuple[str, bytes]]:
    """(file name, contents) of every file of the pack, in the order a reader meets them."""
    plans = corpus.select(provinces)
    files: list[tuple[str, bytes]] = []
    names: set[str] = set()
    for plan in plans:
        name = _unique(f"tom-tat-{plan.province}", names)
        files.append((f"{name}.docx", export(summary_handout(summary(corpus, plan.doc_id), corpus), "docx")))
    matrix = key_matrix(corpus, provinces, rows)
    deadlines = deadlines_view(corpus, provinces)
    files.append(("ma-tran-chinh.docx", export(key_matrix_handout(matrix, corpus), "docx")))
    files.append(("ma-tran-day-du.docx", export(appendix_handout(matrix, corpus), "docx")))
    full = matrix_handout(unit_matrix(corpus, provinces), deadlines, corpus)
    sheets = Handout(full.title, full.subtitle, (), key_matrix_handout(matrix, corpus).sheets + full.sheets,
                     full.sources, landscape=True)
    files.append(("ma-tran.xlsx", export(sheets, "xlsx")))
    calendar = deadlines_handout(deadlines, corpus)
    files.append(("lich-thoi-han.ics", export(calendar, "ics")))
    files.append(("lich-thoi-han.docx", export(calendar, "docx")))
    files.append(("diem-rieng.docx", export(distinctive_handout(distinctive_view(corpus, provinces), corpus), "docx")))
    files.append(("bai-giang.pptx", slides_bytes(corpus, provinces, rows)))
    for version in range(1, VERSIONS + 1):
        sheet = quiz(corpus, QUESTIONS, version, provinces)
        files.append((f"de-on-tap-{version}.docx", export(quiz_handout(sheet, corpus, "questions"), "docx")))
        files.append((f"dap-an-{version}.docx", export(quiz_handout(sheet, corpus, "key"), "docx")))
    return files


def zip_bytes(files: list[tuple[str, bytes]], folder: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(f"{folder}/{name}", data)
    return out.getvalue()


def _unique(name: str, taken: set[str]) -> str:
    """"tom-tat-gia-lai", then "tom-tat-gia-lai-2" for a second plan of the same province."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


# --- the slides ----------------------------------------------------------------------------


def slides_bytes(corpus: StudyCorpus, provinces: Sequence[str] = (), rows: int = 10) -> bytes:
    plans = corpus.select(provinces)
    names = ", ".join(name for _, name in corpus.columns(plans))
    cover = Slide("Quán triệt kế hoạch thông tin đối ngoại", notes=[f"Nguồn: {p.label}" for p in plans],
                  subtitle=f"{names}\n{len(plans)} văn bản · mọi trích dẫn là nguyên văn, kèm vị trí trong văn bản")
    slides = [cover]
    for plan in plans:
        slides += paginate(_summary_slide(corpus, plan.doc_id))
    matrix = key_matrix(corpus, provinces, rows)
    slides += matrix_slides(matrix, key_matrix_handout(matrix, corpus))
    slides += paginate(_deadline_slide(corpus, provinces))
    for doc_id, label, items in distinctive_view(corpus, provinces).plans:
        slides += paginate(_distinct_slide(corpus, doc_id, items))
    slides += _quiz_slides(corpus, provinces)
    return pptx_bytes(slides, "Quán triệt kế hoạch thông tin đối ngoại")


def _cite(corpus: StudyCorpus, quote) -> str:
    return f"{corpus.plan(quote.doc_id).label}, mục {quote.section or '—'}, ký tự {quote.start}–{quote.end}"


def _short(quote, limit: int = _QUOTE) -> str:
    start, end, cut = head(quote.quote, 0, len(quote.quote), limit)
    return f"«{quote.quote[start:end]}{' …' if cut else ''}»"


def _summary_slide(corpus: StudyCorpus, doc_id: str) -> Slide:
    view = summary(corpus, doc_id)
    fields = {f.name: f for f in view.fields}
    lines = [Line(view.label, bold=True),
             Line(f"Ban hành: {fields['issuer'].value}; ký: {fields['signer'].value.replace(chr(10), ' – ')}"),
             Line(f"Nhiệm vụ: {view.task_count}; " + "; ".join(f"{g.label} {g.count}" for g in view.groups[:6]))]
    if view.reporting:
        lines.append(Line(f"Báo cáo: {view.reporting[0].when.quote}"))
    for goal in view.goals[:2]:
        lines.append(Line(_short(goal.quote, 110), level=1, size=20))
    notes = [f"Nguồn: {_cite(corpus, f.quote)} ({f.label})" for f in view.fields if f.quote]
    notes += [f"Mục tiêu: {_cite(corpus, g.quote)}" for g in view.goals[:2]]
    notes += [f"Báo cáo: {_cite(corpus, d.what)}" for d in view.reporting[:1]]
    return Slide(f"{view.province_name}: tóm tắt", lines, notes)


def _deadline_slide(corpus: StudyCorpus, provinces: Sequence[str]) -> Slide:
    view = deadlines_view(corpus, provinces)
    lines, notes = [], []
    for d in (d for d in view.deadlines if d.category == "dated"):
        yearly = " hằng năm" if d.due.year is None else f"/{d.due.year}"
        lines.append(Line(f"{d.due.day:02d}/{d.due.month:02d}{yearly} · {d.province_name}: "
                          f"{DEADLINE_KINDS[d.kind].lower()}", bold=True))
        lines.append(Line(_short(d.what, 100), level=1, size=20))
        notes.append(f"{d.province_name}: {_cite(corpus, d.what)}")
    recurring = {}
    for d in view.deadlines:
        if d.category != "dated":
            recurring[d.province_name] = recurring.get(d.province_name, 0) + 1
    if recurring:
        lines.append(Line("Không có ngày cụ thể (định kỳ, trong năm): "
                          + "; ".join(f"{name} {n}" for name, n in recurring.items())))
    if not lines:
        lines.append(Line("Các văn bản không nêu thời hạn có ngày cụ thể."))
    notes.append("Lịch đầy đủ: lich-thoi-han.docx; tệp lịch: lich-thoi-han.ics.")
    return Slide("Thời hạn, báo cáo", lines, notes)


def _distinct_slide(corpus: StudyCorpus, doc_id: str, items) -> Slide:
    plan = corpus.plan(doc_id)
    lines, notes = [], []
    for item in items[:4]:
        lines.append(Line(f"{DISTINCT_KINDS[item.kind]}: {item.text}", bold=True))
        if item.quotes:
            lines.append(Line(shorten("; ".join(_short(q, 90) for q in item.quotes[:2]), 180), level=1, size=20))
            notes += [_cite(corpus, q) for q in item.quotes]
    if not lines:
        lines.append(Line("Không có điểm nào mà các văn bản khác không có."))
    return Slide(f"Điểm riêng: {plan.province_name}", lines, notes)


def _quiz_slides(corpus: StudyCorpus, provinces: Sequence[str]) -> list[Slide]:
    """Five questions that each fit one slide, from the version after the pack's handouts,
    then a slide with the answer and its quote for each."""
    version = VERSIONS * QUESTIONS // SLIDE_QUESTIONS + 1
    pool = quiz(corpus, SLIDE_QUESTIONS * 4, version, provinces).questions
    asked, answers = [], []
    for q in sorted(pool, key=lambda q: q.type != "choice"):
        lines = [Line(q.question, bold=True)] + [Line(f"{'ABCD'[n]}. {c}", level=1, size=BODY_SIZE)
                                                  for n, c in enumerate(q.choices)]
        slide = Slide(f"Câu hỏi {len(asked) + 1}", lines, [f"Đáp án ở trang sau. Nguồn: {_cite(corpus, q.citation)}"])
        if len(paginate(slide)) == 1 and len(asked) < SLIDE_QUESTIONS:
            asked.append(slide)
            letter = f"{'ABCD'[q.choices.index(q.answer)]}. " if q.choices else ""
            answers += paginate(Slide(f"Đáp án câu {len(asked)}", [Line(f"{letter}{q.answer}", bold=True),
                                                                    Line(_short(q.citation, 240), level=1, size=20)],
                                      [f"Nguồn: {_cite(corpus, q.citation)}"]))
    return asked + answers



