"""The sign-up page: the same answer for a new and a registered address; email naming the site."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from momentum.accounts.models import User

pytestmark = pytest.mark.django_db

SITE = "127.0.0.1:8100"  # a site on another PORT than 8000


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_NAME = "Momentum Test Academy"
    settings.SITE_URL = f"http://{SITE}"


def sign_up(email: str) -> Any:
    form = {"email": email, "display_name": "Nia", "password1": "violet-otter-73", "password2": "violet-otter-73"}
    return Client(HTTP_HOST=SITE).post("/accounts/signup/", form, follow=True)


def visible_text(response: Any) -> str:
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S)
    assert main is not None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0))).strip()


def test_signing_up_with_a_registered_address_answers_like_a_new_one(learner: User, mailoutbox: list[Any]) -> None:
    new = sign_up("nia@example.com")
    taken = sign_up(learner.email.upper())

    assert taken.status_code == new.status_code == 200
    assert taken.redirect_chain == new.redirect_chain
    assert visible_text(taken) == visible_text(new).replace("nia@example.com", learner.email)
    assert User.objects.filter(email__iexact=learner.email).count() == 1
    # the owner of the address hears about it; the newcomer gets the verification link
    to_newcomer, to_owner = mailoutbox
    assert to_owner.to == [learner.email]
    assert "an account using that email address already exists" in to_owner.body
    assert "/accounts/confirm-email/" in to_newcomer.body


def test_every_sign_up_email_names_the_site_and_not_its_host_and_port(learner: User, mailoutbox: list[Any]) -> None:
    sign_up("nia@example.com")
    sign_up(learner.email)

    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.subject.startswith("[Momentum Test Academy] ")
        assert "Hello from Momentum Test Academy!" in message.body
        assert "Thank you for using Momentum Test Academy!" in message.body
        words = re.sub(r"https?://\S+", "", message.body)  # links rightly point at the site's address
        assert SITE not in words
