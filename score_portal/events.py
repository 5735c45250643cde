"""Domain events: what the write services announce (created, updated, verified, returned,
deleted) so that a higher app (the webhooks) can act on them without this layer, or the
apps that emit, importing it.

A service calls ``emit(event, instance)`` inside its transaction, after the save (for
``deleted``: before the delete, while the record can still be read). Each registered
handler runs at once, in the same transaction and in a savepoint of its own: what it
writes (an outbox row) commits or rolls back with the change itself, and a handler that
fails is logged and undone without failing the service. Handlers that talk to the world
must do so after the commit (``transaction.on_commit``), never inline.

A bulk write announces its rows with one ``emit_many`` per model and event, so a handler
looks up its subscribers once however many rows there are. A service that writes row by
row through other services (an attendance-sheet import) wraps the loop in ``batched()``:
the events are then handed over together when the block ends, still in the transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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
# (event, model) -> {pk: instance}, while a ``batched()`` block runs
_pending: ContextVar[dict | None] = ContextVar("score_portal_events_pending", default=None)


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
    pending = _pending.get()
    if pending is not None:
        if event != DELETED:
            for instance in instances:
                key = instance.pk if instance.pk is not None else id(instance)
                # a record announced twice with one event in a block: once, as it is last
                pending.setdefault((event, type(instance)), {})[key] = instance
            return
        _flush(pending)  # what came before, first: the order is kept
    _dispatch(event, instances)


@contextmanager
def batched() -> Iterator[None]:
    """Collect the events announced inside the block and hand them to the handlers when it
    ends, one call per event and model (in the order first announced): a loop over
    single-row services then costs the handlers a fixed number of queries. ``deleted`` is
    not held back (the record must still be readable then): the block's events so far go
    first. A block left by an exception hands over nothing.

    A nested block hands its events to the enclosing one when it ends, and drops them when
    it is left by an exception: pair it with the savepoint whose failure the caller catches
    (``with transaction.atomic(), events.batched():``), so the events of a rolled-back row
    go with it."""
    parent = _pending.get()
    pending: dict = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    if parent is None:
        _flush(pending)
        return
    for key, by_key in pending.items():
        parent.setdefault(key, {}).update(by_key)


def _flush(pending: dict) -> None:
    items = list(pending.items())
    pending.clear()
    for (event, _model), by_key in items:
        _dispatch(event, list(by_key.values()))


def _dispatch(event: str, instances: list) -> None:
    for handler in _handlers:
        try:
            with transaction.atomic():
                handler(event, instances)
        except Exception:  # a subscriber's failure never fails the write that caused it
            logger.exception(
                "event handler %r failed for %s %s", handler, event, type(instances[0]).__name__
            )
