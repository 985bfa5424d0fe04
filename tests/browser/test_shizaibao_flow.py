"""Browser: an invited, eligible streamer opens 实在宝; the agreement checkbox is required and
the service takes effect from the next live session (SZB-1, SZB-2, SZB-3)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guarantees import shizaibao
from guarantees.models import EnrolmentStatus, InviteSource, ShizaibaoAgreement, ShizaibaoEnrolment
from tests.browser.helpers import tr
from tests.shop.factories import LiveSessionFactory, StreamerFactory, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_szb3_open_requires_the_agreement_checkbox_then_covers_the_next_session(page, login, live_server):
    streamer = StreamerFactory(fans=2_000_000, experience_score="4.80", level=3)
    assert shizaibao.is_eligible(streamer)
    agreement = ShizaibaoAgreement.objects.create(version="2024.1", text="实在宝服务开通协议正文……")
    shizaibao.agreement_publish(agreement_id=agreement.pk, actor=None)
    shizaibao.szb_invite(streamer=streamer, source=InviteSource.AUTO)
    live_now = LiveSessionFactory(streamer=streamer, started_at=timezone.now() - timedelta(minutes=30))
    make_user("streamer", streamer=streamer, username="szb-s")

    login(page, "szb-s")
    page.locator("nav a[data-menu=shizaibao]").click()
    expect(page).to_have_url(f"{live_server.url}/rights/shizaibao/")
    expect(page.locator("#conditions .badge.on").first).to_be_visible()  # all SZB-1 conditions met
    expect(page.locator("#agreement")).to_contain_text("2024.1")

    invitation = page.locator("#invitation")
    checkbox = invitation.locator("input[name=agree]")
    submit = invitation.locator("form button[type=submit]")
    expect(checkbox).not_to_be_checked()

    # Without ticking the box: an error on the page, nothing opened.
    submit.click()
    expect(invitation.locator(".errorlist")).to_contain_text(
        tr("Please read the agreement and tick 「我已阅读并同意《实在宝服务开通协议》」.")
    )
    assert ShizaibaoEnrolment.objects.get(streamer=streamer).status == EnrolmentStatus.NOT_OPEN

    # Ticked: the service opens and the page says it takes effect from the next live session.
    invitation.locator("input[name=agree]").check()
    invitation.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/rights/shizaibao/")
    expect(page.locator("ul.messages li.success")).to_have_text(
        tr("实在宝 is open. It takes effect from your next live session.")
    )
    expect(page.locator("h1 .badge.on")).to_have_text(tr("Open"))
    expect(invitation).to_contain_text(tr("实在宝 is open."))
    expect(invitation.locator("input[name=agree]")).to_have_count(0)

    # The session already live is not covered (SZB-3: only sessions that start afterwards).
    expect(page.locator("#mark tr", has_text=live_now.code).locator(".badge.trust")).to_have_count(0)
    enrolment = ShizaibaoEnrolment.objects.get(streamer=streamer)
    assert enrolment.status == EnrolmentStatus.OPEN and enrolment.agreement_version == "2024.1"
    assert enrolment.opened_ip == "127.0.0.1"
