"""Schemathesis fuzzing of the whole /api/v1/ (issue 7): the drf-spectacular schema is loaded
from the WSGI app, every operation gets a bounded, derandomized set of generated requests sent
as each role the endpoint lets in (token auth), over the seeded demo; path parameters are drawn
half from generated values, half from the demo's real objects, so requests reach real rows.

Checks on every answer: no 5xx (``not_a_server_error``), the body matches the documented
schema (``response_schema_conformance``) and the status is a documented one
(``status_code_conformance``).

Runtime is bounded by MAX_EXAMPLES per operation (env SCHEMATHESIS_EXAMPLES, default 5).
"""

from __future__ import annotations

import os
import re

import pytest
from django.db import transaction

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
# API.md "Conventions": any endpoint may answer these with the error shape {code, detail}.
UNIVERSAL_ERRORS = {400, 401, 403, 404, 405, 409, 415, 429}


def api_md_error_shape(ctx, response, case):
    """Every 4xx body is API.md's error: {"code": snake_case, "detail": str[, "errors": {}]}."""
    if not 400 <= response.status_code < 500:
        return None
    body = response.json()
    assert isinstance(body, dict), f"error body is not an object: {body!r}"
    assert isinstance(body.get("code"), str) and re.fullmatch(r"[a-z][a-z0-9_]*", body["code"]), body
    assert isinstance(body.get("detail"), str), body
    if "errors" in body:
        assert isinstance(body["errors"], dict), body
    return None


def status_code_conformance_with_api_md_errors(ctx, response, case):
    """``status_code_conformance``, except that API.md's universal error statuses are allowed on
    every operation (their shape is checked by ``api_md_error_shape``); a success status or any
    other code must be documented in the schema."""
    from schemathesis.specs.openapi.checks import status_code_conformance

    if response.status_code in UNIVERSAL_ERRORS:
        return None
    return status_code_conformance(ctx, response, case)


def _operations() -> list[tuple[str, str, str]]:
    """(OpenAPI path, method, URL name) for every documented operation, at collection time."""
    from tests.security.endpoints import discover

    out = []
    for ep in discover():
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{" + ("id" if m[1] == "pk" else m[1]) + "}", ep.route)
        for method in ep.methods:
            out.append((path, method, ep.name))
    return out


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The seeded demo, once for the module, rolled back at the end (each test runs in a
    savepoint on top of it)."""
    from django.core.management import call_command
    from django.test import TestCase

    from config.celery import app

    app.loader.import_default_modules()  # register every app's tasks (the outbox sends by name)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
            yield _demo_facts()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _demo_facts() -> dict:
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from campaigns.models import CreatorOrder, Task
    from claims.models import AbuseReport, Appeal, Claim
    from qualifications.models import Qualification
    from shop.constants import ServiceCode
    from shop.models import Consumer, LiveSession, Notification, Order, Product, Shop, Streamer

    users = get_user_model().objects
    tokens = {}
    for role, username in (
        ("platform", "platform"),
        ("reviewer", "reviewer"),
        ("merchant", "merchant"),
        ("streamer", "streamer"),
        ("consumer", "consumer"),
    ):
        user = users.get(username=username)
        tokens[role] = Token.objects.get_or_create(user=user)[0].key

    def codes(qs, field="code"):
        return list(qs.values_list(field, flat=True)[:20])

    real = {
        # segment before the parameter → real values from the demo
        "orders": codes(Order.objects),
        "claims": codes(Claim.objects, "pk"),
        "qualifications": codes(Qualification.objects, "pk"),
        "products": codes(Product.objects),
        "product": codes(Product.objects),
        "live-sessions": codes(LiveSession.objects),
        "notifications": codes(Notification.objects, "pk"),
        "abuse-reports": codes(AbuseReport.objects, "pk"),
        "appeals": codes(Appeal.objects, "pk"),
        "streamers": codes(Streamer.objects),
        "shops": codes(Shop.objects),
        "advertisers": codes(Shop.objects),
        "consumers": codes(Consumer.objects),
        "services": list(ServiceCode.values),
        "return-addresses": ["CN", "HK", "TW"],
        "selection": codes(Streamer.objects),
        "tasks": codes(Task.objects, "pk"),
        "xingtu-orders": codes(CreatorOrder.objects, "pk"),
    }
    return {"tokens": tokens, "real": real}


@pytest.fixture(scope="module")
def api_schema(demo):
    """The schema from the WSGI app. Requests go straight to the WSGI handler (not Django's test
    client), so the handler's close_old_connections is detached, as the test client does: it
    would close the connection holding the test transaction (PostgreSQL)."""
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _real_params(path: str, real: dict) -> dict[str, list]:
    out = {}
    segments = path.strip("/").split("/")
    for i, seg in enumerate(segments):
        m = re.fullmatch(r"\{(\w+)\}", seg)
        if not m:
            continue
        before = segments[i - 1]
        key = "xingtu-orders" if before == "orders" and "xingtu" in segments else before
        if before == "cart":
            key = "product"
        values = real.get(key)
        if values:
            out[m[1]] = values
    return out


def _roles(name: str, method: str) -> list[str]:
    from tests.security.endpoints import declared_roles, discover

    ep = next(e for e in discover() if e.name == name)
    roles = declared_roles(ep, method)
    return sorted(roles) if roles is not None else ["anonymous"]


@pytest.mark.parametrize(
    ("path", "method", "name"), [pytest.param(*o, id=f"{o[1].upper()} {o[0]}") for o in OPERATIONS]
)
def test_operation_conforms_to_its_schema(api_schema, demo, path, method, name):
    from django.core.cache import cache
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    operation = api_schema[path][method.upper()]
    real = _real_params(path, demo["real"])
    strategy = operation.as_strategy()
    if real:
        strategy = st.one_of(
            strategy,
            st.fixed_dictionaries({k: st.sampled_from(v) for k, v in real.items()}).flatmap(
                lambda params: operation.as_strategy(path_parameters=params)
            ),
        )
    roles = _roles(name, method)
    checks = [
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance_with_api_md_errors,
        api_md_error_shape,
    ]

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def run(case):
        for role in roles:
            cache.clear()  # the token endpoint's per-IP throttle must not turn into flaky 429s
            headers = {} if role == "anonymous" else {"Authorization": f"Token {demo['tokens'][role]}"}
            with transaction.atomic():
                response = case.call(headers=headers)
                case.validate_response(response, checks=checks, headers=headers)
                transaction.set_rollback(True)  # each example starts from the demo again

    run()


def test_every_operation_documents_its_api_md_errors():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    for path, ops in schema["paths"].items():
        if path in ("/api/v1/schema/", "/api/v1/docs/", "/api/v1/ping", "/api/v1/auth/token"):
            continue
        for method, op in ops.items():
            want = {"401", "403"}
            if "{" in path:
                want.add("404")
            if method in ("post", "put", "patch"):
                want.add("400")
            lacking = want - set(op["responses"])
            if lacking:
                missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert not missing, f"{len(missing)} operations lack documented errors:\n" + "\n".join(missing)
