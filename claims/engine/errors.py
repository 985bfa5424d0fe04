"""The claim engine's domain errors, each with its API.md code and status."""

from django.utils.translation import gettext_lazy as _

from shop.errors import DomainError, InvalidState, InvalidUpload, NotFound, ValidationFailed, domain_error

__all__ = [
    "AppealExists",
    "AppealWindowClosed",
    "ClaimExists",
    "DomainError",
    "EvidenceRequired",
    "InvalidState",
    "InvalidUpload",
    "NotCovered",
    "NotEligible",
    "NotFound",
    "ReturnAddressMissing",
    "TooManyImages",
    "TypeNotCovered",
    "ValidationFailed",
    "WindowClosed",
]

NotEligible = domain_error("not_eligible", 403, _("You cannot file this claim."))
ClaimExists = domain_error("claim_exists", 409, _("A claim already exists for this order (one claim per order)."))
NotCovered = domain_error("not_covered", 400, _("This order is not covered by this guarantee."))
WindowClosed = domain_error("window_closed", 400, _("The time to file this claim has passed."))
TypeNotCovered = domain_error("type_not_covered", 400, _("This claim type is not compensated."))
EvidenceRequired = domain_error("evidence_required", 400, _("Evidence is required."))
TooManyImages = domain_error("too_many_images", 400, _("Too many images."))
ReturnAddressMissing = domain_error(
    "return_address_missing", 409, _("The shop has no return address for this order's region.")
)
AppealWindowClosed = domain_error("appeal_window_closed", 400, _("The appeal window has closed."))
AppealExists = domain_error("appeal_exists", 409, _("This claim has already been appealed."))
