"""Demo data for 权益中心 / 信任购 (seed_demo). Idempotent: services go through the same
services as the merchant, which change nothing when already in the wanted state."""

from __future__ import annotations

from shop.models import LiveSession, Shop, ShopMember

from . import services

# S-BEAUTY: base services + 退货补运费 on, 过敏包退 off → cosmetics miss one requirement
# (allergy_return), apparel carries the label, the 有赞 product never does (TP-1).
BEAUTY_ON = ["seven_day_return", "fast_refund", "fake_pay_nine", "return_freight"]
GLOBAL_ON = ["authentic_guarantee", "local_return", "damage_return"]
GLOBAL_CN_ADDRESS = {"name": "全球购退货仓", "phone": "021-60000000", "address": "上海市浦东新区保税区 88 号"}


def _actor(shop: Shop):
    member = ShopMember.objects.filter(shop=shop).select_related("user").first()
    return member.user if member else None


def seed(stdout) -> None:
    beauty = Shop.objects.filter(code="S-BEAUTY").first()
    if beauty is not None:
        for code in BEAUTY_ON:
            services.service_toggle(shop=beauty, code=code, enabled=True, actor=_actor(beauty))
    glob = Shop.objects.filter(code="S-GLOBAL").first()
    if glob is not None:
        for code in GLOBAL_ON:
            services.service_toggle(shop=glob, code=code, enabled=True, actor=_actor(glob))
        # CN only: the HK address stays missing, so its products show return_address_missing (GP-3).
        services.return_address_set(shop=glob, region="CN", actor=_actor(glob), **GLOBAL_CN_ADDRESS)
    # LS-NEXT has not started: the streamer can turn 信任购专场 on from /live/ (TP-5).
    LiveSession.objects.filter(code="LS-NEXT", started_at__isnull=True).update(trust_only=False)
    services.shop_badges_refresh()
    stdout.write("trust demo: S-BEAUTY services on (cosmetics miss 过敏包退), S-GLOBAL CN address only")
