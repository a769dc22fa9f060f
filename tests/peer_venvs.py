"""Interpreters for the outside peers whose pins clash with our lockfile (Ralph, Pyslet).

Each peer gets a virtualenv under .tools/, keyed by the hash of its pinned requirements file and made
once under a file lock, so that xdist workers wait for one another; uv installs it (pip when uv is
missing). It is cached for every later run of the checkout.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pinned_python(name: str, requirements: Path) -> Path:
    """The interpreter of peer ``name`` with ``requirements`` installed, installing it first if this
    checkout has not yet."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    home = ROOT / ".tools" / f"{name}-{digest}"
    python = home / "bin" / "python"
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f"{name}-{digest}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / "installed").exists():
            shutil.rmtree(home, ignore_errors=True)
            base = getattr(sys, "_base_executable", sys.executable)
            uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
            env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
            if Path(uv).exists():
                subprocess.run([uv, "venv", "-q", "-p", base, str(home)], check=True, env=env)
                subprocess.run([uv, "pip", "install", "-q", "-p", str(python), "-r", str(requirements)],
                               check=True, env=env)  # fmt: skip
            else:
                subprocess.run([base, "-m", "venv", str(home)], check=True)
                subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", str(requirements)], check=True)
            (home / "installed").write_text(digest)
    return python
