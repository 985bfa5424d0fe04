"""主播实在宝 enrolment (SPEC §5: SZB-1, SZB-2, SZB-3, SZB-18).

An enrolment is one row per streamer; its status changes only through
``guarantees.shizaibao.enrolment_transition``, which writes a ``ShizaibaoEvent`` row. The
event rows are both the audit trail and the history coverage is decided from: an order is
covered when the enrolment was ``open`` just before its live session started (SZB-3/SZB-4),
so a suspension (SZB-18) or a reinstatement only affects sessions that start after it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import Streamer

__all__ = [
    "EnrolmentStatus",
    "InviteSource",
    "RequestStatus",
    "ShizaibaoAgreement",
    "ShizaibaoCandidate",
    "ShizaibaoEnrolment",
    "ShizaibaoEvent",
    "ShizaibaoRequest",
]


class EnrolmentStatus(models.TextChoices):
    NOT_OPEN = "not_open", _("Not open")
    OPEN = "open", _("Open")
    SUSPENDED = "suspended", _("Suspended")


class InviteSource(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    AUTO = "auto", _("Automatic (beat job)")
    IMPORT = "import", _("Imported from the platform")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    INVITED = "invited", _("Invited")
    DISMISSED = "dismissed", _("Dismissed")


class ShizaibaoAgreement(models.Model):
    """《实在宝服务开通协议》: the latest published version is the current one (SZB-3)."""

    version = models.CharField(_("version"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200, default="《实在宝服务开通协议》")
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("实在宝 agreement version")
        verbose_name_plural = _("实在宝 agreement versions")

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class ShizaibaoEnrolment(models.Model):
    streamer = models.OneToOneField(
        "shop.Streamer", on_delete=models.CASCADE, related_name="shizaibao_enrolment", verbose_name=_("streamer")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.NOT_OPEN, db_index=True
    )
    # SZB-2 invitation.
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    invite_source = models.CharField(_("invited by"), max_length=16, choices=InviteSource.choices, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # SZB-3 opening: agreement version, time and IP.
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    agreement_version = models.CharField(_("agreement version"), max_length=32, blank=True)
    opened_ip = models.GenericIPAddressField(_("opened from IP"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported = models.BooleanField(_("imported from upstream"), default=False)
    # When the current status began (open → sessions starting after it are covered).
    status_since = models.DateTimeField(_("status since"), null=True, blank=True)
    last_checked_at = models.DateTimeField(_("eligibility last checked"), null=True, blank=True)
    last_check_passed = models.BooleanField(_("last check passed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("实在宝 enrolment")
        verbose_name_plural = _("实在宝 enrolments")
        constraints = [
            models.CheckConstraint(
                name="szb_open_needs_opening",
                condition=Q(status=EnrolmentStatus.NOT_OPEN)
                | (Q(opened_at__isnull=False) & Q(invited_at__isnull=False) & ~Q(agreement_version="")),
            ),
            models.CheckConstraint(
                name="szb_opened_after_invited",
                condition=Q(opened_at__isnull=True) | Q(opened_at__gte=models.F("invited_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"实在宝 {self.streamer_id} ({self.status})"

    @property
    def invited(self) -> bool:
        return self.invited_at is not None


class ShizaibaoEvent(models.Model):
    """One row per enrolment change (who, when, from, to, why): audit trail and coverage history."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invited")
        OPENED = "opened", _("Opened")
        IMPORTED = "imported", _("Imported")
        SUSPENDED = "suspended", _("Suspended (SZB-18)")
        REINSTATED = "reinstated", _("Reinstated")

    enrolment = models.ForeignKey(ShizaibaoEnrolment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=EnrolmentStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=EnrolmentStatus.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("实在宝 enrolment event")
        verbose_name_plural = _("实在宝 enrolment events")
        indexes = [models.Index(fields=["enrolment", "at"])]


class ShizaibaoRequest(models.Model):
    """A not-invited or not-eligible streamer asks to open 实在宝 (SZB-2); reviewers see it."""

    streamer = models.ForeignKey(
        "shop.Streamer", on_delete=models.CASCADE, related_name="shizaibao_requests", verbose_name=_("streamer")
    )
    message = models.TextField(_("message"), blank=True)
    contact = models.CharField(_("contact"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("reviewer note"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("实在宝 opening request")
        verbose_name_plural = _("实在宝 opening requests")
        constraints = [
            models.UniqueConstraint(
                fields=["streamer"], condition=Q(status="pending"), name="szb_one_pending_request_per_streamer"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.streamer_id} ({self.status})"


class ShizaibaoCandidate(Streamer):
    """Streamers seen through the 实在宝 lens in admin (eligibility columns, invite action)."""

    class Meta:
        proxy = True
        verbose_name = _("实在宝 candidate streamer")
        verbose_name_plural = _("实在宝 candidate streamers")
