import json

import pytest

from assistant import engine
from assistant.errors import AssistantError
from assistant.evaluation.run import load_questions, run_evaluation, strip_diacritics

from .conftest import FakeEmbedder

QUESTIONS = [
    {"id": "t1", "question": "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "province": "ninh-thuan",
     "docs": ["ninh-thuan-test"], "answers": ["Sở Nội vụ"], "evidence": ["Đơn vị thực hiện: Sở Nội vụ"],
     "type": "who", "variant": "plain"},
    {"id": "t2", "question": "Bac Giang bao cao truoc ngay nao?", "province": "bac-giang",
     "docs": ["bac-giang-test"], "answers": ["15/11"], "evidence": ["Định kỳ trước ngày 15/11 hằng năm"],
     "type": "when", "variant": "no-diacritics"},
    {"id": "t3", "question": "Tổng kinh phí là bao nhiêu tỷ đồng?", "province": None, "docs": [],
     "answers": [], "evidence": [], "type": "unanswerable", "variant": "plain"},
]


def test_a_run_writes_figures_for_both_systems(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda s: FakeEmbedder())
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")
    report = run_evaluation(settings, path, tmp_path / "results", log=lambda m: None)
    result = json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    overall = result["summary"]["overall"]
    assert (overall["answer_accuracy"], overall["refusal_accuracy"], overall["hit5"]) == (1.0, 1.0, 1.0)
    assert overall["verbatim"] == 1.0 and overall["baseline"]["refusal_accuracy"] == 0.0
    assert result["records"][0]["twin"]["correct"] is True  # the plain question, typed without accents
    assert report == (tmp_path / "results" / "latest.md").read_text(encoding="utf-8")
    assert "| answer accuracy (strict for list and compare) | 100.0% |" in report and "## By variant" in report


def test_follow_ups_are_asked_with_their_history_and_lists_are_scored_strictly(settings, monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda s: FakeEmbedder())
    items = [
        {"id": "f1", "question": "Còn Bắc Giang thì sao?", "history": ["Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?"],
         "province": "bac-giang", "docs": ["bac-giang-test"], "answers": ["Sở Nội vụ"],
         "evidence": ["tham mưu việc bố trí vị trí việc làm chuyên trách và khen thưởng"],
         "type": "who", "variant": "followup"},
        # one of the two expected units is in the answer: right when lenient, wrong when strict
        {"id": "l1", "question": "Ai chịu trách nhiệm khen thưởng ở Ninh Thuận?", "province": "ninh-thuan",
         "docs": ["ninh-thuan-test"], "answers": ["Sở Nội vụ", ["Sở Tài chính", "STC"]],
         "evidence": ["Đơn vị thực hiện: Sở Nội vụ"], "type": "list", "variant": "plain"},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in items), encoding="utf-8")
    run_evaluation(settings, path, tmp_path / "results", log=lambda m: None)
    result = json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    follow_up, listed = result["records"]
    assert follow_up["history"] == items[0]["history"]
    assert follow_up["interpreted_as"] == "Ai chịu trách nhiệm khen thưởng ở Bắc Giang?"
    assert follow_up["correct"] is True and "twin" not in follow_up
    assert (listed["correct"], listed["correct_lenient"], listed["correct_all_items"]) == (False, True, False)
    overall = result["summary"]["overall"]
    assert (overall["answer_accuracy"], overall["answer_accuracy_lenient"]) == (0.5, 1.0)


def test_questions_file_errors_name_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(QUESTIONS[0]) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"q.jsonl:2: không phải JSON hợp lệ"):
        load_questions(path)
    path.write_text(json.dumps({"id": "x", "question": "?"}) + "\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"q.jsonl:1: thiếu trường province, docs, answers, evidence"):
        load_questions(path)


def test_strip_diacritics_keeps_case():
    assert strip_diacritics("Đơn vị nào ở Bắc Giang?") == "Don vi nao o Bac Giang?"
