from . import demo_abuse, demo_engine


def seed(stdout) -> None:
    demo_engine.seed(stdout)
    demo_abuse.seed(stdout)
