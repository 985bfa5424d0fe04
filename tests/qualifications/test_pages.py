"""Merchant pages rendered for real (QL-2, QL-3, QL-4, QL-7), tenant isolation, hostile uploads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from qualifications.models import Qualification
from shop.models import Product
from tests.qualifications.factories import png_bytes
from tests.shop.factories import ShopFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(merchant):
    c = Client()
    c.force_login(merchant)
    return c


def _png(name="cert.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def new_form(until=None, **extra):
    until = until or (timezone.localdate() + dt.timedelta(days=200))
    return {
        "type": "food_license",
        "number": "JY-PAGE-1",
        "holder": "好味",
        "valid_until": until.isoformat(),
        "certificate": _png(),
        **extra,
    }


def test_ql7_list_page_renders_with_filters_and_phone_layout(web, submit):
    submit(number="LIST-1")
    res = web.get("/qualifications/?status=pending&q=LIST")
    assert res.status_code == 200
    html = res.content.decode()
    assert "LIST-1" in html and 'class="responsive"' in html and "data-label" in html
    assert "LIST-1" not in web.get("/qualifications/?status=approved").content.decode()


def test_ql2_new_page_picks_class_then_type_then_fields(web, food_type):
    res = web.get("/qualifications/new/")
    assert res.status_code == 200 and "<optgroup" in res.content.decode()
    res = web.get("/qualifications/new/?type=food_license")
    html = res.content.decode()
    assert 'name="certificate"' in html and 'type="file"' in html and 'name="valid_until"' in html


def test_ql2_new_page_submits_with_image(web, food_type, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        res = web.post("/qualifications/new/?type=food_license", new_form())
    assert res.status_code == 302, res.content.decode()[:2000]
    q = Qualification.objects.get()
    assert q.status == "pending" and q.latest_revision.uploads.count() == 1
    page = web.get(res["Location"])
    assert page.status_code == 200 and "JY-PAGE-1" in page.content.decode()


def test_ql2_hostile_upload_is_refused_on_the_page(web, food_type):
    bad = SimpleUploadedFile("evil.png", b"<?php system($_GET['x']); ?>", content_type="image/png")
    res = web.post("/qualifications/new/?type=food_license", new_form(certificate=bad))
    assert res.status_code == 200
    assert not Qualification.objects.exists()
    assert 'class="errorlist' in res.content.decode()


def test_ql2_hostile_upload_is_refused_by_the_api(merchant_api):
    bomb = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, content_type="image/png")
    res = merchant_api.post("/api/v1/uploads", {"file": bomb}, format="multipart")
    assert res.status_code == 400 and res.json()["code"] == "invalid_image"


def test_ql4_edit_page_shows_impact_and_needs_confirmation(web, approved, product, django_capture_on_commit_callbacks):
    from qualifications.services import product_qualifications_set

    q = approved()
    product_qualifications_set(product=product, qualification_ids=[q.pk])
    res = web.get(f"/qualifications/{q.pk}/edit/")
    assert res.status_code == 200 and "P-NUTS" in res.content.decode()
    form = {"number": q.certificate_number, "holder": "新", "valid_until": "2040-01-01"}
    res = web.post(f"/qualifications/{q.pk}/edit/", form)
    assert res.status_code == 200 and q.revisions.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        res = web.post(f"/qualifications/{q.pk}/edit/", {**form, "confirm_impact": "on"})
    assert res.status_code == 302
    q.refresh_from_db()
    assert q.revisions.count() == 2 and q.status == "pending" and q.in_force
    assert q.latest_revision.fields["certificate"] == q.approved_revision.fields["certificate"]
    detail = web.get(f"/qualifications/{q.pk}/").content.decode()
    assert "P-NUTS" in detail and "/files/" in detail


def test_tenant_isolation_pages_answer_404(submit):
    q = submit()
    other = Client()
    other.force_login(make_user("merchant", shop=ShopFactory(code="S-OTHER"), username="o"))
    assert other.get(f"/qualifications/{q.pk}/").status_code == 404
    assert other.get(f"/qualifications/{q.pk}/edit/").status_code == 404
    file_id = q.latest_revision.uploads.get().pk
    assert other.get(f"/files/{file_id}/").status_code == 404


def test_colleague_sees_shop_qualification_images(submit, shop):
    q = submit()
    colleague = Client()
    colleague.force_login(make_user("merchant", shop=shop, username="colleague"))
    assert colleague.get(f"/files/{q.latest_revision.uploads.get().pk}/").status_code == 200


def test_pages_refuse_other_roles(submit):
    c = Client()
    c.force_login(make_user("consumer", username="cc"))
    assert c.get("/qualifications/").status_code == 403


def test_ql3_publish_flow_keeps_form_while_adding_inline_and_product_waits(
    web, food_type, food_category, reviewer, django_capture_on_commit_callbacks
):
    product = {"code": "P-NEW", "title": "新品坚果", "category": str(food_category.pk), "price": "19.90"}
    res = web.post("/qualifications/publish/", {**product, "action": "refresh"}, follow=True)
    html = res.content.decode()
    assert "食品经营许可证" in html and 'value="P-NEW"' in html
    # Add a qualification inline: the product form is kept in the session.
    res = web.post("/qualifications/publish/", {**product, "action": "add:food_license"})
    assert res.status_code == 302 and "return=publish" in res["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        res = web.post("/qualifications/new/", {**new_form(), "return": "publish"})
    assert res.status_code == 302 and "/qualifications/publish/?added=" in res["Location"]
    q = Qualification.objects.get()
    page = web.get(res["Location"]).content.decode()
    assert 'value="P-NEW"' in page and "新品坚果" in page
    assert f'value="{q.pk}" checked' in page
    res = web.post("/qualifications/publish/", {**product, "qualifications": [str(q.pk)], "action": "publish"})
    assert res.status_code == 302
    p = Product.objects.get(code="P-NEW")
    assert p.on_sale is False and p.blocked_reasons == ["qualification_missing"]
    assert p.qualification_links.get().qualification_id == q.pk
    from qualifications.services import qualification_decide

    qualification_decide(qualification_id=q.pk, reviewer=reviewer, approved=True)
    p.refresh_from_db()
    assert p.on_sale is True


def test_ql3_publish_without_qualification_is_saved_but_blocked(web, food_category):
    res = web.post(
        "/qualifications/publish/",
        {"code": "P-BARE", "title": "x", "category": str(food_category.pk), "price": "1.00", "action": "publish"},
    )
    assert res.status_code == 302
    p = Product.objects.get(code="P-BARE")
    assert not p.on_sale and p.blocked_reasons == ["qualification_missing"]


def test_admin_queue_renders_with_previews_and_actions_decide(submit, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    q = submit()
    admin_user = get_user_model().objects.create_superuser("boss", "b@example.com", "pass-word-123")
    c = Client()
    c.force_login(admin_user)
    res = c.get("/admin/qualifications/qualification/?queue=review")
    assert res.status_code == 200 and "/files/" in res.content.decode()
    assert c.get(f"/admin/qualifications/qualification/{q.pk}/change/").status_code == 200
    res = c.post(
        "/admin/qualifications/qualification/",
        {"action": "reject_selected", "_selected_action": [q.pk]},
    )
    assert res.status_code == 200 and "reason" in res.content.decode()
    res = c.post(
        "/admin/qualifications/qualification/",
        {"action": "reject_selected", "_selected_action": [q.pk], "apply": "1", "reason": "照片不清晰"},
    )
    assert res.status_code == 302
    q.refresh_from_db()
    assert q.status == "rejected" and q.latest_revision.reason == "照片不清晰"
    for model in ("qualificationtype", "qualificationclass", "qualificationrevision", "qualificationevent"):
        assert c.get(f"/admin/qualifications/{model}/").status_code == 200
