"""主播实在宝 enrolment: eligibility, invitation, opening, import, coverage, re-checks.

SPEC §5: SZB-1 (eligibility), SZB-2 (invitation, requests), SZB-3 (opening), SZB-4/5/15
(coverage decided at order intake), SZB-18 (continued eligibility).

Every write is a keyword-only service that locks the enrolment row; the status changes only
through ``enrolment_transition``, which writes a ``ShizaibaoEvent`` row. Coverage of a live
session is decided from those events: the enrolment must have been ``open`` just before the
session started ("after" is strict, SZB-3), so suspensions and reinstatements only affect
sessions that start after them, and orders already covered stay covered (SZB-18).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.errors import InvalidState, NotFound, domain_error
from shop.models import Category, LiveSession, Order, Streamer
from shop.notify import notify
from shop.rules import register, setting

from .models import (
    EnrolmentStatus,
    InviteSource,
    RequestStatus,
    ShizaibaoAgreement,
    ShizaibaoEnrolment,
    ShizaibaoEvent,
    ShizaibaoRequest,
)

# ---- SPEC numbers (editable in admin: shop.RuleSetting) --------------------------------------
register("szb.min_fans_exclusive", 1_000_000, rule="SZB-1", description="Fans must be strictly more than this.")
register(
    "szb.min_experience_score_exclusive",
    Decimal("4.50"),
    rule="SZB-1",
    description="Experience score must be strictly more than this.",
)
register("szb.min_level", 2, rule="SZB-1", description="Merchant level must be at least this (L2+).")
register(
    "szb.violation_window_days",
    90,
    rule="SZB-1",
    description="No upheld false-advertising violation within this many days (natural days × 24 h).",
)
register("szb.auto_invite", True, rule="SZB-2", description="The daily beat job invites every eligible streamer.")
register(
    "szb.auto_reinstate",
    True,
    rule="SZB-18",
    description="The daily re-check reinstates a suspended enrolment once SZB-1 passes again.",
)
register(
    "szb.support_contact",
    "平台客服 400-000-0000",
    rule="SZB-2",
    description="Contact shown to streamers who are not invited or not eligible.",
)
register(
    "szb.group_qr_url",
    "",
    rule="SZB-2",
    description="URL of the enterprise WeChat group QR code image (empty: a placeholder is shown).",
)

# ---- extension point: the claims app records violations (SZB-16) and registers here ---------
# fn(streamer, since) -> True if the streamer has an upheld false-advertising violation since then.
recent_violation_checks: list[Callable[[Streamer, datetime], bool]] = []

# ---- domain errors (API.md streamer section) ---------------------------------------------------
AgreementRequired = domain_error(
    "agreement_required", 400, gettext_lazy("Please read and tick 「我已阅读并同意《实在宝服务开通协议》」.")
)
AgreementOutdated = domain_error(
    "agreement_outdated", 400, gettext_lazy("The agreement has a newer version; please read it and agree again.")
)
NotInvited = domain_error("not_invited", 403, gettext_lazy("You have not been invited to open 实在宝 yet."))
NotEligible = domain_error("not_eligible", 403, gettext_lazy("You do not meet the 实在宝 conditions (SZB-1)."))


# ---- SZB-1 eligibility -------------------------------------------------------------------------
@dataclass(frozen=True)
class Condition:
    name: str  # fans | experience_score | level | no_recent_violation
    value: Any
    required: Any
    comparison: str  # gt | gte | eq
    passed: bool

    @property
    def label(self) -> str:
        return str(CONDITION_LABELS[self.name])


CONDITION_LABELS = {
    "fans": gettext_lazy("Fans"),
    "experience_score": gettext_lazy("Shopping experience score"),
    "level": gettext_lazy("Merchant level"),
    "no_recent_violation": gettext_lazy("No upheld false-advertising violation"),
}


def has_recent_violation(streamer: Streamer, *, since: datetime) -> bool:
    return any(check(streamer, since) for check in recent_violation_checks)


def eligibility_conditions(streamer: Streamer, *, now: datetime | None = None) -> list[Condition]:
    """Every SZB-1 condition with the streamer's value, the requirement and pass/fail."""
    now = now or timezone.now()
    min_fans = setting("szb.min_fans_exclusive")
    min_score = setting("szb.min_experience_score_exclusive")
    min_level = setting("szb.min_level")
    since = now - timedelta(days=setting("szb.violation_window_days"))
    clean = not has_recent_violation(streamer, since=since)
    score = Decimal(streamer.experience_score)
    return [
        Condition("fans", streamer.fans, min_fans, "gt", streamer.fans > min_fans),
        Condition("experience_score", score, min_score, "gt", score > min_score),
        Condition("level", streamer.level, min_level, "gte", streamer.level >= min_level),
        Condition("no_recent_violation", clean, True, "eq", clean),
    ]


