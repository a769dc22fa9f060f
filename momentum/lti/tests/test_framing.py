"""Only a session that came by LTI may be framed, and only by its platform."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from momentum.lti.framing import SESSION_FRAME_ORIGINS, LtiFrameMiddleware

pytestmark = pytest.mark.django_db


def test_a_session_that_did_not_come_by_lti_is_never_framed(learner) -> None:
    client = Client()
    client.force_login(learner)
    response = client.get("/courses/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_an_lti_session_may_be_framed_by_its_platform_only(learner) -> None:
    client = Client()
    client.force_login(learner)
    session = client.session
    session[SESSION_FRAME_ORIGINS] = ["https://moodle.school.example"]
    session.save()
    response = client.get("/courses/")
    assert "frame-ancestors https://moodle.school.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response


def test_over_https_its_cookies_are_sent_from_inside_the_frame(settings) -> None:
    request = RequestFactory().get("/courses/", secure=True)
    request.session = {SESSION_FRAME_ORIGINS: ["https://moodle.school.example"]}  # type: ignore[assignment]

    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        response.set_cookie(settings.SESSION_COOKIE_NAME, "s", samesite="Lax")
        response.set_cookie(settings.CSRF_COOKIE_NAME, "c", samesite="Lax")
        return response

    response = LtiFrameMiddleware(view)(request)
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        assert response.cookies[name]["samesite"] == "None"
        assert response.cookies[name]["secure"] is True
