from . import admin_szb, admin_trust  # noqa: F401  (registration side effects)
