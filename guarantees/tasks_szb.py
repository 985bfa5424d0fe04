"""Beat jobs of 实在宝 enrolment: SZB-2 automatic invitations, SZB-18 daily re-check.

Each is safe to run twice and to overlap: every enrolment change locks its row and checks
the current state first (an invited streamer is not invited again; a suspended one is not
suspended again).
"""

from celery import shared_task

from . import shizaibao

__all__ = ["szb_auto_invite", "szb_recheck_eligibility"]


@shared_task(name="guarantees.szb_auto_invite", time_limit=1800, soft_time_limit=1700, ignore_result=True)
def szb_auto_invite() -> int:
    """SZB-2: invite every eligible streamer not yet invited (setting szb.auto_invite)."""
    return shizaibao.szb_invite_eligible_all()


@shared_task(name="guarantees.szb_recheck_eligibility", time_limit=1800, soft_time_limit=1700, ignore_result=True)
def szb_recheck_eligibility() -> dict:
    """SZB-18: suspend open enrolments that no longer meet SZB-1; reinstate those that do again."""
    return shizaibao.szb_recheck_all()
