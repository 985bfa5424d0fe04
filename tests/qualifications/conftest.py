from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qualifications import services
from qualifications.models import Qualification
from tests.qualifications.factories import license_type, make_upload
from tests.shop.factories import CategoryFactory, ProductFactory, ShopFactory, make_user


@pytest.fixture
def food_type(db):
    return license_type()


@pytest.fixture
def shop(db):
    return ShopFactory(code="S-FOOD")


@pytest.fixture
def merchant(shop):
    return make_user("merchant", shop=shop, username="m-food")


@pytest.fixture
def merchant_api(client_for, merchant):
    return client_for(merchant)


@pytest.fixture
def food_category(db):
    return CategoryFactory(code="snacks", required_qualification_types=["food_license"])


@pytest.fixture
def product(shop, food_category):
    return ProductFactory(code="P-NUTS", shop=shop, category=food_category)


@pytest.fixture
def eager(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (the outbox → Celery eager) inside the test transaction."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def good_values(upload_id: int, *, until: dt.date | None = None, number: str = "JY11101010001") -> dict:
    return {
        "number": number,
        "holder": "好味食品有限公司",
        "issued_on": "2024-01-01",
        "valid_until": (until or (timezone.localdate() + dt.timedelta(days=365))).isoformat(),
        "certificate": upload_id,
    }


@pytest.fixture
def submit(eager, merchant, shop, food_type):
    """submit(**overrides) → a qualification after its automatic checks ran."""

    def make(*, until: dt.date | None = None, number: str = "JY11101010001", user=None) -> Qualification:
        who = user or merchant
        upload = make_upload(who)
        q = eager(
            services.qualification_submit,
            actor=who,
            qtype=food_type,
            values=good_values(upload.pk, until=until, number=number),
            shop=shop,
        )
        q.refresh_from_db()
        return q

    return make


@pytest.fixture
def approved(submit, reviewer):
    """approved(**overrides) → a qualification approved by the reviewer."""

    def make(**kwargs) -> Qualification:
        q = submit(**kwargs)
        return services.qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=True)

    return make
