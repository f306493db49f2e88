"""The README is the front door: its two commands exist and CI runs the test one."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _command_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```bash\n(.+)\n```", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert match, f"README.md has no {marker}"
    return match.group(1)


def test_readme_has_the_run_and_test_commands():
    assert _command_after("run-command") == "./scripts/setup.sh && .venv/bin/assistant serve"
    assert _command_after("test-command") == "./scripts/setup.sh --browser && .venv/bin/python -m pytest"


def test_the_screenshots_the_readme_shows_exist():
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (ROOT / "README.md").read_text(encoding="utf-8"))
    assert linked == ["eval/screenshots/chat-answer.png", "eval/screenshots/phone-source.png",
                      "eval/screenshots/study-matrix.png", "docs/img/goi-tai-lieu.png", "docs/img/bai-giang.png",
                      "eval/screenshots/study-print.png"]
    for path in linked:
        assert (ROOT / path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


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
