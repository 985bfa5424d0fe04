"""Demo data for 实在宝 enrolment (idempotent): agreement v1 published; ST-STAR invited but
not opened (so the demo streamer can open it); ST-SMALL not eligible, with a pending request."""

from __future__ import annotations

from django.utils import timezone

from shop.models import Streamer

from . import shizaibao
from .models import InviteSource, RequestStatus, ShizaibaoAgreement, ShizaibaoRequest

AGREEMENT_V1 = """《实在宝服务开通协议》

一、主播承诺：在商品发货后 30 个自然日内，因主播的过失或错误对商品信息（材质、品牌、数量、品种/产地、成分等）虚假或夸大宣传造成消费者权益受损的，消费者可通过订单详情页申请赔付。
二、平台在 48 小时内审核申请，72 小时内反馈结果。经平台审核虚假宣传属实且商家无过错的，由主播承担赔偿。
三、赔偿金额为订单实付金额的 100%，最高不超过订单实付金额，上限 1000 元；先从主播账户余额扣除，再从保证金扣除，不足部分由平台垫付并向主播追偿。
四、本服务自开通后的下一场直播生效；主播不再满足开通条件时，平台暂停其后续直播的服务标识，已覆盖订单的责任不变。
五、赔付不免除主播依法应承担的法律责任。
"""


def seed(stdout) -> None:
    agreement, created = ShizaibaoAgreement.objects.get_or_create(
        version="v1", defaults={"text": AGREEMENT_V1, "published_at": timezone.now()}
    )
    if agreement.published_at is None:
        ShizaibaoAgreement.objects.filter(pk=agreement.pk).update(published_at=timezone.now())
    star = Streamer.objects.filter(code="ST-STAR").first()
    if star is not None:
        shizaibao.szb_invite(streamer=star, source=InviteSource.AUTO, note="demo")
    small = Streamer.objects.filter(code="ST-SMALL").first()
    if small is not None and not ShizaibaoRequest.objects.filter(streamer=small).exists():
        shizaibao.szb_request_create(
            streamer=small, message="粉丝还不多，但想尽早开通实在宝，请联系我。", contact="微信 xiaoxin_live"
        )
    pending = ShizaibaoRequest.objects.filter(status=RequestStatus.PENDING).count()
    stdout.write(f"实在宝 demo: agreement v1{' created' if created else ''}, {pending} pending request(s)")
