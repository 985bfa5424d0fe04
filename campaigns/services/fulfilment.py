"""XT-3 fulfilment of one creator order: ONE transition table and ONE function that changes
``CreatorOrder.status`` (writing an event row, setting the BX-3 deadline, notifying the party
who acts next). Every service below locks the order, checks who is acting, then calls it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.api_common import role_of
from shop.constants import Role
from shop.errors import InvalidState, NotFound, ValidationFailed
from shop.notify import notify
from shop.rules import setting
from shop.selectors import shop_for, streamer_for
from shop.uploads import uploads_owned

from ..constants import ACTING_PARTY, OPEN_STATUSES, DeliverableKind, OrderStatus, Party, PublishMode, Verdict
from ..models import CreatorOrder, CreatorOrderEvent, Deliverable
from ..rules import AlreadyRated, TooManyRejections, VideoUnderReview, deadline_hours

St = OrderStatus
# action -> (statuses it may start from, status it leads to, party that takes it)
TRANSITIONS: dict[str, tuple[frozenset[str], str, str]] = {
    "accept": (frozenset({St.PENDING_ACCEPTANCE}), St.AWAITING_SCRIPT, Party.CREATOR),
    "decline": (frozenset({St.PENDING_ACCEPTANCE}), St.DECLINED, Party.CREATOR),
    "cancel": (frozenset({St.PENDING_ACCEPTANCE, St.AWAITING_SCRIPT}), St.CANCELLED, Party.ADVERTISER),
    "upload_script": (frozenset({St.AWAITING_SCRIPT}), St.SCRIPT_REVIEW, Party.CREATOR),
    "confirm_script": (frozenset({St.SCRIPT_REVIEW}), St.AWAITING_VIDEO, Party.ADVERTISER),
    "reject_script": (frozenset({St.SCRIPT_REVIEW}), St.AWAITING_SCRIPT, Party.ADVERTISER),
    "upload_video": (frozenset({St.AWAITING_VIDEO}), St.VIDEO_PLATFORM_REVIEW, Party.CREATOR),
    "platform_approve": (frozenset({St.VIDEO_PLATFORM_REVIEW}), St.VIDEO_CLIENT_REVIEW, Party.PLATFORM),
    "platform_reject": (frozenset({St.VIDEO_PLATFORM_REVIEW}), St.AWAITING_VIDEO, Party.PLATFORM),
    "confirm_video": (frozenset({St.VIDEO_CLIENT_REVIEW}), St.AWAITING_PUBLISH, Party.ADVERTISER),
    "reject_video": (frozenset({St.VIDEO_CLIENT_REVIEW}), St.AWAITING_VIDEO, Party.ADVERTISER),
    "publish_now": (frozenset({St.AWAITING_PUBLISH, St.PUBLISH_SCHEDULED}), St.PUBLISHED, Party.ADVERTISER),
    "schedule_publish": (
        frozenset({St.AWAITING_PUBLISH, St.PUBLISH_SCHEDULED}),
        St.PUBLISH_SCHEDULED,
        Party.ADVERTISER,
    ),
    "publish_due": (frozenset({St.PUBLISH_SCHEDULED}), St.PUBLISHED, Party.SYSTEM),
    "accept_video": (frozenset({St.PUBLISHED}), St.COMPLETED, Party.ADVERTISER),
    "rate": (frozenset({St.COMPLETED}), St.COMPLETED, Party.ADVERTISER),
}


def actions_for(order: CreatorOrder, party: str) -> list[str]:
    """The actions ``party`` may take on ``order`` now (pages show exactly these buttons)."""
    found = [a for a, (src, _to, p) in TRANSITIONS.items() if p == party and order.status in src]
    if "rate" in found and order.rating is not None:
        found.remove("rate")
    return found


def _users_of(order: CreatorOrder, party: str | None) -> Any:
    User = get_user_model()
    if party == Party.ADVERTISER:
        return User.objects.filter(shop_member__shop_id=order.task.advertiser.shop_id, is_active=True)
    if party == Party.CREATOR:
        return User.objects.filter(profile__streamer_id=order.streamer_id, is_active=True)
    if party == Party.PLATFORM:
        return User.objects.filter(profile__role=Role.REVIEWER, is_active=True)
    return User.objects.none()


def transition(
    *, order: CreatorOrder, action: str, actor: Any, note: str = "", fields: tuple[str, ...] = ()
) -> CreatorOrder:
    """The one function that changes a creator order's status. ``order`` must be locked."""
    sources, target, _party = TRANSITIONS[action]
    if order.status not in sources:
        raise InvalidState(
            _("This order is '%(status)s': '%(action)s' is not possible now.")
            % {"status": order.get_status_display(), "action": action},
            status_now=order.status,
        )
    now = timezone.now()
    before = order.status
    order.status = target
    order.step += 1
    if before != target or action == "schedule_publish":
        hours = deadline_hours(target)
        order.due_at = now + timedelta(hours=hours) if hours else None
    order.save(update_fields=["status", "step", "due_at", "updated_at", *fields])
    CreatorOrderEvent.objects.create(
        order=order,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=before,
        to_status=target,
        note=note,
        at=now,
    )
    if before != target:
        nxt = ACTING_PARTY.get(St(target))
        notify_party = nxt if nxt and nxt != _party else None
        # Outcomes with nobody left to act still tell the other side.
        if notify_party is None:
            notify_party = Party.CREATOR if _party in (Party.ADVERTISER, Party.SYSTEM) else Party.ADVERTISER
        notify(
            users=_users_of(order, notify_party),
            kind="xingtu_order",
            text=_("巨量星图 task “%(title)s” (%(creator)s): %(status)s")
            % {"title": order.task.title, "creator": order.streamer.name, "status": order.get_status_display()},
            link=f"/xingtu/orders/{order.pk}/",
            dedupe_key=f"xt-order:{order.pk}:{order.step}",
        )
    return order


