"""Every template shows people only translated text (issue 18): one test per template file, in
every template folder of the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.i18n.template_text import untranslated_text

BASE = Path(__file__).resolve().parents[2]
ALL_TEMPLATE_ROOTS = [BASE / "templates", *sorted(BASE.glob("momentum/*/templates"))]
TEMPLATES = sorted(
    path
    for root in ALL_TEMPLATE_ROOTS
    for path in root.rglob("*")
    if path.suffix in {".html", ".txt", ".xml"} and path.is_file()
)


def test_the_lint_sees_templates_of_every_template_folder() -> None:
    assert all(any(path.is_relative_to(root) for path in TEMPLATES) for root in ALL_TEMPLATE_ROOTS)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(BASE)))
def test_a_template_shows_only_translated_text(template: Path) -> None:
    assert untranslated_text(template.read_text(encoding="utf-8")) == []


def test_the_lint_finds_text_outside_translation_tags() -> None:
    source = '{% load i18n %}<h1>{% translate "Fine" %}</h1><p>Not fine</p><img alt="Also not">'

    assert untranslated_text(source) == ["Not fine", "Also not"]


def test_the_lint_lets_through_translations_code_and_the_brand() -> None:
    source = (
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}<code>make messages</code>"
        "<span>Momentum</span>{% block body_class %}account-page{% endblock %}<script>var a = 'x';</script>"
    )

    assert untranslated_text(source) == []
