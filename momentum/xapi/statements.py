"""xAPI 1.0.3 statements about Momentum's learning events, as JSON ready for an LRS.

Pure builders: they read the objects they are given (and the settings) and write nothing.

- actor: an Agent identified by ``account`` {homePage: the site URL, name: the learner's XapiActor
  UUID}; never the email, never a database id, no display name.
- verbs (ADL vocabulary, http://adlnet.gov/expapi/verbs/, unless said otherwise):
  registered (enrolled), experienced (a lesson page opened: "experienced" is the ADL verb for having
  consumed content; "launched" is the verb a system uses when it starts content for the learner, as
  an LMS launches a cmi5 assignable unit, which is not what happens when a learner opens a lesson),
  completed (a lesson, a course), answered (one question of a quiz), passed / failed (a quiz attempt,
  with result.score), and earned (http://id.tincanapi.com/verb/earned, from the Tin Can registry's
  vocabulary, "the actor has earned or has been awarded the object", for a certificate).
- objects: Activities whose ids are stable IRIs under the site URL, made of database keys (not slugs,
  which an admin may change): {site}/xapi/activities/course/{id}, .../lesson/{id}, .../quiz/{id},
  .../question/{id}, .../cohort/{id}; a certificate is its public verification page. Each has a
  definition: a name as a language map and a type from the ADL activity types (course, lesson,
  assessment, cmi.interaction) or, for a certificate, the Tin Can registry's
  http://id.tincanapi.com/activitytype/certificate.
- context: ``registration`` (one UUID per enrolment), contextActivities parent (the course of a lesson,
  the lesson of a quiz, the quiz of a question) and grouping (the course, and the learner's cohort),
  ``platform`` "Momentum" and ``language``. A registration statement also names the xAPI LMS profile
  (https://w3id.org/xapi/lms) in contextActivities.category, whose "registered to a course" template
  it follows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings

from momentum.xapi.models import Verb

PLATFORM = "Momentum"
ADL = "http://adlnet.gov/expapi"
VERBS: dict[str, str] = {
    Verb.REGISTERED: f"{ADL}/verbs/registered",
    Verb.EXPERIENCED: f"{ADL}/verbs/experienced",
    Verb.COMPLETED: f"{ADL}/verbs/completed",
    Verb.ANSWERED: f"{ADL}/verbs/answered",
    Verb.PASSED: f"{ADL}/verbs/passed",
    Verb.FAILED: f"{ADL}/verbs/failed",
    Verb.EARNED: "http://id.tincanapi.com/verb/earned",
}
COURSE_TYPE = f"{ADL}/activities/course"
LESSON_TYPE = f"{ADL}/activities/lesson"
ASSESSMENT_TYPE = f"{ADL}/activities/assessment"
INTERACTION_TYPE = f"{ADL}/activities/cmi.interaction"
CERTIFICATE_TYPE = "http://id.tincanapi.com/activitytype/certificate"
LMS_PROFILE = {"id": "https://w3id.org/xapi/lms", "definition": {"type": f"{ADL}/activities/profile"}}
# Fixed forever: registrations are uuid5 names in it, and changing it would give every enrolment a new one.
REGISTRATION_NAMESPACE = uuid.UUID("6f1d54a2-3c38-4a8e-9d2e-6a1f4c0b7e15")


def language() -> str:
    """The site language as a BCP 47 tag in its usual case (Django's "en-us" is "en-US")."""
    primary, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{primary.lower()}-{region.upper()}" if region else primary.lower()


def activity_id(kind: str, key: Any) -> str:
    return f"{settings.SITE_URL}/xapi/activities/{kind}/{key}"


def registration(enrollment: Any) -> str:
    """One UUID per enrolment, the same in every statement about it (an unenrolment and a later
    enrolment are two registrations: the enrolment's time is part of the name)."""
    return str(uuid.uuid5(REGISTRATION_NAMESPACE, f"{enrollment.pk}/{enrollment.enrolled_at.isoformat()}"))


def _name(text: str) -> dict[str, str]:
    return {language(): text[:500] or "-"}


def course_activity(course: Any) -> dict[str, Any]:
    return {"objectType": "Activity", "id": activity_id("course", course.pk),
            "definition": {"name": _name(course.title), "type": COURSE_TYPE}}  # fmt: skip


def lesson_activity(lesson: Any) -> dict[str, Any]:
    return {"objectType": "Activity", "id": activity_id("lesson", lesson.pk),
            "definition": {"name": _name(f"Day {lesson.day}: {lesson.title}"), "type": LESSON_TYPE}}  # fmt: skip


def quiz_activity(quiz: Any, lesson: Any) -> dict[str, Any]:
    return {"objectType": "Activity", "id": activity_id("quiz", quiz.pk),
            "definition": {"name": _name(f"Quiz: {lesson.title}"), "type": ASSESSMENT_TYPE}}  # fmt: skip


def cohort_activity(cohort: Any) -> dict[str, Any]:
    return {"objectType": "Activity", "id": activity_id("cohort", cohort.pk),
            "definition": {"name": _name(cohort.name)}}  # fmt: skip


@dataclass(frozen=True)
class Built:
    verb: str
    statement: dict[str, Any]


def _statement(
    verb: str,
    actor_name: uuid.UUID,
    activity: dict[str, Any],
    *,
    enrollment: Any,
    occurred_at: datetime,
    parent: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
    category: dict[str, Any] | None = None,
) -> Built:
    course = course_activity(enrollment.course)
    grouping = [] if course["id"] in (activity["id"], parent and parent["id"]) else [course]
    if enrollment.cohort is not None:
        grouping.append(cohort_activity(enrollment.cohort))
    activities: dict[str, Any] = {}
    if parent is not None:
        activities["parent"] = [parent]
    if grouping:
        activities["grouping"] = grouping
    if category is not None:
        activities["category"] = [category]
    context: dict[str, Any] = {"registration": registration(enrollment), "platform": PLATFORM, "language": language()}
    if activities:
        context["contextActivities"] = activities
    statement: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": settings.SITE_URL, "name": str(actor_name)}},
        "verb": {"id": VERBS[verb], "display": {"en-US": str(verb)}},
        "object": activity,
        "context": context,
        "timestamp": occurred_at.isoformat(),
    }
    if result is not None:
        statement["result"] = result
    return Built(verb, statement)