def _locked(order_id: int, *, actor: Any, party: str) -> CreatorOrder:
    """Lock the order and check ``actor`` acts for ``party`` on it; anyone else gets 404."""
    qs = CreatorOrder.objects.select_for_update(of=("self",)).select_related("task__advertiser", "streamer")
    if party == Party.ADVERTISER:
        shop = shop_for(actor) if role_of(actor) == Role.MERCHANT else None
        qs = qs.filter(task__advertiser__shop=shop) if shop else qs.none()
    elif party == Party.CREATOR:
        streamer = streamer_for(actor) if role_of(actor) == Role.STREAMER else None
        qs = qs.filter(streamer=streamer) if streamer else qs.none()
    elif party == Party.PLATFORM and role_of(actor) != Role.REVIEWER:
        qs = qs.none()
    order = qs.filter(pk=order_id).first()
    if order is None:
        raise NotFound()
    return order


def _current(order: CreatorOrder, kind: str) -> Deliverable | None:
    return order.deliverables.filter(kind=kind).order_by("-round").first()


def _decide(deliverable: Deliverable | None, *, verdict: str, actor: Any, comments: str = "") -> None:
    if deliverable is None:
        return
    deliverable.verdict = verdict
    deliverable.comments = comments
    deliverable.decided_at = timezone.now()
    deliverable.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    deliverable.save(update_fields=["verdict", "comments", "decided_at", "decided_by"])


def _required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(errors={field: [_("This field is required.")]})
    return value


def _cover(actor: Any, cover: int | None) -> Any:
    return uploads_owned(owner=actor, ids=[cover])[0] if cover is not None else None


# --- creator ----------------------------------------------------------------------------------


@transaction.atomic
def order_accept(*, order_id: int, actor: Any) -> CreatorOrder:
    order = _locked(order_id, actor=actor, party=Party.CREATOR)
    return transition(order=order, action="accept", actor=actor)


@transaction.atomic
def order_decline(*, order_id: int, actor: Any, reason: str = "") -> CreatorOrder:
    order = _locked(order_id, actor=actor, party=Party.CREATOR)
    return transition(order=order, action="decline", actor=actor, note=reason.strip())


@transaction.atomic
def script_upload(*, order_id: int, actor: Any, text: str, link: str = "", cover: int | None = None) -> CreatorOrder:
    """The creator uploads a script (text, optional link and cover image)."""
    text = _required_text(text, "text")
    order = _locked(order_id, actor=actor, party=Party.CREATOR)
    if order.status != St.AWAITING_SCRIPT:
        transition(order=order, action="upload_script", actor=actor)  # raises invalid_state
    upload = _cover(actor, cover)
    rnd = order.deliverables.filter(kind=DeliverableKind.SCRIPT).count() + 1
    Deliverable.objects.create(order=order, kind=DeliverableKind.SCRIPT, round=rnd, text=text, link=link, cover=upload)
    return transition(order=order, action="upload_script", actor=actor, note=_("script version %(n)s") % {"n": rnd})


