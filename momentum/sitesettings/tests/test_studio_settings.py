"""The studio's settings page: site name, generation quota and budgets, providers, the email check."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from momentum.audit.models import AuditLog
from momentum.sitesettings.models import SiteSettings

pytestmark = pytest.mark.django_db

VALID = {
    "site_name": "Lernwerk",
    "generation_daily_quota": "5",
    "generation_daily_budget_usd": "15.00",
    "generation_monthly_budget_usd": "250.00",
    "instructor_publishing": "APPROVAL",
    "instructor_generation_daily_quota": "3",
    "instructor_generation_daily_budget_usd": "5.00",
}


@pytest.fixture
def studio(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


def test_learners_cannot_open_the_settings(learner) -> None:
    client = Client()
    client.force_login(learner)
    assert client.get(reverse("sitesettings:studio_settings")).status_code == 403
    assert client.post(reverse("sitesettings:studio_settings"), VALID).status_code == 403


def test_an_admin_saves_the_settings_and_the_change_is_audited(studio, admin) -> None:
    response = studio.post(reverse("sitesettings:studio_settings"), VALID)

    assert response.status_code == 302
    row = SiteSettings.load()
    assert row.site_name == "Lernwerk"
    assert row.generation_daily_quota == 5
    assert row.generation_monthly_budget_usd == Decimal("250.00")
    audit = AuditLog.objects.get(action="settings.updated")
    assert audit.actor == admin
    assert audit.metadata["changed"]["site_name"] == ["Momentum", "Lernwerk"]


def test_the_new_site_name_appears_on_pages(studio) -> None:
    studio.post(reverse("sitesettings:studio_settings"), VALID)

    page = studio.get(reverse("catalog:home")).content.decode()

    assert "Lernwerk" in page


def test_a_daily_budget_above_the_monthly_budget_is_refused_keeping_the_input(studio) -> None:
    response = studio.post(reverse("sitesettings:studio_settings"), {**VALID, "generation_daily_budget_usd": "300"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "The daily budget cannot exceed the monthly budget." in page
    assert 'value="Lernwerk"' in page
    assert SiteSettings.load().site_name == "Momentum"


def test_the_email_check_sends_a_message_to_the_admin(studio, admin, mailoutbox) -> None:
    response = studio.post(reverse("sitesettings:studio_settings_email_check"), follow=True)

    assert f"Sent to {admin.email}" in response.content.decode()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [admin.email]
    assert "Email check" in mailoutbox[0].subject
    assert AuditLog.objects.get(action="settings.email_checked").metadata["sent"] is True


def test_a_failing_email_transport_is_reported_not_raised(studio, settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    response = studio.post(reverse("sitesettings:studio_settings_email_check"), follow=True)

    assert response.status_code == 200
    assert "failed through SMTP 127.0.0.1:9" in response.content.decode()


def test_the_providers_section_says_when_the_pipeline_reports_nothing(studio) -> None:
    page = studio.get(reverse("sitesettings:studio_settings")).content.decode()
    assert "Providers" in page
    assert "text · local" in page
    assert "video · slides" in page
    assert "circuit closed" in page
