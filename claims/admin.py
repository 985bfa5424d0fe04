from . import admin_abuse, admin_engine  # noqa: F401  (registration side effects)
