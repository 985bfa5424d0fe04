"""Choices and tunable numbers of SPEC §9 (QL-1…QL-7), each with its rule id."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shop.rules import register


class FieldKind(models.TextChoices):
    """QL-1: the kinds of field a qualification type declares."""

    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    IMAGE = "image", _("Image")


class TypeScope(models.TextChoices):
    """Who holds a qualification of this type: a shop for its products (QL-1), or an
    enterprise (e.g. a 巨量星图 advertiser's 营业执照, XT-1)."""

    PRODUCT = "product", _("Product qualification")
    ENTERPRISE = "enterprise", _("Enterprise qualification")


class RevisionStatus(models.TextChoices):
    """QL-2 / QL-4: the life of one revision (one submission or edit)."""

    CHECKING = "checking", _("Automatic checks running")
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


class QualificationStatus(models.TextChoices):
    """API.md: a qualification's ``status`` is its newest revision's."""

    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


# Newest revision status -> the qualification status API.md shows.
STATUS_OF_REVISION = {
    RevisionStatus.CHECKING: QualificationStatus.PENDING,
    RevisionStatus.PENDING: QualificationStatus.PENDING,
    RevisionStatus.APPROVED: QualificationStatus.APPROVED,
    RevisionStatus.REJECTED: QualificationStatus.REJECTED,
    RevisionStatus.EXPIRED: QualificationStatus.EXPIRED,
    # A superseded revision is never the newest one; kept for completeness.
    RevisionStatus.SUPERSEDED: QualificationStatus.PENDING,
}

# The one transition table of a revision (CONVENTIONS: state lives in one table).
TRANSITIONS: dict[str, set[str]] = {
    RevisionStatus.CHECKING: {RevisionStatus.PENDING, RevisionStatus.REJECTED, RevisionStatus.SUPERSEDED},
    RevisionStatus.PENDING: {RevisionStatus.APPROVED, RevisionStatus.REJECTED, RevisionStatus.SUPERSEDED},
    RevisionStatus.APPROVED: {RevisionStatus.SUPERSEDED, RevisionStatus.EXPIRED},
    RevisionStatus.REJECTED: set(),
    RevisionStatus.SUPERSEDED: set(),
    RevisionStatus.EXPIRED: set(),
}


class RevisionSource(models.TextChoices):
    SUBMIT = "submit", _("New submission")
    EDIT = "edit", _("Edit")
    LEGACY = "legacy", _("Migrated from product attributes (QL-6)")


class LinkSource(models.TextChoices):
    API = "api", _("Product API")
    PUBLISH = "publish", _("Publish page")
    LEGACY = "legacy", _("Migrated (QL-6)")


# Sale-block reasons this app contributes (API.md blocked_reasons).
BLOCK_MISSING = "qualification_missing"
BLOCK_EXPIRED = "qualification_expired"

# Notification kinds (API.md Notifications).
NOTIFY_EXPIRING = "qualification_expiring"
NOTIFY_DECIDED = "qualification_decided"

# Field names a certificate number is recognised by, when a synced type does not say.
NUMBER_FIELD_NAMES = ("number", "certificate_number", "license_number", "cert_no", "编号", "证书编号")

MAX_IMAGES = 20

register(
    "qualifications.reminder_days",
    [30, 7, 1],
    rule="QL-5",
    description="Days before a qualification's validity end date on which merchants are reminded.",
)
register(
    "qualifications.max_images",
    MAX_IMAGES,
    rule="QL-2",
    description="Most images one qualification revision may carry (field images plus extra images).",
)
