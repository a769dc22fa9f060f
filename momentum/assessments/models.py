"""Lesson quizzes, their questions and options, and the learners' graded attempts.

A lesson has at most one quiz. The answer key (``Option.is_correct``, ``Question.accepted_answers``)
never leaves the server before the learner has answered: see ``queries.learner_quiz``.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from momentum.assessments.specs import DEFAULT_PASS_PERCENT, MAX_OPTIONS, QuestionKind
from momentum.catalog.models import Lesson
from momentum.lib.timestamps import Timestamped


class Quiz(Timestamped):
    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="quiz")
    pass_percent = models.PositiveSmallIntegerField(default=DEFAULT_PASS_PERCENT)
    max_attempts = models.PositiveSmallIntegerField(null=True, blank=True)
    # Drafted by the generator and not yet looked at by a person; an edit or "reviewed" clears it.
    needs_review = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(condition=Q(pass_percent__lte=100), name="quiz_pass_percent_0_100"),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gte=1), name="quiz_max_attempts_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Quiz on lesson {self.lesson_id}"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=[(kind.value, kind.value) for kind in QuestionKind])
    prompt = models.TextField()
    explanation = models.TextField(blank=True)
    # short_text only: the answers that count as right, compared after normalise_answer.
    accepted_answers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering: ClassVar = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "position"], name="question_one_per_quiz_position"),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in QuestionKind]), name="question_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(prompt=""), name="question_prompt_not_empty"),
        ]

    def __str__(self) -> str:
        return self.prompt[:60]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="option_one_per_question_position"),
            # With the unique position this caps a question at MAX_OPTIONS options.
            models.CheckConstraint(condition=Q(position__lt=MAX_OPTIONS), name="option_position_at_most_6"),
            models.CheckConstraint(condition=~Q(text=""), name="option_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    """One submitted try at a quiz, graded on the server. ``answers`` holds, per question, what the
    learner chose or typed and whether it was right (the question report reads it)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField()
    score_percent = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    answers = models.JSONField(default=list)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user", "number"], name="attempt_one_per_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
            models.CheckConstraint(condition=Q(score_percent__lte=100), name="attempt_score_0_100"),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True) | Q(started_at__lte=models.F("submitted_at")),
                name="attempt_started_before_submitted",
            ),
        ]
        indexes = [models.Index(fields=["user", "quiz", "-number"], name="attempt_by_user_quiz")]
