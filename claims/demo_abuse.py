"""Demo data of issue 6 (idempotent): buyer identifiers linking C-AMY and C-BOB (RF-1), a
正品保障 claim on the 全球购 order O-1005 waiting for merchant_global's answer (GP-2), a pending
abuse report from S-BEAUTY (RF-4) when C-BOB ordered there, and one scoring run (RF-2)."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shop.errors import DomainError
from shop.models import Order, Shop
from shop.sync import platform_sync
from shop.uploads import upload_create

from .models import AbuseReport


def _image(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    img = Image.new("RGB", (96, 96), colour)
    for x in range(0, 96, 12):
        for y in range(0, 96, 12):
            img.putpixel((x, y), (255 - colour[0], 255 - colour[1], 255 - colour[2]))
    img.save(out, "PNG")
    return SimpleUploadedFile("demo.png", out.getvalue(), content_type="image/png")


def seed(stdout: Any) -> None:
    from .abuse_scoring import score_all
    from .engine.filing import claim_file

    User = get_user_model()
    identities = [
        {
            "consumer": "C-AMY",
            "identities": [{"kind": "device", "value": "DEMO-IPHONE-1"}, {"kind": "phone", "value": "13900000001"}],
        },
        {
            "consumer": "C-BOB",
            "identities": [{"kind": "device", "value": "DEMO-IPHONE-1"}, {"kind": "phone", "value": "13900000002"}],
        },
    ]
    try:
        platform_sync(document={"consumer_identities": identities})
    except DomainError as exc:
        stdout.write(f"claims/abuse: identities not seeded ({exc.message})\n")

    order = Order.objects.select_related("consumer").filter(code="O-1005").first()
    consumer_user = User.objects.filter(username="consumer").first()
    if order is not None and consumer_user is not None and not order.claims.exists():
        try:
            proof = upload_create(owner=consumer_user, file=_image((20, 80, 160)))
            claim_file(
                consumer=order.consumer,
                actor=consumer_user,
                order_code=order.code,
                kind="authentic",
                type="counterfeit",
                reason="品牌方鉴定为假货",
                evidence=[(proof.pk, "brand_appraisal")],
            )
            stdout.write(
                "claims/abuse: 正品保障 claim filed on O-1005 (merchant_global answers at /claims/merchant/)\n"
            )
        except DomainError as exc:
            stdout.write(f"claims/abuse: no demo 正品保障 claim ({exc.code})\n")

    shop = Shop.objects.filter(code="S-BEAUTY").first()
    merchant = User.objects.filter(username="merchant").first()
    bob_ordered = shop is not None and Order.objects.filter(shop=shop, consumer__code="C-BOB").exists()
    if (
        merchant is not None
        and bob_ordered
        and not AbuseReport.objects.filter(shop=shop, consumer__code="C-BOB").exists()
    ):
        from .abuse_reports import report_file

        evidence = upload_create(owner=merchant, file=_image((160, 40, 40)))
        report_file(
            shop=shop, user=merchant, consumer_code="C-BOB", reason="运单寄件人与买家不符", evidence=[evidence.pk]
        )
        stdout.write("claims/abuse: abuse report on C-BOB pending review (/admin/claims/abusereport/)\n")
    result = score_all()
    stdout.write(f"claims/abuse: scoring run {result}\n")
