from .tasks_szb import *  # noqa: F403
from .tasks_trust import *  # noqa: F403
