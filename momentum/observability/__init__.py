"""Observability: metrics (store, export, database and cache metrics), alarms, health and readiness,
performance baselines, and the /studio/ops page.

prometheus-client picks where it keeps values when it is first imported, and Momentum imports it
only from this package: point it at the machine's metrics folder (settings.METRICS_DIR, shared by
every process) before any module here loads it.
"""

import os

from django.conf import settings

settings.METRICS_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(settings.METRICS_DIR)
