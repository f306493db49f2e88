"""`eval --compare` on hand-made runs: the paired exact test and its verdict, the refusal
of runs over different question sets or corpora, the warning when they are allowed,
and the three outputs (Markdown, HTML, JSON)."""

import json

import pytest

from assistant.errors import AssistantError
from assistant.evaluation.compare import comparison, load_result, render, write_comparison

from .test_report import RECORDS, _record, _result


def _runs(before: list[bool], after: list[bool], **after_options) -> tuple[dict, dict]:
    """Two runs of the same questions: item i right in A iff before[i], in B iff after[i]."""
    a = _result([_record(f"q{i}", right) for i, right in enumerate(before)])
    b = _result([_record(f"q{i}", right, answer="Sở Tài chính" if not right else "Đơn vị thực hiện: Sở Nội vụ")
                 for i, right in enumerate(after)], run_at="2026-12-02T10:00:00+00:00", **after_options)
    return a, b


def test_ten_items_broken_and_none_fixed_is_worse_at_p_0_002():
    # only the 10 discordant items count; under no difference each is a fair coin:
    # p = 2 × P(X ≤ 0 | n = 10, ½) = 2 / 2¹⁰ = 0.00195
    a, b = _runs([True] * 30, [False] * 10 + [True] * 20)
    cmp = comparison(a, b)
    assert cmp["verdict"] == {"items": 30, "only_a": 10, "only_b": 0, "p": pytest.approx(2 / 1024),
                              "verdict": "kém hơn"}
    text = render(cmp, a, b)
    assert ("Trên 30 câu chung: 0 câu sai → đúng, 10 câu đúng → sai (kiểm định McNemar chính xác, hai phía, "
            "p = 0,002): B **kém hơn** so với A (ngưỡng p < 0,05).") in text
    assert ("| Trả lời đúng (nghiêm) | 100,0% (88,6–100,0) | 66,7% (48,8–80,8) | -33,3 điểm % | "
            "chỉ ở A 10, chỉ ở B 0; p = 0,002: kém hơn |") in text


def test_one_item_of_difference_means_nothing():
    a, b = _runs([False, True, True], [True, True, True])
    cmp = comparison(a, b)
    assert cmp["verdict"] == {"items": 3, "only_a": 0, "only_b": 1, "p": 1.0,
                              "verdict": "không khác biệt có ý nghĩa"}
    assert "(kiểm định McNemar chính xác, hai phía, p = 1): B **không khác biệt có ý nghĩa** so với A" in \
        render(cmp, a, b)


def test_seven_fixed_against_four_broken_is_no_significant_difference():
    # p = 2 × (C(11,0) + … + C(11,4)) / 2¹¹ = 2 × 562 / 2048 = 0.549
    a, b = _runs([False] * 7 + [True] * 4 + [True] * 5, [True] * 7 + [False] * 4 + [True] * 5)
    verdict = comparison(a, b)["verdict"]
    assert (verdict["only_b"], verdict["only_a"], round(verdict["p"], 4)) == (7, 4, 0.5488)
    assert verdict["verdict"] == "không khác biệt có ý nghĩa"


def test_fewer_false_refusals_is_better():
    """A share where lower is better: refusing wrongly in A only counts for B."""
    a = _result([_record(f"q{i}", False, found=False) for i in range(8)])
    b = _result([_record(f"q{i}", True) for i in range(8)])
    row = next(r for r in comparison(a, b)["figures"] if r["key"] == "false_refusal")
    # p = 2 / 2⁸ = 0.0078
    assert row["test"] == {"items": 8, "only_a": 8, "only_b": 0, "p": pytest.approx(2 / 256), "verdict": "tốt hơn"}


def test_a_share_conditioned_on_each_runs_answers_is_not_paired():
    """High-confidence accuracy counts different items in each run: no paired test."""
    a, b = _runs([True, False, True], [True, True, False])
    rows = {r["key"]: r for r in comparison(a, b)["figures"]}
    assert rows["accuracy_high"]["test"] is None and rows["latency_p50_ms"]["test"] is None
    assert rows["hit1"]["test"]["items"] == 3


def test_runs_over_different_question_sets_are_refused_in_one_line():
    a = _result(RECORDS)
    b = _result([*RECORDS[:3], _record("q9", True)])
    with pytest.raises(AssistantError) as refused:
        comparison(a, b)
    assert str(refused.value) == ("không so sánh hai lần chạy: bộ câu hỏi khác nhau (A 4 câu, B 4 câu, 3 câu chung); "
                                  "thêm --allow-different để vẫn so trên các câu chung (kèm cảnh báo)")
    renamed = _result([*RECORDS[:3], _record("q4", False, question="Một câu khác?")])
    with pytest.raises(AssistantError, match=r"bộ câu hỏi khác nhau \(A 4 câu, B 4 câu, 3 câu chung\)"):
        comparison(a, renamed)


