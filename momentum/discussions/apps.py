"""Lesson discussions: a thread per lesson (per cohort), replies, mentions, and their moderation."""

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "momentum.discussions"
    label = "discussions"
