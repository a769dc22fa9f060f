"""An email backend that writes each message as one .eml file (dev and test profiles)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        directory = Path(settings.MAIL_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(message.message().as_bytes())
            tmp.rename(path)  # readers never see a half-written message
            sent += 1
        return sent
