"""The studio's audit page: the trail with filters, for admins only."""

import pytest
from django.test import Client

from momentum.accounts.models import User
from momentum.audit.actions import do_record_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, admin: User, learner: User) -> Client:
    do_record_audit("auth.signed_in", actor=learner, subject=learner, metadata={"via": "web"})
    do_record_audit("course.published", actor=admin, resource_type="course", resource_id=7)
    client.force_login(admin)
    return client


def test_the_audit_page_lists_events_with_filters(admin_client: Client) -> None:
    response = admin_client.get("/studio/audit/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Audit log</h1>" in page
    assert "course.published" in page
    assert "auth.signed_in" in page
    assert 'name="action"' in page
    assert 'name="since"' in page


def test_the_audit_page_filters_by_action_family(admin_client: Client) -> None:
    page = admin_client.get("/studio/audit/", {"action": "course."}).content.decode()

    assert "<code>course.published</code>" in page
    assert "<code>auth.signed_in</code>" not in page


def test_an_htmx_filter_returns_only_the_results(admin_client: Client) -> None:
    response = admin_client.get("/studio/audit/", {"actor": "lee.learner@example.com"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<html" not in page
    assert "<code>auth.signed_in</code>" in page
    assert "<code>course.published</code>" not in page


def test_learners_may_not_open_the_audit_page(client: Client, learner: User) -> None:
    client.force_login(learner)

    assert client.get("/studio/audit/").status_code == 403


def test_visitors_are_sent_to_sign_in(client: Client) -> None:
    assert client.get("/studio/audit/")["Location"].startswith("/accounts/login/")