def test_runs_over_different_corpora_are_refused_unless_their_hashes_cannot_be_compared():
    a, b = _result(RECORDS), _result(RECORDS)
    a["index_manifest"].update(format_version=6, corpus_hash="1" * 64)
    b["index_manifest"].update(format_version=6, corpus_hash="2" * 64)
    with pytest.raises(AssistantError, match=r"^không so sánh hai lần chạy: bộ văn bản khác nhau "
                                             r"\(mã băm 111111111111 và 222222222222\); thêm --allow-different"):
        comparison(a, b)
    assert comparison(a, b, allow_different=True)["warning"] == (
        "Cảnh báo: hai lần chạy đo trên những thứ khác nhau: bộ văn bản khác nhau (mã băm 111111111111 và "
        "222222222222). Hai lần chạy trả lời từ hai bộ văn bản khác nhau: một khác biệt có thể do văn bản, "
        "không do trợ lý.")
    b["index_manifest"]["format_version"] = 5  # hashed another way: unknown, not different
    assert comparison(a, b)["warning"] is None


def test_allowed_differences_head_every_output(tmp_path):
    a = _result(RECORDS)
    b = _result([*RECORDS[:3], _record("q9", True)], commit="b" * 40)
    text = write_comparison(a, b, "a", "b", tmp_path, allow_different=True)
    warning = ("Cảnh báo: hai lần chạy đo trên những thứ khác nhau: bộ câu hỏi khác nhau (A 4 câu, B 4 câu, "
               "3 câu chung). Chỉ số tổng của A và B tính trên các câu khác nhau, không so trực tiếp được; "
               "kiểm định cặp chỉ tính trên 3 câu chung.")
    assert text.startswith(f"**{warning}**\n\nSo sánh hai lần chạy: A = a, B = b\n")
    assert (tmp_path / "compare.md").read_text(encoding="utf-8") == text
    html = (tmp_path / "compare.html").read_text(encoding="utf-8")
    assert html.split("<body>\n")[1].startswith(f'<p class="warning" id="different">{warning}</p>')
    saved = json.loads((tmp_path / "compare.json").read_text(encoding="utf-8"))
    assert saved["warning"] == warning and saved["only_b"] == ["q9"] and saved["only_a"] == ["q4"]
    assert "Chỉ có ở A: 1 câu (q4); chỉ có ở B: 1 câu (q9)." in text


def test_compare_prints_changed_conditions_figures_and_flipped_items(tmp_path):
    before = _result(RECORDS)
    after_records = [_record("q1", False, answer="Sở Tài chính"), *RECORDS[1:3], _record("q4", True)]
    after = _result(after_records, run_at="2026-12-02T10:00:00+00:00", commit="b" * 40)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "latest.json").write_text(json.dumps(before), encoding="utf-8")
    a = load_result(tmp_path / "a")
    text = render(comparison(a, after, "a", "b"), a, after)
    assert text.startswith("So sánh hai lần chạy: A = a, B = b\n")
    assert f"- commit: {'a' * 40} → {'b' * 40}" in text and "- chạy lúc: " in text
    assert "- thiết lập chunk_size" not in text  # unchanged conditions are not listed
    assert ("| Trả lời đúng (nghiêm) | 33,3% (6,1–79,2) | 33,3% (6,1–79,2) | +0,0 điểm % | chỉ ở A 1, chỉ ở B 1; "
            "p = 1: không khác biệt có ý nghĩa | 0,0% (0,0–56,1) | 0,0% (0,0–56,1) |") in text
    assert "| Từ chối nhầm | 33,3% (6,1–79,2) | 0,0% (0,0–56,1) | -33,3 điểm % | chỉ ở A 1, chỉ ở B 0; p = 1:" in text
    assert "## Câu đổi kết quả: 1 sai → đúng, 1 đúng → sai" in text
    fixed, broken = text.split("### Sai → đúng\n")[1].split("### Đúng → sai\n")
    assert fixed.splitlines()[1:4] == ["- `q4` (who, plain) Câu hỏi q4?", "  A: từ chối",
                                       "  B: «Đơn vị thực hiện: Sở Nội vụ»"]
    assert broken.splitlines()[1:4] == ["- `q1` (who, plain) Câu hỏi q1?", "  A: «Đơn vị thực hiện: Sở Nội vụ»",
                                       "  B: «Sở Tài chính»"]
    assert "cùng câu trả lời" not in text and "Chỉ có ở" not in text


def test_compare_says_when_a_flip_comes_from_the_scoring_not_the_answer():
    before = _result([_record("q1", True)])
    after = _result([_record("q1", False)])  # the same answer, now scored wrong
    text = render(comparison(before, after), before, after)
    assert "  (cùng câu trả lời: kết quả đổi vì cách chấm hoặc đáp án mong đợi đổi)" in text


def test_compare_says_what_it_cannot_read(tmp_path):
    with pytest.raises(AssistantError, match="không đọc được kết quả .*latest.json"):
        load_result(tmp_path)
    (tmp_path / "x.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(AssistantError, match="không phải kết quả của assistant eval"):
        load_result(tmp_path / "x.json")
