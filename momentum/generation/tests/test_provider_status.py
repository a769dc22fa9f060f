"""provider_status(): one typed status per configured kind, what the settings and operations pages read."""

from __future__ import annotations

from momentum.generation import providers
from momentum.generation.queries import ProviderStatus, provider_status
from momentum.observability.queries import circuit_states
from momentum.sitesettings.queries import providers as settings_rows


def test_each_configured_provider_has_a_typed_status_with_a_closed_circuit(db: None) -> None:
    status = provider_status()

    assert set(status) == set(providers.configured())
    assert all(isinstance(item, ProviderStatus) for item in status.values())
    assert {(kind, item.kind, item.configured, item.circuit) for kind, item in status.items()} == {
        (kind, kind, True, "closed") for kind in providers.configured()
    }


def test_the_settings_and_operations_pages_read_the_same_statuses(db: None) -> None:
    status = provider_status()

    assert [row["label"] for row in settings_rows()] == [f"{item.kind} · {item.provider}" for item in status.values()]
    assert {(entry["provider"], entry["state"]) for entry in circuit_states()} == {
        (item.provider, "closed") for item in status.values()
    }
