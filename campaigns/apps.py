from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Xingtu campaigns (巨量星图)")

    def ready(self) -> None:
        from shop import views

        from . import rules  # noqa: F401  (registers the XT rule settings)
        from .selectors import upload_visible_to_counterpart

        if upload_visible_to_counterpart not in views.upload_access_checks:
            views.upload_access_checks.append(upload_visible_to_counterpart)
