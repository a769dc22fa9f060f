"""The password policy's complexity rule (length, similarity and common passwords are Django's)."""

from __future__ import annotations

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


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with a low cost, for the test profile only (see momentum/test_settings.py)."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1
