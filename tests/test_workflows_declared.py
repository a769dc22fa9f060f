"""Every workflow is declared with ``durable.workflow`` (counted and timed, so the workflow-failure
alarm sees it) and lives in an app's ``workflows`` module, which the worker finds by itself."""

from __future__ import annotations

import ast
from pathlib import Path

from dbos._dbos import _get_or_create_dbos_registry

from momentum.platform import durable
from tests.python_sources import parse

PACKAGE = Path(durable.__file__).parent

# The names DBOS records with each workflow: a pending workflow resumes only under the same name.
KNOWN_WORKFLOWS = {
    "lti.send_score",
    "accounts.nightly_cleanup",
    "analytics.scheduled_roll_up",
    "analytics.roll_up_now",
    "billing.plan_housekeeping",
    "learning.daily_reminders",
    "ops.archive_audit_logs",
    "ops.hourly_housekeeping",
    "ops.evaluate_alarms",
    "generation.generate_course",
    "webpush.push_reminders",
    "webpush.retry_deliveries",
    "xapi.send_statements",
}


def bare_dbos_workflows(path: Path) -> list[int]:
    tree = parse(path)
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in ("workflow", "scheduled")
        and isinstance(node.value, ast.Name)
        and node.value.id == "DBOS"
    ]


def test_no_module_declares_a_workflow_with_bare_dbos_workflow() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "durable.py"
        for line in bare_dbos_workflows(path)
    ]
    assert offenders == [], f"use @durable.workflow(name) instead of DBOS.workflow: {offenders}"


def test_the_check_finds_a_bare_dbos_workflow(tmp_path: Path) -> None:
    module = tmp_path / "workflows.py"
    module.write_text('from dbos import DBOS\n\n\n@DBOS.workflow(name="x.y")\ndef run() -> None: ...\n')
    assert bare_dbos_workflows(module) == [4]


def test_the_worker_finds_the_workflows_module_of_every_app_that_has_one() -> None:
    assert durable.workflow_modules() == [
        "momentum.accounts.workflows",
        "momentum.learning.workflows",
        "momentum.achievements.workflows",
        "momentum.webpush.workflows",
        "momentum.xapi.workflows",
        "momentum.lti.workflows",
        "momentum.billing.workflows",
        "momentum.generation.workflows",
        "momentum.analytics.workflows",
        "momentum.ops.workflows",
        "momentum.audit.workflows",
        "momentum.recovery.workflows",
        "momentum.observability.workflows",
    ]


def test_workflows_keep_the_names_dbos_recorded_for_them() -> None:
    durable._import_workflow_modules()
    missing = KNOWN_WORKFLOWS - set(_get_or_create_dbos_registry().workflow_info_map)
    assert missing == set()


def test_the_audit_archive_runs_on_its_queue_and_schedule() -> None:
    from momentum.audit import workflows

    assert "audit-retention" in workflows.QUEUES
    assert "ops.archive_audit_logs" in [entry["schedule_name"] for entry in workflows.SCHEDULES]
