from django.apps import AppConfig


class ObservabilityConfig(AppConfig):
    name = "momentum.observability"
    label = "observability"

    def ready(self) -> None:
        from momentum.lib import cache_fallback
        from momentum.observability import db_metrics, metrics
        from momentum.platform import meters

        db_metrics.install()
        meters.install(metrics.PrometheusMeter())
        cache_fallback.on_fallback(lambda operation: metrics.CACHE_FALLBACKS.labels(operation).inc())
