"""On a phone (375 x 667 px), in Chromium: every page starts near the top and its primary action is in reach.

For each persona (a visitor, a learner, an admin) every main page is opened at 375 px and saved as a
screenshot under var/test-artifacts/<test name>/ (ignored by git). On each page the header stays
under 64 px (the menus fold behind a menu button) and the page's primary action lies within the
first screen. A page names its primary action with ``data-primary-action`` (on a form: its first field is
measured); a page that names none is for reading, and its heading must be in the first screen.
"""

from __future__ import annotations

from typing import Any

import pytest

from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.learning.actions import do_enroll
from tests.factories import make_certificate, make_course, make_user

# What a phone shows is the markup and its styles, the same whichever database filled the page.
pytestmark = [pytest.mark.browser, pytest.mark.markup_only, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}
DESK = {"width": 1280, "height": 800}
HEADER_MAX = 64

DESCRIPTION = (
    "Answer real business questions with SQL: filter, aggregate and join tables, handle NULLs and dates,"
    " and use CTEs and window functions for running totals and rankings. Built for analysts, marketers"
    " and product people who already know spreadsheets and want to query data directly."
)

# The page's primary action: the marked element (a marked form: its first field, where one starts);
# a page with nothing marked is for reading, and its heading must be in the first screen.
MEASURE = """() => {
  const header = document.querySelector('.site-header').getBoundingClientRect();
  const main = document.querySelector('main');
  const shown = (el) => el.getClientRects().length > 0;
  let action = main.querySelector('[data-primary-action]');
  if (action && action.tagName === 'FORM') {
    action = [...action.querySelectorAll('input:not([type=hidden]), select, textarea, button')].find(shown) || action;
  }
  action = action || main.querySelector('h1');
  const box = action && action.getBoundingClientRect();
  return {
    header: header.height,
    action: action ? (action.innerText || action.name || action.tagName).trim().slice(0, 40) : null,
    bottom: box ? box.y + box.height : null,
    width: document.documentElement.scrollWidth,
  };
}"""


@pytest.fixture
def courses(db: None) -> dict[str, Course]:
    free = make_course("Git and GitHub, step by step, for people who never used them", description=DESCRIPTION)
    premium = make_course(
        "SQL for Analysts who work in spreadsheets", description=DESCRIPTION, is_premium=True, duration_days=14
    )
    return {"free": free, "premium": premium}


def signed_in(chromium: Any, live_server: Any, user: Any | None) -> Any:
    from django.test import Client

    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def misfits(tab: Any, screenshot: Any, persona: str, paths: list[str]) -> list[str]:
    """Opens each page at phone width, saves its screenshot, and names what does not fit."""
    found = []
    for path in paths:
        response = tab.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        tab.wait_for_load_state("networkidle")
        screenshot(tab, f"{persona}{path.replace('/', '_').rstrip('_')}-375", full_page=False)
        seen = tab.evaluate(MEASURE)
        if seen["header"] >= HEADER_MAX:
            found.append(f"{path}: the header is {seen['header']:.0f} px tall")
        if seen["action"] is None:
            found.append(f"{path}: no primary action")
        elif seen["bottom"] > PHONE["height"]:
            found.append(f"{path}: {seen['action']!r} ends {seen['bottom']:.0f} px down, below the first screen")
        if seen["width"] > PHONE["width"]:
            found.append(f"{path}: the page is {seen['width']} px wide, it scrolls sideways")
    return found


def test_a_visitors_pages_fit_a_phone(chromium: Any, live_server: Any, screenshot: Any, courses: Any) -> None:
    free, premium = courses["free"], courses["premium"]
    certificate = make_certificate(make_user("cora.certified@example.com", display_name="Cora Certified"), free)
    tab = signed_in(chromium, live_server, None)
    paths = ["/", "/courses/", f"/courses/{free.slug}/", f"/courses/{premium.slug}/",
             f"/courses/{free.slug}/day/1/", "/accounts/login/", "/accounts/signup/", "/privacy/",
             f"/certificates/{certificate.id}/"]  # fmt: skip

    problems = misfits(tab, screenshot, "visitor", paths)

    assert problems == [], "\n".join(problems)


def test_a_learners_pages_fit_a_phone(
    chromium: Any, live_server: Any, screenshot: Any, courses: Any, learner: Any
) -> None:
    free, premium = courses["free"], courses["premium"]
    do_enroll(learner, free)
    tab = signed_in(chromium, live_server, learner)
    paths = ["/", "/dashboard/", "/courses/", f"/courses/{free.slug}/", f"/courses/{premium.slug}/",
             f"/courses/{free.slug}/day/1/", "/dashboard/analytics/", "/profile/", "/profile/security/",
             "/profile/payments/", "/profile/privacy/", "/profile/credentials/"]  # fmt: skip

    problems = misfits(tab, screenshot, "learner", paths)

    assert problems == [], "\n".join(problems)


