"""Bad input never 500s (API.md "Conventions"): ids beyond the database's integer range, found by
the Schemathesis run (a 25-digit evidence id made SQLite raise OverflowError → 500)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

HUGE = 10**25


@pytest.mark.parametrize("bad", [HUGE, -HUGE, 2**63, -1, 0])
def test_out_of_range_evidence_id_is_invalid_upload(worlds, api_as, bad):
    b = worlds.b
    bodies = [
        (
            b.merchant_user,
            "/api/v1/shop/abuse-reports",
            {"consumer": b.consumer.code, "reason": "r", "evidence": [bad]},
        ),
        (
            b.consumer_user,
            "/api/v1/claims",
            {
                "order": b.orders["SZBFREE"].code,
                "kind": "shizaibao",
                "type": "material",
                "reason": "r",
                "evidence": [bad],
            },
        ),
        (b.merchant_user, "/api/v1/qualifications", {"type": worlds.qtype.code, "fields": {}, "images": [bad]}),
    ]
    for user, path, body in bodies:
        resp = api_as(user).post(path, body, format="json")
        assert resp.status_code == 400, (path, resp.status_code, resp.content[:300])
        assert resp.json()["code"] in ("invalid_upload", "invalid"), (path, resp.content[:300])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/{n}",
        "/api/v1/qualifications/{n}",
        "/api/v1/shop/abuse-reports/{n}",
        "/api/v1/xingtu/orders/{n}",
        "/api/v1/xingtu/tasks/{n}",
    ],
)
def test_out_of_range_path_id_is_404(worlds, api_as, path):
    user = worlds.b.merchant_user
    resp = api_as(user).get(path.format(n=HUGE))
    assert resp.status_code == 404, resp.content[:300]


def test_out_of_range_notification_id_is_404(worlds, api_as):
    resp = api_as(worlds.b.consumer_user).post(f"/api/v1/notifications/{HUGE}/read")
    assert resp.status_code == 404, resp.content[:300]
