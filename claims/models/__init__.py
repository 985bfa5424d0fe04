"""claims models: claim.py (engine, appeals, violations), ledger.py (double-entry ledger,
holds, payouts) — issue 4; abuse.py (RF signals, groups, reports, fingerprints) — issue 6."""

from .abuse import *  # noqa: F403
from .claim import *  # noqa: F403
from .ledger import *  # noqa: F403
