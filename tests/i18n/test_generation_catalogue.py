"""The generation app's catalogues (momentum/generation/locale) are complete and compiled: every
message the app shows or writes into a generated course has a translation in each interface
language, none fuzzy, with the same placeholders, and the committed .mo says what the .po says.

The offline generator writes whole courses from these messages, so a missing entry is an English
sentence in the middle of a Spanish or Arabic lesson.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "momentum" / "generation" / "locale"
LANGUAGES = ("es", "ar")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalogue = _catalogue(language)

    assert len(catalogue) > 100  # the offline generator's templates and the app's pages
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_message(language: str) -> None:
    wrong = []
    for entry in _catalogue(language):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wrong += [(entry.msgid, text) for text in translations if _placeholders(text) != _placeholders(entry.msgid)]

    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_one_of_the_po_file(language: str) -> None:
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))

    source = {(entry.msgid, entry.msgstr) for entry in _catalogue(language) if not entry.msgid_plural}
    assert source <= {(entry.msgid, entry.msgstr) for entry in compiled}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_gnu_msgfmt_accepts_the_catalogue(language: str, tmp_path: Path) -> None:
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_scaffold_phrases_the_quiz_writer_skips_are_in_the_lessons_sentences(language: str) -> None:
    """cloze_quiz skips the lesson's own scaffolding by these phrases: each must appear, translated,
    in the translated sentences that carry it."""
    translated = {entry.msgid: entry.msgstr for entry in _catalogue(language)}
    carriers = {
        "reference puts it": "as the reference puts it, “%(quote)s”",
        "terms to remember": "The terms to remember today: %(terms)s.",
        "term your reference material": "a term your reference material uses often; write a one-line definition.",
        "one-line definition": "a term your reference material uses often; write a one-line definition.",
    }

    for phrase, sentence in carriers.items():
        assert translated[phrase] in translated[sentence], (phrase, translated[phrase], translated[sentence])


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed")
def test_the_catalogue_holds_every_message_of_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """makemessages over a copy of the app finds no message the committed catalogue lacks."""
    from django.core.management import call_command

    app = tmp_path / "generation"
    shutil.copytree(LOCALE.parent, app, ignore=shutil.ignore_patterns("tests", "migrations", "__pycache__"))
    monkeypatch.chdir(app)
    call_command("makemessages", locale=["es"], no_obsolete=True, verbosity=0)

    found = {entry.msgid for entry in polib.pofile(str(app / "locale" / "es" / "LC_MESSAGES" / "django.po"))}
    assert found - {entry.msgid for entry in _catalogue("es")} == set()
