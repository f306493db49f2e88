from assistant.ingest.provinces import by_slug, find_provinces, remove_province_names

KNOWN = frozenset({"gia-lai", "bac-giang", "ninh-thuan"})


def _slugs(text):
    return [p.slug for p in find_provinces(text, KNOWN)]


def test_province_names_with_or_without_diacritics():
    assert _slugs("Ai ký kế hoạch ở Gia Lai?") == ["gia-lai"]
    assert _slugs("ai ky ke hoach gia lai") == ["gia-lai"]
    assert _slugs("So sánh Bắc Giang và Ninh Thuận") == ["bac-giang", "ninh-thuan"]


def test_a_common_phrase_is_not_a_province_unless_meant_as_one():
    assert _slugs("đấu tranh với âm mưu diễn biến hòa bình") == []
    assert _slugs("kế hoạch của tỉnh Hòa Bình") == ["hoa-binh"]
    assert _slugs("ke hoach o hoa binh") == ["hoa-binh"]


def test_longest_name_wins():
    assert _slugs("Thừa Thiên Huế") == ["thua-thien-hue"]


def test_removing_names_keeps_the_rest_of_the_question():
    named = find_provinces("Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", KNOWN)
    assert remove_province_names("Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", named) == \
        "Ai chịu trách nhiệm khen thưởng ?"


def test_slugs():
    assert by_slug("ba-ria-vung-tau").name == "Bà Rịa - Vũng Tàu"
    assert by_slug("atlantis") is None


def test_a_syllable_typed_with_diacritics_must_carry_the_names_own():
    # failure class 1: "Diễn biến" folds to "dien bien" but is not Điện Biên
    assert _slugs("Ai đấu tranh với âm mưu “Diễn biến hòa bình” trong quân đội?") == []
    assert _slugs("Kế hoạch của Điện Biên") == ["dien-bien"]
    assert _slugs("ke hoach cua Dien Bien") == ["dien-bien"]
    assert _slugs("Giá vé máy bay đi Gia Lai là bao nhiêu?") == ["gia-lai"]
    assert _slugs("giá lải") == []  # accented, and not the name's accents
    assert _slugs("Ninh Thuan va Bắc Giang") == ["ninh-thuan", "bac-giang"]  # mixed typing
