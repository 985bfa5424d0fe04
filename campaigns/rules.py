"""SPEC §10 numbers (XT-1…XT-3) with their defaults, tunable in admin (shop.rules), and the
domain errors of the 巨量星图 API."""

from django.utils.translation import gettext_lazy as _

from shop.errors import domain_error
from shop.rules import register, setting

# XT-1 certification.
register("xingtu.agreement_version", "2024.1", rule="XT-1", description="Current 巨量星图 platform agreement version.")
register(
    "xingtu.bank_check_max_attempts",
    3,
    rule="XT-1",
    description="Wrong amounts an advertiser may enter before the bank transfer check locks for review.",
)
# XT-3 rejection limits.
register("xingtu.max_script_rejections", 3, rule="XT-3", description="Script rejections a client may make per order.")
register("xingtu.max_video_rejections", 2, rule="XT-3", description="Video rejections a client may make per order.")
register("xingtu.max_creators_per_task", 50, rule="XT-2", description="Creators one task may hire.")
register("xingtu.max_schedule_days", 30, rule="XT-3", description="How far ahead a video may be scheduled (days).")
# BX-3 deadlines for each step of XT-3 (hours from entering the step).
STEP_HOURS = {
    "pending_acceptance": 72,
    "awaiting_script": 120,
    "script_review": 72,
    "awaiting_video": 168,
    "video_platform_review": 48,
    "video_client_review": 72,
    "awaiting_publish": 168,
    "published": 72,
}
for _status, _hours in STEP_HOURS.items():
    register(
        f"xingtu.deadline_hours.{_status}",
        _hours,
        rule="BX-3",
        description=f"Hours the acting party has in XT-3 step '{_status}'.",
    )
register("xingtu.remind_before_hours", 24, rule="BX-3", description="Remind the acting party this many hours before.")


def deadline_hours(status: str) -> int | None:
    key = f"xingtu.deadline_hours.{status}"
    return setting(key) if status in STEP_HOURS else None


CertificationIncomplete = domain_error(
    "certification_incomplete", 403, _("Finish the advertiser certification before publishing tasks.")
)
AgreementRequired = domain_error("agreement_required", 400, _("Tick the box to accept the platform agreement."))
AgreementOutdated = domain_error(
    "agreement_outdated", 400, _("This agreement version is no longer current; read the current one.")
)
AmountMismatch = domain_error("amount_mismatch", 400, _("The amount does not match the transfer."))
BankCheckLocked = domain_error(
    "bank_check_locked",
    409,
    _("Too many wrong amounts: the bank transfer check is locked until the platform reviews it."),
)
TooManyRejections = domain_error("too_many_rejections", 409, _("No rejections are left for this order."))
VideoUnderReview = domain_error(
    "video_under_review", 409, _("The video is still under platform review; it can be confirmed once approved.")
)
AlreadyRated = domain_error("already_rated", 409, _("This task has already been rated."))
CreatorUnavailable = domain_error("creator_unavailable", 400, _("This creator does not take tasks."))
SelectionEmpty = domain_error("selection_empty", 400, _("Pick at least one creator."))
