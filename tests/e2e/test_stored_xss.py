"""In Chromium: classic XSS payloads stored where people and the AI write (a course title and
description, lesson titles and content, a display name, an email typed into the sign-in form)
never run and leave no inline handler on any page that shows them.

Each payload sets ``window.__xss`` if it runs. Two walks: the pages known to show the payloads
(PAGES), and every other page of Momentum's own apps whose path parameters we can fill with the
payload course (so pages added later, such as the lesson page, are walked too).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch

from momentum.accounts.models import Role, User
from momentum.catalog.models import Course
from momentum.discussions.actions import do_post_comment, do_report_comment
from momentum.discussions.queries import participant
from momentum.learning.models import Enrollment
from tests.factories import make_course, make_user
from tests.test_access_matrix import Page, pages

# Whether a stored payload runs is the templates' and scripts' doing: the text reads back the same
# from either database (tests/security's sweeps check storing and escaping in both passes).
pytestmark = [pytest.mark.browser, pytest.mark.markup_only, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>window.__xss = 'script'</script>",
    "<img src=x onerror=\"window.__xss = 'img'\">",
    '"><svg onload="window.__xss = \'svg\'">',
    "'><body onpageshow=\"window.__xss = 'body'\">",
    "<a href=\"javascript:window.__xss = 'href'\">click</a>",
    "<iframe srcdoc=\"<script>parent.__xss = 'srcdoc'</script>\"></iframe>",
    "javascript:window.__xss = 'scheme'",
    "';window.__xss = 'quote';//",
    "<svg><script>window.__xss = 'svg-script'</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss = 'mxss'\">",
    "<object data=\"javascript:window.__xss = 'object'\"></object>",
]
TITLE = "Sleep " + PAYLOADS[1] + PAYLOADS[0]
DISPLAY_NAME = PAYLOADS[2][:100]
MARKDOWN = "\n\n".join(
    [
        *PAYLOADS,
        "[a link](javascript:window.__xss='md-link')",
        "![image](x\" onerror=\"window.__xss='md-img')",
        "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9J2RhdGEnPC9zY3JpcHQ+)",
        "[ref link][r]\n\n[r]: javascript:window.__xss='md-ref'",
        "<a href=\"&#106;avascript:window.__xss='entity'\">entity</a>",
    ]
)

# Pages known to show the payloads: (label, URL, who looks). Add a page here when it starts showing them.
PAGES: list[tuple[str, str, str]] = [
    ("home", "/", "learner"),
    ("catalogue", "/courses/", "learner"),
    ("course page", "/courses/xss-course/", "learner"),
    ("course page, admin", "/courses/xss-course/", "admin"),
    ("profile", "/profile/", "learner"),
    ("security", "/profile/security/", "learner"),
    ("studio audit log", "/studio/audit/", "admin"),
    ("lesson discussion", "/courses/xss-course/day/1/", "learner"),
    ("lesson discussion, admin", "/courses/xss-course/day/1/", "admin"),
    ("studio moderation", "/studio/moderation/", "admin"),
]

INSPECT = """() => ({
    ran: window.__xss === undefined ? null : String(window.__xss),
    handlers: [...document.querySelectorAll('*')].flatMap(el => [...el.attributes]
        .filter(a => a.name.toLowerCase().startsWith('on')).map(a => `${el.tagName} ${a.name}`)),
    scripts: [...document.scripts].filter(s => !s.src && s.type !== 'application/json').length,
    javascriptUrls: [...document.querySelectorAll('[href],[src],[action],[formaction]')]
        .map(el => el.getAttribute('href') || el.getAttribute('src') || el.getAttribute('action') || '')
        .filter(v => v.trim().toLowerCase().startsWith('javascript:')).length,
    frames: document.querySelectorAll('iframe, object, embed').length,
})"""


@pytest.fixture
def stored(db: None) -> dict[str, User]:
    """The payloads, stored through the models as an admin's edit or an AI draft would store them."""
    learner = make_user("xss.learner@example.com", display_name=DISPLAY_NAME)
    admin = make_user("xss.admin@example.com", role=Role.ADMIN, display_name=DISPLAY_NAME)
    course = make_course(TITLE, slug="xss-course")
    Course.objects.filter(pk=course.pk).update(description=MARKDOWN[:2000])
    for lesson in course.lessons.all():
        lesson.title = PAYLOADS[lesson.day % len(PAYLOADS)][:500]
        lesson.content_markdown = MARKDOWN
        lesson.save()
    Enrollment.objects.create(user=learner, course=course)
    writer = participant(learner, course.lessons.get(day=1))
    top = do_post_comment(writer, MARKDOWN[:5000])
    do_report_comment(admin, do_post_comment(writer, PAYLOADS[3], parent_id=top.pk), reason=PAYLOADS[1])
    Client().post(  # a failed sign-in records the address typed, which the audit page shows
        "/api/v1/auth/token", {"email": PAYLOADS[1] + "@x.example", "password": "x"}, content_type="application/json"
    )
    return {"learner": learner, "admin": admin}


