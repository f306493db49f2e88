from assistant.index.accents import AccentRestorer


def test_corpus_spellings_win_and_pyvi_fills_the_rest():
    restorer = AccentRestorer.build(["Bắc Giang báo cáo trước ngày 15/11 hằng năm.", "Sở Nội vụ chủ trì."])
    assert restorer.restore("Bac Giang bao cao truoc ngay nao?") == "Bắc Giang báo cáo trước ngày nào?"
    assert restorer.restore("so noi vu chu tri") == "sở nội vụ chủ trì"


def test_punctuation_breaks_a_run_of_syllables():
    restorer = AccentRestorer({"bac giang": "bắc giang", "giang": "giang"})
    assert restorer.restore("Bac, Giang") .split(",")[1] == " Giang"


def test_in_a_question_with_accents_only_runs_of_unaccented_words_are_restored():
    restorer = AccentRestorer.build(["Bắc Giang báo cáo định kỳ.", "Thời gian thực hiện khi nào."])
    assert restorer.restore("Bắc Giang tổ chức bao nhiêu lớp?") == "Bắc Giang tổ chức bao nhiêu lớp?"
    assert restorer.restore("Nhiệm vụ đổi mới thực hiện khi nao?") == "Nhiệm vụ đổi mới thực hiện khi nào?"
    assert restorer.restore("Sở nao chủ trì?") == "Sở nào chủ trì?"


def test_question_phrases_come_first_but_a_lone_word_yields_to_a_corpus_phrase():
    restorer = AccentRestorer.build(["Báo cáo định kỳ hằng năm.", "Báo chí và báo cáo."])
    assert restorer.restore("bao cao dinh ky la bao nhieu") == "báo cáo định kỳ là bao nhiêu"
    assert restorer.restore("ai ky") == "ai ký"
