"""BCP 47 language tags (``en``, ``pt-BR``, ``zh-Hant``): checked against the IANA subtag registry
by langcodes, written in their standard form, and named for people."""

from __future__ import annotations

import langcodes

MAX_LENGTH = 35  # RFC 5646 §4.4.1: what an application must be able to hold

# Names of the languages people meet most, in their own language; other tags show as themselves.
NAMES = {
    "ar": "العربية", "de": "Deutsch", "en": "English", "es": "Español", "fr": "Français", "hi": "हिन्दी",
    "it": "Italiano", "ja": "日本語", "ko": "한국어", "nl": "Nederlands", "pl": "Polski", "pt": "Português",
    "ru": "Русский", "sv": "Svenska", "tr": "Türkçe", "uk": "Українська", "zh": "中文",
}  # fmt: skip


def standard(tag: str) -> str | None:
    """``tag`` in its standard form (``en-us`` → ``en-US``), or None when it is not a valid BCP 47 tag."""
    tag = tag.strip()
    if not tag or len(tag) > MAX_LENGTH or not langcodes.tag_is_valid(tag):
        return None
    try:
        return str(langcodes.standardize_tag(tag))
    except ValueError:  # langcodes' LanguageTagError is a ValueError
        return None


def name(tag: str) -> str:
    """What a caption menu calls the language: "English", "Español (MX)", or the tag itself."""
    language, _, rest = tag.partition("-")
    known = NAMES.get(language.lower())
    if known is None:
        return tag
    return f"{known} ({rest})" if rest else known


def language_code(tag: str) -> str | None:
    """``tag`` as a language code (``ES`` → ``es``): a valid BCP 47 tag that is a primary language
    subtag alone (no region or script), or None."""
    found = standard(tag)
    if found is None or "-" in found or not 2 <= len(found) <= 3 or not found.isalpha():
        return None
    return found.lower()
