"""factory_boy factories for platform facts and users of every role."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from shop import models
from shop.constants import Role


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Shop
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.LazyAttribute(lambda o: f"Shop {o.code}")
    kind = "regular"
    experience_score = Decimal("4.80")
    level = 3
    regions = factory.LazyFunction(lambda: ["CN"])


class StreamerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Streamer
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"ST{n:05d}")
    name = factory.LazyAttribute(lambda o: f"Streamer {o.code}")
    fans = 2_000_000
    experience_score = Decimal("4.80")
    level = 3
    main_industry = "日用百货"


class ConsumerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Consumer
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:05d}")
    wallet_enabled = True
    risk = False


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cat{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Category {o.code}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Product

    code = factory.Sequence(lambda n: f"P{n:06d}")
    shop = factory.SubFactory(ShopFactory)
    title = factory.LazyAttribute(lambda o: f"Product {o.code}")
    category = factory.SubFactory(CategoryFactory)
    price = Decimal("100.00")


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LiveSession

    code = factory.Sequence(lambda n: f"LS{n:05d}")
    streamer = factory.SubFactory(StreamerFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Order

    code = factory.Sequence(lambda n: f"O{n:07d}")
    consumer = factory.SubFactory(ConsumerFactory)
    product = factory.SubFactory(ProductFactory)
    shop = factory.LazyAttribute(lambda o: o.product.shop)
    paid_amount = Decimal("100.00")
    postage = Decimal("0.00")
    region = "CN"
    placed_at = factory.LazyFunction(timezone.now)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def make_user(role: str, *, shop=None, streamer=None, consumer=None, username: str | None = None):
    """A user of an API.md role linked to its party (creating the party when not given)."""
    user = UserFactory(**({"username": username} if username else {}))
    if role == Role.MERCHANT:
        shop = shop or ShopFactory()
        models.ShopMember.objects.create(user=user, shop=shop)
    if role == Role.STREAMER:
        streamer = streamer or StreamerFactory()
    if role == Role.CONSUMER:
        consumer = consumer or ConsumerFactory()
    if role == Role.REVIEWER:
        from django.contrib.auth.models import Group

        from shop.constants import REVIEWER_GROUPS

        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.set(Group.objects.filter(name__in=REVIEWER_GROUPS))
    models.Profile.objects.create(
        user=user,
        role=role,
        streamer=streamer if role == Role.STREAMER else None,
        consumer=consumer if role == Role.CONSUMER else None,
    )
    return user
