from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteesConfig(AppConfig):
    name = "guarantees"
    verbose_name = _("Rights centre (权益中心)")

    def ready(self) -> None:
        # Each part registers its shop.hooks functions in its own ready_* function.
        from . import ready_szb, ready_trust

        ready_trust.register()
        ready_szb.register()
