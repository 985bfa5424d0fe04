"""Every write of the qualifications app (SPEC §9). Keyword-only typed functions that lock
what they change, check state, and raise DomainErrors carrying API.md codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guarantees.sale_state import refresh_sale_state
from shop import hooks
from shop.audit import audit
from shop.errors import InvalidState, NotFound, ValidationFailed
from shop.models import Category, Product, Shop
from shop.notify import notify
from shop.outbox import enqueue
from shop.rules import setting

from .checks import run_checks
from .constants import (
    BLOCK_EXPIRED,
    BLOCK_MISSING,
    NOTIFY_DECIDED,
    NOTIFY_EXPIRING,
    STATUS_OF_REVISION,
    TRANSITIONS,
    LinkSource,
    RevisionSource,
    RevisionStatus,
)
from .fields import clean_values, number_of, validity_end_of
from .models import (
    ProductQualification,
    Qualification,
    QualificationEvent,
    QualificationRevision,
    QualificationType,
)

OPEN = (RevisionStatus.CHECKING, RevisionStatus.PENDING)

# Non-shop owners (e.g. a campaigns advertiser): model label -> fn(owner) -> users to notify.
owner_recipients: dict[str, Callable[[Any], Iterable[Any]]] = {}


# ---- the one status-changing function ----------------------------------------------------


def revision_transition(
    *,
    revision: QualificationRevision,
    to: str,
    actor: Any = None,
    note: str = "",
    data: dict | None = None,
) -> QualificationRevision:
    """Move a revision along TRANSITIONS, write its event row, refresh the qualification's
    summary columns. The caller holds the qualification's row lock."""
    current = revision.status
    if to not in TRANSITIONS[current]:
        raise InvalidState(
            _("A revision that is %(from)s cannot become %(to)s.") % {"from": current, "to": to},
            errors={"status": [current]},
        )
    now = timezone.now()
    revision.status = to
    update = ["status"]
    if to in (RevisionStatus.APPROVED, RevisionStatus.REJECTED) and actor is not None:
        revision.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        revision.decided_at = now
        update += ["decided_by", "decided_at"]
    if to in (RevisionStatus.APPROVED, RevisionStatus.REJECTED) and actor is None:
        revision.decided_at = now
        update.append("decided_at")
    revision.save(update_fields=update)
    _event(revision=revision, from_status=current, to=to, actor=actor, note=note, data=data, at=now)
    summarise(qualification=revision.qualification)
    return revision


def _event(
    *, revision: QualificationRevision, from_status: str, to: str, actor: Any, note: str, data: dict | None, at: Any
) -> None:
    QualificationEvent.objects.create(
        qualification_id=revision.qualification_id,
        revision=revision,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=to,
        note=note,
        data=data or {},
    )


def summarise(*, qualification: Qualification, today: dt.date | None = None) -> Qualification:
    """Recompute the denormalised columns from the revisions (QL-4: the newest revision's
    status; in force while the last approved revision is approved and unexpired)."""
    today = today or timezone.localdate()
    revs = list(qualification.revisions.order_by("-number"))
    latest = revs[0] if revs else None
    approved = next((r for r in revs if r.status in (RevisionStatus.APPROVED, RevisionStatus.EXPIRED)), None)
    q = qualification
    q.latest_revision = latest
    q.approved_revision = approved
    q.status = STATUS_OF_REVISION[latest.status] if latest else q.status
    q.certificate_number = (latest.certificate_number if latest else "") or (
        approved.certificate_number if approved else ""
    )
    q.valid_until = approved.valid_until if approved else (latest.valid_until if latest else None)
    q.in_force = bool(
        approved
        and approved.status == RevisionStatus.APPROVED
        and (approved.valid_until is None or approved.valid_until >= today)
    )
    q.save(
        update_fields=[
            "latest_revision",
            "approved_revision",
            "status",
            "certificate_number",
            "valid_until",
            "in_force",
            "updated_at",
        ]
    )
    return q


# ---- submission and edits (QL-2, QL-4, QL-5) -----------------------------------------------


