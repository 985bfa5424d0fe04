from . import demo_szb, demo_trust


def seed(stdout) -> None:
    demo_trust.seed(stdout)
    demo_szb.seed(stdout)
