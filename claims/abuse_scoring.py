"""RF-2: score consumers and linked groups for 退货补运费 abuse, set-based.

One run: propagate group labels (claims.abuse_groups), compute every subject's RF-1 signal
counts over the window in one SQL statement into a temporary table, then upsert
``ConsumerRisk`` / ``LinkedGroup`` writing only rows whose values change (``IS DISTINCT FROM``)
and zero the rows of consumers that no longer show any signal. Nothing is loaded into Python.

Signals (counts over ``rf.window_days`` up to the run time):
- fake_sender / fake_receiver: return-freight claims whose waybill sender is not the buyer or
  whose receiver is not the shop's return address (checked at filing);
- dup_waybill: claims whose tracking number also appears on another claim;
- repeated: rf_claims ≥ ``rf.repeat_min_claims`` and rf_claims ≥ ``rf.repeat_min_ratio`` × orders;
- group: the consumer's linked group together has ≥ ``rf.group_min_claims`` claims;
- fingerprint: claims of the consumer whose evidence image reappears on another claim (BX-5).
Score = the sum of the weights of the signals that fired, capped at 100.

The evidence trail (``evidence_trail``) re-derives, for one consumer or group, the claims and
orders behind each count as of the row's ``scored_at`` — exactly the rows the SQL counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from shop.models import Order
from shop.rules import setting

from .abuse_groups import propagate_group_labels
from .models import (
    ConsumerIdentity,
    ConsumerRisk,
    FingerprintMatch,
    LinkedGroup,
    ReturnFreightWaybill,
)

TMP = "rf_score_tmp"
COUNTS = ("rf_claims", "orders", "fake_sender", "fake_receiver", "dup_waybill", "fingerprint")


@dataclass
class Params:
    now: datetime
    since: datetime
    min_claims: int
    ratio_pct: int
    group_min: int
    w: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, now: datetime | None = None) -> Params:
        now = now or timezone.now()
        return cls(
            now=now,
            since=now - timedelta(days=int(setting("rf.window_days"))),
            min_claims=int(setting("rf.repeat_min_claims")),
            ratio_pct=int((Decimal(setting("rf.repeat_min_ratio")) * 100).to_integral_value()),
            group_min=int(setting("rf.group_min_claims")),
            w={
                k: int(setting(f"rf.weight_{k}"))
                for k in ("fake_sender", "fake_receiver", "dup_waybill", "repeated", "group", "fingerprint")
            },
        )


def _score_sql(p: Params, prefix: str = "", group_min: str | None = None) -> str:
    """SQL expression of the score from count columns (``prefix`` names the row)."""
    c = {k: f"{prefix}{k}" for k in COUNTS}
    parts = [
        f"CASE WHEN {c['fake_sender']} > 0 THEN {p.w['fake_sender']} ELSE 0 END",
        f"CASE WHEN {c['fake_receiver']} > 0 THEN {p.w['fake_receiver']} ELSE 0 END",
        f"CASE WHEN {c['dup_waybill']} > 0 THEN {p.w['dup_waybill']} ELSE 0 END",
        f"CASE WHEN {c['rf_claims']} >= {p.min_claims} AND {c['rf_claims']} * 100 >= {p.ratio_pct} * {c['orders']}"
        f" THEN {p.w['repeated']} ELSE 0 END",
        f"CASE WHEN {c['fingerprint']} > 0 THEN {p.w['fingerprint']} ELSE 0 END",
    ]
    if group_min:
        parts.append(f"CASE WHEN {group_min} THEN {p.w['group']} ELSE 0 END")
    total = " + ".join(parts)
    return f"CASE WHEN ({total}) > 100 THEN 100 ELSE ({total}) END"


def _distinct(cols: list[str], a: str, b: str) -> str:
    return " OR ".join(f"{a}.{col} IS DISTINCT FROM {b}.{col}" for col in cols)


@transaction.atomic
def score_all(*, now: datetime | None = None) -> dict[str, int]:
    """Recompute every consumer's and group's RF-2 score. Returns row counts written."""
    p = Params.load(now)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            # Aggregates over millions of rows: keep hash tables in memory (this transaction only).
            cur.execute("SET LOCAL work_mem = '128MB'")
    propagate_group_labels()
    win = [p.since, p.now]
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {TMP}")
        # One row per consumer with any signal or a linked group: the counts of the window.
        cur.execute(
            f"""
            CREATE TEMPORARY TABLE {TMP} AS
            WITH dup AS (
                SELECT tracking_no FROM claims_returnfreightwaybill GROUP BY tracking_no HAVING COUNT(*) > 1
            ), w AS (
                SELECT wb.consumer_id, COUNT(*) AS rf_claims,
                       SUM(CASE WHEN wb.sender_mismatch THEN 1 ELSE 0 END) AS fake_sender,
                       SUM(CASE WHEN wb.receiver_mismatch THEN 1 ELSE 0 END) AS fake_receiver,
                       SUM(CASE WHEN dup.tracking_no IS NOT NULL THEN 1 ELSE 0 END) AS dup_waybill
                FROM claims_returnfreightwaybill wb
                LEFT JOIN dup ON dup.tracking_no = wb.tracking_no
                WHERE wb.filed_at > %s AND wb.filed_at <= %s
                GROUP BY wb.consumer_id
            ), fp AS (
                SELECT f.consumer_id, COUNT(DISTINCT m.claim_id) AS fingerprint
                FROM claims_fingerprintmatch m
                JOIN claims_evidencefingerprint f ON f.id = m.fingerprint_id
                WHERE m.detected_at > %s AND m.detected_at <= %s
                GROUP BY f.consumer_id
            ), g AS (
                SELECT consumer_id, MIN(label) AS gk FROM claims_consumeridentity GROUP BY consumer_id
            ), gs AS (
                SELECT gk, COUNT(*) AS size FROM g GROUP BY gk HAVING COUNT(*) > 1
            ), subj AS (
                SELECT consumer_id FROM w
                UNION SELECT consumer_id FROM fp
                UNION SELECT g.consumer_id FROM g JOIN gs ON gs.gk = g.gk
            ), o AS (
                SELECT consumer_id, COUNT(*) AS orders FROM shop_order
                WHERE placed_at > %s AND placed_at <= %s
                  AND consumer_id IN (SELECT consumer_id FROM subj)
                GROUP BY consumer_id
            )
            SELECT s.consumer_id AS consumer_id,
                   gs.gk AS group_key,
                   COALESCE(gs.size, 0) AS group_size,
                   COALESCE(w.rf_claims, 0) AS rf_claims,
                   COALESCE(o.orders, 0) AS orders,
                   COALESCE(w.fake_sender, 0) AS fake_sender,
                   COALESCE(w.fake_receiver, 0) AS fake_receiver,
                   COALESCE(w.dup_waybill, 0) AS dup_waybill,
                   COALESCE(fp.fingerprint, 0) AS fingerprint
            FROM subj s
            LEFT JOIN w ON w.consumer_id = s.consumer_id
            LEFT JOIN fp ON fp.consumer_id = s.consumer_id
            LEFT JOIN o ON o.consumer_id = s.consumer_id
            LEFT JOIN g ON g.consumer_id = s.consumer_id
            LEFT JOIN gs ON gs.gk = g.gk
            """,  # noqa: S608 — identifiers and ints only
            [*win, *win, *win],
        )
        # Group totals (RF-1: a linked group repeatedly claiming).
        cur.execute(f"DROP TABLE IF EXISTS {TMP}_g")
        cur.execute(
            f"""
            CREATE TEMPORARY TABLE {TMP}_g AS
            SELECT group_key AS key, MAX(group_size) AS size,
                   {", ".join(f"SUM({k}) AS {k}" for k in COUNTS)}
            FROM {TMP} WHERE group_key IS NOT NULL GROUP BY group_key
            """  # noqa: S608 — identifiers and ints only
        )
        group_hit = f"g.rf_claims >= {p.group_min}"
        cols = ["group_key", "group_size", *COUNTS, "score"]
        cur.execute(
            f"""
            INSERT INTO claims_consumerrisk (consumer_id, {", ".join(cols)}, scored_at)
            SELECT t.consumer_id, t.group_key, t.group_size, {", ".join(f"t.{k}" for k in COUNTS)},
                   {_score_sql(p, "t.", f"(g.key IS NOT NULL AND {group_hit})")}, %s
            FROM {TMP} t LEFT JOIN {TMP}_g g ON g.key = t.group_key
            WHERE true
            ON CONFLICT (consumer_id) DO UPDATE SET
                {", ".join(f"{k} = excluded.{k}" for k in cols)}, scored_at = excluded.scored_at
            WHERE {_distinct(cols, "claims_consumerrisk", "excluded")}
            """,  # noqa: S608 — identifiers and ints only
            [p.now],
        )
        consumers = cur.rowcount
        # Consumers that no longer show anything: back to zero (only rows not already zero).
        zero = ", ".join(f"{k} = 0" for k in COUNTS)
        cur.execute(
            f"""
            UPDATE claims_consumerrisk SET {zero}, group_key = NULL, group_size = 0, score = 0, scored_at = %s
            WHERE NOT EXISTS (SELECT 1 FROM {TMP} t WHERE t.consumer_id = claims_consumerrisk.consumer_id)
              AND (score <> 0 OR group_key IS NOT NULL OR {" OR ".join(f"{k} <> 0" for k in COUNTS)})
            """,  # noqa: S608 — identifiers and ints only
            [p.now],
        )
        consumers += cur.rowcount
        gcols = ["size", *COUNTS, "score"]
        cur.execute(
            f"""
            INSERT INTO claims_linkedgroup (key, {", ".join(gcols)}, scored_at)
            SELECT g.key, g.size, {", ".join(f"g.{k}" for k in COUNTS)},
                   {_score_sql(p, "g.", f"({group_hit})")}, %s
            FROM {TMP}_g g WHERE true
            ON CONFLICT (key) DO UPDATE SET
                {", ".join(f"{k} = excluded.{k}" for k in gcols)}, scored_at = excluded.scored_at
            WHERE {_distinct(gcols, "claims_linkedgroup", "excluded")}
            """,  # noqa: S608 — identifiers and ints only
            [p.now],
        )
        groups = cur.rowcount
        cur.execute(f"DELETE FROM claims_linkedgroup WHERE key NOT IN (SELECT key FROM {TMP}_g)")  # noqa: S608
        groups += cur.rowcount
        cur.execute(f"DROP TABLE {TMP}_g")
        cur.execute(f"DROP TABLE {TMP}")
    return {"consumers": consumers, "groups": groups}


# ---- evidence trail (RF-2: every order and claim behind a score) -----------------------------


@dataclass
class TrailItem:
    signal: str
    consumer_id: int
    claim_id: int | None = None
    order_id: int | None = None
    at: datetime | None = None
    detail: str = ""


def group_member_ids(key: int) -> list[int]:
    return list(
        ConsumerRisk.objects.filter(group_key=key).order_by("consumer_id").values_list("consumer_id", flat=True)
    )


def evidence_trail(*, consumer_ids: list[int], as_of: datetime | None, order_limit: int = 500) -> list[TrailItem]:
    """The claims and orders behind the counts of these consumers at ``as_of`` (the score time)."""
    as_of = as_of or timezone.now()
    since = as_of - timedelta(days=int(setting("rf.window_days")))
    items: list[TrailItem] = []
    waybills = ReturnFreightWaybill.objects.filter(
        consumer_id__in=consumer_ids, filed_at__gt=since, filed_at__lte=as_of
    ).order_by("filed_at")
    dup = set(
        ReturnFreightWaybill.objects.filter(tracking_no__in=waybills.values("tracking_no"))
        .values("tracking_no")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("tracking_no", flat=True)
    )
    for wb in waybills:
        base = {"consumer_id": wb.consumer_id, "claim_id": wb.claim_id, "order_id": wb.order_id, "at": wb.filed_at}
        items.append(TrailItem("rf_claim", detail=f"{wb.tracking_no} · {wb.fee}", **base))
        if wb.sender_mismatch:
            items.append(TrailItem("fake_sender", detail=f"{wb.sender_name} {wb.sender_phone}", **base))
        if wb.receiver_mismatch:
            items.append(TrailItem("fake_receiver", detail=wb.receiver_address, **base))
        if wb.tracking_no in dup:
            items.append(TrailItem("dup_waybill", detail=wb.tracking_no, **base))
    for m in FingerprintMatch.objects.filter(
        fingerprint__consumer_id__in=consumer_ids, detected_at__gt=since, detected_at__lte=as_of
    ).select_related("fingerprint", "other"):
        items.append(
            TrailItem(
                "fingerprint",
                consumer_id=m.fingerprint.consumer_id,
                claim_id=m.claim_id,
                at=m.detected_at,
                detail=f"#{m.other_claim_id} d={m.distance}" + (" cross-account" if m.cross_account else ""),
            )
        )
    for o in Order.objects.filter(consumer_id__in=consumer_ids, placed_at__gt=since, placed_at__lte=as_of).order_by(
        "placed_at"
    )[:order_limit]:
        items.append(TrailItem("order", consumer_id=o.consumer_id, order_id=o.pk, at=o.placed_at, detail=o.code))
    if len(consumer_ids) > 1:
        shared = (
            ConsumerIdentity.objects.filter(consumer_id__in=consumer_ids)
            .values("kind", "value")
            .annotate(n=Count("consumer_id"))
            .filter(n__gt=1)
        )
        for row in shared:
            items.append(
                TrailItem("shared_identity", consumer_id=consumer_ids[0], detail=f"{row['kind']}: {row['value']}")
            )
    return items


def trail_for_consumer(risk: ConsumerRisk) -> list[TrailItem]:
    return evidence_trail(consumer_ids=[risk.consumer_id], as_of=risk.scored_at)


def trail_for_group(group: LinkedGroup) -> list[TrailItem]:
    return evidence_trail(consumer_ids=group_member_ids(group.key), as_of=group.scored_at)


def risk_summary(risk: Any) -> dict[str, Any]:
    return {k: getattr(risk, k) for k in (*COUNTS, "score", "scored_at")}
