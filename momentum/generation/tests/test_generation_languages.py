"""Generation in a language (issue 18): the course's language reaches the prompts, a language
model's answer in another language is sent back for repair, and the offline generator writes,
narrates and captions a whole course in Spanish."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command

from momentum.assessments.models import Quiz
from momentum.catalog.models import CaptionTrack, Course
from momentum.generation.models import GenerationJob, GenerationStep
from momentum.generation.providers.base import CourseBrief, Outline, ProviderError
from momentum.generation.providers.offline.slides import voice_for
from momentum.generation.providers.remote.anthropic import AnthropicTextProvider
from momentum.generation.providers.remote.llm_json import lesson_prompt, outline_prompt
from momentum.generation.tests.fake_servers import FakeProvider, fake_outline_es
from momentum.generation.tests.pipeline import job_body
from momentum.lib.text_language import identify

SPANISH = CourseBrief(topic="Pan de masa madre", duration_days=7, level="BEGINNER", category="Cocina", language="es")


def _spanish_outline() -> Outline:
    return Outline.model_validate(fake_outline_es(SPANISH.topic, SPANISH.duration_days))


def test_the_prompts_ask_for_the_courses_language() -> None:
    outline = outline_prompt(SPANISH).text
    lesson = lesson_prompt(SPANISH, _spanish_outline(), 2, ()).text

    assert "Language: Spanish (es)" in outline
    assert "in\nSpanish" in outline
    assert "Language: Spanish (es)" in lesson
    assert "narration in Spanish" in lesson


def test_an_english_lesson_for_a_spanish_course_is_sent_back_and_the_spanish_repair_is_kept(
    fake_anthropic: FakeProvider,
) -> None:
    # Given a model that answers the next request in English, whatever it was asked
    fake_anthropic.fail_next("wrong_language")

    # When it is asked for day 2 of a Spanish course
    result = AnthropicTextProvider().lesson(SPANISH, _spanish_outline(), 2, ())

    # Then the English lesson was rejected by the language check and repaired into Spanish
    calls = fake_anthropic.calls_for("lesson")
    assert [(call["repair"], call["spanish"]) for call in calls] == [(False, False), (True, True)]
    repair_request = json.dumps(fake_anthropic.bodies[-1])
    assert "written in English (en), not in Spanish (es); write it in Spanish" in repair_request
    assert identify(result.value.content_markdown).language == "es"
    assert identify(result.value.narration).language == "es"


def test_an_outline_still_in_the_wrong_language_after_the_repair_is_a_retryable_failure(
    fake_anthropic: FakeProvider,
) -> None:
    fake_anthropic.fail_next("wrong_language", times=2)

    with pytest.raises(ProviderError, match="not in Spanish") as failure:
        AnthropicTextProvider().outline(SPANISH)

    assert failure.value.retryable
    assert [call["repair"] for call in fake_anthropic.calls_for("outline")] == [False, True]


def test_the_narration_voice_follows_the_language() -> None:
    assert [voice_for(code) for code in ("en", "es", "ar", "es-MX", "fr")] == ["en-us", "es", "ar", "es", "en-us"]


def test_the_heygen_voice_follows_the_language(fake_heygen: FakeProvider, settings) -> None:
    from momentum.generation.providers.base import VideoRequest
    from momentum.generation.providers.remote.heygen import HeyGenVideoProvider

    settings.HEYGEN_VOICES = {"es": "voz-espanola-0001"}
    heygen = HeyGenVideoProvider()
    for language in ("es", "ar"):
        heygen.submit(VideoRequest("Curso", 1, "Lección", "Hola a todos, bienvenidos al curso.", (), language=language))

    voices = [body["video_inputs"][0]["voice"]["voice_id"] for body in _video_bodies(fake_heygen.bodies)]
    assert voices == ["voz-espanola-0001", settings.HEYGEN_VOICE_ID]  # Arabic has no voice of its own here


def _video_bodies(bodies: list[object]) -> list[dict[str, Any]]:
    """The video-generation bodies among a fake's recorded requests."""
    return [body for body in bodies if isinstance(body, dict) and "video_inputs" in body]


@pytest.mark.django_db
def test_a_job_in_an_unsupported_language_is_refused_and_a_spanish_one_keeps_its_language(admin, api_as) -> None:
    client = api_as(admin)

    refused = client.post("/generation-jobs", job_body(language="fr", include_video=False))
    accepted = client.post(
        "/generation-jobs", job_body(language="es", include_video=False), headers={"Idempotency-Key": "es-1"}
    )

    assert refused.status_code == 422, refused.content
    assert "language" in refused.content.decode()
    assert accepted.status_code == 202, accepted.content
    job = GenerationJob.objects.get(pk=accepted.json()["id"])
    assert job.language == "es"
    assert client.get(f"/generation-jobs/{job.pk}").json()["language"] == "es"


@pytest.mark.integration
@pytest.mark.timeout(900)  # seven narrated videos rendered by espeak-ng and ffmpeg on a shared machine
def test_a_course_generated_offline_in_spanish_is_written_quizzed_narrated_and_captioned_in_spanish(
    workflows: None, admin
) -> None:
    # When an admin generates a course in Spanish from the command line, with no provider key
    out = io.StringIO()
    call_command(
        "generate", "--topic", "Fotografía con el móvil", "--days", "7", "--category", "health-wellness",
        "--language", "es", "--no-thumbnail", stdout=out,
    )  # fmt: skip

    # Then the draft is a Spanish course ...
    assert "Draft ready" in out.getvalue()
    course = Course.objects.get()
    assert course.language == "es"
    assert identify(course.description).language == "es"
    lessons = list(course.lessons.order_by("day"))
    assert len(lessons) == 7
    # ... whose lessons are written in Spanish, headings included
    assert all(identify(lesson.content_markdown).language == "es" for lesson in lessons)
    assert "## Lo que aprenderás" in lessons[0].content_markdown
    # ... whose quizzes ask in Spanish
    prompts = [
        question.prompt for quiz in Quiz.objects.filter(lesson__course=course) for question in quiz.questions.all()
    ]
    assert prompts
    assert all(prompt.startswith("¿Qué término completa el espacio en blanco?") for prompt in prompts)
    # ... narrated by espeak-ng's Spanish voice
    videos = GenerationStep.objects.filter(job__course=course, name__startswith="video-")
    assert sorted({step.output.get("voice") for step in videos}) == ["es"]
    # ... and captioned in Spanish from that narration
    tracks = list(CaptionTrack.objects.filter(lesson__course=course))
    assert len(tracks) == 7
    assert {track.language for track in tracks} == {"es"}
    assert all(identify(track.vtt.replace("-->", " ")).language == "es" for track in tracks)
    assert "Te damos la bienvenida al día 1" in tracks[0].vtt or "bienvenida" in tracks[0].vtt
