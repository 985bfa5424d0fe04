"""Role × endpoint matrix over every /api/v1/ URL (issue 7; API.md "Auth", "another tenant's
object answers 404").

The endpoints come from the URL resolver, so a new one is attacked without anyone listing it.
Every URL parameter is filled with tenant A's objects (in the state where the action would
succeed for A's owner, which the positive control proves), then every method is called as:
anonymous (401), each role of tenant B (403 for a role the endpoint does not let in, 404 for
A's object, never A's data in an answer, never a change to A's rows), platform and reviewer
(403 unless API.md gives them the endpoint). No answer is ever a 5xx.
"""

from __future__ import annotations

import json

import pytest

from tests.security.endpoints import (
    CONTRACT,
    PARAMS,
    PUBLIC_PHRASES,
    STATE_OK,
    USER_PRIVATE,
    body_for,
    call,
    declared_roles,
    discover,
    leaks,
    path_for,
)
from tests.security.world import snapshot, violations_against

pytestmark = pytest.mark.django_db

ENDPOINTS = discover()
CASES = [pytest.param(ep, m, id=f"{m.upper()} {ep.route}") for ep in ENDPOINTS for m in ep.methods]
TENANT_ROLES = ("merchant", "streamer", "consumer")


def _request_text(path: str, body) -> str:
    return path + json.dumps(body, ensure_ascii=False, default=str)


def _code(resp) -> str | None:
    try:
        return resp.json().get("code")
    except (ValueError, AttributeError):
        return None


def test_the_matrix_sees_every_api_endpoint():
    names = {ep.name for ep in ENDPOINTS}
    # Sanity: the resolver walk finds the apps' endpoints (not an empty matrix).
    assert {"api-claims", "api-shop-products", "api-qualifications", "xt-api-orders", "api-live-cart"} <= names
    assert len(ENDPOINTS) >= 70
    missing = [ep.route for ep in ENDPOINTS if ep.params and ep.name not in PARAMS]
    assert not missing, f"object endpoints without a tenant-A parameter filler: {missing}"


@pytest.mark.parametrize(("ep", "method"), CASES)
def test_declared_roles_match_api_md(ep, method):
    expected = CONTRACT.get((ep.name, method), "undocumented")
    if expected == "undocumented":
        pytest.skip("not in API.md; the matrix uses the view's own roles")
    roles = declared_roles(ep, method)
    assert roles == (frozenset(expected) if expected is not None else None)


@pytest.mark.parametrize(("ep", "method"), CASES)
def test_anonymous_is_401(worlds, api_as, ep, method):
    path, _owner = path_for(ep, worlds)
    resp = call(api_as(None), method, path, body_for(ep, method, worlds, worlds.b))
    if declared_roles(ep, method) is None:
        assert resp.status_code < 500
        return
    assert resp.status_code == 401, resp.content
    assert _code(resp) == "not_authenticated"


@pytest.mark.parametrize("role", TENANT_ROLES)
@pytest.mark.parametrize(("ep", "method"), CASES)
def test_tenant_b_cannot_reach_tenant_a(worlds, api_as, ep, method, role):
    allowed = declared_roles(ep, method)
    if allowed is None:
        pytest.skip("public endpoint")
    path, owner = path_for(ep, worlds)
    body = body_for(ep, method, worlds, worlds.b)
    resp = call(api_as(worlds.b.user(role)), method, path, body)
    assert resp.status_code < 500, resp.content
    if role not in allowed:
        assert resp.status_code == 403, resp.content
        assert _code(resp) == "permission_denied"
    elif owner is not None:
        # Tenant A's object: exactly what a missing one answers (no 403/409 that confirms it exists).
        assert resp.status_code == 404, resp.content
        assert _code(resp) == "not_found"
    elif method == "get":
        assert resp.status_code == 200, resp.content
    found = leaks(resp, _request_text(path, body), PUBLIC_PHRASES.get(ep.name, ()))
    assert not found, f"tenant A's data in the answer to tenant B's {role}: {found}"
    problems = violations_against(worlds, snapshot())
    assert not problems, "tenant B's call changed tenant A's rows:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("role", ["platform", "reviewer"])
@pytest.mark.parametrize(("ep", "method"), CASES)
def test_platform_and_reviewer(worlds, api_as, ep, method, role):
    allowed = declared_roles(ep, method)
    if allowed is None:
        pytest.skip("public endpoint")
    path, _owner = path_for(ep, worlds)
    user = worlds.platform if role == "platform" else worlds.reviewer
    resp = call(api_as(user), method, path, body_for(ep, method, worlds, worlds.b))
    assert resp.status_code < 500, resp.content
    if role not in allowed:
        assert resp.status_code == 403, resp.content
        assert _code(resp) == "permission_denied"
        assert not violations_against(worlds, snapshot())
    elif ep.name in USER_PRIVATE:
        assert resp.status_code == 404, resp.content
    else:
        assert _code(resp) not in ("permission_denied", "not_authenticated"), resp.content
        assert resp.status_code != 404, f"{role} is global: tenant A's object must be found ({resp.content!r})"


OWNED = [
    pytest.param(ep, m, id=f"{m.upper()} {ep.route}")
    for ep in ENDPOINTS
    for m in ep.methods
    if ep.params and ep.name in PARAMS
]


@pytest.mark.parametrize(("ep", "method"), OWNED)
def test_positive_control_tenant_a_owner_reaches_the_object(worlds, api_as, ep, method):
    """Proves the parameters really name A's objects in an actionable state: the 404s tenant B
    gets above come from the tenant check, not from a wrong id or a state error."""
    path, owner = path_for(ep, worlds)
    if owner is None:
        pytest.skip("parameter is not a tenant object")
    user = {"platform": worlds.platform, "reviewer": worlds.reviewer}.get(owner) or worlds.a.user(owner)
    resp = call(api_as(user), method, path, body_for(ep, method, worlds, worlds.a))
    if ep.name in STATE_OK:
        assert resp.status_code == 409 and _code(resp) == "invalid_state", resp.content
        return
    assert 200 <= resp.status_code < 300, resp.content


@pytest.mark.parametrize(("ep", "method"), [c for c in CASES if c.values[1] == "get"])
def test_lists_and_catalogues_show_only_the_callers_data(worlds, api_as, ep, method):
    """Global or per-caller collections (/shop/services, /qualification-types, /claims, …) answer
    tenant B with B's data: B's markers may appear, A's never."""
    allowed = declared_roles(ep, method)
    if ep.params or allowed is None:
        pytest.skip("object endpoint or public")
    for role in sorted(allowed & {"merchant", "streamer", "consumer"}):
        query = "?q=TENA&search=TENA&shop=TENA-SHOP&consumer=TENA-C&streamer=TENA-ST&page_size=100"
        path = "/" + ep.route
        resp = call(api_as(worlds.b.user(role)), method, path + query, None)
        assert resp.status_code == 200, (role, resp.content)
        found = leaks(resp, path + query, PUBLIC_PHRASES.get(ep.name, ()))
        assert not found, f"{role}: {found}"


def test_the_detectors_catch_a_cross_tenant_write_and_a_leak(worlds, api_as):
    """The matrix's own alarms work: a change to one of A's rows, and A's data in an answer."""
    from shop.models import Product

    assert not violations_against(worlds, snapshot())
    Product.objects.filter(pk=worlds.a.products["P2"].pk).update(title="hijacked")
    assert any("shop.product" in p for p in violations_against(worlds, snapshot()))
    resp = api_as(worlds.a.merchant_user).get("/api/v1/shop/products")
    assert leaks(resp, "/api/v1/shop/products")
