"""Each view as a handout: the overview of one plan, the matrices, the deadlines and
the quiz (questions, then a separate answer key with the quote that proves each)."""

from __future__ import annotations

from ..ingest.text import match_form
from .calendar import calendar_events
from .corpus import StudyCorpus
from .deadlines import KINDS as DEADLINE_KINDS
from .deadlines import Deadline, DeadlinesView
from .facts import NOT_WRITTEN
from .handout import EMPTY, Entry, Handout, Heading, Items, Note, PageBreak, Table, plain, quoted, sources
from .matrix import ROLES, Matrix
from .overview import Overview, TaskItem
from .quiz import Quiz
from .topics import topic_label

_LETTERS = "ABCDEFGH"


def overview_handout(view: Overview, corpus: StudyCorpus) -> Handout:
    blocks: list = [Heading("Thông tin văn bản"),
                    Items((quoted("Trích yếu", view.title),) + tuple(_field(f) for f in view.metadata)
                          + tuple(quoted("Thực hiện", q) for q in view.implements)
                          + tuple(quoted("Thay thế", q) for q in view.replaces))]
    for title, lines in (("Mục đích, yêu cầu", view.purpose), ("Mục tiêu", view.objectives)):
        if lines or title == "Mục đích, yêu cầu":
            blocks.append(Heading(title))
            blocks.append(Items(tuple(quoted("", q) for q in lines)) if lines else
                          Note(f"Văn bản không có mục «{title}»."))
    blocks.append(Heading("Nhiệm vụ, giải pháp"))
    for group in view.groups:
        label = topic_label(group.topic) if group.topic else ""
        blocks.append(Heading(f"{group.number}. {group.title.quote}", 2, group.title))
        if label:
            blocks.append(Note(f"Chủ đề theo Kết luận 57: {label}"))
        blocks.append(Items(tuple(_task(t) for t in group.tasks)))
    if view.ungrouped:
        blocks.append(Note("Văn bản không chia nhóm nhiệm vụ; các nhiệm vụ được giao theo từng mục."))
        blocks.append(Items(tuple(_task(t) for t in view.ungrouped)))
    if not view.groups and not view.ungrouped:
        blocks.append(Note("Không có nhiệm vụ nào thuộc các chủ đề đã chọn."))
    blocks.append(Heading("Tổ chức thực hiện"))
    blocks.append(Items(tuple(_task(t) for t in view.implementation)) if view.implementation else
                  Note("Văn bản không có mục «Tổ chức thực hiện» riêng."))
    reporting = [d for d in view.deadlines if d.kind != "timeline"]
    blocks.append(Heading("Báo cáo, sơ kết, tổng kết", 2))
    blocks.append(Items(tuple(_deadline(d) for d in reporting)) if reporting else
                  Note("Văn bản không nêu thời hạn báo cáo, sơ kết, tổng kết."))
    tasks = [(g.number, t) for g in view.groups for t in g.tasks] + [("", t) for t in view.ungrouped] + \
        [("Tổ chức thực hiện", t) for t in view.implementation]
    sheet = Table("Nhiệm vụ", ("Nhóm", "Mục", "Nhiệm vụ", "Chủ trì, thực hiện", "Phối hợp", "Thời gian"),
                  tuple(((plain(g),), (plain(_place(t)),), (quoted("", t.title),),
                         (quoted("", t.lead + t.advising),), (quoted("", t.coordinating),), (quoted("", t.timeline),))
                        for g, t in tasks))
    return Handout(f"Tổng quan: {view.label}", corpus.plan(view.doc_id).document.display_title, tuple(blocks),
                   (sheet, _deadline_sheet(view.deadlines)), sources(corpus))