def is_eligible(streamer: Streamer, *, now: datetime | None = None) -> bool:
    return all(c.passed for c in eligibility_conditions(streamer, now=now))


# ---- agreement --------------------------------------------------------------------------------
def current_agreement(*, now: datetime | None = None) -> ShizaibaoAgreement | None:
    """The latest published version is the current one (SZB-3)."""
    now = now or timezone.now()
    return (
        ShizaibaoAgreement.objects.filter(published_at__isnull=False, published_at__lte=now)
        .order_by("-published_at", "-id")
        .first()
    )


@transaction.atomic
def agreement_publish(*, agreement_id: int, actor: Any) -> ShizaibaoAgreement:
    from shop.audit import audit

    agreement = ShizaibaoAgreement.objects.select_for_update().get(pk=agreement_id)
    if agreement.published_at is None:
        agreement.published_at = timezone.now()
        agreement.save(update_fields=["published_at"])
        audit(actor=actor, action="szb.agreement_published", obj=agreement, after={"version": agreement.version})
    return agreement


# ---- status: one transition function -----------------------------------------------------------
TRANSITIONS: dict[str, set[str]] = {
    # kind: allowed from-states → the to-state is implied by the kind
    ShizaibaoEvent.Kind.INVITED: {EnrolmentStatus.NOT_OPEN},
    ShizaibaoEvent.Kind.OPENED: {EnrolmentStatus.NOT_OPEN},
    ShizaibaoEvent.Kind.IMPORTED: {EnrolmentStatus.NOT_OPEN},
    ShizaibaoEvent.Kind.SUSPENDED: {EnrolmentStatus.OPEN},
    ShizaibaoEvent.Kind.REINSTATED: {EnrolmentStatus.SUSPENDED},
}
TARGET = {
    ShizaibaoEvent.Kind.INVITED: EnrolmentStatus.NOT_OPEN,
    ShizaibaoEvent.Kind.OPENED: EnrolmentStatus.OPEN,
    ShizaibaoEvent.Kind.IMPORTED: EnrolmentStatus.OPEN,
    ShizaibaoEvent.Kind.SUSPENDED: EnrolmentStatus.SUSPENDED,
    ShizaibaoEvent.Kind.REINSTATED: EnrolmentStatus.OPEN,
}


def enrolment_transition(
    *, enrolment: ShizaibaoEnrolment, kind: str, at: datetime, actor: Any = None, note: str = "", fields: tuple = ()
) -> ShizaibaoEvent:
    """The only place an enrolment's status changes; the caller holds the row lock."""
    if enrolment.status not in TRANSITIONS[kind]:
        raise InvalidState()
    before = enrolment.status
    enrolment.status = TARGET[kind]
    if enrolment.status != before or kind == ShizaibaoEvent.Kind.OPENED or kind == ShizaibaoEvent.Kind.IMPORTED:
        enrolment.status_since = at
    enrolment.save(update_fields=["status", "status_since", "updated_at", *fields])
    return ShizaibaoEvent.objects.create(
        enrolment=enrolment,
        kind=kind,
        from_status=before,
        to_status=enrolment.status,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
    )


def _locked_enrolment(streamer: Streamer) -> ShizaibaoEnrolment:
    """The streamer's enrolment row, created if missing, locked for update."""
    try:
        with transaction.atomic():
            ShizaibaoEnrolment.objects.get_or_create(streamer=streamer)
    except IntegrityError:
        pass  # created concurrently
    return ShizaibaoEnrolment.objects.select_for_update().get(streamer=streamer)


