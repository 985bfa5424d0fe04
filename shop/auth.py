"""API authentication: DRF's token scheme, resolving the user and the party it acts for
(profile → consumer / streamer, shop membership) in the one query that checks the token, with
the statement built once (``shop.fastdb``): every API call pays for authentication, so it
costs one round trip and no query compilation (issue 4 benchmark)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from .fastdb import Select

TOKEN = Select(
    Token,
    related=("user__profile__consumer", "user__profile__streamer", "user__shop_member"),
)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        rows = TOKEN.fetch(where='t0."key" = %s', params=[key])
        if not rows:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = rows[0][0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
