import hashlib
import json
import os
import time
from pathlib import Path

import pytest

from assistant import engine
from assistant.errors import AssistantError
from assistant.evaluation.questions import Selection, load_questions, select, strip_diacritics
from assistant.evaluation.figures import with_proportions
from assistant.evaluation.run import run_evaluation
from assistant.evaluation.timing import TimedEmbedder
from assistant.index.embedding import identity_of, weights_of

from .conftest import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]

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


def _write(tmp_path, items) -> object:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in items), encoding="utf-8")
    return path


def _run(settings, monkeypatch, tmp_path, items, **options) -> dict:
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda s: FakeEmbedder())
    result = run_evaluation(settings, _write(tmp_path, items), tmp_path / "results", log=lambda m: None, **options)
    assert result == json.loads((tmp_path / "results" / "latest.json").read_text(encoding="utf-8"))
    return result


def test_a_run_writes_figures_for_both_systems_in_three_reports(settings, monkeypatch, tmp_path):
    result = _run(settings, monkeypatch, tmp_path, QUESTIONS)
    overall = result["summary"]["overall"]
    assert (overall["answer_accuracy"], overall["refusal_accuracy"], overall["hit5"]) == (1.0, 1.0, 1.0)
    assert overall["verbatim"] == 1.0 and overall["baseline"]["refusal_accuracy"] == 0.0
    assert result["records"][0]["twin"]["correct"] is True  # the plain question, typed without accents
    report = (tmp_path / "results" / "latest.md").read_text(encoding="utf-8")
    # 2 of 2: from n / (n + z²) = 2 / 5.84 = 34.2% to 100%
    assert "| Trả lời đúng (nghiêm) | 100,0% (34,2–100,0; 2/2) | " in report and "## Theo cách diễn đạt" in report
    assert (tmp_path / "results" / "latest.html").read_text(encoding="utf-8").count("<svg ") == 5


def test_a_run_records_its_documents_formats_and_timing_context(settings, monkeypatch, tmp_path):
    result = _run(settings, monkeypatch, tmp_path, QUESTIONS)
    first, _, refused = result["records"]
    assert (first["docs"], first["formats"], refused["docs"], refused["formats"]) == (
        ["ninh-thuan-test"], ["txt"], [], [])
    assert [k for k in result["summary"] if k.startswith(("province:", "document:", "format:"))] == [
        "province:bac-giang", "province:ninh-thuan", "province:(none)", "document:bac-giang-test",
        "document:ninh-thuan-test", "document:(none)", "format:txt", "format:(none)"]
    context = result["context"]
    assert context["wall_seconds"] > 0 and context["start"]["cpu_count"] == os.cpu_count()
    assert len(context["start"]["load_average"]) == 3 and len(context["end"]["load_average"]) == 3
    # the embedding is timed inside each ask, so it is a part of it
    assert all(0 <= r["embed_ms"] <= r["took_ms"] for r in result["records"])
    assert result["summary"]["consistency"] == {"items": 3, "embed_exceeds_ask": [], "p50_ok": True, "ok": True}
    assert all(r["baseline"]["took_ms"] >= 0 for r in result["records"])
    assert result["summary"]["overall"]["baseline"]["latency_p50_ms"] is not None
    report = (tmp_path / "results" / "latest.md").read_text(encoding="utf-8")
    assert "- Kiểm tra nhất quán: thời gian nhúng không vượt thời gian trả lời ở câu nào (3 câu có đo thời gian)." \
        in report and f"- Máy: {os.cpu_count()} nhân CPU" in report


