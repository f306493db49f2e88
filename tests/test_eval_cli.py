"""`assistant eval` on the command line: its help, a partial run with progress, and --compare."""

import json
import re

import pytest

from assistant import cli, engine

from .conftest import FakeEmbedder
from .test_evaluation import QUESTIONS


@pytest.fixture
def run(monkeypatch, corpus_dir, tmp_path, capsys):
    monkeypatch.setattr(engine, "SentenceTransformerEmbedder", lambda settings: FakeEmbedder())
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in QUESTIONS), encoding="utf-8")

    def invoke(*argv):
        code = cli.main(["eval", "--questions", str(questions), *argv,
                         "--corpus", str(corpus_dir), "--index", str(tmp_path / "index")])
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def test_help_describes_every_option_and_its_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["eval", "--help"])
    help_text = capsys.readouterr().out.split("options:\n")[1]
    # one entry per option: its line and the indented lines that continue it
    entries = {m.group(1): " ".join(m.group(2).split())
               for m in re.finditer(r"^  (--[a-z-]+)(.*?)(?=^  -|\Z)", help_text, re.M | re.S)}
    expected = {"--questions": "mặc định eval/questions.jsonl", "--output": "mặc định eval/results",
                "--limit": "mặc định: mọi câu", "--type": "mặc định: mọi loại", "--variant": "mặc định: mọi cách",
                "--no-baseline": "mặc định: có chạy", "--no-progress": "mặc định: có hiện",
                "--compare": "không chạy gì", "--allow-different": "mặc định: từ chối",
                "--rerender": "latest.json giữ nguyên",
                "--index": "mặc định index/", "--corpus": "mặc định:"}
    assert set(entries) == set(expected)
    for option, default in expected.items():
        assert default in entries[option], option


def test_a_partial_run_shows_progress_on_stderr_and_the_figures_on_stdout(run, tmp_path):
    code, out, err = run("--type", "who,unanswerable", "--limit", "2", "--no-baseline", "--output", str(tmp_path / "r"))
    assert code == 0
    assert re.search(r"Đánh giá: 100%.* 2/2 .*câu/s\]", err), err
    assert out.startswith("# Kết quả đánh giá ") and "- Chạy một phần: loại who, unanswerable; tối đa 2 câu đầu." in out
    assert out.rstrip().endswith(f"Báo cáo: {tmp_path / 'r' / 'latest.html'} · {tmp_path / 'r' / 'latest.md'} · "
                                 f"{tmp_path / 'r' / 'latest.json'}")
    result = json.loads((tmp_path / "r" / "latest.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in result["records"]] == ["t1", "t3"]


def test_no_progress_keeps_stderr_free_of_the_bar(run, tmp_path):
    code, _, err = run("--variant", "no-diacritics", "--no-baseline", "--no-progress", "--output", str(tmp_path / "r"))
    assert code == 0 and "câu/s" not in err


def test_an_unknown_type_is_a_one_line_error(run, tmp_path):
    code, out, err = run("--type", "whom", "--output", str(tmp_path / "r"))
    assert (code, out) == (1, "")
    assert err == "Error: không có type whom trong tệp câu hỏi; có: unanswerable, when, who\n"


def test_compare_reads_two_runs_prints_the_flips_and_writes_three_reports(run, tmp_path):
    assert run("--no-progress", "--output", str(tmp_path / "a"))[0] == 0
    edited = json.loads((tmp_path / "a" / "latest.json").read_text(encoding="utf-8"))
    edited["records"][1]["correct"] = False  # as if t2 had broken in a later run
    (tmp_path / "b.json").write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    code, out, err = run("--compare", str(tmp_path / "a"), str(tmp_path / "b.json"), "--output", str(tmp_path / "c"))
    assert (code, err) == (0, "")
    assert "## Câu đổi kết quả: 0 sai → đúng, 1 đúng → sai" in out
    assert "- `t2` (when, no-diacritics) Bac Giang bao cao truoc ngay nao?" in out
    assert "## Điều kiện chạy khác nhau\n\n- không có\n" in out
    assert ("Trên 3 câu chung: 0 câu sai → đúng, 1 câu đúng → sai (kiểm định McNemar chính xác, hai phía, p = 1): "
            "B **không khác biệt có ý nghĩa** so với A") in out
    reports = [tmp_path / "c" / name for name in ("compare.html", "compare.md", "compare.json")]
    assert out.rstrip().endswith("Báo cáo: " + " · ".join(map(str, reports)))
    assert all(path.is_file() for path in reports)


def test_compare_refuses_runs_over_different_questions_unless_allowed(run, tmp_path):
    assert run("--no-progress", "--no-baseline", "--output", str(tmp_path / "a"))[0] == 0
    assert run("--no-progress", "--no-baseline", "--limit", "2", "--output", str(tmp_path / "b"))[0] == 0
    code, out, err = run("--compare", str(tmp_path / "a"), str(tmp_path / "b"), "--output", str(tmp_path / "c"))
    assert (code, out) == (1, "")
    assert err == ("Error: không so sánh hai lần chạy: bộ câu hỏi khác nhau (A 3 câu, B 2 câu, 2 câu chung); "
                   "thêm --allow-different để vẫn so trên các câu chung (kèm cảnh báo)\n")
    assert not (tmp_path / "c").exists()
    code, out, err = run("--compare", str(tmp_path / "a"), str(tmp_path / "b"), "--allow-different",
                         "--output", str(tmp_path / "c"))
    assert (code, err) == (0, "") and out.startswith("**Cảnh báo: hai lần chạy đo trên những thứ khác nhau: ")


def test_rerender_rewrites_a_kept_runs_reports_from_its_json_alone(run, tmp_path):
    assert run("--no-progress", "--no-baseline", "--output", str(tmp_path / "a"))[0] == 0
    kept = json.loads((tmp_path / "a" / "latest.json").read_text(encoding="utf-8"))
    del kept["question_set"]  # as recorded before sets declared whether they were tuned on
    for figures in kept["summary"].values():
        figures.pop("proportions", None)  # and before shares carried their counts
    saved = json.dumps(kept, ensure_ascii=False)
    (tmp_path / "a" / "latest.json").write_text(saved, encoding="utf-8")
    (tmp_path / "a" / "latest.md").write_text("old report", encoding="utf-8")
    (tmp_path / "q.meta.json").write_text('{"tuned_on": true, "note": "Dùng khi phát triển."}', encoding="utf-8")
    code, out, err = run("--rerender", str(tmp_path / "a"))
    assert (code, err) == (0, "") and out == f"Báo cáo: {tmp_path / 'a' / 'latest.html'} · {tmp_path / 'a' / 'latest.md'}\n"
    report = (tmp_path / "a" / "latest.md").read_text(encoding="utf-8")
    assert ("> **Bộ câu hỏi đã dùng để điều chỉnh: số liệu lạc quan (khai báo sau lần chạy này). "
            "Dùng khi phát triển.**") in report
    assert "| Trả lời đúng (nghiêm) | 100,0% (34,2–100,0; 2/2) |" in report  # recomputed from the records
    assert (tmp_path / "a" / "latest.json").read_text(encoding="utf-8") == saved
