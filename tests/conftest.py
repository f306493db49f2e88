"""Shared fixtures: a deterministic fake embedder and a tiny Vietnamese corpus
shaped like the real plans (task lines, a unit-per-heading section, a letter)."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from assistant.engine import Assistant
from assistant.query.intent import KINDS, META_FIELDS, ROLES, IntentModel, Reading
from assistant.query.question import analyse
from assistant.ingest.text import fold
from assistant.settings import Settings

from .browser_fixtures import browser, page, phone, server  # noqa: F401  (browser tests' fixtures, one of each)
from .samples import PLAN_A, PLAN_B

DIMENSION = 64
# unit tests judge candidates with a frozen copy of a fitted answer model, so refitting the
# shipped one (assistant/answer/answer_model.json) does not move their expected answers
UNIT_ANSWER_MODEL = Path(__file__).resolve().parent / "fixtures" / "answer_model.json"
ROOT = Path(__file__).resolve().parents[1]


class FakeEmbedder:
    """Bag of accent-folded syllables hashed into 64 dimensions, L2-normalised:
    texts sharing words are close, so retrieval can be worked out by hand."""

    name = "fake"
    identity = "fake"

    def __init__(self):
        self.calls = 0

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(DIMENSION, dtype=np.float32)
        for syllable in fold(text).split():
            digest = hashlib.md5(syllable.strip(".,;:?!()").encode()).digest()
            vector[digest[0] % DIMENSION] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed_queries(self, texts):
        self.calls += 1
        return np.stack([self._vector(t) for t in texts])

    def embed_passages(self, texts, progress=False):
        self.calls += 1
        return np.stack([self._vector(t) for t in texts])


class KeywordIntents:
    """A fake intent classifier for unit tests, as FakeEmbedder is a fake encoder: it
    reads a question by the keyword rules follow-ups are rewritten with (query/question.py
    `analyse`), so what a unit test expects can be worked out by hand. The learnt one is
    tested on the real encoder (test_intent.py, the evaluation)."""

    card = {"note": "keyword reading, unit tests only"}

    def read(self, vector, text: str) -> Reading:
        intent = analyse(text)
        # certain, as the rules are: the features read 1 for the kind found, as before
        kinds = dict.fromkeys(KINDS, 0.0)
        kinds[intent.kind] = 1.0
        if intent.plural:
            kinds["list"] = 1.0 if intent.kind != "list" else kinds["list"]
            kinds[intent.kind] = 1.0 + 1e-9  # still the kind found
        if intent.compare:  # a comparison above all, then the kind it compares
            kinds["compare"] = 1.0 + 2e-9
        meta = {f: float(f in intent.meta) for f in META_FIELDS}
        roles = {r: float(r in intent.roles) for r in ROLES}
        return Reading(kinds, meta, roles)


@pytest.fixture(autouse=True)
def _unit_answer_model(request, monkeypatch):
    """Unit tests (not the end-to-end and browser ones) judge with the frozen test model,
    also when they go through the CLI, which reads ASSISTANT_ANSWER_MODEL, and read
    questions with the keyword fake of the intent classifier."""
    if not request.node.get_closest_marker("e2e") and not request.node.get_closest_marker("browser"):
        monkeypatch.setenv("ASSISTANT_ANSWER_MODEL", str(UNIT_ANSWER_MODEL))
        if not request.node.get_closest_marker("intent_files"):  # tests of the classifier's own files
            monkeypatch.setattr(IntentModel, "load", classmethod(lambda cls, folder=None: KeywordIntents()))


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "ninh-thuan-test.txt").write_text(PLAN_A, encoding="utf-8")
    (folder / "bac-giang-test.txt").write_text(PLAN_B, encoding="utf-8")
    return folder


@pytest.fixture
def settings(tmp_path: Path, corpus_dir: Path) -> Settings:
    return Settings.from_env({}, corpus_dir=corpus_dir, index_dir=tmp_path / "index",
                             model_cache=tmp_path / "models", chunk_size=400, answer_model=UNIT_ANSWER_MODEL)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def assistant(settings: Settings, fake_embedder: FakeEmbedder) -> Assistant:
    return Assistant.open(settings, embedder=fake_embedder)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory) -> Settings:
    """The real corpus and model, with one index for the whole session (end-to-end and browser tests)."""
    return Settings.from_env(corpus_dir=ROOT / "corpus", index_dir=tmp_path_factory.mktemp("e2e") / "index")


@pytest.fixture(scope="session")
def real_assistant(real_settings) -> Assistant:
    """The shipped models on the real corpus, opened once for the session."""
    return Assistant.open(real_settings)


@contextmanager
def serving(app, settings: Settings | None = None):
    """A real uvicorn server for `app` on a free 127.0.0.1 port, in a thread; yields its URL.
    With `settings`, uvicorn is configured as `assistant serve` configures it (time limits)."""
    import uvicorn

    from assistant.serve.server import uvicorn_config

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn_config(app, settings, "127.0.0.1", port) if settings else \
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
