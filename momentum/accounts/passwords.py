"""The password policy's complexity rule (length, similarity and common passwords are Django's)."""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError


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


# Argon2 computations one web process runs at once: each holds memory_cost of RAM, and on two
# cores more at once only queue for the CPU. Sign-ins beyond it wait their turn.
_HASHING = threading.BoundedSemaphore(2)


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


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a low cost, for the test profile only (see momentum/test_settings.py)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
