"""Every page, as a visitor, a learner and an admin, at 1280 px and at 375 px, passes axe-core's
WCAG 2.1 A and AA rules: no serious or critical violation, and no moderate or minor one other than
those docs/accessibility.md lists with its reason.

The pages are the ones the authorisation matrix discovers from the URL configuration
(tests/test_access_matrix.py: its world fills their path parameters), so a page added later is
swept without editing this file. Each persona sweeps the pages that answer it with HTML (a 200);
one page load per (page, persona, width). axe-core is the npm package pinned in package.json
(installed by `make install-dev`), evaluated in the loaded page.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.test_access_matrix import (
    PAGES,
    World,
    committed_world,  # noqa: F401  (its fixture, used here too)
)

pytestmark = [pytest.mark.browser, pytest.mark.markup_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DOC = ROOT / "docs" / "accessibility.md"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"1280": {"width": 1280, "height": 800}, "375": {"width": 375, "height": 667}}
PERSONAS = ("visitor", "learner", "admin")
# Not swept, as docs/accessibility.md says why: Swagger UI, the API's reference for developers,
# served as django-ninja ships it (docs/openapi.json holds the same contract, readable without it).
NOT_SWEPT = ("/api/docs",)

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(
      (n) => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(1, 2).join('')),
  }));
}"""


