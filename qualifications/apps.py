from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationsConfig(AppConfig):
    name = "qualifications"
    verbose_name = _("Product qualifications (商品资质)")

    def ready(self) -> None:
        """Register this app's parts in the explicit extension points of shop and guarantees."""
        from guarantees import sale_state
        from shop import sync, views

        from . import constants, services, tasks  # noqa: F401  (rule settings, Celery tasks)
        from .selectors import upload_visible_to_colleague
        from .sync import QualificationTypeIn, apply_qualification_type

        sync.EXTRA_VALIDATORS["qualification_types"] = QualificationTypeIn
        sync.EXTRA_SECTIONS["qualification_types"] = apply_qualification_type
        if services.sale_block_provider not in sale_state.sale_block_providers:
            sale_state.sale_block_providers.append(services.sale_block_provider)
        if services.product_link_handler not in sale_state.product_qualification_handlers:
            sale_state.product_qualification_handlers.append(services.product_link_handler)
        if upload_visible_to_colleague not in views.upload_access_checks:
            views.upload_access_checks.append(upload_visible_to_colleague)
