"""Operations endpoints of the API: alarms."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from momentum.accounts.policy import Access, api_access
from momentum.observability import queries
from momentum.observability.schemas import AlarmList

router = Router(tags=["operations"])


@router.get("/admin/alarms", response=AlarmList, auth=api_access(Access.ADMIN), summary="In-app alarm states",
            operation_id="momentum_ops_backups_api_list_alarms")  # the id it had before ops was split  # fmt: skip
def list_alarms(request: HttpRequest) -> dict[str, object]:
    return {"items": queries.alarm_states()}
