"""Momentum as an LTI 1.3 tool, end to end against lti1p3platform running as the platform in the test
(momentum/lti/tests/platform_server.py): real HTTP both ways, a requests session as the browser."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from django.db import transaction

from momentum.accounts.models import Role, User
from momentum.catalog.staff import is_course_staff
from momentum.learning.models import Enrollment
from momentum.lib import clock
from momentum.lti import actions, queries
from momentum.lti.models import LtiIdentity, LtiScore, ScoreStatus
from momentum.lti.tests.platform_server import DEPLOYMENT_ID, INSTRUCTOR_ROLE, Platform, auto_post
from tests.factories import make_course, make_user

pytestmark = pytest.mark.integration


@pytest.fixture
def platform(live_server: Any, workflows: None, settings: Any) -> Iterator[Platform]:
    settings.ALLOW_PRIVATE_MEDIA_URLS = True  # the stand-in platform serves on 127.0.0.1
    with Platform(live_server.url) as running:
        fields = running.registration_fields()
        actions.do_save_platform(None, fields, [DEPLOYMENT_ID], actor=None)
        yield running


def launch(platform: Platform, **params: str) -> requests.Response:
    browser = requests.Session()
    form_page = browser.get(f"{platform.base}/start?{urlencode(params)}", timeout=20)
    assert form_page.status_code == 200, form_page.text[:500]
    answer: requests.Response = auto_post(browser, form_page.text)
    answer.browser = browser  # type: ignore[attr-defined]
    return answer


def test_a_learner_launching_a_day_lands_on_its_lesson_signed_in_as_a_new_linked_account(platform: Platform) -> None:
    # given
    course = make_course("Cell biology")
    make_user("kim@school.example", display_name="Someone else with the address")
    # when
    page = launch(platform, user="lms-user-7", name="Kim Learner", email="kim@school.example",
                  custom=json.dumps({"momentum_course": course.slug, "momentum_day": "2"}))  # fmt: skip
    # then
    assert page.status_code == 200
    assert page.url.endswith(f"/courses/{course.slug}/day/2/")
    identity = LtiIdentity.objects.get(issuer=platform.issuer, sub="lms-user-7")
    assert identity.user.email != "kim@school.example"  # never joined to an account by its address
    assert identity.user.display_name == "Kim Learner"
    assert not identity.user.email_verified
    assert Enrollment.objects.filter(user=identity.user, course=course).exists()
    assert f"frame-ancestors {platform.base}" in page.headers["Content-Security-Policy"]  # the LMS may frame it
    assert "X-Frame-Options" not in page.headers


def test_a_second_launch_of_the_same_person_signs_in_the_same_account(platform: Platform) -> None:
    course = make_course("Cell biology")
    custom = json.dumps({"momentum_course": course.slug})
    launch(platform, user="lms-user-8", custom=custom)
    page = launch(platform, user="lms-user-8", custom=custom)
    assert page.url.endswith(f"/courses/{course.slug}/")
    assert LtiIdentity.objects.filter(sub="lms-user-8").count() == 1
    assert User.objects.filter(lti_identities__sub="lms-user-8").count() == 1


def test_an_lms_instructor_teaches_the_linked_course(platform: Platform) -> None:
    course = make_course("Cell biology")
    launch(platform, user="teacher-1", roles=INSTRUCTOR_ROLE, custom=json.dumps({"momentum_course": course.slug}))
    teacher = LtiIdentity.objects.get(sub="teacher-1").user
    assert teacher.role == Role.INSTRUCTOR
    assert is_course_staff(teacher, course)


def test_a_forged_id_token_is_refused_with_a_message(platform: Platform, live_server: Any) -> None:
    answer = requests.post(f"{live_server.url}/lti/launch/", data={"id_token": "a.b.c", "state": "x"}, timeout=20)
    assert answer.status_code == 400
    assert "did not work" in answer.text


def test_a_deep_linking_selection_reaches_the_platform_signed_by_the_tool(platform: Platform) -> None:
    # given: a teacher opens the picker from the LMS
    course = make_course("Cell biology")
    picker = launch(platform, user="teacher-2", roles=INSTRUCTOR_ROLE, kind="deep")
    assert picker.status_code == 200
    assert "Cell biology" in picker.text
    browser = picker.browser  # type: ignore[attr-defined]
    csrf = browser.cookies.get("csrftoken")
    # when: they choose day 3
    returned = browser.post(picker.url, data={"course": course.slug, "day": "3", "csrfmiddlewaretoken": csrf},
                            headers={"Referer": picker.url}, timeout=20)  # fmt: skip
    assert returned.status_code == 200, returned.text[:500]
    saved = auto_post(browser, returned.text)
    # then: lti1p3platform validated the signed LtiDeepLinkingResponse and kept its item
    assert saved.status_code == 200
    [item] = platform.state.deep_link_items
    assert item["type"] == "ltiResourceLink"
    assert item["custom"] == {"momentum_course": course.slug, "momentum_day": "3"}
    assert item["lineItem"]["scoreMaximum"] == 100


def test_a_quiz_score_is_posted_to_the_line_item_and_read_back_from_the_platform(platform: Platform) -> None:
    # given: a learner came by LTI to day 1 (the platform's AGS claim names a line item)
    course = make_course("Cell biology")
    launch(platform, user="lms-user-9", custom=json.dumps({"momentum_course": course.slug, "momentum_day": "1"}))
    user = LtiIdentity.objects.get(sub="lms-user-9").user
    # when: their quiz of day 1 is graded (the hook assessments' do_submit_attempt calls)
    with transaction.atomic():
        [score] = actions.do_report_quiz_attempt(user, course.pk, 1, 80, clock.now())
    from momentum.platform import durable

    durable.client().retrieve_workflow(f"lti-score-{score.pk}").get_result()
    # then
    score.refresh_from_db()
    assert score.status == ScoreStatus.SENT
    [posted] = platform.state.scores["item-1"]
    assert (posted["userId"], posted["scoreGiven"], posted["scoreMaximum"]) == ("lms-user-9", 80.0, 100.0)
    assert (posted["activityProgress"], posted["gradingProgress"]) == ("Submitted", "FullyGraded")
    results = _read_results(platform)
    assert results == [{"userId": "lms-user-9", "resultScore": 80.0, "resultMaximum": 100.0}]


def _read_results(platform: Platform) -> list[dict[str, Any]]:
    """Read the results back as the platform serves them (with a service token it issued)."""
    config = platform.config()
    registration = config.get_registration()
    token = registration.platform_encode_and_sign(
        {
            "sub": "reader",
            "iss": platform.issuer,
            "scopes": "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
        },
        expiration=60,
    )
    answer = requests.get(
        f"{platform.lineitem_url('item-1')}/results", headers={"Authorization": f"Bearer {token}"}, timeout=20
    )
    assert answer.status_code == 200, answer.text
    return [{k: r[k] for k in ("userId", "resultScore", "resultMaximum")} for r in answer.json()]


def test_the_class_list_is_read_from_the_platform(platform: Platform) -> None:
    course = make_course("Cell biology")
    platform.state.members = [
        {"user_id": "teacher-3", "name": "Tess Teacher", "roles": [INSTRUCTOR_ROLE], "email": "tess@school.example"},
        {"user_id": "lms-user-10", "name": "Lou Learner", "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]},
    ]  # fmt: skip
    launch(platform, user="teacher-3", roles=INSTRUCTOR_ROLE, custom=json.dumps({"momentum_course": course.slug}))
    [class_list] = queries.class_lists(course.pk)
    assert class_list.error == ""
    assert [(m["name"], m["instructor"]) for m in class_list.members] == [
        ("Tess Teacher", True),
        ("Lou Learner", False),
    ]


def test_a_score_the_platform_refuses_is_kept_failed_with_its_reason(platform: Platform) -> None:
    course = make_course("Cell biology")
    launch(platform, user="lms-user-11", custom=json.dumps({"momentum_course": course.slug}))
    link = LtiIdentity.objects.get(sub="lms-user-11").grade_links.get()
    link.lineitem_url = f"{platform.base}/nowhere"
    link.save()
    with transaction.atomic():
        [score] = actions.do_report_course_completed(link.identity.user, course.pk, clock.now())
    from momentum.platform import durable

    assert durable.client().retrieve_workflow(f"lti-score-{score.pk}").get_result() is False
    score = LtiScore.objects.get(pk=score.pk)
    assert score.status == ScoreStatus.FAILED
    assert "404" in score.last_error


def test_a_platform_whose_address_turns_inward_is_never_contacted(platform: Platform, settings: Any) -> None:
    # given: a teacher's launch linked the course to the platform's class list
    course = make_course("Cell biology")
    launch(platform, user="teacher-4", roles=INSTRUCTOR_ROLE, custom=json.dumps({"momentum_course": course.slug}))
    fetched = platform.state.key_set_fetches
    # when: its host now resolves to a loopback address, which is no longer allowed (DNS rebinding)
    settings.ALLOW_PRIVATE_MEDIA_URLS = False
    page = launch(platform, user="lms-user-12", custom=json.dumps({"momentum_course": course.slug}))
    [class_list] = queries.class_lists(course.pk)
    # then: the launch is refused before its key set is fetched, and the class list is not read
    assert page.status_code == 400
    assert "not valid" in page.text
    assert platform.state.key_set_fetches == fetched
    assert not LtiIdentity.objects.filter(sub="lms-user-12").exists()
    assert class_list.members == []
    assert "127.0.0.1" in class_list.error


def test_a_launch_whose_key_set_never_answers_is_refused_in_time(platform: Platform, settings: Any) -> None:
    course = make_course("Cell biology")
    settings.LTI_HTTP_TIMEOUT_SECONDS = 0.5
    platform.state.key_set_hangs = threading.Event()
    try:
        page = launch(platform, user="lms-user-13", custom=json.dumps({"momentum_course": course.slug}))
    finally:
        platform.state.key_set_hangs.set()
    assert page.status_code == 400  # not a web thread held for as long as the platform keeps it
    assert "not valid" in page.text
    assert not LtiIdentity.objects.filter(sub="lms-user-13").exists()
