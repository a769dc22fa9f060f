"""Where a notice goes besides the in-app list: a small registry of delivery channels.

``do_notify`` writes the in-app row itself and hands the notice to the sender registered for each
other channel the person wants for that kind (``NotificationPreference``, else ``DEFAULT_CHANNELS``).
Email is registered here (``notification_mail``); an app that can push registers its sender at ready:

    from momentum.accounts.channels import register_channel
    register_channel("push", send_push)   # send_push(notice: Notice) -> None

With no sender registered for a channel, nothing is sent on it. Senders are called after the
notice's transaction commits and must not block: queue the work (a durable workflow) when called
from a request. A sender's failure is logged and never undoes the notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from momentum.lib.logs import get_logger

log = get_logger("momentum.accounts.channels")


@dataclass(frozen=True)
class Notice:
    """One notice to deliver: who, what kind, what it says, and its in-app row when there is one."""

    user_id: int
    kind: str
    title: str
    body: str
    url: str
    notification_id: int | None
    created_at: datetime | None = None  # the in-app row's, when there is one

    @property
    def key(self) -> str | None:
        """A name for this notice's deliveries (a workflow ID), or None without an in-app row: the
        row's ID and its time (an ID alone may come back after a rolled-back transaction)."""
        if self.notification_id is None or self.created_at is None:
            return None
        return f"{self.notification_id}-{self.created_at:%Y%m%d%H%M%S%f}"


Sender = Callable[[Notice], None]

_senders: dict[str, Sender] = {}


def register_channel(name: str, sender: Sender) -> None:
    """Deliver ``name`` notices (``"email"``, ``"push"``) with ``sender``; a second call replaces the first."""
    _senders[name] = sender


def unregister_channel(name: str) -> None:
    _senders.pop(name, None)


def sender(name: str) -> Sender | None:
    return _senders.get(name)


def deliver(channel: str, notice: Notice) -> bool:
    """Send ``notice`` on ``channel``; False when no sender is registered or the sender failed."""
    send = _senders.get(channel)
    if send is None:
        return False
    try:
        send(notice)
    except Exception as error:  # a channel's failure (a push service, a mail queue) never undoes the notice
        log.error("notice_not_delivered", channel=channel, kind=notice.kind, error=f"{type(error).__name__}: {error}")
        return False
    return True


def send_in_background(notice: Notice, *, now: Callable[..., Any], workflow: Any, queue: str, name: str) -> None:
    """Deliver ``notice`` off the request: inside a workflow step (background already) call ``now``
    there; from a request, queue ``workflow`` on ``queue``, named ``<name>-<notice key>`` so a
    notice is delivered once. Both get (user_id, kind, title, body, url)."""
    from dbos import DBOS

    from momentum.platform import durable

    fields = (notice.user_id, notice.kind, notice.title, notice.body, notice.url)
    if DBOS.workflow_id is not None:
        now(*fields)
        return
    workflow_id = f"{name}-{notice.key}" if notice.key else None
    durable.enqueue(workflow, *fields, queue=queue, workflow_id=workflow_id)
