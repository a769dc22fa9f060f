"""Which language a text is written in, offline: py3langid (a maintained fork of langid.py, its
naive Bayes model shipped inside the wheel; deterministic, no network, no model download).

Generation uses it to check that a language model answered in the course's language (ADR 0018).
Markdown, code and URLs are stripped before the check, and texts too short to tell are not judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

MIN_LETTERS = 40  # below this many letters a text is too short to judge
MIN_CONFIDENCE = 0.5  # a mismatch is reported only when the identifier is at least this sure
_CODE_BLOCK = re.compile(r"```.*?```", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_URL = re.compile(r"https?://\S+")
_MARKUP = re.compile(r"[#>*_\[\]()|~=-]+")


@dataclass(frozen=True)
class Identified:
    language: str  # an ISO 639-1 code ("es"), or "" when the text was too short to tell
    confidence: float


@cache
def _identifier() -> Any:
    """The model, loaded once per process (about a second)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def prose(text: str) -> str:
    """``text`` without code, URLs and Markdown punctuation: what a reader reads."""
    text = _URL.sub(" ", _INLINE_CODE.sub(" ", _CODE_BLOCK.sub(" ", text)))
    return " ".join(_MARKUP.sub(" ", text).split())


def identify(text: str) -> Identified:
    """The language ``text`` is most likely written in, and how sure the model is (0..1)."""
    plain = prose(text)
    if sum(char.isalpha() for char in plain) < MIN_LETTERS:
        return Identified("", 0.0)
    language, confidence = _identifier().classify(plain)
    return Identified(str(language), float(confidence))


def written_in(text: str, language: str) -> str:
    """'' when ``text`` reads as ``language`` (or is too short to tell), else what it reads as."""
    expected = language.lower().split("-")[0]
    found = identify(text)
    if not found.language or found.language == expected or found.confidence < MIN_CONFIDENCE:
        return ""
    return found.language
