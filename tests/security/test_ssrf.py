"""SSRF: every URL field a user or admin can fill (API body fields and form fields whose name
says URL, found generically) refuses private, loopback, link-local, metadata, IPv6-loopback,
numeric-IP spellings, names that resolve to loopback and non-http schemes, unless settings allow
private targets (MOMENTUM_ALLOW_PRIVATE_MEDIA_URLS). And saving a URL never makes the server fetch it.
"""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
from django.test import Client

from conftest import ApiClient
from momentum.lib.tests.local_http import LocalServer
from tests.security.inspection import database_state, post_forms
from tests.security.test_injection_api import ALL_OPERATIONS, example, resolve
from tests.test_access_matrix import PAGES, World, fill

pytestmark = pytest.mark.django_db

HOSTILE_URLS = [
    "http://127.0.0.1/video.mp4", "http://127.1/", "http://0.0.0.0/", "http://localhost/v.mp4",
    "http://localhost./v.mp4", "http://LOCALHOST:8000/", f"http://{socket.gethostname()}/v.mp4",
    "http://ip6-localhost/", "http://10.0.0.5/", "http://172.16.0.1/", "http://192.168.1.1/",
    "http://100.64.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
    "http://metadata.google.internal/computeMetadata/v1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
    "http://[fe80::1]/", "http://[fc00::1]/", "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/",
    "http://017700000001/", "http://127.0.0.1.nip.io.invalid/", "http://evil.example@127.0.0.1/",
    "http://user:pass@example.com/", "file:///etc/passwd", "gopher://127.0.0.1:6379/_FLUSHALL",
    "ftp://127.0.0.1/", "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//127.0.0.1/",
    "http://224.0.0.1/", "http://255.255.255.255/", "http://[::]/", "http://a.internal/",
]  # fmt: skip


_PLATFORM = {
    "name": "Sweep LMS", "issuer": "https://lms.example.org", "client_id": "sweep",
    "auth_login_url": "https://lms.example.org/auth", "auth_token_url": "https://lms.example.org/token",
    "keyset_url": "https://lms.example.org/jwks", "deployment_ids": ["1"],
}  # fmt: skip

# Valid bodies for operations whose schema example() cannot satisfy (patterns, minimum lengths),
# so that the URL under test is the one thing refused.
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/admin/lti/platforms"): _PLATFORM,
    ("PUT", "/api/v1/admin/lti/platforms/{platform}"): _PLATFORM,
}


def url_fields() -> list[tuple[str, str, str]]:
    """(method, path, field) of every API body field named like a URL."""
    found: list[tuple[str, str, str]] = []
    for op in ALL_OPERATIONS:
        body = op.body_schema()
        if body and body[0] == "application/json":
            found.extend((op.method, op.path, name) for name in body[1].get("properties", {}) if "url" in name.lower())
    return found


API_URL_FIELDS = url_fields()


def test_the_sweep_finds_the_url_fields() -> None:
    assert ("PATCH", "/api/v1/courses/{course}/lessons/{lesson}", "video_url") in API_URL_FIELDS


@pytest.mark.parametrize(
    ("method", "path", "field"), API_URL_FIELDS, ids=[f"{m} {p} {f}" for m, p, f in API_URL_FIELDS]
)
def test_an_api_url_field_refuses_internal_targets(
    world: World, settings: Any, method: str, path: str, field: str
) -> None:
    op = next(op for op in ALL_OPERATIONS if (op.method, op.path) == (method, path))
    body_spec = op.body_schema()
    assert body_spec is not None
    base = dict(VALID_BODIES.get((method, path)) or example(resolve(body_spec[1])))
    if method == "POST" and "day" in base:
        world.course.lessons.filter(day=7).delete()
        base["day"] = 7  # a free day
    client = ApiClient(world.users["admin"])
    url = fill(world, path)  # the path's objects (some made on first use) exist before the state is taken
    accepted = []
    for target in HOSTILE_URLS:
        state = database_state()
        response = client.generic(method, url, _json({**base, field: target}), "application/json")
        assert response.status_code < 500, response.content
        if response.status_code < 400 or database_state() != state:
            accepted.append(f"{target} ({response.status_code})")
    assert not accepted, f"{method} {path} accepted internal targets in {field}:\n" + "\n".join(accepted)
    # The refusals were the URL's: allowed by the settings, the same call goes through.
    settings.ALLOW_PRIVATE_MEDIA_URLS = True
    control = client.generic(
        method, fill(world, path), _json({**base, field: "http://127.0.0.1:9/v.mp4"}), "application/json"
    )
    assert control.status_code < 300, control.content


def _json(body: Any) -> str:
    import json

    return json.dumps(body)


def test_every_studio_url_field_refuses_internal_targets(world: World) -> None:
    admin = Client()
    admin.force_login(world.users["admin"])
    swept, accepted = 0, []
    for page in PAGES:
        if not page.route.startswith("studio/"):
            continue
        url = page.url(world)
        response = admin.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in post_forms(response.content.decode(), url):
            for name in [n for n, kind in form["kinds"].items() if "url" in n.lower() and kind != "file"]:
                swept += 1
                for target in HOSTILE_URLS:
                    state = database_state()
                    answer = admin.post(form["action"], {**form["fields"], name: target})
                    assert answer.status_code < 500
                    if database_state() != state:
                        accepted.append(f"{form['action']} {name}={target}")
    assert swept >= 1
    assert not accepted, "\n".join(accepted)


def test_private_targets_are_allowed_when_the_settings_say_so(world: World, settings: Any) -> None:
    settings.ALLOW_PRIVATE_MEDIA_URLS = True
    lesson = world.course.lessons.get(day=2)

    response = ApiClient(world.users["admin"]).patch(
        f"/courses/{world.course.slug}/lessons/{lesson.pk}", {"video_url": "http://127.0.0.1:9/demo.mp4"}
    )

    assert response.status_code == 200, response.content
    lesson.refresh_from_db()
    assert lesson.video_url == "http://127.0.0.1:9/demo.mp4"


def test_saving_a_video_url_never_makes_the_server_fetch_it(world: World, settings: Any) -> None:
    """The URL is handed to the learner's browser, never fetched by us: so no redirect from a
    public host can lead the server into the private network."""
    hits: list[str] = []

    def record(request: BaseHTTPRequestHandler, method: str) -> None:
        hits.append(f"{method} {request.path}")
        request.send_response(302)
        request.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        request.end_headers()

    server = LocalServer(record)
    settings.ALLOW_PRIVATE_MEDIA_URLS = True
    lesson = world.course.lessons.get(day=1)
    target = f"http://127.0.0.1:{server.port}/redirects-inward.mp4"
    try:
        ApiClient(world.users["admin"]).patch(
            f"/courses/{world.course.slug}/lessons/{lesson.pk}", {"video_url": target}
        )
        ApiClient(world.owner).get(f"/courses/{world.course.slug}/lessons/{lesson.pk}")
        Client().get(f"/courses/{world.course.slug}/day/1/")
        Client().get(f"/lessons/{lesson.pk}/video")
    finally:
        server.stop()

    assert hits == []