@transaction.atomic
def video_upload(*, order_id: int, actor: Any, link: str, text: str = "", cover: int | None = None) -> CreatorOrder:
    """The creator uploads the video as a link (plus caption and cover); platform review follows."""
    link = _required_text(link, "link")
    order = _locked(order_id, actor=actor, party=Party.CREATOR)
    if order.status != St.AWAITING_VIDEO:
        transition(order=order, action="upload_video", actor=actor)
    upload = _cover(actor, cover)
    rnd = order.deliverables.filter(kind=DeliverableKind.VIDEO).count() + 1
    Deliverable.objects.create(order=order, kind=DeliverableKind.VIDEO, round=rnd, text=text, link=link, cover=upload)
    return transition(order=order, action="upload_video", actor=actor, note=_("video version %(n)s") % {"n": rnd})


# --- advertiser (client) ------------------------------------------------------------------------


@transaction.atomic
def order_cancel(*, order_id: int, actor: Any, reason: str = "") -> CreatorOrder:
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    return transition(order=order, action="cancel", actor=actor, note=reason.strip())


@transaction.atomic
def script_confirm(*, order_id: int, actor: Any) -> CreatorOrder:
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    transition(order=order, action="confirm_script", actor=actor)
    _decide(_current(order, DeliverableKind.SCRIPT), verdict=Verdict.CONFIRMED, actor=actor)
    return order


@transaction.atomic
def script_reject(*, order_id: int, actor: Any, comments: str) -> CreatorOrder:
    """Reject with comments; at most ``xingtu.max_script_rejections`` (3) per order (XT-3)."""
    comments = _required_text(comments, "comments")
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    if order.status != St.SCRIPT_REVIEW:
        transition(order=order, action="reject_script", actor=actor)
    limit = setting("xingtu.max_script_rejections")
    if order.script_rejections >= limit:
        raise TooManyRejections(
            _("The script was already rejected %(n)s times: confirm it instead.") % {"n": limit}, limit=limit
        )
    order.script_rejections += 1
    transition(order=order, action="reject_script", actor=actor, note=comments, fields=("script_rejections",))
    _decide(_current(order, DeliverableKind.SCRIPT), verdict=Verdict.REJECTED, actor=actor, comments=comments)
    return order


def _video_client_check(order: CreatorOrder, action: str, actor: Any) -> None:
    if order.status == St.VIDEO_PLATFORM_REVIEW:
        raise VideoUnderReview()
    if order.status != St.VIDEO_CLIENT_REVIEW:
        transition(order=order, action=action, actor=actor)


@transaction.atomic
def video_confirm(*, order_id: int, actor: Any) -> CreatorOrder:
    """Only after the platform approved the video (seed: 视频审核中时客户不能点击确认视频)."""
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    _video_client_check(order, "confirm_video", actor)
    transition(order=order, action="confirm_video", actor=actor)
    _decide(_current(order, DeliverableKind.VIDEO), verdict=Verdict.CONFIRMED, actor=actor)
    return order


@transaction.atomic
def video_reject(*, order_id: int, actor: Any, comments: str) -> CreatorOrder:
    """Reject with comments; at most ``xingtu.max_video_rejections`` (2) per order (XT-3)."""
    comments = _required_text(comments, "comments")
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    _video_client_check(order, "reject_video", actor)
    limit = setting("xingtu.max_video_rejections")
    if order.video_rejections >= limit:
        raise TooManyRejections(
            _("The video was already rejected %(n)s times: confirm it instead.") % {"n": limit}, limit=limit
        )
    order.video_rejections += 1
    transition(order=order, action="reject_video", actor=actor, note=comments, fields=("video_rejections",))
    _decide(_current(order, DeliverableKind.VIDEO), verdict=Verdict.REJECTED, actor=actor, comments=comments)
    return order


def _publish(
    order: CreatorOrder, *, action: str, actor: Any, note: str = "", fields: tuple[str, ...] = ()
) -> CreatorOrder:
    video = order.deliverables.filter(kind=DeliverableKind.VIDEO, verdict=Verdict.CONFIRMED).order_by("-round").first()
    order.published_at = timezone.now()
    order.video_url = video.link if video else ""
    return transition(order=order, action=action, actor=actor, note=note, fields=("published_at", "video_url", *fields))


