from celery import shared_task

from .services import webhook_delivery_try


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def deliver_webhook(self, delivery_id):
    """Try a delivery once; when the receiver did not take it, come back after the backoff
    (the row says when: beat queues it again if this message is lost)."""
    wait = webhook_delivery_try(int(delivery_id))
    if wait is not None:
        raise self.retry(countdown=wait)
