"""With the keyboard alone, in Chromium: every flow a person does on Momentum can be done with Tab,
Shift+Tab, Enter, Space (and the arrow keys inside a radio group or a select), never the mouse.

Sign up, enrol, open a lesson and mark it done, take a quiz, check out up to the payment page,
author a course and a lesson in the studio, start a generation job. At every key press the
focused element shows a focus ring (a computed outline or box-shadow) and lies on the screen;
the first Tab on a page reaches the skip link, whose Enter moves the focus to the main content;
Tab walks a whole page and comes out at its end (no trap), and Shift+Tab walks it back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from momentum.accounts.models import Role, User
from momentum.assessments.actions import do_put_quiz
from momentum.assessments.tests.factories import quiz_spec
from momentum.catalog.models import Course
from momentum.generation.models import GenerationJob
from momentum.learning.actions import do_enroll
from momentum.learning.models import LessonProgress
from tests.factories import make_course, make_user

# What a key press does is the markup's and the scripts' doing, the same whichever database filled
# the page: the whole file runs in the SQLite pass only (the learner's and studio's journeys run
# in both passes with the mouse).
pytestmark = [pytest.mark.browser, pytest.mark.markup_only, pytest.mark.django_db(transaction=True)]

PASSWORD = "Daily-lessons-2026!"
MOST_STOPS = 150  # Tab presses before a control counts as unreachable

# What the focused element shows: its name, whether a ring is drawn, whether it is on the screen.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels[0] && el.labels[0].innerText;
  const name = el.getAttribute('aria-label') || label || el.innerText || el.value || el.name || '';
  return {
    what: `<${el.tagName.toLowerCase()}> ${name.trim().replace(/\\s+/g, ' ').slice(0, 60)}`,
    ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0
      && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
  };
}"""


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


class Keyboard:
    """The only way these tests act on a page: key presses, each checked for a visible focus."""

    def __init__(self, tab: Any) -> None:
        self.tab = tab

    def focused(self) -> dict[str, Any] | None:
        # The ring is the stylesheet's: judged once the page has loaded it (a Tab pressed right after
        # a navigation, on a busy machine, once met the browser's own 1 px ring before our styles).
        self.tab.wait_for_load_state("load")
        seen: dict[str, Any] | None = self.tab.evaluate(FOCUSED)
        return seen

    def press(self, key: str) -> dict[str, Any] | None:
        self.tab.keyboard.press(key)
        seen = self.focused()
        if seen is not None:
            assert seen["ring"], f"after {key} the focus on {seen['what']} shows no focus ring ({self.tab.url})"
            assert seen["onScreen"], f"after {key} the focus on {seen['what']} is off the screen ({self.tab.url})"
        return seen

    def type(self, text: str) -> None:
        self.tab.keyboard.type(text)

    def is_focused(self, target: Any) -> bool:
        return bool(target.evaluate("el => el === document.activeElement"))

    def tab_to(self, target: Any, *, backwards: bool = False) -> None:
        """Tab (or Shift+Tab) until ``target`` (a locator) has the focus."""
        target.wait_for(state="attached")
        visited = []
        for _ in range(MOST_STOPS):
            seen = self.press("Shift+Tab" if backwards else "Tab")
            if self.is_focused(target):
                return
            visited.append(seen["what"] if seen else "(the page's end)")
        pytest.fail(f"{target} never took the focus on {self.tab.url}; Tab visited: {visited}")

    def arrow_to(self, target: Any) -> None:
        """Inside a radio group: ArrowDown until ``target`` is focused, then Space chooses it."""
        for _ in range(10):
            if self.is_focused(target):
                self.press("Space")
                return
            self.press("ArrowDown")
        pytest.fail(f"{target} is not reached with the arrow keys")

    def fill(self, target: Any, text: str) -> None:
        self.tab_to(target)
        self.type(text)

    def activate(self, target: Any, key: str = "Enter") -> None:
        """Tab to ``target`` and press ``key`` on it (it may load another page: nothing is asked of
        the focus until the next key)."""
        self.tab_to(target)
        self.tab.keyboard.press(key)

    def walk(self) -> list[str]:
        """From the top of the page, Tab through everything to the end and Shift+Tab back: every
        stop shows its focus, none is visited twice on the way (a trap would loop), and the walk
        back meets the same stops in reverse."""
        self.tab.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
        self.tab.keyboard.press("Escape")
        forth: list[str] = []
        for _ in range(MOST_STOPS * 2):
            seen = self.press("Tab")
            if seen is None:
                break
            key = self.tab.evaluate(
                "() => { const el = document.activeElement;"
                " return el.dataset.walk || (el.dataset.walk = String(Math.random())); }"
            )
            if forth and key == forth[0]:
                break  # round to the first stop again: the end was passed
            if forth and key == forth[-1]:
                continue  # the next part of the same control (a date field's day, month, year)
            assert key not in forth, f"Tab came back to {seen['what']} before the page's end: a trap ({self.tab.url})"
            forth.append(key)
        else:
            pytest.fail(f"Tab never reached the end of {self.tab.url}")
        back: list[str] = []
        for _ in range(len(forth) * 2 + 5):
            if self.press("Shift+Tab") is not None:  # (past the first stop, the page's end)
                key = self.tab.evaluate("() => document.activeElement.dataset.walk")
                if not back or key != back[-1]:  # (a date field's parts are one stop)
                    back.append(key)
            if len(back) == len(forth):
                break
        names = self.tab.evaluate(
            "() => Object.fromEntries([...document.querySelectorAll('[data-walk]')]"
            ".map(el => [el.dataset.walk, el.outerHTML.slice(0, 80)]))"
        )
        assert back == forth[::-1], (
            f"Shift+Tab does not walk {self.tab.url} back the way Tab came:\n"
            f"{[names[k] for k in forth]}\n{[names[k] for k in back]}"
        )
        return forth


