"""Where the interface's gettext catalogues live, and which sources each one is made from.

- The root catalogue, ``locale/`` (settings.LOCALE_PATHS), holds the strings of the root
  ``templates/`` folder and of the core packages listed in ``ROOT_CATALOGUE_PACKAGES``.
- Every other app keeps its own catalogue in ``momentum/<app>/locale/`` (made from that app's folder
  alone), which Django finds by itself because the app is installed.

``momentum catalogues`` (``make messages``) refreshes them all and compiles them; docs/i18n.md says
how to add a language.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent
ROOT_CATALOGUE = Path(settings.BASE_DIR) / "locale"
# Packages of momentum/ whose strings go to the root catalogue (with momentum/*.py and templates/).
ROOT_CATALOGUE_PACKAGES = ("accounts", "audit", "lib", "ops", "platform", "sitesettings", "webpush")
# Never extracted: tests, tools, data and dependencies.
IGNORED = ("tests", "*/tests", "conftest.py", ".venv", "node_modules", "var", "bench", "docs", "deploy", "static")


def translated_languages() -> list[str]:
    """Every interface language but the source one (English): those catalogues must be complete."""
    return [code for code, _name in settings.LANGUAGES if code != "en"]


def app_catalogues() -> list[Path]:
    """The apps' own catalogue folders (``momentum/<app>/locale``)."""
    return sorted(path for path in PACKAGE_DIR.glob("*/locale") if path.is_dir())


def root_ignore_patterns() -> list[str]:
    """makemessages --ignore patterns that keep every other app's sources out of the root catalogue."""
    others = [
        f"momentum/{path.name}"
        for path in sorted(PACKAGE_DIR.iterdir())
        if path.is_dir() and not path.name.startswith(("_", ".")) and path.name not in ROOT_CATALOGUE_PACKAGES
    ]
    return [*IGNORED, *others]


def catalogue_files() -> list[Path]:
    """Every django.po of a translated language, root catalogue first."""
    files = []
    for folder in [ROOT_CATALOGUE, *app_catalogues()]:
        files += [folder / code / "LC_MESSAGES" / "django.po" for code in translated_languages()]
    return files
