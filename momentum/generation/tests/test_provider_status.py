"""Provider status: each kind's configured provider, whether it answers, and its circuit (typed)."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.generation.queries import ProviderStatus, provider_status
from momentum.generation.resilience import Circuit


def test_each_kind_reports_its_configured_provider() -> None:
    statuses = provider_status()

    assert [(status.kind, status.provider, status.answers, status.circuit) for status in statuses] == [
        ("text", "local", True, "closed"),
        ("video", "slides", True, "closed"),
        ("thumbnail", "local", True, "closed"),
    ]
    assert all(isinstance(status, ProviderStatus) for status in statuses)


def test_a_provider_whose_circuit_opened_reports_it_open(settings: Any) -> None:
    settings.CIRCUIT_FAILURE_THRESHOLD = 2
    circuit = Circuit("local")
    for _ in range(2):
        circuit.failed()

    text = next(status for status in provider_status() if status.kind == "text")

    assert (text.circuit, text.failures) == ("open", 2)


@pytest.mark.django_db
def test_the_operations_page_reads_its_circuits_from_the_same_status(settings: Any) -> None:
    from momentum.ops.queries import circuit_states

    assert circuit_states() == [
        {"provider": "local", "state": "closed", "failures": 0},
        {"provider": "local", "state": "closed", "failures": 0},
        {"provider": "slides", "state": "closed", "failures": 0},
    ]


@pytest.mark.django_db
def test_the_generate_page_lists_each_kind_with_its_provider(client: Any, admin: Any) -> None:
    client.force_login(admin)

    page = client.get("/studio/generate/").content.decode()

    assert '<span class="provider-kind">text</span> <strong>local</strong>' in page
    assert '<span class="provider-kind">video</span> <strong>slides</strong>' in page
