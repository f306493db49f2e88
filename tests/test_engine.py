import re

import pytest

from assistant.answer.types import NOT_FOUND
from assistant.answer.wording import MAYBE, OTHERS
from assistant.errors import InvalidQuestionError, UnknownDocumentError, UnknownProvinceError


def _verbatim(assistant, answer):
    docs = assistant.index.documents
    return all(c.quote == docs[c.doc_id].text[c.start:c.end] for c in answer.citations)


def _lines(answer) -> list[str]:
    """The answer's lines: an unsure one's "Có thể là" candidate, then the others listed
    after it, without their markers (with the fake embedder most answers are unsure)."""
    lines = answer.answer.splitlines()
    if answer.confidence == "low" and lines[0].startswith(MAYBE):
        first = lines[0][len(MAYBE):].strip()
        rest = [re.sub(r"^- ", "", line) for line in lines[2:]] if lines[1:2] == [OTHERS] else lines[1:]
        return ([first] if first else []) + rest
    return lines


def test_who_question_answers_each_province_from_its_task_lines(assistant):
    answer = assistant.ask("Ai chịu trách nhiệm khen thưởng?")
    assert answer.found
    lines = _lines(answer)
    assert lines[0] == "Ninh Thuận: Đơn vị thực hiện: Sở Nội vụ"
    # the duty under "2. Sở Nội vụ", said with the unit it belongs to
    assert lines[1] == ("Bắc Giang: Sở Nội vụ (mục VI.2): Chủ trì, phối hợp với Sở Thông tin và Truyền thông tham "
                        "mưu việc bố trí vị trí việc làm chuyên trách và khen thưởng đối với các tổ chức, cá nhân.")
    cited = [(c.doc_id, c.section) for c in answer.citations]
    assert cited[:2] == [("ninh-thuan-test", "II › 1 › 1.1"), ("bac-giang-test", "VI › 2")]
    assert answer.citations[0].quote == "- Đơn vị thực hiện: Sở Nội vụ."  # the line the answer comes from
    assert _verbatim(assistant, answer)


def test_a_question_without_diacritics_naming_a_province_is_scoped_to_it(assistant):
    answer = assistant.ask("ai chiu trach nhiem khen thuong o ninh thuan")
    assert _lines(answer)[0] == "Đơn vị thực hiện: Sở Nội vụ"
    assert {c.doc_id for c in answer.citations} == {"ninh-thuan-test"}


def test_an_explicit_province_scopes_the_answer(assistant):
    answer = assistant.ask("Ai chịu trách nhiệm khen thưởng?", province="bac-giang")
    assert _lines(answer)[0].startswith("Sở Nội vụ (mục VI.2): Chủ trì, phối hợp")
    assert {c.province for c in answer.citations} == {"bac-giang"}


def test_when_question_keeps_the_date(assistant):
    assert _lines(assistant.ask("Bắc Giang báo cáo trước ngày nào?")) == \
        ["Định kỳ trước ngày 15/11 hằng năm, các cơ quan báo cáo kết quả triển khai thực hiện."]
    assert _lines(assistant.ask("Ninh Thuận tổ chức đào tạo, bồi dưỡng cán bộ khi nào?")) == \
        ["Thời gian thực hiện: Thường xuyên"]


def test_metadata_answers_and_honest_gaps(assistant):
    replaced = "Kế hoạch của Bắc Giang thay thế Kế hoạch số 192/KH-UBND ngày 26/11/2023 của Chủ tịch UBND tỉnh"
    assert assistant.ask("Kế hoạch Bắc Giang thay thế kế hoạch nào?").answer == replaced
    assert assistant.ask("Kế hoạch nào thay thế kế hoạch 192?").answer == replaced
    signed = assistant.ask("Ai ký kế hoạch?")
    assert signed.answer.splitlines() == ["Bắc Giang: Mai Sơn (KT. CHỦ TỊCH, PHÓ CHỦ TỊCH)",
                                          "Ninh Thuận: không ghi người ký"]
    unsigned = assistant.ask("Ai ký kế hoạch của Ninh Thuận?")
    assert (unsigned.found, unsigned.answer, unsigned.citations) == (
        False, "Kế hoạch của Ninh Thuận không ghi người ký.", ())


def test_the_date_of_a_cited_document(assistant):
    answer = assistant.ask("Nghị quyết 47/NQ-CP ban hành ngày nào?")
    assert answer.answer == "47/NQ-CP: ngày 15/4/2024"
    assert "Nghị quyết số 47/NQ-CP ngày 15/4/2024" in answer.citations[0].quote


