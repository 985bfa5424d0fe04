from .schedule_abuse import BEAT as ABUSE_BEAT
from .schedule_engine import BEAT as ENGINE_BEAT

BEAT = {**ENGINE_BEAT, **ABUSE_BEAT}
