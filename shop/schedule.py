from datetime import timedelta

BEAT = {
    "shop.outbox_relay": {
        "task": "shop.outbox_relay",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
    "shop.heartbeat": {
        "task": "shop.heartbeat",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 55},
    },
}
