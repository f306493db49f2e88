"""eval/check_questions.py keeps the development set honest: every answer and evidence
span is in the plans, and follow-ups carry the earlier questions they depend on."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT / "eval" / "check_questions.py"


def _check(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(CHECK), *args], capture_output=True, text=True, cwd=ROOT)


def test_the_development_set_passes_its_checks_with_its_follow_ups():
    done = _check()
    assert done.returncode == 0, done.stdout
    assert "follow-ups with history: 27\n" in done.stdout and done.stdout.rstrip().endswith("OK")


def test_a_follow_up_must_name_its_province_somewhere_and_say_it_is_a_follow_up(tmp_path):
    rows = [json.loads(line) for line in (ROOT / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    follow_up = next(r for r in rows if r["id"] == "q157")  # «Báo cáo gửi cơ quan nào?» after a Bắc Giang question
    broken = [
        {**follow_up, "id": "q901", "history": ["Các sở báo cáo trước ngày nào?"]},  # Bắc Giang named nowhere
        {**follow_up, "id": "q902", "question": "Báo cáo đó gửi đâu?", "variant": "plain"},  # not marked
        {**follow_up, "id": "q903", "question": "Báo cáo gửi cho ai?",  # one spelling in the plan is enough
         "answers": [["Sở Ngoại vụ", "Sở Thông tin và Truyền thông"]]},
        {**follow_up, "id": "q904", "question": "Gửi báo cáo cho ai?", "answers": [["Bộ Ngoại giao Hoa Kỳ", "BNG"]]},
    ]
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows + broken) + "\n", encoding="utf-8")
    done = _check(str(path))
    problems = [line.strip() for line in done.stdout.splitlines() if "(q90" in line]
    assert done.returncode == 1
    assert problems == [
        "line 174 (q901): question about bac-giang must name the province in its text or its history",
        "line 175 (q902): an item has a history iff its variant is followup",
        "line 177 (q904): answer not found in listed docs: ['Bộ Ngoại giao Hoa Kỳ', 'BNG']",
    ]
