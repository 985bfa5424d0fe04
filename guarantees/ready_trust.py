"""Registers 信任购 / 权益中心 functions on shop's explicit extension points (AppConfig.ready)."""


def register() -> None:
    from shop import hooks

    from . import sale_state, services
    from .selectors import gp1_blocks

    if services.on_facts_changed not in hooks.facts_changed:
        hooks.facts_changed.append(services.on_facts_changed)
    if services.order_trust_flag not in hooks.order_flags:
        hooks.order_flags.append(services.order_trust_flag)
    if gp1_blocks not in sale_state.sale_block_providers:
        sale_state.sale_block_providers.append(gp1_blocks)
