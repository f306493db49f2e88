from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.settings import DEFAULT_MODEL, Settings


def test_defaults_then_environment_then_flags():
    settings = Settings.from_env({"ASSISTANT_INDEX_DIR": "/tmp/i", "ASSISTANT_TOP_K": "3"}, index_dir=None,
                                 corpus_dir="docs")
    assert settings.index_dir == Path("/tmp/i") and settings.top_k == 3
    assert settings.corpus_dir == Path("docs") and settings.model == DEFAULT_MODEL


def test_a_bad_number_names_the_variable():
    with pytest.raises(AssistantError, match=r"^ASSISTANT_TOP_K phải là số nguyên, không phải 'many'$"):
        Settings.from_env({"ASSISTANT_TOP_K": "many"})


def test_fingerprint_holds_what_the_index_depends_on():
    assert Settings().fingerprint() == {"model": DEFAULT_MODEL, "chunk_size": 900}
