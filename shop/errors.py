"""One exception type per domain error, each carrying its API.md code and HTTP status.

Services raise these; the DRF exception handler (shop.api_common) renders them as
``{"code", "detail", ...extra}``, and forms show the same message.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "error"
    status = 400
    default_message = _("The request cannot be carried out.")

    def __init__(self, message: Any = None, *, status: int | None = None, **extra: Any) -> None:
        self.message = message if message is not None else self.default_message
        if status is not None:
            self.status = status
        self.extra = extra
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "detail": str(self.message), **self.extra}


def domain_error(code: str, status: int, message: Any) -> type[DomainError]:
    """Declare a DomainError subclass in one line."""
    return type(
        "".join(part.title() for part in code.split("_")) + "Error",
        (DomainError,),
        {"code": code, "status": status, "default_message": message},
    )


NotFound = domain_error("not_found", 404, _("Not found."))
InvalidState = domain_error("invalid_state", 409, _("This action is not possible in the current state."))
ValidationFailed = domain_error("invalid", 400, _("The data is not valid."))
InvalidEvent = domain_error("invalid_event", 400, _("This event does not follow the order's life."))
InvalidImage = domain_error("invalid_image", 400, _("The file is not a valid JPEG, PNG or WebP image."))
InvalidUpload = domain_error("invalid_upload", 400, _("Unknown upload."))
IdempotencyConflict = domain_error(
    "idempotency_conflict", 409, _("This idempotency key was already used with a different request.")
)
BuyerBlocked = domain_error("buyer_blocked", 400, _("This buyer is blocked from ordering at this shop (RF-4)."))
