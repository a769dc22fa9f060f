"""Ralph (ralph-malph, France Université Numérique's LRS) as a real server on 127.0.0.1 for the tests.

Ralph's own pins clash with Momentum's (click, cachetools, bcrypt...), so it is not in our lockfile:
the first test that needs it makes a virtualenv under .tools/ (cached, keyed by the hash of
ralph-requirements.txt, made under a file lock so that xdist workers wait for one another) and
installs the pinned requirements with uv (or pip when uv is missing). Each server runs uvicorn on
``ralph.api:app`` with the filesystem backend in a temporary folder and a basic-auth credentials
file written here, the way Ralph's docs configure it (RALPH_* environment variables).

``validate`` checks statements with Ralph's own pydantic models, in Ralph's interpreter: the strict
base model of every xAPI statement (``BaseXapiStatement``), and the model of any xAPI profile
template Ralph knows that the statement matches (its ModelSelector, e.g. the LMS profile's
"registered to a course").
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.peer_venvs import pinned_python

REQUIREMENTS = Path(__file__).with_name("ralph-requirements.txt")
USERNAME = "momentum"
PASSWORD = "correct-horse-lrs"
START_SECONDS = 60.0


def ralph_python() -> Path:
    """Ralph's interpreter, installing it first if this checkout has not yet."""
    return pinned_python("ralph", REQUIREMENTS)


# uvicorn on Ralph's app. Ralph's filesystem LRS backend (its development backend) writes with the
# data backends' default operation, "index", which refuses to write to a file that exists: every POST
# after the first would answer 500. Appending is what a store of statements does, so the launcher
# makes it the fs backend's default; everything else (the API, its checks, its models) is Ralph's own.
LAUNCH = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _credentials_file(python: Path, folder: Path) -> Path:
    """Ralph's auth.json: one user with every scope, the password hashed with bcrypt as Ralph checks it."""
    script = (
        "import bcrypt, json, sys; print(json.dumps([{'username': sys.argv[1], 'hash': bcrypt.hashpw("
        "sys.argv[2].encode(), bcrypt.gensalt(4)).decode(), 'scopes': ['all'], "
        "'agent': {'objectType': 'Agent', 'account': {'homePage': 'http://lrs.test', 'name': sys.argv[1]}}}]))"
    )
    made = subprocess.run([str(python), "-c", script, USERNAME, PASSWORD], check=True, capture_output=True, text=True)
    path = folder / "auth.json"
    path.write_text(made.stdout)
    return path


@dataclass
class RalphServer:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def xapi_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        python = ralph_python()
        self.folder.mkdir(parents=True, exist_ok=True)
        auth = self.folder / "auth.json"
        if not auth.exists():
            _credentials_file(python, self.folder)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(self.folder),
            "RALPH_APP_DIR": str(self.folder),
            "RALPH_AUTH_FILE": str(auth),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder),
        }
        log = open(self.folder / "ralph.log", "ab")  # noqa: SIM115  (kept open for the child's lifetime)
        self.process = subprocess.Popen(
            [str(python), "-c", LAUNCH, str(self.port)],
            cwd=self.folder, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited: {(self.folder / 'ralph.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)  # waiting for a real server to listen, not timing the code under test
        raise RuntimeError("Ralph did not answer its heartbeat in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        token = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310  (a local test server)
            f"{self.xapi_url}{path}", data=data, method=method,
            headers={"Authorization": f"Basic {token}", "X-Experience-API-Version": "1.0.3",
                     "Content-Type": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def statements(self) -> list[dict[str, Any]]:
        """Every stored statement, read back with GET /xAPI/statements (following ``more``)."""
        found: list[dict[str, Any]] = []
        path = "/statements?limit=100"
        while path:
            status, page = self.request("GET", path)
            assert status == 200, page
            found.extend(page["statements"])
            more = page.get("more") or ""
            path = more.split("/xAPI", 1)[1] if more else ""
        return found


def validate(statements: list[dict[str, Any]]) -> list[str]:
    """Validate with Ralph's models: every statement with the strict base model (an AssertionError with
    Ralph's message when one fails). Returns, per statement, the profile template model it also passes,
    if any (else "BaseXapiStatement")."""
    script = """
import json, sys
from ralph.exceptions import UnknownEventException
from ralph.models.selector import ModelSelector
from ralph.models.xapi.base.statements import BaseXapiStatement
selector = ModelSelector(module="ralph.models.xapi")
out = []
for line in sys.stdin:
    event = json.loads(line)
    BaseXapiStatement(**event)
    name = "BaseXapiStatement"
    try:
        models = selector.get_models(event)
    except UnknownEventException:
        models = []
    for model in models:  # a profile template whose selector (verb, object type) the statement matches
        try:
            model(**event)
            name = model.__name__
        except ValueError:
            pass  # another profile's template with the same verb (e.g. the virtual classroom's "answered")
    out.append(name)
print(json.dumps(out))
"""
    lines = "".join(json.dumps(statement) + "\n" for statement in statements)
    done = subprocess.run([str(ralph_python()), "-c", script], input=lines, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    names: list[str] = json.loads(done.stdout)
    return names
