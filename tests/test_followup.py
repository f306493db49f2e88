"""Follow-up questions rewritten from the conversation into standalone questions."""

import pytest

from assistant.query.followup import standalone_question, topic

KNOWN = {"ninh-thuan", "bac-giang", "gia-lai", "tuyen-quang", "quang-ngai"}
COMMENDATION = "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?"
SIGNER = "Kế hoạch của Gia Lai do ai ký?"


@pytest.mark.parametrize("follow_up, expected", [
    # another province, the same question
    ("Còn Bắc Giang thì sao?", "Ai chịu trách nhiệm khen thưởng ở Bắc Giang?"),
    ("con bac giang thi sao", "Ai chịu trách nhiệm khen thưởng ở Bắc Giang?"),
    ("Thế còn ở Gia Lai?", "Ai chịu trách nhiệm khen thưởng ở Gia Lai?"),
    ("Tỉnh Quảng Ngãi thì thế nào?", "Ai chịu trách nhiệm khen thưởng ở Quảng Ngãi?"),
    ("Còn Tuyên Quang?", "Ai chịu trách nhiệm khen thưởng ở Tuyên Quang?"),
    ("Bắc Giang và Gia Lai thì sao?", "Ai chịu trách nhiệm khen thưởng ở Bắc Giang và Gia Lai?"),
    # the same topic, another field
    ("Thời gian thực hiện là khi nào?", "Thời gian thực hiện khen thưởng ở Ninh Thuận là khi nào?"),
    ("thoi gian thuc hien la khi nao", "Thời gian thực hiện khen thưởng ở Ninh Thuận là khi nào?"),
    ("Hạn chót là bao giờ?", "Thời gian thực hiện khen thưởng ở Ninh Thuận là khi nào?"),
    ("Ai phối hợp?", "Đơn vị nào phối hợp khen thưởng ở Ninh Thuận?"),
    ("Đơn vị phối hợp là những đơn vị nào?", "Đơn vị nào phối hợp khen thưởng ở Ninh Thuận?"),
    # both swapped
    ("Ở Bắc Giang thì ai phối hợp?", "Đơn vị nào phối hợp khen thưởng ở Bắc Giang?"),
    # the earlier topic pointed at
    ("Việc đó do ai phối hợp?", "Khen thưởng do ai phối hợp ở Ninh Thuận?"),
    ("Kế hoạch này do ai ký?", "Kế hoạch của Ninh Thuận do ai ký?"),
    ("Ai ký?", "Ai ký kế hoạch của Ninh Thuận?"),
    # a new topic asked as before
    ("Còn kinh phí thì sao?", "Ai chịu trách nhiệm kinh phí ở Ninh Thuận?"),
    ("Còn Sở Nội vụ thì sao?", "Nhiệm vụ của Sở Nội vụ ở Ninh Thuận là gì?"),
    ("Còn bảo vệ chủ quyền biển đảo thì sao?", "Ai chịu trách nhiệm bảo vệ chủ quyền biển đảo ở Ninh Thuận?"),
    ("Còn tuyên truyền biển đảo thì ai phối hợp?", "Đơn vị nào phối hợp tuyên truyền biển đảo ở Ninh Thuận?"),
    ("Đối với hội nghị quán triệt, khi nào thực hiện?",
     "Thời gian thực hiện hội nghị quán triệt ở Ninh Thuận là khi nào?"),
    # a question of its own is left alone
    ("Kinh phí thực hiện lấy từ đâu?", "Kinh phí thực hiện lấy từ đâu?"),
    ("Ai chủ trì tuyên truyền về biển đảo ở Gia Lai?", "Ai chủ trì tuyên truyền về biển đảo ở Gia Lai?"),
])
def test_follow_ups_after_a_who_question(follow_up, expected):
    assert standalone_question(follow_up, [COMMENDATION], KNOWN) == expected


@pytest.mark.parametrize("follow_up, expected", [
    ("Còn Quảng Ngãi thì sao?", "Kế hoạch của Quảng Ngãi do ai ký?"),
    ("Ban hành ngày nào?", "Kế hoạch của Gia Lai ban hành ngày nào?"),
    ("Còn kinh phí thì sao?", "Kinh phí ở Gia Lai?"),
])
def test_follow_ups_after_a_document_question(follow_up, expected):
    assert standalone_question(follow_up, [SIGNER], KNOWN) == expected


def test_a_chain_of_follow_ups_keeps_the_topic_and_the_latest_province():
    history = [COMMENDATION, "Còn Bắc Giang thì sao?"]
    assert standalone_question("Thời gian thực hiện là khi nào?", history, KNOWN) == \
        "Thời gian thực hiện khen thưởng ở Bắc Giang là khi nào?"