def sign_in(page: Any, base_url: str, user: User) -> None:
    """Put ``user``'s session cookie into the browser (path /), as signing in would."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url + "/"}])


def assert_clean(page: Any, label: str) -> None:
    found = page.evaluate(INSPECT)
    assert found["ran"] is None, f"{label}: a payload ran ({found['ran']})"
    assert found["handlers"] == [], f"{label}: inline handlers survived: {found['handlers'][:5]}"
    assert found["scripts"] == 0, f"{label}: an inline <script> is in the page"
    assert found["javascriptUrls"] == 0, f"{label}: a javascript: URL is in the page"
    assert found["frames"] == 0, f"{label}: an injected frame or object is in the page"


def test_stored_payloads_never_run_on_the_pages_that_show_them(
    page: Any, live_server: Any, stored: dict[str, User], screenshot: Any
) -> None:
    for label, url, persona in PAGES:
        sign_in(page, live_server.url, stored[persona])
        response = page.goto(url)
        assert response.status == 200, f"{label}: {response.status}"
        assert_clean(page, label)
        if label in ("course page", "studio audit log", "profile"):
            screenshot(page, label.replace(" ", "-"))
    assert page.js_errors == []


def test_the_payloads_are_shown_as_text(page: Any, live_server: Any, stored: dict[str, User]) -> None:
    sign_in(page, live_server.url, stored["learner"])
    page.goto("/courses/xss-course/")

    assert page.locator("h1").inner_text() == TITLE
    page.goto("/profile/")
    assert page.get_by_label("Display name").input_value() == DISPLAY_NAME


def walkable(page_: Page) -> str | None:
    """The URL of one of our own pages filled with the payload course, or None when it cannot be filled."""
    lesson = Course.objects.get(slug="xss-course").lessons.get(day=1)
    values = {
        "slug": "xss-course",
        "course": "xss-course",
        "course_slug": "xss-course",
        "day": "1",
        "lesson": str(lesson.pk),
    }
    if page_.route.startswith(("accounts/", "api/")) or not page_.name:
        return None
    if any(parameter not in values for parameter in page_.parameters):
        return None
    try:
        from django.urls import reverse

        return reverse(page_.name, kwargs={p: values[p] for p in page_.parameters})
    except NoReverseMatch:
        return None


def test_no_page_of_ours_runs_a_stored_payload(page: Any, live_server: Any, stored: dict[str, User]) -> None:
    urls = sorted({url for url in map(walkable, pages()) if url} - {"/healthz", "/readyz", "/cookies/"})
    assert "/courses/xss-course/" in urls
    walked = 0
    for persona in ("learner", "admin"):
        sign_in(page, live_server.url, stored[persona])
        looker = Client()
        looker.force_login(stored[persona])
        for url in urls:
            if looker.get(url).status_code != 200:  # POST-only actions, pages this persona may not open
                continue
            page.goto(url)
            assert_clean(page, f"{url} as {persona}")
            walked += 1
    assert walked >= 10
