"""Browser: a reviewer upholds a 实在宝 claim in Django admin and the streamer's balances drop on
the streamer's claims page (SZB-10, SZB-13, BX-2)."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from claims import engine
from claims.engine.funding import account_fund
from claims.models.claim import ClaimStatus
from guarantees import shizaibao
from guarantees.models import ShizaibaoAgreement
from tests.browser.helpers import tr
from tests.claims.engine_helpers import upload_for
from tests.shop.factories import (
    ConsumerFactory,
    LiveSessionFactory,
    OrderFactory,
    ProductFactory,
    StreamerFactory,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)


def balances(page) -> list[str]:
    """The five amounts of the streamer's fund card: cash, deposit, held, available, arrears."""
    return [t.strip() for t in page.locator("main .card .grid > div b").all_inner_texts()]


def test_szb13_upheld_in_admin_debits_cash_then_deposit_and_releases_the_hold(page, new_page, login, live_server):
    now = timezone.now()
    streamer = StreamerFactory(name="小林直播间")
    streamer_user = make_user("streamer", streamer=streamer, username="claim-s")
    make_user("reviewer", username="claim-r")
    consumer = ConsumerFactory()
    consumer_user = make_user("consumer", consumer=consumer)

    # An open enrolment (opened three days ago), then a covered order of a later live session.
    agreement = ShizaibaoAgreement.objects.create(version="2024.1", text="实在宝服务开通协议正文")
    with time_machine.travel(now - timedelta(days=3), tick=False):
        shizaibao.agreement_publish(agreement_id=agreement.pk, actor=None)
        shizaibao.szb_invite(streamer=streamer)
        shizaibao.szb_open(streamer=streamer, user=streamer_user, agree=True, agreement_version="2024.1", ip=None)
    session = LiveSessionFactory(streamer=streamer, started_at=now - timedelta(days=2))
    order = OrderFactory(
        consumer=consumer,
        product=ProductFactory(title="真丝衬衫"),
        live_session=session,
        streamer=streamer,
        paid_amount=Decimal("100.00"),
        placed_at=now - timedelta(days=2) + timedelta(hours=1),
        shipped_at=now - timedelta(days=1),
    )
    shizaibao.set_order_coverage(order)
    order.save(update_fields=["shizaibao_covered"])
    assert order.shizaibao_covered

    # Funded streamer: 60 cash, 200 deposit (platform funding service, through the ledger).
    account_fund(party=streamer, account="cash", amount="60.00", key="browser-cash", actor=None)
    account_fund(party=streamer, account="deposit", amount="200.00", key="browser-deposit", actor=None)

    # The consumer files a 实在宝 claim (goes straight to platform review, the amount is held).
    claim = engine.claim_file(
        consumer=consumer,
        actor=consumer_user,
        order_code=order.code,
        kind="shizaibao",
        type="material",
        reason="面料不是宣传的真丝",
        evidence=[(i, "other") for i in upload_for(consumer_user)],
    )
    claim.refresh_from_db()
    assert claim.status == "under_review" and claim.amount == Decimal("100.00")

    # Streamer before the decision: the claim is listed and its amount is held.
    login(page, "claim-s")
    page.locator("nav a[data-menu=claims]").click()
    expect(page.locator("main table.responsive")).to_contain_text(f"#{claim.pk}")
    assert balances(page) == ["¥60.00", "¥200.00", "¥100.00", "¥160.00", "¥0.00"]

    # Reviewer: Django admin → claims under review → uphold.
    admin = new_page()
    login(admin, "claim-r")
    admin.goto(f"{live_server.url}/admin/claims/claim/?status__exact=under_review")
    row = admin.locator("#result_list tbody tr", has_text=order.code)
    expect(row).to_have_count(1)
    row.locator("input[name=_selected_action]").check()
    admin.locator("select[name=action]").select_option("uphold_claims")
    admin.locator("button[name=index]").click()
    expect(admin.locator("ul.messagelist li.success")).to_contain_text(tr("%(n)s claim(s) decided.", n=1))
    expect(admin.locator("#result_list tbody tr", has_text=order.code)).to_have_count(0)

    # Streamer after: 60 from cash, 40 from deposit, nothing held any more.
    page.reload()
    assert balances(page) == ["¥0.00", "¥160.00", "¥0.00", "¥160.00", "¥0.00"]
    claim.refresh_from_db()
    assert claim.status in ("upheld", "paid")
    status_cell = page.locator("main table.responsive tr", has_text=f"#{claim.pk}").locator(".badge")
    expect(status_cell).to_have_text(tr(ClaimStatus(claim.status).label))
