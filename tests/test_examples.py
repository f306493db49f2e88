"""The chat page's example questions come from the evaluation set, and the real
assistant answers each one (or, for the refusal example, says the plans are silent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.engine import Assistant
from assistant.evaluation.metrics import contains_any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = json.loads((ROOT / "assistant" / "serve" / "web" / "examples.json").read_text(encoding="utf-8"))
QUESTIONS = {row["id"]: row for row in map(json.loads, (ROOT / "eval" / "questions.jsonl").read_text(
    encoding="utf-8").splitlines())}


def test_each_example_is_an_item_of_the_evaluation_set():
    assert len(EXAMPLES) >= 4 and [e["expect"] for e in EXAMPLES].count("refusal") == 1
    for example in EXAMPLES:
        item = QUESTIONS[example["id"]]
        assert item["question"] == example["question"] and not item.get("history")
        assert (item["type"] == "unanswerable") == (example["expect"] == "refusal"), example["id"]


@pytest.fixture(scope="module")
def assistant(real_settings) -> Assistant:
    return Assistant.open(real_settings)


@pytest.mark.e2e
@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_each_example_is_answered_or_refused_as_meant(assistant, example):
    answer = assistant.ask(example["question"])
    item = QUESTIONS[example["id"]]
    if example["expect"] == "refusal":
        assert not answer.found and answer.citations == ()
    else:
        assert answer.found and contains_any(answer.answer, item["answers"]), answer.answer

