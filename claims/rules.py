"""The claim engine's tunable numbers with their SPEC defaults (shop.rules registry; staff edit
them as RuleSetting rows in admin). Read through ``shop.rules.setting(key)``."""

from decimal import Decimal

from shop.rules import register

# SZB-6: a 实在宝 claim may be filed until N×24 h after the merchant clicked "shipped".
register("claims.szb.window_days", 30, rule="SZB-6", description="实在宝 claim window after shipping (days).")
# SZB-8: the compensable false-advertising types (section 10's narrow default set).
register(
    "claims.szb.compensable_types",
    ["material", "brand", "quantity", "origin", "ingredients"],
    rule="SZB-8",
    description="实在宝 claim types the platform compensates.",
)
# SZB-12: amount = min(paid × ratio, paid, cap).
register("claims.szb.ratio", Decimal("1.00"), rule="SZB-12", description="实在宝 payout ratio of the paid amount.")
register("claims.szb.cap", Decimal("1000.00"), rule="SZB-12", description="实在宝 payout cap (CNY).")
# SZB-9: 1–9 images.
register("claims.szb.min_images", 1, rule="SZB-9", description="Fewest evidence images for a 实在宝 claim.")
register("claims.szb.max_images", 9, rule="SZB-9", description="Most evidence images for a claim.")
# SZB-10: review within 48 h, consumer told within 72 h.
register("claims.review_hours", 48, rule="SZB-10", description="Hours to decide a claim under platform review.")
register("claims.inform_hours", 72, rule="SZB-10", description="Hours within which the consumer learns the result.")
# SZB-17: appeal within 7 days of the decision.
register("claims.appeal_days", 7, rule="SZB-17", description="Days the streamer may appeal an upheld claim.")
# SZB-13: original payment path settles within 1–3 working days.
register(
    "claims.payout.settle_working_days",
    1,
    rule="SZB-13",
    description="Chinese working days after which an original-path payout settles (1–3).",
)
# BX-3 (spec silent on the merchant's answer time): hours the merchant has to answer.
register("claims.merchant_answer_hours", 48, rule="BX-3", description="Hours the merchant has to answer a claim.")
# BX-3: remind the party this many hours before a deadline passes.
register("claims.reminder_hours", 12, rule="BX-3", description="Hours before a deadline that reminders go out.")
# BX-6: a payout still pending this long after upholding is picked up again by the sweeper.
register("claims.payout.sweep_minutes", 10, rule="BX-6", description="Minutes before a pending payout is retried.")