def _streamer_users(streamer: Streamer) -> list[Any]:
    return [p.user for p in streamer.users.select_related("user")]


# ---- SZB-2 invitation --------------------------------------------------------------------------
@transaction.atomic
def szb_invite(
    *, streamer: Streamer, actor: Any = None, source: str = InviteSource.REVIEWER, note: str = ""
) -> ShizaibaoEnrolment:
    """Invite a streamer (定向邀约). Idempotent: an invited streamer stays invited as before."""
    enrolment = _locked_enrolment(streamer)
    if enrolment.invited_at is not None:
        return enrolment
    now = timezone.now()
    enrolment.invited_at = now
    enrolment.invite_source = source
    enrolment.invited_by = actor if getattr(actor, "is_authenticated", False) else None
    enrolment_transition(
        enrolment=enrolment,
        kind=ShizaibaoEvent.Kind.INVITED,
        at=now,
        actor=actor,
        note=note,
        fields=("invited_at", "invite_source", "invited_by"),
    )
    ShizaibaoRequest.objects.filter(streamer=streamer, status=RequestStatus.PENDING).update(
        status=RequestStatus.INVITED,
        handled_at=now,
        handled_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    notify(
        users=_streamer_users(streamer),
        kind="shizaibao_invited",
        text=_("You are invited to open 实在宝. Read the agreement and open it before your next live session."),
        link="/rights/shizaibao/",
        dedupe_key=f"szb-invited-{enrolment.pk}",
    )
    return enrolment


@transaction.atomic
def szb_request_create(*, streamer: Streamer, message: str = "", contact: str = "") -> ShizaibaoRequest:
    """Leave a request to open 实在宝; one pending request per streamer (a repeat updates it)."""
    existing = ShizaibaoRequest.objects.select_for_update().filter(streamer=streamer, status=RequestStatus.PENDING)
    req = existing.first()
    if req is not None:
        req.message, req.contact = message, contact
        req.save(update_fields=["message", "contact"])
        return req
    try:
        with transaction.atomic():
            return ShizaibaoRequest.objects.create(streamer=streamer, message=message, contact=contact)
    except IntegrityError:
        return ShizaibaoRequest.objects.get(streamer=streamer, status=RequestStatus.PENDING)


@transaction.atomic
def szb_request_dismiss(*, request_id: int, actor: Any, note: str = "") -> ShizaibaoRequest:
    req = ShizaibaoRequest.objects.select_for_update().filter(pk=request_id).first()
    if req is None:
        raise NotFound()
    if req.status != RequestStatus.PENDING:
        raise InvalidState()
    req.status, req.handled_at, req.handled_by, req.note = RequestStatus.DISMISSED, timezone.now(), actor, note
    req.save(update_fields=["status", "handled_at", "handled_by", "note"])
    notify(
        users=_streamer_users(req.streamer),
        kind="shizaibao_request",
        text=_("Your 实在宝 request was reviewed: %(note)s") % {"note": note or _("not invited for now")},
        link="/rights/shizaibao/",
        dedupe_key=f"szb-request-{req.pk}",
    )
    return req


# ---- SZB-3 opening -----------------------------------------------------------------------------
@transaction.atomic
def szb_open(
    *, streamer: Streamer, user: Any, agree: bool, agreement_version: str, ip: str | None
) -> tuple[ShizaibaoEnrolment, bool]:
    """立即开通 (SZB-3). Returns (enrolment, created); already open → (enrolment, False).

    Checks, first failure answers: already open → no change; not ticked → agreement_required;
    not the current version → agreement_outdated; not invited → not_invited; SZB-1 fails →
    not_eligible. A suspended enrolment is reinstated here when SZB-1 passes again.
    """
    enrolment = ShizaibaoEnrolment.objects.select_for_update().filter(streamer=streamer).first()
    if enrolment is not None and enrolment.status == EnrolmentStatus.OPEN:
        return enrolment, False
    if not agree:
        raise AgreementRequired()
    agreement = current_agreement()
    if agreement is None:
        raise InvalidState(_("No 实在宝 agreement is published yet; please try again later."))
    if agreement_version != agreement.version:
        raise AgreementOutdated(current_version=agreement.version)
    if enrolment is None or enrolment.invited_at is None:
        raise NotInvited()
    streamer = Streamer.objects.get(pk=streamer.pk)  # current facts (SZB-18)
    if not is_eligible(streamer):
        raise NotEligible()
    now = timezone.now()
    enrolment.agreement_version = agreement.version
    enrolment.opened_ip = ip
    enrolment.opened_by = user if getattr(user, "is_authenticated", False) else None
    if enrolment.status == EnrolmentStatus.SUSPENDED:
        enrolment_transition(
            enrolment=enrolment,
            kind=ShizaibaoEvent.Kind.REINSTATED,
            at=now,
            actor=user,
            note=_("Re-opened by the streamer"),
            fields=("agreement_version", "opened_ip", "opened_by"),
        )
        return enrolment, False
    enrolment.opened_at = now
    enrolment_transition(
        enrolment=enrolment,
        kind=ShizaibaoEvent.Kind.OPENED,
        at=now,
        actor=user,
        note=f"agreement {agreement.version}, ip {ip or '-'}",
        fields=("opened_at", "agreement_version", "opened_ip", "opened_by"),
    )
    return enrolment, True


# ---- sync import (shop.hooks.streamer_extras) ----------------------------------------------------
def _parse_time(doc: dict, key: str) -> datetime | None:
    from shop.sync import ItemError

    raw = doc.get(key)
    if raw in (None, ""):
        return None
    value = raw if isinstance(raw, datetime) else parse_datetime(raw) if isinstance(raw, str) else None
    if value is None or timezone.is_naive(value):
        raise ItemError(
            "invalid", _("Invalid 实在宝 enrolment."), {f"shizaibao.{key}": [_("An ISO 8601 time with offset.")]}
        )
    return value


def szb_import(streamer: Streamer, doc: Any, actor: Any = None) -> bool:
    """Import an enrolment that exists upstream with its original times; idempotent.

    ``{invited_at, opened_at, agreement_version}``. A local enrolment already opened at another
    time (or with another version) is a conflict (item error); nothing is silently rewritten.
    """
    from shop.sync import ItemError

    if not isinstance(doc, dict):
        raise ItemError("invalid", _("Invalid 实在宝 enrolment."), {"shizaibao": [_("An object.")]})
    unknown = set(doc) - {"invited_at", "opened_at", "agreement_version"}
    if unknown:
        raise ItemError("invalid", _("Invalid 实在宝 enrolment."), {"shizaibao": sorted(unknown)})
    invited_at = _parse_time(doc, "invited_at")
    opened_at = _parse_time(doc, "opened_at")
    version = doc.get("agreement_version") or ""
    if not isinstance(version, str) or len(version) > 32:
        raise ItemError(
            "invalid", _("Invalid 实在宝 enrolment."), {"shizaibao.agreement_version": [_("A short text.")]}
        )
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if opened_at is not None and not version:
        errors["shizaibao.agreement_version"] = [_("Required when opened_at is given.")]
    if invited_at and opened_at and opened_at < invited_at:
        errors["shizaibao.opened_at"] = [_("Cannot be before invited_at.")]
    for key, value in (("invited_at", invited_at), ("opened_at", opened_at)):
        if value is not None and value > now:
            errors[f"shizaibao.{key}"] = [_("Cannot be in the future.")]
    if errors:
        raise ItemError("invalid", _("Invalid 实在宝 enrolment."), errors)
    if invited_at is None and opened_at is None:
        return False
    invited_at = invited_at or opened_at

    with transaction.atomic():
        enrolment = _locked_enrolment(streamer)
        changed = False
        if enrolment.invited_at is None or (opened_at is not None and enrolment.opened_at is None):
            first = min(t for t in (enrolment.invited_at, invited_at) if t is not None)
            if enrolment.invited_at is None or first != enrolment.invited_at:
                enrolment.invited_at = first
                enrolment.invite_source = enrolment.invite_source or InviteSource.IMPORT
                enrolment.save(update_fields=["invited_at", "invite_source", "updated_at"])
                ShizaibaoEvent.objects.create(
                    enrolment=enrolment,
                    kind=ShizaibaoEvent.Kind.INVITED,
                    from_status=enrolment.status,
                    to_status=enrolment.status,
                    at=first,
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    note=_("Imported from the platform"),
                )
                changed = True
        if opened_at is None:
            return changed
        if enrolment.opened_at is not None:
            if enrolment.opened_at == opened_at and enrolment.agreement_version == version:
                return changed
            raise ItemError(
                "shizaibao_conflict",
                _("This streamer's 实在宝 enrolment was already opened at another time or version."),
                {"shizaibao.opened_at": [enrolment.opened_at.isoformat()]},
            )
        enrolment.opened_at = opened_at
        enrolment.agreement_version = version
        enrolment.imported = True
        enrolment_transition(
            enrolment=enrolment,
            kind=ShizaibaoEvent.Kind.IMPORTED,
            at=opened_at,
            actor=actor,
            note=_("Imported from the platform (agreement %(v)s)") % {"v": version},
            fields=("opened_at", "agreement_version", "imported"),
        )
        return True


# ---- SZB-4/5/15 coverage -----------------------------------------------------------------------------
# Events that change the status (an invitation does not), in the order they happened.
STATUS_KINDS = [
    ShizaibaoEvent.Kind.OPENED,
    ShizaibaoEvent.Kind.IMPORTED,
    ShizaibaoEvent.Kind.SUSPENDED,
    ShizaibaoEvent.Kind.REINSTATED,
]


def in_effect_at(streamer_id: int, at: datetime) -> bool:
    """Was the streamer's 实在宝 open just before ``at``? (events strictly before ``at``)."""
    last = (
        ShizaibaoEvent.objects.filter(enrolment__streamer_id=streamer_id, at__lt=at, kind__in=STATUS_KINDS)
        .order_by("-at", "-id")
        .values_list("to_status", flat=True)
        .first()
    )
    return last == EnrolmentStatus.OPEN


def category_excluded(category: Category) -> bool:
    """SZB-5: the category or any of its ancestors is ``szb_excluded``."""
    seen: set[int] = set()
    node: Category | None = category
    while node is not None and node.pk not in seen:
        if node.szb_excluded:
            return True
        seen.add(node.pk)
        node = node.parent
    return False


def session_covered(session: LiveSession | None) -> bool:
    """SZB-3/SZB-4: the session started strictly after the service came into effect."""
    if session is None or session.started_at is None:
        return False
    return in_effect_at(session.streamer_id, session.started_at)


def order_covered(order: Order) -> bool:
    """SZB-4: placed in a covered live session of that streamer, category not excluded (SZB-5),
    consumer not a risk user (SZB-15). An order outside any live session is never covered."""
    session = order.live_session
    if session is None or (order.streamer_id is not None and order.streamer_id != session.streamer_id):
        return False
    if order.consumer.risk:
        return False
    if category_excluded(order.product.category):
        return False
    return session_covered(session)


def set_order_coverage(order: Order) -> None:
    """shop.hooks.order_flags: fixed when the order is placed (kept on the order)."""
    order.shizaibao_covered = order_covered(order)


# ---- SZB-18 continued eligibility and SZB-2 automatic invitations ---------------------------------
@transaction.atomic
def szb_recheck(*, enrolment_id: int, now: datetime | None = None) -> str | None:
    """Re-check one enrolment: open + SZB-1 fails → suspended; suspended + passes → reinstated
    (when ``szb.auto_reinstate``). Returns the event kind written, or None."""
    now = now or timezone.now()
    enrolment = (
        ShizaibaoEnrolment.objects.select_for_update(of=("self",))
        .select_related("streamer")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or enrolment.invited_at is None:
        return None
    conditions = eligibility_conditions(enrolment.streamer, now=now)
    passed = all(c.passed for c in conditions)
    enrolment.last_checked_at, enrolment.last_check_passed = now, passed
    kind = None
    failed = ", ".join(c.name for c in conditions if not c.passed)
    if enrolment.status == EnrolmentStatus.OPEN and not passed:
        kind = ShizaibaoEvent.Kind.SUSPENDED
        note = _("SZB-1 no longer met: %(failed)s") % {"failed": failed}
        text = _("实在宝 is suspended for your future live sessions: %(failed)s no longer met.") % {"failed": failed}
    elif enrolment.status == EnrolmentStatus.SUSPENDED and passed and setting("szb.auto_reinstate"):
        kind = ShizaibaoEvent.Kind.REINSTATED
        note = _("SZB-1 met again")
        text = _("实在宝 is back in effect from your next live session.")
    if kind is None:
        enrolment.save(update_fields=["last_checked_at", "last_check_passed", "updated_at"])
        return None
    event = enrolment_transition(
        enrolment=enrolment, kind=kind, at=now, note=note, fields=("last_checked_at", "last_check_passed")
    )
    notify(
        users=_streamer_users(enrolment.streamer),
        kind=f"shizaibao_{kind}",
        text=text,
        link="/rights/shizaibao/",
        dedupe_key=f"szb-{kind}-{event.pk}",
    )
    return kind


def szb_recheck_all(*, now: datetime | None = None) -> dict[str, int]:
    """Daily SZB-18 job: every open or suspended enrolment, each in its own transaction."""
    counts = {"checked": 0, "suspended": 0, "reinstated": 0}
    ids = ShizaibaoEnrolment.objects.filter(status__in=[EnrolmentStatus.OPEN, EnrolmentStatus.SUSPENDED]).values_list(
        "pk", flat=True
    )
    for pk in ids.iterator(chunk_size=2000):
        kind = szb_recheck(enrolment_id=pk, now=now)
        counts["checked"] += 1
        if kind:
            counts[str(kind)] += 1
    return counts


def szb_invite_eligible_all() -> int:
    """Daily SZB-2 job: invite every eligible streamer not invited yet. The numeric conditions
    are filtered in SQL; the violation check runs only on those candidates."""
    if not setting("szb.auto_invite"):
        return 0
    candidates = (
        Streamer.objects.filter(
            fans__gt=setting("szb.min_fans_exclusive"),
            experience_score__gt=setting("szb.min_experience_score_exclusive"),
            level__gte=setting("szb.min_level"),
        )
        .exclude(shizaibao_enrolment__invited_at__isnull=False)
        .order_by("pk")
    )
    invited = 0
    for streamer in candidates.iterator(chunk_size=2000):
        if is_eligible(streamer):
            szb_invite(streamer=streamer, source=InviteSource.AUTO)
            invited += 1
    return invited


# ---- selectors ------------------------------------------------------------------------------------------
def enrolment_state(streamer: Streamer) -> dict[str, Any]:
    """The API.md `GET /streamer/shizaibao` document (plus extra fields)."""
    enrolment = ShizaibaoEnrolment.objects.filter(streamer=streamer).first()
    conditions = eligibility_conditions(streamer)
    agreement = current_agreement()
    status = enrolment.status if enrolment else EnrolmentStatus.NOT_OPEN
    pending = ShizaibaoRequest.objects.filter(streamer=streamer, status=RequestStatus.PENDING).first()
    return {
        "streamer": streamer.code,
        "eligible": all(c.passed for c in conditions),
        "conditions": [
            {"name": c.name, "value": c.value, "required": c.required, "comparison": c.comparison, "passed": c.passed}
            for c in conditions
        ],
        "invited": bool(enrolment and enrolment.invited_at),
        "invited_at": enrolment.invited_at if enrolment else None,
        "status": status,
        "opened_at": enrolment.opened_at if enrolment else None,
        "effective_from": enrolment.status_since if status == EnrolmentStatus.OPEN else None,
        "suspended_at": enrolment.status_since if status == EnrolmentStatus.SUSPENDED else None,
        "agreement_version": enrolment.agreement_version if enrolment and enrolment.agreement_version else None,
        "agreement": {"version": agreement.version, "title": agreement.title, "text": agreement.text}
        if agreement
        else None,
        "request": {"id": pending.pk, "status": pending.status, "created_at": pending.created_at} if pending else None,
        "_conditions": conditions,
        "_enrolment": enrolment,
    }


def next_session_after(streamer: Streamer, at: datetime) -> LiveSession | None:
    """The first session that started (or is scheduled to start) after ``at``."""
    return LiveSession.objects.filter(streamer=streamer, started_at__gt=at).order_by("started_at").first()
