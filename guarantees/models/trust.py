"""权益中心 and 信任购 tables (SPEC §3, TP-1…TP-7, GP-1, GP-3).

Tables only; the rules live in guarantees.rules / guarantees.trust / guarantees.services.
The derived 信任购 state itself is stored on shop's rows (Product.trust_label / trust_missing,
Shop.trust_badge_shown and ratios) so that every surface reads one column.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.constants import Region, ServiceCode

__all__ = ["ProductOptOut", "ReturnAddress", "ShopService", "TrustGuideShown", "TrustRecomputeRun"]


class ShopService(models.Model):
    """A shop's toggle of one catalogue service (SPEC §3): applies to all its products."""

    shop = models.ForeignKey("shop.Shop", on_delete=models.CASCADE, related_name="services")
    code = models.CharField(_("service"), max_length=40, choices=ServiceCode.choices)
    enabled = models.BooleanField(_("enabled"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["shop_id", "code"]
        verbose_name = _("shop service")
        verbose_name_plural = _("shop services")
        constraints = [models.UniqueConstraint(fields=["shop", "code"], name="shop_service_unique")]

    def __str__(self) -> str:
        return f"{self.shop_id}:{self.code}={'on' if self.enabled else 'off'}"


class ProductOptOut(models.Model):
    """A product opted out of one of its shop's services (SPEC §3, BX-7)."""

    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="opt_outs")
    code = models.CharField(_("service"), max_length=40, choices=ServiceCode.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("opted out at"), default=timezone.now)

    class Meta:
        ordering = ["product_id", "code"]
        verbose_name = _("product opt-out")
        verbose_name_plural = _("product opt-outs")
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="product_opt_out_unique")]

    def __str__(self) -> str:
        return f"{self.product_id}:-{self.code}"


class ReturnAddress(models.Model):
    """GP-3: the shop's return address in one destination region."""

    shop = models.ForeignKey("shop.Shop", on_delete=models.CASCADE, related_name="return_addresses")
    region = models.CharField(_("region"), max_length=2, choices=Region.choices)
    name = models.CharField(_("recipient"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40)
    address = models.CharField(_("address"), max_length=500)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["shop_id", "region"]
        verbose_name = _("return address")
        verbose_name_plural = _("return addresses")
        constraints = [models.UniqueConstraint(fields=["shop", "region"], name="return_address_unique")]

    def __str__(self) -> str:
        return f"{self.shop_id}:{self.region}"


class TrustGuideShown(models.Model):
    """TP-5: the streamer has seen the one-time 「直播间上线信任购专场服务」 guide prompt."""

    streamer = models.OneToOneField("shop.Streamer", on_delete=models.CASCADE, related_name="trust_guide")
    shown_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("trust live room guide shown")
        verbose_name_plural = _("trust live room guides shown")

    def __str__(self) -> str:
        return f"{self.streamer_id} @ {self.shown_at:%Y-%m-%d}"


class TrustRecomputeRun(models.Model):
    """One run of a beat recompute (TP-3 nightly check, TP-6 shop badges), for reviewers."""

    class Kind(models.TextChoices):
        PRODUCT_LABELS = "product_labels", _("Product labels, full check (TP-3)")
        SHOP_BADGES = "shop_badges", _("Shop badges (TP-6)")

    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    changed = models.PositiveIntegerField(_("rows corrected"), default=0)
    sample_ids = models.JSONField(_("sample of corrected ids"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("trust recompute run")
        verbose_name_plural = _("trust recompute runs")

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M}"