def _new_revision(
    *,
    qualification: Qualification,
    number: int,
    values: dict,
    images: list[int],
    upload_ids: list[int],
    actor: Any,
    source: str,
    status: str = RevisionStatus.CHECKING,
    note: str = "",
) -> QualificationRevision:
    qtype = qualification.type
    rev = QualificationRevision.objects.create(
        qualification=qualification,
        number=number,
        status=status,
        source=source,
        fields=values,
        images=images,
        certificate_number=number_of(qtype, values),
        valid_until=validity_end_of(qtype, values),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if upload_ids:
        rev.uploads.set(upload_ids)
    _event(
        revision=rev, from_status="", to=status, actor=actor, note=note, data={"source": source}, at=rev.submitted_at
    )
    summarise(qualification=qualification)
    if status == RevisionStatus.CHECKING:
        enqueue("qualifications.run_checks", dedupe_key=f"qual-checks:{rev.pk}", revision_id=rev.pk)
    return rev


@transaction.atomic
def qualification_submit(
    *,
    actor: Any,
    qtype: QualificationType,
    values: dict,
    images: list | None = None,
    shop: Shop | None = None,
    owner: Any = None,
) -> Qualification:
    """新增资质 (QL-2): a new qualification whose first revision goes to the automatic checks,
    then to the reviewer queue. ``owner`` replaces ``shop`` for non-shop holders."""
    if (shop is None) == (owner is None):
        raise ValueError("give exactly one of shop / owner")
    if not qtype.active:
        raise ValidationFailed(errors={"type": [_("This qualification type is not offered any more.")]})
    clean, extra, upload_ids = clean_values(qtype=qtype, values=values, images=images, uploader=actor)
    q = Qualification(type=qtype, shop=shop, created_by=actor if getattr(actor, "is_authenticated", False) else None)
    if owner is not None:
        q.owner = owner
    q.save()
    _new_revision(
        qualification=q,
        number=1,
        values=clean,
        images=extra,
        upload_ids=upload_ids,
        actor=actor,
        source=RevisionSource.SUBMIT,
    )
    return q


def _locked(qualification_id: int, scope: QuerySet[Qualification] | None = None) -> Qualification:
    qs = scope if scope is not None else Qualification.objects.all()
    q = qs.select_for_update().filter(pk=qualification_id).first()
    if q is None:
        raise NotFound()
    return q


def linked_product_codes(qualification: Qualification) -> list[str]:
    return list(
        Product.objects.filter(qualification_links__qualification=qualification)
        .order_by("code")
        .values_list("code", flat=True)
    )


@transaction.atomic
def qualification_revise(
    *,
    qualification_id: int,
    actor: Any,
    values: dict | None = None,
    images: list | None = None,
    scope: QuerySet[Qualification] | None = None,
) -> tuple[Qualification, list[str]]:
    """Edit (QL-4) or renew (QL-5): a new revision under review. An open revision it replaces is
    superseded; the last approved revision stays in force for linked products meanwhile.
    Returns the qualification and the codes of the linked products the edit affects."""
    q = _locked(qualification_id, scope)
    latest = q.revisions.order_by("-number").first()
    base = dict(latest.fields) if latest else {}
    if values is not None:
        if not isinstance(values, dict):
            raise ValidationFailed(errors={"fields": [_("Expected an object of field values.")]})
        base.update(values)
    new_images = images if images is not None else (list(latest.images) if latest else [])
    known = set(
        QualificationRevision.uploads.through.objects.filter(qualificationrevision__qualification=q).values_list(
            "upload_id", flat=True
        )
    )
    clean, extra, upload_ids = clean_values(
        qtype=q.type, values=base, images=new_images, uploader=actor, allowed_ids=known
    )
    affected = linked_product_codes(q)
    unchanged = latest is not None and latest.fields == clean and list(latest.images) == extra
    if unchanged and latest.status != RevisionStatus.REJECTED:
        return q, affected  # an idempotent repeat: nothing new to review
    if latest is not None and latest.status in OPEN:
        revision_transition(revision=latest, to=RevisionStatus.SUPERSEDED, actor=actor, note=_("Replaced by an edit."))
    _new_revision(
        qualification=q,
        number=(latest.number + 1) if latest else 1,
        values=clean,
        images=extra,
        upload_ids=upload_ids,
        actor=actor,
        source=RevisionSource.EDIT,
    )
    q.refresh_from_db()
    return q, affected


# ---- automatic checks (QL-2) ----------------------------------------------------------------


@transaction.atomic
def revision_run_checks(*, revision_id: int, today: dt.date | None = None) -> str | None:
    """Run the automatic checks on a revision still being checked; pass → reviewer queue,
    fail → rejected with field-level reasons. Safe to run twice."""
    rev = QualificationRevision.objects.filter(pk=revision_id).select_related("qualification").first()
    if rev is None:
        return None
    q = Qualification.objects.select_for_update().get(pk=rev.qualification_id)
    rev = QualificationRevision.objects.select_related("qualification__type").get(pk=revision_id)
    if rev.status != RevisionStatus.CHECKING:
        return None
    findings = run_checks(revision=rev, today=today or timezone.localdate())
    rev.check_errors = findings
    if findings:
        rev.reason = _("The automatic checks found problems; correct the fields listed and submit again.")
        rev.save(update_fields=["check_errors", "reason"])
        revision_transition(
            revision=rev, to=RevisionStatus.REJECTED, note=str(rev.reason), data={"check_errors": findings}
        )
        _notify_decided(q, approved=False, reason=str(rev.reason))
    else:
        rev.save(update_fields=["check_errors"])
        revision_transition(revision=rev, to=RevisionStatus.PENDING, note=_("Automatic checks passed."))
    return rev.status


# ---- review (QL-2) -------------------------------------------------------------------------


@transaction.atomic
def qualification_decide(
    *, qualification_id: int, reviewer: Any, approved: bool, reason: str = "", today: dt.date | None = None
) -> Qualification:
    """A reviewer approves or rejects the revision awaiting review. While the automatic checks
    still run, or once decided → 409 invalid_state."""
    q = _locked(qualification_id)
    rev = q.revisions.order_by("-number").first()
    if rev is None or rev.status != RevisionStatus.PENDING:
        raise InvalidState(_("This qualification is not awaiting review."))
    reason = (reason or "").strip()
    if not approved and not reason:
        raise ValidationFailed(errors={"reason": [_("Give the merchant a reason for the rejection.")]})
    before = {"status": q.status, "in_force": q.in_force, "revision": rev.number}
    if approved:
        previous = list(q.revisions.filter(status=RevisionStatus.APPROVED).exclude(pk=rev.pk).order_by("number"))
        rev.reason = reason
        rev.save(update_fields=["reason"])
        revision_transition(revision=rev, to=RevisionStatus.APPROVED, actor=reviewer, note=reason)
        for old in previous:
            revision_transition(
                revision=old,
                to=RevisionStatus.SUPERSEDED,
                actor=reviewer,
                note=_("Replaced by approved revision %(n)d.") % {"n": rev.number},
            )
        today = today or timezone.localdate()
        if rev.valid_until is not None and rev.valid_until < today:
            revision_transition(
                revision=rev, to=RevisionStatus.EXPIRED, note=_("Approved after its validity end date.")
            )
    else:
        rev.reason = reason
        rev.save(update_fields=["reason"])
        revision_transition(revision=rev, to=RevisionStatus.REJECTED, actor=reviewer, note=reason)
    q.refresh_from_db()
    audit(
        actor=reviewer,
        action="qualification.decide",
        obj=q,
        before=before,
        after={"status": q.status, "in_force": q.in_force, "revision": rev.number},
        note=reason,
    )
    _refresh_products(q)
    _notify_decided(q, approved=approved, reason=reason)
    return q


# ---- expiry and reminders (QL-5) -----------------------------------------------------------


def qualifications_expire(*, today: dt.date | None = None) -> int:
    """Mark approved revisions past their validity end (Asia/Shanghai date) expired, take the
    products relying on them off sale (qualification_expired), tell the merchant."""
    today = today or timezone.localdate()
    due = list(
        QualificationRevision.objects.filter(status=RevisionStatus.APPROVED, valid_until__lt=today)
        .order_by("qualification_id")
        .values_list("qualification_id", flat=True)
        .distinct()
    )
    done = 0
    for qid in due:
        with transaction.atomic():
            q = Qualification.objects.select_for_update().filter(pk=qid).first()
            if q is None:
                continue
            for rev in q.revisions.filter(status=RevisionStatus.APPROVED, valid_until__lt=today):
                revision_transition(
                    revision=rev,
                    to=RevisionStatus.EXPIRED,
                    note=_("Validity ended on %(date)s.") % {"date": rev.valid_until.isoformat()},
                )
                done += 1
                notify(
                    users=recipients(q),
                    kind=NOTIFY_EXPIRING,
                    text=_(
                        "Qualification %(name)s %(number)s expired on %(date)s; products relying on it are off sale "
                        "until a renewal is approved."
                    )
                    % {"name": q.type.name, "number": q.certificate_number, "date": rev.valid_until.isoformat()},
                    link=f"/qualifications/{q.pk}/",
                    dedupe_key=f"qual-expired:{rev.pk}",
                )
            _refresh_products(q)
    return done


def qualifications_remind(*, today: dt.date | None = None) -> int:
    """In-app reminders 30, 7 and 1 days (setting) before the validity end date; each
    threshold at most once per approved revision, even if the job missed a day."""
    today = today or timezone.localdate()
    days = sorted({int(d) for d in setting("qualifications.reminder_days") if int(d) >= 0})
    if not days:
        return 0
    horizon = today + dt.timedelta(days=days[-1])
    sent = 0
    qs = (
        Qualification.objects.filter(
            approved_revision__status=RevisionStatus.APPROVED,
            approved_revision__valid_until__gte=today,
            approved_revision__valid_until__lte=horizon,
        )
        .select_related("type", "approved_revision", "shop")
        .order_by("pk")
    )
    for q in qs.iterator(chunk_size=500):
        until = q.approved_revision.valid_until
        left = (until - today).days
        threshold = min(d for d in days if d >= left)
        sent += notify(
            users=recipients(q),
            kind=NOTIFY_EXPIRING,
            text=_(
                "Qualification %(name)s %(number)s expires on %(date)s (%(left)d days left). "
                "Renew it so products relying on it stay on sale."
            )
            % {"name": q.type.name, "number": q.certificate_number, "date": until.isoformat(), "left": left},
            link=f"/qualifications/{q.pk}/edit/",
            dedupe_key=f"qual-expiring:{q.approved_revision_id}:{threshold}",
        )
    return sent


# ---- product links (QL-3) ------------------------------------------------------------------


def _refresh_products(q: Qualification) -> None:
    ids = list(ProductQualification.objects.filter(qualification=q).values_list("product_id", flat=True))
    if ids:
        refresh_sale_state(product_ids=ids)


def product_qualifications_set(
    *, product: Product, qualification_ids: Any, actor: Any = None, source: str = LinkSource.API
) -> list[Qualification]:
    """Link exactly these qualifications to the product (the guarantees product API calls this
    inside its transaction). They must be the product's shop's own and of a type its category
    requires; otherwise 400 ``invalid`` with errors.qualifications."""
    if not isinstance(qualification_ids, list | tuple):
        raise ValidationFailed(errors={"qualifications": [_("Expected a list of qualification ids.")]})
    try:
        ids = list(dict.fromkeys(int(i) for i in qualification_ids if not isinstance(i, bool)))
    except (TypeError, ValueError):
        raise ValidationFailed(errors={"qualifications": [_("Expected a list of qualification ids.")]}) from None
    found = {q.pk: q for q in Qualification.objects.filter(pk__in=ids, shop_id=product.shop_id).select_related("type")}
    errors: list[str] = []
    for i in ids:
        if i not in found:
            errors.append(_("Unknown qualification %(id)s.") % {"id": i})
    category = Category.objects.get(pk=product.category_id)
    required = set(category.required_qualification_types or [])
    for q in found.values():
        if q.type.code not in required:
            errors.append(
                _("Qualification %(id)s (%(type)s) is not one the category %(cat)s requires.")
                % {"id": q.pk, "type": q.type.code, "cat": category.code}
            )
    if errors:
        raise ValidationFailed(errors={"qualifications": errors})
    with transaction.atomic():
        existing = set(ProductQualification.objects.filter(product=product).values_list("qualification_id", flat=True))
        gone = existing - set(ids)
        if gone:
            ProductQualification.objects.filter(product=product, qualification_id__in=gone).delete()
        ProductQualification.objects.bulk_create(
            [
                ProductQualification(
                    product=product,
                    qualification_id=i,
                    source=source,
                    linked_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
                for i in ids
                if i not in existing
            ],
            ignore_conflicts=True,
        )
        refresh_sale_state(product_ids=[product.pk])
    return [found[i] for i in ids]


def product_link_handler(*, product: Product, qualification_ids: Any, actor: Any = None) -> None:
    """guarantees.sale_state.product_qualification_handlers entry (POST/PATCH shop/products)."""
    product_qualifications_set(product=product, qualification_ids=qualification_ids, actor=actor)


@transaction.atomic
def product_publish(
    *,
    shop: Shop,
    actor: Any,
    code: str,
    title: str,
    category: Category,
    price: Any,
    qualification_ids: list[int],
) -> Product:
    """The product publish page (QL-3): create the product, link its qualifications; it is
    saved either way and stays off sale, with the reason, until they are all approved."""
    if Product.objects.filter(code=code).exists():
        raise ValidationFailed(errors={"code": [_("A product with this code already exists.")]})
    product = Product.objects.create(shop=shop, code=code, title=title, category=category, price=price)
    product_qualifications_set(
        product=product, qualification_ids=qualification_ids, actor=actor, source=LinkSource.PUBLISH
    )
    hooks.run(hooks.facts_changed, shop_ids={shop.pk}, category_ids=set(), product_ids={product.pk})
    refresh_sale_state(product_ids=[product.pk])
    product.refresh_from_db()
    audit(actor=actor, action="product.publish", obj=product, after={"qualifications": qualification_ids})
    return product


# ---- sale state provider (QL-3, QL-5) ------------------------------------------------------


def sale_block_provider(products: QuerySet[Product]) -> dict[int, list[str]]:
    """guarantees.sale_state provider: a product whose category requires qualification types
    is blocked unless, for each type, a linked qualification is in force."""
    need: dict[int, set[str]] = {}
    for pid, codes in products.values_list("pk", "category__required_qualification_types"):
        if codes:
            need[pid] = set(codes)
    if not need:
        return {}
    today = timezone.localdate()
    state: dict[tuple[int, str], int] = {}  # 2 in force, 1 expired
    rows = ProductQualification.objects.filter(product_id__in=list(need)).values_list(
        "product_id",
        "qualification__type__code",
        "qualification__approved_revision__status",
        "qualification__approved_revision__valid_until",
    )
    for pid, code, status, until in rows:
        if status == RevisionStatus.APPROVED and (until is None or until >= today):
            rank = 2
        elif status in (RevisionStatus.APPROVED, RevisionStatus.EXPIRED):
            rank = 1
        else:
            rank = 0
        key = (pid, code)
        state[key] = max(state.get(key, 0), rank)
    result: dict[int, list[str]] = {}
    for pid, codes in need.items():
        reasons = set()
        for code in codes:
            rank = state.get((pid, code), 0)
            if rank == 2:
                continue
            reasons.add(BLOCK_EXPIRED if rank == 1 else BLOCK_MISSING)
        if reasons:
            result[pid] = sorted(reasons)
    return result


# ---- who hears about a qualification -------------------------------------------------------


def recipients(q: Qualification) -> list[Any]:
    if q.shop_id:
        return list(get_user_model().objects.filter(shop_member__shop_id=q.shop_id, is_active=True))
    if q.owner_type_id:
        fn = owner_recipients.get(q.owner_type.model_class()._meta.label_lower)  # type: ignore[union-attr]
        if fn is not None:
            return list(fn(q.owner))
    return []


def _notify_decided(q: Qualification, *, approved: bool, reason: str) -> None:
    if approved:
        text = _("Qualification %(name)s %(number)s was approved.") % {
            "name": q.type.name,
            "number": q.certificate_number,
        }
    else:
        text = _("Qualification %(name)s %(number)s was rejected: %(reason)s") % {
            "name": q.type.name,
            "number": q.certificate_number,
            "reason": reason,
        }
    rev_id = q.latest_revision_id
    notify(
        users=recipients(q),
        kind=NOTIFY_DECIDED,
        text=text,
        link=f"/qualifications/{q.pk}/",
        dedupe_key=f"qual-decided:{rev_id}",
    )
