"""Uploads: every upload an admin can make (found in the OpenAPI document's multipart operations
and in the file fields of the studio's forms) refuses a file that is not what its name says,
a file over its size limit, and an image bomb, with a 4xx and nothing stored; a hostile file
name never decides where a file lands. A new upload endpoint is swept without editing this file.
"""

from __future__ import annotations

import io
import os
import struct
import uuid
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from conftest import ApiClient
from momentum.generation.tests.pdfs import text_pdf
from tests.security.inspection import database_state, post_forms
from tests.test_access_matrix import PAGES as ALL_PAGES
from tests.test_access_matrix import World, fill

pytestmark = pytest.mark.django_db

SMALL_LIMIT = 4096  # every upload limit, for the oversize case


def png(size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#3340d6").save(out, format="PNG")
    return out.getvalue()


def png_bomb(width: int, height: int) -> bytes:
    """A small PNG that claims ``width`` x ``height`` 1-bit pixels (all zero, compressed to little)."""
    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(1)
    rows_per_block = 1000
    data = b"".join(compressor.compress(row * min(rows_per_block, height - start))
                    for start in range(0, height, rows_per_block)) + compressor.flush()  # fmt: skip

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64

# A real PDF with text (a reference document without any text is refused: it could ground nothing).
MINIMAL_PDF = text_pdf(["Espresso needs a fine, even grind and water just off the boil."])
# What a target may accept whatever the name: it decides by content and names the file itself.
CAPTIONS = b"WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nA genuine caption.\n"


def course_package() -> bytes:
    """The smallest Common Cartridge a course import takes: one module with one page."""
    import zipfile

    manifest = (
        '<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"><organizations>'
        '<organization identifier="o"><item identifier="r"><item identifier="d"><title>Day one</title>'
        '<item identifier="i" identifierref="p"><title>Page</title></item></item></item></organization>'
        '</organizations><resources><resource identifier="p" type="webcontent" href="page.html">'
        '<file href="page.html"/></resource></resources></manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
        archive.writestr("page.html", "<p>A genuine lesson.</p>")
    return out.getvalue()


GENUINE = {
    "image": ("real.png", png()), "video": ("real.mp4", MP4_HEAD), "pdf": ("real.pdf", MINIMAL_PDF),
    "captions": ("real.vtt", CAPTIONS), "package": ("real.imscc", course_package()),
}  # fmt: skip

# (case, file name, content): none of these may be accepted, except a genuine file of the kind the
# target takes (a real PNG named .mp4 is a fine thumbnail: it is decoded and stored as our own PNG).
HOSTILE_FILES: list[tuple[str, str, bytes]] = [
    ("html named .png", "cover.png", b"<html><script>alert(1)</script></html>"),
    ("svg named .png", "cover.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    ("text named .mp4", "lesson.mp4", b"just some text, not a video at all" * 4),
    ("png named .mp4", "lesson.mp4", png()),
    ("mp4 named .webm", "lesson.webm", MP4_HEAD),
    ("text named .pdf", "notes.pdf", b"not a PDF, only text" * 4),
    ("png named .pdf", "notes.pdf", png()),
    ("executable named .png", "cover.png", b"MZ\x90\x00" + b"\x00" * 200),
    ("empty .png", "cover.png", b""),
    ("image bomb 30000 x 30000", "bomb.png", png_bomb(30_000, 30_000)),
    ("image bomb 10000 x 10000", "bomb.png", png_bomb(10_000, 10_000)),
    ("image bomb 7000 x 7000", "bomb.png", png_bomb(7_000, 7_000)),
]


def api_targets() -> list[tuple[str, str, str]]:
    """(method, path, file field) of every multipart API operation."""
    from tests.security.test_injection_api import ALL_OPERATIONS

    targets: list[tuple[str, str, str]] = []
    for op in ALL_OPERATIONS:
        body = op.body_schema()
        if body and body[0].startswith("multipart/"):
            OTHER_INPUTS[(op.method, op.path)] = (
                [p["name"] for p in op.spec.get("parameters", []) if p["in"] == "query" and p.get("required")],
                [name for name, spec in body[1].get("properties", {}).items() if spec.get("format") != "binary"],
            )
            targets.extend(
                (op.method, op.path, field)
                for field, spec in body[1].get("properties", {}).items()
                if spec.get("format") == "binary"
            )
    return targets


# The inputs of an upload besides its file, by name, with a valid value: (query, form fields) per target.
OTHER_INPUTS: dict[tuple[str, str], tuple[list[str], list[str]]] = {}
VALID_INPUTS = {
    "lesson": lambda w: w.course.lessons.get(day=1).pk, "language": lambda w: "en",
    "category": lambda w: w.course.category.slug,
}  # fmt: skip
API_TARGETS = api_targets()


def _target(world: World, method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The target's URL (with its required query parameters) and its other form fields, valid."""
    query, fields = OTHER_INPUTS.get((method, path), ([], []))
    url = fill(world, path)
    if query:
        url += "?" + "&".join(f"{name}={VALID_INPUTS[name](world)}" for name in query)
    return url, {name: str(VALID_INPUTS[name](world)) for name in fields}


UPLOAD_PAGES = [page for page in ALL_PAGES if page.route.startswith("studio/")]


def genuine_kind(content: bytes) -> str | None:
    return next((kind for kind, (_, genuine) in GENUINE.items() if genuine == content), None)


def accepted_kinds(send: Any) -> set[str]:
    """The kinds of genuine file a target takes, found by sending each (``send(name, content)``):
    those it answers with success and records."""
    kinds = set()
    for kind, (name, content) in GENUINE.items():
        before = database_state()
        if send(name, content).status_code < 400 and database_state() != before:
            kinds.add(kind)
    return kinds


def test_the_sweep_finds_the_uploads() -> None:
    paths = {path for _, path, _ in API_TARGETS}
    assert {"/api/v1/courses/{course}/thumbnail", "/api/v1/courses/{course}/lessons/{lesson}/video"} <= paths


# Where uploads are stored (the models' upload_to). The generation pipeline's own files (generation/)
# are left out: a job started by an earlier test of this process may still be finishing a video.
UPLOAD_FOLDERS = ("thumbnails", "videos", "references")


def _stored_names() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(path.relative_to(root))
        for folder in UPLOAD_FOLDERS
        if (root / folder).exists()
        for path in (root / folder).rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize(("method", "path", "field"), API_TARGETS, ids=[p for _, p, _ in API_TARGETS])
def test_a_hostile_file_is_refused_by_the_api_and_nothing_is_stored(
    world: World, method: str, path: str, field: str
) -> None:
    admin = ApiClient(world.users["admin"])
    url, others = _target(world, method, path)

    def send(name: str, content: bytes) -> Any:
        return admin.generic(method, url, **_multipart({**others, field: SimpleUploadedFile(name, content)}))

    takes = accepted_kinds(send)
    assert takes, f"{path} accepts no genuine file at all"
    for case, name, content in HOSTILE_FILES:
        if genuine_kind(content) in takes:
            continue
        state, files = database_state(), _stored_names()
        response = admin.generic(method, url, **_multipart({**others, field: SimpleUploadedFile(name, content)}))
        assert 400 <= response.status_code < 500, f"{case}: {response.status_code} {response.content[:200]!r}"
        assert response["Content-Type"].startswith("application/problem+json")
        assert database_state() == state, f"{case}: refused but the data changed"
        assert _stored_names() == files, f"{case}: refused but a file was stored"


@pytest.mark.parametrize(("method", "path", "field"), API_TARGETS, ids=[p for _, p, _ in API_TARGETS])
def test_a_file_over_the_limit_is_refused_with_413(
    world: World, settings: Any, method: str, path: str, field: str
) -> None:
    from django.conf import settings as configured

    for name in dir(configured):
        if name.startswith("MAX_") and name.endswith("_BYTES"):
            setattr(settings, name, SMALL_LIMIT)
    big = png((400, 400)) + b"\x00" * (SMALL_LIMIT * 2)
    files = _stored_names()
    url, others = _target(world, method, path)

    response = ApiClient(world.users["admin"]).generic(
        method, url, **_multipart({**others, field: SimpleUploadedFile("big.png", big)})
    )

    assert response.status_code == 413, response.content
    assert _stored_names() == files


TRAVERSALS = ["../../../../tmp/{marker}.{ext}", "..\\..\\..\\{marker}.{ext}", "/etc/{marker}.{ext}",
              "%2e%2e%2f%2e%2e%2f{marker}.{ext}", "media/../../{marker}.{ext}"]  # fmt: skip


def _named_under(top: Path, prefix: str) -> list[str]:
    """The files and folders under ``top`` whose name starts with ``prefix``. ``top`` holds the other
    test workers' folders too, whose caches come and go meanwhile: os.walk passes over a folder that
    vanished between its listing and its reading (Path.rglob raises)."""
    return [name for _, folders, files in os.walk(top) for name in folders + files if name.startswith(prefix)]


@pytest.mark.parametrize(("method", "path", "field"), API_TARGETS, ids=[p for _, p, _ in API_TARGETS])
def test_a_file_name_never_decides_where_a_file_lands(world: World, method: str, path: str, field: str) -> None:
    content, ext = (MP4_HEAD, "mp4") if "video" in path else (CAPTIONS, "vtt") if "captions" in path else (png(), "png")
    root = Path(settings.MEDIA_ROOT).resolve()
    url, others = _target(world, method, path)
    for pattern in TRAVERSALS:
        marker = f"pwned-{uuid.uuid4().hex}"
        name = pattern.format(marker=marker, ext=ext)
        response = ApiClient(world.users["admin"]).generic(
            method, url, **_multipart({**others, field: SimpleUploadedFile(name, content)})
        )
        assert response.status_code < 500, response.content
        assert not list(Path("/tmp").glob(f"{marker}*"))  # noqa: S108  (where a traversal would land)
        assert not list(Path("/etc").glob(f"{marker}*"))
        assert not _named_under(root.parent.parent, marker), f"{name}: a file was stored under its own name"
        assert all(".." not in stored for stored in _stored_names())


def _multipart(files: dict[str, Any]) -> dict[str, Any]:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, files), "content_type": MULTIPART_CONTENT}


# --- The studio's forms ----------------------------------------------------------------------------


def upload_forms(world: World) -> list[tuple[str, dict[str, Any], list[str]]]:
    """(page, form, file fields) of every studio form with a file input."""
    admin = Client()
    admin.force_login(world.users["admin"])
    found = []
    for page in UPLOAD_PAGES:
        url = page.url(world)
        response = admin.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in post_forms(response.content.decode(), url):
            file_fields = [name for name, kind in form["kinds"].items() if kind == "file"]
            if file_fields:
                found.append((url, form, file_fields))
    return found


def test_a_hostile_file_is_refused_by_every_studio_upload_form(world: World) -> None:
    admin = Client()
    admin.force_login(world.users["admin"])
    forms = upload_forms(world)
    assert {form["action"].rstrip("/").rsplit("/", 1)[-1] for _, form, _ in forms} >= {"thumbnail"}
    assert any("video_file" in fields for _, _, fields in forms)
    problems = []
    for page, form, fields in forms:
        for field in fields:

            def send(name: str, content: bytes, form: Any = form, field: str = field) -> Any:
                return admin.post(form["action"], {**form["fields"], field: SimpleUploadedFile(name, content)})

            takes = accepted_kinds(send)
            for case, name, content in HOSTILE_FILES:
                if genuine_kind(content) in takes:
                    continue
                state, files = database_state(), _stored_names()
                data = {**form["fields"], field: SimpleUploadedFile(name, content)}
                response = admin.post(form["action"], data)
                label = f"{page} {field} {case}"
                if response.status_code >= 500:
                    problems.append(f"{label}: {response.status_code}")
                elif response.status_code < 400 and (database_state() != state or _stored_names() != files):
                    problems.append(f"{label}: accepted ({response.status_code})")
                elif response.status_code >= 400 and database_state() != state:
                    problems.append(f"{label}: refused but the data changed")
    assert not problems, "\n".join(problems)
