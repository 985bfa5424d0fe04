"""Merchant after-sales pages (GP-2/GP-4 answers, GP-3 receipt, BX-3 deadline, BX-7 CSV) and
the RF-4 report page, rendered for real through the Django test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from claims.models import AbuseReport, Payout
from tests.claims.test_global_support import at, file, global_shop, image_bytes, order_for
from tests.shop.factories import ConsumerFactory, make_user

pytestmark = pytest.mark.django_db

DELIVERED = at("2026-06-01T09:00:00+08:00")


def _setup(kind="local_return"):
    shop = global_shop()
    merchant = make_user("merchant", shop=shop)
    order = order_for(shop, shipped_at=DELIVERED - timedelta(days=1), delivered_at=DELIVERED)
    with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False):
        claim = file(order, kind=kind)
    client = Client()
    client.force_login(merchant)
    return shop, merchant, claim, client


def test_merchant_sees_waiting_claims_with_deadline_and_countdown():
    _shop, _m, claim, client = _setup()
    with time_machine.travel(DELIVERED + timedelta(hours=2), tick=False):
        r = client.get("/claims/merchant/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f"#{claim.pk}" in html
    assert "2026-06-03 10:00" in html  # filed 10:00 + 48 h answer time, Asia/Shanghai
    cd = r.context["rows"][0]["countdown"]
    assert (cd["hours"], cd["minutes"], cd["overdue"]) == (47, 0, False)


def test_merchant_refuses_with_note_then_status_shows(client=None):
    _shop, _m, claim, client = _setup()
    r = client.post(f"/claims/merchant/{claim.pk}/", {"accept": "0", "note": ""})
    assert r.status_code == 200 and "note" in r.context["form"].errors
    r = client.post(f"/claims/merchant/{claim.pk}/", {"accept": "0", "note": "not ours"}, follow=True)
    claim.refresh_from_db()
    assert claim.status == "merchant_refused"
    assert r.status_code == 200


def test_merchant_accepts_then_confirms_local_return_receipt(django_capture_on_commit_callbacks):
    _shop, _m, claim, client = _setup()
    client.post(f"/claims/merchant/{claim.pk}/", {"accept": "1", "note": ""})
    claim.refresh_from_db()
    assert claim.status == "upheld"
    page = client.get(f"/claims/merchant/{claim.pk}/")
    assert page.context["awaiting_return"] is True
    assert f"/claims/merchant/{claim.pk}/return-received/" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/claims/merchant/{claim.pk}/return-received/", {"note": "arrived"})
    assert Payout.objects.filter(claim=claim).exists()


def test_merchant_csv_export_applies_filters():
    _shop, _m, claim, client = _setup()
    r = client.get("/claims/merchant/?status=all&kind=local_return&format=csv")
    assert r["Content-Type"].startswith("text/csv")
    body = r.content.decode("utf-8-sig")
    assert str(claim.pk) in body and "local_return" in body
    r = client.get("/claims/merchant/?status=all&kind=damage&format=csv")
    assert str(claim.order.code) not in r.content.decode("utf-8-sig")


def test_another_shops_claim_page_is_404():
    _shop, _m, claim, _client = _setup()
    other = Client()
    other.force_login(make_user("merchant"))
    assert other.get(f"/claims/merchant/{claim.pk}/").status_code == 404


def test_consumer_cannot_open_merchant_pages():
    c = Client()
    c.force_login(make_user("consumer"))
    assert c.get("/claims/merchant/").status_code == 403
    assert c.get("/claims/abuse-reports/").status_code == 403


def test_rf4_report_page_requires_evidence_and_files_a_report():
    shop = global_shop(kind="regular")
    merchant = make_user("merchant", shop=shop)
    buyer = ConsumerFactory(code="BUYER-P")
    order_for(shop, consumer=buyer)
    c = Client()
    c.force_login(merchant)
    assert c.get("/claims/abuse-reports/").status_code == 200
    r = c.post("/claims/abuse-reports/", {"consumer": "BUYER-P", "reason": "fake waybill"})
    assert r.status_code == 200 and not AbuseReport.objects.exists()
    img = SimpleUploadedFile("w.png", image_bytes(9), content_type="image/png")
    r = c.post(
        "/claims/abuse-reports/", {"consumer": "BUYER-P", "reason": "fake waybill", "evidence": [img]}, follow=True
    )
    report = AbuseReport.objects.get()
    assert report.status == "pending" and report.evidence.count() == 1
    assert "BUYER-P" in r.content.decode()


def test_rf4_report_evidence_visible_to_colleagues_not_to_other_shops():
    from claims.abuse_reports import report_file
    from tests.claims.test_global_support import upload

    shop = global_shop(kind="regular")
    author, colleague = make_user("merchant", shop=shop), make_user("merchant", shop=shop)
    buyer = ConsumerFactory()
    order_for(shop, consumer=buyer)
    ev = upload(author, 12)
    report_file(shop=shop, user=author, consumer_code=buyer.code, reason="x", evidence=[ev.pk])
    c = Client()
    c.force_login(colleague)
    assert c.get(f"/files/{ev.pk}/").status_code == 200
    c.force_login(make_user("merchant"))
    assert c.get(f"/files/{ev.pk}/").status_code == 404


def test_merchant_claim_list_queries_do_not_grow_with_claims(django_assert_max_num_queries):
    shop, _merchant, _claim, client = _setup()
    for _ in range(5):
        o = order_for(shop, shipped_at=DELIVERED - timedelta(days=1), delivered_at=DELIVERED)
        with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False):
            file(o, kind="local_return")
    with django_assert_max_num_queries(12):
        assert client.get("/claims/merchant/").status_code == 200
