from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims and ledger (理赔)")

    def ready(self) -> None:
        from . import ready_abuse, ready_engine

        ready_engine.register()
        ready_abuse.register()
