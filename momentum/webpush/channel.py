"""The push channel of notices (accounts.channels): a notice a learner wants pushed goes out through
``do_push``, never inside a request.

From a request (a reply, a mention) the push is queued as the durable workflow
``webpush.push_notice``, so a slow push service costs the request nothing; from a workflow step
already running in a worker (the daily notices) it is pushed right there. ``do_push``'s rules hold
either way: one push a learner's local day, none after ignored pushes.
"""

from __future__ import annotations

from momentum.accounts.channels import Notice, send_in_background
from momentum.accounts.queries import reachable_user

QUEUE = "pushes"


def send_push(notice: Notice) -> None:
    from momentum.webpush import workflows

    send_in_background(notice, now=push_now, workflow=workflows.push_notice, queue=QUEUE, name="notice-push")


def push_now(user_id: int, kind: str, title: str, body: str, url: str) -> bool:
    """Push one notice to its learner's browsers, unless the account is closed. True when it went out."""
    from momentum.webpush.actions import do_push

    user = reachable_user(user_id)
    if user is None:
        return False
    return do_push(user, kind=kind, title=title, body=body, url=url or "/")
