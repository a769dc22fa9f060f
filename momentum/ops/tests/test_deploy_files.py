"""deploy/: the image and the compose file say what the issue asks (no Docker engine runs here)."""

from __future__ import annotations

from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def test_the_image_is_multi_stage_runs_as_a_user_and_checks_its_health() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]

    assert len(stages) >= 2
    assert "USER momentum:momentum" in dockerfile
    assert "HEALTHCHECK" in dockerfile
    assert "/healthz" in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump for backups


def test_compose_runs_two_web_two_workers_and_the_services_they_need() -> None:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]

    assert {"web-1", "web-2", "worker-1", "worker-2", "postgres", "redis", "minio", "proxy"} <= set(services)
    assert services["worker-1"]["command"] == ["worker"]
    assert (
        services["worker-1"]["environment"]["MOMENTUM_EXECUTOR_ID"]
        != services["worker-2"]["environment"]["MOMENTUM_EXECUTOR_ID"]
    )
    for name in ("web-1", "web-2", "worker-1", "worker-2"):
        assert "volumes" not in services[name], f"{name} must keep its metrics folder to itself"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["environment"]["MOMENTUM_BACKUP_TARGET"].startswith("s3://")


def test_prometheus_scrapes_web_and_workers_and_loads_the_rules() -> None:
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())

    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {"momentum-web", "momentum-worker"}
    assert jobs["momentum-web"]["authorization"]["type"] == "Bearer"
    assert config["rule_files"] == ["/etc/prometheus/rules.yml"]
