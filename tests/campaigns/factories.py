"""Factories and helpers for 巨量星图 tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from campaigns import services
from campaigns.models import Advertiser, CreatorProfile
from tests.shop.factories import ShopFactory, StreamerFactory, make_user

LICENSE_TYPE = {
    "code": "business_license",
    "name": "营业执照",
    "class": "企业资质",
    "fields": [
        {"name": "company_name", "kind": "text", "required": True, "validity_end": False},
        {"name": "license_number", "kind": "text", "required": True, "validity_end": False},
        {"name": "valid_until", "kind": "date", "required": False, "validity_end": True},
    ],
}


class CreatorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreatorProfile
        django_get_or_create = ("streamer",)

    streamer = factory.SubFactory(StreamerFactory)
    listed = True
    content_types = factory.LazyFunction(lambda: ["beauty"])
    price_short = Decimal("1000.00")
    price_long = Decimal("2000.00")


def ensure_license_type() -> None:
    from shop.sync import platform_sync

    platform_sync(document={"qualification_types": [LICENSE_TYPE]})


def approve_license(advertiser: Advertiser, user, reviewer) -> None:
    """XT-1 qualification step through the qualifications app's real services."""
    from qualifications import services as qs

    ensure_license_type()
    q = services.qualification_submit(
        advertiser=advertiser,
        actor=user,
        fields={
            "company_name": advertiser.shop.name,
            "license_number": f"91310000{advertiser.pk:010d}",
            "valid_until": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
        },
        images=[],
    )
    qs.revision_run_checks(revision_id=q.revisions.get().pk)
    qs.qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=True)


def verify_bank(advertiser: Advertiser, user, reviewer) -> None:
    services.bank_account_submit(
        advertiser_id=advertiser.pk,
        actor=user,
        company_name=advertiser.shop.name,
        bank_name="招商银行上海分行",
        account_number="6214830012345678",
    )
    amount = services.bank_transfer_record(advertiser_id=advertiser.pk, actor=reviewer)
    services.bank_transfer_verify(advertiser_id=advertiser.pk, actor=user, amount=amount)


def sign_agreement(advertiser: Advertiser, user) -> None:
    from shop.rules import setting

    services.agreement_sign(
        advertiser_id=advertiser.pk,
        actor=user,
        agree=True,
        version=setting("xingtu.agreement_version"),
        ip="10.0.0.1",
    )


def certified_merchant(reviewer, shop=None):
    """A merchant user whose shop passed all three XT-1 steps; returns (user, advertiser)."""
    shop = shop or ShopFactory()
    user = make_user("merchant", shop=shop)
    advertiser = services.advertiser_ensure(shop=shop)
    approve_license(advertiser, user, reviewer)
    verify_bank(advertiser, user, reviewer)
    sign_agreement(advertiser, user)
    advertiser.refresh_from_db()
    return user, advertiser


def creator(code: str | None = None, **profile):
    """A listed creator with a streamer user; returns (user, streamer)."""
    streamer = StreamerFactory(**({"code": code} if code else {}))
    CreatorProfileFactory(streamer=streamer, **profile)
    return make_user("streamer", streamer=streamer), streamer


def task_body(**over) -> dict:
    today = timezone.localdate()
    body = {
        "title": "新品口红种草",
        "brand": "美美",
        "product_name": "丝绒雾面口红",
        "product_link": "https://example.com/p/1",
        "publish_from": today.isoformat(),
        "publish_until": (today + dt.timedelta(days=14)).isoformat(),
        "video_duration": "short",
        "requirements": "30 秒内展示试色，口播卖点三条。",
        "service_provider": "",
        "settlement": "on_acceptance",
    }
    body.update(over)
    return body