def test_a_question_set_sidecar_says_whether_it_was_tuned_on(settings, monkeypatch, tmp_path):
    sidecar = tmp_path / "q.meta.json"
    sidecar.write_text(json.dumps({"tuned_on": True, "role": "phát triển", "note": "Dùng khi phát triển."}),
                       encoding="utf-8")
    result = _run(settings, monkeypatch, tmp_path, QUESTIONS, with_baseline=False)
    assert result["question_set"] == {
        "sha256": hashlib.sha256((tmp_path / "q.jsonl").read_bytes()).hexdigest(), "sidecar": str(sidecar),
        "tuned_on": True, "role": "phát triển", "note": "Dùng khi phát triển."}
    report = (tmp_path / "results" / "latest.md").read_text(encoding="utf-8")
    assert "\n> **Bộ câu hỏi đã dùng để điều chỉnh: số liệu lạc quan. Dùng khi phát triển.**\n" in report
    page = (tmp_path / "results" / "latest.html").read_text(encoding="utf-8")
    assert ('<p class="warning" id="tuning">Bộ câu hỏi đã dùng để điều chỉnh: số liệu lạc quan. '
            'Dùng khi phát triển.</p>') in page


@pytest.mark.parametrize("content", ['{"tuned_on": "yes"}', "[true]", "{oops"])
def test_a_malformed_sidecar_stops_the_run_before_any_question(settings, monkeypatch, tmp_path, content):
    (tmp_path / "q.meta.json").write_text(content, encoding="utf-8")
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda s: pytest.fail("the model was loaded"))
    with pytest.raises(AssistantError, match=r"q\.meta\.json"):
        run_evaluation(settings, _write(tmp_path, QUESTIONS), tmp_path / "results", log=lambda m: None)
    assert not (tmp_path / "results").exists()


def test_every_kept_run_is_reproduced_by_the_summary_and_gains_its_intervals():
    """The figures in eval/results/ (and the README) were computed before shares carried
    counts; recomputed from their records they come back unchanged, with intervals."""
    runs = sorted(p for p in (ROOT / "eval" / "results").rglob("latest.json")
                  if "records" in json.loads(p.read_text(encoding="utf-8")))
    assert len(runs) == 16  # with the new blind set's final run
    for path in runs:
        stored = json.loads(path.read_text(encoding="utf-8"))
        upgraded = with_proportions(stored)
        assert "proportions" in upgraded["summary"]["overall"], path
        for group, figures in stored["summary"].items():
            for key, value in figures.items():
                if key != "baseline":
                    assert upgraded["summary"][group][key] == value, (path, group, key)


def test_the_json_lists_every_item_with_its_verdict_answer_and_citations(settings, monkeypatch, tmp_path):
    result = _run(settings, monkeypatch, tmp_path, QUESTIONS)
    first, _, refused = result["records"]
    assert [r["id"] for r in result["records"]] == ["t1", "t2", "t3"]
    assert (first["correct"], first["found"], first["confidence"]) == (True, True, "low")
    assert first["answer"].splitlines()[0] == "Có thể là: Đơn vị thực hiện: Sở Nội vụ"
    assert (first["lead"], first["lead_correct"]) == ("Có thể là: Đơn vị thực hiện: Sở Nội vụ", True)
    assert (first["answers"], first["evidence"]) == (["Sở Nội vụ"], ["Đơn vị thực hiện: Sở Nội vụ"])
    citation = first["citations"][0]
    assert set(citation) == {"doc_id", "section", "start", "end", "quote"}
    text = (settings.corpus_dir / f"{citation['doc_id']}.txt").read_text(encoding="utf-8")
    assert text[citation["start"]:citation["end"]] == citation["quote"]
    assert (refused["correct"], refused["found"], refused["citations"]) == (True, False, [])


def test_each_run_records_the_code_the_index_the_settings_and_the_selection(settings, monkeypatch, tmp_path):
    result = _run(settings, monkeypatch, tmp_path, QUESTIONS, selection=Selection(limit=2), with_baseline=False)
    assert len(result["code"]["package_hash"]) == 16 and result["code"]["python"]
    assert result["index_manifest"]["chunks"] > 0 and result["settings"]["chunk_size"] == "400"
    assert result["selection"] == {"types": [], "variants": [], "limit": 2, "baseline": False}
    assert [r["id"] for r in result["records"]] == ["t1", "t2"]
    assert result["summary"]["overall"]["baseline"] is None and "baseline" not in result["records"][0]
    report = (tmp_path / "results" / "latest.md").read_text(encoding="utf-8")
    assert "Không chạy cách làm cơ sở (`--no-baseline`)" in report and "tối đa 2 câu đầu" in report