@transaction.atomic
def video_publish(*, order_id: int, actor: Any, mode: str, at: datetime | None = None) -> CreatorOrder:
    """立即发布 now, or 定时发布 at a future time (the beat job publishes it once)."""
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    if mode == PublishMode.NOW:
        order.publish_mode = PublishMode.NOW
        return _publish(order, action="publish_now", actor=actor, fields=("publish_mode",))
    if mode != PublishMode.SCHEDULED:
        raise ValidationFailed(errors={"mode": [_("Choose now or scheduled.")]})
    if order.status not in TRANSITIONS["schedule_publish"][0]:
        transition(order=order, action="schedule_publish", actor=actor)
    now = timezone.now()
    if at is None or timezone.is_naive(at):
        raise ValidationFailed(errors={"at": [_("Give the publishing time with its time zone.")]})
    if at <= now or at > now + timedelta(days=setting("xingtu.max_schedule_days")):
        raise ValidationFailed(
            errors={"at": [_("Pick a time in the next %(d)s days.") % {"d": setting("xingtu.max_schedule_days")}]}
        )
    order.publish_mode = PublishMode.SCHEDULED
    order.publish_at = at
    return transition(
        order=order,
        action="schedule_publish",
        actor=actor,
        note=timezone.localtime(at).isoformat(),
        fields=("publish_mode", "publish_at"),
    )


@transaction.atomic
def video_accept(*, order_id: int, actor: Any) -> CreatorOrder:
    """确认验收: the client checked the published video; the task is complete for this creator."""
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    order.completed_at = timezone.now()
    return transition(order=order, action="accept_video", actor=actor, fields=("completed_at",))


@transaction.atomic
def order_rate(*, order_id: int, actor: Any, score: int, comment: str = "") -> CreatorOrder:
    order = _locked(order_id, actor=actor, party=Party.ADVERTISER)
    if order.status != St.COMPLETED:
        transition(order=order, action="rate", actor=actor)
    if order.rating is not None:
        raise AlreadyRated()
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValidationFailed(errors={"score": [_("Give 1 to 5 stars.")]})
    order.rating = score
    order.rating_comment = (comment or "").strip()[:500]
    order.rated_at = timezone.now()
    return transition(
        order=order, action="rate", actor=actor, note=f"{score}/5", fields=("rating", "rating_comment", "rated_at")
    )


# --- platform ------------------------------------------------------------------------------------


@transaction.atomic
def video_platform_decide(*, order_id: int, actor: Any, approved: bool, reason: str = "") -> CreatorOrder:
    """Platform content review of a video (reviewers, Django admin or API). A platform
    rejection sends the creator back to work and does not use up the client's rejections."""
    order = _locked(order_id, actor=actor, party=Party.PLATFORM)
    video = _current(order, DeliverableKind.VIDEO)
    if approved:
        transition(order=order, action="platform_approve", actor=actor, note=reason.strip())
        _decide(video, verdict=Verdict.PLATFORM_APPROVED, actor=actor, comments=reason.strip())
        return order
    reason = _required_text(reason, "reason")
    transition(order=order, action="platform_reject", actor=actor, note=reason)
    _decide(video, verdict=Verdict.PLATFORM_REJECTED, actor=actor, comments=reason)
    return order


# --- system (beat) -----------------------------------------------------------------------------


def publish_due_orders(*, now: datetime | None = None, limit: int = 500) -> int:
    """Publish scheduled videos whose time has come, each exactly once: the row is locked and
    re-checked (status and time) inside its own transaction, so overlapping runs skip it."""
    now = now or timezone.now()
    ids = list(
        CreatorOrder.objects.filter(status=St.PUBLISH_SCHEDULED, publish_at__lte=now)
        .order_by("publish_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    done = 0
    for pk in ids:
        with transaction.atomic():
            order = (
                CreatorOrder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("task__advertiser", "streamer")
                .filter(pk=pk, status=St.PUBLISH_SCHEDULED, publish_at__lte=now)
                .first()
            )
            if order is None:
                continue
            _publish(order, action="publish_due", actor=None, note=_("scheduled publishing"))
            done += 1
    return done


def deadline_reminders(*, now: datetime | None = None) -> int:
    """BX-3: remind the acting party once per step before its deadline passes."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=setting("xingtu.remind_before_hours"))
    sent = 0
    qs = CreatorOrder.objects.filter(status__in=OPEN_STATUSES, due_at__gt=now, due_at__lte=horizon).select_related(
        "task__advertiser", "streamer"
    )
    for order in qs.iterator(chunk_size=500):
        party = ACTING_PARTY.get(St(order.status))
        if party is None:
            continue
        sent += notify(
            users=_users_of(order, party),
            kind="deadline_near",
            text=_("巨量星图 task “%(title)s” (%(creator)s): “%(status)s” is due %(due)s.")
            % {
                "title": order.task.title,
                "creator": order.streamer.name,
                "status": order.get_status_display(),
                "due": timezone.localtime(order.due_at).strftime("%Y-%m-%d %H:%M"),
            },
            link=f"/xingtu/orders/{order.pk}/",
            dedupe_key=f"xt-due:{order.pk}:{order.step}",
        )
    return sent
