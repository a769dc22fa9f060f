"""The `momentum` command.

momentum serve            web processes (granian) + one workflow worker child, restarted when they die;
                          HOST and PORT honoured
momentum worker           a workflow worker with its own stable executor ID
momentum <verb> [args]    any management command, dashes for underscores:
                          migrate, create-admin, seed-demo, check-config, ...
"""

from __future__ import annotations

import argparse
import fcntl
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import IO, Any

from momentum.lib import supervisor as supervisor_state
from momentum.lib.supervisor import ChildSpec, Policy, Restart, Supervisor, describe_status

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
METRICS_COMPACTION_SECONDS = 30  # how often dead processes' metric files are folded into the archive
# glibc malloc for the server's children, unless the environment says otherwise. Without these, a
# web process that verified concurrent sign-ins (Argon2: 19 MiB a hash) kept ~320 MB, as glibc's
# dynamic mmap threshold rose to 19 MiB and every thread's arena kept the freed blocks; with
# them, ~180 MB for the same traffic and no measurable loss of throughput (docs/adr/0004).
MALLOC_ENVIRONMENT = {"MALLOC_ARENA_MAX": "2", "MALLOC_MMAP_THRESHOLD_": "131072"}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")
    import django

    django.setup()


def _hold_metrics_folder() -> IO[str] | None:
    """Commands write metrics too (generate, backup...): they hold the metrics folder, without
    emptying it, so that a server starting meanwhile keeps their figures (ops/metrics_store.py)."""
    from momentum.lib.env import ConfigError

    try:
        from django.conf import settings

        directory = Path(settings.METRICS_DIR)
    except ConfigError:
        return None  # the command itself reports the configuration error
    from momentum.observability import metrics_store

    return metrics_store.claim(directory, clean=False)