def test_follow_ups_are_asked_with_their_history_and_lists_are_scored_strictly(settings, monkeypatch, tmp_path):
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
    result = _run(settings, monkeypatch, tmp_path, items)
    follow_up, listed = result["records"]
    assert follow_up["history"] == items[0]["history"]
    assert follow_up["interpreted_as"] == "Ai chịu trách nhiệm khen thưởng ở Bắc Giang?"
    assert follow_up["correct"] is True and "twin" not in follow_up
    assert (listed["correct"], listed["correct_lenient"], listed["correct_all_items"]) == (False, True, False)
    overall = result["summary"]["overall"]
    assert (overall["answer_accuracy"], overall["answer_accuracy_lenient"]) == (0.5, 1.0)
    report = (tmp_path / "results" / "latest.md").read_text(encoding="utf-8")
    assert "- **Còn thiếu:** «Sở Tài chính» hoặc «STC»" in report


def test_select_picks_types_and_variants_in_file_order_then_limits():
    assert [q["id"] for q in select(QUESTIONS, Selection(variants=("plain",)))] == ["t1", "t3"]
    assert [q["id"] for q in select(QUESTIONS, Selection(types=("who", "when"), limit=1))] == ["t1"]
    assert [q["id"] for q in select(QUESTIONS, Selection(limit=10))] == ["t1", "t2", "t3"]


@pytest.mark.parametrize("selection, message", [
    (Selection(types=("whom",)), "không có type whom trong tệp câu hỏi; có: unanswerable, when, who"),
    (Selection(variants=("english",)), "không có variant english trong tệp câu hỏi; có: no-diacritics, plain"),
    (Selection(limit=0), "--limit phải từ 1 trở lên, không phải 0"),
    (Selection(types=("when",), variants=("plain",)), "không có câu hỏi nào vừa có type vừa có variant đã chọn"),
])
def test_a_selection_that_picks_nothing_is_an_error_saying_why(selection, message):
    with pytest.raises(AssistantError) as caught:
        select(QUESTIONS, selection)
    assert str(caught.value) == message


def test_questions_file_errors_name_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(QUESTIONS[0]) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"q.jsonl:2: không phải JSON hợp lệ"):
        load_questions(path)
    path.write_text(json.dumps({"id": "x", "question": "?"}) + "\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"q.jsonl:1: thiếu trường province, docs, answers, evidence"):
        load_questions(path)
    path.write_text(json.dumps({**QUESTIONS[0], "history": "Câu trước?"}) + "\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"q.jsonl:1: history phải là danh sách các câu hỏi trước"):
        load_questions(path)


def test_strip_diacritics_keeps_case():
    assert strip_diacritics("Đơn vị nào ở Bắc Giang?") == "Don vi nao o Bac Giang?"


def test_the_timed_embedder_adds_up_only_query_embeddings():
    class Slow(FakeEmbedder):
        def embed_queries(self, texts):
            time.sleep(0.01)  # a lower bound the clock must see, not a speed being measured
            return super().embed_queries(texts)

    timed = TimedEmbedder(Slow())
    timed.embed_passages(["Sở Nội vụ"])
    assert timed.query_seconds == 0.0 and timed.name == "fake"
    assert timed.embed_queries(["Ai khen thưởng?"]).shape == (1, 64)
    timed.embed_queries(["Khi nào?"])
    assert timed.query_seconds >= 0.02


def test_the_timed_embedder_is_the_embedder_it_wraps_to_the_index_and_the_intents():
    """An evaluation must judge the index and the intent classifier the engine uses: the
    wrapper passes on the identity and the weights' digest, and builds nothing of its own."""
    class Weighed(FakeEmbedder):
        identity = "fake|weights 1234"
        weights = "1234"

    timed = TimedEmbedder(Weighed())
    assert (identity_of(timed), weights_of(timed)) == ("fake|weights 1234", "1234")
