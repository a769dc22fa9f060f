"""`momentum baselines` turns the live latency histograms into a page of P50/P95/P99 per route."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_baselines_list_each_route_with_its_percentiles(client: Any, tmp_path: Path) -> None:
    for _ in range(25):
        client.get("/healthz")
    output = tmp_path / "baselines.md"

    call_command("baselines", "--output", str(output), "--min-requests", "25", stdout=StringIO())

    page = output.read_text()
    assert page.startswith("# Performance baselines")
    row = next(line for line in page.splitlines() if line.startswith("| `GET /healthz`"))
    count, p50, p95, p99 = (cell.strip() for cell in row.split("|")[2:6])
    assert int(count) >= 25
    assert p50.endswith(" ms")
    assert p95.endswith(" ms")
    assert p99.endswith(" ms")
