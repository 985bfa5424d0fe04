"""Celery tasks of the claim engine: a few lines each, taking primary keys, safe to run twice."""

from celery import shared_task

__all__ = ["payout_execute", "payouts_settle_due", "payouts_sweep_pending", "sla_scan"]


@shared_task(
    name="claims.payout_execute",
    time_limit=60,
    soft_time_limit=50,
    ignore_result=True,
    autoretry_for=(ConnectionError,),
    max_retries=5,
    retry_backoff=True,
)
def payout_execute(payout_id: int) -> None:
    """SZB-13: move the money of one pending payout (exactly once, keyed by the claim)."""
    from .engine import payout_execute as run

    run(payout_id=payout_id)


@shared_task(name="claims.payouts_settle_due", time_limit=300, soft_time_limit=280, ignore_result=True)
def payouts_settle_due() -> int:
    """SZB-13: settle original-path refunds whose working days have passed."""
    from .engine import payouts_settle_due as run

    return run()


@shared_task(name="claims.payouts_sweep_pending", time_limit=300, soft_time_limit=280, ignore_result=True)
def payouts_sweep_pending() -> int:
    """BX-6: pick up pending payouts whose execution message was lost."""
    from .engine import payouts_sweep_pending as run

    return run()


@shared_task(name="claims.sla_scan", time_limit=300, soft_time_limit=280, ignore_result=True)
def sla_scan() -> dict:
    """SZB-10 / BX-3: escalate past 48 h, flag past 72 h, merchant timeouts, reminders."""
    from .engine import sla_scan as run

    return run()
