"""GDPR export and erasure across apps.

Every app that holds personal data has a ``personal_data`` module with ``export(user) -> dict``
(top-level sections of the export, named after what they hold) and, when it keeps anything that
must go, ``erase(user)``. The accounts app anonymises the user row itself, last
(momentum.accounts.actions.do_erase_account).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django.utils import timezone

from momentum.accounts.models import User

PERSONAL_DATA_MODULES = [
    "momentum.accounts.personal_data",
    "momentum.credentials.personal_data",  # before learning and achievements: it detaches from their rows
    "momentum.learning.personal_data",
    "momentum.assessments.personal_data",
    "momentum.discussions.personal_data",
    "momentum.achievements.personal_data",
    "momentum.billing.personal_data",
    "momentum.generation.personal_data",
    "momentum.analytics.personal_data",
    "momentum.audit.personal_data",
    "momentum.webpush.personal_data",
    "momentum.xapi.personal_data",
]
EXPORT_FORMAT_VERSION = 1


def modules() -> list[ModuleType]:
    return [importlib.import_module(name) for name in PERSONAL_DATA_MODULES]


def export(user: User) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "user_id": user.pk,
    }
    for module in modules():
        sections = module.export(user)
        overlap = set(sections) & set(document)
        if overlap:
            raise RuntimeError(f"{module.__name__} exports sections already taken: {sorted(overlap)}")
        document.update(sections)
    return document


def erase(user: User) -> None:
    """Run each app's erasure (callers hold the transaction)."""
    for module in modules():
        eraser = getattr(module, "erase", None)
        if eraser is not None:
            eraser(user)