def matrix_handout(view: Matrix, deadlines: DeadlinesView, corpus: StudyCorpus) -> Handout:
    names = [name for _, name in view.provinces]
    first = "Đơn vị" if view.by == "unit" else "Chủ đề (Kết luận 57)"
    rows = []
    for row in view.rows:
        cells = []
        for slug, _ in view.provinces:
            entries = [_entry(e, view.by, row.label) for e in row.cells[slug]]
            group = row.groups.get(slug)
            heading = (quoted("Nhóm nhiệm vụ", group),) if group else ()
            cells.append(heading + (tuple(entries) or (plain(EMPTY),)))
        rows.append(((plain(row.label),),) + tuple(cells))
    one_each = all(sum(p.province == slug for p in corpus.plans.values()) == 1 for slug, _ in view.provinces)
    table = Table("Ma trận" if view.by == "unit" else "Theo chủ đề", (first, *names), tuple(rows), one_each)
    blocks: list = [table]
    if view.ungrouped:
        missing = ", ".join(n for s, n in view.provinces if s in view.ungrouped)
        blocks.insert(0, Note(f"{missing}: văn bản không chia nhóm nhiệm vụ nên các ô để trống."))
    title = "Ma trận phân công nhiệm vụ theo đơn vị" if view.by == "unit" else \
        "Nhiệm vụ theo chủ đề của Kết luận 57, từng tỉnh"
    topics = f"; chủ đề: {', '.join(topic_label(t) for t in view.topics)}" if view.topics else ""
    return Handout(title, f"Tỉnh: {', '.join(names)}{topics}", tuple(blocks),
                   (table, _deadline_sheet(deadlines.deadlines)), sources(corpus), landscape=True)


def deadlines_handout(view: DeadlinesView, corpus: StudyCorpus) -> Handout:
    """A calendar: the deadlines with a day (also in the .ics file), those within a year, then the
    recurring duties, each part province by province."""
    names = dict(view.provinces)
    blocks: list = []
    for category, title, note in _CALENDAR_PARTS:
        found = [d for d in view.deadlines if d.category == category]
        blocks += [Heading(title), Note(note)]
        for slug, name in view.provinces:
            mine = [d for d in found if d.province == slug]
            if mine:
                blocks += [Heading(name, 2), Items(tuple(_deadline(d) for d in mine))]
        if not found:
            blocks.append(Note("Không có."))
    silent = [names[slug] for slug, found in view.by_province().items() if not found]
    if silent:
        blocks.append(Note(f"{', '.join(silent)}: văn bản không nêu thời hạn hay nghĩa vụ định kỳ nào."))
    return Handout("Lịch thời hạn, báo cáo, sơ kết, tổng kết", f"Tỉnh: {', '.join(names.values())}", tuple(blocks),
                   (_deadline_sheet(view.deadlines),), sources(corpus), events=calendar_events(view, corpus))


_CALENDAR_PARTS = (
    ("dated", "Hạn có ngày cụ thể", "Có trong tệp lịch lich-thoi-han.ics; «hằng năm»: nhắc lại mỗi năm."),
    ("year", "Hạn trong một năm", "Văn bản nêu năm, không nêu ngày."),
    ("recurring", "Nhiệm vụ định kỳ, thường xuyên", "Không có ngày cụ thể: hằng năm, hằng quý, định kỳ, đột xuất."),
)