def open_tab(chromium: Any, live_server: Any, user: User | None = None, width: int = 1280) -> Any:
    context = chromium.new_context(base_url=live_server.url, viewport={"width": width, "height": 800})
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.js_errors = errors
    return tab


def skip_to_content(keys: Keyboard) -> None:
    """The first Tab on a page reaches the skip link; Enter moves the focus to the main content."""
    seen = keys.press("Tab")
    assert seen is not None
    assert seen["what"] == "<a> Skip to content", seen
    keys.tab.keyboard.press("Enter")
    assert keys.tab.evaluate("document.activeElement.id") == "main"


# --- The flows ----------------------------------------------------------------------------------


def test_a_visitor_signs_up_with_the_keyboard_alone(
    chromium: Any, live_server: Any, mail_dir: Path, settings: Any, screenshot: Any
) -> None:
    settings.EMAIL_BACKEND = "momentum.lib.mailfiles.EmlFileBackend"
    tab = open_tab(chromium, live_server)
    keys = Keyboard(tab)
    tab.goto("/")
    keys.activate(tab.get_by_role("navigation", name="Main").get_by_role("link", name="Start learning"))
    tab.wait_for_url("**/accounts/signup/")
    skip_to_content(keys)

    keys.fill(tab.locator("main input[name=email]"), "kim.keys@example.com")
    keys.fill(tab.locator("main input[name=password1]"), PASSWORD)
    keys.fill(tab.locator("main input[name=password2]"), PASSWORD)
    screenshot(tab, "sign-up", full_page=False)
    tab.keyboard.press("Enter")  # submits the form
    tab.wait_for_url("**/accounts/confirm-email/")

    [message] = [path.read_text() for path in mail_dir.glob("*.eml")]
    link = re.search(r"https?://\S+(/accounts/confirm-email/[^\s/]+/)", message)
    assert link is not None, message
    tab.goto(link.group(1))  # the link in the email
    with tab.expect_navigation():
        keys.activate(tab.locator("main form[method=post] button[type=submit]").last)
    assert User.objects.get(email="kim.keys@example.com").email_verified
    assert tab.js_errors == []


