from assistant.ingest.structure import parse_sections
from assistant.ingest.text import clean_document

from .samples import PLAN_A, PLAN_B


def _by_path(text):
    return {s.display_path: s for s in parse_sections(clean_document(text))}


def test_heading_tree_with_opening_and_closing_parts():
    sections = _by_path(PLAN_A)
    assert list(sections) == ["Phần mở đầu", "I", "I › 1", "II", "II › 1", "II › 1 › 1.1", "II › 1 › 1.2",
                              "IV", "IV › 1", "Nơi nhận"]
    assert sections["II › 1"].end == sections["IV"].start


def test_task_lines_become_fields_with_their_words_and_spans():
    task = _by_path(PLAN_A)["II › 1 › 1.1"]
    lead, coordinating, timeline = task.fields
    assert (lead.role, lead.label, lead.value) == ("lead", "Đơn vị thực hiện", "Sở Nội vụ.")
    assert coordinating.value == "Ban Tuyên giáo Tỉnh ủy; Sở Thông tin và Truyền thông."
    assert timeline.value == "Hàng năm."
    text = clean_document(PLAN_A)
    assert text[lead.start:lead.end] == "- Đơn vị thực hiện: Sở Nội vụ."


def test_a_heading_that_names_a_unit_is_its_lead_with_its_partner():
    sections = _by_path(PLAN_B)
    assert sections["VI › 1"].field("lead").value == "Sở Tài chính"
    unit = sections["VI › 2"]
    assert unit.field("lead").value == "Sở Nội vụ"
    assert unit.field("coordinating").value == "Sở Thông tin và Truyền thông"


def test_directing_and_advising_bodies_apply_to_subsections_too():
    text = ("III. NỘI DUNG\n1. Tăng cường phối hợp\n- Nâng cao trách nhiệm quản lý.\n\n"
            "Cơ quan chỉ đạo: Ban Thường vụ Tỉnh ủy.\n\n"
            "Cơ quan tham mưu, thực hiện: Ban cán sự đảng Ủy ban nhân dân tỉnh.\n\nThời gian thực hiện: Thường xuyên.\n"
            "1.1. Phát huy vai trò của Ban Chỉ đạo.\n\nThời gian thực hiện: Năm 2024.\n")
    sections = _by_path(text)
    assert [(f.role, f.value) for f in sections["III › 1"].fields] == [
        ("timeline", "Thường xuyên."), ("directing", "Ban Thường vụ Tỉnh ủy."),
        ("advising", "Ban cán sự đảng Ủy ban nhân dân tỉnh.")]
    assert [(f.role, f.value) for f in sections["III › 1 › 1.1"].fields] == [
        ("timeline", "Năm 2024."), ("directing", "Ban Thường vụ Tỉnh ủy."),
        ("advising", "Ban cán sự đảng Ủy ban nhân dân tỉnh.")]


def test_a_task_without_lines_shares_those_of_the_next_task():
    text = ("II. NHIỆM VỤ\n2. Phối hợp\n2.1. Thực hiện tốt quy chế.\n2.2. Tăng cường phối hợp.\n"
            "- Đơn vị thực hiện: Sở Thông tin và Truyền thông.\n")
    sections = _by_path(text)
    assert sections["II › 2 › 2.1"].field("lead") == sections["II › 2 › 2.2"].field("lead")


def test_assignment_headings_of_a_letter():
    text = ("1. Các sở, ban, ngành; Ủy ban nhân dân huyện, thành phố:\n- Tiếp tục triển khai.\n"
            "2. Giao Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở:\n- Rà soát.\n"
            "4. Sở Ngoại vụ: Chủ trì, phối hợp với Sở Thông tin và Truyền thông cung cấp thông tin.\n"
            "5. Tăng cường công tác kiểm tra, giám sát việc thực hiện các nhiệm vụ được giao trong năm.\n")
    sections = _by_path(text)
    assert sections["1"].field("lead").value == "Các sở, ban, ngành; Ủy ban nhân dân huyện, thành phố"
    assert sections["2"].field("lead").value == "Sở Thông tin và Truyền thông"
    assert sections["4"].field("lead").value == "Sở Ngoại vụ"
    assert sections["4"].field("coordinating").value == "Sở Thông tin và Truyền thông"
    assert sections["5"].fields == ()


def test_legal_texts_nest_articles_in_chapters_and_clauses_in_articles():
    text = ("NGHỊ ĐỊNH\n\nChương I\nQUY ĐỊNH CHUNG\n\nĐiều 1. Phạm vi điều chỉnh\nNghị định này quy định về văn thư.\n\n"
            "Điều 2. Đối tượng áp dụng\n1. Cơ quan nhà nước.\n2. Doanh nghiệp nhà nước.\n\n"
            "CHƯƠNG II: TỔ CHỨC THỰC HIỆN\n\nĐiều 3. Hiệu lực\nCó hiệu lực từ ngày ký.\n\nNơi nhận:\n- Lưu: VT.\n\n"
            "QUY ĐỊNH KÈM THEO\n\nChương I\nPHẠM VI\n\nĐiều 1. Đối tượng\nSinh viên.\n")
    paths = [(s.display_path, s.title) for s in parse_sections(text)]
    assert paths == [
        ("Phần mở đầu", "Phần mở đầu"), ("Chương I", "QUY ĐỊNH CHUNG"), ("Chương I › Điều 1", "Phạm vi điều chỉnh"),
        ("Chương I › Điều 2", "Đối tượng áp dụng"), ("Chương I › Điều 2 › 1", "Cơ quan nhà nước."),
        ("Chương I › Điều 2 › 2", "Doanh nghiệp nhà nước."), ("Chương II", "TỔ CHỨC THỰC HIỆN"),
        ("Chương II › Điều 3", "Hiệu lực"), ("Nơi nhận", "Nơi nhận"), ("Chương I", "PHẠM VI"),
        ("Chương I › Điều 1", "Đối tượng"),
    ]