def quiz_handout(view: Quiz, corpus: StudyCorpus, part: str = "both") -> Handout:
    """The question sheet ("questions": a name and unit line, then the questions), the
    answer key ("key": each answer's letter, its words and the quote proving it), or both,
    the key on a page of its own."""
    questions, answers = [], []
    for q in view.questions:
        choices = tuple(plain(c, f"{_LETTERS[n]}.") for n, c in enumerate(q.choices))
        questions.append(Entry(f"Câu {q.number}.", (), False, q.question, choices or (plain("Trả lời: …………………………"),)))
        answers.append(Entry(f"Câu {q.number}.", (), False, _answer(q), (quoted("Trích dẫn", q.citation),)))
    names = ", ".join(name for _, name in view.provinces)
    sheet = (Note("Họ và tên: ……………………………………………   Đơn vị: ……………………………………………"),
             Note(f"Đề số {view.seed}: {len(view.questions)} câu hỏi. Câu có lựa chọn: khoanh tròn một chữ cái; "
                  f"câu có chỗ trống: điền đúng từ ngữ của văn bản."), Items(tuple(questions)))
    key = (Heading(f"Đáp án đề số {view.seed}"), Items(tuple(answers)))
    blocks = {"questions": sheet, "key": key, "both": sheet + (PageBreak(),) + key}[part]
    sheets = (Table("Câu hỏi", ("Câu", "Câu hỏi", "Lựa chọn"),
                    tuple(((plain(str(q.number)),), (plain(q.question),), tuple(e for e in questions[i].details))
                          for i, q in enumerate(view.questions))),
              Table("Đáp án", ("Câu", "Đáp án", "Trích dẫn"),
                    tuple(((plain(str(q.number)),), (plain(_answer(q)),), (quoted("", q.citation),))
                          for q in view.questions)))
    title = f"Đáp án đề ôn tập số {view.seed}" if part == "key" else f"Đề ôn tập số {view.seed}"
    return Handout(title, f"Tỉnh: {names}", blocks, sheets, sources(corpus))


def _answer(q) -> str:
    """"B. Sở Ngoại vụ" for a multiple choice, the words for a blank."""
    return f"{_LETTERS[q.choices.index(q.answer)]}. {q.answer}" if q.choices else q.answer


def _field(field) -> Entry:
    """A header field shown as read, on one line («Ủy ban nhân dân tỉnh Ninh Thuận», not the two
    capitalised lines it stands on), citing the words it was read from."""
    shown = " – ".join(line.strip() for line in field.value.split("\n") if line.strip()) if field.value else ""
    return Entry(field.label, (field.quote,), False, shown or NOT_WRITTEN)


def _task(task: TaskItem) -> Entry:
    details = [quoted(label, getattr(task, role)) for role, label in
               (("lead", "Chủ trì, thực hiện"), ("advising", "Tham mưu, thực hiện"),
                ("coordinating", "Phối hợp"), ("directing", "Chỉ đạo")) if getattr(task, role)]
    if not task.lead and not task.advising:
        details.insert(0, plain(EMPTY, "Chủ trì, thực hiện"))
    details.append(quoted("Thời gian", task.timeline) if task.timeline else plain(EMPTY, "Thời gian"))
    return quoted(_place(task), task.title, details=tuple(details))


def _place(task: TaskItem) -> str:
    return f"Mục {task.section}" + (f", ý {task.item}" if task.item else "")


def _entry(entry, by: str, row: str) -> Entry:
    """A task in a cell; how the plan writes the unit, when it is not the row's label."""
    label = f"{ROLES[entry.role]}, mục {entry.section}" if by == "unit" else f"Mục {entry.section}"
    written = entry.unit and match_form(entry.unit.quote) != match_form(row)
    details = ((quoted("Ghi là", entry.unit),) if written else ()) + \
        ((quoted("Thời gian", entry.timeline),) if entry.timeline else ())
    return quoted(label, entry.title, entry.cut, details)


def _deadline(deadline: Deadline) -> Entry:
    details = (quoted("Thời hạn", deadline.when), quoted("Đơn vị thực hiện", deadline.who))
    if deadline.to:
        details += (quoted("Báo cáo, gửi tới", deadline.to),)
    return quoted(f"{DEADLINE_KINDS[deadline.kind]}, mục {deadline.section}", deadline.what, details=details)


def _deadline_sheet(deadlines) -> Table:
    return Table("Thời hạn", ("Tỉnh", "Loại", "Mục", "Nội dung", "Thời hạn", "Đơn vị thực hiện", "Báo cáo, gửi tới"),
                 tuple(((plain(d.province_name),), (plain(DEADLINE_KINDS[d.kind]),), (plain(d.section),),
                        (quoted("", d.what),), (quoted("", d.when),), (quoted("", d.who),), (quoted("", d.to),))
                       for d in deadlines))