def test_a_learner_enrols_opens_a_lesson_and_marks_it_done_with_the_keyboard_alone(
    chromium: Any, live_server: Any, learner: User, screenshot: Any
) -> None:
    course = make_course("Seven Days of Sketching", duration_days=7)
    tab = open_tab(chromium, live_server, learner)
    keys = Keyboard(tab)
    tab.goto(f"/courses/{course.slug}/")
    skip_to_content(keys)

    keys.activate(tab.get_by_role("button", name="Enrol for free"))
    tab.wait_for_url(f"**/courses/{course.slug}/day/1/")
    keys.activate(tab.get_by_role("button", name="Mark day 1 complete"), key="Space")
    tab.get_by_role("heading", name="Day 1 complete").wait_for()
    screenshot(tab, "day-1-done", full_page=False)
    assert LessonProgress.objects.get(user=learner, lesson__day=1).completed

    keys.activate(tab.get_by_role("link", name="Go to day 2"))
    tab.wait_for_url(f"**/courses/{course.slug}/day/2/")
    assert tab.js_errors == []


def test_a_learner_takes_a_quiz_with_the_keyboard_alone(
    chromium: Any, live_server: Any, learner: User, screenshot: Any
) -> None:
    course = make_course("Seven Days of Python", duration_days=7)
    lesson = course.lessons.get(day=1)
    do_put_quiz(None, lesson, quiz_spec())
    do_enroll(learner, course)
    tab = open_tab(chromium, live_server, learner, width=375)
    keys = Keyboard(tab)
    tab.goto(f"/courses/{course.slug}/day/1/")
    quiz = tab.locator("#quiz")

    def question(number: int, prompt: str) -> Any:
        return quiz.get_by_role("group", name=f"Question {number}: {prompt}")

    first = question(1, "Which keyword defines a function?")
    keys.tab_to(first.locator("input").first)  # Tab enters a radio group at its first option
    keys.arrow_to(first.get_by_label("def", exact=True))
    collections = question(2, "Which of these are Python collections?")
    keys.activate(collections.get_by_label("list", exact=True), key="Space")
    keys.activate(collections.get_by_label("dict", exact=True), key="Space")
    braces = question(3, "Python indents blocks instead of using braces.")
    keys.tab_to(braces.locator("input").first)
    keys.arrow_to(braces.get_by_label("True", exact=True))
    keys.fill(tab.get_by_label("Your answer"), "print")
    keys.activate(quiz.get_by_role("button", name="Check my answers"))

    tab.get_by_text("Passed: 100 %").wait_for()
    screenshot(tab, "passed", full_page=False)
    assert LessonProgress.objects.get(user=learner, lesson=lesson).completed
    assert tab.js_errors == []


def test_a_learner_checks_out_up_to_the_payment_page_with_the_keyboard_alone(
    chromium: Any, live_server: Any, learner: User, screenshot: Any
) -> None:
    course = make_course("SQL for Analysts", is_premium=True, duration_days=14)
    tab = open_tab(chromium, live_server, learner)
    keys = Keyboard(tab)
    tab.goto(f"/courses/{course.slug}/")

    keys.activate(tab.get_by_role("link", name="Buy this course"))
    tab.wait_for_url("**/checkout/**")
    keys.activate(tab.get_by_role("button", name="Continue to payment"))
    tab.wait_for_url("**/checkout/sandbox/**")
    tab.get_by_role("heading", name="Sandbox payment page").wait_for()
    screenshot(tab, "payment-page", full_page=False)

    keys.activate(tab.get_by_role("button", name=re.compile(r"^Pay .* \(test\)$")))
    tab.wait_for_url("**/success/")
    assert learner.payments.get().status == "SUCCEEDED"
    assert tab.js_errors == []


