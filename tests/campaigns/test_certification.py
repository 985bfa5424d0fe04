"""XT-1 advertiser certification: qualification, 对公打款验证, agreement; publishing gate."""

from __future__ import annotations

import pytest

from campaigns import services
from campaigns.models import Advertiser, AdvertiserEvent
from shop.models import Notification
from tests.campaigns.factories import (
    approve_license,
    creator,
    ensure_license_type,
    sign_agreement,
    task_body,
    verify_bank,
)
from tests.shop.factories import ShopFactory, make_user

pytestmark = pytest.mark.django_db

CERT = "/api/v1/xingtu/certification"


@pytest.fixture
def merchant():
    return make_user("merchant", shop=ShopFactory(code="S-ADV"))


@pytest.fixture
def api(client_for, merchant):
    return client_for(merchant)


def _account(api):
    return api.post(
        CERT + "/bank-account",
        {"company_name": "上海美美有限公司", "bank_name": "招商银行", "account_number": "6214 8300 1234 5678"},
        format="json",
    )


def test_xt1_new_advertiser_sees_all_three_steps_missing(api):
    r = api.get(CERT)
    assert r.status_code == 200
    assert r.json()["certified"] is False
    assert r.json()["missing_steps"] == ["qualification", "bank_transfer", "agreement"]
    assert r.json()["bank_transfer"]["status"] == "not_started"


def test_xt1_bank_check_full_flow_verifies_with_the_recorded_amount(api, reviewer_api, merchant):
    r = _account(api)
    assert r.status_code == 200
    assert r.json()["bank_transfer"]["status"] == "awaiting_transfer"
    assert r.json()["bank_transfer"]["account"] == "****5678"
    r = reviewer_api.post("/api/v1/xingtu/review/advertisers/S-ADV/bank-transfer", {}, format="json")
    assert r.status_code == 200
    amount = r.json()["amount"]
    assert "0.01" <= amount <= "0.99"
    advertiser = Advertiser.objects.get(shop__code="S-ADV")
    assert amount not in advertiser.transfer_digest  # only an HMAC is stored
    assert Notification.objects.filter(user=merchant, kind="xingtu_certification").exists()
    r = api.post(CERT + "/bank-transfer/verify", {"amount": amount}, format="json")
    assert r.status_code == 200
    assert r.json()["bank_transfer"]["status"] == "verified"
    assert r.json()["missing_steps"] == ["qualification", "agreement"]


