"""What `needs` announces to the apps above it. ADR 0011 forbids needs to import them, yet some
of what happens to a need is their business (a 不满意 is supervision's callback, §7.1): needs
names the event here and calls whoever subscribed; each subscribing app subscribes in its
AppConfig.ready(), so the dependency points upwards from the subscriber, never from needs.

Subscribers run at once, in the caller's transaction, in the order they subscribed: what they
write commits or rolls back with the event (the callback exists exactly when its evaluation
does, and the tests pin that). A subscriber that must wait for the commit — a message, a queued
task — wraps its own work in `transaction.on_commit`. An exception in a subscriber is the
caller's exception: the event is not recorded half-way."""

from collections.abc import Callable
from typing import Generic, TypeVar

from hqzt.needs.models import Evaluation

Payload = TypeVar("Payload")


class Hook(Generic[Payload]):
    """One named event and its subscribers."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers: list[Callable[[Payload], object]] = []

    def subscribe(self, subscriber: Callable[[Payload], object]) -> None:
        # Once only: ready() may run again (tests that reload apps) without doubling the work.
        if subscriber not in self._subscribers:
            self._subscribers.append(subscriber)

    def announce(self, payload: Payload) -> None:
        for subscriber in self._subscribers:
            subscriber(payload)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._subscribers)} subscribers>"


# An evaluation was recorded (§6.5.1), by staff, the enterprise's link or the API. supervision
# queues every 不满意 for a callback (§7.1).
evaluation_recorded: Hook[Evaluation] = Hook("evaluation_recorded")
