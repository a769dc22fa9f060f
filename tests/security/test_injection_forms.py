"""SQL injection, XSS and hostile text typed into every field of every form of Momentum's pages.

The pages come from the URL configuration (the access matrix's walk) and the forms from the
HTML each page renders, so a page or field added later is swept without editing this file. Each
page is opened as the persona it is meant for (an admin for the studio, a learner with history
for signed-in pages, nobody and that learner for public ones); each POST form is submitted once
per field per payload, the other fields as the page filled them:

- never a 5xx and never a database error in the answer;
- a refused submission (4xx) leaves the database as it was;
- a redirect never leaves the site;
- afterwards, no page that shows what was stored carries active content.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from momentum.accounts.policy import Access
from tests.security import payloads
from tests.security.inspection import DatabaseState, active_content, database_state, post_forms
from tests.test_access_matrix import PAGES, Page, World

pytestmark = pytest.mark.django_db

# Pages that are not HTML documents of ours with forms: probes, metrics, the API's own docs page.
NOT_FORMS = {"healthz", "readyz", "metrics", "api/docs"}
SWEPT = [page for page in PAGES if page.route not in NOT_FORMS]
# Payloads sent into forms: all of them but the 100 000-character one, which the body limit and
# max_length already answer for the API sweep (it stays in for the fields of the first form).
FORM_PAYLOADS = [payload for payload in payloads.swept() if len(payload) < 10_000]
NOT_TYPED = {"csrfmiddlewaretoken"}


def personas(page: Page) -> list[str]:
    if page.access is Access.ADMIN:
        return ["admin"]
    if page.access is Access.PUBLIC:
        return ["anonymous", "owner"]
    return ["owner"]


def client_for(world: World, persona: str) -> Client:
    client = Client()
    if persona == "admin":
        client.force_login(world.users["admin"])
    elif persona == "owner":
        client.force_login(world.owner)
    return client


def display_pages(world: World) -> list[str]:
    """Pages that show what people type: checked for active content after each sweep."""
    return [
        "/", "/courses/", f"/courses/{world.course.slug}/", f"/courses/{world.course.slug}/day/1/", "/profile/",
        "/dashboard/", "/studio/", "/studio/courses/", f"/studio/courses/{world.course.pk}/",
        f"/studio/courses/{world.course.pk}/days/1/", "/studio/users/", "/studio/audit/", "/studio/payments/",
    ]  # fmt: skip


def submit(client: Client, form: dict[str, Any], fields: dict[str, Any]) -> Any:
    """POST the form as a browser would; text is sent byte for byte (a lone surrogate as the
    invalid UTF-8 a hostile client can send)."""
    if "file" in form["kinds"].values():
        data = dict(fields)
        for name, kind in form["kinds"].items():
            if kind == "file":
                value = str(data.get(name) or "plain text").encode("utf-8", "surrogatepass")
                data[name] = SimpleUploadedFile(value[:200].decode("utf-8", "replace") or "x", value)
            else:
                data[name] = str(data.get(name, "")).encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        return client.post(form["action"], data)
    body = "&".join(f"{_bytes(name)}={_bytes(value)}" for name, value in fields.items())
    return client.post(form["action"], body, content_type="application/x-www-form-urlencoded")


def _bytes(value: Any) -> str:
    return quote(str(value).encode("utf-8", "surrogatepass"), safe="")


def leaves_the_site(response: Any) -> bool:
    location = response.get("Location", "")
    if not location:
        return False
    parts = urlsplit(location)
    return bool(parts.netloc) or parts.scheme not in ("", "http", "https") or location.startswith(("//", "/\\"))


def judge(response: Any, before: DatabaseState, after: DatabaseState | None) -> list[str]:
    """What is wrong with the answer to one hostile submission."""
    if after is None:
        return [f"{response.status_code}"]
    problems = []
    if response.status_code >= 400:
        if payloads.leaks_database_error(response.content.decode("utf-8", "replace")):
            problems.append("a database error shows in the answer")
        if after != before:
            problems.append(f"refused with {response.status_code} but changed {after.changed_since(before)}")
    if leaves_the_site(response):
        problems.append(f"redirected off the site to {response['Location']}")
    return problems


@pytest.mark.parametrize("page", SWEPT, ids=[page.route or "/" for page in SWEPT])
def test_hostile_input_in_any_form_field_is_refused_or_stored_inert(world: World, page: Page) -> None:
    url = page.url(world)
    problems: list[str] = []
    swept_fields = 0
    for persona in personas(page):
        client = client_for(world, persona)
        state = database_state()  # signing in touches the account (last_login, updated_at): after it
        opened = client.get(url)
        if opened.status_code != 200 or "text/html" not in opened.get("Content-Type", ""):
            continue  # a POST-only action or a page this persona is sent away from: swept where its form is
        for form in post_forms(opened.content.decode(), url):
            typed = [name for name in form["fields"] if name not in NOT_TYPED]
            for name in typed:
                swept_fields += 1
                for payload in FORM_PAYLOADS:
                    response = submit(client, form, {**form["fields"], name: payload})
                    label = f"{persona} {form['action']} {name}={payload[:40]!r}"
                    after = None if response.status_code >= 500 else database_state()
                    problems.extend(f"{label}: {problem}" for problem in judge(response, state, after))
                    state = after or database_state()
                    if persona != "anonymous" and "_auth_user_id" not in client.session:  # signed out
                        client = client_for(world, persona)
                        state = database_state()
    if swept_fields:
        for persona in ("owner", "admin"):
            looker = client_for(world, persona)
            for shown in display_pages(world):
                response = looker.get(shown)
                if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                    found = active_content(response.content.decode())
                    problems.extend(f"{shown} as {persona} after the sweep: {item}" for item in found)
    assert not problems, f"/{page.route}:\n" + "\n".join(problems[:20])
