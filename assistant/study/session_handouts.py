"""The handouts of a study session that a trainer gives out as they are: a one-page
summary per plan, the key matrix on two landscape pages with its appendix of full
quotes, and what is distinctive in each province."""

from __future__ import annotations

from .corpus import StudyCorpus
from .distinctive import KINDS as DISTINCT_KINDS
from .distinctive import DistinctView
from .handout import Entry, Handout, Heading, Items, Note, Table, plain, quoted, sources
from .keymatrix import MARKS, ROLE_NAMES, KeyMatrix, KeyRow
from .measure import height
from .summary import Summary

_NONE = "—"
_PAGE = {"width": 273.0, "height": 186.0}  # A4 across, inside 12 mm margins, in millimetres
_UNIT_COLUMN = 36.0
_CELL_PADDING = 3.8  # Word's cell margins, left and right, in millimetres
_ROW_BUDGET = 2 * _PAGE["height"] - 58  # two pages, less the title, the legend and two header rows
_PT_PER_MM = 72 / 25.4


def summary_handout(view: Summary, corpus: StudyCorpus) -> Handout:
    fields = tuple(Entry(f"{f.label}:", (f.quote,) if f.quote else (), False, f.value) for f in view.fields)
    references = (Entry("Thực hiện:", view.implements, False, "; ".join(q.quote for q in view.implements)),) \
        if view.implements else ()
    references += (Entry("Thay thế:", view.replaces, False, "; ".join(q.quote for q in view.replaces)),) \
        if view.replaces else ()
    blocks: list = [Heading("Thông tin văn bản"), Items(fields + references), Heading("Mục tiêu chính")]
    blocks.append(Items(tuple(quoted("", g.quote, g.cut) for g in view.goals)) if view.goals else
                  Note("Văn bản không có mục «Mục đích» hay «Mục tiêu»: không ghi."))
    groups = " · ".join(f"{g.number + '. ' if g.number else ''}{g.label}: {g.count}" for g in view.groups)
    blocks += [Heading(f"Nhiệm vụ: {view.task_count} nhiệm vụ"), Note(groups or "Không ghi.")]
    blocks.append(Heading("Báo cáo"))
    blocks.append(Items(tuple(quoted(f"{d.when.quote}:", d.what) for d in view.reporting)) if view.reporting
                  else Note("Văn bản không nêu thời hạn báo cáo: không ghi."))
    blocks.append(Heading(f"Điểm riêng của {view.province_name}"))
    blocks.append(Items(tuple(quoted(f"{DISTINCT_KINDS[d.kind]}: {d.text}.", d.quotes) for d in view.distinctive))
                  if view.distinctive else Note("Không có điểm nào mà các văn bản khác không có."))
    subtitle = (view.title.quote.quote + (" …" if view.title.cut else "")) if view.title else ""
    sheet = Table("Tóm tắt", ("Mục", "Nội dung"), tuple(((plain(e.label),), (e,)) for e in fields + references))
    return Handout(view.label, subtitle, tuple(blocks), (sheet,), sources(corpus), compact=True)


def key_matrix_handout(view: KeyMatrix, corpus: StudyCorpus) -> Handout:
    names = [name for _, name in view.provinces]
    column = (_PAGE["width"] - _UNIT_COLUMN) / max(len(names), 1)
    shown, size = _fit(view, column)
    rows = tuple(((plain(f"{row.label}\n({row.tasks} nhiệm vụ)"),),) +
                 tuple(_cell(row.cells[slug], shown) for slug, _ in view.provinces) for row in view.rows)
    legend = (f"● chủ trì (hoặc tham mưu, thực hiện) · ○ phối hợp · số: nhiệm vụ trong Phụ lục (ma-tran-day-du.docx), "
              f"nơi trích nguyên văn. Hàng: {len(view.rows)} đơn vị có nhiệm vụ ở nhiều văn bản nhất; mỗi ô nêu "
              f"tối đa {shown} nhiệm vụ, chủ trì trước. «Các cơ quan, đơn vị liên quan» và đơn vị chỉ một văn bản "
              f"nêu: xem Phụ lục.")
    table = Table("Ma trận chính", ("Đơn vị", *names), rows, widths=(_UNIT_COLUMN,) + (column,) * len(names),
                  cite=False, font_size=size, rows_whole=True)
    return Handout("Ai làm gì: ma trận chính", f"Tỉnh: {', '.join(names)}", (Note(legend), table),
                   (_key_sheet(view),), sources(corpus), landscape=True, compact=True)


