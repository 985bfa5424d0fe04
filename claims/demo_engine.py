"""Demo data of the claim engine (idempotent): funds through the ledger and one 实在宝 claim
under review on O-1002 when that order is covered, so reviewers have a queue item."""

from __future__ import annotations

from typing import Any

from shop.models import Order, Shop, Streamer

from . import engine

FUNDS = [
    ("streamer", "ST-STAR", "cash", "300.00"),
    ("streamer", "ST-STAR", "deposit", "2000.00"),
    ("shop", "S-BEAUTY", "deposit", "5000.00"),
    ("shop", "S-SNACK", "deposit", "3000.00"),
    ("shop", "S-GLOBAL", "deposit", "20000.00"),
]


def seed(stdout: Any) -> None:
    for party_kind, code, account, amount in FUNDS:
        model = Streamer if party_kind == "streamer" else Shop
        party = model.objects.filter(code=code).first()
        if party is None:
            continue
        engine.account_fund(party=party, account=account, amount=amount, key=f"demo:{code}:{account}", actor=None)
    order = Order.objects.select_related("consumer").filter(code="O-1002").first()
    if order is None or not order.shizaibao_covered or order.claims.exists():
        stdout.write("claims: funds seeded (no demo claim: O-1002 not covered or already claimed)\n")
        return
    from django.contrib.auth import get_user_model

    from shop.uploads import upload_create

    user = get_user_model().objects.filter(profile__consumer=order.consumer).first()
    if user is None:
        # The demo buyer of O-1002 (C-BOB) gets a login so the claim has a real filer.
        from shop.demo import DEMO_PASSWORD
        from shop.services import user_upsert

        user, _created = user_upsert(
            username="consumer_bob", password=DEMO_PASSWORD, role="consumer", consumer=order.consumer.code
        )
    if order.shipped_at is None:
        return
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (220, 40, 60)).save(buf, "PNG")
    upload = upload_create(owner=user, file=SimpleUploadedFile("evidence.png", buf.getvalue()))
    try:
        claim = engine.claim_file(
            consumer=order.consumer,
            actor=user,
            order_code=order.code,
            kind="shizaibao",
            type="material",
            reason="直播间宣传为真丝面料，实际为化纤",
            evidence=[(upload.pk, "other")],
        )
    except engine.DomainError as exc:
        stdout.write(f"claims: demo claim not filed ({exc.code})\n")
        return
    stdout.write(f"claims: demo claim #{claim.pk} under review on {order.code}\n")