def test_a_question_without_history_is_unchanged_but_cleaned():
    assert standalone_question("  Còn Bắc Giang   thì sao? ", [], KNOWN) == "Còn Bắc Giang thì sao?"


def test_a_topicless_follow_up_after_a_question_without_province_keeps_all_provinces():
    assert standalone_question("Còn Tuyên Quang?", ["Ai chịu trách nhiệm khen thưởng?"], KNOWN) == \
        "Ai chịu trách nhiệm khen thưởng ở Tuyên Quang?"
    assert standalone_question("Thời gian thực hiện là khi nào?", ["Ai chịu trách nhiệm khen thưởng?"], KNOWN) == \
        "Thời gian thực hiện khen thưởng là khi nào?"


def test_topic_leaves_out_question_words_provinces_and_pointers():
    assert topic(COMMENDATION, frozenset(KNOWN)) == "khen thưởng"
    assert topic("Tuyên Quang giao ai tổ chức hội nghị quán triệt?", frozenset(KNOWN)) == \
        "tổ chức hội nghị quán triệt"
    assert topic("Còn Bắc Giang thì sao?", frozenset(KNOWN)) == ""


def test_blank_earlier_turns_do_not_break_the_chain():
    assert standalone_question("Còn Bắc Giang thì sao?", [COMMENDATION, "", "  ", "\u200b"], KNOWN) == \
        "Ai chịu trách nhiệm khen thưởng ở Bắc Giang?"


@pytest.mark.parametrize("history, follow_up, expected", [
    # "ở đó" points at the place asked about before, not at the topic
    ([COMMENDATION, "Còn Bắc Giang thì sao?"], "Ở đó đơn vị nào phối hợp?",
     "Đơn vị nào phối hợp khen thưởng ở Bắc Giang?"),
    # "Sở đó", or "Sở" alone: the agency named before
    (["Sở Ngoại vụ Tuyên Quang có nhiệm vụ gì?"], "Sở phối hợp với cơ quan nào?",
     "Sở Ngoại vụ phối hợp với cơ quan nào ở Tuyên Quang?"),
    (["Ai là Giám đốc Sở Thông tin và Truyền thông Bắc Giang?"], "Sở đó có nhiệm vụ gì về khen thưởng?",
     "Sở Thông tin và Truyền thông có nhiệm vụ gì về khen thưởng ở Bắc Giang?"),
    # "việc quán triệt đó" names its own topic: only the place is carried over
    (["Ninh Thuận tổ chức bao nhiêu hội nghị quán triệt?"], "Ai thực hiện việc quán triệt đó?",
     "Ai thực hiện việc quán triệt ở Ninh Thuận?"),
    # "so với": both provinces, side by side
    ([COMMENDATION], "So với Bắc Giang thì thế nào?", "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận và Bắc Giang?"),
    # a question of its own that goes on from the earlier one keeps its province
    (["Bắc Giang báo cáo trước ngày nào?"], "Báo cáo gửi cơ quan nào?", "Báo cáo gửi cơ quan nào ở Bắc Giang?"),
    (["Tuyên Quang có bao nhiêu bài viết?"], "Vậy ai tổng hợp kết quả thực hiện?",
     "Ai tổng hợp kết quả thực hiện ở Tuyên Quang?"),
    # the document noun is the document: never "kế hoạch kế hoạch"
    (["Kế hoạch của Gia Lai số bao nhiêu?"], "Ai ký kế hoạch?", "Ai ký kế hoạch của Gia Lai?"),
    # a document question naming its own province stands alone
    ([COMMENDATION], "Ai ký kế hoạch của Gia Lai?", "Ai ký kế hoạch của Gia Lai?"),
    # a question of its own on another subject is left alone
    (["Bắc Giang báo cáo trước ngày nào?"], "Ai chịu trách nhiệm khen thưởng?", "Ai chịu trách nhiệm khen thưởng?"),
])
def test_pointers_back_to_the_place_the_agency_and_the_document(history, follow_up, expected):
    assert standalone_question(follow_up, history, KNOWN) == expected


def test_a_cue_typed_with_accents_is_not_matched_without_them():
    # "cơ" is not the question word "có" typed without accents: no stray "quan" is left
    assert topic("Ai tham mưu việc nâng cao trách nhiệm quản lý của các cơ quan Nhà nước?") == \
        "nâng cao trách nhiệm quản lý Nhà nước"
