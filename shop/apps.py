from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_reviewer_permissions(sender, **kwargs) -> None:
    """Give each reviewer group the admin permissions of the apps it reviews (view on all facts)."""
    from django.contrib.auth.models import Group, Permission

    from .constants import REVIEWER_GROUPS

    view_all = Permission.objects.filter(codename__startswith="view_")
    for name, apps in REVIEWER_GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        perms = set(Permission.objects.filter(content_type__app_label__in=apps)) | set(view_all)
        if set(group.permissions.all()) != perms:
            group.permissions.set(perms)


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = _("Platform facts")

    def ready(self) -> None:
        post_migrate.connect(grant_reviewer_permissions, dispatch_uid="shop.reviewer_perms")