def _cell(marks, shown: int) -> tuple[Entry, ...]:
    entries = tuple(Entry(f"{MARKS[m.role]} {m.number}", (m.label,), m.cut) for m in marks[:shown])
    rest = marks[shown:]
    if rest:
        entries += (plain(f"+ {len(rest)} nhiệm vụ khác ({_numbers(rest)})"),)
    return entries or (plain(_NONE),)


def _numbers(marks) -> str:
    numbers = [m.number for m in marks]
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"số {numbers[0]}–{numbers[-1]}"
    return "số " + ", ".join(map(str, numbers))


def _fit(view: KeyMatrix, column: float) -> tuple[int, float]:
    """The most marks per cell (3 at most) and the largest type (8.5 or 8 points) with which the
    rows fit the two pages, measured as `measure` wraps text (wider than the real fonts)."""
    for shown in (3, 2, 1):
        for size in (8.5, 8.0):
            if sum(_row_height(row, shown, size, column) for row in view.rows) <= _ROW_BUDGET:
                return shown, size
    return 1, 8.0


def _row_height(row: KeyRow, shown: int, size: float, column: float) -> float:
    inner = (column - _CELL_PADDING) * _PT_PER_MM
    tallest = height(f"{row.label}\n({row.tasks} nhiệm vụ)", (_UNIT_COLUMN - _CELL_PADDING) * _PT_PER_MM, size,
                     "serif")
    for marks in row.cells.values():
        lines = [f"{MARKS[m.role]} {m.number} «{m.label.quote}{' …' if m.cut else ''}»" for m in marks[:shown]]
        if len(marks) > shown:
            lines.append(f"+ {len(marks) - shown} nhiệm vụ khác (số 100–120)")
        points = sum(height(line, inner, size, "serif") + 1 for line in lines)  # 1 pt after each paragraph
        tallest = max(tallest, points)
    return tallest / _PT_PER_MM + 1.5  # the row's borders and spacing


def _key_sheet(view: KeyMatrix) -> Table:
    rows = tuple(((plain(row.label),), (plain(str(m.number)),), (plain(name),), (plain(ROLE_NAMES[m.role]),),
                  (quoted("", m.label, m.cut),), (quoted("", m.task),))
                 for row in view.rows + view.others for slug, name in view.provinces for m in row.cells[slug])
    return Table("Ma trận chính", ("Đơn vị", "Số", "Tỉnh", "Vai trò", "Nhãn", "Nhiệm vụ (nguyên văn)"), rows)


def appendix_handout(view: KeyMatrix, corpus: StudyCorpus) -> Handout:
    """Every task of every unit, quoted in full under the number the key matrix gives it."""
    names = dict(view.provinces)
    blocks: list = [Note("Mỗi nhiệm vụ mang số của nó trong ma trận chính (ma-tran-chinh.docx); ● chủ trì (hoặc "
                         "tham mưu, thực hiện), ○ phối hợp. Hàng «Các cơ quan, đơn vị liên quan» gộp mọi cách viết "
                         "chung chung («các cơ quan liên quan», «các đơn vị có liên quan», …).")]
    for row in view.rows + view.others:
        blocks.append(Heading(f"{row.label} ({row.tasks} nhiệm vụ)", 2))
        entries = []
        for slug, marks in row.cells.items():
            for m in marks:
                written = f" (ghi là «{m.written.quote}»)" if m.written.quote.lower() != row.label.lower() else ""
                entries.append(quoted(f"{m.number}. {MARKS[m.role]} {names[slug]}, {ROLE_NAMES[m.role]}{written}:",
                                      m.task))
        blocks.append(Items(tuple(entries)))
    return Handout("Phụ lục: ma trận đầy đủ, nguyên văn", f"Tỉnh: {', '.join(names.values())}", tuple(blocks),
                   (_key_sheet(view),), sources(corpus))


def distinctive_handout(view: DistinctView, corpus: StudyCorpus) -> Handout:
    blocks: list = []
    for _, label, items in view.plans:
        blocks.append(Heading(label))
        blocks.append(Items(tuple(quoted(f"{DISTINCT_KINDS[d.kind]}: {d.text}.", d.quotes) for d in items)) if items
                      else Note("Không có điểm nào mà các văn bản khác không có."))
    rows = tuple(((plain(label),), (plain(DISTINCT_KINDS[d.kind]),), (plain(d.text),), (quoted("", d.quotes),))
                 for _, label, items in view.plans for d in items)
    return Handout("Điểm riêng của từng tỉnh", f"Tỉnh: {', '.join(n for _, n in view.provinces)}", tuple(blocks),
                   (Table("Điểm riêng", ("Văn bản", "Loại", "Điểm riêng", "Trích dẫn"), rows),), sources(corpus))
