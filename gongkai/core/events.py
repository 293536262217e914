"""Durable domain events: an act writes its event to the outbox in its own transaction; the job
runner delivers it to every subscriber after commit, once per (event, subscriber).

    events.emit("inforequests.reply.approved", application, actor=actor)   # inside the act

    @events.subscribe("inforequests.reply.approved")                        # in an app's ready()
    def send_reply(event: OutboxEvent) -> None: ...

The delivery job is written with the event (same transaction), so a crash after commit loses no
notification: the sweep (core/jobs.py) sends a delivery job that never reached the queue. A failing
subscriber is retried with back-off and shown on the workbench jobs page; it holds up no other.
Handlers must bear being called again after a crash in the middle of one (at-least-once): what
they did is recorded by their own transaction, and they check it first.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy

from gongkai.core import clock
from gongkai.core.jobs import job
from gongkai.core.models import DeliveryState, OutboxDelivery, OutboxEvent

if TYPE_CHECKING:
    from gongkai.accounts.models import User

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]


@dataclass(frozen=True)
class Subscriber:
    pattern: str
    key: str  # the handler's dotted path: the delivery row names it
    handler: Handler

    def matches(self, code: str) -> bool:
        if self.pattern == "*":
            return True
        if self.pattern.endswith(".*"):
            return code.startswith(self.pattern[:-1])
        return code == self.pattern


SUBSCRIBERS: list[Subscriber] = []


def subscribe(pattern: str) -> Callable[[Handler], Handler]:
    """Register `handler(event)` for a code (`inforequests.reply.approved`) or prefix (`catalog.record.*`)."""

    def register(handler: Handler) -> Handler:
        key = f"{handler.__module__}.{handler.__qualname__}"
        if not any(s.key == key and s.pattern == pattern for s in SUBSCRIBERS):
            SUBSCRIBERS.append(Subscriber(pattern, key, handler))
        return handler

    return register


def subscribers_for(code: str) -> list[Subscriber]:
    seen: dict[str, Subscriber] = {}
    for subscriber in SUBSCRIBERS:
        if subscriber.matches(code):
            seen.setdefault(subscriber.key, subscriber)
    return list(seen.values())


def emit(
    code: str,
    obj: models.Model | None,
    *,
    payload: dict[str, Any] | None = None,
    actor: User | None = None,
) -> OutboxEvent:
    """Write the event `code` about `obj` in the caller's transaction; it is delivered after commit."""
    event = OutboxEvent.objects.create(
        code=code,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        payload=payload or {},
        actor=actor,
        created_at=clock.now(),
    )
    if subscribers_for(code):
        event.job = deliver_event.enqueue(event=event.pk, started_by=actor)
        event.save(update_fields=["job"])
    return event


class DeliveryFailed(Exception):
    """Some subscribers failed; the delivery job is retried for them alone."""


@job(
    name="core.events.deliver",
    label=gettext_lazy("投递领域事件"),
    retries=5,
    retry_delay=60,
    atomic=False,
    lease=dt.timedelta(minutes=15),
)
def deliver_event(*, event: int) -> None:
    """Run each subscriber of the event not yet delivered; a failure holds up none of the others."""
    outbox_event = OutboxEvent.objects.select_related("actor").get(pk=event)
    failed: list[str] = []
    for subscriber in subscribers_for(outbox_event.code):
        delivery = _delivery_row(outbox_event, subscriber.key)
        if delivery.state == DeliveryState.DONE:
            continue
        try:
            subscriber.handler(outbox_event)
        except Exception as exc:
            OutboxDelivery.objects.filter(pk=delivery.pk).update(
                state=DeliveryState.FAILED,
                attempts=F("attempts") + 1,
                last_error=f"{type(exc).__name__}: {exc}"[:4000],
            )
            logger.warning(
                "events: %s #%s to %s failed (%s)",
                outbox_event.code,
                event,
                subscriber.key,
                type(exc).__name__,
            )
            failed.append(".".join(subscriber.key.rsplit(".", 2)[-2:]))
            continue
        OutboxDelivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.DONE, attempts=F("attempts") + 1, last_error="", delivered_at=clock.now()
        )
    if failed:
        raise DeliveryFailed(", ".join(failed))


def _delivery_row(event: OutboxEvent, key: str) -> OutboxDelivery:
    # The unique (event, subscriber) constraint settles a race between two workers: one row.
    try:
        with transaction.atomic():
            delivery, _ = OutboxDelivery.objects.get_or_create(event=event, subscriber=key)
    except IntegrityError:
        delivery = OutboxDelivery.objects.get(event=event, subscriber=key)
    return delivery
