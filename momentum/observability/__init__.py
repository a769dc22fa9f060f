"""Observability: metrics (store, export, database and cache metrics), alarms, health and readiness,
performance baselines, and the /studio/ops page."""
