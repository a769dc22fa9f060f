"""GET /languages, and the language and time zone of PATCH /me (validated, and kept by the database)."""

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from momentum.accounts.models import User

pytestmark = pytest.mark.django_db


def test_anyone_can_list_the_interface_languages(api: Any) -> None:
    body = api.get("/languages").json()

    assert body["items"] == [
        {"code": "en", "name": "English", "direction": "ltr"},
        {"code": "es", "name": "Español", "direction": "ltr"},
        {"code": "ar", "name": "العربية", "direction": "rtl"},
    ]
    assert body["count"] == 3


def test_me_includes_language_and_time_zone(api_as: Any, learner: User) -> None:
    body = api_as(learner).get("/me").json()

    assert (body["language"], body["timezone"]) == ("", "UTC")


def test_patching_me_sets_the_language_and_time_zone(api_as: Any, learner: User) -> None:
    response = api_as(learner).patch("/me", {"language": "es", "timezone": "America/Mexico_City"})

    assert response.status_code == 200
    assert (response.json()["language"], response.json()["timezone"]) == ("es", "America/Mexico_City")
    assert response["Content-Language"] == "es"  # the answer already speaks the new language
    learner.refresh_from_db()
    assert (learner.language, learner.timezone) == ("es", "America/Mexico_City")


def test_a_blank_language_goes_back_to_the_browsers(api_as: Any, learner: User) -> None:
    learner.language = "ar"
    learner.save(update_fields=["language"])

    assert api_as(learner).patch("/me", {"language": ""}).json()["language"] == ""


@pytest.mark.parametrize("language", ["fr", "EN", "es-ES", "x" * 16])
def test_a_language_not_offered_is_a_422_problem(api_as: Any, learner: User, language: str) -> None:
    response = api_as(learner).patch("/me", {"language": language})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "validation_error"
    assert response.json()["errors"][0]["field"] == "language"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "utc+2", "Europe/", "", "../../etc/passwd"])
def test_an_unknown_time_zone_is_a_422_problem(api_as: Any, learner: User, zone: str) -> None:
    response = api_as(learner).patch("/me", {"timezone": zone})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "timezone"
    learner.refresh_from_db()
    assert learner.timezone == "UTC"


def test_the_database_refuses_a_language_not_offered(learner: User) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=learner.pk).update(language="fr")


@pytest.mark.parametrize("zone", ["", "Europe/ Berlin", "/etc/localtime"])
def test_the_database_refuses_what_can_never_be_a_time_zone(learner: User, zone: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=learner.pk).update(timezone=zone)


def test_the_profile_page_offers_language_and_every_time_zone(client: Any, learner: User) -> None:
    client.force_login(learner)

    html = client.get("/profile/").content.decode()

    assert 'name="language"' in html
    assert '<option value="Asia/Kolkata"' in html


def test_choosing_a_language_on_the_profile_page_switches_the_pages(client: Any, learner: User) -> None:
    client.force_login(learner)
    form = {"display_name": "Lee", "language": "es", "timezone": "Europe/Madrid", "reminder_emails": "on"}

    response = client.post("/profile/", form, follow=True)

    assert response["Content-Language"] == "es"
    assert "Tu perfil se ha guardado." in response.content.decode()
