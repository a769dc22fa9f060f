"""momentum create-admin --email E --password P: non-interactive and idempotent."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.accounts.actions import do_ensure_admin


class Command(BaseCommand):
    help = "Create an admin account, or make an existing account an admin with this password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)

    def handle(self, *args: Any, email: str, password: str, **options: Any) -> None:
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError("Password rejected: " + " ".join(error.messages)) from None
        user, created = do_ensure_admin(email.strip().lower(), password)
        self.stdout.write(f"{'Created' if created else 'Updated'} admin {user.email}")
