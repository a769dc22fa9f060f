"""`momentum lti-keys generate|show`: make the LTI tool's RSA key file, or print its public JWK."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from momentum.lti import keys


class Command(BaseCommand):
    help = "Generate the LTI 1.3 tool key file (RSA 2048, mode 0600), or show the public key set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["generate", "show"])
        parser.add_argument(
            "--file", type=Path, default=None, help="Where to write the key (default: MOMENTUM_LTI_KEY_FILE)"
        )
        parser.add_argument("--stdout", action="store_true", help="Print a new PEM instead of writing a file")

    def handle(self, *args: Any, verb: str, file: Path | None, stdout: bool, **options: Any) -> None:
        if verb == "show":
            try:
                self.stdout.write(json.dumps(keys.jwks(), indent=2))
            except keys.LtiKeysMissing as error:
                raise CommandError(str(error)) from None
            return
        pem = keys.generate_private_pem()
        if stdout:
            self.stdout.write(pem)
            return
        path = file or Path(settings.LTI_KEY_FILE)
        try:
            keys.write_key_file(path, pem)
        except FileExistsError:
            raise CommandError(
                f"{path} exists already: rotate by moving it away first (docs/runbooks/lti-keys.md)"
            ) from None
        self.stdout.write(f"Wrote the LTI tool key to {path} (mode 0600). Its public key set is served at /lti/jwks/.")
