"""deploy/: the image and the compose file say what the issue asks (no Docker engine runs here)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
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


ONE_SHOT_SERVICES = {"migrate", "buckets"}


def test_compose_restarts_every_long_running_service_and_lets_serve_stop_in_order() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]

    for name, service in services.items():
        if name not in ONE_SHOT_SERVICES:
            assert service.get("restart") in ("unless-stopped", "on-failure", "always"), name
    for name in ("web-1", "web-2", "worker-1", "worker-2"):
        assert services[name]["stop_grace_period"] == "45s"


def unit(name: str) -> configparser.ConfigParser:
    parsed = configparser.ConfigParser(interpolation=None, strict=True)
    parsed.optionxform = str  # type: ignore[assignment,method-assign]
    parsed.read_string((DEPLOY / "systemd" / name).read_text())
    return parsed


@pytest.mark.parametrize(("name", "command"), [("momentum.service", "serve"), ("momentum-worker@.service", "worker")])
def test_systemd_restarts_serve_and_workers_on_failure(name: str, command: str) -> None:
    service = unit(name)["Service"]

    assert service["ExecStart"].split()[1] == command
    assert service["Restart"] == "on-failure"
    assert service["KillMode"] == "mixed"  # SIGTERM to momentum alone: it stops its own children in order
    assert int(service["TimeoutStopSec"].removesuffix("s")) >= 30
    assert service["User"] == "momentum"
    assert "StartLimitBurst" in unit(name)["Unit"]


def test_each_systemd_worker_has_its_own_executor_id() -> None:
    assert "MOMENTUM_EXECUTOR_ID=%H-worker-%i" in unit("momentum-worker@.service")["Service"]["Environment"].split()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is missing")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    for name in ("momentum.service", "momentum-worker@.service"):
        text = (DEPLOY / "systemd" / name).read_text().replace("/opt/momentum/venv/bin/momentum", "/bin/true")
        (tmp_path / name).write_text(text)

    result = subprocess.run(
        ["systemd-analyze", "verify", str(tmp_path / "momentum.service"), str(tmp_path / "momentum-worker@1.service")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
