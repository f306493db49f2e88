from assistant.accents import AccentRestorer


def test_corpus_spellings_win_and_pyvi_fills_the_rest():
    restorer = AccentRestorer.build(["Bắc Giang báo cáo trước ngày 15/11 hằng năm.", "Sở Nội vụ chủ trì."])
    assert restorer.restore("Bac Giang bao cao truoc ngay nao?") == "Bắc Giang báo cáo trước ngày nào?"
    assert restorer.restore("so noi vu chu tri") == "sở nội vụ chủ trì"


def test_punctuation_breaks_a_run_of_syllables():
    restorer = AccentRestorer({"bac giang": "bắc giang", "giang": "giang"})
    assert restorer.restore("Bac, Giang") .split(",")[1] == " Giang"
