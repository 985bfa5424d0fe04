"""Pages: every server-rendered URL with an object parameter, aimed at tenant A's objects and
opened by each role of tenant B (404 or 403, never the page, never a change on POST); every
page without parameters shows tenant B none of tenant A's data (issue 7, CONVENTIONS: "Another
tenant's object → 404")."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.security.endpoints import _walk, leaks
from tests.security.world import snapshot, violations_against

pytestmark = pytest.mark.django_db

EXCLUDED_PREFIXES = ("admin/", "api/", "i18n/", "login/", "logout/", "healthz")


def _pages():
    from django.urls import get_resolver

    out = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        out.append((route, tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))))
    return out


PAGES = _pages()

# route → (kwargs with tenant A's object, the tenant-A role whose page it is; None = not a
# tenant object). A new page with parameters and no entry fails test_every_page_is_classified.
PAGE_PARAMS = {
    "notifications/<int:pk>/read/": lambda w: ({"pk": w.a.notifications["merchant"].pk}, "merchant"),
    "files/<int:pk>/": lambda w: ({"pk": w.a.uploads["consumer0"].pk}, "consumer"),
    "rights/services/<str:code>/toggle/": lambda w: ({"code": "fast_refund"}, None),
    "products/<str:code>/": lambda w: ({"code": w.a.products["P1"].code}, "merchant"),
    "qualifications/<int:pk>/": lambda w: ({"pk": w.a.qualifications["approved"].pk}, "merchant"),
    "qualifications/<int:pk>/edit/": lambda w: ({"pk": w.a.qualifications["approved"].pk}, "merchant"),
    "claims/<int:pk>/": lambda w: ({"pk": w.a.claims["SZB1"].pk}, "consumer"),
    "claims/<int:pk>/appeal/": lambda w: ({"pk": w.a.claims["SZB3"].pk}, "streamer"),
    "claims/merchant/<int:pk>/": lambda w: ({"pk": w.a.claims["AUTH"].pk}, "merchant"),
    "claims/merchant/<int:pk>/return-received/": lambda w: ({"pk": w.a.claims["LOCAL"].pk}, "merchant"),
    "claims/abuse-reports/<int:pk>/": lambda w: ({"pk": w.a.abuse_report.pk}, "merchant"),
    "xingtu/tasks/<int:pk>/": lambda w: ({"pk": w.a.task.pk}, "merchant"),
    "xingtu/orders/<int:pk>/": lambda w: ({"pk": w.a.xt_orders["pending"].pk}, "streamer"),
}
# What a page's POST would carry from its rightful owner (the form's fields), so a missing
# tenant check would act rather than fail validation.
PAGE_POSTS = {
    "claims/<int:pk>/appeal/": {"reason": "not my fault"},
    "claims/merchant/<int:pk>/": {"action": "accept", "accept": "1", "note": "ok"},
    "claims/merchant/<int:pk>/return-received/": {"note": "arrived"},
    "qualifications/<int:pk>/edit/": {"holder": "changed"},
    "xingtu/orders/<int:pk>/": {"action": "accept"},
    "xingtu/tasks/<int:pk>/": {"action": "cancel"},
}
# 达人广场 lists every listed creator's public card, by design (XT-2).
PUBLIC_PAGE_PHRASES = {"xingtu/creators/": ("TENA creator", "TENA streamer", "TENA-ST")}
OBJECT_PAGES = [pytest.param(route, id=route) for route, params in PAGES if params]
PLAIN_PAGES = [pytest.param(route, id=route or "/") for route, params in PAGES if not params]


def _url(route: str, kwargs: dict) -> str:
    path = route
    for key, value in kwargs.items():
        path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
    return "/" + path


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_is_classified():
    missing = [route for route, params in PAGES if params and route not in PAGE_PARAMS]
    assert not missing, f"pages with parameters and no tenant-A filler: {missing}"
    assert len(OBJECT_PAGES) >= 10


@pytest.mark.parametrize("route", OBJECT_PAGES)
def test_anonymous_is_sent_to_login(worlds, route):
    kwargs, _owner = PAGE_PARAMS[route](worlds)
    url = _url(route, kwargs)
    for method in ("get", "post"):
        resp = getattr(Client(), method)(url)
        assert resp.status_code in (302, 405), (method, resp.status_code)
        if resp.status_code == 302:
            assert "/login/" in resp["Location"]
    assert not violations_against(worlds, snapshot())


@pytest.mark.parametrize("role", ["merchant", "streamer", "consumer"])
@pytest.mark.parametrize("route", OBJECT_PAGES)
def test_tenant_b_gets_404_or_403_for_tenant_a_pages(worlds, route, role):
    kwargs, owner = PAGE_PARAMS[route](worlds)
    url = _url(route, kwargs)
    client = _session(worlds.b.user(role))
    for method, data in (("get", None), ("post", PAGE_POSTS.get(route, {}))):
        resp = client.get(url) if method == "get" else client.post(url, data)
        assert resp.status_code < 500, (method, resp.status_code)
        if owner is not None:
            assert resp.status_code in (403, 404, 405), (method, resp.status_code, resp.get("Location"))
        body = b"" if hasattr(resp, "streaming_content") else resp.content
        found = leaks(type("R", (), {"content": body})(), url)
        assert not found, (method, found)
    problems = violations_against(worlds, snapshot())
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("route", OBJECT_PAGES)
def test_positive_control_tenant_a_owner_opens_the_page(worlds, route):
    kwargs, owner = PAGE_PARAMS[route](worlds)
    if owner is None:
        pytest.skip("not a tenant object")
    url = _url(route, kwargs)
    client = _session(worlds.a.user(owner))
    resp = client.post(url) if route == "notifications/<int:pk>/read/" else client.get(url)
    if route.endswith(("return-received/", "toggle/", "appeal/")):
        assert resp.status_code in (302, 405), resp.status_code  # POST-only actions
    elif route == "notifications/<int:pk>/read/":
        assert resp.status_code == 302
    else:
        assert resp.status_code == 200, resp.status_code


@pytest.mark.parametrize("role", ["merchant", "streamer", "consumer"])
@pytest.mark.parametrize("route", PLAIN_PAGES)
def test_plain_pages_show_tenant_b_none_of_tenant_a(worlds, route, role):
    resp = _session(worlds.b.user(role)).get("/" + route)
    assert resp.status_code in (200, 302, 403, 405), resp.status_code
    if resp.status_code == 200 and not hasattr(resp, "streaming_content"):
        found = leaks(resp, "/" + route, PUBLIC_PAGE_PHRASES.get(route, ()))
        assert not found, found
