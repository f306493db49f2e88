"""Study views on the five real plans (read from corpus/, no model): every quoted item is
the plan's own text, and the views were checked against the plans by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import InvalidRequestError, UnknownDocumentError, UnknownProvinceError, UnknownTopicError
from assistant.ingest.documents import read_corpus
from assistant.ingest.units import unit_key
from assistant.study import StudyCorpus, deadlines_view, overview, quiz, topic_matrix, unit_matrix
from assistant.study.deadlines import Due
from assistant.study.keymatrix import row_key
from assistant.study.views import to_json

ROOT = Path(__file__).resolve().parents[1]
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "plan_tasks.json").read_text(encoding="utf-8"))
DOC_IDS = sorted(RECORDED)


@pytest.fixture(scope="module")
def corpus() -> StudyCorpus:
    documents, problems = read_corpus(ROOT / "corpus")
    assert problems == []
    return StudyCorpus(documents)


def quoted_items(data) -> list[dict]:
    """Every object of a JSON view that quotes a plan (its "quote" is text)."""
    if isinstance(data, dict):
        found = [data] if isinstance(data.get("quote"), str) else []
        return found + [item for value in data.values() for item in quoted_items(value)]
    if isinstance(data, list):
        return [item for value in data for item in quoted_items(value)]
    return []


def _all_views(corpus):
    views = [overview(corpus, doc_id) for doc_id in DOC_IDS]
    views += [unit_matrix(corpus), topic_matrix(corpus), deadlines_view(corpus)]
    views += [quiz(corpus, 100, seed) for seed in (1, 2, 3)]
    return views


def test_every_quoted_item_in_every_view_is_the_text_at_its_offsets(corpus):
    checked = 0
    for view in _all_views(corpus):
        data = json.loads(json.dumps(to_json(view), ensure_ascii=False))
        for item in quoted_items(data):
            assert {"doc_id", "quote", "start", "end"} <= set(item), item
            text = corpus.plans[item["doc_id"]].document.text
            assert text[item["start"]:item["end"]] == item["quote"]
            assert item["quote"] and item["quote"] == item["quote"].strip()
            checked += 1
    assert checked > 1500


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_task_of_the_nhiem_vu_part_appears_once_in_its_overview(corpus, doc_id):
    view = overview(corpus, doc_id)
    shown = [(t.section, t.item, t.title.quote[:70]) for g in view.groups for t in g.tasks]
    shown += [(t.section, t.item, t.title.quote[:70]) for t in view.ungrouped]
    assert shown == [(t["section"], t["item"], t["title"]) for t in RECORDED[doc_id]]


def test_overview_of_each_shape(corpus):
    gia_lai = overview(corpus, "gia-lai-157-kh-ubnd-2024")
    fields = {f.name: (f.value, f.quote.quote) for f in gia_lai.metadata}
    assert fields["number"] == ("157/KH-UBND", "Số: 157 /KH-UBND")
    assert fields["signer"] == ("Nguyễn Thị Thanh Lịch", "Nguyễn Thị Thanh Lịch")
    assert [q.quote for q in gia_lai.implements] == ["Kế hoạch số 184-KH/TU", "Kết luận số 57-KL/TW"]
    assert [g.topic for g in gia_lai.groups] == ["quan-triet", "phoi-hop", "doi-moi", "dau-tranh", "nguon-luc"]
    assert gia_lai.purpose[0].quote == "1. Mục đích:"
    bac_giang = overview(corpus, "bac-giang-kh-ubnd-2024")
    assert [q.quote for q in bac_giang.replaces] == ["Kế hoạch số 192/KH-UBND"]
    assert len(bac_giang.implementation) == 35 and bac_giang.objectives[0].quote.startswith("- 100% sở, ban, ngành")
    letter = overview(corpus, "tuyen-quang-ubnd-thcbks-2024")
    assert letter.groups == () and letter.purpose == () and len(letter.ungrouped) == 18
    party = overview(corpus, "quang-ngai-kh-tu")
    assert {q.quote for g in party.groups for t in g.tasks for q in t.directing} == {"Ban Thường vụ Tỉnh ủy"}


def test_overview_topic_subset(corpus):
    view = overview(corpus, "ninh-thuan-kh-ubnd-2024", topics=["dau-tranh"])
    assert [g.number for g in view.groups] == ["4"]


# every unit each plan names as lead (or, in Quảng Ngãi, as "tham mưu, thực hiện"), checked by hand
LEADS = {
    # "Phối hợp với X …" opening a task makes X the lead (VI › 8, VI › 11 and Tuyên Quang 2)
    "bac-giang": ["Ban Tuyên giáo Tỉnh ủy", "Bộ Chỉ huy Quân sự tỉnh", "Các cơ quan báo chí tỉnh",
                  "các cơ quan liên quan", "các sở, ban, ngành, địa phương",
                  "các cơ quan, đơn vị, địa phương", "Các sở, ban, ngành", "Công an tỉnh", "Sở Công Thương",
                  "Sở Kế hoạch và Đầu tư", "Sở Ngoại vụ", "Sở Nội vụ", "Sở Thông tin và Truyền thông", "Sở Tài chính",
                  "Sở Văn hóa, Thể thao và Du lịch", "UBND các huyện, thành phố, thị xã"],
    "gia-lai": ["các cơ quan báo chí trên địa bàn tỉnh", "các cơ quan báo chí địa phương",
                "các cơ quan, đơn vị, địa phương", "các sở, ban, ngành", "các đơn vị, địa phương",
                "Sở Kế hoạch và Đầu tư", "Sở Thông tin và Truyền thông", "Sở Văn hóa, Thể thao và Du lịch",
                "Ủy ban nhân dân các huyện, thị xã, thành phố"],
    "ninh-thuan": ["Ban Tuyên giáo Tỉnh ủy", "Báo Ninh Thuận", "các cơ quan báo chí trên địa bàn tỉnh",
                   "Các sở, ban, ngành cấp tỉnh", "Hội Liên hiệp Văn học Nghệ thuật tỉnh", "Sở Kế hoạch và Đầu tư",
                   "Sở Nội vụ", "Sở Thông tin và Truyền thông", "Sở Văn hóa, Thể thao và Du lịch",
                   "Tạp chí Văn nghệ Ninh Thuận", "Văn phòng UBND tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
                   "UBND các huyện, thành phố"],
    "quang-ngai": ["Ban Chỉ đạo 35 tỉnh", "Ban Chỉ đạo Công tác thông tin đối ngoại tỉnh", "Ban Thường vụ Tỉnh đoàn",
                   "Ban Tuyên giáo Tỉnh ủy", "Ban cán sự đảng Ủy ban nhân dân tỉnh", "các Ban cán sự đảng, Đảng đoàn",
                   "các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy", "Các cấp ủy đảng, chính quyền",
                   "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị, địa phương",
                   "các huyện ủy, thị ủy, thành ủy, Đảng ủy trực thuộc Tỉnh ủy", "các tổ chức chính trị - xã hội",
                   "Mặt trận Tổ quốc"],
    "tuyen-quang": ["Ban Chỉ đạo công tác thông tin đối ngoại tỉnh", "Ban Tuyên giáo Tỉnh ủy",
                    "Các sở, ban, ngành", "Sở Ngoại vụ", "Sở Thông tin và Truyền thông",
                    "Văn phòng Ủy ban nhân dân tỉnh", "Ủy ban nhân dân huyện, thành phố"],
}


def test_the_matrix_has_every_unit_a_plan_names_as_lead(corpus):
    matrix = unit_matrix(corpus)
    rows = {row.key: row for row in matrix.rows}
    for province, leads in LEADS.items():
        for name in leads:
            row = rows[row_key(name)]  # a collective name is in the one generic row
            assert any(e.role in ("lead", "advising") for e in row.cells[province]), (province, name)
    found = {p: {unit_key(u.text) for t in plan.tasks for u in t.lead + t.advising}
             for p, plan in ((plan.province, plan) for plan in corpus.plans.values())}
    assert found == {p: {unit_key(n) for n in names} for p, names in LEADS.items()}


def test_the_matrix_makes_one_row_of_the_spellings_of_a_unit_and_keeps_empty_cells(corpus):
    matrix = unit_matrix(corpus)
    districts = next(r for r in matrix.rows if r.key == unit_key("UBND các huyện, thành phố"))
    spellings = {p: sorted({e.unit.quote for e in entries}) for p, entries in districts.cells.items()}
    assert spellings == {"bac-giang": ["UBND các huyện, thành phố, thị xã"],
                         "gia-lai": ["Ủy ban nhân dân các huyện, thị xã, thành phố"],
                         "ninh-thuan": ["UBND các huyện, thành phố", "Ủy ban nhân dân các huyện, thành phố"],
                         "quang-ngai": [], "tuyen-quang": ["Ủy ban nhân dân huyện, thành phố"]}
    office = next(r for r in matrix.rows if r.key == unit_key("Văn phòng UBND tỉnh"))
    assert {e.unit.quote for entries in office.cells.values() for e in entries} == {
        "Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"}
    information = next(r for r in matrix.rows if r.label == "Sở Thông tin và Truyền thông")
    assert list(information.cells) == ["bac-giang", "gia-lai", "ninh-thuan", "quang-ngai", "tuyen-quang"]
    assert information.cells["quang-ngai"] == ()
    police = next(r for r in matrix.rows if r.label == "Công an tỉnh")
    assert [bool(e) for e in police.cells.values()] == [True, False, False, False, False]


def test_matrix_subsets(corpus):
    matrix = unit_matrix(corpus, provinces=["gia-lai", "ninh-thuan"], topics=["nguon-luc"])
    assert [slug for slug, _ in matrix.provinces] == ["gia-lai", "ninh-thuan"]
    sections = {e.section for r in matrix.rows for entries in r.cells.values() for e in entries}
    assert sections == {"II › 5", "II › 5 › 5.1", "II › 5 › 5.2", "II › 5 › 5.3"}


def test_the_topic_matrix_puts_each_plans_groups_side_by_side(corpus):
    matrix = topic_matrix(corpus)
    assert [r.key for r in matrix.rows] == ["quan-triet", "phoi-hop", "doi-moi", "dau-tranh", "nguon-luc"]
    assert matrix.ungrouped == ("tuyen-quang",)
    counts = {r.key: {p: len(e) for p, e in r.cells.items()} for r in matrix.rows}
    assert counts["phoi-hop"] == {"bac-giang": 8, "gia-lai": 3, "ninh-thuan": 3, "quang-ngai": 2, "tuyen-quang": 0}
    assert matrix.rows[3].groups["quang-ngai"].quote.startswith("Đẩy mạnh đấu tranh phản bác các quan điểm sai trái")
    assert matrix.rows[0].groups["tuyen-quang"] is None


# every reporting, review or budget deadline of the five plans, checked by hand: (province, section, when)
REPORTING = [
    ("bac-giang", "VI › 1", "định kỳ hằng năm, theo giai đoạn hoặc khi có yêu cầu đột xuất"),
    ("bac-giang", "VI › 6", "hằng năm"),
    ("bac-giang", "VI › 12", "Định kỳ trước ngày 15/11 hằng năm"),
    ("gia-lai", "III", "Hàng năm"),
    ("gia-lai", "IV › 2", "hàng năm"),
    ("ninh-thuan", "IV › 1", "Định kỳ hằng năm (trước 15 tháng 12) hoặc đột xuất (khi có yêu cầu)"),
    ("ninh-thuan", "IV › 3", "định kỳ hằng năm"),
    ("quang-ngai", "IV › 1", "hằng năm"),
    ("quang-ngai", "IV › 4", "định kỳ"),
    ("tuyen-quang", "2", "hằng năm, hằng quý hoặc đột xuất"),
    ("tuyen-quang", "5", "hàng năm"),
]


def test_the_deadlines_view_lists_every_reporting_deadline(corpus):
    view = deadlines_view(corpus)
    found = [(d.province, d.section, d.when.quote) for d in view.deadlines if d.kind != "timeline"]
    assert found == REPORTING
    report = next(d for d in view.deadlines if d.section == "VI › 12")
    assert [q.quote for q in report.who] == ["các cơ quan, đơn vị, địa phương"]
    assert [q.quote for q in report.to] == ["Sở Thông tin và Truyền thông", "Chủ tịch UBND tỉnh"]


def test_nothing_is_read_from_the_requirements_and_only_two_deadlines_have_a_date(corpus):
    view = deadlines_view(corpus)
    assert not any(d.section.startswith("I ›") or d.section == "I" for d in view.deadlines)  # "Mục đích, yêu cầu"
    dated = [(d.province, d.due, d.when.quote) for d in view.deadlines if d.category == "dated"]
    assert dated == [("bac-giang", Due(15, 11), "Định kỳ trước ngày 15/11 hằng năm"),
                     ("ninh-thuan", Due(15, 12), "Định kỳ hằng năm (trước 15 tháng 12) hoặc đột xuất (khi có yêu cầu)")]
    by_year = {(d.province, d.when.quote) for d in view.deadlines if d.category == "year"}
    assert by_year == {("gia-lai", "Hoàn thành trong năm 2024"), ("ninh-thuan", "Trong năm 2024"),
                       ("quang-ngai", "Năm 2024 và những năm tiếp theo")}
    quarterly = [d for d in view.deadlines if "hằng quý" in d.periods]
    assert [(d.province, d.category, d.periods) for d in quarterly] == [
        ("tuyen-quang", "recurring", ("hằng quý", "hằng năm", "đột xuất"))]


def test_dated_task_timelines_are_deadlines_and_ongoing_ones_are_not(corpus):
    view = deadlines_view(corpus, provinces=["ninh-thuan"])
    timelines = [(d.section, d.when.quote) for d in view.deadlines if d.kind == "timeline"]
    assert timelines == [("II › 1 › 1.1", "Trong năm 2024"), ("II › 1 › 1.3", "Hàng năm"), ("II › 2", "Hàng năm"),
                         ("II › 2 › 2.3", "Hàng năm"), ("II › 4", "Thường xuyên và trong giao ban báo chí định kỳ"),
                         ("II › 5 › 5.3", "Hàng năm")]
    assert list(view.by_province()) == ["ninh-thuan"]


@pytest.mark.parametrize("seed", range(1, 21))
def test_every_question_is_proved_by_its_quote(corpus, seed):
    texts = {p.province: p.document.text for p in corpus.plans.values()}
    for question in quiz(corpus, 100, seed).questions:
        citation = question.citation
        assert question.answer and question.answer in citation.quote
        assert corpus.plans[citation.doc_id].document.text[citation.start:citation.end] == citation.quote
        if question.type == "choice":
            assert question.choices.count(question.answer) == 1 and 3 <= len(question.choices) <= 4
            for choice in question.choices:
                if choice != question.answer:  # a real value, from another province, absent from the proof
                    assert any(choice in text for p, text in texts.items() if p != question.province)
                    assert choice not in citation.quote
        else:
            assert question.choices == () and "……" in question.question


def test_the_quiz_is_deterministic_and_mixes_kinds(corpus):
    first, again, other = quiz(corpus, 12, 1), quiz(corpus, 12, 1), quiz(corpus, 12, 2)
    assert first == again and first != other
    assert [q.number for q in first.questions] == list(range(1, 13))
    assert {q.kind for q in first.questions} == {"lead", "deadline", "motto", "implements", "timeline", "phrase",
                                                 "replaces"}
    assert {q.type for q in first.questions} == {"choice", "blank"}
    assert {q.province for q in quiz(corpus, 5, 1, ["quang-ngai"]).questions} == {"quang-ngai"}


def test_bad_choices_are_refused_in_vietnamese(corpus):
    with pytest.raises(UnknownDocumentError, match="không có văn bản «x»"):
        overview(corpus, "x")
    with pytest.raises(UnknownProvinceError, match="không có tỉnh «ha-noi» trong bộ văn bản"):
        unit_matrix(corpus, provinces=["ha-noi"])
    with pytest.raises(UnknownTopicError, match="không có chủ đề «kinh-te»"):
        topic_matrix(corpus, topics=["kinh-te"])
    with pytest.raises(InvalidRequestError, match="số câu hỏi phải từ 1 đến 100"):
        quiz(corpus, 101)
