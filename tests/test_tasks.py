"""Tasks read from the five real plans, checked by hand against them and recorded in
tests/fixtures/plan_tasks.json (every task of each plan's "Nhiệm vụ, giải pháp" part),
and small inline plans for each shape."""

import json
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.ingest.documents import read_corpus
from assistant.ingest.tasks import read_tasks
from assistant.ingest.text import clean_document

from .samples import PLAN_A, PLAN_B

ROOT = Path(__file__).resolve().parents[1]
RECORDED = json.loads((ROOT / "tests" / "fixtures" / "plan_tasks.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _corpus():
    documents, problems = read_corpus(ROOT / "corpus")
    assert problems == []
    return {d.doc_id: d for d in documents}


def _tasks(doc_id):
    document = _corpus()[doc_id]
    return read_tasks(doc_id, document.text)


@pytest.mark.parametrize("doc_id", sorted(RECORDED))
def test_the_tasks_of_each_plan_are_the_ones_checked_by_hand(doc_id):
    tasks = [t for t in _tasks(doc_id) if t.part == "tasks"]
    found = [{"section": t.section, "item": t.item, "title": t.title.text[:70], "lead": [u.text for u in t.lead],
              "advising": [u.text for u in t.advising], "timeline": t.timeline.text if t.timeline else None}
             for t in tasks]
    assert found == RECORDED[doc_id]


def test_task_counts_per_plan():
    assert {doc_id: len(tasks) for doc_id, tasks in RECORDED.items()} == {
        "bac-giang-kh-ubnd-2024": 29, "gia-lai-157-kh-ubnd-2024": 9, "ninh-thuan-kh-ubnd-2024": 15,
        "quang-ngai-kh-tu": 12, "tuyen-quang-ubnd-thcbks-2024": 18}


@pytest.mark.parametrize("doc_id", sorted(RECORDED))
def test_every_value_is_quoted_from_the_text(doc_id):
    text = _corpus()[doc_id].text
    for task in _tasks(doc_id):
        values = [task.title, task.body, *task.lead, *task.coordinating, *task.directing, *task.advising,
                  *task.sources] + ([task.timeline] if task.timeline else []) + ([task.group] if task.group else [])
        for value in values:
            assert text[value.start:value.end] == value.text and value.text.strip() == value.text
        assert task.body.start <= task.title.start < task.title.end <= task.body.end


def test_ninh_thuan_task_lines_give_lead_partners_and_timeline():
    task = next(t for t in _tasks("ninh-thuan-kh-ubnd-2024") if t.section == "II › 2 › 2.3")
    assert (task.number, task.item, task.group_number) == ("2.3", 0, "2")
    assert task.group.text.startswith("Tăng cường công tác phối hợp giữa các cơ quan")
    assert [u.text for u in task.coordinating] == ["Ban Tuyên giáo Tỉnh ủy", "Sở Thông tin và Truyền thông",
                                                   "các cơ quan, đơn vị có liên quan"]
    assert task.timeline.text == "Hàng năm"
    assert [s.text for s in task.sources] == ["- Đơn vị thực hiện: Sở Nội vụ.",
                                              "- Đơn vị phối hợp: Ban Tuyên giáo Tỉnh ủy; Sở Thông tin và Truyền "
                                              "thông; các cơ quan, đơn vị có liên quan.",
                                              "- Thời gian thực hiện: Hàng năm."]


def test_bac_giang_section_vi_is_read_by_department():
    tasks = [t for t in _tasks("bac-giang-kh-ubnd-2024") if t.part == "implementation"]
    assert len(tasks) == 35
    interior = [t for t in tasks if t.section == "VI › 7"]
    assert [(t.item, [u.text for u in t.lead], [u.text for u in t.coordinating]) for t in interior] == [
        (1, ["Sở Nội vụ"], ["Sở Thông tin và Truyền thông"])]
    report = tasks[-1]  # a paragraph that names its own subject is not the Ban Tuyên giáo's task
    assert report.title.text.startswith("Định kỳ trước ngày 15/11 hằng năm")
    assert [u.text for u in report.lead] == ["các cơ quan, đơn vị, địa phương"]


def test_quang_ngai_directing_and_advising_bodies_apply_to_each_bullet():
    first, second = [t for t in _tasks("quang-ngai-kh-tu") if t.section == "III › 1"]
    assert [u.text for u in second.directing] == ["Ban Thường vụ Tỉnh ủy"]
    assert second.advising[0].text == "Ban Chỉ đạo Công tác thông tin đối ngoại tỉnh"
    assert second.lead == () and second.timeline.text == "Thường xuyên"
    assert [u.text for u in first.lead] == ["Các cấp ủy đảng, chính quyền", "Mặt trận Tổ quốc",
                                            "các tổ chức chính trị - xã hội"]


def test_tuyen_quang_letter_items_have_no_groups_and_heading_partners():
    tasks = _tasks("tuyen-quang-ubnd-thcbks-2024")
    assert {t.group for t in tasks} == {None}
    foreign = next(t for t in tasks if t.section == "4")
    assert [u.text for u in foreign.lead] == ["Sở Ngoại vụ"]
    assert [u.text for u in foreign.coordinating] == ["Sở Thông tin và Truyền thông", "các đơn vị liên quan"]
    assert foreign.title.text.startswith("Sở Ngoại vụ: Chủ trì, phối hợp")


def test_gia_lai_content_label_is_not_part_of_the_task():
    tasks = [t for t in _tasks("gia-lai-157-kh-ubnd-2024") if t.section == "II › 3 › 3.1"]
    assert tasks[0].title.text.startswith("Tích cực đổi mới công tác thông tin đối ngoại")
    assert [u.text for u in tasks[0].directing] == []


def test_small_plan_with_task_lines_and_one_by_department():
    a = read_tasks("a", clean_document(PLAN_A))
    assert [(t.part, t.section, t.title.text) for t in a] == [
        ("tasks", "II › 1 › 1.1", "Kịp thời khen thưởng các tổ chức, cá nhân có đóng góp cho công tác quảng bá hình ảnh "
                                   "của tỉnh."),
        ("tasks", "II › 1 › 1.2", "Tổ chức đào tạo, bồi dưỡng đội ngũ cán bộ làm công tác thông tin đối ngoại."),
        ("implementation", "IV › 1", "Định kỳ hằng năm (trước 15 tháng 12), các sở báo cáo kết quả về Sở Thông tin và "
                                     "Truyền thông.")]
    assert [u.text for u in a[2].lead] == ["các sở"]
    b = read_tasks("b", clean_document(PLAN_B))
    assert [(t.section, t.item, [u.text for u in t.lead], [u.text for u in t.coordinating]) for t in b] == [
        ("VI › 1", 1, ["Sở Tài chính"], []),
        ("VI › 2", 1, ["Sở Nội vụ"], ["Sở Thông tin và Truyền thông"]),
        ("VI › 2", 2, ["các cơ quan"], [])]


def test_a_plan_without_headings_has_no_tasks():
    assert read_tasks("x", "Một văn bản không có mục nào.\n") == ()


# --- roles from the sentence's grammar: "phối hợp với X" makes X the lead -----------------


def _task_at(doc_id, section, item):
    return next(t for t in _tasks(doc_id) if t.section == section and t.item == item)


def _names(spans):
    return [s.text for s in spans]


def test_bac_giang_public_security_only_coordinates_the_foreign_press_task():
    press = _task_at("bac-giang-kh-ubnd-2024", "VI › 8", 4)  # "Phối hợp với các cơ quan liên quan quản lý …"
    assert (_names(press.lead), _names(press.coordinating)) == (["các cơ quan liên quan"], ["Công an tỉnh"])
    foreign = _task_at("bac-giang-kh-ubnd-2024", "VI › 2", 3)  # "Chủ trì, phối hợp với Sở TT&TT, Công an tỉnh …"
    assert _names(foreign.lead) == ["Sở Ngoại vụ"]
    assert _names(foreign.coordinating) == ["Sở Thông tin và Truyền thông", "Công an tỉnh", "các cơ quan liên quan"]


def test_an_unnamed_partner_still_leads_and_the_heading_unit_coordinates():
    task = _task_at("bac-giang-kh-ubnd-2024", "VI › 1", 4)  # "Phối hợp với cơ quan, đơn vị có liên quan …"
    assert (_names(task.lead), _names(task.coordinating)) == ([], ["Sở Thông tin và Truyền thông"])


def test_tuyen_quang_proactive_partnering_makes_the_partners_lead():
    task = _task_at("tuyen-quang-ubnd-thcbks-2024", "2", 2)  # "Chủ động phối hợp với Ban Chỉ đạo …, Ban Tuyên giáo …"
    assert _names(task.lead) == ["Ban Chỉ đạo công tác thông tin đối ngoại tỉnh", "Ban Tuyên giáo Tỉnh ủy"]
    assert _names(task.coordinating) == ["Sở Thông tin và Truyền thông"]
    assert task.handed == ()


def test_tuyen_quang_finance_department_leads_the_part_handed_to_it():
    task = _task_at("tuyen-quang-ubnd-thcbks-2024", "2", 4)
    assert _names(task.lead) == ["Sở Thông tin và Truyền thông"]
    assert [(_names(h.lead), h.action.text) for h in task.handed] == [(["Sở Tài chính"], "bố trí kinh phí để thực hiện")]
    text = _corpus()["tuyen-quang-ubnd-thcbks-2024"].text
    assert text[task.handed[0].action.start:task.handed[0].action.end] == "bố trí kinh phí để thực hiện"


def test_partners_that_hand_over_nothing():
    text = ("1. Sở Ngoại vụ\nLàm đầu mối phối hợp với Bộ Ngoại giao để thông tin chính thống. "
            "Tăng cường sự phối hợp với các cơ quan báo chí trong công tác tuyên truyền; "
            "triển khai, phối hợp với các cơ quan liên quan thực hiện.\n")
    (task,) = read_tasks("x", text)
    assert _names(task.lead) == ["Sở Ngoại vụ"] and task.handed == ()