def test_what_question_skips_the_heading_line(assistant):
    answer = assistant.ask("Sở Tài chính làm gì?")  # no province named: the plan that says is named
    assert _lines(answer)[:2] == ["Bắc Giang:",
                                  "- Thẩm định dự toán ngân sách hằng năm cho các hoạt động thông tin đối ngoại."]


def test_unanswerable_questions_are_refused_plainly(assistant):
    for question in ("Tổng kinh phí thực hiện là bao nhiêu tỷ đồng?", "Sở Y tế có nhiệm vụ gì?",
                     "Ai chịu trách nhiệm về an toàn thực phẩm?"):
        answer = assistant.ask(question)
        assert (answer.found, answer.answer, answer.citations) == (False, NOT_FOUND, ()), question


def test_a_province_outside_the_corpus(assistant):
    answer = assistant.ask("Ai chịu trách nhiệm khen thưởng ở Hà Nội?")
    assert (answer.found, answer.answer) == (False, "Các văn bản hiện có không có văn bản nào của Hà Nội.")


def test_answer_object_shape(assistant):
    data = assistant.ask("Ai chịu trách nhiệm khen thưởng?").to_dict()
    assert list(data) == ["question", "found", "answer", "citations", "took_ms", "interpreted_as", "confidence",
                          "lead"]
    assert data["confidence"] in ("high", "low")
    assert data["interpreted_as"] == data["question"] == "Ai chịu trách nhiệm khen thưởng?"
    assert list(data["citations"][0]) == ["doc_id", "province", "title", "section", "quote", "start", "end",
                                          "score", "page"]
    assert data["citations"][0]["page"] is None  # a .txt has no pages


def test_quotes_are_whole_sentences_of_the_document(assistant):
    answer = assistant.ask("Ai chịu trách nhiệm khen thưởng?")
    for c in answer.citations:
        text = assistant.index.documents[c.doc_id].text
        assert c.start == 0 or text[c.start - 1] in " \n"
        assert c.end == len(text) or text[c.end] in " \n"


@pytest.mark.parametrize("question, message", [
    ("   ", "câu hỏi đang trống; hãy nhập câu hỏi, ví dụ: «Ai chịu trách nhiệm khen thưởng?»"),
    ("x" * 2001, "câu hỏi dài 2001 ký tự, vượt giới hạn 2000 ký tự; hãy rút gọn câu hỏi"),
])
def test_bad_questions(assistant, question, message):
    with pytest.raises(InvalidQuestionError) as error:
        assistant.ask(question)
    assert str(error.value) == message


def test_a_question_of_exactly_the_limit_is_accepted(assistant):
    assert not assistant.ask("khen thưởng " + "x" * 1988).found


def test_unknown_province_and_document(assistant):
    with pytest.raises(UnknownProvinceError) as error:
        assistant.ask("Ai ký?", province="atlantis")
    assert str(error.value) == ("không có tỉnh «atlantis» trong bộ văn bản; "
                                "các tỉnh hiện có: bac-giang, ninh-thuan")
    with pytest.raises(UnknownDocumentError) as error:
        assistant.document("nope")
    assert str(error.value) == "không có văn bản «nope»; các văn bản hiện có: bac-giang-test, ninh-thuan-test"


def test_search_returns_passages_as_citations(assistant):
    passages = assistant.search("khen thưởng", k=2, province="ninh-thuan")
    assert len(passages) == 2 and passages[0].section == "II › 1 › 1.1"
    assert all(p.province == "ninh-thuan" for p in passages)


def test_a_follow_up_is_answered_in_the_light_of_the_history(assistant):
    history = ["Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?"]
    answer = assistant.ask("Còn Bắc Giang thì sao?", history=history)
    assert (answer.question, answer.interpreted_as) == ("Còn Bắc Giang thì sao?",
                                                       "Ai chịu trách nhiệm khen thưởng ở Bắc Giang?")
    assert _lines(answer)[0].startswith("Sở Nội vụ (mục VI.2): ")
    timeline = assistant.ask("Thời gian thực hiện là khi nào?", history=history)
    assert timeline.interpreted_as == "Thời gian thực hiện khen thưởng ở Ninh Thuận là khi nào?"
    assert _lines(timeline)[0] == "Thời gian thực hiện: Hàng năm"


def test_blank_history_entries_are_ignored(assistant):
    answer = assistant.ask("Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", history=["", "  ", "\x00"])
    assert answer.interpreted_as == "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?"
