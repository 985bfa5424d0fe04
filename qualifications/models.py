"""Qualification catalogue, qualifications and their revisions, review events, product links
(SPEC §9, QL-1…QL-7). Tables and constraints only; rules live in services."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import Product, Shop, Upload

from .constants import FieldKind, LinkSource, QualificationStatus, RevisionSource, RevisionStatus, TypeScope


class QualificationClass(models.Model):
    """资质分类 (QL-1)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("qualification class")
        verbose_name_plural = _("qualification classes")

    def __str__(self) -> str:
        return self.name


class QualificationType(models.Model):
    """资质名称 (QL-1): what a qualification of this type must contain."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    klass = models.ForeignKey(
        QualificationClass, on_delete=models.PROTECT, related_name="types", verbose_name=_("class")
    )
    scope = models.CharField(_("scope"), max_length=16, choices=TypeScope.choices, default=TypeScope.PRODUCT)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["klass__position", "code"]
        verbose_name = _("qualification type")
        verbose_name_plural = _("qualification types")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class QualificationField(models.Model):
    """One declared field of a type: text, number, date or image (QL-1)."""

    type = models.ForeignKey(QualificationType, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(_("name"), max_length=64, help_text=_("Key used in the API (fields: {name: value})."))
    label = models.CharField(_("label"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=FieldKind.choices)
    required = models.BooleanField(_("required"), default=True)
    validity_end = models.BooleanField(_("is the validity end date"), default=False)
    is_number = models.BooleanField(
        _("is the certificate number"), default=False, help_text=_("Used to find duplicates (QL-6) and in search.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["type_id", "position", "id"]
        verbose_name = _("qualification field")
        verbose_name_plural = _("qualification fields")
        constraints = [
            models.UniqueConstraint(fields=["type", "name"], name="qualification_field_unique_name"),
            models.UniqueConstraint(
                fields=["type"], condition=Q(validity_end=True), name="qualification_field_one_validity_end"
            ),
            models.UniqueConstraint(
                fields=["type"], condition=Q(is_number=True), name="qualification_field_one_number"
            ),
            models.CheckConstraint(
                name="qualification_field_validity_end_is_date", condition=Q(validity_end=False) | Q(kind="date")
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.name

    @property
    def display(self) -> str:
        return self.label or self.name


class Qualification(models.Model):
    """A qualification held by a shop (or, for enterprise types, any owner object).

    The review state lives in revisions; the columns here are a denormalised summary that the
    one transition function (services.revision_transition) keeps in step.
    """

    shop = models.ForeignKey(Shop, null=True, blank=True, on_delete=models.CASCADE, related_name="qualifications")
    # Pluggable owner for non-shop holders (e.g. a campaigns advertiser account, XT-1).
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    type = models.ForeignKey(QualificationType, on_delete=models.PROTECT, related_name="qualifications")
    status = models.CharField(
        _("status"), max_length=16, choices=QualificationStatus.choices, default=QualificationStatus.PENDING
    )
    certificate_number = models.CharField(_("certificate number"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    latest_revision = models.ForeignKey(
        "QualificationRevision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_revision = models.ForeignKey(
        "QualificationRevision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The last approved revision: what linked products rely on (QL-4)."),
    )
    in_force = models.BooleanField(_("in force"), default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        indexes = [
            models.Index(fields=["shop", "type", "certificate_number"], name="qual_shop_type_number"),
            models.Index(fields=["shop", "status"], name="qual_shop_status"),
            models.Index(fields=["valid_until"], name="qual_valid_until"),
        ]
        constraints = [
            models.CheckConstraint(
                name="qualification_has_owner",
                condition=Q(shop__isnull=False) | (Q(owner_type__isnull=False) & Q(owner_id__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.type.name} {self.certificate_number}".strip()

    def is_in_force(self, today: dt.date | None = None) -> bool:
        """True while an approved, unexpired revision exists (API.md ``in_force``)."""
        rev = self.approved_revision
        if rev is None or rev.status != RevisionStatus.APPROVED:
            return False
        today = today or timezone.localdate()
        return rev.valid_until is None or rev.valid_until >= today


class QualificationRevision(models.Model):
    """One submission or edit of a qualification; reviewed on its own (QL-2, QL-4)."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    status = models.CharField(
        _("status"), max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.CHECKING, db_index=True
    )
    source = models.CharField(max_length=8, choices=RevisionSource.choices, default=RevisionSource.SUBMIT)
    fields = models.JSONField(_("field values"), default=dict, blank=True)
    images = models.JSONField(_("extra images (upload ids)"), default=list, blank=True)
    uploads = models.ManyToManyField(Upload, blank=True, related_name="qualification_revisions")
    certificate_number = models.CharField(_("certificate number"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    check_errors = models.JSONField(_("automatic check findings"), default=dict, blank=True)
    reason = models.TextField(_("rejection reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["qualification_id", "-number"]
        verbose_name = _("qualification revision")
        verbose_name_plural = _("qualification revisions")
        constraints = [
            models.UniqueConstraint(fields=["qualification", "number"], name="qualification_revision_number"),
            models.UniqueConstraint(
                fields=["qualification"],
                condition=Q(status__in=["checking", "pending"]),
                name="qualification_one_open_revision",
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"], name="qual_rev_status_until")]

    def __str__(self) -> str:
        return f"#{self.qualification_id} r{self.number} ({self.status})"


class QualificationEvent(models.Model):
    """Every status change of a revision: the audit trail and the history the merchant sees."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(QualificationRevision, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("qualification event")
        verbose_name_plural = _("qualification events")


class ProductQualification(models.Model):
    """A product relies on a qualification (QL-3)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="qualification_links")
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="product_links")
    source = models.CharField(max_length=8, choices=LinkSource.choices, default=LinkSource.API)
    linked_at = models.DateTimeField(default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["product_id", "qualification_id"]
        verbose_name = _("product qualification link")
        verbose_name_plural = _("product qualification links")
        constraints = [
            models.UniqueConstraint(fields=["product", "qualification"], name="product_qualification_unique")
        ]
