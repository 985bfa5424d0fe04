"""The claim engine, written once for every kind (CONVENTIONS: claims): filing, the one
transition table, decisions, payouts, appeals, SLA. Kind-specific rules come from
``claims.policies``. Services are keyword-only, lock what they change and raise DomainErrors
carrying API.md codes.
"""

from .appeals import appeal_decide, appeal_file
from .decisions import claim_decide, claim_escalate, claim_merchant_respond
from .errors import *  # noqa: F403
from .filing import claim_file, eligibility_checks, hold_account
from .funding import account_fund
from .payout import (
    PaymentPathError,
    gateway_submit,
    payout_execute,
    payout_redirect_to_wallet,
    payout_retry,
    payout_settle,
    payout_start,
    payouts_settle_due,
    payouts_sweep_pending,
)
from .sla import sla_scan
from .transitions import AWAITING_REVIEW, OPEN_STATUSES, TRANSITIONS, claim_transition

__all__ = [
    "AWAITING_REVIEW",
    "OPEN_STATUSES",
    "TRANSITIONS",
    "PaymentPathError",
    "account_fund",
    "appeal_decide",
    "appeal_file",
    "claim_decide",
    "claim_escalate",
    "claim_file",
    "claim_merchant_respond",
    "claim_transition",
    "eligibility_checks",
    "gateway_submit",
    "hold_account",
    "payout_execute",
    "payout_redirect_to_wallet",
    "payout_retry",
    "payout_settle",
    "payout_start",
    "payouts_settle_due",
    "payouts_sweep_pending",
    "sla_scan",
]
