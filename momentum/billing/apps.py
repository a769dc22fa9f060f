from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "momentum.billing"
    label = "billing"

    def ready(self) -> None:
        from momentum.billing import providers

        providers.meter = _Metrics()


class _Metrics:
    """Provider calls and circuit states in /metrics (providers import no app, so billing tells them)."""

    def call(self, provider: str, outcome: str, seconds: float) -> None:
        from momentum.observability import metrics

        metrics.PROVIDER_CALLS.labels(provider, outcome).inc()
        metrics.PROVIDER_LATENCY.labels(provider).observe(seconds)

    def circuit(self, provider: str, state: str) -> None:
        from momentum.observability import metrics

        metrics.CIRCUIT_STATE.labels(provider).set({"open": 1.0, "half-open": 0.5}.get(state, 0.0))
