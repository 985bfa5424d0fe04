"""Revisions, transitions, product links, sale state, expiry and reminders (QL-3…QL-5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from qualifications import services
from qualifications.constants import TRANSITIONS, RevisionStatus
from qualifications.models import ProductQualification, QualificationRevision
from shop.errors import DomainError, InvalidState
from shop.models import Notification
from tests.qualifications.factories import license_type
from tests.shop.factories import CategoryFactory, ProductFactory, ShopFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def link(product, q):
    services.product_qualifications_set(product=product, qualification_ids=[q.pk])
    product.refresh_from_db()
    return product


@pytest.mark.parametrize("src", list(RevisionStatus.values))
def test_ql4_every_illegal_transition_is_refused(submit, src):
    q = submit()
    rev = q.latest_revision
    for to in RevisionStatus.values:
        if to in TRANSITIONS[src]:
            continue
        QualificationRevision.objects.filter(pk=rev.pk).update(status=src)
        rev.refresh_from_db()
        with pytest.raises(InvalidState):
            services.revision_transition(revision=rev, to=to)


def test_ql3_product_without_required_qualification_is_blocked_missing(product):
    services.product_qualifications_set(product=product, qualification_ids=[])
    product.refresh_from_db()
    assert product.on_sale is False and product.blocked_reasons == ["qualification_missing"]


def test_ql3_pending_qualification_keeps_product_waiting_then_approval_puts_it_on_sale(product, submit, reviewer):
    q = submit()
    assert link(product, q).blocked_reasons == ["qualification_missing"]
    services.qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=True)
    product.refresh_from_db()
    assert product.on_sale is True and product.blocked_reasons == []


def test_ql3_link_refuses_other_shops_and_unrequired_types(product, reviewer, eager):
    from qualifications.models import Qualification
    from tests.qualifications.factories import make_upload
    from tests.shop.factories import make_user

    other_shop = ShopFactory(code="S-X")
    stranger = make_user("merchant", shop=other_shop, username="x")
    qtype = license_type()
    foreign = eager(
        services.qualification_submit,
        actor=stranger,
        qtype=qtype,
        values={"number": "N1", "valid_until": "2099-01-01", "certificate": make_upload(stranger).pk},
        shop=other_shop,
    )
    with pytest.raises(DomainError) as err:
        services.product_qualifications_set(product=product, qualification_ids=[foreign.pk])
    assert err.value.code == "invalid" and "qualifications" in err.value.extra["errors"]
    brand = license_type("brand_authorization", "品牌授权书")
    mine = Qualification.objects.create(shop=product.shop, type=brand)
    with pytest.raises(DomainError) as err:
        services.product_qualifications_set(product=product, qualification_ids=[mine.pk])
    assert err.value.code == "invalid"
    with pytest.raises(DomainError):
        services.product_qualifications_set(product=product, qualification_ids=["abc"])
    assert not ProductQualification.objects.exists()


def test_ql4_edit_under_review_supersedes_the_open_revision(submit, merchant):
    q = submit()
    first = q.latest_revision
    q2, affected = services.qualification_revise(qualification_id=q.pk, actor=merchant, values={"holder": "新名称"})
    first.refresh_from_db()
    assert first.status == RevisionStatus.SUPERSEDED
    assert q2.latest_revision.number == 2 and q2.status == "pending"
    assert affected == []


def test_ql4_edit_after_approval_keeps_products_on_last_approved_revision(product, approved, merchant, reviewer, eager):
    q = approved()
    link(product, q)
    assert product.on_sale
    q2, affected = eager(
        services.qualification_revise, qualification_id=q.pk, actor=merchant, values={"holder": "改名"}
    )
    assert affected == ["P-NUTS"]
    assert q2.status == "pending" and q2.is_in_force() and q2.approved_revision.number == 1
    product.refresh_from_db()
    assert product.on_sale
    # A rejected revision leaves the approved one in force.
    services.qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=False, reason="wrong holder")
    q2.refresh_from_db()
    assert q2.status == "rejected" and q2.in_force and q2.approved_revision.number == 1
    product.refresh_from_db()
    assert product.on_sale
    # Full history kept: every revision and every event.
    assert list(q2.revisions.order_by("number").values_list("status", flat=True)) == ["approved", "rejected"]
    assert q2.events.count() == 6


def test_ql4_approving_a_new_revision_supersedes_the_old_approved_one(approved, merchant, reviewer, eager):
    q = approved()
    eager(services.qualification_revise, qualification_id=q.pk, actor=merchant, values={"holder": "B"})
    services.qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=True)
    q.refresh_from_db()
    assert list(q.revisions.order_by("number").values_list("status", flat=True)) == ["superseded", "approved"]
    assert q.approved_revision.number == 2


def test_ql4_unchanged_edit_is_idempotent(approved, merchant):
    q = approved()
    q2, _ = services.qualification_revise(qualification_id=q.pk, actor=merchant, values={})
    assert q2.revisions.count() == 1


def test_ql4_colleague_can_edit_with_images_the_owner_uploaded(submit, shop):
    from tests.shop.factories import make_user

    q = submit()
    colleague = make_user("merchant", shop=shop, username="colleague")
    q2, _ = services.qualification_revise(qualification_id=q.pk, actor=colleague, values={"holder": "X"})
    assert q2.latest_revision.number == 2


def _at(day: dt.date, h: int, m: int = 0, s: int = 0):
    return dt.datetime(day.year, day.month, day.day, h, m, s, tzinfo=SH)


def test_ql5_expiry_on_boundary_day_asia_shanghai(product, approved, merchant):
    until = dt.date(2031, 3, 31)
    with time_machine.travel(_at(dt.date(2031, 1, 1), 9), tick=False):
        q = approved(until=until)
        link(product, q)
        assert product.on_sale
    # Last valid day, one second before Shanghai midnight: still in force.
    with time_machine.travel(_at(until, 23, 59, 59), tick=False):
        assert services.qualifications_expire() == 0
        q.refresh_from_db()
        assert q.is_in_force()
    # Shanghai midnight (16:00 UTC on the 31st): expired, product off sale with the reason.
    with time_machine.travel(_at(until + dt.timedelta(days=1), 0, 0, 0), tick=False):
        assert timezone.now() == dt.datetime(2031, 3, 31, 16, 0, tzinfo=dt.UTC)
        assert services.qualifications_expire() == 1
        q.refresh_from_db()
        product.refresh_from_db()
        assert q.status == "expired" and not q.in_force
        assert product.on_sale is False and product.blocked_reasons == ["qualification_expired"]
        assert merchant.notifications.filter(kind="qualification_expiring").count() == 1
        assert services.qualifications_expire() == 0  # idempotent


def test_ql5_renewal_puts_products_back_on_sale_once_approved(product, approved, merchant, reviewer, eager):
    until = dt.date(2031, 3, 31)
    with time_machine.travel(_at(dt.date(2031, 1, 1), 9), tick=False):
        q = approved(until=until)
        link(product, q)
    with time_machine.travel(_at(dt.date(2031, 4, 2), 10), tick=False):
        services.qualifications_expire()
        q2, affected = eager(
            services.qualification_revise, qualification_id=q.pk, actor=merchant, values={"valid_until": "2033-03-31"}
        )
        assert affected == ["P-NUTS"] and q2.status == "pending"
        product.refresh_from_db()
        assert product.blocked_reasons == ["qualification_expired"]
        services.qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=True)
        product.refresh_from_db()
        assert product.on_sale and product.blocked_reasons == []
        q.refresh_from_db()
        assert list(q.revisions.order_by("number").values_list("status", flat=True)) == ["expired", "approved"]


@pytest.mark.parametrize(("days_before", "threshold"), [(30, 30), (7, 7), (1, 1), (0, 1), (20, 30)])
def test_ql5_reminders_at_30_7_1_days_once_each(approved, merchant, days_before, threshold):
    until = dt.date(2031, 6, 30)
    with time_machine.travel(_at(dt.date(2031, 1, 1), 9), tick=False):
        q = approved(until=until)
    day = until - dt.timedelta(days=days_before)
    with time_machine.travel(_at(day, 0, 5), tick=False):
        assert services.qualifications_remind() == 1
        assert services.qualifications_remind() == 0
    note = Notification.objects.get(user=merchant, kind="qualification_expiring")
    assert note.dedupe_key == f"qual-expiring:{q.approved_revision_id}:{threshold}"
    assert until.isoformat() in note.text


def test_ql5_no_reminder_31_days_before(approved):
    until = dt.date(2031, 6, 30)
    with time_machine.travel(_at(dt.date(2031, 1, 1), 9), tick=False):
        approved(until=until)
    with time_machine.travel(_at(until - dt.timedelta(days=31), 0, 5), tick=False):
        assert services.qualifications_remind() == 0


def test_ql5_daily_task_expires_and_reminds(approved, product):
    from qualifications.tasks import daily_expiry

    until = dt.date(2031, 3, 31)
    with time_machine.travel(_at(dt.date(2031, 1, 1), 9), tick=False):
        q = approved(until=until)
        link(product, q)
    with time_machine.travel(_at(dt.date(2031, 4, 1), 0, 5), tick=False):
        assert daily_expiry.apply().get() == {"expired": 1, "reminded": 0}


def test_ql1_sync_section_upserts_types_idempotently(platform_api):
    doc = {
        "qualification_types": [
            {
                "code": "ccc_cert",
                "name": "3C认证",
                "class": "电子电器资质",
                "fields": [
                    {"name": "number", "kind": "text", "required": True, "validity_end": False},
                    {"name": "valid_until", "kind": "date", "required": True, "validity_end": True},
                    {"name": "certificate", "kind": "image", "required": True, "validity_end": False},
                ],
            }
        ],
        "categories": [
            {"code": "electronics", "name": "数码", "parent": None, "required_qualification_types": ["ccc_cert"]}
        ],
    }
    res = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert res.status_code == 200, res.json()
    assert res.json()["changed"]["qualification_types"] == 1
    again = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert again.json()["changed"] == {"qualification_types": 0, "categories": 0}
    from qualifications.models import QualificationType

    t = QualificationType.objects.get(code="ccc_cert")
    assert t.fields.get(is_number=True).name == "number"
    assert t.fields.get(validity_end=True).name == "valid_until"


def test_ql1_sync_refuses_two_validity_end_fields(platform_api):
    doc = {
        "qualification_types": [
            {
                "code": "x",
                "name": "X",
                "class": "c",
                "fields": [
                    {"name": "a", "kind": "date", "required": True, "validity_end": True},
                    {"name": "b", "kind": "date", "required": True, "validity_end": True},
                ],
            }
        ]
    }
    res = platform_api.post("/api/v1/platform/sync", doc, format="json")
    assert res.status_code == 400 and res.json()["code"] == "invalid_sync"
    assert "qualification_types" in res.json()["errors"]


def test_ql3_category_without_requirements_is_never_blocked_by_qualifications(shop):
    p = ProductFactory(shop=shop, category=CategoryFactory(code="apparel"))
    assert services.sale_block_provider(type(p).objects.filter(pk=p.pk)) == {}
