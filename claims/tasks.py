from .tasks_abuse import *  # noqa: F403
from .tasks_engine import *  # noqa: F403
