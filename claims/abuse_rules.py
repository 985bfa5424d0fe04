"""Tunable numbers of §6 (global claims), §7 (退货补运费 abuse) and BX-5, with SPEC defaults.

Staff change them in admin (shop.RuleSetting); code reads them through ``shop.rules.setting``.
"""

from __future__ import annotations

from decimal import Decimal

from shop.rules import register

# §6 全球购 and 退货补运费 claim policies.
register("gp.authentic_window_days", 90, rule="GP-2", description="正品保障: days after completion to file.")
register("gp.authentic_multiple", 10, rule="GP-2", description="正品保障: compensation multiple (退一赔十).")
register("rf.freight_cap", Decimal("25.00"), rule="RF/API", description="退货补运费: most paid per claim (CNY).")

# RF-1 signals.
register("rf.window_days", 90, rule="RF-1", description="Window (days) over which claims and orders are counted.")
register("rf.repeat_min_claims", 3, rule="RF-1", description="Repeated claims: at least this many claims…")
register("rf.repeat_min_ratio", Decimal("0.50"), rule="RF-1", description="…and at least this claims/orders ratio.")
register("rf.group_min_claims", 5, rule="RF-1", description="A linked group's claims that count as repeated.")
register(
    "rf.group_max_shared",
    50,
    rule="RF-1",
    description="An identifier shared by more accounts than this (public Wi-Fi device, a campus "
    "address) is too common to link anyone.",
)
# RF-2 score weights (score = sum of the weights of the signals that fired, capped at 100).
register("rf.weight_fake_sender", 25, rule="RF-2", description="Weight: waybill sender is not the buyer.")
register("rf.weight_fake_receiver", 25, rule="RF-2", description="Weight: receiver is not the shop's address.")
register("rf.weight_dup_waybill", 30, rule="RF-2", description="Weight: a tracking number used on several claims.")
register("rf.weight_repeated", 30, rule="RF-2", description="Weight: repeated claims (count and ratio).")
register("rf.weight_group", 20, rule="RF-2", description="Weight: member of a linked group with repeated claims.")
register("rf.weight_fingerprint", 30, rule="RF-2", description="Weight: evidence image reused (BX-5).")
register("rf.review_score", 60, rule="RF-2", description="Scores at or above this are listed for review.")

# BX-5 fingerprints.
register(
    "bx.fingerprint_distance",
    4,
    rule="BX-5",
    description="Largest Hamming distance between perceptual hashes that counts as the same image (0–4).",
)


def ensure() -> None:
    """Importing this module registers the keys; called from AppConfig.ready."""


# Windows the spec leaves open (documented in docs/global_and_abuse.md).
register(
    "gp.local_return_days",
    7,
    rule="GP-3",
    description="本地退货: days after delivery to request a return (spec silent; 7 as 七天无理由).",
)
register(
    "rf.claim_days",
    15,
    rule="RF",
    description="退货补运费: days after delivery to claim the return freight (spec silent).",
)
