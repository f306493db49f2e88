import pytest

from assistant.evaluation.metrics import (
    contains_all,
    contains_any,
    evidence_rank,
    evidence_recall,
    mcnemar_exact,
    normalise,
    percentile,
    proportion,
    rate,
    wilson_interval,
)


def test_normalise_ignores_markup_case_spaces_and_tone_placement():
    assert normalise("**Thời gian  thực hiện:** Hoá") == normalise("thời gian thực hiện: hóa")


def test_contains_any():
    assert contains_any("Ninh Thuận: Đơn vị thực hiện: Sở Nội vụ.", ["sở nội  vụ", "x"])
    assert not contains_any("Sở Tài chính", ["Sở Nội vụ"])


def test_contains_all_needs_every_item_and_accepts_any_spelling_of_one():
    answer = "Sở TT&TT chủ trì; Công an tỉnh phối hợp."
    assert contains_all(answer, [["Sở Thông tin và Truyền thông", "Sở TT&TT"], "công an tỉnh"])
    assert not contains_all(answer, [["Sở Thông tin và Truyền thông", "Sở TT&TT"], "Sở Nội vụ"])
    assert contains_any(answer, [["Sở Thông tin và Truyền thông", "Sở TT&TT"], "Sở Nội vụ"])
    assert not contains_all(answer, [])


def test_evidence_rank_is_the_first_quote_holding_a_span():
    quotes = ["không liên quan", "- Đơn vị thực hiện: Sở Nội vụ.", "Sở Nội vụ"]
    assert evidence_rank(quotes, ["Đơn vị thực hiện: Sở Nội vụ"]) == 2
    assert evidence_rank(quotes, ["Sở Tài chính"]) is None


def test_evidence_recall_counts_spans_found():
    assert evidence_recall(["a b c", "d"], ["b", "d", "z", "y"]) == 0.5


def test_rate_and_nearest_rank_percentile():
    assert rate([True, False, True, True]) == 0.75 and rate([]) is None
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile([10.0, 20.0, 30.0, 40.0], 95) == 40.0


def test_wilson_interval_by_hand():
    # z = 1.959964; 136 of 151: p = 0.9007, centre (p + z²/302) / (1 + z²/151) = 0.8907,
    # half-width z·√(p(1−p)/151 + z²/(4·151²)) / (1 + z²/151) = 0.0482: 84.3–93.9%
    assert wilson_interval(136, 151) == pytest.approx((0.84257, 0.93887), abs=1e-5)
    # 7 of 9: centre 0.6910, half-width 0.2421: 45.3–93.7%, the "45–94%"
    assert wilson_interval(7, 9) == pytest.approx((0.45259, 0.93677), abs=1e-5)
    # at the edges the interval stays in [0, 1]: 0 of n reaches z²/(n + z²)
    assert wilson_interval(0, 1) == pytest.approx((0.0, 3.841459 / 4.841459))
    assert wilson_interval(3, 3) == pytest.approx((3 / 6.841459, 1.0))
    assert wilson_interval(0, 0) is None


def test_a_proportion_keeps_its_counts_interval_and_size():
    assert proportion([True, False, True, True]) == {
        "successes": 3, "total": 4, "rate": 0.75, "low": pytest.approx(0.30064, abs=1e-5),  # 0.6275 ∓ 0.3269
        "high": pytest.approx(0.95441, abs=1e-5), "small": True}
    assert proportion([True] * 10)["small"] is False and proportion([]) is None


def test_mcnemar_exact_by_hand():
    # two-sided exact binomial test of the discordant pairs, p = ½
    assert mcnemar_exact(10, 0) == pytest.approx(2 / 2 ** 10)  # 0.00195
    assert mcnemar_exact(0, 10) == pytest.approx(2 / 2 ** 10)
    assert mcnemar_exact(4, 7) == pytest.approx(2 * (1 + 11 + 55 + 165 + 330) / 2 ** 11)  # 0.549
    assert mcnemar_exact(1, 0) == 1.0 and mcnemar_exact(0, 0) == 1.0
    assert mcnemar_exact(5, 5) == 1.0
