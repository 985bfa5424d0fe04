"""Two complete tenant worlds for the security matrix (issue 7).

Every object of tenant T carries the marker ``TEN<T>`` in its code or text (``TENA-SHOP``,
``TENA-O-SZB1``, claim reasons "TENA …"), so a response can be scanned for another tenant's
data. Everything is built through the apps' services (claims are filed, decided, appealed;
qualifications go through their checks; 星图 orders walk their transitions), so the objects sit
in the states where the actions under test would succeed for their rightful owner.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token

from shop.models import CartItem, LiveSession
from tests.shop.factories import (
    CategoryFactory,
    ConsumerFactory,
    OrderFactory,
    ProductFactory,
    ShopFactory,
    StreamerFactory,
    make_user,
)

PROJECT_APPS = ("shop", "guarantees", "qualifications", "claims", "campaigns", "auth", "authtoken")
# Global bookkeeping rows: not tenant data, written by any request (relay, job locks, audit).
BOOKKEEPING = {"shop.outboxmessage", "shop.jobrun", "guarantees.trustrecomputerun"}


def png(seed: int, size: int = 32) -> bytes:
    out = io.BytesIO()
    img = Image.new("RGB", (size, size), ((seed * 37) % 255, (seed * 91) % 255, (seed * 53) % 255))
    for i in range(size):
        img.putpixel((i, (i * seed) % size), (255, 255, 255))
    img.save(out, "PNG")
    return out.getvalue()


_upload_seed = [0]


def upload(user) -> Any:
    from shop.uploads import upload_create

    _upload_seed[0] += 1
    n = _upload_seed[0]
    return upload_create(owner=user, file=SimpleUploadedFile(f"e{n}.png", png(n), content_type="image/png"))


@dataclass
class Tenant:
    tag: str  # "A" / "B"
    prefix: str  # "TENA" / "TENB"
    shop: Any = None
    streamer: Any = None
    consumer: Any = None
    bystander: Any = None  # a consumer with no orders (kickable, KG-3)
    merchant_user: Any = None
    streamer_user: Any = None
    consumer_user: Any = None
    products: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, Any] = field(default_factory=dict)
    orders: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    appeal: Any = None
    qualifications: dict[str, Any] = field(default_factory=dict)
    uploads: dict[str, Any] = field(default_factory=dict)
    abuse_report: Any = None
    notifications: dict[str, Any] = field(default_factory=dict)
    advertiser: Any = None
    task: Any = None
    xt_orders: dict[str, Any] = field(default_factory=dict)

    def user(self, role: str):
        return {"merchant": self.merchant_user, "streamer": self.streamer_user, "consumer": self.consumer_user}[role]

    @property
    def users(self) -> dict[str, Any]:
        return {"merchant": self.merchant_user, "streamer": self.streamer_user, "consumer": self.consumer_user}


@dataclass
class Worlds:
    a: Tenant
    b: Tenant
    platform: Any
    reviewer: Any
    category: Any
    qtype: Any
    a_rows: set[tuple[str, Any]]  # (model label, pk) of every row built for tenant A
    baseline: dict[str, dict[Any, tuple]]  # full snapshot after both worlds were built
    tokens: dict[int, str]


def _tables():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label in PROJECT_APPS and not meta.proxy and meta.managed:
            yield meta.label_lower, meta.db_table, meta.pk.column, [f.column for f in meta.concrete_fields]


def snapshot() -> dict[str, dict[Any, tuple]]:
    """Every row of every concrete model of the project (and users/tokens), by label and pk, as
    the raw column values (raw SQL: fast enough to run after every request of the matrix)."""
    from django.db import connection

    out: dict[str, dict[Any, tuple]] = {}
    with connection.cursor() as cur:
        for label, table, pk, columns in _tables():
            q = connection.ops.quote_name
            cur.execute(f"SELECT {q(pk)}, {', '.join(q(c) for c in columns)} FROM {q(table)}")
            out[label] = {row[0]: tuple(row[1:]) for row in cur.fetchall()}
    return out


def fk_targets() -> dict[str, list[tuple[int, str, str]]]:
    """label → [(index in the snapshot tuple, fk attname, target label)]."""
    out: dict[str, list[tuple[int, str, str]]] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in PROJECT_APPS or meta.proxy or not meta.managed:
            continue
        fks = []
        for i, f in enumerate(meta.concrete_fields):
            if f.is_relation and f.related_model is not None:
                fks.append((i, f.attname, f.related_model._meta.label_lower))
        out[meta.label_lower] = fks
    return out


def diff_rows(before, after) -> set[tuple[str, Any]]:
    """(label, pk) of rows created between two snapshots."""
    made = set()
    for label, rows in after.items():
        old = before.get(label, {})
        made |= {(label, pk) for pk in rows if pk not in old}
    return made


def violations_against(worlds: Worlds, after) -> list[str]:
    """Rows of tenant A (or shared catalogue rows) changed or deleted, and new rows pointing at A."""
    problems: list[str] = []
    fks = fk_targets()
    b_rows = tenant_b_rows(worlds)
    for label, rows in worlds.baseline.items():
        if label in BOOKKEEPING:
            continue
        now = after.get(label, {})
        for pk, values in rows.items():
            if (label, pk) in b_rows:
                continue  # tenant B may change its own data
            if pk not in now:
                problems.append(f"{label} #{pk} deleted")
            elif now[pk] != values:
                problems.append(f"{label} #{pk} changed: {values} -> {now[pk]}")
    for label, rows in after.items():
        if label in BOOKKEEPING:
            continue
        old = worlds.baseline.get(label, {})
        for pk, values in rows.items():
            if pk in old:
                continue
            for i, attname, target in fks.get(label, []):
                ref = values[i]
                if ref is not None and (target, ref) in worlds.a_rows and (label, attname) not in CROSS_TENANT_OK:
                    problems.append(f"new {label} #{pk} references tenant A's {target} #{ref} via {attname}")
    return problems


# Relations that legitimately cross tenants in the product's design: a streamer may sell any
# shop's product in their cart (小黄车), an advertiser may pick any listed creator (星图).
CROSS_TENANT_OK = {
    ("shop.cartitem", "product_id"),
    ("campaigns.creatorselection", "streamer_id"),
    ("campaigns.creatororder", "streamer_id"),
}

_B_ROWS: dict[int, set] = {}


def tenant_b_rows(worlds: Worlds) -> set[tuple[str, Any]]:
    return _B_ROWS.get(id(worlds), set())


# ---------------------------------------------------------------------------------------------
# Builders


def shared_catalogue():
    from tests.qualifications.factories import license_type

    category = CategoryFactory(
        code="sec-cat", name="Security category", damage_window_hours=72, required_qualification_types=["sec_license"]
    )
    qtype = license_type(code="sec_license", name="Security licence")
    return category, qtype


def build_tenant(tag: str, *, category, qtype, reviewer) -> Tenant:
    from campaigns import services as xt
    from claims import engine
    from claims.abuse_reports import report_file
    from claims.engine.decisions import claim_merchant_respond
    from guarantees.models import ShopService
    from guarantees.rules import TRUST_BASE_SERVICES
    from guarantees.services import return_address_set
    from guarantees.trust import Scope, recompute_labels
    from qualifications import services as qs
    from shop.notify import notify
    from tests.campaigns.factories import CreatorProfileFactory, approve_license, sign_agreement, verify_bank

    p = f"TEN{tag}"
    t = Tenant(tag=tag, prefix=p)
    now = timezone.now()
    t.shop = ShopFactory(code=f"{p}-SHOP", name=f"{p} shop", kind="regular", regions=["CN", "HK", "TW"])
    t.streamer = StreamerFactory(code=f"{p}-ST", name=f"{p} streamer")
    t.consumer = ConsumerFactory(code=f"{p}-C", wallet_enabled=True)
    t.bystander = ConsumerFactory(code=f"{p}-C2", wallet_enabled=True)
    t.merchant_user = make_user("merchant", shop=t.shop, username=f"{p.lower()}-merchant")
    t.streamer_user = make_user("streamer", streamer=t.streamer, username=f"{p.lower()}-streamer")
    t.consumer_user = make_user("consumer", consumer=t.consumer, username=f"{p.lower()}-consumer")

    for code in [*TRUST_BASE_SERVICES, "authentic_guarantee", "local_return", "damage_return", "return_freight"]:
        ShopService.objects.update_or_create(shop=t.shop, code=code, defaults={"enabled": True})
    for region in ("CN", "HK", "TW"):
        return_address_set(
            shop=t.shop,
            region=region,
            name=f"{p} returns",
            phone="13800000000",
            address=f"{region} {p} warehouse 1",
            actor=t.merchant_user,
        )

    for key in ("P1", "P2", "P3"):
        t.products[key] = ProductFactory(code=f"{p}-{key}", shop=t.shop, category=category, title=f"{p} {key}")
    recompute_labels(scope=Scope.of(product_ids=[x.pk for x in t.products.values()]))

    t.sessions["live"] = LiveSession.objects.create(
        code=f"{p}-LS1", streamer=t.streamer, started_at=now - dt.timedelta(days=3)
    )
    t.sessions["scheduled"] = LiveSession.objects.create(code=f"{p}-LS2", streamer=t.streamer, started_at=None)
    CartItem.objects.create(session=t.sessions["live"], product=t.products["P1"])
    CartItem.objects.create(session=t.sessions["scheduled"], product=t.products["P2"])

    def order(key: str, **kw):
        defaults = {
            "code": f"{p}-O-{key}",
            "consumer": t.consumer,
            "shop": t.shop,
            "product": t.products["P1"],
            "paid_amount": Decimal("120.00"),
            "postage": Decimal("10.00"),
            "placed_at": now - dt.timedelta(days=3),
            "shipped_at": now - dt.timedelta(days=2),
            "delivered_at": now - dt.timedelta(hours=20),
        }
        defaults.update(kw)
        t.orders[key] = OrderFactory(**defaults)
        return t.orders[key]

    covered = {"streamer": t.streamer, "live_session": t.sessions["live"], "shizaibao_covered": True}
    for key in ("SZB1", "SZB2", "SZB3", "SZBFREE"):
        order(key, **covered)
    order("AUTH", completed_at=now - dt.timedelta(hours=10))
    order("DMG")
    order("LOCAL")
    order("RF")
    order("FREE")  # no claim: what a consumer files against
    order("UNSHIPPED", shipped_at=None, delivered_at=None, placed_at=now - dt.timedelta(hours=1))

    engine.account_fund(party=t.streamer, account="cash", amount="5000.00", key=f"{p}:cash", actor=None)
    engine.account_fund(party=t.streamer, account="deposit", amount="5000.00", key=f"{p}:deposit", actor=None)
    engine.account_fund(party=t.shop, account="deposit", amount="9000.00", key=f"{p}:shop", actor=None)

    cu = t.consumer_user
    for i in range(3):
        t.uploads[f"consumer{i}"] = upload(cu)
    t.uploads["merchant"] = upload(t.merchant_user)
    t.uploads["streamer"] = upload(t.streamer_user)

    def file(key: str, kind: str, type_: str = "", evidence=(), data=None):
        ev = [(upload(cu).pk, k) for k in evidence] or [(upload(cu).pk, "other")]
        claim = engine.claim_file(
            consumer=t.consumer,
            actor=cu,
            order_code=t.orders[key].code,
            kind=kind,
            type=type_,
            reason=f"{p} reason {key}",
            evidence=ev,
            data=data,
        )
        t.claims[key] = claim
        return claim

    file("SZB1", "shizaibao", "material")  # under review
    file("SZB2", "shizaibao", "material")
    file("SZB3", "shizaibao", "material")
    for key in ("SZB2", "SZB3"):
        engine.claim_decide(claim_id=t.claims[key].pk, reviewer=reviewer, upheld=True)
    t.appeal = engine.appeal_file(
        claim_id=t.claims["SZB2"].pk, streamer=t.streamer, actor=t.streamer_user, reason=f"{p} appeal"
    )
    file("AUTH", "authentic", "counterfeit", evidence=["brand_appraisal"])  # submitted
    file("DMG", "damage", evidence=["waybill_photo", "damage_detail"])
    claim_merchant_respond(
        claim_id=t.claims["DMG"].pk, shop=t.shop, actor=t.merchant_user, accept=False, note=f"{p} no"
    )  # merchant_refused → the consumer may escalate
    file("LOCAL", "local_return")
    claim_merchant_respond(claim_id=t.claims["LOCAL"].pk, shop=t.shop, actor=t.merchant_user, accept=True)
    file(
        "RF",
        "return_freight",
        data={
            "return_waybill": {
                "tracking_no": f"SF{tag}1",
                "sender_name": f"{p} sender",
                "sender_phone": "13900000001",
                "receiver_address": f"CN {p} warehouse 1",
                "fee": "18.50",
            }
        },
    )
    for c in t.claims.values():
        c.refresh_from_db()

    # Qualifications: one pending (checks ran, awaiting the reviewer), one approved.
    for key, decide in (("pending", False), ("approved", True)):
        cert = upload(t.merchant_user)
        q = qs.qualification_submit(
            actor=t.merchant_user,
            qtype=qtype,
            shop=t.shop,
            values={
                "number": f"{p}-LIC-{key}",
                "holder": f"{p} holder",
                "issued_on": "2024-01-01",
                "valid_until": (timezone.localdate() + dt.timedelta(days=365)).isoformat(),
                "certificate": cert.pk,
            },
        )
        qs.revision_run_checks(revision_id=q.revisions.get().pk)
        if decide:
            qs.qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=True)
        q.refresh_from_db()
        t.qualifications[key] = q
    qs.product_qualifications_set(
        product=t.products["P1"], qualification_ids=[t.qualifications["approved"].pk], actor=t.merchant_user
    )

    # Abuse report of the shop's own buyer (pending).
    t.abuse_report = report_file(
        shop=t.shop,
        user=t.merchant_user,
        consumer_code=t.consumer.code,
        reason=f"{p} abuse",
        evidence=[t.uploads["merchant"].pk],
    )

    for role, user in t.users.items():
        notify(users=[user], kind="claim_filed", text=f"{p} note {role}", link="/claims/", dedupe_key=f"{p}-{role}")
        t.notifications[role] = user.notifications.filter(dedupe_key=f"{p}-{role}").get()

    # 巨量星图: a certified advertiser, the tenant's streamer as a listed creator, one order in
    # each state an action applies to.
    t.advertiser = xt.advertiser_ensure(shop=t.shop)
    approve_license(t.advertiser, t.merchant_user, reviewer)
    verify_bank(t.advertiser, t.merchant_user, reviewer)
    sign_agreement(t.advertiser, t.merchant_user)
    CreatorProfileFactory(streamer=t.streamer, bio=f"{p} creator")
    xt.selection_add(advertiser=t.advertiser, creators=[t.streamer.code])
    today = timezone.localdate()
    steps = {
        "pending": [],
        "awaiting_script": ["accept"],
        "script_review": ["accept", "script"],
        "awaiting_video": ["accept", "script", "script_ok"],
        "platform_review": ["accept", "script", "script_ok", "video"],
        "client_review": ["accept", "script", "script_ok", "video", "approve"],
        "awaiting_publish": ["accept", "script", "script_ok", "video", "approve", "video_ok"],
        "published": ["accept", "script", "script_ok", "video", "approve", "video_ok", "publish"],
        "completed": ["accept", "script", "script_ok", "video", "approve", "video_ok", "publish", "done"],
    }
    su, mu = t.streamer_user, t.merchant_user
    for state, path in steps.items():
        task, _ = xt.task_publish(
            advertiser=t.advertiser,
            actor=mu,
            key=f"{p}-{state}",
            title=f"{p} task {state}",
            product_name=f"{p} lipstick",
            publish_from=today,
            publish_until=today + dt.timedelta(days=14),
            video_duration="short",
            requirements=f"{p} requirements",
            settlement="on_acceptance",
            creators=[t.streamer.code],
        )
        t.task = t.task or task
        o = task.orders.get()
        for step in path:
            {
                "accept": lambda: xt.order_accept(order_id=o.pk, actor=su),
                "script": lambda: xt.script_upload(order_id=o.pk, actor=su, text=f"{p} script"),
                "script_ok": lambda: xt.script_confirm(order_id=o.pk, actor=mu),
                "video": lambda: xt.video_upload(order_id=o.pk, actor=su, link="https://v.douyin.com/x/"),
                "approve": lambda: xt.video_platform_decide(order_id=o.pk, actor=reviewer, approved=True),
                "video_ok": lambda: xt.video_confirm(order_id=o.pk, actor=mu),
                "publish": lambda: xt.video_publish(order_id=o.pk, actor=mu, mode="now"),
                "done": lambda: xt.video_accept(order_id=o.pk, actor=mu),
            }[step]()
        o.refresh_from_db()
        t.xt_orders[state] = o

    for user in t.users.values():
        Token.objects.get_or_create(user=user)
    return t


def build_worlds() -> Worlds:
    from django.test import TestCase

    platform = make_user("platform", username="sec-platform")
    reviewer = make_user("reviewer", username="sec-reviewer")
    category, qtype = shared_catalogue()
    with TestCase.captureOnCommitCallbacks(execute=True):
        before_a = snapshot()
        a = build_tenant("A", category=category, qtype=qtype, reviewer=reviewer)
    with TestCase.captureOnCommitCallbacks(execute=True):
        after_a = snapshot()
        b = build_tenant("B", category=category, qtype=qtype, reviewer=reviewer)
    tokens = {}
    for user in [platform, reviewer, *a.users.values(), *b.users.values()]:
        token, _ = Token.objects.get_or_create(user=user)
        tokens[user.pk] = token.key
    baseline = snapshot()
    a_rows = diff_rows(before_a, after_a)
    worlds = Worlds(
        a=a,
        b=b,
        platform=platform,
        reviewer=reviewer,
        category=category,
        qtype=qtype,
        a_rows=a_rows,
        baseline=baseline,
        tokens=tokens,
    )
    _B_ROWS[id(worlds)] = diff_rows(after_a, baseline)
    return worlds
