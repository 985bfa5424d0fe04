"""QL-6: move qualification data that older products kept in ``Product.attributes`` into
qualification records.

Legacy shapes read: ``attributes["qualification"] = {...}`` or ``attributes["qualifications"]
= [{...}, ...]`` with keys ``type`` (type code), ``number`` (certificate number),
``valid_until`` (ISO date), ``approved`` (bool) and optionally values for other declared
fields of the type (e.g. ``holder``).

- previously approved stays approved (no resubmission; an approved one already past its
  validity end is imported as expired);
- duplicates within a shop (same type + certificate number, trimmed, case-insensitive) merge
  into one qualification; an existing record with that key is reused and left as it is;
- every product is linked to its qualification(s);
- bad rows (not an object, unknown type, no number, bad date) are reported and skipped;
- running it twice changes nothing; ``dry_run`` computes the same report and rolls back.

Set-based: one streaming pass over the products, bulk inserts in batches, one UPDATE per
batch for the revision pointers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from guarantees.sale_state import refresh_sale_state
from shop.models import Product

from .constants import NUMBER_FIELD_NAMES, FieldKind, LinkSource, QualificationStatus, RevisionSource, RevisionStatus
from .fields import declared_fields, parse_date
from .models import ProductQualification, Qualification, QualificationEvent, QualificationRevision, QualificationType

BATCH = 5000
NOTE = "migrated from product attributes (QL-6)"


@dataclass
class Group:
    shop_id: int
    type_code: str
    number: str
    approved: bool = False
    valid_until: dt.date | None = None
    values: dict[str, Any] = field(default_factory=dict)
    product_ids: set[int] = field(default_factory=set)
    rows: int = 0
    conflict: bool = False


@dataclass
class Report:
    products_scanned: int = 0
    entries: int = 0
    bad: Counter = field(default_factory=Counter)
    bad_examples: list[tuple[str, str]] = field(default_factory=list)
    groups: int = 0
    merged_duplicates: int = 0
    conflicting_duplicates: int = 0
    reused_existing: int = 0
    created: Counter = field(default_factory=Counter)
    links_created: int = 0
    products_refreshed: int = 0
    seconds: float = 0.0
    dry_run: bool = False

    def lines(self) -> list[str]:
        out = [
            f"{'DRY RUN — nothing written. ' if self.dry_run else ''}QL-6 legacy qualification migration",
            f"  products with legacy data: {self.products_scanned}",
            f"  legacy entries:            {self.entries}",
            f"  bad entries (skipped):     {sum(self.bad.values())}"
            + (f"  {dict(sorted(self.bad.items()))}" if self.bad else ""),
            f"  distinct qualifications:   {self.groups}",
            f"  duplicates merged:         {self.merged_duplicates}"
            + (f" ({self.conflicting_duplicates} with differing data)" if self.conflicting_duplicates else ""),
            f"  matched existing records:  {self.reused_existing}",
            f"  qualifications created:    {sum(self.created.values())}"
            + (f"  {dict(sorted(self.created.items()))}" if self.created else ""),
            f"  product links created:     {self.links_created}",
            f"  products re-evaluated:     {self.products_refreshed}",
            f"  time: {self.seconds:.1f}s",
        ]
        if self.bad_examples:
            out.append("  bad entries (first ones):")
            out += [f"    {code}: {why}" for code, why in self.bad_examples]
        return out


class _DryRun(Exception):
    pass


def _entries(attributes: Any) -> list[Any]:
    if not isinstance(attributes, dict):
        return []
    found: list[Any] = []
    one = attributes.get("qualification")
    if one is not None:
        found.append(one)
    many = attributes.get("qualifications")
    if isinstance(many, list):
        found.extend(many)
    elif many is not None:
        found.append(many)
    return found


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "approved", "通过", "已通过")
    return bool(value)


def migrate_legacy(*, dry_run: bool = False, refresh: bool = True, max_examples: int = 50) -> Report:
    started = timezone.now()
    report = Report(dry_run=dry_run)
    try:
        with transaction.atomic():
            _migrate(report, refresh=refresh and not dry_run, max_examples=max_examples)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.seconds = (timezone.now() - started).total_seconds()
    return report


def _migrate(report: Report, *, refresh: bool, max_examples: int) -> None:
    types = {t.code: t for t in QualificationType.objects.prefetch_related("fields")}
    meta = {}
    for code, t in types.items():
        fields = declared_fields(t)
        number = next((f.name for f in fields if f.is_number), None) or next(
            (f.name for f in fields if f.name in NUMBER_FIELD_NAMES), "number"
        )
        end = next((f.name for f in fields if f.validity_end), None)
        copyable = {f.name for f in fields if f.kind in (FieldKind.TEXT, FieldKind.NUMBER, FieldKind.DATE)}
        meta[code] = (number, end, copyable)

    groups: dict[tuple[int, str, str], Group] = {}

    def bad(code: str, why: str) -> None:
        report.bad[why] += 1
        if len(report.bad_examples) < max_examples:
            report.bad_examples.append((code, why))

    qs = (
        Product.objects.filter(Q(attributes__has_key="qualification") | Q(attributes__has_key="qualifications"))
        .order_by()
        .values_list("pk", "code", "shop_id", "attributes")
    )
    for pid, code, shop_id, attributes in qs.iterator(chunk_size=BATCH):
        report.products_scanned += 1
        for entry in _entries(attributes):
            report.entries += 1
            if not isinstance(entry, dict):
                bad(code, "not_an_object")
                continue
            type_code = str(entry.get("type") or entry.get("type_code") or "").strip()
            if not type_code:
                bad(code, "missing_type")
                continue
            if type_code not in types:
                bad(code, "unknown_type")
                continue
            number_field, end_field, copyable = meta[type_code]
            raw_number = entry.get("number") or entry.get("certificate_number") or entry.get(number_field)
            number = str(raw_number).strip() if raw_number not in (None, "") else ""
            if not number or len(number) > 200:
                bad(code, "missing_number")
                continue
            raw_until = entry.get("valid_until") or (entry.get(end_field) if end_field else None)
            until = parse_date(raw_until) if raw_until not in (None, "") else None
            if raw_until not in (None, "") and until is None:
                bad(code, "bad_date")
                continue
            key = (shop_id, type_code, number.casefold())
            group = groups.get(key)
            if group is None:
                group = groups[key] = Group(shop_id=shop_id, type_code=type_code, number=number)
            else:
                report.merged_duplicates += 1
            group.rows += 1
            approved = _truthy(entry.get("approved")) or str(entry.get("status", "")).lower() == "approved"
            values = {k: str(v) for k, v in entry.items() if k in copyable and v not in (None, "") and k != end_field}
            if group.rows > 1 and (group.valid_until != until or group.approved != approved):
                group.conflict = True
            # The approved row wins; among equals, the later validity end.
            if (approved, until or dt.date.min) > (group.approved, group.valid_until or dt.date.min) or group.rows == 1:
                group.approved, group.valid_until = approved or group.approved, until
                group.values = {**group.values, **values}
            else:
                group.values = {**values, **group.values}
            group.product_ids.add(pid)
    report.groups = len(groups)
    report.conflicting_duplicates = sum(1 for g in groups.values() if g.conflict)

    today = timezone.localdate()
    items = list(groups.items())
    for start in range(0, len(items), BATCH):
        _write_batch(items[start : start + BATCH], types, meta, today, report, refresh)


def _write_batch(
    items: list[tuple[tuple[int, str, str], Group]],
    types: dict[str, QualificationType],
    meta: dict,
    today: dt.date,
    report: Report,
    refresh: bool,
) -> None:
    shop_ids = {g.shop_id for _, g in items}
    type_codes = {g.type_code for _, g in items}
    existing: dict[tuple[int, str, str], int] = {}
    for qid, shop_id, type_code, number in Qualification.objects.filter(
        shop_id__in=shop_ids, type__code__in=type_codes
    ).values_list("pk", "shop_id", "type__code", "certificate_number"):
        existing.setdefault((shop_id, type_code, number.strip().casefold()), qid)

    now = timezone.now()
    new_groups = [(k, g) for k, g in items if k not in existing]
    report.reused_existing += len(items) - len(new_groups)
    quals = []
    statuses = []
    for _, g in new_groups:
        if g.approved:
            status = RevisionStatus.EXPIRED if g.valid_until and g.valid_until < today else RevisionStatus.APPROVED
        else:
            status = RevisionStatus.PENDING
        statuses.append(status)
        report.created[str(status)] += 1
        quals.append(
            Qualification(
                shop_id=g.shop_id,
                type=types[g.type_code],
                status={
                    RevisionStatus.APPROVED: QualificationStatus.APPROVED,
                    RevisionStatus.EXPIRED: QualificationStatus.EXPIRED,
                    RevisionStatus.PENDING: QualificationStatus.PENDING,
                }[status],
                certificate_number=g.number,
                valid_until=g.valid_until,
                in_force=status == RevisionStatus.APPROVED,
                created_at=now,
            )
        )
    Qualification.objects.bulk_create(quals, batch_size=BATCH)
    revisions = []
    for q, (_, g), status in zip(quals, new_groups, statuses, strict=True):
        number_field, end_field, _copyable = meta[g.type_code]
        values = {**g.values, number_field: g.number}
        if end_field and g.valid_until:
            values[end_field] = g.valid_until.isoformat()
        revisions.append(
            QualificationRevision(
                qualification=q,
                number=1,
                status=status,
                source=RevisionSource.LEGACY,
                fields=values,
                certificate_number=g.number,
                valid_until=g.valid_until,
                submitted_at=now,
                decided_at=now if status != RevisionStatus.PENDING else None,
            )
        )
    QualificationRevision.objects.bulk_create(revisions, batch_size=BATCH)
    QualificationEvent.objects.bulk_create(
        [
            QualificationEvent(
                qualification=r.qualification, revision=r, at=now, from_status="", to_status=r.status, note=NOTE
            )
            for r in revisions
        ],
        batch_size=BATCH,
    )
    new_ids = [q.pk for q in quals]
    if new_ids:
        first_rev = QualificationRevision.objects.filter(qualification_id=OuterRef("pk")).order_by("-number")
        Qualification.objects.filter(pk__in=new_ids).update(
            latest_revision_id=Subquery(first_rev.values("pk")[:1]),
            approved_revision_id=Subquery(
                first_rev.filter(status__in=[RevisionStatus.APPROVED, RevisionStatus.EXPIRED]).values("pk")[:1]
            ),
        )
    for q, (key, _) in zip(quals, new_groups, strict=True):
        existing[key] = q.pk

    wanted = {(pid, existing[key]) for key, g in items for pid in g.product_ids}
    product_ids = {pid for pid, _ in wanted}
    have = set(
        ProductQualification.objects.filter(product_id__in=product_ids).values_list("product_id", "qualification_id")
    )
    links = [
        ProductQualification(product_id=pid, qualification_id=qid, source=LinkSource.LEGACY, linked_at=now)
        for pid, qid in sorted(wanted - have)
    ]
    ProductQualification.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    report.links_created += len(links)
    if refresh and links:
        touched = sorted({link.product_id for link in links})
        refresh_sale_state(product_ids=touched)
        report.products_refreshed += len(touched)
