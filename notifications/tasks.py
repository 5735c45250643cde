"""The worker's side of reminders: beat evaluates the rules every hour and queues one task
per reminder to mail; each task claims its row, so a duplicate message does nothing."""

from celery import shared_task
from django.db import transaction

from . import services


@shared_task(acks_late=True)
def evaluate_reminders() -> int:
    ids = services.reminders_evaluate()
    transaction.on_commit(lambda: [send_notification.delay(pk) for pk in ids])
    return len(ids)


@shared_task(bind=True, acks_late=True, max_retries=5)
def send_notification(self, notification_id: int) -> str:
    try:
        return services.notification_deliver(notification_id=notification_id)
    except Exception as exc:
        # the row is back to "pending" with its next attempt time: retry then (beat would too)
        raise self.retry(exc=exc, countdown=60 * (2**self.request.retries)) from exc
