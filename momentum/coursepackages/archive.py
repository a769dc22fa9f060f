"""Reading an uploaded zip without trusting it: the one door every course package comes in by.

``open_package`` checks the whole central directory before a byte is unpacked and refuses (422
``invalid_package``, the reason in ``errors[0].rule``):

    not_zip          not a zip archive (or a damaged one)
    too_many_files   more than MAX_MEMBERS members
    unsafe_path      an absolute path, a drive letter, a backslash, a ``..`` segment, a NUL
    symlink          a member that is a symbolic link (Unix mode in the external attributes)
    duplicate_path   two members with the same name
    encrypted        a password-protected member
    zip_bomb         declared unpacked size past MOMENTUM_MAX_COURSE_PACKAGE_UNPACKED_BYTES, or a
                     member that unpacks more than MAX_RATIO times its packed size

Nothing is ever extracted to the file system under its own name: members are read into memory
(small text, each with its own cap) or copied into a temporary file (media), and a member whose
data is longer than its header said fails its CRC/size check inside ``zipfile`` (``not_zip``).
The upload itself is capped at MOMENTUM_MAX_COURSE_PACKAGE_BYTES (413).
"""

from __future__ import annotations

import posixpath
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.conf import settings

from momentum.lib.problems import Problem, file_too_large

MAX_MEMBERS = 5_000
MAX_RATIO = 200  # deflate tops out near 1032:1; real course files stay far below 200:1
RATIO_CHECKED_FROM = 1024 * 1024  # tiny members (an empty file, a short XML) may compress oddly
MAX_TEXT_BYTES = 20 * 1024 * 1024  # one manifest, QTI file, page or momentum.json


class InvalidPackage(Problem):
    """422 ``invalid_package``: the upload is not a course package we can read, and why."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(
            422,
            "invalid_package",
            f"The course package cannot be imported: {message}",
            errors=[{"field": "file", "message": message, "rule": rule}],
        )


def package_too_large(limit: int) -> Problem:
    return file_too_large("file", limit, "the course package")


def safe_member_name(name: str) -> bool:
    """Whether ``name`` stays inside the package when read as a relative POSIX path."""
    if not name or "\x00" in name or "\\" in name or name.startswith("/"):
        return False
    if len(name) >= 2 and name[1] == ":":  # C:...
        return False
    return ".." not in name.split("/")


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)  # 3: made on Unix


class Package:
    """A checked zip: its file members by name, readable with a size cap."""

    def __init__(self, archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> None:
        self._archive = archive
        self.members = members

    def has(self, name: str) -> bool:
        return name in self.members

    def names(self) -> list[str]:
        return list(self.members)

    def read(self, name: str, *, limit: int = MAX_TEXT_BYTES) -> bytes:
        info = self.members.get(name)
        if info is None:
            raise InvalidPackage(f"{name!r} is named in the package but not in the zip", "missing_file")
        if info.file_size > limit:
            raise InvalidPackage(f"{name!r} is larger than {limit // (1024 * 1024)} MB", "file_too_large")
        try:
            with self._archive.open(info) as member:
                return member.read(limit)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise InvalidPackage(f"{name!r} is damaged ({error})", "not_zip") from None

    def text(self, name: str, *, limit: int = MAX_TEXT_BYTES) -> str:
        try:
            return self.read(name, limit=limit).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidPackage(f"{name!r} is not UTF-8 text", "encoding") from None

    @contextmanager
    def spooled(self, name: str) -> Iterator[IO[bytes]]:
        """The member copied into an anonymous temporary file (media: never all in memory)."""
        info = self.members.get(name)
        if info is None:
            raise InvalidPackage(f"{name!r} is named in the package but not in the zip", "missing_file")
        with tempfile.TemporaryFile() as copy:
            try:
                with self._archive.open(info) as member:
                    shutil.copyfileobj(member, copy, 1024 * 1024)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise InvalidPackage(f"{name!r} is damaged ({error})", "not_zip") from None
            copy.seek(0)
            yield copy


@contextmanager
def open_package(upload: Any) -> Iterator[Package]:
    """The uploaded file as a checked ``Package`` (413 past the size limit, 422 otherwise)."""
    limit = settings.MAX_COURSE_PACKAGE_BYTES
    if upload.size is None or upload.size > limit:
        raise package_too_large(limit)
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise InvalidPackage("the file is not a zip archive", "not_zip") from None
    with archive:
        yield Package(archive, _checked_members(archive))


def _checked_members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InvalidPackage(f"it holds more than {MAX_MEMBERS} files", "too_many_files")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    unpacked_limit = settings.MAX_COURSE_PACKAGE_UNPACKED_BYTES
    for info in infos:
        name = info.filename
        if not safe_member_name(name):
            raise InvalidPackage(f"the member {name[:200]!r} points outside the package", "unsafe_path")
        if _is_symlink(info):
            raise InvalidPackage(f"the member {name[:200]!r} is a symbolic link", "symlink")
        if info.flag_bits & 0x1:
            raise InvalidPackage(f"the member {name[:200]!r} is encrypted", "encrypted")
        if info.is_dir():
            continue
        key = posixpath.normpath(name)
        if key in members:
            raise InvalidPackage(f"the member {name[:200]!r} appears twice", "duplicate_path")
        total += info.file_size
        if total > unpacked_limit:
            raise InvalidPackage(f"it unpacks to more than {unpacked_limit // (1024 * 1024)} MB", "zip_bomb")
        if info.file_size >= RATIO_CHECKED_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise InvalidPackage(
                f"the member {name[:200]!r} unpacks to more than {MAX_RATIO} times its packed size", "zip_bomb"
            )
        members[key] = info
    return members
