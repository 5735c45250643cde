"""Schemathesis (a client nobody here wrote) against the live schema, in process through the
WSGI application, with every role's token: no 5xx, and every response matches the schema
(status code documented, content type, body). The budget (examples per operation) keeps the
run around a minute; API_SCHEMATHESIS_EXAMPLES raises it."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from tests.url_world import build_cast, build_world

from .conftest import ROLES, extend_world, token_for

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
if os.environ.get("API_SCHEMATHESIS_PATHS"):  # a regular expression, to look at a few
    schema = schema.include(path_regex=os.environ["API_SCHEMATHESIS_PATHS"])
EXAMPLES = int(os.environ.get("API_SCHEMATHESIS_EXAMPLES", "3"))


@pytest.fixture
def keep_connection():
    """Django closes the database connection at the end of each request it serves; the
    test's transaction lives on that connection (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world and the tokens, built once for every operation; each test runs in a
    rolled-back savepoint (``db``) inside this transaction."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = extend_world(build_world(build_cast()))
            cast = world["cast"]
            yield {role: token_for(getattr(cast, role)) for role in ROLES}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def tokens(module_world, db):
    return module_world


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases every run: a failure here is reproducible
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_api_answers_as_its_schema_says(case, keep_connection, tokens):
    for role in ROLES:
        case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=CHECKS)