def test_xt1_wrong_amounts_count_and_third_locks_for_review(api, reviewer_api):
    _account(api)
    reviewer_api.post("/api/v1/xingtu/review/advertisers/S-ADV/bank-transfer", {"amount": "0.37"}, format="json")
    r = api.post(CERT + "/bank-transfer/verify", {"amount": "0.38"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "amount_mismatch" and r.json()["attempts_left"] == 2
    r = api.post(CERT + "/bank-transfer/verify", {"amount": "0.73"}, format="json")
    assert r.json()["attempts_left"] == 1
    r = api.post(CERT + "/bank-transfer/verify", {"amount": "0.01"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "bank_check_locked"
    # Locked: even the right amount is refused now.
    r = api.post(CERT + "/bank-transfer/verify", {"amount": "0.37"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "bank_check_locked"
    # So is changing the account while locked.
    assert _account(api).json()["code"] == "bank_check_locked"
    advertiser = Advertiser.objects.get(shop__code="S-ADV")
    assert advertiser.bank_status == "locked" and advertiser.attempts == 3
    assert list(advertiser.events.values_list("action", flat=True)) == [
        "account_submitted",
        "transfer_recorded",
        "amount_wrong",
        "amount_wrong",
        "locked",
    ]


def test_xt1_reviewer_unlocks_then_new_transfer_verifies(api, reviewer_api):
    _account(api)
    reviewer_api.post("/api/v1/xingtu/review/advertisers/S-ADV/bank-transfer", {"amount": "0.37"}, format="json")
    for _ in range(3):
        api.post(CERT + "/bank-transfer/verify", {"amount": "0.50"}, format="json")
    r = reviewer_api.post(
        "/api/v1/xingtu/review/advertisers/S-ADV/bank-check/unlock", {"note": "called"}, format="json"
    )
    assert r.status_code == 200 and r.json()["bank_transfer"]["status"] == "awaiting_transfer"
    assert r.json()["bank_transfer"]["attempts_left"] == 3
    reviewer_api.post("/api/v1/xingtu/review/advertisers/S-ADV/bank-transfer", {"amount": "0.12"}, format="json")
    # The old amount is void after a new transfer.
    assert api.post(CERT + "/bank-transfer/verify", {"amount": "0.37"}, format="json").status_code == 400
    r = api.post(CERT + "/bank-transfer/verify", {"amount": "0.12"}, format="json")
    assert r.status_code == 200 and r.json()["bank_transfer"]["done"] is True


def test_xt1_verify_before_any_transfer_is_invalid_state(api):
    _account(api)
    r = api.post(CERT + "/bank-transfer/verify", {"amount": "0.12"}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "invalid_state"


def test_xt1_bad_amount_or_account_is_400_invalid(api):
    r = api.post(CERT + "/bank-transfer/verify", {"amount": "abc"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"
    r = api.post(
        CERT + "/bank-account", {"company_name": "x", "bank_name": "y", "account_number": "12ab"}, format="json"
    )
    assert r.status_code == 400 and r.json()["code"] == "invalid" and "account_number" in r.json()["errors"]


def test_xt1_only_reviewers_record_transfers(api):
    r = api.post("/api/v1/xingtu/review/advertisers/S-ADV/bank-transfer", {}, format="json")
    assert r.status_code == 403


def test_xt1_agreement_requires_tick_and_current_version_and_stores_version_time_ip(api):
    r = api.post(CERT + "/agreement", {"agree": False, "agreement_version": "2024.1"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "agreement_required"
    r = api.post(CERT + "/agreement", {"agree": True, "agreement_version": "2020.0"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "agreement_outdated"
    r = api.post(
        CERT + "/agreement", {"agree": True, "agreement_version": "2024.1"}, format="json", REMOTE_ADDR="10.1.2.3"
    )
    assert r.status_code == 201
    assert r.json()["agreement"]["done"] is True and r.json()["agreement"]["version"] == "2024.1"
    adv = Advertiser.objects.get(shop__code="S-ADV")
    assert adv.agreement_ip == "10.1.2.3" and adv.agreement_signed_at is not None
    r = api.post(CERT + "/agreement", {"agree": True, "agreement_version": "2024.1"}, format="json")
    assert r.status_code == 200
    assert AdvertiserEvent.objects.filter(advertiser=adv, action="agreement_signed").count() == 1


def test_xt1_new_agreement_version_needs_signing_again(api, merchant):
    from shop.models import RuleSetting
    from shop.rules import invalidate

    adv = services.advertiser_ensure(shop=merchant.shop_member.shop)
    sign_agreement(adv, merchant)
    RuleSetting.objects.create(key="xingtu.agreement_version", value="2025.1")
    invalidate("xingtu.agreement_version")
    r = api.get(CERT)
    assert r.json()["agreement"]["done"] is False and "agreement" in r.json()["missing_steps"]
    invalidate("xingtu.agreement_version")


def test_xt1_qualification_submitted_through_qualifications_review(api, merchant, reviewer, reviewer_api):
    ensure_license_type()
    r = api.post(
        CERT + "/qualification",
        {"fields": {"company_name": "上海美美有限公司", "license_number": "91310000MA1FL0001X"}},
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "pending"
    qid = r.json()["id"]
    cert = api.get(CERT).json()
    assert cert["qualification"] == {"done": False, "status": "pending", "id": qid}
    from qualifications import services as qs
    from qualifications.models import Qualification

    qs.revision_run_checks(revision_id=Qualification.objects.get(pk=qid).revisions.get().pk)
    # The reviewer's decision is the qualifications app's own (admin / review API).
    qs.qualification_decide(qualification_id=qid, reviewer=reviewer, approved=True)
    cert = api.get(CERT).json()
    assert cert["qualification"]["done"] is True and cert["missing_steps"] == ["bank_transfer", "agreement"]


def test_xt1_qualification_without_type_set_up_is_400(api):
    r = api.post(CERT + "/qualification", {"fields": {"company_name": "x"}}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "invalid"


@pytest.mark.parametrize(
    ("done", "missing"),
    [
        ((), "qualification"),
        (("qualification",), "bank_transfer"),
        (("qualification", "bank_transfer"), "agreement"),
        (("bank_transfer", "agreement"), "qualification"),
        (("qualification", "agreement"), "bank_transfer"),
    ],
)
def test_xt1_publishing_refused_with_the_missing_step(api, merchant, reviewer, done, missing):
    adv = services.advertiser_ensure(shop=merchant.shop_member.shop)
    if "qualification" in done:
        approve_license(adv, merchant, reviewer)
    if "bank_transfer" in done:
        verify_bank(adv, merchant, reviewer)
    if "agreement" in done:
        sign_agreement(adv, merchant)
    _u, st = creator()
    r = api.post("/api/v1/xingtu/tasks", task_body(creators=[st.code]), format="json")
    assert r.status_code == 403
    assert r.json()["code"] == "certification_incomplete"
    assert r.json()["missing_step"] == missing


def test_xt1_all_three_steps_allow_publishing(api, merchant, reviewer):
    adv = services.advertiser_ensure(shop=merchant.shop_member.shop)
    approve_license(adv, merchant, reviewer)
    verify_bank(adv, merchant, reviewer)
    sign_agreement(adv, merchant)
    assert api.get(CERT).json()["certified"] is True
    _u, st = creator()
    r = api.post("/api/v1/xingtu/tasks", task_body(creators=[st.code]), format="json")
    assert r.status_code == 201, r.content


def test_xt1_certification_is_for_merchants_only(client_for):
    streamer = make_user("streamer")
    assert client_for(streamer).get(CERT).status_code == 403
