"""`momentum generate-vapid-keys`: a new VAPID key pair for MOMENTUM_VAPID_PRIVATE_KEY (printed, not stored)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from momentum.webpush.vapid import generate_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair (P-256) for web push: set MOMENTUM_VAPID_PRIVATE_KEY to the private key."

    def handle(self, *args: Any, **options: Any) -> None:
        pair = generate_key_pair()
        private = pair.private_pem.strip().replace("\n", "\\n")
        self.stdout.write(f"MOMENTUM_VAPID_PRIVATE_KEY={private}\n")
        self.stdout.write(
            f"# public key (applicationServerKey, served at /api/v1/push/public-key): {pair.public_key}\n"
        )
        self.stdout.write(
            "# Keep the private key secret (a secrets manager, or the .env of each machine). Changing it\n"
            "# invalidates every browser subscription: see docs/runbooks/vapid-key-rotation.md.\n"
        )
