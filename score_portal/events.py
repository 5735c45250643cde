"""Domain events: what the write services announce (created, updated, verified, returned,
deleted) so that a higher app (the webhooks) can act on them without this layer, or the
apps that emit, importing it.

A service calls ``emit(event, instance)`` inside its transaction, after the save (for
``deleted``: before the delete, while the record can still be read). Each registered
handler runs at once, in the same transaction and in a savepoint of its own: what it
writes (an outbox row) commits or rolls back with the change itself, and a handler that
fails is logged and undone without failing the service. Handlers that talk to the world
must do so after the commit (``transaction.on_commit``), never inline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

CREATED, UPDATED, VERIFIED, RETURNED, DELETED = (
    "created",
    "updated",
    "verified",
    "returned",
    "deleted",
)
EVENTS = (CREATED, UPDATED, VERIFIED, RETURNED, DELETED)

Handler = Callable[[str, list], None]
_handlers: list[Handler] = []


def register_handler(handler: Handler) -> Handler:
    """Register ``handler(event, instances)`` (from a higher app's ``AppConfig.ready``)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def emit(event: str, instance) -> None:
    """Announce that ``instance`` was just created / updated / verified / returned, or is
    about to be deleted. Never raises for a handler's failure."""
    emit_many(event, [instance])


def emit_many(event: str, instances: Iterable) -> None:
    """``emit`` for several instances of one model at once (a bulk write): handlers get
    them together, so they can look up their subscribers once."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}")
    instances = [i for i in instances if i is not None]
    if not instances or not _handlers:
        return
    for handler in _handlers:
        try:
            with transaction.atomic():
                handler(event, instances)
        except Exception:  # a subscriber's failure never fails the write that caused it
            logger.exception(
                "event handler %r failed for %s %s", handler, event, type(instances[0]).__name__
            )
