"""Demo platform facts (seed_demo). Sent through the same sync service as the platform uses,
so loading twice changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

DEMO_PASSWORD = "demo-pass-123"

# (username, role, link kwargs, what to try)
DEMO_USERS = [
    ("platform", "platform", {}, "integration API token (POST /api/v1/platform/sync)"),
    ("reviewer", "reviewer", {}, "Django admin /admin/: claims, qualifications, abuse"),
    ("merchant", "merchant", {"shop": "S-BEAUTY"}, "regular shop: 权益中心, products, qualifications"),
    ("merchant_global", "merchant", {"shop": "S-GLOBAL"}, "全球购 shop: mandatory services, return addresses"),
    ("merchant_xb", "merchant", {"shop": "S-XBORDER"}, "cross-border shop (never 信任购)"),
    ("streamer", "streamer", {"streamer": "ST-STAR"}, "eligible streamer: open 实在宝, trust-only room"),
    ("streamer_small", "streamer", {"streamer": "ST-SMALL"}, "ineligible streamer: request path"),
    ("consumer", "consumer", {"consumer": "C-AMY"}, "consumer with wallet: file claims by API"),
    ("consumer_risk", "consumer", {"consumer": "C-RISK"}, "risk consumer: no marks, no claims"),
]


def _iso(dt: Any) -> str | None:
    return dt.isoformat() if dt else None


def _anchor(now: Any | None) -> Any:
    """Midnight of the day the demo was first loaded, so later runs send the same document."""
    from .models import Order

    first = Order.objects.filter(code="O-1001").values_list("placed_at", flat=True).first()
    if first is not None:
        return timezone.localtime(first + timedelta(days=2) - timedelta(hours=1))
    return timezone.localtime(now or timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)


def document(now: Any | None = None) -> dict:
    day = timedelta(days=1)
    anchor = _anchor(now)
    cats = [
        {"code": "food", "name": "食品", "parent": None, "damage_window_hours": 24},
        {
            "code": "food-snacks",
            "name": "休闲零食",
            "parent": "food",
            "damage_window_hours": 24,
            "required_qualification_types": ["food_license"],
        },
        {
            "code": "milk-powder",
            "name": "奶粉",
            "parent": "food",
            "damage_window_hours": 24,
            "required_qualification_types": ["food_license"],
        },
        {"code": "alcohol", "name": "酒水", "parent": "food", "damage_window_hours": 24},
        {"code": "beauty", "name": "美妆", "parent": None},
        {
            "code": "cosmetics",
            "name": "化妆品",
            "parent": "beauty",
            "requires_return_freight": True,
            "industry_services": ["allergy_return"],
            "required_qualification_types": ["cosmetics_filing"],
        },
        {"code": "apparel", "name": "服饰", "parent": None},
        {
            "code": "electronics",
            "name": "数码",
            "parent": None,
            "industry_services": ["broken_return"],
            "required_qualification_types": ["ccc_cert"],
        },
        {"code": "second-hand", "name": "二手", "parent": None, "szb_excluded": True},
        {"code": "luxury", "name": "奢侈品", "parent": None, "szb_excluded": True},
        {"code": "jewellery", "name": "珠宝", "parent": "luxury", "szb_excluded": True},
    ]
    shops = [
        {
            "code": "S-BEAUTY",
            "name": "美美美妆旗舰店",
            "kind": "regular",
            "experience_score": "4.80",
            "level": 4,
            "main_industry": "美妆",
            "regions": ["CN"],
        },
        {
            "code": "S-SNACK",
            "name": "好味零食铺",
            "kind": "regular",
            "experience_score": "4.60",
            "level": 3,
            "main_industry": "日用百货",
            "regions": ["CN"],
        },
        {
            "code": "S-XBORDER",
            "name": "海外直邮店",
            "kind": "cross_border",
            "experience_score": "4.50",
            "level": 3,
            "main_industry": "美妆",
            "regions": ["CN"],
        },
        {
            "code": "S-AUCTION",
            "name": "文玩拍卖行",
            "kind": "auction",
            "experience_score": "4.40",
            "level": 2,
            "main_industry": "文玩",
            "regions": ["CN"],
        },
        {
            "code": "S-GLOBAL",
            "name": "全球购精选",
            "kind": "global",
            "experience_score": "4.70",
            "level": 5,
            "main_industry": "美妆",
            "regions": ["CN", "HK"],
        },
    ]
    streamers = [
        {
            "code": "ST-STAR",
            "name": "大星星",
            "fans": 3_200_000,
            "experience_score": "4.85",
            "level": 4,
            "main_industry": "日用百货",
        },
        {
            "code": "ST-SMALL",
            "name": "小新主播",
            "fans": 52_000,
            "experience_score": "4.30",
            "level": 1,
            "main_industry": "3C数码",
        },
    ]
    consumers = [
        {"code": "C-AMY", "wallet_enabled": True, "risk": False},
        {"code": "C-BOB", "wallet_enabled": False, "risk": False},
        {"code": "C-RISK", "wallet_enabled": True, "risk": True},
    ]
    products = [
        {"code": "P-LIPSTICK", "shop": "S-BEAUTY", "title": "丝绒雾面口红", "category": "cosmetics", "price": "129.00"},
        {
            "code": "P-CREAM",
            "shop": "S-BEAUTY",
            "title": "保湿面霜 50ml",
            "category": "cosmetics",
            "price": "299.00",
            "attributes": {
                "qualification": {
                    "type": "cosmetics_filing",
                    "number": "国妆备进字J20240001",
                    "valid_until": (anchor + 400 * day).date().isoformat(),
                    "approved": True,
                }
            },
        },
        {"code": "P-TSHIRT", "shop": "S-BEAUTY", "title": "纯棉T恤", "category": "apparel", "price": "59.00"},
        {
            "code": "P-YZ-BAG",
            "shop": "S-BEAUTY",
            "title": "帆布包（有赞同步）",
            "category": "apparel",
            "price": "39.00",
            "source": "youzan",
        },
        {
            "code": "P-FLASH",
            "shop": "S-BEAUTY",
            "title": "闪电购 限时口红",
            "category": "cosmetics",
            "price": "9.90",
            "flash_sale": True,
        },
        {"code": "P-NUTS", "shop": "S-SNACK", "title": "每日坚果 30包", "category": "food-snacks", "price": "89.00"},
        {"code": "P-MILK", "shop": "S-SNACK", "title": "婴幼儿奶粉 800g", "category": "milk-powder", "price": "268.00"},
        {"code": "P-WINE", "shop": "S-SNACK", "title": "干红葡萄酒", "category": "alcohol", "price": "158.00"},
        {"code": "P-USED-PHONE", "shop": "S-SNACK", "title": "二手手机", "category": "second-hand", "price": "999.00"},
        {"code": "P-XB-SERUM", "shop": "S-XBORDER", "title": "进口精华液", "category": "cosmetics", "price": "459.00"},
        {"code": "P-JADE", "shop": "S-AUCTION", "title": "和田玉吊坠", "category": "jewellery", "price": "1888.00"},
        {
            "code": "P-GL-PERFUME",
            "shop": "S-GLOBAL",
            "title": "法国香水 100ml",
            "category": "beauty",
            "price": "899.00",
        },
        {"code": "P-GL-BAG", "shop": "S-GLOBAL", "title": "意大利皮包", "category": "luxury", "price": "5999.00"},
    ]
    sessions = [
        {
            "code": "LS-PAST",
            "streamer": "ST-STAR",
            "started_at": _iso(anchor - 20 * day),
            "ended_at": _iso(anchor - 20 * day + timedelta(hours=3)),
        },
        {
            "code": "LS-RECENT",
            "streamer": "ST-STAR",
            "started_at": _iso(anchor - 2 * day),
            "ended_at": _iso(anchor - 2 * day + timedelta(hours=4)),
        },
        {"code": "LS-NEXT", "streamer": "ST-STAR", "started_at": None, "ended_at": None},
        {
            "code": "LS-SMALL",
            "streamer": "ST-SMALL",
            "started_at": _iso(anchor - 5 * day),
            "ended_at": _iso(anchor - 5 * day + timedelta(hours=2)),
        },
    ]
    orders = [
        {
            "code": "O-1001",
            "consumer": "C-AMY",
            "shop": "S-SNACK",
            "product": "P-NUTS",
            "live_session": "LS-RECENT",
            "streamer": "ST-STAR",
            "paid_amount": "89.00",
            "postage": "0.00",
            "placed_at": _iso(anchor - 2 * day + timedelta(hours=1)),
        },
        {
            "code": "O-1002",
            "consumer": "C-BOB",
            "shop": "S-BEAUTY",
            "product": "P-LIPSTICK",
            "live_session": "LS-RECENT",
            "streamer": "ST-STAR",
            "paid_amount": "1299.00",
            "postage": "10.00",
            "placed_at": _iso(anchor - 2 * day + timedelta(hours=2)),
        },
        {
            "code": "O-1003",
            "consumer": "C-RISK",
            "shop": "S-BEAUTY",
            "product": "P-LIPSTICK",
            "live_session": "LS-RECENT",
            "streamer": "ST-STAR",
            "paid_amount": "129.00",
            "placed_at": _iso(anchor - 2 * day + timedelta(hours=2)),
        },
        {
            "code": "O-1004",
            "consumer": "C-AMY",
            "shop": "S-SNACK",
            "product": "P-MILK",
            "live_session": None,
            "streamer": None,
            "paid_amount": "268.00",
            "postage": "12.00",
            "placed_at": _iso(anchor - 10 * day),
        },
        {
            "code": "O-1005",
            "consumer": "C-AMY",
            "shop": "S-GLOBAL",
            "product": "P-GL-PERFUME",
            "live_session": None,
            "streamer": None,
            "paid_amount": "899.00",
            "postage": "20.00",
            "region": "HK",
            "placed_at": _iso(anchor - 30 * day),
        },
        {
            "code": "O-1006",
            "consumer": "C-BOB",
            "shop": "S-SNACK",
            "product": "P-USED-PHONE",
            "live_session": "LS-PAST",
            "streamer": "ST-STAR",
            "paid_amount": "999.00",
            "placed_at": _iso(anchor - 20 * day + timedelta(hours=1)),
        },
        {
            "code": "O-1007",
            "consumer": "C-AMY",
            "shop": "S-BEAUTY",
            "product": "P-CREAM",
            "live_session": "LS-SMALL",
            "streamer": "ST-SMALL",
            "paid_amount": "299.00",
            "placed_at": _iso(anchor - 5 * day + timedelta(minutes=30)),
        },
    ]
    users = [{"username": u, "password": DEMO_PASSWORD, "role": role, **links} for u, role, links, _what in DEMO_USERS]
    return {
        "categories": cats,
        "shops": shops,
        "streamers": streamers,
        "consumers": consumers,
        "users": users,
        "products": products,
        "live_sessions": sessions,
        "orders": orders,
    }


# Order events: (order code, [(type, offset from placed_at)]).
DEMO_EVENTS = [
    ("O-1001", [("shipped", timedelta(hours=20)), ("delivered", timedelta(days=1, hours=12))]),
    ("O-1002", [("shipped", timedelta(hours=10))]),
    ("O-1003", [("shipped", timedelta(hours=10))]),
    ("O-1004", [("shipped", timedelta(days=1)), ("delivered", timedelta(days=3)), ("completed", timedelta(days=6))]),
    ("O-1005", [("shipped", timedelta(days=1)), ("delivered", timedelta(days=6)), ("completed", timedelta(days=13))]),
    ("O-1006", [("shipped", timedelta(days=1))]),
    ("O-1007", [("shipped", timedelta(days=1))]),
]
