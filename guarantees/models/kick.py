"""Kick-out governance log (SPEC §8, KG-1…KG-3): every kick attempt, allowed or refused."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["KickAttempt", "KickRule"]


class KickRule(models.TextChoices):
    NOT_RESTRICTED = "none", _("Industry not restricted (KG-1)")
    KG2 = "KG-2", _("KG-2: score below threshold, selling room")
    KG3 = "KG-3", _("KG-3: recent buyer")


class KickAttempt(models.Model):
    session = models.ForeignKey(
        "shop.LiveSession", on_delete=models.CASCADE, related_name="kick_attempts", verbose_name=_("live session")
    )
    streamer = models.ForeignKey(
        "shop.Streamer", on_delete=models.CASCADE, related_name="kick_attempts", verbose_name=_("streamer")
    )
    consumer = models.ForeignKey(
        "shop.Consumer", on_delete=models.CASCADE, related_name="kick_attempts", verbose_name=_("consumer")
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    allowed = models.BooleanField(_("allowed"))
    rule = models.CharField(_("rule applied"), max_length=8, choices=KickRule.choices)
    code = models.CharField(_("refusal code"), max_length=40, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The facts the decision was made on.
    industry = models.CharField(_("main industry"), max_length=64, blank=True)
    restricted_industry = models.BooleanField(_("restricted industry (KG-1)"), default=False)
    score = models.DecimalField(_("experience score"), max_digits=3, decimal_places=2)
    cart_size = models.PositiveIntegerField(_("products in cart"), default=0)
    last_order_at = models.DateTimeField(_("consumer's last order in this streamer's sessions"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("kick attempt")
        verbose_name_plural = _("kick attempts")
        indexes = [models.Index(fields=["streamer", "at"])]

    def __str__(self) -> str:
        return f"kick {self.consumer_id} from {self.session_id}: {'allowed' if self.allowed else self.code}"
