"""Personal data of the generation app: the jobs an admin started (GDPR export).

Jobs are business records (their cost is accounted): erasure keeps them, attached to the
anonymised account, so there is nothing to erase here.
"""

from __future__ import annotations

from typing import Any

from momentum.generation.models import GenerationJob


def export(user: Any) -> dict[str, Any]:
    jobs = GenerationJob.objects.filter(created_by=user).order_by("created_at")
    return {
        "generation_jobs": [
            {
                "id": str(j.id),
                "topic": j.topic,
                "status": j.status,
                "duration_days": j.duration_days,
                "cost_usd": str(j.cost_usd),
                "created_at": j.created_at.isoformat(),
            }
            for j in jobs
        ]
    }
