"""The API against its own OpenAPI document (schemathesis): for every documented operation,
generated requests (fixed seed, bounded examples) never cause a server error, every 4xx
answers with the JSON error shape, and no answer carries a private string of the fixture."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from khronika.web.app import create_app
from tests.conftest import make_database
from tests.web.conftest import FORBIDDEN, load_fixture

EXAMPLES = 30


def _app() -> Any:
    """The app over the web fixture in a SQLite file of its own (built when the module is
    collected: schemathesis reads the schema before any fixture runs)."""
    where = Path(tempfile.mkdtemp(prefix="khronika-schemathesis-"))
    atexit.register(shutil.rmtree, where, ignore_errors=True)
    db, _ = make_database("sqlite", where)
    load_fixture(db)
    return create_app(
        db, data_dir=where / "data", clock=lambda: date(2025, 5, 1), refresh=0, background=False
    )


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_every_generated_request(case: Any) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    if 400 <= response.status_code < 500:
        body = response.json()
        assert body["ok"] is False and body["status"] == response.status_code and body["errors"]
    content = response.content
    assert not [word for word in FORBIDDEN if word.encode() in content]
