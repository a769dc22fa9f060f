"""Reading momentum.settings acts on nothing: no folder is made and the environment stays as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

READ_SETTINGS = """
import json, os, sys
before = dict(os.environ)
import momentum.settings
changed = sorted(name for name in set(before) | set(os.environ) if before.get(name) != os.environ.get(name))
print(json.dumps(changed))
"""


def read_settings(data_dir: Path, dotenv: Path | None = None) -> list[str]:
    env = {
        "PATH": os.environ["PATH"],
        "MOMENTUM_ENV": "dev",
        "MOMENTUM_DATA_DIR": str(data_dir),
        "MOMENTUM_DOTENV": str(dotenv) if dotenv else os.devnull,
    }
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    changed: list[str] = json.loads(result.stdout)
    return changed


def test_reading_the_settings_makes_no_folder(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"

    read_settings(data_dir)

    assert not data_dir.exists()


def test_reading_the_settings_leaves_the_environment_alone(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("MOMENTUM_SITE_NAME=From the file\n")

    assert read_settings(tmp_path / "fresh", dotenv) == []


def test_the_dotenv_file_is_read_and_real_variables_win(tmp_path: Path) -> None:
    from momentum.lib.env import Env, read_dotenv

    dotenv = tmp_path / ".env"
    dotenv.write_text("MOMENTUM_SITE_NAME=From the file\nMOMENTUM_PLAN_NAME='Gold'\n")

    env = Env({**read_dotenv(dotenv), "MOMENTUM_SITE_NAME": "From the environment"})

    assert env.str("MOMENTUM_SITE_NAME") == "From the environment"
    assert env.str("MOMENTUM_PLAN_NAME") == "Gold"
