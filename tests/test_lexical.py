from assistant.index.lexical import (QueryTerms, _one_edit, accented_tokens, coverage, folded_tokens, text_keys,
                                    word_keys, word_tokens)


def test_word_tokens_segment_words_and_keep_codes():
    assert word_tokens("Sở Nội vụ chủ trì khen thưởng trước ngày 15/11") == [
        "sở", "nội_vụ", "chủ_trì", "khen_thưởng", "trước", "ngày", "15/11"]


def test_abbreviations_are_expanded_but_not_inside_codes():
    assert word_tokens("UBND tỉnh") == ["ủy_ban", "nhân_dân", "tỉnh"]
    assert "157/kh-ubnd" in word_tokens("Kế hoạch 157/KH-UBND")


def test_folded_tokens_are_syllables_and_bigrams_without_accents():
    assert folded_tokens("Khen thưởng") == ["khen", "thuong", "khen_thuong"]
    assert folded_tokens("ai khen", drop_stop=True) == ["khen", "ai_khen"]


def test_word_keys_match_words_as_units():
    assert word_keys("thực_phẩm") == ("thuc_pham",)
    assert word_keys("sở") == ("so",)


def test_query_terms_drop_stop_words_and_add_synonyms():
    terms = QueryTerms.of("những việc biểu dương ở tỉnh")
    assert terms.content[0][:3] == (("~khen_thưởng",), ("~biểu_dương",), ("~tôn_vinh",))
    assert ("~tỉnh",) in terms.content[1]
    assert "khen_thưởng" in terms.words and "việc" not in terms.words


def test_a_named_agency_is_required():
    terms = QueryTerms.of("Sở Ngoại vụ làm gì")
    assert terms.required[0][0] == ("~sở_ngoại", "~ngoại_vụ")
    assert terms.content == ()


def test_english_questions_keep_only_terms_the_glossary_translates():
    terms = QueryTerms.of("which agency checks confidentiality under decree 72", english=True)
    # each group's first expression, spelt as the thesaurus spells it
    assert [item[0] for item in terms.content] == [("~giám_sát",), ("~bảo_mật",), ("~nghị_định",), ("72",)]


def test_coverage_weighs_items_by_idf():
    idf = {"khen_thuong": 3.0, "tinh": 1.0, "bieu_duong": 2.0}.get
    items = ((("khen_thuong",), ("bieu_duong",)), (("tinh",),))
    # "biểu dương" stands in for "khen thưởng" (weight 3 of 4); "tỉnh" is missing
    assert coverage(items, {"bieu_duong"}.__contains__, idf) == 0.75
    assert coverage(items, {"tinh"}.__contains__, idf) == 0.25
    assert coverage((), set().__contains__, idf) == 0.0


def test_one_edit_covers_the_common_typos():
    edits = _one_edit("nghanh")
    assert {"nganh", "nhganh"} <= edits and "nghanh" not in edits
    assert "khuyen_khich" in _one_edit("khuyen_kich")


def test_a_word_is_looked_up_with_diacritics_only_where_it_was_typed_with_them():
    typed = "giá vé máy bay"
    terms = QueryTerms.of(typed, typed)
    assert terms.content == ((("~giá",),), (("~vé",),), (("~máy_bay",),))
    keys = {k for item in terms.content for alt in item for k in alt}
    assert not keys & text_keys("Gia Lai về máy")  # folded keys "gia", "ve" would match this
    restored = QueryTerms.of("hình ảnh", "hinh anh")  # accents restored by us, not typed
    assert restored.content == ((("hinh_anh",),),)


def test_text_keys_hold_both_forms():
    assert accented_tokens("Khen thưởng") == ["~khen", "~thưởng", "~khen_thưởng"]
    assert {"khen_thuong", "~khen_thưởng"} <= text_keys("Khen thưởng")
