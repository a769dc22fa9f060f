"""The page frame (head, header, footer) is put together from pieces rendered once per process,
language and key (``{% piece %}``, platform/templatetags/frame_tags.py): each reader still sees
their own count, menu, current page, language and token, and a renamed site at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client

from momentum.accounts.actions import do_notify
from momentum.accounts.models import NotificationKind, Role, User
from momentum.sitesettings.actions import do_update_site_settings
from tests.factories import make_user, signed_in_client

pytestmark = pytest.mark.django_db


def bell(html: str) -> str:
    found = re.search(r'<a class="notification-bell.*?</a>', html, re.S)
    assert found, "no bell on the page"
    return found.group(0)


def nav(html: str) -> str:
    found = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert found, "no main menu on the page"
    return found.group(0)


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_two_learners_each_see_their_own_bell_menu_and_token_from_the_same_pieces(learner: User) -> None:
    other = make_user("noor@example.com")
    for title in ("First badge", "Second badge"):
        do_notify(learner, kind=NotificationKind.BADGE_AWARDED, title=title, body="Well done.", url="/dashboard/")
    first, second = signed_in_client(learner), signed_in_client(other)

    mine = first.get("/terms/").content.decode()
    theirs = second.get("/terms/").content.decode()
    on_notifications = second.get("/notifications/").content.decode()

    assert "data-unread-count>2<" in bell(mine)
    assert "unread" not in bell(theirs)
    assert 'aria-current="page"' not in bell(theirs)
    assert 'aria-current="page"' in bell(on_notifications)
    assert tokens(mine)
    assert tokens(theirs)
    assert tokens(mine).isdisjoint(tokens(theirs))
    assert "Sign out" in nav(mine)
    assert "Sign in" not in nav(mine)


def test_the_menu_marks_the_page_on_screen_and_shows_each_role_its_entries(admin: User, learner: User) -> None:
    as_learner, as_admin, visitor = signed_in_client(learner), signed_in_client(admin), Client()

    on_profile = nav(as_learner.get("/profile/").content.decode())
    on_terms = nav(as_learner.get("/terms/").content.decode())
    admins = nav(as_admin.get("/terms/").content.decode())
    visitors = nav(visitor.get("/terms/").content.decode())

    assert re.search(r'href="/profile/" aria-current="page">Account<', on_profile)
    assert 'aria-current="page"' not in on_terms
    assert "Studio" in admins
    assert "Studio" not in on_terms
    assert "Sign in" in visitors
    assert "Account" not in visitors
    assert "Sign out" not in visitors


def test_a_renamed_site_and_another_language_show_in_the_frame_at_once(
    admin: User, learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    reader = signed_in_client(learner)
    assert "Momentum" in reader.get("/terms/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        do_update_site_settings(actor=admin, site_name="Bakery School")
    renamed = reader.get("/terms/").content.decode()
    learner.language = "es"
    learner.save(update_fields=["language"])
    spanish = reader.get("/terms/").content.decode()

    header, footer = renamed.split("<main", 1)[0], renamed.split("</main>", 1)[1]
    assert "Bakery School" in header
    assert "Bakery School" in footer
    assert 'class="skip-link" href="#main">Skip to content<' in renamed
    assert '<html lang="es"' in spanish
    assert 'class="skip-link" href="#main">Skip to content<' not in spanish
    assert '<option value="es" lang="es" selected>' in spanish


def test_the_environment_banner_names_the_environment(learner: User, settings: object) -> None:
    staff = make_user("ines@example.com", role=Role.ADMIN)

    assert "TEST ENVIRONMENT" in signed_in_client(staff).get("/terms/").content.decode()


@pytest.mark.parametrize(
    "source",
    [
        "{% piece 'greeting' %}Hello {{ user.email }}{% endpiece %}",
        "{% piece 'back' %}<a href='{{ request.path }}'>{% endpiece %}",
        "{% piece 'form' %}{% csrf_token %}{% endpiece %}",
        "{% piece 'title' %}{% block title %}{% endblock %}{% endpiece %}",
        "{% piece greeting %}Hello{% endpiece %}",
    ],
)
def test_a_piece_that_reads_the_request_or_holds_a_block_is_refused_when_the_template_is_compiled(
    source: str,
) -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% load frame_tags %}" + source)


def test_what_a_piece_names_is_its_key() -> None:
    template = Template("{% load frame_tags %}{% piece 'greeting' who=name %}Hello {{ who }}{% endpiece %}")

    assert template.render(Context({"name": "Ada"})) == "Hello Ada"
    assert template.render(Context({"name": "Noor"})) == "Hello Noor"
    assert template.render(Context({"name": "Ada"})) == "Hello Ada"


def test_a_page_overrides_the_blocks_beside_the_pieces_and_the_search_for_blocks_skips_them() -> None:
    from django.template import engines
    from django.template.base import VariableNode

    engine = engines["django"].engine  # type: ignore[attr-defined]
    parent = engine.from_string(
        "{% load frame_tags %}<title>{% block title %}Site{% endblock %}</title>"
        "{% piece 'beside-blocks' site=site_name %}<meta content='{{ site }}'>{% endpiece %}"
        "<main>{% block content %}{% endblock %}</main>"
    )
    child = engine.from_string(
        "{% extends parent %}{% block title %}Terms{% endblock %}{% block content %}Hi{% endblock %}"
    )

    page = child.render(Context({"parent": parent, "site_name": "Momentum"}))

    assert page == "<title>Terms</title><meta content='Momentum'><main>Hi</main>"
    assert parent.nodelist.get_nodes_by_type(VariableNode) == []  # what a render of every child page walks
