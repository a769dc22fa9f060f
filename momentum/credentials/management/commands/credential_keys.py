"""momentum credential-keys generate|rotate|list: the Ed25519 keys that sign credentials."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.credentials import signing
from momentum.credentials.openbadges import did, keys
from momentum.lib import clock


class Command(BaseCommand):
    help = (
        "Manage the Ed25519 keys that sign Open Badges credentials: `generate` makes the key ring file if there "
        "is none, `rotate` adds a new signing key (old keys stay published so old credentials verify), `list` "
        "shows the public keys. Private keys never leave the file (MOMENTUM_CREDENTIAL_KEYS_FILE)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["generate", "rotate", "list"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        path = settings.CREDENTIAL_KEYS_FILE
        if action != "list" and settings.CREDENTIAL_KEYS:
            raise CommandError(
                "MOMENTUM_CREDENTIAL_KEYS holds the key ring, so the file is not used: change that value "
                "(generate and rotate the file elsewhere, then copy its JSON), or unset it"
            )
        try:
            if action == "generate":
                ring, made = keys.generate(path, clock.now())
                self.stdout.write(f"{'Made' if made else 'Kept'} the key ring {path}: signing key {ring.current.kid}")
            elif action == "rotate":
                ring = keys.rotate(path, clock.now())
                self.stdout.write(
                    f"Added signing key {ring.current.kid} to {path}; {len(ring.keys) - 1} older key(s) stay published"
                )
            else:
                self._list()
        except keys.KeyRingError as error:
            raise CommandError(str(error)) from error

    def _list(self) -> None:
        try:
            ring = (
                keys.parse(settings.CREDENTIAL_KEYS, "MOMENTUM_CREDENTIAL_KEYS")
                if settings.CREDENTIAL_KEYS
                else (keys.read(settings.CREDENTIAL_KEYS_FILE))
            )
        except keys.KeyRingError as error:
            raise CommandError(str(error)) from error
        if ring is None:
            raise CommandError(
                f"no key ring at {settings.CREDENTIAL_KEYS_FILE}: run `momentum credential-keys generate`"
            )
        issuer = signing.issuer_id()
        for key in ring.keys:
            role = "signs" if key is ring.current else "verifies"
            self.stdout.write(
                f"{did.verification_method(issuer, key.kid)}  {key.created_at.isoformat()}  {role}  "
                f"{key.public_multibase}"
            )
