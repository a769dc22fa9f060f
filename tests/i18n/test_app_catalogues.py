"""The apps' own catalogues (momentum/<app>/locale/{es,ar}) are complete, consistent and compiled.

i18n-core checks every django.po of the project; this file pins the apps' catalogues: no
untranslated or fuzzy entry, the same placeholders as the English, the plural forms each
language has, and a compiled .mo that says what the .po says.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2] / "momentum"
APPS = [
    "catalog", "learning", "assessments", "achievements", "analytics", "billing", "credentials",
    "discussions", "observability",
]  # fmt: skip
LANGUAGES = {"es": 2, "ar": 6}  # plural forms of each
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdrf]|\{[^{}]*\}")
CATALOGUES = [(app, language) for app in APPS for language in LANGUAGES]


def _po(app: str, language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_every_entry_is_translated_and_none_is_fuzzy(app: str, language: str) -> None:
    po = _po(app, language)
    assert len(po) > 0
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert [entry.msgid for entry in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_translations_keep_the_placeholders_of_the_english(app: str, language: str) -> None:
    wrong = []
    for entry in _po(app, language):
        if entry.msgid_plural:
            english = {tuple(_placeholders(entry.msgid)), tuple(_placeholders(entry.msgid_plural))}
            wrong += [
                (entry.msgid, form)
                for form in entry.msgstr_plural.values()
                if tuple(_placeholders(form)) not in english
            ]
        elif _placeholders(entry.msgstr) != _placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_plural_entries_have_every_form_of_the_language(app: str, language: str) -> None:
    po = _po(app, language)
    assert po.metadata["Plural-Forms"].startswith(f"nplurals={LANGUAGES[language]};")
    assert all(len(entry.msgstr_plural) == LANGUAGES[language] for entry in po if entry.msgid_plural)


@pytest.mark.parametrize(("app", "language"), CATALOGUES)
def test_the_compiled_catalogue_says_what_the_po_says(app: str, language: str) -> None:
    compiled = polib.mofile(str(ROOT / app / "locale" / language / "LC_MESSAGES" / "django.mo"))
    by_id = {(entry.msgid, entry.msgid_plural): entry for entry in compiled}
    for entry in _po(app, language):
        mo = by_id[(entry.msgid, entry.msgid_plural)]
        assert (mo.msgstr, mo.msgstr_plural) == (entry.msgstr, entry.msgstr_plural), entry.msgid
