"""BX-5 evidence fingerprints: the perceptual hash (``Upload.phash``, computed at upload) of
every claim evidence image is indexed; an image whose hash is within
``bx.fingerprint_distance`` bits of an image on another claim is recorded as a
``FingerprintMatch`` (flagged to reviewers in admin, and an RF-2 abuse signal).

Candidates come from five indexed bands of the hash (pigeonhole: two hashes at distance ≤ 4
share a band), so a new claim is compared with a handful of rows, never with all of them.
Runs after commit for every claim filed with a 全球购 / 退货补运费 policy, and a beat job
(``claims.fingerprint_scan``) catches every other claim's evidence (e.g. 实在宝).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from shop.notify import notify
from shop.rules import setting

from .models import Claim, ClaimEvidence, EvidenceFingerprint, FingerprintMatch

BANDS = ((51, 13), (38, 13), (25, 13), (12, 13), (0, 12))  # (shift, bits) of the 64-bit hash
MAX_DISTANCE = 4  # what the five bands guarantee to find


def bands(phash: str) -> list[int]:
    value = int(phash, 16)
    return [(value >> shift) & ((1 << bits) - 1) for shift, bits in BANDS]


def distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def _threshold() -> int:
    return max(0, min(MAX_DISTANCE, int(setting("bx.fingerprint_distance"))))


def _valid(phash: str) -> bool:
    if not phash or len(phash) != 16:
        return False
    try:
        int(phash, 16)
    except ValueError:
        return False
    return True


@transaction.atomic
def fingerprint_claim(*, claim_id: int) -> int:
    """Index the claim's evidence hashes and record reuse. Idempotent. Returns new matches."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return 0
    limit = _threshold()
    made = 0
    cross = False
    for ev in ClaimEvidence.objects.filter(claim=claim).select_related("upload"):
        phash = ev.upload.phash
        if not _valid(phash):
            continue
        b = bands(phash)
        fp, _new = EvidenceFingerprint.objects.get_or_create(
            claim=claim,
            upload=ev.upload,
            defaults={"consumer_id": claim.consumer_id, "phash": phash, **{f"c{i}": v for i, v in enumerate(b)}},
        )
        band_q = Q()
        for i, v in enumerate(b):
            band_q |= Q(**{f"c{i}": v})
        for other in EvidenceFingerprint.objects.filter(band_q).exclude(claim_id=claim.pk):
            d = distance(phash, other.phash)
            if d > limit:
                continue
            is_cross = other.consumer_id != claim.consumer_id
            rows = [
                FingerprintMatch(
                    fingerprint=fp,
                    other=other,
                    claim_id=claim.pk,
                    other_claim_id=other.claim_id,
                    distance=d,
                    cross_account=is_cross,
                ),
                FingerprintMatch(
                    fingerprint=other,
                    other=fp,
                    claim_id=other.claim_id,
                    other_claim_id=claim.pk,
                    distance=d,
                    cross_account=is_cross,
                ),
            ]
            before = FingerprintMatch.objects.filter(fingerprint=fp, other=other).exists()
            FingerprintMatch.objects.bulk_create(rows, ignore_conflicts=True)
            if not before:
                made += 1
                cross = cross or is_cross
    if made:
        from .abuse_reports import abuse_reviewers

        notify(
            users=abuse_reviewers(),
            kind="evidence_reused",
            text=(
                _("Claim #%(id)s: an evidence image was already used on another account's claim.")
                if cross
                else _("Claim #%(id)s: an evidence image was already used on another claim.")
            )
            % {"id": claim.pk},
            link=f"/admin/claims/claimwithreusedevidence/{claim.pk}/change/",
            dedupe_key=f"evidence-reused-{claim.pk}",
        )
    return made


def claims_needing_fingerprints(limit: int = 500) -> list[int]:
    """Claims with evidence images not indexed yet (for the beat job)."""
    indexed = EvidenceFingerprint.objects.filter(claim_id=OuterRef("claim_id"), upload_id=OuterRef("upload_id"))
    qs = (
        ClaimEvidence.objects.exclude(upload__phash="")
        .filter(~Exists(indexed))
        .order_by("claim_id")
        .values_list("claim_id", flat=True)
        .distinct()
    )
    return list(qs[:limit])


def claim_has_reused_evidence(claim: Claim) -> bool:
    return FingerprintMatch.objects.filter(claim=claim).exists()


def fingerprint_after_commit(claim: Claim) -> None:
    """Policies call this from ``on_filed``: index the evidence once the claim is committed."""
    from shop.outbox import enqueue

    enqueue("claims.fingerprint_claim", dedupe_key=f"fingerprint:{claim.pk}", claim_id=claim.pk)
