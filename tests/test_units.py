import pytest

from assistant.ingest.units import display_name, find_units, is_collective, unit_key


def _units(text):
    return [text[start:end] for start, end in find_units(text)]


def test_a_list_of_units_is_split_where_a_new_unit_begins():
    assert _units("Sở Văn hóa, Thể thao và Du lịch; Sở Kế hoạch và Đầu tư; các Sở, ban, ngành liên quan; "
                  "UBND các huyện, thành phố.") == [
        "Sở Văn hóa, Thể thao và Du lịch", "Sở Kế hoạch và Đầu tư", "các Sở, ban, ngành liên quan",
        "UBND các huyện, thành phố"]
    assert _units("Báo Ninh Thuận, Đài Phát thanh và Truyền hình tỉnh, Tạp chí Văn nghệ Ninh Thuận.") == [
        "Báo Ninh Thuận", "Đài Phát thanh và Truyền hình tỉnh", "Tạp chí Văn nghệ Ninh Thuận"]
    assert _units("Văn phòng UBND tỉnh chủ trì, phối hợp với Sở, ban ngành và Ủy ban nhân dân các huyện, "
                  "thành phố.") == ["Văn phòng UBND tỉnh", "Sở, ban ngành", "Ủy ban nhân dân các huyện, thành phố"]


def test_a_name_ends_at_the_verb_after_it():
    assert _units("Các sở, ban, ngành cấp tỉnh; UBND các huyện, thành phố chủ động triển khai thực hiện.") == [
        "Các sở, ban, ngành cấp tỉnh", "UBND các huyện, thành phố"]
    assert _units("báo cáo kết quả thực hiện về Sở thông tin và Truyền thông để theo dõi") == [
        "Sở thông tin và Truyền thông"]
    assert _units("phối hợp với các đơn vị liên quan cung cấp thông tin có định hướng") == ["các đơn vị liên quan"]
    assert _units("Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan tổ chức tuyên truyền") == [
        "Ban Tuyên giáo Tỉnh ủy", "các cơ quan liên quan"]


def test_a_noun_that_is_also_a_verb_stays_in_a_list():
    assert _units("Các cấp ủy, tổ chức đảng, cơ quan, đơn vị, địa phương chủ động triển khai") == [
        "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị, địa phương"]
    assert _units("Ban Chỉ đạo 35 tỉnh; các Ban cán sự đảng, Đảng đoàn; các cơ quan chuyên trách tham mưu, "
                  "giúp việc Tỉnh ủy; Ban Thường vụ Tỉnh đoàn.") == [
        "Ban Chỉ đạo 35 tỉnh", "các Ban cán sự đảng, Đảng đoàn",
        "các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy", "Ban Thường vụ Tỉnh đoàn"]


def test_words_that_only_look_like_units_are_not_units():
    assert _units("Báo cáo kết quả hằng năm; Hội nghị toàn quốc; các hoạt động giao lưu.") == []


def test_spans_index_the_text_given_within_bounds():
    text = "- Đơn vị thực hiện: Sở Nội vụ. Thời gian: Hàng năm."
    spans = find_units(text, text.index("Sở"), text.index("Thời"))
    assert [text[s:e] for s, e in spans] == ["Sở Nội vụ"]


@pytest.mark.parametrize("names", [
    ("Sở TT&TT", "Sở Thông tin và Truyền thông", "Sở Thông tin và truyền thông", "Sở thông tin và Truyền thông"),
    ("UBND các huyện, thành phố", "Ủy ban nhân dân các huyện, thị xã, thành phố", "UBND huyện, thành phố, thị xã",
     "Uỷ ban nhân dân huyện, thành phố"),
    ("Công an tỉnh", "Công an tỉnh Bắc Giang", "Công an Tỉnh"),
    ("Các sở, ban, ngành", "các Sở, ban ngành", "các sở, ban, ngành thuộc tỉnh", "Các sở, ban, ngành cấp tỉnh",
     "các Sở, ban, ngành liên quan", "các ban, sở, ngành"),
    ("các ban, sở, ngành, địa phương", "các sở, ban, ngành, địa phương"),
    ("Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh uỷ", "BTG Tỉnh ủy"),
    ("Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh Gia Lai"),
    ("Đài PT-TH Gia Lai", "Đài Phát thanh - Truyền hình tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
    ("Sở VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở Văn hoá, Thể thao và Du lịch"),
])
def test_spellings_of_one_unit_share_a_key(names):
    assert len({unit_key(n) for n in names}) == 1, [unit_key(n) for n in names]


@pytest.mark.parametrize("one, other", [
    ("Sở Nội vụ", "Sở Ngoại vụ"),
    ("Ban Tuyên giáo Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"),
    ("Ủy ban nhân dân tỉnh", "Ủy ban nhân dân các huyện, thành phố"),
    ("Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh đoàn"),
    ("Bộ Thông tin và Truyền thông", "Sở Thông tin và Truyền thông"),
])
def test_different_units_keep_different_keys(one, other):
    assert unit_key(one) != unit_key(other)


def test_the_label_is_the_most_used_spelling_without_a_province_name():
    assert display_name(["Sở Thông tin và Truyền thông", "Sở thông tin và Truyền thông",
                         "Sở Thông tin và Truyền thông"]) == "Sở Thông tin và Truyền thông"
    assert display_name(["Công an tỉnh Bắc Giang", "Công an tỉnh"]) == "Công an tỉnh"
    assert display_name(["Báo Ninh Thuận", "Báo Gia Lai"]) == "Báo tỉnh"
    assert display_name(["các sở, ban, ngành", "các sở, ban, ngành"]) == "Các sở, ban, ngành"
    assert display_name(["Văn phòng UBND tỉnh", "Văn phòng Ủy ban nhân dân tỉnh"]) == \
        "Văn phòng Ủy ban nhân dân tỉnh"
    assert display_name([]) == ""


def test_a_plural_unit_on_its_own():
    assert _units("Yêu cầu các sở báo cáo") == ["các sở"]


def test_tham_muu_is_a_verb_unless_it_names_a_kind_of_body():
    assert _units("phối hợp với các ban, sở, ngành, địa phương tham mưu UBND tỉnh ban hành văn bản") == [
        "các ban, sở, ngành, địa phương", "UBND tỉnh"]
    assert _units("các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy") == [
        "các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy"]


def test_a_name_ends_before_trinh():
    assert _units("dự toán ngân sách của các cơ quan, đơn vị, địa phương, trình cấp có thẩm quyền quyết định") == [
        "các cơ quan, đơn vị, địa phương"]


def test_local_press_is_one_unit_but_localities_listed_stay_a_list():
    assert unit_key("các cơ quan báo chí địa phương") == unit_key("các cơ quan báo chí trên địa bàn tỉnh")
    assert unit_key("Các đơn vị, địa phương") != unit_key("Các đơn vị")
    assert unit_key("các sở, ban, ngành và địa phương") == unit_key("các ban, sở, ngành, địa phương")


def test_collective_names_name_a_kind_of_body():
    assert [is_collective(n) for n in ("các cơ quan liên quan", "Các sở, ngành, đơn vị liên quan", "Sở Tài chính",
                                       "các cơ quan báo chí", "UBND các huyện, thành phố")] == [
        True, True, False, False, False]
