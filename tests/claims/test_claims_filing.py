"""POST /api/v1/claims for 实在宝 (API.md Claims; SZB-4..9, SZB-12, SZB-15, BX-2)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from claims import ledger
from claims.models import Claim, ClaimEvent, Hold
from tests.claims.engine_helpers import World, upload_for
from tests.shop.factories import ConsumerFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def post(client_for, user, body):
    return client_for(user).post("/api/v1/claims", body, format="json")


def test_szb6_claim_filed_under_review_with_capped_amount_and_hold(client_for, world):
    r = post(client_for, world.consumer_user, world.body())
    assert r.status_code == 201, r.content
    claim = Claim.objects.get(pk=r.json()["id"])
    assert r.json()["status"] == "under_review"
    assert claim.amount == Decimal("100.00")
    assert claim.payer == "streamer"
    assert claim.review_due_at == claim.filed_at + timedelta(hours=48)
    assert claim.inform_due_at == claim.filed_at + timedelta(hours=72)
    hold = Hold.objects.get(claim=claim)
    assert hold.amount == Decimal("100.00") and hold.status == "active"
    acc = ledger.streamer_account(world.streamer, "cash")
    assert ledger.held(acc) == Decimal("100.00")
    assert list(ClaimEvent.objects.filter(claim=claim).values_list("event", flat=True)) == ["filed"]
    assert world.streamer_user.notifications.filter(kind="claim_filed").exists()


@pytest.mark.parametrize(("paid", "expected"), [("1299.00", "1000.00"), ("1000.00", "1000.00"), ("0.01", "0.01")])
def test_szb12_amount_is_min_of_paid_and_cap(client_for, paid, expected):
    w = World(paid=paid)
    r = post(client_for, w.consumer_user, w.body())
    assert r.status_code == 201
    assert Claim.objects.get(pk=r.json()["id"]).amount == Decimal(expected)
    detail = client_for(w.consumer_user).get(f"/api/v1/claims/{r.json()['id']}").json()
    assert detail["amount"] == expected


def test_claim_other_consumers_order_is_404(client_for, world):
    other = make_user("consumer", consumer=ConsumerFactory())
    r = post(client_for, other, world.body(evidence=upload_for(other)))
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_szb15_risk_consumer_refused_403_before_claim_exists(client_for, world):
    assert post(client_for, world.consumer_user, world.body()).status_code == 201
    world.consumer.risk = True
    world.consumer.save()
    r = post(client_for, world.consumer_user, world.body())
    assert r.status_code == 403
    assert r.json()["code"] == "not_eligible"


def test_szb7_second_claim_on_same_order_refused_even_after_rejection(client_for, reviewer_api, world):
    first = post(client_for, world.consumer_user, world.body()).json()["id"]
    r = reviewer_api.post(
        f"/api/v1/review/claims/{first}/decision", {"upheld": False, "reason_code": "consumer_cause"}, format="json"
    )
    assert r.status_code == 200
    again = post(client_for, world.consumer_user, world.body())
    assert again.status_code == 409
    assert again.json()["code"] == "claim_exists"


def test_szb7_claim_exists_checked_before_coverage(client_for, world):
    assert post(client_for, world.consumer_user, world.body()).status_code == 201
    world.order.shizaibao_covered = False
    world.order.save()
    assert post(client_for, world.consumer_user, world.body()).json()["code"] == "claim_exists"


def test_szb4_uncovered_order_refused_not_covered(client_for, world):
    world.order.shizaibao_covered = False
    world.order.save()
    r = post(client_for, world.consumer_user, world.body())
    assert r.status_code == 400
    assert r.json()["code"] == "not_covered"


def test_szb6_claim_accepted_at_exactly_30_days_after_shipping(client_for, world):
    shipped = world.order.shipped_at
    with time_machine.travel(shipped + timedelta(days=30), tick=False):
        r = post(client_for, world.consumer_user, world.body())
    assert r.status_code == 201, r.content


def test_szb6_claim_refused_one_second_after_30_days(client_for, world):
    shipped = world.order.shipped_at
    with time_machine.travel(shipped + timedelta(days=30, seconds=1), tick=False):
        r = post(client_for, world.consumer_user, world.body())
    assert r.status_code == 400
    assert r.json()["code"] == "window_closed"


def test_szb6_window_runs_in_asia_shanghai_natural_days():
    w = World()
    shanghai = timezone.get_fixed_timezone(8 * 60)
    shipped = timezone.datetime(2026, 3, 1, 10, 0, tzinfo=shanghai)
    w.order.shipped_at = shipped
    w.order.save()
    from claims.policies import REGISTRY

    assert REGISTRY["shizaibao"].window_end(order=w.order) == timezone.datetime(2026, 3, 31, 10, 0, tzinfo=shanghai)


def test_szb6_not_shipped_yet_is_window_closed(client_for):
    w = World(shipped_ago=None)
    r = post(client_for, w.consumer_user, w.body())
    assert r.status_code == 400
    assert r.json()["code"] == "window_closed"


def test_szb8_type_outside_compensable_set_lists_allowed_types(client_for, world):
    r = post(client_for, world.consumer_user, world.body(type="price"))
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "type_not_covered"
    assert body["allowed_types"] == ["material", "brand", "quantity", "origin", "ingredients"]


def test_szb8_compensable_set_is_a_setting(client_for, world):
    from shop.models import RuleSetting
    from shop.rules import invalidate

    RuleSetting.objects.create(key="claims.szb.compensable_types", value=["price"])
    invalidate("claims.szb.compensable_types")
    try:
        assert post(client_for, world.consumer_user, world.body(type="price")).status_code == 201
    finally:
        invalidate("claims.szb.compensable_types")


def test_szb9_no_images_is_evidence_required(client_for, world):
    r = post(client_for, world.consumer_user, world.body(evidence=[]))
    assert r.status_code == 400
    assert r.json()["code"] == "evidence_required"


def test_szb9_nine_images_accepted_ten_refused(client_for):
    w = World()
    r = post(client_for, w.consumer_user, w.body(evidence=upload_for(w.consumer_user, 10)))
    assert r.status_code == 400
    assert r.json()["code"] == "too_many_images"
    r = post(client_for, w.consumer_user, w.body(evidence=upload_for(w.consumer_user, 9)))
    assert r.status_code == 201


def test_szb9_evidence_objects_with_kinds_accepted(client_for, world):
    ids = upload_for(world.consumer_user, 2)
    r = post(client_for, world.consumer_user, world.body(evidence=[{"upload": ids[0], "kind": "other"}, ids[1]]))
    assert r.status_code == 201
    detail = client_for(world.consumer_user).get(f"/api/v1/claims/{r.json()['id']}").json()
    assert {e["upload"] for e in detail["evidence"]} == set(ids)


def test_someone_elses_upload_is_invalid_upload(client_for, world):
    stranger = make_user("consumer")
    r = post(client_for, world.consumer_user, world.body(evidence=upload_for(stranger)))
    assert r.status_code == 400
    assert r.json()["code"] == "invalid_upload"


def test_reason_missing_is_invalid(client_for, world):
    body = world.body()
    del body["reason"]
    r = post(client_for, world.consumer_user, body)
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert "reason" in r.json()["errors"]


@pytest.mark.parametrize("bad", [{"evidence": "x"}, {"evidence": [{"nope": 1}]}, {"kind": "nope"}, {"order": None}])
def test_bad_input_is_400_never_500(client_for, world, bad):
    r = post(client_for, world.consumer_user, world.body(**bad))
    assert r.status_code == 400


def test_body_not_json_is_parse_error(client_for, world):
    r = client_for(world.consumer_user).post("/api/v1/claims", data="{nope", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["code"] == "parse_error"


def test_only_consumers_file_claims(client_for, world):
    r = client_for(world.streamer_user).post("/api/v1/claims", world.body(), format="json")
    assert r.status_code == 403


def test_claim_lists_are_scoped_per_role(client_for, reviewer_api, world):
    cid = post(client_for, world.consumer_user, world.body()).json()["id"]
    other = World()
    post(client_for, other.consumer_user, other.body())
    for user in (world.consumer_user, world.streamer_user, world.merchant_user):
        body = client_for(user).get("/api/v1/claims").json()
        assert [c["id"] for c in body["results"]] == [cid]
    assert reviewer_api.get("/api/v1/claims").json()["count"] == 2
    assert client_for(other.consumer_user).get(f"/api/v1/claims/{cid}").status_code == 404
    assert client_for(world.consumer_user).get("/api/v1/claims?status=rejected").json()["count"] == 0


def test_claim_detail_has_api_md_shape(client_for, world):
    cid = post(client_for, world.consumer_user, world.body()).json()["id"]
    d = client_for(world.consumer_user).get(f"/api/v1/claims/{cid}").json()
    for key in (
        "id",
        "order",
        "kind",
        "type",
        "status",
        "decision",
        "amount",
        "return_address",
        "appeal",
        "payout",
        "timeline",
    ):
        assert key in d
    assert d["order"] == world.order.code
    assert d["appeal"] is None
    assert d["payout"]["status"] == "none" and d["payout"]["destination"] is None
    assert [t["event"] for t in d["timeline"]] == ["filed"]


def test_bx3_filing_tells_the_streamer_and_every_kind_of_reviewer_once(client_for, world):
    """claim_filed reaches the payer's users and the reviewers (group, role, superuser staff),
    each once, and nobody else (BX-3)."""
    from django.contrib.auth.models import Group

    by_role = make_user("reviewer")
    by_group = make_user("consumer")
    by_group.is_staff = True
    by_group.save()
    by_group.groups.add(Group.objects.get_or_create(name="claim_reviewers")[0])
    admin = make_user("consumer")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    not_staff = make_user("consumer")
    not_staff.groups.add(Group.objects.get(name="claim_reviewers"))
    gone = make_user("reviewer")
    gone.is_active = False
    gone.save()
    other_streamer = make_user("streamer")
    r = post(client_for, world.consumer_user, world.body())
    assert r.status_code == 201
    from shop.models import Notification

    told = list(Notification.objects.filter(kind="claim_filed").values_list("user_id", flat=True))
    assert sorted(told) == sorted({world.streamer_user.pk, by_role.pk, by_group.pk, admin.pk})
    assert not_staff.pk not in told and gone.pk not in told and other_streamer.pk not in told


def test_szb7_filing_without_database_sequences_inserts_the_claim_first(client_for, world, monkeypatch):
    """SQLite has no sequences: the claim row is inserted on its own to learn its id, then the
    rest follows. The same path is exercised on PostgreSQL here."""
    from shop import fastdb

    monkeypatch.setattr(fastdb, "next_id_sql", lambda model, **kw: None)
    r = post(client_for, world.consumer_user, world.body())
    assert r.status_code == 201, r.content
    claim = Claim.objects.get(pk=r.json()["id"])
    assert Hold.objects.get(claim=claim).key == f"claim:{claim.pk}:hold"
    assert claim.evidence.count() == 1
    assert world.streamer_user.notifications.filter(kind="claim_filed", link=f"/claims/{claim.pk}/").exists()
    again = post(client_for, world.consumer_user, world.body())
    assert again.status_code == 409 and again.json()["code"] == "claim_exists"
