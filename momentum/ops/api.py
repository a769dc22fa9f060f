"""Operations endpoints of the API. Audit-log operations live in audit_api.py, backups, drills
and alarms in backups_api.py, all on this router."""

from ninja import Router

router = Router(tags=["operations"])

from momentum.ops import audit_api, backups_api  # noqa: E402, F401  (register their operations)
