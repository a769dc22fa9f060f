"""The push channel of notices (accounts.channels): a notice a learner wants pushed goes out through
``do_push``, never inside a request.

From a request (a reply, a mention) the push is queued as the durable workflow
``webpush.push_notice``, so a slow push service costs the request nothing; from a workflow step
already running in a worker (the daily notices) it is pushed right there. ``do_push``'s rules hold
either way: one push a learner's local day, none after ignored pushes.
"""

from __future__ import annotations

from dbos import DBOS

from momentum.accounts.channels import Notice
from momentum.accounts.models import User
from momentum.platform import durable

QUEUE = "pushes"


def send_push(notice: Notice) -> None:
    if DBOS.workflow_id is not None:  # inside a workflow: background already
        push_now(notice.user_id, notice.kind, notice.title, notice.body, notice.url)
        return
    from momentum.webpush import workflows

    workflow_id = f"notice-push-{notice.key}" if notice.key else None
    durable.enqueue(
        workflows.push_notice, notice.user_id, notice.kind, notice.title, notice.body, notice.url,
        queue=QUEUE, workflow_id=workflow_id,
    )  # fmt: skip


def push_now(user_id: int, kind: str, title: str, body: str, url: str) -> bool:
    """Push one notice to its learner's browsers, unless the account is closed. True when it went out."""
    from momentum.webpush.actions import do_push

    user = User.objects.filter(pk=user_id, is_active=True, erased_at__isnull=True).first()
    if user is None:
        return False
    return do_push(user, kind=kind, title=title, body=body, url=url or "/")
