"""What the pages' scripts write (the push control's answers, the wallet's share button, a scrolling
table's name) comes from the page, in its language: the scripts hold no sentence of their own."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import make_certificate
from tests.i18n.speaking import get_in

pytestmark = pytest.mark.django_db

SCRIPTS = Path(__file__).resolve().parents[2] / "static" / "js"


def attributes(page: str, prefix: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in re.findall(rf'({prefix}[\w-]*)="([^"]*)"', page)}


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("es", {"data-say-push-service": "Este navegador no pudo contactar", "data-say-asking": "Preguntando"}),
        ("ar", {"data-say-push-service": "تعذّر على هذا المتصفح", "data-say-asking": "جارٍ سؤال متصفحك"}),
    ],
)
def test_the_push_controls_answers_are_in_the_learners_language(
    client: Any, learner: Any, language: str, said: dict[str, str]
) -> None:
    client.force_login(learner)
    found = attributes(get_in(client, language, reverse("webpush:settings")).content.decode(), "data-say-")
    states = ("unsupported", "denied", "asking", "subscribed", "permission", "push-service", "server")
    assert set(found) == {f"data-say-{state}" for state in states}
    assert all(found[name].startswith(words) for name, words in said.items()), found


def test_the_wallets_share_button_speaks_the_learners_language(client: Any, learner: Any) -> None:
    make_certificate(learner)
    client.force_login(learner)
    page = get_in(client, "es", reverse("credentials:wallet")).content.decode()
    assert attributes(page, "data-say-") == {
        "data-say-copied": "Enlace copiado.",
        "data-say-not-copied": "No se pudo copiar: selecciona el enlace y cópialo.",
    }
    assert attributes(page, "data-share-label") == {"data-share-label": "Compartir"}


def test_a_scrolling_tables_name_is_in_the_pages_language(client: Any) -> None:
    page = get_in(client, "ar", "/").content.decode()
    assert '<meta name="momentum-scrolls" content="يُمرَّر أفقيًا" data-after-heading="يُمرَّر أفقيًا">' in page


@pytest.mark.parametrize("script", ["pwa.js", "wallet.js"])
def test_the_scripts_write_no_english_sentence_of_their_own(script: str) -> None:
    source = re.sub(r"//[^\n]*", "", (SCRIPTS / script).read_text())  # the code, not its comments
    strings = re.findall(r'"([^"\\]*)"', source)
    assert [s for s in strings if re.search(r"[A-Za-z]+ [a-z]+ [a-z]+", s)] == []
