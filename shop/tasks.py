from celery import shared_task

from . import outbox


@shared_task(name="shop.outbox_relay", time_limit=120, soft_time_limit=100, ignore_result=True)
def outbox_relay() -> int:
    """Deliver outbox messages that could not be sent at commit (broker was down)."""
    return outbox.relay()


@shared_task(name="shop.ping", time_limit=30, ignore_result=True)
def ping(marker: str) -> None:
    """Proves a real worker runs tasks: records an AuditLog row with the marker."""
    from .models import AuditLog

    AuditLog.objects.get_or_create(action="celery.ping", object_type="ping", object_id=marker[:64])