def registered(actor_name: uuid.UUID, enrollment: Any) -> Built:
    return _statement(Verb.REGISTERED, actor_name, course_activity(enrollment.course), enrollment=enrollment,
                      occurred_at=enrollment.enrolled_at, category=LMS_PROFILE)  # fmt: skip


def lesson_experienced(actor_name: uuid.UUID, enrollment: Any, lesson: Any, occurred_at: datetime) -> Built:
    return _statement(Verb.EXPERIENCED, actor_name, lesson_activity(lesson), enrollment=enrollment,
                      occurred_at=occurred_at, parent=course_activity(enrollment.course))  # fmt: skip


def lesson_completed(actor_name: uuid.UUID, enrollment: Any, lesson: Any, occurred_at: datetime) -> Built:
    return _statement(Verb.COMPLETED, actor_name, lesson_activity(lesson), enrollment=enrollment,
                      occurred_at=occurred_at, parent=course_activity(enrollment.course),
                      result={"completion": True})  # fmt: skip


def course_completed(actor_name: uuid.UUID, enrollment: Any, occurred_at: datetime) -> Built:
    return _statement(Verb.COMPLETED, actor_name, course_activity(enrollment.course), enrollment=enrollment,
                      occurred_at=occurred_at, result={"completion": True})  # fmt: skip


def question_answered(
    actor_name: uuid.UUID, enrollment: Any, quiz: Any, lesson: Any, question: Any, *, answer: dict[str, Any],
    occurred_at: datetime,
) -> Built:  # fmt: skip
    """One question of a submitted attempt: the learner's response in the cmi.interaction format
    (chosen option ids joined by "[,]", or the typed text) and whether it was right."""
    choice = question.kind != "short_text"
    response = "[,]".join(str(option) for option in answer.get("option_ids", [])) if choice else answer.get("text", "")
    definition = {"name": _name(question.prompt), "type": INTERACTION_TYPE,
                  "interactionType": "choice" if choice else "fill-in"}  # fmt: skip
    activity = {"objectType": "Activity", "id": activity_id("question", question.pk), "definition": definition}
    result: dict[str, Any] = {"success": bool(answer.get("correct"))}
    if response:
        result["response"] = response[:1000]
    return _statement(Verb.ANSWERED, actor_name, activity, enrollment=enrollment, occurred_at=occurred_at,
                      parent=quiz_activity(quiz, lesson), result=result)  # fmt: skip


def quiz_graded(
    actor_name: uuid.UUID, enrollment: Any, quiz: Any, lesson: Any, *, right: int, questions: int, passed: bool,
    occurred_at: datetime, seconds: int | None = None,
) -> Built:  # fmt: skip
    """passed or failed, with the score: raw = questions answered right, of ``questions``."""
    result: dict[str, Any] = {
        "score": {"scaled": round(right / questions, 4) if questions else 0, "raw": right, "min": 0,
                  "max": questions},
        "success": passed,
        "completion": True,
    }  # fmt: skip
    if seconds is not None:
        result["duration"] = f"PT{seconds}S"
    return _statement(Verb.PASSED if passed else Verb.FAILED, actor_name, quiz_activity(quiz, lesson),
                      enrollment=enrollment, occurred_at=occurred_at, parent=lesson_activity(lesson),
                      result=result)  # fmt: skip


def certificate_earned(actor_name: uuid.UUID, enrollment: Any, verify_url: str, occurred_at: datetime) -> Built:
    activity = {
        "objectType": "Activity",
        "id": verify_url,
        "definition": {"name": _name(f"Certificate: {enrollment.course.title}"), "type": CERTIFICATE_TYPE},
    }
    return _statement(Verb.EARNED, actor_name, activity, enrollment=enrollment, occurred_at=occurred_at,
                      parent=course_activity(enrollment.course))  # fmt: skip
