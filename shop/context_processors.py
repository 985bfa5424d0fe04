from typing import Any

from django.http import HttpRequest

from .api_common import role_of
from .selectors import shop_for, streamer_for


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"role": None}
    role = role_of(user)
    return {
        "role": role,
        "current_shop": shop_for(user) if role == "merchant" else None,
        "current_streamer": streamer_for(user) if role == "streamer" else None,
        "unread_notifications": user.notifications.filter(read=False).count(),
    }
