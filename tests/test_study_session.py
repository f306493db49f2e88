"""What a trainer hands out, checked against the five plans by hand: the one-page summary,
the key matrix, the calendar's categories, what is distinctive, and the quiz versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest.documents import read_corpus
from assistant.study import StudyCorpus, quiz
from assistant.study.distinctive import distinctive
from assistant.study.goals import choose_goals, coverage, goal_candidates, task_weights
from assistant.study.keymatrix import GENERIC, key_matrix
from assistant.study.matrix import unit_matrix
from assistant.study.quiz import answer_form, same_answer
from assistant.study.summary import summary

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus() -> StudyCorpus:
    return StudyCorpus(read_corpus(ROOT / "corpus")[0])


def _fields(view) -> dict[str, str]:
    return {f.name: f.value for f in view.fields}


def test_plan_labels_say_what_is_left_blank(corpus):
    assert [p.label for p in corpus.plans.values()] == [
        "Kế hoạch của UBND tỉnh Bắc Giang, tháng 7/2024 (chưa ghi số)",
        "Kế hoạch số 157/KH-UBND của UBND tỉnh Gia Lai, ngày 22/01/2024",
        "Kế hoạch của UBND tỉnh Ninh Thuận, tháng 8/2024 (chưa ghi số)",
        "Kế hoạch của Ban Thường vụ Tỉnh ủy Quảng Ngãi (chưa ghi số, ngày)",
        "Công văn của UBND tỉnh Tuyên Quang, tháng 6/2024 (chưa ghi số)"]


def test_the_summary_writes_khong_ghi_and_the_whole_signature_block(corpus):
    gia_lai = _fields(summary(corpus, "gia-lai-157-kh-ubnd-2024"))
    assert gia_lai == {"number": "157/KH-UBND", "date": "22/01/2024", "issuer": "Ủy ban nhân dân tỉnh Gia Lai",
                       "signer": "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Thị Thanh Lịch"}
    quang_ngai = _fields(summary(corpus, "quang-ngai-kh-tu"))
    assert (quang_ngai["number"], quang_ngai["date"]) == ("không ghi", "không ghi")
    ninh_thuan = summary(corpus, "ninh-thuan-kh-ubnd-2024")
    assert _fields(ninh_thuan)["signer"] == "không ghi"
    issuer = next(f for f in ninh_thuan.fields if f.name == "issuer")  # read from two lines, shown on one
    assert issuer.value == "Ủy ban nhân dân tỉnh Ninh Thuận" and issuer.quote.quote == "ỦY BAN NHÂN DÂN\nTỈNH NINH THUẬN"
    bac_giang = summary(corpus, "bac-giang-kh-ubnd-2024")
    fields = {f.name: f for f in bac_giang.fields}
    assert fields["issuer"].quote.quote == "Chủ tịch UBND tỉnh"  # without «ban hành»
    assert fields["signer"].value == "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nMai Sơn"
    assert fields["date"].value == "tháng 7/2024 (không ghi ngày)"
    assert [q.quote for q in bac_giang.replaces] == ["Kế hoạch số 192/KH-UBND"]
    assert [(g.label, g.count) for g in bac_giang.groups] == [
        ("Quán triệt, tuyên truyền", 4), ("Phối hợp, quản lý nhà nước", 8), ("Đổi mới nội dung, phương thức", 6),
        ("Đấu tranh phản bác thông tin sai trái", 6), ("Nguồn lực", 5), ("Tổ chức thực hiện: giao cho 16 đơn vị", 35)]
    assert bac_giang.reporting[0].when.quote == "Định kỳ trước ngày 15/11 hằng năm"


def test_goals_are_chosen_by_coverage_not_taken_first(corpus):
    weights = task_weights(corpus)
    bac_giang = corpus.plan("bac-giang-kh-ubnd-2024")
    candidates = goal_candidates(bac_giang)
    chosen = choose_goals(bac_giang, weights)
    assert len(candidates) == 8 and len(chosen) == 5 and chosen != sorted(candidates[:5])
    assert coverage(bac_giang, chosen, weights) > coverage(bac_giang, candidates[:5], weights)
    for plan in corpus.plans.values():
        goals = summary(corpus, plan.doc_id).goals
        assert len(goals) <= 5
        assert all(plan.document.text[g.quote.start:g.quote.end] == g.quote.quote for g in goals)
        assert all("Yêu cầu" not in g.quote.section for g in goals)
    assert summary(corpus, "tuyen-quang-ubnd-thcbks-2024").goals == ()  # a letter has no goals part


def test_what_is_distinctive_in_each_province(corpus):
    def said(doc_id):
        return [(d.kind, d.text, " ".join(q.quote for q in d.quotes)) for d in distinctive(corpus, corpus.plan(doc_id))]

    bac_giang = said("bac-giang-kh-ubnd-2024")
    assert ("document", "Thay thế văn bản số 192/KH-UBND", "Kế hoạch số 192/KH-UBND") in bac_giang
    assert any(kind == "task" and "Bố trí ít nhất 01 vị trí việc làm chuyên trách" in quote
               for kind, _, quote in bac_giang)
    assert any(kind == "task" and "phim, phóng sự, video clip bằng tiếng Anh, Trung Quốc, Hàn, Nhật, Lào" in quote
               for kind, _, quote in bac_giang)
    assert ("reporting", "Báo cáo trước ngày 15/11") in [(k, t) for k, t, _ in bac_giang]
    quang_ngai = said("quang-ngai-kh-tu")
    assert quang_ngai[0] == ("document", "Do Ban Thường vụ Tỉnh ủy Quảng Ngãi ban hành (cấp ủy Đảng)",
                             "Ban Thường vụ Tỉnh ủy Quảng Ngãi")
    tuyen_quang = said("tuyen-quang-ubnd-thcbks-2024")
    assert tuyen_quang[0][:2] == ("document", "Là công văn, không phải kế hoạch")
    assert tuyen_quang[1][:2] == ("reporting", "Báo cáo hằng quý") and "hằng quý" in tuyen_quang[1][2]
    for plan in corpus.plans.values():  # every quote is the plan's own text
        for item in distinctive(corpus, plan):
            assert all(plan.document.text[q.start:q.end] == q.quote for q in item.quotes)


def test_the_key_matrix_rows_marks_and_labels(corpus):
    matrix = key_matrix(corpus)
    assert [r.label for r in matrix.rows] == [
        "Ủy ban nhân dân huyện, thành phố", "Các sở, ban, ngành", "Sở Thông tin và Truyền thông",
        "Ban Tuyên giáo Tỉnh ủy", "Các cơ quan báo chí trên địa bàn tỉnh", "Sở Kế hoạch và Đầu tư",
        "Sở Văn hóa, Thể thao và Du lịch", "Ban Chỉ đạo Công tác thông tin đối ngoại tỉnh", "Sở Ngoại vụ",
        "Sở Tài chính"]
    assert len(key_matrix(corpus, rows=14).rows) == 14
    rows = {r.key: r for r in matrix.rows + matrix.others}
    foreign = [(m.role, m.label.quote, m.cut) for m in rows["sở ngoại vụ"].cells["bac-giang"]]
    # the label is what the task does, not «Chủ trì, phối hợp với …», cut before a phrase, not in it
    assert ("lead", "hướng dẫn, quản lý các đoàn phóng viên báo chí nước ngoài hoạt động", True) in foreign
    police = [(m.role, m.label.quote[:35]) for m in rows["công an"].cells["bac-giang"]]
    assert ("coordinating", "quản lý hoạt động đoàn ra, đoàn vào") in police  # VI › 8: it only coordinates
    assert ("coordinating", "hướng dẫn, quản lý các đoàn phóng v") in police  # VI › 2: Sở Ngoại vụ leads
    finance = [(m.role, m.label.quote) for m in rows["sở tài chính"].cells["tuyen-quang"]]
    assert finance == [("lead", "bố trí kinh phí để thực hiện")]
    press = rows["cơ quan báo chí"]  # Gia Lai's two spellings of its press are one row
    assert len(press.cells["gia-lai"]) == 8
    generic = rows[GENERIC]
    assert generic not in matrix.rows and generic.tasks == 22


def test_the_full_matrix_has_one_row_for_every_collective_name(corpus):
    labels = [r.label for r in unit_matrix(corpus).rows]
    assert labels.count("Các cơ quan, đơn vị liên quan (gộp các cách viết)") == 1
    for written in ("Các cơ quan liên quan", "Các đơn vị có liên quan", "Các cơ quan, đơn vị có liên quan",
                    "Các sở, ngành, đơn vị liên quan", "Các đơn vị, địa phương", "Các cơ quan báo chí địa phương"):
        assert written not in labels


def test_quiz_versions_one_to_three_share_no_question_and_shuffle_their_types(corpus):
    versions = [quiz(corpus, 10, n) for n in (1, 2, 3)]
    asked = [{(q.doc_id, q.citation.start, q.answer) for q in v.questions} for v in versions]
    assert all(len(a) == 10 for a in asked)
    assert not (asked[0] & asked[1] or asked[1] & asked[2] or asked[0] & asked[2])
    quotes = [{q.citation.quote for q in v.questions} for v in versions]
    assert not (quotes[0] & quotes[1] or quotes[1] & quotes[2] or quotes[0] & quotes[2])
    orders = [[q.kind for q in v.questions] for v in versions]
    assert len({tuple(o) for o in orders}) == 3 and orders[0][:7] != ["lead", "deadline", "motto", "implements",
                                                                     "timeline", "phrase", "replaces"]


def test_no_blank_is_made_in_a_heading_or_a_task_line(corpus):
    for n in range(1, 9):
        for q in quiz(corpus, 10, n).questions:
            if q.type == "blank":
                plan = corpus.plans[q.doc_id]
                assert not q.citation.quote.startswith(("Thời gian thực hiện", "Cơ quan", "Đơn vị", "- Đơn vị"))
                assert not any(s.title == q.citation.quote for s in plan.sections)


def test_typed_answers_are_compared_after_folding_spelling_variants():
    assert same_answer("hàng năm", "Hằng năm") and same_answer("Định kỳ hằng quý.", "định kỳ hàng quý")
    assert same_answer("kĩ thuật", "kỹ thuật") and same_answer("quí", "quý") and same_answer(" «Lí luận» ", "lý luận")
    assert not same_answer("hay", "hai") and not same_answer("", "") and not same_answer("hằng năm", "hằng quý")
    assert answer_form("Chủ động, đồng bộ") == "chủ động đồng bộ"
