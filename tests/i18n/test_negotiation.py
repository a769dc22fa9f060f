"""Which language answers: the user's choice, else the switcher's cookie, else Accept-Language, else the default."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from momentum.accounts.models import User

pytestmark = pytest.mark.django_db


def _lang(html: str) -> str:
    return html.split("<html ", 1)[1].split(">", 1)[0]


def test_an_anonymous_visitor_asking_for_spanish_gets_a_spanish_page(client: Client) -> None:
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")

    assert response["Content-Language"] == "es"
    assert 'lang="es" dir="ltr"' in _lang(response.content.decode())
    assert "Qué guardamos y por qué" in response.content.decode()
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_an_arabic_page_is_written_right_to_left(client: Client) -> None:
    response = client.get("/terms/", HTTP_ACCEPT_LANGUAGE="ar")

    assert 'lang="ar" dir="rtl"' in _lang(response.content.decode())
    assert "شروط الاستخدام" in response.content.decode()


def test_a_language_we_do_not_speak_falls_back_to_the_site_default(client: Client) -> None:
    response = client.get("/terms/", HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.8")

    assert response["Content-Language"] == settings.LANGUAGE_CODE == "en"
    assert "Terms of use" in response.content.decode()


def test_the_users_language_beats_the_browsers(client: Client, learner: User) -> None:
    learner.language = "ar"
    learner.save(update_fields=["language"])
    client.force_login(learner)

    response = client.get("/profile/", HTTP_ACCEPT_LANGUAGE="es")

    assert response["Content-Language"] == "ar"
    assert "ملفك الشخصي" in response.content.decode()


def test_a_user_without_a_choice_follows_the_browser(client: Client, learner: User) -> None:
    client.force_login(learner)

    assert client.get("/profile/", HTTP_ACCEPT_LANGUAGE="es")["Content-Language"] == "es"


def test_the_switcher_remembers_an_anonymous_choice_in_a_cookie(client: Client) -> None:
    response = client.post("/language/", {"language": "es", "next": "/terms/"})

    assert response.status_code == 302
    assert response["Location"] == "/terms/"
    assert client.get("/terms/", HTTP_ACCEPT_LANGUAGE="ar")["Content-Language"] == "es"


def test_the_switcher_saves_the_choice_on_the_account(client: Client, learner: User) -> None:
    client.force_login(learner)

    client.post("/language/", {"language": "ar", "next": "https://evil.example/"})

    learner.refresh_from_db()
    assert learner.language == "ar"


def test_the_switcher_refuses_a_language_not_offered_with_a_page_not_a_crash(client: Client) -> None:
    response = client.post("/language/", {"language": "xx"}, HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 400
    assert "Elige uno de los idiomas disponibles." in response.content.decode()


def test_every_page_has_the_switcher_with_a_label(client: Client) -> None:
    html = client.get("/terms/").content.decode()

    assert '<label for="language-switcher-select">Language</label>' in html
    assert 'action="/language/"' in html


def test_a_problem_is_in_the_callers_language_and_its_code_stays_english(api: Any) -> None:
    response = api.get("/me", HTTP_ACCEPT_LANGUAGE="es")

    body = response.json()
    assert response.status_code == 401
    assert response["Content-Language"] == "es"
    assert (body["code"], body["title"]) == ("not_authenticated", "No autenticado")
    assert body["detail"].startswith("Inicia sesión")


def test_a_bearer_callers_language_answers_their_problems(api_as: Any, learner: User) -> None:
    learner.language = "ar"
    learner.save(update_fields=["language"])

    body = api_as(learner).patch("/me", {"timezone": "Mars/Olympus"}, HTTP_ACCEPT_LANGUAGE="es").json()

    assert (body["code"], body["title"]) == ("validation_error", "مدخلات غير صالحة")


def test_a_spanish_page_shows_spanish_month_names(client: Client, admin: User, learner: User) -> None:
    learner.created_at = learner.created_at.replace(month=3, day=14)
    learner.save(update_fields=["created_at"])
    client.force_login(admin)

    html = client.get(f"/studio/users/{learner.pk}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert f"14 de marzo de {learner.created_at.year}" in html
