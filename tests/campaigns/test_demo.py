"""seed_demo loads the 巨量星图 demo once (idempotent)."""

import io

import pytest
from django.core.management import call_command

from campaigns.models import CreatorOrder, Task

pytestmark = pytest.mark.django_db


def test_xt_demo_is_idempotent():
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    assert Task.objects.filter(key="demo-xt-1").count() == 1
    assert dict(CreatorOrder.objects.values_list("streamer__code", "status")) == {
        "ST-STAR": "video_client_review",
        "ST-SMALL": "awaiting_script",
    }
