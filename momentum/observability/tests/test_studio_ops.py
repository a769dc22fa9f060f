"""/studio/ops: what an operator sees and the buttons they press."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from momentum.recovery import service
from momentum.recovery.models import BackupRun, OperationKind


@pytest.mark.django_db
def test_the_operations_page_shows_health_alarms_backups_and_spend(
    client: Any, admin: Any, backup_target: Path
) -> None:
    service.create_backup()
    client.force_login(admin)

    page = client.get(reverse("observability:studio_ops")).content.decode()

    for heading in ("Components", "Traffic", "Alarms", "Backups and restore drills", "AI spend", "Providers"):
        assert heading in page
    assert "since the last good backup" in page
    assert "$0.00</strong> of $20.00 today" in page


@pytest.mark.django_db
def test_the_operations_page_says_when_serve_is_restarting_the_worker(
    client: Any, admin: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    state = tmp_path / "serve-1.json"
    worker = {"kind": "worker", "state": "restarting", "pid": None, "since": 0, "last_exit": -9}
    state.write_text(json.dumps({"pid": 1, "children": {"worker": worker}, "restarts": {"worker": [0]}}))
    monkeypatch.setenv("MOMENTUM_SUPERVISOR_STATE", str(state))
    client.force_login(admin)

    page = client.get(reverse("observability:studio_ops")).content.decode()

    assert "no workflow worker runs: work waits in the queue until it is back" in page


@pytest.mark.django_db
def test_the_operations_page_is_for_admins_only(client: Any, learner: Any) -> None:
    client.force_login(learner)
    assert client.get(reverse("observability:studio_ops")).status_code == 403
    client.logout()
    assert client.get(reverse("observability:studio_ops")).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_back_up_now_queues_a_backup(
    client: Any, admin: Any, backup_target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[Any, ...]] = []

    def enqueue(*args: Any, **options: Any) -> str:
        queued.append(args)
        return "id"

    monkeypatch.setattr("momentum.platform.durable.enqueue", enqueue)
    client.force_login(admin)

    response = client.post(reverse("observability:studio_ops_backup"), follow=True)

    run = BackupRun.objects.get()
    assert run.kind == OperationKind.BACKUP
    assert f"Backup #{run.pk} is queued" in response.content.decode()
    assert queued[0][1] == run.pk


@pytest.mark.django_db
def test_evaluate_now_records_every_alarm(client: Any, admin: Any) -> None:
    client.force_login(admin)

    response = client.post(reverse("observability:studio_ops_evaluate"), follow=True)

    assert "Alarms evaluated" in response.content.decode()
    assert "MomentumBackupTooOld" in response.content.decode()


def signed_in_cookie(user: Any, live_server: Any) -> dict[str, str]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("backup_target")
def test_the_operations_page_reads_well_on_a_desk_and_a_phone(
    admin: Any, live_server: Any, chromium: Any, screenshot: Any
) -> None:
    from momentum.observability import alarms
    from momentum.recovery import restore as recovery

    service.create_backup()
    recovery.run_drill()
    alarms.evaluate()
    cookie = signed_in_cookie(admin, live_server)
    errors: list[str] = []
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.add_cookies([cookie])
    tab = context.new_page()
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto("/studio/ops/")

    heading = tab.locator("h1").inner_text()
    button_visible = tab.get_by_role("button", name="Back up now").is_visible()
    screenshot(tab, "ops-1280")
    tab.set_viewport_size({"width": 375, "height": 800})
    screenshot(tab, "ops-375")
    width = tab.evaluate("document.documentElement.scrollWidth")

    assert heading == "Operations"
    assert button_visible
    assert width <= 375
    assert errors == []