def allowed_exceptions() -> set[tuple[str, str]]:
    """The moderate or minor violations docs/accessibility.md accepts: (rule, path pattern) rows of
    its table under "## What remains", the path a regular expression matched from the start."""
    text = DOC.read_text()
    section = text.split("## What remains", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([\w-]+)` \| `([^`]+)` \|", section, flags=re.MULTILINE)
    return set(rows)


@pytest.fixture
def swept(committed_world: World) -> World:  # noqa: F811
    """The access matrix's world: its objects fill the pages' path parameters."""
    return committed_world


def user_of(swept: World, persona: str) -> Any:
    return {"visitor": None, "learner": swept.owner, "admin": swept.users["admin"]}[persona]


def html_pages(swept: World, user: Any) -> list[str]:
    """The discovered pages that answer this persona with an HTML page of their own (not a fragment
    htmx swaps into one: those are swept inside their page), plus a 404."""
    client = Client()
    if user is not None:
        client.force_login(user)
    found = []
    for page in PAGES:
        url = page.url(swept)
        if url in NOT_SWEPT:
            continue
        response = client.get(url)
        whole = response.status_code == 200 and response["Content-Type"].startswith("text/html")
        if whole and response.content.lstrip()[:15].lower() == b"<!doctype html>":
            found.append(url)
    return [*found, "/no-such-page/"]


def browser_tab(chromium: Any, live_server: Any, user: Any, viewport: dict[str, int]) -> Any:
    """A tab whose every page has axe-core loaded as it opens: Chromium compiles the same script
    again from its cache, where sending the 560 kB source at each page cost the browser ~0.1 s
    of CPU more and this process its encoding (measured, ~290 pages a sweep)."""
    context = chromium.new_context(base_url=live_server.url, viewport=viewport)
    context.add_init_script(path=str(AXE))
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


# The first thing Tab reaches is the skip link to the main content, which is there to receive it.
SKIP_LINK = """() => {
  const first = document.querySelector(
    'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])');
  return Boolean(first && first.matches('a.skip-link[href="#main"]') && document.querySelector('main#main'));
}"""


@functools.cache
def axe_source() -> str:
    return AXE.read_text()


def check(tab: Any, path: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now, and a missing skip link as one more."""
    if not tab.evaluate("typeof axe !== 'undefined'"):  # a tab not opened by browser_tab
        tab.evaluate(axe_source())
    found = [{"path": path, **violation} for violation in tab.evaluate(RUN_AXE, TAGS)]
    if not tab.evaluate(SKIP_LINK):
        found.append(
            {"path": path, "id": "skip-link", "impact": "serious", "help": "No skip link first", "targets": []}
        )
    return found


def sweep(tab: Any, paths: list[str]) -> list[dict[str, Any]]:
    found = []
    for path in paths:
        tab.goto(path)
        tab.wait_for_load_state("load")
        found += check(tab, path)
    return found


def unexplained(violations: list[dict[str, Any]]) -> str:
    """The violations docs/accessibility.md does not accept, one paragraph each ("" when none)."""
    allowed = allowed_exceptions()
    left = [
        v for v in violations
        if v["impact"] in ("serious", "critical")
        or not any(rule == v["id"] and re.match(pattern, v["path"]) for rule, pattern in allowed)
    ]  # fmt: skip
    return "\n".join(f"{v['path']} [{v['impact']}] {v['id']}: {v['help']}\n    " + "\n    ".join(v["targets"])
                     for v in left)  # fmt: skip


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_passes_the_wcag_21_aa_rules_of_axe_core(
    chromium: Any,
    live_server: Any,
    swept: World,
    persona: str,
    width: str,
) -> None:
    assert AXE.exists(), "axe-core is not installed: run `make install-dev` (npm ci)"
    user = user_of(swept, persona)
    paths = html_pages(swept, user)
    tab = browser_tab(chromium, live_server, user, WIDTHS[width])

    violations = sweep(tab, paths)

    assert unexplained(violations) == "", f"{len(paths)} pages as {persona} at {width} px:\n{unexplained(violations)}"


def test_pages_pass_too_in_the_states_a_visit_leaves_them(
    chromium: Any,
    live_server: Any,
    swept: World,
    screenshot: Any,
) -> None:
    """What a GET cannot show: a form answered with errors, a quiz's error summary and its results,
    a lesson marked done (htmx swaps), at phone width."""
    found = []
    visitor = browser_tab(chromium, live_server, None, WIDTHS["375"])
    visitor.goto("/accounts/signup/")
    visitor.fill("input[name=email]", "kim@example.com")
    visitor.fill("input[name=password1]", "short")
    visitor.fill("input[name=password2]", "different")
    visitor.locator("main form[method=post] button[type=submit]").last.click()
    visitor.locator("main .errorlist, main [aria-invalid=true]").first.wait_for()
    found += check(visitor, "/accounts/signup/ (errors)")

    learner = browser_tab(chromium, live_server, swept.owner, WIDTHS["375"])
    learner.goto(f"/courses/{swept.course.slug}/day/1/")
    learner.locator("#quiz").get_by_role("button", name="Check my answers").click()
    learner.get_by_role("alert").first.wait_for()
    found += check(learner, "quiz (not answered)")
    learner.locator("#quiz").get_by_label("False").check()
    learner.locator("#quiz").get_by_role("button", name="Check my answers").click()
    learner.get_by_text("Not passed yet").wait_for()
    screenshot(learner, "quiz-results")
    found += check(learner, "quiz (results)")
    learner.goto(f"/courses/{swept.course.slug}/day/2/")
    learner.get_by_role("button", name="Mark day 2 complete").click()
    learner.get_by_role("heading", name="Day 2 complete").wait_for()
    found += check(learner, "lesson (done)")

    admin = browser_tab(chromium, live_server, swept.users["admin"], WIDTHS["375"])
    admin.goto("/studio/courses/new/")
    admin.get_by_role("button", name="Create draft").click()
    admin.wait_for_load_state("load")
    found += check(admin, "/studio/courses/new/ (errors)")

    assert unexplained(found) == "", unexplained(found)


def test_with_reduced_motion_asked_for_nothing_moves(chromium: Any, live_server: Any, swept: World) -> None:
    context = chromium.new_context(base_url=live_server.url, reduced_motion="reduce")
    tab = context.new_page()
    tab.goto("/courses/")
    card = tab.locator(".course-card").first
    card.hover()

    assert card.evaluate("el => [getComputedStyle(el).transitionDuration, getComputedStyle(el).transform]") == [
        "0s",
        "none",
    ]
