"""Personal data of xAPI: the learner's pseudonym in statements and the statements queued or sent.

Erasure deletes both here. Statements already delivered stay in the LRS under the pseudonym, which
nothing links to the person any more once the XapiActor row is gone (docs/interoperability.md says
how a school removes them from its LRS).
"""

from __future__ import annotations

from typing import Any

from momentum.xapi.models import OutboxStatement, XapiActor


def export(user: Any) -> dict[str, Any]:
    actor = XapiActor.objects.filter(user=user).first()
    return {
        "xapi_actor_name": str(actor.name) if actor else None,
        "xapi_statements": [
            {"statement": row.statement, "status": row.status, "created_at": row.created_at.isoformat(),
             "sent_at": row.sent_at.isoformat() if row.sent_at else None}
            for row in OutboxStatement.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }  # fmt: skip


def erase(user: Any) -> None:
    OutboxStatement.objects.filter(user=user).delete()
    XapiActor.objects.filter(user=user).delete()
