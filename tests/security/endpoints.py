"""Every /api/v1/ endpoint, read from the URL resolver, with how to aim it at tenant A.

A new endpoint is picked up automatically: if its URL has parameters and no filler below, the
matrix fails with "no parameter filler", so nobody can add an object endpoint without it being
attacked from the other tenant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory

from shop.api_common import HasRole

METHODS = ("get", "post", "put", "patch", "delete")
SKIP = {"api-schema", "api-docs"}
ROLES = ("platform", "merchant", "streamer", "consumer", "reviewer")


@dataclass(frozen=True)
class Endpoint:
    route: str  # "api/v1/claims/<int:pk>"
    name: str
    view: type
    params: tuple[str, ...]
    methods: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def discover(prefix: str = "api/v1/") -> list[Endpoint]:
    out = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith(prefix) or pattern.name in SKIP:
            continue
        view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
        methods = tuple(m for m in METHODS if view is not None and hasattr(view, m))
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        out.append(Endpoint(route=route, name=pattern.name, view=view, params=params, methods=methods))
    return out


def declared_roles(ep: Endpoint, method: str) -> frozenset[str] | None:
    """The roles the view lets in for ``method`` (None: public), read from its permissions."""
    request = getattr(APIRequestFactory(), method)("/")
    view = ep.view()
    view.request = view.initialize_request(request)
    view.args, view.kwargs = (), {}
    roles: set[str] | None = set(ROLES)
    for perm in view.get_permissions():
        if isinstance(perm, AllowAny):
            continue
        if isinstance(perm, HasRole):
            roles &= {str(r) for r in perm.roles}
        else:
            raise AssertionError(f"{ep.name}: unknown permission class {type(perm).__name__}; classify it")
    if roles == set(ROLES) and all(isinstance(p, AllowAny) for p in view.get_permissions()):
        return None
    return frozenset(roles)


# --- API.md's roles per endpoint and method (the contract the views must match) ----------------
M, S, C, R, P = "merchant", "streamer", "consumer", "reviewer", "platform"
CONTRACT: dict[tuple[str, str], set[str] | None] = {
    ("api-token", "post"): None,
    ("api-ping", "get"): None,
    ("api-platform-sync", "post"): {P},
    ("api-order-events", "post"): {P},
    ("api-order-detail", "get"): {C, M, S},
    ("api-uploads", "post"): {M, S, C},
    ("api-notifications", "get"): {M, S, C, R},
    ("api-notification-read", "post"): {M, S, C, R},
    ("api-shop-services", "get"): {M},
    ("api-shop-service", "put"): {M},
    ("api-shop-products", "get"): {M},
    ("api-shop-products", "post"): {M},
    ("api-shop-product", "get"): {M},
    ("api-shop-product", "patch"): {M},
    ("api-shop-trust-badge", "get"): {M},
    ("api-shop-return-addresses", "get"): {M},
    ("api-shop-return-address", "put"): {M},
    ("api-shop-account", "get"): {M},
    ("api-shop-abuse-reports", "get"): {M},
    ("api-shop-abuse-reports", "post"): {M},
    ("api-claim-merchant-response", "post"): {M},
    ("api-szb", "get"): {S},
    ("api-szb-open", "post"): {S},
    ("api-live-session", "patch"): {S},
    ("api-live-cart", "get"): {S},
    ("api-live-cart", "post"): {S},
    ("api-kick", "post"): {S},
    ("api-streamer-account", "get"): {S},
    ("api-claim-appeal", "post"): {S},
    ("api-claims", "get"): {C, S, M, R},
    ("api-claims", "post"): {C},
    ("api-claim-detail", "get"): {C, S, M, R},
    ("api-claim-escalate", "post"): {C},
    ("api-consumer-wallet", "get"): {C},
    ("api-review-claim-decision", "post"): {R},
    ("api-review-appeal-decision", "post"): {R},
    ("api-qualification-decision", "post"): {R},
    ("api-szb-invite", "post"): {R},
    ("api-review-abuse-decision", "post"): {R},
    ("api-review-return-freight", "post"): {R},
    ("api-qualification-types", "get"): {M},
    ("api-qualifications", "get"): {M},
    ("api-qualifications", "post"): {M},
    ("api-qualification-detail", "get"): {M},
    ("api-qualification-detail", "patch"): {M},
    ("api-qualification-impact", "get"): {M},
    ("api-streamer-funds", "post"): {P},
    ("api-shop-funds", "post"): {P},
}


# --- Parameters: aim every object parameter at tenant A ------------------------------------------
# Each filler returns (kwargs, owner) where owner is the tenant-A role that may act on the object
# (the positive control), or None when the parameter is not a tenant object (a service code, a
# region, a public product, a creator code) — then tenant B acts on its own data.
def _xt(state: str, owner: str):
    return lambda w: ({"pk": w.a.xt_orders[state].pk}, owner)


PARAMS: dict[str, Callable[[Any], tuple[dict[str, Any], str | None]]] = {
    "api-order-events": lambda w: ({"code": w.a.orders["UNSHIPPED"].code}, "platform"),
    "api-order-detail": lambda w: ({"code": w.a.orders["SZB1"].code}, "consumer"),
    "api-notification-read": lambda w: ({"pk": w.a.notifications["merchant"].pk}, "merchant"),
    "api-shop-service": lambda w: ({"code": "fast_refund"}, None),
    "api-shop-service-impact": lambda w: ({"code": "fast_refund"}, None),
    "api-shop-product": lambda w: ({"code": w.a.products["P1"].code}, "merchant"),
    "api-shop-return-address": lambda w: ({"region": "CN"}, None),
    "api-live-session": lambda w: ({"code": w.a.sessions["scheduled"].code}, "streamer"),
    "api-live-cart": lambda w: ({"code": w.a.sessions["live"].code}, "streamer"),
    "api-live-cart-item": lambda w: (
        {"code": w.a.sessions["live"].code, "product": w.a.products["P1"].code},
        "streamer",
    ),
    "api-product": lambda w: ({"code": w.a.products["P1"].code}, None),  # public product page
    "api-kick": lambda w: ({"code": w.a.sessions["live"].code}, "streamer"),
    "api-szb-invite": lambda w: ({"code": w.a.streamer.code}, "reviewer"),
    "api-qualification-detail": lambda w: ({"pk": w.a.qualifications["approved"].pk}, "merchant"),
    "api-qualification-impact": lambda w: ({"pk": w.a.qualifications["approved"].pk}, "merchant"),
    "api-qualification-decision": lambda w: ({"pk": w.a.qualifications["pending"].pk}, "reviewer"),
    "api-claim-detail": lambda w: ({"pk": w.a.claims["SZB1"].pk}, "consumer"),
    "api-claim-merchant-response": lambda w: ({"pk": w.a.claims["AUTH"].pk}, "merchant"),
    "api-claim-escalate": lambda w: ({"pk": w.a.claims["DMG"].pk}, "consumer"),
    "api-claim-appeal": lambda w: ({"pk": w.a.claims["SZB3"].pk}, "streamer"),
    "api-review-claim-decision": lambda w: ({"pk": w.a.claims["SZB1"].pk}, "reviewer"),
    "api-review-appeal-decision": lambda w: ({"pk": w.a.appeal.pk}, "reviewer"),
    "api-streamer-funds": lambda w: ({"code": w.a.streamer.code}, "platform"),
    "api-shop-funds": lambda w: ({"code": w.a.shop.code}, "platform"),
    "api-shop-abuse-report": lambda w: ({"pk": w.a.abuse_report.pk}, "merchant"),
    "api-review-abuse-decision": lambda w: ({"pk": w.a.abuse_report.pk}, "reviewer"),
    "api-review-return-freight": lambda w: ({"code": w.a.consumer.code}, "reviewer"),
    "api-review-abuse": lambda w: ({"code": w.a.consumer.code}, "reviewer"),
    "api-return-received": lambda w: ({"pk": w.a.claims["LOCAL"].pk}, "merchant"),
    "xt-api-selection-remove": lambda w: ({"code": w.a.streamer.code}, None),  # the caller's own list
    "xt-api-task": lambda w: ({"pk": w.a.task.pk}, "merchant"),
    "xt-api-order": _xt("pending", "merchant"),
    "xt-api-order-accept": _xt("pending", "streamer"),
    "xt-api-order-decline": _xt("pending", "streamer"),
    "xt-api-order-cancel": _xt("awaiting_script", "merchant"),
    "xt-api-script": _xt("awaiting_script", "streamer"),
    "xt-api-script-confirm": _xt("script_review", "merchant"),
    "xt-api-script-reject": _xt("script_review", "merchant"),
    "xt-api-video": _xt("awaiting_video", "streamer"),
    "xt-api-video-confirm": _xt("client_review", "merchant"),
    "xt-api-video-reject": _xt("client_review", "merchant"),
    "xt-api-publish": _xt("awaiting_publish", "merchant"),
    "xt-api-complete": _xt("published", "merchant"),
    "xt-api-rating": _xt("completed", "merchant"),
    "xt-api-review-video": _xt("platform_review", "reviewer"),
    "xt-api-review-transfer": lambda w: ({"code": w.a.shop.code}, "reviewer"),
    "xt-api-review-unlock": lambda w: ({"code": w.a.shop.code}, "reviewer"),
}


# --- Bodies: valid for the rightful owner, and pointing at tenant A's objects ---------------------
# body(w, actor_tenant) → JSON body. Collection endpoints get bodies that reference A's objects
# (A's order, A's qualification, A's uploads, A's products) so tenant B's call tries to reach them.
def _now() -> str:
    return timezone.localtime().isoformat()


BODIES: dict[tuple[str, str], Callable[[Any, Any], Any]] = {
    ("api-order-events", "post"): lambda w, t: {"type": "shipped", "at": _now()},
    ("api-notification-read", "post"): lambda w, t: {},
    ("api-shop-service", "put"): lambda w, t: {"enabled": False},
    ("api-shop-products", "post"): lambda w, t: {
        "code": f"{t.prefix}-NEW",
        "title": "new product",
        "category": w.category.code,
        "price": "10.00",
        "source": "own",
        "qualifications": [w.a.qualifications["approved"].pk],
        "opt_outs": [],
    },
    ("api-shop-product-opt-outs", "post"): lambda w, t: {
        "products": [w.a.products["P1"].code, w.a.products["P2"].code],
        "service": "fast_refund",
        "opted_out": True,
    },
    ("api-shop-product", "patch"): lambda w, t: {"title": "renamed", "price": "1.00"},
    ("api-shop-return-address", "put"): lambda w, t: {"name": "n", "phone": "13800000001", "address": "new addr"},
    ("api-live-session", "patch"): lambda w, t: {"trust_only": True},
    ("api-live-cart", "post"): lambda w, t: {"product": w.a.products["P3"].code},
    ("api-kick", "post"): lambda w, t: {"consumer": w.a.bystander.code},
    ("api-szb-open", "post"): lambda w, t: {"agree": True, "agreement_version": "v1"},
    ("api-qualifications", "post"): lambda w, t: {
        "type": w.qtype.code,
        "fields": {
            "number": "X-1",
            "valid_until": (timezone.localdate() + dt.timedelta(days=100)).isoformat(),
            "certificate": w.a.uploads["merchant"].pk,
        },
        "images": [w.a.uploads["merchant"].pk],
    },
    ("api-qualification-detail", "patch"): lambda w, t: {"fields": {"holder": "changed"}},
    ("api-qualification-decision", "post"): lambda w, t: {"approved": False, "reason": "no"},
    ("api-claims", "post"): lambda w, t: {
        "order": w.a.orders["SZBFREE"].code,
        "kind": "shizaibao",
        "type": "material",
        "reason": "r",
        "evidence": [t.uploads["consumer0"].pk],
    },
    ("api-claim-merchant-response", "post"): lambda w, t: {"accept": True, "note": "ok"},
    ("api-claim-escalate", "post"): lambda w, t: {"note": "please"},
    ("api-claim-appeal", "post"): lambda w, t: {"reason": "not my fault"},
    ("api-review-claim-decision", "post"): lambda w, t: {"upheld": True},
    ("api-review-appeal-decision", "post"): lambda w, t: {"upheld": False, "note": "n"},
    ("api-streamer-funds", "post"): lambda w, t: {"account": "cash", "amount": "1.00", "key": "sec-k1"},
    ("api-shop-funds", "post"): lambda w, t: {"account": "deposit", "amount": "1.00", "key": "sec-k2"},
    ("api-shop-abuse-reports", "post"): lambda w, t: {
        "consumer": w.a.consumer.code,
        "reason": "abuse",
        "evidence": [w.a.uploads["merchant"].pk],
    },
    ("api-review-abuse-decision", "post"): lambda w, t: {"upheld": False, "note": "n"},
    ("api-review-return-freight", "post"): lambda w, t: {"action": "freeze", "note": "n"},
    ("api-return-received", "post"): lambda w, t: {"note": "arrived"},
    ("xt-api-selection", "post"): lambda w, t: {"creators": [t.streamer.code]},
    ("xt-api-order-decline", "post"): lambda w, t: {"reason": "busy"},
    ("xt-api-order-cancel", "post"): lambda w, t: {"reason": "changed plan"},
    ("xt-api-script", "post"): lambda w, t: {"text": "script"},
    ("xt-api-script-reject", "post"): lambda w, t: {"comments": "redo"},
    ("xt-api-video", "post"): lambda w, t: {"link": "https://v.douyin.com/y/"},
    ("xt-api-video-reject", "post"): lambda w, t: {"comments": "redo"},
    ("xt-api-publish", "post"): lambda w, t: {"mode": "now"},
    ("xt-api-rating", "post"): lambda w, t: {"score": 5},
    ("xt-api-review-video", "post"): lambda w, t: {"approved": True},
    ("xt-api-review-transfer", "post"): lambda w, t: {},
    ("xt-api-review-unlock", "post"): lambda w, t: {"note": "n"},
}

# Endpoints whose data is global by design: answers to tenant B may name tenant A's public
# facts (a product's buyer-facing card, the creator square of listed creators).
PUBLIC_PHRASES: dict[str, tuple[str, ...]] = {
    "api-product": ("TENA P1",),
    "xt-api-creators": ("TENA streamer", "TENA creator", "TENA-ST"),
    "xt-api-selection-remove": ("TENA streamer", "TENA creator", "TENA-ST"),
}


# Objects of one user (not of a tenant): the global roles get 404 for them like anyone else.
USER_PRIVATE = {"api-notification-read"}
# Positive controls where the global reviewer reaches A's object but it is not in an actionable
# state (A's advertiser already passed the bank check): a domain 409, not a 404.
STATE_OK = {"xt-api-review-transfer", "xt-api-review-unlock"}

# Query strings some GETs need to be meaningful.
QUERY: dict[str, str] = {"api-shop-service-impact": "?enabled=false"}


def body_for(ep: Endpoint, method: str, worlds, actor_tenant) -> Any:
    fn = BODIES.get((ep.name, method))
    if fn is None:
        return None if method in ("get", "delete") else {}
    return fn(worlds, actor_tenant)


def path_for(ep: Endpoint, worlds) -> tuple[str, str | None]:
    """The URL with tenant A's objects, and the owning role (None: not a tenant object)."""
    query = QUERY.get(ep.name, "")
    if not ep.params:
        return "/" + ep.route + query, None
    filler = PARAMS.get(ep.name)
    assert filler is not None, f"no parameter filler for {ep.route} ({ep.name}): add one to PARAMS"
    kwargs, owner = filler(worlds)
    assert set(kwargs) == set(ep.params), f"{ep.name}: filler gives {set(kwargs)}, route needs {ep.params}"
    path = ep.route
    for key, value in kwargs.items():
        path = re.sub(rf"<(?:\w+:)?{key}>", str(value), path)
    return "/" + path + query, owner


def call(client, method: str, path: str, body: Any):
    if body is None:
        return getattr(client, method)(path)
    return getattr(client, method)(path, body, format="json")


_CODE = re.compile(r"TENA-[A-Za-z0-9-]+")
_TEXT = re.compile(r"TENA [A-Za-z0-9]+")


def leaks(response, request_text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Tenant A's data in an answer: any "TENA <text>" phrase (never sent in a request), and
    any TENA code the request did not itself contain."""
    body = response.content.decode("utf-8", "replace")
    for phrase in allowed:
        body = body.replace(phrase, "")
    found = set(_TEXT.findall(body))
    found |= {code for code in _CODE.findall(body) if code not in request_text}
    return sorted(found)
