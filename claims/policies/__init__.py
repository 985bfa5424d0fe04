"""One small policy module per claim kind (CONVENTIONS: claims). The engine looks policies up
in REGISTRY by kind; a kind registers itself by importing its module here."""

REGISTRY: dict = {}
