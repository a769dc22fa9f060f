"""The alert rules pass promtool's checks and unit tests; the dashboard reads only metrics we export."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool is missing: `make system-packages` installs it")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run([PROMTOOL, *args], cwd=DEPLOY / "prometheus", capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip


@needs_promtool
def test_the_alert_rules_are_valid() -> None:
    result = promtool("check", "rules", "rules.yml")
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_the_alert_rules_pass_their_unit_tests() -> None:
    result = promtool("test", "rules", "rules.test.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def exported_metric_names() -> set[str]:
    from prometheus_client import REGISTRY

    import momentum.observability.metrics  # noqa: F401  (registers the process metrics)

    names = set()
    for collector in list(REGISTRY._collector_to_names):
        for family in collector.describe() if hasattr(collector, "describe") else []:
            names.add(family.name)
    source = (Path(__file__).resolve().parents[1] / "metrics_export.py").read_text()
    names.update(re.findall(r'"(momentum_[a-z_]+)"', source))
    return names


def referenced(expressions: list[str]) -> set[str]:
    found = set()
    for expression in expressions:
        for name in re.findall(r"\b(momentum_[a-z_]+)", expression):
            found.add(re.sub(r"_(total|bucket|count|sum)$", "", name))
    return found


def test_the_dashboard_and_the_rules_read_only_metrics_that_momentum_exports() -> None:
    dashboard = json.loads((DEPLOY / "grafana" / "momentum.json").read_text())
    expressions = [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]
    expressions.append((DEPLOY / "prometheus" / "rules.yml").read_text())
    exported = {re.sub(r"_total$", "", name) for name in exported_metric_names()}

    assert referenced(expressions) - exported == set()
