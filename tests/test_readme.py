"""The README is the front door: its two commands exist and CI runs the test one; it is
short, says the five things a user does with a link each, and restates the measured
headline figures with their intervals (the manuals it links to: tests/test_docs.py)."""

import re
import subprocess
from pathlib import Path

from assistant.evaluation.compare import load_result
from assistant.evaluation.definitions import fmt_share

from .test_docs import MANUALS

ROOT = Path(__file__).resolve().parents[1]


def _command_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```bash\n(.+)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, f"README.md has no {marker}"
    return match.group(1)


def test_readme_has_the_run_and_test_commands():
    assert _command_after("run-command") == "./scripts/setup.sh && .venv/bin/assistant serve"
    assert _command_after("test-command") == "./scripts/setup.sh --browser && .venv/bin/python -m pytest"


def test_the_screenshots_the_readme_and_manuals_show_exist():
    assert _images("README.md") == ["eval/screenshots/chat-answer.png", "docs/img/goi-tai-lieu.png",
                                    "docs/img/bai-giang.png"]
    shown = [(page, path) for page in ("README.md", *MANUALS) for path in _images(page)]
    assert {path for _, path in shown} >= {"eval/screenshots/chat-answer.png", "../eval/screenshots/phone-source.png",
                                         "../eval/screenshots/study-matrix.png", "../eval/screenshots/study-print.png"}
    for page, path in shown:
        assert ((ROOT / page).parent / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", (page, path)


def _images(page: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (ROOT / page).read_text(encoding="utf-8"))


def test_the_readme_is_a_front_door():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    assert re.findall(r"^## (.+)$", text, re.M) == ["Hai lệnh trên máy mới", "Năm việc thường làm", "Con số chính",
                                                    "Đọc tiếp", "English"]
    five = text.split("## Năm việc thường làm")[1].split("\n## ")[0]
    assert re.findall(r"^\*\*(.+?)\.\*\*", five, re.M) == ["Hỏi", "Học tập", "Thêm văn bản", "Phục vụ", "Đánh giá"]
    for paragraph in five.strip().split("\n\n"):
        assert "→ [" in paragraph and len(paragraph.splitlines()) <= 6, paragraph  # a few lines, then a link
    english = text.split("## English")[1]
    assert 10 <= len(english.strip().splitlines()) <= 40


def test_the_headline_figures_are_the_kept_runs_with_their_intervals():
    """Computed from eval/results/ (the last measured runs), never typed by hand."""
    runs = [load_result(ROOT / "eval" / "results" / r)["summary"]["overall"]
            for r in ("blind-2026-12-first-run", "blind-2026-12-final", "", "heldout", "other-domain")]
    table = (ROOT / "README.md").read_text(encoding="utf-8").split("## Con số chính")[1].split("\n## ")[0]
    first = table[table.index("| |"):].split("\n\n")[0]  # the headline table (the format table follows)
    rows = [line for line in first.splitlines() if line.startswith("| ") and not line.startswith("| |")]
    expected = [f"| {name} | " + " | ".join(fmt_share(r["proportions"][key]) for r in runs) + " |"
                for name, key in [("trả lời đúng (nghiêm)", "answer_accuracy"), ("từ chối đúng", "refusal_accuracy"),
                                  ("từ chối nhầm", "false_refusal")]]
    expected.append("| cơ sở: trả lời đúng (nghiêm) | " + " | ".join(
        fmt_share(r["baseline"]["proportions"]["answer_accuracy"]) for r in runs) + " |")
    expected.append("| câu có / không có lời đáp | " + " | ".join(
        f"{r['answerable']} / {r['unanswerable']}" for r in runs) + " |")
    assert rows == expected
    final = runs[1]["proportions"]
    assert (round(100 * final["answer_accuracy"]["rate"], 1), round(100 * final["refusal_accuracy"]["rate"], 1)) == \
        (79.8, 66.7)  # the figures the README names in its prose
    assert "79,8% (72,1–85,9)" in table and "66,7% (53,0–78,0)" in table


def test_ci_reads_the_test_command_from_the_readme():
    script = ROOT / ".ci" / "run"
    extracted = subprocess.run(
        ["awk", "/<!-- test-command -->/ {getline; getline; print; exit}", "README.md"],
        capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
    assert extracted == _command_after("test-command")
    assert "awk '/<!-- test-command -->/ {getline; getline; print; exit}' README.md" in script.read_text()


def test_setup_installs_the_cpu_torch_first():
    setup = (ROOT / "scripts" / "setup.sh").read_text()
    assert setup.index("torch==2.13.0") < setup.index('-e ".[test]"')
    # --browser: the browser tests' chromium, through the script's one apt-get install
    assert 'apt-get install -y -qq "$@"' in setup and "apt_install chromium" in setup
