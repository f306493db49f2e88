import pytest

from assistant.query.question import analyse, content, is_english


@pytest.mark.parametrize("question, kind, detail", [
    ("Ai chịu trách nhiệm khen thưởng?", "who", ("lead",)),
    ("ai chiu trach nhiem khen thuong", "who", ("lead",)),
    ("Đơn vị nào phối hợp với Sở Nội vụ?", "who", ("coordinating",)),
    ("Cơ quan nào tham mưu bố trí vị trí việc làm?", "who", ("advising",)),
    ("Nhiệm vụ khen thưởng thực hiện khi nào?", "when", ("timeline",)),
    ("Ai chủ trì và thời gian thực hiện là khi nào?", "who", ("lead", "timeline")),
    ("Bắc Giang báo cáo trước ngày nào?", "when", ("timeline",)),
    ("Ai ký kế hoạch của Bắc Giang?", "metadata", ("signer",)),
    ("Kế hoạch của Gia Lai số bao nhiêu?", "metadata", ("number",)),
    ("Kế hoạch được ban hành vào tháng mấy?", "metadata", ("date",)),
    ("Kế hoạch của Bắc Giang thay thế kế hoạch nào?", "metadata", ("replaces",)),
    ("Công văn được gửi đến những cơ quan nào?", "metadata", ("recipients",)),
    ("Bắc Giang bố trí ít nhất bao nhiêu vị trí việc làm?", "count", ()),
    ("Bắc Giang đặt hàng phim bằng những thứ tiếng nào?", "list", ()),
    ("Nhiệm vụ 5.1 thông tin về hợp tác với những ai?", "list", ()),
    ("Ban Chỉ đạo 35 có vai trò gì?", "what", ()),
])
def test_intents(question, kind, detail):
    intent = analyse(question)
    assert intent.kind == kind
    assert (intent.meta if kind == "metadata" else intent.roles) == detail


def test_two_provinces_make_a_comparison():
    assert analyse("Ai ký?", provinces_named=2).compare
    assert analyse("Các tỉnh triển khai theo phương châm gì?").compare


def test_plural_units_may_ask_for_a_list():
    assert analyse("Phần tổ chức thực hiện giao nhiệm vụ cho những sở nào?").plural


def test_content_drops_question_words_typed_either_way():
    assert content("Ai chịu trách nhiệm khen thưởng?") == "khen thưởng?"
    assert content("ai chiu trach nhiem khen thuong") == "khen thuong"
    assert content("Hạn báo cáo định kỳ của tỉnh là khi nào?") == "báo cáo định kỳ của tỉnh là ?"


def test_content_keeps_a_named_plan_but_not_the_plan_asked_about():
    assert content("Theo kế hoạch, Kế hoạch số 240-KH/TU ban hành ngày nào?") == \
        ", Kế hoạch số 240-KH/TU ban hành ?"


def test_english_questions():
    assert is_english("Who is responsible for commendation?")
    assert not is_english("ai chiu trach nhiem khen thuong")
    assert analyse("Which agency checks compliance?").kind == "who"
