"""实在宝 enrolment and kick-out rules take part in shop's writes through shop.hooks."""


def register() -> None:
    from shop import hooks

    from . import kick, shizaibao  # noqa: F401  (registers the rule settings)

    if shizaibao.set_order_coverage not in hooks.order_flags:
        hooks.order_flags.append(shizaibao.set_order_coverage)  # SZB-4/5/15 at intake
    if shizaibao.szb_import not in hooks.streamer_extras:
        hooks.streamer_extras.append(shizaibao.szb_import)  # SZB-3 import with original times