@pytest.mark.usefixtures("learner")
def test_an_admins_studio_pages_fit_a_phone(
    chromium: Any, live_server: Any, screenshot: Any, courses: Any, admin: Any
) -> None:
    learner = User.objects.get(email="lee.learner@example.com")
    tab = signed_in(chromium, live_server, admin)
    paths = ["/studio/", "/studio/courses/", f"/studio/courses/{courses['free'].pk}/", "/studio/courses/new/",
             "/studio/generate/", "/studio/users/", f"/studio/users/{learner.pk}/", "/studio/analytics/",
             "/studio/payments/", "/studio/certificates/", "/studio/audit/", "/studio/ops/",
             "/studio/settings/"]  # fmt: skip

    problems = misfits(tab, screenshot, "admin", paths)

    assert problems == [], "\n".join(problems)


def test_without_optional_cookies_no_cookie_notice_takes_up_the_screen(
    chromium: Any, live_server: Any, courses: Any
) -> None:
    tab = signed_in(chromium, live_server, None)
    tab.goto("/")

    assert tab.locator("#cookie-notice").count() == 0


def test_with_an_optional_cookie_the_notice_on_a_phone_is_a_short_strip(
    chromium: Any, live_server: Any, screenshot: Any, courses: Any, settings: Any
) -> None:
    settings.CONSENT_OPTIONAL_COOKIES = {"_visits": "counting visits"}
    tab = signed_in(chromium, live_server, None)
    tab.goto(f"/courses/{courses['premium'].slug}/")
    screenshot(tab, "cookie-notice-375", full_page=False)

    notice = tab.locator("#cookie-notice").bounding_box()
    assert notice["height"] <= PHONE["height"] / 5
    assert tab.get_by_role("button", name="Essential only").is_visible()
    assert tab.evaluate(MEASURE)["bottom"] <= PHONE["height"]


def test_on_a_phone_the_menu_button_opens_and_closes_the_main_menu(
    chromium: Any, live_server: Any, screenshot: Any, learner: Any
) -> None:
    tab = signed_in(chromium, live_server, learner)
    tab.goto("/dashboard/")
    menu = tab.get_by_role("button", name="Menu")
    courses = tab.get_by_role("navigation", name="Main").get_by_role("link", name="Courses")
    assert (menu.get_attribute("aria-expanded"), courses.is_visible()) == ("false", False)

    menu.click()
    screenshot(tab, "menu-open-375", full_page=False)
    assert (menu.get_attribute("aria-expanded"), courses.is_visible()) == ("true", True)
    assert tab.get_by_role("button", name="Sign out").is_visible()

    tab.keyboard.press("Escape")
    assert (menu.get_attribute("aria-expanded"), courses.is_visible()) == ("false", False)


def test_on_a_phone_the_studio_menu_folds_behind_a_button_naming_the_current_page(
    chromium: Any, live_server: Any, screenshot: Any, admin: Any
) -> None:
    tab = signed_in(chromium, live_server, admin)
    tab.goto("/studio/users/")
    studio = tab.get_by_role("button", name="Studio: Users")
    audit = tab.get_by_role("navigation", name="Studio").get_by_role("link", name="Audit log")
    assert audit.is_visible() is False

    studio.click()
    screenshot(tab, "studio-menu-open-375", full_page=False)
    assert (studio.get_attribute("aria-expanded"), audit.is_visible()) == ("true", True)
    audit.click()
    tab.wait_for_url("**/studio/audit/")


def test_on_a_desk_the_menus_show_in_full_without_a_menu_button(
    chromium: Any, live_server: Any, screenshot: Any, admin: Any
) -> None:
    tab = signed_in(chromium, live_server, admin)
    tab.set_viewport_size(DESK)
    tab.goto("/studio/")
    screenshot(tab, "studio-1280", full_page=False)

    assert tab.locator("[data-menu-toggle]:visible").count() == 0
    assert tab.get_by_role("navigation", name="Main").get_by_role("link", name="Studio").is_visible()
    assert tab.get_by_role("navigation", name="Studio").get_by_role("link", name="Settings").is_visible()
    assert tab.evaluate(MEASURE)["header"] < HEADER_MAX


def test_without_javascript_the_menus_stay_open_on_a_phone(
    chromium: Any, live_server: Any, screenshot: Any, learner: Any
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(learner)
    context = chromium.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    tab = context.new_page()
    tab.goto("/dashboard/")
    screenshot(tab, "no-script-375", full_page=False)

    assert tab.locator("[data-menu-toggle]:visible").count() == 0
    assert tab.get_by_role("navigation", name="Main").get_by_role("link", name="Courses").is_visible()
