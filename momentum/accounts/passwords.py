"""The password policy's complexity rule (length, similarity and common passwords are Django's)."""

from __future__ import annotations

import os
import threading
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError

from momentum.lib.problems import Problem


class ComplexityValidator:
    """At least one letter and at least one digit or symbol."""

    message = "Use at least one letter and at least one digit or symbol."

    def validate(self, password: str, user: Any = None) -> None:
        has_letter = any(ch.isalpha() for ch in password)
        has_other = any(not ch.isalpha() for ch in password)
        if not (has_letter and has_other):
            raise ValidationError(self.message, code="password_too_simple")

    def get_help_text(self) -> str:
        return self.message


class HashingBusy(Problem):
    """More sign-ins at once than this process can hash soon: 503 with Retry-After (issue 21)."""

    def __init__(self) -> None:
        super().__init__(
            503,
            "sign_in_busy",
            "Too many sign-ins at this moment; nothing was checked. Try again in a second.",
            headers={"Retry-After": "1"},
        )


class HashingGate:
    """At most ``running`` Argon2 computations at once in this process (each holds memory_cost of
    RAM, and on N cores more than N at once only queue for the CPU), and at most ``waiting`` more
    queued behind them; a computation beyond both is refused at once with HashingBusy (a 503
    the client can retry) instead of queueing until the client times out. At 64 connections a
    sign-in costs ~60 ms of CPU: the queue bounds the wait to about (waiting / running) x 60 ms."""

    def __init__(self, running: int, waiting: int) -> None:
        self.running = running
        self.waiting = waiting
        self._slots = threading.BoundedSemaphore(running)
        self.changed = threading.Condition()
        self.admitted = 0  # running + waiting now

    def __enter__(self) -> None:
        with self.changed:
            if self.admitted >= self.running + self.waiting:
                raise HashingBusy
            self.admitted += 1
            self.changed.notify_all()
        self._slots.acquire()

    def __exit__(self, *exc: object) -> None:
        self._slots.release()
        with self.changed:
            self.admitted -= 1
            self.changed.notify_all()


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# Sized to the machine's cores; the queue holds two rounds of them.
_HASHING = HashingGate(running=_cores(), waiting=2 * _cores())


class MomentumArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with OWASP's recommended cost (19 MiB, 2 passes, 1 lane) instead of Django's
    100 MiB and 8 lanes, which made eight concurrent sign-ins hold 800 MB in one web process.
    Hashes made with other costs still verify, and are re-made with these at the next sign-in.
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

    def encode(self, password: str, salt: str) -> str:
        with _HASHING:
            return super().encode(password, salt)

    def verify(self, password: str, encoded: str) -> bool:
        with _HASHING:
            return super().verify(password, encoded)


class TestArgon2PasswordHasher(MomentumArgon2PasswordHasher):
    """Argon2 with a low cost, for the test profile only (see momentum/test_settings.py)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
