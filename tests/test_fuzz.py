"""Schemathesis against a real uvicorn server (fake-embedder engine): requests made
from /openapi.json, valid and invalid, a bounded number per operation. No response
may be a 5xx, and every response must match the schema the server publishes."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from assistant.engine import Assistant
from assistant.settings import Settings

from .conftest import FakeEmbedder, KeywordIntents
from .samples import PLAN_A, PLAN_B
from .servers import running

# a body over the 64 KB cap is refused with 413 before it is read: as right a refusal as 422
CONFIG = schemathesis.Config.from_str(
    '[checks.negative_data_rejection]\nexpected-statuses = ["400", "404", "405", "413", "422"]\n')
EXAMPLES = 40  # per operation: enough to reach every limit, bounded in time


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "ninh-thuan-test.txt").write_text(PLAN_A, encoding="utf-8")
    (folder / "corpus" / "bac-giang-test.txt").write_text(PLAN_B, encoding="utf-8")
    options = Settings.from_env({}, corpus_dir=folder / "corpus", index_dir=folder / "index", chunk_size=400)
    # module-scoped, so built before the autouse fixture that gives unit tests the keyword intents
    with running(options, Assistant.open(options, embedder=FakeEmbedder(), intents=KeywordIntents())) as (url, _):
        yield schemathesis.openapi.from_url(f"{url}/openapi.json", config=CONFIG)


TAKING_INPUT = ["POST /api/ask", "GET /api/search", "GET /api/documents/{doc_id}",
                "GET /api/study/overview/{doc_id}", "GET /api/study/matrix", "GET /api/study/deadlines",
                "GET /api/study/quiz", "GET /api/study/summary/{doc_id}", "GET /api/study/key-matrix",
                "GET /api/study/distinctive", "GET /api/study/slides", "GET /api/study/pack"]
OPERATIONS = TAKING_INPUT + ["GET /api/documents", "GET /api/health", "GET /api/study/options"]
CASES = [(name, GenerationMode.POSITIVE) for name in OPERATIONS] + \
        [(name, GenerationMode.NEGATIVE) for name in TAKING_INPUT]  # invalid input: only where there is input


@pytest.mark.parametrize("name, mode", CASES)
def test_no_request_makes_a_server_error_and_every_response_fits_the_schema(api_schema, name, mode):
    # schemathesis' pytest plugin does not run on pytest 9, so its strategies are driven by hand
    operations = {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in api_schema.get_all_operations())}
    assert set(operations) == set(OPERATIONS)  # a new route is fuzzed too once listed here

    @given(operations[name].as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        # a schema-valid question may still be refused on meaning ("   " is blank once cleaned): 422 is right
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
