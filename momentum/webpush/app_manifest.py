"""The web app manifest (W3C Application Manifest) that makes the site installable."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static

THEME_COLOUR = "#3340d6"  # --brand in static/css/momentum.css, and the base template's theme-color
BACKGROUND_COLOUR = "#ffffff"
ICONS = [
    ("img/app-icon-192.png", "192x192", "any"),
    ("img/app-icon-512.png", "512x512", "any"),
    ("img/app-icon-maskable-512.png", "512x512", "maskable"),
]


def manifest() -> dict[str, Any]:
    return {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": "Short daily courses: one lesson a day for 7, 14 or 21 days.",
        "id": "/",
        "start_url": "/dashboard/?source=installed",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": use} for path, sizes, use in ICONS
        ],
    }
