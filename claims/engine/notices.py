"""Who hears about a claim (API.md notification kinds claim_filed, claim_decided,
appeal_decided, deadline_near). Each audience is a condition on users, so several audiences
can be combined into one query (``users_where``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from shop.notify import notify

from ..models import Claim

NOBODY = Q(pk__in=[])


def users_where(*audiences: Q) -> QuerySet:
    """Active users in any of the audiences (each audience joins only one-to-one relations or
    tests membership with EXISTS, so every user comes once)."""
    where = NOBODY
    for audience in audiences:
        where |= audience
    return get_user_model().objects.filter(where, is_active=True)


def consumer_q(claim: Claim) -> Q:
    return Q(profile__consumer_id=claim.consumer_id)


def streamer_q(streamer_id: int | None) -> Q:
    return NOBODY if streamer_id is None else Q(profile__streamer_id=streamer_id)


def shop_q(shop_id: int) -> Q:
    return Q(shop_member__shop_id=shop_id)


def reviewer_q() -> Q:
    in_group = Exists(
        get_user_model().groups.through.objects.filter(user_id=OuterRef("pk"), group__name="claim_reviewers")
    )
    return Q(is_staff=True) & (Q(in_group) | Q(profile__role="reviewer") | Q(is_superuser=True))


def party_q(payer: str, party_id: int | None) -> Q:
    """The users of the party that pays: the streamer (``payer`` "streamer") or the shop."""
    return streamer_q(party_id) if payer == "streamer" else shop_q(party_id)


def payer_party_id(claim: Claim) -> int | None:
    return claim.streamer_id if claim.payer == "streamer" else claim.shop_id


def payer_q(claim: Claim) -> Q:
    return party_q(claim.payer, payer_party_id(claim))


def consumer_users(claim: Claim) -> QuerySet:
    return users_where(consumer_q(claim))


def streamer_users(streamer_id: int | None) -> QuerySet:
    return users_where(streamer_q(streamer_id))


def shop_users(shop_id: int) -> QuerySet:
    return users_where(shop_q(shop_id))


def reviewers() -> QuerySet:
    return users_where(reviewer_q())


def payer_users(claim: Claim) -> QuerySet:
    return users_where(payer_q(claim))


def link(claim: Claim) -> str:
    return f"/claims/{claim.pk}/"


def tell(users: Any, *, claim: Claim, kind: str, text: str, dedupe: str | None = None) -> int:
    return notify(users=users, kind=kind, text=text, link=link(claim), dedupe_key=dedupe)
