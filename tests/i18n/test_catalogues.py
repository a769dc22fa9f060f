"""The catalogues are complete and current (issue 18): a string shown to people that is untranslated,
fuzzy, obsolete, missing from its catalogue or with broken placeholders fails here, per catalogue."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

from momentum.platform import catalogues

CATALOGUES = catalogues.catalogue_files()
BASE = catalogues.ROOT_CATALOGUE.parent
ARABIC_PLURALS = "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
PYTHON_FORMAT = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")
BRACE_FORMAT = re.compile(r"{(\w*)}")


def _id(path: Path) -> str:
    return str(path.relative_to(BASE))


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_every_interface_language_has_a_root_catalogue() -> None:
    assert {path.parts[-3] for path in CATALOGUES if path.is_relative_to(catalogues.ROOT_CATALOGUE)} == {"es", "ar"}
    assert all(path.is_file() for path in CATALOGUES)


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_a_catalogue_is_fully_translated_with_nothing_fuzzy_or_obsolete(path: Path) -> None:
    po = polib.pofile(str(path))

    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_a_catalogue_keeps_every_placeholder(path: Path) -> None:
    broken = []
    for entry in polib.pofile(str(path)):
        for pattern in (PYTHON_FORMAT, BRACE_FORMAT if "python-brace-format" in entry.flags else None):
            if pattern is None:
                continue
            wanted = sorted(set(pattern.findall(entry.msgid)) | set(pattern.findall(entry.msgid_plural or "")))
            broken += [entry.msgid for text in _translations(entry) if sorted(set(pattern.findall(text))) != wanted]
    assert broken == []


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_a_catalogue_declares_its_language_and_plural_forms(path: Path) -> None:
    po = polib.pofile(str(path))
    language = path.parts[-3]

    assert po.metadata["Language"] == language
    assert po.metadata["Plural-Forms"] == {"es": "nplurals=2; plural=n != 1;", "ar": ARABIC_PLURALS}[language]
    plural_counts = {len(e.msgstr_plural) for e in po if e.msgid_plural}
    assert plural_counts <= {2 if language == "es" else 6}


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_the_compiled_catalogue_matches_its_source(path: Path) -> None:
    """The .mo files are committed (a fresh clone needs no gettext tools): they must not lag."""
    compiled = path.with_suffix(".mo")
    assert compiled.is_file(), f"{_id(compiled)} is missing: run `make messages`"
    source = {(e.msgctxt, e.msgid): _translations(e) for e in polib.pofile(str(path)) if e.translated()}
    built = {(e.msgctxt, e.msgid): _translations(e) for e in polib.mofile(str(compiled)) if e.msgid}
    assert built == source, f"{_id(compiled)} is older than its .po: run `make messages`"


def _fresh_catalogue(tmp_path: Path, catalogue: Path) -> polib.POFile:
    """makemessages over a copy of the sources, merged into a copy of ``catalogue``'s folder."""
    work = tmp_path / "src"
    locale = catalogue.parents[2]
    if locale == catalogues.ROOT_CATALOGUE:
        shutil.copytree(BASE / "templates", work / "templates")
        for package in catalogues.ROOT_CATALOGUE_PACKAGES:
            shutil.copytree(
                BASE / "momentum" / package, work / "momentum" / package, ignore=shutil.ignore_patterns("tests")
            )
        for module in (BASE / "momentum").glob("*.py"):
            shutil.copy(module, work / "momentum" / module.name)
    else:
        shutil.copytree(locale.parent, work, ignore=shutil.ignore_patterns("tests"))
    shutil.copytree(locale, work / "locale", dirs_exist_ok=True)
    language = catalogue.parts[-3]
    before = Path.cwd()
    try:
        import os

        os.chdir(work)
        with override_settings(LOCALE_PATHS=[work / "locale"]):
            call_command(
                "makemessages", locale=[language], no_obsolete=True, add_location="file", verbosity=0,
                ignore_patterns=list(catalogues.IGNORED),
            )  # fmt: skip
    finally:
        os.chdir(before)
    return polib.pofile(str(work / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=_id)
def test_a_catalogue_holds_every_string_of_its_sources(path: Path, tmp_path: Path) -> None:
    assert shutil.which("xgettext"), "gettext's xgettext is needed to read the sources (make system-packages)"
    fresh = _fresh_catalogue(tmp_path, path)
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))}
    current = {(e.msgctxt, e.msgid) for e in fresh}

    assert sorted(current - committed, key=str) == [], "strings missing from the catalogue: run `make messages`"
    assert sorted(committed - current, key=str) == [], "strings no source uses any more: run `make messages`"
