"""巨量星图 demo data (seed_demo, after guarantees, qualifications and claims). Idempotent.

- S-BEAUTY (login ``merchant``): certified advertiser (business licence approved, bank check
  verified, agreement signed) with the task “新品口红种草”: ST-STAR's video waits for the client
  (login ``streamer``), ST-SMALL (login ``streamer_small``) has accepted and writes the script.
- S-SNACK: an advertiser half-way: account saved (waiting for the platform's transfer) and the
  agreement signed; its business licence is not submitted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from shop.models import Shop, Streamer
from shop.rules import setting

from . import qualification_link, services
from .models import CreatorProfile, Task

LICENSE_TYPE = {
    "code": qualification_link.BUSINESS_LICENSE,
    "name": "营业执照",
    "class": "企业资质",
    "fields": [
        {"name": "company_name", "kind": "text", "required": True, "validity_end": False},
        {"name": "license_number", "kind": "text", "required": True, "validity_end": False},
        {"name": "valid_until", "kind": "date", "required": False, "validity_end": True},
    ],
}
CREATORS = {
    "ST-STAR": {
        "content_types": ["beauty", "lifestyle"],
        "price_short": "8000.00",
        "price_long": "12000.00",
        "bio": "300万粉丝生活方式达人",
    },
    "ST-SMALL": {
        "content_types": ["tech", "review"],
        "price_short": "600.00",
        "price_long": "1000.00",
        "bio": "数码测评新人",
    },
}


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _certify(shop: Shop, merchant: Any, reviewer: Any, *, full: bool) -> Any:
    from qualifications.models import QualificationType

    advertiser = services.advertiser_ensure(shop=shop)
    state = services.certification_state(advertiser=advertiser)
    if full and not state["qualification"]["done"] and state["qualification"]["status"] != "pending":
        if not QualificationType.objects.filter(code=qualification_link.BUSINESS_LICENSE).exists():
            from shop.sync import platform_sync

            platform_sync(document={"qualification_types": [LICENSE_TYPE]})
        # The enterprise licence goes through the qualification review like any other (XT-1).
        from qualifications.demo import _demo_qualification

        _demo_qualification(
            shop_code=shop.code,
            type_code=qualification_link.BUSINESS_LICENSE,
            number=f"9131DEMO{shop.code}",
            values={"company": shop.name},
            until=None,
            decide=True,
        )
    if advertiser.bank_status == "not_started":
        services.bank_account_submit(
            advertiser_id=advertiser.pk,
            actor=merchant,
            company_name=shop.name,
            bank_name="招商银行上海分行",
            account_number="6214830000001234",
        )
        if full:
            amount = services.bank_transfer_record(advertiser_id=advertiser.pk, actor=reviewer, amount=Decimal("0.37"))
            services.bank_transfer_verify(advertiser_id=advertiser.pk, actor=merchant, amount=amount)
    if not state["agreement"]["done"]:
        services.agreement_sign(
            advertiser_id=advertiser.pk,
            actor=merchant,
            agree=True,
            version=setting("xingtu.agreement_version"),
            ip="127.0.0.1",
        )
    advertiser.refresh_from_db()
    return advertiser


def seed(stdout: Any) -> None:
    reviewer, merchant = _user("reviewer"), _user("merchant")
    if reviewer is None or merchant is None:
        return
    for code, card in CREATORS.items():
        streamer = Streamer.objects.filter(code=code).first()
        if streamer and not CreatorProfile.objects.filter(streamer=streamer).exists():
            services.creator_profile_update(
                streamer=streamer,
                listed=True,
                content_types=card["content_types"],
                price_short=Decimal(card["price_short"]),
                price_long=Decimal(card["price_long"]),
                bio=card["bio"],
            )
    beauty = Shop.objects.filter(code="S-BEAUTY").first()
    snack = Shop.objects.filter(code="S-SNACK").first()
    if beauty is None:
        return
    advertiser = _certify(beauty, merchant, reviewer, full=True)
    if snack is not None:
        _certify(snack, None, reviewer, full=False)
    if Task.objects.filter(advertiser=advertiser, key="demo-xt-1").exists():
        stdout.write("campaigns: demo already loaded")
        return
    if not services.certification_state(advertiser=advertiser)["certified"]:
        stdout.write("campaigns: S-BEAUTY not certified (business licence type missing?); no demo task")
        return
    today = timezone.localdate()
    task, _created = services.task_publish(
        advertiser=advertiser,
        actor=merchant,
        key="demo-xt-1",
        title="新品口红种草",
        brand="美美",
        product_name="丝绒雾面口红",
        product_link="https://example.com/p/P-LIPSTICK",
        publish_from=today,
        publish_until=today + dt.timedelta(days=14),
        video_duration="short",
        requirements="20 秒内完成试色，口播三个卖点：显白、不拔干、持久。",
        settlement="on_acceptance",
        creators=["ST-STAR", "ST-SMALL"],
    )
    star_user, small_user = _user("streamer"), _user("streamer_small")
    star = task.orders.get(streamer__code="ST-STAR")
    small = task.orders.get(streamer__code="ST-SMALL")
    if star_user:
        services.order_accept(order_id=star.pk, actor=star_user)
        services.script_upload(
            order_id=star.pk, actor=star_user, text="开场：素颜对比；中段：三色试色；结尾：口播卖点。"
        )
        services.script_reject(order_id=star.pk, actor=merchant, comments="开场请先展示产品包装。")
        services.script_upload(
            order_id=star.pk, actor=star_user, text="开场：产品包装特写；中段：三色试色；结尾：口播卖点。"
        )
        services.script_confirm(order_id=star.pk, actor=merchant)
        services.video_upload(
            order_id=star.pk, actor=star_user, link="https://v.douyin.com/demo-star/", text="#口红试色"
        )
        services.video_platform_decide(order_id=star.pk, actor=reviewer, approved=True)
    if small_user:
        services.order_accept(order_id=small.pk, actor=small_user)
    stdout.write("campaigns: S-BEAUTY certified advertiser with task 新品口红种草 (ST-STAR, ST-SMALL)")
