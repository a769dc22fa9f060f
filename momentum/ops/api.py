"""Operations endpoints of the API: backups, drills and alarms (backups_api.py), on this router."""

from ninja import Router

router = Router(tags=["operations"])

from momentum.ops import backups_api  # noqa: E402, F401  (register their operations)
