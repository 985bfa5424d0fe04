"""guarantees models, one module per capability (owned by different engineers):
trust.py — service catalogue, toggles, opt-outs, 信任购, return addresses (TP, GP-1, GP-3);
shizaibao.py — 实在宝 enrolment (SZB-1/2/3/18); kick.py — kick-out log (KG)."""

from .kick import *  # noqa: F403
from .shizaibao import *  # noqa: F403
from .trust import *  # noqa: F403
