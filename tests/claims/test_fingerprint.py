"""BX-5 evidence fingerprints: reuse across claims / accounts is flagged and feeds RF-2."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.fingerprints import MAX_DISTANCE, bands, claims_needing_fingerprints, distance, fingerprint_claim
from claims.models import ClaimEvidence, EvidenceFingerprint, FingerprintMatch
from shop.models import Notification
from tests.claims.test_global_support import at, consumer_user, file, global_shop, order_for, upload
from tests.shop.factories import ConsumerFactory

_detail_seeds = itertools.count(5000)
DELIVERED = at("2026-05-10T10:00:00+08:00")


def _damage_claim(consumer=None, *, seed=1, noise=0, capture=None):
    order = order_for(
        global_shop(), consumer=consumer, shipped_at=DELIVERED - timedelta(days=1), delivered_at=DELIVERED
    )
    user = consumer_user(order.consumer)
    ev = [(upload(user, seed, noise=noise), "waybill_photo"), (upload(user, next(_detail_seeds)), "damage_detail")]
    with time_machine.travel(DELIVERED + timedelta(hours=1), tick=False):
        if capture is not None:
            with capture(execute=True):
                return file(order, kind="damage", evidence=ev, user=user)
        return file(order, kind="damage", evidence=ev, user=user)


@pytest.mark.django_db
def test_bx5_image_reused_by_another_account_is_flagged_at_filing(django_capture_on_commit_callbacks, reviewer):
    first = _damage_claim(seed=11, capture=django_capture_on_commit_callbacks)
    second = _damage_claim(seed=11, noise=4, capture=django_capture_on_commit_callbacks)
    assert EvidenceFingerprint.objects.filter(claim=first).count() == 2
    match = FingerprintMatch.objects.get(claim=second)
    assert match.other_claim_id == first.pk
    assert match.cross_account is True
    assert match.distance <= 4
    assert FingerprintMatch.objects.filter(claim=first, other_claim=second).exists()  # both directions
    assert Notification.objects.filter(user=reviewer, kind="evidence_reused").exists()


@pytest.mark.django_db
def test_bx5_image_reused_by_the_same_account_is_flagged_not_cross_account(django_capture_on_commit_callbacks):
    consumer = ConsumerFactory()
    _damage_claim(consumer, seed=21, capture=django_capture_on_commit_callbacks)
    second = _damage_claim(consumer, seed=21, capture=django_capture_on_commit_callbacks)
    assert FingerprintMatch.objects.get(claim=second).cross_account is False


@pytest.mark.django_db
def test_bx5_different_images_are_not_flagged(django_capture_on_commit_callbacks):
    _damage_claim(seed=31, capture=django_capture_on_commit_callbacks)
    _damage_claim(seed=32, capture=django_capture_on_commit_callbacks)
    assert not FingerprintMatch.objects.exists()


@pytest.mark.django_db
def test_bx5_threshold_zero_only_flags_identical_hashes(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from shop.models import RuleSetting

    cache.clear()
    RuleSetting.objects.create(key="bx.fingerprint_distance", value=0)
    a = _damage_claim(seed=41)
    b = _damage_claim(seed=41)
    pa = a.evidence.get(kind="waybill_photo").upload.phash
    pb = b.evidence.get(kind="waybill_photo").upload.phash
    fingerprint_claim(claim_id=a.pk)
    fingerprint_claim(claim_id=b.pk)
    assert FingerprintMatch.objects.filter(claim=b).exists() == (pa == pb)
    cache.clear()


@pytest.mark.django_db
def test_bx5_beat_scan_fingerprints_claims_of_every_kind_once():
    claim = _damage_claim(seed=51)  # on-commit callbacks not run: nothing indexed yet
    assert claim.pk in claims_needing_fingerprints()
    from claims.tasks_abuse import fingerprint_scan

    fingerprint_scan.apply()
    assert claim.pk not in claims_needing_fingerprints()
    n = EvidenceFingerprint.objects.count()
    fingerprint_claim(claim_id=claim.pk)  # idempotent
    assert EvidenceFingerprint.objects.count() == n


@pytest.mark.django_db
def test_bx5_evidence_without_hash_is_skipped():
    claim = _damage_claim(seed=61)
    ev = ClaimEvidence.objects.filter(claim=claim).first()
    ev.upload.phash = ""
    ev.upload.save(update_fields=["phash"])
    fingerprint_claim(claim_id=claim.pk)
    assert EvidenceFingerprint.objects.filter(claim=claim).count() == 1


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=2**64 - 1), st.sets(st.integers(0, 63), max_size=MAX_DISTANCE))
def test_bx5_hashes_within_the_max_distance_always_share_a_band(value, flips):
    other = value
    for bit in flips:
        other ^= 1 << bit
    a, b = f"{value:016x}", f"{other:016x}"
    assert distance(a, b) == len(flips)
    assert any(x == y for x, y in zip(bands(a), bands(b), strict=True))
