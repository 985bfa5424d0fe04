"""Builders shared by the 全球购 / 退货补运费 / abuse tests (no tests here)."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from claims.engine.filing import claim_file
from guarantees.models import ReturnAddress, ShopService
from shop.uploads import upload_create
from tests.shop.factories import CategoryFactory, ConsumerFactory, OrderFactory, ProductFactory, ShopFactory, make_user


def image_bytes(seed: int, *, fmt: str = "PNG", size: int = 64, noise: int = 0) -> bytes:
    """A deterministic blocky picture; ``noise`` perturbs a few pixels (same perceptual hash)."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (size, size))
    block = size // 8
    for by in range(8):
        for bx in range(8):
            colour = tuple(rnd.randrange(256) for _ in range(3))
            for y in range(by * block, (by + 1) * block):
                for x in range(bx * block, (bx + 1) * block):
                    img.putpixel((x, y), colour)
    if noise:
        nrnd = random.Random(noise)
        for _ in range(noise):
            img.putpixel((nrnd.randrange(size), nrnd.randrange(size)), (255, 255, 255))
    out = io.BytesIO()
    img.save(out, fmt)
    return out.getvalue()


def upload(user, seed: int = 1, **kw):
    data = image_bytes(seed, **kw)
    return upload_create(owner=user, file=SimpleUploadedFile(f"e{seed}.png", data, content_type="image/png"))


def global_shop(*, regions=("CN", "HK", "TW"), addresses=("CN", "HK", "TW"), kind="global", services=()):
    shop = ShopFactory(kind=kind, regions=list(regions))
    for r in addresses:
        ReturnAddress.objects.create(
            shop=shop, region=r, name=f"退货 {r}", phone="13800000000", address=f"{r} 仓库路 1 号 {shop.code}"
        )
    for code in services:
        ShopService.objects.create(shop=shop, code=code, enabled=True)
    return shop


def order_for(shop, *, consumer=None, paid="100.00", postage="10.00", region="CN", damage_hours=72, **times):
    category = CategoryFactory(damage_window_hours=damage_hours)
    product = ProductFactory(shop=shop, category=category)
    consumer = consumer or ConsumerFactory()
    order = OrderFactory(
        shop=shop,
        product=product,
        consumer=consumer,
        paid_amount=Decimal(paid),
        postage=Decimal(postage),
        region=region,
        **times,
    )
    return order


def consumer_user(consumer):
    from shop.models import Profile

    profile = Profile.objects.filter(consumer=consumer).select_related("user").first()
    return profile.user if profile else make_user("consumer", consumer=consumer)


def file(order, *, kind, type="", evidence=(), data=None, reason="bad", user=None):
    user = user or consumer_user(order.consumer)
    ev = []
    for item in evidence:
        if isinstance(item, tuple):
            ev.append((item[0].pk, item[1]))
        else:
            ev.append((item.pk, "other"))
    return claim_file(
        consumer=order.consumer,
        actor=user,
        order_code=order.code,
        kind=kind,
        type=type,
        reason=reason,
        evidence=ev,
        data=data or {},
    )


def at(ts: str) -> datetime:
    from django.utils.dateparse import parse_datetime

    return parse_datetime(ts)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
