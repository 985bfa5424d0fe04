"""API.md Qualifications + reviewer decision (QL-1, QL-2, QL-4, QL-7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qualifications.constants import RevisionStatus
from qualifications.models import Qualification, QualificationEvent
from tests.qualifications.conftest import good_values
from tests.qualifications.factories import make_upload
from tests.shop.factories import ShopFactory, make_user

pytestmark = pytest.mark.django_db


def post_qualification(api, eager, values, **extra):
    return eager(api.post, "/api/v1/qualifications", {"type": "food_license", "fields": values, **extra}, format="json")


def test_ql1_types_catalogue_is_a_plain_array(merchant_api, food_type):
    res = merchant_api.get("/api/v1/qualification-types")
    assert res.status_code == 200
    assert isinstance(res.json(), list)
    item = next(t for t in res.json() if t["code"] == "food_license")
    assert item["class"] == food_type.klass.name
    end = [f for f in item["fields"] if f["validity_end"]]
    assert [f["name"] for f in end] == ["valid_until"]
    assert {f["kind"] for f in item["fields"]} == {"text", "date", "image"}


def test_ql2_submit_runs_checks_then_awaits_review(merchant_api, merchant, eager, food_type):
    upload = make_upload(merchant)
    res = post_qualification(merchant_api, eager, good_values(upload.pk))
    assert res.status_code == 201, res.json()
    assert res.json()["status"] == "pending"
    q = Qualification.objects.get(pk=res.json()["id"])
    assert q.latest_revision.status == RevisionStatus.PENDING
    assert list(q.events.values_list("to_status", flat=True)) == ["checking", "pending"]
    detail = merchant_api.get(f"/api/v1/qualifications/{q.pk}").json()
    assert detail["status"] == "pending" and detail["in_force"] is False
    assert detail["certificate_number"] == "JY11101010001"


def test_ql2_decision_refused_while_automatic_checks_run(merchant_api, merchant, reviewer_api, food_type):
    upload = make_upload(merchant)
    # No on_commit execution: the check task has not run yet.
    res = merchant_api.post(
        "/api/v1/qualifications", {"type": "food_license", "fields": good_values(upload.pk)}, format="json"
    )
    assert res.status_code == 201
    dec = reviewer_api.post(
        f"/api/v1/review/qualifications/{res.json()['id']}/decision", {"approved": True}, format="json"
    )
    assert dec.status_code == 409
    assert dec.json()["code"] == "invalid_state"


def test_ql2_reviewer_approves_once_then_invalid_state(submit, reviewer_api, merchant):
    q = submit()
    url = f"/api/v1/review/qualifications/{q.pk}/decision"
    res = reviewer_api.post(url, {"approved": True, "reason": ""}, format="json")
    assert res.status_code == 200, res.json()
    assert res.json()["status"] == "approved" and res.json()["in_force"] is True
    again = reviewer_api.post(url, {"approved": False, "reason": "late"}, format="json")
    assert again.status_code == 409 and again.json()["code"] == "invalid_state"
    assert merchant.notifications.filter(kind="qualification_decided").count() == 1


def test_ql2_rejection_needs_a_reason(submit, reviewer_api):
    q = submit()
    url = f"/api/v1/review/qualifications/{q.pk}/decision"
    res = reviewer_api.post(url, {"approved": False}, format="json")
    assert res.status_code == 400 and res.json()["code"] == "invalid"
    res = reviewer_api.post(url, {"approved": False, "reason": "图片模糊"}, format="json")
    assert res.status_code == 200
    assert res.json()["status"] == "rejected" and res.json()["reason"] == "图片模糊"


def test_ql2_decision_only_for_reviewers(submit, merchant_api):
    q = submit()
    res = merchant_api.post(f"/api/v1/review/qualifications/{q.pk}/decision", {"approved": True}, format="json")
    assert res.status_code == 403


def test_ql2_missing_required_field_is_400_and_nothing_saved(merchant_api, merchant, eager, food_type):
    upload = make_upload(merchant)
    values = good_values(upload.pk)
    del values["number"]
    res = post_qualification(merchant_api, eager, values)
    assert res.status_code == 400
    assert res.json()["code"] == "invalid"
    assert "number" in res.json()["errors"]["fields"]
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("valid_until", "31/12/2030"), ("valid_until", 12), ("certificate", "abc"), ("nonsense", "x"), ("number", ["x"])],
)
def test_ql2_bad_field_values_are_400(merchant_api, merchant, eager, food_type, field, value):
    upload = make_upload(merchant)
    values = {**good_values(upload.pk), field: value}
    res = post_qualification(merchant_api, eager, values)
    assert res.status_code == 400 and res.json()["code"] == "invalid"
    assert not Qualification.objects.exists()


def test_ql2_unknown_type_and_non_json_body(merchant_api):
    res = merchant_api.post("/api/v1/qualifications", {"type": "nope", "fields": {}}, format="json")
    assert res.status_code == 400 and res.json()["errors"]["type"]
    res = merchant_api.post("/api/v1/qualifications", "not json", content_type="application/json")
    assert res.status_code == 400 and res.json()["code"] == "parse_error"


def test_ql2_someone_elses_upload_is_invalid_upload(merchant_api, eager, food_type):
    stranger = make_user("merchant", username="other")
    upload = make_upload(stranger)
    res = post_qualification(merchant_api, eager, good_values(upload.pk))
    assert res.status_code == 400 and res.json()["code"] == "invalid_upload"
    res = post_qualification(merchant_api, eager, good_values(999999))
    assert res.status_code == 400 and res.json()["code"] == "invalid_upload"


def test_ql2_automatic_checks_reject_already_expired_with_field_reason(merchant_api, merchant, eager, food_type):
    upload = make_upload(merchant)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    res = post_qualification(merchant_api, eager, good_values(upload.pk, until=yesterday))
    assert res.status_code == 201
    detail = merchant_api.get(f"/api/v1/qualifications/{res.json()['id']}").json()
    assert detail["status"] == "rejected"
    assert "valid_until" in detail["check_errors"]
    assert merchant.notifications.filter(kind="qualification_decided").exists()


def test_ql2_automatic_checks_reject_incoherent_dates(merchant_api, merchant, eager, food_type):
    upload = make_upload(merchant)
    values = good_values(upload.pk, until=timezone.localdate() + dt.timedelta(days=10))
    values["issued_on"] = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
    res = post_qualification(merchant_api, eager, values)
    detail = merchant_api.get(f"/api/v1/qualifications/{res.json()['id']}").json()
    assert detail["status"] == "rejected"
    assert "issued_on" in detail["check_errors"]


def test_ql2_automatic_checks_reject_an_image_that_no_longer_decodes(merchant_api, merchant, eager, food_type):
    upload = make_upload(merchant)
    with open(upload.file.path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n garbage")
    res = post_qualification(merchant_api, eager, good_values(upload.pk))
    detail = merchant_api.get(f"/api/v1/qualifications/{res.json()['id']}").json()
    assert detail["status"] == "rejected"
    assert "certificate" in detail["check_errors"]


def test_ql2_checks_task_is_idempotent(submit):
    from qualifications.services import revision_run_checks

    q = submit()
    assert revision_run_checks(revision_id=q.latest_revision_id) is None
    assert QualificationEvent.objects.filter(qualification=q).count() == 2


def test_ql7_list_filters_and_search(merchant_api, submit, approved, reviewer):
    a = approved(number="AAA-1", until=timezone.localdate() + dt.timedelta(days=20))
    b = submit(number="BBB-2", until=timezone.localdate() + dt.timedelta(days=200))
    res = merchant_api.get("/api/v1/qualifications").json()
    assert res["count"] == 2 and {r["id"] for r in res["results"]} == {a.pk, b.pk}
    assert [r["id"] for r in merchant_api.get("/api/v1/qualifications?status=approved").json()["results"]] == [a.pk]
    assert [r["id"] for r in merchant_api.get("/api/v1/qualifications?status=pending").json()["results"]] == [b.pk]
    cutoff = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert [r["id"] for r in merchant_api.get(f"/api/v1/qualifications?expires_before={cutoff}").json()["results"]] == [
        a.pk
    ]
    assert [r["id"] for r in merchant_api.get("/api/v1/qualifications?q=bbb").json()["results"]] == [b.pk]
    assert merchant_api.get("/api/v1/qualifications?type=food_license").json()["count"] == 2
    assert merchant_api.get("/api/v1/qualifications?type=other").json()["count"] == 0
    bad = merchant_api.get("/api/v1/qualifications?expires_before=soon")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    bad = merchant_api.get("/api/v1/qualifications?status=weird")
    assert bad.status_code == 400


def test_ql7_expires_before_is_strict(merchant_api, approved):
    until = timezone.localdate() + dt.timedelta(days=40)
    approved(until=until)
    assert merchant_api.get(f"/api/v1/qualifications?expires_before={until.isoformat()}").json()["count"] == 0
    after = (until + dt.timedelta(days=1)).isoformat()
    assert merchant_api.get(f"/api/v1/qualifications?expires_before={after}").json()["count"] == 1


def test_tenant_isolation_other_shop_answers_404(client_for, submit):
    q = submit()
    other = client_for(make_user("merchant", shop=ShopFactory(code="S-OTHER"), username="m-other"))
    assert other.get(f"/api/v1/qualifications/{q.pk}").status_code == 404
    assert other.get(f"/api/v1/qualifications/{q.pk}/impact").status_code == 404
    res = other.patch(f"/api/v1/qualifications/{q.pk}", {"fields": {"holder": "x"}}, format="json")
    assert res.status_code == 404 and res.json()["code"] == "not_found"
    assert other.get("/api/v1/qualifications").json()["count"] == 0


def test_roles_other_than_merchant_are_refused(client_for, api_client):
    consumer = client_for(make_user("consumer", username="c1"))
    assert consumer.get("/api/v1/qualifications").status_code == 403
    assert api_client.get("/api/v1/qualifications").status_code == 401


def test_schema_describes_qualification_endpoints(api_client):
    res = api_client.get("/api/v1/schema/", {"format": "json"})
    assert res.status_code == 200
    paths = res.json()["paths"] if res["Content-Type"].startswith("application/json") else {}
    if paths:
        for p in (
            "/api/v1/qualifications",
            "/api/v1/qualifications/{id}",
            "/api/v1/qualifications/{id}/impact",
            "/api/v1/qualification-types",
            "/api/v1/review/qualifications/{id}/decision",
        ):
            assert p in paths
