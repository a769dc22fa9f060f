"""A learner's journey reaches Ralph as valid xAPI statements, sent by the worker's workflow."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.tests.conftest import right_answers, wrong_answers
from momentum.assessments.tests.factories import quiz_spec
from momentum.xapi.models import OutboxStatement, OutboxStatus, XapiActor
from momentum.xapi.tests.ralph_lrs import RalphServer, validate
from momentum.xapi.workflows import send_statements
from tests.factories import make_course

pytestmark = pytest.mark.integration
ADL = "http://adlnet.gov/expapi/verbs/"


def test_a_learners_journey_is_stored_by_ralph_valid_by_its_models(
    workflows: None, to_ralph: RalphServer, api_as: Any, learner: Any
) -> None:
    # given a 7-day course whose first lesson has a quiz
    course = make_course("Statements for Ralph", duration_days=7)
    first = course.lessons.get(day=1)
    quiz = do_put_quiz(None, first, quiz_spec())
    api = api_as(learner)
    browser = Client()
    browser.force_login(learner)
    # when the learner enrols, opens day 1, fails then passes its quiz and completes every day
    assert api.post(f"/courses/{course.slug}/enrollment").status_code == 201
    assert browser.get(f"/courses/{course.slug}/day/1/").status_code == 200
    attempts = f"/courses/{course.slug}/lessons/{first.pk}/quiz/attempts"
    assert api.post(attempts, {"answers": wrong_answers(quiz)}).status_code == 201
    assert api.post(attempts, {"answers": right_answers(quiz)}).status_code == 201
    for lesson in course.lessons.exclude(pk=first.pk).order_by("day"):
        progress = f"/courses/{course.slug}/lessons/{lesson.pk}/progress"
        assert api.put(progress, {"completed": True}).status_code == 200
    # and the worker's scheduled workflow runs
    queued = OutboxStatement.objects.count()
    delivered = send_statements(None, None)  # type: ignore[arg-type]
    # then every statement is in Ralph, read back with its API, and marked sent here
    assert delivered == queued
    assert not OutboxStatement.objects.filter(status=OutboxStatus.PENDING).exists()
    ours = {str(row.statement_id) for row in OutboxStatement.objects.all()}
    stored = [s for s in to_ralph.statements() if s["id"] in ours]
    assert len(stored) == queued
    stored.sort(key=lambda s: (s["timestamp"], s["stored"]))
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in stored]
    assert verbs[:2] == ["registered", "experienced"]
    assert verbs.count("answered") == 8  # four questions, two attempts
    assert {"failed", "passed", "earned"} <= set(verbs)
    assert verbs.count("completed") == 8  # seven lessons and the course
    assert verbs[-1] == "earned"
    # and Ralph's own models accept each one, the enrolment as the LMS profile's "registered to a course"
    assert validate(stored)[0] == "LMSRegisteredCourse"
    # and the learner is a pseudonymous account, the same registration in every statement
    actor_name = str(XapiActor.objects.get(user=learner).name)
    assert {s["actor"]["account"]["name"] for s in stored} == {actor_name}
    assert {s["actor"]["account"]["homePage"] for s in stored} == {settings.SITE_URL}
    assert learner.email not in str(stored)
    assert len({s["context"]["registration"] for s in stored}) == 1
    passed = next(s for s in stored if s["verb"]["id"] == ADL + "passed")
    assert passed["result"]["score"] == {"scaled": 1.0, "raw": 4, "min": 0, "max": 4}
    assert passed["context"]["contextActivities"]["parent"][0]["id"].endswith(f"/xapi/activities/lesson/{first.pk}")
    assert passed["context"]["platform"] == "Momentum"
