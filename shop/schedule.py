from datetime import timedelta

BEAT = {
    "shop.outbox_relay": {
        "task": "shop.outbox_relay",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
}
