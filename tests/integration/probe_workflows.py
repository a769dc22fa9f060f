"""A two-step workflow for the crash-recovery test, loaded into a worker through
MOMENTUM_EXTRA_WORKFLOW_MODULES. Each step appends to a file, so the test can count runs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from dbos import DBOS

from momentum.platform import durable

QUEUES: dict[str, dict[str, Any]] = {"probe": {}}


@durable.step()
def first_step(folder: str) -> str:
    with (Path(folder) / "first.log").open("a") as log:
        log.write("ran\n")
    return "first done"


@durable.step()
def second_step(folder: str) -> str:
    # Waits for the test's go-ahead, so the test can kill the worker between the steps.
    while not (Path(folder) / "go").exists():
        time.sleep(0.05)
    with (Path(folder) / "second.log").open("a") as log:
        log.write("ran\n")
    return "second done"


@DBOS.workflow(name="probe.two_steps")
def two_steps(folder: str) -> list[str]:
    return [first_step(folder), second_step(folder)]
