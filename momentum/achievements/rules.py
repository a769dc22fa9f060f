"""The badges, declared here and synced to the Badge table (migration 0002 and after every migrate).

Each badge is earned when a learner's figure for its rule reaches its threshold. Adding a badge
is adding a line below; it is awarded from the next learning action of each learner on.
"""

from __future__ import annotations

from dataclasses import dataclass

from momentum.achievements.models import Rule


@dataclass(frozen=True)
class Declared:
    code: str
    name: str
    description: str
    criteria: str
    rule: Rule
    threshold: int
    icon: str


BADGES = [
    Declared("first-lesson", "First step", "You finished your first lesson.", "Complete one lesson.",
             Rule.LESSONS_COMPLETED, 1, "footprints"),
    Declared("streak-3", "Warming up", "Three days in a row.", "Complete a lesson on 3 consecutive days.",
             Rule.STREAK_DAYS, 3, "flame"),
    Declared("streak-7", "One-week streak", "A lesson every day for a week.",
             "Complete a lesson on 7 consecutive days.", Rule.STREAK_DAYS, 7, "flame"),
    Declared("first-course", "Course finisher", "You finished a whole course.", "Complete every lesson of a course.",
             Rule.COURSES_COMPLETED, 1, "trophy"),
    Declared("lessons-25", "Twenty-five lessons", "Twenty-five lessons learned.", "Complete 25 lessons.",
             Rule.LESSONS_COMPLETED, 25, "book"),
    Declared("course-14", "Fortnight finisher", "You finished a course of two weeks or more.",
             "Complete a 14-day or 21-day course.", Rule.COURSE_OF_DURATION, 14, "calendar"),
    Declared("course-21", "Three-week finisher", "You finished a 21-day course.", "Complete a 21-day course.",
             Rule.COURSE_OF_DURATION, 21, "calendar"),
    Declared("three-courses", "Hat trick", "Three courses finished.", "Complete three courses.",
             Rule.COURSES_COMPLETED, 3, "medal"),
    Declared("streak-21", "Habit formed", "A lesson every day for three weeks.",
             "Complete a lesson on 21 consecutive days.", Rule.STREAK_DAYS, 21, "flame"),
    Declared("lessons-100", "Centurion", "One hundred lessons learned.", "Complete 100 lessons.",
             Rule.LESSONS_COMPLETED, 100, "book"),
]  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What a learner has done, as the rules read it."""

    lessons_completed: int
    courses_completed: int
    streak_days: int  # the longest run of consecutive days
    longest_course_days: int  # the longest course completed (0 when none)

    def figure(self, rule: str) -> int:
        return {
            Rule.LESSONS_COMPLETED: self.lessons_completed,
            Rule.COURSES_COMPLETED: self.courses_completed,
            Rule.STREAK_DAYS: self.streak_days,
            Rule.COURSE_OF_DURATION: self.longest_course_days,
        }[Rule(rule)]

    def meets(self, rule: str, threshold: int) -> bool:
        return self.figure(rule) >= threshold
