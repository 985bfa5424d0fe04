from .schedule_szb import BEAT as SZB_BEAT
from .schedule_trust import BEAT as TRUST_BEAT

BEAT = {**TRUST_BEAT, **SZB_BEAT}
