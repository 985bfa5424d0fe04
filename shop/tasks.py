from celery import shared_task

from . import outbox
from .jobs import once_per_period


@shared_task(name="shop.outbox_relay", time_limit=120, soft_time_limit=100, ignore_result=True)
def outbox_relay() -> int:
    """Deliver outbox messages that could not be sent at commit (broker was down)."""
    return outbox.relay()


@shared_task(name="shop.ping", time_limit=30, ignore_result=True)
def ping(marker: str) -> None:
    """Proves a real worker runs tasks: records an AuditLog row with the marker."""
    from .models import AuditLog

    AuditLog.objects.get_or_create(action="celery.ping", object_type="ping", object_id=marker[:64])


@shared_task(name="shop.heartbeat", time_limit=60, ignore_result=True)
def heartbeat() -> str | None:
    """A once-a-minute beat job; its JobRun rows show scheduling works and never doubles a period."""
    return _heartbeat()


def _heartbeat_body() -> str:
    from .models import AuditLog

    AuditLog.objects.create(action="beat.heartbeat", object_type="job", object_id="shop.heartbeat")
    return "ok"


_heartbeat = once_per_period("shop.heartbeat", 60)(_heartbeat_body)