def test_an_admin_creates_a_course_and_writes_a_lesson_with_the_keyboard_alone(
    chromium: Any, live_server: Any, admin: User, screenshot: Any
) -> None:
    tab = open_tab(chromium, live_server, admin)
    keys = Keyboard(tab)
    tab.goto("/studio/")
    keys.activate(tab.get_by_role("navigation", name="Studio").get_by_role("link", name="Courses"))
    tab.wait_for_url("**/studio/courses/")
    keys.activate(tab.get_by_role("link", name="New course"))
    tab.wait_for_url("**/studio/courses/new/")

    keys.fill(tab.get_by_label("Title"), "Seven Days of Watercolour")
    keys.fill(tab.get_by_label("Description"), "Loosen up with one small painting a day.")
    keys.tab_to(tab.get_by_label("Category"))
    keys.type("Creative")  # a closed select picks the option its typed text starts
    keys.tab_to(tab.get_by_label("Length"))
    keys.type("7")
    screenshot(tab, "new-course", full_page=False)
    keys.activate(tab.get_by_role("button", name="Create draft"))
    tab.get_by_text("Draft “Seven Days of Watercolour” created").wait_for()
    course = Course.objects.get(title="Seven Days of Watercolour")
    assert (course.category.slug, course.duration_days) == ("creative-arts", 7)

    keys.activate(tab.get_by_role("link", name="Write day 1"))
    keys.fill(tab.get_by_label("Title"), "Paper, brushes and a palette")
    keys.fill(tab.get_by_label("Lesson (Markdown)"), "## Paper\n\nToday you paint **one** small study.")
    keys.activate(tab.get_by_role("button", name="Save day 1"))
    tab.get_by_text("Day 1 saved").wait_for()
    assert course.lessons.get(day=1).title == "Paper, brushes and a palette"
    assert tab.js_errors == []


def test_an_admin_starts_a_generation_job_with_the_keyboard_alone(
    chromium: Any, live_server: Any, admin: User, screenshot: Any
) -> None:
    tab = open_tab(chromium, live_server, admin)
    keys = Keyboard(tab)
    tab.goto("/studio/")
    keys.activate(tab.get_by_role("navigation", name="Studio").get_by_role("link", name="Generate"))
    tab.get_by_role("heading", name="Generate a course").wait_for()

    keys.fill(tab.get_by_label("Topic"), "Calm mornings")
    keys.tab_to(tab.get_by_label("Category"))
    keys.type("Health")
    keys.fill(tab.get_by_label("Audience"), "busy parents")
    keys.activate(tab.get_by_label("Make a narrated video for each lesson"), key="Space")
    screenshot(tab, "generate", full_page=False)
    keys.activate(tab.get_by_role("button", name="Generate draft"))

    tab.get_by_text("Generating “Calm mornings”").wait_for()
    job = GenerationJob.objects.get()
    assert (job.topic, job.category.slug, job.audience) == ("Calm mornings", "health-wellness", "busy parents")

    # the offline generator writes the draft (this process runs the workflow); its link is reached by Tab
    review = tab.get_by_role("link", name="Review draft")
    review.wait_for(timeout=120_000)
    keys.activate(review)
    tab.wait_for_url(re.compile(r"/studio/courses/\d+/$"))
    assert tab.js_errors == []


# --- Whole pages: no trap, focus always visible ---------------------------------------------------


@pytest.mark.parametrize("width", [1280, 375])
def test_tab_walks_every_main_page_to_its_end_and_back_with_the_focus_always_visible(
    chromium: Any, live_server: Any, learner: User, width: int
) -> None:
    admin = make_user("ada.keys@example.com", role=Role.ADMIN)
    course = make_course("Seven Days of Sketching", duration_days=7)
    do_enroll(learner, course)
    walks = {
        None: ["/", "/courses/", f"/courses/{course.slug}/", "/accounts/signup/", "/accounts/login/"],
        learner: ["/dashboard/", f"/courses/{course.slug}/day/1/", "/profile/"],
        admin: [
            "/studio/",
            f"/studio/courses/{course.pk}/",
            f"/studio/courses/{course.pk}/days/1/",
            "/studio/generate/",
        ],
    }
    for user, paths in walks.items():
        tab = open_tab(chromium, live_server, user, width=width)
        keys = Keyboard(tab)
        for path in paths:
            tab.goto(path)
            assert len(keys.walk()) > 3, path
        assert tab.js_errors == []
        tab.context.close()
