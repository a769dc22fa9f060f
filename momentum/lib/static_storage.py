"""Static files' storages whose URLs are worked out once per name.

Every page asks its storage for a dozen static URLs (stylesheets, scripts, icons); with the
manifest storage each asks for the hashed name and builds the URL again. Static files do not
change while a process runs (a deploy collects them and restarts it), so each URL is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class _KeptUrls:
    def url(self, name: Any, *args: Any, **kwargs: Any) -> str:
        kept: dict[tuple[Any, ...], str] = self.__dict__.setdefault("_kept_urls", {})
        key = (name, *args, *sorted(kwargs.items()))
        found = kept.get(key)
        if found is None:
            found = kept[key] = super().url(name, *args, **kwargs)  # type: ignore[misc]
        return found


class KeptUrlStaticFilesStorage(_KeptUrls, StaticFilesStorage):
    """Development and tests: the files as they are."""


class KeptUrlManifestStaticFilesStorage(_KeptUrls, CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Deployed: hashed, compressed files (WhiteNoise) by the manifest."""