def _run_management_command(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")
    from django.core.management import execute_from_command_line

    verb = argv[0].replace("-", "_")
    metrics_users = _hold_metrics_folder()
    try:
        execute_from_command_line(["momentum", verb, *argv[1:]])
        if verb == "migrate" and not {"-h", "--help", "--plan", "--check"} & set(argv):
            from momentum.platform import durable

            durable.migrate_system_database()
    finally:
        if metrics_users is not None:
            metrics_users.close()
    return 0


# --- worker ---------------------------------------------------------------------------------


def _claim_executor_slot(run_dir: Path) -> tuple[str, IO[str]]:
    """The lowest free worker slot on this host, held by an flock for the process's life.

    A restarted worker takes the slot its dead predecessor left, and with it the executor ID,
    so DBOS recovers exactly that worker's unfinished workflows and never a live neighbour's.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    host = socket.gethostname()
    for slot in range(1024):
        handle = (run_dir / f"worker-{slot}.lock").open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        return f"{host}-worker-{slot}", handle
    raise RuntimeError(f"no free worker slot under {run_dir}")


def worker(args: argparse.Namespace) -> int:
    _setup_django()
    from django.conf import settings

    from momentum.lib.logs import get_logger
    from momentum.observability import metrics_export, metrics_store
    from momentum.platform import durable

    log = get_logger("momentum.worker")
    metrics_dir = Path(settings.METRICS_DIR)
    metrics_users = metrics_store.claim(metrics_dir)
    if settings.WORKER_METRICS_ADDRESS:
        metrics_export.start_worker_server(settings.WORKER_METRICS_ADDRESS)
    explicit = args.executor_id or os.environ.get("MOMENTUM_EXECUTOR_ID")
    lock: IO[str] | None = None
    if explicit:
        executor_id = explicit
    else:
        executor_id, lock = _claim_executor_slot(Path(settings.DATA_DIR) / "run")
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    durable.launch(executor_id)
    log.info("worker_ready", executor_id=executor_id, pid=os.getpid())
    supervisor_state.signal_ready()  # under `momentum serve`: counts as running from now on
    while not stop.wait(METRICS_COMPACTION_SECONDS):
        metrics_store.compact_dead_processes(metrics_dir)
    log.info("worker_stopping", executor_id=executor_id)
    durable.shutdown(timeout_seconds=args.grace)
    if lock is not None:
        lock.close()
    metrics_users.close()
    return 0


# --- serve ----------------------------------------------------------------------------------


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def web_children(host: str, port: int, processes: int, *, platform: str = sys.platform) -> list[ChildSpec]:
    """The web processes of `momentum serve`.

    On Linux, one granian server per web process, each with one worker: granian binds with
    SO_REUSEPORT, so they share the port, and a dead one is restarted by our supervisor (back-off,
    metric, alarm) while the others keep answering (docs/adr/0006). Elsewhere one granian with
    ``processes`` workers that respawns its own failed workers.
    """

    def granian(workers: int, *extra: str) -> list[str]:
        return [
            sys.executable, "-m", "granian",
            "--interface", "asginl",
            "--host", host,
            "--port", str(port),
            "--workers", str(workers),
            "--workers-kill-timeout", "10",
            "--no-ws",
            "--log-level", "warning",
            "--no-access-log",
            *extra,
            "momentum.asgi:application",
        ]  # fmt: skip

    if platform.startswith("linux"):
        return [ChildSpec(f"web-{index}", "web", granian(1)) for index in range(1, processes + 1)]
    return [ChildSpec("web", "web", granian(processes, "--respawn-failed-workers"))]


def serve(args: argparse.Namespace) -> int:
    host = args.host or os.environ.get("HOST") or DEFAULT_HOST
    port = int(args.port or os.environ.get("PORT") or DEFAULT_PORT)
    os.environ["HOST"], os.environ["PORT"] = host, str(port)  # the site URL follows them (settings, children)
    workers = int(args.workers or os.environ.get("MOMENTUM_WEB_WORKERS") or 2)
    embedded_worker = not args.no_worker and os.environ.get("MOMENTUM_EMBEDDED_WORKER", "true").lower() != "false"
    if not _port_is_free(host, port):
        print(f"momentum serve: {host}:{port} is already in use; set PORT or stop what holds it.", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")
    # Fail here, with the variable's name, rather than in every web worker.
    _setup_django()
    from django.conf import settings

    from momentum.lib.logs import get_logger
    from momentum.observability import metrics, metrics_store

    log = get_logger("momentum.serve")
    metrics_dir = Path(settings.METRICS_DIR)
    metrics_users = metrics_store.claim(metrics_dir)  # empties the folder unless other processes use it
    run_dir = Path(settings.DATA_DIR) / "run"
    policy = Policy(
        window_seconds=settings.RESTART_WINDOW_MINUTES * 60,
        alarm_after=settings.RESTART_ALARM_COUNT,
        give_up_after=settings.RESTART_GIVE_UP_COUNT,
    )
    supervisor_state.prune_state_files(run_dir, policy.window_seconds, time.time())

    children: list[ChildSpec] = []
    if embedded_worker:
        children.append(ChildSpec("worker", "worker", [sys.executable, "-m", "momentum.cli", "worker"],
                                  signals_ready=True))  # fmt: skip
    children.extend(web_children(host, port, workers))
    for kind in {child.kind for child in children}:
        metrics.PROCESS_RESTARTS.labels(kind)  # exported as 0 from the start, so increase() sees the first one
    alarms = _AlarmRaiser(log)
    next_compaction = [time.monotonic() + METRICS_COMPACTION_SECONDS]

    def compact_metrics() -> None:
        if time.monotonic() >= next_compaction[0]:
            metrics_store.compact_dead_processes(metrics_dir)
            next_compaction[0] = time.monotonic() + METRICS_COMPACTION_SECONDS

    supervisor = Supervisor(
        children, policy, env={**MALLOC_ENVIRONMENT, **os.environ}, state_file=run_dir / f"serve-{os.getpid()}.json",
        on_restart=_report_restart, on_alarm=alarms.raise_for, on_tick=compact_metrics,
    )  # fmt: skip

    def _stop(signum: int, frame: FrameType | None) -> None:
        supervisor.stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"Momentum is serving http://{host}:{port}/ ({workers} web process(es)"
          f"{', 1 workflow worker' if embedded_worker else ''}). Ctrl-C stops it.", flush=True)  # fmt: skip
    exit_code = supervisor.run()
    if supervisor.gave_up:
        log.error("serve_gave_up", reason=supervisor.gave_up)
        print(f"momentum serve: {supervisor.gave_up}.", file=sys.stderr, flush=True)
    alarms.close()
    metrics_users.close()
    return exit_code


def _report_restart(restart: Restart) -> None:
    from momentum.lib.logs import get_logger
    from momentum.observability import metrics

    metrics.PROCESS_RESTARTS.labels(restart.kind).inc()
    get_logger("momentum.serve").warning(
        "process_exited", process=restart.name, kind=restart.kind, pid=restart.pid,
        exit_status=restart.exit_status, exit=describe_status(restart.exit_status),
        restarts_in_window=restart.recent, restart_in_seconds=round(restart.delay, 2) if restart.delay >= 0 else None,
    )  # fmt: skip


class _AlarmRaiser:
    """Evaluates the restart alarm off the supervision loop (it writes the database and emails)."""

    def __init__(self, log: Any) -> None:
        self.log = log
        self.wanted = threading.Event()
        self.closing = False
        self.thread = threading.Thread(target=self._run, name="restart-alarm", daemon=True)
        self.thread.start()

    def raise_for(self, kind: str, recent: int) -> None:
        self.log.error("process_restart_alarm", kind=kind, restarts_in_window=recent)
        self.wanted.set()

    def _run(self) -> None:
        from django.db import connections

        from momentum.observability import alarms
        from momentum.observability.models import AlarmState

        firing = False
        while True:
            # While it fires, look again every minute until it resolves: the scheduled evaluator
            # may run on a machine that cannot see this one's restarts.
            self.wanted.wait(timeout=60 if firing else None)
            self.wanted.clear()
            if self.closing:
                return
            try:
                alarms.evaluate_one(alarms.PROCESS_RESTARTS_ALARM)
                firing = AlarmState.objects.filter(name=alarms.PROCESS_RESTARTS_ALARM, firing=True).exists()
            except Exception as error:  # the database may be what is failing: the log still says it
                self.log.warning("alarm_evaluation_failed", error=f"{type(error).__name__}: {error}"[:300])
            finally:
                connections.close_all()

    def close(self) -> None:
        self.closing = True
        self.wanted.set()
        self.thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if argv[0] in ("serve", "worker"):
        parser = argparse.ArgumentParser(prog=f"momentum {argv[0]}")
        if argv[0] == "serve":
            parser.add_argument("--host", help=f"address to listen on (env HOST, default {DEFAULT_HOST})")
            parser.add_argument("--port", type=int, help=f"port (env PORT, default {DEFAULT_PORT})")
            parser.add_argument("--workers", type=int, help="web processes (env MOMENTUM_WEB_WORKERS, default 2)")
            parser.add_argument("--no-worker", action="store_true", help="do not start the embedded workflow worker")
            return serve(parser.parse_args(argv[1:]))
        parser.add_argument("--executor-id", help="stable executor ID (default: a host slot held with flock)")
        parser.add_argument("--grace", type=int, default=10, help="seconds to let running steps finish on stop")
        return worker(parser.parse_args(argv[1:]))
    return _run_management_command(argv)


if __name__ == "__main__":
    sys.exit(main())
